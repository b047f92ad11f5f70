//! The logs and the metrics of a real `mitreden serve` (debug level, behind a trusted proxy)
//! never contain the client's IP address, e-mail addresses, tokens, passwords or the text of
//! contributions — whatever a visitor does.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const IP: &str = "203.0.113.77";
const EMAIL: &str = "logsonde-7731@example.org";
const PASSWORD: &str = "Sehr-geheimes-Passwort-7731";
const COMMENT: &str = "Kommentarsonde-7731 mit Inhalt";
const REPORT: &str = "Barrierensonde-7731 im Menü";
const ORIGIN: &str = "http://mitreden.test";

fn mitreden() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mitreden"))
}

/// The address the server announced in its log.
fn wait_for_address(log: &std::path::Path, child: &mut std::process::Child) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        for line in text.lines() {
            let json: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            if json["message"] == "mitreden listening" {
                return json["addr"].as_str().expect("the address").to_string();
            }
        }
        assert!(child.try_wait().unwrap().is_none(), "server exited: {text}");
        assert!(Instant::now() < deadline, "server did not start: {text}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_and_metrics_never_hold_addresses_tokens_passwords_or_texts() {
    let dir = std::env::temp_dir().join(format!("mitreden-logs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.display());
    let seeded = mitreden()
        .args(["seed-demo", "--database-url", &url])
        .output()
        .unwrap();
    assert!(seeded.status.success());
    let log = dir.join("server.log");
    let mut child = mitreden()
        .args(["serve", "--addr", "127.0.0.1:0", "--database-url", &url])
        .env("MITREDEN_LOG", "debug")
        .env("MITREDEN_LOG_FORMAT", "json")
        .env("MITREDEN_BASE_URL", ORIGIN)
        .env("MITREDEN_DATA_DIR", &dir)
        .env("MITREDEN_TRUSTED_PROXIES", "127.0.0.1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let base = format!("http://{}", wait_for_address(&log, &mut child));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |path: &str, accept: &str, cookie: &str, form: &[(&str, &str)]| {
        client
            .post(format!("{base}{path}"))
            .header("x-forwarded-for", IP)
            .header("origin", ORIGIN)
            .header("accept", accept)
            .header("cookie", cookie)
            .form(form)
            .send()
    };
    let get = |path: &str| {
        client
            .get(format!("{base}{path}"))
            .header("x-forwarded-for", IP)
            .send()
    };

    // Reading, registering, confirming, signing in (wrong, then right), commenting, reporting a
    // barrier with a contact address, asking for a new password, signing out.
    for path in [
        "/",
        "/barrierefreiheit",
        "/musterstadt/verkehrsberuhigung-altstadt",
    ] {
        assert_eq!(get(path).await.unwrap().status(), 200, "{path}");
    }
    let res = post(
        "/api/register",
        "text/html",
        "",
        &[
            ("email", EMAIL),
            ("display_name", "Logsonde"),
            ("password", PASSWORD),
        ],
    )
    .await
    .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let outbox = std::fs::read_dir(dir.join("outbox")).unwrap();
    let mail = outbox
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .find(|m| m.contains(EMAIL))
        .expect("verification mail");
    let joined = mail
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let at = joined.find("/verify?token=").expect("verification link") + 14;
    let token: String = joined[at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64);
    let res = post(
        "/api/verify_email",
        "application/json",
        "",
        &[("token", &token)],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    // The link's page, token in the address (as a mail client opens it).
    assert_eq!(
        get(&format!("/verify?token={token}"))
            .await
            .unwrap()
            .status(),
        200
    );
    let wrong = post(
        "/api/login",
        "application/json",
        "",
        &[
            ("email", EMAIL),
            ("password", "falsch-falsch-falsch"),
            ("next", "/"),
        ],
    )
    .await
    .unwrap();
    assert!(!wrong.status().is_success());
    let res = post(
        "/api/login",
        "application/json",
        "",
        &[("email", EMAIL), ("password", PASSWORD), ("next", "/")],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("mitreden_session="))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_string();
    let res = post(
        "/api/post_comment",
        "application/json",
        &session,
        &[
            ("org", "musterstadt"),
            ("slug", "verkehrsberuhigung-altstadt"),
            ("parent_id", ""),
            ("body", COMMENT),
        ],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let res = post(
        "/api/report_barrier",
        "text/html",
        "",
        &[
            ("page_url", "/"),
            ("description", REPORT),
            ("contact_email", EMAIL),
        ],
    )
    .await
    .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let res = post(
        "/api/request_password_reset",
        "application/json",
        "",
        &[("email", EMAIL)],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let res = post("/api/logout", "application/json", &session, &[])
        .await
        .unwrap();
    assert!(res.status().is_success() || res.status().is_redirection());
    let metrics = get("/metrics").await.unwrap().text().await.unwrap();

    // SIGTERM, so that everything is written.
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    let logged = std::fs::read_to_string(&log).unwrap();
    // The capture works: the journey is in the log, at debug level.
    assert!(logged.contains("barrier report received"), "{logged}");
    assert!(logged.contains("\"level\":\"DEBUG\""), "not at debug level");
    let secret_of_session = session.trim_start_matches("mitreden_session=");
    for (what, needle) in [
        ("IP address", IP),
        ("network prefix", "203.0.113."),
        ("e-mail address", EMAIL),
        ("e-mail address (local part)", "logsonde-7731"),
        ("password", PASSWORD),
        ("comment text", "Kommentarsonde-7731"),
        ("report text", "Barrierensonde-7731"),
        ("verification token", &token),
        ("session token", secret_of_session),
    ] {
        assert!(!logged.contains(needle), "the log holds the {what}");
        assert!(!metrics.contains(needle), "the metrics hold the {what}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
