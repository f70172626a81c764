//! The engine: the loaded rule packs of every country, and the three computations
//! (gross → payslip, net → gross, budget → gross).

use std::path::Path;
use std::sync::OnceLock;

use ensemble_domain::{Country, Money, Month};

use crate::be::BeParams;
use crate::fr::FrParams;
use crate::model::{Amount, Case, PayrollError, Payslip};
use crate::pack::{CountryRules, PackError, PackFile, PackSummary, ParamInfo};

/// The rule packs compiled into the binary. `ensemble payroll rules` lists them.
pub const EMBEDDED_FR: &[PackFile<'static>] = &[
    PackFile {
        name: "rules/fr/2025.toml",
        text: include_str!("../rules/fr/2025.toml"),
    },
    PackFile {
        name: "rules/fr/2026.toml",
        text: include_str!("../rules/fr/2026.toml"),
    },
];

pub const EMBEDDED_BE: &[PackFile<'static>] = &[PackFile {
    name: "rules/be/2026.toml",
    text: include_str!("../rules/be/2026.toml"),
}];

/// The largest monthly gross, net or budget the engine accepts.
pub const MAX_AMOUNT: Money = Money::from_euros(1_000_000);

/// Loaded, checked rule packs for every country.
#[derive(Clone, Debug)]
pub struct Engine {
    pub(crate) fr: CountryRules<FrParams>,
    pub(crate) be: CountryRules<BeParams>,
}

impl Engine {
    /// The engine on the rule packs compiled into the binary, loaded once.
    pub fn embedded() -> &'static Engine {
        static ENGINE: OnceLock<Engine> = OnceLock::new();
        ENGINE.get_or_init(|| {
            // The embedded packs are checked by the test suite; failing here is a build defect.
            Engine::load(EMBEDDED_FR, EMBEDDED_BE).expect("the embedded rule packs are valid")
        })
    }

    /// An engine on the given pack files.
    pub fn load(fr: &[PackFile<'_>], be: &[PackFile<'_>]) -> Result<Engine, PackError> {
        Ok(Engine {
            fr: CountryRules::load(Country::Fr, fr)?,
            be: CountryRules::load(Country::Be, be)?,
        })
    }

    /// An engine on the packs of a directory laid out like the embedded one:
    /// `DIR/fr/*.toml` and `DIR/be/*.toml`.
    pub fn from_dir(dir: &Path) -> Result<Engine, PackError> {
        let read = |country: Country| -> Result<Vec<(String, String)>, PackError> {
            let sub = dir.join(country.slug());
            let entries = std::fs::read_dir(&sub).map_err(|e| {
                PackError::new(&sub.display().to_string(), format!("cannot read: {e}"))
            })?;
            let mut files = Vec::new();
            for entry in entries {
                let path = entry
                    .map_err(|e| PackError::new(&sub.display().to_string(), e.to_string()))?
                    .path();
                if path.extension().is_some_and(|x| x == "toml") {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        PackError::new(&path.display().to_string(), format!("cannot read: {e}"))
                    })?;
                    files.push((path.display().to_string(), text));
                }
            }
            files.sort();
            Ok(files)
        };
        let fr = read(Country::Fr)?;
        let be = read(Country::Be)?;
        Engine::load(&view(&fr), &view(&be))
    }

    /// Computes the payslip a case describes.
    pub fn compute(&self, case: &Case) -> Result<Payslip, PayrollError> {
        check_amount(case.amount)?;
        match case.country {
            Country::Fr => {
                let rates = self.rules_fr(case.month)?;
                let job = crate::fr::Job::from_case(case, rates)?;
                solve(
                    case.amount,
                    |gross| crate::fr::payslip(rates, &job, gross),
                    |g| crate::fr::floor(rates, &job, g),
                )
            }
            Country::Be => {
                let rates = self.rules_be(case.month)?;
                let job = crate::be::Job::from_case(case, rates)?;
                solve(
                    case.amount,
                    |gross| crate::be::payslip(rates, &job, gross),
                    |g| crate::be::floor(rates, &job, g),
                )
            }
        }
    }

    fn rules_fr(&self, month: Month) -> Result<&crate::fr::FrRates, PayrollError> {
        self.fr
            .at(month)
            .ok_or_else(|| no_pack(Country::Fr, month, self.fr.coverage()))
    }

    fn rules_be(&self, month: Month) -> Result<&crate::be::BeRates, PayrollError> {
        self.be
            .at(month)
            .ok_or_else(|| no_pack(Country::Be, month, self.be.coverage()))
    }

    /// The packs of a country, oldest first.
    pub fn packs(&self, country: Country) -> Vec<PackSummary> {
        match country {
            Country::Fr => self.fr.packs(),
            Country::Be => self.be.packs(),
        }
    }

    /// Every parameter in force for a country in a month, with its value and source.
    pub fn parameters(
        &self,
        country: Country,
        month: Month,
    ) -> Result<Vec<ParamInfo>, PayrollError> {
        let found = match country {
            Country::Fr => self.fr.describe(month),
            Country::Be => self.be.describe(month),
        };
        found.ok_or_else(|| {
            let coverage = match country {
                Country::Fr => self.fr.coverage(),
                Country::Be => self.be.coverage(),
            };
            no_pack(country, month, coverage)
        })
    }
}

