//! The legal pages, the footer that links them from every page, the barrier report form, and
//! the instance admin's pages (`/admin`, `/admin/pages/{kind}`, `/admin/reports`).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

use super::api::{
    get_admin_overview, get_barrier_reports, get_consultation_period, get_footer_links,
    get_legal_page, get_page_source, AnswerBarrierReport, ReportBarrier, SaveInstanceSettings,
    SaveLegalPage, SetConsultationPeriod,
};
use super::texts::{use_legal_texts, LegalTexts};
use super::{
    report_link, AdminOverview, BarrierReport, LegalPage, PageKind, PageSource, RetentionFacts,
    MAX_REPORT_CHARS,
};
use crate::account::api::FormDraft;
use crate::account::views::FormState;
use crate::error::{AppError, Field};
use crate::i18n::{format_date, use_lang, use_texts, Lang};
use crate::manage::views::{reload_on_success, Refused};
use crate::ui::{escape_html, ErrorView, FormField, Loading};

/// The organisation a path belongs to (its first segment), or "" for the application's own pages.
fn organisation_of(path: &str) -> String {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let slug_shaped = (2..=50).contains(&first.len())
        && first
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if slug_shaped && !crate::organisation::RESERVED_SLUGS.contains(&first) {
        first.to_string()
    } else {
        String::new()
    }
}

/// The footer of every page: the accessibility statement, a barrier report about this page, the
/// privacy policy and the imprint (an organisation's own where it set them, on its pages).
#[component]
pub fn LegalFooter() -> impl IntoView {
    let t = use_texts();
    let lt = use_legal_texts();
    let location = use_location();
    let org = Memo::new(move |_| organisation_of(&location.pathname.get()));
    let links = Resource::new(
        move || org.get(),
        |org| async move {
            if org.is_empty() {
                Ok(Default::default())
            } else {
                get_footer_links(org).await
            }
        },
    );
    let report = move || report_link(&location.pathname.get());
    let own_links = move || {
        Suspend::new(async move {
            let links = links.await.unwrap_or_default();
            let privacy = links
                .privacy
                .unwrap_or_else(|| PageKind::Privacy.path().into());
            let imprint = links
                .imprint
                .unwrap_or_else(|| PageKind::Imprint.path().into());
            view! {
                <li><a href=privacy>{lt.privacy_title}</a></li>
                <li><a href=imprint>{lt.imprint_title}</a></li>
            }
        })
    };
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <nav aria-label=lt.footer_label>
                    <ul class="footer-links">
                        <li><a href=PageKind::Accessibility.path()>{lt.accessibility_title}</a></li>
                        // A full page load, so that the browser scrolls to the form.
                        <li><a href=report rel="external">{lt.footer_report}</a></li>
                        <Suspense fallback=move || view! {
                            <li><a href=PageKind::Privacy.path()>{lt.privacy_title}</a></li>
                            <li><a href=PageKind::Imprint.path()>{lt.imprint_title}</a></li>
                        }>{own_links}</Suspense>
                    </ul>
                </nav>
                <p>{t.footer_text}</p>
            </div>
        </footer>
    }
}

/// The same footer as HTML, for the few pages the server writes without the application (413).
pub fn plain_footer_html(lang: Lang) -> String {
    let lt = LegalTexts::get(lang);
    let link = |href: &str, label: &str| {
        format!(
            "<li><a href=\"{}\">{}</a></li>",
            escape_html(href),
            escape_html(label)
        )
    };
    format!(
        "<footer class=\"site-footer\"><nav aria-label=\"{}\"><ul class=\"footer-links\">{}{}{}{}</ul></nav></footer>",
        escape_html(lt.footer_label),
        link(PageKind::Accessibility.path(), lt.accessibility_title),
        link(&report_link("/"), lt.footer_report),
        link(PageKind::Privacy.path(), lt.privacy_title),
        link(PageKind::Imprint.path(), lt.imprint_title),
    )
}

