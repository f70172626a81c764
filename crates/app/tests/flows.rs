//! The core chain through the use cases, on SQLite and (with ENSEMBLE_TEST_DATABASE_URL) on
//! PostgreSQL: declared work becomes an invoice, contracts, a payslip and budget movements;
//! bad input is refused and writes nothing.

#[macro_use]
#[path = "common/stores.rs"]
mod stores;
use stores::{eur, finish, now, prepare};

use ensemble_app::activities::BudgetAdjustment;
use ensemble_app::inputs::{
    NewClient, NewDeclaration, NewMember, PeriodInput, Rejection, SalaryRequest,
};
use ensemble_app::testing::{Fixture, address, fixture};
use ensemble_app::{AppError, Idempotency};
use ensemble_domain::client::VatCategory;
use ensemble_domain::work::DeclarationStatus;
use ensemble_domain::{Contract, Lang, Money, PaymentReference};
use ensemble_store::testing::TestStore;
use jiff::civil::date;

fn be_days(
    f: &Fixture,
    start: u8,
    end: u8,
    quantity: &str,
    price: Option<&str>,
    gross: Option<&str>,
) -> NewDeclaration {
    NewDeclaration {
        activity_id: f.be_activity.id,
        client_id: f.be_client.id,
        member_id: None,
        period: PeriodInput {
            start: date(2026, 1, start as i8),
            end: date(2026, 1, end as i8),
        },
        unit: "day".into(),
        quantity: quantity.into(),
        price: price.map(eur),
        gross: gross.map(eur),
        description: "Photo shoot of the season's programme".into(),
    }
}

async fn count(f: &Fixture, table: &str) -> i64 {
    let mut tx = f.app.store.read().await.expect("read");
    tx.count_rows(table).await.expect("count")
}

/// Rows of every table a declaration writes.
async fn snapshot(f: &Fixture) -> Vec<i64> {
    let mut counts = Vec::new();
    for t in [
        "declarations",
        "invoices",
        "contracts",
        "social_declarations",
        "payslips",
        "budget_movements",
        "sequences",
        "members",
        "users",
        "clients",
        "idempotency_keys",
    ] {
        counts.push(count(f, t).await);
    }
    counts
}

on_every_store!(
    belgian_work_becomes_invoice_contracts_payslip_and_budget,
    |f| {
        let r = f
            .app
            .declare_work(
                &f.alice.actor,
                &be_days(&f, 12, 14, "3", Some("1069.52"), None),
                None,
            )
            .await
            .expect("declared");
        let d = &r.declaration;
        assert_eq!(
            d.status,
            DeclarationStatus::Validated,
            "the Belgian entity validates at once"
        );
        assert_eq!(d.number.to_string(), "DEC-BE-2026-000001");
        let b = d.breakdown;
        assert!(b.balances());
        // 6.5 % gross-up: 1 069.52 invoiced, 69.52 fee, 1 000.00 for the salary.
        assert_eq!(b.invoiced, eur("1069.52"));
        assert_eq!(b.fee, eur("69.52"));
        assert_eq!(b.vat, eur("224.60")); // 21 % of 1 069.52 = 224.5992
        assert!(
            b.employer_cost <= eur("1000.00") && b.employer_cost > eur("999.90"),
            "{b:?}"
        );
        assert_eq!(b.kept_in_budget, eur("1000.00") - b.employer_cost);

        let invoice = r.invoice.as_ref().expect("an invoice");
        assert_eq!(invoice.number.to_string(), "INV-BE-2026-000001");
        assert_eq!(invoice.totals.with_vat, eur("1294.12"));
        assert_eq!(invoice.due_date, date(2026, 1, 30));
        assert!(matches!(
            invoice.payment_reference,
            PaymentReference::Structured(_)
        ));
        assert_eq!(invoice.lines[0].vat.category, VatCategory::Standard);

        // One daily contract per day, each with its Dimona.
        assert_eq!(r.contracts.len(), 3);
        assert!(
            r.contracts
                .iter()
                .all(|c| c.kind == Contract::Daily && c.start == c.end)
        );
        assert_eq!(r.contracts[0].number.to_string(), "CTR-BE-2026-000001");
        assert_eq!(r.contracts[2].number.to_string(), "CTR-BE-2026-000003");
        assert!(r.contracts[0].title.contains("Théâtre du Parc"));
        let gross: Money = r.contracts.iter().map(|c| c.gross).sum();
        assert_eq!(gross, b.gross);
        assert_eq!(count(&f, "social_declarations").await, 3);

        let payslip = r.payslip.as_ref().expect("a payslip");
        assert_eq!(payslip.net_paid, b.net);
        assert_eq!(payslip.employer_cost, b.employer_cost);

        let detail = f
            .app
            .activity(&f.alice.actor, f.be_activity.id)
            .await
            .expect("activity");
        assert_eq!(detail.activity.budget, b.kept_in_budget);
        assert_eq!(detail.movements.len(), 2);
        assert_eq!(detail.movements[0].amount, eur("1000.00"));
        assert_eq!(detail.movements[1].amount, -b.employer_cost);

        // Everything can be read back as stored.
        let again = f
            .app
            .declaration(&f.alice.actor, d.id)
            .await
            .expect("read back");
        assert_eq!(again.invoice.as_ref(), Some(invoice));
        assert_eq!(again.contracts, r.contracts);
    }
);

