//! OpenID discovery: the metadata Latchkey reads (with the fields openidconnect does not
//! model), and the Microsoft identity platform's variant of it.

use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType,
    CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{AdditionalProviderMetadata, DiscoveryError, JsonWebKeySet, ProviderMetadata};
use serde::{Deserialize, Serialize};

use super::http::HttpClient;
use super::AuthError;

/// Discovery fields openidconnect does not model: RFC 9207 and RFC 8414's PKCE methods.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ExtraMetadata {
    #[serde(default)]
    pub(super) authorization_response_iss_parameter_supported: Option<bool>,
    #[serde(default)]
    pub(super) code_challenge_methods_supported: Option<Vec<String>>,
}
impl AdditionalProviderMetadata for ExtraMetadata {}

pub(super) type Metadata = ProviderMetadata<
    ExtraMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// Microsoft's discovery: the document may name the directory id (or `{tenantid}`) rather than
/// the alias in the authority, so openidconnect's exact check cannot be used. The issuer must
/// still be on the authority's host, be the authority itself or `/{directory id}/v2.0`, and
/// the keys come from its `jwks_uri`.
pub(super) async fn discover_microsoft(
    authority: &str,
    http: &HttpClient,
) -> Result<Metadata, AuthError> {
    let url = format!(
        "{}/.well-known/openid-configuration",
        authority.trim_end_matches('/')
    );
    let request = openidconnect::http::Request::builder()
        .uri(url)
        .header(openidconnect::http::header::ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(|_| AuthError::Misconfigured)?;
    let response = http.send(request).await?;
    if !response.status().is_success() {
        // AADSTS90002: no such tenant, a configuration error.
        return Err(AuthError::Misconfigured);
    }
    let metadata: Metadata =
        serde_json::from_slice(response.body()).map_err(|_| AuthError::BadResponse)?;
    let issuer = metadata.issuer().as_str();
    let same_host = url::Url::parse(issuer)
        .ok()
        .zip(url::Url::parse(authority).ok())
        .is_some_and(|(i, a)| i.origin() == a.origin());
    let named = issuer.trim_end_matches('/') == authority.trim_end_matches('/')
        || issuer.ends_with("/{tenantid}/v2.0")
        || is_directory_issuer(issuer, issuer);
    if !same_host || !named {
        return Err(AuthError::IssuerMismatch);
    }
    let jwks = JsonWebKeySet::fetch_async(metadata.jwks_uri(), http)
        .await
        .map_err(|e| match e {
            DiscoveryError::Request(e) => AuthError::Http(e),
            _ => AuthError::BadResponse,
        })?;
    Ok(metadata.set_jwks(jwks))
}

/// `iss` is `{host}/{directory id}/v2.0` on the same host as `template`. Public for fuzzing
/// (`fuzz/`) and tests.
pub fn is_directory_issuer(template: &str, iss: &str) -> bool {
    let Some(rest) = iss.strip_suffix("/v2.0") else {
        return false;
    };
    let Some((host, id)) = rest.rsplit_once('/') else {
        return false;
    };
    let is_guid = id.len() == 36
        && id.chars().enumerate().all(|(i, c)| {
            matches!(i, 8 | 13 | 18 | 23) == (c == '-') && (c == '-' || c.is_ascii_hexdigit())
        });
    is_guid && template.starts_with(&format!("{host}/"))
}
