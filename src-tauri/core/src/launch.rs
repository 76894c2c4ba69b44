//! The command line. Parsed before any window exists, so `--version` and `--help` work with no
//! display.

use std::path::PathBuf;

use clap::Parser;
use serde::Serialize;
use ts_rs::TS;

use crate::config::SYSTEM_CONFIG_PATH;

/// Where the window opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Entry {
    Home,
    Reset,
    Onboarding,
    /// Change password, opened by the expiry reminder.
    Change,
}

#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(
    name = "latchkey",
    version,
    about = "Register recovery methods and reset a forgotten password yourself.",
    long_about = None
)]
pub struct LaunchOptions {
    /// Managed configuration file to use instead of the system-wide one.
    #[arg(long, value_name = "PATH", default_value = SYSTEM_CONFIG_PATH)]
    pub config: PathBuf,
    /// Run against the sandbox tenant built into this demo build (demo users, outbox).
    #[cfg(feature = "demo")]
    #[arg(long, conflicts_with = "config")]
    pub demo: bool,
    /// Open "Forgot password" directly (what the "Forgot password" desktop entry runs).
    #[arg(long, conflicts_with_all = ["onboarding", "link", "remind_expiry"])]
    pub forgot_password: bool,
    /// At login: open the onboarding only when registration or reconfirmation is due, else exit
    /// at once without a window (what the autostart entry runs).
    #[arg(long, conflicts_with_all = ["link", "remind_expiry"])]
    pub onboarding: bool,
    /// At login (Entra): open "Change password" only when the password expires within the
    /// reminder window, else exit at once without a window (what the reminder entry runs).
    #[arg(long, conflicts_with = "link")]
    pub remind_expiry: bool,
    /// A link to Latchkey: `latchkey://reset` or `latchkey://onboarding` (the URL handler).
    #[arg(value_name = "LINK")]
    pub link: Option<String>,
}

impl LaunchOptions {
    /// Parses `args` (the program name first). `Err` carries the text clap would print for
    /// `--help`, `--version` or a usage error, and whether that is a failure.
    pub fn parse_from<I, T>(args: I) -> Result<LaunchOptions, EarlyExit>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let args: Vec<T> = args.into_iter().collect();
        if cfg!(not(feature = "demo")) && args.iter().any(|a| a.clone().into() == "--demo") {
            return Err(EarlyExit {
                text: format!("{NO_DEMO}\n"),
                is_error: true,
            });
        }
        LaunchOptions::try_parse_from(args).map_err(|e| EarlyExit {
            text: e.render().to_string(),
            is_error: e.use_stderr(),
        })
    }
}

/// What the shipped build says to `--demo` (clap would suggest `-- --demo`, which misleads).
pub const NO_DEMO: &str = "latchkey: --demo is only in demo builds, and this is the shipped build. The demo is a separate build: run `bash scripts/run.sh` in Latchkey's source tree.";

impl LaunchOptions {
    /// Where to open, from the flags or the link; `Err` says why a link was refused.
    pub fn entry(&self) -> Result<Entry, String> {
        if self.forgot_password {
            return Ok(Entry::Reset);
        }
        if self.onboarding {
            return Ok(Entry::Onboarding);
        }
        if self.remind_expiry {
            return Ok(Entry::Change);
        }
        match &self.link {
            None => Ok(Entry::Home),
            Some(link) => entry_of_link(link),
        }
    }
}

/// `latchkey://reset` and `latchkey://onboarding`, exactly; anything else is refused, since any
/// web page can send a link to this handler.
fn entry_of_link(link: &str) -> Result<Entry, String> {
    let refused = || {
        Err(format!(
            "not a Latchkey link: {}",
            link.chars().take(100).collect::<String>()
        ))
    };
    let Ok(url) = url::Url::parse(link) else {
        return refused();
    };
    let bare = url.scheme() == "latchkey"
        && matches!(url.path(), "" | "/")
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none()
        && url.port().is_none();
    match (bare, url.host_str()) {
        (true, Some("reset")) => Ok(Entry::Reset),
        (true, Some("onboarding")) => Ok(Entry::Onboarding),
        _ => refused(),
    }
}

/// What to print and how to exit when the command line asks for no window.
#[derive(Debug)]
pub struct EarlyExit {
    pub text: String,
    pub is_error: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_the_system_config() {
        let opts = LaunchOptions::parse_from(["latchkey"]).expect("parses");
        assert_eq!(opts.config, PathBuf::from(SYSTEM_CONFIG_PATH));
    }

