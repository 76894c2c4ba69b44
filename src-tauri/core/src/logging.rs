//! Where the log goes: stderr (what IT sees in a terminal or, under systemd, in the journal)
//! and a file rotated daily under the XDG state directory (`~/.local/state/latchkey/`), the last
//! week kept, so a user can send the helpdesk the file the support reference points into.
//!
//! What is logged is the core's journey steps and provider calls (`support`,
//! `auth::http_trace`), never a secret. Other crates speak only at WARN: their DEBUG lines
//! (hyper's connection pool, say) help no helpdesk.

use std::path::{Path, PathBuf};

use thiserror::Error;
use tracing::level_filters::LevelFilter;
use tracing::Subscriber;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Layer;

use crate::config::LogLevel;

/// How many daily files are kept.
const KEPT_FILES: usize = 7;

/// The target prefix of our crates' lines (`latchkey_core`, `latchkey_app`…), kept at the
/// configured level.
const OURS: &str = "latchkey";

#[derive(Debug, Error)]
pub enum LogSetupError {
    #[error("no state directory (neither XDG_STATE_HOME nor HOME is set)")]
    NoStateDir,
    #[error("the log directory {0} could not be created")]
    Directory(PathBuf),
    #[error("a logger is already installed")]
    AlreadyInstalled,
}

impl From<LogLevel> for LevelFilter {
    fn from(level: LogLevel) -> Self {
        match level {
            LogLevel::Info => LevelFilter::INFO,
            LogLevel::Debug => LevelFilter::DEBUG,
        }
    }
}

/// The log directory for `folder` (`latchkey`, or `latchkey-demo` for the demo build), from
/// the environment as `var` reads it: `$XDG_STATE_HOME/folder`, else `~/.local/state/folder`.
pub fn log_dir(folder: &str, var: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = set("XDG_STATE_HOME").or_else(|| set("HOME").map(|h| h.join(".local/state")))?;
    Some(base.join(folder))
}

/// Installs the process's logger: stderr and the rotated file in [`log_dir`]. Returns the
/// directory. Without a usable directory, stderr alone is better than no log: the error says
/// why, for the caller to print.
pub fn install(folder: &str, level: LogLevel) -> Result<PathBuf, LogSetupError> {
    let dir = log_dir(folder, |name| std::env::var(name).ok()).ok_or(LogSetupError::NoStateDir);
    let (dir, file) = match dir.and_then(|d| rotated_file(&d).map(|f| (d, f))) {
        Ok((dir, file)) => (Ok(dir), Some(file)),
        Err(e) => (Err(e), None),
    };
    tracing::subscriber::set_global_default(subscriber(level, file))
        .map_err(|_| LogSetupError::AlreadyInstalled)?;
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        ?level,
        "latchkey started"
    );
    dir
}

/// Today's file in `dir` (created private to the user: the log names who reset when).
pub fn rotated_file(dir: &Path) -> Result<RollingFileAppender, LogSetupError> {
    let failed = || LogSetupError::Directory(dir.to_owned());
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|_| failed())?;
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("latchkey")
        .filename_suffix("log")
        .max_log_files(KEPT_FILES)
        .build(dir)
        .map_err(|_| failed())
}

/// To `file` if there is one: our lines at `level`, everyone else's from WARN. To stderr:
/// warnings and errors only, so a login-time check that finds nothing due stays silent and a
/// desktop session's own log is not filled at every login.
pub fn subscriber(
    level: LogLevel,
    file: Option<RollingFileAppender>,
) -> impl Subscriber + Send + Sync {
    let ours = Targets::new()
        .with_target(OURS, LevelFilter::from(level))
        .with_default(LevelFilter::WARN);
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(LevelFilter::WARN);
    let file = file.map(|f| {
        tracing_subscriber::fmt::layer()
            .with_writer(f)
            .with_filter(ours)
    });
    tracing_subscriber::registry().with(stderr).with(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn the_log_lives_in_the_xdg_state_directory() {
        let both = [("XDG_STATE_HOME", "/s"), ("HOME", "/home/u")];
        assert_eq!(
            log_dir("latchkey", env(&both)),
            Some(PathBuf::from("/s/latchkey"))
        );
        let home = [("XDG_STATE_HOME", ""), ("HOME", "/home/u")];
        assert_eq!(
            log_dir("latchkey-demo", env(&home)),
            Some(PathBuf::from("/home/u/.local/state/latchkey-demo"))
        );
        assert_eq!(log_dir("latchkey", env(&[])), None);
    }

    /// The text of every file in `dir`.
    fn files_text(dir: &Path) -> String {
        std::fs::read_dir(dir)
            .expect("dir")
            .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("text"))
            .collect()
    }

    #[test]
    fn the_file_gets_our_lines_at_the_level_and_others_only_from_warn() {
        for (level, debug_kept) in [(LogLevel::Info, false), (LogLevel::Debug, true)] {
            let tmp = tempfile::tempdir().expect("tmp");
            let dir = tmp.path().join("state/latchkey");
            let file = rotated_file(&dir).expect("file");
            tracing::subscriber::with_default(subscriber(level, Some(file)), || {
                tracing::info!("ours at info");
                tracing::debug!("ours at debug");
                tracing::info!(target: "hyper_util::pool", "theirs at info");
                tracing::warn!(target: "hyper_util::pool", "theirs at warn");
            });
            let text = files_text(&dir);
            assert!(text.contains("ours at info"), "{text}");
            assert_eq!(text.contains("ours at debug"), debug_kept, "{text}");
            assert!(!text.contains("theirs at info"), "{text}");
            assert!(text.contains("theirs at warn"), "{text}");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&dir).expect("meta").permissions().mode();
                assert_eq!(mode & 0o777, 0o700);
            }
        }
    }
}
