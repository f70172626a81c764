//! Expense claims: a member spends on behalf of an activity and claims it back. Lines carry the
//! amount paid including VAT and the VAT in it; receipts are files named by their content hash.
//!
//! A claim is a draft (saved on every change, unnumbered) until its member submits it; it then
//! takes its number (`EXP-BE-2026-000001`), an advisor approves or rejects it, and an approved
//! claim is reimbursed from the activity's budget. A rejected claim can be edited again, which
//! makes it a draft that keeps its number.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::activity::codes;
use crate::{ActivityId, DocumentNumber, EntityId, ExpenseClaimId, Invalid, MemberId, Money, Rate};

/// The highest VAT rate in the European Union (Hungary, 27 %): a higher one is a typing
/// mistake ("210" for 21).
pub const MAX_VAT_RATE: Rate = Rate::from_ppm(270_000);

/// The largest receipt file accepted: 10 MiB.
pub const MAX_RECEIPT_BYTES: usize = 10 * 1024 * 1024;

/// Where a claim stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExpenseStatus {
    /// Being written by its member; saved on every change.
    Draft,
    /// Waiting in the advisors' queue.
    Submitted,
    /// Approved by an advisor, waiting for reimbursement.
    Approved,
    /// Paid back from the activity's budget.
    Reimbursed,
    /// Refused by an advisor, with a reason; its member may edit it again.
    Rejected,
}

codes!(ExpenseStatus, "status", "draft" => ExpenseStatus::Draft,
    "submitted" => ExpenseStatus::Submitted, "approved" => ExpenseStatus::Approved,
    "reimbursed" => ExpenseStatus::Reimbursed, "rejected" => ExpenseStatus::Rejected);

impl ExpenseStatus {
    /// Whether its member may still change the claim (a rejected claim goes back to draft).
    pub const fn is_editable(self) -> bool {
        matches!(self, ExpenseStatus::Draft | ExpenseStatus::Rejected)
    }
}

/// What was bought.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExpenseCategory {
    /// Train, plane, taxi, public transport, parking, tolls.
    Travel,
    Accommodation,
    Meals,
    /// Tools, instruments, computers: things that last.
    Equipment,
    /// Consumables: paper, ink, materials.
    Supplies,
    /// Services bought from others: printing, hosting, subscriptions.
    Services,
    Other,
}

codes!(ExpenseCategory, "category", "travel" => ExpenseCategory::Travel,
    "accommodation" => ExpenseCategory::Accommodation, "meals" => ExpenseCategory::Meals,
    "equipment" => ExpenseCategory::Equipment, "supplies" => ExpenseCategory::Supplies,
    "services" => ExpenseCategory::Services, "other" => ExpenseCategory::Other);

/// The SHA-256 of a receipt file's bytes, 64 lowercase hexadecimal digits: the file's name in
/// the data folder, so the same file is stored once however often it is attached.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReceiptHash(String);

/// Why a text is not a receipt hash.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a receipt hash: expected 64 hexadecimal digits (a SHA-256)")]
pub struct ReceiptHashError(pub String);

