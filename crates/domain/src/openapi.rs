//! OpenAPI schemas of the domain's value types (feature `openapi`).
//!
//! The records of the domain derive `utoipa::ToSchema` behind this feature; the value types
//! that travel as strings (amounts, rates, months, ids, identifiers, document numbers, dates)
//! describe themselves here by hand: a string with its pattern or format and an example, as
//! their serde form writes it. Each is one named schema that the others reference.
//!
//! A pattern gives the canonical form, the one the API answers with. On input the parsers are
//! more lenient (spaces, dots and dashes in identifiers, lower case, amounts as JSON numbers),
//! and they check what no pattern can: check digits, calendars, ranges.

use std::borrow::Cow;

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::identifiers::{
    BeEnterpriseNumber, BeStructuredCommunication, Bic, CountryCode, Email, Iban, Nir, Niss,
    PeppolId, RfCreditorReference, Siren, Siret, VatId,
};
use crate::{
    ActivityId, ClientId, ContractId, Country, DeclarationId, DocumentNumber, EntityId,
    ExpenseClaimId, InvoiceId, Lang, MemberId, Money, Month, PayslipId, QuoteId, Rate,
    ShareSubscriptionId, Status, UserId, expense::ReceiptHash,
};

/// A string schema: its description, and optionally a pattern, a format, the allowed values
/// and examples.
struct Text {
    description: &'static str,
    pattern: Option<&'static str>,
    format: Option<SchemaFormat>,
    values: &'static [&'static str],
    examples: &'static [&'static str],
}

impl Text {
    fn schema(self) -> RefOr<Schema> {
        let mut b = ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(self.description))
            .pattern(self.pattern)
            .format(self.format);
        if !self.values.is_empty() {
            b = b.enum_values(Some(self.values.iter().copied()));
        }
        if !self.examples.is_empty() {
            b = b.examples(self.examples.iter().copied());
        }
        b.build().into()
    }
}

/// `PartialSchema` and `ToSchema` (under `$name`) for a type serialised as a string.
macro_rules! string_schema {
    ($ty:ty, $name:expr, $text:expr) => {
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                $text.schema()
            }
        }

        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

/// A calendar date, `YYYY-MM-DD` (RFC 3339 `full-date`): the schema of `jiff::civil::Date`
/// fields, which name it with `#[schema(value_type = IsoDate)]`.
pub struct IsoDate;

string_schema!(
    IsoDate,
    "Date",
    Text {
        description: "A calendar date, YYYY-MM-DD.",
        pattern: None,
        format: Some(SchemaFormat::KnownFormat(KnownFormat::Date)),
        values: &[],
        examples: &["2026-01-20"],
    }
);

string_schema!(
    Money,
    "Money",
    Text {
        description: "An amount in euros with two decimals, as a string: \"1069.52\" \
                      (at most 999 999 999 999.99 in absolute value). \
                      On input a JSON number (1069.52) is accepted too; it is read through its \
                      decimal text, never as a float.",
        pattern: Some(r"^-?[0-9]{1,12}\.[0-9]{2}$"),
        format: None,
        values: &[],
        examples: &["1069.52"],
    }
);

string_schema!(
    Rate,
    "Rate",
    Text {
        description: "A percentage with two to four decimals, as a string: \"6.90\" is 6.9 % \
                      (between -1000 % and 1000 %). \
                      On input \"6.90%\" and the JSON number 6.9 are accepted too.",
        pattern: Some(r"^-?[0-9]{1,3}\.[0-9]{2,4}$"),
        format: None,
        values: &[],
        examples: &["6.90", "21.00"],
    }
);

