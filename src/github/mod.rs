//! GitHub: the Actions environment, the pull request event, the REST client (the only async
//! code, on a current-thread runtime), sticky comments, and the job summary and outputs.

pub mod client;
pub mod comments;
pub mod env;
pub mod event;
pub mod fit;
pub mod publish;
pub mod retry;
pub mod summary;

/// What can go wrong talking to GitHub or its runner. Messages never contain the token.
#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    #[error("{0}")]
    Env(String),
    #[error("cannot read the event payload {path}: {message}")]
    Event { path: String, message: String },
    #[error("GitHub API {method} {route} answered {status}: {message}")]
    Api {
        method: &'static str,
        route: String,
        status: u16,
        message: String,
    },
    #[error("GitHub API {method} {route}: {message}")]
    Transport {
        method: &'static str,
        route: String,
        message: String,
    },
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl GithubError {
    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            GithubError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}
