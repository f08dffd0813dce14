//! How the seeker wants to be reached (SPEC: "contact preference").

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactPreference {
    Email,
    Text,
    Phone,
    /// The seeker does not want to be contacted: program staff see the name only, and no
    /// email or text is ever sent about the referral.
    DontReachOut,
}

super::codes::text_codes!(ContactPreference {
    Email => "email",
    Text => "text",
    Phone => "phone",
    DontReachOut => "dont_reach_out",
});

impl ContactPreference {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let t = lang.strings();
        match self {
            ContactPreference::Email => t.contact_email,
            ContactPreference::Text => t.contact_text,
            ContactPreference::Phone => t.contact_phone,
            ContactPreference::DontReachOut => t.contact_dont_reach_out,
        }
    }
}

/// An address as the administrator's outbox shows it for emails about referrals: enough to
/// tell two apart ("d•••@example.test"), not enough to learn a seeker's address.
pub fn masked_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_addresses_keep_the_domain_and_one_letter() {
        assert_eq!(masked_email("dana@example.test"), "d•••@example.test");
        assert_eq!(masked_email("é@x.test"), "é•••@x.test");
        assert_eq!(masked_email("no-at-sign"), "•••");
        assert!(!masked_email("dana.smith@example.test").contains("ana"));
    }
}
