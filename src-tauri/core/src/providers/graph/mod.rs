//! Microsoft Graph v1.0 for the signed-in user (Entra ID): the registered authentication
//! methods, deleting what Graph lets a user delete, changing a known password, and the inputs of
//! password expiry. Graph refuses self-service adds of phones and e-mails (403); registration is
//! a hand-off to My Sign-ins (PROVIDERS.md). Errors are OData bodies; request ids are kept for
//! support, tokens never.

use chrono::{DateTime, Utc};
use openidconnect::http::{HeaderMap, Method, StatusCode};
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

impl Graph {
    /// `base` is Graph's v1.0 root: [`GRAPH_V1`], or the sandbox's `/v1.0/` in tests.
    pub fn new(base: &str, http: HttpClient) -> Result<Graph, ProviderError> {
        let mut base = Url::parse(base).map_err(|_| ProviderError::Unexpected { status: 0 })?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        Ok(Graph { base, http })
    }

    /// One Graph call; `permission` is the delegated permission its documentation names, told
    /// to the user (for IT) when Graph answers 403.
    async fn call(
        &self,
        method: Method,
        path: &str,
        permission: &'static str,
        token: &SecretString,
        body: Option<&Value>,
    ) -> Result<Value, ProviderError> {
        self.call_dated(method, path, permission, token, body)
            .await
            .map(|(json, _)| json)
    }

    async fn call_dated(
        &self,
        method: Method,
        path: &str,
        permission: &'static str,
        token: &SecretString,
        body: Option<&Value>,
    ) -> Result<(Value, Option<DateTime<Utc>>), ProviderError> {
        let url = self
            .base
            .join(path)
            .map_err(|_| ProviderError::Unexpected { status: 0 })?;
        super::exchange::exchange_dated(
            &self.http,
            method,
            &url,
            "application/json",
            Some(token),
            body,
            |status, headers, body| odata_error(status, headers, body, permission),
        )
        .await
    }

    /// `GET /me/authentication/methods` (`UserAuthenticationMethod.Read`).
    pub async fn methods(&self, token: &SecretString) -> Result<Vec<AuthMethod>, ProviderError> {
        let v = self
            .call(
                Method::GET,
                "me/authentication/methods",
                "UserAuthenticationMethod.Read",
                token,
                None,
            )
            .await?;
        let items = v["value"]
            .as_array()
            .ok_or(ProviderError::Unexpected { status: 200 })?;
        Ok(items.iter().map(method).collect())
    }

    /// `DELETE /me/authentication/phoneMethods/{id}` (`UserAuthenticationMethod.ReadWrite`).
    pub async fn remove_phone(&self, token: &SecretString, id: &str) -> Result<(), ProviderError> {
        let path = format!("me/authentication/phoneMethods/{}", segment(id));
        self.call(
            Method::DELETE,
            &path,
            "UserAuthenticationMethod.ReadWrite",
            token,
            None,
        )
        .await
        .map(drop)
    }

    /// `DELETE /me/authentication/emailMethods/{id}` (`UserAuthenticationMethod.ReadWrite`).
    pub async fn remove_email(&self, token: &SecretString, id: &str) -> Result<(), ProviderError> {
        let path = format!("me/authentication/emailMethods/{}", segment(id));
        self.call(
            Method::DELETE,
            &path,
            "UserAuthenticationMethod.ReadWrite",
            token,
            None,
        )
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
        self.call(
            Method::POST,
            "me/changePassword",
            "User-PasswordProfile.ReadWrite.All",
            token,
            Some(&body),
        )
        .await
        .map(drop)
    }

    /// `GET /me?$select=lastPasswordChangeDateTime,passwordPolicies` (`User.Read`).
    pub async fn password_age(&self, token: &SecretString) -> Result<PasswordAge, ProviderError> {
        let (v, as_of) = self
            .call_dated(
                Method::GET,
                "me?$select=lastPasswordChangeDateTime,passwordPolicies",
                "User.Read",
                token,
                None,
            )
            .await?;
        Ok(PasswordAge {
            last_changed: v["lastPasswordChangeDateTime"]
                .as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|d| d.with_timezone(&Utc)),
            never_expires: v["passwordPolicies"]
                .as_str()
                .is_some_and(|p| p.contains("DisablePasswordExpiration")),
            as_of,
        })
    }

    /// `GET /domains/{id}` (`Domain.Read.All`): `passwordValidityPeriodInDays`.
    pub async fn password_validity_days(
        &self,
        token: &SecretString,
        domain: &str,
    ) -> Result<Option<u32>, ProviderError> {
        let v = self
            .call(
                Method::GET,
                &format!("domains/{}", segment(domain)),
                "Domain.Read.All",
                token,
                None,
            )
            .await?;
        Ok(v["passwordValidityPeriodInDays"]
            .as_u64()
            .and_then(|d| u32::try_from(d).ok()))
    }
}

fn method(v: &Value) -> AuthMethod {
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

/// An OData error in the user's terms.
fn odata_error(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    permission: &'static str,
) -> ProviderError {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let code = json["error"]["code"].as_str().unwrap_or_default();
    let message = json["error"]["message"].as_str().unwrap_or_default();
    match (status.as_u16(), code) {
        // Graph throttling: wait what Retry-After says (seconds or a date), capped.
        (429 | 503, _) => ProviderError::RateLimited {
            retry_after: super::throttle::retry_after(headers),
        },
        (401, _) => ProviderError::SignInRequired,
        (403, "accessDenied") if message.starts_with("Self-service operations") => {
            ProviderError::NotAllowed
        }
        (403, _) => ProviderError::PermissionMissing {
            permission: Some(permission),
            // Graph's id for this request, which Microsoft support asks for; never a token.
            request_id: headers
                .get("request-id")
                .and_then(|v| v.to_str().ok())
                .or_else(|| json["error"]["innerError"]["request-id"].as_str())
                .map(untrusted_text),
        },
        (400, "Request_BadRequest") if message.contains("currentPassword") => {
            ProviderError::CurrentPasswordWrong
        }
        (400, "Request_BadRequest") if message.contains("password") => {
            ProviderError::PasswordRejected {
                reasons: vec![untrusted_text(message)],
            }
        }
        _ => ProviderError::Unexpected {
            status: status.as_u16(),
        },
    }
}

fn segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use openidconnect::http::HeaderValue;

    fn refusal(status: u16, retry_after: Option<&str>, body: &str) -> ProviderError {
        let mut headers = HeaderMap::new();
        if let Some(wait) = retry_after {
            headers.insert("retry-after", HeaderValue::from_str(wait).expect("header"));
        }
        let status = StatusCode::from_u16(status).expect("status");
        odata_error(status, &headers, body.as_bytes(), "User.Read")
    }

    /// Graph's 503 is throttling too (Microsoft's throttling guidance): wait, then retry.
    #[test]
    fn service_unavailable_is_a_wait_with_graphs_retry_after() {
        let body = r#"{"error":{"code":"serviceNotAvailable","message":"Service unavailable"}}"#;
        assert_eq!(
            refusal(503, Some("7"), body),
            ProviderError::RateLimited { retry_after: 7 }
        );
        assert_eq!(
            refusal(429, Some("12"), "not json"),
            ProviderError::RateLimited { retry_after: 12 }
        );
        assert_eq!(
            refusal(502, None, body),
            ProviderError::Unexpected { status: 502 }
        );
    }
}
