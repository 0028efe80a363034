use super::*;

fn f(fmt: &str, args: Vec<Value>) -> Value {
    let mut all = vec![s(fmt)];
    all.extend(args);
    ok("format", all)
}

fn ferr(fmt: &str, args: Vec<Value>) -> String {
    let mut all = vec![s(fmt)];
    all.extend(args);
    err("format", all)
}

#[test]
fn documented_examples() {
    assert_eq!(f("Hello, %s!", vec![s("Ander")]), s("Hello, Ander!"));
    assert_eq!(
        f("There are %d lights", vec![n(4.0)]),
        s("There are 4 lights")
    );
    assert_eq!(f("%-5d|", vec![n(42.0)]), s("42   |"));
    assert_eq!(f("%5d|", vec![n(42.0)]), s("   42|"));
    assert_eq!(f("%05d", vec![n(42.0)]), s("00042"));
    assert_eq!(f("%.2f", vec![n(1.23456)]), s("1.23"));
    assert_eq!(f("%f", vec![n(1.5)]), s("1.500000"));
    assert_eq!(f("%8.2f|", vec![n(-1.23456)]), s("   -1.23|"));
    assert_eq!(f("%08.2f", vec![n(-1.23456)]), s("-0001.23"));
    assert_eq!(f("%+d %+d", vec![n(5.0), n(-5.0)]), s("+5 -5"));
    assert_eq!(
        f("%x %X %o %b", vec![n(255.0), n(255.0), n(8.0), n(5.0)]),
        s("ff FF 10 101")
    );
    assert_eq!(
        f("%#x %#o %#b", vec![n(255.0), n(8.0), n(5.0)]),
        s("0xff 010 0b101")
    );
    assert_eq!(f("%.3d", vec![n(7.0)]), s("007"));
    assert_eq!(f("%.0d|", vec![n(0.0)]), s("|"));
    assert_eq!(f("%e", vec![n(1234.5678)]), s("1.234568e+03"));
    assert_eq!(f("%.2E", vec![n(0.000123)]), s("1.23E-04"));
    assert_eq!(
        f("%g %g %g", vec![n(100000.0), n(1000000.0), n(0.00001)]),
        s("100000 1e+06 1e-05")
    );
    assert_eq!(f("%.3g", vec![n(1.23456)]), s("1.23"));
    assert_eq!(f("%t", vec![b(true)]), s("true"));
    assert_eq!(f("%t", vec![s("false")]), s("false"));
    assert_eq!(f("%q", vec![s("a\"b<c>")]), s("\"a\\\"b\\u003cc\\u003e\""));
    assert_eq!(
        f("%.3s|%-6s|%6s", vec![s("abcdef"), s("ab"), s("ab")]),
        s("abc|ab    |    ab")
    );
    assert_eq!(f("%5s", vec![s("☃")]), s("    ☃"));
    assert_eq!(f("100%%", vec![]), s("100%"));
    assert_eq!(f("%[2]s %[1]s %s", vec![s("a"), s("b")]), s("b a b"));
    assert_eq!(f("%d", vec![s("12")]), s("12"));
    assert_eq!(f("%s", vec![n(12.0)]), s("12"));
    assert_eq!(f("%d", vec![n(1e20)]), s("100000000000000000000"));
    assert_eq!(
        f("%x", vec![n(2f64.powi(130))]),
        s(&format!("4{}", "0".repeat(32)))
    );
}

#[test]
fn the_v_verb() {
    assert_eq!(f("%v", vec![s("x")]), s("x"));
    assert_eq!(f("%v", vec![n(1.5)]), s("1.5"));
    assert_eq!(f("%v", vec![n(1e7)]), s("1e+07"));
    assert_eq!(f("%v", vec![b(true)]), s("true"));
    assert_eq!(f("%v", vec![Value::Null]), s("null"));
    assert_eq!(f("%v", vec![l(vec![n(1.0), s("a")])]), s("[1,\"a\"]"));
    assert_eq!(f("%#v", vec![s("x")]), s("\"x\""));
    assert_eq!(
        f("%v", vec![m(vec![("b", n(1.0)), ("a", b(false))])]),
        s("{\"a\":false,\"b\":1}")
    );
}

#[test]
fn errors_say_where() {
    assert_eq!(
        ferr("%d", vec![]),
        "not enough arguments for \"%d\" at 0: need index 1 but have 0 total."
    );
    assert_eq!(
        ferr("hello", vec![s("x")]),
        "Invalid value for \"args\" parameter: too many arguments; no verbs in format string."
    );
    assert!(ferr("%s", vec![s("a"), s("b")]).contains("only 1 used by format string"));
    assert!(ferr("%d", vec![n(1.5)]).contains("an integer is required"));
    assert!(ferr("%d", vec![s("x")]).contains("a number is required"));
    assert!(ferr("%s", vec![l(vec![])]).contains("string required"));
    assert!(ferr("%s", vec![Value::Null]).contains("null value cannot be formatted"));
    assert!(ferr("%y", vec![n(1.0)]).contains("unsupported format verb 'y'"));
    assert!(ferr("%!", vec![]).contains("unrecognized format character '!' at offset 1"));
    assert!(ferr("%", vec![]).contains("invalid format string starting at offset 1"));
    assert!(ferr("%999999999999999999999d", vec![n(1.0)]).contains("maximum"));
    assert!(ferr("%[99999999999999999999]d", vec![n(1.0)]).contains("not enough arguments"));
}

#[test]
fn unknowns() {
    assert_eq!(f("%s-%s", vec![s("a"), unk()]), unk());
    assert_eq!(f("%v", vec![l(vec![unk()])]), unk());
    assert_eq!(ok("format", vec![unk(), s("a")]), unk());
}

#[test]
fn formatlist_iterates() {
    assert_eq!(
        ok(
            "formatlist",
            vec![
                s("Hello, %s!"),
                strs(&["Valentina", "Ander", "Olivia", "Sam"])
            ]
        ),
        strs(&[
            "Hello, Valentina!",
            "Hello, Ander!",
            "Hello, Olivia!",
            "Hello, Sam!"
        ])
    );
    assert_eq!(
        ok(
            "formatlist",
            vec![
                s("%s, %s!"),
                s("Salutations"),
                strs(&["Valentina", "Ander"])
            ]
        ),
        strs(&["Salutations, Valentina!", "Salutations, Ander!"])
    );
    assert_eq!(ok("formatlist", vec![s("x")]), strs(&["x"]));
    assert_eq!(ok("formatlist", vec![s("%s"), l(vec![])]), l(vec![]));
    assert_eq!(
        ok("formatlist", vec![s("%s"), l(vec![s("a"), unk()])]),
        l(vec![s("a"), unk()])
    );
    assert_eq!(
        err(
            "formatlist",
            vec![s("%s%s"), strs(&["a"]), strs(&["a", "b"])]
        ),
        "Invalid value for \"args\" parameter: argument 2 has length 2, which is inconsistent with argument 1 of length 1."
    );
    assert!(err("formatlist", vec![s("%d"), strs(&["a"])]).contains("error on format iteration 0"));
}
