//! Building audit events. Every view of a child's record and every change is one.

use std::collections::BTreeMap;

use send_domain::dates::{uk_date, uk_day_start};
use send_domain::{
    Account, Actor, AuditAction, AuditCursor, AuditEvent, AuditEventId, AuditOutcome, AuditQuery,
    ChildId, ChildSearch, Email, Opener, Permission, RecordOpening, StaffAccess, UserId,
};
use time::{Date, OffsetDateTime};

use crate::ids::new_uuid;
use crate::{App, AppError, AppResult};

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source(pub Option<String>);

impl App {
    /// A new audit event, stamped now by the app's clock.
    pub fn audit_event(
        &self,
        actor: Actor,
        action: AuditAction,
        outcome: AuditOutcome,
        source: &Source,
    ) -> AuditEvent {
        AuditEvent {
            id: AuditEventId::from_uuid(new_uuid(self.clock.as_ref())),
            occurred_at: self.clock.now(),
            actor,
            action,
            outcome,
            child_id: None,
            subject: None,
            detail: None,
            source: source.0.clone(),
        }
    }
}

/// How many events a page of the audit log shows.
pub const AUDIT_PAGE_SIZE: u32 = 50;

/// How many events a CSV download holds at most (the newest of the search).
pub const AUDIT_EXPORT_LIMIT: u32 = 10_000;

/// How far back a family's "Who has looked at this record" list goes.
pub const OPENINGS_DAYS: i64 = 90;

/// How many openings that list reads at most.
pub(crate) const OPENINGS_LIMIT: u32 = 500;

/// A search of the audit log, as the page's filters give it (each already found:
/// the child's and the person's ids, UK dates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilters {
    pub child: Option<ChildId>,
    /// Who did it, or whom it was about.
    pub person: Option<UserId>,
    pub action: Option<AuditAction>,
    pub outcome: Option<AuditOutcome>,
    /// The first UK day, and the last (both included).
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl AuditFilters {
    fn query(&self, before: Option<AuditCursor>, limit: u32) -> AuditQuery {
        AuditQuery {
            child_id: self.child,
            user_id: None,
            person: self.person,
            action: self.action,
            outcome: self.outcome,
            from: self.from.map(uk_day_start),
            until: self.to.and_then(Date::next_day).map(uk_day_start),
            before,
            limit,
        }
    }

    /// The search as the audit event of it notes it: ids, codes and dates only.
    fn note(&self) -> String {
        let mut parts = Vec::new();
        if let Some(child) = self.child {
            parts.push(format!("child:{child}"));
        }
        if let Some(person) = self.person {
            parts.push(format!("person:{person}"));
        }
        if let Some(action) = self.action {
            parts.push(format!("kind:{action}"));
        }
        if let Some(outcome) = self.outcome {
            parts.push(format!("outcome:{outcome}"));
        }
        if let Some(from) = self.from {
            parts.push(format!("from:{from}"));
        }
        if let Some(to) = self.to {
            parts.push(format!("to:{to}"));
        }
        if parts.is_empty() {
            "everything".to_owned()
        } else {
            parts.join(" ")
        }
    }
}

/// One event of the log as the audit page and its CSV show it: the event and
/// who did it (name and email address of an account, if it still exists).
#[derive(Debug, Clone)]
pub struct AuditLine {
    pub event: AuditEvent,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
}

/// A page of the audit log, newest first, and where the next one starts.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub lines: Vec<AuditLine>,
    pub next: Option<AuditCursor>,
}

/// How many people the audit page's person filter offers to choose from.
pub const PERSON_CHOICES: u32 = 10;

/// Someone the person filter may mean, to choose from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonChoice {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

impl PersonChoice {
    fn of(account: &Account) -> Self {
        Self {
            id: account.id,
            name: account.name.to_string(),
            email: account.email.to_string(),
        }
    }
}

/// What the child filter of the audit page found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found<T> {
    One(T),
    None,
    Several,
}

/// One day of a family's "Who has looked at this record" list: each opener once,
/// as a role and team or organisation, at the last time that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningsDay {
    pub date: Date,
    pub openers: Vec<(Opener, OffsetDateTime)>,
}

impl App {
    fn audit_log_event(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        outcome: AuditOutcome,
        filters: &AuditFilters,
        source: &Source,
    ) -> AuditEvent {
        let mut event = self.audit_event(Actor::User(access.account_id), action, outcome, source);
        event.child_id = filters.child;
        event.detail = Some(filters.note());
        event
    }

    /// Refuses, with an audit event, anyone without "View the audit log".
    async fn may_read_audit_log(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        filters: &AuditFilters,
        source: &Source,
    ) -> AppResult<()> {
        if access.has(Permission::ViewAudit) {
            return Ok(());
        }
        let event = self.audit_log_event(access, action, AuditOutcome::Refused, filters, source);
        self.store.record_audit_event(&event).await?;
        Err(AppError::Forbidden)
    }

