//! French identifiers: [`Siren`] and [`Siret`] (INSEE company register) and [`Nir`] (social
//! security number, "numéro de sécurité sociale").

use std::fmt;

use super::check::{self, SEPARATORS, string_identifier};
use super::sex::Sex;
use super::vat::VatId;

/// A SIREN, the 9-digit French company number (INSEE, Sirene register), Luhn-checked.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Siren(String);

/// Why a string is not a SIREN.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SirenError {
    #[error("SIREN is empty")]
    Empty,
    #[error("SIREN {0}: must be 9 digits")]
    Format(String),
    #[error("SIREN {0}: Luhn check digit does not match")]
    CheckDigit(String),
}

impl Siren {
    /// Parses a SIREN, stripping spaces, dots and dashes: `732 829 320`, `732829320`.
    pub fn parse(input: &str) -> Result<Siren, SirenError> {
        let given = input.trim();
        let compact = check::compact(given, SEPARATORS);
        if compact.is_empty() {
            return Err(SirenError::Empty);
        }
        if compact.len() != 9 || !check::is_digits(&compact) {
            return Err(SirenError::Format(given.to_string()));
        }
        if !check::luhn_valid(&compact) {
            return Err(SirenError::CheckDigit(given.to_string()));
        }
        Ok(Siren(compact))
    }

    /// The 9 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The intra-community VAT number `FR` + key + SIREN, with the numeric key
    /// (12 + 3 × (SIREN mod 97)) mod 97 that the tax administration assigns today.
    pub fn vat_id(&self) -> VatId {
        VatId::from_siren(self)
    }

    /// The SIREN of an establishment number (its first nine digits).
    pub fn of(siret: &Siret) -> Siren {
        siret.siren()
    }
}

string_identifier!(Siren, SirenError);

impl fmt::Display for Siren {
    /// `732 829 320`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&check::grouped(&self.0, 3, ' '))
    }
}

impl fmt::Debug for Siren {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Siren({})", self.0)
    }
}

/// A SIRET, the 14-digit number of a French establishment: SIREN (9) + NIC (5).
///
/// The whole number passes the Luhn check, except La Poste's establishments (SIRET starting
/// with 356000000, other than the head office 356 000 000 00048) whose digits must add up to
/// a multiple of 5. Its SIREN always passes the Luhn check.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Siret(String);

/// Why a string is not a SIRET.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SiretError {
    #[error("SIRET is empty")]
    Empty,
    #[error("SIRET {0}: must be 14 digits")]
    Format(String),
    #[error("SIRET {0}: Luhn check digit does not match")]
    CheckDigit(String),
    #[error(
        "SIRET {0}: a La Poste establishment number (356000000…) must have a digit sum divisible by 5"
    )]
    LaPosteDigitSum(String),
    #[error("SIRET {0}: its SIREN (first nine digits) fails the Luhn check")]
    Siren(String),
}

/// La Poste's SIREN, whose establishments do not follow the Luhn rule.
const LA_POSTE_SIREN: &str = "356000000";
/// La Poste's head office, which does follow it.
const LA_POSTE_HEAD_OFFICE: &str = "35600000000048";

impl Siret {
    /// Parses a SIRET, stripping spaces, dots and dashes: `732 829 320 00074`.
    pub fn parse(input: &str) -> Result<Siret, SiretError> {
        let given = input.trim();
        let compact = check::compact(given, SEPARATORS);
        if compact.is_empty() {
            return Err(SiretError::Empty);
        }
        if compact.len() != 14 || !check::is_digits(&compact) {
            return Err(SiretError::Format(given.to_string()));
        }
        if compact.starts_with(LA_POSTE_SIREN) && compact != LA_POSTE_HEAD_OFFICE {
            if !check::digits(&compact).sum::<u32>().is_multiple_of(5) {
                return Err(SiretError::LaPosteDigitSum(given.to_string()));
            }
        } else if !check::luhn_valid(&compact) {
            return Err(SiretError::CheckDigit(given.to_string()));
        }
        if !compact.get(..9).is_some_and(check::luhn_valid) {
            return Err(SiretError::Siren(given.to_string()));
        }
        Ok(Siret(compact))
    }

    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The company's SIREN (first nine digits).
    pub fn siren(&self) -> Siren {
        Siren(self.0.get(..9).unwrap_or_default().to_string())
    }

    /// The establishment's internal number (NIC, last five digits).
    pub fn nic(&self) -> &str {
        self.0.get(9..).unwrap_or_default()
    }
}

string_identifier!(Siret, SiretError);

impl fmt::Display for Siret {
    /// `732 829 320 00074`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (siren, nic) = self.0.split_at(9.min(self.0.len()));
        write!(f, "{} {nic}", check::grouped(siren, 3, ' '))
    }
}

impl fmt::Debug for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Siret({})", self.0)
    }
}

