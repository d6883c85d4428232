//! GOV.UK Notify as the mail transport, against a local fake of Notify's REST API
//! (an axum server on loopback inside the test). The fake checks what Notify
//! checks: the path, the JSON body's fields, and the bearer token (an HS256 JWT
//! signed with the key's secret, `iss` the service id, `iat` within 30 seconds
//! of its clock); and it answers as Notify does, with 201 and an id or Notify's
//! error JSON.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdListener};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use send_app::mail::notify::{NotificationId, NotifyApiKey, NotifyMailer, NotifySettings};
use send_app::mail::{MailError, Mailer, TransportStatus};
use send_app::outbox::deliver_due_emails;
use send_app::{App, Settings};
use send_domain::{
    Clock, CouncilName, DeliveryState, Email, EmailSubject, FixedClock, OutgoingEmail, PersonName,
};
use send_store_conformance::testdb::TestDb;
use serde_json::{Value, json};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use tracing_subscriber::fmt::MakeWriter;
use url::Url;
use uuid::Uuid;

const START: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);
const SERVICE: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";
const TEMPLATE: &str = "f33517ff-2a88-4f6e-b855-c550268ce08a";
const ADDRESS: &str = "jo.bloggs@example.org";
const NAME: &str = "Jo Bloggs";
const CODE: &str = "493021";

fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

// ---------------------------------------------------------------------------
// The fake Notify.

/// One request the fake accepted.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    body: Value,
    user_agent: String,
}

#[derive(Debug)]
struct FakeState {
    /// The clock the fake judges a token's `iat` by.
    clock: FixedClock,
    /// Answers to give the next sends instead of 201, in order.
    answers: Mutex<VecDeque<(StatusCode, Value)>>,
    received: Mutex<Vec<Received>>,
    /// Each notification's status, by id.
    statuses: Mutex<HashMap<String, String>>,
    /// What a request got wrong (each is also answered with Notify's error).
    problems: Mutex<Vec<String>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Notify's error answer.
fn notify_error(status: StatusCode, error: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({
            "status_code": status.as_u16(),
            "errors": [{"error": error, "message": message}],
        })),
    )
        .into_response()
}

/// Notify's error answer, before it is made: status, error code, message.
type Refusal = (StatusCode, &'static str, &'static str);

#[derive(Debug, serde::Deserialize)]
struct Claims {
    iss: String,
    iat: i64,
}

impl FakeState {
    fn problem(&self, what: String) {
        lock(&self.problems).push(what);
    }

    /// Checks the bearer token as Notify does; `Err` is Notify's error answer
    /// (status, error code, message).
    fn check_token(&self, headers: &HeaderMap) -> Result<(), Refusal> {
        let Some(token) = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        else {
            self.problem("no bearer token".to_owned());
            return Err((
                StatusCode::UNAUTHORIZED,
                "AuthError",
                "Unauthorized: authentication token must be provided",
            ));
        };
        let header = jsonwebtoken::decode_header(token).map_err(|e| {
            self.problem(format!("token header: {e}"));
            (StatusCode::FORBIDDEN, "AuthError", "Invalid token: header")
        })?;
        if header.alg != Algorithm::HS256 || header.typ.as_deref() != Some("JWT") {
            self.problem(format!("token header {header:?}"));
            return Err((
                StatusCode::FORBIDDEN,
                "AuthError",
                "Invalid token: algorithm used is not HS256",
            ));
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["iss"]);
        validation.set_issuer(&[SERVICE]);
        let claims = jsonwebtoken::decode::<Claims>(
            token,
            &ok(DecodingKey::from_secret(SECRET.as_bytes())),
            &validation,
        )
        .map_err(|e| {
            self.problem(format!("token: {e}"));
            (
                StatusCode::FORBIDDEN,
                "AuthError",
                "Invalid token: signature, api token not found",
            )
        })?
        .claims;
        assert_eq!(claims.iss, SERVICE, "validated above");
        let now = self.clock.now().unix_timestamp();
        if (claims.iat - now).abs() > 30 {
            self.problem(format!(
                "iat {} is {}s from now",
                claims.iat,
                claims.iat - now
            ));
            return Err((
                StatusCode::FORBIDDEN,
                "AuthError",
                "Error: Your system clock must be accurate to within 30 seconds",
            ));
        }
        Ok(())
    }
}

