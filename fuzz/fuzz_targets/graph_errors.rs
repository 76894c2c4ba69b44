//! Graph's refusals (`providers/graph/errors.rs::graph_refusal`) for each call, any status,
//! headers and body. Properties: no panic; a wait is within 1 s to an hour.
#![no_main]

use http::StatusCode;
use latchkey_core::providers::graph::{graph_refusal, GraphCall};
use latchkey_core::providers::ProviderError;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const CALLS: [GraphCall; 6] = [
    GraphCall::ListMethods,
    GraphCall::DeleteMethod,
    GraphCall::AddMethod,
    GraphCall::ChangePassword,
    GraphCall::ReadUser,
    GraphCall::ReadDomain,
];

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let call = *u.choose(&CALLS)?;
    let status = StatusCode::from_u16(u.int_in_range(100..=599)?).unwrap_or(StatusCode::OK);
    let headers = latchkey_fuzz::headers(u)?;
    let body = latchkey_fuzz::body(u)?;
    if let ProviderError::RateLimited { retry_after } = graph_refusal(call, status, &headers, &body)
    {
        assert!((1..=3600).contains(&retry_after));
    }
    Ok(())
}
