//! Okta MyAccount phones and e-mails: every documented status the sandbox can reach, each tied
//! to the example Okta documents for the situation.

use reqwest::Method;
use serde_json::json;

use crate::common::{wrong, MYACCOUNT, NEW_USER, REGISTERED};
use crate::suite::{Call, Suite, Vendor};

const SCOPES: &str = "okta.myAccount.phone.manage okta.myAccount.email.manage";

const PHONES: &str = "/idp/myaccount/phones";
const PHONE: &str = "/idp/myaccount/phones/{id}";
const PHONE_CHALLENGE: &str = "/idp/myaccount/phones/{id}/challenge";
const PHONE_VERIFY: &str = "/idp/myaccount/phones/{id}/verify";
const EMAILS: &str = "/idp/myaccount/emails";
const EMAIL: &str = "/idp/myaccount/emails/{id}";
const EMAIL_CHALLENGE: &str = "/idp/myaccount/emails/{id}/challenge";
const EMAIL_POLL: &str = "/idp/myaccount/emails/{id}/challenge/{challengeId}";
const EMAIL_VERIFY: &str = "/idp/myaccount/emails/{id}/challenge/{challengeId}/verify";

fn call<'a>(
    method: Method,
    template: &'a str,
    path: impl Into<String>,
    token: &'a str,
) -> Call<'a> {
    let mut call = Call::new(Vendor::OktaMyAccount, method, template, path);
    call.token = Some(token);
    call.accept = Some(MYACCOUNT);
    call
}

pub async fn run(s: &mut Suite) {
    let token = s.t.access_token(NEW_USER, SCOPES).await;
    phones(s, &token).await;
    emails(s, &token).await;
    let registered = s.t.access_token(REGISTERED, SCOPES).await;
    duplicates(s, &registered).await;
    refusals(s, &token).await;
    every_operation(s, &token).await;
    bad_requests(s, &token).await;
    disabled(s).await;
    disabled_existing(s).await;
    primary_email(s, &token).await;
}

/// Every operation the sandbox serves, without a token (401) and without MyAccount's version
/// in `Accept` (406, `NotAcceptable`).
async fn every_operation(s: &mut Suite, token: &str) {
    let ops: [(Method, &str, &str); 10] = [
        (Method::GET, PHONES, PHONES),
        (Method::POST, PHONES, PHONES),
        (Method::GET, PHONE, "/idp/myaccount/phones/sms0x"),
        (Method::DELETE, PHONE, "/idp/myaccount/phones/sms0x"),
        (
            Method::POST,
            PHONE_CHALLENGE,
            "/idp/myaccount/phones/sms0x/challenge",
        ),
        (
            Method::POST,
            PHONE_VERIFY,
            "/idp/myaccount/phones/sms0x/verify",
        ),
        (Method::GET, EMAIL, "/idp/myaccount/emails/x"),
        (Method::DELETE, EMAIL, "/idp/myaccount/emails/x"),
        (
            Method::POST,
            EMAIL_CHALLENGE,
            "/idp/myaccount/emails/x/challenge",
        ),
        (
            Method::GET,
            EMAIL_POLL,
            "/idp/myaccount/emails/x/challenge/y",
        ),
    ];
    for (method, template, path) in ops.into_iter().chain([
        (Method::POST, EMAILS, EMAILS),
        (
            Method::POST,
            EMAIL_VERIFY,
            "/idp/myaccount/emails/x/challenge/y/verify",
        ),
    ]) {
        let case = format!("{method} {template} without a token");
        let mut c = call(method.clone(), template, path, token);
        c.token = None;
        s.expect(&case, c, 401).await;
        let case = format!("{method} {template} without the version");
        let mut c = call(method.clone(), template, path, token);
        c.accept = None;
        let a = s.send(&case, c).await;
        s.expect_example(&case, &a, (&method, template), "NotAcceptable");
    }
}

