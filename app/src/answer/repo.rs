//! Official-answer queries.

use std::collections::HashMap;

use super::{AnswerStatus, AnswerView};
use crate::db::Db;
use crate::on_db;

/// The answers on the given contributions, by comment id (contributions without one are absent).
/// One query, whatever the number of ids.
pub async fn for_comments(
    db: &Db,
    comment_ids: &[i64],
) -> Result<HashMap<i64, AnswerView>, sqlx::Error> {
    if comment_ids.is_empty() {
        return Ok(HashMap::new());
    }
    // The ids travel as one JSON array parameter, never spliced into the SQL.
    let ids = serde_json::to_string(comment_ids).unwrap_or_else(|_| "[]".into());
    type Row = (i64, i64, String, String, i64, i64, String);
    let rows: Vec<Row> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as::<_, Row>(
                "SELECT ac.comment_id, a.id, a.status, a.reason_html, a.updated_at, \
                 (SELECT COUNT(*) FROM official_answer_comments n WHERE n.answer_id = a.id), o.name \
                 FROM official_answer_comments ac JOIN official_answers a ON a.id = ac.answer_id \
                 JOIN consultations k ON k.id = a.consultation_id \
                 JOIN organisations o ON o.id = k.organisation_id \
                 WHERE ac.comment_id IN (SELECT value FROM json_each($1))",
            )
            .bind(&ids)
            .fetch_all(pool)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as::<_, Row>(
                "SELECT ac.comment_id, a.id, a.status, a.reason_html, a.updated_at, \
                 (SELECT COUNT(*) FROM official_answer_comments n WHERE n.answer_id = a.id), o.name \
                 FROM official_answer_comments ac JOIN official_answers a ON a.id = ac.answer_id \
                 JOIN consultations k ON k.id = a.consultation_id \
                 JOIN organisations o ON o.id = k.organisation_id \
                 WHERE ac.comment_id = ANY($1)",
            )
            .bind(comment_ids)
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .filter_map(
            |(comment_id, id, status, reason_html, at, count, organisation_name)| {
                Some((
                    comment_id,
                    AnswerView {
                        id,
                        status: AnswerStatus::parse(&status)?,
                        reason_html,
                        answered_at: at,
                        comment_count: count,
                        organisation_name,
                    },
                ))
            },
        )
        .collect())
}

/// Why an answer could not be given; nothing was saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A contribution that is not part of this consultation (a forged or stale id).
    NotFound,
    /// A contribution that is pending, hidden or deleted.
    NotAnswerable,
    /// A contribution that has an answer already.
    AlreadyAnswered,
}

/// Who answers, in which organisation and consultation (for the audit log).
pub struct Actor<'a> {
    pub organisation_id: i64,
    pub consultation_id: i64,
    pub user_id: i64,
    pub name: &'a str,
}

impl<'a> Actor<'a> {
    /// A staff member answering in a consultation.
    pub fn of(
        consultation: &crate::consultation::repo::ConsultationRecord,
        user: &'a crate::account::CurrentUser,
    ) -> Self {
        Actor {
            organisation_id: consultation.organisation_id,
            consultation_id: consultation.id,
            user_id: user.id,
            name: &user.display_name,
        }
    }
}

/// An answer as written: status, Markdown source and its sanitised HTML.
pub struct NewAnswer<'a> {
    pub status: AnswerStatus,
    pub reason: &'a str,
    pub reason_html: &'a str,
}

fn audit_entry<'a>(
    actor: &'a Actor<'a>,
    action: crate::audit::Action,
    answer_id: i64,
    label: String,
    subject: Option<i64>,
    reason: &'a str,
) -> crate::audit::Entry<'a> {
    crate::audit::Entry {
        organisation_id: Some(actor.organisation_id),
        consultation_id: Some(actor.consultation_id),
        actor: Some((actor.user_id, actor.name)),
        action,
        object: crate::audit::Object {
            kind: crate::audit::ObjectKind::Answer,
            id: Some(answer_id),
            label,
        },
        subject_user_id: subject,
        reason,
    }
}

fn label_for(ids: &[i64]) -> String {
    let list: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
    format!("{} ({})", ids.len(), list.join(", "))
}

