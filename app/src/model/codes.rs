//! One text form for every code (status, role, history kind, email kind, ...): what the
//! database stores, forms post, URLs and JSON carry. Each enum states its codes once, in
//! `text_codes!`; `as_str` and `FromStr` are generated from that one list, and the store
//! binds and reads the enums themselves (`server::store::codes`), never their strings.

/// A code that is none of its type's: a hand-made form, or a row written by something else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCode {
    pub of: &'static str,
    pub code: String,
}

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} is not a {} code", self.code, self.of)
    }
}

impl std::error::Error for UnknownCode {}

/// `text_codes!(Status { NotUpdated => "not_updated", ... })`: `ALL` (in the listed
/// order), `as_str`, `FromStr` (exact match only: nothing is guessed) and `Display`.
macro_rules! text_codes {
    ($ty:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the order they are offered to users.
            pub const ALL: [$ty; [$(stringify!($variant)),+].len()] = [$($ty::$variant),+];

            /// The stable code stored in the database and sent over the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $code),+
                }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::model::codes::UnknownCode;

            fn from_str(code: &str) -> Result<Self, Self::Err> {
                match code {
                    $($code => Ok($ty::$variant),)+
                    other => Err($crate::model::codes::UnknownCode {
                        of: stringify!($ty),
                        code: other.to_string(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_codes;

#[cfg(test)]
mod tests {
    use crate::model::notify::OutboxState;
    use crate::model::{ChangeKind, ContactPreference, EmailKind, GroupRole, Role, Status};
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use std::fmt::Debug;
    use std::str::FromStr;

    /// Every code parses back to its value, is unique, and is the value's JSON form too
    /// (server functions and the live feed carry them as JSON).
    fn round_trips<T>(all: &[T], as_str: fn(T) -> &'static str)
    where
        T: Copy + PartialEq + Debug + FromStr + Serialize + DeserializeOwned,
        <T as FromStr>::Err: Debug,
    {
        let mut seen = std::collections::HashSet::new();
        for &value in all {
            let code = as_str(value);
            assert!(seen.insert(code), "{code} twice");
            assert_eq!(code.parse::<T>().unwrap(), value);
            assert_eq!(
                serde_json::to_string(&value).unwrap(),
                format!("\"{code}\"")
            );
            assert_eq!(
                serde_json::from_str::<T>(&format!("\"{code}\"")).unwrap(),
                value
            );
        }
        for bad in ["", " ", "unknown", "Pending", "got help", "email "] {
            assert!(bad.parse::<T>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn every_code_round_trips_and_nothing_else_parses() {
        round_trips(&Status::ALL, Status::as_str);
        round_trips(&ContactPreference::ALL, ContactPreference::as_str);
        round_trips(&ChangeKind::ALL, ChangeKind::as_str);
        round_trips(&EmailKind::ALL, EmailKind::as_str);
        round_trips(&Role::ALL, Role::as_str);
        round_trips(&GroupRole::ALL, GroupRole::as_str);
        round_trips(&OutboxState::ALL, OutboxState::as_str);
        use crate::model::directory::edit::{EditKind, ListingField};
        round_trips(&EditKind::ALL, EditKind::as_str);
        round_trips(&ListingField::ALL, ListingField::as_str);
    }

    #[test]
    fn an_unknown_code_names_its_type() {
        let err = "closed".parse::<Status>().unwrap_err();
        assert_eq!(err.to_string(), "\"closed\" is not a Status code");
    }
}
