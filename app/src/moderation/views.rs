//! `/moderation`: the moderators' queue. Every decision is a form that works without JavaScript
//! (post, redirect back to the queue with its filters and a notice); with JavaScript the item
//! leaves the list in place, the focus moves to the next one, a polite live region says what was
//! done, and keyboard shortcuts (j/k, a, h, x, ?) speed things up. Nothing needs them: every
//! control is reachable with Tab.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::alerts::{AlertMode, SetModerationAlerts};
use super::decide::{
    ApproveComments, BlockAuthor, HideComments, RedactComment, BLOCK_DAYS, MAX_NOTE_CHARS,
};
use super::queue::{
    DecisionForm, Filter, ItemStatus, Kept, Kind, QueueFlash, QueueItem, QueuePage as Page,
};
use super::report::reason_label;
use super::Reason;
use crate::comment::MAX_BODY_CHARS;
use crate::i18n::{format_date, iso_date, use_lang, use_texts};
// Leptos does not escape a textarea's children: texts go in through escape_html.
use crate::ui::{escape_html, ErrorView, Loading};

/// What every item shares: the live region's text and the filter to return to.
#[derive(Clone, Copy)]
struct QueueCtx {
    announce: RwSignal<String>,
    back: StoredValue<String>,
    /// Items still in the queue (all pages): decisions made in place count it down.
    remaining: RwSignal<i64>,
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let q = query.get();
            let get = |k: &str| q.get(k).unwrap_or_default();
            (
                get("org"),
                get("consultation"),
                get("kind"),
                get("reason"),
                get("page"),
            )
        },
        |(org, consultation, kind, reason, page)| {
            super::queue::moderation_queue(org, consultation, kind, reason, page)
        },
    );
    let announce = RwSignal::new(String::new());
    let help_open = RwSignal::new(false);
    view! {
        <crate::ui::PageMeta title=t.mq_title.to_string() description=t.mq_intro.to_string()/>
        <h1>{t.mq_title}</h1>
        <p>{t.mq_intro}</p>
        <p class="visually-hidden" role="status" aria-live="polite">{move || announce.get()}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <QueueBody page=p announce help_open/> }.into_any(),
                    Err(err) => view! { <ErrorView error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueBody(page: Page, announce: RwSignal<String>, help_open: RwSignal<bool>) -> impl IntoView {
    let t = use_texts();
    let back = page.filter.query();
    let ctx = QueueCtx {
        announce,
        back: StoredValue::new(back.clone()),
        remaining: RwSignal::new(page.total),
    };
    let flash_text = match &page.flash {
        Some(QueueFlash::Approved(n)) => Some((t.mq_done_approved)(*n)),
        Some(QueueFlash::Hidden(n)) => Some((t.mq_done_hidden)(*n)),
        Some(QueueFlash::Redacted(_)) => Some(t.mq_done_redacted.to_string()),
        Some(QueueFlash::Blocked(_)) => Some(t.mq_done_blocked.to_string()),
        Some(QueueFlash::AlertsSaved) => Some(t.mq_alerts_saved.to_string()),
        _ => None,
    };
    let refused = match &page.flash {
        Some(QueueFlash::Refused(kept)) => Some(kept.clone()),
        _ => None,
    };
    let lang = use_lang();
    let general_error = refused
        .as_ref()
        .filter(|k| !page.items.iter().any(|i| i.id == k.item))
        .map(|k| view! { <p class="form-error" role="alert">{k.error.message(lang)}</p> });
    let filter = page.filter.clone();
    let prev = (filter.page > 1).then(|| {
        Filter {
            page: filter.page - 1,
            ..filter.clone()
        }
        .path()
    });
    let next = (i64::from(filter.page) * super::queue::PAGE_SIZE < page.total).then(|| {
        Filter {
            page: filter.page + 1,
            ..filter.clone()
        }
        .path()
    });
    let items = page.items.clone();
    let empty = items.is_empty();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| shortcuts(ev, help_open, ctx);
    view! {
        <div class="flash" role="status">
            {flash_text.map(|text| view! { <p class="notice notice-success">{text}</p> })}
        </div>
        {general_error}
        <p class="queue-appeals">
            <a href=super::appeal::APPEALS_PATH>{(t.mq_appeals_link)(page.open_appeals)}</a>
        </p>
        <div class="queue" on:keydown=on_keydown>
            <p class="queue-shortcuts" id="queue-shortcuts">{t.mq_shortcuts_line}</p>
            <details class="queue-help" id="queue-help" prop:open=move || help_open.get()
                on:toggle=move |ev| toggled(ev, help_open)>
                <summary>{t.mq_shortcuts_summary}</summary>
                <dl class="facts">
                    <div><dt><kbd>"j"</kbd> " / " <kbd>"↓"</kbd></dt><dd>{t.mq_key_next}</dd></div>
                    <div><dt><kbd>"k"</kbd> " / " <kbd>"↑"</kbd></dt><dd>{t.mq_key_prev}</dd></div>
                    <div><dt><kbd>"a"</kbd></dt><dd>{t.mq_key_approve}</dd></div>
                    <div><dt><kbd>"h"</kbd></dt><dd>{t.mq_key_hide}</dd></div>
                    <div><dt><kbd>"x"</kbd></dt><dd>{t.mq_key_select}</dd></div>
                    <div><dt><kbd>"?"</kbd></dt><dd>{t.mq_key_help}</dd></div>
                </dl>
                <p>{t.mq_key_typing}</p>
            </details>
            <FilterForm page=page.clone()/>
            <h2 id="queue-count" tabindex="-1">{move || (t.mq_count)(ctx.remaining.get())}</h2>
            {if empty {
                view! { <p>{t.mq_empty}</p> }.into_any()
            } else {
                view! {
                    <BulkForm back=back.clone()/>
                    <ol class="queue-items" aria-labelledby="queue-count">
                        {items.into_iter().enumerate().map(|(i, item)| {
                            let kept = refused.clone().filter(|k| k.item == item.id);
                            view! { <Item item index=i ctx kept/> }
                        }).collect_view()}
                    </ol>
                    {move || (ctx.remaining.get() == 0).then(|| view! { <p>{t.mq_empty}</p> })}
                }
                .into_any()
            }}
            <nav class="pager" aria-label=t.mq_title>
                {prev.map(|href| view! { <a href=href rel="prev">{t.mq_page_prev}</a> })}
                " "
                {next.map(|href| view! { <a href=href rel="next">{t.mq_page_next}</a> })}
            </nav>
        </div>
        <AlertsForm mode=page.alert_mode back/>
    }
}

#[component]
fn FilterForm(page: Page) -> impl IntoView {
    let t = use_texts();
    let f = page.filter.clone();
    view! {
        <form method="get" action=super::queue::QUEUE_PATH class="queue-filter">
            <fieldset>
                <legend>{t.mq_filter_legend}</legend>
                <div class="field">
                    <label for="queue-org">{t.mq_filter_org}</label>
                    <select id="queue-org" name="org">
                        <option value="">{t.mq_filter_all}</option>
                        {page.organisations.into_iter().map(|o| {
                            let selected = o.slug == f.org;
                            view! { <option value=o.slug selected=selected>{o.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="queue-consultation">{t.mq_filter_consultation}</label>
                    <input id="queue-consultation" name="consultation" type="text" value=f.consultation.clone()/>
                </div>
                <div class="field">
                    <label for="queue-kind">{t.mq_filter_kind}</label>
                    <select id="queue-kind" name="kind">
                        <option value="">{t.mq_filter_all}</option>
                        <option value="pending" selected=f.kind == Some(Kind::Pending)>{t.mq_kind_pending}</option>
                        <option value="reported" selected=f.kind == Some(Kind::Reported)>{t.mq_kind_reported}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="queue-reason">{t.mq_filter_reason}</label>
                    <select id="queue-reason" name="reason">
                        <option value="">{t.mq_filter_all}</option>
                        {Reason::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=f.reason == Some(r)>{reason_label(r, t)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit">{t.mq_filter_submit}</button>
            </fieldset>
        </form>
    }
}

/// The bulk form: the items' checkboxes belong to it (`form="queue-bulk"`). A plain form post in
/// both worlds (the page reloads with the notice).
#[component]
fn BulkForm(back: String) -> impl IntoView {
    let t = use_texts();
    view! {
        <form id="queue-bulk" method="post" action="/api/approve_comments" class="queue-bulk">
            <fieldset>
                <legend>{t.mq_bulk_legend}</legend>
                <input type="hidden" name="back" value=back/>
                <button type="submit" formaction="/api/approve_comments">{t.mq_bulk_approve}</button>
                <div class="field">
                    <label for="queue-bulk-reason">{t.mq_reason_label}</label>
                    <select id="queue-bulk-reason" name="reason">
                        <option value="">{t.mq_reason_choose}</option>
                        {Reason::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{reason_label(r, t)}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" formaction="/api/hide_comments">{t.mq_bulk_hide}</button>
            </fieldset>
        </form>
    }
}

#[component]
fn Item(item: QueueItem, index: usize, ctx: QueueCtx, kept: Option<Kept>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let id = item.id;
    let gone = RwSignal::new(false);
    let approve = ServerAction::<ApproveComments>::new();
    let hide = ServerAction::<HideComments>::new();
    let redact = ServerAction::<RedactComment>::new();
    let block = ServerAction::<BlockAuthor>::new();
    let leave = move |text: String| {
        ctx.announce.set(text);
        focus_next(id);
        gone.set(true);
        ctx.remaining.update(|n| *n = (*n - 1).max(0));
    };
    Effect::new(move |_| {
        if let Some(Ok(n)) = approve.value().get() {
            leave((t.mq_done_approved)(n));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(n)) = hide.value().get() {
            leave((t.mq_done_hidden)(n));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = redact.value().get() {
            leave(t.mq_done_redacted.to_string());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = block.value().get() {
            ctx.announce.set(t.mq_done_blocked.to_string());
        }
    });
    let error = move || {
        let e = approve
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| hide.value().get().and_then(|r| r.err()))
            .or_else(|| redact.value().get().and_then(|r| r.err()))
            .or_else(|| block.value().get().and_then(|r| r.err()));
        e.map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    };
    let kept_error = kept
        .as_ref()
        .map(|k| view! { <p class="form-error" role="alert">{k.error.message(lang)}</p> });
    // A refused form opens again with what was entered.
    let kept_in = |form: DecisionForm| kept.clone().filter(|k| k.form == form);
    let (kept_hide, kept_block) = (kept_in(DecisionForm::Hide), kept_in(DecisionForm::Block));
    let redact_open = kept_in(DecisionForm::Redact).is_some();
    let redact_text = kept_in(DecisionForm::Redact)
        .map(|k| k.text)
        .unwrap_or_else(|| item.body.clone());
    let hide_open = kept_hide.is_some();
    let block_open = kept_block.is_some();
    let hide_note = kept_hide
        .as_ref()
        .map(|k| k.text.clone())
        .unwrap_or_default();
    let block_note = kept_block
        .as_ref()
        .map(|k| k.text.clone())
        .unwrap_or_default();
    let hide_reason = kept_hide.map(|k| k.reason).unwrap_or_default();
    let block_reason = kept_block.map(|k| k.reason).unwrap_or_default();
    let author = if item.author_name.is_empty() {
        t.anonymous.to_string()
    } else {
        item.author_name.clone()
    };
    let status = match item.status {
        ItemStatus::Pending => t.mq_status_pending,
        ItemStatus::HiddenByReports => t.mq_status_hidden,
        ItemStatus::PublishedReported => t.mq_status_reported,
    };
    let back = ctx.back.get_value();
    let heading = format!("item-{id}-heading");
    let reports = (!item.reports.is_empty()).then(|| {
        let n = item.reports.len();
        view! {
            <div class="queue-reports">
                <h4>{(t.mq_reports)(n)}</h4>
                <ul>
                    {item.reports.iter().map(|r| view! {
                        <li>{reason_label(r.reason, t)}
                            {(!r.note.is_empty()).then(|| format!(": {}", r.note))}</li>
                    }).collect_view()}
                </ul>
            </div>
        }
    });
    let earlier = (!item.earlier.is_empty()).then(|| view! {
        <div class="queue-earlier">
            <h4>{t.mq_earlier}</h4>
            <ul>
                {item.earlier.iter().map(|d| {
                    let action = crate::audit::Action::parse(&d.action)
                        .map(|a| a.label(t).to_string())
                        .unwrap_or_else(|| d.action.clone());
                    view! {
                        <li>
                            <time datetime=iso_date(d.created_at)>{format_date(lang, d.created_at)}</time>
                            ": " {action}
                            {(!d.reason.is_empty()).then(|| format!(" ({})", d.reason))}
                            {(!d.actor_name.is_empty()).then(|| format!(" – {}", d.actor_name))}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    });
    let parent = item.parent_html.clone().map(|html| {
        view! {
            <div class="queue-parent">
                <h4>{t.mq_in_reply_to}</h4>
                <blockquote class="comment-body" inner_html=html></blockquote>
                {item.parent_link.clone().map(|href| view! { <a href=href>{t.mq_open_thread}</a> })}
            </div>
        }
    });
    let reasons = move |chosen: &str| {
        Reason::ALL
            .into_iter()
            .map(|r| {
                let selected = r.as_str() == chosen;
                view! { <option value=r.as_str() selected=selected>{reason_label(r, t)}</option> }
            })
            .collect_view()
    };
    let block_form = item.has_author.then(|| {
        let back = back.clone();
        view! {
            <details class="queue-block" open=block_open>
                <summary>{t.mq_block}</summary>
                <ActionForm action=block attr:class="queue-form" attr:novalidate=true>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="back" value=back/>
                    <div class="field">
                        <label for=format!("item-{id}-days")>{t.mq_block_days}</label>
                        <select id=format!("item-{id}-days") name="days">
                            {BLOCK_DAYS.into_iter().map(|d| view! {
                                <option value=d.to_string() selected=d == 7>{(t.mq_days)(d)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=format!("item-{id}-block-reason")>{t.mq_reason_label}</label>
                        <select id=format!("item-{id}-block-reason") name="reason" required=true>
                            <option value="">{t.mq_reason_choose}</option>
                            {reasons(&block_reason)}
                        </select>
                    </div>
                    <div class="field">
                        <label for=format!("item-{id}-block-note")>{t.mq_note_label}</label>
                        <textarea id=format!("item-{id}-block-note") name="note" maxlength=MAX_NOTE_CHARS rows="2" inner_html=escape_html(&block_note)></textarea>
                    </div>
                    <div class="choice">
                        <input type="checkbox" id=format!("item-{id}-also-hide") name="also_hide" value="on"/>
                        <label for=format!("item-{id}-also-hide")>{t.mq_block_also_hide}</label>
                    </div>
                    <button type="submit" disabled=move || block.pending().get()>{t.mq_block_submit}</button>
                </ActionForm>
            </details>
        }
    });
    let (back_approve, back_hide, back_redact) = (back.clone(), back.clone(), back);
    view! {
        <li id=format!("item-{id}") hidden=move || gone.get()>
            <article class="queue-item" aria-labelledby=heading.clone() data-item=id.to_string()
                tabindex=if index == 0 { "0" } else { "-1" }>
                <h3 id=heading.clone()>
                    <input type="checkbox" class="queue-select" form="queue-bulk"
                        name=format!("ids[{index}]") value=id.to_string()
                        id=format!("item-{id}-select") aria-label=(t.mq_select)(id)/>
                    " " {(t.mq_item_heading)(&author)}
                </h3>
                <p class="meta">
                    <a href=item.consultation_path.clone()>{item.consultation_title.clone()}</a>
                    " · " {item.organisation_name.clone()} " · "
                    <time datetime=iso_date(item.created_at)>{format_date(lang, item.created_at)}</time>
                    " · " <a href=item.permalink.clone()>"#" {id}</a>
                </p>
                <p class="queue-status"><strong>{t.mq_status_label} ": "</strong> {status}</p>
                {parent}
                <blockquote class="comment-body queue-body" inner_html=item.body_html.clone()></blockquote>
                {reports}
                {earlier}
                {kept_error}
                {error}
                <div class="queue-actions">
                    <ActionForm action=approve attr:class="queue-form queue-approve">
                        <input type="hidden" name="ids[0]" value=id.to_string()/>
                        <input type="hidden" name="back" value=back_approve/>
                        <button type="submit" class="approve-button" disabled=move || approve.pending().get()>
                            {t.mq_approve} <span class="visually-hidden">{format!(" #{id}")}</span>
                        </button>
                    </ActionForm>
                    <details class="queue-hide" open=hide_open>
                        <summary>{t.mq_hide}</summary>
                        <ActionForm action=hide attr:class="queue-form" attr:novalidate=true>
                            <input type="hidden" name="ids[0]" value=id.to_string()/>
                            <input type="hidden" name="back" value=back_hide/>
                            <div class="field">
                                <label for=format!("item-{id}-reason")>{t.mq_reason_label}</label>
                                <select id=format!("item-{id}-reason") name="reason" class="hide-reason" required=true>
                                    <option value="">{t.mq_reason_choose}</option>
                                    {reasons(&hide_reason)}
                                </select>
                            </div>
                            <div class="field">
                                <label for=format!("item-{id}-note")>{t.mq_note_label}</label>
                                <textarea id=format!("item-{id}-note") name="note" maxlength=MAX_NOTE_CHARS rows="2" inner_html=escape_html(&hide_note)></textarea>
                            </div>
                            <button type="submit" disabled=move || hide.pending().get()>{t.mq_hide_submit}</button>
                        </ActionForm>
                    </details>
                    <details class="queue-redact" open=redact_open>
                        <summary>{t.mq_redact}</summary>
                        <ActionForm action=redact attr:class="queue-form" attr:novalidate=true>
                            <input type="hidden" name="id" value=id.to_string()/>
                            <input type="hidden" name="back" value=back_redact/>
                            <div class="field">
                                <label for=format!("item-{id}-body")>{t.mq_redact_label}</label>
                                <textarea id=format!("item-{id}-body") name="body" maxlength=MAX_BODY_CHARS rows="5" inner_html=escape_html(&redact_text)></textarea>
                            </div>
                            <button type="submit" disabled=move || redact.pending().get()>{t.mq_redact_submit}</button>
                        </ActionForm>
                    </details>
                    {block_form}
                </div>
            </article>
        </li>
    }
    .into_any()
}

#[component]
fn AlertsForm(mode: AlertMode, back: String) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SetModerationAlerts>::new();
    let saved = move || {
        matches!(action.value().get(), Some(Ok(()))).then(|| {
            view! {
                <p class="notice notice-success">{t.mq_alerts_saved}</p>
            }
        })
    };
    view! {
        <section id="alerts" class="queue-alerts" aria-labelledby="alerts-heading">
            <h2 id="alerts-heading">{t.mq_alerts_legend}</h2>
            <div role="status">{saved}</div>
            <ActionForm action attr:class="queue-form">
                <input type="hidden" name="back" value=back/>
                <fieldset>
                    <legend class="visually-hidden">{t.mq_alerts_legend}</legend>
                    {AlertMode::ALL.into_iter().map(|m| {
                        let input_id = format!("alerts-{}", m.as_str());
                        view! {
                            <div class="choice">
                                <input type="radio" id=input_id.clone() name="mode" value=m.as_str() checked=m == mode/>
                                <label for=input_id>{m.label(t)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" disabled=move || action.pending().get()>{t.mq_alerts_submit}</button>
            </ActionForm>
        </section>
    }
}

/// Keeps the help's signal in step when it is opened or closed by hand.
fn toggled(ev: leptos::ev::Event, help_open: RwSignal<bool>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(d) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            help_open.set(d.has_attribute("open"));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, help_open);
}

/// Moves the focus from item `id` to the next item still in the list (else the previous one).
fn focus_next(id: i64) {
    #[cfg(feature = "hydrate")]
    {
        let doc = web_sys::window().and_then(|w| w.document());
        let Some(li) = doc.and_then(|d| d.get_element_by_id(&format!("item-{id}"))) else {
            return;
        };
        let target = sibling_item(&li, true).or_else(|| sibling_item(&li, false));
        match target {
            Some(next) => focus_item(&next),
            // The page is done: the focus goes to the count ("0 items in the queue").
            None => {
                use wasm_bindgen::JsCast;
                if let Some(h) = li
                    .owner_document()
                    .and_then(|d| d.get_element_by_id("queue-count"))
                    .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = h.focus();
                }
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// The next (or previous) visible `<li>` of the list.
#[cfg(feature = "hydrate")]
fn sibling_item(li: &web_sys::Element, forward: bool) -> Option<web_sys::Element> {
    let mut cur = if forward {
        li.next_element_sibling()
    } else {
        li.previous_element_sibling()
    };
    while let Some(el) = cur {
        if !el.has_attribute("hidden") {
            return Some(el);
        }
        cur = if forward {
            el.next_element_sibling()
        } else {
            el.previous_element_sibling()
        };
    }
    None
}

/// Focuses the article in `li` and makes it the one the Tab key reaches (roving tabindex).
#[cfg(feature = "hydrate")]
fn focus_item(li: &web_sys::Element) {
    use wasm_bindgen::JsCast;
    if let Some(list) = li.parent_element() {
        if let Ok(Some(old)) = list.query_selector("article[tabindex=\"0\"]") {
            let _ = old.set_attribute("tabindex", "-1");
        }
    }
    if let Some(article) = li
        .first_element_child()
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = article.set_attribute("tabindex", "0");
        let _ = article.focus();
    }
}

/// The keyboard shortcuts of the queue (never while typing in a field).
fn shortcuts(ev: leptos::ev::KeyboardEvent, help_open: RwSignal<bool>, ctx: QueueCtx) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if ev.ctrl_key() || ev.alt_key() || ev.meta_key() {
            return;
        }
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let tag = target.tag_name().to_ascii_lowercase();
        if matches!(tag.as_str(), "input" | "textarea" | "select")
            || target.has_attribute("contenteditable")
        {
            return;
        }
        let key = ev.key();
        if key == "?" {
            ev.prevent_default();
            help_open.update(|o| *o = !*o);
            return;
        }
        let doc = web_sys::window().and_then(|w| w.document());
        let Some(doc) = doc else { return };
        let current = target
            .closest("li[id^=\"item-\"]")
            .ok()
            .flatten()
            .filter(|li| !li.has_attribute("hidden"));
        let first = || {
            doc.query_selector("ol.queue-items > li:not([hidden])")
                .ok()
                .flatten()
        };
        match key.as_str() {
            "j" | "ArrowDown" => {
                let next = match &current {
                    Some(li) => sibling_item(li, true),
                    None => first(),
                };
                if let Some(next) = next {
                    ev.prevent_default();
                    focus_item(&next);
                }
            }
            "k" | "ArrowUp" => {
                if let Some(prev) = current.as_ref().and_then(|li| sibling_item(li, false)) {
                    ev.prevent_default();
                    focus_item(&prev);
                }
            }
            "a" | "h" | "x" => {
                let Some(li) = current else { return };
                ev.prevent_default();
                let selector = match key.as_str() {
                    "a" => "button.approve-button",
                    "h" => "details.queue-hide",
                    _ => "input.queue-select",
                };
                let Ok(Some(el)) = li.query_selector(selector) else {
                    return;
                };
                if key == "h" {
                    let _ = el.set_attribute("open", "");
                    if let Ok(Some(select)) = el.query_selector("select") {
                        if let Ok(select) = select.dyn_into::<web_sys::HtmlElement>() {
                            let _ = select.focus();
                        }
                    }
                } else if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    el.click();
                }
            }
            _ => {}
        }
        let _ = ctx;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, help_open, ctx);
}
