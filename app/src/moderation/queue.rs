//! The moderators' queue at `/moderation`: the pending and reported contributions of every
//! organisation the signed-in person moderates, oldest first, each with its context (the
//! consultation, the contribution it answers, the reports, earlier decisions on the author).
//! Filters come from the address and are checked against allow-lists.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::Reason;
use crate::error::AppError;

/// Items per page.
pub const PAGE_SIZE: i64 = 50;
/// Where the queue lives.
pub const QUEUE_PATH: &str = "/moderation";

/// Which items the queue shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Awaiting approval (pre-moderation).
    Pending,
    /// Reported (hidden by the threshold or still published).
    Reported,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pending => "pending",
            Kind::Reported => "reported",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim() {
            "pending" => Some(Kind::Pending),
            "reported" => Some(Kind::Reported),
            _ => None,
        }
    }
}

/// The queue's filters, from the address. Anything outside the allow-lists is dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Organisation slug ('' = all the reader moderates).
    pub org: String,
    /// Consultation slug ('' = all).
    pub consultation: String,
    pub kind: Option<Kind>,
    pub reason: Option<Reason>,
    /// 1-based.
    pub page: u32,
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Filter {
    /// The filter from raw address values.
    pub fn parse(org: &str, consultation: &str, kind: &str, reason: &str, page: &str) -> Filter {
        let org = org.trim();
        let consultation = consultation.trim();
        Filter {
            org: if is_slug(org) {
                org.to_string()
            } else {
                String::new()
            },
            consultation: if is_slug(consultation) {
                consultation.to_string()
            } else {
                String::new()
            },
            kind: Kind::parse(kind),
            reason: Reason::parse(reason),
            page: page
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|p| *p >= 1 && *p <= 10_000)
                .unwrap_or(1),
        }
    }

    /// The filter from a query string (`org=…&consultation=…`), as a form sends it back.
    pub fn from_query(query: &str) -> Filter {
        let mut v = [""; 5];
        for pair in query.trim_start_matches('?').split('&') {
            let (k, val) = pair.split_once('=').unwrap_or((pair, ""));
            let slot = match k {
                "org" => 0,
                "consultation" => 1,
                "kind" => 2,
                "reason" => 3,
                "page" => 4,
                _ => continue,
            };
            v[slot] = val;
        }
        Filter::parse(v[0], v[1], v[2], v[3], v[4])
    }

    /// The query string of this filter (without page when it is the first), '' when empty.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if !self.org.is_empty() {
            parts.push(format!("org={}", self.org));
        }
        if !self.consultation.is_empty() {
            parts.push(format!("consultation={}", self.consultation));
        }
        if let Some(k) = self.kind {
            parts.push(format!("kind={}", k.as_str()));
        }
        if let Some(r) = self.reason {
            parts.push(format!("reason={}", r.as_str()));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// The queue's address with this filter.
    pub fn path(&self) -> String {
        format!("{QUEUE_PATH}{}", self.query())
    }
}

/// Where an item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemStatus {
    Pending,
    HiddenByReports,
    PublishedReported,
}

/// One report on an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInfo {
    pub reason: Reason,
    pub note: String,
}

/// An earlier decision on the item's author in the organisation (from the audit log).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierDecision {
    pub action: String,
    pub reason: String,
    pub actor_name: String,
    pub created_at: i64,
}

/// One item of the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: i64,
    pub body: String,
    pub body_html: String,
    pub author_name: String,
    pub created_at: i64,
    pub status: ItemStatus,
    pub organisation_name: String,
    pub consultation_title: String,
    pub consultation_path: String,
    pub permalink: String,
    /// The contribution this one answers (sanitised HTML), if it is a reply.
    pub parent_html: Option<String>,
    pub parent_link: Option<String>,
    pub reports: Vec<ReportInfo>,
    pub earlier: Vec<EarlierDecision>,
    /// The author has an account (blocking needs one).
    pub has_author: bool,
}

