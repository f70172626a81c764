//! The languages Ensemble speaks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A language of the product: French, Dutch or English.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Fr,
    Nl,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown language \"{0}\": Ensemble speaks en, fr and nl")]
pub struct LangError(String);

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Nl];

    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Nl => "nl",
        }
    }
}

impl FromStr for Lang {
    type Err = LangError;
    fn from_str(s: &str) -> Result<Lang, LangError> {
        let lower = s.trim().to_ascii_lowercase();
        // Accept regional tags such as fr-BE or nl_BE.
        match lower.get(..2) {
            Some("en") => Ok(Lang::En),
            Some("fr") => Ok(Lang::Fr),
            Some("nl") => Ok(Lang::Nl),
            _ => Err(LangError(s.to_string())),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Lang, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
