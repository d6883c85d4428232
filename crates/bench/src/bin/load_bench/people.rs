//! The signed-in people of a load run, the pages they visit and the journeys
//! they make.

use std::ops::{Range, RangeInclusive};
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use rand::Rng;
use rand::rngs::StdRng;
use send_bench::council::{caseworker_email, parent_email};
use send_bench::http::{self, Client};

/// A signed-in person and the pages of theirs the benchmark visits.
#[derive(Debug)]
pub struct Person {
    client: Client,
    /// A family's child's SEND Dashboard, or a caseworker's case's child's
    /// chronology.
    child_page: String,
    /// The child's messages (a family's Inbox, or the SEND team's list).
    messages: String,
    /// One of the child's conversations.
    thread: String,
    /// The session's form token (caseworkers', for replying).
    csrf: String,
    /// Held while replying: a caseworker writes one reply at a time, as a
    /// person does (two at once in one conversation would be told that someone
    /// else wrote meanwhile).
    replying: tokio::sync::Mutex<()>,
}

#[derive(Debug)]
pub struct People {
    pub families: Vec<Person>,
    pub staff: Vec<Person>,
}

/// A page timed alone: one request each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Page {
    /// The start page without a cookie: the ceiling the others are set against.
    Start,
    /// A page with nothing of a child's on it (the accessibility statement),
    /// signed in: what a session cookie adds to a request.
    SignedIn,
    Dashboard,
    Inbox,
    Message,
    Documents,
    MyAccount,
    Caseload,
    Chronology,
}

impl Page {
    /// The start page first: it is the ceiling.
    pub const ALL: &[Self] = &[
        Self::Start,
        Self::SignedIn,
        Self::Dashboard,
        Self::Inbox,
        Self::Message,
        Self::Documents,
        Self::MyAccount,
        Self::Caseload,
        Self::Chronology,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Start => "Start page, no cookie (the ceiling)",
            Self::SignedIn => "Accessibility statement, signed in (family)",
            Self::Dashboard => "SEND Dashboard (family)",
            Self::Inbox => "Inbox (family)",
            Self::Message => "A conversation (family)",
            Self::Documents => "Documents to View (family)",
            Self::MyAccount => "My Account (family)",
            Self::Caseload => "Caseload, missed deadlines (caseworker)",
            Self::Chronology => "A child's chronology (caseworker)",
        }
    }

    fn by_staff(self) -> bool {
        matches!(self, Self::Caseload | Self::Chronology)
    }
}

/// A journey of the mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Journey {
    Dashboard,
    InboxAndMessage,
    Documents,
    SendMessage,
    Caseload,
    Chronology,
}

impl Journey {
    pub fn name(self) -> &'static str {
        match self {
            Self::Dashboard => "SEND Dashboard",
            Self::InboxAndMessage => "Inbox, then a conversation",
            Self::Documents => "Documents to View",
            Self::SendMessage => "Send a message (a caseworker's reply)",
            Self::Caseload => "Caseload, missed deadlines",
            Self::Chronology => "A child's chronology",
        }
    }

    /// Families' journeys, but sending: families may send 5 messages in 10
    /// minutes, which a 5% share of hundreds of requests a second would use up
    /// in seconds, so the SEND team replies instead (the same writes: the
    /// message, its notice and its audit event).
    fn by_staff(self) -> bool {
        matches!(self, Self::SendMessage | Self::Caseload | Self::Chronology)
    }
}

const CASELOAD: &str = "/back-office/caseload?scope=mine&overdue=yes";

impl People {
    /// Signs the families and caseworkers in, four at a time, and finds the
    /// pages each will visit.
    pub async fn sign_in(
        client: &Client,
        mail: &Path,
        families: Range<usize>,
        staff: RangeInclusive<usize>,
    ) -> Result<Self> {
        let mut signed_in = Self {
            families: Vec::new(),
            staff: Vec::new(),
        };
        let numbers: Vec<usize> = families.collect();
        for chunk in numbers.chunks(4) {
            let mut tasks = Vec::new();
            for &n in chunk {
                let (client, mail) = (client.clone(), mail.to_owned());
                tasks.push(tokio::spawn(async move {
                    let email = parent_email(n);
                    let client = http::sign_in_by_email(&client, &mail, &email).await?;
                    Person::family(client, &email).await
                }));
            }
            for task in tasks {
                signed_in.families.push(task.await??);
            }
        }
        for n in staff {
            let session = http::sign_in_caseworker(client.base(), n).await?;
            let client = client.with_cookie(&session.cookie);
            signed_in
                .staff
                .push(Person::caseworker(client, session.csrf, &caseworker_email(n)).await?);
        }
        Ok(signed_in)
    }

    pub fn for_page(&self, page: Page, rng: &mut StdRng) -> &Person {
        self.one(page.by_staff(), rng)
    }

    pub fn for_journey(&self, journey: Journey, rng: &mut StdRng) -> &Person {
        self.one(journey.by_staff(), rng)
    }

