//! The discussion of a consultation: a live region for outcomes, the comment form, the order and
//! paging links, and the threads — each comment with its support, reply, edit and delete forms.
//! A comment's own page (`/{org}/{slug}/comments/{id}`) shows its thread the same way.
//!
//! Everything works with and without JavaScript: the forms are real forms that post to the
//! server functions. With JavaScript, what changes is updated in place (fine-grained, so that
//! the button one just pressed keeps the keyboard focus).

use leptos::form::ActionForm;
use leptos::html;
use leptos::prelude::*;

use super::api::{get_comment_thread, DeleteComment, EditComment, PostComment, VoteComment};
use super::{
    permalink, subtree, thread, Comment, CommentDraft, Done, FormFlash, Paging, PostOutcome, Sort,
    ThreadNode, Visibility, MAX_BODY_CHARS, MAX_DEPTH,
};
use crate::consultation::ConsultationPage;
use crate::error::{AppError, Field};
use crate::i18n::{format_date, format_time, iso_date, use_lang, use_texts};
use crate::moderation::appeal::AppealDraft;
use crate::moderation::r_views::{AuthorStatus, FormTarget, ReportForm};
use crate::moderation::report::ReportDraft;
use crate::ui::{submission_error, ErrorView, FormField, Loading};

/// What the discussion shares with all its forms.
#[derive(Clone)]
struct Ctx {
    org: String,
    slug: String,
    /// The consultation's address.
    path: String,
    /// This page's address: where no-JavaScript forms come back to.
    here: String,
    /// What links into the consultation's text start with: nothing on its own page, its address
    /// on a comment's page.
    text_base: String,
    /// The comments shown, flat (threads are built from them); grows when one posts.
    structure: RwSignal<Vec<Comment>>,
    /// How many comments the consultation has (shown in the heading).
    total: RwSignal<i64>,
    notice: RwSignal<Option<FormFlash>>,
    draft: Option<CommentDraft>,
    /// What a refused no-JavaScript report or appeal kept.
    report_draft: Option<ReportDraft>,
    appeal_draft: Option<AppealDraft>,
    viewer_name: String,
    /// The text's current sections (a comment may be about one), and the one asked for.
    sections: Vec<(String, String)>,
    chosen_section: String,
    /// The consultation's area as GeoJSON: a comment may be pinned inside it.
    area: Option<String>,
    writing: bool,
    downvotes: bool,
}

impl Ctx {
    /// A comment's data changed in place (vote, edit, deletion): the list keeps it for the next
    /// time it is drawn, without drawing it now.
    fn remember(&self, comment: &Comment) {
        let comment = comment.clone();
        self.structure.update_untracked(|list| {
            if let Some(c) = list.iter_mut().find(|c| c.id == comment.id) {
                *c = comment;
            }
        });
    }
}

/// A no-JavaScript post's flash: the kept draft (of a comment, a report or an appeal), or the
/// outcome to announce.
type Split = (
    Option<FormFlash>,
    Option<CommentDraft>,
    Option<ReportDraft>,
    Option<AppealDraft>,
);

fn split_flash(flash: Option<FormFlash>) -> Split {
    match flash {
        Some(FormFlash::Rejected(draft)) => (None, Some(draft), None, None),
        Some(FormFlash::ReportRejected(draft)) => (None, None, Some(draft), None),
        Some(FormFlash::AppealRejected(draft)) => (None, None, None, Some(draft)),
        other => (other, None, None, None),
    }
}

impl Ctx {
    fn target(&self) -> FormTarget {
        FormTarget {
            org: self.org.clone(),
            slug: self.slug.clone(),
            here: self.here.clone(),
        }
    }
}

