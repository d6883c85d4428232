//! Writes of documents: each row with the people it is shared with by name in a
//! table of its own.

use send_domain::{Document, DocumentId, Sharing};
use send_store::StoreResult;
use sqlx::PgConnection;
use time::OffsetDateTime;

use super::{found, write_error};
use crate::convert::size_to_db;

/// A new document and whom it is shared with.
pub(super) async fn insert_document(
    conn: &mut PgConnection,
    document: &Document,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO documents \
         (id, child_id, kind, description, file_key, file_name, file_kind, file_size, \
          file_sha256, uploaded_by, uploaded_at, shared_with_all, shared_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(document.id.as_uuid())
    .bind(document.child_id.as_uuid())
    .bind(document.kind.code())
    .bind(document.description.as_str())
    .bind(document.file.key.as_str())
    .bind(document.file.name.as_str())
    .bind(document.file.kind.code())
    .bind(size_to_db(document.file.size)?)
    .bind(document.file.sha256.as_str())
    .bind(document.uploaded_by.as_uuid())
    .bind(document.uploaded_at)
    .bind(document.sharing == Sharing::AllLinked)
    .bind(document.shared_at)
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    write_shares(conn, document.id, &document.sharing).await?;
    Ok(done.rows_affected())
}

/// Replaces whom a document is shared with, stamped `at`.
pub(super) async fn set_sharing(
    conn: &mut PgConnection,
    document: DocumentId,
    sharing: &Sharing,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done =
        sqlx::query("UPDATE documents SET shared_with_all = $1, shared_at = $2 WHERE id = $3")
            .bind(*sharing == Sharing::AllLinked)
            .bind(at)
            .bind(document.as_uuid())
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
    let rows = found(done.rows_affected())?;
    write_shares(conn, document, sharing).await?;
    Ok(rows)
}

/// Writes the people a document is shared with by name, replacing any.
async fn write_shares(
    conn: &mut PgConnection,
    document: DocumentId,
    sharing: &Sharing,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM document_shares WHERE document_id = $1")
        .bind(document.as_uuid())
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    if let Sharing::Named(people) = sharing {
        for account in people {
            sqlx::query(
                "INSERT INTO document_shares (document_id, account_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(document.as_uuid())
            .bind(account.as_uuid())
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
    }
    Ok(())
}
