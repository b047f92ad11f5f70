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

/// How long after writing one may still correct a comment (it is then marked "edited").
pub const EDIT_WINDOW_SECS: i64 = 15 * 60;
/// Top-level threads per page.
pub const THREADS_PER_PAGE: usize = 20;
/// Reply levels shown indented under a comment; deeper replies are behind "continue thread".
pub const MAX_DEPTH: usize = 4;

/// A comment as the public sees it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// `None` for guests without a name.
    pub author_name: Option<String>,
    /// The author deleted their account: the contribution stays, the name goes.
    pub author_deleted: bool,
    /// The Markdown as written: only sent to its author while they may still edit it.
    pub body: String,
    /// The text as sanitised HTML (limited Markdown, see `markdown::render_comment`).
    pub body_html: String,
    pub created_at: i64,
    /// The author changed the text after writing it.
    #[serde(default)]
    pub edited: bool,
    /// The author deleted it: only a placeholder is left, so that the replies keep their place.
    #[serde(default)]
    pub deleted: bool,
    /// The section of the consultation's text it is about (anchor, heading), if any.
    pub section: Option<(String, String)>,
    /// The place in the consultation's area it is about, if the author marked one.
    #[serde(default)]
    pub pin: Option<crate::geo::LatLon>,
    #[serde(default)]
    pub votes: Votes,
    /// Until when the reader (its author) may still edit it; `None` for everyone else.
    #[serde(default)]
    pub editable_until: Option<i64>,
    /// The reader wrote it (and may delete it).
    #[serde(default)]
    pub mine: bool,
    /// Where it stands in moderation, as far as the reader may know.
    #[serde(default)]
    pub visibility: Visibility,
    /// The reader reported it.
    #[serde(default)]
    pub reported: bool,
    /// The organisation's official answer to it, if there is one.
    #[serde(default)]
    pub answer: Option<crate::answer::AnswerView>,
}

/// Where a contribution stands in moderation. Only its author learns that it waits for review or
/// why it was hidden; everyone else sees published contributions, and a neutral placeholder for
/// a hidden one that has replies (so that the thread stays readable).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    #[default]
    Published,
    /// Pre-moderation: awaiting a moderator's approval (shown to its author only).
    Pending,
    /// Hidden, with the statement of reasons (shown to its author only).
    Hidden(HiddenInfo),
    /// Hidden, as everyone but its author sees it: no text, no name.
    Removed,
}

impl Visibility {
    pub fn is_published(&self) -> bool {
        *self == Visibility::Published
    }
}

/// Why an author's contribution is hidden, and what became of their appeal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HiddenInfo {
    /// The moderator's reason; `None`: hidden by the report threshold, awaiting review.
    pub reason: Option<crate::moderation::Reason>,
    /// The moderator's note to the author (may be empty).
    pub note: String,
    /// The appeal filed against it, if any.
    pub appeal: Option<crate::moderation::appeal::AppealState>,
}

/// Support for a comment, and the reader's own vote on it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Votes {
    pub up: i64,
    pub down: i64,
    /// 1 supported, -1 objected, 0 neither.
    pub mine: i8,
}

/// A vote as the forms send it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoteChoice {
    Up,
    Down,
    /// Withdraw one's vote.
    None,
}

impl VoteChoice {
    pub fn parse(raw: &str) -> Option<VoteChoice> {
        match raw.trim() {
            "up" => Some(VoteChoice::Up),
            "down" => Some(VoteChoice::Down),
            "none" => Some(VoteChoice::None),
            _ => None,
        }
    }

    pub fn value(self) -> Option<i8> {
        match self {
            VoteChoice::Up => Some(1),
            VoteChoice::Down => Some(-1),
            VoteChoice::None => None,
        }
    }
}

/// The orders a consultation's threads can be read in (`?sort=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    /// Most support first.
    Supported,
    /// Most replies first.
    Discussed,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Newest, Sort::Oldest, Sort::Supported, Sort::Discussed];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Supported => "supported",
            Sort::Discussed => "discussed",
        }
    }

    /// Unknown values fall back to the default: a sort key never reaches SQL as text.
    pub fn parse(raw: &str) -> Sort {
        Sort::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .unwrap_or_default()
    }

    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            Sort::Newest => t.sort_newest,
            Sort::Oldest => t.sort_oldest,
            Sort::Supported => t.sort_supported,
            Sort::Discussed => t.sort_discussed,
        }
    }
}

/// Where the reader is in a consultation's threads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    pub sort: Sort,
    pub page: usize,
    pub pages: usize,
    /// Published comments and replies (not deleted) in all threads.
    pub total: i64,
}