/// Checks the body of "send an email": exactly the fields we send.
fn check_body(body: &Value) -> Result<(), String> {
    let object = body.as_object().ok_or("the body is not an object")?;
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    if keys
        != [
            "email_address",
            "personalisation",
            "reference",
            "template_id",
        ]
    {
        return Err(format!("fields {keys:?}"));
    }
    if body["template_id"] != TEMPLATE {
        return Err(format!("template_id {}", body["template_id"]));
    }
    if !body["email_address"].is_string() || !body["reference"].is_string() {
        return Err("email_address and reference must be strings".to_owned());
    }
    let personalisation = body["personalisation"]
        .as_object()
        .ok_or("personalisation is not an object")?;
    let mut keys: Vec<&str> = personalisation.keys().map(String::as_str).collect();
    keys.sort_unstable();
    if keys != ["body", "subject"] || !personalisation.values().all(Value::is_string) {
        return Err(format!("personalisation {keys:?}"));
    }
    Ok(())
}

async fn send_email(
    State(fake): State<Arc<FakeState>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    if let Err((status, error, message)) = fake.check_token(&headers) {
        return notify_error(status, error, message);
    }
    if headers.get("content-type").and_then(|v| v.to_str().ok()) != Some("application/json") {
        fake.problem(format!("content-type {:?}", headers.get("content-type")));
        return notify_error(
            StatusCode::BAD_REQUEST,
            "BadRequestError",
            "Content-Type must be application/json",
        );
    }
    let body: Value = match serde_json::from_str(&body) {
        Ok(body) => body,
        Err(e) => {
            fake.problem(format!("body: {e}"));
            return notify_error(StatusCode::BAD_REQUEST, "BadRequestError", "Invalid JSON");
        }
    };
    if let Err(what) = check_body(&body) {
        fake.problem(what.clone());
        return notify_error(StatusCode::BAD_REQUEST, "ValidationError", &what);
    }
    if let Some((status, answer)) = lock(&fake.answers).pop_front() {
        return (status, axum::Json(answer)).into_response();
    }
    let id = Uuid::new_v4().to_string();
    let user_agent = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    lock(&fake.received).push(Received {
        id: id.clone(),
        body: body.clone(),
        user_agent,
    });
    lock(&fake.statuses).insert(id.clone(), "created".to_owned());
    let answer = json!({
        "id": id,
        "reference": body["reference"],
        "content": {
            "subject": body["personalisation"]["subject"],
            "body": body["personalisation"]["body"],
            "from_email": "testshire.county.council@notifications.service.gov.uk",
        },
        "uri": format!("https://api.notifications.service.gov.uk/v2/notifications/{id}"),
        "template": {
            "id": TEMPLATE,
            "version": 1,
            "uri": format!("https://api.notifications.service.gov.uk/services/{SERVICE}/templates/{TEMPLATE}"),
        },
    });
    (StatusCode::CREATED, axum::Json(answer)).into_response()
}

async fn notification(
    State(fake): State<Arc<FakeState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err((status, error, message)) = fake.check_token(&headers) {
        return notify_error(status, error, message);
    }
    let Some(status) = lock(&fake.statuses).get(&id).cloned() else {
        return notify_error(StatusCode::NOT_FOUND, "NoResultFound", "No result found");
    };
    let answer = json!({
        "id": id,
        "reference": null,
        "email_address": ADDRESS,
        "type": "email",
        "status": status,
        "template": {"id": TEMPLATE, "version": 1, "uri": ""},
        "body": "…",
        "subject": "…",
        "created_at": "2026-11-23T09:00:00.000000Z",
        "created_by_name": null,
        "sent_at": "2026-11-23T09:00:01.000000Z",
        "completed_at": null,
    });
    (StatusCode::OK, axum::Json(answer)).into_response()
}

/// The fake, serving on a loopback port until the test ends.
struct FakeNotify {
    state: Arc<FakeState>,
    base_url: Url,
}

impl FakeNotify {
    async fn start(clock: FixedClock) -> Self {
        let state = Arc::new(FakeState {
            clock,
            answers: Mutex::default(),
            received: Mutex::default(),
            statuses: Mutex::default(),
            problems: Mutex::default(),
        });
        let router = Router::new()
            .route("/v2/notifications/email", post(send_email))
            .route("/v2/notifications/{id}", get(notification))
            .with_state(Arc::clone(&state));
        let listener = ok(tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await);
        let address = ok(listener.local_addr());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            state,
            base_url: ok(Url::parse(&format!("http://{address}"))),
        }
    }

    fn answer_next(&self, status: u16, error: &str, message: &str) {
        lock(&self.state.answers).push_back((
            ok(StatusCode::from_u16(status)),
            json!({"status_code": status, "errors": [{"error": error, "message": message}]}),
        ));
    }

    fn received(&self) -> Vec<Received> {
        lock(&self.state.received).clone()
    }

    fn problems(&self) -> Vec<String> {
        lock(&self.state.problems).clone()
    }

    fn set_status(&self, id: &str, status: &str) {
        lock(&self.state.statuses).insert(id.to_owned(), status.to_owned());
    }
}

