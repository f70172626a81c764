//! The wording of payslip lines in English, French and Dutch, by line code.
//!
//! A line's code (`fr.old_age_capped`) is stable and used by tests, exports and the store;
//! its label is presentation and can change freely.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use ensemble_domain::Lang;

/// `(code, English, French, Dutch)`.
pub(crate) type LabelRow = (&'static str, &'static str, &'static str, &'static str);

/// Every line code that has labels.
pub(crate) fn codes() -> impl Iterator<Item = &'static str> {
    crate::fr::LABELS
        .iter()
        .chain(crate::be::LABELS)
        .map(|row| row.0)
}

/// The label of a line code in a language; the code itself when unknown.
pub fn label(code: &'static str, lang: Lang) -> &'static str {
    static INDEX: OnceLock<HashMap<&'static str, &'static LabelRow, Fnv>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        crate::fr::LABELS
            .iter()
            .chain(crate::be::LABELS)
            .map(|row| (row.0, row))
            .collect()
    });
    match index.get(code) {
        Some((_, en, fr, nl)) => match lang {
            Lang::En => en,
            Lang::Fr => fr,
            Lang::Nl => nl,
        },
        None => code,
    }
}

/// FNV-1a: line codes are short, trusted, static keys; a payslip looks up about thirty.
#[derive(Default)]
struct FnvHasher(u64);

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Fnv = BuildHasherDefault<FnvHasher>;
