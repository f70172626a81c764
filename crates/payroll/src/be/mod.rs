//! Belgium: monthly and daily contracts of a cooperative acting as employer (a *bureau social
//! pour artistes* or a shared enterprise under the interim framework), for employees
//! (*employés*), manual workers (*ouvriers*) and artists.
//!
//! The parameters live in `rules/be/<year>.toml`, each with its official source; this module
//! holds the formulas. A payslip is a list of lines whose sums are the totals:
//!
//! | code | kind | what |
//! |---|---|---|
//! | `be.gross` | earning | the gross pay of the month |
//! | `be.social_security` | contribution | employee 13.07 % and employer 25.00 % (category 1), on 100 % of gross for employees, 108 % for manual workers and artists |
//! | `be.work_bonus_a`, `be.work_bonus_b` | relief | social work bonus, parts A (low wages) and B (very low wages): negative employee amounts, never more than the employee contribution (B is cut first) |
//! | `be.unemployment_extra` | contribution | employer 1.60 %, from 10 workers |
//! | `be.closure_fund` | contribution | employer, Company Closure Fund (basic rate by size + temporary unemployment) |
//! | `be.holiday_quarterly`, `be.holiday_annual` | contribution | employer, annual holidays of manual workers and artists (6.00 % + 10.27 % of 108 %); the annual part is due once a year and provisioned monthly |
//! | `be.structural_reduction` | relief | structural reduction of employer contributions: negative employer amount |
//! | `be.special_contribution` | contribution | special social security contribution (CSSS), employee, not deductible from taxable pay |
//! | `be.withholding_tax` | tax | withholding tax by the key formula, before the fiscal work bonus |
//! | `be.fiscal_work_bonus` | tax | fiscal work bonus: negative, at most the tax |
//! | `be.withholding_tax_flat` | tax | the 11.11 % flat rate of Annex III point 80, when chosen |
//!
//! # Monthly contracts (`cdi`, `cdd`)
//! `gross` is the month's gross pay. Full time is 38 h a week, i.e. 38 × 13 / 3 = 164.67 h a
//! month; `hours` below that makes a part-time contract (more is refused: overtime is not
//! computed). The occupation fraction µ = hours × 3 / (38 × 13). `days` is refused: it belongs
//! to daily contracts.
//!
//! # Daily contracts (`daily`)
//! `days` (required) is the number of contract days in the month and `gross` the total gross
//! pay of those days, paid on one monthly payslip. `hours` is the total of hours worked over
//! those days; by default 7.6 h a day (38 h over a five-day week), at most 11 h a day. The
//! month is then computed like a part-time month of µ = hours × 3 / (38 × 13), capped at 1:
//! - **Minimum wage.** The gross must reach the RMMMG (CNT collective agreement n° 43) pro
//!   rata of the hours: RMMMG × 3 / 13 / 38 an hour (103.09 € for a 7.6 h day from July 2026);
//!   a lower gross is refused with a message naming the floor and its source. The legal test is
//!   an annual average; checking every contract is stricter and therefore safe. A sector scale
//!   (the user company's, under interim work) may be higher and is not known here.
//! - **Work bonus.** The ONSS computes the bonus at the last payment of the calendar month on
//!   the days and pay of that month; for incomplete performance the pay is converted to a
//!   full-time month (S = gross / µ), the bonus looked up on S and multiplied back by µ. A few
//!   well-paid days therefore get no bonus; days paid near the minimum do.
//! - **Key formula.** The withholding tax is computed on the month's taxable pay as for any
//!   monthly payslip (the contract days of the month are paid on one monthly payslip). The
//!   2026 text of Annex III for employees paid by the day could not be read (open question);
//!   taxing the month's actual total is the simple reading of the monthly formula, but it
//!   withholds little or nothing on a few days (one day of 250 € gives no tax, where a
//!   conversion of the daily pay to a full month would withhold some). The final tax is settled
//!   by the assessment; for artists, point 80 below withholds 11.11 % when chosen.
//! - **Structural reduction.** The quarterly amount is Ps = R × µ × β, with R looked up on the
//!   quarterly reference wage converted to full time and the multiplier β from the worker's
//!   whole occupation µ(glob) with the employer in the quarter: 0 below 27.5 % of a full-time
//!   quarter, never below 1 from there (1.18, up to 1.25, then 1/µ). A monthly payslip cannot
//!   know the rest of the quarter, so for daily contracts the engine grants the proportional
//!   share R × µ / 3 (β = 1) when this month's hours alone reach 27.5 % of a full-time quarter
//!   (135.85 h), and nothing otherwise. Since β is never below 1 once granted, this is a lower
//!   bound of what the quarterly declaration (DmfA) grants for the month whatever else the
//!   member works in the quarter, provided the other days are paid at a similar rate (R
//!   follows the quarter's average pay): a budget may count on it. For monthly contracts the
//!   occupation is taken to last the quarter (µ(glob) = µ) and one third of Ps is granted each
//!   month. The reduction never exceeds the month's basic employer contributions.
//! - The special social security contribution is withheld on the month's gross with the
//!   monthly scale (one third of the quarterly one); it is an advance settled by the tax
//!   assessment.
//!
//! Not modelled, because a single month cannot know them: the yearly cap of the work bonus
//! (3 594.36 € a year from July 2026), the quarterly regularisation of the special
//! contribution, and the fact that the yearly holiday contribution (10.27 %) is assessed on the
//! previous year's pay (it is provisioned here on this month's).
//!
//! # Status
//! `employee` (the default) pays on 100 % of gross; `worker` and `artist` on 108 % (their
//! holiday pay comes from the ONVA/RJV, financed by the employer's holiday contributions, which
//! appear as employer lines). The work bonus uses the manual workers' column for both.
//!
//! # Family situation and withholding tax
//! The employee is taxed alone (barème I: single, or a spouse with own income) with `children`
//! dependent children (0 by default), no disability, no other dependants, and without the
//! single-parent supplement (a withholding that may be a little too high, refunded by the tax
//! assessment, rather than too low). The special social security contribution uses the
//! individual-taxation scale.
//!
//! The 11.11 % flat rate of Annex III point 80 (artists and musicians working successively for
//! entertainment companies, « sans réduction ») is applied only when the case asks for it with
//! `tax_rate = 11.11` and the status `artist`: it replaces the key formula, on the same taxable
//! pay, with no family reduction and no fiscal work bonus. Whether a cooperative employer may
//! apply it is not settled by the sources, so it is never chosen silently. Belgium has no
//! personal withholding rate: any other `tax_rate` is refused.
//!
//! # Headcount
//! `headcount` (100 by default) adds the 1.60 % unemployment contribution from 10 workers and
//! chooses the Company Closure Fund rate (higher from 20 workers).
//!
//! # Refused inputs
//! French statuses (`non-cadre`, `cadre`), `cdd-usage`, `alsace_moselle`, `short_contract`,
//! `accident_rate` (in Belgium work-accident cover is a private insurer's premium, not a
//! contribution) and `mobility_rate` are refused, each naming its field.

