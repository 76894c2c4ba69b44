//! Fixed-window rate limits per key, answering how long to wait when exceeded.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use crate::seed::Limit;

#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: HashMap<String, (DateTime<Utc>, u32)>,
}

/// A refusal: wait this many seconds (`Retry-After`), until this instant (`X-Rate-Limit-Reset`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after: i64,
    pub reset_at: DateTime<Utc>,
    pub limit: u32,
}

impl RateLimiter {
    pub fn hit(&mut self, key: &str, limit: Limit, now: DateTime<Utc>) -> Result<(), Throttled> {
        let window = Duration::seconds(limit.window_seconds);
        let entry = self.windows.entry(key.to_owned()).or_insert((now, 0));
        if now >= entry.0 + window {
            *entry = (now, 0);
        }
        if entry.1 >= limit.requests {
            let reset_at = entry.0 + window;
            return Err(Throttled {
                retry_after: (reset_at - now).num_seconds().max(1),
                reset_at,
                limit: limit.requests,
            });
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_refuses_then_reopens() {
        let mut r = RateLimiter::default();
        let limit = Limit {
            requests: 2,
            window_seconds: 60,
        };
        let now = Utc::now();
        assert!(r.hit("a", limit, now).is_ok());
        assert!(r.hit("a", limit, now).is_ok());
        let t = r.hit("a", limit, now + Duration::seconds(15)).unwrap_err();
        assert_eq!(t.retry_after, 45);
        assert!(r.hit("b", limit, now).is_ok());
        assert!(r.hit("a", limit, now + Duration::seconds(60)).is_ok());
    }
}
