//! Organisations (municipalities, districts, a state): the tenants of an installation.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::consultation::ConsultationCard;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationPage {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent: Option<(String, String)>,
    pub consultations: Vec<ConsultationCard>,
}
