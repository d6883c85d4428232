//! The tests' mail sink: a [`Mailer`] that keeps what it is handed, so no test
//! ever writes or sends an email anywhere.

use std::sync::{Mutex, PoisonError};

use async_trait::async_trait;
use send_app::mail::{MailError, Mailer};
use send_domain::OutgoingEmail;

/// Keeps every email handed to it, in order.
#[derive(Debug, Default)]
pub struct MailSink {
    delivered: Mutex<Vec<OutgoingEmail>>,
}

impl MailSink {
    /// Every email handed over so far, oldest first; the sink is emptied.
    pub fn take(&self) -> Vec<OutgoingEmail> {
        std::mem::take(
            &mut *self
                .delivered
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }
}

#[async_trait]
impl Mailer for MailSink {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        self.delivered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(email.clone());
        Ok(())
    }
}
