//! What goes into the engine (a [`Case`]) and what comes out (a [`Payslip`]).

pub use ensemble_domain::{Contract, Status};
use ensemble_domain::{Country, Lang, Money, Month, Rate};
use serde::{Deserialize, Serialize};

use crate::labels;
use crate::pack::Hours;

/// Employer headcount when a case gives none: a cooperative of about a hundred people.
pub const DEFAULT_HEADCOUNT: u32 = 100;

/// The amount a simulation starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    /// The gross salary of the month (for a French CDD, before the end-of-contract indemnity).
    Gross(Money),
    /// The net the member wants: net before income tax in France (the *net à payer avant impôt
    /// sur le revenu* French payslips and contracts speak of), net paid after withholding tax in
    /// Belgium (the *salaire net* Belgian members speak of).
    Net(Money),
    /// What the activity's budget can spend on this salary: the employer cost.
    Budget(Money),
}

/// One simulation request, as the CLI flags and the batch keys give it. Missing options take
/// the country's defaults; the engine checks every combination and names the field at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub country: Country,
    pub month: Month,
    pub amount: Amount,
    pub status: Option<Status>,
    pub contract: Option<Contract>,
    /// Paid hours in the month: part-time (France), or hours worked (Belgium).
    pub hours: Option<Hours>,
    /// Contract days in the month (Belgian daily contracts).
    pub days: Option<u32>,
    /// Employer headcount; drives the rates that change with company size.
    pub headcount: Option<u32>,
    /// Work-accident rate notified to the employer (France; default in the rule pack).
    pub accident_rate: Option<Rate>,
    /// Versement mobilité rate of the workplace (France; default 0).
    pub mobility_rate: Option<Rate>,
    /// The employee's personal withholding-tax rate, when the tax office gave one.
    pub tax_rate: Option<Rate>,
    /// Belgium: dependent children, for the withholding tax (0 when not given).
    pub children: Option<u32>,
    /// France: employee under the Alsace-Moselle local health scheme.
    pub alsace_moselle: bool,
    /// France: contract of at most two months, for the withholding-tax allowance on short
    /// contracts under the neutral rate.
    pub short_contract: bool,
}

impl Case {
    /// A case with every option left to the country's defaults.
    pub fn new(country: Country, month: Month, amount: Amount) -> Case {
        Case {
            country,
            month,
            amount,
            status: None,
            contract: None,
            hours: None,
            days: None,
            headcount: None,
            accident_rate: None,
            mobility_rate: None,
            tax_rate: None,
            children: None,
            alsace_moselle: false,
            short_contract: false,
        }
    }
}

/// A case as JSON gives it: keys named like the CLI flags. Exactly one of `gross`, `net` and
/// `budget`. Unknown keys are refused.
///
/// `I` is the type of an optional `id` the caller chooses and gets back (the CLI keeps the raw
/// JSON text); `()` when there is none.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseInput<I = ()> {
    #[serde(default = "none")]
    pub id: Option<I>,
    pub country: Option<String>,
    pub month: Option<String>,
    pub gross: Option<Money>,
    pub net: Option<Money>,
    pub budget: Option<Money>,
    pub status: Option<String>,
    pub contract: Option<String>,
    pub hours: Option<Money>,
    pub days: Option<i64>,
    pub headcount: Option<i64>,
    pub accident_rate: Option<Rate>,
    pub mobility_rate: Option<Rate>,
    pub tax_rate: Option<Rate>,
    pub children: Option<i64>,
    #[serde(default)]
    pub alsace_moselle: bool,
    #[serde(default)]
    pub short_contract: bool,
}

fn none<I>() -> Option<I> {
    None
}

impl<I> CaseInput<I> {
    /// Parses every field; the first problem is returned with the field it concerns.
    pub fn into_case(self) -> Result<Case, PayrollError> {
        let country = self
            .country
            .ok_or_else(|| PayrollError::invalid("country", "is required (fr or be)"))?
            .parse::<Country>()
            .map_err(|e| PayrollError::invalid("country", e.to_string()))?;
        let month = self
            .month
            .ok_or_else(|| PayrollError::invalid("month", "is required (YYYY-MM)"))?
            .parse::<Month>()
            .map_err(|e| PayrollError::invalid("month", e.to_string()))?;
        let amount = match (self.gross, self.net, self.budget) {
            (Some(g), None, None) => Amount::Gross(g),
            (None, Some(n), None) => Amount::Net(n),
            (None, None, Some(b)) => Amount::Budget(b),
            _ => {
                return Err(PayrollError::invalid(
                    "gross",
                    "give exactly one of gross, net or budget",
                ));
            }
        };
        let status = self
            .status
            .map(|s| s.parse::<Status>())
            .transpose()
            .map_err(|e| PayrollError::invalid("status", e))?;
        let contract = self
            .contract
            .map(|s| s.parse::<Contract>())
            .transpose()
            .map_err(|e| PayrollError::invalid("contract", e))?;
        let hours = self
            .hours
            .map(|h| {
                if h.is_positive() {
                    Ok(Hours(h.cents()))
                } else {
                    Err(PayrollError::invalid("hours", "must be more than 0"))
                }
            })
            .transpose()?;
        let days =
            self.days
                .map(|d| {
                    u32::try_from(d).ok().filter(|d| *d > 0).ok_or_else(|| {
                        PayrollError::invalid("days", "must be a whole number above 0")
                    })
                })
                .transpose()?;
        let headcount = self
            .headcount
            .map(|h| {
                u32::try_from(h).ok().filter(|h| *h > 0).ok_or_else(|| {
                    PayrollError::invalid("headcount", "must be a whole number above 0")
                })
            })
            .transpose()?;
        let children = self
            .children
            .map(|c| {
                u32::try_from(c).ok().filter(|c| *c <= 20).ok_or_else(|| {
                    PayrollError::invalid("children", "must be a whole number from 0 to 20")
                })
            })
            .transpose()?;
        Ok(Case {
            country,
            month,
            amount,
            status,
            contract,
            hours,
            days,
            headcount,
            accident_rate: self.accident_rate,
            mobility_rate: self.mobility_rate,
            tax_rate: self.tax_rate,
            children,
            alsace_moselle: self.alsace_moselle,
            short_contract: self.short_contract,
        })
    }
}