/// `/barrierefreiheit`, `/datenschutz` or `/impressum`.
#[component]
pub fn LegalPageView(kind: PageKind) -> impl IntoView {
    let lt = use_legal_texts();
    let page = Resource::new(|| (), move |_| get_legal_page(kind));
    view! {
        <crate::ui::PageMeta title=kind.title(lt).to_string() description=kind.title(lt).to_string()/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <LegalBody page/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LegalBody(page: LegalPage) -> impl IntoView {
    let lt = use_legal_texts();
    let lang = use_lang();
    let kind = page.kind;
    let other_lang = page.text_lang != lang.code();
    view! {
        <article class="legal-page">
            <h1>{kind.title(lt)}</h1>
            {other_lang.then(|| view! { <p class="notice">{lt.german_only}</p> })}
            <div class="prose" lang=page.text_lang.clone() inner_html=page.html.clone()></div>
            {page.updated_at.map(|at| view! { <p class="meta">{(lt.last_changed)(&format_date(lang, at))}</p> })}
            {page.can_edit.then(|| view! {
                <p><a href=format!("/admin/pages/{}", kind.as_str())>{lt.edit_page}</a></p>
            })}
            {page.retention.map(|facts| view! { <RetentionSection facts/> })}
            {(kind == PageKind::Accessibility).then(|| view! { <BarrierReportForm kept=page.kept.clone()/> })}
        </article>
    }
}

/// The privacy policy's generated part: the periods as configured now.
#[component]
fn RetentionSection(facts: RetentionFacts) -> impl IntoView {
    let lt = use_legal_texts();
    let shorter = (!facts.shorter.is_empty()).then(|| {
        let items = facts
            .shorter
            .iter()
            .map(|(title, path, months)| {
                view! {
                    <li><a href=path.clone()>{title.clone()}</a>": "{(lt.retention_months)(*months)}</li>
                }
            })
            .collect_view();
        view! { <p>{lt.retention_shorter}</p> <ul>{items}</ul> }
    });
    view! {
        <section class="retention" aria-labelledby="retention-heading">
            <h2 id="retention-heading">{lt.retention_heading}</h2>
            <p>{lt.retention_intro}</p>
            <ul>
                <li id="retention-participants">{(lt.retention_participants)(facts.months)} {shorter}</li>
                <li>{(lt.retention_unverified)(facts.unverified_days)}</li>
                <li>{(lt.retention_contact)(facts.contact_days)}</li>
                <li>{(lt.retention_sessions)(facts.session_idle_hours, facts.session_max_days)}</li>
                <li>{(lt.retention_rate_keys)(facts.rate_key_hours)}</li>
            </ul>
            <p>{if facts.daily_job { lt.retention_job_on } else { lt.retention_job_off }}</p>
        </section>
    }
}

/// The form on the accessibility statement: where, what, and an optional address for the answer.
/// The address of the page the reader came from (the footer's link) is filled in.
#[component]
fn BarrierReportForm(kept: Option<FormDraft>) -> impl IntoView {
    let lt = use_legal_texts();
    let query = use_query_map();
    let action = ServerAction::<ReportBarrier>::new();
    let state = FormState::new(action.value(), &kept);
    let failed = kept.as_ref().filter(|d| !d.done);
    let value = |name: &str| failed.map(|d| d.value(name)).unwrap_or_default();
    let page_url = failed
        .map(|d| d.value("page_url"))
        .or_else(|| query.read_untracked().get("from"))
        .unwrap_or_default();
    let initial = StoredValue::new((page_url, value("description"), value("contact_email")));
    view! {
        <section id="melden" class="barrier-report" aria-labelledby="melden-heading" tabindex="-1">
            <h2 id="melden-heading">{lt.report_heading}</h2>
            <p>{lt.report_intro}</p>
            <div role="status">
                {move || state.done.get().then(|| view! { <p class="notice notice-success">{lt.report_done}</p> })}
            </div>
            <Show when=move || !state.done.get()>
                <ActionForm action attr:id="barrier-form" attr:class="narrow-form" attr:novalidate=true>
                    {state.alert()}
                    <FormField id="barrier-url".to_string() name="page_url" label=lt.report_url_label
                        hint=lt.report_url_hint value=initial.read_value().0.clone() autocomplete="url"
                        error=state.field(Field::PageUrl)/>
                    <FormField id="barrier-description".to_string() name="description" multiline=true
                        label=lt.report_description_label hint=lt.report_description_hint
                        value=initial.read_value().1.clone() counter=MAX_REPORT_CHARS error=state.field(Field::Barrier)/>
                    <FormField id="barrier-email".to_string() name="contact_email" input_type="email"
                        autocomplete="email" label=lt.report_email_label hint=lt.report_email_hint
                        value=initial.read_value().2.clone() error=state.field(Field::ContactEmail)/>
                    <button type="submit" disabled=move || action.pending().get()>{lt.report_submit}</button>
                </ActionForm>
            </Show>
        </section>
    }
}

/// `/admin`: the legal pages, the barrier reports' count, the retention settings and the
/// instance's log.
#[component]
pub fn AdminPage() -> impl IntoView {
    let lt = use_legal_texts();
    let data = Resource::new(|| (), |_| get_admin_overview());
    view! {
        <Title text=lt.admin_title/>
        <p class="meta"><a href="/manage">{use_texts().manage_title}</a></p>
        <h1>{lt.admin_title}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <AdminSections o/> }.into_any(),
                    Err(error) => view! { <Refused error no_heading=true/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminSections(o: AdminOverview) -> impl IntoView {
    let lt = use_legal_texts();
    let t = use_texts();
    let lang = use_lang();
    let action = ServerAction::<SaveInstanceSettings>::new();
    reload_on_success(action, "/admin#settings".into());
    let state = FormState::new(action.value(), &o.kept);
    let failed = o.kept.as_ref().filter(|d| !d.done);
    let months = failed.map_or(o.settings.retention_months.to_string(), |d| {
        d.value("retention_months")
    });
    let job = failed.map_or(o.settings.retention_job, |d| {
        !d.value("retention_job").is_empty()
    });
    let pages = o
        .pages
        .iter()
        .map(|(kind, saved)| {
            let state = match saved {
                Some(at) => (lt.admin_page_saved)(&format_date(lang, *at)),
                None => lt.admin_page_template.to_string(),
            };
            view! {
                <li>
                    <strong>{kind.title(lt)}</strong>" – "{state}" · "
                    <a href=kind.path()>{lt.admin_view}</a>" · "
                    <a href=format!("/admin/pages/{}", kind.as_str())>{lt.admin_edit}</a>
                </li>
            }
        })
        .collect_view();
    let audit = if o.audit.is_empty() {
        view! { <p>{lt.admin_audit_empty}</p> }.into_any()
    } else {
        let rows = o
            .audit
            .iter()
            .map(|r| {
                let action = r
                    .action
                    .map_or(r.action_name.clone(), |a| a.label(t).to_string());
                view! {
                    <tr>
                        <td>{format_date(lang, r.created_at)}</td>
                        <td>{r.actor_name.clone()}</td>
                        <td>{action}</td>
                        <td>{r.object_label.clone()}</td>
                        <td>{r.reason.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=lt.admin_audit_heading>
                <table class="staff-table audit-table">
                    <caption class="visually-hidden">{lt.admin_audit_heading}</caption>
                    <thead><tr>
                        <th scope="col">{t.au_col_time}</th>
                        <th scope="col">{t.au_col_actor}</th>
                        <th scope="col">{t.au_col_action}</th>
                        <th scope="col">{t.au_col_object}</th>
                        <th scope="col">{t.au_col_reason}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="admin-pages-heading">
            <h2 id="admin-pages-heading">{lt.admin_pages_heading}</h2>
            <ul>{pages}</ul>
        </section>
        <section aria-labelledby="admin-reports-heading">
            <h2 id="admin-reports-heading">{lt.admin_reports_heading}</h2>
            <p>{(lt.admin_reports_summary)(o.open_reports, o.overdue_reports)}</p>
            <p><a href="/admin/reports">{lt.admin_reports_link}</a></p>
        </section>
        <section id="settings" aria-labelledby="admin-settings-heading">
            <h2 id="admin-settings-heading">{lt.admin_settings_heading}</h2>
            <div role="status">
                {move || state.done.get().then(|| view! { <p class="notice notice-success">{lt.saved}</p> })}
            </div>
            <ActionForm action attr:id="settings-form" attr:class="narrow-form" attr:novalidate=true>
                {state.alert()}
                <FormField id="retention-months".to_string() name="retention_months"
                    label=lt.admin_months_label hint=lt.admin_months_hint value=months
                    error=state.field(Field::RetentionMonths)/>
                <div class="choice">
                    <input type="checkbox" id="retention-job" name="retention_job" value="on" checked=job/>
                    <label for="retention-job">{lt.admin_job_label}</label>
                </div>
                <button type="submit" disabled=move || action.pending().get()>{lt.admin_settings_submit}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="admin-audit-heading">
            <h2 id="admin-audit-heading">{lt.admin_audit_heading}</h2>
            {audit}
        </section>
    }
}

/// `/admin/pages/{kind}`: a page's German and English Markdown.
#[component]
pub fn PageEditorPage() -> impl IntoView {
    let lt = use_legal_texts();
    let params = use_params_map();
    let kind = move || params.read().get("kind").and_then(|k| PageKind::parse(&k));
    let data = Resource::new(kind, |kind| async move {
        match kind {
            Some(kind) => get_page_source(kind).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(source) => view! { <PageEditor source/> }.into_any(),
                    Err(AppError::NotFound) => view! { <ErrorView error=AppError::NotFound/> }.into_any(),
                    Err(error) => view! { <Title text=lt.admin_title/> <Refused error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PageEditor(source: PageSource) -> impl IntoView {
    let lt = use_legal_texts();
    let kind = source.kind;
    let title = (lt.editor_title)(kind.title(lt));
    let action = ServerAction::<SaveLegalPage>::new();
    let state = FormState::new(action.value(), &source.kept);
    let failed = source.kept.as_ref().filter(|d| !d.done);
    let de = failed.map_or(source.de.clone(), |d| d.value("de"));
    let en = failed.map_or(source.en.clone(), |d| d.value("en"));
    view! {
        <Title text=title.clone()/>
        <p class="meta"><a href="/admin">{lt.admin_title}</a></p>
        <h1>{title}</h1>
        {source.updated_at.is_none().then(|| view! { <p class="notice">{lt.editor_template_note}</p> })}
        <div role="status">
            {move || state.done.get().then(|| view! {
                <p class="notice notice-success">{lt.saved}" "<a href=kind.path()>{lt.admin_view}</a></p>
            })}
        </div>
        <ActionForm action attr:id="legal-page-form" attr:class="legal-editor" attr:novalidate=true>
            {state.alert()}
            <input type="hidden" name="kind" value=kind.as_str()/>
            <FormField id="legal-de".to_string() name="de" multiline=true label=lt.editor_de_label
                hint=lt.editor_hint value=de error=state.field(Field::Description)/>
            <FormField id="legal-en".to_string() name="en" multiline=true label=lt.editor_en_label
                hint=lt.editor_en_hint value=en error=state.field(Field::English)/>
            <button type="submit" disabled=move || action.pending().get()>{lt.editor_submit}</button>
        </ActionForm>
    }
}

/// `/admin/reports`: every barrier report with its age; open ones past six weeks are overdue.
#[component]
pub fn BarrierReportsPage() -> impl IntoView {
    let lt = use_legal_texts();
    let data = Resource::new(|| (), |_| get_barrier_reports());
    view! {
        <Title text=lt.reports_title/>
        <p class="meta"><a href="/admin">{lt.admin_title}</a></p>
        <h1>{lt.reports_title}</h1>
        <p>{lt.reports_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.reports.is_empty() => view! { <p>{lt.reports_empty}</p> }.into_any(),
                    Ok(list) => {
                        let now = list.now;
                        list.reports
                            .into_iter()
                            .map(|r| view! { <ReportCard r now kept=list.kept.clone()/> })
                            .collect_view()
                            .into_any()
                    }
                    Err(error) => view! { <Refused error no_heading=true/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportCard(r: BarrierReport, now: i64, kept: Option<FormDraft>) -> impl IntoView {
    let lt = use_legal_texts();
    let lang = use_lang();
    let heading = format!("report-{}-heading", r.id);
    let overdue = r.overdue(now);
    let status = if r.answered {
        lt.status_answered
    } else {
        lt.status_open
    };
    // A local path is a link; any other address is shown, not followed.
    let page = if r.page_url.starts_with('/') {
        view! { <a href=r.page_url.clone()>{r.page_url.clone()}</a> }.into_any()
    } else {
        view! { <span class="break">{r.page_url.clone()}</span> }.into_any()
    };
    let contact = match &r.contact_email {
        Some(email) => view! { <a href=format!("mailto:{email}")>{email.clone()}</a> }.into_any(),
        None => view! { <span>{lt.no_contact}</span> }.into_any(),
    };
    let mine = kept.filter(|d| d.value("id") == r.id.to_string());
    let answered = r.answered.then(|| {
        let by = if r.answered_by.is_empty() {
            "–".to_string()
        } else {
            r.answered_by.clone()
        };
        let date = r.answered_at.map(|a| format_date(lang, a)).unwrap_or_default();
        view! {
            <p>{(lt.answered_on)(&date, &by)}</p>
            {(!r.answer_note.is_empty()).then(|| view! { <p class="meta">{r.answer_note.clone()}</p> })}
        }
    });
    let form = (!r.answered).then(|| view! { <AnswerForm id=r.id kept=mine/> });
    view! {
        <article id=format!("report-{}", r.id) class="card barrier-card" class:overdue=overdue
            aria-labelledby=heading.clone()>
            <h2 id=heading.clone() class="card-title">
                {format!("#{} – ", r.id)}{status}
                {overdue.then(|| view! { " " <span class="badge badge-warning">{lt.overdue}</span> })}
            </h2>
            <dl class="facts">
                <dt>{lt.col_received}</dt>
                <dd>{format_date(lang, r.created_at)}" ("{(lt.age_days)(r.age_days(now))}")"</dd>
                <dt>{lt.col_page}</dt>
                <dd>{page}</dd>
                <dt>{lt.col_contact}</dt>
                <dd>{contact}</dd>
            </dl>
            <h3 class="visually-hidden">{lt.col_description}</h3>
            <p class="pre-wrap" lang=r.lang.clone()>{r.description.clone()}</p>
            {answered}
            {form}
        </article>
    }
}

#[component]
fn AnswerForm(id: i64, kept: Option<FormDraft>) -> impl IntoView {
    let lt = use_legal_texts();
    let action = ServerAction::<AnswerBarrierReport>::new();
    reload_on_success(action, format!("/admin/reports#report-{id}"));
    let state = FormState::new(action.value(), &kept);
    let note = kept.map(|d| d.value("note")).unwrap_or_default();
    view! {
        <ActionForm action attr:class="narrow-form answer-report" attr:novalidate=true>
            {state.alert()}
            <input type="hidden" name="id" value=id.to_string()/>
            <FormField id=format!("report-note-{id}") name="note" multiline=true label=lt.note_label
                value=note error=state.field(Field::Note)/>
            <button type="submit" disabled=move || action.pending().get()>{lt.mark_answered}</button>
        </ActionForm>
    }
}

/// The consultation's own retention period, on its export page (initiators, organisation admins).
#[component]
pub fn ConsultationPeriodSection(org: String, slug: String) -> impl IntoView {
    let lt = use_legal_texts();
    let data = Resource::new(
        move || (org.clone(), slug.clone()),
        |(org, slug)| get_consultation_period(org, slug),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                data.await.ok().map(|p| {
                    let action = ServerAction::<SetConsultationPeriod>::new();
                    let state = FormState::new(action.value(), &p.kept);
                    let failed = p.kept.as_ref().filter(|d| !d.done);
                    let months = failed.map_or(
                        p.own_months.map(|m| m.to_string()).unwrap_or_default(),
                        |d| d.value("months"),
                    );
                    let (org, slug) = crate::ui::use_org_and_slug()();
                    view! {
                        <section id="retention" aria-labelledby="retention-form-heading">
                            <h2 id="retention-form-heading">{lt.consultation_heading}</h2>
                            <p>{(lt.consultation_text)(p.instance_months)}</p>
                            <div role="status">
                                {move || state.done.get().then(|| view! { <p class="notice notice-success">{lt.saved}</p> })}
                            </div>
                            <ActionForm action attr:id="retention-form" attr:class="narrow-form" attr:novalidate=true>
                                {state.alert()}
                                <input type="hidden" name="org" value=org/>
                                <input type="hidden" name="slug" value=slug/>
                                <FormField id="retention-own-months".to_string() name="months"
                                    label=lt.consultation_label hint=lt.consultation_hint value=months
                                    error=state.field(Field::RetentionMonths)/>
                                <button type="submit" disabled=move || action.pending().get()>{lt.consultation_submit}</button>
                            </ActionForm>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_footer_knows_organisation_pages_from_application_pages() {
        assert_eq!(organisation_of("/musterstadt/plan"), "musterstadt");
        assert_eq!(organisation_of("/login"), "");
        assert_eq!(organisation_of("/"), "");
        assert_eq!(organisation_of("/impressum"), "");
        assert_eq!(organisation_of("/manage/musterstadt"), "");
    }

    #[test]
    fn the_plain_footer_links_all_three_pages() {
        let html = plain_footer_html(Lang::En);
        for path in ["/barrierefreiheit", "/datenschutz", "/impressum"] {
            assert!(html.contains(&format!("href=\"{path}")), "{path}");
        }
        assert!(html.contains("Privacy policy"));
    }
}
