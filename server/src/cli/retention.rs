//! `mitreden retention`: applies the retention periods now or as of a given day.

use anyhow::Context;

/// The `--as-of` day as unix seconds (midnight UTC).
fn parse_day(raw: &str) -> anyhow::Result<i64> {
    let parts: Vec<&str> = raw.trim().split('-').collect();
    let bad = || anyhow::anyhow!("--as-of must be a date like 2027-12-31, not {raw:?}");
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (y, m, d): (i64, u32, u32) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    let days = app::i18n::days_from_civil(y, m, d);
    // 2027-02-31 is not a day: it must come back as itself.
    if !(1..=12).contains(&m) || app::i18n::civil_from_days(days) != (y, m, d) {
        return Err(bad());
    }
    Ok(days * 86_400)
}

/// `mitreden retention`: removes (or with --dry-run counts) personal data past its period.
pub async fn run(args: &crate::config::RetentionArgs) -> anyhow::Result<()> {
    let as_of = match &args.as_of {
        Some(raw) => parse_day(raw)?,
        None => app::db::now(),
    };
    let db = super::connect(&args.database).await?;
    let result = async {
        db.migrate().await.context("migrating the database")?;
        let started = std::time::Instant::now();
        let counts = app::legal::retention::run(
            &db,
            app::legal::retention::Options {
                as_of,
                dry_run: args.dry_run,
            },
        )
        .await
        .context("applying the retention periods")?;
        Ok::<_, anyhow::Error>((counts, started.elapsed()))
    }
    .await;
    db.close().await;
    let (counts, took) = result?;
    let verb = if args.dry_run {
        "would remove"
    } else {
        "removed"
    };
    println!("retention as of {} ({verb}):", app::i18n::iso_date(as_of));
    for (kind, n) in counts.lines() {
        println!("  {kind}: {n}");
    }
    println!("done in {:.1} s", took.as_secs_f64());
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn as_of_takes_real_days_only() {
        assert_eq!(super::parse_day("1970-01-02").unwrap(), 86_400);
        assert!(super::parse_day("2027-02-31").is_err());
        assert!(super::parse_day("2027-13-01").is_err());
        assert!(super::parse_day("27-1-1").is_err());
        assert!(super::parse_day("tomorrow").is_err());
    }
}
