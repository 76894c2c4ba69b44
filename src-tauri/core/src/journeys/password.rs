//! A signed-in user's password: the rules to show, changing it, and when it expires — where
//! the provider offers them; elsewhere the screens say so and point to the helpdesk.

use secrecy::SecretString;

use crate::dto::{PasswordExpiry, PasswordHints};
use crate::providers::seam::PasswordAccount;
use crate::providers::{Provider, ProviderError};

fn account(provider: &dyn Provider) -> Result<&dyn PasswordAccount, ProviderError> {
    provider.password().ok_or(ProviderError::NotAllowed)
}

/// The rules the change-password screen ticks while the user types (none known: no hints).
pub fn rules(provider: &dyn Provider) -> PasswordHints {
    provider
        .password()
        .map(PasswordAccount::rules)
        .unwrap_or_default()
}

/// Changes the signed-in user's password, both as typed.
pub async fn change(
    provider: &dyn Provider,
    token: &SecretString,
    current: &SecretString,
    new: &SecretString,
) -> Result<(), ProviderError> {
    account(provider)?.change(token, current, new).await
}

/// When the password expires and whether to remind within `remind_within` days.
pub async fn expiry(
    provider: &dyn Provider,
    token: &SecretString,
    username: Option<&str>,
    remind_within: u16,
) -> Result<PasswordExpiry, ProviderError> {
    account(provider)?
        .expiry(token, username, remind_within)
        .await
}
