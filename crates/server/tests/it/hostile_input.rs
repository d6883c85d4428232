//! Hostile input to every form: very long strings, control characters, NUL,
//! CR/LF, invalid UTF-8 (URL-encoded and in multipart text parts and file names),
//! huge numbers, 31 and 30 February, script and SQL fragments, and random text.
//!
//! The forms are found, not listed: the demo's people (the caseworker, who also
//! administers the portal, a parent, a professional, and a visitor who is not
//! signed in) walk every page they can reach, and each page's `<form
//! method="post">` is read for its address and fields. A form a valid post leads
//! to (the next step of registering) and a link an email carries (an invitation)
//! are walked too, and so is state the demo lacks, built first through the app
//! ([`staged`]); a form only a post shows (confirming a stage move or a
//! configuration import) is reached by a [`Step`] that makes that post, taken
//! again for each post to it, and a button with its own `formaction` (Move
//! down) is a form of its own. Each form is then posted again and again with hostile values:
//! in every field at once, and in one field while the others hold plausible
//! values. Every answer must be below 500 and be the form again with the GOV.UK
//! error summary (a script typed in a text field kept, escaped), a styled error
//! page (the layout's header), or a redirect (or a page that moved on) after a
//! valid change; a refused post must leave every table as it was (but those in
//! [`MAY_CHANGE`], which record refusals by design). A script sent is never
//! given back as markup.
//!
//! [`every_post_route_in_the_source_is_known`] reads the routers' source: a
//! POST route the walk does not reach fails the run unless it is listed in
//! [`NOT_YET`] (or in [`UNREACHABLE`], a single-use link posted with an
//! unknown token).
//!
//! `SEND_PORTAL_HOSTILE_CASES` sets how many random strings (a fixed seed, so a
//! failure repeats) join the fixed hostile values, 3 by default, and
//! `SEND_PORTAL_HOSTILE_ROUNDS` how many rounds of two values each form gets, 2
//! by default (the values are taken in turn across forms, so together the
//! forms get them all). `SEND_PORTAL_HOSTILE_DEBUG` prints every post and the
//! pages walked.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use http::StatusCode;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use time::Duration;

use send_app::audit::Source;
use send_app::forms::assign::NewAssignment;
use send_domain::forms::{AssignedTo, QuestionKind};
use send_domain::{Clock, DEFAULT_TEAM, StaffRole};

use crate::accounts::{
    EMAIL_AND_PASSWORD, PASSWORD, app_code, authenticator_key, register_with, sign_in, submit,
};
use crate::back_office::{CHILD, add_child, caseworkers, create_staff, location};
use crate::portal_access::{
    PARENT, answer, invite, post_button, stranger_id, verify_and_send_link,
};
use crate::snapshots::demo_caseworker;
use crate::support::{TestApp, TestClient, TestResponse, on_both_databases};

/// Every page of the portal's layout has it, the error pages too.
const LAYOUT: &str = "govuk-template__header";

/// A script a page must never give back as markup.
const SCRIPT: &str = "<script>alert(\"hostile\")</script>";

/// The fixed hostile values, each posted in every form.
fn fixed_values() -> Vec<String> {
    [
        "A".repeat(100_000),
        "\u{0}".to_owned(),
        "before\u{0}after".to_owned(),
        "\u{1}\u{7}\u{8}\u{b}\u{c}\u{1b}[31m\u{7f}\u{85}\u{2028}\u{feff}".to_owned(),
        "line one\r\nline two\rline three\nBcc: someone@example.com".to_owned(),
        SCRIPT.to_owned(),
        "' OR 1=1--".to_owned(),
        "'); DROP TABLE children; --".to_owned(),
        "99999999999999999999999999999999".to_owned(),
        "-1".to_owned(),
        "1e308".to_owned(),
        "31 February 2026".to_owned(),
        "\u{202e}desrever\u{202c} 👩‍👩‍👧 Z\u{324}\u{354}\u{367}".to_owned(),
        "   ".to_owned(),
        String::new(),
        "{{7*7}} ${7*7} %s%n%x ../../../../etc/passwd".to_owned(),
    ]
    .into_iter()
    .collect()
}

/// Random strings from a fixed seed, so a failing one comes back next run.
fn random_values() -> Vec<String> {
    let count: usize = std::env::var("SEND_PORTAL_HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let mut runner = TestRunner::deterministic();
    let strategy = proptest::string::string_regex("(.|\\PC|[\\x00-\\x1f]){0,200}")
        .unwrap_or_else(|e| panic!("{e}"));
    (0..count)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .unwrap_or_else(|e| panic!("{e}"))
                .current()
        })
        .collect()
}

/// Dates that do not exist or cannot be stored: (day, month, year).
const BAD_DATES: &[(&str, &str, &str)] = &[
    ("31", "2", "2026"),
    ("30", "02", "2026"),
    ("29", "2", "2025"),
    ("0", "0", "0"),
    ("1", "1", "99999999999999999999"),
    ("-1", "13", "-2026"),
    ("31", "February", "2026"),
];

/// POST routes no walk reaches, and the address to post to instead: each is a
/// single-use link whose secret only its email carries.
const UNREACHABLE: &[(&str, &str)] = &[
    (
        "/staff/setup/{token}",
        "/staff/setup/0000000000000000000000000000000000000000000000000000000000000000",
    ),
    (
        "/invitations/{token}",
        "/invitations/0000000000000000000000000000000000000000000000000000000000000000",
    ),
    (
        "/invitations/{token}/submit",
        "/invitations/0000000000000000000000000000000000000000000000000000000000000000/submit",
    ),
    (
        "/reset-password/{token}",
        "/reset-password/0000000000000000000000000000000000000000000000000000000000000000",
    ),
];

/// POST routes the walk does not reach yet, so not posted to: none today
/// ([`staged`] builds the state each button needs). A route reached is
/// posted to whether listed or not; one neither reached nor listed fails the
/// run, and so does one reached yet listed.
const NOT_YET: &[&str] = &[];

/// Tables a refused post may still write: the audit log records refusals, the
/// session its visit, a refused sign-in counts towards the address's lockout
/// and a wrong code towards voiding the code.
const MAY_CHANGE: &[&str] = &[
    "audit_events",
    "sessions",
    "sign_in_throttles",
    "one_time_codes",
];

// ---------------------------------------------------------------------------
// The routes in the source.

/// Every POST route the web crate registers, as written (`/children/{id}/edit`).
fn post_routes_in_source() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src");
    let mut routes = BTreeSet::new();
    let mut folders = vec![root];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
                routes.extend(post_routes_in(&text));
            }
        }
    }
    routes
}

/// The POST routes one source file registers with `.route(…)`; a path built
/// with `format!("{base}/…")` is expanded for each `base` of the file's
/// `for base in [...]`.
fn post_routes_in(text: &str) -> Vec<String> {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    let bases: Vec<String> = text
        .find("for base in [")
        .map(|at| {
            let rest = &text[at + "for base in [".len()..];
            let list = &rest[..rest.find(']').unwrap_or(0)];
            string_literals(list)
        })
        .unwrap_or_default();
    let mut routes = Vec::new();
    for (at, _) in text.match_indices(".route(") {
        let call = balanced(&text[at + ".route".len()..]);
        if !call.contains("post(") {
            continue;
        }
        let Some(path) = string_literals(call).into_iter().next() else {
            continue;
        };
        let path = path.replace("{{", "{").replace("}}", "}");
        if path.contains("{base}") {
            for base in &bases {
                routes.push(path.replace("{base}", base));
            }
        } else {
            routes.push(path);
        }
    }
    routes
}

/// The text from `(` to its matching `)`.
fn balanced(text: &str) -> &str {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..=i];
                }
            }
            _ => {}
        }
    }
    text
}

fn string_literals(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(ToOwned::to_owned)
        .collect()
}