#[component]
pub fn CommentSection(page: ConsultationPage) -> impl IntoView {
    let t = use_texts();
    let (initial_notice, draft, report_draft, appeal_draft) = split_flash(page.flash);
    let path = page.card.path();
    let paging = page.paging;
    let ctx = Ctx {
        org: page.card.org_slug.clone(),
        slug: page.card.slug.clone(),
        here: Paging::address(&path, paging.sort, paging.page),
        text_base: String::new(),
        path: path.clone(),
        structure: RwSignal::new(page.comments),
        total: RwSignal::new(paging.total),
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
        report_draft,
        appeal_draft,
        viewer_name: page.viewer_name.clone().unwrap_or_default(),
        sections: page
            .sections
            .iter()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect(),
        area: page.place.area.as_ref().map(|a| a.to_geojson()),
        writing: page.accepting && page.standing.may_participate,
        downvotes: page.downvotes,
    };
    let accepting = page.accepting;
    let total = ctx.total;
    let main_form = if ctx.writing {
        let ctx = ctx.clone();
        view! {
            <section class="write" aria-labelledby="write-heading">
                <h3 id="write-heading">{t.write_comment}</h3>
                <CommentForm ctx parent=None/>
                <p class="hint"><a href="/account#notifications">{t.notifications_hint_link}</a></p>
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
                path=path.clone() standing=page.standing.clone() kept=page.gate_flash.clone()/>
        }
        .into_any()
    } else {
        ().into_any()
    };
    let sort_nav = (paging.total > 1).then(|| {
        view! {
            <nav class="comment-sort" aria-label=t.sort_label>
                <span aria-hidden="true">{t.sort_label} ": "</span>
                <ul>
                    {Sort::ALL.into_iter().map(|s| {
                        let current = s == paging.sort;
                        view! {
                            <li>
                                <a href=Paging::href(&path, s, 1) aria-current=current.then_some("true")>{s.label(t)}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        }
    });
    let pager = (paging.pages > 1).then(|| {
        let prev = (paging.page > 1).then(|| Paging::href(&path, paging.sort, paging.page - 1));
        let next =
            (paging.page < paging.pages).then(|| Paging::href(&path, paging.sort, paging.page + 1));
        view! {
            <nav class="pager" aria-label=t.comment_pager_label>
                {prev.map(|href| view! { <a href=href rel="prev">{t.pager_prev}</a> })}
                " " <span>{(t.pager_position)(paging.page as i64, paging.pages as i64)}</span> " "
                {next.map(|href| view! { <a href=href rel="next">{t.pager_next}</a> })}
            </nav>
        }
    });
    let list_ctx = ctx.clone();
    view! {
        <section class="comments-section" aria-labelledby="comments-heading">
            <h2 id="comments-heading" tabindex="-1">
                {t.comments_heading} " " <span class="count">"(" {move || total.get()} ")"</span>
            </h2>
            <Notices ctx=ctx.clone()/>
            {(!accepting).then(|| view! { <p class="notice">{t.participation_closed}</p> })}
            {main_form}
            {sort_nav}
            {move || {
                let nodes = thread(&list_ctx.structure.read());
                if nodes.is_empty() {
                    view! { <p>{t.no_comments}</p> }.into_any()
                } else {
                    render_nodes(nodes, &list_ctx, 0)
                }
            }}
            {pager}
        </section>
    }
}

/// `/{org}/{slug}/comments/{id}`: one comment with everything said in reply, its place in the
/// discussion, and the forms to take part.
#[component]
pub fn CommentThreadPage() -> impl IntoView {
    let t = use_texts();
    let params = leptos_router::hooks::use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("org").unwrap_or_default(),
            p.get("slug").unwrap_or_default(),
            p.get("id").unwrap_or_default(),
        )
    };
    let page = Resource::new(key, |(org, slug, id)| get_comment_thread(org, slug, id));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let p = match page.await {
                    Ok(p) => p,
                    Err(err) => return view! { <ErrorView error=err/> }.into_any(),
                };
                let card = p.context.card.clone();
                let path = card.path();
                let (initial_notice, draft, report_draft, appeal_draft) =
                    split_flash(p.context.flash.clone());
                let author = p
                    .comments
                    .iter()
                    .find(|c| c.id == p.focus)
                    .and_then(|c| c.author_name.clone())
                    .unwrap_or_else(|| t.anonymous.to_string());
                let ctx = Ctx {
                    org: card.org_slug.clone(),
                    slug: card.slug.clone(),
                    here: permalink(&path, p.focus),
                    text_base: path.clone(),
                    path: path.clone(),
                    structure: RwSignal::new(p.comments.clone()),
                    total: RwSignal::new(0),
                    notice: RwSignal::new(initial_notice),
                    draft,
                    report_draft,
                    appeal_draft,
                    viewer_name: p.context.viewer_name.clone().unwrap_or_default(),
                    sections: p.context.sections.clone(),
                    chosen_section: String::new(),
                    area: None,
                    writing: p.context.writing,
                    downvotes: p.context.downvotes,
                };
                let focus = p.focus;
                let list_ctx = ctx.clone();
                let title = format!("{} – {}", (t.comment_page_title)(&author), card.title);
                view! {
                    <crate::ui::PageMeta title=title description=card.summary.clone()/>
                    <p class="meta"><a href=format!("{path}#comments-heading")>{t.back_to_consultation} ": " {card.title.clone()}</a></p>
                    <h1>{(t.comment_page_title)(&author)}</h1>
                    {p.parent.map(|parent| view! {
                        <p><a href=permalink(&path, parent)>{t.comment_parent_link}</a></p>
                    })}
                    {(!p.context.accepting).then(|| view! { <p class="notice">{t.participation_closed}</p> })}
                    <section class="comments-section" aria-label=t.comments_heading>
                        <Notices ctx=ctx.clone()/>
                        {move || match subtree(&list_ctx.structure.read(), focus) {
                            Some(node) => render_nodes(vec![node], &list_ctx, 0),
                            None => view! { <p>{t.comment_gone}</p> }.into_any(),
                        }}
                    </section>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// The live region for what happened: always present, so that assistive technology announces
/// what appears in it.
#[component]
fn Notices(ctx: Ctx) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let notice = ctx.notice;
    view! {
        <div class="flash" id="comments-flash" role="status">
            {move || notice.get().map(|n| match n {
                FormFlash::Posted(PostOutcome::Published(_)) => view! { <p class="notice notice-success">{t.comment_published}</p> }.into_any(),
                FormFlash::Posted(PostOutcome::Pending) => view! { <p class="notice notice-success">{t.comment_pending}</p> }.into_any(),
                FormFlash::Done(Done::Edited(_)) => view! { <p class="notice notice-success">{t.comment_edited_notice}</p> }.into_any(),
                FormFlash::Done(Done::Deleted(_)) => view! { <p class="notice notice-success">{t.comment_deleted_notice}</p> }.into_any(),
                FormFlash::Refused(error) => view! { <p class="form-error">{error.message(lang)}</p> }.into_any(),
                FormFlash::Reported(_) => view! { <p class="notice notice-success">{t.mr_report_thanks}</p> }.into_any(),
                FormFlash::Appealed(_) => view! { <p class="notice notice-success">{t.mr_appeal_sent}</p> }.into_any(),
                FormFlash::Rejected(_) | FormFlash::ReportRejected(_) | FormFlash::AppealRejected(_) => ().into_any(),
            })}
        </div>
    }
}

fn render_nodes(nodes: Vec<ThreadNode>, ctx: &Ctx, depth: usize) -> AnyView {
    let class = if depth == 0 {
        "comments"
    } else {
        "comments replies"
    };
    view! {
        <ol class=class>
            {nodes.into_iter().map(|node| render_comment(node, ctx, depth)).collect_view()}
        </ol>
    }
    .into_any()
}

fn render_comment(node: ThreadNode, ctx: &Ctx, depth: usize) -> AnyView {
    let t = use_texts();
    let lang = use_lang();
    let hidden_replies = node.descendants();
    let ThreadNode { comment, replies } = node;
    let id = comment.id;
    let link = permalink(&ctx.path, id);
    let published = comment.visibility.is_published();
    let removed = comment.visibility == Visibility::Removed;
    let author = if removed {
        t.mr_hidden_author.to_string()
    } else if comment.author_deleted {
        t.deleted_account.to_string()
    } else {
        comment
            .author_name
            .clone()
            .unwrap_or_else(|| t.anonymous.to_string())
    };
    let state = RwSignal::new(comment.clone());
    let deleted = move || state.read().deleted;
    let edited = move || state.read().edited;
    let author_label = {
        let author = author.clone();
        move || {
            if state.read().deleted {
                t.comment_deleted_author.to_string()
            } else {
                author.clone()
            }
        }
    };
    let section = comment.section.clone().map(|(anchor, title)| {
        let current = ctx.sections.iter().any(|(id, _)| *id == anchor);
        let path = ctx.text_base.clone();
        view! {
            <span class="comment-section">
                " · " {t.comment_on_section} " "
                {if current {
                    view! { <a href=format!("{path}#{anchor}")>{title}</a> }.into_any()
                } else {
                    view! { {title} " " {t.section_gone} }.into_any()
                }}
            </span>
        }
    });
    let pin = comment.pin.map(|p| {
        view! {
            <Show when=move || !state.read().deleted>
                <p class="pin-note"><span class="pin-dot" aria-hidden="true"></span>{(t.pin_note)(&p.text())}</p>
            </Show>
        }
    });
    let body = move || {
        let c = state.read();
        if c.deleted {
            view! { <p class="comment-deleted">{t.comment_deleted_placeholder}</p> }.into_any()
        } else if c.visibility == Visibility::Removed {
            view! { <p class="comment-deleted">{t.mr_hidden_placeholder}</p> }.into_any()
        } else {
            view! { <div class="comment-body" inner_html=c.body_html.clone()></div> }.into_any()
        }
    };
    let actions = {
        let ctx = ctx.clone();
        let author = author.clone();
        view! {
            <Show when=move || !deleted() && !removed>
                <div class="comment-actions">
                    {published.then(|| view! { <VoteForm ctx=ctx.clone() state author=author.clone()/> })}
                    {(ctx.writing && published).then(|| {
                        let open = ctx.draft.as_ref().is_some_and(|d| d.parent_id == Some(id) && d.edit_id.is_none());
                        let ctx = ctx.clone();
                        view! {
                            <details class="reply" id=format!("reply-form-{id}") open=open>
                                <summary>{t.reply} <span class="visually-hidden">{format!(": {}", (t.reply_to)(&author))}</span></summary>
                                <CommentForm ctx parent=Some(id)/>
                            </details>
                        }
                    })}
                    {(ctx.writing && comment.editable_until.is_some()).then(|| view! { <EditForm ctx=ctx.clone() state/> })}
                    {comment.mine.then(|| view! { <DeleteForm ctx=ctx.clone() state/> })}
                    {(ctx.writing && published && !comment.mine).then(|| view! {
                        <ReportForm target=ctx.target() state author=author.clone() draft=ctx.report_draft.clone()/>
                    })}
                </div>
            </Show>
        }
        .into_any()
    };
    let replies = if replies.is_empty() {
        ().into_any()
    } else if depth + 1 < MAX_DEPTH {
        render_nodes(replies, ctx, depth + 1)
    } else {
        // Deeper replies continue on the comment's own page, which starts indenting afresh.
        view! {
            <p class="continue-thread">
                <a href=link.clone()>{(t.continue_thread)(hidden_replies)}</a>
            </p>
        }
        .into_any()
    };
    let header = view! {
        <header class="comment-meta">
            <span class="author" id=format!("comment-{id}-author")>{author_label}</span>
            " " {t.posted_on} " "
            <a class="permalink" href=link.clone() title=t.permalink_title>
                <time datetime=iso_date(comment.created_at)>{format_date(lang, comment.created_at)}</time>
            </a>
            {move || (edited() && !deleted()).then(|| view! { " " <span class="edited">{t.comment_edited_marker}</span> })}
            {section}
        </header>
    }
    .into_any();
    view! {
        <li id=format!("comment-{id}")>
            <article class="comment" tabindex="-1" aria-labelledby=format!("comment-{id}-author")>
                {header}
                {(comment.mine && !published).then(|| view! {
                    <AuthorStatus target=ctx.target() comment=comment.clone() draft=ctx.appeal_draft.clone()/>
                })}
                {body}
                {pin}
                {comment.answer.clone().map(|answer| view! { <crate::answer::views::OfficialAnswerBox answer/> })}
            </article>
            {actions}
            {replies}
        </li>
    }
    .into_any()
}

/// Support (and, where the consultation allows it, objection) for a comment: a toggle button
/// per direction. Who may not vote, or wrote the comment, sees the counts.
#[component]
fn VoteForm(ctx: Ctx, state: RwSignal<Comment>, author: String) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let up = move || state.read().votes.up;
    let down = move || state.read().votes.down;
    let counts = {
        let downvotes = ctx.downvotes;
        move || {
            view! {
                <span class="vote-count">{(t.support_count)(up())}</span>
                {downvotes.then(|| view! { " · " <span class="vote-count">{(t.objection_count)(down())}</span> })}
            }
        }
    };
    if !ctx.writing || state.read_untracked().mine {
        return view! { <p class="votes">{counts}</p> }.into_any();
    }
    let action = ServerAction::<VoteComment>::new();
    let error = submission_error(action.value(), None);
    Effect::new(move |_| {
        if let Some(Ok(votes)) = action.value().get() {
            state.update(|c| c.votes = votes);
        }
    });
    let remember = ctx.clone();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            remember.remember(&state.get_untracked());
        }
    });
    let mine = move || state.read().votes.mine;
    let id = state.read_untracked().id;
    view! {
        <ActionForm action attr:class="vote-form">
            <input type="hidden" name="org" value=ctx.org.clone()/>
            <input type="hidden" name="slug" value=ctx.slug.clone()/>
            <input type="hidden" name="comment_id" value=id.to_string()/>
            <input type="hidden" name="return_to" value=ctx.here.clone()/>
            <button type="submit" class="vote vote-up" name="vote"
                value=move || if mine() == 1 { "none" } else { "up" }
                aria-pressed=move || if mine() == 1 { "true" } else { "false" }>
                <span aria-hidden="true">"▲ "</span>{t.support}
                <span class="visually-hidden">{format!(" ({})", (t.comment_by)(&author))}</span>
            </button>
            {ctx.downvotes.then(|| {
                let author = author.clone();
                view! {
                    <button type="submit" class="vote vote-down" name="vote"
                        value=move || if mine() == -1 { "none" } else { "down" }
                        aria-pressed=move || if mine() == -1 { "true" } else { "false" }>
                        <span aria-hidden="true">"▼ "</span>{t.objection}
                        <span class="visually-hidden">{format!(" ({})", (t.comment_by)(&author))}</span>
                    </button>
                }
            })}
            " " {counts}
            {move || error.get().map(|e: AppError| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })}
        </ActionForm>
    }
    .into_any()
}

