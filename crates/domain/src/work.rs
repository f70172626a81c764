//! Work declarations: a member declares work for an activity and a client; the cooperative
//! turns it into an invoice, an employment contract and a payslip.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::activity::codes;
use crate::{
    ActivityId, ClientId, DeclarationId, DocumentNumber, EntityId, Invalid, MemberId, Money, Month,
    Rate,
};

/// The dates of a piece of work: `start` to `end` inclusive, within one calendar month (a
/// payslip is monthly; longer work is declared month by month).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "RawPeriod")]
pub struct WorkPeriod {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    start: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    end: Date,
}

#[derive(Deserialize)]
struct RawPeriod {
    start: Date,
    end: Date,
}

impl TryFrom<RawPeriod> for WorkPeriod {
    type Error = Invalid;
    fn try_from(raw: RawPeriod) -> Result<WorkPeriod, Invalid> {
        WorkPeriod::new(raw.start, raw.end)
    }
}

impl WorkPeriod {
    pub fn new(start: Date, end: Date) -> Result<WorkPeriod, Invalid> {
        if end < start {
            return Err(Invalid::new(
                "end",
                format!("the work ends on {end}, before it starts on {start}"),
            ));
        }
        if Month::of(start) != Month::of(end) {
            return Err(Invalid::new(
                "end",
                format!(
                    "the work runs from {start} to {end}: declare each month separately (a payslip is monthly)"
                ),
            ));
        }
        Ok(WorkPeriod { start, end })
    }

    pub fn start(&self) -> Date {
        self.start
    }

    pub fn end(&self) -> Date {
        self.end
    }

    pub fn month(&self) -> Month {
        Month::of(self.start)
    }

    /// Calendar days from start to end, both included.
    pub fn calendar_days(&self) -> u32 {
        let mut n = 0;
        let mut d = self.start;
        while d <= self.end {
            n += 1;
            d = match d.tomorrow() {
                Ok(next) => next,
                Err(_) => break,
            };
        }
        n
    }

    /// Whether the period is the whole calendar month.
    pub fn is_whole_month(&self) -> bool {
        self.start.day() == 1 && self.end == self.end.last_of_month()
    }
}

/// How the work is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkUnit {
    Day,
    HalfDay,
    Hour,
    /// A monthly subscription: the whole month.
    Month,
}

codes!(WorkUnit, "unit", "day" => WorkUnit::Day, "half_day" => WorkUnit::HalfDay,
    "hour" => WorkUnit::Hour, "month" => WorkUnit::Month);

impl WorkUnit {
    /// UN/ECE recommendation 20 unit code for invoice lines.
    pub const fn unit_code(self) -> &'static str {
        match self {
            WorkUnit::Day => "DAY",
            WorkUnit::HalfDay => "DAY",
            WorkUnit::Hour => "HUR",
            WorkUnit::Month => "MON",
        }
    }
}

/// A quantity of work in hundredths (2.5 hours is 250).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quantity(pub i64);

impl Quantity {
    pub const fn whole(n: i64) -> Quantity {
        Quantity(n * 100)
    }

    pub fn parse(field: &'static str, text: &str) -> Result<Quantity, Invalid> {
        let m: Money = text.parse().map_err(|_| {
            Invalid::new(field, format!("\"{text}\" is not a quantity like 3 or 2.5"))
        })?;
        Ok(Quantity(m.cents()))
    }

