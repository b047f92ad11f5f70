//! Server functions of the legal pages: reading them (everyone), reporting a barrier (everyone, no
//! sign-in, rate-limited), and the instance admin's editing, settings and report list. A
//! consultation's own retention period is set by its initiators and organisation admins.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{AdminOverview, LegalPage, PageKind, PageSource, ReportList};
use crate::account::api::{FormDraft, FormOutcome};
use crate::error::AppError;

/// Where the footer's imprint and privacy links lead on an organisation's pages: its own pages
/// when it set them, else the instance's (`None`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FooterLinks {
    pub imprint: Option<String>,
    pub privacy: Option<String>,
}

/// A consultation's retention period as its export page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationPeriod {
    pub instance_months: i64,
    pub own_months: Option<i64>,
    pub kept: Option<FormDraft>,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::account::Email;
    use crate::error::{Field, Problem};
    use crate::i18n::{use_lang, Lang};
    use crate::legal::repo;
    use crate::state::AppState;

    pub const REPORT_SCOPE: &str = "legal:report";
    pub const SETTINGS_SCOPE: &str = "legal:settings";
    pub const REPORTS_SCOPE: &str = "legal:reports";

    pub fn page_scope(kind: PageKind) -> String {
        format!("legal:page:{}", kind.as_str())
    }

    pub fn period_scope(org: &str, slug: &str) -> String {
        format!("legal:retention:{org}/{slug}")
    }

    /// Stores a report, tells the instance admins and confirms to the reporter (if they left an
    /// address). A mail that cannot go out is logged by the mailer; the report is kept anyway.
    pub async fn report(
        state: &AppState,
        page_url: &str,
        description: &str,
        contact: &str,
    ) -> Result<FormOutcome, AppError> {
        let page_url = super::super::parse_page_url(page_url)?;
        let description = crate::input::required_text(
            Field::Barrier,
            description,
            super::super::MAX_REPORT_CHARS,
        )?;
        let contact = match contact.trim() {
            "" => None,
            raw => Some(Email::parse(raw).map_err(|e| match e {
                AppError::Invalid { problem, .. } => {
                    AppError::invalid(Field::ContactEmail, problem)
                }
                other => other,
            })?),
        };
        crate::ratelimit::hit(
            state,
            crate::ratelimit::Limit::BarrierReportPerClient,
            crate::ratelimit::Subject::Client,
        )
        .await?;
        let lang = use_lang();
        let id = repo::insert_report(
            &state.db,
            &page_url,
            &description,
            contact.as_ref().map(|c| c.as_str()),
            lang,
        )
        .await?;
        let list = format!("{}/admin/reports#report-{id}", state.settings.base_url);
        for (to, admin_lang) in repo::admin_addresses(&state.db).await? {
            let mail = crate::mail::templates::barrier_report(
                admin_lang,
                &to,
                &page_url,
                &description,
                contact.is_some(),
                &list,
            );
            let _ = state.mailer.send(mail).await;
        }
        if let Some(address) = &contact {
            let mail =
                crate::mail::templates::barrier_report_received(lang, address.as_str(), &page_url);
            let _ = state.mailer.send(mail).await;
        }
        tracing::info!(report_id = id, "barrier report received");
        Ok(FormOutcome { redirect_to: None })
    }

    pub async fn facts(state: &AppState) -> Result<super::super::RetentionFacts, AppError> {
        let settings = repo::settings(&state.db).await?;
        let idle = crate::account::session::IDLE_TIMEOUT_SECS;
        let max = crate::account::session::ABSOLUTE_TIMEOUT_SECS;
        Ok(super::super::RetentionFacts {
            months: settings.retention_months,
            shorter: repo::shorter_periods(&state.db, settings.retention_months).await?,
            daily_job: settings.retention_job,
            unverified_days: super::super::UNVERIFIED_DAYS,
            contact_days: super::super::CONTACT_DAYS,
            rate_key_hours: super::super::RATE_KEY_HOURS,
            session_idle_hours: idle / 3600,
            session_max_days: max / 86_400,
        })
    }

    /// A page in the reader's language: the saved text, else the German one, else the template.
    pub async fn page(state: &AppState, kind: PageKind, lang: Lang) -> Result<LegalPage, AppError> {
        let (html, text_lang, updated_at) = match repo::page(&state.db, kind, lang).await? {
            Some((_, html, at)) => (html, lang, Some(at)),
            None => match repo::page(&state.db, kind, Lang::De).await? {
                Some((_, html, at)) => (html, Lang::De, Some(at)),
                None => (
                    crate::markdown::render(super::super::templates::template(kind, lang)),
                    lang,
                    None,
                ),
            },
        };
        let viewer = crate::account::api::current_user().await?;
        Ok(LegalPage {
            kind,
            html,
            text_lang: text_lang.code().to_string(),
            updated_at,
            retention: match kind {
                PageKind::Privacy => Some(facts(state).await?),
                _ => None,
            },
            kept: match kind {
                PageKind::Accessibility => crate::flash::take(state, REPORT_SCOPE).await?,
                _ => None,
            },
            can_edit: viewer.is_some_and(|u| u.is_instance_admin),
        })
    }

    /// The months typed in a retention form: 1 to `max`.
    pub fn parse_months(raw: &str, max: i64) -> Result<i64, AppError> {
        let range = Problem::OutOfRange {
            min: 1,
            max: max as usize,
        };
        let months = raw
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid(Field::RetentionMonths, range))?;
        if (1..=max).contains(&months) {
            Ok(months)
        } else {
            Err(AppError::invalid(Field::RetentionMonths, range))
        }
    }

    pub fn answer_scope_outcome(outcome: Result<(), AppError>) -> Result<FormOutcome, AppError> {
        outcome.map(|_| FormOutcome { redirect_to: None })
    }
}

