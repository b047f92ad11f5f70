//! Chooses the language of a request: `?lang=` (remembered in a cookie), the cookie, then
//! Accept-Language, then German. The choice travels as a request extension to the app.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

use app::i18n::Lang;

const COOKIE: &str = "mitreden_lang";

/// The language a request asks for without `?lang=`: the cookie, then Accept-Language, then German.
pub fn remembered(headers: &axum::http::HeaderMap) -> Lang {
    app::cookies::cookie_value(headers, COOKIE)
        .and_then(Lang::from_code)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

pub async fn negotiate_language(mut req: Request<Body>, next: Next) -> Response {
    let from_query = req.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::from_code(v))
    });
    let from_cookie = app::cookies::cookie_value(req.headers(), COOKIE).and_then(Lang::from_code);
    let lang = from_query.unwrap_or_else(|| remembered(req.headers()));
    req.extensions_mut().insert(lang);
    let mut res = next.run(req).await;
    if let Some(chosen) = from_query {
        if from_cookie != Some(chosen) {
            let cookie = format!(
                "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                chosen.code()
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
        }
    }
    res.headers_mut().append(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    res
}
