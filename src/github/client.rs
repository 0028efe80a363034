//! The REST client: the few routes stackgate uses, on octocrab over a current-thread tokio
//! runtime owned by the client, so callers stay synchronous. Every request carries GitHub's
//! headers, is retried as [`Retry`] says, and errors name the route, never the token.

use super::GithubError;
use super::env::Token;
use super::retry::{Answer, Retry};
use http::header::{ACCEPT, USER_AGENT};
use octocrab::Octocrab;
use serde::Deserialize;
use std::time::Duration;

/// An issue comment (pull request conversations are issues to the REST API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub body: String,
    pub html_url: String,
    /// The author's login.
    pub user: Option<String>,
}

#[derive(Deserialize)]
struct RawComment {
    id: u64,
    #[serde(default)]
    body: Option<String>,
    html_url: String,
    user: Option<RawUser>,
}

#[derive(Deserialize)]
struct RawUser {
    login: String,
}

impl From<RawComment> for Comment {
    fn from(c: RawComment) -> Comment {
        Comment {
            id: c.id,
            body: c.body.unwrap_or_default(),
            html_url: c.html_url,
            user: c.user.map(|u| u.login),
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

struct Reply {
    link: Option<String>,
    text: String,
}

pub struct Client {
    octo: Octocrab,
    runtime: tokio::runtime::Runtime,
    retry: Retry,
    /// `scheme://host[:port]` of the API: pagination links elsewhere are not followed, so the
    /// token is only ever sent there.
    origin: String,
    /// How many requests were sent, retries included.
    sent: std::cell::Cell<usize>,
}

impl Client {
    /// A client for the API at `api_url` (`GITHUB_API_URL`).
    pub fn new(api_url: &str, token: &Token, retry: Retry) -> Result<Client, GithubError> {
        let env = |message: String| GithubError::Env(message);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| env(format!("cannot start the HTTP runtime: {e}")))?;
        let uri: http::Uri = api_url
            .parse()
            .map_err(|_| env(format!("GITHUB_API_URL `{api_url}` is not a URL")))?;
        let origin = match (uri.scheme_str(), uri.authority()) {
            (Some(s), Some(a)) => format!("{s}://{a}"),
            _ => {
                return Err(env(format!(
                    "GITHUB_API_URL `{api_url}` is not an absolute URL"
                )));
            }
        };
        let _enter = runtime.enter();
        let octo = Octocrab::builder()
            .base_uri(api_url)
            .map_err(|e| env(format!("GITHUB_API_URL `{api_url}`: {e}")))?
            .personal_token(token.expose().to_string())
            .add_header(ACCEPT, "application/vnd.github+json".into())
            .add_header(
                USER_AGENT,
                format!("stackgate/{}", env!("CARGO_PKG_VERSION")),
            )
            .set_connect_timeout(Some(Duration::from_secs(10)))
            .set_read_timeout(Some(Duration::from_secs(60)))
            .build()
            .map_err(|e| env(format!("cannot build the GitHub client: {e}")))?;
        Ok(Client {
            octo,
            runtime,
            retry,
            origin,
            sent: std::cell::Cell::new(0),
        })
    }

    /// Requests sent so far, retries included.
    pub fn requests(&self) -> usize {
        self.sent.get()
    }

    /// Every comment of issue or pull request `number`, oldest first, all pages.
    pub fn list_comments(&self, repo: &str, number: u64) -> Result<Vec<Comment>, GithubError> {
        let mut out = Vec::new();
        let mut next = Some(format!(
            "/repos/{repo}/issues/{number}/comments?per_page=100"
        ));
        let mut pages = 0;
        while let Some(route) = next.take() {
            let reply = self.send(Method::Get, &route, None)?;
            let page: Vec<RawComment> =
                serde_json::from_str(&reply.text).map_err(|e| GithubError::Api {
                    method: "GET",
                    route: route.clone(),
                    status: 200,
                    message: format!("unexpected answer: {e}"),
                })?;
            out.extend(page.into_iter().map(Comment::from));
            pages += 1;
            // A loop of links must not run forever: 3,000 pages is 300,000 comments.
            next = reply
                .link
                .as_deref()
                .and_then(next_link)
                .filter(|u| u.starts_with(&format!("{}/", self.origin)) && pages < 3000);
        }
        Ok(out)
    }

    pub fn create_comment(
        &self,
        repo: &str,
        number: u64,
        body: &str,
    ) -> Result<Comment, GithubError> {
        let route = format!("/repos/{repo}/issues/{number}/comments");
        let reply = self.send(Method::Post, &route, Some(body))?;
        parse_comment(Method::Post, &route, &reply.text)
    }

    pub fn update_comment(&self, repo: &str, id: u64, body: &str) -> Result<Comment, GithubError> {
        let route = format!("/repos/{repo}/issues/comments/{id}");
        let reply = self.send(Method::Patch, &route, Some(body))?;
        parse_comment(Method::Patch, &route, &reply.text)
    }

    pub fn delete_comment(&self, repo: &str, id: u64) -> Result<(), GithubError> {
        let route = format!("/repos/{repo}/issues/comments/{id}");
        self.send(Method::Delete, &route, None).map(|_| ())
    }

    /// One request, retried while the answer is transient.
    fn send(&self, method: Method, route: &str, body: Option<&str>) -> Result<Reply, GithubError> {
        let payload = body.map(|b| serde_json::json!({ "body": b }));
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.sent.set(self.sent.get() + 1);
            let result = self.runtime.block_on(async {
                let response = match method {
                    Method::Get => self.octo._get(route).await,
                    Method::Post => self.octo._post(route, payload.as_ref()).await,
                    Method::Patch => self.octo._patch(route, payload.as_ref()).await,
                    Method::Delete => self.octo._delete(route, None::<&()>).await,
                }?;
                let status = response.status().as_u16();
                let header = |name: &str| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string)
                };
                let headers = [
                    header("link"),
                    header("retry-after"),
                    header("x-ratelimit-remaining"),
                    header("x-ratelimit-reset"),
                ];
                let text = self.octo.body_to_string(response).await?;
                Ok::<_, octocrab::Error>((status, headers, text))
            });
            let (status, [link, retry_after, remaining, reset], text) = match result {
                Ok(r) => r,
                Err(e) => match self.retry.after_transport_error(attempt) {
                    Some(wait) => {
                        std::thread::sleep(wait);
                        continue;
                    }
                    None => {
                        return Err(GithubError::Transport {
                            method: method.as_str(),
                            route: route.to_string(),
                            message: transport_message(&e),
                        });
                    }
                },
            };
            if (200..300).contains(&status) {
                return Ok(Reply { link, text });
            }
            let answer = Answer {
                status,
                retry_after: retry_after.as_deref(),
                ratelimit_remaining: remaining.as_deref(),
                ratelimit_reset: reset.as_deref(),
                body: &text,
            };
            match self.retry.wait(&answer, attempt, epoch_seconds()) {
                Some(wait) => std::thread::sleep(wait),
                None => {
                    return Err(GithubError::Api {
                        method: method.as_str(),
                        route: route.to_string(),
                        status,
                        message: api_message(&text),
                    });
                }
            }
        }
    }
}

