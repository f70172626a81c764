//! Text in SEPA files: the SEPA Latin character set, transliteration, and length-checked types.
//!
//! The EPC SEPA Credit Transfer implementation guidelines (EPC132-08, section 1.4 "Character
//! set") allow only the basic Latin set in a SEPA message:
//!
//! ```text
//! a-z A-Z 0-9 / - ? : ( ) . , ' + space
//! ```
//!
//! **Decision.** Free text (names, addresses, unstructured remittance information) is
//! *transliterated* to that set with Ensemble's own table below, because refusing a salary
//! payout because a member is called "Zoë Müller-Lefèvre" helps nobody; a character without a
//! transliteration is *refused* with an error that names the field and the character, because
//! guessing (dropping it, replacing it with a dot) could change a name's meaning silently.
//! Identifiers (message, payment and end-to-end ids) are never transliterated: they come back
//! verbatim in bank statements, so any character outside the set is refused.
//!
//! The table: letters with diacritics lose them (é → e, Ä → A, Ł → L, Ș → S), ligatures and
//! special letters become two letters (Æ → AE, Œ → OE, ß → ss, Ĳ → IJ, Þ → TH), typographic
//! quotes and apostrophes become `'`, dashes and the minus sign become `-`, tabs, line breaks and
//! no-break spaces become a space, `&` becomes `+`, `_` becomes `-`, `;` becomes `,`, `°` becomes
//! `o` ("n°" → "no") and `€` becomes `EUR`. Lengths are checked after transliteration (ß → ss
//! makes a name longer).

use std::fmt;

use serde::Serialize;

/// Why a text cannot go into a SEPA file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SepaTextError {
    #[error("{field}: must not be empty")]
    Empty { field: String },
    #[error(
        "{field}: \"{value}\" has {length} characters (after transliteration to the SEPA Latin set), at most {max}"
    )]
    TooLong {
        field: String,
        value: String,
        length: usize,
        max: usize,
    },
    #[error(
        "{field}: character '{character}' (U+{code:04X}) at position {position} is outside the SEPA Latin character set (a-z A-Z 0-9 / - ? : ( ) . , ' + space) and has no transliteration"
    )]
    Character {
        field: String,
        character: char,
        code: u32,
        position: usize,
    },
    #[error(
        "{field}: character '{character}' at position {position} is outside the SEPA Latin character set (a-z A-Z 0-9 / - ? : ( ) . , ' + space); identifiers are never transliterated"
    )]
    IdentifierCharacter {
        field: String,
        character: char,
        position: usize,
    },
    #[error(
        "{field}: \"{value}\" must not start or end with '/' nor contain '//' (EPC rule for references)"
    )]
    Slashes { field: String, value: String },
}

/// Whether `c` belongs to the SEPA Latin character set.
pub fn is_sepa_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '/' | '-' | '?' | ':' | '(' | ')' | '.' | ',' | '\'' | '+' | ' '
        )
}

/// Letters U+0100..=U+017F (Latin Extended-A) without their diacritics; `#` marks the four
/// that become two letters (Ĳ ĳ Œ œ), handled before the table.
const LATIN_EXTENDED_A: &[u8; 128] = b"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi##JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo##RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/// The transliteration of one character to SEPA Latin characters, or `None` when there is none.
/// Characters of the set map to themselves.
pub fn transliterate_char(c: char) -> Option<Translit> {
    use Translit::{One, Str};
    if is_sepa_char(c) {
        return Some(One(c));
    }
    let mapped = match c {
        'À'..='Å' => One('A'),
        'Æ' => Str("AE"),
        'Ç' => One('C'),
        'È'..='Ë' => One('E'),
        'Ì'..='Ï' => One('I'),
        'Ð' => One('D'),
        'Ñ' => One('N'),
        'Ò'..='Ö' | 'Ø' => One('O'),
        'Ù'..='Ü' => One('U'),
        'Ý' => One('Y'),
        'Þ' => Str("TH"),
        'ß' => Str("ss"),
        'à'..='å' => One('a'),
        'æ' => Str("ae"),
        'ç' => One('c'),
        'è'..='ë' => One('e'),
        'ì'..='ï' => One('i'),
        'ð' => One('d'),
        'ñ' => One('n'),
        'ò'..='ö' | 'ø' => One('o'),
        'ù'..='ü' => One('u'),
        'ý' | 'ÿ' => One('y'),
        'þ' => Str("th"),
        'Ĳ' => Str("IJ"),
        'ĳ' => Str("ij"),
        'Œ' => Str("OE"),
        'œ' => Str("oe"),
        '\u{100}'..='\u{17F}' => {
            let index = (c as u32 - 0x100) as usize;
            One(char::from(*LATIN_EXTENDED_A.get(index)?))
        }
        'Ș' => One('S'),
        'ș' => One('s'),
        'Ț' => One('T'),
        'ț' => One('t'),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{B4}' | '"'
        | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{AB}' | '\u{BB}' => One('\''),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => One('-'),
        '\t' | '\n' | '\r' | '\u{A0}' | '\u{2007}' | '\u{202F}' | '\u{2009}' => One(' '),
        '&' => One('+'),
        '_' => One('-'),
        ';' => One(','),
        '°' => One('o'),
        '€' => Str("EUR"),
        _ => return None,
    };
    Some(mapped)
}