/// A legal page (`/barrierefreiheit`, `/datenschutz`, `/impressum`) in the reader's language.
#[server(prefix = "/api", endpoint = "legal_page")]
pub async fn get_legal_page(kind: PageKind) -> Result<LegalPage, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            server::page(&state, kind, crate::i18n::use_lang()).await
        }
        .await,
    )
}

/// Reports a barrier: no sign-in needed; limited per network like every write.
#[server(prefix = "/api", endpoint = "report_barrier")]
pub async fn report_barrier(
    page_url: String,
    description: String,
    contact_email: String,
) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = server::report(&state, &page_url, &description, &contact_email).await;
    crate::account::api::answer_in(
        &state,
        server::REPORT_SCOPE,
        outcome,
        &[
            ("page_url", &page_url),
            ("description", &description),
            ("contact_email", &contact_email),
        ],
        None,
        "/barrierefreiheit#melden",
    )
    .await
}

/// The footer's imprint and privacy links for a page of the organisation `org` (its own pages
/// where it set them). An unknown organisation gets the instance's.
#[server(prefix = "/api", endpoint = "footer_links")]
pub async fn get_footer_links(org: String) -> Result<FooterLinks, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            if crate::organisation::parse_slug(&org).is_err() {
                return Ok(FooterLinks::default());
            }
            let found = crate::organisation::repo::find_by_slug(&state.db, &org).await?;
            let nonempty = |s: String| (!s.is_empty()).then_some(s);
            Ok(found.map_or_else(FooterLinks::default, |o| FooterLinks {
                imprint: nonempty(o.imprint_url),
                privacy: nonempty(o.privacy_url),
            }))
        }
        .await,
    )
}

/// The instance admin's overview.
#[server(prefix = "/api", endpoint = "admin_overview")]
pub async fn get_admin_overview() -> Result<AdminOverview, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            crate::account::api::require_instance_admin().await?;
            let (open, overdue) = super::repo::report_counts(&state.db, crate::db::now()).await?;
            let filter = crate::audit::repo::Filter {
                limit: 20,
                ..Default::default()
            };
            Ok(AdminOverview {
                settings: super::repo::settings(&state.db).await?,
                pages: super::repo::pages_saved(&state.db).await?,
                open_reports: open,
                overdue_reports: overdue,
                audit: crate::audit::repo::list(&state.db, None, &filter).await?,
                kept: crate::flash::take(&state, server::SETTINGS_SCOPE).await?,
            })
        }
        .await,
    )
}

/// Saves the instance's retention settings (instance admins).
#[server(prefix = "/api", endpoint = "save_instance_settings")]
pub async fn save_instance_settings(
    retention_months: String,
    retention_job: Option<String>,
) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let job = retention_job.clone().unwrap_or_default();
    let outcome = async {
        let admin = crate::account::api::require_instance_admin().await?;
        let months = server::parse_months(&retention_months, super::MAX_RETENTION_MONTHS)?;
        let settings = super::InstanceSettings {
            retention_months: months,
            retention_job: !job.is_empty(),
        };
        super::repo::save_settings(&state.db, &settings, (admin.id, &admin.display_name)).await?;
        Ok(())
    }
    .await;
    crate::account::api::answer_in(
        &state,
        server::SETTINGS_SCOPE,
        server::answer_scope_outcome(outcome),
        &[
            ("retention_months", &retention_months),
            ("retention_job", &job),
        ],
        None,
        "/admin#settings",
    )
    .await
}

/// A page's Markdown for the editor (instance admins); the template when never saved.
#[server(prefix = "/api", endpoint = "legal_page_source")]
pub async fn get_page_source(kind: PageKind) -> Result<PageSource, AppError> {
    use crate::i18n::Lang;
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            crate::account::api::require_instance_admin().await?;
            let de = super::repo::page(&state.db, kind, Lang::De).await?;
            let en = super::repo::page(&state.db, kind, Lang::En).await?;
            let saved = de.is_some() || en.is_some();
            let updated_at = de.iter().chain(en.iter()).map(|p| p.2).max();
            let text = |p: Option<(String, String, i64)>, lang| match p {
                Some((md, _, _)) => md,
                None if !saved => super::templates::template(kind, lang).to_string(),
                None => String::new(),
            };
            Ok(PageSource {
                kind,
                de: text(de, Lang::De),
                en: text(en, Lang::En),
                updated_at,
                kept: crate::flash::take(&state, &server::page_scope(kind)).await?,
            })
        }
        .await,
    )
}

