//! Employment: the statuses and contract kinds payroll and contracts speak of.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

/// The employee's status: French categories, Belgian ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// France: non-cadre.
    NonCadre,
    /// France: cadre (AGIRC-ARRCO executive: APEC, minimum death and disability cover).
    Cadre,
    /// Belgium: employé / bediende, contributions on 100 % of gross.
    Employee,
    /// Belgium: ouvrier / arbeider, contributions on 108 % of gross.
    Worker,
    /// Belgium: artist (article 1bis), contributions on 108 % of gross like a worker.
    Artist,
}

impl Status {
    pub const fn code(self) -> &'static str {
        match self {
            Status::NonCadre => "non-cadre",
            Status::Cadre => "cadre",
            Status::Employee => "employee",
            Status::Worker => "worker",
            Status::Artist => "artist",
        }
    }
}

/// The kind of employment contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contract {
    /// Open-ended contract (FR CDI; BE contrat à durée indéterminée, paid monthly).
    Cdi,
    /// Fixed-term contract (FR CDD with its 10 % end-of-contract indemnity and the 1 % CPF-CDD
    /// employer line; BE fixed-term contract paid monthly).
    Cdd,
    /// French CDD d'usage: no end-of-contract indemnity, the 1 % CPF-CDD line is due.
    CddUsage,
    /// Belgian daily contract(s): `days` contract days in the month.
    Daily,
}

impl Contract {
    pub const fn code(self) -> &'static str {
        match self {
            Contract::Cdi => "cdi",
            Contract::Cdd => "cdd",
            Contract::CddUsage => "cdd-usage",
            Contract::Daily => "daily",
        }
    }
}

macro_rules! parse_codes {
    ($ty:ident, $what:literal, $($code:literal => $variant:expr),+ $(,)?) => {
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<$ty, String> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($code => Ok($variant),)+
                    other => Err(format!(
                        concat!("unknown ", $what, " \"{}\": expected one of ", $($code, " "),+),
                        other
                    )),
                }
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

parse_codes!(Status, "status",
    "non-cadre" => Status::NonCadre, "cadre" => Status::Cadre, "employee" => Status::Employee,
    "worker" => Status::Worker, "artist" => Status::Artist);
parse_codes!(Contract, "contract",
    "cdi" => Contract::Cdi, "cdd" => Contract::Cdd, "cdd-usage" => Contract::CddUsage,
    "daily" => Contract::Daily);
