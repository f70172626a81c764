//! The invoice (or credit note) PDF: a Factur-X PDF/A-3b whose pages show the EN 16931
//! document and whose attachment `factur-x.xml` is the same document in CII.

use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::{Lang, PaymentReference};
use ensemble_einvoice::{AllowanceChargeKind, Document, DocumentType, Party, cii};
use krilla::configure::{Archival, ConfigurationBuilder, PdfVersion, Validator};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::metadata::Metadata;

use crate::layout::{Align, Layout, MARGIN, PAGE_WIDTH, Style, WIDTH, colour, pdf_date};
use crate::text::{self, t};
use crate::{PdfError, epc, xmp};

/// What an invoice PDF shows beyond the EN 16931 document.
#[derive(Clone, Copy, Debug)]
pub struct InvoicePdf<'a> {
    /// The document, as written to `factur-x.xml`.
    pub document: &'a Document,
    /// The recipient's language (the invoice's).
    pub lang: Lang,
    /// The member's activity on whose behalf the entity invoices.
    pub activity: &'a str,
    /// The payment reference, for the transfer and its QR code.
    pub payment_reference: &'a PaymentReference,
}

/// Settings of a PDF/A-3b file: krilla checks the PDF/A rules while writing (fonts embedded,
/// an sRGB output intent, no transparency issues…) and refuses a file that breaks them.
pub(crate) fn pdfa3b() -> Result<krilla::SerializeSettings, PdfError> {
    let configuration = ConfigurationBuilder::new()
        .with_version(PdfVersion::Pdf17)
        .set_validator(Validator::A(Archival::A3_B))
        .finish()
        .map_err(|e| PdfError::Pdf(format!("PDF/A-3b configuration: {e:?}")))?;
    Ok(krilla::SerializeSettings {
        configuration,
        ..krilla::SerializeSettings::default()
    })
}

/// The lines of a party's block: name, address, identifiers.
fn party_lines(lang: Lang, p: &Party) -> Vec<String> {
    let mut lines: Vec<String> = p.address().lines().to_vec();
    let a = p.address();
    lines.push(
        match a.postcode() {
            Some(pc) => format!("{pc} {}", a.city()),
            None => a.city().to_string(),
        } + &format!(" ({})", a.country()),
    );
    for id in [p.identifier(), p.legal_id()].into_iter().flatten() {
        let label = match id.scheme() {
            "0009" => t(lang, "siret"),
            "0002" => t(lang, "siren"),
            "0208" => t(lang, "enterprise"),
            other => other,
        };
        lines.push(format!("{label} {}", id.value()));
    }
    if let Some(v) = p.vat_id() {
        lines.push(format!("{} {}", t(lang, "vat_id"), v.as_str()));
    }
    lines
}

/// The legal mentions every page repeats: the entity's name, address, registration, VAT
/// number and bank account.
pub(crate) fn legal_footer(entity_name: &str, lines: &[String], iban: &str) -> Vec<String> {
    let mut first = entity_name.to_string();
    for l in lines {
        first.push_str(" · ");
        first.push_str(l);
    }
    vec![first, format!("IBAN {iban}")]
}

/// The legal mentions of an entity, for payslips and contracts.
pub(crate) fn entity_lines(lang: Lang, e: &CooperativeEntity) -> Vec<String> {
    let mut lines: Vec<String> = e.address.lines().to_vec();
    lines.push(match e.address.postcode() {
        Some(pc) => format!("{pc} {}", e.address.city()),
        None => e.address.city().to_string(),
    });
    match &e.legal_id {
        ensemble_domain::coop::LegalId::Siret(s) => {
            lines.push(format!("{} {}", t(lang, "siret"), s.as_str()));
        }
        ensemble_domain::coop::LegalId::BeEnterprise(n) => {
            lines.push(format!("{} {}", t(lang, "enterprise"), n.as_str()));
        }
    }
    lines.push(format!("{} {}", t(lang, "vat_id"), e.vat_id.as_str()));
    lines
}

