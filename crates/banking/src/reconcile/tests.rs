use ensemble_domain::{Country, DocumentKind};
use jiff::civil::date;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;

fn number(seq: u32) -> DocumentNumber {
    DocumentNumber::new(DocumentKind::Invoice, Country::Be, 2026, seq)
}

fn invoice_id(seq: u32) -> InvoiceId {
    InvoiceId::from_uuid(Uuid::from_u128(u128::from(seq)))
}

fn client_id(k: u32) -> ClientId {
    ClientId::from_uuid(Uuid::from_u128(1_000_000 + u128::from(k)))
}

/// An open invoice of client `client`, issued on day `day` of October 2026, due ten days later.
fn invoice(seq: u32, cents: i64, client: u32, name: &str, day: i8) -> OpenInvoice {
    let n = number(seq);
    OpenInvoice {
        id: invoice_id(seq),
        number: n,
        payment_reference: Some(PaymentReference::for_invoice(&n)),
        outstanding: Money::from_cents(cents),
        client: client_id(client),
        client_name: name.to_string(),
        issue_date: date(2026, 10, day),
        due_date: date(2026, 10, day) + jiff::Span::new().days(10),
    }
}

fn reference(seq: u32) -> String {
    PaymentReference::for_invoice(&number(seq))
        .as_str()
        .to_string()
}

fn ogm_display(seq: u32) -> String {
    PaymentReference::for_invoice(&number(seq)).to_string()
}

fn line(k: u8, cents: i64, payer: &str) -> StatementLine {
    StatementLine {
        fingerprint: LineFingerprint::from_bytes([k; 32]),
        amount: Money::from_cents(cents),
        booking_date: date(2026, 10, 25),
        counterparty_name: (!payer.is_empty()).then(|| payer.to_string()),
        ultimate_party_name: None,
        counterparty_iban: None,
        creditor_references: Vec::new(),
        remittance: String::new(),
        origin: None,
    }
}

fn with_ref(mut l: StatementLine, r: &str) -> StatementLine {
    l.creditor_references.push(r.to_string());
    l
}

fn with_text(mut l: StatementLine, t: &str) -> StatementLine {
    l.remittance = t.to_string();
    l
}

fn run(invoices: &[OpenInvoice], lines: &[StatementLine]) -> Reconciliation {
    reconcile(invoices, lines, &MatcherConfig::default())
}

fn matched(r: &LineMatch) -> (MatchMethod, u8, Vec<(InvoiceId, i64, i64)>, i64) {
    match &r.outcome {
        Outcome::Matched {
            method,
            confidence,
            allocations,
            excess,
        } => (
            *method,
            confidence.value(),
            allocations
                .iter()
                .map(|a| (a.invoice, a.amount.cents(), a.outstanding_after.cents()))
                .collect(),
            excess.cents(),
        ),
        Outcome::Unmatched { reason, .. } => panic!("line {} unmatched: {reason:?}", r.line),
    }
}

fn unmatched(r: &LineMatch) -> UnmatchedReason {
    match &r.outcome {
        Outcome::Unmatched { reason, .. } => *reason,
        Outcome::Matched { .. } => panic!("line {} matched: {:?}", r.line, r.outcome),
    }
}

#[test]
fn structured_reference_pays_the_invoice() {
    let invoices = [invoice(1, 121_000, 1, "Client Exemple SA", 10)];
    let r = run(
        &invoices,
        &[with_ref(line(1, 121_000, "Someone Else"), &reference(1))],
    );
    assert_eq!(
        matched(&r.lines[0]),
        (
            MatchMethod::CreditorReference,
            100,
            vec![(invoice_id(1), 121_000, 0)],
            0
        )
    );
}

