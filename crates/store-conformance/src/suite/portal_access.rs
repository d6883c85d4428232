//! Conformance cases for portal users and children's cases: invitations, portal
//! links and professionals' requests. Every step is guarded on the state it
//! replaces; a refused step writes nothing of what came with it (the link
//! change, the chronology entry, the audit events, the emails).

use std::sync::Arc;

use send_domain::{
    Account, AccountKind, Address, AuditAction, Child, ChildId, ChildLinkRequest,
    ChildLinkRequestId, ChronologyEntryId, ContactId, DEFAULT_TEAM, Email, EmailId, EmailSubject,
    Invitation, InvitationId, InvitationStage, LinkStatus, NhsNumber, OutgoingEmail, PasswordHash,
    PersonName, PhoneNumber, PortalLink, PortalLinkId, PortalRole, Postcode, ProfessionalDetails,
    SecondFactor, Sex, ShortText, TeamId, TokenHash, Uln, Upn, UserId, VerifiedBy,
};
use send_store::{
    CHILD_LINK_REQUEST_CONFLICT, Changes, ChronologyEntry, Effects, INVITATION_STAGE_CONFLICT,
    LinkChange, NewAccount, PORTAL_LINK_CONFLICT, PORTAL_LINK_STATUS_CONFLICT, Store, Team, Write,
};
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::event;

use super::support::{
    assert_conflict, assert_not_found, commit, first_wins, ids_of, race, written,
};

const START: OffsetDateTime = datetime!(2026-11-23 09:00:00.123456 UTC);

/// How long the "Accept Portal Invitation" links in these cases work.
const LINK_LIFETIME: Duration = Duration::days(14);

