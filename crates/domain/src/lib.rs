//! Ensemble's domain: the types and rules of a shared-enterprise cooperative, with no I/O.
//!
//! This crate owns the value types every other crate speaks in — [`Money`] (integer euro
//! cents), [`Rate`] (a percentage in parts per million), [`Month`], [`Country`] — and, as the
//! core chain lands, typed ids, identifiers (IBAN, VAT, NIR, NISS), members, activities,
//! invoices, contracts and the fee and guarantee policies.
//!
//! Every type here is parsed, not validated: a value that exists is a valid value.
//!
//! It must never import the store, the web layer, the clock or the file system: dates and
//! periods are always explicit inputs.

pub mod activity;
pub mod client;
pub mod contract;
pub mod coop;
mod country;
mod documents;
mod employment;
pub mod expense;
pub mod identifiers;
mod ids;
mod invalid;
pub mod invoice;
mod lang;
mod money;
mod month;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod people;
pub mod quote;
mod rate;
pub mod work;

pub use country::{Country, CountryError};
pub use documents::{DocumentKind, DocumentNumber, PaymentReference};
pub use employment::{Contract, Status};
pub use ids::{
    ActivityId, ClientId, ContractId, DeclarationId, EntityId, ExpenseClaimId, IdError, InvoiceId,
    MemberId, PayslipId, QuoteId, ShareSubscriptionId, UserId,
};
pub use invalid::{Invalid, parse_field};
pub use lang::{Lang, LangError};
pub use money::{Money, MoneyError};
pub use month::{Month, MonthError};
pub use rate::{Rate, RateError};

pub use coop::{FeePolicy, SharePolicy};
