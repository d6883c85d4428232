//! Documents on PostgreSQL: each row with the people it is shared with by name
//! in a table of its own. Every write is one transaction, with its chronology
//! entry and effects; every read is one transaction, so a document is never
//! seen with half its sharing. A second document with the same file key is
//! reported by its constraint, `documents_file_key`.
//!
//! `Sharing::Named` reads back with the people in the order of their account
//! ids (a `uuid` sorts as its text does), each once; naming nobody reads back
//! as `NotShared`.

use std::collections::HashMap;

use async_trait::async_trait;
use send_domain::{ChildId, Document, DocumentId, Sharing, ShortText, StoredFile, UserId};
use send_store::{ChronologyEntry, DocumentStore, Effects, StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::PgStore;
use crate::cases::{insert_entry, uuid};
use crate::convert::{code, corrupt, from_sqlx, size_from_db, size_to_db};
use crate::effects;

fn text(row: &PgRow, name: &str) -> StoreResult<String> {
    row.try_get(name).map_err(from_sqlx)
}

/// A document from its row, its sharing `AllLinked` or (until
/// [`load_shares`] finds the people named) `NotShared`.
fn document_from_row(row: &PgRow) -> StoreResult<Document> {
    let shared_with_all: bool = row.try_get("shared_with_all").map_err(from_sqlx)?;
    let sharing = if shared_with_all {
        Sharing::AllLinked
    } else {
        Sharing::NotShared
    };
    Ok(Document {
        id: DocumentId::from_uuid(uuid(row, "id")?),
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        kind: code(&text(row, "kind")?)?,
        description: ShortText::from_stored(text(row, "description")?),
        file: StoredFile {
            key: text(row, "file_key")?,
            name: text(row, "file_name")?,
            kind: code(&text(row, "file_kind")?)?,
            size: size_from_db(row.try_get("file_size").map_err(from_sqlx)?)?,
            sha256: text(row, "file_sha256")?,
        },
        uploaded_by: UserId::from_uuid(uuid(row, "uploaded_by")?),
        uploaded_at: row.try_get("uploaded_at").map_err(from_sqlx)?,
        sharing,
        shared_at: row.try_get("shared_at").map_err(from_sqlx)?,
    })
}

/// Fills in the people each of `documents` (read with [`document_from_row`]) is
/// shared with by name. A document shared with everyone linked stays so.
async fn load_shares(conn: &mut PgConnection, documents: &mut [Document]) -> StoreResult<()> {
    let index: HashMap<DocumentId, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, document)| (document.id, i))
        .collect();
    let ids: Vec<Uuid> = documents.iter().map(|d| d.id.as_uuid()).collect();
    let rows = sqlx::query(
        "SELECT * FROM document_shares WHERE document_id = ANY($1) \
         ORDER BY document_id, account_id",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(from_sqlx)?;
    for row in &rows {
        let id = DocumentId::from_uuid(uuid(row, "document_id")?);
        let account = UserId::from_uuid(uuid(row, "account_id")?);
        let i = *index
            .get(&id)
            .ok_or_else(|| corrupt(format_args!("sharing of document {id}")))?;
        match &mut documents[i].sharing {
            Sharing::AllLinked => {}
            Sharing::Named(people) => people.push(account),
            sharing @ Sharing::NotShared => *sharing = Sharing::Named(vec![account]),
        }
    }
    Ok(())
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
        .map_err(from_sqlx)?;
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
            .map_err(from_sqlx)?;
        }
    }
    Ok(())
}

/// Stores a new document and whom it is shared with (inside the caller's
/// transaction).
pub(crate) async fn insert_document(
    conn: &mut PgConnection,
    document: &Document,
) -> StoreResult<()> {
    sqlx::query(
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
    .map_err(from_sqlx)?;
    write_shares(conn, document.id, &document.sharing).await
}

/// The documents found by `query` (with `$1` bound to `first`, `$2` to `second`
/// if given), with their sharing, in one transaction.
async fn documents_where(
    store: &PgStore,
    query: &'static str,
    first: Uuid,
    second: Option<Uuid>,
) -> StoreResult<Vec<Document>> {
    let mut tx = store.pool.begin().await.map_err(from_sqlx)?;
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
impl DocumentStore for PgStore {
    async fn insert_document(
        &self,
        document: &Document,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        insert_document(&mut tx, document).await?;
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn document(&self, id: DocumentId) -> StoreResult<Option<Document>> {
        let found = documents_where(
            self,
            "SELECT * FROM documents WHERE id = $1",
            id.as_uuid(),
            None,
        )
        .await?;
        Ok(found.into_iter().next())
    }

    async fn documents_of_child(&self, child: ChildId) -> StoreResult<Vec<Document>> {
        documents_where(
            self,
            "SELECT * FROM documents WHERE child_id = $1 ORDER BY uploaded_at DESC, id DESC",
            child.as_uuid(),
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
            "SELECT * FROM documents d WHERE d.child_id = $1 AND (d.shared_with_all \
             OR EXISTS (SELECT 1 FROM document_shares s \
                        WHERE s.document_id = d.id AND s.account_id = $2)) \
             ORDER BY d.uploaded_at DESC, d.id DESC",
            child.as_uuid(),
            Some(account.as_uuid()),
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
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let done =
            sqlx::query("UPDATE documents SET shared_with_all = $1, shared_at = $2 WHERE id = $3")
                .bind(*sharing == Sharing::AllLinked)
                .bind(at)
                .bind(document.as_uuid())
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
