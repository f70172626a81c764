//! Comparing a payer's name on a statement with a client's name on an invoice.
//!
//! Both are folded the same way — lower case, no diacritics (the SEPA transliteration table),
//! punctuation as spaces, dots dropped so "S.A." reads "sa" — and lose the words that say
//! nothing about who the party is: legal forms (SA, NV, SPRL, BVBA, SRL, BV, SC, SCRL, CV,
//! SAS, SASU, SARL, EURL, SCI, SNC, GmbH, AG, Ltd…) and titles (M., Mme, Mr, Dhr, Mevr…).
//!
//! The similarity (0 to 1) is the better of two readings:
//! * the whole names without spaces, by optimal string alignment distance (Damerau-Levenshtein
//!   restricted to adjacent transpositions): catches typos and split or joined words
//!   ("Du Pont" / "Dupont");
//! * word by word, each word of one name against its best match in the other (by the same
//!   distance; an initial matches a word it begins), weighted by word length, two thirds from
//!   the name with fewer words and one third from the other: catches word order ("DUPONT
//!   JEANNE") and extra words ("Jeanne Dupont Photographie").

use crate::text::fold_for_comparison;

/// Words dropped before comparing: legal forms of Belgium, France, the Netherlands, Germany
/// and the UK, and titles.
const NOISE_WORDS: &[&str] = &[
    // Belgium (FR / NL) and France
    "sa", "nv", "sprl", "bvba", "srl", "bv", "sc", "scrl", "scrlfs", "cv", "cvba", "scs", "comm",
    "sas", "sasu", "sarl", "eurl", "sci", "snc", "sca", "asbl", "vzw", "aisbl", "ivzw", "scop",
    "scic", "ets", // Germany, Austria, Switzerland
    "gmbh", "ag", "kg", "ohg", "ug", "ev", // UK / US
    "ltd", "llc", "inc", "plc", "llp", // titles
    "m", "mr", "mrs", "ms", "mme", "mlle", "dhr", "mevr", "hr", "herr", "frau", "dr",
];

/// A name ready for comparison.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NormalizedName {
    words: Vec<String>,
    compact: String,
    /// The words' trigrams hashed into 64 bits, for a quick first comparison.
    grams: u64,
}

impl NormalizedName {
    pub fn new(name: &str) -> NormalizedName {
        let mut folded = String::with_capacity(name.len());
        fold_for_comparison(name, &mut folded);
        let all: Vec<&str> = folded.split_whitespace().collect();
        let kept: Vec<&str> = all
            .iter()
            .copied()
            .filter(|w| !NOISE_WORDS.contains(w))
            .collect();
        // A name made only of noise words ("SA") keeps them.
        let words: Vec<String> = if kept.is_empty() { all } else { kept }
            .into_iter()
            .map(str::to_string)
            .collect();
        let compact = words.concat();
        let grams = trigram_bits(&words);
        NormalizedName {
            words,
            compact,
            grams,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words kept, for display and tests.
    pub fn words(&self) -> &[String] {
        &self.words
    }
}

/// The trigrams of each word, padded with a space on each side (so word order does not
/// matter), hashed into 64 bits.
fn trigram_bits(words: &[String]) -> u64 {
    let mut bits = 0u64;
    let mut padded: Vec<u8> = Vec::with_capacity(32);
    for word in words {
        padded.clear();
        padded.push(b' ');
        padded.extend_from_slice(word.as_bytes());
        padded.push(b' ');
        for w in padded.windows(3) {
            let h = (u32::from(w[0]) * 31 + u32::from(w[1])) * 31 + u32::from(w[2]);
            bits |= 1 << (h.wrapping_mul(2_654_435_761) >> 26);
        }
    }
    bits
}

/// A cheap lower-bound filter before [`similarity`]: the share of the two names' trigram
/// bits they have in common (Jaccard index of the 64-bit sets). Unrelated names share about
/// a tenth; a name and its misspelling share most.
pub fn quick_overlap(a: &NormalizedName, b: &NormalizedName) -> f64 {
    let union = (a.grams | b.grams).count_ones();
    if union == 0 {
        return 0.0;
    }
    f64::from((a.grams & b.grams).count_ones()) / f64::from(union)
}

/// How alike two names are, from 0 (nothing in common) to 1 (the same after normalisation).
pub fn similarity(a: &NormalizedName, b: &NormalizedName) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.compact == b.compact {
        return 1.0;
    }
    let whole = ratio(a.compact.as_bytes(), b.compact.as_bytes());
    let (fewer, more) = if a.words.len() <= b.words.len() {
        (a, b)
    } else {
        (b, a)
    };
    let forward = coverage(&fewer.words, &more.words);
    let backward = coverage(&more.words, &fewer.words);
    let by_word = (2.0 * forward + backward) / 3.0;
    whole.max(by_word)
}

/// Length-weighted mean, over `words`, of each word's best similarity in `other`.
fn coverage(words: &[String], other: &[String]) -> f64 {
    let mut total = 0.0;
    let mut weight = 0.0;
    for w in words {
        let best = other
            .iter()
            .map(|o| word_similarity(w, o))
            .fold(0.0, f64::max);
        let len = w.len() as f64;
        total += best * len;
        weight += len;
    }
    if weight == 0.0 { 0.0 } else { total / weight }
}

fn word_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    // An initial ("J. Dupont") matches the word it begins.
    if (a.len() == 1 && b.starts_with(a)) || (b.len() == 1 && a.starts_with(b)) {
        return 0.9;
    }
    ratio(a.as_bytes(), b.as_bytes())
}

