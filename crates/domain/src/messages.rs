//! Messages about a child's case (MSG-1 to MSG-3): threads between portal users
//! and the SEND team, each with a type the council configures, a subject and
//! messages; who has read what; and who in the team holds the thread.

use time::OffsetDateTime;

use crate::accounts::ShortText;
use crate::ids::{ChildId, DocumentId, MessageId, MessageTypeId, ThreadId, UserId};

/// A kind of message the council accepts, shown in the Message Type drop-down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageType {
    pub id: MessageTypeId,
    pub name: ShortText,
    /// Retired types stay on old threads but are not offered for new ones.
    pub active: bool,
}

impl MessageType {
    /// The built-in "Complaint" type, which every installation starts with
    /// under the same id (migration 0009): the SEND team's lists make its
    /// conversations stand out, whatever the council has renamed it to.
    pub const COMPLAINT: MessageTypeId = MessageTypeId::from_uuid(uuid::Uuid::from_u128(
        0x0000_0000_0000_4000_8000_0000_0000_0204,
    ));
}

/// The text of a message: trimmed, not empty, at most [`MessageBody::MAX_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageBody(String);

/// Why a message's text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MessageBodyError {
    #[error("Enter your message")]
    Empty,
    #[error("Your message must be 5,000 characters or fewer")]
    TooLong,
}

impl MessageBody {
    pub const MAX_CHARS: usize = 5000;

    pub fn parse(input: &str) -> Result<Self, MessageBodyError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(MessageBodyError::Empty);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(MessageBodyError::TooLong);
        }
        // Line breaks are kept; other control characters are not.
        let clean: String = trimmed
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        Ok(Self(clean.replace("\r\n", "\n")))
    }

    /// Text read back from storage, already checked when it was written.
    pub fn from_stored(text: String) -> Self {
        Self(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A conversation about one child's case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub id: ThreadId,
    pub child_id: ChildId,
    pub message_type: MessageTypeId,
    pub subject: ShortText,
    /// Who started it: a portal user, or a member of staff.
    pub started_by: UserId,
    pub started_at: OffsetDateTime,
    /// The portal users in the conversation. A portal user sees a thread only if
    /// they are in it (and their link to the child is active).
    pub participants: Vec<UserId>,
    /// The caseworker who holds the thread, if anyone does.
    pub assigned_to: Option<UserId>,
    pub last_message_at: OffsetDateTime,
    /// When the oldest message from a portal user that the council has not yet
    /// answered was sent; `None` when the council spoke last.
    pub waiting_since: Option<OffsetDateTime>,
    /// How many times the conversation has been written (1 when started): a
    /// reply or a change of holder names the version it read, so two people never
    /// answer or take it without seeing each other's change.
    pub version: u32,
}

impl Thread {
    /// Whether it is of the built-in "Complaint" type.
    pub fn is_complaint(&self) -> bool {
        self.message_type == MessageType::COMPLAINT
    }
}

/// One message in a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: MessageId,
    pub thread_id: ThreadId,
    pub author: UserId,
    /// Whether a member of staff wrote it (for the portal, "the SEND team").
    pub from_council: bool,
    pub body: MessageBody,
    pub sent_at: OffsetDateTime,
    /// Documents attached to it (stored as documents of the child).
    pub attachments: Vec<DocumentId>,
}

impl Thread {
    /// The thread after `message` is added: the council answering clears the
    /// wait; a portal user writing starts one if none is running.
    #[must_use]
    pub fn with_message(&self, message: &Message) -> Self {
        let waiting_since = if message.from_council {
            None
        } else {
            self.waiting_since.or(Some(message.sent_at))
        };
        Self {
            last_message_at: message.sent_at,
            waiting_since,
            ..self.clone()
        }
    }
}

/// How long one "new messages" notice covers a conversation: several messages
/// to a person within it send them one email (ASVS 2.4.1), so a burst of
/// replies cannot fill their inbox.
pub const NOTICE_GROUPING: time::Duration = time::Duration::minutes(15);

/// Whether a person should be emailed now that a conversation has a new
/// message. Not if they were emailed about it within [`NOTICE_GROUPING`] and
/// have not opened it since: that notice already says there are new messages.
/// `last_notice` is when they were last emailed about it, `read_up_to` when
/// they last opened it.
#[must_use]
pub fn notice_due(
    last_notice: Option<OffsetDateTime>,
    read_up_to: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> bool {
    match last_notice {
        None => true,
        Some(sent) => now - sent >= NOTICE_GROUPING || read_up_to.is_some_and(|read| read >= sent),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn message_text_is_trimmed_checked_and_keeps_its_lines() {
        assert_eq!(MessageBody::parse("  "), Err(MessageBodyError::Empty));
        assert_eq!(
            MessageBody::parse(&"a".repeat(5001)),
            Err(MessageBodyError::TooLong)
        );
        let body = MessageBody::parse(" Hello\r\nthere\u{7} ").unwrap();
        assert_eq!(body.as_str(), "Hello\nthere");
    }

    #[test]
    fn one_notice_covers_a_conversation_until_the_window_passes_or_it_is_opened() {
        let at = |m| datetime!(2026-11-23 10:00 UTC) + time::Duration::minutes(m);
        assert!(notice_due(None, None, at(0)), "the first message is told");
        assert!(!notice_due(Some(at(0)), None, at(0)), "a burst is not");
        assert!(!notice_due(Some(at(0)), None, at(14)));
        assert!(notice_due(Some(at(0)), None, at(15)), "the window passed");
        // Opened before the notice: it is still news. Opened after: told again.
        assert!(!notice_due(Some(at(5)), Some(at(4)), at(6)));
        assert!(notice_due(Some(at(5)), Some(at(5)), at(6)));
        assert!(notice_due(Some(at(5)), Some(at(7)), at(8)));
    }

    #[test]
    fn a_thread_waits_from_the_first_unanswered_message_until_the_council_replies() {
        let at = |m| datetime!(2026-11-23 10:00 UTC) + time::Duration::minutes(m);
        let id = |n| Uuid::from_u128(n);
        let thread = Thread {
            id: ThreadId::from_uuid(id(1)),
            child_id: ChildId::from_uuid(id(2)),
            message_type: MessageTypeId::from_uuid(id(3)),
            subject: ShortText::parse("Transport", "the subject").unwrap(),
            started_by: UserId::from_uuid(id(4)),
            started_at: at(0),
            participants: vec![UserId::from_uuid(id(4))],
            assigned_to: None,
            last_message_at: at(0),
            waiting_since: None,
            version: 1,
        };
        let message = |minute, from_council| Message {
            id: MessageId::from_uuid(id(10 + u128::try_from(minute).unwrap())),
            thread_id: thread.id,
            author: UserId::from_uuid(id(4)),
            from_council,
            body: MessageBody::parse("Hello").unwrap(),
            sent_at: at(minute),
            attachments: Vec::new(),
        };
        let asked = thread.with_message(&message(1, false));
        let asked_again = asked.with_message(&message(2, false));
        assert_eq!(asked_again.waiting_since, Some(at(1)), "the oldest counts");
        let answered = asked_again.with_message(&message(3, true));
        assert_eq!(answered.waiting_since, None);
        assert_eq!(answered.last_message_at, at(3));
    }
}
