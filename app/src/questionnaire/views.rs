//! The questionnaire on a consultation page (answering, the saved answers, public results) and
//! its staff editor. Every form is a real form that works without JavaScript.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{
    get_questionnaire, get_questionnaire_editor, DeleteQuestion, MoveQuestion, SaveQuestion,
    SubmitQuestionnaire,
};
use super::{
    input_from_draft, Question, QuestionInput, QuestionKind, QuestionResult, QuestionnaireFlash,
    QuestionnairePage, ReadOnly, Results, RowLabel, Vote, KIND_NAMES, MAX_OPTIONS, MIN_OPTIONS,
    RATING_MAX, RATING_MIN,
};
use crate::account::api::FormDraft;
use crate::account::views::FormState;
use crate::error::{AppError, Field};
use crate::i18n::{format_date, iso_date, use_lang, use_texts, Lang, Texts};
use crate::ui::{escape_html, ErrorView, FormField, Loading};

/// The questionnaire of a consultation page, loaded along with the page (see
/// [`use_questionnaire`]).
pub type QuestionnaireResource = Resource<Result<QuestionnairePage, AppError>>;

/// Starts loading the questionnaire of the page's consultation. Called once by the page
/// component (outside its loading boundary), so that the request runs exactly once and can take
/// the single-use flash a no-JavaScript post left.
pub fn use_questionnaire() -> QuestionnaireResource {
    Resource::new(crate::ui::use_org_and_slug(), |(o, s)| {
        get_questionnaire(o, s)
    })
}

/// The questionnaire of a consultation page (nothing when it has no questions). Placed before
/// the comments.
#[component]
pub fn QuestionnaireSection(data: QuestionnaireResource) -> impl IntoView {
    let action = ServerAction::<SubmitQuestionnaire>::new();
    let saved = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            saved.set(true);
            // The saved answers and (public) results as the server now has them.
            data.refetch();
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) if !page.questions.is_empty() => {
                        view! { <QuestionnaireView page action saved/> }.into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn QuestionnaireView(
    page: QuestionnairePage,
    action: ServerAction<SubmitQuestionnaire>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let (flash_saved, kept_error) = match &page.flash {
        Some(QuestionnaireFlash::Saved) => (true, None),
        Some(QuestionnaireFlash::Rejected { error, .. }) => (false, Some(error.clone())),
        None => (false, None),
    };
    let error = crate::ui::submission_error(action.value(), kept_error);
    let writing = page.read_only.is_none();
    let notice = match page.read_only {
        Some(ReadOnly::NotOpen) => Some(view! { <p class="notice">{t.q_not_open}</p> }.into_any()),
        Some(ReadOnly::NotParticipant) => Some(
            view! {
                <p class="notice">{t.q_gate} " " <a href="#participate">{t.q_gate_link}</a></p>
            }
            .into_any(),
        ),
        Some(ReadOnly::Preview) => Some(view! { <p class="notice">{t.q_preview}</p> }.into_any()),
        None => None,
    };
    let questions = page
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let values = page.values.get(&q.field_key()).cloned().unwrap_or_default();
            let id = q.id;
            let problem = Signal::derive(move || match error.get() {
                Some(AppError::InvalidAnswers { problems }) => problems
                    .iter()
                    .find(|p| p.question_id == id)
                    .map(|p| p.message(lang)),
                _ => None,
            });
            view! { <li>{question_view(t, i + 1, q, &values, !writing, problem)}</li> }
        })
        .collect_view();
    let list = view! { <ol class="questions">{questions}</ol> };
    let alert = move || {
        error
            .get()
            .map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    };
    let form = if writing {
        view! {
            <ActionForm action attr:id="questionnaire-form" attr:class="questionnaire-form" attr:novalidate=true>
                {alert}
                <input type="hidden" name="org" value=page.org.clone()/>
                <input type="hidden" name="slug" value=page.slug.clone()/>
                {list}
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { t.sending } else { t.q_submit }}
                </button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! { <div class="questionnaire-form">{alert}{list}</div> }.into_any()
    };
    view! {
        <section class="questionnaire" id="questionnaire" aria-labelledby="questionnaire-heading">
            <h2 id="questionnaire-heading">{t.q_heading}</h2>
            <div class="flash" role="status">
                {move || (saved.get() || flash_saved).then(|| view! {
                    <p class="notice notice-success">{t.q_saved}</p>
                })}
            </div>
            {notice}
            {page.saved_at.map(|at| view! {
                <p class="meta saved-at">{(t.q_saved_at)(&format_date(lang, at))}</p>
            })}
            <p class="hint">{t.q_intro}</p>
            {form}
            {page.results.map(|results| view! { <ResultsView results/> })}
        </section>
    }
}

