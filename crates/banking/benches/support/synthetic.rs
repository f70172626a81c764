//! Synthetic open invoices and statement lines with realistic references and mistakes, for
//! the reconciliation benchmark and its quality test. Deterministic (seeded).
//!
//! Invoices: 70 % Belgian (structured communication), 30 % French (RF reference); clients with
//! about five invoices each, person and company names from Belgian and French name lists with
//! legal forms; amounts 40 % "round" (a few hundred values, VAT included or not, so many
//! invoices share an amount) and 60 % to the cent.
//!
//! One statement line per invoice, of which:
//! * 90 % carry the invoice's correct reference: half as a structured creditor reference,
//!   half in the free text in one of the usual dresses (`+++123/4567/89012+++`, spaced,
//!   slashed, bare digits, lower-case `rf`, with other words around); 3 % of them pay only part
//!   of the invoice and 1 % pay more;
//! * 5 % carry a reference with one typo (a wrong, swapped, missing or extra character) or no
//!   reference at all, with the exact amount and the client's name as a bank writes it
//!   (upper case, legal form dropped or changed, a letter wrong, words swapped, cut at 35
//!   characters); a tenth of the typo lines pay a third of the amount, and a tenth of the
//!   lines without reference come from someone else (an accountant) — those cannot be matched
//!   without a person;
//! * 5 % are noise: refunds, transfers from people who are not clients, a third of them for
//!   an amount some invoice has.

#![allow(dead_code)]

use ensemble_banking::reconcile::{
    LineFingerprint, OpenInvoice, Outcome, Reconciliation, StatementLine,
};
use ensemble_domain::{
    ClientId, Country, DocumentKind, DocumentNumber, InvoiceId, Money, PaymentReference,
};
use jiff::ToSpan;
use jiff::civil::{Date, date};
use uuid::Uuid;

/// SplitMix64.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Jeanne",
    "Pierre",
    "Marie",
    "Luc",
    "Sophie",
    "Thomas",
    "Emma",
    "Lucas",
    "Chloé",
    "Hugo",
    "Léa",
    "Louis",
    "Camille",
    "Nathan",
    "Manon",
    "Arthur",
    "Julie",
    "Maxime",
    "Sarah",
    "Antoine",
    "Inès",
    "Jules",
    "Zoë",
    "Noah",
    "Lotte",
    "Wout",
    "Fien",
    "Bram",
    "Elise",
    "Jan",
    "Anke",
    "Pieter",
    "Nora",
    "Victor",
    "Amélie",
    "Raphaël",
    "Hélène",
    "François",
    "Gaëlle",
    "Joël",
];
const LAST: &[&str] = &[
    "Dupont",
    "Martin",
    "Lefèvre",
    "Dubois",
    "Lambert",
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dumont",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Michel",
    "Garcia",
    "Bernard",
    "Petit",
    "Durand",
    "Richard",
    "Robert",
    "Thomas",
    "Fontaine",
    "Chevalier",
    "Renard",
    "Bonnet",
    "Girard",
    "Mercier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumas",
    "Lemaire",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Lemoine",
    "Vermeulen",
    "Van Damme",
    "Desmet",
    "Hermans",
    "Stevens",
    "Smets",
    "Michiels",
    "Verhoeven",
    "Pauwels",
    "De Backer",
    "Coppens",
    "Van den Broeck",
    "Segers",
    "Aerts",
    "Cools",
    "Declercq",
    "Baert",
    "Verstraete",
    "Lejeune",
    "Collard",
    "Renson",
    "Hubert",
    "Massart",
    "Piron",
    "Delvaux",
    "Gillet",
    "Lecomte",
    "Noël",
    "Thiry",
    "Gérard",
    "Jacquet",
    "Hanssens",
    "Ramaekers",
    "Van Acker",
    "Bogaert",
    "De Vos",
    "Lemmens",
    "Wuyts",
    "Geerts",
    "Van Dyck",
    "Nijs",
    "Bosmans",
    "Devos",
    "Verbeke",
    "Claeys",
    "Lambrecht",
    "Huysmans",
    "Vandenberghe",
    "Schmitt",
    "Weber",
];
const TRADE: &[&str] = &[
    "Boulangerie",
    "Atelier",
    "Studio",
    "Garage",
    "Imprimerie",
    "Bakkerij",
    "Drukkerij",
    "Brasserie",
    "Librairie",
    "Pharmacie",
    "Cabinet",
    "Agence",
    "Bureau",
    "Ferme",
    "Menuiserie",
    "Plomberie",
    "Architectes",
    "Productions",
    "Théâtre",
    "Galerie",
    "Éditions",
    "Traiteur",
    "Transports",
    "Constructions",
    "Jardins",
    "Design",
    "Conseil",
    "Media",
    "Events",
    "Consulting",
];
const FORMS_BE: &[&str] = &[
    "SA", "SRL", "SPRL", "NV", "BV", "BVBA", "SC", "ASBL", "VZW", "SCRL",
];
const FORMS_FR: &[&str] = &["SAS", "SARL", "SA", "EURL", "SASU", "SCI"];
const NOISE_PAYERS: &[&str] = &[
    "Mutualité Chrétienne",
    "SPF Finances",
    "Proximus SA",
    "Engie Electrabel",
    "Remboursement assurance AG",
    "Ethias",
    "Partenamut",
    "Kevin Vandamme",
    "Ophélie Castel",
    "Amazon EU SARL",
];

