//! Peppol participant identifiers ([`PeppolId`]) in the `iso6523-actorid-upis` scheme.

use std::fmt;

use super::be::BeEnterpriseNumber;
use super::check::{self, string_identifier};
use super::fr::{Siren, Siret};
use super::vat::VatId;

/// The identifier schemes (ISO 6523 ICD codes) Ensemble knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeppolScheme {
    /// 0002: French SIREN (Luhn checked).
    FrSiren,
    /// 0009: French SIRET (checked).
    FrSiret,
    /// 0088: GS1 Global Location Number, 13 digits (GS1 check digit checked).
    Gln,
    /// 0106: Dutch Chamber of Commerce (KvK) number, 8 digits (format only).
    NlKvk,
    /// 0190: Dutch government organisation id (OIN), 20 digits (format only).
    NlOin,
    /// 0192: Norwegian organisation number, 9 digits (format only).
    NoOrganisationNumber,
    /// 0208: Belgian enterprise number (checked).
    BeEnterpriseNumber,
    /// 9925: Belgian VAT number, `BE` + 10 digits (checked).
    BeVat,
    /// 9957: French VAT number, `FR` + key + SIREN (checked).
    FrVat,
}

impl PeppolScheme {
    pub const ALL: [PeppolScheme; 9] = [
        PeppolScheme::FrSiren,
        PeppolScheme::FrSiret,
        PeppolScheme::Gln,
        PeppolScheme::NlKvk,
        PeppolScheme::NlOin,
        PeppolScheme::NoOrganisationNumber,
        PeppolScheme::BeEnterpriseNumber,
        PeppolScheme::BeVat,
        PeppolScheme::FrVat,
    ];

    /// The four-digit ISO 6523 International Code Designator.
    pub const fn icd(self) -> &'static str {
        match self {
            PeppolScheme::FrSiren => "0002",
            PeppolScheme::FrSiret => "0009",
            PeppolScheme::Gln => "0088",
            PeppolScheme::NlKvk => "0106",
            PeppolScheme::NlOin => "0190",
            PeppolScheme::NoOrganisationNumber => "0192",
            PeppolScheme::BeEnterpriseNumber => "0208",
            PeppolScheme::BeVat => "9925",
            PeppolScheme::FrVat => "9957",
        }
    }

    /// What the identifier is, for messages.
    pub const fn description(self) -> &'static str {
        match self {
            PeppolScheme::FrSiren => "SIREN",
            PeppolScheme::FrSiret => "SIRET",
            PeppolScheme::Gln => "GLN (13 digits with a GS1 check digit)",
            PeppolScheme::NlKvk => "Dutch KvK number (8 digits)",
            PeppolScheme::NlOin => "Dutch OIN (20 digits)",
            PeppolScheme::NoOrganisationNumber => "Norwegian organisation number (9 digits)",
            PeppolScheme::BeEnterpriseNumber => "Belgian enterprise number",
            PeppolScheme::BeVat => "Belgian VAT number (BE + 10 digits)",
            PeppolScheme::FrVat => "French VAT number (FR + key + SIREN)",
        }
    }

    /// The scheme of an ICD.
    pub fn from_icd(icd: &str) -> Option<PeppolScheme> {
        PeppolScheme::ALL.into_iter().find(|s| s.icd() == icd)
    }

    /// The canonical identifier for this scheme, or why it is not one.
    fn canonical(self, id: &str) -> Result<String, String> {
        let digits = |len: usize| {
            let compact = check::compact(id, check::SEPARATORS);
            if compact.len() == len && check::is_digits(&compact) {
                Ok(compact)
            } else {
                Err(format!("must be {len} digits"))
            }
        };
        match self {
            PeppolScheme::FrSiren => Siren::parse(id)
                .map(|s| s.as_str().to_string())
                .map_err(|e| e.to_string()),
            PeppolScheme::FrSiret => Siret::parse(id)
                .map(|s| s.as_str().to_string())
                .map_err(|e| e.to_string()),
            PeppolScheme::BeEnterpriseNumber => BeEnterpriseNumber::parse(id)
                .map(|s| s.as_str().to_string())
                .map_err(|e| e.to_string()),
            PeppolScheme::BeVat | PeppolScheme::FrVat => {
                let prefix = if self == PeppolScheme::BeVat {
                    "BE"
                } else {
                    "FR"
                };
                let vat = VatId::parse(id).map_err(|e| e.to_string())?;
                if vat.prefix() == prefix {
                    Ok(vat.as_str().to_string())
                } else {
                    Err(format!("must start with {prefix}"))
                }
            }
            PeppolScheme::Gln => {
                let gln = digits(13)?;
                let body = gln.get(..12).unwrap_or_default();
                // GS1: weights 3 and 1 alternating from the right of the body.
                let sum: u32 = check::digits(body)
                    .rev()
                    .enumerate()
                    .map(|(i, d)| if i % 2 == 0 { 3 * d } else { d })
                    .sum();
                let expected = (10 - sum % 10) % 10;
                if gln.bytes().last().map(check::digit) == Some(expected) {
                    Ok(gln)
                } else {
                    Err("GS1 check digit does not match".to_string())
                }
            }
            PeppolScheme::NlKvk => digits(8),
            PeppolScheme::NlOin => digits(20),
            PeppolScheme::NoOrganisationNumber => digits(9),
        }
    }
}

