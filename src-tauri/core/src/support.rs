//! The support reference: a short id per journey (`LK-7F3K-Q2`) that the user reads to the
//! helpdesk from any error screen, that every log line of that journey carries, and from which
//! each provider request gets its `client-request-id`, so one quote finds the app's log lines
//! and the provider's.
//!
//! The app runs one journey at a time (single instance, one window), so the journey whose step
//! ran last is "the" journey: error screens, log lines and request headers read it from here
//! instead of threading it through every signature.

use std::fmt;
use std::sync::{Mutex, PoisonError};

use rand::Rng;

/// Readable when spoken or copied by hand: no 0/O, no 1/I.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// The journey whose step ran last.
static ACTIVE: Active = Active(Mutex::new(None));

/// Which journey is the active one (a type of its own so that a test can hold its own).
struct Active(Mutex<Option<SupportRef>>);

impl Active {
    fn set(&self, reference: &SupportRef) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(reference.clone());
    }

    fn get(&self) -> Option<SupportRef> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportRef(String);

impl SupportRef {
    /// A fresh random reference: 6 characters of 32, a billion values, plenty for one
    /// organisation's helpdesk tickets of a day.
    pub fn random() -> SupportRef {
        let mut rng = rand::thread_rng();
        let mut pick = |n: usize| -> String {
            (0..n)
                .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                .collect()
        };
        SupportRef(format!("LK-{}-{}", pick(4), pick(2)))
    }

    /// Starts a journey (`reset`, `registration`): its reference becomes the active one and the
    /// log says so.
    pub fn begin(journey: &'static str) -> SupportRef {
        let reference = SupportRef::random();
        reference.step(journey, "start");
        reference
    }

    /// A step of this journey: it is the active one again, and the log says which step ran.
    pub fn step(&self, journey: &'static str, step: &'static str) {
        self.step_in(&ACTIVE, journey, step);
    }

    fn step_in(&self, active: &Active, journey: &'static str, step: &'static str) {
        active.set(self);
        tracing::info!(reference = %self, %journey, %step, "journey step");
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SupportRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The reference of the journey whose step ran last, if one ran.
pub fn active() -> Option<SupportRef> {
    ACTIVE.get()
}

/// A fresh GUID (version 4) for one request's `client-request-id`: Graph wants a GUID, so it
/// cannot be the reference itself; the log pairs the two.
pub fn client_request_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_readable_and_differ() {
        let a = SupportRef::random();
        let shape = a.as_str().split('-').map(str::len).collect::<Vec<_>>();
        assert_eq!(shape, vec![2, 4, 2], "{a}");
        assert!(a.as_str().starts_with("LK-"));
        for c in a.as_str()[3..].chars().filter(|c| *c != '-') {
            assert!(!"0O1I".contains(c) && ALPHABET.contains(&(c as u8)), "{a}");
        }
        assert_ne!(a, SupportRef::random());
    }

    #[test]
    fn a_step_makes_its_journey_the_active_one() {
        let active = Active(Mutex::new(None));
        assert_eq!(active.get(), None);
        let (first, second) = (SupportRef::random(), SupportRef::random());
        first.step_in(&active, "reset", "start");
        second.step_in(&active, "registration", "start");
        assert_eq!(active.get().as_ref(), Some(&second));
        first.step_in(&active, "reset", "code");
        assert_eq!(active.get(), Some(first));
    }

    #[test]
    fn client_request_ids_are_version_4_guids() {
        let id = client_request_id();
        let groups = id.split('-').map(str::len).collect::<Vec<_>>();
        assert_eq!(groups, vec![8, 4, 4, 4, 12], "{id}");
        assert!(id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        assert_eq!(&id[14..15], "4");
        assert!("89ab".contains(&id[19..20]));
        assert_ne!(id, client_request_id());
    }
}