/// One character's transliteration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Translit {
    One(char),
    Str(&'static str),
}

/// Transliterates `text` to the SEPA Latin set, or names the first character that has no
/// transliteration (position counted in characters, from 1).
pub fn transliterate(field: &str, text: &str) -> Result<String, SepaTextError> {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match transliterate_char(c) {
            Some(Translit::One(c)) => out.push(c),
            Some(Translit::Str(s)) => out.push_str(s),
            None => {
                return Err(SepaTextError::Character {
                    field: field.to_string(),
                    character: c,
                    code: c as u32,
                    position: i + 1,
                });
            }
        }
    }
    Ok(out)
}

/// Lower-case ASCII folding for comparisons (names in the matcher): letters lose their
/// diacritics with the same table, every other character that is not a letter or a digit
/// becomes a space, and dots disappear (so "S.A." reads "sa").
pub fn fold_for_comparison(text: &str, out: &mut String) {
    out.clear();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if c == '.' {
            continue;
        }
        match transliterate_char(c) {
            Some(Translit::One(m)) if m.is_ascii_alphanumeric() => out.push(m.to_ascii_lowercase()),
            Some(Translit::Str(s)) if s.bytes().all(|b| b.is_ascii_alphabetic()) => {
                out.extend(s.chars().map(|m| m.to_ascii_lowercase()));
            }
            _ => out.push(' '),
        }
    }
}

/// Free text of at most `MAX` characters in the SEPA Latin set, transliterated when built.
/// `SepaText<70>` holds a name, `SepaText<140>` unstructured remittance information.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct SepaText<const MAX: usize>(String);

/// A party's name (`Max70Text`).
pub type Name = SepaText<70>;
/// Unstructured remittance information (`Max140Text`, one occurrence in SEPA).
pub type RemittanceText = SepaText<140>;

