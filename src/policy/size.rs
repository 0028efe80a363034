//! The size ladder of the `instance-type` policy kind: nano < micro < small < medium < large <
//! xlarge < 2xlarge < 3xlarge < … < metal, and the placing of AWS, Azure and GCP instance type
//! names on it. AWS names carry their ladder step; Azure and GCP names carry a vCPU count, which
//! is converted with AWS's own proportions (large = 2 vCPU, xlarge = 4, Nxlarge = 4·N).

use std::fmt;

/// A point on the ladder. The rank is large = 0, xlarge = 1, Nxlarge = N, medium = -1,
/// small = -2, micro = -3, nano = -4 and metal = +∞. Sizes read from a vCPU count may fall
/// between steps (6 vCPU = 1.5); the rank is never NaN.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Size(f64);

/// Names below `large`, by rank from -4.
const SMALL_NAMES: [&str; 5] = ["nano", "micro", "small", "medium", "large"];

pub const LADDER_DOC: &str = "Sizes are compared on the ladder nano < micro < small < medium < \
large < xlarge < 2xlarge < 3xlarge < 4xlarge < … < metal, read from the size part of AWS names \
(`m5.4xlarge`, `db.t3.micro`; any `.metal` type is `metal`). Azure sizes (`Standard_D8s_v5`) and \
GCP machine types (`n2-standard-8`) are placed by vCPU count the way AWS sizes are: 1 vCPU = \
medium, 2 = large, 4 = xlarge and N ≥ 4 vCPU = (N/4)xlarge, so 8 vCPU = 2xlarge and 6 vCPU falls \
between xlarge and 2xlarge; the number in an Azure name is its vCPU count except in the legacy \
A, D/DS (v1, v2) and G/GS series, whose published vCPU counts are used. GCP shared-core types \
(`e2-micro`, `g1-small`, `e2-medium`) keep their names and `*-metal` types are `metal`.";

impl Size {
    pub const METAL: Size = Size(f64::INFINITY);

    /// The rank: large = 0, xlarge = 1, Nxlarge = N, medium = -1 … nano = -4, metal = +∞.
    pub fn rank(self) -> f64 {
        self.0
    }

    /// The size of a machine with `vcpus` vCPUs (positive and finite, else `None`):
    /// log-scaled below 4 vCPU (1 = medium, 2 = large, 4 = xlarge), linear above (8 = 2xlarge).
    pub fn from_vcpus(vcpus: f64) -> Option<Size> {
        if !(vcpus.is_finite() && vcpus > 0.0) {
            return None;
        }
        Some(Size(if vcpus >= 4.0 {
            vcpus / 4.0
        } else {
            vcpus.log2() - 1.0
        }))
    }

    /// The ladder step `n xlarge` (1 = xlarge).
    fn xlarge(n: u32) -> Size {
        Size(f64::from(n))
    }

    /// The vCPU count this size stands for, the inverse of `from_vcpus` (None below medium,
    /// where the ladder names shared-core machines rather than vCPU counts).
    fn vcpus(self) -> Option<f64> {
        if self.0 >= 1.0 {
            Some(self.0 * 4.0)
        } else if self.0 >= -1.0 {
            Some((self.0 + 1.0).exp2())
        } else {
            None
        }
    }
}

/// The ladder name of an integer rank (finite).
fn step_name(rank: f64) -> String {
    if rank >= 2.0 {
        format!("{}xlarge", crate::terraform::value::format_number(rank))
    } else if rank >= 1.0 {
        "xlarge".to_string()
    } else {
        // Ranks -4..=0 index SMALL_NAMES (callers keep rank >= -4).
        let i = (rank + 4.0).max(0.0) as usize;
        SMALL_NAMES.get(i).copied().unwrap_or("nano").to_string()
    }
}

impl fmt::Display for Size {
    /// A ladder step prints its name (`2xlarge`, `medium`, `metal`). A size between steps
    /// (from a vCPU count) prints the count and its neighbours, `~6 vCPU (between xlarge and
    /// 2xlarge)`, rather than a made-up `1.5xlarge` that no cloud sells.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        if r == f64::INFINITY {
            return f.write_str("metal");
        }
        if !r.is_finite() || r < -4.0 {
            // Only tiny fractional vCPU counts get here; there is no step below nano.
            return f.write_str("smaller than nano");
        }
        if r.fract() == 0.0 {
            return f.write_str(&step_name(r));
        }
        let (low, high) = (step_name(r.floor()), step_name(r.ceil()));
        match self.vcpus() {
            Some(v) => {
                let v = crate::terraform::value::format_number((v * 100.0).round() / 100.0);
                write!(f, "~{v} vCPU (between {low} and {high})")
            }
            None => write!(f, "between {low} and {high}"),
        }
    }
}

