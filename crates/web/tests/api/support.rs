//! The harness: the fixture cooperative on a store, the router over it, requests with a bearer
//! token and an optional `Idempotency-Key`, replies read as `(status, json)`, and the row
//! counts of every table.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use ensemble_app::App;
use ensemble_app::testing::{Fixture, fixture};
use ensemble_domain::Money;
use ensemble_store::Store;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// Every table of the core schema (quotes and expense claims add theirs when they land).
pub const TABLES: &[&str] = &[
    "entities",
    "members",
    "users",
    "share_subscriptions",
    "activities",
    "activity_members",
    "budget_movements",
    "clients",
    "sequences",
    "declarations",
    "invoices",
    "contracts",
    "social_declarations",
    "payslips",
    "idempotency_keys",
    "quotes",
    "expense_claims",
    "receipts",
    "expense_receipts",
];

/// The instant the fixture's clock says: invoices are issued on 2026-01-20.
pub fn now() -> jiff::Timestamp {
    "2026-01-20T10:00:00Z".parse().expect("timestamp")
}

pub fn eur(s: &str) -> Money {
    s.parse().expect("amount")
}

/// Runs `$body` with an [`Api`] on every backend the environment offers.
macro_rules! on_every_store {
    ($(#[$attr:meta])* $name:ident, |$api:ident| $body:block) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $(#[$attr])*
        async fn $name() {
            for store in ensemble_store::testing::TestStore::all().await {
                let backend = store.store.backend();
                eprintln!("{} on {backend}", stringify!($name));
                let $api = $crate::support::Api::new(store.store.clone()).await;
                $body
                drop($api);
                store.finish().await;
            }
        }
    };
}
pub(crate) use on_every_store;

/// A reply: its status, its body as JSON (`Null` when empty) and its headers.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub json: Value,
    pub headers: HeaderMap,
}

impl Reply {
    /// The error of an error reply: `(code, field, message)`; panics on another shape.
    pub fn error(&self) -> (&str, Option<&str>, &str) {
        let e = &self.json["error"];
        let obj = e
            .as_object()
            .unwrap_or_else(|| panic!("not an error reply: {} {}", self.status, self.json));
        assert_eq!(
            obj.len(),
            3,
            "the error shape is {{code, message, field}}: {}",
            self.json
        );
        assert_eq!(
            self.json.as_object().map(|o| o.len()),
            Some(1),
            "{}",
            self.json
        );
        (
            e["code"].as_str().expect("error.code"),
            e["field"].as_str(),
            e["message"].as_str().expect("error.message"),
        )
    }

    /// Asserts the status, code and field of an error reply, and returns its message.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str, field: Option<&str>) -> &str {
        assert_eq!(self.status.as_u16(), status, "{}", self.json);
        let (c, f, message) = self.error();
        assert_eq!((c, f), (code, field), "{}", self.json);
        assert!(!message.is_empty());
        message
    }

    /// Asserts a success status and returns the body.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.json);
        &self.json
    }
}

/// The fixture cooperative and the router over it.
pub struct Api {
    pub f: Fixture,
    /// The application behind the router (the same store), kept to count rows.
    pub app: App,
    router: Router,
}

impl Api {
    pub async fn new(store: Arc<dyn Store>) -> Api {
        let f = fixture(store, now()).await;
        let app = f.app.clone();
        Api {
            router: ensemble_web::router(app.clone()),
            app,
            f,
        }
    }

    /// Sends `request` and reads the reply.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{status}: the body is not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        Reply {
            status,
            json,
            headers,
        }
    }

    /// A request to `/api/v1{path}` with a bearer token, an idempotency key and a raw body.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: Option<&str>,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"));
        if let Some(t) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(k) = key {
            request = request.header("Idempotency-Key", k);
        }
        let request = match body {
            Some(b) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => request.body(Body::empty()),
        }
        .expect("a request");
        self.send(request).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.raw(Method::GET, path, Some(token), None, None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Reply {
        self.raw(
            Method::POST,
            path,
            Some(token),
            None,
            Some(&body.to_string()),
        )
        .await
    }

    pub async fn post_with_key(&self, path: &str, token: &str, key: &str, body: &Value) -> Reply {
        self.raw(
            Method::POST,
            path,
            Some(token),
            Some(key),
            Some(&body.to_string()),
        )
        .await
    }

    /// Sends a POST that must be refused with `status`, `code` and `field`, and asserts that
    /// no table gained or lost a row; returns the message.
    pub async fn refused(
        &self,
        path: &str,
        token: &str,
        body: &Value,
        (status, code, field): (u16, &str, Option<&str>),
    ) -> String {
        let before = self.rows().await;
        let reply = self.post(path, token, body).await;
        let message = reply.expect_error(status, code, field).to_string();
        assert_eq!(self.rows().await, before, "{path}: nothing is written");
        message
    }

    /// The row count of `table`, read through the store.
    pub async fn count(&self, table: &str) -> i64 {
        let mut tx = self.app.store.read().await.expect("a read transaction");
        tx.count_rows(table).await.expect("count rows")
    }

    /// The row count of every table.
    pub async fn rows(&self) -> BTreeMap<&'static str, i64> {
        let mut counts = BTreeMap::new();
        for t in TABLES {
            counts.insert(*t, self.count(t).await);
        }
        counts
    }

    // Tokens of the fixture's people.
    pub fn admin(&self) -> &str {
        &self.f.admin_token
    }
    pub fn advisor(&self) -> &str {
        &self.f.advisor_token
    }
    pub fn alice(&self) -> &str {
        &self.f.alice.token
    }
    pub fn bob(&self) -> &str {
        &self.f.bob.token
    }
    pub fn claire(&self) -> &str {
        &self.f.claire.token
    }
    pub fn dave(&self) -> &str {
        &self.f.dave.token
    }
}

/// A JSON string field as text.
#[track_caller]
pub fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// A declaration body for the Belgian activity: Alice's work for the Théâtre du Parc, days
/// `start..=end` of January 2026.
pub fn be_days(api: &Api, start: u8, end: u8, quantity: &str, amount: (&str, &str)) -> Value {
    let mut body = serde_json::json!({
        "activity_id": api.f.be_activity.id,
        "client_id": api.f.be_client.id,
        "period": {
            "start": format!("2026-01-{start:02}"),
            "end": format!("2026-01-{end:02}"),
        },
        "unit": "day",
        "quantity": quantity,
        "description": "Photo shoot of the season's programme",
    });
    body[amount.0] = Value::String(amount.1.to_string());
    body
}

/// Claire's five days of poster design for the Opéra de Lille, 5 to 16 January 2026, 2 000 €
/// excl. VAT.
pub fn fr_days(api: &Api) -> Value {
    serde_json::json!({
        "activity_id": api.f.fr_activity.id,
        "client_id": api.f.fr_client.id,
        "period": {"start": "2026-01-05", "end": "2026-01-16"},
        "unit": "day",
        "quantity": "5",
        "price": "2000",
        "description": "Poster design",
    })
}
