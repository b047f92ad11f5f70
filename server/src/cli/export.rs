//! `mitreden export` and `mitreden seed-load`.

use anyhow::{bail, Context};

use app::export::run;

use crate::config::{ExportArgs, SeedLoadArgs};

fn split(consultation: &str) -> anyhow::Result<(&str, &str)> {
    match consultation.split_once('/') {
        Some((org, slug)) if !org.is_empty() && !slug.is_empty() && !slug.contains('/') => {
            Ok((org, slug))
        }
        _ => bail!("--consultation must be ORG/SLUG, e.g. musterstadt/verkehrsberuhigung-altstadt"),
    }
}

pub async fn run(args: &ExportArgs) -> anyhow::Result<()> {
    use app::export::{api, Request, RequestError};
    let (org, slug) = split(&args.consultation)?;
    let request = Request::parse(
        &args.kind,
        &args.format,
        &args.separator,
        if args.personal_data { "1" } else { "" },
    )
    .map_err(|e| match e {
        RequestError::Kind => anyhow::anyhow!("--kind must be contributions, responses or votes"),
        RequestError::Format => {
            anyhow::anyhow!("--format must be csv, xlsx, json, jsonl or geojson")
        }
        RequestError::Separator => anyhow::anyhow!("--separator must be comma or semicolon"),
    })?;
    let db = super::connect(&args.database).await?;
    let result = async {
        db.migrate().await.context("migrating the database")?;
        let Some(c) = app::consultation::repo::find_for_staff(&db, org, slug).await? else {
            bail!("no consultation {org}/{slug}");
        };
        let job = api::job(&db, &args.data_dir, &c, request).await?;
        api::audit(&db, &c, None, &request).await?;
        let rows = match &args.output {
            Some(path) => {
                let file = tokio::fs::File::create(path)
                    .await
                    .with_context(|| format!("creating {}", path.display()))?;
                write_to(&db, &job, file).await?
            }
            None => write_to(&db, &job, tokio::io::stdout()).await?,
        };
        Ok(rows)
    }
    .await;
    db.close().await;
    let rows = result?;
    let to = args
        .output
        .as_ref()
        .map_or("standard output".to_string(), |p| p.display().to_string());
    eprintln!("{rows} row(s) exported to {to}");
    Ok(())
}

/// Runs the export into `w` (buffered); on a terminal, stderr shows the megabytes written.
async fn write_to<W>(db: &app::db::Db, job: &run::Job, w: W) -> anyhow::Result<u64>
where
    W: tokio::io::AsyncWrite + Unpin + Send,
{
    use std::io::IsTerminal;
    let mut out = Progress {
        inner: run::Writer(tokio::io::BufWriter::new(w)),
        bytes: 0,
        shown: std::time::Instant::now(),
        on: std::io::stderr().is_terminal(),
    };
    let rows = run::to_sink(db, job, &mut out).await?;
    tokio::io::AsyncWriteExt::flush(&mut out.inner.0).await?;
    if out.on {
        eprintln!();
    }
    Ok(rows)
}

/// Counts what passes through and, on a terminal, says so at most once a second.
struct Progress<C> {
    inner: C,
    bytes: u64,
    shown: std::time::Instant,
    on: bool,
}

impl<C: run::ChunkSink> run::ChunkSink for Progress<C> {
    async fn chunk(&mut self, bytes: Vec<u8>) -> Result<(), app::export::rows::ExportError> {
        self.bytes += bytes.len() as u64;
        if self.on && self.shown.elapsed() >= std::time::Duration::from_secs(1) {
            eprint!("\r{:.1} MB written …", self.bytes as f64 / 1_048_576.0);
            self.shown = std::time::Instant::now();
        }
        self.inner.chunk(bytes).await
    }
}

/// Writes `text` (and a final newline) to a new file only its owner may read.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    writeln!(file, "{text}")
}

pub async fn seed_load(args: &SeedLoadArgs) -> anyhow::Result<()> {
    let (org, slug) = split(&args.consultation)?;
    let db = super::connect(&args.database).await?;
    let result = async {
        db.migrate().await.context("migrating the database")?;
        let Some(c) = app::consultation::repo::find_for_staff(&db, org, slug).await? else {
            bail!("no consultation {org}/{slug}");
        };
        let started = std::time::Instant::now();
        let made = app::loadgen::seed(
            &db,
            c.id,
            args.comments,
            args.votes,
            app::loadgen::Participants {
                count: args.participants,
                with_email: args.with_email,
                sessions: args.sessions.is_some(),
            },
        )
        .await?;
        if let Some(path) = &args.sessions {
            write_private(path, &made.sessions.join("\n"))
                .with_context(|| format!("writing the sessions to {}", path.display()))?;
        }
        Ok((made, started.elapsed()))
    }
    .await;
    db.close().await;
    let (made, took) = result?;
    println!(
        "{} participant(s), {} comment(s), {} vote(s) added in {:.1} s",
        made.participants,
        made.comments,
        made.votes,
        took.as_secs_f64()
    );
    Ok(())
}
