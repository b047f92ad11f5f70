//! Server functions about consultations: public reading, and the staff editor and lifecycle.

// A form's fields are a server function's arguments: the editor's form has many.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::ConsultationPage;
use crate::error::AppError;

/// A page of public consultations: open ones by default, or filtered by search term, status,
/// topic and organisation (with the organisations below it).
#[server(prefix = "/api", endpoint = "list_consultations")]
pub async fn list_consultations(filter: super::Filter) -> Result<super::Listing, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let (items, total) = super::repo::discover(&state.db, &filter).await?;
            let pages = ((total + super::PAGE_SIZE - 1) / super::PAGE_SIZE).max(1);
            Ok(super::Listing {
                items,
                total,
                page: filter.page.max(1),
                pages,
                topics: super::repo::public_topics(&state.db).await?,
                organisations: crate::organisation::repo::list_all(&state.db).await?,
                map: super::repo::open_places(&state.db).await?,
            })
        }
        .await,
    )
}

/// A consultation this reader may see, and whether only as staff preview: drafts and scheduled
/// ones go to their organisation's staff only; for everyone else a plain 404, with no hint that
/// anything is there.
#[cfg(feature = "ssr")]
async fn readable(
    state: &crate::state::AppState,
    org: &str,
    slug: &str,
) -> Result<(super::repo::ConsultationRecord, bool), AppError> {
    if let Some(c) = super::repo::find_public(&state.db, org, slug).await? {
        return Ok((c, false));
    }
    let c = super::repo::find_for_staff(&state.db, org, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::account::api::require_staff(c.organisation_id)
        .await
        .map_err(|_| AppError::NotFound)?;
    Ok((c, true))
}

/// The public consultation page with its published comments. Reading it also consumes what a
/// no-JavaScript form post left behind for this visitor (their text and the error to show).
#[server(prefix = "/api", endpoint = "get_consultation")]
pub async fn get_consultation(
    org: String,
    slug: String,
    #[server(default)] sort: String,
    #[server(default)] page: String,
) -> Result<ConsultationPage, AppError> {
    use crate::comment::{Paging, Sort, THREADS_PER_PAGE};
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let (c, staff_preview) = readable(&state, &org, &slug).await?;
            let viewer = crate::account::api::current_user().await?;
            // One page of threads with all their replies in one query, the totals in another.
            let sort = Sort::parse(&sort);
            let page = page.trim().parse::<usize>().unwrap_or(1).clamp(1, 100_000);
            let (comments, threads) = crate::comment::repo::page(
                &state.db,
                c.id,
                viewer.as_ref().map(|v| v.id),
                sort,
                page,
            )
            .await?;
            let paging = Paging {
                sort,
                page,
                pages: (threads as usize).div_ceil(THREADS_PER_PAGE).max(1),
                total: crate::comment::repo::count_published(&state.db, c.id).await?,
            };
            let pins = crate::comment::repo::pins(&state.db, c.id).await?;
            let flash = crate::flash::take(&state, &crate::comment::flash_scope(c.id)).await?;
            let accepting = super::is_accepting(
                c.card.status,
                c.card.opens_at,
                c.card.closes_at,
                crate::db::now(),
            );
            let standing = crate::participation::Standing {
                rule: c.participation,
                may_participate: crate::participation::api::may_participate(
                    &state,
                    &c,
                    viewer.as_ref(),
                )
                .await?,
                signed_in: viewer.is_some(),
            };
            let gate_flash =
                crate::flash::take(&state, &crate::participation::api::gate_scope(c.id)).await?;
            let (image, attachments) = super::documents::repo::list(&state.db, c.id).await?;
            let counts = crate::comment::repo::count_by_section(&state.db, c.id).await?;
            let sections = c
                .sections
                .iter()
                .map(|(id, title)| super::Section {
                    id: id.clone(),
                    title: title.clone(),
                    comments: counts.iter().find(|(s, _)| s == id).map_or(0, |(_, n)| *n),
                })
                .collect();
            let last_change = super::revisions::repo::last_change(&state.db, c.id).await?;
            let place = super::repo::place(&state.db, c.id).await?;
            Ok(ConsultationPage {
                place,
                image,
                attachments,
                sections,
                last_change,
                results_visibility: c.results_visibility,
                downvotes: c.downvotes,
                paging,
                pins,
                card: c.card,
                body_html: c.body_html,
                about: c.about,
                moderation: c.moderation,
                accepting,
                comments,
                flash,
                viewer_name: viewer.map(|u| u.display_name),
                standing,
                gate_flash,
                staff_preview,
            })
        }
        .await,
    )
}

