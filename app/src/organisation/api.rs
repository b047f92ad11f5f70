//! Server functions about organisations.

use leptos::prelude::*;

use super::OrganisationPage;
use crate::error::AppError;

/// The public page of an organisation with its published consultations.
#[server(prefix = "/api", endpoint = "get_organisation")]
pub async fn get_organisation(org: String) -> Result<OrganisationPage, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let row = super::repo::find_by_slug(&state.db, &org)
                .await?
                .ok_or(AppError::NotFound)?;
            let parent = match row.parent_id {
                Some(id) => super::repo::find_by_id(&state.db, id)
                    .await?
                    .map(|p| (p.slug, p.name)),
                None => None,
            };
            let consultations =
                crate::consultation::repo::list_public_of_organisation(&state.db, row.id).await?;
            let contact = super::OrganisationContact {
                email: row.contact_email.clone(),
                website: row.website_url.clone(),
                imprint: row.imprint_url.clone(),
                privacy: row.privacy_url.clone(),
            };
            Ok(OrganisationPage {
                contact,
                logo: logo_path(&row.logo_file),
                slug: row.slug,
                name: row.name,
                description: row.description,
                parent,
                consultations,
                from_below: crate::consultation::repo::list_open_of_descendants(&state.db, row.id)
                    .await?,
            })
        }
        .await,
    )
}

/// The URL path of a stored logo ('' for none).
pub fn logo_path(file: &str) -> String {
    if file.is_empty() {
        String::new()
    } else {
        format!("/media/logos/{file}")
    }
}

/// A staff member of an organisation, as its admins see them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaffMember {
    pub display_name: String,
    pub email: String,
    pub role: crate::account::Role,
}

/// Parses a role name from a form (`org_admin`, `initiator`, `moderator`).
#[cfg(feature = "ssr")]
fn parse_role(role: &str) -> Result<crate::account::Role, AppError> {
    crate::account::Role::parse(role).ok_or(AppError::invalid(
        crate::error::Field::Role,
        crate::error::Problem::UnknownRole,
    ))
}

/// The organisation by slug, or 404.
#[cfg(feature = "ssr")]
pub async fn organisation(
    state: &crate::state::AppState,
    org: &str,
) -> Result<super::repo::OrganisationRow, AppError> {
    super::repo::find_by_slug(&state.db, org)
        .await?
        .ok_or(AppError::NotFound)
}

/// The staff of an organisation (its admins and instance admins only).
#[server(prefix = "/api", endpoint = "list_staff")]
pub async fn list_staff(org: String) -> Result<Vec<StaffMember>, AppError> {
    crate::error::with_status(
        async move {
            let state = crate::state::app_state()?;
            let o = organisation(&state, &org).await?;
            crate::account::api::require_role(o.id, crate::account::Role::OrgAdmin).await?;
            Ok(super::repo::staff(&state.db, o.id).await?)
        }
        .await,
    )
}

/// A staff change as asked: the organisation (whose admin is checked first), the acting admin,
/// the role, and the account (if the address has one).
#[cfg(feature = "ssr")]
struct StaffChange {
    organisation_id: i64,
    by: i64,
    by_name: String,
    role: crate::account::Role,
    user_id: Option<i64>,
}

#[cfg(feature = "ssr")]
async fn staff_change(
    state: &crate::state::AppState,
    org: &str,
    email: &str,
    role: &str,
) -> Result<StaffChange, AppError> {
    let o = organisation(state, org).await?;
    let by = crate::account::api::require_role(o.id, crate::account::Role::OrgAdmin).await?;
    let role = parse_role(role)?;
    let address = crate::account::Email::parse(email)?;
    let user_id = crate::account::repo::find_id_by_email(&state.db, &address).await?;
    Ok(StaffChange {
        organisation_id: o.id,
        by: by.id,
        by_name: by.display_name,
        role,
        user_id,
    })
}

