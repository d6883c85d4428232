//! Conformance cases for messages: the seeded message types, threads with their
//! messages, attachments and participants read back exactly, read marks, the
//! SEND team's inbox, assignment and email preferences. A refused write writes
//! nothing of what came with it (the documents attached, the chronology entry,
//! the audit events, the emails). Participants read back in the order of their
//! account ids as text, each once; attachments in the order given.

use std::sync::Arc;

use send_domain::{
    AuditAction, ChildId, DEFAULT_TEAM, Document, DocumentId, DocumentKind, Message, MessageBody,
    MessageId, MessageType, MessageTypeId, Sharing, TeamId, Thread, ThreadId, UserId,
};
use send_store::{
    Changes, ChronologyEntry, Effects, Store, THREAD_CHANGED, Team, ThreadActivity, Write,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::documents::{
    START, child, chronology, document, effects, entry, find, in_id_order, portal_account, short,
    staff,
};
use super::support::{
    assert_conflict, assert_not_found, commit, first_wins, ids_of, race, written,
};

/// The message types every installation starts with, by name.
const SEEDED: [(u128, &str); 4] = [
    (
        0x0000_0000_0000_4000_8000_0000_0000_0203,
        "Assessment question",
    ),
    (
        0x0000_0000_0000_4000_8000_0000_0000_0202,
        "Change of details",
    ),
    (0x0000_0000_0000_4000_8000_0000_0000_0204, "Complaint"),
    (0x0000_0000_0000_4000_8000_0000_0000_0201, "General enquiry"),
];

pub(super) fn general_enquiry() -> MessageTypeId {
    MessageTypeId::from_uuid(Uuid::from_u128(SEEDED[3].0))
}

fn body(text: &str) -> MessageBody {
    MessageBody::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// A thread of `child` started by `by` at `at` with `participants`, not yet
/// written; its first message comes from [`message`] and [`Thread::with_message`].
fn thread(child: ChildId, by: UserId, at: OffsetDateTime, participants: Vec<UserId>) -> Thread {
    Thread {
        id: ThreadId::from_uuid(Uuid::new_v4()),
        child_id: child,
        message_type: general_enquiry(),
        subject: short("Transport to school – “taxi” times"),
        started_by: by,
        started_at: at,
        participants,
        assigned_to: None,
        last_message_at: at,
        waiting_since: None,
        version: 1,
    }
}

fn message(
    thread: &Thread,
    author: UserId,
    from_council: bool,
    at: OffsetDateTime,
    attachments: &[&Document],
) -> Message {
    Message {
        id: MessageId::from_uuid(Uuid::new_v4()),
        thread_id: thread.id,
        author,
        from_council,
        body: body("Hello,\n\nCould you tell me when the taxi comes?\n\tThanks – Sam"),
        sent_at: at,
        attachments: attachments.iter().map(|d| d.id).collect(),
    }
}

/// A document attached to a message about `child`.
fn attachment(child: ChildId, at: OffsetDateTime) -> Document {
    document(child, DocumentKind::Attachment, at, Sharing::NotShared)
}

/// Starting `thread` with its first message, the documents attached to it, an
/// entry and effects.
fn new_thread(
    thread: &Thread,
    first: &Message,
    attachments: &[Document],
    entry: &ChronologyEntry,
    effects: &Effects,
) -> Changes {
    let mut changes = Changes::new().with(Write::InsertThread(thread.clone()));
    for document in attachments {
        changes.push(Write::InsertDocument(document.clone()));
    }
    changes
        .with(Write::InsertMessage(first.clone()))
        .with(Write::AddChronologyEntry(entry.clone()))
        .with_effects(effects.clone())
}

/// Adding `message` to a thread: the thread's new state, written over the
/// version it was read at (its `version`), the documents attached and effects.
fn new_message(
    thread: &Thread,
    message: &Message,
    attachments: &[Document],
    effects: &Effects,
) -> Changes {
    let mut changes = Changes::new().with(Write::UpdateThread {
        thread: thread.clone(),
        expected_version: thread.version,
    });
    for document in attachments {
        changes.push(Write::InsertDocument(document.clone()));
    }
    changes
        .with(Write::InsertMessage(message.clone()))
        .with_effects(effects.clone())
}

/// Giving a thread, as read, to `to` (or to nobody), with effects.
fn assign(thread: &Thread, to: Option<UserId>, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::UpdateThread {
            thread: Thread {
                assigned_to: to,
                ..thread.clone()
            },
            expected_version: thread.version,
        })
        .with_effects(effects.clone())
}

/// `thread` as an update leaves it: its version moved on by one.
fn next_version(thread: &Thread) -> Thread {
    Thread {
        version: thread.version + 1,
        ..thread.clone()
    }
}

/// Starts a thread with `first` (a portal user's, so the thread waits from it),
/// an entry and effects; returns the thread as stored and what came with it.
pub(super) async fn start(
    store: &Arc<dyn Store>,
    child: ChildId,
    by: UserId,
    at: OffsetDateTime,
    participants: Vec<UserId>,
) -> (Thread, Message, ChronologyEntry, Effects) {
    let fresh = thread(child, by, at, participants);
    let first = message(&fresh, by, false, at, &[]);
    let started = fresh.with_message(&first);
    let entry = entry(child, at, "message.sent");
    let effects = effects(at, AuditAction::MessageSent);
    commit(store, new_thread(&started, &first, &[], &entry, &effects)).await;
    (started, first, entry, effects)
}

async fn find_thread(store: &Arc<dyn Store>, id: ThreadId) -> Option<Thread> {
    store.thread(id).await.unwrap_or_else(|e| panic!("{e}"))
}

async fn messages_of(store: &Arc<dyn Store>, id: ThreadId) -> Vec<Message> {
    store.messages(id).await.unwrap_or_else(|e| panic!("{e}"))
}

fn ids(threads: Vec<Thread>) -> Vec<ThreadId> {
    threads.into_iter().map(|t| t.id).collect()
}

async fn with_participant(
    store: &Arc<dyn Store>,
    child: ChildId,
    account: UserId,
) -> Vec<ThreadId> {
    ids(store
        .threads_with_participant(child, account)
        .await
        .unwrap_or_else(|e| panic!("{e}")))
}

async fn inbox(store: &Arc<dyn Store>, teams: Option<&[TeamId]>, limit: u32) -> Vec<ThreadId> {
    ids(store
        .team_inbox(teams, limit)
        .await
        .unwrap_or_else(|e| panic!("{e}")))
}

async fn read_mark(
    store: &Arc<dyn Store>,
    thread: ThreadId,
    account: UserId,
) -> Option<OffsetDateTime> {
    store
        .read_up_to(thread, account)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn mark(store: &Arc<dyn Store>, thread: ThreadId, account: UserId, at: OffsetDateTime) {
    commit(
        store,
        Changes::new().with(Write::MarkRead {
            thread,
            account,
            at,
        }),
    )
    .await;
}

/// Adding or changing a message type, with effects.
fn save_type(message_type: &MessageType, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::SaveMessageType(message_type.clone()))
        .with_effects(effects.clone())
}

/// Every installation starts with four active types, listed by name.
pub async fn the_four_message_types_are_seeded(store: Arc<dyn Store>) {
    let types = store
        .message_types()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let expected: Vec<MessageType> = SEEDED
        .iter()
        .map(|(id, name)| MessageType {
            id: MessageTypeId::from_uuid(Uuid::from_u128(*id)),
            name: short(name),
            active: true,
        })
        .collect();
    assert_eq!(types, expected);
}

/// A type is added, renamed and retired by id, with its effects; a name another
/// type has is a conflict on `message_types_name` and writes nothing.
pub async fn a_taken_message_type_name_is_a_conflict_and_writes_nothing(store: Arc<dyn Store>) {
    let transport = MessageType {
        id: MessageTypeId::from_uuid(Uuid::new_v4()),
        name: short("Transport"),
        active: true,
    };
    let added = effects(START, AuditAction::MessageSent);
    commit(&store, save_type(&transport, &added)).await;
    let retired = MessageType {
        name: short("School transport"),
        active: false,
        ..transport.clone()
    };
    let changed = effects(START + Duration::hours(1), AuditAction::MessageSent);
    commit(&store, save_type(&retired, &changed)).await;
    let types = store
        .message_types()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(types.len(), 5);
    assert_eq!(types.get(4), Some(&retired), "by name, retired kept");

    let at = START + Duration::hours(2);
    let copy = MessageType {
        id: MessageTypeId::from_uuid(Uuid::new_v4()),
        name: short("Complaint"),
        active: true,
    };
    assert_conflict(
        store
            .commit(&save_type(&copy, &effects(at, AuditAction::MessageSent)))
            .await,
        "message_types_name",
    );
    let renamed = MessageType {
        name: short("General enquiry"),
        ..retired.clone()
    };
    assert_conflict(
        store
            .commit(&save_type(&renamed, &effects(at, AuditAction::MessageSent)))
            .await,
        "message_types_name",
    );
    let after = store
        .message_types()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after, types);
    assert_eq!(written(&store).await, ids_of(&[&added, &changed]));
}

