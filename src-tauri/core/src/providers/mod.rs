//! Clients of the identity providers' self-service APIs: registering recovery methods and
//! resetting a forgotten password. Each adapter is a real client of a real public API.

pub mod error;
pub mod okta;

pub use error::ProviderError;
