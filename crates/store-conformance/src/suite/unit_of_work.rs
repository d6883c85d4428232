//! Conformance cases for the unit of work itself: its writes apply in order, in
//! one transaction with its effects, so a later write can rely on an earlier
//! one; and when any write is refused, nothing of the unit is written, whatever
//! kinds of record it mixes.

use std::sync::Arc;

use send_domain::involvements::{Involvement, InvolvementKind, Requester};
use send_domain::{
    Address, AuditAction, Child, ChildId, ContactId, DEFAULT_TEAM, Document, DocumentKind,
    FamilyContact, InvolvementId, Message, MessageBody, MessageId, PersonName, Sex, Sharing,
    Thread, ThreadId, UserId,
};
use send_store::{CHILD_CHANGED, Changes, ChronologyEntry, Effects, Store, Write};
use time::macros::date;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::documents::{START, document, effects, entry, portal_account, short, staff};
use super::messages::general_enquiry;
use super::support::{assert_conflict, assert_not_found, commit, ids_of, ok, written};

fn name(text: &str) -> PersonName {
    PersonName::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// A new child of the default team, not yet written.
fn new_child(first: &str) -> Child {
    Child {
        id: ChildId::from_uuid(Uuid::new_v4()),
        team_id: DEFAULT_TEAM.0,
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
        created_at: START,
        updated_at: START,
        version: 1,
    }
}

/// A child stored on its own, for a unit to refer to.
async fn stored_child(store: &Arc<dyn Store>, first: &str) -> Child {
    let child = new_child(first);
    commit(
        store,
        Changes::new().with(Write::InsertChild(child.clone())),
    )
    .await;
    child
}

fn contact(child: ChildId, contact_name: &str) -> FamilyContact {
    FamilyContact {
        id: ContactId::from_uuid(Uuid::new_v4()),
        child_id: child,
        name: name(contact_name),
        relationship: short("Mother"),
        email: None,
        phone: None,
        parental_responsibility: true,
    }
}

/// One unit mixing every kind of record a new case starts with: a child with a
/// contact and its first entry, an involvement, a conversation started by a
/// parent with a document attached to its first message, the parent's read
/// mark and a change of their message emails; with an audit event and an email.
struct Mixed {
    child: Child,
    contact: FamilyContact,
    entry: ChronologyEntry,
    involvement: Involvement,
    thread: Thread,
    document: Document,
    message: Message,
    parent: UserId,
    read_at: OffsetDateTime,
    effects: Effects,
}

impl Mixed {
    fn new(parent: UserId) -> Self {
        let child = new_child("Amira");
        let at = START + Duration::minutes(5);
        let document = document(
            child.id,
            DocumentKind::Attachment,
            at,
            Sharing::Named(vec![parent]),
        );
        let thread_id = ThreadId::from_uuid(Uuid::new_v4());
        let message = Message {
            id: MessageId::from_uuid(Uuid::new_v4()),
            thread_id,
            author: parent,
            from_council: false,
            body: MessageBody::parse("Here is the letter from the school.")
                .unwrap_or_else(|e| panic!("{e}")),
            sent_at: at,
            attachments: vec![document.id],
        };
        let thread = Thread {
            id: thread_id,
            child_id: child.id,
            message_type: general_enquiry(),
            subject: short("The school's letter"),
            started_by: parent,
            started_at: at,
            participants: vec![parent],
            assigned_to: None,
            last_message_at: at,
            waiting_since: Some(at),
            version: 1,
        };
        Self {
            contact: contact(child.id, "Sam Okafor"),
            entry: entry(child.id, START, "child.created"),
            involvement: Involvement::open(
                InvolvementId::from_uuid(Uuid::new_v4()),
                child.id,
                InvolvementKind::Assessment,
                date!(2026 - 11 - 20),
                START,
            ),
            effects: effects(START, AuditAction::ChildCreated),
            child,
            thread,
            document,
            message,
            parent,
            read_at: at,
        }
    }

    /// The unit, in the order a use case would write it.
    fn changes(&self) -> Changes {
        Changes::new()
            .with(Write::InsertChild(self.child.clone()))
            .with(Write::SaveContact(self.contact.clone()))
            .with(Write::AddChronologyEntry(self.entry.clone()))
            .with(Write::InsertInvolvement(self.involvement.clone()))
            .with(Write::InsertThread(self.thread.clone()))
            .with(Write::InsertDocument(self.document.clone()))
            .with(Write::InsertMessage(self.message.clone()))
            .with(Write::MarkRead {
                thread: self.thread.id,
                account: self.parent,
                at: self.read_at,
            })
            .with(Write::SetMessageEmails {
                account: self.parent,
                on: false,
            })
            .with_effects(self.effects.clone())
    }

    /// None of the unit's records exist, and the parent's settings are as before.
    async fn assert_none_written(&self, store: &Arc<dyn Store>) {
        assert_eq!(ok(store.child(self.child.id).await), None);
        assert_eq!(ok(store.family_contacts(self.child.id).await), vec![]);
        assert_eq!(ok(store.chronology(self.child.id, 100).await), vec![]);
        assert_eq!(ok(store.involvement(self.involvement.id).await), None);
        assert_eq!(ok(store.document(self.document.id).await), None);
        assert_eq!(ok(store.thread(self.thread.id).await), None);
        assert_eq!(ok(store.messages(self.thread.id).await), vec![]);
        assert_eq!(
            ok(store.read_up_to(self.thread.id, self.parent).await),
            None
        );
        assert!(
            ok(store.wants_message_emails(self.parent).await),
            "the email setting was not changed"
        );
    }
}

/// A unit of only effects (an audit event and an email about something that
/// changed nothing else) writes them, and counts no rows; an empty unit writes
/// nothing.
pub async fn effects_alone_are_written(store: Arc<dyn Store>) {
    let nothing = commit(&store, Changes::new()).await;
    assert_eq!(nothing.rows, Vec::<u64>::new());
    assert_eq!(written(&store).await, ids_of(&[]));

    let fx = effects(START, AuditAction::MessageEmailsChanged);
    assert_eq!((fx.audit.len(), fx.emails.len()), (1, 1));
    let committed = commit(&store, Changes::effects(fx.clone())).await;
    assert_eq!(committed.rows, Vec::<u64>::new(), "no writes, no counts");
    assert_eq!(written(&store).await, ids_of(&[&fx]));
}

/// Writes apply in the order given: a contact, an entry, an involvement and a
/// conversation for a child added earlier in the same unit; an update of a
/// record added earlier in it (its version moving 1 → 2); the last of two
/// settings wins; a contact added and removed again is gone. Each write is
/// counted, in order, and the effects are written once.
pub async fn writes_apply_in_order_within_a_unit(store: Arc<dyn Store>) {
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let mixed = Mixed::new(parent);
    let renamed = Child {
        preferred_name: Some(name("Mira")),
        updated_at: START + Duration::minutes(10),
        ..mixed.child.clone()
    };
    let mut moved_on = mixed.involvement.clone();
    moved_on.requested_by = Some(Requester::Parent);
    let held = Thread {
        assigned_to: Some(staff()),
        ..mixed.thread.clone()
    };
    let passing = contact(mixed.child.id, "Jo Okafor");
    let changes = mixed
        .changes()
        .with(Write::UpdateChild {
            child: renamed.clone(),
            expected_version: 1,
        })
        .with(Write::UpdateInvolvement {
            involvement: moved_on.clone(),
            expected_version: 1,
        })
        .with(Write::UpdateThread {
            thread: held.clone(),
            expected_version: 1,
        })
        .with(Write::SetMessageEmails {
            account: parent,
            on: true,
        })
        .with(Write::SaveContact(passing.clone()))
        .with(Write::DeleteContact(passing.id));
    let committed = commit(&store, changes.clone()).await;
    assert_eq!(committed.rows.len(), changes.writes.len(), "{committed:?}");

    assert_eq!(
        ok(store.child(mixed.child.id).await),
        Some(Child {
            version: 2,
            ..renamed
        })
    );
    assert_eq!(
        ok(store.involvement(mixed.involvement.id).await),
        Some(Involvement {
            version: 2,
            ..moved_on
        })
    );
    assert_eq!(
        ok(store.thread(mixed.thread.id).await),
        Some(Thread { version: 2, ..held })
    );
    assert_eq!(
        ok(store.family_contacts(mixed.child.id).await),
        vec![mixed.contact.clone()]
    );
    assert_eq!(
        ok(store.chronology(mixed.child.id, 100).await),
        vec![mixed.entry.clone()]
    );
    assert_eq!(
        ok(store.document(mixed.document.id).await),
        Some(mixed.document.clone())
    );
    assert_eq!(
        ok(store.messages(mixed.thread.id).await),
        vec![mixed.message.clone()]
    );
    assert_eq!(
        ok(store.read_up_to(mixed.thread.id, parent).await),
        Some(mixed.read_at)
    );
    assert!(ok(store.wants_message_emails(parent).await), "the last one");
    assert_eq!(written(&store).await, ids_of(&[&mixed.effects]));
}

/// A mixed unit whose last write names a version the child no longer has is a
/// conflict on `CHILD_CHANGED`, and nothing of the unit is written: no record,
/// no read mark, no setting, no audit event, no email; the child it named is
/// unchanged.
pub async fn a_unit_refused_by_a_guard_writes_nothing(store: Arc<dyn Store>) {
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let kept = stored_child(&store, "Tomasz").await;
    let before = written(&store).await;
    let mixed = Mixed::new(parent);
    let stale = Child {
        legal_first_name: name("Thomas"),
        version: 2,
        ..kept.clone()
    };
    let result = store
        .commit(&mixed.changes().with(Write::UpdateChild {
            child: stale,
            expected_version: 2,
        }))
        .await;
    assert_conflict(result, CHILD_CHANGED);

    mixed.assert_none_written(&store).await;
    let found = store.child(kept.id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found, Some(kept));
    assert_eq!(written(&store).await, before);
}

/// A mixed unit whose last write takes a unique value already stored (a
/// document's file key) is a conflict on that value, and nothing of the unit
/// is written.
pub async fn a_unit_refused_for_a_taken_value_writes_nothing(store: Arc<dyn Store>) {
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let other = stored_child(&store, "Tomasz").await;
    let stored = document(other.id, DocumentKind::Letter, START, Sharing::AllLinked);
    commit(
        &store,
        Changes::new().with(Write::InsertDocument(stored.clone())),
    )
    .await;
    let before = written(&store).await;
    let mixed = Mixed::new(parent);
    let mut clash = document(
        mixed.child.id,
        DocumentKind::Advice,
        START,
        Sharing::NotShared,
    );
    clash.file.key.clone_from(&stored.file.key);
    let result = store
        .commit(&mixed.changes().with(Write::InsertDocument(clash.clone())))
        .await;
    assert_conflict(result, "documents_file_key");

    mixed.assert_none_written(&store).await;
    let found = store
        .document(clash.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found, None);
    assert_eq!(written(&store).await, before);
}

/// A mixed unit whose last write removes something that is not there is
/// `NotFound`, and nothing of the unit is written.
pub async fn a_unit_refused_for_a_missing_record_writes_nothing(store: Arc<dyn Store>) {
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let before = written(&store).await;
    let mixed = Mixed::new(parent);
    let result = store
        .commit(
            &mixed
                .changes()
                .with(Write::DeleteContact(ContactId::from_uuid(Uuid::new_v4()))),
        )
        .await;
    assert_not_found(result);

    mixed.assert_none_written(&store).await;
    assert_eq!(written(&store).await, before);
}