mod tax;
mod values;

use ensemble_domain::{Country, Money, Month, Rate};

use crate::labels::LabelRow;
use crate::model::{
    Case, Contract, DEFAULT_HEADCOUNT, Line, LineKind, PayrollError, Payslip, Status,
};
use crate::pack::{Count, Factor, Hours, Scale};

pub use values::{Amounts, Band, Bands};

crate::rule_params! {
    BeParams => BeRates {
        /// Personal social security contribution (13.07 %).
        employee_social_security: Rate,
        /// Base of contributions of manual workers and artists: 108 % of gross.
        manual_wage_factor: Factor,
        /// Employer global rate, category 1 (basic contributions + wage moderation).
        employer_social_security: Rate,
        unemployment_extra_employer: Rate,
        unemployment_extra_headcount: Count,
        closure_fund_small_employer: Rate,
        closure_fund_large_employer: Rate,
        closure_fund_temporary_unemployment_employer: Rate,
        closure_fund_headcount: Count,
        holiday_quarterly_employer: Rate,
        holiday_annual_employer: Rate,
        work_bonus_a_floor: Money,
        work_bonus_a_ceiling: Money,
        work_bonus_a_employee_max: Money,
        work_bonus_a_worker_max: Money,
        work_bonus_a_employee_coefficient: Factor,
        work_bonus_a_worker_coefficient: Factor,
        work_bonus_b_floor: Money,
        work_bonus_b_ceiling: Money,
        work_bonus_b_employee_max: Money,
        work_bonus_b_worker_max: Money,
        work_bonus_b_employee_coefficient: Factor,
        work_bonus_b_worker_coefficient: Factor,
        /// Structural reduction, category 1: α and S0 (low wages), γ and S2 (very low wages),
        /// thresholds per quarter.
        structural_alpha: Factor,
        structural_low_wage_threshold: Money,
        structural_gamma: Factor,
        structural_very_low_wage_threshold: Money,
        structural_manual_wage_factor: Factor,
        structural_mu_full: Factor,
        structural_mu_partial: Factor,
        structural_mu_minimum: Factor,
        structural_beta_partial: Factor,
        structural_beta_slope: Factor,
        /// Special social security contribution, monthly, individual taxation.
        special_contribution_single: Bands,
        special_contribution_manual_wage_factor: Factor,
        /// Key formula (Annex III AR/CIR 92): scale including the municipal surcharge.
        tax_scale: Scale,
        professional_expenses_rate: Rate,
        professional_expenses_cap: Money,
        tax_exempt_amount: Money,
        tax_reduction_children: Amounts,
        tax_reduction_extra_child: Money,
        fiscal_work_bonus_a: Rate,
        fiscal_work_bonus_b: Rate,
        artist_flat_tax_rate: Rate,
        /// RMMMG, full time, 18 and over.
        minimum_monthly_wage: Money,
        full_time_weekly_hours: Hours,
        full_time_weekly_days: Count,
        max_daily_hours: Hours,
    }
}