/// Gives the contributions `ids` (distinct, of the actor's consultation) one answer, with its
/// audit entry, in one transaction: all or nothing. The new answer's id.
pub async fn publish(
    db: &Db,
    actor: &Actor<'_>,
    ids: &[i64],
    answer: &NewAnswer<'_>,
) -> Result<Result<i64, Refusal>, sqlx::Error> {
    let ts = crate::db::now();
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let mut authors = Vec::new();
        for id in ids {
            let row = sqlx::query_as::<_, (String, Option<i64>, Option<i64>)>(
                "SELECT status, deleted_at, author_user_id FROM comments \
                 WHERE id = $1 AND consultation_id = $2",
            )
            .bind(id)
            .bind(actor.consultation_id)
            .fetch_optional(&mut *tx)
            .await?;
            match row {
                None => return Ok(Err(Refusal::NotFound)),
                Some((status, deleted, _)) if status != "published" || deleted.is_some() => {
                    return Ok(Err(Refusal::NotAnswerable))
                }
                Some((_, _, author)) => authors.push(author),
            }
            let answered = sqlx::query_scalar::<_, i64>(
                "SELECT answer_id FROM official_answer_comments WHERE comment_id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if answered.is_some() {
                return Ok(Err(Refusal::AlreadyAnswered));
            }
        }
        let answer_id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO official_answers \
             (consultation_id, status, reason, reason_html, author_user_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(actor.consultation_id)
        .bind(answer.status.as_str())
        .bind(answer.reason)
        .bind(answer.reason_html)
        .bind(actor.user_id)
        .bind(ts)
        .fetch_one(&mut *tx)
        .await?;
        for id in ids {
            let inserted = sqlx::query(
                "INSERT INTO official_answer_comments (answer_id, comment_id) VALUES ($1, $2)",
            )
            .bind(answer_id)
            .bind(id)
            .execute(&mut *tx)
            .await;
            match inserted {
                Ok(_) => {}
                // Answered meanwhile by someone else: the unique key decides.
                Err(err) if crate::db::is_unique_violation(&err) => {
                    return Ok(Err(Refusal::AlreadyAnswered))
                }
                Err(err) => return Err(err),
            }
        }
        // The person concerned, where the answer concerns one person.
        let subject = match authors.as_slice() {
            [single] => *single,
            many if many.iter().all(|a| a.is_some() && *a == many[0]) => many[0],
            _ => None,
        };
        let entry = audit_entry(
            actor,
            crate::audit::Action::AnswerPublished,
            answer_id,
            label_for(ids),
            subject,
            answer.status.as_str(),
        );
        crate::audit_insert!(&entry).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Ok(answer_id))
    })
}

/// The contributions an answer of the consultation covers; `None` when the answer is not one of
/// this consultation's.
async fn covered_ids(
    db: &Db,
    consultation_id: i64,
    answer_id: i64,
) -> Result<Option<Vec<i64>>, sqlx::Error> {
    let ids = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT ac.comment_id FROM official_answer_comments ac \
             JOIN official_answers a ON a.id = ac.answer_id \
             WHERE a.id = $1 AND a.consultation_id = $2 ORDER BY ac.comment_id",
        )
        .bind(answer_id)
        .bind(consultation_id)
        .fetch_all(pool)
        .await
    })?;
    let exists = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT id FROM official_answers WHERE id = $1 AND consultation_id = $2",
        )
        .bind(answer_id)
        .bind(consultation_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(exists.map(|_| ids))
}

/// Which consultation an answer belongs to.
pub async fn consultation_of(db: &Db, answer_id: i64) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>("SELECT consultation_id FROM official_answers WHERE id = $1")
            .bind(answer_id)
            .fetch_optional(pool)
            .await
    })
}

/// Changes an answer of the actor's consultation; its authors are to be told again
/// (`notified_at` cleared). False when it is not one of this consultation's answers.
pub async fn change(
    db: &Db,
    actor: &Actor<'_>,
    answer_id: i64,
    answer: &NewAnswer<'_>,
) -> Result<bool, sqlx::Error> {
    let Some(ids) = covered_ids(db, actor.consultation_id, answer_id).await? else {
        return Ok(false);
    };
    let ts = crate::db::now();
    let entry = audit_entry(
        actor,
        crate::audit::Action::AnswerChanged,
        answer_id,
        label_for(&ids),
        None,
        answer.status.as_str(),
    );
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE official_answers SET status = $1, reason = $2, reason_html = $3, updated_at = $4 \
             WHERE id = $5 AND consultation_id = $6",
        )
        .bind(answer.status.as_str())
        .bind(answer.reason)
        .bind(answer.reason_html)
        .bind(ts)
        .bind(answer_id)
        .bind(actor.consultation_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Ok(false);
        }
        sqlx::query("UPDATE official_answer_comments SET notified_at = NULL WHERE answer_id = $1")
            .bind(answer_id)
            .execute(&mut *tx)
            .await?;
        crate::audit_insert!(&entry).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    })
}

