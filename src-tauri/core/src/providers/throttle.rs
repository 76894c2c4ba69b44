//! How long a provider asks to be left alone: `Retry-After` as Microsoft Graph sends it, and
//! `X-Rate-Limit-Reset` as Okta sends it (its 429s carry no `Retry-After`).

use openidconnect::http::HeaderMap;

/// The longest wait the app relays as it is; longer waits are capped, never ignored.
const MAX_RETRY_AFTER: u64 = 3600;
/// When a 429 names no wait at all.
const DEFAULT_RETRY_AFTER: u64 = 60;

/// `Retry-After` (seconds or an HTTP date, as Graph sends it), else Okta's `X-Rate-Limit-Reset`
/// (epoch seconds), capped; garbage or a past time means "a minute". The reset instant is read
/// against the response's `Date` when it has one, so a skewed local clock does not stretch or
/// cancel the wait.
pub fn retry_after(headers: &HeaderMap) -> u64 {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let now = header("date")
        .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok())
        .map_or_else(chrono::Utc::now, |d| d.with_timezone(&chrono::Utc));
    let from_retry = header("retry-after").and_then(|v| {
        v.trim().parse::<u64>().ok().or_else(|| {
            chrono::DateTime::parse_from_rfc2822(v)
                .ok()
                .and_then(|t| u64::try_from((t.timestamp() - now.timestamp()).max(0)).ok())
        })
    });
    let from_reset = || {
        header("x-rate-limit-reset")
            .and_then(|v| v.trim().parse::<i64>().ok())
            // Any i64 may come: no overflow on the way to "garbage".
            .and_then(|reset| u64::try_from(reset.checked_sub(now.timestamp())?).ok())
    };
    from_retry
        .or_else(from_reset)
        .filter(|s| *s > 0)
        .unwrap_or(DEFAULT_RETRY_AFTER)
        .min(MAX_RETRY_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use openidconnect::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).expect("ascii"));
        }
        h
    }

    #[test]
    fn retry_after_reads_seconds_dates_and_okta_reset_and_caps_garbage() {
        assert_eq!(retry_after(&headers(&[("retry-after", "17")])), 17);
        assert_eq!(retry_after(&headers(&[("retry-after", "0")])), 60);
        assert_eq!(retry_after(&headers(&[("retry-after", "-5")])), 60);
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), 60);
        assert_eq!(retry_after(&headers(&[("retry-after", "999999")])), 3600);
        let ends = [
            i64::MIN.to_string(),
            i64::MAX.to_string(),
            u64::MAX.to_string(),
        ];
        for reset in &ends {
            let got = retry_after(&headers(&[("x-rate-limit-reset", reset)]));
            assert!((1..=3600).contains(&got), "{reset}: {got}");
        }
        let reset = (chrono::Utc::now().timestamp() + 42).to_string();
        let got = retry_after(&headers(&[("x-rate-limit-reset", &reset)]));
        assert!((41..=42).contains(&got), "{got}");
        let date = (chrono::Utc::now() + chrono::Duration::seconds(90)).to_rfc2822();
        let got = retry_after(&headers(&[("retry-after", &date)]));
        assert!((88..=90).contains(&got), "{got}");
        assert_eq!(retry_after(&HeaderMap::new()), 60);
    }

    #[test]
    fn okta_reset_is_read_against_the_servers_date() {
        // Okta's 429 (ErrorTooManyRequests429, authn-recovery.json rateLimits): X-Rate-Limit-*
        // headers only. The server's clock says 30 s remain, whatever the local clock says.
        let server_now = chrono::Utc::now() - chrono::Duration::hours(2);
        let reset = (server_now.timestamp() + 30).to_string();
        let date = server_now.to_rfc2822();
        let got = retry_after(&headers(&[
            ("x-rate-limit-limit", "600"),
            ("x-rate-limit-remaining", "0"),
            ("x-rate-limit-reset", &reset),
            ("date", &date),
        ]));
        assert!((29..=30).contains(&got), "{got}");
    }
}
