//! The login page and the account part of the header.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use super::api::{encode_query, get_current_user, get_login_draft, Login, Logout};
use crate::error::Field;
use crate::i18n::{use_lang, use_texts};
use crate::ui::{reload_to, submission_error, FormField, Loading};

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let query = use_query_map();
    let draft = Resource::new(|| (), |_| get_login_draft());
    let action = ServerAction::<Login>::new();
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = action.value().get() {
            reload_to(&outcome.redirect_to);
        }
    });
    view! {
        <Title text=t.login_title/>
        <h1>{t.login_title}</h1>
        <p>{t.login_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten();
                let next = draft
                    .as_ref()
                    .map(|d| d.next.clone())
                    .or_else(|| query.read_untracked().get("next"))
                    .unwrap_or_else(|| "/".to_string());
                let email_value = draft.as_ref().map(|d| d.email.clone()).unwrap_or_default();
                let error = submission_error(action.value(), draft.map(|d| d.error));
                let field_error = move |field: Field| {
                    Signal::derive(move || error.get().filter(|e| e.field() == Some(field)).map(|e| e.message(lang)))
                };
                let form_error = move || {
                    error
                        .get()
                        .filter(|e| e.field().is_none())
                        .map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
                };
                view! {
                    <ActionForm action attr:id="login-form" attr:class="narrow-form" attr:novalidate=true>
                        {form_error}
                        <input type="hidden" name="next" value=next/>
                        <FormField id="login-email".to_string() name="email" label=t.email_label
                            input_type="email" autocomplete="username" value=email_value
                            error=field_error(Field::Email)/>
                        <FormField id="login-password".to_string() name="password" label=t.password_label
                            input_type="password" autocomplete="current-password"
                            error=field_error(Field::Password)/>
                        <button type="submit" disabled=move || action.pending().get()>{t.login_submit}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

/// "Signed in as …" with a sign-out button, or a sign-in link that returns to this page.
#[component]
pub fn UserMenu() -> impl IntoView {
    let t = use_texts();
    let location = use_location();
    let user = Resource::new(|| (), |_| get_current_user());
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            reload_to("/");
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => view! {
                        <li class="user">{(t.signed_in_as)(&u.display_name)}</li>
                        <li>
                            <ActionForm action=logout attr:class="inline-form">
                                <button type="submit" class="link-button">{t.logout}</button>
                            </ActionForm>
                        </li>
                    }
                    .into_any(),
                    _ => {
                        let here = location.pathname.get_untracked();
                        let href = if here == "/login" {
                            "/login".to_string()
                        } else {
                            format!("/login?next={}", encode_query(&here))
                        };
                        view! { <li><a href=href>{t.login_link}</a></li> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
