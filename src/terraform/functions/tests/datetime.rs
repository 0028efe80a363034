use super::*;

fn fd(format: &str, time: &str) -> Value {
    ok("formatdate", vec![s(format), s(time)])
}

#[test]
fn formatdate_documented() {
    assert_eq!(
        fd("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z"),
        s("02 Jan 2018 23:12 UTC")
    );
    assert_eq!(
        fd("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z"),
        s("Tuesday, 02-Jan-18 23:12:01 UTC")
    );
    assert_eq!(
        fd("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00"),
        s("Tue, 02 Jan 2018 23:12:01 -0800")
    );
    assert_eq!(
        fd("MMM DD, YYYY", "2018-01-02T23:12:01Z"),
        s("Jan 02, 2018")
    );
    assert_eq!(fd("HH:mmaa", "2018-01-02T23:12:01Z"), s("11:12pm"));
    assert_eq!(fd("H:mm AA", "2018-01-02T00:05:01Z"), s("12:05 AM"));
    assert_eq!(fd("M/D/YY", "2018-01-02T23:12:01Z"), s("1/2/18"));
    assert_eq!(
        fd("MMMM EEE h:m:s", "2024-02-29T07:08:09Z"),
        s("February Thu 7:8:9")
    );
    assert_eq!(
        fd("Z ZZZZ ZZZZZ", "2018-01-02T23:12:01+05:30"),
        s("+05:30 +0530 +05:30")
    );
    assert_eq!(fd("Z", "2018-01-02T23:12:01Z"), s("Z"));
    assert_eq!(
        fd("'Date:' YYYY 'o''clock' ''", "2018-01-02T23:12:01Z"),
        s("Date: 2018 o'clock '")
    );
    assert_eq!(
        fd("YYYY-MM-DD", "2018-01-02T23:12:01.123456789Z"),
        s("2018-01-02")
    );
}

#[test]
fn formatdate_errors() {
    assert_eq!(
        err("formatdate", vec![s("YYY"), s("2018-01-02T23:12:01Z")]),
        "Invalid value for \"format\" parameter: invalid date format verb \"YYY\": year must either be \"YY\" or \"YYYY\"."
    );
    assert!(
        err("formatdate", vec![s("'abc"), s("2018-01-02T23:12:01Z")])
            .contains("unterminated literal")
    );
    assert!(
        err("formatdate", vec![s("q"), s("2018-01-02T23:12:01Z")])
            .contains("invalid date format verb \"q\"")
    );
    let bad = |t: &str| err("formatdate", vec![s("YYYY"), s(t)]);
    assert_eq!(
        bad("2018-01-02"),
        "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: missing required time introducer 'T'."
    );
    assert!(bad("abc").contains("cannot use \"abc\" as year"));
    assert!(bad("2018-13-02T00:00:00Z").contains("month out of range"));
    assert!(bad("2018-02-30T00:00:00Z").contains("day out of range"));
    assert!(bad("2018-02-01T1:00:00Z").contains("hour must have exactly two digits"));
    assert!(bad("2018-02-01T10:00:00").contains("end of string before UTC offset"));
    assert!(bad("2018-02-01T10:00:00Zx").contains("extra text: \"x\""));
    assert!(bad("2018-02-01T10:00:00+25:00").contains("cannot use \"+25:00\" as UTC offset"));
    assert!(bad("2018-02-01T24:00:00Z").contains("hour out of range"));
}

#[test]
fn timeadd_and_timecmp() {
    let add = |t: &str, d: &str| ok("timeadd", vec![s(t), s(d)]);
    assert_eq!(
        add("2017-11-22T00:00:00Z", "10m"),
        s("2017-11-22T00:10:00Z")
    );
    assert_eq!(
        add("2017-11-22T00:00:00Z", "-1h"),
        s("2017-11-21T23:00:00Z")
    );
    assert_eq!(
        add("2017-11-22T00:00:00+01:00", "1h30m"),
        s("2017-11-22T01:30:00+01:00")
    );
    assert_eq!(
        add("2016-02-28T12:00:00Z", "24h"),
        s("2016-02-29T12:00:00Z")
    );
    assert_eq!(add("2017-12-31T23:59:59Z", "1s"), s("2018-01-01T00:00:00Z"));
    assert_eq!(
        add("2017-11-22T00:00:00.5Z", "500ms"),
        s("2017-11-22T00:00:01Z")
    );
    assert_eq!(
        add("2017-11-22T00:00:00Z", "1.5h"),
        s("2017-11-22T01:30:00Z")
    );
    assert_eq!(
        add("1970-01-01T00:00:00Z", "-1ns"),
        s("1969-12-31T23:59:59Z")
    );
    assert_eq!(
        err("timeadd", vec![s("2017-11-22T00:00:00Z"), s("1d")]),
        "time: unknown unit \"d\" in duration \"1d\"."
    );
    assert!(
        err("timeadd", vec![s("2017-11-22T00:00:00Z"), s("1")])
            .contains("missing unit in duration \"1\"")
    );
    assert!(err("timeadd", vec![s("2017-11-22T00:00:00Z"), s("")]).contains("invalid duration"));
    assert!(
        err(
            "timeadd",
            vec![s("2017-11-22T00:00:00Z"), s("99999999999h")]
        )
        .contains("invalid duration")
    );

    let cmp = |a: &str, b: &str| ok("timecmp", vec![s(a), s(b)]);
    assert_eq!(cmp("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z"), n(0.0));
    assert_eq!(cmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z"), n(-1.0));
    assert_eq!(cmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00Z"), n(1.0));
    assert_eq!(
        cmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00-01:00"),
        n(0.0)
    );
    assert!(err("timecmp", vec![s("2017-11-22T00:00:00Z"), s("x")]).contains("\"timestamp_b\""));
}