/// The author's correction of their text, within 15 minutes of writing it.
#[component]
fn EditForm(ctx: Ctx, state: RwSignal<Comment>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let comment = state.get_untracked();
    let id = comment.id;
    let action = ServerAction::<EditComment>::new();
    let details = NodeRef::<html::Details>::new();
    let draft = ctx.draft.clone().filter(|d| d.edit_id == Some(id));
    let error = submission_error(action.value(), draft.as_ref().map(|d| d.error.clone()));
    let body_error = Signal::derive(move || {
        error
            .get()
            .filter(|e| e.field() == Some(Field::Body))
            .map(|e| e.message(lang))
    });
    let form_error = move || {
        error
            .get()
            .filter(|e| e.field() != Some(Field::Body))
            .map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    };
    let notice = ctx.notice;
    let remember = ctx.clone();
    Effect::new(move |_| {
        if let Some(Ok(updated)) = action.value().get() {
            if updated.id == id {
                remember.remember(&updated);
                state.set(updated);
            }
            notice.set(Some(FormFlash::Done(Done::Edited(id))));
            if let Some(d) = details.get_untracked() {
                d.set_open(false);
            }
        }
    });
    let until = comment.editable_until.unwrap_or(comment.created_at);
    let value = draft.map(|d| d.body).unwrap_or(comment.body);
    view! {
        <details class="edit" id=format!("edit-form-{id}") node_ref=details open=error.get_untracked().is_some()>
            <summary>{t.edit_comment}</summary>
            <ActionForm action attr:class="comment-form" attr:novalidate=true>
                <input type="hidden" name="org" value=ctx.org.clone()/>
                <input type="hidden" name="slug" value=ctx.slug.clone()/>
                <input type="hidden" name="comment_id" value=id.to_string()/>
                <input type="hidden" name="return_to" value=ctx.here.clone()/>
                {form_error}
                <FormField id=format!("edit-{id}-body") name="body" label=t.comment_body_label multiline=true
                    hint=(t.edit_until_hint)(&format_time(lang, until)) value counter=MAX_BODY_CHARS error=body_error/>
                <button type="submit" disabled=move || action.pending().get()>{t.save_edit}</button>
            </ActionForm>
        </details>
    }
}

