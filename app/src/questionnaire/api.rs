//! Server functions of questionnaires: residents read and answer them on the consultation page;
//! initiators (and organisation admins) edit the questions and see the results in the staff area.

// A question's form fields are a server function's arguments.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{AnswerForm, QuestionnaireEditor, QuestionnairePage};
use crate::account::api::FormOutcome;
use crate::error::AppError;

/// What saving the questionnaire answers to a hydrated page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub saved_at: i64,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::account::{CurrentUser, Role};
    use crate::consultation::repo::ConsultationRecord;
    use crate::state::AppState;

    /// Records a change to the consultation's questionnaire (question `id`) in the audit log.
    pub async fn record_change(
        state: &AppState,
        c: &ConsultationRecord,
        user: &CurrentUser,
        id: i64,
        reason: &str,
    ) -> Result<(), AppError> {
        use crate::audit::{Action, Entry, Object, ObjectKind};
        let entry = Entry::new(
            Action::QuestionnaireChanged,
            Object::new(ObjectKind::Questionnaire, Some(id), &c.card.title),
        )
        .by(user.id, &user.display_name)
        .organisation(c.organisation_id)
        .consultation(c.id)
        .reason(reason);
        crate::audit::repo::record(&state.db, &entry).await?;
        Ok(())
    }

    /// The flash scope of the questionnaire form on a consultation page.
    pub fn answer_scope(consultation_id: i64) -> String {
        format!("questionnaire:{consultation_id}")
    }

    /// The flash scope of a consultation's questionnaire editor.
    pub fn editor_scope(org: &str, slug: &str) -> String {
        format!("questionnaire-editor:{org}/{slug}")
    }

    pub fn editor_path(org: &str, slug: &str) -> String {
        format!(
            "/manage/{}/{}/questionnaire",
            crate::account::api::encode_query(org),
            crate::account::api::encode_query(slug)
        )
    }

    /// A consultation this reader may see, and whether only as staff preview (drafts and
    /// scheduled ones: their organisation's staff only, a plain 404 for everyone else).
    pub async fn readable(
        state: &AppState,
        org: &str,
        slug: &str,
    ) -> Result<(ConsultationRecord, bool), AppError> {
        use crate::consultation::repo;
        if let Some(c) = repo::find_public(&state.db, org, slug).await? {
            return Ok((c, false));
        }
        let c = repo::find_for_staff(&state.db, org, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        crate::account::api::require_staff(c.organisation_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        Ok((c, true))
    }

    /// A consultation of `org` (drafts too) after checking that the signed-in person is one of
    /// the organisation's initiators or admins; 404 for consultations that do not exist.
    pub async fn for_editor(
        state: &AppState,
        org: &str,
        slug: &str,
    ) -> Result<(ConsultationRecord, CurrentUser), AppError> {
        let o = crate::organisation::api::organisation(state, org).await?;
        let user = match crate::account::api::require_role(o.id, Role::Initiator).await {
            Err(AppError::Forbidden) => {
                crate::account::api::require_role(o.id, Role::OrgAdmin).await?
            }
            other => other?,
        };
        let c = crate::consultation::repo::find_for_staff(&state.db, org, slug)
            .await?
            .filter(|c| c.organisation_id == o.id)
            .ok_or(AppError::NotFound)?;
        Ok((c, user))
    }

    pub fn parse_question_id(raw: &str) -> Result<i64, AppError> {
        raw.trim().parse::<i64>().map_err(|_| AppError::NotFound)
    }

    /// What a change to the questions came to, as the staff member's answer.
    pub fn edit_outcome(edit: super::super::repo::Edit) -> Result<i64, AppError> {
        use super::super::repo::Edit;
        use crate::error::{ConflictReason, Field, Problem};
        match edit {
            Edit::Done(id) => Ok(id),
            Edit::Locked => Err(AppError::Conflict {
                reason: ConflictReason::QuestionsLocked,
            }),
            Edit::NotFound => Err(AppError::NotFound),
            Edit::Full => Err(AppError::invalid(
                Field::Prompt,
                Problem::TooManyQuestions {
                    max: super::super::MAX_QUESTIONS,
                },
            )),
        }
    }

    /// Answers a form of the editor: JSON with JavaScript, else a redirect back to the editor
    /// (to `anchor`), with the input and the error kept for the form `values` names.
    pub async fn answer_editor(
        state: &AppState,
        org: &str,
        slug: &str,
        outcome: Result<FormOutcome, AppError>,
        values: &[(&str, &str)],
        anchor: &str,
    ) -> Result<FormOutcome, AppError> {
        crate::account::api::answer_in(
            state,
            &editor_scope(org, slug),
            outcome,
            values,
            None,
            &format!("{}{anchor}", editor_path(org, slug)),
        )
        .await
    }
}

/// The consultation and its initiator or organisation admin: every staff editor of a
/// consultation (questionnaire, retention period) starts with this.
#[cfg(feature = "ssr")]
pub use server::for_editor;

/// The questionnaire of a consultation as its page shows it: the questions, the reader's saved
/// answers (or the input of a refused post), whether they may answer now, and the results when
/// they are public in the consultation's phase.
#[server(prefix = "/api", endpoint = "get_questionnaire")]
pub async fn get_questionnaire(org: String, slug: String) -> Result<QuestionnairePage, AppError> {
    use super::{answers_to_form, repo, QuestionnaireFlash, ReadOnly};
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let (c, preview) = server::readable(&state, &org, &slug).await?;
            let questions = repo::questions(&state.db, c.id).await?;
            if questions.is_empty() {
                return Ok(QuestionnairePage {
                    org,
                    slug,
                    questions,
                    read_only: Some(ReadOnly::NotOpen),
                    rule: c.participation,
                    values: AnswerForm::new(),
                    saved_at: None,
                    flash: None,
                    results: None,
                });
            }
            let flash: Option<QuestionnaireFlash> =
                crate::flash::take(&state, &server::answer_scope(c.id)).await?;
            let viewer = crate::account::api::current_user().await?;
            let accepting = crate::consultation::is_accepting(
                c.card.status,
                c.card.opens_at,
                c.card.closes_at,
                crate::db::now(),
            );
            let read_only = if preview {
                Some(ReadOnly::Preview)
            } else if !accepting {
                Some(ReadOnly::NotOpen)
            } else if !crate::participation::api::may_participate(&state, &c, viewer.as_ref())
                .await?
            {
                Some(ReadOnly::NotParticipant)
            } else {
                None
            };
            let saved = match &viewer {
                Some(user) => repo::saved_answers(&state.db, c.id, user.id, &questions).await?,
                None => None,
            };
            let values = match &flash {
                Some(QuestionnaireFlash::Rejected { values, .. }) => values.clone(),
                _ => saved
                    .as_ref()
                    .map(|(answers, _)| answers_to_form(answers))
                    .unwrap_or_default(),
            };
            let results = if c.results_visibility.is_public_in(c.card.status) {
                Some(repo::results(&state.db, c.id, &questions).await?)
            } else {
                None
            };
            Ok(QuestionnairePage {
                org,
                slug,
                questions,
                read_only,
                rule: c.participation,
                values,
                saved_at: saved.map(|(_, at)| at),
                flash,
                results,
            })
        }
        .await,
    )
}

