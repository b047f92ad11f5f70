//! One error type for server functions: a status code for HTTP, a stable code for the client,
//! and never the text of a database or I/O error.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Texts};

/// Which input field an error belongs to; the page shows the message next to that field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Body,
    AuthorName,
    Parent,
    Email,
    Password,
    DisplayName,
    CurrentPassword,
    Code,
    Role,
    Slug,
    Name,
    Count,
    Participation,
    ParentOrganisation,
    Title,
    Summary,
    PlainSummary,
    Topic,
    Office,
    Contact,
    OpensAt,
    ClosesAt,
    Moderation,
    Phase,
    Logo,
    Description,
    ContactEmail,
    Website,
    Imprint,
    Privacy,
    Results,
    ChangeNote,
    Image,
    AltText,
    Attachment,
    Section,
    Location,
    Area,
    Pin,
    /// An answer to a questionnaire question (per question, see `AppError::InvalidAnswers`).
    Answer,
    Question,
    Prompt,
    HelpText,
    Kind,
    Options,
    MinChoices,
    MaxChoices,
    LowLabel,
    HighLabel,
    MaxChars,
    /// The reply-notification choice.
    Notifications,
    Votes,
    /// The contributions an official answer is for.
    Contributions,
    /// The outcome of an official answer.
    AnswerStatus,
    /// The reason of an official answer.
    AnswerReason,
    /// A report's or a moderation decision's reason code.
    Reason,
    /// A report's explanation.
    ReportNote,
    /// An appeal's text.
    Appeal,
    /// An appeal's decision (upheld or rejected).
    Outcome,
    /// How many reports hide a contribution pending review.
    ReportThreshold,
    /// A moderator's note on a decision.
    Note,
    /// An export's file format.
    Format,
    /// An export's CSV separator.
    Separator,
    /// Where a barrier report says the problem is.
    PageUrl,
    /// A retention period in months.
    RetentionMonths,
    /// What a barrier report says went wrong.
    Barrier,
    /// The English version of a text that has a German one.
    English,
}

/// What is wrong with a field, as a code the client translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum Problem {
    Empty,
    TooLong {
        max: usize,
        actual: usize,
    },
    ControlCharacters,
    UnknownParent,
    InvalidEmail,
    TooShort {
        min: usize,
        actual: usize,
    },
    CommonPassword,
    Taken,
    SameAsCurrent,
    InvalidDisplayName,
    WrongPassword,
    WrongCode,
    UnknownRole,
    NoSuchAccount,
    InvalidSlug,
    /// An access code that does not exist here or was used already.
    UnknownAccessCode,
    /// A number outside what is allowed.
    OutOfRange {
        min: usize,
        max: usize,
    },
    UnknownRule,
    /// Not an http(s) web address.
    InvalidUrl,
    /// A file over the size limit.
    FileTooLarge {
        max_kib: usize,
    },
    /// Not a PNG, JPEG or WebP image.
    UnsupportedImage,
    /// Not a date and time (or one that does not exist).
    InvalidDate,
    /// An end before (or at) the start.
    EndBeforeStart,
    /// Not a PDF or an image we accept.
    UnsupportedDocument,
    /// A file name with path parts, control characters or nothing but dots.
    BadFileName,
    /// More files than a consultation may have.
    TooManyFiles {
        max: usize,
    },
    /// A line of the area text that is not "lat, lon".
    AreaLine {
        line: usize,
    },
    /// A coordinate of the area off the globe.
    AreaRange {
        line: usize,
    },
    /// Two points: neither a point nor an area.
    AreaTwoPoints,
    AreaTooManyPoints {
        max: usize,
    },
    /// An outline that crosses itself or encloses nothing.
    AreaSelfIntersecting,
    /// Pasted GeoJSON that is not a Point or a simple Polygon.
    AreaGeojson,
    /// A comment's pin that is not two numbers in range.
    PinInvalid,
    /// A comment's pin outside the consultation's area.
    PinOutside,
    /// A pin on a consultation that has no area.
    PinNoArea,
    /// Fewer options chosen than a multiple-choice question asks for.
    TooFewChoices {
        min: usize,
    },
    /// More options chosen than a question allows.
    TooManyChoices {
        max: usize,
    },
    /// An option (or question) that is not part of the questionnaire.
    UnknownOption,
    /// A ranking that does not give every option its own rank.
    RankingIncomplete,
    /// A question kind that does not exist.
    UnknownKind,
    TooFewOptions {
        min: usize,
    },
    TooManyOptions {
        max: usize,
    },
    DuplicateOption,
    TooManyQuestions {
        max: usize,
    },
}

