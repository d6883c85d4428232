//! Documents on a child's chronology (DOC-1): stored file details and whom each
//! is shared with. The bytes live in the file store, not the database.

use async_trait::async_trait;
use send_domain::{ChildId, Document, DocumentId, Sharing, UserId};
use time::OffsetDateTime;

use crate::{ChronologyEntry, Effects, StoreResult};

#[async_trait]
pub trait DocumentStore: Send + Sync {
    /// Stores a new document (its sharing too) with its chronology entry and
    /// effects.
    async fn insert_document(
        &self,
        document: &Document,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()>;

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

    /// Replaces a document's sharing, stamped `at`, with its chronology entry
    /// and effects. `NotFound` if there is no such document.
    async fn set_sharing(
        &self,
        document: DocumentId,
        sharing: &Sharing,
        at: OffsetDateTime,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()>;
}
