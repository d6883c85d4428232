//! The council's configuration as one document (DESIGN ADM-2), so a set-up
//! tested on one portal can be moved to another: teams, permission groups, its
//! own milestones, one-off holidays, notification settings, advice reminder
//! schedules and its forms with their published versions. Never case data and
//! never accounts.
//!
//! The document is plain data (codes and text, ids as UUIDs), sorted by each
//! item's key, so two exports of the same configuration are the same bytes.
//! [`Configuration::check`] reads every item into its domain type and names
//! where anything is wrong; [`differences`] says what importing one document
//! over another would add, change and remove, item by item.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::advice::{AdviceKind, ReminderSchedule};
use crate::council_texts;
use crate::forms::FormDefinition;
use crate::involvements::InvolvementKind;
use crate::milestones::{LocalMilestone, MilestoneUnit};
use crate::notifications::{Audiences, NotificationEvent, NotificationSetting, NotificationText};
use crate::staff::Permission;
use crate::timeline::EventKind;

/// The version of the document's shape this portal writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// Everything that is configuration, as one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Configuration {
    pub format_version: u32,
    #[serde(default)]
    pub teams: Vec<TeamItem>,
    #[serde(default)]
    pub permission_groups: Vec<GroupItem>,
    #[serde(default)]
    pub message_types: Vec<MessageTypeItem>,
    /// The texts the council changed (email wording, stage information, the
    /// SEND team's contact details); a text not listed has the portal's words.
    #[serde(default)]
    pub texts: Vec<TextItem>,
    #[serde(default)]
    pub local_milestones: Vec<MilestoneItem>,
    #[serde(default)]
    pub one_off_holidays: Vec<HolidayItem>,
    /// Every event's setting (the defaults too, so the file says what is sent).
    #[serde(default)]
    pub notifications: Vec<NotificationItem>,
    /// Every kind of advice's schedule (the default too).
    #[serde(default)]
    pub reminder_schedules: Vec<ScheduleItem>,
    /// The council's own forms (the built-in ones come with the portal).
    #[serde(default)]
    pub forms: Vec<FormItem>,
}

/// A team of the SEND service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamItem {
    pub id: Uuid,
    pub name: String,
}

/// A permission group: its name and the codes of what it grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupItem {
    pub id: Uuid,
    pub name: String,
    pub permissions: Vec<String>,
}

/// A kind of message families and staff choose when they write (a retired one
/// stays on old conversations but is not offered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageTypeItem {
    pub id: Uuid,
    pub name: String,
    pub active: bool,
}

/// The council's wording of one text (a key of `council_texts::CATALOGUE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextItem {
    pub key: String,
    pub value: String,
}

/// A council milestone on a kind of involvement's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneItem {
    pub code: String,
    pub involvement_kind: String,
    pub title: String,
    pub start_event: String,
    pub unit: String,
    pub amount: u32,
    #[serde(default)]
    pub explanation: String,
}

/// A one-off bank holiday (`date` as `YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayItem {
    pub date: String,
    pub name: String,
}

/// Who gets an event's email and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationItem {
    pub event: String,
    pub families: bool,
    pub professionals: bool,
    pub subject: String,
    pub body: String,
}

/// When the person asked for a kind of advice is reminded (days before and
/// after the due date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleItem {
    pub advice_kind: String,
    pub days_before: Vec<u8>,
    pub on_the_day: bool,
    pub days_after: Vec<u8>,
}

/// One of the council's forms: its working copy and every published version,
/// each definition as the JSON the portal keeps (so it moves exactly).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormItem {
    pub id: Uuid,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_version: Option<u32>,
    #[serde(default)]
    pub retired: bool,
    pub working_copy: String,
    #[serde(default)]
    pub versions: Vec<FormVersionItem>,
}

/// A published version of a form (never changed once published).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormVersionItem {
    pub number: u32,
    pub definition: String,
}

/// The kinds of item, in the order a document and a list of differences give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    Team,
    PermissionGroup,
    MessageType,
    Text,
    LocalMilestone,
    OneOffHoliday,
    Notification,
    ReminderSchedule,
    Form,
}

