//! The privacy scan run after the end-to-end journeys: does any file the app could have
//! written, or any line it printed, hold a secret the journey used? A secret is looked for in
//! every form it could be stored in — as typed, URL-encoded, JSON-escaped, UTF-16 (WebKit's
//! storage) and base64 (JWT claims) — and a file that cannot be read is a finding, not clean.

use std::path::Path;

use base64::Engine;

/// The forms `secret` could take on disk, each with its name for the report.
pub fn encodings(secret: &str) -> Vec<(&'static str, Vec<u8>)> {
    let mut forms = vec![("raw", secret.as_bytes().to_vec())];
    let url: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    if url != secret {
        forms.push(("url-encoded", url.into_bytes()));
    }
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json.trim_matches('"');
    if json != secret {
        forms.push(("json-escaped", json.as_bytes().to_vec()));
    }
    forms.push((
        "utf-16",
        secret.encode_utf16().flat_map(u16::to_le_bytes).collect(),
    ));
    // Base64 of the secret inside a longer text depends on its alignment: look for all three.
    for shift in 0..3 {
        let padded = [&b"\0\0"[..shift], secret.as_bytes()].concat();
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&padded);
        // Drop the characters that still depend on the padding or on what follows.
        let skip = (shift * 4).div_ceil(3);
        let keep = encoded.len().saturating_sub(skip + 2);
        if keep >= 8 {
            forms.push(("base64", encoded.as_bytes()[skip..skip + keep].to_vec()));
            let standard = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&padded);
            if standard != encoded {
                forms.push(("base64", standard.as_bytes()[skip..skip + keep].to_vec()));
            }
        }
    }
    forms
}

