//! Who may see a referral, change its status, add or read notes, and read the seeker's
//! contact details (SPEC: "Who can see and change a referral").
//!
//! Access comes only from a relation to the referral: being its seeker, the helper who made
//! it, a team-mate of that helper while the group's Team Navigation is on, or staff of its
//! program. Site administrators get nothing from their title: they manage claims and groups,
//! not people's referrals. Anyone without a relation must not learn the referral exists, so
//! callers answer "not found", never "forbidden".

use super::{ContactPreference, GroupId, ProgramId, UserId};
use serde::{Deserialize, Serialize};

/// The facts about one referral that decide who may touch it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralFacts {
    /// The account linked to the referral's person (by verified email), if any.
    pub seeker_user: Option<UserId>,
    /// The helper who made it; `None` for a self-referral.
    pub referrer: Option<UserId>,
    /// The helper's group when the referral was made.
    pub referrer_group: Option<GroupId>,
    /// That group's Team Navigation switch, as it is now (switching it off revokes at once).
    pub team_navigation: bool,
    pub program: ProgramId,
    pub contact_preference: ContactPreference,
}

/// A signed-in user and the memberships that can grant access.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    pub user: UserId,
    /// Groups the user belongs to, as admin or member.
    pub groups: Vec<GroupId>,
    /// Programs the user is staff of (only claimed programs have staff).
    pub staff_of: Vec<ProgramId>,
}

/// The capacity in which someone acts on a referral; it decides who is notified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Seeker,
    /// The referring helper or, with Team Navigation on, a member of their group.
    Helper,
    Program,
}

super::codes::text_codes!(Role {
    Seeker => "seeker",
    Helper => "helper",
    Program => "program",
});

/// A member's place in a group: admins invite and remove members and switch Team
/// Navigation; members refer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupRole {
    Admin,
    Member,
}

super::codes::text_codes!(GroupRole {
    Admin => "admin",
    Member => "member",
});

/// Every relation one viewer has to one referral (a user can hold several).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Relations {
    pub seeker: bool,
    pub referrer: bool,
    pub team_mate: bool,
    pub program_staff: bool,
}

impl Relations {
    /// The relations of a viewer, or none at all for an anonymous visitor.
    pub fn of(viewer: Option<&Viewer>, referral: &ReferralFacts) -> Relations {
        let Some(viewer) = viewer else {
            return Relations::default();
        };
        let user = Some(viewer.user);
        let referrer = referral.referrer.is_some() && referral.referrer == user;
        let team_mate = !referrer
            && referral.team_navigation
            && referral.referrer.is_some()
            && referral
                .referrer_group
                .is_some_and(|group| viewer.groups.contains(&group));
        Relations {
            seeker: referral.seeker_user.is_some() && referral.seeker_user == user,
            referrer,
            team_mate,
            program_staff: viewer.staff_of.contains(&referral.program),
        }
    }

    fn helper(self) -> bool {
        self.referrer || self.team_mate
    }

    pub fn may_see(self) -> bool {
        self.seeker || self.helper() || self.program_staff
    }

    /// Any party with access may set any status, including reopening a closed referral.
    pub fn may_change_status(self) -> bool {
        self.may_see()
    }

    /// Notes are working notes between helpers and the program. The seeker does not add
    /// them (their comments travel with a status change) and, as the SPEC lists notes with
    /// private data, does not read them either.
    pub fn may_add_note(self) -> bool {
        self.helper() || self.program_staff
    }

    pub fn may_read_notes(self) -> bool {
        self.may_add_note()
    }

    /// Email, phone and address of the seeker. Program staff lose them when the seeker
    /// chose "don't reach out", unless they hold another relation (they made the referral).
    pub fn may_read_contact_details(self, preference: ContactPreference) -> bool {
        self.seeker
            || self.helper()
            || (self.program_staff && preference != ContactPreference::DontReachOut)
    }

    /// Contact details as shown on the dashboard of `role`. On the program's dashboard a
    /// "don't reach out" seeker is a name only, even to staff who also hold another relation,
    /// unless they made the referral themselves.
    pub fn may_read_contact_details_as(self, role: Role, preference: ContactPreference) -> bool {
        if role == Role::Program && preference == ContactPreference::DontReachOut {
            return self.referrer;
        }
        self.may_read_contact_details(preference)
    }

