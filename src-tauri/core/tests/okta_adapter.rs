//! The Okta adapter against the sandbox tenant over loopback HTTP: recovery by SMS, call and
//! e-mail with the question step, MyAccount registration, and each refusal in the user's terms.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

#[path = "../../sandbox/tests/common/mod.rs"]
#[allow(clippy::unwrap_used)]
mod sandbox;

use latchkey_core::auth::http::{HttpClient, Timeouts};
use latchkey_core::providers::okta::myaccount::Delivery;
use latchkey_core::providers::okta::Okta;
use latchkey_core::providers::reason::Reason;
use latchkey_core::providers::recovery::{Recovery, RecoveryFactor, RecoveryStep};
use latchkey_core::providers::ProviderError;
use sandbox::*;
use secrecy::SecretString;

fn okta(t: &Tenant) -> Okta {
    let http = HttpClient::new(Timeouts::default()).expect("client");
    Okta::for_issuer(&t.sandbox.issuer(), http).expect("okta")
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

#[tokio::test]
async fn recovery_by_sms_then_question_then_new_password() {
    let t = start().await;
    let okta = okta(&t);
    let RecoveryStep::CodeSent { state, factor } = okta
        .recovery_start(REGISTERED, RecoveryFactor::Sms)
        .await
        .expect("start")
    else {
        panic!("a code was not sent")
    };
    assert_eq!(factor, RecoveryFactor::Sms);
    let code = t.last_code(REGISTERED_PHONE).await;
    assert_eq!(
        okta.recovery_verify(&state, factor, &secret(&wrong(&code)))
            .await
            .unwrap_err(),
        ProviderError::WrongCode
    );
    let RecoveryStep::Question { state, question } = okta
        .recovery_verify(&state, factor, &secret(&code))
        .await
        .expect("verify")
    else {
        panic!("no question")
    };
    assert_eq!(question, "What is the name of your first pet?");
    assert_eq!(
        okta.recovery_answer(&state, &secret("Rex"))
            .await
            .unwrap_err(),
        ProviderError::WrongAnswer
    );
    let RecoveryStep::NewPassword { state, rules } = okta
        .recovery_answer(&state, &secret("biscuit"))
        .await
        .expect("answer")
    else {
        panic!("no new password step")
    };
    assert_eq!(rules.min_length, 8);
    assert!(rules.exclude_username);
    // authn-recovery.json, reset_password: 403 E0000014, "Passwords must have at least 8
    // characters, …" — each requirement a reason in the user's words, Okta's kept as detail.
    let refused = okta
        .reset_password(&state, &secret("short"))
        .await
        .unwrap_err();
    match &refused {
        ProviderError::PasswordRejected { reasons } => {
            assert!(reasons[0].contains("at least 8 characters"), "{reasons:?}")
        }
        other => panic!("{other:?}"),
    }
    let reasons = refused.reasons();
    assert_eq!(reasons[0].reason, Reason::MinLength);
    assert_eq!(reasons[0].count, Some(8));
    assert_eq!(reasons[0].detail, "at least 8 characters");
    assert!(matches!(
        okta.reset_password(&state, &secret("Ünïcode-Otter-42"))
            .await,
        Ok(RecoveryStep::Done)
    ));
    assert_eq!(
        okta.recovery_answer(&state, &secret("biscuit"))
            .await
            .unwrap_err(),
        ProviderError::SessionExpired
    );
}

#[tokio::test]
async fn recovery_by_email_code() {
    let t = start().await;
    let okta = okta(&t);
    assert!(matches!(
        okta.recovery_start(REGISTERED, RecoveryFactor::Email).await,
        Ok(RecoveryStep::EmailSent)
    ));
    let token = t.last_code(REGISTERED_EMAIL).await;
    assert!(matches!(
        okta.recovery_redeem(&secret(&token)).await,
        Ok(RecoveryStep::Question { .. })
    ));
    assert_eq!(
        okta.recovery_redeem(&secret(&token)).await.unwrap_err(),
        ProviderError::SessionExpired
    );
}

#[tokio::test]
async fn resend_limits_expiry_and_spent_codes() {
    let t = start().await;
    let okta = okta(&t);
    let RecoveryStep::CodeSent { state, factor } = okta
        .recovery_start(REGISTERED, RecoveryFactor::Call)
        .await
        .expect("start")
    else {
        panic!()
    };
    match okta.recovery_resend(&state, factor).await.unwrap_err() {
        ProviderError::RateLimited { retry_after } => {
            assert!((1..=30).contains(&retry_after), "{retry_after}")
        }
        other => panic!("{other:?}"),
    }
    let code = t.last_code(REGISTERED_PHONE).await;
    // Okta documents one refusal of a recovery code (403 E0000068), expired codes included.
    t.advance_clock(601).await;
    assert_eq!(
        okta.recovery_verify(&state, factor, &secret(&code))
            .await
            .unwrap_err(),
        ProviderError::WrongCode
    );
    assert!(okta.recovery_resend(&state, factor).await.is_ok());
    let code = t.last_code(REGISTERED_PHONE).await;
    for _ in 0..5 {
        assert_eq!(
            okta.recovery_verify(&state, factor, &secret(&wrong(&code)))
                .await
                .unwrap_err(),
            ProviderError::WrongCode
        );
    }
    // The fifth failure ended the transaction: the state token's 401 E0000011.
    assert_eq!(
        okta.recovery_verify(&state, factor, &secret(&code))
            .await
            .unwrap_err(),
        ProviderError::SessionExpired
    );
}

#[tokio::test]
async fn starting_too_often_is_rate_limited() {
    let t = start().await;
    let okta = okta(&t);
    for _ in 0..5 {
        okta.recovery_start(NEW_USER, RecoveryFactor::Sms)
            .await
            .expect("start");
    }
    assert!(matches!(
        okta.recovery_start(NEW_USER, RecoveryFactor::Sms).await,
        Err(ProviderError::RateLimited { .. })
    ));
}

#[tokio::test]
async fn registration_of_a_phone_and_an_email() {
    let t = start().await;
    let okta = okta(&t);
    let token = secret(
        &t.access_token(
            NEW_USER,
            "okta.myAccount.phone.manage okta.myAccount.email.manage",
        )
        .await,
    );
    assert!(okta.phones(&token).await.expect("phones").is_empty());
    assert_eq!(
        okta.add_phone(&token, "+12", Delivery::Sms)
            .await
            .unwrap_err(),
        ProviderError::PhoneRefused
    );
    let phone = okta
        .add_phone(&token, "+33612345678", Delivery::Sms)
        .await
        .expect("add");
    assert!(!phone.verified);
    assert!(matches!(
        okta.send_phone_code(&token, &phone.id, Delivery::Call)
            .await,
        Err(ProviderError::RateLimited { .. })
    ));
    let code = t.last_code("+33612345678").await;
    assert_eq!(
        okta.verify_phone(&token, &phone.id, &secret(&wrong(&code)))
            .await
            .unwrap_err(),
        ProviderError::WrongCode
    );
    okta.verify_phone(&token, &phone.id, &secret(&code))
        .await
        .expect("verify");
    assert!(okta.phones(&token).await.expect("phones")[0].verified);

    assert_eq!(
        okta.add_email(&token, "not-an-address").await.unwrap_err(),
        ProviderError::EmailRefused
    );
    let email = okta
        .add_email(&token, "nina@example.net")
        .await
        .expect("add email");
    let challenge = okta
        .send_email_code(&token, &email.id)
        .await
        .expect("challenge");
    let code = t.last_code("nina@example.net").await;
    okta.verify_email(&token, &email.id, &challenge, &secret(&code))
        .await
        .expect("verify email");
    let emails = okta.emails(&token).await.expect("emails");
    assert!(emails
        .iter()
        .any(|e| e.address == "nina@example.net" && e.verified && !e.primary));
    okta.remove_email(&token, &email.id).await.expect("remove");
    okta.remove_phone(&token, &phone.id)
        .await
        .expect("remove phone");

    assert_eq!(
        okta.phones(&secret("forged")).await.unwrap_err(),
        ProviderError::SignInRequired
    );
    let read_only = secret(&t.access_token(NEW_USER, "okta.myAccount.phone.read").await);
    // E0000006, with Okta's errorId for the helpdesk.
    assert!(matches!(
        okta.add_phone(&read_only, "+33612345679", Delivery::Sms)
            .await
            .unwrap_err(),
        ProviderError::PermissionMissing {
            permission: None,
            request_id: Some(_)
        }
    ));
}

/// MyAccount's documented refusals, through the client: a wrong code is never "sign in again"
/// (User-Failed-To-Answer-Challenge-401), a method already there is a conflict
/// (Phone-Number-Exists-409, Email-Conflict-409), a spent code needs a new one
/// (Invalid-Transaction-409), and the wait of a 429 comes from X-Rate-Limit-Reset.
#[tokio::test]
async fn myaccount_refusals_in_the_users_terms() {
    let t = start().await;
    let okta = okta(&t);
    let token = secret(
        &t.access_token(
            NEW_USER,
            "okta.myAccount.phone.manage okta.myAccount.email.manage",
        )
        .await,
    );
    let phone = okta
        .add_phone(&token, "+33612345678", Delivery::Sms)
        .await
        .expect("add");
    assert_eq!(
        okta.add_phone(&token, "+33 6 12 34 56 78", Delivery::Sms)
            .await
            .unwrap_err(),
        ProviderError::AlreadyRegistered
    );
    match okta.send_phone_code(&token, &phone.id, Delivery::Sms).await {
        Err(ProviderError::RateLimited { retry_after }) => {
            assert!((1..=30).contains(&retry_after), "{retry_after}")
        }
        other => panic!("{other:?}"),
    }
    let code = t.last_code("+33612345678").await;
    for _ in 0..4 {
        assert_eq!(
            okta.verify_phone(&token, &phone.id, &secret(&wrong(&code)))
                .await
                .unwrap_err(),
            ProviderError::WrongCode
        );
    }
    assert_eq!(
        okta.verify_phone(&token, &phone.id, &secret(&wrong(&code)))
            .await
            .unwrap_err(),
        ProviderError::CodeSpent,
        "the fifth failure voids the challenge"
    );
    assert_eq!(
        okta.add_email(&token, NEW_USER).await.unwrap_err(),
        ProviderError::AlreadyRegistered
    );
    let email = okta
        .add_email(&token, "nina@example.net")
        .await
        .expect("add email");
    assert_eq!(
        okta.add_email(&token, "nina.other@example.net")
            .await
            .unwrap_err(),
        ProviderError::MethodLimitReached
    );
    let challenge = okta
        .send_email_code(&token, &email.id)
        .await
        .expect("challenge");
    let code = t.last_code("nina@example.net").await;
    assert_eq!(
        okta.verify_email(&token, &email.id, &challenge, &secret(&wrong(&code)))
            .await
            .unwrap_err(),
        ProviderError::WrongCode
    );
    assert_eq!(
        okta.verify_email(&token, &email.id, "gone", &secret(&code))
            .await
            .unwrap_err(),
        ProviderError::CodeSpent,
        "Email-Challenge-Resource-Not-Found-404"
    );
    okta.remove_phone(&token, &phone.id).await.expect("remove");
    assert_eq!(
        okta.remove_phone(&token, &phone.id).await.unwrap_err(),
        ProviderError::MethodGone,
        "Invalid-Phone-Factor-Id-404"
    );
}

#[tokio::test]
async fn an_unreachable_org_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let http = HttpClient::new(Timeouts::default()).expect("client");
    let okta =
        Okta::for_issuer(&format!("http://127.0.0.1:{port}/oauth2/default"), http).expect("okta");
    assert_eq!(
        okta.recovery_start(REGISTERED, RecoveryFactor::Sms)
            .await
            .unwrap_err()
            .code(),
        latchkey_core::ErrorCode::ProviderUnreachable
    );
}

