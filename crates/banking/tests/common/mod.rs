//! Shared by the integration tests: where the validators and samples are, a deterministic
//! random generator, and a camt.053 writer (.08 and .02) for generated statements.

#![allow(clippy::unwrap_used)] // test data and test setup
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::PathBuf;

use ensemble_domain::Money;

/// `../shared/validators` next to the repository, or `ENSEMBLE_VALIDATORS_DIR`.
pub fn validators_dir() -> PathBuf {
    match std::env::var_os("ENSEMBLE_VALIDATORS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/validators"),
    }
}

/// The SEPA samples of the validators (fails loudly when they are not there).
pub fn sample(name: &str) -> Vec<u8> {
    let path = validators_dir().join("artefacts/sepa/examples").join(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the validators' sample {} ({e}); set ENSEMBLE_VALIDATORS_DIR to the shared validators folder",
            path.display()
        )
    })
}

/// A folder under the target directory for generated documents.
pub fn output_dir(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("ensemble-banking-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the output folder");
    dir
}

/// SplitMix64: a small deterministic generator for test data.
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

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// XML-escapes text.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V02,
    V08,
}

/// A generated statement.
#[derive(Clone, Debug)]
pub struct GenStatement {
    pub version: Version,
    pub id: String,
    pub iban: String,
    pub bic: String,
    pub opening: i64,
    pub date: String,
    pub entries: Vec<GenEntry>,
}

#[derive(Clone, Debug)]
pub struct GenEntry {
    pub amount: i64,
    pub credit: bool,
    pub booked: bool,
    pub reversal: bool,
    pub servicer_ref: String,
    pub batch: Option<(String, String)>,
    pub txs: Vec<GenTx>,
    pub additional: Option<String>,
}

#[derive(Clone, Debug)]
pub struct GenTx {
    pub amount: i64,
    pub end_to_end: String,
    pub name: String,
    pub iban: String,
    pub bic: Option<String>,
    pub unstructured: Option<String>,
    /// (issuer, reference)
    pub structured: Option<(String, String)>,
}

impl GenStatement {
    pub fn closing(&self) -> i64 {
        self.opening
            + self
                .entries
                .iter()
                .filter(|e| e.booked)
                .map(|e| if e.credit { e.amount } else { -e.amount })
                .sum::<i64>()
    }

    pub fn booked(&self, credit: bool) -> (usize, i64) {
        let es: Vec<&GenEntry> = self
            .entries
            .iter()
            .filter(|e| e.booked && e.credit == credit)
            .collect();
        (es.len(), es.iter().map(|e| e.amount).sum())
    }

