//! Prometheus metrics: request counts and latency histograms per route template (never the raw
//! path, so the label set stays small), and database pool gauges. Per instance: Prometheus
//! scrapes each instance and adds them up.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, State};
use axum::http::{header, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::db::Db;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Registry {
    countries: BTreeMap<String, u64>,
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<(String, String), Histogram>,
}

#[derive(Clone, Default)]
pub struct Metrics(Arc<Mutex<Registry>>);

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut r) = self.0.lock() else { return };
        *r.requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        let h = r
            .latency
            .entry((method.to_string(), route.to_string()))
            .or_default();
        h.count += 1;
        h.sum += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
    }

    /// Counts a request by the client's country (or `unknown`): coarse statistics, no person.
    pub fn count_country(&self, country: Option<&str>) {
        if let Ok(mut r) = self.0.lock() {
            *r.countries
                .entry(country.unwrap_or("unknown").to_string())
                .or_default() += 1;
        }
    }

    pub fn render(&self, db: &Db) -> String {
        let mut out = String::with_capacity(4096);
        if let Ok(r) = self.0.lock() {
            out.push_str("# HELP mitreden_http_requests_total HTTP requests by method, route template and status.\n");
            out.push_str("# TYPE mitreden_http_requests_total counter\n");
            for ((method, route, status), n) in &r.requests {
                let _ = writeln!(out, "mitreden_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}", escape(route));
            }
            out.push_str("# HELP mitreden_requests_by_country_total Requests by the client's country (IP database lookup).\n");
            out.push_str("# TYPE mitreden_requests_by_country_total counter\n");
            for (country, n) in &r.countries {
                let _ = writeln!(
                    out,
                    "mitreden_requests_by_country_total{{country=\"{}\"}} {n}",
                    escape(country)
                );
            }
            out.push_str("# HELP mitreden_http_request_duration_seconds Time to the response head, by method and route template.\n");
            out.push_str("# TYPE mitreden_http_request_duration_seconds histogram\n");
            for ((method, route), h) in &r.latency {
                let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(out, "mitreden_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}", h.counts[i]);
                }
                let _ = writeln!(
                    out,
                    "mitreden_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "mitreden_http_request_duration_seconds_sum{{{labels}}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "mitreden_http_request_duration_seconds_count{{{labels}}} {}",
                    h.count
                );
            }
        }
        let (size, idle, max) = db.pool_stats();
        let backend = match db.backend() {
            app::db::Backend::Sqlite => "sqlite",
            app::db::Backend::Postgres => "postgres",
        };
        out.push_str("# HELP mitreden_db_pool_connections Database pool connections by state.\n");
        out.push_str("# TYPE mitreden_db_pool_connections gauge\n");
        let _ = writeln!(
            out,
            "mitreden_db_pool_connections{{backend=\"{backend}\",state=\"open\"}} {size}"
        );
        let _ = writeln!(
            out,
            "mitreden_db_pool_connections{{backend=\"{backend}\",state=\"idle\"}} {idle}"
        );
        let _ = writeln!(
            out,
            "mitreden_db_pool_connections{{backend=\"{backend}\",state=\"in_use\"}} {}",
            (size as usize).saturating_sub(idle)
        );
        out.push_str(
            "# HELP mitreden_db_pool_max_connections Configured maximum of the database pool.\n",
        );
        out.push_str("# TYPE mitreden_db_pool_max_connections gauge\n");
        let _ = writeln!(
            out,
            "mitreden_db_pool_max_connections{{backend=\"{backend}\"}} {max}"
        );
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Counts and times every request, and writes one log line per request (no IP, no query string).
pub async fn track(State(metrics): State<Metrics>, req: Request<Body>, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let res = next.run(req).await;
    let elapsed = start.elapsed();
    let status = res.status().as_u16();
    metrics.observe(&method, &route, status, elapsed.as_secs_f64());
    tracing::info!(target: "mitreden::http", %method, %route, status, latency_ms = elapsed.as_secs_f64() * 1000.0, "request");
    res
}

pub async fn metrics_handler(State(state): State<crate::startup::ServerState>) -> Response {
    let mut out = state.metrics.render(&state.app.db);
    let (hits, misses) = state.pages.counts();
    out.push_str("# HELP mitreden_page_cache_total Anonymous page requests answered from the page store (hit) or rendered (miss).\n");
    out.push_str("# TYPE mitreden_page_cache_total counter\n");
    let _ = writeln!(out, "mitreden_page_cache_total{{result=\"hit\"}} {hits}");
    let _ = writeln!(out, "mitreden_page_cache_total{{result=\"miss\"}} {misses}");
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}
