//! Reads the JSON output of `terraform show -json <planfile>` (committed as `*.tfplan.json`) into
//! the same resource model static evaluation builds, from the plan's exact values: planned values
//! of every module, unknown-after-apply attributes marked, provider alias and region from the
//! plan's configuration, effective tags with their sources.

use super::module::{At, Mode, ProviderRef};
use super::plan_text::{Address, Lines, locate, parse_address};
use super::providers::{self, ProviderState};
use super::resource::{CallSite, InstanceKey, ProviderInfo, Resource, Tag, TagSource};
use super::value::Value;
use crate::finding::Finding;
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Why an attribute marked in `after_unknown` has no value.
const AFTER_APPLY: &str = "known after apply (from the plan)";

/// Resources of a plan (the planned values of the root module and every child module,
/// recursively, plus the data sources read during planning, which Terraform records in the prior
/// state only), sorted by address. `file` is the plan file's repo-relative path; resources point
/// at it (line of the resource's `"address"` in the text when findable, else 1).
pub fn read_plan(file: &str, text: &str) -> Result<Vec<Resource>, Box<Finding>> {
    let root: Json = serde_json::from_str(text).map_err(|e| {
        Box::new(
            Finding::new(
                "parse-error",
                file,
                e.line(),
                format!("not a Terraform JSON plan: invalid JSON: {e}"),
            )
            .column(e.column()),
        )
    })?;
    let top = root
        .as_object()
        .ok_or_else(|| not_a_plan(file, "the top level is not a JSON object"))?;
    let version = top
        .get("format_version")
        .and_then(Json::as_str)
        .ok_or_else(|| not_a_plan(file, "it has no `format_version`"))?;
    // A new major version may change the meaning of fields; 0.x (Terraform 0.12–1.0) and 1.x read
    // the same way.
    let major = version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    if !matches!(major, Some(0 | 1)) {
        return Err(not_a_plan(
            file,
            &format!("`format_version` is {version:?}; stackgate reads format 1.x"),
        ));
    }
    let planned = top
        .get("planned_values")
        .filter(|v| v.is_object())
        .ok_or_else(|| {
            not_a_plan(
                file,
                "it has no `planned_values` (a state file or `terraform show -json` without a plan file?)",
            )
        })?;
    let plan = Plan::new(file, top, locate(text));

    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut planned_resources = Vec::new();
    module_resources(planned.get("root_module"), &mut planned_resources);
    for r in planned_resources {
        if let Some(res) = plan.resource(r, "planned_values", true) {
            if seen.insert(res.address.clone()) {
                out.push(res);
            }
        }
    }
    // Data sources read while planning are not changes: only the refreshed prior state has them.
    let mut prior = Vec::new();
    module_resources(
        top.get("prior_state")
            .and_then(|s| s.get("values"))
            .and_then(|v| v.get("root_module")),
        &mut prior,
    );
    for r in prior {
        if r.get("mode").and_then(Json::as_str) != Some("data") {
            continue;
        }
        if let Some(res) = plan.resource(r, "prior_state", false) {
            if seen.insert(res.address.clone()) {
                out.push(res);
            }
        }
    }
    out.sort_by(|a, b| a.address.cmp(&b.address));
    Ok(out)
}

fn not_a_plan(file: &str, why: &str) -> Box<Finding> {
    Box::new(
        Finding::new(
            "parse-error",
            file,
            1,
            format!("not a Terraform JSON plan: {why}"),
        )
        .help("write it with `terraform show -json plan.out > name.tfplan.json`"),
    )
}

/// The resource objects of a module and its child modules, depth first.
fn module_resources<'a>(module: Option<&'a Json>, out: &mut Vec<&'a Json>) {
    let Some(m) = module else { return };
    if let Some(rs) = m.get("resources").and_then(Json::as_array) {
        out.extend(rs.iter().filter(|r| r.is_object()));
    }
    if let Some(children) = m.get("child_modules").and_then(Json::as_array) {
        for c in children {
            module_resources(Some(c), out);
        }
    }
}

/// What every resource of the plan is read against.
struct Plan<'a> {
    file: &'a str,
    /// `resource_changes` by address (current objects only, not deposed ones).
    changes: HashMap<&'a str, &'a Map<String, Json>>,
    provider_config: Option<&'a Map<String, Json>>,
    config_root: Option<&'a Json>,
    lines: Lines,
}