impl fmt::Display for PeppolScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.icd())
    }
}

/// A Peppol participant identifier `<ICD>:<identifier>`, such as `0208:0403170701`,
/// `9925:BE0403170701` or `0009:73282932000074`.
///
/// Only the schemes of [`PeppolScheme`] are accepted, each identifier is parsed by its own
/// type and stored in that type's compact form; letters are upper-cased (Peppol identifiers
/// are case-insensitive). The optional `iso6523-actorid-upis::` scheme prefix is accepted and
/// dropped; [`PeppolId::with_scheme`] writes it back.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeppolId {
    value: String,
    scheme: PeppolScheme,
}

/// Why a string is not a Peppol participant identifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeppolIdError {
    #[error("Peppol participant id is empty")]
    Empty,
    #[error(
        "Peppol participant id {0}: expected <4-digit ICD>:<identifier>, as in 0208:0403170701"
    )]
    Format(String),
    #[error(
        "Peppol participant id {0}: ICD {1} is not one Ensemble knows (0002, 0009, 0088, 0106, 0190, 0192, 0208, 9925, 9957)"
    )]
    UnknownScheme(String, String),
    #[error("Peppol participant id {value}: not a valid {scheme}: {reason}")]
    Identifier {
        value: String,
        scheme: &'static str,
        reason: String,
    },
}

/// The participant identifier scheme Peppol uses for all these ids.
pub const PEPPOL_PARTICIPANT_SCHEME: &str = "iso6523-actorid-upis";

impl PeppolId {
    /// Parses `0208:0403170701`, `iso6523-actorid-upis::0208:0403.170.701`, `9925:be0403170701`.
    pub fn parse(input: &str) -> Result<PeppolId, PeppolIdError> {
        let given = input.trim();
        if given.is_empty() {
            return Err(PeppolIdError::Empty);
        }
        let prefix = format!("{PEPPOL_PARTICIPANT_SCHEME}::");
        let bare = match given.get(..prefix.len()) {
            Some(p) if p.eq_ignore_ascii_case(&prefix) => {
                given.get(prefix.len()..).unwrap_or_default()
            }
            _ => given,
        };
        let Some((icd, id)) = bare.split_once(':') else {
            return Err(PeppolIdError::Format(given.to_string()));
        };
        let icd = icd.trim();
        if icd.len() != 4 || !check::is_digits(icd) || id.trim().is_empty() {
            return Err(PeppolIdError::Format(given.to_string()));
        }
        let scheme = PeppolScheme::from_icd(icd)
            .ok_or_else(|| PeppolIdError::UnknownScheme(given.to_string(), icd.to_string()))?;
        let id = scheme
            .canonical(id)
            .map_err(|reason| PeppolIdError::Identifier {
                value: given.to_string(),
                scheme: scheme.description(),
                reason,
            })?;
        Ok(PeppolId::new(scheme, &id))
    }

    fn new(scheme: PeppolScheme, id: &str) -> PeppolId {
        PeppolId {
            value: format!("{}:{id}", scheme.icd()),
            scheme,
        }
    }

    /// `<ICD>:<identifier>`: `0208:0403170701`.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The identifier scheme.
    pub fn scheme(&self) -> PeppolScheme {
        self.scheme
    }

    /// The four-digit ICD.
    pub fn icd(&self) -> &'static str {
        self.scheme.icd()
    }

    /// The identifier after the ICD.
    pub fn identifier(&self) -> &str {
        self.value.get(5..).unwrap_or_default()
    }

    /// With the scheme, as SMP lookups and UBL `EndpointID/@schemeID` pairs spell it:
    /// `iso6523-actorid-upis::0208:0403170701`.
    pub fn with_scheme(&self) -> String {
        format!("{PEPPOL_PARTICIPANT_SCHEME}::{}", self.value)
    }

    /// The Peppol id of a VAT number: `9925:BE…` or `9957:FR…`; `None` for other countries.
    pub fn from_vat_id(vat: &VatId) -> Option<PeppolId> {
        match vat.prefix() {
            "BE" => Some(PeppolId::new(PeppolScheme::BeVat, vat.as_str())),
            "FR" => Some(PeppolId::new(PeppolScheme::FrVat, vat.as_str())),
            _ => None,
        }
    }
}

