//! The account pages (sign in, register, confirm address, forgotten password) and the account
//! part of the header. Every form works with and without JavaScript.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use super::api::{
    encode_query, get_account_overview, get_current_user, get_form_draft, AccountForm,
    BeginTwoFactorSetup, ChangeEmail, ChangePassword, ConfirmEmailChange, ConfirmTwoFactorSetup,
    DeleteAccount, FormDraft, FormOutcome, Login, LoginSecondFactor, Logout, LogoutEverywhere,
    Register, RequestPasswordReset, ResetPassword, VerifyEmail,
};
use super::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use crate::error::{AppError, Field};
use crate::i18n::{use_lang, use_texts};
use crate::ui::{reload_to, submission_error, FormField, Loading};

/// The state every account form shows: its error (latest submission, or the one a no-JavaScript
/// post left), whether it is done, and a message for each field.
#[derive(Clone, Copy)]
pub(crate) struct FormState {
    pub(crate) error: Signal<Option<AppError>>,
    pub(crate) done: Signal<bool>,
}

impl FormState {
    pub(crate) fn new(
        value: impl Get<Value = Option<Result<FormOutcome, AppError>>> + Copy + Send + Sync + 'static,
        draft: &Option<FormDraft>,
    ) -> FormState {
        let initial_done = draft.as_ref().is_some_and(|d| d.done);
        let error = submission_error(value, draft.as_ref().and_then(|d| d.error.clone()));
        let done = Signal::derive(move || match value.get() {
            Some(Ok(_)) => true,
            Some(Err(_)) => false,
            None => initial_done,
        });
        FormState { error, done }
    }

    pub(crate) fn field(self, field: Field) -> Signal<Option<String>> {
        let lang = use_lang();
        let error = self.error;
        Signal::derive(move || {
            error
                .get()
                .filter(|e| e.field() == Some(field))
                .map(|e| e.message(lang))
        })
    }

    /// Errors that belong to no field, as an alert above the form.
    pub(crate) fn alert(self) -> impl IntoView {
        let lang = use_lang();
        let error = self.error;
        move || {
            error
                .get()
                .filter(|e| e.field().is_none())
                .map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
        }
    }
}

/// Where a sign-in returns to: what a failed no-JavaScript post kept, else `?next=`, else home.
/// (The server accepts only local paths; see `safe_next`.)
fn return_path(draft: &Option<FormDraft>, query: Memo<leptos_router::params::ParamsMap>) -> String {
    draft
        .as_ref()
        .map(|d| d.value("next"))
        .filter(|n| !n.is_empty())
        .or_else(|| query.read_untracked().get("next"))
        .unwrap_or_else(|| "/".to_string())
}

