//! Messages about a child's case (MSG-1 to MSG-3): the council's message types,
//! threads and their messages (with attachments), who has read what, who holds
//! each thread, and whether someone wants notification emails.

use async_trait::async_trait;
use send_domain::{ChildId, Document, Message, MessageType, TeamId, Thread, ThreadId, UserId};
use time::OffsetDateTime;

use crate::{ChronologyEntry, Effects, StoreResult};

#[async_trait]
pub trait MessageStore: Send + Sync {
    /// Every message type, active or not, by name.
    async fn message_types(&self) -> StoreResult<Vec<MessageType>>;

    /// Adds or replaces a message type (by id). `Conflict { constraint:
    /// "message_types_name" }` if another type has the name.
    async fn save_message_type(
        &self,
        message_type: &MessageType,
        effects: &Effects,
    ) -> StoreResult<()>;

    /// Starts a thread with its first message, the documents attached to it, the
    /// chronology entry and the effects (audit, notification emails).
    async fn insert_thread(
        &self,
        thread: &Thread,
        first: &Message,
        attachments: &[Document],
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()>;

    /// Adds a message to a thread and writes the thread's new state
    /// (`last_message_at`, `waiting_since`, `participants`), with the attached
    /// documents and the effects. `NotFound` if the thread does not exist.
    async fn add_message(
        &self,
        thread: &Thread,
        message: &Message,
        attachments: &[Document],
        effects: &Effects,
    ) -> StoreResult<()>;

    async fn thread(&self, id: ThreadId) -> StoreResult<Option<Thread>>;

    /// A child's threads, most recent message first.
    async fn threads_of_child(&self, child: ChildId) -> StoreResult<Vec<Thread>>;

    /// The threads of a child that `account` is a participant in, most recent
    /// message first.
    async fn threads_with_participant(
        &self,
        child: ChildId,
        account: UserId,
    ) -> StoreResult<Vec<Thread>>;

    /// A thread's messages, oldest first.
    async fn messages(&self, thread: ThreadId) -> StoreResult<Vec<Message>>;

    /// Records that `account` has read `thread` up to `at` (never moves back).
    async fn mark_read(
        &self,
        thread: ThreadId,
        account: UserId,
        at: OffsetDateTime,
    ) -> StoreResult<()>;

    /// Up to when `account` has read `thread`; `None` if never opened.
    async fn read_up_to(
        &self,
        thread: ThreadId,
        account: UserId,
    ) -> StoreResult<Option<OffsetDateTime>>;

    /// Threads waiting for the council (a portal user spoke last), for children
    /// of `teams` (`None`: every team), longest waiting first, at most `limit`.
    async fn team_inbox(&self, teams: Option<&[TeamId]>, limit: u32) -> StoreResult<Vec<Thread>>;

    /// Gives a thread to a caseworker (or to nobody). `NotFound` if no thread.
    async fn assign_thread(
        &self,
        thread: ThreadId,
        to: Option<UserId>,
        effects: &Effects,
    ) -> StoreResult<()>;

    /// Gives every thread held by `from` to `to`; returns how many moved.
    async fn hand_over_threads(
        &self,
        from: UserId,
        to: UserId,
        effects: &Effects,
    ) -> StoreResult<u64>;

    /// Whether `account` wants an email when a message arrives (default yes).
    async fn wants_message_emails(&self, account: UserId) -> StoreResult<bool>;

    /// Turns notification emails on or off for `account`.
    async fn set_message_emails(
        &self,
        account: UserId,
        on: bool,
        effects: &Effects,
    ) -> StoreResult<()>;
}
