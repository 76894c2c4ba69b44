pub mod account;
pub mod bootstrap;
pub mod demo;
pub mod register;
pub mod reset;
pub mod sign_in;

/// The one refresh-and-retry path: runs `$body` with the signed-in user's access token as
/// `$token`; a 401 (`SignInRequired`) earns one silent refresh and one more try, after which
/// the user must sign in again. `$body` is an expression, evaluated again for the retry.
macro_rules! with_token {
    ($state:expr, |$token:ident| $body:expr) => {{
        use latchkey_core::providers::ProviderError;
        let $token = $state
            .access_token()
            .ok_or_else(|| crate::ipc_error::to_ipc(ProviderError::SignInRequired))?;
        match $body.await {
            Err(ProviderError::SignInRequired) => {
                let $token = $state
                    .renew_access_token()
                    .await
                    .map_err(crate::ipc_error::to_ipc)?;
                $body.await.map_err(crate::ipc_error::to_ipc)
            }
            other => other.map_err(crate::ipc_error::to_ipc),
        }
    }};
}
pub(crate) use with_token;