#[test]
fn references_in_free_text_in_every_dress() {
    let invoices = [
        invoice(1, 50_000, 1, "A", 10),
        invoice(2, 60_000, 2, "B", 10),
    ];
    let ogm = ogm_display(1);
    let digits = reference(1);
    for text in [
        ogm.clone(),
        ogm.replace('+', "*"),
        format!("Facture {ogm} merci"),
        format!("ref {} {} {}", &digits[..3], &digits[3..7], &digits[7..]),
        digits.clone(),
        format!("{}/{}/{}", &digits[..3], &digits[3..7], &digits[7..]),
    ] {
        let r = run(&invoices, &[with_text(line(1, 50_000, ""), &text)]);
        let (method, confidence, allocations, _) = matched(&r.lines[0]);
        assert_eq!(method, MatchMethod::ReferenceInText, "{text}");
        assert_eq!(confidence, 97);
        assert_eq!(allocations, vec![(invoice_id(1), 50_000, 0)]);
    }
    let r = run(
        &invoices,
        &[with_text(line(1, 60_000, ""), "facture INV-BE-2026-000002")],
    );
    assert_eq!(matched(&r.lines[0]).0, MatchMethod::InvoiceNumberInText);
    assert_eq!(matched(&r.lines[0]).1, 93);
}

#[test]
fn rf_references_of_french_invoices() {
    let n = DocumentNumber::new(DocumentKind::Invoice, Country::Fr, 2026, 42);
    let mut inv = invoice(42, 60_500, 1, "Client France SARL", 12);
    inv.number = n;
    inv.payment_reference = Some(PaymentReference::for_invoice(&n));
    let rf = inv.payment_reference.clone().unwrap();
    let r = run(
        std::slice::from_ref(&inv),
        &[with_text(
            line(1, 60_500, ""),
            &format!("Paiement {rf} merci"),
        )],
    );
    assert_eq!(matched(&r.lines[0]).0, MatchMethod::ReferenceInText);
    let r = run(&[inv], &[with_ref(line(1, 60_500, ""), rf.as_str())]);
    assert_eq!(matched(&r.lines[0]).1, 100);
}

#[test]
fn partial_payments_and_overpayments() {
    let invoices = [invoice(1, 100_000, 1, "A", 10)];
    let r = run(
        &invoices,
        &[
            with_ref(line(1, 30_000, ""), &reference(1)),
            with_ref(line(2, 90_000, ""), &reference(1)),
        ],
    );
    assert_eq!(
        matched(&r.lines[0]).2,
        vec![(invoice_id(1), 30_000, 70_000)]
    );
    let (_, _, allocations, excess) = matched(&r.lines[1]);
    assert_eq!(allocations, vec![(invoice_id(1), 70_000, 0)]);
    assert_eq!(excess, 20_000);
}

#[test]
fn one_payment_for_several_invoices_by_references() {
    let invoices = [
        invoice(1, 10_000, 1, "A", 12),
        invoice(2, 20_000, 1, "A", 5),
        invoice(3, 40_000, 1, "A", 8),
    ];
    let text = format!("{} {} {}", ogm_display(1), ogm_display(2), ogm_display(3));
    // Enough for all three.
    let r = run(&invoices, &[with_text(line(1, 70_000, ""), &text)]);
    let (_, _, allocations, excess) = matched(&r.lines[0]);
    assert_eq!(allocations.len(), 3);
    assert_eq!(excess, 0);
    // Short: the invoice due first is paid first (2, then 3, then 1).
    let r = run(&invoices, &[with_text(line(1, 50_000, ""), &text)]);
    assert_eq!(
        matched(&r.lines[0]).2,
        vec![(invoice_id(2), 20_000, 0), (invoice_id(3), 30_000, 10_000)]
    );
}

#[test]
fn one_payment_for_all_of_a_clients_invoices() {
    let invoices = [
        invoice(1, 10_000, 1, "Atelier Lefèvre SPRL", 1),
        invoice(2, 25_050, 1, "Atelier Lefèvre SPRL", 3),
        invoice(3, 35_050, 2, "Boulangerie Martin", 3),
    ];
    let r = run(&invoices, &[line(1, 35_050, "ATELIER LEFEVRE")]);
    let (method, confidence, allocations, excess) = matched(&r.lines[0]);
    assert_eq!(method, MatchMethod::ClientTotal);
    assert!(confidence >= 80);
    assert_eq!(
        allocations,
        vec![(invoice_id(1), 10_000, 0), (invoice_id(2), 25_050, 0)]
    );
    assert_eq!(excess, 0);
}

