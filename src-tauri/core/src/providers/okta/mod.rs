//! Okta: the MyAccount API (a signed-in user's phones and e-mails) and the Authentication API's
//! password recovery. Paths, bodies and errors as Okta documents them; tested against the
//! sandbox tenant over loopback HTTP.

/// Okta's error answers in the user's terms; public so the documented examples can be run
/// through it (`tests/documented_okta_errors.rs`).
pub mod errors;
pub mod myaccount;
mod provider;
/// Public for fuzzing (`fuzz/`) and tests: `recovery::step` reads a recovery answer.
pub mod recovery;

use openidconnect::http::StatusCode;
use secrecy::SecretString;
use serde_json::Value;
use url::Url;

use super::exchange::Ask;
use super::ProviderError;
use crate::auth::http::HttpClient;

/// MyAccount requires its version in `Accept` (406 without it).
const MYACCOUNT_ACCEPT: &str = "application/json; okta-version=1.0.0";

/// An Okta org, reached at the origin of its authorization server's issuer.
#[derive(Debug, Clone)]
pub struct Okta {
    /// The authorization server's issuer, for sign-in.
    issuer: String,
    org: Url,
    http: HttpClient,
}

impl Okta {
    /// `issuer` is the authorization server's (`https://org.okta.com/oauth2/default`); the APIs
    /// live at the org's origin.
    pub fn for_issuer(issuer: &str, http: HttpClient) -> Result<Okta, ProviderError> {
        let url = Url::parse(issuer).map_err(|_| ProviderError::Unexpected { status: 0 })?;
        let mut org = url.clone();
        org.set_path("/");
        org.set_query(None);
        org.set_fragment(None);
        Ok(Okta {
            issuer: issuer.to_owned(),
            org,
            http,
        })
    }

    fn url(&self, path: &str) -> Result<Url, ProviderError> {
        self.org
            .join(path.trim_start_matches('/'))
            .map_err(|_| ProviderError::Unexpected { status: 0 })
    }

    /// Sends a JSON request and returns the JSON answer (`Value::Null` for an empty body), or
    /// the error Okta's answer means.
    async fn call(
        &self,
        ask: Ask,
        path: &str,
        bearer: Option<&SecretString>,
        body: Option<&Value>,
    ) -> Result<Value, ProviderError> {
        let url = self.url(path)?;
        let accept = if bearer.is_some() {
            MYACCOUNT_ACCEPT
        } else {
            "application/json"
        };
        let kind = errors::OktaCall::of(bearer.is_some(), path);
        super::exchange::exchange(
            &self.http,
            ask,
            &url,
            accept,
            bearer,
            body,
            |status, headers, body| errors::from_response(kind, status, headers, body),
        )
        .await
    }
}

fn text(v: &Value, key: &str) -> Result<String, ProviderError> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or(ProviderError::Unexpected {
            status: StatusCode::OK.as_u16(),
        })
}
