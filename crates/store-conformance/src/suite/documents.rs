//! Conformance cases for documents: every field and each kind of sharing read
//! back exactly, whom a document is shown to, and sharing replaced. A refused
//! write writes nothing of what came with it (the chronology entry, the audit
//! events, the emails). People named read back in the order of their account
//! ids as text, each once.

use std::sync::Arc;

use send_domain::{
    Account, AccountKind, Address, AuditAction, Child, ChildId, ChronologyEntryId, DEFAULT_TEAM,
    Document, DocumentId, DocumentKind, Email, EmailId, EmailSubject, FileKind, OutgoingEmail,
    PasswordHash, PersonName, SecondFactor, Sex, Sharing, ShortText, StoredFile, TeamId, UserId,
};
use send_store::{Changes, ChronologyEntry, Effects, NewAccount, Store, Write};
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::event;

use super::support::{assert_conflict, assert_not_found, commit, ids_of, written};

pub(super) const START: OffsetDateTime = datetime!(2026-11-23 09:00:00.123456 UTC);

fn name(text: &str) -> PersonName {
    PersonName::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn email(address: &str) -> Email {
    Email::parse(address).unwrap_or_else(|e| panic!("{e}"))
}

pub(super) fn short(text: &str) -> ShortText {
    ShortText::from_stored(text.to_owned())
}

pub(super) fn staff() -> UserId {
    UserId::from_uuid(Uuid::new_v4())
}

fn outgoing(at: OffsetDateTime) -> OutgoingEmail {
    OutgoingEmail {
        id: EmailId::from_uuid(Uuid::new_v4()),
        to: email("sam.parent@example.org"),
        to_name: Some(name("Sam Parent")),
        subject: EmailSubject::parse("You have a new message").unwrap_or_else(|e| panic!("{e}")),
        text_body: "Sign in to read it.\n".to_owned(),
        html_body: "<p>Sign in to read it.</p>".to_owned(),
        created_at: at,
    }
}

/// One audit event and one email, as a use case would pass them.
pub(super) fn effects(at: OffsetDateTime, action: AuditAction) -> Effects {
    Effects::audit(event(at, action)).with_email(outgoing(at))
}

pub(super) fn entry(child: ChildId, at: OffsetDateTime, kind: &str) -> ChronologyEntry {
    ChronologyEntry {
        id: ChronologyEntryId::from_uuid(Uuid::new_v4()),
        child_id: child,
        occurred_at: at,
        actor_id: Some(staff()),
        kind: kind.to_owned(),
        summary: format!("{kind} at {at}"),
        note: None,
    }
}

/// A portal user's account, stored, for shares, participants and read marks to
/// point at.
pub(super) async fn portal_account(store: &Arc<dyn Store>, address: &str) -> UserId {
    let account = Account {
        id: UserId::from_uuid(Uuid::new_v4()),
        kind: AccountKind::Citizen,
        email: email(address),
        name: name("Sam Parent"),
        phone: None,
        professional: None,
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
pub(super) async fn child(store: &Arc<dyn Store>, first: &str, team_id: TeamId) -> Child {
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

/// A document of `child` uploaded at `at`, every field given; its file key is
/// new each time.
pub(super) fn document(
    child: ChildId,
    kind: DocumentKind,
    at: OffsetDateTime,
    sharing: Sharing,
) -> Document {
    let id = DocumentId::from_uuid(Uuid::new_v4());
    Document {
        id,
        child_id: child,
        kind,
        description: short("Draft plan – Amira’s “views” & hopes"),
        file: StoredFile {
            key: format!("documents/{id}"),
            name: "EHCP draft (v2) – Amira.docx".to_owned(),
            kind: FileKind::Docx,
            size: 5_000_000_123,
            sha256: "0123456789abcdef".repeat(4),
        },
        uploaded_by: staff(),
        uploaded_at: at,
        shared_at: (sharing != Sharing::NotShared).then_some(at),
        sharing,
    }
}

/// Uploading a document, with an entry and effects.
fn upload(document: &Document, entry: &ChronologyEntry, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::InsertDocument(document.clone()))
        .with(Write::AddChronologyEntry(entry.clone()))
        .with_effects(effects.clone())
}

/// Changing whom a document is shared with, at `at`, with an entry and effects.
fn share(
    document: DocumentId,
    sharing: &Sharing,
    at: OffsetDateTime,
    entry: &ChronologyEntry,
    effects: &Effects,
) -> Changes {
    Changes::new()
        .with(Write::SetSharing {
            document,
            sharing: sharing.clone(),
            at,
        })
        .with(Write::AddChronologyEntry(entry.clone()))
        .with_effects(effects.clone())
}

/// Stores a document with an entry and effects, which it returns.
async fn insert(store: &Arc<dyn Store>, document: &Document) -> (ChronologyEntry, Effects) {
    let entry = entry(document.child_id, document.uploaded_at, "document.uploaded");
    let effects = effects(document.uploaded_at, AuditAction::DocumentUploaded);
    commit(store, upload(document, &entry, &effects)).await;
    (entry, effects)
}

pub(super) async fn find(store: &Arc<dyn Store>, id: DocumentId) -> Option<Document> {
    store.document(id).await.unwrap_or_else(|e| panic!("{e}"))
}

async fn shared_with(store: &Arc<dyn Store>, child: ChildId, account: UserId) -> Vec<DocumentId> {
    store
        .documents_shared_with(child, account)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|d| d.id)
        .collect()
}

pub(super) async fn chronology(store: &Arc<dyn Store>, child: ChildId) -> Vec<ChronologyEntryId> {
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

/// People named, as they read back: in the order of their ids as text.
pub(super) fn in_id_order(mut people: Vec<UserId>) -> Vec<UserId> {
    people.sort_by_key(ToString::to_string);
    people.dedup();
    people
}

/// A document of each kind of sharing is stored with its entry and effects and
/// read back exactly, alone and among the child's documents (newest first).
/// People named twice are named once; a missing document is `None`.
pub async fn a_document_round_trips_with_each_kind_of_sharing(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let other = child_of_other(&store).await;
    let first = portal_account(&store, "sam.parent@example.org").await;
    let second = portal_account(&store, "alex.carer@example.org").await;

    let not_shared = document(child.id, DocumentKind::Letter, START, Sharing::NotShared);
    let all = document(
        child.id,
        DocumentKind::FinalPlan,
        START + Duration::hours(1),
        Sharing::AllLinked,
    );
    let named = document(
        child.id,
        DocumentKind::Attachment,
        START + Duration::hours(2),
        Sharing::Named(vec![second, first, second]),
    );
    let elsewhere = document(other, DocumentKind::Advice, START, Sharing::AllLinked);
    let mut entries = vec![];
    let mut all_effects = vec![];
    for doc in [&named, &not_shared, &all, &elsewhere] {
        let (e, fx) = insert(&store, doc).await;
        entries.push(e);
        all_effects.push(fx);
    }

    let named_back = Document {
        sharing: Sharing::Named(in_id_order(vec![first, second])),
        ..named.clone()
    };
    assert_eq!(
        find(&store, not_shared.id).await.as_ref(),
        Some(&not_shared)
    );
    assert_eq!(find(&store, all.id).await.as_ref(), Some(&all));
    assert_eq!(find(&store, named.id).await.as_ref(), Some(&named_back));
    assert_eq!(
        find(&store, DocumentId::from_uuid(Uuid::new_v4())).await,
        None
    );
    let of_child = store
        .documents_of_child(child.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(of_child, vec![named_back, all, not_shared], "newest first");

    let mut expected: Vec<ChronologyEntryId> = entries
        .iter()
        .filter(|e| e.child_id == child.id)
        .map(|e| e.id)
        .collect();
    let mut stored = chronology(&store, child.id).await;
    stored.retain(|id| expected.contains(id));
    expected.sort();
    assert_eq!(stored, expected);
    let refs: Vec<&Effects> = all_effects.iter().collect();
    assert_eq!(written(&store).await, ids_of(&refs));
}

/// A second child, of the default team, for documents that must not show.
async fn child_of_other(store: &Arc<dyn Store>) -> ChildId {
    child(store, "Tomasz", DEFAULT_TEAM.0).await.id
}

/// A portal user sees the child's documents shared with everyone linked and
/// those naming them, newest first, each with its whole sharing; never those
/// not shared, naming others, or of another child.
pub async fn documents_are_shared_with_everyone_linked_or_by_name(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let other = child_of_other(&store).await;
    let first = portal_account(&store, "sam.parent@example.org").await;
    let second = portal_account(&store, "alex.carer@example.org").await;
    let third = portal_account(&store, "jo.grandparent@example.org").await;

    let all = document(child.id, DocumentKind::Letter, START, Sharing::AllLinked);
    let for_first = document(
        child.id,
        DocumentKind::Advice,
        START + Duration::hours(1),
        Sharing::Named(vec![first]),
    );
    let for_both = document(
        child.id,
        DocumentKind::DraftPlan,
        START + Duration::hours(2),
        Sharing::Named(vec![first, second]),
    );
    let hidden = document(
        child.id,
        DocumentKind::Other,
        START + Duration::hours(3),
        Sharing::NotShared,
    );
    let elsewhere = document(
        other,
        DocumentKind::Letter,
        START + Duration::hours(4),
        Sharing::Named(vec![first, second, third]),
    );
    for doc in [&all, &for_first, &for_both, &hidden, &elsewhere] {
        insert(&store, doc).await;
    }

    assert_eq!(
        shared_with(&store, child.id, first).await,
        vec![for_both.id, for_first.id, all.id]
    );
    assert_eq!(
        shared_with(&store, child.id, second).await,
        vec![for_both.id, all.id]
    );
    assert_eq!(shared_with(&store, child.id, third).await, vec![all.id]);
    assert_eq!(shared_with(&store, other, third).await, vec![elsewhere.id]);
    let whole = store
        .documents_shared_with(child.id, second)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let both_back = Document {
        sharing: Sharing::Named(in_id_order(vec![first, second])),
        ..for_both
    };
    assert_eq!(whole, vec![both_back, all], "every field, everyone named");
}

/// Sharing is replaced whole (flag, people named, when), with its entry and
/// effects; a document no longer shared is no longer shown. Changing the
/// sharing of a missing document is `NotFound` and writes nothing.
pub async fn sharing_is_replaced_and_a_missing_document_writes_nothing(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let first = portal_account(&store, "sam.parent@example.org").await;
    let second = portal_account(&store, "alex.carer@example.org").await;
    let third = portal_account(&store, "jo.grandparent@example.org").await;
    let doc = document(
        child.id,
        DocumentKind::Letter,
        START,
        Sharing::Named(vec![first, second]),
    );
    let (first_entry, first_effects) = insert(&store, &doc).await;
    let mut entries = vec![first_entry.id];
    let mut all_effects = vec![first_effects];

    let mut expected = doc.clone();
    for (hours, sharing) in [
        (1, Sharing::Named(vec![third])),
        (2, Sharing::AllLinked),
        (3, Sharing::Named(vec![second, first])),
        (4, Sharing::NotShared),
    ] {
        let at = START + Duration::hours(hours);
        let entry = entry(child.id, at, "document.sharing_changed");
        let fx = effects(at, AuditAction::DocumentSharingChanged);
        commit(&store, share(doc.id, &sharing, at, &entry, &fx)).await;
        entries.push(entry.id);
        all_effects.push(fx);
        expected.sharing = match sharing {
            Sharing::Named(people) => Sharing::Named(in_id_order(people)),
            other => other,
        };
        expected.shared_at = Some(at);
        assert_eq!(find(&store, doc.id).await.as_ref(), Some(&expected));
        let seen_by = |account| expected.sharing.includes(account);
        for account in [first, second, third] {
            let shown = shared_with(&store, child.id, account).await;
            assert_eq!(shown.contains(&doc.id), seen_by(account), "after {hours}h");
        }
    }

    let before = chronology(&store, child.id).await;
    let at = START + Duration::days(1);
    assert_not_found(
        store
            .commit(&share(
                DocumentId::from_uuid(Uuid::new_v4()),
                &Sharing::Named(vec![first]),
                at,
                &entry(child.id, at, "document.sharing_changed"),
                &effects(at, AuditAction::DocumentSharingChanged),
            ))
            .await,
    );
    assert_eq!(chronology(&store, child.id).await, before);
    assert_eq!(find(&store, doc.id).await.as_ref(), Some(&expected));
    let refs: Vec<&Effects> = all_effects.iter().collect();
    assert_eq!(written(&store).await, ids_of(&refs));
    for id in entries {
        assert!(before.contains(&id));
    }
}

/// A second document with a file key already stored is a conflict on
/// `documents_file_key`; neither it, its sharing, its entry nor its effects
/// are written.
pub async fn a_taken_file_key_is_a_conflict_and_writes_nothing(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let first = portal_account(&store, "sam.parent@example.org").await;
    let doc = document(child.id, DocumentKind::Letter, START, Sharing::AllLinked);
    let (_, first_effects) = insert(&store, &doc).await;
    let before = chronology(&store, child.id).await;

    let mut again = document(
        child.id,
        DocumentKind::Advice,
        START + Duration::hours(1),
        Sharing::Named(vec![first]),
    );
    again.file.key.clone_from(&doc.file.key);
    let at = again.uploaded_at;
    assert_conflict(
        store
            .commit(&upload(
                &again,
                &entry(child.id, at, "document.uploaded"),
                &effects(at, AuditAction::DocumentUploaded),
            ))
            .await,
        "documents_file_key",
    );
    assert_eq!(find(&store, again.id).await, None);
    assert_eq!(shared_with(&store, child.id, first).await, vec![doc.id]);
    assert_eq!(chronology(&store, child.id).await, before);
    assert_eq!(written(&store).await, ids_of(&[&first_effects]));
}
