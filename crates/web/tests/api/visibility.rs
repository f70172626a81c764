//! A member sees only their own: the lists hold none of another member's activities,
//! declarations, invoices, contracts or payslips, and direct reads of them are 403.

use serde_json::{Value, json};

use crate::support::{Api, be_days, fr_days, on_every_store, text};

/// Alice's declared work and salary in Brussels, Claire's validated work in Lille.
struct Documents {
    alice_declaration: String,
    alice_invoice: String,
    alice_contracts: Vec<String>,
    alice_payslips: Vec<String>,
    claire_declaration: String,
}

async fn documents(api: &Api) -> Documents {
    let declared = api
        .post(
            "/declarations",
            api.alice(),
            &be_days(api, 12, 14, "3", ("price", "1069.52")),
        )
        .await;
    let declared = declared.expect(201).clone();
    let activity = format!("/activities/{}", api.f.be_activity.id);
    api.post(
        &format!("{activity}/budget-adjustments"),
        api.advisor(),
        &json!({"amount": "3000", "label": "Opening balance"}),
    )
    .await
    .expect(201);
    let salary = api
        .post(
            &format!("{activity}/salaries"),
            api.alice(),
            &json!({"month": "2026-02"}),
        )
        .await;
    let salary = salary.expect(201).clone();
    let fr = api.post("/declarations", api.claire(), &fr_days(api)).await;
    let claire_declaration = text(&fr.expect(201)["declaration"]["id"]).to_string();
    api.post(
        &format!("/declarations/{claire_declaration}/validate"),
        api.advisor(),
        &json!({}),
    )
    .await
    .expect(200);
    let mut alice_contracts: Vec<String> = declared["contracts"]
        .as_array()
        .expect("contracts")
        .iter()
        .map(|c| text(&c["id"]).to_string())
        .collect();
    alice_contracts.push(text(&salary["contract"]["id"]).to_string());
    Documents {
        alice_declaration: text(&declared["declaration"]["id"]).to_string(),
        alice_invoice: text(&declared["invoice"]["id"]).to_string(),
        alice_contracts,
        alice_payslips: vec![
            text(&declared["payslip"]["id"]).to_string(),
            text(&salary["payslip"]["id"]).to_string(),
        ],
        claire_declaration,
    }
}

/// The ids in a list reply.
fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| text(&x["id"]).to_string())
        .collect()
}

async fn list(api: &Api, path: &str, token: &str) -> Vec<String> {
    ids(api.get(path, token).await.expect(200))
}

on_every_store!(a_member_sees_none_of_another_members_work, |api| {
    let d = documents(&api).await;
    let be_activity = api.f.be_activity.id;
    let alice = api.f.alice.member.id;

    // Dave (same entity, no role on Alice's activity) and Claire (the other entity).
    for (who, token) in [("dave", api.dave()), ("claire", api.claire())] {
        let activities = list(&api, "/activities", token).await;
        let declarations = list(&api, "/declarations", token).await;
        let invoices = list(&api, "/invoices", token).await;
        let contracts = list(&api, "/contracts", token).await;
        let payslips = list(&api, "/payslips", token).await;
        if who == "dave" {
            for list in [&activities, &declarations, &invoices, &contracts, &payslips] {
                assert!(list.is_empty(), "{who}: {list:?}");
            }
        } else {
            assert_eq!(activities, [api.f.fr_activity.id.to_string()]);
            assert_eq!(declarations, std::slice::from_ref(&d.claire_declaration));
            assert_eq!((invoices.len(), contracts.len(), payslips.len()), (1, 1, 1));
        }
        for list in [&declarations, &invoices, &contracts, &payslips] {
            assert!(!list.contains(&d.alice_declaration), "{who}");
            assert!(!list.contains(&d.alice_invoice), "{who}");
            assert!(d.alice_contracts.iter().all(|c| !list.contains(c)), "{who}");
            assert!(d.alice_payslips.iter().all(|p| !list.contains(p)), "{who}");
        }

        // Direct reads are refused.
        let mut paths = vec![
            format!("/activities/{be_activity}"),
            format!("/declarations/{}", d.alice_declaration),
            format!("/invoices/{}", d.alice_invoice),
            format!("/members/{alice}"),
            // Filters on someone else's activity or person.
            format!("/invoices?activity={be_activity}"),
            format!("/contracts?activity={be_activity}"),
            format!("/payslips?activity={be_activity}"),
            format!("/contracts?member={alice}"),
            format!("/payslips?member={alice}"),
        ];
        paths.extend(d.alice_contracts.iter().map(|c| format!("/contracts/{c}")));
        paths.extend(d.alice_payslips.iter().map(|p| format!("/payslips/{p}")));
        for path in paths {
            let rows = api.rows().await;
            api.get(&path, token)
                .await
                .expect_error(403, "forbidden", None);
            assert_eq!(api.rows().await, rows);
        }
    }
    // Claire's documents are hers: Alice reads none of them either.
    api.get(
        &format!("/declarations/{}", d.claire_declaration),
        api.alice(),
    )
    .await
    .expect_error(403, "forbidden", None);
    api.get(&format!("/clients/{}", api.f.fr_client.id), api.alice())
        .await
        .expect_error(403, "forbidden", None);
    // Staff see everything.
    let all = ids(api.get("/payslips", api.advisor()).await.expect(200));
    assert_eq!(all.len(), 3);
    let all = ids(api.get("/contracts", api.advisor()).await.expect(200));
    assert_eq!(all.len(), 5);
});