    #[test]
    fn config_path_is_taken() {
        let opts =
            LaunchOptions::parse_from(["latchkey", "--config", "/tmp/x.toml"]).expect("parses");
        assert_eq!(opts.config, PathBuf::from("/tmp/x.toml"));
    }

    #[test]
    fn version_and_help_exit_early_without_error() {
        let v = LaunchOptions::parse_from(["latchkey", "--version"]).unwrap_err();
        assert!(!v.is_error);
        assert!(v.text.contains(env!("CARGO_PKG_VERSION")));
        let h = LaunchOptions::parse_from(["latchkey", "--help"]).unwrap_err();
        assert!(!h.is_error);
        assert!(h.text.contains("--config"));
    }

    #[cfg(not(feature = "demo"))]
    #[test]
    fn a_build_without_the_sandbox_has_no_demo_flag() {
        let e = LaunchOptions::parse_from(["latchkey", "--demo"]).unwrap_err();
        assert!(e.is_error);
        assert_eq!(e.text.trim_end(), NO_DEMO, "no clap tip to use `-- --demo`");
        let h = LaunchOptions::parse_from(["latchkey", "--help"]).unwrap_err();
        assert!(!h.text.contains("--demo"));
    }

    #[cfg(feature = "demo")]
    #[test]
    fn a_demo_build_takes_demo_but_not_with_a_config() {
        assert!(
            LaunchOptions::parse_from(["latchkey", "--demo"])
                .expect("parses")
                .demo
        );
        assert!(LaunchOptions::parse_from(["latchkey", "--demo", "--config", "x.toml"]).is_err());
    }

    #[test]
    fn entry_points_and_links() {
        let entry = |args: &[&str]| {
            let mut all = vec!["latchkey"];
            all.extend_from_slice(args);
            LaunchOptions::parse_from(all).map_err(|e| e.text)?.entry()
        };
        assert_eq!(entry(&[]), Ok(Entry::Home));
        assert_eq!(entry(&["--forgot-password"]), Ok(Entry::Reset));
        assert_eq!(entry(&["--onboarding"]), Ok(Entry::Onboarding));
        assert_eq!(entry(&["--remind-expiry"]), Ok(Entry::Change));
        assert!(entry(&["--remind-expiry", "--onboarding"]).is_err());
        assert_eq!(entry(&["latchkey://reset"]), Ok(Entry::Reset));
        assert_eq!(entry(&["latchkey://reset/"]), Ok(Entry::Reset));
        assert_eq!(entry(&["latchkey://onboarding"]), Ok(Entry::Onboarding));
        for bad in [
            "latchkey://reset?username=x",
            "latchkey://evil",
            "https://reset",
            "latchkey://reset#x",
            "latchkey://u@reset",
            "reset",
        ] {
            assert!(entry(&[bad]).is_err(), "{bad}");
        }
        assert!(entry(&["--forgot-password", "--onboarding"]).is_err());
    }

    #[test]
    fn a_link_is_read_as_the_url_standard_reads_it() {
        // From fuzz/fuzz_targets/launch.rs: the URL parser drops C0 controls and spaces at the
        // ends (and tabs and newlines anywhere), so this is `latchkey://reset` exactly.
        assert_eq!(
            entry_of_link("latchkey://reset\u{1}\0\0\0\0\0\0\u{19}"),
            Ok(Entry::Reset)
        );
        assert_eq!(
            entry_of_link(" LATCHKEY://onboard\ting"),
            Ok(Entry::Onboarding)
        );
        // An empty user before `@` is no user: the standard reads `latchkey://reset` (found
        // with newlines inside, which it drops too).
        assert_eq!(
            entry_of_link("\0\0\0latchkey://@r\n\n\neset"),
            Ok(Entry::Reset)
        );
        // The host of a non-special scheme keeps its case: `Reset` is not `reset`.
        assert!(entry_of_link("latchkey://Reset").is_err());
        assert!(entry_of_link("latchkey://reset\u{1}x").is_err());
    }

    #[test]
    fn unknown_flag_is_an_error() {
        let e = LaunchOptions::parse_from(["latchkey", "--frobnicate"]).unwrap_err();
        assert!(e.is_error);
    }
}
