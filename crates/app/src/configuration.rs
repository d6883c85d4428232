//! Moving the council's configuration between portals (DESIGN ADM-2): export it
//! as one TOML document, and import one: first the plan (what it would add,
//! change and remove, item by item), then, when confirmed, the plan applied in
//! one unit of work, only if the configuration is still what the plan was made
//! from.
//!
//! The document is `send_domain::configuration`; this module reads the store
//! into it, writes and reads its TOML, and turns differences into writes. Case
//! data and accounts are never in it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use send_domain::advice::AdviceKind;
use send_domain::configuration::{
    self, Change, Configuration, Difference, DocumentProblem, FormItem, FormVersionItem, GroupItem,
    HolidayItem, ItemKind, MessageTypeItem, MilestoneItem, NotificationItem, ScheduleItem,
    TeamItem, TextItem,
};
use send_domain::forms::{Form, FormDefinition, FormVersion, PORTAL};
use send_domain::notifications::NotificationEvent;
use send_domain::{
    Actor, AuditAction, AuditOutcome, FormId, MessageType, MessageTypeId, Permission,
    PermissionGroupId, ShortText, StaffAccess, TeamId, UserId,
};
use send_store::{Changes, ExtraHoliday, PermissionGroup, StoreError, Team, Write};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::Source;
use crate::{App, AppError, AppResult};

/// Who exports or imports: an operator at the command line, or an
/// administrator (a member of staff with "Manage staff") in the back office.
#[derive(Debug, Clone, Copy)]
pub enum ConfigurationUser<'a> {
    CommandLine,
    Staff(&'a StaffAccess),
}

impl ConfigurationUser<'_> {
    fn actor(self) -> Actor {
        match self {
            Self::CommandLine => Actor::Operator,
            Self::Staff(access) => Actor::User(access.account_id),
        }
    }

    fn account(self) -> UserId {
        match self {
            Self::CommandLine => PORTAL,
            Self::Staff(access) => access.account_id,
        }
    }

    fn may(self) -> bool {
        match self {
            Self::CommandLine => true,
            Self::Staff(access) => access.has(Permission::ManageStaff),
        }
    }
}

/// What importing a document would do, and the fingerprint of the state it
/// was worked out from (the configuration then and the document), which the
/// confirmation must carry back.
#[derive(Debug, Clone)]
pub struct ImportPlan {
    pub incoming: Configuration,
    pub differences: Vec<Difference>,
    pub fingerprint: String,
}

impl ImportPlan {
    /// The differences the import makes (those it keeps as they are left out).
    pub fn to_apply(&self) -> impl Iterator<Item = &Difference> {
        self.differences.iter().filter(|d| d.kept.is_none())
    }

    /// Whether importing would change nothing.
    pub fn changes_nothing(&self) -> bool {
        self.to_apply().next().is_none()
    }

    /// The plan as lines of plain text: one per difference, or a line saying
    /// nothing would change.
    pub fn describe(&self) -> String {
        if self.differences.is_empty() {
            return "No changes: the configuration is already what the file says.\n".to_owned();
        }
        let mut text = String::new();
        for difference in &self.differences {
            let _ = writeln!(text, "{difference}");
        }
        text
    }
}

/// The document as TOML, with a comment saying what it is.
pub fn write_document(document: &Configuration) -> AppResult<String> {
    let body = toml::to_string(document)
        .map_err(|e| AppError::internal("writing the configuration as TOML", e))?;
    Ok(format!(
        "# SEND Portal configuration (teams, permission groups, milestones, holidays,\n\
         # notifications, advice reminders and forms). No case data and no accounts.\n\
         # Import it with `send-portal config import FILE` or under Administration.\n\n{body}"
    ))
}

/// Reads a document: its TOML, then every item, each problem naming where.
/// The document comes back in its one order.
pub fn read_document(text: &str) -> Result<Configuration, Vec<DocumentProblem>> {
    let document: Configuration = toml::from_str(text).map_err(|e| {
        let place = e.span().map_or_else(
            || "the file".to_owned(),
            |span| {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("line {line}")
            },
        );
        vec![DocumentProblem {
            place,
            problem: e.message().to_owned(),
        }]
    })?;
    document.check_with(read_definition)?;
    Ok(document.sorted())
}