/// Requests Okta refuses as malformed: a delivery method it does not know, a code with no
/// challenge, a fourth phone.
async fn bad_requests(s: &mut Suite, token: &str) {
    let mut c = call(Method::POST, PHONES, PHONES, token);
    c.json = Some(
        json!({"profile": {"phoneNumber": "+14255550166"}, "sendCode": false, "method": "some_invalid_method"}),
    );
    let a = s.send("add a phone with an unknown method", c).await;
    s.expect_example(
        "add a phone with an unknown method",
        &a,
        (&Method::POST, PHONES),
        "Invalid-Method",
    );

    let mut ids = Vec::new();
    for n in 0..3 {
        let mut c = call(Method::POST, PHONES, PHONES, token);
        c.json = Some(
            json!({"profile": {"phoneNumber": format!("+1425555017{n}")}, "sendCode": false, "method": "SMS"}),
        );
        let a = s.send("add phones up to the limit", c).await;
        ids.push(a.body["id"].as_str().unwrap_or("missing").to_owned());
    }
    let mut c = call(Method::POST, PHONES, PHONES, token);
    c.json = Some(
        json!({"profile": {"phoneNumber": "+14255550179"}, "sendCode": false, "method": "SMS"}),
    );
    let a = s.send("a phone over the limit", c).await;
    s.expect_example(
        "a phone over the limit",
        &a,
        (&Method::POST, PHONES),
        "Cardinality-Max-Reached",
    );

    let id = ids[0].clone();
    let mut c = call(
        Method::POST,
        PHONE_CHALLENGE,
        format!("{PHONES}/{id}/challenge"),
        token,
    );
    c.json = Some(json!({"method": "some_invalid_method"}));
    let a = s.send("a challenge with an unknown method", c).await;
    s.expect_example(
        "a challenge with an unknown method",
        &a,
        (&Method::POST, PHONE_CHALLENGE),
        "Invalid-Method",
    );
    let mut c = call(
        Method::POST,
        PHONE_VERIFY,
        format!("{PHONES}/{id}/verify"),
        token,
    );
    c.json = Some(json!({"verificationCode": "123456"}));
    let a = s.send("a code with no challenge sent", c).await;
    s.expect_example(
        "a code with no challenge sent",
        &a,
        (&Method::POST, PHONE_VERIFY),
        "Invalid-Transaction-409",
    );
    for id in ids {
        s.send(
            "remove the extra phones",
            call(Method::DELETE, PHONE, format!("{PHONES}/{id}"), token),
        )
        .await;
    }
}

/// An organisation that has not enabled phones (or e-mail) as an authenticator: 403 E0000038.
async fn disabled(s: &mut Suite) {
    let allowed = r#"methods_allowed = ["email", "mobile_phone", "security_questions"]"#;
    let no_phone = crate::common::start_with(crate::common::seed_with(
        allowed,
        r#"methods_allowed = ["email", "security_questions"]"#,
    ))
    .await;
    let token = no_phone.access_token(NEW_USER, SCOPES).await;
    let home = std::mem::replace(&mut s.t, no_phone);
    let mut c = call(Method::POST, PHONES, PHONES, &token);
    c.json = Some(
        json!({"profile": {"phoneNumber": "+14255550155"}, "sendCode": false, "method": "SMS"}),
    );
    let a = s.send("add a phone where phones are off", c).await;
    s.expect_example(
        "add a phone where phones are off",
        &a,
        (&Method::POST, PHONES),
        "Phone-Authenticator-Disabled",
    );
    let no_email = crate::common::start_with(crate::common::seed_with(
        allowed,
        r#"methods_allowed = ["mobile_phone", "security_questions"]"#,
    ))
    .await;
    let token = no_email.access_token(NEW_USER, SCOPES).await;
    s.t = no_email;
    let mut c = call(Method::POST, EMAILS, EMAILS, &token);
    c.json = Some(
        json!({"profile": {"email": "nina.other@example.net"}, "sendEmail": false, "role": "SECONDARY"}),
    );
    let a = s.send("add an e-mail where e-mail is off", c).await;
    s.expect_example(
        "add an e-mail where e-mail is off",
        &a,
        (&Method::POST, EMAILS),
        "Secondary-Email",
    );
    s.t = home;
}

