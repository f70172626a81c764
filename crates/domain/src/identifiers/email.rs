//! E-mail addresses ([`Email`]), checked pragmatically.

use std::fmt;

use super::check::string_identifier;

/// An e-mail address, checked the pragmatic way (the full RFC 5322 grammar accepts things no
/// mail system delivers to): one `@`, a local part of 1 to 64 characters, a domain with at
/// least one dot and no empty label, no white space or control character, at most 254
/// characters in all. The domain is lower-cased (it is case-insensitive); the local part is
/// kept as written (it may be case-sensitive). Whether the address exists is a question for
/// a confirmation e-mail, not for this type.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email {
    value: String,
    at: usize,
}

/// Why a string is not an e-mail address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("e-mail address is empty")]
    Empty,
    #[error("e-mail address {0}: must not contain spaces or control characters")]
    Whitespace(String),
    #[error("e-mail address {0}: must have at most 254 characters")]
    TooLong(String),
    #[error("e-mail address {0}: must contain exactly one @")]
    At(String),
    #[error("e-mail address {0}: the part before @ must have 1 to 64 characters")]
    LocalPart(String),
    #[error("e-mail address {0}: the domain must contain a dot and no empty part")]
    Domain(String),
}

impl Email {
    /// Parses an address, trimming surrounding white space and lower-casing the domain.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let given = input.trim();
        if given.is_empty() {
            return Err(EmailError::Empty);
        }
        if given.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::Whitespace(given.to_string()));
        }
        if given.chars().count() > 254 {
            return Err(EmailError::TooLong(given.to_string()));
        }
        let mut parts = given.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(EmailError::At(given.to_string()));
        };
        if local.is_empty() || local.chars().count() > 64 {
            return Err(EmailError::LocalPart(given.to_string()));
        }
        let domain = domain.to_lowercase();
        if !domain.contains('.') || domain.split('.').any(str::is_empty) {
            return Err(EmailError::Domain(given.to_string()));
        }
        Ok(Email {
            value: format!("{local}@{domain}"),
            at: local.len(),
        })
    }

    /// The address, domain in lower case.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The part before `@`.
    pub fn local_part(&self) -> &str {
        self.value.get(..self.at).unwrap_or_default()
    }

    /// The domain, in lower case.
    pub fn domain(&self) -> &str {
        self.value.get(self.at + 1..).unwrap_or_default()
    }
}

string_identifier!(Email, EmailError);

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid() {
        let e = Email::parse("  Marie.Dupont+coop@Example.COOP ").unwrap();
        assert_eq!(e.as_str(), "Marie.Dupont+coop@example.coop");
        assert_eq!(e.local_part(), "Marie.Dupont+coop");
        assert_eq!(e.domain(), "example.coop");
        assert_eq!(e.to_string(), "Marie.Dupont+coop@example.coop");
        assert!(Email::parse("a@b.be").is_ok());
        assert!(Email::parse("élodie@café.fr").is_ok());
    }

    #[test]
    fn invalid() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        assert_eq!(
            Email::parse("marie@example").unwrap_err().to_string(),
            "e-mail address marie@example: the domain must contain a dot and no empty part"
        );
        assert!(matches!(
            Email::parse("marie example.be"),
            Err(EmailError::Whitespace(_))
        ));
        assert!(matches!(
            Email::parse("marie.example.be"),
            Err(EmailError::At(_))
        ));
        assert!(matches!(
            Email::parse("a@b@example.be"),
            Err(EmailError::At(_))
        ));
        assert!(matches!(
            Email::parse("@example.be"),
            Err(EmailError::LocalPart(_))
        ));
        let long_local = format!("{}@example.be", "a".repeat(65));
        assert!(matches!(
            Email::parse(&long_local),
            Err(EmailError::LocalPart(_))
        ));
        assert!(Email::parse(&format!("{}@example.be", "a".repeat(64))).is_ok());
        assert!(matches!(
            Email::parse("a@example..be"),
            Err(EmailError::Domain(_))
        ));
        assert!(matches!(
            Email::parse("a@.example.be"),
            Err(EmailError::Domain(_))
        ));
        assert!(matches!(
            Email::parse("a@example.be."),
            Err(EmailError::Domain(_))
        ));
        let long = format!("a@{}.be", "b".repeat(252));
        assert!(matches!(Email::parse(&long), Err(EmailError::TooLong(_))));
    }

    #[test]
    fn serde_round_trip() {
        let e = Email::parse("a@Example.be").unwrap();
        assert_eq!(serde_json::to_string(&e).unwrap(), "\"a@example.be\"");
        assert_eq!(
            serde_json::from_str::<Email>("\"a@EXAMPLE.be\"").unwrap(),
            e
        );
        assert!(serde_json::from_str::<Email>("\"a@example\"").is_err());
    }
}