/// An organisation the reader moderates (for the filter).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgChoice {
    pub slug: String,
    pub name: String,
}

/// What a no-JavaScript decision left for the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueFlash {
    Approved(usize),
    Hidden(usize),
    Redacted(i64),
    Blocked(i64),
    AlertsSaved,
    Refused(Kept),
}

/// Which of an item's decision forms a refusal is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionForm {
    Approve,
    Hide,
    Redact,
    Block,
}

/// A refused decision: the form opens again with what the moderator entered, and the error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    /// The item (for a bulk decision: the first one).
    pub item: i64,
    pub form: DecisionForm,
    /// The reason code chosen (hide, block).
    pub reason: String,
    /// The text entered: the note (hide, block) or the corrected text (redact).
    pub text: String,
    pub error: AppError,
}

/// The queue page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub total: i64,
    pub filter: Filter,
    pub organisations: Vec<OrgChoice>,
    pub open_appeals: i64,
    pub alert_mode: super::alerts::AlertMode,
    pub flash: Option<QueueFlash>,
}

#[cfg(feature = "ssr")]
pub fn flash_scope(user_id: i64) -> String {
    format!("queue:{user_id}")
}

/// May `user` moderate the organisation (moderator or organisation admin of it, instance admin)?
#[cfg(feature = "ssr")]
pub fn moderates(user: &crate::account::CurrentUser, organisation_id: i64) -> bool {
    use crate::account::Role;
    user.has_role(organisation_id, Role::Moderator)
        || user.has_role(organisation_id, Role::OrgAdmin)
}

