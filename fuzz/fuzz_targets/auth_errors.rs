//! Sign-in's provider answers that are pure functions: token endpoint error bodies (OAuth and
//! Entra's AADSTS codes), the redirect's `error`/`error_description`, and the Microsoft
//! discovery document's directory issuer check. Properties: no panic; a directory issuer
//! accepted is `…/{GUID}/v2.0` under the template's host.
#![no_main]

use latchkey_core::auth::{is_directory_issuer, AuthError};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let _ = AuthError::from_token_error_body(&latchkey_fuzz::body(u)?);
    let (error, description): (String, Option<String>) = (u.arbitrary()?, u.arbitrary()?);
    let _ = AuthError::from_oauth(&error, description.as_deref());
    let codes: Vec<u32> = u.arbitrary()?;
    let _ = AuthError::from_token_error(&error, description.as_deref(), &codes);
    let (template, iss): (String, String) = (u.arbitrary()?, u.arbitrary()?);
    if is_directory_issuer(&template, &iss) {
        let rest = iss.strip_suffix("/v2.0").unwrap_or_default();
        let (host, id) = rest.rsplit_once('/').unwrap_or_default();
        assert_eq!(id.len(), 36);
        assert!(template.starts_with(host));
    }
    Ok(())
}
