use async_trait::async_trait;
use send_domain::{
    AuditEvent, Email, PersonName, StaffRole, StaffSetupLink, StaffSetupLinkId, TokenHash,
};
use send_store::{StaffSetupStore, StoreResult};
use sqlx::Row;
use sqlx::postgres::PgRow;

use crate::PgStore;
use crate::audit;
use crate::convert::{corrupt, from_sqlx};

fn from_row(row: &PgRow) -> StoreResult<StaffSetupLink> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    Ok(StaffSetupLink {
        id: StaffSetupLinkId::from_uuid(row.try_get("id").map_err(from_sqlx)?),
        email: Email::parse(&text("email")?).map_err(corrupt)?,
        name: PersonName::parse(&text("name")?).map_err(corrupt)?,
        role: StaffRole::parse_code(&text("role")?).map_err(corrupt)?,
        token_hash: TokenHash::from_hex(&text("token_hash")?).map_err(corrupt)?,
        created_at: row.try_get("created_at").map_err(from_sqlx)?,
        expires_at: row.try_get("expires_at").map_err(from_sqlx)?,
        used_at: row.try_get("used_at").map_err(from_sqlx)?,
    })
}

#[async_trait]
impl StaffSetupStore for PgStore {
    async fn create_staff_setup_link(
        &self,
        link: &StaffSetupLink,
        audit_event: &AuditEvent,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO staff_setup_links \
             (id, email, name, role, token_hash, created_at, expires_at, used_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(link.id.as_uuid())
        .bind(link.email.as_str())
        .bind(link.name.as_str())
        .bind(link.role.code())
        .bind(link.token_hash.as_hex())
        .bind(link.created_at)
        .bind(link.expires_at)
        .bind(link.used_at)
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
        let row = sqlx::query("SELECT * FROM staff_setup_links WHERE token_hash = $1")
            .bind(hash.as_hex())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(from_row).transpose()
    }
}
