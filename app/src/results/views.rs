//! `/{org}/{slug}/results`: the public results report.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{get_results_report, ResultsReport};
use crate::i18n::{use_lang, use_texts};
use crate::ui::{ErrorView, Loading};

#[component]
pub fn ResultsPage() -> impl IntoView {
    let org_slug = crate::ui::use_org_and_slug();
    let data = Resource::new(org_slug, |(o, s)| get_results_report(o, s));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(report) => view! { <ReportView report/> }.into_any(),
                    Err(err) => view! { <ErrorView error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportView(report: ResultsReport) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let card = report.card;
    let path = card.path();
    let api = format!("/api/v1/consultations/{}/{}", card.org_slug, card.slug);
    let f = report.figures;
    let figures = [
        (t.res_fig_contributions, f.contributions),
        (t.res_fig_participants, f.participants),
        (t.res_fig_supports, f.supports),
        (t.res_fig_responses, f.responses),
        (t.res_fig_pins, f.pins),
        (t.res_fig_answered, f.answered),
    ]
    .into_iter()
    .map(|(label, n)| {
        view! { <div><dt>{label}</dt><dd>{crate::i18n::format_count(lang, n)}</dd></div> }
    })
    .collect_view();
    view! {
        <Title text=format!("{} – {}", t.res_title, card.title)/>
        <article class="results-report">
            <header>
                <p class="meta"><a href=format!("/{}", card.org_slug)>{card.org_name.clone()}</a></p>
                <h1>{t.res_title} ": " {card.title.clone()}</h1>
                <p class="lead">{(t.res_intro)(&card.org_name)}</p>
                {(card.opens_at.is_some() || card.closes_at.is_some()).then(|| view! {
                    <p class="meta">{t.period_label} ": "
                        <crate::consultation::views::Period opens_at=card.opens_at closes_at=card.closes_at/>
                    </p>
                })}
                <p class="print-hint no-print">{t.res_print_hint}</p>
            </header>
            <section aria-labelledby="figures-heading">
                <h2 id="figures-heading">{t.res_figures_title}</h2>
                <dl class="key-figures">{figures}</dl>
            </section>
            <section aria-labelledby="questionnaire-heading" class="results-questionnaire">
                <h2 id="questionnaire-heading">{t.res_questionnaire_title}</h2>
                {match report.questionnaire {
                    Some(results) => view! {
                        <crate::questionnaire::views::ResultsView results charts=true/>
                    }.into_any(),
                    None => view! { <p>{t.res_no_questionnaire}</p> }.into_any(),
                }}
            </section>
            <section aria-labelledby="answers-heading" class="results-answers">
                <h2 id="answers-heading">{t.res_answers_title}</h2>
                <crate::answer::views::AnswerGroups page=report.answers level=3/>
            </section>
            <section aria-labelledby="downloads-heading" class="results-downloads no-print">
                <h2 id="downloads-heading">{t.res_downloads_title}</h2>
                <p>{t.res_downloads_intro}</p>
                <ul>
                    <li><a href=format!("{api}/results") type="application/json">{t.res_download_results_json}</a></li>
                    <li><a href=format!("{api}/results.csv") type="text/csv" download="">{t.res_download_results_csv}</a></li>
                    <li><a href=format!("{api}/contributions") type="application/json">{t.res_download_contributions}</a></li>
                    <li><a href="/api/openapi.json" type="application/json">{t.res_download_api}</a></li>
                </ul>
            </section>
            <p class="no-print"><a href=path>{t.res_back}</a></p>
        </article>
    }
}