/// `1 − distance / longer length`.
fn ratio(a: &[u8], b: &[u8]) -> f64 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    1.0 - osa_distance(a, b) as f64 / longer as f64
}

/// Optimal string alignment distance: insertions, deletions, substitutions and transpositions
/// of adjacent characters, each costing 1, no substring edited twice.
pub fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> f64 {
        similarity(&NormalizedName::new(a), &NormalizedName::new(b))
    }

    #[test]
    fn distance() {
        assert_eq!(osa_distance(b"dupont", b"dupont"), 0);
        assert_eq!(osa_distance(b"dupont", b"duopnt"), 1);
        assert_eq!(osa_distance(b"dupont", b"dupond"), 1);
        assert_eq!(osa_distance(b"dupont", b"dupon"), 1);
        assert_eq!(osa_distance(b"ca", b"abc"), 3);
        assert_eq!(osa_distance(b"", b"abc"), 3);
    }

    #[test]
    fn legal_forms_titles_case_and_accents_do_not_count() {
        assert_eq!(
            NormalizedName::new("Société Générale S.A.").words(),
            ["societe", "generale"]
        );
        assert_eq!(sim("Client Exemple SA", "CLIENT EXEMPLE"), 1.0);
        assert_eq!(sim("Client France SARL", "client france s.a.r.l."), 1.0);
        assert_eq!(sim("Bakkerij Peeters BVBA", "Bakkerij Peeters BV"), 1.0);
        assert_eq!(sim("Müller GmbH", "MUELLER"), sim("muller", "mueller"));
        assert_eq!(sim("Mme Zoë Lefèvre", "ZOE LEFEVRE"), 1.0);
        assert_eq!(NormalizedName::new("SA").words(), ["sa"]);
    }

    #[test]
    fn typos_word_order_and_extra_words() {
        assert!(sim("Jeanne Dupont", "Jeanne Dupnot") > 0.9);
        assert!(sim("Jeanne Dupont", "DUPONT JEANNE") > 0.99);
        assert!(sim("Atelier Du Pont", "Atelier Dupont") > 0.99);
        assert!(sim("J. Dupont", "Jeanne Dupont") > 0.8);
        assert!(sim("Jeanne Dupont Photographie", "Jeanne Dupont") > 0.75);
    }

    #[test]
    fn the_quick_filter_keeps_misspellings() {
        let q = |a: &str, b: &str| quick_overlap(&NormalizedName::new(a), &NormalizedName::new(b));
        assert!(q("Boulangerie Dupont SA", "BOULANGERIE DUPNOT") > 0.5);
        assert!(q("Jeanne Dupont", "DUPONT JEANNE") > 0.5);
        assert!(q("Jan Bonnet", "BNONET JAN") > 0.3);
        assert!(q("Hugo Schmitt", "SCHITT HUGO") > 0.3);
        assert!(q("Jeanne Dupont", "Garage Peeters") < 0.25);
    }

    #[test]
    fn different_names_stay_apart() {
        assert!(sim("Boulangerie Martin", "Martin Plomberie") < 0.75);
        assert!(sim("Jeanne Dupont", "Pierre Martin") < 0.4);
        assert_eq!(sim("", "Pierre Martin"), 0.0);
    }
}
