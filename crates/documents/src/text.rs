//! The words of the documents in English, French and Dutch, and how amounts, rates and dates
//! are written in each language.

use ensemble_domain::{Contract, Lang, Money, Month, Rate, Status};
use jiff::civil::Date;

/// The wording of `key` in `lang`; `?` when it is unknown (a test checks every key
/// the renderers use).
pub fn t(lang: Lang, key: &str) -> &'static str {
    let Some((_, en, fr, nl)) = WORDS.iter().find(|(k, ..)| *k == key) else {
        return "?";
    };
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
        Lang::Nl => nl,
    }
}

/// key, English, French, Dutch.
pub(crate) const WORDS: &[(&str, &str, &str, &str)] = &[
    ("page", "Page", "Page", "Pagina"),
    ("invoice", "Invoice", "Facture", "Factuur"),
    ("credit_note", "Credit note", "Avoir", "Creditnota"),
    ("number", "Number", "Numéro", "Nummer"),
    (
        "issue_date",
        "Issue date",
        "Date d'émission",
        "Factuurdatum",
    ),
    ("due_date", "Due date", "Échéance", "Vervaldatum"),
    ("period", "Period", "Période", "Periode"),
    ("delivery", "Delivery", "Livraison", "Levering"),
    ("bill_to", "Bill to", "Facturé à", "Gefactureerd aan"),
    ("seller", "Issued by", "Émise par", "Uitgegeven door"),
    (
        "activity",
        "Activity of the cooperative",
        "Activité de la coopérative",
        "Activiteit van de coöperatie",
    ),
    (
        "buyer_reference",
        "Your reference",
        "Votre référence",
        "Uw referentie",
    ),
    ("order_reference", "Order", "Commande", "Bestelling"),
    (
        "corrects",
        "Corrects invoice",
        "Rectifie la facture",
        "Corrigeert factuur",
    ),
    ("description", "Description", "Désignation", "Omschrijving"),
    ("quantity", "Qty", "Qté", "Aantal"),
    ("unit", "Unit", "Unité", "Eenheid"),
    ("unit_price", "Unit price", "Prix unitaire", "Eenheidsprijs"),
    ("vat_rate", "VAT", "TVA", "btw"),
    ("net", "Amount excl. VAT", "Montant HT", "Bedrag excl. btw"),
    ("allowance", "Discount", "Remise", "Korting"),
    ("charge", "Charge", "Frais", "Toeslag"),
    (
        "lines_total",
        "Total of the lines",
        "Total des lignes",
        "Totaal van de lijnen",
    ),
    (
        "total_net",
        "Total excl. VAT",
        "Total HT",
        "Totaal excl. btw",
    ),
    ("vat_on", "VAT", "TVA", "btw"),
    ("total_vat", "Total VAT", "Total TVA", "Totaal btw"),
    ("total", "Total incl. VAT", "Total TTC", "Totaal incl. btw"),
    ("payable", "Amount due", "Net à payer", "Te betalen"),
    (
        "credited",
        "Amount credited",
        "Montant crédité",
        "Gecrediteerd bedrag",
    ),
    (
        "vat_breakdown",
        "VAT breakdown",
        "Détail de la TVA",
        "Btw-overzicht",
    ),
    ("base", "Base", "Base", "Grondslag"),
    ("payment", "Payment", "Paiement", "Betaling"),
    (
        "pay_by_transfer",
        "Please pay by bank transfer, quoting the reference:",
        "Merci de régler par virement en indiquant la référence :",
        "Gelieve te betalen via overschrijving met de mededeling:",
    ),
    ("reference", "Reference", "Référence", "Mededeling"),
    ("iban", "IBAN", "IBAN", "IBAN"),
    ("bic", "BIC", "BIC", "BIC"),
    ("beneficiary", "Beneficiary", "Bénéficiaire", "Begunstigde"),
    (
        "scan_to_pay",
        "Scan with your banking app to pay",
        "Scannez avec votre application bancaire pour payer",
        "Scan met uw bankapp om te betalen",
    ),
    ("notes", "Notes", "Mentions", "Vermeldingen"),
    ("vat_id", "VAT", "TVA", "btw"),
    ("siren", "SIREN", "SIREN", "SIREN"),
    ("siret", "SIRET", "SIRET", "SIRET"),
    ("enterprise", "Enterprise no.", "BCE", "KBO"),
    (
        "facturx",
        "This PDF carries its structured e-invoice (Factur-X EN 16931, factur-x.xml).",
        "Ce PDF contient la facture électronique structurée (Factur-X EN 16931, factur-x.xml).",
        "Deze pdf bevat de gestructureerde e-factuur (Factur-X EN 16931, factur-x.xml).",
    ),
    // Payslips
    ("payslip", "Payslip", "Bulletin de paie", "Loonbrief"),
    ("employer", "Employer", "Employeur", "Werkgever"),
    ("employee", "Employee", "Salarié", "Werknemer"),
    ("month", "Month", "Mois", "Maand"),
    ("contract", "Contract", "Contrat", "Contract"),
    ("status", "Status", "Statut", "Statuut"),
    (
        "national_id",
        "National number",
        "N° de sécurité sociale",
        "Rijksregisternummer",
    ),
    ("line", "Item", "Rubrique", "Rubriek"),
    ("rate", "Rate", "Taux", "Voet"),
    ("employee_share", "Employee", "Part salarié", "Werknemer"),
    ("employer_share", "Employer", "Part employeur", "Werkgever"),
    ("gross", "Gross salary", "Salaire brut", "Brutoloon"),
    (
        "employee_contributions",
        "Employee contributions",
        "Cotisations salariales",
        "Werknemersbijdragen",
    ),
    (
        "net_before_tax",
        "Net before tax",
        "Net à payer avant impôt",
        "Belastbaar loon",
    ),
    (
        "withholding_tax",
        "Income tax withheld at source",
        "Impôt sur le revenu prélevé à la source",
        "Inkomstenbelasting ingehouden aan de bron",
    ),
    (
        "withholding_tax_be",
        "Withholding tax",
        "Précompte professionnel",
        "Bedrijfsvoorheffing",
    ),
    ("net_paid", "Net paid", "Net payé", "Nettoloon"),
    (
        "employer_contributions",
        "Employer contributions",
        "Cotisations patronales",
        "Werkgeversbijdragen",
    ),
    (
        "employer_reliefs",
        "Employer reliefs",
        "Allègements",
        "Verminderingen",
    ),
    (
        "employer_cost",
        "Employer cost",
        "Coût employeur",
        "Werkgeverskost",
    ),
    (
        "paid_to",
        "Paid to",
        "Versé sur le compte",
        "Gestort op rekening",
    ),
    (
        "breakdown",
        "From the invoice to the net salary",
        "De la facture au salaire net",
        "Van factuur tot nettoloon",
    ),
    (
        "invoiced",
        "Invoiced excl. VAT",
        "Facturé HT",
        "Gefactureerd excl. btw",
    ),
    (
        "fee",
        "Cooperative fee",
        "Contribution à la coopérative",
        "Bijdrage aan de coöperatie",
    ),
    (
        "kept_in_budget",
        "Kept in the activity's budget",
        "Reste au budget de l'activité",
        "Blijft in het budget van de activiteit",
    ),
    (
        "keep_payslip",
        "Keep this payslip without time limit.",
        "Dans votre intérêt, conservez ce bulletin de paie sans limitation de durée.",
        "Bewaar deze loonbrief zonder tijdsbeperking.",
    ),
    // Contracts
    (
        "employment_contract",
        "Employment contract",
        "Contrat de travail",
        "Arbeidsovereenkomst",
    ),
    ("between", "Between", "Entre", "Tussen"),
    ("and", "and", "et", "en"),
    ("represented", "the employer", "l'employeur", "de werkgever"),
    ("the_employee", "the employee", "le salarié", "de werknemer"),
    ("object", "Object", "Objet", "Voorwerp"),
    ("duration", "Duration", "Durée", "Duur"),
    ("from", "from", "du", "van"),
    ("to", "to", "au", "tot"),
    ("days", "working days", "jours travaillés", "arbeidsdagen"),
    ("hours", "hours", "heures", "uren"),
    ("remuneration", "Remuneration", "Rémunération", "Loon"),
    (
        "declaration",
        "Declaration of employment",
        "Déclaration d'embauche",
        "Aangifte van tewerkstelling",
    ),
    (
        "law",
        "Applicable law",
        "Droit applicable",
        "Toepasselijk recht",
    ),
    ("signatures", "Signatures", "Signatures", "Handtekeningen"),
    (
        "for_employer",
        "For the employer",
        "Pour l'employeur",
        "Voor de werkgever",
    ),
    (
        "done_at",
        "Done in two copies on",
        "Fait en deux exemplaires le",
        "Opgemaakt in twee exemplaren op",
    ),
];

