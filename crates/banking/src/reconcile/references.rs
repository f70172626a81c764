//! Finding payment references in what a payer wrote.
//!
//! Payers write a Belgian structured communication as `+++202/6000/04236+++`, `***…***`,
//! `202/6000/04236`, `202 6000 04236` or twelve digits, alone or inside a sentence, and an RF
//! reference as `RF18 5390 0754 7034` or `RF18539007547034`. The scanner reads digit runs
//! across the separators people type (spaces, `+`, `*`, `/`, `.`, `-`, `_`) and tries every
//! window of twelve digits whose check digits are right; it reads `RF`, two check digits and
//! the letters and digits that follow (spaced in groups of four or not) and tries every length
//! whose check digits are right. A candidate counts only when it is the reference of an open
//! invoice, so stray numbers (an amount, an IBAN) cannot match by accident unless they also
//! carry valid check digits and equal a live reference.
//!
//! A reference with one typo (a wrong, missing, extra or swapped character) fails its check
//! digits; [`near_references`] lists the valid references one edit away so the matcher can
//! weigh them with the amount and the name.

/// A candidate found in text, in compact form (`202600004236`, `RF18539007547034`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) compact: String,
}

const DIGIT_JOINERS: &[char] = &[' ', '+', '*', '/', '.', '-', '_', '\u{a0}'];

/// First ten digits mod 97 (97 for 0) equal the last two.
pub(crate) fn ogm_valid(digits: &[u8]) -> bool {
    if digits.len() != 12 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut r: u64 = 0;
    for d in &digits[..10] {
        r = r * 10 + u64::from(d - b'0');
    }
    let key = u64::from(digits[10] - b'0') * 10 + u64::from(digits[11] - b'0');
    let expected = match r % 97 {
        0 => 97,
        x => x,
    };
    key == expected
}

/// ISO 11649: the reference followed by its first four characters, letters as 10..35, is 1
/// mod 97.
pub(crate) fn rf_valid(compact: &[u8]) -> bool {
    if compact.len() < 5 || compact.len() > 25 || !compact.starts_with(b"RF") {
        return false;
    }
    if !compact[2].is_ascii_digit() || !compact[3].is_ascii_digit() {
        return false;
    }
    let mut r: u32 = 0;
    let mut feed = |b: u8| -> bool {
        match b {
            b'0'..=b'9' => {
                r = (r * 10 + u32::from(b - b'0')) % 97;
                true
            }
            b'A'..=b'Z' => {
                r = (r * 100 + u32::from(b - b'A') + 10) % 97;
                true
            }
            _ => false,
        }
    };
    for &b in compact[4..].iter().chain(&compact[..4]) {
        if !feed(b) {
            return false;
        }
    }
    r == 1
}

/// Digit runs of `text`, joined across the separators payers type, with the positions in
/// the run where a separator stood (and 0 and the run's length): a reference is only read
/// between two such boundaries, so a run of 13 digits (a reference with an extra digit)
/// never yields a 12-digit window of another reference. `split_on_space` also splits on white
/// space (used for typo candidates, where a merged run would be too long).
fn digit_runs(text: &str, split_on_space: bool, mut visit: impl FnMut(&[u8], &[usize])) {
    let mut run: Vec<u8> = Vec::with_capacity(32);
    let mut bounds: Vec<usize> = vec![0];
    let mut flush = |run: &mut Vec<u8>, bounds: &mut Vec<usize>| {
        if !run.is_empty() {
            if bounds.last() != Some(&run.len()) {
                bounds.push(run.len());
            }
            visit(run, bounds);
            run.clear();
        }
        bounds.clear();
        bounds.push(0);
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c as u8);
        } else if (split_on_space && c.is_whitespace()) || !DIGIT_JOINERS.contains(&c) {
            flush(&mut run, &mut bounds);
        } else if bounds.last() != Some(&run.len()) {
            bounds.push(run.len());
        }
    }
    flush(&mut run, &mut bounds);
}

