//! What the server hands to every server function and page: the database and the settings the
//! domain needs. Cheap to clone; nothing in it is shared between app instances except the database.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::db::Db;

#[derive(Clone, Debug)]
pub struct AppSettings {
    /// The public origin, e.g. `https://beteiligung.example.de` (no trailing slash).
    pub base_url: String,
    /// Uploads, mail outbox, generated files.
    pub data_dir: std::path::PathBuf,
    /// Map tiles: a URL template with {z}/{x}/{y}, or '' for maps without tiles.
    pub tile_url: String,
    /// The tile server's attribution, plain text.
    pub tile_attribution: String,
}

impl AppSettings {
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    /// Behind an `Arc`: the state is cloned for every request by each middleware layer of every
    /// route, and the options are many strings.
    pub leptos_options: Arc<LeptosOptions>,
    pub db: Db,
    pub settings: Arc<AppSettings>,
    pub mailer: Arc<crate::mail::Mailer>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        LeptosOptions::clone(&state.leptos_options)
    }
}

/// The state inside a server function or page render.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the reactive context");
        crate::error::AppError::Internal
    })
}