/// An amount with two decimals, grouped the way `lang` writes it: `1 234,56 €` in French,
/// `€ 1.234,56` in Dutch, `€1,234.56` in English.
pub fn money(lang: Lang, m: Money) -> String {
    let cents = m.cents();
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (units, rest) = (abs / 100, abs % 100);
    let digits = units.to_string();
    let (group, decimal) = match lang {
        Lang::En => (',', '.'),
        Lang::Fr => ('\u{202f}', ','),
        Lang::Nl => ('.', ','),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(c);
    }
    match lang {
        Lang::En => format!("{sign}€{grouped}{decimal}{rest:02}"),
        Lang::Fr => format!("{sign}{grouped}{decimal}{rest:02}\u{a0}€"),
        Lang::Nl => format!("€\u{a0}{sign}{grouped}{decimal}{rest:02}"),
    }
}

/// An amount without the currency sign (table columns whose header names the currency).
pub fn amount(lang: Lang, m: Money) -> String {
    money(lang, m)
        .replace(['€', '\u{a0}'], "")
        .trim()
        .to_string()
}

/// A percentage such as `20 %`, `5,5 %` or `12.5%`.
pub fn rate(lang: Lang, r: Rate) -> String {
    // ppm → percent with up to 4 decimals, trailing zeros dropped.
    let ppm = r.ppm();
    let sign = if ppm < 0 { "-" } else { "" };
    let abs = ppm.unsigned_abs();
    let whole = abs / 10_000;
    let frac = abs % 10_000;
    let mut s = format!("{sign}{whole}");
    if frac != 0 {
        let f = format!("{frac:04}");
        s.push(if lang == Lang::En { '.' } else { ',' });
        s.push_str(f.trim_end_matches('0'));
    }
    match lang {
        Lang::En => format!("{s}%"),
        _ => format!("{s}\u{a0}%"),
    }
}

