//! Involvements on SQLite: each row with its events, completions and exceptions
//! in tables of their own. Every write is one transaction on the single writer
//! connection, with its chronology entry and effects; every read is one read
//! transaction, so an involvement is never seen half written.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use send_domain::involvements::{
    AssessmentOutcome, CeaseReason, Involvement, RequestOutcome, Requester, Stage,
};
use send_domain::timeline::RecordedException;
use send_domain::{Child, ChildId, InvolvementId, UserId};
use send_store::{
    CaseloadQuery, ChronologyEntry, Effects, InvolvementStore, StoreError, StoreResult,
};
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::SqliteStore;
use crate::cases::{
    child_from_row, date_from_text, date_to_text, id_from_row, insert_entry, optional_id,
};
use crate::convert::{corrupt, from_sqlx, time_from_text, time_to_text};
use crate::effects;

/// The involvement's columns (`FROM involvements i`), each named `i_…` so that a
/// caseload row can hold the child's columns beside them.
macro_rules! involvement_columns {
    () => {
        "i.id AS i_id, i.child_id AS i_child_id, i.kind AS i_kind, i.stage AS i_stage, \
         i.stage_since AS i_stage_since, i.caseworker_id AS i_caseworker_id, \
         i.requested_by AS i_requested_by, i.request_outcome AS i_request_outcome, \
         i.assessment_outcome AS i_assessment_outcome, i.plan_start AS i_plan_start, \
         i.cease_reason AS i_cease_reason, i.opened_at AS i_opened_at, \
         i.updated_at AS i_updated_at"
    };
}

/// How many ids go into one `IN (…)` list when loading events, completions and
/// exceptions, well under SQLite's limit on bound values.
const IDS_PER_QUERY: usize = 500;

/// A stored code as its enum.
fn code<T>(text: &str) -> StoreResult<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse().map_err(corrupt)
}

/// An involvement from the `i_…` columns, without its events, completions and
/// exceptions (see [`load_details`]).
fn involvement_from_row(row: &SqliteRow) -> StoreResult<Involvement> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    let optional = |name: &str| row.try_get::<Option<String>, _>(name).map_err(from_sqlx);
    Ok(Involvement {
        id: InvolvementId::from_uuid(id_from_row(row, "i_id")?),
        child_id: ChildId::from_uuid(id_from_row(row, "i_child_id")?),
        kind: code(&text("i_kind")?)?,
        stage: code(&text("i_stage")?)?,
        stage_since: date_from_text(&text("i_stage_since")?)?,
        caseworker_id: optional_id(row, "i_caseworker_id")?.map(UserId::from_uuid),
        requested_by: optional("i_requested_by")?.map(|c| code(&c)).transpose()?,
        events: BTreeMap::new(),
        completions: BTreeMap::new(),
        exceptions: Vec::new(),
        request_outcome: optional("i_request_outcome")?
            .map(|c| code(&c))
            .transpose()?,
        assessment_outcome: optional("i_assessment_outcome")?
            .map(|c| code(&c))
            .transpose()?,
        plan_start: optional("i_plan_start")?
            .map(|d| date_from_text(&d))
            .transpose()?,
        cease_reason: optional("i_cease_reason")?.map(|c| code(&c)).transpose()?,
        opened_at: time_from_text(&text("i_opened_at")?)?,
        updated_at: time_from_text(&text("i_updated_at")?)?,
    })
}

/// Binds what an update may change, in the order of the statements below (`?1`
/// the stage to `?9` `updated_at`).
fn bind_changes<'q>(
    query: Query<'q, Sqlite, SqliteArguments>,
    involvement: &Involvement,
) -> Query<'q, Sqlite, SqliteArguments> {
    query
        .bind(involvement.stage.code())
        .bind(date_to_text(involvement.stage_since))
        .bind(involvement.caseworker_id.map(|id| id.to_string()))
        .bind(involvement.requested_by.map(Requester::code))
        .bind(involvement.request_outcome.map(RequestOutcome::code))
        .bind(involvement.assessment_outcome.map(AssessmentOutcome::code))
        .bind(involvement.plan_start.map(date_to_text))
        .bind(involvement.cease_reason.map(CeaseReason::code))
        .bind(time_to_text(involvement.updated_at))
}

