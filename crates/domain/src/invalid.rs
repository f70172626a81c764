//! The error of a domain rule: which field, and what is wrong with it.

/// An input a rule refuses. `field` names the input (as the API and the forms name it), the
/// message says the rule, e.g. `iban: IBAN BE71 0961 2345 6760: check digits do not match`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(field: &'static str, message: impl Into<String>) -> Invalid {
        Invalid {
            field,
            message: message.into(),
        }
    }
}

/// Parses `text` into `T`, naming `field` when it fails.
pub fn parse_field<T>(field: &'static str, text: &str) -> Result<T, Invalid>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e: T::Err| Invalid::new(field, e.to_string()))
}