/// One client.
struct Client {
    id: ClientId,
    name: String,
    country: Country,
}

/// What a generated line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The correct reference (structured or in the text).
    Reference,
    /// A reference with one typo, amount and name as the bank writes them.
    Typo,
    /// No reference: amount and name.
    NameOnly,
    /// Not a payment of an invoice.
    Noise,
}

pub struct Data {
    pub invoices: Vec<OpenInvoice>,
    pub lines: Vec<StatementLine>,
    /// The invoice each line pays (`None` for noise).
    pub truth: Vec<Option<InvoiceId>>,
    pub kinds: Vec<Kind>,
}

fn client_name(rng: &mut Rng, country: Country) -> String {
    let last = rng.pick(LAST);
    match rng.below(10) {
        0..=3 => format!("{} {last}", rng.pick(FIRST)),
        4..=7 => {
            let form = match country {
                Country::Be => rng.pick(FORMS_BE),
                Country::Fr => rng.pick(FORMS_FR),
            };
            format!("{} {last} {form}", rng.pick(TRADE))
        }
        _ => {
            let form = match country {
                Country::Be => rng.pick(FORMS_BE),
                Country::Fr => rng.pick(FORMS_FR),
            };
            format!("{last} & {} {form}", rng.pick(LAST))
        }
    }
}

/// How a bank writes a client's name: upper case, legal form dropped or changed, one letter
/// wrong, words swapped or cut at 35 characters (one or two of these).
fn bank_name(rng: &mut Rng, name: &str) -> String {
    let mut words: Vec<String> = name.split(' ').map(str::to_string).collect();
    let is_form = |w: &str| FORMS_BE.contains(&w) || FORMS_FR.contains(&w);
    for _ in 0..1 + rng.below(2) {
        match rng.below(5) {
            0 => {
                if words.last().is_some_and(|w| is_form(w)) && words.len() > 2 {
                    words.pop();
                } else {
                    words.push("SRL".to_string());
                }
            }
            1 => {
                // One letter wrong in the longest word.
                let Some(w) = words.iter_mut().max_by_key(|w| w.len()) else {
                    continue;
                };
                let mut chars: Vec<char> = w.chars().collect();
                if chars.len() > 3 {
                    let at = 1 + rng.below(chars.len() as u64 - 2) as usize;
                    match rng.below(3) {
                        0 => chars[at] = if chars[at] == 'e' { 'a' } else { 'e' },
                        1 => chars.swap(at, at - 1),
                        _ => {
                            chars.remove(at);
                        }
                    }
                    *w = chars.into_iter().collect();
                }
            }
            2 if words.len() >= 2 => words.swap(0, 1),
            _ => {}
        }
    }
    let mut out = words.join(" ").to_uppercase();
    if out.chars().count() > 35 {
        out = out.chars().take(35).collect();
    }
    if rng.chance(300) {
        // Accents gone, as many banks print names.
        out = out
            .chars()
            .map(|c| match c {
                'É' | 'È' | 'Ê' | 'Ë' => 'E',
                'À' | 'Â' => 'A',
                'Ï' | 'Î' => 'I',
                'Ô' => 'O',
                'Ç' => 'C',
                c => c,
            })
            .collect();
    }
    out
}

