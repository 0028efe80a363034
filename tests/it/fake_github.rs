//! A fake GitHub REST API on loopback (wiremock) for the issue-comment routes `stackgate pr`
//! uses. It keeps state (comments persist between requests and runs), answers with GitHub's
//! response shapes (full comment objects with their `user`, `Link` pagination, error bodies),
//! refuses what GitHub refuses (no token: 401; a body over 65,536 characters: 422; a
//! read-only token: 403) and can be told to fail a number of requests first.

use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

pub const TOKEN: &str = "ghs_FAKE0123456789abcdefTOKEN";
pub const PREFIX: &str = "/api/v3";

#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub status: u16,
}

#[derive(Default)]
pub struct State {
    pub comments: Vec<Value>,
    pub calls: Vec<Call>,
    next_id: u64,
    /// Answers to give before serving normally, per method: (status, retry-after).
    pub failures: Vec<(String, u16, Option<u64>)>,
    pub read_only: bool,
}

#[derive(Clone)]
pub struct FakeGithub {
    pub state: Arc<Mutex<State>>,
    base: String,
}

pub struct Server {
    pub server: MockServer,
    pub fake: FakeGithub,
}

impl Server {
    pub async fn start() -> Server {
        let server = MockServer::start().await;
        let fake = FakeGithub {
            state: Arc::new(Mutex::new(State {
                next_id: 1_000,
                ..State::default()
            })),
            base: format!("{}{PREFIX}", server.uri()),
        };
        Mock::given(any())
            .respond_with(fake.clone())
            .mount(&server)
            .await;
        Server { server, fake }
    }

    /// `GITHUB_API_URL`, as GitHub Enterprise Server spells it (with a path).
    pub fn api_url(&self) -> String {
        self.fake.base.clone()
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.fake.state.lock().expect("state lock")
    }

    /// Comments someone else wrote, before stackgate's first run.
    pub fn seed(&self, n: usize, login: &str) {
        let mut s = self.state();
        for i in 0..n {
            let c = self
                .fake
                .comment(&mut s, &format!("comment {i}"), login, "User");
            s.comments.push(c);
        }
    }

    pub fn calls(&self, method: &str) -> usize {
        self.state()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .count()
    }

    pub fn clear_calls(&self) {
        self.state().calls.clear();
    }

    /// The bodies of the comments that start with `marker`.
    pub fn bodies(&self, marker: &str) -> Vec<String> {
        self.state()
            .comments
            .iter()
            .filter_map(|c| c["body"].as_str())
            .filter(|b| b.starts_with(marker))
            .map(str::to_string)
            .collect()
    }
}

impl FakeGithub {
    fn comment(&self, s: &mut State, body: &str, login: &str, kind: &str) -> Value {
        s.next_id += 1;
        let id = s.next_id;
        let web = "https://github.com/acme/platform";
        json!({
            "url": format!("{}/repos/acme/platform/issues/comments/{id}", self.base),
            "html_url": format!("{web}/pull/7#issuecomment-{id}"),
            "issue_url": format!("{}/repos/acme/platform/issues/7", self.base),
            "id": id,
            "node_id": format!("IC_kwDOFake{id}"),
            "user": {
                "login": login,
                "id": 41898282,
                "node_id": "MDM6Qm90NDE4OTgyODI=",
                "avatar_url": "https://avatars.githubusercontent.com/in/15368?v=4",
                "gravatar_id": "",
                "url": format!("{}/users/{login}", self.base),
                "html_url": "https://github.com/apps/github-actions",
                "type": kind,
                "site_admin": false
            },
            "created_at": "2026-11-22T10:00:00Z",
            "updated_at": "2026-11-22T10:00:00Z",
            "author_association": "NONE",
            "body": body,
            "reactions": {
                "url": format!("{}/repos/acme/platform/issues/comments/{id}/reactions", self.base),
                "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0,
                "confused": 0, "heart": 0, "rocket": 0, "eyes": 0
            },
            "performed_via_github_app": null
        })
    }

    fn error(status: u16, message: &str) -> (u16, ResponseTemplate) {
        let r = ResponseTemplate::new(status).set_body_json(json!({
            "message": message,
            "documentation_url": "https://docs.github.com/rest",
            "status": status.to_string()
        }));
        (status, r)
    }

