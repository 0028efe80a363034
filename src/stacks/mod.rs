//! Cycloid stacks: `.cycloid.yml`, `.forms.yml` (StackForms), and stack instances validated
//! against their stack's form. Each stack is parsed once (regexps compiled, conditions parsed,
//! vars indexed by key); instances are then validated in parallel against that model.

mod condition;
mod cycloid;
pub mod forms;
mod instance;
mod lint;
mod validate;
pub mod values;

#[cfg(test)]
mod tests;

pub use condition::{CmpOp, Expr, Operand, ParseError, parse as parse_condition};
pub use cycloid::{CycloidFile, Technology, UseCaseConfig};
pub use forms::{Form, FormUseCase, Group, Section, Validation, Var, VarIndex, VarLines, VarRef};
pub use values::{
    Condition, DefaultOption, DefaultValue, Labeled, Values, ValuesOption, VarType, closest,
};

use crate::discover::StackDir;
use crate::finding::Finding;
use crate::project::{Project, ProjectKind, TerraformInputs};
use crate::schema::{self, Schema};
use crate::source::Texts;
use crate::terraform::TerraformScan;
use crate::yaml::{self, Doc};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

mod codes;
pub use codes::CODES;

/// A stack: its identity from `.cycloid.yml` and its use cases with their forms.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stack {
    pub dir: String,
    /// `canonical`, or the folder name when the file lacks one (already a schema error).
    pub canonical: String,
    pub name: String,
    pub description: Option<String>,
    pub author: Option<String>,
    pub image: Option<String>,
    pub version: Option<String>,
    pub keywords: Vec<String>,
    pub technologies: Vec<Technology>,
    pub status: Option<String>,
    pub template: bool,
    pub dependencies: Vec<String>,
    pub cycloid_file: String,
    pub canonical_line: usize,
    pub forms_file: Option<String>,
    pub forms_version: Option<String>,
    pub terraform_dir: Option<String>,
    /// Use cases of `config`, in file order, then those only the form has.
    pub use_cases: Vec<UseCase>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UseCase {
    pub name: String,
    /// `config.<use case>.name`.
    pub title: Option<String>,
    pub description: Option<String>,
    /// `cloud_provider`, else the stack's single `provider:` keyword.
    pub cloud_provider: Option<String>,
    pub config_line: Option<usize>,
    pub form: Option<FormUseCase>,
}

impl Stack {
    pub fn use_case(&self, name: &str) -> Option<&UseCase> {
        self.use_cases.iter().find(|u| u.name == name)
    }
}

/// Parses and checks every stack, in parallel; then canonicals across stacks.
pub fn load_stacks(
    dirs: &[StackDir],
    texts: &Texts,
    tf: &TerraformScan,
) -> (Vec<Stack>, Vec<Finding>) {
    let loaded: Vec<(Option<Stack>, Vec<Finding>)> =
        dirs.par_iter().map(|d| load_stack(d, texts, tf)).collect();
    let mut stacks = Vec::new();
    let mut findings = Vec::new();
    for (s, f) in loaded {
        findings.extend(f);
        stacks.extend(s);
    }
    stacks.sort_by(|a, b| a.dir.cmp(&b.dir));
    let mut first: HashMap<&str, &Stack> = HashMap::new();
    for s in &stacks {
        match first.get(s.canonical.as_str()) {
            Some(f) => findings.push(
                Finding::new(
                    "stack-canonical-duplicate",
                    s.cycloid_file.as_str(),
                    s.canonical_line,
                    format!(
                        "canonical `{}` is also used by {}:{}",
                        s.canonical, f.cycloid_file, f.canonical_line
                    ),
                )
                .resource(s.canonical.clone())
                .help(format!(
                    "instances of `{}` resolve to {}; give this stack its own canonical",
                    s.canonical, f.dir
                )),
            ),
            None => {
                first.insert(&s.canonical, s);
            }
        }
    }
    finding_sort(&mut findings);
    (stacks, findings)
}

/// Reads one YAML file of a stack: empty and unparsable files are findings.
fn read_yaml(file: &str, texts: &Texts, what: &str, findings: &mut Vec<Finding>) -> Option<Doc> {
    // Files that failed to decode are already reported.
    let text = texts.get(file)?;
    if text.trim().is_empty() {
        findings.push(Finding::new(
            "empty-file",
            file,
            1,
            format!("{what} is empty"),
        ));
        return None;
    }
    match yaml::parse_one(text) {
        Ok(doc) if doc.value.is_null() => {
            findings.push(Finding::new(
                "empty-file",
                file,
                1,
                format!("{what} holds no document"),
            ));
            None
        }
        Ok(doc) => Some(doc),
        Err(e) => {
            findings.push(yaml_finding(file, text, &e));
            None
        }
    }
}

