//! `mitreden retention`: past its period personal data goes — exactly the listed kinds — while
//! contributions, votes and results stay; `--dry-run` changes nothing; a second run changes
//! nothing; the daily job of `serve` runs once a day unless switched off.

use crate::common::TestApp;
use crate::reports::scalar;

const DAY: i64 = 86_400;

async fn id_of(app: &TestApp, slug: &str) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT id FROM consultations WHERE slug = $1"
    )
    .bind(slug)
    .fetch_one(pool)
    .await)
    .unwrap()
}

/// A participant without password who confirmed `email` (an e-mail-link participant).
async fn link_participant(app: &TestApp, name: &str, email: &str) -> i64 {
    let id = app::participation::repo::create_participant(&app.db, Some(email), name)
        .await
        .unwrap()
        .unwrap();
    app::account::repo::mark_verified(&app.db, id)
        .await
        .unwrap();
    id
}

async fn add_comment(app: &TestApp, consultation: i64, author: i64, name: &str) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(
        "INSERT INTO comments (consultation_id, author_user_id, author_name, body, body_html, status, created_at) \
         VALUES ($1, $2, $3, 'Mehr Bänke bitte', '<p>Mehr Bänke bitte</p>', 'published', $4) RETURNING id"
    )
    .bind(consultation)
    .bind(author)
    .bind(name)
    .bind(app::db::now())
    .fetch_one(pool)
    .await)
    .unwrap()
}

async fn run_sql(app: &TestApp, sql: &str, binds: &[i64]) {
    app::on_db!(&app.db, |pool| {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.execute(pool).await.map(|_| ())
    })
    .unwrap();
}

async fn email_of(app: &TestApp, user: i64) -> Option<String> {
    app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, Option<String>>(
        "SELECT email FROM users WHERE id = $1"
    )
    .bind(user)
    .fetch_one(pool)
    .await)
    .unwrap()
}

/// Runs `mitreden retention` on the app's database; the count printed per kind.
fn retention(app: &TestApp, args: &[&str]) -> Vec<(String, u64)> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mitreden"))
        .arg("retention")
        .args(args)
        .args(["--database-url", &app.database_url])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .filter_map(|l| {
            let (kind, n) = l.trim().rsplit_once(": ")?;
            Some((kind.to_string(), n.parse().ok()?))
        })
        .collect()
}

fn count(counts: &[(String, u64)], kind: &str) -> u64 {
    counts
        .iter()
        .find(|(k, _)| k == kind)
        .map(|(_, n)| *n)
        .unwrap_or_else(|| panic!("{kind} not printed: {counts:?}"))
}

/// Everything that must survive retention: contributions, votes, responses, and the published
/// results as the public sees them.
async fn lasting(app: &TestApp) -> (i64, i64, i64, String) {
    let n = |sql: &'static str| scalar(app, sql, 0);
    (
        n("SELECT COUNT(*) FROM comments WHERE id > $1").await,
        n("SELECT COUNT(*) FROM comment_votes WHERE comment_id > $1").await,
        n("SELECT COUNT(*) FROM questionnaire_responses WHERE id > $1").await,
        app.get("/api/v1/consultations/musterstadt/spielplatz-lindenpark/results")
            .await
            .body,
    )
}

/// Everything retention may touch, to compare before and after a dry run.
async fn personal(app: &TestApp) -> Vec<i64> {
    let n = |sql: &'static str| scalar(app, sql, 0);
    vec![
        n("SELECT COUNT(*) FROM users WHERE email IS NOT NULL AND id > $1").await,
        n("SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL AND id > $1").await,
        n("SELECT COUNT(*) FROM access_codes WHERE user_id IS NOT NULL AND id > $1").await,
        n("SELECT COUNT(*) FROM sessions WHERE user_id > $1").await,
        n("SELECT COUNT(*) FROM account_tokens WHERE user_id > $1").await,
        n("SELECT COUNT(*) FROM rate_counters WHERE hits > $1").await,
        n("SELECT COUNT(*) FROM barrier_reports WHERE contact_email IS NOT NULL AND id > $1").await,
    ]
}

