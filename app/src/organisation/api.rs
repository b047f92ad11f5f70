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
            Ok(OrganisationPage {
                slug: row.slug,
                name: row.name,
                description: row.description,
                parent,
                consultations,
            })
        }
        .await,
    )
}
