//! Who may do what. Staff (advisors, accountants, administrators) act on every activity; a
//! member acts on the activities they have a role on, and only sees their own documents.

use ensemble_domain::activity::ActivityRole;
use ensemble_domain::people::Role;
use ensemble_domain::{ActivityId, MemberId};
use ensemble_store::Tx;

use crate::{Actor, AppError, AppResult};

/// What the actor may do on an activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// Staff: everything.
    Staff,
    /// The activity's manager.
    Manager,
    /// A participant: their own work only.
    Participant,
}

pub(crate) fn require_staff(actor: &Actor) -> AppResult<()> {
    if actor.role.is_staff() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "this needs an advisor, accountant or administrator",
        ))
    }
}

pub(crate) fn require_role(actor: &Actor, roles: &[Role]) -> AppResult<()> {
    if roles.contains(&actor.role) {
        Ok(())
    } else {
        let names: Vec<&str> = roles.iter().map(|r| r.code()).collect();
        Err(AppError::forbidden(format!(
            "this needs the role {}",
            names.join(" or ")
        )))
    }
}

/// The actor's access to an activity, or `Forbidden`. The activity must exist (404 first, so
/// a member learns nothing more about an activity that is not theirs than that it exists).
pub(crate) async fn activity_access(
    tx: &mut dyn Tx,
    actor: &Actor,
    activity: ActivityId,
) -> AppResult<Access> {
    let activity = tx.activity(activity).await?;
    access_to(tx, actor, &activity).await
}

/// The actor's access to an activity already read in the transaction (no second read), with
/// the actor's own role on it when they are a member.
pub(crate) async fn access_to(
    tx: &mut dyn Tx,
    actor: &Actor,
    activity: &ensemble_domain::activity::Activity,
) -> AppResult<Access> {
    if actor.role.is_staff() {
        return Ok(Access::Staff);
    }
    let member = own_member(actor)?;
    let role = tx.activity_role(activity.id, member).await?;
    access_with(actor, activity.id, role)
}

/// The actor's access to an activity given their role on it (`role`, read with the activity
/// when the actor is a member).
pub(crate) fn access_with(
    actor: &Actor,
    activity: ActivityId,
    role: Option<ActivityRole>,
) -> AppResult<Access> {
    if actor.role.is_staff() {
        return Ok(Access::Staff);
    }
    own_member(actor)?;
    match role {
        Some(ActivityRole::Manager) => Ok(Access::Manager),
        Some(ActivityRole::Participant) => Ok(Access::Participant),
        Some(ActivityRole::Advisor) | None => Err(AppError::forbidden(format!(
            "you are not a member of activity {activity}"
        ))),
    }
}

/// The member the actor is; `Forbidden` for a staff account that is no member.
pub(crate) fn own_member(actor: &Actor) -> AppResult<MemberId> {
    actor
        .member
        .ok_or_else(|| AppError::forbidden("this account is not a member's"))
}

/// Staff, or the member themself.
pub(crate) fn member_access(actor: &Actor, member: MemberId) -> AppResult<()> {
    if actor.role.is_staff() || actor.member == Some(member) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "you can only see your own member record",
        ))
    }
}
