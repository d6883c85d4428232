//! Readiness: can the portal reach its database?

use crate::{App, AppResult};

impl App {
    pub async fn check_ready(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }
}
