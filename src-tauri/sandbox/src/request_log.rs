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
}

pub(crate) type ReceivedLog = VecDeque<Received>;
