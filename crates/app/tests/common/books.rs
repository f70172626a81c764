//! Helpers shared by the books' test files (`fund.rs`, `ledger.rs`), beside `stores.rs`: a
//! Belgian declaration and the transfers an event posted.
#![allow(dead_code)]

use ensemble_app::inputs::{NewDeclaration, PeriodInput};
use ensemble_app::testing::Fixture;
use ensemble_domain::Money;
use ensemble_ledger::{EventId, Transfer};
use jiff::civil::date;

use crate::stores::eur;

/// Three Belgian days for 1 069.52 € excl. VAT (1 000 € of employer cost after the fee).
pub fn be_work(f: &Fixture) -> NewDeclaration {
    NewDeclaration {
        activity_id: f.be_activity.id,
        client_id: f.be_client.id,
        member_id: None,
        period: PeriodInput {
            start: date(2026, 1, 12),
            end: date(2026, 1, 14),
        },
        unit: "day".into(),
        quantity: "3".into(),
        price: Some(eur("1069.52")),
        gross: None,
        description: "Photo shoot".into(),
    }
}

pub async fn event(f: &Fixture, id: &str) -> Vec<Transfer> {
    let mut tx = f.app.store.read().await.expect("read");
    tx.ledger_event(&EventId::new(id).expect("event id"))
        .await
        .expect("transfers")
}

/// (leg, amount) of each transfer.
pub fn legs(transfers: &[Transfer]) -> Vec<(String, Money)> {
    transfers
        .iter()
        .map(|t| {
            let leg = t.id.as_str().rsplit(':').next().unwrap_or("").to_string();
            (leg, t.amount)
        })
        .collect()
}
