//! The Authentication API's recovery answers (Okta Classic). Properties: no panic; a recovery
//! question shown to the user is plain text of at most 300 characters.
#![no_main]

use latchkey_core::providers::okta::recovery::step as recovery_step;
use latchkey_core::providers::recovery::RecoveryStep;
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = latchkey_fuzz::json(&mut Unstructured::new(data), 6) else {
        return;
    };
    if let Ok(RecoveryStep::Question { question, .. }) = recovery_step(&v) {
        assert!(latchkey_fuzz::is_plain_text(&question) && question.chars().count() <= 300);
    }
});
