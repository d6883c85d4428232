//! Real processes for the tests that need them: the `send-portal` binary serving
//! on a port of its own, a real SMTP server (Debian's aiosmtpd) keeping what it
//! receives, and a PostgreSQL database of the test's own that both reach by URL.
//! Each is stopped (or dropped) when its value is dropped, so a failing test
//! leaves no process or database behind.

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use send_app::SystemClock;
use send_domain::Clock;
use send_store_conformance::testdb::{postgres_url, required};
use send_store_postgres::testing::{drop_database, fresh_database};
use url::Url;

use super::COUNCIL;

/// The public address every server of a test gives (so its emails' `Message-ID`s
/// share one domain).
pub const BASE_URL: &str = "https://send.testshire.gov.uk";

/// A loopback port nothing listens on at the moment.
pub fn free_loopback_port() -> u16 {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .unwrap_or_else(|e| panic!("{e}"));
    listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port()
}

/// A PostgreSQL database of the test's own on the server named by
/// `SEND_PORTAL_TEST_POSTGRES_URL`, dropped when this value is.
#[derive(Debug)]
pub struct OwnDatabase {
    server_url: String,
    name: String,
    /// The database's own URL, for the test's store and the servers.
    pub url: String,
}

impl OwnDatabase {
    /// A new, empty database, or `None` (with a note, or a panic when PostgreSQL
    /// is required) when no PostgreSQL server is configured for tests.
    pub async fn create() -> Option<Self> {
        let server_url = postgres_url()?;
        let random = super::new_uuid().as_u128();
        let name = fresh_database(
            &server_url,
            SystemClock.now().unix_timestamp(),
            // The uuid's random bits (its low 64 bits, past the time and version).
            u64::try_from(random & u128::from(u64::MAX)).unwrap_or_default(),
        )
        .await
        .unwrap_or_else(|e| panic!("creating a test database on the PostgreSQL server: {e}"));
        let mut url = Url::parse(&server_url).unwrap_or_else(|e| panic!("{e}"));
        url.set_path(&format!("/{name}"));
        Some(Self {
            server_url,
            name,
            url: url.into(),
        })
    }
}

impl Drop for OwnDatabase {
    fn drop(&mut self) {
        let (server_url, name) = (self.server_url.clone(), self.name.clone());
        // Dropped inside the test's runtime: drop the database from a thread with
        // a runtime of its own.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?
                .block_on(drop_database(&server_url, &name))
                .map_err(|e| e.to_string())
        })
        .join();
        if let Ok(Err(error)) | Err(error) = dropped.map_err(|_| "panicked".to_owned()) {
            eprintln!("the test database {} was not dropped: {error}", self.name);
        }
    }
}

/// A real SMTP server on loopback: Debian's aiosmtpd, keeping every message it
/// receives in a maildir. Stopped when dropped.
#[derive(Debug)]
pub struct SmtpServer {
    child: Child,
    maildir: tempfile::TempDir,
    pub port: u16,
}

