//! Documents on PostgreSQL: each row with the people it is shared with by name
//! in a table of its own (reads; the writes are in `writes::documents`). Every
//! read is one transaction, so a document is never seen with half its sharing.
//!
//! `Sharing::Named` reads back with the people in the order of their account
//! ids (a `uuid` sorts as its text does), each once; naming nobody reads back
//! as `NotShared`.

use std::collections::HashMap;

use async_trait::async_trait;
use send_domain::{ChildId, Document, DocumentId, Sharing, UserId};
use send_store::{DocumentStore, StoreResult};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::PgStore;
use crate::convert::{corrupt, from_sqlx};
use crate::rows::{document_from_row, uuid};

/// Fills in the people each of `documents` (read with `document_from_row`) is
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
    #[tracing::instrument(level = "debug", name = "store.document", skip_all)]
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

    #[tracing::instrument(level = "debug", name = "store.documents_of_child", skip_all)]
    async fn documents_of_child(&self, child: ChildId) -> StoreResult<Vec<Document>> {
        documents_where(
            self,
            "SELECT * FROM documents WHERE child_id = $1 ORDER BY uploaded_at DESC, id DESC",
            child.as_uuid(),
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
            "SELECT * FROM documents d WHERE d.child_id = $1 AND (d.shared_with_all \
             OR EXISTS (SELECT 1 FROM document_shares s \
                        WHERE s.document_id = d.id AND s.account_id = $2)) \
             ORDER BY d.uploaded_at DESC, d.id DESC",
            child.as_uuid(),
            Some(account.as_uuid()),
        )
        .await
    }
}
