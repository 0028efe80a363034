//! The embedded templates and assets, and the template environment: HTML auto-escaping, a
//! theme's overrides, and the few filters the templates need (money, percent, anchors).

use super::html::{self, escape};
use super::render::SiteError;
use super::theme::Theme;
use super::url::{is_safe_url, policy_anchor, project_anchor, scorecard_anchor};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Value;
use minijinja::{Environment, UndefinedBehavior};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Every template, by the name a theme overrides it with.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("index.html", include_str!("templates/index.html")),
    ("search.html", include_str!("templates/search.html")),
    ("catalog.html", include_str!("templates/catalog.html")),
    ("entity.html", include_str!("templates/entity.html")),
    ("stacks.html", include_str!("templates/stacks.html")),
    ("stack.html", include_str!("templates/stack.html")),
    ("instances.html", include_str!("templates/instances.html")),
    ("policies.html", include_str!("templates/policies.html")),
    ("scorecards.html", include_str!("templates/scorecards.html")),
    ("costs.html", include_str!("templates/costs.html")),
];

/// Every asset, written under `assets/`.
pub const ASSETS: &[(&str, &str)] = &[
    ("style.css", include_str!("assets/style.css")),
    ("search.js", include_str!("assets/search.js")),
];

/// What exists on the site, so templates link only to pages and anchors that are there.
#[derive(Debug, Default)]
pub struct Targets {
    /// A stack's canonical name to its page.
    pub stack_pages: BTreeMap<String, String>,
    /// Paths of the projects on `instances.html`.
    pub projects: BTreeSet<String>,
    /// Ids of the scorecards on `scorecards.html`.
    pub scorecards: BTreeSet<String>,
}

/// The environment with the embedded templates, then the theme's.
pub fn environment(theme: &Theme, targets: Targets) -> Result<Environment<'static>, SiteError> {
    let mut env = Environment::new();
    // Blocks on lines of their own leave no blank lines behind.
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .map_err(|e| template_error(&e, theme))?;
    env.set_syntax(syntax);
    // A misspelt variable fails the build (naming template and line) instead of printing
    // nothing; `if x.missing` stays allowed.
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_formatter(html::formatter);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| template_error(&e, theme))?;
    }
    for file in &theme.templates {
        let source = String::from_utf8(file.bytes.clone()).map_err(|e| SiteError::Io {
            path: file.path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?;
        env.add_template_owned(file.name.clone(), source)
            .map_err(|e| template_error(&e, theme))?;
    }
    env.add_filter("money", money);
    env.add_filter("percent", percent);
    env.add_filter("project_anchor", |path: &str| project_anchor(path));
    env.add_filter("policy_anchor", |id: &str| policy_anchor(id));
    env.add_filter("scorecard_anchor", |id: &str| scorecard_anchor(id));
    let targets = Arc::new(targets);
    let t = Arc::clone(&targets);
    env.add_filter("stack_page", move |name: Value| -> Value {
        name.as_str()
            .and_then(|n| t.stack_pages.get(n))
            .map_or(Value::from(()), |p| Value::from(p.as_str()))
    });
    let t = Arc::clone(&targets);
    env.add_filter("project_href", move |path: Value| -> Value {
        match path.as_str() {
            Some(p) if t.projects.contains(p) => {
                Value::from(format!("instances.html#{}", project_anchor(p)))
            }
            _ => Value::from(()),
        }
    });
    let t = Arc::clone(&targets);
    env.add_filter("scorecard_href", move |id: Value| -> Value {
        match id.as_str() {
            Some(id) if t.scorecards.contains(id) => {
                Value::from(format!("scorecards.html#{}", scorecard_anchor(id)))
            }
            _ => Value::from(()),
        }
    });
    env.add_test("safe_url", |url: Value| {
        url.as_str().is_some_and(is_safe_url)
    });
    Ok(env)
}

/// A template error, naming the theme file when the template comes from the theme.
pub fn template_error(err: &minijinja::Error, theme: &Theme) -> SiteError {
    let template = err.name().unwrap_or("?").to_string();
    let path = theme
        .templates
        .iter()
        .find(|f| f.name == template)
        .map(|f| f.path.clone());
    let mut message = err.kind().to_string();
    if let Some(detail) = err.detail() {
        message = format!("{message}: {detail}");
    }
    SiteError::Template {
        template,
        path,
        line: err.line(),
        message,
    }
}

/// `$1,234.56`; a missing amount is a dash whose tooltip says why (`why`).
fn money(value: Value, why: Option<String>) -> Value {
    match f64::try_from(value) {
        Ok(v) if v.is_finite() => Value::from_safe_string(escape(&html::usd(v))),
        _ => {
            let why = why.unwrap_or_else(|| "not priced".to_string());
            Value::from_safe_string(format!(
                r#"<span class="na" title="{}">–</span>"#,
                escape(&why)
            ))
        }
    }
}

/// A score from 0 to 1 as a whole percentage.
fn percent(value: Value) -> String {
    match f64::try_from(value) {
        Ok(v) if v.is_finite() => format!("{:.0}%", (v * 100.0).clamp(0.0, 100.0)),
        _ => "–".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    fn env() -> Environment<'static> {
        let targets = Targets {
            stack_pages: BTreeMap::from([("aws-rds".into(), "stacks/aws-rds.html".into())]),
            projects: BTreeSet::from(["infra/a b".into()]),
            scorecards: BTreeSet::from(["prod".into()]),
        };
        environment(&Theme::default(), targets).unwrap()
    }

    #[test]
    fn filters() {
        let env = env();
        let out = env
            .render_str(
                "{{ 1234.5 | money }} {{ none | money('no <price>') }} {{ 0.875 | percent }} \
                 {{ 'a b' | project_anchor }} {{ 'aws-rds' | stack_page }} {{ 'x' | stack_page is none }} \
                 {{ 'infra/a b' | project_href }} {{ 'x' | project_href is none }} \
                 {{ 'prod' | scorecard_href }} {{ 'x' | scorecard_href is none }}",
                (),
            )
            .unwrap();
        assert_eq!(
            out,
            "$1,234.50 <span class=\"na\" title=\"no &lt;price&gt;\">–</span> 88% project-a_20b \
             stacks/aws-rds.html True instances.html#project-infra/a_20b True \
             scorecards.html#scorecard-prod True"
        );
    }

    #[test]
    fn html_templates_escape_without_mangling_slashes() {
        let mut env = env();
        env.add_template(
            "t.html",
            "<a href=\"{{ u }}\">{{ t }}</a>{% if u is safe_url %}!{% endif %}",
        )
        .unwrap();
        let out = env
            .get_template("t.html")
            .unwrap()
            .render(context! { u => "../a/b.html?x=1&y='2'", t => "<script>" })
            .unwrap();
        assert_eq!(
            out,
            "<a href=\"../a/b.html?x=1&amp;y=&#39;2&#39;\">&lt;script&gt;</a>!"
        );
    }

    #[test]
    fn undefined_variables_are_errors_naming_template_and_line() {
        let mut env = env();
        env.add_template("u.html", "line one\n{{ nope.deeper }}")
            .unwrap();
        let err = env.get_template("u.html").unwrap().render(()).unwrap_err();
        let err = template_error(&err, &Theme::default());
        assert_eq!(
            err.to_string(),
            "template u.html, line 2: undefined value: `nope` is undefined"
        );
    }

    #[test]
    fn every_embedded_template_parses() {
        let env = env();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }
}