fn parse_comment(method: Method, route: &str, text: &str) -> Result<Comment, GithubError> {
    serde_json::from_str::<RawComment>(text)
        .map(Comment::from)
        .map_err(|e| GithubError::Api {
            method: method.as_str(),
            route: route.to_string(),
            status: 200,
            message: format!("unexpected answer: {e}"),
        })
}

/// GitHub's error bodies are `{"message": "...", "documentation_url": "..."}`.
fn api_message(text: &str) -> String {
    #[derive(Deserialize)]
    struct E {
        message: String,
    }
    match serde_json::from_str::<E>(text) {
        Ok(e) => e.message,
        Err(_) => text.chars().take(200).collect(),
    }
}

/// The error and its causes on one line (octocrab's own `Display` is terse).
fn transport_message(e: &octocrab::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// The `rel="next"` URL of a `Link` header.
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"");
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| url.to_string())
    })
}

fn epoch_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_header_next() {
        let h = r#"<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=5>; rel="last""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=2")
        );
        let last = r#"<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first""#;
        assert_eq!(next_link(last), None);
    }

    #[test]
    fn error_messages_come_from_the_body() {
        assert_eq!(
            api_message(r#"{"message":"Validation Failed","documentation_url":"x"}"#),
            "Validation Failed"
        );
        assert_eq!(
            api_message("<html>bad gateway</html>"),
            "<html>bad gateway</html>"
        );
    }
}
