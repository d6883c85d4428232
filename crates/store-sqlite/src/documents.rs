//! Documents on SQLite: each row with the people it is shared with by name in a
//! table of its own. Every write is one transaction on the single writer
//! connection, with its chronology entry and effects; every read is one read
//! transaction, so a document is never seen with half its sharing.
//!
//! `Sharing::Named` reads back with the people in the order of their account
//! ids (as text), each once; naming nobody reads back as `NotShared`.

use std::collections::HashMap;

use async_trait::async_trait;
use send_domain::{ChildId, Document, DocumentId, Sharing, ShortText, StoredFile, UserId};
use send_store::{ChronologyEntry, DocumentStore, Effects, StoreError, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::cases::{id_from_row, insert_entry};
use crate::convert::{
    code, corrupt, from_sqlx, size_from_db, size_to_db, time_from_text, time_to_text,
};
use crate::effects;

/// How many ids go into one `IN (…)` list when loading what belongs to several
/// rows, well under SQLite's limit on bound values.
pub(crate) const IDS_PER_QUERY: usize = 500;

/// SQLite names a unique violation by its columns (`UNIQUE constraint failed:
/// documents.file_key`); the trait promises the constraint's name, as
/// PostgreSQL gives it.
pub(crate) fn write_error(err: sqlx::Error) -> StoreError {
    match from_sqlx(err) {
        StoreError::Conflict { constraint } if constraint.ends_with(": documents.file_key") => {
            StoreError::Conflict {
                constraint: "documents_file_key".to_owned(),
            }
        }
        other => other,
    }
}

/// The rows of `table` whose `column` is one of `ids` (`SELECT * … WHERE column
/// IN (…)`), in `order`. `ids` holds at most [`IDS_PER_QUERY`].
pub(crate) async fn rows_for_ids(
    conn: &mut SqliteConnection,
    table: &'static str,
    column: &'static str,
    ids: &[String],
    order: &'static str,
) -> StoreResult<Vec<SqliteRow>> {
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT * FROM ");
    sql.push(table).push(" WHERE ").push(column).push(" IN (");
    let mut list = sql.separated(", ");
    for id in ids {
        list.push_bind(id.as_str());
    }
    sql.push(") ORDER BY ").push(order);
    sql.build().fetch_all(conn).await.map_err(from_sqlx)
}

fn text(row: &SqliteRow, name: &str) -> StoreResult<String> {
    row.try_get(name).map_err(from_sqlx)
}

fn flag(row: &SqliteRow, name: &str) -> StoreResult<bool> {
    Ok(row.try_get::<i64, _>(name).map_err(from_sqlx)? != 0)
}

/// A document from its row, its sharing `AllLinked` or (until
/// [`load_shares`] finds the people named) `NotShared`.
fn document_from_row(row: &SqliteRow) -> StoreResult<Document> {
    let sharing = if flag(row, "shared_with_all")? {
        Sharing::AllLinked
    } else {
        Sharing::NotShared
    };
    Ok(Document {
        id: DocumentId::from_uuid(id_from_row(row, "id")?),
        child_id: ChildId::from_uuid(id_from_row(row, "child_id")?),
        kind: code(&text(row, "kind")?)?,
        description: ShortText::from_stored(text(row, "description")?),
        file: StoredFile {
            key: text(row, "file_key")?,
            name: text(row, "file_name")?,
            kind: code(&text(row, "file_kind")?)?,
            size: size_from_db(row.try_get("file_size").map_err(from_sqlx)?)?,
            sha256: text(row, "file_sha256")?,
        },
        uploaded_by: UserId::from_uuid(id_from_row(row, "uploaded_by")?),
        uploaded_at: time_from_text(&text(row, "uploaded_at")?)?,
        sharing,
        shared_at: row
            .try_get::<Option<String>, _>("shared_at")
            .map_err(from_sqlx)?
            .map(|at| time_from_text(&at))
            .transpose()?,
    })
}

/// Fills in the people each of `documents` (read with [`document_from_row`]) is
/// shared with by name. A document shared with everyone linked stays so.
async fn load_shares(conn: &mut SqliteConnection, documents: &mut [Document]) -> StoreResult<()> {
    let index: HashMap<DocumentId, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, document)| (document.id, i))
        .collect();
    let ids: Vec<String> = documents.iter().map(|d| d.id.to_string()).collect();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows = rows_for_ids(
            conn,
            "document_shares",
            "document_id",
            chunk,
            "document_id, account_id",
        )
        .await?;
        for row in &rows {
            let id = DocumentId::from_uuid(id_from_row(row, "document_id")?);
            let account = UserId::from_uuid(id_from_row(row, "account_id")?);
            let i = *index
                .get(&id)
                .ok_or_else(|| corrupt(format_args!("sharing of document {id}")))?;
            match &mut documents[i].sharing {
                Sharing::AllLinked => {}
                Sharing::Named(people) => people.push(account),
                sharing @ Sharing::NotShared => *sharing = Sharing::Named(vec![account]),
            }
        }
    }
    Ok(())
}