/// The Factur-X PDF of an invoice or credit note: PDF/A-3b, its CII XML embedded as
/// `factur-x.xml` (relationship `Alternative`: in the EN 16931 profile the XML is a complete
/// invoice, the legal equivalent of the pages) and the Factur-X XMP properties.
pub fn facturx_pdf(input: &InvoicePdf<'_>) -> Result<Vec<u8>, PdfError> {
    let xml = cii::write(input.document);
    let layout = invoice_pages(input);
    let doc = input.document;
    let title = format!(
        "{} {}",
        t(
            input.lang,
            match doc.kind() {
                DocumentType::Invoice => "invoice",
                DocumentType::CreditNote => "credit_note",
            }
        ),
        doc.number()
    );
    let date = pdf_date(doc.issue_date());
    let metadata = Metadata::new()
        .title(title.clone())
        .authors(vec![doc.seller().name().to_string()])
        .creator("Ensemble".to_string())
        .producer("Ensemble (krilla)".to_string())
        .language(input.lang.code().to_string())
        .creation_date(date)
        .document_id(doc.number().to_string());
    let file = EmbeddedFile {
        path: xmp::FILE_NAME.to_string(),
        mime_type: MimeType::new("text/xml"),
        description: Some(format!("Factur-X {} — {title}", xmp::CONFORMANCE_LEVEL)),
        association_kind: AssociationKind::Alternative,
        data: xml.into(),
        modification_date: Some(date),
        compress: Some(true),
        location: None,
    };
    let pdf = layout.render(pdfa3b()?, metadata, t(input.lang, "page"), Some(file))?;
    xmp::add_facturx(pdf)
}

