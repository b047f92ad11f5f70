//! The notification settings on the account page and the page a mail's unsubscribe link opens.
//! Both work without JavaScript.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{
    get_notification_settings, unsubscribe_link_status, SetReplyNotifications,
    UnsubscribeReplyNotifications,
};
use super::{NotificationSettings, ReplyNotifications, SETTINGS_PATH};
use crate::account::api::{get_form_draft, AccountForm, FormDraft};
use crate::account::views::FormState;
use crate::error::AppError;
use crate::i18n::{use_lang, use_texts};
use crate::ui::Loading;

/// What the settings section loads; made at the top of the account page, so that the page's
/// resources are the same on the server and in the browser.
#[derive(Clone, Copy)]
pub struct NotificationResources {
    settings: Resource<Result<NotificationSettings, AppError>>,
    draft: Resource<Result<Option<FormDraft>, AppError>>,
}

impl NotificationResources {
    pub fn new() -> Self {
        NotificationResources {
            settings: Resource::new(|| (), |_| get_notification_settings()),
            draft: Resource::new(|| (), |_| get_form_draft(AccountForm::ReplyNotifications)),
        }
    }
}

impl Default for NotificationResources {
    fn default() -> Self {
        Self::new()
    }
}

/// "Notifications" on the account page: a choice of three radios (off by default), saved in
/// place with JavaScript and by Post/Redirect/Get without. Accounts without a confirmed address
/// are told why there is nothing to choose.
#[component]
pub fn NotificationSettingsSection(resources: NotificationResources) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let action = ServerAction::<SetReplyNotifications>::new();
    view! {
        <section id="notifications" aria-labelledby="notifications-heading">
            <h2 id="notifications-heading">{t.notify_title}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let settings = match resources.settings.await {
                        Ok(settings) => settings,
                        Err(err) => {
                            return view! { <p class="form-error" role="alert">{err.message(lang)}</p> }
                                .into_any()
                        }
                    };
                    if !settings.available {
                        return view! { <p class="notice">{t.notify_unavailable}</p> }.into_any();
                    }
                    let draft = resources.draft.await.ok().flatten();
                    // After a failed no-JavaScript post, the choice that was sent stays selected.
                    let chosen = draft
                        .as_ref()
                        .and_then(|d| ReplyNotifications::parse(&d.value("replies")))
                        .filter(|_| draft.as_ref().is_some_and(|d| !d.done))
                        .unwrap_or(settings.replies);
                    let state = FormState::new(action.value(), &draft);
                    let error = state.error;
                    view! {
                        <p>{t.notify_intro}</p>
                        <div role="status">
                            {move || state.done.get().then(|| view! { <p class="notice notice-success">{t.notify_saved}</p> })}
                        </div>
                        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })}
                        <ActionForm action attr:id="notifications-form" attr:class="narrow-form">
                            <fieldset>
                                <legend>{t.notify_legend}</legend>
                                {ReplyNotifications::ALL
                                    .into_iter()
                                    .map(|choice| {
                                        let id = format!("notify-{}", choice.as_str());
                                        view! {
                                            <div class="choice">
                                                <input type="radio" id=id.clone() name="replies"
                                                    value=choice.as_str() checked=choice == chosen/>
                                                <label for=id>{choice.label(t)}</label>
                                            </div>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                            <p class="hint">{t.notify_hint}</p>
                            <button type="submit" disabled=move || action.pending().get()>{t.notify_submit}</button>
                        </ActionForm>
                        <crate::answer::views::AnswerNotificationsForm on=settings.answers/>
                    }
                    .into_any()
                })}
            </Suspense>
        </section>
    }
}

/// The page of a mail's unsubscribe link: it asks before it changes anything, because mail
/// scanners open links. (The one-click POST of mail providers goes to the same address and is
/// answered by the server directly.) An unknown or expired link gets a 404 that says so.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let query = use_query_map();
    let token = move || query.read_untracked().get("token").unwrap_or_default();
    let status = Resource::new(|| (), move |_| unsubscribe_link_status(token()));
    let draft = Resource::new(|| (), |_| get_form_draft(AccountForm::Unsubscribe));
    let action = ServerAction::<UnsubscribeReplyNotifications>::new();
    let invalid = move || {
        #[cfg(feature = "ssr")]
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(http::StatusCode::NOT_FOUND);
        }
        view! {
            <p class="form-error" role="alert">{t.unsubscribe_invalid}</p>
            <p><a href=SETTINGS_PATH>{t.unsubscribe_settings_link}</a></p>
        }
    };
    view! {
        <Title text=t.unsubscribe_title/>
        <h1>{t.unsubscribe_title}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten();
                let valid = status.await.is_ok();
                if !valid && !draft.as_ref().is_some_and(|d| d.done) {
                    return invalid().into_any();
                }
                let state = FormState::new(action.value(), &draft);
                let error = state.error;
                view! {
                    <div role="status">
                        {move || state.done.get().then(|| view! { <p class="notice notice-success">{t.unsubscribe_done}</p> })}
                    </div>
                    {move || error.get().map(|e| {
                        let message = match e {
                            AppError::NotFound => t.unsubscribe_invalid.to_string(),
                            other => other.message(lang),
                        };
                        view! { <p class="form-error" role="alert">{message}</p> }
                    })}
                    <div hidden=move || state.done.get()>
                        <p>{t.unsubscribe_intro}</p>
                        <ActionForm action attr:id="unsubscribe-form" attr:class="narrow-form">
                            <input type="hidden" name="token" value=token()/>
                            <button type="submit" disabled=move || action.pending().get()>{t.unsubscribe_submit}</button>
                        </ActionForm>
                    </div>
                    <p><a href=SETTINGS_PATH>{t.unsubscribe_settings_link}</a></p>
                }
                .into_any()
            })}
        </Suspense>
    }
}