/// Writes the people a document is shared with by name, replacing any.
async fn write_shares(
    conn: &mut SqliteConnection,
    document: DocumentId,
    sharing: &Sharing,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM document_shares WHERE document_id = ?")
        .bind(document.to_string())
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    if let Sharing::Named(people) = sharing {
        for account in people {
            sqlx::query(
                "INSERT INTO document_shares (document_id, account_id) VALUES (?, ?) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(document.to_string())
            .bind(account.to_string())
            .execute(&mut *conn)
            .await
            .map_err(from_sqlx)?;
        }
    }
    Ok(())
}

/// Stores a new document and whom it is shared with (inside the caller's
/// transaction).
pub(crate) async fn insert_document(
    conn: &mut SqliteConnection,
    document: &Document,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO documents \
         (id, child_id, kind, description, file_key, file_name, file_kind, file_size, \
          file_sha256, uploaded_by, uploaded_at, shared_with_all, shared_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
    write_shares(conn, document.id, &document.sharing).await
}

/// The documents found by `query` (with `?1` bound to `first`, `?2` to `second`
/// if given), with their sharing, in one read transaction.
async fn documents_where(
    store: &SqliteStore,
    query: &'static str,
    first: String,
    second: Option<String>,
) -> StoreResult<Vec<Document>> {
    let mut tx = store.reader.begin().await.map_err(from_sqlx)?;
    let mut select = sqlx::query(query).bind(first);
    if let Some(second) = second {
        select = select.bind(second);
    }
    let rows = select.fetch_all(&mut *tx).await.map_err(from_sqlx)?;
    let mut documents = rows
        .iter()
        .map(document_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
    load_shares(&mut tx, &mut documents).await?;
    tx.commit().await.map_err(from_sqlx)?;
    Ok(documents)
}

#[async_trait]
impl DocumentStore for SqliteStore {
    async fn insert_document(
        &self,
        document: &Document,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        insert_document(&mut tx, document).await?;
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn document(&self, id: DocumentId) -> StoreResult<Option<Document>> {
        let found = documents_where(
            self,
            "SELECT * FROM documents WHERE id = ?1",
            id.to_string(),
            None,
        )
        .await?;
        Ok(found.into_iter().next())
    }

    async fn documents_of_child(&self, child: ChildId) -> StoreResult<Vec<Document>> {
        documents_where(
            self,
            "SELECT * FROM documents WHERE child_id = ?1 ORDER BY uploaded_at DESC, id DESC",
            child.to_string(),
            None,
        )
        .await
    }

    async fn documents_shared_with(
        &self,
        child: ChildId,
        account: UserId,
    ) -> StoreResult<Vec<Document>> {
        documents_where(
            self,
            "SELECT * FROM documents d WHERE d.child_id = ?1 AND (d.shared_with_all = 1 \
             OR EXISTS (SELECT 1 FROM document_shares s \
                        WHERE s.document_id = d.id AND s.account_id = ?2)) \
             ORDER BY d.uploaded_at DESC, d.id DESC",
            child.to_string(),
            Some(account.to_string()),
        )
        .await
    }

    async fn set_sharing(
        &self,
        document: DocumentId,
        sharing: &Sharing,
        at: OffsetDateTime,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done =
            sqlx::query("UPDATE documents SET shared_with_all = ?, shared_at = ? WHERE id = ?")
                .bind(i64::from(*sharing == Sharing::AllLinked))
                .bind(time_to_text(at))
                .bind(document.to_string())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        write_shares(&mut tx, document, sharing).await?;
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }
}
