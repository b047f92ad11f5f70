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
