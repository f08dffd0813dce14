//! Groups and Team Navigation: create a group, invite and remove members, switch Team
//! Navigation. Only a group's admins may change it; every check is here, on the server.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::GroupRole;
use crate::model::{GroupId, UserId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: GroupId,
    pub name: String,
    pub team_navigation: bool,
    pub i_am_admin: bool,
    pub members: Vec<MemberView>,
    pub invited: Vec<String>,
}

#[cfg(feature = "ssr")]
fn member_views(rows: Vec<crate::server::store::MemberRow>) -> Vec<MemberView> {
    rows.into_iter()
        .map(|m| MemberView {
            user_id: m.user_id,
            is_admin: m.role == GroupRole::Admin,
            name: m.name,
            email: m.email,
        })
        .collect()
}

/// The group's admins, and the site administrator (who manages every group), may change
/// an open group; a member may not; to anyone else the group does not exist.
#[cfg(feature = "ssr")]
async fn require_admin(
    state: &crate::server::AppState,
    user: &crate::server::store::UserRow,
    group: GroupId,
) -> Result<(), AppError> {
    use crate::server::store::GroupRole;
    if !state.store.group_is_open(group).await? {
        return Err(AppError::NotFound);
    }
    if user.is_site_admin() {
        return Ok(());
    }
    let memberships = state.store.memberships(user.id).await?;
    match memberships.iter().find(|(g, _)| g.id == group) {
        Some((_, GroupRole::Admin)) => Ok(()),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::NotFound),
    }
}

/// Records who did what to a group (shown to the site administrator).
#[cfg(feature = "ssr")]
async fn record(
    state: &crate::server::AppState,
    actor: &crate::server::store::UserRow,
    action: &str,
    group: GroupId,
    target: Option<UserId>,
    detail: &str,
) -> Result<(), AppError> {
    let label = crate::model::PersonName::parse(&actor.name)
        .map(|n| n.first_name_last_initial())
        .unwrap_or_else(|_| actor.name.clone());
    let label = if actor.is_site_admin() {
        format!("{label} (site administrator)")
    } else {
        label
    };
    state
        .store
        .record_admin_action(&crate::server::store::AdminAction {
            actor: actor.id,
            actor_label: &label,
            action,
            group: Some(group),
            target,
            detail,
        })
        .await
        .map_err(AppError::from)
}

/// Records an invitation to a group or a program's staff and queues its email, whose link
/// (`/invitations/<token>`) accepts it. Shared by group admins and program staff.
#[cfg(feature = "ssr")]
pub(crate) async fn send_invitation(
    state: &crate::server::AppState,
    target: crate::server::store::InvitationTarget,
    email: &str,
    inviter: &str,
    inviter_id: UserId,
    to_what: &str,
) -> Result<(), AppError> {
    use crate::model::EmailAddress;
    use crate::server::auth::{throttle_per_address, within_limit};
    use crate::server::mail::one_time::NewOneTimeLink;
    let email = EmailAddress::parse(email).map_err(|m| AppError::field("email", m))?;
    // At most 20 invitations an account and 3 to one address in 15 minutes.
    throttle_per_address(&state.store, "invite", &inviter_id.to_string(), 20).await?;
    if !within_limit(&state.store, &format!("invite_to:{email}"), 3).await? {
        return Err(AppError::field(
            "email",
            crate::i18n::Key::err_too_many_to_recipient,
        ));
    }
    let link = NewOneTimeLink::new(state.config.secret.bytes(), "invitations");
    let payload =
        crate::model::email::EmailPayload::Invitation(crate::model::email::InvitationPayload {
            to: to_what.to_string(),
            invited_by: inviter.to_string(),
            link: link.link.into(),
        });
    state
        .store
        .create_invitation(target, &email, inviter_id, &link.token_hash, &payload)
        .await?;
    Ok(())
}