/// A YAML error as a finding. serde_yaml reports a nested duplicate key at the start of its
/// mapping; the finding points at the second occurrence of the key instead.
pub(crate) fn yaml_finding(file: &str, text: &str, e: &yaml::YamlError) -> Finding {
    let f = Finding::new(
        "parse-error",
        file,
        e.pos.line,
        format!("invalid YAML: {}", e.message),
    );
    match duplicate_key_pos(text, e) {
        Some((line, column)) => Finding { line, ..f }.column(column),
        None => f.column(e.pos.column),
    }
}

/// Where the second `key:` of the mapping an error names is, scanning the block mapping that
/// starts at the error (or the top level). `None` when not found (flow mappings, or the error
/// already points past the first occurrence).
fn duplicate_key_pos(text: &str, e: &yaml::YamlError) -> Option<(usize, usize)> {
    const MARKER: &str = "duplicate entry with key ";
    let at = e.message.find(MARKER)?;
    let quoted = e.message.get(at + MARKER.len()..)?.trim();
    let key = serde_json::from_str::<String>(quoted)
        .unwrap_or_else(|_| quoted.trim_matches('"').to_string());
    // "spec: duplicate entry…" names a nested mapping, which the position points at.
    let (start, indent) = if at > 0 {
        (e.pos.line, e.pos.column.saturating_sub(1))
    } else {
        (1, 0)
    };
    let mut seen = 0;
    for (n, line) in text.lines().enumerate().skip(start.saturating_sub(1)) {
        let mut body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let raw = line.len() - body.len();
        if n + 1 != start && raw < indent {
            break; // the mapping ended: a dedent or the next sequence item
        }
        while let Some(rest) = body.strip_prefix("- ") {
            body = rest.trim_start();
        }
        let col = line.len() - body.len();
        let is_key = [key.clone(), format!("\"{key}\""), format!("'{key}'")]
            .iter()
            .any(|k| {
                body.strip_prefix(k.as_str())
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            });
        if col == indent && is_key {
            seen += 1;
            if seen == 2 {
                return Some((n + 1, col + 1));
            }
        }
    }
    None
}

fn load_stack(d: &StackDir, texts: &Texts, tf: &TerraformScan) -> (Option<Stack>, Vec<Finding>) {
    let mut findings = Vec::new();
    let Some(doc) = read_yaml(&d.cycloid, texts, "the stack file", &mut findings) else {
        return (None, findings);
    };
    findings.extend(schema::validate(Schema::Cycloid, &d.cycloid, &doc));
    let cy = cycloid::read(&doc);
    let folder = crate::snapshot::file_name(&d.dir).to_string();

    let form = d.forms.as_deref().and_then(|file| {
        let doc = read_yaml(file, texts, "the form", &mut findings)?;
        findings.extend(schema::validate(Schema::Forms, file, &doc));
        let (form, f) = forms::read(file, &doc);
        findings.extend(f);
        Some(form)
    });
    if let Some(form) = &form {
        let decls = d
            .terraform
            .as_deref()
            .and_then(|dir| lint::tf_decls(dir, tf));
        findings.extend(lint::check(&lint::Ctx {
            cycloid_file: &d.cycloid,
            cycloid: &cy,
            form,
            tf: decls.as_ref(),
            tf_dir: d.terraform.as_deref(),
        }));
    }

    let providers: Vec<&str> = cy
        .keywords
        .iter()
        .filter_map(|k| k.strip_prefix("provider:"))
        .collect();
    let keyword_provider = match providers.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    };
    let mut form_ucs: Vec<FormUseCase> = Vec::new();
    if let Some(form) = &form {
        for uc in &form.use_cases {
            // A duplicate is reported; the first definition wins.
            if !form_ucs.iter().any(|u| u.name == uc.name) {
                form_ucs.push(uc.clone());
            }
        }
    }
    let mut use_cases: Vec<UseCase> = cy
        .config
        .iter()
        .map(|c| UseCase {
            name: c.key.clone(),
            title: c.name.clone(),
            description: c.description.clone(),
            cloud_provider: c
                .cloud_provider
                .clone()
                .or_else(|| keyword_provider.clone()),
            config_line: Some(c.line),
            form: form_ucs
                .iter()
                .position(|u| u.name == c.key)
                .map(|i| form_ucs.remove(i)),
        })
        .collect();
    use_cases.extend(form_ucs.into_iter().map(|f| UseCase {
        name: f.name.clone(),
        title: None,
        description: None,
        cloud_provider: keyword_provider.clone(),
        config_line: None,
        form: Some(f),
    }));

    let stack = Stack {
        dir: d.dir.clone(),
        canonical: cy.canonical.clone().unwrap_or_else(|| folder.clone()),
        name: cy.name.clone().unwrap_or(folder),
        description: cy.description,
        author: cy.author,
        image: cy.image,
        version: cy.version,
        keywords: cy.keywords,
        technologies: cy.technologies,
        status: cy.status,
        template: cy.template,
        dependencies: cy.dependencies,
        cycloid_file: d.cycloid.clone(),
        canonical_line: cy.canonical_line,
        forms_file: d.forms.clone(),
        forms_version: form.as_ref().and_then(|f| f.version.clone()),
        terraform_dir: d.terraform.clone(),
        use_cases,
    };
    (Some(stack), findings)
}