/// The audit entry of a staff change: the member concerned is its object and subject, the role
/// its reason.
#[cfg(feature = "ssr")]
async fn staff_audit(
    state: &crate::state::AppState,
    c: &StaffChange,
    user_id: i64,
    action: crate::audit::Action,
) -> Result<(), AppError> {
    let name = crate::account::repo::current_user(&state.db, user_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    let entry = crate::audit::Entry::new(action, crate::audit::Object::account(user_id, name))
        .by(c.by, &c.by_name)
        .organisation(c.organisation_id)
        .subject(user_id)
        .reason(c.role.as_str());
    crate::audit::repo::record(&state.db, &entry).await?;
    Ok(())
}

/// Gives an existing account a role in the organisation (its admins and instance admins only).
#[server(prefix = "/api", endpoint = "appoint_staff")]
pub async fn appoint_staff(
    org: String,
    email: String,
    role: String,
) -> Result<crate::account::api::FormOutcome, AppError> {
    use crate::error::{Field, Problem};
    let state = crate::state::app_state()?;
    let outcome = async {
        let c = staff_change(&state, &org, &email, &role).await?;
        let user_id = c
            .user_id
            .ok_or(AppError::invalid(Field::Email, Problem::NoSuchAccount))?;
        crate::account::repo::grant(&state.db, user_id, c.organisation_id, c.role).await?;
        staff_audit(&state, &c, user_id, crate::audit::Action::StaffAppointed).await?;
        // The appointed person learns of it, and that the role needs a second factor.
        if let Some(o) = super::repo::find_by_id(&state.db, c.organisation_id).await? {
            let lang = crate::i18n::use_lang();
            let role_name = c.role.label(crate::i18n::Texts::get(lang));
            let address = crate::account::Email::parse(&email)?;
            let link = format!("{}/manage", state.settings.base_url);
            let mail = crate::mail::templates::staff_appointed(
                lang,
                address.as_str(),
                &o.name,
                role_name,
                &link,
            );
            state.mailer.send(mail).await?;
        }
        tracing::info!(
            organisation_id = c.organisation_id,
            user_id,
            by = c.by,
            role = c.role.as_str(),
            "staff appointed"
        );
        Ok(())
    }
    .await;
    let values = [
        ("form", "appoint"),
        ("email", email.as_str()),
        ("role", role.as_str()),
    ];
    crate::manage::api::answer_staff_page(
        &state,
        &org,
        outcome.map(|_| Default::default()),
        &values,
        "#staff",
    )
    .await
}

/// Takes a role away (its admins and instance admins only).
#[server(prefix = "/api", endpoint = "remove_staff")]
pub async fn remove_staff(
    org: String,
    email: String,
    role: String,
) -> Result<crate::account::api::FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = async {
        let c = staff_change(&state, &org, &email, &role).await?;
        if let Some(user_id) = c.user_id {
            crate::account::repo::revoke(&state.db, user_id, c.organisation_id, c.role).await?;
            staff_audit(&state, &c, user_id, crate::audit::Action::StaffRemoved).await?;
            tracing::info!(
                organisation_id = c.organisation_id,
                user_id,
                by = c.by,
                role = c.role.as_str(),
                "staff removed"
            );
        }
        Ok(())
    }
    .await;
    crate::manage::api::answer_staff_page(
        &state,
        &org,
        outcome.map(|_| Default::default()),
        &[("form", "remove")],
        "#staff",
    )
    .await
}

/// Creates an organisation (instance admins only); its page in the staff area opens next.
#[server(prefix = "/api", endpoint = "create_organisation")]
pub async fn create_organisation(
    slug: String,
    name: String,
    parent: String,
) -> Result<crate::account::api::FormOutcome, AppError> {
    use crate::error::{Field, Problem};
    let state = crate::state::app_state()?;
    let outcome = async {
        let admin = crate::account::api::require_instance_admin().await?;
        let slug = super::parse_slug(&slug)?;
        let name = crate::input::line(Field::Name, &name, crate::manage::MAX_ORG_NAME_CHARS)?;
        let parent_id = match parent.trim() {
            "" => None,
            p => Some(
                super::repo::find_by_slug(&state.db, p)
                    .await?
                    .ok_or(AppError::invalid(
                        Field::ParentOrganisation,
                        Problem::UnknownParent,
                    ))?
                    .id,
            ),
        };
        if super::repo::find_by_slug(&state.db, &slug).await?.is_some() {
            return Err(AppError::invalid(Field::Slug, Problem::Taken));
        }
        let new = super::repo::NewOrganisation {
            slug: &slug,
            name: &name,
            description: "",
            parent_id,
        };
        let id = super::repo::ensure(&state.db, &new).await?;
        let entry = crate::audit::Entry::new(
            crate::audit::Action::OrganisationCreated,
            crate::audit::Object::organisation(id, &name),
        )
        .by(admin.id, &admin.display_name)
        .organisation(id)
        .reason(&slug);
        crate::audit::repo::record(&state.db, &entry).await?;
        tracing::info!(organisation_id = id, by = admin.id, "organisation created");
        Ok(crate::account::api::FormOutcome {
            redirect_to: Some(format!("/manage/{slug}")),
        })
    }
    .await;
    crate::account::api::answer_in(
        &state,
        crate::manage::api::HOME_SCOPE,
        outcome,
        &[("slug", &slug), ("name", &name), ("parent", &parent)],
        None,
        "/manage",
    )
    .await
}
