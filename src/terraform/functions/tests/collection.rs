use super::*;

#[test]
fn length_counts_what_people_see() {
    assert_eq!(ok("length", vec![l(vec![])]), n(0.0));
    assert_eq!(ok("length", vec![strs(&["a", "b"])]), n(2.0));
    assert_eq!(ok("length", vec![m(vec![("a", s("b"))])]), n(1.0));
    assert_eq!(ok("length", vec![s("hello")]), n(5.0));
    assert_eq!(ok("length", vec![s("🤔")]), n(1.0));
    assert_eq!(ok("length", vec![s("e\u{301}")]), n(1.0));
    // The length of a list is known even when its items are not.
    assert_eq!(ok("length", vec![l(vec![unk(), unk()])]), n(2.0));
    assert_eq!(ok("length", vec![unk()]), unk());
    assert!(err("length", vec![n(1.0)]).contains("argument must be a string, a collection type"));
}

#[test]
fn lookup_merge_keys_values() {
    let map = m(vec![("a", s("ay")), ("b", s("bee"))]);
    assert_eq!(ok("lookup", vec![map.clone(), s("a"), s("what?")]), s("ay"));
    assert_eq!(
        ok("lookup", vec![map.clone(), s("c"), s("what?")]),
        s("what?")
    );
    assert_eq!(ok("lookup", vec![map.clone(), s("a")]), s("ay"));
    assert_eq!(
        err("lookup", vec![map.clone(), s("c")]),
        "lookup failed to find key \"c\"."
    );
    assert!(
        err("lookup", vec![map.clone(), s("a"), s("x"), s("y")])
            .contains("expects only 3 argument")
    );
    // Known when the key is there, whatever else is unknown.
    let partly = m(vec![("a", s("ay")), ("b", unk())]);
    assert_eq!(ok("lookup", vec![partly, s("a")]), s("ay"));
    assert_eq!(ok("lookup", vec![unk(), s("a")]), unk());
    assert_eq!(ok("lookup", vec![map.clone(), unk()]), unk());

    assert_eq!(
        ok(
            "merge",
            vec![
                m(vec![("a", s("b")), ("c", s("d"))]),
                m(vec![("e", s("f")), ("c", s("z"))])
            ]
        ),
        m(vec![("a", s("b")), ("c", s("z")), ("e", s("f"))])
    );
    assert_eq!(ok("merge", vec![]), m(vec![]));
    assert_eq!(
        ok("merge", vec![Value::Null, m(vec![("a", unk())])]),
        m(vec![("a", unk())])
    );
    assert_eq!(ok("merge", vec![m(vec![]), unk()]), unk());
    assert!(
        err("merge", vec![strs(&["a"])])
            .contains("arguments must be maps or objects, got \"tuple\"")
    );

    assert_eq!(
        ok(
            "keys",
            vec![m(vec![("d", n(3.0)), ("a", n(1.0)), ("c", n(2.0))])]
        ),
        strs(&["a", "c", "d"])
    );
    assert_eq!(
        ok("values", vec![m(vec![("d", n(3.0)), ("a", n(1.0))])]),
        nums(&[1.0, 3.0])
    );
    assert_eq!(ok("keys", vec![m(vec![("a", unk())])]), strs(&["a"]));
    assert!(err("keys", vec![strs(&["a"])]).contains("must have map or object type"));
}

