//! The resident side of moderation on the page: the "Melden" form under others' contributions,
//! what an author sees of their own contribution in moderation (awaiting review, the statement of
//! reasons, the appeal form and its outcome), and the moderators' appeals page at
//! `/moderation/appeals`. Every form works without JavaScript.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::appeal::{
    AppealDraft, AppealOutcome, DecideAppeal, DecisionFlash, OpenAppeal, MAX_APPEAL_CHARS,
    MAX_DECISION_NOTE_CHARS, MIN_APPEAL_CHARS,
};
use super::report::{reason_label, ReportComment, ReportDraft, MAX_NOTE_CHARS};
use super::Reason;
use crate::comment::{Comment, Visibility};
use crate::error::{AppError, Field};
use crate::i18n::{format_date, iso_date, use_lang, use_texts};
use crate::ui::{submission_error, ErrorView, FormField, Loading};

/// Where a comment's forms send a no-JavaScript post back to.
#[derive(Clone)]
pub struct FormTarget {
    pub org: String,
    pub slug: String,
    pub here: String,
}

/// Reporting someone else's published contribution: a disclosure with the reasons and an
/// explanation. Once reported, it says so instead.
#[component]
pub fn ReportForm(
    target: FormTarget,
    state: RwSignal<Comment>,
    author: String,
    draft: Option<ReportDraft>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let id = state.read_untracked().id;
    let reported = RwSignal::new(state.read_untracked().reported);
    // The thanks are said once, right after reporting (a plain form post says them in the
    // page's notices instead).
    let just_reported = RwSignal::new(false);
    let action = ServerAction::<ReportComment>::new();
    let draft = draft.filter(|d| d.comment_id == id);
    let error = submission_error(action.value(), draft.as_ref().map(|d| d.error.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reported.set(true);
            just_reported.set(true);
            state.update(|c| c.reported = true);
        }
    });
    let note_error = Signal::derive(move || {
        error
            .get()
            .filter(|e| e.field() == Some(Field::ReportNote))
            .map(|e| e.message(lang))
    });
    let form_error = move || {
        error
            .get()
            .filter(|e| e.field() != Some(Field::ReportNote))
            .map(|e: AppError| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    };
    let chosen = draft.as_ref().map(|d| d.reason.clone()).unwrap_or_default();
    let note = draft.map(|d| d.note).unwrap_or_default();
    let open = error.get_untracked().is_some();
    view! {
        <p class="reported-note" hidden=move || !reported.get()>
            <span role="status">{move || just_reported.get().then_some(t.mr_report_thanks)}</span>
            " " {t.mr_reported_by_you}
        </p>
        <details class="report" id=format!("report-form-{id}") open=open hidden=move || reported.get()>
            <summary>
                {t.mr_report}
                <span class="visually-hidden">{format!(": {}", (t.comment_by)(&author))}</span>
            </summary>
            <ActionForm action attr:class="report-form" attr:novalidate=true>
                <input type="hidden" name="org" value=target.org.clone()/>
                <input type="hidden" name="slug" value=target.slug.clone()/>
                <input type="hidden" name="comment_id" value=id.to_string()/>
                <input type="hidden" name="return_to" value=target.here.clone()/>
                {form_error}
                <fieldset class="report-reasons">
                    <legend>{t.mr_report_legend}</legend>
                    {Reason::ALL.into_iter().map(|r| {
                        let input_id = format!("report-{id}-{}", r.as_str());
                        view! {
                            <div class="choice">
                                <input type="radio" id=input_id.clone() name="reason" value=r.as_str()
                                    checked=chosen == r.as_str()/>
                                <label for=input_id>{reason_label(r, t)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <FormField id=format!("report-{id}-note") name="note" label=t.mr_report_note_label
                    multiline=true value=note counter=MAX_NOTE_CHARS error=note_error/>
                <button type="submit" disabled=move || action.pending().get()>{t.mr_report_submit}</button>
            </ActionForm>
        </details>
    }
}

/// What only the author sees of their contribution in moderation: "awaiting review", or the
/// statement of reasons with the appeal form (once) or the appeal's state and outcome.
#[component]
pub fn AuthorStatus(
    target: FormTarget,
    comment: Comment,
    draft: Option<AppealDraft>,
) -> impl IntoView {
    let t = use_texts();
    match comment.visibility.clone() {
        Visibility::Pending => view! {
            <p class="moderation-status moderation-pending">
                <strong>{t.mr_awaiting_review}</strong> " " {t.mr_awaiting_review_hint}
            </p>
        }
        .into_any(),
        Visibility::Hidden(info) => {
            let Some(reason) = info.reason else {
                return view! {
                    <p class="moderation-status moderation-hidden">
                        <strong>{t.mr_hidden_by_reports}</strong> " " {t.mr_only_you_see}
                    </p>
                }
                .into_any();
            };
            let appeal = match info.appeal {
                None => view! { <AppealForm target comment_id=comment.id draft/> }.into_any(),
                Some(a) => {
                    let text = match a.outcome {
                        None => t.mr_appeal_open,
                        Some(AppealOutcome::Upheld) => t.mr_appeal_upheld,
                        Some(AppealOutcome::Rejected) => t.mr_appeal_rejected,
                    };
                    view! {
                        <p class="appeal-state"><strong>{text}</strong></p>
                        {(!a.note.is_empty()).then(|| view! { <p class="appeal-note">{(t.mr_mail_note)(&a.note)}</p> })}
                    }
                    .into_any()
                }
            };
            view! {
                <div class="moderation-status moderation-hidden">
                    <p><strong>{(t.mr_hidden_reason)(reason_label(reason, t))}</strong> " " {t.mr_only_you_see}</p>
                    {(!info.note.is_empty()).then(|| view! {
                        <p>{t.mr_moderator_note} ": " {info.note.clone()}</p>
                    })}
                    {appeal}
                </div>
            }
            .into_any()
        }
        _ => ().into_any(),
    }
}

/// The author's one appeal against a moderator's decision.
#[component]
fn AppealForm(target: FormTarget, comment_id: i64, draft: Option<AppealDraft>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let id = comment_id;
    let action = ServerAction::<super::appeal::AppealComment>::new();
    let draft = draft.filter(|d| d.comment_id == id);
    let error = submission_error(action.value(), draft.as_ref().map(|d| d.error.clone()));
    let sent = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            sent.set(true);
        }
    });
    let body_error = Signal::derive(move || {
        error
            .get()
            .filter(|e| e.field() == Some(Field::Appeal))
            .map(|e| e.message(lang))
    });
    let form_error = move || {
        error
            .get()
            .filter(|e| e.field() != Some(Field::Appeal))
            .map(|e: AppError| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    };
    let open = draft.is_some();
    let value = draft.map(|d| d.body).unwrap_or_default();
    view! {
        <p class="appeal-state" role="status">{move || sent.get().then_some(t.mr_appeal_sent)}</p>
        <details class="appeal" id=format!("appeal-form-{id}") open=open hidden=move || sent.get()>
            <summary>{t.mr_appeal_summary}</summary>
            <ActionForm action attr:class="appeal-form" attr:novalidate=true>
                <input type="hidden" name="org" value=target.org.clone()/>
                <input type="hidden" name="slug" value=target.slug.clone()/>
                <input type="hidden" name="comment_id" value=id.to_string()/>
                <input type="hidden" name="return_to" value=target.here.clone()/>
                {form_error}
                <FormField id=format!("appeal-{id}-body") name="body" label=t.mr_appeal_label multiline=true
                    hint=(t.mr_appeal_hint)(MIN_APPEAL_CHARS, MAX_APPEAL_CHARS) value counter=MAX_APPEAL_CHARS
                    error=body_error/>
                <button type="submit" disabled=move || action.pending().get()>{t.mr_appeal_submit}</button>
            </ActionForm>
        </details>
    }
}

/// `/moderation/appeals`: the open appeals of the organisations the moderator serves, each with
/// the contribution, why and by whom it was hidden, the appeal, and the decision form.
#[component]
pub fn AppealsPage() -> impl IntoView {
    let t = use_texts();
    let page = Resource::new(|| (), |_| super::appeal::list_appeals());
    view! {
        <crate::ui::PageMeta title=t.mr_appeals_title.to_string() description=t.mr_appeals_intro.to_string()/>
        <h1>{t.mr_appeals_title}</h1>
        <p>{t.mr_appeals_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let p = match page.await {
                    Ok(p) => p,
                    Err(err) => return view! { <ErrorView error=err/> }.into_any(),
                };
                let flash = p.flash.clone();
                let decided = matches!(flash, Some(DecisionFlash::Decided(_)));
                view! {
                    <div class="flash" role="status">
                        {decided.then(|| view! { <p class="notice notice-success">{t.mr_decided_notice}</p> })}
                    </div>
                    {if p.appeals.is_empty() {
                        view! { <p>{t.mr_appeals_none}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="appeals">
                                {p.appeals.into_iter().map(|a| {
                                    let kept = match &flash {
                                        Some(DecisionFlash::Refused { appeal_id, outcome, note, error }) if *appeal_id == a.id => {
                                            Some((outcome.clone(), note.clone(), error.clone()))
                                        }
                                        _ => None,
                                    };
                                    view! { <AppealItem appeal=a kept/> }
                                }).collect_view()}
                            </ol>
                        }
                        .into_any()
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
fn AppealItem(appeal: OpenAppeal, kept: Option<(String, String, AppError)>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let id = appeal.id;
    let action = ServerAction::<DecideAppeal>::new();
    let error = submission_error(action.value(), kept.as_ref().map(|k| k.2.clone()));
    let done = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            done.set(true);
        }
    });
    let note_error = Signal::derive(move || {
        error
            .get()
            .filter(|e| e.field() == Some(Field::Note))
            .map(|e| e.message(lang))
    });
    let form_error = move || {
        error
            .get()
            .filter(|e| e.field() != Some(Field::Note))
            .map(|e: AppError| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    };
    let (chosen, note) = kept.map(|k| (k.0, k.1)).unwrap_or_default();
    let author = if appeal.author_name.is_empty() {
        t.anonymous.to_string()
    } else {
        appeal.author_name.clone()
    };
    let heading_id = format!("appeal-{id}-heading");
    let reason = appeal
        .hidden_reason
        .map(|r| reason_label(r, t))
        .unwrap_or_default();
    let decide = if appeal.hidden_by_me {
        view! { <p class="notice">{t.mr_own_decision}</p> }.into_any()
    } else {
        view! {
            <p class="notice notice-success" role="status">{move || done.get().then_some(t.mr_decided_notice)}</p>
            <ActionForm action attr:class="decide-form" attr:novalidate=true attr:hidden=move || done.get()>
                <input type="hidden" name="appeal_id" value=id.to_string()/>
                {form_error}
                <fieldset>
                    <legend>{t.mr_outcome_legend}</legend>
                    {[(AppealOutcome::Upheld, t.mr_outcome_upheld), (AppealOutcome::Rejected, t.mr_outcome_rejected)]
                        .into_iter()
                        .map(|(o, label)| {
                            let input_id = format!("appeal-{id}-{}", o.as_str());
                            view! {
                                <div class="choice">
                                    <input type="radio" id=input_id.clone() name="outcome" value=o.as_str() checked=chosen == o.as_str()/>
                                    <label for=input_id>{label}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <FormField id=format!("appeal-{id}-note") name="note" label=t.mr_decide_note_label multiline=true
                    value=note counter=MAX_DECISION_NOTE_CHARS error=note_error/>
                <button type="submit" disabled=move || action.pending().get()>{t.mr_decide_submit}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <li id=format!("appeal-{id}")>
            <article class="appeal-item" aria-labelledby=heading_id.clone()>
                <h2 id=format!("appeal-{id}-heading")>{(t.mr_appeal_heading)(&author)}</h2>
                <p class="meta">
                    {appeal.consultation_title.clone()} " · "
                    <time datetime=iso_date(appeal.created_at)>{format_date(lang, appeal.created_at)}</time>
                    " · " <a href=appeal.comment_link.clone()>{t.mr_comment_label} " #" {appeal.comment_id}</a>
                </p>
                <dl class="facts">
                    <div><dt>{t.mr_reason_label}</dt><dd>{reason}</dd></div>
                    {(!appeal.hidden_note.is_empty()).then(|| view! {
                        <div><dt>{t.mr_moderator_note}</dt><dd>{appeal.hidden_note.clone()}</dd></div>
                    })}
                    <div><dt>{t.mr_hidden_by_label}</dt><dd>{appeal.hidden_by_name.clone()}</dd></div>
                </dl>
                <h3>{t.mr_comment_label}</h3>
                <blockquote class="comment-body" inner_html=appeal.comment_html.clone()></blockquote>
                <h3>{t.mr_appeal_text_label}</h3>
                <p class="plain-text">{appeal.body.clone()}</p>
                {decide}
            </article>
        </li>
    }
}