/// Line wording: English, French, Dutch.
pub(crate) const LABELS: &[LabelRow] = &[
    ("be.gross", "Gross pay", "Rémunération brute", "Brutoloon"),
    (
        "be.social_security",
        "Social security contributions (ONSS)",
        "Cotisations de sécurité sociale (ONSS)",
        "Socialezekerheidsbijdragen (RSZ)",
    ),
    (
        "be.work_bonus_a",
        "Work bonus, part A (low wages)",
        "Bonus à l'emploi, volet A (bas salaires)",
        "Werkbonus, luik A (lage lonen)",
    ),
    (
        "be.work_bonus_b",
        "Work bonus, part B (very low wages)",
        "Bonus à l'emploi, volet B (très bas salaires)",
        "Werkbonus, luik B (zeer lage lonen)",
    ),
    (
        "be.unemployment_extra",
        "Special unemployment contribution (10 workers or more)",
        "Cotisation spéciale chômage (10 travailleurs ou plus)",
        "Bijzondere werkloosheidsbijdrage (10 werknemers of meer)",
    ),
    (
        "be.closure_fund",
        "Company Closure Fund",
        "Fonds de fermeture des entreprises",
        "Fonds voor Sluiting van Ondernemingen",
    ),
    (
        "be.holiday_quarterly",
        "Annual holidays, quarterly contribution",
        "Vacances annuelles, cotisation trimestrielle",
        "Jaarlijkse vakantie, driemaandelijkse bijdrage",
    ),
    (
        "be.holiday_annual",
        "Annual holidays, yearly contribution (provision)",
        "Vacances annuelles, cotisation annuelle (provision)",
        "Jaarlijkse vakantie, jaarlijkse bijdrage (provisie)",
    ),
    (
        "be.structural_reduction",
        "Structural reduction of employer contributions",
        "Réduction structurelle des cotisations patronales",
        "Structurele vermindering werkgeversbijdragen",
    ),
    (
        "be.special_contribution",
        "Special social security contribution",
        "Cotisation spéciale de sécurité sociale",
        "Bijzondere bijdrage sociale zekerheid",
    ),
    (
        "be.withholding_tax",
        "Withholding tax (key formula)",
        "Précompte professionnel (formule-clé)",
        "Bedrijfsvoorheffing (sleutelformule)",
    ),
    (
        "be.fiscal_work_bonus",
        "Fiscal work bonus",
        "Bonus à l'emploi fiscal",
        "Fiscale werkbonus",
    ),
    (
        "be.withholding_tax_flat",
        "Withholding tax, artists' flat rate",
        "Précompte professionnel, taux forfaitaire artistes",
        "Bedrijfsvoorheffing, forfaitair tarief kunstenaars",
    ),
];

/// Weeks in a quarter: monthly figures of a weekly regime are weekly × 13 / 3.
const WEEKS_PER_QUARTER: i64 = 13;

/// A fraction of a full-time month, `num / den`, never above one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fraction {
    num: i64,
    den: i64,
}

impl Fraction {
    const ONE: Fraction = Fraction { num: 1, den: 1 };

    fn is_full(self) -> bool {
        self.num >= self.den
    }

    /// Whether the fraction is at least `f`.
    fn at_least(self, f: Factor) -> bool {
        i128::from(self.num) * 1_000_000 >= i128::from(f.0) * i128::from(self.den)
    }
}

/// A Belgian employment, checked: everything the formulas need besides the gross.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    month: Month,
    status: Status,
    contract: Contract,
    /// Contract days in the month (daily contracts).
    days: Option<u32>,
    /// Hours of the month, in hundredths, for a daily or part-time contract; `None` for a
    /// full-time month.
    hours: Option<Hours>,
    /// The month's occupation against a full-time month (µ), at most one.
    occupation: Fraction,
    /// This month's hours against a full-time quarter (daily contracts), to tell whether they
    /// alone reach the structural reduction's minimum occupation.
    quarter_occupation: Fraction,
    headcount: u32,
    children: u32,
    /// Annex III point 80: 11.11 % flat instead of the key formula.
    flat_tax: bool,
}