/// A form definition as the document writes it: pretty JSON, the portal's own
/// serialisation, so reading it back gives the same definition.
pub fn definition_text(definition: &FormDefinition) -> AppResult<String> {
    serde_json::to_string_pretty(definition)
        .map_err(|e| AppError::internal("writing a form definition", e))
}

/// Reads a definition the document holds.
pub fn read_definition(text: &str) -> Result<FormDefinition, String> {
    serde_json::from_str(text).map_err(|e| format!("the form definition cannot be read: {e}"))
}

fn fingerprint(current: &Configuration, incoming: &Configuration) -> AppResult<String> {
    let mut hash = Sha256::new();
    hash.update(write_document(current)?.as_bytes());
    hash.update([0]);
    hash.update(write_document(incoming)?.as_bytes());
    Ok(hex::encode(hash.finalize()))
}

/// What the writes of one difference are made from.
struct Context<'a> {
    incoming: &'a Configuration,
    current: &'a Configuration,
    by: UserId,
    now: time::OffsetDateTime,
}

impl Context<'_> {
    /// The writes that make one item (not a form) what the file says.
    fn writes_for(&self, difference: &Difference) -> AppResult<Vec<Write>> {
        match difference.kind {
            ItemKind::Team | ItemKind::PermissionGroup | ItemKind::MessageType | ItemKind::Text => {
                self.people_writes(difference)
            }
            _ => self.timeline_writes(difference),
        }
    }

    /// Teams, groups, message types and texts.
    fn people_writes(&self, difference: &Difference) -> AppResult<Vec<Write>> {
        let Self {
            incoming,
            current,
            by,
            now,
        } = *self;
        let key = difference.key.as_str();
        let removed = difference.change == Change::Removed;
        let mut out = Vec::new();
        match difference.kind {
            ItemKind::Team => {
                let team = incoming.teams.iter().find(|t| t.id.to_string() == key);
                match (difference.change, team) {
                    (Change::Added, Some(team)) => out.push(Write::InsertTeam {
                        team: Team {
                            id: TeamId::from_uuid(team.id),
                            name: team.name.clone(),
                        },
                        at: now,
                    }),
                    (Change::Changed, Some(team)) => out.push(Write::UpdateTeam {
                        id: TeamId::from_uuid(team.id),
                        name: team.name.clone(),
                    }),
                    _ => out.push(Write::DeleteTeam {
                        id: TeamId::from_uuid(parse_id(key)?),
                    }),
                }
            }
            ItemKind::PermissionGroup if removed => {
                out.push(Write::DeletePermissionGroup {
                    id: PermissionGroupId::from_uuid(parse_id(key)?),
                });
            }
            ItemKind::PermissionGroup => {
                if let Some(group) = incoming
                    .permission_groups
                    .iter()
                    .find(|g| g.id.to_string() == key)
                {
                    let group_record = PermissionGroup {
                        id: PermissionGroupId::from_uuid(group.id),
                        name: group.name.clone(),
                        permissions: group.permission_set().map_err(AppError::unexpected)?,
                    };
                    out.push(if difference.change == Change::Added {
                        Write::InsertPermissionGroup {
                            group: group_record,
                            at: now,
                        }
                    } else {
                        Write::UpdatePermissionGroup(group_record)
                    });
                }
            }
            ItemKind::MessageType => {
                let item = incoming
                    .message_types
                    .iter()
                    .find(|t| t.id.to_string() == key)
                    .or_else(|| {
                        current
                            .message_types
                            .iter()
                            .find(|t| t.id.to_string() == key)
                    });
                if let Some(item) = item {
                    out.push(Write::SaveMessageType(MessageType {
                        id: MessageTypeId::from_uuid(item.id),
                        name: ShortText::parse(&item.name, "the message type's name")
                            .map_err(|e| AppError::unexpected(e.to_string()))?,
                        active: item.active && !removed,
                    }));
                }
            }
            ItemKind::Text if removed => {
                out.push(Write::RestoreCouncilText {
                    key: key.to_owned(),
                });
            }
            ItemKind::Text => {
                if let Some(item) = incoming.texts.iter().find(|t| t.key == key) {
                    out.push(Write::SaveCouncilText {
                        key: item.key.clone(),
                        value: item.checked().map_err(AppError::unexpected)?,
                        by,
                        at: now,
                    });
                }
            }
            _ => {}
        }
        Ok(out)
    }

    /// Milestones, holidays, notifications and reminder schedules.
    fn timeline_writes(&self, difference: &Difference) -> AppResult<Vec<Write>> {
        let Self {
            incoming,
            current,
            by,
            now,
        } = *self;
        let key = difference.key.as_str();
        let removed = difference.change == Change::Removed;
        let mut out = Vec::new();
        match difference.kind {
            ItemKind::LocalMilestone => {
                if difference.change != Change::Added {
                    out.push(Write::DeleteLocalMilestone {
                        code: key.to_owned(),
                    });
                }
                if !removed
                    && let Some(item) = incoming.local_milestones.iter().find(|m| m.code == key)
                {
                    out.push(Write::InsertLocalMilestone(
                        item.to_milestone().map_err(AppError::unexpected)?,
                    ));
                }
            }
            ItemKind::OneOffHoliday => {
                if difference.change != Change::Added
                    && let Some(item) = current.one_off_holidays.iter().find(|h| h.date == key)
                {
                    let (date, _) = item.checked().map_err(AppError::unexpected)?;
                    out.push(Write::DeleteExtraHoliday { date });
                }
                if !removed
                    && let Some(item) = incoming.one_off_holidays.iter().find(|h| h.date == key)
                {
                    let (date, name) = item.checked().map_err(AppError::unexpected)?;
                    out.push(Write::InsertExtraHoliday(ExtraHoliday { date, name }));
                }
            }
            ItemKind::Notification => {
                if let Some(item) = incoming.notifications.iter().find(|n| n.event == key) {
                    out.push(Write::SaveNotificationSetting {
                        setting: item.to_setting().map_err(AppError::unexpected)?,
                        by,
                        at: now,
                    });
                }
            }
            ItemKind::ReminderSchedule => {
                if let Some(item) = incoming
                    .reminder_schedules
                    .iter()
                    .find(|s| s.advice_kind == key)
                {
                    let (kind, schedule) = item.to_schedule().map_err(AppError::unexpected)?;
                    out.push(Write::SaveReminderSchedule {
                        kind,
                        schedule,
                        at: now,
                    });
                }
            }
            _ => {}
        }
        Ok(out)
    }
}

