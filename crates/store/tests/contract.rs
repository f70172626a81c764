//! The store's contract, run on SQLite and, when ENSEMBLE_TEST_DATABASE_URL is set, on
//! PostgreSQL: the same migrations, transactions that roll back when dropped, gapless
//! sequences, budgets that cannot go below zero, idempotency keys that cannot be reused.

#![allow(clippy::unwrap_used)] // test data and test setup

use ensemble_domain::activity::{Activity, ActivityStatus};
use ensemble_domain::coop::{CooperativeEntity, LegalId, SharePolicy};
use ensemble_domain::identifiers::{CountryCode, PostalAddress};
use ensemble_domain::{ActivityId, Country, DocumentKind, EntityId, FeePolicy, Money, Rate};
use ensemble_store::testing::TestStore;
use ensemble_store::{BudgetMovement, StoreError};

fn entity() -> CooperativeEntity {
    CooperativeEntity {
        id: EntityId::from_uuid(uuid::Uuid::now_v7()),
        country: Country::Be,
        name: "Ensemble Bruxelles".into(),
        legal_id: LegalId::BeEnterprise("0403170701".parse().unwrap()),
        vat_id: "BE0403170701".parse().unwrap(),
        iban: "BE71096123456769".parse().unwrap(),
        bic: None,
        address: PostalAddress::new(
            &["Rue Royale 1"],
            Some("1000"),
            "Bruxelles",
            CountryCode::parse("BE").unwrap(),
        )
        .unwrap(),
        fee: FeePolicy::standard(Country::Be),
        shares: SharePolicy::standard(Country::Be),
        vat_rate: Rate::from_ppm(210_000),
        payment_term_days: 10,
        headcount: 100,
        auto_validate: true,
    }
}

fn activity(entity: EntityId) -> Activity {
    Activity {
        id: ActivityId::from_uuid(uuid::Uuid::now_v7()),
        entity_id: entity,
        name: "Studio".into(),
        description: String::new(),
        status: ActivityStatus::Active,
        fee_override: None,
        budget: Money::ZERO,
    }
}

fn movement(activity: ActivityId, cents: i64) -> BudgetMovement {
    BudgetMovement {
        id: uuid::Uuid::now_v7().to_string(),
        activity_id: activity,
        kind: "adjustment".into(),
        amount: Money::from_cents(cents),
        document: String::new(),
        label: "test".into(),
        created_at: 0,
    }
}

#[test]
fn both_backends_have_the_same_migration_versions() {
    let versions = |dir: &str| {
        let mut v: Vec<String> =
            std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        v.sort();
        v
    };
    assert_eq!(versions("sqlite"), versions("postgres"));
    assert!(!versions("sqlite").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_contract_holds_on_every_backend() {
    for t in TestStore::all().await {
        let s = &t.store;
        let backend = s.backend();
        let e = entity();
        let a = activity(e.id);

        // What a dropped transaction wrote is gone.
        {
            let mut tx = s.write().await.unwrap();
            tx.insert_entity(&e, 1).await.unwrap();
        }
        assert_eq!(
            s.read()
                .await
                .unwrap()
                .count_rows("entities")
                .await
                .unwrap(),
            0,
            "{backend}"
        );

        let mut tx = s.write().await.unwrap();
        tx.insert_entity(&e, 1).await.unwrap();
        tx.insert_activity(&a, 1).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = s.read().await.unwrap();
        assert_eq!(
            tx.entity(e.id).await.unwrap(),
            e,
            "{backend}: an entity reads back as written"
        );
        assert_eq!(tx.activity(a.id).await.unwrap(), a);
        assert!(matches!(
            tx.activity(ActivityId::from_uuid(uuid::Uuid::nil())).await,
            Err(StoreError::NotFound { .. })
        ));
        drop(tx);

        // Sequences: 1, 2, 3; a rolled-back number is given again.
        let mut tx = s.write().await.unwrap();
        assert_eq!(
            tx.next_number(e.id, DocumentKind::Invoice, 2026)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            tx.next_number(e.id, DocumentKind::Invoice, 2026)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            tx.next_number(e.id, DocumentKind::Contract, 2026)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            tx.next_number(e.id, DocumentKind::Invoice, 2027)
                .await
                .unwrap(),
            1
        );
        tx.commit().await.unwrap();
        {
            let mut tx = s.write().await.unwrap();
            assert_eq!(
                tx.next_number(e.id, DocumentKind::Invoice, 2026)
                    .await
                    .unwrap(),
                3
            );
        }
        let mut tx = s.write().await.unwrap();
        assert_eq!(
            tx.next_number(e.id, DocumentKind::Invoice, 2026)
                .await
                .unwrap(),
            3,
            "{backend}: no gap after a rollback"
        );
        tx.commit().await.unwrap();

        // Budgets cannot go below zero.
        let mut tx = s.write().await.unwrap();
        assert_eq!(
            tx.move_budget(&movement(a.id, 10_000)).await.unwrap(),
            Money::from_cents(10_000)
        );
        let err = tx.move_budget(&movement(a.id, -10_001)).await.unwrap_err();
        assert!(
            matches!(err, StoreError::InsufficientBudget { .. }),
            "{backend}: {err}"
        );
        assert_eq!(
            tx.move_budget(&movement(a.id, -10_000)).await.unwrap(),
            Money::ZERO
        );
        tx.commit().await.unwrap();
        assert_eq!(
            s.read()
                .await
                .unwrap()
                .budget_movements(a.id)
                .await
                .unwrap()
                .len(),
            2
        );

        // Idempotency keys: one response per key and scope.
        let mut tx = s.write().await.unwrap();
        tx.store_response("u:op", "k1", "f1", "{\"a\":1}", 1)
            .await
            .unwrap();
        assert!(matches!(
            tx.store_response("u:op", "k1", "f2", "{}", 1).await,
            Err(StoreError::Conflict(_))
        ));
        drop(tx);
        let mut tx = s.write().await.unwrap();
        tx.store_response("u:op", "k1", "f1", "{\"a\":1}", 1)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let stored = s
            .read()
            .await
            .unwrap()
            .stored_response("u:op", "k1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.fingerprint, "f1");
        assert!(
            s.read()
                .await
                .unwrap()
                .stored_response("other:op", "k1")
                .await
                .unwrap()
                .is_none()
        );

        t.finish().await;
    }
}