    /// The child the audit page's child filter names: the record's id, a UPN, ULN
    /// or NHS number, or a name that only one child has.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn find_audit_child(
        &self,
        access: &StaffAccess,
        typed: &str,
    ) -> AppResult<Found<ChildId>> {
        if !access.has(Permission::ViewAudit) {
            return Err(AppError::Forbidden);
        }
        let typed = typed.trim();
        if let Ok(id) = typed.parse::<ChildId>() {
            return Ok(match self.store.child(id).await? {
                Some(child) => Found::One(child.id),
                None => Found::None,
            });
        }
        let mut found = self
            .store
            .search_children(
                &ChildSearch {
                    identifier: Some(typed.to_owned()),
                    ..ChildSearch::default()
                },
                None,
                2,
            )
            .await?;
        if found.is_empty() {
            found = self
                .store
                .search_children(
                    &ChildSearch {
                        name: Some(typed.to_owned()),
                        ..ChildSearch::default()
                    },
                    None,
                    2,
                )
                .await?;
        }
        Ok(match found.as_slice() {
            [] => Found::None,
            [child] => Found::One(child.id),
            _ => Found::Several,
        })
    }

    /// The accounts the audit page's person filter may mean: the one with that
    /// email address if there is one, otherwise the staff and portal accounts
    /// whose name or email address contains what was typed (any case), by name,
    /// at most [`PERSON_CHOICES`] + 1 (so the page can say there are too many).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn find_audit_person(
        &self,
        access: &StaffAccess,
        typed: &str,
    ) -> AppResult<Vec<PersonChoice>> {
        if !access.has(Permission::ViewAudit) {
            return Err(AppError::Forbidden);
        }
        let typed = typed.trim();
        if let Ok(email) = Email::parse(typed)
            && let Some(account) = self.store.account_by_email(&email).await?
        {
            return Ok(vec![PersonChoice::of(&account)]);
        }
        let wanted = typed.to_lowercase();
        let mut found: Vec<PersonChoice> = self
            .store
            .staff_people()
            .await?
            .iter()
            .filter(|p| {
                p.account.name.to_string().to_lowercase().contains(&wanted)
                    || p.account.email.to_string().to_lowercase().contains(&wanted)
            })
            .map(|p| PersonChoice::of(&p.account))
            .collect();
        found.extend(
            self.store
                .portal_people(typed, PERSON_CHOICES + 1)
                .await?
                .iter()
                .map(|p| PersonChoice::of(&p.account)),
        );
        found.sort_by(|a, b| (&a.name, &a.email).cmp(&(&b.name, &b.email)));
        found.truncate(PERSON_CHOICES as usize + 1);
        Ok(found)
    }

    async fn audit_lines(&self, events: Vec<AuditEvent>) -> AppResult<Vec<AuditLine>> {
        let mut people: BTreeMap<UserId, Option<(String, String)>> = BTreeMap::new();
        let mut lines = Vec::with_capacity(events.len());
        for event in events {
            let who = match event.actor.user_id() {
                Some(id) => {
                    if let Some(known) = people.get(&id) {
                        known.clone()
                    } else {
                        let account = self
                            .store
                            .account_by_id(id)
                            .await?
                            .map(|a| (a.name.to_string(), a.email.to_string()));
                        people.insert(id, account.clone());
                        account
                    }
                }
                None => None,
            };
            let (actor_name, actor_email) = who.unzip();
            lines.push(AuditLine {
                event,
                actor_name,
                actor_email,
            });
        }
        Ok(lines)
    }

    /// A page of the audit log, newest first, for those with "View the audit
    /// log"; the search is itself audited (refusals too).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn search_audit_log(
        &self,
        access: &StaffAccess,
        filters: &AuditFilters,
        before: Option<AuditCursor>,
        source: &Source,
    ) -> AppResult<AuditPage> {
        let action = AuditAction::AuditLogSearched;
        self.may_read_audit_log(access, action, filters, source)
            .await?;
        let mut events = self
            .store
            .search_audit_events(&filters.query(before, AUDIT_PAGE_SIZE + 1))
            .await?;
        let more = events.len() > AUDIT_PAGE_SIZE as usize;
        events.truncate(AUDIT_PAGE_SIZE as usize);
        let next = more.then(|| events.last().map(AuditCursor::of)).flatten();
        let event = self.audit_log_event(access, action, AuditOutcome::Succeeded, filters, source);
        self.store.record_audit_event(&event).await?;
        Ok(AuditPage {
            lines: self.audit_lines(events).await?,
            next,
        })
    }

    /// Every event of a search (the newest [`AUDIT_EXPORT_LIMIT`]), for its CSV
    /// download; audited like the search.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn export_audit_log(
        &self,
        access: &StaffAccess,
        filters: &AuditFilters,
        source: &Source,
    ) -> AppResult<Vec<AuditLine>> {
        let action = AuditAction::AuditLogExported;
        self.may_read_audit_log(access, action, filters, source)
            .await?;
        let events = self
            .store
            .search_audit_events(&filters.query(None, AUDIT_EXPORT_LIMIT))
            .await?;
        let event = self.audit_log_event(access, action, AuditOutcome::Succeeded, filters, source);
        self.store.record_audit_event(&event).await?;
        self.audit_lines(events).await
    }

    /// Since when "Who has looked at this record" lists openings: the last
    /// [`OPENINGS_DAYS`] days.
    pub(crate) fn openings_since(&self) -> OffsetDateTime {
        self.clock.now() - time::Duration::days(OPENINGS_DAYS)
    }
}

/// Who outside the family opened a child's record (the openings, newest
/// first), by UK day, newest first: each member of staff as their role and
/// team, each professional as their job and organisation, once a day at the
/// last time they opened it. Only for the child's family: the caller has
/// checked the person's link.
pub(crate) fn openings_days(openings: Vec<RecordOpening>) -> AppResult<Vec<OpeningsDay>> {
    let mut days: Vec<OpeningsDay> = Vec::new();
    for opening in openings {
        let date = uk_date(opening.occurred_at);
        let day = match days.last_mut() {
            Some(day) if day.date == date => day,
            _ => {
                days.push(OpeningsDay {
                    date,
                    openers: Vec::new(),
                });
                days.last_mut()
                    .ok_or_else(|| AppError::unexpected("a day just added"))?
            }
        };
        // Newest first, so the first time kept is the last of the day.
        if !day.openers.iter().any(|(o, _)| *o == opening.opener) {
            day.openers.push((opening.opener, opening.occurred_at));
        }
    }
    Ok(days)
}
