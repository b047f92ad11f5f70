//! Chooses the language of a request: `?lang=` (remembered in a cookie), the cookie, then
//! Accept-Language, then German. The choice travels as a request extension to the app.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

use app::i18n::Lang;

const COOKIE: &str = "mitreden_lang";

pub async fn negotiate_language(mut req: Request<Body>, next: Next) -> Response {
    let from_query = req.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::from_code(v))
    });
    let headers = req.headers();
    let from_cookie = app::cookies::cookie_value(headers, COOKIE).and_then(Lang::from_code);
    let from_header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language);
    let lang = from_query
        .or(from_cookie)
        .or(from_header)
        .unwrap_or_default();
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
