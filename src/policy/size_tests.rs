//! Tests of `size`.
use super::*;
use proptest::prelude::*;

fn ladder(s: &str) -> Size {
    parse_ladder(s).unwrap_or_else(|| panic!("{s} is a ladder name"))
}

/// Checks lines of `name rank` (rank `metal` for bare metal).
fn ranks(table: &str) {
    for line in table.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, want) = line.rsplit_once(' ').unwrap_or((line, "?"));
        let want = if want == "metal" {
            f64::INFINITY
        } else {
            want.parse().unwrap_or(f64::NAN)
        };
        assert_eq!(size_of(name).map(Size::rank), Some(want), "{name}");
    }
}

fn none_of(names: &str) {
    for name in names.split_whitespace() {
        assert_eq!(size_of(name), None, "{name}");
    }
}

#[test]
fn ladder_names_parse_in_order() {
    let names = "nano micro small medium large xlarge 2xlarge 3xlarge 4xlarge 12xlarge metal";
    let sizes: Vec<Size> = names.split(' ').map(ladder).collect();
    for pair in sizes.windows(2) {
        assert!(pair[0] < pair[1], "{:?} < {:?}", pair[0], pair[1]);
    }
    assert_eq!(ladder("large").rank(), 0.0);
    assert_eq!(ladder("nano").rank(), -4.0);
    assert_eq!(ladder("448xlarge").rank(), 448.0);
    assert_eq!(ladder("1xlarge"), ladder("xlarge"));
    assert_eq!(parse_ladder("  2XLarge \n"), Some(Size::xlarge(2)));
    assert_eq!(parse_ladder("METAL"), Some(Size::METAL));
}

#[test]
fn ladder_rejects_non_names() {
    let bad = [
        "",
        " ",
        "0xlarge",
        "-2xlarge",
        "+2xlarge",
        "2.5xlarge",
        "2 xlarge",
        "xxlarge",
        "2xl",
        "huge",
        "metal-24xl",
        "1234567890xlarge",
        "large2",
        "\u{663}xlarge",
    ];
    for s in bad {
        assert_eq!(parse_ladder(s), None, "{s:?}");
    }
}

#[test]
fn display_prints_ladder_names() {
    for n in "nano micro small medium large xlarge 2xlarge 24xlarge metal".split(' ') {
        assert_eq!(ladder(n).to_string(), n);
    }
    let d8 = size_of("Standard_D8s_v5").map(|s| s.to_string());
    assert_eq!(d8.as_deref(), Some("2xlarge"));
}

#[test]
fn display_between_steps_names_the_vcpus() {
    let show = |n: f64| Size::from_vcpus(n).map(|s| s.to_string());
    assert_eq!(
        show(6.0).as_deref(),
        Some("~6 vCPU (between xlarge and 2xlarge)")
    );
    assert_eq!(
        show(3.0).as_deref(),
        Some("~3 vCPU (between large and xlarge)")
    );
    assert_eq!(show(0.75).as_deref(), Some("between small and medium"));
    assert_eq!(show(0.001).as_deref(), Some("smaller than nano"));
}

#[test]
fn vcpus_map_like_aws() {
    let r = |n: f64| Size::from_vcpus(n).map(Size::rank);
    assert_eq!(r(1.0), Some(-1.0));
    assert_eq!(r(2.0), Some(0.0));
    assert_eq!(r(4.0), Some(1.0));
    assert_eq!(r(6.0), Some(1.5));
    assert_eq!(r(8.0), Some(2.0));
    assert_eq!(r(16.0), Some(4.0));
    for bad in [0.0, -4.0, f64::NAN, f64::INFINITY] {
        assert_eq!(r(bad), None, "{bad}");
    }
    let three = r(3.0).unwrap_or(f64::NAN);
    assert!(three > 0.0 && three < 1.0, "{three}");
}

#[test]
fn aws_names() {
    ranks(
        "t3.micro -3
        t3.nano -4
        t4g.small -2
        t3a.medium -1
        m5.large 0
        m5.xlarge 1
        m5.4xlarge 4
        c7gn.16xlarge 16
        x2iedn.32xlarge 32
        u-6tb1.112xlarge 112
        u7i-12tb.224xlarge 224
        M5.2XLARGE 2
        db.m5.large 0
        db.t3.micro -3
        db.r5.2xlarge.tpc2.mem4x 2
        cache.t3.micro -3
        cache.r6gd.xlarge 1
        r6g.large.search 0
        ultrawarm1.medium.search -1
        m4.large.elasticsearch 0
        ra3.4xlarge 4
        ra3.xlplus 1
        dc2.large 0
        kafka.m5.large 0
        dms.t3.medium -1
        mq.m5.xlarge 1
        ml.t3.medium -1
        mac1.metal metal
        m7i.metal-24xl metal
        c7i.metal-48xl metal
        u-6tb1.metal metal
        mac2-m2pro.metal metal",
    );
    assert_eq!(size_of(" t3.micro\t").map(Size::rank), Some(-3.0));
}