// ---------------------------------------------------------------------------
// The portal's side.

struct Harness {
    app: App,
    clock: FixedClock,
    fake: FakeNotify,
    _db: TestDb,
}

async fn harness() -> Harness {
    logs();
    let db = TestDb::sqlite().await;
    let clock = FixedClock::new(START);
    let app = App::new(
        db.store(),
        Arc::new(clock.clone()) as Arc<dyn Clock>,
        Settings {
            council_name: ok(CouncilName::parse("Testshire County Council")),
            base_url: ok(Url::parse("https://send.testshire.gov.uk")),
            demo: false,
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
    let fake = FakeNotify::start(clock.clone()).await;
    Harness {
        app,
        clock,
        fake,
        _db: db,
    }
}

fn settings(base_url: &Url, secret: &str) -> NotifySettings {
    NotifySettings {
        api_key: ok(NotifyApiKey::parse(&format!(
            "send-portal-live-{SERVICE}-{secret}"
        ))),
        template_id: ok(Uuid::try_parse(TEMPLATE)),
        base_url: base_url.clone(),
    }
}

impl Harness {
    fn mailer(&self) -> NotifyMailer {
        ok(NotifyMailer::new(
            settings(&self.fake.base_url, SECRET),
            Arc::new(self.clock.clone()) as Arc<dyn Clock>,
        ))
    }

    fn email(&self) -> OutgoingEmail {
        self.app.compose_email(
            ok(Email::parse(ADDRESS)),
            Some(ok(PersonName::parse(NAME))),
            ok(EmailSubject::parse("Your code to finish signing in")),
            &[
                format!("Your code is {CODE}."),
                "It expires in 15 minutes.".to_owned(),
            ],
        )
    }

    async fn queued(&self) -> OutgoingEmail {
        let email = self.email();
        ok(self.app.queue_email(&email).await);
        email
    }

    async fn entry(&self) -> send_domain::OutboxEntry {
        ok(self.app.store.outbox_emails(1).await).remove(0)
    }
}

fn notify_kind(result: Result<Option<String>, MailError>) -> (&'static str, String) {
    match result {
        Err(err) => (err.kind(), err.to_string()),
        Ok(reference) => panic!("sent, with reference {reference:?}"),
    }
}

// ---------------------------------------------------------------------------
// The tests.

#[tokio::test]
async fn an_email_goes_through_notify_with_its_subject_and_text_and_notifys_id_is_kept() {
    let h = harness().await;
    let email = h.queued().await;
    let mailer = h.mailer();

    assert_eq!(ok(deliver_due_emails(&h.app, &mailer).await), 1);

    assert_eq!(h.fake.problems(), Vec::<String>::new());
    let received = h.fake.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(
        request.body,
        json!({
            "email_address": ADDRESS,
            "template_id": TEMPLATE,
            "personalisation": {
                "subject": "Your code to finish signing in",
                "body": email.text_body,
            },
            "reference": email.id.to_string(),
        })
    );
    assert!(
        email
            .text_body
            .starts_with(&format!("Dear {NAME},\n\nYour code is {CODE}.")),
        "the plain-text body, greeting and all: {}",
        email.text_body
    );
    assert!(request.user_agent.starts_with("send-portal/"));

    let entry = h.entry().await;
    assert_eq!(
        entry.state,
        DeliveryState::Sent {
            at: START,
            attempts: 1
        }
    );
    assert_eq!(
        entry.transport_reference.as_deref(),
        Some(request.id.as_str()),
        "Notify's id is kept with the email"
    );
}

#[tokio::test]
async fn the_token_is_refused_when_signed_with_another_secret_or_made_at_another_time() {
    let h = harness().await;
    let email = h.email();

    // The right key, at the fake's time: accepted.
    assert!(h.mailer().send_tracked(&email).await.is_ok());
    assert_eq!(h.fake.problems(), Vec::<String>::new());

    let wrong_secret = ok(NotifyMailer::new(
        settings(&h.fake.base_url, "00000000-8d35-48ac-975b-e847b4f122b0"),
        Arc::new(h.clock.clone()) as Arc<dyn Clock>,
    ));
    let (kind, shown) = notify_kind(wrong_secret.send_tracked(&email).await);
    assert_eq!(kind, "notify_auth");
    assert!(
        shown.contains("(403)") && shown.contains("AuthError: Invalid token"),
        "{shown}"
    );
    assert!(
        h.fake.problems()[0].starts_with("token:"),
        "{:?}",
        h.fake.problems()
    );

    // A server clock 31 seconds out: Notify refuses the token's time.
    let slow_clock = FixedClock::new(START - Duration::seconds(31));
    let slow = ok(NotifyMailer::new(
        settings(&h.fake.base_url, SECRET),
        Arc::new(slow_clock.clone()) as Arc<dyn Clock>,
    ));
    let (kind, shown) = notify_kind(slow.send_tracked(&email).await);
    assert_eq!(kind, "notify_auth");
    assert!(shown.contains("accurate to within 30 seconds"), "{shown}");
    slow_clock.set(START - Duration::seconds(30));
    assert!(
        slow.send_tracked(&email).await.is_ok(),
        "30 seconds is within Notify's limit"
    );
    assert_eq!(h.fake.received().len(), 2);
}

#[tokio::test]
async fn notifys_errors_map_to_kinds_that_name_its_error_codes() {
    let h = harness().await;
    let mailer = h.mailer();
    let email = h.email();
    let cases = [
        (
            400,
            "BadRequestError",
            "Can't send to this recipient using a team-only API key",
            "notify_rejected",
            true,
        ),
        (
            400,
            "BadRequestError",
            "Template not found",
            "notify_rejected",
            true,
        ),
        (
            403,
            "AuthError",
            "Invalid token: API key not found",
            "notify_auth",
            true,
        ),
        (
            429,
            "RateLimitError",
            "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
            "notify_rate_limited",
            false,
        ),
        (
            429,
            "TooManyRequestsError",
            "Exceeded send limits (250000) for today",
            "notify_rate_limited",
            false,
        ),
        (
            500,
            "Exception",
            "Internal server error",
            "notify_unavailable",
            false,
        ),
    ];
    for (status, code, message, kind, needs_attention) in cases {
        h.fake.answer_next(status, code, message);
        let err = match mailer.send_tracked(&email).await {
            Err(err) => err,
            Ok(sent) => panic!("{status}: sent {sent:?}"),
        };
        assert_eq!(err.kind(), kind, "{status} {code}");
        assert_eq!(err.needs_attention(), needs_attention, "{status} {code}");
        let shown = err.to_string();
        assert!(
            shown.contains(&format!("({status}): {code}: {message}")),
            "{status}: {shown}"
        );
    }
    assert!(h.fake.received().is_empty(), "nothing was sent");

    // Nothing listening at the address: unreachable, retried.
    let closed = {
        let listener = ok(StdListener::bind(SocketAddr::from((
            Ipv4Addr::LOCALHOST,
            0,
        ))));
        ok(listener.local_addr())
    };
    let nowhere = ok(NotifyMailer::new(
        settings(&ok(Url::parse(&format!("http://{closed}"))), SECRET),
        Arc::new(h.clock.clone()) as Arc<dyn Clock>,
    ));
    let (kind, shown) = notify_kind(nowhere.send_tracked(&email).await);
    assert_eq!(kind, "notify_unreachable");
    assert!(
        shown.starts_with("GOV.UK Notify could not be reached"),
        "{shown}"
    );
    assert_eq!(h.fake.problems(), Vec::<String>::new());
}

#[tokio::test]
async fn the_outbox_retries_an_email_notify_refused_until_it_goes_once() {
    let h = harness().await;
    let email = h.queued().await;
    let mailer = h.mailer();
    h.fake.answer_next(
        429,
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    );

    assert_eq!(ok(deliver_due_emails(&h.app, &mailer).await), 0);
    let DeliveryState::Pending {
        attempts,
        next_attempt_at,
        last_error,
    } = h.entry().await.state
    else {
        panic!("not pending")
    };
    assert_eq!(
        (attempts, next_attempt_at),
        (1, START + Duration::seconds(30))
    );
    assert_eq!(
        last_error.as_deref(),
        Some(
            "GOV.UK Notify asked us to slow down (429): RateLimitError: Exceeded rate limit for \
             key type LIVE of 3000 requests per 60 seconds"
        )
    );

    h.clock.advance(Duration::seconds(30));
    assert_eq!(ok(deliver_due_emails(&h.app, &mailer).await), 1);
    let entry = h.entry().await;
    assert_eq!(entry.email.id, email.id);
    assert!(matches!(
        entry.state,
        DeliveryState::Sent { attempts: 2, .. }
    ));
    h.clock.advance(Duration::days(1));
    assert_eq!(ok(deliver_due_emails(&h.app, &mailer).await), 0);
    assert_eq!(h.fake.received().len(), 1, "sent once");
}

#[tokio::test]
async fn delivery_status_is_read_back_from_notify() {
    let h = harness().await;
    let mailer = h.mailer();
    let older = h.queued().await;
    h.clock.advance(Duration::seconds(1));
    let email = h.queued().await;
    // The older email (tried first) fails for now; the newer one goes.
    h.fake
        .answer_next(500, "Exception", "Internal server error");
    assert_eq!(ok(deliver_due_emails(&h.app, &mailer).await), 1);
    let id = h.fake.received()[0].id.clone();
    assert_eq!(h.fake.received()[0].body["reference"], email.id.to_string());

    let notification = NotificationId::parse(&id).unwrap_or_else(|| panic!("{id}"));
    assert_eq!(
        ok(mailer.status(notification).await),
        TransportStatus::Accepted
    );
    for (word, status) in [
        ("sending", TransportStatus::Sending),
        ("delivered", TransportStatus::Delivered),
        ("permanent-failure", TransportStatus::PermanentFailure),
        ("temporary-failure", TransportStatus::TemporaryFailure),
        ("technical-failure", TransportStatus::TechnicalFailure),
    ] {
        h.fake.set_status(&id, word);
        assert_eq!(ok(mailer.status(notification).await), status);
        assert_eq!(ok(mailer.delivery_status(&id).await), Some(status));
    }

    // Asking about a notification Notify does not know.
    let unknown =
        NotificationId::parse(&Uuid::new_v4().to_string()).unwrap_or_else(|| panic!("a uuid"));
    let err = match mailer.status(unknown).await {
        Err(err) => err,
        Ok(status) => panic!("{status:?}"),
    };
    assert_eq!(err.kind(), "notify_not_found");

    // The operators' list: newest first, the sent one with Notify's word for it,
    // the waiting one with none, and never an address.
    h.fake.set_status(&id, "permanent-failure");
    let deliveries = ok(h.app.email_deliveries(&mailer, 10).await);
    assert_eq!(deliveries.len(), 2);
    let sent = deliveries
        .iter()
        .find(|d| d.email_id == email.id)
        .unwrap_or_else(|| panic!("{deliveries:?}"));
    assert_eq!(sent.transport_reference.as_deref(), Some(id.as_str()));
    assert_eq!(
        sent.transport_status,
        Some(Ok(TransportStatus::PermanentFailure))
    );
    let waiting = deliveries
        .iter()
        .find(|d| d.email_id == older.id)
        .unwrap_or_else(|| panic!("{deliveries:?}"));
    assert!(matches!(
        waiting.state,
        DeliveryState::Pending { attempts: 1, .. }
    ));
    assert_eq!(waiting.transport_status, None);
    assert!(!format!("{deliveries:?}").contains(ADDRESS));

    // Another transport's error that quotes the address (an SMTP server's, say)
    // is stored whole, but the operators' list takes the address out.
    ok(h.app
        .store
        .mark_email_failed(
            older.id,
            2,
            START + Duration::hours(1),
            "550 5.1.1 <Jo.Bloggs@example.org>: Recipient address rejected",
        )
        .await);
    let deliveries = ok(h.app.email_deliveries(&mailer, 10).await);
    let waiting = deliveries
        .iter()
        .find(|d| d.email_id == older.id)
        .unwrap_or_else(|| panic!("{deliveries:?}"));
    assert_eq!(
        waiting.state,
        DeliveryState::Pending {
            attempts: 2,
            next_attempt_at: START + Duration::hours(1),
            last_error: Some("550 5.1.1 <(the recipient)>: Recipient address rejected".to_owned()),
        }
    );
    assert_eq!(h.fake.problems(), Vec::<String>::new());
}

/// Log output, kept for the test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        lock(&self.0).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Everything every test in this binary logs, at every level: the process's one
/// subscriber, set before the first test's harness (a thread's own subscriber
/// can miss lines while other threads log without one).
fn logs() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(captured.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::TRACE)
            .finish();
        ok(tracing::subscriber::set_global_default(subscriber));
        captured
    })
}

