//! Ids in markup: a hidden form field or a `data-` attribute holds the bare number, the
//! same text the id has in URLs and JSON.

use crate::model::{
    ClaimId, GroupId, InvitationId, OrganizationId, OutboxId, PersonId, ProgramId, ReferralId,
    UserId,
};
use leptos::prelude::IntoAttributeValue;

macro_rules! id_attributes {
    ($($ty:ty),+ $(,)?) => {$(
        impl IntoAttributeValue for $ty {
            type Output = String;

            fn into_attribute_value(self) -> String {
                self.to_string()
            }
        }
    )+};
}

id_attributes!(
    UserId,
    PersonId,
    GroupId,
    ProgramId,
    ReferralId,
    ClaimId,
    InvitationId,
    OutboxId,
    OrganizationId,
);