/// Saves a legal page in German and English (instance admins); recorded in the instance's log.
#[server(prefix = "/api", endpoint = "save_legal_page")]
pub async fn save_legal_page(
    kind: String,
    de: String,
    en: String,
) -> Result<FormOutcome, AppError> {
    use crate::error::Field;
    let state = crate::state::app_state()?;
    let parsed = PageKind::parse(&kind).ok_or(AppError::NotFound);
    let outcome = async {
        let admin = crate::account::api::require_instance_admin().await?;
        let kind = parsed.clone()?;
        let de = crate::input::required_text(Field::Description, &de, super::MAX_PAGE_CHARS)?;
        let en = crate::input::text(Field::English, &en, super::MAX_PAGE_CHARS)?;
        super::repo::save_page(
            &state.db,
            kind,
            &de,
            &en,
            Some((admin.id, &admin.display_name)),
        )
        .await?;
        Ok(())
    }
    .await;
    let Ok(kind) = parsed else {
        return crate::error::with_status(Err(AppError::NotFound));
    };
    crate::account::api::answer_in(
        &state,
        &server::page_scope(kind),
        server::answer_scope_outcome(outcome),
        &[("de", &de), ("en", &en)],
        None,
        &format!("/admin/pages/{}", kind.as_str()),
    )
    .await
}

/// All barrier reports (instance admins).
#[server(prefix = "/api", endpoint = "barrier_reports")]
pub async fn get_barrier_reports() -> Result<ReportList, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            crate::account::api::require_instance_admin().await?;
            Ok(ReportList {
                reports: super::repo::reports(&state.db).await?,
                now: crate::db::now(),
                kept: crate::flash::take(&state, server::REPORTS_SCOPE).await?,
            })
        }
        .await,
    )
}

/// Marks a report answered (instance admins); a report already answered is a conflict.
#[server(prefix = "/api", endpoint = "answer_barrier_report")]
pub async fn answer_barrier_report(id: i64, note: String) -> Result<FormOutcome, AppError> {
    use crate::error::Field;
    let state = crate::state::app_state()?;
    let outcome = async {
        let admin = crate::account::api::require_instance_admin().await?;
        let note = crate::input::text(Field::Note, &note, super::MAX_NOTE_CHARS)?;
        if super::repo::answer_report(&state.db, id, &note, (admin.id, &admin.display_name)).await?
        {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
    .await;
    let id_text = id.to_string();
    crate::account::api::answer_in(
        &state,
        server::REPORTS_SCOPE,
        server::answer_scope_outcome(outcome),
        &[("id", &id_text), ("note", &note)],
        None,
        &format!("/admin/reports#report-{id}"),
    )
    .await
}

/// A consultation's retention period for its export page (initiators and organisation admins).
#[server(prefix = "/api", endpoint = "consultation_period")]
pub async fn get_consultation_period(
    org: String,
    slug: String,
) -> Result<ConsultationPeriod, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let (c, _) = crate::questionnaire::api::for_editor(&state, &org, &slug).await?;
            Ok(ConsultationPeriod {
                instance_months: super::repo::settings(&state.db).await?.retention_months,
                own_months: super::repo::consultation_period(&state.db, c.id).await?,
                kept: crate::flash::take(&state, &server::period_scope(&org, &slug)).await?,
            })
        }
        .await,
    )
}

/// Sets a consultation's own, shorter retention period (empty: the instance's).
#[server(prefix = "/api", endpoint = "set_consultation_period")]
pub async fn set_consultation_period(
    org: String,
    slug: String,
    months: String,
) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = async {
        let (c, user) = crate::questionnaire::api::for_editor(&state, &org, &slug).await?;
        let instance = super::repo::settings(&state.db).await?.retention_months;
        let months = match months.trim() {
            "" => None,
            raw => Some(server::parse_months(raw, instance)?),
        };
        super::repo::set_consultation_period(
            &state.db,
            (c.id, c.organisation_id, &c.card.title),
            months,
            (user.id, &user.display_name),
        )
        .await?;
        Ok(())
    }
    .await;
    crate::account::api::answer_in(
        &state,
        &server::period_scope(&org, &slug),
        server::answer_scope_outcome(outcome),
        &[("months", &months)],
        None,
        &format!(
            "/manage/{}/{}/exports#retention",
            crate::account::api::encode_query(&org),
            crate::account::api::encode_query(&slug)
        ),
    )
    .await
}