/// Deleting one's own comment, after a confirmation (a second button, so it works without
/// JavaScript too).
#[component]
fn DeleteForm(ctx: Ctx, state: RwSignal<Comment>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let id = state.get_untracked().id;
    let action = ServerAction::<DeleteComment>::new();
    let error = submission_error(action.value(), None);
    let notice = ctx.notice;
    let total = ctx.total;
    let remember = ctx.clone();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            state.update(|c| {
                c.deleted = true;
                c.body_html.clear();
                c.body.clear();
                c.pin = None;
                c.editable_until = None;
            });
            remember.remember(&state.get_untracked());
            total.update(|n| *n = (*n - 1).max(0));
            notice.set(Some(FormFlash::Done(Done::Deleted(id))));
        }
    });
    view! {
        <details class="delete" id=format!("delete-form-{id}")>
            <summary>{t.delete_comment}</summary>
            <ActionForm action attr:class="delete-form">
                <input type="hidden" name="org" value=ctx.org.clone()/>
                <input type="hidden" name="slug" value=ctx.slug.clone()/>
                <input type="hidden" name="comment_id" value=id.to_string()/>
                <input type="hidden" name="return_to" value=ctx.here.clone()/>
                <p>{t.delete_comment_confirm}</p>
                {move || error.get().map(|e: AppError| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })}
                <button type="submit" class="danger" disabled=move || action.pending().get()>{t.delete_comment_submit}</button>
            </ActionForm>
        </details>
    }
}

