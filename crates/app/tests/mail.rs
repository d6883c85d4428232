//! The email outbox end to end: composing, the delivery job's retries and backoff
//! (with a fake transport and a fixed clock), the file transport, and delivery
//! through a real SMTP server on loopback (Debian's `python3-aiosmtpd`, which the
//! test command installs).

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration as StdDuration, Instant};

use async_trait::async_trait;
use send_app::mail::{FileMailer, Letterhead, MailError, Mailer, SmtpMailer};
use send_app::outbox::{LEASE, deliver_due_emails};
use send_app::{App, AppError, Settings};
use send_domain::{
    Clock, CouncilName, DeliveryState, Email, EmailSubject, FixedClock, OutgoingEmail, PersonName,
};
use send_store_conformance::testdb::{TestDb, required};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use url::Url;

const COUNCIL: &str = "Testshire County Council";
const START: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);

struct Harness {
    app: App,
    clock: FixedClock,
    _db: TestDb,
}

async fn harness(demo: bool) -> Harness {
    let db = TestDb::sqlite().await;
    let clock = FixedClock::new(START);
    let app = App::new(
        db.store(),
        Arc::new(clock.clone()) as Arc<dyn Clock>,
        Settings {
            council_name: CouncilName::parse(COUNCIL).unwrap_or_else(|e| panic!("{e}")),
            base_url: Url::parse("https://send.testshire.gov.uk").unwrap_or_else(|e| panic!("{e}")),
            demo,
            password_policy: send_domain::PasswordPolicy::seed(),
            session_timeouts: send_domain::SessionTimeouts::default(),
            trusted_proxies: Vec::new(),
            invitation_lifetime: send_domain::portal_access::DEFAULT_LINK_LIFETIME,
            send_team_contact: None,
            match_thresholds: send_domain::matching::Thresholds::default(),
            job_lease: send_domain::jobs::DEFAULT_LEASE,
            email_lease: send_app::outbox::LEASE,
        },
    );
    Harness {
        app,
        clock,
        _db: db,
    }
}

fn letterhead(app: &App) -> Letterhead {
    Letterhead::new(&app.settings.council_name, &app.settings.base_url)
}

fn code_email(app: &App) -> OutgoingEmail {
    app.compose_email(
        Email::parse("jo.bloggs@example.org").unwrap_or_else(|e| panic!("{e}")),
        Some(PersonName::parse("Jo <Bloggs> & Co").unwrap_or_else(|e| panic!("{e}"))),
        EmailSubject::parse("Your code to finish signing in").unwrap_or_else(|e| panic!("{e}")),
        &[
            "Your code is 493021.".to_owned(),
            "It expires in 15 minutes. If you did not try to sign in, you can ignore this email."
                .to_owned(),
        ],
    )
}

async fn state(app: &App) -> DeliveryState {
    app.store
        .outbox_emails(1)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0)
        .state
}

async fn deliver(app: &App, mailer: &dyn Mailer) -> usize {
    deliver_due_emails(app, mailer)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn an_email_is_plain_and_accessible_and_names_the_council() {
    let h = harness(false).await;
    let email = code_email(&h.app);
    assert_eq!(email.created_at, START);
    let text = &email.text_body;
    assert!(
        text.starts_with("Dear Jo <Bloggs> & Co,\n\nYour code is 493021.\n\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("From the SEND team\n{COUNCIL}\n")),
        "{text}"
    );
    let html = &email.html_body;
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(
        html.contains("<title>Your code to finish signing in</title>"),
        "{html}"
    );
    assert!(
        html.contains("Dear Jo &#60;Bloggs&#62; &#38; Co,"),
        "escaped: {html}"
    );
    assert!(html.contains("<p style=\"margin: 0 0 20px 0;\">Your code is 493021.</p>"));
    assert!(html.contains(COUNCIL));
    assert!(
        !html.contains("<img") && !html.contains("<script"),
        "no images, no tracking"
    );

    let anonymous = h.app.compose_email(
        Email::parse("someone@example.org").unwrap_or_else(|e| panic!("{e}")),
        None,
        EmailSubject::parse("Hello").unwrap_or_else(|e| panic!("{e}")),
        &["Text.".to_owned()],
    );
    assert!(anonymous.text_body.starts_with("Hello,\n"));
}

/// A transport that fails a set number of times, then works, counting deliveries.
#[derive(Debug, Default)]
struct FlakyMailer {
    failures_left: Mutex<u32>,
    delivered: Mutex<Vec<OutgoingEmail>>,
}

#[async_trait]
impl Mailer for FlakyMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        let mut left = self
            .failures_left
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if *left > 0 {
            *left -= 1;
            return Err(MailError::Unavailable("connection refused".to_owned()));
        }
        self.delivered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(email.clone());
        Ok(())
    }
}

