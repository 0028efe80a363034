//! Sticky comments: one comment per marker, found again on every run and kept current. No
//! behaviour posts or edits a comment whose body would not change, so reruns are silent.

use super::GithubError;
use super::client::{Client, Comment};
use crate::config::CommentsBehavior;

/// What publishing one comment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Posted {
    Created {
        url: String,
    },
    Updated {
        url: String,
    },
    /// The newest comment with the marker already says exactly this.
    Unchanged {
        url: String,
    },
    /// `comments.behavior: off`.
    Off,
}

impl Posted {
    pub fn url(&self) -> Option<&str> {
        match self {
            Posted::Created { url } | Posted::Updated { url } | Posted::Unchanged { url } => {
                Some(url)
            }
            Posted::Off => None,
        }
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Posted::Created { .. } => "created",
            Posted::Updated { .. } => "updated",
            Posted::Unchanged { .. } => "unchanged",
            Posted::Off => "not posted (comments.behavior: off)",
        }
    }
}

/// The comments carrying `marker` (bodies start with it), oldest first.
pub fn with_marker<'a>(comments: &'a [Comment], marker: &str) -> Vec<&'a Comment> {
    comments
        .iter()
        .filter(|c| c.body.trim_start().starts_with(marker))
        .collect()
}

/// Publishes `body` on pull request `number` given its existing `comments` (listed once for
/// all markers): `update` edits the newest marked comment in place, `new` adds a comment,
/// `delete-and-new` removes the marked ones first, `off` does nothing.
pub fn publish(
    client: &Client,
    repo: &str,
    number: u64,
    comments: &[Comment],
    marker: &str,
    body: &str,
    behavior: CommentsBehavior,
) -> Result<Posted, GithubError> {
    if behavior == CommentsBehavior::Off {
        return Ok(Posted::Off);
    }
    let marked = with_marker(comments, marker);
    if let Some(newest) = marked.last() {
        if newest.body == body {
            return Ok(Posted::Unchanged {
                url: newest.html_url.clone(),
            });
        }
    }
    match behavior {
        CommentsBehavior::Update => match marked.last() {
            Some(newest) => {
                let c = client.update_comment(repo, newest.id, body)?;
                Ok(Posted::Updated { url: c.html_url })
            }
            None => create(client, repo, number, body),
        },
        CommentsBehavior::New => create(client, repo, number, body),
        CommentsBehavior::DeleteAndNew => {
            for c in &marked {
                client.delete_comment(repo, c.id)?;
            }
            create(client, repo, number, body)
        }
        CommentsBehavior::Off => Ok(Posted::Off),
    }
}

fn create(client: &Client, repo: &str, number: u64, body: &str) -> Result<Posted, GithubError> {
    let c = client.create_comment(repo, number, body)?;
    Ok(Posted::Created { url: c.html_url })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_comments_start_with_the_marker() {
        let c = |id, body: &str| Comment {
            id,
            body: body.into(),
            html_url: format!("u{id}"),
            user: None,
        };
        let all = vec![
            c(1, "<!-- stackgate:cost -->\nold"),
            c(2, "> <!-- stackgate:cost -->\nquoted by a reviewer"),
            c(3, "LGTM"),
            c(4, "\n<!-- stackgate:cost -->\nnewer"),
            c(5, "<!-- stackgate:scorecard -->\n"),
        ];
        let ids: Vec<u64> = with_marker(&all, "<!-- stackgate:cost -->")
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, vec![1, 4]);
    }
}
