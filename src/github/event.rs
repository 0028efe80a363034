//! The `pull_request` event payload GitHub writes to `GITHUB_EVENT_PATH`: only the fields
//! stackgate needs.

use super::GithubError;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    pub number: u64,
    pub html_url: Option<String>,
    pub head: Side,
    pub base: Side,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub sha: String,
    pub ref_name: String,
    /// `owner/name`; `None` when the fork was deleted.
    pub repo: Option<String>,
}

#[derive(Deserialize)]
struct Payload {
    number: Option<u64>,
    pull_request: Option<Pr>,
}

#[derive(Deserialize)]
struct Pr {
    number: Option<u64>,
    html_url: Option<String>,
    head: RawSide,
    base: RawSide,
}

#[derive(Deserialize)]
struct RawSide {
    sha: String,
    #[serde(rename = "ref", default)]
    ref_name: String,
    repo: Option<Repo>,
}

#[derive(Deserialize)]
struct Repo {
    full_name: String,
}

impl PullRequest {
    /// Parses an event payload; the error says what is missing.
    pub fn parse(text: &str) -> Result<PullRequest, String> {
        let p: Payload = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let pr = p.pull_request.ok_or(
            "it has no `pull_request` object: `stackgate pr` runs on `pull_request` events",
        )?;
        let number = pr
            .number
            .or(p.number)
            .ok_or("it has no pull request number")?;
        let side = |s: RawSide| Side {
            sha: s.sha,
            ref_name: s.ref_name,
            repo: s.repo.map(|r| r.full_name),
        };
        Ok(PullRequest {
            number,
            html_url: pr.html_url,
            head: side(pr.head),
            base: side(pr.base),
        })
    }

    pub fn read(path: &Path) -> Result<PullRequest, GithubError> {
        let event = |message: String| GithubError::Event {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| event(e.to_string()))?;
        PullRequest::parse(&text).map_err(event)
    }

    /// The head lives in another repository: GitHub gives such runs a read-only token.
    pub fn is_fork(&self) -> bool {
        self.head.repo.is_none() || self.head.repo != self.base.repo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAME_REPO: &str = r#"{
      "action": "synchronize",
      "number": 7,
      "pull_request": {
        "number": 7,
        "html_url": "https://github.com/acme/platform/pull/7",
        "head": {"sha": "aaaa", "ref": "feature", "repo": {"full_name": "acme/platform"}},
        "base": {"sha": "bbbb", "ref": "main", "repo": {"full_name": "acme/platform"}}
      }
    }"#;

    #[test]
    fn same_repository_and_fork() {
        let pr = PullRequest::parse(SAME_REPO).unwrap();
        assert_eq!(pr.number, 7);
        assert_eq!(pr.base.sha, "bbbb");
        assert_eq!(pr.head.ref_name, "feature");
        assert!(!pr.is_fork());
        let fork = SAME_REPO.replace(
            r#""ref": "feature", "repo": {"full_name": "acme/platform"}"#,
            r#""ref": "feature", "repo": {"full_name": "someone/platform"}"#,
        );
        assert!(PullRequest::parse(&fork).unwrap().is_fork());
        let deleted = SAME_REPO.replace(
            r#""ref": "feature", "repo": {"full_name": "acme/platform"}"#,
            r#""ref": "feature", "repo": null"#,
        );
        assert!(PullRequest::parse(&deleted).unwrap().is_fork());
    }

    #[test]
    fn push_events_are_refused_with_a_reason() {
        let err = PullRequest::parse(r#"{"ref": "refs/heads/main", "after": "cccc"}"#).unwrap_err();
        assert!(err.contains("pull_request"), "{err}");
        assert!(PullRequest::parse("{").is_err());
    }
}
