//! The wording of payslip lines in English, French and Dutch, by line code.
//!
//! A line's code (`fr.old_age_capped`) is stable and used by tests, exports and the store;
//! its label is presentation and can change freely.

use ensemble_domain::Lang;

/// `(code, English, French, Dutch)`.
pub(crate) type LabelRow = (&'static str, &'static str, &'static str, &'static str);

/// The label of a line code in a language; the code itself when unknown.
pub fn label(code: &'static str, lang: Lang) -> &'static str {
    let table: &[LabelRow] = if code.starts_with("be.") {
        crate::be::LABELS
    } else {
        crate::fr::LABELS
    };
    match table.iter().find(|row| row.0 == code) {
        Some((_, en, fr, nl)) => match lang {
            Lang::En => en,
            Lang::Fr => fr,
            Lang::Nl => nl,
        },
        None => code,
    }
}