const MONTHS: [[&str; 12]; 3] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
];

fn month_name(lang: Lang, month: i8) -> &'static str {
    let i = usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0);
    match lang {
        Lang::En => MONTHS[0][i],
        Lang::Fr => MONTHS[1][i],
        Lang::Nl => MONTHS[2][i],
    }
}

/// A date in words: `24 November 2026`, `24 novembre 2026`, `24 november 2026`.
pub fn date(lang: Lang, d: Date) -> String {
    format!("{} {} {}", d.day(), month_name(lang, d.month()), d.year())
}

/// A month: `November 2026`, `novembre 2026`.
pub fn month(lang: Lang, m: Month) -> String {
    let first = m.first_day();
    format!("{} {}", month_name(lang, first.month()), first.year())
}

/// A quantity in thousandths, without trailing zeros: `3`, `1,5`, `0.25`.
pub fn quantity(lang: Lang, thousandths: i64) -> String {
    let sign = if thousandths < 0 { "-" } else { "" };
    let abs = thousandths.unsigned_abs();
    let mut s = format!("{sign}{}", abs / 1000);
    let frac = abs % 1000;
    if frac != 0 {
        s.push(if lang == Lang::En { '.' } else { ',' });
        s.push_str(format!("{frac:03}").trim_end_matches('0'));
    }
    s
}

/// The words of a UN/ECE recommendation 20 unit.
pub fn unit(lang: Lang, code: &str) -> String {
    let words = match (code, lang) {
        ("DAY", Lang::En) => "day",
        ("DAY", Lang::Fr) => "jour",
        ("DAY", Lang::Nl) => "dag",
        ("HUR", Lang::En) => "hour",
        ("HUR", Lang::Fr) => "heure",
        ("HUR", Lang::Nl) => "uur",
        ("MON", Lang::En) => "month",
        ("MON", Lang::Fr) => "mois",
        ("MON", Lang::Nl) => "maand",
        ("C62", Lang::En) => "unit",
        ("C62", Lang::Fr) => "unité",
        ("C62", Lang::Nl) => "stuk",
        _ => return code.to_string(),
    };
    words.to_string()
}

