//! Documents on a child's chronology (DOC-1): what the council uploads (letters,
//! advice, plans) and what people attach to messages, and whom each is shared
//! with.

use time::OffsetDateTime;

use crate::accounts::ShortText;
use crate::audit::code_enum;
use crate::files::StoredFile;
use crate::ids::{ChildId, DocumentId, UserId};

code_enum!(
    /// What a document is.
    DocumentKind {
        Letter => "letter",
        Advice => "advice",
        DraftPlan => "draft_plan",
        FinalPlan => "final_plan",
        Other => "other",
        /// Attached to a message; seen by those in the thread.
        Attachment => "attachment",
    }
);

impl DocumentKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Letter => "Letter",
            Self::Advice => "Advice",
            Self::DraftPlan => "Draft plan",
            Self::FinalPlan => "Final plan",
            Self::Other => "Other",
            Self::Attachment => "Message attachment",
        }
    }
}

/// Whom a document is shared with in the portal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Sharing {
    /// Nobody in the portal (the council's own copy).
    #[default]
    NotShared,
    /// Every portal user with an active link to the child, now and later.
    AllLinked,
    /// Only these portal users (while their link is active).
    Named(Vec<UserId>),
}

impl Sharing {
    /// Whether `account` (with an active link to the child) may see the document.
    pub fn includes(&self, account: UserId) -> bool {
        match self {
            Self::NotShared => false,
            Self::AllLinked => true,
            Self::Named(people) => people.contains(&account),
        }
    }
}

/// A document of a child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: DocumentId,
    pub child_id: ChildId,
    pub kind: DocumentKind,
    pub description: ShortText,
    pub file: StoredFile,
    pub uploaded_by: UserId,
    pub uploaded_at: OffsetDateTime,
    pub sharing: Sharing,
    /// When the sharing last changed.
    pub shared_at: Option<OffsetDateTime>,
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn sharing_includes_everyone_linked_or_only_those_named() {
        let (a, b) = (
            UserId::from_uuid(Uuid::from_u128(1)),
            UserId::from_uuid(Uuid::from_u128(2)),
        );
        assert!(!Sharing::NotShared.includes(a));
        assert!(Sharing::AllLinked.includes(a));
        assert!(Sharing::Named(vec![a]).includes(a));
        assert!(!Sharing::Named(vec![a]).includes(b));
    }
}
