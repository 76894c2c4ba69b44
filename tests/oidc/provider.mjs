// An independent OpenID Provider for Latchkey's sign-in tests: panva's oidc-provider (OpenID
// Certified), unmodified, on loopback. Only the interaction (login + consent) is scripted so a
// test's user agent can complete it by following redirects:
//   login_hint=<user>   signs in <user> and grants what the client asked for
//   login_hint=deny     ends the interaction with access_denied
// Prints one JSON line {"ready":true,"issuer":...} once it listens.
//
// LATCHKEY_TEST_ROTATE=1 plays a key rotation that happened after the client's discovery: the
// first read of /jwks answers with the previous key only (what a client cached earlier), later
// reads with the key the provider signs with now. GET /test/jwks-reads says how many reads came.
//
// LATCHKEY_TEST_TAMPER=aud makes the provider misbehave on purpose: ID tokens from the token
// endpoint are re-signed with the provider's own key and a foreign audience, which no
// conforming provider does, so the client's audience check can be tested.
// LATCHKEY_TEST_TAMPER=ancient re-signs them with `iat` in year 1 and `exp` in 9999, and
// LATCHKEY_TEST_TAMPER=future with `iat` in 9999: the extreme times a provider can send.
//
// LATCHKEY_TEST_REFRESH=no-id-token answers the refresh grant without an ID token (OIDC Core
// §12.2 allows it); LATCHKEY_TEST_REFRESH=bad-id-token with one for a foreign audience;
// LATCHKEY_TEST_REFRESH=unrotated without a refresh token (the one used stays valid, RFC 6749 §6).
// LATCHKEY_TEST_EXPIRES_IN=<digits> writes that `expires_in` into every token response, as is
// (18446744073709551615 is past what a JavaScript number holds).
//
// ID tokens carry only `sub` (oidc-provider's default `conformIdTokenClaims`: the display
// claims are at the UserInfo endpoint, /me); LATCHKEY_TEST_CLAIMS=id-token puts them in the ID
// token too. LATCHKEY_TEST_USERINFO=other-sub answers /me about another user, =fail with a 500,
// =slow only after 10 s. GET /test/userinfo-reads says how many /me requests came.
import http from "node:http";
import { generateKeyPairSync } from "node:crypto";
import Provider from "oidc-provider";
import * as jose from "jose";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-key", use: "sig", alg: "RS256" };
const tamper = process.env.LATCHKEY_TEST_TAMPER ?? "";
const rotate = process.env.LATCHKEY_TEST_ROTATE === "1";
const previous = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
const previousJwk = { ...previous.export({ format: "jwk" }), kid: "previous-key", use: "sig", alg: "RS256" };
let jwksReads = 0;
const refreshMode = process.env.LATCHKEY_TEST_REFRESH ?? "";
const userinfoMode = process.env.LATCHKEY_TEST_USERINFO ?? "";
const expiresIn = process.env.LATCHKEY_TEST_EXPIRES_IN ?? "";
let userinfoReads = 0;

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "latchkey",
        application_type: "native",
        token_endpoint_auth_method: "none",
        redirect_uris: ["http://127.0.0.1/callback"],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
      },
    ],
    pkce: { required: () => true },
    jwks: { keys: [jwk] },
    cookies: { keys: ["latchkey-test-only-cookie-key"] },
    features: { devInteractions: { enabled: false } },
    scopes: ["openid", "offline_access", "profile", "email"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, name: sub, email: `${sub}@contoso.example`, email_verified: true }),
    }),
    // Refresh tokens for public native clients are allowed when offline_access was granted.
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed("refresh_token") && code.scopes.has("offline_access"),
    rotateRefreshToken: refreshMode !== "unrotated",
    conformIdTokenClaims: process.env.LATCHKEY_TEST_CLAIMS !== "id-token",
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, RefreshToken: 3600, Interaction: 600, Session: 600, Grant: 3600 },
  });
  provider.on("server_error", (_ctx, err) => console.error("server_error", err.message));
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method === "POST" && ctx.path === "/token" && ctx.status === 200) await retouchTokenBody(ctx);
  });

  const callback = provider.callback();
  server.on("request", async (req, res) => {
    try {
      if (req.method === "GET" && req.url.startsWith("/interaction/")) {
        return await interact(provider, req, res);
      }
      if (rotate && req.method === "GET" && req.url === "/test/jwks-reads") {
        res.setHeader("content-type", "application/json");
        return res.end(JSON.stringify({ reads: jwksReads }));
      }
      if (rotate && req.method === "GET" && req.url === "/jwks") {
        jwksReads += 1;
        if (jwksReads === 1) {
          res.setHeader("content-type", "application/jwk-set+json");
          return res.end(JSON.stringify({ keys: [previousJwk] }));
        }
      }
      if (req.url === "/test/userinfo-reads") {
        res.setHeader("content-type", "application/json");
        return res.end(JSON.stringify({ reads: userinfoReads }));
      }
      if (req.url === "/me" || req.url.startsWith("/me?")) {
        userinfoReads += 1;
        if (userinfoMode === "other-sub") {
          res.setHeader("content-type", "application/json");
          return res.end(JSON.stringify({ sub: "mallory", name: "Mallory", email: "mallory@elsewhere.example" }));
        }
        if (userinfoMode === "fail") {
          res.statusCode = 500;
          return res.end();
        }
        if (userinfoMode === "slow") await new Promise((resolve) => setTimeout(resolve, 10_000));
      }
      if (tamper === "aud" && req.method === "POST" && req.url === "/token") {
        return retouchTokenResponse(req, res, callback);
      }
      return callback(req, res);
    } catch (err) {
      console.error("interaction failed", err.message);
      res.statusCode = 500;
      res.end();
    }
  });
  console.log(JSON.stringify({ ready: true, issuer }));
});

