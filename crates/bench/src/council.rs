//! A whole council generated from a seed, around the children of [`crate::world`]:
//! caseworkers, families' and professionals' portal accounts with active links,
//! an involvement for every child at a stage its dates have reached (some
//! overdue, some with an exception), conversations with read marks, documents
//! (metadata, and a few small real files), chronology entries and audit events.
//! Everything is written through the store's own unit of work (`Changes`), one
//! transaction per batch of families, so the rows are what the portal writes
//! and `send-portal serve` can show them.
//!
//! Accounts follow a pattern, so a load test can sign them in: see
//! [`parent_email`], [`professional_email`], [`caseworker_email`]; all share
//! [`PASSWORD`], and caseworkers' authenticator key is [`AUTHENTICATOR_KEY`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use send_app::passwords;
use send_domain::involvements::{
    CeaseReason, Involvement, InvolvementKind, Requester, Review, ReviewDecision, Stage,
};
use send_domain::timeline::{Exception, RecordedException};
use send_domain::{
    Account, AccountKind, Actor, AuditAction, AuditEvent, AuditEventId, Child, ChildId,
    ChronologyEntryId, CouncilName, DEFAULT_TEAM, Document, DocumentId, DocumentKind, Email,
    FileKind, InvolvementId, LinkStatus, Message, MessageBody, MessageId, MessageTypeId,
    NoPasswordHistory, PasswordContext, PasswordHash, PasswordPolicy, PersonName, PhoneNumber,
    PortalLink, PortalLinkId, PortalRole, ProfessionalDetails, SecondFactor, Sharing, ShortText,
    StaffRole, StoredFile, Thread, ThreadId, TotpEnrolment, UserId,
};
use send_store::{Changes, ChronologyEntry, Effects, NewAccount, StaffMembership, Store, Write};
use sha2::{Digest, Sha256};
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use crate::names;
use crate::world::{ADDED, Generator, TODAY, World, new_uuid, pick};

/// The password of every generated account (portal and staff).
pub const PASSWORD: &str = "Generated-Council-Password-2026";
/// Every generated caseworker's authenticator key (base32), to make the codes
/// of their second step (`oathtool --totp -b KEY`).
pub const AUTHENTICATOR_KEY: &str = "GENERATEDSENDPORTALSTAFFKEY23456";
/// The domain of every generated email address (reserved: mail to it goes nowhere).
pub const DOMAIN: &str = "generated.invalid";
/// The council the password was checked against.
pub const COUNCIL: &str = "Benchshire County Council";

/// The `n`th family account (from 1): `parent-000001@generated.invalid`.
pub fn parent_email(n: usize) -> String {
    format!("parent-{n:06}@{DOMAIN}")
}

/// The `n`th professional (from 1): `professional-00001@generated.invalid`.
pub fn professional_email(n: usize) -> String {
    format!("professional-{n:05}@{DOMAIN}")
}

/// The `n`th caseworker (from 1): `caseworker-0001@generated.invalid`. The first
/// is also an administrator.
pub fn caseworker_email(n: usize) -> String {
    format!("caseworker-{n:04}@{DOMAIN}")
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    pub children: usize,
    /// About this many children (whole families) to a unit of work.
    pub batch: usize,
    /// The portal's file folder (`SEND_PORTAL_FILES`): the first `real_files`
    /// documents are written there as small PDFs; the rest are metadata only.
    pub files: Option<PathBuf>,
    pub real_files: usize,
    /// Batches being committed at once (at least 1): while they are, the next
    /// is made. On PostgreSQL each batch's round trips run beside another's
    /// (one at a time, the generator used about a quarter of a core, waiting on
    /// each round trip); SQLite's one writer takes them in turn. Batches hold
    /// different families, so they may commit in any order.
    pub in_flight: usize,
}

/// How many records of each kind were written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub children: usize,
    pub contacts: usize,
    pub caseworkers: usize,
    pub parents: usize,
    pub professionals: usize,
    pub links: usize,
    pub involvements: usize,
    pub exceptions: usize,
    pub threads: usize,
    pub messages: usize,
    pub read_marks: usize,
    pub documents: usize,
    pub real_files: usize,
    pub chronology: usize,
    pub audit_events: usize,
    /// Of the audit events, views: staff opening a child's record, families
    /// and professionals opening its SEND Dashboard.
    pub views: usize,
}

impl Counts {
    /// Every row counted (accounts, records, marks, entries and events).
    pub fn rows(&self) -> usize {
        self.children
            + self.contacts
            + self.caseworkers
            + self.parents
            + self.professionals
            + self.links
            + self.involvements
            + self.threads
            + self.messages
            + self.read_marks
            + self.documents
            + self.chronology
            + self.audit_events
    }
}

