//! The one error shape, `{"error": {"code", "message", "field"}}`, for every failure: 401
//! (with `WWW-Authenticate`), 403, 404, 409 and 422 with the field's path.

use axum::http::{Method, header};
use serde_json::json;

use crate::support::{be_days, on_every_store};

const UNKNOWN: &str = "0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d";

on_every_store!(unauthenticated_is_401_with_www_authenticate, |api| {
    let rows = api.rows().await;
    let unknown_token = format!("ens_{}", "0".repeat(64));
    let declaration = be_days(&api, 12, 12, "1", ("price", "500")).to_string();
    for auth in [
        None,
        Some("Bearer".to_string()),
        Some("Bearer ".to_string()),
        Some("Bearer nonsense".to_string()),
        Some(format!("Bearer {unknown_token}")),
        Some(format!("Basic {}", api.alice())),
        Some(api.alice().to_string()),
    ] {
        for (method, path, body) in [
            (Method::GET, "/me", None),
            (Method::GET, "/activities", None),
            (Method::GET, "/queue", None),
            (Method::POST, "/declarations", Some(declaration.as_str())),
        ] {
            let mut request = axum::http::Request::builder()
                .method(method)
                .uri(format!("/api/v1{path}"));
            if let Some(a) = &auth {
                request = request.header(header::AUTHORIZATION, a);
            }
            let request = request
                .body(axum::body::Body::from(body.unwrap_or("").to_string()))
                .expect("a request");
            let reply = api.send(request).await;
            let message = reply.expect_error(401, "unauthenticated", None);
            assert_eq!(message, "sign in first: no valid token");
            assert_eq!(
                reply
                    .headers
                    .get(header::WWW_AUTHENTICATE)
                    .map(|v| v.to_str().expect("ASCII")),
                Some("Bearer"),
                "{auth:?} {path}"
            );
        }
    }
    assert_eq!(api.rows().await, rows);
    // A valid token with extra spaces is still the user's.
    let reply = api
        .raw(
            Method::GET,
            "/me",
            Some(&format!(" {} ", api.alice())),
            None,
            None,
        )
        .await;
    assert_eq!(reply.expect(200)["role"], "member");
});

on_every_store!(forbidden_is_403, |api| {
    for (token, path, message) in [
        (
            api.alice(),
            "/members",
            "this needs an advisor, accountant or administrator",
        ),
        (
            api.alice(),
            "/queue",
            "this needs an advisor, accountant or administrator",
        ),
        (
            api.bob(),
            &format!("/entities/{}/share-register", api.f.be.id),
            "this needs an advisor, accountant or administrator",
        ),
        (
            api.dave(),
            &format!("/activities/{}", api.f.be_activity.id),
            &format!("you are not a member of activity {}", api.f.be_activity.id),
        ),
        (
            api.dave(),
            &format!("/members/{}", api.f.alice.member.id),
            "you can only see your own member record",
        ),
    ] {
        let reply = api.get(path, token).await;
        assert_eq!(
            reply.expect_error(403, "forbidden", None),
            message,
            "{path}"
        );
    }
    let reply = api
        .post(
            "/users",
            api.advisor(),
            &json!({"email": "x@example.coop", "role": "advisor"}),
        )
        .await;
    assert_eq!(
        reply.expect_error(403, "forbidden", None),
        "this needs the role admin"
    );
});

on_every_store!(not_found_is_404_for_unknown_and_malformed_ids, |api| {
    for (kind, path) in [
        ("entity", "/entities"),
        ("member", "/members"),
        ("activity", "/activities"),
        ("client", "/clients"),
        ("declaration", "/declarations"),
        ("invoice", "/invoices"),
        ("contract", "/contracts"),
        ("payslip", "/payslips"),
    ] {
        let reply = api.get(&format!("{path}/{UNKNOWN}"), api.advisor()).await;
        let message = reply.expect_error(404, "not_found", None);
        assert_eq!(message, format!("no {kind} {UNKNOWN}"), "{path}");
        // A malformed id is no such thing either, not a 400.
        let reply = api.get(&format!("{path}/not-an-id"), api.advisor()).await;
        let message = reply.expect_error(404, "not_found", None);
        assert_eq!(message, format!("no {kind} not-an-id"), "{path}");
    }
    api.get(
        &format!("/entities/{UNKNOWN}/share-register"),
        api.advisor(),
    )
    .await
    .expect_error(404, "not_found", None);
    for path in ["validate", "reject"] {
        let rows = api.rows().await;
        api.post(
            &format!("/declarations/{UNKNOWN}/{path}"),
            api.advisor(),
            &json!({"reason": "x"}),
        )
        .await
        .expect_error(404, "not_found", None);
        api.post(
            &format!("/declarations/12/{path}"),
            api.advisor(),
            &json!({"reason": "x"}),
        )
        .await
        .expect_error(404, "not_found", None);
        assert_eq!(api.rows().await, rows);
    }
    // A route that does not exist answers in the same shape.
    let reply = api.get("/nothing-here", api.alice()).await;
    reply.expect_error(404, "not_found", None);
    let reply = api.post("/invoices", api.alice(), &json!({})).await;
    reply.expect_error(405, "method_not_allowed", None);
    assert_eq!(
        reply
            .headers
            .get(header::ALLOW)
            .map(|v| v.to_str().expect("ASCII")),
        Some("GET,HEAD")
    );
});