on_every_store!(
    gross_wanted_is_grossed_up_and_eu_companies_reverse_charge,
    |f| {
        let mut input = be_days(&f, 19, 19, "1", None, Some("300"));
        input.client_id = f.de_client.id;
        let r = f
            .app
            .declare_work(&f.alice.actor, &input, None)
            .await
            .expect("declared");
        let b = r.declaration.breakdown;
        assert_eq!(b.gross, eur("300"));
        assert_eq!(b.invoiced, f.be.fee.price_for(b.employer_cost));
        assert_eq!(b.vat, Money::ZERO);
        let line = &r.invoice.as_ref().expect("invoice").lines[0];
        assert_eq!(line.vat.category, VatCategory::ReverseCharge);
        assert!(
            line.vat
                .mention(Lang::Fr)
                .expect("mention")
                .contains("Autoliquidation")
        );
    }
);

on_every_store!(french_work_waits_for_an_advisor, |f| {
    let input = NewDeclaration {
        activity_id: f.fr_activity.id,
        client_id: f.fr_client.id,
        member_id: None,
        period: PeriodInput {
            start: date(2026, 1, 5),
            end: date(2026, 1, 16),
        },
        unit: "day".into(),
        quantity: "5".into(),
        price: Some(eur("2000")),
        gross: None,
        description: "Poster design".into(),
    };
    let r = f
        .app
        .declare_work(&f.claire.actor, &input, None)
        .await
        .expect("declared");
    assert_eq!(r.declaration.status, DeclarationStatus::Submitted);
    assert!(r.invoice.is_none() && r.contracts.is_empty());
    assert_eq!(count(&f, "invoices").await, 0);

    // The advisor's queue holds it; a member may not validate.
    let queue = f
        .app
        .declarations(&f.advisor, Some(DeclarationStatus::Submitted))
        .await
        .expect("queue");
    assert_eq!(queue.len(), 1);
    let err = f
        .app
        .validate_declaration(&f.claire.actor, r.declaration.id, None)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err}");

    let key = Idempotency::new("validate-1", b"{}").expect("key");
    let v = f
        .app
        .validate_declaration(&f.advisor, r.declaration.id, Some(&key))
        .await
        .expect("validated");
    let invoice = v.invoice.as_ref().expect("invoice");
    assert_eq!(invoice.number.to_string(), "INV-FR-2026-000001");
    assert!(matches!(invoice.payment_reference, PaymentReference::Rf(_)));
    assert_eq!(invoice.totals.vat, eur("400")); // 20 %
    assert_eq!(v.contracts.len(), 1);
    assert_eq!(v.contracts[0].kind, Contract::CddUsage);
    assert_eq!(v.contracts[0].hours, Some(3_500)); // 5 days of 7 h
    let b = v.declaration.breakdown;
    assert_eq!(b.fee, eur("170")); // 8.5 %
    assert!(b.employer_cost <= eur("1830") && b.balances());

    // A replay with the same key gives the same result and writes nothing.
    let before = snapshot(&f).await;
    let replay = f
        .app
        .validate_declaration(&f.advisor, r.declaration.id, Some(&key))
        .await
        .expect("replay");
    assert_eq!(replay, v);
    assert_eq!(snapshot(&f).await, before);
    // Without the key, a second validation is a conflict.
    let err = f
        .app
        .validate_declaration(&f.advisor, r.declaration.id, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "already_decided");
    let err = f
        .app
        .reject_declaration(
            &f.advisor,
            r.declaration.id,
            &Rejection {
                reason: "late".into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "already_decided");
});

