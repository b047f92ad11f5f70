//! Command line and configuration: flags override MITREDEN_* environment variables, which
//! override the defaults of shared/CONTRACT.md.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "mitreden", version, about = "Mitreden – digital citizen participation", long_about = None)]
pub struct Cli {
    /// Log format.
    #[arg(long, env = "MITREDEN_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

// Parsed once at start-up: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (runs pending migrations first).
    Serve(ServeArgs),
    /// Run pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Create the demo organisations, accounts, consultations and comments that are missing
    /// (idempotent).
    SeedDemo(SeedArgs),
    /// Create an instance administrator (or make an existing account one); password from stdin.
    ///
    /// The password is the first line of stdin, e.g.
    /// `echo 'long password' | mitreden create-admin --email you@example.org`; it must meet the
    /// registration rules (10 to 128 characters, not a common password). Runs pending migrations
    /// first. Instance admins set up two-factor sign-in at /account on their first sign-in.
    CreateAdmin(CreateAdminArgs),
    /// Send the daily digests of replies that are due now (what `serve` does every ten minutes).
    ///
    /// Each account that chose the daily digest gets at most one mail a day with the replies
    /// queued since its last one. Safe to run while app instances run (a digest goes out once).
    SendDigests(SendDigestsArgs),
    /// Export a consultation's contributions, questionnaire responses or votes.
    ///
    /// Streams from the database in constant memory. Participants appear under pseudonymous ids
    /// (stable within the consultation); `--personal-data` adds their display names. E-mail
    /// addresses are never exported. The export is written to the audit log.
    Export(ExportArgs),
    /// Add synthetic participants, comments, replies and support votes to a consultation, for
    /// benchmarks and load tests (never on a production database).
    SeedLoad(SeedLoadArgs),
    /// Remove personal data past its retention period; prints a count per kind.
    ///
    /// Past a consultation's period (the instance setting, 12 months after the end by default,
    /// or the consultation's shorter one): e-mail addresses of participants without password and
    /// the link between access codes and their holders. Always: rate-limit keys older than a day,
    /// expired sessions and tokens, accounts never confirmed after 30 days, contact addresses of
    /// barrier reports 30 days after the answer. Contributions and votes stay. Works in small
    /// batches while the site runs; a second run removes nothing more. `serve` runs the same
    /// once a day unless an instance admin switched that off.
    Retention(RetentionArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The consultation as ORG/SLUG, e.g. musterstadt/verkehrsberuhigung-altstadt.
    #[arg(long)]
    pub consultation: String,
    /// csv, xlsx (every kind, one sheet each), json (one array), jsonl (JSON lines) or geojson
    /// (the area and the pinned contributions).
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// contributions, responses or votes (csv, json, jsonl).
    #[arg(long, default_value = "contributions")]
    pub kind: String,
    /// CSV separator: comma, or semicolon for spreadsheets with German settings.
    #[arg(long, default_value = "comma")]
    pub separator: String,
    /// Add the participants' display names.
    #[arg(long)]
    pub personal_data: bool,
    /// Where to write; standard output when left out.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Data directory (XLSX is built in DATA_DIR/tmp).
    #[arg(long, env = "MITREDEN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct SeedLoadArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The consultation as ORG/SLUG.
    #[arg(long)]
    pub consultation: String,
    /// How many comments (about a fifth of them replies).
    #[arg(long)]
    pub comments: u64,
    /// How many support votes, spread over the comments (one per participant and comment).
    #[arg(long, default_value_t = 0)]
    pub votes: u64,
    /// How many participants write them (default: a fifth of the comments, 50 to 20,000).
    #[arg(long)]
    pub participants: Option<u64>,
    /// Give the participants confirmed e-mail addresses (…@example.invalid), like participants
    /// who signed in by e-mail link: for timing `mitreden retention`.
    #[arg(long)]
    pub with_email: bool,
    /// Sign the participants in and write their session cookies to FILE, one
    /// `mitreden_session=…` per line (readable by the owner only, valid two hours): for load
    /// tests that write through HTTP. Needs --with-email (the consultations' account rule).
    #[arg(long, value_name = "FILE", requires = "with_email")]
    pub sessions: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct RetentionArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Count what would be removed and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Measure the periods as of this day (YYYY-MM-DD, midnight UTC) instead of now — to see
    /// what a later run will remove.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SendDigestsArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Public origin of the site, for the links in the mails.
    #[arg(
        long,
        env = "MITREDEN_BASE_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub base_url: String,
    /// Directory of the mail outbox (with MITREDEN_MAIL=file).
    #[arg(long, env = "MITREDEN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Outgoing mail: `file` (.eml files in DATA_DIR/outbox) or an smtp:// / smtps:// URL.
    #[arg(
        long,
        env = "MITREDEN_MAIL",
        default_value = "file",
        hide_env_values = true
    )]
    pub mail: String,
    /// Sender of outgoing mail. Default: Mitreden <noreply@HOST of the base URL>.
    #[arg(long, env = "MITREDEN_MAIL_FROM")]
    pub mail_from: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database URL: sqlite://PATH (embedded, default) or postgres://USER@HOST:PORT/DB.
    #[arg(
        long,
        env = "MITREDEN_DATABASE_URL",
        default_value = "sqlite://data/mitreden.db"
    )]
    pub database_url: String,
    /// Maximum number of pooled database connections per app instance.
    #[arg(long, env = "MITREDEN_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,
}

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Password of the demo accounts (only set when an account is created).
    #[arg(
        long,
        env = "MITREDEN_DEMO_PASSWORD",
        default_value = "demo-passwort-2026",
        hide_default_value = false
    )]
    pub demo_password: String,
}