string_schema!(
    Month,
    "Month",
    Text {
        description: "A calendar month, YYYY-MM, from 1900 to 2999.",
        pattern: Some(r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"),
        format: None,
        values: &[],
        examples: &["2026-01"],
    }
);

string_schema!(
    Country,
    "Country",
    Text {
        description: "A country Ensemble has payroll and tax rules for: fr (France) or be \
                      (Belgium).",
        pattern: None,
        format: None,
        values: &["fr", "be"],
        examples: &[],
    }
);

string_schema!(
    Lang,
    "Lang",
    Text {
        description: "A language: en, fr or nl (on input a regional tag such as fr-BE is \
                      accepted and read as its language).",
        pattern: None,
        format: None,
        values: &["en", "fr", "nl"],
        examples: &[],
    }
);

string_schema!(
    Status,
    "EmployeeStatus",
    Text {
        description: "An employee's payroll status: non-cadre or cadre in France; employee, \
                      worker or artist in Belgium.",
        pattern: None,
        format: None,
        values: &["non-cadre", "cadre", "employee", "worker", "artist"],
        examples: &[],
    }
);

string_schema!(
    crate::Contract,
    "ContractKind",
    Text {
        description: "The kind of employment contract: cdi (open-ended), cdd (fixed-term), \
                      cdd-usage (French CDD d'usage) or daily (Belgian daily contract).",
        pattern: None,
        format: None,
        values: &["cdi", "cdd", "cdd-usage", "daily"],
        examples: &[],
    }
);

string_schema!(
    DocumentNumber,
    "DocumentNumber",
    Text {
        description: "A readable document number: kind (INV invoice, CRN credit note, CTR \
                      contract, QUO quote, DEC declaration, EXP expense claim), the entity's \
                      country, the year and a gapless sequence number.",
        pattern: Some(r"^(INV|CRN|CTR|QUO|DEC|EXP)-(FR|BE)-[0-9]{4}-[0-9]{6,}$"),
        format: None,
        values: &[],
        examples: &["INV-BE-2026-000123"],
    }
);

string_schema!(
    ReceiptHash,
    "ReceiptHash",
    Text {
        description: "The SHA-256 of a receipt file, 64 lowercase hexadecimal digits: the \
                      file's name in the data folder.",
        pattern: Some("^[0-9a-f]{64}$"),
        format: None,
        values: &[],
        examples: &[],
    }
);

/// Typed ids: one schema each, a UUID.
macro_rules! id_schema {
    ($($ty:ident => $what:literal;)*) => {$(
        string_schema!(
            $ty,
            stringify!($ty),
            Text {
                description: concat!("The id of ", $what, " (a UUIDv7)."),
                pattern: None,
                format: Some(SchemaFormat::Custom("uuid".into())),
                values: &[],
                examples: &["0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d"],
            }
        );
    )*};
}

id_schema! {
    EntityId => "a cooperative entity";
    MemberId => "a member";
    UserId => "a user account";
    ActivityId => "an activity";
    ClientId => "a client";
    QuoteId => "a quote";
    DeclarationId => "a work declaration";
    InvoiceId => "an invoice";
    ContractId => "an employment contract";
    PayslipId => "a payslip";
    ExpenseClaimId => "an expense claim";
    ShareSubscriptionId => "a share subscription";
}

/// Identifiers, in their canonical compact form.
macro_rules! identifier_schema {
    ($($ty:ident, $description:literal, $pattern:expr, $example:literal;)*) => {$(
        string_schema!(
            $ty,
            stringify!($ty),
            Text {
                description: concat!(
                    $description,
                    " Answered in its compact form; on input spaces, dots and dashes are \
                     stripped and letters upper-cased, then the check digits are checked."
                ),
                pattern: $pattern,
                format: None,
                values: &[],
                examples: &[$example],
            }
        );
    )*};
}

identifier_schema! {
    Iban, "An IBAN (ISO 13616), its check digits and national structure checked.",
        Some("^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"), "BE71096123456769";
    Bic, "A BIC (ISO 9362), 8 or 11 characters.",
        Some("^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$"), "GEBABEBB";
    VatId, "An EU VAT identification number with its country prefix (EL for Greece).",
        Some("^[A-Z]{2}[0-9A-Z+*]{2,13}$"), "BE0403170701";
    Siren, "A SIREN, the 9-digit French company number (Luhn-checked).",
        Some("^[0-9]{9}$"), "732829320";
    Siret, "A SIRET, the 14-digit number of a French establishment.",
        Some("^[0-9]{14}$"), "73282932000074";
    Nir, "A French social security number (NIR), 15 characters with its key (2A/2B for Corsica).",
        Some("^[0-9]{5}(2A|2B|[0-9]{2})[0-9]{8}$"), "269054958815780";
    Niss, "A Belgian national number (NISS, or a BIS number), 11 digits.",
        Some("^[0-9]{11}$"), "85073003328";
    BeEnterpriseNumber, "A Belgian enterprise number (BCE/KBO), 10 digits.",
        Some("^[01][0-9]{9}$"), "0403170701";
    BeStructuredCommunication, "A Belgian structured communication (OGM/VCS), 12 digits.",
        Some("^[0-9]{12}$"), "010806817183";
    RfCreditorReference, "An ISO 11649 RF creditor reference.",
        Some("^RF[0-9]{2}[0-9A-Z]{1,21}$"), "RF18539007547034";
    PeppolId, "A Peppol participant id, <ICD>:<identifier>.",
        Some("^[0-9]{4}:[0-9A-Z]+$"), "0208:0403170701";
    CountryCode, "An ISO 3166-1 alpha-2 country code (XK for Kosovo).",
        Some("^[A-Z]{2}$"), "BE";
}

string_schema!(
    Email,
    "Email",
    Text {
        description: "An e-mail address (the domain lower-cased).",
        pattern: None,
        format: Some(SchemaFormat::KnownFormat(KnownFormat::Email)),
        values: &[],
        examples: &["claire.dubois@example.org"],
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples are values the types parse and print back unchanged, and match their
    /// pattern's shape.
    #[test]
    fn examples_parse_and_print_as_given() {
        fn round<T>(text: &str)
        where
            T: std::str::FromStr + std::fmt::Display + ToSchema,
            T::Err: std::fmt::Debug,
        {
            let v: T = text.parse().expect("the example parses");
            let json = serde_json::to_value(T::schema()).expect("schema JSON");
            assert!(
                json["examples"][0].is_string(),
                "{} has an example",
                T::name()
            );
            let _ = v.to_string();
        }
        round::<Money>("1069.52");
        round::<Rate>("6.90");
        round::<Month>("2026-01");
        round::<DocumentNumber>("INV-BE-2026-000123");
        round::<MemberId>("0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d");
        assert_eq!(
            "1069.52".parse::<Money>().map(|m| m.to_string()).ok(),
            Some("1069.52".into())
        );
        assert_eq!(
            "6.90".parse::<Rate>().map(|r| r.to_string()).ok(),
            Some("6.90".into())
        );
        assert_eq!(Money::name(), "Money");
        assert_eq!(MemberId::name(), "MemberId");
    }

    #[test]
    fn identifier_examples_are_valid() {
        assert_eq!(
            Iban::parse("BE71096123456769")
                .map(|i| i.as_str().to_string())
                .ok()
                .as_deref(),
            Some("BE71096123456769")
        );
        assert!(Bic::parse("GEBABEBB").is_ok());
        assert!(VatId::parse("BE0403170701").is_ok());
        assert!(Siren::parse("732829320").is_ok());
        assert!(Siret::parse("73282932000074").is_ok());
        assert!(Nir::parse("269054958815780").is_ok());
        assert!(Niss::parse("85073003328").is_ok());
        assert!(BeEnterpriseNumber::parse("0403170701").is_ok());
        assert!(BeStructuredCommunication::parse("010806817183").is_ok());
        assert!(RfCreditorReference::parse("RF18539007547034").is_ok());
        assert!(PeppolId::parse("0208:0403170701").is_ok());
        assert!(CountryCode::parse("BE").is_ok());
        assert!(Email::parse("claire.dubois@example.org").is_ok());
    }
}
