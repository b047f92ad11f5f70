//! Home page (open consultations, search) and the public consultation page.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{get_consultation, list_consultations};
use super::{ConsultationCard, Moderation, Status};
use crate::comment::views::CommentSection;
use crate::i18n::{format_date, iso_date, use_lang, use_texts};
use crate::ui::{ErrorView, Loading};

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        super::Filter {
            q: get("q"),
            status: get("status"),
            topic: get("topic"),
            org: get("org"),
            page: get("page").parse().unwrap_or(1),
        }
    };
    let list = Resource::new(filter, list_consultations);
    view! {
        <crate::ui::PageMeta title=format!("{} – {}", t.site_name, t.site_tagline) description=t.home_intro.to_string()/>
        <h1>{t.home_title}</h1>
        <p class="lead">{t.home_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let f = filter();
                let listing = match list.await {
                    Ok(listing) => listing,
                    Err(err) => return view! { <ErrorView error=err/> }.into_any(),
                };
                let status = f.status_in_effect();
                let heading = if !f.q.is_empty() {
                    (t.search_results_for)(&f.q)
                } else if status == "open" && f.topic.is_empty() && f.org.is_empty() {
                    t.open_consultations.to_string()
                } else {
                    t.filtered_consultations.to_string()
                };
                let empty = if f.q.is_empty() { t.no_open_consultations } else { t.no_search_results };
                let prev = (listing.page > 1).then(|| f.query_for_page(listing.page - 1));
                let next = (listing.page < listing.pages).then(|| f.query_for_page(listing.page + 1));
                view! {
                    <form class="search filters" method="get" action="/" role="search">
                        <div class="field">
                            <label for="search-q">{t.search_label}</label>
                            <input id="search-q" name="q" type="search" value=f.q.clone()/>
                        </div>
                        <div class="filter-row">
                            <div class="field">
                                <label for="filter-status">{t.status_label}</label>
                                <select id="filter-status" name="status">
                                    {[("open", t.status_open), ("closed", t.status_closed), ("results", t.status_results), ("all", t.filter_all)]
                                        .into_iter()
                                        .map(|(v, label)| view! { <option value=v selected=status == v>{label}</option> })
                                        .collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="filter-topic">{t.topic_label}</label>
                                <select id="filter-topic" name="topic">
                                    <option value="" selected=f.topic.is_empty()>{t.filter_any}</option>
                                    {listing.topics.iter().map(|topic| view! {
                                        <option value=topic.clone() selected=f.topic == *topic>{topic.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="filter-org">{t.filter_org}</label>
                                <select id="filter-org" name="org">
                                    <option value="" selected=f.org.is_empty()>{t.filter_any}</option>
                                    {listing.organisations.iter().map(|(slug, name)| view! {
                                        <option value=slug.clone() selected=f.org == *slug>{name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        </div>
                        <button type="submit">{t.search_button}</button>
                    </form>
                    <h2>{heading}</h2>
                    <p class="meta" role="status">{(t.results_count)(listing.total)}</p>
                    <ConsultationList items=listing.items.clone() empty/>
                    {(listing.pages > 1).then(|| view! {
                        <nav class="pager" aria-label=t.pager_label>
                            {prev.map(|href| view! { <a href=href rel="prev">{t.pager_prev}</a> })}
                            " " <span>{(t.pager_position)(listing.page, listing.pages)}</span> " "
                            {next.map(|href| view! { <a href=href rel="next">{t.pager_next}</a> })}
                        </nav>
                    })}
                    <crate::ui::map::OverviewMap markers=listing.map.clone()/>
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn ConsultationList(items: Vec<ConsultationCard>, empty: &'static str) -> impl IntoView {
    if items.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <ul class="cards">
            {items.into_iter().map(|c| view! { <li><ConsultationCardView card=c/></li> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ConsultationCardView(card: ConsultationCard) -> impl IntoView {
    let t = use_texts();
    view! {
        <article class="card">
            <h3><a href=card.path()>{card.title.clone()}</a></h3>
            <p class="meta">
                <a href=format!("/{}", card.org_slug)>{card.org_name.clone()}</a>
                " · "
                <span class=format!("status status-{}", card.status.as_str())>{card.status.label(t)}</span>
                {(card.opens_at.is_some() || card.closes_at.is_some()).then(|| view! {
                    " · " <Period opens_at=card.opens_at closes_at=card.closes_at/>
                })}
            </p>
            <p>{card.summary.clone()}</p>
        </article>
    }
}

#[component]
pub fn Period(opens_at: Option<i64>, closes_at: Option<i64>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let date = move |ts: i64| view! { <time datetime=iso_date(ts)>{format_date(lang, ts)}</time> };
    match (opens_at, closes_at) {
        (Some(o), Some(c)) => view! { {date(o)} " " {t.until} " " {date(c)} }.into_any(),
        (None, Some(c)) => view! { {t.closes} " " {date(c)} }.into_any(),
        (Some(o), None) => view! { {t.opens} " " {date(o)} }.into_any(),
        (None, None) => ().into_any(),
    }
}

#[component]
pub fn ConsultationPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let org_and_slug = crate::ui::use_org_and_slug();
    let query = use_query_map();
    // The order and page of the discussion are part of the address, so they work without JS.
    let key = move || {
        let q = query.read();
        (
            org_and_slug(),
            q.get("sort").unwrap_or_default(),
            q.get("page").unwrap_or_default(),
        )
    };
    let page = Resource::new(key, |((org, slug), sort, page)| {
        get_consultation(org, slug, sort, page)
    });
    let questionnaire = crate::questionnaire::views::use_questionnaire();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(c) => {
                        let title = format!("{} – {}", c.card.title, c.card.org_name);
                        view! {
                            <crate::ui::PageMeta title=title description=c.card.summary.clone()/>
                            {c.staff_preview.then(|| view! { <p class="notice" role="note">{t.staff_preview_notice}</p> })}
                            <article class="consultation">
                                <header>
                                    <p class="meta">
                                        <a href=format!("/{}", c.card.org_slug)>{c.card.org_name.clone()}</a>
                                    </p>
                                    <h1>{c.card.title.clone()}</h1>
                                    <p class="lead">{c.card.summary.clone()}</p>
                                    {c.last_change.map(|ts| view! {
                                        <p class="meta changed">
                                            {t.changed_on} " " <time datetime=iso_date(ts)>{format_date(lang, ts)}</time>
                                            " · " <a href=format!("{}/changes", c.card.path())>{t.changes_link}</a>
                                        </p>
                                    })}
                                    {c.image.clone().map(|img| view! {
                                        <figure class="hero">
                                            <img src=img.url alt=img.alt/>
                                        </figure>
                                    })}
                                    <dl class="facts">
                                        <div>
                                            <dt>{t.status_label}</dt>
                                            <dd><span class=format!("status status-{}", c.card.status.as_str())>{c.card.status.label(t)}</span></dd>
                                        </div>
                                        {(c.card.opens_at.is_some() || c.card.closes_at.is_some()).then(|| view! {
                                            <div>
                                                <dt>{t.period_label}</dt>
                                                <dd><Period opens_at=c.card.opens_at closes_at=c.card.closes_at/></dd>
                                            </div>
                                        })}
                                        <div>
                                            <dt>{t.results_label}</dt>
                                            <dd>{c.results_visibility.label(t)}</dd>
                                        </div>
                                        {(!c.about.topic.is_empty()).then(|| view! {
                                            <div><dt>{t.topic_label}</dt><dd>{c.about.topic.clone()}</dd></div>
                                        })}
                                        {(!c.about.office.is_empty()).then(|| view! {
                                            <div><dt>{t.office_label}</dt><dd>{c.about.office.clone()}</dd></div>
                                        })}
                                        {(!c.about.contact.is_empty()).then(|| view! {
                                            <div><dt>{t.contact_title}</dt><dd>{c.about.contact.clone()}</dd></div>
                                        })}
                                    </dl>
                                    {(c.card.status == Status::ResultsPublished).then(|| view! {
                                        <p class="results-link"><a href=format!("{}/results", c.card.path())>{t.res_link}</a></p>
                                    })}
                                    {(!c.about.plain_summary.is_empty()).then(|| view! {
                                        <section class="plain-summary" aria-labelledby="plain-summary-heading">
                                            <h2 id="plain-summary-heading">{t.plain_summary_title}</h2>
                                            <p class="plain-text">{c.about.plain_summary.clone()}</p>
                                        </section>
                                    })}
                                </header>
                                {(!c.sections.is_empty()).then(|| {
                                    let path = c.card.path();
                                    let writing = c.accepting && c.standing.may_participate;
                                    view! {
                                        <nav class="toc" aria-labelledby="sections-heading">
                                            <h2 id="sections-heading">{t.sections_title}</h2>
                                            <ol>
                                                {c.sections.iter().map(|s| view! {
                                                    <li>
                                                        <a href=format!("#{}", s.id)>{s.title.clone()}</a>
                                                        <span class="meta">" (" {(t.section_comment_count)(s.comments as usize)} ")"</span>
                                                        {writing.then(|| view! {
                                                            " " <a class="section-comment" rel="external" href=format!("{path}?section={}#comment-form", s.id)>
                                                                {t.section_comment_link}
                                                                <span class="visually-hidden">": " {s.title.clone()}</span>
                                                            </a>
                                                        })}
                                                    </li>
                                                }).collect_view()}
                                            </ol>
                                        </nav>
                                    }
                                })}
                                <div class="prose" inner_html=c.body_html.clone()></div>
                                {(!c.attachments.is_empty()).then(|| view! {
                                    <section class="documents" aria-labelledby="documents-heading">
                                        <h2 id="documents-heading">{t.documents_title}</h2>
                                        <ul>
                                            {c.attachments.iter().map(|f| view! {
                                                <li>
                                                    <a href=f.url.clone() download=f.name.clone()>{f.name.clone()}</a>
                                                    " " <span class="meta">"(" {f.kind_and_size(lang)} ")"</span>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                })}
                                <crate::ui::map::PlaceSection place=c.place.clone() pins=c.pins.clone() path=c.card.path()/>
                            </article>
                            {(c.moderation == Moderation::Pre && c.accepting).then(|| view! {
                                <p class="notice">{t.premoderation_hint}</p>
                            })}
                            <crate::questionnaire::views::QuestionnaireSection data=questionnaire/>
                            <crate::moderation::transparency::ModerationCounts org=c.card.org_slug.clone() slug=c.card.slug.clone()/>
                            <crate::answer::views::AnswersLink org=c.card.org_slug.clone() slug=c.card.slug.clone()/>
                            <CommentSection page=c/>
                        }
                        .into_any()
                    }
                    Err(err) => view! { <ErrorView error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/{org}/{slug}/changes`: every correction of the text since publication, with its date, its
/// reason and the difference (removed struck through, inserted highlighted — and said in words
/// for screen readers).
#[component]
pub fn ConsultationChangesPage() -> impl IntoView {
    use super::revisions::{DiffLine, Segment, TextField};
    let t = use_texts();
    let lang = use_lang();
    let page = Resource::new(crate::ui::use_org_and_slug(), |(org, slug)| {
        super::api::get_consultation_changes(org, slug)
    });
    let field_label = move |f: TextField| match f {
        TextField::Title => t.field_title,
        TextField::Summary => t.field_summary,
        TextField::PlainSummary => t.field_plain_summary,
        TextField::Body => t.field_body,
    };
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let p = match page.await {
                    Ok(p) => p,
                    Err(err) => return view! { <ErrorView error=err/> }.into_any(),
                };
                let title = format!("{} – {}", t.changes_title, p.card.title);
                view! {
                    <crate::ui::PageMeta title=title description=t.changes_intro.to_string()/>
                    <p class="meta"><a href=p.card.path()>{t.back_to_consultation} ": " {p.card.title.clone()}</a></p>
                    <h1>{t.changes_title}</h1>
                    {if p.changes.is_empty() {
                        view! { <p>{t.no_changes}</p> }.into_any()
                    } else {
                        view! {
                            <p>{t.changes_intro}</p>
                            <ol class="changes">
                                {p.changes.into_iter().map(|change| view! {
                                    <li>
                                        <h2>{t.changed_on} " " <time datetime=iso_date(change.changed_at)>{format_date(lang, change.changed_at)}</time></h2>
                                        {(!change.note.is_empty()).then(|| view! {
                                            <p><strong>{t.change_note_label} ": "</strong> {change.note.clone()}</p>
                                        })}
                                        {change.fields.into_iter().map(|(field, lines)| view! {
                                            <h3>{field_label(field)}</h3>
                                            <div class="diff">
                                                {lines.into_iter().map(|line| match line {
                                                    DiffLine::Context(text) => view! { <p class="diff-context">{text}</p> }.into_any(),
                                                    DiffLine::Skipped(n) => view! { <p class="diff-skipped">{(t.diff_unchanged_lines)(n)}</p> }.into_any(),
                                                    DiffLine::Changed(segments) => view! {
                                                        <p class="diff-changed">
                                                            {segments.into_iter().map(|s| match s {
                                                                Segment::Same(text) => view! { <span>{text}</span> }.into_any(),
                                                                Segment::Removed(text) => view! {
                                                                    <del><span class="visually-hidden">"[" {t.diff_removed} " "</span>{text}<span class="visually-hidden">"]"</span></del>
                                                                }.into_any(),
                                                                Segment::Added(text) => view! {
                                                                    <ins><span class="visually-hidden">"[" {t.diff_added} " "</span>{text}<span class="visually-hidden">"]"</span></ins>
                                                                }.into_any(),
                                                            }).collect_view()}
                                                        </p>
                                                    }.into_any(),
                                                }).collect_view()}
                                            </div>
                                        }).collect_view()}
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}