#[derive(Debug, Clone, Args)]
pub struct CreateAdminArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// E-mail address of the administrator. A new account is created (verified, display name
    /// "Administration"); an existing one gets the new password, a verified address and the
    /// instance-admin flag.
    #[arg(long)]
    pub email: String,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MITREDEN_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Public origin of the site: used in links in e-mails and for the CSRF origin check.
    /// Default: http://127.0.0.1:3000, or http://ADDR when --addr names a specific host.
    #[arg(long, env = "MITREDEN_BASE_URL")]
    pub base_url: Option<String>,
    /// Directory for uploads, the mail outbox and generated files.
    #[arg(long, env = "MITREDEN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Directory with the built site (wasm, JS, CSS, assets).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Outgoing mail: `file` writes .eml files to DATA_DIR/outbox; `smtp://user:pass@host:587`
    /// (STARTTLS) or `smtps://user:pass@host:465` sends them.
    #[arg(
        long,
        env = "MITREDEN_MAIL",
        default_value = "file",
        hide_env_values = true
    )]
    pub mail: String,
    /// Sender of outgoing mail. Default: Mitreden <noreply@HOST of the base URL>.
    #[arg(long, env = "MITREDEN_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Reverse proxies whose X-Forwarded-For is believed (comma-separated IP addresses). Without
    /// one, the peer address counts.
    #[arg(long, env = "MITREDEN_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// MaxMind-format country database for statistics; default: the bundled public-domain one.
    #[arg(long, env = "MITREDEN_GEOIP_DB")]
    pub geoip_db: Option<PathBuf>,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "MITREDEN_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,
    /// Map tiles: an http(s) URL template with {z}, {x} and {y} (and optionally {s}). The
    /// browser loads tiles from there (and only from there), so it is a third party that sees
    /// the readers' addresses. Empty: no tiles; the maps show the area on a plain background.
    #[arg(long, env = "MITREDEN_TILE_URL", default_value = DEFAULT_TILE_URL)]
    pub tile_url: String,
    /// The attribution the tile server asks for, as plain text (shown on every map).
    #[arg(
        long,
        env = "MITREDEN_TILE_ATTRIBUTION",
        default_value = DEFAULT_TILE_ATTRIBUTION
    )]
    pub tile_attribution: String,
}

/// OpenStreetMap's own tile server (its usage policy asks for the attribution below).
pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
pub const DEFAULT_TILE_ATTRIBUTION: &str = "© OpenStreetMap contributors";

impl ServeArgs {
    /// The tile URL template, checked: empty, or http(s) with {z}, {x} and {y} and a host the
    /// Content-Security-Policy can name.
    pub fn checked_tile_url(&self) -> anyhow::Result<String> {
        let url = self.tile_url.trim();
        if url.is_empty() {
            return Ok(String::new());
        }
        let placeholders = ["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p));
        let clean = !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>;,\\".contains(c));
        if !placeholders || !clean || crate::http::security::tile_origin(url).is_none() {
            anyhow::bail!(
                "MITREDEN_TILE_URL must be empty or an http(s) URL template with {{z}}, {{x}} and {{y}}, \
                 such as https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png"
            );
        }
        Ok(url.to_string())
    }

    /// The base URL without a trailing slash, checked to be an http(s) origin. Without one
    /// configured, the listen address is the origin (127.0.0.1 for a wildcard address), so that
    /// instances side by side on other ports work without more settings.
    pub fn normalised_base_url(&self) -> anyhow::Result<String> {
        let url = match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None if self.addr.ip().is_unspecified() => {
                format!("http://127.0.0.1:{}", self.addr.port())
            }
            None => format!("http://{}", self.addr),
        };
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| {
                anyhow::anyhow!("MITREDEN_BASE_URL must start with http:// or https://")
            })?;
        if rest.is_empty() || rest.contains('/') {
            anyhow::bail!("MITREDEN_BASE_URL must be an origin such as https://beteiligung.example.de (no path)");
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve_args(extra: &[&str]) -> ServeArgs {
        let mut argv = vec!["mitreden", "serve"];
        argv.extend_from_slice(extra);
        match Cli::try_parse_from(argv).expect("arguments parse").command {
            Command::Serve(args) => args,
            other => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn tiles_default_to_openstreetmap_and_can_be_switched_off_or_replaced() {
        assert_eq!(
            serve_args(&[]).checked_tile_url().unwrap(),
            DEFAULT_TILE_URL
        );
        assert_eq!(
            serve_args(&["--tile-url", ""]).checked_tile_url().unwrap(),
            ""
        );
        let own = "https://{s}.karte.example.de/tiles/{z}/{x}/{y}.png";
        assert_eq!(
            serve_args(&["--tile-url", own]).checked_tile_url().unwrap(),
            own
        );
        for bad in [
            "https://karte.example.de/tiles.png",
            "ftp://karte.example.de/{z}/{x}/{y}.png",
            "https://karte.example.de/{z}/{x}/{y}.png' onerror='x",
        ] {
            assert!(
                serve_args(&["--tile-url", bad]).checked_tile_url().is_err(),
                "{bad}"
            );
        }
    }
}
