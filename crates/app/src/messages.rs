//! Messages about a child's case (MSG-1 to MSG-3). Portal users write to the
//! SEND team from the SEND Dashboard and read the replies; the team reads every
//! thread of a child, answers, holds threads and hands them over. A new message
//! emails each recipient a notice with a link, never the message itself.

use send_domain::notifications::NotificationEvent;
use send_domain::{
    Account, AccountKind, Actor, AuditAction, AuditEvent, AuditOutcome, CaseAction, Child, ChildId,
    Document, DocumentId, DocumentKind, LinkStatus, Message, MessageBody, MessageId, MessageType,
    MessageTypeId, Permission, PortalAction, Sharing, ShortText, StaffAccess, TeamId, Thread,
    ThreadId, UserId,
};
use send_store::{Changes, ThreadActivity, Write};
use time::OffsetDateTime;

use send_domain::{Decision, staff_may};

use crate::audit::Source;
use crate::files::UploadProblem;
use crate::ids::new_uuid;
use crate::notifications::Notice;
use crate::{App, AppError, AppResult};

/// How many threads the team inbox shows at most.
pub const TEAM_INBOX_LIMIT: u32 = 200;

/// A file someone attached, as it arrived.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a new message needs.
#[derive(Debug, Clone)]
pub struct Draft {
    pub body: MessageBody,
    pub attachments: Vec<Upload>,
}

/// Why a message could not be sent, for the form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageProblem {
    #[error("Select a message type")]
    NoSuchType,
    #[error("{name}: {problem}")]
    Attachment {
        name: String,
        problem: UploadProblem,
    },
    #[error(
        "You have sent {MESSAGES_PER_WINDOW} messages in the last 10 minutes. Wait a few minutes \
         before you send another, or phone the SEND team if it is urgent"
    )]
    TooMany,
}

/// How many messages a portal user may send in [`MESSAGE_WINDOW`]: more than
/// a person writes, few enough that one account cannot flood the SEND team.
pub const MESSAGES_PER_WINDOW: u64 = 5;

/// The window [`MESSAGES_PER_WINDOW`] counts over.
pub const MESSAGE_WINDOW: time::Duration = time::Duration::minutes(10);

/// A thread in a list, with what the reader needs to see.
#[derive(Debug, Clone)]
pub struct ThreadSummary {
    pub thread: Thread,
    pub type_name: String,
    /// Messages the reader has not read (not their own).
    pub unread: usize,
    /// When the reader last received (inbox) or sent (sent items) a message in it.
    pub at: OffsetDateTime,
}

/// A portal user's messages about one child.
#[derive(Debug, Clone)]
pub struct Mailbox {
    pub child: Child,
    /// Threads with a message to the reader, newest first.
    pub inbox: Vec<ThreadSummary>,
    /// Threads with a message from the reader, newest first.
    pub sent: Vec<ThreadSummary>,
}

/// One message as shown, with its author's name and its attachments.
#[derive(Debug, Clone)]
pub struct ShownMessage {
    pub message: Message,
    /// "You", "SEND team (name)" or the person's name.
    pub author: String,
    pub attachments: Vec<Document>,
}

/// A thread opened for reading.
#[derive(Debug, Clone)]
pub struct ThreadView {
    pub child: Child,
    pub thread: Thread,
    pub type_name: String,
    pub messages: Vec<ShownMessage>,
    /// The caseworker holding the thread, by name.
    pub assigned_to: Option<String>,
}

/// A thread in the team inbox, with its child.
#[derive(Debug, Clone)]
pub struct InboxRow {
    pub child: Child,
    pub summary: ThreadSummary,
    pub assigned_to: Option<String>,
}

