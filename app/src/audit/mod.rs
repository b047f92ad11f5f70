//! The audit log: every staff action — moderation, publishing, role changes, exports, official
//! answers — recorded append-only with actor, time, object and reason. The database refuses to
//! change or delete an entry (triggers in the migration); staff of the organisation read and
//! filter it at `/manage/{org}/audit`.

#[cfg(feature = "ssr")]
pub mod repo;

use serde::{Deserialize, Serialize};

/// What a staff member did. Stored as its snake_case name; new actions are added at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    // Consultations
    ConsultationCreated,
    ConsultationSaved,
    PhaseChanged,
    FileAdded,
    FileRemoved,
    QuestionnaireChanged,
    AccessCodesCreated,
    // Organisation and roles
    OrganisationCreated,
    OrganisationUpdated,
    StaffAppointed,
    StaffRemoved,
    // Exports
    Exported,
    // Moderation
    CommentApproved,
    CommentHidden,
    CommentRedacted,
    AuthorBlocked,
    AppealDecided,
    // Official answers
    AnswerPublished,
    AnswerChanged,
    AnswerRemoved,
}

impl Action {
    pub const ALL: [Action; 20] = [
        Action::ConsultationCreated,
        Action::ConsultationSaved,
        Action::PhaseChanged,
        Action::FileAdded,
        Action::FileRemoved,
        Action::QuestionnaireChanged,
        Action::AccessCodesCreated,
        Action::OrganisationCreated,
        Action::OrganisationUpdated,
        Action::StaffAppointed,
        Action::StaffRemoved,
        Action::Exported,
        Action::CommentApproved,
        Action::CommentHidden,
        Action::CommentRedacted,
        Action::AuthorBlocked,
        Action::AppealDecided,
        Action::AnswerPublished,
        Action::AnswerChanged,
        Action::AnswerRemoved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::ConsultationCreated => "consultation_created",
            Action::ConsultationSaved => "consultation_saved",
            Action::PhaseChanged => "phase_changed",
            Action::FileAdded => "file_added",
            Action::FileRemoved => "file_removed",
            Action::QuestionnaireChanged => "questionnaire_changed",
            Action::AccessCodesCreated => "access_codes_created",
            Action::OrganisationCreated => "organisation_created",
            Action::OrganisationUpdated => "organisation_updated",
            Action::StaffAppointed => "staff_appointed",
            Action::StaffRemoved => "staff_removed",
            Action::Exported => "exported",
            Action::CommentApproved => "comment_approved",
            Action::CommentHidden => "comment_hidden",
            Action::CommentRedacted => "comment_redacted",
            Action::AuthorBlocked => "author_blocked",
            Action::AppealDecided => "appeal_decided",
            Action::AnswerPublished => "answer_published",
            Action::AnswerChanged => "answer_changed",
            Action::AnswerRemoved => "answer_removed",
        }
    }

    /// The action named `s` (from the database or a filter in the address); `None` otherwise.
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// What an action was done to: a kind and, where it has one, its id and a label (a title, a
/// name) as it was at the time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Object {
    pub kind: ObjectKind,
    pub id: Option<i64>,
    pub label: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Organisation,
    Consultation,
    Comment,
    Appeal,
    Account,
    Answer,
    File,
    Questionnaire,
}

impl ObjectKind {
    pub const ALL: [ObjectKind; 8] = [
        ObjectKind::Organisation,
        ObjectKind::Consultation,
        ObjectKind::Comment,
        ObjectKind::Appeal,
        ObjectKind::Account,
        ObjectKind::Answer,
        ObjectKind::File,
        ObjectKind::Questionnaire,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Organisation => "organisation",
            ObjectKind::Consultation => "consultation",
            ObjectKind::Comment => "comment",
            ObjectKind::Appeal => "appeal",
            ObjectKind::Account => "account",
            ObjectKind::Answer => "answer",
            ObjectKind::File => "file",
            ObjectKind::Questionnaire => "questionnaire",
        }
    }

    pub fn parse(s: &str) -> Option<ObjectKind> {
        ObjectKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry as it is written: who (the acting staff member), what, on what, in which
/// organisation and consultation, concerning whom, and why.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub organisation_id: Option<i64>,
    pub consultation_id: Option<i64>,
    /// The acting account and its display name at the time (`None`: the system, e.g. the report
    /// threshold or a command-line run).
    pub actor: Option<(i64, &'a str)>,
    pub action: Action,
    pub object: Object,
    /// The person the action concerns: a contribution's author, an appointed member.
    pub subject_user_id: Option<i64>,
    /// A reason code and/or text; empty where an action has none.
    pub reason: &'a str,
}

/// One entry as staff read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: i64,
    pub created_at: i64,
    pub actor_name: String,
    pub action: Option<Action>,
    /// The stored action name (for an action this build does not know).
    pub action_name: String,
    pub object_kind: String,
    pub object_id: Option<i64>,
    pub object_label: String,
    pub consultation_id: Option<i64>,
    pub subject_user_id: Option<i64>,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_and_kind_round_trips_through_its_name() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        for kind in ObjectKind::ALL {
            assert_eq!(ObjectKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Action::parse("drop table"), None);
    }
}
