//! Running the policies: every project in parallel, every managed resource against every policy
//! in scope, stack instance values and forms too; then waivers decide what is suppressed.
//!
//! Where a finding points: a resource of a plain Terraform root at its block; a resource of a
//! stack instance at the instance value that set the offending value when there is one (that is
//! the line a developer edits), else at the instance's `spec.values`, with the stack's block
//! named in the message.

use super::date::Date;
use super::waiver::{self, Hit};
use super::{Policy, PolicySet, Rule, Verdict, forms, inline};
use crate::finding::Finding;
use crate::project::{Project, ProjectKind};
use crate::source::Texts;
use crate::stacks::Stack;
use crate::terraform::module::Mode;
use crate::terraform::resource::Resource;
use crate::yaml::{self, Seg};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the policies found: active findings (violations, unknowns, waiver problems) and the
/// violations waivers suppressed.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Finding>,
}

pub fn evaluate(
    set: &PolicySet,
    projects: &[Project],
    stacks: &[Stack],
    texts: &Texts,
    today: Date,
    costs: Option<super::cost_check::CostFacts>,
) -> Outcome {
    if set.policies.is_empty() {
        return Outcome::default();
    }
    let mut findings = Vec::new();

    let ids: BTreeSet<&str> = set.policies.iter().map(|p| p.id.as_str()).collect();
    let tf_files = texts
        .iter()
        .filter(|(path, _)| crate::discover::is_terraform_file(path))
        .map(|(path, text)| (path.as_str(), &**text));
    let (inline_waivers, inline_findings) = inline::scan(tf_files, &|id| ids.contains(id));
    findings.extend(inline_findings);

    let by_type = policies_by_type(&set.policies, projects);
    let hits: Vec<Hit> = projects
        .par_iter()
        .flat_map_iter(|p| project_hits(p, &set.policies, &by_type, texts))
        .collect();

    let (cost_hits, cost_notes) = super::cost_check::check(&set.policies, projects, costs);
    let mut hits = hits;
    hits.extend(cost_hits);
    findings.extend(cost_notes);
    findings.extend(forms::check(&set.policies, stacks));

    let mut waivers = set.waivers.clone();
    waivers.extend(inline_waivers);
    let (active, suppressed, about) = waiver::apply(hits, &waivers, today);
    findings.extend(active);
    findings.extend(about);
    Outcome {
        findings,
        suppressed,
    }
}

/// One stack instance finding and the resources it is about.
struct Grouped<'a> {
    finding: Finding,
    resources: Vec<&'a Resource>,
}

/// Lines in a stack instance file, read only when a finding needs one.
struct InstanceLines<'a> {
    text: Option<&'a str>,
    doc: Option<Option<yaml::Doc>>,
}

impl InstanceLines<'_> {
    fn line(&mut self, path: &[&str]) -> usize {
        let text = self.text;
        let doc = self
            .doc
            .get_or_insert_with(|| text.and_then(|t| yaml::parse_one(t).ok()));
        let segs: Vec<Seg> = path.iter().map(|s| Seg::Key((*s).to_string())).collect();
        doc.as_ref().map_or(1, |d| d.line(&segs))
    }
}

