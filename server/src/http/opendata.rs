//! The open-data API's routes (`/api/v1/…`, `/api/openapi.json`): thin handlers around
//! `app::opendata`, which reads, filters and shapes; here only JSON, CSV and CORS. Everything is
//! public and read-only, so any origin may read it, and shared caches may keep it for a minute.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Serialize;

use app::i18n::Lang;
use app::opendata::{self as od, Query, Refusal};

use crate::startup::ServerState;

pub fn routes() -> Router<ServerState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/organisations", get(organisations))
        .route("/api/v1/consultations", get(consultations))
        .route("/api/v1/consultations/{org}/{slug}", get(consultation))
        .route(
            "/api/v1/consultations/{org}/{slug}/contributions",
            get(contributions),
        )
        .route("/api/v1/consultations/{org}/{slug}/results", get(results))
        .route(
            "/api/v1/consultations/{org}/{slug}/results.csv",
            get(results_csv),
        )
}

fn headers(content_type: &'static str) -> [(header::HeaderName, HeaderValue); 3] {
    [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=60"),
        ),
    ]
}

fn json<T: Serialize>(result: Result<T, Refusal>) -> Response {
    let (status, body) = match result {
        Ok(value) => (StatusCode::OK, serde_json::to_string(&value)),
        Err(refusal) => (
            StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            serde_json::to_string(&refusal.body),
        ),
    };
    match body {
        Ok(body) => (status, headers("application/json"), body).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn openapi() -> Response {
    (headers("application/json"), od::openapi_json()).into_response()
}

async fn organisations(
    State(state): State<ServerState>,
    Extension(lang): Extension<Lang>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = Query::parse(&query.unwrap_or_default());
    json(od::organisations(&state.app.db, &query, lang).await)
}

async fn consultations(
    State(state): State<ServerState>,
    Extension(lang): Extension<Lang>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = Query::parse(&query.unwrap_or_default());
    json(od::consultations(&state.app.db, &query, lang).await)
}

async fn consultation(
    State(state): State<ServerState>,
    Extension(lang): Extension<Lang>,
    Path((org, slug)): Path<(String, String)>,
) -> Response {
    json(od::consultation(&state.app.db, &org, &slug, lang).await)
}

async fn contributions(
    State(state): State<ServerState>,
    Extension(lang): Extension<Lang>,
    Path((org, slug)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = Query::parse(&query.unwrap_or_default());
    json(od::contributions(&state.app.db, &org, &slug, &query, lang).await)
}

async fn results(
    State(state): State<ServerState>,
    Extension(lang): Extension<Lang>,
    Path((org, slug)): Path<(String, String)>,
) -> Response {
    json(od::results(&state.app.db, &org, &slug, lang).await)
}

async fn results_csv(
    State(state): State<ServerState>,
    Extension(lang): Extension<Lang>,
    Path((org, slug)): Path<(String, String)>,
) -> Response {
    match od::results_csv(&state.app.db, &org, &slug, lang).await {
        Ok((name, csv)) => {
            let disposition = app::files::attachment_disposition(&name);
            let mut response = (headers("text/csv; charset=utf-8"), csv).into_response();
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(refusal) => json::<()>(Err(refusal)),
    }
}
