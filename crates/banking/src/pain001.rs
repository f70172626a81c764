//! SEPA credit transfer initiation: ISO 20022 pain.001.001.09 under the EPC SCT rules.
//!
//! A [`Pain001`] is built from values that are already valid — [`SepaId`], [`Name`],
//! [`SepaAmount`], [`Iban`], [`Bic`] — and checks what only the whole message can check
//! (at least one batch and one transfer, unique payment-information and end-to-end ids);
//! writing it then cannot fail. `NbOfTxs` and `CtrlSum` are computed, never given.
//!
//! The EPC SEPA Credit Transfer customer-to-PSP implementation guidelines (EPC132-08) add to
//! the ISO schema: EUR only, amounts from 0.01 to 999 999 999.99 with at most two decimals,
//! service level `SEPA`, charge bearer `SLEV`, creditor name and IBAN, the SEPA Latin
//! character set (see [`crate::text`]), names of at most 70 characters, identifiers of at
//! most 35 and unstructured remittance information of at most 140. Each rule is carried by a
//! type here.

use std::collections::HashSet;
use std::fmt;

use ensemble_domain::coop::{CooperativeEntity, LegalId};
use ensemble_domain::identifiers::{Bic, CountryCode, Iban, PostalAddress};
use ensemble_domain::{Money, PaymentReference};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::Offset;

use crate::text::{Name, RemittanceText, SepaId, SepaText, SepaTextError};
use crate::xml::XmlOut;

/// The namespace of the message this module writes.
pub const PAIN_001_001_09: &str = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

/// Why a credit transfer message cannot be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Pain001Error {
    #[error(transparent)]
    Text(#[from] SepaTextError),
    #[error(
        "{field}: {amount} EUR is outside the SEPA credit transfer range 0.01 to 999999999.99 EUR"
    )]
    Amount { field: String, amount: Money },
    #[error(
        "{field}: \"{value}\" is not a purpose code (1 to 4 capital letters or digits, like SALA)"
    )]
    PurposeCode { field: String, value: String },
    #[error("{field}: at most {max} address lines in a SEPA hybrid address, found {found}")]
    AddressLines {
        field: String,
        max: usize,
        found: usize,
    },
    #[error("a pain.001 message needs at least one payment batch")]
    NoBatch,
    #[error("batches[{batch}] ({id}): a payment batch needs at least one transfer")]
    EmptyBatch { batch: usize, id: String },
    #[error("batches[{batch}].id: payment information id {id} is already used by batches[{first}]")]
    DuplicateBatchId {
        batch: usize,
        first: usize,
        id: String,
    },
    #[error(
        "batches[{batch}].transfers[{transfer}].end_to_end_id: {id} is already used in this message: end-to-end ids must be unique to trace returns and statement lines"
    )]
    DuplicateEndToEndId {
        batch: usize,
        transfer: usize,
        id: String,
    },
    #[error("the control sum of the message overflows")]
    ControlSumOverflow,
}

/// An amount a SEPA credit transfer can carry: EUR, 0.01 to 999 999 999.99. Two decimals at
/// most is guaranteed by [`Money`] (integer cents).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SepaAmount(Money);

impl SepaAmount {
    pub const MIN: Money = Money::from_cents(1);
    pub const MAX: Money = Money::from_cents(99_999_999_999);

    pub fn new(field: impl Into<String>, amount: Money) -> Result<SepaAmount, Pain001Error> {
        if amount < SepaAmount::MIN || amount > SepaAmount::MAX {
            return Err(Pain001Error::Amount {
                field: field.into(),
                amount,
            });
        }
        Ok(SepaAmount(amount))
    }

    pub fn money(self) -> Money {
        self.0
    }
}

/// An ISO external purpose or category-purpose code (1 to 4 capital letters or digits):
/// `SALA` for salaries, `SUPP` for suppliers, `OTHR`…
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PurposeCode(String);

impl PurposeCode {
    /// Salary payment (ISO 20022 ExternalPurpose1Code and ExternalCategoryPurpose1Code `SALA`).
    pub fn salary() -> PurposeCode {
        PurposeCode("SALA".to_string())
    }

