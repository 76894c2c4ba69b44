//! The outbox: every SMS, voice call and e-mail the tenant would send. The demo user reads codes
//! here; the tests read them through the JSON view.

use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Sms,
    Call,
    Email,
}

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: u64,
    pub at: DateTime<Utc>,
    pub channel: Channel,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The one-time code or recovery token the message carries, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[derive(Debug, Default)]
pub struct Outbox {
    messages: Vec<Message>,
}

impl Outbox {
    pub fn send(
        &mut self,
        at: DateTime<Utc>,
        channel: Channel,
        to: &str,
        subject: &str,
        body: String,
        code: Option<String>,
    ) {
        let id = self.messages.len() as u64 + 1;
        self.messages.push(Message {
            id,
            at,
            channel,
            to: to.to_owned(),
            subject: subject.to_owned(),
            body,
            code,
        });
    }

    /// Newest first, optionally only those sent to `to`.
    pub fn list(&self, to: Option<&str>) -> Vec<Message> {
        self.messages
            .iter()
            .rev()
            .filter(|m| to.is_none_or(|t| m.to.eq_ignore_ascii_case(t)))
            .cloned()
            .collect()
    }
}
