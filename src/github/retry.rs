//! When to try a GitHub request again. Server errors and primary or secondary rate limits are
//! transient: GitHub asks clients to wait (`retry-after`, or until `x-ratelimit-reset`) and
//! otherwise to back off exponentially. Anything else is the answer.

use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// The first backoff; doubled each time.
    pub base: Duration,
    /// No single wait is longer: a rate limit that resets later than this gives up.
    pub max: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 5,
            base: Duration::from_secs(1),
            max: Duration::from_secs(60),
        }
    }
}

/// The parts of a response the decision needs.
pub struct Answer<'a> {
    pub status: u16,
    pub retry_after: Option<&'a str>,
    pub ratelimit_remaining: Option<&'a str>,
    /// Epoch seconds.
    pub ratelimit_reset: Option<&'a str>,
    pub body: &'a str,
}

impl Retry {
    /// How long to wait before try number `attempt + 1` (`attempt` counts from 1), or `None`
    /// when the answer is final. `now` is epoch seconds.
    pub fn wait(&self, answer: &Answer, attempt: u32, now: u64) -> Option<Duration> {
        if attempt >= self.attempts {
            return None;
        }
        let backoff = self.backoff(attempt);
        let told = answer
            .retry_after
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let wait = match answer.status {
            500 | 502 | 503 | 504 => told.unwrap_or(backoff),
            429 => told.unwrap_or(backoff),
            403 => {
                let secondary = answer
                    .body
                    .to_ascii_lowercase()
                    .contains("secondary rate limit");
                let exhausted = answer.ratelimit_remaining.map(str::trim) == Some("0");
                if let Some(t) = told {
                    t
                } else if exhausted {
                    let reset = answer.ratelimit_reset?.trim().parse::<u64>().ok()?;
                    Duration::from_secs(reset.saturating_sub(now) + 1)
                } else if secondary {
                    // GitHub: without a header, wait at least a minute (bounded by `max`).
                    Duration::from_secs(60).max(backoff)
                } else {
                    // A plain 403 is a permission answer, not a limit.
                    return None;
                }
            }
            _ => return None,
        };
        (wait <= self.max).then_some(wait).or_else(|| {
            // Waiting longer than allowed: only a server error is worth a capped wait.
            (answer.status >= 500).then_some(self.max)
        })
    }

    /// The wait after a failed connection or a timeout.
    pub fn after_transport_error(&self, attempt: u32) -> Option<Duration> {
        (attempt < self.attempts).then(|| self.backoff(attempt))
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(16);
        self.base.saturating_mul(factor).min(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16) -> Answer<'static> {
        Answer {
            status,
            retry_after: None,
            ratelimit_remaining: None,
            ratelimit_reset: None,
            body: "",
        }
    }

    fn policy() -> Retry {
        Retry {
            attempts: 4,
            base: Duration::from_millis(100),
            max: Duration::from_secs(30),
        }
    }

    #[test]
    fn server_errors_back_off_exponentially_then_stop() {
        let r = policy();
        assert_eq!(r.wait(&answer(502), 1, 0), Some(Duration::from_millis(100)));
        assert_eq!(r.wait(&answer(500), 2, 0), Some(Duration::from_millis(200)));
        assert_eq!(r.wait(&answer(503), 3, 0), Some(Duration::from_millis(400)));
        assert_eq!(r.wait(&answer(503), 4, 0), None, "attempts used up");
        assert_eq!(r.after_transport_error(1), Some(Duration::from_millis(100)));
    }

    #[test]
    fn final_answers_are_not_retried() {
        let r = policy();
        for status in [200, 201, 204, 400, 401, 404, 422] {
            assert_eq!(r.wait(&answer(status), 1, 0), None, "{status}");
        }
        let forbidden = Answer {
            body: r#"{"message":"Resource not accessible by integration"}"#,
            ..answer(403)
        };
        assert_eq!(r.wait(&forbidden, 1, 0), None);
    }

    #[test]
    fn rate_limits_wait_as_told() {
        let r = policy();
        let secondary = Answer {
            retry_after: Some("7"),
            body: r#"{"message":"You have exceeded a secondary rate limit."}"#,
            ..answer(403)
        };
        assert_eq!(r.wait(&secondary, 1, 0), Some(Duration::from_secs(7)));
        let primary = Answer {
            ratelimit_remaining: Some("0"),
            ratelimit_reset: Some("1010"),
            ..answer(403)
        };
        assert_eq!(r.wait(&primary, 1, 1000), Some(Duration::from_secs(11)));
        // A reset an hour away is not waited for.
        assert_eq!(r.wait(&primary, 1, 0), None);
        let too_many = Answer {
            retry_after: Some("2"),
            ..answer(429)
        };
        assert_eq!(r.wait(&too_many, 1, 0), Some(Duration::from_secs(2)));
        let secondary_no_header = Answer {
            body: "secondary rate limit",
            ..answer(403)
        };
        assert_eq!(r.wait(&secondary_no_header, 1, 0), None, "60 s is over max");
    }
}
