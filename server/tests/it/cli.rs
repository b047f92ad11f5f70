//! The `mitreden` command line: help, configuration precedence, one-line errors.

use std::process::Command;

fn mitreden() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mitreden"))
}

#[test]
fn help_lists_the_subcommands() {
    let out = mitreden().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["serve", "migrate", "seed-demo"] {
        assert!(text.contains(cmd), "{cmd} missing in {text}");
    }
    let out = mitreden().args(["serve", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--addr",
        "--database-url",
        "MITREDEN_ADDR",
        "MITREDEN_BASE_URL",
        "MITREDEN_DATA_DIR",
    ] {
        assert!(text.contains(flag), "{flag} missing in {text}");
    }
}

#[test]
fn migrate_and_seed_work_on_a_fresh_sqlite_file_and_are_idempotent() {
    let dir = std::env::temp_dir().join(format!("mitreden-cli-{}", std::process::id()));
    let url = format!("sqlite://{}/nested/db.sqlite", dir.display());
    for _ in 0..2 {
        let out = mitreden()
            .args(["migrate", "--database-url", &url])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The environment variable is honoured.
        let out = mitreden()
            .arg("seed-demo")
            .env("MITREDEN_DATABASE_URL", &url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_flag_overrides_the_environment_and_errors_are_one_line() {
    let out = mitreden()
        .args(["migrate", "--database-url", "mysql://nope"])
        .env("MITREDEN_DATABASE_URL", "sqlite::memory:")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("unsupported database URL"), "{err}");
}

/// Starts `mitreden serve` on a free port and returns the child and its address (read from the
/// log line that announces it).
fn serve(dir: &std::path::Path) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = mitreden()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env(
            "MITREDEN_DATABASE_URL",
            format!("sqlite://{}/db.sqlite", dir.display()),
        )
        .env("MITREDEN_LOG_FORMAT", "json")
        .env("MITREDEN_DATA_DIR", dir)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .unwrap();
        let json: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        if json["message"] == "mitreden listening" {
            break json["addr"].as_str().unwrap().to_string();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = std::env::temp_dir().join(format!("mitreden-sigterm-{}", std::process::id()));
    let (mut child, addr) = serve(&dir);
    let mut stream = std::net::TcpStream::connect(&addr).expect("server accepts connections");
    use std::io::{Read, Write};
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "server did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs `mitreden create-admin` with `password` (and a newline) piped to stdin.
fn create_admin(url: &str, email: &str, password: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = mitreden()
        .args(["create-admin", "--email", email, "--database-url", url])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{password}").unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

/// The accounts in a SQLite database: (e-mail, display name, verified, instance admin, hash).
fn accounts(url: &str) -> Vec<(String, String, bool, bool, String)> {
    use sqlx::Connection;
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        let rows = sqlx::query_as::<_, (String, String, bool, bool, String)>(
            "SELECT email, display_name, email_verified_at IS NOT NULL, is_instance_admin, \
             password_hash FROM users ORDER BY id",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
        rows
    })
}

#[test]
fn create_admin_creates_then_updates_a_verified_instance_admin() {
    use app::account::password::verify;
    let out = mitreden()
        .args(["create-admin", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("--email"), "{text}");

    let dir = std::env::temp_dir().join(format!("mitreden-create-admin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db_file = dir.join("db.sqlite");
    let url = format!("sqlite://{}", db_file.display());

    // Too short: a one-line error, and nothing is created (not even the database).
    let out = create_admin(&url, "admin@example.org", "short");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("password") && err.contains("10"), "{err}");
    assert!(!db_file.exists());

    // Created: verified, instance admin, the piped password (without its newline).
    let out = create_admin(&url, "Admin@Example.org", "erste lange Passphrase");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.trim(),
        "instance admin admin@example.org ready (created)"
    );
    let rows = accounts(&url);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let (email, name, verified, admin, hash) = &rows[0];
    assert_eq!(
        (email.as_str(), name.as_str()),
        ("admin@example.org", "Administration")
    );
    assert!(*verified && *admin);
    assert!(verify("erste lange Passphrase", Some(hash)));

    // Again with a new password: the same account, updated.
    let out = create_admin(&url, "admin@example.org", "zweite lange Passphrase");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "instance admin admin@example.org ready (updated)"
    );
    let rows = accounts(&url);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].2 && rows[0].3);
    assert!(verify("zweite lange Passphrase", Some(&rows[0].4)));
    assert!(!verify("erste lange Passphrase", Some(&rows[0].4)));

    // A bad password for the existing account changes nothing.
    let out = create_admin(&url, "admin@example.org", "123");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(verify(
        "zweite lange Passphrase",
        Some(&accounts(&url)[0].4)
    ));

    // A second admin gets the next free display name.
    let out = create_admin(&url, "zweite@example.org", "noch eine lange Passphrase");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = accounts(&url);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1].1, "Administration 2");
    assert!(rows[1].2 && rows[1].3);

    // An invalid address is refused with one line, too.
    let out = create_admin(&url, "not-an-address", "noch eine lange Passphrase");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("e-mail"), "{err}");
    assert_eq!(accounts(&url).len(), 2);
    let _ = std::fs::remove_dir_all(dir);
}