#[server(endpoint = "my_groups")]
pub async fn my_groups() -> Result<Vec<GroupView>, AppError> {
    use super::request::{require_user, state};
    use crate::server::store::{GroupRole, InvitationTarget};
    let state = state()?;
    let user = require_user(&state).await?;
    let mut views = Vec::new();
    for (group, role) in state.store.memberships(user.id).await? {
        let i_am_admin = role == GroupRole::Admin;
        let members = member_views(state.store.members(group.id).await?);
        let invited = if i_am_admin {
            state
                .store
                .open_invitations(InvitationTarget::Group(group.id))
                .await?
        } else {
            vec![]
        };
        views.push(GroupView {
            id: group.id,
            team_navigation: group.team_navigation(),
            name: group.name,
            i_am_admin,
            members,
            invited,
        });
    }
    Ok(views)
}

#[server(endpoint = "create_group")]
pub async fn create_group(name: String) -> Result<GroupId, AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    let name = group_name(&name)?;
    Ok(state.store.create_group(&name, false, user.id).await?)
}

/// Invites someone by email: they get a link that makes them a member once they accept.
#[server(endpoint = "invite_to_group")]
pub async fn invite_to_group(group: GroupId, email: String) -> Result<(), AppError> {
    use super::request::{require_confirmed_user, state};
    use crate::server::store::InvitationTarget;
    let state = state()?;
    let user = require_confirmed_user(&state).await?;
    require_admin(&state, &user, group).await?;
    let group_row = state.store.group(group).await?.ok_or(AppError::NotFound)?;
    send_invitation(
        &state,
        InvitationTarget::Group(group),
        &email,
        &user.name,
        user.id,
        &group_row.name,
    )
    .await?;
    record(&state, &user, "invited", group, None, email.trim()).await
}

/// Removes a member (admins only). The last admin cannot leave the group without one.
#[server(endpoint = "remove_from_group")]
pub async fn remove_from_group(group: GroupId, member: UserId) -> Result<(), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    require_admin(&state, &user, group).await?;
    let members = state.store.members(group).await?;
    let admins = members
        .iter()
        .filter(|m| m.role == GroupRole::Admin)
        .count();
    let target = members
        .iter()
        .find(|m| m.user_id == member)
        .ok_or(AppError::NotFound)?;
    if target.role == GroupRole::Admin && admins == 1 {
        return Err(AppError::Conflict(crate::i18n::Key::err_last_admin.into()));
    }
    state.store.remove_member(group, member).await?;
    super::request::access_changed(&state, member).await?;
    record(&state, &user, "removed", group, Some(member), "").await
}

/// Switches Team Navigation; off takes team-mates' access away at once (access is decided
/// from the switch's current value on every read).
#[server(endpoint = "set_team_navigation")]
pub async fn set_team_navigation(group: GroupId, on: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    require_admin(&state, &user, group).await?;
    let on = match on.as_str() {
        "on" | "true" => true,
        "off" | "false" => false,
        _ => return Err(AppError::field("on", crate::i18n::Key::err_on_or_off)),
    };
    state.store.set_team_navigation(group, on).await?;
    // Every member's open streams re-read what they may see, on every instance.
    for m in state.store.members(group).await? {
        super::request::access_changed(&state, m.user_id).await?;
    }
    let action = if on {
        "team_navigation_on"
    } else {
        "team_navigation_off"
    };
    record(&state, &user, action, group, None, "").await
}

/// Makes an account an admin of the group (adding it if it is not a member): by the
/// group's admins or the site administrator. The account must have a confirmed email.
#[server(endpoint = "add_group_admin")]
pub async fn add_group_admin(group: GroupId, email: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    use crate::model::EmailAddress;
    use crate::server::store::GroupRole;
    let state = state()?;
    let user = require_user(&state).await?;
    require_admin(&state, &user, group).await?;
    let email = EmailAddress::parse(&email).map_err(|m| AppError::field("email", m))?;
    let target = state
        .store
        .user_by_email(&email)
        .await?
        .filter(|u| u.email_verified() && u.disabled_at.is_none())
        .ok_or_else(|| AppError::field("email", crate::i18n::Key::err_no_such_account))?;
    state
        .store
        .put_member(group, target.id, GroupRole::Admin)
        .await?;
    super::request::access_changed(&state, target.id).await?;
    record(&state, &user, "admin_added", group, Some(target.id), "").await
}

