//! Matching the money that came in to the invoices that wait for it.
//!
//! [`reconcile`] takes the open invoices of one cooperative entity and the credit lines of its
//! statements and returns, for every line, either a match — how confident, by which method,
//! which invoice gets how much, and any excess — or `Unmatched` with the reason and the best
//! suggestions, for the staff queue. It is a pure function: the same inputs give the same
//! outputs whatever their order, and nothing is read from a clock or a store.
//!
//! ## Order of the evidence
//!
//! 1. **References** (first pass, over every line before any fuzzy match). A valid Belgian
//!    structured communication or RF reference of an open invoice, in the structured creditor
//!    reference (confidence 100), written in the free text in any of the usual dresses
//!    (97, see the private `references` module), or the invoice's number in the text (93).
//!    Several references in one line pay several invoices. Exact references always win: a
//!    fuzzy match never takes an invoice a reference points to in the same run unless the
//!    reference's line left some of it outstanding.
//! 2. **Evidence** (second pass, for the other lines), scored out of 100:
//!    a reference one typo away from an open invoice's (45 points), the amount equal to what
//!    the invoice still owes — or to the sum of all of a client's open invoices (35), the
//!    similarity of the payer's name to the client's (up to 45, see [`names`]) and the
//!    payment date against the invoice's dates (up to 10: full from five days before the
//!    issue date to 30 days after the due date, fading to 3 a year later, 2 when paid long
//!    before the invoice existed). A payment of a client's total loses 5. The best
//!    candidate is taken when it reaches [`MatcherConfig::auto_match_threshold`] (80) and
//!    no candidate of another client comes within [`MatcherConfig::ambiguity_margin`] (8) of
//!    it. Two candidates of the same client for the same amount are not a doubt: the one due
//!    first is paid first. When two lines want the same invoice, the higher score wins and
//!    the other line falls back to its next candidate. Confidence is capped at 99 here: 100
//!    is for a reference given as such.
//!
//! ## Amounts
//!
//! A line pays at most what its invoices still owe, oldest due date first; what is left is
//! reported as `excess` (an overpayment). A line paying less than owed leaves the rest
//! outstanding (`outstanding_after` of the allocation). A reference whose invoices are all
//! paid already in this run (a second payment of the same invoice) goes to the staff queue.

mod fingerprint;
mod lines;
pub mod names;
pub(crate) mod references;

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap, HashSet};

use ensemble_domain::{ClientId, DocumentKind, DocumentNumber, InvoiceId, Money, PaymentReference};
use jiff::civil::Date;
use serde::Serialize;

pub use fingerprint::{FingerprintError, FingerprintInput, LineFingerprint};
pub use lines::{LineOrigin, StatementLine, statement_lines};
use names::{NormalizedName, similarity};

/// An invoice that waits for money.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenInvoice {
    pub id: InvoiceId,
    pub number: DocumentNumber,
    pub payment_reference: Option<PaymentReference>,
    /// What the client still owes; invoices with nothing outstanding are ignored.
    pub outstanding: Money,
    pub client: ClientId,
    pub client_name: String,
    pub issue_date: Date,
    pub due_date: Date,
}

/// A score from 0 to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Confidence(u8);

impl Confidence {
    pub const CERTAIN: Confidence = Confidence(100);

    /// A confidence, capped at 100.
    pub const fn new(value: u8) -> Confidence {
        Confidence(if value > 100 { 100 } else { value })
    }

    pub const fn value(self) -> u8 {
        self.0
    }
}

/// The matcher's thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatcherConfig {
    /// The lowest confidence matched without a person (default 80).
    pub auto_match_threshold: Confidence,
    /// How close (in points) a candidate of another client may come to the best one before
    /// the line is ambiguous (default 8).
    pub ambiguity_margin: u8,
    /// How many suggestions an unmatched line carries (default 3).
    pub max_suggestions: usize,
}

impl Default for MatcherConfig {
    fn default() -> MatcherConfig {
        MatcherConfig {
            auto_match_threshold: Confidence(80),
            ambiguity_margin: 8,
            max_suggestions: 3,
        }
    }
}