/// Who hears of a new message, and how.
enum Tell<'a> {
    /// Members of staff: a notice with a link to the back office's conversation,
    /// unless they turned these off in My Account.
    Staff(&'a [UserId]),
    /// Portal users in the conversation: the "message received" notification.
    Portal(&'a [UserId]),
}

pub(crate) fn first_name(child: &Child) -> String {
    child
        .preferred_name
        .as_ref()
        .unwrap_or(&child.legal_first_name)
        .to_string()
}

impl App {
    fn message_event(
        &self,
        actor: UserId,
        action: AuditAction,
        outcome: AuditOutcome,
        child: ChildId,
        thread: Option<ThreadId>,
        source: &Source,
    ) -> AuditEvent {
        let mut event = self.audit_event(Actor::User(actor), action, outcome, source);
        event.child_id = Some(child);
        event.subject = Some(match thread {
            Some(t) => format!("thread:{t}"),
            None => format!("child:{child}"),
        });
        event
    }

    /// The message types offered for a new message.
    #[tracing::instrument(skip_all)]
    pub async fn active_message_types(&self) -> AppResult<Vec<MessageType>> {
        Ok(self
            .store
            .message_types()
            .await?
            .into_iter()
            .filter(|t| t.active)
            .collect())
    }

    async fn type_names(&self) -> AppResult<Vec<(MessageTypeId, String)>> {
        Ok(self
            .store
            .message_types()
            .await?
            .into_iter()
            .map(|t| (t.id, t.name.to_string()))
            .collect())
    }

    /// Each thread with its activity as `reader` sees it (unread, last
    /// received, last sent), counted by the store in one query: the messages
    /// are never loaded.
    async fn with_activity(
        &self,
        threads: Vec<Thread>,
        reader: UserId,
    ) -> AppResult<Vec<(Thread, ThreadActivity)>> {
        let ids: Vec<ThreadId> = threads.iter().map(|t| t.id).collect();
        let activity = self.store.thread_activity(reader, &ids).await?;
        Ok(ThreadActivity::pair(threads, activity))
    }

    /// Each thread as listed, with its type's name and unread count.
    async fn summarise(
        &self,
        threads: Vec<(Thread, ThreadActivity)>,
    ) -> AppResult<Vec<(ThreadSummary, ThreadActivity)>> {
        let names = self.type_names().await?;
        Ok(threads
            .into_iter()
            .map(|(thread, activity)| {
                let type_name = names
                    .iter()
                    .find(|(id, _)| *id == thread.message_type)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default();
                let summary = ThreadSummary {
                    at: thread.last_message_at,
                    thread,
                    type_name,
                    unread: usize::try_from(activity.unread).unwrap_or(usize::MAX),
                };
                (summary, activity)
            })
            .collect())
    }

    /// Stores each attachment (checked and scanned); on any refusal, removes what
    /// was stored and says which file and why.
    async fn store_attachments(
        &self,
        child: ChildId,
        author: UserId,
        uploads: &[Upload],
    ) -> AppResult<Result<Vec<Document>, MessageProblem>> {
        let mut documents: Vec<Document> = Vec::new();
        for upload in uploads {
            let checked = self
                .files
                .check_and_store(&upload.name, &upload.bytes, self.clock.now())
                .await
                .map_err(AppError::internal_with("storing an attachment"))?;
            match checked {
                Ok(file) => {
                    let description = ShortText::parse(&file.name, "the file name")
                        .unwrap_or_else(|_| ShortText::from_stored("Attachment".to_owned()));
                    documents.push(Document {
                        id: DocumentId::from_uuid(new_uuid(self.clock.as_ref())),
                        child_id: child,
                        kind: DocumentKind::Attachment,
                        description,
                        file,
                        uploaded_by: author,
                        uploaded_at: self.clock.now(),
                        sharing: Sharing::NotShared,
                        shared_at: None,
                    });
                }
                Err(problem) => {
                    self.discard_files(&documents).await;
                    let mut event = self.message_event(
                        author,
                        AuditAction::UploadRefused,
                        AuditOutcome::Refused,
                        child,
                        None,
                        &Source::default(),
                    );
                    event.detail = Some(format!("{problem:?}"));
                    self.store.record_audit_event(&event).await?;
                    return Ok(Err(MessageProblem::Attachment {
                        name: send_domain::files::display_name(&upload.name),
                        problem,
                    }));
                }
            }
        }
        Ok(Ok(documents))
    }

    /// Removes stored files whose database write did not happen.
    pub(crate) async fn discard_files(&self, documents: &[Document]) {
        for document in documents {
            if let Err(err) = self.files.delete(&document.file.key).await {
                tracing::warn!(error = %err, "an unused upload could not be removed");
            }
        }
    }

    /// Adds to `changes` the notices a new message in `thread` sends the SEND
    /// team: one to each recipient who wants them and was not already told of
    /// the conversation's new messages (grouped, [`App::message_notice_due`]),
    /// with a link and never the message. Each one sent is recorded; push
    /// after the thread's own write.
    async fn add_staff_notices(
        &self,
        changes: &mut Changes,
        child: &Child,
        thread: ThreadId,
        recipients: &[UserId],
    ) -> AppResult<()> {
        let first = first_name(child);
        let url = self.link(&format!("/back-office/messages/{thread}"));
        let (subject, paragraphs) = self.council_email_text(
            &*self.texts().await?,
            "message_notice",
            &[("child_name", first.as_str()), ("link", url.as_str())],
        );
        for id in recipients {
            if !self.store.wants_message_emails(*id).await?
                || !self.message_notice_due(thread, *id).await?
            {
                continue;
            }
            let Some(account) = self.store.account_by_id(*id).await? else {
                continue;
            };
            changes.effects.emails.push(self.compose_email(
                account.email.clone(),
                Some(account.name.clone()),
                subject.clone(),
                &paragraphs,
            ));
            changes.push(self.message_notice_sent(thread, *id));
        }
        Ok(())
    }

    /// Whether `account` should be emailed now of a new message in `thread`:
    /// not if they were told of its new messages within the last
    /// [`send_domain::messages::NOTICE_GROUPING`] and have not opened it since.
    pub(crate) async fn message_notice_due(
        &self,
        thread: ThreadId,
        account: UserId,
    ) -> AppResult<bool> {
        let last = self.store.last_message_notice(thread, account).await?;
        if last.is_none() {
            return Ok(true);
        }
        let read = self.store.read_up_to(thread, account).await?;
        Ok(send_domain::messages::notice_due(
            last,
            read,
            self.clock.now(),
        ))
    }

    /// The write recording that `account` is being told now of `thread`'s
    /// new messages.
    pub(crate) fn message_notice_sent(&self, thread: ThreadId, account: UserId) -> Write {
        Write::RecordMessageNotice {
            thread,
            account,
            at: self.clock.now(),
        }
    }

    /// Who in the SEND team hears of a portal user's message: the thread's
    /// holder, else the caseworker of the child's open involvements.
    async fn council_recipients(
        &self,
        child: ChildId,
        thread: Option<&Thread>,
    ) -> AppResult<Vec<UserId>> {
        if let Some(holder) = thread.and_then(|t| t.assigned_to) {
            return Ok(vec![holder]);
        }
        let mut people: Vec<UserId> = self
            .store
            .involvements_of_child(child)
            .await?
            .into_iter()
            .filter(|i| !i.stage.is_closed())
            .filter_map(|i| i.caseworker_id)
            .collect();
        people.sort_by_key(ToString::to_string);
        people.dedup();
        Ok(people)
    }

    /// A portal user's Inbox and Sent Items for one child (listing is audited).
    #[tracing::instrument(skip_all, fields(account_id = %account, child_id = %child))]
    pub async fn mailbox(
        &self,
        account: UserId,
        child: ChildId,
        source: &Source,
    ) -> AppResult<Mailbox> {
        let (child, _) = self
            .authorise_portal(
                account,
                PortalAction::ReadMessages,
                child,
                AuditAction::MessagesListed,
                source,
            )
            .await?;
        let threads = self.store.mailbox(child.id, account).await?;
        let mut inbox = Vec::new();
        let mut sent = Vec::new();
        for (summary, activity) in self.summarise(threads).await? {
            if let Some(at) = activity.last_received {
                inbox.push(ThreadSummary {
                    at,
                    ..summary.clone()
                });
            }
            if let Some(at) = activity.last_sent {
                sent.push(ThreadSummary { at, ..summary });
            }
        }
        inbox.sort_by_key(|s| std::cmp::Reverse(s.at));
        sent.sort_by_key(|s| std::cmp::Reverse(s.at));
        let event = self.message_event(
            account,
            AuditAction::MessagesListed,
            AuditOutcome::Succeeded,
            child.id,
            None,
            source,
        );
        self.store.record_audit_event(&event).await?;
        Ok(Mailbox { child, inbox, sent })
    }

    /// How many messages about this child the person has not read.
    #[tracing::instrument(skip_all, fields(account_id = %account, child_id = %child))]
    pub async fn unread_messages(&self, account: UserId, child: ChildId) -> AppResult<usize> {
        let unread = self.store.unread_messages(child, account).await?;
        Ok(usize::try_from(unread).unwrap_or(usize::MAX))
    }

    /// Whether a portal user has sent as many messages as they may for now.
    async fn over_message_limit(&self, account: UserId) -> AppResult<bool> {
        let since = self.clock.now() - MESSAGE_WINDOW;
        Ok(self.store.messages_sent_since(account, since).await? >= MESSAGES_PER_WINDOW)
    }

    /// A portal user starts a thread with the SEND team.
    #[tracing::instrument(skip_all, fields(account_id = %account, child_id = %child, message_type_id = %message_type))]
    pub async fn start_thread(
        &self,
        account: UserId,
        child: ChildId,
        message_type: MessageTypeId,
        subject: ShortText,
        draft: Draft,
        source: &Source,
    ) -> AppResult<Result<ThreadId, MessageProblem>> {
        let (child, _) = self
            .authorise_portal(
                account,
                PortalAction::SendMessage,
                child,
                AuditAction::MessageSent,
                source,
            )
            .await?;
        if !self
            .active_message_types()
            .await?
            .iter()
            .any(|t| t.id == message_type)
        {
            return Ok(Err(MessageProblem::NoSuchType));
        }
        if self.over_message_limit(account).await? {
            return Ok(Err(MessageProblem::TooMany));
        }
        let attachments = match self
            .store_attachments(child.id, account, &draft.attachments)
            .await?
        {
            Ok(docs) => docs,
            Err(problem) => return Ok(Err(problem)),
        };
        let now = self.clock.now();
        let thread_id = ThreadId::from_uuid(new_uuid(self.clock.as_ref()));
        let message = Message {
            id: MessageId::from_uuid(new_uuid(self.clock.as_ref())),
            thread_id,
            author: account,
            from_council: false,
            body: draft.body,
            sent_at: now,
            attachments: attachments.iter().map(|d| d.id).collect(),
        };
        let thread = Thread {
            id: thread_id,
            child_id: child.id,
            message_type,
            subject,
            started_by: account,
            started_at: now,
            participants: vec![account],
            assigned_to: None,
            last_message_at: now,
            waiting_since: None,
            version: 1,
        }
        .with_message(&message);
        let recipients = self.council_recipients(child.id, None).await?;
        let name = self
            .account_name(account)
            .await?
            .unwrap_or_else(|| "A portal user".to_owned());
        let entry = self.chronology_entry(
            child.id,
            account,
            "message.sent",
            format!("{name} sent a message: {}", thread.subject),
            None,
        );
        let event = self.message_event(
            account,
            AuditAction::MessageSent,
            AuditOutcome::Succeeded,
            child.id,
            Some(thread_id),
            source,
        );
        let mut changes = Changes::new().with(Write::InsertThread(thread));
        for document in &attachments {
            changes.push(Write::InsertDocument(document.clone()));
        }
        let mut changes = changes
            .with(Write::InsertMessage(message))
            .with(Write::AddChronologyEntry(entry))
            .with_audit(event);
        self.add_staff_notices(&mut changes, &child, thread_id, &recipients)
            .await?;
        if let Err(err) = self.store.commit(&changes).await {
            self.discard_files(&attachments).await;
            return Err(err.into());
        }
        Ok(Ok(thread_id))
    }

    /// The thread, if `account` may read it: a participant with an active link to
    /// its child. Anything else is a 404, audited.
    async fn authorise_thread(
        &self,
        account: UserId,
        thread_id: ThreadId,
        action: PortalAction,
        audit_as: AuditAction,
        source: &Source,
    ) -> AppResult<(Child, Thread)> {
        let thread = self.store.thread(thread_id).await?;
        let Some(thread) = thread else {
            let mut event = self.audit_event(
                Actor::User(account),
                audit_as,
                AuditOutcome::Refused,
                source,
            );
            event.subject = Some(format!("thread:{thread_id}"));
            event.detail = Some("no such thread".to_owned());
            self.store.record_audit_event(&event).await?;
            return Err(AppError::NotFound);
        };
        let (child, _) = self
            .authorise_portal(account, action, thread.child_id, audit_as, source)
            .await?;
        if !thread.participants.contains(&account) {
            let mut event = self.message_event(
                account,
                audit_as,
                AuditOutcome::Refused,
                child.id,
                Some(thread.id),
                source,
            );
            event.detail = Some("not in the thread".to_owned());
            self.store.record_audit_event(&event).await?;
            return Err(AppError::NotFound);
        }
        Ok((child, thread))
    }

    async fn thread_view(
        &self,
        child: Child,
        thread: Thread,
        reader: UserId,
    ) -> AppResult<ThreadView> {
        let names = self.type_names().await?;
        let type_name = names
            .iter()
            .find(|(id, _)| *id == thread.message_type)
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        let mut messages = Vec::new();
        for message in self.store.messages(thread.id).await? {
            let author = if message.author == reader {
                "You".to_owned()
            } else {
                let name = self
                    .account_name(message.author)
                    .await?
                    .unwrap_or_else(|| "Unknown".to_owned());
                if message.from_council {
                    format!("SEND team ({name})")
                } else {
                    name
                }
            };
            let mut attachments = Vec::new();
            for id in &message.attachments {
                if let Some(doc) = self.store.document(*id).await? {
                    attachments.push(doc);
                }
            }
            messages.push(ShownMessage {
                message,
                author,
                attachments,
            });
        }
        let assigned_to = match thread.assigned_to {
            Some(id) => self.account_name(id).await?,
            None => None,
        };
        Ok(ThreadView {
            child,
            thread,
            type_name,
            messages,
            assigned_to,
        })
    }

    /// A portal user opens a thread: it is marked read, and the view audited.
    #[tracing::instrument(skip_all, fields(account_id = %account, thread_id = %thread))]
    pub async fn open_thread(
        &self,
        account: UserId,
        thread: ThreadId,
        source: &Source,
    ) -> AppResult<ThreadView> {
        let (child, thread) = self
            .authorise_thread(
                account,
                thread,
                PortalAction::ReadMessages,
                AuditAction::ThreadRead,
                source,
            )
            .await?;
        self.mark_read(thread.id, account).await?;
        let event = self.message_event(
            account,
            AuditAction::ThreadRead,
            AuditOutcome::Succeeded,
            child.id,
            Some(thread.id),
            source,
        );
        self.store.record_audit_event(&event).await?;
        self.thread_view(child, thread, account).await
    }

    /// A portal user replies in a thread they are in. `seen` is the version of
    /// the thread they were shown: if someone wrote in it since, nothing is sent
    /// and the answer is `Changed`, so they can read it first. `None` (a post
    /// from no page): the version read now, so only this request's own read and
    /// write are guarded.
    #[tracing::instrument(skip_all, fields(account_id = %account, thread_id = %thread))]
    pub async fn reply(
        &self,
        account: UserId,
        thread: ThreadId,
        seen: Option<u32>,
        draft: Draft,
        source: &Source,
    ) -> AppResult<Result<(), MessageProblem>> {
        let (child, thread) = self
            .authorise_thread(
                account,
                thread,
                PortalAction::SendMessage,
                AuditAction::MessageSent,
                source,
            )
            .await?;
        if self.over_message_limit(account).await? {
            return Ok(Err(MessageProblem::TooMany));
        }
        let recipients = self.council_recipients(child.id, Some(&thread)).await?;
        let tell = Tell::Staff(&recipients);
        self.add_to_thread(&child, &thread, seen, account, false, draft, tell, source)
            .await
    }

    #[expect(clippy::too_many_arguments, reason = "one message's every part")]
    async fn add_to_thread(
        &self,
        child: &Child,
        thread: &Thread,
        seen: Option<u32>,
        author: UserId,
        from_council: bool,
        draft: Draft,
        tell: Tell<'_>,
        source: &Source,
    ) -> AppResult<Result<(), MessageProblem>> {
        if seen.is_some_and(|seen| seen != thread.version) {
            return Err(AppError::Changed);
        }
        let attachments = match self
            .store_attachments(child.id, author, &draft.attachments)
            .await?
        {
            Ok(docs) => docs,
            Err(problem) => return Ok(Err(problem)),
        };
        let message = Message {
            id: MessageId::from_uuid(new_uuid(self.clock.as_ref())),
            thread_id: thread.id,
            author,
            from_council,
            body: draft.body,
            sent_at: self.clock.now(),
            attachments: attachments.iter().map(|d| d.id).collect(),
        };
        let updated = thread.with_message(&message);
        let event = self.message_event(
            author,
            AuditAction::MessageSent,
            AuditOutcome::Succeeded,
            child.id,
            Some(thread.id),
            source,
        );
        let mut changes = Changes::new().with(Write::UpdateThread {
            thread: updated,
            expected_version: thread.version,
        });
        for document in &attachments {
            changes.push(Write::InsertDocument(document.clone()));
        }
        // The author has read what they wrote.
        let read = Write::MarkRead {
            thread: thread.id,
            account: author,
            at: message.sent_at,
        };
        let mut changes = changes
            .with(Write::InsertMessage(message))
            .with(read)
            .with_audit(event);
        let told = match tell {
            Tell::Staff(people) => {
                self.add_staff_notices(&mut changes, child, thread.id, people)
                    .await
            }
            Tell::Portal(people) => {
                let notice = Notice::new(child, NotificationEvent::MessageReceived, Some(author))
                    .in_thread(thread.id)
                    .only(people);
                self.add_notifications(&mut changes, notice)
                    .await
                    .map(|_| ())
            }
        };
        if let Err(err) = told {
            self.discard_files(&attachments).await;
            return Err(err);
        }
        if let Err(err) = self.store.commit(&changes).await {
            self.discard_files(&attachments).await;
            return Err(err.into());
        }
        Ok(Ok(()))
    }

    /// A child's threads for the SEND team (the view is audited).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child))]
    pub async fn case_threads(
        &self,
        access: &StaffAccess,
        child: ChildId,
        source: &Source,
    ) -> AppResult<(Child, Vec<ThreadSummary>)> {
        let child = self
            .authorise_child(access, CaseAction::View, child, source)
            .await?;
        let threads = self.store.threads_of_child(child.id).await?;
        let threads = self.with_activity(threads, access.account_id).await?;
        let rows = self
            .summarise(threads)
            .await?
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        let event = self.case_event(
            access,
            AuditAction::MessagesListed,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        self.store.record_audit_event(&event).await?;
        Ok((child, rows))
    }

    async fn authorise_staff_thread(
        &self,
        access: &StaffAccess,
        thread: ThreadId,
        action: CaseAction,
        source: &Source,
    ) -> AppResult<(Child, Thread)> {
        let thread = self.store.thread(thread).await?.ok_or(AppError::NotFound)?;
        let child = self
            .authorise_child(access, action, thread.child_id, source)
            .await?;
        Ok((child, thread))
    }

    /// The SEND team opens a thread (marked read for this member of staff).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, thread_id = %thread))]
    pub async fn staff_open_thread(
        &self,
        access: &StaffAccess,
        thread: ThreadId,
        source: &Source,
    ) -> AppResult<ThreadView> {
        let (child, thread) = self
            .authorise_staff_thread(access, thread, CaseAction::View, source)
            .await?;
        self.mark_read(thread.id, access.account_id).await?;
        let mut event = self.case_event(
            access,
            AuditAction::ThreadRead,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        event.subject = Some(format!("thread:{}", thread.id));
        self.store.record_audit_event(&event).await?;
        self.thread_view(child, thread, access.account_id).await
    }

    /// The SEND team replies: every portal user in the thread with an active
    /// link is told.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, thread_id = %thread))]
    pub async fn staff_reply(
        &self,
        access: &StaffAccess,
        thread: ThreadId,
        seen: Option<u32>,
        draft: Draft,
        source: &Source,
    ) -> AppResult<Result<(), MessageProblem>> {
        let (child, thread) = self
            .authorise_staff_thread(access, thread, CaseAction::Edit, source)
            .await?;
        let mut recipients = Vec::new();
        for person in &thread.participants {
            let link = self.store.portal_link(child.id, *person).await?;
            if link.is_some_and(|l| l.status == LinkStatus::Active) {
                recipients.push(*person);
            }
        }
        self.add_to_thread(
            &child,
            &thread,
            seen,
            access.account_id,
            true,
            draft,
            Tell::Portal(&recipients),
            source,
        )
        .await
    }

    /// Threads waiting for an answer in the member of staff's teams, longest
    /// waiting first.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn team_inbox(
        &self,
        access: &StaffAccess,
        source: &Source,
    ) -> AppResult<Vec<InboxRow>> {
        if !access.has(Permission::ViewCases) {
            return Err(AppError::Forbidden);
        }
        let own: Vec<TeamId> = access.team_id.into_iter().collect();
        let teams = (!access.has(Permission::AllTeams)).then_some(own.as_slice());
        let threads = self.store.team_inbox(teams, TEAM_INBOX_LIMIT).await?;
        let mut rows = Vec::new();
        let threads = self.with_activity(threads, access.account_id).await?;
        for (summary, _) in self.summarise(threads).await? {
            let Some(child) = self.store.child(summary.thread.child_id).await? else {
                continue;
            };
            let assigned_to = match summary.thread.assigned_to {
                Some(id) => self.account_name(id).await?,
                None => None,
            };
            rows.push(InboxRow {
                child,
                summary,
                assigned_to,
            });
        }
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            AuditAction::MessagesListed,
            AuditOutcome::Succeeded,
            source,
        );
        event.detail = Some("team inbox".to_owned());
        self.store.record_audit_event(&event).await?;
        Ok(rows)
    }

    /// How many threads the team inbox lists (at most [`TEAM_INBOX_LIMIT`]), for
    /// the back office's home; `None` for staff who may not view cases. Nothing
    /// of any thread is shown, so nothing is audited.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn team_inbox_count(&self, access: &StaffAccess) -> AppResult<Option<usize>> {
        if !access.has(Permission::ViewCases) {
            return Ok(None);
        }
        let own: Vec<TeamId> = access.team_id.into_iter().collect();
        let teams = (!access.has(Permission::AllTeams)).then_some(own.as_slice());
        Ok(Some(
            self.store.team_inbox(teams, TEAM_INBOX_LIMIT).await?.len(),
        ))
    }

    /// Gives a thread to a member of staff (or to nobody). `false`, with nothing
    /// changed, when that person is not staff or cannot see the child's case.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, thread_id = %thread, to_account_id = to.map(tracing::field::display)))]
    pub async fn assign_thread(
        &self,
        access: &StaffAccess,
        thread: ThreadId,
        to: Option<UserId>,
        source: &Source,
    ) -> AppResult<bool> {
        let (child, thread) = self
            .authorise_staff_thread(access, thread, CaseAction::Edit, source)
            .await?;
        if let Some(to) = to {
            let can_see = self.store.staff_access(to).await?.is_some_and(|a| {
                staff_may(&a, CaseAction::View, child.team_id) == Decision::Allowed
            });
            if !can_see {
                return Ok(false);
            }
        }
        let mut event = self.case_event(
            access,
            AuditAction::ThreadAssigned,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        event.subject = Some(format!("thread:{}", thread.id));
        event.detail = Some(to.map_or_else(|| "nobody".to_owned(), |t| format!("to user:{t}")));
        let expected_version = thread.version;
        self.store
            .commit(
                &Changes::new()
                    .with(Write::UpdateThread {
                        thread: Thread {
                            assigned_to: to,
                            ..thread
                        },
                        expected_version,
                    })
                    .with_audit(event),
            )
            .await?;
        Ok(true)
    }

    /// Hands every thread one member of staff holds to another (when someone
    /// leaves or is away); `None`, with nothing changed, when the colleague
    /// cannot see the cases of the team of the one who held them. Your own
    /// threads need "edit cases"; someone else's need "manage staff" (the
    /// People pages hand over a leaver's). Audited as about the one who held them.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, from_account_id = %from, to_account_id = %to))]
    pub async fn hand_over_threads(
        &self,
        access: &StaffAccess,
        from: UserId,
        to: UserId,
        source: &Source,
    ) -> AppResult<Option<u64>> {
        // Your own need "edit cases"; someone else's (a colleague leaving, from
        // the People pages) need "manage staff".
        let allowed = if from == access.account_id {
            access.has(Permission::EditCases)
        } else {
            access.has(Permission::ManageStaff)
        };
        if !allowed {
            let mut event = self.audit_event(
                Actor::User(access.account_id),
                AuditAction::ThreadAssigned,
                AuditOutcome::Refused,
                source,
            );
            event.detail = Some(format!("hand-over from user:{from} to user:{to}"));
            self.store.record_audit_event(&event).await?;
            return Err(AppError::Forbidden);
        }
        // The colleague must be able to see the cases: the team of the one
        // whose threads they are (or every team) and "view cases".
        let team = if from == access.account_id {
            access.team_id
        } else {
            self.store
                .staff_membership(from)
                .await?
                .and_then(|m| m.team_id)
        };
        let takes_over = self.store.staff_access(to).await?.is_some_and(|a| {
            a.has(Permission::ViewCases)
                && (a.has(Permission::AllTeams) || (a.team_id.is_some() && a.team_id == team))
        });
        if !takes_over {
            return Ok(None);
        }
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            AuditAction::ThreadAssigned,
            AuditOutcome::Succeeded,
            source,
        );
        event.subject = Some(format!("account:{from}"));
        event.detail = Some(format!("hand-over from user:{from} to user:{to}"));
        let committed = self
            .store
            .commit(
                &Changes::new()
                    .with(Write::HandOverThreads { from, to })
                    .with_audit(event),
            )
            .await?;
        Ok(Some(committed.rows.first().copied().unwrap_or(0)))
    }

    /// Turns message notification emails on or off for the signed-in person.
    #[tracing::instrument(skip_all, fields(account_id = %account.id, on = on))]
    pub async fn set_message_emails(
        &self,
        account: &Account,
        on: bool,
        source: &Source,
    ) -> AppResult<()> {
        let mut event = self.audit_event(
            Actor::User(account.id),
            AuditAction::MessageEmailsChanged,
            AuditOutcome::Succeeded,
            source,
        );
        event.detail = Some(if on { "on" } else { "off" }.to_owned());
        let mut changes = Changes::new().with(Write::SetMessageEmails {
            account: account.id,
            on,
        });
        if account.kind != AccountKind::Staff {
            // A portal user's message emails are the "message received"
            // notification (`send_app::notifications`).
            changes.push(Write::SetNotificationOptOut {
                account: account.id,
                event: NotificationEvent::MessageReceived,
                off: !on,
            });
        }
        self.store.commit(&changes.with_audit(event)).await?;
        Ok(())
    }

    /// Moves the person's read mark on the thread to now (only if that is later).
    async fn mark_read(&self, thread: ThreadId, account: UserId) -> AppResult<()> {
        self.store
            .commit(&Changes::new().with(Write::MarkRead {
                thread,
                account,
                at: self.clock.now(),
            }))
            .await?;
        Ok(())
    }

    /// The member of staff with this email address, for hand-overs.
    #[tracing::instrument(skip_all)]
    pub async fn staff_by_email(&self, email: &send_domain::Email) -> AppResult<Option<UserId>> {
        Ok(self
            .store
            .account_by_email(email)
            .await?
            .filter(|a| a.kind == AccountKind::Staff)
            .map(|a| a.id))
    }

    /// Whether the person gets message notification emails.
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn wants_message_emails(&self, account: UserId) -> AppResult<bool> {
        Ok(self.store.wants_message_emails(account).await?)
    }
}
