//! Who this build is to the system. The shipped build and the demo build have different
//! identifiers, so that a demo run on a laptop with Latchkey installed never takes the installed
//! app's single-instance lock, its data folders or its keyring entry.
//!
//! The identifier itself lives in the Tauri configuration: `tauri.conf.json` is the shipped
//! build's, and the demo build merges `tauri.demo.conf.json` over it
//! (`npx tauri build --features demo --config tauri.demo.conf.json`, as `scripts/run.sh` and
//! `tests/run.sh` do). Tauri derives the single-instance D-Bus name and its data folders from it.
//! The keyring service is compiled in instead, chosen by the `demo` feature; the test below keeps
//! it equal to the identifier in the matching configuration file.

/// The shipped build's identifier (`tauri.conf.json`).
const SHIPPED_IDENTIFIER: &str = "org.latchkey.desktop";

/// The demo build's identifier (`tauri.demo.conf.json`).
const DEMO_IDENTIFIER: &str = "org.latchkey.desktop.demo";

/// The folder under the user's data directory where this build keeps its local record: the
/// shipped build's has always been `latchkey`; the demo build's is its own.
pub(crate) const DATA_FOLDER: &str = if cfg!(feature = "demo") {
    DEMO_DATA_FOLDER
} else {
    SHIPPED_DATA_FOLDER
};
const SHIPPED_DATA_FOLDER: &str = "latchkey";
const DEMO_DATA_FOLDER: &str = "latchkey-demo";

/// The keyring entry's service: the identifier of this build.
pub(crate) const KEYRING_SERVICE: &str = if cfg!(feature = "demo") {
    DEMO_IDENTIFIER
} else {
    SHIPPED_IDENTIFIER
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The `identifier` in a Tauri configuration file at the package root.
    fn identifier_in(file: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let text = std::fs::read_to_string(&path).expect("the Tauri configuration is readable");
        let config: serde_json::Value = serde_json::from_str(&text).expect("it is JSON");
        config["identifier"]
            .as_str()
            .unwrap_or_else(|| panic!("{file} sets an identifier"))
            .to_owned()
    }

    #[test]
    fn the_shipped_and_the_demo_build_have_their_own_identifiers() {
        assert_eq!(SHIPPED_IDENTIFIER, identifier_in("tauri.conf.json"));
        assert_eq!(DEMO_IDENTIFIER, identifier_in("tauri.demo.conf.json"));
        assert_ne!(SHIPPED_IDENTIFIER, DEMO_IDENTIFIER);
        assert_ne!(
            SHIPPED_DATA_FOLDER, DEMO_DATA_FOLDER,
            "the local record too"
        );
    }

    #[test]
    fn the_keyring_service_is_this_builds_identifier() {
        let expected = if cfg!(feature = "demo") {
            identifier_in("tauri.demo.conf.json")
        } else {
            identifier_in("tauri.conf.json")
        };
        assert_eq!(KEYRING_SERVICE, expected);
    }
}
