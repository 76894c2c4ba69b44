//! The scopes the authorization server knows.

/// The scopes this authorization server knows: OpenID's, Okta MyAccount's and, for the Entra
/// flavour, Graph's delegated permissions.
pub(super) const SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "phone",
    "offline_access",
    "okta.myAccount.read",
    "okta.myAccount.manage",
    "okta.myAccount.phone.read",
    "okta.myAccount.phone.manage",
    "okta.myAccount.email.read",
    "okta.myAccount.email.manage",
    "okta.myAccount.password.manage",
    "User.Read",
    "UserAuthenticationMethod.Read",
    "UserAuthenticationMethod.ReadWrite",
    "Domain.Read.All",
    "Directory.AccessAsUser.All",
    "User-PasswordProfile.ReadWrite.All",
];