async fn phones(s: &mut Suite, token: &str) {
    let a = s
        .send("list phones", call(Method::GET, PHONES, PHONES, token))
        .await;
    s.expect_status("list phones", &a, 200);

    let mut c = call(Method::POST, PHONES, PHONES, token);
    c.json = Some(
        json!({"profile": {"phoneNumber": "+14255550199"}, "sendCode": false, "method": "SMS"}),
    );
    let created = s.expect("add a phone", c, 201).await;
    let id = created.body["id"].as_str().unwrap_or("missing").to_owned();

    let mut c = call(Method::POST, PHONES, PHONES, token);
    c.json = Some(
        json!({"profile": {"phoneNumber": "not a number"}, "sendCode": false, "method": "SMS"}),
    );
    let a = s.send("add a phone that is not a number", c).await;
    s.expect_example(
        "add a phone that is not a number",
        &a,
        (&Method::POST, PHONES),
        "Not-A-Number",
    );

    let a = s
        .send(
            "read the phone",
            call(Method::GET, PHONE, format!("{PHONES}/{id}"), token),
        )
        .await;
    s.expect_status("read the phone", &a, 200);
    let a = s
        .send(
            "read an unknown phone",
            call(Method::GET, PHONE, format!("{PHONES}/sms0unknown"), token),
        )
        .await;
    s.expect_example(
        "read an unknown phone",
        &a,
        (&Method::GET, PHONE),
        "Invalid-Phone-Factor-Id-404",
    );

    let mut c = call(
        Method::POST,
        PHONE_CHALLENGE,
        format!("{PHONES}/{id}/challenge"),
        token,
    );
    c.json = Some(json!({"method": "SMS"}));
    let a = s.send("send a code to the phone", c).await;
    s.expect_status("send a code to the phone", &a, 200);
    let mut c = call(
        Method::POST,
        PHONE_CHALLENGE,
        format!("{PHONES}/sms0unknown/challenge"),
        token,
    );
    c.json = Some(json!({"method": "SMS"}));
    let a = s.send("send a code to an unknown phone", c).await;
    s.expect_example(
        "send a code to an unknown phone",
        &a,
        (&Method::POST, PHONE_CHALLENGE),
        "Invalid-Phone-Factor-Id-404",
    );

    let code = s.t.last_code("+14255550199").await;
    let mut c = call(
        Method::POST,
        PHONE_VERIFY,
        format!("{PHONES}/{id}/verify"),
        token,
    );
    c.json = Some(json!({"verificationCode": wrong(&code)}));
    let a = s.send("a wrong phone code", c).await;
    s.expect_example(
        "a wrong phone code",
        &a,
        (&Method::POST, PHONE_VERIFY),
        "User-Failed-To-Answer-Challenge-401",
    );
    let mut c = call(
        Method::POST,
        PHONE_VERIFY,
        format!("{PHONES}/sms0unknown/verify"),
        token,
    );
    c.json = Some(json!({"verificationCode": code}));
    let a = s.send("a code for an unknown phone", c).await;
    s.expect_example(
        "a code for an unknown phone",
        &a,
        (&Method::POST, PHONE_VERIFY),
        "Invalid-Phone-Factor-Id-404",
    );
    let mut c = call(
        Method::POST,
        PHONE_VERIFY,
        format!("{PHONES}/{id}/verify"),
        token,
    );
    c.json = Some(json!({"verificationCode": code}));
    let a = s.send("the right phone code", c).await;
    s.expect_status("the right phone code", &a, 204);

    s.expect(
        "remove the phone",
        call(Method::DELETE, PHONE, format!("{PHONES}/{id}"), token),
        204,
    )
    .await;
    let a = s
        .send(
            "remove it again",
            call(Method::DELETE, PHONE, format!("{PHONES}/{id}"), token),
        )
        .await;
    s.expect_example(
        "remove it again",
        &a,
        (&Method::DELETE, PHONE),
        "Invalid-Phone-Factor-Id-404",
    );
}

