//! Capillary authentication: Basic with an MD5'd password, or OAuth tokens.
//!
//! Basic sends `base64(username:md5hex(password))`, not the plain password.
//! OAuth fetches a token from `/v3/oauth/token/generate`, caches it, renews it
//! shortly before its ttl ends and once after the server rejects it. The token
//! lock is held across the fetch, so concurrent requests share one fetch.

use std::time::{Duration, Instant};

use base64::Engine;
use md5::{Digest, Md5};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::secret::Secret;

/// How the client proves who it is, as configured.
#[derive(Clone, Debug, Default)]
pub enum Credentials {
    #[default]
    None,
    Basic {
        username: String,
        password: Secret,
        password_is_md5: bool,
    },
    OAuth {
        key: String,
        secret: Secret,
    },
}

impl Credentials {
    pub fn is_none(&self) -> bool {
        matches!(self, Credentials::None)
    }

    /// The strings that must never be printed: for leak checks and redaction.
    pub fn secrets(&self) -> Vec<String> {
        match self {
            Credentials::None => vec![],
            Credentials::Basic { password, password_is_md5, .. } => {
                let mut v = vec![password.expose().to_string()];
                if !password_is_md5 {
                    v.push(md5_hex(password.expose()));
                }
                v
            }
            Credentials::OAuth { secret, .. } => vec![secret.expose().to_string()],
        }
    }

    /// What a refusal of these should name: never a secret.
    pub fn sent(&self) -> crate::error::SentCredentials {
        use crate::error::SentCredentials;
        match self {
            Credentials::None => SentCredentials::None,
            Credentials::Basic { username, .. } => {
                SentCredentials::Basic { username: crate::sanitize::line(username).into_owned() }
            }
            Credentials::OAuth { key, .. } => SentCredentials::OAuth { key: crate::sanitize::line(key).into_owned() },
        }
    }
}

pub fn md5_hex(text: &str) -> String {
    let digest = Md5::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `Authorization` header value for Basic auth.
pub fn basic_header(username: &str, password: &Secret, password_is_md5: bool) -> Secret {
    let md5 = if password_is_md5 { password.expose().to_ascii_lowercase() } else { md5_hex(password.expose()) };
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{md5}"));
    Secret::new(format!("Basic {encoded}"))
}

/// The longest a token is kept before it is renewed, whatever its ttl says.
pub const MAX_TOKEN_TTL: Duration = Duration::from_secs(24 * 3600);

/// A cached OAuth token.
#[derive(Clone, Debug)]
pub struct Token {
    pub value: Secret,
    /// Bumped on every fetch, so a rejected token is invalidated only once.
    pub serial: u64,
    /// What the server gave it (capped at a day).
    pub ttl: Duration,
    renew_at: Instant,
}

impl Token {
    pub fn new(value: Secret, serial: u64, ttl: Duration) -> Self {
        // The server's ttl is trusted up to a day: past that (or past what an
        // Instant can hold) the token is renewed daily anyway.
        let ttl = ttl.min(MAX_TOKEN_TTL);
        // Renew a little before the end: a fifth of the ttl, at most 30 s.
        let margin = (ttl / 5).min(Duration::from_secs(30));
        let now = Instant::now();
        Token { value, serial, ttl, renew_at: now.checked_add(ttl.saturating_sub(margin)).unwrap_or(now) }
    }

    pub fn is_fresh(&self) -> bool {
        Instant::now() < self.renew_at
    }
}

/// Shared OAuth token state.
#[derive(Debug, Default)]
pub struct TokenCache {
    pub current: Mutex<Option<Token>>,
}

/// Reads `data.accessToken` and `data.ttlSeconds` from a token response.
pub fn parse_token_response(body: &Value) -> Option<(Secret, Duration)> {
    let data = body.get("data")?;
    let token = data.get("accessToken")?.as_str()?;
    if token.is_empty() {
        return None;
    }
    let ttl = data.get("ttlSeconds").and_then(Value::as_u64).unwrap_or(300);
    Some((Secret::new(token), Duration::from_secs(ttl)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_matches_the_documented_example() {
        // The doc's worked example: store123 with the MD5 it gives for the
        // password, concatenated with a colon and base64-encoded.
        let documented = "Basic c3RvcmUxMjM6YmRjODdiOWM4OTRkYTUxNjgwNTllMDBlYmZmYjkwNzc=";
        let h = basic_header("store123", &Secret::new("bdc87b9c894da5168059e00ebffb9077"), true);
        assert_eq!(h.expose(), documented);
        // The doc's step 1 is off: MD5("Pass123") is 2f23fa35…, not bdc87b9c….
        // From the plain password we send the real MD5, as the server computes it.
        assert_eq!(md5_hex("Pass123"), "2f23fa3579f3f75175793649115c1b25");
        let from_plain = basic_header("store123", &Secret::new("Pass123"), false);
        assert_eq!(from_plain.expose(), "Basic c3RvcmUxMjM6MmYyM2ZhMzU3OWYzZjc1MTc1NzkzNjQ5MTE1YzFiMjU=");
        // A stored MD5 in capitals is sent in the lowercase hex form.
        let upper = basic_header("store123", &Secret::new("BDC87B9C894DA5168059E00EBFFB9077"), true);
        assert_eq!(upper.expose(), documented);
    }

    #[test]
    fn md5_matches_the_documented_till_example() {
        assert_eq!(md5_hex("123"), "202cb962ac59075b964b07152d234b70");
    }

    #[test]
    fn token_renews_before_its_ttl_ends() {
        assert!(Token::new(Secret::new("t"), 1, Duration::from_secs(300)).is_fresh());
        assert!(!Token::new(Secret::new("t"), 1, Duration::ZERO).is_fresh());
        // A ttl no Instant can hold is capped, not a panic.
        assert!(Token::new(Secret::new("t"), 1, Duration::from_secs(u64::MAX)).is_fresh());
    }

    #[test]
    fn credentials_debug_hides_secrets() {
        let c = Credentials::OAuth { key: "k".into(), secret: Secret::new("s3cr3t-value") };
        assert!(!format!("{c:?}").contains("s3cr3t-value"));
    }
}