#[test]
fn amount_and_name_with_typos_and_legal_forms() {
    let invoices = [
        invoice(1, 121_000, 1, "Client Exemple SA", 10),
        invoice(2, 121_000, 2, "Boulangerie Martin", 10),
        invoice(3, 99_900, 3, "Zoë Müller", 10),
    ];
    let r = run(
        &invoices,
        &[
            line(1, 121_000, "CLIENT EXEMPEL"),
            line(2, 99_900, "Mme Zoe Mueller"),
        ],
    );
    let (method, confidence, allocations, _) = matched(&r.lines[0]);
    assert_eq!(method, MatchMethod::AmountAndName);
    assert!((80..100).contains(&confidence), "{confidence}");
    assert_eq!(allocations, vec![(invoice_id(1), 121_000, 0)]);
    assert_eq!(matched(&r.lines[1]).2, vec![(invoice_id(3), 99_900, 0)]);
}

#[test]
fn doubtful_lines_go_to_the_staff_queue() {
    let invoices = [
        invoice(1, 121_000, 1, "Dupont SA", 10),
        invoice(2, 121_000, 2, "Dupont SPRL", 10),
        invoice(3, 50_000, 3, "Boulangerie Martin", 10),
    ];
    let r = run(
        &invoices,
        &[
            line(1, 121_000, "DUPONT"),
            line(2, 50_000, "Garage Peeters"),
            line(3, 77_700, "Boulangerie Martin"),
            line(4, 50_000, ""),
            line(5, -100, "Boulangerie Martin"),
        ],
    );
    assert_eq!(unmatched(&r.lines[0]), UnmatchedReason::Ambiguous);
    assert_eq!(unmatched(&r.lines[1]), UnmatchedReason::LowConfidence);
    assert_eq!(unmatched(&r.lines[2]), UnmatchedReason::NoCandidate);
    assert_eq!(unmatched(&r.lines[3]), UnmatchedReason::LowConfidence);
    assert_eq!(unmatched(&r.lines[4]), UnmatchedReason::NotACredit);
    let Outcome::Unmatched { suggestions, .. } = &r.lines[0].outcome else {
        unreachable!()
    };
    assert_eq!(suggestions.len(), 2);
}

#[test]
fn a_reference_with_a_typo_is_weighed_with_the_amount() {
    let invoices = [invoice(1, 121_000, 1, "Client Exemple SA", 10)];
    let good = reference(1);
    let mut typo = good.clone().into_bytes();
    typo[5] = if typo[5] == b'9' { b'0' } else { typo[5] + 1 };
    let typo = String::from_utf8(typo).unwrap();
    let r = run(
        &invoices,
        &[with_text(line(1, 121_000, ""), &format!("+++{typo}+++"))],
    );
    let (method, confidence, allocations, _) = matched(&r.lines[0]);
    assert_eq!(method, MatchMethod::ReferenceWithTypo);
    assert!(confidence >= 80);
    assert_eq!(allocations, vec![(invoice_id(1), 121_000, 0)]);
    // A typo and a different amount but the right name: a partial payment.
    let r = run(
        &invoices,
        &[with_text(
            line(1, 21_000, "Client Exemple"),
            &format!("+++{typo}+++"),
        )],
    );
    assert_eq!(
        matched(&r.lines[0]).2,
        vec![(invoice_id(1), 21_000, 100_000)]
    );
    // A typo alone is not enough.
    let r = run(
        &invoices,
        &[with_text(line(1, 21_000, ""), &format!("+++{typo}+++"))],
    );
    assert_eq!(unmatched(&r.lines[0]), UnmatchedReason::LowConfidence);
}

#[test]
fn paying_twice_goes_to_the_staff_queue() {
    let invoices = [invoice(1, 100_000, 1, "A", 10)];
    let mut second = with_ref(line(2, 100_000, ""), &reference(1));
    second.booking_date = date(2026, 10, 28);
    let r = run(
        &invoices,
        &[second, with_ref(line(1, 100_000, ""), &reference(1))],
    );
    assert_eq!(unmatched(&r.lines[0]), UnmatchedReason::AlreadySettled);
    assert_eq!(matched(&r.lines[1]).2, vec![(invoice_id(1), 100_000, 0)]);
}

