//! Automatic notifications (DESIGN NTF-3): when something happens on a child's
//! case, the people linked to the child are emailed what kind of thing
//! happened, with the child's first name at most and a link to the page.
//!
//! [`App::add_notifications`] is the one fan-out: a use case hands it the
//! commit it is building, and it adds an email for every person who should get
//! one (an active link, their audience switched on for the event, and for an
//! optional event not turned off by them) and one chronology entry saying which
//! notification went to how many people. The emails are written in the same
//! transaction as the event, so none is lost or sent twice.
//!
//! The council sets who gets each event and its text on the administration
//! pages (needs "manage staff"); a portal user turns optional events off in My
//! Account. Every change is audited.

use send_domain::dates::long_date;
use send_domain::notifications::{
    Audience, Choice, NotificationEvent, NotificationSetting, Page, Rendered, Values,
};
use send_domain::{
    Actor, AuditAction, AuditOutcome, Child, ChildId, ChronologyEntryId, EmailSubject, LinkStatus,
    Permission, StaffAccess, ThreadId, UserId,
};
use send_store::{Changes, ChronologyEntry, Write};
use time::Date;

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::{App, AppError, AppResult};

/// The chronology entry's kind for a notification sent.
pub const CHRONOLOGY_KIND: &str = "notification.sent";

/// One event to tell people about.
#[derive(Debug, Clone)]
pub struct Notice<'a> {
    pub child: &'a Child,
    pub event: NotificationEvent,
    /// The conversation, for [`NotificationEvent::MessageReceived`]'s link.
    pub thread: Option<ThreadId>,
    /// Only these people (those a document is newly shared with, a form is sent
    /// to, or who are in the conversation); `None`: everyone linked.
    pub only: Option<&'a [UserId]>,
    /// Who caused it (the chronology entry's author); `None`: the portal itself.
    pub by: Option<UserId>,
    /// The form sent and when it is due, for [`NotificationEvent::ActionSent`].
    pub form: Option<(String, Option<Date>)>,
}

impl<'a> Notice<'a> {
    /// `event` on `child`, for everyone linked, caused by `by`.
    pub fn new(child: &'a Child, event: NotificationEvent, by: Option<UserId>) -> Self {
        Self {
            child,
            event,
            thread: None,
            only: None,
            by,
            form: None,
        }
    }

    /// About this form, due by this date (or whenever).
    #[must_use]
    pub fn form(mut self, title: &str, due: Option<Date>) -> Self {
        self.form = Some((title.to_owned(), due));
        self
    }

    /// Only for these people.
    #[must_use]
    pub fn only(mut self, people: &'a [UserId]) -> Self {
        self.only = Some(people);
        self
    }

    /// About this conversation.
    #[must_use]
    pub fn in_thread(mut self, thread: ThreadId) -> Self {
        self.thread = Some(thread);
        self
    }

    /// The path of the page the email links to.
    fn path(&self) -> String {
        page_path(self.event.page(), &self.child.id.to_string(), self.thread)
    }
}

fn page_path(page: Page, child: &str, thread: Option<ThreadId>) -> String {
    match (page, thread) {
        (Page::Conversation, Some(thread)) => format!("/messages/{thread}"),
        (Page::Documents, _) => format!("/children/{child}/documents"),
        (Page::Conversation, None) => format!("/children/{child}/messages"),
        (Page::Dashboard, _) => format!("/children/{child}/dashboard"),
    }
}

/// "1 person", "3 people".
pub(crate) fn people(count: usize) -> String {
    if count == 1 {
        "1 person".to_owned()
    } else {
        format!("{count} people")
    }
}

/// One event on the administration page.
#[derive(Debug, Clone)]
pub struct EventSetting {
    pub setting: NotificationSetting,
    /// Whether the council has changed it from the defaults.
    pub changed: bool,
}

/// What a portal user sees of one event in My Account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonChoice {
    pub event: NotificationEvent,
    pub choice: Choice,
}

impl App {
    /// Every event's setting: the council's, or the default, in the order of
    /// [`NotificationEvent::ALL`].
    async fn all_settings(&self) -> AppResult<Vec<EventSetting>> {
        let saved = self.store.notification_settings().await?;
        Ok(NotificationEvent::ALL
            .iter()
            .map(|event| match saved.iter().find(|s| s.event == *event) {
                Some(setting) => EventSetting {
                    setting: setting.clone(),
                    changed: true,
                },
                None => EventSetting {
                    setting: event.default_setting(),
                    changed: false,
                },
            })
            .collect())
    }

    async fn setting_of(&self, event: NotificationEvent) -> AppResult<NotificationSetting> {
        Ok(self
            .store
            .notification_settings()
            .await?
            .into_iter()
            .find(|s| s.event == event)
            .unwrap_or_else(|| event.default_setting()))
    }