on_every_store!(conflicts_are_409, |api| {
    // Already decided.
    let r = api
        .post(
            "/declarations",
            api.alice(),
            &be_days(&api, 12, 12, "1", ("price", "500")),
        )
        .await;
    let id = r.expect(201)["declaration"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let message = api
        .post(
            &format!("/declarations/{id}/validate"),
            api.advisor(),
            &json!({}),
        )
        .await
        .expect_error(409, "already_decided", None)
        .to_string();
    assert_eq!(
        message,
        "declaration DEC-BE-2026-000001 is validated already"
    );
    // Insufficient budget.
    api.post(
        &format!("/activities/{}/salaries", api.f.be_activity.id),
        api.alice(),
        &json!({"month": "2026-02", "budget": "10000"}),
    )
    .await
    .expect_error(409, "insufficient_budget", None);
    // An idempotency key reused with another body.
    let body = json!({"amount": "100", "label": "Opening"});
    let path = format!("/activities/{}/budget-adjustments", api.f.be_activity.id);
    api.post_with_key(&path, api.advisor(), "k-1", &body)
        .await
        .expect(201);
    let message = api
        .post_with_key(
            &path,
            api.advisor(),
            "k-1",
            &json!({"amount": "200", "label": "Opening"}),
        )
        .await
        .expect_error(409, "idempotency_key_reused", None)
        .to_string();
    assert_eq!(
        message,
        "the idempotency key \"k-1\" was used with another request"
    );
});

on_every_store!(invalid_input_is_422_with_the_fields_path, |api| {
    let valid = be_days(&api, 12, 12, "1", ("price", "500"));
    let rows = api.rows().await;

    // An unknown field, at the top and nested.
    let mut body = valid.clone();
    body["colour"] = json!("blue");
    let message = api
        .post("/declarations", api.alice(), &body)
        .await
        .expect_error(422, "invalid", Some("colour"))
        .to_string();
    assert!(message.contains("unknown field `colour`"), "{message}");
    let mut body = valid.clone();
    body["period"]["length"] = json!(3);
    api.post("/declarations", api.alice(), &body)
        .await
        .expect_error(422, "invalid", Some("period.length"));

    // A missing field, at the top and nested.
    let mut body = valid.clone();
    body.as_object_mut().expect("object").remove("unit");
    let message = api
        .post("/declarations", api.alice(), &body)
        .await
        .expect_error(422, "invalid", Some("unit"))
        .to_string();
    assert!(message.contains("missing field `unit`"), "{message}");
    let mut body = valid.clone();
    body["period"]
        .as_object_mut()
        .expect("object")
        .remove("end");
    api.post("/declarations", api.alice(), &body)
        .await
        .expect_error(422, "invalid", Some("period.end"));

    // A value of the wrong type.
    let mut body = valid.clone();
    body["period"]["start"] = json!(20260112);
    api.post("/declarations", api.alice(), &body)
        .await
        .expect_error(422, "invalid", Some("period.start"));
    let mut body = valid.clone();
    body["price"] = json!(true);
    api.post("/declarations", api.alice(), &body)
        .await
        .expect_error(422, "invalid", Some("price"));
    let member = json!({
        "entity_id": api.f.be.id,
        "first_name": "Eve",
        "last_name": "Dupont",
        "email": "eve@example.org",
        "iban": "BE71096123456769",
        "national_id": "78061220152",
        "address": {"lines": "Rue Neuve 1", "city": "Bruxelles", "country": "BE"},
    });
    api.post("/members", api.advisor(), &member)
        .await
        .expect_error(422, "invalid", Some("address.lines"));
    let mut wrong_line = member.clone();
    wrong_line["address"]["lines"] = json!(["Rue Neuve 1", 2]);
    api.post("/members", api.advisor(), &wrong_line)
        .await
        .expect_error(422, "invalid", Some("address.lines[1]"));
    // Both amounts, or neither.
    let mut body = valid.clone();
    body["gross"] = json!("300");
    let message = api
        .post("/declarations", api.alice(), &body)
        .await
        .expect_error(422, "invalid", Some("price"))
        .to_string();
    assert_eq!(
        message,
        "give either the price excl. VAT or the gross salary"
    );
    // An unknown unit.
    let mut body = valid.clone();
    body["unit"] = json!("week");
    api.post("/declarations", api.alice(), &body)
        .await
        .expect_error(422, "invalid", Some("unit"));

    // Not JSON, or no body at all.
    for text in ["{", "[]", "null", "\"text\""] {
        let reply = api
            .raw(
                Method::POST,
                "/declarations",
                Some(api.alice()),
                None,
                Some(text),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 422, "{text}: {}", reply.json);
        assert_eq!(reply.error().0, "invalid");
    }
    let reply = api
        .raw(Method::POST, "/declarations", Some(api.alice()), None, None)
        .await;
    reply.expect_error(422, "invalid", Some("activity_id"));

    // A bad query parameter names it too.
    for (path, field) in [
        ("/activities?entity=brussels", "entity"),
        ("/invoices?activity=1", "activity"),
        ("/payslips?member=me", "member"),
        ("/declarations?status=pending", "status"),
        ("/contracts?limit=many", "limit"),
        ("/invoices?colour=blue", "colour"),
    ] {
        let reply = api.get(path, api.advisor()).await;
        reply.expect_error(422, "invalid", Some(field));
    }
    // An idempotency key that is not one.
    let reply = api
        .post_with_key("/declarations", api.alice(), &"k".repeat(256), &valid)
        .await;
    reply.expect_error(422, "invalid", Some("Idempotency-Key"));

    assert_eq!(api.rows().await, rows, "nothing was written");
});