/// Why a case cannot be computed. Each names the input at fault or the missing rules.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PayrollError {
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("month: no {country} rule pack covers {month} (the {country} packs cover {first} to {last})", country = .country.slug())]
    NoRulePack {
        country: Country,
        month: Month,
        first: Month,
        last: Month,
    },
    #[error("{field}: {message}")]
    Unreachable {
        field: &'static str,
        message: String,
    },
}

impl PayrollError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> PayrollError {
        PayrollError::Invalid {
            field,
            message: message.into(),
        }
    }

    /// The input field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            PayrollError::Invalid { field, .. } | PayrollError::Unreachable { field, .. } => field,
            PayrollError::NoRulePack { .. } => "month",
        }
    }
}

/// What a payslip line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Part of the gross salary; its amount is in `employee_amount`.
    Earning,
    /// A contribution withheld from the employee and/or paid by the employer.
    Contribution,
    /// A reduction of contributions: negative amounts.
    Relief,
    /// Income tax withheld at source.
    Tax,
}

/// One line of a payslip. Amounts are rounded to the cent; the totals are their sums.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// Stable identifier, such as `fr.old_age_capped`; [`Line::label`] gives its wording.
    pub code: &'static str,
    pub kind: LineKind,
    pub base: Money,
    pub employee_rate: Option<Rate>,
    pub employee_amount: Money,
    pub employer_rate: Option<Rate>,
    pub employer_amount: Money,
    /// For employee contributions: whether the amount is deducted from taxable pay
    /// (France: CSG non déductible and CRDS are not).
    pub deductible: bool,
}

impl Line {
    pub fn label(&self, lang: Lang) -> &'static str {
        labels::label(self.code, lang)
    }
}

/// The totals of a payslip, each a sum over its lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub gross: Money,
    pub employee_contributions: Money,
    /// Montant net social (France): gross less every employee contribution.
    pub net_social: Money,
    pub net_before_tax: Money,
    pub net_taxable: Money,
    pub withholding_tax: Money,
    pub net_paid: Money,
    pub employer_contributions: Money,
    pub employer_reliefs: Money,
    pub employer_cost: Money,
}

/// A month's payslip: lines and totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payslip {
    pub country: Country,
    pub month: Month,
    pub status: Status,
    pub contract: Contract,
    pub lines: Vec<Line>,
    pub totals: Totals,
    /// Where an inverse computation could not land exactly on the target (for instance a net
    /// that no gross produces to the cent), what it landed on instead.
    pub note: Option<String>,
}

impl Payslip {
    /// Builds the totals from the lines.
    pub(crate) fn from_lines(
        country: Country,
        month: Month,
        status: Status,
        contract: Contract,
        lines: Vec<Line>,
    ) -> Payslip {
        let mut t = Totals::default();
        let mut non_deductible = Money::ZERO;
        for l in &lines {
            match l.kind {
                LineKind::Earning => t.gross += l.employee_amount,
                LineKind::Contribution | LineKind::Relief => {
                    t.employee_contributions += l.employee_amount;
                    if l.kind == LineKind::Contribution {
                        t.employer_contributions += l.employer_amount;
                    } else {
                        t.employer_reliefs -= l.employer_amount;
                    }
                    if !l.deductible {
                        non_deductible += l.employee_amount;
                    }
                }
                LineKind::Tax => t.withholding_tax += l.employee_amount,
            }
        }
        t.net_social = t.gross - t.employee_contributions;
        t.net_before_tax = t.net_social;
        t.net_taxable = t.net_before_tax + non_deductible;
        t.net_paid = t.net_before_tax - t.withholding_tax;
        t.employer_cost = t.gross + t.employer_contributions - t.employer_reliefs;
        Payslip {
            country,
            month,
            status,
            contract,
            lines,
            totals: t,
            note: None,
        }
    }

    /// The line with `code`, if the payslip has it.
    pub fn line(&self, code: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.code == code)
    }
}
