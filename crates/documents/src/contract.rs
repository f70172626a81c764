//! The employment contract PDF: the parties, the work, its dates, the pay, the declaration
//! of employment (Dimona, DPAE), the applicable law and room for the signatures.

use ensemble_domain::contract::EmploymentContract;
use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::people::{Member, NationalId};
use ensemble_domain::{Contract, Country, Lang};
use krilla::metadata::Metadata;

use crate::PdfError;
use crate::invoice::{entity_lines, legal_footer, pdfa3b};
use crate::layout::{Align, Layout, MARGIN, PAGE_WIDTH, Style, WIDTH, colour, pdf_date};
use crate::text::{self, t};

/// Everything a contract PDF shows.
#[derive(Clone, Debug)]
pub struct ContractPdf<'a> {
    pub lang: Lang,
    pub employer: &'a CooperativeEntity,
    pub employee: &'a Member,
    pub contract: &'a EmploymentContract,
    pub activity: &'a str,
    /// The declarations of employment filed for it, in words (e.g. "Dimona IN — accepted").
    pub declarations: Vec<String>,
}

/// The legal basis of a contract, in its language.
fn legal_basis(lang: Lang, country: Country, kind: Contract) -> String {
    let (fr, en, nl) = match (country, kind) {
        (Country::Fr, Contract::CddUsage) => (
            "Contrat conclu en application des articles L1242-2 3° et D1242-1 du Code du travail (emploi pour lequel il est d'usage constant de ne pas recourir au CDI). Il n'ouvre pas droit à l'indemnité de fin de contrat (article L1243-10).",
            "Contract made under articles L1242-2 3° and D1242-1 of the French Labour Code (a job for which it is the constant custom not to use open-ended contracts). It gives no right to the end-of-contract indemnity (article L1243-10).",
            "Overeenkomst gesloten volgens de artikelen L1242-2 3° en D1242-1 van het Franse Arbeidswetboek. Zij geeft geen recht op de vergoeding bij het einde van de overeenkomst (artikel L1243-10).",
        ),
        (Country::Fr, Contract::Cdd | Contract::Daily) => (
            "Contrat conclu en application de l'article L1242-2 du Code du travail. À son terme, le salarié perçoit l'indemnité de fin de contrat de 10 % (article L1243-8).",
            "Contract made under article L1242-2 of the French Labour Code. At its end the employee receives the 10 % end-of-contract indemnity (article L1243-8).",
            "Overeenkomst gesloten volgens artikel L1242-2 van het Franse Arbeidswetboek. Op het einde ontvangt de werknemer de vergoeding van 10 % (artikel L1243-8).",
        ),
        (Country::Fr, Contract::Cdi) => (
            "Contrat à durée indéterminée régi par le Code du travail (article L1221-2).",
            "Open-ended contract governed by the French Labour Code (article L1221-2).",
            "Overeenkomst van onbepaalde duur, beheerst door het Franse Arbeidswetboek (artikel L1221-2).",
        ),
        (Country::Be, Contract::Cdi) => (
            "Contrat de travail à durée indéterminée régi par la loi du 3 juillet 1978 relative aux contrats de travail.",
            "Open-ended employment contract governed by the Belgian Employment Contracts Act of 3 July 1978.",
            "Arbeidsovereenkomst van onbepaalde duur, beheerst door de wet van 3 juli 1978 betreffende de arbeidsovereenkomsten.",
        ),
        (Country::Be, _) => (
            "Contrat de travail à durée déterminée (loi du 3 juillet 1978 relative aux contrats de travail, articles 9 et 10) : il prend fin de plein droit au terme convenu.",
            "Fixed-term employment contract (Belgian Employment Contracts Act of 3 July 1978, articles 9 and 10): it ends by right on the agreed date.",
            "Arbeidsovereenkomst voor een bepaalde tijd (wet van 3 juli 1978 betreffende de arbeidsovereenkomsten, artikelen 9 en 10): zij eindigt van rechtswege op de overeengekomen datum.",
        ),
    };
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
        Lang::Nl => nl,
    }
    .to_string()
}

