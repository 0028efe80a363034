use super::*;

#[test]
fn digests_of_strings() {
    assert_eq!(
        ok("md5", vec![s("hello world")]),
        s("5eb63bbbe01eeed093cb22bb8f5acdc3")
    );
    assert_eq!(
        ok("md5", vec![s("")]),
        s("d41d8cd98f00b204e9800998ecf8427e")
    );
    assert_eq!(
        ok("sha1", vec![s("hello world")]),
        s("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")
    );
    assert_eq!(
        ok("sha1", vec![s(&"a".repeat(1000))]),
        s("291e9a6c66994949b57ba5e650361e98fc36b1ba")
    );
    assert_eq!(
        ok("sha256", vec![s("hello world")]),
        s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
    );
    // Padding boundaries: 55 bytes fit one block, 56 need two.
    assert_eq!(
        ok("sha256", vec![s(&"x".repeat(55))]),
        s("d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072")
    );
    assert_eq!(
        ok("sha256", vec![s(&"x".repeat(56))]),
        s("04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e")
    );
    assert_eq!(
        ok("sha512", vec![s("hello world")]),
        s(
            "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f"
        )
    );
    let long = ok("sha512", vec![s(&"y".repeat(112))]);
    assert!(
        long.as_str()
            .unwrap_or("")
            .starts_with("8a9b4960b8ba283f3ff4ae7c0cd9da8c"),
        "{long}"
    );
    assert_eq!(
        ok("base64sha256", vec![s("hello world")]),
        s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
    );
    assert_eq!(
        ok("base64sha512", vec![s("hello world")]),
        s(
            "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=="
        )
    );
}

#[test]
fn digests_of_files() {
    let env = Env::with(&[("hello.txt", "hello world")]);
    let c = |name: &str| call(name, vec![s("hello.txt")], &env);
    assert_eq!(c("filemd5"), Ok(s("5eb63bbbe01eeed093cb22bb8f5acdc3")));
    assert_eq!(
        c("filesha1"),
        Ok(s("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"))
    );
    assert_eq!(
        c("filesha256"),
        Ok(s(
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        ))
    );
    assert_eq!(
        c("filebase64sha256"),
        Ok(s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="))
    );
    assert!(matches!(c("filesha512"), Ok(Value::String(h)) if h.starts_with("309ecc48")));
    assert!(matches!(c("filebase64sha512"), Ok(Value::String(h)) if h.starts_with("MJ7MSJwS")));
    assert!(
        matches!(call("filemd5", vec![s("missing.txt")], &env), Err(FnError::Invalid(m)) if m.contains("missing.txt"))
    );
}

#[test]
fn uuidv5_is_deterministic() {
    assert_eq!(
        ok("uuidv5", vec![s("dns"), s("www.terraform.io")]),
        s("a5008fae-b28c-5ba5-96cd-82b4c53552d6")
    );
    assert_eq!(
        ok("uuidv5", vec![s("url"), s("https://www.terraform.io/")]),
        s("9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5")
    );
    assert_eq!(
        ok(
            "uuidv5",
            vec![s("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), s("x")]
        ),
        s("05b16a01-46c6-56dd-bd6e-c6dfb4a1427a")
    );
    assert_eq!(
        ok(
            "uuidv5",
            vec![s("{6ba7b810-9dad-11d1-80b4-00c04fd430c8}"), s("x")]
        ),
        s("05b16a01-46c6-56dd-bd6e-c6dfb4a1427a")
    );
    assert!(err("uuidv5", vec![s("nope"), s("x")]).contains("doesn't support namespace nope"));
}

#[test]
fn impure_functions_are_unknown() {
    for name in ["uuid", "timestamp", "plantimestamp"] {
        match ok(name, vec![]) {
            Value::Unknown(u) => {
                assert_eq!(&*u.reason, &format!("{name}() is only known at apply time"))
            }
            other => panic!("{name} gave {other}"),
        }
    }
    assert!(ok("bcrypt", vec![s("secret")]).is_unknown());
    assert!(ok("bcrypt", vec![s("secret"), n(10.0)]).is_unknown());
    assert!(err("bcrypt", vec![s("a"), n(1.0), n(2.0)]).contains("expects only 2"));
}
