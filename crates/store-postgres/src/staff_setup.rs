use std::collections::BTreeSet;

use async_trait::async_trait;
use send_domain::{
    Email, PermissionGroupId, PersonName, StaffRole, StaffSetupLink, StaffSetupLinkId, TeamId,
    TokenHash,
};
use send_store::{Effects, StaffSetupStore, StoreResult};
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;

use crate::PgStore;
use crate::convert::{corrupt, from_sqlx};
use crate::effects;

fn from_row(row: &PgRow, groups: BTreeSet<PermissionGroupId>) -> StoreResult<StaffSetupLink> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    Ok(StaffSetupLink {
        id: StaffSetupLinkId::from_uuid(row.try_get("id").map_err(from_sqlx)?),
        email: Email::parse(&text("email")?).map_err(corrupt)?,
        name: PersonName::parse(&text("name")?).map_err(corrupt)?,
        role: StaffRole::parse_code(&text("role")?).map_err(corrupt)?,
        team_id: row
            .try_get::<Option<Uuid>, _>("team_id")
            .map_err(from_sqlx)?
            .map(TeamId::from_uuid),
        groups,
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
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO staff_setup_links \
             (id, email, name, role, team_id, token_hash, created_at, expires_at, used_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(link.id.as_uuid())
        .bind(link.email.as_str())
        .bind(link.name.as_str())
        .bind(link.role.code())
        .bind(link.team_id.map(|id| id.as_uuid()))
        .bind(link.token_hash.as_hex())
        .bind(link.created_at)
        .bind(link.expires_at)
        .bind(link.used_at)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        for group in &link.groups {
            sqlx::query("INSERT INTO staff_setup_link_groups (link_id, group_id) VALUES ($1, $2)")
                .bind(link.id.as_uuid())
                .bind(group.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
        }
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn staff_setup_link_by_token(
        &self,
        hash: &TokenHash,
    ) -> StoreResult<Option<StaffSetupLink>> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let Some(row) = sqlx::query("SELECT * FROM staff_setup_links WHERE token_hash = $1")
            .bind(hash.as_hex())
            .fetch_optional(&mut *tx)
            .await
            .map_err(from_sqlx)?
        else {
            return Ok(None);
        };
        let id: Uuid = row.try_get("id").map_err(from_sqlx)?;
        let groups = sqlx::query("SELECT group_id FROM staff_setup_link_groups WHERE link_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await
            .map_err(from_sqlx)?
            .iter()
            .map(|row| {
                row.try_get::<Uuid, _>("group_id")
                    .map(PermissionGroupId::from_uuid)
                    .map_err(from_sqlx)
            })
            .collect::<StoreResult<BTreeSet<_>>>()?;
        tx.commit().await.map_err(from_sqlx)?;
        from_row(&row, groups).map(Some)
    }
}