/// The corrections made to a consultation's text since it was published, with their differences
/// (public like the consultation itself; drafts only for their staff).
#[server(prefix = "/api", endpoint = "consultation_changes")]
pub async fn get_consultation_changes(
    org: String,
    slug: String,
) -> Result<super::revisions::ChangesPage, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let (c, _) = readable(&state, &org, &slug).await?;
            Ok(super::revisions::ChangesPage {
                changes: super::revisions::repo::changes(&state.db, c.id).await?,
                card: c.card,
            })
        }
        .await,
    )
}

/// Moves a consultation along its lifecycle (initiators of its organisation): publish a draft,
/// take a scheduled one back, close participation now, publish the results.
#[server(prefix = "/api", endpoint = "change_phase")]
pub async fn change_phase(
    org: String,
    slug: String,
    action: String,
) -> Result<crate::account::api::FormOutcome, AppError> {
    use super::{PhaseAction, Status};
    use crate::error::{ConflictReason, Field, Problem};
    let state = crate::state::app_state()?;
    let outcome = async {
        let (c, user) = crate::participation::api::for_initiator(&state, &org, &slug).await?;
        let action = PhaseAction::parse(&action)
            .ok_or(AppError::invalid(Field::Phase, Problem::UnknownRule))?;
        let now = crate::db::now();
        if c.card.status != action.from() {
            return Err(AppError::Conflict {
                reason: ConflictReason::WrongPhase,
            });
        }
        let (status, closes_at) = match action {
            PhaseAction::Publish => {
                if c.card.closes_at.is_some_and(|t| t <= now) {
                    // A window that is already over would publish it as closed.
                    return Err(AppError::Conflict {
                        reason: ConflictReason::WindowOver,
                    });
                }
                (Status::Open, None)
            }
            PhaseAction::Unpublish => (Status::Draft, None),
            PhaseAction::Close => (Status::Closed, Some(now)),
            PhaseAction::PublishResults => (Status::ResultsPublished, None),
        };
        super::repo::set_phase(&state.db, c.id, status, closes_at).await?;
        let entry = crate::audit::Entry::new(
            crate::audit::Action::PhaseChanged,
            crate::audit::Object::consultation(c.id, &c.card.title),
        )
        .by(user.id, &user.display_name)
        .organisation(c.organisation_id)
        .consultation(c.id)
        .reason(status.as_str());
        crate::audit::repo::record(&state.db, &entry).await?;
        tracing::info!(
            consultation_id = c.id,
            by = user.id,
            action = action.as_str(),
            "consultation phase changed"
        );
        Ok(crate::account::api::FormOutcome { redirect_to: None })
    }
    .await;
    let values = [("form", "phase"), ("slug", slug.as_str())];
    crate::manage::api::answer_staff_page(&state, &org, outcome, &values, "").await
}

/// The flash scope of the editor of one consultation ('' for a new one).
#[cfg(feature = "ssr")]
fn editor_scope(org: &str, original: &str) -> String {
    format!("editor:{org}/{original}")
}