/// The reference written the way payers write it.
fn dress(rng: &mut Rng, reference: &PaymentReference) -> String {
    let compact = reference.as_str();
    let around = |rng: &mut Rng, s: String| match rng.below(4) {
        0 => s,
        1 => format!("Facture {s}"),
        2 => format!("{s} merci"),
        _ => format!("paiement fact. {s} solde"),
    };
    match reference {
        PaymentReference::Structured(_) => {
            let (a, b, c) = (&compact[..3], &compact[3..7], &compact[7..]);
            let s = match rng.below(5) {
                0 => format!("+++{a}/{b}/{c}+++"),
                1 => format!("***{a}/{b}/{c}***"),
                2 => format!("{a}/{b}/{c}"),
                3 => format!("{a} {b} {c}"),
                _ => compact.to_string(),
            };
            around(rng, s)
        }
        PaymentReference::Rf(_) => {
            let s = match rng.below(3) {
                0 => reference.to_string(),
                1 => compact.to_string(),
                _ => compact.to_lowercase(),
            };
            around(rng, s)
        }
    }
}

/// One typo in the compact reference: a wrong character, two swapped, one missing or one
/// extra (never in the `RF` prefix).
fn typo(rng: &mut Rng, compact: &str) -> String {
    let mut chars: Vec<u8> = compact.bytes().collect();
    let start = if compact.starts_with("RF") { 2 } else { 0 };
    let at = start + rng.below((chars.len() - start - 1) as u64) as usize;
    match rng.below(4) {
        0 => {
            let c = chars[at];
            chars[at] = if c.is_ascii_digit() {
                b'0' + (c - b'0' + 1 + rng.below(8) as u8) % 10
            } else {
                b'A' + (c - b'A' + 1) % 26
            };
        }
        1 => {
            if chars[at] == chars[at + 1] {
                chars[at] = if chars[at] == b'0' { b'1' } else { b'0' };
            } else {
                chars.swap(at, at + 1);
            }
        }
        2 => {
            chars.remove(at);
        }
        _ => chars.insert(at, b'0' + rng.below(10) as u8),
    }
    String::from_utf8(chars).unwrap_or_default()
}

fn round_amount(rng: &mut Rng) -> i64 {
    // A few hundred price points: 50 € steps, with or without 21 % / 20 % VAT.
    let base = 50 * (1 + rng.below(100) as i64) * 100;
    match rng.below(3) {
        0 => base,
        1 => base * 121 / 100,
        _ => base * 120 / 100,
    }
}

