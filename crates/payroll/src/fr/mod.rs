//! France: a private-sector employee's monthly payslip.
//!
//! The parameters live in `rules/fr/<year>.toml`; this module holds the formulas. Lines follow
//! the order of the *bulletin de paie clarifié* (arrêté du 25 février 2016): health, work
//! accidents, retirement, family, unemployment, other employer contributions, CSG/CRDS, the
//! employer reduction, then income tax withheld at source.

use ensemble_domain::{Country, Money, Month, Rate};

use crate::labels::LabelRow;
use crate::model::{
    Case, Contract, DEFAULT_HEADCOUNT, Line, LineKind, PayrollError, Payslip, Status,
};
use crate::pack::{Code, Count, Factor, Hours, Scale};

crate::rule_params! {
    FrParams => FrRates {
        /// SMIC, hourly gross.
        smic_hourly: Money,
        /// Monthly legal working time, in hours (35 h × 52 / 12, written 151.67 on payslips).
        legal_monthly_hours: Hours,
        /// Absolute weekly maximum of working time (Code du travail L3121-20).
        max_weekly_hours: Hours,
        /// Plafond mensuel de la sécurité sociale.
        pss_monthly: Money,
        health_employer: Rate,
        /// Reduced employer health rate below `health_reduced_ceiling` × SMIC (until 2025).
        health_reduced_employer: Option<Rate>,
        health_reduced_ceiling: Option<Factor>,
        alsace_moselle_health_employee: Rate,
        old_age_capped_employee: Rate,
        old_age_capped_employer: Rate,
        old_age_uncapped_employee: Rate,
        old_age_uncapped_employer: Rate,
        family_employer: Rate,
        /// Reduced family rate below `family_reduced_ceiling` × SMIC (until 2025).
        family_reduced_employer: Option<Rate>,
        family_reduced_ceiling: Option<Factor>,
        /// SMIC hourly the reduced health and family rates compare pay with (frozen for 2025).
        reduced_rates_smic_hourly: Option<Money>,
        /// Work-accident rate when the employer gives none.
        accident_default: Rate,
        solidarity_autonomy_employer: Rate,
        pension_t1_employee: Rate,
        pension_t1_employer: Rate,
        pension_t2_employee: Rate,
        pension_t2_employer: Rate,
        balance_t1_employee: Rate,
        balance_t1_employer: Rate,
        balance_t2_employee: Rate,
        balance_t2_employer: Rate,
        technical_balance_employee: Rate,
        technical_balance_employer: Rate,
        /// Upper limit of tranche 2 (AGIRC-ARRCO, CEG, CET), in PSS.
        tranche_2_ceiling: Factor,
        apec_employee: Rate,
        apec_employer: Rate,
        apec_ceiling: Factor,
        /// Death and disability cover of cadres, employer minimum on tranche 1.
        executive_cover_employer: Rate,
        unemployment_employer: Rate,
        unemployment_ceiling: Factor,
        ags_employer: Rate,
        ags_ceiling: Factor,
        housing_small_employer: Rate,
        housing_large_employer: Rate,
        housing_headcount: Count,
        training_small_employer: Rate,
        training_large_employer: Rate,
        training_headcount: Count,
        apprenticeship_tax_employer: Rate,
        /// Apprenticeship tax in Bas-Rhin, Haut-Rhin and Moselle.
        apprenticeship_tax_alsace_moselle_employer: Rate,
        apprenticeship_extra_employer: Rate,
        apprenticeship_extra_large_employer: Rate,
        apprenticeship_extra_headcount: Count,
        apprenticeship_extra_large_headcount: Count,
        /// Share of the additional apprenticeship contribution due in Alsace-Moselle.
        apprenticeship_extra_alsace_moselle_share: Factor,
        social_dialogue_employer: Rate,
        construction_employer: Rate,
        construction_headcount: Count,
        forfait_social_cover: Rate,
        forfait_social_headcount: Count,
        mobility_headcount: Count,
        fixed_term_training_employer: Rate,
        end_of_contract_indemnity: Rate,
        csg_base_share: Rate,
        /// The 1.75 % allowance of the CSG base stops above this many PSS.
        csg_allowance_ceiling: Factor,
        csg_deductible: Rate,
        csg_non_deductible: Rate,
        crds: Rate,
        /// `fillon` (réduction générale until 2025) or `rgdu` (réduction générale dégressive
        /// unique from 2026).
        reduction_formula: Code,
        reduction_smic_hourly: Money,
        reduction_headcount: Count,
        /// Fillon: maximum coefficient T below / from the headcount threshold.
        reduction_t_small: Option<Rate>,
        reduction_t_large: Option<Rate>,
        /// Fillon: pay ceiling in SMIC (1.6). RGDU: exit threshold in SMIC (3).
        reduction_ceiling: Factor,
        /// RGDU: minimum rate, delta rates and power.
        reduction_t_min: Option<Rate>,
        reduction_t_delta_small: Option<Rate>,
        reduction_t_delta_large: Option<Rate>,
        reduction_power: Option<Factor>,
        /// Withholding-tax neutral-rate grid (taux neutre, métropole) on the monthly base.
        tax_neutral_grid: Scale,
        /// Allowance on the base for contracts of at most two months under the neutral rate.
        tax_short_contract_allowance: Money,
    }
}