impl<'a> Plan<'a> {
    fn new(file: &'a str, top: &'a Map<String, Json>, lines: Lines) -> Plan<'a> {
        let mut changes = HashMap::new();
        for c in top
            .get("resource_changes")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_object)
        {
            if c.get("deposed").is_some_and(|d| !d.is_null()) {
                continue;
            }
            if let Some(a) = c.get("address").and_then(Json::as_str) {
                changes.entry(a).or_insert(c);
            }
        }
        let configuration = top.get("configuration");
        Plan {
            file,
            changes,
            provider_config: configuration
                .and_then(|c| c.get("provider_config"))
                .and_then(Json::as_object),
            config_root: configuration.and_then(|c| c.get("root_module")),
            lines,
        }
    }

    /// One resource of `planned_values` or `prior_state`; `None` when it has no usable address
    /// or is being destroyed.
    fn resource(&self, r: &Json, root: &str, planned: bool) -> Option<Resource> {
        let address = r.get("address").and_then(Json::as_str)?;
        let parsed = parse_address(address)?;
        let change = self.changes.get(address).copied();
        let actions: Vec<&str> = change
            .and_then(|c| c.get("change"))
            .and_then(|c| c.get("actions"))
            .and_then(Json::as_array)
            .map(|a| a.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        // Destroyed or forgotten objects will not exist (as managed ones) after apply.
        if planned
            && !actions.is_empty()
            && actions.iter().all(|a| matches!(*a, "delete" | "forget"))
        {
            return None;
        }
        let config = self.config_resource(&parsed);
        // The prior state keeps data sources whose block is gone until apply removes them.
        if !planned && self.config_root.is_some() && config.is_none() {
            return None;
        }
        let text = |k: &str| r.get(k).and_then(Json::as_str);
        let mode = match text("mode") {
            Some("data") => Mode::Data,
            Some("managed") => Mode::Managed,
            _ if parsed.data => Mode::Data,
            _ => Mode::Managed,
        };
        let r#type = text("type").unwrap_or(&parsed.r#type).to_string();
        let name = text("name").unwrap_or(&parsed.name).to_string();
        let index = match r.get("index") {
            Some(Json::Number(n)) => n
                .as_u64()
                .and_then(|i| usize::try_from(i).ok())
                .map(InstanceKey::Int),
            Some(Json::String(s)) => Some(InstanceKey::Str(s.clone())),
            _ => parsed.key.clone(),
        };

        let mut attributes = match r.get("values") {
            Some(v @ Json::Object(_)) => Value::from_json(v),
            _ => Value::Map(BTreeMap::new()),
        };
        if let Some(u) = change
            .and_then(|c| c.get("change"))
            .and_then(|c| c.get("after_unknown"))
        {
            mark_unknown(&mut attributes, u);
        }

        let full_provider = text("provider_name").or_else(|| {
            change
                .and_then(|c| c.get("provider_name"))
                .and_then(Json::as_str)
        });
        let short = match full_provider {
            Some(p) => p.rsplit('/').next().unwrap_or(p).to_string(),
            None => r#type.split('_').next().unwrap_or(&r#type).to_string(),
        };
        // Without a key (no configuration) or with one that is not listed (an older key form),
        // the module's configuration of that provider, inherited from its parents.
        let config_key = config
            .and_then(|c| c.get("provider_config_key"))
            .and_then(Json::as_str);
        let local = config_key.map_or(short.as_str(), |k| k.rsplit(':').next().unwrap_or(k));
        let module_key = if parsed.module_names.is_empty() {
            local.to_string()
        } else {
            let path: Vec<String> = parsed
                .module_names
                .iter()
                .map(|n| format!("module.{n}"))
                .collect();
            format!("{}:{local}", path.join("."))
        };
        let (key, entry) = match config_key
            .and_then(|k| self.provider_entry(k))
            .or_else(|| self.provider_entry(&module_key))
        {
            Some((k, e)) => (k, Some(e)),
            None => (config_key.map_or(module_key, str::to_string), None),
        };
        let alias = entry
            .and_then(|e| e.get("alias"))
            .and_then(Json::as_str)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .or_else(|| ProviderRef::parse(key.rsplit(':').next().unwrap_or(&key)).alias);
        let state = entry.map(|e| self.provider_state(&key, e, &short, alias.clone()));
        let region = region(&r#type, &attributes, state.as_ref(), &short);

        let line = self
            .lines
            .addresses
            .get(&(root.to_string(), address.to_string()))
            .copied()
            .unwrap_or(1);
        let tags = if mode == Mode::Data {
            BTreeMap::new()
        } else {
            self.tags(&attributes, line, &key, state.as_ref())
        };
        let call_chain = parsed
            .module_steps
            .iter()
            .scan(String::new(), |path, step| {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(step);
                Some(CallSite {
                    module: path.clone(),
                    file: self.file.to_string(),
                    line: 1,
                })
            })
            .collect();
        Some(Resource {
            address: address.to_string(),
            mode,
            r#type,
            name,
            index,
            module: parsed.module_steps.join("."),
            provider: ProviderInfo {
                name: short,
                alias,
                region,
            },
            attributes,
            tags,
            file: self.file.to_string(),
            line,
            call_chain,
            stand_in: None,
            tags_unknown: None,
        })
    }

    /// The resource's block in `configuration`: module calls by name (configuration is per
    /// module, not per instance), then the resource by its module-relative address.
    fn config_resource(&self, a: &Address) -> Option<&'a Json> {
        let mut module = self.config_root?;
        for name in &a.module_names {
            module = module.get("module_calls")?.get(name)?.get("module")?;
        }
        let relative = format!(
            "{}{}.{}",
            if a.data { "data." } else { "" },
            a.r#type,
            a.name
        );
        module
            .get("resources")?
            .as_array()?
            .iter()
            .find(|r| r.get("address").and_then(Json::as_str) == Some(relative.as_str()))
    }

    /// The provider configuration a key names. Keys are `aws`, `aws.west`,
    /// `module.net:aws.west` (or with a bare module name, `net:aws`). A module key that is not
    /// listed uses the configuration its parent module passes down implicitly, so walk up.
    fn provider_entry(&self, key: &str) -> Option<(String, &'a Map<String, Json>)> {
        let configs = self.provider_config?;
        let mut key = key.to_string();
        loop {
            if let Some(e) = configs.get(&key).and_then(Json::as_object) {
                return Some((key, e));
            }
            let (module, provider) = key.rsplit_once(':')?;
            let parent = match module.rfind(".module.") {
                Some(i) => module.get(..i).unwrap_or(""),
                None if module.starts_with("module.") => "",
                None => module.rsplit_once('.').map_or("", |(p, _)| p),
            };
            key = if parent.is_empty() {
                provider.to_string()
            } else {
                format!("{parent}:{provider}")
            };
        }
    }

    /// A provider configuration's region, zone and constant default tags, as static evaluation
    /// would have them.
    fn provider_state(
        &self,
        key: &str,
        entry: &Map<String, Json>,
        short: &str,
        alias: Option<String>,
    ) -> ProviderState {
        let exprs = entry.get("expressions");
        let setting = |name: &str| match exprs.and_then(|e| e.get(name)) {
            None | Some(Json::Null) => Value::Null,
            Some(e) => match e.get("constant_value") {
                Some(v) => Value::from_json(v),
                None => Value::unknown(format!(
                    "the `{name}` of provider configuration `{key}` is an expression ({}); the plan does not record its value",
                    references(e)
                )),
            },
        };
        let mut default_tags = BTreeMap::new();
        for block in exprs
            .and_then(|e| e.get("default_tags"))
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(Json::Object(tags)) =
                block.get("tags").and_then(|t| t.get("constant_value"))
            {
                default_tags.extend(tags.iter().map(|(k, v)| (k.clone(), Value::from_json(v))));
            }
        }
        ProviderState {
            r#ref: ProviderRef {
                name: short.to_string(),
                alias,
            },
            region: setting("region"),
            zone: setting("zone"),
            default_tags,
            // A plan holds exact values.
            default_tags_unknown: None,
            at: At {
                file: self.file.to_string(),
                line: self.lines.providers.get(key).copied().unwrap_or(1),
            },
        }
    }

    /// Effective tags. AWS plans hold them whole in `tags_all` (provider `default_tags`
    /// included) and Google ones in `terraform_labels`; a key also in the resource's own
    /// `tags` / `labels` was set by the resource.
    fn tags(
        &self,
        attributes: &Value,
        line: usize,
        key: &str,
        state: Option<&ProviderState>,
    ) -> BTreeMap<String, Tag> {
        let get = |k: &str| attributes.as_map().and_then(|m| m.get(k));
        let own = get("tags")
            .or_else(|| get("labels"))
            .and_then(Value::as_map);
        let all = get("tags_all").or_else(|| get("terraform_labels"));
        let at = state.map_or(1, |s| s.at.line);
        let default = || TagSource::ProviderDefault {
            provider: key.to_string(),
            file: self.file.to_string(),
            line: at,
        };
        let resource = || TagSource::Resource {
            file: self.file.to_string(),
            line,
        };
        let mut out = BTreeMap::new();
        match all {
            Some(Value::Map(all)) => {
                for (k, v) in all {
                    let source = if own.is_some_and(|o| o.contains_key(k)) {
                        resource()
                    } else {
                        default()
                    };
                    out.insert(
                        k.clone(),
                        Tag {
                            value: v.clone(),
                            source,
                        },
                    );
                }
            }
            // Effective tags unknown until apply: the configuration's constant defaults,
            // overlaid by the resource's own. Types without `tags_all` get no defaults.
            _ => {
                let defaults = state.filter(|_| all.is_some_and(Value::is_unknown));
                for (k, v) in defaults.map(|s| &s.default_tags).into_iter().flatten() {
                    out.insert(
                        k.clone(),
                        Tag {
                            value: v.clone(),
                            source: default(),
                        },
                    );
                }
                for (k, v) in own.into_iter().flatten() {
                    out.insert(
                        k.clone(),
                        Tag {
                            value: v.clone(),
                            source: resource(),
                        },
                    );
                }
            }
        }
        out
    }
}