/// A French social security number (NIR, "numéro d'inscription au répertoire"), 15 characters:
/// sex (1), year of birth (2), month of birth (2), department (2: digits, or `2A`/`2B` for
/// Corsica), commune (3), order number (3), key (2).
///
/// The key is 97 − (the 13-character number mod 97), with `2A` read as 19 and `2B` as 18.
/// The first digit is 1 (male) or 2 (female) for a permanent number; 3/4 and 7/8 mark
/// temporary numbers (respectively for people born abroad being registered, and the NIA
/// "numéro d'identification d'attente"), accepted and reported by [`Nir::is_temporary`].
/// Other first digits are refused. The month is not checked: registers use 20 and 30–42 or
/// 50–99 when the month of birth is unknown, so [`Nir::birth_month`] is `None` outside 1–12.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nir(String);

/// Why a string is not a NIR.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NirError {
    #[error("NIR is empty")]
    Empty,
    #[error("NIR {0}: must be 15 characters (13 and a 2-digit key)")]
    Length(String),
    #[error("NIR {0}: expected digits only, with 2A or 2B as a Corsican department")]
    Format(String),
    #[error(
        "NIR {0}: the first digit (sex) must be 1 or 2, or 3, 4, 7 or 8 for a temporary number"
    )]
    Sex(String),
    #[error("NIR {0}: key does not match (97 − number mod 97)")]
    Key(String),
}

impl Nir {
    /// Parses a NIR, stripping spaces, dots and dashes and upper-casing `2a`/`2b`:
    /// `1 84 12 76 451 089 46`.
    pub fn parse(input: &str) -> Result<Nir, NirError> {
        let given = input.trim();
        let compact = check::compact(given, SEPARATORS);
        if compact.is_empty() {
            return Err(NirError::Empty);
        }
        if compact.len() != 15 || !compact.is_ascii() {
            return Err(NirError::Length(given.to_string()));
        }
        let (head, dept, tail) = (&compact[..5], &compact[5..7], &compact[7..]);
        let dept_value = match dept {
            "2A" => "19",
            "2B" => "18",
            d if check::is_digits(d) => d,
            _ => return Err(NirError::Format(given.to_string())),
        };
        if !check::is_digits(head) || !check::is_digits(tail) {
            return Err(NirError::Format(given.to_string()));
        }
        if !matches!(
            head.as_bytes().first(),
            Some(b'1' | b'2' | b'3' | b'4' | b'7' | b'8')
        ) {
            return Err(NirError::Sex(given.to_string()));
        }
        let body = format!("{head}{dept_value}{}", &tail[..6]);
        match (check::number(&body), check::number(&tail[6..])) {
            (Some(n), Some(key)) if 97 - n % 97 == key => Ok(Nir(compact)),
            _ => Err(NirError::Key(given.to_string())),
        }
    }

    /// The 15 characters, without spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn part(&self, from: usize, to: usize) -> &str {
        self.0.get(from..to).unwrap_or_default()
    }

    /// The sex the number encodes.
    pub fn sex(&self) -> Sex {
        match self.0.as_bytes().first() {
            Some(b'2' | b'4' | b'8') => Sex::Female,
            _ => Sex::Male,
        }
    }

    /// A temporary number (first digit 3, 4, 7 or 8), to be replaced by a permanent one.
    pub fn is_temporary(&self) -> bool {
        matches!(self.0.as_bytes().first(), Some(b'3' | b'4' | b'7' | b'8'))
    }

    /// The last two digits of the year of birth (the century is not encoded).
    pub fn birth_year_two_digits(&self) -> u8 {
        check::number(self.part(1, 3))
            .and_then(|n| u8::try_from(n).ok())
            .unwrap_or_default()
    }

    /// The month of birth, when the number records one (1–12).
    pub fn birth_month(&self) -> Option<u8> {
        check::number(self.part(3, 5))
            .and_then(|n| u8::try_from(n).ok())
            .filter(|m| (1..=12).contains(m))
    }

    /// The department of birth: `75`, `2A`, `97` (overseas, with the commune's first digit),
    /// `99` (born abroad).
    pub fn department(&self) -> &str {
        self.part(5, 7)
    }

    /// The two-digit key.
    pub fn key(&self) -> &str {
        self.part(13, 15)
    }
}

string_identifier!(Nir, NirError);

impl fmt::Display for Nir {
    /// `1 84 12 76 451 089 46`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {} {} {}",
            self.part(0, 1),
            self.part(1, 3),
            self.part(3, 5),
            self.part(5, 7),
            self.part(7, 10),
            self.part(10, 13),
            self.part(13, 15)
        )
    }
}

