//! The SEND Dashboard's read on SQLite: everything the page shows of a child
//! for one person, in one deferred read transaction on one reader connection,
//! so the page is one moment's state and costs one connection however many
//! messages the child has. Counts are counted by the database.

use send_domain::{ChildId, UserId};
use send_store::{DashboardQuery, DashboardRead, StoreResult};
use sqlx::SqliteConnection;

use crate::SqliteStore;
use crate::convert::from_sqlx;
use crate::rows::{
    form_assignment_from_row, form_draft_from_row, form_version_from_row, text, uuid,
};
use crate::{advice, audit, involvements, messages, timeline};

/// The dashboard of `query.child` for `query.account`.
pub(crate) async fn read(
    store: &SqliteStore,
    query: &DashboardQuery,
) -> StoreResult<DashboardRead> {
    let mut tx = store.reader.begin().await.map_err(from_sqlx)?;
    let read = read_on(&mut tx, query).await?;
    tx.commit().await.map_err(from_sqlx)?;
    Ok(read)
}

async fn read_on(
    conn: &mut SqliteConnection,
    query: &DashboardQuery,
) -> StoreResult<DashboardRead> {
    let child = query.child;
    let openings = match query.openings_since {
        Some(since) => audit::record_openings(conn, child, since, query.openings_limit).await?,
        None => Vec::new(),
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
    conn: &mut SqliteConnection,
    child: ChildId,
) -> StoreResult<Vec<(UserId, String)>> {
    let rows = sqlx::query(
        "SELECT DISTINCT a.id, a.name FROM involvements i \
         JOIN accounts a ON a.id = i.caseworker_id \
         WHERE i.child_id = $1 ORDER BY a.id",
    )
    .bind(child.to_string())
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
    conn: &mut SqliteConnection,
    child: ChildId,
    account: UserId,
) -> StoreResult<u64> {
    let count: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM documents d \
         WHERE d.child_id = $1 AND d.kind <> 'attachment' AND (d.shared_with_all = 1 \
         OR EXISTS (SELECT 1 FROM document_shares s \
                    WHERE s.document_id = d.id AND s.account_id = $2))",
    )
    .bind(child.to_string())
    .bind(account.to_string())
    .fetch_one(conn)
    .await
    .map_err(from_sqlx)?;
    Ok(u64::try_from(count).unwrap_or_default())
}

async fn assignments(
    conn: &mut SqliteConnection,
    child: ChildId,
) -> StoreResult<Vec<send_domain::forms::FormAssignment>> {
    let rows = sqlx::query(
        "SELECT * FROM form_assignments WHERE child_id = $1 ORDER BY assigned_at DESC, id DESC",
    )
    .bind(child.to_string())
    .fetch_all(conn)
    .await
    .map_err(from_sqlx)?;
    rows.iter().map(form_assignment_from_row).collect()
}

async fn drafts(
    conn: &mut SqliteConnection,
    child: ChildId,
    author: UserId,
) -> StoreResult<Vec<send_domain::forms::FormDraft>> {
    let rows = sqlx::query(
        "SELECT * FROM form_drafts WHERE author = $1 AND child_id = $2 \
         ORDER BY saved_at DESC, form_id",
    )
    .bind(author.to_string())
    .bind(child.to_string())
    .fetch_all(conn)
    .await
    .map_err(from_sqlx)?;
    rows.iter().map(form_draft_from_row).collect()
}

/// The live versions of the forms given about the child (not retired).
async fn live_versions(
    conn: &mut SqliteConnection,
    child: ChildId,
) -> StoreResult<Vec<send_domain::forms::FormVersion>> {
    let rows = sqlx::query(
        "SELECT v.* FROM form_versions v \
         JOIN forms f ON f.id = v.form_id AND f.live_version = v.number \
         WHERE f.retired_at IS NULL \
         AND f.id IN (SELECT form_id FROM form_assignments WHERE child_id = $1) \
         ORDER BY f.title, f.id",
    )
    .bind(child.to_string())
    .fetch_all(conn)
    .await
    .map_err(from_sqlx)?;
    rows.iter().map(form_version_from_row).collect()
}