async function interact(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  const { params, prompt } = details;
  const user = typeof params.login_hint === "string" && params.login_hint ? params.login_hint : "alice";
  if (user === "deny") {
    return provider.interactionFinished(req, res, {
      error: "access_denied",
      error_description: "The user declined <b>sign-in</b>",
    });
  }
  const accountId = details.session?.accountId ?? user;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  return provider.interactionFinished(
    req,
    res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

// What the LATCHKEY_TEST_REFRESH, _EXPIRES_IN and TAMPER=ancient|future switches change in
// a token response the provider has just built.
async function retouchTokenBody(ctx) {
  const body = ctx.body;
  if (!body || typeof body !== "object") return;
  const refreshed = ctx.oidc?.params?.grant_type === "refresh_token";
  if (refreshed && refreshMode === "no-id-token") delete body.id_token;
  if (refreshed && refreshMode === "unrotated") delete body.refresh_token;
  if (body.id_token && refreshed && refreshMode === "bad-id-token") {
    body.id_token = await resign(body.id_token, { aud: "someone-else" });
  }
  const year1 = -62135596800;
  const year9999 = 253402300799;
  if (body.id_token && tamper === "ancient") body.id_token = await resign(body.id_token, { iat: year1, exp: year9999 });
  if (body.id_token && tamper === "future") body.id_token = await resign(body.id_token, { iat: year9999, exp: year9999 });
  if (/^\d+$/.test(expiresIn)) {
    ctx.type = "application/json";
    ctx.body = JSON.stringify(body).replace(/"expires_in":\d+/, `"expires_in":${expiresIn}`);
  }
}

// The ID token's claims with `changes`, signed with the provider's own key.
function resign(idToken, changes) {
  return new jose.SignJWT({ ...jose.decodeJwt(idToken), ...changes })
    .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
    .sign(privateKey);
}

// Lets the real token endpoint answer, then re-signs its ID token with a foreign audience.
function retouchTokenResponse(req, res, callback) {
  const chunks = [];
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.write = (chunk) => (chunks.push(Buffer.from(chunk)), true);
  res.end = (chunk) => {
    if (chunk) chunks.push(Buffer.from(chunk));
    const body = Buffer.concat(chunks).toString("utf8");
    let out = body;
    try {
      const json = JSON.parse(body);
      if (json.id_token) {
        const claims = jose.decodeJwt(json.id_token);
        claims.aud = "someone-else";
        new jose.SignJWT(claims)
          .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
          .sign(privateKey)
          .then((token) => {
            json.id_token = token;
            out = JSON.stringify(json);
            res.setHeader("content-length", Buffer.byteLength(out));
            write(out);
            end();
          });
        return res;
      }
    } catch {
      // not JSON: pass it through untouched
    }
    write(out);
    return end();
  };
  return callback(req, res);
}
