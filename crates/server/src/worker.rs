//! The background worker: every couple of seconds it runs the due jobs
//! (`send_app::jobs::run_due_jobs`: reminders, alerts) and then delivers the email
//! outbox (`send_app::outbox::deliver_due_emails`) with the configured transport,
//! until the server stops. Every few minutes it also removes ended sessions.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use send_app::App;
use send_app::error::ErrorChain;
use send_app::jobs::run_due_jobs;
use send_app::mail::{FileMailer, Letterhead, Mailer, NotifyMailer, SmtpMailer};
use send_app::outbox::deliver_due_emails;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{MailSetting, redact_url};

/// How often the worker looks for due emails.
pub const POLL_EVERY: Duration = Duration::from_secs(2);

/// How many polls pass between two clean-ups of ended sessions (about 5 minutes).
pub const SESSION_CLEAN_UP_EVERY: u32 = 150;

/// How long stopping waits for a delivery run in progress before abandoning it.
/// An abandoned email is delivered after its lease ends, by this or another
/// instance.
pub const STOP_GRACE: Duration = Duration::from_secs(10);

/// The transport `setting` names, sending as the council of `app`. A
/// demonstration's emails are files (`send-portal demo` sets that), also listed
/// at `/demo/emails`.
pub fn mailer_for(setting: &MailSetting, app: &App) -> anyhow::Result<Arc<dyn Mailer>> {
    let letterhead = Letterhead::new(&app.settings.council_name, &app.settings.base_url);
    match setting {
        MailSetting::File(folder) => {
            if app.settings.demo {
                tracing::info!(
                    folder = %folder.display(),
                    "demo emails are written as .eml files and listed at /demo/emails"
                );
            } else {
                tracing::info!(folder = %folder.display(), "emails are written as .eml files");
            }
            Ok(Arc::new(FileMailer::new(folder.clone(), letterhead)))
        }
        MailSetting::Smtp(url) => {
            let mailer = SmtpMailer::from_url(url, letterhead).with_context(|| {
                format!(
                    "while setting up SMTP from SEND_PORTAL_MAIL {}",
                    redact_url(url.as_str())
                )
            })?;
            tracing::info!(server = %redact_url(url.as_str()), "emails are sent over SMTP");
            Ok(Arc::new(mailer))
        }
        MailSetting::Notify(settings) => {
            let mailer = NotifyMailer::new(settings.clone(), Arc::clone(&app.clock))
                .context("while setting up GOV.UK Notify from SEND_PORTAL_MAIL=notify")?;
            tracing::info!(
                api = %settings.base_url,
                service_id = %settings.api_key.service_id(),
                key_name = settings.api_key.name(),
                template_id = %settings.template_id,
                "emails are sent through GOV.UK Notify"
            );
            Ok(Arc::new(mailer))
        }
    }
}

/// A running delivery worker. Call [`MailWorker::stop`] when the server stops.
#[derive(Debug)]
pub struct MailWorker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl MailWorker {
    /// Starts delivering, every `every`, on the current tokio runtime.
    pub fn start(app: App, mailer: Arc<dyn Mailer>, every: Duration) -> Self {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut polls: u32 = 0;
            loop {
                if polls.is_multiple_of(SESSION_CLEAN_UP_EVERY) {
                    match app
                        .remove_ended_sessions(app.settings.session_timeouts)
                        .await
                    {
                        Ok(0) => {}
                        Ok(removed) => tracing::debug!(removed, "ended sessions removed"),
                        Err(err) => {
                            tracing::error!(
                                error = %ErrorChain(&err),
                                "ended sessions could not be removed"
                            );
                        }
                    }
                }
                polls = polls.wrapping_add(1);
                match run_due_jobs(&app).await {
                    Ok(0) => {}
                    Ok(done) => tracing::debug!(done, "jobs done"),
                    Err(err) => tracing::error!(
                        error = %ErrorChain(&err),
                        "the job runner could not claim jobs; it will try again"
                    ),
                }
                match deliver_due_emails(&app, mailer.as_ref()).await {
                    Ok(0) => {}
                    Ok(sent) => tracing::debug!(sent, "emails delivered"),
                    Err(err) => tracing::error!(
                        error = %ErrorChain(&err),
                        "the email worker could not use the outbox; it will try again"
                    ),
                }
                tokio::select! {
                    _ = stopped.changed() => break,
                    () = tokio::time::sleep(every) => {}
                }
            }
        });
        Self { stop, task }
    }

    /// Stops the worker, letting a delivery run in progress finish (up to
    /// [`STOP_GRACE`]).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let mut task = self.task;
        if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
            tracing::warn!("the email worker did not finish in time; its emails will be retried");
            task.abort();
        }
    }
}
