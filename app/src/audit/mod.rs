//! The audit log: every staff action — moderation, publishing, role changes, exports, official
//! answers — recorded append-only with actor, time, object and reason. The database refuses to
//! change or delete an entry (triggers in the migration); staff of the organisation read and
//! filter it at `/manage/{org}/audit`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod views;

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
    // The instance (legal pages, settings, barrier reports, retention)
    LegalPageSaved,
    SettingsChanged,
    BarrierReportAnswered,
    RetentionChanged,
    RetentionRun,
}

impl Action {
    pub const ALL: [Action; 25] = [
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
        Action::LegalPageSaved,
        Action::SettingsChanged,
        Action::BarrierReportAnswered,
        Action::RetentionChanged,
        Action::RetentionRun,
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
            Action::LegalPageSaved => "legal_page_saved",
            Action::SettingsChanged => "settings_changed",
            Action::BarrierReportAnswered => "barrier_report_answered",
            Action::RetentionChanged => "retention_changed",
            Action::RetentionRun => "retention_run",
        }
    }

    /// The action in words, in the reader's language.
    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            Action::ConsultationCreated => t.au_a_consultation_created,
            Action::ConsultationSaved => t.au_a_consultation_saved,
            Action::PhaseChanged => t.au_a_phase_changed,
            Action::FileAdded => t.au_a_file_added,
            Action::FileRemoved => t.au_a_file_removed,
            Action::QuestionnaireChanged => t.au_a_questionnaire_changed,
            Action::AccessCodesCreated => t.au_a_access_codes_created,
            Action::OrganisationCreated => t.au_a_organisation_created,
            Action::OrganisationUpdated => t.au_a_organisation_updated,
            Action::StaffAppointed => t.au_a_staff_appointed,
            Action::StaffRemoved => t.au_a_staff_removed,
            Action::Exported => t.au_a_exported,
            Action::CommentApproved => t.au_a_comment_approved,
            Action::CommentHidden => t.au_a_comment_hidden,
            Action::CommentRedacted => t.au_a_comment_redacted,
            Action::AuthorBlocked => t.au_a_author_blocked,
            Action::AppealDecided => t.au_a_appeal_decided,
            Action::AnswerPublished => t.au_a_answer_published,
            Action::AnswerChanged => t.au_a_answer_changed,
            Action::AnswerRemoved => t.au_a_answer_removed,
            Action::LegalPageSaved => t.au_a_legal_page_saved,
            Action::SettingsChanged => t.au_a_settings_changed,
            Action::BarrierReportAnswered => t.au_a_barrier_report_answered,
            Action::RetentionChanged => t.au_a_retention_changed,
            Action::RetentionRun => t.au_a_retention_run,
        }
    }

    /// The action named `s` (from the database or a filter in the address); `None` otherwise.
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Entries per page of the audit log.
pub const PAGE_SIZE: i64 = 50;

/// What an action was done to: a kind and, where it has one, its id and a label (a title, a
/// name) as it was at the time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Object {
    pub kind: ObjectKind,
    pub id: Option<i64>,
    pub label: String,
}

impl Object {
    pub fn new(kind: ObjectKind, id: Option<i64>, label: impl Into<String>) -> Object {
        Object {
            kind,
            id,
            label: label.into(),
        }
    }

    pub fn consultation(id: i64, title: impl Into<String>) -> Object {
        Object::new(ObjectKind::Consultation, Some(id), title)
    }

    pub fn organisation(id: i64, name: impl Into<String>) -> Object {
        Object::new(ObjectKind::Organisation, Some(id), name)
    }

    pub fn account(id: i64, display_name: impl Into<String>) -> Object {
        Object::new(ObjectKind::Account, Some(id), display_name)
    }
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
    /// The installation itself: its legal pages, settings, barrier reports.
    Instance,
}

