//! The comment section of a consultation page: a live region for outcomes, the comment form,
//! and the threaded list with a reply form under each comment. Works with and without
//! JavaScript: the forms are real forms that post to the server function.

use leptos::form::ActionForm;
use leptos::html;
use leptos::prelude::*;

use super::api::PostComment;
use super::{thread, Comment, CommentDraft, FormFlash, PostOutcome, ThreadNode, MAX_BODY_CHARS};
use crate::consultation::ConsultationPage;
use crate::error::{AppError, Field};
use crate::i18n::{format_date, iso_date, use_lang, use_texts};
use crate::ui::{submission_error, FormField};

/// What the section shares with all its forms.
#[derive(Clone)]
struct SectionContext {
    org: String,
    slug: String,
    comments: RwSignal<Vec<Comment>>,
    notice: RwSignal<Option<PostOutcome>>,
    draft: Option<CommentDraft>,
    viewer_name: String,
    /// The text's sections (a comment may be about one) and the one asked for in the address.
    sections: Vec<crate::consultation::Section>,
    chosen_section: String,
    /// The consultation's area as GeoJSON: a comment may be pinned inside it.
    area: Option<String>,
}

#[component]
pub fn CommentSection(page: ConsultationPage) -> impl IntoView {
    let t = use_texts();
    let (initial_notice, draft) = match page.flash {
        Some(FormFlash::Posted(outcome)) => (Some(outcome), None),
        Some(FormFlash::Rejected(draft)) => (None, Some(draft)),
        None => (None, None),
    };
    let ctx = SectionContext {
        org: page.card.org_slug.clone(),
        slug: page.card.slug.clone(),
        comments: RwSignal::new(page.comments),
        notice: RwSignal::new(initial_notice),
        chosen_section: draft
            .as_ref()
            .map(|d| d.section.clone())
            .filter(|s| !s.is_empty())
            .or_else(|| {
                leptos_router::hooks::use_query_map()
                    .read_untracked()
                    .get("section")
            })
            .unwrap_or_default(),
        draft,
        viewer_name: page.viewer_name.clone().unwrap_or_default(),
        sections: page.sections.clone(),
        area: page.place.area.as_ref().map(|a| a.to_geojson()),
    };
    let accepting = page.accepting;
    // Forms only for those who meet the participation rule; everyone else sees how to get there.
    let writing = accepting && page.standing.may_participate;
    let count = move || (t.comment_count)(ctx.comments.read().len());
    let notice = ctx.notice;
    let list_ctx = ctx.clone();
    let main_form = if writing {
        let ctx = ctx.clone();
        view! {
            <section class="write" aria-labelledby="write-heading">
                <h3 id="write-heading">{t.write_comment}</h3>
                <CommentForm ctx parent=None/>
            </section>
        }
        .into_any()
    } else if accepting {
        // A post that the rule refused (without JavaScript): say why, and keep the text.
        let refused = ctx.draft.clone().map(|d| {
            let lang = use_lang();
            view! {
                <p class="form-error" role="alert">{d.error.message(lang)}</p>
                {(!d.body.is_empty()).then(|| view! {
                    <div class="field">
                        <label for="kept-comment">{t.kept_text_label}</label>
                        <textarea id="kept-comment" readonly rows="4" inner_html=crate::ui::escape_html(&d.body)></textarea>
                    </div>
                })}
            }
        });
        view! {
            {refused}
            <crate::participation::views::Gate
                org=page.card.org_slug.clone() slug=page.card.slug.clone()
                path=page.card.path() standing=page.standing.clone() kept=page.gate_flash.clone()/>
        }
        .into_any()
    } else {
        ().into_any()
    };
    view! {
        <section class="comments-section" aria-labelledby="comments-heading">
            <h2 id="comments-heading">{t.comments_heading} " " <span class="count">"(" {count} ")"</span></h2>
            // Always present, so assistive technology announces what appears in it.
            <div class="flash" role="status">
                {move || notice.get().map(|n| {
                    let text = match n {
                        PostOutcome::Published(_) => t.comment_published,
                        PostOutcome::Pending => t.comment_pending,
                    };
                    view! { <p class="notice notice-success">{text}</p> }
                })}
            </div>
            {(!accepting).then(|| view! { <p class="notice">{t.participation_closed}</p> })}
            {main_form}
            {move || {
                let nodes = thread(&list_ctx.comments.read());
                if nodes.is_empty() {
                    view! { <p>{t.no_comments}</p> }.into_any()
                } else {
                    render_thread(&nodes, &list_ctx, writing, 0)
                }
            }}
        </section>
    }
}

fn render_thread(
    nodes: &[ThreadNode],
    ctx: &SectionContext,
    accepting: bool,
    depth: usize,
) -> AnyView {
    let class = if depth == 0 {
        "comments"
    } else {
        "comments replies"
    };
    view! {
        <ol class=class>
            {nodes.iter().map(|node| render_comment(node, ctx, accepting, depth)).collect_view()}
        </ol>
    }
    .into_any()
}