/// The RF candidates of `text`: for each `RF` + two digits that starts a word, `visit` gets
/// two compact upper-case readings — every letter and digit that follows (spaces and dashes
/// skipped, at most 25 characters in all) with the lengths at which a word ends in it, and the
/// reference as people group it (the rest of the word, or the following groups of at most
/// four, up to the first shorter group).
fn rf_runs(text: &str, mut visit: impl FnMut(&[u8], &[usize], &[u8])) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        // "RF", a check digit, and a second one or the reference (a check digit forgotten).
        if !(starts_word
            && bytes[i].eq_ignore_ascii_case(&b'R')
            && bytes[i + 1].eq_ignore_ascii_case(&b'F')
            && bytes[i + 2].is_ascii_digit()
            && bytes[i + 3].is_ascii_alphanumeric())
        {
            i += 1;
            continue;
        }
        let two_digits = bytes[i + 3].is_ascii_digit();
        let mut head = b"RF".to_vec();
        head.push(bytes[i + 2]);
        if two_digits {
            head.push(bytes[i + 3]);
        }
        // The words that follow, separated by spaces or dashes.
        let mut words: Vec<Vec<u8>> = vec![Vec::new()];
        let mut j = if two_digits { i + 4 } else { i + 3 };
        while j < bytes.len() {
            let b = bytes[j];
            if b.is_ascii_alphanumeric() {
                if let Some(w) = words.last_mut() {
                    w.push(b.to_ascii_uppercase());
                }
            } else if b == b' ' || b == b'-' {
                // The first separator closes the word attached to "RFdd", even empty.
                if words.len() == 1 || words.last().is_some_and(|w| !w.is_empty()) {
                    words.push(Vec::new());
                }
            } else {
                break;
            }
            j += 1;
        }
        let mut all = head.clone();
        let mut ends = Vec::with_capacity(words.len());
        for w in &words {
            all.extend_from_slice(w);
            if !w.is_empty() && all.len() <= 25 {
                ends.push(all.len());
            }
        }
        all.truncate(25);
        let mut grouped = head;
        let attached = words.first().map(Vec::len).unwrap_or(0);
        if attached > 0 {
            // "RF18539007547034": the word itself.
            grouped.extend_from_slice(&words[0]);
        } else if let Some(first) = words.get(1) {
            if first.len() > 4 {
                grouped.extend_from_slice(first);
            } else {
                for w in words.iter().skip(1) {
                    if w.is_empty() || w.len() > 4 {
                        break;
                    }
                    grouped.extend_from_slice(w);
                    if w.len() < 4 {
                        break;
                    }
                }
            }
        }
        grouped.truncate(25);
        visit(&all, &ends, &grouped);
        i = j.max(i + 1);
    }
}

/// Every valid reference written in `text` that `known` accepts.
pub(crate) fn find_references(text: &str, known: impl Fn(&str) -> bool) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut push = |s: &str| {
        if !found.iter().any(|f| f.compact == s) {
            found.push(Found {
                compact: s.to_string(),
            });
        }
    };
    digit_runs(text, false, |run, bounds| {
        for &start in bounds {
            if !bounds.contains(&(start + 12)) {
                continue;
            }
            let window = &run[start..start + 12];
            if ogm_valid(window) {
                // Only ASCII digits are in a run.
                let s = std::str::from_utf8(window).unwrap_or_default();
                if known(s) {
                    push(s);
                }
            }
        }
    });
    rf_runs(text, |all, ends, _| {
        for &end in ends.iter().rev().filter(|e| **e >= 5) {
            let candidate = &all[..end];
            if rf_valid(candidate) {
                let s = std::str::from_utf8(candidate).unwrap_or_default();
                if known(s) {
                    push(s);
                    break;
                }
            }
        }
    });
    found
}

/// Reference-like tokens of `text` that are not references of open invoices — a typo, most
/// likely, which may by chance still pass the check digits: digit runs of 11 to 13 digits and
/// RF words.
pub(crate) fn broken_references(text: &str, known: impl Fn(&str) -> bool) -> Vec<Vec<u8>> {
    let is_known = |token: &[u8]| std::str::from_utf8(token).is_ok_and(&known);
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut consider = |token: &[u8]| {
        if !out.iter().any(|t| t == token) {
            out.push(token.to_vec());
        }
    };
    let mut digit_token = |run: &[u8], _: &[usize]| {
        if (11..=13).contains(&run.len()) && !(run.len() == 12 && is_known(run)) {
            consider(run);
        }
    };
    digit_runs(text, true, &mut digit_token);
    digit_runs(text, false, &mut digit_token);
    rf_runs(text, |_, _, grouped| {
        if grouped.len() >= 5 && !is_known(grouped) {
            consider(grouped);
        }
    });
    out
}

