//! What the offline screen can offer without the network: the reset page for a phone (as a QR
//! code rendered here, from the configuration) and the helpdesk.

use qrcode::render::svg;
use qrcode::QrCode;
use url::Url;

use crate::config::{Config, ProviderKind};
use crate::dto::ResetPage;

/// The provider's own self-service reset page, which works from a phone on mobile data.
pub fn reset_page_url(config: &Config) -> Option<String> {
    match config.provider.kind {
        ProviderKind::Entra => Some(config.provider.reset_portal_url().to_owned()),
        ProviderKind::Okta | ProviderKind::Sandbox => {
            let issuer = Url::parse(config.provider.issuer.as_deref()?).ok()?;
            let mut page = issuer;
            page.set_path("/signin/forgot-password");
            page.set_query(None);
            Some(page.to_string())
        }
    }
}

/// Entra's SSPR portal for `username`: Microsoft fills the username in from `username` (best
/// effort) and shows its pages in `mkt`'s language.
pub fn portal_url(
    config: &Config,
    username: &str,
    language: crate::locale::Language,
) -> Option<String> {
    if config.provider.kind != ProviderKind::Entra {
        return None;
    }
    let mut url = Url::parse(config.provider.reset_portal_url()).ok()?;
    {
        let mut query = url.query_pairs_mut();
        let username = username.trim();
        if !username.is_empty() && username.len() <= 256 {
            query.append_pair("username", username);
        }
        query.append_pair(
            "mkt",
            match language {
                crate::locale::Language::En => "en-US",
                crate::locale::Language::Fr => "fr-FR",
            },
        );
    }
    Some(url.to_string())
}

/// The reset page and its QR code as SVG markup (black on white, for any phone camera).
pub fn reset_page(config: &Config) -> Option<ResetPage> {
    let url = reset_page_url(config)?;
    let qr_svg = QrCode::new(url.as_bytes())
        .ok()?
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    Some(ResetPage { url, qr_svg })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_portal_gets_the_username_and_the_language() {
        let entra = Config::parse(
            "[organisation]\nname = \"C\"\n[provider]\nkind = \"entra\"\ntenant = \"contoso.com\"\nclient_id = \"x\"\n",
            Path::new("t.toml"),
        )
        .expect("valid");
        assert_eq!(
            portal_url(&entra, " nina+it@contoso.com ", crate::locale::Language::Fr).as_deref(),
            Some("https://passwordreset.microsoftonline.com/?username=nina%2Bit%40contoso.com&mkt=fr-FR")
        );
        assert_eq!(
            portal_url(&entra, "", crate::locale::Language::En).as_deref(),
            Some("https://passwordreset.microsoftonline.com/?mkt=en-US")
        );
        assert_eq!(
            reset_page(&entra).expect("page").url,
            "https://passwordreset.microsoftonline.com/"
        );
    }

    #[test]
    fn the_reset_page_is_the_providers_and_its_qr_is_svg() {
        let okta = Config::parse(
            "[organisation]\nname = \"C\"\n[provider]\nkind = \"okta\"\nissuer = \"https://c.okta.com/oauth2/default\"\nclient_id = \"x\"\n",
            Path::new("t.toml"),
        )
        .expect("valid");
        let page = reset_page(&okta).expect("page");
        assert_eq!(page.url, "https://c.okta.com/signin/forgot-password");
        assert!(page.qr_svg.contains("<svg") && page.qr_svg.contains("</svg>"));
        assert!(!page.qr_svg.contains("<script"));
        let entra = Config::parse(
            "[organisation]\nname = \"C\"\n[provider]\nkind = \"entra\"\ntenant = \"contoso.com\"\nclient_id = \"x\"\n",
            Path::new("t.toml"),
        )
        .expect("valid");
        assert_eq!(
            reset_page_url(&entra).as_deref(),
            Some("https://passwordreset.microsoftonline.com/")
        );
    }
}
