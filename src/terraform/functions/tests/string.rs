use super::*;

#[test]
fn case_and_trimming() {
    assert_eq!(ok("upper", vec![s("hello")]), s("HELLO"));
    assert_eq!(ok("lower", vec![s("HELLO")]), s("hello"));
    // Go maps one character to one: `ß` has no single upper-case form.
    assert_eq!(ok("upper", vec![s("straße")]), s("STRAßE"));
    assert_eq!(ok("title", vec![s("hello world")]), s("Hello World"));
    assert_eq!(ok("title", vec![s("hello-world_x")]), s("Hello-World_x"));
    assert_eq!(ok("chomp", vec![s("hello\n")]), s("hello"));
    assert_eq!(ok("chomp", vec![s("hello\r\n")]), s("hello"));
    assert_eq!(ok("chomp", vec![s("hello\n\n")]), s("hello"));
    assert_eq!(ok("trimspace", vec![s("  hello\n\n")]), s("hello"));
    assert_eq!(ok("trim", vec![s("?!hello?!"), s("!?")]), s("hello"));
    assert_eq!(
        ok("trimprefix", vec![s("helloworld"), s("hello")]),
        s("world")
    );
    assert_eq!(
        ok("trimprefix", vec![s("helloworld"), s("cat")]),
        s("helloworld")
    );
    assert_eq!(
        ok("trimsuffix", vec![s("helloworld"), s("world")]),
        s("hello")
    );
}

#[test]
fn split_and_join() {
    assert_eq!(
        ok("split", vec![s(","), s("foo,bar,baz")]),
        strs(&["foo", "bar", "baz"])
    );
    assert_eq!(ok("split", vec![s(","), s("foo")]), strs(&["foo"]));
    assert_eq!(ok("split", vec![s(","), s("")]), strs(&[""]));
    assert_eq!(ok("split", vec![s(""), s("ab")]), strs(&["a", "b"]));
    assert_eq!(
        ok("join", vec![s("-"), strs(&["foo", "bar", "baz"])]),
        s("foo-bar-baz")
    );
    assert_eq!(ok("join", vec![s(", "), strs(&["foo"])]), s("foo"));
    assert_eq!(
        ok("join", vec![s(","), l(vec![n(1.0), b(true)]), strs(&["x"])]),
        s("1,true,x")
    );
    assert!(err("join", vec![s(",")]).contains("at least one list is required"));
    assert_eq!(
        err("join", vec![s(","), l(vec![s("a"), Value::Null])]),
        "Invalid value for \"lists\" parameter: element 1 is null; cannot concatenate null values."
    );
    assert_eq!(ok("join", vec![s(","), l(vec![s("a"), unk()])]), unk());
}

#[test]
fn indent_substr_strrev() {
    assert_eq!(
        ok("indent", vec![n(2.0), s("[\n  foo,\n  bar,\n]\n")]),
        s("[\n    foo,\n    bar,\n  ]\n  ")
    );
    assert!(err("indent", vec![n(-1.0), s("x")]).contains("\"spaces\""));
    assert!(err("indent", vec![n(1e9), s("x")]).contains("at most"));
    assert_eq!(
        ok("substr", vec![s("hello world"), n(1.0), n(4.0)]),
        s("ello")
    );
    assert_eq!(ok("substr", vec![s("🤔🤷"), n(0.0), n(1.0)]), s("🤔"));
    assert_eq!(
        ok("substr", vec![s("hello world"), n(-5.0), n(-1.0)]),
        s("world")
    );
    assert_eq!(
        ok("substr", vec![s("hello world"), n(6.0), n(10.0)]),
        s("world")
    );
    assert_eq!(ok("substr", vec![s("hello"), n(10.0), n(2.0)]), s(""));
    assert_eq!(ok("substr", vec![s("hello"), n(0.0), n(0.0)]), s(""));
    // cty's loop takes the rest when a negative offset meets a zero length.
    assert_eq!(ok("substr", vec![s("hello"), n(-1.0), n(0.0)]), s("o"));
    assert!(err("substr", vec![s("hello"), n(0.5), n(1.0)]).contains("whole number"));
    assert_eq!(ok("strrev", vec![s("hello")]), s("olleh"));
    assert_eq!(ok("strrev", vec![s("a☃")]), s("☃a"));
    assert_eq!(ok("strrev", vec![s("e\u{301}x")]), s("xe\u{301}"));
}