    pub fn to_xml(&self) -> String {
        let v08 = self.version == Version::V08;
        let ns = if v08 {
            "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
        } else {
            "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
        };
        let bic = if v08 { "BICFI" } else { "BIC" };
        let m = |c: i64| Money::from_cents(c.abs()).to_string();
        let ind = |credit: bool| if credit { "CRDT" } else { "DBIT" };
        let mut x = String::new();
        let _ = write!(
            x,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{ns}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-{id}</MsgId><CreDtTm>{d}T22:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{id}</Id>
      <ElctrncSeqNb>7</ElctrncSeqNb>
      <CreDtTm>{d}T22:00:00+01:00</CreDtTm>
      <Acct>
        <Id><IBAN>{iban}</IBAN></Id>
        <Ccy>EUR</Ccy>
        <Ownr><Nm>Coop&#233;rative Exemple SC</Nm></Ownr>
        <Svcr><FinInstnId><{bic}>{sbic}</{bic}></FinInstnId></Svcr>
      </Acct>
"#,
            id = self.id,
            d = self.date,
            iban = self.iban,
            sbic = self.bic,
        );
        for (code, amount) in [("OPBD", self.opening), ("CLBD", self.closing())] {
            let _ = writeln!(
                x,
                r#"      <Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{}</Amt><CdtDbtInd>{}</CdtDbtInd><Dt><Dt>{}</Dt></Dt></Bal>"#,
                m(amount),
                ind(amount >= 0),
                self.date
            );
        }
        let (nc, sc) = self.booked(true);
        let (nd, sd) = self.booked(false);
        let _ = writeln!(
            x,
            "      <TxsSummry><TtlCdtNtries><NbOfNtries>{nc}</NbOfNtries><Sum>{}</Sum></TtlCdtNtries><TtlDbtNtries><NbOfNtries>{nd}</NbOfNtries><Sum>{}</Sum></TtlDbtNtries></TxsSummry>",
            m(sc),
            m(sd)
        );
        for (n, e) in self.entries.iter().enumerate() {
            let status = match (v08, e.booked) {
                (true, true) => "<Sts><Cd>BOOK</Cd></Sts>".to_string(),
                (true, false) => "<Sts><Cd>PDNG</Cd></Sts>".to_string(),
                (false, true) => "<Sts>BOOK</Sts>".to_string(),
                (false, false) => "<Sts>PDNG</Sts>".to_string(),
            };
            let family = if e.credit { "RCDT" } else { "ICDT" };
            let _ = write!(
                x,
                r#"      <Ntry>
        <NtryRef>{r}</NtryRef>
        <Amt Ccy="EUR">{a}</Amt>
        <CdtDbtInd>{i}</CdtDbtInd>
        <RvslInd>{rv}</RvslInd>
        {status}
        <BookgDt><Dt>{d}</Dt></BookgDt>
        <ValDt><Dt>{d}</Dt></ValDt>
        <AcctSvcrRef>{sr}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
"#,
                r = n + 1,
                a = m(e.amount),
                i = ind(e.credit),
                rv = e.reversal,
                d = self.date,
                sr = e.servicer_ref,
            );
            if !e.txs.is_empty() || e.batch.is_some() {
                x.push_str("        <NtryDtls>\n");
                if let Some((msg, pmt)) = &e.batch {
                    let _ = writeln!(
                        x,
                        "          <Btch><MsgId>{msg}</MsgId><PmtInfId>{pmt}</PmtInfId><NbOfTxs>{}</NbOfTxs><TtlAmt Ccy=\"EUR\">{}</TtlAmt><CdtDbtInd>{}</CdtDbtInd></Btch>",
                        e.txs.len(),
                        m(e.amount),
                        ind(e.credit)
                    );
                }
                for t in &e.txs {
                    x.push_str("          <TxDtls>\n");
                    let _ = writeln!(
                        x,
                        "            <Refs><AcctSvcrRef>{}-{}</AcctSvcrRef><EndToEndId>{}</EndToEndId></Refs>",
                        e.servicer_ref,
                        esc(&t.end_to_end),
                        esc(&t.end_to_end)
                    );
                    if v08 {
                        let _ = writeln!(
                            x,
                            "            <Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>{}</CdtDbtInd>",
                            m(t.amount),
                            ind(e.credit)
                        );
                    } else {
                        let _ = writeln!(
                            x,
                            "            <AmtDtls><TxAmt><Amt Ccy=\"EUR\">{}</Amt></TxAmt></AmtDtls>",
                            m(t.amount)
                        );
                    }
                    let (party, acct, agent) = if e.credit {
                        ("Dbtr", "DbtrAcct", "DbtrAgt")
                    } else {
                        ("Cdtr", "CdtrAcct", "CdtrAgt")
                    };
                    let name = if v08 {
                        format!("<Pty><Nm>{}</Nm></Pty>", esc(&t.name))
                    } else {
                        format!("<Nm>{}</Nm>", esc(&t.name))
                    };
                    let _ = writeln!(
                        x,
                        "            <RltdPties><{party}>{name}</{party}><{acct}><Id><IBAN>{}</IBAN></Id></{acct}></RltdPties>",
                        t.iban
                    );
                    if let Some(b) = &t.bic {
                        let _ = writeln!(
                            x,
                            "            <RltdAgts><{agent}><FinInstnId><{bic}>{b}</{bic}></FinInstnId></{agent}></RltdAgts>"
                        );
                    }
                    if t.unstructured.is_some() || t.structured.is_some() {
                        x.push_str("            <RmtInf>");
                        if let Some(u) = &t.unstructured {
                            let _ = write!(x, "<Ustrd>{}</Ustrd>", esc(u));
                        }
                        if let Some((issuer, reference)) = &t.structured {
                            let _ = write!(
                                x,
                                "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>{issuer}</Issr></Tp><Ref>{reference}</Ref></CdtrRefInf></Strd>"
                            );
                        }
                        x.push_str("</RmtInf>\n");
                    }
                    x.push_str("          </TxDtls>\n");
                }
                x.push_str("        </NtryDtls>\n");
            }
            if let Some(a) = &e.additional {
                let _ = writeln!(x, "        <AddtlNtryInf>{}</AddtlNtryInf>", esc(a));
            }
            x.push_str("      </Ntry>\n");
        }
        x.push_str("    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n");
        x
    }
}

