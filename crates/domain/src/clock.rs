//! Time is a parameter: code that needs "now" is handed a [`Clock`].
//!
//! The real clock lives in the application layer (it reads the system time); this
//! crate only defines the trait and a fixed clock for tests and examples.

use std::sync::{Arc, Mutex, PoisonError};

use time::{Duration, OffsetDateTime};

/// Where "now" comes from.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant, in UTC.
    fn now(&self) -> OffsetDateTime;
}

/// A clock that says what it is told: tests set it and move it forward.
#[derive(Debug, Clone)]
pub struct FixedClock {
    now: Arc<Mutex<OffsetDateTime>>,
}

impl FixedClock {
    pub fn new(at: OffsetDateTime) -> Self {
        Self {
            now: Arc::new(Mutex::new(at)),
        }
    }

    /// Sets the time for every holder of this clock.
    pub fn set(&self, at: OffsetDateTime) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = at;
    }

    /// Moves the time forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_fixed_clock_moves_only_when_told_and_all_holders_see_it() {
        let clock = FixedClock::new(datetime!(2026-02-28 23:30 UTC));
        let other = clock.clone();
        assert_eq!(clock.now(), datetime!(2026-02-28 23:30 UTC));
        clock.advance(Duration::hours(1));
        assert_eq!(other.now(), datetime!(2026-03-01 00:30 UTC));
        other.set(datetime!(2028-02-29 12:00 UTC));
        assert_eq!(clock.now(), datetime!(2028-02-29 12:00 UTC));
    }
}
