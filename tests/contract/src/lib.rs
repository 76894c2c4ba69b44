//! The vendors' contracts as checks, for the sandbox's contract suite and the client's tests.
//!
//! The specs are those vendored in `tests/contract/specs/` (sources in its README). A response
//! or request is held against the operation it belongs to — status, `Content-Type`, headers and
//! body against the schema — and an Okta error body against the error catalogue. [`Coverage`]
//! counts which documented operation × status pairs a suite reached.

mod catalogue;
mod coverage;
mod openapi;
mod received;
mod schema;

use std::path::PathBuf;

pub use catalogue::Catalogue;
pub use coverage::Coverage;
pub use openapi::{Exchange, Spec};
pub use received::{check_requests, RequestReport};

/// Where the vendored specs live, whichever crate asks.
pub fn specs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs")
}

/// Reads one vendored file as JSON.
pub fn load(relative: &str) -> serde_json::Value {
    let path = specs_dir().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}