async fn emails(s: &mut Suite, token: &str) {
    let a = s
        .send("list e-mails", call(Method::GET, EMAILS, EMAILS, token))
        .await;
    s.expect_status("list e-mails", &a, 200);

    let mut c = call(Method::POST, EMAILS, EMAILS, token);
    c.json = Some(
        json!({"profile": {"email": "nina.home@example.net"}, "sendEmail": false, "role": "SECONDARY"}),
    );
    let created = s.expect("add an e-mail", c, 201).await;
    let id = created.body["id"].as_str().unwrap_or("missing").to_owned();

    let mut c = call(Method::POST, EMAILS, EMAILS, token);
    c.json = Some(
        json!({"profile": {"email": "not an address"}, "sendEmail": false, "role": "SECONDARY"}),
    );
    let a = s.send("add an e-mail that is not an address", c).await;
    s.expect_example(
        "add an e-mail that is not an address",
        &a,
        (&Method::POST, EMAILS),
        "Invalid-Email-400",
    );

    let a = s
        .send(
            "read the e-mail",
            call(Method::GET, EMAIL, format!("{EMAILS}/{id}"), token),
        )
        .await;
    s.expect_status("read the e-mail", &a, 200);

    let c = call(
        Method::POST,
        EMAIL_CHALLENGE,
        format!("{EMAILS}/{id}/challenge"),
        token,
    );
    let challenge = s.expect("send a code to the e-mail", c, 201).await;
    let cid = challenge.body["id"]
        .as_str()
        .unwrap_or("missing")
        .to_owned();
    let c = call(
        Method::POST,
        EMAIL_CHALLENGE,
        format!("{EMAILS}/unknown0/challenge"),
        token,
    );
    let a = s.send("send a code to an unknown e-mail", c).await;
    s.expect_example(
        "send a code to an unknown e-mail",
        &a,
        (&Method::POST, EMAIL_CHALLENGE),
        "Email-Resource-Not-Found-404",
    );

    let c = call(
        Method::GET,
        EMAIL_POLL,
        format!("{EMAILS}/{id}/challenge/{cid}"),
        token,
    );
    let a = s.send("poll the e-mail challenge", c).await;
    s.expect_status("poll the e-mail challenge", &a, 200);
    let c = call(
        Method::GET,
        EMAIL_POLL,
        format!("{EMAILS}/{id}/challenge/unknown0"),
        token,
    );
    let a = s.send("poll an unknown challenge", c).await;
    s.expect_example(
        "poll an unknown challenge",
        &a,
        (&Method::GET, EMAIL_POLL),
        "Email-Challenge-Resource-Not-Found-404",
    );

    let code = s.t.last_code("nina.home@example.net").await;
    let mut c = call(
        Method::POST,
        EMAIL_VERIFY,
        format!("{EMAILS}/{id}/challenge/{cid}/verify"),
        token,
    );
    c.json = Some(json!({"verificationCode": wrong(&code)}));
    let a = s.send("a wrong e-mail code", c).await;
    s.expect_example(
        "a wrong e-mail code",
        &a,
        (&Method::POST, EMAIL_VERIFY),
        "User-Failed-To-Answer-Challenge-401",
    );
    let mut c = call(
        Method::POST,
        EMAIL_VERIFY,
        format!("{EMAILS}/{id}/challenge/unknown0/verify"),
        token,
    );
    c.json = Some(json!({"verificationCode": code}));
    let a = s.send("a code for an unknown challenge", c).await;
    s.expect_example(
        "a code for an unknown challenge",
        &a,
        (&Method::POST, EMAIL_VERIFY),
        "Email-Challenge-Resource-Not-Found-404",
    );
    let mut c = call(
        Method::POST,
        EMAIL_VERIFY,
        format!("{EMAILS}/{id}/challenge/{cid}/verify"),
        token,
    );
    c.json = Some(json!({"verificationCode": code}));
    let a = s.send("the right e-mail code", c).await;
    s.expect_status("the right e-mail code", &a, 200);

    s.expect(
        "remove the e-mail",
        call(Method::DELETE, EMAIL, format!("{EMAILS}/{id}"), token),
        204,
    )
    .await;
    let a = s
        .send(
            "remove an unknown e-mail",
            call(Method::DELETE, EMAIL, format!("{EMAILS}/unknown0"), token),
        )
        .await;
    s.expect_example(
        "remove an unknown e-mail",
        &a,
        (&Method::DELETE, EMAIL),
        "Email-Resource-Not-Found-404",
    );
}