/// A positive count written with ASCII digits only (no sign, no spaces), below 10^9.
fn count(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u32>().ok().filter(|n| *n > 0)
}

/// A ladder name in lower case.
fn ladder_lower(s: &str) -> Option<Size> {
    if s == "metal" {
        return Some(Size::METAL);
    }
    if let Some(i) = SMALL_NAMES.iter().position(|n| *n == s) {
        return Some(Size(i as f64 - 4.0));
    }
    if s == "xlarge" {
        return Some(Size::xlarge(1));
    }
    count(s.strip_suffix("xlarge")?).map(Size::xlarge)
}

/// `nano`, `micro`, `small`, `medium`, `large`, `xlarge`, `Nxlarge` (N ≥ 1) or `metal`;
/// case-insensitive, surrounding space ignored.
pub fn parse_ladder(s: &str) -> Option<Size> {
    ladder_lower(&s.trim().to_ascii_lowercase())
}

/// Where an AWS, Azure or GCP instance type name sits on the ladder; `None` when the name is
/// not one stackgate can read.
pub fn size_of(instance_type: &str) -> Option<Size> {
    let t = instance_type.trim();
    if t.is_empty() || !t.is_ascii() {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("standard_")
        .or_else(|| lower.strip_prefix("basic_"))
    {
        return azure(rest);
    }
    if lower.contains('.') {
        return aws(&lower);
    }
    // GCP accepts self-links and partial URLs (`zones/z/machineTypes/e2-medium`).
    gcp(lower.rsplit('/').next().unwrap_or(&lower))
}

/// Service prefixes in front of an EC2-style `family.size`: RDS/Neptune/DocumentDB/MemoryDB,
/// ElastiCache, DMS, Amazon MQ, MSK, SageMaker.
const AWS_PREFIXES: [&str; 6] = ["db", "cache", "dms", "mq", "kafka", "ml"];

/// AWS `family.size`, with optional service prefix and suffixes (`.search`, RDS `.tpc2.mem4x`).
fn aws(t: &str) -> Option<Size> {
    let mut parts: Vec<&str> = t.split('.').collect();
    if parts.len() > 2 && parts.first().is_some_and(|p| AWS_PREFIXES.contains(p)) {
        parts.remove(0);
    }
    while parts.len() > 2 && parts.last().is_some_and(|p| is_aws_suffix(p)) {
        parts.pop();
    }
    let [family, size] = parts.as_slice() else {
        return None;
    };
    let family_ok = family.starts_with(|c: char| c.is_ascii_lowercase())
        && family.bytes().any(|b| b.is_ascii_digit())
        && family
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !family_ok {
        return None;
    }
    match *size {
        // Redshift's ra3.xlplus: 4 vCPU.
        "xlplus" => Some(Size::xlarge(1)),
        s => match s.strip_prefix("metal-") {
            // m7i.metal-24xl: bare metal, whatever fraction of the host it names.
            Some(n) => n.strip_suffix("xl").and_then(count).map(|_| Size::METAL),
            None => ladder_lower(s),
        },
    }
}

/// `search`/`elasticsearch` (OpenSearch) and RDS optimized-CPU `tpcN` / `memNx`.
fn is_aws_suffix(p: &str) -> bool {
    p == "search"
        || p == "elasticsearch"
        || p.strip_prefix("tpc").is_some_and(|n| count(n).is_some())
        || p.strip_prefix("mem")
            .and_then(|n| n.strip_suffix('x'))
            .is_some_and(|n| count(n).is_some())
}

/// vCPUs of the legacy Azure series whose number is not a vCPU count, indexed by that
/// number (0 = no such size). A0 is a shared core, counted as 1 vCPU.
const LEGACY_A: [u32; 12] = [1, 1, 2, 4, 8, 2, 4, 8, 8, 16, 8, 16];
/// D and DS, v1 and v2: D1–D5 and the memory-optimized D11–D15.
const LEGACY_D: [u32; 16] = [0, 1, 2, 4, 8, 16, 0, 0, 0, 0, 0, 2, 4, 8, 16, 20];
/// G and GS.
const LEGACY_G: [u32; 6] = [0, 2, 4, 8, 16, 32];

/// An Azure size after its `Standard_`/`Basic_` prefix, lower-cased:
/// `d4s_v5`, `e64-16ds_v4`, `nc24ads_a100_v4`, `ds2_v2_promo`.
fn azure(rest: &str) -> Option<Size> {
    let (name, tail) = rest.split_once('_').unwrap_or((rest, ""));
    // The tail holds the version, accelerator and promo parts: `v5`, `a100_v4`, `v2_promo`.
    let tail_ok = tail.is_empty()
        || tail
            .split('_')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if !tail_ok {
        return None;
    }
    let digits_at = name.find(|c: char| c.is_ascii_digit())?;
    let (family, after) = name.split_at(digits_at);
    if family.is_empty() || !family.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let number_len = after
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after.len());
    let (number, mut features) = after.split_at(number_len);
    // Constrained-core sizes (`E64-16ds`) are priced and capped as the full size.
    if let Some(constrained) = features.strip_prefix('-') {
        let end = constrained
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(constrained.len());
        let (active, rest) = constrained.split_at(end);
        count(active)?;
        features = rest;
    }
    if !features.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    // `0` only names the legacy shared-core A0.
    let number: u32 = if number == "0" { 0 } else { count(number)? };
    let version = tail.split('_').find(|p| is_version(p));
    let legacy: Option<&[u32]> = match family {
        "a" if version.is_none() => Some(&LEGACY_A),
        "d" | "ds" if version.is_none_or(|v| v == "v2") => Some(&LEGACY_D),
        "g" | "gs" => Some(&LEGACY_G),
        _ => None,
    };
    let vcpus = match legacy {
        Some(table) => usize::try_from(number)
            .ok()
            .and_then(|i| table.get(i).copied())
            .filter(|v| *v > 0)?,
        None if number > 0 => number,
        None => return None,
    };
    Size::from_vcpus(f64::from(vcpus))
}