/// The valid references one edit (substitution, adjacent transposition, insertion or
/// deletion) away from `token`, each passed to `visit` in compact form.
pub(crate) fn near_references(token: &[u8], mut visit: impl FnMut(&str)) {
    let is_rf = token.starts_with(b"RF");
    let valid = |c: &[u8]| if is_rf { rf_valid(c) } else { ogm_valid(c) };
    const DIGITS: &[u8] = b"0123456789";
    const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    // RF: the prefix stays; the check digits are digits; the body is letters and digits.
    let fixed = if is_rf { 2 } else { 0 };
    let alphabet = |position: usize| {
        if !is_rf || position < 4 {
            DIGITS
        } else {
            ALNUM
        }
    };
    let mut buf: Vec<u8> = Vec::with_capacity(token.len() + 1);
    let mut emit = |candidate: &[u8]| {
        if valid(candidate) {
            visit(std::str::from_utf8(candidate).unwrap_or_default());
        }
    };
    // Substitutions.
    for i in fixed..token.len() {
        for &c in alphabet(i) {
            if c == token[i] {
                continue;
            }
            buf.clear();
            buf.extend_from_slice(token);
            buf[i] = c;
            emit(&buf);
        }
    }
    // Adjacent transpositions.
    for i in fixed..token.len().saturating_sub(1) {
        if token[i] != token[i + 1] {
            buf.clear();
            buf.extend_from_slice(token);
            buf.swap(i, i + 1);
            emit(&buf);
        }
    }
    // Deletions.
    for i in fixed..token.len() {
        buf.clear();
        buf.extend_from_slice(&token[..i]);
        buf.extend_from_slice(&token[i + 1..]);
        emit(&buf);
    }
    // Insertions.
    for i in fixed..=token.len() {
        for &c in alphabet(i) {
            buf.clear();
            buf.extend_from_slice(&token[..i]);
            buf.push(c);
            buf.extend_from_slice(&token[i..]);
            emit(&buf);
        }
    }
}

