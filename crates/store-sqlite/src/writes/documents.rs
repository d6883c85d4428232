//! Writes of documents: each row with the people it is shared with by name in a
//! table of its own.

use send_domain::{Document, DocumentId, Sharing};
use send_store::StoreResult;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::{found, write_error};
use crate::convert::{size_to_db, time_to_text};

/// A new document and whom it is shared with.
pub(super) async fn insert_document(
    conn: &mut SqliteConnection,
    document: &Document,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO documents \
         (id, child_id, kind, description, file_key, file_name, file_kind, file_size, \
          file_sha256, uploaded_by, uploaded_at, shared_with_all, shared_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(document.id.to_string())
    .bind(document.child_id.to_string())
    .bind(document.kind.code())
    .bind(document.description.as_str())
    .bind(document.file.key.as_str())
    .bind(document.file.name.as_str())
    .bind(document.file.kind.code())
    .bind(size_to_db(document.file.size)?)
    .bind(document.file.sha256.as_str())
    .bind(document.uploaded_by.to_string())
    .bind(time_to_text(document.uploaded_at))
    .bind(i64::from(document.sharing == Sharing::AllLinked))
    .bind(document.shared_at.map(time_to_text))
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    write_shares(conn, document.id, &document.sharing).await?;
    Ok(done.rows_affected())
}

/// Replaces whom a document is shared with, stamped `at`.
pub(super) async fn set_sharing(
    conn: &mut SqliteConnection,
    document: DocumentId,
    sharing: &Sharing,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done =
        sqlx::query("UPDATE documents SET shared_with_all = $1, shared_at = $2 WHERE id = $3")
            .bind(i64::from(*sharing == Sharing::AllLinked))
            .bind(time_to_text(at))
            .bind(document.to_string())
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
    let rows = found(done.rows_affected())?;
    write_shares(conn, document, sharing).await?;
    Ok(rows)
}

/// Writes the people a document is shared with by name, replacing any.
async fn write_shares(
    conn: &mut SqliteConnection,
    document: DocumentId,
    sharing: &Sharing,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM document_shares WHERE document_id = $1")
        .bind(document.to_string())
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    if let Sharing::Named(people) = sharing {
        for account in people {
            sqlx::query(
                "INSERT INTO document_shares (document_id, account_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(document.to_string())
            .bind(account.to_string())
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
    }
    Ok(())
}
