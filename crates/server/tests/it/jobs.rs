//! The job runner across real server processes (issue 15): two `send-portal
//! serve` processes on one PostgreSQL database deliver each due reminder exactly
//! once, and a server killed (`kill -9`) between claiming a job and finishing it
//! leaves the job to be done, and its email sent, once after a restart. The
//! emails are counted as a real SMTP server (Debian's aiosmtpd) receives them.
//!
//! Each test has a PostgreSQL database of its own, seeded in the test through the
//! real use cases with a clock in the past, so that by the real clock, which the
//! servers read, the reminders are due now.

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use send_app::advice::NewAdviceRequest;
use send_app::audit::Source;
use send_app::files::Files;
use send_app::involvements::NewInvolvement;
use send_app::outbox::deliver_due_emails;
use send_app::{App, SystemClock};
use send_domain::advice::{AdviceKind, AdviceRequest, AnswerBy};
use send_domain::dates::uk_date;
use send_domain::involvements::{InvolvementKind, Requester};
use send_domain::jobs::{JobEntry, JobPayload, JobStatus};
use send_domain::{
    Address, AuditAction, AuditQuery, Child, ChildId, Clock, CouncilName, DEFAULT_TEAM,
    DeliveryState, Email, FixedClock, OutboxEntry, PersonName, Sex, ShortText, StaffRole,
};
use send_portal::worker::POLL_EVERY;
use send_portal::{Application, Config, Overrides};
use send_store::JobCounts;
use send_store_postgres::PgStore;
use send_store_postgres::testing::{OutboxLock, transactions_in_progress};
use time::{Date, Duration, OffsetDateTime};
use url::Url;

use crate::back_office::{caseworkers, create_staff_in};
use crate::support::processes::{
    BASE_URL, OwnDatabase, PortalProcess, ReceivedMessage, SmtpServer, wait_until,
};
use crate::support::{COUNCIL, MailSink};

/// The longest any test here waits for one thing.
const WITHIN: StdDuration = StdDuration::from_mins(1);

/// The caseworker of every involvement, who gets the overdue alerts.
const CASEWORKER: &str = "casey.caseworker@testshire.gov.uk";

/// The request email, sent when a request is recorded (delivered while seeding).
const REQUESTED: &str = "You have been asked for advice";

/// The reminders to the person asked, by the default schedule: two weeks before
/// the due date, on it and a week after.
const REMINDERS: [&str; 3] = [
    "Reminder: advice is due soon",
    "Reminder: advice is due today",
    "Advice is overdue",
];

/// The overdue alert to the caseworker.
const ALERT: &str = "Advice is overdue on one of your cases";

fn advisor(i: usize) -> String {
    format!("advisor{i}@example.org")
}

/// What a seeded database holds: the application that wrote it (its clock in the
/// past) and the requests for advice, one per child.
struct Seeded {
    app: App,
    requests: Vec<AdviceRequest>,
}