impl Job {
    pub(crate) fn from_case(case: &Case, r: &BeRates) -> Result<Job, PayrollError> {
        let status = match case.status.unwrap_or(Status::Employee) {
            s @ (Status::Employee | Status::Worker | Status::Artist) => s,
            other => {
                return Err(PayrollError::invalid(
                    "status",
                    format!(
                        "\"{other}\" is a French status; in Belgium use employee, worker or artist"
                    ),
                ));
            }
        };
        let contract = match case.contract.unwrap_or(Contract::Cdi) {
            Contract::CddUsage => {
                return Err(PayrollError::invalid(
                    "contract",
                    "cdd-usage is a French contract; in Belgium use cdi, cdd or daily",
                ));
            }
            c => c,
        };
        if case.alsace_moselle {
            return Err(PayrollError::invalid(
                "alsace_moselle",
                "the Alsace-Moselle health scheme is French; it does not apply in Belgium",
            ));
        }
        if case.short_contract {
            return Err(PayrollError::invalid(
                "short_contract",
                "the short-contract allowance belongs to the French withholding tax; Belgian withholding uses the key formula",
            ));
        }
        if case.accident_rate.is_some() {
            return Err(PayrollError::invalid(
                "accident_rate",
                "a work-accident rate is a French contribution; in Belgium work-accident cover is a private insurance premium, not computed here",
            ));
        }
        if case.mobility_rate.is_some() {
            return Err(PayrollError::invalid(
                "mobility_rate",
                "the versement mobilité is French; it does not apply in Belgium",
            ));
        }
        let flat_tax = match case.tax_rate {
            None => false,
            Some(t) if t == r.artist_flat_tax_rate && status == Status::Artist => true,
            Some(t) if t == r.artist_flat_tax_rate => {
                return Err(PayrollError::invalid(
                    "tax_rate",
                    format!(
                        "the {t} % flat withholding (Annex III AR/CIR 92, point 80) applies only to artists; use --status artist or leave the key formula"
                    ),
                ));
            }
            Some(t) => {
                return Err(PayrollError::invalid(
                    "tax_rate",
                    format!(
                        "{t} %: Belgium has no personal withholding rate; the key formula applies, or {} % for artists under Annex III point 80",
                        r.artist_flat_tax_rate
                    ),
                ));
            }
        };
        let weekly = r.full_time_weekly_hours.0;
        // 3 × hours / (13 × weekly hours): the share of a full-time month.
        let month_fraction = |h: Hours| Fraction {
            num: 3 * h.0,
            den: WEEKS_PER_QUARTER * weekly,
        };
        let full_month = Hours((WEEKS_PER_QUARTER * weekly + 1) / 3);
        let (days, hours, occupation, quarter_occupation) = match contract {
            Contract::Cdi | Contract::Cdd => {
                if case.days.is_some() {
                    return Err(PayrollError::invalid(
                        "days",
                        "days apply to daily contracts; for a part-time monthly contract give its hours in the month",
                    ));
                }
                match case.hours {
                    Some(h) if h > full_month => {
                        return Err(PayrollError::invalid(
                            "hours",
                            format!(
                                "{} h is above a full-time month ({} h for {} h a week); overtime is not computed: give the contract's hours",
                                Money::from_cents(h.0),
                                Money::from_cents(full_month.0),
                                Money::from_cents(weekly)
                            ),
                        ));
                    }
                    Some(h) if !month_fraction(h).is_full() => {
                        let f = month_fraction(h);
                        (None, Some(h), f, f)
                    }
                    _ => (None, None, Fraction::ONE, Fraction::ONE),
                }
            }
            Contract::Daily | Contract::CddUsage => {
                let Some(days) = case.days else {
                    return Err(PayrollError::invalid(
                        "days",
                        "a daily contract needs its number of contract days in the month (--days)",
                    ));
                };
                let in_month = u32::from(case.month.days());
                if days > in_month {
                    return Err(PayrollError::invalid(
                        "days",
                        format!(
                            "{days} contract days do not fit in {} ({in_month} days)",
                            case.month
                        ),
                    ));
                }
                let per_day = weekly / i64::from(r.full_time_weekly_days.0.max(1));
                let hours = case.hours.unwrap_or(Hours(per_day * i64::from(days)));
                let max = r.max_daily_hours.0 * i64::from(days);
                if hours.0 > max {
                    return Err(PayrollError::invalid(
                        "hours",
                        format!(
                            "{} h over {days} day(s) is more than {} h a day, the daily limit of the Labour Act of 16 March 1971",
                            Money::from_cents(hours.0),
                            Money::from_cents(r.max_daily_hours.0)
                        ),
                    ));
                }
                let f = month_fraction(hours);
                let occupation = if f.is_full() { Fraction::ONE } else { f };
                // This month's hours alone against a full-time quarter (the structural
                // reduction's minimum occupation).
                let quarter = Fraction {
                    num: hours.0,
                    den: WEEKS_PER_QUARTER * weekly,
                };
                let quarter = if quarter.is_full() {
                    Fraction::ONE
                } else {
                    quarter
                };
                (Some(days), Some(hours), occupation, quarter)
            }
        };
        Ok(Job {
            month: case.month,
            status,
            contract,
            days,
            hours,
            occupation,
            quarter_occupation,
            headcount: case.headcount.unwrap_or(DEFAULT_HEADCOUNT),
            children: case.children.unwrap_or(0),
            flat_tax,
        })
    }

    /// Manual workers and artists: contributions on 108 %, the workers' work-bonus column.
    fn manual(&self) -> bool {
        matches!(self.status, Status::Worker | Status::Artist)
    }
}

