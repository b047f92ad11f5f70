//! Structured logs, set up once at start-up. Logs never contain IP addresses, e-mail addresses,
//! tokens, passwords or the text of contributions: our own events carry ids and counts only, and
//! the HTML parser behind the sanitiser (which traces the text it parses) is held at `warn`
//! whatever `MITREDEN_LOG` asks for.

use tracing_subscriber::{fmt, EnvFilter};

use crate::config::LogFormat;

pub fn init(format: LogFormat) {
    let mut filter = EnvFilter::try_from_env("MITREDEN_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    for quiet in ["html5ever=warn", "markup5ever=warn"] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second init (tests spawn many apps in one process) is harmless: keep the first.
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
