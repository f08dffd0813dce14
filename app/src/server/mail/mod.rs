//! Email: what each message says (`compose`), the signed status links in it (`link`), where
//! it goes (`outlet`) and the worker that drains the outbox (`worker`).

pub mod compose;
pub mod link;
pub mod one_time;
pub mod outlet;
pub mod worker;

pub use link::{LinkError, LinkHolder, StatusLink};
pub use worker::{MailSettings, MailTask, MailWorker};

#[cfg(test)]
mod tests {
    use crate::model::EmailAddress;

    /// Issue 18, item 4: every address the form accepts is one lettre can send to (so no
    /// accepted address fails only when its email is built), and each it refuses that
    /// lettre would take is refused on purpose (no dot in the domain, quoted or bracketed
    /// forms no seeker types).
    #[test]
    fn every_accepted_address_is_one_the_mail_library_sends_to() {
        let cases = [
            ("rosa@example.org", true),
            ("Rosa.Diaz+food@Sub.Example.co", true),
            ("o'neil@example.org", true),
            ("rosa@exämple.org", true),
            ("rosa_diaz@example-county.gov", true),
            ("a@b.co", true),
            ("x@localhost", false),
            ("\"ro sa\"@example.org", false),
            ("rosa@[127.0.0.1]", false),
            ("ro sa@example.org", false),
            ("rosa@@example.org", false),
            ("rosa@exa_mple.org", false),
            ("rosa@.example.org", false),
            ("rosa@example..org", false),
            ("rosa@example.org.", false),
            ("rosa", false),
            ("@example.org", false),
            ("rosa@", false),
            ("ro\u{0}sa@example.org", false),
            ("rosa@exa\u{202E}mple.org", false),
            // Found by ./scripts/fuzz: each was accepted, and lettre refused it.
            ("rosa@example.-org", false),
            ("rosa@example-.org", false),
            ("rosa.@example.org", false),
            (".rosa@example.org", false),
            ("ro..sa@example.org", false),
            ("ro(sa@example.org", false),
        ];
        for (address, accepted) in cases {
            let ours = EmailAddress::parse(address);
            assert_eq!(ours.is_ok(), accepted, "{address:?}");
            if let Ok(ours) = ours {
                assert!(
                    ours.as_str().parse::<lettre::Address>().is_ok(),
                    "{address:?} is accepted but lettre cannot send to it"
                );
            }
        }
    }
}