#[tokio::test]
async fn failed_deliveries_back_off_and_are_retried_until_sent_once() {
    let h = harness(false).await;
    let email = code_email(&h.app);
    h.app
        .queue_email(&email)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mailer = FlakyMailer {
        failures_left: Mutex::new(3),
        ..FlakyMailer::default()
    };

    // Attempt 1 fails at 09:00:00; attempt 2 is due 30 s later, 3 a minute after
    // that, 4 two minutes after that.
    let mut expected_next = START;
    for (attempt, wait) in [(1, 30), (2, 60), (3, 120)] {
        assert_eq!(deliver(&h.app, &mailer).await, 0);
        expected_next = h.clock.now() + Duration::seconds(wait);
        assert_eq!(
            state(&h.app).await,
            DeliveryState::Pending {
                attempts: attempt,
                next_attempt_at: expected_next,
                last_error: Some(
                    "the mail transport is unavailable: connection refused".to_owned()
                ),
            }
        );
        h.clock.set(expected_next - Duration::seconds(1));
        assert_eq!(deliver(&h.app, &mailer).await, 0, "not due yet");
        h.clock.set(expected_next);
    }
    assert_eq!(expected_next, datetime!(2026-11-23 09:03:30 UTC));

    assert_eq!(deliver(&h.app, &mailer).await, 1);
    assert_eq!(
        state(&h.app).await,
        DeliveryState::Sent {
            at: expected_next,
            attempts: 4
        }
    );
    h.clock.advance(Duration::days(2));
    assert_eq!(deliver(&h.app, &mailer).await, 0, "never sent again");
    let delivered = mailer
        .delivered
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    assert_eq!(delivered, vec![email]);
}

#[tokio::test]
async fn a_worker_that_stops_mid_delivery_loses_nothing() {
    let h = harness(false).await;
    let email = code_email(&h.app);
    h.app
        .queue_email(&email)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // A worker leases the email and then stops without a word.
    let leased = h
        .app
        .store
        .claim_due_emails(START, 10, LEASE)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(leased.len(), 1);

    let mailer = FlakyMailer::default();
    assert_eq!(
        deliver(&h.app, &mailer).await,
        0,
        "leased to the stopped worker"
    );
    h.clock.advance(LEASE);
    assert_eq!(
        deliver(&h.app, &mailer).await,
        1,
        "due again after the lease"
    );
}

#[tokio::test]
async fn the_file_transport_writes_one_file_per_email_even_when_retried() {
    let h = harness(false).await;
    let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mail_dir = folder.path().join("mail");
    let mailer = FileMailer::new(&mail_dir, letterhead(&h.app));
    let email = code_email(&h.app);
    h.app
        .queue_email(&email)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    assert_eq!(deliver(&h.app, &mailer).await, 1);
    let path = mailer.path_for(&email);
    assert_eq!(path, mail_dir.join(format!("{}.eml", email.id)));
    let written = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        written.contains("From: \"Testshire County Council\" <no-reply@send.testshire.gov.uk>"),
        "{written}"
    );
    assert!(
        written.contains(&format!("Message-ID: <{}@send.testshire.gov.uk>", email.id)),
        "{written}"
    );
    assert!(written.contains("Subject: Your code to finish signing in"));
    assert!(written.contains("Content-Type: text/plain; charset=utf-8"));
    assert!(written.contains("Content-Type: text/html; charset=utf-8"));

    // A retry of the same email (say the first write's result was lost) replaces
    // the file instead of adding one.
    mailer.send(&email).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files_in(&mail_dir), vec![path]);
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("{e}")).path())
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn the_demo_outbox_is_only_for_demonstrations() {
    let real = harness(false).await;
    assert!(matches!(
        real.app.demo_outbox(10).await,
        Err(AppError::NotFound)
    ));
    let demo = harness(true).await;
    let email = code_email(&demo.app);
    demo.app
        .queue_email(&email)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let listed = demo
        .app
        .demo_outbox(10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].email, email);
}