/// A contract's kind in words.
pub fn contract_kind(lang: Lang, kind: Contract) -> &'static str {
    match (kind, lang) {
        (Contract::Cdi, Lang::En) => "Open-ended contract",
        (Contract::Cdi, Lang::Fr) => "Contrat à durée indéterminée (CDI)",
        (Contract::Cdi, Lang::Nl) => "Overeenkomst van onbepaalde duur",
        (Contract::Cdd, Lang::En) => "Fixed-term contract",
        (Contract::Cdd, Lang::Fr) => "Contrat à durée déterminée (CDD)",
        (Contract::Cdd, Lang::Nl) => "Overeenkomst van bepaalde duur",
        (Contract::CddUsage, Lang::En) => "Fixed-term contract by custom (CDD d'usage)",
        (Contract::CddUsage, Lang::Fr) => "Contrat à durée déterminée d'usage (CDD d'usage)",
        (Contract::CddUsage, Lang::Nl) => {
            "Gebruikelijke overeenkomst van bepaalde duur (CDD d'usage)"
        }
        (Contract::Daily, Lang::En) => "Daily fixed-term contract",
        (Contract::Daily, Lang::Fr) => "Contrat journalier à durée déterminée",
        (Contract::Daily, Lang::Nl) => "Dagcontract van bepaalde duur",
    }
}

/// A payroll status in words.
pub fn status(lang: Lang, status: Status) -> &'static str {
    match (status, lang) {
        (Status::NonCadre, Lang::En) => "Non-executive",
        (Status::NonCadre, Lang::Fr) => "Non-cadre",
        (Status::NonCadre, Lang::Nl) => "Niet-kaderlid",
        (Status::Cadre, Lang::En) => "Executive (cadre)",
        (Status::Cadre, Lang::Fr) => "Cadre",
        (Status::Cadre, Lang::Nl) => "Kaderlid",
        (Status::Employee, Lang::En) => "Employee",
        (Status::Employee, Lang::Fr) => "Employé",
        (Status::Employee, Lang::Nl) => "Bediende",
        (Status::Worker, Lang::En) => "Manual worker",
        (Status::Worker, Lang::Fr) => "Ouvrier",
        (Status::Worker, Lang::Nl) => "Arbeider",
        (Status::Artist, Lang::En) => "Artist",
        (Status::Artist, Lang::Fr) => "Artiste",
        (Status::Artist, Lang::Nl) => "Kunstenaar",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_each_language_writes_them() {
        let m = Money::from_cents(123_456_789);
        assert_eq!(money(Lang::En, m), "€1,234,567.89");
        assert_eq!(money(Lang::Fr, m), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(money(Lang::Nl, m), "€\u{a0}1.234.567,89");
        assert_eq!(money(Lang::En, Money::from_cents(-5)), "-€0.05");
        assert_eq!(amount(Lang::Nl, Money::from_cents(100_000)), "1.000,00");
        assert_eq!(rate(Lang::Fr, Rate::from_ppm(55_000)), "5,5\u{a0}%");
        assert_eq!(rate(Lang::En, Rate::from_ppm(210_000)), "21%");
        assert_eq!(quantity(Lang::Fr, 1_500), "1,5");
        assert_eq!(quantity(Lang::En, 3_000), "3");
        assert_eq!(
            date(Lang::Nl, jiff::civil::date(2026, 3, 1)),
            "1 maart 2026"
        );
    }

    #[test]
    fn every_key_has_three_wordings() {
        for (key, en, fr, nl) in WORDS {
            assert!(!en.is_empty() && !fr.is_empty() && !nl.is_empty(), "{key}");
            assert_eq!(WORDS.iter().filter(|w| w.0 == *key).count(), 1, "{key}");
        }
        assert_eq!(t(Lang::Nl, "invoice"), "Factuur");
    }
}