/// The signed-in moderator (of some organisation, or an instance admin) with two factors.
#[cfg(feature = "ssr")]
pub async fn moderator() -> Result<crate::account::CurrentUser, AppError> {
    use crate::account::Role;
    let user = crate::account::api::current_user()
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !user.is_instance_admin
        && !user
            .roles
            .iter()
            .any(|m| matches!(m.role, Role::Moderator | Role::OrgAdmin))
    {
        return Err(AppError::Forbidden);
    }
    if !user.two_factor {
        return Err(AppError::TwoFactorRequired);
    }
    Ok(user)
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::{EarlierDecision, Filter, ItemStatus, OrgChoice, QueueItem, ReportInfo, PAGE_SIZE};
    use crate::db::Db;
    use crate::moderation::{Reason, HIDDEN_BY_REPORTS};
    use crate::on_db;

    /// The items of the queue: $1 all organisations (instance admin), else those where $2 is
    /// moderator or organisation admin; $3 organisation slug, $4 consultation slug, $5 kind,
    /// $6 reason ('' = any).
    const FROM_WHERE: &str = "FROM comments c JOIN consultations k ON k.id = c.consultation_id \
         JOIN organisations o ON o.id = k.organisation_id \
         LEFT JOIN comments p ON p.id = c.parent_id AND p.deleted_at IS NULL \
         AND p.status = 'published' \
         WHERE c.deleted_at IS NULL \
         AND (c.status = 'pending' OR (c.status = 'hidden' AND c.hidden_reason = 'reported') \
           OR (c.status = 'published' AND EXISTS (SELECT 1 FROM comment_reports r \
               WHERE r.comment_id = c.id AND r.resolved_at IS NULL))) \
         AND ($1 OR o.id IN (SELECT m.organisation_id FROM memberships m \
               WHERE m.user_id = $2 AND m.role IN ('moderator', 'org_admin'))) \
         AND ($3 = '' OR o.slug = $3) AND ($4 = '' OR k.slug = $4) \
         AND ($5 = '' OR ($5 = 'pending' AND c.status = 'pending') \
              OR ($5 = 'reported' AND c.status <> 'pending')) \
         AND ($6 = '' OR EXISTS (SELECT 1 FROM comment_reports r2 \
               WHERE r2.comment_id = c.id AND r2.resolved_at IS NULL AND r2.reason = $6))";

    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        body: String,
        body_html: String,
        author_name: String,
        author_user_id: Option<i64>,
        created_at: i64,
        status: String,
        hidden_reason: Option<String>,
        organisation_id: i64,
        organisation_slug: String,
        organisation_name: String,
        consultation_slug: String,
        consultation_title: String,
        parent_id: Option<i64>,
        parent_html: Option<String>,
    }

    /// One page of the queue and the number of all items matching.
    pub async fn list(
        db: &Db,
        all: bool,
        viewer: i64,
        f: &Filter,
    ) -> Result<(Vec<QueueItem>, i64), sqlx::Error> {
        let kind = f.kind.map(|k| k.as_str()).unwrap_or("");
        let reason = f.reason.map(|r| r.as_str()).unwrap_or("");
        let offset = (i64::from(f.page.max(1)) - 1) * PAGE_SIZE;
        let total = on_db!(db, |pool| {
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) {FROM_WHERE}"))
                .bind(all)
                .bind(viewer)
                .bind(&f.org)
                .bind(&f.consultation)
                .bind(kind)
                .bind(reason)
                .fetch_one(pool)
                .await
        })?;
        let rows = on_db!(db, |pool| {
            sqlx::query_as::<_, Row>(&format!(
                "SELECT c.id, c.body, c.body_html, c.author_name, c.author_user_id, c.created_at, \
                 c.status, c.hidden_reason, o.id AS organisation_id, o.slug AS organisation_slug, \
                 o.name AS organisation_name, k.slug AS consultation_slug, \
                 k.title AS consultation_title, c.parent_id, p.body_html AS parent_html \
                 {FROM_WHERE} ORDER BY c.created_at, c.id LIMIT $7 OFFSET $8"
            ))
            .bind(all)
            .bind(viewer)
            .bind(&f.org)
            .bind(&f.consultation)
            .bind(kind)
            .bind(reason)
            .bind(PAGE_SIZE)
            .bind(offset)
            .fetch_all(pool)
            .await
        })?;
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let reports = reports(db, r.id).await?;
            let earlier = match r.author_user_id {
                Some(author) => earlier(db, author, r.organisation_id).await?,
                None => Vec::new(),
            };
            let path = format!("/{}/{}", r.organisation_slug, r.consultation_slug);
            let status = match (r.status.as_str(), r.hidden_reason.as_deref()) {
                ("pending", _) => ItemStatus::Pending,
                ("hidden", Some(HIDDEN_BY_REPORTS)) => ItemStatus::HiddenByReports,
                _ => ItemStatus::PublishedReported,
            };
            items.push(QueueItem {
                id: r.id,
                body: r.body,
                body_html: r.body_html,
                author_name: r.author_name,
                created_at: r.created_at,
                status,
                organisation_name: r.organisation_name,
                consultation_title: r.consultation_title,
                permalink: crate::comment::permalink(&path, r.id),
                parent_link: r
                    .parent_id
                    .filter(|_| r.parent_html.is_some())
                    .map(|p| crate::comment::permalink(&path, p)),
                parent_html: r.parent_html,
                consultation_path: path,
                reports,
                earlier,
                has_author: r.author_user_id.is_some(),
            });
        }
        Ok((items, total))
    }

    async fn reports(db: &Db, comment_id: i64) -> Result<Vec<ReportInfo>, sqlx::Error> {
        let rows = on_db!(db, |pool| {
            sqlx::query_as::<_, (String, String)>(
                "SELECT reason, note FROM comment_reports \
                 WHERE comment_id = $1 AND resolved_at IS NULL ORDER BY id",
            )
            .bind(comment_id)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(reason, note)| {
                Reason::parse(&reason).map(|reason| ReportInfo { reason, note })
            })
            .collect())
    }

    /// The newest few moderation decisions on `author` in the organisation.
    async fn earlier(
        db: &Db,
        author: i64,
        organisation_id: i64,
    ) -> Result<Vec<EarlierDecision>, sqlx::Error> {
        let rows = on_db!(db, |pool| {
            sqlx::query_as::<_, (String, String, String, i64)>(
                "SELECT action, reason, actor_name, created_at FROM audit_log \
                 WHERE subject_user_id = $1 AND organisation_id = $2 \
                 ORDER BY id DESC LIMIT 5",
            )
            .bind(author)
            .bind(organisation_id)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(action, reason, actor_name, created_at)| EarlierDecision {
                action,
                reason,
                actor_name,
                created_at,
            })
            .collect())
    }

    /// The organisations the viewer moderates (all for instance admins), by name.
    pub async fn organisations(
        db: &Db,
        all: bool,
        viewer: i64,
    ) -> Result<Vec<OrgChoice>, sqlx::Error> {
        let rows = on_db!(db, |pool| {
            sqlx::query_as::<_, (String, String)>(
                "SELECT o.slug, o.name FROM organisations o WHERE $1 OR o.id IN \
                 (SELECT m.organisation_id FROM memberships m WHERE m.user_id = $2 \
                  AND m.role IN ('moderator', 'org_admin')) ORDER BY o.name",
            )
            .bind(all)
            .bind(viewer)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(slug, name)| OrgChoice { slug, name })
            .collect())
    }

    /// Open appeals in the organisations the viewer moderates.
    pub async fn open_appeals(db: &Db, all: bool, viewer: i64) -> Result<i64, sqlx::Error> {
        on_db!(db, |pool| {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM appeals a JOIN comments c ON c.id = a.comment_id \
                 JOIN consultations k ON k.id = c.consultation_id \
                 WHERE a.decided_at IS NULL AND ($1 OR k.organisation_id IN \
                 (SELECT m.organisation_id FROM memberships m WHERE m.user_id = $2 \
                  AND m.role IN ('moderator', 'org_admin')))",
            )
            .bind(all)
            .bind(viewer)
            .fetch_one(pool)
            .await
        })
    }
}

