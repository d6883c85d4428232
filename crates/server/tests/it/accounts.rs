//! Accounts through the real pages: registering, the two-step sign-in, lockouts,
//! codes, forgotten passwords, signing out, and back-office accounts' authenticator.

use http::StatusCode;
use send_app::accounts::CodeOutcome;
use send_domain::{AuditAction, AuditOutcome, AuditQuery, Clock, CodePurpose, CodeText, Email};
use time::Duration;

use crate::support::{TestApp, TestClient, TestResponse, on_both_databases};

pub const PASSWORD: &str = "Correct-Horse-Battery-9";
const NEW_PASSWORD: &str = "Another-Long-Passphrase-42";

/// The form token in a page.
pub fn csrf_of(page: &TestResponse) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("no form token in page:\n{}", page.body))
        + marker.len();
    page.body[start..start + 64].to_owned()
}

/// Gets `path` and posts its form with `fields` (and the form token).
pub async fn submit(
    client: &mut TestClient,
    path: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let page = client.get(path).await;
    let token = csrf_of(&page);
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    client.post_form(action, &all).await
}

/// The registration's first screen ("Your details"); every other field is the
/// second's (email address, password and Confirm Password).
const DETAILS_FIELDS: [&str; 6] = [
    "name",
    "phone",
    "professional",
    "organisation",
    "job_role",
    "work_phone",
];

/// The second registration screen.
pub const EMAIL_AND_PASSWORD: &str = "/register/email-and-password";

/// Fills in both registration screens, each with its own `fields` and **Next**:
/// returns the second screen's answer.
pub async fn submit_registration(client: &mut TestClient, fields: &[(&str, &str)]) -> TestResponse {
    let (details, rest): (Vec<_>, Vec<_>) = fields
        .iter()
        .copied()
        .partition(|(name, _)| DETAILS_FIELDS.contains(name));
    let first = submit(client, "/register", "/register", &details).await;
    assert_eq!(location(&first), EMAIL_AND_PASSWORD, "{}", first.body);
    submit(client, EMAIL_AND_PASSWORD, EMAIL_AND_PASSWORD, &rest).await
}

/// The newest email to `to`: its subject and text. The test clock then moves on a
/// second, so every email sent after this call is newer than every one before it.
pub async fn latest_email(app: &TestApp, to: &str) -> (String, String) {
    app.clock.advance(Duration::seconds(1));
    let emails = app
        .app
        .store
        .outbox_emails(100)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let email = emails
        .into_iter()
        .find(|e| e.email.to.as_str() == to)
        .unwrap_or_else(|| panic!("no email to {to}"));
    (
        email.email.subject.as_str().to_owned(),
        email.email.text_body,
    )
}

pub fn six_digits(text: &str) -> String {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(5))
        .find(|&i| {
            bytes[i..i + 6].iter().all(u8::is_ascii_digit)
                && (i == 0 || !bytes[i - 1].is_ascii_digit())
                && bytes.get(i + 6).is_none_or(|b| !b.is_ascii_digit())
        })
        .map_or_else(
            || panic!("no code in:\n{text}"),
            |i| text[i..i + 6].to_owned(),
        )
}

fn location(response: &TestResponse) -> &str {
    response.header("location").unwrap_or_default()
}

