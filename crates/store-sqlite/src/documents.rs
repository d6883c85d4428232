//! Documents on SQLite: each row with the people it is shared with by name in a
//! table of its own (reads; the writes are in `writes::documents`). Every read
//! is one read transaction, so a document is never seen with half its sharing.
//!
//! `Sharing::Named` reads back with the people in the order of their account
//! ids (as text), each once; naming nobody reads back as `NotShared`.

use std::collections::HashMap;

use async_trait::async_trait;
use send_domain::{ChildId, Document, DocumentId, Sharing, UserId};
use send_store::{DocumentStore, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::SqliteStore;
use crate::convert::{corrupt, from_sqlx};
use crate::rows::{document_from_row, uuid};

/// How many ids go into one `IN (…)` list when loading what belongs to several
/// rows, well under SQLite's limit on bound values.
pub(crate) const IDS_PER_QUERY: usize = 500;

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

/// Fills in the people each of `documents` (read with `document_from_row`) is
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
    }
    Ok(())
}

/// The documents found by `query` (with `$1` bound to `first`, `$2` to `second`
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