/// Removes an answer of the actor's consultation (its contributions become unanswered). False
/// when it is not one of this consultation's answers.
pub async fn remove(db: &Db, actor: &Actor<'_>, answer_id: i64) -> Result<bool, sqlx::Error> {
    let Some(ids) = covered_ids(db, actor.consultation_id, answer_id).await? else {
        return Ok(false);
    };
    let entry = audit_entry(
        actor,
        crate::audit::Action::AnswerRemoved,
        answer_id,
        label_for(&ids),
        None,
        "",
    );
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("DELETE FROM official_answer_comments WHERE answer_id = $1")
            .bind(answer_id)
            .execute(&mut *tx)
            .await?;
        let removed =
            sqlx::query("DELETE FROM official_answers WHERE id = $1 AND consultation_id = $2")
                .bind(answer_id)
                .bind(actor.consultation_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if removed != 1 {
            return Ok(false);
        }
        crate::audit_insert!(&entry).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    })
}

/// A page of the consultation's published contributions (top-level and replies, newest first)
/// for the staff list, and how many match the filter.
pub async fn staff_items(
    db: &Db,
    consultation_id: i64,
    filter: super::Filter,
    offset: i64,
) -> Result<(Vec<super::StaffItem>, i64), sqlx::Error> {
    // One SQL text for every filter: the filter travels as a parameter.
    const FROM: &str = "FROM comments c \
         LEFT JOIN official_answer_comments ac ON ac.comment_id = c.id \
         LEFT JOIN official_answers a ON a.id = ac.answer_id \
         WHERE c.consultation_id = $1 AND c.status = 'published' AND c.deleted_at IS NULL \
         AND ($2 = 'all' OR ($2 = 'unanswered' AND ac.answer_id IS NULL) \
              OR ($2 = 'answered' AND ac.answer_id IS NOT NULL) OR a.status = $2)";
    let key = filter.as_str();
    type Row = (
        i64,
        Option<i64>,
        String,
        i64,
        String,
        i64,
        Option<i64>,
        Option<String>,
    );
    let total = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) {FROM}"))
            .bind(consultation_id)
            .bind(key)
            .fetch_one(pool)
            .await
    })?;
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, Row>(&format!(
            "SELECT c.id, c.parent_id, c.author_name, c.created_at, c.body, c.up_votes, \
             ac.answer_id, a.status {FROM} ORDER BY c.created_at DESC, c.id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(consultation_id)
        .bind(key)
        .bind(super::PAGE_SIZE)
        .bind(offset)
        .fetch_all(pool)
        .await
    })?;
    let items = rows
        .into_iter()
        .map(
            |(id, parent, author_name, created_at, body, supports, answer_id, status)| {
                super::StaffItem {
                    id,
                    is_reply: parent.is_some(),
                    author_name,
                    created_at,
                    excerpt: crate::ui::shorten(&body, 300),
                    supports,
                    answer: answer_id.zip(status.as_deref().and_then(AnswerStatus::parse)),
                }
            },
        )
        .collect();
    Ok((items, total))
}

/// Every answer of the consultation with the contributions it covers (newest answer first).
/// `for_staff`: with the Markdown source. A covered contribution that is no longer public
/// (hidden, deleted) is listed without its text.
pub async fn answers_of(
    db: &Db,
    consultation_id: i64,
    for_staff: bool,
) -> Result<Vec<super::AnswerDetail>, sqlx::Error> {
    type Row = (
        i64,
        String,
        String,
        String,
        i64,
        i64,
        String,
        String,
        String,
        Option<i64>,
    );
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, Row>(
            "SELECT a.id, a.status, a.reason, a.reason_html, a.updated_at, c.id, c.author_name, \
             c.body, c.status, c.deleted_at \
             FROM official_answers a \
             JOIN official_answer_comments ac ON ac.answer_id = a.id \
             JOIN comments c ON c.id = ac.comment_id \
             WHERE a.consultation_id = $1 ORDER BY a.updated_at DESC, a.id DESC, c.created_at, c.id",
        )
        .bind(consultation_id)
        .fetch_all(pool)
        .await
    })?;
    let mut out: Vec<super::AnswerDetail> = Vec::new();
    for (id, status, reason, html, at, cid, author, body, cstatus, deleted) in rows {
        let Some(status) = AnswerStatus::parse(&status) else {
            continue;
        };
        let visible = cstatus == "published" && deleted.is_none();
        let covered = super::Covered {
            id: cid,
            author_name: if visible { author } else { String::new() },
            excerpt: if visible {
                crate::ui::shorten(&body, 300)
            } else {
                String::new()
            },
        };
        match out.last_mut() {
            Some(last) if last.id == id => last.comments.push(covered),
            _ => out.push(super::AnswerDetail {
                id,
                status,
                reason: if for_staff { reason } else { String::new() },
                reason_html: html,
                answered_at: at,
                comments: vec![covered],
            }),
        }
    }
    Ok(out)
}

/// One row of an export: a contribution and its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    pub comment_id: i64,
    pub status: AnswerStatus,
    /// The reason as written (Markdown source, readable as plain text).
    pub reason: String,
    pub answered_at: i64,
}

