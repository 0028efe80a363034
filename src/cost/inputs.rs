//! What pricing reads from the repository besides Terraform: the usage file and the price
//! overrides named in stackgate.yaml. Mistakes in them are findings; pricing goes on.

use super::usage::UsageFile;
use crate::config::Settings;
use crate::finding::Finding;
use crate::pricing::Overrides;
use crate::snapshot::Snapshot;

/// The usage file looked for when stackgate.yaml names none.
pub const DEFAULT_USAGE_FILE: &str = "infracost-usage.yml";

#[derive(Debug, Clone, Default)]
pub struct CostInputs {
    pub overrides: Overrides,
    pub usage: UsageFile,
    /// Which files were read, for the output (`infracost-usage.yml`).
    pub usage_file: Option<String>,
    pub overrides_file: Option<String>,
    pub findings: Vec<Finding>,
}

/// Reads the inputs from a snapshot. `usage_text` (name, text) replaces the usage file
/// (`--usage-file`).
pub fn load(
    snapshot: &dyn Snapshot,
    settings: &Settings,
    usage_text: Option<(String, String)>,
) -> CostInputs {
    let mut out = CostInputs::default();
    let read = |path: &str, out: &mut CostInputs| -> Option<String> {
        match snapshot.read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => Some(t),
                Err(_) => {
                    out.findings
                        .push(Finding::new("parse-error", path, 1, "not UTF-8 text"));
                    None
                }
            },
            Err(e) => {
                out.findings.push(Finding::new(
                    "config-pattern",
                    crate::config::FILE,
                    1,
                    format!("`{path}` named in stackgate.yaml cannot be read: {e}"),
                ));
                None
            }
        }
    };
    let usage = match usage_text {
        Some(given) => Some(given),
        None => match &settings.usage_file {
            Some(path) => read(path, &mut out).map(|t| (path.clone(), t)),
            None if snapshot.files().iter().any(|f| f == DEFAULT_USAGE_FILE) => {
                read(DEFAULT_USAGE_FILE, &mut out).map(|t| (DEFAULT_USAGE_FILE.to_string(), t))
            }
            None => None,
        },
    };
    if let Some((name, text)) = usage {
        let (usage, findings) = UsageFile::load(&name, &text);
        out.usage = usage;
        out.findings.extend(findings);
        out.usage_file = Some(name);
    }
    if let Some(path) = &settings.pricing_overrides
        && let Some(text) = read(path, &mut out)
    {
        let (overrides, findings) = Overrides::load(path, &text);
        out.overrides = overrides;
        out.findings.extend(findings);
        out.overrides_file = Some(path.clone());
    }
    out
}
