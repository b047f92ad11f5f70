//! Comments (contributions): threaded, written by residents, moderated before or after
//! publication.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, Field, Problem};

pub const MAX_BODY_CHARS: usize = 5000;
pub const MAX_NAME_CHARS: usize = 60;

/// A comment as the public sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// `None` for guests without a name.
    pub author_name: Option<String>,
    /// The author deleted their account: the contribution stays, the name goes.
    pub author_deleted: bool,
    pub body: String,
    pub created_at: i64,
    /// The section of the consultation's text it is about (anchor, heading), if any.
    pub section: Option<(String, String)>,
    /// The place in the consultation's area it is about, if the author marked one.
    #[serde(default)]
    pub pin: Option<crate::geo::LatLon>,
}

/// The text of a comment: trimmed, line breaks normalised, not empty, not too long, no control
/// characters. Once you hold one, it is valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentBody(String);

impl CommentBody {
    pub fn parse(raw: &str) -> Result<CommentBody, AppError> {
        let text = raw.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::invalid(Field::Body, Problem::Empty));
        }
        let count = text.chars().count();
        if count > MAX_BODY_CHARS {
            return Err(AppError::invalid(
                Field::Body,
                Problem::TooLong {
                    max: MAX_BODY_CHARS,
                    actual: count,
                },
            ));
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(AppError::invalid(Field::Body, Problem::ControlCharacters));
        }
        Ok(CommentBody(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An optional pseudonym shown with a guest's comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorName(Option<String>);

impl AuthorName {
    pub fn parse(raw: &str) -> Result<AuthorName, AppError> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Ok(AuthorName(None));
        }
        let count = name.chars().count();
        if count > MAX_NAME_CHARS {
            return Err(AppError::invalid(
                Field::AuthorName,
                Problem::TooLong {
                    max: MAX_NAME_CHARS,
                    actual: count,
                },
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(AppError::invalid(
                Field::AuthorName,
                Problem::ControlCharacters,
            ));
        }
        Ok(AuthorName(Some(name)))
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// Which comment a reply answers; empty means a top-level comment.
pub fn parse_parent(raw: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(Some)
        .ok_or(AppError::invalid(Field::Parent, Problem::UnknownParent))
}

/// What happened to a posted comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PostOutcome {
    Published(Comment),
    /// Pre-moderation: visible once a moderator approves it.
    Pending,
}

/// What a form left for the next page view after a no-JavaScript post: either the user's text
/// with the error, or the outcome to announce.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormFlash {
    Rejected(CommentDraft),
    Posted(PostOutcome),
}

/// The flash scope of a consultation's comment forms.
pub fn flash_scope(consultation_id: i64) -> String {
    format!("comments:{consultation_id}")
}

/// The user's input, kept so that a failed submission loses nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentDraft {
    pub parent_id: Option<i64>,
    pub body: String,
    #[serde(default)]
    pub section: String,
    /// The pin as typed (latitude, longitude).
    #[serde(default)]
    pub pin_lat: String,
    #[serde(default)]
    pub pin_lon: String,
    pub error: AppError,
}

/// A comment with the replies to it, oldest first at every level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadNode {
    pub comment: Comment,
    pub replies: Vec<ThreadNode>,
}

/// Arranges comments into threads. Replies whose parent is not shown (pending, removed) are
/// left out, as one cannot read an answer without its question.
pub fn thread(comments: &[Comment]) -> Vec<ThreadNode> {
    use std::collections::HashMap;
    let mut children: HashMap<Option<i64>, Vec<&Comment>> = HashMap::new();
    for c in comments {
        children.entry(c.parent_id).or_default().push(c);
    }
    for list in children.values_mut() {
        list.sort_by_key(|c| (c.created_at, c.id));
    }
    fn build(
        parent: Option<i64>,
        children: &HashMap<Option<i64>, Vec<&Comment>>,
        depth: usize,
    ) -> Vec<ThreadNode> {
        // Ids only grow and a reply is newer than its parent, so there are no cycles; the depth
        // bound guards against corrupt data anyway.
        if depth > 64 {
            return Vec::new();
        }
        children
            .get(&parent)
            .map(|list| {
                list.iter()
                    .map(|c| ThreadNode {
                        comment: (*c).clone(),
                        replies: build(Some(c.id), children, depth + 1),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    build(None, &children, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_text_is_trimmed_and_line_breaks_normalised() {
        let body = CommentBody::parse("  Mehr Bänke!\r\nUnd Bäume.  ").unwrap();
        assert_eq!(body.as_str(), "Mehr Bänke!\nUnd Bäume.");
    }

    #[test]
    fn empty_and_too_long_comments_are_refused_with_the_reason() {
        assert_eq!(
            CommentBody::parse(" \n\t "),
            Err(AppError::invalid(Field::Body, Problem::Empty))
        );
        let long = "ä".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(
            CommentBody::parse(&long),
            Err(AppError::invalid(
                Field::Body,
                Problem::TooLong {
                    max: MAX_BODY_CHARS,
                    actual: MAX_BODY_CHARS + 1
                }
            ))
        );
        assert!(CommentBody::parse(&"ä".repeat(MAX_BODY_CHARS)).is_ok());
        assert_eq!(
            CommentBody::parse("a\u{0}b"),
            Err(AppError::invalid(Field::Body, Problem::ControlCharacters))
        );
    }

    #[test]
    fn names_are_optional_and_bounded() {
        assert_eq!(AuthorName::parse("  ").unwrap().as_deref(), None);
        assert_eq!(
            AuthorName::parse(" Anna   K. ").unwrap().as_deref(),
            Some("Anna K.")
        );
        assert!(AuthorName::parse(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
    }

    #[test]
    fn parent_ids_must_be_positive_numbers() {
        assert_eq!(parse_parent(""), Ok(None));
        assert_eq!(parse_parent("12"), Ok(Some(12)));
        assert!(parse_parent("-1").is_err());
        assert!(parse_parent("1 OR 1=1").is_err());
    }

    #[test]
    fn threads_read_top_down_with_replies_under_their_parent() {
        let c = |id, parent_id, created_at| Comment {
            id,
            parent_id,
            author_name: None,
            author_deleted: false,
            body: String::new(),
            created_at,
            pin: None,
            section: None,
        };
        let list = vec![
            c(3, Some(1), 30),
            c(1, None, 10),
            c(2, None, 20),
            c(4, Some(3), 40),
            c(5, Some(99), 5),
        ];
        fn flatten(nodes: &[ThreadNode], depth: usize, out: &mut Vec<(usize, i64)>) {
            for n in nodes {
                out.push((depth, n.comment.id));
                flatten(&n.replies, depth + 1, out);
            }
        }
        let mut order = Vec::new();
        flatten(&thread(&list), 0, &mut order);
        assert_eq!(order, vec![(0, 1), (1, 3), (2, 4), (0, 2)]);
    }
}
