//! Okta MyAccount: the signed-in user's phones and e-mails, each verified with a code.

use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

use super::{text, Okta};
use crate::providers::error::Unconfirmed;
use crate::providers::exchange::Ask;
use crate::providers::ProviderError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sms,
    Call,
}

impl Delivery {
    fn okta_name(self) -> &'static str {
        match self {
            Delivery::Sms => "SMS",
            Delivery::Call => "CALL",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub id: String,
    /// E.164, as Okta stores it.
    pub number: String,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub id: String,
    pub address: String,
    pub verified: bool,
    pub primary: bool,
}

fn phone(v: &Value) -> Result<Phone, ProviderError> {
    Ok(Phone {
        id: text(v, "id")?,
        number: v["profile"]["phoneNumber"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        verified: v["status"] == "VERIFIED",
    })
}

fn email(v: &Value) -> Result<Email, ProviderError> {
    let roles = v["roles"].as_array().cloned().unwrap_or_default();
    Ok(Email {
        id: text(v, "id")?,
        address: v["profile"]["email"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        verified: v["status"] == "VERIFIED",
        primary: roles.iter().any(|r| r == "PRIMARY"),
    })
}

/// A MyAccount `GET …/phones` answer. Public for fuzzing (`fuzz/`) and tests.
pub fn decode_phones(v: &Value) -> Result<Vec<Phone>, ProviderError> {
    list(v, phone)
}

/// A MyAccount `GET …/emails` answer. Public for fuzzing (`fuzz/`) and tests.
pub fn decode_emails(v: &Value) -> Result<Vec<Email>, ProviderError> {
    list(v, email)
}

fn list<T>(
    v: &Value,
    one: fn(&Value) -> Result<T, ProviderError>,
) -> Result<Vec<T>, ProviderError> {
    v.as_array()
        .ok_or(ProviderError::Unexpected { status: 200 })?
        .iter()
        .map(one)
        .collect()
}

impl Okta {
    pub async fn phones(&self, token: &SecretString) -> Result<Vec<Phone>, ProviderError> {
        list(
            &self
                .call(Ask::Get, "/idp/myaccount/phones", Some(token), None)
                .await?,
            phone,
        )
    }

    /// Adds an unverified phone and sends its first code.
    pub async fn add_phone(
        &self,
        token: &SecretString,
        e164: &str,
        delivery: Delivery,
    ) -> Result<Phone, ProviderError> {
        let body = json!({ "profile": { "phoneNumber": e164 }, "sendCode": true, "method": delivery.okta_name() });
        phone(
            &self
                .call(
                    // `sendCode`: the phone's first code goes out with it.
                    Ask::Post(Unconfirmed::CodeSent),
                    "/idp/myaccount/phones",
                    Some(token),
                    Some(&body),
                )
                .await?,
        )
    }

    pub async fn send_phone_code(
        &self,
        token: &SecretString,
        id: &str,
        delivery: Delivery,
    ) -> Result<(), ProviderError> {
        let body = json!({ "method": delivery.okta_name(), "retry": true });
        let path = format!("/idp/myaccount/phones/{}/challenge", segment(id));
        let ask = Ask::Post(Unconfirmed::CodeSent);
        self.call(ask, &path, Some(token), Some(&body))
            .await
            .map(drop)
    }

    pub async fn verify_phone(
        &self,
        token: &SecretString,
        id: &str,
        code: &SecretString,
    ) -> Result<(), ProviderError> {
        let body = json!({ "verificationCode": code.expose_secret() });
        let path = format!("/idp/myaccount/phones/{}/verify", segment(id));
        let ask = Ask::Post(Unconfirmed::MethodChanged);
        self.call(ask, &path, Some(token), Some(&body))
            .await
            .map(drop)
    }

    pub async fn remove_phone(&self, token: &SecretString, id: &str) -> Result<(), ProviderError> {
        let path = format!("/idp/myaccount/phones/{}", segment(id));
        let ask = Ask::Delete(Unconfirmed::MethodChanged);
        self.call(ask, &path, Some(token), None).await.map(drop)
    }

    pub async fn emails(&self, token: &SecretString) -> Result<Vec<Email>, ProviderError> {
        list(
            &self
                .call(Ask::Get, "/idp/myaccount/emails", Some(token), None)
                .await?,
            email,
        )
    }

    /// Adds an unverified secondary address; the code comes with [`Okta::send_email_code`].
    pub async fn add_email(
        &self,
        token: &SecretString,
        address: &str,
    ) -> Result<Email, ProviderError> {
        let body =
            json!({ "profile": { "email": address }, "sendEmail": false, "role": "SECONDARY" });
        email(
            &self
                .call(
                    Ask::Post(Unconfirmed::MethodChanged),
                    "/idp/myaccount/emails",
                    Some(token),
                    Some(&body),
                )
                .await?,
        )
    }

    /// Sends a code; returns the challenge id the code is verified against.
    pub async fn send_email_code(
        &self,
        token: &SecretString,
        id: &str,
    ) -> Result<String, ProviderError> {
        let path = format!("/idp/myaccount/emails/{}/challenge", segment(id));
        // `state` is required (myaccount.json, `Challenge-Example`): an opaque value Okta ties
        // to the challenge; a fresh random one per challenge.
        let state = openidconnect::CsrfToken::new_random();
        let body = json!({ "state": state.secret() });
        text(
            &self
                .call(
                    Ask::Post(Unconfirmed::CodeSent),
                    &path,
                    Some(token),
                    Some(&body),
                )
                .await?,
            "id",
        )
    }

    pub async fn verify_email(
        &self,
        token: &SecretString,
        id: &str,
        challenge: &str,
        code: &SecretString,
    ) -> Result<(), ProviderError> {
        let body = json!({ "verificationCode": code.expose_secret() });
        let path = format!(
            "/idp/myaccount/emails/{}/challenge/{}/verify",
            segment(id),
            segment(challenge)
        );
        let ask = Ask::Post(Unconfirmed::MethodChanged);
        self.call(ask, &path, Some(token), Some(&body))
            .await
            .map(drop)
    }

    pub async fn remove_email(&self, token: &SecretString, id: &str) -> Result<(), ProviderError> {
        let path = format!("/idp/myaccount/emails/{}", segment(id));
        let ask = Ask::Delete(Unconfirmed::MethodChanged);
        self.call(ask, &path, Some(token), None).await.map(drop)
    }
}

/// An id from the provider, made safe as one path segment.
fn segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, percent_encoding::NON_ALPHANUMERIC).to_string()
}