/// Validates every instance, in parallel, and turns each into a project.
/// One project per use case of every stack with Terraform and a form, with every field at
/// its default: what a developer gets by accepting the form as it comes (the catalog shows its
/// monthly cost). The path is `<stack folder>#<use case>`.
pub fn default_projects(stacks: &[Stack]) -> Vec<Project> {
    let mut out = Vec::new();
    for stack in stacks {
        let (Some(tf), Some(form_file)) = (&stack.terraform_dir, &stack.forms_file) else {
            continue;
        };
        for uc in &stack.use_cases {
            let Some(form) = &uc.form else { continue };
            let inst = instance::Instance {
                file: form_file.clone(),
                name: format!("{} ({})", stack.canonical, uc.name),
                name_line: form.line,
                owner: None,
                component: None,
                stack: None,
                use_case: None,
                environment: None,
                values: Vec::new(),
                values_line: form.line,
            };
            // Required fields without a default are findings of the form's own checks.
            let (inputs, _) = validate::validate(&inst, form, form_file);
            let path = format!("{}#{}", stack.dir, uc.name);
            let mut p = Project::new(inst.name, path, ProjectKind::StackInstance);
            p.stack = Some(stack.canonical.clone());
            p.use_case = Some(uc.name.clone());
            p.terraform_dir = Some(tf.clone());
            p.inputs = inputs;
            out.push(p);
        }
    }
    out
}

pub fn load_instances(
    files: &[String],
    stacks: &[Stack],
    texts: &Texts,
) -> (Vec<Project>, Vec<Finding>) {
    let mut by_canonical: HashMap<&str, &Stack> = HashMap::new();
    for s in stacks {
        // Duplicates are reported by `load_stacks`; the first stack (by folder) wins.
        by_canonical.entry(s.canonical.as_str()).or_insert(s);
    }
    let mut canonicals: Vec<&str> = by_canonical.keys().copied().collect();
    canonicals.sort_unstable();

    let mut files: Vec<&String> = files.iter().collect();
    files.sort();
    files.dedup();
    type One = (
        Option<Project>,
        Vec<Finding>,
        Option<(Option<String>, String, usize)>,
    );
    let results: Vec<(&String, One)> = files
        .par_iter()
        .map(|file| {
            (
                *file,
                load_instance(file, texts, &by_canonical, &canonicals),
            )
        })
        .collect();

    let mut projects = Vec::new();
    let mut findings = Vec::new();
    let mut names: HashMap<(Option<String>, String), (&str, usize)> = HashMap::new();
    for (file, (project, f, ident)) in results {
        findings.extend(f);
        projects.extend(project);
        let Some((env, name, line)) = ident else {
            continue;
        };
        match names.get(&(env.clone(), name.clone())) {
            Some((first, first_line)) => {
                let env_text = env
                    .as_deref()
                    .map_or("without an environment".to_string(), |e| {
                        format!("in environment `{e}`")
                    });
                findings.push(
                    Finding::new(
                        "instance-name-duplicate",
                        file.as_str(),
                        line,
                        format!("stack instance `{name}` {env_text} is also defined in {first}:{first_line}"),
                    )
                    .resource(name.clone())
                    .help("instance names are unique within an environment; rename one"),
                );
            }
            None => {
                names.insert((env, name), (file.as_str(), line));
            }
        }
    }
    finding_sort(&mut findings);
    (projects, findings)
}

