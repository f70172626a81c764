//! Belgium: daily and monthly contracts of a cooperative acting as employer.

use ensemble_domain::{Money, Rate};

use crate::labels::LabelRow;
use crate::model::{Case, PayrollError, Payslip};

crate::rule_params! {
    BeParams => BeRates {
        employee_social_security: Rate,
    }
}

pub(crate) const LABELS: &[LabelRow] = &[];

#[derive(Clone, Debug)]
pub(crate) struct Job;

impl Job {
    pub(crate) fn from_case(_case: &Case, _r: &BeRates) -> Result<Job, PayrollError> {
        Err(PayrollError::invalid("country", "Belgian payroll is being written"))
    }
}

pub(crate) fn floor(_r: &BeRates, _job: &Job, g: Money) -> Money {
    g
}

pub(crate) fn payslip(_r: &BeRates, _job: &Job, _gross: Money) -> Result<Payslip, PayrollError> {
    Err(PayrollError::invalid("country", "Belgian payroll is being written"))
}
