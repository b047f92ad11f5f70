//! Security headers on every response. Pages rendered by Leptos carry a per-request nonce in
//! their Content-Security-Policy (set in `startup`); everything else gets the nonce-less policy.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

/// The policy for a page whose inline scripts carry `nonce`. No 'unsafe-inline' scripts;
/// 'wasm-unsafe-eval' lets the browser compile the app's own WebAssembly. `tiles` is the origin
/// of the configured map tile server (see [`tile_origin`]): the one other place images may come
/// from.
pub fn content_security_policy(nonce: Option<&str>, tiles: Option<&str>) -> String {
    let scripts = match nonce {
        Some(n) => format!("script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_string(),
    };
    let images = match tiles {
        Some(origin) => format!("img-src 'self' data: {origin}"),
        None => "img-src 'self' data:".to_string(),
    };
    format!(
        "default-src 'self'; {scripts}; style-src 'self'; {images}; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The origin of a tile URL template as a CSP source (`https://tile.openstreetmap.org`; a
/// `{s}` subdomain becomes `*`); `None` for an empty or unusable template.
pub fn tile_origin(template: &str) -> Option<String> {
    let (scheme, rest) = template.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split('/').next()?;
    let host = match host.strip_prefix("{s}.") {
        Some(rest) => format!("*.{rest}"),
        None => host.to_string(),
    };
    let bare = host.strip_prefix("*.").unwrap_or(&host);
    let ok = !bare.is_empty()
        && bare
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    ok.then(|| format!("{scheme}://{host}"))
}

pub async fn security_headers(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    // A 304's headers replace the stored page's in the browser's cache: a policy here would
    // replace the one whose nonce the stored page's scripts carry.
    let not_modified = res.status() == axum::http::StatusCode::NOT_MODIFIED;
    let h = res.headers_mut();
    if !not_modified && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(v) = HeaderValue::from_str(&content_security_policy(None, None)) {
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
pub const MULTIPART_ENDPOINTS: &[&str] = &["/api/upload_logo", "/api/upload_consultation_file"];

/// How large request bodies may be: uploads, and everything else.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimits {
    pub default: usize,
    pub upload: usize,
}

impl BodyLimits {
    pub fn new(default: usize) -> Self {
        BodyLimits {
            default,
            // Uploads over a file's own limit (but not far over) are read to the end and refused
            // in the form with a specific message; only beyond this the request itself is cut.
            upload: default.max(4 * app::consultation::documents::MAX_ATTACHMENT_BYTES),
        }
    }

    fn for_path(&self, path: &str) -> usize {
        if MULTIPART_ENDPOINTS.contains(&path) {
            self.upload
        } else {
            self.default
        }
    }
}

/// Cuts request bodies at their path's limit: 413 at once when the declared length is over it,
/// and a body error (which the server function answers) when a body without one runs over.
pub async fn limit_body(
    axum::extract::State(limits): axum::extract::State<BodyLimits>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let limit = limits.for_path(req.uri().path());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return axum::response::IntoResponse::into_response(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        );
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

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
    axum::extract::State(limits): axum::extract::State<BodyLimits>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let limit = limits.for_path(req.uri().path());
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
         <p><a href=\"/\">{}</a></p></main>{}</body></html>",
        lang.code(),
        app::ui::escape_html(&message),
        app::ui::escape_html(&message),
        app::ui::escape_html(t.back_home),
        app::legal::views::plain_footer_html(lang),
    );
    let mut out = Response::new(Body::from(html));
    *out.status_mut() = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_tile_server_joins_the_image_sources() {
        assert_eq!(
            tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://tile.openstreetmap.org")
        );
        assert_eq!(
            tile_origin("https://{s}.tiles.example.de:8443/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tiles.example.de:8443")
        );
        for bad in [
            "",
            "tile.example.de/{z}/{x}/{y}",
            "javascript://x/{z}",
            "https://{z}.example.de/{x}/{y}",
            "https:///{z}/{x}/{y}",
            "https://a b/{z}",
        ] {
            assert_eq!(tile_origin(bad), None, "{bad}");
        }
        let csp = content_security_policy(Some("n0nce"), Some("https://tile.openstreetmap.org"));
        assert!(
            csp.contains("img-src 'self' data: https://tile.openstreetmap.org;"),
            "{csp}"
        );
        assert!(content_security_policy(None, None).contains("img-src 'self' data:;"));
    }
}