/// Every answered contribution of the consultation with its answer, by contribution id — for
/// the answers CSV and the consultation export.
pub async fn for_export(db: &Db, consultation_id: i64) -> Result<Vec<ExportRow>, sqlx::Error> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, String, String, i64)>(
            "SELECT ac.comment_id, a.status, a.reason, a.updated_at \
             FROM official_answers a JOIN official_answer_comments ac ON ac.answer_id = a.id \
             WHERE a.consultation_id = $1 ORDER BY ac.comment_id",
        )
        .bind(consultation_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(comment_id, status, reason, answered_at)| {
            Some(ExportRow {
                comment_id,
                status: AnswerStatus::parse(&status)?,
                reason,
                answered_at,
            })
        })
        .collect())
}

/// The official answers on a person's own contributions, for their data download.
pub async fn for_author(db: &Db, user_id: i64) -> Result<serde_json::Value, sqlx::Error> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, (i64, String, String, i64)>(
            "SELECT ac.comment_id, a.status, a.reason, a.updated_at \
             FROM official_answer_comments ac JOIN official_answers a ON a.id = ac.answer_id \
             JOIN comments c ON c.id = ac.comment_id \
             WHERE c.author_user_id = $1 ORDER BY ac.comment_id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(serde_json::Value::Array(
        rows.into_iter()
            .map(|(comment, status, reason, at)| {
                serde_json::json!({"comment": comment, "status": status, "reason": reason, "answered_at": at})
            })
            .collect(),
    ))
}

/// A contribution whose author is to be told about its answer.
#[derive(Debug, sqlx::FromRow)]
pub struct Recipient {
    pub comment_id: i64,
    pub user_id: i64,
    pub email: String,
    pub lang: String,
    pub body: String,
    pub consultation_title: String,
    pub consultation_slug: String,
    pub organisation_slug: String,
    pub organisation_name: String,
}

/// Claims the not yet notified contributions of an answer (atomically: of two runs at once only
/// one gets each) and returns those whose author is to be mailed: a live account with a
/// confirmed address that did not turn answer mails off.
pub async fn claim_recipients(db: &Db, answer_id: i64) -> Result<Vec<Recipient>, sqlx::Error> {
    let ts = crate::db::now();
    let claimed = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "UPDATE official_answer_comments SET notified_at = $1 \
             WHERE answer_id = $2 AND notified_at IS NULL RETURNING comment_id",
        )
        .bind(ts)
        .bind(answer_id)
        .fetch_all(pool)
        .await
    })?;
    let mut out = Vec::new();
    for comment_id in claimed {
        let row = on_db!(db, |pool| {
            sqlx::query_as::<_, Recipient>(
                "SELECT c.id AS comment_id, u.id AS user_id, u.email, \
                 COALESCE(s.lang, 'de') AS lang, c.body, k.title AS consultation_title, \
                 k.slug AS consultation_slug, o.slug AS organisation_slug, \
                 o.name AS organisation_name \
                 FROM comments c JOIN users u ON u.id = c.author_user_id \
                 LEFT JOIN notification_settings s ON s.user_id = u.id \
                 JOIN consultations k ON k.id = c.consultation_id \
                 JOIN organisations o ON o.id = k.organisation_id \
                 WHERE c.id = $1 AND c.deleted_at IS NULL AND c.status = 'published' \
                 AND u.deleted_at IS NULL AND u.email IS NOT NULL \
                 AND u.email_verified_at IS NOT NULL AND COALESCE(s.answers, 1) = 1",
            )
            .bind(comment_id)
            .fetch_optional(pool)
            .await
        })?;
        out.extend(row);
    }
    Ok(out)
}

/// Whether the account is mailed about answers to its contributions (on unless turned off).
pub async fn notifications_on(db: &Db, user_id: i64) -> Result<bool, sqlx::Error> {
    let v = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>("SELECT answers FROM notification_settings WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(v.unwrap_or(1) == 1)
}

/// Turns the account's answer mails on or off.
pub async fn set_notifications(
    db: &Db,
    user_id: i64,
    on: bool,
    lang: crate::i18n::Lang,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO notification_settings (user_id, answers, lang, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE \
             SET answers = excluded.answers, lang = excluded.lang, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(i64::from(on))
        .bind(lang.code())
        .bind(crate::db::now())
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// The organisation's and the consultation's slugs of a consultation.
pub async fn slugs_of(
    db: &Db,
    consultation_id: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (String, String)>(
            "SELECT o.slug, k.slug FROM consultations k \
             JOIN organisations o ON o.id = k.organisation_id WHERE k.id = $1",
        )
        .bind(consultation_id)
        .fetch_optional(pool)
        .await
    })
}