/// Line wording. French labels follow the bulletin clarifié.
pub(crate) const LABELS: &[LabelRow] = &[
    (
        "fr.base_salary",
        "Base salary",
        "Salaire de base",
        "Basisloon",
    ),
    (
        "fr.end_of_contract",
        "End-of-contract indemnity (10 %)",
        "Indemnité de fin de contrat",
        "Vergoeding einde contract",
    ),
    (
        "fr.health",
        "Health, maternity, disability, death",
        "Sécurité sociale - Maladie Maternité Invalidité Décès",
        "Ziekte, moederschap, invaliditeit, overlijden",
    ),
    (
        "fr.health_alsace_moselle",
        "Health, Alsace-Moselle scheme",
        "Complément Alsace-Moselle",
        "Ziekte, regeling Elzas-Moezel",
    ),
    (
        "fr.executive_cover",
        "Death and disability cover (cadres)",
        "Complémentaire Incapacité Invalidité Décès (cadres)",
        "Overlijdens- en invaliditeitsdekking (kaderleden)",
    ),
    (
        "fr.work_accident",
        "Work accidents and occupational diseases",
        "Accidents du travail - Maladies professionnelles",
        "Arbeidsongevallen en beroepsziekten",
    ),
    (
        "fr.old_age_capped",
        "Old age, capped",
        "Sécurité sociale plafonnée",
        "Ouderdom, begrensd",
    ),
    (
        "fr.old_age_uncapped",
        "Old age, uncapped",
        "Sécurité sociale déplafonnée",
        "Ouderdom, onbegrensd",
    ),
    (
        "fr.pension_t1",
        "Supplementary pension AGIRC-ARRCO, tranche 1",
        "Complémentaire Tranche 1",
        "Aanvullend pensioen AGIRC-ARRCO, schijf 1",
    ),
    (
        "fr.pension_t2",
        "Supplementary pension AGIRC-ARRCO, tranche 2",
        "Complémentaire Tranche 2",
        "Aanvullend pensioen AGIRC-ARRCO, schijf 2",
    ),
    (
        "fr.balance_t1",
        "General balance contribution (CEG), tranche 1",
        "Contribution d'équilibre général Tranche 1",
        "Algemene evenwichtsbijdrage (CEG), schijf 1",
    ),
    (
        "fr.balance_t2",
        "General balance contribution (CEG), tranche 2",
        "Contribution d'équilibre général Tranche 2",
        "Algemene evenwichtsbijdrage (CEG), schijf 2",
    ),
    (
        "fr.technical_balance",
        "Technical balance contribution (CET)",
        "Contribution d'équilibre technique",
        "Technische evenwichtsbijdrage (CET)",
    ),
    ("fr.apec", "APEC (cadres)", "APEC", "APEC (kaderleden)"),
    ("fr.family", "Family allowances", "Famille", "Kinderbijslag"),
    (
        "fr.unemployment",
        "Unemployment insurance",
        "Assurance chômage",
        "Werkloosheidsverzekering",
    ),
    (
        "fr.ags",
        "Wage guarantee (AGS)",
        "AGS",
        "Loongarantie (AGS)",
    ),
    (
        "fr.solidarity_autonomy",
        "Solidarity contribution for autonomy (CSA)",
        "Contribution solidarité autonomie",
        "Solidariteitsbijdrage autonomie (CSA)",
    ),
    (
        "fr.housing",
        "Housing fund (FNAL)",
        "FNAL",
        "Huisvestingsfonds (FNAL)",
    ),
    (
        "fr.training",
        "Vocational training",
        "Formation professionnelle",
        "Beroepsopleiding",
    ),
    (
        "fr.apprenticeship_tax",
        "Apprenticeship tax",
        "Taxe d'apprentissage",
        "Leerlingwezenbelasting",
    ),
    (
        "fr.apprenticeship_extra",
        "Additional apprenticeship contribution",
        "Contribution supplémentaire à l'apprentissage",
        "Aanvullende leerlingwezenbijdrage",
    ),
    (
        "fr.social_dialogue",
        "Social dialogue contribution",
        "Contribution au dialogue social",
        "Bijdrage sociale dialoog",
    ),
    (
        "fr.construction",
        "Construction effort (PEEC)",
        "Participation à l'effort de construction",
        "Bijdrage woningbouw (PEEC)",
    ),
    (
        "fr.mobility",
        "Mobility levy",
        "Versement mobilité",
        "Mobiliteitsheffing",
    ),
    (
        "fr.forfait_social",
        "Forfait social on death and disability cover",
        "Forfait social",
        "Forfait social op dekking",
    ),
    (
        "fr.fixed_term_training",
        "Training contribution on fixed-term contracts (CPF-CDD)",
        "Contribution CPF-CDD",
        "Opleidingsbijdrage contracten bepaalde duur",
    ),
    (
        "fr.csg_deductible",
        "CSG, deductible from income tax",
        "CSG déductible de l'impôt sur le revenu",
        "CSG, aftrekbaar",
    ),
    (
        "fr.csg_crds_non_deductible",
        "CSG, not deductible",
        "CSG non déductible de l'impôt sur le revenu",
        "CSG, niet aftrekbaar",
    ),
    (
        "fr.crds",
        "CRDS, not deductible",
        "CRDS non déductible de l'impôt sur le revenu",
        "CRDS, niet aftrekbaar",
    ),
    (
        "fr.general_reduction",
        "General reduction of employer contributions",
        "Réduction générale des cotisations patronales",
        "Algemene vermindering werkgeversbijdragen",
    ),
    (
        "fr.withholding_tax",
        "Income tax withheld at source",
        "Impôt sur le revenu prélevé à la source",
        "Bronheffing inkomstenbelasting",
    ),
];

