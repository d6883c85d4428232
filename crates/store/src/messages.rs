//! Messages about a child's case (MSG-1 to MSG-3): the council's message types,
//! threads and their messages (with attachments), who has read what, who holds
//! each thread, and whether someone wants notification emails.

use async_trait::async_trait;
use send_domain::{ChildId, Message, MessageType, TeamId, Thread, ThreadId, UserId};
use time::OffsetDateTime;

use crate::StoreResult;

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

    /// Threads waiting for the council (a portal user spoke last), for children
    /// of `teams` (`None`: every team), longest waiting first, at most `limit`.
    async fn team_inbox(&self, teams: Option<&[TeamId]>, limit: u32) -> StoreResult<Vec<Thread>>;

    /// Whether `account` wants an email when a message arrives (default yes).
    async fn wants_message_emails(&self, account: UserId) -> StoreResult<bool>;
}