/// What the editor shows (initiators of the organisation): a new consultation (`slug` empty) or a
/// stored one, or what a failed no-JavaScript post kept.
#[server(prefix = "/api", endpoint = "consultation_editor")]
pub async fn get_consultation_editor(
    org: String,
    slug: String,
) -> Result<super::editor::EditorPage, AppError> {
    use crate::account::api::FormDraft;
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let o = crate::organisation::api::organisation(&state, &org).await?;
            crate::account::api::require_role(o.id, crate::account::Role::Initiator).await?;
            let (stored, status, files) = if slug.is_empty() {
                let defaults = [
                    ("moderation", "post"),
                    ("report_threshold", "3"),
                    ("rule", "account"),
                    ("results", "published"),
                    ("votes", "up"),
                ];
                (
                    defaults
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    None,
                    (None, Vec::new()),
                )
            } else {
                let (c, _) = crate::participation::api::for_initiator(&state, &org, &slug).await?;
                (
                    editing::values_with_place(&state, c.id).await?,
                    Some(c.card.status),
                    super::documents::repo::list(&state.db, c.id).await?,
                )
            };
            let files_flash = if slug.is_empty() {
                None
            } else {
                crate::flash::take(&state, &super::documents::files_scope(&org, &slug)).await?
            };
            let kept: Option<FormDraft> =
                crate::flash::take(&state, &editor_scope(&org, &slug)).await?;
            let values = kept.unwrap_or(FormDraft {
                values: stored,
                error: None,
                done: false,
            });
            Ok(super::editor::EditorPage {
                org_slug: o.slug,
                org_name: o.name,
                original: slug,
                fixed: status.is_some_and(|s| s != super::Status::Draft),
                status,
                values,
                image: files.0,
                attachments: files.1,
                files_flash,
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod editing {
    use super::super::editor::parse_berlin_local;
    use crate::error::{AppError, Field, Problem};

    pub fn date(field: Field, raw: &str) -> Result<Option<i64>, AppError> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        parse_berlin_local(raw)
            .map(Some)
            .ok_or(AppError::invalid(field, Problem::InvalidDate))
    }

    /// The stored editor fields with the place: the area as lines of coordinates.
    pub async fn values_with_place(
        state: &crate::state::AppState,
        id: i64,
    ) -> Result<std::collections::BTreeMap<String, String>, AppError> {
        let mut values = super::super::repo::editor_values(&state.db, id).await?;
        let place = super::super::repo::place(&state.db, id).await?;
        let area = place.area.map(|a| a.to_editor_text()).unwrap_or_default();
        values.insert("location".to_string(), place.location);
        values.insert("area".to_string(), area);
        Ok(values)
    }

    /// The area as typed: '' for none, else the GeoJSON to store.
    pub fn area(raw: &str) -> Result<String, AppError> {
        let count = raw.chars().count();
        if count > super::super::editor::MAX_AREA_CHARS {
            let max = super::super::editor::MAX_AREA_CHARS;
            return Err(AppError::invalid(
                Field::Area,
                Problem::TooLong { max, actual: count },
            ));
        }
        let area = crate::geo::Area::parse_editor(raw)
            .map_err(|problem| AppError::invalid(Field::Area, problem))?;
        Ok(area.map(|a| a.to_geojson()).unwrap_or_default())
    }
}

/// Creates (`original` empty) or saves a consultation (initiators of the organisation). A new one
/// is a draft; once participation has begun, texts stay correctable but the address and the
/// participation rule do not change.
#[server(prefix = "/api", endpoint = "save_consultation")]
pub async fn save_consultation(
    org: String,
    original: String,
    slug: String,
    title: String,
    summary: String,
    plain_summary: String,
    body: String,
    topic: String,
    office: String,
    contact: String,
    opens_at: String,
    closes_at: String,
    moderation: String,
    rule: String,
    #[server(default)] results: String,
    #[server(default)] votes: String,
    #[server(default)] change_note: String,
    #[server(default)] edit_version: String,
    #[server(default)] location: String,
    #[server(default)] area: String,
    #[server(default)] report_threshold: String,
) -> Result<crate::account::api::FormOutcome, AppError> {
    use super::editor::*;
    use crate::error::{ConflictReason, Field, Problem};
    let state = crate::state::app_state()?;
    let outcome = async {
        let o = crate::organisation::api::organisation(&state, &org).await?;
        let user = crate::account::api::require_role(o.id, crate::account::Role::Initiator).await?;
        let existing = if original.is_empty() {
            None
        } else {
            Some(
                crate::participation::api::for_initiator(&state, &org, &original)
                    .await?
                    .0,
            )
        };
        let fixed = existing
            .as_ref()
            .is_some_and(|c| c.card.status != super::Status::Draft);
        let slug = match &existing {
            Some(c) if fixed => c.card.slug.clone(),
            _ => crate::organisation::parse_slug(&slug)?,
        };
        let title = crate::input::line(Field::Title, &title, MAX_TITLE_CHARS)?;
        let summary = crate::input::required_text(Field::Summary, &summary, MAX_SUMMARY_CHARS)?;
        let plain_summary =
            crate::input::text(Field::PlainSummary, &plain_summary, MAX_PLAIN_SUMMARY_CHARS)?;
        let body = crate::input::text(Field::Body, &body, MAX_BODY_CHARS)?;
        let topic = crate::input::text(Field::Topic, &topic, MAX_TOPIC_CHARS)?;
        let office = crate::input::text(Field::Office, &office, MAX_OFFICE_CHARS)?;
        let contact = crate::input::text(Field::Contact, &contact, MAX_CONTACT_CHARS)?;
        let opens = editing::date(Field::OpensAt, &opens_at)?;
        let closes = editing::date(Field::ClosesAt, &closes_at)?;
        if let (Some(a), Some(b)) = (opens, closes) {
            if b <= a {
                return Err(AppError::invalid(Field::ClosesAt, Problem::EndBeforeStart));
            }
        }
        let moderation = super::Moderation::parse(&moderation)
            .ok_or(AppError::invalid(Field::Moderation, Problem::UnknownRule))?;
        let threshold = parse_report_threshold(&report_threshold)?;
        let rule = crate::participation::Rule::parse(&rule).ok_or(AppError::invalid(
            Field::Participation,
            Problem::UnknownRule,
        ))?;
        let results_visibility = if results.is_empty() {
            super::ResultsVisibility::default()
        } else {
            super::ResultsVisibility::parse(&results)
                .ok_or(AppError::invalid(Field::Results, Problem::UnknownRule))?
        };
        // Support only, or support and objection.
        let downvotes = match votes.as_str() {
            "" | "up" => false,
            "up_down" => true,
            _ => return Err(AppError::invalid(Field::Votes, Problem::UnknownRule)),
        };
        let change_note =
            crate::input::text(Field::ChangeNote, &change_note, MAX_CHANGE_NOTE_CHARS)?;
        let location = crate::input::text(
            Field::Location,
            &location.split_whitespace().collect::<Vec<_>>().join(" "),
            MAX_LOCATION_CHARS,
        )?;
        let area_geojson = editing::area(&area)?;
        if let Some(c) = existing.as_ref().filter(|_| fixed) {
            if rule != c.participation
                || results_visibility != c.results_visibility
                || downvotes != c.downvotes
            {
                return Err(AppError::Conflict {
                    reason: ConflictReason::RulesFixed,
                });
            }
        }
        let id = match &existing {
            Some(c) => c.id,
            None => {
                let new = super::repo::NewConsultation {
                    organisation_id: o.id,
                    slug: &slug,
                    title: &title,
                    summary: &summary,
                    body_markdown: "",
                    status: super::Status::Draft,
                    moderation,
                    opens_at: None,
                    closes_at: None,
                };
                super::repo::create(&state.db, &new)
                    .await?
                    .ok_or(AppError::invalid(Field::Slug, Problem::Taken))?
            }
        };
        let details = super::repo::Details {
            slug: &slug,
            title: &title,
            summary: &summary,
            plain_summary: &plain_summary,
            body_markdown: &body,
            topic: &topic,
            office: &office,
            contact: &contact,
            opens_at: opens,
            closes_at: closes,
            moderation,
            participation: rule,
            results_visibility,
            downvotes,
            // Only a stored consultation's editor knows a version; an old one is refused.
            edit_version: edit_version
                .trim()
                .parse()
                .ok()
                .filter(|_| existing.is_some()),
        };
        // Once published, every text correction keeps the text as it was (residents see it).
        let revision = fixed.then_some(change_note.as_str());
        match super::repo::save_details(&state.db, id, &details, revision).await? {
            super::repo::Saved::Done => {}
            super::repo::Saved::SlugTaken => {
                return Err(AppError::invalid(Field::Slug, Problem::Taken))
            }
            super::repo::Saved::Stale => {
                return Err(AppError::Conflict {
                    reason: ConflictReason::EditedMeanwhile,
                })
            }
        }
        // The place stays editable after opening: it describes, it does not decide.
        super::repo::save_place(&state.db, id, &location, &area_geojson).await?;
        super::repo::set_report_threshold(&state.db, id, threshold).await?;
        let action = if existing.is_some() {
            crate::audit::Action::ConsultationSaved
        } else {
            crate::audit::Action::ConsultationCreated
        };
        let entry =
            crate::audit::Entry::new(action, crate::audit::Object::consultation(id, &title))
                .by(user.id, &user.display_name)
                .organisation(o.id)
                .consultation(id)
                .reason(&change_note);
        crate::audit::repo::record(&state.db, &entry).await?;
        tracing::info!(consultation_id = id, by = user.id, "consultation saved");
        Ok(crate::account::api::FormOutcome {
            redirect_to: Some(format!("/manage/{org}/{slug}/edit?saved=1")),
        })
    }
    .await;
    let values: Vec<(&str, &str)> = vec![
        ("slug", &slug),
        ("title", &title),
        ("summary", &summary),
        ("plain_summary", &plain_summary),
        ("body", &body),
        ("topic", &topic),
        ("office", &office),
        ("contact", &contact),
        ("opens_at", &opens_at),
        ("closes_at", &closes_at),
        ("moderation", &moderation),
        ("report_threshold", &report_threshold),
        ("rule", &rule),
        ("results", &results),
        ("votes", &votes),
        ("change_note", &change_note),
        ("edit_version", &edit_version),
        ("location", &location),
        ("area", &area),
    ];
    let back = format!(
        "/manage/{}/{}",
        crate::account::api::encode_query(&org),
        if original.is_empty() {
            "new".to_string()
        } else {
            format!("{}/edit", crate::account::api::encode_query(&original))
        }
    );
    crate::account::api::answer_in(
        &state,
        &editor_scope(&org, &original),
        outcome,
        &values,
        None,
        &back,
    )
    .await
}
