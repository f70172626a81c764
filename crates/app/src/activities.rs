//! Activities: opening them, the people on them, their budget.

use ensemble_domain::activity::{Activity, ActivityMember, ActivityRole, ActivityStatus};
use ensemble_domain::{ActivityId, EntityId, FeePolicy, Invalid, Money, parse_field};
use ensemble_store::{BudgetMovement, Filter};
use serde::{Deserialize, Serialize};

use crate::access::{Access, activity_access};
use crate::idempotency::{remember, replay};
use crate::inputs::{NewActivity, NewActivityMember, text};
use crate::{Actor, App, AppError, AppResult, Idempotency};

/// An activity with its people and the movements of its budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActivityDetail {
    pub activity: Activity,
    pub members: Vec<ActivityMember>,
    pub movements: Vec<BudgetMovement>,
    /// The invoiced budget (what the member may spend) and the collected one (in the books),
    /// with what lies between them (see [`crate::budgets`]).
    pub budgets: crate::budgets::ActivityBudgets,
}

/// A budget adjustment by staff: an opening balance, a correction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetAdjustment {
    pub amount: Money,
    #[schema(min_length = 1, max_length = 200)]
    pub label: String,
}

impl App {
    /// Adjusts an activity's budget (staff): an opening balance or a correction, recorded as a
    /// movement. The budget cannot go below zero.
    pub async fn adjust_budget(
        &self,
        actor: &Actor,
        activity: ActivityId,
        input: &BudgetAdjustment,
        idem: Option<&Idempotency>,
    ) -> AppResult<BudgetMovement> {
        crate::access::require_staff(actor)?;
        if input.amount == Money::ZERO {
            return Err(Invalid::new("amount", "an adjustment is not zero").into());
        }
        let label = text("label", &input.label, 200)?;
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "adjust_budget", idem).await? {
            return Ok(previous);
        }
        tx.activity(activity).await?;
        let movement = BudgetMovement {
            id: self.id().to_string(),
            activity_id: activity,
            kind: "adjustment".to_string(),
            amount: input.amount,
            document: String::new(),
            label,
            created_at: self.clock.micros(),
        };
        tx.move_budget(&movement).await?;
        remember(
            &mut *tx,
            actor,
            "adjust_budget",
            idem,
            &movement,
            movement.created_at,
        )
        .await?;
        tx.commit().await?;
        Ok(movement)
    }

    /// Opens an activity. A member opens their own (they become its manager); staff may open
    /// one for a member and agree a fee rate.
    pub async fn create_activity(
        &self,
        actor: &Actor,
        input: &NewActivity,
        idem: Option<&Idempotency>,
    ) -> AppResult<Activity> {
        let manager = match (input.manager, actor.member) {
            (Some(m), _) if actor.role.is_staff() || actor.member == Some(m) => m,
            (Some(_), _) => {
                return Err(AppError::forbidden(
                    "only staff open an activity for someone else",
                ));
            }
            (None, Some(me)) => me,
            (None, None) => {
                return Err(
                    Invalid::new("manager", "say which member manages the activity").into(),
                );
            }
        };
        if input.fee_rate.is_some() && !actor.role.is_staff() {
            return Err(AppError::forbidden("only staff agree a fee rate"));
        }
        let fee_override = input
            .fee_rate
            .map(FeePolicy::new)
            .transpose()?
            .map(|f| f.rate);
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "create_activity", idem).await? {
            return Ok(previous);
        }
        let entity = tx.entity(input.entity_id).await?;
        let member = tx.member(manager).await?;
        if member.entity_id != entity.id {
            return Err(
                Invalid::new("manager", "the manager is a member of another entity").into(),
            );
        }
        let activity = Activity {
            id: ActivityId::from_uuid(self.id()),
            entity_id: entity.id,
            name: text("name", &input.name, 200)?,
            description: input.description.trim().to_string(),
            status: ActivityStatus::Active,
            fee_override,
            budget: Money::ZERO,
        };
        let at = self.clock.micros();
        tx.insert_activity(&activity, at).await?;
        tx.put_activity_member(&ActivityMember {
            activity_id: activity.id,
            member_id: manager,
            role: ActivityRole::Manager,
        })
        .await?;
        remember(&mut *tx, actor, "create_activity", idem, &activity, at).await?;
        tx.commit().await?;
        Ok(activity)
    }

    /// Adds a person to an activity or changes their role (its manager, or staff).
    pub async fn put_activity_member(
        &self,
        actor: &Actor,
        activity: ActivityId,
        input: &NewActivityMember,
        idem: Option<&Idempotency>,
    ) -> AppResult<ActivityMember> {
        let role: ActivityRole = parse_field("role", &input.role)?;
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "put_activity_member", idem).await? {
            return Ok(previous);
        }
        match activity_access(&mut *tx, actor, activity).await? {
            Access::Staff | Access::Manager => {}
            Access::Participant => {
                return Err(AppError::forbidden(
                    "only the activity's manager adds people",
                ));
            }
        }
        let a = tx.activity(activity).await?;
        let member = tx.member(input.member_id).await?;
        if member.entity_id != a.entity_id {
            return Err(Invalid::new("member_id", "that member belongs to another entity").into());
        }
        let m = ActivityMember {
            activity_id: activity,
            member_id: member.id,
            role,
        };
        tx.put_activity_member(&m).await?;
        remember(
            &mut *tx,
            actor,
            "put_activity_member",
            idem,
            &m,
            self.clock.micros(),
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// An activity, its people and its budget (its members, or staff).
    pub async fn activity(&self, actor: &Actor, id: ActivityId) -> AppResult<ActivityDetail> {
        let mut tx = self.store.read().await?;
        activity_access(&mut *tx, actor, id).await?;
        let activity = tx.activity(id).await?;
        let budgets = crate::budgets::activity_budgets(&mut *tx, &activity).await?;
        Ok(ActivityDetail {
            activity,
            members: tx.activity_members(id).await?,
            movements: tx.budget_movements(id).await?,
            budgets,
        })
    }

    /// The activities the actor sees: staff all (of an entity), a member their own.
    pub async fn activities(
        &self,
        actor: &Actor,
        entity: Option<EntityId>,
    ) -> AppResult<Vec<Activity>> {
        let mut filter = Filter {
            entity,
            limit: Some(10_000),
            ..Filter::default()
        };
        if !actor.role.is_staff() {
            filter.member = Some(crate::access::own_member(actor)?);
        }
        let mut tx = self.store.read().await?;
        Ok(tx.activities(&filter).await?)
    }
}
