//! Documents on SQLite: each row with the people it is shared with by name in a
//! table of its own (reads; the writes are in `writes::documents`). Every read
//! is one read transaction, so a document is never seen with half its sharing.
//!
//! `Sharing::Named` reads back with the people in the order of their account
//! ids (as text), each once; naming nobody reads back as `NotShared`.

use async_trait::async_trait;
use rusqlite::Transaction;
use send_domain::{ChildId, Document, DocumentId, Sharing, UserId};
use send_store::{DocumentStore, StoreResult};

use crate::SqliteStore;
use crate::columns::{fill_owners, numbered, query_rows};
use crate::rows::{document_from_row, uuid};

/// Fills in the people each of `documents` (read with `document_from_row`) is
/// shared with by name, one statement for them all, in the caller's read. A
/// document shared with everyone linked stays so.
fn with_shares(tx: &Transaction<'_>, mut documents: Vec<Document>) -> StoreResult<Vec<Document>> {
    fill_owners(
        tx,
        &mut documents,
        |document| document.id,
        "SELECT document_id, account_id FROM document_shares \
         WHERE document_id IN (SELECT value FROM json_each($1)) ORDER BY document_id, account_id",
        "sharing",
        |row| Ok(DocumentId::from_uuid(uuid(row, "document_id")?)),
        |document, row| {
            let account = UserId::from_uuid(uuid(row, "account_id")?);
            match &mut document.sharing {
                Sharing::AllLinked => {}
                Sharing::Named(people) => people.push(account),
                sharing @ Sharing::NotShared => *sharing = Sharing::Named(vec![account]),
            }
            Ok(())
        },
    )?;
    Ok(documents)
}

/// The documents found by `sql` (with `$1` bound to `first`, `$2` to `second`
/// if given), with their sharing, in one read.
async fn documents_where(
    store: &SqliteStore,
    sql: &'static str,
    first: String,
    second: Option<String>,
) -> StoreResult<Vec<Document>> {
    store
        .blocking
        .read(move |tx| {
            let documents = match &second {
                Some(second) => {
                    query_rows(tx, sql, numbered(&[&first, second]).as_slice(), |row| {
                        document_from_row(row)
                    })
                }
                None => query_rows(tx, sql, numbered(&[&first]).as_slice(), |row| {
                    document_from_row(row)
                }),
            }?;
            with_shares(tx, documents)
        })
        .await
}

#[async_trait]
impl DocumentStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.document", skip_all)]
    async fn document(&self, id: DocumentId) -> StoreResult<Option<Document>> {
        let found = documents_where(
            self,
            "SELECT * FROM documents WHERE id = $1",
            id.to_string(),
            None,
        )
        .await?;
        Ok(found.into_iter().next())
    }

    #[tracing::instrument(level = "debug", name = "store.documents_of_child", skip_all)]
    async fn documents_of_child(&self, child: ChildId) -> StoreResult<Vec<Document>> {
        documents_where(
            self,
            "SELECT * FROM documents WHERE child_id = $1 ORDER BY uploaded_at DESC, id DESC",
            child.to_string(),
            None,
        )
        .await
    }

    #[tracing::instrument(level = "debug", name = "store.documents_shared_with", skip_all)]
    async fn documents_shared_with(
        &self,
        child: ChildId,
        account: UserId,
    ) -> StoreResult<Vec<Document>> {
        documents_where(
            self,
            "SELECT * FROM documents d WHERE d.child_id = $1 AND (d.shared_with_all = 1 \
             OR EXISTS (SELECT 1 FROM document_shares s \
                        WHERE s.document_id = d.id AND s.account_id = $2)) \
             ORDER BY d.uploaded_at DESC, d.id DESC",
            child.to_string(),
            Some(account.to_string()),
        )
        .await
    }
}
