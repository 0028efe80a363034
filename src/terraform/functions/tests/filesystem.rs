use super::*;

fn env() -> Env {
    Env::with(&[
        ("hello.txt", "Hello World"),
        ("tpl/backends.tftpl", "backend ${addr}:${port}"),
    ])
}

#[test]
fn reading_files() {
    let e = env();
    assert_eq!(call("file", vec![s("hello.txt")], &e), Ok(s("Hello World")));
    assert_eq!(
        call("filebase64", vec![s("hello.txt")], &e),
        Ok(s("SGVsbG8gV29ybGQ="))
    );
    assert_eq!(call("fileexists", vec![s("hello.txt")], &e), Ok(b(true)));
    assert_eq!(call("fileexists", vec![s("nope.txt")], &e), Ok(b(false)));
    assert_eq!(
        call("file", vec![s("nope.txt")], &e),
        Err(FnError::Invalid(
            "Invalid value for \"path\" parameter: cannot read \"nope.txt\": no such file in the repository.".into()
        ))
    );
    assert!(matches!(
        call("file", vec![s("~/.ssh/id_rsa.pub")], &e),
        Ok(Value::Unknown(_))
    ));
    assert!(matches!(
        call("fileexists", vec![s("~/x")], &e),
        Ok(Value::Unknown(_))
    ));
    assert_eq!(call("file", vec![unk()], &e), Ok(unk()));
    assert_eq!(
        call("fileset", vec![s("."), s("*.txt")], &e),
        Err(FnError::Unsupported)
    );
}

#[test]
fn templates() {
    let e = env();
    let vars = m(vec![("addr", s("10.0.0.1")), ("port", n(8080.0))]);
    assert_eq!(
        call(
            "templatefile",
            vec![s("tpl/backends.tftpl"), vars.clone()],
            &e
        ),
        Ok(s("backend 10.0.0.1:8080"))
    );
    assert_eq!(
        call("templatestring", vec![s("at ${addr}"), vars.clone()], &e),
        Ok(s("at 10.0.0.1"))
    );
    assert!(matches!(
        call("templatefile", vec![s("tpl/backends.tftpl"), m(vec![("addr", s("x"))])], &e),
        Err(FnError::Invalid(m)) if m.contains("vars map does not contain")
    ));
    assert!(matches!(
        call("templatefile", vec![s("tpl/backends.tftpl"), strs(&["x"])], &e),
        Err(FnError::Invalid(m)) if m.contains("invalid vars value: must be a map")
    ));
    assert!(matches!(
        call("templatefile", vec![s("tpl/backends.tftpl"), m(vec![("1x", s("x"))])], &e),
        Err(FnError::Invalid(m)) if m.contains("invalid template variable name \"1x\"")
    ));
    assert_eq!(
        call("templatefile", vec![s("tpl/backends.tftpl"), unk()], &e),
        Ok(unk())
    );
}

#[test]
fn paths() {
    assert_eq!(ok("basename", vec![s("foo/bar/baz.txt")]), s("baz.txt"));
    assert_eq!(ok("basename", vec![s("foo/bar/")]), s("bar"));
    assert_eq!(ok("basename", vec![s("/")]), s("/"));
    assert_eq!(ok("basename", vec![s("")]), s("."));
    assert_eq!(ok("dirname", vec![s("foo/bar/baz.txt")]), s("foo/bar"));
    assert_eq!(ok("dirname", vec![s("baz.txt")]), s("."));
    assert_eq!(ok("dirname", vec![s("/baz.txt")]), s("/"));
    assert_eq!(ok("dirname", vec![s("a/../b/./c")]), s("b"));
    assert_eq!(ok("abspath", vec![s("/a/b/../c/")]), s("/a/c"));
    assert!(ok("abspath", vec![s("a/b")]).is_unknown());
    assert_eq!(
        ok("pathexpand", vec![s("/etc/resolv.conf")]),
        s("/etc/resolv.conf")
    );
    assert!(ok("pathexpand", vec![s("~/.ssh/id_rsa")]).is_unknown());
    assert!(err("pathexpand", vec![s("~bob/x")]).contains("cannot expand user-specific home dir"));
}