    /// Supplier payment (`SUPP`), for expense reimbursements paid as such.
    pub fn supplier() -> PurposeCode {
        PurposeCode("SUPP".to_string())
    }

    pub fn new(field: impl Into<String>, code: &str) -> Result<PurposeCode, Pain001Error> {
        let code = code.trim();
        if code.is_empty()
            || code.len() > 4
            || !code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(Pain001Error::PurposeCode {
                field: field.into(),
                value: code.to_string(),
            });
        }
        Ok(PurposeCode(code.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The date and time a message was created, with the offset it is written in: an input,
/// never read from a clock here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreationDateTime {
    pub at: Timestamp,
    pub offset: Offset,
}

impl fmt::Display for CreationDateTime {
    /// RFC 3339 with the offset, whole seconds: `2026-10-28T09:30:00+01:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = Timestamp::from_second(self.at.as_second()).unwrap_or(self.at);
        write!(f, "{}", whole.display_with_offset(self.offset))
    }
}

/// A postal address as SEPA carries it since November 2025: the "hybrid" form, town and
/// country structured, at most two free address lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SepaAddress {
    pub lines: Vec<SepaText<70>>,
    pub postcode: Option<SepaText<16>>,
    pub town: SepaText<35>,
    pub country: CountryCode,
}

impl SepaAddress {
    /// The SEPA form of a domain address, transliterated; `field` names it in errors. A
    /// third address line is joined to the second with ", " (SEPA allows two).
    pub fn from_postal(field: &str, address: &PostalAddress) -> Result<SepaAddress, Pain001Error> {
        let given = address.lines();
        let mut lines: Vec<String> = given.iter().take(1).cloned().collect();
        if given.len() > 1 {
            lines.push(given[1..].join(", "));
        }
        Ok(SepaAddress {
            lines: lines
                .iter()
                .enumerate()
                .map(|(i, l)| SepaText::new(format!("{field}.lines[{}]", i + 1), l))
                .collect::<Result<_, _>>()?,
            postcode: address
                .postcode()
                .map(|p| SepaText::new(format!("{field}.postcode"), p))
                .transpose()?,
            town: SepaText::new(format!("{field}.city"), address.city())?,
            country: address.country(),
        })
    }

    /// An address from its parts; at most two lines.
    pub fn new(
        field: &str,
        lines: &[&str],
        postcode: Option<&str>,
        town: &str,
        country: CountryCode,
    ) -> Result<SepaAddress, Pain001Error> {
        if lines.len() > 2 {
            return Err(Pain001Error::AddressLines {
                field: field.to_string(),
                max: 2,
                found: lines.len(),
            });
        }
        Ok(SepaAddress {
            lines: lines
                .iter()
                .enumerate()
                .map(|(i, l)| SepaText::new(format!("{field}.lines[{}]", i + 1), l))
                .collect::<Result<_, _>>()?,
            postcode: postcode
                .map(|p| SepaText::new(format!("{field}.postcode"), p))
                .transpose()?,
            town: SepaText::new(format!("{field}.city"), town)?,
            country,
        })
    }
}

/// The party that sends the message (`InitgPty`): the cooperative entity, with its
/// registration number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitiatingParty {
    pub name: Name,
    pub organisation_id: Option<OrganisationId>,
}

/// An organisation identifier and who issued it (`OrgId/Othr`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationId {
    pub id: SepaId,
    pub issuer: Option<SepaText<35>>,
}

impl InitiatingParty {
    /// The entity's name and legal id: the enterprise number issued by the KBO-BCE in Belgium,
    /// the SIRET issued by INSEE in France.
    pub fn from_entity(entity: &CooperativeEntity) -> Result<InitiatingParty, Pain001Error> {
        let (id, issuer) = match &entity.legal_id {
            LegalId::BeEnterprise(n) => (n.as_str(), "KBO-BCE"),
            LegalId::Siret(s) => (s.as_str(), "INSEE"),
        };
        Ok(InitiatingParty {
            name: Name::new("entity name", &entity.name)?,
            organisation_id: Some(OrganisationId {
                id: SepaId::new("entity legal id", id)?,
                issuer: Some(SepaText::new("entity legal id issuer", issuer)?),
            }),
        })
    }
}

