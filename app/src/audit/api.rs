//! The audit log's one server function: an organisation's entries for its staff, filtered and
//! paged. There is deliberately no function that changes or removes an entry.

use leptos::prelude::*;

use super::AuditPage;
use crate::error::AppError;

/// One page of the organisation's audit log (any staff role of it, instance admins; with a
/// second factor). The filter values come from the address and are parsed, never spliced: an
/// unknown action or a non-number is no filter.
#[server(prefix = "/api", endpoint = "audit_log")]
pub async fn get_audit_log(
    org: String,
    #[server(default)] action: String,
    #[server(default)] consultation: String,
    #[server(default)] actor: String,
    #[server(default)] subject: String,
    #[server(default)] before: String,
) -> Result<AuditPage, AppError> {
    use super::{repo, AuditQuery, ObjectKind, PAGE_SIZE};
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let o = crate::organisation::api::organisation(&state, &org).await?;
            crate::account::api::require_staff(o.id).await?;
            let query = AuditQuery::parse(&action, &consultation, &actor, &subject, &before);
            let filter = repo::Filter {
                action: query.action,
                consultation_id: query.consultation,
                actor_user_id: query.actor,
                subject_user_id: query.subject,
                before_id: query.before,
                // One more than a page: whether there is an older one.
                limit: PAGE_SIZE + 1,
            };
            let mut records = repo::list(&state.db, Some(o.id), &filter).await?;
            let next_before = if records.len() as i64 > PAGE_SIZE {
                records.truncate(PAGE_SIZE as usize);
                records.last().map(|r| r.id)
            } else {
                None
            };
            let consultations = repo::consultations(&state.db, o.id).await?;
            let comment_ids: Vec<i64> = records
                .iter()
                .filter(|r| r.object_kind == ObjectKind::Comment.as_str())
                .filter_map(|r| r.object_id)
                .collect();
            let comments = repo::existing_comments(&state.db, o.id, &comment_ids).await?;
            let consultation_path = |id: Option<i64>| {
                id.and_then(|id| consultations.iter().find(|(c, _, _)| *c == id))
                    .map(|(_, slug, _)| format!("/{}/{slug}", o.slug))
            };
            for r in &mut records {
                r.link = match ObjectKind::parse(&r.object_kind) {
                    Some(ObjectKind::Comment) => r.object_id.and_then(|id| {
                        comments
                            .iter()
                            .find(|(c, _)| *c == id)
                            .map(|(_, slug)| format!("/{}/{slug}/comments/{id}", o.slug))
                    }),
                    Some(ObjectKind::Consultation) => consultation_path(r.object_id),
                    Some(
                        ObjectKind::Questionnaire
                        | ObjectKind::File
                        | ObjectKind::Answer
                        | ObjectKind::Appeal,
                    ) => consultation_path(r.consultation_id),
                    Some(ObjectKind::Organisation) => {
                        (r.object_id == Some(o.id)).then(|| format!("/{}", o.slug))
                    }
                    Some(ObjectKind::Account | ObjectKind::Instance) | None => None,
                };
            }
            let subject_name = match query.subject {
                Some(id) => repo::subject_name(&state.db, o.id, id).await?,
                None => None,
            };
            Ok(AuditPage {
                actors: repo::actors(&state.db, o.id).await?,
                consultations: consultations
                    .into_iter()
                    .map(|(id, _, title)| (id, title))
                    .collect(),
                org_slug: o.slug,
                org_name: o.name,
                query,
                records,
                subject_name,
                next_before,
            })
        }
        .await,
    )
}
