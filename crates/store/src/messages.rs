//! Messages about a child's case (MSG-1 to MSG-3): the council's message types,
//! threads and their messages (with attachments), who has read what, who holds
//! each thread, and whether someone wants notification emails.

use async_trait::async_trait;
use send_domain::{ChildId, Message, MessageType, TeamId, Thread, ThreadId, UserId};
use time::OffsetDateTime;

use crate::StoreResult;

/// What one reader needs to list a thread, counted by the database rather than
/// by loading its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadActivity {
    pub thread: ThreadId,
    /// Messages from others sent after the reader's read mark (all of them if
    /// the reader never opened the thread).
    pub unread: u64,
    /// When the last message from someone else was sent.
    pub last_received: Option<OffsetDateTime>,
    /// When the reader last sent a message in it.
    pub last_sent: Option<OffsetDateTime>,
}

impl ThreadActivity {
    /// A thread with no messages.
    pub const fn none(thread: ThreadId) -> Self {
        Self {
            thread,
            unread: 0,
            last_received: None,
            last_sent: None,
        }
    }

    /// Each of `threads` with its activity from `found` (a thread `found`
    /// lacks has no messages), in the threads' order.
    pub fn pair(
        threads: Vec<Thread>,
        found: impl IntoIterator<Item = Self>,
    ) -> Vec<(Thread, Self)> {
        let mut found: std::collections::HashMap<ThreadId, Self> =
            found.into_iter().map(|a| (a.thread, a)).collect();
        threads
            .into_iter()
            .map(|thread| {
                let activity = found
                    .remove(&thread.id)
                    .unwrap_or_else(|| Self::none(thread.id));
                (thread, activity)
            })
            .collect()
    }
}

#[async_trait]
pub trait MessageStore: Send + Sync {
    /// Every message type, active or not, by name.
    async fn message_types(&self) -> StoreResult<Vec<MessageType>>;

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

    /// The threads `account` holds (is assigned), most recent message first:
    /// what a member of staff leaving would hand over.
    async fn threads_held_by(&self, account: UserId) -> StoreResult<Vec<Thread>>;

    /// A thread's messages, oldest first.
    async fn messages(&self, thread: ThreadId) -> StoreResult<Vec<Message>>;

    /// How many messages `author` has sent since `since` (for sending limits).
    async fn messages_sent_since(&self, author: UserId, since: OffsetDateTime) -> StoreResult<u64>;

    /// Up to when `account` has read `thread`; `None` if never opened.
    async fn read_up_to(
        &self,
        thread: ThreadId,
        account: UserId,
    ) -> StoreResult<Option<OffsetDateTime>>;

    /// When `account` was last emailed that `thread` has new messages; `None`
    /// if never (notices of a burst of messages are grouped).
    async fn last_message_notice(
        &self,
        thread: ThreadId,
        account: UserId,
    ) -> StoreResult<Option<OffsetDateTime>>;

    /// For each of `threads` with a message, its [`ThreadActivity`] as
    /// `reader` sees it (in no particular order; a thread without messages is
    /// left out). One query, whatever the number of messages.
    async fn thread_activity(
        &self,
        reader: UserId,
        threads: &[ThreadId],
    ) -> StoreResult<Vec<ThreadActivity>>;

    /// A portal user's mailbox for one child: the threads of `child` that
    /// `reader` is a participant in, most recent message first, each with its
    /// [`ThreadActivity`] (unread, last received, last sent), in one read
    /// transaction, never loading the messages.
    async fn mailbox(
        &self,
        child: ChildId,
        reader: UserId,
    ) -> StoreResult<Vec<(Thread, ThreadActivity)>>;

    /// How many messages about `child` `account` has not read: in the threads
    /// they are a participant in, from others, sent after their read mark.
    /// One count, never the messages.
    async fn unread_messages(&self, child: ChildId, account: UserId) -> StoreResult<u64>;

    /// Threads waiting for the council (a portal user spoke last), for children
    /// of `teams` (`None`: every team), longest waiting first, at most `limit`.
    async fn team_inbox(&self, teams: Option<&[TeamId]>, limit: u32) -> StoreResult<Vec<Thread>>;

    /// Whether `account` wants an email when a message arrives (default yes).
    async fn wants_message_emails(&self, account: UserId) -> StoreResult<bool>;
}
