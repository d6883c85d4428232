//! Involvements on PostgreSQL (reads; the writes are in `writes::involvements`):
//! each row with its events, completions and exceptions in tables of their own.
//! Every read is one transaction, so an involvement is never seen half written.

use std::collections::HashMap;

use async_trait::async_trait;
use send_domain::involvements::{Involvement, Stage};
use send_domain::timeline::RecordedException;
use send_domain::{Child, ChildId, InvolvementId, TeamId};
use send_store::{CaseloadQuery, InvolvementStore, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::PgStore;
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

/// Fills in the events, completions and exceptions of `involvements` (read
/// with [`involvement_from_row`]), one query each for them all.
async fn load_details(
    conn: &mut PgConnection,
    involvements: &mut [Involvement],
) -> StoreResult<()> {
    let index: HashMap<InvolvementId, usize> = involvements
        .iter()
        .enumerate()
        .map(|(i, involvement)| (involvement.id, i))
        .collect();
    let owner = |row: &PgRow| -> StoreResult<usize> {
        let id = InvolvementId::from_uuid(uuid(row, "involvement_id")?);
        index
            .get(&id)
            .copied()
            .ok_or_else(|| corrupt(format_args!("details of involvement {id}")))
    };
    let ids: Vec<Uuid> = involvements.iter().map(|i| i.id.as_uuid()).collect();
    let events = sqlx::query("SELECT * FROM involvement_events WHERE involvement_id = ANY($1)")
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    for row in &events {
        let event = code(row, "event")?;
        let on = date(row, "occurred_on")?;
        involvements[owner(row)?].events.insert(event, on);
    }
    let completions =
        sqlx::query("SELECT * FROM involvement_completions WHERE involvement_id = ANY($1)")
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await
            .map_err(from_sqlx)?;
    for row in &completions {
        let rule_code = text(row, "rule_code")?;
        let on = date(row, "met_on")?;
        involvements[owner(row)?].completions.insert(rule_code, on);
    }
    let exceptions = sqlx::query(
        "SELECT * FROM involvement_exceptions WHERE involvement_id = ANY($1) \
         ORDER BY involvement_id, position",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(from_sqlx)?;
    for row in &exceptions {
        let exception = RecordedException {
            kind: code(row, "kind")?,
            rule_code: text(row, "rule_code")?,
            reason: text(row, "reason")?,
            recorded_on: date(row, "recorded_on")?,
        };
        involvements[owner(row)?].exceptions.push(exception);
    }
    Ok(())
}

/// A child's involvements with their details, newest opened first, on an open
/// connection (the caller's transaction).
pub(crate) async fn of_child(
    conn: &mut PgConnection,
    child: ChildId,
) -> StoreResult<Vec<Involvement>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        involvement_columns!(),
        " FROM involvements i WHERE i.child_id = $1 ORDER BY i.opened_at DESC, i.id DESC"
    ))
    .bind(child.as_uuid())
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
impl InvolvementStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.involvement", skip_all)]
    async fn involvement(&self, id: InvolvementId) -> StoreResult<Option<Involvement>> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let Some(row) = sqlx::query(concat!(
            "SELECT ",
            involvement_columns!(),
            " FROM involvements i WHERE i.id = $1"
        ))
        .bind(id.as_uuid())
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
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
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
        let closed: Vec<&'static str> = Stage::ALL
            .iter()
            .filter(|s| s.is_closed())
            .map(|s| s.code())
            .collect();
        let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(concat!(
            "SELECT ",
            involvement_columns!(),
            ", c.* FROM involvements i JOIN children c ON c.id = i.child_id \
             WHERE i.stage <> ALL("
        ));
        sql.push_bind(closed).push(")");
        if let Some(caseworker) = query.caseworker {
            sql.push(" AND i.caseworker_id = ")
                .push_bind(caseworker.as_uuid());
        }
        if let Some(teams) = &query.teams {
            let ids: Vec<Uuid> = teams.iter().map(TeamId::as_uuid).collect();
            sql.push(" AND c.team_id = ANY(").push_bind(ids).push(")");
        }
        sql.push(" ORDER BY i.opened_at, i.id");
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
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
