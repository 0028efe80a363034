use super::*;

#[test]
fn table_is_sorted_and_complete() {
    let names: Vec<&str> = super::super::names().collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(names, sorted, "TABLE must be sorted and unique for lookup");
    // Terraform's built-in function list.
    for name in [
        "abs",
        "abspath",
        "alltrue",
        "anytrue",
        "base64decode",
        "base64encode",
        "base64gzip",
        "base64sha256",
        "base64sha512",
        "basename",
        "bcrypt",
        "can",
        "ceil",
        "chomp",
        "chunklist",
        "cidrhost",
        "cidrnetmask",
        "cidrsubnet",
        "cidrsubnets",
        "coalesce",
        "coalescelist",
        "compact",
        "concat",
        "contains",
        "csvdecode",
        "dirname",
        "distinct",
        "element",
        "endswith",
        "file",
        "filebase64",
        "filebase64sha256",
        "filebase64sha512",
        "fileexists",
        "filemd5",
        "fileset",
        "filesha1",
        "filesha256",
        "filesha512",
        "flatten",
        "floor",
        "format",
        "formatdate",
        "formatlist",
        "indent",
        "index",
        "issensitive",
        "join",
        "jsondecode",
        "jsonencode",
        "keys",
        "length",
        "log",
        "lookup",
        "lower",
        "matchkeys",
        "max",
        "md5",
        "merge",
        "min",
        "nonsensitive",
        "one",
        "parseint",
        "pathexpand",
        "plantimestamp",
        "pow",
        "range",
        "regex",
        "regexall",
        "replace",
        "reverse",
        "rsadecrypt",
        "sensitive",
        "setintersection",
        "setproduct",
        "setsubtract",
        "setunion",
        "sha1",
        "sha256",
        "sha512",
        "signum",
        "slice",
        "sort",
        "split",
        "startswith",
        "strcontains",
        "strrev",
        "substr",
        "sum",
        "templatefile",
        "templatestring",
        "textdecodebase64",
        "textencodebase64",
        "timeadd",
        "timecmp",
        "timestamp",
        "title",
        "tobool",
        "tolist",
        "tomap",
        "tonumber",
        "toset",
        "tostring",
        "transpose",
        "trim",
        "trimprefix",
        "trimspace",
        "trimsuffix",
        "try",
        "upper",
        "urlencode",
        "uuid",
        "uuidv5",
        "values",
        "yamldecode",
        "yamlencode",
        "zipmap",
    ] {
        assert!(names.contains(&name), "{name} is missing");
    }
}

#[test]
fn unknown_names_and_lazy_functions() {
    assert_eq!(run("nope", vec![]), Err(FnError::Unsupported));
    assert_eq!(
        run("provider::aws::arn_parse", vec![s("x")]),
        Err(FnError::Unsupported)
    );
    assert_eq!(run("try", vec![s("x")]), Err(FnError::Unsupported));
    assert_eq!(run("can", vec![s("x")]), Err(FnError::Unsupported));
    assert_eq!(run("core::upper", vec![s("x")]), Ok(s("X")));
    assert!(
        err("list", vec![s("a")])
            .contains("the \"list\" function was deprecated in Terraform v0.12")
    );
    assert!(err("map", vec![]).contains("use tomap({ ... })"));
}

#[test]
fn unknown_arguments_make_unknown_results() {
    let reason = Value::unknown("variable `name` has no value");
    assert_eq!(ok("upper", vec![reason.clone()]), reason);
    assert_eq!(
        ok("cidrsubnet", vec![s("10.0.0.0/16"), n(8.0), reason.clone()]),
        reason
    );
    assert_eq!(ok("md5", vec![reason.clone()]), reason);
    // Nested unknowns stop functions that read the items...
    assert_eq!(ok("sort", vec![l(vec![s("b"), reason.clone()])]), reason);
    // ...but not those that only move them around.
    assert_eq!(
        ok("reverse", vec![l(vec![s("b"), reason.clone()])]),
        l(vec![reason.clone(), s("b")])
    );
    assert_eq!(
        ok("element", vec![l(vec![s("b"), reason.clone()]), n(0.0)]),
        s("b")
    );
    assert_eq!(
        ok("tolist", vec![l(vec![reason.clone()])]),
        l(vec![reason.clone()])
    );
}

#[test]
fn arity_messages() {
    assert_eq!(
        err("cidrsubnet", vec![s("10.0.0.0/16"), n(8.0)]),
        "Not enough function arguments: function \"cidrsubnet\" expects 3 argument(s). Missing value for \"netnum\"."
    );
    assert_eq!(
        err("timestamp", vec![s("x")]),
        "Too many function arguments: function \"timestamp\" expects only 0 argument(s)."
    );
    // Variadic functions take any number.
    assert_eq!(
        ok("concat", vec![l(vec![]), l(vec![]), l(vec![])]),
        l(vec![])
    );
}