/// A thread is started with its first message, its attachments (stored as the
/// child's documents), participants, entry and effects; replies add messages,
/// their attachments and the thread's new state. Everything reads back exactly:
/// the thread, its messages oldest first, each message's attachments in the
/// order given.
#[expect(
    clippy::too_many_lines,
    reason = "one conversation, read from top to bottom"
)]
pub async fn a_thread_round_trips_with_its_messages_and_attachments(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let carer = portal_account(&store, "alex.carer@example.org").await;
    let caseworker = staff();

    let fresh = thread(child.id, parent, START, vec![parent]);
    let letter = attachment(child.id, START);
    let first = message(&fresh, parent, false, START, &[&letter]);
    let started = Thread {
        assigned_to: Some(caseworker),
        ..fresh.with_message(&first)
    };
    let start_entry = entry(child.id, START, "message.sent");
    let start_effects = effects(START, AuditAction::MessageSent);
    commit(
        &store,
        new_thread(
            &started,
            &first,
            std::slice::from_ref(&letter),
            &start_entry,
            &start_effects,
        ),
    )
    .await;
    assert_eq!(
        find_thread(&store, started.id).await.as_ref(),
        Some(&started)
    );
    assert_eq!(messages_of(&store, started.id).await, vec![first.clone()]);
    assert_eq!(find(&store, letter.id).await.as_ref(), Some(&letter));

    // The council answers with two attachments, and the carer joins.
    let at = START + Duration::hours(2);
    let (advice, plan) = (
        attachment(child.id, at),
        document(
            child.id,
            DocumentKind::Attachment,
            at,
            Sharing::Named(vec![carer, parent]),
        ),
    );
    let reply = message(&started, caseworker, true, at, &[&plan, &advice]);
    let answered = Thread {
        participants: vec![carer, parent],
        ..started.with_message(&reply)
    };
    assert_eq!(answered.waiting_since, None);
    let reply_effects = effects(at, AuditAction::MessageSent);
    commit(
        &store,
        new_message(
            &answered,
            &reply,
            &[advice.clone(), plan.clone()],
            &reply_effects,
        ),
    )
    .await;

    let answered_back = Thread {
        participants: in_id_order(vec![carer, parent]),
        ..next_version(&answered)
    };
    assert_eq!(answered_back.version, 2);
    assert_eq!(
        find_thread(&store, started.id).await.as_ref(),
        Some(&answered_back)
    );

    // The parent writes again, and the carer leaves.
    let again_at = at + Duration::minutes(30);
    let again = message(&answered, parent, false, again_at, &[]);
    let waiting = Thread {
        participants: vec![parent],
        ..answered_back.with_message(&again)
    };
    assert_eq!(waiting.waiting_since, Some(again_at));
    let again_effects = effects(again_at, AuditAction::MessageSent);
    commit(&store, new_message(&waiting, &again, &[], &again_effects)).await;
    let waiting = next_version(&waiting);

    assert_eq!(
        find_thread(&store, started.id).await.as_ref(),
        Some(&waiting),
        "version 3"
    );
    let stored = messages_of(&store, started.id).await;
    assert_eq!(stored, vec![first, reply.clone(), again], "oldest first");
    assert_eq!(stored[1].attachments, vec![plan.id, advice.id], "as given");
    let plan_back = Document {
        sharing: Sharing::Named(in_id_order(vec![carer, parent])),
        ..plan.clone()
    };
    assert_eq!(find(&store, advice.id).await.as_ref(), Some(&advice));
    assert_eq!(find(&store, plan.id).await.as_ref(), Some(&plan_back));
    let documents: Vec<DocumentId> = store
        .documents_of_child(child.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(documents.len(), 3);
    assert!(documents.contains(&letter.id) && documents.contains(&plan.id));
    assert_eq!(
        store
            .threads_of_child(child.id)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        vec![waiting.clone()]
    );

    assert!(chronology(&store, child.id).await.contains(&start_entry.id));
    assert_eq!(chronology(&store, child.id).await.len(), 2, "child, thread");
    assert_eq!(
        written(&store).await,
        ids_of(&[&start_effects, &reply_effects, &again_effects])
    );

    // The participants written are those given, whatever was stored.
    let rejoined = Thread {
        participants: vec![carer, parent, carer],
        version: waiting.version,
        ..answered_back.clone()
    };
    let last = message(
        &rejoined,
        caseworker,
        true,
        again_at + Duration::hours(1),
        &[],
    );
    let last_thread = rejoined.with_message(&last);
    commit(
        &store,
        new_message(&last_thread, &last, &[], &Effects::default()),
    )
    .await;
    assert_eq!(
        find_thread(&store, started.id)
            .await
            .map(|t| t.participants),
        Some(in_id_order(vec![carer, parent]))
    );
}

/// A message to a thread that was never stored is `NotFound`, and nothing of it
/// is written: not the message, its documents, its audit event or its email.
pub async fn a_message_to_a_missing_thread_is_not_found_and_writes_nothing(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let (stored, _, _, stored_effects) = start(&store, child.id, parent, START, vec![parent]).await;
    let before = chronology(&store, child.id).await;

    let missing = thread(child.id, parent, START, vec![parent]);
    let at = START + Duration::hours(1);
    let doc = attachment(child.id, at);
    let lost = message(&missing, parent, false, at, &[&doc]);
    assert_not_found(
        store
            .commit(&new_message(
                &missing.with_message(&lost),
                &lost,
                std::slice::from_ref(&doc),
                &effects(at, AuditAction::MessageSent),
            ))
            .await,
    );
    assert_eq!(find_thread(&store, missing.id).await, None);
    assert_eq!(messages_of(&store, missing.id).await, Vec::new());
    assert_eq!(find(&store, doc.id).await, None);
    assert_eq!(
        store
            .documents_of_child(child.id)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        Vec::new()
    );
    assert_eq!(chronology(&store, child.id).await, before);
    assert_eq!(messages_of(&store, stored.id).await.len(), 1);
    assert_eq!(written(&store).await, ids_of(&[&stored_effects]));
}

/// `last_message_at` and `waiting_since` are written as given, not worked out
/// by the store; a thread the council starts does not wait.
pub async fn waiting_and_last_message_times_are_written_as_given(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let caseworker = staff();

    let fresh = thread(child.id, caseworker, START, vec![parent]);
    let first = message(&fresh, caseworker, true, START, &[]);
    let started = fresh.with_message(&first);
    assert_eq!(started.waiting_since, None);
    commit(
        &store,
        new_thread(
            &started,
            &first,
            &[],
            &entry(child.id, START, "message.sent"),
            &Effects::default(),
        ),
    )
    .await;
    assert_eq!(
        find_thread(&store, started.id).await.as_ref(),
        Some(&started)
    );

    let at = START + Duration::days(1);
    let late = message(&started, parent, false, at, &[]);
    let odd = Thread {
        last_message_at: START + Duration::days(7),
        waiting_since: Some(START - Duration::days(3)),
        ..started.clone()
    };
    commit(&store, new_message(&odd, &late, &[], &Effects::default())).await;
    let odd = next_version(&odd);
    assert_eq!(find_thread(&store, started.id).await.as_ref(), Some(&odd));
    assert_eq!(inbox(&store, None, 10).await, vec![started.id]);

    let answer = message(&odd, caseworker, true, at + Duration::hours(1), &[]);
    let answered = odd.with_message(&answer);
    commit(
        &store,
        new_message(&answered, &answer, &[], &Effects::default()),
    )
    .await;
    assert_eq!(
        find_thread(&store, started.id).await,
        Some(next_version(&answered))
    );
    assert_eq!(inbox(&store, None, 10).await, Vec::new());
}

/// A child's threads, and those a person is in, most recent message first;
/// never another child's, never those the person is not in.
pub async fn threads_are_listed_by_child_and_by_participant(store: Arc<dyn Store>) {
    let child_a = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let child_b = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let carer = portal_account(&store, "alex.carer@example.org").await;

    let (oldest, ..) = start(&store, child_a.id, parent, START, vec![parent]).await;
    let (both, ..) = start(
        &store,
        child_a.id,
        carer,
        START + Duration::hours(2),
        vec![parent, carer],
    )
    .await;
    let (carers, ..) = start(
        &store,
        child_a.id,
        carer,
        START + Duration::hours(1),
        vec![carer],
    )
    .await;
    let (elsewhere, ..) = start(
        &store,
        child_b.id,
        parent,
        START + Duration::hours(3),
        vec![parent],
    )
    .await;

    let of_child = store
        .threads_of_child(child_a.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids(of_child), vec![both.id, carers.id, oldest.id]);
    assert_eq!(
        with_participant(&store, child_a.id, parent).await,
        vec![both.id, oldest.id]
    );
    assert_eq!(
        with_participant(&store, child_a.id, carer).await,
        vec![both.id, carers.id]
    );
    assert_eq!(
        with_participant(&store, child_b.id, parent).await,
        vec![elsewhere.id]
    );
    assert_eq!(
        with_participant(&store, child_b.id, carer).await,
        Vec::new()
    );
    let full = store
        .threads_with_participant(child_a.id, carer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let both_back = Thread {
        participants: in_id_order(vec![parent, carer]),
        ..both.clone()
    };
    assert_eq!(full, vec![both_back, carers.clone()], "every field");

    // The parent leaves the shared thread; a new message moves the oldest up.
    let at = START + Duration::hours(5);
    let note = message(&oldest, parent, false, at, &[]);
    let moved = oldest.with_message(&note);
    commit(&store, new_message(&moved, &note, &[], &Effects::default())).await;
    let reply = message(&both, carer, false, at - Duration::hours(1), &[]);
    let left = Thread {
        participants: vec![carer],
        ..both.with_message(&reply)
    };
    commit(&store, new_message(&left, &reply, &[], &Effects::default())).await;
    assert_eq!(
        with_participant(&store, child_a.id, parent).await,
        vec![oldest.id]
    );
    assert_eq!(
        with_participant(&store, child_a.id, carer).await,
        vec![both.id, carers.id]
    );
    assert_eq!(
        ids(store
            .threads_of_child(child_a.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))),
        vec![oldest.id, both.id, carers.id]
    );
}

/// A read mark only moves forward, per person and thread; `None` until the
/// person opens the thread.
pub async fn a_read_mark_never_moves_back(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let carer = portal_account(&store, "alex.carer@example.org").await;
    let (first, ..) = start(&store, child.id, parent, START, vec![parent, carer]).await;
    let (second, ..) = start(&store, child.id, parent, START, vec![parent]).await;

    assert_eq!(read_mark(&store, first.id, parent).await, None);
    let t = |minutes| START + Duration::minutes(minutes);
    mark(&store, first.id, parent, t(10)).await;
    assert_eq!(read_mark(&store, first.id, parent).await, Some(t(10)));
    mark(&store, first.id, parent, t(5)).await;
    assert_eq!(read_mark(&store, first.id, parent).await, Some(t(10)));
    mark(&store, first.id, parent, t(10)).await;
    assert_eq!(read_mark(&store, first.id, parent).await, Some(t(10)));
    mark(&store, first.id, parent, t(20)).await;
    assert_eq!(read_mark(&store, first.id, parent).await, Some(t(20)));

    assert_eq!(read_mark(&store, first.id, carer).await, None);
    assert_eq!(read_mark(&store, second.id, parent).await, None);
    mark(&store, second.id, parent, t(1)).await;
    assert_eq!(read_mark(&store, second.id, parent).await, Some(t(1)));
    assert_eq!(read_mark(&store, first.id, parent).await, Some(t(20)));
}

async fn last_notice(
    store: &Arc<dyn Store>,
    thread: ThreadId,
    account: UserId,
) -> Option<OffsetDateTime> {
    store
        .last_message_notice(thread, account)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// When a person was last emailed about a thread's new messages: `None` until
/// the first notice, then the latest recorded, per person and thread.
pub async fn the_last_message_notice_is_kept_per_person_and_thread(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let carer = portal_account(&store, "alex.carer@example.org").await;
    let (first, ..) = start(&store, child.id, parent, START, vec![parent, carer]).await;
    let (second, ..) = start(&store, child.id, parent, START, vec![parent]).await;
    let t = |minutes| START + Duration::minutes(minutes);
    let notice = |thread, account, at| Write::RecordMessageNotice {
        thread,
        account,
        at,
    };

    assert_eq!(last_notice(&store, first.id, parent).await, None);
    commit(&store, Changes::new().with(notice(first.id, parent, t(1)))).await;
    assert_eq!(last_notice(&store, first.id, parent).await, Some(t(1)));
    commit(&store, Changes::new().with(notice(first.id, parent, t(20)))).await;
    assert_eq!(last_notice(&store, first.id, parent).await, Some(t(20)));

    assert_eq!(last_notice(&store, first.id, carer).await, None);
    assert_eq!(last_notice(&store, second.id, parent).await, None);
    commit(&store, Changes::new().with(notice(second.id, carer, t(3)))).await;
    assert_eq!(last_notice(&store, second.id, carer).await, Some(t(3)));
    assert_eq!(last_notice(&store, first.id, parent).await, Some(t(20)));
}

/// The inbox holds the threads waiting for the council, for children of the
/// teams asked (every team with `None`, none with an empty list), longest
/// waiting first, within the limit.
pub async fn the_team_inbox_is_filtered_by_team_and_longest_waiting_first(store: Arc<dyn Store>) {
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
    let home = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let northern = child(&store, "Tomasz", north.id).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;

    let (home_late, ..) = start(&store, home.id, parent, START + Duration::hours(3), vec![]).await;
    let (north_first, ..) = start(
        &store,
        northern.id,
        parent,
        START + Duration::hours(1),
        vec![parent],
    )
    .await;
    let (home_early, ..) = start(
        &store,
        home.id,
        parent,
        START + Duration::hours(2),
        vec![parent],
    )
    .await;
    let (answered, ..) = start(&store, home.id, parent, START, vec![parent]).await;
    let answer = message(&answered, staff(), true, START + Duration::hours(4), &[]);
    commit(
        &store,
        new_message(
            &answered.with_message(&answer),
            &answer,
            &[],
            &Effects::default(),
        ),
    )
    .await;

    assert_eq!(
        inbox(&store, None, 10).await,
        vec![north_first.id, home_early.id, home_late.id]
    );
    assert_eq!(
        inbox(&store, Some(&[DEFAULT_TEAM.0]), 10).await,
        vec![home_early.id, home_late.id]
    );
    assert_eq!(
        inbox(&store, Some(&[north.id]), 10).await,
        vec![north_first.id]
    );
    assert_eq!(
        inbox(&store, Some(&[north.id, DEFAULT_TEAM.0]), 2).await,
        vec![north_first.id, home_early.id]
    );
    assert_eq!(inbox(&store, Some(&[]), 10).await, Vec::new());
    let full = store
        .team_inbox(Some(&[north.id]), 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(full, vec![north_first], "every field");
}

/// Giving every thread `from` holds to `to`, with effects.
fn hand_over(from: UserId, to: UserId, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::HandOverThreads { from, to })
        .with_effects(effects.clone())
}

/// Turning someone's message emails on or off, with effects.
fn message_emails(account: UserId, on: bool, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::SetMessageEmails { account, on })
        .with_effects(effects.clone())
}

/// A thread is given to a caseworker or to nobody, with its effects; a missing
/// thread is `NotFound` and writes nothing. Handing over moves every thread one
/// person holds, and only those, and says how many.
pub async fn threads_are_assigned_and_handed_over(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let (leaving, staying, taking) = (staff(), staff(), staff());
    let mut threads = Vec::new();
    let mut all_effects = Vec::new();
    for hours in 0..4 {
        let (thread, _, _, fx) = start(
            &store,
            child.id,
            parent,
            START + Duration::hours(hours),
            vec![parent],
        )
        .await;
        threads.push(thread);
        all_effects.push(fx);
    }
    for (thread, holder) in threads.iter().zip([leaving, leaving, staying]) {
        let fx = effects(START + Duration::days(1), AuditAction::ThreadAssigned);
        commit(&store, assign(thread, Some(holder), &fx)).await;
        all_effects.push(fx);
    }
    let holder = |id: ThreadId| {
        let store = store.clone();
        async move { find_thread(&store, id).await.and_then(|t| t.assigned_to) }
    };
    assert_eq!(holder(threads[0].id).await, Some(leaving));
    assert_eq!(holder(threads[2].id).await, Some(staying));
    assert_eq!(holder(threads[3].id).await, None);
    let held = |account: UserId| {
        let store = store.clone();
        async move {
            ids(store
                .threads_held_by(account)
                .await
                .unwrap_or_else(|e| panic!("{e}")))
        }
    };
    assert_eq!(
        held(leaving).await,
        vec![threads[1].id, threads[0].id],
        "most recent message first"
    );
    assert_eq!(held(staying).await, vec![threads[2].id]);

    let fx = effects(START + Duration::days(2), AuditAction::ThreadAssigned);
    let moved = commit(&store, hand_over(leaving, taking, &fx)).await;
    all_effects.push(fx);
    assert_eq!(moved.rows, vec![2], "two threads moved");
    assert_eq!(holder(threads[0].id).await, Some(taking));
    assert_eq!(holder(threads[1].id).await, Some(taking));
    assert_eq!(holder(threads[2].id).await, Some(staying));
    assert_eq!(holder(threads[3].id).await, None);
    let none = commit(&store, hand_over(leaving, taking, &Effects::default())).await;
    assert_eq!(none.rows, vec![0]);
    assert_eq!(held(leaving).await, Vec::new(), "nothing left to hand over");
    assert_eq!(held(taking).await.len(), 2);

    let fx = effects(START + Duration::days(3), AuditAction::ThreadAssigned);
    let read = find_thread(&store, threads[2].id)
        .await
        .unwrap_or_else(|| panic!("the thread was started"));
    commit(&store, assign(&read, None, &fx)).await;
    all_effects.push(fx);
    assert_eq!(holder(threads[2].id).await, None);

    assert_not_found(
        store
            .commit(&assign(
                &thread(child.id, parent, START, vec![parent]),
                Some(taking),
                &effects(START + Duration::days(4), AuditAction::ThreadAssigned),
            ))
            .await,
    );
    let refs: Vec<&Effects> = all_effects.iter().collect();
    assert_eq!(written(&store).await, ids_of(&refs));
}

/// Someone wants message emails until they turn them off, and can turn them
/// back on; each change is written with its effects.
pub async fn message_emails_are_on_until_turned_off(store: Arc<dyn Store>) {
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let carer = portal_account(&store, "alex.carer@example.org").await;
    let wants = |account: UserId| {
        let store = store.clone();
        async move {
            store
                .wants_message_emails(account)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    assert!(wants(parent).await);
    let off = effects(START, AuditAction::MessageEmailsChanged);
    commit(&store, message_emails(parent, false, &off)).await;
    assert!(!wants(parent).await);
    assert!(wants(carer).await);
    let on = effects(
        START + Duration::hours(1),
        AuditAction::MessageEmailsChanged,
    );
    commit(&store, message_emails(parent, true, &on)).await;
    assert!(wants(parent).await);
    assert_eq!(written(&store).await, ids_of(&[&off, &on]));
}

/// Two caseworkers answer the same thread from the version they both read:
/// exactly one answer is written (the thread's new state, the message, its
/// attachment, its effects) and the version moves on by one; the other is a
/// conflict on `THREAD_CHANGED` and writes nothing. A change to a thread that
/// was never started is `NotFound`.
pub async fn two_answers_to_one_thread_version_write_one(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let (started, first, _, start_effects) =
        start(&store, child.id, parent, START, vec![parent]).await;
    let read = find_thread(&store, started.id)
        .await
        .unwrap_or_else(|| panic!("the thread was started"));
    assert_eq!(read.version, 1, "a new record reads back 1");

    let at = START + Duration::hours(1);
    let answer = |by: UserId| {
        let doc = attachment(child.id, at);
        let text = message(&read, by, true, at, &[&doc]);
        let answered = Thread {
            assigned_to: Some(by),
            ..read.with_message(&text)
        };
        let fx = effects(at, AuditAction::MessageSent);
        let changes = new_message(&answered, &text, std::slice::from_ref(&doc), &fx);
        (answered, text, doc, fx, changes)
    };
    let priya = answer(staff());
    let sam = answer(staff());
    let results = race(&store, &priya.4, &sam.4).await;
    let (winner, loser) = if first_wins(results, THREAD_CHANGED) {
        (priya, sam)
    } else {
        (sam, priya)
    };

    assert_eq!(
        find_thread(&store, started.id).await,
        Some(next_version(&winner.0)),
        "the winner's, version 2"
    );
    assert_eq!(
        messages_of(&store, started.id).await,
        vec![first, winner.1.clone()]
    );
    assert_eq!(find(&store, winner.2.id).await.as_ref(), Some(&winner.2));
    assert_eq!(
        find(&store, loser.2.id).await,
        None,
        "no loser's attachment"
    );
    assert_eq!(written(&store).await, ids_of(&[&start_effects, &winner.3]));

    let missing = thread(child.id, parent, START, vec![parent]);
    assert_not_found(
        store
            .commit(&assign(
                &missing,
                Some(staff()),
                &effects(at, AuditAction::ThreadAssigned),
            ))
            .await,
    );
    assert_eq!(find_thread(&store, missing.id).await, None);
    assert_eq!(written(&store).await, ids_of(&[&start_effects, &winner.3]));
}

/// Handing over moves each thread it gives to someone else one version on, and
/// leaves the others alone; a change read before the hand-over is then a
/// conflict on `THREAD_CHANGED` and writes nothing.
pub async fn handing_over_moves_each_threads_version_on(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let (leaving, staying, taking) = (staff(), staff(), staff());
    let mut threads = Vec::new();
    for hours in 0..4 {
        let (thread, ..) = start(
            &store,
            child.id,
            parent,
            START + Duration::hours(hours),
            vec![parent],
        )
        .await;
        threads.push(thread);
    }
    let at = START + Duration::days(1);
    for (thread, holder) in threads.iter().zip([leaving, leaving, staying]) {
        commit(&store, assign(thread, Some(holder), &Effects::default())).await;
    }
    // One of the leaver's threads has been answered too: version 3.
    let answered = next_version(&Thread {
        assigned_to: Some(leaving),
        ..threads[1].clone()
    });
    let answer = message(&answered, leaving, true, at, &[]);
    commit(
        &store,
        new_message(
            &answered.with_message(&answer),
            &answer,
            &[],
            &Effects::default(),
        ),
    )
    .await;
    let version = |id: ThreadId| {
        let store = store.clone();
        async move { find_thread(&store, id).await.map(|t| t.version) }
    };
    let before = [
        version(threads[0].id).await,
        version(threads[1].id).await,
        version(threads[2].id).await,
        version(threads[3].id).await,
    ];
    assert_eq!(before, [Some(2), Some(3), Some(2), Some(1)]);
    let stale = find_thread(&store, threads[0].id)
        .await
        .unwrap_or_else(|| panic!("the thread was started"));

    let moved = commit(&store, hand_over(leaving, taking, &Effects::default())).await;
    assert_eq!(moved.rows, vec![2]);
    let after = [
        version(threads[0].id).await,
        version(threads[1].id).await,
        version(threads[2].id).await,
        version(threads[3].id).await,
    ];
    assert_eq!(
        after,
        [Some(3), Some(4), Some(2), Some(1)],
        "the two handed over moved on by one, the others kept theirs"
    );

    let before_written = written(&store).await;
    let fx = effects(at, AuditAction::ThreadAssigned);
    assert_conflict(
        store.commit(&assign(&stale, Some(staying), &fx)).await,
        THREAD_CHANGED,
    );
    let held = find_thread(&store, threads[0].id)
        .await
        .and_then(|t| t.assigned_to);
    assert_eq!(held, Some(taking), "the stale change was not written");
    assert_eq!(written(&store).await, before_written);
}

/// The messages one person sent from a time on are counted (for sending
/// limits): others' messages and earlier ones are not.
pub async fn messages_sent_since_counts_one_authors_recent_messages(store: Arc<dyn Store>) {
    let child = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let carer = portal_account(&store, "alex.carer@example.org").await;
    let t = |minutes| START + Duration::minutes(minutes);
    let (thread, ..) = start(&store, child.id, parent, t(0), vec![parent, carer]).await;
    let mut current = thread;
    for (author, at) in [(parent, t(5)), (carer, t(6)), (parent, t(7))] {
        let reply = message(&current, author, false, at, &[]);
        let next = current.with_message(&reply);
        commit(
            &store,
            new_message(
                &Thread {
                    version: current.version,
                    ..next.clone()
                },
                &reply,
                &[],
                &Effects::default(),
            ),
        )
        .await;
        current = Thread {
            version: current.version + 1,
            ..next
        };
    }
    let count = |who, from| {
        let store = store.clone();
        async move { super::support::ok(store.messages_sent_since(who, from).await) }
    };
    assert_eq!(count(parent, t(0)).await, 3);
    assert_eq!(
        count(parent, t(5)).await,
        2,
        "from the time given, inclusive"
    );
    assert_eq!(count(parent, t(8)).await, 0);
    assert_eq!(count(carer, t(0)).await, 1);
}

/// Adds a message from `author` at `at` to `thread` (as stored), returning the
/// thread as stored after it.
pub(super) async fn say(
    store: &Arc<dyn Store>,
    thread: &Thread,
    author: UserId,
    from_council: bool,
    at: OffsetDateTime,
) -> Thread {
    let said = message(thread, author, from_council, at, &[]);
    let moved = thread.with_message(&said);
    commit(store, new_message(&moved, &said, &[], &Effects::default())).await;
    next_version(&moved)
}

async fn activity(
    store: &Arc<dyn Store>,
    reader: UserId,
    threads: &[ThreadId],
) -> Vec<ThreadActivity> {
    let mut found = store
        .thread_activity(reader, threads)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    found.sort_by_key(|a| a.thread.to_string());
    found
}

async fn unread(store: &Arc<dyn Store>, child: ChildId, account: UserId) -> u64 {
    store
        .unread_messages(child, account)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Unread messages are counted by the store: messages from others sent after
/// the reader's read mark (all of them before the first opening, none at the
/// mark itself), about one child, in the threads the reader is in; each
/// thread's count with the last message to and from the reader; and the
/// mailbox, the reader's threads with theirs.
pub async fn unread_messages_are_counted_after_the_read_mark(store: Arc<dyn Store>) {
    let amira = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let tomasz = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let carer = portal_account(&store, "alex.carer@example.org").await;
    let worker = portal_account(&store, "kim.worker@example.org").await;
    let t = |minutes| START + Duration::minutes(minutes);

    let (one, ..) = start(&store, amira.id, parent, t(0), vec![parent, carer]).await;
    let one = say(&store, &one, worker, true, t(10)).await;
    let one = say(&store, &one, worker, true, t(20)).await;
    say(&store, &one, carer, false, t(30)).await;
    // A thread the parent is not in, and one about another child.
    let (two, ..) = start(&store, amira.id, carer, t(5), vec![carer]).await;
    let (other, ..) = start(&store, tomasz.id, carer, t(6), vec![parent, carer]).await;

    assert_eq!(unread(&store, amira.id, parent).await, 3, "never opened");
    assert_eq!(
        unread(&store, amira.id, carer).await,
        3,
        "their own not counted"
    );
    assert_eq!(unread(&store, tomasz.id, parent).await, 1);
    assert_eq!(
        unread(&store, tomasz.id, worker).await,
        0,
        "not a participant"
    );

    mark(&store, one.id, parent, t(20)).await;
    assert_eq!(
        unread(&store, amira.id, parent).await,
        1,
        "only what came after the mark"
    );
    mark(&store, one.id, parent, t(30)).await;
    assert_eq!(unread(&store, amira.id, parent).await, 0);
    assert_eq!(unread(&store, tomasz.id, parent).await, 1, "per child");

    mark(&store, one.id, carer, t(10)).await;
    let mut expected = vec![
        ThreadActivity {
            thread: one.id,
            unread: 1,
            last_received: Some(t(20)),
            last_sent: Some(t(30)),
        },
        ThreadActivity {
            thread: two.id,
            unread: 0,
            last_received: None,
            last_sent: Some(t(5)),
        },
    ];
    expected.sort_by_key(|a| a.thread.to_string());
    assert_eq!(activity(&store, carer, &[one.id, two.id]).await, expected);
    assert_eq!(
        activity(&store, worker, &[one.id]).await,
        vec![ThreadActivity {
            thread: one.id,
            unread: 2,
            last_received: Some(t(30)),
            last_sent: Some(t(20)),
        }],
        "anyone's activity in a thread, asked by id"
    );
    assert_eq!(
        activity(&store, parent, &[other.id]).await,
        vec![ThreadActivity {
            thread: other.id,
            unread: 1,
            last_received: Some(t(6)),
            last_sent: None,
        }]
    );
    assert_eq!(activity(&store, parent, &[]).await, Vec::new());

    // The mailbox is the threads the reader is in, each with its activity.
    let mailbox = store
        .mailbox(amira.id, carer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let threads = store
        .threads_with_participant(amira.id, carer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mailbox.len(), 2);
    assert_eq!(
        mailbox.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(),
        threads
    );
    for (thread, found) in &mailbox {
        assert_eq!(vec![*found], activity(&store, carer, &[thread.id]).await);
    }
    assert_eq!(
        store
            .mailbox(amira.id, worker)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        Vec::new(),
        "not a participant"
    );
}