impl ItemKind {
    pub const ALL: [Self; 9] = [
        Self::Team,
        Self::PermissionGroup,
        Self::MessageType,
        Self::Text,
        Self::LocalMilestone,
        Self::OneOffHoliday,
        Self::Notification,
        Self::ReminderSchedule,
        Self::Form,
    ];

    /// The item's name in a sentence ("Team", "Permission group", …).
    pub fn label(self) -> &'static str {
        match self {
            Self::Team => "Team",
            Self::PermissionGroup => "Permission group",
            Self::MessageType => "Message type",
            Self::Text => "Text",
            Self::LocalMilestone => "Local milestone",
            Self::OneOffHoliday => "One-off holiday",
            Self::Notification => "Notification",
            Self::ReminderSchedule => "Reminder schedule",
            Self::Form => "Form",
        }
    }

    /// The document's name for the list of these items.
    pub fn section(self) -> &'static str {
        match self {
            Self::Team => "teams",
            Self::PermissionGroup => "permission_groups",
            Self::MessageType => "message_types",
            Self::Text => "texts",
            Self::LocalMilestone => "local_milestones",
            Self::OneOffHoliday => "one_off_holidays",
            Self::Notification => "notifications",
            Self::ReminderSchedule => "reminder_schedules",
            Self::Form => "forms",
        }
    }

    /// Whether an item missing from the file is removed. Settings every
    /// portal has (notifications, schedules) are never removed: a file without
    /// one leaves it as it is.
    pub fn removable(self) -> bool {
        !matches!(self, Self::Notification | Self::ReminderSchedule)
    }
}

/// What importing does to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    Added,
    Changed,
    Removed,
}

impl Change {
    pub fn label(self) -> &'static str {
        match self {
            Self::Added => "Added",
            Self::Changed => "Changed",
            Self::Removed => "Removed",
        }
    }
}

/// One item that differs, with a sentence saying how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub kind: ItemKind,
    /// The item's key within its kind (an id, a code, a date, an event).
    pub key: String,
    pub change: Change,
    /// "Team 'North' renamed to 'North and East'".
    pub summary: String,
    /// Why the import leaves this item as it is (a team still in use), if it does.
    pub kept: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.change.label(), self.summary)?;
        if let Some(reason) = &self.kept {
            write!(f, " (not done: {reason})")?;
        }
        Ok(())
    }
}

/// Something wrong in a document, naming where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {problem}")]
pub struct DocumentProblem {
    /// `teams[2] (North)`, `forms[0] (Travel request), version 3`.
    pub place: String,
    pub problem: String,
}

/// One kind of item of the document: its key, its name and how a change reads.
trait Item {
    const KIND: ItemKind;
    fn key(&self) -> String;
    fn name(&self) -> String;
    /// The sentences saying how `new` differs from `self` (empty if the same).
    fn changes(&self, new: &Self) -> Vec<String>;
}

fn quoted(text: &str) -> String {
    format!("'{text}'")
}

impl Item for TeamItem {
    const KIND: ItemKind = ItemKind::Team;
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn name(&self) -> String {
        quoted(&self.name)
    }
    fn changes(&self, new: &Self) -> Vec<String> {
        if self.name == new.name {
            Vec::new()
        } else {
            vec![format!("renamed to {}", quoted(&new.name))]
        }
    }
}

impl Item for GroupItem {
    const KIND: ItemKind = ItemKind::PermissionGroup;
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn name(&self) -> String {
        quoted(&self.name)
    }
    fn changes(&self, new: &Self) -> Vec<String> {
        let mut changes = Vec::new();
        if self.name != new.name {
            changes.push(format!("renamed to {}", quoted(&new.name)));
        }
        let old: BTreeSet<&String> = self.permissions.iter().collect();
        let now: BTreeSet<&String> = new.permissions.iter().collect();
        let label = |code: &&String| {
            code.parse::<Permission>()
                .map_or_else(|_| quoted(code), |p| quoted(p.label()))
        };
        let granted: Vec<String> = now.difference(&old).map(label).collect();
        let taken: Vec<String> = old.difference(&now).map(label).collect();
        if !granted.is_empty() {
            changes.push(format!("now grants {}", granted.join(", ")));
        }
        if !taken.is_empty() {
            changes.push(format!("no longer grants {}", taken.join(", ")));
        }
        changes
    }
}