/// What `Retry-After` says while the database cannot be reached: about how long a restart or a
/// failover takes.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not signed in where an account is needed.
    #[error("unauthenticated")]
    Unauthenticated,
    /// Wrong e-mail or password: one answer for both, so accounts cannot be discovered.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Correct credentials, but the address is not confirmed yet.
    #[error("e-mail not verified")]
    EmailNotVerified,
    /// A link token that is unknown, expired or already used.
    #[error("invalid token")]
    InvalidToken,
    /// A staff function, but the account has no second factor set up yet.
    #[error("two-factor authentication required")]
    TwoFactorRequired,
    /// The consultation's participation rule is not met (not signed in, no code, …).
    #[error("not a participant")]
    NotParticipant { rule: crate::participation::Rule },
    #[error("invalid input in {field:?}: {problem:?}")]
    Invalid { field: Field, problem: Problem },
    /// Answers to a questionnaire that do not fit their questions: one problem per question.
    #[error("invalid answers: {problems:?}")]
    InvalidAnswers {
        problems: Vec<crate::questionnaire::AnswerProblem>,
    },
    /// The request is well-formed but the state of things does not allow it (e.g. closed).
    #[error("conflict: {reason:?}")]
    Conflict { reason: ConflictReason },
    /// The person is blocked from contributing to the organisation's consultations until then.
    #[error("blocked")]
    Blocked { until: i64 },
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    #[error("internal error")]
    Internal,
    /// The database cannot be reached (stopped, restarting, every connection busy for longer
    /// than the pool waits): nothing was done, try again shortly. 503 with `Retry-After`.
    #[error("service unavailable")]
    Unavailable,
    /// Transport or encoding problem between browser and server (never carries server internals).
    #[error("request failed")]
    Transport,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictReason {
    ConsultationNotOpen,
    NothingToConfirm,
    /// Participation has opened: the rules that keep it fair no longer change.
    RulesFixed,
    /// The action does not fit the consultation's current phase.
    WrongPhase,
    /// Publishing a consultation whose participation window is already over.
    WindowOver,
    /// An e-mail change whose address another account took in the meantime.
    EmailTaken,
    /// Someone else saved the same thing since this form was loaded.
    EditedMeanwhile,
    /// A questionnaire's questions, once somebody has answered.
    QuestionsLocked,
    /// A comment's edit window (15 minutes) is over.
    EditWindowOver,
    /// The comment was deleted.
    CommentDeleted,
    /// One does not vote on one's own comment.
    OwnComment,
    /// The consultation takes support only, no objections.
    DownvotesOff,
    /// A contribution that has an official answer already.
    AlreadyAnswered,
    /// A contribution that is pending, hidden or deleted cannot get an official answer.
    NotAnswerable,
    /// One reports a contribution once.
    AlreadyReported,
    /// One appeals a moderation decision once.
    AppealExists,
    /// Only the author of a contribution hidden by a moderator may appeal.
    AppealNotAllowed,
    /// The moderator who hid a contribution does not decide the appeal against it.
    SameModerator,
    /// The appeal was decided already.
    AppealDecided,
}

impl AppError {
    pub fn invalid(field: Field, problem: Problem) -> Self {
        AppError::Invalid { field, problem }
    }

    pub fn field(&self) -> Option<Field> {
        match self {
            AppError::Invalid { field, .. } => Some(*field),
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Forbidden => 403,
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::EmailNotVerified => 403,
            AppError::InvalidToken => 410,
            AppError::TwoFactorRequired => 403,
            AppError::NotParticipant { .. } => 403,
            AppError::Blocked { .. } => 403,
            AppError::Invalid { .. } => 422,
            AppError::InvalidAnswers { .. } => 422,
            AppError::Conflict { .. } => 409,
            AppError::TooManyRequests { .. } => 429,
            AppError::Internal => 500,
            AppError::Unavailable => 503,
            AppError::Transport => 400,
        }
    }