    fn one(&self, staff: bool, rng: &mut StdRng) -> &Person {
        let people = if staff { &self.staff } else { &self.families };
        &people[rng.random_range(0..people.len())]
    }

    /// One page: whether it answered 200.
    pub async fn visit(&self, page: Page, person: &Person) -> Result<bool> {
        let client = &person.client;
        let answer = match page {
            Page::Start => client.with_cookie("").get("/").await?,
            Page::SignedIn => client.get("/accessibility").await?,
            Page::Dashboard | Page::Chronology => client.get(&person.child_page).await?,
            Page::Inbox => client.get(&person.messages).await?,
            Page::Message => client.get(&person.thread).await?,
            Page::Documents => client.get(&person.documents()).await?,
            Page::MyAccount => client.get("/account").await?,
            Page::Caseload => client.get(CASELOAD).await?,
        };
        Ok(answer.status == 200)
    }

    /// The caseworker's turn to reply, for a reply journey (a caseworker
    /// writes one reply at a time): held by the caller, outside the journey's
    /// time, so the time is the portal's and not the wait for the turn.
    pub async fn reply_turn(
        journey: Journey,
        person: &Person,
    ) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match journey {
            Journey::SendMessage => Some(person.replying.lock().await),
            _ => None,
        }
    }

    /// One journey: the requests it made and whether each answered as it
    /// should.
    pub async fn journey(&self, journey: Journey, person: &Person) -> Result<(usize, bool)> {
        Ok(match journey {
            Journey::Dashboard => (1, self.visit(Page::Dashboard, person).await?),
            Journey::Documents => (1, self.visit(Page::Documents, person).await?),
            Journey::Caseload => (1, self.visit(Page::Caseload, person).await?),
            Journey::Chronology => (1, self.visit(Page::Chronology, person).await?),
            Journey::InboxAndMessage => {
                let inbox = self.visit(Page::Inbox, person).await?;
                (2, inbox && self.visit(Page::Message, person).await?)
            }
            Journey::SendMessage => {
                // The caller holds the caseworker's turn (`reply_turn`).
                let client = &person.client;
                let opened = client.get(&person.thread).await?.status == 200;
                let sent = client
                    .post_multipart(
                        &format!("{}/reply", person.thread),
                        &[
                            ("csrf_token", &person.csrf),
                            ("message", "Thank you, we have noted this on the file."),
                        ],
                        None,
                    )
                    .await?;
                // A reply sent answers "see other" (back to the conversation).
                if sent.status != 303 {
                    report_once(&sent);
                }
                (2, opened && sent.status == 303)
            }
        })
    }
}

/// Prints the first refused reply's status and error summary, so a run's
/// errors can be told apart.
fn report_once(answer: &http::Answer) {
    static REPORTED: std::sync::Once = std::sync::Once::new();
    REPORTED.call_once(|| {
        let page = answer.text();
        let summary = page
            .split("govuk-error-summary__list")
            .nth(1)
            .and_then(|rest| rest.split("</ul>").next())
            .unwrap_or("");
        eprintln!("a reply was refused: {} {summary}", answer.status);
    });
}

impl Person {
    /// A family's first child: its dashboard, Inbox and first conversation.
    async fn family(client: Client, email: &str) -> Result<Self> {
        let home = client.get("/home").await?.text();
        let child_page =
            http::link(&home, "/children/").ok_or_else(|| anyhow!("{email}: no child"))?;
        let child = child_page.trim_end_matches("/dashboard").to_owned();
        let messages = format!("{child}/messages");
        let inbox = client.get(&messages).await?.text();
        let thread =
            http::link(&inbox, "/messages/").ok_or_else(|| anyhow!("{email}: no conversation"))?;
        Ok(Self {
            client,
            child_page,
            messages,
            thread,
            csrf: String::new(),
            replying: tokio::sync::Mutex::default(),
        })
    }

    /// A caseworker's first case's child: its chronology, messages and first
    /// conversation.
    async fn caseworker(client: Client, csrf: String, email: &str) -> Result<Self> {
        let caseload = client.get("/back-office/caseload?scope=mine").await?.text();
        let case = http::link(&caseload, "/back-office/involvements/")
            .ok_or_else(|| anyhow!("{email}: no case"))?;
        let case = client.get(&case).await?.text();
        let child = http::link(&case, "/back-office/children/")
            .context("a case without its child")?
            .trim_end_matches('/')
            .to_owned();
        let messages = format!("{child}/messages");
        let list = client.get(&messages).await?.text();
        let thread = http::link(&list, "/back-office/messages/")
            .ok_or_else(|| anyhow!("{email}: no conversation"))?;
        Ok(Self {
            client,
            child_page: format!("{child}/chronology"),
            messages,
            thread,
            csrf,
            replying: tokio::sync::Mutex::default(),
        })
    }

    fn documents(&self) -> String {
        format!(
            "{}/documents",
            self.child_page.trim_end_matches("/dashboard")
        )
    }
}