fn parse_id(key: &str) -> AppResult<Uuid> {
    Uuid::parse_str(key).map_err(|e| AppError::internal("an item's id", e))
}

impl App {
    /// The configuration as it is now, in the document's one order.
    #[tracing::instrument(skip_all)]
    pub async fn current_configuration(&self) -> AppResult<Configuration> {
        let mut document = Configuration::empty();
        document.teams = self
            .store
            .teams()
            .await?
            .into_iter()
            .map(|team| TeamItem {
                id: team.id.as_uuid(),
                name: team.name,
            })
            .collect();
        document.permission_groups = self
            .store
            .permission_groups()
            .await?
            .into_iter()
            .map(|group| GroupItem {
                id: group.id.as_uuid(),
                name: group.name,
                permissions: group
                    .permissions
                    .iter()
                    .map(|p| p.code().to_owned())
                    .collect(),
            })
            .collect();
        document.message_types = self
            .store
            .message_types()
            .await?
            .into_iter()
            .map(|t| MessageTypeItem {
                id: t.id.as_uuid(),
                name: t.name.to_string(),
                active: t.active,
            })
            .collect();
        document.texts = self
            .store
            .council_texts()
            .await?
            .into_iter()
            .map(|t| TextItem {
                key: t.key,
                value: t.value,
            })
            .collect();
        document.local_milestones = self
            .store
            .local_milestones()
            .await?
            .iter()
            .map(MilestoneItem::of)
            .collect();
        document.one_off_holidays = self
            .store
            .extra_holidays()
            .await?
            .iter()
            .map(|h| HolidayItem::of(h.date, &h.name))
            .collect();
        let saved: BTreeMap<NotificationEvent, _> = self
            .store
            .notification_settings()
            .await?
            .into_iter()
            .map(|s| (s.event, s))
            .collect();
        document.notifications = NotificationEvent::ALL
            .iter()
            .map(|event| {
                saved.get(event).map_or_else(
                    || NotificationItem::of(&event.default_setting()),
                    NotificationItem::of,
                )
            })
            .collect();
        for kind in AdviceKind::ALL {
            let schedule = self.store.reminder_schedule(*kind).await?;
            document
                .reminder_schedules
                .push(ScheduleItem::of(*kind, &schedule));
        }
        document.forms = self.council_forms().await?;
        Ok(document.sorted())
    }