/// The minimum gross for the job: the RMMMG for a full-time month, pro rata of the hours
/// (RMMMG × 3 / 13 / 38 an hour) for a part-time month or daily contracts.
fn minimum_wage(r: &BeRates, job: &Job) -> Money {
    match job.hours {
        None => r.minimum_monthly_wage,
        Some(h) => r
            .minimum_monthly_wage
            .prorate(3 * h.0, WEEKS_PER_QUARTER * r.full_time_weekly_hours.0),
    }
}

/// The lowest gross the law allows at or above `g`.
pub(crate) fn floor(r: &BeRates, job: &Job, g: Money) -> Money {
    g.max(minimum_wage(r, job))
}

fn below_minimum(r: &BeRates, job: &Job, gross: Money, minimum: Money) -> PayrollError {
    let rmmmg = r.minimum_monthly_wage;
    let weekly = Money::from_cents(r.full_time_weekly_hours.0);
    let message = match (job.days, job.hours) {
        (Some(days), Some(h)) => format!(
            "{gross} for {days} contract day(s) ({} h) is below the Belgian minimum wage for those hours, {minimum}: the RMMMG of {rmmmg} a month for a full-time {weekly} h week (CNT collective agreement n° 43), pro rata of the hours; a contract cannot pay less",
            Money::from_cents(h.0)
        ),
        (_, Some(h)) => format!(
            "{gross} is below the Belgian minimum wage for {} h a month, {minimum}: the RMMMG of {rmmmg} a month for a full-time {weekly} h week (CNT collective agreement n° 43), pro rata of the hours",
            Money::from_cents(h.0)
        ),
        _ => format!(
            "{gross} is below the Belgian minimum monthly wage (RMMMG, CNT collective agreement n° 43) of {minimum} for a full-time {weekly} h week; a salary cannot be lower"
        ),
    };
    PayrollError::invalid("gross", message)
}

/// The social work bonus granted, parts A and B.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct WorkBonus {
    a: Money,
    b: Money,
}

/// One part of the work bonus for a full-time month: the maximum up to `floor`, decreasing by
/// `coefficient` × (S − floor) up to `ceiling`, nothing above. The result is rounded as a whole
/// (the ONSS rounds R, not the product it subtracts), half up, never below zero.
fn work_bonus_part(
    s: Money,
    max: Money,
    floor: Money,
    ceiling: Money,
    coefficient: Factor,
) -> Money {
    if s <= floor {
        max
    } else if s <= ceiling {
        let millionths = i128::from(max.cents()) * 1_000_000
            - i128::from(coefficient.0) * i128::from((s - floor).cents());
        if millionths <= 0 {
            Money::ZERO
        } else {
            Money::from_cents(div_round(millionths, 1_000_000))
        }
    } else {
        Money::ZERO
    }
}

/// The social work bonus on `gross` (at 100 %, also for manual workers): looked up on the pay
/// converted to a full-time month, multiplied back by the occupation fraction, then capped at
/// the personal contribution due, part B first.
fn work_bonus(r: &BeRates, job: &Job, gross: Money, contribution: Money) -> WorkBonus {
    let f = job.occupation;
    let s = if f.is_full() {
        gross
    } else {
        gross.prorate(f.den, f.num)
    };
    let manual = job.manual();
    let (a_max, a_coef, b_max, b_coef) = if manual {
        (
            r.work_bonus_a_worker_max,
            r.work_bonus_a_worker_coefficient,
            r.work_bonus_b_worker_max,
            r.work_bonus_b_worker_coefficient,
        )
    } else {
        (
            r.work_bonus_a_employee_max,
            r.work_bonus_a_employee_coefficient,
            r.work_bonus_b_employee_max,
            r.work_bonus_b_employee_coefficient,
        )
    };
    let a = work_bonus_part(
        s,
        a_max,
        r.work_bonus_a_floor,
        r.work_bonus_a_ceiling,
        a_coef,
    );
    let b = work_bonus_part(
        s,
        b_max,
        r.work_bonus_b_floor,
        r.work_bonus_b_ceiling,
        b_coef,
    );
    let (mut a, mut b) = if f.is_full() {
        (a, b)
    } else {
        (a.prorate(f.num, f.den), b.prorate(f.num, f.den))
    };
    let excess = (a + b).excess_over(contribution);
    let cut_b = excess.min(b);
    b -= cut_b;
    a -= (excess - cut_b).min(a);
    WorkBonus { a, b }
}

