//! Microsoft Graph v1.0: every operation Latchkey calls, a success (`2XX`) and a refusal (`4XX`)
//! each, against the Graph subset's schemas (the ODataError for every refusal).

use reqwest::Method;
use serde_json::json;

use crate::common::REGISTERED;
use crate::suite::{Call, Suite, Vendor};

const SCOPES: &str =
    "User.Read UserAuthenticationMethod.ReadWrite Directory.AccessAsUser.All Domain.Read.All";
const METHOD: &str = "/me/authentication/methods/{authenticationMethod-id}";
const PHONES: &str = "/me/authentication/phoneMethods";
const PHONE: &str = "/me/authentication/phoneMethods/{phoneAuthenticationMethod-id}";
const EMAILS: &str = "/me/authentication/emailMethods";
const EMAIL: &str = "/me/authentication/emailMethods/{emailAuthenticationMethod-id}";

fn call<'a>(method: Method, template: &'a str, path: impl AsRef<str>, token: &'a str) -> Call<'a> {
    let mut call = Call::new(
        Vendor::Graph,
        method,
        template,
        format!("/v1.0{}", path.as_ref()),
    );
    call.token = Some(token);
    call
}

pub async fn run(s: &mut Suite) {
    let token = s.t.access_token(REGISTERED, SCOPES).await;
    reads(s, &token).await;
    writes(s, &token).await;
    outage(s, &token).await;
    remove_phone(s, &token).await;
    let none = "not-a-token";
    for (template, path) in [
        ("/me", "/me"),
        ("/me/authentication/methods", "/me/authentication/methods"),
        (PHONES, PHONES),
        (EMAILS, EMAILS),
        ("/domains", "/domains"),
    ] {
        let case = format!("GET {path} without a valid token");
        s.expect(&case, call(Method::GET, template, path, none), 401)
            .await;
    }
}

/// Graph down for maintenance: every operation answers 503 `serviceNotAvailable` with a
/// `Retry-After`, in the ODataError shape.
async fn outage(s: &mut Suite, token: &str) {
    let ops: [(Method, &str, &str); 16] = [
        (Method::GET, "/me", "/me"),
        (
            Method::GET,
            "/me/authentication/methods",
            "/me/authentication/methods",
        ),
        (Method::GET, METHOD, "/me/authentication/methods/x"),
        (Method::GET, PHONES, PHONES),
        (Method::POST, PHONES, PHONES),
        (Method::GET, PHONE, "/me/authentication/phoneMethods/x"),
        (Method::PATCH, PHONE, "/me/authentication/phoneMethods/x"),
        (Method::DELETE, PHONE, "/me/authentication/phoneMethods/x"),
        (Method::GET, EMAILS, EMAILS),
        (Method::POST, EMAILS, EMAILS),
        (Method::GET, EMAIL, "/me/authentication/emailMethods/x"),
        (Method::PATCH, EMAIL, "/me/authentication/emailMethods/x"),
        (Method::DELETE, EMAIL, "/me/authentication/emailMethods/x"),
        (Method::POST, "/me/changePassword", "/me/changePassword"),
        (Method::GET, "/domains", "/domains"),
        (
            Method::GET,
            "/domains/{domain-id}",
            "/domains/contoso.example",
        ),
    ];
    let outage =
        s.t.http
            .post(s.t.url("/sandbox/graph-outage"))
            .json(&json!({"calls": ops.len()}))
            .send()
            .await
            .expect("the sandbox answers");
    assert!(
        outage.status().is_success(),
        "graph-outage: {}",
        outage.status()
    );
    for (method, template, path) in ops {
        let case = format!("{method} {template} during an outage");
        let mut c = call(method.clone(), template, path, token);
        if method != Method::GET && method != Method::DELETE {
            c.json = Some(json!({}));
        }
        let a = s.expect(&case, c, 503).await;
        s.check(
            &format!("{case} says when to retry"),
            match (
                a.headers.get("retry-after"),
                a.body["error"]["code"].as_str(),
            ) {
                (Some(_), Some("serviceNotAvailable")) => Ok(()),
                other => Err(format!("{other:?}")),
            },
        );
    }
}