    /// Adds to `changes` the emails `notice` sends and, if any, a chronology
    /// entry saying which notification went to how many people. Returns how
    /// many emails were added. Commit `changes` with the event itself.
    #[tracing::instrument(skip_all, fields(child_id = %notice.child.id, event = %notice.event))]
    pub async fn add_notifications(
        &self,
        changes: &mut Changes,
        notice: Notice<'_>,
    ) -> AppResult<usize> {
        let setting = self.setting_of(notice.event).await?;
        if setting.audiences.is_empty() {
            return Ok(0);
        }
        let values = Values {
            child_first_name: crate::messages::first_name(notice.child),
            link: self.link(&notice.path()),
            council_name: self.settings.council_name.as_str().to_owned(),
            form_title: notice
                .form
                .as_ref()
                .map(|(title, _)| title.clone())
                .unwrap_or_default(),
            when_due: match &notice.form {
                Some((_, Some(due))) => format!("by {}", long_date(*due)),
                Some((_, None)) => "when you can".to_owned(),
                None => String::new(),
            },
        };
        let Rendered {
            subject,
            paragraphs,
        } = setting.text.render(&values);
        // A checked text always makes a subject; should a stored one not, the
        // event's name stands in rather than the event failing.
        let subject = EmailSubject::parse(&subject)
            .or_else(|_| EmailSubject::parse(notice.event.label()))
            .map_err(AppError::internal_with("a notification's subject"))?;
        let mut sent = 0;
        for link in self.store.portal_links_for_child(notice.child.id).await? {
            let person = link.account_id;
            if link.status != LinkStatus::Active
                || notice.only.is_some_and(|only| !only.contains(&person))
                || !setting.sends_to(link.role)
            {
                continue;
            }
            let opted_out = self.store.notification_opt_outs(person).await?;
            if !Choice::of(notice.event, &opted_out).sends() {
                continue;
            }
            // New messages in a conversation: one notice for several in a
            // short time (`App::message_notice_due`).
            if let Some(thread) = notice.thread
                && !self.message_notice_due(thread, person).await?
            {
                continue;
            }
            let Some(account) = self.store.account_by_id(person).await? else {
                continue;
            };
            if let Some(thread) = notice.thread {
                changes.push(self.message_notice_sent(thread, person));
            }
            changes.effects.emails.push(self.compose_email(
                account.email,
                Some(account.name),
                subject.clone(),
                &paragraphs,
            ));
            sent += 1;
        }
        if sent > 0 {
            changes.push(Write::AddChronologyEntry(ChronologyEntry {
                id: ChronologyEntryId::from_uuid(new_uuid(self.clock.as_ref())),
                child_id: notice.child.id,
                occurred_at: self.clock.now(),
                actor_id: notice.by,
                kind: CHRONOLOGY_KIND.to_owned(),
                summary: format!("Email “{}” sent to {}", notice.event.label(), people(sent)),
                note: None,
            }));
        }
        tracing::debug!(sent, "notifications added");
        Ok(sent)
    }

    /// Sends `event`'s notification about `child` in a commit of its own, for
    /// events whose use case has no other write (a time-based job's). Returns
    /// how many emails were sent.
    async fn notify_alone(
        &self,
        child: ChildId,
        event: NotificationEvent,
        by: Option<UserId>,
    ) -> AppResult<usize> {
        let child = self.store.child(child).await?.ok_or(AppError::NotFound)?;
        let mut changes = Changes::new();
        let sent = self
            .add_notifications(&mut changes, Notice::new(&child, event, by))
            .await?;
        if !changes.is_empty() {
            self.store.commit(&changes).await?;
        }
        Ok(sent)
    }

    /// Tells the people linked to `child` that advice for the assessment has
    /// arrived (NTF-1's advice requests will call this, or, better, hand their
    /// own commit to [`App::add_notifications`] with
    /// [`NotificationEvent::AdviceReceived`]).
    #[tracing::instrument(skip_all, fields(child_id = %child))]
    pub async fn notify_advice_received(
        &self,
        child: ChildId,
        by: Option<UserId>,
    ) -> AppResult<usize> {
        self.notify_alone(child, NotificationEvent::AdviceReceived, by)
            .await
    }

    /// Tells the people linked to `child` that the plan's annual review is
    /// due. For the job runner of time-based events: it must call this once
    /// per review (it records nothing that would stop a second call).
    #[tracing::instrument(skip_all, fields(child_id = %child))]
    pub async fn notify_review_due(&self, child: ChildId) -> AppResult<usize> {
        self.notify_alone(child, NotificationEvent::ReviewDue, None)
            .await
    }