/// Which evidence matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchMethod {
    /// A structured creditor reference (`Strd/CdtrRefInf`) of an open invoice.
    CreditorReference,
    /// A valid reference of an open invoice written in the free text.
    ReferenceInText,
    /// The invoice's number written in the free text.
    InvoiceNumberInText,
    /// A reference one typo away, weighed with the amount, the name and the date.
    ReferenceWithTypo,
    /// The amount still owed, the client's name and the dates.
    AmountAndName,
    /// The sum of all of a client's open invoices, the name and the dates.
    ClientTotal,
}

/// Money given to an invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Allocation {
    pub invoice: InvoiceId,
    pub amount: Money,
    /// What the invoice still owes after this line (0 when paid in full).
    pub outstanding_after: Money,
}

/// Why a line waits for a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnmatchedReason {
    /// Not money in (zero or negative amount).
    NotACredit,
    /// Nothing resembles an open invoice.
    NoCandidate,
    /// The best candidate scores below the threshold.
    LowConfidence,
    /// Candidates of different clients score alike (or a reference names several invoices).
    Ambiguous,
    /// Its reference names invoices already paid in full (a second payment?).
    AlreadySettled,
    /// The invoices it could pay went to lines that matched them better.
    CompetingPayments,
}

/// A candidate shown to staff for an unmatched line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub invoices: Vec<InvoiceId>,
    pub method: MatchMethod,
    pub confidence: Confidence,
}

/// What became of a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Matched {
        method: MatchMethod,
        confidence: Confidence,
        allocations: Vec<Allocation>,
        /// Paid beyond what the invoices owed.
        excess: Money,
    },
    Unmatched {
        reason: UnmatchedReason,
        suggestions: Vec<Suggestion>,
    },
}

/// The result for one input line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineMatch {
    /// The line's index in the input.
    pub line: usize,
    pub fingerprint: LineFingerprint,
    pub outcome: Outcome,
}

impl LineMatch {
    pub fn is_matched(&self) -> bool {
        matches!(self.outcome, Outcome::Matched { .. })
    }

    /// The allocations of a matched line (empty otherwise).
    pub fn allocations(&self) -> &[Allocation] {
        match &self.outcome {
            Outcome::Matched { allocations, .. } => allocations,
            Outcome::Unmatched { .. } => &[],
        }
    }
}

/// Every line's outcome, in input order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    pub lines: Vec<LineMatch>,
}

impl Reconciliation {
    pub fn matched(&self) -> impl Iterator<Item = &LineMatch> {
        self.lines.iter().filter(|l| l.is_matched())
    }

    pub fn unmatched(&self) -> impl Iterator<Item = &LineMatch> {
        self.lines.iter().filter(|l| !l.is_matched())
    }
}

/// Where a reference was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Structured,
    Text,
    Number,
}

impl Source {
    fn method(self) -> MatchMethod {
        match self {
            Source::Structured => MatchMethod::CreditorReference,
            Source::Text => MatchMethod::ReferenceInText,
            Source::Number => MatchMethod::InvoiceNumberInText,
        }
    }

    fn confidence(self) -> Confidence {
        Confidence(match self {
            Source::Structured => 100,
            Source::Text => 97,
            Source::Number => 93,
        })
    }
}

/// Invoice positions by key; a key shared by several invoices (which should not happen within
/// one entity) keeps them all.
struct Index<K> {
    first: HashMap<K, u32>,
    shared: HashMap<K, Vec<u32>>,
}

impl<K: std::hash::Hash + Eq + Copy> Index<K> {
    fn with_capacity(n: usize) -> Index<K> {
        Index {
            first: HashMap::with_capacity(n),
            shared: HashMap::new(),
        }
    }

    fn insert(&mut self, key: K, k: u32) {
        match self.first.get(&key) {
            None => {
                self.first.insert(key, k);
            }
            Some(&existing) => self
                .shared
                .entry(key)
                .or_insert_with(|| vec![existing])
                .push(k),
        }
    }

    fn get<Q>(&self, key: &Q) -> &[u32]
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        if let Some(all) = self.shared.get(key) {
            return all;
        }
        self.first.get(key).map(std::slice::from_ref).unwrap_or(&[])
    }

    fn contains<Q>(&self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.first.contains_key(key)
    }
}

/// The open invoices with their indexes.
struct Book<'a> {
    invoices: Vec<&'a OpenInvoice>,
    by_reference: Index<&'a str>,
    by_number: Index<u64>,
}