#[tokio::test]
async fn onboarding_adds_a_phone_and_an_email_until_the_policy_is_met() {
    use latchkey_core::dto::{Delivery as D, MethodKind};
    use latchkey_core::journeys::onboarding::{Reconfirm, Registration};
    use latchkey_core::record::LocalRecord;
    let t = start().await;
    let token = secret(
        &t.access_token(
            NEW_USER,
            "okta.myAccount.phone.manage okta.myAccount.email.manage",
        )
        .await,
    );
    let dir = tempfile::tempdir().expect("dir");
    let record = LocalRecord::at(dir.path());
    let reconfirm = Reconfirm {
        every_days: 180,
        record: Some(record.clone()),
    };
    let mut r = Registration::new(std::sync::Arc::new(okta(&t)), 2, reconfirm);
    let view = r.view(&token).await.expect("view");
    assert!(
        view.methods.is_empty() && !view.complete,
        "the primary address does not count"
    );
    assert_eq!(
        r.add_phone(&token, "FR", "06 12", D::Sms)
            .await
            .unwrap_err(),
        ProviderError::PhoneRefused
    );
    let view = r
        .add_phone(&token, "FR", "06 12 34 56 78", D::Sms)
        .await
        .expect("add phone");
    let pending = view.pending.expect("pending");
    assert_eq!(pending.masked, "+33 •• •• •• •• 78");
    let code = t.last_code("+33612345678").await;
    assert_eq!(
        r.confirm(&token, &secret(&wrong(&code))).await.unwrap_err(),
        ProviderError::WrongCode
    );
    // Typed with spaces and fullwidth digits, the code still works.
    let typed: String = code
        .chars()
        .map(|c| char::from_u32(0xFF10 + c.to_digit(10).expect("digit")).expect("char"))
        .collect();
    let view = r
        .confirm(&token, &secret(&format!(" {typed} ")))
        .await
        .expect("confirm");
    assert_eq!(view.methods.len(), 1);
    assert!(!view.complete);
    // Abandoning an e-mail removes it at the provider.
    r.add_email(&token, "nina@example.net")
        .await
        .expect("add email");
    let view = r.cancel(&token).await.expect("cancel");
    assert!(view.pending.is_none());
    let view = r
        .add_email(&token, "nina@example.net")
        .await
        .expect("add again");
    assert_eq!(view.pending.expect("pending").masked, "n•••@example.net");
    let code = t.last_code("nina@example.net").await;
    let view = r
        .confirm(&token, &secret(&code))
        .await
        .expect("confirm email");
    assert!(view.complete);
    assert!(!view.reconfirm_due, "just confirmed by code");
    assert!(record.last_confirmed().is_some());
    assert_eq!(
        view.methods.iter().map(|m| m.kind).collect::<Vec<_>>(),
        vec![MethodKind::Phone, MethodKind::Email]
    );
}