/// Saves the signed-in participant's answers, replacing those they gave before: while the
/// consultation is open and only for those who meet its participation rule. With JavaScript
/// through `fetch`; without, as a plain form post answered with a redirect back to the page,
/// carrying the outcome — or the input and the errors — in a single-use flash.
#[server(prefix = "/api", endpoint = "submit_questionnaire")]
pub async fn submit_questionnaire(
    org: String,
    slug: String,
    #[server(default)] answers: AnswerForm,
) -> Result<Saved, AppError> {
    use super::{parse_answers, repo, QuestionnaireFlash};
    use crate::error::ConflictReason;
    let state = crate::state::app_state()?;
    // Only public consultations take answers (drafts and scheduled ones: 404).
    let consultation = crate::consultation::repo::find_public(&state.db, &org, &slug)
        .await?
        .ok_or(AppError::NotFound);
    let consultation = crate::error::with_status(consultation)?;
    let outcome = async {
        if !crate::consultation::is_accepting(
            consultation.card.status,
            consultation.card.opens_at,
            consultation.card.closes_at,
            crate::db::now(),
        ) {
            return Err(AppError::Conflict {
                reason: ConflictReason::ConsultationNotOpen,
            });
        }
        let participant =
            crate::participation::api::require_participant(&state, &consultation).await?;
        let questions = repo::questions(&state.db, consultation.id).await?;
        if questions.is_empty() {
            return Err(AppError::NotFound);
        }
        let parsed = parse_answers(&questions, &answers)
            .map_err(|problems| AppError::InvalidAnswers { problems })?;
        let response_id =
            repo::save_response(&state.db, consultation.id, participant.id, &parsed).await?;
        tracing::info!(
            consultation_id = consultation.id,
            response_id,
            "questionnaire answered"
        );
        Ok(Saved {
            saved_at: crate::db::now(),
        })
    }
    .await;
    if !crate::flash::is_plain_form_post() {
        return crate::error::with_status(outcome);
    }
    // Without JavaScript: Post/Redirect/Get, with the outcome or the input kept for the next view.
    let stored = match &outcome {
        Ok(_) => QuestionnaireFlash::Saved,
        Err(AppError::Internal) => return crate::error::with_status(outcome),
        Err(error) => QuestionnaireFlash::Rejected {
            values: answers,
            error: error.clone(),
        },
    };
    crate::flash::put(&state, &server::answer_scope(consultation.id), &stored).await?;
    leptos_axum::redirect(&format!("{}#questionnaire", consultation.card.path()));
    Ok(Saved { saved_at: 0 })
}

