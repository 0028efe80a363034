//! The blocking HTTP side of `stackgate pricing sync`: endpoint URLs (a mirror may carry a
//! path prefix), a client that retries transient failures, and the error a body reader gives
//! to say whether another try is worth it.

use super::sync::{SyncError, SyncOptions};
use reqwest::Url;
use std::io::{self, BufReader, Read};
use std::time::Duration;

/// `given` (a mirror, a test server) or `default`, checked to be an http(s) URL with a host.
pub(crate) fn endpoint(given: Option<&str>, default: &str) -> Result<Url, SyncError> {
    let raw = given.map(str::trim).unwrap_or(default);
    let bad = |message: String| SyncError::Endpoint {
        url: raw.to_string(),
        message,
    };
    let url = Url::parse(raw).map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad("an http(s) URL is needed".into()));
    }
    Ok(url)
}

/// `path` (absolute path and query, or a whole URL whose path is taken) under `base`, which
/// may carry a path prefix of its own (a mirror at `https://mirror/aws-pricing`).
pub(crate) fn join(base: &Url, path: &str) -> Result<Url, SyncError> {
    let path = match Url::parse(path) {
        Ok(abs) => match abs.query() {
            Some(q) => format!("{}?{q}", abs.path()),
            None => abs.path().to_string(),
        },
        Err(_) => path.to_string(),
    };
    let text = format!(
        "{}/{}",
        base.as_str().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    Url::parse(&text).map_err(|e| SyncError::Endpoint {
        url: text,
        message: e.to_string(),
    })
}

/// A price list could not be read to the end (`Io`: worth another try) or is not what its
/// format says (`Format`: it would fail again).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("reading: {0}")]
    Io(#[from] io::Error),
    #[error("{0}")]
    Format(String),
}

pub(crate) fn read_json<T: serde::de::DeserializeOwned>(
    body: &mut dyn Read,
) -> Result<T, ReadError> {
    serde_json::from_reader(body).map_err(|e| {
        if e.is_io() {
            ReadError::Io(e.into())
        } else {
            ReadError::Format(format!("not the expected JSON: {e}"))
        }
    })
}

/// A blocking HTTP client that retries transient failures with a doubling wait.
pub(crate) struct Http {
    client: reqwest::blocking::Client,
    retries: u32,
    delay: Duration,
}

impl Http {
    pub(crate) fn new(opts: &SyncOptions) -> Result<Http, SyncError> {
        let mut builder = reqwest::blocking::Client::builder()
            .user_agent(concat!(
                "stackgate/",
                env!("CARGO_PKG_VERSION"),
                " (pricing sync)"
            ))
            .connect_timeout(opts.timeout)
            // The blocking client applies this to each wait (headers, every read of the body),
            // so it bounds a stall without cutting a long download short.
            .timeout(opts.timeout);
        // A local mirror or test server must not be sent through the user's proxy.
        let local = [&opts.aws_endpoint, &opts.azure_endpoint]
            .into_iter()
            .flatten()
            .filter_map(|e| Url::parse(e).ok())
            .any(|u| matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")));
        if local {
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| SyncError::Client(error_chain(&e)))?;
        Ok(Http {
            client,
            retries: opts.retries,
            delay: opts.retry_delay,
        })
    }

    /// GETs `url` and hands its body to `read`. Connection failures, 5xx and 429 answers and
    /// bodies cut short are tried again (from the start) up to `retries` times; other answers
    /// fail at once, naming the URL and the status.
    pub(crate) fn get<T>(
        &self,
        url: &Url,
        mut read: impl FnMut(&mut dyn Read) -> Result<T, ReadError>,
    ) -> Result<T, SyncError> {
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let last = attempt > self.retries;
            match self.client.get(url.clone()).send() {
                Err(e) => {
                    let transient = !(e.is_builder() || e.is_redirect() || e.is_decode());
                    if last || !transient {
                        return Err(SyncError::Transport {
                            url: url.to_string(),
                            message: error_chain(&e),
                            attempts: attempt,
                        });
                    }
                }
                Ok(resp) => {
                    let status = resp.status();
                    if status.is_success() {
                        let mut body = BufReader::with_capacity(1 << 16, resp);
                        match read(&mut body) {
                            Ok(v) => return Ok(v),
                            Err(ReadError::Format(message)) => {
                                return Err(SyncError::Format {
                                    url: url.to_string(),
                                    message,
                                });
                            }
                            Err(ReadError::Io(e)) if last => {
                                return Err(SyncError::Transport {
                                    url: url.to_string(),
                                    message: format!("reading the body: {}", error_chain(&e)),
                                    attempts: attempt,
                                });
                            }
                            Err(ReadError::Io(_)) => {}
                        }
                    } else if last || !(status.is_server_error() || status.as_u16() == 429) {
                        return Err(SyncError::Status {
                            url: url.to_string(),
                            status: status.as_u16(),
                            attempts: attempt,
                        });
                    }
                }
            }
            let factor = 1u32 << (attempt - 1).min(8);
            std::thread::sleep(self.delay.saturating_mul(factor));
        }
    }
}

/// An error and its causes on one line (reqwest's own message leaves the cause out).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_keeps_a_mirror_prefix_and_takes_only_the_path_of_whole_urls() {
        let base = Url::parse("http://127.0.0.1:8080/mirror/").unwrap();
        assert_eq!(
            join(
                &base,
                "/offers/v1.0/aws/AmazonEC2/current/region_index.json"
            )
            .unwrap()
            .as_str(),
            "http://127.0.0.1:8080/mirror/offers/v1.0/aws/AmazonEC2/current/region_index.json"
        );
        assert_eq!(
            join(&base, "https://pricing.us-east-1.amazonaws.com/a/b.csv?x=1")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080/mirror/a/b.csv?x=1"
        );
    }
}
