//! Whether a program takes new referrals now, as its staff say: the four capacity values
//! of the Gravity SDOH Clinical Care IG (STU 3). Shown in the directory and on the program
//! page; the Connect form says so before anything is sent, and the server decides.

use crate::i18n::Key;
use crate::model::codes::text_codes;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Capacity {
    #[default]
    Accepting,
    Waitlist,
    AssessmentFirst,
    NotAccepting,
}

text_codes!(Capacity {
    Accepting => "accepting",
    Waitlist => "waitlist",
    AssessmentFirst => "assessment_first",
    NotAccepting => "not_accepting",
});

impl From<Capacity> for String {
    fn from(c: Capacity) -> String {
        c.as_str().to_string()
    }
}

impl TryFrom<String> for Capacity {
    type Error = crate::model::codes::UnknownCode;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl Capacity {
    /// Whether a referral may be sent now. A program with a waitlist takes one only when
    /// the sender said they know (`knows_waitlist`); one not accepting takes none.
    pub fn admits(self, knows_waitlist: bool) -> Result<(), Key> {
        match self {
            Capacity::Accepting | Capacity::AssessmentFirst => Ok(()),
            Capacity::Waitlist if knows_waitlist => Ok(()),
            Capacity::Waitlist => Err(Key::err_waitlist_confirm),
            Capacity::NotAccepting => Err(Key::err_not_accepting),
        }
    }

    /// What people read.
    pub fn label(self) -> Key {
        match self {
            Capacity::Accepting => Key::capacity_accepting,
            Capacity::Waitlist => Key::capacity_waitlist,
            Capacity::AssessmentFirst => Key::capacity_assessment_first,
            Capacity::NotAccepting => Key::capacity_not_accepting,
        }
    }
}

/// The longest note staff may add ("Waitlist about 3 weeks").
pub const NOTE_MAX: usize = 300;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_is_admitted_for_every_capacity() {
        for capacity in Capacity::ALL {
            for knows in [false, true] {
                let expected = match (capacity, knows) {
                    (Capacity::Accepting, _) | (Capacity::AssessmentFirst, _) => Ok(()),
                    (Capacity::Waitlist, true) => Ok(()),
                    (Capacity::Waitlist, false) => Err(Key::err_waitlist_confirm),
                    (Capacity::NotAccepting, _) => Err(Key::err_not_accepting),
                };
                assert_eq!(capacity.admits(knows), expected, "{capacity} {knows}");
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for c in Capacity::ALL {
            assert_eq!(c.as_str().parse::<Capacity>(), Ok(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{c}\""));
        }
    }
}
