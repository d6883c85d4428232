//! Involvements on SQLite (reads; the writes are in `writes::involvements`):
//! each row with its events, completions and exceptions in tables of their own.
//! Every read is one read transaction, so an involvement is never seen half
//! written.

use async_trait::async_trait;
use rusqlite::Transaction;
use send_domain::involvements::{Involvement, Stage};
use send_domain::timeline::RecordedException;
use send_domain::{Child, ChildId, InvolvementId};
use send_store::{CaseloadQuery, InvolvementStore, StoreResult};

use crate::SqliteStore;
use crate::columns::{Columns, fill_owners, numbered, query_rows};
use crate::rows::{child_from_row, code, date, involvement_from_row, text, uuid};

/// The involvement's columns (`FROM involvements i`), each named `i_…` so that a
/// caseload row can hold the child's columns beside them.
macro_rules! involvement_columns {
    () => {
        "i.id AS i_id, i.child_id AS i_child_id, i.kind AS i_kind, i.stage AS i_stage, \
         i.stage_since AS i_stage_since, i.caseworker_id AS i_caseworker_id, \
         i.requested_by AS i_requested_by, i.request_outcome AS i_request_outcome, \
         i.assessment_outcome AS i_assessment_outcome, i.plan_start AS i_plan_start, \
         i.cease_reason AS i_cease_reason, i.opened_at AS i_opened_at, \
         i.updated_at AS i_updated_at, i.version AS i_version, \
         i.previous_stage AS i_previous_stage, \
         i.previous_stage_since AS i_previous_stage_since"
    };
}

/// What an involvement keeps in tables of its own.
#[derive(Debug, Clone, Copy)]
enum Detail {
    Event,
    Completion,
    Exception,
}

impl Detail {
    const ALL: [Self; 3] = [Self::Event, Self::Completion, Self::Exception];

    /// The statement reading this detail of the involvements whose ids are
    /// in the JSON array `$1` (`columns::id_list`), in order.
    fn sql(self) -> &'static str {
        match self {
            Self::Event => {
                "SELECT * FROM involvement_events \
                 WHERE involvement_id IN (SELECT value FROM json_each($1)) ORDER BY involvement_id"
            }
            Self::Completion => {
                "SELECT * FROM involvement_completions \
                 WHERE involvement_id IN (SELECT value FROM json_each($1)) ORDER BY involvement_id"
            }
            Self::Exception => {
                "SELECT * FROM involvement_exceptions \
                 WHERE involvement_id IN (SELECT value FROM json_each($1)) \
                 ORDER BY involvement_id, position"
            }
        }
    }

    /// Puts this detail of an involvement, read in `row`, on it.
    fn fill(self, involvement: &mut Involvement, row: &impl Columns) -> StoreResult<()> {
        match self {
            Self::Event => {
                let event = code(row, "event")?;
                involvement.events.insert(event, date(row, "occurred_on")?);
            }
            Self::Completion => {
                let rule_code = text(row, "rule_code")?;
                involvement
                    .completions
                    .insert(rule_code, date(row, "met_on")?);
            }
            Self::Exception => involvement.exceptions.push(RecordedException {
                kind: code(row, "kind")?,
                rule_code: text(row, "rule_code")?,
                reason: text(row, "reason")?,
                recorded_on: date(row, "recorded_on")?,
            }),
        }
        Ok(())
    }
}

/// Fills in the events, completions and exceptions of `involvements` (read
/// with [`involvement_from_row`]), one statement a kind of detail for them
/// all, in the caller's read.
fn load_details(tx: &Transaction<'_>, involvements: &mut [Involvement]) -> StoreResult<()> {
    for detail in Detail::ALL {
        fill_owners(
            tx,
            involvements,
            |involvement| involvement.id,
            detail.sql(),
            "details",
            |row| Ok(InvolvementId::from_uuid(uuid(row, "involvement_id")?)),
            |involvement, row| detail.fill(involvement, row),
        )?;
    }
    Ok(())
}

/// A child's involvements with their details, newest opened first, in the
/// caller's read.
pub(crate) fn of_child(tx: &Transaction<'_>, child: ChildId) -> StoreResult<Vec<Involvement>> {
    let mut involvements = query_rows(
        tx,
        concat!(
            "SELECT ",
            involvement_columns!(),
            " FROM involvements i WHERE i.child_id = $1 ORDER BY i.opened_at DESC, i.id DESC"
        ),
        numbered(&[&child.to_string()]).as_slice(),
        |row| involvement_from_row(row),
    )?;
    load_details(tx, &mut involvements)?;
    Ok(involvements)
}

#[async_trait]
impl InvolvementStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.involvement", skip_all)]
    async fn involvement(&self, id: InvolvementId) -> StoreResult<Option<Involvement>> {
        self.blocking
            .read(move |tx| {
                let mut found = query_rows(
                    tx,
                    concat!(
                        "SELECT ",
                        involvement_columns!(),
                        " FROM involvements i WHERE i.id = $1"
                    ),
                    numbered(&[&id.to_string()]).as_slice(),
                    |row| involvement_from_row(row),
                )?;
                load_details(tx, &mut found)?;
                Ok(found.pop())
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.involvements_of_child", skip_all)]
    async fn involvements_of_child(&self, child: ChildId) -> StoreResult<Vec<Involvement>> {
        self.blocking.read(move |tx| of_child(tx, child)).await
    }

    #[tracing::instrument(level = "debug", name = "store.open_involvements", skip_all)]
    async fn open_involvements(
        &self,
        query: &CaseloadQuery,
    ) -> StoreResult<Vec<(Involvement, Child)>> {
        if query.teams.as_ref().is_some_and(Vec::is_empty) {
            return Ok(Vec::new());
        }
        // On rusqlite (`blocking_reads`): the caseload reads a row for each
        // open case and each of its details.
        let mut sql = concat!(
            "SELECT ",
            involvement_columns!(),
            ", c.* FROM involvements i JOIN children c ON c.id = i.child_id \
             WHERE i.stage NOT IN ("
        )
        .to_owned();
        let closed: Vec<String> = Stage::ALL
            .iter()
            .filter(|s| s.is_closed())
            .map(|s| s.code().to_owned())
            .collect();
        sql.push_str(&vec!["?"; closed.len()].join(", "));
        sql.push(')');
        let mut binds = closed;
        if let Some(caseworker) = query.caseworker {
            sql.push_str(" AND i.caseworker_id = ?");
            binds.push(caseworker.to_string());
        }
        if let Some(teams) = &query.teams {
            sql.push_str(" AND c.team_id IN (");
            sql.push_str(&vec!["?"; teams.len()].join(", "));
            sql.push(')');
            binds.extend(teams.iter().map(ToString::to_string));
        }
        sql.push_str(" ORDER BY i.opened_at, i.id");
        let (involvements, children) = self
            .blocking
            .read(move |tx| {
                let rows = query_rows(tx, &sql, rusqlite::params_from_iter(&binds), |row| {
                    Ok((involvement_from_row(row)?, child_from_row(row)?))
                })?;
                let (mut involvements, children): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
                load_details(tx, &mut involvements)?;
                Ok((involvements, children))
            })
            .await?;
        Ok(involvements.into_iter().zip(children).collect())
    }
}
