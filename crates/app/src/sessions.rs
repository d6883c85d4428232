//! Housekeeping for server-side sessions.

use send_domain::SessionTimeouts;

use crate::{App, AppResult};

impl App {
    /// Removes sessions that have ended by `timeouts` (idle too long, or begun
    /// too long ago) at the clock's time. Returns how many were removed.
    pub async fn remove_ended_sessions(&self, timeouts: SessionTimeouts) -> AppResult<u64> {
        let now = self.clock.now();
        Ok(self
            .store
            .delete_expired_sessions(timeouts.idle_cutoff(now), now - timeouts.absolute)
            .await?)
    }
}