impl Paging {
    /// The address of a page of the consultation at `path` in an order (no fragment).
    pub fn address(path: &str, sort: Sort, page: usize) -> String {
        let mut query = Vec::new();
        if sort != Sort::default() {
            query.push(format!("sort={}", sort.as_str()));
        }
        if page > 1 {
            query.push(format!("page={page}"));
        }
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", query.join("&"))
        }
    }

    /// A link to a page of the threads, landing at their heading.
    pub fn href(path: &str, sort: Sort, page: usize) -> String {
        format!("{}#comments-heading", Paging::address(path, sort, page))
    }
}

/// A comment's own page: the whole thread it belongs to (flat; `focus` is the one asked for).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadPage {
    pub focus: i64,
    /// The comment it answers, if it is a reply.
    pub parent: Option<i64>,
    pub comments: Vec<Comment>,
    pub context: CommentContext,
}

/// What a page with comments knows about the consultation and the reader.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentContext {
    pub card: crate::consultation::ConsultationCard,
    /// Open and inside its window.
    pub accepting: bool,
    /// Accepting, and the reader meets the participation rule.
    pub writing: bool,
    pub downvotes: bool,
    pub viewer_name: Option<String>,
    /// What a no-JavaScript form post left for this page view.
    pub flash: Option<FormFlash>,
    /// The text's sections (anchor, heading).
    pub sections: Vec<(String, String)>,
}

/// A comment's own address.
pub fn permalink(consultation_path: &str, id: i64) -> String {
    format!("{consultation_path}/comments/{id}")
}

/// Where a no-JavaScript form goes back to: the page it was sent from if that is the
/// consultation's page (any order or page) or one of its comments' pages, else the consultation.
pub fn return_path(consultation_path: &str, raw: &str) -> String {
    let raw = raw.trim();
    let safe = raw.strip_prefix(consultation_path).is_some_and(|rest| {
        (rest.is_empty() || rest.starts_with('?') || rest.starts_with("/comments/"))
            && !rest.contains("//")
            && !rest.contains('#')
    }) && raw.chars().all(|c| c.is_ascii_graphic());
    if safe {
        raw.to_string()
    } else {
        consultation_path.to_string()
    }
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum PostOutcome {
    Published(Box<Comment>),
    /// Pre-moderation: visible once a moderator approves it.
    #[default]
    Pending,
}

/// What a form left for the next page view after a no-JavaScript post: either the user's text
/// with the error, or the outcome to announce.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FormFlash {
    Rejected(CommentDraft),
    Posted(PostOutcome),
    /// An edit or deletion went through.
    Done(Done),
    /// A vote, edit or deletion was refused (closed consultation, too late, …).
    Refused(AppError),
    /// The reader reported this comment.
    Reported(i64),
    /// A report that was refused, with what the reader chose and wrote.
    ReportRejected(crate::moderation::report::ReportDraft),
    /// The author appealed the hiding of this comment.
    Appealed(i64),
    /// An appeal that was refused, with the author's text.
    AppealRejected(crate::moderation::appeal::AppealDraft),
}

/// What an author did to their comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Done {
    Edited(i64),
    Deleted(i64),
}

/// The flash scope of a consultation's comment forms.
pub fn flash_scope(consultation_id: i64) -> String {
    format!("comments:{consultation_id}")
}

/// The user's input, kept so that a failed submission loses nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentDraft {
    pub parent_id: Option<i64>,
    /// The comment being edited, if this is an edit form's text.
    #[serde(default)]
    pub edit_id: Option<i64>,
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
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadNode {
    pub comment: Comment,
    pub replies: Vec<ThreadNode>,
}

impl ThreadNode {
    /// All replies under it, at any depth.
    pub fn descendants(&self) -> usize {
        self.replies.iter().map(|r| 1 + r.descendants()).sum()
    }
}