/// A phone or e-mail the user already has: 409 E0000157.
async fn duplicates(s: &mut Suite, token: &str) {
    let mut c = call(Method::POST, PHONES, PHONES, token);
    c.json = Some(
        json!({"profile": {"phoneNumber": crate::common::REGISTERED_PHONE}, "sendCode": false, "method": "SMS"}),
    );
    let a = s.send("add a phone already registered", c).await;
    s.expect_example(
        "add a phone already registered",
        &a,
        (&Method::POST, PHONES),
        "Phone-Number-Exists-409",
    );
    let mut c = call(Method::POST, EMAILS, EMAILS, token);
    c.json = Some(
        json!({"profile": {"email": crate::common::REGISTERED_EMAIL}, "sendEmail": false, "role": "SECONDARY"}),
    );
    let a = s.send("add an e-mail already registered", c).await;
    s.expect_example(
        "add an e-mail already registered",
        &a,
        (&Method::POST, EMAILS),
        "Email-Conflict-409",
    );
}

/// Without the version in `Accept`: 406 E0000149. Without a token: 401.
async fn refusals(s: &mut Suite, token: &str) {
    let mut c = call(Method::GET, PHONES, PHONES, token);
    c.accept = None;
    let a = s.send("no okta-version in Accept", c).await;
    s.expect_example(
        "no okta-version in Accept",
        &a,
        (&Method::GET, PHONES),
        "NotAcceptable",
    );
    let mut c = call(Method::GET, EMAILS, EMAILS, token);
    c.accept = None;
    let a = s.send("no okta-version in Accept (e-mails)", c).await;
    s.expect_example(
        "no okta-version in Accept (e-mails)",
        &a,
        (&Method::GET, EMAILS),
        "NotAcceptable",
    );
    let mut c = call(Method::GET, PHONES, PHONES, token);
    c.token = None;
    let a = s.send("no token", c).await;
    s.expect_status("no token", &a, 401);
    let mut c = call(Method::GET, EMAILS, EMAILS, token);
    c.token = None;
    s.expect("no token (e-mails)", c, 401).await;
}