#[test]
fn lists() {
    assert_eq!(
        ok("concat", vec![strs(&["a", ""]), strs(&["b", "c"])]),
        strs(&["a", "", "b", "c"])
    );
    assert_eq!(
        ok("concat", vec![l(vec![unk()]), strs(&["b"])]),
        l(vec![unk(), s("b")])
    );
    assert!(
        err("concat", vec![Value::set(vec![s("a")])])
            .contains("all arguments must be lists or tuples; got set")
    );
    assert_eq!(
        ok("compact", vec![strs(&["a", "", "b", "c"])]),
        strs(&["a", "b", "c"])
    );
    assert_eq!(
        ok("compact", vec![l(vec![s("a"), Value::Null])]),
        strs(&["a"])
    );
    assert_eq!(
        ok("distinct", vec![strs(&["a", "b", "a", "c", "d", "b"])]),
        strs(&["a", "b", "c", "d"])
    );
    assert_eq!(ok("distinct", vec![l(vec![n(1.0), s("1")])]), strs(&["1"]));
    assert_eq!(
        ok("chunklist", vec![strs(&["a", "b", "c", "d", "e"]), n(2.0)]),
        l(vec![strs(&["a", "b"]), strs(&["c", "d"]), strs(&["e"])])
    );
    assert_eq!(
        ok("chunklist", vec![strs(&["a"]), n(0.0)]),
        l(vec![strs(&["a"])])
    );
    assert!(
        err("chunklist", vec![strs(&["a"]), n(-1.0)])
            .contains("the size argument must be positive")
    );
    assert_eq!(ok("element", vec![strs(&["a", "b", "c"]), n(1.0)]), s("b"));
    assert_eq!(ok("element", vec![strs(&["a", "b", "c"]), n(3.0)]), s("a"));
    assert_eq!(ok("element", vec![strs(&["a", "b", "c"]), n(-1.0)]), s("c"));
    assert!(
        err("element", vec![l(vec![]), n(0.0)])
            .contains("cannot use element function with an empty list")
    );
    assert_eq!(ok("index", vec![strs(&["a", "b", "c"]), s("b")]), n(1.0));
    assert!(err("index", vec![strs(&["a"]), s("z")]).contains("item not found"));
    assert_eq!(ok("index", vec![l(vec![unk(), s("b")]), s("b")]), unk());
    assert_eq!(
        ok("reverse", vec![nums(&[1.0, 2.0, 3.0])]),
        nums(&[3.0, 2.0, 1.0])
    );
    assert_eq!(
        ok("slice", vec![strs(&["a", "b", "c", "d"]), n(1.0), n(3.0)]),
        strs(&["b", "c"])
    );
    assert!(
        err("slice", vec![strs(&["a"]), n(0.0), n(2.0)])
            .contains("end index must not be greater than the length")
    );
    assert!(
        err("slice", vec![strs(&["a", "b"]), n(2.0), n(1.0)])
            .contains("start index must not be greater than end index")
    );
    assert!(
        err("slice", vec![Value::set(vec![s("a")]), n(0.0), n(1.0)]).contains("cannot slice a set")
    );
    assert_eq!(
        ok("sort", vec![strs(&["e", "d", "a", "x"])]),
        strs(&["a", "d", "e", "x"])
    );
    assert_eq!(ok("sort", vec![nums(&[10.0, 9.0])]), strs(&["10", "9"]));
    assert_eq!(ok("one", vec![l(vec![])]), Value::Null);
    assert_eq!(ok("one", vec![strs(&["hello"])]), s("hello"));
    assert!(err("one", vec![strs(&["a", "b"])]).contains("either zero or one elements"));
}

#[test]
fn flatten_nested_lists() {
    assert_eq!(
        ok(
            "flatten",
            vec![l(vec![strs(&["a", "b"]), l(vec![]), strs(&["c"])])]
        ),
        strs(&["a", "b", "c"])
    );
    assert_eq!(
        ok(
            "flatten",
            vec![l(vec![
                l(vec![s("a"), s("b")]),
                l(vec![s("c"), l(vec![s("d"), s("e")])])
            ])]
        ),
        strs(&["a", "b", "c", "d", "e"])
    );
    assert_eq!(ok("flatten", vec![l(vec![strs(&["a"]), unk()])]), unk());
    assert!(err("flatten", vec![s("a")]).contains("can only flatten lists, sets and tuples"));
}

#[test]
fn coalesce_contains_booleans() {
    assert_eq!(ok("coalesce", vec![s("a"), s("b")]), s("a"));
    assert_eq!(ok("coalesce", vec![s(""), s("b")]), s("b"));
    assert_eq!(ok("coalesce", vec![n(1.0), n(2.0)]), n(1.0));
    assert_eq!(ok("coalesce", vec![Value::Null, s(""), n(2.0)]), s("2"));
    assert_eq!(ok("coalesce", vec![s("a"), unk()]), s("a"));
    assert_eq!(ok("coalesce", vec![unk(), s("a")]), unk());
    assert!(
        err("coalesce", vec![Value::Null, s("")])
            .contains("no non-null, non-empty-string arguments")
    );
    assert!(
        err("coalesce", vec![s("a"), strs(&["b"])])
            .contains("all arguments must have the same type")
    );
    assert_eq!(
        ok("coalescelist", vec![strs(&["a", "b"]), strs(&["c", "d"])]),
        strs(&["a", "b"])
    );
    assert_eq!(
        ok("coalescelist", vec![l(vec![]), strs(&["c", "d"])]),
        strs(&["c", "d"])
    );
    assert!(err("coalescelist", vec![l(vec![])]).contains("no non-null arguments"));

    assert_eq!(
        ok("contains", vec![strs(&["a", "b", "c"]), s("a")]),
        b(true)
    );
    assert_eq!(
        ok("contains", vec![strs(&["a", "b", "c"]), s("d")]),
        b(false)
    );
    assert_eq!(
        ok("contains", vec![l(vec![unk(), s("a")]), s("a")]),
        b(true)
    );
    assert_eq!(ok("contains", vec![l(vec![unk(), s("a")]), s("d")]), unk());
    assert_eq!(ok("alltrue", vec![l(vec![b(true), s("true")])]), b(true));
    assert_eq!(ok("alltrue", vec![l(vec![b(true), b(false)])]), b(false));
    assert_eq!(ok("alltrue", vec![l(vec![])]), b(true));
    assert_eq!(ok("alltrue", vec![l(vec![b(false), unk()])]), b(false));
    assert_eq!(ok("anytrue", vec![l(vec![b(true), b(false)])]), b(true));
    assert_eq!(ok("anytrue", vec![l(vec![])]), b(false));
    assert_eq!(ok("anytrue", vec![l(vec![b(false), unk()])]), unk());
    assert!(err("alltrue", vec![l(vec![s("yes")])]).contains("a bool is required"));
}