/// A form that posts a comment (`parent: None`) or a reply.
#[component]
fn CommentForm(ctx: Ctx, parent: Option<i64>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let action = ServerAction::<PostComment>::new();
    let form_ref = NodeRef::<html::Form>::new();
    let form_id = match parent {
        Some(id) => format!("reply-{id}"),
        None => "comment".to_string(),
    };
    // What a failed no-JavaScript post left for this very form.
    let draft = ctx
        .draft
        .clone()
        .filter(|d| d.parent_id == parent && d.edit_id.is_none());
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

    let structure = ctx.structure;
    let notice = ctx.notice;
    let total = ctx.total;
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = action.value().get() {
            if let PostOutcome::Published(comment) = &outcome {
                let comment = (**comment).clone();
                let new_id = comment.id;
                structure.update(|list| {
                    if !list.iter().any(|c| c.id == comment.id) {
                        // A new thread goes first (it is the newest); a reply joins its thread.
                        if comment.parent_id.is_none() {
                            list.insert(0, comment)
                        } else {
                            list.push(comment)
                        }
                    }
                });
                total.update(|n| *n += 1);
                // Keyboard and screen reader users continue at what they just wrote.
                request_animation_frame(move || focus_element(&format!("comment-{new_id}")));
            }
            notice.set(Some(FormFlash::Posted(outcome)));
            if let Some(form) = form_ref.get_untracked() {
                form.reset();
                // A reset fires no `input`: tell the text field (and its counter) it is empty.
                #[cfg(feature = "hydrate")]
                if let (Ok(Some(field)), Ok(event)) = (
                    form.query_selector("textarea"),
                    web_sys::Event::new("input"),
                ) {
                    let _ = field.dispatch_event(&event);
                }
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
            <input type="hidden" name="return_to" value=ctx.here.clone()/>
            {form_error}
            {(parent.is_none() && !ctx.sections.is_empty()).then(|| {
                let chosen = ctx.chosen_section.clone();
                view! {
                    <div class="field">
                        <label for="comment-section">{t.comment_about_label}</label>
                        <select id="comment-section" name="section">
                            <option value="" selected=chosen.is_empty()>{t.comment_about_whole}</option>
                            {ctx.sections.iter().map(|(id, title)| view! {
                                <option value=id.clone() selected=chosen == *id>{title.clone()}</option>
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
                hint=(t.comment_body_hint)(MAX_BODY_CHARS) value=body_value counter=MAX_BODY_CHARS
                error=field_error(Field::Body)/>
            // The comment appears under the account's name.
            <p class="hint">{(t.writing_as)(&ctx.viewer_name)}</p>
            <button type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() { t.sending } else { submit }}
            </button>
        </ActionForm>
    }
}

/// Moves the keyboard focus to the element with this id (which has `tabindex="-1"`).
fn focus_element(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|li| li.first_element_child())
            .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