#[tokio::test]
async fn a_registered_user_is_asked_to_reconfirm_when_this_computer_does_not_know_and_can_say_yes()
{
    use latchkey_core::journeys::onboarding::{Reconfirm, Registration};
    use latchkey_core::record::LocalRecord;
    let t = start().await;
    let token = secret(
        &t.access_token(
            REGISTERED,
            "okta.myAccount.phone.read okta.myAccount.email.read",
        )
        .await,
    );
    let dir = tempfile::tempdir().expect("dir");
    let reconfirm = Reconfirm {
        every_days: 180,
        record: Some(LocalRecord::at(dir.path())),
    };
    let mut r = Registration::new(std::sync::Arc::new(okta(&t)), 2, reconfirm);
    let view = r.view(&token).await.expect("view");
    assert!(view.complete && view.reconfirm_due);
    let view = r.reconfirm(&token).await.expect("reconfirm");
    assert!(!view.reconfirm_due);
    let written = std::fs::read_to_string(dir.path().join("record.toml")).expect("record");
    assert!(
        !written.contains("+1") && !written.contains('@'),
        "nothing sensitive: {written}"
    );
}

#[tokio::test]
async fn a_confirmed_method_can_be_removed() {
    use latchkey_core::dto::MethodKind;
    use latchkey_core::journeys::onboarding::{Reconfirm, Registration};
    let t = start().await;
    let token = secret(
        &t.access_token(
            REGISTERED,
            "okta.myAccount.phone.manage okta.myAccount.email.manage",
        )
        .await,
    );
    let reconfirm = Reconfirm {
        every_days: 0,
        record: None,
    };
    let mut r = Registration::new(std::sync::Arc::new(okta(&t)), 2, reconfirm);
    let view = r.view(&token).await.expect("view");
    let email = view
        .methods
        .iter()
        .find(|m| m.kind == MethodKind::Email)
        .expect("Rafael's e-mail")
        .id
        .clone();
    let view = r.remove(&token, &email).await.expect("removed");
    assert!(!view.complete);
    assert!(view.methods.iter().all(|m| m.kind == MethodKind::Phone));
}
