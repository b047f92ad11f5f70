//! The audit log page of an organisation (`/manage/{org}/audit`): a table of staff actions,
//! newest first, with a filter form that is a plain GET form (works without JavaScript).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::get_audit_log;
use super::{Action, AuditPage, ObjectKind, Record};
use crate::i18n::{format_date, format_time, iso_date, use_lang, use_texts};
use crate::ui::Loading;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let q = query.read();
            let get = |k: &str| q.get(k).unwrap_or_default();
            (
                params.read().get("org").unwrap_or_default(),
                get("action"),
                get("consultation"),
                get("actor"),
                get("subject"),
                get("before"),
            )
        },
        |(org, action, consultation, actor, subject, before)| {
            get_audit_log(org, action, consultation, actor, subject, before)
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <AuditLog page=p/> }.into_any(),
                    Err(error) => view! {
                        <Title text=t.au_title/>
                        <crate::manage::views::Refused error/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuditLog(page: AuditPage) -> impl IntoView {
    let t = use_texts();
    let base = format!("/manage/{}/audit", page.org_slug);
    let q = page.query.clone();
    let kept = q.to_query();
    let with_query = |extra: &str| {
        let parts: Vec<&str> = [kept.as_str(), extra]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if parts.is_empty() {
            base.clone()
        } else {
            format!("{base}?{}", parts.join("&"))
        }
    };
    let older = page
        .next_before
        .map(|id| with_query(&format!("before={id}")));
    let newest = q.before.is_some().then(|| with_query(""));
    let subject_notice = q.subject.map(|id| {
        let name = page
            .subject_name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| t.au_gone_account.to_string());
        let without = super::AuditQuery {
            subject: None,
            before: None,
            ..q.clone()
        }
        .to_query();
        let href = if without.is_empty() {
            base.clone()
        } else {
            format!("{base}?{without}")
        };
        view! {
            <p class="notice audit-subject">
                {(t.au_filter_subject)(&name)} " "
                <a href=href>{t.au_filter_subject_remove}</a>
                <input type="hidden" name="subject" value=id.to_string()/>
            </p>
        }
        .into_any()
    });
    let rows = page
        .records
        .iter()
        .map(|r| view! { <AuditRow record=r.clone() base=base.clone()/> }.into_any())
        .collect_view();
    view! {
        <Title text=format!("{} – {}", t.au_title, page.org_name)/>
        <p class="meta"><a href=format!("/manage/{}", page.org_slug)>{page.org_name.clone()}</a></p>
        <h1>{t.au_title}</h1>
        <p>{t.au_intro}</p>
        <AuditFilter page=page.clone() base=base.clone() subject_notice/>
        {if page.records.is_empty() {
            view! { <p id="audit-empty">{t.au_empty}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label=t.au_caption>
                    <table class="staff-table audit-table" id="audit-table">
                        <caption>{t.au_caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t.au_col_time}</th>
                                <th scope="col">{t.au_col_actor}</th>
                                <th scope="col">{t.au_col_action}</th>
                                <th scope="col">{t.au_col_object}</th>
                                <th scope="col">{t.au_col_reason}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
        <nav class="audit-paging" aria-label=t.au_title>
            {newest.map(|href| view! { <a href=href>{t.au_newest}</a> " " })}
            {older.map(|href| view! { <a href=href rel="next">{t.au_older}</a> })}
        </nav>
    }
    .into_any()
}

/// The filter form: a plain GET form of allow-listed choices.
#[component]
fn AuditFilter(page: AuditPage, base: String, subject_notice: Option<AnyView>) -> impl IntoView {
    let t = use_texts();
    let q = page.query.clone();
    view! {
        <form method="get" action=base.clone() class="audit-filter" id="audit-filter" role="search"
            aria-labelledby="audit-filter-heading">
            <h2 id="audit-filter-heading">{t.au_filter_title}</h2>
            {subject_notice}
            <div class="audit-filter-fields">
                <div class="field">
                    <label for="audit-action">{t.au_filter_action}</label>
                    <select id="audit-action" name="action">
                        <option value="" selected=q.action.is_none()>{t.au_filter_all}</option>
                        {Action::ALL.into_iter().map(|a| view! {
                            <option value=a.as_str() selected=q.action == Some(a)>{a.label(t)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-consultation">{t.au_filter_consultation}</label>
                    <select id="audit-consultation" name="consultation">
                        <option value="" selected=q.consultation.is_none()>{t.au_filter_all}</option>
                        {page.consultations.iter().map(|(id, title)| view! {
                            <option value=id.to_string() selected=q.consultation == Some(*id)>{title.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-actor">{t.au_filter_actor}</label>
                    <select id="audit-actor" name="actor">
                        <option value="" selected=q.actor.is_none()>{t.au_filter_all}</option>
                        {page.actors.iter().map(|(id, name)| view! {
                            <option value=id.to_string() selected=q.actor == Some(*id)>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <p class="audit-filter-buttons">
                <button type="submit">{t.au_filter_submit}</button>
                " "
                <a href=base.clone()>{t.au_filter_reset}</a>
            </p>
        </form>
    }
    .into_any()
}

#[component]
fn AuditRow(record: Record, base: String) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let r = record;
    let when = format!(
        "{}, {}",
        format_date(lang, r.created_at),
        format_time(lang, r.created_at)
    );
    let actor = if r.actor_name.is_empty() {
        t.au_system.to_string()
    } else {
        r.actor_name.clone()
    };
    let action = r
        .action
        .map(|a| a.label(t).to_string())
        .unwrap_or_else(|| r.action_name.clone());
    let kind = ObjectKind::parse(&r.object_kind)
        .map(|k| k.label(t).to_string())
        .unwrap_or_else(|| r.object_kind.clone());
    let label = r.object_label.clone();
    let object = match r.link.clone() {
        Some(href) if !label.is_empty() => view! { <a href=href>{label}</a> }.into_any(),
        _ => view! { {label} }.into_any(),
    };
    // Reasons that are codes read in words: a phase, a role.
    let reason = match r.action {
        Some(Action::PhaseChanged) => {
            crate::consultation::Status::parse(&r.reason).map(|s| s.label(t).to_string())
        }
        Some(Action::StaffAppointed | Action::StaffRemoved) => {
            crate::account::Role::parse(&r.reason).map(|role| role.label(t).to_string())
        }
        _ => None,
    }
    .unwrap_or_else(|| r.reason.clone());
    let subject = r.subject_user_id.map(|id| {
        let name = if r.subject_name.is_empty() {
            t.au_gone_account.to_string()
        } else {
            r.subject_name.clone()
        };
        view! {
            <br/>
            <span class="meta">
                {t.au_concerning} " "
                <a href=format!("{base}?subject={id}") aria-label=(t.au_concerning_link)(&name)
                    class="audit-subject-link">{name.clone()}</a>
            </span>
        }
    });
    view! {
        <tr data-action=r.action_name.clone()>
            <th scope="row"><time datetime=iso_date(r.created_at)>{when}</time></th>
            <td>{actor}</td>
            <td>{action}</td>
            <td>{kind} ": " {object} {subject}</td>
            <td class="audit-reason">{reason}</td>
        </tr>
    }
    .into_any()
}
