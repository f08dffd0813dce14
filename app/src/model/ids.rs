//! Database ids, one type per table they point into: a `ProgramId` cannot be passed where a
//! `ReferralId` is meant. Each is the row's integer, carried as a bare number in JSON, URLs
//! and forms (`serde(transparent)`, `Display`, `FromStr`); the store binds and reads them as
//! themselves (`server::store::codes`). The default, 0, is no row's id (ids start at 1):
//! forms use it for "none chosen".

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )+};
}

ids!(
    /// An account (`users`).
    UserId,
    /// Someone referrals are made for (`persons`), with or without an account.
    PersonId,
    /// A team of helpers (`groups`).
    GroupId,
    /// A program in the directory (`programs`).
    ProgramId,
    /// One referral (`referrals`).
    ReferralId,
    /// A request to become a program's staff (`program_claims`).
    ClaimId,
    /// An invitation to a group or a program's staff (`invitations`).
    InvitationId,
    /// One queued email (`outbox`).
    OutboxId,
    /// An organisation that runs programs (`organizations`).
    OrganizationId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_bare_number_in_json_and_urls() {
        assert_eq!(serde_json::to_string(&ReferralId(42)).unwrap(), "42");
        assert_eq!(
            serde_json::from_str::<ProgramId>("7").unwrap(),
            ProgramId(7)
        );
        assert_eq!(ReferralId(42).to_string(), "42");
        assert_eq!("42".parse::<UserId>(), Ok(UserId(42)));
    }

    #[test]
    fn a_path_that_is_not_a_number_is_no_id() {
        for bad in ["", "4x", "1.5", " 1", "99999999999999999999"] {
            assert!(bad.parse::<ReferralId>().is_err(), "{bad:?}");
        }
    }
}
