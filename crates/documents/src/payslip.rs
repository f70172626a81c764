//! The payslip PDF: the employer's legal mentions, the employee, the month, every line of
//! the payroll engine (base, employee and employer rates and amounts), the totals, and — when
//! the payslip comes from declared work — every euro from the invoice to the net salary.

use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::people::{Member, NationalId};
use ensemble_domain::work::Breakdown;
use ensemble_domain::{Lang, Money, Month, Rate};
use krilla::metadata::Metadata;

use crate::PdfError;
use crate::invoice::{entity_lines, legal_footer, pdfa3b};
use crate::layout::{Align, Layout, MARGIN, PAGE_WIDTH, Style, WIDTH, colour, pdf_date};
use crate::text::{self, t};

/// One line of a payslip, as the payroll engine computed it (labels in the member's
/// language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayslipLine {
    pub label: String,
    pub base: Money,
    pub employee_rate: Option<Rate>,
    pub employee_amount: Money,
    pub employer_rate: Option<Rate>,
    pub employer_amount: Money,
}

/// The totals of a payslip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PayslipTotals {
    pub gross: Money,
    pub employee_contributions: Money,
    pub net_before_tax: Money,
    pub withholding_tax: Money,
    pub net_paid: Money,
    pub employer_contributions: Money,
    pub employer_reliefs: Money,
    pub employer_cost: Money,
}

/// Everything a payslip PDF shows.
#[derive(Clone, Debug)]
pub struct PayslipPdf<'a> {
    pub lang: Lang,
    pub employer: &'a CooperativeEntity,
    pub employee: &'a Member,
    pub activity: &'a str,
    pub month: Month,
    /// The contract's kind and the employee's status, in words.
    pub contract: String,
    pub status: String,
    /// An identifier printed on the slip (the payslip's id).
    pub reference: String,
    pub lines: Vec<PayslipLine>,
    pub totals: PayslipTotals,
    /// invoiced → fee → employer cost → gross → contributions → withholding → net, when the
    /// payslip comes from a work declaration.
    pub breakdown: Option<Breakdown>,
}

