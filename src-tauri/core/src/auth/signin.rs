//! The authorization-code flow with PKCE against one OpenID provider.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreErrorResponseType};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, CsrfToken, DiscoveryError,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, JsonWebKeySet, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError,
    Scope, SignatureVerificationError, StandardErrorResponse, TokenResponse,
};
use secrecy::SecretString;

use super::discovery::{discover_microsoft, is_directory_issuer, Metadata};
use super::http::{HttpClient, HttpError};
use super::loopback::{CallbackParams, LoopbackReceiver, RedirectStyle};
use super::tokens::expires_at;
use super::{AuthError, Identity, Session, Tokens};
use crate::locale::Language;
use crate::ports::{BrowserOpener, Clock};

mod refresh;
mod userinfo;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Leeway for ID-token times, so a slightly fast or slow clock still signs in.
const CLOCK_LEEWAY: Duration = Duration::from_secs(5 * 60);

/// Which kind of OpenID provider: a standard one, or the Microsoft identity platform with its
/// documented differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Platform {
    #[default]
    Standard,
    /// Microsoft identity platform v2.0: the app registration's redirect is `http://localhost`
    /// (any port); the discovery document's issuer names the directory id even when the
    /// authority is a domain, and `{tenantid}` for `organizations`; `prompt=consent` would ask
    /// every user for consent an administrator already granted.
    Microsoft,
}

#[derive(Debug, Clone)]
pub struct SignInSettings {
    pub client_id: String,
    /// Besides `openid`, which is always asked for.
    pub scopes: Vec<String>,
    /// How long to wait for the browser to come back.
    pub timeout: Duration,
    /// A fixed loopback port, for providers that insist on one; ephemeral otherwise.
    pub redirect_port: Option<u16>,
    /// The language of the page the browser shows at the end.
    pub language: Language,
    pub platform: Platform,
}

/// How fresh the user's authentication at the provider must be for this sign-in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Freshness {
    /// OIDC `max_age`: the provider re-authenticates a user whose session is older.
    pub max_age: Option<Duration>,
    /// OIDC `prompt=login`: the provider authenticates the user again whatever session it has.
    pub login_again: bool,
}

pub struct SignIn {
    /// Rebuilt only when the provider signs with a key it had not published at discovery.
    client: std::sync::RwLock<Client>,
    /// Discovery's document, kept to fetch the keys again from its `jwks_uri`.
    metadata: Metadata,
    issuer: IssuerUrl,
    /// `organizations`: the ID token's issuer is the user's directory, checked by shape.
    issuer_per_tenant: bool,
    iss_parameter_required: bool,
    settings: SignInSettings,
    http: HttpClient,
    clock: Arc<dyn Clock>,
}

impl SignIn {
    /// Reads the provider's metadata with OpenID discovery. The document must name the issuer
    /// we asked for (OpenID Discovery §4.3), and the provider must offer PKCE S256.
    pub async fn discover(
        issuer: &str,
        settings: SignInSettings,
        http: HttpClient,
        clock: Arc<dyn Clock>,
    ) -> Result<SignIn, AuthError> {
        if settings.platform == Platform::Microsoft {
            let metadata = discover_microsoft(issuer, &http).await?;
            return SignIn::from_metadata(metadata, settings, http, clock);
        }
        let issuer_url = IssuerUrl::new(issuer.to_owned()).map_err(|_| AuthError::Misconfigured)?;
        let metadata = Metadata::discover_async(issuer_url, &http)
            .await
            .map_err(|e| match e {
                DiscoveryError::Request(e) => AuthError::Http(e),
                DiscoveryError::Validation(_) => AuthError::IssuerMismatch,
                DiscoveryError::Response(..) | DiscoveryError::Parse(_) => AuthError::BadResponse,
                _ => AuthError::BadResponse,
            })?;
        SignIn::from_metadata(metadata, settings, http, clock)
    }