/// Seeds the database at `url`, as of `at`: a caseworker, and `children` children
/// each with an assessment and one request for advice (kinds in turn) addressed to
/// its own email address, recorded on `at`. The requests' own emails are
/// delivered here, to a sink, so the SMTP server receives only what the jobs send.
async fn seed(url: &str, at: OffsetDateTime, children: usize) -> Seeded {
    let store = PgStore::connect(url)
        .await
        .unwrap_or_else(|e| panic!("connecting to the test database: {e}"));
    store
        .migrate()
        .await
        .unwrap_or_else(|e| panic!("migrating the test database: {e}"));
    let mut config = Config::defaults();
    config.council_name = Some(CouncilName::parse(COUNCIL).unwrap_or_else(|e| panic!("{e}")));
    config.base_url = Url::parse(BASE_URL).unwrap_or_else(|e| panic!("{e}"));
    config.send_team_contact = Some(crate::support::send_team_contact());
    let sink = Arc::new(MailSink::default());
    let application = Application::build(
        &config,
        Overrides {
            store: Some(Arc::new(store)),
            clock: Some(Arc::new(FixedClock::new(at)) as Arc<dyn Clock>),
            mailer: Some(sink.clone()),
            files: Some(Files::in_memory(config.max_upload_bytes)),
            routes: None,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("building the application: {e:#}"));
    let app = application.app().clone();
    let caseworker = create_staff_in(
        &app,
        CASEWORKER,
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await;
    let access = app
        .staff_access(caseworker)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the caseworker has no access"));
    let source = Source::default();
    let today = uk_date(at);
    let mut requests = Vec::with_capacity(children);
    for i in 0..children {
        let child = app
            .create_child(&access, child(i, at), Vec::new(), &source)
            .await
            .unwrap_or_else(|e| panic!("adding child {i}: {e}"));
        let involvement = app
            .open_involvement(
                &access,
                NewInvolvement {
                    child_id: child,
                    kind: InvolvementKind::Assessment,
                    start: today,
                    requested_by: Some(Requester::Parent),
                    caseworker: Some(caseworker),
                },
                &source,
            )
            .await
            .unwrap_or_else(|e| panic!("opening an assessment for child {i}: {e}"));
        let request = app
            .request_advice(
                &access,
                involvement,
                NewAdviceRequest {
                    kind: AdviceKind::ALL[i % AdviceKind::ALL.len()],
                    recipient: ShortText::parse(&format!("Advisor {i}"), "the name")
                        .unwrap_or_else(|e| panic!("{e}")),
                    email: Some(Email::parse(&advisor(i)).unwrap_or_else(|e| panic!("{e}"))),
                    answer_by: AnswerBy::Upload,
                    sent_on: today,
                },
                &source,
            )
            .await
            .unwrap_or_else(|e| panic!("requesting advice for child {i}: {e}"))
            .unwrap_or_else(|problem| panic!("requesting advice for child {i}: {problem}"));
        requests.push(request);
    }
    let delivered = deliver_due_emails(&app, application.mailer().as_ref())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let subjects: Vec<String> = sink
        .take()
        .iter()
        .map(|email| email.subject.as_str().to_owned())
        .collect();
    assert_eq!(delivered, children, "{subjects:?}");
    assert!(subjects.iter().all(|s| s == REQUESTED), "{subjects:?}");
    Seeded { app, requests }
}

fn child(i: usize, at: OffsetDateTime) -> Child {
    const NAMES: [&str; 10] = [
        "Amira", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hari", "Isla", "Jack",
    ];
    let name = |text: &str| PersonName::parse(text).unwrap_or_else(|e| panic!("{e}"));
    let born = Date::from_calendar_date(2016, time::Month::May, 14)
        .unwrap_or_else(|e| panic!("{e}"))
        + Duration::days(i64::try_from(i).unwrap_or_default());
    Child {
        id: ChildId::from_uuid(uuid::Uuid::nil()),
        team_id: DEFAULT_TEAM.0,
        legal_first_name: name(NAMES[i % NAMES.len()]),
        legal_last_name: name("Jobson"),
        preferred_name: None,
        date_of_birth: born,
        sex: Sex::NotKnown,
        ethnicity: None,
        upn: None,
        uln: None,
        nhs_number: None,
        address: Address::default(),
        setting: None,
        primary_need: None,
        secondary_need: None,
        created_at: at,
        updated_at: at,
        version: 1,
    }
}

async fn all_jobs(app: &App) -> Vec<JobEntry> {
    app.store
        .jobs(&[], 1000)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn job_counts(app: &App) -> JobCounts {
    app.store
        .job_counts()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn job(app: &App, job: &JobEntry) -> JobEntry {
    app.store
        .job(job.job.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The queued jobs due by `now`.
fn due(jobs: &[JobEntry], now: OffsetDateTime) -> Vec<JobEntry> {
    jobs.iter()
        .filter(|entry| entry.status == JobStatus::Queued && entry.job.run_at <= now)
        .cloned()
        .collect()
}

/// The outbox, but for the request emails delivered while seeding.
async fn job_emails(app: &App) -> BTreeMap<String, OutboxEntry> {
    app.store
        .outbox_emails(1000)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|entry| entry.email.subject.as_str() != REQUESTED)
        .map(|entry| (entry.email.id.to_string(), entry))
        .collect()
}

async fn reminders_audited(app: &App) -> usize {
    app.store
        .search_audit_events(&AuditQuery {
            action: Some(AuditAction::AdviceReminderSent),
            limit: 1000,
            ..AuditQuery::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .len()
}

/// Lets the servers' workers poll `polls` more times, checking they keep running.
async fn let_workers_poll(servers: &mut [&mut PortalProcess], polls: u32) {
    let until = std::time::Instant::now() + POLL_EVERY * polls + StdDuration::from_millis(500);
    wait_until("the servers polled", WITHIN, servers, async || {
        std::time::Instant::now() >= until
    })
    .await;
}

/// How many jobs a server's log says it did.
fn jobs_done_by(server: &PortalProcess) -> usize {
    server.output().matches("job done").count()
}

/// What a received email is: to whom, its subject, and the involvement it links
/// to (the caseworker's alerts), as its outbox entry says.
fn identify(
    message: &ReceivedMessage,
    outbox: &BTreeMap<String, OutboxEntry>,
) -> (String, String, String) {
    let id = message.outbox_id();
    let entry = outbox
        .get(&id)
        .unwrap_or_else(|| panic!("received an email the jobs did not write: {}", message.raw));
    assert_eq!(message.recipient(), entry.email.to.as_str());
    assert_eq!(message.subject(), entry.email.subject.as_str());
    let involvement = entry
        .email
        .text_body
        .split_whitespace()
        .find_map(|word| word.split("/back-office/involvements/").nth(1))
        .unwrap_or_default()
        .to_owned();
    (message.recipient(), message.subject(), involvement)
}

#[tokio::test]
async fn two_servers_on_one_database_deliver_each_due_reminder_and_alert_exactly_once() {
    const CHILDREN: usize = 10;
    let Some(db) = OwnDatabase::create().await else {
        return;
    };
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let now = SystemClock.now();
    // Recorded ten weeks ago: due four weeks ago, so every reminder (two weeks
    // before, on the day, a week after) and the overdue alert are due.
    let seeded = seed(&db.url, now - Duration::weeks(10), CHILDREN).await;
    let app = &seeded.app;
    let jobs = all_jobs(app).await;
    let due = due(&jobs, now);
    assert_eq!(due.len(), jobs.len(), "every job is due: {jobs:#?}");
    assert_eq!(due.len(), CHILDREN * 4, "three reminders and an alert each");

    let mut first = PortalProcess::start("first", &db.url, &smtp, &[]);
    let mut second = PortalProcess::start("second", &db.url, &smtp, &[]);
    let mut servers = [&mut first, &mut second];
    wait_until("every job is done", WITHIN, &mut servers, async || {
        job_counts(app).await.done == u64::try_from(due.len()).unwrap_or_default()
    })
    .await;
    wait_until(
        "the SMTP server has every email",
        WITHIN,
        &mut servers,
        async || smtp.received().len() >= due.len(),
    )
    .await;
    // A few more polls of both workers: nothing else arrives.
    let_workers_poll(&mut servers, 3).await;
    let received = smtp.received();
    eprintln!(
        "jobs done by the first server: {}, by the second: {}",
        jobs_done_by(&first),
        jobs_done_by(&second)
    );
    first.kill();
    second.kill();

    assert_eq!(
        job_counts(app).await,
        JobCounts {
            done: u64::try_from(due.len()).unwrap_or_default(),
            ..JobCounts::default()
        },
        "every job done, none running, failing or dead"
    );
    assert!(
        all_jobs(app).await.iter().all(|entry| entry.attempts == 1),
        "each job claimed once"
    );

    // Each email the jobs wrote was sent, and received once.
    let outbox = job_emails(app).await;
    assert_eq!(outbox.len(), due.len(), "one email per job");
    assert!(
        outbox
            .values()
            .all(|entry| matches!(entry.state, DeliveryState::Sent { .. })),
        "{outbox:#?}"
    );
    let mut deliveries: BTreeMap<String, usize> = BTreeMap::new();
    for message in &received {
        *deliveries.entry(message.outbox_id()).or_default() += 1;
    }
    assert_eq!(
        deliveries.keys().collect::<Vec<_>>(),
        outbox.keys().collect::<Vec<_>>(),
        "every email the jobs wrote was received"
    );
    let twice: Vec<_> = deliveries.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "received more than once: {twice:?}");

    // Each reminder and alert arrived exactly once: no job's work was done twice.
    let mut arrived: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for message in &received {
        *arrived.entry(identify(message, &outbox)).or_default() += 1;
    }
    let mut expected = BTreeMap::new();
    for (i, request) in seeded.requests.iter().enumerate() {
        for subject in REMINDERS {
            expected.insert((advisor(i), subject.to_owned(), String::new()), 1);
        }
        expected.insert(
            (
                CASEWORKER.to_owned(),
                ALERT.to_owned(),
                request.involvement_id.to_string(),
            ),
            1,
        );
    }
    assert_eq!(arrived, expected);
    assert_eq!(
        reminders_audited(app).await,
        due.len(),
        "each job's audit event written once"
    );
}

#[tokio::test]
async fn a_server_killed_between_claiming_a_job_and_finishing_it_sends_nothing_then_a_new_one_sends_it_once()
 {
    let Some(db) = OwnDatabase::create().await else {
        return;
    };
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let now = SystemClock.now();
    // Recorded five weeks ago: due in a week, so only the reminder two weeks
    // before the due date is due.
    let seeded = seed(&db.url, now - Duration::weeks(5), 1).await;
    let app = &seeded.app;
    let due = due(&all_jobs(app).await, now);
    assert_eq!(due.len(), 1, "{due:#?}");
    let reminder = &due[0];
    assert!(
        matches!(
            reminder.job.payload,
            JobPayload::AdviceReminder {
                days_from_due: -14,
                ..
            }
        ),
        "{reminder:#?}"
    );
    let lease = [("SEND_PORTAL_JOB_LEASE_SECONDS", "3")];

    // The test holds the outbox, so the job's finishing commit (which writes its
    // email) waits; its claim, which writes only the job, does not.
    let mut lock = OutboxLock::take(&db.url)
        .await
        .unwrap_or_else(|e| panic!("locking the outbox: {e}"));
    let mut first = PortalProcess::start("first", &db.url, &smtp, &lease);
    wait_until(
        "the first server has claimed the job and is writing its email",
        WITHIN,
        &mut [&mut first],
        async || {
            job(app, reminder).await.status == JobStatus::Running
                && lock.waiting().await.unwrap_or_else(|e| panic!("{e}")) > 0
        },
    )
    .await;
    let killed = first.kill();
    assert_eq!(killed.signal(), Some(9), "killed by SIGKILL");
    lock.release()
        .await
        .unwrap_or_else(|e| panic!("releasing the outbox: {e}"));
    wait_until(
        "the killed server's unfinished transaction has ended",
        WITHIN,
        &mut [],
        async || {
            transactions_in_progress(&db.url)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                == 0
        },
    )
    .await;

    // Nothing of the job was written, and nothing sent: it is still held by the
    // dead server's claim until its lease ends.
    let held = job(app, reminder).await;
    assert_eq!(held.status, JobStatus::Running);
    assert_eq!(held.attempts, 1);
    assert!(job_emails(app).await.is_empty(), "no email in the outbox");
    assert_eq!(reminders_audited(app).await, 0, "no audit event");
    assert!(smtp.received().is_empty(), "nothing sent");

    let mut second = PortalProcess::start("second", &db.url, &smtp, &lease);
    wait_until("the job is done", WITHIN, &mut [&mut second], async || {
        job(app, reminder).await.status == JobStatus::Done
    })
    .await;
    wait_until(
        "the SMTP server has received the email",
        WITHIN,
        &mut [&mut second],
        async || !smtp.received().is_empty(),
    )
    .await;
    // Past another lease and a few more polls: nothing else arrives.
    let_workers_poll(&mut [&mut second], 4).await;
    let received = smtp.received();
    second.kill();

    assert_eq!(received.len(), 1, "exactly one message: {received:#?}");
    assert_eq!(received[0].recipient(), advisor(0));
    assert_eq!(received[0].subject(), REMINDERS[0]);
    let done = job(app, reminder).await;
    assert_eq!(done.status, JobStatus::Done);
    assert_eq!(
        done.attempts, 2,
        "claimed again after the first claim's lease ended"
    );
    let outbox = job_emails(app).await;
    assert_eq!(outbox.len(), 1, "{outbox:#?}");
    assert_eq!(
        outbox.keys().next(),
        Some(&received[0].outbox_id()),
        "the email received is the one the job wrote"
    );
    assert_eq!(reminders_audited(app).await, 1);
    let counts = job_counts(app).await;
    assert_eq!((counts.done, counts.running), (1, 0), "{counts:?}");
}