impl ObjectKind {
    pub const ALL: [ObjectKind; 9] = [
        ObjectKind::Organisation,
        ObjectKind::Consultation,
        ObjectKind::Comment,
        ObjectKind::Appeal,
        ObjectKind::Account,
        ObjectKind::Answer,
        ObjectKind::File,
        ObjectKind::Questionnaire,
        ObjectKind::Instance,
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
            ObjectKind::Instance => "instance",
        }
    }

    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            ObjectKind::Organisation => t.au_kind_organisation,
            ObjectKind::Consultation => t.au_kind_consultation,
            ObjectKind::Comment => t.au_kind_comment,
            ObjectKind::Appeal => t.au_kind_appeal,
            ObjectKind::Account => t.au_kind_account,
            ObjectKind::Answer => t.au_kind_answer,
            ObjectKind::File => t.au_kind_file,
            ObjectKind::Questionnaire => t.au_kind_questionnaire,
            ObjectKind::Instance => t.au_kind_instance,
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

impl<'a> Entry<'a> {
    /// An entry with nothing but the action and its object; the builder methods add the rest.
    pub fn new(action: Action, object: Object) -> Entry<'a> {
        Entry {
            organisation_id: None,
            consultation_id: None,
            actor: None,
            action,
            object,
            subject_user_id: None,
            reason: "",
        }
    }

    /// Done by this staff member (id, display name at the time).
    pub fn by(mut self, id: i64, display_name: &'a str) -> Entry<'a> {
        self.actor = Some((id, display_name));
        self
    }

    pub fn organisation(mut self, id: i64) -> Entry<'a> {
        self.organisation_id = Some(id);
        self
    }

    pub fn consultation(mut self, id: i64) -> Entry<'a> {
        self.consultation_id = Some(id);
        self
    }

    pub fn subject(mut self, user_id: i64) -> Entry<'a> {
        self.subject_user_id = Some(user_id);
        self
    }

    pub fn reason(mut self, reason: &'a str) -> Entry<'a> {
        self.reason = reason;
        self
    }
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
    /// The concerned person's display name now ('' when the account is gone or there is none).
    pub subject_name: String,
    pub reason: String,
    /// Where the object can be seen now (a consultation, a contribution), if it still exists.
    pub link: Option<String>,
}

/// The audit log's filter as read from the address: every part allow-listed or parsed, anything
/// else ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub action: Option<Action>,
    pub consultation: Option<i64>,
    pub actor: Option<i64>,
    pub subject: Option<i64>,
    pub before: Option<i64>,
}

impl AuditQuery {
    /// Parses the address's values: an unknown action or a non-number is no filter.
    pub fn parse(
        action: &str,
        consultation: &str,
        actor: &str,
        subject: &str,
        before: &str,
    ) -> Self {
        let id = |raw: &str| raw.trim().parse::<i64>().ok().filter(|n| *n > 0);
        AuditQuery {
            action: Action::parse(action.trim()),
            consultation: id(consultation),
            actor: id(actor),
            subject: id(subject),
            before: id(before),
        }
    }

    /// The query string of this filter (without `before`), for links that keep it.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(a) = self.action {
            parts.push(format!("action={}", a.as_str()));
        }
        if let Some(c) = self.consultation {
            parts.push(format!("consultation={c}"));
        }
        if let Some(a) = self.actor {
            parts.push(format!("actor={a}"));
        }
        if let Some(s) = self.subject {
            parts.push(format!("subject={s}"));
        }
        parts.join("&")
    }
}

/// The audit log page of an organisation: one page of entries and what the filter offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub org_slug: String,
    pub org_name: String,
    pub query: AuditQuery,
    pub records: Vec<Record>,
    /// The organisation's consultations (id, title), for the filter.
    pub consultations: Vec<(i64, String)>,
    /// The people who appear as actors in the organisation's log (id, latest name).
    pub actors: Vec<(i64, String)>,
    /// The concerned person the filter names, if any (display name, '' when gone).
    pub subject_name: Option<String>,
    /// `before=` of the next (older) page, when there is one.
    pub next_before: Option<i64>,
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

    #[test]
    fn a_filter_keeps_only_what_it_knows() {
        let q = AuditQuery::parse("drop", "1 OR 1=1", "7", "-3", "x");
        assert_eq!(
            q,
            AuditQuery {
                actor: Some(7),
                ..Default::default()
            }
        );
        let q = AuditQuery::parse("phase_changed", "12", "", "4", "99");
        assert_eq!(q.action, Some(Action::PhaseChanged));
        assert_eq!(q.before, Some(99));
        assert_eq!(
            q.to_query(),
            "action=phase_changed&consultation=12&subject=4"
        );
    }
}