#[test]
fn aws_rejects_non_types() {
    none_of(
        "db.serverless m5 m5. .large m5.large.x m5..large x.large 5m.large m5.huge
        m7i.metal-xl m7i.metal-24 db.m5.large.search.tpc m_5.large m5.large.tpc0",
    );
}

#[test]
fn azure_names_by_vcpu() {
    ranks(
        "Standard_D4s_v5 1
        Standard_D8s_v5 2
        Standard_B2ms 0
        Standard_B1ls -1
        Standard_E64-16ds_v4 16
        Standard_M128ms 32
        Standard_M416-208s_v2 104
        Standard_A1_v2 -1
        Standard_A2m_v2 0
        Standard_NC24ads_A100_v4 6
        Standard_NC4as_T4_v3 1
        Standard_NV6ads_A10_v5 1.5
        Standard_HB120rs_v3 30
        Standard_F16s_v2 4
        Standard_D2s_v3 0
        Standard_DC8_v2 2
        standard_d4s_v5 1",
    );
}

#[test]
fn azure_legacy_series_use_published_vcpus() {
    ranks(
        "Basic_A1 -1
        Basic_A0 -1
        Standard_A0 -1
        Standard_A4 2
        Standard_A9 4
        Standard_DS2_v2 0
        Standard_D3_v2 1
        Standard_D4_v2 2
        Standard_DS5_v2 4
        Standard_D15i_v2 5
        Standard_DS13-4_v2 2
        Standard_D2_v2_Promo 0
        Standard_D4 2
        Standard_GS4-8 4
        Standard_G5 8",
    );
}

#[test]
fn azure_rejects_non_sizes() {
    none_of(
        "Standard_ Standard_D Standard_4 Standard_D0s_v5 Standard_D6_v2 Standard_D4s__v5
        Standard_D4s_v5_ Standard_D4-s_v5 Standard_D4-0s_v4 Standard_D4S-v5 Premium_LRS
        Standard_LRS Standard_D9999999999s Standard_A12 Standard_G6 Mix",
    );
    assert_eq!(size_of("Standard_D4s_v5 x"), None);
}

#[test]
fn gcp_names() {
    ranks(
        "e2-standard-4 1
        n2-highmem-16 4
        c3-standard-4-lssd 1
        c3d-highmem-360-lssd 90
        n2-custom-6-20480 1.5
        n2-custom-6-20480-ext 1.5
        n2d-custom-8-655360 2
        custom-2-4096 0
        e2-custom-medium-4096 -1
        e2-micro -3
        e2-small -2
        e2-medium -1
        f1-micro -3
        g1-small -2
        n1-standard-1 -1
        t2d-standard-2 0
        a2-highgpu-1g 3
        a2-megagpu-16g 24
        a3-highgpu-8g 52
        g2-standard-8 2
        zones/us-central1-a/machineTypes/n2-standard-8 2
        db-custom-2-7680 0
        db-f1-micro -3
        db-n1-standard-4 1
        E2-Standard-4 1
        c3-highcpu-192-metal metal",
    );
}

#[test]
fn gcp_rejects_non_types() {
    none_of(
        "e2 e2- e2-standard e2-standard-0 e2-standard-four e2-micro-4 standard-4
        e2-standard-4- e2-standard-4-lssd2 ct5lp-hightpu-4t a9-highgpu-8g n2-custom-6
        n2-custom-x-1024 custom-micro-1024 e2-custom-medium db-perf-optimized-N-8
        us-central1-a projects/",
    );
}

#[test]
fn anything_else_is_none() {
    for t in [
        "",
        "   ",
        "large",
        "metal",
        "optimal",
        "${var.size}",
        "t3.micro\0",
        "\u{e9}2-micro",
    ] {
        assert_eq!(size_of(t), None, "{t:?}");
    }
}

#[test]
fn doc_states_the_ladder_and_mappings() {
    assert!(LADDER_DOC.contains("nano < micro"));
    assert!(LADDER_DOC.contains("Azure") && LADDER_DOC.contains("GCP"));
}

proptest! {
    #[test]
    fn never_panics(s in "\\PC{0,40}") {
        let _ = size_of(&s).map(|z| z.to_string());
        let _ = parse_ladder(&s).map(|z| z.to_string());
    }

    #[test]
    fn name_like_strings_give_sane_sizes(s in "[A-Za-z0-9_.\\-/]{0,30}") {
        if let Some(z) = size_of(&s) {
            prop_assert!(!z.rank().is_nan());
            prop_assert!(!z.to_string().is_empty());
        }
    }

    #[test]
    fn more_vcpus_is_never_smaller(a in 1u32..2000, b in 1u32..2000) {
        let (x, y) = (Size::from_vcpus(f64::from(a)), Size::from_vcpus(f64::from(b)));
        prop_assert_eq!(a <= b, x <= y);
    }
}
