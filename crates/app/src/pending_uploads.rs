//! Uploads kept while their uploader decides: a configuration file between its
//! check and its confirmation. The bytes go to the portal's file storage (the
//! data folder, or the council's object storage), never into the session, so a
//! session stays small and every server of the portal can read the file. A job
//! written with it removes it a day later if nobody confirmed it; confirming
//! removes it at once and cancels the job.

use send_domain::JobId;
use send_domain::jobs::{Job, JobPayload};
use send_store::{Changes, Write};
use time::Duration;

use crate::files::FilesError;
use crate::ids::new_uuid;
use crate::{App, AppError, AppResult};

/// How long an unconfirmed upload is kept.
pub const KEPT_FOR: Duration = Duration::days(1);

impl App {
    /// Keeps `bytes` (already checked by the caller) until
    /// [`App::discard_pending_upload`] or [`KEPT_FOR`] has passed. Returns the
    /// key to read it back with.
    pub(crate) async fn keep_pending_upload(&self, bytes: &[u8]) -> AppResult<String> {
        let now = self.clock.now();
        let key = self
            .files
            .keep_checked(bytes, now)
            .await
            .map_err(|e| AppError::internal("keeping an upload until it is confirmed", e))?;
        let job = Job::new(
            JobId::from_uuid(new_uuid(self.clock.as_ref())),
            JobPayload::DiscardUpload { key: key.clone() },
            now + KEPT_FOR,
            now,
        );
        if let Err(err) = self
            .store
            .commit(&Changes::new().with(Write::InsertJob(job)))
            .await
        {
            // Without its job nothing would ever remove the file.
            let _ = self.files.delete(&key).await;
            return Err(err.into());
        }
        Ok(key)
    }

    /// The upload kept under `key`, or `None` when it is gone (confirmed or
    /// discarded already) or `key` is not one the portal made.
    pub(crate) async fn pending_upload(&self, key: &str) -> AppResult<Option<Vec<u8>>> {
        match self.files.read(key).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(FilesError::NotFound(_) | FilesError::BadKey(_)) => Ok(None),
            Err(e) => Err(AppError::internal(
                "reading an upload kept for confirmation",
                e,
            )),
        }
    }

    /// Removes the upload kept under `key` and cancels the job that would have.
    pub(crate) async fn discard_pending_upload(&self, key: &str) -> AppResult<()> {
        self.remove_pending_upload(key).await?;
        let payload = JobPayload::DiscardUpload {
            key: key.to_owned(),
        };
        self.store
            .commit(&Changes::new().with(Write::CancelJobs {
                subject: payload.subject(),
                at: self.clock.now(),
            }))
            .await?;
        Ok(())
    }

    /// The "Remove an unconfirmed upload" job's work: the file goes (if it is
    /// still there); nothing is written but the job's finish.
    pub(crate) async fn remove_pending_upload(&self, key: &str) -> AppResult<()> {
        match self.files.delete(key).await {
            Ok(()) | Err(FilesError::BadKey(_)) => Ok(()),
            Err(e) => Err(AppError::internal("removing an unconfirmed upload", e)),
        }
    }
}
