//! `Retry-After` (seconds or HTTP date) and Okta's `X-Rate-Limit-Reset` against `Date`.
//! Property: no panic, no overflow; the wait is always 1 s to an hour.
#![no_main]

use latchkey_core::providers::throttle::retry_after;
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(headers) = latchkey_fuzz::headers(&mut Unstructured::new(data)) {
        let wait = retry_after(&headers);
        assert!((1..=3600).contains(&wait), "{wait} from {headers:?}");
    }
});