impl Item for MessageTypeItem {
    const KIND: ItemKind = ItemKind::MessageType;
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn name(&self) -> String {
        quoted(&self.name)
    }
    fn changes(&self, new: &Self) -> Vec<String> {
        let mut changes = Vec::new();
        if self.name != new.name {
            changes.push(format!("renamed to {}", quoted(&new.name)));
        }
        if self.active != new.active {
            changes.push(
                if new.active {
                    "offered again"
                } else {
                    "retired"
                }
                .to_owned(),
            );
        }
        changes
    }
}

impl Item for TextItem {
    const KIND: ItemKind = ItemKind::Text;
    fn key(&self) -> String {
        self.key.clone()
    }
    fn name(&self) -> String {
        council_texts::spec(&self.key).map_or_else(
            || quoted(&self.key),
            |spec| format!("{} ({})", quoted(spec.label), spec.group.heading()),
        )
    }
    fn changes(&self, new: &Self) -> Vec<String> {
        if self.value == new.value {
            Vec::new()
        } else {
            vec!["reworded".to_owned()]
        }
    }
}

impl Item for MilestoneItem {
    const KIND: ItemKind = ItemKind::LocalMilestone;
    fn key(&self) -> String {
        self.code.clone()
    }
    fn name(&self) -> String {
        quoted(&self.title)
    }
    fn changes(&self, new: &Self) -> Vec<String> {
        let mut changes = Vec::new();
        if self.title != new.title {
            changes.push(format!("renamed to {}", quoted(&new.title)));
        }
        if self.involvement_kind != new.involvement_kind {
            changes.push(format!("now on {}", new.involvement_kind));
        }
        if (&self.start_event, &self.unit, self.amount) != (&new.start_event, &new.unit, new.amount)
        {
            let unit =
                MilestoneUnit::parse_code(&new.unit).map_or(new.unit.as_str(), |u| u.label());
            let start = new
                .start_event
                .parse::<EventKind>()
                .map_or_else(|_| new.start_event.clone(), |e| e.label().to_lowercase());
            changes.push(format!("now {} {unit} after: {start}", new.amount));
        }
        if self.explanation != new.explanation {
            changes.push("explanation changed".to_owned());
        }
        changes
    }
}