#[test]
fn exact_references_win_over_earlier_fuzzy_matches() {
    let invoices = [invoice(1, 100_000, 1, "Client Exemple", 10)];
    let mut early = line(1, 100_000, "Client Exemple");
    early.booking_date = date(2026, 10, 20);
    let late = with_ref(line(2, 100_000, "Someone"), &reference(1));
    let r = run(&invoices, &[early, late]);
    assert_eq!(matched(&r.lines[1]).0, MatchMethod::CreditorReference);
    assert_eq!(unmatched(&r.lines[0]), UnmatchedReason::NoCandidate);
}

#[test]
fn competing_lines_the_better_one_wins() {
    let invoices = [
        invoice(1, 100_000, 1, "Client Exemple", 10),
        invoice(2, 100_000, 1, "Client Exemple", 20),
    ];
    // Same client, same amount: the first due is paid first, the second line takes the other.
    let r = run(
        &invoices,
        &[
            line(1, 100_000, "Client Exemple"),
            line(2, 100_000, "Client Exempel"),
        ],
    );
    assert_eq!(matched(&r.lines[0]).2[0].0, invoice_id(1));
    assert_eq!(matched(&r.lines[1]).2[0].0, invoice_id(2));
    // Three lines for two invoices: the weakest waits for a person.
    let r = run(
        &invoices,
        &[
            line(1, 100_000, "Client Exemple"),
            line(2, 100_000, "CLIENT EXEMPLE"),
            line(3, 100_000, "Client Exempel"),
        ],
    );
    assert_eq!(r.matched().count(), 2);
    assert_eq!(unmatched(&r.lines[2]), UnmatchedReason::CompetingPayments);
}

#[test]
fn invoices_without_anything_outstanding_or_repeated_are_ignored() {
    let mut paid = invoice(1, 0, 1, "A", 10);
    paid.outstanding = Money::ZERO;
    let invoices = [
        paid,
        invoice(2, 100, 1, "A", 10),
        invoice(2, 100, 1, "A", 10),
    ];
    let r = run(
        &invoices,
        &[
            with_ref(line(1, 100, ""), &reference(1)),
            with_ref(line(2, 200, ""), &reference(2)),
        ],
    );
    assert_eq!(unmatched(&r.lines[0]), UnmatchedReason::NoCandidate);
    assert_eq!(matched(&r.lines[1]).3, 100);
}

// ---- properties ----

#[derive(Clone, Debug)]
enum Evidence {
    Structured,
    Text,
    Typo,
    Nothing,
}

#[derive(Clone, Debug)]
struct LineSpec {
    target: usize,
    evidence: Evidence,
    /// Per mille of the target's outstanding (partial, exact or over).
    share: u16,
    name_ok: bool,
}

const CLIENTS: &[&str] = &[
    "Client Exemple SA",
    "Atelier Lefèvre",
    "Boulangerie Martin",
    "Bakkerij Peeters BV",
    "Zoë Müller",
];

fn scenario() -> impl Strategy<Value = (Vec<(i64, usize, i8)>, Vec<LineSpec>)> {
    let invoices = prop::collection::vec((1i64..500_000, 0usize..CLIENTS.len(), 1i8..28), 1..25);
    let lines = prop::collection::vec(
        (
            0usize..40,
            prop_oneof![
                Just(Evidence::Structured),
                Just(Evidence::Text),
                Just(Evidence::Typo),
                Just(Evidence::Nothing)
            ],
            prop_oneof![Just(1000u16), 1u16..2500],
            any::<bool>(),
        )
            .prop_map(|(target, evidence, share, name_ok)| LineSpec {
                target,
                evidence,
                share,
                name_ok,
            }),
        0..30,
    );
    (invoices, lines)
}

