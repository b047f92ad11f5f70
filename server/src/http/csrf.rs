//! CSRF protection: a state-changing request (any method but GET/HEAD/OPTIONS, server functions
//! included) is refused unless the browser says it comes from our own origin. Browsers send
//! `Origin` on every cross-origin and same-origin POST, and `Sec-Fetch-Site` on secure contexts;
//! a request with neither is not from a browser form of ours and is refused too.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Clone)]
pub struct AllowedOrigin(pub Arc<str>);

pub fn is_allowed(
    method: &Method,
    origin: Option<&str>,
    fetch_site: Option<&str>,
    allowed: &str,
) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    match (origin, fetch_site) {
        // `null` is what sandboxed frames and some redirects send: never ours.
        (Some(origin), _) => origin.trim_end_matches('/').eq_ignore_ascii_case(allowed),
        (None, Some(site)) => site == "same-origin",
        (None, None) => false,
    }
}

/// The one request that needs no origin: the one-click unsubscribe of RFC 8058, which mail
/// providers POST to the link of a notification mail without `Origin`. The token in the link is
/// its authorisation, and all it can do is turn the account's reply notifications off.
pub fn is_exempt(method: &Method, path: &str) -> bool {
    *method == Method::POST && path == app::notify::UNSUBSCRIBE_PATH
}

pub async fn csrf_guard(
    State(allowed): State<AllowedOrigin>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if is_exempt(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if is_allowed(req.method(), origin, fetch_site, &allowed.0) {
        next.run(req).await
    } else {
        tracing::warn!(method = %req.method(), origin = origin.unwrap_or("-"), fetch_site = fetch_site.unwrap_or("-"), "cross-site request refused");
        let lang = req
            .extensions()
            .get::<app::i18n::Lang>()
            .copied()
            .unwrap_or_default();
        let message = app::i18n::Texts::get(lang).csrf_refused;
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "https://beteiligung.example.de";

    #[test]
    fn reads_are_always_allowed() {
        assert!(is_allowed(
            &Method::GET,
            Some("https://evil.example"),
            Some("cross-site"),
            ME
        ));
    }

    #[test]
    fn writes_need_our_origin() {
        assert!(is_allowed(&Method::POST, Some(ME), None, ME));
        assert!(is_allowed(
            &Method::POST,
            Some("https://Beteiligung.example.de"),
            Some("same-origin"),
            ME
        ));
        assert!(!is_allowed(
            &Method::POST,
            Some("https://evil.example"),
            Some("same-origin"),
            ME
        ));
        assert!(!is_allowed(&Method::POST, Some("null"), None, ME));
        assert!(!is_allowed(
            &Method::DELETE,
            Some("http://beteiligung.example.de"),
            None,
            ME
        ));
    }

    #[test]
    fn only_the_one_click_unsubscribe_post_is_exempt() {
        assert!(is_exempt(&Method::POST, "/notifications/unsubscribe"));
        assert!(!is_exempt(&Method::PUT, "/notifications/unsubscribe"));
        assert!(!is_exempt(&Method::POST, "/notifications/unsubscribe/"));
        assert!(!is_exempt(
            &Method::POST,
            "/api/unsubscribe_reply_notifications"
        ));
        assert!(!is_exempt(&Method::POST, "/api/set_reply_notifications"));
    }

    #[test]
    fn without_origin_only_same_origin_fetches_pass() {
        assert!(is_allowed(&Method::POST, None, Some("same-origin"), ME));
        assert!(!is_allowed(&Method::POST, None, Some("same-site"), ME));
        assert!(!is_allowed(&Method::POST, None, Some("cross-site"), ME));
        assert!(!is_allowed(&Method::POST, None, None, ME));
    }
}