impl From<&BeEnterpriseNumber> for PeppolId {
    /// `0208:<enterprise number>`, the usual Belgian Peppol id.
    fn from(number: &BeEnterpriseNumber) -> PeppolId {
        PeppolId::new(PeppolScheme::BeEnterpriseNumber, number.as_str())
    }
}

impl From<&Siret> for PeppolId {
    /// `0009:<SIRET>`.
    fn from(siret: &Siret) -> PeppolId {
        PeppolId::new(PeppolScheme::FrSiret, siret.as_str())
    }
}

impl From<&Siren> for PeppolId {
    /// `0002:<SIREN>`.
    fn from(siren: &Siren) -> PeppolId {
        PeppolId::new(PeppolScheme::FrSiren, siren.as_str())
    }
}

string_identifier!(PeppolId, PeppolIdError);

impl fmt::Display for PeppolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl fmt::Debug for PeppolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PeppolId({})", self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgian_ids() {
        let p = PeppolId::parse("0208:0403170701").unwrap();
        assert_eq!(p.as_str(), "0208:0403170701");
        assert_eq!(p.scheme(), PeppolScheme::BeEnterpriseNumber);
        assert_eq!(p.icd(), "0208");
        assert_eq!(p.identifier(), "0403170701");
        assert_eq!(p.with_scheme(), "iso6523-actorid-upis::0208:0403170701");
        assert_eq!(
            PeppolId::parse("iso6523-actorid-upis::0208:0403.170.701"),
            Ok(p.clone())
        );
        assert_eq!(
            PeppolId::parse("ISO6523-ACTORID-UPIS::0208:0403170701"),
            Ok(p.clone())
        );
        let n = BeEnterpriseNumber::parse("0403170701").unwrap();
        assert_eq!(PeppolId::from(&n), p);

        let v = PeppolId::parse("9925:be0403170701").unwrap();
        assert_eq!(v.as_str(), "9925:BE0403170701");
        assert_eq!(PeppolId::from_vat_id(&n.vat_id()), Some(v));
        assert!(PeppolId::parse("9925:FR44732829320").is_err());
        assert_eq!(
            PeppolId::parse("0208:0403170702").unwrap_err().to_string(),
            "Peppol participant id 0208:0403170702: not a valid Belgian enterprise number: enterprise number 0403170702: check digits do not match (97 − first eight digits mod 97)"
        );
    }

    #[test]
    fn french_ids() {
        let siret = PeppolId::parse("0009:73282932000074").unwrap();
        assert_eq!(siret.scheme(), PeppolScheme::FrSiret);
        assert_eq!(
            PeppolId::from(&Siret::parse("73282932000074").unwrap()),
            siret
        );
        assert!(PeppolId::parse("0009:73282932000075").is_err());
        let siren = PeppolId::parse("0002:732829320").unwrap();
        assert_eq!(PeppolId::from(&Siren::parse("732829320").unwrap()), siren);
        assert!(PeppolId::parse("0002:732829321").is_err());
        let vat = PeppolId::parse("9957:fr44732829320").unwrap();
        assert_eq!(vat.as_str(), "9957:FR44732829320");
        assert!(PeppolId::parse("9957:FR45732829320").is_err());
    }

    #[test]
    fn format_schemes() {
        // A GLN whose GS1 check digit python-stdnum's ean module confirms.
        assert!(PeppolId::parse("0088:5790000435975").is_ok());
        assert!(PeppolId::parse("0088:5410000000019").is_ok());
        assert!(PeppolId::parse("0088:5790000435976").is_err());
        assert!(PeppolId::parse("0088:579000043597").is_err());
        assert!(PeppolId::parse("0192:987654321").is_ok());
        assert!(PeppolId::parse("0192:98765432").is_err());
        assert!(PeppolId::parse("0106:12345678").is_ok());
        assert!(PeppolId::parse("0190:00000001234567890000").is_ok());
        assert!(PeppolId::parse("0190:0000000123456789000").is_err());
    }

    #[test]
    fn rejects() {
        assert_eq!(PeppolId::parse(" "), Err(PeppolIdError::Empty));
        assert!(matches!(
            PeppolId::parse("0403170701"),
            Err(PeppolIdError::Format(_))
        ));
        assert!(matches!(
            PeppolId::parse("208:0403170701"),
            Err(PeppolIdError::Format(_))
        ));
        assert!(matches!(
            PeppolId::parse("0208:"),
            Err(PeppolIdError::Format(_))
        ));
        assert!(matches!(
            PeppolId::parse("0060:123456789"),
            Err(PeppolIdError::UnknownScheme(_, _))
        ));
    }

    #[test]
    fn serde_round_trip() {
        let p = PeppolId::parse("0208:0403170701").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"0208:0403170701\"");
        assert_eq!(
            serde_json::from_str::<PeppolId>("\"0208:0403.170.701\"").unwrap(),
            p
        );
        assert!(serde_json::from_str::<PeppolId>("\"0060:1\"").is_err());
    }
}