fn view(files: &[(String, String)]) -> Vec<PackFile<'_>> {
    files
        .iter()
        .map(|(name, text)| PackFile { name, text })
        .collect()
}

fn no_pack(country: Country, month: Month, (first, last): (Month, Month)) -> PayrollError {
    PayrollError::NoRulePack {
        country,
        month,
        first,
        last,
    }
}

fn check_amount(amount: Amount) -> Result<(), PayrollError> {
    let (field, m) = match amount {
        Amount::Gross(m) => ("gross", m),
        Amount::Net(m) => ("net", m),
        Amount::Budget(m) => ("budget", m),
    };
    if !m.is_positive() {
        return Err(PayrollError::invalid(
            field,
            format!("{m} must be more than 0"),
        ));
    }
    if m > MAX_AMOUNT {
        return Err(PayrollError::invalid(
            field,
            format!("{m} is not a plausible monthly amount (at most {MAX_AMOUNT})"),
        ));
    }
    Ok(())
}

/// Runs the computation `amount` asks for. `payslip(g)` computes the payslip of gross `g`
/// (refusing a gross below the legal floor); `floor(g)` is the smallest gross at or above `g`
/// that the floor allows, so the searches start where payslips exist.
fn solve(
    amount: Amount,
    payslip: impl Fn(Money) -> Result<Payslip, PayrollError>,
    floor: impl Fn(Money) -> Money,
) -> Result<Payslip, PayrollError> {
    match amount {
        Amount::Gross(g) => payslip(g),
        Amount::Net(target) => {
            let net = |g: Money| payslip(g).map(|p| p.totals.net_paid_or_before_tax(&p));
            inverse(
                target,
                "net",
                &payslip,
                &floor,
                net,
                Direction::SmallestReaching,
            )
        }
        Amount::Budget(target) => {
            let cost = |g: Money| payslip(g).map(|p| p.totals.employer_cost);
            inverse(
                target,
                "budget",
                &payslip,
                &floor,
                cost,
                Direction::LargestWithin,
            )
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// The smallest gross whose net reaches the target (exactly when some gross gives it).
    SmallestReaching,
    /// The largest gross whose employer cost stays within the budget.
    LargestWithin,
}

/// Inverts a function of the gross by bisection on cents.
///
/// The employer cost never decreases when the gross grows (each contribution takes a fraction
/// of every cent; its only jumps are upward, where a reduced rate or a relief stops). The net
/// nearly never does: two rounded lines may move on the same cent and take one cent back, and
/// French law has one cliff (the CET applies to the whole pay once it exceeds the ceiling). The
/// bisection finds where the function crosses the target; a short scan then picks the exact
/// cent: for a net, the smallest gross giving exactly that net (looking past a cliff if need
/// be); for a budget, the largest gross whose cost stays within it.
fn inverse(
    target: Money,
    field: &'static str,
    payslip: &impl Fn(Money) -> Result<Payslip, PayrollError>,
    floor: &impl Fn(Money) -> Money,
    f: impl Fn(Money) -> Result<Money, PayrollError>,
    direction: Direction,
) -> Result<Payslip, PayrollError> {
    let cent = Money::from_cents(1);
    let lowest = floor(cent);
    let value_at_lowest = f(lowest)?;
    if value_at_lowest > target {
        return Err(PayrollError::Unreachable {
            field,
            message: match direction {
                Direction::SmallestReaching => format!(
                    "{target} is below the net of the legal minimum salary (the minimum gross {lowest} gives {value_at_lowest})"
                ),
                Direction::LargestWithin => format!(
                    "{target} cannot pay the legal minimum salary (the minimum gross {lowest} costs {value_at_lowest})"
                ),
            },
        });
    }
    // An upper bound where f exceeds the target.
    let (mut lo, mut f_lo) = (lowest, value_at_lowest);
    let mut hi = lowest.max(target);
    let mut f_hi = f(hi)?;
    while f_hi <= target {
        if hi > MAX_AMOUNT.times(4) {
            return Err(PayrollError::Unreachable {
                field,
                message: format!("no gross up to {hi} gives a {field} of {target}"),
            });
        }
        (lo, f_lo) = (hi, f_hi);
        hi = hi.times(2);
        f_hi = f(hi)?;
    }
    // Invariant: f(lo) <= target < f(hi). Regula falsi on cents (the functions are nearly
    // linear between thresholds), falling back to bisection when it stalls.
    let mut step = 0;
    while hi.cents() - lo.cents() > 1 {
        let width = hi.cents() - lo.cents();
        let guess = if step % 3 == 2 || f_hi <= f_lo {
            lo.cents() + width / 2
        } else {
            let num = i128::from(target.cents() - f_lo.cents()) * i128::from(width);
            let den = i128::from(f_hi.cents() - f_lo.cents());
            lo.cents() + (num / den) as i64
        };
        let mid = Money::from_cents(guess.clamp(lo.cents() + 1, hi.cents() - 1));
        let f_mid = f(mid)?;
        if f_mid <= target {
            (lo, f_lo) = (mid, f_mid);
        } else {
            (hi, f_hi) = (mid, f_mid);
        }
        step += 1;
    }
    let chosen = match direction {
        Direction::LargestWithin => lo,
        Direction::SmallestReaching => {
            // The smallest gross at or just below `lo` that gives the target: walk down until
            // the net is two cents under it (a one-cent wobble cannot climb back from there).
            // `lo` itself may sit one cent under the target on a wobble (…, N, N, N − 1 | N + 1)
            // with the exact gross just below it.
            let mut first = (f_lo == target).then_some(lo);
            let mut g = lo;
            while g > lowest {
                g -= cent;
                let v = f(g)?;
                if v == target {
                    first = Some(g);
                } else if v.cents() < target.cents() - 1 {
                    break;
                }
            }
            match first {
                Some(g) => g,
                None => stepped_over(target, hi, &f)?,
            }
        }
    };
    let mut slip = payslip(chosen)?;
    let reached = f(chosen)?;
    if reached != target {
        slip.note = Some(format!(
            "no gross gives a {field} of exactly {target}; the nearest is {reached}"
        ));
    }
    Ok(slip)
}

/// The net stepped over the target at `hi` (a two-cent step, or a cliff just before): the
/// first gross a little further up that gives it exactly, else `hi`.
fn stepped_over(
    target: Money,
    hi: Money,
    f: &impl Fn(Money) -> Result<Money, PayrollError>,
) -> Result<Money, PayrollError> {
    let cent = Money::from_cents(1);
    let stop = hi + Money::from_euros(20);
    let mut g = hi;
    while g <= stop {
        if f(g)? == target {
            return Ok(g);
        }
        g += cent;
    }
    Ok(hi)
}

impl crate::model::Totals {
    /// The net that `--net` targets: see [`Amount::Net`].
    fn net_paid_or_before_tax(&self, slip: &Payslip) -> Money {
        match slip.country {
            Country::Fr => self.net_before_tax,
            Country::Be => self.net_paid,
        }
    }
}
