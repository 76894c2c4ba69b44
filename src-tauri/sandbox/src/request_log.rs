//! The log of vendor requests the tenant received (filled by `crate::requests`).

use std::collections::VecDeque;

use serde::Serialize;

/// How many requests the log keeps.
pub(crate) const KEPT: usize = 500;

#[derive(Clone, Serialize)]
pub(crate) struct Received {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) content_type: Option<String>,
    /// The body as text (every vendor body is JSON or a form).
    pub(crate) body: String,
    /// The caller's `client-request-id`, which Graph echoes and logs: the one header kept, so
    /// that a test can see a client tag its requests (other headers may hold a bearer token).
    pub(crate) client_request_id: Option<String>,
}

pub(crate) type ReceivedLog = VecDeque<Received>;