/// Valid Belgian IBANs of the validators' samples and French ones, for counterparties.
pub const IBANS: &[&str] = &[
    "BE98068999999093",
    "BE56363123456788",
    "FR1420041010050500013M02606",
    "FR7630004000010001234567830",
    "BE71096123456769",
];

pub const NAMES: &[&str] = &[
    "Client Exemple SA",
    "Atelier Lefèvre & Fils SPRL",
    "Zoë Müller",
    "Bakkerij Peeters BV",
    "Client France SARL",
    "O'Brien <Design> Ltd",
];

/// A statement with `n` entries: client credits with structured or free-text references,
/// salary batches out, fees, pending and reversed entries.
pub fn generate_statement(version: Version, seed: u64, n: usize) -> GenStatement {
    let mut rng = Rng::new(seed);
    let mut entries = Vec::with_capacity(n);
    for k in 0..n {
        let kind = rng.below(10);
        let servicer_ref = format!("SR{seed}-{k:05}");
        let entry = if kind < 6 {
            // A client payment.
            let amount = 1 + rng.below(500_000) as i64;
            let reference = 1_000_000 + rng.below(8_000_000);
            let ogm = format!(
                "{reference:010}{:02}",
                match reference % 97 {
                    0 => 97,
                    r => r,
                }
            );
            let structured = rng.chance(50);
            GenEntry {
                amount,
                credit: true,
                booked: !rng.chance(5),
                reversal: false,
                servicer_ref,
                batch: None,
                txs: vec![GenTx {
                    amount,
                    end_to_end: if rng.chance(50) {
                        "NOTPROVIDED".into()
                    } else {
                        format!("PAY-{k}")
                    },
                    name: rng.pick(NAMES).to_string(),
                    iban: rng.pick(IBANS).to_string(),
                    bic: rng.chance(50).then(|| "GKCCBEBB".to_string()),
                    unstructured: (!structured).then(|| {
                        format!(
                            "Facture +++{}/{}/{}+++ merci",
                            &ogm[..3],
                            &ogm[3..7],
                            &ogm[7..]
                        )
                    }),
                    structured: structured.then(|| ("BBA".to_string(), ogm.clone())),
                }],
                additional: None,
            }
        } else if kind < 8 {
            // A salary batch out.
            let count = 2 + rng.below(4) as usize;
            let txs: Vec<GenTx> = (0..count)
                .map(|t| GenTx {
                    amount: 100_000 + rng.below(300_000) as i64,
                    end_to_end: format!("SAL-{k}-{t}"),
                    name: rng.pick(NAMES).to_string(),
                    iban: rng.pick(IBANS).to_string(),
                    bic: None,
                    unstructured: Some(format!("Salaire {k}/{t}")),
                    structured: None,
                })
                .collect();
            GenEntry {
                amount: txs.iter().map(|t| t.amount).sum(),
                credit: false,
                booked: true,
                reversal: false,
                servicer_ref,
                batch: Some((format!("COOP-{k}"), format!("SAL-{k}"))),
                txs,
                additional: None,
            }
        } else if kind < 9 {
            // A bank fee.
            GenEntry {
                amount: 1 + rng.below(5_000) as i64,
                credit: false,
                booked: true,
                reversal: false,
                servicer_ref,
                batch: None,
                txs: vec![],
                additional: Some("Frais de gestion".into()),
            }
        } else {
            // A returned payment: a debit reversing an earlier credit.
            GenEntry {
                amount: 1 + rng.below(100_000) as i64,
                credit: false,
                booked: true,
                reversal: true,
                servicer_ref,
                batch: None,
                txs: vec![],
                additional: Some("Retour".into()),
            }
        };
        entries.push(entry);
    }
    GenStatement {
        version,
        id: format!("STMT-{seed}"),
        iban: "BE21001234567803".into(),
        bic: "GEBABEBB".into(),
        opening: 5_000_000 + rng.below(1_000_000) as i64,
        date: "2026-10-30".into(),
        entries,
    }
}

/// The interpreter given by `ENSEMBLE_VALIDATORS_PYTHON`, or `None` (the test then says it
/// skips).
pub fn validators_python() -> Option<PathBuf> {
    std::env::var_os("ENSEMBLE_VALIDATORS_PYTHON").map(PathBuf::from)
}