impl<'a> Book<'a> {
    fn new(all: &'a [OpenInvoice]) -> Book<'a> {
        let mut seen: HashSet<InvoiceId> = HashSet::with_capacity(all.len());
        let invoices: Vec<&OpenInvoice> = all
            .iter()
            .filter(|i| i.outstanding.is_positive() && seen.insert(i.id))
            .collect();
        let mut by_reference: Index<&str> = Index::with_capacity(invoices.len());
        let mut by_number: Index<u64> = Index::with_capacity(invoices.len());
        for (k, invoice) in invoices.iter().enumerate() {
            let k = k as u32;
            if let Some(r) = &invoice.payment_reference {
                by_reference.insert(r.as_str(), k);
            }
            if invoice.number.kind() == DocumentKind::Invoice {
                let key = references::invoice_number_key(
                    invoice.number.country.code(),
                    invoice.number.year,
                    invoice.number.sequence,
                );
                by_number.insert(key, k);
            }
        }
        Book {
            invoices,
            by_reference,
            by_number,
        }
    }

    fn invoice(&self, k: u32) -> &'a OpenInvoice {
        self.invoices[k as usize]
    }

    /// Allocation order: due first, then issued first, then by number.
    fn order_key(&self, k: u32) -> (Date, Date, DocumentNumber, InvoiceId) {
        let i = self.invoice(k);
        (i.due_date, i.issue_date, i.number, i.id)
    }
}

/// The references a line names, with where each was found.
struct ReferenceHits {
    /// Unique invoices, each with the strongest source that named it.
    invoices: Vec<(u32, Source)>,
    /// References shared by several open invoices.
    ambiguous: Vec<u32>,
}

