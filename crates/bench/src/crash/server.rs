//! `send-portal serve` as a process of its own, started on a new loopback port
//! each time and killed with SIGKILL.

use std::fs::OpenOptions;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::council::COUNCIL;

/// How long a server holds the emails it leased: short, so an email a killed
/// server leased is sent again within the run.
pub const EMAIL_LEASE_SECONDS: u64 = 3;

/// What every start of the server shares.
#[derive(Debug, Clone)]
pub struct Settings {
    pub binary: PathBuf,
    pub database_url: String,
    pub mail: String,
    /// `SEND_PORTAL_DATA_DIR`: uploaded files, and the servers' output
    /// (`server.log`, every start appending).
    pub data: PathBuf,
}

/// A running server.
#[derive(Debug)]
pub struct Server {
    child: Child,
    /// Where it answers: `http://127.0.0.1:PORT`.
    pub base: String,
    log: PathBuf,
}

impl Server {
    /// Starts the server (the `start`th time) and waits until `/readyz` answers.
    pub async fn start(settings: &Settings, start: usize) -> Result<Self> {
        let port = free_loopback_port()?;
        let log = settings.data.join("server.log");
        let output = OpenOptions::new().create(true).append(true).open(&log)?;
        let mut command = Command::new(&settings.binary);
        for (key, _) in std::env::vars() {
            if key.starts_with("SEND_PORTAL_") {
                command.env_remove(key);
            }
        }
        let child = command
            .arg("serve")
            .env("SEND_PORTAL_LISTEN", format!("127.0.0.1:{port}"))
            .env("SEND_PORTAL_BASE_URL", "https://send.crash-check.invalid")
            .env("SEND_PORTAL_DATABASE_URL", &settings.database_url)
            .env("SEND_PORTAL_MAIL", &settings.mail)
            .env("SEND_PORTAL_COUNCIL_NAME", COUNCIL)
            .env("SEND_PORTAL_SEND_TEAM_PHONE", "01632 960 123")
            .env(
                "SEND_PORTAL_SEND_TEAM_EMAIL",
                "send.team@benchshire.example",
            )
            .env(
                "SEND_PORTAL_UNSCANNED_UPLOADS",
                "accept-the-risk-of-unscanned-uploads",
            )
            .env(
                "SEND_PORTAL_EMAIL_LEASE_SECONDS",
                EMAIL_LEASE_SECONDS.to_string(),
            )
            .env("SEND_PORTAL_DATA_DIR", &settings.data)
            .current_dir(&settings.data)
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output)
            .spawn()
            .with_context(|| format!("while starting {}", settings.binary.display()))?;
        let mut server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_until_ready(start).await?;
        Ok(server)
    }

    async fn wait_until_ready(&mut self, start: usize) -> Result<()> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()?;
        let deadline = Instant::now() + Duration::from_mins(1);
        loop {
            if let Ok(response) = http.get(format!("{}/readyz", self.base)).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the server stopped at start {start} ({status}):\n{}",
                    self.output_tail()
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "the server was not ready within 60 s of start {start}:\n{}",
                    self.output_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Kills the server with SIGKILL, as `kill -9` does, and waits for it to end.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The end of the servers' output, for an error.
    fn output_tail(&self) -> String {
        let all = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = all.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A loopback port nothing listens on at the moment.
fn free_loopback_port() -> Result<u16> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    Ok(listener.local_addr()?.port())
}