    /// The council's own forms (not the built-in ones), with their versions.
    async fn council_forms(&self) -> AppResult<Vec<FormItem>> {
        let mut forms = Vec::new();
        for form in self.store.forms().await? {
            if form.builtin.is_some() {
                continue;
            }
            let versions = self.store.form_versions(form.id).await?;
            forms.push(FormItem {
                id: form.id.as_uuid(),
                title: form.draft.title.clone(),
                live_version: form.live_version,
                retired: form.retired_at.is_some(),
                working_copy: definition_text(&form.draft)?,
                versions: versions
                    .iter()
                    .map(|v| {
                        Ok(FormVersionItem {
                            number: v.number,
                            definition: definition_text(&v.definition)?,
                        })
                    })
                    .collect::<AppResult<_>>()?,
            });
        }
        Ok(forms)
    }

    /// The configuration as a TOML document, for an operator or an
    /// administrator; audited.
    #[tracing::instrument(skip_all)]
    pub async fn export_configuration(
        &self,
        user: ConfigurationUser<'_>,
        source: &Source,
    ) -> AppResult<String> {
        let allowed = user.may();
        let event = self.audit_event(
            user.actor(),
            AuditAction::ConfigurationExported,
            if allowed {
                AuditOutcome::Succeeded
            } else {
                AuditOutcome::Refused
            },
            source,
        );
        if !allowed {
            self.store.record_audit_event(&event).await?;
            return Err(AppError::Forbidden);
        }
        let text = write_document(&self.current_configuration().await?)?;
        self.store.record_audit_event(&event).await?;
        Ok(text)
    }

    /// What importing `incoming` would do now. Needs "Manage staff" (or the
    /// command line); nothing is written.
    #[tracing::instrument(skip_all)]
    pub async fn plan_import(
        &self,
        user: ConfigurationUser<'_>,
        incoming: Configuration,
    ) -> AppResult<ImportPlan> {
        if !user.may() {
            return Err(AppError::Forbidden);
        }
        self.plan_from(incoming).await.map(|(plan, _)| plan)
    }

    async fn plan_from(&self, incoming: Configuration) -> AppResult<(ImportPlan, Configuration)> {
        let incoming = incoming.sorted();
        let current = self.current_configuration().await?;
        let mut differences = configuration::differences(&current, &incoming);
        self.mark_kept(&current, &mut differences).await?;
        let fingerprint = fingerprint(&current, &incoming)?;
        Ok((
            ImportPlan {
                incoming,
                differences,
                fingerprint,
            },
            current,
        ))
    }

