use super::*;

#[test]
fn documented_examples() {
    assert_eq!(ok("abs", vec![n(-12.4)]), n(12.4));
    assert_eq!(ok("ceil", vec![n(5.1)]), n(6.0));
    assert_eq!(ok("ceil", vec![n(5.0)]), n(5.0));
    assert_eq!(ok("floor", vec![n(4.9)]), n(4.0));
    assert_eq!(ok("floor", vec![n(-4.1)]), n(-5.0));
    assert_eq!(
        ok("log", vec![n(50.0), n(10.0)]),
        n(50f64.ln() / 10f64.ln())
    );
    assert_eq!(ok("log", vec![n(16.0), n(2.0)]), n(4.0));
    assert_eq!(ok("log", vec![n(1.0), n(10.0)]), n(0.0));
    assert_eq!(ok("pow", vec![n(3.0), n(2.0)]), n(9.0));
    assert_eq!(ok("pow", vec![n(4.0), n(0.0)]), n(1.0));
    assert_eq!(ok("max", vec![n(12.0), n(54.0), n(3.0)]), n(54.0));
    assert_eq!(ok("min", vec![n(12.0), n(54.0), n(3.0)]), n(3.0));
    assert_eq!(ok("signum", vec![n(-13.0)]), n(-1.0));
    assert_eq!(ok("signum", vec![n(0.0)]), n(0.0));
    assert_eq!(ok("signum", vec![n(344.0)]), n(1.0));
    assert_eq!(ok("parseint", vec![s("100"), n(10.0)]), n(100.0));
    assert_eq!(ok("parseint", vec![s("FF"), n(16.0)]), n(255.0));
    assert_eq!(ok("parseint", vec![s("-10"), n(16.0)]), n(-16.0));
    assert_eq!(
        ok("parseint", vec![s("1011111011101111"), n(2.0)]),
        n(48879.0)
    );
    assert_eq!(ok("parseint", vec![s("aA"), n(62.0)]), n(656.0));
    assert_eq!(ok("parseint", vec![s("12"), n(36.0)]), n(38.0));
}

#[test]
fn errors() {
    assert_eq!(
        err("parseint", vec![s("12"), n(1.0)]),
        "Invalid value for \"base\" parameter: base must be a whole number between 2 and 62 inclusive."
    );
    assert_eq!(
        err("parseint", vec![s("FF"), n(10.0)]),
        "Invalid value for \"number\" parameter: cannot parse \"FF\" as a base 10 integer."
    );
    assert!(
        err("parseint", vec![n(12.0), n(10.0)])
            .contains("first argument must be a string, not number")
    );
    assert!(err("log", vec![n(-1.0), n(10.0)]).contains("result is not a number"));
    assert!(err("max", vec![]).contains("must pass at least one number"));
    assert_eq!(
        err("abs", vec![s("x")]),
        "Invalid value for \"num\" parameter: a number is required."
    );
    assert!(err("signum", vec![n(0.5)]).contains("whole number"));
    // Strings that are numbers convert.
    assert_eq!(ok("abs", vec![s("-3")]), n(3.0));
    assert_eq!(ok("max", vec![s("1"), n(2.0)]), n(2.0));
    assert_eq!(ok("abs", vec![unk()]), unk());
}
