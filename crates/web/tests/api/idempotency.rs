//! `Idempotency-Key` on every POST that creates something: a replay returns the first
//! response (status and body) and writes no row; the same key with another request is a 409
//! `idempotency_key_reused` that writes nothing either.

use serde_json::{Value, json};

use crate::support::{Api, be_days, eur, fr_days, on_every_store, text};

/// Sends `body` with `key`, then replays it and sends `other` with the same key.
async fn check(
    api: &Api,
    path: &str,
    token: &str,
    key: &str,
    body: &Value,
    other: &Value,
    status: u16,
) -> Value {
    let before = api.rows().await;
    let first = api.post_with_key(path, token, key, body).await;
    let first_json = first.expect(status).clone();
    let after = api.rows().await;
    assert_eq!(
        after["idempotency_keys"],
        before["idempotency_keys"] + 1,
        "{path}: the key is saved with what the request wrote"
    );
    for _ in 0..2 {
        let replay = api.post_with_key(path, token, key, body).await;
        assert_eq!(replay.status, first.status, "{path}");
        assert_eq!(
            replay.json, first_json,
            "{path}: the replay is the first response"
        );
        assert_eq!(api.rows().await, after, "{path}: a replay writes nothing");
    }
    let message = api
        .post_with_key(path, token, key, other)
        .await
        .expect_error(409, "idempotency_key_reused", None)
        .to_string();
    assert!(message.contains(key), "{message}");
    assert_eq!(
        api.rows().await,
        after,
        "{path}: a refused reuse writes nothing"
    );
    first_json
}

on_every_store!(
    every_creating_post_replays_and_refuses_another_body,
    |api| {
        let f = &api.f;
        // Entities and accounts (administrator).
        let entity = json!({
            "country": "be",
            "name": "Ensemble Gent",
            "legal_id": "0202.239.951",
            "vat_id": "BE0202239951",
            "iban": "BE68 5390 0754 7034",
            "address": {"lines": ["Korenmarkt 1"], "postcode": "9000", "city": "Gent", "country": "BE"},
        });
        let mut other = entity.clone();
        other["name"] = json!("Ensemble Gand");
        check(
            &api,
            "/entities",
            api.admin(),
            "entity-1",
            &entity,
            &other,
            201,
        )
        .await;
        check(
            &api,
            "/users",
            api.admin(),
            "user-1",
            &json!({"email": "compta@example.coop", "role": "accountant"}),
            &json!({"email": "compta2@example.coop", "role": "accountant"}),
            201,
        )
        .await;

        // Members and shares.
        let eve = json!({
            "entity_id": f.be.id,
            "first_name": "Eve",
            "last_name": "Dupont",
            "email": "eve@example.org",
            "iban": "BE71 0961 2345 6769",
            "national_id": "78061220152",
            "address": {"lines": ["Rue Neuve 1"], "postcode": "1000", "city": "Bruxelles", "country": "BE"},
            "shares": 1,
        });
        let mut other = eve.clone();
        other["shares"] = json!(2);
        let admission = check(
            &api,
            "/members",
            api.advisor(),
            "member-1",
            &eve,
            &other,
            201,
        )
        .await;
        assert!(
            admission["token"]
                .as_str()
                .is_some_and(|t| t.starts_with("ens_"))
        );
        check(
            &api,
            &format!("/members/{}/shares", f.alice.member.id),
            api.alice(),
            "shares-1",
            &json!({"count": 2}),
            &json!({"count": 3}),
            201,
        )
        .await;

        // Activities, their people and budgets.
        check(
            &api,
            "/activities",
            api.alice(),
            "activity-1",
            &json!({"entity_id": f.be.id, "name": "Portraits"}),
            &json!({"entity_id": f.be.id, "name": "Weddings"}),
            201,
        )
        .await;
        let activity = format!("/activities/{}", f.be_activity.id);
        check(
            &api,
            &format!("{activity}/members"),
            api.alice(),
            "people-1",
            &json!({"member_id": f.dave.member.id, "role": "participant"}),
            &json!({"member_id": f.dave.member.id, "role": "manager"}),
            201,
        )
        .await;
        check(
            &api,
            &format!("{activity}/budget-adjustments"),
            api.advisor(),
            "budget-1",
            &json!({"amount": "3000", "label": "Opening balance"}),
            &json!({"amount": "3001", "label": "Opening balance"}),
            201,
        )
        .await;
        let salary = check(
            &api,
            &format!("{activity}/salaries"),
            api.alice(),
            "salary-1",
            &json!({"month": "2026-02", "budget": "2900"}),
            &json!({"month": "2026-02", "budget": "2901"}),
            201,
        )
        .await;
        let cost = eur(text(&salary["payslip"]["employer_cost"]));
        assert!(cost <= eur("2900") && cost > eur("2899.90"), "{cost}");
        assert_eq!(eur(text(&salary["budget_left"])), eur("3000") - cost);
        assert_eq!(api.count("payslips").await, 1);

        // Clients and declarations.
        let client = json!({
            "entity_id": f.be.id,
            "kind": "person",
            "name": "Jan Peeters",
            "address": {"lines": ["Meir 1"], "postcode": "2000", "city": "Antwerpen", "country": "BE"},
        });
        let mut other = client.clone();
        other["name"] = json!("Jan Janssens");
        check(
            &api,
            "/clients",
            api.alice(),
            "client-1",
            &client,
            &other,
            201,
        )
        .await;
        let declared = check(
            &api,
            "/declarations",
            api.alice(),
            "declare-1",
            &be_days(&api, 12, 14, "3", ("price", "1069.52")),
            &be_days(&api, 12, 14, "3", ("price", "1069.53")),
            201,
        )
        .await;
        assert_eq!(declared["invoice"]["number"], "INV-BE-2026-000001");
        assert_eq!(api.count("invoices").await, 1);

        // Validating a queued declaration produces documents: it honours the key too.
        let queued = api
            .post("/declarations", api.claire(), &fr_days(&api))
            .await
            .expect(201)["declaration"]["id"]
            .clone();
        let validated = check(
            &api,
            &format!("/declarations/{}/validate", queued.as_str().expect("id")),
            api.advisor(),
            "validate-1",
            &json!({}),
            &json!({"note": "checked"}),
            200,
        )
        .await;
        assert_eq!(validated["invoice"]["number"], "INV-FR-2026-000001");
        assert_eq!(api.count("invoices").await, 2);
    }
);