#[test]
fn numbers_and_maps() {
    assert_eq!(ok("range", vec![n(3.0)]), nums(&[0.0, 1.0, 2.0]));
    assert_eq!(ok("range", vec![n(1.0), n(4.0)]), nums(&[1.0, 2.0, 3.0]));
    assert_eq!(
        ok("range", vec![n(1.0), n(8.0), n(2.0)]),
        nums(&[1.0, 3.0, 5.0, 7.0])
    );
    assert_eq!(
        ok("range", vec![n(1.0), n(4.0), n(0.5)]),
        nums(&[1.0, 1.5, 2.0, 2.5, 3.0, 3.5])
    );
    assert_eq!(ok("range", vec![n(4.0), n(1.0)]), nums(&[4.0, 3.0, 2.0]));
    assert_eq!(
        ok("range", vec![n(10.0), n(5.0), n(-2.0)]),
        nums(&[10.0, 8.0, 6.0])
    );
    assert_eq!(ok("range", vec![n(-3.0)]), nums(&[0.0, -1.0, -2.0]));
    assert_eq!(ok("range", vec![n(0.0)]), l(vec![]));
    assert!(
        err("range", vec![n(1.0), n(4.0), n(-1.0)])
            .contains("end must be less than start when step is negative")
    );
    assert!(err("range", vec![n(1e9)]).contains("more than 1024 values"));
    assert!(err("range", vec![]).contains("must have one, two, or three arguments"));
    assert!(err("range", vec![n(0.0), n(1.0), n(0.0)]).contains("step must not be zero"));
    assert_eq!(ok("sum", vec![nums(&[10.0, 13.0, 6.0, 4.5])]), n(33.5));
    assert!(err("sum", vec![l(vec![])]).contains("cannot sum an empty list"));
    assert_eq!(ok("sum", vec![l(vec![n(1.0), unk()])]), unk());
    assert_eq!(
        ok("zipmap", vec![strs(&["a", "b"]), nums(&[1.0, 2.0])]),
        m(vec![("a", n(1.0)), ("b", n(2.0))])
    );
    assert!(
        err("zipmap", vec![strs(&["a"]), nums(&[1.0, 2.0])])
            .contains("number of keys (1) does not match number of values (2)")
    );
    assert_eq!(
        ok(
            "transpose",
            vec![m(vec![("a", strs(&["1", "2"])), ("b", strs(&["2", "3"]))])]
        ),
        m(vec![
            ("1", strs(&["a"])),
            ("2", strs(&["a", "b"])),
            ("3", strs(&["b"]))
        ])
    );
    assert_eq!(
        ok(
            "matchkeys",
            vec![
                strs(&["i-123", "i-abc", "i-def"]),
                strs(&["us-west", "us-east", "us-east"]),
                strs(&["us-east"])
            ]
        ),
        strs(&["i-abc", "i-def"])
    );
    assert!(
        err("matchkeys", vec![strs(&["a"]), strs(&[]), strs(&[])])
            .contains("length of keys and values should be equal")
    );
}

#[test]
fn sets() {
    assert_eq!(
        ok(
            "setproduct",
            vec![
                strs(&["development", "staging", "production"]),
                strs(&["app1", "app2"])
            ]
        ),
        l(vec![
            strs(&["development", "app1"]),
            strs(&["development", "app2"]),
            strs(&["staging", "app1"]),
            strs(&["staging", "app2"]),
            strs(&["production", "app1"]),
            strs(&["production", "app2"]),
        ])
    );
    assert_eq!(ok("setproduct", vec![strs(&["a"]), l(vec![])]), l(vec![]));
    assert!(err("setproduct", vec![strs(&["a"])]).contains("at least two arguments are required"));
    let big = Value::List((0..400).map(|i| n(f64::from(i))).collect());
    assert!(err("setproduct", vec![big.clone(), big.clone(), big]).contains("more than"));
    assert_eq!(
        ok(
            "setunion",
            vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["d"])]
        ),
        Value::set(vec![s("a"), s("b"), s("c"), s("d")])
    );
    assert_eq!(
        ok(
            "setintersection",
            vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["b", "d"])]
        ),
        Value::set(vec![s("b")])
    );
    assert_eq!(
        ok(
            "setsubtract",
            vec![strs(&["a", "b", "c"]), strs(&["a", "c"])]
        ),
        Value::set(vec![s("b")])
    );
    assert_eq!(
        ok("setunion", vec![strs(&["a"]), nums(&[1.0])]),
        Value::set(vec![s("1"), s("a")])
    );
    assert_eq!(
        ok("setunion", vec![strs(&["a"]), l(vec![unk()])]),
        Value::set(vec![s("a"), unk()])
    );
    assert_eq!(ok("setsubtract", vec![strs(&["a"]), l(vec![unk()])]), unk());
}
