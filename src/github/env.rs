//! The GitHub Actions environment `stackgate pr` runs in. Read through a lookup function so
//! tests can simulate a runner without touching the process environment.

use std::fmt;
use std::path::PathBuf;

/// A token. Its `Debug` and `Display` print `***`, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(s: impl Into<String>) -> Token {
        Token(s.into())
    }

    /// The secret itself, for the `Authorization` header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone)]
pub struct GithubEnv {
    /// `GITHUB_ACTIONS=true`.
    pub actions: bool,
    pub event_name: Option<String>,
    pub event_path: Option<PathBuf>,
    /// `owner/name`.
    pub repository: Option<String>,
    pub token: Option<Token>,
    /// `https://api.github.com`, or a GitHub Enterprise Server's `https://host/api/v3`.
    pub api_url: String,
    pub server_url: String,
    pub step_summary: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub base_ref: Option<String>,
    pub run_id: Option<String>,
    pub workspace: Option<PathBuf>,
}

impl GithubEnv {
    /// Reads the variables through `get` (empty values count as unset).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> GithubEnv {
        let var = |name: &str| get(name).filter(|v| !v.is_empty());
        GithubEnv {
            actions: var("GITHUB_ACTIONS").as_deref() == Some("true"),
            event_name: var("GITHUB_EVENT_NAME"),
            event_path: var("GITHUB_EVENT_PATH").map(PathBuf::from),
            repository: var("GITHUB_REPOSITORY"),
            token: var("GITHUB_TOKEN").map(Token::new),
            api_url: var("GITHUB_API_URL")
                .map(|u| u.trim_end_matches('/').to_string())
                .unwrap_or_else(|| "https://api.github.com".into()),
            server_url: var("GITHUB_SERVER_URL")
                .map(|u| u.trim_end_matches('/').to_string())
                .unwrap_or_else(|| "https://github.com".into()),
            step_summary: var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            output: var("GITHUB_OUTPUT").map(PathBuf::from),
            base_ref: var("GITHUB_BASE_REF"),
            run_id: var("GITHUB_RUN_ID"),
            workspace: var("GITHUB_WORKSPACE").map(PathBuf::from),
        }
    }

    pub fn from_process() -> GithubEnv {
        GithubEnv::from_vars(|name| std::env::var(name).ok())
    }

    /// The page of this workflow run, where the job summary is.
    pub fn run_url(&self) -> Option<String> {
        Some(format!(
            "{}/{}/actions/runs/{}",
            self.server_url,
            self.repository.as_deref()?,
            self.run_id.as_deref()?
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn reads_the_runner_variables_and_defaults() {
        let vars: HashMap<&str, &str> = [
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_REPOSITORY", "acme/platform"),
            ("GITHUB_TOKEN", "ghs_secret"),
            ("GITHUB_API_URL", "https://ghe.acme.test/api/v3/"),
            ("GITHUB_RUN_ID", "42"),
            ("GITHUB_STEP_SUMMARY", ""),
        ]
        .into_iter()
        .collect();
        let env = GithubEnv::from_vars(|k| vars.get(k).map(|v| v.to_string()));
        assert!(env.actions);
        assert_eq!(env.api_url, "https://ghe.acme.test/api/v3");
        assert_eq!(env.server_url, "https://github.com");
        assert_eq!(env.step_summary, None, "empty means unset");
        assert_eq!(
            env.run_url().as_deref(),
            Some("https://github.com/acme/platform/actions/runs/42")
        );
        let shown = format!(
            "{env:?} {}",
            env.token
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default()
        );
        assert!(!shown.contains("ghs_secret"), "{shown}");
        assert_eq!(env.token.unwrap().expose(), "ghs_secret");
    }
}
