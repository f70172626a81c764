//! The Belgian engine against worked examples published by others, each run on a rule pack
//! that holds the parameters of the example's own period (`tests/be_official/<period>.toml`),
//! so that what is tested is the engine's algorithm, not the 2026 parameters.
//!
//! # What was looked for, and what was found
//! The project owner asked for at least 20 examples worked from official publications (ONSS
//! administrative instructions, SPF Finances key-formula documents and withholding tables,
//! Moniteur belge, CNT), each with its source. The search (November 2026) could only read stored
//! copies of public pages (each page only from its beginning) and public GitHub repositories;
//! no live page or PDF could be fetched. In those:
//!
//! - **ONSS instructions** (work bonus, structural reduction, special social security
//!   contribution): the stored pages stop before their examples; no GitHub copy of the text
//!   exists. No ONSS example with a reference wage and its result could be read.
//! - **SPF Finances key formula** (2023 to 2026): no example payslip in the parts that could be
//!   read; the document's precomputed amounts (tax at the bracket limits, tax on the exempt
//!   amount) were found for 2025 through a secondary transcription and are tested below.
//! - **SPF Finances withholding tables** (the last ones are of 2022; « Barèmes 1er janvier
//!   2021 (AR 16 décembre 2020) » is transcribed in hypered/refli.be `src/Refli/Data/Scales.hs`):
//!   not usable. They rest on the rules before 2023 (monthly pay rounded down to a multiple of
//!   15 €, family reductions deducted after the table) and the 2021 key-formula parameters
//!   (expenses cap, exempt amount, scale limits) could not be read in any source; fitting them
//!   to the table would make the test circular.
//! - **Official documents with worked examples whose body could not be read**, for whoever has
//!   web access: SPF Personnel et Organisation (PersoPoint), « Bonus à l'emploi fédéral »,
//!   14.02.2017, section 7 « Exemples » (full-time and part-time cases); SPF Finances, Trésorerie,
//!   service Paiements-Traitements, « Berekening van de nettomaandwedde van een contractueel
//!   personeelslid » (examples of the gross, RSZ, withholding and special contribution); BOSA,
//!   brochure « Werkbonus »; AgODi, « salarisinfo onderwijspersoneel - de werkbonus.pdf ».
//! - **Official salary tables with computed columns**: the Flemish Department of Education
//!   publishes, for every salary scale and index period, the monthly gross of a contractual
//!   (« tijdelijk ») teacher with its RSZ, work bonus and taxable pay, per seniority. Only the
//!   first contractual row of two scales could be read (the stored pages are cut there): two
//!   official examples of the personal contribution, below. The same pages for low scales
//!   (studiemeester-opvoeder, maatschappelijk assistent) would give official work-bonus
//!   examples; they should be fetched in full.
//!
//! So this file holds **2 official examples and 3 secondary ones** (one of them ignored, the
//! source being wrong), not 20. Every figure asserted below is the published one, to the cent.
//!
//! | id | source | period | checks |
//! |---|---|---|---|
//! | O1 | Flemish Department of Education, salary scale 313, contractual, seniority 0 | March 2025 | personal contribution |
//! | O2 | Flemish Department of Education, salary scale 316, contractual, seniority 0 | March 2025 | personal contribution |
//! | S1 | SPF Finances key formula 2025, precomputed amounts, via HRM lokaal | 2025 | progressive scale, tax on the exempt amount |
//! | S2 | HRM lokaal, worked example 3 500 € (steps 1 and 2) | 2025 | personal contribution, annual taxable pay |
//! | S3 | HRM lokaal, worked example 3 500 € (withholding) | 2025 | ignored: the source's own arithmetic is inconsistent |

use ensemble_domain::{Country, Money};
use ensemble_payroll::pack::{PackFile, PackValue, Scale};
use ensemble_payroll::{Amount, Case, Contract, EMBEDDED_FR, Engine, Payslip, Status};

