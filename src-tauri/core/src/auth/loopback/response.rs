//! What the loopback receiver answers: a small static page, no parameters echoed, no external
//! resources, no CORS headers (so no web page can read it).

use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::locale::Language;

/// Which page the browser tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The sign-in's callback, with a code.
    SignedIn,
    /// The sign-in's callback, with an error or malformed.
    Failed,
    /// A callback that is not this sign-in's (an old tab, another program): ignored.
    NotThisSignIn,
    /// Anything else: no body.
    Empty,
}

fn html(language: Language, page: Page) -> String {
    let (lang, title, body) = match (language, page) {
        (_, Page::Empty) => return String::new(),
        (Language::En, Page::SignedIn) => ("en", "Signed in", "You can return to Latchkey."),
        (Language::En, Page::Failed) => (
            "en",
            "Sign-in did not complete",
            "You can return to Latchkey, which says what to do next.",
        ),
        (Language::En, Page::NotThisSignIn) => (
            "en",
            "Not the current sign-in",
            "This page belongs to an earlier or another sign-in. Return to Latchkey to continue.",
        ),
        (Language::Fr, Page::SignedIn) => {
            ("fr", "Connexion réussie", "Vous pouvez revenir à Latchkey.")
        }
        (Language::Fr, Page::Failed) => (
            "fr",
            "La connexion n’a pas abouti",
            "Vous pouvez revenir à Latchkey, qui vous indique la marche à suivre.",
        ),
        (Language::Fr, Page::NotThisSignIn) => (
            "fr",
            "Ce n’est pas la connexion en cours",
            "Cette page appartient à une autre connexion. Revenez à Latchkey pour continuer.",
        ),
    };
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>"
    )
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        _ => "Request Header Fields Too Large",
    }
}

/// Writes the answer and closes the connection; a peer that has gone is not an error.
pub async fn respond(
    stream: &mut (impl AsyncWrite + Unpin),
    status: u16,
    language: Language,
    page: Page,
) {
    let body = html(language, page);
    let response = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nContent-Security-Policy: default-src 'none'\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n{body}",
        reason(status),
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_echo_nothing() {
        for lang in [Language::En, Language::Fr] {
            for page in [Page::SignedIn, Page::Failed, Page::NotThisSignIn] {
                let html = html(lang, page);
                assert!(html.contains("<h1>"), "{html}");
                assert!(!html.contains("code") && !html.contains("http"), "{html}");
            }
        }
    }

    #[tokio::test]
    async fn answers_carry_no_cors_headers() {
        let mut out = Vec::new();
        respond(&mut out, 414, Language::En, Page::Empty).await;
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{text}");
        assert!(
            !text.to_ascii_lowercase().contains("access-control"),
            "{text}"
        );
        assert!(
            text.ends_with("\r\n\r\n"),
            "an empty page has no body: {text}"
        );
    }
}