fn session_cookie(response: &TestResponse) -> Option<String> {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("send_portal_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// Registers and confirms an account; the client ends up signed in.
pub async fn register(app: &TestApp, client: &mut TestClient, email: &str) {
    register_with(
        app,
        client,
        &[("name", "Jo Bloggs"), ("email", email)],
        "/home",
    )
    .await;
}

/// Registers with these details (name, email and any others) and confirms the
/// account, which then lands on `landing`.
pub async fn register_with(
    app: &TestApp,
    client: &mut TestClient,
    details: &[(&str, &str)],
    landing: &str,
) {
    app.clock.advance(Duration::seconds(1));
    let email = details
        .iter()
        .find(|(k, _)| *k == "email")
        .map_or_else(|| panic!("no email"), |(_, v)| *v);
    let mut fields = details.to_vec();
    fields.extend([("password", PASSWORD), ("confirm_password", PASSWORD)]);
    let done = submit_registration(client, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(location(&done), "/register/confirm");
    let (subject, text) = latest_email(app, email).await;
    assert_eq!(subject, "Your SEND Portal verification code");
    let code = six_digits(&text);
    let verified = submit(
        client,
        "/register/confirm",
        "/register/confirm",
        &[("code", &code)],
    )
    .await;
    assert_eq!(location(&verified), landing, "{}", verified.body);
}

/// The password step; returns the response.
async fn password_step(client: &mut TestClient, email: &str, password: &str) -> TestResponse {
    submit(
        client,
        "/sign-in",
        "/sign-in",
        &[("email", email), ("password", password)],
    )
    .await
}

/// Both steps of signing in with an emailed code.
pub async fn sign_in(app: &TestApp, client: &mut TestClient, email: &str, password: &str) {
    sign_in_to(app, client, email, password, "/home").await;
}

/// Both steps of signing in, landing on `landing`.
pub async fn sign_in_to(
    app: &TestApp,
    client: &mut TestClient,
    email: &str,
    password: &str,
    landing: &str,
) {
    app.clock.advance(Duration::seconds(1));
    let step = password_step(client, email, password).await;
    assert_eq!(location(&step), "/sign-in/code", "{}", step.body);
    let code = six_digits(&latest_email(app, email).await.1);
    let done = submit(client, "/sign-in/code", "/sign-in/code", &[("code", &code)]).await;
    assert_eq!(location(&done), landing, "{}", done.body);
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "both screens, Back, and the last step, in the order a person meets them"
)]
async fn registration_shows_each_error_keeps_answers_and_writes_nothing() {
    on_both_databases(async |app| {
        let mut client = app.client();
        // The first screen: your details.
        let page = submit(
            &mut client,
            "/register",
            "/register",
            &[
                ("name", "Jo Bloggs"),
                ("phone", "12"),
                ("professional", "yes"),
                ("organisation", "Oak School"),
            ],
        )
        .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        assert!(page.title().starts_with("Error: Register for new account"));
        for message in [
            "There is a problem",
            "Enter a telephone number, like 01632 960 001",
            "Enter your role",
            "Enter your work telephone number",
        ] {
            assert!(page.body.contains(message), "missing {message:?}");
        }
        assert!(page.body.contains("value=\"Jo Bloggs\""));
        assert!(page.body.contains("value=\"Oak School\""));
        assert!(
            !page.body.contains("name=\"password\""),
            "one screen at a time"
        );
        // Not past the first screen until it is right.
        assert_eq!(location(&client.get(EMAIL_AND_PASSWORD).await), "/register");

        // Right, then the second screen: email address, password, Confirm Password.
        let next = submit(
            &mut client,
            "/register",
            "/register",
            &[
                ("name", "Jo Bloggs"),
                ("professional", "yes"),
                ("organisation", "Oak School"),
                ("job_role", "SENCo"),
                ("work_phone", "01632 960 001"),
            ],
        )
        .await;
        assert_eq!(location(&next), EMAIL_AND_PASSWORD);
        let page = submit(
            &mut client,
            EMAIL_AND_PASSWORD,
            EMAIL_AND_PASSWORD,
            &[
                ("email", "jo@example"),
                ("password", "short"),
                ("confirm_password", "different"),
            ],
        )
        .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        assert!(
            page.title()
                .starts_with("Error: Your email address and password")
        );
        for message in [
            "There is a problem",
            "Enter an email address in the correct format",
            "Password must be at least 15 characters long",
            "Password must contain at least one upper-case letter",
            "The passwords do not match",
        ] {
            assert!(page.body.contains(message), "missing {message:?}");
        }
        // What was typed is kept (but never a password).
        assert!(page.body.contains("value=\"jo@example\""));
        assert!(!page.body.contains("value=\"short\""));
        assert!(
            page.body
                .contains("href=\"/register\" class=\"govuk-back-link\"")
        );

        // Back: the first screen's answers are still there.
        let back = client.get("/register").await;
        for kept in ["Jo Bloggs", "Oak School", "SENCo", "01632 960 001"] {
            assert!(back.body.contains(&format!("value=\"{kept}\"")), "{kept}");
        }
        assert!(
            app.app.store.outbox_emails(10).await.unwrap().is_empty(),
            "nothing is sent for a refused form"
        );
        let email = Email::parse("jo@example.com").unwrap();
        assert!(
            app.app
                .store
                .account_by_email(&email)
                .await
                .unwrap()
                .is_none(),
            "nothing is written before the last screen"
        );

        // The last screen right: the account, the code to the address shown.
        let done = submit(
            &mut client,
            EMAIL_AND_PASSWORD,
            EMAIL_AND_PASSWORD,
            &[
                ("email", "jo@example.com"),
                ("password", PASSWORD),
                ("confirm_password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(location(&done), "/register/confirm", "{}", done.body);
        let account = app
            .app
            .store
            .account_by_email(&email)
            .await
            .unwrap()
            .expect("the account");
        assert_eq!(account.name.as_str(), "Jo Bloggs");
        assert_eq!(
            account.professional.map(|p| p.organisation.to_string()),
            Some("Oak School".to_owned())
        );
    })
    .await;
}

#[tokio::test]
async fn the_code_page_says_where_the_code_went_and_the_address_can_be_changed() {
    on_both_databases(async |app| {
        let mut client = app.client();
        let done = submit_registration(
            &mut client,
            &[
                ("name", "Jo Bloggs"),
                ("email", "jo@exmaple.com"),
                ("password", PASSWORD),
                ("confirm_password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(location(&done), "/register/confirm");
        let code_page = client.get("/register/confirm").await;
        assert!(
            code_page
                .body
                .contains("We have sent a verification code to jo@exmaple.com."),
            "{}",
            code_page.body
        );
        assert!(code_page.body.contains(&format!(
            "href=\"{EMAIL_AND_PASSWORD}\">Change email address</a>"
        )));

        // A mistyped address: back to the second screen, the address kept to put right.
        let change = client.get(EMAIL_AND_PASSWORD).await;
        assert_eq!(change.status, StatusCode::OK);
        assert!(change.body.contains("value=\"jo@exmaple.com\""));
        let again = submit(
            &mut client,
            EMAIL_AND_PASSWORD,
            EMAIL_AND_PASSWORD,
            &[
                ("email", "jo@example.com"),
                ("password", PASSWORD),
                ("confirm_password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(location(&again), "/register/confirm");
        assert!(
            client
                .get("/register/confirm")
                .await
                .body
                .contains("We have sent a verification code to jo@example.com.")
        );
        let code = six_digits(&latest_email(&app, "jo@example.com").await.1);
        let verified = submit(
            &mut client,
            "/register/confirm",
            "/register/confirm",
            &[("code", &code)],
        )
        .await;
        assert_eq!(location(&verified), "/home");
        let home = client.get("/home").await;
        assert!(
            home.body.contains("Jo Bloggs"),
            "the first screen's answers"
        );
        // Registered: the answers are gone from the session.
        assert!(
            !client
                .get("/register")
                .await
                .body
                .contains("value=\"Jo Bloggs\"")
        );

        // Signing in: the code page names the address, and changing it goes back
        // to Sign in with the address kept.
        let mut other = app.client();
        let step = password_step(&mut other, "jo@example.com", PASSWORD).await;
        assert_eq!(location(&step), "/sign-in/code");
        let code_page = other.get("/sign-in/code").await;
        assert!(
            code_page
                .body
                .contains("We have sent a code to jo@example.com.")
        );
        assert!(
            code_page
                .body
                .contains("href=\"/sign-in\">Change email address</a>")
        );
        let sign_in = other.get("/sign-in").await;
        assert!(sign_in.body.contains("value=\"jo@example.com\""));
    })
    .await;
}

#[tokio::test]
async fn registering_then_signing_in_takes_two_steps_with_a_new_session_id_at_each() {
    on_both_databases(async |app| {
        let mut client = app.client();
        register(&app, &mut client, "jo@example.com").await;
        let home = client.get("/home").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("Jo Bloggs"));

        let mut fresh = app.client();
        let first = fresh.get("/sign-in").await;
        let before = session_cookie(&first).expect("a session for the form token");
        let token = csrf_of(&first);
        let step = fresh
            .post_form(
                "/sign-in",
                &[
                    ("csrf_token", &token),
                    ("email", "jo@example.com"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(location(&step), "/sign-in/code");
        let after_password = session_cookie(&step).expect("a new session id after the password");
        assert_ne!(before, after_password);
        // Not signed in yet.
        assert_eq!(location(&fresh.get("/home").await), "/sign-in");

        let code = six_digits(&latest_email(&app, "jo@example.com").await.1);
        let page = fresh.get("/sign-in/code").await;
        let done = fresh
            .post_form(
                "/sign-in/code",
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("code", &format!("{} {}", &code[..3], &code[3..])),
                ],
            )
            .await;
        assert_eq!(location(&done), "/home");
        let after_code = session_cookie(&done).expect("a new session id after the code");
        assert_ne!(after_password, after_code);
        assert_eq!(fresh.get("/home").await.status, StatusCode::OK);

        let sign_ins = app
            .app
            .store
            .search_audit_events(&AuditQuery {
                child_id: None,
                user_id: None,
                action: Some(AuditAction::SignedIn),
                limit: 100,
                ..AuditQuery::default()
            })
            .await
            .unwrap();
        assert_eq!(sign_ins.len(), 2, "after verifying, and after the code");
        let account = fresh.get("/account").await;
        assert!(account.body.contains("Your last 10 sign-ins"));
    })
    .await;
}

fn without_token(body: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let mut out = body.to_owned();
    while let Some(at) = out.find(marker) {
        let start = at + marker.len();
        out.replace_range(at..start + 64, "");
    }
    out
}

#[tokio::test]
async fn unknown_and_known_email_addresses_get_the_same_answers() {
    on_both_databases(async |app| {
        let mut client = app.client();
        register(&app, &mut client, "jo@example.com").await;

        let mut stranger = app.client();
        let known = password_step(&mut stranger, "jo@example.com", "Wrong-Password-123456").await;
        let unknown =
            password_step(&mut stranger, "nobody@example.com", "Wrong-Password-123456").await;
        assert_eq!(known.status, StatusCode::BAD_REQUEST);
        assert_eq!(known.status, unknown.status);
        assert_eq!(
            without_token(&known.body).replace("jo@example.com", "X"),
            without_token(&unknown.body).replace("nobody@example.com", "X")
        );
        assert!(
            known
                .body
                .contains("Enter a correct email address and password")
        );

        let reset_known = submit(
            &mut stranger,
            "/forgotten-password",
            "/forgotten-password",
            &[("email", "jo@example.com")],
        )
        .await;
        let reset_unknown = submit(
            &mut stranger,
            "/forgotten-password",
            "/forgotten-password",
            &[("email", "nobody@example.com")],
        )
        .await;
        assert_eq!(reset_known.status, reset_unknown.status);
        assert_eq!(reset_known.body, reset_unknown.body);

        // Registering with a used address looks the same as a new registration, and
        // the address's owner is told instead.
        app.clock.advance(Duration::seconds(1));
        let again = submit_registration(
            &mut stranger,
            &[
                ("name", "Someone Else"),
                ("email", "jo@example.com"),
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
        assert_eq!(location(&again), "/register/confirm");
        assert_eq!(
            latest_email(&app, "jo@example.com").await.0,
            "You already have a SEND Portal account"
        );
        let email = Email::parse("jo@example.com").unwrap();
        let account = app
            .app
            .store
            .account_by_email(&email)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            account.name.as_str(),
            "Jo Bloggs",
            "the account is unchanged"
        );
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_slow_then_lock_the_address_and_it_is_released_after_the_lockout() {
    on_both_databases(async |app| {
        let mut client = app.client();
        register(&app, &mut client, "jo@example.com").await;
        let mut attacker = app.client();
        for attempt in 1..=10 {
            let refused =
                password_step(&mut attacker, "jo@example.com", "Wrong-Password-123456").await;
            assert!(
                refused
                    .body
                    .contains("Enter a correct email address and password"),
                "attempt {attempt}"
            );
            app.clock.advance(Duration::minutes(3));
        }
        let slowed_down = password_step(&mut attacker, "jo@example.com", PASSWORD).await;
        assert_eq!(slowed_down.status, StatusCode::BAD_REQUEST);
        assert!(
            slowed_down
                .body
                .contains("There have been too many attempts to sign in")
        );
        // An unknown address locks out the same way, so a lockout reveals nothing.
        for _ in 1..=10 {
            password_step(&mut attacker, "nobody@example.com", "Wrong-Password-123456").await;
            app.clock.advance(Duration::minutes(3));
        }
        let unknown =
            password_step(&mut attacker, "nobody@example.com", "Wrong-Password-123456").await;
        assert!(
            unknown
                .body
                .contains("There have been too many attempts to sign in")
        );

        app.clock.advance(Duration::minutes(15));
        let released = password_step(&mut attacker, "jo@example.com", PASSWORD).await;
        assert_eq!(location(&released), "/sign-in/code", "{}", released.body);
        let refused = app
            .app
            .store
            .search_audit_events(&AuditQuery {
                child_id: None,
                user_id: None,
                action: Some(AuditAction::SignInPassword),
                limit: 100,
                ..AuditQuery::default()
            })
            .await
            .unwrap();
        assert!(refused.iter().any(|e| e.outcome == AuditOutcome::Refused));
    })
    .await;
}

#[tokio::test]
async fn a_sign_in_code_expires_works_once_and_is_voided_by_five_wrong_entries() {
    on_both_databases(async |app| {
        let mut client = app.client();
        register(&app, &mut client, "jo@example.com").await;
        let source = send_app::audit::Source::default();
        let start = async || {
            app.clock.advance(Duration::seconds(1));
            match app
                .app
                .sign_in_password("jo@example.com", PASSWORD, &source)
                .await
                .unwrap()
            {
                send_app::accounts::PasswordStep::EmailCode(pending) => {
                    let code = six_digits(&latest_email(&app, "jo@example.com").await.1);
                    (pending, CodeText::parse(&code).unwrap())
                }
                other => panic!("expected an emailed code, got {other:?}"),
            }
        };

        // Expiry: 10 minutes.
        let (pending, code) = start().await;
        app.clock.advance(Duration::minutes(10));
        assert_eq!(
            app.app
                .finish_sign_in_with_code(&pending, &code, &source)
                .await
                .unwrap(),
            CodeOutcome::Expired
        );

        // Single use.
        let (pending, code) = start().await;
        assert!(matches!(
            app.app
                .finish_sign_in_with_code(&pending, &code, &source)
                .await
                .unwrap(),
            CodeOutcome::Accepted(_)
        ));
        assert_eq!(
            app.app
                .finish_sign_in_with_code(&pending, &code, &source)
                .await
                .unwrap(),
            CodeOutcome::Expired
        );

        // Bound to the attempt: another session's secret finds nothing.
        let (pending, code) = start().await;
        let mut other = pending.clone();
        other.attempt = "0".repeat(64);
        assert_eq!(
            app.app
                .finish_sign_in_with_code(&other, &code, &source)
                .await
                .unwrap(),
            CodeOutcome::Expired
        );

        // Five wrong entries void it, even for the right code afterwards.
        let wrong = CodeText::parse(if code.as_str() == "000000" {
            "111111"
        } else {
            "000000"
        })
        .unwrap();
        for _ in 0..4 {
            assert_eq!(
                app.app
                    .finish_sign_in_with_code(&pending, &wrong, &source)
                    .await
                    .unwrap(),
                CodeOutcome::Wrong
            );
        }
        assert_eq!(
            app.app
                .finish_sign_in_with_code(&pending, &wrong, &source)
                .await
                .unwrap(),
            CodeOutcome::TooManyWrong
        );
        assert_eq!(
            app.app
                .finish_sign_in_with_code(&pending, &code, &source)
                .await
                .unwrap(),
            CodeOutcome::TooManyWrong
        );
        assert_eq!(pending.purpose, CodePurpose::SignIn);
    })
    .await;
}

#[tokio::test]
async fn please_send_me_a_new_code_is_limited_to_five_codes_an_hour() {
    on_both_databases(async |app| {
        let mut client = app.client();
        register(&app, &mut client, "jo@example.com").await;
        let mut other = app.client();
        let step = password_step(&mut other, "jo@example.com", PASSWORD).await;
        assert_eq!(location(&step), "/sign-in/code");
        // One code sent at sign-in; four more may be asked for.
        for _ in 0..4 {
            app.clock.advance(Duration::seconds(1));
            let resent = submit(&mut other, "/sign-in/code", "/sign-in/new-code", &[]).await;
            assert_eq!(location(&resent), "/sign-in/code");
            let page = other.get("/sign-in/code").await;
            assert!(
                page.body.contains("We have sent you a new code"),
                "{}",
                page.body
            );
        }
        let refused = submit(&mut other, "/sign-in/code", "/sign-in/new-code", &[]).await;
        assert_eq!(location(&refused), "/sign-in/code");
        let page = other.get("/sign-in/code").await;
        assert!(page.body.contains("You have asked for too many codes"));
        // The newest code still works.
        let code = six_digits(&latest_email(&app, "jo@example.com").await.1);
        let done = submit(
            &mut other,
            "/sign-in/code",
            "/sign-in/code",
            &[("code", &code)],
        )
        .await;
        assert_eq!(location(&done), "/home");
    })
    .await;
}

#[tokio::test]
async fn a_password_reset_ends_every_session_and_its_link_works_once() {
    on_both_databases(async |app| {
        let mut first = app.client();
        register(&app, &mut first, "jo@example.com").await;
        assert_eq!(first.get("/home").await.status, StatusCode::OK);

        let mut second = app.client();
        submit(
            &mut second,
            "/forgotten-password",
            "/forgotten-password",
            &[("email", "jo@example.com")],
        )
        .await;
        let (subject, text) = latest_email(&app, "jo@example.com").await;
        assert_eq!(subject, "Reset your SEND Portal password");
        let link = text
            .split_whitespace()
            .find(|w| w.contains("/reset-password/"))
            .unwrap()
            .to_owned();
        let path = link.trim_start_matches("http://localhost:8080").to_owned();

        // The history rule: the current password is refused.
        let same = submit(
            &mut second,
            &path,
            &path,
            &[("password", PASSWORD), ("confirm_password", PASSWORD)],
        )
        .await;
        assert!(
            same.body
                .contains("Password must be different from your current password")
        );

        let done = submit(
            &mut second,
            &path,
            &path,
            &[
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
        assert_eq!(location(&done), "/sign-in");
        assert_eq!(
            location(&first.get("/home").await),
            "/sign-in",
            "the other session ended"
        );
        assert_eq!(
            second.get(&path).await.status,
            StatusCode::GONE,
            "used once"
        );

        let mut third = app.client();
        let old = password_step(&mut third, "jo@example.com", PASSWORD).await;
        assert!(
            old.body
                .contains("Enter a correct email address and password")
        );
        sign_in(&app, &mut third, "jo@example.com", NEW_PASSWORD).await;
    })
    .await;
}

#[tokio::test]
async fn a_form_token_seen_before_signing_in_does_not_work_after() {
    on_both_databases(async |app| {
        // Registering signs the person in: the token of the registration pages ends there.
        let mut client = app.client();
        let before_registering = csrf_of(&client.get("/register").await);
        register(&app, &mut client, "jo@example.com").await;
        let home = client.get("/home").await;
        assert_ne!(csrf_of(&home), before_registering, "{:?}", app.engine);
        let stale = client
            .post_form("/sign-out", &[("csrf_token", &before_registering)])
            .await;
        assert_eq!(stale.status, StatusCode::FORBIDDEN, "{:?}", app.engine);
        assert_eq!(
            client.get("/home").await.status,
            StatusCode::OK,
            "still signed in"
        );

        // And so does signing in with the two steps.
        let mut fresh = app.client();
        let before_signing_in = csrf_of(&fresh.get("/sign-in").await);
        sign_in(&app, &mut fresh, "jo@example.com", PASSWORD).await;
        let home = fresh.get("/home").await;
        let after = csrf_of(&home);
        assert_ne!(after, before_signing_in, "{:?}", app.engine);
        let stale = fresh
            .post_form("/sign-out", &[("csrf_token", &before_signing_in)])
            .await;
        assert_eq!(stale.status, StatusCode::FORBIDDEN, "{:?}", app.engine);
        assert_eq!(
            fresh.get("/home").await.status,
            StatusCode::OK,
            "still signed in"
        );
        let out = fresh
            .post_form("/sign-out", &[("csrf_token", &after)])
            .await;
        assert_eq!(location(&out), "/signed-out", "the new token works");
    })
    .await;
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    on_both_databases(async |app| {
        let mut client = app.client();
        register(&app, &mut client, "jo@example.com").await;
        let kept = client.clone();
        let out = submit(&mut client, "/home", "/sign-out", &[]).await;
        assert_eq!(location(&out), "/signed-out");
        // The browser is told to forget what it kept of the portal (a shared
        // computer's next user finds nothing in its cache or storage).
        assert_eq!(
            out.header("clear-site-data"),
            Some("\"cache\", \"cookies\", \"storage\"")
        );
        // The old cookie, replayed, finds no session.
        let mut replay = kept;
        assert_eq!(location(&replay.get("/home").await), "/sign-in");
    })
    .await;
}

#[tokio::test]
async fn account_pages_are_refused_to_visitors_who_are_not_signed_in() {
    let app = TestApp::new().await;
    let mut client = app.client();
    for path in [
        "/home",
        "/account",
        "/account/password",
        "/account/email",
        "/account/details",
    ] {
        let response = client.get(path).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), "/sign-in", "{path}");
    }
    // And a post without the form token is refused before anything happens.
    let forged = client
        .post_form(
            "/sign-in",
            &[("email", "jo@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn changing_the_email_address_confirms_the_new_one_and_tells_the_old_one() {
    on_both_databases(async |app| {
        let mut client = app.client();
        register(&app, &mut client, "jo@example.com").await;
        let wrong = submit(
            &mut client,
            "/account/email",
            "/account/email",
            &[
                ("email", "jo.new@example.com"),
                ("current_password", "Not-My-Password-99"),
            ],
        )
        .await;
        assert!(wrong.body.contains("Your password is not correct"));
        let asked = submit(
            &mut client,
            "/account/email",
            "/account/email",
            &[
                ("email", "jo.new@example.com"),
                ("current_password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(location(&asked), "/account/email/confirm");
        let code = six_digits(&latest_email(&app, "jo.new@example.com").await.1);
        let done = submit(
            &mut client,
            "/account/email/confirm",
            "/account/email/confirm",
            &[("code", &code)],
        )
        .await;
        assert_eq!(location(&done), "/account");
        assert_eq!(
            latest_email(&app, "jo@example.com").await.0,
            "Your SEND Portal email address has been changed"
        );
        let mut other = app.client();
        sign_in(&app, &mut other, "jo.new@example.com", PASSWORD).await;
    })
    .await;
}

/// The set-up key shown on an authenticator app's set-up page.
pub fn authenticator_key(page: &TestResponse) -> String {
    let marker = "id=\"authenticator-key\">";
    let at = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("no key: {}", page.body))
        + marker.len();
    page.body[at..]
        .split('<')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect()
}

/// The account's second step as stored.
async fn second_step_of(app: &TestApp, email: &str) -> Option<send_domain::SecondFactor> {
    let email = Email::parse(email).unwrap_or_else(|e| panic!("{e:?}"));
    app.app
        .store
        .account_by_email(&email)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("no account for {email}"))
        .second_step()
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "both ways of changing the second step, each refused twice"
)]
async fn changing_the_second_step_needs_the_password() {
    use send_domain::SecondFactor::{Authenticator, EmailCode};
    on_both_databases(async |app| {
        let mut client = app.client();
        register(&app, &mut client, "jo@example.com").await;
        let failed_before = audit_of(&app, AuditAction::SecondFactorChanged, AuditOutcome::Failed)
            .await
            .len();

        // Setting up an app: the code from it is not enough.
        let page = client.get("/account/authenticator").await;
        let secret = authenticator_key(&page);
        let code = app_code(&secret, app.clock.now());
        for (password, message) in [
            ("", "Enter your password"),
            ("Not-My-Password-99", "Your password is not correct"),
        ] {
            let refused = client
                .post_form(
                    "/account/authenticator",
                    &[
                        ("csrf_token", &csrf_of(&page)),
                        ("code", &code),
                        ("current_password", password),
                    ],
                )
                .await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{password:?}");
            assert!(
                refused.title().starts_with("Error: "),
                "{}",
                refused.title()
            );
            assert!(refused.body.contains("There is a problem"));
            assert!(
                refused
                    .body
                    .contains(&format!("href=\"#current_password\">{message}")),
                "{message:?} in the error summary:\n{}",
                refused.body
            );
            assert_eq!(
                second_step_of(&app, "jo@example.com").await,
                Some(EmailCode)
            );
            assert_eq!(
                location(&client.get("/account/recovery-codes").await),
                "/account",
                "no recovery codes to see"
            );
        }
        assert_eq!(
            audit_of(&app, AuditAction::SecondFactorChanged, AuditOutcome::Failed)
                .await
                .len(),
            failed_before + 1,
            "the wrong password is audited"
        );
        let page = client.get("/account/authenticator").await;
        assert_eq!(authenticator_key(&page), secret, "the same app as before");
        let enabled = client
            .post_form(
                "/account/authenticator",
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("code", &code),
                    ("current_password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            location(&enabled),
            "/account/recovery-codes",
            "{}",
            enabled.body
        );
        assert_eq!(
            second_step_of(&app, "jo@example.com").await,
            Some(Authenticator)
        );

        // Going back to codes by email: choosing it is not enough either.
        let chosen = submit(
            &mut client,
            "/account/sign-in-method",
            "/account/sign-in-method",
            &[("method", "email")],
        )
        .await;
        assert_eq!(chosen.status, StatusCode::SEE_OTHER);
        assert_eq!(
            second_step_of(&app, "jo@example.com").await,
            Some(Authenticator),
            "not changed without the password"
        );
        let confirm = location(&chosen).to_owned();
        for (password, message) in [
            ("", "Enter your password"),
            ("Not-My-Password-99", "Your password is not correct"),
        ] {
            let refused = submit(
                &mut client,
                &confirm,
                &confirm,
                &[("current_password", password)],
            )
            .await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{password:?}");
            assert!(
                refused
                    .body
                    .contains(&format!("href=\"#current_password\">{message}")),
                "{message:?} in the error summary:\n{}",
                refused.body
            );
            assert_eq!(
                second_step_of(&app, "jo@example.com").await,
                Some(Authenticator)
            );
        }
        assert_eq!(
            audit_of(&app, AuditAction::SecondFactorChanged, AuditOutcome::Failed)
                .await
                .len(),
            failed_before + 2
        );
        let done = submit(
            &mut client,
            &confirm,
            &confirm,
            &[("current_password", PASSWORD)],
        )
        .await;
        assert_eq!(location(&done), "/account", "{}", done.body);
        assert_eq!(
            second_step_of(&app, "jo@example.com").await,
            Some(EmailCode)
        );
    })
    .await;
}

#[tokio::test]
async fn changing_the_second_step_can_sign_out_every_other_device() {
    on_both_databases(async |app| {
        let mut here = app.client();
        register(&app, &mut here, "jo@example.com").await;
        let mut elsewhere = app.client();
        sign_in(&app, &mut elsewhere, "jo@example.com", PASSWORD).await;

        // An app set up without asking: the other device stays signed in.
        let page = here.get("/account/authenticator").await;
        assert!(
            page.body.contains("Sign out of every other device"),
            "offered"
        );
        let code = app_code(&authenticator_key(&page), app.clock.now());
        let enabled = here
            .post_form(
                "/account/authenticator",
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("code", &code),
                    ("current_password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(location(&enabled), "/account/recovery-codes");
        assert_eq!(elsewhere.get("/home").await.status, StatusCode::OK);

        // Back to codes by email, asking to sign out everywhere else.
        let chosen = submit(
            &mut here,
            "/account/sign-in-method",
            "/account/sign-in-method",
            &[("method", "email")],
        )
        .await;
        let confirm = location(&chosen).to_owned();
        let page = here.get(&confirm).await;
        assert!(
            page.body.contains("Sign out of every other device"),
            "offered"
        );
        let done = submit(
            &mut here,
            &confirm,
            &confirm,
            &[("current_password", PASSWORD), ("sign_out_others", "yes")],
        )
        .await;
        assert_eq!(location(&done), "/account");
        assert_eq!(location(&elsewhere.get("/home").await), "/sign-in");
        assert_eq!(
            here.get("/home").await.status,
            StatusCode::OK,
            "this device stays"
        );
    })
    .await;
}

/// Audit events of `action` with `outcome`.
async fn audit_of(
    app: &TestApp,
    action: AuditAction,
    outcome: AuditOutcome,
) -> Vec<send_domain::AuditEvent> {
    app.app
        .store
        .search_audit_events(&AuditQuery {
            child_id: None,
            user_id: None,
            action: Some(action),
            limit: 100,
            ..AuditQuery::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into_iter()
        .filter(|e| e.outcome == outcome)
        .collect()
}

/// The current code of a base32 secret, as an authenticator app would show it.
pub fn app_code(secret: &str, at: time::OffsetDateTime) -> String {
    let bytes = totp_rs::Secret::try_from_base32(secret.replace(' ', ""))
        .unwrap_or_else(|e| panic!("secret {secret:?}: {e:?}"));
    let totp = totp_rs::Builder::new()
        .with_secret(bytes)
        .build()
        .unwrap_or_else(|e| panic!("{e:?}"));
    totp.generate(u64::try_from(at.unix_timestamp()).unwrap_or_else(|e| panic!("{e}")))
        .to_string()
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one journey, read from top to bottom"
)]
async fn back_office_accounts_need_their_authenticator_app_to_finish_signing_in() {
    on_both_databases(async |app| {
        let email = Email::parse("admin@testshire.example").unwrap();
        let name = send_domain::PersonName::parse("Ada Admin").unwrap();
        let issued = app.app.issue_admin_setup_link(email, name).await.unwrap();
        let path = issued
            .url
            .trim_start_matches("http://localhost:8080")
            .to_owned();

        let mut staff = app.client();
        let page = staff.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        let marker = "id=\"authenticator-key\">";
        let at = page.body.find(marker).unwrap() + marker.len();
        let secret: String = page.body[at..].split('<').next().unwrap().to_owned();
        let wrong = staff
            .post_form(
                &path,
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("password", PASSWORD),
                    ("confirm_password", PASSWORD),
                    ("code", "000000"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.body.contains("The code is not correct"));
        let code = app_code(&secret, app.clock.now());
        let created = staff
            .post_form(
                &path,
                &[
                    ("csrf_token", &csrf_of(&wrong)),
                    ("password", PASSWORD),
                    ("confirm_password", PASSWORD),
                    ("code", &code),
                ],
            )
            .await;
        assert_eq!(
            location(&created),
            "/account/recovery-codes",
            "{}",
            created.body
        );
        let codes = staff.get("/account/recovery-codes").await;
        assert!(codes.body.contains("We will not show these codes again"));
        assert_eq!(
            location(&staff.get("/account/recovery-codes").await),
            "/account",
            "shown once"
        );
        assert_eq!(
            staff.get(&path).await.status,
            StatusCode::GONE,
            "the link is used up"
        );

        // Signing in: the password, then the app. An emailed code is never offered.
        app.clock.advance(Duration::minutes(1));
        let mut later = app.client();
        let step = password_step(&mut later, "admin@testshire.example", PASSWORD).await;
        assert_eq!(location(&step), "/sign-in/authenticator");
        assert_eq!(location(&later.get("/home").await), "/sign-in");
        let wrong = submit(
            &mut later,
            "/sign-in/authenticator",
            "/sign-in/authenticator",
            &[("code", "123456")],
        )
        .await;
        assert!(wrong.body.contains("The code is not correct"));
        let code = app_code(&secret, app.clock.now());
        let done = submit(
            &mut later,
            "/sign-in/authenticator",
            "/sign-in/authenticator",
            &[("code", &code)],
        )
        .await;
        assert_eq!(location(&done), crate::back_office::MY_CASES);
        let method = later.get("/account/sign-in-method").await;
        assert!(
            !method.body.contains("A code sent by email"),
            "staff cannot choose email codes"
        );

        // A staff account whose app is gone cannot finish signing in at all.
        let mut account = app
            .app
            .store
            .account_by_email(&Email::parse("admin@testshire.example").unwrap())
            .await
            .unwrap()
            .unwrap();
        account.totp = None;
        account.second_factor = send_domain::SecondFactor::EmailCode;
        app.app
            .store
            .update_account(&account, &send_store::Effects::default())
            .await
            .unwrap();
        let mut locked = app.client();
        let refused = password_step(&mut locked, "admin@testshire.example", PASSWORD).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.body.contains("You cannot sign in yet"));
        assert_eq!(location(&locked.get("/home").await), "/sign-in");
    })
    .await;
}

#[tokio::test]
async fn the_demo_accounts_can_sign_in_with_the_published_password() {
    on_both_databases(async |app| {
        app.app.load_demo_data().await.unwrap();
        // Pat Parent sees Amira's SEND Dashboard; Sam Senco, a professional, Oliver's.
        for ((email, name, _), child) in send_app::demo::DEMO_ACCOUNTS
            .iter()
            .zip(["Amira Khan", "Oliver Brown"])
        {
            let mut client = app.client();
            sign_in(&app, &mut client, email, send_app::demo::DEMO_PASSWORD).await;
            let home = client.get("/home").await;
            assert!(home.body.contains(name));
            assert!(home.body.contains(child), "{child} on {email}'s home");
            let start = home.body.find("href=\"/children/").unwrap() + 6;
            let end = start + home.body[start..].find('"').unwrap();
            let dashboard = client.get(&home.body[start..end]).await;
            assert_eq!(dashboard.status, StatusCode::OK);
            assert!(dashboard.body.contains(child));
            assert!(dashboard.body.contains("Current stage"));
            if child == "Amira Khan" {
                assert!(
                    dashboard.body.contains("1 unread message"),
                    "the demo reply"
                );
            }
        }
    })
    .await;
}

/// One thing a visitor does on the "Check your email" page after registering.
#[derive(Debug, Clone, Copy)]
enum CodeStep {
    /// Enters a code that is not the one sent.
    Wrong,
    /// Selects "Please send me a new code".
    NewCode,
    /// Waits this many minutes.
    Wait(i64),
}

/// What the visitor sees after a step: the status, where it leads, and the page
/// it shows (form tokens left out).
async fn code_step(
    client: &mut TestClient,
    step: CodeStep,
    wrong: &str,
) -> (StatusCode, String, String) {
    let response = match step {
        CodeStep::Wrong => {
            submit(
                client,
                "/register/confirm",
                "/register/confirm",
                &[("code", wrong)],
            )
            .await
        }
        CodeStep::NewCode => submit(client, "/register/confirm", "/register/new-code", &[]).await,
        CodeStep::Wait(_) => client.get("/register/confirm").await,
    };
    let status = response.status;
    let to = location(&response).to_owned();
    let shown = if to.is_empty() {
        response
    } else {
        client.get(&to).await
    };
    (status, to, without_token(&shown.body))
}

#[tokio::test]
async fn registering_with_a_used_address_answers_wrong_codes_and_new_codes_as_for_a_new_one() {
    on_both_databases(async |app| {
        let mut owner = app.client();
        register(&app, &mut owner, "jo@example.com").await;

        let registration = |email: &'static str| {
            [
                ("name", "Sam Someone"),
                ("email", email),
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ]
        };
        let mut used = app.client();
        let mut new = app.client();
        for (client, email) in [(&mut used, "jo@example.com"), (&mut new, "new@example.com")] {
            let done = submit_registration(client, &registration(email)).await;
            assert_eq!(location(&done), "/register/confirm", "{email}");
        }
        let steps = [
            [CodeStep::Wrong; 6].as_slice(),
            &[CodeStep::NewCode, CodeStep::Wrong],
            &[CodeStep::NewCode; 4],
            &[CodeStep::Wrong, CodeStep::Wait(11), CodeStep::Wrong],
            &[CodeStep::NewCode, CodeStep::Wrong],
        ]
        .concat();
        let mut seen = String::new();
        for (n, step) in steps.into_iter().enumerate() {
            if let CodeStep::Wait(minutes) = step {
                app.clock.advance(Duration::minutes(minutes));
            }
            // A code that is not the one the new address was sent (the used
            // address was sent none): the same digits are typed in both.
            let sent = six_digits(&latest_email(&app, "new@example.com").await.1);
            let wrong = format!("{:06}", (sent.parse::<u32>().unwrap() + 1) % 1_000_000);
            // The pages differ only by the address each visitor typed.
            let (status, to, page) = code_step(&mut used, step, &wrong).await;
            let for_used = (status, to, page.replace("jo@example.com", "ADDRESS"));
            let (status, to, page) = code_step(&mut new, step, &wrong).await;
            let for_new = (status, to, page.replace("new@example.com", "ADDRESS"));
            assert_eq!(
                for_used, for_new,
                "step {n} ({step:?}) on {:?}: the used address answers differently",
                app.engine
            );
            seen.push_str(&for_new.2);
        }
        // The sequence reached every answer a code or a new code can get.
        for answer in [
            "The code is not correct",
            "The code has been entered wrongly too many times",
            "We have sent you a new code",
            "You have asked for too many codes",
            "The code has expired",
        ] {
            assert!(seen.contains(answer), "never saw {answer:?}");
        }
        let outbox = app.app.store.outbox_emails(100).await.unwrap();
        let codes_to_new = outbox
            .iter()
            .filter(|e| e.email.to.as_str() == "new@example.com")
            .count();
        assert_eq!(codes_to_new, 5, "the first code and four new ones");
    })
    .await;
}

#[tokio::test]
async fn registering_with_a_used_address_again_and_again_cannot_flood_its_inbox() {
    on_both_databases(async |app| {
        let mut client = app.client();
        register(&app, &mut client, "jo@example.com").await;
        let notices = async || {
            app.app
                .store
                .outbox_emails(100)
                .await
                .unwrap()
                .iter()
                .filter(|e| e.email.subject.as_str() == "You already have a SEND Portal account")
                .count()
        };
        let mut stranger = app.client();
        for _ in 0..5 {
            let again = submit_registration(
                &mut stranger,
                &[
                    ("name", "Someone Else"),
                    ("email", "jo@example.com"),
                    ("password", NEW_PASSWORD),
                    ("confirm_password", NEW_PASSWORD),
                ],
            )
            .await;
            assert_eq!(
                location(&again),
                "/register/confirm",
                "the same answer every time"
            );
        }
        assert_eq!(notices().await, 3);
        app.clock.advance(Duration::minutes(61));
        submit_registration(
            &mut stranger,
            &[
                ("name", "Someone Else"),
                ("email", "jo@example.com"),
                ("password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
        assert_eq!(notices().await, 4);
    })
    .await;
}

/// The device references (hashes of session ids) of My Account's "Sign out"
/// buttons for other devices, in the page's order.
fn device_references(page: &TestResponse) -> Vec<String> {
    let marker = "name=\"device\" value=\"";
    page.body
        .match_indices(marker)
        .map(|(at, _)| page.body[at + marker.len()..at + marker.len() + 64].to_owned())
        .collect()
}

#[tokio::test]
async fn my_account_lists_where_you_are_signed_in_and_signs_another_device_out() {
    on_both_databases(async |app| {
        let mut laptop = app.client();
        register(&app, &mut laptop, "jo@example.com").await;
        let mut phone = app.client();
        sign_in(&app, &mut phone, "jo@example.com", PASSWORD).await;

        let page = laptop.get("/account").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Where you are signed in"));
        assert!(page.body.contains("Sign out of this device"));
        assert!(page.body.contains("Sign out everywhere else"));
        let others = device_references(&page);
        assert_eq!(others.len(), 1, "one other device: the phone");

        let done = laptop
            .post_form(
                "/account/devices/sign-out",
                &[("csrf_token", &csrf_of(&page)), ("device", &others[0])],
            )
            .await;
        assert_eq!(location(&done), "/account");
        let after = laptop.get("/account").await;
        assert!(
            after
                .body
                .contains("You have signed out of the other device")
        );
        assert!(device_references(&after).is_empty());
        assert!(!after.body.contains("Sign out everywhere else"));
        assert_eq!(location(&phone.get("/home").await), "/sign-in");
        assert_eq!(laptop.get("/home").await.status, StatusCode::OK);
        assert_eq!(
            audit_of(&app, AuditAction::SessionsEnded, AuditOutcome::Succeeded)
                .await
                .len(),
            1
        );
    })
    .await;
}

const FIREFOX_ON_WINDOWS: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_ON_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

#[tokio::test]
async fn my_account_names_each_device_and_its_network_never_its_whole_address() {
    on_both_databases(async |app| {
        let mut laptop = app
            .client()
            .with_browser(FIREFOX_ON_WINDOWS, "203.0.113.77");
        register(&app, &mut laptop, "jo@example.com").await;
        let mut phone = app
            .client()
            .with_browser(SAFARI_ON_IPHONE, "2001:db8:85a3::9");
        sign_in(&app, &mut phone, "jo@example.com", PASSWORD).await;
        let mut unknown = app.client();
        sign_in(&app, &mut unknown, "jo@example.com", PASSWORD).await;

        let page = laptop.get("/account").await;
        let rows = page
            .body
            .split("<tr class=\"govuk-table__row\">")
            .collect::<Vec<_>>();
        let row_of = |device: &str| {
            rows.iter()
                .find(|row| row.contains(device))
                .unwrap_or_else(|| panic!("no row for {device}: {}", page.body))
                .to_owned()
        };
        let this = row_of("Firefox on Windows");
        assert!(this.contains("Network 203.0.113.x"), "{this}");
        assert!(this.contains("This device"), "{this}");
        assert!(this.contains("Sign out of this device"), "{this}");
        let other = row_of("Safari on iPhone");
        assert!(other.contains("Network 2001:db8:85a3::/48"), "{other}");
        assert!(
            other.contains("Sign out<span class=\"govuk-visually-hidden\"> of Safari on iPhone"),
            "{other}"
        );
        // No User-Agent and no address (an in-process client): unknown.
        let unknown_row = row_of("Unknown device");
        assert!(unknown_row.contains(">Unknown<"), "{unknown_row}");
        // (The account's own recent sign-ins, further down, list whole addresses.)
        let devices = page
            .body
            .split("Your last 10 sign-ins")
            .next()
            .unwrap_or_default();
        assert!(!devices.contains("203.0.113.77"), "never the whole address");
        assert!(!devices.contains("2001:db8:85a3::9"));
        assert!(
            !page.body.contains("Gecko/20100101"),
            "never the header itself"
        );
    })
    .await;
}

#[tokio::test]
async fn signing_out_everywhere_else_keeps_only_this_device() {
    on_both_databases(async |app| {
        let mut laptop = app.client();
        register(&app, &mut laptop, "jo@example.com").await;
        let mut phone = app.client();
        sign_in(&app, &mut phone, "jo@example.com", PASSWORD).await;
        let mut tablet = app.client();
        sign_in(&app, &mut tablet, "jo@example.com", PASSWORD).await;
        let mut someone_else = app.client();
        register(&app, &mut someone_else, "sam@example.com").await;

        let page = laptop.get("/account").await;
        assert_eq!(device_references(&page).len(), 2);
        let done = submit(
            &mut laptop,
            "/account",
            "/account/devices/sign-out-others",
            &[],
        )
        .await;
        assert_eq!(location(&done), "/account");
        assert!(
            laptop
                .get("/account")
                .await
                .body
                .contains("You have signed out everywhere else")
        );
        assert_eq!(location(&phone.get("/home").await), "/sign-in");
        assert_eq!(location(&tablet.get("/home").await), "/sign-in");
        assert_eq!(laptop.get("/home").await.status, StatusCode::OK);
        assert_eq!(
            someone_else.get("/home").await.status,
            StatusCode::OK,
            "another account's sessions stay"
        );
    })
    .await;
}

#[tokio::test]
async fn nobody_can_sign_out_another_accounts_device() {
    on_both_databases(async |app| {
        let mut jo = app.client();
        register(&app, &mut jo, "jo@example.com").await;
        let mut jos_phone = app.client();
        sign_in(&app, &mut jos_phone, "jo@example.com", PASSWORD).await;
        let jos_phone_reference = device_references(&jo.get("/account").await)
            .pop()
            .unwrap_or_else(|| panic!("no other device"));
        let mut sam = app.client();
        register(&app, &mut sam, "sam@example.com").await;

        // Sam sends Jo's phone's reference: refused as not found, nothing ends.
        let page = sam.get("/account").await;
        let refused = sam
            .post_form(
                "/account/devices/sign-out",
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("device", &jos_phone_reference),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(jos_phone.get("/home").await.status, StatusCode::OK);
        assert_eq!(
            audit_of(&app, AuditAction::SessionsEnded, AuditOutcome::Refused)
                .await
                .len(),
            1
        );

        // Not a reference at all, and one's own device: refused the same way.
        let own = send_app::tokens::hash_token(
            sam.cookie(send_web::sessions::COOKIE_NAME)
                .unwrap_or_else(|| panic!("no session")),
        );
        for device in ["not-a-reference", "", own.as_hex()] {
            let refused = sam
                .post_form(
                    "/account/devices/sign-out",
                    &[("csrf_token", &csrf_of(&page)), ("device", device)],
                )
                .await;
            assert_eq!(refused.status, StatusCode::NOT_FOUND, "{device:?}");
        }
        // A visitor who is not signed in is sent to sign in, and nothing ends.
        let mut visitor = app.client();
        let visitor_page = visitor.get("/sign-in").await;
        let out = visitor
            .post_form(
                "/account/devices/sign-out",
                &[
                    ("csrf_token", &csrf_of(&visitor_page)),
                    ("device", &jos_phone_reference),
                ],
            )
            .await;
        assert_eq!(location(&out), "/sign-in");
        assert_eq!(jos_phone.get("/home").await.status, StatusCode::OK);
        assert_eq!(sam.get("/home").await.status, StatusCode::OK);
    })
    .await;
}
