//! How long the tokens this server issues live.

/// Access and ID tokens live an hour, in both flavours.
pub(super) const ACCESS_TOKEN_SECONDS: i64 = 3600;
