//! Security headers on every response. Pages rendered by Leptos carry a per-request nonce in
//! their Content-Security-Policy (set in `startup`); everything else gets the nonce-less policy.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

/// The policy for a page whose inline scripts carry `nonce`. No 'unsafe-inline' scripts;
/// 'wasm-unsafe-eval' lets the browser compile the app's own WebAssembly.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(n) => format!("script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_string(),
    };
    format!(
        "default-src 'self'; {scripts}; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

pub async fn security_headers(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(v) = HeaderValue::from_str(&content_security_policy(None)) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(self), interest-cohort=()",
        ),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// Server functions that take file uploads (multipart bodies).
pub const MULTIPART_ENDPOINTS: &[&str] = &["/api/upload_logo"];

/// Refuses anything but a multipart body at the upload endpoints with 415, before the server
/// function's decoder sees it (which cannot handle a missing boundary gracefully).
pub async fn require_multipart(req: Request<Body>, next: Next) -> Response {
    if MULTIPART_ENDPOINTS.contains(&req.uri().path()) && req.method() == axum::http::Method::POST {
        let ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("multipart/form-data") && ct.contains("boundary="));
        if !ok {
            return axum::response::IntoResponse::into_response(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            );
        }
    }
    next.run(req).await
}

/// A request over the body limit (413) from a browser gets a page that says so in words, with
/// the limit — not an empty answer.
pub async fn explain_too_large(
    axum::extract::State(limit): axum::extract::State<usize>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let lang = super::lang::remembered(req.headers());
    let res = next.run(req).await;
    if res.status() != axum::http::StatusCode::PAYLOAD_TOO_LARGE || !wants_html {
        return res;
    }
    let t = app::i18n::Texts::get(lang);
    let message = (t.err_request_too_large)(limit / 1024);
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{}</title></head><body><main><h1>{}</h1>\
         <p><a href=\"/\">{}</a></p></main></body></html>",
        lang.code(),
        app::ui::escape_html(&message),
        app::ui::escape_html(&message),
        app::ui::escape_html(t.back_home),
    );
    let mut out = Response::new(Body::from(html));
    *out.status_mut() = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    out
}
