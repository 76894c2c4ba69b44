//! Graph's successful answers: authentication methods, the user's password age, the domain's
//! password lifetime. Properties: no panic; an unknown method type is shown as plain text of at
//! most 300 characters.
#![no_main]

use latchkey_core::providers::graph::{method, password_age, validity_days, AuthMethod};
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = latchkey_fuzz::json(&mut Unstructured::new(data), 5) else {
        return;
    };
    for item in v["value"].as_array().into_iter().flatten().chain([&v]) {
        if let AuthMethod::Other { odata_type } = method(item) {
            assert!(latchkey_fuzz::is_plain_text(&odata_type) && odata_type.chars().count() <= 300);
        }
    }
    let age = password_age(&v, None);
    assert_eq!(
        age.never_expires,
        v["passwordPolicies"]
            .as_str()
            .is_some_and(|p| p.contains("DisablePasswordExpiration"))
    );
    let _ = validity_days(&v);
});