    fn from_metadata(
        metadata: Metadata,
        settings: SignInSettings,
        http: HttpClient,
        clock: Arc<dyn Clock>,
    ) -> Result<SignIn, AuthError> {
        let extra = metadata.additional_metadata();
        // RFC 7636 §7.2 / RFC 9700 §2.1.1: never downgrade to `plain`.
        if let Some(methods) = &extra.code_challenge_methods_supported {
            if !methods.iter().any(|m| m == "S256") {
                return Err(AuthError::PkceUnsupported);
            }
        }
        if metadata.token_endpoint().is_none() {
            return Err(AuthError::Misconfigured);
        }
        let iss_parameter_required = extra
            .authorization_response_iss_parameter_supported
            .unwrap_or(false);
        let issuer = metadata.issuer().clone();
        let issuer_per_tenant = issuer.as_str().contains("/{tenantid}/");
        let client = CoreClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(settings.client_id.clone()),
            None,
        );
        Ok(SignIn {
            client: std::sync::RwLock::new(client),
            metadata,
            issuer,
            issuer_per_tenant,
            iss_parameter_required,
            settings,
            http,
            clock,
        })
    }

    /// Binds the loopback receiver and prepares the authorization URL; the caller then opens
    /// it with [`PendingSignIn::open_browser`] (and can still show it if that fails).
    pub async fn start(&self, login_hint: Option<&str>) -> Result<PendingSignIn<'_>, AuthError> {
        self.start_fresh(login_hint, Freshness::default()).await
    }

    /// [`SignIn::start`], asking the provider for an authentication no older than
    /// `fresh.max_age` (OIDC `max_age`) and, with `fresh.login_again`, for a new one whatever
    /// session it has (`prompt=login`): proof of presence before an account change (T47).
    pub async fn start_fresh(
        &self,
        login_hint: Option<&str>,
        fresh: Freshness,
    ) -> Result<PendingSignIn<'_>, AuthError> {
        let style = match self.settings.platform {
            Platform::Standard => RedirectStyle::LoopbackIp,
            Platform::Microsoft => RedirectStyle::Localhost,
        };
        let receiver = LoopbackReceiver::bind(self.settings.redirect_port, style).await?;
        let redirect =
            RedirectUrl::new(receiver.redirect_uri()).map_err(|_| AuthError::Misconfigured)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let client = self.client();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge)
            .set_redirect_uri(std::borrow::Cow::Owned(redirect.clone()));
        for scope in &self.settings.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let kept = self.settings.scopes.iter().any(|s| s == "offline_access");
        // Providers drop offline_access without an explicit consent prompt.
        let consent = kept && self.settings.platform == Platform::Standard;
        let prompt: Vec<&str> = [(fresh.login_again, "login"), (consent, "consent")]
            .into_iter()
            .filter_map(|(wanted, value)| wanted.then_some(value))
            .collect();
        if !prompt.is_empty() {
            request = request.add_extra_param("prompt", prompt.join(" "));
        }
        if let Some(max_age) = fresh.max_age {
            request = request.add_extra_param("max_age", max_age.as_secs().to_string());
        }
        if let Some(hint) = login_hint {
            request = request.add_extra_param("login_hint", hint.to_owned());
        }
        let (url, state, nonce) = request.url();
        Ok(PendingSignIn {
            signin: self,
            receiver,
            url: url.to_string(),
            state,
            nonce,
            verifier,
            redirect,
        })
    }

    fn tokens_from(&self, response: &openidconnect::core::CoreTokenResponse) -> Tokens {
        Tokens {
            access_token: SecretString::from(response.access_token().secret().to_owned()),
            refresh_token: response
                .refresh_token()
                .map(|t| SecretString::from(t.secret().to_owned())),
            expires_at: response
                .expires_in()
                .and_then(|d| expires_at(self.clock.now(), d)),
        }
    }
}

