//! The staff page `/manage/{org}/{slug}/exports`: a plain GET form (works without JavaScript)
//! that downloads from `/manage/{org}/{slug}/export`, with the number of rows of each kind.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::{Format, Kind};
use crate::error::AppError;
use crate::i18n::{use_lang, use_texts, Texts};
use crate::ui::{ErrorView, Loading};

/// What the export page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportFigures {
    pub org: String,
    pub slug: String,
    pub title: String,
    pub counts: Vec<(Kind, i64)>,
    /// Organisation admins may add display names.
    pub may_add_names: bool,
}

/// The row counts of a consultation's export, for its initiators and organisation admins.
#[server(prefix = "/api", endpoint = "export_overview")]
pub async fn export_overview(org: String, slug: String) -> Result<ExportFigures, AppError> {
    use crate::account::Role;
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let (c, user) = crate::questionnaire::api::for_editor(&state, &org, &slug).await?;
            Ok(ExportFigures {
                org: c.card.org_slug.clone(),
                slug: c.card.slug.clone(),
                title: c.card.title.clone(),
                counts: super::api::counts(&state, c.id).await?,
                may_add_names: user.has_role(c.organisation_id, Role::OrgAdmin),
            })
        }
        .await,
    )
}

fn kind_label(kind: Kind, t: &Texts) -> &'static str {
    match kind {
        Kind::Contributions => t.ex_kind_contributions,
        Kind::Responses => t.ex_kind_responses,
        Kind::Votes => t.ex_kind_votes,
    }
}

fn format_label(format: Format, t: &Texts) -> &'static str {
    match format {
        Format::Csv => t.ex_format_csv,
        Format::Xlsx => t.ex_format_xlsx,
        Format::Json => t.ex_format_json,
        Format::Jsonl => t.ex_format_jsonl,
        Format::Geojson => t.ex_format_geojson,
    }
}

/// The words public/export.js shows, with `{rows}`, `{total}`, `{size}` and `{status}` to fill in.
fn progress_texts(t: &Texts) -> String {
    serde_json::json!({
        "starting": t.ex_progress_starting,
        "rows": t.ex_progress_rows,
        "bytes": t.ex_progress_bytes,
        "done": t.ex_progress_done,
        "failed": t.ex_progress_failed,
    })
    .to_string()
}

#[component]
pub fn ExportPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let org_slug = crate::ui::use_org_and_slug();
    let data = Resource::new(org_slug, |(o, s)| export_overview(o, s));
    view! {
        <Title text=t.ex_title/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <ExportForm overview=o/> }.into_any(),
                    Err(AppError::NotFound) => view! { <ErrorView error=AppError::NotFound/> }.into_any(),
                    Err(err) => view! {
                        <h1>{t.ex_title}</h1>
                        <p class="form-error" role="alert">{err.message(lang)}</p>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ExportForm(overview: ExportFigures) -> impl IntoView {
    let t = use_texts();
    let action = format!(
        "/manage/{}/{}/export",
        crate::account::api::encode_query(&overview.org),
        crate::account::api::encode_query(&overview.slug)
    );
    let back = format!(
        "/{}/{}",
        crate::account::api::encode_query(&overview.org),
        crate::account::api::encode_query(&overview.slug)
    );
    let kinds = overview
        .counts
        .iter()
        .enumerate()
        .map(|(i, (kind, n))| {
            let id = format!("export-kind-{}", kind.as_str());
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name="kind" value=kind.as_str() checked=i == 0
                        data-rows=n.to_string()/>
                    <label for=id>{kind_label(*kind, t)}" ("{(t.ex_rows)(*n)}")"</label>
                </div>
            }
        })
        .collect_view();
    let formats = Format::ALL
        .into_iter()
        .map(|f| view! { <option value=f.as_str()>{format_label(f, t)}</option> })
        .collect_view();
    view! {
        <h1>{t.ex_title}": "{overview.title.clone()}</h1>
        <p><a href=back>{t.back_to_consultation}</a></p>
        <p>{t.ex_intro}</p>
        <form method="get" action=action class="export-form" id="export-form" data-progress=progress_texts(t)>
            <fieldset>
                <legend>{t.ex_kind_legend}</legend>
                {kinds}
            </fieldset>
            <div class="field">
                <label for="export-format">{t.ex_format}</label>
                <select id="export-format" name="format">{formats}</select>
            </div>
            <div class="field">
                <label for="export-sep">{t.ex_separator}</label>
                <select id="export-sep" name="sep">
                    <option value="comma">{t.ex_separator_comma}</option>
                    <option value="semicolon">{t.ex_separator_semicolon}</option>
                </select>
            </div>
            {overview.may_add_names.then(|| view! {
                <div class="choice">
                    <input type="checkbox" id="export-personal" name="personal" value="1"/>
                    <label for="export-personal">{t.ex_personal}</label>
                </div>
            })}
            <p class="hint">{t.ex_large}</p>
            <button type="submit">{t.ex_submit}</button>
        </form>
        // Filled by public/export.js while a download runs (with JavaScript).
        <div id="export-progress" class="export-progress" role="status" hidden=true>
            <progress aria-label=t.ex_progress_label></progress>
            " " <span class="export-progress-text"></span>
        </div>
        <crate::legal::views::ConsultationPeriodSection org=overview.org.clone() slug=overview.slug.clone()/>
    }
}
