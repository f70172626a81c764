//! Invoices and credit notes: lines, VAT, totals rounded as EN 16931 requires.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::activity::codes;
use crate::client::{VatCategory, VatTreatment};
use crate::{
    ActivityId, ClientId, DeclarationId, DocumentNumber, EntityId, Invalid, InvoiceId, Lang, Money,
    PaymentReference, Rate,
};

/// A quantity on an invoice line in thousandths (1.5 days is 1 500).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineQuantity(pub i64);

/// One invoice line: `net = round(quantity × unit price)` (EN 16931 BT-131).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: LineQuantity,
    /// UN/ECE recommendation 20 unit code: DAY, HUR, MON, C62 (one).
    pub unit_code: String,
    pub unit_price: Money,
    pub vat: VatTreatment,
    pub net: Money,
}

impl InvoiceLine {
    pub fn new(
        description: impl Into<String>,
        quantity: LineQuantity,
        unit_code: &str,
        unit_price: Money,
        vat: VatTreatment,
    ) -> Result<InvoiceLine, Invalid> {
        let description = description.into();
        if description.trim().is_empty() {
            return Err(Invalid::new("description", "a line needs a description"));
        }
        if quantity.0 == 0 {
            return Err(Invalid::new("quantity", "a line's quantity cannot be 0"));
        }
        if unit_price.is_negative() {
            return Err(Invalid::new(
                "unit_price",
                format!("{unit_price} is negative: use a credit note or an allowance"),
            ));
        }
        let net = unit_price.prorate(quantity.0, 1000);
        Ok(InvoiceLine {
            description,
            quantity,
            unit_code: unit_code.to_string(),
            unit_price,
            vat,
            net,
        })
    }
}

/// VAT of one category and rate: its base and amount (EN 16931 BG-23), the amount rounded once
/// per group, not per line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VatSubtotal {
    pub category: VatCategory,
    pub rate: Rate,
    pub base: Money,
    pub amount: Money,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceTotals {
    /// Sum of line nets (BT-106, BT-109).
    pub net: Money,
    /// Sum of the VAT subtotals (BT-110).
    pub vat: Money,
    /// net + vat (BT-112, BT-115).
    pub with_vat: Money,
    pub subtotals: Vec<VatSubtotal>,
}

/// The totals of a set of lines.
pub fn totals(lines: &[InvoiceLine]) -> InvoiceTotals {
    let mut subtotals: Vec<VatSubtotal> = Vec::new();
    for l in lines {
        match subtotals
            .iter_mut()
            .find(|s| s.category == l.vat.category && s.rate == l.vat.rate)
        {
            Some(s) => s.base += l.net,
            None => subtotals.push(VatSubtotal {
                category: l.vat.category,
                rate: l.vat.rate,
                base: l.net,
                amount: Money::ZERO,
            }),
        }
    }
    for s in &mut subtotals {
        s.amount = s.rate.of(s.base);
    }
    let net = lines.iter().map(|l| l.net).sum();
    let vat = subtotals.iter().map(|s| s.amount).sum();
    InvoiceTotals {
        net,
        vat,
        with_vat: net + vat,
        subtotals,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Issued,
    Paid,
    Cancelled,
}

codes!(InvoiceStatus, "status", "issued" => InvoiceStatus::Issued,
    "paid" => InvoiceStatus::Paid, "cancelled" => InvoiceStatus::Cancelled);

/// An invoice issued by a cooperative entity on behalf of an activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub id: InvoiceId,
    pub number: DocumentNumber,
    pub entity_id: EntityId,
    pub activity_id: ActivityId,
    pub client_id: ClientId,
    pub declaration_id: Option<DeclarationId>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    pub issue_date: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    pub due_date: Date,
    pub payment_reference: PaymentReference,
    pub lang: Lang,
    pub lines: Vec<InvoiceLine>,
    pub totals: InvoiceTotals,
    pub status: InvoiceStatus,
}

/// The due date: `term_days` after the issue date.
pub fn due_date(issue: Date, term_days: u32) -> Date {
    issue
        .checked_add(jiff::Span::new().days(i64::from(term_days)))
        .unwrap_or(issue)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vat(rate: i64) -> VatTreatment {
        VatTreatment {
            category: if rate == 0 {
                VatCategory::ReverseCharge
            } else {
                VatCategory::Standard
            },
            rate: Rate::from_ppm(rate),
        }
    }

    #[test]
    fn vat_is_rounded_per_rate_not_per_line() {
        let lines = [
            InvoiceLine::new(
                "a",
                LineQuantity(1000),
                "C62",
                Money::from_cents(1_005),
                vat(210_000),
            )
            .unwrap(),
            InvoiceLine::new(
                "b",
                LineQuantity(1000),
                "C62",
                Money::from_cents(1_005),
                vat(210_000),
            )
            .unwrap(),
            InvoiceLine::new(
                "c",
                LineQuantity(2500),
                "HUR",
                Money::from_cents(4_000),
                vat(60_000),
            )
            .unwrap(),
        ];
        let t = totals(&lines);
        // 21 % of 20.10 = 4.221 → 4.22 (two lines of 2.1105 rounded each would give 4.22 too,
        // but 6 % of 100.00 stays 6.00).
        assert_eq!(t.subtotals.len(), 2);
        assert_eq!(t.subtotals[0].base, Money::from_cents(2_010));
        assert_eq!(t.subtotals[0].amount, Money::from_cents(422));
        assert_eq!(t.subtotals[1].base, Money::from_cents(10_000));
        assert_eq!(t.net, Money::from_cents(12_010));
        assert_eq!(t.vat, Money::from_cents(1_022));
        assert_eq!(t.with_vat, Money::from_cents(13_032));
    }

    #[test]
    fn due_date_is_ten_days_later() {
        use jiff::civil::date;
        assert_eq!(due_date(date(2026, 1, 25), 10), date(2026, 2, 4));
    }
}