    /// The seconds after which trying again makes sense, for the `Retry-After` header.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::TooManyRequests { retry_after } => Some(*retry_after),
            AppError::Unavailable => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        }
    }

    /// The message a person reads, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let t = Texts::get(lang);
        match self {
            AppError::NotFound => t.err_not_found.to_string(),
            AppError::Forbidden => t.err_forbidden.to_string(),
            AppError::Unauthenticated => t.err_unauthenticated.to_string(),
            AppError::InvalidCredentials => t.err_invalid_credentials.to_string(),
            AppError::EmailNotVerified => t.err_email_not_verified.to_string(),
            AppError::InvalidToken => t.err_invalid_token.to_string(),
            AppError::TwoFactorRequired => t.err_two_factor_required.to_string(),
            AppError::Invalid { field, problem } => match (field, problem) {
                (Field::Reason, _) => t.mr_err_reason.to_string(),
                (Field::ReportNote, Problem::Empty) => t.mr_err_report_note.to_string(),
                (Field::Outcome, _) => t.mr_err_outcome.to_string(),
                (Field::ReportThreshold, Problem::OutOfRange { min, max }) => {
                    (t.mr_err_threshold)(*min, *max)
                }
                (Field::Answer, Problem::Empty) => t.err_answer_required.to_string(),
                (Field::Answer, Problem::OutOfRange { min, max }) => {
                    (t.err_rating_range)(*min, *max)
                }
                (_, Problem::TooFewChoices { min }) => (t.err_too_few_choices)(*min),
                (_, Problem::TooManyChoices { max }) => (t.err_too_many_choices)(*max),
                (_, Problem::UnknownOption) => t.err_unknown_option.to_string(),
                (_, Problem::RankingIncomplete) => t.err_ranking_incomplete.to_string(),
                (_, Problem::UnknownKind) => t.err_unknown_kind.to_string(),
                (_, Problem::TooFewOptions { min }) => (t.err_too_few_options)(*min),
                (_, Problem::TooManyOptions { max }) => (t.err_too_many_options)(*max),
                (_, Problem::DuplicateOption) => t.err_duplicate_option.to_string(),
                (_, Problem::TooManyQuestions { max }) => (t.err_too_many_questions)(*max),
                (Field::Body, Problem::Empty) => t.err_body_empty.to_string(),
                (Field::Barrier, Problem::Empty) => t.err_barrier_empty.to_string(),
                (Field::PageUrl, Problem::Empty | Problem::InvalidUrl) => {
                    t.err_page_url.to_string()
                }
                (Field::Contributions, Problem::Empty) => t.oa_err_none_selected.to_string(),
                (Field::AnswerStatus, _) => t.oa_err_status.to_string(),
                (Field::Email, Problem::Empty) => t.err_email_empty.to_string(),
                (Field::Password | Field::CurrentPassword, Problem::Empty) => {
                    t.err_password_empty.to_string()
                }
                (_, Problem::InvalidEmail) => t.err_invalid_email.to_string(),
                (Field::DisplayName, Problem::Empty) => t.err_display_name_empty.to_string(),
                (_, Problem::TooShort { min, actual }) => (t.err_too_short)(*min, *actual),
                (_, Problem::CommonPassword) => t.err_common_password.to_string(),
                (Field::Slug, Problem::Taken) => t.err_slug_taken.to_string(),
                (_, Problem::Taken) => t.err_display_name_taken.to_string(),
                (_, Problem::SameAsCurrent) => t.err_same_email.to_string(),
                (_, Problem::InvalidDisplayName) => t.err_invalid_display_name.to_string(),
                (_, Problem::WrongPassword) => t.err_wrong_password.to_string(),
                (_, Problem::WrongCode) => t.err_wrong_code.to_string(),
                (_, Problem::UnknownRole) => t.err_unknown_role.to_string(),
                (_, Problem::NoSuchAccount) => t.err_no_such_account.to_string(),
                (_, Problem::InvalidSlug) => t.err_invalid_slug.to_string(),
                (_, Problem::UnknownAccessCode) => t.err_unknown_access_code.to_string(),
                (_, Problem::OutOfRange { min, max }) => (t.err_out_of_range)(*min, *max),
                (_, Problem::UnknownRule) => t.err_unknown_rule.to_string(),
                (_, Problem::InvalidUrl) => t.err_invalid_url.to_string(),
                (_, Problem::FileTooLarge { max_kib }) => (t.err_file_too_large)(*max_kib),
                (_, Problem::UnsupportedImage) => t.err_unsupported_image.to_string(),
                (_, Problem::InvalidDate) => t.err_invalid_date.to_string(),
                (_, Problem::EndBeforeStart) => t.err_end_before_start.to_string(),
                (_, Problem::AreaLine { line }) => (t.err_area_line)(*line),
                (_, Problem::AreaRange { line }) => (t.err_area_range)(*line),
                (_, Problem::AreaTwoPoints) => t.err_area_two_points.to_string(),
                (_, Problem::AreaTooManyPoints { max }) => (t.err_area_too_many_points)(*max),
                (_, Problem::AreaSelfIntersecting) => t.err_area_self_intersecting.to_string(),
                (_, Problem::AreaGeojson) => t.err_area_geojson.to_string(),
                (_, Problem::PinInvalid) => t.err_pin_invalid.to_string(),
                (_, Problem::PinOutside) => t.err_pin_outside.to_string(),
                (_, Problem::PinNoArea) => t.err_pin_no_area.to_string(),
                (Field::Logo | Field::Image | Field::Attachment, Problem::Empty) => {
                    t.err_no_file.to_string()
                }
                (Field::AltText, Problem::Empty) => t.err_alt_text_empty.to_string(),
                (_, Problem::UnsupportedDocument) => t.err_unsupported_document.to_string(),
                (_, Problem::BadFileName) => t.err_bad_file_name.to_string(),
                (_, Problem::TooManyFiles { max }) => (t.err_too_many_files)(*max),
                (Field::Section, _) => t.err_unknown_section.to_string(),
                (Field::Code, Problem::Empty) => t.err_code_empty.to_string(),
                (_, Problem::TooLong { max, actual }) => (t.err_too_long)(*max, *actual),
                (_, Problem::ControlCharacters) => t.err_control_chars.to_string(),
                (Field::ParentOrganisation, Problem::UnknownParent) => {
                    t.err_unknown_parent_org.to_string()
                }
                (_, Problem::UnknownParent) => t.err_unknown_parent.to_string(),
                (_, Problem::Empty) => t.err_field_empty.to_string(),
            },
            AppError::Conflict {
                reason: ConflictReason::ConsultationNotOpen,
            } => t.err_not_open.to_string(),
            AppError::Conflict {
                reason: ConflictReason::NothingToConfirm,
            } => t.err_nothing_to_confirm.to_string(),
            AppError::Conflict {
                reason: ConflictReason::EmailTaken,
            } => t.err_email_taken.to_string(),
            AppError::Conflict {
                reason: ConflictReason::RulesFixed,
            } => t.err_rules_fixed.to_string(),
            AppError::Conflict {
                reason: ConflictReason::WrongPhase,
            } => t.err_wrong_phase.to_string(),
            AppError::Conflict {
                reason: ConflictReason::WindowOver,
            } => t.err_window_over.to_string(),
            AppError::Conflict {
                reason: ConflictReason::EditedMeanwhile,
            } => t.err_edited_meanwhile.to_string(),
            AppError::Conflict {
                reason: ConflictReason::QuestionsLocked,
            } => t.err_questions_locked.to_string(),
            AppError::InvalidAnswers { .. } => t.err_invalid_answers.to_string(),
            AppError::Conflict {
                reason: ConflictReason::EditWindowOver,
            } => t.err_edit_window_over.to_string(),
            AppError::Conflict {
                reason: ConflictReason::CommentDeleted,
            } => t.err_comment_deleted.to_string(),
            AppError::Conflict {
                reason: ConflictReason::OwnComment,
            } => t.err_own_comment.to_string(),
            AppError::Conflict {
                reason: ConflictReason::DownvotesOff,
            } => t.err_downvotes_off.to_string(),
            AppError::Conflict {
                reason: ConflictReason::AlreadyAnswered,
            } => t.oa_err_already_answered.to_string(),
            AppError::Conflict {
                reason: ConflictReason::NotAnswerable,
            } => t.oa_err_not_answerable.to_string(),
            AppError::Conflict {
                reason: ConflictReason::AlreadyReported,
            } => t.mr_err_already_reported.to_string(),
            AppError::Conflict {
                reason: ConflictReason::AppealExists,
            } => t.mr_err_appeal_exists.to_string(),
            AppError::Conflict {
                reason: ConflictReason::AppealNotAllowed,
            } => t.mr_err_appeal_not_allowed.to_string(),
            AppError::Conflict {
                reason: ConflictReason::SameModerator,
            } => t.mr_err_same_moderator.to_string(),
            AppError::Conflict {
                reason: ConflictReason::AppealDecided,
            } => t.mr_err_appeal_decided.to_string(),
            AppError::Blocked { until } => {
                (t.mr_err_blocked)(&crate::i18n::format_date(lang, *until))
            }
            AppError::NotParticipant { rule } => match rule {
                crate::participation::Rule::Account => t.err_need_account,
                crate::participation::Rule::Email => t.err_need_email_link,
                crate::participation::Rule::Code => t.err_need_code,
            }
            .to_string(),
            AppError::TooManyRequests { retry_after } => (t.err_too_many)(*retry_after),
            AppError::Internal | AppError::Unavailable => t.err_internal.to_string(),
            AppError::Transport => t.err_transport.to_string(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed arguments are the client's fault; everything else is transport trouble.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::Transport,
            ServerFnErrorErr::ServerError(_) => AppError::Internal,
            _ => AppError::Transport,
        }
    }

    /// The error as the body of a server function's answer. A database outage also sets the
    /// answer's status here (503 and `Retry-After`), so that every server function answers it
    /// alike, whether it calls [`with_status`] or not. Not for a plain form post: the framework
    /// sends that back to its page, which then says what is wrong.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        if *self == AppError::Unavailable && !crate::flash::is_plain_form_post() {
            set_response_status(self);
        }
        use leptos::server_fn::Encodes;
        JsonEncoding::encode(self)
            .unwrap_or_else(|_| leptos::server_fn::Bytes::from_static(br#"{"kind":"internal"}"#))
    }
}

