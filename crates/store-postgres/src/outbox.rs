//! The email outbox on PostgreSQL. Several portal instances may run workers against
//! one database: a claim locks its rows with `FOR UPDATE SKIP LOCKED`, so two
//! workers never lease the same email and neither waits for the other.

use async_trait::async_trait;
use send_domain::{
    ClaimedEmail, DeliveryState, Email, EmailId, EmailSubject, OutboxEntry, OutgoingEmail,
    PersonName,
};
use send_store::{OutboxStore, StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use time::{Duration, OffsetDateTime};

use crate::PgStore;
use crate::convert::{corrupt, from_sqlx};

/// Stores one email, due at once, on an open connection, so a use case's change
/// and the emails it causes share one transaction.
pub(crate) async fn insert(conn: &mut PgConnection, email: &OutgoingEmail) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO outbox_emails \
         (id, recipient, recipient_name, subject, text_body, html_body, created_at, \
          attempts, next_attempt_at, last_error, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $7, NULL, NULL)",
    )
    .bind(email.id.as_uuid())
    .bind(email.to.as_str())
    .bind(email.to_name.as_ref().map(PersonName::as_str))
    .bind(email.subject.as_str())
    .bind(&email.text_body)
    .bind(&email.html_body)
    .bind(email.created_at)
    .execute(conn)
    .await
    .map_err(from_sqlx)?;
    Ok(())
}

fn email_from_row(row: &PgRow) -> StoreResult<OutgoingEmail> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    Ok(OutgoingEmail {
        id: EmailId::from_uuid(row.try_get("id").map_err(from_sqlx)?),
        to: Email::parse(&text("recipient")?).map_err(corrupt)?,
        to_name: row
            .try_get::<Option<String>, _>("recipient_name")
            .map_err(from_sqlx)?
            .map(|name| PersonName::parse(&name).map_err(corrupt))
            .transpose()?,
        subject: EmailSubject::parse(&text("subject")?).map_err(corrupt)?,
        text_body: text("text_body")?,
        html_body: text("html_body")?,
        created_at: row.try_get("created_at").map_err(from_sqlx)?,
    })
}

fn attempts_from_row(row: &PgRow) -> StoreResult<u32> {
    let attempts: i32 = row.try_get("attempts").map_err(from_sqlx)?;
    u32::try_from(attempts).map_err(|_| corrupt(format_args!("attempts {attempts}")))
}

fn entry_from_row(row: &PgRow) -> StoreResult<OutboxEntry> {
    let attempts = attempts_from_row(row)?;
    let sent_at: Option<OffsetDateTime> = row.try_get("sent_at").map_err(from_sqlx)?;
    let state = match sent_at {
        Some(at) => DeliveryState::Sent { at, attempts },
        None => DeliveryState::Pending {
            attempts,
            next_attempt_at: row.try_get("next_attempt_at").map_err(from_sqlx)?,
            last_error: row.try_get("last_error").map_err(from_sqlx)?,
        },
    };
    Ok(OutboxEntry {
        email: email_from_row(row)?,
        state,
        transport_reference: row.try_get("transport_reference").map_err(from_sqlx)?,
    })
}

/// The attempt count as stored (PostgreSQL `integer`).
fn attempts_to_db(attempts: u32) -> StoreResult<i32> {
    i32::try_from(attempts).map_err(|_| corrupt(format_args!("attempts {attempts}")))
}

#[async_trait]
impl OutboxStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.enqueue_email", skip_all)]
    async fn enqueue_email(&self, email: &OutgoingEmail) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        insert(&mut conn, email).await
    }

    #[tracing::instrument(level = "debug", name = "store.claim_due_emails", skip_all)]
    async fn claim_due_emails(
        &self,
        now: OffsetDateTime,
        limit: u32,
        lease: Duration,
    ) -> StoreResult<Vec<ClaimedEmail>> {
        let rows = sqlx::query(
            "UPDATE outbox_emails AS o SET next_attempt_at = $1 \
             FROM (SELECT id FROM outbox_emails \
                   WHERE sent_at IS NULL AND next_attempt_at <= $2 \
                   ORDER BY next_attempt_at, id LIMIT $3 \
                   FOR UPDATE SKIP LOCKED) AS due \
             WHERE o.id = due.id \
             RETURNING o.*",
        )
        .bind(now + lease)
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        let mut claimed = rows
            .iter()
            .map(|row| {
                Ok(ClaimedEmail {
                    email: email_from_row(row)?,
                    attempts: attempts_from_row(row)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // RETURNING gives no order; hand the oldest out first.
        claimed.sort_by_key(|c| (c.email.created_at, c.email.id));
        Ok(claimed)
    }

    #[tracing::instrument(level = "debug", name = "store.mark_email_sent", skip_all)]
    async fn mark_email_sent(
        &self,
        id: EmailId,
        at: OffsetDateTime,
        transport_reference: Option<&str>,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE outbox_emails SET sent_at = $1, attempts = attempts + 1, last_error = NULL, \
             transport_reference = $3 WHERE id = $2 AND sent_at IS NULL",
        )
        .bind(at)
        .bind(id.as_uuid())
        .bind(transport_reference)
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return exists(self, id).await;
        }
        Ok(())
    }

    #[tracing::instrument(level = "debug", name = "store.mark_email_failed", skip_all)]
    async fn mark_email_failed(
        &self,
        id: EmailId,
        attempts: u32,
        next_attempt_at: OffsetDateTime,
        error_summary: &str,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE outbox_emails SET attempts = $1, next_attempt_at = $2, last_error = $3 \
             WHERE id = $4 AND sent_at IS NULL",
        )
        .bind(attempts_to_db(attempts)?)
        .bind(next_attempt_at)
        .bind(error_summary)
        .bind(id.as_uuid())
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return exists(self, id).await;
        }
        Ok(())
    }

    #[tracing::instrument(level = "debug", name = "store.outbox_emails", skip_all)]
    async fn outbox_emails(&self, limit: u32) -> StoreResult<Vec<OutboxEntry>> {
        let rows =
            sqlx::query("SELECT * FROM outbox_emails ORDER BY created_at DESC, id DESC LIMIT $1")
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
                .map_err(from_sqlx)?;
        rows.iter().map(entry_from_row).collect()
    }
}

/// `Ok` when the email exists (an update that changed nothing found it already
/// sent), `NotFound` otherwise.
async fn exists(store: &PgStore, id: EmailId) -> StoreResult<()> {
    let found = sqlx::query("SELECT 1 FROM outbox_emails WHERE id = $1")
        .bind(id.as_uuid())
        .fetch_optional(&store.pool)
        .await
        .map_err(from_sqlx)?;
    found.map(|_| ()).ok_or(StoreError::NotFound)
}
