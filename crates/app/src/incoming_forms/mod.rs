//! Incoming forms (FRM-5): every submission arrives in the SEND team's
//! processing area, matched to a child's record by the one matcher
//! (`send_domain::matching`), held in suspense when no child is likely, and
//! imported onto the child's record by someone who may process forms.

mod candidates;
mod import;
mod processing;

pub use candidates::Candidate;
pub use import::{ImportOutcome, Imported};
pub use processing::{ProcessingArea, ProcessingFilter, ProcessingRow, ProcessingView};