#[tokio::test]
async fn nothing_personal_reaches_the_logs_the_stored_error_or_the_mailers_debug() {
    let h = harness().await;
    let email = h.queued().await;
    let mailer = h.mailer();
    // Should Notify ever repeat the address in an error, it is taken out.
    h.fake.answer_next(
        400,
        "BadRequestError",
        &format!(
            "Can't send to {} using a team-only API key",
            ADDRESS.to_uppercase()
        ),
    );
    assert_eq!(ok(deliver_due_emails(&h.app, &mailer).await), 0);
    let DeliveryState::Pending { last_error, .. } = h.entry().await.state else {
        panic!("not pending")
    };
    let last_error = last_error.unwrap_or_default();
    assert!(
        last_error.contains("BadRequestError: Can't send to (the recipient) using"),
        "{last_error}"
    );
    h.clock.advance(Duration::minutes(1));
    assert_eq!(ok(deliver_due_emails(&h.app, &mailer).await), 1);
    ok(h.app.email_deliveries(&mailer, 10).await);

    // The log of every test in this binary so far, this one's lines among them.
    let logs = String::from_utf8_lossy(&lock(&logs().0)).into_owned();
    assert!(
        logs.contains("the mail transport refused an email")
            && logs.contains("error_kind=\"notify_rejected\" error_codes=\"BadRequestError\"")
            && logs.contains("email sent"),
        "{logs}"
    );
    assert!(logs.contains(&email.id.to_string()), "{logs}");
    let debug = format!("{mailer:?}");
    for (shown, what) in [
        (&logs, "logs"),
        (&last_error, "stored error"),
        (&debug, "Debug"),
    ] {
        for personal in [ADDRESS, "JO.BLOGGS", NAME, CODE, SECRET] {
            assert!(
                !holds(shown, personal),
                "{what} holds {personal:?}: {shown}"
            );
        }
    }
    assert_eq!(h.fake.problems(), Vec::<String>::new());
}

