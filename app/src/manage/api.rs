//! Server functions of the staff area. Each checks the role on the server first.

use leptos::prelude::*;

use super::{ManageHome, ManagedOrganisation};
use crate::account::api::FormOutcome;
use crate::error::AppError;

/// The flash scope of an organisation's staff page (its forms say which one posted).
#[cfg(feature = "ssr")]
pub fn page_scope(org: &str) -> String {
    format!("manage:{org}")
}

#[cfg(feature = "ssr")]
pub const HOME_SCOPE: &str = "manage:home";

/// Answers a form of an organisation's staff page: JSON with JavaScript, else a redirect back to
/// the page (to `anchor`), errors and input kept for the form that `values` names (`form`).
#[cfg(feature = "ssr")]
pub async fn answer_staff_page(
    state: &crate::state::AppState,
    org: &str,
    outcome: Result<FormOutcome, AppError>,
    values: &[(&str, &str)],
    anchor: &str,
) -> Result<FormOutcome, AppError> {
    crate::account::api::answer_in(
        state,
        &page_scope(org),
        outcome,
        values,
        None,
        &format!("/manage/{}{anchor}", crate::account::api::encode_query(org)),
    )
    .await
}

/// The organisations the signed-in staff member serves (all of them for instance admins).
#[server(prefix = "/api", endpoint = "manage_home")]
pub async fn get_manage_home() -> Result<ManageHome, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let user = crate::account::api::current_user()
                .await?
                .ok_or(AppError::Unauthenticated)?;
            if !user.is_staff() {
                return Err(AppError::Forbidden);
            }
            if !user.two_factor {
                return Err(AppError::TwoFactorRequired);
            }
            let organisations = crate::organisation::repo::list_all(&state.db)
                .await?
                .into_iter()
                .filter_map(|(slug, name)| {
                    let roles: Vec<_> = user
                        .roles
                        .iter()
                        .filter(|m| m.organisation_slug == slug)
                        .map(|m| m.role)
                        .collect();
                    (user.is_instance_admin || !roles.is_empty())
                        .then_some(super::OrganisationEntry { slug, name, roles })
                })
                .collect();
            let kept = if user.is_instance_admin {
                crate::flash::take(&state, HOME_SCOPE).await?
            } else {
                None
            };
            Ok(ManageHome {
                organisations,
                instance_admin: user.is_instance_admin,
                kept,
            })
        }
        .await,
    )
}

/// One organisation's staff page (any staff role of it; admins also get its staff list).
#[server(prefix = "/api", endpoint = "manage_organisation")]
pub async fn get_managed_organisation(org: String) -> Result<ManagedOrganisation, AppError> {
    use crate::account::Role;
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let o = crate::organisation::api::organisation(&state, &org).await?;
            let user = crate::account::api::require_staff(o.id).await?;
            let is_admin = user.has_role(o.id, Role::OrgAdmin);
            let staff = if is_admin {
                crate::organisation::repo::staff(&state.db, o.id).await?
            } else {
                Vec::new()
            };
            Ok(ManagedOrganisation {
                is_initiator: user.has_role(o.id, Role::Initiator),
                consultations: crate::consultation::repo::list_all_of_organisation(&state.db, o.id)
                    .await?,
                kept: crate::flash::take(&state, &page_scope(&o.slug)).await?,
                logo: crate::organisation::api::logo_path(&o.logo_file),
                contact: crate::organisation::OrganisationContact {
                    email: o.contact_email,
                    website: o.website_url,
                    imprint: o.imprint_url,
                    privacy: o.privacy_url,
                },
                slug: o.slug,
                name: o.name,
                description: o.description,
                is_admin,
                staff,
            })
        }
        .await,
    )
}

