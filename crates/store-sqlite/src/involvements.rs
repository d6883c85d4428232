//! Involvements on SQLite (reads; the writes are in `writes::involvements`):
//! each row with its events, completions and exceptions in tables of their own.
//! Every read is one read transaction, so an involvement is never seen half
//! written.

use std::collections::HashMap;

use async_trait::async_trait;
use send_domain::involvements::{Involvement, Stage};
use send_domain::timeline::RecordedException;
use send_domain::{Child, ChildId, InvolvementId};
use send_store::{CaseloadQuery, InvolvementStore, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::SqliteStore;
use crate::convert::{corrupt, from_sqlx};
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

/// How many ids go into one `IN (…)` list when loading events, completions and
/// exceptions, well under SQLite's limit on bound values.
const IDS_PER_QUERY: usize = 500;

/// The rows of `table` belonging to these ids (`SELECT * … WHERE involvement_id
/// IN (…)`), in `order`.
async fn detail_rows(
    conn: &mut SqliteConnection,
    table: &'static str,
    order: &'static str,
    ids: &[String],
) -> StoreResult<Vec<SqliteRow>> {
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT * FROM ");
    sql.push(table).push(" WHERE involvement_id IN (");
    let mut list = sql.separated(", ");
    for id in ids {
        list.push_bind(id.as_str());
    }
    sql.push(") ORDER BY ").push(order);
    sql.build().fetch_all(conn).await.map_err(from_sqlx)
}

/// Fills in the events, completions and exceptions of `involvements` (read
/// with [`involvement_from_row`]), a few queries for them all.
async fn load_details(
    conn: &mut SqliteConnection,
    involvements: &mut [Involvement],
) -> StoreResult<()> {
    let index: HashMap<InvolvementId, usize> = involvements
        .iter()
        .enumerate()
        .map(|(i, involvement)| (involvement.id, i))
        .collect();
    let owner = |row: &SqliteRow| -> StoreResult<usize> {
        let id = InvolvementId::from_uuid(uuid(row, "involvement_id")?);
        index
            .get(&id)
            .copied()
            .ok_or_else(|| corrupt(format_args!("details of involvement {id}")))
    };
    let ids: Vec<String> = involvements.iter().map(|i| i.id.to_string()).collect();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        for row in detail_rows(conn, "involvement_events", "involvement_id", chunk).await? {
            let event = code(&row, "event")?;
            let on = date(&row, "occurred_on")?;
            involvements[owner(&row)?].events.insert(event, on);
        }
        for row in detail_rows(conn, "involvement_completions", "involvement_id", chunk).await? {
            let rule_code = text(&row, "rule_code")?;
            let on = date(&row, "met_on")?;
            involvements[owner(&row)?].completions.insert(rule_code, on);
        }
        let exceptions = detail_rows(
            conn,
            "involvement_exceptions",
            "involvement_id, position",
            chunk,
        )
        .await?;
        for row in exceptions {
            let exception = RecordedException {
                kind: code(&row, "kind")?,
                rule_code: text(&row, "rule_code")?,
                reason: text(&row, "reason")?,
                recorded_on: date(&row, "recorded_on")?,
            };
            involvements[owner(&row)?].exceptions.push(exception);
        }
    }
    Ok(())
}

/// A child's involvements with their details, newest opened first, on an open
/// connection (the caller's read transaction).
pub(crate) async fn of_child(
    conn: &mut SqliteConnection,
    child: ChildId,
) -> StoreResult<Vec<Involvement>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        involvement_columns!(),
        " FROM involvements i WHERE i.child_id = $1 ORDER BY i.opened_at DESC, i.id DESC"
    ))
    .bind(child.to_string())
    .fetch_all(&mut *conn)
    .await
    .map_err(from_sqlx)?;
    let mut involvements = rows
        .iter()
        .map(involvement_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
    load_details(conn, &mut involvements).await?;
    Ok(involvements)
}

#[async_trait]
impl InvolvementStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.involvement", skip_all)]
    async fn involvement(&self, id: InvolvementId) -> StoreResult<Option<Involvement>> {
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let Some(row) = sqlx::query(concat!(
            "SELECT ",
            involvement_columns!(),
            " FROM involvements i WHERE i.id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        else {
            return Ok(None);
        };
        let mut found = [involvement_from_row(&row)?];
        load_details(&mut tx, &mut found).await?;
        tx.commit().await.map_err(from_sqlx)?;
        let [involvement] = found;
        Ok(Some(involvement))
    }

    #[tracing::instrument(level = "debug", name = "store.involvements_of_child", skip_all)]
    async fn involvements_of_child(&self, child: ChildId) -> StoreResult<Vec<Involvement>> {
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let involvements = of_child(&mut tx, child).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(involvements)
    }

    #[tracing::instrument(level = "debug", name = "store.open_involvements", skip_all)]
    async fn open_involvements(
        &self,
        query: &CaseloadQuery,
    ) -> StoreResult<Vec<(Involvement, Child)>> {
        if query.teams.as_ref().is_some_and(Vec::is_empty) {
            return Ok(Vec::new());
        }
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(concat!(
            "SELECT ",
            involvement_columns!(),
            ", c.* FROM involvements i JOIN children c ON c.id = i.child_id \
             WHERE i.stage NOT IN ("
        ));
        let mut closed = sql.separated(", ");
        for stage in Stage::ALL.iter().filter(|s| s.is_closed()) {
            closed.push_bind(stage.code());
        }
        sql.push(")");
        if let Some(caseworker) = query.caseworker {
            sql.push(" AND i.caseworker_id = ")
                .push_bind(caseworker.to_string());
        }
        if let Some(teams) = &query.teams {
            sql.push(" AND c.team_id IN (");
            let mut list = sql.separated(", ");
            for team in teams {
                list.push_bind(team.to_string());
            }
            sql.push(")");
        }
        sql.push(" ORDER BY i.opened_at, i.id");
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let rows = sql.build().fetch_all(&mut *tx).await.map_err(from_sqlx)?;
        let mut involvements = rows
            .iter()
            .map(involvement_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let children = rows
            .iter()
            .map(child_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        load_details(&mut tx, &mut involvements).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(involvements.into_iter().zip(children).collect())
    }
}