fn render_comment(
    node: &ThreadNode,
    ctx: &SectionContext,
    accepting: bool,
    depth: usize,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let c = &node.comment;
    let author = if c.author_deleted {
        t.deleted_account.to_string()
    } else {
        c.author_name
            .clone()
            .unwrap_or_else(|| t.anonymous.to_string())
    };
    let id = c.id;
    let reply = accepting.then(|| {
        let open = ctx.draft.as_ref().is_some_and(|d| d.parent_id == Some(id));
        let ctx = ctx.clone();
        view! {
            <details class="reply" id=format!("reply-form-{id}") open=open>
                <summary>{t.reply} <span class="visually-hidden">{format!(": {}", (t.reply_to)(&author))}</span></summary>
                <CommentForm ctx parent=Some(id)/>
            </details>
        }
    });
    let replies =
        (!node.replies.is_empty()).then(|| render_thread(&node.replies, ctx, accepting, depth + 1));
    view! {
        <li id=format!("comment-{id}")>
            <article class="comment" aria-labelledby=format!("comment-{id}-author")>
                <header class="comment-meta">
                    <span class="author" id=format!("comment-{id}-author")>{author.clone()}</span>
                    " " {t.posted_on} " "
                    <time datetime=iso_date(c.created_at)>{format_date(lang, c.created_at)}</time>
                    {c.section.clone().map(|(anchor, title)| {
                        let current = ctx.sections.iter().any(|s| s.id == anchor);
                        view! {
                            <span class="comment-section">
                                " · " {t.comment_on_section} " "
                                {if current {
                                    view! { <a href=format!("#{anchor}")>{title}</a> }.into_any()
                                } else {
                                    view! { {title} " " {t.section_gone} }.into_any()
                                }}
                            </span>
                        }
                    })}
                </header>
                <p class="comment-body">{c.body.clone()}</p>
                {c.pin.map(|p| view! {
                    <p class="pin-note"><span class="pin-dot" aria-hidden="true"></span>{(t.pin_note)(&p.text())}</p>
                })}
            </article>
            {reply}
            {replies}
        </li>
    }
}

/// A form that posts a comment (`parent: None`) or a reply.
#[component]
fn CommentForm(ctx: SectionContext, parent: Option<i64>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let action = ServerAction::<PostComment>::new();
    let form_ref = NodeRef::<html::Form>::new();
    let form_id = match parent {
        Some(id) => format!("reply-{id}"),
        None => "comment".to_string(),
    };
    // What a failed no-JavaScript post left for this very form.
    let draft = ctx.draft.clone().filter(|d| d.parent_id == parent);
    let initial_error = draft.as_ref().map(|d| d.error.clone());
    let error = submission_error(action.value(), initial_error);
    let field_error = move |field: Field| {
        Signal::derive(move || {
            error
                .get()
                .filter(|e| e.field() == Some(field))
                .map(|e| e.message(lang))
        })
    };
    // Errors that belong to no single field (closed consultation, vanished parent, server trouble).
    let form_error = move || {
        error
            .get()
            .filter(|e| !matches!(e.field(), Some(Field::Body | Field::Pin)))
            .map(|e: AppError| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    };

    let comments = ctx.comments;
    let notice = ctx.notice;
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = action.value().get() {
            if let PostOutcome::Published(comment) = &outcome {
                let comment = comment.clone();
                comments.update(|list| {
                    if !list.iter().any(|c| c.id == comment.id) {
                        list.push(comment)
                    }
                });
            }
            notice.set(Some(outcome));
            if let Some(form) = form_ref.get_untracked() {
                form.reset();
            }
        }
    });

    let (pin_lat, pin_lon) = draft
        .as_ref()
        .map(|d| (d.pin_lat.clone(), d.pin_lon.clone()))
        .unwrap_or_default();
    let body_value = draft.map(|d| d.body).unwrap_or_default();
    let submit = if parent.is_some() {
        t.reply_submit
    } else {
        t.comment_submit
    };
    let dom_id = if parent.is_some() {
        format!("{form_id}-form")
    } else {
        "comment-form".to_string()
    };
    view! {
        <ActionForm action node_ref=form_ref attr:id=dom_id attr:class="comment-form" attr:novalidate=true>
            <input type="hidden" name="org" value=ctx.org.clone()/>
            <input type="hidden" name="slug" value=ctx.slug.clone()/>
            <input type="hidden" name="parent_id" value=parent.map(|p| p.to_string()).unwrap_or_default()/>
            {form_error}
            {(parent.is_none() && !ctx.sections.is_empty()).then(|| {
                let chosen = ctx.chosen_section.clone();
                view! {
                    <div class="field">
                        <label for="comment-section">{t.comment_about_label}</label>
                        <select id="comment-section" name="section">
                            <option value="" selected=chosen.is_empty()>{t.comment_about_whole}</option>
                            {ctx.sections.iter().map(|s| view! {
                                <option value=s.id.clone() selected=chosen == s.id>{s.title.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                }
            })}
            // The place first (like the section: what the comment is about), so that the text is
            // followed by the button that sends it.
            {ctx.area.clone().filter(|_| parent.is_none()).map(|area| view! {
                <crate::ui::map::PinFields area lat=pin_lat lon=pin_lon error=field_error(Field::Pin)/>
            })}
            <FormField id=format!("{form_id}-body") name="body" label=t.comment_body_label multiline=true
                hint=(t.comment_body_hint)(MAX_BODY_CHARS) value=body_value error=field_error(Field::Body)/>
            // The comment appears under the account's name.
            <p class="hint">{(t.writing_as)(&ctx.viewer_name)}</p>
            <button type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() { t.sending } else { submit }}
            </button>
        </ActionForm>
    }
}