fn invoice_pages(input: &InvoicePdf<'_>) -> Layout {
    let lang = input.lang;
    let doc = input.document;
    let seller = doc.seller();
    let seller_lines = party_lines(lang, seller);
    let iban = doc
        .payment()
        .map(|p| p.iban().grouped())
        .unwrap_or_default();
    let mut l = Layout::new(legal_footer(seller.name(), &seller_lines, &iban));

    let right = PAGE_WIDTH - MARGIN;
    let small = Style::new(8.5);
    let muted = Style::new(8.5).colour(colour::MUTED);
    let body = Style::new(9.5);

    // Header: the seller on the left, the title and the document's facts on the right.
    l.text_at(
        MARGIN,
        l.y + 14.0,
        Style::new(15.0).bold().colour(colour::ACCENT),
        Align::Left,
        seller.name(),
    );
    let mut y = l.y + 30.0;
    for line in &seller_lines {
        l.text_at(MARGIN, y, small, Align::Left, line);
        y += small.leading();
    }
    let kind = match doc.kind() {
        DocumentType::Invoice => t(lang, "invoice"),
        DocumentType::CreditNote => t(lang, "credit_note"),
    };
    l.text_at(
        right,
        l.y + 16.0,
        Style::new(20.0).bold(),
        Align::Right,
        &kind.to_uppercase(),
    );
    let mut facts: Vec<(&str, String)> = vec![
        (t(lang, "number"), doc.number().to_string()),
        (t(lang, "issue_date"), text::date(lang, doc.issue_date())),
    ];
    if let Some(due) = doc.due_date() {
        facts.push((t(lang, "due_date"), text::date(lang, due)));
    }
    if let Some(p) = doc.period() {
        facts.push((
            t(lang, "period"),
            format!(
                "{} – {}",
                text::date(lang, p.start()),
                text::date(lang, p.end())
            ),
        ));
    } else if let Some(d) = doc.delivery().and_then(|d| d.date) {
        facts.push((t(lang, "delivery"), text::date(lang, d)));
    }
    if let Some(of) = doc.preceding_invoice() {
        facts.push((
            t(lang, "corrects"),
            format!("{} ({})", of.number, text::date(lang, of.issue_date)),
        ));
    }
    if doc.buyer_reference() != doc.number() {
        facts.push((
            t(lang, "buyer_reference"),
            doc.buyer_reference().to_string(),
        ));
    }
    if let Some(o) = doc.order_reference() {
        facts.push((t(lang, "order_reference"), o.to_string()));
    }
    let mut fy = l.y + 36.0;
    for (label, value) in &facts {
        l.text_at(right - 150.0, fy, muted, Align::Right, label);
        l.text_at(right, fy, small.bold(), Align::Right, value);
        fy += small.leading();
    }
    l.y = y.max(fy) + 14.0;

    // The buyer, and the activity the invoice is for.
    let box_top = l.y;
    let buyer = doc.buyer();
    let half = WIDTH / 2.0;
    l.text_at(
        MARGIN,
        box_top + 10.0,
        muted,
        Align::Left,
        t(lang, "bill_to"),
    );
    l.text_at(
        MARGIN,
        box_top + 24.0,
        Style::new(11.0).bold(),
        Align::Left,
        buyer.name(),
    );
    let mut by = box_top + 37.0;
    for line in party_lines(lang, buyer) {
        l.text_at(MARGIN, by, small, Align::Left, &line);
        by += small.leading();
    }
    l.text_at(
        MARGIN + half + 10.0,
        box_top + 10.0,
        muted,
        Align::Left,
        t(lang, "activity"),
    );
    l.y = box_top + 14.0;
    l.paragraph(
        MARGIN + half + 10.0,
        half - 10.0,
        Style::new(11.0).bold(),
        input.activity,
    );
    l.y = by.max(l.y) + 12.0;

    // The lines.
    let cols = Columns::invoice();
    table_header(&mut l, lang, &cols);
    for line in doc.lines() {
        let desc = crate::layout::wrap(line.name(), cols.description_width(), body);
        l.need(body.leading() * desc.len() as f32 + 6.0);
        let top = l.y;
        for (i, d) in desc.iter().enumerate() {
            l.text_at(
                cols.x[0],
                top + body.size + body.leading() * i as f32,
                body,
                Align::Left,
                d,
            );
        }
        let base = top + body.size;
        l.text_at(
            cols.x[2],
            base,
            body,
            Align::Right,
            &text::quantity(lang, line.quantity().0),
        );
        l.text_at(
            cols.x[2] + 4.0,
            base,
            muted,
            Align::Left,
            &text::unit(lang, line.unit_code()),
        );
        l.text_at(
            cols.x[4],
            base,
            body,
            Align::Right,
            &text::amount(lang, line.net_price()),
        );
        l.text_at(
            cols.x[5],
            base,
            body,
            Align::Right,
            &format!(
                "{} {}",
                line.category().code(),
                text::rate(lang, line.rate())
            ),
        );
        l.text_at(
            cols.x[6],
            base,
            body,
            Align::Right,
            &text::amount(lang, line.net_amount()),
        );
        l.y = top + body.leading() * desc.len() as f32 + 4.0;
        l.rule(MARGIN, right, l.y, 0.3, colour::RULE);
        l.y += 2.0;
    }
    for ac in doc.allowances_charges() {
        l.need(body.leading() + 6.0);
        let sign = match ac.kind() {
            AllowanceChargeKind::Allowance => -1,
            AllowanceChargeKind::Charge => 1,
        };
        let base = l.y + body.size;
        let reason = match ac.percentage() {
            Some((b, p)) => format!(
                "{} ({} × {})",
                ac.reason(),
                text::rate(lang, p),
                text::money(lang, b)
            ),
            None => ac.reason().to_string(),
        };
        l.text_at(cols.x[0], base, body, Align::Left, &reason);
        l.text_at(
            cols.x[5],
            base,
            body,
            Align::Right,
            &format!("{} {}", ac.category().code(), text::rate(lang, ac.rate())),
        );
        let amount = if sign < 0 { -ac.amount() } else { ac.amount() };
        l.text_at(
            cols.x[6],
            base,
            body,
            Align::Right,
            &text::amount(lang, amount),
        );
        l.y += body.leading() + 4.0;
        l.rule(MARGIN, right, l.y, 0.3, colour::RULE);
        l.y += 2.0;
    }
    l.set_page_header(None);
    l.y += 8.0;

    // Totals on the right, the VAT breakdown on the left.
    let totals = doc.totals();
    let mut rows: Vec<(String, String, bool)> = Vec::new();
    if totals.allowances.is_positive() || totals.charges.is_positive() {
        rows.push((
            t(lang, "lines_total").to_string(),
            text::money(lang, totals.lines),
            false,
        ));
        if totals.allowances.is_positive() {
            rows.push((
                t(lang, "allowance").to_string(),
                text::money(lang, -totals.allowances),
                false,
            ));
        }
        if totals.charges.is_positive() {
            rows.push((
                t(lang, "charge").to_string(),
                text::money(lang, totals.charges),
                false,
            ));
        }
    }
    rows.push((
        t(lang, "total_net").to_string(),
        text::money(lang, totals.without_vat),
        false,
    ));
    for b in doc.vat_breakdown() {
        rows.push((
            format!(
                "{} {} ({} {})",
                t(lang, "vat_on"),
                text::rate(lang, b.rate()),
                t(lang, "base").to_lowercase(),
                text::money(lang, b.base())
            ),
            text::money(lang, b.amount()),
            false,
        ));
    }
    rows.push((
        t(lang, "total").to_string(),
        text::money(lang, totals.with_vat),
        true,
    ));
    if totals.prepaid.is_positive() {
        rows.push((
            t(lang, "payable").to_string(),
            text::money(lang, totals.payable),
            true,
        ));
    }
    let height = rows.len() as f32 * 15.0 + 20.0;
    l.need(height);
    let top = l.y;
    let tx = MARGIN + WIDTH * 0.45;
    for (label, value, strong) in &rows {
        let style = if *strong {
            Style::new(10.5).bold()
        } else {
            body
        };
        if *strong {
            l.rect(tx - 6.0, l.y, right - tx + 6.0, 17.0, colour::SHADE);
        }
        l.text_at(tx, l.y + 12.0, style, Align::Left, label);
        l.text_at(right - 4.0, l.y + 12.0, style, Align::Right, value);
        l.y += if *strong { 19.0 } else { 15.0 };
    }
    let after_totals = l.y;
    // Exemption texts (reverse charge, intra-Community supply, export…).
    l.y = top;
    for b in doc.vat_breakdown() {
        if let Some(e) = b.exemption() {
            l.paragraph(
                MARGIN,
                WIDTH * 0.45 - 20.0,
                muted,
                &format!("{} — {} ({})", b.category().code(), e.text(), e.code()),
            );
            l.y += 3.0;
        }
    }
    l.y = l.y.max(after_totals) + 12.0;

    // Payment: the account, the reference, and the EPC QR code.
    if let (Some(p), DocumentType::Invoice) = (doc.payment(), doc.kind()) {
        let qr_size = 92.0;
        l.need(qr_size + 24.0);
        let top = l.y;
        l.rect(MARGIN, top, WIDTH, qr_size + 16.0, colour::SHADE);
        l.text_at(
            MARGIN + 10.0,
            top + 16.0,
            Style::new(10.5).bold().colour(colour::ACCENT),
            Align::Left,
            t(lang, "payment"),
        );
        l.text_at(
            MARGIN + 10.0,
            top + 31.0,
            small,
            Align::Left,
            t(lang, "pay_by_transfer"),
        );
        let facts = [
            (t(lang, "payable"), text::money(lang, totals.payable)),
            (t(lang, "reference"), input.payment_reference.to_string()),
            (t(lang, "beneficiary"), p.account_name().to_string()),
            (t(lang, "iban"), p.iban().grouped()),
            (
                t(lang, "bic"),
                p.bic().map(|b| b.as_str().to_string()).unwrap_or_default(),
            ),
        ];
        let mut fy = top + 47.0;
        for (label, value) in facts {
            if value.is_empty() {
                continue;
            }
            l.text_at(MARGIN + 10.0, fy, muted, Align::Left, label);
            l.text_at(MARGIN + 95.0, fy, small.bold(), Align::Left, &value);
            fy += small.leading() + 1.0;
        }
        let transfer = epc::Transfer {
            beneficiary: p.account_name(),
            iban: p.iban(),
            bic: p.bic(),
            amount: totals.payable,
            reference: input.payment_reference,
        };
        if let Some((width, dark)) = epc::payload(&transfer).and_then(|p| epc::modules(&p)) {
            let qx = right - qr_size - 8.0;
            let qy = top + 8.0;
            // A quiet zone of white around the code.
            l.rect(
                qx - 4.0,
                qy - 4.0,
                qr_size + 8.0,
                qr_size + 8.0,
                (255, 255, 255),
            );
            let m = qr_size / width as f32;
            let rects = dark
                .iter()
                .enumerate()
                .filter(|(_, d)| **d)
                .map(|(i, _)| {
                    let (row, col) = (i / width, i % width);
                    (qx + col as f32 * m, qy + row as f32 * m, m, m)
                })
                .collect();
            l.rects(rects, colour::BLACK);
            l.text_at(
                qx - 10.0,
                qy + qr_size - 2.0,
                Style::new(7.0).colour(colour::MUTED),
                Align::Right,
                t(lang, "scan_to_pay"),
            );
        }
        l.y = top + qr_size + 28.0;
    }

    // Notes: the activity, the payment terms, the French legal mentions.
    l.need(40.0);
    l.text_at(
        MARGIN,
        l.y + 10.0,
        Style::new(9.5).bold(),
        Align::Left,
        t(lang, "notes"),
    );
    l.y += 16.0;
    let mut notes: Vec<&str> = doc.notes().iter().map(|n| n.text()).collect();
    notes.push(doc.payment_terms());
    notes.push(t(lang, "facturx"));
    for n in notes {
        l.paragraph(MARGIN, WIDTH, muted, n);
        l.y += 2.0;
    }
    l
}