impl ReceiptHash {
    /// The hash of a file from its 32 digest bytes.
    pub fn from_digest(digest: &[u8; 32]) -> ReceiptHash {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(64);
        for b in digest {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        ReceiptHash(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folder the file is stored in: the hash's first two digits.
    pub fn shard(&self) -> &str {
        &self.0[..2]
    }
}

impl FromStr for ReceiptHash {
    type Err = ReceiptHashError;
    fn from_str(s: &str) -> Result<ReceiptHash, ReceiptHashError> {
        let t = s.trim();
        if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(ReceiptHash(t.to_ascii_lowercase()))
        } else {
            Err(ReceiptHashError(s.to_string()))
        }
    }
}

impl fmt::Display for ReceiptHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ReceiptHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ReceiptHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ReceiptHash, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The kinds of receipt files accepted: what phones and scanners produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReceiptMediaType {
    Pdf,
    Jpeg,
    Png,
    /// HEIC/HEIF, the photos of iPhones.
    Heic,
}

impl ReceiptMediaType {
    pub const fn mime(self) -> &'static str {
        match self {
            ReceiptMediaType::Pdf => "application/pdf",
            ReceiptMediaType::Jpeg => "image/jpeg",
            ReceiptMediaType::Png => "image/png",
            ReceiptMediaType::Heic => "image/heic",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            ReceiptMediaType::Pdf => "a PDF document",
            ReceiptMediaType::Jpeg => "a JPEG image",
            ReceiptMediaType::Png => "a PNG image",
            ReceiptMediaType::Heic => "a HEIC image",
        }
    }

    /// The media type a client declared, when it is one of ours (`image/jpg` and
    /// `image/heif` included); `None` for anything else (`application/octet-stream`).
    pub fn from_mime(mime: &str) -> Option<ReceiptMediaType> {
        let essence = mime.split(';').next().unwrap_or("").trim();
        match essence.to_ascii_lowercase().as_str() {
            "application/pdf" | "application/x-pdf" => Some(ReceiptMediaType::Pdf),
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(ReceiptMediaType::Jpeg),
            "image/png" => Some(ReceiptMediaType::Png),
            "image/heic" | "image/heif" | "image/heic-sequence" | "image/heif-sequence" => {
                Some(ReceiptMediaType::Heic)
            }
            _ => None,
        }
    }

    /// What the file's first bytes say it is.
    pub fn sniff(bytes: &[u8]) -> Option<ReceiptMediaType> {
        if bytes.starts_with(b"%PDF-") {
            Some(ReceiptMediaType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ReceiptMediaType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(ReceiptMediaType::Png)
        } else if bytes.len() >= 12
            && &bytes[4..8] == b"ftyp"
            && matches!(
                &bytes[8..12],
                b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1"
            )
        {
            Some(ReceiptMediaType::Heic)
        } else {
            None
        }
    }

    /// Checks a receipt file: not empty, at most [`MAX_RECEIPT_BYTES`], a PDF, JPEG, PNG or
    /// HEIC file by its content, and not declared as another of these kinds.
    pub fn check(bytes: &[u8], declared: Option<&str>) -> Result<ReceiptMediaType, Invalid> {
        if bytes.is_empty() {
            return Err(Invalid::new("file", "the file is empty"));
        }
        if bytes.len() > MAX_RECEIPT_BYTES {
            return Err(Invalid::new(
                "file",
                format!(
                    "the file has {} bytes: a receipt is at most 10 MB ({MAX_RECEIPT_BYTES} bytes)",
                    bytes.len()
                ),
            ));
        }
        let Some(kind) = ReceiptMediaType::sniff(bytes) else {
            return Err(Invalid::new(
                "file",
                "a receipt is a PDF, JPEG, PNG or HEIC file, and this file is none of them",
            ));
        };
        if let Some(said) = declared.and_then(ReceiptMediaType::from_mime)
            && said != kind
        {
            return Err(Invalid::new(
                "file",
                format!(
                    "the file was sent as {} but its content is {}",
                    said.mime(),
                    kind.label()
                ),
            ));
        }
        Ok(kind)
    }
}

impl fmt::Display for ReceiptMediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mime())
    }
}

impl FromStr for ReceiptMediaType {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<ReceiptMediaType, Invalid> {
        ReceiptMediaType::from_mime(s).ok_or_else(|| {
            Invalid::new(
                "media_type",
                format!("\"{s}\" is not a receipt type: application/pdf, image/jpeg, image/png or image/heic"),
            )
        })
    }
}

/// The VAT in an amount that includes it: `amount × rate / (1 + rate)`, rounded half up to
/// the cent. 121.00 at 21 % holds 21.00; 10.00 at 21 % holds 1.74 (1.7355…).
pub fn vat_included(amount: Money, rate: Rate) -> Money {
    amount.prorate(rate.ppm(), 1_000_000 + rate.ppm())
}

/// One expense: what was paid, when, with the VAT it includes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpenseLine {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    pub date: Date,
    pub description: String,
    pub category: ExpenseCategory,
    /// What was paid, VAT included.
    pub amount: Money,
    pub vat_rate: Rate,
    /// The VAT in `amount`: computed from the rate, or as the receipt prints it.
    pub vat: Money,
    /// `amount − vat`.
    pub net: Money,
    /// The receipt file, by its content hash.
    pub receipt: Option<ReceiptHash>,
    /// Why there is no receipt (a parking meter, a lost ticket), when there is none.
    pub no_receipt_reason: Option<String>,
}

