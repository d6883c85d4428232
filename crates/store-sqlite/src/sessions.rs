use async_trait::async_trait;
use send_domain::{ActiveSession, SessionRecord, SignedInFrom, TokenHash, UserId};
use send_store::{SessionRecordStore, StoreResult};
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::columns::{Columns, query_rows};
use crate::convert::{corrupt, from_sqlx, time_from_text, time_to_text, uuid_from_text};

fn signed_in_from(row: &impl Columns) -> StoreResult<SignedInFrom> {
    Ok(SignedInFrom {
        device: row.optional_text("device")?,
        address: row.optional_text("address")?,
    })
}

fn from_row(row: &impl Columns) -> StoreResult<SessionRecord> {
    Ok(SessionRecord {
        id_hash: TokenHash::from_hex(&row.text("id_hash")?).map_err(corrupt)?,
        account_id: row
            .optional_text("account_id")?
            .map(|id| uuid_from_text(&id).map(UserId::from_uuid))
            .transpose()?,
        data: row.text("data")?,
        created_at: time_from_text(&row.text("created_at")?)?,
        last_seen_at: time_from_text(&row.text("last_seen_at")?)?,
        signed_in_from: signed_in_from(row)?,
    })
}

#[async_trait]
impl SessionRecordStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.insert_session", skip_all)]
    async fn insert_session(&self, record: &SessionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions \
             (id_hash, account_id, data, created_at, last_seen_at, device, address) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(record.id_hash.as_hex())
        .bind(record.account_id.map(|id| id.to_string()))
        .bind(&record.data)
        .bind(time_to_text(record.created_at))
        .bind(time_to_text(record.last_seen_at))
        .bind(record.signed_in_from.device.as_deref())
        .bind(record.signed_in_from.address.as_deref())
        .execute(&self.writer)
        .await
        .map_err(from_sqlx)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", name = "store.update_session", skip_all)]
    async fn update_session(&self, record: &SessionRecord) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE sessions SET account_id = ?, data = ?, last_seen_at = ?, \
             device = ?, address = ? WHERE id_hash = ?",
        )
        .bind(record.account_id.map(|id| id.to_string()))
        .bind(&record.data)
        .bind(time_to_text(record.last_seen_at))
        .bind(record.signed_in_from.device.as_deref())
        .bind(record.signed_in_from.address.as_deref())
        .bind(record.id_hash.as_hex())
        .execute(&self.writer)
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
        let done = sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?")
            .bind(time_to_text(seen_at))
            .bind(id_hash.as_hex())
            .execute(&self.writer)
            .await
            .map_err(from_sqlx)?;
        Ok(done.rows_affected() == 1)
    }

    #[tracing::instrument(level = "debug", name = "store.load_session", skip_all)]
    async fn load_session(&self, id_hash: &TokenHash) -> StoreResult<Option<SessionRecord>> {
        // A session of an account that may no longer sign in is not loaded
        // (its sessions were ended with the change; this is the second lock).
        // On rusqlite (`blocking_reads`): every signed-in request reads it.
        let id_hash = id_hash.as_hex().to_owned();
        let mut found = self
            .blocking
            .read(move |tx| {
                query_rows(
                    tx,
                    "SELECT s.* FROM sessions s WHERE s.id_hash = ?1 AND NOT EXISTS \
                     (SELECT 1 FROM accounts a WHERE a.id = s.account_id AND a.status <> 'active')",
                    [&id_hash],
                    |row| from_row(row),
                )
            })
            .await?;
        Ok(found.pop())
    }

    #[tracing::instrument(level = "debug", name = "store.delete_session", skip_all)]
    async fn delete_session(&self, id_hash: &TokenHash) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = ?")
            .bind(id_hash.as_hex())
            .execute(&self.writer)
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
        let done = sqlx::query("DELETE FROM sessions WHERE account_id = ? AND id_hash <> ?")
            .bind(account.to_string())
            .bind(keep.map_or("", TokenHash::as_hex))
            .execute(&self.writer)
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
        let binds = [
            account.to_string(),
            time_to_text(seen_since),
            time_to_text(created_since),
        ];
        self.blocking
            .read(move |tx| {
                query_rows(
                    tx,
                    "SELECT id_hash, created_at, last_seen_at, device, address FROM sessions \
                     WHERE account_id = ?1 AND last_seen_at >= ?2 AND created_at >= ?3 \
                     ORDER BY last_seen_at DESC, id_hash",
                    rusqlite::params_from_iter(&binds),
                    |row| {
                        Ok(ActiveSession {
                            id_hash: TokenHash::from_hex(&row.text("id_hash")?).map_err(corrupt)?,
                            created_at: time_from_text(&row.text("created_at")?)?,
                            last_seen_at: time_from_text(&row.text("last_seen_at")?)?,
                            signed_in_from: signed_in_from(row)?,
                        })
                    },
                )
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.delete_expired_sessions", skip_all)]
    async fn delete_expired_sessions(
        &self,
        seen_before: OffsetDateTime,
        created_before: OffsetDateTime,
    ) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?")
            .bind(time_to_text(seen_before))
            .bind(time_to_text(created_before))
            .execute(&self.writer)
            .await
            .map_err(from_sqlx)?;
        Ok(done.rows_affected())
    }
}
