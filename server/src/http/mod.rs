//! The HTTP layers around the app: security headers, CSRF origin check, language, metrics.

pub mod client;
pub mod csrf;
pub mod lang;
pub mod metrics;
pub mod opendata;
pub mod page_cache;
pub mod security;
