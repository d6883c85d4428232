//! Writes of involvements: each row with its events, completions and exceptions
//! in tables of their own.

use send_domain::InvolvementId;
use send_domain::involvements::{
    AssessmentOutcome, CeaseReason, Involvement, RequestOutcome, Requester,
};
use send_store::{INVOLVEMENT_CHANGED, StoreResult};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{PgConnection, Postgres};

use super::{refused, write_error};
use crate::convert::number_to_db;

/// Binds what an update may change, in the order of the statements below (`$1`
/// the stage to `$9` `updated_at`, then `$10` and `$11` the stage before the last
/// move and its date).
fn bind_changes<'q>(
    query: Query<'q, Postgres, PgArguments>,
    involvement: &Involvement,
) -> Query<'q, Postgres, PgArguments> {
    query
        .bind(involvement.stage.code())
        .bind(involvement.stage_since)
        .bind(involvement.caseworker_id.map(|id| id.as_uuid()))
        .bind(involvement.requested_by.map(Requester::code))
        .bind(involvement.request_outcome.map(RequestOutcome::code))
        .bind(involvement.assessment_outcome.map(AssessmentOutcome::code))
        .bind(involvement.plan_start)
        .bind(involvement.cease_reason.map(CeaseReason::code))
        .bind(involvement.updated_at)
        .bind(involvement.previous.map(|p| p.stage.code()))
        .bind(involvement.previous.map(|p| p.since))
}

pub(super) async fn insert_involvement(
    conn: &mut PgConnection,
    involvement: &Involvement,
) -> StoreResult<u64> {
    let done = bind_changes(
        sqlx::query(
            "INSERT INTO involvements \
             (stage, stage_since, caseworker_id, requested_by, request_outcome, \
              assessment_outcome, plan_start, cease_reason, updated_at, \
              previous_stage, previous_stage_since, \
              id, child_id, kind, opened_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        ),
        involvement,
    )
    .bind(involvement.id.as_uuid())
    .bind(involvement.child_id.as_uuid())
    .bind(involvement.kind.code())
    .bind(involvement.opened_at)
    .bind(number_to_db(involvement.version)?)
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    insert_details(conn, involvement).await?;
    Ok(done.rows_affected())
}

/// Writes every field but the id, child, kind and opening time, replacing the
/// events, completions and exceptions, if the stored version is
/// `expected_version`, and moves the version on.
pub(super) async fn update_involvement(
    conn: &mut PgConnection,
    involvement: &Involvement,
    expected_version: u32,
) -> StoreResult<u64> {
    let done = bind_changes(
        sqlx::query(
            "UPDATE involvements SET stage = $1, stage_since = $2, caseworker_id = $3, \
             requested_by = $4, request_outcome = $5, assessment_outcome = $6, \
             plan_start = $7, cease_reason = $8, updated_at = $9, previous_stage = $10, \
             previous_stage_since = $11, version = $13 + 1 \
             WHERE id = $12 AND version = $13",
        ),
        involvement,
    )
    .bind(involvement.id.as_uuid())
    .bind(number_to_db(expected_version)?)
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM involvements WHERE id = $1",
            involvement.id.as_uuid(),
            INVOLVEMENT_CHANGED,
        )
        .await);
    }
    delete_details(conn, involvement.id).await?;
    insert_details(conn, involvement).await?;
    Ok(done.rows_affected())
}

/// Writes the involvement's events, completions and exceptions (in order).
async fn insert_details(conn: &mut PgConnection, involvement: &Involvement) -> StoreResult<()> {
    let id = involvement.id.as_uuid();
    for (event, on) in &involvement.events {
        sqlx::query(
            "INSERT INTO involvement_events (involvement_id, event, occurred_on) \
             VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(event.code())
        .bind(*on)
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    }
    for (rule_code, on) in &involvement.completions {
        sqlx::query(
            "INSERT INTO involvement_completions (involvement_id, rule_code, met_on) \
             VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(rule_code.as_str())
        .bind(*on)
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    }
    for (position, exception) in (0_i32..).zip(&involvement.exceptions) {
        sqlx::query(
            "INSERT INTO involvement_exceptions \
             (involvement_id, position, kind, rule_code, reason, recorded_on) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(position)
        .bind(exception.kind.code())
        .bind(exception.rule_code.as_str())
        .bind(exception.reason.as_str())
        .bind(exception.recorded_on)
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    }
    Ok(())
}

async fn delete_details(conn: &mut PgConnection, id: InvolvementId) -> StoreResult<()> {
    for statement in [
        "DELETE FROM involvement_events WHERE involvement_id = $1",
        "DELETE FROM involvement_completions WHERE involvement_id = $1",
        "DELETE FROM involvement_exceptions WHERE involvement_id = $1",
    ] {
        sqlx::query(statement)
            .bind(id.as_uuid())
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
    }
    Ok(())
}