impl fmt::Debug for Nir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A personal number: keep it out of logs that print Debug.
        write!(f, "Nir({}…)", self.part(0, 3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren() {
        let s = Siren::parse("732 829 320").unwrap();
        assert_eq!(s.as_str(), "732829320");
        assert_eq!(s.to_string(), "732 829 320");
        assert_eq!(Siren::parse("732.829.320"), Ok(s.clone()));
        assert_eq!(s.vat_id().as_str(), "FR44732829320");
        assert_eq!(
            Siren::parse("732 829 321").unwrap_err().to_string(),
            "SIREN 732 829 321: Luhn check digit does not match"
        );
        assert!(matches!(
            Siren::parse("73282932"),
            Err(SirenError::Format(_))
        ));
        assert!(matches!(
            Siren::parse("73282932A"),
            Err(SirenError::Format(_))
        ));
        assert_eq!(Siren::parse(" "), Err(SirenError::Empty));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"732829320\"");
        assert_eq!(serde_json::from_str::<Siren>("\"732 829 320\"").unwrap(), s);
        assert!(serde_json::from_str::<Siren>("\"732829321\"").is_err());
    }

    #[test]
    fn siret() {
        let s = Siret::parse("732 829 320 00074").unwrap();
        assert_eq!(s.as_str(), "73282932000074");
        assert_eq!(s.to_string(), "732 829 320 00074");
        assert_eq!(s.siren().as_str(), "732829320");
        assert_eq!(Siren::of(&s), s.siren());
        assert_eq!(s.nic(), "00074");
        assert!(matches!(
            Siret::parse("73282932000075"),
            Err(SiretError::CheckDigit(_))
        ));
        assert!(matches!(
            Siret::parse("7328293200007"),
            Err(SiretError::Format(_))
        ));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"73282932000074\"");
        assert_eq!(
            serde_json::from_str::<Siret>("\"73282932000074\"").unwrap(),
            s
        );
    }

    #[test]
    fn siret_la_poste() {
        // La Poste establishments: digit sum divisible by 5, Luhn not required.
        assert!(Siret::parse("35600000049837").is_ok());
        assert!(!check::luhn_valid("35600000049837"));
        assert!(matches!(
            Siret::parse("35600000049838"),
            Err(SiretError::LaPosteDigitSum(_))
        ));
        // The head office follows the Luhn rule.
        assert!(Siret::parse("35600000000048").is_ok());
    }

    #[test]
    fn nir() {
        // Key: 97 − (1841276451089 mod 97) = 46.
        let n = Nir::parse("1 84 12 76 451 089 46").unwrap();
        assert_eq!(n.as_str(), "184127645108946");
        assert_eq!(n.to_string(), "1 84 12 76 451 089 46");
        assert_eq!(n.sex(), Sex::Male);
        assert!(!n.is_temporary());
        assert_eq!(n.birth_year_two_digits(), 84);
        assert_eq!(n.birth_month(), Some(12));
        assert_eq!(n.department(), "76");
        assert_eq!(n.key(), "46");
        assert_eq!(Nir::parse("1.84.12.76.451.089.46"), Ok(n.clone()));
        assert_eq!(
            Nir::parse("1 84 12 76 451 089 47").unwrap_err().to_string(),
            "NIR 1 84 12 76 451 089 47: key does not match (97 − number mod 97)"
        );
        assert!(matches!(
            Nir::parse("18412764510894"),
            Err(NirError::Length(_))
        ));
        assert!(matches!(
            Nir::parse("5 84 12 76 451 089 46"),
            Err(NirError::Sex(_))
        ));
        assert!(matches!(
            Nir::parse("1 84 12 7X 451 089 46"),
            Err(NirError::Format(_))
        ));
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"184127645108946\"");
        assert_eq!(
            serde_json::from_str::<Nir>("\"184127645108946\"").unwrap(),
            n
        );
        assert!(!format!("{n:?}").contains("451"));
    }

    #[test]
    fn nir_corsica_and_unknown_month() {
        // 2A counts as 19: 97 − (2920519001002 mod 97) = 71 … computed by the same rule as stdnum.
        let body = 2_920_519_001_002u64;
        let key = 97 - body % 97;
        let n = Nir::parse(&format!("2 92 05 2a 001 002 {key:02}")).unwrap();
        assert_eq!(n.department(), "2A");
        assert_eq!(n.sex(), Sex::Female);
        assert_eq!(n.as_str(), format!("292052A001002{key:02}"));
        // The same digits with 2B do not match the key.
        assert!(Nir::parse(&format!("2 92 05 2B 001 002 {key:02}")).is_err());
        // Unknown month (20) and a temporary number.
        let body = 7_852_099_001_002u64;
        let n = Nir::parse(&format!("785209900100 2{:02}", 97 - body % 97)).unwrap();
        assert_eq!(n.birth_month(), None);
        assert!(n.is_temporary());
        assert_eq!(n.sex(), Sex::Male);
    }
}