/// After a successful form that leads elsewhere, a full page load of the target (the header and
/// everything else then show the new state).
pub(crate) fn follow_redirects<A>(action: ServerAction<A>)
where
    A: leptos::server_fn::ServerFn<Output = FormOutcome, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    A::Output: Send + Sync,
{
    Effect::new(move |_| {
        if let Some(Ok(FormOutcome {
            redirect_to: Some(path),
        })) = action.value().get()
        {
            reload_to(&path);
        }
    });
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let draft = Resource::new(|| (), |_| get_form_draft(AccountForm::Login));
    let action = ServerAction::<Login>::new();
    follow_redirects(action);
    let after_reset = move || query.read_untracked().get("reset").is_some();
    view! {
        <Title text=t.login_title/>
        <h1>{t.login_title}</h1>
        {move || after_reset().then(|| view! { <p class="notice notice-success" role="status">{t.reset_done}</p> })}
        <p>{t.login_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten();
                let state = FormState::new(action.value(), &draft);
                let next = return_path(&draft, query);
                let email = draft.as_ref().map(|d| d.value("email")).unwrap_or_default();
                view! {
                    <ActionForm action attr:id="login-form" attr:class="narrow-form" attr:novalidate=true>
                        {state.alert()}
                        <input type="hidden" name="next" value=next/>
                        <FormField id="login-email".to_string() name="email" label=t.email_label
                            input_type="email" autocomplete="username" value=email
                            error=state.field(Field::Email)/>
                        <FormField id="login-password".to_string() name="password" label=t.password_label
                            input_type="password" autocomplete="current-password"
                            error=state.field(Field::Password)/>
                        <button type="submit" disabled=move || action.pending().get()>{t.login_submit}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
        <p><a href="/password/forgot">{t.forgot_link}</a></p>
        <p>{t.no_account_yet} " " <a href="/register">{t.register_link}</a></p>
    }
}

/// The second login step for accounts with two-factor sign-in.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let draft = Resource::new(|| (), |_| get_form_draft(AccountForm::SecondFactor));
    let action = ServerAction::<LoginSecondFactor>::new();
    follow_redirects(action);
    view! {
        <Title text=t.second_factor_title/>
        <h1>{t.second_factor_title}</h1>
        <p>{t.second_factor_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten();
                let state = FormState::new(action.value(), &draft);
                let next = return_path(&draft, query);
                view! {
                    <ActionForm action attr:id="second-factor-form" attr:class="narrow-form" attr:novalidate=true>
                        {state.alert()}
                        <input type="hidden" name="next" value=next/>
                        <FormField id="second-factor-code".to_string() name="code" label=t.code_label
                            autocomplete="one-time-code" error=state.field(Field::Code)/>
                        <button type="submit" disabled=move || action.pending().get()>{t.second_factor_submit}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let t = use_texts();
    let draft = Resource::new(|| (), |_| get_form_draft(AccountForm::Register));
    let action = ServerAction::<Register>::new();
    view! {
        <Title text=t.register_title/>
        <h1>{t.register_title}</h1>
        <p>{t.register_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten();
                let state = FormState::new(action.value(), &draft);
                let email = draft.as_ref().map(|d| d.value("email")).unwrap_or_default();
                let name = draft.as_ref().map(|d| d.value("display_name")).unwrap_or_default();
                view! {
                    <div role="status">
                        {move || state.done.get().then(|| view! { <p class="notice notice-success">{t.register_done}</p> })}
                    </div>
                    <div hidden=move || state.done.get()>
                        <ActionForm action attr:id="register-form" attr:class="narrow-form" attr:novalidate=true>
                            {state.alert()}
                            <FormField id="register-email".to_string() name="email" label=t.email_label
                                input_type="email" autocomplete="email" value=email
                                error=state.field(Field::Email)/>
                            <FormField id="register-name".to_string() name="display_name" label=t.display_name_label
                                hint=t.display_name_hint autocomplete="nickname" value=name
                                error=state.field(Field::DisplayName)/>
                            <FormField id="register-password".to_string() name="password" label=t.new_password_label
                                hint=(t.password_hint)(MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS)
                                input_type="password" autocomplete="new-password"
                                error=state.field(Field::Password)/>
                            <button type="submit" disabled=move || action.pending().get()>{t.register_submit}</button>
                        </ActionForm>
                    </div>
                }
            })}
        </Suspense>
    }
}

/// The page a confirmation link opens: one button, so that link scanners in mail systems do not
/// use the single-use token by merely fetching the link.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let draft = Resource::new(|| (), |_| get_form_draft(AccountForm::Verify));
    let action = ServerAction::<VerifyEmail>::new();
    follow_redirects(action);
    view! {
        <Title text=t.verify_title/>
        <h1>{t.verify_title}</h1>
        <p>{t.verify_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten();
                let state = FormState::new(action.value(), &draft);
                let token = query.read_untracked().get("token").unwrap_or_default();
                view! {
                    <ActionForm action attr:id="verify-form" attr:class="narrow-form">
                        {state.alert()}
                        <input type="hidden" name="token" value=token/>
                        <button type="submit" disabled=move || action.pending().get()>{t.verify_submit}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

/// The page the link to a new address opens: one button, like the confirmation page.
#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let draft = Resource::new(|| (), |_| get_form_draft(AccountForm::ConfirmEmailChange));
    let action = ServerAction::<ConfirmEmailChange>::new();
    follow_redirects(action);
    view! {
        <Title text=t.confirm_email_title/>
        <h1>{t.confirm_email_title}</h1>
        <p>{t.confirm_email_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten();
                let state = FormState::new(action.value(), &draft);
                let token = query.read_untracked().get("token").unwrap_or_default();
                view! {
                    <ActionForm action attr:id="confirm-email-form" attr:class="narrow-form">
                        {state.alert()}
                        <input type="hidden" name="token" value=token/>
                        <button type="submit" disabled=move || action.pending().get()>{t.confirm_email_submit}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let t = use_texts();
    let draft = Resource::new(|| (), |_| get_form_draft(AccountForm::Forgot));
    let action = ServerAction::<RequestPasswordReset>::new();
    view! {
        <Title text=t.forgot_title/>
        <h1>{t.forgot_title}</h1>
        <p>{t.forgot_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten();
                let state = FormState::new(action.value(), &draft);
                let email = draft.as_ref().map(|d| d.value("email")).unwrap_or_default();
                view! {
                    <div role="status">
                        {move || state.done.get().then(|| view! { <p class="notice notice-success">{t.forgot_done}</p> })}
                    </div>
                    <ActionForm action attr:id="forgot-form" attr:class="narrow-form" attr:novalidate=true>
                        {state.alert()}
                        <FormField id="forgot-email".to_string() name="email" label=t.email_label
                            input_type="email" autocomplete="email" value=email
                            error=state.field(Field::Email)/>
                        <button type="submit" disabled=move || action.pending().get()>{t.forgot_submit}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let draft = Resource::new(|| (), |_| get_form_draft(AccountForm::Reset));
    let action = ServerAction::<ResetPassword>::new();
    follow_redirects(action);
    view! {
        <Title text=t.reset_title/>
        <h1>{t.reset_title}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten();
                let state = FormState::new(action.value(), &draft);
                let token = query.read_untracked().get("token").unwrap_or_default();
                view! {
                    <ActionForm action attr:id="reset-form" attr:class="narrow-form" attr:novalidate=true>
                        {state.alert()}
                        <input type="hidden" name="token" value=token/>
                        <FormField id="reset-password".to_string() name="password" label=t.new_password_label
                            hint=(t.password_hint)(MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS)
                            input_type="password" autocomplete="new-password"
                            error=state.field(Field::Password)/>
                        <button type="submit" disabled=move || action.pending().get()>{t.reset_submit}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

/// The signed-in person's account: change the password or the e-mail address, sign out
/// everywhere, download one's data, delete the account.
#[component]
pub fn AccountPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let query = use_query_map();
    let email_changed = move || query.read_untracked().get("email_changed").is_some();
    let overview = Resource::new(|| (), |_| get_account_overview());
    let change_draft = Resource::new(|| (), |_| get_form_draft(AccountForm::ChangePassword));
    let email_draft = Resource::new(|| (), |_| get_form_draft(AccountForm::ChangeEmail));
    let change_email = ServerAction::<ChangeEmail>::new();
    // The address of the latest hydrated submission, for the "link sent to …" notice (the
    // action forgets its input once it resolves).
    let email_sent_to = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(input) = change_email.input().get() {
            email_sent_to.set(input.new_email.trim().to_string());
        }
    });
    let delete_draft = Resource::new(|| (), |_| get_form_draft(AccountForm::DeleteAccount));
    let change = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<LogoutEverywhere>::new();
    let delete = ServerAction::<DeleteAccount>::new();
    let begin = ServerAction::<BeginTwoFactorSetup>::new();
    let confirm = ServerAction::<ConfirmTwoFactorSetup>::new();
    let setup_draft = Resource::new(|| (), |_| get_form_draft(AccountForm::TwoFactorSetup));
    let notifications = crate::notify::views::NotificationResources::new();
    follow_redirects(begin);
    follow_redirects(everywhere);
    follow_redirects(delete);
    view! {
        <Title text=t.account_title/>
        <h1>{t.account_title}</h1>
        {move || email_changed().then(|| view! { <p class="notice notice-success" role="status">{t.email_changed}</p> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let me = match overview.await {
                    Ok(me) => me,
                    Err(err) => {
                        return view! {
                            <p class="form-error" role="alert">{err.message(lang)}</p>
                            <p><a href="/login?next=/account">{t.login_link}</a></p>
                        }
                        .into_any();
                    }
                };
                let change_state = FormState::new(change.value(), &change_draft.await.ok().flatten());
                let email_kept = email_draft.await.ok().flatten();
                let email_state = FormState::new(change_email.value(), &email_kept);
                let new_email = email_kept.as_ref().map(|d| d.value("new_email")).unwrap_or_default();
                if email_kept.as_ref().is_some_and(|d| d.done) {
                    email_sent_to.set(new_email.clone());
                }
                let delete_state = FormState::new(delete.value(), &delete_draft.await.ok().flatten());
                let setup = setup_draft.await.ok().flatten();
                let kept_codes: Vec<String> = setup.as_ref().filter(|d| d.done).map(|d| d.values.values().cloned().collect()).unwrap_or_default();
                let setup_error = submission_error(confirm.value(), setup.and_then(|d| d.error));
                let code_error = Signal::derive(move || setup_error.get().filter(|e| e.field() == Some(Field::Code)).map(|e| e.message(lang)));
                let codes = Signal::derive(move || match confirm.value().get() {
                    Some(Ok(codes)) => codes,
                    _ => kept_codes.clone(),
                });
                view! {
                    <p>{(t.account_intro)(&me.display_name, &me.email)}</p>

                    <section id="two-factor" aria-labelledby="two-factor-heading">
                        <h2 id="two-factor-heading">{t.two_factor_title}</h2>
                        {move || (!codes.get().is_empty()).then(|| view! {
                            <div class="notice notice-success" role="status">
                                <h3>{t.recovery_codes_title}</h3>
                                <p>{t.recovery_codes_intro}</p>
                                <ul class="recovery-codes">
                                    {codes.get().into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                                </ul>
                            </div>
                        })}
                        {match (me.two_factor, me.totp_setup.clone()) {
                            (true, _) => view! { <p>{t.two_factor_on}</p> }.into_any(),
                            (false, Some((secret, svg))) => view! {
                                <Show when=move || codes.get().is_empty()>
                                    <p>{t.two_factor_scan}</p>
                                    <div class="qr" role="img" aria-label=t.two_factor_qr_alt inner_html=svg.clone()></div>
                                    <p>{t.two_factor_secret_label} ": " <code class="secret">{secret.clone()}</code></p>
                                    <ActionForm action=confirm attr:id="two-factor-confirm-form" attr:class="narrow-form" attr:novalidate=true>
                                        <FormField id="two-factor-code".to_string() name="code" label=t.code_label
                                            autocomplete="one-time-code" error=code_error/>
                                        <button type="submit" disabled=move || confirm.pending().get()>{t.two_factor_confirm}</button>
                                    </ActionForm>
                                </Show>
                            }
                            .into_any(),
                            (false, None) => view! {
                                {me.is_staff.then(|| view! { <p class="notice">{t.two_factor_mandatory}</p> })}
                                <p>{t.two_factor_off}</p>
                                <ActionForm action=begin attr:id="two-factor-begin-form">
                                    <button type="submit">{t.two_factor_begin}</button>
                                </ActionForm>
                            }
                            .into_any(),
                        }}
                    </section>

                    <section aria-labelledby="change-password-heading">
                        <h2 id="change-password-heading">{t.change_password_title}</h2>
                        <div role="status">
                            {move || change_state.done.get().then(|| view! { <p class="notice notice-success">{t.password_changed}</p> })}
                        </div>
                        <ActionForm action=change attr:id="change-password-form" attr:class="narrow-form" attr:novalidate=true>
                            {change_state.alert()}
                            <FormField id="current-password".to_string() name="current_password" label=t.current_password_label
                                input_type="password" autocomplete="current-password"
                                error=change_state.field(Field::CurrentPassword)/>
                            <FormField id="new-password".to_string() name="password" label=t.new_password_label
                                hint=(t.password_hint)(MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS)
                                input_type="password" autocomplete="new-password"
                                error=change_state.field(Field::Password)/>
                            <button type="submit" disabled=move || change.pending().get()>{t.change_password_submit}</button>
                        </ActionForm>
                    </section>

                    <section id="change-email" aria-labelledby="change-email-heading">
                        <h2 id="change-email-heading">{t.change_email_title}</h2>
                        <p>{t.change_email_intro}</p>
                        <div role="status">
                            {move || email_state.done.get().then(|| view! { <p class="notice notice-success">{(t.change_email_sent)(&email_sent_to.get())}</p> })}
                        </div>
                        <ActionForm action=change_email attr:id="change-email-form" attr:class="narrow-form" attr:novalidate=true>
                            {email_state.alert()}
                            <FormField id="change-email-address".to_string() name="new_email" label=t.new_email_label
                                input_type="email" autocomplete="email" value=new_email
                                error=email_state.field(Field::Email)/>
                            <FormField id="change-email-password".to_string() name="current_password" label=t.current_password_label
                                input_type="password" autocomplete="current-password"
                                error=email_state.field(Field::CurrentPassword)/>
                            <button type="submit" disabled=move || change_email.pending().get()>{t.change_email_submit}</button>
                        </ActionForm>
                    </section>

                    <crate::notify::views::NotificationSettingsSection resources=notifications/>

                    <section aria-labelledby="sessions-heading">
                        <h2 id="sessions-heading">{t.sessions_title}</h2>
                        <p>{t.logout_everywhere_intro}</p>
                        <ActionForm action=everywhere attr:id="logout-everywhere-form">
                            <button type="submit">{t.logout_everywhere_submit}</button>
                        </ActionForm>
                    </section>

                    <section aria-labelledby="export-heading">
                        <h2 id="export-heading">{t.export_title}</h2>
                        <p>{t.export_intro}</p>
                        <p><a href="/api/my_data" rel="external" download="mitreden-meine-daten.json">{t.export_link}</a></p>
                    </section>

                    <section aria-labelledby="delete-heading">
                        <h2 id="delete-heading">{t.delete_title}</h2>
                        <p>{t.delete_intro}</p>
                        <ActionForm action=delete attr:id="delete-account-form" attr:class="narrow-form" attr:novalidate=true>
                            {delete_state.alert()}
                            <FormField id="delete-password".to_string() name="password" label=t.current_password_label
                                input_type="password" autocomplete="current-password"
                                error=delete_state.field(Field::CurrentPassword)/>
                            <button type="submit" class="danger" disabled=move || delete.pending().get()>{t.delete_submit}</button>
                        </ActionForm>
                    </section>
                }
                .into_any()
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
                        {u.is_staff().then(|| view! { <li><a href="/manage">{t.manage_link}</a></li> })}
                        {(u.is_instance_admin || u.roles.iter().any(|m| matches!(m.role, crate::account::Role::Moderator | crate::account::Role::OrgAdmin)))
                            .then(|| view! { <li><a href="/moderation">{t.mq_nav}</a></li> })}
                        <li><a href="/account">{t.account_link}</a></li>
                        <li>
                            <ActionForm action=logout attr:class="inline-form">
                                <button type="submit" class="link-button">{t.logout}</button>
                            </ActionForm>
                        </li>
                    }
                    .into_any(),
                    _ => {
                        let here = location.pathname.get_untracked();
                        let href = if here.starts_with("/login") || here == "/" {
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
