//! Okta MyAccount's phone and e-mail lists. Property: no panic; an accepted list has one entry
//! per item, each with the item's `id`.
#![no_main]

use latchkey_core::providers::okta::myaccount::{decode_emails, decode_phones};
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = latchkey_fuzz::json(&mut Unstructured::new(data), 5) else {
        return;
    };
    let id = |i: usize| v[i]["id"].as_str().map(str::to_owned);
    if let Ok(phones) = decode_phones(&v) {
        assert_eq!(phones.len(), v.as_array().map_or(0, Vec::len));
        for (i, p) in phones.iter().enumerate() {
            assert_eq!(Some(&p.id), id(i).as_ref());
        }
    }
    if let Ok(emails) = decode_emails(&v) {
        assert_eq!(emails.len(), v.as_array().map_or(0, Vec::len));
        for (i, e) in emails.iter().enumerate() {
            assert_eq!(Some(&e.id), id(i).as_ref());
            assert_eq!(
                e.primary,
                v[i]["roles"]
                    .as_array()
                    .is_some_and(|r| r.contains(&Value::from("PRIMARY")))
            );
        }
    }
});
