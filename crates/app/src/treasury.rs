//! What the back office's treasury pages read besides the payouts, statements and fund use
//! cases: an entity's open invoices (to show the reconciliation queue's suggestions and to
//! find the invoice a person names by its number or payment reference) and the guarantee
//! fund's policy in force.

use ensemble_domain::{EntityId, Invalid};
use ensemble_store::banking::OpenInvoiceRow;
use ensemble_store::ledger::FundPolicy;

use crate::access::{require_role, require_staff};
use crate::payouts::TREASURY;
use crate::{Actor, App, AppResult};

/// Letters and digits only, upper case: `+++126/0000/00123+++` and `126 0000 00123` read
/// alike, as do `INV-BE-2026-000123` and `inv be 2026 000123`.
fn key(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The open invoice a person names by its number or its payment reference (structured
/// communication or RF reference), written with or without separators; `invoice_ids` is the
/// field of the error when none (or several) fits.
pub fn find_open_invoice<'a>(
    open: &'a [OpenInvoiceRow],
    text: &str,
) -> Result<&'a OpenInvoiceRow, Invalid> {
    let wanted = key(text);
    if wanted.is_empty() {
        return Err(Invalid::new(
            "invoice_ids",
            "name the invoice: its number or its payment reference",
        ));
    }
    let mut fits = open.iter().filter(|i| {
        key(&i.number.to_string()) == wanted || key(&i.payment_reference.to_string()) == wanted
    });
    match (fits.next(), fits.next()) {
        (Some(i), None) => Ok(i),
        (Some(_), Some(_)) => Err(Invalid::new(
            "invoice_ids",
            format!("\"{}\" names several open invoices", text.trim()),
        )),
        (None, _) => Err(Invalid::new(
            "invoice_ids",
            format!(
                "no open invoice of this entity has the number or payment reference \"{}\"",
                text.trim()
            ),
        )),
    }
}

impl App {
    /// An entity's invoices that still wait for money, with what each client owes
    /// (accountants and administrators).
    pub async fn open_invoices(
        &self,
        actor: &Actor,
        entity: EntityId,
    ) -> AppResult<Vec<OpenInvoiceRow>> {
        require_role(actor, TREASURY)?;
        let mut tx = self.store.read().await?;
        Ok(tx.open_invoices(entity).await?)
    }

    /// The guarantee fund's policy of an entity: its own, else the default (staff).
    pub async fn fund_policy(&self, actor: &Actor, entity: EntityId) -> AppResult<FundPolicy> {
        require_staff(actor)?;
        let mut tx = self.store.read().await?;
        tx.entity(entity).await?;
        crate::ledger::fund_policy(&mut *tx, entity).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ensemble_domain::{
        ClientId, Country, DocumentKind, DocumentNumber, InvoiceId, Money, PaymentReference,
    };
    use jiff::civil::date;

    fn row(sequence: u32) -> OpenInvoiceRow {
        let number = DocumentNumber::new(DocumentKind::Invoice, Country::Be, 2026, sequence);
        OpenInvoiceRow {
            id: InvoiceId::from_uuid(uuid::Uuid::now_v7()),
            payment_reference: PaymentReference::for_invoice(&number),
            number,
            activity_id: ensemble_domain::ActivityId::from_uuid(uuid::Uuid::now_v7()),
            total: Money::from_cents(10_000),
            outstanding: Money::from_cents(10_000),
            client_id: ClientId::from_uuid(uuid::Uuid::now_v7()),
            client_name: "Client".into(),
            issue_date: date(2026, 1, 10),
            due_date: date(2026, 1, 20),
        }
    }

    #[test]
    fn an_invoice_is_found_by_number_or_reference_in_any_spelling() {
        let open = [row(12), row(123)];
        let by_number = find_open_invoice(&open, " inv-be-2026-000123 ").expect("number");
        assert_eq!(by_number.id, open[1].id);
        let reference = open[0].payment_reference.to_string();
        assert!(matches!(
            open[0].payment_reference,
            PaymentReference::Structured(_)
        ));
        let digits: String = reference.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(
            find_open_invoice(&open, &digits).expect("digits").id,
            open[0].id
        );
        assert_eq!(
            find_open_invoice(&open, &reference).expect("as written").id,
            open[0].id
        );
        let missing = find_open_invoice(&open, "INV-BE-2026-000999").expect_err("none");
        assert_eq!(missing.field, "invoice_ids");
        assert!(find_open_invoice(&open, "  ").is_err());
    }
}
