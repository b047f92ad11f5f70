//! Official answers on screen: the box on a contribution, the staff page that answers
//! contributions, and the public "Abwägung" page of a consultation.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{
    get_answer_count, get_public_answers, get_staff_answers, AnswerContributions, ChangeAnswer,
    RemoveAnswer, SetAnswerNotifications,
};
use super::{
    AnswerDetail, AnswerStatus, AnswerView, Covered, Done, Filter, PublicAnswers, StaffAnswersPage,
    StaffFlash,
};
use crate::error::{AppError, Field};
use crate::i18n::{format_date, iso_date, use_lang, use_texts};
use crate::ui::{ErrorView, FormField, Loading};

/// The official answer as it shows on a contribution: a labelled region with the organisation's
/// name, the outcome in words, the (sanitised) reason and the date.
#[component]
pub fn OfficialAnswerBox(answer: AnswerView) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let title = (t.oa_box_title)(&answer.organisation_name);
    let label = title.clone();
    let status_class = format!("oa-status oa-status-{}", answer.status.as_str());
    view! {
        <section class="official-answer" aria-label=label>
            <p class="official-answer-title"><strong>{title}</strong></p>
            <p class="official-answer-status">
                {t.oa_status_label} ": " <strong class=status_class>{answer.status.label(t)}</strong>
            </p>
            <div class="prose official-answer-reason" inner_html=answer.reason_html></div>
            <p class="meta">
                {t.oa_answered_on} " "
                <time datetime=iso_date(answer.answered_at)>{format_date(lang, answer.answered_at)}</time>
                {(answer.comment_count > 1).then(|| view! { " · " {(t.oa_group_note)(answer.comment_count)} })}
            </p>
        </section>
    }
}

/// A contribution's author as lists show it ("deleted account" for one that is gone).
fn author_label(name: &str, t: &'static crate::i18n::Texts) -> String {
    if name.is_empty() {
        t.deleted_account.to_string()
    } else {
        name.to_string()
    }
}

fn permalink(path: &str, id: i64) -> String {
    format!("{path}/comments/{id}")
}

