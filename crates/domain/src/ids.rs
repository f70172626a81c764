//! Typed ids: a member id cannot be passed where an invoice id is expected.
//!
//! Ids are UUIDv7 (time-ordered). This crate never creates them (that would read the clock);
//! the application layer does, and hands them in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Why a text is not an id of the expected kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{text}\" is not a valid {kind} id")]
pub struct IdError {
    pub kind: &'static str,
    pub text: String,
}

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident => $kind:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// What the id names, for messages ("member", "invoice").
            pub const KIND: &'static str = $kind;

            pub const fn from_uuid(uuid: Uuid) -> $name {
                $name(uuid)
            }

            pub const fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<$name, IdError> {
                Uuid::parse_str(s.trim()).map($name).map_err(|_| IdError {
                    kind: $kind,
                    text: s.to_string(),
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    )*};
}

typed_id! {
    /// A cooperative entity: one legal employer in one country.
    EntityId => "entity";
    /// A member (cooperator and employee).
    MemberId => "member";
    /// A user account (member, advisor, accountant, administrator).
    UserId => "user";
    /// A member's activity, with its budget.
    ActivityId => "activity";
    /// A client of an activity.
    ClientId => "client";
    /// A quote (order form).
    QuoteId => "quote";
    /// A work declaration.
    DeclarationId => "declaration";
    /// An invoice or credit note.
    InvoiceId => "invoice";
    /// An employment contract.
    ContractId => "contract";
    /// A payslip.
    PayslipId => "payslip";
    /// An expense claim.
    ExpenseClaimId => "expense claim";
    /// A share subscription in the share register.
    ShareSubscriptionId => "share subscription";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_and_print_as_uuids() {
        let text = "0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d";
        let id: MemberId = text.parse().unwrap();
        assert_eq!(id.to_string(), text);
        assert_eq!(
            "nope".parse::<InvoiceId>().unwrap_err().to_string(),
            "\"nope\" is not a valid invoice id"
        );
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
    }
}