/// The four message types every installation starts with (migration 0009).
const MESSAGE_TYPES: [u128; 4] = [
    0x0000_0000_0000_4000_8000_0000_0000_0201,
    0x0000_0000_0000_4000_8000_0000_0000_0202,
    0x0000_0000_0000_4000_8000_0000_0000_0203,
    0x0000_0000_0000_4000_8000_0000_0000_0204,
];

const SUBJECTS: &[&str] = &[
    "Speech and language report",
    "Change of school",
    "Transport to school",
    "Annual review meeting",
    "Question about the draft plan",
    "Educational psychologist's visit",
    "New address",
    "Occupational therapy advice",
    "Personal budget",
    "Moving up to secondary school",
    "Sleep and behaviour at home",
    "Attendance",
];

const FROM_FAMILY: &[&str] = &[
    "Hello, I have a question about {child}'s assessment. Could you tell me what happens next?",
    "Thank you for your letter. {child}'s school has sent us a new report; shall I send it to you?",
    "Could we move the meeting about {child} to the afternoon? I work in the mornings.",
    "{child} has had a difficult few weeks at school. Who should I speak to about more support?",
    "We have moved house. Please could you update our address on {child}'s record?",
    "I have read the draft plan for {child} and have some comments on section F.",
];

const FROM_COUNCIL: &[&str] = &[
    "Thank you for your message. I have added it to {child}'s record and will reply within 5 working days.",
    "Thank you, yes please. You can attach it to a reply here and I will add it to {child}'s assessment.",
    "I have asked the educational psychologist to contact you about {child} this week.",
    "The meeting about {child} is now on the date you asked for. You will get a letter confirming it.",
    "I have updated {child}'s record. Please let us know if anything else changes.",
    "Thank you for your comments on {child}'s draft plan. We will look at them before the plan is finalised.",
];

const DOCUMENTS: &[(DocumentKind, &str)] = &[
    (
        DocumentKind::Letter,
        "Letter confirming the request for assessment",
    ),
    (DocumentKind::Letter, "Decision to assess letter"),
    (DocumentKind::Letter, "Annual review invitation"),
    (DocumentKind::Advice, "Educational psychology advice"),
    (DocumentKind::Advice, "Speech and language therapy advice"),
    (DocumentKind::Advice, "Occupational therapy advice"),
    (DocumentKind::Advice, "Health advice"),
    (DocumentKind::Advice, "Social care advice"),
    (DocumentKind::Advice, "School or setting advice"),
    (DocumentKind::DraftPlan, "Draft EHC plan"),
    (DocumentKind::FinalPlan, "Final EHC plan"),
    (DocumentKind::Other, "Parent and child views"),
    (DocumentKind::Other, "Annual review report"),
];

const PROFESSIONAL_ROLES: &[&str] = &[
    "SENCo",
    "Speech and language therapist",
    "Educational psychologist",
    "Occupational therapist",
    "Paediatrician",
    "Social worker",
];

const CASEWORKER_FIRST: &[&str] = &[
    "Casey", "Jordan", "Alex", "Sam", "Priya", "Tomasz", "Grace", "Kwame", "Fiona", "Rhys",
];

/// A small PDF, as uploads are: one page reading "Generated document".
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R\
/Resources<</Font<</F1 5 0 R>>>>>>endobj\n\
4 0 obj<</Length 52>>stream\nBT /F1 24 Tf 72 760 Td (Generated document) Tj ET\nendstream\nendobj\n\
5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n\
trailer<</Root 1 0 R>>\n%%EOF\n";

/// Who does what, fixed before the families are written.
struct People {
    hash: PasswordHash,
    caseworkers: Vec<UserId>,
    professionals: Vec<UserId>,
    parents: usize,
}

/// The generator of everything after the children (its own random stream, so
/// the children are exactly `match_bench`'s for the same seed).
struct Council<'a> {
    rng: StdRng,
    world: &'a World,
    people: People,
    counts: Counts,
    files: Option<PathBuf>,
    real_files: usize,
}

fn at(date: Date, rng: &mut StdRng) -> OffsetDateTime {
    let minutes = rng.random_range(8 * 60 + 30..17 * 60);
    date.with_time(Time::MIDNIGHT).assume_utc() + Duration::minutes(minutes)
}

fn days(rng: &mut StdRng, range: std::ops::Range<i64>) -> Duration {
    Duration::days(rng.random_range(range))
}

