//! A real `mitreden serve` process (the binary cargo built for these tests), for what an
//! in-process server cannot show: `kill -9`, a restart on the same database and port, several
//! instances behind a proxy. It logs JSON to a file in its directory; the address it listens on
//! is read from its "mitreden listening" line.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ORIGIN: &str = "http://mitreden.test";

/// `mitreden` with the given arguments, e.g. `seed-demo --database-url URL`; panics unless it
/// succeeds.
pub fn mitreden(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mitreden"))
        .args(args)
        .output()
        .expect("run mitreden");
    assert!(
        out.status.success(),
        "mitreden {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub struct ServerProcess {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// `127.0.0.1:PORT`, the same after a restart.
    pub addr: String,
    database_url: String,
    dir: PathBuf,
    env: Vec<(String, String)>,
    child: Option<Child>,
    starts: u32,
}

impl ServerProcess {
    /// Starts `mitreden serve` on `database_url` with `dir` as its data directory, on `addr`
    /// (`127.0.0.1:0` for any free port), behind a trusted proxy at 127.0.0.1 (so a test can
    /// give each simulated participant a network of its own with X-Forwarded-For), with the
    /// extra environment `env` (e.g. `MITREDEN_DB_MAX_CONNECTIONS`).
    pub fn start(database_url: &str, dir: &Path, addr: &str, env: &[(&str, &str)]) -> Self {
        std::fs::create_dir_all(dir).unwrap();
        let mut me = ServerProcess {
            base: String::new(),
            addr: addr.to_string(),
            database_url: database_url.to_string(),
            dir: dir.to_path_buf(),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            child: None,
            starts: 0,
        };
        me.spawn();
        me
    }

    fn spawn(&mut self) {
        self.starts += 1;
        let log = self.log_path();
        let child = Command::new(env!("CARGO_BIN_EXE_mitreden"))
            .args(["serve", "--addr", &self.addr])
            .args(["--database-url", &self.database_url])
            .env("MITREDEN_LOG_FORMAT", "json")
            .env("MITREDEN_BASE_URL", ORIGIN)
            .env("MITREDEN_DATA_DIR", &self.dir)
            .env("MITREDEN_TRUSTED_PROXIES", "127.0.0.1")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start mitreden serve");
        self.child = Some(child);
        self.addr = self.wait_for_address();
        self.base = format!("http://{}", self.addr);
    }

    fn log_path(&self) -> PathBuf {
        self.dir.join(format!("server-{}.log", self.starts))
    }

    /// This run's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    fn wait_for_address(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = self.log();
            for line in text.lines() {
                let json: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
                if json["message"] == "mitreden listening" {
                    return json["addr"].as_str().expect("the address").to_string();
                }
            }
            let child = self.child.as_mut().expect("running");
            assert!(child.try_wait().unwrap().is_none(), "server exited: {text}");
            assert!(Instant::now() < deadline, "server did not start: {text}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The process id of the running server.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// `kill -9`: no graceful shutdown, no flushing, in-flight requests cut.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("SIGKILL");
            child.wait().unwrap();
        }
    }

    /// SIGTERM, as a service manager stops it: in-flight requests finish; waits for the exit.
    pub fn terminate(&mut self) {
        if let Some(mut child) = self.child.take() {
            let status = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status()
                .expect("kill -TERM");
            assert!(status.success());
            let deadline = Instant::now() + Duration::from_secs(30);
            while child.try_wait().unwrap().is_none() {
                assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    /// Starts it again on the same database, data directory and address (the port it had).
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "stop it first");
        self.spawn();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