impl<const MAX: usize> SepaText<MAX> {
    /// Trims, transliterates and checks the length. `field` names the input in errors
    /// ("creditor name", "transfers\[3\].creditor.name").
    pub fn new(field: impl Into<String>, text: &str) -> Result<SepaText<MAX>, SepaTextError> {
        let field = field.into();
        let value = transliterate(&field, text.trim())?;
        let value = value.trim().to_string();
        if value.is_empty() {
            return Err(SepaTextError::Empty { field });
        }
        let length = value.chars().count();
        if length > MAX {
            return Err(SepaTextError::TooLong {
                field,
                value,
                length,
                max: MAX,
            });
        }
        Ok(SepaText(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> fmt::Display for SepaText<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<const MAX: usize> fmt::Debug for SepaText<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SepaText<{MAX}>({:?})", self.0)
    }
}

/// An identifier of at most 35 characters in the SEPA Latin set (`MsgId`, `PmtInfId`,
/// `InstrId`, `EndToEndId`, an organisation id): never transliterated, no leading or trailing
/// `/`, no `//`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct SepaId(String);

impl SepaId {
    pub const MAX: usize = 35;

    pub fn new(field: impl Into<String>, text: &str) -> Result<SepaId, SepaTextError> {
        let field = field.into();
        let value = text.trim();
        if value.is_empty() {
            return Err(SepaTextError::Empty { field });
        }
        if let Some((i, c)) = value.chars().enumerate().find(|(_, c)| !is_sepa_char(*c)) {
            return Err(SepaTextError::IdentifierCharacter {
                field,
                character: c,
                position: i + 1,
            });
        }
        if value.len() > SepaId::MAX {
            return Err(SepaTextError::TooLong {
                field,
                value: value.to_string(),
                length: value.len(),
                max: SepaId::MAX,
            });
        }
        if value.starts_with('/') || value.ends_with('/') || value.contains("//") {
            return Err(SepaTextError::Slashes {
                field,
                value: value.to_string(),
            });
        }
        Ok(SepaId(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SepaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SepaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SepaId({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_extended_a_table_is_aligned() {
        assert_eq!(LATIN_EXTENDED_A.len(), 128);
        let t = |c| match transliterate_char(c) {
            Some(Translit::One(m)) => m.to_string(),
            Some(Translit::Str(s)) => s.to_string(),
            None => "?".into(),
        };
        for (c, expected) in [
            ('Ā', "A"),
            ('č', "c"),
            ('Đ', "D"),
            ('ě', "e"),
            ('Ğ', "G"),
            ('ħ', "h"),
            ('İ', "I"),
            ('ı', "i"),
            ('Ĳ', "IJ"),
            ('ĵ', "j"),
            ('ĸ', "k"),
            ('Ł', "L"),
            ('ł', "l"),
            ('ŉ', "n"),
            ('Ŋ', "N"),
            ('ő', "o"),
            ('Œ', "OE"),
            ('Ř', "R"),
            ('š', "s"),
            ('Ŧ', "T"),
            ('ų', "u"),
            ('Ŵ', "W"),
            ('Ÿ', "Y"),
            ('ž', "z"),
            ('ſ', "s"),
            ('ș', "s"),
            ('Ț', "T"),
        ] {
            assert_eq!(t(c), expected, "{c}");
        }
    }

    #[test]
    fn names_are_transliterated_and_measured_after() {
        let n = Name::new("creditor name", "  Zoë Müller-Lefèvre & Søn  ").unwrap();
        assert_eq!(n.as_str(), "Zoe Muller-Lefevre + Son");
        let n = Name::new("creditor name", "Straße “Œuvre” – n°12; 5€").unwrap();
        assert_eq!(n.as_str(), "Strasse 'OEuvre' - no12, 5EUR");
        let long = "ß".repeat(36);
        let e = Name::new("creditor name", &long).unwrap_err();
        assert!(
            matches!(e, SepaTextError::TooLong { length: 72, .. }),
            "{e}"
        );
        assert!(e.to_string().starts_with("creditor name: "));
    }

    #[test]
    fn characters_without_transliteration_are_refused_with_the_field() {
        let e = Name::new("transfers[2].creditor.name", "Иван Петров").unwrap_err();
        assert_eq!(
            e.to_string(),
            "transfers[2].creditor.name: character 'И' (U+0418) at position 1 is outside the SEPA Latin character set (a-z A-Z 0-9 / - ? : ( ) . , ' + space) and has no transliteration"
        );
        assert!(Name::new("name", "a@b").is_err());
        assert!(Name::new("name", "   ").is_err());
    }

    #[test]
    fn identifiers_are_never_transliterated() {
        assert_eq!(
            SepaId::new("end-to-end id", "SAL-2026-10-M0042")
                .unwrap()
                .as_str(),
            "SAL-2026-10-M0042"
        );
        assert!(matches!(
            SepaId::new("end-to-end id", "SAL-é"),
            Err(SepaTextError::IdentifierCharacter { position: 5, .. })
        ));
        assert!(matches!(
            SepaId::new("end-to-end id", &"X".repeat(36)),
            Err(SepaTextError::TooLong { .. })
        ));
        for bad in ["/A", "A/", "A//B"] {
            assert!(matches!(
                SepaId::new("id", bad),
                Err(SepaTextError::Slashes { .. })
            ));
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_becomes_sepa_text_or_names_the_character(text in "[ -~\u{a0}-\u{17f}\u{2010}-\u{2022}\u{400}-\u{40f}]{0,80}") {
            match RemittanceText::new("remittance", &text) {
                Ok(t) => {
                    proptest::prop_assert!(t.as_str().chars().all(is_sepa_char));
                    proptest::prop_assert!(t.as_str().chars().count() <= 140);
                    proptest::prop_assert!(!t.as_str().is_empty());
                }
                Err(SepaTextError::Character { character, .. }) => {
                    proptest::prop_assert!(text.contains(character));
                    proptest::prop_assert!(transliterate_char(character).is_none());
                }
                Err(SepaTextError::Empty { .. }) => proptest::prop_assert!(text.trim().is_empty()
                    || text.chars().all(|c| c.is_whitespace() || matches!(transliterate_char(c), Some(Translit::One(' '))))),
                Err(SepaTextError::TooLong { length, .. }) => proptest::prop_assert!(length > 140),
                Err(e) => proptest::prop_assert!(false, "{e}"),
            }
        }
    }

    #[test]
    fn folding_for_comparison() {
        let mut out = String::new();
        fold_for_comparison("Société Générale S.A. – Œuvres", &mut out);
        assert_eq!(out, "societe generale sa   oeuvres");
    }
}
