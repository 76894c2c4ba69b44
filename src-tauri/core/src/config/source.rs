//! Reading the file, bounded, and finding where in it a key or an error is, for messages.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::error::ConfigError;

/// Files larger than this are refused before parsing: a configuration is a few hundred bytes.
const MAX_CONFIG_BYTES: u64 = 256 * 1024;

/// Reads the file as UTF-8, refusing oversize ones.
pub(super) fn read_bounded(path: &Path) -> Result<String, ConfigError> {
    let unreadable = |source| ConfigError::Unreadable {
        path: path.to_owned(),
        source,
    };
    let meta = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfigError::Missing {
                path: path.to_owned(),
            })
        }
        other => other.map_err(unreadable)?,
    };
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::Invalid {
            path: path.to_owned(),
            key: None,
            line: None,
            reason: format!("file is larger than {MAX_CONFIG_BYTES} bytes"),
        });
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
        ConfigError::Invalid {
            path: path.to_owned(),
            key: None,
            line: Some(line_of(valid, at)),
            reason: "file is not valid UTF-8".to_owned(),
        }
    })
}

pub(super) fn line_of(raw: &str, offset: usize) -> usize {
    raw.as_bytes()[..offset.min(raw.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The span of the value (or key) at a dotted path, for error messages.
pub(super) fn key_span(raw: &str, dotted: &str) -> Option<Range<usize>> {
    let doc = DeTable::parse(raw).ok()?;
    let mut table = doc.get_ref();
    let mut parts = dotted.split('.').peekable();
    while let Some(part) = parts.next() {
        let (key, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == part)?;
        match (parts.peek(), value.get_ref()) {
            (None, _) => return Some(key.span()),
            (Some(_), DeValue::Table(inner)) => table = inner,
            _ => return Some(key.span()),
        }
    }
    None
}

/// The dotted key whose entry contains `offset`, the innermost one. A table's own span covers
/// only its header, so every table is searched.
pub(super) fn key_at(raw: &str, offset: usize) -> Option<String> {
    fn search(table: &DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
        for (key, value) in table.iter() {
            path.push(key.get_ref().to_string());
            if let DeValue::Table(inner) = value.get_ref() {
                if search(inner, offset, path) {
                    return true;
                }
            }
            let span = value.span();
            if key.span().contains(&offset) || span.contains(&offset) || span.end == offset {
                return true;
            }
            path.pop();
        }
        false
    }
    let doc = DeTable::parse(raw).ok()?;
    let mut path = Vec::new();
    search(doc.get_ref(), offset, &mut path).then(|| path.join("."))
}
