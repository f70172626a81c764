//! Employment contracts produced from declared work, and their social declarations
//! (Belgian Dimona, French DPAE).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{
    ActivityId, Contract, ContractId, Country, DeclarationId, DocumentNumber, EntityId, MemberId,
    Money,
};

/// An employment contract. Members complained of contracts known only by a number: each has a
/// readable title besides its number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmploymentContract {
    pub id: ContractId,
    pub number: DocumentNumber,
    pub entity_id: EntityId,
    pub member_id: MemberId,
    pub activity_id: ActivityId,
    pub declaration_id: Option<DeclarationId>,
    pub country: Country,
    pub kind: Contract,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    pub start: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    pub end: Date,
    /// Paid hours (hundredths), when the contract counts hours.
    pub hours: Option<i64>,
    pub days: Option<u32>,
    pub gross: Money,
    pub title: String,
}

/// The readable title of a contract: what, for whom, when.
pub fn contract_title(description: &str, client_name: &str, start: Date, end: Date) -> String {
    let what = description.lines().next().unwrap_or("").trim();
    let what: String = what.chars().take(80).collect();
    if start == end {
        format!("{what} for {client_name}, {start}")
    } else {
        format!("{what} for {client_name}, {start} to {end}")
    }
}

/// The immediate declaration of employment filed for a contract: a Dimona IN in Belgium
/// (socialsecurity.be), a DPAE in France (URSSAF). Ensemble prepares the record; sending it to
/// the authority's web service is the job of a connector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SocialDeclaration {
    DimonaIn {
        /// The employer's enterprise number (BCE/KBO).
        employer: String,
        /// The worker's NISS.
        worker: String,
        /// Joint committee (commission paritaire) of the contract.
        joint_committee: String,
        /// Worker type: OTH ordinary worker.
        worker_type: String,
        #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
        start: Date,
        #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
        end: Date,
        /// The user company, for work made available to a client (interim framework).
        user_company: Option<String>,
    },
    Dpae {
        /// The employer's SIRET.
        employer: String,
        /// The employee's NIR.
        employee: String,
        contract_type: String,
        #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
        start: Date,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::IsoDate>))]
        end: Option<Date>,
        hours: Option<i64>,
    },
}