/// For each resource type in the run, the policies (by index) that can apply to it: type
/// globs and kind filters are matched once per type instead of once per resource.
fn policies_by_type<'a>(
    policies: &[Policy],
    projects: &'a [Project],
) -> HashMap<&'a str, Vec<usize>> {
    let mut types: Vec<&str> = projects
        .iter()
        .flat_map(|p| p.resources.iter().map(|r| r.r#type.as_str()))
        .collect();
    types.sort_unstable();
    types.dedup();
    types
        .into_iter()
        .map(|t| {
            let idx = policies
                .iter()
                .enumerate()
                .filter(|(_, p)| p.scope.applies_to_type(t) && p.rule.relevant(t))
                .map(|(i, _)| i)
                .collect();
            (t, idx)
        })
        .collect()
}

fn project_hits(
    p: &Project,
    policies: &[Policy],
    by_type: &HashMap<&str, Vec<usize>>,
    texts: &Texts,
) -> Vec<Hit> {
    let project_scope: Vec<bool> = policies
        .iter()
        .map(|pol| !matches!(pol.rule, Rule::Cost(_)) && pol.scope.applies_to_project(p))
        .collect();
    let in_scope: Vec<&Policy> = policies
        .iter()
        .zip(&project_scope)
        .filter(|(_, on)| **on)
        .map(|(pol, _)| pol)
        .collect();
    if in_scope.is_empty() {
        return Vec::new();
    }
    let instance = p.kind == ProjectKind::StackInstance;
    let inputs = if instance { flat_inputs(p) } else { Vec::new() };
    let mut lines = InstanceLines {
        text: texts.get(&p.path).map(|t| &**t),
        doc: None,
    };
    let mut hits = Vec::new();
    // Instance keys whose value a resource finding already points at, per policy.
    let mut covered: BTreeSet<(&str, &str)> = BTreeSet::new();
    // A stack instance's findings are grouped per policy, line and message: one value that
    // puts six resources in a forbidden region is one finding on that value's line.
    let mut grouped: BTreeMap<(&str, usize, String), Grouped> = BTreeMap::new();
    let mut verdicts = Vec::new();
    for r in &p.resources {
        if r.mode != Mode::Managed {
            continue;
        }
        let Some(candidates) = by_type.get(r.r#type.as_str()) else {
            continue;
        };
        for &i in candidates {
            let (Some(pol), Some(true)) = (policies.get(i), project_scope.get(i)) else {
                continue;
            };
            verdicts.clear();
            pol.rule.check(r, &mut verdicts);
            for v in verdicts.drain(..) {
                let key = match (&v, instance) {
                    (
                        Verdict::Violation {
                            value: Some(value), ..
                        },
                        true,
                    ) => input_key_for(&inputs, value, pol),
                    _ => None,
                };
                let Some(mut f) = finding(pol, v) else {
                    continue;
                };
                if instance {
                    let line = match key {
                        Some(k) => {
                            covered.insert((pol.id.as_str(), k));
                            lines.line(&["spec", "values", k])
                        }
                        None => lines.line(&["spec", "values"]),
                    };
                    let g = grouped
                        .entry((pol.id.as_str(), line, f.message.clone()))
                        .or_insert_with(|| Grouped {
                            finding: f,
                            resources: Vec::new(),
                        });
                    g.resources.push(r);
                    continue;
                }
                f.resource = Some(r.address.clone());
                f.file = r.file.clone();
                f.line = r.line;
                if !under(&r.file, &p.path) {
                    f.message = format!("{} (in project {})", f.message, p.name);
                }
                hits.push(Hit {
                    finding: f,
                    project: p.path.clone(),
                    addresses: vec![r.address.clone()],
                    blocks: blocks(r),
                });
            }
        }
    }
    for ((_, line, _), g) in grouped {
        let mut f = g.finding;
        f.file = p.path.clone();
        f.line = line;
        match g.resources.as_slice() {
            [r] => {
                f.resource = Some(r.address.clone());
                f.message = format!("{} (declared at {}:{})", f.message, r.file, r.line);
            }
            many => {
                const SHOWN: usize = 4;
                let mut names: Vec<&str> = many
                    .iter()
                    .take(SHOWN)
                    .map(|r| r.address.as_str())
                    .collect();
                if many.len() > SHOWN {
                    names.push("…");
                }
                f.message = format!(
                    "{} ({} resources: {})",
                    f.message,
                    many.len(),
                    names.join(", ")
                );
            }
        }
        hits.push(Hit {
            finding: f,
            project: p.path.clone(),
            addresses: g.resources.iter().map(|r| r.address.clone()).collect(),
            blocks: g.resources.iter().flat_map(|r| blocks(r)).collect(),
        });
    }
    // Values the instance sets directly: they are checked even when no resource used them
    // (or the instance was too broken to evaluate).
    for (key, value) in &inputs {
        for pol in &in_scope {
            if covered.contains(&(pol.id.as_str(), key.as_str())) {
                continue;
            }
            let Some(v) = pol.rule.check_value(key, value) else {
                continue;
            };
            let Some(mut f) = finding(pol, v) else {
                continue;
            };
            f.file = p.path.clone();
            f.line = lines.line(&["spec", "values", key]);
            f.message = format!("`{key}: {value}`: {}", f.message);
            hits.push(Hit {
                finding: f,
                project: p.path.clone(),
                addresses: Vec::new(),
                blocks: Vec::new(),
            });
        }
    }
    hits
}

/// A verdict as a finding (location filled in by the caller); `None` when the policy ignores
/// unknowns.
fn finding(pol: &Policy, v: Verdict) -> Option<Finding> {
    let (code, level, message, help) = match v {
        Verdict::Violation { message, help, .. } => ("policy-violation", pol.level, message, help),
        Verdict::Unknown { message } => (
            "policy-unknown",
            pol.on_unknown?,
            message,
            Some("set the value (tfvars, `var_files` in stackgate.yaml, the stack instance) so the policy can decide".to_string()),
        ),
    };
    let help = match (help, &pol.description) {
        (Some(h), Some(d)) => Some(format!("{h} — {d}")),
        (Some(h), None) => Some(h),
        (None, Some(d)) => Some(d.clone()),
        (None, None) => None,
    };
    let mut f = Finding::new(code, "", 1, message)
        .level(level)
        .policy(pol.id.clone());
    f.help = help;
    Some(f)
}

/// The instance's values as `key → text`, keys as written in the instance (`module.db.x`).
fn flat_inputs(p: &Project) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in &p.inputs.variables {
        if let Some(s) = v.as_str() {
            out.push((k.clone(), s.to_string()));
        }
    }
    for (m, args) in &p.inputs.module_arguments {
        for (k, v) in args {
            if let Some(s) = v.as_str() {
                out.push((format!("module.{m}.{k}"), s.to_string()));
            }
        }
    }
    out.sort();
    out
}

/// The instance key that set `value`: one whose name suits the policy kind first.
fn input_key_for<'a>(inputs: &'a [(String, String)], value: &str, pol: &Policy) -> Option<&'a str> {
    let matching = inputs.iter().filter(|(_, v)| v == value);
    let mut first = None;
    for (k, _) in matching {
        first.get_or_insert(k.as_str());
        if pol.rule.judges_key(k) {
            return Some(k);
        }
    }
    first
}

fn blocks(r: &Resource) -> Vec<(String, usize)> {
    let mut b = vec![(r.file.clone(), r.line)];
    b.extend(r.call_chain.iter().map(|c| (c.file.clone(), c.line)));
    b
}

fn under(file: &str, dir: &str) -> bool {
    dir.is_empty()
        || file
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}