/// The outcome radios of an answer form.
#[component]
fn StatusChoice(
    /// Unique per form (the radios' ids).
    prefix: String,
    chosen: Option<AnswerStatus>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let t = use_texts();
    let error_id = format!("{prefix}-status-error");
    let described = error_id.clone();
    view! {
        <fieldset class="oa-status-choice" aria-describedby=move || error.read().is_some().then(|| described.clone())>
            <legend>{t.oa_status_legend}</legend>
            {move || error.get().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
            {AnswerStatus::ALL
                .into_iter()
                .map(|s| {
                    let id = format!("{prefix}-status-{}", s.as_str());
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="status" value=s.as_str()
                                checked=chosen == Some(s)/>
                            <label for=id>{s.label(t)}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// `GET /manage/{org}/{slug}/answers`: the consultation's published contributions, filtered and
/// paged, with checkboxes; one answer (outcome + reason) for the selected ones; the answers
/// given, each with a form to change or remove it.
#[component]
pub fn StaffAnswersPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let org_slug = crate::ui::use_org_and_slug();
    let query = use_query_map();
    let answer_action = ServerAction::<AnswerContributions>::new();
    let change_action = ServerAction::<ChangeAnswer>::new();
    let remove_action = ServerAction::<RemoveAnswer>::new();
    // The list reloads after a success only: after a refusal the form keeps what was typed.
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if answer_action.value().with(|v| matches!(v, Some(Ok(_)))) {
            saved.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if change_action.value().with(|v| matches!(v, Some(Ok(_)))) {
            saved.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if remove_action.value().with(|v| matches!(v, Some(Ok(_)))) {
            saved.update(|n| *n += 1);
        }
    });
    let data = Resource::new(
        move || {
            let (o, s) = org_slug();
            let q = query.read();
            (
                o,
                s,
                q.get("filter").unwrap_or_default(),
                q.get("page").unwrap_or_default(),
                saved.get(),
            )
        },
        |(o, s, f, p, ..)| get_staff_answers(o, s, f, p),
    );
    view! {
        <Title text=t.oa_manage_title/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <StaffAnswersView page answer_action change_action remove_action/>
                    }
                    .into_any(),
                    Err(AppError::NotFound) => view! { <ErrorView error=AppError::NotFound/> }.into_any(),
                    Err(err) => view! {
                        <h1>{t.oa_manage_title}</h1>
                        <p class="form-error" role="alert">{err.message(lang)}</p>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StaffAnswersView(
    page: StaffAnswersPage,
    answer_action: ServerAction<AnswerContributions>,
    change_action: ServerAction<ChangeAnswer>,
    remove_action: ServerAction<RemoveAnswer>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let org_slug = crate::ui::use_org_and_slug();
    let (org, slug) = org_slug();
    let base = format!(
        "/manage/{}/{}",
        crate::account::api::encode_query(&org),
        crate::account::api::encode_query(&slug)
    );
    let flash = page.flash.clone().unwrap_or_default();
    // The kept input of a failed no-JavaScript post of the answer form.
    let kept = (flash.form == "answer").then(|| flash.clone());
    let answer_error = crate::ui::submission_error(
        answer_action.value(),
        kept.as_ref().and_then(|k| k.error.clone()),
    );
    let field_error = move |field: Field| {
        Signal::derive(move || {
            answer_error
                .get()
                .filter(|e| e.field() == Some(field))
                .map(|e| e.message(lang))
        })
    };
    let form_error = move || {
        answer_error
            .get()
            .filter(|e| !matches!(e.field(), Some(Field::AnswerStatus | Field::AnswerReason)))
            .map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    };
    // What was done: by the last JavaScript submission, else the no-JavaScript flash.
    let done_flash = flash.done;
    let done = move || {
        let latest = [
            answer_action
                .value()
                .get()
                .and_then(|r| r.ok())
                .map(|o| Done::Published(o.count)),
            change_action
                .value()
                .get()
                .and_then(|r| r.ok())
                .map(|_| Done::Changed),
            remove_action
                .value()
                .get()
                .and_then(|r| r.ok())
                .map(|_| Done::Removed),
        ];
        latest.into_iter().flatten().last().or(done_flash).map(|d| {
            let text = match d {
                Done::Published(n) => (t.oa_published)(n as i64),
                Done::Changed => t.oa_changed.to_string(),
                Done::Removed => t.oa_removed.to_string(),
            };
            view! { <p class="notice notice-success">{text}</p> }
        })
    };
    // Errors of the change/remove forms (with JavaScript, or kept from a plain post).
    let answer_form_kept =
        (!flash.form.is_empty() && flash.form != "answer").then(|| flash.clone());
    let kept_other_error = answer_form_kept.as_ref().and_then(|k| k.error.clone());
    let other_error = move || {
        let change = change_action.value().get().and_then(|r| r.err());
        let remove = remove_action.value().get().and_then(|r| r.err());
        change
            .or(remove)
            .or(kept_other_error.clone())
            .map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    };
    let selected = kept
        .as_ref()
        .map(|k| k.selected.clone())
        .unwrap_or_default();
    let chosen = kept.as_ref().and_then(|k| AnswerStatus::parse(&k.status));
    let reason = kept.as_ref().map(|k| k.reason.clone()).unwrap_or_default();
    let filter = page.filter;
    let path = page.path.clone();
    let pager = move |p: i64| format!("{}/answers?filter={}&page={p}", base, filter.as_str());
    let pages = page.pages;
    let current = page.page;
    let csv = format!(
        "/manage/{}/{}/answers.csv",
        crate::account::api::encode_query(&org),
        crate::account::api::encode_query(&slug)
    );
    let public = format!("{path}/answers");
    let filters = [Filter::All, Filter::Unanswered, Filter::Answered]
        .into_iter()
        .chain(AnswerStatus::ALL.map(Filter::Status))
        .map(|f| {
            let label = match f {
                Filter::All => t.oa_filter_all,
                Filter::Unanswered => t.oa_filter_unanswered,
                Filter::Answered => t.oa_filter_answered,
                Filter::Status(s) => s.label(t),
            };
            view! { <option value=f.as_str() selected=f == filter>{label}</option> }
        })
        .collect_view();
    let empty = page.items.is_empty();
    let has_answers = !page.answers.is_empty();
    let total = page.total;
    let title = page.title.clone();
    let items = page
        .items
        .into_iter()
        .map(|item| {
            let name = author_label(&item.author_name, t);
            let pick = format!("pick-{}", item.id);
            let link = permalink(&path, item.id);
            let checkbox = match item.answer {
                None => view! {
                    <input type="checkbox" id=pick.clone() name="comment_ids[]" value=item.id.to_string()
                        checked=selected.contains(&item.id)/>
                    <label for=pick>{(t.oa_select_label)(&name)}</label>
                }
                .into_any(),
                Some((answer_id, status)) => view! {
                    <p class="oa-answered">
                        <a href=format!("#answer-{answer_id}")>{t.oa_filter_answered} ": " {status.label(t)}</a>
                    </p>
                }
                .into_any(),
            };
            view! {
                <li class="oa-item" id=format!("contribution-{}", item.id)>
                    <div class="oa-item-pick">{checkbox}</div>
                    <p class="meta">
                        <strong>{name.clone()}</strong> " · "
                        <time datetime=iso_date(item.created_at)>{format_date(lang, item.created_at)}</time>
                        " · " {(t.oa_supports)(item.supports)}
                        {item.is_reply.then(|| view! { " · " {t.oa_reply_marker} })}
                        {item.answer.is_none().then(|| view! { " · " {t.oa_unanswered} })}
                    </p>
                    <blockquote class="oa-excerpt">{item.excerpt.clone()}</blockquote>
                    <p><a href=link>{t.oa_open_contribution}</a></p>
                </li>
            }
        })
        .collect_view();
    let answers = page
        .answers
        .into_iter()
        .map(|a| {
            let kept = answer_form_kept
                .as_ref()
                .filter(|k| k.form == a.id.to_string())
                .cloned();
            view! { <GivenAnswer answer=a path=path.clone() kept change_action remove_action/> }
        })
        .collect_view();
    view! {
        <h1>{t.oa_manage_title}</h1>
        <p class="lead">{title}</p>
        <p>{t.oa_manage_intro}</p>
        <p class="oa-links">
            <a href=public>{t.oa_public_link}</a> " · "
            <a href=csv rel="external" download="">{t.oa_csv_link}</a>
        </p>
        <div role="status" id="answers-flash">{done}</div>
        <form method="get" class="oa-filter" action=format!("/manage/{org}/{slug}/answers")>
            <label for="oa-filter">{t.oa_filter_label}</label>
            <select id="oa-filter" name="filter">{filters}</select>
            <button type="submit" class="secondary">{t.oa_filter_submit}</button>
        </form>
        <ActionForm action=answer_action attr:id="answer-form" attr:class="oa-answer-form" attr:novalidate=true>
            {form_error}
            <input type="hidden" name="org" value=org.clone()/>
            <input type="hidden" name="slug" value=slug.clone()/>
            <input type="hidden" name="filter" value=filter.as_str()/>
            <input type="hidden" name="page" value=current.to_string()/>
            <fieldset class="oa-list">
                <legend>{t.oa_list_title} " (" {total} ")"</legend>
                {if empty {
                    view! { <p>{t.oa_list_empty}</p> }.into_any()
                } else {
                    view! { <ul class="oa-items">{items}</ul> }.into_any()
                }}
            </fieldset>
            {(pages > 1).then(|| view! {
                <nav class="pager" aria-label=t.oa_list_title>
                    {(current > 1).then(|| view! { <a href=pager(current - 1) rel="prev">{t.oa_page_prev}</a> })}
                    <span>{(t.oa_page_of)(current, pages)}</span>
                    {(current < pages).then(|| view! { <a href=pager(current + 1) rel="next">{t.oa_page_next}</a> })}
                </nav>
            })}
            <h2 id="answer-form-heading">{t.oa_form_title}</h2>
            <StatusChoice prefix="oa-new".to_string() chosen error=field_error(Field::AnswerStatus)/>
            <FormField id="oa-reason".to_string() name="reason" label=t.oa_reason_label multiline=true
                hint=t.oa_reason_hint value=reason counter=super::MAX_REASON_CHARS
                error=field_error(Field::AnswerReason)/>
            <button type="submit" disabled=move || answer_action.pending().get()>{t.oa_submit}</button>
        </ActionForm>
        <section id="answers-given" aria-labelledby="answers-given-heading">
            <h2 id="answers-given-heading">{t.oa_public_title}</h2>
            {other_error}
            {if has_answers {
                answers.into_any()
            } else {
                view! { <p>{t.oa_public_none}</p> }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// An answer given, on the staff page: what it says and covers, and its change/remove forms.
#[component]
fn GivenAnswer(
    answer: AnswerDetail,
    path: String,
    kept: Option<StaffFlash>,
    change_action: ServerAction<ChangeAnswer>,
    remove_action: ServerAction<RemoveAnswer>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let prefix = format!("oa-{}", answer.id);
    let chosen = kept
        .as_ref()
        .and_then(|k| AnswerStatus::parse(&k.status))
        .or(Some(answer.status));
    let reason = kept
        .as_ref()
        .map(|k| k.reason.clone())
        .filter(|r| !r.is_empty())
        .unwrap_or(answer.reason.clone());
    let reason_id = format!("{prefix}-reason");
    let no_error = Signal::derive(|| None::<String>);
    view! {
        <article class="oa-given" id=format!("answer-{}", answer.id)>
            <h3>
                <span class=format!("oa-status oa-status-{}", answer.status.as_str())>{answer.status.label(t)}</span>
                " · " <time datetime=iso_date(answer.answered_at)>{format_date(lang, answer.answered_at)}</time>
            </h3>
            <div class="prose" inner_html=answer.reason_html.clone()></div>
            <CoveredList path=path comments=answer.comments.clone()/>
            <details open=kept.is_some()>
                <summary>{t.oa_change_summary}</summary>
                <ActionForm action=change_action attr:class="oa-change-form" attr:novalidate=true>
                    <input type="hidden" name="answer_id" value=answer.id.to_string()/>
                    <StatusChoice prefix=prefix.clone() chosen error=no_error/>
                    <FormField id=reason_id name="reason" label=t.oa_reason_label multiline=true
                        hint=t.oa_reason_hint value=reason counter=super::MAX_REASON_CHARS error=no_error/>
                    <button type="submit" disabled=move || change_action.pending().get()>{t.oa_change_submit}</button>
                </ActionForm>
                <ActionForm action=remove_action attr:class="oa-remove-form">
                    <input type="hidden" name="answer_id" value=answer.id.to_string()/>
                    <button type="submit" class="danger" disabled=move || remove_action.pending().get()>{t.oa_remove_submit}</button>
                </ActionForm>
            </details>
        </article>
    }
}

/// The contributions an answer covers: author, excerpt, link to each one's page.
#[component]
fn CoveredList(path: String, comments: Vec<Covered>) -> impl IntoView {
    let t = use_texts();
    view! {
        <p class="oa-covers-title"><strong>{t.oa_covers}</strong></p>
        <ul class="oa-covers">
            {comments
                .into_iter()
                .map(|c| {
                    if c.excerpt.is_empty() {
                        view! { <li>{t.oa_deleted_contribution}</li> }.into_any()
                    } else {
                        view! {
                            <li>
                                <a href=permalink(&path, c.id)>{author_label(&c.author_name, t)}</a>
                                ": " {c.excerpt}
                            </li>
                        }
                        .into_any()
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// `GET /{org}/{slug}/answers` — the "Abwägung": every official answer of the consultation,
/// grouped by outcome with counts, each with the contributions it covers and its reason.
#[component]
pub fn PublicAnswersPage() -> impl IntoView {
    let org_slug = crate::ui::use_org_and_slug();
    let data = Resource::new(org_slug, |(o, s)| get_public_answers(o, s));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <PublicAnswersView page/> }.into_any(),
                    Err(err) => view! { <ErrorView error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PublicAnswersView(page: PublicAnswers) -> impl IntoView {
    let t = use_texts();
    let path = page.path.clone();
    view! {
        <Title text=format!("{} – {}", t.oa_public_title, page.title)/>
        <h1>{t.oa_public_title}</h1>
        <p class="lead"><a href=page.path.clone()>{page.title.clone()}</a></p>
        <p>{(t.oa_public_intro)(&page.org_name)}</p>
        <AnswerGroups page level=2/>
        <p><a href=path>{t.oa_back}</a></p>
    }
}

/// The official answers grouped by outcome, with counts: headings from `level` down (2 on the
/// answers page, 3 inside the results page's section).
#[component]
pub fn AnswerGroups(page: PublicAnswers, level: u8) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    if page.groups.is_empty() {
        return view! { <p>{t.oa_public_none}</p> }.into_any();
    }
    let path = page.path.clone();
    let overview = page
        .groups
        .iter()
        .map(|(status, count, _)| {
            view! {
                <li>
                    <a href=format!("#status-{}", status.as_str())>{status.label(t)}</a>
                    ": " {(t.oa_count_contributions)(*count)}
                </li>
            }
        })
        .collect_view();
    let groups = page
        .groups
        .into_iter()
        .map(|(status, count, answers)| {
            let heading = format!("status-{}-heading", status.as_str());
            let labelled_by = heading.clone();
            let path = path.clone();
            let title = view! {
                <span class=format!("oa-status oa-status-{}", status.as_str())>{status.label(t)}</span>
                " (" {(t.oa_count_contributions)(count)} ")"
            };
            view! {
                <section class="oa-group" id=format!("status-{}", status.as_str()) aria-labelledby=labelled_by>
                    {crate::ui::heading(level, Some(heading), title.into_any())}
                    {answers
                        .into_iter()
                        .map(|a| {
                            let when = view! {
                                {t.oa_answered_on} " "
                                <time datetime=iso_date(a.answered_at)>{format_date(lang, a.answered_at)}</time>
                            };
                            view! {
                                <article class="oa-given" id=format!("answer-{}", a.id)>
                                    {crate::ui::heading(level + 1, None, when.into_any())}
                                    <div class="prose" inner_html=a.reason_html></div>
                                    <CoveredList path=path.clone() comments=a.comments/>
                                </article>
                            }
                        })
                        .collect_view()}
                </section>
            }
        })
        .collect_view();
    view! {
        <section class="oa-overview" aria-labelledby="oa-overview-heading">
            {crate::ui::heading(level, Some("oa-overview-heading".to_string()), t.oa_counts_title.into_any())}
            <ul>{overview}</ul>
        </section>
        {groups}
    }
    .into_any()
}

/// The link from a consultation's page to its official answers, once there are any.
#[component]
pub fn AnswersLink(org: String, slug: String) -> impl IntoView {
    let t = use_texts();
    let path = format!("/{org}/{slug}/answers");
    let count = Resource::new(
        move || (org.clone(), slug.clone()),
        |(org, slug)| get_answer_count(org, slug),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let path = path.clone();
                Suspend::new(async move {
                    let n = count.await.unwrap_or(0);
                    (n > 0).then(|| view! {
                        <p class="oa-link notice"><a href=path>{t.oa_consultation_link}</a></p>
                    })
                })
            }}
        </Suspense>
    }
}

/// On the account page's notification section: whether official answers to one's own
/// contributions are mailed (on by default). Saved in place with JavaScript, by
/// Post/Redirect/Get without.
#[component]
pub fn AnswerNotificationsForm(on: bool) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let action = ServerAction::<SetAnswerNotifications>::new();
    let saved = move || {
        action.value().get().map(|r| match r {
            Ok(_) => view! { <p class="notice notice-success">{t.notify_saved}</p> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.message(lang)}</p> }.into_any(),
        })
    };
    view! {
        <ActionForm action attr:id="answer-notifications-form" attr:class="narrow-form">
            <div role="status">{saved}</div>
            <div class="choice">
                <input type="checkbox" id="notify-answers" name="answers" value="on" checked=on
                    aria-describedby="notify-answers-hint"/>
                <label for="notify-answers">{t.oa_notify_label}</label>
            </div>
            <p class="hint" id="notify-answers-hint">{t.oa_notify_hint}</p>
            <button type="submit" disabled=move || action.pending().get()>{t.oa_notify_submit}</button>
        </ActionForm>
    }
}