impl ExpenseLine {
    /// A line of `amount` paid on `date`, VAT included at `vat_rate`. The VAT is computed
    /// (half up to the cent) unless `vat` gives the one printed on the receipt, which must lie
    /// between zero and the amount (and be zero at a zero rate).
    pub fn new(
        date: Date,
        description: &str,
        category: ExpenseCategory,
        amount: Money,
        vat_rate: Rate,
        vat: Option<Money>,
    ) -> Result<ExpenseLine, Invalid> {
        let description = description.trim();
        if description.is_empty() {
            return Err(Invalid::new(
                "lines.description",
                "say what was bought (a line needs a description)",
            ));
        }
        if description.chars().count() > 300 {
            return Err(Invalid::new(
                "lines.description",
                "a description is at most 300 characters",
            ));
        }
        if !amount.is_positive() {
            return Err(Invalid::new(
                "lines.amount",
                format!("{amount} is not an expense: the amount paid is above zero"),
            ));
        }
        if vat_rate.ppm() < 0 || vat_rate > MAX_VAT_RATE {
            return Err(Invalid::new(
                "lines.vat_rate",
                format!(
                    "{vat_rate} % is not a VAT rate: it lies between 0 % and {MAX_VAT_RATE} % (the highest in the EU)"
                ),
            ));
        }
        let vat = match vat {
            None => vat_included(amount, vat_rate),
            Some(v) if v.is_negative() || v >= amount => {
                return Err(Invalid::new(
                    "lines.vat",
                    format!(
                        "{v} of VAT in {amount}: the VAT is at least zero and below the amount"
                    ),
                ));
            }
            Some(v) if vat_rate.is_zero() && v != Money::ZERO => {
                return Err(Invalid::new(
                    "lines.vat",
                    format!("{v} of VAT at a rate of 0 %: give the rate printed on the receipt"),
                ));
            }
            Some(v) => v,
        };
        Ok(ExpenseLine {
            date,
            description: description.to_string(),
            category,
            amount,
            vat_rate,
            vat,
            net: amount - vat,
            receipt: None,
            no_receipt_reason: None,
        })
    }

    /// The line with its receipt file.
    pub fn with_receipt(mut self, hash: ReceiptHash) -> ExpenseLine {
        self.receipt = Some(hash);
        self
    }

    /// The line with the reason it has no receipt (ignored when empty).
    pub fn with_reason(mut self, reason: Option<&str>) -> Result<ExpenseLine, Invalid> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if let Some(r) = reason
            && r.chars().count() > 300
        {
            return Err(Invalid::new(
                "lines.no_receipt_reason",
                "a reason is at most 300 characters",
            ));
        }
        self.no_receipt_reason = reason.map(str::to_string);
        Ok(self)
    }
}

/// The VAT of a claim at one rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpenseVatSubtotal {
    pub rate: Rate,
    pub net: Money,
    pub vat: Money,
}

/// What a claim comes to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpenseTotals {
    /// What is reimbursed: the amounts paid, VAT included.
    pub amount: Money,
    pub vat: Money,
    pub net: Money,
    /// The VAT by rate, lowest rate first (what the cooperative may deduct).
    pub by_rate: Vec<ExpenseVatSubtotal>,
}

/// The totals of `lines`: sums of the lines, so they always add up to the cent.
pub fn expense_totals(lines: &[ExpenseLine]) -> ExpenseTotals {
    let mut by_rate: Vec<ExpenseVatSubtotal> = Vec::new();
    for l in lines {
        match by_rate.iter_mut().find(|s| s.rate == l.vat_rate) {
            Some(s) => {
                s.net += l.net;
                s.vat += l.vat;
            }
            None => by_rate.push(ExpenseVatSubtotal {
                rate: l.vat_rate,
                net: l.net,
                vat: l.vat,
            }),
        }
    }
    by_rate.sort_by_key(|s| s.rate);
    ExpenseTotals {
        amount: lines.iter().map(|l| l.amount).sum(),
        vat: lines.iter().map(|l| l.vat).sum(),
        net: lines.iter().map(|l| l.net).sum(),
        by_rate,
    }
}

/// A member's expense claim on an activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpenseClaim {
    pub id: ExpenseClaimId,
    /// Given on the first submission (`EXP-BE-2026-000001`); a draft has none.
    pub number: Option<DocumentNumber>,
    pub entity_id: EntityId,
    pub activity_id: ActivityId,
    /// Whose claim it is: the one reimbursed, and the only member who sees it.
    pub member_id: MemberId,
    /// May be empty in a draft.
    pub title: String,
    pub lines: Vec<ExpenseLine>,
    pub totals: ExpenseTotals,
    pub status: ExpenseStatus,
    /// Why an advisor rejected it, kept while the member corrects it.
    pub rejection: Option<String>,
}

/// The most lines one claim holds.
pub const MAX_EXPENSE_LINES: usize = 200;

impl ExpenseClaim {
    /// Replaces the title and lines (a draft being saved), recomputing the totals.
    pub fn set_content(&mut self, title: &str, lines: Vec<ExpenseLine>) -> Result<(), Invalid> {
        let title = title.trim();
        if title.chars().count() > 200 {
            return Err(Invalid::new("title", "a title is at most 200 characters"));
        }
        if lines.len() > MAX_EXPENSE_LINES {
            return Err(Invalid::new(
                "lines",
                format!("a claim has at most {MAX_EXPENSE_LINES} lines: split it"),
            ));
        }
        self.title = title.to_string();
        self.totals = expense_totals(&lines);
        self.lines = lines;
        Ok(())
    }

