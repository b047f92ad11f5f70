//! The subcommands.

use anyhow::Context;
use app::db::{Db, PoolSettings};

use crate::config::{Command, DatabaseArgs};
use crate::startup::Application;

mod create_admin;
mod export;
mod retention;

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => {
            let app = Application::build(args).await?;
            tracing::info!(addr = %app.local_addr(), "mitreden listening");
            let digests = crate::startup::spawn_digest_task(app.state());
            let retention = crate::startup::spawn_retention_task(app.state());
            app.run_until_stopped(async move {
                shutdown_signal().await;
                digests.abort();
                retention.abort();
            })
            .await?;
            tracing::info!("mitreden stopped");
            Ok(())
        }
        Command::Migrate(args) => {
            let db = connect(&args).await?;
            db.migrate().await.context("migrating the database")?;
            db.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::SeedDemo(args) => {
            let db = connect(&args.database).await?;
            db.migrate().await.context("migrating the database")?;
            app::demo::seed(&db, &args.demo_password)
                .await
                .context("seeding demo data")?;
            db.close().await;
            println!("demo data present");
            Ok(())
        }
        Command::CreateAdmin(args) => create_admin::run(&args).await,
        Command::SendDigests(args) => send_digests(&args).await,
        Command::Export(args) => export::run(&args).await,
        Command::SeedLoad(args) => export::seed_load(&args).await,
        Command::Retention(args) => retention::run(&args).await,
    }
}

/// `mitreden send-digests`: sends the reply digests that are due now, like the task of
/// `mitreden serve` does every ten minutes (both may run at once: a digest goes out once).
async fn send_digests(args: &crate::config::SendDigestsArgs) -> anyhow::Result<()> {
    let base_url = args.base_url.trim_end_matches('/').to_string();
    let from = args
        .mail_from
        .clone()
        .unwrap_or_else(|| app::mail::default_from(&base_url));
    let mailer =
        app::mail::Mailer::new(&args.mail, &args.data_dir, &from).context("setting up mail")?;
    let db = connect(&args.database).await?;
    let result = async {
        db.migrate().await.context("migrating the database")?;
        let run = app::notify::send_digests(&db, &mailer, &base_url)
            .await
            .map_err(|_| anyhow::anyhow!("sending the digests failed (see the log)"))?;
        let alerts = app::moderation::alerts::send(&db, &mailer, &base_url)
            .await
            .map_err(|_| anyhow::anyhow!("sending the moderator alerts failed (see the log)"))?;
        println!(
            "{} moderator alert(s) sent, {} failed",
            alerts.mails, alerts.failed
        );
        Ok::<_, anyhow::Error>(run)
    }
    .await;
    db.close().await;
    let run = result?;
    println!("{} digest(s) sent, {} failed", run.mails, run.failed);
    if run.failed > 0 {
        anyhow::bail!(
            "{} digest(s) could not be sent; they are retried on the next run",
            run.failed
        );
    }
    Ok(())
}

pub async fn connect(args: &DatabaseArgs) -> anyhow::Result<Db> {
    Db::connect(
        &args.database_url,
        &PoolSettings {
            max_connections: args.db_max_connections,
        },
    )
    .await
    .context("opening the database")
}

/// Resolves on SIGINT or SIGTERM; in-flight requests then finish before the server stops.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing in-flight requests");
}
