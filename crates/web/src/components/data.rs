//! Data display: summary list (and summary card), table.

use askama::Template;
use serde::Deserialize;

use super::{Attributes, Content, Present, Tag, de, html_safe};

/// Text or HTML with extra classes: a summary list key or value.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SummaryListCell {
    /// Text.
    #[serde(default)]
    pub text: Option<String>,
    /// HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
}

impl SummaryListCell {
    /// Plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// Trusted HTML.
    pub fn html(html: impl Into<String>) -> Self {
        Self {
            html: Some(html.into()),
            ..Self::default()
        }
    }

    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// One action link ("Change") in a summary list row or card.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SummaryListAction {
    /// Link target.
    #[serde(default)]
    pub href: Option<String>,
    /// Link text.
    #[serde(default)]
    pub text: Option<String>,
    /// Link HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Hidden text after the link text, for example "name".
    #[serde(default)]
    pub visually_hidden_text: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl SummaryListAction {
    /// A link such as "Change" with hidden context such as "name".
    pub fn new(
        text: impl Into<String>,
        href: impl Into<String>,
        visually_hidden_text: impl Into<String>,
    ) -> Self {
        Self {
            text: Some(text.into()),
            href: Some(href.into()),
            visually_hidden_text: Some(visually_hidden_text.into()),
            ..Self::default()
        }
    }

    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// The actions of a summary list row or card.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SummaryListActions {
    /// The links.
    #[serde(default)]
    pub items: Option<Vec<SummaryListAction>>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
}

impl SummaryListActions {
    fn links(&self) -> &[SummaryListAction] {
        self.items.as_deref().unwrap_or_default()
    }
}

/// One row of a [`SummaryList`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SummaryListRow {
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// The key (`<dt>`).
    #[serde(default)]
    pub key: SummaryListCell,
    /// The value (`<dd>`).
    #[serde(default)]
    pub value: SummaryListCell,
    /// Action links.
    #[serde(default)]
    pub actions: Option<SummaryListActions>,
}

impl SummaryListRow {
    /// A row with a text key and text value.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: SummaryListCell::text(key),
            value: SummaryListCell::text(value),
            ..Self::default()
        }
    }

    /// Add an action link.
    #[must_use]
    pub fn action(mut self, action: SummaryListAction) -> Self {
        self.actions
            .get_or_insert_with(SummaryListActions::default)
            .items
            .get_or_insert_with(Vec::new)
            .push(action);
        self
    }

    fn links(&self) -> &[SummaryListAction] {
        self.actions
            .as_ref()
            .map(SummaryListActions::links)
            .unwrap_or_default()
    }
}

/// The title of a summary card.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SummaryCardTitle {
    /// Text.
    #[serde(default)]
    pub text: Option<String>,
    /// HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Heading level; defaults to 2.
    #[serde(default)]
    pub heading_level: Option<u8>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
}

impl SummaryCardTitle {
    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }

    fn level(&self) -> u8 {
        self.heading_level.filter(|l| *l != 0).unwrap_or(2)
    }
}

/// A summary card around a [`SummaryList`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SummaryCard {
    /// The title.
    #[serde(default)]
    pub title: Option<SummaryCardTitle>,
    /// Card-level action links.
    #[serde(default)]
    pub actions: Option<SummaryListActions>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

/// GOV.UK summary list (`govukSummaryList`), optionally in a summary card.
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/summary-list.html")]
pub struct SummaryList {
    /// The rows (falsy entries are skipped).
    #[serde(default, deserialize_with = "de::items")]
    pub rows: Vec<Option<SummaryListRow>>,
    /// Wrap the list in a summary card.
    #[serde(default)]
    pub card: Option<SummaryCard>,
    /// Extra classes, for example `govuk-summary-list--no-border`.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl SummaryList {
    /// An empty summary list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a row.
    #[must_use]
    pub fn row(mut self, row: SummaryListRow) -> Self {
        self.rows.push(Some(row));
        self
    }

    /// Put the list in a card with this title.
    #[must_use]
    pub fn card(mut self, title: impl Into<String>) -> Self {
        self.card = Some(SummaryCard {
            title: Some(SummaryCardTitle {
                text: Some(title.into()),
                ..SummaryCardTitle::default()
            }),
            ..SummaryCard::default()
        });
        self
    }

    fn any_row_has_actions(&self) -> bool {
        self.rows
            .iter()
            .flatten()
            .any(|row| !row.links().is_empty())
    }

    fn no_actions(&self, row: &SummaryListRow) -> bool {
        self.any_row_has_actions()
            && row
                .actions
                .as_ref()
                .is_none_or(|actions| actions.items.is_none())
    }

