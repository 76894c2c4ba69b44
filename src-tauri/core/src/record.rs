//! The local record: the little, non-sensitive state Latchkey keeps between runs (DESIGN.md
//! "What may be stored"): the day the user last confirmed their recovery methods. No number,
//! address, code or token is ever written here.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

const FILE: &str = "record.toml";

#[derive(Debug, Clone)]
pub struct LocalRecord {
    path: PathBuf,
}

impl LocalRecord {
    pub fn at(dir: &Path) -> LocalRecord {
        LocalRecord {
            path: dir.join(FILE),
        }
    }

    /// `$XDG_DATA_HOME/<folder>` (else `~/.local/share/<folder>`; `%APPDATA%\<folder>` on
    /// Windows). Each build names its own folder, so a demo run never touches the record of an
    /// installed copy.
    pub fn default_location(folder: &str) -> Option<LocalRecord> {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let base = var("XDG_DATA_HOME")
            .or_else(|| var("HOME").map(|h| h.join(".local/share")))
            .or_else(|| var("APPDATA"))?;
        Some(LocalRecord::at(&base.join(folder)))
    }

    /// The day the methods were last confirmed, if this computer knows it.
    pub fn last_confirmed(&self) -> Option<NaiveDate> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let table: toml::Table = text.parse().ok()?;
        let day = table.get("last_confirmed")?.as_str()?;
        NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
    }

    pub fn confirm(&self, today: NaiveDate) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = format!(
            "# Latchkey's local record: nothing sensitive, only when recovery methods were last confirmed.\nlast_confirmed = \"{}\"\n",
            today.format("%Y-%m-%d")
        );
        std::fs::write(&self.path, text)
    }

    /// Whether the policy's reconfirmation period (in days, 0 = never) has passed.
    pub fn reconfirm_due(&self, reconfirm_days: u16, today: NaiveDate) -> bool {
        if reconfirm_days == 0 {
            return false;
        }
        match self.last_confirmed() {
            None => true,
            Some(day) => (today - day).num_days() >= i64::from(reconfirm_days),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confirmation_is_remembered_and_falls_due() {
        let dir = tempfile::tempdir().expect("dir");
        let record = LocalRecord::at(&dir.path().join("latchkey"));
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert!(
            record.reconfirm_due(180, day("2026-11-25")),
            "unknown means due"
        );
        assert!(!record.reconfirm_due(0, day("2026-11-25")), "0 means never");
        record.confirm(day("2026-06-01")).expect("write");
        assert_eq!(record.last_confirmed(), Some(day("2026-06-01")));
        assert!(!record.reconfirm_due(180, day("2026-11-27")));
        assert!(record.reconfirm_due(180, day("2026-11-28")));
        std::fs::write(dir.path().join("latchkey/record.toml"), "garbage = [").expect("write");
        assert_eq!(record.last_confirmed(), None);
    }
}
