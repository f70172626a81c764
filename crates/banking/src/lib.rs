//! Ensemble's bank files and bank reconciliation, as pure functions.
//!
//! This crate owns three things:
//! * [`pain001`]: SEPA credit transfer batches (salaries, expense reimbursements) written as
//!   ISO 20022 pain.001.001.09 under the EPC SEPA Credit Transfer rules, from values that are
//!   valid by construction ([`text`] holds the SEPA character set and its transliteration);
//! * [`camt053`]: bank statements read from camt.053.001.08 and camt.053.001.02, checked
//!   (balances, summaries, batches) and refused whole, naming the element, when malformed;
//! * [`mod@reconcile`]: matching statement credit lines to open invoices — references first,
//!   then typos, amounts, names and dates — with a confidence, the allocation and a stable
//!   fingerprint of each line.
//!
//! Inputs are values and outputs are values or bytes. It must never import the store, the
//! web layer, the application layer, a clock or the file system: creation times, execution
//! dates and file contents are parameters.

pub mod camt053;
pub mod pain001;
pub mod reconcile;
pub mod text;
mod xml;

pub use camt053::{BankToCustomerStatement, CamtError, CamtVersion, Statement};
pub use pain001::{Pain001, Pain001Error};
pub use reconcile::{
    LineFingerprint, MatcherConfig, OpenInvoice, Outcome, Reconciliation, StatementLine, reconcile,
    statement_lines,
};