/// The parameters of March 2025 (see the sources in the file).
const PACK_2025_03: PackFile<'static> = PackFile {
    name: "tests/be_official/2025-03.toml",
    text: include_str!("be_official/2025-03.toml"),
};

fn eur(s: &str) -> Money {
    s.parse().expect("an amount")
}

/// An engine whose only Belgian rules are the pack of the example's period.
fn engine(pack: PackFile<'static>) -> Engine {
    match Engine::load(EMBEDDED_FR, &[pack]) {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    }
}

/// A full-time monthly employee (a contractual teacher is declared at 100 %, as an employee),
/// taxed alone without dependants.
fn employee(month: &str, gross: &str) -> Case {
    let mut case = Case::new(
        Country::Be,
        month.parse().expect("a month"),
        Amount::Gross(eur(gross)),
    );
    case.status = Some(Status::Employee);
    case.contract = Some(Contract::Cdi);
    case.children = Some(0);
    case
}

fn compute(engine: &Engine, case: &Case) -> Payslip {
    match engine.compute(case) {
        Ok(p) => p,
        Err(e) => panic!("{case:?}: {e}"),
    }
}

fn employee_amount(p: &Payslip, code: &str) -> Money {
    p.line(code).map_or(Money::ZERO, |l| l.employee_amount)
}

/// The value of one parameter of a pack file, parsed as the engine parses it.
fn pack_value<T: PackValue>(pack: PackFile<'_>, name: &str) -> T {
    let table: toml::Table = match pack.text.parse() {
        Ok(t) => t,
        Err(e) => panic!("{}: {e}", pack.name),
    };
    let value = table
        .get("params")
        .and_then(|p| p.get(name))
        .and_then(|p| p.get("value"))
        .unwrap_or_else(|| panic!("{}: no single `value` for `{name}`", pack.name));
    match T::parse(value) {
        Ok(v) => v,
        Err(e) => panic!("{}: `{name}`: {e}", pack.name),
    }
}

// ----------------------------------------------------------------------------------------------
// Official: Flemish Department of Education (Vlaamse overheid, Departement Onderwijs en Vorming),
// « Salarisschalen », data-onderwijs.vlaanderen.be/salaris/schalen/barema.aspx, scales « geldig
// vanaf 01/03/2025 », table « tijdelijk » (contractual staff): seniority, annual salary at 100 %,
// monthly salary, household and residence allowances, FOP, RSZ, work bonus, taxable pay. A
// contractual member of staff of a public employer pays the personal contribution of 13.07 % on
// 100 % of the pay (ONSS instructions), as an employee of this engine does.
// ----------------------------------------------------------------------------------------------

/// O1. Scale 313 (minimum 18 760,47 a year at 100 %), seniority 0, no household or residence
/// allowance: monthly salary 3 317,95, RSZ 433,66.
/// Source: https://data-onderwijs.vlaanderen.be/salaris/schalen/barema.aspx?nr=313&p=20250301,
/// table « tijdelijk », first row (read on the stored copy of the page).
/// Checks: the personal contribution, 13.07 % of 3 317.95 = 433.656… rounded half up.
#[test]
fn o1_flemish_education_scale_313_contractual_march_2025() {
    let e = engine(PACK_2025_03);
    let p = compute(&e, &employee("2025-03", "3317.95"));
    assert_eq!(employee_amount(&p, "be.social_security"), eur("433.66"));
}

/// O2. Scale 316 (« leraar », minimum 22 745,51 a year at 100 %), seniority 0, no allowance:
/// monthly salary 4 022,73, RSZ 525,77.
/// Source: https://data-onderwijs.vlaanderen.be/salaris/schalen/barema.aspx?nr=316 (« geldig
/// vanaf 01/03/2025 »), table « tijdelijk », first row.
/// Checks: the personal contribution, 13.07 % of 4 022.73 = 525.770… rounded to the cent.
#[test]
fn o2_flemish_education_scale_316_contractual_march_2025() {
    let e = engine(PACK_2025_03);
    let p = compute(&e, &employee("2025-03", "4022.73"));
    assert_eq!(employee_amount(&p, "be.social_security"), eur("525.77"));
}

