//! The SEND Dashboard's read on SQLite: the access check's link and child and
//! everything the page shows of the child for one person, in one deferred read
//! transaction on one rusqlite reader (`blocking_reads`), so the page is one
//! moment's state and costs one hand-off to a reader however many messages
//! the child has. Counts are counted by the database.

use rusqlite::Transaction;
use send_domain::{ChildId, UserId};
use send_store::{DashboardQuery, DashboardRead, PortalDashboard, StoreResult};

use crate::SqliteStore;
use crate::columns::{count, numbered, query_rows};
use crate::rows::{
    form_assignment_from_row, form_draft_from_row, form_version_from_row, text, uuid,
};
use crate::{advice, audit, involvements, messages, timeline};

/// The access check and, while the link is active, the dashboard of
/// `query.child` for `query.account`.
pub(crate) async fn read(
    store: &SqliteStore,
    query: &DashboardQuery,
) -> StoreResult<PortalDashboard> {
    let query = *query;
    store
        .blocking
        .read(move |tx| {
            let case = crate::portal_access::case_on(tx, query.child, query.account)?;
            let read = match (&case.link, &case.child) {
                (Some(link), Some(_)) => Some(read_on(tx, &query, link.role.is_family())?),
                _ => None,
            };
            Ok(PortalDashboard { case, read })
        })
        .await
}

fn read_on(
    tx: &Transaction<'_>,
    query: &DashboardQuery,
    family: bool,
) -> StoreResult<DashboardRead> {
    let child = query.child;
    let openings = match query.openings_since {
        Some(since) if family => audit::record_openings(tx, child, since, query.openings_limit)?,
        _ => Vec::new(),
    };
    Ok(DashboardRead {
        involvements: involvements::of_child(tx, child)?,
        caseworkers: caseworkers(tx, child)?,
        advice: advice::of_child(tx, child)?,
        local_milestones: timeline::local_milestones(tx)?,
        extra_holidays: timeline::extra_holidays(tx)?,
        unread_messages: messages::unread_about_child(tx, child, query.account)?,
        shared_documents: shared_documents(tx, child, query.account)?,
        assignments: assignments(tx, child)?,
        drafts: drafts(tx, child, query.account)?,
        live_versions: live_versions(tx, child)?,
        openings,
    })
}

/// The name of each caseworker of the child's involvements.
fn caseworkers(tx: &Transaction<'_>, child: ChildId) -> StoreResult<Vec<(UserId, String)>> {
    query_rows(
        tx,
        "SELECT DISTINCT a.id, a.name FROM involvements i \
         JOIN accounts a ON a.id = i.caseworker_id \
         WHERE i.child_id = $1 ORDER BY a.id",
        numbered(&[&child.to_string()]).as_slice(),
        |row| Ok((UserId::from_uuid(uuid(row, "id")?), text(row, "name")?)),
    )
}

/// How many documents about the child are shared with the person (with
/// everyone linked, or with them by name), message attachments left out.
fn shared_documents(tx: &Transaction<'_>, child: ChildId, account: UserId) -> StoreResult<u64> {
    count(
        tx,
        "SELECT count(*) AS n FROM documents d \
         WHERE d.child_id = $1 AND d.kind <> 'attachment' AND (d.shared_with_all = 1 \
         OR EXISTS (SELECT 1 FROM document_shares s \
                    WHERE s.document_id = d.id AND s.account_id = $2))",
        numbered(&[&child.to_string(), &account.to_string()]).as_slice(),
    )
}

fn assignments(
    tx: &Transaction<'_>,
    child: ChildId,
) -> StoreResult<Vec<send_domain::forms::FormAssignment>> {
    query_rows(
        tx,
        "SELECT * FROM form_assignments WHERE child_id = $1 ORDER BY assigned_at DESC, id DESC",
        numbered(&[&child.to_string()]).as_slice(),
        |row| form_assignment_from_row(row),
    )
}

fn drafts(
    tx: &Transaction<'_>,
    child: ChildId,
    author: UserId,
) -> StoreResult<Vec<send_domain::forms::FormDraft>> {
    query_rows(
        tx,
        "SELECT * FROM form_drafts WHERE author = $1 AND child_id = $2 \
         ORDER BY saved_at DESC, form_id",
        numbered(&[&author.to_string(), &child.to_string()]).as_slice(),
        |row| form_draft_from_row(row),
    )
}

/// The live versions of the forms given about the child (not retired).
fn live_versions(
    tx: &Transaction<'_>,
    child: ChildId,
) -> StoreResult<Vec<send_domain::forms::FormVersion>> {
    query_rows(
        tx,
        "SELECT v.* FROM form_versions v \
         JOIN forms f ON f.id = v.form_id AND f.live_version = v.number \
         WHERE f.retired_at IS NULL \
         AND f.id IN (SELECT form_id FROM form_assignments WHERE child_id = $1) \
         ORDER BY f.title, f.id",
        numbered(&[&child.to_string()]).as_slice(),
        |row| form_version_from_row(row),
    )
}