/// `v2`, `v5`: the generation part of an Azure name.
fn is_version(p: &str) -> bool {
    p.strip_prefix('v').is_some_and(|n| count(n).is_some())
}

/// vCPUs per GPU of GCP accelerator-optimized types named by GPU count (`a2-highgpu-2g`).
const GCP_PER_GPU: [(&str, u32); 7] = [
    ("a2-highgpu", 12),
    ("a2-megagpu", 6),
    ("a2-ultragpu", 12),
    ("a3-edgegpu", 26),
    ("a3-highgpu", 26),
    ("a3-megagpu", 26),
    ("a3-ultragpu", 28),
];

/// A GCP machine type, lower-cased: `e2-standard-4`, `n2-custom-6-20480`, `e2-micro`,
/// `custom-2-4096` (N1), `c3-standard-4-lssd`, `c3-highcpu-192-metal`; Cloud SQL tiers
/// (`db-custom-2-7680`, `db-f1-micro`) read the same after their `db-` prefix.
fn gcp(t: &str) -> Option<Size> {
    let t = t.strip_prefix("db-").unwrap_or(t);
    let tokens: Vec<&str> = t.split('-').collect();
    let (series, rest) = tokens.split_first()?;
    if *series == "custom" {
        return custom(rest, false);
    }
    let series_ok = series.starts_with(|c: char| c.is_ascii_lowercase())
        && series.bytes().any(|b| b.is_ascii_digit())
        && series.bytes().all(|b| b.is_ascii_alphanumeric());
    if !series_ok {
        return None;
    }
    let (class, rest) = rest.split_first()?;
    match *class {
        // Shared-core types (`e2-micro`) are named, not counted; nothing may follow.
        "micro" | "small" | "medium" if rest.is_empty() => ladder_lower(class),
        "micro" | "small" | "medium" => None,
        "custom" => custom(rest, true),
        class if class.bytes().all(|b| b.is_ascii_lowercase()) && !class.is_empty() => {
            let (n, extras) = rest.split_first()?;
            if !extras
                .iter()
                .all(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_lowercase()))
            {
                return None;
            }
            if extras.contains(&"metal") {
                return Some(Size::METAL);
            }
            let vcpus = match count(n) {
                Some(v) => v,
                None => {
                    let gpus = count(n.strip_suffix('g')?)?;
                    let shape = format!("{series}-{class}");
                    let per = GCP_PER_GPU.iter().find(|(s, _)| *s == shape)?.1;
                    gpus.checked_mul(per)?
                }
            };
            Size::from_vcpus(f64::from(vcpus))
        }
        _ => None,
    }
}

/// The tokens after `custom`: `6-20480[-ext]`, or for E2 shared-core `medium-4096`.
fn custom(rest: &[&str], shared_core_ok: bool) -> Option<Size> {
    let cpus = match rest {
        [cpus, memory] | [cpus, memory, "ext"] if count(memory).is_some() => *cpus,
        _ => return None,
    };
    match count(cpus) {
        Some(n) => Size::from_vcpus(f64::from(n)),
        None if shared_core_ok && matches!(cpus, "micro" | "small" | "medium") => {
            ladder_lower(cpus)
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
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
}
