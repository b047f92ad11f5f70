//! Public transparency: each consultation shows how many contributions it received, how many are
//! published, awaiting review and hidden (by reason), and how appeals ended.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The moderation figures of one consultation (contributions their authors deleted left out).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub received: i64,
    pub published: i64,
    pub pending: i64,
    /// Hidden by the report threshold, awaiting a moderator.
    pub hidden_by_reports: i64,
    /// Hidden by moderators, per reason (only reasons that occur, in `Reason::ALL` order).
    pub hidden: Vec<(super::Reason, i64)>,
    pub appeals_upheld: i64,
    pub appeals_rejected: i64,
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::Counts;
    use crate::db::Db;
    use crate::on_db;

    /// Two queries: contributions by status and reason, appeals by outcome.
    pub async fn counts(db: &Db, consultation_id: i64) -> Result<Counts, sqlx::Error> {
        let rows = on_db!(db, |pool| {
            sqlx::query_as::<_, (String, Option<String>, i64)>(
                "SELECT status, hidden_reason, COUNT(*) FROM comments \
                 WHERE consultation_id = $1 AND deleted_at IS NULL \
                 GROUP BY status, hidden_reason",
            )
            .bind(consultation_id)
            .fetch_all(pool)
            .await
        })?;
        let appeals = on_db!(db, |pool| {
            sqlx::query_as::<_, (String, i64)>(
                "SELECT a.outcome, COUNT(*) FROM appeals a JOIN comments c ON c.id = a.comment_id \
                 WHERE c.consultation_id = $1 AND a.outcome IS NOT NULL GROUP BY a.outcome",
            )
            .bind(consultation_id)
            .fetch_all(pool)
            .await
        })?;
        let mut counts = Counts::default();
        for (status, reason, n) in rows {
            counts.received += n;
            match (status.as_str(), reason.as_deref()) {
                ("published", _) => counts.published += n,
                ("pending", _) => counts.pending += n,
                ("hidden", Some(crate::moderation::HIDDEN_BY_REPORTS)) => {
                    counts.hidden_by_reports += n
                }
                ("hidden", Some(code)) => {
                    if let Some(reason) = crate::moderation::Reason::parse(code) {
                        match counts.hidden.iter_mut().find(|(r, _)| *r == reason) {
                            Some((_, m)) => *m += n,
                            None => counts.hidden.push((reason, n)),
                        }
                    }
                }
                _ => {}
            }
        }
        counts.hidden.sort_by_key(|(r, _)| {
            crate::moderation::Reason::ALL
                .iter()
                .position(|x| x == r)
                .unwrap_or(usize::MAX)
        });
        for (outcome, n) in appeals {
            match outcome.as_str() {
                "upheld" => counts.appeals_upheld += n,
                "rejected" => counts.appeals_rejected += n,
                _ => {}
            }
        }
        Ok(counts)
    }
}

/// The moderation figures of a consultation (anyone may read those of a public one).
#[server(prefix = "/api", endpoint = "moderation_counts")]
pub async fn get_moderation_counts(org: String, slug: String) -> Result<Counts, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            // Public consultations for everyone; drafts and scheduled ones for their staff's
            // preview (the page itself decides who sees those), 404 for all others.
            let c = match crate::consultation::repo::find_public(&state.db, &org, &slug).await? {
                Some(c) => c,
                None => {
                    let c = crate::consultation::repo::find_for_staff(&state.db, &org, &slug)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    crate::account::api::require_staff(c.organisation_id)
                        .await
                        .map_err(|_| AppError::NotFound)?;
                    c
                }
            };
            Ok(repo::counts(&state.db, c.id).await?)
        }
        .await,
    )
}

/// "Moderation in figures" on a consultation's page: a small definition list, no JavaScript
/// needed.
#[component]
pub fn ModerationCounts(org: String, slug: String) -> impl IntoView {
    let t = crate::i18n::use_texts();
    let counts = Resource::new(
        move || (org.clone(), slug.clone()),
        |(org, slug)| get_moderation_counts(org, slug),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(c) = counts.await else { return ().into_any() };
                let row = |label: String, n: i64| view! {
                    <div><dt>{label}</dt><dd>{n}</dd></div>
                };
                view! {
                    <section class="moderation-counts" aria-labelledby="moderation-counts-heading">
                        <h2 id="moderation-counts-heading">{t.mr_counts_heading}</h2>
                        <dl>
                            {row(t.mr_counts_received.to_string(), c.received)}
                            {row(t.mr_counts_published.to_string(), c.published)}
                            {row(t.mr_counts_pending.to_string(), c.pending)}
                            {row(t.mr_counts_reported.to_string(), c.hidden_by_reports)}
                            {c.hidden.iter().map(|(reason, n)| row(
                                (t.mr_counts_hidden)(super::report::reason_label(*reason, t)),
                                *n,
                            )).collect_view()}
                            {row(t.mr_counts_upheld.to_string(), c.appeals_upheld)}
                            {row(t.mr_counts_rejected.to_string(), c.appeals_rejected)}
                        </dl>
                    </section>
                }
                .into_any()
            })}
        </Suspense>
    }
}
