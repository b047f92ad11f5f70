//! How a visitor gets to take part (the "gate" on a consultation page), the page a sign-in link
//! opens, and the staff screen for printable access codes.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    get_access_code_overview, CreateAccessCodes, RedeemAccessCode, RequestSignInLink,
    SignInWithLink,
};
use super::{Rule, Standing, MAX_CODES_PER_BATCH};
use crate::account::api::{encode_query, get_form_draft, AccountForm, FormDraft};
use crate::account::views::{follow_redirects, FormState};
use crate::error::Field;
use crate::i18n::{use_lang, use_texts};
use crate::ui::{submission_error, ErrorView, FormField, Loading};

/// In place of the comment form for visitors who do not (yet) meet the participation rule.
#[component]
pub fn Gate(
    org: String,
    slug: String,
    path: String,
    standing: Standing,
    kept: Option<FormDraft>,
) -> impl IntoView {
    let t = use_texts();
    let login = format!("/login?next={}", encode_query(&path));
    let body = match standing.rule {
        Rule::Account => view! {
            <p>{if standing.signed_in { t.gate_account_other } else { t.gate_account }}</p>
            <p><a href=login>{t.login_link}</a> " · " <a href="/register">{t.register_link}</a></p>
        }
        .into_any(),
        Rule::Email => view! {
            <p>{t.gate_email}</p>
            <LinkForm org slug kept/>
            <p>{t.gate_have_account} " " <a href=login>{t.login_link}</a></p>
        }
        .into_any(),
        Rule::Code => view! {
            <p>{t.gate_code}</p>
            <CodeForm org slug kept signed_in=standing.signed_in/>
        }
        .into_any(),
    };
    view! {
        <section class="write gate" id="participate" aria-labelledby="participate-heading">
            <h3 id="participate-heading">{t.participate_title}</h3>
            <p class="meta">{t.rule_label} ": " {standing.rule.label(t)}</p>
            {body}
        </section>
    }
}

#[component]
fn LinkForm(org: String, slug: String, kept: Option<FormDraft>) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<RequestSignInLink>::new();
    let state = FormState::new(action.value(), &kept);
    let email = kept.as_ref().map(|d| d.value("email")).unwrap_or_default();
    let name = kept
        .as_ref()
        .map(|d| d.value("display_name"))
        .unwrap_or_default();
    view! {
        <div role="status">
            {move || state.done.get().then(|| view! { <p class="notice notice-success">{t.link_sent}</p> })}
        </div>
        <ActionForm action attr:id="sign-in-link-form" attr:class="narrow-form" attr:novalidate=true>
            {state.alert()}
            <input type="hidden" name="org" value=org/>
            <input type="hidden" name="slug" value=slug/>
            <FormField id="link-email".to_string() name="email" label=t.email_label
                input_type="email" autocomplete="email" value=email error=state.field(Field::Email)/>
            <FormField id="link-name".to_string() name="display_name" label=t.display_name_label
                hint=t.link_name_hint autocomplete="nickname" value=name
                error=state.field(Field::DisplayName)/>
            <button type="submit" disabled=move || action.pending().get()>{t.link_submit}</button>
        </ActionForm>
    }
}

#[component]
fn CodeForm(org: String, slug: String, kept: Option<FormDraft>, signed_in: bool) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<RedeemAccessCode>::new();
    follow_redirects(action);
    let state = FormState::new(action.value(), &kept);
    let code = kept.as_ref().map(|d| d.value("code")).unwrap_or_default();
    let name = kept
        .as_ref()
        .map(|d| d.value("display_name"))
        .unwrap_or_default();
    view! {
        <ActionForm action attr:id="access-code-form" attr:class="narrow-form" attr:novalidate=true>
            {state.alert()}
            <input type="hidden" name="org" value=org/>
            <input type="hidden" name="slug" value=slug/>
            <FormField id="access-code".to_string() name="code" label=t.access_code_label
                hint=t.access_code_hint autocomplete="off" value=code error=state.field(Field::Code)/>
            {if signed_in {
                view! { <input type="hidden" name="display_name" value=""/> }.into_any()
            } else {
                view! {
                    <FormField id="code-name".to_string() name="display_name" label=t.display_name_label
                        hint=t.display_name_hint autocomplete="nickname" value=name
                        error=state.field(Field::DisplayName)/>
                }
                .into_any()
            }}
            <button type="submit" disabled=move || action.pending().get()>{t.access_code_submit}</button>
        </ActionForm>
    }
}