/// `var.region, local.x` from an expression's `references`, for messages.
fn references(expr: &Json) -> String {
    let refs: Vec<&str> = expr
        .get("references")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    if refs.is_empty() {
        "not a constant".to_string()
    } else {
        format!("refers to {}", refs.join(", "))
    }
}

/// The region: an AWS resource's own known `region` (AWS provider 6 sets one on every
/// resource), else what `providers::region_of` derives. Region arguments unknown until apply
/// are left out so the provider configuration decides, and come back when nothing else does.
fn region(r#type: &str, attributes: &Value, state: Option<&ProviderState>, short: &str) -> Value {
    const KEYS: [&str; 3] = ["region", "zone", "location"];
    let map = attributes.as_map();
    if short == "aws" {
        if let Some(Value::String(r)) = map.and_then(|m| m.get("region")) {
            return Value::string(r.clone());
        }
    }
    let unknown = |k: &str| map.and_then(|m| m.get(k)).filter(|v| v.contains_unknown());
    let region = if KEYS.iter().any(|k| unknown(k).is_some()) {
        let known: BTreeMap<String, Value> = map
            .into_iter()
            .flatten()
            .filter(|(k, _)| unknown(k).is_none())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        providers::region_of(r#type, &Value::Map(known), state, short)
    } else {
        providers::region_of(r#type, attributes, state, short)
    };
    // A configuration's own unknown region says more than "known after apply".
    let configured = state.is_some_and(|s| s.region != Value::Null || s.zone != Value::Null);
    if matches!(region, Value::String(_)) || (region.is_unknown() && configured) {
        return region;
    }
    KEYS.iter()
        .find_map(|k| unknown(k))
        .cloned()
        .unwrap_or(region)
}

/// Overlays `after_unknown` (same shape as the values, `true` where a value is unknown) onto
/// the known values.
fn mark_unknown(value: &mut Value, unknown: &Json) {
    fn has_true(u: &Json) -> bool {
        match u {
            Json::Bool(b) => *b,
            Json::Array(a) => a.iter().any(has_true),
            Json::Object(o) => o.values().any(has_true),
            _ => false,
        }
    }
    if !has_true(unknown) {
        return;
    }
    match unknown {
        Json::Bool(_) => *value = Value::unknown(AFTER_APPLY),
        Json::Object(o) => {
            if *value == Value::Null {
                *value = Value::Map(BTreeMap::new());
            }
            if let Value::Map(m) = value {
                for (k, u) in o.iter().filter(|(_, u)| has_true(u)) {
                    mark_unknown(m.entry(k.clone()).or_insert(Value::Null), u);
                }
            }
        }
        Json::Array(a) => {
            if *value == Value::Null {
                *value = Value::List(Vec::new());
            }
            if let Value::List(items) | Value::Set(items) = value {
                if items.len() < a.len() {
                    items.resize(a.len(), Value::Null);
                }
                for (item, u) in items.iter_mut().zip(a) {
                    mark_unknown(item, u);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
