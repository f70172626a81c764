//! Countries where a cooperative entity employs people.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A country Ensemble has rules for. The design admits more; each needs a rule pack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Country {
    /// France
    Fr,
    /// Belgium
    Be,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown country \"{0}\": Ensemble knows fr (France) and be (Belgium)")]
pub struct CountryError(String);

impl Country {
    pub const ALL: [Country; 2] = [Country::Fr, Country::Be];

    /// ISO 3166-1 alpha-2 code in capitals, as in IBANs and VAT ids.
    pub const fn code(self) -> &'static str {
        match self {
            Country::Fr => "FR",
            Country::Be => "BE",
        }
    }

    /// Lower-case code, as the CLI and file paths write it.
    pub const fn slug(self) -> &'static str {
        match self {
            Country::Fr => "fr",
            Country::Be => "be",
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Country::Fr => "France",
            Country::Be => "Belgium",
        }
    }
}

impl FromStr for Country {
    type Err = CountryError;
    fn from_str(s: &str) -> Result<Country, CountryError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" => Ok(Country::Fr),
            "be" => Ok(Country::Be),
            _ => Err(CountryError(s.to_string())),
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.slug())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Country, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
