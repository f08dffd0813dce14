//! Single-use links (email confirmation, invitations, program claims, password resets,
//! email changes) whose token is never stored readable.
//!
//! The token is derived from a random seed under `HANDOFF_SECRET`: the outbox payload keeps
//! only the seed and the link's path, the token tables keep only the token's SHA-256, and
//! the mail worker derives the token again when it writes the email. Someone who reads the
//! database (a backup, the administrator's outbox) gets no link that works.

use crate::server::tokens::{random_token, token_hash};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub use crate::model::email::SeededLink;

/// A new single-use link: the seed for the outbox and the hash for the token table.
pub struct NewOneTimeLink {
    pub link: SeededLink,
    pub token_hash: String,
}

impl NewOneTimeLink {
    pub fn new(key: &[u8], path: &str) -> NewOneTimeLink {
        let seed = random_token();
        let token_hash = token_hash(&derive_token(key, &seed));
        NewOneTimeLink {
            link: SeededLink {
                path: path.into(),
                seed,
            },
            token_hash,
        }
    }
}

/// The token for a seed: URL-safe base64 of HMAC-SHA256 under the secret.
pub fn derive_token(key: &[u8], seed: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    // Domain separation from the status links signed with the same secret.
    mac.update(b"handoff one-time link v1\0");
    mac.update(seed.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

impl SeededLink {
    /// The full URL, written at send time.
    pub fn url(&self, public_url: &str, key: &[u8]) -> String {
        format!(
            "{public_url}/{}/{}",
            self.path,
            derive_token(key, &self.seed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn the_url_carries_the_token_whose_hash_is_stored() {
        let new = NewOneTimeLink::new(KEY, "verify");
        let url = new.link.url("https://h.example", KEY);
        let token = url.strip_prefix("https://h.example/verify/").unwrap();
        assert_eq!(token_hash(token), new.token_hash);
        // Neither the seed nor the hash is the token.
        assert_ne!(new.link.seed, token);
        assert_ne!(new.token_hash, token);
    }

    #[test]
    fn another_secret_derives_another_token() {
        let new = NewOneTimeLink::new(KEY, "claims");
        let other = b"another key, also 32 bytes long!";
        assert_ne!(new.link.url("h", KEY), new.link.url("h", other));
        assert_ne!(
            NewOneTimeLink::new(KEY, "claims").link.seed,
            new.link.seed,
            "seeds are random"
        );
    }
}
