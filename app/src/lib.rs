//! Mitreden's application: domain types, pages, components and server functions, shared by the
//! server (feature `ssr`) and the browser (feature `hydrate`).

pub mod account;
pub mod answer;
pub mod audit;
pub mod comment;
pub mod consultation;
pub mod error;
pub mod export;
pub mod geo;
pub mod i18n;
pub mod legal;
pub mod manage;
pub mod moderation;
pub mod notify;
pub mod organisation;
pub mod participation;
pub mod questionnaire;
pub mod results;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod cookies;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod flash;
#[cfg(feature = "ssr")]
pub mod input;
#[cfg(feature = "ssr")]
pub mod loadgen;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod opendata;
#[cfg(feature = "ssr")]
pub mod ratelimit;
#[cfg(feature = "ssr")]
pub mod secret;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::account::views::{
    AccountPage, ConfirmEmailChangePage, ForgotPasswordPage, LoginPage, RegisterPage,
    ResetPasswordPage, SecondFactorPage, VerifyPage,
};
use crate::comment::views::CommentThreadPage;
use crate::consultation::views::{ConsultationChangesPage, ConsultationPage, HomePage};
use crate::i18n::use_lang;
use crate::legal::views::LegalPageView;
use crate::legal::PageKind;
use crate::manage::views::{ConsultationEditorPage, ManageHomePage, ManageOrganisationPage};
use crate::notify::views::UnsubscribePage;
use crate::organisation::views::OrganisationPage;
use crate::participation::views::{AccessCodesPage, LinkSignInPage};
use crate::ui::{Layout, NotFound};

/// The package name the browser bundle is built under (`/pkg/<OUTPUT_NAME>.js`).
pub const OUTPUT_NAME: &str = "mitreden";

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = use_lang();
    // The map settings for public/map.js, which draws every `[data-map]` element with Leaflet.
    #[cfg(feature = "ssr")]
    let (tiles, attribution) = crate::state::app_state()
        .map(|s| {
            (
                s.settings.tile_url.clone(),
                s.settings.tile_attribution.clone(),
            )
        })
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let (tiles, attribution) = (String::new(), String::new());
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="stylesheet" href=format!("/{}/{OUTPUT_NAME}.css", options.site_pkg_dir)/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <meta name="mitreden-map-tiles" content=tiles/>
                <meta name="mitreden-map-attribution" content=attribution/>
                <script nonce=leptos::nonce::use_nonce() src="/map.js" defer></script>
                <script nonce=leptos::nonce::use_nonce() src="/export.js" defer></script>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Tells end-to-end tests (and nothing else) that the page is interactive.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/2fa") view=SecondFactorPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/link") view=LinkSignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage") view=ManageHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/:org") view=ManageOrganisationPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/:org/:slug/codes") view=AccessCodesPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/:org/:slug/answers") view=crate::answer::views::StaffAnswersPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/:org/:slug/exports") view=crate::export::views::ExportPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/:org/:slug/questionnaire") view=crate::questionnaire::views::QuestionnaireEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/:org/audit") view=crate::audit::views::AuditLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/:org/new") view=ConsultationEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/:org/:slug/edit") view=ConsultationEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/moderation") view=crate::moderation::views::QueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/moderation/appeals") view=crate::moderation::r_views::AppealsPage ssr=SsrMode::Async/>
                    <Route path=path!("/barrierefreiheit") view=|| view! { <LegalPageView kind=PageKind::Accessibility/> } ssr=SsrMode::Async/>
                    <Route path=path!("/datenschutz") view=|| view! { <LegalPageView kind=PageKind::Privacy/> } ssr=SsrMode::Async/>
                    <Route path=path!("/impressum") view=|| view! { <LegalPageView kind=PageKind::Imprint/> } ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=crate::legal::views::AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/pages/:kind") view=crate::legal::views::PageEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/reports") view=crate::legal::views::BarrierReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/password/forgot") view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/password/reset") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/email") view=ConfirmEmailChangePage ssr=SsrMode::Async/>
                    <Route path=path!("/notifications/unsubscribe") view=UnsubscribePage ssr=SsrMode::Async/>
                    <Route path=path!("/:org") view=OrganisationPage ssr=SsrMode::Async/>
                    <Route path=path!("/:org/:slug") view=ConsultationPage ssr=SsrMode::Async/>
                    <Route path=path!("/:org/:slug/changes") view=ConsultationChangesPage ssr=SsrMode::Async/>
                    <Route path=path!("/:org/:slug/answers") view=crate::answer::views::PublicAnswersPage ssr=SsrMode::Async/>
                    <Route path=path!("/:org/:slug/results") view=crate::results::views::ResultsPage ssr=SsrMode::Async/>
                    <Route path=path!("/:org/:slug/comments/:id") view=CommentThreadPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
