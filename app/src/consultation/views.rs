//! Home page (open consultations, search) and the public consultation page.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{get_consultation, list_consultations};
use super::{ConsultationCard, Moderation};
use crate::comment::views::CommentSection;
use crate::i18n::{format_date, iso_date, use_lang, use_texts};
use crate::ui::{ErrorView, Loading};

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let q = move || {
        query
            .read()
            .get("q")
            .map(|q| q.trim().to_string())
            .filter(|q| !q.is_empty())
    };
    let list = Resource::new(q, list_consultations);
    view! {
        <crate::ui::PageMeta title=format!("{} – {}", t.site_name, t.site_tagline) description=t.home_intro.to_string()/>
        <h1>{t.home_title}</h1>
        <p class="lead">{t.home_intro}</p>
        <form class="search" method="get" action="/" role="search">
            <label for="search-q">{t.search_label}</label>
            <div class="search-row">
                <input id="search-q" name="q" type="search" value=move || q().unwrap_or_default()/>
                <button type="submit">{t.search_button}</button>
            </div>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let heading = match q() {
                    Some(term) => (t.search_results_for)(&term),
                    None => t.open_consultations.to_string(),
                };
                let empty = if q().is_some() { t.no_search_results } else { t.no_open_consultations };
                match list.await {
                    Ok(items) => view! {
                        <h2>{heading}</h2>
                        <ConsultationList items empty/>
                    }
                    .into_any(),
                    Err(err) => view! { <ErrorView error=err/> }.into_any(),
                }
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
fn Period(opens_at: Option<i64>, closes_at: Option<i64>) -> impl IntoView {
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
    let params = use_params_map();
    let page = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("org").unwrap_or_default(),
                p.get("slug").unwrap_or_default(),
            )
        },
        |(org, slug)| get_consultation(org, slug),
    );
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
                                    {(!c.about.plain_summary.is_empty()).then(|| view! {
                                        <section class="plain-summary" aria-labelledby="plain-summary-heading">
                                            <h2 id="plain-summary-heading">{t.plain_summary_title}</h2>
                                            <p class="plain-text">{c.about.plain_summary.clone()}</p>
                                        </section>
                                    })}
                                </header>
                                <div class="prose" inner_html=c.body_html.clone()></div>
                            </article>
                            {(c.moderation == Moderation::Pre && c.accepting).then(|| view! {
                                <p class="notice">{t.premoderation_hint}</p>
                            })}
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