/// The contract as a PDF/A-3b file.
pub fn contract_pdf(p: &ContractPdf<'_>) -> Result<Vec<u8>, PdfError> {
    let lang = p.lang;
    let entity = p.employer;
    let c = p.contract;
    let lines = entity_lines(lang, entity);
    let mut l = Layout::new(legal_footer(&entity.name, &lines, &entity.iban.grouped()));
    let right = PAGE_WIDTH - MARGIN;
    let small = Style::new(8.5);
    let muted = Style::new(8.5).colour(colour::MUTED);
    let body = Style::new(10.0);
    let heading = Style::new(11.0).bold().colour(colour::ACCENT);

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
        Style::new(11.0).bold(),
        Align::Right,
        &c.number.to_string(),
    );
    l.y = y + 16.0;
    l.text_at(
        PAGE_WIDTH / 2.0,
        l.y + 18.0,
        Style::new(18.0).bold(),
        Align::Centre,
        &t(lang, "employment_contract").to_uppercase(),
    );
    l.text_at(
        PAGE_WIDTH / 2.0,
        l.y + 36.0,
        Style::new(11.0).colour(colour::MUTED),
        Align::Centre,
        text::contract_kind(lang, c.kind),
    );
    l.y += 56.0;

    // The parties.
    let employer = format!(
        "{} {}, {}, {}",
        t(lang, "between"),
        entity.name,
        lines.join(", "),
        t(lang, "represented")
    );
    l.paragraph(MARGIN, WIDTH, body, &employer);
    l.y += 4.0;
    let a = &p.employee.address;
    let national = match &p.employee.national_id {
        NationalId::Nir(n) => n.as_str().to_string(),
        NationalId::Niss(n) => n.as_str().to_string(),
    };
    let employee = format!(
        "{} {}, {} {}{}, {}, {} {}, {}",
        t(lang, "and"),
        p.employee.full_name(),
        a.lines().join(", "),
        a.postcode().map(|pc| format!("{pc} ")).unwrap_or_default(),
        a.city(),
        a.country(),
        t(lang, "national_id"),
        national,
        t(lang, "the_employee")
    );
    l.paragraph(MARGIN, WIDTH, body, &employee);
    l.y += 10.0;

    let mut article = 0;
    let mut section = |l: &mut Layout, title: &str, paragraphs: &[String]| {
        article += 1;
        l.need(40.0);
        l.text_at(
            MARGIN,
            l.y + 12.0,
            heading,
            Align::Left,
            &format!("{article}. {title}"),
        );
        l.y += 18.0;
        for para in paragraphs {
            l.paragraph(MARGIN, WIDTH, body, para);
            l.y += 3.0;
        }
        l.y += 6.0;
    };
    section(
        &mut l,
        t(lang, "object"),
        &[
            c.title.clone(),
            format!("{}: {}", t(lang, "activity"), p.activity),
        ],
    );
    let mut duration = if c.start == c.end {
        text::date(lang, c.start)
    } else {
        format!(
            "{} {} {} {}",
            t(lang, "from"),
            text::date(lang, c.start),
            t(lang, "to"),
            text::date(lang, c.end)
        )
    };
    if let Some(d) = c.days {
        duration.push_str(&format!(" — {d} {}", t(lang, "days")));
    }
    if let Some(h) = c.hours {
        duration.push_str(&format!(
            " — {} {}",
            text::quantity(lang, h * 10),
            t(lang, "hours")
        ));
    }
    section(&mut l, t(lang, "duration"), &[duration]);
    section(
        &mut l,
        t(lang, "remuneration"),
        &[format!(
            "{}: {}",
            t(lang, "gross"),
            text::money(lang, c.gross)
        )],
    );
    let declarations = if p.declarations.is_empty() {
        vec!["—".to_string()]
    } else {
        p.declarations.clone()
    };
    section(&mut l, t(lang, "declaration"), &declarations);
    section(
        &mut l,
        t(lang, "law"),
        &[legal_basis(lang, c.country, c.kind)],
    );

    // Signatures.
    l.need(90.0);
    l.paragraph(
        MARGIN,
        WIDTH,
        body,
        &format!(
            "{} {}, {}.",
            t(lang, "done_at"),
            text::date(lang, c.start),
            entity.address.city()
        ),
    );
    l.y += 12.0;
    let top = l.y;
    l.text_at(
        MARGIN,
        top + 10.0,
        muted,
        Align::Left,
        t(lang, "for_employer"),
    );
    l.text_at(
        MARGIN + WIDTH / 2.0 + 10.0,
        top + 10.0,
        muted,
        Align::Left,
        &{
            let mut s = t(lang, "the_employee").to_string();
            if let Some(f) = s.get_mut(0..1) {
                f.make_ascii_uppercase();
            }
            s
        },
    );
    l.rule(
        MARGIN,
        MARGIN + WIDTH / 2.0 - 20.0,
        top + 60.0,
        0.5,
        colour::RULE,
    );
    l.rule(
        MARGIN + WIDTH / 2.0 + 10.0,
        right,
        top + 60.0,
        0.5,
        colour::RULE,
    );
    l.y = top + 70.0;

    let metadata = Metadata::new()
        .title(format!(
            "{} {} — {}",
            t(lang, "employment_contract"),
            c.number,
            p.employee.full_name()
        ))
        .authors(vec![entity.name.clone()])
        .creator("Ensemble".to_string())
        .producer("Ensemble (krilla)".to_string())
        .language(lang.code().to_string())
        .creation_date(pdf_date(c.start));
    l.render(pdfa3b()?, metadata, t(lang, "page"), None)
}