/// Invoice numbers written in `text` (`INV-BE-2026-000123`, `inv be 2026 123`), as the keys
/// of [`invoice_number_key`], that `known` accepts.
pub(crate) fn find_invoice_numbers(text: &str, known: impl Fn(u64) -> bool) -> Vec<u64> {
    let bytes = text.as_bytes();
    let mut out: Vec<u64> = Vec::new();
    let is_sep = |b: u8| matches!(b, b'-' | b' ' | b'/' | b'_' | b'.' | b':');
    let mut i = 0;
    while i + 3 <= bytes.len() {
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if !(starts_word && bytes[i..i + 3].eq_ignore_ascii_case(b"INV")) {
            i += 1;
            continue;
        }
        let mut j = i + 3;
        let read = |j: &mut usize, want: usize, letters: bool| -> Option<String> {
            while *j < bytes.len() && is_sep(bytes[*j]) {
                *j += 1;
            }
            let start = *j;
            while *j < bytes.len()
                && *j - start < want
                && (if letters {
                    bytes[*j].is_ascii_alphabetic()
                } else {
                    bytes[*j].is_ascii_digit()
                })
            {
                *j += 1;
            }
            (*j - start > 0).then(|| text[start..*j].to_ascii_uppercase())
        };
        let country = read(&mut j, 2, true).filter(|c| c.len() == 2);
        let year = country
            .as_ref()
            .and_then(|_| read(&mut j, 4, false))
            .filter(|y| y.len() == 4);
        let sequence = year.as_ref().and_then(|_| read(&mut j, 10, false));
        if let (Some(country), Some(year), Some(sequence)) = (country, year, sequence) {
            let key = match (year.parse::<i16>(), sequence.parse::<u32>()) {
                (Ok(year), Ok(sequence)) => Some(invoice_number_key(&country, year, sequence)),
                _ => None,
            };
            if let Some(key) = key.filter(|k| known(*k) && !out.contains(k)) {
                out.push(key);
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// The key an invoice number is found by: its country's two letters, year and sequence
/// packed in a number (`INV-BE-2026-000123` and `inv be 2026 123` give the same key).
pub(crate) fn invoice_number_key(country: &str, year: i16, sequence: u32) -> u64 {
    let c = country.as_bytes();
    let letters = (u64::from(c.first().copied().unwrap_or(0)) << 8)
        | u64::from(c.get(1).copied().unwrap_or(0));
    (letters << 48) | (u64::from(year as u16) << 32) | u64::from(sequence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str, known: &[&str]) -> Vec<String> {
        find_references(text, |s| known.contains(&s))
            .into_iter()
            .map(|f| f.compact)
            .collect()
    }

    #[test]
    fn check_digits() {
        assert!(ogm_valid(b"202600004236"));
        assert!(!ogm_valid(b"202600004237"));
        assert!(ogm_valid(b"010806817183"));
        assert!(rf_valid(b"RF18539007547034"));
        assert!(!rf_valid(b"RF18539007547035"));
    }

    #[test]
    fn structured_communications_in_every_dress() {
        let known = ["202600004236", "202600004337"];
        for text in [
            "+++202/6000/04236+++",
            "***202/6000/04236***",
            "202/6000/04236",
            "202 6000 04236",
            "Facture +++202/6000/04236+++ merci",
            "ref:202600004236, 1210.00 EUR",
            "+++202/6000/04236+++ 1210.00",
            "BE68539007547034 202600004236",
        ] {
            assert_eq!(find(text, &known), ["202600004236"], "{text}");
        }
        assert_eq!(
            find("+++202/6000/04236+++ +++202/6000/04337+++", &known),
            ["202600004236", "202600004337"]
        );
        assert!(find("202600004236", &[]).is_empty());
        // A reference with an extra digit never reads as another reference inside it.
        assert!(find("2026000042361", &known).is_empty());
        assert!(find("1202600004236", &known).is_empty());
        assert_eq!(
            find("202600004236/202600004337", &known),
            ["202600004236", "202600004337"]
        );
        assert!(find("202600004237", &["202600004237"]).is_empty());
    }

    #[test]
    fn rf_references_grouped_or_not() {
        let known = ["RF18539007547034"];
        for text in [
            "RF18 5390 0754 7034",
            "rf18539007547034",
            "Paiement RF18 5390 0754 7034 facture 12",
            "RF18-5390-0754-7034",
        ] {
            assert_eq!(find(text, &known), ["RF18539007547034"], "{text}");
        }
        assert!(find("XRF18539007547034", &known).is_empty());
    }

    #[test]
    fn invoice_numbers() {
        let key = invoice_number_key("BE", 2026, 123);
        let known = |k: u64| k == key;
        for text in [
            "INV-BE-2026-000123",
            "facture inv be 2026 123",
            "Invoice: INV/BE/2026/000123.",
        ] {
            assert_eq!(find_invoice_numbers(text, known), [key], "{text}");
        }
        assert!(find_invoice_numbers("INV-BE-2026-000124", known).is_empty());
        assert!(find_invoice_numbers("XINV-BE-2026-000123", known).is_empty());
        assert_ne!(key, invoice_number_key("FR", 2026, 123));
        assert_ne!(key, invoice_number_key("BE", 2025, 123));
    }

    #[test]
    fn typos_are_one_edit_from_the_reference() {
        let broken = broken_references("+++202/6000/04237+++ 1210.00", |_| false);
        assert!(broken.contains(&b"202600004237".to_vec()), "{broken:?}");
        let mut near = Vec::new();
        near_references(b"202600004237", |s| near.push(s.to_string()));
        assert!(near.contains(&"202600004236".to_string()));
        let mut near = Vec::new();
        near_references(b"20260004236", |s| near.push(s.to_string()));
        assert!(near.contains(&"202600004236".to_string()));
        let broken = broken_references("RF18 5390 0754 7035 facture", |_| false);
        assert_eq!(broken, vec![b"RF18539007547035".to_vec()]);
        let mut near = Vec::new();
        near_references(b"RF18539007547035", |s| near.push(s.to_string()));
        assert!(near.contains(&"RF18539007547034".to_string()));
        let mut near = Vec::new();
        near_references(b"RF18359007547034", |s| near.push(s.to_string()));
        assert!(near.contains(&"RF18539007547034".to_string()));
        // A forgotten check digit, and an extra character that still passes the check digits.
        let known = |s: &str| s == "RF19INV2026000672";
        assert_eq!(
            broken_references("RF1INV2026000672", known),
            vec![b"RF1INV2026000672".to_vec()]
        );
        let mut near = Vec::new();
        near_references(b"RF1INV2026000672", |s| near.push(s.to_string()));
        assert!(near.contains(&"RF19INV2026000672".to_string()));
        assert!(rf_valid(b"RF560INV2026001752"));
        assert_eq!(
            broken_references("RF560INV2026001752", |s| s == "RF56INV2026001752"),
            vec![b"RF560INV2026001752".to_vec()]
        );
    }
}