/// The month's share of the structural reduction (category 1), at most `cap` (the basic
/// employer contributions of the month).
///
/// The quarterly reference wage S is the month's pay (at 108 % for manual workers and artists)
/// converted to a full-time quarter: S = 3 × pay / µ, with µ the month's occupation. Then
/// R = α × (S0 − S) + γ × (S2 − S), each term at least zero, rounded to the cent. For a monthly
/// contract the quarter's reduction is Ps = R × µ × β(µ) and the month gets a third; for daily
/// contracts the month gets R × µ / 3 when its hours alone reach the minimum occupation of the
/// quarter, else nothing (see the module documentation). Rounded once, half up, at the end.
fn structural_reduction(r: &BeRates, job: &Job, gross: Money, cap: Money) -> Money {
    let wage = if job.manual() {
        r.structural_manual_wage_factor.of(gross)
    } else {
        gross
    };
    let m = job.occupation;
    let s = wage.prorate(3 * m.den, m.num);
    let low = r.structural_low_wage_threshold.excess_over(s);
    let very_low = r.structural_very_low_wage_threshold.excess_over(s);
    let millionths = i128::from(r.structural_alpha.0) * i128::from(low.cents())
        + i128::from(r.structural_gamma.0) * i128::from(very_low.cents());
    let quarterly = i128::from(div_round(millionths, 1_000_000));
    if quarterly <= 0 {
        return Money::ZERO;
    }
    let (mn, md) = (i128::from(m.num), i128::from(m.den));
    const E6: i128 = 1_000_000;
    // The month's share R × µ × β / 3, as a numerator and a denominator.
    let (num, den) = if job.contract == Contract::Daily {
        if job.quarter_occupation.at_least(r.structural_mu_minimum) {
            (quarterly * mn, md * 3)
        } else {
            (0, 1)
        }
    } else if m.at_least(r.structural_mu_full) {
        // β = 1/µ: the reduction of a full-time worker.
        (quarterly, 3)
    } else if m.at_least(r.structural_mu_minimum) {
        // β × md × 10¹²: 1.18, plus (µ − 0.55) × 0.28 from 0.55.
        let mut beta = i128::from(r.structural_beta_partial.0) * E6 * md;
        if m.at_least(r.structural_mu_partial) {
            beta += i128::from(r.structural_beta_slope.0)
                * (mn * E6 - i128::from(r.structural_mu_partial.0) * md);
        }
        (quarterly * mn * beta, md * md * 3 * E6 * E6)
    } else {
        // Below 27.5 % of full time: no reduction.
        (0, 1)
    };
    Money::from_cents(div_round(num, den))
        .min(cap)
        .max(Money::ZERO)
}

/// `n / d` rounded half away from zero, for `d > 0`.
fn div_round(n: i128, d: i128) -> i64 {
    let q = n / d;
    let rem = n % d;
    let q = if 2 * rem.abs() >= d {
        q + n.signum()
    } else {
        q
    };
    i64::try_from(q).unwrap_or(i64::MAX)
}

