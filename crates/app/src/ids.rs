//! New ids: UUID version 7 (time-ordered, so indexes stay compact), with the time
//! taken from the injected clock and the rest random.

use send_domain::Clock;
use uuid::{NoContext, Timestamp, Uuid};

pub fn new_uuid(clock: &dyn Clock) -> Uuid {
    let now = clock.now();
    let seconds = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    Uuid::new_v7(Timestamp::from_unix(NoContext, seconds, now.nanosecond()))
}