// ----------------------------------------------------------------------------------------------
// Secondary: HRM lokaal, « Bedrijfsvoorheffing – schalen », « Sleutelformule vanaf 1 januari
// 2025 », https://hrmjuridisch.hrmlokaal.be/cijfers-bedragen/b-c-d-e/bedrijfsvoorheffing/schalen
// (a site for the staff services of Flemish local governments, not the SPF itself). It quotes
// the precomputed amounts of the SPF Finances key formula for 2025 and works one example.
// ----------------------------------------------------------------------------------------------

/// S1. The precomputed amounts of the 2025 key formula, as quoted: the basic tax is « 9 704,37
/// euro + 48,15 % op de schijf boven 28 790 euro », less « 2 915,75 euro (zijnde de belasting
/// op een belastingvrije som ten bedrage van 10 900 euro) ».
/// Checks: the engine's progressive scale (each slice rounded to the cent, as the key formula
/// does) reproduces both published amounts from the 2025 pack's scale. Only the second is an
/// independent check: the source does not state the first limit of the scale, and the pack's
/// 16 310,00 was derived from the published 9 704,37 (no other multiple of 10 € gives it), so
/// the first assertion only confirms that derivation and the per-slice rounding.
#[test]
fn s1_key_formula_2025_precomputed_amounts() {
    let scale: Scale = pack_value(PACK_2025_03, "tax_scale");
    assert_eq!(scale.progressive(eur("28790.00")), eur("9704.37"));
    let exempt: Money = pack_value(PACK_2025_03, "tax_exempt_amount");
    assert_eq!(exempt, eur("10900.00"));
    assert_eq!(scale.progressive(exempt), eur("2915.75"));
}

/// S2. The worked example, steps 1 and 2: « 3500 euro * 12 - RSZ bijdragen = 36510,6 euro »,
/// then « 36510,6 euro > 19766,67; dus – 5930 euro ».
/// Checks: the personal contribution of a 3 500.00 gross (457.45, no work bonus at that pay)
/// and the annual taxable pay 12 × 3 042.55 = 36 510.60.
#[test]
fn s2_hrm_lokaal_3500_gross_taxable_pay_2025() {
    let e = engine(PACK_2025_03);
    let p = compute(&e, &employee("2025-03", "3500.00"));
    assert_eq!(employee_amount(&p, "be.social_security"), eur("457.45"));
    assert!(p.line("be.work_bonus_a").is_none() && p.line("be.work_bonus_b").is_none());
    assert_eq!(p.totals.net_taxable.times(12), eur("36510.60"));
}

/// S3. The same example's result: « De maandelijkse bedrijfsvoorheffing bedraagt in
/// bovenstaand voorbeeld 644,78 euro ».
/// Not an engine defect: the source subtracts 5 930 from 36 510,60 and writes 30 760,60 (the
/// difference is 30 580,60; 30 760,60 is what the 2024 cap of 5 750 would leave), then adds
/// 9 704,37 and 948,84 into 10 653,18 (10 653,21) and divides 7 737,43 by 12 into 644,78
/// (644,79). On the parameters it states, the key formula gives 9 704,37 + 48,15 % × 1 790,60
/// = 10 566,54, less 2 915,75 = 7 650,79, / 12 = 637,57, which is what the engine computes.
#[test]
#[ignore = "secondary source inconsistent with its own figures (30 760,60 for 36 510,60 − 5 930); the engine gives 637.57 on the stated 2025 parameters"]
fn s3_hrm_lokaal_3500_gross_withholding_2025() {
    let e = engine(PACK_2025_03);
    let p = compute(&e, &employee("2025-03", "3500.00"));
    assert_eq!(p.totals.withholding_tax, eur("644.78"));
}
