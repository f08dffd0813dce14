//! The model's codes and ids as column values: bound and read as themselves, stored as
//! their one text form (`model::codes`), so no query converts a string by hand. A stored
//! code that is not one of its type's fails the read with a decode error naming it.

use crate::model::capacity::Capacity;
use crate::model::directory::ServiceStatus;
use crate::model::directory::edit::{EditKind, SuggestionState};
use crate::model::follow_up::CheckInStep;
use crate::model::{
    ChangeKind, ClaimId, ContactPreference, EmailKind, GroupId, GroupRole, InvitationId,
    OrganizationId, OutboxId, OutboxState, PersonId, ProgramId, ReferralId, Role, Status, UserId,
};
use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

macro_rules! stored_as_text {
    ($($ty:ty),+ $(,)?) => {$(
        impl Type<Any> for $ty {
            fn type_info() -> AnyTypeInfo {
                <&str as Type<Any>>::type_info()
            }
            fn compatible(ty: &AnyTypeInfo) -> bool {
                <&str as Type<Any>>::compatible(ty)
            }
        }

        impl<'q> Encode<'q, Any> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <Any as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                <&str as Encode<'q, Any>>::encode(self.as_str(), buf)
            }
        }

        impl<'r> Decode<'r, Any> for $ty {
            fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
                let code = <&str as Decode<'r, Any>>::decode(value)?;
                Ok(code.parse::<$ty>()?)
            }
        }
    )+};
}

stored_as_text!(
    CheckInStep,
    Status,
    ContactPreference,
    ChangeKind,
    EmailKind,
    Role,
    GroupRole,
    OutboxState,
    ServiceStatus,
    Capacity,
    EditKind,
    SuggestionState,
);

/// Ids are stored as the row's integer (`BIGINT` on PostgreSQL, `INTEGER` on SQLite).
macro_rules! stored_as_integer {
    ($($ty:ident),+ $(,)?) => {$(
        impl Type<Any> for $ty {
            fn type_info() -> AnyTypeInfo {
                <i64 as Type<Any>>::type_info()
            }
            fn compatible(ty: &AnyTypeInfo) -> bool {
                <i64 as Type<Any>>::compatible(ty)
            }
        }

        impl<'q> Encode<'q, Any> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <Any as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                <i64 as Encode<'q, Any>>::encode(self.0, buf)
            }
        }

        impl<'r> Decode<'r, Any> for $ty {
            fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
                Ok($ty(<i64 as Decode<'r, Any>>::decode(value)?))
            }
        }
    )+};
}

stored_as_integer!(
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