on_every_store!(rejected_work_produces_nothing, |f| {
    let input = NewDeclaration {
        activity_id: f.fr_activity.id,
        client_id: f.fr_client.id,
        member_id: None,
        period: PeriodInput {
            start: date(2026, 1, 7),
            end: date(2026, 1, 7),
        },
        unit: "hour".into(),
        quantity: "2.5".into(),
        price: None,
        gross: Some(eur("100")),
        description: "Workshop".into(),
    };
    let r = f
        .app
        .declare_work(&f.claire.actor, &input, None)
        .await
        .expect("declared");
    let d = f
        .app
        .reject_declaration(
            &f.advisor,
            r.declaration.id,
            &Rejection {
                reason: "Wrong client".into(),
            },
        )
        .await
        .expect("rejected");
    assert_eq!(d.status, DeclarationStatus::Rejected);
    assert_eq!(d.rejection.as_deref(), Some("Wrong client"));
    assert_eq!(count(&f, "invoices").await, 0);
    assert_eq!(count(&f, "payslips").await, 0);
});

on_every_store!(bad_input_is_refused_and_writes_nothing, |f| {
    let before = snapshot(&f).await;
    let invalid = |e: AppError| (e.code(), e.field().unwrap_or(""), e.message());

    // An IBAN with wrong check digits.
    let mut m = NewMember {
        entity_id: f.be.id,
        first_name: "Eve".into(),
        last_name: "Dupont".into(),
        email: "eve@example.org".into(),
        iban: "BE71 0961 2345 6760".into(),
        national_id: "78061220152".into(),
        address: address("Rue Neuve 1", "1000", "Bruxelles", "BE"),
        lang: None,
        status: None,
        joined_on: None,
        shares: Some(1),
    };
    let (code, field, message) =
        invalid(f.app.admit_member(&f.advisor, &m, None).await.unwrap_err());
    assert_eq!((code, field), ("invalid", "iban"));
    assert_eq!(
        message,
        "IBAN BE71 0961 2345 6760: check digits do not match"
    );
    // A NISS with wrong check digits.
    m.iban = "BE71096123456769".into();
    m.national_id = "78061220153".into();
    let (code, field, _) = invalid(f.app.admit_member(&f.advisor, &m, None).await.unwrap_err());
    assert_eq!((code, field), ("invalid", "national_id"));
    // A VAT number with wrong check digits.
    let client = NewClient {
        entity_id: f.be.id,
        kind: "company".into(),
        name: "Wrong VAT".into(),
        address: address("Rue de la Loi 3", "1000", "Bruxelles", "BE"),
        vat_id: Some("BE0403170702".into()),
        company_id: None,
        peppol_id: None,
        email: None,
        lang: None,
    };
    let (code, field, _) = invalid(
        f.app
            .create_client(&f.alice.actor, &client, None)
            .await
            .unwrap_err(),
    );
    assert_eq!((code, field), ("invalid", "vat_id"));

    // A negative amount, dates in the wrong order, a quantity that does not fit.
    let (_, field, _) = invalid(
        f.app
            .declare_work(
                &f.alice.actor,
                &be_days(&f, 12, 12, "1", Some("-10"), None),
                None,
            )
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "price");
    let (_, field, message) = invalid(
        f.app
            .declare_work(
                &f.alice.actor,
                &be_days(&f, 14, 12, "1", Some("500"), None),
                None,
            )
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "period.end");
    assert!(message.contains("before it starts"), "{message}");
    let (_, field, _) = invalid(
        f.app
            .declare_work(
                &f.alice.actor,
                &be_days(&f, 12, 13, "3", Some("500"), None),
                None,
            )
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "quantity");
    // Below the Belgian minimum daily wage.
    let (code, field, message) = invalid(
        f.app
            .declare_work(
                &f.alice.actor,
                &be_days(&f, 12, 12, "1", None, Some("50")),
                None,
            )
            .await
            .unwrap_err(),
    );
    assert_eq!((code, field), ("invalid", "gross"));
    assert!(message.contains("minimum"), "{message}");
    let (_, field, message) = invalid(
        f.app
            .declare_work(
                &f.alice.actor,
                &be_days(&f, 12, 12, "1", Some("60"), None),
                None,
            )
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "price");
    assert!(message.contains("minimum"), "{message}");
    // An unknown activity.
    let mut unknown = be_days(&f, 12, 12, "1", Some("500"), None);
    unknown.activity_id = "0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d".parse().expect("id");
    assert_eq!(
        f.app
            .declare_work(&f.alice.actor, &unknown, None)
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
    // A member acting on another member's activity, and a participant declaring for someone else.
    let err = f
        .app
        .declare_work(
            &f.dave.actor,
            &be_days(&f, 12, 12, "1", Some("500"), None),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let mut for_alice = be_days(&f, 12, 12, "1", Some("500"), None);
    for_alice.member_id = Some(f.alice.member.id);
    assert_eq!(
        f.app
            .declare_work(&f.bob.actor, &for_alice, None)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        f.app
            .activity(&f.dave.actor, f.be_activity.id)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );

    assert_eq!(snapshot(&f).await, before, "nothing was written");
});

on_every_store!(idempotency_keys_replay_and_refuse_other_requests, |f| {
    let input = be_days(&f, 20, 21, "2", Some("800"), None);
    let key = Idempotency::for_input("declare-42", &input).expect("key");
    let first = f
        .app
        .declare_work(&f.alice.actor, &input, Some(&key))
        .await
        .expect("first");
    let before = snapshot(&f).await;
    let again = f
        .app
        .declare_work(&f.alice.actor, &input, Some(&key))
        .await
        .expect("replay");
    assert_eq!(again, first);
    assert_eq!(snapshot(&f).await, before);
    let other = be_days(&f, 20, 21, "2", Some("900"), None);
    let key2 = Idempotency::for_input("declare-42", &other).expect("key");
    let err = f
        .app
        .declare_work(&f.alice.actor, &other, Some(&key2))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "idempotency_key_reused");
    assert_eq!(snapshot(&f).await, before);
});

on_every_store!(
    invoice_numbers_stay_gapless_under_concurrent_requests,
    |f| {
        let inputs = (0..16u8)
            .map(|i| {
                let mut input = be_days(&f, 1 + i, 1 + i, "1", Some("400"), None);
                input.description = format!("Concert {i}");
                input
            })
            .collect();
        let (numbers, errors) = stores::declare_concurrently(&f, inputs).await;
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(numbers, (1..=16).collect::<Vec<u32>>());
    }
);

on_every_store!(
    concurrent_declarations_that_fail_leave_the_others_whole,
    |f| {
        // On SQLite the writers waiting together share one database commit, each in its own
        // savepoint: the refused ones must take nothing with them, nor leave anything behind.
        let before = snapshot(&f).await;
        let inputs = (0..24u8)
            .map(|i| {
                let price = if i % 3 == 0 { "60" } else { "400" };
                let mut input = be_days(&f, 1 + i, 1 + i, "1", Some(price), None);
                input.description = format!("Rehearsal {i}");
                input
            })
            .collect();
        let (numbers, errors) = stores::declare_concurrently(&f, inputs).await;
        assert_eq!(numbers, (1..=16).collect::<Vec<u32>>());
        assert_eq!(errors, vec!["invalid"; 8]);
        let after = snapshot(&f).await;
        assert_eq!(after[0] - before[0], 16, "declarations written");
        assert_eq!(after[1] - before[1], 16, "invoices written");
    }
);

on_every_store!(salary_from_budget_pays_what_the_budget_holds, |f| {
    f.app
        .adjust_budget(
            &f.advisor,
            f.be_activity.id,
            &BudgetAdjustment {
                amount: eur("3000"),
                label: "Opening balance".into(),
            },
            None,
        )
        .await
        .expect("adjusted");
    let request = SalaryRequest {
        member_id: None,
        month: "2026-02".parse().expect("month"),
        budget: None,
        description: None,
    };
    // A participant may not; the manager may.
    assert_eq!(
        f.app
            .salary_from_budget(&f.bob.actor, f.be_activity.id, &request, None)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    let s = f
        .app
        .salary_from_budget(&f.alice.actor, f.be_activity.id, &request, None)
        .await
        .expect("paid");
    assert!(s.payslip.employer_cost <= eur("3000"));
    assert_eq!(s.budget_left, eur("3000") - s.payslip.employer_cost);
    assert!(
        s.budget_left < eur("0.05"),
        "the largest gross within the budget: {}",
        s.budget_left
    );
    assert_eq!(s.contract.kind, Contract::Cdd);
    // Nothing left to pay.
    let more = SalaryRequest {
        budget: Some(eur("100")),
        ..request
    };
    assert_eq!(
        f.app
            .salary_from_budget(&f.alice.actor, f.be_activity.id, &more, None)
            .await
            .unwrap_err()
            .code(),
        "insufficient_budget"
    );
});

on_every_store!(
    two_belgian_entities_number_their_documents_each_from_one,
    |f| {
        use ensemble_app::inputs::{NewActivity, NewEntity};
        // A second Belgian cooperative entity: its references start at 1 as the first one's
        // did (numbers are per entity), and neither collides with the other.
        let be2 = f
            .app
            .create_entity(
                &f.admin,
                &NewEntity {
                    country: "be".into(),
                    name: "Ensemble Liège".into(),
                    legal_id: "0202.239.951".into(),
                    vat_id: "BE0202239951".into(),
                    iban: "BE71 0961 2345 6769".into(),
                    bic: None,
                    address: address("Place Saint-Lambert 1", "4000", "Liège", "BE"),
                    fee_rate: None,
                    vat_rate: None,
                    payment_term_days: None,
                    headcount: Some(30),
                    auto_validate: true,
                },
                None,
            )
            .await
            .expect("second BE entity");
        let eve = f
            .app
            .admit_member(
                &f.advisor,
                &NewMember {
                    entity_id: be2.id,
                    first_name: "Eve".into(),
                    last_name: "Lambert".into(),
                    email: "eve@example.org".into(),
                    iban: "BE71096123456769".into(),
                    national_id: "85.07.30-033.28".into(),
                    address: address("Rue Haute 10", "4000", "Liège", "BE"),
                    lang: Some(Lang::Fr),
                    status: Some(ensemble_domain::Status::Artist),
                    joined_on: None,
                    shares: Some(1),
                },
                None,
            )
            .await
            .expect("Eve");
        let eve_actor = ensemble_app::Actor {
            user: eve.user.id,
            role: eve.user.role,
            member: Some(eve.member.id),
            lang: Lang::Fr,
        };
        let activity = f
            .app
            .create_activity(
                &eve_actor,
                &NewActivity {
                    entity_id: be2.id,
                    name: "Studio Eve".into(),
                    description: "Sound".into(),
                    manager: None,
                    fee_rate: None,
                },
                None,
            )
            .await
            .expect("activity");
        let client = f
            .app
            .create_client(
                &eve_actor,
                &NewClient {
                    entity_id: be2.id,
                    kind: "company".into(),
                    name: "Opéra royal de Wallonie".into(),
                    address: address("Place de l'Opéra 1", "4000", "Liège", "BE"),
                    vat_id: Some("BE0403170701".into()),
                    company_id: None,
                    peppol_id: None,
                    email: None,
                    lang: Some(Lang::Fr),
                },
                None,
            )
            .await
            .expect("client");
        let first = f
            .app
            .declare_work(
                &f.alice.actor,
                &be_days(&f, 12, 12, "1", Some("400.00"), None),
                None,
            )
            .await
            .expect("declared in the first entity");
        let mut input = be_days(&f, 12, 12, "1", Some("400.00"), None);
        input.activity_id = activity.id;
        input.client_id = client.id;
        let second = f
            .app
            .declare_work(&eve_actor, &input, None)
            .await
            .expect("declared in the second entity");
        for r in [&first, &second] {
            assert_eq!(r.declaration.number.to_string(), "DEC-BE-2026-000001");
            assert_eq!(
                r.invoice.as_ref().expect("invoice").number.to_string(),
                "INV-BE-2026-000001"
            );
            assert_eq!(r.contracts.len(), 1);
            assert_eq!(r.contracts[0].number.to_string(), "CTR-BE-2026-000001");
        }
        assert_eq!(second.declaration.entity_id, be2.id);
        assert_eq!(count(&f, "invoices").await, 2);
        assert_eq!(count(&f, "contracts").await, 2);
        // Each entity's journal chain still verifies.
        for chain in f.app.ledger_verify().await.expect("verify") {
            assert_eq!(chain.problem, None, "{chain:?}");
        }
        // And each declaration reads back with its own documents only.
        let back = f
            .app
            .declaration(&eve_actor, second.declaration.id)
            .await
            .expect("read back");
        assert_eq!(back.invoice, second.invoice);
        assert_eq!(back.contracts, second.contracts);
        assert_eq!(back.payslip, second.payslip);
    }
);
