//! The SEND Dashboard's read on PostgreSQL: the access check's link and child
//! and everything the page shows of the child for one person, in one
//! read-only repeatable-read transaction on one connection, so the page is one
//! moment's state (one snapshot for every query) however many messages the
//! child has. Counts are counted by the database.

use send_domain::{ChildId, UserId};
use send_store::{DashboardQuery, DashboardRead, PortalDashboard, StoreResult};
use sqlx::PgConnection;

use crate::PgStore;
use crate::convert::from_sqlx;
use crate::rows::{
    form_assignment_from_row, form_draft_from_row, form_version_from_row, text, uuid,
};
use crate::{advice, audit, involvements, messages, timeline};

/// The access check and, while the link is active, the dashboard of
/// `query.child` for `query.account`.
pub(crate) async fn read(store: &PgStore, query: &DashboardQuery) -> StoreResult<PortalDashboard> {
    let mut tx = store
        .pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(from_sqlx)?;
    let case = crate::portal_access::case_on(&mut tx, query.child, query.account).await?;
    let read = match (&case.link, &case.child) {
        (Some(link), Some(_)) => Some(read_on(&mut tx, query, link.role.is_family()).await?),
        _ => None,
    };
    tx.commit().await.map_err(from_sqlx)?;
    Ok(PortalDashboard { case, read })
}

async fn read_on(
    conn: &mut PgConnection,
    query: &DashboardQuery,
    family: bool,
) -> StoreResult<DashboardRead> {
    let child = query.child;
    let openings = match query.openings_since {
        Some(since) if family => {
            audit::record_openings(conn, child, since, query.openings_limit).await?
        }
        _ => Vec::new(),
    };
    Ok(DashboardRead {
        involvements: involvements::of_child(conn, child).await?,
        caseworkers: caseworkers(conn, child).await?,
        advice: advice::of_child(conn, child).await?,
        local_milestones: timeline::local_milestones(conn).await?,
        extra_holidays: timeline::extra_holidays(conn).await?,
        unread_messages: messages::unread_about_child(conn, child, query.account).await?,
        shared_documents: shared_documents(conn, child, query.account).await?,
        assignments: assignments(conn, child).await?,
        drafts: drafts(conn, child, query.account).await?,
        live_versions: live_versions(conn, child).await?,
        openings,
    })
}

/// The name of each caseworker of the child's involvements.
async fn caseworkers(
    conn: &mut PgConnection,
    child: ChildId,
) -> StoreResult<Vec<(UserId, String)>> {
    let rows = sqlx::query(
        "SELECT DISTINCT a.id, a.name FROM involvements i \
         JOIN accounts a ON a.id = i.caseworker_id \
         WHERE i.child_id = $1 ORDER BY a.id",
    )
    .bind(child.as_uuid())
    .fetch_all(conn)
    .await
    .map_err(from_sqlx)?;
    rows.iter()
        .map(|row| Ok((UserId::from_uuid(uuid(row, "id")?), text(row, "name")?)))
        .collect()
}

/// How many documents about the child are shared with the person (with
/// everyone linked, or with them by name), message attachments left out.
async fn shared_documents(
    conn: &mut PgConnection,
    child: ChildId,
    account: UserId,
) -> StoreResult<u64> {
    let count: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM documents d \
         WHERE d.child_id = $1 AND d.kind <> 'attachment' AND (d.shared_with_all \
         OR EXISTS (SELECT 1 FROM document_shares s \
                    WHERE s.document_id = d.id AND s.account_id = $2))",
    )
    .bind(child.as_uuid())
    .bind(account.as_uuid())
    .fetch_one(conn)
    .await
    .map_err(from_sqlx)?;
    Ok(u64::try_from(count).unwrap_or_default())
}

async fn assignments(
    conn: &mut PgConnection,
    child: ChildId,
) -> StoreResult<Vec<send_domain::forms::FormAssignment>> {
    let rows = sqlx::query(
        "SELECT * FROM form_assignments WHERE child_id = $1 ORDER BY assigned_at DESC, id DESC",
    )
    .bind(child.as_uuid())
    .fetch_all(conn)
    .await
    .map_err(from_sqlx)?;
    rows.iter().map(form_assignment_from_row).collect()
}

async fn drafts(
    conn: &mut PgConnection,
    child: ChildId,
    author: UserId,
) -> StoreResult<Vec<send_domain::forms::FormDraft>> {
    let rows = sqlx::query(
        "SELECT * FROM form_drafts WHERE author = $1 AND child_id = $2 \
         ORDER BY saved_at DESC, form_id",
    )
    .bind(author.as_uuid())
    .bind(child.as_uuid())
    .fetch_all(conn)
    .await
    .map_err(from_sqlx)?;
    rows.iter().map(form_draft_from_row).collect()
}

/// The live versions of the forms given about the child (not retired).
async fn live_versions(
    conn: &mut PgConnection,
    child: ChildId,
) -> StoreResult<Vec<send_domain::forms::FormVersion>> {
    let rows = sqlx::query(
        "SELECT v.* FROM form_versions v \
         JOIN forms f ON f.id = v.form_id AND f.live_version = v.number \
         WHERE f.retired_at IS NULL \
         AND f.id IN (SELECT form_id FROM form_assignments WHERE child_id = $1) \
         ORDER BY f.title, f.id",
    )
    .bind(child.as_uuid())
    .fetch_all(conn)
    .await
    .map_err(from_sqlx)?;
    rows.iter().map(form_version_from_row).collect()
}