/// A French employment, checked: everything the formulas need besides the gross.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    month: Month,
    status: Status,
    contract: Contract,
    /// Paid hours when part time; `None` for full time.
    part_time_hours: Option<Hours>,
    headcount: u32,
    accident_rate: Rate,
    mobility_rate: Rate,
    tax_rate: Option<Rate>,
    alsace_moselle: bool,
    short_contract: bool,
}

impl Job {
    pub(crate) fn from_case(case: &Case, r: &FrRates) -> Result<Job, PayrollError> {
        let status = match case.status.unwrap_or(Status::NonCadre) {
            s @ (Status::NonCadre | Status::Cadre) => s,
            other => {
                return Err(PayrollError::invalid(
                    "status",
                    format!("\"{other}\" is a Belgian status; in France use non-cadre or cadre"),
                ));
            }
        };
        let contract = match case.contract.unwrap_or(Contract::Cdi) {
            Contract::Daily => {
                return Err(PayrollError::invalid(
                    "contract",
                    "daily contracts are Belgian; in France use cdi, cdd or cdd-usage",
                ));
            }
            c => c,
        };
        if case.days.is_some() {
            return Err(PayrollError::invalid(
                "days",
                "days apply to Belgian daily contracts; in France give part-time hours",
            ));
        }
        let legal = r.legal_monthly_hours.0;
        let part_time_hours = match case.hours {
            None => None,
            Some(h) => {
                // 48 h a week over the 52/12 weeks of an average month.
                let max = r.max_weekly_hours.0 * 52 / 12;
                if h.0 > max {
                    return Err(PayrollError::invalid(
                        "hours",
                        format!(
                            "{} h a month exceeds the legal maximum of {} h a week ({} h a month, Code du travail L3121-20)",
                            Money::from_cents(h.0),
                            Money::from_cents(r.max_weekly_hours.0),
                            Money::from_cents(max)
                        ),
                    ));
                }
                if h.0 > legal {
                    return Err(PayrollError::invalid(
                        "hours",
                        format!(
                            "{} h is above the legal {} h a month; overtime is not computed: give the contract's hours",
                            Money::from_cents(h.0),
                            Money::from_cents(legal)
                        ),
                    ));
                }
                (h.0 < legal).then_some(h)
            }
        };
        let check_rate = |field: &'static str, rate: Option<Rate>, default: Rate| {
            let r = rate.unwrap_or(default);
            if r.ppm() < 0 || r.ppm() > 300_000 {
                Err(PayrollError::invalid(
                    field,
                    format!("{r} % is not a plausible rate"),
                ))
            } else {
                Ok(r)
            }
        };
        let accident_rate = check_rate("accident_rate", case.accident_rate, r.accident_default)?;
        let mobility_rate = check_rate("mobility_rate", case.mobility_rate, Rate::ZERO)?;
        let tax_rate = case
            .tax_rate
            .map(|t| check_rate("tax_rate", Some(t), Rate::ZERO))
            .transpose()?;
        if tax_rate.is_some() && case.short_contract {
            return Err(PayrollError::invalid(
                "short_contract",
                "the short-contract allowance applies only under the neutral rate, not with a personal tax rate",
            ));
        }
        Ok(Job {
            month: case.month,
            status,
            contract,
            part_time_hours,
            headcount: case.headcount.unwrap_or(DEFAULT_HEADCOUNT),
            accident_rate,
            mobility_rate,
            tax_rate,
            alsace_moselle: case.alsace_moselle,
            short_contract: case.short_contract,
        })
    }

    /// Hours of the month's SMIC comparison: the contract's, or the legal month.
    fn hours(&self, r: &FrRates) -> i64 {
        self.part_time_hours
            .map_or(r.legal_monthly_hours.0, |h| h.0)
    }
}

