//! The refresh token in the real OS credential store (kernel keyutils through `keyring`).
//! Run under a fresh session keyring: `keyctl session - cargo test ...` (tests/run.sh does).
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use latchkey_core::auth::store::{
    KeeperNotice, KeyringStore, RefreshTokenStore, StoreError, TokenKeeper, MAX_STORED_TOKEN_BYTES,
};
use secrecy::{ExposeSecret, SecretString};

fn store(name: &str) -> KeyringStore {
    KeyringStore::new(
        "org.latchkey.desktop.test",
        &format!("{name}-{}", std::process::id()),
    )
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

#[test]
fn round_trip_rotate_and_delete() {
    let store = store("round-trip");
    assert_eq!(
        store
            .load()
            .expect("load")
            .map(|s| s.expose_secret().to_owned()),
        None
    );
    store.save(&secret("rt-1")).expect("save");
    assert_eq!(
        store.load().expect("load").expect("kept").expose_secret(),
        "rt-1"
    );
    store.save(&secret("rt-2 é ✓")).expect("save rotated");
    assert_eq!(
        store.load().expect("load").expect("kept").expose_secret(),
        "rt-2 é ✓"
    );
    store.delete().expect("delete");
    assert!(store.load().expect("load").is_none());
    store.delete().expect("deleting nothing is fine");
}

#[test]
fn oversized_token_is_not_kept() {
    let store = store("too-long");
    let long = secret(&"x".repeat(MAX_STORED_TOKEN_BYTES + 1));
    assert_eq!(store.save(&long), Err(StoreError::TooLong));
    assert!(store.load().expect("load").is_none());
}

#[test]
fn keeper_respects_the_configuration() {
    let kept = store("keeper-allowed");
    let keeper = TokenKeeper::new(true, Box::new(store("keeper-allowed")));
    assert_eq!(keeper.keep(Some(&secret("rt"))), None);
    assert_eq!(
        kept.load().expect("load").expect("kept").expose_secret(),
        "rt"
    );
    let (loaded, notice) = keeper.load();
    assert_eq!(loaded.expect("loaded").expose_secret(), "rt");
    assert_eq!(notice, None);
    assert_eq!(keeper.forget(), None);
    assert!(kept.load().expect("load").is_none());

    // Not allowed: nothing is written, and what an earlier policy left is still removed.
    let raw = store("keeper-refused");
    raw.save(&secret("left-over")).expect("save");
    let keeper = TokenKeeper::new(false, Box::new(store("keeper-refused")));
    assert_eq!(keeper.keep(Some(&secret("rt"))), None);
    assert_eq!(
        raw.load().expect("load").expect("left").expose_secret(),
        "left-over"
    );
    assert!(keeper.load().0.is_none());
    keeper.forget();
    assert!(raw.load().expect("load").is_none());
}

/// A credential store that is not there (no keyring daemon, access denied): every call fails.
struct Unavailable(Arc<AtomicUsize>);
impl RefreshTokenStore for Unavailable {
    fn load(&self) -> Result<Option<SecretString>, StoreError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Err(StoreError::Unavailable)
    }
    fn save(&self, _: &SecretString) -> Result<(), StoreError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Err(StoreError::Unavailable)
    }
    fn delete(&self) -> Result<(), StoreError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Err(StoreError::Unavailable)
    }
}

#[test]
fn unavailable_keyring_means_session_only_said_once() {
    let calls = Arc::new(AtomicUsize::new(0));
    let keeper = TokenKeeper::new(true, Box::new(Unavailable(calls.clone())));
    let (token, notice) = keeper.load();
    assert!(token.is_none());
    assert_eq!(notice, Some(KeeperNotice::SessionOnly));
    assert_eq!(keeper.keep(Some(&secret("rt"))), None, "said once only");
    assert_eq!(keeper.forget(), None);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "each call tried the store, none retried"
    );
}