on_every_store!(
    a_participant_sees_the_activity_but_not_anothers_pay,
    |api| {
        let d = documents(&api).await;
        let be_activity = api.f.be_activity.id;
        // Bob is a participant on Alice's activity: he sees it, its invoices and declarations…
        let activities = ids(api.get("/activities", api.bob()).await.expect(200));
        assert_eq!(activities, [be_activity.to_string()]);
        api.get(&format!("/activities/{be_activity}"), api.bob())
            .await
            .expect(200);
        let invoices = ids(api.get("/invoices", api.bob()).await.expect(200));
        assert_eq!(invoices, std::slice::from_ref(&d.alice_invoice));
        api.get(&format!("/invoices/{}", d.alice_invoice), api.bob())
            .await
            .expect(200);

        // …but none of Alice's contracts and payslips, listed or read directly.
        for path in [
            "/contracts".to_string(),
            "/payslips".to_string(),
            format!("/contracts?activity={be_activity}"),
            format!("/payslips?activity={be_activity}"),
        ] {
            let list = ids(api.get(&path, api.bob()).await.expect(200));
            assert!(list.is_empty(), "{path}: {list:?}");
        }
        for c in &d.alice_contracts {
            api.get(&format!("/contracts/{c}"), api.bob())
                .await
                .expect_error(403, "forbidden", None);
        }
        for p in &d.alice_payslips {
            api.get(&format!("/payslips/{p}"), api.bob())
                .await
                .expect_error(403, "forbidden", None);
        }
        // The declaration's detail is no side door to them.
        let detail = api
            .get(&format!("/declarations/{}", d.alice_declaration), api.bob())
            .await;
        let detail = detail.expect(200);
        assert_eq!(detail["declaration"]["id"], json!(d.alice_declaration));
        assert_eq!(detail["invoice"]["id"], json!(d.alice_invoice));
        assert_eq!(detail["contracts"], json!([]), "Alice's contracts");
        assert_eq!(detail["payslip"], Value::Null, "Alice's payslip");
        // Alice herself and staff see them all.
        for token in [api.alice(), api.advisor()] {
            let detail = api
                .get(&format!("/declarations/{}", d.alice_declaration), token)
                .await;
            assert_eq!(
                detail.expect(200)["contracts"].as_array().map(Vec::len),
                Some(3)
            );
            assert!(detail.json["payslip"].is_object());
        }
    }
);

on_every_store!(a_manager_declaring_for_a_participant, |api| {
    // Alice declares Bob's day: the work, the invoice and the budget are the activity's; the
    // contract and the payslip are Bob's.
    let mut input = be_days(&api, 15, 15, "1", ("price", "500"));
    input["member_id"] = json!(api.f.bob.member.id);
    let r = api.post("/declarations", api.alice(), &input).await;
    let r = r.expect(201).clone();
    assert_eq!(r["declaration"]["member_id"], json!(api.f.bob.member.id));
    assert_eq!(r["invoice"]["number"], "INV-BE-2026-000001");
    assert_eq!(r["contracts"], json!([]));
    assert_eq!(r["payslip"], Value::Null);
    assert_eq!(api.count("contracts").await, 1);
    assert_eq!(api.count("payslips").await, 1);
    let bob = api.get("/payslips", api.bob()).await;
    let bob = bob.expect(200).as_array().expect("list").clone();
    assert_eq!(bob.len(), 1);
    assert_eq!(bob[0]["member_id"], json!(api.f.bob.member.id));
    assert_eq!(bob[0]["status"], "employee");
    let contracts = api.get("/contracts", api.bob()).await;
    assert_eq!(contracts.expect(200).as_array().map(Vec::len), Some(1));
    let mine = api.get("/payslips", api.alice()).await;
    assert_eq!(mine.expect(200), &json!([]));
    let detail = api
        .get(
            &format!("/declarations/{}", text(&r["declaration"]["id"])),
            api.bob(),
        )
        .await;
    assert_eq!(
        detail.expect(200)["contracts"].as_array().map(Vec::len),
        Some(1)
    );
});