/// The questionnaire editor of a consultation, with the results so far (initiators and
/// organisation admins of its organisation).
#[server(prefix = "/api", endpoint = "questionnaire_editor")]
pub async fn get_questionnaire_editor(
    org: String,
    slug: String,
) -> Result<QuestionnaireEditor, AppError> {
    use super::repo;
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let (c, _) = server::for_editor(&state, &org, &slug).await?;
            let questions = repo::questions(&state.db, c.id).await?;
            let results = repo::results(&state.db, c.id, &questions).await?;
            Ok(QuestionnaireEditor {
                locked: results.responses > 0,
                results_public: c.results_visibility.is_public_in(c.card.status),
                kept: crate::flash::take(&state, &server::editor_scope(&org, &slug)).await?,
                org_slug: c.card.org_slug.clone(),
                org_name: c.card.org_name.clone(),
                slug: c.card.slug.clone(),
                title: c.card.title.clone(),
                questions,
                results,
            })
        }
        .await,
    )
}

/// Adds a question (`question_id` empty) or changes one, as long as nobody has answered.
#[server(prefix = "/api", endpoint = "save_question")]
pub async fn save_question(
    org: String,
    slug: String,
    #[server(default)] question_id: String,
    kind: String,
    prompt: String,
    #[server(default)] help: String,
    #[server(default)] required: String,
    #[server(default)] options: String,
    #[server(default)] min_choices: String,
    #[server(default)] max_choices: String,
    #[server(default)] low_label: String,
    #[server(default)] high_label: String,
    #[server(default)] max_chars: String,
) -> Result<FormOutcome, AppError> {
    use super::{repo, QuestionInput};
    let state = crate::state::app_state()?;
    let outcome = async {
        let (c, user) = server::for_editor(&state, &org, &slug).await?;
        let draft = QuestionInput {
            kind: kind.clone(),
            prompt: prompt.clone(),
            help: help.clone(),
            required: !required.is_empty(),
            options: options.clone(),
            min_choices: min_choices.clone(),
            max_choices: max_choices.clone(),
            low_label: low_label.clone(),
            high_label: high_label.clone(),
            max_chars: max_chars.clone(),
        }
        .parse()?;
        let edit = if question_id.trim().is_empty() {
            repo::insert_question(&state.db, c.id, &draft).await?
        } else {
            let id = server::parse_question_id(&question_id)?;
            repo::update_question(&state.db, c.id, id, &draft).await?
        };
        let id = server::edit_outcome(edit)?;
        let reason = if question_id.trim().is_empty() {
            format!("question {id} added")
        } else {
            format!("question {id} changed")
        };
        server::record_change(&state, &c, &user, id, &reason).await?;
        tracing::info!(
            consultation_id = c.id,
            question_id = id,
            by = user.id,
            "question saved"
        );
        Ok(FormOutcome { redirect_to: None })
    }
    .await;
    let form = if question_id.trim().is_empty() {
        "add".to_string()
    } else {
        format!("q{}", question_id.trim())
    };
    let anchor = if form == "add" {
        "#add-question".to_string()
    } else {
        format!("#question-{}", question_id.trim())
    };
    server::answer_editor(
        &state,
        &org,
        &slug,
        outcome,
        &[
            ("form", &form),
            ("kind", &kind),
            ("prompt", &prompt),
            ("help", &help),
            ("required", &required),
            ("options", &options),
            ("min_choices", &min_choices),
            ("max_choices", &max_choices),
            ("low_label", &low_label),
            ("high_label", &high_label),
            ("max_chars", &max_chars),
        ],
        &anchor,
    )
    .await
}

