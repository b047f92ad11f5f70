//! The organisation page.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::get_organisation;
use crate::consultation::views::ConsultationList;
use crate::i18n::use_texts;
use crate::ui::{ErrorView, Loading};

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("org").unwrap_or_default(),
        get_organisation,
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(org) => {
                        let title = format!("{} – {}", org.name, t.site_name);
                        view! {
                            <crate::ui::PageMeta title=title description=if org.description.is_empty() { (t.consultations_of).to_string() } else { org.description.clone() }/>
                            <div class="org-heading">
                                {(!org.logo.is_empty()).then(|| view! { <img class="org-logo" src=org.logo.clone() alt="" height="64"/> })}
                                <h1>{org.name.clone()}</h1>
                            </div>
                            {org.parent.clone().map(|(slug, name)| view! {
                                <p class="meta"><a href=format!("/{slug}")>{name}</a></p>
                            })}
                            {(!org.description.is_empty()).then(|| view! { <p class="lead">{org.description.clone()}</p> })}
                            <h2>{t.consultations_of}</h2>
                            <ConsultationList items=org.consultations.clone() empty=t.no_consultations/>
                            <leptos_meta::Link rel="alternate" type_="application/atom+xml" href=format!("/{}/feed.atom", org.slug) title=(t.feed_title)(&org.name)/>
                            <p><a href=format!("/{}/feed.atom", org.slug) rel="external" type="application/atom+xml">{t.feed_link}</a></p>
                            <ContactSection contact=org.contact.clone()/>
                            {(!org.from_below.is_empty()).then(|| view! {
                                <h2>{(t.open_below)(&org.name)}</h2>
                                <ConsultationList items=org.from_below.clone() empty=t.no_open_consultations/>
                            })}
                        }
                        .into_any()
                    }
                    Err(err) => view! { <ErrorView error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ContactSection(contact: super::OrganisationContact) -> impl IntoView {
    use super::linkable;
    let t = use_texts();
    if contact.is_empty() {
        return ().into_any();
    }
    let link = |url: &str, label: &'static str| {
        linkable(url)
            .map(|href| view! { <li><a href=href.to_string() rel="noopener">{label}</a></li> })
    };
    view! {
        <section class="org-contact" aria-labelledby="org-contact-heading">
            <h2 id="org-contact-heading">{t.contact_title}</h2>
            <ul>
                {(!contact.email.is_empty()).then(|| view! {
                    <li>{t.contact_email} ": " <a href=format!("mailto:{}", contact.email)>{contact.email.clone()}</a></li>
                })}
                {link(&contact.website, t.contact_website)}
                {link(&contact.imprint, t.contact_imprint)}
                {link(&contact.privacy, t.contact_privacy)}
            </ul>
        </section>
    }
    .into_any()
}