    fn card_title(&self) -> Option<&SummaryCardTitle> {
        self.card.as_ref().and_then(|c| c.title.as_ref())
    }
}

/// A table cell (header or data).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TableCell {
    /// Text (numbers allowed).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub text: Option<String>,
    /// HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// `numeric` to right-align.
    #[serde(default)]
    pub format: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// `colspan`.
    #[serde(default)]
    pub colspan: Option<u32>,
    /// `rowspan`.
    #[serde(default)]
    pub rowspan: Option<u32>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl TableCell {
    /// A text cell.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// A right-aligned numeric cell.
    pub fn numeric(text: impl Into<String>) -> Self {
        Self {
            format: Some("numeric".to_owned()),
            ..Self::new(text)
        }
    }

    /// A cell of trusted HTML.
    pub fn html(html: impl Into<String>) -> Self {
        Self {
            html: Some(html.into()),
            ..Self::default()
        }
    }

    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }

    fn colspan(&self) -> Option<u32> {
        self.colspan.filter(|n| *n != 0)
    }

    fn rowspan(&self) -> Option<u32> {
        self.rowspan.filter(|n| *n != 0)
    }
}

/// GOV.UK table (`govukTable`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/table.html")]
pub struct Table {
    /// Rows of cells (falsy rows are skipped).
    #[serde(default, deserialize_with = "de::items")]
    pub rows: Vec<Option<Vec<TableCell>>>,
    /// Header cells.
    #[serde(default)]
    pub head: Option<Vec<TableCell>>,
    /// Caption text.
    #[serde(default)]
    pub caption: Option<String>,
    /// Caption classes, for example `govuk-table__caption--m`.
    #[serde(default)]
    pub caption_classes: Option<String>,
    /// Make the first cell of each row a row header.
    #[serde(default)]
    pub first_cell_is_header: bool,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl Table {
    /// A table with a caption and header row.
    pub fn new(caption: impl Into<String>, head: Vec<TableCell>) -> Self {
        Self {
            caption: Some(caption.into()),
            head: Some(head),
            ..Self::default()
        }
    }

    /// Add a row.
    #[must_use]
    pub fn row(mut self, cells: Vec<TableCell>) -> Self {
        self.rows.push(Some(cells));
        self
    }
}

/// The title, hint or status text of a [`TaskListItem`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskListText {
    /// Text.
    #[serde(default)]
    pub text: Option<String>,
    /// HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
}

impl TaskListText {
    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// The status of a [`TaskListItem`]: a tag, or text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskListStatus {
    /// A tag, for example "Incomplete"; wins over text.
    #[serde(default)]
    pub tag: Option<Tag>,
    /// Text, for example "Completed".
    #[serde(default)]
    pub text: Option<String>,
    /// HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
}

impl TaskListStatus {
    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// One task of a [`TaskList`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskListItem {
    /// The task name.
    #[serde(default)]
    pub title: TaskListText,
    /// A hint under the name.
    #[serde(default)]
    pub hint: Option<TaskListText>,
    /// The status.
    #[serde(default)]
    pub status: TaskListStatus,
    /// Link to the task.
    #[serde(default)]
    pub href: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
}

impl TaskListItem {
    /// A task linking to `href` with a text status.
    pub fn new(
        title: impl Into<String>,
        href: impl Into<String>,
        status: impl Into<String>,
    ) -> Self {
        Self {
            title: TaskListText {
                text: Some(title.into()),
                ..TaskListText::default()
            },
            href: Some(href.into()),
            status: TaskListStatus {
                text: Some(status.into()),
                ..TaskListStatus::default()
            },
            ..Self::default()
        }
    }

    /// Show the status as a tag instead of text.
    #[must_use]
    pub fn status_tag(mut self, tag: Tag) -> Self {
        self.status = TaskListStatus {
            tag: Some(tag),
            ..TaskListStatus::default()
        };
        self
    }
}

/// GOV.UK task list (`govukTaskList`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/task-list.html")]
pub struct TaskList {
    /// The tasks (falsy entries are skipped).
    #[serde(default, deserialize_with = "de::items")]
    pub items: Vec<Option<TaskListItem>>,
    /// Prefix for hint and status ids; defaults to `task-list`.
    #[serde(default)]
    pub id_prefix: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl TaskList {
    /// An empty task list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a task.
    #[must_use]
    pub fn item(mut self, item: TaskListItem) -> Self {
        self.items.push(Some(item));
        self
    }

    fn item_id(&self, index: usize, suffix: &str) -> String {
        let prefix = self.id_prefix.present().unwrap_or("task-list");
        format!("{prefix}-{index}-{suffix}")
    }
}

html_safe!(SummaryList, Table, TaskList);
