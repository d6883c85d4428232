//! Server-side sessions: housekeeping, and an account's own sessions as My
//! Account lists them (each device signed in), to end one or all but this one.

use send_domain::{
    ActiveSession, Actor, AuditAction, AuditOutcome, SessionTimeouts, TokenHash, UserId,
};
use send_store::{Changes, WhichSessions, Write};

use crate::audit::Source;
use crate::{App, AppError, AppResult};

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

    /// The account's live sessions, most recently active first (My Account).
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn live_sessions(&self, account: UserId) -> AppResult<Vec<ActiveSession>> {
        let now = self.clock.now();
        let timeouts = self.settings.session_timeouts;
        Ok(self
            .store
            .sessions_of_account(account, timeouts.idle_cutoff(now), now - timeouts.absolute)
            .await?)
    }

    /// Ends one of the account's other live sessions (signs another device
    /// out). A session that is not one of them, or is `this_session`, is refused
    /// (audited) as `NotFound`: nobody can end another account's session.
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn end_own_session(
        &self,
        account: UserId,
        session: &TokenHash,
        this_session: &TokenHash,
        source: &Source,
    ) -> AppResult<()> {
        let live = self.live_sessions(account).await?;
        if session == this_session || !live.iter().any(|s| &s.id_hash == session) {
            let event = self.account_event(
                Actor::User(account),
                AuditAction::SessionsEnded,
                AuditOutcome::Refused,
                Some(account),
                source,
            );
            self.store.record_audit_event(&event).await?;
            return Err(AppError::NotFound);
        }
        self.end_own_sessions(
            account,
            WhichSessions::Only(session.clone()),
            "one other device",
            source,
        )
        .await?;
        Ok(())
    }

    /// Ends every session of the account but `this_session` (signs out
    /// everywhere else). Returns how many ended.
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn end_own_other_sessions(
        &self,
        account: UserId,
        this_session: &TokenHash,
        source: &Source,
    ) -> AppResult<u64> {
        self.end_own_sessions(
            account,
            WhichSessions::AllBut(this_session.clone()),
            "every other device",
            source,
        )
        .await
    }

    async fn end_own_sessions(
        &self,
        account: UserId,
        which: WhichSessions,
        detail: &str,
        source: &Source,
    ) -> AppResult<u64> {
        let mut event = self.account_event(
            Actor::User(account),
            AuditAction::SessionsEnded,
            AuditOutcome::Succeeded,
            Some(account),
            source,
        );
        event.detail = Some(detail.to_owned());
        let committed = self
            .store
            .commit(
                &Changes::new()
                    .with(Write::EndSessionsOfAccount { account, which })
                    .with_audit(event),
            )
            .await?;
        Ok(committed.rows.first().copied().unwrap_or(0))
    }
}