fn build(spec: &(Vec<(i64, usize, i8)>, Vec<LineSpec>)) -> (Vec<OpenInvoice>, Vec<StatementLine>) {
    let invoices: Vec<OpenInvoice> = spec
        .0
        .iter()
        .enumerate()
        .map(|(i, &(cents, client, day))| {
            invoice(i as u32 + 1, cents, client as u32, CLIENTS[client], day)
        })
        .collect();
    let lines = spec
        .1
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let target = &invoices[s.target % invoices.len()];
            let cents = (target.outstanding.cents() * i64::from(s.share) / 1000).max(1);
            let seq = target.number.sequence;
            let mut l = line(
                k as u8,
                cents,
                if s.name_ok {
                    &target.client_name
                } else {
                    "Garage Peeters"
                },
            );
            l.booking_date = date(2026, 10, 1 + (k % 28) as i8);
            match s.evidence {
                Evidence::Structured => l.creditor_references.push(reference(seq)),
                Evidence::Text => l.remittance = format!("facture {}", ogm_display(seq)),
                Evidence::Typo => {
                    let mut r = reference(seq).into_bytes();
                    r.swap(2, 7);
                    r[9] = b'0' + (r[9] - b'0' + 1) % 10;
                    l.remittance = String::from_utf8(r).unwrap();
                }
                Evidence::Nothing => {}
            }
            l
        })
        .collect();
    (invoices, lines)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn allocations_never_exceed_the_line_nor_the_invoice(spec in scenario()) {
        let (invoices, lines) = build(&spec);
        let r = run(&invoices, &lines);
        prop_assert_eq!(r.lines.len(), lines.len());
        let mut given: HashMap<InvoiceId, i64> = HashMap::new();
        for m in &r.lines {
            if let Outcome::Matched { allocations, excess, confidence, .. } = &m.outcome {
                let total: i64 = allocations.iter().map(|a| a.amount.cents()).sum();
                prop_assert!(total <= lines[m.line].amount.cents());
                prop_assert_eq!(total + excess.cents(), lines[m.line].amount.cents());
                prop_assert!(!excess.is_negative());
                prop_assert!(*confidence >= MatcherConfig::default().auto_match_threshold);
                for a in allocations {
                    prop_assert!(a.amount.is_positive());
                    *given.entry(a.invoice).or_default() += a.amount.cents();
                }
            }
        }
        for inv in &invoices {
            prop_assert!(given.get(&inv.id).copied().unwrap_or(0) <= inv.outstanding.cents());
        }
    }

    #[test]
    fn exact_references_always_win(spec in scenario()) {
        let (invoices, lines) = build(&spec);
        let r = run(&invoices, &lines);
        let by_reference = |m: &LineMatch| matches!(
            &m.outcome,
            Outcome::Matched { method: MatchMethod::CreditorReference | MatchMethod::ReferenceInText, .. }
        );
        for (k, s) in spec.1.iter().enumerate() {
            if !matches!(s.evidence, Evidence::Structured | Evidence::Text) {
                continue;
            }
            let target = invoices[s.target % invoices.len()].id;
            let m = &r.lines[k];
            if by_reference(m) {
                prop_assert!(m.allocations().iter().any(|a| a.invoice == target));
            } else {
                // Not allocated only when other reference lines paid the invoice in full.
                prop_assert_eq!(unmatched(m), UnmatchedReason::AlreadySettled);
                let paid_by_references: i64 = r.lines.iter()
                    .filter(|o| by_reference(o))
                    .flat_map(|o| o.allocations())
                    .filter(|a| a.invoice == target)
                    .map(|a| a.amount.cents())
                    .sum();
                let outstanding = invoices[s.target % invoices.len()].outstanding.cents();
                prop_assert_eq!(paid_by_references, outstanding);
            }
        }
    }

    #[test]
    fn same_inputs_same_outputs_whatever_the_order(spec in scenario(), seed in any::<u64>()) {
        let (mut invoices, lines) = build(&spec);
        let first = run(&invoices, &lines);
        let mut shuffled: Vec<(usize, StatementLine)> = lines.iter().cloned().enumerate().collect();
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        invoices.reverse();
        let lines2: Vec<StatementLine> = shuffled.iter().map(|(_, l)| l.clone()).collect();
        let second = run(&invoices, &lines2);
        for (new_index, (old_index, _)) in shuffled.iter().enumerate() {
            prop_assert_eq!(&first.lines[*old_index].outcome, &second.lines[new_index].outcome);
        }
        // The invoices' order alone changes nothing either.
        prop_assert_eq!(first, run(&invoices, &lines));
    }
}