    fn route(&self, s: &mut State, req: &Request) -> (u16, ResponseTemplate) {
        let method = req.method.as_str().to_string();
        let header = |name: &str| {
            req.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        if header("authorization") != format!("Bearer {TOKEN}") {
            return Self::error(401, "Bad credentials");
        }
        if header("accept") != "application/vnd.github+json"
            || header("x-github-api-version") != "2022-11-28"
            || header("user-agent").is_empty()
        {
            return Self::error(400, "missing GitHub headers");
        }
        if let Some(i) = s.failures.iter().position(|f| f.0 == method) {
            let (_, status, retry_after) = s.failures.remove(i);
            let (_, mut r) = if status == 403 {
                Self::error(
                    403,
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                )
            } else {
                Self::error(status, "Server Error")
            };
            if let Some(secs) = retry_after {
                r = r.insert_header("retry-after", secs.to_string().as_str());
            }
            return (status, r);
        }
        let Some(path) = req.url.path().strip_prefix(PREFIX) else {
            return Self::error(404, "Not Found");
        };
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let body_of = |req: &Request| -> Option<String> {
            let v: Value = serde_json::from_slice(&req.body).ok()?;
            v["body"].as_str().map(str::to_string)
        };
        match (method.as_str(), segments.as_slice()) {
            ("GET", ["repos", "acme", "platform", "issues", "7", "comments"]) => {
                let q = |k: &str| {
                    req.url
                        .query_pairs()
                        .find(|(n, _)| n == k)
                        .and_then(|(_, v)| v.parse::<usize>().ok())
                };
                // GitHub caps per_page at 100 and defaults to 30.
                let per_page = q("per_page").unwrap_or(30).min(100);
                let page = q("page").unwrap_or(1).max(1);
                let start = (page - 1) * per_page;
                let items: Vec<Value> = s
                    .comments
                    .iter()
                    .skip(start)
                    .take(per_page)
                    .cloned()
                    .collect();
                let mut r = ResponseTemplate::new(200).set_body_json(Value::Array(items));
                let pages = s.comments.len().div_ceil(per_page).max(1);
                let link = |p: usize, rel: &str| {
                    format!(
                        "<{}/repositories/1/issues/7/comments?per_page={per_page}&page={p}>; rel=\"{rel}\"",
                        self.base
                    )
                };
                let mut links = Vec::new();
                if page < pages {
                    links.push(link(page + 1, "next"));
                    links.push(link(pages, "last"));
                }
                if page > 1 {
                    links.push(link(page - 1, "prev"));
                    links.push(link(1, "first"));
                }
                if !links.is_empty() {
                    r = r.insert_header("link", links.join(", ").as_str());
                }
                (200, r)
            }
            // The `Link` URLs GitHub hands out use the repository's id.
            ("GET", ["repositories", "1", "issues", "7", "comments"]) => {
                let mut inner = req.clone();
                inner
                    .url
                    .set_path(&format!("{PREFIX}/repos/acme/platform/issues/7/comments"));
                self.route(s, &inner)
            }
            ("POST", ["repos", "acme", "platform", "issues", "7", "comments"]) => {
                let Some(body) = body_of(req) else {
                    return Self::error(422, "Invalid request.\n\n\"body\" wasn't supplied.");
                };
                if body.chars().count() > 65_536 {
                    return Self::error(
                        422,
                        "Validation Failed: body is too long (maximum is 65536 characters)",
                    );
                }
                if s.read_only {
                    return Self::error(403, "Resource not accessible by integration");
                }
                let c = self.comment(s, &body, "github-actions[bot]", "Bot");
                s.comments.push(c.clone());
                (201, ResponseTemplate::new(201).set_body_json(c))
            }
            ("PATCH", ["repos", "acme", "platform", "issues", "comments", id]) => {
                let Some(body) = body_of(req) else {
                    return Self::error(422, "Invalid request.");
                };
                if body.chars().count() > 65_536 {
                    return Self::error(
                        422,
                        "Validation Failed: body is too long (maximum is 65536 characters)",
                    );
                }
                if s.read_only {
                    return Self::error(403, "Resource not accessible by integration");
                }
                let id: u64 = id.parse().unwrap_or(0);
                match s.comments.iter_mut().find(|c| c["id"] == id) {
                    Some(c) => {
                        c["body"] = Value::String(body);
                        c["updated_at"] = Value::String("2026-11-22T11:00:00Z".into());
                        (200, ResponseTemplate::new(200).set_body_json(c.clone()))
                    }
                    None => Self::error(404, "Not Found"),
                }
            }
            ("DELETE", ["repos", "acme", "platform", "issues", "comments", id]) => {
                let id: u64 = id.parse().unwrap_or(0);
                let before = s.comments.len();
                s.comments.retain(|c| c["id"] != id);
                if s.comments.len() == before {
                    Self::error(404, "Not Found")
                } else {
                    (204, ResponseTemplate::new(204))
                }
            }
            _ => Self::error(404, "Not Found"),
        }
    }
}

impl Respond for FakeGithub {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut s = self.state.lock().expect("state lock");
        let (status, r) = self.route(&mut s, req);
        s.calls.push(Call {
            method: req.method.as_str().to_string(),
            path: req.url.path().to_string(),
            status,
        });
        r
    }
}