/// A real SMTP server on loopback: Debian's aiosmtpd, storing what it receives in
/// a maildir. Stopped when dropped.
struct SmtpSink {
    child: Child,
    maildir: tempfile::TempDir,
}

impl SmtpSink {
    /// Starts the server on `port`, waiting until it accepts connections. `None`
    /// (with a note) when it cannot be started; a panic when SMTP tests are
    /// required (`SEND_PORTAL_TEST_REQUIRE` names `smtp`, or `CI` is set).
    fn start(port: u16) -> Option<Self> {
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
        let deadline = Instant::now() + StdDuration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut pipe) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
                }
                return Self::unavailable(&format!("aiosmtpd exited ({status}): {stderr}"));
            }
            if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                return Some(Self { child, maildir });
            }
            std::thread::sleep(StdDuration::from_millis(100));
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

    /// The messages received so far, as raw text.
    fn received(&self) -> Vec<String> {
        let new = self.maildir.path().join("box").join("new");
        if !new.exists() {
            return Vec::new();
        }
        files_in(&new)
            .iter()
            .map(|path| std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_loopback_port() -> u16 {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .unwrap_or_else(|e| panic!("{e}"));
    listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port()
}

#[tokio::test]
async fn smtp_delivery_is_retried_until_the_server_listens_then_sent_once() {
    let h = harness(false).await;
    let port = free_loopback_port();
    let url = Url::parse(&format!("smtp://127.0.0.1:{port}")).unwrap_or_else(|e| panic!("{e}"));
    let mailer = SmtpMailer::from_url(&url, letterhead(&h.app)).unwrap_or_else(|e| panic!("{e}"));
    let email = code_email(&h.app);
    h.app
        .queue_email(&email)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // Nothing listens yet: the attempt fails and is scheduled 30 seconds on.
    assert_eq!(deliver(&h.app, &mailer).await, 0);
    let DeliveryState::Pending {
        attempts: 1,
        next_attempt_at,
        last_error: Some(error),
    } = state(&h.app).await
    else {
        panic!("the failed attempt was not recorded")
    };
    assert_eq!(next_attempt_at, START + Duration::seconds(30));
    assert!(!error.contains("jo.bloggs"), "{error}");

    let Some(server) = SmtpSink::start(port) else {
        return;
    };
    assert_eq!(deliver(&h.app, &mailer).await, 0, "not due yet");
    h.clock.set(next_attempt_at);
    assert_eq!(deliver(&h.app, &mailer).await, 1);
    h.clock.advance(Duration::days(1));
    assert_eq!(deliver(&h.app, &mailer).await, 0);

    let received = server.received();
    assert_eq!(received.len(), 1, "exactly one message: {received:#?}");
    let message = &received[0];
    assert!(
        message.contains("X-RcptTo: jo.bloggs@example.org"),
        "{message}"
    );
    assert!(
        message.contains("From: \"Testshire County Council\" <no-reply@send.testshire.gov.uk>"),
        "{message}"
    );
    assert!(
        message.contains(&format!("Message-ID: <{}@send.testshire.gov.uk>", email.id)),
        "{message}"
    );
    assert!(message.contains("Subject: Your code to finish signing in"));
    assert!(message.contains("Your code is 493021."), "{message}");
    assert!(
        matches!(state(&h.app).await, DeliveryState::Sent { attempts: 2, .. }),
        "sent on the second attempt"
    );
}