    /// An unclaimed program has no staff accounts; whoever reads its listed email acts for
    /// it, and sees what staff would: contact details unless the seeker said don't reach out.
    pub fn listed_email_may_read_contact_details(preference: ContactPreference) -> bool {
        preference != ContactPreference::DontReachOut
    }

    pub fn holds(self, role: Role) -> bool {
        match role {
            Role::Seeker => self.seeker,
            Role::Helper => self.helper(),
            Role::Program => self.program_staff,
        }
    }

    /// The role an action is taken in: the one asked for (the dashboard it came from) if the
    /// viewer holds it, else the viewer's first of program, helper, seeker.
    pub fn acting_role(self, requested: Option<Role>) -> Option<Role> {
        match requested {
            Some(role) => self.holds(role).then_some(role),
            None => [Role::Program, Role::Helper, Role::Seeker]
                .into_iter()
                .find(|role| self.holds(*role)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ContactPreference::*;

    const SEEKER: UserId = UserId(1);
    const HELPER: UserId = UserId(2);
    const TEAM_MATE: UserId = UserId(3);
    const STAFF: UserId = UserId(4);
    const OTHER_STAFF: UserId = UserId(5);
    const STRANGER: UserId = UserId(6);
    const OTHER_GROUP_MEMBER: UserId = UserId(7);
    const GROUP: GroupId = GroupId(10);
    const OTHER_GROUP: GroupId = GroupId(11);
    const PROGRAM: ProgramId = ProgramId(20);
    const OTHER_PROGRAM: ProgramId = ProgramId(21);

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Who {
        Anonymous,
        Seeker,
        Referrer,
        TeamMate,
        Staff,
        OtherStaff,
        Stranger,
        OtherGroupMember,
    }
    const EVERYONE: [Who; 8] = [
        Who::Anonymous,
        Who::Seeker,
        Who::Referrer,
        Who::TeamMate,
        Who::Staff,
        Who::OtherStaff,
        Who::Stranger,
        Who::OtherGroupMember,
    ];

    fn viewer(who: Who) -> Option<Viewer> {
        let v = |user, groups: &[GroupId], staff_of: &[ProgramId]| {
            Some(Viewer {
                user,
                groups: groups.to_vec(),
                staff_of: staff_of.to_vec(),
            })
        };
        match who {
            Who::Anonymous => None,
            Who::Seeker => v(SEEKER, &[], &[]),
            Who::Referrer => v(HELPER, &[GROUP], &[]),
            Who::TeamMate => v(TEAM_MATE, &[GROUP], &[]),
            Who::Staff => v(STAFF, &[], &[PROGRAM]),
            Who::OtherStaff => v(OTHER_STAFF, &[], &[OTHER_PROGRAM]),
            Who::Stranger => v(STRANGER, &[], &[]),
            Who::OtherGroupMember => v(OTHER_GROUP_MEMBER, &[OTHER_GROUP], &[]),
        }
    }

    fn referral(
        self_referral: bool,
        team_navigation: bool,
        pref: ContactPreference,
    ) -> ReferralFacts {
        ReferralFacts {
            seeker_user: Some(SEEKER),
            referrer: (!self_referral).then_some(HELPER),
            referrer_group: (!self_referral).then_some(GROUP),
            team_navigation,
            program: PROGRAM,
            contact_preference: pref,
        }
    }

    /// The SPEC's table, written out cell by cell for every combination.
    /// Returns (see, change status, add/read notes, read contact details).
    fn expected(
        who: Who,
        self_referral: bool,
        nav: bool,
        pref: ContactPreference,
    ) -> (bool, bool, bool, bool) {
        match who {
            Who::Seeker => (true, true, false, true),
            Who::Referrer if !self_referral => (true, true, true, true),
            Who::TeamMate if !self_referral && nav => (true, true, true, true),
            Who::Staff => (true, true, true, pref != DontReachOut),
            _ => (false, false, false, false),
        }
    }

    #[test]
    fn every_viewer_on_every_kind_of_referral() {
        let mut cells = 0;
        for who in EVERYONE {
            for self_referral in [true, false] {
                for nav in [true, false] {
                    for pref in ContactPreference::ALL {
                        let r = referral(self_referral, nav, pref);
                        let rel = Relations::of(viewer(who).as_ref(), &r);
                        let got = (
                            rel.may_see(),
                            rel.may_change_status(),
                            rel.may_add_note(),
                            rel.may_read_contact_details(pref),
                        );
                        assert_eq!(
                            got,
                            expected(who, self_referral, nav, pref),
                            "{who:?} self={self_referral} nav={nav} {pref:?}"
                        );
                        assert_eq!(rel.may_read_notes(), rel.may_add_note());
                        cells += 1;
                    }
                }
            }
        }
        assert_eq!(cells, 8 * 2 * 2 * 4);
    }

    #[test]
    fn staff_who_made_the_referral_keep_contact_details_on_dont_reach_out() {
        let r = referral(false, false, DontReachOut);
        let both = Viewer {
            user: HELPER,
            groups: vec![GROUP],
            staff_of: vec![PROGRAM],
        };
        assert!(Relations::of(Some(&both), &r).may_read_contact_details(DontReachOut));
    }

    #[test]
    fn an_unlinked_person_is_not_everyone_without_an_account() {
        // A person with no linked account must not match a viewer by accident.
        let mut r = referral(true, false, Email);
        r.seeker_user = None;
        for who in EVERYONE {
            let rel = Relations::of(viewer(who).as_ref(), &r);
            assert!(!rel.seeker, "{who:?}");
        }
    }

    #[test]
    fn on_the_program_dashboard_dont_reach_out_is_a_name_only() {
        let r = referral(false, true, DontReachOut);
        // Staff who is also the referrer's team-mate: sees details as a helper, not as staff.
        let staff_and_mate = Viewer {
            user: TEAM_MATE,
            groups: vec![GROUP],
            staff_of: vec![PROGRAM],
        };
        let rel = Relations::of(Some(&staff_and_mate), &r);
        assert!(rel.may_read_contact_details_as(Role::Helper, DontReachOut));
        assert!(!rel.may_read_contact_details_as(Role::Program, DontReachOut));
        assert!(rel.may_read_contact_details_as(Role::Program, Email));
        // Staff who made the referral themselves keep what they typed.
        let staff_and_referrer = Viewer {
            user: HELPER,
            groups: vec![GROUP],
            staff_of: vec![PROGRAM],
        };
        let rel = Relations::of(Some(&staff_and_referrer), &r);
        assert!(rel.may_read_contact_details_as(Role::Program, DontReachOut));
        // For every other combination the role-aware answer equals the plain one.
        for who in EVERYONE {
            for pref in [Email, Text, Phone] {
                for role in Role::ALL {
                    let rel = Relations::of(viewer(who).as_ref(), &referral(false, true, pref));
                    assert_eq!(
                        rel.may_read_contact_details_as(role, pref),
                        rel.may_read_contact_details(pref)
                    );
                }
            }
        }
    }

    #[test]
    fn acting_role_honours_the_request_only_when_held() {
        let r = referral(false, true, Email);
        let staff = Relations::of(viewer(Who::Staff).as_ref(), &r);
        assert_eq!(staff.acting_role(None), Some(Role::Program));
        assert_eq!(staff.acting_role(Some(Role::Program)), Some(Role::Program));
        assert_eq!(staff.acting_role(Some(Role::Helper)), None);
        assert_eq!(staff.acting_role(Some(Role::Seeker)), None);

        let mate = Relations::of(viewer(Who::TeamMate).as_ref(), &r);
        assert_eq!(mate.acting_role(None), Some(Role::Helper));

        let seeker = Relations::of(viewer(Who::Seeker).as_ref(), &r);
        assert_eq!(seeker.acting_role(None), Some(Role::Seeker));

        let stranger = Relations::of(viewer(Who::Stranger).as_ref(), &r);
        for role in Role::ALL {
            assert_eq!(stranger.acting_role(Some(role)), None);
        }
        assert_eq!(stranger.acting_role(None), None);
    }
}