/// Whether a database error means the database cannot be reached right now, rather than that
/// this statement failed: the pool found no working connection in time, the connection broke,
/// or PostgreSQL is shutting down, starting up or out of connections.
#[cfg(feature = "ssr")]
pub fn is_outage(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| is_outage_sqlstate(&code)),
        _ => false,
    }
}

/// PostgreSQL's SQLSTATEs for "not now": class 08 (connection exception), admin and crash
/// shutdown, "the database system is starting up", too many connections.
#[cfg(any(feature = "ssr", test))]
fn is_outage_sqlstate(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        // Logged once here, with context; the client only learns that something failed.
        if is_outage(&err) {
            tracing::warn!(error = %err, "database unavailable");
            AppError::Unavailable
        } else {
            tracing::error!(error = %err, "database error");
            AppError::Internal
        }
    }
}

/// Sets the HTTP status of the current server-function response (or page) to match the error.
#[cfg(feature = "ssr")]
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        set_response_status(err);
    }
    result
}

/// The one place an error becomes the answer's status and `Retry-After`.
#[cfg(feature = "ssr")]
fn set_response_status(err: &AppError) {
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(
            http::StatusCode::from_u16(err.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
        if let Some(secs) = err.retry_after() {
            if let Ok(v) = http::HeaderValue::from_str(&secs.to_string()) {
                res.insert_header(http::header::RETRY_AFTER, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_database_is_503_with_retry_after() {
        assert_eq!(AppError::Unavailable.status(), 503);
        assert_eq!(
            AppError::Unavailable.retry_after(),
            Some(UNAVAILABLE_RETRY_AFTER_SECS)
        );
        assert_eq!(
            AppError::TooManyRequests { retry_after: 7 }.retry_after(),
            Some(7)
        );
        assert_eq!(AppError::Internal.retry_after(), None);
    }

    #[test]
    fn connection_trouble_is_an_outage_a_failed_statement_is_not() {
        for code in ["08006", "08001", "57P01", "57P02", "57P03", "53300"] {
            assert!(is_outage_sqlstate(code), "{code}");
        }
        // Unique violation, serialization failure, SQLite's "database is locked" (5).
        for code in ["23505", "40001", "5", "2067"] {
            assert!(!is_outage_sqlstate(code), "{code}");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn pool_and_connection_errors_are_outages() {
        assert!(is_outage(&sqlx::Error::PoolTimedOut));
        assert!(is_outage(&sqlx::Error::PoolClosed));
        assert!(is_outage(&sqlx::Error::Io(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset
        ))));
        assert!(!is_outage(&sqlx::Error::RowNotFound));
        assert!(matches!(
            AppError::from(sqlx::Error::PoolTimedOut),
            AppError::Unavailable
        ));
        assert!(matches!(
            AppError::from(sqlx::Error::RowNotFound),
            AppError::Internal
        ));
    }
}
