use super::*;

#[test]
fn cidrhost() {
    assert_eq!(
        ok("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]),
        s("10.12.112.16")
    );
    assert_eq!(
        ok("cidrhost", vec![s("10.12.112.0/20"), n(268.0)]),
        s("10.12.113.12")
    );
    assert_eq!(
        ok(
            "cidrhost",
            vec![s("fd00:fd12:3456:7890:00a2::/72"), n(34.0)]
        ),
        s("fd00:fd12:3456:7890::22")
    );
    assert_eq!(
        ok("cidrhost", vec![s("10.0.0.0/30"), n(-1.0)]),
        s("10.0.0.3")
    );
    assert_eq!(
        ok("cidrhost", vec![s("10.0.0.7/29"), n(1.0)]),
        s("10.0.0.1")
    );
    assert_eq!(ok("cidrhost", vec![s("::/0"), n(1.0)]), s("::1"));
    assert_eq!(
        ok("cidrhost", vec![s("::ffff:10.0.0.0/120"), n(5.0)]),
        s("10.0.0.5")
    );
    assert_eq!(
        err("cidrhost", vec![s("10.0.0.0/30"), n(4.0)]),
        "prefix of 30 does not accommodate a host numbered 4."
    );
    assert!(err("cidrhost", vec![s("10.0.0.0/30"), n(-5.0)]).contains("host numbered -1"));
    assert!(err("cidrhost", vec![s("10.0.0.0/30"), n(1.5)]).contains("whole number"));
}

#[test]
fn cidrnetmask() {
    assert_eq!(
        ok("cidrnetmask", vec![s("172.16.0.0/12")]),
        s("255.240.0.0")
    );
    assert_eq!(
        ok("cidrnetmask", vec![s("10.0.0.0/32")]),
        s("255.255.255.255")
    );
    assert_eq!(ok("cidrnetmask", vec![s("0.0.0.0/0")]), s("0.0.0.0"));
    assert_eq!(
        err("cidrnetmask", vec![s("fe80::/64")]),
        "IPv6 addresses cannot have a netmask: fe80::/64."
    );
}

#[test]
fn cidrsubnet() {
    assert_eq!(
        ok("cidrsubnet", vec![s("172.16.0.0/12"), n(4.0), n(2.0)]),
        s("172.18.0.0/16")
    );
    assert_eq!(
        ok("cidrsubnet", vec![s("10.1.2.0/24"), n(4.0), n(15.0)]),
        s("10.1.2.240/28")
    );
    assert_eq!(
        ok(
            "cidrsubnet",
            vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)]
        ),
        s("fd00:fd12:3456:7800:a200::/72")
    );
    assert_eq!(
        ok("cidrsubnet", vec![s("010.001.0.0/24"), n(4.0), n(1.0)]),
        s("10.1.0.16/28")
    );
    assert_eq!(
        ok("cidrsubnet", vec![s("10.0.0.0/8"), n(0.0), n(0.0)]),
        s("10.0.0.0/8")
    );
    assert_eq!(ok("cidrsubnet", vec![s("::/0"), n(0.0), n(0.0)]), s("::/0"));
    assert_eq!(
        err("cidrsubnet", vec![s("192.168.0.0/30"), n(4.0), n(6.0)]),
        "insufficient address space to extend prefix of 30 by 4."
    );
    assert!(
        err("cidrsubnet", vec![s("10.0.0.0/24"), n(2.0), n(4.0)])
            .contains("prefix extension of 2 does not accommodate a subnet numbered 4")
    );
    assert!(
        err("cidrsubnet", vec![s("10.0.0.0/24"), n(2.0), n(-1.0)]).contains("subnet numbered -1")
    );
    assert_eq!(
        err("cidrsubnet", vec![s("not-a-cidr"), n(4.0), n(6.0)]),
        "invalid CIDR expression: invalid CIDR address: not-a-cidr."
    );
    for bad in [
        "10.256.0.0/8",
        "10.0.0.0/33",
        "10.0.0.0",
        "1::2::3/64",
        "10.0.0.0/8x",
        "::g/8",
    ] {
        assert!(
            err("cidrsubnet", vec![s(bad), n(1.0), n(0.0)]).contains("invalid CIDR address"),
            "{bad}"
        );
    }
}

#[test]
fn cidrsubnets() {
    assert_eq!(
        ok(
            "cidrsubnets",
            vec![s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)]
        ),
        strs(&[
            "10.1.0.0/20",
            "10.1.16.0/20",
            "10.1.32.0/24",
            "10.1.48.0/20"
        ])
    );
    assert_eq!(
        ok(
            "cidrsubnets",
            vec![
                s("fd00:fd12:3456:7890::/56"),
                n(16.0),
                n(16.0),
                n(16.0),
                n(32.0)
            ]
        ),
        strs(&[
            "fd00:fd12:3456:7800::/72",
            "fd00:fd12:3456:7800:100::/72",
            "fd00:fd12:3456:7800:200::/72",
            "fd00:fd12:3456:7800:300::/88"
        ])
    );
    // Each subnet is aligned to its own size, so a gap may be left before it.
    assert_eq!(
        ok("cidrsubnets", vec![s("10.0.0.0/22"), n(2.0), n(1.0)]),
        strs(&["10.0.0.0/24", "10.0.2.0/23"])
    );
    assert!(
        err(
            "cidrsubnets",
            vec![s("10.0.0.0/22"), n(2.0), n(1.0), n(2.0)]
        )
        .contains("after 10.0.2.0/23")
    );
    assert_eq!(ok("cidrsubnets", vec![s("10.0.0.0/8")]), l(vec![]));
    assert_eq!(
        err("cidrsubnets", vec![s("10.0.0.0/30"), n(1.0), n(3.0)]),
        "Invalid value for \"newbits\" parameter: would extend prefix to 33 bits, which is too long for an IPv4 address."
    );
    assert!(
        err("cidrsubnets", vec![s("10.0.0.0/8"), n(1.0), n(1.0), n(1.0)])
            .contains("not enough remaining address space for a subnet with a prefix of 9 bits after 10.128.0.0/9")
    );
    assert!(
        err("cidrsubnets", vec![s("10.0.0.0/8"), n(1.0), n(0.0)])
            .contains("must extend prefix by at least one bit")
    );
    assert!(
        err("cidrsubnets", vec![s("fe80::/48"), n(1.0), n(33.0)])
            .contains("may not extend prefix by more than 32 bits")
    );
    assert!(
        err("cidrsubnets", vec![s("nope"), n(1.0)])
            .starts_with("Invalid value for \"prefix\" parameter: invalid CIDR")
    );
}
