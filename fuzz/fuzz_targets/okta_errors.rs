//! Okta's error answers (`providers/okta/errors.rs::from_response`), any status, headers and
//! body. Properties: no panic; a wait is within 1 s to an hour; texts from Okta carry no control
//! characters.
#![no_main]

use http::StatusCode;
use latchkey_core::providers::okta::errors::{from_response, OktaCall};
use latchkey_core::providers::ProviderError;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let call = *u.choose(&[
        OktaCall::MyAccount,
        OktaCall::MyAccountVerify,
        OktaCall::Authn,
    ])?;
    let status = StatusCode::from_u16(u.int_in_range(100..=599)?).unwrap_or(StatusCode::OK);
    let headers = latchkey_fuzz::headers(u)?;
    let body = latchkey_fuzz::body(u)?;
    match from_response(call, status, &headers, &body) {
        ProviderError::RateLimited { retry_after } => assert!((1..=3600).contains(&retry_after)),
        ProviderError::PasswordRejected { reasons } => {
            assert!(reasons.iter().all(|r| latchkey_fuzz::is_plain_text(r)))
        }
        _ => {}
    }
    Ok(())
}