/// `n` invoices and `n` lines.
pub fn generate(n: usize, seed: u64) -> Data {
    let mut rng = Rng::new(seed);
    let mut names = std::collections::HashSet::new();
    let clients: Vec<Client> = (0..n.div_ceil(5).max(1))
        .map(|k| {
            let country = if rng.chance(700) {
                Country::Be
            } else {
                Country::Fr
            };
            let mut name = client_name(&mut rng, country);
            for _ in 0..5 {
                if names.insert(name.clone()) {
                    break;
                }
                name = client_name(&mut rng, country);
            }
            Client {
                id: ClientId::from_uuid(Uuid::from_u128(0xC000_0000 + k as u128)),
                name,
                country,
            }
        })
        .collect();
    let start = date(2026, 1, 1);
    let mut sequence = [0u32; 2];
    let invoices: Vec<OpenInvoice> = (0..n)
        .map(|k| {
            let client = &clients[rng.below(clients.len() as u64) as usize];
            let slot = usize::from(client.country == Country::Fr);
            sequence[slot] += 1;
            let number =
                DocumentNumber::new(DocumentKind::Invoice, client.country, 2026, sequence[slot]);
            let cents = if rng.chance(400) {
                round_amount(&mut rng)
            } else {
                5_000 + rng.below(2_000_000) as i64
            };
            let issue: Date = start
                .checked_add((rng.below(300) as i64).days())
                .unwrap_or(start);
            let term = if rng.chance(500) { 10 } else { 30 };
            OpenInvoice {
                id: InvoiceId::from_uuid(Uuid::from_u128(0x1000_0000 + k as u128)),
                number,
                payment_reference: Some(PaymentReference::for_invoice(&number)),
                outstanding: Money::from_cents(cents),
                client: client.id,
                client_name: client.name.clone(),
                issue_date: issue,
                due_date: issue.checked_add((term as i64).days()).unwrap_or(issue),
            }
        })
        .collect();
    let noise_amounts: Vec<i64> = invoices.iter().map(|i| i.outstanding.cents()).collect();

    let mut lines = Vec::with_capacity(n);
    let mut truth = Vec::with_capacity(n);
    let mut kinds = Vec::with_capacity(n);
    for (k, invoice) in invoices.iter().enumerate() {
        let roll = rng.below(1000);
        let kind = if roll < 900 {
            Kind::Reference
        } else if roll < 925 {
            Kind::Typo
        } else if roll < 950 {
            Kind::NameOnly
        } else {
            Kind::Noise
        };
        let mut fingerprint = [0u8; 32];
        fingerprint[..8].copy_from_slice(&(k as u64).to_be_bytes());
        fingerprint[8..16].copy_from_slice(&seed.to_be_bytes());
        let paid = invoice
            .due_date
            .checked_add((rng.below(40) as i64 - 15).days())
            .unwrap_or(invoice.due_date);
        let reference = invoice
            .payment_reference
            .clone()
            .unwrap_or_else(|| PaymentReference::for_invoice(&invoice.number));
        let mut line = StatementLine {
            fingerprint: LineFingerprint::from_bytes(fingerprint),
            amount: invoice.outstanding,
            booking_date: paid,
            counterparty_name: Some(invoice.client_name.to_uppercase()),
            ultimate_party_name: None,
            counterparty_iban: None,
            creditor_references: Vec::new(),
            remittance: String::new(),
            origin: None,
        };
        match kind {
            Kind::Reference => {
                if rng.chance(500) {
                    line.creditor_references
                        .push(reference.as_str().to_string());
                } else {
                    line.remittance = dress(&mut rng, &reference);
                }
                if rng.chance(100) {
                    // Paid by someone else (an accountant, a parent company).
                    line.counterparty_name = Some(format!("Fiduciaire {}", rng.pick(LAST)));
                }
                let amount = invoice.outstanding.cents();
                line.amount = Money::from_cents(match rng.below(100) {
                    0..=2 => (amount / 2).max(1),
                    3 => amount + 1_000,
                    _ => amount,
                });
            }
            Kind::Typo => {
                line.counterparty_name = Some(bank_name(&mut rng, &invoice.client_name));
                if rng.chance(100) {
                    // And only part of the amount.
                    line.amount = Money::from_cents((invoice.outstanding.cents() / 3).max(1));
                }
                let broken = typo(&mut rng, reference.as_str());
                line.remittance = match reference {
                    PaymentReference::Structured(_) if broken.len() == 12 => {
                        format!("+++{}/{}/{}+++", &broken[..3], &broken[3..7], &broken[7..])
                    }
                    _ => broken,
                };
            }
            Kind::NameOnly => {
                line.counterparty_name = Some(if rng.chance(100) {
                    // Paid by someone else, without a reference: only a person can tell.
                    format!("Fiduciaire {}", rng.pick(LAST))
                } else {
                    bank_name(&mut rng, &invoice.client_name)
                });
                line.remittance = if rng.chance(500) {
                    "Facture".to_string()
                } else {
                    String::new()
                };
            }
            Kind::Noise => {
                line.counterparty_name = Some(rng.pick(NOISE_PAYERS).to_string());
                line.amount = Money::from_cents(if rng.chance(333) {
                    noise_amounts[rng.below(noise_amounts.len() as u64) as usize]
                } else {
                    100 + rng.below(500_000) as i64
                });
                line.remittance = match rng.below(3) {
                    0 => "Remboursement".to_string(),
                    1 => format!("Dossier {}", rng.below(1_000_000)),
                    _ => String::new(),
                };
            }
        }
        truth.push((kind != Kind::Noise).then_some(invoice.id));
        kinds.push(kind);
        lines.push(line);
    }
    Data {
        invoices,
        lines,
        truth,
        kinds,
    }
}