fn compact_reference(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '+' | '*' | '/' | '.' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The free text and the structured references as they were written (a structured
/// reference with a typo is read as text).
fn line_text(line: &StatementLine) -> std::borrow::Cow<'_, str> {
    if line.creditor_references.is_empty() {
        return std::borrow::Cow::Borrowed(&line.remittance);
    }
    let mut text = line.remittance.clone();
    for r in &line.creditor_references {
        text.push(' ');
        text.push_str(r);
    }
    std::borrow::Cow::Owned(text)
}

fn reference_hits(book: &Book<'_>, line: &StatementLine, text: &str) -> ReferenceHits {
    let mut invoices: Vec<(u32, Source)> = Vec::new();
    let mut ambiguous: Vec<u32> = Vec::new();
    let mut add = |ks: &[u32], source: Source| {
        if ks.len() > 1 {
            ambiguous.extend_from_slice(ks);
            return;
        }
        for &k in ks {
            match invoices.iter_mut().find(|(i, _)| *i == k) {
                Some(entry) => entry.1 = entry.1.min(source),
                None => invoices.push((k, source)),
            }
        }
    };
    for raw in &line.creditor_references {
        add(
            book.by_reference.get(compact_reference(raw).as_str()),
            Source::Structured,
        );
    }
    for found in references::find_references(text, |s| book.by_reference.contains(s)) {
        add(book.by_reference.get(found.compact.as_str()), Source::Text);
    }
    for key in references::find_invoice_numbers(text, |k| book.by_number.contains(&k)) {
        add(book.by_number.get(&key), Source::Number);
    }
    ambiguous.sort_by_key(|&k| book.order_key(k));
    ambiguous.dedup();
    ReferenceHits {
        invoices,
        ambiguous,
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn day_number(d: Date) -> i64 {
    let (y, m, day) = (
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// How well a payment date fits an invoice, in tenths of the date's 10 points (0..=1000).
fn date_points(paid: Date, invoice: &OpenInvoice) -> u32 {
    let paid = day_number(paid);
    if paid < day_number(invoice.issue_date) - 5 {
        return 200;
    }
    let late = paid - day_number(invoice.due_date) - 30;
    if late <= 0 {
        return 1000;
    }
    // Fades from 10 to 3 points over the year after.
    (1000 - (late * 700 / 365).min(700)) as u32
}

/// A second-pass candidate: an invoice, or all of a client's open invoices.
#[derive(Clone, Debug)]
struct Candidate {
    invoices: Vec<u32>,
    client: ClientId,
    method: MatchMethod,
    /// Points × 100 (0..=10 000 and a bit over before capping).
    points: u32,
    /// The outstanding amounts the candidate was scored with, to check it is still valid.
    expected: Vec<i64>,
    amount_equal: bool,
}

impl Candidate {
    fn confidence(&self) -> Confidence {
        Confidence(u8::try_from((self.points / 100).min(99)).unwrap_or(99))
    }
}

struct Scorer<'b, 'a> {
    book: &'b Book<'a>,
    names: HashMap<ClientId, NormalizedName>,
}

impl Scorer<'_, '_> {
    fn name_points(&mut self, payer: &[NormalizedName], k: u32) -> u32 {
        let invoice = self.book.invoice(k);
        let client = self
            .names
            .entry(invoice.client)
            .or_insert_with(|| NormalizedName::new(&invoice.client_name));
        // Names that share few trigrams are not worth the full comparison.
        let best = payer
            .iter()
            .filter(|p| names::quick_overlap(p, client) >= 0.2)
            .map(|p| similarity(p, client))
            .fold(0.0, f64::max);
        (best * 4500.0).round() as u32
    }
}

/// Reconciles `lines` against `invoices` (the open invoices of the entity whose account the
/// lines come from).
pub fn reconcile(
    invoices: &[OpenInvoice],
    lines: &[StatementLine],
    config: &MatcherConfig,
) -> Reconciliation {
    let book = Book::new(invoices);
    let mut outstanding: Vec<i64> = book
        .invoices
        .iter()
        .map(|i| i.outstanding.cents())
        .collect();
    // Lines in booking-date order, then by fingerprint: the input's order does not matter.
    let mut keyed: Vec<(Date, LineFingerprint, usize)> = lines
        .iter()
        .enumerate()
        .map(|(l, line)| (line.booking_date, line.fingerprint, l))
        .collect();
    keyed.sort_unstable();
    let order: Vec<usize> = keyed.into_iter().map(|(_, _, l)| l).collect();
    let mut outcomes: Vec<Option<Outcome>> = vec![None; lines.len()];
    let texts: Vec<std::borrow::Cow<'_, str>> = lines.iter().map(line_text).collect();

    // First pass: references.
    for &l in &order {
        let line = &lines[l];
        if !line.amount.is_positive() {
            outcomes[l] = Some(Outcome::Unmatched {
                reason: UnmatchedReason::NotACredit,
                suggestions: Vec::new(),
            });
            continue;
        }
        let hits = reference_hits(&book, line, &texts[l]);
        if hits.invoices.is_empty() {
            if !hits.ambiguous.is_empty() {
                outcomes[l] = Some(Outcome::Unmatched {
                    reason: UnmatchedReason::Ambiguous,
                    suggestions: hits
                        .ambiguous
                        .iter()
                        .take(config.max_suggestions)
                        .map(|&k| Suggestion {
                            invoices: vec![book.invoice(k).id],
                            method: MatchMethod::ReferenceInText,
                            confidence: Confidence(50),
                        })
                        .collect(),
                });
            }
            continue;
        }
        let source = hits
            .invoices
            .iter()
            .map(|(_, s)| *s)
            .min()
            .unwrap_or(Source::Number);
        let mut targets: Vec<u32> = hits.invoices.iter().map(|(k, _)| *k).collect();
        targets.sort_by_key(|&k| book.order_key(k));
        if targets.iter().all(|&k| outstanding[k as usize] == 0) {
            outcomes[l] = Some(Outcome::Unmatched {
                reason: UnmatchedReason::AlreadySettled,
                suggestions: vec![Suggestion {
                    invoices: targets.iter().map(|&k| book.invoice(k).id).collect(),
                    method: source.method(),
                    confidence: source.confidence(),
                }],
            });
            continue;
        }
        outcomes[l] = Some(allocate(
            &book,
            &mut outstanding,
            &targets,
            line.amount,
            source.method(),
            source.confidence(),
        ));
    }

    // Second pass: typos, amounts, names and dates.
    let mut by_amount: HashMap<i64, Vec<u32>> = HashMap::new();
    let mut by_client: HashMap<ClientId, Vec<u32>> = HashMap::new();
    for (k, &owed) in outstanding.iter().enumerate() {
        if owed > 0 {
            let k = k as u32;
            by_amount.entry(owed).or_default().push(k);
            by_client.entry(book.invoice(k).client).or_default().push(k);
        }
    }
    let mut by_client_total: HashMap<i64, Vec<ClientId>> = HashMap::new();
    for (client, ks) in &mut by_client {
        if ks.len() > 1 {
            ks.sort_by_key(|&k| book.order_key(k));
            let total: i64 = ks.iter().map(|&k| outstanding[k as usize]).sum();
            by_client_total.entry(total).or_default().push(*client);
        }
    }
    for clients in by_client_total.values_mut() {
        clients.sort_unstable();
    }

    let mut scorer = Scorer {
        book: &book,
        names: HashMap::new(),
    };
    let mut pending: Vec<(usize, Vec<Candidate>)> = Vec::new();
    for &l in &order {
        if outcomes[l].is_some() {
            continue;
        }
        let candidates = candidates(
            &mut scorer,
            &lines[l],
            &texts[l],
            &outstanding,
            &by_amount,
            &by_client,
            &by_client_total,
        );
        let suggestions = |cands: &[Candidate]| -> Vec<Suggestion> {
            cands
                .iter()
                .take(config.max_suggestions)
                .map(|c| Suggestion {
                    invoices: c.invoices.iter().map(|&k| book.invoice(k).id).collect(),
                    method: c.method,
                    confidence: c.confidence(),
                })
                .collect()
        };
        let Some(best) = candidates.first() else {
            outcomes[l] = Some(Outcome::Unmatched {
                reason: UnmatchedReason::NoCandidate,
                suggestions: Vec::new(),
            });
            continue;
        };
        if best.confidence() < config.auto_match_threshold {
            outcomes[l] = Some(Outcome::Unmatched {
                reason: UnmatchedReason::LowConfidence,
                suggestions: suggestions(&candidates),
            });
            continue;
        }
        let margin = u32::from(config.ambiguity_margin) * 100;
        let rival = candidates
            .iter()
            .skip(1)
            .find(|c| c.client != best.client)
            .is_some_and(|c| c.points + margin > best.points);
        if rival {
            outcomes[l] = Some(Outcome::Unmatched {
                reason: UnmatchedReason::Ambiguous,
                suggestions: suggestions(&candidates),
            });
            continue;
        }
        let viable: Vec<Candidate> = candidates
            .into_iter()
            .filter(|c| c.confidence() >= config.auto_match_threshold)
            .collect();
        pending.push((l, viable));
    }

    // The best-scored claims first; a line whose invoices were taken tries its next candidate.
    let mut position = vec![0usize; lines.len()];
    for (p, &l) in order.iter().enumerate() {
        position[l] = p;
    }
    let mut heap: BinaryHeap<(u32, Reverse<usize>, usize, usize)> = BinaryHeap::new();
    for (slot, (l, cands)) in pending.iter().enumerate() {
        if let Some(c) = cands.first() {
            heap.push((c.points, Reverse(position[*l]), slot, 0));
        }
    }
    while let Some((_, _, slot, index)) = heap.pop() {
        let (l, cands) = &pending[slot];
        let c = &cands[index];
        let still_valid = c
            .invoices
            .iter()
            .zip(&c.expected)
            .all(|(&k, &owed)| outstanding[k as usize] == owed);
        if still_valid {
            outcomes[*l] = Some(allocate(
                &book,
                &mut outstanding,
                &c.invoices,
                lines[*l].amount,
                c.method,
                c.confidence(),
            ));
        } else if let Some(next) = cands.get(index + 1) {
            heap.push((next.points, Reverse(position[*l]), slot, index + 1));
        } else {
            outcomes[*l] = Some(Outcome::Unmatched {
                reason: UnmatchedReason::CompetingPayments,
                suggestions: Vec::new(),
            });
        }
    }

    Reconciliation {
        lines: outcomes
            .into_iter()
            .enumerate()
            .map(|(l, outcome)| LineMatch {
                line: l,
                fingerprint: lines[l].fingerprint,
                outcome: outcome.unwrap_or(Outcome::Unmatched {
                    reason: UnmatchedReason::NoCandidate,
                    suggestions: Vec::new(),
                }),
            })
            .collect(),
    }
}

/// Gives `amount` to `targets` in order, each up to what it owes; the rest is excess.
fn allocate(
    book: &Book<'_>,
    outstanding: &mut [i64],
    targets: &[u32],
    amount: Money,
    method: MatchMethod,
    confidence: Confidence,
) -> Outcome {
    let mut left = amount.cents();
    let mut allocations = Vec::with_capacity(targets.len());
    for &k in targets {
        let owed = &mut outstanding[k as usize];
        let given = left.min(*owed);
        if given <= 0 {
            continue;
        }
        *owed -= given;
        left -= given;
        allocations.push(Allocation {
            invoice: book.invoice(k).id,
            amount: Money::from_cents(given),
            outstanding_after: Money::from_cents(*owed),
        });
    }
    Outcome::Matched {
        method,
        confidence,
        allocations,
        excess: Money::from_cents(left),
    }
}

fn candidates(
    scorer: &mut Scorer<'_, '_>,
    line: &StatementLine,
    text: &str,
    outstanding: &[i64],
    by_amount: &HashMap<i64, Vec<u32>>,
    by_client: &HashMap<ClientId, Vec<u32>>,
    by_client_total: &HashMap<i64, Vec<ClientId>>,
) -> Vec<Candidate> {
    let book = scorer.book;
    let amount = line.amount.cents();
    let payer: Vec<NormalizedName> = [&line.counterparty_name, &line.ultimate_party_name]
        .into_iter()
        .flatten()
        .map(|n| NormalizedName::new(n))
        .filter(|n| !n.is_empty())
        .collect();

    let mut near: Vec<u32> = Vec::new();
    for token in references::broken_references(text, |s| book.by_reference.contains(s)) {
        references::near_references(&token, |s| {
            for &k in book.by_reference.get(s) {
                if outstanding[k as usize] > 0 && !near.contains(&k) {
                    near.push(k);
                }
            }
        });
    }
    let mut singles: Vec<u32> = near.clone();
    if let Some(ks) = by_amount.get(&amount) {
        for &k in ks {
            if outstanding[k as usize] == amount && !singles.contains(&k) {
                singles.push(k);
            }
        }
    }

    let mut out: Vec<Candidate> = Vec::with_capacity(singles.len() + 1);
    for k in singles {
        let invoice = book.invoice(k);
        let is_near = near.contains(&k);
        let owed = outstanding[k as usize];
        let amount_equal = owed == amount;
        let points = if is_near { 4500 } else { 0 }
            + if amount_equal { 3500 } else { 0 }
            + scorer.name_points(&payer, k)
            + date_points(line.booking_date, invoice);
        out.push(Candidate {
            invoices: vec![k],
            client: invoice.client,
            method: if is_near {
                MatchMethod::ReferenceWithTypo
            } else {
                MatchMethod::AmountAndName
            },
            points,
            expected: vec![owed],
            amount_equal,
        });
    }
    if let Some(clients) = by_client_total.get(&amount) {
        for client in clients {
            let Some(ks) = by_client.get(client) else {
                continue;
            };
            let expected: Vec<i64> = ks.iter().map(|&k| outstanding[k as usize]).collect();
            let date = ks
                .iter()
                .map(|&k| date_points(line.booking_date, book.invoice(k)))
                .max()
                .unwrap_or(0);
            let points = (3500 + scorer.name_points(&payer, ks[0]) + date).saturating_sub(500);
            out.push(Candidate {
                invoices: ks.clone(),
                client: *client,
                method: MatchMethod::ClientTotal,
                points,
                expected,
                amount_equal: true,
            });
        }
    }
    out.sort_by(|a, b| compare_candidates(book, a, b));
    out
}

/// Higher points first; then an exact amount; then the invoice due first; then by number.
fn compare_candidates(book: &Book<'_>, a: &Candidate, b: &Candidate) -> Ordering {
    b.points
        .cmp(&a.points)
        .then(b.amount_equal.cmp(&a.amount_equal))
        .then_with(|| {
            let key = |c: &Candidate| c.invoices.first().map(|&k| book.order_key(k));
            key(a).cmp(&key(b))
        })
        .then(a.invoices.len().cmp(&b.invoices.len()))
}

#[cfg(test)]
mod tests;