/// Arranges comments into threads: top-level comments in the order given (the server's sort),
/// replies under their parent, oldest first. Replies whose parent is not shown (pending,
/// removed) are left out, as one cannot read an answer without its question; deleted comments
/// without replies are left out too (their placeholder would keep nothing together).
pub fn thread(comments: &[Comment]) -> Vec<ThreadNode> {
    use std::collections::HashMap;
    let mut children: HashMap<Option<i64>, Vec<&Comment>> = HashMap::new();
    for c in comments {
        children.entry(c.parent_id).or_default().push(c);
    }
    for (parent, list) in children.iter_mut() {
        if parent.is_some() {
            list.sort_by_key(|c| (c.created_at, c.id));
        }
    }
    fn build(
        parent: Option<i64>,
        children: &HashMap<Option<i64>, Vec<&Comment>>,
        depth: usize,
    ) -> Vec<ThreadNode> {
        // Ids only grow and a reply is newer than its parent, so there are no cycles; the depth
        // bound guards against corrupt data anyway.
        if depth > 256 {
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
                    .filter(|n| {
                        let placeholder =
                            n.comment.deleted || n.comment.visibility == Visibility::Removed;
                        !(placeholder && n.replies.is_empty())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    build(None, &children, 0)
}

/// The thread under one comment (for its own page), or `None` if it is not among `comments`.
pub fn subtree(comments: &[Comment], id: i64) -> Option<ThreadNode> {
    fn find(nodes: Vec<ThreadNode>, id: i64) -> Option<ThreadNode> {
        for node in nodes {
            if node.comment.id == id {
                return Some(node);
            }
            if let Some(found) = find(node.replies, id) {
                return Some(found);
            }
        }
        None
    }
    // Roots of the loaded set are the comments whose parent is not in it.
    let ids: std::collections::HashSet<i64> = comments.iter().map(|c| c.id).collect();
    let rooted: Vec<Comment> = comments
        .iter()
        .map(|c| {
            let mut c = c.clone();
            if c.parent_id.is_some_and(|p| !ids.contains(&p)) {
                c.parent_id = None;
            }
            c
        })
        .collect();
    find(thread(&rooted), id)
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

    fn comment(id: i64, parent_id: Option<i64>, created_at: i64) -> Comment {
        Comment {
            id,
            parent_id,
            author_name: None,
            author_deleted: false,
            body: String::new(),
            body_html: String::new(),
            created_at,
            edited: false,
            deleted: false,
            pin: None,
            section: None,
            votes: Votes::default(),
            editable_until: None,
            mine: false,
            visibility: Visibility::Published,
            reported: false,
            answer: None,
        }
    }

    #[test]
    fn top_level_order_is_the_servers_and_replies_read_oldest_first() {
        // Sorted by the server newest first: 2 before 1; replies under 1 out of order.
        let list = vec![
            comment(2, None, 20),
            comment(1, None, 10),
            comment(4, Some(1), 40),
            comment(3, Some(1), 30),
        ];
        let nodes = thread(&list);
        assert_eq!(nodes[0].comment.id, 2);
        let replies: Vec<i64> = nodes[1].replies.iter().map(|n| n.comment.id).collect();
        assert_eq!(replies, vec![3, 4]);
        assert_eq!(nodes[1].descendants(), 2);
    }

    #[test]
    fn deleted_comments_keep_their_place_only_when_answered() {
        let mut gone = comment(1, None, 10);
        gone.deleted = true;
        let mut gone_leaf = comment(3, Some(1), 30);
        gone_leaf.deleted = true;
        let list = vec![gone, comment(2, Some(1), 20), gone_leaf];
        let nodes = thread(&list);
        assert_eq!(nodes.len(), 1, "the answered placeholder stays");
        assert_eq!(
            nodes[0].replies.len(),
            1,
            "the unanswered deleted reply goes"
        );
    }

    #[test]
    fn hidden_comments_keep_a_placeholder_only_when_answered() {
        let mut hidden = comment(1, None, 10);
        hidden.visibility = Visibility::Removed;
        let mut hidden_leaf = comment(3, None, 30);
        hidden_leaf.visibility = Visibility::Removed;
        let list = vec![hidden, comment(2, Some(1), 20), hidden_leaf];
        let nodes = thread(&list);
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0].comment.id, 1);
    }

    #[test]
    fn a_subtree_starts_at_the_comment_asked_for() {
        let list = vec![
            comment(1, None, 10),
            comment(2, Some(1), 20),
            comment(3, Some(2), 30),
            comment(4, Some(1), 40),
        ];
        let node = subtree(&list, 2).unwrap();
        assert_eq!(node.comment.id, 2);
        assert_eq!(node.replies[0].comment.id, 3);
        assert!(subtree(&list, 9).is_none());
    }

    #[test]
    fn sort_keys_come_from_an_allow_list() {
        assert_eq!(Sort::parse("supported"), Sort::Supported);
        assert_eq!(Sort::parse("created_at; DROP TABLE comments"), Sort::Newest);
        assert_eq!(
            Paging::href("/o/k", Sort::Oldest, 2),
            "/o/k?sort=oldest&page=2#comments-heading"
        );
        assert_eq!(
            Paging::href("/o/k", Sort::Newest, 1),
            "/o/k#comments-heading"
        );
    }

    #[test]
    fn forms_return_only_to_the_consultations_own_pages() {
        let p = "/musterstadt/altstadt";
        assert_eq!(
            return_path(p, "/musterstadt/altstadt?sort=oldest&page=2"),
            "/musterstadt/altstadt?sort=oldest&page=2"
        );
        assert_eq!(
            return_path(p, "/musterstadt/altstadt/comments/7"),
            "/musterstadt/altstadt/comments/7"
        );
        for evil in [
            "https://evil.example/",
            "//evil.example",
            "/musterstadt/altstadt//evil",
            "/musterstadt/altstadtx",
            "/other",
            "/musterstadt/altstadt?a\nb",
        ] {
            assert_eq!(return_path(p, evil), p, "{evil}");
        }
    }

    #[test]
    fn threads_read_top_down_with_replies_under_their_parent() {
        let c = |id, parent_id, created_at| comment(id, parent_id, created_at);
        let list = vec![
            c(1, None, 10),
            c(3, Some(1), 30),
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