/// The account the money leaves: the cooperative entity's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Debtor {
    pub name: Name,
    pub iban: Iban,
    /// The debtor's bank. Without it the file says `NOTPROVIDED` (IBAN-only, allowed in SEPA).
    pub bic: Option<Bic>,
    pub address: Option<SepaAddress>,
}

impl Debtor {
    pub fn from_entity(entity: &CooperativeEntity) -> Result<Debtor, Pain001Error> {
        Ok(Debtor {
            name: Name::new("entity name", &entity.name)?,
            iban: entity.iban,
            bic: entity.bic.clone(),
            address: Some(SepaAddress::from_postal("entity address", &entity.address)?),
        })
    }
}

/// Who receives a transfer: a member (salary, expense reimbursement) or a supplier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Creditor {
    pub name: Name,
    pub iban: Iban,
    pub bic: Option<Bic>,
    pub address: Option<SepaAddress>,
}

/// What the creditor reads on their statement: free text, or a creditor reference (a Belgian
/// structured communication, issuer `BBA`, or an ISO 11649 RF reference, issuer `ISO`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Remittance {
    Unstructured(RemittanceText),
    Structured(PaymentReference),
}

/// One credit transfer (`CdtTrfTxInf`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditTransfer {
    /// Our own id for the instruction (`InstrId`), not passed to the creditor.
    pub instruction_id: Option<SepaId>,
    /// Travels to the creditor and back in statements and returns (`EndToEndId`).
    pub end_to_end_id: SepaId,
    pub amount: SepaAmount,
    pub creditor: Creditor,
    /// `SALA` for a salary.
    pub purpose: Option<PurposeCode>,
    pub remittance: Option<Remittance>,
}

/// Transfers from one account on one execution date (`PmtInf`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentBatch {
    pub id: SepaId,
    pub requested_execution_date: Date,
    /// Whether the bank books the batch as one debit (`true`: members' salaries do not
    /// appear one by one on the cooperative's statement) or one debit per transfer.
    pub batch_booking: bool,
    /// `SALA` asks the bank to treat the whole batch as salaries.
    pub category_purpose: Option<PurposeCode>,
    pub debtor: Debtor,
    pub transfers: Vec<CreditTransfer>,
}

impl PaymentBatch {
    pub fn control_sum(&self) -> Money {
        self.transfers.iter().map(|t| t.amount.money()).sum()
    }
}

/// A complete, checked pain.001.001.09 message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pain001 {
    message_id: SepaId,
    created_at: CreationDateTime,
    initiating_party: InitiatingParty,
    batches: Vec<PaymentBatch>,
    control_sum: Money,
    transactions: usize,
}

impl Pain001 {
    /// Checks the message as a whole: at least one batch, no empty batch, unique batch ids and
    /// unique end-to-end ids across the message, a control sum that fits.
    pub fn new(
        message_id: SepaId,
        created_at: CreationDateTime,
        initiating_party: InitiatingParty,
        batches: Vec<PaymentBatch>,
    ) -> Result<Pain001, Pain001Error> {
        if batches.is_empty() {
            return Err(Pain001Error::NoBatch);
        }
        let mut batch_ids: Vec<&str> = Vec::with_capacity(batches.len());
        let mut end_to_end: HashSet<&str> = HashSet::new();
        let mut control_sum: i64 = 0;
        let mut transactions = 0;
        for (b, batch) in batches.iter().enumerate() {
            if batch.transfers.is_empty() {
                return Err(Pain001Error::EmptyBatch {
                    batch: b + 1,
                    id: batch.id.to_string(),
                });
            }
            if let Some(first) = batch_ids.iter().position(|id| *id == batch.id.as_str()) {
                return Err(Pain001Error::DuplicateBatchId {
                    batch: b + 1,
                    first: first + 1,
                    id: batch.id.to_string(),
                });
            }
            batch_ids.push(batch.id.as_str());
            for (t, transfer) in batch.transfers.iter().enumerate() {
                if !end_to_end.insert(transfer.end_to_end_id.as_str()) {
                    return Err(Pain001Error::DuplicateEndToEndId {
                        batch: b + 1,
                        transfer: t + 1,
                        id: transfer.end_to_end_id.to_string(),
                    });
                }
                control_sum = control_sum
                    .checked_add(transfer.amount.money().cents())
                    .ok_or(Pain001Error::ControlSumOverflow)?;
                transactions += 1;
            }
        }
        Ok(Pain001 {
            message_id,
            created_at,
            initiating_party,
            batches,
            control_sum: Money::from_cents(control_sum),
            transactions,
        })
    }