/// Moves a question one place `up` or `down` (as long as nobody has answered).
#[server(prefix = "/api", endpoint = "move_question")]
pub async fn move_question(
    org: String,
    slug: String,
    question_id: String,
    direction: String,
) -> Result<FormOutcome, AppError> {
    use crate::error::{Field, Problem};
    let state = crate::state::app_state()?;
    let outcome = async {
        let (c, user) = server::for_editor(&state, &org, &slug).await?;
        let id = server::parse_question_id(&question_id)?;
        let up = match direction.as_str() {
            "up" => true,
            "down" => false,
            _ => return Err(AppError::invalid(Field::Question, Problem::UnknownOption)),
        };
        server::edit_outcome(super::repo::move_question(&state.db, c.id, id, up).await?)?;
        let reason = format!("question {id} moved {direction}");
        server::record_change(&state, &c, &user, id, &reason).await?;
        tracing::info!(
            consultation_id = c.id,
            question_id = id,
            by = user.id,
            "question moved"
        );
        Ok(FormOutcome { redirect_to: None })
    }
    .await;
    let form = format!("move-{}", question_id.trim());
    let anchor = format!("#question-{}", question_id.trim());
    server::answer_editor(&state, &org, &slug, outcome, &[("form", &form)], &anchor).await
}

/// Deletes a question (as long as nobody has answered).
#[server(prefix = "/api", endpoint = "delete_question")]
pub async fn delete_question(
    org: String,
    slug: String,
    question_id: String,
) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = async {
        let (c, user) = server::for_editor(&state, &org, &slug).await?;
        let id = server::parse_question_id(&question_id)?;
        server::edit_outcome(super::repo::delete_question(&state.db, c.id, id).await?)?;
        let reason = format!("question {id} deleted");
        server::record_change(&state, &c, &user, id, &reason).await?;
        tracing::info!(
            consultation_id = c.id,
            question_id = id,
            by = user.id,
            "question deleted"
        );
        Ok(FormOutcome { redirect_to: None })
    }
    .await;
    let form = format!("delete-{}", question_id.trim());
    server::answer_editor(
        &state,
        &org,
        &slug,
        outcome,
        &[("form", &form)],
        "#questions",
    )
    .await
}
