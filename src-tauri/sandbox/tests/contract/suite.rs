//! The suite's bookkeeping: send a request over loopback, hold the answer against the vendor's
//! contract, tie it to the documented example for the situation, count coverage, and collect
//! every failure instead of stopping at the first.

use latchkey_contract::{Catalogue, Coverage, Exchange, Spec};
use reqwest::Method;
use serde_json::Value;

use crate::common::Tenant;

#[derive(Clone, Copy)]
pub enum Vendor {
    OktaMyAccount,
    OktaOAuth,
    Graph,
}

pub struct Suite {
    pub t: Tenant,
    specs: [Spec; 3],
    pub coverage: Vec<Coverage>,
    catalogue: Catalogue,
    pub passed: usize,
    pub failures: Vec<String>,
}

/// One answer, read whole.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

/// A request to send: vendor, method, documented template, concrete path, bearer, body.
pub struct Call<'a> {
    pub vendor: Vendor,
    pub method: Method,
    pub template: &'a str,
    pub path: String,
    pub token: Option<&'a str>,
    pub accept: Option<&'a str>,
    pub json: Option<Value>,
    pub form: Option<Vec<(&'a str, String)>>,
}

impl<'a> Call<'a> {
    pub fn new(vendor: Vendor, method: Method, template: &'a str, path: impl Into<String>) -> Self {
        Call {
            vendor,
            method,
            template,
            path: path.into(),
            token: None,
            accept: None,
            json: None,
            form: None,
        }
    }
}

impl Suite {
    pub fn new(t: Tenant) -> Suite {
        let specs = [Spec::okta_myaccount(), Spec::okta_oauth(), Spec::graph()];
        let coverage = specs.iter().map(Coverage::of).collect();
        Suite {
            t,
            specs,
            coverage,
            catalogue: Catalogue::okta(),
            passed: 0,
            failures: Vec::new(),
        }
    }

    pub fn spec(&self, vendor: Vendor) -> &Spec {
        &self.specs[vendor as usize]
    }

    /// Records one check's outcome under a case name.
    pub fn check(&mut self, case: &str, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => self.passed += 1,
            Err(e) => self.failures.push(format!("{case}: {e}")),
        }
    }

    /// Sends a call and holds the answer against the vendor's spec (and, for an Okta error,
    /// against the error catalogue).
    pub async fn send(&mut self, case: &str, call: Call<'_>) -> Answer {
        let mut request = self
            .t
            .http
            .request(call.method.clone(), self.t.url(&call.path));
        if let Some(token) = call.token {
            request = request.bearer_auth(token);
        }
        if let Some(accept) = call.accept {
            request = request.header("accept", accept);
        }
        if let Some(json) = &call.json {
            request = request.json(json);
        }
        if let Some(form) = &call.form {
            request = request.form(form);
        }
        let response = request.send().await.expect("the sandbox answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body");
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let exchange = Exchange {
            method: call.method.as_str(),
            template: call.template,
            status,
            content_type: headers.get("content-type").and_then(|v| v.to_str().ok()),
            headers: headers.keys().map(|k| k.as_str().to_owned()).collect(),
            body: &bytes,
        };
        let spec = &self.specs[call.vendor as usize];
        let outcome = spec.check(&exchange).map(|key| {
            self.coverage[call.vendor as usize].reached(call.method.as_str(), call.template, &key);
        });
        self.check(case, outcome);
        if !matches!(call.vendor, Vendor::Graph) && status >= 400 && body["errorCode"].is_string() {
            let outcome = self.catalogue.check(status, &body);
            self.check(&format!("{case} (catalogue)"), outcome);
        }
        Answer {
            status,
            headers,
            body,
        }
    }

    /// The answer is the documented example for this situation: the status it is filed under,
    /// its `errorCode`, and the stems of its summary and first cause (instance data such as a
    /// phone number or an id left aside).
    pub fn expect_example(
        &mut self,
        case: &str,
        answer: &Answer,
        call: (&Method, &str),
        name: &str,
    ) {
        let outcome = match self.find_example(call.0, call.1, name) {
            None => Err(format!("no example {name} under {} {}", call.0, call.1)),
            Some((status, example)) => same_error(status, &example, answer),
        };
        self.check(&format!("{case} is {name}"), outcome);
    }

    fn find_example(&self, method: &Method, template: &str, name: &str) -> Option<(u16, Value)> {
        let spec = self.spec(Vendor::OktaMyAccount);
        let op = &spec.document()["paths"][template][method.as_str().to_lowercase()];
        for (status, response) in op["responses"].as_object()? {
            let response = spec.resolve(response);
            for content in response["content"].as_object().into_iter().flatten() {
                if let Some(example) = content.1["examples"].get(name) {
                    let value = spec.resolve(example)["value"].clone();
                    return Some((status.parse().ok()?, value));
                }
            }
        }
        None
    }

    /// Sends a call and expects the status the vendor documents for the situation.
    pub async fn expect(&mut self, case: &str, call: Call<'_>, status: u16) -> Answer {
        let answer = self.send(case, call).await;
        self.expect_status(case, &answer, status);
        answer
    }

    /// A plain expectation: the status the vendor documents for a situation.
    pub fn expect_status(&mut self, case: &str, answer: &Answer, status: u16) {
        let outcome = if answer.status == status {
            Ok(())
        } else {
            Err(format!(
                "HTTP {} (body {}), expected {status}",
                answer.status, answer.body
            ))
        };
        self.check(case, outcome);
    }
}

fn same_error(status: u16, example: &Value, answer: &Answer) -> Result<(), String> {
    let body = &answer.body;
    let cause = |v: &Value| v["errorCauses"][0]["errorSummary"].as_str().map(cause_stem);
    let got = (
        answer.status,
        &body["errorCode"],
        stem(body["errorSummary"].as_str().unwrap_or("")),
        cause(body),
    );
    let want = (
        status,
        &example["errorCode"],
        stem(example["errorSummary"].as_str().unwrap_or("")),
        cause(example),
    );
    if got == want {
        Ok(())
    } else {
        Err(format!("answered {got:?}, documented {want:?}"))
    }
}

/// A summary up to its instance data: cut at the first digit, `+` or period, and after the last
/// `": "` (Okta's "Not found: Resource not found: <id>").
fn stem(text: &str) -> String {
    let cut = text
        .split(|c: char| c.is_ascii_digit() || c == '+' || c == '.')
        .next()
        .unwrap_or_default();
    match cut.rfind(": ") {
        Some(at) => cut[..at + 2].to_owned(),
        None => cut.to_owned(),
    }
}

/// A cause's first four words, up to the first word with instance data (a digit, `@`, `+`).
fn cause_stem(text: &str) -> String {
    text.split_whitespace()
        .take(4)
        .take_while(|w| !w.contains(|c: char| c.is_ascii_digit() || c == '@' || c == '+'))
        .collect::<Vec<_>>()
        .join(" ")
}