/// Whether `path` is an address of `route` (`{…}` is any one segment).
fn matches(route: &str, path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let (r, p): (Vec<_>, Vec<_>) = (route.split('/').collect(), path.split('/').collect());
    r.len() == p.len()
        && r.iter()
            .zip(&p)
            .all(|(r, p)| r == p || (r.starts_with('{') && !p.is_empty()))
}

fn route_of<'a>(routes: &'a BTreeSet<String>, path: &str) -> Option<&'a String> {
    // A literal segment beats a parameter (`/forms/new` before `/forms/{id}`).
    routes
        .iter()
        .filter(|r| matches(r, path))
        .max_by_key(|r| r.split('/').filter(|s| !s.starts_with('{')).count())
}

#[tokio::test]
async fn a_form_title_with_a_nul_is_refused_with_the_error_summary_and_writes_nothing() {
    // Found by the run below: PostgreSQL cannot store NUL, so the title
    // was a 500 there (and stored as typed on SQLite).
    on_both_databases(async |app| {
        app.app
            .load_demo_data()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut caseworker = demo_caseworker(&app).await;
        let before = stored(&app).await;
        let page = submit(
            &mut caseworker,
            "/back-office/forms/new",
            "/back-office/forms/new",
            &[("title", "before\0after")],
        )
        .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.body);
        assert!(page.body.contains("govuk-error-summary"), "{}", page.body);
        assert!(
            page.body
                .contains("The title must be one line, without invisible characters"),
            "{}",
            page.body
        );
        assert_eq!(
            changed_tables(&before, &stored(&app).await),
            Vec::<String>::new()
        );
    })
    .await;
}

#[test]
fn every_post_route_in_the_source_is_known() {
    let routes = post_routes_in_source();
    // The scan finds the routes it must: plain, chained and built from a base.
    for known in [
        "/sign-in",
        "/back-office/children/{id}/edit",
        "/children/{child}/forms/{form}/check",
        "/forms/{form}/questions/{question}/files",
    ] {
        assert!(routes.contains(known), "{known} not found in {routes:#?}");
    }
    assert!(routes.len() > 100, "{routes:#?}");
    for route in NOT_YET {
        assert!(routes.contains(*route), "{route} is no longer a POST route");
    }
    for (route, address) in UNREACHABLE {
        assert!(routes.contains(*route), "{route} is no longer a POST route");
        assert!(
            matches(route, address),
            "{address} is not an address of {route}"
        );
    }
}

// ---------------------------------------------------------------------------
// Forms as a page shows them.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Hidden,
    Text,
    Password,
    TextArea,
    /// Radios, a select or a named button: the values offered.
    Choice(Vec<String>),
    /// Checkboxes: the values offered, any number of them sent.
    Checkboxes(Vec<String>),
    File,
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    kind: Kind,
    value: String,
}

#[derive(Debug, Clone)]
struct Form {
    /// The page that shows it.
    page: String,
    action: String,
    multipart: bool,
    fields: Vec<Field>,
    /// The post that shows it, if no page does (a confirmation step).
    via: Option<Step>,
}

/// A post a person makes on the way: `page`'s form to `action` with plausible
/// values but `answers` (each replacing every value of its name) and a file
/// (the field, the file name, its bytes).
#[derive(Debug, Clone)]
struct Step {
    page: String,
    action: String,
    answers: Vec<(String, String)>,
    file: Option<(String, String, Vec<u8>)>,
}

impl Step {
    fn new(page: impl Into<String>, action: impl Into<String>, answers: &[(&str, &str)]) -> Self {
        Self {
            page: page.into(),
            action: action.into(),
            answers: answers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            file: None,
        }
    }

    /// Posts it as `client`: the answer, or the page if it shows no such form.
    async fn take(&self, client: &mut TestClient) -> TestResponse {
        let shown = client.get(&self.page).await;
        let Some(form) = forms_of(&self.page, &shown.body)
            .into_iter()
            .find(|f| f.action == self.action)
        else {
            return shown;
        };
        post_with(client, &form, &self.answers, self.file.as_ref()).await
    }
}

fn selector(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap_or_else(|e| panic!("{e}"))
}

/// Every `<form method="post">` of a page.
fn forms_of(page: &str, body: &str) -> Vec<Form> {
    let html = scraper::Html::parse_document(body);
    let mut forms = Vec::new();
    for form in html.select(&selector("form")) {
        let attr = |name| form.value().attr(name).unwrap_or_default();
        if !attr("method").eq_ignore_ascii_case("post") {
            continue;
        }
        let action = match attr("action") {
            "" => page.split('?').next().unwrap_or_default().to_owned(),
            action => action.replace("&amp;", "&"),
        };
        let mut fields: Vec<Field> = Vec::new();
        for element in form.select(&selector(
            "input[name], textarea[name], select[name], button[name]",
        )) {
            let e = element.value();
            let name = e.attr("name").unwrap_or_default().to_owned();
            let value = e.attr("value").unwrap_or_default().to_owned();
            let kind = match (e.name(), e.attr("type").unwrap_or("text")) {
                ("textarea", _) => Kind::TextArea,
                ("select", _) => Kind::Choice(
                    element
                        .select(&selector("option"))
                        .map(|o| {
                            o.value()
                                .attr("value")
                                .map_or_else(|| o.text().collect::<String>(), ToOwned::to_owned)
                        })
                        .collect(),
                ),
                ("input", "checkbox") => Kind::Checkboxes(vec![value.clone()]),
                ("button" | "input", "radio" | "submit") => Kind::Choice(vec![value.clone()]),
                ("input", "hidden") => Kind::Hidden,
                ("input", "password") => Kind::Password,
                ("input", "file") => Kind::File,
                _ => Kind::Text,
            };
            let value = if kind == Kind::TextArea {
                element.text().collect()
            } else {
                value
            };
            match (fields.iter_mut().find(|f| f.name == name), &kind) {
                (
                    Some(Field {
                        kind: Kind::Choice(options) | Kind::Checkboxes(options),
                        ..
                    }),
                    Kind::Choice(more) | Kind::Checkboxes(more),
                ) => {
                    options.extend(more.iter().cloned());
                }
                (Some(_), _) => {}
                (None, _) => fields.push(Field { name, kind, value }),
            }
        }
        let found = Form {
            page: page.to_owned(),
            action,
            multipart: attr("enctype").contains("multipart"),
            fields,
            via: None,
        };
        // A button with its own address (Move down) posts the same fields there.
        for button in form.select(&selector("[formaction]")) {
            let action = button
                .value()
                .attr("formaction")
                .unwrap_or_default()
                .replace("&amp;", "&");
            forms.push(Form {
                action,
                ..found.clone()
            });
        }
        forms.push(found);
    }
    forms
}