on_every_store!(a_key_names_one_request_of_one_user, |api| {
    // The same key and body on another resource is another request, not a replay.
    let body = json!({"count": 1});
    let alice = format!("/members/{}/shares", api.f.alice.member.id);
    let bob = format!("/members/{}/shares", api.f.bob.member.id);
    let first = api
        .post_with_key(&alice, api.advisor(), "shares", &body)
        .await;
    assert_eq!(first.expect(201)["member_id"], json!(api.f.alice.member.id));
    let rows = api.rows().await;
    api.post_with_key(&bob, api.advisor(), "shares", &body)
        .await
        .expect_error(409, "idempotency_key_reused", None);
    assert_eq!(api.rows().await, rows);

    let fr = api
        .post("/declarations", api.claire(), &fr_days(&api))
        .await;
    let fr = fr.expect(201)["declaration"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let mut other = fr_days(&api);
    other["description"] = json!("Signage");
    let fr2 = api.post("/declarations", api.claire(), &other).await;
    let fr2 = fr2.expect(201)["declaration"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    api.post_with_key(
        &format!("/declarations/{fr}/validate"),
        api.advisor(),
        "v",
        &json!({}),
    )
    .await
    .expect(200);
    let rows = api.rows().await;
    api.post_with_key(
        &format!("/declarations/{fr2}/validate"),
        api.advisor(),
        "v",
        &json!({}),
    )
    .await
    .expect_error(409, "idempotency_key_reused", None);
    assert_eq!(api.rows().await, rows);
    let queue = api.get("/queue", api.advisor()).await;
    assert_eq!(queue.expect(200)["declarations"][0]["id"], json!(fr2));

    // Keys belong to their user: Bob's "k" is not Alice's.
    let client = |name: &str| {
        json!({
            "entity_id": api.f.be.id,
            "kind": "person",
            "name": name,
            "address": {"lines": ["Meir 1"], "postcode": "2000", "city": "Antwerpen", "country": "BE"},
        })
    };
    let a = api
        .post_with_key("/clients", api.alice(), "k", &client("Jan"))
        .await;
    let b = api
        .post_with_key("/clients", api.bob(), "k", &client("Jan"))
        .await;
    assert_ne!(a.expect(201)["id"], b.expect(201)["id"]);
    // And to one operation: the same key on another route is free.
    let activity = api
        .post_with_key(
            "/activities",
            api.alice(),
            "k",
            &json!({"entity_id": api.f.be.id, "name": "Jan"}),
        )
        .await;
    activity.expect(201);
});

on_every_store!(a_refused_request_does_not_spend_its_key, |api| {
    let rows = api.rows().await;
    api.post_with_key(
        "/declarations",
        api.alice(),
        "declare",
        &be_days(&api, 12, 12, "1", ("gross", "50")),
    )
    .await
    .expect_error(422, "invalid", Some("gross"));
    api.post_with_key(
        "/declarations",
        api.dave(),
        "declare",
        &be_days(&api, 12, 12, "1", ("price", "500")),
    )
    .await
    .expect_error(403, "forbidden", None);
    assert_eq!(api.rows().await, rows, "no key saved for a refusal");
    let body = be_days(&api, 12, 12, "1", ("price", "500"));
    let first = api
        .post_with_key("/declarations", api.alice(), "declare", &body)
        .await;
    let replay = api
        .post_with_key("/declarations", api.alice(), "declare", &body)
        .await;
    assert_eq!(replay.expect(201), first.expect(201));
    assert_eq!(api.count("declarations").await, 1);
    // Without a key, the same request is a second declaration.
    api.post("/declarations", api.alice(), &body)
        .await
        .expect(201);
    assert_eq!(api.count("declarations").await, 2);
    assert_eq!(api.count("invoices").await, 2);
});