/// The columns of the lines table: right edges for numbers, left edges for text.
struct Columns {
    /// description (left), -, quantity (right), unit (left of quantity's right), unit price
    /// (right), VAT (right), net (right).
    x: [f32; 7],
}

impl Columns {
    fn invoice() -> Columns {
        let right = PAGE_WIDTH - MARGIN;
        Columns {
            x: [
                MARGIN,
                0.0,
                right - 250.0,
                0.0,
                right - 150.0,
                right - 80.0,
                right,
            ],
        }
    }

    fn description_width(&self) -> f32 {
        self.x[2] - self.x[0] - 40.0
    }
}

fn table_header(l: &mut Layout, lang: Lang, cols: &Columns) {
    let head = Style::new(8.0).bold().colour(colour::MUTED);
    let draw = move |l: &mut Layout| {
        let right = PAGE_WIDTH - MARGIN;
        l.rect(MARGIN, l.y, right - MARGIN, 18.0, colour::SHADE);
        let y = l.y + 12.0;
        let x = Columns::invoice().x;
        l.text_at(x[0] + 4.0, y, head, Align::Left, t(lang, "description"));
        l.text_at(x[2], y, head, Align::Right, t(lang, "quantity"));
        l.text_at(x[4], y, head, Align::Right, t(lang, "unit_price"));
        l.text_at(x[5], y, head, Align::Right, t(lang, "vat_rate"));
        l.text_at(x[6] - 2.0, y, head, Align::Right, t(lang, "net"));
        l.y += 22.0;
    };
    let _ = cols;
    l.need(40.0);
    draw(l);
    l.set_page_header(Some(Box::new(draw)));
}
