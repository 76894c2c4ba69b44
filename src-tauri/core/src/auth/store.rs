//! Keeping the refresh token between runs — only where the managed configuration allows it,
//! only in the OS credential store, and never anything else.

use std::sync::atomic::{AtomicBool, Ordering};

use secrecy::{ExposeSecret, SecretString};
use thiserror::Error;

/// Windows caps a credential blob at 2,560 bytes; keep the same limit everywhere so behaviour
/// does not depend on the platform.
pub const MAX_STORED_TOKEN_BYTES: usize = 2560;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    #[error("the OS credential store is not available")]
    Unavailable,
    #[error("the token is too long for the OS credential store")]
    TooLong,
    #[error("the stored entry is unreadable")]
    Corrupt,
}

/// Where a refresh token may be kept.
pub trait RefreshTokenStore: Send + Sync {
    fn load(&self) -> Result<Option<SecretString>, StoreError>;
    fn save(&self, token: &SecretString) -> Result<(), StoreError>;
    /// Idempotent: deleting nothing is fine.
    fn delete(&self) -> Result<(), StoreError>;
}

/// The OS credential store through the `keyring` crate (kernel keyutils on Linux).
pub struct KeyringStore {
    service: String,
    account: String,
}

impl KeyringStore {
    /// `service` is the app's bundle identifier, so dev and release builds never share entries.
    pub fn new(service: &str, account: &str) -> KeyringStore {
        KeyringStore {
            service: service.to_owned(),
            account: account.to_owned(),
        }
    }

    fn entry(&self) -> Result<keyring::Entry, StoreError> {
        keyring::Entry::new(&self.service, &self.account).map_err(map_keyring)
    }
}

fn map_keyring(e: keyring::Error) -> StoreError {
    match e {
        keyring::Error::TooLong(..) => StoreError::TooLong,
        keyring::Error::BadEncoding(_) | keyring::Error::Ambiguous(_) => StoreError::Corrupt,
        _ => StoreError::Unavailable,
    }
}

impl RefreshTokenStore for KeyringStore {
    fn load(&self) -> Result<Option<SecretString>, StoreError> {
        match self.entry()?.get_password() {
            Ok(token) => Ok(Some(SecretString::from(token))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring(e)),
        }
    }

    fn save(&self, token: &SecretString) -> Result<(), StoreError> {
        if token.expose_secret().len() > MAX_STORED_TOKEN_BYTES {
            return Err(StoreError::TooLong);
        }
        self.entry()?
            .set_password(token.expose_secret())
            .map_err(map_keyring)
    }

    fn delete(&self) -> Result<(), StoreError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring(e)),
        }
    }
}

/// What the user should be told about keeping the sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeeperNotice {
    /// The credential store is unavailable: this session only. Said once per run.
    SessionOnly,
}

/// Applies the configuration's `keep_refresh_token` to a store, degrading to memory-only on
/// any store failure (never to a file).
pub struct TokenKeeper {
    allowed: bool,
    store: Box<dyn RefreshTokenStore>,
    told: AtomicBool,
}

impl TokenKeeper {
    pub fn new(allowed: bool, store: Box<dyn RefreshTokenStore>) -> TokenKeeper {
        TokenKeeper {
            allowed,
            store,
            told: AtomicBool::new(false),
        }
    }

    fn notice_once(&self) -> Option<KeeperNotice> {
        (!self.told.swap(true, Ordering::SeqCst)).then_some(KeeperNotice::SessionOnly)
    }

    /// Keeps the newest refresh token, replacing the old one (rotated tokens are single-use).
    pub fn keep(&self, token: Option<&SecretString>) -> Option<KeeperNotice> {
        if !self.allowed {
            return None;
        }
        let result = match token {
            Some(token) => self.store.save(token),
            None => self.store.delete(),
        };
        match result {
            Ok(()) => None,
            // Too long to keep: not worth a notice, just not kept (and no stale one left).
            Err(StoreError::TooLong) => {
                let _ = self.store.delete();
                None
            }
            Err(_) => self.notice_once(),
        }
    }

    /// The kept refresh token, if any and if allowed. A corrupt entry is deleted.
    pub fn load(&self) -> (Option<SecretString>, Option<KeeperNotice>) {
        if !self.allowed {
            return (None, None);
        }
        match self.store.load() {
            Ok(token) => (token, None),
            Err(StoreError::Corrupt) => {
                let _ = self.store.delete();
                (None, None)
            }
            Err(_) => (None, self.notice_once()),
        }
    }

    /// On sign-out, after a reset, or when the provider says `invalid_grant`.
    pub fn forget(&self) -> Option<KeeperNotice> {
        // Delete even when keeping is not allowed now: IT may have just turned it off.
        match self.store.delete() {
            Ok(()) => None,
            Err(_) if !self.allowed => None,
            Err(_) => self.notice_once(),
        }
    }
}
