//! The council's own texts (ADM-1): the wording it saved in place of the
//! shipped defaults. Writes are `Write::SaveCouncilText` and
//! `Write::RestoreCouncilText`.

use async_trait::async_trait;
use send_domain::council_texts::CouncilText;

use crate::StoreResult;

#[async_trait]
pub trait CouncilTextStore: Send + Sync {
    /// Every text the council saved, in the order of their keys (a key not
    /// listed has its shipped default).
    async fn council_texts(&self) -> StoreResult<Vec<CouncilText>>;
}