impl Item for HolidayItem {
    const KIND: ItemKind = ItemKind::OneOffHoliday;
    fn key(&self) -> String {
        self.date.clone()
    }
    fn name(&self) -> String {
        format!("{} on {}", quoted(&self.name), self.date)
    }
    fn changes(&self, new: &Self) -> Vec<String> {
        if self.name == new.name {
            Vec::new()
        } else {
            vec![format!("renamed to {}", quoted(&new.name))]
        }
    }
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

impl Item for NotificationItem {
    const KIND: ItemKind = ItemKind::Notification;
    fn key(&self) -> String {
        self.event.clone()
    }
    fn name(&self) -> String {
        self.event
            .parse::<NotificationEvent>()
            .map_or_else(|_| quoted(&self.event), |e| quoted(e.label()))
    }
    fn changes(&self, new: &Self) -> Vec<String> {
        let mut changes = Vec::new();
        if self.families != new.families {
            changes.push(format!("families {}", on_off(new.families)));
        }
        if self.professionals != new.professionals {
            changes.push(format!("professionals {}", on_off(new.professionals)));
        }
        if self.subject != new.subject {
            changes.push("subject changed".to_owned());
        }
        if self.body != new.body {
            changes.push("text changed".to_owned());
        }
        changes
    }
}

fn days(list: &[u8]) -> String {
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Item for ScheduleItem {
    const KIND: ItemKind = ItemKind::ReminderSchedule;
    fn key(&self) -> String {
        self.advice_kind.clone()
    }
    fn name(&self) -> String {
        self.advice_kind
            .parse::<AdviceKind>()
            .map_or_else(|_| quoted(&self.advice_kind), |k| quoted(k.label()))
    }
    fn changes(&self, new: &Self) -> Vec<String> {
        let mut changes = Vec::new();
        if self.days_before != new.days_before {
            changes.push(format!("days before now {}", days(&new.days_before)));
        }
        if self.on_the_day != new.on_the_day {
            changes.push(format!("on the day {}", on_off(new.on_the_day)));
        }
        if self.days_after != new.days_after {
            changes.push(format!("days after now {}", days(&new.days_after)));
        }
        changes
    }
}

impl Item for FormItem {
    const KIND: ItemKind = ItemKind::Form;
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn name(&self) -> String {
        quoted(&self.title)
    }
    fn changes(&self, new: &Self) -> Vec<String> {
        let mut changes = Vec::new();
        if self.title != new.title {
            changes.push(format!("renamed to {}", quoted(&new.title)));
        }
        let old: BTreeMap<u32, &str> = self
            .versions
            .iter()
            .map(|v| (v.number, v.definition.as_str()))
            .collect();
        for version in &new.versions {
            match old.get(&version.number) {
                None => changes.push(format!("version {} published", version.number)),
                Some(definition) if *definition != version.definition => changes.push(format!(
                    "published version {} differs (published versions are never changed)",
                    version.number
                )),
                Some(_) => {}
            }
        }
        if self.live_version != new.live_version {
            changes.push(match new.live_version {
                Some(n) => format!("version {n} live"),
                None => "no version live".to_owned(),
            });
        }
        if self.retired != new.retired {
            changes.push(
                if new.retired {
                    "retired"
                } else {
                    "offered again"
                }
                .to_owned(),
            );
        }
        if self.working_copy != new.working_copy {
            changes.push("working copy changed".to_owned());
        }
        changes
    }
}

fn diff_items<T: Item>(current: &[T], incoming: &[T], out: &mut Vec<Difference>) {
    let label = T::KIND.label();
    let now: BTreeMap<String, &T> = current.iter().map(|i| (i.key(), i)).collect();
    let new: BTreeMap<String, &T> = incoming.iter().map(|i| (i.key(), i)).collect();
    for (key, item) in &new {
        match now.get(key) {
            None => out.push(Difference {
                kind: T::KIND,
                key: key.clone(),
                change: Change::Added,
                summary: format!("{label} {} added", item.name()),
                kept: None,
            }),
            Some(old) => {
                let changes = old.changes(item);
                if !changes.is_empty() {
                    out.push(Difference {
                        kind: T::KIND,
                        key: key.clone(),
                        change: Change::Changed,
                        summary: format!("{label} {} {}", old.name(), changes.join("; ")),
                        kept: None,
                    });
                }
            }
        }
    }
    if T::KIND.removable() {
        for (key, item) in &now {
            if !new.contains_key(key) {
                out.push(Difference {
                    kind: T::KIND,
                    key: key.clone(),
                    change: Change::Removed,
                    summary: format!("{label} {} removed", item.name()),
                    kept: None,
                });
            }
        }
    }
}

/// What importing `incoming` over `current` would do, item by item, in the
/// order of [`ItemKind::ALL`] and then of each item's key. Empty if nothing.
pub fn differences(current: &Configuration, incoming: &Configuration) -> Vec<Difference> {
    let mut out = Vec::new();
    for kind in ItemKind::ALL {
        match kind {
            ItemKind::Team => diff_items(&current.teams, &incoming.teams, &mut out),
            ItemKind::PermissionGroup => {
                diff_items(
                    &current.permission_groups,
                    &incoming.permission_groups,
                    &mut out,
                );
            }
            ItemKind::MessageType => {
                diff_items(&current.message_types, &incoming.message_types, &mut out);
            }
            ItemKind::Text => diff_items(&current.texts, &incoming.texts, &mut out),
            ItemKind::LocalMilestone => {
                diff_items(
                    &current.local_milestones,
                    &incoming.local_milestones,
                    &mut out,
                );
            }
            ItemKind::OneOffHoliday => {
                diff_items(
                    &current.one_off_holidays,
                    &incoming.one_off_holidays,
                    &mut out,
                );
            }
            ItemKind::Notification => {
                diff_items(&current.notifications, &incoming.notifications, &mut out);
            }
            ItemKind::ReminderSchedule => {
                diff_items(
                    &current.reminder_schedules,
                    &incoming.reminder_schedules,
                    &mut out,
                );
            }
            ItemKind::Form => diff_items(&current.forms, &incoming.forms, &mut out),
        }
    }
    out
}

impl Configuration {
    /// An empty document of this format.
    pub fn empty() -> Self {
        Self {
            format_version: FORMAT_VERSION,
            teams: Vec::new(),
            permission_groups: Vec::new(),
            message_types: Vec::new(),
            texts: Vec::new(),
            local_milestones: Vec::new(),
            one_off_holidays: Vec::new(),
            notifications: Vec::new(),
            reminder_schedules: Vec::new(),
            forms: Vec::new(),
        }
    }

    /// The document in its one order: every list by its items' keys, a
    /// group's permissions by code, a form's versions by number.
    #[must_use]
    pub fn sorted(mut self) -> Self {
        self.teams.sort_by_key(Item::key);
        for group in &mut self.permission_groups {
            group.permissions.sort();
            group.permissions.dedup();
        }
        self.permission_groups.sort_by_key(Item::key);
        self.message_types.sort_by_key(Item::key);
        self.texts.sort_by_key(Item::key);
        self.local_milestones.sort_by_key(Item::key);
        self.one_off_holidays.sort_by_key(Item::key);
        self.notifications.sort_by_key(Item::key);
        self.reminder_schedules.sort_by_key(Item::key);
        for form in &mut self.forms {
            form.versions.sort_by_key(|v| v.number);
        }
        self.forms.sort_by_key(Item::key);
        self
    }

    /// Every problem in the document, each naming where: an unknown format
    /// version, a key given twice, a name taken twice, an unknown code, a text
    /// or schedule the portal would refuse, a form definition it cannot read.
    pub fn check(&self) -> Result<(), Vec<DocumentProblem>> {
        let mut problems = Vec::new();
        if self.format_version != FORMAT_VERSION {
            problems.push(DocumentProblem {
                place: "format_version".to_owned(),
                problem: format!(
                    "this portal reads format version {FORMAT_VERSION}, not {}",
                    self.format_version
                ),
            });
            return Err(problems);
        }
        twice(&self.teams, &mut problems, |t| Some(t.name.to_lowercase()));
        twice(&self.permission_groups, &mut problems, |g| {
            Some(g.name.to_lowercase())
        });
        twice(&self.message_types, &mut problems, |m| {
            Some(m.name.to_lowercase())
        });
        twice(&self.texts, &mut problems, |_| None);
        twice(&self.local_milestones, &mut problems, |_| None);
        twice(&self.one_off_holidays, &mut problems, |_| None);
        twice(&self.notifications, &mut problems, |_| None);
        twice(&self.reminder_schedules, &mut problems, |_| None);
        twice(&self.forms, &mut problems, |_| None);
        let mut note = |place: String, problem: String| {
            problems.push(DocumentProblem { place, problem });
        };
        for (i, team) in self.teams.iter().enumerate() {
            if let Err(problem) = checked_name(&team.name) {
                note(place(ItemKind::Team, i, &team.name), problem);
            }
        }
        for (i, group) in self.permission_groups.iter().enumerate() {
            if let Err(problem) = group.permission_set() {
                note(place(ItemKind::PermissionGroup, i, &group.name), problem);
            }
            if let Err(problem) = checked_name(&group.name) {
                note(place(ItemKind::PermissionGroup, i, &group.name), problem);
            }
        }
        for (i, item) in self.message_types.iter().enumerate() {
            if let Err(problem) = checked_name(&item.name) {
                note(place(ItemKind::MessageType, i, &item.name), problem);
            }
        }
        for (i, item) in self.texts.iter().enumerate() {
            if let Err(problem) = item.checked() {
                note(place(ItemKind::Text, i, &item.key), problem);
            }
        }
        for (i, milestone) in self.local_milestones.iter().enumerate() {
            if let Err(problem) = milestone.to_milestone() {
                note(
                    place(ItemKind::LocalMilestone, i, &milestone.title),
                    problem,
                );
            }
        }
        for (i, holiday) in self.one_off_holidays.iter().enumerate() {
            if let Err(problem) = holiday.checked() {
                note(place(ItemKind::OneOffHoliday, i, &holiday.date), problem);
            }
        }
        for (i, item) in self.notifications.iter().enumerate() {
            if let Err(problem) = item.to_setting() {
                note(place(ItemKind::Notification, i, &item.event), problem);
            }
        }
        for (i, item) in self.reminder_schedules.iter().enumerate() {
            if let Err(problem) = item.to_schedule() {
                note(
                    place(ItemKind::ReminderSchedule, i, &item.advice_kind),
                    problem,
                );
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// [`Self::check`], then each form's definitions read by `read`.
    pub fn check_with<E: fmt::Display>(
        &self,
        read: impl Fn(&str) -> Result<FormDefinition, E>,
    ) -> Result<(), Vec<DocumentProblem>> {
        self.check()?;
        let mut problems = Vec::new();
        for (i, form) in self.forms.iter().enumerate() {
            if let Err(problem) = form.checked(&read) {
                problems.push(DocumentProblem {
                    place: place(ItemKind::Form, i, &form.title),
                    problem,
                });
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

fn place(kind: ItemKind, index: usize, name: &str) -> String {
    format!("{}[{index}] ({name})", kind.section())
}

fn twice<T: Item>(
    items: &[T],
    problems: &mut Vec<DocumentProblem>,
    unique_name: impl Fn(&T) -> Option<String>,
) {
    let mut keys = BTreeSet::new();
    let mut names = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        if !keys.insert(item.key()) {
            problems.push(DocumentProblem {
                place: place(T::KIND, i, &item.key()),
                problem: "this item is in the file twice".to_owned(),
            });
        }
        if let Some(name) = unique_name(item)
            && !names.insert(name)
        {
            problems.push(DocumentProblem {
                place: place(T::KIND, i, &item.key()),
                problem: format!("another item is also named {}", item.name()),
            });
        }
    }
}

fn checked_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        Err("the name is empty".to_owned())
    } else if name.trim() != name {
        Err("the name starts or ends with spaces".to_owned())
    } else if name.chars().count() > 100 {
        Err("the name is longer than 100 characters".to_owned())
    } else {
        Ok(())
    }
}

fn code<T: std::str::FromStr>(what: &str, code: &str) -> Result<T, String> {
    code.parse()
        .map_err(|_| format!("{code:?} is not a known {what}"))
}

impl GroupItem {
    /// The permissions it grants.
    pub fn permission_set(&self) -> Result<BTreeSet<Permission>, String> {
        self.permissions
            .iter()
            .map(|p| code::<Permission>("permission", p))
            .collect()
    }
}

impl TextItem {
    /// The text as the Texts page would keep it, or why it would refuse it.
    pub fn checked(&self) -> Result<String, String> {
        let spec = council_texts::spec(&self.key)
            .ok_or_else(|| format!("{:?} is not a text the portal has", self.key))?;
        let value = spec.parse(&self.value).map_err(|e| e.to_string())?;
        if value != self.value {
            return Err("the text starts or ends with spaces".to_owned());
        }
        Ok(value)
    }
}

impl MilestoneItem {
    /// The milestone, checked as the administration page checks one; its code
    /// is the file's (the code a milestone was first given stays).
    pub fn to_milestone(&self) -> Result<LocalMilestone, String> {
        let kind = code::<InvolvementKind>("kind of involvement", &self.involvement_kind)?;
        let start = code::<EventKind>("event", &self.start_event)?;
        let unit = MilestoneUnit::parse_code(&self.unit)
            .ok_or_else(|| format!("{:?} is not a known unit", self.unit))?;
        let mut milestone = LocalMilestone::new(
            kind,
            &self.title,
            start,
            unit,
            self.amount,
            &self.explanation,
        )
        .map_err(|e| e.to_string())?;
        if !self.code.starts_with("local_") || self.code.chars().any(char::is_whitespace) {
            return Err(format!(
                "the code {:?} must start with local_ and have no spaces",
                self.code
            ));
        }
        milestone.code.clone_from(&self.code);
        Ok(milestone)
    }

    /// The milestone as the file says it.
    pub fn of(milestone: &LocalMilestone) -> Self {
        Self {
            code: milestone.code.clone(),
            involvement_kind: milestone.kind.code().to_owned(),
            title: milestone.title.clone(),
            start_event: milestone.start_event.code().to_owned(),
            unit: milestone.unit.code().to_owned(),
            amount: milestone.amount,
            explanation: milestone.explanation.clone(),
        }
    }
}

impl HolidayItem {
    /// The date, checked, and the name.
    pub fn checked(&self) -> Result<(time::Date, String), String> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let date = time::Date::parse(&self.date, &format)
            .map_err(|_| format!("{:?} is not a date written YYYY-MM-DD", self.date))?;
        checked_name(&self.name)?;
        Ok((date, self.name.clone()))
    }

    pub fn of(date: time::Date, name: &str) -> Self {
        Self {
            date: format!(
                "{:04}-{:02}-{:02}",
                date.year(),
                u8::from(date.month()),
                date.day()
            ),
            name: name.to_owned(),
        }
    }
}

impl NotificationItem {
    /// The setting, its text checked as the administration page checks it.
    pub fn to_setting(&self) -> Result<NotificationSetting, String> {
        let event = code::<NotificationEvent>("notification event", &self.event)?;
        let text =
            NotificationText::parse(event, &self.subject, &self.body).map_err(|problems| {
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            })?;
        Ok(NotificationSetting {
            event,
            audiences: Audiences {
                families: self.families,
                professionals: self.professionals,
            },
            text,
        })
    }

    pub fn of(setting: &NotificationSetting) -> Self {
        Self {
            event: setting.event.code().to_owned(),
            families: setting.audiences.families,
            professionals: setting.audiences.professionals,
            subject: setting.text.subject().to_owned(),
            body: setting.text.body().to_owned(),
        }
    }
}

impl ScheduleItem {
    /// The kind of advice and its schedule, checked as the page checks one.
    pub fn to_schedule(&self) -> Result<(AdviceKind, ReminderSchedule), String> {
        let kind = code::<AdviceKind>("kind of advice", &self.advice_kind)?;
        let list = |days: &[u8]| {
            ReminderSchedule::parse_days(
                &days
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .map_err(|e| e.to_string())
        };
        let before = list(&self.days_before)?;
        let after = list(&self.days_after)?;
        if before != self.days_before || after != self.days_after {
            return Err("list each number of days once, smallest first".to_owned());
        }
        Ok((
            kind,
            ReminderSchedule {
                before,
                on_the_day: self.on_the_day,
                after,
            },
        ))
    }

    pub fn of(kind: AdviceKind, schedule: &ReminderSchedule) -> Self {
        Self {
            advice_kind: kind.code().to_owned(),
            days_before: schedule.before.clone(),
            on_the_day: schedule.on_the_day,
            days_after: schedule.after.clone(),
        }
    }
}

impl FormItem {
    /// The versions numbered 1, 2, 3, … and the live one among them. (The
    /// definitions are JSON, which the application reads: `read` here.)
    pub fn checked<E: fmt::Display>(
        &self,
        read: impl Fn(&str) -> Result<FormDefinition, E>,
    ) -> Result<(FormDefinition, Vec<(u32, FormDefinition)>), String> {
        let working = read(&self.working_copy).map_err(|e| format!("the working copy: {e}"))?;
        if working.title != self.title {
            return Err(format!(
                "the title {:?} is not the working copy's title {:?}",
                self.title, working.title
            ));
        }
        let mut versions = Vec::new();
        for (i, version) in self.versions.iter().enumerate() {
            let expected = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if version.number != expected {
                return Err(format!(
                    "versions must be numbered 1, 2, 3, … (found {} where {expected} belongs)",
                    version.number
                ));
            }
            let definition = read(&version.definition)
                .map_err(|e| format!("version {}: {e}", version.number))?;
            versions.push((version.number, definition));
        }
        if let Some(live) = self.live_version
            && !self.versions.iter().any(|v| v.number == live)
        {
            return Err(format!("the live version {live} is not among the versions"));
        }
        Ok((working, versions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(n: u128, name: &str) -> TeamItem {
        TeamItem {
            id: Uuid::from_u128(n),
            name: name.to_owned(),
        }
    }

    fn doc() -> Configuration {
        let mut doc = Configuration::empty();
        doc.teams = vec![team(2, "South"), team(1, "North")];
        doc.permission_groups = vec![GroupItem {
            id: Uuid::from_u128(9),
            name: "Readers".to_owned(),
            permissions: vec!["view_cases".to_owned()],
        }];
        doc.one_off_holidays = vec![HolidayItem {
            date: "2027-05-10".to_owned(),
            name: "A state occasion".to_owned(),
        }];
        doc.sorted()
    }

    #[test]
    fn the_same_document_differs_in_nothing() {
        assert_eq!(differences(&doc(), &doc()), Vec::new());
    }

    #[test]
    fn sorting_gives_one_order() {
        let mut shuffled = doc();
        shuffled.teams.reverse();
        assert_eq!(shuffled.sorted(), doc());
        assert_eq!(doc().teams[0].name, "North");
    }

    #[test]
    fn each_change_is_named_with_its_item() {
        let mut new = doc();
        new.teams[0].name = "North and East".to_owned();
        new.teams.remove(1);
        new.teams.push(team(3, "West"));
        new.permission_groups[0].permissions = vec!["manage_staff".to_owned()];
        new.one_off_holidays.clear();
        let found: Vec<String> = differences(&doc(), &new.sorted())
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "Changed: Team 'North' renamed to 'North and East'",
                "Added: Team 'West' added",
                "Removed: Team 'South' removed",
                "Changed: Permission group 'Readers' now grants 'Manage staff'; no longer grants 'View cases'",
                "Removed: One-off holiday 'A state occasion' on 2027-05-10 removed",
            ]
        );
    }

    #[test]
    fn settings_missing_from_a_file_are_left_as_they_are() {
        let mut current = doc();
        current.reminder_schedules = vec![ScheduleItem::of(
            AdviceKind::ALL[0],
            &ReminderSchedule::default(),
        )];
        assert_eq!(differences(&current, &doc()), Vec::new());
    }

    #[test]
    fn problems_name_where_they_are() {
        let mut bad = doc();
        bad.teams.push(team(1, "north"));
        bad.permission_groups[0].permissions.push("fly".to_owned());
        bad.one_off_holidays[0].date = "10/05/2027".to_owned();
        let problems: Vec<String> = bad
            .check()
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(problems.contains(&format!(
            "teams[2] ({}): this item is in the file twice",
            Uuid::from_u128(1)
        )));
        assert!(problems.iter().any(
            |p| p.starts_with("teams[2]") && p.ends_with("another item is also named 'north'")
        ));
        assert!(problems.contains(
            &"permission_groups[0] (Readers): \"fly\" is not a known permission".to_owned()
        ));
        assert!(problems.contains(
            &"one_off_holidays[0] (10/05/2027): \"10/05/2027\" is not a date written YYYY-MM-DD"
                .to_owned()
        ));
        let mut future = doc();
        future.format_version = 2;
        assert_eq!(
            future.check().unwrap_err()[0].to_string(),
            "format_version: this portal reads format version 1, not 2"
        );
    }
}
