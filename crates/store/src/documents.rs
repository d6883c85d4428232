//! Documents on a child's chronology (DOC-1): stored file details and whom each
//! is shared with. The bytes live in the file store, not the database.

use async_trait::async_trait;
use send_domain::{ChildId, Document, DocumentId, UserId};

use crate::StoreResult;

#[async_trait]
pub trait DocumentStore: Send + Sync {
    async fn document(&self, id: DocumentId) -> StoreResult<Option<Document>>;

    /// A child's documents, newest first (attachments included).
    async fn documents_of_child(&self, child: ChildId) -> StoreResult<Vec<Document>>;

    /// The documents of a child shared with `account`: shared with everyone
    /// linked, or naming them; newest first. (The caller checks the link.)
    async fn documents_shared_with(
        &self,
        child: ChildId,
        account: UserId,
    ) -> StoreResult<Vec<Document>>;
}
