//! What the offline screen can offer without the network: the provider's reset page for a
//! phone, as a QR code rendered here.

use qrcode::render::svg;
use qrcode::QrCode;

use crate::dto::ResetPage;
use crate::providers::Provider;

/// The reset page and its QR code as SVG markup (black on white, for any phone camera).
pub fn reset_page(provider: &dyn Provider) -> Option<ResetPage> {
    let url = provider.reset_page_url()?;
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
    use crate::config::Config;
    use crate::locale::Language;
    use std::path::Path;

    fn provider(raw: &str) -> std::sync::Arc<dyn Provider> {
        let config = Config::parse(raw, Path::new("t.toml")).expect("valid");
        crate::providers::provider_for(&config).expect("provider")
    }

    #[test]
    fn the_portal_gets_the_username_and_the_language() {
        let entra = provider(
            "[organisation]\nname = \"C\"\n[provider]\nkind = \"entra\"\ntenant = \"contoso.com\"\nclient_id = \"x\"\n",
        );
        assert_eq!(
            entra.reset_portal(" nina+it@contoso.com ", Language::Fr).as_deref(),
            Some("https://passwordreset.microsoftonline.com/?username=nina%2Bit%40contoso.com&mkt=fr-FR")
        );
        assert_eq!(
            entra.reset_portal("", Language::En).as_deref(),
            Some("https://passwordreset.microsoftonline.com/?mkt=en-US")
        );
        assert_eq!(
            reset_page(entra.as_ref()).expect("page").url,
            "https://passwordreset.microsoftonline.com/"
        );
    }

    #[test]
    fn the_reset_page_is_the_providers_and_its_qr_is_svg() {
        let okta = provider(
            "[organisation]\nname = \"C\"\n[provider]\nkind = \"okta\"\nissuer = \"https://c.okta.com/oauth2/default\"\nclient_id = \"x\"\n",
        );
        let page = reset_page(okta.as_ref()).expect("page");
        assert_eq!(page.url, "https://c.okta.com/signin/forgot-password");
        assert!(page.qr_svg.contains("<svg") && page.qr_svg.contains("</svg>"));
        assert!(!page.qr_svg.contains("<script"));
        let entra = provider(
            "[organisation]\nname = \"C\"\n[provider]\nkind = \"entra\"\ntenant = \"contoso.com\"\nclient_id = \"x\"\n",
        );
        assert_eq!(
            entra.reset_page_url().as_deref(),
            Some("https://passwordreset.microsoftonline.com/")
        );
    }
}
