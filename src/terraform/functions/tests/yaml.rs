use super::*;

fn dec(text: &str) -> Value {
    ok("yamldecode", vec![s(text)])
}

fn enc(v: Value) -> String {
    match ok("yamlencode", vec![v]) {
        Value::String(s) => s,
        other => panic!("{other}"),
    }
}

#[test]
fn decode_scalars_as_yaml_1_1() {
    assert_eq!(dec("hello"), s("hello"));
    assert_eq!(dec("\"true\""), s("true"));
    assert_eq!(dec("true"), b(true));
    assert_eq!(dec("yes"), b(true));
    assert_eq!(dec("Off"), b(false));
    assert_eq!(dec("~"), Value::Null);
    assert_eq!(dec("---"), Value::Null);
    assert_eq!(dec("12"), n(12.0));
    assert_eq!(dec("-12"), n(-12.0));
    assert_eq!(dec("077"), n(77.0));
    assert_eq!(dec("0o77"), n(63.0));
    assert_eq!(dec("0x1f"), n(31.0));
    assert_eq!(dec("1.5"), n(1.5));
    assert_eq!(dec(".5"), n(0.5));
    assert_eq!(dec("1e3"), n(1000.0));
    assert_eq!(dec("1_000"), s("1_000"));
    assert_eq!(dec("!!str true"), s("true"));
    assert_eq!(dec("!!int 0b101"), n(5.0));
    assert_eq!(dec("2001-12-14"), s("2001-12-14T00:00:00Z"));
    assert_eq!(
        dec("2001-12-14t21:59:43.10-05:00"),
        s("2001-12-14T21:59:43-05:00")
    );
    assert_eq!(dec("2001-12-14 21:59:43.10"), s("2001-12-14T21:59:43Z"));
    assert_eq!(dec("|\n  hello\n  world"), s("hello\nworld"));
    assert_eq!(dec(">\n  hello\n  world"), s("hello world"));
    assert!(err("yamldecode", vec![s(".nan")]).contains("NaN is not supported"));
    assert!(
        err("yamldecode", vec![s("!!bool bananas")])
            .contains("cannot parse \"bananas\" as tag:yaml.org,2002:bool")
    );
    assert!(err("yamldecode", vec![s("!custom x")]).contains("unsupported tag"));
}

#[test]
fn decode_structures() {
    assert_eq!(
        dec("hello: world\nlist: [1, yes, null]\nnested:\n  a: b\n"),
        m(vec![
            ("hello", s("world")),
            ("list", l(vec![n(1.0), b(true), Value::Null])),
            ("nested", m(vec![("a", s("b"))])),
        ])
    );
    assert_eq!(
        dec("base: &b {x: 1, p: 2}\nderived:\n  <<: *b\n  p: 3\n"),
        m(vec![
            ("base", m(vec![("p", n(2.0)), ("x", n(1.0))])),
            ("derived", m(vec![("p", n(3.0)), ("x", n(1.0))])),
        ])
    );
    // YAML 1.1 reads a bare `y` as true, keys included.
    assert_eq!(dec("y: 1"), m(vec![("true", n(1.0))]));
    assert_eq!(dec("a: |\n  x\n  y"), m(vec![("a", s("x\ny"))]));
    assert_eq!(
        dec("a: |\n  x\nb: 1"),
        m(vec![("a", s("x\n")), ("b", n(1.0))])
    );
    assert_eq!(
        dec("1: a\ntrue: b"),
        m(vec![("1", s("a")), ("true", s("b"))])
    );
    assert!(
        err("yamldecode", vec![s("a: 1\n---\nb: 2\n")])
            .contains("on line 2, column 1: unexpected extra content after value")
    );
    assert!(err("yamldecode", vec![s("")]).contains("missing start of document"));
    assert!(err("yamldecode", vec![s("~: 1")]).contains("mapping key cannot be null"));
    assert!(err("yamldecode", vec![s("[a: : b")]).contains("did not find expected ',' or '}'"));
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    assert!(err("yamldecode", vec![s(bomb)]).contains("too many values"));
}

#[test]
fn encode_like_terraform() {
    assert_eq!(
        enc(m(vec![("a", s("b")), ("c", s("d"))])),
        "\"a\": \"b\"\n\"c\": \"d\"\n"
    );
    assert_eq!(
        enc(m(vec![("foo", nums(&[1.0, 2.0, 3.0])), ("bar", s("baz"))])),
        "\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n"
    );
    assert_eq!(
        enc(m(vec![
            (
                "foo",
                l(vec![n(1.0), m(vec![("a", s("b")), ("c", s("d"))]), n(3.0)])
            ),
            ("bar", s("baz"))
        ])),
        "\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n"
    );
    assert_eq!(enc(b(true)), "true\n...\n");
    assert_eq!(enc(n(0.0)), "0\n...\n");
    assert_eq!(enc(Value::Null), "null\n...\n");
    assert_eq!(enc(s("")), "\"\"\n");
    assert_eq!(enc(s("hello")), "\"hello\"\n");
    assert_eq!(enc(s("hello\nworld")), "|-\n  hello\n  world\n");
    assert_eq!(enc(s("hello\n")), "|\n  hello\n");
    assert_eq!(enc(s("hello\n\n")), "|+\n  hello\n\n");
    assert_eq!(enc(s(" indented\nx")), "|2-\n   indented\n  x\n");
    assert_eq!(enc(m(vec![])), "{}\n");
    assert_eq!(enc(l(vec![])), "[]\n");
    assert_eq!(
        enc(m(vec![("a", l(vec![])), ("b", m(vec![("c", s("x\ny"))]))])),
        "\"a\": []\n\"b\":\n  \"c\": |-\n    x\n    y\n"
    );
    assert_eq!(enc(l(vec![l(vec![n(1.0), n(2.0)])])), "- - 1\n  - 2\n");
    assert_eq!(
        enc(s("tab\there \"q\" é 🎉")),
        "\"tab\\there \\\"q\\\" é \\U0001F389\"\n"
    );
    // A trailing space rules out a literal block.
    assert_eq!(enc(s("a \nb")), "\"a \\nb\"\n");
}

#[test]
fn encode_folds_long_strings() {
    let words = vec!["word"; 30].join(" ");
    let out = enc(s(&words));
    let first = out.lines().next().unwrap_or("");
    assert!(first.len() <= 90 && out.lines().count() == 2, "{out:?}");
    // Folding is invisible once read back.
    assert_eq!(dec(&out), s(&words));
    let long_key = "k".repeat(130);
    assert_eq!(
        enc(m(vec![(long_key.as_str(), n(1.0))])),
        format!("? \"{long_key}\"\n: 1\n")
    );
}