fn text(template: &str, child: &Child) -> Result<MessageBody> {
    let name = child
        .preferred_name
        .as_ref()
        .unwrap_or(&child.legal_first_name);
    MessageBody::parse(&template.replace("{child}", name.as_str()))
        .map_err(|e| anyhow!("message: {e}"))
}

/// Generates the council into `store`, calling `progress` after each batch is
/// made with the counts so far.
pub async fn generate(
    store: &Arc<dyn Store>,
    options: &Options,
    mut progress: impl FnMut(&Counts),
) -> Result<Counts> {
    let world = Generator::new(options.seed, options.children)?.world(options.children)?;
    let mut council = Council {
        rng: StdRng::seed_from_u64(options.seed ^ 0x5E4D_C0DE_2026),
        world: &world,
        people: People {
            hash: password_hash().await?,
            caseworkers: Vec::new(),
            professionals: Vec::new(),
            parents: 0,
        },
        counts: Counts::default(),
        files: options.files.clone(),
        real_files: options.real_files,
    };
    council.staff(store).await?;
    council.professionals(store).await?;
    let count = world.children.len();
    let mut first = 0;
    let mut in_flight = std::collections::VecDeque::new();
    while first < count {
        // Whole families: the batch ends where a family does.
        let mut last = (first + options.batch.max(1)).min(count);
        while last < count && world.families[last] == world.families[last - 1] {
            last += 1;
        }
        let mut changes = Changes::new();
        let mut start = first;
        while start < last {
            let mut end = start + 1;
            while end < last && world.families[end] == world.families[start] {
                end += 1;
            }
            council.family(store, start..end, &mut changes).await?;
            start = end;
        }
        if in_flight.len() >= options.in_flight.max(1)
            && let Some(batch) = in_flight.pop_front()
        {
            committed(batch).await?;
        }
        let store = Arc::clone(store);
        in_flight.push_back(tokio::spawn(async move {
            store.commit(&changes).await.map(|_| ())
        }));
        first = last;
        progress(&council.counts);
    }
    for batch in in_flight {
        committed(batch).await?;
    }
    Ok(council.counts)
}

/// Waits for a batch's commit, with its error if it failed.
async fn committed(batch: tokio::task::JoinHandle<send_store::StoreResult<()>>) -> Result<()> {
    batch.await.context("a batch's commit stopped")??;
    Ok(())
}

/// The one hash of [`PASSWORD`] every account shares (Argon2 is slow by design).
async fn password_hash() -> Result<PasswordHash> {
    let council = CouncilName::parse(COUNCIL)?;
    let email = Email::parse(&parent_email(1))?;
    let password = send_domain::NewPassword::parse(
        PASSWORD,
        &PasswordPolicy::seed(),
        &PasswordContext::new(&council, &email),
        &NoPasswordHistory,
    )
    .map_err(|e| anyhow!("the generated password: {e:?}"))?;
    Ok(passwords::hash(password).await?)
}

