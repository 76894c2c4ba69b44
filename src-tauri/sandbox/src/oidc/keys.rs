//! The tenant's ID-token signing key: RSA 2048, generated at start, published as a JWKS.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::Sha256;

pub struct SigningKeys {
    key: SigningKey<Sha256>,
    public: rsa::RsaPublicKey,
    kid: String,
}

impl SigningKeys {
    pub fn generate() -> Result<SigningKeys, String> {
        let private =
            RsaPrivateKey::new(&mut rand::thread_rng(), 2048).map_err(|e| e.to_string())?;
        let public = private.to_public_key();
        let kid = crate::random::okta_id("kid");
        Ok(SigningKeys {
            key: SigningKey::<Sha256>::new(private),
            public,
            kid,
        })
    }

    /// The JSON Web Key Set (RFC 7517) with the one public key.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [{
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid,
            "n": URL_SAFE_NO_PAD.encode(self.public.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(self.public.e().to_bytes_be()),
        }]})
    }

    /// A compact JWS (RS256) of `claims`.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "RS256", "kid": self.kid, "typ": "JWT" });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self.key.sign(input.as_bytes()).to_vec();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }
}
