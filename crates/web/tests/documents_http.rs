//! Documents as files over HTTP, on SQLite and (with `ENSEMBLE_TEST_DATABASE_URL`)
//! PostgreSQL: a member downloads the Factur-X PDF, CII and UBL of their own invoices (a
//! Belgian one validated at once, a French one validated by an advisor) and the PDFs of their
//! payslip and contracts; another member gets 403 for each, staff get them all, an unknown
//! id is a 404. With `ENSEMBLE_VALIDATORS_PYTHON` set, the downloaded invoices also go
//! through the official validators (`shared/validators`), so the conversion from the stored
//! invoice to EN 16931 is judged on real data, not only on the e-invoice matrix.

use std::path::{Path, PathBuf};
use std::process::Command;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ensemble_app::testing::{Fixture, fixture};
use ensemble_store::testing::TestStore;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

fn now() -> jiff::Timestamp {
    "2026-01-20T10:00:00Z".parse().expect("timestamp")
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

struct Http {
    router: Router,
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

    async fn post(&self, uri: &str, token: &str, body: Value) -> Reply {
        let request = Request::builder()
            .method("POST")
            .uri(format!("/api/v1{uri}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        self.send(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    async fn get(&self, uri: &str, token: &str) -> Reply {
        let request = Request::builder()
            .uri(format!("/api/v1{uri}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }
}

fn id(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not an id: {v}"))
        .to_string()
}

/// Whether `bytes` is well-formed XML whose root element is `root` (local name).
fn xml_root(bytes: &[u8]) -> String {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut root = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e)) if root.is_none() => {
                let local = e.local_name();
                let name: &str = local.as_ref();
                root = Some(name.to_string());
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML at {}: {e}", reader.buffer_position()),
        }
        buf.clear();
    }
    root.expect("a root element")
}

/// Someone's work, produced through the API: the invoice, contracts and payslip ids.
struct Work {
    invoice: String,
    contracts: Vec<String>,
    payslip: String,
}

async fn declare(http: &Http, token: &str, body: Value, validate_by: Option<&str>) -> Work {
    let declared = http.post("/declarations", token, body).await;
    assert_eq!(declared.status, StatusCode::CREATED, "{}", declared.json());
    let mut result = declared.json();
    if let Some(advisor) = validate_by {
        let d = id(&result["declaration"]["id"]);
        let validated = http
            .post(&format!("/declarations/{d}/validate"), advisor, json!({}))
            .await;
        assert_eq!(validated.status, StatusCode::OK, "{}", validated.json());
        result = validated.json();
    }
    Work {
        invoice: id(&result["invoice"]["id"]),
        contracts: result["contracts"]
            .as_array()
            .expect("contracts")
            .iter()
            .map(|c| id(&c["id"]))
            .collect(),
        payslip: id(&result["payslip"]["id"]),
    }
}

/// The five files of a piece of work: (path, content type, what the body starts with).
fn files(w: &Work) -> Vec<(String, &'static str)> {
    let mut files = vec![
        (
            format!("/invoices/{}/facturx.pdf", w.invoice),
            "application/pdf",
        ),
        (
            format!("/invoices/{}/cii.xml", w.invoice),
            "application/xml",
        ),
        (
            format!("/invoices/{}/ubl.xml", w.invoice),
            "application/xml",
        ),
        (
            format!("/payslips/{}/payslip.pdf", w.payslip),
            "application/pdf",
        ),
    ];
    files.extend(
        w.contracts
            .iter()
            .map(|c| (format!("/contracts/{c}/contract.pdf"), "application/pdf")),
    );
    files
}

fn validators_dir() -> PathBuf {
    match std::env::var_os("ENSEMBLE_VALIDATORS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/validators"),
    }
}

/// Runs a validator script on `files` and asserts it exits 0.
fn validate(python: &Path, script: &str, flags: &[&str], files: &[PathBuf]) {
    let script = validators_dir().join(script);
    let out = Command::new(python)
        .arg(&script)
        .args(flags)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    assert!(
        out.status.success(),
        "{} {flags:?} refused the downloaded files:\n{}\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn flow(f: &Fixture, http: &Http, backend: &str) {
    let alice = f.alice.token.as_str();
    let claire = f.claire.token.as_str();
    let dave = f.dave.token.as_str();
    let advisor = f.advisor_token.as_str();

    // Alice's three days in Brussels (validated at once), Claire's five days in Lille
    // (validated by an advisor).
    let be = declare(
        http,
        alice,
        json!({
            "activity_id": f.be_activity.id,
            "client_id": f.be_client.id,
            "period": {"start": "2026-01-12", "end": "2026-01-14"},
            "unit": "day",
            "quantity": "3",
            "price": "1069.52",
            "description": "Photo shoot of the season's programme",
        }),
        None,
    )
    .await;
    let fr = declare(
        http,
        claire,
        json!({
            "activity_id": f.fr_activity.id,
            "client_id": f.fr_client.id,
            "period": {"start": "2026-01-05", "end": "2026-01-16"},
            "unit": "day",
            "quantity": "5",
            "price": "2000",
            "description": "Poster design",
        }),
        Some(advisor),
    )
    .await;

    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("documents-http-{backend}"));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("output folder");
    let mut written: Vec<(PathBuf, bool)> = Vec::new();
    for (work, owner, other, french) in [(&be, alice, claire, false), (&fr, claire, alice, true)] {
        for (path, content_type) in files(work) {
            // The owner and staff get the file.
            for token in [owner, advisor] {
                let r = http.get(&path, token).await;
                assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.json());
                assert_eq!(r.content_type, content_type, "{path}");
                assert!(r.disposition.starts_with("attachment; filename="), "{path}");
                if content_type == "application/pdf" {
                    assert!(r.bytes.starts_with(b"%PDF-1.7"), "{path}");
                    assert!(r.bytes.trim_ascii_end().ends_with(b"%%EOF"), "{path}");
                } else {
                    let root = xml_root(&r.bytes);
                    let want = if path.ends_with("cii.xml") {
                        "CrossIndustryInvoice"
                    } else {
                        "Invoice"
                    };
                    assert_eq!(root, want, "{path}");
                }
                if token == owner {
                    let name = path.trim_start_matches('/').replace('/', "-");
                    let file = out.join(name);
                    std::fs::write(&file, &r.bytes).expect("write");
                    if path.contains("/invoices/") {
                        written.push((file, french));
                    }
                }
            }
            // Another member of the other entity, and a member of the same entity with no
            // role on the activity, are refused.
            for token in [other, dave] {
                let r = http.get(&path, token).await;
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
                assert_eq!(r.json()["error"]["code"], "forbidden", "{path}");
            }
        }
    }
    // Unknown and malformed ids are 404s in the API's error shape.
    for path in [
        "/invoices/0190b8a0-0000-7000-8000-000000000000/facturx.pdf".to_string(),
        "/invoices/nope/cii.xml".to_string(),
        "/payslips/0190b8a0-0000-7000-8000-000000000000/payslip.pdf".to_string(),
        "/contracts/nope/contract.pdf".to_string(),
    ] {
        let r = http.get(&path, advisor).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.json()["error"]["code"], "not_found", "{path}");
    }

    // The downloaded invoices before the official validators.
    if let Some(python) = std::env::var_os("ENSEMBLE_VALIDATORS_PYTHON") {
        let python = PathBuf::from(python);
        let pdfs: Vec<PathBuf> = written
            .iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf"))
            .map(|(p, _)| p.clone())
            .collect();
        validate(&python, "check_facturx_pdf.py", &[], &pdfs);
        for french in [false, true] {
            let group: Vec<PathBuf> = written
                .iter()
                .filter(|(_, f)| *f == french)
                .map(|(p, _)| p.clone())
                .collect();
            let mut flags = vec!["--facturx-level", "en16931"];
            if french {
                flags.push("--fr-ctc");
            }
            // The CII and the PDF with the Factur-X rules; the UBL with EN 16931 (and Peppol
            // when it says so).
            let (ubl, cii): (Vec<PathBuf>, Vec<PathBuf>) = group
                .into_iter()
                .partition(|p| p.to_string_lossy().ends_with("ubl.xml"));
            let mut fx = flags.clone();
            fx.insert(0, "--facturx");
            validate(&python, "validate_einvoice.py", &fx, &cii);
            validate(&python, "validate_einvoice.py", &[], &ubl);
        }
        eprintln!("validators: the downloaded invoices pass ({backend})");
    } else {
        eprintln!("SKIPPED the validators: set ENSEMBLE_VALIDATORS_PYTHON");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_download_their_own_documents() {
    for store in TestStore::all().await {
        let backend = store.store.backend();
        let f = fixture(store.store.clone(), now()).await;
        eprintln!("members_download_their_own_documents on {backend}");
        let http = Http {
            router: ensemble_web::router(f.app.clone()),
        };
        flow(&f, &http, backend).await;
        store.finish().await;
    }
}