/// Methods registered before IT turned their kind off: sending, verifying and removing are
/// refused with 403 E0000038 too.
async fn disabled_existing(s: &mut Suite) {
    let allowed = r#"methods_allowed = ["email", "mobile_phone", "security_questions"]"#;
    let no_phone = crate::common::start_with(crate::common::seed_with(
        allowed,
        r#"methods_allowed = ["email", "security_questions"]"#,
    ))
    .await;
    let rafael = no_phone.access_token(REGISTERED, SCOPES).await;
    let home = std::mem::replace(&mut s.t, no_phone);
    let listed = s
        .send(
            "list phones where phones are off",
            call(Method::GET, PHONES, PHONES, &rafael),
        )
        .await;
    let id = listed.body[0]["id"]
        .as_str()
        .unwrap_or("missing")
        .to_owned();
    let mut c = call(
        Method::POST,
        PHONE_CHALLENGE,
        format!("{PHONES}/{id}/challenge"),
        &rafael,
    );
    c.json = Some(json!({"method": "SMS"}));
    let a = s.send("send a code where phones are off", c).await;
    s.expect_example(
        "send a code where phones are off",
        &a,
        (&Method::POST, PHONE_CHALLENGE),
        "Phone-Authenticator-Disabled",
    );
    let mut c = call(
        Method::POST,
        PHONE_VERIFY,
        format!("{PHONES}/{id}/verify"),
        &rafael,
    );
    c.json = Some(json!({"verificationCode": "123456"}));
    let a = s.send("verify a code where phones are off", c).await;
    s.expect_example(
        "verify a code where phones are off",
        &a,
        (&Method::POST, PHONE_VERIFY),
        "Phone-Authenticator-Disabled",
    );
    let a = s
        .send(
            "remove a phone where phones are off",
            call(Method::DELETE, PHONE, format!("{PHONES}/{id}"), &rafael),
        )
        .await;
    s.expect_example(
        "remove a phone where phones are off",
        &a,
        (&Method::DELETE, PHONE),
        "Phone-Authenticator-Disabled",
    );

    let no_email = crate::common::start_with(crate::common::seed_with(
        allowed,
        r#"methods_allowed = ["mobile_phone", "security_questions"]"#,
    ))
    .await;
    let rafael = no_email.access_token(REGISTERED, SCOPES).await;
    s.t = no_email;
    let listed = s
        .send(
            "list e-mails where e-mail is off",
            call(Method::GET, EMAILS, EMAILS, &rafael),
        )
        .await;
    let id = email_with_role(&listed.body, "SECONDARY");
    let c = call(
        Method::POST,
        EMAIL_CHALLENGE,
        format!("{EMAILS}/{id}/challenge"),
        &rafael,
    );
    let a = s.send("send an e-mail code where e-mail is off", c).await;
    s.expect_example(
        "send an e-mail code where e-mail is off",
        &a,
        (&Method::POST, EMAIL_CHALLENGE),
        "Secondary-Email",
    );
    let mut c = call(
        Method::POST,
        EMAIL_VERIFY,
        format!("{EMAILS}/{id}/challenge/x/verify"),
        &rafael,
    );
    c.json = Some(json!({"verificationCode": "123456"}));
    let a = s.send("verify an e-mail code where e-mail is off", c).await;
    s.expect_example(
        "verify an e-mail code where e-mail is off",
        &a,
        (&Method::POST, EMAIL_VERIFY),
        "Secondary-Email",
    );
    s.t = home;
}

/// The primary e-mail cannot be removed: 400 `Invalid-Email-Deletion-400`.
async fn primary_email(s: &mut Suite, token: &str) {
    let listed = s
        .send(
            "list e-mails to find the primary",
            call(Method::GET, EMAILS, EMAILS, token),
        )
        .await;
    let id = email_with_role(&listed.body, "PRIMARY");
    let a = s
        .send(
            "remove the primary e-mail",
            call(Method::DELETE, EMAIL, format!("{EMAILS}/{id}"), token),
        )
        .await;
    s.expect_example(
        "remove the primary e-mail",
        &a,
        (&Method::DELETE, EMAIL),
        "Invalid-Email-Deletion-400",
    );
}

fn email_with_role(list: &serde_json::Value, role: &str) -> String {
    list.as_array()
        .into_iter()
        .flatten()
        .find(|e| {
            e["roles"]
                .as_array()
                .is_some_and(|r| r.iter().any(|x| x == role))
        })
        .and_then(|e| e["id"].as_str())
        .unwrap_or("missing")
        .to_owned()
}
