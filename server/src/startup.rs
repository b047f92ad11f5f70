//! Builds the application on a listener and runs it until a shutdown signal: the same path for
//! `mitreden serve` and for the integration tests (which bind 127.0.0.1:0).

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::services::{ServeDir, ServeFile};

use app::db::{Db, PoolSettings};
use app::state::{AppSettings, AppState};
use app::{shell, App, OUTPUT_NAME};

use crate::config::ServeArgs;
use crate::http::{client, csrf, lang, metrics, security};

/// What the server's own handlers (health, metrics) need besides the app state.
#[derive(Clone)]
pub struct ServerState {
    pub app: AppState,
    pub metrics: metrics::Metrics,
    /// Rendered pages for anonymous readers (see `http::page_cache`).
    pub pages: crate::http::page_cache::PageCache,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        LeptosOptions::clone(&state.app.leptos_options)
    }
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: ServerState,
}

impl Application {
    /// Connects to the database, runs migrations, binds the listener and assembles the router.
    pub async fn build(args: ServeArgs) -> anyhow::Result<Application> {
        let base_url = args.normalised_base_url()?;
        let tile_url = args.checked_tile_url()?;
        let db = Db::connect(
            &args.database.database_url,
            &PoolSettings {
                max_connections: args.database.db_max_connections,
            },
        )
        .await
        .context("opening the database")?;
        db.migrate().await.context("migrating the database")?;
        let listener = TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let addr = listener.local_addr()?;
        let site_root = args.site_root.to_string_lossy().into_owned();
        let leptos_options = LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .build();
        let from = args
            .mail_from
            .clone()
            .unwrap_or_else(|| app::mail::default_from(&base_url));
        let mailer =
            app::mail::Mailer::new(&args.mail, &args.data_dir, &from).context("setting up mail")?;
        let app_state = AppState {
            leptos_options: Arc::new(leptos_options),
            db,
            settings: Arc::new(AppSettings {
                base_url: base_url.clone(),
                data_dir: args.data_dir.clone(),
                tile_url,
                tile_attribution: args.tile_attribution.trim().to_string(),
            }),
            mailer: Arc::new(mailer),
        };
        let state = ServerState {
            pages: crate::http::page_cache::PageCache::new(&app_state.db),
            app: app_state,
            metrics: metrics::Metrics::default(),
        };
        let geoip = match &args.geoip_db {
            Some(path) => crate::geoip::GeoIp::open(path)?,
            None => crate::geoip::GeoIp::bundled()?,
        };
        let trusted = client::ClientContext {
            trusted: Arc::new(args.trusted_proxies.clone()),
            geoip: Arc::new(geoip),
            metrics: state.metrics.clone(),
        };
        let router = router(
            trusted,
            state.clone(),
            &args.site_root,
            &base_url,
            args.max_body_bytes,
        );
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state.app
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let db = self.state.app.db.clone();
        let result = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        db.close().await;
        result
    }
}

