//! Expense claims over HTTP, on SQLite and (with ENSEMBLE_TEST_DATABASE_URL) PostgreSQL: a
//! draft created and saved, a receipt uploaded as multipart/form-data (larger than axum's
//! default 2 MB body limit) and downloaded with its media type, access checks, the claim
//! submitted, approved and reimbursed, and the errors in the API's one shape.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ensemble_app::testing::{Fixture, fixture};
use ensemble_store::testing::TestStore;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

fn now() -> jiff::Timestamp {
    "2026-10-20T10:00:00Z".parse().expect("timestamp")
}

const BOUNDARY: &str = "----ensemble-test-7MA4YWxkTrZu0gW";

/// A part of a multipart body: its name, its file name and media type for a file, its bytes.
type Part<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a [u8]);

/// A multipart/form-data body.
fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file {
            Some((file_name, media_type)) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {media_type}\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

struct Http {
    router: Router,
}

struct Reply {
    status: StatusCode,
    content_type: String,
    disposition: String,
    bytes: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
}

impl Http {
    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status();
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let content_type = header_text(header::CONTENT_TYPE);
        let disposition = header_text(header::CONTENT_DISPOSITION);
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Reply {
            status,
            content_type,
            disposition,
            bytes,
        }
    }

    async fn json(&self, method: &str, uri: &str, token: Option<&str>, body: Value) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("/api/v1{uri}"))
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    async fn get(&self, uri: &str, token: Option<&str>) -> Reply {
        let mut request = Request::builder().uri(format!("/api/v1{uri}"));
        if let Some(t) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    async fn upload(&self, claim: &str, token: &str, body: Vec<u8>, key: Option<&str>) -> Reply {
        let mut request = Request::builder()
            .method("POST")
            .uri(format!("/api/v1/expenses/{claim}/receipts"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            );
        if let Some(k) = key {
            request = request.header("Idempotency-Key", k);
        }
        self.send(request.body(Body::from(body)).expect("request"))
            .await
    }
}

/// A PDF-looking file of `size` bytes (the content decides the type).
fn pdf(size: usize, seed: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..size.saturating_sub(9)).map(|i| b'a' + ((i as u8) ^ seed) % 26));
    bytes
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn error_code(reply: &Reply) -> String {
    reply.json()["error"]["code"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

async fn flow(f: &Fixture, http: &Http) {
    let alice = f.alice.token.as_str();
    let dave = f.dave.token.as_str();
    let advisor = f.advisor_token.as_str();

    // A draft, then saved with two lines.
    let created = http
        .json(
            "POST",
            "/expenses",
            Some(alice),
            json!({ "activity_id": f.be_activity.id.to_string() }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json());
    let claim = created.json();
    assert_eq!(claim["status"], "draft");
    assert_eq!(claim["number"], Value::Null);
    let id = claim["id"].as_str().expect("id").to_string();
    let saved = http
        .json(
            "PUT",
            &format!("/expenses/{id}"),
            Some(alice),
            json!({
                "title": "Shoot in Liège",
                "lines": [
                    { "date": "2026-10-03", "description": "Train", "category": "travel",
                      "amount": "33.60", "vat_rate": 6 },
                    { "date": "2026-10-04", "description": "USB cable", "category": "equipment",
                      "amount": "10.00", "vat_rate": "21" }
                ]
            }),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json());
    let saved = saved.json();
    assert_eq!(saved["lines"][0]["vat"], "1.90");
    assert_eq!(saved["lines"][1]["vat"], "1.74");
    assert_eq!(saved["totals"]["amount"], "43.60");
    assert_eq!(saved["totals"]["vat"], "3.64");

    // A 3 MB receipt: above axum's default 2 MB body limit, within ours.
    let big = pdf(3 * 1024 * 1024, 1);
    let body = multipart(&[
        ("line", None, b"0"),
        ("file", Some(("train ticket.pdf", "application/pdf")), &big),
    ]);
    let up = http.upload(&id, alice, body.clone(), Some("up-1")).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.json());
    let up = up.json();
    let hash = hex_sha256(&big);
    assert_eq!(up["receipt"]["hash"], hash.as_str());
    assert_eq!(up["receipt"]["media_type"], "pdf");
    assert_eq!(up["receipt"]["size"], big.len());
    assert_eq!(up["duplicate"], false);
    assert_eq!(up["claim"]["lines"][0]["receipt"], hash.as_str());
    let path = f.app.data_dir.join("receipts").join(&hash[..2]).join(&hash);
    assert_eq!(std::fs::read(&path).expect("stored file"), big);
    // The same request again: replayed, nothing new.
    let replay = http.upload(&id, alice, body, Some("up-1")).await;
    assert_eq!(replay.status, StatusCode::CREATED);
    assert_eq!(replay.json(), up);

    // Downloaded with its type and name, by its member and staff only.
    let down = http.get(&format!("/receipts/{hash}"), Some(alice)).await;
    assert_eq!(down.status, StatusCode::OK);
    assert_eq!(down.content_type, "application/pdf");
    assert!(
        down.disposition.contains("filename=\"train ticket.pdf\""),
        "{}",
        down.disposition
    );
    assert_eq!(down.bytes, big);
    assert_eq!(
        http.get(&format!("/receipts/{hash}"), Some(advisor))
            .await
            .status,
        StatusCode::OK
    );
    let hidden = http.get(&format!("/receipts/{hash}"), Some(dave)).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&hidden), "not_found");
    assert_eq!(
        http.get(&format!("/receipts/{hash}"), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        http.get("/receipts/not-a-hash", Some(alice)).await.status,
        StatusCode::NOT_FOUND
    );

    // Another member sees nothing of the draft.
    let other = http.get(&format!("/expenses/{id}"), Some(dave)).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&other), "forbidden");
    let listed = http.get("/expenses", Some(dave)).await;
    assert_eq!(listed.json(), json!([]));
    let dave_up = http
        .upload(
            &id,
            dave,
            multipart(&[("file", Some(("x.pdf", "application/pdf")), &pdf(100, 9))]),
            None,
        )
        .await;
    assert_eq!(dave_up.status, StatusCode::FORBIDDEN);

    // Bad uploads, each in the error shape.
    let gif = http
        .upload(
            &id,
            alice,
            multipart(&[("file", Some(("a.gif", "image/gif")), b"GIF89a....")]),
            None,
        )
        .await;
    assert_eq!(gif.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(gif.json()["error"]["field"], "file");
    let missing = http
        .upload(&id, alice, multipart(&[("line", None, b"0")]), None)
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["error"]["field"], "file");
    let not_multipart = http
        .json(
            "POST",
            &format!("/expenses/{id}/receipts"),
            Some(alice),
            json!({ "file": "x" }),
        )
        .await;
    assert_eq!(not_multipart.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&not_multipart), "invalid");
    let huge = pdf(10 * 1024 * 1024 + 200 * 1024, 2);
    let too_big = http
        .upload(
            &id,
            alice,
            multipart(&[("file", Some(("scan.pdf", "application/pdf")), &huge)]),
            None,
        )
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(&too_big), "payload_too_large");
    let just_over = pdf(10 * 1024 * 1024 + 1, 3);
    let over = http
        .upload(
            &id,
            alice,
            multipart(&[("file", Some(("scan.pdf", "application/pdf")), &just_over)]),
            None,
        )
        .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(over.json()["error"]["field"], "file");
    {
        let mut tx = f.app.store.read().await.expect("read");
        assert_eq!(tx.count_rows("receipts").await.expect("count"), 1);
    }

    // Submitting needs a receipt or a reason on every line.
    let refused = http
        .json(
            "POST",
            &format!("/expenses/{id}/submit"),
            Some(alice),
            json!({}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["field"], "lines.receipt");
    let small = pdf(2000, 4);
    let second = http
        .upload(
            &id,
            alice,
            multipart(&[
                ("file", Some(("cable.pdf", "application/pdf")), &small),
                ("line", None, b"1"),
            ]),
            None,
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.json());
    let submitted = http
        .json(
            "POST",
            &format!("/expenses/{id}/submit"),
            Some(alice),
            json!({}),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.json());
    assert_eq!(submitted.json()["number"], "EXP-BE-2026-000001");
    let queue = http.get("/queue", Some(advisor)).await.json();
    assert_eq!(queue["expenses"][0]["id"], id.as_str());

    // Approval by a member is refused; by the advisor it passes.
    let by_member = http
        .json(
            "POST",
            &format!("/expenses/{id}/approve"),
            Some(alice),
            json!({}),
        )
        .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);
    let approved = http
        .json(
            "POST",
            &format!("/expenses/{id}/approve"),
            Some(advisor),
            json!({}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK);
    assert_eq!(approved.json()["status"], "approved");

    // No budget yet: refused; with 50.00 it pays 43.60 and leaves 6.40.
    let short = http
        .json(
            "POST",
            &format!("/expenses/{id}/reimburse"),
            Some(advisor),
            json!({}),
        )
        .await;
    assert_eq!(short.status, StatusCode::CONFLICT);
    assert_eq!(error_code(&short), "insufficient_budget");
    let funded = http
        .json(
            "POST",
            &format!("/activities/{}/budget-adjustments", f.be_activity.id),
            Some(f.admin_token.as_str()),
            json!({ "amount": "50.00", "label": "Opening balance" }),
        )
        .await;
    assert_eq!(funded.status, StatusCode::CREATED, "{}", funded.json());
    let paid = http
        .json(
            "POST",
            &format!("/expenses/{id}/reimburse"),
            Some(advisor),
            json!({}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.json());
    let paid = paid.json();
    assert_eq!(paid["claim"]["status"], "reimbursed");
    assert_eq!(paid["movement"]["amount"], "-43.60");
    assert_eq!(paid["budget"], "6.40");
    let mine = http.get("/expenses?status=reimbursed", Some(alice)).await;
    assert_eq!(mine.json()[0]["id"], id.as_str());
    let bad_status = http.get("/expenses?status=lost", Some(alice)).await;
    assert_eq!(bad_status.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expense_claims_over_http() {
    for store in TestStore::all().await {
        let backend = store.store.backend();
        let mut f = fixture(store.store.clone(), now()).await;
        f.app.data_dir = std::env::temp_dir().join(format!(
            "ensemble-expenses-http-{}-{backend}",
            std::process::id()
        ));
        eprintln!("expense_claims_over_http on {backend}");
        let http = Http {
            router: ensemble_web::router(f.app.clone()),
        };
        flow(&f, &http).await;
        let _ = std::fs::remove_dir_all(&f.app.data_dir);
        store.finish().await;
    }
}
