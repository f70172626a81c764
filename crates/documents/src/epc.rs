//! The EPC QR code of a SEPA credit transfer ("Girocode"), after the European Payments
//! Council's *Quick Response Code: guidelines to enable data capture for the initiation of a
//! SEPA credit transfer* (EPC069-12, version 3.0): a payload of lines starting with `BCD`,
//! drawn as a QR code of error-correction level M.

use ensemble_domain::identifiers::{Bic, Iban};
use ensemble_domain::{Money, PaymentReference};
use qrcode::{EcLevel, QrCode};

/// What a banking app needs to prefill a transfer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer<'a> {
    pub beneficiary: &'a str,
    pub iban: &'a Iban,
    pub bic: Option<&'a Bic>,
    pub amount: Money,
    pub reference: &'a PaymentReference,
}

/// The payload (EPC069-12 §3.4), or `None` when the amount is outside what a code may carry
/// (0.01 € to 999 999 999.99 €).
///
/// Version `002` (the BIC may be left out within the EEA), character set `1` (UTF-8),
/// identification `SCT`. An RF creditor reference (ISO 11649) goes into the structured
/// remittance field; a Belgian structured communication, which is not an ISO 11649
/// reference, goes into the unstructured field in its `+++…+++` form, which Belgian banking
/// apps recognise. The beneficiary's name is cut at the 70 characters the field allows.
pub fn payload(t: &Transfer<'_>) -> Option<String> {
    let cents = t.amount.cents();
    if !(1..=99_999_999_999).contains(&cents) {
        return None;
    }
    let name: String = t.beneficiary.trim().chars().take(70).collect();
    let (structured, unstructured) = match t.reference {
        PaymentReference::Rf(r) => (r.as_str().to_string(), String::new()),
        PaymentReference::Structured(s) => (String::new(), s.to_string()),
    };
    let lines = [
        "BCD".to_string(),
        "002".to_string(),
        "1".to_string(),
        "SCT".to_string(),
        t.bic.map(|b| b.as_str().to_string()).unwrap_or_default(),
        name,
        t.iban.as_str().to_string(),
        format!("EUR{}.{:02}", cents / 100, cents % 100),
        String::new(), // purpose
        structured,
        unstructured,
    ];
    let mut text = lines.join("\n");
    // Trailing empty fields may be left out.
    while text.ends_with('\n') {
        text.pop();
    }
    Some(text)
}

/// The QR code of `payload` as a square of modules, `true` for dark; `None` if it does not
/// fit a QR code (it always does: a payload is at most 331 bytes).
pub fn modules(payload: &str) -> Option<(usize, Vec<bool>)> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((width, dark))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ensemble_domain::identifiers::{BeStructuredCommunication, RfCreditorReference};

    #[test]
    fn a_belgian_transfer_carries_the_structured_communication_as_text() {
        let iban = Iban::parse("BE71096123456769").unwrap();
        let bic = Bic::parse("GKCCBEBB").unwrap();
        let reference = PaymentReference::Structured(
            BeStructuredCommunication::parse("+++202/6000/04236+++").unwrap(),
        );
        let p = payload(&Transfer {
            beneficiary: "Ensemble Coop Bruxelles SC",
            iban: &iban,
            bic: Some(&bic),
            amount: Money::from_cents(106_952),
            reference: &reference,
        })
        .unwrap();
        assert_eq!(
            p,
            "BCD\n002\n1\nSCT\nGKCCBEBB\nEnsemble Coop Bruxelles SC\nBE71096123456769\nEUR1069.52\n\n\n+++202/6000/04236+++"
        );
        let (width, dark) = modules(&p).unwrap();
        assert_eq!(dark.len(), width * width);
        assert!(width >= 21);
    }

    #[test]
    fn an_rf_reference_is_structured_and_the_bic_optional() {
        let iban = Iban::parse("FR7630006000011234567890189").unwrap();
        let reference =
            PaymentReference::Rf(RfCreditorReference::parse("RF18539007547034").unwrap());
        let p = payload(&Transfer {
            beneficiary: "Ensemble CAE Paris SCOP",
            iban: &iban,
            bic: None,
            amount: Money::from_cents(5),
            reference: &reference,
        })
        .unwrap();
        assert_eq!(
            p,
            "BCD\n002\n1\nSCT\n\nEnsemble CAE Paris SCOP\nFR7630006000011234567890189\nEUR0.05\n\nRF18539007547034"
        );
        let zero = Transfer {
            beneficiary: "x",
            iban: &iban,
            bic: None,
            amount: Money::ZERO,
            reference: &reference,
        };
        assert_eq!(payload(&zero), None);
    }
}