    /// Every event with who gets it, for the administration page. Needs
    /// "manage staff".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn notification_settings(
        &self,
        access: &StaffAccess,
    ) -> AppResult<Vec<EventSetting>> {
        require_admin(access)?;
        self.all_settings().await
    }

    /// One event's setting, for its page. Needs "manage staff".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, event = %event))]
    pub async fn notification_setting(
        &self,
        access: &StaffAccess,
        event: NotificationEvent,
    ) -> AppResult<EventSetting> {
        require_admin(access)?;
        self.all_settings()
            .await?
            .into_iter()
            .find(|s| s.setting.event == event)
            .ok_or_else(|| AppError::unexpected("every event has a setting"))
    }

    /// Saves who gets an event's email and its text. Needs "manage staff".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, event = %setting.event))]
    pub async fn save_notification_setting(
        &self,
        access: &StaffAccess,
        setting: NotificationSetting,
        source: &Source,
    ) -> AppResult<()> {
        if let Err(refused) = require_admin(access) {
            let mut event = self.audit_event(
                Actor::User(access.account_id),
                AuditAction::NotificationSettingChanged,
                AuditOutcome::Refused,
                source,
            );
            event.subject = Some(format!("notification:{}", setting.event));
            self.store.record_audit_event(&event).await?;
            return Err(refused);
        }
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            AuditAction::NotificationSettingChanged,
            AuditOutcome::Succeeded,
            source,
        );
        event.subject = Some(format!("notification:{}", setting.event));
        event.detail = Some(format!(
            "families {}, professionals {}",
            on_off(setting.audiences.families),
            on_off(setting.audiences.professionals)
        ));
        self.store
            .commit(
                &Changes::new()
                    .with(Write::SaveNotificationSetting {
                        setting,
                        by: access.account_id,
                        at: self.clock.now(),
                    })
                    .with_audit(event),
            )
            .await?;
        Ok(())
    }

    /// A setting's email as it would look, with sample data: a made-up child
    /// and the page's address on this portal.
    pub fn notification_preview(&self, setting: &NotificationSetting) -> Rendered {
        let path = match setting.event.page() {
            Page::Conversation => "/messages/[conversation]".to_owned(),
            page => page_path(page, "[child]", None),
        };
        setting.text.render(&Values::sample(
            self.settings.council_name.as_str(),
            self.link(&path),
        ))
    }

    /// The events a portal user may be emailed about, with their choice: the
    /// ones the council sends to their audience (statutory ones always sent).
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn my_notifications(
        &self,
        account: UserId,
        audience: Audience,
    ) -> AppResult<Vec<PersonChoice>> {
        let opted_out = self.store.notification_opt_outs(account).await?;
        Ok(self
            .all_settings()
            .await?
            .into_iter()
            .filter(|s| s.setting.audiences.includes(audience))
            .map(|s| PersonChoice {
                event: s.setting.event,
                choice: Choice::of(s.setting.event, &opted_out),
            })
            .collect())
    }

    /// A portal user's choice of optional notifications: `on` are the ones
    /// they want of `shown` (the optional events the page offered); the
    /// others of `shown` are turned off. Statutory events cannot be turned off.
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn set_my_notifications(
        &self,
        account: UserId,
        shown: &[NotificationEvent],
        on: &[NotificationEvent],
        source: &Source,
    ) -> AppResult<()> {
        let mut changes = Changes::new();
        let mut off = Vec::new();
        for event in shown.iter().filter(|e| !e.is_statutory()) {
            let wanted = on.contains(event);
            if !wanted {
                off.push(event.code());
            }
            changes.push(Write::SetNotificationOptOut {
                account,
                event: *event,
                off: !wanted,
            });
            if *event == NotificationEvent::MessageReceived {
                // Kept in step with the switch from before these settings.
                changes.push(Write::SetMessageEmails {
                    account,
                    on: wanted,
                });
            }
        }
        let mut event = self.audit_event(
            Actor::User(account),
            AuditAction::NotificationChoicesChanged,
            AuditOutcome::Succeeded,
            source,
        );
        event.detail = Some(if off.is_empty() {
            "all on".to_owned()
        } else {
            format!("off: {}", off.join(", "))
        });
        self.store.commit(&changes.with_audit(event)).await?;
        Ok(())
    }
}

fn require_admin(access: &StaffAccess) -> AppResult<()> {
    if access.has(Permission::ManageStaff) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_links_to_its_page() {
        let thread: ThreadId = "0192a0e0-0000-7000-8000-000000000001".parse().unwrap();
        assert_eq!(
            page_path(Page::Dashboard, "c", None),
            "/children/c/dashboard"
        );
        assert_eq!(
            page_path(Page::Documents, "c", None),
            "/children/c/documents"
        );
        assert_eq!(
            page_path(Page::Conversation, "c", Some(thread)),
            format!("/messages/{thread}")
        );
        assert_eq!(people(1), "1 person");
        assert_eq!(people(2), "2 people");
    }
}