    /// Leaves out what an import does not do, saying why.
    async fn mark_kept(
        &self,
        current: &Configuration,
        differences: &mut Vec<Difference>,
    ) -> AppResult<()> {
        let teams_in_use: Vec<String> = self
            .store
            .teams_in_use()
            .await?
            .iter()
            .map(ToString::to_string)
            .collect();
        let groups_in_use: Vec<String> = self
            .store
            .permission_groups_in_use()
            .await?
            .iter()
            .map(ToString::to_string)
            .collect();
        let retired: Vec<(ItemKind, String)> = current
            .forms
            .iter()
            .filter(|f| f.retired)
            .map(|f| (ItemKind::Form, f.id.to_string()))
            .chain(
                current
                    .message_types
                    .iter()
                    .filter(|t| !t.active)
                    .map(|t| (ItemKind::MessageType, t.id.to_string())),
            )
            .collect();
        // Forms and message types are never deleted (submissions and
        // conversations keep them): one missing from the file is retired, and
        // one already retired is left alone.
        differences.retain(|d| {
            !(d.change == Change::Removed && retired.contains(&(d.kind, d.key.clone())))
        });
        for difference in differences.iter_mut() {
            match (difference.kind, difference.change) {
                (ItemKind::Team, Change::Removed) if teams_in_use.contains(&difference.key) => {
                    difference.kept = Some(
                        "the team still has staff, children or a set-up link waiting to be used"
                            .to_owned(),
                    );
                }
                (ItemKind::PermissionGroup, Change::Removed)
                    if groups_in_use.contains(&difference.key) =>
                {
                    difference.kept = Some(
                        "the group still has members or a set-up link waiting to be used"
                            .to_owned(),
                    );
                }
                (ItemKind::Form | ItemKind::MessageType, Change::Removed) => {
                    difference.summary = difference.summary.replace(" removed", " retired");
                }
                (ItemKind::Form, Change::Changed)
                    if difference
                        .summary
                        .contains("published versions are never changed") =>
                {
                    difference.kept = Some(
                        "a published version differs from this portal's; copy the form instead"
                            .to_owned(),
                    );
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Keeps an uploaded configuration file's text until the administrator
    /// confirms it (in file storage, for a day: see `pending_uploads`); returns
    /// the key the confirmation reads it back with.
    pub async fn keep_configuration_upload(
        &self,
        user: ConfigurationUser<'_>,
        text: &str,
    ) -> AppResult<String> {
        if !user.may() {
            return Err(AppError::Forbidden);
        }
        self.keep_pending_upload(text.as_bytes()).await
    }

    /// The configuration file kept under `key`, or `None` when it is no longer
    /// kept (imported already, or a day has passed).
    pub async fn configuration_upload(
        &self,
        user: ConfigurationUser<'_>,
        key: &str,
    ) -> AppResult<Option<String>> {
        if !user.may() {
            return Err(AppError::Forbidden);
        }
        Ok(self
            .pending_upload(key)
            .await?
            .and_then(|bytes| String::from_utf8(bytes).ok()))
    }

    /// Removes the configuration file kept under `key` (imported, or replaced
    /// by another upload).
    pub async fn discard_configuration_upload(&self, key: &str) -> AppResult<()> {
        self.discard_pending_upload(key).await
    }

    /// Applies `incoming` in one unit of work with its audit event, if the
    /// configuration and the document are still those of the plan whose
    /// `fingerprint` was shown (`AppError::Changed` otherwise: show the plan
    /// again). Returns the plan applied.
    #[tracing::instrument(skip_all)]
    pub async fn apply_import(
        &self,
        user: ConfigurationUser<'_>,
        incoming: Configuration,
        fingerprint: &str,
        source: &Source,
    ) -> AppResult<ImportPlan> {
        if !user.may() {
            let event = self.audit_event(
                user.actor(),
                AuditAction::ConfigurationImported,
                AuditOutcome::Refused,
                source,
            );
            self.store.record_audit_event(&event).await?;
            return Err(AppError::Forbidden);
        }
        let (plan, current) = self.plan_from(incoming).await?;
        if plan.fingerprint != fingerprint {
            return Err(AppError::Changed);
        }
        let changes = self.import_changes(user, &plan, &current, source).await?;
        if !changes.writes.is_empty() {
            match self.store.commit(&changes).await {
                Ok(_) => {}
                // A write's guard (a form changed, a name taken meanwhile)
                // refused it: the configuration is not what the plan said.
                Err(StoreError::Conflict { .. } | StoreError::NotFound) => {
                    return Err(AppError::Changed);
                }
                Err(err) => return Err(err.into()),
            }
        }
        Ok(plan)
    }

    async fn import_changes(
        &self,
        user: ConfigurationUser<'_>,
        plan: &ImportPlan,
        current: &Configuration,
        source: &Source,
    ) -> AppResult<Changes> {
        let now = self.clock.now();
        let incoming = &plan.incoming;
        let mut changes = Changes::new();
        let mut counts = BTreeMap::<Change, usize>::new();
        for difference in plan.to_apply() {
            *counts.entry(difference.change).or_default() += 1;
            if difference.kind == ItemKind::Form {
                let id = FormId::from_uuid(parse_id(&difference.key)?);
                self.form_changes(user, id, incoming, &mut changes).await?;
            } else {
                let ctx = Context {
                    incoming,
                    current,
                    by: user.account(),
                    now,
                };
                changes.writes.extend(ctx.writes_for(difference)?);
            }
        }
        let mut event = self.audit_event(
            user.actor(),
            AuditAction::ConfigurationImported,
            AuditOutcome::Succeeded,
            source,
        );
        event.detail = Some(format!(
            "added {}, changed {}, removed {}",
            counts.get(&Change::Added).unwrap_or(&0),
            counts.get(&Change::Changed).unwrap_or(&0),
            counts.get(&Change::Removed).unwrap_or(&0)
        ));
        Ok(changes.with_audit(event))
    }

    /// The writes that make the form `id` what the document says: added with
    /// its versions, its new versions published and its working copy and
    /// state written, or retired when the document has no such form.
    async fn form_changes(
        &self,
        user: ConfigurationUser<'_>,
        id: FormId,
        incoming: &Configuration,
        changes: &mut Changes,
    ) -> AppResult<()> {
        let now = self.clock.now();
        let item = incoming.forms.iter().find(|f| f.id == id.as_uuid());
        let stored = self.store.form(id).await?;
        let Some(item) = item else {
            if let Some(form) = stored {
                let expected_version = form.version;
                changes.push(Write::UpdateForm {
                    form: Form {
                        version: expected_version + 1,
                        retired_at: Some(now),
                        updated_at: now,
                        ..form
                    },
                    expected_version,
                });
            }
            return Ok(());
        };
        let (working, versions) = item
            .checked(read_definition)
            .map_err(AppError::unexpected)?;
        let published: Vec<u32> = match &stored {
            Some(form) => self
                .store
                .form_versions(form.id)
                .await?
                .iter()
                .map(|v| v.number)
                .collect(),
            None => Vec::new(),
        };
        match stored {
            None => changes.push(Write::InsertForm(Form {
                id,
                draft: working,
                version: 1,
                live_version: item.live_version,
                approval_requested: None,
                retired_at: item.retired.then_some(now),
                builtin: None,
                created_by: user.account(),
                created_at: now,
                updated_at: now,
            })),
            Some(form) => {
                let expected_version = form.version;
                changes.push(Write::UpdateForm {
                    form: Form {
                        draft: working,
                        version: expected_version + 1,
                        live_version: item.live_version,
                        approval_requested: None,
                        retired_at: match (item.retired, form.retired_at) {
                            (true, Some(at)) => Some(at),
                            (true, None) => Some(now),
                            (false, _) => None,
                        },
                        updated_at: now,
                        ..form
                    },
                    expected_version,
                });
            }
        }
        for (number, definition) in versions {
            if !published.contains(&number) {
                changes.push(Write::InsertFormVersion(FormVersion {
                    form_id: id,
                    number,
                    definition,
                    published_by: user.account(),
                    published_at: now,
                }));
            }
        }
        Ok(())
    }
}
