//! Incoming forms: the SEND team's processing area, and the indexed lookups the
//! matcher draws its candidates from.

use async_trait::async_trait;
use send_domain::forms::Submission;
use send_domain::incoming_forms::ProcessingStatus;
use send_domain::{Child, ChildId, FamilyContact, FormId, NhsNumber, Postcode, TeamId, Uln, Upn};
use time::{Date, OffsetDateTime};

use crate::StoreResult;

/// The guard of [`crate::Write::UpdateProcessing`]: someone else moved the
/// submission on first.
pub const SUBMISSION_CHANGED: &str = "submission_processing_version";

/// Which submissions to list in the processing area, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcessingQuery {
    /// Any of these (none: every status).
    pub statuses: Vec<ProcessingStatus>,
    pub form: Option<FormId>,
    /// Only those whose (proposed) child is on one of these teams' caseloads.
    pub team: Option<TeamId>,
    /// Only those submitted before this time (older than an age).
    pub submitted_before: Option<OffsetDateTime>,
    pub limit: u32,
}

/// How many submissions wait in each open status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProcessingCounts {
    pub new: u64,
    pub matched: u64,
    pub suspense: u64,
}

impl ProcessingCounts {
    pub fn waiting(self) -> u64 {
        self.new + self.matched + self.suspense
    }
}

/// Where to look for a child: each lookup uses an index; none reads every child.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CandidateQuery {
    pub upn: Option<Upn>,
    pub uln: Option<Uln>,
    pub nhs_number: Option<NhsNumber>,
    /// Children born on any of these dates; if `surnames` are given, those
    /// whose folded surname starts with the first one's letter first (a
    /// mistyped surname still starts with the right letter, and some seventy
    /// children share each date of birth in a large council).
    pub dates_of_birth: Vec<Date>,
    /// Children whose folded surname (`send_domain::matching::normalise_name`)
    /// is one of these. With `born_between`: those born on one of
    /// `dates_of_birth`, then those born nearest the middle of the window, up
    /// to half the limit on either side of it (a common surname has more
    /// children in the window than the limit, so which ones matters). Without
    /// it: the youngest.
    pub surnames: Vec<String>,
    pub born_between: Option<(Date, Date)>,
    pub postcode: Option<Postcode>,
    /// At most this many children from each lookup.
    pub limit_per_lookup: u32,
}

#[async_trait]
pub trait IncomingFormStore: Send + Sync {
    /// Submissions in the processing area, oldest first, at most `query.limit`.
    async fn processing_queue(&self, query: &ProcessingQuery) -> StoreResult<Vec<Submission>>;

    /// How many wait in each open status (all teams).
    async fn processing_counts(&self) -> StoreResult<ProcessingCounts>;

    /// Children any lookup of the query finds, each once.
    async fn match_candidates(&self, query: &CandidateQuery) -> StoreResult<Vec<Child>>;

    /// The family contacts of each of these children.
    async fn family_contacts_of(&self, children: &[ChildId]) -> StoreResult<Vec<FamilyContact>>;

    /// Children whose folded surname is not yet written (added before the
    /// matcher), at most `limit`, with their legal last names.
    async fn children_to_index(&self, limit: u32) -> StoreResult<Vec<(ChildId, String)>>;
}