/// The month's payslip for a gross of `gross`.
pub(crate) fn payslip(r: &BeRates, job: &Job, gross: Money) -> Result<Payslip, PayrollError> {
    let minimum = minimum_wage(r, job);
    if gross < minimum {
        return Err(below_minimum(r, job, gross, minimum));
    }
    let manual = job.manual();
    let base = if manual {
        r.manual_wage_factor.of(gross)
    } else {
        gross
    };
    let mut lines = Vec::with_capacity(12);
    lines.push(Line {
        code: "be.gross",
        kind: LineKind::Earning,
        base: gross,
        employee_rate: None,
        employee_amount: gross,
        employer_rate: None,
        employer_amount: Money::ZERO,
        deductible: true,
    });
    let employee_contribution = r.employee_social_security.of(base);
    let employer_contribution = r.employer_social_security.of(base);
    lines.push(Line {
        code: "be.social_security",
        kind: LineKind::Contribution,
        base,
        employee_rate: Some(r.employee_social_security),
        employee_amount: employee_contribution,
        employer_rate: Some(r.employer_social_security),
        employer_amount: employer_contribution,
        deductible: true,
    });
    let bonus = work_bonus(r, job, gross, employee_contribution);
    for (code, amount) in [("be.work_bonus_a", bonus.a), ("be.work_bonus_b", bonus.b)] {
        if amount.is_positive() {
            lines.push(Line {
                code,
                kind: LineKind::Relief,
                base: gross,
                employee_rate: None,
                employee_amount: -amount,
                employer_rate: None,
                employer_amount: Money::ZERO,
                deductible: true,
            });
        }
    }
    let mut employer = |code, rate: Rate| {
        if !rate.is_zero() {
            lines.push(Line {
                code,
                kind: LineKind::Contribution,
                base,
                employee_rate: None,
                employee_amount: Money::ZERO,
                employer_rate: Some(rate),
                employer_amount: rate.of(base),
                deductible: true,
            });
        }
    };
    if job.headcount >= r.unemployment_extra_headcount.0 {
        employer("be.unemployment_extra", r.unemployment_extra_employer);
    }
    let closure = if job.headcount >= r.closure_fund_headcount.0 {
        r.closure_fund_large_employer
    } else {
        r.closure_fund_small_employer
    };
    employer(
        "be.closure_fund",
        closure.plus(r.closure_fund_temporary_unemployment_employer),
    );
    if manual {
        employer("be.holiday_quarterly", r.holiday_quarterly_employer);
        employer("be.holiday_annual", r.holiday_annual_employer);
    }
    let reduction = structural_reduction(r, job, gross, employer_contribution);
    if reduction.is_positive() {
        lines.push(Line {
            code: "be.structural_reduction",
            kind: LineKind::Relief,
            base,
            employee_rate: None,
            employee_amount: Money::ZERO,
            employer_rate: None,
            employer_amount: -reduction,
            deductible: true,
        });
    }
    let special_base = if manual {
        r.special_contribution_manual_wage_factor.of(gross)
    } else {
        gross
    };
    lines.push(Line {
        code: "be.special_contribution",
        kind: LineKind::Contribution,
        base: special_base,
        employee_rate: None,
        employee_amount: r.special_contribution_single.amount(special_base),
        employer_rate: None,
        employer_amount: Money::ZERO,
        deductible: false,
    });

    // Taxable pay: gross less the personal contribution after the work bonus.
    let taxable = gross - employee_contribution + bonus.a + bonus.b;
    let tax_line = |code, rate: Option<Rate>, amount: Money| Line {
        code,
        kind: LineKind::Tax,
        base: taxable,
        employee_rate: rate,
        employee_amount: amount,
        employer_rate: None,
        employer_amount: Money::ZERO,
        deductible: true,
    };
    if job.flat_tax {
        let rate = r.artist_flat_tax_rate;
        lines.push(tax_line(
            "be.withholding_tax_flat",
            Some(rate),
            rate.of(taxable.max(Money::ZERO)),
        ));
    } else {
        let k = tax::key_formula(r, taxable, job.children, bonus.a, bonus.b);
        lines.push(tax_line("be.withholding_tax", None, k.monthly_tax));
        if k.fiscal_bonus.is_positive() {
            lines.push(tax_line("be.fiscal_work_bonus", None, -k.fiscal_bonus));
        }
    }
    Ok(Payslip::from_lines(
        Country::Be,
        job.month,
        job.status,
        job.contract,
        lines,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;
    use crate::model::Amount;

    fn rates(month: &str) -> &'static BeRates {
        Engine::embedded().be.at(month.parse().unwrap()).unwrap()
    }

    fn eur(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn job(
        month: &str,
        status: Status,
        contract: Contract,
        days: Option<u32>,
        hours: Option<&str>,
    ) -> Job {
        let mut case = Case::new(
            Country::Be,
            month.parse().unwrap(),
            Amount::Gross(eur("3000.00")),
        );
        case.status = Some(status);
        case.contract = Some(contract);
        case.days = days;
        case.hours = hours.map(|h| Hours(eur(h).cents()));
        Job::from_case(&case, rates(month)).unwrap()
    }

    #[test]
    fn work_bonus_part_rounds_r_as_a_whole() {
        // 127.54 − 0.2739 × (3 000.00 − 2 937.93) = 127.54 − 17.000973 = 110.539… → 110.54
        let a = work_bonus_part(
            eur("3000.00"),
            eur("127.54"),
            eur("2937.93"),
            eur("3403.62"),
            Factor(273_900),
        );
        assert_eq!(a, eur("110.54"));
        // At the floor the maximum, above the ceiling nothing.
        let full = work_bonus_part(
            eur("2937.93"),
            eur("127.54"),
            eur("2937.93"),
            eur("3403.62"),
            Factor(273_900),
        );
        assert_eq!(full, eur("127.54"));
        let none = work_bonus_part(
            eur("3403.63"),
            eur("127.54"),
            eur("2937.93"),
            eur("3403.62"),
            Factor(273_900),
        );
        assert_eq!(none, Money::ZERO);
        // At the ceiling the product slightly exceeds the maximum: zero, not negative.
        let edge = work_bonus_part(
            eur("3403.62"),
            eur("127.54"),
            eur("2937.93"),
            eur("3403.62"),
            Factor(273_900),
        );
        assert_eq!(edge, Money::ZERO);
    }

    #[test]
    fn work_bonus_is_cut_at_the_contribution_part_b_first() {
        let r = rates("2026-09");
        let j = job("2026-09", Status::Employee, Contract::Cdi, None, None);
        // 2 233.61: A 127.54 + B 171.99 = 299.53 > ONSS 291.93 → B cut to 164.39.
        let b = work_bonus(r, &j, eur("2233.61"), eur("291.93"));
        assert_eq!(
            b,
            WorkBonus {
                a: eur("127.54"),
                b: eur("164.39")
            }
        );
        let b = work_bonus(r, &j, eur("2233.61"), eur("100.00"));
        assert_eq!(
            b,
            WorkBonus {
                a: eur("100.00"),
                b: Money::ZERO
            }
        );
    }

    #[test]
    fn daily_contracts_convert_the_pay_to_a_full_time_month() {
        let r = rates("2026-09");
        // 10 days of 7.6 h: µ = 76 × 3 / (13 × 38) = 228/494; 1 050.00 is 2 275.00 full time.
        let j = job("2026-09", Status::Employee, Contract::Daily, Some(10), None);
        assert_eq!(
            j.occupation,
            Fraction {
                num: 22_800,
                den: 49_400
            }
        );
        assert_eq!(minimum_wage(r, &j), eur("1030.90"));
        let b = work_bonus(r, &j, eur("1050.00"), eur("1000.00"));
        // Full time: A 127.54, B 171.99 (2 275.00 ≤ 2 300.62); × 228/494.
        assert_eq!(
            b,
            WorkBonus {
                a: eur("58.86"),
                b: eur("79.38")
            }
        );
        // One day: 103.09 is the floor (2 233.61 × 3 / 65 = 103.089…).
        let one = job("2026-09", Status::Artist, Contract::Daily, Some(1), None);
        assert_eq!(minimum_wage(r, &one), eur("103.09"));
    }

    #[test]
    fn structural_reduction_of_a_full_month() {
        // Q4 2026, 2 233.61 full time: S = 6 700.83; R = 0.14 × 4 986.91 + 0.16 × 3 037.31
        // = 698.1674 + 485.9696 = 1 184.137 → 1 184.14 a quarter; a third: 394.71.
        let r = rates("2026-10");
        let j = job("2026-10", Status::Employee, Contract::Cdi, None, None);
        assert_eq!(
            structural_reduction(r, &j, eur("2233.61"), eur("1000.00")),
            eur("394.71")
        );
        // Above S0 / 3 = 3 895.91 a month: nothing.
        assert_eq!(
            structural_reduction(r, &j, eur("3900.00"), eur("1000.00")),
            Money::ZERO
        );
        // Capped at the employer contributions given.
        assert_eq!(
            structural_reduction(r, &j, eur("2233.61"), eur("300.00")),
            eur("300.00")
        );
    }

    #[test]
    fn structural_reduction_multiplier_by_occupation() {
        let r = rates("2026-10");
        // Half time (82.33 h): µ = 246.99 / 494 = 0.49998 → β = 1.18.
        // S = 3 × 1 116.81 × 494 / 246.99 = 6 701.13; R = 0.14 × 4 986.61 + 0.16 × 3 037.01
        // = 698.1254 + 485.9216 = 1 184.05; R × µ × 1.18 / 3 = 232.85.
        let j = job(
            "2026-10",
            Status::Employee,
            Contract::Cdi,
            None,
            Some("82.33"),
        );
        assert_eq!(
            structural_reduction(r, &j, eur("1116.81"), eur("1000.00")),
            eur("232.85")
        );
        // 120 h: µ = 360 / 494 = 0.72874 → β = 1.18 + (µ − 0.55) × 0.28 = 1.23005.
        // S = 3 × 1 800.00 × 494 / 360 = 7 410.00; R = 0.14 × 4 277.74 + 0.16 × 2 328.14
        // = 598.8836 + 372.5024 = 971.39; R × µ × β / 3 = 290.25.
        let j = job(
            "2026-10",
            Status::Employee,
            Contract::Cdi,
            None,
            Some("120.00"),
        );
        assert_eq!(
            structural_reduction(r, &j, eur("1800.00"), eur("1000.00")),
            eur("290.25")
        );
        // From 80 % of full time: a third of R, as for full time. 140 h: S = 3 × 2 000.00 ×
        // 494 / 420 = 7 057.14; R = 0.14 × 4 630.60 + 0.16 × 2 681.00 = 648.284 + 428.96
        // = 1 077.24 → 359.08.
        let j = job(
            "2026-10",
            Status::Employee,
            Contract::Cdi,
            None,
            Some("140.00"),
        );
        assert_eq!(
            structural_reduction(r, &j, eur("2000.00"), eur("1000.00")),
            eur("359.08")
        );
        // Daily contracts: 10 days (76 h) is µ(glob) = 76 / 494 < 0.275 → nothing.
        let d = job("2026-10", Status::Employee, Contract::Daily, Some(10), None);
        assert_eq!(
            structural_reduction(r, &d, eur("1100.00"), eur("1000.00")),
            Money::ZERO
        );
        // 18 days (136.80 h ≥ 27.5 % × 494 h = 135.85 h): the proportional share R × µ / 3.
        // µ = 410.4 / 494; S = 3 × 2 000.00 × 494 / 410.4 = 7 222.22;
        // R = 0.14 × 4 465.52 + 0.16 × 2 515.92 = 625.1728 + 402.5472 = 1 027.72;
        // share = 1 027.72 × 410.4 / 494 / 3 = 284.599… → 284.60.
        let d = job("2026-10", Status::Employee, Contract::Daily, Some(18), None);
        assert_eq!(
            structural_reduction(r, &d, eur("2000.00"), eur("1000.00")),
            eur("284.60")
        );
        // 17 days (129.20 h): nothing.
        let d = job("2026-10", Status::Employee, Contract::Daily, Some(17), None);
        assert_eq!(
            structural_reduction(r, &d, eur("2000.00"), eur("1000.00")),
            Money::ZERO
        );
    }

    #[test]
    fn labels_cover_every_line_code() {
        for (code, en, fr, nl) in LABELS {
            assert!(code.starts_with("be.") && !en.is_empty() && !fr.is_empty() && !nl.is_empty());
        }
    }
}
