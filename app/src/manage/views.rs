//! The staff area's pages. Everything shown here was checked on the server first; the pages only
//! decide which forms to offer.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{get_manage_home, get_managed_organisation, UpdateOrganisation};
use super::{ManagedOrganisation, MAX_DESCRIPTION_CHARS};
use crate::account::api::{FormDraft, FormOutcome};
use crate::account::views::{follow_redirects, FormState};
use crate::account::Role;
use crate::consultation::api::ChangePhase;
use crate::consultation::{PhaseAction, ResultsVisibility, Status};
use crate::error::{AppError, Field};
use crate::i18n::use_texts;
use crate::organisation::api::{AppointStaff, CreateOrganisation, RemoveStaff};
use crate::participation::api::SetParticipationRule;
use crate::participation::Rule;
use crate::ui::{reload_to, ErrorView, FormField, Loading};

fn role_label(role: Role) -> &'static str {
    role.label(use_texts())
}

/// An error page for the staff area: what is missing, and where to get it. The page's heading is
/// the message unless the page has one already (`heading = false`).
#[component]
pub fn Refused(error: AppError, #[prop(optional)] no_heading: bool) -> impl IntoView {
    let t = use_texts();
    let lang = crate::i18n::use_lang();
    // Back to this very page after signing in.
    let here = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    let login = format!("/login?next={}", crate::account::api::encode_query(&here));
    let hint = match &error {
        AppError::Unauthenticated => Some(
            view! {
                <p><a href=login>{t.login_link}</a></p>
            }
            .into_any(),
        ),
        AppError::TwoFactorRequired => Some(
            view! {
                <p><a href="/account#two-factor">{t.two_factor_title}</a></p>
            }
            .into_any(),
        ),
        _ => None,
    };
    let message = match &error {
        AppError::NotFound => return view! { <ErrorView error/> }.into_any(),
        other => other.message(lang),
    };
    view! {
        {if no_heading {
            view! { <p class="form-error" role="alert">{message}</p> }.into_any()
        } else {
            view! { <Title text=message.clone()/> <h1>{message}</h1> }.into_any()
        }}
        {hint}
    }
    .into_any()
}

/// The latest error of an action submitted with JavaScript (shown once for a list of forms).
fn js_error<A>(action: ServerAction<A>) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Output = FormOutcome, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    let lang = crate::i18n::use_lang();
    move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> })
    }
}

/// After a successful staff form: with JavaScript, the page loads afresh (lists change).
pub(crate) fn reload_on_success<A>(action: ServerAction<A>, path: String)
where
    A: leptos::server_fn::ServerFn<Output = FormOutcome, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = action.value().get() {
            reload_to(outcome.redirect_to.as_deref().unwrap_or(&path));
        }
    });
}

/// The kept state of one form of a page whose forms share a flash (`form` names the form).
fn kept_for(kept: &Option<FormDraft>, form: &str) -> Option<FormDraft> {
    kept.clone().filter(|d| d.value("form") == form)
}

