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

/// Inverts a non-decreasing function of the gross by bisection on cents.
///
/// Both functions are non-decreasing in the gross (contributions take a fraction of each
/// cent; the only jumps are upward, where a reduced rate or a relief stops), except for
/// one-cent wobbles where two rounded lines move on the same cent. The bisection finds the
/// boundary; a short scan around it then picks the exact cent.
fn inverse(
    target: Money,
    field: &'static str,
    payslip: &impl Fn(Money) -> Result<Payslip, PayrollError>,
    floor: &impl Fn(Money) -> Money,
    f: impl Fn(Money) -> Result<Money, PayrollError>,
    direction: Direction,
) -> Result<Payslip, PayrollError> {
    let lowest = floor(Money::from_cents(1));
    let value_at_lowest = f(lowest)?;
    if direction == Direction::SmallestReaching && value_at_lowest > target
        || direction == Direction::LargestWithin && value_at_lowest > target
    {
        return Err(PayrollError::Unreachable {
            field,
            message: format!(
                "{target} is below the {field} of the lowest lawful gross ({lowest} gives {value_at_lowest})"
            ),
        });
    }
    // Find an upper bound where f exceeds the target.
    let mut hi = lowest.max(target);
    let mut guard = 0;
    while f(hi)? <= target {
        hi = hi.times(2);
        guard += 1;
        if guard > 8 || hi > MAX_AMOUNT.times(4) {
            return Err(PayrollError::Unreachable {
                field,
                message: format!("no gross up to {hi} gives a {field} of {target}"),
            });
        }
    }
    // Invariant: f(lo) <= target < f(hi).
    let mut lo = lowest;
    while hi.cents() - lo.cents() > 1 {
        let mid = Money::from_cents(lo.cents() + (hi.cents() - lo.cents()) / 2);
        if f(mid)? <= target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let chosen = match direction {
        Direction::LargestWithin => lo,
        Direction::SmallestReaching => {
            // The smallest gross in a window around the boundary whose net is the target;
            // failing that, the boundary itself.
            let window = 64;
            let start = Money::from_cents((lo.cents() - window).max(lowest.cents()));
            let mut exact = None;
            let mut g = start;
            while g.cents() <= lo.cents() + window {
                if f(g)? == target {
                    exact = Some(g);
                    break;
                }
                g += Money::from_cents(1);
            }
            match exact {
                Some(g) => g,
                None if f(lo)? == target => lo,
                None => hi,
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

impl crate::model::Totals {
    /// The net that `--net` targets: see [`Amount::Net`].
    fn net_paid_or_before_tax(&self, slip: &Payslip) -> Money {
        match slip.country {
            Country::Fr => self.net_before_tax,
            Country::Be => self.net_paid,
        }
    }
}