impl SmtpServer {
    /// Starts the server on a free port, waiting until it accepts connections.
    /// `None` (with a note) when it cannot be started; a panic instead when SMTP
    /// tests are required (`SEND_PORTAL_TEST_REQUIRE` names `smtp`, or `CI` is
    /// set).
    pub fn start() -> Option<Self> {
        let port = free_loopback_port();
        let maildir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let spawned = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            // Maildir makes its `new`, `cur` and `tmp` only in a folder it creates.
            .arg(maildir.path().join("box"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(err) => return Self::unavailable(&format!("cannot run /usr/bin/python3: {err}")),
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut pipe) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
                }
                return Self::unavailable(&format!("aiosmtpd exited ({status}): {stderr}"));
            }
            if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                return Some(Self {
                    child,
                    maildir,
                    port,
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        Self::unavailable("aiosmtpd did not start listening within 15 seconds")
    }

    fn unavailable(why: &str) -> Option<Self> {
        assert!(
            !required("smtp"),
            "the SMTP test server could not be started but SMTP tests are required \
             (install Debian's python3-aiosmtpd; the test command does): {why}"
        );
        eprintln!("NOT RUN: SMTP test ({why}; install Debian's python3-aiosmtpd)");
        None
    }

    /// `SEND_PORTAL_MAIL` for a server sending here.
    pub fn mail_setting(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The maildir it keeps messages in (each a file in its `new` folder).
    pub fn maildir(&self) -> PathBuf {
        self.maildir.path().join("box")
    }

    /// Every message received so far.
    pub fn received(&self) -> Vec<ReceivedMessage> {
        let new = self.maildir().join("new");
        let Ok(entries) = std::fs::read_dir(&new) else {
            return Vec::new();
        };
        entries
            .map(|entry| {
                let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
                ReceivedMessage {
                    raw: std::fs::read_to_string(&path)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
                }
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One message as the SMTP server stored it.
#[derive(Debug, Clone)]
pub struct ReceivedMessage {
    pub raw: String,
}

impl ReceivedMessage {
    /// A header's value (continuation lines joined), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self
            .raw
            .split("\r\n\r\n")
            .next()
            .and_then(|head| head.split("\n\n").next())
            .unwrap_or_default();
        let mut value: Option<String> = None;
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some(value) = value.as_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                continue;
            }
            if value.is_some() {
                break;
            }
            if let Some((key, rest)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                value = Some(rest.trim().to_owned());
            }
        }
        value
    }

    /// The envelope's recipient, as the SMTP server recorded it.
    pub fn recipient(&self) -> String {
        self.header("X-RcptTo")
            .unwrap_or_else(|| panic!("no X-RcptTo in {}", self.raw))
    }

    pub fn subject(&self) -> String {
        self.header("Subject")
            .unwrap_or_else(|| panic!("no Subject in {}", self.raw))
    }

    /// The outbox email's id, from `Message-ID: <id@domain>`.
    pub fn outbox_id(&self) -> String {
        let id = self
            .header("Message-ID")
            .unwrap_or_else(|| panic!("no Message-ID in {}", self.raw));
        id.trim_start_matches('<')
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

/// `send-portal serve` running as a process of its own, its output kept in its
/// data folder. Killed when dropped.
#[derive(Debug)]
pub struct PortalProcess {
    pub name: String,
    child: Child,
    data: tempfile::TempDir,
    exited: Option<ExitStatus>,
}

impl PortalProcess {
    /// Starts `send-portal serve` on a free port with the database at
    /// `database_url`, sending email through `smtp`, and `extra` settings.
    pub fn start(
        name: &str,
        database_url: &str,
        smtp: &SmtpServer,
        extra: &[(&str, &str)],
    ) -> Self {
        let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let log = |file: &str| -> File {
            File::create(data.path().join(file)).unwrap_or_else(|e| panic!("{e}"))
        };
        let mut command = Command::new(env!("CARGO_BIN_EXE_send-portal"));
        // Start from a clean environment for SEND_PORTAL_* settings.
        for (key, _) in std::env::vars() {
            if key.starts_with("SEND_PORTAL_") {
                command.env_remove(key);
            }
        }
        let child = command
            .arg("serve")
            .env(
                "SEND_PORTAL_LISTEN",
                format!("127.0.0.1:{}", free_loopback_port()),
            )
            .env("SEND_PORTAL_BASE_URL", BASE_URL)
            .env("SEND_PORTAL_DATABASE_URL", database_url)
            .env("SEND_PORTAL_MAIL", smtp.mail_setting())
            .env("SEND_PORTAL_COUNCIL_NAME", COUNCIL)
            .env("SEND_PORTAL_SEND_TEAM_PHONE", super::SEND_TEAM_PHONE)
            .env("SEND_PORTAL_SEND_TEAM_EMAIL", super::SEND_TEAM_EMAIL)
            .env(
                "SEND_PORTAL_UNSCANNED_UPLOADS",
                "accept-the-risk-of-unscanned-uploads",
            )
            .env("SEND_PORTAL_DATA_DIR", data.path())
            .envs(extra.iter().copied())
            .current_dir(data.path())
            .stdin(Stdio::null())
            .stdout(log("stdout.log"))
            .stderr(log("stderr.log"))
            .spawn()
            .unwrap_or_else(|e| panic!("starting send-portal serve: {e}"));
        Self {
            name: name.to_owned(),
            child,
            data,
            exited: None,
        }
    }

    /// Panics, with its output, if the server has stopped.
    pub fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            self.exited = Some(status);
            panic!(
                "server {} stopped ({status}):\n{}",
                self.name,
                self.output()
            );
        }
    }

    /// Kills the process (SIGKILL, as `kill -9` does) and waits for it to end.
    pub fn kill(&mut self) -> ExitStatus {
        let _ = self.child.kill();
        let status = self.child.wait().unwrap_or_else(|e| panic!("{e}"));
        self.exited = Some(status);
        status
    }

    /// Everything the server wrote to its output so far.
    pub fn output(&self) -> String {
        let read = |file: &str| std::fs::read_to_string(self.log(file)).unwrap_or_default();
        format!("{}{}", read("stdout.log"), read("stderr.log"))
    }

    fn log(&self, file: &str) -> PathBuf {
        Path::new(self.data.path()).join(file)
    }
}

impl Drop for PortalProcess {
    fn drop(&mut self) {
        if self.exited.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Waits, checking every 200 ms, until `done` says so, for at most `within`.
/// Fails naming `what` (with the servers' output) when the time is up or a
/// server has stopped.
pub async fn wait_until(
    what: &str,
    within: Duration,
    servers: &mut [&mut PortalProcess],
    mut done: impl AsyncFnMut() -> bool,
) {
    let deadline = Instant::now() + within;
    loop {
        if done().await {
            return;
        }
        for server in servers.iter_mut() {
            server.assert_running();
        }
        if Instant::now() > deadline {
            let output: Vec<String> = servers
                .iter()
                .map(|server| format!("--- server {}:\n{}", server.name, server.output()))
                .collect();
            panic!(
                "gave up after {within:?} waiting until {what}\n{}",
                output.join("\n")
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
