//! The JSON shape of a payslip, shared by the CLI and the HTTP API.
//!
//! Amounts are decimal strings with two decimals (`"1978.99"`), rates percentages as decimal
//! strings (`"6.90"`), `null` where a line has no rate on that side.

use ensemble_domain::Lang;
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::model::{Line, Payslip};

/// A payslip as JSON, labels in `lang`, with an optional caller-chosen `id` echoed first.
pub struct PayslipJson<'a, I: Serialize> {
    pub id: Option<&'a I>,
    pub slip: &'a Payslip,
    pub lang: Lang,
}

impl<I: Serialize> Serialize for PayslipJson<'_, I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let p = self.slip;
        let t = &p.totals;
        let mut s = serializer.serialize_struct("Payslip", 19)?;
        if let Some(id) = self.id {
            s.serialize_field("id", id)?;
        }
        s.serialize_field("country", &p.country)?;
        s.serialize_field("month", &p.month)?;
        s.serialize_field("status", &p.status)?;
        s.serialize_field("contract", &p.contract)?;
        s.serialize_field("gross", &t.gross)?;
        s.serialize_field("employee_contributions", &t.employee_contributions)?;
        s.serialize_field("net_social", &t.net_social)?;
        s.serialize_field("net_before_tax", &t.net_before_tax)?;
        s.serialize_field("net_taxable", &t.net_taxable)?;
        s.serialize_field("withholding_tax", &t.withholding_tax)?;
        s.serialize_field("net_paid", &t.net_paid)?;
        s.serialize_field("employer_contributions", &t.employer_contributions)?;
        s.serialize_field("employer_reliefs", &t.employer_reliefs)?;
        s.serialize_field("employer_cost", &t.employer_cost)?;
        s.serialize_field("lines", &Lines(&p.lines, self.lang))?;
        if let Some(note) = &p.note {
            s.serialize_field("note", note)?;
        }
        s.end()
    }
}

struct Lines<'a>(&'a [Line], Lang);

impl Serialize for Lines<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|l| LineJson(l, self.1)))
    }
}

struct LineJson<'a>(&'a Line, Lang);

impl Serialize for LineJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let l = self.0;
        let mut s = serializer.serialize_struct("Line", 8)?;
        s.serialize_field("code", l.code)?;
        s.serialize_field("label", l.label(self.1))?;
        s.serialize_field("kind", &l.kind)?;
        s.serialize_field("base", &l.base)?;
        s.serialize_field("employee_rate", &l.employee_rate)?;
        s.serialize_field("employee_amount", &l.employee_amount)?;
        s.serialize_field("employer_rate", &l.employer_rate)?;
        s.serialize_field("employer_amount", &l.employer_amount)?;
        s.end()
    }
}