/// The SMIC for the hours of the contract: SMIC × 35 h × 52 / 12 for full time (the monthly
/// SMIC the decree publishes), SMIC × hours for part time.
fn smic_for(hourly: Money, job: &Job) -> Money {
    match job.part_time_hours {
        None => hourly.prorate(35 * 52, 12),
        Some(h) => hourly.prorate(h.0, 100),
    }
}

/// The lowest gross the law allows at or above `g`: the SMIC for the contract's hours.
pub(crate) fn floor(r: &FrRates, job: &Job, g: Money) -> Money {
    g.max(smic_for(r.smic_hourly, job))
}

/// The month's payslip for a base gross of `base`.
pub(crate) fn payslip(r: &FrRates, job: &Job, base: Money) -> Result<Payslip, PayrollError> {
    let smic = smic_for(r.smic_hourly, job);
    if base < smic {
        return Err(PayrollError::invalid(
            "gross",
            format!(
                "{base} is below the SMIC for {} h ({smic}); a French salary cannot be lower",
                Money::from_cents(job.hours(r))
            ),
        ));
    }
    let mut lines = Vec::with_capacity(34);
    let earning = |code, amount: Money| Line {
        code,
        kind: LineKind::Earning,
        base: amount,
        employee_rate: None,
        employee_amount: amount,
        employer_rate: None,
        employer_amount: Money::ZERO,
        deductible: true,
    };
    lines.push(earning("fr.base_salary", base));
    let indemnity = if job.contract == Contract::Cdd {
        r.end_of_contract_indemnity.of(base)
    } else {
        Money::ZERO
    };
    if indemnity.is_positive() {
        lines.push(earning("fr.end_of_contract", indemnity));
    }
    let gross = base + indemnity;

    // The ceiling, prorated for part time (CSS R242-7), never above the full one.
    let pss = match job.part_time_hours {
        None => r.pss_monthly,
        Some(h) => r
            .pss_monthly
            .prorate(h.0, r.legal_monthly_hours.0)
            .min(r.pss_monthly),
    };
    let t1 = gross.min(pss);
    let up_to_t2 = gross.min(r.tranche_2_ceiling.of(pss));
    let t2 = up_to_t2.excess_over(pss);
    let cadre = job.status == Status::Cadre;
    let n = job.headcount;

    let mut both = |code, base: Money, employee: Rate, employer: Rate| {
        if base.is_positive() {
            lines.push(Line {
                code,
                kind: LineKind::Contribution,
                base,
                employee_rate: (!employee.is_zero()).then_some(employee),
                employee_amount: employee.of(base),
                employer_rate: (!employer.is_zero()).then_some(employer),
                employer_amount: employer.of(base),
                deductible: true,
            });
        }
    };

    // Health: the 2025 reduced rate applies up to a multiple of the SMIC frozen on 1 January.
    let reduced = |rate: Option<Rate>, ceiling: Option<Factor>, normal: Rate| match (
        rate,
        ceiling,
        r.reduced_rates_smic_hourly,
    ) {
        (Some(rate), Some(ceiling), Some(smic)) if at_most(gross, ceiling, smic, job, r) => rate,
        _ => normal,
    };
    let health = reduced(
        r.health_reduced_employer,
        r.health_reduced_ceiling,
        r.health_employer,
    );
    both("fr.health", gross, Rate::ZERO, health);
    if job.alsace_moselle {
        both(
            "fr.health_alsace_moselle",
            gross,
            r.alsace_moselle_health_employee,
            Rate::ZERO,
        );
    }
    if cadre {
        both(
            "fr.executive_cover",
            t1,
            Rate::ZERO,
            r.executive_cover_employer,
        );
    }
    both("fr.work_accident", gross, Rate::ZERO, job.accident_rate);
    both(
        "fr.old_age_capped",
        t1,
        r.old_age_capped_employee,
        r.old_age_capped_employer,
    );
    both(
        "fr.old_age_uncapped",
        gross,
        r.old_age_uncapped_employee,
        r.old_age_uncapped_employer,
    );
    both(
        "fr.pension_t1",
        t1,
        r.pension_t1_employee,
        r.pension_t1_employer,
    );
    both(
        "fr.pension_t2",
        t2,
        r.pension_t2_employee,
        r.pension_t2_employer,
    );
    both(
        "fr.balance_t1",
        t1,
        r.balance_t1_employee,
        r.balance_t1_employer,
    );
    both(
        "fr.balance_t2",
        t2,
        r.balance_t2_employee,
        r.balance_t2_employer,
    );
    if gross > pss {
        both(
            "fr.technical_balance",
            up_to_t2,
            r.technical_balance_employee,
            r.technical_balance_employer,
        );
    }
    if cadre {
        both(
            "fr.apec",
            gross.min(r.apec_ceiling.of(pss)),
            r.apec_employee,
            r.apec_employer,
        );
    }
    let family = reduced(
        r.family_reduced_employer,
        r.family_reduced_ceiling,
        r.family_employer,
    );
    both("fr.family", gross, Rate::ZERO, family);
    both(
        "fr.unemployment",
        gross.min(r.unemployment_ceiling.of(pss)),
        Rate::ZERO,
        r.unemployment_employer,
    );
    both(
        "fr.ags",
        gross.min(r.ags_ceiling.of(pss)),
        Rate::ZERO,
        r.ags_employer,
    );
    both(
        "fr.solidarity_autonomy",
        gross,
        Rate::ZERO,
        r.solidarity_autonomy_employer,
    );
    if n < r.housing_headcount.0 {
        both("fr.housing", t1, Rate::ZERO, r.housing_small_employer);
    } else {
        both("fr.housing", gross, Rate::ZERO, r.housing_large_employer);
    }
    let training = if n < r.training_headcount.0 {
        r.training_small_employer
    } else {
        r.training_large_employer
    };
    both("fr.training", gross, Rate::ZERO, training);
    let (apprenticeship, extra_share) = if job.alsace_moselle {
        (
            r.apprenticeship_tax_alsace_moselle_employer,
            r.apprenticeship_extra_alsace_moselle_share,
        )
    } else {
        (r.apprenticeship_tax_employer, Factor::ONE)
    };
    both("fr.apprenticeship_tax", gross, Rate::ZERO, apprenticeship);
    let extra = if n >= r.apprenticeship_extra_large_headcount.0 {
        r.apprenticeship_extra_large_employer
    } else if n >= r.apprenticeship_extra_headcount.0 {
        r.apprenticeship_extra_employer
    } else {
        Rate::ZERO
    };
    if !extra.is_zero() {
        let extra = Rate::from_ppm(extra.ppm() * extra_share.0 / 1_000_000);
        both("fr.apprenticeship_extra", gross, Rate::ZERO, extra);
    }
    both(
        "fr.social_dialogue",
        gross,
        Rate::ZERO,
        r.social_dialogue_employer,
    );
    if n >= r.construction_headcount.0 {
        both(
            "fr.construction",
            gross,
            Rate::ZERO,
            r.construction_employer,
        );
    }
    if n >= r.mobility_headcount.0 && !job.mobility_rate.is_zero() {
        both("fr.mobility", gross, Rate::ZERO, job.mobility_rate);
    }
    if cadre && n >= r.forfait_social_headcount.0 {
        let cover = r.executive_cover_employer.of(t1);
        both(
            "fr.forfait_social",
            cover,
            Rate::ZERO,
            r.forfait_social_cover,
        );
    }
    if matches!(job.contract, Contract::Cdd | Contract::CddUsage) {
        both(
            "fr.fixed_term_training",
            gross,
            Rate::ZERO,
            r.fixed_term_training_employer,
        );
    }

    // CSG and CRDS on 98.25 % of pay up to 4 PSS (the ceiling of the contract, prorated for
    // part time), 100 % above.
    let allowance_ceiling = r.csg_allowance_ceiling.of(pss);
    let csg_base =
        r.csg_base_share.of(gross.min(allowance_ceiling)) + gross.excess_over(allowance_ceiling);
    both("fr.csg_deductible", csg_base, r.csg_deductible, Rate::ZERO);
    let mut non_deductible = |code, rate: Rate| {
        lines.push(Line {
            code,
            kind: LineKind::Contribution,
            base: csg_base,
            employee_rate: Some(rate),
            employee_amount: rate.of(csg_base),
            employer_rate: None,
            employer_amount: Money::ZERO,
            deductible: false,
        });
    };
    non_deductible("fr.csg_crds_non_deductible", r.csg_non_deductible);
    non_deductible("fr.crds", r.crds);

    let coefficient = reduction_coefficient(r, job, gross);
    if coefficient.is_positive() {
        let reduction = Rate::from_ppm(coefficient.0).of(gross);
        lines.push(Line {
            code: "fr.general_reduction",
            kind: LineKind::Relief,
            base: gross,
            employee_rate: None,
            employee_amount: Money::ZERO,
            employer_rate: Some(Rate::from_ppm(-coefficient.0)),
            employer_amount: -reduction,
            deductible: true,
        });
    }

    let mut slip = Payslip::from_lines(Country::Fr, job.month, job.status, job.contract, lines);
    // Withholding tax on the net taxable pay: the personal rate, else the neutral grid on the
    // base less the short-contract allowance.
    let taxable = slip.totals.net_taxable;
    let (base, rate) = match job.tax_rate {
        Some(rate) => (taxable, rate),
        None => {
            let base = if job.short_contract {
                taxable.excess_over(r.tax_short_contract_allowance)
            } else {
                taxable
            };
            (base, r.tax_neutral_grid.rate_for(base))
        }
    };
    let tax = rate.of(base);
    slip.lines.push(Line {
        code: "fr.withholding_tax",
        kind: LineKind::Tax,
        base,
        employee_rate: Some(rate),
        employee_amount: tax,
        employer_rate: None,
        employer_amount: Money::ZERO,
        deductible: true,
    });
    slip.totals.withholding_tax = tax;
    slip.totals.net_paid = slip.totals.net_before_tax - tax;
    Ok(slip)
}