    pub fn message_id(&self) -> &SepaId {
        &self.message_id
    }

    pub fn batches(&self) -> &[PaymentBatch] {
        &self.batches
    }

    /// `GrpHdr/NbOfTxs`.
    pub fn number_of_transactions(&self) -> usize {
        self.transactions
    }

    /// `GrpHdr/CtrlSum`.
    pub fn control_sum(&self) -> Money {
        self.control_sum
    }

    /// The XML document, UTF-8.
    pub fn to_xml(&self) -> Vec<u8> {
        let mut x = XmlOut::new(1024 + 900 * self.transactions);
        x.start_with("Document", &[("xmlns", PAIN_001_001_09)]);
        x.start("CstmrCdtTrfInitn");
        x.start("GrpHdr");
        x.leaf("MsgId", self.message_id.as_str());
        x.leaf("CreDtTm", &self.created_at.to_string());
        x.leaf("NbOfTxs", &self.transactions.to_string());
        x.leaf("CtrlSum", &self.control_sum.to_string());
        x.start("InitgPty");
        x.leaf("Nm", self.initiating_party.name.as_str());
        if let Some(org) = &self.initiating_party.organisation_id {
            x.start("Id");
            x.start("OrgId");
            x.start("Othr");
            x.leaf("Id", org.id.as_str());
            if let Some(issuer) = &org.issuer {
                x.leaf("Issr", issuer.as_str());
            }
            x.end("Othr");
            x.end("OrgId");
            x.end("Id");
        }
        x.end("InitgPty");
        x.end("GrpHdr");
        for batch in &self.batches {
            write_batch(&mut x, batch);
        }
        x.end("CstmrCdtTrfInitn");
        x.end("Document");
        x.finish()
    }
}

fn write_batch(x: &mut XmlOut, batch: &PaymentBatch) {
    x.start("PmtInf");
    x.leaf("PmtInfId", batch.id.as_str());
    x.leaf("PmtMtd", "TRF");
    x.leaf(
        "BtchBookg",
        if batch.batch_booking { "true" } else { "false" },
    );
    x.leaf("NbOfTxs", &batch.transfers.len().to_string());
    x.leaf("CtrlSum", &batch.control_sum().to_string());
    x.start("PmtTpInf");
    x.start("SvcLvl");
    x.leaf("Cd", "SEPA");
    x.end("SvcLvl");
    if let Some(code) = &batch.category_purpose {
        x.start("CtgyPurp");
        x.leaf("Cd", code.as_str());
        x.end("CtgyPurp");
    }
    x.end("PmtTpInf");
    x.start("ReqdExctnDt");
    x.leaf("Dt", &batch.requested_execution_date.to_string());
    x.end("ReqdExctnDt");
    x.start("Dbtr");
    x.leaf("Nm", batch.debtor.name.as_str());
    if let Some(address) = &batch.debtor.address {
        write_address(x, address);
    }
    x.end("Dbtr");
    write_account(x, "DbtrAcct", &batch.debtor.iban);
    x.start("DbtrAgt");
    x.start("FinInstnId");
    match &batch.debtor.bic {
        Some(bic) => x.leaf("BICFI", bic.as_str()),
        None => {
            // EPC132-08: "NOTPROVIDED" when the debtor's BIC is not given (IBAN only).
            x.start("Othr");
            x.leaf("Id", "NOTPROVIDED");
            x.end("Othr");
        }
    }
    x.end("FinInstnId");
    x.end("DbtrAgt");
    x.leaf("ChrgBr", "SLEV");
    for transfer in &batch.transfers {
        write_transfer(x, transfer);
    }
    x.end("PmtInf");
}