async fn reads(s: &mut Suite, token: &str) {
    s.expect("me", call(Method::GET, "/me", "/me", token), 200)
        .await;
    let c = call(
        Method::GET,
        "/me",
        "/me?$select=lastPasswordChangeDateTime,passwordPolicies",
        token,
    );
    s.expect("me with $select", c, 200).await;
    s.expect(
        "me with an unknown $select",
        call(Method::GET, "/me", "/me?$select=shoeSize", token),
        400,
    )
    .await;

    let list = s
        .expect(
            "list methods",
            call(
                Method::GET,
                "/me/authentication/methods",
                "/me/authentication/methods",
                token,
            ),
            200,
        )
        .await;
    // The one polymorphic collection: each item must say its type, or a client cannot tell a
    // phone from an authenticator app (the generated schemas' `required` is relaxed elsewhere).
    let untyped: Vec<_> = list.body["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| {
            !m["@odata.type"]
                .as_str()
                .is_some_and(|t| t.starts_with("#microsoft.graph."))
        })
        .collect();
    s.check(
        "every listed method names its @odata.type",
        if untyped.is_empty() {
            Ok(())
        } else {
            Err(format!("{untyped:?}"))
        },
    );
    let first = list.body["value"][0]["id"]
        .as_str()
        .unwrap_or("missing")
        .to_owned();
    s.expect(
        "read a method",
        call(
            Method::GET,
            METHOD,
            format!("/me/authentication/methods/{first}"),
            token,
        ),
        200,
    )
    .await;
    s.expect(
        "read an unknown method",
        call(
            Method::GET,
            METHOD,
            "/me/authentication/methods/00000000-0000-0000-0000-000000000000",
            token,
        ),
        404,
    )
    .await;

    for (template, one, what) in [(PHONES, PHONE, "phone"), (EMAILS, EMAIL, "e-mail")] {
        let list = s
            .expect(
                &format!("list {what} methods"),
                call(Method::GET, template, template, token),
                200,
            )
            .await;
        let id = list.body["value"][0]["id"]
            .as_str()
            .unwrap_or("missing")
            .to_owned();
        s.expect(
            &format!("read the {what} method"),
            call(Method::GET, one, format!("{template}/{id}"), token),
            200,
        )
        .await;
        s.expect(
            &format!("read an unknown {what} method"),
            call(Method::GET, one, format!("{template}/unknown"), token),
            404,
        )
        .await;
    }

    s.expect(
        "list domains",
        call(Method::GET, "/domains", "/domains", token),
        200,
    )
    .await;
    s.expect(
        "read the domain",
        call(
            Method::GET,
            "/domains/{domain-id}",
            "/domains/contoso.example",
            token,
        ),
        200,
    )
    .await;
    s.expect(
        "read an unknown domain",
        call(
            Method::GET,
            "/domains/{domain-id}",
            "/domains/nowhere.example",
            token,
        ),
        404,
    )
    .await;
}

async fn writes(s: &mut Suite, token: &str) {
    // Adding or changing a method is refused to ordinary users in the sandbox's tenant (Graph
    // needs an admin role for these, see `examples/post-phonemethods.json`'s notes).
    let mut c = call(Method::POST, PHONES, PHONES, token);
    c.json = Some(json!({"phoneNumber": "+1 4255550188", "phoneType": "alternateMobile"}));
    s.expect("add a phone method", c, 403).await;
    let mut c = call(Method::POST, EMAILS, EMAILS, token);
    c.json = Some(json!({"emailAddress": "kim@contoso.example"}));
    s.expect("add an e-mail method", c, 403).await;
    for (template, one, what) in [(PHONES, PHONE, "phone"), (EMAILS, EMAIL, "e-mail")] {
        let list = s
            .send(
                &format!("list {what} methods before the change"),
                call(Method::GET, template, template, token),
            )
            .await;
        let id = list.body["value"][0]["id"]
            .as_str()
            .unwrap_or("missing")
            .to_owned();
        let mut c = call(Method::PATCH, one, format!("{template}/{id}"), token);
        c.json = Some(if what == "phone" {
            json!({"phoneNumber": "+1 4255550177"})
        } else {
            json!({"emailAddress": "x@contoso.example"})
        });
        s.expect(&format!("change the {what} method"), c, 403).await;
    }

    let id = {
        let list = s
            .send(
                "list e-mail methods to remove one",
                call(Method::GET, EMAILS, EMAILS, token),
            )
            .await;
        list.body["value"][0]["id"]
            .as_str()
            .unwrap_or("missing")
            .to_owned()
    };
    s.expect(
        "remove the e-mail method",
        call(Method::DELETE, EMAIL, format!("{EMAILS}/{id}"), token),
        204,
    )
    .await;
    s.expect(
        "remove it again",
        call(Method::DELETE, EMAIL, format!("{EMAILS}/{id}"), token),
        404,
    )
    .await;
    s.expect(
        "remove an unknown phone",
        call(Method::DELETE, PHONE, format!("{PHONES}/unknown"), token),
        404,
    )
    .await;

    let mut c = call(
        Method::POST,
        "/me/changePassword",
        "/me/changePassword",
        token,
    );
    c.json = Some(
        json!({"currentPassword": "not the password", "newPassword": "Contract-Check-2026!y"}),
    );
    s.expect("change the password with a wrong current one", c, 400)
        .await;
    let mut c = call(
        Method::POST,
        "/me/changePassword",
        "/me/changePassword",
        token,
    );
    c.json = Some(
        json!({"currentPassword": crate::common::PASSWORD, "newPassword": "Contract-Check-2026!y"}),
    );
    s.expect("change the password", c, 204).await;
}

/// Removing one's own phone (signed in just now, so no MFA is asked again): 204.
async fn remove_phone(s: &mut Suite, token: &str) {
    let list = s
        .send(
            "list phone methods to remove one",
            call(Method::GET, PHONES, PHONES, token),
        )
        .await;
    let id = list.body["value"][0]["id"]
        .as_str()
        .unwrap_or("missing")
        .to_owned();
    s.expect(
        "remove the phone method",
        call(Method::DELETE, PHONE, format!("{PHONES}/{id}"), token),
        204,
    )
    .await;
}
