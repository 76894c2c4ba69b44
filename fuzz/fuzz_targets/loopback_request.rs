//! The loopback receiver's request parsing: whatever a local process sends to the port.
//! Property: no panic; `state_of` agrees with `parse_query` whenever the query is accepted
//! (the receiver decides "is this callback ours" with the first, then reads the rest).
#![no_main]

use latchkey_core::auth::loopback::{parse_head, parse_query, state_of};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(head) = parse_head(data) {
        assert!(head.target.is_ascii());
        assert!(!head.method.contains(' ') && !head.target.contains(' '));
        let query = head.target.split_once('?').map_or("", |(_, q)| q);
        check_query(query);
    }
    if let Ok(query) = std::str::from_utf8(data) {
        check_query(query);
    }
});

fn check_query(query: &str) {
    let state = state_of(query);
    if let Ok(params) = parse_query(query) {
        assert_eq!(state, params.state, "state_of and parse_query disagree");
        for value in [&params.code, &params.state, &params.iss, &params.error] {
            assert!(value
                .as_ref()
                .is_none_or(|v| !v.chars().any(char::is_control)));
        }
    }
}
