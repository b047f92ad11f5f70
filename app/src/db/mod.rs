//! The storage layer: one `Db` handle over two real backends, SQLite (embedded default) and
//! PostgreSQL, chosen by the URL scheme. Domain repos write SQL once with `$N` placeholders and
//! run it on whichever pool is behind the handle via [`on_db!`]; where the dialects differ, a repo
//! matches on the backend itself. Each backend has its own migrations.

mod busy;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs the same expression against whichever pool the handle holds. The expression is compiled
/// once per backend, so binds and row types must suit both.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("unsupported database URL (expected sqlite://… or postgres://…)")]
    UnsupportedUrl,
    #[error("cannot create the directory for the SQLite database: {0}")]
    Directory(std::io::Error),
    #[error("cannot connect to the database: {0}")]
    Connect(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// How long a query waits for a connection from the pool. While the database cannot be reached
/// (the pool keeps trying to connect meanwhile) every request fails after this long, answered
/// with 503 (see `AppError::Unavailable`): short, so that nobody waits long for that, but long
/// enough that a burst of requests queueing for a connection is not refused.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

/// The upper bound of [`Db::ping`].
pub const PING_TIMEOUT: Duration = Duration::from_secs(3);

pub struct PoolSettings {
    pub max_connections: u32,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: 10,
        }
    }
}

impl Db {
    pub async fn connect(url: &str, settings: &PoolSettings) -> Result<Db, DbSetupError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(DbSetupError::Connect)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            if let Some(parent) = options.get_filename().parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(DbSetupError::Directory)?;
                }
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(settings.max_connections)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .after_connect(|conn, _| Box::pin(busy::install(conn)))
                .connect_with(options)
                .await
                .map_err(DbSetupError::Connect)?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(settings.max_connections)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                // An acknowledged write is on disk, whatever the server's configuration says:
                // with asynchronous commit a PostgreSQL crash or immediate stop loses the
                // commits of the last moments, which people were told were saved.
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        sqlx::Executor::execute(conn, "SET synchronous_commit = on").await?;
                        Ok(())
                    })
                })
                .connect(url)
                .await
                .map_err(DbSetupError::Connect)?;
            Ok(Db::Postgres(pool))
        } else {
            Err(DbSetupError::UnsupportedUrl)
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn migrate(&self) -> Result<(), DbSetupError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Answers whether the database responds, for /healthz: within [`PING_TIMEOUT`], also when
    /// a connection hangs rather than fails.
    pub async fn ping(&self) -> bool {
        let ping = async {
            on_db!(self, |pool| sqlx::query("SELECT 1")
                .execute(pool)
                .await
                .is_ok())
        };
        tokio::time::timeout(PING_TIMEOUT, ping)
            .await
            .unwrap_or(false)
    }

    /// Pool gauges for /metrics: (open connections, idle connections, maximum).
    pub fn pool_stats(&self) -> (u32, usize, u32) {
        on_db!(self, |pool| (
            pool.size(),
            pool.num_idle(),
            pool.options().get_max_connections()
        ))
    }

    pub async fn close(&self) {
        on_db!(self, |pool| pool.close().await)
    }
}

/// Seconds since the Unix epoch: all timestamps are stored as integers, the same on both backends.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Whether an error is a unique-constraint violation (one person, one vote; unique slugs).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

/// Placeholders `$first, $first+1, …` for `n` bound values of an `IN (…)` list (every value bound,
/// never pasted into the SQL).
pub fn in_list(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod in_list_tests {
    #[test]
    fn numbers_the_placeholders_from_first() {
        assert_eq!(super::in_list(2, 3), "$2, $3, $4");
        assert_eq!(super::in_list(1, 1), "$1");
    }
}
