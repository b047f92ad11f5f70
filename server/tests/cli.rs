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