async fn past_its_period_personal_data_goes_and_contributions_stay(app: &TestApp) {
    let now = app::db::now();
    let lindenpark = id_of(app, "spielplatz-lindenpark").await; // closed 60 days ago
    let altstadt = id_of(app, "verkehrsberuhigung-altstadt").await; // open for a year
                                                                    // Only in Lindenpark: past its period in 13 months. Also in Altstadt: not yet then.
    let gone = link_participant(app, "Nur Lindenpark", "nur-lindenpark@example.org").await;
    let kept = link_participant(app, "Auch Altstadt", "auch-altstadt@example.org").await;
    let c1 = add_comment(app, lindenpark, gone, "Nur Lindenpark").await;
    add_comment(app, lindenpark, kept, "Auch Altstadt").await;
    add_comment(app, altstadt, kept, "Auch Altstadt").await;
    run_sql(
        app,
        "INSERT INTO comment_votes (comment_id, user_id, value, created_at) VALUES ($1, $2, 1, $3)",
        &[c1, kept, now],
    )
    .await;
    // The demo resident has a password: an account of her own, never touched by retention.
    let anna = app.login_cookie("anna@example.org").await;
    assert!(!anna.is_empty());
    // A session and a sign-in link of the participant who goes.
    app::account::tokens::issue(&app.db, gone, app::account::tokens::Purpose::MagicLink)
        .await
        .unwrap();
    run_sql(
        app,
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, pending_second_factor) \
         VALUES ('retention-test-session', $1, $2, $2, $3, FALSE)",
        &[gone, now, now + 3600],
    )
    .await;
    // An access code of a consultation that closed 50 days ago, redeemed.
    let coded = app
        .musterstadt_consultation(
            "spielstrasse-alt",
            "Spielstraße (abgeschlossen)",
            (Some(now - 100 * DAY), Some(now - 50 * DAY)),
            app::participation::Rule::Code,
        )
        .await;
    let holder = app::participation::repo::create_participant(&app.db, None, "Codeinhaberin")
        .await
        .unwrap()
        .unwrap();
    app::participation::repo::insert_codes(&app.db, coded, &["code-hash-retention".to_string()])
        .await
        .unwrap();
    assert!(
        app::participation::repo::redeem(&app.db, coded, "code-hash-retention", holder)
            .await
            .unwrap()
    );
    // An account never confirmed.
    let unconfirmed = app::account::repo::create(
        &app.db,
        &app::account::repo::NewUser {
            email: &app::account::Email::parse("nie-bestaetigt@example.org").unwrap(),
            display_name: "Nie Bestätigt",
            password_hash: "!",
            verified: false,
            is_instance_admin: false,
        },
    )
    .await
    .unwrap()
    .unwrap();
    // Barrier reports: one answered (its address goes), one open (its address stays).
    for (address, status) in [
        ("beantwortet@example.org", "answered"),
        ("offen@example.org", "open"),
    ] {
        app::on_db!(&app.db, |pool| sqlx::query(
            "INSERT INTO barrier_reports (page_url, description, contact_email, lang, status, created_at, answered_at) \
             VALUES ('/', 'Kontrast', $1, 'de', $2, $3, $4)"
        )
        .bind(address)
        .bind(status)
        .bind(now)
        .bind((status == "answered").then_some(now))
        .fetch_all(pool)
        .await
        .map(|_| ()))
        .unwrap();
    }
    // More participants than one batch holds, all past their period then.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mitreden"))
        .args([
            "seed-load",
            "--consultation",
            "musterstadt/spielplatz-lindenpark",
            "--comments",
            "1100",
            "--participants",
            "1100",
            "--with-email",
            "--database-url",
            &app.database_url,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let before = lasting(app).await;
    let untouched = personal(app).await;
    let in_13_months = app::i18n::iso_date(now + 396 * DAY);

    // Today: the participants' periods have not passed; nothing of theirs goes.
    let today = retention(app, &["--dry-run"]);
    assert_eq!(count(&today, "participant e-mail addresses"), 0);
    assert_eq!(count(&today, "access code links"), 0);
    assert_eq!(count(&today, "unverified accounts"), 0);

    // A dry run in 13 months: counts, changes nothing.
    let dry = retention(app, &["--dry-run", "--as-of", &in_13_months]);
    assert_eq!(count(&dry, "participant e-mail addresses"), 1101);
    assert_eq!(count(&dry, "access code links"), 1);
    assert_eq!(count(&dry, "unverified accounts"), 1);
    assert_eq!(count(&dry, "barrier report contact addresses"), 1);
    assert!(count(&dry, "expired sessions") >= 2);
    assert!(count(&dry, "expired tokens") >= 1);
    assert!(count(&dry, "rate-limit keys") >= 1);
    assert_eq!(
        personal(app).await,
        untouched,
        "a dry run changed something"
    );

    // The run: the same counts, and exactly these rows changed.
    let run = retention(app, &["--as-of", &in_13_months]);
    assert_eq!(run, dry);
    assert_eq!(email_of(app, gone).await, None);
    assert_eq!(
        email_of(app, kept).await.as_deref(),
        Some("auch-altstadt@example.org")
    );
    assert!(app::account::repo::find_id_by_email(
        &app.db,
        &app::account::Email::parse("anna@example.org").unwrap()
    )
    .await
    .unwrap()
    .is_some());
    let holders = scalar(
        app,
        "SELECT COUNT(*) FROM access_codes WHERE consultation_id = $1 AND user_id IS NOT NULL",
        coded,
    )
    .await;
    assert_eq!(holders, 0);
    // The redeemed code stays used: it cannot be redeemed again.
    assert!(
        !app::participation::repo::code_is_free(&app.db, coded, "code-hash-retention")
            .await
            .unwrap()
    );
    let deleted = scalar(
        app,
        "SELECT COUNT(*) FROM users WHERE id = $1 AND deleted_at IS NOT NULL AND email IS NULL",
        unconfirmed,
    )
    .await;
    assert_eq!(deleted, 1);
    let open_contact = scalar(
        app,
        "SELECT COUNT(*) FROM barrier_reports WHERE contact_email = 'offen@example.org' AND id > $1",
        0,
    )
    .await;
    assert_eq!(open_contact, 1);
    let sessions = scalar(
        app,
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1",
        gone,
    )
    .await;
    assert_eq!(sessions, 0);
    // Contributions, votes and results as before; the comment keeps its pseudonym.
    assert_eq!(lasting(app).await, before);
    let name = app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT author_name FROM comments WHERE id = $1"
    )
    .bind(c1)
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(name, "Nur Lindenpark");
    // Recorded once in the instance's log.
    let runs = scalar(
        app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'retention_run' AND id > $1",
        0,
    )
    .await;
    assert_eq!(runs, 1);

    // A second run changes nothing and records nothing.
    let after = personal(app).await;
    let again = retention(app, &["--as-of", &in_13_months]);
    assert!(again.iter().all(|(_, n)| *n == 0), "{again:?}");
    assert_eq!(personal(app).await, after);
    let runs = scalar(
        app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'retention_run' AND id > $1",
        0,
    )
    .await;
    assert_eq!(runs, 1);
}

