//! The inputs of the use cases, as the API and the CLI receive them: plain JSON with strings,
//! parsed here into domain types. Every error names the field, e.g. `iban: IBAN BE71 0961
//! 2345 6760: check digits do not match`. Unknown fields are refused.

use ensemble_domain::client::ClientKind;
use ensemble_domain::identifiers::{CountryCode, PostalAddress};
use ensemble_domain::work::{Quantity, WorkUnit};
use ensemble_domain::{
    ActivityId, ClientId, EntityId, Invalid, Lang, MemberId, Money, Month, Rate, Status,
    parse_field,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A postal address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    pub lines: Vec<String>,
    pub postcode: Option<String>,
    pub city: String,
    /// ISO 3166-1 alpha-2 country code.
    #[schema(value_type = ensemble_domain::identifiers::CountryCode)]
    pub country: String,
}

impl AddressInput {
    pub fn parse(&self, field: &'static str) -> Result<PostalAddress, Invalid> {
        let country: CountryCode = parse_field(field, &self.country)?;
        PostalAddress::new(&self.lines, self.postcode.as_deref(), &self.city, country)
            .map_err(|e| Invalid::new(field, e.to_string()))
    }
}

/// A cooperative entity to create.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntity {
    /// `fr` or `be`.
    #[schema(value_type = ensemble_domain::Country)]
    pub country: String,
    pub name: String,
    /// SIRET (France) or enterprise number (Belgium).
    pub legal_id: String,
    #[schema(value_type = ensemble_domain::identifiers::VatId)]
    pub vat_id: String,
    #[schema(value_type = ensemble_domain::identifiers::Iban)]
    pub iban: String,
    #[schema(value_type = Option<ensemble_domain::identifiers::Bic>)]
    pub bic: Option<String>,
    pub address: AddressInput,
    /// The fee in percent; default 8.5 (France) or 6.5 (Belgium).
    pub fee_rate: Option<Rate>,
    /// The standard VAT rate in percent; default 20 (France) or 21 (Belgium).
    pub vat_rate: Option<Rate>,
    pub payment_term_days: Option<u32>,
    pub headcount: Option<u32>,
    /// Validate work declarations at once instead of queueing them for an advisor.
    #[serde(default)]
    pub auto_validate: bool,
}

/// The settings of an entity an administrator may change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntitySettings {
    /// The fee in percent (0 to 50).
    pub fee_rate: Rate,
    /// Days between an invoice and its due date (1 to 120).
    pub payment_term_days: u32,
    pub headcount: u32,
    /// Validate work declarations at once instead of queueing them for an advisor.
    pub auto_validate: bool,
}

/// A member to admit: a member record and a user account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub entity_id: EntityId,
    pub first_name: String,
    pub last_name: String,
    #[schema(value_type = ensemble_domain::identifiers::Email)]
    pub email: String,
    #[schema(value_type = ensemble_domain::identifiers::Iban)]
    pub iban: String,
    /// NIR (France) or NISS (Belgium).
    pub national_id: String,
    pub address: AddressInput,
    pub lang: Option<Lang>,
    /// non-cadre / cadre (France), employee / worker / artist (Belgium); default non-cadre or
    /// artist.
    pub status: Option<Status>,
    #[schema(value_type = Option<ensemble_domain::openapi::IsoDate>)]
    pub joined_on: Option<Date>,
    /// Shares (France) or years of use (Belgium) subscribed on admission.
    pub shares: Option<u32>,
}

/// A staff account to create.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[schema(value_type = ensemble_domain::identifiers::Email)]
    pub email: String,
    /// advisor, accountant or admin.
    #[schema(inline, value_type = String, pattern = "^(advisor|accountant|admin)$")]
    pub role: String,
    pub lang: Option<Lang>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShares {
    /// Shares (France) or years of use (Belgium).
    #[schema(minimum = 1, maximum = 10000)]
    pub count: u32,
    #[schema(value_type = Option<ensemble_domain::openapi::IsoDate>)]
    pub subscribed_on: Option<Date>,
}

/// An activity to open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActivity {
    pub entity_id: EntityId,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Its manager; by default the member who opens it.
    pub manager: Option<MemberId>,
    /// A fee rate in percent agreed for this activity (staff only).
    pub fee_rate: Option<Rate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActivityMember {
    pub member_id: MemberId,
    /// manager, participant or advisor.
    #[schema(value_type = ensemble_domain::activity::ActivityRole)]
    pub role: String,
}

/// A client to record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClient {
    pub entity_id: EntityId,
    /// company or person.
    #[schema(value_type = ensemble_domain::client::ClientKind)]
    pub kind: String,
    pub name: String,
    pub address: AddressInput,
    #[schema(value_type = Option<ensemble_domain::identifiers::VatId>)]
    pub vat_id: Option<String>,
    /// SIREN (France) or enterprise number (Belgium).
    pub company_id: Option<String>,
    #[schema(value_type = Option<ensemble_domain::identifiers::PeppolId>)]
    pub peppol_id: Option<String>,
    #[schema(value_type = Option<ensemble_domain::identifiers::Email>)]
    pub email: Option<String>,
    pub lang: Option<Lang>,
}

impl NewClient {
    pub fn kind(&self) -> Result<ClientKind, Invalid> {
        parse_field("kind", &self.kind)
    }
}

/// The dates of declared work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodInput {
    #[schema(value_type = ensemble_domain::openapi::IsoDate)]
    pub start: Date,
    #[schema(value_type = ensemble_domain::openapi::IsoDate)]
    pub end: Date,
}

/// Work to declare.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeclaration {
    pub activity_id: ActivityId,
    pub client_id: ClientId,
    /// The member who worked; by default the actor.
    pub member_id: Option<MemberId>,
    pub period: PeriodInput,
    /// day, half_day, hour or month.
    #[schema(value_type = ensemble_domain::work::WorkUnit)]
    pub unit: String,
    /// How many units: 3, 2.5 (hours)…
    #[schema(pattern = r"^[0-9]+(\.[0-9]{1,2})?$", examples("3", "2.5"))]
    pub quantity: String,
    /// The price excl. VAT invoiced to the client…
    pub price: Option<Money>,
    /// …or the gross salary wanted (exactly one of the two).
    pub gross: Option<Money>,
    pub description: String,
}

impl NewDeclaration {
    pub fn unit(&self) -> Result<WorkUnit, Invalid> {
        parse_field("unit", &self.unit)
    }

    pub fn quantity(&self) -> Result<Quantity, Invalid> {
        Quantity::parse("quantity", &self.quantity)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// Why, for the member (1 to 1000 characters).
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

/// A salary paid from an activity's budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SalaryRequest {
    pub member_id: Option<MemberId>,
    pub month: Month,
    /// The employer cost to spend; by default the whole available budget.
    pub budget: Option<Money>,
    pub description: Option<String>,
}

/// Parses an optional text field.
pub(crate) fn optional<T>(field: &'static str, text: &Option<String>) -> Result<Option<T>, Invalid>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| parse_field(field, t))
        .transpose()
}

/// A name or label: trimmed, 1 to `max` characters.
pub(crate) fn text(field: &'static str, value: &str, max: usize) -> Result<String, Invalid> {
    let t = value.trim();
    if t.is_empty() {
        return Err(Invalid::new(field, "is required"));
    }
    if t.chars().count() > max {
        return Err(Invalid::new(field, format!("at most {max} characters")));
    }
    Ok(t.to_string())
}
