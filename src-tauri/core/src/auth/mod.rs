//! Sign-in: OAuth 2.0 for native apps (RFC 8252) with PKCE (RFC 7636) and OpenID Connect.
//!
//! One [`SignIn`] per provider; [`SignIn::start`] returns a [`PendingSignIn`] that opens the
//! system browser, owns the verifier, state and nonce, and is consumed by `finish`.

mod authority;
mod discovery;
mod error;
pub mod http;
pub mod http_trace;
pub mod loopback;
mod settings;
mod signin;
pub mod store;
mod tokens;

pub use authority::Authority;
pub use discovery::is_directory_issuer;
pub(crate) use error::untrusted_text;
pub use error::AuthError;
pub use settings::{sign_in_settings, SignInTarget};
pub use signin::{Freshness, PendingSignIn, Platform, SignIn, SignInSettings};
pub use tokens::{Identity, Session, Tokens};