    /// Whether the claim can be submitted: a title, at least one line, and on every line a
    /// receipt or the reason there is none.
    pub fn check_complete(&self) -> Result<(), Invalid> {
        if self.title.is_empty() {
            return Err(Invalid::new(
                "title",
                "give the claim a title before submitting it",
            ));
        }
        if self.lines.is_empty() {
            return Err(Invalid::new(
                "lines",
                "a claim needs at least one expense line",
            ));
        }
        for (i, l) in self.lines.iter().enumerate() {
            if l.receipt.is_none() && l.no_receipt_reason.is_none() {
                return Err(Invalid::new(
                    "lines.receipt",
                    format!(
                        "line {} ({}, {}) has no receipt: attach one or say why there is none",
                        i + 1,
                        l.description,
                        l.amount
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn eur(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn pct(s: &str) -> Rate {
        s.parse().unwrap()
    }

    #[test]
    fn vat_is_taken_out_of_the_amount_half_up() {
        assert_eq!(vat_included(eur("121.00"), pct("21")), eur("21.00"));
        // 10.00 × 0.21 / 1.21 = 1.7355… → 1.74
        assert_eq!(vat_included(eur("10.00"), pct("21")), eur("1.74"));
        // 24.90 × 0.055 / 1.055 = 1.2981… → 1.30
        assert_eq!(vat_included(eur("24.90"), pct("5.5")), eur("1.30"));
        // 0.53 × 0.06 / 1.06 = 0.03 exactly; 0.09 × 0.06 / 1.06 = 0.00509… → 0.01
        assert_eq!(vat_included(eur("0.53"), pct("6")), eur("0.03"));
        assert_eq!(vat_included(eur("0.09"), pct("6")), eur("0.01"));
        // A half cent rounds up: 0.03 × 0.20 / 1.20 = 0.005 → 0.01; 1.23 at 20 % = 0.205 → 0.21.
        assert_eq!(vat_included(eur("0.03"), pct("20")), eur("0.01"));
        assert_eq!(vat_included(eur("1.23"), pct("20")), eur("0.21"));
        assert_eq!(vat_included(eur("5.25"), pct("5")), eur("0.25"));
        assert_eq!(vat_included(eur("99.99"), Rate::ZERO), Money::ZERO);
    }

    #[test]
    fn lines_compute_or_take_their_vat() {
        let l = ExpenseLine::new(
            date(2026, 9, 3),
            " Train Bruxelles–Liège ",
            ExpenseCategory::Travel,
            eur("33.60"),
            pct("6"),
            None,
        )
        .unwrap();
        assert_eq!(l.description, "Train Bruxelles–Liège");
        assert_eq!(l.vat, eur("1.90")); // 33.60 × 6 / 106 = 1.9018
        assert_eq!(l.net, eur("31.70"));
        let given = ExpenseLine::new(
            date(2026, 9, 3),
            "Restaurant",
            ExpenseCategory::Meals,
            eur("48.00"),
            pct("12"),
            Some(eur("5.15")),
        )
        .unwrap();
        assert_eq!(given.vat, eur("5.15"));
        assert_eq!(given.net, eur("42.85"));
    }

    #[test]
    fn bad_lines_name_their_field() {
        let d = date(2026, 9, 3);
        let c = ExpenseCategory::Other;
        let err = |r: Result<ExpenseLine, Invalid>| r.unwrap_err().field;
        assert_eq!(
            err(ExpenseLine::new(d, " ", c, eur("1"), pct("21"), None)),
            "lines.description"
        );
        assert_eq!(
            err(ExpenseLine::new(d, "x", c, eur("0"), pct("21"), None)),
            "lines.amount"
        );
        assert_eq!(
            err(ExpenseLine::new(d, "x", c, eur("-5"), pct("21"), None)),
            "lines.amount"
        );
        assert_eq!(
            err(ExpenseLine::new(d, "x", c, eur("5"), pct("210"), None)),
            "lines.vat_rate"
        );
        assert_eq!(
            err(ExpenseLine::new(d, "x", c, eur("5"), pct("-6"), None)),
            "lines.vat_rate"
        );
        assert_eq!(
            err(ExpenseLine::new(
                d,
                "x",
                c,
                eur("5"),
                pct("21"),
                Some(eur("5"))
            )),
            "lines.vat"
        );
        assert_eq!(
            err(ExpenseLine::new(
                d,
                "x",
                c,
                eur("5"),
                Rate::ZERO,
                Some(eur("1"))
            )),
            "lines.vat"
        );
    }

    #[test]
    fn totals_add_the_lines_by_rate() {
        let d = date(2026, 10, 1);
        let lines = vec![
            ExpenseLine::new(
                d,
                "a",
                ExpenseCategory::Meals,
                eur("10.00"),
                pct("21"),
                None,
            )
            .unwrap(),
            ExpenseLine::new(
                d,
                "b",
                ExpenseCategory::Travel,
                eur("33.60"),
                pct("6"),
                None,
            )
            .unwrap(),
            ExpenseLine::new(
                d,
                "c",
                ExpenseCategory::Meals,
                eur("10.00"),
                pct("21"),
                None,
            )
            .unwrap(),
        ];
        let t = expense_totals(&lines);
        assert_eq!(t.amount, eur("53.60"));
        assert_eq!(t.vat, eur("5.38")); // 1.74 + 1.90 + 1.74
        assert_eq!(t.net, eur("48.22"));
        assert_eq!(t.by_rate.len(), 2);
        assert_eq!(t.by_rate[0].rate, pct("6"));
        assert_eq!(t.by_rate[1].vat, eur("3.48"));
        assert_eq!(t.by_rate[1].net, eur("16.52"));
    }

    #[test]
    fn receipts_are_known_by_content() {
        assert_eq!(
            ReceiptMediaType::sniff(b"%PDF-1.4\n"),
            Some(ReceiptMediaType::Pdf)
        );
        assert_eq!(
            ReceiptMediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ReceiptMediaType::Jpeg)
        );
        assert_eq!(
            ReceiptMediaType::sniff(b"\x00\x00\x00\x18ftypheic\x00\x00"),
            Some(ReceiptMediaType::Heic)
        );
        assert_eq!(ReceiptMediaType::sniff(b"GIF89a"), None);
        assert!(ReceiptMediaType::check(b"%PDF-1.4", Some("application/pdf")).is_ok());
        assert!(ReceiptMediaType::check(b"%PDF-1.4", Some("application/octet-stream")).is_ok());
        assert_eq!(
            ReceiptMediaType::check(b"%PDF-1.4", Some("image/png"))
                .unwrap_err()
                .message,
            "the file was sent as image/png but its content is a PDF document"
        );
        assert!(ReceiptMediaType::check(b"", None).is_err());
        assert!(ReceiptMediaType::check(b"hello", None).is_err());
        let big = vec![b'%'; MAX_RECEIPT_BYTES + 1];
        assert!(ReceiptMediaType::check(&big, None).is_err());
    }

    #[test]
    fn hashes_are_64_lowercase_hex_digits() {
        let h = ReceiptHash::from_digest(&[0xAB; 32]);
        assert_eq!(h.as_str(), "ab".repeat(32));
        assert_eq!(h.shard(), "ab");
        assert_eq!("AB".repeat(32).parse::<ReceiptHash>().unwrap(), h);
        assert!("abc".parse::<ReceiptHash>().is_err());
        assert!("zz".repeat(32).parse::<ReceiptHash>().is_err());
        assert!("../".repeat(22).parse::<ReceiptHash>().is_err());
    }

    #[test]
    fn a_claim_is_complete_with_a_receipt_or_a_reason_on_every_line() {
        let d = date(2026, 10, 1);
        let mut claim = ExpenseClaim {
            id: "0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d".parse().unwrap(),
            number: None,
            entity_id: "0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d".parse().unwrap(),
            activity_id: "0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d".parse().unwrap(),
            member_id: "0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d".parse().unwrap(),
            title: String::new(),
            lines: Vec::new(),
            totals: ExpenseTotals::default(),
            status: ExpenseStatus::Draft,
            rejection: None,
        };
        assert_eq!(claim.check_complete().unwrap_err().field, "title");
        claim.set_content("Tour", Vec::new()).unwrap();
        assert_eq!(claim.check_complete().unwrap_err().field, "lines");
        let line = ExpenseLine::new(
            d,
            "Parking",
            ExpenseCategory::Travel,
            eur("4"),
            pct("21"),
            None,
        )
        .unwrap();
        claim.set_content("Tour", vec![line.clone()]).unwrap();
        assert_eq!(claim.check_complete().unwrap_err().field, "lines.receipt");
        let line = line.with_reason(Some("parking meter")).unwrap();
        claim.set_content("Tour", vec![line]).unwrap();
        assert!(claim.check_complete().is_ok());
        assert_eq!(claim.totals.amount, eur("4.00"));
    }
}