/// The field name every answer control of a question posts under.
fn answer_name(q: &Question) -> String {
    format!("answers[{}][]", q.field_key())
}

/// One question as a group of controls: legend (the prompt), help and hint, the error, and the
/// controls showing `values` (saved answers or kept input).
fn question_view(
    t: &'static Texts,
    number: usize,
    q: &Question,
    values: &[String],
    disabled: bool,
    error: Signal<Option<String>>,
) -> AnyView {
    let id = q.id;
    let name = answer_name(q);
    let help_id = format!("q{id}-help");
    let hint_id = format!("q{id}-hint");
    let error_id = format!("q{id}-error");
    let hint = match &q.kind {
        QuestionKind::Multiple { min, max } => {
            Some((t.q_choose_between)(*min as usize, *max as usize))
        }
        QuestionKind::Rating { low, high } => Some((t.q_rating_hint)(low, high)),
        QuestionKind::Ranking => Some((t.q_ranking_hint)(q.options.len())),
        QuestionKind::FreeText { max_chars } => Some((t.max_chars_hint)(*max_chars as usize)),
        _ => None,
    };
    let described_by = {
        let mut ids = Vec::new();
        if !q.help.is_empty() {
            ids.push(help_id.clone());
        }
        if hint.is_some() {
            ids.push(hint_id.clone());
        }
        let error_id = error_id.clone();
        move || {
            let mut ids = ids.clone();
            if error.read().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let has = |v: &str| values.iter().any(|x| x == v);
    let radio_or_box = |kind: &'static str, dom_id: String, value: String, label: String| {
        let checked = has(&value);
        view! {
            <div class="choice">
                <input type=kind id=dom_id.clone() name=name.clone() value=value checked=checked disabled=disabled/>
                <label for=dom_id>{label}</label>
            </div>
        }
    };
    let controls = match &q.kind {
        QuestionKind::Single | QuestionKind::Multiple { .. } => {
            let kind = if q.kind == QuestionKind::Single {
                "radio"
            } else {
                "checkbox"
            };
            q.options
                .iter()
                .map(|o| {
                    radio_or_box(
                        kind,
                        format!("q{id}-o{}", o.id),
                        o.id.to_string(),
                        o.label.clone(),
                    )
                })
                .collect_view()
                .into_any()
        }
        QuestionKind::YesNoAbstain => Vote::ALL
            .into_iter()
            .map(|v| {
                radio_or_box(
                    "radio",
                    format!("q{id}-{}", v.as_str()),
                    v.as_str().to_string(),
                    v.label(t).to_string(),
                )
            })
            .collect_view()
            .into_any(),
        QuestionKind::Rating { low, high } => {
            let steps = (RATING_MIN..=RATING_MAX)
                .map(|n| {
                    let label = match n {
                        RATING_MIN => format!("{n} – {low}"),
                        RATING_MAX => format!("{n} – {high}"),
                        n => n.to_string(),
                    };
                    radio_or_box("radio", format!("q{id}-r{n}"), n.to_string(), label)
                })
                .collect_view();
            view! { <div class="rating-scale">{steps}</div> }.into_any()
        }
        QuestionKind::Ranking => {
            let n = q.options.len();
            q.options
                .iter()
                .map(|o| {
                    let dom_id = format!("q{id}-rank-{}", o.id);
                    let ranks = (1..=n)
                        .map(|r| {
                            let value = format!("{}:{r}", o.id);
                            let selected = has(&value);
                            view! { <option value=value selected=selected>{(t.q_rank_option)(r)}</option> }
                        })
                        .collect_view();
                    view! {
                        <div class="rank-row">
                            <select id=dom_id.clone() name=name.clone() disabled=disabled>
                                <option value="">{t.q_rank_none}</option>
                                {ranks}
                            </select>
                            <label for=dom_id>{o.label.clone()}</label>
                        </div>
                    }
                })
                .collect_view()
                .into_any()
        }
        QuestionKind::FreeText { max_chars } => {
            let text = values.first().cloned().unwrap_or_default();
            // Escaped by us: Leptos does not escape a textarea's children.
            view! {
                <textarea id=format!("q{id}-text") name=name.clone() rows="5" maxlength=*max_chars
                    disabled=disabled aria-labelledby=format!("q{id}-legend")
                    aria-describedby=described_by.clone() inner_html=escape_html(&text)></textarea>
            }
            .into_any()
        }
    };
    let required = if q.required {
        t.q_required
    } else {
        t.q_optional
    };
    view! {
        <fieldset class="question" id=format!("question-{id}") class:field-invalid=move || error.read().is_some()
            aria-describedby=described_by>
            <legend id=format!("q{id}-legend")>
                <span class="q-number">{number} ". "</span>{q.prompt.clone()}
                " " <span class="q-required">"(" {required} ")"</span>
            </legend>
            {(!q.help.is_empty()).then(|| view! { <p class="help" id=help_id.clone()>{q.help.clone()}</p> })}
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {move || error.get().map(|msg| view! { <p class="field-error" id=error_id.clone()>{msg}</p> })}
            {controls}
        </fieldset>
    }
    .into_any()
}

fn decimal(lang: Lang, value: f64) -> String {
    let s = format!("{value:.1}");
    match lang {
        Lang::De => s.replace('.', ","),
        _ => s,
    }
}

fn percent(lang: Lang, count: i64, of: i64) -> String {
    let p = if of > 0 {
        ((count as f64) * 100.0 / (of as f64)).round() as i64
    } else {
        0
    };
    match lang {
        Lang::De => format!("{p} %"),
        _ => format!("{p}%"),
    }
}

/// The results of a questionnaire: counts with bars (numbers in text, bars only for the eye),
/// mean ratings and ranks, and the newest free texts — as escaped text only.
#[component]
pub fn ResultsView(
    results: Results,
    /// With a bar chart (server-drawn SVG) above each table: the public results page.
    #[prop(optional)]
    charts: bool,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let total = results.responses;
    let items = results
        .questions
        .into_iter()
        .map(|r| result_view(t, lang, r, total, charts))
        .collect_view();
    view! {
        <section class="questionnaire-results" id="questionnaire-results" aria-labelledby="questionnaire-results-heading">
            <h3 id="questionnaire-results-heading">{t.q_results_heading}</h3>
            <p>{(t.q_responses)(total)}</p>
            {items}
        </section>
    }
}

fn result_view(
    t: &'static Texts,
    lang: Lang,
    r: QuestionResult,
    total: i64,
    charts: bool,
) -> AnyView {
    let answered = r.answered;
    let chart = charts.then(|| chart_of(t, lang, &r)).flatten();
    let label_of = |label: &RowLabel| row_label(t, label);
    let body = match &r.question.kind {
        QuestionKind::FreeText { .. } => {
            if r.texts.is_empty() {
                view! { <p>{t.q_no_answers}</p> }.into_any()
            } else {
                view! {
                    <p class="meta">{(t.q_texts_shown)(r.texts.len(), answered)}</p>
                    <ul class="free-texts">
                        {r.texts.iter().map(|a| view! {
                            <li>
                                <p class="free-text">{a.body.clone()}</p>
                                <p class="meta"><time datetime=iso_date(a.at)>{format_date(lang, a.at)}</time></p>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }
        }
        QuestionKind::Ranking => {
            let mut rows = r.rows.clone();
            rows.sort_by(|a, b| {
                a.mean_rank
                    .unwrap_or(f64::MAX)
                    .total_cmp(&b.mean_rank.unwrap_or(f64::MAX))
            });
            view! {
                <table class="result-table">
                    <caption class="visually-hidden">{r.question.prompt.clone()}</caption>
                    <thead>
                        <tr><th scope="col">{t.q_col_option}</th><th scope="col">{t.q_col_mean_rank}</th></tr>
                    </thead>
                    <tbody>
                        {rows.iter().map(|row| view! {
                            <tr>
                                <th scope="row">{label_of(&row.label)}</th>
                                <td>{row.mean_rank.map(|m| decimal(lang, m)).unwrap_or_else(|| "–".to_string())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }
        _ => view! {
            <table class="result-table">
                <caption class="visually-hidden">{r.question.prompt.clone()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.q_col_answer}</th>
                        <th scope="col">{t.q_col_count}</th>
                        <th scope="col">{t.q_col_share}</th>
                    </tr>
                </thead>
                <tbody>
                    {r.rows.iter().map(|row| view! {
                        <tr>
                            <th scope="row">{label_of(&row.label)}</th>
                            <td class="num">{row.count}</td>
                            <td class="share">
                                <progress class="result-bar" max=answered.max(1) value=row.count aria-hidden="true"></progress>
                                " " <span>{percent(lang, row.count, answered)}</span>
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {r.mean.map(|m| view! { <p class="mean">{(t.q_mean_rating)(&decimal(lang, m))}</p> })}
        }
        .into_any(),
    };
    view! {
        <div class="q-result">
            <h4>{r.question.prompt.clone()}</h4>
            <p class="meta">{(t.q_answered_of)(answered, total)}</p>
            {chart.map(|svg| view! { <div class="chart-box" inner_html=svg></div> })}
            {body}
        </div>
    }
    .into_any()
}

/// A result line's label in the reader's language.
fn row_label(t: &'static Texts, label: &RowLabel) -> String {
    match label {
        RowLabel::Option(s) => s.clone(),
        RowLabel::Vote(v) => v.label(t).to_string(),
        RowLabel::Rating(n) => n.to_string(),
    }
}

/// The bar chart of a question's counts (choices, votes, ratings): bars relative to the people
/// who answered it. Rankings and free texts have none (their table or texts say it better).
fn chart_of(t: &'static Texts, lang: Lang, r: &QuestionResult) -> Option<String> {
    if matches!(
        r.question.kind,
        QuestionKind::FreeText { .. } | QuestionKind::Ranking
    ) {
        return None;
    }
    let bars: Vec<crate::results::chart::Bar> = r
        .rows
        .iter()
        .map(|row| crate::results::chart::Bar {
            label: row_label(t, &row.label),
            value: row.count as f64,
            text: format!("{} ({})", row.count, percent(lang, row.count, r.answered)),
        })
        .collect();
    Some(crate::results::chart::bars(
        &(t.res_chart_summary)(&r.question.prompt),
        &bars,
        r.answered.max(1) as f64,
    ))
}

fn kind_label(t: &'static Texts, name: &str) -> &'static str {
    match name {
        "single" => t.q_kind_single,
        "multiple" => t.q_kind_multiple,
        "yes_no" => t.q_kind_yes_no,
        "rating" => t.q_kind_rating,
        "ranking" => t.q_kind_ranking,
        _ => t.q_kind_free_text,
    }
}

/// A staff page's refusal: what is missing, and where to get it.
fn refused(t: &'static Texts, lang: Lang, error: AppError) -> AnyView {
    let hint = match &error {
        AppError::Unauthenticated => {
            Some(view! { <p><a href="/login?next=/manage">{t.login_link}</a></p> }.into_any())
        }
        AppError::TwoFactorRequired => {
            Some(view! { <p><a href="/account#two-factor">{t.two_factor_title}</a></p> }.into_any())
        }
        _ => None,
    };
    match error {
        AppError::NotFound => view! { <ErrorView error=AppError::NotFound/> }.into_any(),
        other => {
            let message = other.message(lang);
            view! { <Title text=message.clone()/> <h1>{message}</h1> {hint} }.into_any()
        }
    }
}

/// `/manage/{org}/{slug}/questionnaire`: initiators (and organisation admins) add, change,
/// reorder and delete the questions — until the first answer — and see the results.
#[component]
pub fn QuestionnaireEditorPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let page = Resource::new(crate::ui::use_org_and_slug(), |(org, slug)| {
        get_questionnaire_editor(org, slug)
    });
    let saved = RwSignal::new(false);
    // After a form sent with JavaScript: the page's data afresh.
    let done = Callback::new(move |_: ()| {
        saved.set(true);
        page.refetch();
    });
    view! {
        <Title text=t.q_editor_title/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let e = match page.await {
                    Ok(e) => e,
                    Err(error) => return refused(t, lang, error),
                };
                let kept_done = e.kept.as_ref().is_some_and(|d| d.done);
                let (org, slug) = (e.org_slug.clone(), e.slug.clone());
                let items = e
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(i, q)| {
                        view! {
                            <QuestionItem org=org.clone() slug=slug.clone() question=q.clone() number=i + 1
                                last=i + 1 == e.questions.len() locked=e.locked kept=e.kept.clone() done/>
                        }
                    })
                    .collect_view();
                view! {
                    <p class="meta"><a href=format!("/manage/{}", e.org_slug)>{e.org_name.clone()}</a></p>
                    <h1>{t.q_editor_title}</h1>
                    <p class="lead">{e.title.clone()}</p>
                    <p>
                        <a href=format!("/{}/{}", e.org_slug, e.slug)>{t.editor_preview_link}</a>
                        " · "
                        <a href=format!("/manage/{}/{}/edit", e.org_slug, e.slug)>{t.editor_edit_link}</a>
                    </p>
                    <div role="status">
                        {move || (saved.get() || kept_done).then(|| view! { <p class="notice notice-success">{t.q_staff_saved}</p> })}
                    </div>
                    <p>{t.q_editor_intro}</p>
                    {e.locked.then(|| view! { <p class="notice" id="questions-locked">{t.q_locked}</p> })}
                    <section id="questions" aria-labelledby="questions-heading">
                        <h2 id="questions-heading">{t.q_questions_title}</h2>
                        {if e.questions.is_empty() {
                            view! { <p>{t.q_no_questions}</p> }.into_any()
                        } else {
                            view! { <ol class="question-list">{items}</ol> }.into_any()
                        }}
                    </section>
                    {(!e.locked).then(|| {
                        let kept = e.kept.clone().filter(|d| d.value("form") == "add" && !d.done);
                        view! {
                            <section id="add-question" aria-labelledby="add-question-heading">
                                <h2 id="add-question-heading">{t.q_add_title}</h2>
                                <QuestionForm org=org.clone() slug=slug.clone() question=None kept done/>
                            </section>
                        }
                    })}
                    <section id="results" aria-labelledby="results-heading" class="staff-results">
                        <h2 id="results-heading">{t.results_label}</h2>
                        <p class="meta">{if e.results_public { t.q_results_public } else { t.q_results_private }}</p>
                        <ResultsView results=e.results.clone()/>
                    </section>
                }
                .into_any()
            })}
        </Transition>
    }
}

/// The latest error of an action sent with JavaScript, or the one a no-JavaScript post of this
/// form left, as an alert.
fn action_alert<A>(action: ServerAction<A>, kept: Option<AppError>) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Output = crate::account::api::FormOutcome, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    let lang = use_lang();
    let error = crate::ui::submission_error(action.value(), kept);
    move || {
        error
            .get()
            .map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    }
}

/// Calls `done` after each successful submission with JavaScript.
fn on_success<A>(action: ServerAction<A>, done: Callback<()>)
where
    A: leptos::server_fn::ServerFn<Output = crate::account::api::FormOutcome, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            done.run(());
        }
    });
}

#[component]
fn QuestionItem(
    org: String,
    slug: String,
    question: Question,
    number: usize,
    last: bool,
    locked: bool,
    kept: Option<FormDraft>,
    done: Callback<()>,
) -> impl IntoView {
    let t = use_texts();
    let id = question.id;
    let kept_for = |form: String| kept.clone().filter(|d| d.value("form") == form && !d.done);
    let move_action = ServerAction::<MoveQuestion>::new();
    on_success(move_action, done);
    let delete_action = ServerAction::<DeleteQuestion>::new();
    on_success(delete_action, done);
    let move_kept = kept_for(format!("move-{id}")).and_then(|d| d.error);
    let delete_kept = kept_for(format!("delete-{id}")).and_then(|d| d.error);
    let edit_kept = kept_for(format!("q{id}"));
    let button = |direction: &'static str, label: &'static str| {
        let aria = format!("{label}: {}", question.prompt);
        let (org, slug) = (org.clone(), slug.clone());
        view! {
            <ActionForm action=move_action attr:class="inline-form">
                <input type="hidden" name="org" value=org/>
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="question_id" value=id.to_string()/>
                <input type="hidden" name="direction" value=direction/>
                <button type="submit" aria-label=aria>{label}</button>
            </ActionForm>
        }
    };
    let actions = if locked {
        None
    } else {
        let up = (number > 1).then(|| button("up", t.q_move_up));
        let down = (!last).then(|| button("down", t.q_move_down));
        let open = edit_kept.is_some();
        let delete_label = format!("{}: {}", t.q_delete, question.prompt);
        let hidden_prompt = question.prompt.clone();
        let (org2, slug2) = (org.clone(), slug.clone());
        let (org3, slug3) = (org.clone(), slug.clone());
        let edited = Some(question.clone());
        Some(view! {
            {action_alert(move_action, move_kept)}
            {action_alert(delete_action, delete_kept)}
            <div class="question-actions">
                {up}
                {down}
                <ActionForm action=delete_action attr:class="inline-form">
                    <input type="hidden" name="org" value=org2/>
                    <input type="hidden" name="slug" value=slug2/>
                    <input type="hidden" name="question_id" value=id.to_string()/>
                    <button type="submit" class="danger" aria-label=delete_label>{t.q_delete}</button>
                </ActionForm>
            </div>
            <details class="question-edit" open=open>
                <summary>{t.q_edit_summary} <span class="visually-hidden">": " {hidden_prompt}</span></summary>
                <QuestionForm org=org3 slug=slug3 question=edited kept=edit_kept done/>
            </details>
        })
    };
    let required = if question.required {
        t.q_required
    } else {
        t.q_optional
    };
    view! {
        <li id=format!("question-{id}") class="question-item">
            <h3>{number} ". " {question.prompt.clone()}</h3>
            <p class="meta">{t.q_kind_label} ": " {kind_label(t, question.kind.name())} " · " {required}</p>
            {(!question.help.is_empty()).then(|| view! { <p class="help">{question.help.clone()}</p> })}
            {(!question.options.is_empty()).then(|| view! {
                <ul class="option-list" aria-label=t.q_options_label>
                    {question.options.iter().map(|o| view! { <li>{o.label.clone()}</li> }).collect_view()}
                </ul>
            })}
            {actions}
        </li>
    }
}

/// The form that adds a question (`question: None`) or changes one.
#[component]
fn QuestionForm(
    org: String,
    slug: String,
    question: Option<Question>,
    kept: Option<FormDraft>,
    done: Callback<()>,
) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SaveQuestion>::new();
    on_success(action, done);
    let state = FormState::new(action.value(), &kept);
    let prefix = question
        .as_ref()
        .map_or_else(|| "new".to_string(), |q| format!("q{}", q.id));
    let input = match (&kept, &question) {
        (Some(d), _) => input_from_draft(d),
        (None, Some(q)) => QuestionInput::of(q),
        (None, None) => QuestionInput {
            kind: "single".into(),
            ..Default::default()
        },
    };
    let kind_id = format!("{prefix}-kind");
    let required_id = format!("{prefix}-required");
    let form_id = format!("{prefix}-question-form");
    let kind_error = state.field(Field::Kind);
    let submit = if question.is_some() {
        t.q_save_submit
    } else {
        t.q_add_title
    };
    let field = move |name: &str| format!("{prefix}-{name}");
    view! {
        <ActionForm action attr:id=form_id attr:class="question-form" attr:novalidate=true>
            {state.alert()}
            <input type="hidden" name="org" value=org/>
            <input type="hidden" name="slug" value=slug/>
            <input type="hidden" name="question_id" value=question.as_ref().map(|q| q.id.to_string()).unwrap_or_default()/>
            <div class="field">
                <label for=kind_id.clone()>{t.q_field_kind}</label>
                {move || kind_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                <select id=kind_id name="kind">
                    {KIND_NAMES.into_iter().map(|k| view! {
                        <option value=k selected=input.kind == k>{kind_label(t, k)}</option>
                    }).collect_view()}
                </select>
            </div>
            <FormField id=field("prompt") name="prompt" label=t.q_field_prompt value=input.prompt.clone()
                error=state.field(Field::Prompt)/>
            <FormField id=field("help") name="help" label=t.q_field_help multiline=true value=input.help.clone()
                error=state.field(Field::HelpText)/>
            <div class="choice">
                <input type="checkbox" id=required_id.clone() name="required" value="on" checked=input.required/>
                <label for=required_id>{t.q_field_required}</label>
            </div>
            <p class="hint">{t.q_field_unused_hint}</p>
            <FormField id=field("options") name="options" label=t.q_field_options multiline=true
                hint=(t.q_field_options_hint)(MIN_OPTIONS, MAX_OPTIONS) value=input.options.clone()
                error=state.field(Field::Options)/>
            <div class="field-row">
                <FormField id=field("min") name="min_choices" label=t.q_field_min input_type="number"
                    value=input.min_choices.clone() error=state.field(Field::MinChoices)/>
                <FormField id=field("max") name="max_choices" label=t.q_field_max input_type="number"
                    value=input.max_choices.clone() error=state.field(Field::MaxChoices)/>
            </div>
            <div class="field-row">
                <FormField id=field("low") name="low_label" label=t.q_field_low value=input.low_label.clone()
                    error=state.field(Field::LowLabel)/>
                <FormField id=field("high") name="high_label" label=t.q_field_high value=input.high_label.clone()
                    error=state.field(Field::HighLabel)/>
            </div>
            <FormField id=field("max-chars") name="max_chars" label=t.q_field_max_chars input_type="number"
                value=input.max_chars.clone() error=state.field(Field::MaxChars)/>
            <button type="submit" disabled=move || action.pending().get()>{submit}</button>
        </ActionForm>
    }
}
