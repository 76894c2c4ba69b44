//! Microsoft Graph v1.0 for the signed-in user (Entra ID): the registered authentication
//! methods, deleting what Graph lets a user delete, changing a known password, and the inputs of
//! password expiry. Graph refuses self-service adds of phones and e-mails (403); registration is
//! a hand-off to My Sign-ins (docs/entra.md). Errors are OData bodies; request ids are kept for
//! support, tokens never.

mod errors;

pub use errors::{graph_refusal, GraphCall};

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};
use url::Url;

use super::ProviderError;
use crate::auth::http::HttpClient;
use crate::auth::untrusted_text;

pub const GRAPH_V1: &str = "https://graph.microsoft.com/v1.0/";

/// A registered authentication method, as Graph types it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthMethod {
    Password,
    Phone {
        id: String,
        number: String,
        kind: String,
    },
    Email {
        id: String,
        address: String,
    },
    /// Authenticator app, FIDO2, OATH…: counted, not managed here.
    Other {
        odata_type: String,
    },
}

/// When the password was last changed and how long passwords live in the user's domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordAge {
    pub last_changed: Option<DateTime<Utc>>,
    pub never_expires: bool,
    /// Graph's time when it answered (its `Date` header).
    pub as_of: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct Graph {
    base: Url,
    http: HttpClient,
}

/// At most this many pages of one collection are read (`@odata.nextLink`): a user has a
/// handful of methods, so more means a loop, not data.
const MAX_PAGES: usize = 10;

impl Graph {
    /// `base` is Graph's v1.0 root: [`GRAPH_V1`], or the sandbox's `/v1.0/` in tests.
    pub fn new(base: &str, http: HttpClient) -> Result<Graph, ProviderError> {
        let mut base = Url::parse(base).map_err(|_| ProviderError::Unexpected { status: 0 })?;
        if base.cannot_be_a_base() {
            return Err(ProviderError::Unexpected { status: 0 });
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        Ok(Graph { base, http })
    }

    /// The URL of `segments` under the v1.0 root, each one percent-encoded as a path segment
    /// (RFC 3986: unreserved characters such as `-` and `.` stay as they are).
    fn url(&self, segments: &[&str]) -> Result<Url, ProviderError> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| ProviderError::Unexpected { status: 0 })?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// One Graph call, sent as `call` says; a refusal is read as [`errors::graph_refusal`]
    /// reads `call`'s.
    async fn call(
        &self,
        url: &Url,
        call: GraphCall,
        token: &SecretString,
        body: Option<&Value>,
    ) -> Result<(Value, Option<DateTime<Utc>>), ProviderError> {
        super::exchange::exchange_dated(
            &self.http,
            call.ask(),
            url,
            "application/json",
            Some(token),
            body,
            |status, headers, body| graph_refusal(call, status, headers, body),
        )
        .await
    }

    /// `GET /me/authentication/methods` (`UserAuthenticationMethod.Read`), every page.
    pub async fn methods(&self, token: &SecretString) -> Result<Vec<AuthMethod>, ProviderError> {
        let mut url = self.url(&["me", "authentication", "methods"])?;
        let mut methods = Vec::new();
        for _ in 0..MAX_PAGES {
            let (page, _) = self.call(&url, GraphCall::ListMethods, token, None).await?;
            let items = page["value"]
                .as_array()
                .ok_or(ProviderError::Unexpected { status: 200 })?;
            methods.extend(items.iter().map(method));
            match page["@odata.nextLink"].as_str() {
                None => return Ok(methods),
                Some(next) => url = self.next_page(next)?,
            }
        }
        Err(ProviderError::Unexpected { status: 200 })
    }

    /// A `@odata.nextLink`, followed only under the v1.0 root this client was given: the
    /// bearer token goes nowhere else.
    fn next_page(&self, next: &str) -> Result<Url, ProviderError> {
        Url::parse(next)
            .ok()
            .filter(|u| u.origin() == self.base.origin() && u.path().starts_with(self.base.path()))
            .ok_or(ProviderError::Unexpected { status: 200 })
    }

    /// `DELETE /me/authentication/phoneMethods/{id}` (`UserAuthenticationMethod.ReadWrite`).
    pub async fn remove_phone(&self, token: &SecretString, id: &str) -> Result<(), ProviderError> {
        let url = self.url(&["me", "authentication", "phoneMethods", id])?;
        self.call(&url, GraphCall::DeleteMethod, token, None)
            .await
            .map(drop)
    }

    /// `DELETE /me/authentication/emailMethods/{id}` (`UserAuthenticationMethod.ReadWrite`).
    pub async fn remove_email(&self, token: &SecretString, id: &str) -> Result<(), ProviderError> {
        let url = self.url(&["me", "authentication", "emailMethods", id])?;
        self.call(&url, GraphCall::DeleteMethod, token, None)
            .await
            .map(drop)
    }