impl Council<'_> {
    fn id(&mut self) -> Uuid {
        new_uuid(&mut self.rng)
    }

    fn audit(
        &mut self,
        changes: &mut Changes,
        actor: UserId,
        action: AuditAction,
        child: ChildId,
        occurred_at: OffsetDateTime,
    ) {
        let event = AuditEvent {
            id: AuditEventId::from_uuid(self.id()),
            occurred_at,
            actor: Actor::User(actor),
            action,
            outcome: send_domain::AuditOutcome::Succeeded,
            child_id: Some(child),
            subject: Some(format!("child:{child}")),
            detail: Some("generated".to_owned()),
            source: None,
        };
        changes.effects.audit.push(event);
        self.counts.audit_events += 1;
    }

    fn chronology(
        &mut self,
        changes: &mut Changes,
        child: ChildId,
        actor: UserId,
        kind: &str,
        summary: String,
        occurred_at: OffsetDateTime,
    ) {
        changes.push(Write::AddChronologyEntry(ChronologyEntry {
            id: ChronologyEntryId::from_uuid(self.id()),
            child_id: child,
            occurred_at,
            actor_id: Some(actor),
            kind: kind.to_owned(),
            summary,
            note: None,
        }));
        self.counts.chronology += 1;
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "an account's fields, each its own"
    )]
    async fn account(
        &mut self,
        store: &Arc<dyn Store>,
        kind: AccountKind,
        email: &str,
        name: &str,
        professional: Option<ProfessionalDetails>,
        staff_role: Option<StaffRole>,
        action: AuditAction,
    ) -> Result<UserId> {
        let id = UserId::from_uuid(self.id());
        let staff = staff_role.is_some();
        let account = Account {
            id,
            kind,
            email: Email::parse(email)?,
            name: PersonName::parse(name)?,
            phone: None,
            professional,
            staff_role,
            password_hash: self.people.hash.clone(),
            second_factor: if staff {
                SecondFactor::Authenticator
            } else {
                SecondFactor::EmailCode
            },
            totp: staff.then(|| TotpEnrolment {
                secret_base32: AUTHENTICATOR_KEY.to_owned(),
                last_used_step: None,
            }),
            email_verified_at: Some(ADDED),
            created_at: ADDED,
            updated_at: ADDED,
        };
        let event = AuditEvent {
            id: AuditEventId::from_uuid(self.id()),
            occurred_at: ADDED,
            actor: Actor::System,
            action,
            outcome: send_domain::AuditOutcome::Succeeded,
            child_id: None,
            subject: Some(format!("account:{id}")),
            detail: Some("generated account".to_owned()),
            source: None,
        };
        self.counts.audit_events += 1;
        let mut effects = Effects::audit(event);
        if !staff {
            effects.audit.extend(self.sign_ins(id));
        }
        store
            .insert_account(
                &NewAccount {
                    account,
                    code: None,
                    setup_link: None,
                    recovery_codes: Vec::new(),
                },
                &effects,
            )
            .await
            .with_context(|| format!("account {email}"))?;
        Ok(id)
    }

    /// A portal account's sign-ins since it was added: about one a month, as
    /// My Account lists them (its last ten) and every sign-in is audited.
    fn sign_ins(&mut self, account: UserId) -> Vec<AuditEvent> {
        let count = self.rng.random_range(6..=18);
        let span = (TODAY - ADDED.date()).whole_days();
        let mut events = Vec::with_capacity(count);
        for _ in 0..count {
            events.push(AuditEvent {
                id: AuditEventId::from_uuid(self.id()),
                occurred_at: at(ADDED.date() + days(&mut self.rng, 1..span), &mut self.rng),
                actor: Actor::User(account),
                action: AuditAction::SignedIn,
                outcome: send_domain::AuditOutcome::Succeeded,
                child_id: None,
                subject: Some(format!("account:{account}")),
                detail: Some("email code".to_owned()),
                source: Some("192.0.2.1".to_owned()),
            });
        }
        self.counts.audit_events += count;
        events
    }

    /// One caseworker for about 125 children, all in the council's first team.
    async fn staff(&mut self, store: &Arc<dyn Store>) -> Result<()> {
        let wanted = (self.world.children.len() / 125).max(2);
        let mut changes = Changes::new();
        for n in 1..=wanted {
            let name = format!(
                "{} {}",
                pick(&mut self.rng, CASEWORKER_FIRST),
                names::SURNAMES[self.rng.random_range(0..60)]
            );
            let id = self
                .account(
                    store,
                    AccountKind::Staff,
                    &caseworker_email(n),
                    &name,
                    None,
                    Some(StaffRole::Caseworker),
                    AuditAction::StaffAccountCreated,
                )
                .await?;
            let mut groups = vec![send_domain::default_group(StaffRole::Caseworker)];
            if n == 1 {
                groups.push(send_domain::default_group(StaffRole::Administrator));
            }
            changes.push(Write::SetStaffMembership {
                membership: StaffMembership {
                    account_id: id,
                    team_id: Some(DEFAULT_TEAM.0),
                    groups: groups.into_iter().collect(),
                },
                at: ADDED,
            });
            self.people.caseworkers.push(id);
        }
        self.counts.caseworkers = wanted;
        store.commit(&changes).await?;
        Ok(())
    }

    /// One professional for about 20 children (each linked to about six).
    async fn professionals(&mut self, store: &Arc<dyn Store>) -> Result<()> {
        let wanted = (self.world.children.len() / 20).max(1);
        for n in 1..=wanted {
            let first = if self.rng.random::<bool>() {
                pick(&mut self.rng, names::GIRLS)
            } else {
                pick(&mut self.rng, names::BOYS)
            };
            let name = format!(
                "{first} {}",
                names::SURNAMES[self.rng.random_range(0..names::SURNAMES.len())]
            );
            let organisation = format!(
                "{} {}",
                pick(&mut self.rng, names::SCHOOL_PLACES),
                pick(&mut self.rng, names::PRIMARIES)
            );
            let role = *pick(&mut self.rng, PROFESSIONAL_ROLES);
            let details = ProfessionalDetails {
                organisation: ShortText::parse(&organisation, "organisation")?,
                role: ShortText::parse(role, "role")?,
                work_phone: PhoneNumber::parse(&format!(
                    "01632 960 {:03}",
                    self.rng.random_range(0..1000)
                ))
                .map_err(|e| anyhow!("phone: {e:?}"))?,
            };
            let id = self
                .account(
                    store,
                    AccountKind::Professional,
                    &professional_email(n),
                    &name,
                    Some(details),
                    None,
                    AuditAction::AccountRegistered,
                )
                .await?;
            self.people.professionals.push(id);
        }
        self.counts.professionals = wanted;
        Ok(())
    }

    /// One family: its parents' accounts (each parent has one three times in
    /// four), then each child's record, links, case, conversations and documents.
    async fn family(
        &mut self,
        store: &Arc<dyn Store>,
        children: std::ops::Range<usize>,
        changes: &mut Changes,
    ) -> Result<()> {
        let world = self.world;
        let family = world.families[children.start];
        let caseworker = self.people.caseworkers[family % self.people.caseworkers.len()];
        let mut accounts: Vec<(String, UserId, String)> = Vec::new();
        for name in &world.parents[children.start] {
            if self.rng.random::<f64>() < 0.75 {
                self.people.parents += 1;
                let email = parent_email(self.people.parents);
                let id = self
                    .account(
                        store,
                        AccountKind::Citizen,
                        &email,
                        name,
                        None,
                        None,
                        AuditAction::AccountRegistered,
                    )
                    .await?;
                accounts.push((name.clone(), id, email));
                self.counts.parents += 1;
            }
        }
        for i in children {
            let child = &world.children[i];
            changes.push(Write::InsertChild(child.clone()));
            self.counts.children += 1;
            let created = at(ADDED.date(), &mut self.rng);
            self.chronology(
                changes,
                child.id,
                caseworker,
                "child.created",
                format!(
                    "Record created for {} {}",
                    child.legal_first_name, child.legal_last_name
                ),
                created,
            );
            self.audit(
                changes,
                caseworker,
                AuditAction::ChildCreated,
                child.id,
                created,
            );
            for contact in &world.contacts[i] {
                let mut contact = contact.clone();
                // A parent with an account gave the council that address.
                if let Some((_, _, email)) = accounts
                    .iter()
                    .find(|(name, _, _)| contact.name.as_str() == name)
                {
                    contact.email = Some(Email::parse(email)?);
                }
                changes.push(Write::SaveContact(contact));
                self.counts.contacts += 1;
            }
            let parents: Vec<UserId> = accounts.iter().map(|(_, id, _)| *id).collect();
            for account in &parents {
                self.link(changes, child, *account, PortalRole::Parent, caseworker);
            }
            let mut professional = None;
            if self.rng.random::<f64>() < 0.3 {
                let n = self.rng.random_range(0..self.people.professionals.len());
                let linked = self.people.professionals[n];
                self.link(changes, child, linked, PortalRole::Professional, caseworker);
                professional = Some(linked);
            }
            self.involvement(changes, child, caseworker)?;
            let threads = self.rng.random_range(2..=6);
            for _ in 0..threads {
                self.thread(changes, child, &parents, caseworker)?;
            }
            let documents = self.rng.random_range(6..=14);
            for _ in 0..documents {
                self.document(changes, child, &parents, caseworker)?;
            }
            self.views(changes, child.id, caseworker, &parents, professional);
        }
        Ok(())
    }

    /// The year's views of a child's case, each audited as the portal audits
    /// it: its caseworker (now and then another) opening the record about
    /// once a month, each parent with an account opening the SEND Dashboard
    /// about once a month, a linked professional now and then. On a
    /// council's server views are the most common audit event; "Who has
    /// looked at this record" reads the staff's and professionals'.
    fn views(
        &mut self,
        changes: &mut Changes,
        child: ChildId,
        caseworker: UserId,
        parents: &[UserId],
        professional: Option<UserId>,
    ) {
        let span = (TODAY - ADDED.date()).whole_days();
        let mut viewers: Vec<(UserId, AuditAction, usize)> = Vec::new();
        for _ in 0..self.rng.random_range(4..=12) {
            let staff = if self.rng.random::<f64>() < 0.25 {
                *pick(&mut self.rng, &self.people.caseworkers)
            } else {
                caseworker
            };
            viewers.push((staff, AuditAction::ChildViewed, 1));
        }
        for parent in parents {
            let times = self.rng.random_range(4..=16);
            viewers.push((*parent, AuditAction::DashboardViewed, times));
        }
        if let Some(professional) = professional {
            let times = self.rng.random_range(2..=6);
            viewers.push((professional, AuditAction::DashboardViewed, times));
        }
        for (viewer, action, times) in viewers {
            for _ in 0..times {
                let when = at(ADDED.date() + days(&mut self.rng, 1..span), &mut self.rng);
                self.audit(changes, viewer, action, child, when);
                self.counts.views += 1;
            }
        }
    }

    fn link(
        &mut self,
        changes: &mut Changes,
        child: &Child,
        account: UserId,
        role: PortalRole,
        caseworker: UserId,
    ) {
        let since = at(ADDED.date() + days(&mut self.rng, 1..120), &mut self.rng);
        let link = PortalLink {
            id: PortalLinkId::from_uuid(self.id()),
            child_id: child.id,
            account_id: account,
            role,
            status: LinkStatus::Active,
            status_since: since,
            status_by: Some(caseworker),
            invitation_id: None,
            request_id: None,
            created_at: since,
        };
        changes.push(Write::InsertPortalLink(link));
        self.counts.links += 1;
        self.chronology(
            changes,
            child.id,
            caseworker,
            "portal_access.granted",
            format!("Portal access granted ({})", role.label()),
            since,
        );
        self.audit(
            changes,
            caseworker,
            AuditAction::PortalAccessGranted,
            child.id,
            since,
        );
    }

    /// The child's case: an EHC plan in force for about half (with yearly
    /// reviews, the last one sometimes late), an assessment or re-assessment
    /// for the rest, moved on as far as its dates reach (some late, so overdue).
    #[expect(
        clippy::too_many_lines,
        reason = "one case top to bottom: its kind, stages, reviews, exception, entries"
    )]
    fn involvement(
        &mut self,
        changes: &mut Changes,
        child: &Child,
        caseworker: UserId,
    ) -> Result<()> {
        let r = self.rng.random::<f64>();
        let kind = if r < 0.5 {
            InvolvementKind::Plan
        } else if r < 0.9 {
            InvolvementKind::Assessment
        } else {
            InvolvementKind::Reassessment
        };
        let start = match kind {
            InvolvementKind::Plan => TODAY - days(&mut self.rng, 30..(6 * 365)),
            _ => TODAY - days(&mut self.rng, 1..(45 * 7)),
        }
        .max(child.date_of_birth + Duration::days(30))
        .min(TODAY);
        let opened = at(start, &mut self.rng);
        let mut involvement = Involvement::open(
            InvolvementId::from_uuid(self.id()),
            child.id,
            kind,
            start,
            opened,
        );
        involvement.caseworker_id = Some(caseworker);
        involvement.requested_by = Some(*pick(
            &mut self.rng,
            &[
                Requester::Parent,
                Requester::Parent,
                Requester::School,
                Requester::Health,
            ],
        ));
        let mut entries = vec![(
            "involvement.opened",
            format!(
                "{} opened ({} on {start})",
                kind.label(),
                kind.first_stage().label()
            ),
            opened,
        )];
        // How slow this case is: 0.8 (quick) to 1.3; about half the
        // assessments miss the 20 weeks, as in England.
        let pace = 0.8 + self.rng.random::<f64>() * 0.5;
        #[expect(
            clippy::cast_possible_truncation,
            reason = "a few hundred days, rounded"
        )]
        let step = |weeks: f64| Duration::days((weeks * 7.0 * pace).round() as i64);
        let mut on = start;
        let path: Vec<(Stage, Duration)> = match kind {
            InvolvementKind::Assessment => {
                let not_assessed = self.rng.random::<f64>() < 0.2;
                let mut path = vec![(
                    if not_assessed {
                        Stage::NotAssessed
                    } else {
                        Stage::DecisionToAssess
                    },
                    step(5.5),
                )];
                if !not_assessed {
                    path.extend([
                        (Stage::AssessmentAndAdvice, step(0.5)),
                        (Stage::DraftPlan, step(9.0)),
                        (Stage::FinalPlan, step(4.5)),
                    ]);
                }
                path
            }
            InvolvementKind::Reassessment => vec![
                (Stage::AssessmentAndAdvice, step(1.0)),
                (Stage::DraftPlan, step(12.0)),
                (Stage::FinalPlan, step(5.0)),
            ],
            InvolvementKind::Plan => Vec::new(),
        };
        for (stage, after) in path {
            if on + after > TODAY {
                break;
            }
            let from = involvement.stage;
            on += after;
            involvement
                .move_to(stage, on, None)
                .map_err(|e| anyhow!("stage: {e}"))?;
            entries.push((
                "involvement.stage_changed",
                format!(
                    "{}: {} → {} on {on}",
                    kind.label(),
                    from.label(),
                    stage.label()
                ),
                at(on, &mut self.rng),
            ));
        }
        if kind == InvolvementKind::Plan {
            self.reviews(&mut involvement, start)?;
        }
        // About one case in thirty has an exception to its first deadline.
        if self.rng.random::<f64>() < 0.035
            && let Some(rule) = kind.rules().first()
        {
            let exception = *pick(
                &mut self.rng,
                &[
                    Exception::SchoolClosed,
                    Exception::ExceptionalPersonalCircumstances,
                    Exception::AbsentFromArea,
                ],
            );
            let recorded_on = (start + Duration::days(14)).min(TODAY);
            involvement.exceptions.push(
                RecordedException::new(
                    exception,
                    rule.code.to_string(),
                    "Recorded when the family told us (generated)",
                    recorded_on,
                )
                .map_err(|e| anyhow!("exception: {e}"))?,
            );
            entries.push((
                "involvement.exception_recorded",
                format!(
                    "Exception recorded for “{}”: {}",
                    rule.title,
                    exception.label()
                ),
                at(recorded_on, &mut self.rng),
            ));
            self.counts.exceptions += 1;
        }
        involvement.updated_at = entries.last().map_or(opened, |(_, _, at)| *at);
        involvement.version = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        changes.push(Write::InsertInvolvement(involvement));
        self.counts.involvements += 1;
        for (n, (kind, summary, when)) in entries.into_iter().enumerate() {
            self.chronology(changes, child.id, caseworker, kind, summary, when);
            let action = if n == 0 {
                AuditAction::InvolvementOpened
            } else {
                AuditAction::InvolvementStageChanged
            };
            self.audit(changes, caseworker, action, child.id, when);
        }
        Ok(())
    }

    /// A plan's annual reviews, one a year; the latest is missed one time in
    /// six (so its annual review is overdue), and a few plans ceased.
    fn reviews(&mut self, involvement: &mut Involvement, start: Date) -> Result<()> {
        let mut meeting = start + days(&mut self.rng, 330..360);
        while meeting + Duration::days(365) <= TODAY
            || (meeting <= TODAY && self.rng.random::<f64>() < 0.83)
        {
            let cease = meeting + Duration::days(365) > TODAY && self.rng.random::<f64>() < 0.05;
            // Nothing after today: a review held this week is decided on today.
            let decided_on = (meeting + days(&mut self.rng, 7..28)).min(TODAY);
            involvement
                .record_review(Review {
                    notice_sent: Some(meeting - Duration::days(15)),
                    meeting,
                    report_sent: (meeting + Duration::days(10)).min(TODAY),
                    decision: if cease {
                        ReviewDecision::Cease
                    } else {
                        ReviewDecision::Maintain
                    },
                    decided_on,
                    cease_reason: cease.then_some(CeaseReason::NoLongerNeeded),
                })
                .map_err(|e| anyhow!("review: {e}"))?;
            if cease {
                break;
            }
            meeting += days(&mut self.rng, 340..370);
        }
        Ok(())
    }

    /// A conversation of two to eight messages, turn about between the family
    /// and the council, with the read marks of those in it.
    fn thread(
        &mut self,
        changes: &mut Changes,
        child: &Child,
        parents: &[UserId],
        caseworker: UserId,
    ) -> Result<()> {
        let count = self.rng.random_range(2..=8);
        // When each message is sent: days after the first, and the time of day
        // (8am to 9pm, at least 20 minutes after the one before).
        let mut times: Vec<(i64, i64)> = vec![(0, self.rng.random_range(8 * 60..20 * 60))];
        for _ in 1..count {
            let (last_day, last_minute) = times[times.len() - 1];
            let mut day = last_day + self.rng.random_range(0..=3);
            let minute = self.rng.random_range(8 * 60..21 * 60);
            if day == last_day && minute < last_minute + 20 {
                day += 1;
            }
            times.push((day, minute));
        }
        // Nothing after today: a thread that would run on starts earlier.
        let span = times[times.len() - 1].0;
        let first_day = (TODAY - days(&mut self.rng, 0..330)).min(TODAY - Duration::days(span));
        let first_day = first_day.with_time(Time::MIDNIGHT).assume_utc();
        let sent: Vec<OffsetDateTime> = times
            .iter()
            .map(|(day, minute)| first_day + Duration::days(*day) + Duration::minutes(*minute))
            .collect();
        let started = sent[0];
        let family_starts = !parents.is_empty() && self.rng.random::<f64>() < 0.7;
        let author = if family_starts {
            *pick(&mut self.rng, parents)
        } else {
            caseworker
        };
        let subject = *pick(&mut self.rng, SUBJECTS);
        let mut thread = Thread {
            id: ThreadId::from_uuid(self.id()),
            child_id: child.id,
            message_type: MessageTypeId::from_uuid(Uuid::from_u128(*pick(
                &mut self.rng,
                &MESSAGE_TYPES,
            ))),
            subject: ShortText::parse(subject, "subject")?,
            started_by: author,
            started_at: started,
            participants: parents.to_vec(),
            assigned_to: Some(caseworker),
            last_message_at: started,
            waiting_since: None,
            version: 1,
        };
        let mut messages = Vec::with_capacity(count);
        let mut from_family = family_starts;
        for (n, sent_at) in sent.into_iter().enumerate() {
            if n > 0 {
                from_family = !parents.is_empty() && !from_family;
            }
            let (author, body) = if from_family {
                (
                    *pick(&mut self.rng, parents),
                    pick(&mut self.rng, FROM_FAMILY),
                )
            } else {
                (caseworker, pick(&mut self.rng, FROM_COUNCIL))
            };
            let message = Message {
                id: MessageId::from_uuid(self.id()),
                thread_id: thread.id,
                author,
                from_council: !from_family,
                body: text(body, child)?,
                sent_at,
                attachments: Vec::new(),
            };
            thread = thread.with_message(&message);
            messages.push(message);
        }
        thread.version = u32::try_from(count).unwrap_or(u32::MAX);
        changes.push(Write::InsertThread(thread.clone()));
        self.counts.threads += 1;
        self.audit(changes, author, AuditAction::MessageSent, child.id, started);
        for message in &messages {
            changes.push(Write::InsertMessage(message.clone()));
        }
        self.counts.messages += messages.len();
        // Most have read everything; some stopped a message or two before the end.
        for reader in parents.iter().copied().chain([caseworker]) {
            let unread = if self.rng.random::<f64>() < 0.8 {
                0
            } else {
                self.rng.random_range(1..=2)
            };
            if let Some(last) = messages.len().checked_sub(1 + unread) {
                changes.push(Write::MarkRead {
                    thread: thread.id,
                    account: reader,
                    at: messages[last].sent_at,
                });
                self.counts.read_marks += 1;
            }
        }
        Ok(())
    }

    /// A document: shared with everyone linked most of the time, sometimes with
    /// one parent, sometimes kept by the council. The first few are real files.
    fn document(
        &mut self,
        changes: &mut Changes,
        child: &Child,
        parents: &[UserId],
        caseworker: UserId,
    ) -> Result<()> {
        let (kind, description) = *pick(&mut self.rng, DOCUMENTS);
        let uploaded_at = at(TODAY - days(&mut self.rng, 0..330), &mut self.rng);
        let key = format!(
            "{:04}/{:02}/{}",
            uploaded_at.year(),
            u8::from(uploaded_at.month()),
            self.id().simple()
        );
        let (size, sha256) = match &self.files {
            Some(folder) if self.counts.real_files < self.real_files => {
                write_file(folder, &key)?;
                self.counts.real_files += 1;
                (u64::try_from(PDF.len())?, hex::encode(Sha256::digest(PDF)))
            }
            _ => (
                self.rng.random_range(40_000..2_000_000),
                hex::encode(self.rng.random::<[u8; 32]>()),
            ),
        };
        let r = self.rng.random::<f64>();
        let sharing = if r < 0.7 {
            Sharing::AllLinked
        } else if r < 0.75 && !parents.is_empty() {
            Sharing::Named(vec![parents[0]])
        } else {
            Sharing::NotShared
        };
        let shared_at = (sharing != Sharing::NotShared).then_some(uploaded_at);
        changes.push(Write::InsertDocument(Document {
            id: DocumentId::from_uuid(self.id()),
            child_id: child.id,
            kind,
            description: ShortText::parse(description, "description")?,
            file: StoredFile {
                key,
                name: format!("{description}.pdf"),
                kind: FileKind::Pdf,
                size,
                sha256,
            },
            uploaded_by: caseworker,
            uploaded_at,
            sharing,
            shared_at,
        }));
        self.counts.documents += 1;
        Ok(())
    }
}

fn write_file(folder: &Path, key: &str) -> Result<()> {
    let path = key
        .split('/')
        .fold(folder.to_path_buf(), |p, part| p.join(part));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, PDF).with_context(|| format!("writing {}", path.display()))
}