    pub fn is_whole(self) -> bool {
        self.0 % 100 == 0
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = Money::from_cents(self.0).to_string();
        f.write_str(m.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// The amount a member gives: the price excl. VAT the client pays, or the gross salary wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "amount", rename_all = "snake_case")]
pub enum WorkAmount {
    Price(Money),
    Gross(Money),
}

/// The work as declared, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Work {
    pub period: WorkPeriod,
    pub unit: WorkUnit,
    pub quantity: Quantity,
    pub amount: WorkAmount,
    pub description: String,
}

impl Work {
    /// Checks the quantity against the unit and the period, and the amount.
    pub fn new(
        period: WorkPeriod,
        unit: WorkUnit,
        quantity: Quantity,
        amount: WorkAmount,
        description: String,
    ) -> Result<Work, Invalid> {
        let days = i64::from(period.calendar_days());
        if quantity.0 <= 0 {
            return Err(Invalid::new("quantity", "the quantity must be more than 0"));
        }
        match unit {
            WorkUnit::Day if !quantity.is_whole() || quantity.0 > days * 100 => {
                return Err(Invalid::new(
                    "quantity",
                    format!(
                        "{quantity} days do not fit in the {days} days from {} to {}",
                        period.start, period.end
                    ),
                ));
            }
            WorkUnit::HalfDay if !quantity.is_whole() || quantity.0 > days * 200 => {
                return Err(Invalid::new(
                    "quantity",
                    format!(
                        "{quantity} half-days do not fit in the {days} days from {} to {}",
                        period.start, period.end
                    ),
                ));
            }
            // At most 12 hours a day, the longest a collective agreement may allow.
            WorkUnit::Hour if quantity.0 > days * 1_200 => {
                return Err(Invalid::new(
                    "quantity",
                    format!("{quantity} hours do not fit in {days} days (at most 12 h a day)"),
                ));
            }
            WorkUnit::Month if quantity != Quantity::whole(1) || !period.is_whole_month() => {
                return Err(Invalid::new(
                    "quantity",
                    "a monthly subscription covers one whole calendar month: quantity 1, from the first to the last day",
                ));
            }
            _ => {}
        }
        let amount_money = match amount {
            WorkAmount::Price(m) | WorkAmount::Gross(m) => m,
        };
        if !amount_money.is_positive() {
            return Err(Invalid::new(
                match amount {
                    WorkAmount::Price(_) => "price",
                    WorkAmount::Gross(_) => "gross",
                },
                format!("{amount_money} must be more than 0"),
            ));
        }
        if description.trim().is_empty() {
            return Err(Invalid::new("description", "say what the work is"));
        }
        if description.chars().count() > 500 {
            return Err(Invalid::new("description", "at most 500 characters"));
        }
        Ok(Work {
            period,
            unit,
            quantity,
            amount,
            description: description.trim().to_string(),
        })
    }

    /// Contract days: days and half-days count one day each (a half-day is a day's contract);
    /// hours and months have none.
    pub fn days(&self) -> Option<u32> {
        match self.unit {
            WorkUnit::Day => Some((self.quantity.0 / 100) as u32),
            WorkUnit::HalfDay => {
                Some(((self.quantity.0 / 100) as u32).min(self.period.calendar_days()))
            }
            WorkUnit::Hour | WorkUnit::Month => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeclarationStatus {
    /// Waiting in the advisors' queue.
    Submitted,
    /// Validated: invoice, contract and payslip produced.
    Validated,
    Rejected,
}

codes!(DeclarationStatus, "status", "submitted" => DeclarationStatus::Submitted,
    "validated" => DeclarationStatus::Validated, "rejected" => DeclarationStatus::Rejected);

/// Every euro of a declaration, from what the client pays to what the member receives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breakdown {
    /// The price excl. VAT invoiced to the client.
    pub invoiced: Money,
    pub vat: Money,
    pub invoiced_with_vat: Money,
    pub fee_rate: Rate,
    /// The cooperative's fee on the price.
    pub fee: Money,
    /// What the salary costs the activity: gross + employer contributions − reliefs.
    pub employer_cost: Money,
    pub employer_contributions: Money,
    pub employer_reliefs: Money,
    pub gross: Money,
    pub employee_contributions: Money,
    pub withholding_tax: Money,
    /// What the member receives.
    pub net: Money,
    /// What stays in the activity's budget: invoiced − fee − employer cost (the cents a salary
    /// cannot use, or more when the gross was given).
    pub kept_in_budget: Money,
}

impl Breakdown {
    /// Whether every euro is accounted for.
    pub fn balances(&self) -> bool {
        self.invoiced - self.fee - self.employer_cost == self.kept_in_budget
            && self.employer_cost
                == self.gross + self.employer_contributions - self.employer_reliefs
            && self.gross - self.employee_contributions - self.withholding_tax == self.net
            && self.invoiced + self.vat == self.invoiced_with_vat
    }
}

/// A work declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Declaration {
    pub id: DeclarationId,
    pub number: DocumentNumber,
    pub entity_id: EntityId,
    pub activity_id: ActivityId,
    pub member_id: MemberId,
    pub client_id: ClientId,
    pub work: Work,
    pub status: DeclarationStatus,
    pub breakdown: Breakdown,
    pub rejection: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn periods_stay_in_one_month_and_in_order() {
        assert!(WorkPeriod::new(date(2026, 1, 12), date(2026, 1, 14)).is_ok());
        let e = WorkPeriod::new(date(2026, 1, 14), date(2026, 1, 12)).unwrap_err();
        assert_eq!(e.field, "end");
        assert!(e.message.contains("before it starts"));
        assert!(WorkPeriod::new(date(2026, 1, 30), date(2026, 2, 2)).is_err());
        let p = WorkPeriod::new(date(2026, 2, 1), date(2026, 2, 28)).unwrap();
        assert!(p.is_whole_month());
        assert_eq!(p.calendar_days(), 28);
    }

    #[test]
    fn quantities_fit_their_unit() {
        let p = WorkPeriod::new(date(2026, 1, 12), date(2026, 1, 14)).unwrap();
        let price = WorkAmount::Price(Money::from_euros(900));
        let work = |unit, q| Work::new(p, unit, Quantity(q), price, "Photo shoot".into());
        assert!(work(WorkUnit::Day, 300).is_ok());
        assert_eq!(work(WorkUnit::Day, 400).unwrap_err().field, "quantity");
        assert!(work(WorkUnit::Day, 250).is_err());
        assert!(work(WorkUnit::HalfDay, 600).is_ok());
        assert!(work(WorkUnit::Hour, 50).is_ok()); // half an hour
        assert!(work(WorkUnit::Hour, 3_700).is_err());
        assert!(work(WorkUnit::Month, 100).is_err());
        let negative = Work::new(
            p,
            WorkUnit::Day,
            Quantity(100),
            WorkAmount::Gross(Money::from_cents(-1)),
            "x".into(),
        );
        assert_eq!(negative.unwrap_err().field, "gross");
    }
}