#[test]
fn replace_and_regex() {
    assert_eq!(
        ok("replace", vec![s("1 + 2 + 3"), s("+"), s("-")]),
        s("1 - 2 - 3")
    );
    assert_eq!(
        ok(
            "replace",
            vec![s("hello world"), s("/w.*d/"), s("everybody")]
        ),
        s("hello everybody")
    );
    assert_eq!(
        ok("replace", vec![s("abc"), s("/(b)/"), s("[$1]")]),
        s("a[b]c")
    );
    assert!(err("replace", vec![s("abc"), s("/(b/"), s("x")]).contains("error parsing regexp"));
    let huge = err(
        "replace",
        vec![s(&"a".repeat(10_000)), s(""), s(&"x".repeat(5_000))],
    );
    assert!(huge.contains("more than stackgate builds"), "{huge}");
    assert_eq!(
        ok(
            "regex",
            vec![s("[a-z]+"), s("53453453.345345aaabbbccc23454")]
        ),
        s("aaabbbccc")
    );
    assert_eq!(
        ok(
            "regex",
            vec![s(r"(\d\d\d\d)-(\d\d)-(\d\d)"), s("2019-02-01")]
        ),
        strs(&["2019", "02", "01"])
    );
    assert_eq!(
        ok(
            "regex",
            vec![
                s("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?"),
                s("https://terraform.io/docs/")
            ]
        ),
        m(vec![
            ("authority", s("terraform.io")),
            ("scheme", s("https"))
        ])
    );
    assert_eq!(
        ok("regex", vec![s("(a)|(b)"), s("b")]),
        l(vec![Value::Null, s("b")])
    );
    assert_eq!(
        err("regex", vec![s("[a-z]+"), s("53453453.34534523454")]),
        "pattern did not match any part of the given string."
    );
    assert!(
        err("regex", vec![s("(?P<x>a)(b)"), s("ab")]).contains("cannot mix both named and unnamed")
    );
    // Go's \d is ASCII-only.
    assert!(err("regex", vec![s(r"\d"), s("٣")]).contains("did not match"));
    assert_eq!(
        ok("regexall", vec![s("[a-z]+"), s("1234abcd5678efgh9")]),
        strs(&["abcd", "efgh"])
    );
    assert_eq!(ok("regexall", vec![s("[a-z]+"), s("123456789")]), l(vec![]));
}

#[test]
fn predicates() {
    assert_eq!(
        ok("startswith", vec![s("hello world"), s("hello")]),
        b(true)
    );
    assert_eq!(
        ok("startswith", vec![s("hello world"), s("world")]),
        b(false)
    );
    assert_eq!(ok("startswith", vec![unk(), s("")]), b(true));
    assert_eq!(ok("startswith", vec![unk(), s("x")]), unk());
    assert_eq!(ok("endswith", vec![s("hello world"), s("world")]), b(true));
    assert_eq!(ok("strcontains", vec![s("hello world"), s("wor")]), b(true));
    assert_eq!(
        ok("strcontains", vec![s("hello world"), s("cat")]),
        b(false)
    );
}

#[test]
fn argument_errors() {
    assert_eq!(run("try", vec![]), Err(FnError::Unsupported));
    assert_eq!(
        err("upper", vec![strs(&["a"])]),
        "Invalid value for \"str\" parameter: string required."
    );
    assert_eq!(
        err("upper", vec![Value::Null]),
        "Invalid value for \"str\" parameter: argument must not be null."
    );
    assert!(err("upper", vec![]).contains("Missing value for \"str\""));
    assert!(err("upper", vec![s("a"), s("b")]).contains("expects only 1 argument"));
    // Primitives convert to strings where a string is expected.
    assert_eq!(ok("upper", vec![b(true)]), s("TRUE"));
    assert_eq!(ok("lower", vec![n(1.5)]), s("1.5"));
}
