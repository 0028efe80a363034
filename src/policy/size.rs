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
#[path = "size_tests.rs"]
mod tests;
