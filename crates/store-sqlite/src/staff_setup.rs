use async_trait::async_trait;
use send_domain::{
    AuditEvent, Email, PersonName, StaffRole, StaffSetupLink, StaffSetupLinkId, TokenHash,
};
use send_store::{StaffSetupStore, StoreResult};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::SqliteStore;
use crate::audit;
use crate::convert::{corrupt, from_sqlx, time_from_text, time_to_text, uuid_from_text};

fn from_row(row: &SqliteRow) -> StoreResult<StaffSetupLink> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    Ok(StaffSetupLink {
        id: StaffSetupLinkId::from_uuid(uuid_from_text(&text("id")?)?),
        email: Email::parse(&text("email")?).map_err(corrupt)?,
        name: PersonName::parse(&text("name")?).map_err(corrupt)?,
        role: StaffRole::parse_code(&text("role")?).map_err(corrupt)?,
        token_hash: TokenHash::from_hex(&text("token_hash")?).map_err(corrupt)?,
        created_at: time_from_text(&text("created_at")?)?,
        expires_at: time_from_text(&text("expires_at")?)?,
        used_at: row
            .try_get::<Option<String>, _>("used_at")
            .map_err(from_sqlx)?
            .map(|t| time_from_text(&t))
            .transpose()?,
    })
}

#[async_trait]
impl StaffSetupStore for SqliteStore {
    async fn create_staff_setup_link(
        &self,
        link: &StaffSetupLink,
        audit_event: &AuditEvent,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO staff_setup_links \
             (id, email, name, role, token_hash, created_at, expires_at, used_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(link.id.to_string())
        .bind(link.email.as_str())
        .bind(link.name.as_str())
        .bind(link.role.code())
        .bind(link.token_hash.as_hex())
        .bind(time_to_text(link.created_at))
        .bind(time_to_text(link.expires_at))
        .bind(link.used_at.map(time_to_text))
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        audit::insert(&mut tx, audit_event).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn staff_setup_link_by_token(
        &self,
        hash: &TokenHash,
    ) -> StoreResult<Option<StaffSetupLink>> {
        let row = sqlx::query("SELECT * FROM staff_setup_links WHERE token_hash = ?")
            .bind(hash.as_hex())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(from_row).transpose()
    }
}
