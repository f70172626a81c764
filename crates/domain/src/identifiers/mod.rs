//! Identifiers of people, companies, accounts and payments, each parsed and checked.
//!
//! This module owns the types that carry an identifier through Ensemble: bank accounts
//! ([`Iban`], [`Bic`]), VAT numbers ([`VatId`]), French company and social security numbers
//! ([`Siren`], [`Siret`], [`Nir`]), Belgian enterprise and national numbers
//! ([`BeEnterpriseNumber`], [`Niss`]), payment references ([`BeStructuredCommunication`],
//! [`RfCreditorReference`]), [`Email`] addresses, Peppol participant ids ([`PeppolId`]),
//! postal addresses ([`PostalAddress`]) and ISO country codes ([`CountryCode`]).
//!
//! Parse, don't validate: each type can only hold a valid value. `parse` / `FromStr`
//! normalises (strips spaces, dots and dashes, upper-cases), checks format and check digits,
//! and returns a typed error whose message names the value and the rule, such as
//! `IBAN BE71 0961 2345 6760: check digits do not match`. Every type has `as_str()` (the
//! canonical compact form, also its serde form: deserialising runs the same parse) and a
//! `Display` in the customary human form (IBAN in groups of four, `0403.170.701`,
//! `+++010/8068/17183+++`). Personal numbers (NIR, NISS) keep their digits out of `Debug`.
//!
//! The check-digit rules agree with python-stdnum, the project's oracle: `testdata/` holds
//! generated cases with stdnum's verdicts and a test replays them (see
//! `testdata/generate.py`). Whether a number is registered (VIES, Sirene, BCE, SWIFT) is
//! outside this module: it never imports I/O, a clock or a network client.

mod address;
mod be;
mod check;
mod country_code;
mod email;
mod fr;
mod iban;
mod peppol;
mod rf;
mod sex;
mod vat;

#[cfg(test)]
mod stdnum_oracle;

pub use address::{AddressError, PostalAddress};
pub use be::{
    BeEnterpriseNumber, BeEnterpriseNumberError, BeStructuredCommunication,
    BeStructuredCommunicationError, Niss, NissError,
};
pub use country_code::{CountryCode, CountryCodeError};
pub use email::{Email, EmailError};
pub use fr::{Nir, NirError, Siren, SirenError, Siret, SiretError};
pub use iban::{Bic, BicError, Iban, IbanError};
pub use peppol::{PEPPOL_PARTICIPANT_SCHEME, PeppolId, PeppolIdError, PeppolScheme};
pub use rf::{RfCreditorReference, RfCreditorReferenceError};
pub use sex::Sex;
pub use vat::{VatCheck, VatError, VatId};