/// Every finding under `root`: `path holds a secret (form)`, or `path could not be read`.
pub fn scan(root: &Path, secrets: &[&str]) -> Vec<String> {
    let forms: Vec<(&str, Vec<u8>)> = secrets
        .iter()
        .filter(|s| s.len() >= 4)
        .flat_map(|s| encodings(s))
        .collect();
    let mut found = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            found.push(format!("{} could not be read", shown(root, &dir)));
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                found.push(format!("{} could not be read", shown(root, &path)));
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                found.push(format!("{} could not be read", shown(root, &path)));
                continue;
            };
            for (form, needle) in &forms {
                if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                    found.push(format!("{} holds a secret ({form})", shown(root, &path)));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Every finding in the session and user keyrings (read with Debian's `keyctl`): an entry
/// whose payload holds a secret, in any of its forms. `allowed` names the one entry that may
/// hold what it holds (the kept refresh token, where the configuration allows keeping it).
pub fn scan_keyrings(secrets: &[&str], allowed: &str) -> Vec<String> {
    let forms: Vec<(&str, Vec<u8>)> = secrets
        .iter()
        .filter(|s| s.len() >= 4)
        .flat_map(|s| encodings(s))
        .collect();
    let keyctl = |args: &[&str]| {
        std::process::Command::new("keyctl")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| o.stdout)
    };
    let mut found = Vec::new();
    let mut rings: Vec<String> = vec!["@s".into(), "@u".into()];
    let mut seen = std::collections::HashSet::new();
    while let Some(ring) = rings.pop() {
        let Some(list) = keyctl(&["rlist", &ring]) else {
            found.push(format!("keyring {ring} could not be read"));
            continue;
        };
        for id in String::from_utf8_lossy(&list).split_whitespace() {
            if !seen.insert(id.to_owned()) {
                continue;
            }
            let description = keyctl(&["rdescribe", id])
                .map(|d| String::from_utf8_lossy(&d).trim().to_owned())
                .unwrap_or_default();
            let (kind, name) = match description.split(';').collect::<Vec<_>>()[..] {
                [kind, _, _, _, ref rest @ ..] => (kind.to_owned(), rest.join(";")),
                _ => continue,
            };
            if kind == "keyring" {
                rings.push(id.to_owned());
                continue;
            }
            if name == allowed {
                continue;
            }
            let payload = keyctl(&["pipe", id]).unwrap_or_default();
            for (form, needle) in &forms {
                if payload
                    .windows(needle.len())
                    .any(|w| w == needle.as_slice())
                {
                    found.push(format!("keyring entry {name} holds a secret ({form})"));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// `path` relative to the scanned folder, or whole when it is the folder itself.
fn shown(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(inner) if !inner.as_os_str().is_empty() => inner.display().to_string(),
        _ => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    const SECRET: &str = "Vélvet Otter/2026\"&";

    /// The positive control: a planted secret is found in every form, and nothing else is.
    #[test]
    fn a_planted_secret_is_found_in_every_form() {
        let dir = tempfile::tempdir().expect("dir");
        let jwt_payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{{\"sub\":\"x\",\"name\":\"{SECRET}\",\"n\":1}}"));
        let plants: Vec<(&str, Vec<u8>)> = vec![
            ("raw.txt", format!("a {SECRET} b").into_bytes()),
            (
                "url.log",
                format!(
                    "GET /cb?x={}",
                    url::form_urlencoded::byte_serialize(SECRET.as_bytes()).collect::<String>()
                )
                .into_bytes(),
            ),
            (
                "json.json",
                serde_json::json!({ "p": SECRET }).to_string().into_bytes(),
            ),
            (
                "webkit/storage.db",
                [
                    b"\x00\x01".as_slice(),
                    &SECRET
                        .encode_utf16()
                        .flat_map(u16::to_le_bytes)
                        .collect::<Vec<u8>>(),
                ]
                .concat(),
            ),
            (
                "jwt.txt",
                format!("eyJhbGciOiJSUzI1NiJ9.{jwt_payload}.sig").into_bytes(),
            ),
            ("clean.txt", b"nothing to see".to_vec()),
        ];
        for (name, bytes) in &plants {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("write");
        }
        let found = scan(dir.path(), &[SECRET]);
        for name in [
            "raw.txt",
            "url.log",
            "json.json",
            "webkit/storage.db",
            "jwt.txt",
        ] {
            assert!(
                found.iter().any(|f| f.starts_with(name)),
                "{name} not found in {found:?}"
            );
        }
        assert!(
            !found.iter().any(|f| f.starts_with("clean.txt")),
            "{found:?}"
        );
    }

    /// The keyring's positive control: a secret planted in an entry of the session keyring is
    /// found; the allowed entry is not reported. Needs `keyctl` and a session keyring, as the
    /// end-to-end run has (`keyctl session -` in tests/run.sh).
    #[test]
    fn a_secret_planted_in_the_keyring_is_found() {
        let add = |name: &str, value: &str| {
            let out = std::process::Command::new("keyctl")
                .args(["add", "user", name, value, "@s"])
                .output()
                .expect("keyctl");
            assert!(out.status.success(), "keyctl add: {out:?}");
            String::from_utf8_lossy(&out.stdout).trim().to_owned()
        };
        let planted = add("latchkey-test:planted", &format!("x{SECRET}y"));
        let allowed = add("latchkey-test:allowed", SECRET);
        let found = scan_keyrings(&[SECRET], "latchkey-test:allowed");
        for id in [planted, allowed] {
            let _ = std::process::Command::new("keyctl")
                .args(["unlink", &id, "@s"])
                .output();
        }
        assert_eq!(
            found,
            vec!["keyring entry latchkey-test:planted holds a secret (raw)".to_owned()]
        );
    }

    #[test]
    fn an_unreadable_folder_is_a_finding_not_clean() {
        let dir = tempfile::tempdir().expect("dir");
        let missing = dir.path().join("gone");
        assert_eq!(
            scan(&missing, &[SECRET]),
            vec![format!("{} could not be read", missing.display())]
        );
    }
}