/// Writes the involvement's events, completions and exceptions (in order).
async fn insert_details(conn: &mut SqliteConnection, involvement: &Involvement) -> StoreResult<()> {
    let id = involvement.id.to_string();
    for (event, on) in &involvement.events {
        sqlx::query(
            "INSERT INTO involvement_events (involvement_id, event, occurred_on) VALUES (?, ?, ?)",
        )
        .bind(&id)
        .bind(event.code())
        .bind(date_to_text(*on))
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    }
    for (rule_code, on) in &involvement.completions {
        sqlx::query(
            "INSERT INTO involvement_completions (involvement_id, rule_code, met_on) \
             VALUES (?, ?, ?)",
        )
        .bind(&id)
        .bind(rule_code.as_str())
        .bind(date_to_text(*on))
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    }
    for (position, exception) in (0_i64..).zip(&involvement.exceptions) {
        sqlx::query(
            "INSERT INTO involvement_exceptions \
             (involvement_id, position, kind, rule_code, reason, recorded_on) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(position)
        .bind(exception.kind.code())
        .bind(exception.rule_code.as_str())
        .bind(exception.reason.as_str())
        .bind(date_to_text(exception.recorded_on))
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    }
    Ok(())
}

async fn delete_details(conn: &mut SqliteConnection, id: InvolvementId) -> StoreResult<()> {
    for statement in [
        "DELETE FROM involvement_events WHERE involvement_id = ?",
        "DELETE FROM involvement_completions WHERE involvement_id = ?",
        "DELETE FROM involvement_exceptions WHERE involvement_id = ?",
    ] {
        sqlx::query(statement)
            .bind(id.to_string())
            .execute(&mut *conn)
            .await
            .map_err(from_sqlx)?;
    }
    Ok(())
}

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
        let id = InvolvementId::from_uuid(id_from_row(row, "involvement_id")?);
        index
            .get(&id)
            .copied()
            .ok_or_else(|| corrupt(format_args!("details of involvement {id}")))
    };
    let ids: Vec<String> = involvements.iter().map(|i| i.id.to_string()).collect();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        for row in detail_rows(conn, "involvement_events", "involvement_id", chunk).await? {
            let event = code(&row.try_get::<String, _>("event").map_err(from_sqlx)?)?;
            let on = date_from_text(&row.try_get::<String, _>("occurred_on").map_err(from_sqlx)?)?;
            involvements[owner(&row)?].events.insert(event, on);
        }
        for row in detail_rows(conn, "involvement_completions", "involvement_id", chunk).await? {
            let rule_code: String = row.try_get("rule_code").map_err(from_sqlx)?;
            let on = date_from_text(&row.try_get::<String, _>("met_on").map_err(from_sqlx)?)?;
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
                kind: code(&row.try_get::<String, _>("kind").map_err(from_sqlx)?)?,
                rule_code: row.try_get("rule_code").map_err(from_sqlx)?,
                reason: row.try_get("reason").map_err(from_sqlx)?,
                recorded_on: date_from_text(
                    &row.try_get::<String, _>("recorded_on").map_err(from_sqlx)?,
                )?,
            };
            involvements[owner(&row)?].exceptions.push(exception);
        }
    }
    Ok(())
}

#[async_trait]
impl InvolvementStore for SqliteStore {
    async fn insert_involvement(
        &self,
        involvement: &Involvement,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        bind_changes(
            sqlx::query(
                "INSERT INTO involvements \
                 (stage, stage_since, caseworker_id, requested_by, request_outcome, \
                  assessment_outcome, plan_start, cease_reason, updated_at, \
                  id, child_id, kind, opened_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            ),
            involvement,
        )
        .bind(involvement.id.to_string())
        .bind(involvement.child_id.to_string())
        .bind(involvement.kind.code())
        .bind(time_to_text(involvement.opened_at))
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        insert_details(&mut tx, involvement).await?;
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn update_involvement(
        &self,
        involvement: &Involvement,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = bind_changes(
            sqlx::query(
                "UPDATE involvements SET stage = ?1, stage_since = ?2, caseworker_id = ?3, \
                 requested_by = ?4, request_outcome = ?5, assessment_outcome = ?6, \
                 plan_start = ?7, cease_reason = ?8, updated_at = ?9 \
                 WHERE id = ?10",
            ),
            involvement,
        )
        .bind(involvement.id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        delete_details(&mut tx, involvement.id).await?;
        insert_details(&mut tx, involvement).await?;
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn involvement(&self, id: InvolvementId) -> StoreResult<Option<Involvement>> {
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let Some(row) = sqlx::query(concat!(
            "SELECT ",
            involvement_columns!(),
            " FROM involvements i WHERE i.id = ?"
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

    async fn involvements_of_child(&self, child: ChildId) -> StoreResult<Vec<Involvement>> {
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let rows = sqlx::query(concat!(
            "SELECT ",
            involvement_columns!(),
            " FROM involvements i WHERE i.child_id = ? ORDER BY i.opened_at DESC, i.id DESC"
        ))
        .bind(child.to_string())
        .fetch_all(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let mut involvements = rows
            .iter()
            .map(involvement_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        load_details(&mut tx, &mut involvements).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(involvements)
    }

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