type Ident = (Option<String>, String, usize);

fn load_instance(
    file: &str,
    texts: &Texts,
    stacks: &HashMap<&str, &Stack>,
    canonicals: &[&str],
) -> (Option<Project>, Vec<Finding>, Option<Ident>) {
    let Some(text) = texts.get(file) else {
        return (None, Vec::new(), None);
    };
    let (inst, mut findings) = instance::read(file, text);
    let Some(inst) = inst else {
        return (None, findings, None);
    };
    let ident = Some((inst.environment.clone(), inst.name.clone(), inst.name_line));
    let Some(stack_ref) = &inst.stack else {
        // `spec.stack` is missing: a schema error already says so.
        return (None, findings, ident);
    };
    let Some(stack) = stacks.get(stack_ref.value.as_str()) else {
        let mut f = Finding::new(
            "instance-stack-unknown",
            file,
            stack_ref.line,
            format!("no stack has the canonical `{}`", stack_ref.value),
        )
        .resource(inst.name.clone());
        f = match values::closest(&stack_ref.value, canonicals.iter().copied()) {
            Some(s) => f.help(format!(
                "did you mean `{s}`? known stacks: {}",
                list(canonicals)
            )),
            None => f.help(format!("known stacks: {}", list(canonicals))),
        };
        findings.push(f);
        return (None, findings, ident);
    };

    let mut project = Project::new(inst.name.clone(), file, ProjectKind::StackInstance);
    project.stack = Some(stack.canonical.clone());
    project.environment = inst.environment.clone();
    project.owner = inst.owner.clone();
    project.component = inst.component.clone();
    project.terraform_dir = stack.terraform_dir.clone();

    let names: Vec<&str> = stack.use_cases.iter().map(|u| u.name.as_str()).collect();
    let use_case = match (&inst.use_case, stack.use_cases.as_slice()) {
        (Some(u), _) => match stack.use_case(&u.value) {
            Some(uc) => Some(uc),
            None => {
                let mut f = Finding::new(
                    "instance-use-case-unknown",
                    file,
                    u.line,
                    format!("stack `{}` has no use case `{}`", stack.canonical, u.value),
                )
                .resource(inst.name.clone());
                f = match values::closest(&u.value, names.iter().copied()) {
                    Some(s) => f.help(format!("did you mean `{s}`? use cases: {}", list(&names))),
                    None => f.help(format!(
                        "use cases of `{}`: {}",
                        stack.canonical,
                        list(&names)
                    )),
                };
                findings.push(f);
                None
            }
        },
        (None, [only]) => Some(only),
        (None, _) => {
            let line = inst.stack.as_ref().map_or(1, |s| s.line);
            let msg = if names.is_empty() {
                format!(
                    "stack `{}` defines no use case to validate the values against",
                    stack.canonical
                )
            } else {
                format!(
                    "stack `{}` has several use cases; `spec.useCase` must name one",
                    stack.canonical
                )
            };
            findings.push(
                Finding::new("instance-use-case-required", file, line, msg)
                    .resource(inst.name.clone())
                    .help(format!("use cases: {}", list(&names))),
            );
            None
        }
    };
    project.use_case = use_case.map(|u| u.name.clone());

    match (
        use_case.and_then(|u| u.form.as_ref()),
        stack.forms_file.as_deref(),
    ) {
        (Some(form), Some(form_file)) => {
            let (inputs, f) = validate::validate(&inst, form, form_file);
            project.inputs = inputs;
            findings.extend(f);
        }
        _ => {
            // Nothing to validate against: the values go to Terraform as written.
            let mut inputs = TerraformInputs::default();
            for v in inst.values.iter().filter(|v| !v.value.is_null()) {
                inputs.set(&v.key, v.value.clone());
            }
            project.inputs = inputs;
            if let (Some(uc), false) = (use_case, inst.values.is_empty()) {
                findings.push(
                    Finding::new(
                        "instance-unvalidated",
                        file,
                        inst.values_line,
                        format!("stack `{}` has no form for use case `{}`; the values are not validated", stack.canonical, uc.name),
                    )
                    .resource(inst.name.clone()),
                );
            }
        }
    }
    (Some(project), findings, ident)
}

fn list(items: &[&str]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    let mut shown: Vec<&str> = items.iter().take(20).copied().collect();
    if items.len() > 20 {
        shown.push("…");
    }
    shown.join(", ")
}

fn finding_sort(findings: &mut Vec<Finding>) {
    crate::finding::normalize(findings);
}
