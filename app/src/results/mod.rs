//! A consultation's public results (`/{org}/{slug}/results`, once its organisation has published
//! them): key figures, the questionnaire as charts drawn on the server (SVG, a data table beside
//! each), the official answers grouped by outcome, a print layout for the council's annex, and
//! the open-data downloads of the same, anonymised figures (`/api/v1/…`).

pub mod chart;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::questionnaire::Results;

/// What a consultation brought in, counted by the database. Only what the public may see:
/// published contributions (not deleted), all questionnaire responses and supports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KeyFigures {
    /// Published contributions (comments and replies), deleted ones left out.
    pub contributions: i64,
    /// People who commented (published), answered the questionnaire or supported a comment.
    pub participants: i64,
    /// Supports given to published contributions.
    pub supports: i64,
    /// Questionnaire responses.
    pub responses: i64,
    /// Published contributions pinned to the map.
    pub pins: i64,
    /// Contributions that have an official answer.
    pub answered: i64,
}

/// The results page's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultsReport {
    pub card: crate::consultation::ConsultationCard,
    pub figures: KeyFigures,
    /// `None` when the consultation has no questionnaire.
    pub questionnaire: Option<Results>,
    pub answers: crate::answer::PublicAnswers,
}

/// The public results of a published consultation; not found until its results are published.
#[leptos::server(prefix = "/api", endpoint = "get_results_report")]
pub async fn get_results_report(org: String, slug: String) -> Result<ResultsReport, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let c = crate::consultation::repo::find_public(&state.db, &org, &slug)
                .await?
                .ok_or(AppError::NotFound)?;
            if c.card.status != crate::consultation::Status::ResultsPublished {
                return Err(AppError::NotFound);
            }
            let questions = crate::questionnaire::repo::questions(&state.db, c.id).await?;
            let questionnaire = if questions.is_empty() {
                None
            } else {
                Some(crate::questionnaire::repo::results(&state.db, c.id, &questions).await?)
            };
            let figures = repo::figures(&state.db, c.id).await?;
            let answers = crate::answer::api::public_answers_of(&state.db, &c).await?;
            Ok(ResultsReport {
                card: c.card,
                figures,
                questionnaire,
                answers,
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::KeyFigures;
    use crate::db::Db;
    use crate::on_db;

    /// The key figures in one query.
    pub async fn figures(db: &Db, consultation_id: i64) -> Result<KeyFigures, sqlx::Error> {
        const PUBLISHED: &str =
            "consultation_id = $1 AND status = 'published' AND deleted_at IS NULL";
        let sql = format!(
            "SELECT \
             (SELECT COUNT(*) FROM comments WHERE {PUBLISHED}), \
             (SELECT COUNT(*) FROM ( \
                SELECT author_user_id AS u FROM comments WHERE {PUBLISHED} AND author_user_id IS NOT NULL \
                UNION SELECT user_id FROM questionnaire_responses WHERE consultation_id = $1 \
                UNION SELECT v.user_id FROM comment_votes v JOIN comments c ON c.id = v.comment_id \
                  WHERE c.consultation_id = $1 \
             ) people), \
             (SELECT CAST(COALESCE(SUM(up_votes), 0) AS BIGINT) FROM comments WHERE {PUBLISHED}), \
             (SELECT COUNT(*) FROM questionnaire_responses WHERE consultation_id = $1), \
             (SELECT COUNT(*) FROM comments WHERE {PUBLISHED} AND pin_lat IS NOT NULL), \
             (SELECT COUNT(DISTINCT ac.comment_id) FROM official_answer_comments ac \
                JOIN official_answers a ON a.id = ac.answer_id WHERE a.consultation_id = $1)"
        );
        let (contributions, participants, supports, responses, pins, answered) =
            on_db!(db, |pool| {
                sqlx::query_as::<_, (i64, i64, i64, i64, i64, i64)>(&sql)
                    .bind(consultation_id)
                    .fetch_one(pool)
                    .await
            })?;
        Ok(KeyFigures {
            contributions,
            participants,
            supports,
            responses,
            pins,
            answered,
        })
    }
}