/// Whether `text` holds `personal` (any case). A number counts only as a
/// number of its own: not inside a longer one, and not the fraction of a
/// second in a log line's time or a duration (`09:08:34.493021Z` once held the
/// code by chance).
fn holds(text: &str, personal: &str) -> bool {
    let (text, personal) = (text.to_lowercase(), personal.to_lowercase());
    if !personal.chars().all(|c| c.is_ascii_digit()) {
        return text.contains(&personal);
    }
    text.match_indices(&personal).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + personal.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

#[test]
fn a_code_in_a_sentence_is_held_but_not_the_same_digits_in_a_time() {
    assert!(holds("Your code is 493021.", CODE));
    assert!(holds("code=493021 sent", CODE));
    assert!(!holds("2026-12-06T17:08:34.493021Z DEBUG", CODE));
    assert!(!holds("elapsed_secs=0.000493021", CODE));
    assert!(!holds("id 14930210", CODE));
    assert!(holds("To: Jo.Bloggs@example.com", "JO.BLOGGS"));
}

/// A redirect from the Notify address is not followed: following it would send
/// the API token and the email's text to whichever host the redirect names.
#[tokio::test]
async fn a_redirect_from_notify_is_not_followed() {
    let h = harness().await;
    h.queued().await;
    let elsewhere = format!("{}v2/notifications/email", h.fake.base_url);
    let redirector = Router::new().route(
        "/v2/notifications/email",
        post(move || async move {
            (
                StatusCode::TEMPORARY_REDIRECT,
                [(axum::http::header::LOCATION, elsewhere)],
            )
        }),
    );
    let listener = ok(tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await);
    let address = ok(listener.local_addr());
    tokio::spawn(async move { axum::serve(listener, redirector).await });
    let mailer = ok(NotifyMailer::new(
        settings(&ok(Url::parse(&format!("http://{address}"))), SECRET),
        Arc::new(h.clock.clone()) as Arc<dyn Clock>,
    ));

    assert_eq!(ok(deliver_due_emails(&h.app, &mailer).await), 0);

    assert!(
        h.fake.received().is_empty(),
        "the host the redirect named received nothing"
    );
    let state = h.entry().await.state;
    assert!(
        matches!(state, DeliveryState::Pending { attempts: 1, .. }),
        "the email waits to be tried again, not marked sent: {state:?}"
    );
}