/// A sign-in waiting for the browser. Owns the PKCE verifier, the state and the nonce; they
/// are dropped with it whatever the outcome.
pub struct PendingSignIn<'a> {
    signin: &'a SignIn,
    receiver: LoopbackReceiver,
    url: String,
    state: CsrfToken,
    nonce: Nonce,
    verifier: PkceCodeVerifier,
    redirect: RedirectUrl,
}

impl PendingSignIn<'_> {
    /// The authorization URL, for "Open the browser again" and copying by hand.
    pub fn authorize_url(&self) -> &str {
        &self.url
    }

    /// The loopback port waiting for the redirect.
    pub fn port(&self) -> u16 {
        self.receiver.port()
    }

    pub fn open_browser(&self, opener: &dyn BrowserOpener) -> Result<(), AuthError> {
        opener
            .open(&self.url)
            .map_err(|_| AuthError::BrowserUnavailable)
    }

    /// Waits for the redirect (until the timeout or `cancelled` resolves), checks it, redeems
    /// the code and verifies the ID token. The listener is closed when this returns.
    pub async fn finish(self, cancelled: impl Future<Output = ()>) -> Result<Session, AuthError> {
        let PendingSignIn {
            signin,
            receiver,
            state,
            nonce,
            verifier,
            redirect,
            ..
        } = self;
        let params = tokio::select! {
            // Only the callback with this state ends the wait; check_callback checks it again.
            received = receiver.receive(signin.settings.language, state.clone()) => received?,
            () = tokio::time::sleep(signin.settings.timeout) => return Err(AuthError::TimedOut),
            () = cancelled => return Err(AuthError::Cancelled),
        };
        let code = signin.check_callback(&params, &state)?;
        let response = signin
            .client()
            .exchange_code(code)
            .map_err(|_| AuthError::Misconfigured)?
            .set_pkce_verifier(verifier)
            .set_redirect_uri(std::borrow::Cow::Owned(redirect))
            .request_async(&signin.http)
            .await
            .map_err(token_error)?;
        let identity = signin.identity(&response, Some(&nonce)).await?;
        let tokens = signin.tokens_from(&response);
        Ok(Session {
            identity: signin.completed(identity, &tokens.access_token).await,
            tokens,
        })
    }
}

