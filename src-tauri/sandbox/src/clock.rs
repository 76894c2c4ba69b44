//! The tenant's clock: the system clock plus an offset that tests advance.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Default)]
pub struct TenantClock {
    offset_seconds: Arc<AtomicI64>,
}

impl TenantClock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// Moves the tenant's time forward (never backward: expiry only ever gets closer).
    pub fn advance(&self, seconds: u32) -> DateTime<Utc> {
        self.offset_seconds
            .fetch_add(i64::from(seconds), Ordering::Relaxed);
        self.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward() {
        let clock = TenantClock::default();
        let before = clock.now();
        let after = clock.advance(3600);
        assert!(after - before >= Duration::seconds(3600));
    }
}