fn name(text: &str) -> PersonName {
    PersonName::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn email(address: &str) -> Email {
    Email::parse(address).unwrap_or_else(|e| panic!("{e}"))
}

fn short(text: &str) -> ShortText {
    ShortText::from_stored(text.to_owned())
}

/// A token hash of 64 copies of `c` (a hex digit).
fn hash(c: char) -> TokenHash {
    TokenHash::from_hex(&c.to_string().repeat(64)).unwrap_or_else(|e| panic!("{e}"))
}

fn staff() -> UserId {
    UserId::from_uuid(Uuid::new_v4())
}

fn outgoing(at: OffsetDateTime) -> OutgoingEmail {
    OutgoingEmail {
        id: EmailId::from_uuid(Uuid::new_v4()),
        to: email("sam.parent@example.org"),
        to_name: Some(name("Sam Parent")),
        subject: EmailSubject::parse("Your SEND Portal invitation")
            .unwrap_or_else(|e| panic!("{e}")),
        text_body: "Your reference code is ACDE-F234.\n".to_owned(),
        html_body: "<p>Your reference code is ACDE-F234.</p>".to_owned(),
        created_at: at,
    }
}

/// One audit event and one email, as a use case would pass them.
fn effects(at: OffsetDateTime, action: AuditAction) -> Effects {
    Effects::audit(event(at, action)).with_email(outgoing(at))
}

fn entry(child: ChildId, at: OffsetDateTime, kind: &str) -> ChronologyEntry {
    ChronologyEntry {
        id: ChronologyEntryId::from_uuid(Uuid::new_v4()),
        child_id: child,
        occurred_at: at,
        actor_id: Some(UserId::from_uuid(Uuid::new_v4())),
        kind: kind.to_owned(),
        summary: format!("{kind} at {at}"),
        note: None,
    }
}

/// A portal account (a parent's, or with `Professional` a professional's),
/// stored, for links and requests to point at.
async fn portal_account(store: &Arc<dyn Store>, kind: AccountKind, address: &str) -> UserId {
    let professional = (kind == AccountKind::Professional).then(|| ProfessionalDetails {
        organisation: short("Riverside Primary School"),
        role: short("SENCo"),
        work_phone: PhoneNumber::parse("01632 960 001").unwrap_or_else(|e| panic!("{e}")),
    });
    let account = Account {
        id: UserId::from_uuid(Uuid::new_v4()),
        kind,
        email: email(address),
        name: name("Sam Parent"),
        phone: None,
        professional,
        staff_role: None,
        password_hash: PasswordHash::from_phc(
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        ),
        second_factor: SecondFactor::EmailCode,
        totp: None,
        email_verified_at: Some(START),
        created_at: START,
        updated_at: START,
    };
    let id = account.id;
    let new = NewAccount {
        account,
        code: None,
        setup_link: None,
        recovery_codes: Vec::new(),
    };
    store
        .insert_account(&new, &Effects::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    id
}

/// A child of `team_id`, stored with its first chronology entry.
async fn child(store: &Arc<dyn Store>, first: &str, team_id: TeamId) -> Child {
    let child = Child {
        id: ChildId::from_uuid(Uuid::new_v4()),
        team_id,
        legal_first_name: name(first),
        legal_last_name: name("Okafor"),
        preferred_name: None,
        date_of_birth: date!(2015 - 03 - 02),
        sex: Sex::NotKnown,
        ethnicity: None,
        upn: None,
        uln: None,
        nhs_number: None,
        address: Address::default(),
        setting: None,
        primary_need: None,
        secondary_need: None,
        created_at: START - Duration::days(30),
        updated_at: START - Duration::days(30),
        version: 1,
    };
    let first = entry(child.id, child.created_at, "child.created");
    commit(
        store,
        Changes::new()
            .with(Write::InsertChild(child.clone()))
            .with(Write::AddChronologyEntry(first)),
    )
    .await;
    child
}

/// A new invitation (reference code sent) for `child`, every field given.
fn invitation(child: ChildId, by: UserId, at: OffsetDateTime) -> Invitation {
    Invitation {
        id: InvitationId::from_uuid(Uuid::new_v4()),
        child_id: child,
        contact_id: Some(ContactId::from_uuid(Uuid::new_v4())),
        name: name("Sam O'Neill-Parent"),
        email: email("sam.parent@example.org"),
        role: PortalRole::Parent,
        reference_hash: hash('a'),
        failed_checks: 2,
        created_by: by,
        created_at: at,
        verification: None,
        link: None,
        acceptance: None,
        decision: None,
    }
}

/// A step of an invitation taken from the stage `expected`, with the link change
/// it makes, its entry and effects.
fn step(
    invitation: &Invitation,
    expected: InvitationStage,
    link: Option<&LinkChange>,
    entry: Option<&ChronologyEntry>,
    effects: &Effects,
) -> Changes {
    let mut changes = Changes::new().with(Write::UpdateInvitation {
        invitation: invitation.clone(),
        expected,
    });
    if let Some(link) = link {
        changes.push(Write::from(link.clone()));
    }
    if let Some(entry) = entry {
        changes.push(Write::AddChronologyEntry(entry.clone()));
    }
    changes.with_effects(effects.clone())
}

/// One link change, with its entry and effects.
fn link_change(change: &LinkChange, entry: &ChronologyEntry, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::from(change.clone()))
        .with(Write::AddChronologyEntry(entry.clone()))
        .with_effects(effects.clone())
}

/// A decision on a professional's request (if not decided yet), with the link
/// it grants, its entry and effects.
fn decide(
    request: &ChildLinkRequest,
    link: Option<&LinkChange>,
    entry: Option<&ChronologyEntry>,
    effects: &Effects,
) -> Changes {
    let mut changes = Changes::new().with(Write::DecideChildLinkRequest(request.clone()));
    if let Some(link) = link {
        changes.push(Write::from(link.clone()));
    }
    if let Some(entry) = entry {
        changes.push(Write::AddChronologyEntry(entry.clone()));
    }
    changes.with_effects(effects.clone())
}

/// Stores a new invitation with an entry and effects, which it returns.
async fn insert_invitation(
    store: &Arc<dyn Store>,
    invitation: &Invitation,
) -> (ChronologyEntry, Effects) {
    let entry = entry(
        invitation.child_id,
        invitation.created_at,
        "invitation.sent",
    );
    let effects = effects(invitation.created_at, AuditAction::InvitationSent);
    commit(
        store,
        Changes::new()
            .with(Write::InsertInvitation(invitation.clone()))
            .with(Write::AddChronologyEntry(entry.clone()))
            .with_effects(effects.clone()),
    )
    .await;
    (entry, effects)
}

/// Saves a step of `invitation` taken from `expected`, with an entry and
/// effects, which it returns.
async fn save(
    store: &Arc<dyn Store>,
    invitation: &Invitation,
    expected: InvitationStage,
    link: Option<&LinkChange>,
    at: OffsetDateTime,
    action: AuditAction,
) -> (ChronologyEntry, Effects) {
    let entry = entry(invitation.child_id, at, action.code());
    let effects = effects(at, action);
    commit(
        store,
        step(invitation, expected, link, Some(&entry), &effects),
    )
    .await;
    (entry, effects)
}

/// An invitation stored and taken to the stage where its link was sent
/// (`hash_char` makes the link's hash).
async fn linked_invitation(
    store: &Arc<dyn Store>,
    child: ChildId,
    hash_char: char,
    at: OffsetDateTime,
) -> Invitation {
    let caseworker = staff();
    let sent = invitation(child, caseworker, at);
    insert_invitation(store, &sent).await;
    let verified = sent
        .verify(caseworker, at, VerifiedBy::Phone)
        .unwrap_or_else(|e| panic!("{e}"));
    save(
        store,
        &verified,
        InvitationStage::CodeSent,
        None,
        at,
        AuditAction::IdentityVerified,
    )
    .await;
    let linked = verified
        .send_link(hash(hash_char), at, LINK_LIFETIME)
        .unwrap_or_else(|e| panic!("{e}"));
    save(
        store,
        &linked,
        InvitationStage::IdentityVerified,
        None,
        at,
        AuditAction::InvitationLinkSent,
    )
    .await;
    linked
}

/// An invitation stored, its link sent and accepted by `account`, `hours` after
/// the start, without a link (as if the person had one already).
async fn accepted_invitation(
    store: &Arc<dyn Store>,
    child: ChildId,
    hash_char: char,
    account: UserId,
    hours: i64,
) -> Invitation {
    let at = START + Duration::hours(hours);
    let accepted = linked_invitation(store, child, hash_char, START)
        .await
        .accept(account, at)
        .unwrap_or_else(|e| panic!("{e}"));
    save(
        store,
        &accepted,
        InvitationStage::LinkSent,
        None,
        at,
        AuditAction::InvitationAccepted,
    )
    .await;
    accepted
}

/// The link an accepted invitation asks for, waiting for the SEND team.
fn pending_link(invitation: &Invitation, account: UserId, at: OffsetDateTime) -> PortalLink {
    PortalLink {
        id: PortalLinkId::from_uuid(Uuid::new_v4()),
        child_id: invitation.child_id,
        account_id: account,
        role: invitation.role,
        status: LinkStatus::Pending,
        status_since: at,
        status_by: None,
        invitation_id: Some(invitation.id),
        request_id: None,
        created_at: at,
    }
}

/// A link made directly (not from an invitation), active since `at`.
fn active_link(child: ChildId, account: UserId, at: OffsetDateTime) -> PortalLink {
    PortalLink {
        id: PortalLinkId::from_uuid(Uuid::new_v4()),
        child_id: child,
        account_id: account,
        role: PortalRole::YoungPerson,
        status: LinkStatus::Active,
        status_since: at,
        status_by: Some(staff()),
        invitation_id: None,
        request_id: None,
        created_at: at,
    }
}

fn create(link: &PortalLink) -> LinkChange {
    LinkChange {
        link: link.clone(),
        expected: None,
    }
}

fn change(link: &PortalLink, expected: LinkStatus) -> LinkChange {
    LinkChange {
        link: link.clone(),
        expected: Some(expected),
    }
}

/// Writes one link change with an entry and effects, which it returns.
async fn save_link(
    store: &Arc<dyn Store>,
    change: &LinkChange,
    action: AuditAction,
) -> (ChronologyEntry, Effects) {
    let at = change.link.status_since;
    let entry = entry(change.link.child_id, at, action.code());
    let effects = effects(at, action);
    commit(store, link_change(change, &entry, &effects)).await;
    (entry, effects)
}

async fn find(store: &Arc<dyn Store>, id: InvitationId) -> Option<Invitation> {
    store.invitation(id).await.unwrap_or_else(|e| panic!("{e}"))
}

async fn by_link(store: &Arc<dyn Store>, hash: &TokenHash) -> Option<Invitation> {
    store
        .invitation_by_link(hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn link_of(store: &Arc<dyn Store>, child: ChildId, account: UserId) -> Option<PortalLink> {
    store
        .portal_link(child, account)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn awaiting(
    store: &Arc<dyn Store>,
    teams: Option<&[TeamId]>,
    limit: u32,
) -> Vec<InvitationId> {
    store
        .invitations_awaiting_decision(teams, limit)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|i| i.id)
        .collect()
}

async fn chronology(store: &Arc<dyn Store>, child: ChildId) -> Vec<ChronologyEntryId> {
    let mut ids: Vec<ChronologyEntryId> = store
        .chronology(child, 1000)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|e| e.id)
        .collect();
    ids.sort();
    ids
}

async fn request_of(store: &Arc<dyn Store>, id: ChildLinkRequestId) -> Option<ChildLinkRequest> {
    store
        .child_link_request(id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn waiting(store: &Arc<dyn Store>, limit: u32) -> Vec<ChildLinkRequestId> {
    store
        .child_link_requests_waiting(limit)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// A professional's request with every optional field empty.
fn bare_request(account: UserId, at: OffsetDateTime) -> ChildLinkRequest {
    ChildLinkRequest {
        id: ChildLinkRequestId::from_uuid(Uuid::new_v4()),
        account_id: account,
        first_name: name("Tomasz"),
        last_name: name("Okafor"),
        date_of_birth: date!(2015 - 03 - 02),
        setting: None,
        upn: None,
        uln: None,
        nhs_number: None,
        postcode: None,
        relationship: short("Speech and language therapist"),
        created_at: at,
        decision: None,
    }
}

/// A professional's request with every optional field given.
fn full_request(account: UserId, at: OffsetDateTime) -> ChildLinkRequest {
    let upn = ('A'..='Z')
        .find_map(|letter| Upn::parse(&format!("{letter}201345612345")).ok())
        .unwrap_or_else(|| panic!("no check letter"));
    let uln = (0..=9)
        .find_map(|digit| Uln::parse(&format!("123456789{digit}")).ok())
        .unwrap_or_else(|| panic!("no check digit"));
    let nhs = (0..=9)
        .find_map(|digit| NhsNumber::parse(&format!("943476591{digit}")).ok())
        .unwrap_or_else(|| panic!("no check digit"));
    ChildLinkRequest {
        first_name: name("Amelia-Rose"),
        last_name: name("O'Neill-Jones"),
        date_of_birth: date!(2012 - 02 - 29),
        setting: Some(short("Riverside Primary School")),
        upn: Some(upn),
        uln: Some(uln),
        nhs_number: Some(nhs),
        postcode: Some(Postcode::parse("wr1 2pg").unwrap_or_else(|e| panic!("{e}"))),
        relationship: short("SENCo"),
        ..bare_request(account, at)
    }
}

async fn insert_request(store: &Arc<dyn Store>, request: &ChildLinkRequest) -> Effects {
    let effects = effects(request.created_at, AuditAction::ChildLinkRequested);
    commit(
        store,
        Changes::new()
            .with(Write::InsertChildLinkRequest(request.clone()))
            .with_effects(effects.clone()),
    )
    .await;
    effects
}

/// An invitation goes through every step, each stored with its link change,
/// entry and effects and read back exactly: sent, identity verified, link sent
/// (then found by the link's hash), accepted with a pending link, confirmed
/// with the link made active.
#[expect(
    clippy::too_many_lines,
    reason = "one invitation's journey, read from top to bottom"
)]
pub async fn an_invitation_round_trips_through_every_step(store: Arc<dyn Store>) {
    let child = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, AccountKind::Citizen, "sam.parent@example.org").await;
    let caseworker = staff();
    let mut entries = Vec::new();
    let mut all_effects = Vec::new();

    let sent = invitation(child.id, caseworker, START);
    let (e, fx) = insert_invitation(&store, &sent).await;
    entries.push(e);
    all_effects.push(fx);
    assert_eq!(find(&store, sent.id).await.as_ref(), Some(&sent));
    let for_child = store
        .invitations_for_child(child.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(for_child, vec![sent.clone()]);

    let at = START + Duration::days(1);
    let verified = sent
        .verify(caseworker, at, VerifiedBy::InPerson)
        .unwrap_or_else(|e| panic!("{e}"));
    let (e, fx) = save(
        &store,
        &verified,
        InvitationStage::CodeSent,
        None,
        at,
        AuditAction::IdentityVerified,
    )
    .await;
    entries.push(e);
    all_effects.push(fx);
    assert_eq!(find(&store, sent.id).await.as_ref(), Some(&verified));

    let at = START + Duration::days(2);
    let linked = verified
        .send_link(hash('b'), at, LINK_LIFETIME)
        .unwrap_or_else(|e| panic!("{e}"));
    let (e, fx) = save(
        &store,
        &linked,
        InvitationStage::IdentityVerified,
        None,
        at,
        AuditAction::InvitationLinkSent,
    )
    .await;
    entries.push(e);
    all_effects.push(fx);
    assert_eq!(find(&store, sent.id).await.as_ref(), Some(&linked));
    assert_eq!(by_link(&store, &hash('b')).await.as_ref(), Some(&linked));
    assert_eq!(
        by_link(&store, &hash('a')).await,
        None,
        "the reference code's hash is not a link"
    );

    // A new link replaces the old one: only the newest is found.
    let at = START + Duration::days(3);
    let relinked = linked
        .send_link(hash('c'), at, LINK_LIFETIME)
        .unwrap_or_else(|e| panic!("{e}"));
    let (e, fx) = save(
        &store,
        &relinked,
        InvitationStage::LinkSent,
        None,
        at,
        AuditAction::InvitationLinkSent,
    )
    .await;
    entries.push(e);
    all_effects.push(fx);
    assert_eq!(by_link(&store, &hash('b')).await, None);
    assert_eq!(by_link(&store, &hash('c')).await.as_ref(), Some(&relinked));

    let at = START + Duration::days(4);
    let accepted = relinked
        .accept(parent, at)
        .unwrap_or_else(|e| panic!("{e}"));
    let pending = pending_link(&accepted, parent, at);
    let (e, fx) = save(
        &store,
        &accepted,
        InvitationStage::LinkSent,
        Some(&create(&pending)),
        at,
        AuditAction::InvitationAccepted,
    )
    .await;
    entries.push(e);
    all_effects.push(fx);
    assert_eq!(find(&store, sent.id).await.as_ref(), Some(&accepted));
    assert_eq!(
        link_of(&store, child.id, parent).await.as_ref(),
        Some(&pending)
    );
    let by_id = store
        .portal_link_by_id(pending.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(by_id.as_ref(), Some(&pending));
    assert_eq!(awaiting(&store, None, 10).await, vec![sent.id]);

    let at = START + Duration::days(5);
    let confirmed = accepted
        .confirm(caseworker, at)
        .unwrap_or_else(|e| panic!("{e}"));
    let active = pending
        .change(LinkStatus::Active, Some(caseworker), at)
        .unwrap_or_else(|e| panic!("{e}"));
    let (e, fx) = save(
        &store,
        &confirmed,
        InvitationStage::Accepted,
        Some(&change(&active, LinkStatus::Pending)),
        at,
        AuditAction::InvitationConfirmed,
    )
    .await;
    entries.push(e);
    all_effects.push(fx);
    assert_eq!(find(&store, sent.id).await.as_ref(), Some(&confirmed));
    assert_eq!(confirmed.stage(), InvitationStage::Confirmed);
    assert_eq!(
        link_of(&store, child.id, parent).await.as_ref(),
        Some(&active)
    );
    assert_eq!(awaiting(&store, None, 10).await, Vec::new());
    assert_eq!(
        by_link(&store, &hash('c')).await.as_ref(),
        Some(&confirmed),
        "a used link still finds its invitation, to say it was used"
    );

    assert_eq!(
        chronology(&store, child.id).await.len(),
        entries.len() + 1,
        "every step's entry and the child's first"
    );
    for e in &entries {
        assert!(chronology(&store, child.id).await.contains(&e.id));
    }
    let refs: Vec<&Effects> = all_effects.iter().collect();
    assert_eq!(written(&store).await, ids_of(&refs));
}

/// A save that expects a stage the invitation has left (another tab got there
/// first) is a conflict and writes nothing: not the invitation, not the link it
/// came with, not its entry, audit event or email. A missing invitation is
/// `NotFound`, and writes nothing either.
pub async fn saving_an_invitation_at_the_wrong_stage_is_a_conflict_and_writes_nothing(
    store: Arc<dyn Store>,
) {
    let child = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, AccountKind::Citizen, "sam.parent@example.org").await;
    let linked = linked_invitation(&store, child.id, 'b', START).await;
    let before_chronology = chronology(&store, child.id).await;
    let before_written = written(&store).await;

    // Two tabs accept the same link: the first wins.
    let at = START + Duration::hours(1);
    let accepted = linked.accept(parent, at).unwrap_or_else(|e| panic!("{e}"));
    let first_link = pending_link(&accepted, parent, at);
    let (first_entry, first_effects) = save(
        &store,
        &accepted,
        InvitationStage::LinkSent,
        Some(&create(&first_link)),
        at,
        AuditAction::InvitationAccepted,
    )
    .await;

    let other = portal_account(&store, AccountKind::Citizen, "someone.else@example.org").await;
    let late = linked
        .accept(other, at + Duration::minutes(1))
        .unwrap_or_else(|e| panic!("{e}"));
    let late_link = pending_link(&late, other, at + Duration::minutes(1));
    let late_entry = entry(child.id, at, "invitation.accepted");
    let late_effects = effects(at, AuditAction::InvitationAccepted);
    assert_conflict(
        store
            .commit(&step(
                &late,
                InvitationStage::LinkSent,
                Some(&create(&late_link)),
                Some(&late_entry),
                &late_effects,
            ))
            .await,
        INVITATION_STAGE_CONFLICT,
    );
    assert_eq!(find(&store, linked.id).await.as_ref(), Some(&accepted));
    assert_eq!(link_of(&store, child.id, other).await, None, "no link made");
    assert_eq!(
        link_of(&store, child.id, parent).await.as_ref(),
        Some(&first_link)
    );

    // A stage the invitation never had (a stale page) is refused the same way.
    let withdrawn = linked
        .withdraw(staff(), at)
        .unwrap_or_else(|e| panic!("{e}"));
    let stale_entry = entry(child.id, at, "invitation.withdrawn");
    let stale_effects = effects(at, AuditAction::InvitationWithdrawn);
    assert_conflict(
        store
            .commit(&step(
                &withdrawn,
                InvitationStage::CodeSent,
                None,
                Some(&stale_entry),
                &stale_effects,
            ))
            .await,
        INVITATION_STAGE_CONFLICT,
    );
    assert_eq!(find(&store, linked.id).await.as_ref(), Some(&accepted));

    let missing = invitation(child.id, staff(), START);
    assert_not_found(
        store
            .commit(&step(
                &missing,
                InvitationStage::CodeSent,
                None,
                Some(&entry(child.id, at, "invitation.verified")),
                &effects(at, AuditAction::IdentityVerified),
            ))
            .await,
    );
    assert_eq!(find(&store, missing.id).await, None);

    let mut expected_chronology = before_chronology;
    expected_chronology.push(first_entry.id);
    expected_chronology.sort();
    assert_eq!(chronology(&store, child.id).await, expected_chronology);
    let (mut events, mut emails) = before_written;
    let (first_events, first_emails) = ids_of(&[&first_effects]);
    events.extend(first_events);
    emails.extend(first_emails);
    assert_eq!(written(&store).await, (events, emails));
}

/// A link's hash finds one invitation: sending another invitation a link with a
/// hash already sent is a conflict on `portal_invitations_link_hash`, and
/// writes nothing.
pub async fn a_link_hash_already_sent_is_a_conflict_and_writes_nothing(store: Arc<dyn Store>) {
    let child = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let first = linked_invitation(&store, child.id, 'b', START).await;
    let caseworker = staff();
    let second = invitation(child.id, caseworker, START);
    insert_invitation(&store, &second).await;
    let verified = second
        .verify(caseworker, START, VerifiedBy::Email)
        .unwrap_or_else(|e| panic!("{e}"));
    save(
        &store,
        &verified,
        InvitationStage::CodeSent,
        None,
        START,
        AuditAction::IdentityVerified,
    )
    .await;
    let chronology_before = chronology(&store, child.id).await;
    let written_before = written(&store).await;

    let at = START + Duration::hours(1);
    let clash = verified
        .send_link(hash('b'), at, LINK_LIFETIME)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_conflict(
        store
            .commit(&step(
                &clash,
                InvitationStage::IdentityVerified,
                None,
                Some(&entry(child.id, at, "invitation.link_sent")),
                &effects(at, AuditAction::InvitationLinkSent),
            ))
            .await,
        "portal_invitations_link_hash",
    );
    assert_eq!(find(&store, second.id).await.as_ref(), Some(&verified));
    assert_eq!(by_link(&store, &hash('b')).await.as_ref(), Some(&first));
    assert_eq!(chronology(&store, child.id).await, chronology_before);
    assert_eq!(written(&store).await, written_before);
}

/// A person has one link to a child: a second is a conflict on
/// `portal_links_child_account`, and the invitation step it came with is not
/// written, nor its entry or effects.
pub async fn a_second_link_for_the_same_child_and_account_is_a_conflict(store: Arc<dyn Store>) {
    let child = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, AccountKind::Citizen, "sam.parent@example.org").await;
    let existing = active_link(child.id, parent, START);
    let (existing_entry, existing_effects) =
        save_link(&store, &create(&existing), AuditAction::PortalAccessGranted).await;

    let duplicate = active_link(child.id, parent, START + Duration::hours(1));
    let duplicate_entry = entry(child.id, START, "portal_access.granted");
    let duplicate_effects = effects(START, AuditAction::PortalAccessGranted);
    assert_conflict(
        store
            .commit(&link_change(
                &create(&duplicate),
                &duplicate_entry,
                &duplicate_effects,
            ))
            .await,
        PORTAL_LINK_CONFLICT,
    );

    let linked = linked_invitation(&store, child.id, 'b', START).await;
    let after_link_sent = chronology(&store, child.id).await;
    let written_before = written(&store).await;
    let at = START + Duration::hours(2);
    let accepted = linked.accept(parent, at).unwrap_or_else(|e| panic!("{e}"));
    let refused_entry = entry(child.id, at, "invitation.accepted");
    let refused_effects = effects(at, AuditAction::InvitationAccepted);
    assert_conflict(
        store
            .commit(&step(
                &accepted,
                InvitationStage::LinkSent,
                Some(&create(&pending_link(&accepted, parent, at))),
                Some(&refused_entry),
                &refused_effects,
            ))
            .await,
        PORTAL_LINK_CONFLICT,
    );
    assert_eq!(
        find(&store, linked.id).await.as_ref(),
        Some(&linked),
        "the acceptance was not written"
    );
    assert_eq!(
        store
            .portal_links_for_child(child.id)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        vec![existing]
    );
    assert_eq!(chronology(&store, child.id).await, after_link_sent);
    assert!(after_link_sent.contains(&existing_entry.id));
    assert!(!after_link_sent.contains(&duplicate_entry.id));
    assert_eq!(written(&store).await, written_before);
    let (events, _) = written_before;
    assert!(events.contains(&existing_effects.audit[0].id));
    assert!(!events.contains(&duplicate_effects.audit[0].id));
}

/// A link changes only from the status it was read in: a change expecting
/// another status is a conflict on `portal_link_status` and writes nothing,
/// alone or with the invitation step it came with.
pub async fn a_link_changes_only_from_the_status_it_was_read_in(store: Arc<dyn Store>) {
    let child = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, AccountKind::Citizen, "sam.parent@example.org").await;
    let caseworker = staff();
    let linked = linked_invitation(&store, child.id, 'b', START).await;
    let at = START + Duration::hours(1);
    let accepted = linked.accept(parent, at).unwrap_or_else(|e| panic!("{e}"));
    let pending = pending_link(&accepted, parent, at);
    save(
        &store,
        &accepted,
        InvitationStage::LinkSent,
        Some(&create(&pending)),
        at,
        AuditAction::InvitationAccepted,
    )
    .await;

    // Someone confirms the link directly; the invitation's confirmation, read
    // before that, expects it still pending.
    let at = START + Duration::hours(2);
    let active = pending
        .change(LinkStatus::Active, Some(caseworker), at)
        .unwrap_or_else(|e| panic!("{e}"));
    save_link(
        &store,
        &change(&active, LinkStatus::Pending),
        AuditAction::PortalAccessGranted,
    )
    .await;
    assert_eq!(
        link_of(&store, child.id, parent).await.as_ref(),
        Some(&active)
    );
    let chronology_before = chronology(&store, child.id).await;
    let written_before = written(&store).await;

    let confirmed = accepted
        .confirm(caseworker, at)
        .unwrap_or_else(|e| panic!("{e}"));
    let stale = pending
        .change(LinkStatus::Active, Some(staff()), at + Duration::minutes(1))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_conflict(
        store
            .commit(&step(
                &confirmed,
                InvitationStage::Accepted,
                Some(&change(&stale, LinkStatus::Pending)),
                Some(&entry(child.id, at, "invitation.confirmed")),
                &effects(at, AuditAction::InvitationConfirmed),
            ))
            .await,
        PORTAL_LINK_STATUS_CONFLICT,
    );
    assert_eq!(
        find(&store, linked.id).await.as_ref(),
        Some(&accepted),
        "the confirmation was not written"
    );
    let declined = pending
        .change(LinkStatus::Declined, Some(staff()), at)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_conflict(
        store
            .commit(&link_change(
                &change(&declined, LinkStatus::Pending),
                &entry(child.id, at, "portal_access.declined"),
                &effects(at, AuditAction::InvitationDeclined),
            ))
            .await,
        PORTAL_LINK_STATUS_CONFLICT,
    );
    assert_eq!(
        link_of(&store, child.id, parent).await.as_ref(),
        Some(&active)
    );
    assert_eq!(chronology(&store, child.id).await, chronology_before);
    assert_eq!(written(&store).await, written_before);
}

/// Access is revoked and granted again, each change from the status it
/// replaces, and every changed field (status, since, by, role) is stored.
pub async fn a_revoked_link_is_granted_again(store: Arc<dyn Store>) {
    let child = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, AccountKind::Citizen, "sam.parent@example.org").await;
    let active = active_link(child.id, parent, START);
    let mut all_effects = vec![
        save_link(&store, &create(&active), AuditAction::PortalAccessGranted)
            .await
            .1,
    ];

    let revoked = active
        .change(
            LinkStatus::Revoked,
            Some(staff()),
            START + Duration::days(1),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let (_, fx) = save_link(
        &store,
        &change(&revoked, LinkStatus::Active),
        AuditAction::PortalAccessRevoked,
    )
    .await;
    all_effects.push(fx);
    assert_eq!(
        link_of(&store, child.id, parent).await.as_ref(),
        Some(&revoked)
    );

    let granted = PortalLink {
        role: PortalRole::Parent,
        ..revoked
            .change(LinkStatus::Active, Some(staff()), START + Duration::days(2))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let (_, fx) = save_link(
        &store,
        &change(&granted, LinkStatus::Revoked),
        AuditAction::PortalAccessGranted,
    )
    .await;
    all_effects.push(fx);
    let stored = store
        .portal_link_by_id(active.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stored.as_ref(), Some(&granted));
    assert_eq!(chronology(&store, child.id).await.len(), 4);
    let refs: Vec<&Effects> = all_effects.iter().collect();
    assert_eq!(written(&store).await, ids_of(&refs));
}

/// The SEND team's list: accepted invitations only, for children of the teams
/// asked (every team with `None`, none with an empty list), oldest acceptance
/// first, within the limit. A declined invitation keeps its reason.
pub async fn invitations_awaiting_decision_are_filtered_by_team(store: Arc<dyn Store>) {
    let north = Team {
        id: TeamId::from_uuid(Uuid::new_v4()),
        name: "North team".to_owned(),
    };
    commit(
        &store,
        Changes::new().with(Write::InsertTeam {
            team: north.clone(),
            at: START,
        }),
    )
    .await;
    let home = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let northern = child(&store, "Ada", north.id).await;
    let parent = portal_account(&store, AccountKind::Citizen, "sam.parent@example.org").await;
    let caseworker = staff();

    let home_late = accepted_invitation(&store, home.id, 'b', parent, 3).await;
    let north_first = accepted_invitation(&store, northern.id, 'c', parent, 1).await;
    let home_early = accepted_invitation(&store, home.id, 'd', parent, 2).await;
    let not_yet = linked_invitation(&store, home.id, 'e', START).await;
    let confirmed = accepted_invitation(&store, home.id, 'f', parent, 0).await;
    save(
        &store,
        &confirmed
            .confirm(caseworker, START + Duration::hours(4))
            .unwrap_or_else(|e| panic!("{e}")),
        InvitationStage::Accepted,
        None,
        START + Duration::hours(4),
        AuditAction::InvitationConfirmed,
    )
    .await;
    let to_decline = accepted_invitation(&store, northern.id, '1', parent, 0).await;
    let declined = to_decline
        .decline(
            caseworker,
            START + Duration::hours(5),
            "We could not match the person to the child's record.",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    save(
        &store,
        &declined,
        InvitationStage::Accepted,
        None,
        START + Duration::hours(5),
        AuditAction::InvitationDeclined,
    )
    .await;
    assert_eq!(find(&store, declined.id).await.as_ref(), Some(&declined));
    assert_eq!(find(&store, not_yet.id).await.as_ref(), Some(&not_yet));

    assert_eq!(
        awaiting(&store, None, 10).await,
        vec![north_first.id, home_early.id, home_late.id]
    );
    assert_eq!(
        awaiting(&store, Some(&[DEFAULT_TEAM.0]), 10).await,
        vec![home_early.id, home_late.id]
    );
    assert_eq!(
        awaiting(&store, Some(&[north.id]), 10).await,
        vec![north_first.id]
    );
    assert_eq!(
        awaiting(&store, Some(&[north.id, DEFAULT_TEAM.0]), 2).await,
        vec![north_first.id, home_early.id]
    );
    assert_eq!(awaiting(&store, Some(&[]), 10).await, Vec::new());
    let full = store
        .invitations_awaiting_decision(Some(&[north.id]), 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(full, vec![north_first], "every field");

    let for_home = store
        .invitations_for_child(home.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|i| i.id)
        .collect::<Vec<_>>();
    assert_eq!(for_home.len(), 4);
    assert!(
        for_home.contains(&home_late.id) && for_home.contains(&not_yet.id),
        "{for_home:?}"
    );
}

/// A request is decided once: the decision is stored with the link it grants,
/// its entry and its effects; a second decision is a conflict on
/// `child_link_request_decided` and writes nothing. A decision whose link
/// cannot be made is not written either.
#[expect(
    clippy::too_many_lines,
    reason = "one request's story, read from top to bottom"
)]
pub async fn a_child_link_request_is_decided_once(store: Arc<dyn Store>) {
    let professional = portal_account(
        &store,
        AccountKind::Professional,
        "senco@riverside.example.org",
    )
    .await;
    let child = child(&store, "Amelia-Rose", DEFAULT_TEAM.0).await;
    let request = full_request(professional, START);
    let request_effects = insert_request(&store, &request).await;
    assert_eq!(
        request_of(&store, request.id).await.as_ref(),
        Some(&request),
        "every field"
    );
    assert_eq!(waiting(&store, 10).await, vec![request.id]);

    let caseworker = staff();
    let at = START + Duration::days(1);
    let matched = request
        .match_to(child.id, caseworker, at)
        .unwrap_or_else(|e| panic!("{e}"));
    let link = PortalLink {
        role: PortalRole::Professional,
        status_by: Some(caseworker),
        request_id: Some(request.id),
        ..active_link(child.id, professional, at)
    };

    // The professional had a link to the child, since revoked: a new one is
    // refused, and the decision with it.
    let existing = PortalLink {
        status: LinkStatus::Revoked,
        role: PortalRole::Parent,
        ..active_link(child.id, professional, START)
    };
    let (existing_entry, existing_effects) =
        save_link(&store, &create(&existing), AuditAction::PortalAccessGranted).await;
    assert_conflict(
        store
            .commit(&decide(
                &matched,
                Some(&create(&link)),
                Some(&entry(child.id, at, "child_link.matched")),
                &effects(at, AuditAction::ChildLinkMatched),
            ))
            .await,
        PORTAL_LINK_CONFLICT,
    );
    assert_eq!(
        request_of(&store, request.id).await.as_ref(),
        Some(&request)
    );
    assert_eq!(waiting(&store, 10).await, vec![request.id]);

    // Granted again through the existing link instead.
    let regranted = PortalLink {
        role: PortalRole::Professional,
        request_id: Some(request.id),
        ..existing
            .change(LinkStatus::Active, Some(caseworker), at)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let match_entry = entry(child.id, at, "child_link.matched");
    let match_effects = effects(at, AuditAction::ChildLinkMatched);
    store
        .commit(&decide(
            &matched,
            Some(&change(&regranted, LinkStatus::Revoked)),
            Some(&match_entry),
            &match_effects,
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        request_of(&store, request.id).await.as_ref(),
        Some(&matched)
    );
    assert_eq!(
        link_of(&store, child.id, professional).await.as_ref(),
        Some(&regranted)
    );
    assert_eq!(waiting(&store, 10).await, Vec::new());

    // A second decision, from a page read before the first.
    let declined = request
        .decline(staff(), at + Duration::hours(1), "Not known to us.")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_conflict(
        store
            .commit(&decide(
                &declined,
                None,
                None,
                &effects(at, AuditAction::ChildLinkDeclined),
            ))
            .await,
        CHILD_LINK_REQUEST_CONFLICT,
    );
    assert_eq!(
        request_of(&store, request.id).await.as_ref(),
        Some(&matched)
    );

    let mut entries = chronology(&store, child.id).await;
    entries.retain(|id| *id != existing_entry.id && *id != match_entry.id);
    assert_eq!(entries.len(), 1, "only the child's first entry besides");
    assert_eq!(
        written(&store).await,
        ids_of(&[&request_effects, &existing_effects, &match_effects])
    );
}

/// The suspense list holds the requests nobody has decided, oldest first, within
/// the limit; a professional sees their own requests, newest first, decided or
/// not. Deciding a missing request is `NotFound`.
pub async fn the_waiting_list_leaves_out_decided_requests(store: Arc<dyn Store>) {
    let first_pro = portal_account(&store, AccountKind::Professional, "one@example.org").await;
    let second_pro = portal_account(&store, AccountKind::Professional, "two@example.org").await;
    let oldest = bare_request(first_pro, START);
    let middle = bare_request(second_pro, START + Duration::hours(1));
    let newest = full_request(first_pro, START + Duration::hours(2));
    for request in [&newest, &oldest, &middle] {
        insert_request(&store, request).await;
    }
    assert_eq!(
        waiting(&store, 10).await,
        vec![oldest.id, middle.id, newest.id]
    );

    let declined = oldest
        .decline(
            staff(),
            START + Duration::days(1),
            "  We could not find this child.  ",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let decline_effects = effects(START + Duration::days(1), AuditAction::ChildLinkDeclined);
    store
        .commit(&decide(&declined, None, None, &decline_effects))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let stored = request_of(&store, oldest.id).await;
    assert_eq!(stored.as_ref(), Some(&declined));
    assert_eq!(
        stored.and_then(|r| r.decision).and_then(|d| d.reason),
        Some("We could not find this child.".to_owned())
    );

    assert_eq!(waiting(&store, 10).await, vec![middle.id, newest.id]);
    assert_eq!(waiting(&store, 1).await, vec![middle.id]);

    let at = START + Duration::days(2);
    let missing = bare_request(first_pro, START)
        .decline(staff(), at, "Not known to us.")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_not_found(
        store
            .commit(&decide(
                &missing,
                None,
                None,
                &effects(at, AuditAction::ChildLinkDeclined),
            ))
            .await,
    );
    assert_eq!(request_of(&store, missing.id).await, None);
    assert_eq!(waiting(&store, 10).await, vec![middle.id, newest.id]);

    let own = store
        .child_link_requests_for_account(first_pro)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(own, vec![newest, declined], "newest first, decided or not");
    let others = store
        .child_link_requests_for_account(second_pro)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(others, vec![middle]);
}

/// A child's links and a person's links, each oldest first, whatever their
/// status; the link between one person and one child, or none.
pub async fn portal_links_are_listed_by_child_and_by_account(store: Arc<dyn Store>) {
    let first_child = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let second_child = child(&store, "Ada", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, AccountKind::Citizen, "sam.parent@example.org").await;
    let carer = portal_account(&store, AccountKind::Citizen, "carer@example.org").await;

    let parent_first = active_link(first_child.id, parent, START + Duration::hours(2));
    let carer_first = PortalLink {
        status: LinkStatus::Pending,
        status_by: None,
        role: PortalRole::Parent,
        ..active_link(first_child.id, carer, START + Duration::hours(1))
    };
    let parent_second = active_link(second_child.id, parent, START + Duration::hours(3));
    for link in [&parent_second, &parent_first, &carer_first] {
        save_link(&store, &create(link), AuditAction::PortalAccessGranted).await;
    }
    let revoked = parent_second
        .change(
            LinkStatus::Revoked,
            Some(staff()),
            START + Duration::days(1),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    save_link(
        &store,
        &change(&revoked, LinkStatus::Active),
        AuditAction::PortalAccessRevoked,
    )
    .await;

    let for_child = |child: ChildId| {
        let store = store.clone();
        async move {
            store
                .portal_links_for_child(child)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let for_account = |account: UserId| {
        let store = store.clone();
        async move {
            store
                .portal_links_for_account(account)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    assert_eq!(
        for_child(first_child.id).await,
        vec![carer_first.clone(), parent_first.clone()]
    );
    assert_eq!(for_child(second_child.id).await, vec![revoked.clone()]);
    assert_eq!(
        for_account(parent).await,
        vec![parent_first.clone(), revoked]
    );
    assert_eq!(for_account(carer).await, vec![carer_first.clone()]);
    assert_eq!(
        for_child(ChildId::from_uuid(Uuid::new_v4())).await,
        Vec::new()
    );
    assert_eq!(for_account(staff()).await, Vec::new());

    assert_eq!(
        link_of(&store, first_child.id, carer).await,
        Some(carer_first)
    );
    assert_eq!(link_of(&store, second_child.id, carer).await, None);
    let missing = store
        .portal_link_by_id(PortalLinkId::from_uuid(Uuid::new_v4()))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(missing, None);
}

/// Two people take the next step of the same invitation from the stage they
/// both read (the parent accepts the link while a caseworker withdraws it):
/// exactly one step is written, with its link, entry and effects; the other is
/// a conflict on `INVITATION_STAGE_CONFLICT` and writes nothing. A step of an
/// invitation never sent is `NotFound`.
pub async fn two_steps_from_one_invitation_stage_write_one(store: Arc<dyn Store>) {
    let child = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, AccountKind::Citizen, "sam.parent@example.org").await;
    let linked = linked_invitation(&store, child.id, 'b', START).await;
    let read = find(&store, linked.id)
        .await
        .unwrap_or_else(|| panic!("the invitation was sent"));
    assert_eq!(read.stage(), InvitationStage::LinkSent);
    let chronology_before = chronology(&store, child.id).await;
    let (events_before, emails_before) = written(&store).await;

    let at = START + Duration::hours(1);
    let accepted = read.accept(parent, at).unwrap_or_else(|e| panic!("{e}"));
    let pending = pending_link(&accepted, parent, at);
    let accept = (
        entry(child.id, at, "invitation.accepted"),
        effects(at, AuditAction::InvitationAccepted),
    );
    let withdrawn = read.withdraw(staff(), at).unwrap_or_else(|e| panic!("{e}"));
    let withdraw = (
        entry(child.id, at, "invitation.withdrawn"),
        effects(at, AuditAction::InvitationWithdrawn),
    );
    let results = race(
        &store,
        &step(
            &accepted,
            InvitationStage::LinkSent,
            Some(&create(&pending)),
            Some(&accept.0),
            &accept.1,
        ),
        &step(
            &withdrawn,
            InvitationStage::LinkSent,
            None,
            Some(&withdraw.0),
            &withdraw.1,
        ),
    )
    .await;
    let accepted_first = first_wins(results, INVITATION_STAGE_CONFLICT);
    let (winner, (winner_entry, winner_effects)) = if accepted_first {
        (accepted, accept)
    } else {
        (withdrawn, withdraw)
    };

    assert_eq!(find(&store, linked.id).await.as_ref(), Some(&winner));
    assert_eq!(
        link_of(&store, child.id, parent).await,
        accepted_first.then_some(pending),
        "a link only if the acceptance won"
    );
    let mut expected_chronology = chronology_before;
    expected_chronology.push(winner_entry.id);
    expected_chronology.sort();
    assert_eq!(chronology(&store, child.id).await, expected_chronology);
    let (winner_events, winner_emails) = ids_of(&[&winner_effects]);
    let expected_written = (
        events_before.union(&winner_events).copied().collect(),
        emails_before.union(&winner_emails).copied().collect(),
    );
    assert_eq!(written(&store).await, expected_written);

    let never_sent = invitation(child.id, staff(), START);
    let verified = never_sent
        .verify(staff(), at, VerifiedBy::Phone)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_not_found(
        store
            .commit(&step(
                &verified,
                InvitationStage::CodeSent,
                None,
                Some(&entry(child.id, at, "invitation.verified")),
                &effects(at, AuditAction::IdentityVerified),
            ))
            .await,
    );
    assert_eq!(find(&store, never_sent.id).await, None);
    assert_eq!(chronology(&store, child.id).await, expected_chronology);
    assert_eq!(written(&store).await, expected_written);
}

/// Two caseworkers decide the same pending link from the status they both read
/// (one grants it, one declines it): exactly one change is written, with its
/// entry and effects; the other is a conflict on `PORTAL_LINK_STATUS_CONFLICT`
/// and writes nothing. Changing a link that was never made is `NotFound`.
pub async fn two_changes_from_one_link_status_write_one(store: Arc<dyn Store>) {
    let child = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, AccountKind::Citizen, "sam.parent@example.org").await;
    let pending = PortalLink {
        status: LinkStatus::Pending,
        status_by: None,
        role: PortalRole::Parent,
        ..active_link(child.id, parent, START)
    };
    let (_, created_effects) =
        save_link(&store, &create(&pending), AuditAction::PortalAccessGranted).await;
    let read = link_of(&store, child.id, parent)
        .await
        .unwrap_or_else(|| panic!("the link was made"));
    assert_eq!(read.status, LinkStatus::Pending);
    let chronology_before = chronology(&store, child.id).await;

    let at = START + Duration::hours(1);
    let granted = read
        .change(LinkStatus::Active, Some(staff()), at)
        .unwrap_or_else(|e| panic!("{e}"));
    let grant = (
        entry(child.id, at, "portal_access.granted"),
        effects(at, AuditAction::PortalAccessGranted),
    );
    let declined = read
        .change(LinkStatus::Declined, Some(staff()), at)
        .unwrap_or_else(|e| panic!("{e}"));
    let decline = (
        entry(child.id, at, "portal_access.declined"),
        effects(at, AuditAction::InvitationDeclined),
    );
    let results = race(
        &store,
        &link_change(&change(&granted, LinkStatus::Pending), &grant.0, &grant.1),
        &link_change(
            &change(&declined, LinkStatus::Pending),
            &decline.0,
            &decline.1,
        ),
    )
    .await;
    let (winner, (winner_entry, winner_effects)) =
        if first_wins(results, PORTAL_LINK_STATUS_CONFLICT) {
            (granted, grant)
        } else {
            (declined, decline)
        };

    assert_eq!(
        link_of(&store, child.id, parent).await.as_ref(),
        Some(&winner)
    );
    let mut expected_chronology = chronology_before;
    expected_chronology.push(winner_entry.id);
    expected_chronology.sort();
    assert_eq!(chronology(&store, child.id).await, expected_chronology);
    assert_eq!(
        written(&store).await,
        ids_of(&[&created_effects, &winner_effects])
    );

    let never_made = active_link(child.id, staff(), START);
    let revoked = never_made
        .change(LinkStatus::Revoked, Some(staff()), at)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_not_found(
        store
            .commit(&link_change(
                &change(&revoked, LinkStatus::Active),
                &entry(child.id, at, "portal_access.revoked"),
                &effects(at, AuditAction::PortalAccessRevoked),
            ))
            .await,
    );
    let missing = store
        .portal_link_by_id(never_made.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(missing, None);
    assert_eq!(chronology(&store, child.id).await, expected_chronology);
    assert_eq!(
        written(&store).await,
        ids_of(&[&created_effects, &winner_effects])
    );
}

/// Two caseworkers decide the same professional's request, both reading it
/// undecided (one matches it to a child, granting a link; one declines it):
/// exactly one decision is written, with what came with it; the other is a
/// conflict on `CHILD_LINK_REQUEST_CONFLICT` and writes nothing. Deciding a
/// request never made is `NotFound`.
pub async fn two_decisions_on_one_request_write_one(store: Arc<dyn Store>) {
    let professional = portal_account(
        &store,
        AccountKind::Professional,
        "senco@riverside.example.org",
    )
    .await;
    let child = child(&store, "Amelia-Rose", DEFAULT_TEAM.0).await;
    let request = bare_request(professional, START);
    let request_effects = insert_request(&store, &request).await;
    let read = request_of(&store, request.id)
        .await
        .unwrap_or_else(|| panic!("the request was made"));
    let chronology_before = chronology(&store, child.id).await;

    let at = START + Duration::days(1);
    let caseworker = staff();
    let matched = read
        .match_to(child.id, caseworker, at)
        .unwrap_or_else(|e| panic!("{e}"));
    let link = PortalLink {
        role: PortalRole::Professional,
        status_by: Some(caseworker),
        request_id: Some(request.id),
        ..active_link(child.id, professional, at)
    };
    let match_entry = entry(child.id, at, "child_link.matched");
    let match_effects = effects(at, AuditAction::ChildLinkMatched);
    let declined = read
        .decline(staff(), at, "Not known to us.")
        .unwrap_or_else(|e| panic!("{e}"));
    let decline_effects = effects(at, AuditAction::ChildLinkDeclined);
    let results = race(
        &store,
        &decide(
            &matched,
            Some(&create(&link)),
            Some(&match_entry),
            &match_effects,
        ),
        &decide(&declined, None, None, &decline_effects),
    )
    .await;
    let matched_first = first_wins(results, CHILD_LINK_REQUEST_CONFLICT);
    let (winner, winner_effects) = if matched_first {
        (matched, match_effects)
    } else {
        (declined, decline_effects)
    };

    assert_eq!(request_of(&store, request.id).await.as_ref(), Some(&winner));
    assert_eq!(
        link_of(&store, child.id, professional).await,
        matched_first.then_some(link),
        "a link only if the match won"
    );
    let mut expected_chronology = chronology_before;
    if matched_first {
        expected_chronology.push(match_entry.id);
        expected_chronology.sort();
    }
    assert_eq!(chronology(&store, child.id).await, expected_chronology);
    assert_eq!(
        written(&store).await,
        ids_of(&[&request_effects, &winner_effects])
    );
    assert_eq!(waiting(&store, 10).await, Vec::new());

    let never_made = bare_request(professional, START)
        .decline(staff(), at, "Not known to us.")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_not_found(
        store
            .commit(&decide(
                &never_made,
                None,
                None,
                &effects(at, AuditAction::ChildLinkDeclined),
            ))
            .await,
    );
    assert_eq!(request_of(&store, never_made.id).await, None);
    assert_eq!(
        written(&store).await,
        ids_of(&[&request_effects, &winner_effects])
    );
}
