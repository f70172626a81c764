//! OpenAPI schemas of what the stored records hold as plain strings or JSON (feature
//! `openapi`): the kinds of budget movements, and the payroll engine's payslip JSON
//! (`ensemble_payroll::view`), which the records keep as it was written.
//!
//! These types only describe; nothing is built from them.

use ensemble_domain::{Contract, Country, Money, Month, Rate, Status};

/// What moved an activity's budget.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum MovementKind {
    /// Invoiced work less the fee.
    Income,
    /// A salary and its employer contributions.
    Salary,
    /// A reimbursed expense claim.
    Expense,
    /// An adjustment by staff (an opening balance, a correction).
    Adjustment,
}

/// The totals of a payslip as the payroll engine writes them: every amount is the sum of its
/// lines.
#[derive(utoipa::ToSchema)]
pub struct PayslipTotals {
    pub country: Country,
    pub month: Month,
    pub status: Status,
    pub contract: Contract,
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
    /// Where an inverse computation could not land exactly on its target, what it landed on.
    pub note: Option<String>,
}

/// What a payslip line is.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum PayslipLineKind {
    Earning,
    Contribution,
    Relief,
    Tax,
}

/// One line of a payslip, rounded to the cent; `null` where a side has no rate.
#[derive(utoipa::ToSchema)]
pub struct PayslipLine {
    /// A stable code such as `fr.old_age_capped`.
    pub code: String,
    /// Its wording in the member's language.
    pub label: String,
    pub kind: PayslipLineKind,
    pub base: Money,
    pub employee_rate: Option<Rate>,
    pub employee_amount: Money,
    pub employer_rate: Option<Rate>,
    pub employer_amount: Money,
}
