//! Portal users and children's cases on SQLite: invitations, portal links and
//! professionals' requests (reads; the writes are in `writes::portal_access`).

use async_trait::async_trait;
use rusqlite::Transaction;
use send_domain::{
    ChildId, ChildLinkRequest, ChildLinkRequestId, Invitation, InvitationId, InvitationStage,
    LinkStatus, PortalLink, PortalLinkId, TeamId, TokenHash, UserId,
};
use send_store::{DashboardQuery, PortalAccessStore, PortalCase, PortalDashboard, StoreResult};
use sqlx::{QueryBuilder, Sqlite};

use crate::SqliteStore;
use crate::columns::{numbered, query_first, query_rows};
use crate::convert::from_sqlx;
use crate::rows::{child_from_row, invitation_from_row, link_from_row, request_from_row};

/// The person's link to the child and, while it is active, the child, in the
/// read transaction `tx` (the access check of every portal page of a child).
pub(crate) fn case_on(
    tx: &Transaction<'_>,
    child: ChildId,
    account: UserId,
) -> StoreResult<PortalCase> {
    let link = query_first(
        tx,
        "SELECT * FROM portal_links WHERE child_id = $1 AND account_id = $2",
        numbered(&[&child.to_string(), &account.to_string()]).as_slice(),
        |row| link_from_row(row),
    )?;
    let child = if link
        .as_ref()
        .is_some_and(|l| l.status == LinkStatus::Active)
    {
        query_first(
            tx,
            "SELECT * FROM children WHERE id = $1",
            numbered(&[&child.to_string()]).as_slice(),
            |row| child_from_row(row),
        )?
    } else {
        None
    };
    Ok(PortalCase { link, child })
}

#[async_trait]
impl PortalAccessStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.invitation", skip_all)]
    async fn invitation(&self, id: InvitationId) -> StoreResult<Option<Invitation>> {
        let row = sqlx::query("SELECT * FROM portal_invitations WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(invitation_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.invitation_by_link", skip_all)]
    async fn invitation_by_link(&self, hash: &TokenHash) -> StoreResult<Option<Invitation>> {
        let row = sqlx::query("SELECT * FROM portal_invitations WHERE link_hash = $1")
            .bind(hash.as_hex())
            .fetch_optional(&self.reader)
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
        .bind(child.to_string())
        .fetch_all(&self.reader)
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
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT i.* FROM portal_invitations i JOIN children c ON c.id = i.child_id \
             WHERE i.stage = ",
        );
        sql.push_bind(InvitationStage::Accepted.code());
        if let Some(teams) = teams {
            sql.push(" AND c.team_id IN (");
            let mut list = sql.separated(", ");
            for team in teams {
                list.push_bind(team.to_string());
            }
            sql.push(")");
        }
        sql.push(" ORDER BY i.accepted_at, i.id LIMIT ")
            .push_bind(i64::from(limit));
        let rows = sql
            .build()
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(invitation_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.portal_link", skip_all)]
    async fn portal_link(
        &self,
        child: ChildId,
        account: UserId,
    ) -> StoreResult<Option<PortalLink>> {
        // On rusqlite (`blocking_reads`). The access check reads the link with
        // the child (`case_on`); this is for invitations, professionals'
        // requests and messages.
        let mut found = self
            .blocking
            .read(move |tx| {
                query_rows(
                    tx,
                    "SELECT * FROM portal_links WHERE child_id = $1 AND account_id = $2",
                    numbered(&[&child.to_string(), &account.to_string()]).as_slice(),
                    |row| link_from_row(row),
                )
            })
            .await?;
        Ok(found.pop())
    }

    #[tracing::instrument(level = "debug", name = "store.portal_case", skip_all)]
    async fn portal_case(&self, child: ChildId, account: UserId) -> StoreResult<PortalCase> {
        // On rusqlite (`blocking_reads`): the access check of every portal
        // page of a child, the link and the child in one hand-off.
        self.blocking
            .read(move |tx| case_on(tx, child, account))
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.portal_link_by_id", skip_all)]
    async fn portal_link_by_id(&self, id: PortalLinkId) -> StoreResult<Option<PortalLink>> {
        let row = sqlx::query("SELECT * FROM portal_links WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(link_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.portal_links_for_child", skip_all)]
    async fn portal_links_for_child(&self, child: ChildId) -> StoreResult<Vec<PortalLink>> {
        let rows =
            sqlx::query("SELECT * FROM portal_links WHERE child_id = $1 ORDER BY created_at, id")
                .bind(child.to_string())
                .fetch_all(&self.reader)
                .await
                .map_err(from_sqlx)?;
        rows.iter().map(link_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.portal_links_for_account", skip_all)]
    async fn portal_links_for_account(&self, account: UserId) -> StoreResult<Vec<PortalLink>> {
        let rows =
            sqlx::query("SELECT * FROM portal_links WHERE account_id = $1 ORDER BY created_at, id")
                .bind(account.to_string())
                .fetch_all(&self.reader)
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
            .bind(id.to_string())
            .fetch_optional(&self.reader)
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
        .fetch_all(&self.reader)
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
        .bind(account.to_string())
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(request_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.dashboard", skip_all)]
    async fn dashboard(&self, query: &DashboardQuery) -> StoreResult<PortalDashboard> {
        crate::dashboard::read(self, query).await
    }
}