fn write_transfer(x: &mut XmlOut, t: &CreditTransfer) {
    x.start("CdtTrfTxInf");
    x.start("PmtId");
    if let Some(id) = &t.instruction_id {
        x.leaf("InstrId", id.as_str());
    }
    x.leaf("EndToEndId", t.end_to_end_id.as_str());
    x.end("PmtId");
    x.start("Amt");
    x.leaf_with("InstdAmt", ("Ccy", "EUR"), &t.amount.money().to_string());
    x.end("Amt");
    if let Some(bic) = &t.creditor.bic {
        x.start("CdtrAgt");
        x.start("FinInstnId");
        x.leaf("BICFI", bic.as_str());
        x.end("FinInstnId");
        x.end("CdtrAgt");
    }
    x.start("Cdtr");
    x.leaf("Nm", t.creditor.name.as_str());
    if let Some(address) = &t.creditor.address {
        write_address(x, address);
    }
    x.end("Cdtr");
    write_account(x, "CdtrAcct", &t.creditor.iban);
    if let Some(purpose) = &t.purpose {
        x.start("Purp");
        x.leaf("Cd", purpose.as_str());
        x.end("Purp");
    }
    match &t.remittance {
        None => {}
        Some(Remittance::Unstructured(text)) => {
            x.start("RmtInf");
            x.leaf("Ustrd", text.as_str());
            x.end("RmtInf");
        }
        Some(Remittance::Structured(reference)) => {
            let issuer = match reference {
                PaymentReference::Structured(_) => "BBA",
                PaymentReference::Rf(_) => "ISO",
            };
            x.start("RmtInf");
            x.start("Strd");
            x.start("CdtrRefInf");
            x.start("Tp");
            x.start("CdOrPrtry");
            x.leaf("Cd", "SCOR");
            x.end("CdOrPrtry");
            x.leaf("Issr", issuer);
            x.end("Tp");
            x.leaf("Ref", reference.as_str());
            x.end("CdtrRefInf");
            x.end("Strd");
            x.end("RmtInf");
        }
    }
    x.end("CdtTrfTxInf");
}

fn write_account(x: &mut XmlOut, element: &str, iban: &Iban) {
    x.start(element);
    x.start("Id");
    x.leaf("IBAN", iban.as_str());
    x.end("Id");
    x.end(element);
}

