//! Modules from outside the repository (registry, Git, HTTP) are never fetched; when
//! `terraform init` has already downloaded them, `.terraform/modules/modules.json` says where
//! each one is, and they are evaluated from there.

use super::module::ModuleConfig;
use super::scan::{ParsedModule, parse_file};
use crate::discover::is_terraform_file;
use crate::snapshot::{Snapshot, join};
use std::collections::BTreeMap;

/// Downloaded modules of a root module folder, by module key (`vpc`, `vpc.subnets`: the
/// module call names from the root down, as modules.json writes them).
pub fn load(snapshot: &dyn Snapshot, root: &str) -> BTreeMap<String, ModuleConfig> {
    let mut out = BTreeMap::new();
    let manifest = join(root, ".terraform/modules/modules.json");
    let Ok(bytes) = snapshot.read(&manifest) else {
        return out;
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return out;
    };
    let Some(modules) = json.get("Modules").and_then(|m| m.as_array()) else {
        return out;
    };
    for m in modules {
        let (Some(key), Some(dir)) = (
            m.get("Key").and_then(|k| k.as_str()),
            m.get("Dir").and_then(|d| d.as_str()),
        ) else {
            continue;
        };
        if key.is_empty() {
            continue;
        }
        let dir = join(root, dir);
        let mut parsed = ParsedModule {
            dir: dir.clone(),
            ..Default::default()
        };
        for file in snapshot
            .list_dir(&dir)
            .into_iter()
            .filter(|f| is_terraform_file(f))
        {
            let text = snapshot
                .read(&file)
                .ok()
                .and_then(|b| crate::source::decode(&file, &b).ok());
            match text.map(|t| parse_file(&file, &t)) {
                Some(Ok(f)) => parsed.files.push(f),
                _ => parsed.parse_failures += 1,
            }
        }
        if !parsed.files.is_empty() {
            out.insert(key.to_string(), ModuleConfig::gather(&parsed));
        }
    }
    out
}
