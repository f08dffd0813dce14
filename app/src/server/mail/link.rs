//! Status links: a signed token in an email that lets its one recipient change one
//! referral's status without logging in (SPEC: notifications).
//!
//! Format: `{referral}.{holder}.{expires_ms}.{mac}`, where `mac` is hex HMAC-SHA256 under
//! `HANDOFF_SECRET` over everything before it. Nothing is stored: the secret is the only
//! state, so rotating it revokes every link at once. Whether the holder may still act
//! (staff still staff, program still unclaimed) is checked again each time the link is used.

use crate::model::{ReferralId, UserId};
use crate::server::clock::DAY_MS;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long a status link works after the email is queued.
pub const STATUS_LINK_LIFETIME_MS: i64 = 14 * DAY_MS;

/// Who the link was mailed to, in the capacity they were mailed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkHolder {
    /// The referral's seeker (at the address on the referral).
    Seeker,
    /// The helper who made the referral.
    Helper(UserId),
    /// A staff member of the program.
    Staff(UserId),
    /// An unclaimed program, at its listed email.
    ListedEmail,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusLink {
    pub referral: ReferralId,
    pub holder: LinkHolder,
    pub expires_at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// Not a token we could have made (cut short, edited, or signed with another key).
    Invalid,
    Expired,
}

impl LinkHolder {
    fn code(self) -> String {
        match self {
            LinkHolder::Seeker => "s".into(),
            LinkHolder::Helper(id) => format!("h{id}"),
            LinkHolder::Staff(id) => format!("p{id}"),
            LinkHolder::ListedEmail => "l".into(),
        }
    }

    fn from_code(code: &str) -> Option<LinkHolder> {
        let id = |rest: &str| rest.parse::<UserId>().ok().filter(|id| id.0 > 0);
        match code.split_at_checked(1)? {
            ("s", "") => Some(LinkHolder::Seeker),
            ("l", "") => Some(LinkHolder::ListedEmail),
            ("h", rest) => id(rest).map(LinkHolder::Helper),
            ("p", rest) => id(rest).map(LinkHolder::Staff),
            _ => None,
        }
    }
}

fn mac(key: &[u8], body: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    // Domain separation: the same secret signs nothing else with this prefix.
    mac.update(b"handoff status link v1\0");
    mac.update(body.as_bytes());
    mac
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    // Lower-case only, as `hex` writes it: one token, one spelling (fuzzing found that an
    // upper-cased digit verified too).
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

impl StatusLink {
    pub fn sign(&self, key: &[u8]) -> String {
        let body = format!(
            "{}.{}.{}",
            self.referral,
            self.holder.code(),
            self.expires_at
        );
        let tag = mac(key, &body).finalize().into_bytes();
        format!("{body}.{}", hex(&tag))
    }

    /// Checks the signature (in constant time) before anything else, then the expiry.
    pub fn verify(token: &str, key: &[u8], now: i64) -> Result<StatusLink, LinkError> {
        let (body, tag) = token.rsplit_once('.').ok_or(LinkError::Invalid)?;
        let tag = unhex(tag).ok_or(LinkError::Invalid)?;
        mac(key, body)
            .verify_slice(&tag)
            .map_err(|_| LinkError::Invalid)?;
        let mut parts = body.split('.');
        let (Some(referral), Some(holder), Some(expires), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(LinkError::Invalid);
        };
        let link = StatusLink {
            referral: referral.parse().map_err(|_| LinkError::Invalid)?,
            holder: LinkHolder::from_code(holder).ok_or(LinkError::Invalid)?,
            expires_at: expires.parse().map_err(|_| LinkError::Invalid)?,
        };
        if now >= link.expires_at {
            return Err(LinkError::Expired);
        }
        Ok(link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn link(holder: LinkHolder) -> StatusLink {
        StatusLink {
            referral: ReferralId(42),
            holder,
            expires_at: 1_000_000,
        }
    }

    #[test]
    fn a_signed_link_verifies_for_every_holder_until_it_expires() {
        for holder in [
            LinkHolder::Seeker,
            LinkHolder::Helper(UserId(7)),
            LinkHolder::Staff(UserId(9)),
            LinkHolder::ListedEmail,
        ] {
            let token = link(holder).sign(KEY);
            assert_eq!(StatusLink::verify(&token, KEY, 999_999), Ok(link(holder)));
            assert_eq!(
                StatusLink::verify(&token, KEY, 1_000_000),
                Err(LinkError::Expired)
            );
        }
    }

    #[test]
    fn any_edit_or_another_key_is_refused() {
        let token = link(LinkHolder::Helper(UserId(7))).sign(KEY);
        let other_referral = token.replacen("42.", "43.", 1);
        let other_holder = token.replacen(".h7.", ".h8.", 1);
        let longer_life = token.replacen(".1000000.", ".9000000.", 1);
        for bad in [other_referral, other_holder, longer_life] {
            assert_eq!(StatusLink::verify(&bad, KEY, 0), Err(LinkError::Invalid));
        }
        let other_key = b"another-secret-another-secret-xx";
        assert_eq!(
            StatusLink::verify(&token, other_key, 0),
            Err(LinkError::Invalid)
        );
        let mut flipped = token.clone();
        let last = flipped.pop().unwrap();
        flipped.push(if last == '0' { '1' } else { '0' });
        assert_eq!(
            StatusLink::verify(&flipped, KEY, 0),
            Err(LinkError::Invalid)
        );
        for junk in ["", ".", "42.s.5", "42.s.5.zz", "a.b.c.d.e"] {
            assert_eq!(StatusLink::verify(junk, KEY, 0), Err(LinkError::Invalid));
        }
        // One token, one spelling (found by ./scripts/fuzz): an upper-cased MAC is refused.
        let (body, mac) = token.rsplit_once('.').unwrap();
        let shouted = format!("{body}.{}", mac.to_uppercase());
        assert_ne!(shouted, token, "the MAC holds letters");
        assert_eq!(
            StatusLink::verify(&shouted, KEY, 0),
            Err(LinkError::Invalid)
        );
    }

    #[test]
    fn a_forged_holder_code_is_refused_even_when_signed() {
        // Signed bodies that do not parse (as if the format changed) are still refused.
        for body in ["42.x.5", "42.h0.5", "42.h.5", "42.s1.5", "42.s.5.6"] {
            let tag = hex(&mac(KEY, body).finalize().into_bytes());
            let token = format!("{body}.{tag}");
            assert_eq!(StatusLink::verify(&token, KEY, 0), Err(LinkError::Invalid));
        }
    }
}
