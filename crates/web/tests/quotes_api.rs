//! Quotes through the HTTP API, on SQLite and (with ENSEMBLE_TEST_DATABASE_URL) PostgreSQL:
//! a member drafts and sends, an advisor approves, the client answers through the public
//! link without an account, once.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ensemble_app::testing::fixture;
use ensemble_store::testing::TestStore;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

fn now() -> jiff::Timestamp {
    "2026-01-20T10:00:00Z".parse().expect("timestamp")
}

/// Sends one request; returns the status and the JSON body.
async fn call(
    router: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(format!("/api/v1{path}"))
        .header("content-type", "application/json");
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    if let Some(k) = key {
        request = request.header("idempotency-key", k);
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let response = router
        .clone()
        .oneshot(request.body(body).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("JSON body")
    };
    (status, value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quote_travels_through_the_api_and_its_link() {
    for store in TestStore::all().await {
        let backend = store.store.backend();
        eprintln!("quotes API on {backend}");
        let f = fixture(store.store.clone(), now()).await;
        let router = ensemble_web::router(f.app.clone());
        let alice = Some(f.alice.token.as_str());
        let dave = Some(f.dave.token.as_str());
        let advisor = Some(f.advisor_token.as_str());
        let count = |table: &'static str| {
            let app = f.app.clone();
            async move {
                let mut tx = app.store.read().await.expect("read");
                tx.count_rows(table).await.expect("count")
            }
        };

        let body = json!({
            "activity_id": f.be_activity.id,
            "client_id": f.be_client.id,
            "title": "Concert at the Parc",
            "lines": [
                {"description": "Concert", "quantity": 1, "unit": "unit", "unit_price": "1500", "vat_rate": 6},
                {"description": "Rehearsal", "quantity": "2.5", "unit": "hour", "unit_price": "60.00"}
            ]
        });
        // Without a token: 401. On another member's activity: 403, nothing written.
        let (status, _) = call(&router, "POST", "/quotes", None, None, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend}");
        let (status, e) = call(&router, "POST", "/quotes", dave, None, Some(body.clone())).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{backend}: {e}");
        assert_eq!(e["error"]["code"], "forbidden");
        assert_eq!(count("quotes").await, 0);
        // A bad line: 422 naming the field.
        let mut bad = body.clone();
        bad["lines"][0]["vat_rate"] = json!(45);
        let (status, e) = call(&router, "POST", "/quotes", alice, None, Some(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["field"], "lines.vat_rate");
        assert_eq!(count("quotes").await, 0);

        // Drafted (201), replayed with its key.
        let (status, q) = call(
            &router,
            "POST",
            "/quotes",
            alice,
            Some("q-1"),
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{backend}: {q}");
        assert_eq!(q["number"], "QUO-BE-2026-000001");
        assert_eq!(q["status"], "draft");
        // 1 500 at 6 % = 90; 150 at 21 % = 31.50.
        assert_eq!(q["totals"]["net"], "1650.00");
        assert_eq!(q["totals"]["vat"], "121.50");
        assert_eq!(q["totals"]["with_vat"], "1771.50");
        let (status, again) = call(
            &router,
            "POST",
            "/quotes",
            alice,
            Some("q-1"),
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(again, q);
        assert_eq!(count("quotes").await, 1);
        let id = q["id"].as_str().expect("id").to_string();

        // Lines replaced with PUT.
        let (status, q) = call(
            &router,
            "PUT",
            &format!("/quotes/{id}/lines"),
            alice,
            None,
            Some(json!({"lines": [{"description": "Concert", "quantity": "1", "unit": "C62", "unit_price": "1800", "vat_rate": "6"}]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{q}");
        assert_eq!(q["totals"]["with_vat"], "1908.00");

        let (status, q) = call(
            &router,
            "POST",
            &format!("/quotes/{id}/submit"),
            alice,
            None,
            None,
        )
        .await;
        assert_eq!(
            (status, q["status"].as_str()),
            (StatusCode::OK, Some("submitted"))
        );
        let (status, queue) = call(&router, "GET", "/queue", advisor, None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(queue["quotes"][0]["id"], id.as_str());
        let (status, _) = call(
            &router,
            "POST",
            &format!("/quotes/{id}/approve"),
            alice,
            None,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, q) = call(
            &router,
            "POST",
            &format!("/quotes/{id}/approve"),
            advisor,
            None,
            None,
        )
        .await;
        assert_eq!(
            (status, q["status"].as_str()),
            (StatusCode::OK, Some("approved"))
        );
        let (status, sent) = call(
            &router,
            "POST",
            &format!("/quotes/{id}/send"),
            alice,
            None,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{sent}");
        let token = sent["token"].as_str().expect("token").to_string();
        assert_eq!(sent["path"], format!("/quotes/confirm/{token}"));

        // The client: no account needed.
        let (status, view) = call(
            &router,
            "GET",
            &format!("/public/quotes/{token}"),
            None,
            None,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{view}");
        assert_eq!(view["number"], "QUO-BE-2026-000001");
        assert_eq!(view["activity"], "Studio Alice");
        assert!(view.get("id").is_none() && view.get("entity_id").is_none());
        let (status, view) = call(
            &router,
            "POST",
            &format!("/public/quotes/{token}/accept"),
            None,
            None,
            Some(json!({"name": "Marie Dubois"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{view}");
        assert_eq!(view["status"], "accepted");
        // Once: the same link again is 409 and writes nothing.
        let before = (
            count("quotes").await,
            count("invoices").await,
            count("idempotency_keys").await,
        );
        for action in ["accept", "refuse"] {
            let (status, e) = call(
                &router,
                "POST",
                &format!("/public/quotes/{token}/{action}"),
                None,
                None,
                None,
            )
            .await;
            assert_eq!(status, StatusCode::CONFLICT, "{e}");
            assert_eq!(e["error"]["code"], "quote_already_decided");
        }
        let (status, e) = call(
            &router,
            "GET",
            &format!("/public/quotes/{}", "a".repeat(64)),
            None,
            None,
            None,
        )
        .await;
        assert_eq!(
            (status, e["error"]["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
        assert_eq!(
            before,
            (
                count("quotes").await,
                count("invoices").await,
                count("idempotency_keys").await
            )
        );

        // The order is invoiced once (201), replayed with its key, refused without it.
        let (status, o) = call(
            &router,
            "POST",
            &format!("/quotes/{id}/invoice"),
            alice,
            Some("inv-1"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{o}");
        assert_eq!(o["invoice"]["number"], "INV-BE-2026-000001");
        assert_eq!(o["fee"], "117.00"); // 6.5 % of 1 800
        assert_eq!(o["movement"]["amount"], "1683.00");
        let (status, again) = call(
            &router,
            "POST",
            &format!("/quotes/{id}/invoice"),
            alice,
            Some("inv-1"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(again, o);
        let (status, e) = call(
            &router,
            "POST",
            &format!("/quotes/{id}/invoice"),
            alice,
            None,
            None,
        )
        .await;
        assert_eq!(
            (status, e["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("order_already_invoiced"))
        );
        assert_eq!(count("invoices").await, 1);

        let (status, list) =
            call(&router, "GET", "/quotes?status=accepted", alice, None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list.as_array().map(Vec::len), Some(1));
        let (status, list) = call(&router, "GET", "/quotes", dave, None, None).await;
        assert_eq!(
            (status, list.as_array().map(Vec::len)),
            (StatusCode::OK, Some(0))
        );
        let (status, _) = call(&router, "GET", &format!("/quotes/{id}"), dave, None, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(&router, "GET", "/quotes/not-an-id", alice, None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, e) = call(&router, "GET", "/quotes?status=lost", alice, None, None).await;
        assert_eq!(
            (status, e["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
        );

        store.finish().await;
    }
}