async fn a_shorter_consultation_period_counts_and_the_daily_job_runs_once(app: &TestApp) {
    let now = app::db::now();
    let lindenpark = id_of(app, "spielplatz-lindenpark").await; // closed 60 days ago
    let p = link_participant(app, "Kurze Frist", "kurze-frist@example.org").await;
    add_comment(app, lindenpark, p, "Kurze Frist").await;
    // Created long ago (the instance's period counts from sign-up too).
    run_sql(
        app,
        "UPDATE users SET created_at = $1 WHERE id = $2",
        &[now - 400 * DAY, p],
    )
    .await;
    // The instance keeps 12 months: not yet.
    assert!(app::legal::retention::daily(&app.db, now)
        .await
        .unwrap()
        .is_some());
    assert!(email_of(app, p).await.is_some());
    // Lindenpark's own period of one month has passed: the daily job removes the address — but
    // only on the next day: today's run is done.
    run_sql(
        app,
        "UPDATE consultations SET retention_months = 1 WHERE id = $1",
        &[lindenpark],
    )
    .await;
    assert!(app::legal::retention::daily(&app.db, now)
        .await
        .unwrap()
        .is_none());
    assert!(email_of(app, p).await.is_some());
    let counts = app::legal::retention::daily(&app.db, now + DAY)
        .await
        .unwrap()
        .expect("the next day's run");
    assert_eq!(counts.participant_emails, 1);
    assert!(email_of(app, p).await.is_none());
    // Switched off by an admin: it does not run.
    let admin = app::account::repo::find_id_by_email(
        &app.db,
        &app::account::Email::parse("admin@example.org").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    app::legal::repo::save_settings(
        &app.db,
        &app::legal::InstanceSettings {
            retention_months: 12,
            retention_job: false,
        },
        (admin, "Admin"),
    )
    .await
    .unwrap();
    assert!(app::legal::retention::daily(&app.db, now + 2 * DAY)
        .await
        .unwrap()
        .is_none());
}

#[test]
fn as_of_must_be_a_date() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mitreden"))
        .args([
            "retention",
            "--as-of",
            "nächstes Jahr",
            "--database-url",
            "sqlite::memory:",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("--as-of"), "{err}");
}

on_both_backends!(
    past_its_period_personal_data_goes_and_contributions_stay,
    a_shorter_consultation_period_counts_and_the_daily_job_runs_once,
);