    /// `POST /me/changePassword` (`User-PasswordProfile.ReadWrite.All`), both passwords exactly
    /// as typed.
    pub async fn change_password(
        &self,
        token: &SecretString,
        current: &SecretString,
        new: &SecretString,
    ) -> Result<(), ProviderError> {
        let body = json!({ "currentPassword": current.expose_secret(), "newPassword": new.expose_secret() });
        let url = self.url(&["me", "changePassword"])?;
        self.call(&url, GraphCall::ChangePassword, token, Some(&body))
            .await
            .map(drop)
    }

    /// `GET /me?$select=lastPasswordChangeDateTime,passwordPolicies` (`User.Read`).
    pub async fn password_age(&self, token: &SecretString) -> Result<PasswordAge, ProviderError> {
        let mut url = self.url(&["me"])?;
        url.set_query(Some("$select=lastPasswordChangeDateTime,passwordPolicies"));
        let (v, as_of) = self.call(&url, GraphCall::ReadUser, token, None).await?;
        Ok(password_age(&v, as_of))
    }

    /// `GET /domains/{id}` (`Domain.Read.All`): `passwordValidityPeriodInDays`, `None` when
    /// Graph gives `null` (Learn's own example): 90 days or never, by the tenant's age, so
    /// unknown here.
    pub async fn password_validity_days(
        &self,
        token: &SecretString,
        domain: &str,
    ) -> Result<Option<u32>, ProviderError> {
        let url = self.url(&["domains", domain])?;
        let (v, _) = self.call(&url, GraphCall::ReadDomain, token, None).await?;
        Ok(validity_days(&v))
    }
}

/// A `GET /me?$select=…` answer, `as_of` its `Date`. Public for fuzzing (`fuzz/`) and tests.
pub fn password_age(v: &Value, as_of: Option<DateTime<Utc>>) -> PasswordAge {
    PasswordAge {
        last_changed: v["lastPasswordChangeDateTime"]
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.with_timezone(&Utc)),
        never_expires: v["passwordPolicies"]
            .as_str()
            .is_some_and(|p| p.contains("DisablePasswordExpiration")),
        as_of,
    }
}

/// A `GET /domains/{id}` answer's password lifetime. Public for fuzzing (`fuzz/`) and tests.
pub fn validity_days(v: &Value) -> Option<u32> {
    v["passwordValidityPeriodInDays"]
        .as_u64()
        .and_then(|d| u32::try_from(d).ok())
}

/// One item of a `GET /me/authentication/methods` page. Public for fuzzing (`fuzz/`) and tests.
pub fn method(v: &Value) -> AuthMethod {
    let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
    match v["@odata.type"].as_str().unwrap_or_default() {
        "#microsoft.graph.passwordAuthenticationMethod" => AuthMethod::Password,
        "#microsoft.graph.phoneAuthenticationMethod" => AuthMethod::Phone {
            id: text("id"),
            number: text("phoneNumber"),
            kind: text("phoneType"),
        },
        "#microsoft.graph.emailAuthenticationMethod" => AuthMethod::Email {
            id: text("id"),
            address: text("emailAddress"),
        },
        other => AuthMethod::Other {
            odata_type: untrusted_text(other),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::http::Timeouts;

    fn graph() -> Graph {
        let http = HttpClient::new(Timeouts::default()).expect("client");
        Graph::new("https://graph.microsoft.com/v1.0", http).expect("graph")
    }

    /// The old client encoded every non-alphanumeric character: `contoso%2Eexample`. Graph's
    /// paths take RFC 3986 path segments, where `-`, `.`, `_` and `~` stay as they are.
    #[test]
    fn ids_and_domains_are_sent_as_path_segments() {
        let g = graph();
        assert_eq!(
            g.url(&["domains", "contoso.example"])
                .expect("url")
                .as_str(),
            "https://graph.microsoft.com/v1.0/domains/contoso.example"
        );
        // list-methods.json's fido2 id.
        assert_eq!(
            g.url(&["me", "authentication", "methods", "-2_GRUg2-HYz6_1YG4YRAQ2"])
                .expect("url")
                .path(),
            "/v1.0/me/authentication/methods/-2_GRUg2-HYz6_1YG4YRAQ2"
        );
        assert_eq!(
            g.url(&["domains", "a/b?c#d"]).expect("url").path(),
            "/v1.0/domains/a%2Fb%3Fc%23d",
            "what would change the path is still encoded"
        );
    }

    #[test]
    fn next_links_are_followed_only_under_graphs_root() {
        let g = graph();
        let next = "https://graph.microsoft.com/v1.0/me/authentication/methods?$skiptoken=x";
        assert_eq!(g.next_page(next).expect("same root").as_str(), next);
        for elsewhere in [
            "https://graph.example/v1.0/me/authentication/methods",
            "http://graph.microsoft.com/v1.0/me",
            "https://graph.microsoft.com/beta/me",
            "not a url",
        ] {
            assert!(g.next_page(elsewhere).is_err(), "{elsewhere}");
        }
    }
}