/// The queue of the signed-in moderator, filtered (staff only, with two-factor sign-in).
#[server(prefix = "/api", endpoint = "moderation_queue")]
pub async fn moderation_queue(
    #[server(default)] org: String,
    #[server(default)] consultation: String,
    #[server(default)] kind: String,
    #[server(default)] reason: String,
    #[server(default)] page: String,
) -> Result<QueuePage, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let user = moderator().await?;
            let filter = Filter::parse(&org, &consultation, &kind, &reason, &page);
            let all = user.is_instance_admin;
            let (items, total) = repo::list(&state.db, all, user.id, &filter).await?;
            let organisations = repo::organisations(&state.db, all, user.id).await?;
            let open_appeals = repo::open_appeals(&state.db, all, user.id).await?;
            let alert_mode = super::alerts::repo::mode(&state.db, user.id).await?;
            let flash = crate::flash::take(&state, &flash_scope(user.id)).await?;
            Ok(QueuePage {
                items,
                total,
                filter,
                organisations,
                open_appeals,
                alert_mode,
                flash,
            })
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_keep_only_allowed_values() {
        let f = Filter::parse("kreis-beispiel", "x' OR 1=1", "pending", "spam", "2");
        assert_eq!(f.org, "kreis-beispiel");
        assert_eq!(f.consultation, "");
        assert_eq!(f.kind, Some(Kind::Pending));
        assert_eq!(f.reason, Some(Reason::Spam));
        assert_eq!(
            f.query(),
            "?org=kreis-beispiel&kind=pending&reason=spam&page=2"
        );
        assert_eq!(Filter::from_query(&f.query()), f);
        assert_eq!(Filter::from_query("?kind=evil&page=0").query(), "");
    }
}
