use std::collections::BTreeSet;

use async_trait::async_trait;
use send_domain::{
    Email, PermissionGroupId, PersonName, StaffRole, StaffSetupLink, StaffSetupLinkId, TeamId,
    TokenHash,
};
use send_store::{StaffSetupStore, StoreResult};
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;

use crate::PgStore;
use crate::convert::{corrupt, from_sqlx};

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
        withdrawn_at: row.try_get("withdrawn_at").map_err(from_sqlx)?,
    })
}

/// The links `query` finds, each with its groups, in one read transaction.
async fn links(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    query: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
) -> StoreResult<Vec<StaffSetupLink>> {
    let rows = query.fetch_all(&mut **tx).await.map_err(from_sqlx)?;
    let mut links = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: Uuid = row.try_get("id").map_err(from_sqlx)?;
        let groups = sqlx::query("SELECT group_id FROM staff_setup_link_groups WHERE link_id = $1")
            .bind(id)
            .fetch_all(&mut **tx)
            .await
            .map_err(from_sqlx)?
            .iter()
            .map(|row| {
                row.try_get::<Uuid, _>("group_id")
                    .map(PermissionGroupId::from_uuid)
                    .map_err(from_sqlx)
            })
            .collect::<StoreResult<BTreeSet<_>>>()?;
        links.push(from_row(row, groups)?);
    }
    Ok(links)
}

#[async_trait]
impl StaffSetupStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.staff_setup_link_by_token", skip_all)]
    async fn staff_setup_link_by_token(
        &self,
        hash: &TokenHash,
    ) -> StoreResult<Option<StaffSetupLink>> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let query = sqlx::query("SELECT * FROM staff_setup_links WHERE token_hash = $1")
            .bind(hash.as_hex().to_owned());
        let found = links(&mut tx, query).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(found.into_iter().next())
    }

    #[tracing::instrument(level = "debug", name = "store.staff_setup_link", skip_all)]
    async fn staff_setup_link(&self, id: StaffSetupLinkId) -> StoreResult<Option<StaffSetupLink>> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let query = sqlx::query("SELECT * FROM staff_setup_links WHERE id = $1").bind(id.as_uuid());
        let found = links(&mut tx, query).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(found.into_iter().next())
    }

    #[tracing::instrument(level = "debug", name = "store.pending_staff_setup_links", skip_all)]
    async fn pending_staff_setup_links(&self) -> StoreResult<Vec<StaffSetupLink>> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let query = sqlx::query(
            "SELECT * FROM staff_setup_links WHERE used_at IS NULL AND withdrawn_at IS NULL \
             ORDER BY created_at DESC, id",
        );
        let found = links(&mut tx, query).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(found)
    }
}
