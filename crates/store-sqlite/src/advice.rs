//! Requests for advice and the reminder schedules on SQLite (reads; the writes
//! are in `writes/advice.rs`).

use async_trait::async_trait;
use send_domain::advice::{AdviceKind, AdviceRequest, ReminderSchedule};
use send_domain::{AdviceRequestId, ChildId, InvolvementId, TeamId, TokenHash, UserId};
use send_store::{AdviceStore, StoreError, StoreResult};
use time::Date;

use rusqlite::Transaction;

use crate::SqliteStore;
use crate::columns::{numbered, query_rows};
use crate::convert::{corrupt, date_to_text, from_sqlx};
use crate::rows::{advice_request_from_row, flag, text};

/// A child's requests for advice, in the caller's read.
pub(crate) fn of_child(tx: &Transaction<'_>, child: ChildId) -> StoreResult<Vec<AdviceRequest>> {
    query_rows(
        tx,
        "SELECT * FROM advice_requests WHERE child_id = $1 ORDER BY sent_on, created_at, id",
        numbered(&[&child.to_string()]).as_slice(),
        |row| advice_request_from_row(row),
    )
}

#[async_trait]
impl AdviceStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.advice_request", skip_all)]
    async fn advice_request(&self, id: AdviceRequestId) -> StoreResult<AdviceRequest> {
        let row = sqlx::query("SELECT * FROM advice_requests WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?
            .ok_or(StoreError::NotFound)?;
        advice_request_from_row(&row)
    }

    #[tracing::instrument(level = "debug", name = "store.advice_request_by_link", skip_all)]
    async fn advice_request_by_link(&self, hash: &TokenHash) -> StoreResult<Option<AdviceRequest>> {
        sqlx::query("SELECT * FROM advice_requests WHERE link_hash = $1")
            .bind(hash.as_hex())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?
            .as_ref()
            .map(advice_request_from_row)
            .transpose()
    }

    #[tracing::instrument(
        level = "debug",
        name = "store.advice_requests_of_involvement",
        skip_all
    )]
    async fn advice_requests_of_involvement(
        &self,
        involvement: InvolvementId,
    ) -> StoreResult<Vec<AdviceRequest>> {
        let rows = sqlx::query(
            "SELECT * FROM advice_requests WHERE involvement_id = $1 \
             ORDER BY sent_on, created_at, id",
        )
        .bind(involvement.to_string())
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(advice_request_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.advice_requests_of_child", skip_all)]
    async fn advice_requests_of_child(&self, child: ChildId) -> StoreResult<Vec<AdviceRequest>> {
        self.blocking.read(move |tx| of_child(tx, child)).await
    }

    #[tracing::instrument(level = "debug", name = "store.advice_requests_to", skip_all)]
    async fn advice_requests_to(&self, professional: UserId) -> StoreResult<Vec<AdviceRequest>> {
        let rows = sqlx::query(
            "SELECT * FROM advice_requests WHERE professional_id = $1 AND status = 'awaited' \
             ORDER BY due_on, id",
        )
        .bind(professional.to_string())
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(advice_request_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.overdue_advice", skip_all)]
    async fn overdue_advice(
        &self,
        today: Date,
        team: Option<TeamId>,
        caseworker: Option<UserId>,
        limit: u32,
    ) -> StoreResult<Vec<AdviceRequest>> {
        let rows = sqlx::query(
            "SELECT a.* FROM advice_requests a JOIN children c ON c.id = a.child_id \
             JOIN involvements i ON i.id = a.involvement_id \
             WHERE a.status = 'awaited' AND a.due_on < $1 \
             AND ($2 IS NULL OR c.team_id = $2) \
             AND ($3 IS NULL OR i.caseworker_id = $3) \
             ORDER BY a.due_on, a.id LIMIT $4",
        )
        .bind(date_to_text(today))
        .bind(team.map(|team| team.to_string()))
        .bind(caseworker.map(|id| id.to_string()))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(advice_request_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.reminder_schedule", skip_all)]
    async fn reminder_schedule(&self, kind: AdviceKind) -> StoreResult<ReminderSchedule> {
        let row = sqlx::query("SELECT * FROM advice_reminder_schedules WHERE kind = $1")
            .bind(kind.code())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?;
        let Some(row) = row else {
            return Ok(ReminderSchedule::default());
        };
        let days = |name: &str| -> StoreResult<Vec<u8>> {
            ReminderSchedule::parse_days(&text(&row, name)?).map_err(corrupt)
        };
        Ok(ReminderSchedule {
            before: days("before_days")?,
            on_the_day: flag(&row, "on_the_day")?,
            after: days("after_days")?,
        })
    }
}
