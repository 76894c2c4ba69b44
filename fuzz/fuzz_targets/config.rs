//! The managed configuration file: TOML parsing, validation, and the error's line and key.
//! Properties: no panic; an error's line is within the file; a valid file's helpdesk is what
//! the salvage of a broken file would keep (both read the same fields, and all are valid).
#![no_main]

use std::path::Path;

use latchkey_core::config::{Config, ConfigError, Helpdesk};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(raw, Path::new("fuzz.toml")) {
        Ok(config) => {
            let salvaged = Helpdesk::salvage(raw);
            let expected =
                (config.helpdesk != Helpdesk::default()).then(|| config.helpdesk.clone());
            assert_eq!(
                salvaged, expected,
                "a valid helpdesk must survive salvage intact"
            );
        }
        Err(ConfigError::Invalid { line, .. }) => {
            let lines = raw.split('\n').count();
            assert!(
                line.is_none_or(|l| (1..=lines).contains(&l)),
                "line {line:?} of {lines}"
            );
            let _ = Helpdesk::salvage(raw);
        }
        Err(other) => panic!("parse gave an I/O error: {other}"),
    }
});