/// The payslip as a PDF/A-3b file (no attachment).
pub fn payslip_pdf(p: &PayslipPdf<'_>) -> Result<Vec<u8>, PdfError> {
    let lang = p.lang;
    let entity = p.employer;
    let lines = entity_lines(lang, entity);
    let withholding = match entity.country {
        ensemble_domain::Country::Be => t(lang, "withholding_tax_be"),
        ensemble_domain::Country::Fr => t(lang, "withholding_tax"),
    };
    let mut l = Layout::new(legal_footer(&entity.name, &lines, &entity.iban.grouped()));
    let right = PAGE_WIDTH - MARGIN;
    let small = Style::new(8.5);
    let muted = Style::new(8.5).colour(colour::MUTED);
    let body = Style::new(9.0);

    // Header.
    l.text_at(
        MARGIN,
        l.y + 14.0,
        Style::new(15.0).bold().colour(colour::ACCENT),
        Align::Left,
        &entity.name,
    );
    let mut y = l.y + 30.0;
    for line in &lines {
        l.text_at(MARGIN, y, small, Align::Left, line);
        y += small.leading();
    }
    l.text_at(
        right,
        l.y + 16.0,
        Style::new(18.0).bold(),
        Align::Right,
        &t(lang, "payslip").to_uppercase(),
    );
    l.text_at(
        right,
        l.y + 34.0,
        Style::new(11.0).bold(),
        Align::Right,
        &text::month(lang, p.month),
    );
    l.text_at(right, l.y + 48.0, muted, Align::Right, &p.reference);
    l.y = y + 12.0;

    // Employee and contract.
    let top = l.y;
    l.rect(MARGIN, top, WIDTH, 78.0, colour::SHADE);
    l.text_at(
        MARGIN + 10.0,
        top + 14.0,
        muted,
        Align::Left,
        t(lang, "employee"),
    );
    l.text_at(
        MARGIN + 10.0,
        top + 28.0,
        Style::new(11.0).bold(),
        Align::Left,
        &p.employee.full_name(),
    );
    let a = &p.employee.address;
    let mut ey = top + 41.0;
    let mut address: Vec<String> = a.lines().to_vec();
    address.push(match a.postcode() {
        Some(pc) => format!("{pc} {} ({})", a.city(), a.country()),
        None => format!("{} ({})", a.city(), a.country()),
    });
    for line in address.iter().take(3) {
        l.text_at(MARGIN + 10.0, ey, small, Align::Left, line);
        ey += small.leading();
    }
    let national = match &p.employee.national_id {
        NationalId::Nir(n) => n.as_str().to_string(),
        NationalId::Niss(n) => n.as_str().to_string(),
    };
    let facts = [
        (t(lang, "national_id"), national),
        (t(lang, "activity_short"), p.activity.to_string()),
        (t(lang, "contract"), p.contract.clone()),
        (t(lang, "status"), p.status.clone()),
    ];
    let mut fy = top + 14.0;
    let (fx, vx) = (MARGIN + WIDTH * 0.42, MARGIN + WIDTH * 0.42 + 100.0);
    for (label, value) in facts {
        l.text_at(fx, fy, muted, Align::Left, label);
        for (i, v) in crate::layout::wrap(&value, right - vx, small.bold())
            .iter()
            .take(2)
            .enumerate()
        {
            if i > 0 {
                fy += small.leading();
            }
            l.text_at(vx, fy, small.bold(), Align::Left, v);
        }
        fy += small.leading() + 2.0;
    }
    l.y = top + 90.0;

    // The lines.
    let x_base = right - 250.0;
    let x_er = right - 190.0;
    let x_ea = right - 130.0;
    let x_rr = right - 70.0;
    let x_ra = right;
    let head = Style::new(7.5).bold().colour(colour::MUTED);
    let header = move |l: &mut Layout| {
        l.rect(MARGIN, l.y, WIDTH, 26.0, colour::SHADE);
        let y = l.y + 11.0;
        l.text_at(MARGIN + 4.0, y + 5.0, head, Align::Left, t(lang, "line"));
        l.text_at(x_base, y + 5.0, head, Align::Right, t(lang, "base"));
        l.text_at(
            (x_er + x_ea) / 2.0,
            y - 1.0,
            head,
            Align::Centre,
            t(lang, "employee_share"),
        );
        l.text_at(x_er, y + 10.0, head, Align::Right, t(lang, "rate"));
        l.text_at(x_ea, y + 10.0, head, Align::Right, "€");
        l.text_at(
            (x_rr + x_ra) / 2.0,
            y - 1.0,
            head,
            Align::Centre,
            t(lang, "employer_share"),
        );
        l.text_at(x_rr, y + 10.0, head, Align::Right, t(lang, "rate"));
        l.text_at(x_ra - 2.0, y + 10.0, head, Align::Right, "€");
        l.y += 30.0;
    };
    header(&mut l);
    l.set_page_header(Some(Box::new(header)));
    let blank = |m: Money| {
        if m.cents() == 0 {
            String::new()
        } else {
            text::amount(lang, m)
        }
    };
    for line in &p.lines {
        let label = crate::layout::wrap(&line.label, x_base - MARGIN - 70.0, body);
        l.need(body.leading() * label.len() as f32 + 2.0);
        let top = l.y;
        for (i, s) in label.iter().enumerate() {
            l.text_at(
                MARGIN + 4.0,
                top + body.size + body.leading() * i as f32,
                body,
                Align::Left,
                s,
            );
        }
        let b = top + body.size;
        l.text_at(x_base, b, body, Align::Right, &blank(line.base));
        if let Some(r) = line.employee_rate {
            l.text_at(x_er, b, body, Align::Right, &text::rate(lang, r));
        }
        l.text_at(x_ea, b, body, Align::Right, &blank(line.employee_amount));
        if let Some(r) = line.employer_rate {
            l.text_at(x_rr, b, body, Align::Right, &text::rate(lang, r));
        }
        l.text_at(x_ra, b, body, Align::Right, &blank(line.employer_amount));
        l.y = top + body.leading() * label.len() as f32 + 1.5;
        l.rule(MARGIN, right, l.y, 0.25, colour::RULE);
        l.y += 1.5;
    }
    l.set_page_header(None);
    l.y += 10.0;

    // Totals.
    let tt = p.totals;
    let mut rows = vec![
        (t(lang, "gross"), tt.gross, false),
        (
            t(lang, "employee_contributions"),
            -tt.employee_contributions,
            false,
        ),
        (t(lang, "net_before_tax"), tt.net_before_tax, false),
        (withholding, -tt.withholding_tax, false),
        (t(lang, "net_paid"), tt.net_paid, true),
        (
            t(lang, "employer_contributions"),
            tt.employer_contributions,
            false,
        ),
    ];
    if tt.employer_reliefs.cents() != 0 {
        rows.push((t(lang, "employer_reliefs"), -tt.employer_reliefs, false));
    }
    rows.push((t(lang, "employer_cost"), tt.employer_cost, false));
    l.need(rows.len() as f32 * 15.0 + 10.0);
    let tx = MARGIN + WIDTH * 0.45;
    for (label, value, strong) in rows {
        let style = if strong {
            Style::new(10.5).bold()
        } else {
            body
        };
        if strong {
            l.rect(tx - 6.0, l.y, right - tx + 6.0, 17.0, colour::SHADE);
        }
        l.text_at(tx, l.y + 12.0, style, Align::Left, label);
        l.text_at(
            right - 4.0,
            l.y + 12.0,
            style,
            Align::Right,
            &text::money(lang, value),
        );
        l.y += if strong { 19.0 } else { 15.0 };
    }
    l.y += 4.0;
    l.text_at(
        tx,
        l.y + 10.0,
        muted,
        Align::Left,
        &format!("{} {}", t(lang, "paid_to"), p.employee.iban.grouped()),
    );
    l.y += 22.0;

    // From the invoice to the net.
    if let Some(b) = &p.breakdown {
        let rows = [
            (t(lang, "invoiced"), b.invoiced),
            (t(lang, "fee"), -b.fee),
            (t(lang, "employer_cost"), b.employer_cost),
            (
                t(lang, "employer_contributions"),
                -(b.employer_contributions - b.employer_reliefs),
            ),
            (t(lang, "gross"), b.gross),
            (t(lang, "employee_contributions"), -b.employee_contributions),
            (withholding, -b.withholding_tax),
            (t(lang, "net_paid"), b.net),
            (t(lang, "kept_in_budget"), b.kept_in_budget),
        ];
        l.need(rows.len() as f32 * 14.0 + 30.0);
        l.text_at(
            MARGIN,
            l.y + 10.0,
            Style::new(10.0).bold().colour(colour::ACCENT),
            Align::Left,
            t(lang, "breakdown"),
        );
        l.y += 16.0;
        for (i, (label, value)) in rows.into_iter().enumerate() {
            let label = if label == t(lang, "fee") {
                format!("{label} ({})", text::rate(lang, b.fee_rate))
            } else {
                label.to_string()
            };
            let strong = i == 0 || i == 7;
            let style = if strong { body.bold() } else { body };
            l.text_at(MARGIN + 4.0, l.y + 10.0, style, Align::Left, &label);
            l.text_at(
                MARGIN + 300.0,
                l.y + 10.0,
                style,
                Align::Right,
                &text::money(lang, value),
            );
            l.y += 14.0;
        }
        l.y += 8.0;
    }
    l.need(20.0);
    l.paragraph(MARGIN, WIDTH, muted, t(lang, "keep_payslip"));

    let title = format!(
        "{} {} — {}",
        t(lang, "payslip"),
        text::month(lang, p.month),
        p.employee.full_name()
    );
    let metadata = Metadata::new()
        .title(title)
        .authors(vec![entity.name.clone()])
        .creator("Ensemble".to_string())
        .producer("Ensemble (krilla)".to_string())
        .language(lang.code().to_string())
        .creation_date(pdf_date(p.month.last_day()));
    l.render(pdfa3b()?, metadata, t(lang, "page"), None)
}