impl SignIn {
    /// The client as discovery (or the last key refresh) left it.
    fn client(&self) -> Client {
        self.client
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Who signed in, from the verified ID token. A token signed with a key id the provider
    /// had not published at discovery (a key rotation since) earns one fresh read of its keys.
    async fn identity(
        &self,
        response: &openidconnect::core::CoreTokenResponse,
        nonce: Option<&Nonce>,
    ) -> Result<Identity, AuthError> {
        match self.identity_from(response, nonce) {
            Err(Unverified::KeyUnknown) => {
                self.refresh_keys().await?;
                self.identity_from(response, nonce).map_err(AuthError::from)
            }
            other => other.map_err(AuthError::from),
        }
    }

    async fn refresh_keys(&self) -> Result<(), AuthError> {
        let jwks = JsonWebKeySet::fetch_async(self.metadata.jwks_uri(), &self.http)
            .await
            .map_err(|e| match e {
                DiscoveryError::Request(e) => AuthError::Http(e),
                _ => AuthError::BadResponse,
            })?;
        let client = CoreClient::from_provider_metadata(
            self.metadata.clone().set_jwks(jwks),
            ClientId::new(self.settings.client_id.clone()),
            None,
        );
        *self
            .client
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = client;
        Ok(())
    }

    /// Verifies the response's ID token (signature, issuer, audience, times, and the nonce when
    /// the sign-in sent one) and reads who signed in.
    fn identity_from(
        &self,
        response: &openidconnect::core::CoreTokenResponse,
        nonce: Option<&Nonce>,
    ) -> Result<Identity, Unverified> {
        let id_token = response.id_token().ok_or(AuthError::InvalidIdToken)?;
        let clock = self.clock.clone();
        let client = self.client();
        let verifier = client
            .id_token_verifier()
            .require_issuer_match(!self.issuer_per_tenant)
            .set_time_fn(move || chrono::DateTime::<chrono::Utc>::from(clock.now()));
        let claims = match nonce {
            Some(nonce) => id_token.claims(&verifier, nonce),
            // OIDC Core §12.2: a refreshed ID token carries no new nonce to check.
            None => id_token.claims(&verifier, |_: Option<&Nonce>| Ok(())),
        }
        .map_err(|e| match e {
            ClaimsVerificationError::Expired(_) => Unverified::Failed(AuthError::ClockSkew),
            ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            ) => Unverified::KeyUnknown,
            _ => Unverified::Failed(AuthError::InvalidIdToken),
        })?;
        if self.issuer_per_tenant
            && !is_directory_issuer(self.issuer.as_str(), claims.issuer().as_str())
        {
            return Err(AuthError::IssuerMismatch.into());
        }
        // openidconnect allows no leeway on `iat`; a token issued in our future means a skewed
        // clock. Compared as chrono times: `iat` may be any year chrono reads, which not every
        // platform's SystemTime can hold (Windows' starts in 1601).
        let latest = chrono::DateTime::<chrono::Utc>::from(self.clock.now())
            .checked_add_signed(chrono::TimeDelta::from_std(CLOCK_LEEWAY).unwrap_or_default());
        if latest.is_some_and(|latest| claims.issue_time() > latest) {
            return Err(AuthError::ClockSkew.into());
        }
        Ok(Identity {
            subject: claims.subject().to_string(),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string()),
            email: claims.email().map(|e| e.to_string()),
            username: claims.preferred_username().map(|u| u.to_string()),
            auth_time: claims.auth_time(),
        })
    }

    /// RFC 6749 §4.1.2 and RFC 9207: state first, then issuer, then error or code.
    fn check_callback(
        &self,
        params: &CallbackParams,
        state: &CsrfToken,
    ) -> Result<AuthorizationCode, AuthError> {
        // Constant-time comparison (timing-resistant-secret-traits).
        let state_matches = params
            .state
            .as_ref()
            .is_some_and(|s| CsrfToken::new(s.clone()) == *state);
        if !state_matches {
            return Err(AuthError::StateMismatch);
        }
        match &params.iss {
            Some(iss) if iss != self.issuer.as_str() => return Err(AuthError::IssuerMismatch),
            None if self.iss_parameter_required => return Err(AuthError::IssuerMismatch),
            _ => {}
        }
        if let Some(error) = &params.error {
            return Err(AuthError::from_oauth(
                error,
                params.error_description.as_deref(),
            ));
        }
        params
            .code
            .as_ref()
            .filter(|c| !c.is_empty())
            .map(|c| AuthorizationCode::new(c.clone()))
            .ok_or(AuthError::MissingCode)
    }
}

/// Why an ID token was not accepted: a key the cached set does not have, or a failure.
enum Unverified {
    KeyUnknown,
    Failed(AuthError),
}

impl From<AuthError> for Unverified {
    fn from(e: AuthError) -> Self {
        Unverified::Failed(e)
    }
}

impl From<Unverified> for AuthError {
    fn from(u: Unverified) -> Self {
        match u {
            Unverified::KeyUnknown => AuthError::InvalidIdToken,
            Unverified::Failed(e) => e,
        }
    }
}

fn token_error(
    e: RequestTokenError<HttpError, StandardErrorResponse<CoreErrorResponseType>>,
) -> AuthError {
    match e {
        // Entra sends consent, Conditional Access and MFA refusals with an AADSTS code.
        RequestTokenError::ServerResponse(response) => AuthError::from_token_error(
            response.error().as_ref(),
            response.error_description().map(String::as_str),
            &[],
        ),
        RequestTokenError::Request(e) => AuthError::Http(e),
        RequestTokenError::Parse(..) | RequestTokenError::Other(_) => AuthError::BadResponse,
    }
}
