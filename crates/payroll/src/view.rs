//! The JSON shape of a payslip, shared by the CLI and the HTTP API.
//!
//! Amounts are decimal strings with two decimals (`"1978.99"`), rates percentages as decimal
//! strings (`"6.90"`), `null` where a line has no rate on that side:
//!
//! ```json
//! {"id": 7, "country": "fr", "month": "2026-01", "status": "non-cadre", "contract": "cdi",
//!  "gross": "2500.00", "employee_contributions": "521.01", "net_social": "1978.99",
//!  "net_before_tax": "1978.99", "net_taxable": "2050.22", "withholding_tax": "71.76",
//!  "net_paid": "1907.23", "employer_contributions": "1085.40", "employer_reliefs": "433.75",
//!  "employer_cost": "3151.65",
//!  "lines": [{"code": "fr.health", "label": "Health, maternity, disability, death",
//!             "kind": "contribution", "base": "2500.00", "employee_rate": null,
//!             "employee_amount": "0.00", "employer_rate": "13.00", "employer_amount": "325.00"}, …]}
//! ```
//!
//! The batch simulation writes millions of these, so the writer appends bytes directly instead
//! of going through a generic serializer (five times faster; see BENCHMARKS.md).

use std::collections::HashMap;
use std::sync::OnceLock;

use ensemble_domain::{Lang, Money, Rate};

use crate::model::{LineKind, Payslip};

/// A payslip as JSON, labels in `lang`, with an optional caller-chosen `id` (raw JSON text,
/// written as given) first.
pub struct PayslipJson<'a> {
    pub id: Option<&'a str>,
    pub slip: &'a Payslip,
    pub lang: Lang,
}

impl PayslipJson<'_> {
    /// Appends the payslip as one JSON object (no trailing newline).
    pub fn write(&self, out: &mut Vec<u8>) {
        let p = self.slip;
        let t = &p.totals;
        out.push(b'{');
        if let Some(id) = self.id {
            out.extend_from_slice(b"\"id\":");
            out.extend_from_slice(id.as_bytes());
            out.push(b',');
        }
        out.extend_from_slice(b"\"country\":");
        string(out, p.country.slug());
        out.extend_from_slice(b",\"month\":\"");
        out.extend_from_slice(p.month.to_string().as_bytes());
        out.extend_from_slice(b"\",\"status\":");
        string(out, p.status.code());
        out.extend_from_slice(b",\"contract\":");
        string(out, p.contract.code());
        for (key, amount) in [
            (&b",\"gross\":"[..], t.gross),
            (b",\"employee_contributions\":", t.employee_contributions),
            (b",\"net_social\":", t.net_social),
            (b",\"net_before_tax\":", t.net_before_tax),
            (b",\"net_taxable\":", t.net_taxable),
            (b",\"withholding_tax\":", t.withholding_tax),
            (b",\"net_paid\":", t.net_paid),
            (b",\"employer_contributions\":", t.employer_contributions),
            (b",\"employer_reliefs\":", t.employer_reliefs),
            (b",\"employer_cost\":", t.employer_cost),
        ] {
            out.extend_from_slice(key);
            money(out, amount);
        }
        out.extend_from_slice(b",\"lines\":[");
        for (i, l) in p.lines.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match line_head(l.code, self.lang) {
                Some(head) => out.extend_from_slice(head),
                None => out.extend_from_slice(&head_of(l.code, self.lang)),
            }
            out.extend_from_slice(match l.kind {
                LineKind::Earning => b"earning\",\"base\":",
                LineKind::Contribution => b"contribution\",\"base\":",
                LineKind::Relief => b"relief\",\"base\":",
                LineKind::Tax => b"tax\",\"base\":",
            });
            money(out, l.base);
            out.extend_from_slice(b",\"employee_rate\":");
            rate(out, l.employee_rate);
            out.extend_from_slice(b",\"employee_amount\":");
            money(out, l.employee_amount);
            out.extend_from_slice(b",\"employer_rate\":");
            rate(out, l.employer_rate);
            out.extend_from_slice(b",\"employer_amount\":");
            money(out, l.employer_amount);
            out.push(b'}');
        }
        out.push(b']');
        if let Some(note) = &p.note {
            out.extend_from_slice(b",\"note\":");
            string(out, note);
        }
        out.push(b'}');
    }

    /// The payslip as a JSON string.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(6 * 1024);
        self.write(&mut out);
        // Only valid UTF-8 (ASCII structure, escaped UTF-8 strings) was written.
        String::from_utf8(out).unwrap_or_default()
    }
}

/// `{"code":"…","label":"…","kind":"` of a line, escaped once per code and language.
fn line_head(code: &'static str, lang: Lang) -> Option<&'static [u8]> {
    type Heads = HashMap<(&'static str, Lang), Box<[u8]>>;
    static HEADS: OnceLock<Heads> = OnceLock::new();
    let heads = HEADS.get_or_init(|| {
        let mut heads = Heads::new();
        for code in crate::labels::codes() {
            for lang in Lang::ALL {
                heads.insert((code, lang), head_of(code, lang).into_boxed_slice());
            }
        }
        heads
    });
    heads.get(&(code, lang)).map(|head| &head[..])
}

fn head_of(code: &'static str, lang: Lang) -> Vec<u8> {
    let mut head = Vec::with_capacity(96);
    head.extend_from_slice(b"{\"code\":");
    string(&mut head, code);
    head.extend_from_slice(b",\"label\":");
    string(&mut head, crate::labels::label(code, lang));
    head.extend_from_slice(b",\"kind\":\"");
    head
}

fn money(out: &mut Vec<u8>, m: Money) {
    out.push(b'"');
    m.append_to(out);
    out.push(b'"');
}

fn rate(out: &mut Vec<u8>, r: Option<Rate>) {
    match r {
        None => out.extend_from_slice(b"null"),
        Some(r) => {
            out.push(b'"');
            r.append_to(out);
            out.push(b'"');
        }
    }
}

/// A JSON string: quotes, backslashes and control characters escaped.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    if !bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\') {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.extend_from_slice(&bytes[start..i]);
                out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escaped);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        let mut out = Vec::new();
        string(&mut out, "a \"b\" \\ c\nd\u{1}é");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a \\\"b\\\" \\\\ c\\nd\\u0001é\""
        );
    }
}
