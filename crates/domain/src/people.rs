//! Members, their national numbers and share subscriptions; users and their roles.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::identifiers::{Email, Iban, Nir, Niss, PostalAddress};
use crate::{
    Country, EntityId, Invalid, Lang, MemberId, Money, ShareSubscriptionId, Status, UserId,
};

/// A member's social security number: NIR in France, NISS in Belgium.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "scheme", content = "value", rename_all = "snake_case")]
pub enum NationalId {
    Nir(Nir),
    Niss(Niss),
}

impl NationalId {
    /// Parses the number the entity's country uses.
    pub fn parse(country: Country, text: &str) -> Result<NationalId, Invalid> {
        match country {
            Country::Fr => text
                .parse::<Nir>()
                .map(NationalId::Nir)
                .map_err(|e| Invalid::new("national_id", e.to_string())),
            Country::Be => text
                .parse::<Niss>()
                .map(NationalId::Niss)
                .map_err(|e| Invalid::new("national_id", e.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            NationalId::Nir(n) => n.as_str(),
            NationalId::Niss(n) => n.as_str(),
        }
    }
}

/// A member: a person who works through the cooperative as its employee and owns shares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: MemberId,
    pub entity_id: EntityId,
    pub first_name: String,
    pub last_name: String,
    pub email: Email,
    pub iban: Iban,
    pub national_id: NationalId,
    pub address: PostalAddress,
    pub lang: Lang,
    /// Payroll status: non-cadre or cadre in France; employee, worker or artist in Belgium.
    pub status: Status,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    pub joined_on: Date,
}

impl Member {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// Checks the rules a member of a `country` entity must meet.
    pub fn check(&self, country: Country) -> Result<(), Invalid> {
        if self.first_name.trim().is_empty() {
            return Err(Invalid::new("first_name", "a first name is required"));
        }
        if self.last_name.trim().is_empty() {
            return Err(Invalid::new("last_name", "a last name is required"));
        }
        match (country, &self.national_id) {
            (Country::Fr, NationalId::Nir(_)) | (Country::Be, NationalId::Niss(_)) => {}
            _ => {
                return Err(Invalid::new(
                    "national_id",
                    match country {
                        Country::Fr => "a member of a French entity has a NIR",
                        Country::Be => "a member of a Belgian entity has a NISS",
                    },
                ));
            }
        }
        let fits = match country {
            Country::Fr => matches!(self.status, Status::NonCadre | Status::Cadre),
            Country::Be => matches!(
                self.status,
                Status::Employee | Status::Worker | Status::Artist
            ),
        };
        if !fits {
            return Err(Invalid::new(
                "status",
                format!("\"{}\" is not a status in {}", self.status, country.name()),
            ));
        }
        Ok(())
    }
}

/// One line of the share register: shares (France) or years of use (Belgium) bought.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareSubscription {
    pub id: ShareSubscriptionId,
    pub entity_id: EntityId,
    pub member_id: MemberId,
    pub count: u32,
    pub amount: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    pub subscribed_on: Date,
}

/// What a user may do across the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A member: their own activities, documents and payslips.
    Member,
    /// Staff: validates quotes, declarations and expense claims, helps members.
    Advisor,
    /// Payroll runs, payouts, reconciliation, exports.
    Accountant,
    /// Entities, rule packs, users and roles.
    Admin,
}

impl Role {
    pub const fn code(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Advisor => "advisor",
            Role::Accountant => "accountant",
            Role::Admin => "admin",
        }
    }

    /// Staff roles see every activity of their cooperative.
    pub const fn is_staff(self) -> bool {
        !matches!(self, Role::Member)
    }
}

impl FromStr for Role {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Role, Invalid> {
        match s {
            "member" => Ok(Role::Member),
            "advisor" => Ok(Role::Advisor),
            "accountant" => Ok(Role::Accountant),
            "admin" => Ok(Role::Admin),
            other => Err(Invalid::new(
                "role",
                format!("unknown role \"{other}\": member, advisor, accountant or admin"),
            )),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A user account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub role: Role,
    /// The member this account belongs to, for members.
    pub member_id: Option<MemberId>,
    pub lang: Lang,
}