/// Matched share and precision of a reconciliation of generated data.
#[derive(Clone, Copy, Debug, Default)]
pub struct Quality {
    pub lines: usize,
    /// Lines that pay an invoice (not noise).
    pub payments: usize,
    /// Payments matched automatically.
    pub payments_matched: usize,
    pub matched: usize,
    /// Matches whose first allocation is the invoice the line pays.
    pub correct: usize,
    /// Noise lines matched to an invoice.
    pub noise_matched: usize,
    pub by_kind: [(usize, usize); 4],
}

impl Quality {
    pub fn of(data: &Data, result: &Reconciliation) -> Quality {
        let mut q = Quality {
            lines: data.lines.len(),
            ..Quality::default()
        };
        for m in &result.lines {
            let truth = data.truth[m.line];
            let kind = data.kinds[m.line] as usize;
            q.by_kind[kind].0 += 1;
            if truth.is_some() {
                q.payments += 1;
            }
            if let Outcome::Matched { allocations, .. } = &m.outcome {
                q.matched += 1;
                q.by_kind[kind].1 += 1;
                match truth {
                    Some(id) => {
                        q.payments_matched += 1;
                        if allocations.first().map(|a| a.invoice) == Some(id) {
                            q.correct += 1;
                        }
                    }
                    None => q.noise_matched += 1,
                }
            }
        }
        q
    }

    /// Matched automatically, among the lines that pay an invoice.
    pub fn matched_share(&self) -> f64 {
        self.payments_matched as f64 / self.payments.max(1) as f64
    }

    /// Correct matches among all matches.
    pub fn precision(&self) -> f64 {
        self.correct as f64 / self.matched.max(1) as f64
    }
}

fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn amount(m: Money) -> String {
    m.to_string()
}

/// The generated lines as one camt.053.001.08 statement of the account `iban`, one entry per
/// line (for the store-backed benchmark and its tests).
pub fn camt_file(data: &Data, iban: &str) -> Vec<u8> {
    let opening = Money::from_cents(1_000_000);
    let credits: Money = data.lines.iter().map(|l| l.amount).sum();
    let last = data
        .lines
        .iter()
        .map(|l| l.booking_date)
        .max()
        .unwrap_or(jiff::civil::date(2026, 12, 31));
    use std::fmt::Write as _;
    let mut x = String::with_capacity(data.lines.len() * 900);
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>BENCH-{last}</MsgId><CreDtTm>{last}T20:00:00+01:00</CreDtTm></GrpHdr>\
         <Stmt><Id>BENCH-{last}</Id><CreDtTm>{last}T20:00:00+01:00</CreDtTm>\
         <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>\
         <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{last}</Dt></Dt></Bal>\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{last}</Dt></Dt></Bal>\n",
        amount(opening),
        amount(opening + credits)
    );
    for (k, l) in data.lines.iter().enumerate() {
        let d = l.booking_date;
        let _ = write!(
            x,
            "<Ntry><Amt Ccy=\"EUR\">{a}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\
             <BookgDt><Dt>{d}</Dt></BookgDt><ValDt><Dt>{d}</Dt></ValDt><AcctSvcrRef>B{k}</AcctSvcrRef>\
             <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\
             <NtryDtls><TxDtls><Refs><AcctSvcrRef>B{k}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>\
             <Amt Ccy=\"EUR\">{a}</Amt><CdtDbtInd>CRDT</CdtDbtInd>",
            a = amount(l.amount)
        );
        if let Some(name) = &l.counterparty_name {
            let _ = write!(
                x,
                "<RltdPties><Dbtr><Pty><Nm>{}</Nm></Pty></Dbtr></RltdPties>",
                xml_text(name)
            );
        }
        if !l.remittance.is_empty() || !l.creditor_references.is_empty() {
            x.push_str("<RmtInf>");
            if !l.remittance.is_empty() {
                let _ = write!(x, "<Ustrd>{}</Ustrd>", xml_text(&l.remittance));
            }
            for r in &l.creditor_references {
                let issuer = if r.starts_with("RF") { "ISO" } else { "BBA" };
                let _ = write!(
                    x,
                    "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>{issuer}</Issr></Tp><Ref>{}</Ref></CdtrRefInf></Strd>",
                    xml_text(r)
                );
            }
            x.push_str("</RmtInf>");
        }
        x.push_str("</TxDtls></NtryDtls></Ntry>\n");
    }
    x.push_str("</Stmt></BkToCstmrStmt></Document>\n");
    x.into_bytes()
}
