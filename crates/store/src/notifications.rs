//! Automatic notifications (DESIGN NTF-3): what the council chose for each event
//! and what each person turned off. Writes are `Write::SaveNotificationSetting`
//! and `Write::SetNotificationOptOut`.

use async_trait::async_trait;
use send_domain::UserId;
use send_domain::notifications::{NotificationEvent, NotificationSetting};

use crate::StoreResult;

#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// The events the council has set, with its choices and texts, in the
    /// order of their codes (an event not listed has its defaults).
    async fn notification_settings(&self) -> StoreResult<Vec<NotificationSetting>>;

    /// The events a person turned off, in the order of their codes.
    async fn notification_opt_outs(&self, account: UserId) -> StoreResult<Vec<NotificationEvent>>;
}