/// The same-site links of a page worth following.
fn links_of(body: &str) -> Vec<String> {
    let html = scraper::Html::parse_document(body);
    html.select(&selector("a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .map(|href| href.replace("&amp;", "&"))
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .filter(|href| {
            href.starts_with('/')
                && !href.starts_with("//")
                && !href.starts_with("/assets")
                && !href.starts_with("/demo")
        })
        .collect()
}

/// An address with its ids and numbers taken out: pages of one shape are
/// walked twice at most.
fn shape(path: &str) -> String {
    path.split('?')
        .next()
        .unwrap_or_default()
        .split('/')
        .map(|segment| {
            let digits = segment.chars().filter(char::is_ascii_digit).count();
            if digits == segment.len() || (segment.len() >= 16 && digits > 0) {
                "*"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

// ---------------------------------------------------------------------------
// Who posts.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Visitor,
    Parent,
    Professional,
    Caseworker,
}

impl Who {
    fn email(self) -> &'static str {
        match self {
            Self::Visitor => "",
            Self::Parent => "parent@example.com",
            Self::Professional => "senco@example.com",
            Self::Caseworker => send_app::demo::DEMO_STAFF_EMAIL,
        }
    }

    fn start(self) -> &'static [&'static str] {
        match self {
            Self::Visitor => &["/", "/sign-in", "/register", "/forgotten-password"],
            Self::Parent | Self::Professional => &[
                "/home",
                "/account",
                "/account/authenticator",
                "/account/email-codes",
            ],
            Self::Caseworker => &[
                "/back-office/caseload?scope=mine",
                "/back-office/admin",
                "/account",
            ],
        }
    }
}

#[derive(Debug)]
struct Actor {
    who: Who,
    client: TestClient,
    visited: BTreeSet<String>,
    shapes: BTreeMap<String, usize>,
    queue: VecDeque<Form>,
    /// Forms to a route already queued, found on other pages (another
    /// record's): posted to if the one queued is gone.
    others: BTreeMap<String, Vec<Form>>,
}

async fn signed_in(app: &TestApp, who: Who) -> TestClient {
    app.clock.advance(Duration::seconds(31));
    match who {
        Who::Visitor => app.client(),
        Who::Caseworker => demo_caseworker(app).await,
        Who::Parent | Who::Professional => {
            let mut client = app.client();
            sign_in(app, &mut client, who.email(), send_app::demo::DEMO_PASSWORD).await;
            client
        }
    }
}

/// The whole run: which routes were posted to, and what went wrong.
#[derive(Debug, Default)]
struct Run {
    routes: BTreeSet<String>,
    posted: BTreeSet<String>,
    seen: BTreeSet<String>,
    failures: Vec<String>,
    posts: usize,
    /// Rounds of hostile values per form.
    rounds: usize,
    /// The next hostile value to post.
    next_value: usize,
}

impl Actor {
    /// Signs in again if a post ended the session (signing out, say).
    async fn still_signed_in(&mut self, app: &TestApp) {
        if self.who == Who::Visitor {
            return;
        }
        let page = self.client.get("/account").await;
        if page.status != StatusCode::OK {
            self.client = signed_in(app, self.who).await;
        }
    }

    /// Walks every page reachable from `start`, queueing each form whose route
    /// has not been seen yet.
    async fn walk(&mut self, run: &mut Run, start: &str) {
        let mut pages = VecDeque::from([start.to_owned()]);
        while let Some(page) = pages.pop_front() {
            // At most 600 pages, but where a walk starts always.
            if (self.visited.len() > 600 && page != start) || !self.visited.insert(page.clone()) {
                continue;
            }
            // Pages of one shape are walked twice at most, but where a walk
            // starts (a new draft form, say) always.
            let seen = self.shapes.entry(shape(&page)).or_default();
            *seen += 1;
            if *seen > 2 && page != start {
                continue;
            }
            let response = self.client.get(&page).await;
            if response.status.is_server_error() {
                run.failures
                    .push(format!("{:?} GET {page}: {}", self.who, response.status));
            }
            if let Some(next) = response.header("location") {
                pages.push_back(next.to_owned());
                continue;
            }
            self.queue_forms(run, &page, &response.body, None);
            pages.extend(links_of(&response.body));
        }
    }

    /// Takes `step` and queues the forms its answer shows: a page no link
    /// leads to, which each post to its forms gets again by taking the step.
    async fn step(&mut self, run: &mut Run, step: &Step) {
        let shown = step.take(&mut self.client).await;
        assert!(shown.status.is_success(), "{step:?}: {}", shown.status);
        self.queue_forms(run, &step.action, &shown.body, Some(step));
    }

    /// The page `form` is on as it is now: got again, or its step taken again.
    async fn page_of(&mut self, form: &Form) -> TestResponse {
        match &form.via {
            Some(step) => step.take(&mut self.client).await,
            None => self.client.get(&form.page).await,
        }
    }

    fn queue_forms(&mut self, run: &mut Run, page: &str, body: &str, via: Option<&Step>) {
        for mut form in forms_of(page, body) {
            form.via = via.cloned();
            let Some(route) = route_of(&run.routes, &form.action).cloned() else {
                continue;
            };
            if std::env::var("SEND_PORTAL_HOSTILE_DEBUG").is_ok() {
                eprintln!("{:?} found {} on {page}", self.who, form.action);
            }
            if run.seen.insert(route.clone()) {
                self.queue.push_back(form);
            } else {
                let others = self.others.entry(route).or_default();
                if others.len() < 3 && !others.iter().any(|o| o.action == form.action) {
                    others.push(form);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Posting.

/// Values a field of this name would accept: every checkbox ticked (so a
/// permission group or a membership keeps all it had), the first choice,
/// what the page showed, or a value that fits the field's name.
fn plausible(field: &Field) -> Vec<String> {
    let name = field.name.to_ascii_lowercase();
    let one = match &field.kind {
        Kind::Checkboxes(options) => return options.clone(),
        Kind::Hidden => field.value.clone(),
        Kind::Choice(options) => options
            .iter()
            .find(|o| !o.is_empty())
            .cloned()
            .unwrap_or_default(),
        _ if !field.value.is_empty() => field.value.clone(),
        _ if name.contains("email") => "hostile.input@example.com".to_owned(),
        _ if name.contains("phone") => "01632 960 001".to_owned(),
        _ if name.ends_with("day") => "15".to_owned(),
        _ if name.ends_with("month") => "6".to_owned(),
        _ if name.ends_with("year") => "2015".to_owned(),
        _ if name.contains("postcode") => "WR1 2PG".to_owned(),
        _ if name.contains("code") => "123456".to_owned(),
        _ if name.contains("password") => "Not-The-Password-2026".to_owned(),
        _ if name.contains("name") => "Alex Example".to_owned(),
        _ => "Example text".to_owned(),
    };
    vec![one]
}

/// A multipart part: its name, its file name if a file, its bytes.
type Part = (Vec<u8>, Option<Vec<u8>>, Vec<u8>);

/// What one post sends.
#[derive(Debug, Clone)]
enum Body {
    Fields(Vec<(String, String)>),
    /// Raw bytes as a URL-encoded form (after the form token).
    Raw(Vec<u8>),
    /// Multipart parts: (name, file name, bytes).
    Parts(Vec<Part>),
}

fn csrf(form: &Form) -> String {
    form.fields
        .iter()
        .find(|f| f.name == "csrf_token")
        .map(|f| f.value.clone())
        .unwrap_or_default()
}

fn encode(text: &[u8]) -> String {
    url::form_urlencoded::byte_serialize(text).collect()
}

async fn send(client: &mut TestClient, form: &Form, body: &Body) -> TestResponse {
    let boundary = "hostile-boundary-5a1e";
    let multipart = format!("multipart/form-data; boundary={boundary}");
    let parts: Vec<Part> = match body {
        Body::Fields(fields) if !form.multipart => {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            return client.post_form(&form.action, &fields).await;
        }
        Body::Raw(bytes) => {
            let mut all = format!("csrf_token={}&", csrf(form)).into_bytes();
            all.extend_from_slice(bytes);
            return client
                .post_bytes(&form.action, "application/x-www-form-urlencoded", all)
                .await;
        }
        Body::Fields(fields) => fields
            .iter()
            .map(|(k, v)| (k.clone().into_bytes(), None, v.clone().into_bytes()))
            .collect(),
        Body::Parts(parts) => parts.clone(),
    };
    let mut bytes = Vec::new();
    for (name, file, value) in parts {
        bytes.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"").as_bytes(),
        );
        bytes.extend_from_slice(&name);
        bytes.push(b'"');
        if let Some(file) = file {
            bytes.extend_from_slice(b"; filename=\"");
            bytes.extend_from_slice(&file);
            bytes.extend_from_slice(b"\"\r\nContent-Type: application/pdf");
        }
        bytes.extend_from_slice(b"\r\n\r\n");
        bytes.extend_from_slice(&value);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    client.post_bytes(&form.action, &multipart, bytes).await
}

/// The bodies to post to `form` as shown now: `every` in every field shown,
/// then `one` in the `round`th field (a hidden one too, in turn) with the
/// others plausible. Each is (what it was, the hostile value, the body).
fn bodies(form: &Form, every: &str, one: &str, round: usize) -> Vec<(String, Body)> {
    let typed: Vec<&Field> = form
        .fields
        .iter()
        .filter(|f| f.name != "csrf_token" && f.kind != Kind::File)
        .collect();
    let with = |value: &str, hostile: &dyn Fn(&Field) -> bool| {
        let mut fields = vec![("csrf_token".to_owned(), csrf(form))];
        for field in &typed {
            if hostile(field) {
                fields.push((field.name.clone(), value.to_owned()));
            } else {
                for plausible in plausible(field) {
                    fields.push((field.name.clone(), plausible));
                }
            }
        }
        fields
    };
    if typed.is_empty() && round > 0 {
        // A button alone: posting it once is all there is to try.
        return Vec::new();
    }
    let mut bodies = vec![(
        format!("{every:.60?} in every field shown"),
        Body::Fields(with(every, &|f| f.kind != Kind::Hidden)),
    )];
    if let Some(field) = typed.get(round % typed.len().max(1)) {
        bodies.push((
            format!("{one:.60?} in {}", field.name),
            Body::Fields(with(one, &|f| f.name == field.name)),
        ));
    }
    bodies
}

/// Bodies only some forms get: impossible dates, invalid UTF-8, hostile files.
fn special_bodies(form: &Form) -> Vec<(String, Body)> {
    let mut bodies = Vec::new();
    let plain: Vec<(String, String)> = form
        .fields
        .iter()
        .filter(|f| f.kind != Kind::File)
        .flat_map(|f| plausible(f).into_iter().map(|v| (f.name.clone(), v)))
        .collect();
    let dates: BTreeSet<&str> = form
        .fields
        .iter()
        .filter_map(|f| f.name.strip_suffix("day"))
        .filter(|prefix| {
            form.fields
                .iter()
                .any(|f| f.name == format!("{prefix}year"))
        })
        .collect();
    for prefix in dates {
        for (day, month, year) in BAD_DATES {
            let mut fields = plain.clone();
            for (name, value) in &mut fields {
                for (part, bad) in [("day", day), ("month", month), ("year", year)] {
                    if *name == format!("{prefix}{part}") {
                        (*bad).clone_into(value);
                    }
                }
            }
            bodies.push((
                format!("date {prefix} {day}/{month}/{year}"),
                Body::Fields(fields),
            ));
        }
    }
    let invalid: &[u8] = b"\xff\xfe\xc3\x28 \xed\xa0\x80 \x00";
    if form.multipart {
        let parts = |file_name: &[u8], text: &dyn Fn(&str) -> Vec<u8>| {
            let mut parts: Vec<Part> = plain
                .iter()
                .map(|(k, v)| {
                    let value = if k == "csrf_token" {
                        v.clone().into_bytes()
                    } else {
                        text(v)
                    };
                    (k.clone().into_bytes(), None, value)
                })
                .collect();
            for file in form.fields.iter().filter(|f| f.kind == Kind::File) {
                parts.push((
                    file.name.clone().into_bytes(),
                    Some(file_name.to_vec()),
                    b"%PDF-1.4\n%\xff\n".to_vec(),
                ));
            }
            parts
        };
        bodies.push((
            "invalid UTF-8 in text parts".to_owned(),
            Body::Parts(parts(b"report.pdf", &|_| invalid.to_vec())),
        ));
        bodies.push((
            "invalid UTF-8 in the file name".to_owned(),
            Body::Parts(parts(invalid, &|v| v.as_bytes().to_vec())),
        ));
        bodies.push((
            "hostile file name".to_owned(),
            Body::Parts(parts(b"../../etc/passwd\r\nX: <script>.pdf", &|v| {
                v.as_bytes().to_vec()
            })),
        ));
        bodies.push((
            "overlong file name".to_owned(),
            Body::Parts(parts("n".repeat(10_000).as_bytes(), &|v| {
                v.as_bytes().to_vec()
            })),
        ));
    } else {
        let mut raw = Vec::new();
        for (name, _) in plain.iter().filter(|(k, _)| k != "csrf_token") {
            raw.extend_from_slice(
                format!("{}=%FF%FE%C3%28%00&", encode(name.as_bytes())).as_bytes(),
            );
        }
        bodies.push((
            "percent-encoded invalid UTF-8".to_owned(),
            Body::Raw(raw.clone()),
        ));
        let mut bare = Vec::new();
        for (name, _) in plain.iter().filter(|(k, _)| k != "csrf_token") {
            bare.extend_from_slice(format!("{}=", encode(name.as_bytes())).as_bytes());
            bare.extend_from_slice(invalid);
            bare.push(b'&');
        }
        bodies.push(("raw invalid UTF-8".to_owned(), Body::Raw(bare)));
    }
    bodies
}

/// The tables as they are, but those a refused post may write.
async fn stored(app: &TestApp) -> BTreeMap<String, String> {
    let mut tables = app.table_rows().await;
    tables.retain(|table, _| !MAY_CHANGE.contains(&table.as_str()));
    tables
}

fn changed_tables(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<String> {
    before
        .iter()
        .filter(|(table, rows)| after.get(*table) != Some(rows))
        .map(|(table, _)| table.clone())
        .collect()
}

/// Whether a post was taken: a redirect, or a page other than the form (a
/// "check your email" page).
fn moved_on(response: &TestResponse, form: &Form) -> bool {
    response.status.is_redirection()
        || (response.status.is_success()
            && !forms_of(&form.page, &response.body)
                .iter()
                .any(|f| f.action == form.action))
}

/// Judges one answer; returns what is wrong with it, if anything.
fn judge(response: &TestResponse, sent: &Body, form: &Form) -> Option<String> {
    if response.status.is_server_error() {
        return Some(format!("status {}", response.status));
    }
    if response.body.contains(SCRIPT) {
        return Some("the script came back as markup".to_owned());
    }
    if response.status.is_redirection() {
        return None;
    }
    if !response.body.contains(LAYOUT) {
        return Some(format!(
            "status {}: not a page of the portal's layout: {:.200}",
            response.status, response.body
        ));
    }
    let the_form_again = response.status.is_success()
        || matches!(
            response.status,
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY
        );
    if moved_on(response, form) {
        return None;
    }
    if the_form_again {
        if !response.body.contains("govuk-error-summary") {
            return Some(format!(
                "status {} without an error summary: {}",
                response.status,
                response.title()
            ));
        }
        // A text field's value is kept (escaped), when it is shown again.
        if let Body::Fields(fields) = sent {
            let shown = forms_of(&form.page, &response.body);
            let again = shown.iter().find(|f| f.action == form.action);
            for (name, value) in fields {
                let typed = form.fields.iter().find(|f| &f.name == name);
                let kept = again.and_then(|f| f.fields.iter().find(|f| &f.name == name));
                if let (
                    Some(Field {
                        kind: Kind::Text | Kind::TextArea,
                        ..
                    }),
                    Some(kept),
                ) = (typed, kept)
                    && value == SCRIPT
                    && !name.contains("code")
                    && kept.value.trim() != value
                {
                    return Some(format!("{name} was not kept: {:?}", kept.value));
                }
            }
        }
    }
    None
}

impl Run {
    /// Posts hostile values to `form`: `rounds` rounds of two values from
    /// `values`, taken in turn across forms, then the special bodies.
    async fn fuzz(&mut self, app: &TestApp, actor: &mut Actor, mut form: Form, values: &[String]) {
        let route = route_of(&self.routes, &form.action)
            .cloned()
            .unwrap_or_default();
        for round in 0..=self.rounds {
            actor.still_signed_in(app).await;
            let current = loop {
                // The form as the page shows it now: a fresh token and version.
                let page = actor.page_of(&form).await;
                // Or, if that one is gone (an action done), another the page
                // shows to the same route (another record's).
                let shown = forms_of(&form.page, &page.body);
                if let Some(current) =
                    shown.iter().find(|f| f.action == form.action).or_else(|| {
                        shown
                            .iter()
                            .find(|f| route_of(&self.routes, &f.action) == Some(&route))
                    })
                {
                    break Form {
                        via: form.via.clone(),
                        ..current.clone()
                    };
                }
                if std::env::var("SEND_PORTAL_HOSTILE_DEBUG").is_ok() {
                    eprintln!(
                        "{:?}: {} not on {} ({})",
                        actor.who, form.action, form.page, page.status
                    );
                }
                // Or one another page showed.
                match actor.others.get_mut(&route).and_then(Vec::pop) {
                    Some(other) => form = other,
                    None => return,
                }
            };
            let planned = if round < self.rounds {
                let every = &values[self.next_value % values.len()];
                let one = &values[(self.next_value + 1) % values.len()];
                self.next_value += 2;
                bodies(&current, every, one, round)
            } else {
                special_bodies(&current)
            };
            for (what, body) in planned {
                let before = stored(app).await;
                let response = send(&mut actor.client, &current, &body).await;
                self.posts += 1;
                self.posted.insert(route.clone());
                if std::env::var("SEND_PORTAL_HOSTILE_DEBUG").is_ok() {
                    eprintln!(
                        "{:?} {} {what:.80}: {} {}",
                        actor.who,
                        current.action,
                        response.status,
                        location(&response)
                    );
                }
                let mut problem = judge(&response, &body, &current);
                if problem.is_none() && !moved_on(&response, &current) {
                    let changed = changed_tables(&before, &stored(app).await);
                    if !changed.is_empty() {
                        problem = Some(format!("refused, yet wrote to {changed:?}"));
                    }
                }
                if let Some(problem) = problem {
                    self.failures.push(format!(
                        "{:?} POST {} ({route}) with {what}: {problem}",
                        actor.who, current.action
                    ));
                }
                if response.status.is_redirection() {
                    // A valid change: what it leads to may hold new forms.
                    let next = location(&response).to_owned();
                    if !next.is_empty() {
                        actor.walk(self, &next).await;
                    }
                    // The page moved on (a step done, a record removed): stop.
                    let again = actor.page_of(&form).await;
                    if !forms_of(&form.page, &again.body)
                        .iter()
                        .any(|f| f.action == form.action)
                    {
                        return;
                    }
                }
            }
        }
    }
}

/// Forms that can take away what the one posting may do (their own
/// permission groups, their account, their session): posted to last.
const LAST: &[&str] = &[
    // Importing the configuration as it was undoes the set-up.
    "/configuration/confirm",
    // Before the caseworker's sessions could end: their other devices.
    "sign-out",
    "/membership",
    "/deactivate",
    "/end-sessions",
    "/disable",
    // Rejecting an incoming form: matching and importing it are done with.
    "/reject",
    // Submitting a form: its pages, files and items are done with after.
    "/check",
];

/// People part-way through a journey, at a step no walk reaches: each as a
/// visitor (never signed in again) with the page the step is on.
async fn journeys(app: &TestApp) -> Vec<(TestClient, &'static str)> {
    let password = send_app::demo::DEMO_PASSWORD;
    let mut journeys = Vec::new();
    // Signing in: the emailed code, and the back office's authenticator app.
    for (email, step) in [
        ("parent@example.com", "/sign-in/code"),
        (send_app::demo::DEMO_STAFF_EMAIL, "/sign-in/authenticator"),
    ] {
        let mut client = app.client();
        let sent = submit(
            &mut client,
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", password)],
        )
        .await;
        assert_eq!(location(&sent), step, "{}", sent.body);
        journeys.push((client, step));
    }
    // Registering: the code sent to the new address.
    let mut client = app.client();
    submit(
        &mut client,
        "/register",
        "/register",
        &[("name", "Alex Example")],
    )
    .await;
    let sent = submit(
        &mut client,
        EMAIL_AND_PASSWORD,
        EMAIL_AND_PASSWORD,
        &[
            ("email", "alex.example@example.com"),
            ("password", PASSWORD),
            ("confirm_password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&sent), "/register/confirm", "{}", sent.body);
    journeys.push((client, "/register/confirm"));
    // Changing the email address: the code sent to the new one (an account
    // of its own, which the parent signing out their other devices leaves be).
    let mut client = registered(app, "Robin Example", "robin@example.com").await;
    let sent = submit(
        &mut client,
        "/account/email",
        "/account/email",
        &[
            ("email", "robin.new@example.com"),
            ("current_password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&sent), "/account/email/confirm", "{}", sent.body);
    journeys.push((client, "/account/email/confirm"));
    // Going back to codes by email from an authenticator app.
    let mut client = registered(app, "Kim Example", "kim@example.com").await;
    let page = client.get("/account/authenticator").await;
    let code = app_code(&authenticator_key(&page), app.clock.now());
    let set_up = submit(
        &mut client,
        "/account/authenticator",
        "/account/authenticator",
        &[("code", &code), ("current_password", PASSWORD)],
    )
    .await;
    assert_eq!(
        location(&set_up),
        "/account/recovery-codes",
        "{}",
        set_up.body
    );
    journeys.push((client, "/account/email-codes"));
    journeys
}

/// State the demo data lacks, built through the app as its people would
/// build it: who walks from which page, and who takes which step, to reach
/// the forms it shows.
#[derive(Debug, Default)]
struct Staged {
    pages: Vec<(Who, String)>,
    steps: Vec<(Who, Step)>,
}

/// Builds the state [`Staged`] names.
async fn staged(app: &TestApp) -> Staged {
    let mut caseworker = demo_caseworker(app).await;
    // The configuration before the set-up below, which importing it would
    // undo: its differences wait for the import's confirmation.
    let configuration = caseworker
        .get("/back-office/admin/configuration/download")
        .await;
    assert_eq!(configuration.status, StatusCode::OK);
    let configuration = configuration.body.into_bytes();
    let mut pages = Vec::new();
    // An invitation waiting for its identity check.
    let waiting = add_child(&mut caseworker).await;
    invite(app, &mut caseworker, waiting).await;
    pages.push((
        Who::Caseworker,
        format!("/back-office/children/{waiting}/portal-access"),
    ));
    // An invitation the family has accepted, for the SEND team to confirm or
    // decline (a second child: the same numbers would be a duplicate).
    let accepted = another_child(&mut caseworker, "Jo").await;
    let (invitation, code) = invite(app, &mut caseworker, accepted).await;
    let link = verify_and_send_link(app, &mut caseworker, invitation, &code).await;
    let mut family = app.client();
    // Opened first, the link is where registering comes back to.
    family.get(&link).await;
    register_with(
        app,
        &mut family,
        &[("name", "Sam Example"), ("email", PARENT)],
        &link,
    )
    .await;
    let answered = answer(&mut family, &link, accepted, "yes").await;
    assert_eq!(location(&answered), "/home", "{}", answered.body);
    pages.push((
        Who::Caseworker,
        format!("/back-office/children/{accepted}/portal-access"),
    ));
    // Two professionals' requests, one for a child on the record, to match
    // or decline.
    let mut senco = signed_in(app, Who::Professional).await;
    for (first, last, nhs_number) in [("Alex", "Example", "943 476 5919"), ("Amira", "Khan", "")] {
        let sent = submit(
            &mut senco,
            "/children/add",
            "/children/add",
            &[
                ("first_name", first),
                ("last_name", last),
                ("dob-day", "14"),
                ("dob-month", "3"),
                ("dob-year", "2016"),
                ("nhs_number", nhs_number),
                ("relationship", "SENCO"),
            ],
        )
        .await;
        assert_eq!(location(&sent), "/home", "{}", sent.body);
    }
    let signed_out = post_button(&mut senco, "/home", "/sign-out").await;
    assert!(signed_out.status.is_redirection(), "{}", signed_out.body);
    let requests = app
        .app
        .store
        .child_link_requests_waiting(10)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(requests.len(), 2, "{requests:?}");
    for request in requests {
        pages.push((
            Who::Caseworker,
            format!("/back-office/portal-requests/{}", request.id),
        ));
    }
    let mut staged = Staged {
        pages,
        steps: Vec::new(),
    };
    later_cases(app, &mut caseworker, &mut family, &mut staged).await;
    administration(app, &mut caseworker, configuration, &mut staged).await;
    // Every page of a form sent to the parent's child, and of the request for
    // an assessment the parent may fill in on their own: items, files and
    // checking the answers lie past the first page.
    staged.pages.extend(form_pages(app).await);
    // The emails these steps sent are not the walk's to follow.
    app.deliver_emails().await;
    app.mail.take();
    staged
}

/// A child like [`CHILD`] but for the first name and the numbers (the same
/// numbers would be a duplicate), with the family contact Sam Example.
async fn another_child(caseworker: &mut TestClient, first_name: &str) -> send_domain::ChildId {
    let fields: Vec<(&str, &str)> = CHILD
        .iter()
        .filter(|(name, _)| !matches!(*name, "nhs_number" | "uln"))
        .map(|&(name, value)| {
            (
                name,
                if name == "first_name" {
                    first_name
                } else {
                    value
                },
            )
        })
        .collect();
    let added = submit(
        caseworker,
        "/back-office/children/new",
        "/back-office/children/new",
        &fields,
    )
    .await;
    location(&added)
        .trim_start_matches("/back-office/children/")
        .parse()
        .unwrap_or_else(|e| panic!("{e:?}: {}", added.body))
}

/// Takes `step` as `client`, which must be a valid change: returns where it led.
async fn through(client: &mut TestClient, step: Step) -> String {
    let done = step.take(client).await;
    assert!(
        done.status.is_redirection(),
        "{step:?}: {} {}",
        done.status,
        done.title()
    );
    location(&done).to_owned()
}

/// The actions of `page`'s forms that end with `end`.
async fn actions_ending(client: &mut TestClient, page: &str, end: &str) -> BTreeSet<String> {
    let shown = client.get(page).await;
    forms_of(page, &shown.body)
        .into_iter()
        .map(|f| f.action)
        .filter(|a| a.ends_with(end))
        .collect()
}

/// A date `days` before today, as a date input's day, month and year.
fn days_ago(app: &TestApp, days: i64) -> [String; 3] {
    let date = app.clock.now().date() - Duration::days(days);
    [
        date.day().to_string(),
        u8::from(date.month()).to_string(),
        date.year().to_string(),
    ]
}

/// Cases further on than the demo's: an EHC plan whose annual review decided
/// to amend it (and a move to cease it, whose confirmation is a step), a
/// family contact, a document, a portal link sent that can be sent again, and
/// one revoked that can be granted again.
async fn later_cases(
    app: &TestApp,
    caseworker: &mut TestClient,
    family: &mut TestClient,
    staged: &mut Staged,
) {
    let planned = another_child(caseworker, "Kai").await;
    let new = format!("/back-office/children/{planned}/involvements/new");
    let [day, month, year] = days_ago(app, 400);
    let involvement = through(
        caseworker,
        Step::new(
            &new,
            &new,
            &[
                ("kind", "plan"),
                ("start-day", &day),
                ("start-month", &month),
                ("start-year", &year),
            ],
        ),
    )
    .await;
    let [meeting, report, decided] = [40, 35, 30].map(|days| days_ago(app, days));
    through(
        caseworker,
        Step::new(
            &involvement,
            format!("{involvement}/reviews"),
            &[
                ("notice-day", ""),
                ("notice-month", ""),
                ("notice-year", ""),
                ("meeting-day", &meeting[0]),
                ("meeting-month", &meeting[1]),
                ("meeting-year", &meeting[2]),
                ("report-day", &report[0]),
                ("report-month", &report[1]),
                ("report-year", &report[2]),
                ("decision", "amend"),
                ("decided-day", &decided[0]),
                ("decided-month", &decided[1]),
                ("decided-year", &decided[2]),
                ("cease_reason", ""),
            ],
        ),
    )
    .await;
    let [day, month, year] = days_ago(app, 0);
    staged.steps.push((
        Who::Caseworker,
        Step::new(
            &involvement,
            format!("{involvement}/stage/check"),
            &[("on-day", &day), ("on-month", &month), ("on-year", &year)],
        ),
    ));
    staged.pages.push((Who::Caseworker, involvement));
    staged
        .pages
        .push((Who::Caseworker, format!("/back-office/children/{planned}")));
    let shared = crate::messages::upload(
        caseworker,
        planned,
        "letter.pdf",
        crate::messages::PDF,
        "all",
    )
    .await;
    staged
        .pages
        .push((Who::Caseworker, location(&shared).to_owned()));
    // A link sent, not yet answered.
    let sent = another_child(caseworker, "Noor").await;
    let (invitation, code) = invite(app, caseworker, sent).await;
    verify_and_send_link(app, caseworker, invitation, &code).await;
    staged.pages.push((
        Who::Caseworker,
        format!("/back-office/children/{sent}/portal-access"),
    ));
    // A link accepted, confirmed, then revoked.
    let access = revoked_link(app, caseworker, family).await;
    staged.pages.push((Who::Caseworker, access));
}

/// A child whose family's portal link was accepted, confirmed, then revoked:
/// returns its portal access page.
async fn revoked_link(
    app: &TestApp,
    caseworker: &mut TestClient,
    family: &mut TestClient,
) -> String {
    let revoked = another_child(caseworker, "Rae").await;
    let access = format!("/back-office/children/{revoked}/portal-access");
    let (invitation, code) = invite(app, caseworker, revoked).await;
    let link = verify_and_send_link(app, caseworker, invitation, &code).await;
    let answered = answer(family, &link, revoked, "yes").await;
    assert_eq!(location(&answered), "/home", "{}", answered.body);
    through(
        caseworker,
        Step::new(
            &access,
            format!("/back-office/invitations/{invitation}/confirm"),
            &[],
        ),
    )
    .await;
    let shown = caseworker.get(&access).await;
    let revoke = links_of(&shown.body)
        .into_iter()
        .find(|l| l.ends_with("/revoke"))
        .unwrap_or_else(|| panic!("no link to revoke: {}", shown.body));
    through(
        caseworker,
        Step::new(&revoke, &revoke, &[("reason", "They asked us to")]),
    )
    .await;
    access
}

/// The portal's set-up changed from the demo's: a local milestone, a retired
/// message type, a council text changed, a colleague who left holding a
/// conversation, and `configuration` (as it was before) uploaded again.
async fn administration(
    app: &TestApp,
    caseworker: &mut TestClient,
    configuration: Vec<u8>,
    staged: &mut Staged,
) {
    let milestone = "/back-office/admin/milestones/new";
    through(
        caseworker,
        Step::new(
            milestone,
            milestone,
            &[("title", "Check-in call"), ("amount", "10")],
        ),
    )
    .await;
    let types = "/back-office/admin/message-types";
    let before = actions_ending(caseworker, types, "/retire").await;
    let new = format!("{types}/new");
    through(caseworker, Step::new(&new, &new, &[])).await;
    let added = actions_ending(caseworker, types, "/retire")
        .await
        .into_iter()
        .find(|a| !before.contains(a))
        .unwrap_or_else(|| panic!("no new message type"));
    through(caseworker, Step::new(types, added, &[])).await;
    staged.pages.push((Who::Caseworker, types.to_owned()));
    let text = "/back-office/admin/texts/contact.hours";
    through(
        caseworker,
        Step::new(
            text,
            text,
            &[
                ("value", "Monday to Friday, 9am to 4pm"),
                ("action", "save"),
            ],
        ),
    )
    .await;
    staged.pages.push((Who::Caseworker, text.to_owned()));
    // A colleague who held the parent's conversation, then left.
    let leaver = "leaver@testshire.example";
    create_staff(
        app,
        leaver,
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await;
    let leaver = stranger_id(app, leaver).await;
    let staff = demo_caseworker_access(app).await;
    let parent = stranger_id(app, Who::Parent.email()).await;
    let mut held = false;
    for link in app
        .app
        .store
        .portal_links_for_account(parent)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    {
        for thread in app
            .app
            .store
            .threads_of_child(link.child_id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
        {
            held |= app
                .app
                .assign_thread(&staff, thread.id, Some(leaver), &Source::default())
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    assert!(held, "no conversation to hand over");
    let person = format!("/back-office/admin/people/{leaver}");
    through(
        caseworker,
        Step::new(&person, format!("{person}/deactivate"), &[]),
    )
    .await;
    staged.pages.push((Who::Caseworker, person));
    staged.steps.push((
        Who::Caseworker,
        Step {
            page: "/back-office/admin/configuration".to_owned(),
            action: "/back-office/admin/configuration/check".to_owned(),
            answers: Vec::new(),
            file: Some((
                "configuration".to_owned(),
                "send-portal-configuration.toml".to_owned(),
                configuration,
            )),
        },
    ));
}

/// The demo caseworker's access, for set-up through the app's own calls.
async fn demo_caseworker_access(app: &TestApp) -> send_domain::StaffAccess {
    app.app
        .staff_access(stranger_id(app, send_app::demo::DEMO_STAFF_EMAIL).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the demo caseworker"))
}

/// The parent's start at every page of two built-in forms with file and
/// repeating questions: one sent to their child, one of their own.
async fn form_pages(app: &TestApp) -> Vec<(Who, String)> {
    let staff = demo_caseworker_access(app).await;
    let parent = stranger_id(app, Who::Parent.email()).await;
    let child = app
        .app
        .store
        .portal_links_for_account(parent)
        .await
        .unwrap_or_else(|e| panic!("{e}"))[0]
        .child_id;
    let sent = crate::forms::builtin(app, "draft_plan_comments").await;
    app.app
        .assign_form(
            &staff,
            child,
            NewAssignment {
                form: sent,
                to: AssignedTo::EveryoneLinked,
                due: None,
            },
            &Source::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let own = crate::forms::builtin(app, "request_assessment_family").await;
    let mut pages = Vec::new();
    for (form, base) in [
        (sent, format!("/children/{child}/forms/{sent}")),
        (own, format!("/forms/{own}")),
    ] {
        let definition = app
            .app
            .store
            .form(form)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("{form}"))
            .draft;
        for page in &definition.pages {
            pages.push((Who::Parent, format!("{base}/pages/{}", page.key)));
        }
        pages.push((Who::Parent, format!("{base}/check")));
    }
    pages.extend(builder_pages(app, own).await);
    // Filled in, a file attached and an item added on the way, for the
    // pages past the first, the file's and item's buttons, and the check.
    let mut parent = signed_in(app, Who::Parent).await;
    // The comments on the draft plan asked for only if it is not agreed with.
    let answers = [("agree_with_draft".to_owned(), "no".to_owned())];
    for (base, answers) in [
        (format!("/children/{child}/forms/{sent}"), &answers[..]),
        (format!("/forms/{own}"), &[]),
    ] {
        fill(&mut parent, &base, answers).await;
    }
    // Signed in once only, as the walk's parent (see the caseworker's devices).
    let signed_out = post_button(&mut parent, "/home", "/sign-out").await;
    assert!(signed_out.status.is_redirection(), "{}", signed_out.body);
    pages
}

/// A working copy of the family's own form in the form builder: its pages'
/// and questions' conditions and routes, and its group's items.
async fn builder_pages(app: &TestApp, own: send_domain::FormId) -> Vec<(Who, String)> {
    let mut pages = Vec::new();
    let mut caseworker = demo_caseworker(app).await;
    let original = format!("/back-office/forms/{own}");
    let shown = caseworker.get(&original).await;
    let copy = format!("{original}/copy");
    if let Some(form) = forms_of(&original, &shown.body)
        .into_iter()
        .find(|f| f.action == copy)
    {
        let copied = post_plausibly(&mut caseworker, &form).await;
        let draft = location(&copied).to_owned();
        assert!(draft.starts_with("/back-office/forms/"), "{}", copied.body);
        let definition = app
            .app
            .store
            .form(own)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("{own}"))
            .draft;
        // A yes/no or choice question asked earlier: what a later page's or
        // question's condition, or a page's route, tests.
        let mut tested: Option<String> = None;
        for page in &definition.pages {
            for step in ["condition", "routes/new"] {
                pages.push((
                    Who::Caseworker,
                    format!("{draft}/pages/{}/{step}", page.key),
                ));
                if let Some(tested) = &tested {
                    pages.push((
                        Who::Caseworker,
                        format!("{draft}/pages/{}/{step}/{tested}", page.key),
                    ));
                }
            }
            for question in &page.questions {
                pages.push((
                    Who::Caseworker,
                    format!("{draft}/questions/{}/condition", question.key),
                ));
                if let Some(tested) = &tested {
                    pages.push((
                        Who::Caseworker,
                        format!("{draft}/questions/{}/condition/{tested}", question.key),
                    ));
                }
                if tested.is_none()
                    && matches!(
                        question.kind,
                        QuestionKind::YesNo | QuestionKind::SingleChoice { .. }
                    )
                {
                    tested = Some(question.key.to_string());
                }
                if let QuestionKind::Repeating { questions, .. } = &question.kind {
                    for item in questions {
                        pages.push((
                            Who::Caseworker,
                            format!("{draft}/questions/{}/items/{}", question.key, item.key),
                        ));
                    }
                }
            }
        }
        // A condition on the last page's question, to remove.
        let last = definition.pages.last().and_then(|p| p.questions.first());
        if let (Some(tested), Some(last)) = (&tested, last) {
            let page = format!("{draft}/questions/{}/condition/{tested}", last.key);
            through(&mut caseworker, Step::new(&page, &page, &[])).await;
        }
        // A new question of one kind (each kind's page posts to one route).
        pages.push((Who::Caseworker, format!("{draft}/questions/new/short_text")));
        // The overview last: moving pages comes after the conditions on them.
        pages.push((Who::Caseworker, draft));
    }
    pages
}

/// Fills in the form at `base` page by page with plausible answers (but
/// `answers`), a PDF for each file question and an item for each repeating
/// one, as far as such answers take it (the check page, for the built-in
/// forms).
async fn fill(client: &mut TestClient, base: &str, answers: &[(String, String)]) {
    let mut at = base.to_owned();
    for _ in 0..60 {
        let page = client.get(&at).await;
        if page.status.is_redirection() {
            location(&page).clone_into(&mut at);
            continue;
        }
        if at.ends_with("/check") {
            return;
        }
        for form in forms_of(&at, &page.body) {
            if let Some(file) = form.fields.iter().find(|f| f.kind == Kind::File) {
                let sent = client
                    .post_multipart(
                        &form.action,
                        &[("csrf_token", &csrf(&form))],
                        &[(&file.name, "report.pdf", crate::messages::PDF)],
                    )
                    .await;
                assert!(sent.status.is_redirection(), "{}", sent.body);
            }
        }
        // Four items: "Remove" is posted three times (a valid post, then two
        // with invalid UTF-8 after the form token), and a group needs one.
        for new in links_of(&page.body)
            .into_iter()
            .filter(|l| l.ends_with("/items/new"))
        {
            for _ in 0..4 {
                let shown = client.get(&new).await;
                if let Some(form) = forms_of(&new, &shown.body)
                    .into_iter()
                    .find(|f| f.action == new)
                {
                    let added = post_plausibly(client, &form).await;
                    assert!(added.status.is_redirection(), "{}", added.body);
                }
            }
        }
        let page = client.get(&at).await;
        let Some(form) = forms_of(&at, &page.body)
            .into_iter()
            .find(|f| f.action == at)
        else {
            // The form's start page: its link to the first question.
            let first = format!("{base}/pages/");
            match links_of(&page.body)
                .into_iter()
                .find(|l| l.starts_with(&first))
            {
                Some(link) if at == base => {
                    at = link;
                    continue;
                }
                _ => return,
            }
        };
        let answers: Vec<(String, String)> = answers
            .iter()
            .filter(|(name, _)| form.fields.iter().any(|f| &f.name == name))
            .cloned()
            .collect();
        let saved = post_with(client, &form, &answers, None).await;
        if !saved.status.is_redirection() {
            if std::env::var("SEND_PORTAL_HOSTILE_DEBUG").is_ok() {
                eprintln!("filling {at} stopped: {}", saved.title());
            }
            return;
        }
        location(&saved).clone_into(&mut at);
    }
}

/// Posts `form` with a plausible value in every field (no file).
async fn post_plausibly(client: &mut TestClient, form: &Form) -> TestResponse {
    post_with(client, form, &[], None).await
}

/// Posts `form` with a plausible value in every field but those `answers`
/// gives, and `file` if any (the field, the file name, its bytes).
async fn post_with(
    client: &mut TestClient,
    form: &Form,
    answers: &[(String, String)],
    file: Option<&(String, String, Vec<u8>)>,
) -> TestResponse {
    let mut fields: Vec<(String, String)> = form
        .fields
        .iter()
        .filter(|f| f.kind != Kind::File && !answers.iter().any(|(k, _)| *k == f.name))
        .flat_map(|f| {
            // One box ticked: "none of these" may not go with the others.
            let values = plausible(f);
            let take = if matches!(f.kind, Kind::Checkboxes(_)) {
                1
            } else {
                values.len()
            };
            values.into_iter().take(take).map(|v| (f.name.clone(), v))
        })
        .collect();
    fields.extend(answers.iter().cloned());
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    match file {
        Some((field, name, bytes)) => {
            client
                .post_multipart(
                    &form.action,
                    &fields,
                    &[(field.as_str(), name.as_str(), bytes.as_slice())],
                )
                .await
        }
        None => client.post_form(&form.action, &fields).await,
    }
}

/// The next form to post to: those in [`LAST`] last, in its order.
fn next_form(actor: &mut Actor) -> Option<Form> {
    let rank = |form: &Form| {
        LAST.iter()
            .position(|last| form.action.contains(last))
            .map_or(0, |at| at + 1)
    };
    let at = (0..actor.queue.len()).min_by_key(|&i| rank(&actor.queue[i]))?;
    actor.queue.remove(at)
}

/// Links emailed since the last look, opened by the visitor.
async fn emailed_links(app: &TestApp) -> Vec<String> {
    app.deliver_emails().await;
    let base = "http://localhost:8080";
    app.mail
        .take()
        .iter()
        .flat_map(|email| {
            email
                .text_body
                .split_whitespace()
                .filter_map(|word| word.strip_prefix(base))
                .map(ToOwned::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "the run from top to bottom: who walks, in what order, then what is checked"
)]
async fn hostile_input_to_every_form_is_refused_cleanly_and_writes_nothing() {
    on_both_databases(async |app| {
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::ERROR)
            .with_test_writer()
            .try_init();
        app.app
            .load_demo_data()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let staged = staged(&app).await;
        let mut values = fixed_values();
        values.extend(random_values());
        let mut run = Run {
            routes: post_routes_in_source(),
            rounds: std::env::var("SEND_PORTAL_HOSTILE_ROUNDS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(2),
            ..Run::default()
        };
        let mut actors = Vec::new();
        for who in [
            Who::Visitor,
            Who::Parent,
            Who::Professional,
            Who::Caseworker,
        ] {
            let mut actor = Actor {
                who,
                client: signed_in(&app, who).await,
                visited: BTreeSet::new(),
                shapes: BTreeMap::new(),
                queue: VecDeque::new(),
                others: BTreeMap::new(),
            };
            if who == Who::Caseworker {
                // Signed in on other devices too (the only one who is: an
                // authenticator app sends no code): one more than the rounds
                // of "Sign out" (each signing one out), for "Sign out
                // everywhere else" after them.
                for _ in 0..=run.rounds {
                    signed_in(&app, who).await;
                }
            }
            for start in who.start() {
                actor.walk(&mut run, start).await;
            }
            for (_, start) in staged.pages.iter().filter(|(by, _)| *by == who) {
                // Walked even if left out before for its shape.
                actor.visited.remove(start);
                actor.walk(&mut run, start).await;
            }
            for (_, step) in staged.steps.iter().filter(|(by, _)| *by == who) {
                actor.step(&mut run, step).await;
            }
            actors.push(actor);
        }
        for (client, step) in journeys(&app).await {
            let mut actor = Actor {
                who: Who::Visitor,
                client,
                visited: BTreeSet::new(),
                shapes: BTreeMap::new(),
                queue: VecDeque::new(),
                others: BTreeMap::new(),
            };
            actor.walk(&mut run, step).await;
            let caseworker = actors.len() - 1;
            actors.insert(caseworker, actor);
        }
        // Each in turn, the caseworker last (who may deactivate the others); a
        // link an email carries is the visitor's, so round again until no
        // form is left.
        loop {
            let mut any = false;
            for index in 0..actors.len() {
                while let Some(form) = next_form(&mut actors[index]) {
                    any = true;
                    run.fuzz(&app, &mut actors[index], form, &values).await;
                    for link in emailed_links(&app).await {
                        actors[0].walk(&mut run, &link).await;
                    }
                }
            }
            if !any {
                break;
            }
        }
        // The routes no walk reaches, at the address each is listed with.
        for (route, address) in UNREACHABLE {
            if run.posted.contains(*route) {
                continue;
            }
            let visitor = &mut actors[0];
            let page = visitor.client.get("/sign-in").await;
            let token = forms_of("/sign-in", &page.body)
                .first()
                .map(csrf)
                .unwrap_or_default();
            for value in &values {
                let form = Form {
                    page: (*address).to_owned(),
                    action: (*address).to_owned(),
                    multipart: false,
                    fields: vec![Field {
                        name: "csrf_token".to_owned(),
                        kind: Kind::Hidden,
                        value: token.clone(),
                    }],
                    via: None,
                };
                let body = Body::Fields(vec![
                    ("csrf_token".to_owned(), token.clone()),
                    ("password".to_owned(), value.clone()),
                    ("confirm_password".to_owned(), value.clone()),
                ]);
                let response = send(&mut visitor.client, &form, &body).await;
                run.posted.insert((*route).to_owned());
                if let Some(problem) = judge(&response, &body, &form) {
                    run.failures
                        .push(format!("POST {address} ({route}): {problem}"));
                }
            }
        }
        if std::env::var("SEND_PORTAL_HOSTILE_DEBUG").is_ok() {
            for actor in &actors {
                eprintln!("{:?} visited {:#?}", actor.who, actor.visited);
            }
        }
        let missing: Vec<&String> = run
            .routes
            .iter()
            .filter(|r| !run.posted.contains(*r) && !NOT_YET.contains(&r.as_str()))
            .collect();
        eprintln!(
            "{:?}: {} posts to {} of {} POST routes",
            app.engine,
            run.posts,
            run.posted.len(),
            run.routes.len()
        );
        eprintln!(
            "{:?}: POST routes no form reached: {missing:#?}",
            app.engine
        );
        assert!(
            run.failures.is_empty(),
            "{:?}:\n{}",
            app.engine,
            run.failures.join("\n")
        );
        assert!(
            missing.is_empty(),
            "{:?}: POST routes no form reached: {missing:#?}",
            app.engine
        );
        let reached: Vec<&&str> = NOT_YET
            .iter()
            .filter(|r| run.posted.contains(**r))
            .collect();
        assert!(
            reached.is_empty(),
            "{:?}: POST routes reached, yet listed in NOT_YET: {reached:#?}",
            app.engine
        );
    })
    .await;
}

/// A new account, registered and signed in.
async fn registered(app: &TestApp, name: &str, email: &str) -> TestClient {
    let mut client = app.client();
    register_with(
        app,
        &mut client,
        &[("name", name), ("email", email)],
        "/home",
    )
    .await;
    client
}
