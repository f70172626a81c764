//! Ensemble's payroll engine: country rule packs as dated data files, and the computations
//! that turn a gross salary, a wanted net or an activity budget into a payslip.
//!
//! - [`pack`] reads rule packs (`rules/<country>/<year>.toml`): every parameter dated and
//!   sourced, gaps, overlaps and unknown keys refused.
//! - [`fr`] and [`be`] hold each country's formulas; they read their values from the packs.
//! - [`Engine`] loads the packs and runs gross → payslip, net → gross and budget → gross.
//!
//! Amounts are integer cents ([`Money`](ensemble_domain::Money)) and rates parts per million
//! ([`Rate`](ensemble_domain::Rate)); each payslip line is rounded half away from zero to the
//! cent and the totals are the sums of the lines.
//!
//! This crate must never import the store, the web layer, the clock or the network: the month
//! of a payslip is always an input, and the rules are chosen by that month.

pub mod be;
mod engine;
pub mod fr;
mod labels;
mod model;
pub mod pack;
mod view;

pub use engine::{EMBEDDED_BE, EMBEDDED_FR, Engine, MAX_AMOUNT};
pub use labels::label;
pub use model::{
    Amount, Case, CaseInput, Contract, DEFAULT_HEADCOUNT, Line, LineKind, PayrollError, Payslip,
    Status, Totals,
};
pub use pack::Hours;
pub use view::PayslipJson;
