//! Activities: a member's business unit, with its budget and the people on it.

use serde::{Deserialize, Serialize};

use crate::{ActivityId, EntityId, Invalid, MemberId, Money, Rate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    Active,
    Suspended,
    Closed,
}

/// What a person does on an activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityRole {
    /// Runs the activity: quotes, declarations, expenses, salaries.
    Manager,
    /// Works on the activity: declares their own work.
    Participant,
    /// The cooperative's advisor following the activity.
    Advisor,
}

macro_rules! codes {
    ($ty:ident, $field:literal, $($code:literal => $v:path),+) => {
        impl $ty {
            pub const fn code(self) -> &'static str {
                match self { $($v => $code,)+ }
            }
        }
        impl std::str::FromStr for $ty {
            type Err = Invalid;
            fn from_str(s: &str) -> Result<$ty, Invalid> {
                match s {
                    $($code => Ok($v),)+
                    other => Err(Invalid::new($field, format!(
                        concat!("unknown ", $field, " \"{}\": expected one of", $(" ", $code),+), other))),
                }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use codes;

codes!(ActivityStatus, "status", "active" => ActivityStatus::Active,
    "suspended" => ActivityStatus::Suspended, "closed" => ActivityStatus::Closed);
codes!(ActivityRole, "role", "manager" => ActivityRole::Manager,
    "participant" => ActivityRole::Participant, "advisor" => ActivityRole::Advisor);

/// A member's activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: ActivityId,
    pub entity_id: EntityId,
    pub name: String,
    pub description: String,
    pub status: ActivityStatus,
    /// A fee rate agreed for this activity instead of the entity's.
    pub fee_override: Option<Rate>,
    /// What the activity can spend: invoiced work less fees, less salaries and expenses.
    pub budget: Money,
}

/// A person's role on an activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityMember {
    pub activity_id: ActivityId,
    pub member_id: MemberId,
    pub role: ActivityRole,
}