/// Changes what the organisation's public page says about it (its admins only).
#[server(prefix = "/api", endpoint = "update_organisation")]
#[allow(clippy::too_many_arguments)]
pub async fn update_organisation(
    org: String,
    name: String,
    description: String,
    contact_email: String,
    website: String,
    imprint: String,
    privacy: String,
) -> Result<FormOutcome, AppError> {
    use crate::error::{Field, Problem};
    let state = crate::state::app_state()?;
    let o = crate::error::with_status(crate::organisation::api::organisation(&state, &org).await)?;
    let outcome = async {
        let user = crate::account::api::require_role(o.id, crate::account::Role::OrgAdmin).await?;
        let name = crate::input::line(Field::Name, &name, super::MAX_ORG_NAME_CHARS)?;
        let description = crate::input::text(
            Field::Description,
            &description,
            super::MAX_DESCRIPTION_CHARS,
        )?;
        let email = match contact_email.trim() {
            "" => String::new(),
            raw => crate::account::Email::parse(raw)
                .map_err(|_| AppError::invalid(Field::ContactEmail, Problem::InvalidEmail))?
                .as_str()
                .to_string(),
        };
        let contact = crate::organisation::OrganisationContact {
            email,
            website: super::parse_web_address(Field::Website, &website)?,
            imprint: super::parse_web_address(Field::Imprint, &imprint)?,
            privacy: super::parse_web_address(Field::Privacy, &privacy)?,
        };
        crate::organisation::repo::update_profile(&state.db, o.id, &name, &description, &contact)
            .await?;
        let entry = crate::audit::Entry::new(
            crate::audit::Action::OrganisationUpdated,
            crate::audit::Object::organisation(o.id, &name),
        )
        .by(user.id, &user.display_name)
        .organisation(o.id)
        .reason("profile");
        crate::audit::repo::record(&state.db, &entry).await?;
        tracing::info!(
            organisation_id = o.id,
            by = user.id,
            "organisation profile changed"
        );
        Ok(FormOutcome { redirect_to: None })
    }
    .await;
    answer_staff_page(
        &state,
        &o.slug,
        outcome,
        &[
            ("form", "profile"),
            ("name", &name),
            ("description", &description),
            ("contact_email", &contact_email),
            ("website", &website),
            ("imprint", &imprint),
            ("privacy", &privacy),
        ],
        "#profile",
    )
    .await
}

/// Most bytes a logo may have (the whole request must also stay under the server's body limit).
pub const MAX_LOGO_BYTES: usize = 200 * 1024;

/// Replaces the organisation's logo (its admins only): PNG, JPEG or WebP, recognised by content.
/// A plain multipart form post, with or without JavaScript; answered with a redirect back.
#[server(prefix = "/api", endpoint = "upload_logo", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_logo(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<FormOutcome, AppError> {
    use crate::error::{Field, Problem};
    let state = crate::state::app_state()?;
    let mut multipart = data.into_inner().ok_or(AppError::Transport)?;
    let (mut org, mut bytes) = (String::new(), Vec::new());
    while let Ok(Some(mut field)) = multipart.next_field().await {
        match field.name() {
            Some("org") => org = field.text().await.map_err(|_| AppError::Transport)?,
            Some("logo") => {
                while let Ok(Some(chunk)) = field.chunk().await {
                    // Stop reading at the first byte too many.
                    if bytes.len() + chunk.len() > MAX_LOGO_BYTES + 1 {
                        bytes.resize(MAX_LOGO_BYTES + 1, 0);
                        break;
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    let o = crate::error::with_status(crate::organisation::api::organisation(&state, &org).await)?;
    let outcome = async {
        let user = crate::account::api::require_role(o.id, crate::account::Role::OrgAdmin).await?;
        if bytes.is_empty() {
            return Err(AppError::invalid(Field::Logo, Problem::Empty));
        }
        if bytes.len() > MAX_LOGO_BYTES {
            return Err(AppError::invalid(
                Field::Logo,
                Problem::FileTooLarge {
                    max_kib: MAX_LOGO_BYTES / 1024,
                },
            ));
        }
        let (ext, _) = crate::files::sniff_image(&bytes)
            .ok_or(AppError::invalid(Field::Logo, Problem::UnsupportedImage))?;
        let name = crate::files::store(&state.settings.data_dir, "logos", ext, &bytes)
            .await
            .map_err(|err| {
                tracing::error!(error = %err, "cannot store a logo");
                AppError::Internal
            })?;
        let old = crate::organisation::repo::set_logo(&state.db, o.id, &name).await?;
        crate::files::remove(&state.settings.data_dir, "logos", &old).await;
        let entry = crate::audit::Entry::new(
            crate::audit::Action::OrganisationUpdated,
            crate::audit::Object::organisation(o.id, &o.name),
        )
        .by(user.id, &user.display_name)
        .organisation(o.id)
        .reason("logo");
        crate::audit::repo::record(&state.db, &entry).await?;
        tracing::info!(
            organisation_id = o.id,
            by = user.id,
            bytes = bytes.len(),
            "logo replaced"
        );
        Ok(FormOutcome { redirect_to: None })
    }
    .await;
    answer_staff_page(&state, &o.slug, outcome, &[("form", "logo")], "#logo").await
}
