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