/// The page a sign-in link opens: one button, so mail scanners that fetch links do not use it up.
#[component]
pub fn LinkSignInPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let draft = Resource::new(|| (), |_| get_form_draft(AccountForm::SignInLink));
    let action = ServerAction::<SignInWithLink>::new();
    follow_redirects(action);
    view! {
        <Title text=t.link_page_title/>
        <h1>{t.link_page_title}</h1>
        <p>{t.link_page_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten();
                let state = FormState::new(action.value(), &draft);
                let token = query.read_untracked().get("token").unwrap_or_default();
                let next = query.read_untracked().get("next").unwrap_or_else(|| "/".to_string());
                view! {
                    <ActionForm action attr:id="link-sign-in-form" attr:class="narrow-form">
                        {state.alert()}
                        <input type="hidden" name="token" value=token/>
                        <input type="hidden" name="next" value=next/>
                        <button type="submit" disabled=move || action.pending().get()>{t.link_page_submit}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

/// Initiators make printable one-time access codes for a consultation with the code rule.
#[component]
pub fn AccessCodesPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let params = use_params_map();
    let org = move || params.read().get("org").unwrap_or_default();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let overview = Resource::new(
        move || (org(), slug()),
        |(o, s)| get_access_code_overview(o, s),
    );
    let action = ServerAction::<CreateAccessCodes>::new();
    view! {
        <Title text=t.codes_title/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let o = match overview.await {
                    Ok(o) => o,
                    Err(crate::error::AppError::NotFound) => {
                        return view! { <ErrorView error=crate::error::AppError::NotFound/> }.into_any()
                    }
                    Err(err) => {
                        return view! {
                            <h1>{t.codes_title}</h1>
                            <p class="form-error" role="alert">{err.message(lang)}</p>
                        }
                        .into_any()
                    }
                };
                let error = submission_error(action.value(), o.error.clone());
                let count_error = Signal::derive(move || {
                    error.get().filter(|e| e.field() == Some(Field::Count)).map(|e| e.message(lang))
                });
                // Errors of no field (signed out meanwhile, server trouble) must not go unseen.
                let form_error = move || {
                    error
                        .get()
                        .filter(|e| e.field() != Some(Field::Count))
                        .map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
                };
                let kept = o.fresh.clone();
                let codes = Signal::derive(move || match action.value().get() {
                    Some(Ok(codes)) => codes,
                    _ => kept.clone(),
                });
                let (title, url, org_name) = (o.title.clone(), o.url.clone(), o.org_name.clone());
                view! {
                    <h1 class="no-print">{t.codes_title}</h1>
                    <p class="lead no-print">{o.title.clone()}</p>
                    {(o.rule != Rule::Code).then(|| view! { <p class="notice no-print">{t.codes_rule_hint}</p> })}
                    <p class="no-print">{(t.codes_counts)(o.total, o.redeemed)}</p>
                    <ActionForm action attr:id="access-codes-form" attr:class="narrow-form no-print" attr:novalidate=true>
                        {form_error}
                        <input type="hidden" name="org" value=org()/>
                        <input type="hidden" name="slug" value=slug()/>
                        <FormField id="codes-count".to_string() name="count" label=t.codes_count_label
                            input_type="number" hint=(t.codes_count_hint)(MAX_CODES_PER_BATCH)
                            value=o.count_value.clone() error=count_error/>
                        <button type="submit" disabled=move || action.pending().get()>{t.codes_submit}</button>
                    </ActionForm>
                    {move || {
                        let list = codes.get();
                        (!list.is_empty()).then(|| {
                            let (title, url, org_name) = (title.clone(), url.clone(), org_name.clone());
                            view! {
                                <section aria-labelledby="fresh-codes-heading">
                                    <h2 id="fresh-codes-heading" class="no-print">{t.codes_fresh_title}</h2>
                                    <p class="notice no-print" role="status">{t.codes_fresh_intro}</p>
                                    <ol class="code-cards">
                                        {list.into_iter().map(|code| view! {
                                            <li class="code-card">
                                                <p class="meta">{org_name.clone()}</p>
                                                <p><strong>{title.clone()}</strong></p>
                                                <p>{t.codes_card_where} " " <span class="url">{url.clone()}</span></p>
                                                <p>{t.access_code_label} ": " <code class="access-code">{code}</code></p>
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                </section>
                            }
                        })
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}