#[component]
pub fn ManageHomePage() -> impl IntoView {
    let t = use_texts();
    let home = Resource::new(|| (), |_| get_manage_home());
    let create = ServerAction::<CreateOrganisation>::new();
    follow_redirects(create);
    view! {
        <Title text=t.manage_title/>
        <h1>{t.manage_title}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let home = match home.await {
                    Ok(home) => home,
                    Err(error) => return view! { <Refused error no_heading=true/> }.into_any(),
                };
                let state = FormState::new(create.value(), &home.kept);
                let value = |name: &str| home.kept.as_ref().map(|d| d.value(name)).unwrap_or_default();
                let (name, slug, parent) = (value("name"), value("slug"), value("parent"));
                view! {
                    <section aria-labelledby="my-orgs-heading">
                        <h2 id="my-orgs-heading">{t.manage_organisations}</h2>
                        <ul class="org-list">
                            {home.organisations.iter().map(|o| {
                                let roles = o.roles.iter().map(|r| role_label(*r)).collect::<Vec<_>>().join(", ");
                                view! {
                                    <li>
                                        <a href=format!("/manage/{}", o.slug)>{o.name.clone()}</a>
                                        {(!roles.is_empty()).then(|| view! { " " <span class="meta">"(" {roles} ")"</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                    {home.instance_admin.then(|| view! {
                        <p><a href="/admin">{crate::legal::texts::use_legal_texts().admin_link}</a></p>
                        <section aria-labelledby="new-org-heading">
                            <h2 id="new-org-heading">{t.new_org_title}</h2>
                            <ActionForm action=create attr:id="new-organisation-form" attr:class="narrow-form" attr:novalidate=true>
                                {state.alert()}
                                <FormField id="new-org-name".to_string() name="name" label=t.org_name_label
                                    value=name error=state.field(Field::Name)/>
                                <FormField id="new-org-slug".to_string() name="slug" label=t.org_slug_label
                                    hint=t.org_slug_hint value=slug error=state.field(Field::Slug)/>
                                <FormField id="new-org-parent".to_string() name="parent" label=t.org_parent_label
                                    hint=t.org_parent_hint value=parent error=state.field(Field::ParentOrganisation)/>
                                <button type="submit" disabled=move || create.pending().get()>{t.new_org_submit}</button>
                            </ActionForm>
                        </section>
                    })}
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn ManageOrganisationPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("org").unwrap_or_default(),
        get_managed_organisation,
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(org) => view! {
                        <Title text=format!("{} – {}", org.name, t.manage_title)/>
                        <p class="meta"><a href="/manage">{t.manage_title}</a></p>
                        <h1>{org.name.clone()}</h1>
                        <p><a href=format!("/{}", org.slug)>{t.manage_public_page}</a></p>
                        <p><a href=format!("/manage/{}/audit", org.slug)>{t.au_link}</a></p>
                        <ConsultationsSection org=org.clone()/>
                        {org.is_admin.then(|| view! {
                            <ProfileSection org=org.clone()/>
                            <LogoSection org=org.clone()/>
                            <StaffSection org=org.clone()/>
                        })}
                    }
                    .into_any(),
                    Err(error) => view! { <Title text=t.manage_title/> <Refused error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConsultationsSection(org: ManagedOrganisation) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SetParticipationRule>::new();
    reload_on_success(action, format!("/manage/{}", org.slug));
    let phase = ServerAction::<ChangePhase>::new();
    reload_on_success(phase, format!("/manage/{}", org.slug));
    let phase_kept = kept_for(&org.kept, "phase");
    let phase_state = FormState::new(phase.value(), &phase_kept);
    let phase_failed = phase_kept.as_ref().map(|d| d.value("slug"));
    // The rule forms keep which consultation failed, to show the error there.
    let kept = kept_for(&org.kept, "rule");
    let state = FormState::new(action.value(), &kept);
    let failed_slug = kept.as_ref().map(|d| d.value("slug"));
    let org_slug = org.slug.clone();
    let rows = org
        .consultations
        .clone()
        .into_iter()
        .map(|(card, rule)| {
            let org_slug = org_slug.clone();
            let path = card.path();
            // Drafts and scheduled ones open as a staff-only preview.
            let title = view! { <a href=path.clone()>{card.title.clone()}</a> };
            let editable = org.is_initiator && card.status == Status::Draft;
            let form_id = format!("rule-{}", card.slug);
            let select_id = format!("rule-{}-select", card.slug);
            let show_error = failed_slug.as_deref() == Some(card.slug.as_str());
            let rule_cell = if editable {
                let slug = card.slug.clone();
                let current = rule;
                let label = format!("{}: {}", t.rule_label, card.title);
                let org_slug = org_slug.clone();
                view! {
                    <ActionForm action attr:id=form_id attr:class="inline-form">
                        {show_error.then(|| state.alert())}
                        <input type="hidden" name="org" value=org_slug.clone()/>
                        <input type="hidden" name="slug" value=slug/>
                        <label for=select_id.clone() class="visually-hidden">{label}</label>
                        <select id=select_id name="rule">
                            {Rule::ALL.into_iter().map(|r| view! {
                                <option value=r.as_str() selected=r == current>{r.label(t)}</option>
                            }).collect_view()}
                        </select>
                        " "
                        <button type="submit">{t.save}</button>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! { {rule.label(t)} }.into_any()
            };
            let edit = org.is_initiator.then(|| {
                let label = format!("{}: {}", t.editor_edit_link, card.title);
                view! { <p><a href=format!("/manage/{}/{}/edit", org_slug, card.slug) aria-label=label>{t.editor_edit_link}</a></p> }
            });
            let questionnaire = org.is_initiator.then(|| {
                let label = format!("{}: {}", t.q_editor_link, card.title);
                view! { <p><a href=format!("/manage/{}/{}/questionnaire", org_slug, card.slug) aria-label=label>{t.q_editor_link}</a></p> }
            });
            let codes = (org.is_initiator && rule == Rule::Code).then(|| {
                view! { <p><a href=format!("/manage/{}/{}/codes", org_slug, card.slug)>{t.codes_title}</a></p> }
            });
            let answers = (org.is_initiator && card.status != Status::Draft).then(|| {
                let label = format!("{}: {}", t.oa_manage_link, card.title);
                view! { <p><a href=format!("/manage/{}/{}/answers", org_slug, card.slug) aria-label=label>{t.oa_manage_link}</a></p> }
            });
            let export = (org.is_initiator || org.is_admin).then(|| {
                let label = format!("{}: {}", t.ex_link, card.title);
                view! { <p><a href=format!("/manage/{}/{}/exports", org_slug, card.slug) aria-label=label>{t.ex_link}</a></p> }
            });
            let phase_error = (phase_failed.as_deref() == Some(card.slug.as_str())).then(|| phase_state.alert());
            let actions = org.is_initiator.then(|| {
                PhaseAction::ALL
                    .into_iter()
                    .filter(|a| a.from() == card.status)
                    .map(|a| {
                        let label = format!("{}: {}", a.label(t), card.title);
                        let (org_slug, slug) = (org_slug.clone(), card.slug.clone());
                        view! {
                            <ActionForm action=phase attr:class="inline-form">
                                <input type="hidden" name="org" value=org_slug/>
                                <input type="hidden" name="slug" value=slug/>
                                <input type="hidden" name="action" value=a.as_str()/>
                                <button type="submit" aria-label=label>{a.label(t)}</button>
                            </ActionForm>
                        }
                    })
                    .collect_view()
            });
            view! {
                <tr>
                    <td>{title}</td>
                    <td>{card.status.label(t)}</td>
                    <td>{rule_cell}</td>
                    <td>{phase_error}{actions}{edit}{questionnaire}{codes}{answers}{export}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="consultations-heading">
            <h2 id="consultations-heading">{t.consultations_of}</h2>
            {org.is_initiator.then(|| view! { <p><a href=format!("/manage/{}/new", org.slug)>{t.editor_new_link}</a></p> })}
            {js_error(action)}
            {js_error(phase)}
            {if org.consultations.is_empty() {
                view! { <p>{t.no_consultations}</p> }.into_any()
            } else {
                view! {
                    <table class="staff-table">
                        <thead>
                            <tr>
                                <th scope="col">{t.col_title}</th>
                                <th scope="col">{t.col_status}</th>
                                <th scope="col">{t.rule_label}</th>
                                <th scope="col"><span class="visually-hidden">{t.col_actions}</span></th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn ProfileSection(org: ManagedOrganisation) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<UpdateOrganisation>::new();
    let kept = kept_for(&org.kept, "profile");
    let state = FormState::new(action.value(), &kept);
    // Shown: what was typed (after a failed post), else what is stored.
    let value = |name: &str, stored: &str| match &kept {
        Some(d) if !d.done => d.value(name),
        _ => stored.to_string(),
    };
    let name = value("name", &org.name);
    let description = value("description", &org.description);
    let email = value("contact_email", &org.contact.email);
    let website = value("website", &org.contact.website);
    let imprint = value("imprint", &org.contact.imprint);
    let privacy = value("privacy", &org.contact.privacy);
    view! {
        <section id="profile" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{t.profile_title}</h2>
            <div role="status">
                {move || state.done.get().then(|| view! { <p class="notice notice-success">{t.saved}</p> })}
            </div>
            <ActionForm action attr:id="profile-form" attr:class="narrow-form" attr:novalidate=true>
                {state.alert()}
                <input type="hidden" name="org" value=org.slug.clone()/>
                <FormField id="profile-name".to_string() name="name" label=t.org_name_label
                    value=name error=state.field(Field::Name)/>
                <FormField id="profile-description".to_string() name="description" label=t.org_description_label
                    multiline=true hint=(t.max_chars_hint)(MAX_DESCRIPTION_CHARS)
                    value=description error=state.field(Field::Description)/>
                <FormField id="profile-email".to_string() name="contact_email" label=t.contact_email
                    input_type="email" value=email
                    error=state.field(Field::ContactEmail)/>
                <FormField id="profile-website".to_string() name="website" label=t.contact_website
                    input_type="url" hint=t.url_hint value=website
                    error=state.field(Field::Website)/>
                <FormField id="profile-imprint".to_string() name="imprint" label=t.contact_imprint
                    input_type="url" hint=t.url_hint value=imprint
                    error=state.field(Field::Imprint)/>
                <FormField id="profile-privacy".to_string() name="privacy" label=t.contact_privacy
                    input_type="url" hint=t.url_hint value=privacy
                    error=state.field(Field::Privacy)/>
                <button type="submit" disabled=move || action.pending().get()>{t.save}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn StaffSection(org: ManagedOrganisation) -> impl IntoView {
    let t = use_texts();
    let appoint = ServerAction::<AppointStaff>::new();
    let remove = ServerAction::<RemoveStaff>::new();
    let here = format!("/manage/{}#staff", org.slug);
    reload_on_success(appoint, here.clone());
    reload_on_success(remove, here);
    let kept = kept_for(&org.kept, "appoint");
    let state = FormState::new(appoint.value(), &kept);
    let remove_state = FormState::new(remove.value(), &kept_for(&org.kept, "remove"));
    let email = kept.as_ref().map(|d| d.value("email")).unwrap_or_default();
    let chosen = kept.as_ref().map(|d| d.value("role")).unwrap_or_default();
    let org_slug = org.slug.clone();
    let rows = org
        .staff
        .clone()
        .into_iter()
        .map(|m| {
            let org_slug = org_slug.clone();
            let label = format!("{}: {} ({})", t.remove_role, m.display_name, role_label(m.role));
            view! {
                <tr>
                    <td>{m.display_name.clone()}</td>
                    <td>{m.email.clone()}</td>
                    <td>{role_label(m.role)}</td>
                    <td>
                        <ActionForm action=remove attr:class="inline-form">
                            <input type="hidden" name="org" value=org_slug.clone()/>
                            <input type="hidden" name="email" value=m.email.clone()/>
                            <input type="hidden" name="role" value=m.role.as_str()/>
                            <button type="submit" class="link-button" aria-label=label>{t.remove_role}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="staff" aria-labelledby="staff-heading">
            <h2 id="staff-heading">{t.staff_title}</h2>
            {remove_state.alert()}
            <table class="staff-table">
                <thead>
                    <tr>
                        <th scope="col">{t.display_name_label}</th>
                        <th scope="col">{t.email_label}</th>
                        <th scope="col">{t.role_label}</th>
                        <th scope="col"><span class="visually-hidden">{t.col_actions}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <h3>{t.appoint_title}</h3>
            <p>{t.appoint_intro}</p>
            <ActionForm action=appoint attr:id="appoint-form" attr:class="narrow-form" attr:novalidate=true>
                {state.alert()}
                <input type="hidden" name="org" value=org.slug.clone()/>
                <FormField id="appoint-email".to_string() name="email" label=t.email_label
                    input_type="email" value=email error=state.field(Field::Email)/>
                <div class="field">
                    <label for="appoint-role">{t.role_label}</label>
                    <select id="appoint-role" name="role">
                        {[Role::Moderator, Role::Initiator, Role::OrgAdmin].into_iter().map(|r| view! {
                            <option value=r.as_str() selected=chosen == r.as_str()>{role_label(r)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" disabled=move || appoint.pending().get()>{t.appoint_submit}</button>
            </ActionForm>
        </section>
    }
}

/// The logo: a plain multipart form (file uploads post the whole page, with or without
/// JavaScript); the server answers with a redirect back here.
#[component]
fn LogoSection(org: ManagedOrganisation) -> impl IntoView {
    let t = use_texts();
    let lang = crate::i18n::use_lang();
    let kept = kept_for(&org.kept, "logo");
    let error = kept
        .as_ref()
        .and_then(|d| d.error.clone())
        .map(|e| e.message(lang));
    let done = kept.as_ref().is_some_and(|d| d.done);
    let described = if error.is_some() {
        "logo-hint logo-error"
    } else {
        "logo-hint"
    };
    view! {
        <section id="logo" aria-labelledby="logo-heading">
            <h2 id="logo-heading">{t.logo_title}</h2>
            <div role="status">{done.then(|| view! { <p class="notice notice-success">{t.saved}</p> })}</div>
            {if org.logo.is_empty() {
                view! { <p>{t.logo_none}</p> }.into_any()
            } else {
                view! {
                    <figure class="logo-preview">
                        <img src=org.logo.clone() alt=format!("{}: {}", t.logo_current, org.name) height="64"/>
                    </figure>
                }
                .into_any()
            }}
            <form id="logo-form" class="narrow-form" method="post" action="/api/upload_logo" enctype="multipart/form-data">
                <input type="hidden" name="org" value=org.slug.clone()/>
                <div class="field" class:field-invalid=error.is_some()>
                    <label for="logo-file">{t.logo_label}</label>
                    <p class="hint" id="logo-hint">{(t.logo_hint)(super::api::MAX_LOGO_BYTES / 1024)}</p>
                    {error.clone().map(|msg| view! { <p class="field-error" id="logo-error">{msg}</p> })}
                    <input id="logo-file" name="logo" type="file" accept="image/png,image/jpeg,image/webp"
                        aria-describedby=described aria-invalid=error.is_some().then_some("true")/>
                </div>
                <button type="submit">{t.logo_submit}</button>
            </form>
        </section>
    }
}

/// A rule that protects fairness in the editor: a select while the consultation is a draft, then
/// only its value (sent along unchanged, so a save cannot change it).
fn fairness_rule(
    fixed: bool,
    name: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    current: &'static str,
) -> AnyView {
    if fixed {
        let shown = options
            .iter()
            .find(|(value, _)| *value == current)
            .map_or(current, |(_, l)| *l);
        view! {
            <input type="hidden" name=name value=current/>
            <p>{label} ": " {shown}</p>
        }
        .into_any()
    } else {
        let id = format!("editor-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <select id=id name=name>
                    {options.into_iter().map(|(value, l)| view! {
                        <option value=value selected=value == current>{l}</option>
                    }).collect_view()}
                </select>
            </div>
        }
        .into_any()
    }
}

/// The consultation's picture (with its alternative text) and documents, below the editor: plain
/// multipart forms that post and come back here, with or without JavaScript.
#[component]
fn ConsultationFiles(page: crate::consultation::editor::EditorPage) -> impl IntoView {
    use crate::consultation::documents::{MAX_ATTACHMENT_BYTES, MAX_IMAGE_BYTES};
    let t = use_texts();
    let lang = crate::i18n::use_lang();
    let kept = page.files_flash.clone();
    let kept_form = kept.as_ref().map(|d| d.value("form")).unwrap_or_default();
    let error_of = |form: &str| {
        kept.as_ref()
            .filter(|_| kept_form == form)
            .and_then(|d| d.error.clone())
    };
    let done = kept.as_ref().is_some_and(|d| d.done);
    let image_error = error_of("image");
    let attachment_error = error_of("attachment");
    let remove_error = error_of("remove");
    let (org, slug) = (page.org_slug.clone(), page.original.clone());
    let alt_value = kept
        .as_ref()
        .filter(|_| kept_form == "image")
        .map(|d| d.value("alt"))
        .or_else(|| page.image.as_ref().map(|i| i.alt.clone()))
        .unwrap_or_default();
    let field_error = |error: &Option<AppError>, field: Field| {
        error
            .as_ref()
            .filter(|e| e.field() == Some(field))
            .map(|e| e.message(lang))
    };
    let image_file_error = field_error(&image_error, Field::Image);
    let alt_error = field_error(&image_error, Field::AltText);
    let attachment_file_error = field_error(&attachment_error, Field::Attachment);
    let other_error = [image_error.clone(), attachment_error.clone(), remove_error]
        .into_iter()
        .flatten()
        .find(|e| {
            !matches!(
                e.field(),
                Some(Field::Image | Field::AltText | Field::Attachment)
            )
        })
        .map(|e| view! { <p class="form-error" role="alert">{e.message(lang)}</p> });
    let remove_form = {
        let (org, slug) = (org.clone(), slug.clone());
        move |id: i64, label: String| {
            view! {
                <form method="post" action="/api/remove_consultation_file" class="inline-form">
                    <input type="hidden" name="org" value=org.clone()/>
                    <input type="hidden" name="slug" value=slug.clone()/>
                    <input type="hidden" name="file_id" value=id.to_string()/>
                    <button type="submit" class="secondary">{t.attachment_remove} <span class="visually-hidden">": " {label}</span></button>
                </form>
            }
        }
    };
    let describe = |base: &str, error: bool| {
        if error {
            format!("{base}-hint {base}-error")
        } else {
            format!("{base}-hint")
        }
    };
    view! {
        <section id="files" aria-labelledby="files-heading" class="editor-files">
            <h2 id="files-heading">{t.image_title} " / " {t.attachments_title}</h2>
            <div role="status">{done.then(|| view! { <p class="notice notice-success">{t.saved}</p> })}</div>
            {other_error}
            <h3>{t.image_title}</h3>
            {match page.image.clone() {
                Some(img) => {
                    let remove = remove_form(img.id, t.image_title.to_string());
                    view! {
                        <figure class="image-preview">
                            <img src=img.url.clone() alt=img.alt.clone() height="120"/>
                            <figcaption>{img.alt.clone()}</figcaption>
                        </figure>
                        {remove}
                    }.into_any()
                }
                None => view! { <p>{t.no_image}</p> }.into_any(),
            }}
            <form id="image-form" class="narrow-form" method="post" action="/api/upload_consultation_file" enctype="multipart/form-data" novalidate>
                <input type="hidden" name="org" value=org.clone()/>
                <input type="hidden" name="slug" value=slug.clone()/>
                <input type="hidden" name="purpose" value="image"/>
                <div class="field" class:field-invalid=alt_error.is_some()>
                    <label for="image-alt">{t.alt_label}</label>
                    <p class="hint" id="image-alt-hint">{t.alt_hint}</p>
                    {alt_error.clone().map(|msg| view! { <p class="field-error" id="image-alt-error">{msg}</p> })}
                    <input id="image-alt" name="alt" type="text" value=alt_value required
                        aria-describedby=describe("image-alt", alt_error.is_some()) aria-invalid=alt_error.is_some().then_some("true")/>
                </div>
                <div class="field" class:field-invalid=image_file_error.is_some()>
                    <label for="image-file">{t.image_label}</label>
                    <p class="hint" id="image-file-hint">{(t.image_hint)(MAX_IMAGE_BYTES / 1024)}</p>
                    {image_file_error.clone().map(|msg| view! { <p class="field-error" id="image-file-error">{msg}</p> })}
                    <input id="image-file" name="file" type="file" accept="image/png,image/jpeg,image/webp"
                        aria-describedby=describe("image-file", image_file_error.is_some()) aria-invalid=image_file_error.is_some().then_some("true")/>
                </div>
                <button type="submit">{t.image_submit}</button>
            </form>
            <h3>{t.attachments_title}</h3>
            {if page.attachments.is_empty() {
                view! { <p>{t.no_attachments}</p> }.into_any()
            } else {
                view! {
                    <ul class="file-list">
                        {page.attachments.iter().map(|f| view! {
                            <li>
                                <a href=f.url.clone()>{f.name.clone()}</a>
                                " " <span class="meta">"(" {f.kind_and_size(lang)} ")"</span> " "
                                {remove_form(f.id, f.name.clone())}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form id="attachment-form" class="narrow-form" method="post" action="/api/upload_consultation_file" enctype="multipart/form-data">
                <input type="hidden" name="org" value=org.clone()/>
                <input type="hidden" name="slug" value=slug.clone()/>
                <input type="hidden" name="purpose" value="attachment"/>
                <div class="field" class:field-invalid=attachment_file_error.is_some()>
                    <label for="attachment-file">{t.attachment_label}</label>
                    <p class="hint" id="attachment-file-hint">{(t.attachment_hint)(MAX_ATTACHMENT_BYTES / 1024)}</p>
                    {attachment_file_error.clone().map(|msg| view! { <p class="field-error" id="attachment-file-error">{msg}</p> })}
                    <input id="attachment-file" name="file" type="file" accept="application/pdf,image/png,image/jpeg,image/webp"
                        aria-describedby=describe("attachment-file", attachment_file_error.is_some()) aria-invalid=attachment_file_error.is_some().then_some("true")/>
                </div>
                <button type="submit">{t.attachment_submit}</button>
            </form>
        </section>
    }
}

/// The consultation editor (initiators): a new consultation (`/manage/{org}/new`) or a stored one
/// (`/manage/{org}/{slug}/edit`). Saving a draft leaves it a draft; the staff-only preview shows
/// it as residents will see it.
#[component]
pub fn ConsultationEditorPage() -> impl IntoView {
    use crate::consultation::api::{get_consultation_editor, SaveConsultation};
    use crate::consultation::editor::*;
    let t = use_texts();
    let query = leptos_router::hooks::use_query_map();
    let page = Resource::new(crate::ui::use_org_and_slug(), |(org, slug)| {
        get_consultation_editor(org, slug)
    });
    let action = ServerAction::<SaveConsultation>::new();
    follow_redirects(action);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let e = match page.await {
                    Ok(e) => e,
                    Err(error) => return view! { <Title text=t.manage_title/> <Refused error/> }.into_any(),
                };
                let heading = if e.original.is_empty() { t.editor_new_title } else { t.editor_edit_title };
                let state = FormState::new(action.value(), &Some(e.values.clone()));
                let v = |name: &str| e.values.value(name);
                let saved = query.read_untracked().get("saved").is_some();
                let preview = (!e.original.is_empty()).then(|| format!("/{}/{}", e.org_slug, e.original));
                let rule_now = Rule::parse(&v("rule")).unwrap_or_default();
                let results_now = ResultsVisibility::parse(&v("results")).unwrap_or_default();
                let votes_now: &'static str = if v("votes") == "up_down" { "up_down" } else { "up" };
                let change_note = v("change_note");
                let edit_version = v("edit_version");
                let files = if e.original.is_empty() {
                    view! { <p class="notice" id="files">{t.files_after_first_save}</p> }.into_any()
                } else {
                    view! { <ConsultationFiles page=e.clone()/> }.into_any()
                };
                let moderation_now = v("moderation");
                let report_threshold = v("report_threshold");
                let (slug, title, summary, plain, body) = (v("slug"), v("title"), v("summary"), v("plain_summary"), v("body"));
                let (topic, office, contact, opens, closes) = (v("topic"), v("office"), v("contact"), v("opens_at"), v("closes_at"));
                let (location, area) = (v("location"), v("area"));
                view! {
                    <Title text=format!("{heading} – {}", e.org_name)/>
                    <p class="meta"><a href=format!("/manage/{}", e.org_slug)>{e.org_name.clone()}</a></p>
                    <h1>{heading}</h1>
                    {e.status.map(|s| view! { <p>{t.col_status} ": " {s.label(t)}</p> })}
                    <div role="status">
                        {saved.then(|| view! { <p class="notice notice-success">{t.editor_saved}</p> })}
                    </div>
                    {preview.map(|href| view! { <p><a href=href>{t.editor_preview_link}</a></p> })}
                    {(!e.original.is_empty()).then(|| view! {
                        <p><a href=format!("/manage/{}/{}/questionnaire", e.org_slug, e.original)>{t.q_editor_link}</a></p>
                    })}
                    {e.fixed.then(|| view! { <p class="notice">{t.editor_fixed_hint}</p> })}
                    <ActionForm action attr:id="consultation-editor" attr:class="editor-form" attr:novalidate=true>
                        {state.alert()}
                        <input type="hidden" name="org" value=e.org_slug.clone()/>
                        <input type="hidden" name="original" value=e.original.clone()/>
                        <input type="hidden" name="edit_version" value=edit_version/>
                        <FormField id="editor-title".to_string() name="title" label=t.field_title
                            value=title error=state.field(Field::Title)/>
                        {if e.fixed {
                            view! { <input type="hidden" name="slug" value=slug/> }.into_any()
                        } else {
                            view! {
                                <FormField id="editor-slug".to_string() name="slug" label=t.field_slug
                                    hint=t.field_slug_hint value=slug error=state.field(Field::Slug)/>
                            }.into_any()
                        }}
                        <FormField id="editor-summary".to_string() name="summary" label=t.field_summary multiline=true
                            hint=(t.max_chars_hint)(MAX_SUMMARY_CHARS) value=summary error=state.field(Field::Summary)/>
                        <FormField id="editor-plain".to_string() name="plain_summary" label=t.field_plain_summary multiline=true
                            hint=(t.max_chars_hint)(MAX_PLAIN_SUMMARY_CHARS) value=plain error=state.field(Field::PlainSummary)/>
                        <FormField id="editor-body".to_string() name="body" label=t.field_body multiline=true
                            hint=t.field_body_hint value=body error=state.field(Field::Body)/>
                        <FormField id="editor-topic".to_string() name="topic" label=t.field_topic
                            value=topic error=state.field(Field::Topic)/>
                        <FormField id="editor-office".to_string() name="office" label=t.field_office
                            value=office error=state.field(Field::Office)/>
                        <FormField id="editor-contact".to_string() name="contact" label=t.field_contact
                            value=contact error=state.field(Field::Contact)/>
                        <FormField id="editor-location".to_string() name="location" label=t.field_location
                            hint=t.field_location_hint value=location error=state.field(Field::Location)/>
                        <crate::ui::map::AreaEditorMap target="editor-area"/>
                        <FormField id="editor-area".to_string() name="area" label=t.field_area multiline=true
                            hint=t.field_area_hint value=area error=state.field(Field::Area)/>
                        <FormField id="editor-opens".to_string() name="opens_at" label=t.field_opens_at
                            input_type="datetime-local" hint=t.field_dates_hint value=opens error=state.field(Field::OpensAt)/>
                        <FormField id="editor-closes".to_string() name="closes_at" label=t.field_closes_at
                            input_type="datetime-local" hint=t.field_dates_hint value=closes error=state.field(Field::ClosesAt)/>
                        <fieldset class="field">
                            <legend>{t.field_moderation}</legend>
                            {[("post", t.moderation_post), ("pre", t.moderation_pre)].into_iter().map(|(value, label)| {
                                let id = format!("editor-moderation-{value}");
                                view! {
                                    <div class="choice">
                                        <input type="radio" id=id.clone() name="moderation" value=value checked=moderation_now == value/>
                                        <label for=id>{label}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        <FormField id="editor-report-threshold".to_string() name="report_threshold" label=t.mr_threshold_label
                            input_type="number" hint=t.mr_threshold_hint value=report_threshold
                            error=state.field(Field::ReportThreshold)/>
                        {fairness_rule(e.fixed, "rule", t.rule_label,
                            Rule::ALL.map(|r| (r.as_str(), r.label(t))).to_vec(), rule_now.as_str())}
                        {fairness_rule(e.fixed, "results", t.field_results,
                            ResultsVisibility::ALL.map(|r| (r.as_str(), r.label(t))).to_vec(), results_now.as_str())}
                        {fairness_rule(e.fixed, "votes", t.field_votes,
                            vec![("up", t.votes_up_only), ("up_down", t.votes_up_down)], votes_now)}
                        {e.fixed.then(|| view! {
                            <FormField id="editor-change-note".to_string() name="change_note" label=t.field_change_note
                                hint=t.field_change_note_hint value=change_note error=state.field(Field::ChangeNote)/>
                        })}
                        <button type="submit" disabled=move || action.pending().get()>{t.editor_submit}</button>
                    </ActionForm>
                    {files}
                }
                .into_any()
            })}
        </Suspense>
    }
}
