use async_trait::async_trait;
use send_domain::{ActiveSession, SessionRecord, SignedInFrom, TokenHash, UserId};
use send_store::{SessionRecordStore, StoreResult};
use sqlx::Row;
use sqlx::postgres::PgRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::PgStore;
use crate::convert::{corrupt, from_sqlx};

fn signed_in_from(row: &PgRow) -> StoreResult<SignedInFrom> {
    Ok(SignedInFrom {
        device: row.try_get("device").map_err(from_sqlx)?,
        address: row.try_get("address").map_err(from_sqlx)?,
    })
}

fn from_row(row: &PgRow) -> StoreResult<SessionRecord> {
    Ok(SessionRecord {
        id_hash: TokenHash::from_hex(&row.try_get::<String, _>("id_hash").map_err(from_sqlx)?)
            .map_err(corrupt)?,
        account_id: row
            .try_get::<Option<Uuid>, _>("account_id")
            .map_err(from_sqlx)?
            .map(UserId::from_uuid),
        data: row.try_get("data").map_err(from_sqlx)?,
        created_at: row.try_get("created_at").map_err(from_sqlx)?,
        last_seen_at: row.try_get("last_seen_at").map_err(from_sqlx)?,
        signed_in_from: signed_in_from(row)?,
    })
}

#[async_trait]
impl SessionRecordStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.insert_session", skip_all)]
    async fn insert_session(&self, record: &SessionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions \
             (id_hash, account_id, data, created_at, last_seen_at, device, address) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(record.id_hash.as_hex())
        .bind(record.account_id.map(|id| id.as_uuid()))
        .bind(&record.data)
        .bind(record.created_at)
        .bind(record.last_seen_at)
        .bind(record.signed_in_from.device.as_deref())
        .bind(record.signed_in_from.address.as_deref())
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", name = "store.update_session", skip_all)]
    async fn update_session(&self, record: &SessionRecord) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE sessions SET account_id = $1, data = $2, last_seen_at = $3, \
             device = $4, address = $5 WHERE id_hash = $6",
        )
        .bind(record.account_id.map(|id| id.as_uuid()))
        .bind(&record.data)
        .bind(record.last_seen_at)
        .bind(record.signed_in_from.device.as_deref())
        .bind(record.signed_in_from.address.as_deref())
        .bind(record.id_hash.as_hex())
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(done.rows_affected() == 1)
    }

    #[tracing::instrument(level = "debug", name = "store.touch_session", skip_all)]
    async fn touch_session(
        &self,
        id_hash: &TokenHash,
        seen_at: OffsetDateTime,
    ) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(seen_at)
            .bind(id_hash.as_hex())
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(done.rows_affected() == 1)
    }

    #[tracing::instrument(level = "debug", name = "store.load_session", skip_all)]
    async fn load_session(&self, id_hash: &TokenHash) -> StoreResult<Option<SessionRecord>> {
        let row = // A session of an account that may no longer sign in is not loaded
        // (its sessions were ended with the change; this is the second lock).
        sqlx::query(
            "SELECT s.* FROM sessions s WHERE s.id_hash = $1 AND NOT EXISTS \
             (SELECT 1 FROM accounts a WHERE a.id = s.account_id AND a.status <> 'active')",
        )
            .bind(id_hash.as_hex())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.delete_session", skip_all)]
    async fn delete_session(&self, id_hash: &TokenHash) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash.as_hex())
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", name = "store.delete_sessions_of_account", skip_all)]
    async fn delete_sessions_of_account(
        &self,
        account: UserId,
        keep: Option<&TokenHash>,
    ) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
            .bind(account.as_uuid())
            .bind(keep.map_or("", TokenHash::as_hex))
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(done.rows_affected())
    }

    #[tracing::instrument(level = "debug", name = "store.sessions_of_account", skip_all)]
    async fn sessions_of_account(
        &self,
        account: UserId,
        seen_since: OffsetDateTime,
        created_since: OffsetDateTime,
    ) -> StoreResult<Vec<ActiveSession>> {
        let rows = sqlx::query(
            "SELECT id_hash, created_at, last_seen_at, device, address FROM sessions \
             WHERE account_id = $1 AND last_seen_at >= $2 AND created_at >= $3 \
             ORDER BY last_seen_at DESC, id_hash",
        )
        .bind(account.as_uuid())
        .bind(seen_since)
        .bind(created_since)
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        rows.iter()
            .map(|row| -> StoreResult<ActiveSession> {
                Ok(ActiveSession {
                    id_hash: TokenHash::from_hex(
                        &row.try_get::<String, _>("id_hash").map_err(from_sqlx)?,
                    )
                    .map_err(corrupt)?,
                    created_at: row.try_get("created_at").map_err(from_sqlx)?,
                    last_seen_at: row.try_get("last_seen_at").map_err(from_sqlx)?,
                    signed_in_from: signed_in_from(row)?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", name = "store.delete_expired_sessions", skip_all)]
    async fn delete_expired_sessions(
        &self,
        seen_before: OffsetDateTime,
        created_before: OffsetDateTime,
    ) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(seen_before)
            .bind(created_before)
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(done.rows_affected())
    }
}