#[server(endpoint = "rename_group")]
pub async fn rename_group(group: GroupId, name: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    require_admin(&state, &user, group).await?;
    let name = group_name(&name)?;
    let before = state
        .store
        .group(group)
        .await?
        .map(|g| g.name)
        .unwrap_or_default();
    state.store.rename_group(group, &name).await?;
    record(
        &state,
        &user,
        "renamed",
        group,
        None,
        &format!("{before} → {name}"),
    )
    .await
}

/// Closes a group: its members leave it, their team access ending at once.
#[server(endpoint = "close_group")]
pub async fn close_group(group: GroupId) -> Result<(), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    require_admin(&state, &user, group).await?;
    let members = state.store.members(group).await?;
    state.store.close_group(group).await?;
    for m in members {
        super::request::access_changed(&state, m.user_id).await?;
    }
    record(&state, &user, "closed", group, None, "").await
}

/// A group's name: 1 to 120 characters, trimmed.
#[cfg(feature = "ssr")]
fn group_name(name: &str) -> Result<String, AppError> {
    use crate::model::text::{Shape, TextProblem, check};
    match check(name, Shape::Name, 120) {
        Ok(name) if !name.is_empty() => Ok(name),
        Ok(_) | Err(TextProblem::TooLong(_)) => {
            Err(AppError::field("name", crate::i18n::Key::err_group_name))
        }
        Err(other) => Err(AppError::field(
            "name",
            crate::model::fields::text_message(other, true),
        )),
    }
}

/// One group as the site administrator's groups page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminGroupView {
    pub id: GroupId,
    pub name: String,
    pub team_navigation: bool,
    pub closed: bool,
    pub members: Vec<MemberView>,
}

/// One recorded action on a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupActionView {
    pub actor: String,
    pub action: String,
    pub group: String,
    pub target: Option<String>,
    pub detail: String,
    pub at: i64,
}

/// Every group, with its members and admins, and the newest recorded actions: the site
/// administrator's groups page.
#[server(endpoint = "all_groups")]
pub async fn all_groups() -> Result<(Vec<AdminGroupView>, Vec<GroupActionView>), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    let mut groups = Vec::new();
    for g in state.store.all_groups().await? {
        let members = member_views(state.store.members(g.id).await?);
        groups.push(AdminGroupView {
            id: g.id,
            team_navigation: g.team_navigation != 0,
            closed: g.closed_at.is_some(),
            name: g.name,
            members,
        });
    }
    let actions = state
        .store
        .admin_actions(100)
        .await?
        .into_iter()
        .map(|a| GroupActionView {
            actor: a.actor_label,
            action: a.action,
            group: a.group_name.unwrap_or_default(),
            target: a.target_label,
            detail: a.detail,
            at: a.at,
        })
        .collect();
    Ok((groups, actions))
}

/// What the invitation page shows: the address the invitation was sent to, and whether the
/// signed-in account may accept it (it holds that address, confirmed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub invited_email: String,
    pub signed_in_as: Option<String>,
    pub may_accept: bool,
}

#[server(endpoint = "invitation_details")]
pub async fn invitation_details(token: String) -> Result<InvitationInfo, AppError> {
    use super::request::{signed_in_user, state};
    use crate::server::auth::token_hash;
    let state = state()?;
    let invited_email = state
        .store
        .invitation_email(&token_hash(&token))
        .await?
        .ok_or_else(|| AppError::Conflict(crate::i18n::Key::err_invitation_expired.into()))?;
    let me = signed_in_user(&state).await?;
    Ok(InvitationInfo {
        may_accept: me
            .as_ref()
            .is_some_and(|u| u.email_verified() && u.email == invited_email),
        signed_in_as: me.map(|u| u.email),
        invited_email,
    })
}

/// Accepts a group or staff invitation from its emailed link (POST: the page's button).
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    use crate::server::auth::token_hash;
    use crate::server::store::InvitationTarget;
    let state = state()?;
    let user = require_user(&state).await?;
    let target = state
        .store
        .accept_invitation(&token_hash(&token), user.id)
        .await?;
    super::request::access_changed(&state, user.id).await?;
    leptos_axum::redirect(match target {
        InvitationTarget::Group(_) => "/groups",
        InvitationTarget::Program(_) => "/inbound",
    });
    Ok(())
}
