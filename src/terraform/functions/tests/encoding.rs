use super::*;

#[test]
fn base64() {
    assert_eq!(
        ok("base64encode", vec![s("Hello World")]),
        s("SGVsbG8gV29ybGQ=")
    );
    assert_eq!(ok("base64encode", vec![s("")]), s(""));
    assert_eq!(ok("base64encode", vec![s("ab")]), s("YWI="));
    assert_eq!(
        ok("base64decode", vec![s("SGVsbG8gV29ybGQ=")]),
        s("Hello World")
    );
    assert_eq!(ok("base64decode", vec![s("SGVs\nbG8=")]), s("Hello"));
    assert_eq!(
        err("base64decode", vec![s("dfg")]),
        "failed to decode base64 data \"dfg\"."
    );
    assert!(err("base64decode", vec![s("YQ==YQ==")]).contains("failed to decode"));
    assert!(err("base64decode", vec![s("/w==")]).contains("not valid UTF-8"));
    assert_eq!(
        ok("textencodebase64", vec![s("Hello World"), s("UTF-16LE")]),
        s("SABlAGwAbABvACAAVwBvAHIAbABkAA==")
    );
    assert_eq!(
        ok(
            "textdecodebase64",
            vec![s("SABlAGwAbABvACAAVwBvAHIAbABkAA=="), s("UTF-16LE")]
        ),
        s("Hello World")
    );
    assert_eq!(
        ok("textencodebase64", vec![s("é"), s("ISO-8859-1")]),
        s("6Q==")
    );
    assert_eq!(ok("textdecodebase64", vec![s("6Q=="), s("latin1")]), s("é"));
    assert_eq!(ok("textencodebase64", vec![s("hi"), s("utf-8")]), s("aGk="));
    assert!(
        err("textencodebase64", vec![s("☃"), s("ISO-8859-1")])
            .contains("cannot be represented in ISO-8859-1")
    );
    assert!(err("textdecodebase64", vec![s("/w=="), s("UTF-8")]).contains("not defined for UTF-8"));
    assert!(
        err("textdecodebase64", vec![s("#"), s("UTF-8")])
            .contains("invalid base64 symbol at offset 0")
    );
    assert_eq!(
        run("textencodebase64", vec![s("x"), s("windows-1252")]),
        Err(FnError::Unsupported)
    );
    assert_eq!(run("base64gzip", vec![s("x")]), Err(FnError::Unsupported));
}

#[test]
fn urlencode_like_go() {
    assert_eq!(
        ok("urlencode", vec![s("Hello World!")]),
        s("Hello+World%21")
    );
    assert_eq!(ok("urlencode", vec![s("☃")]), s("%E2%98%83"));
    assert_eq!(
        ok("urlencode", vec![s("foo:bar@localhost?foo=bar&bar=baz")]),
        s("foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz")
    );
    assert_eq!(ok("urlencode", vec![s("a-b_c.d~e/f")]), s("a-b_c.d~e%2Ff"));
}

#[test]
fn json() {
    assert_eq!(
        ok("jsonencode", vec![m(vec![("b", n(1.0)), ("a", s("<x>"))])]),
        s("{\"a\":\"\\u003cx\\u003e\",\"b\":1}")
    );
    assert_eq!(
        ok("jsonencode", vec![m(vec![("hello", s("world"))])]),
        s("{\"hello\":\"world\"}")
    );
    assert_eq!(ok("jsonencode", vec![Value::Null]), s("null"));
    assert_eq!(
        ok("jsonencode", vec![l(vec![n(1.5), b(true), Value::Null])]),
        s("[1.5,true,null]")
    );
    assert_eq!(ok("jsonencode", vec![n(1e21)]), s("1000000000000000000000"));
    assert_eq!(
        ok("jsonencode", vec![s("a&b\n\t\u{1}\u{2028}")]),
        s("\"a\\u0026b\\n\\t\\u0001\\u2028\"")
    );
    assert_eq!(ok("jsonencode", vec![l(vec![s("a"), unk()])]), unk());
    assert_eq!(
        ok("jsondecode", vec![s("{\"hello\": \"world\"}")]),
        m(vec![("hello", s("world"))])
    );
    assert_eq!(ok("jsondecode", vec![s("true")]), b(true));
    assert_eq!(
        ok("jsondecode", vec![s("[1, 2.5, null, \"x\"]")]),
        l(vec![n(1.0), n(2.5), Value::Null, s("x")])
    );
    assert!(
        err("jsondecode", vec![s("{\"a\": 1, \"a\": 2}")])
            .contains("duplicate \"a\" property in JSON object")
    );
    assert!(err("jsondecode", vec![s("{")]).contains("EOF while parsing"));
    assert!(err("jsondecode", vec![s("1 2")]).contains("extraneous data"));
    let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    assert!(err("jsondecode", vec![s(&deep)]).contains("recursion"));
}

#[test]
fn csv() {
    assert_eq!(
        ok("csvdecode", vec![s("a,b,c\n1,2,3\n4,5,6")]),
        l(vec![
            m(vec![("a", s("1")), ("b", s("2")), ("c", s("3"))]),
            m(vec![("a", s("4")), ("b", s("5")), ("c", s("6"))]),
        ])
    );
    assert_eq!(
        ok(
            "csvdecode",
            vec![s(
                "name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\nthen\"\r\n\r\n"
            )]
        ),
        l(vec![m(vec![
            ("name", s("Smith, J")),
            ("note", s("said \"hi\"\nthen"))
        ])])
    );
    assert_eq!(ok("csvdecode", vec![s("a,b\n")]), l(vec![]));
    assert!(err("csvdecode", vec![s("")]).contains("missing header line"));
    assert!(err("csvdecode", vec![s("a,a\n1,2")]).contains("duplicate column name \"a\""));
    assert_eq!(
        err("csvdecode", vec![s("a,b\n1,2\n3")]),
        "CSV parse error on line 3: wrong number of fields."
    );
    assert!(err("csvdecode", vec![s("a\nx\"y")]).contains("bare \" in non-quoted-field"));
    assert!(
        err("csvdecode", vec![s("a\n\"x")]).contains("extraneous or missing \" in quoted-field")
    );
}