fn router(
    trusted: client::ClientContext,
    state: ServerState,
    site_root: &Path,
    base_url: &str,
    max_body_bytes: usize,
) -> Router {
    let app_state = state.app.clone();
    let routes = generate_route_list(App);
    let tiles: Option<Arc<str>> =
        security::tile_origin(&app_state.settings.tile_url).map(Arc::from);
    // Runs for every page render and server function call.
    let context = {
        let app_state = app_state.clone();
        move || {
            provide_context(app_state.clone());
            // Pages get a CSP that allows exactly their own inline scripts (Leptos' nonce).
            if let (Some(nonce), Some(res)) = (
                leptos::nonce::use_nonce(),
                use_context::<leptos_axum::ResponseOptions>(),
            ) {
                if let Ok(v) = HeaderValue::from_str(&security::content_security_policy(
                    Some(&nonce),
                    tiles.as_deref(),
                )) {
                    res.insert_header(header::CONTENT_SECURITY_POLICY, v);
                }
            }
        }
    };

    let mut router: Router<AppState> = Router::new();
    // Top-level files of the site (favicon, robots.txt, …) get routes of their own, so that they
    // are never mistaken for an organisation slug.
    if let Ok(entries) = std::fs::read_dir(site_root) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() {
                if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                    router = router.route_service(&format!("/{name}"), ServeFile::new(&path));
                }
            }
        }
    }
    let router = router
        // The bundle: brotli/gzip copies made by scripts/build-site.sh when the client accepts them.
        .nest_service(
            "/pkg",
            ServeDir::new(site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        // Third-party browser libraries from npm (Leaflet for the maps), copied by build-site.sh.
        .nest_service(
            "/vendor",
            ServeDir::new(site_root.join("vendor"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .leptos_routes_with_context(&app_state, routes, context.clone(), {
            let options = LeptosOptions::clone(&app_state.leptos_options);
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .with_state(app_state);

    let own = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::metrics_handler))
        .route("/media/{kind}/{name}", get(media))
        .route("/{org}/feed.atom", get(feed))
        .route("/manage/{org}/{slug}/answers.csv", get(answers_csv))
        .route("/manage/{org}/{slug}/export", get(export_download))
        .route("/sitemap.xml", get(sitemap))
        .route(app::notify::UNSUBSCRIBE_PATH, post(one_click_unsubscribe))
        .merge(crate::http::opendata::routes())
        .with_state(state.clone());

    own.merge(router)
        .layer(middleware::from_fn_with_state(
            csrf::AllowedOrigin(Arc::from(base_url)),
            csrf::csrf_guard,
        ))
        .layer(middleware::from_fn(security::require_multipart))
        .layer(middleware::from_fn_with_state(
            state.pages.clone(),
            crate::http::page_cache::serve_cached,
        ))
        .layer(middleware::from_fn(lang::negotiate_language))
        .layer(middleware::from_fn_with_state(
            trusted,
            client::client_prefix,
        ))
        .layer(middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
        .layer(middleware::from_fn(security::security_headers))
        .layer(middleware::from_fn_with_state(
            security::BodyLimits::new(max_body_bytes),
            security::limit_body,
        ))
        .layer(middleware::from_fn_with_state(
            security::BodyLimits::new(max_body_bytes),
            security::explain_too_large,
        ))
}

/// An uploaded file (a logo, a consultation's picture or document): only names we made, the type
/// we recognised when storing it, and a policy that keeps a file from ever acting as a page.
/// Files of consultations that are not public yet go to their organisation's staff only;
/// documents are downloads under the uploader's (encoded) name.
async fn media(
    State(state): State<ServerState>,
    axum::extract::Path((kind, name)): axum::extract::Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> Response {
    let mime = match app::files::mime_of(&name) {
        Some(mime)
            if app::files::KINDS.contains(&kind.as_str()) && app::files::is_stored_name(&name) =>
        {
            mime
        }
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let (disposition, cache) = if kind == "logos" {
        ("inline".to_string(), "public, max-age=31536000, immutable")
    } else {
        let original = match app::consultation::documents::servable(
            &state.app, &kind, &name, &headers,
        )
        .await
        {
            Ok(Some(original)) => original,
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        };
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let disposition = if kind == "attachments" {
            app::files::attachment_disposition(&app::files::download_name(&original, ext))
        } else {
            "inline".to_string()
        };
        // Not shared caches: a draft's files are for its staff only.
        (disposition, "private, max-age=3600")
    };
    let Ok(disposition) = axum::http::HeaderValue::from_str(&disposition) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let path = app::files::folder(&state.app.settings.data_dir, &kind).join(&name);
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_static(mime),
                ),
                (
                    header::CONTENT_SECURITY_POLICY,
                    axum::http::HeaderValue::from_static("default-src 'none'; sandbox"),
                ),
                (header::CONTENT_DISPOSITION, disposition),
                // A new upload gets a new name: stored files never change.
                (
                    header::CACHE_CONTROL,
                    axum::http::HeaderValue::from_static(cache),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The official answers of a consultation as CSV, for its initiators (see
/// `app::answer::api::answers_csv`): refusals as plain status codes.
async fn answers_csv(
    State(state): State<ServerState>,
    axum::extract::Path((org, slug)): axum::extract::Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> Response {
    match app::answer::api::answers_csv(&state.app, &org, &slug, &headers).await {
        Ok((name, bytes)) => attachment(&name, "text/csv; charset=utf-8", Body::from(bytes)),
        Err(err) => status_of(&err),
    }
}

/// A consultation's export for its staff, streamed as the database gives the rows (see
/// `app::export::api::download`): refusals as plain status codes.
async fn export_download(
    State(state): State<ServerState>,
    axum::extract::Path((org, slug)): axum::extract::Path<(String, String)>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    headers: axum::http::HeaderMap,
) -> Response {
    let query = query.unwrap_or_default();
    match app::export::api::download(&state.app, &org, &slug, &query, &headers).await {
        Ok(download) => {
            let mut rx = download.body;
            let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
            attachment(
                &download.file_name,
                download.content_type,
                Body::from_stream(stream),
            )
        }
        Err(err) => status_of(&err),
    }
}

fn status_of(err: &app::error::AppError) -> Response {
    StatusCode::from_u16(err.status())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        .into_response()
}

/// A download: its type, its file name, never cached.
fn attachment(name: &str, content_type: &'static str, body: Body) -> Response {
    let disposition = app::files::attachment_disposition(name);
    let Ok(disposition) = axum::http::HeaderValue::from_str(&disposition) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static(content_type),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("private, no-store"),
            ),
        ],
        body,
    )
        .into_response()
}

/// The sitemap of everything public: home, organisations, public consultations.
async fn sitemap(State(state): State<ServerState>) -> Response {
    let db = &state.app.db;
    let (orgs, entries) = match (
        app::organisation::repo::list_all(db).await,
        app::consultation::repo::sitemap_entries(db).await,
    ) {
        (Ok(orgs), Ok(entries)) => (orgs, entries),
        _ => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let xml = app::consultation::feed::sitemap(&state.app.settings.base_url, &orgs, &entries);
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

/// An organisation's Atom feed of its public consultations.
async fn feed(
    State(state): State<ServerState>,
    axum::extract::Path(org): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let db = &state.app.db;
    let found = match app::organisation::repo::find_by_slug(db, &org).await {
        Ok(found) => found,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let Some(o) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let entries = match app::consultation::repo::feed_of_organisation(db, o.id).await {
        Ok(entries) => entries,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let t = app::i18n::Texts::get(lang::remembered(&headers));
    let title = (t.feed_title)(&o.name);
    let xml = app::consultation::feed::atom(
        &state.app.settings.base_url,
        &o.slug,
        &o.name,
        &title,
        &entries,
    );
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        xml,
    )
        .into_response()
}

/// How often `mitreden serve` looks for digests that are due.
pub const DIGEST_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

/// The background task of `mitreden serve` that sends the daily reply digests: every
/// [`DIGEST_EVERY`], the digests that are due. Several instances may run it at once (each digest
/// is claimed in the database); abort the handle to stop it.
pub fn spawn_digest_task(state: &AppState) -> tokio::task::JoinHandle<()> {
    let db = state.db.clone();
    let mailer = state.mailer.clone();
    let base_url = state.settings.base_url.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(DIGEST_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(err) = app::notify::send_digests(&db, &mailer, &base_url).await {
                tracing::warn!(error = %err, "digest run failed");
            }
            if let Err(err) = app::moderation::alerts::send(&db, &mailer, &base_url).await {
                tracing::warn!(error = %err, "moderator alert run failed");
            }
        }
    })
}

/// How often `mitreden serve` checks whether today's retention run is due.
pub const RETENTION_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// The background task of `mitreden serve` that applies the retention periods once a day (the
/// first instance to check on a day runs it), unless an instance admin switched that off.
pub fn spawn_retention_task(state: &AppState) -> tokio::task::JoinHandle<()> {
    let db = state.db.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(RETENTION_CHECK_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(err) = app::legal::retention::daily(&db, app::db::now()).await {
                tracing::warn!(error = %err, "retention run failed");
            }
        }
    })
}

/// The one-click unsubscribe of RFC 8058: mail providers POST to a notification mail's
/// `List-Unsubscribe` link (token in the query, body `List-Unsubscribe=One-Click`, no cookies, no
/// `Origin`). Turns the account's reply notifications off; an unknown or expired token changes
/// nothing and gets a 404 that says so. A GET of the same address is the page with the button.
async fn one_click_unsubscribe(
    State(state): State<ServerState>,
    axum::Extension(lang): axum::Extension<app::i18n::Lang>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let t = app::i18n::Texts::get(lang);
    let token = query.get("token").map(String::as_str).unwrap_or("");
    let (status, message) = match app::notify::unsubscribe(&state.app.db, token).await {
        Ok(true) => (StatusCode::OK, t.unsubscribe_done),
        Ok(false) => (StatusCode::NOT_FOUND, t.unsubscribe_invalid),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, t.err_internal),
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        message,
    )
        .into_response()
}

/// 200 while the database answers; 503 (and `Retry-After`, as every answer during an outage)
/// within `Db::ping`'s bound when it does not.
async fn healthz(State(state): State<ServerState>) -> Response {
    if state.app.db.ping().await {
        (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ok", "database": "ok" })),
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(
                header::RETRY_AFTER,
                app::error::UNAVAILABLE_RETRY_AFTER_SECS.to_string(),
            )],
            Json(serde_json::json!({ "status": "error", "database": "unreachable" })),
        )
            .into_response()
    }
}
