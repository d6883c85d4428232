//! Portal users and children's cases on PostgreSQL: invitations, portal links
//! and professionals' requests (reads; the writes are in
//! `writes::portal_access`).

use async_trait::async_trait;
use send_domain::{
    ChildId, ChildLinkRequest, ChildLinkRequestId, Invitation, InvitationId, InvitationStage,
    LinkStatus, PortalLink, PortalLinkId, TeamId, TokenHash, UserId,
};
use send_store::{DashboardQuery, PortalAccessStore, PortalCase, PortalDashboard, StoreResult};
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::PgStore;
use crate::convert::from_sqlx;
use crate::rows::{child_from_row, invitation_from_row, link_from_row, request_from_row};

/// The person's link to the child and, while it is active, the child, on
/// `conn` (the access check of every portal page of a child). `portal_case`
/// runs it outside a transaction (two statements; a link revoked between them
/// is the same as one revoked just after); the dashboard's read, inside its
/// repeatable-read transaction, so the check and the page are one snapshot.
pub(crate) async fn case_on(
    conn: &mut PgConnection,
    child: ChildId,
    account: UserId,
) -> StoreResult<PortalCase> {
    let row = sqlx::query("SELECT * FROM portal_links WHERE child_id = $1 AND account_id = $2")
        .bind(child.as_uuid())
        .bind(account.as_uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    let link = row.as_ref().map(link_from_row).transpose()?;
    let child = if link
        .as_ref()
        .is_some_and(|l| l.status == LinkStatus::Active)
    {
        let row = sqlx::query("SELECT * FROM children WHERE id = $1")
            .bind(child.as_uuid())
            .fetch_optional(&mut *conn)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(child_from_row).transpose()?
    } else {
        None
    };
    Ok(PortalCase { link, child })
}

#[async_trait]
impl PortalAccessStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.invitation", skip_all)]
    async fn invitation(&self, id: InvitationId) -> StoreResult<Option<Invitation>> {
        let row = sqlx::query("SELECT * FROM portal_invitations WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(invitation_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.invitation_by_link", skip_all)]
    async fn invitation_by_link(&self, hash: &TokenHash) -> StoreResult<Option<Invitation>> {
        let row = sqlx::query("SELECT * FROM portal_invitations WHERE link_hash = $1")
            .bind(hash.as_hex())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(invitation_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.invitations_for_child", skip_all)]
    async fn invitations_for_child(&self, child: ChildId) -> StoreResult<Vec<Invitation>> {
        let rows = sqlx::query(
            "SELECT * FROM portal_invitations WHERE child_id = $1 \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(child.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(invitation_from_row).collect()
    }

    #[tracing::instrument(
        level = "debug",
        name = "store.invitations_awaiting_decision",
        skip_all
    )]
    async fn invitations_awaiting_decision(
        &self,
        teams: Option<&[TeamId]>,
        limit: u32,
    ) -> StoreResult<Vec<Invitation>> {
        if teams.is_some_and(<[TeamId]>::is_empty) {
            return Ok(Vec::new());
        }
        let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(
            "SELECT i.* FROM portal_invitations i JOIN children c ON c.id = i.child_id \
             WHERE i.stage = ",
        );
        sql.push_bind(InvitationStage::Accepted.code());
        if let Some(teams) = teams {
            let ids: Vec<Uuid> = teams.iter().map(TeamId::as_uuid).collect();
            sql.push(" AND c.team_id = ANY(").push_bind(ids).push(")");
        }
        sql.push(" ORDER BY i.accepted_at, i.id LIMIT ")
            .push_bind(i64::from(limit));
        let rows = sql.build().fetch_all(&self.pool).await.map_err(from_sqlx)?;
        rows.iter().map(invitation_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.portal_link", skip_all)]
    async fn portal_link(
        &self,
        child: ChildId,
        account: UserId,
    ) -> StoreResult<Option<PortalLink>> {
        let row = sqlx::query("SELECT * FROM portal_links WHERE child_id = $1 AND account_id = $2")
            .bind(child.as_uuid())
            .bind(account.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(link_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.portal_case", skip_all)]
    async fn portal_case(&self, child: ChildId, account: UserId) -> StoreResult<PortalCase> {
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        case_on(&mut conn, child, account).await
    }

    #[tracing::instrument(level = "debug", name = "store.portal_link_by_id", skip_all)]
    async fn portal_link_by_id(&self, id: PortalLinkId) -> StoreResult<Option<PortalLink>> {
        let row = sqlx::query("SELECT * FROM portal_links WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(link_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.portal_links_for_child", skip_all)]
    async fn portal_links_for_child(&self, child: ChildId) -> StoreResult<Vec<PortalLink>> {
        let rows =
            sqlx::query("SELECT * FROM portal_links WHERE child_id = $1 ORDER BY created_at, id")
                .bind(child.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(from_sqlx)?;
        rows.iter().map(link_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.portal_links_for_account", skip_all)]
    async fn portal_links_for_account(&self, account: UserId) -> StoreResult<Vec<PortalLink>> {
        let rows =
            sqlx::query("SELECT * FROM portal_links WHERE account_id = $1 ORDER BY created_at, id")
                .bind(account.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(from_sqlx)?;
        rows.iter().map(link_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.child_link_request", skip_all)]
    async fn child_link_request(
        &self,
        id: ChildLinkRequestId,
    ) -> StoreResult<Option<ChildLinkRequest>> {
        let row = sqlx::query("SELECT * FROM child_link_requests WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(request_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.child_link_requests_waiting", skip_all)]
    async fn child_link_requests_waiting(&self, limit: u32) -> StoreResult<Vec<ChildLinkRequest>> {
        let rows = sqlx::query(
            "SELECT * FROM child_link_requests WHERE decided_at IS NULL \
             ORDER BY created_at, id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(request_from_row).collect()
    }

    #[tracing::instrument(
        level = "debug",
        name = "store.child_link_requests_for_account",
        skip_all
    )]
    async fn child_link_requests_for_account(
        &self,
        account: UserId,
    ) -> StoreResult<Vec<ChildLinkRequest>> {
        let rows = sqlx::query(
            "SELECT * FROM child_link_requests WHERE account_id = $1 \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(account.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(request_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.dashboard", skip_all)]
    async fn dashboard(&self, query: &DashboardQuery) -> StoreResult<PortalDashboard> {
        crate::dashboard::read(self, query).await
    }
}
