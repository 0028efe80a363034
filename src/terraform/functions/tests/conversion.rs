use super::*;

#[test]
fn primitives() {
    assert_eq!(ok("tostring", vec![s("hello")]), s("hello"));
    assert_eq!(ok("tostring", vec![n(1.0)]), s("1"));
    assert_eq!(ok("tostring", vec![b(true)]), s("true"));
    assert_eq!(ok("tostring", vec![Value::Null]), Value::Null);
    assert_eq!(
        err("tostring", vec![strs(&["a"])]),
        "Invalid value for \"v\" parameter: cannot convert tuple to string."
    );
    assert_eq!(ok("tonumber", vec![s("1")]), n(1.0));
    assert_eq!(ok("tonumber", vec![s("-1.5e2")]), n(-150.0));
    assert_eq!(ok("tonumber", vec![Value::Null]), Value::Null);
    assert_eq!(
        err("tonumber", vec![s("no")]),
        "Invalid value for \"v\" parameter: cannot convert \"no\" to number; given string must be a decimal representation of a number."
    );
    assert!(err("tonumber", vec![s(" 1")]).contains("cannot convert"));
    assert_eq!(ok("tobool", vec![s("true")]), b(true));
    assert_eq!(ok("tobool", vec![s("false")]), b(false));
    assert_eq!(ok("tobool", vec![Value::Null]), Value::Null);
    assert_eq!(
        err("tobool", vec![s("no")]),
        "Invalid value for \"v\" parameter: cannot convert \"no\" to bool; only the strings \"true\" or \"false\" are allowed."
    );
    assert!(err("tobool", vec![n(1.0)]).contains("cannot convert number to bool"));
}

#[test]
fn collections() {
    assert_eq!(
        ok("tolist", vec![l(vec![s("a"), s("b"), s("c")])]),
        strs(&["a", "b", "c"])
    );
    assert_eq!(
        ok("tolist", vec![l(vec![s("a"), b(true), n(1.0)])]),
        strs(&["a", "true", "1"])
    );
    assert_eq!(
        ok("tolist", vec![Value::set(vec![s("b"), s("a")])]),
        strs(&["a", "b"])
    );
    assert_eq!(
        ok("tolist", vec![l(vec![s("a"), unk()])]),
        l(vec![s("a"), unk()])
    );
    assert!(
        err("tolist", vec![l(vec![s("a"), strs(&["b"])])])
            .contains("cannot convert tuple to list of any single type")
    );
    assert!(
        err("tolist", vec![m(vec![])]).contains("cannot convert object to list of any single type")
    );
    assert_eq!(
        ok("toset", vec![strs(&["c", "b", "b"])]),
        Value::set(vec![s("b"), s("c")])
    );
    assert_eq!(
        ok("toset", vec![l(vec![s("a"), b(true), n(1.0)])]),
        Value::set(vec![s("1"), s("a"), s("true")])
    );
    assert_eq!(
        ok("tomap", vec![m(vec![("a", n(1.0)), ("b", s("x"))])]),
        m(vec![("a", s("1")), ("b", s("x"))])
    );
    assert!(
        err("tomap", vec![m(vec![("a", n(1.0)), ("b", strs(&["x"]))])])
            .contains("map of any single type")
    );
}

#[test]
fn sensitivity_is_not_tracked() {
    assert_eq!(ok("sensitive", vec![s("x")]), s("x"));
    assert_eq!(ok("nonsensitive", vec![unk()]), unk());
    assert_eq!(ok("issensitive", vec![s("x")]), b(false));
    assert_eq!(ok("ephemeralasnull", vec![n(1.0)]), n(1.0));
}