/// `PostalAddress24` in the order of the schema: PstCd, TwnNm, Ctry, AdrLine.
fn write_address(x: &mut XmlOut, a: &SepaAddress) {
    x.start("PstlAdr");
    if let Some(postcode) = &a.postcode {
        x.leaf("PstCd", postcode.as_str());
    }
    x.leaf("TwnNm", a.town.as_str());
    x.leaf("Ctry", a.country.as_str());
    for line in &a.lines {
        x.leaf("AdrLine", line.as_str());
    }
    x.end("PstlAdr");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iban(s: &str) -> Iban {
        Iban::parse(s).unwrap()
    }

    fn transfer(e2e: &str, cents: i64, name: &str) -> CreditTransfer {
        CreditTransfer {
            instruction_id: None,
            end_to_end_id: SepaId::new("e2e", e2e).unwrap(),
            amount: SepaAmount::new("amount", Money::from_cents(cents)).unwrap(),
            creditor: Creditor {
                name: Name::new("name", name).unwrap(),
                iban: iban("BE56363123456788"),
                bic: None,
                address: None,
            },
            purpose: Some(PurposeCode::salary()),
            remittance: Some(Remittance::Unstructured(
                RemittanceText::new("remittance", "Salaire octobre 2026").unwrap(),
            )),
        }
    }

    fn batch(id: &str, transfers: Vec<CreditTransfer>) -> PaymentBatch {
        PaymentBatch {
            id: SepaId::new("id", id).unwrap(),
            requested_execution_date: jiff::civil::date(2026, 10, 30),
            batch_booking: true,
            category_purpose: Some(PurposeCode::salary()),
            debtor: Debtor {
                name: Name::new("debtor", "Coopérative Exemple SC").unwrap(),
                iban: iban("BE21001234567803"),
                bic: None,
                address: None,
            },
            transfers,
        }
    }

    fn created() -> CreationDateTime {
        CreationDateTime {
            at: "2026-10-28T08:30:00.123Z".parse().unwrap(),
            offset: jiff::tz::offset(1),
        }
    }

    fn party() -> InitiatingParty {
        InitiatingParty {
            name: Name::new("name", "Coopérative Exemple SC").unwrap(),
            organisation_id: None,
        }
    }

    #[test]
    fn amounts_outside_the_sepa_range_are_refused() {
        assert!(SepaAmount::new("a", Money::ZERO).is_err());
        assert!(SepaAmount::new("a", Money::from_cents(-5)).is_err());
        assert!(SepaAmount::new("a", Money::from_cents(1)).is_ok());
        assert!(SepaAmount::new("a", Money::from_cents(99_999_999_999)).is_ok());
        let e =
            SepaAmount::new("transfers[1].amount", Money::from_cents(100_000_000_000)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "transfers[1].amount: 1000000000.00 EUR is outside the SEPA credit transfer range 0.01 to 999999999.99 EUR"
        );
    }

    #[test]
    fn sums_counts_and_the_creation_time_are_written() {
        let msg = Pain001::new(
            SepaId::new("msg", "COOP-1").unwrap(),
            created(),
            party(),
            vec![batch(
                "SAL-1",
                vec![
                    transfer("E1", 245_017, "Jeanne Dupont"),
                    transfer("E2", 142_000, "Pierre Martin"),
                ],
            )],
        )
        .unwrap();
        assert_eq!(msg.control_sum(), Money::from_cents(387_017));
        let xml = String::from_utf8(msg.to_xml()).unwrap();
        assert!(
            xml.contains("<CreDtTm>2026-10-28T09:30:00+01:00</CreDtTm>"),
            "{xml}"
        );
        assert!(xml.contains("<NbOfTxs>2</NbOfTxs>"));
        assert!(xml.contains("<CtrlSum>3870.17</CtrlSum>"));
        assert!(xml.contains("<Nm>Cooperative Exemple SC</Nm>"));
        assert!(xml.contains("<Id>NOTPROVIDED</Id>"));
        assert!(xml.contains(r#"<InstdAmt Ccy="EUR">2450.17</InstdAmt>"#));
    }

    #[test]
    fn whole_message_rules() {
        let make =
            |batches| Pain001::new(SepaId::new("m", "M").unwrap(), created(), party(), batches);
        assert_eq!(make(vec![]).unwrap_err(), Pain001Error::NoBatch);
        assert!(matches!(
            make(vec![batch("B", vec![])]).unwrap_err(),
            Pain001Error::EmptyBatch { batch: 1, .. }
        ));
        let e = make(vec![
            batch("B1", vec![transfer("E1", 100, "A")]),
            batch(
                "B2",
                vec![transfer("E2", 100, "B"), transfer("E1", 100, "C")],
            ),
        ])
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "batches[2].transfers[2].end_to_end_id: E1 is already used in this message: end-to-end ids must be unique to trace returns and statement lines"
        );
        assert!(matches!(
            make(vec![
                batch("B1", vec![transfer("E1", 100, "A")]),
                batch("B1", vec![transfer("E2", 100, "B")]),
            ])
            .unwrap_err(),
            Pain001Error::DuplicateBatchId {
                batch: 2,
                first: 1,
                ..
            }
        ));
    }

    #[test]
    fn purpose_codes() {
        assert_eq!(
            PurposeCode::new("p", "SALA").unwrap(),
            PurposeCode::salary()
        );
        assert!(PurposeCode::new("p", "sala").is_err());
        assert!(PurposeCode::new("p", "SALARY").is_err());
    }
}
