//! The command line and the `latchkey://` links any web page can send to the URL handler.
//! Properties: no panic; a link is accepted only when the URL standard reads it as
//! `latchkey://reset` or `latchkey://onboarding`; a refusal quotes at most 100 characters of it.
#![no_main]

use latchkey_core::launch::{Entry, LaunchOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The whole input as one link, as the desktop's URL handler passes it.
    if let Ok(mut options) = LaunchOptions::parse_from(["latchkey"]) {
        options.link = Some(text.to_owned());
        match options.entry() {
            Ok(entry) => {
                // Accepted only if the URL standard reads it as one of the two links exactly
                // (it drops C0 controls and spaces at the ends, tabs and newlines anywhere, an
                // empty `@`, the scheme's case).
                let parsed = url::Url::parse(text).map(String::from).unwrap_or_default();
                let url = parsed.trim_end_matches('/');
                let expected = match url {
                    "latchkey://reset" => Some(Entry::Reset),
                    "latchkey://onboarding" => Some(Entry::Onboarding),
                    _ => None,
                };
                assert_eq!(Some(entry), expected, "accepted {text:?}");
            }
            Err(why) => assert!(why.chars().count() <= "not a Latchkey link: ".len() + 100),
        }
    }
    // NUL-separated arguments, as a launcher could pass them.
    let args = std::iter::once("latchkey").chain(text.split('\0'));
    if let Ok(options) = LaunchOptions::parse_from(args) {
        let _ = options.entry();
    }
});