/// The SMIC of the month for contribution purposes, in hundredths of a cent: the hourly SMIC
/// × the contract's hours (151.67 for a full month, as payslips and the monthly computation of
/// the reductions count it).
fn smic_x100(hourly: Money, job: &Job, r: &FrRates) -> i128 {
    i128::from(hourly.cents()) * i128::from(job.hours(r))
}

/// Whether `gross` is at most `ceiling` × the month's SMIC at `hourly`, exactly.
fn at_most(gross: Money, ceiling: Factor, hourly: Money, job: &Job, r: &FrRates) -> bool {
    i128::from(gross.cents()) * 100 * 1_000_000 <= i128::from(ceiling.0) * smic_x100(hourly, job, r)
}

/// A coefficient in millionths, already rounded to four decimals as the law requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Coefficient(i64);

impl Coefficient {
    fn is_positive(self) -> bool {
        self.0 > 0
    }
}

/// The general reduction's coefficient for the month (CSS L241-13, D241-7), computed on the
/// month alone (the *anticipated* method, without year-end regularisation).
fn reduction_coefficient(r: &FrRates, job: &Job, gross: Money) -> Coefficient {
    let smic_x100 = smic_x100(r.reduction_smic_hourly, job, r);
    let g_x100 = i128::from(gross.cents()) * 100;
    let large = job.headcount >= r.reduction_headcount.0;
    let ceiling = i128::from(r.reduction_ceiling.0); // millionths of SMIC
    match r.reduction_formula.0.as_str() {
        "fillon" => {
            let t = if large {
                r.reduction_t_large
            } else {
                r.reduction_t_small
            };
            let Some(t) = t else { return Coefficient(0) };
            // C = T / (ceiling − 1) × (ceiling × SMIC / gross − 1), capped at T.
            // In millionths: T × (ceiling·SMIC − 10⁶·gross) / ((ceiling − 10⁶)·gross).
            let num = i128::from(t.ppm()) * (ceiling * smic_x100 - 1_000_000 * g_x100);
            let den = (ceiling - 1_000_000) * g_x100;
            if num <= 0 || den <= 0 {
                return Coefficient(0);
            }
            Coefficient(round_to_4_decimals(num, den).min(t.ppm()))
        }
        "rgdu" => {
            let (Some(t_min), Some(power)) = (r.reduction_t_min, r.reduction_power) else {
                return Coefficient(0);
            };
            let delta = if large {
                r.reduction_t_delta_large
            } else {
                r.reduction_t_delta_small
            };
            let Some(delta) = delta else {
                return Coefficient(0);
            };
            // Nothing from `ceiling` × SMIC up (3 SMIC).
            if 1_000_000 * g_x100 >= ceiling * smic_x100 {
                return Coefficient(0);
            }
            // C = Tmin + Tdelta × [½ × (3 × SMIC / gross − 1)]^P, rounded to four decimals,
            // capped at Tmin + Tdelta. The power is a real exponent: the coefficient, not an
            // amount of money, is computed in floating point, then rounded to 4 decimals as
            // the law says; amounts stay integer cents.
            let x = ((3 * smic_x100) as f64 / g_x100 as f64 - 1.0) / 2.0;
            let x = x.clamp(0.0, 1.0);
            let part = delta.ppm() as f64 * x.powf(power.as_f64());
            let rounded = (part / 100.0).round() as i64 * 100;
            Coefficient((t_min.ppm() + rounded).min(t_min.ppm() + delta.ppm()))
        }
        _ => Coefficient(0),
    }
}

/// `num / den` in millionths rounded half up to the nearest hundred (four decimals).
fn round_to_4_decimals(num: i128, den: i128) -> i64 {
    let hundreds = (2 * num + den * 100) / (2 * den * 100);
    (hundreds * 100) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_coefficients_half_up_to_four_decimals() {
        assert_eq!(round_to_4_decimals(17_345_000, 100), 173_500);
        assert_eq!(round_to_4_decimals(17_344_999, 100), 173_400);
    }
}
