//! The OpenAPI document at `/api/v1/openapi.json`: an OpenAPI 3.1 document that lists exactly
//! the API's routes, each with its parameters, body, responses and security; whose `$ref`s all
//! resolve; and whose schemas the API's real replies match, on SQLite and (with
//! `ENSEMBLE_TEST_DATABASE_URL`) PostgreSQL.
//!
//! The replies are checked by a small JSON Schema validator below that knows the keywords
//! utoipa writes and refuses any other, so that a schema it cannot check fails loudly; it
//! also refuses a field that its object's schema does not list, so that every field the API
//! answers is documented.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use ensemble_app::testing::{Fixture, fixture};
use ensemble_store::testing::TestStore;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// Every route of the API: the document must list exactly these.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/health"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/me"),
    ("post", "/api/v1/entities"),
    ("get", "/api/v1/entities"),
    ("get", "/api/v1/entities/{id}"),
    ("get", "/api/v1/entities/{id}/share-register"),
    ("post", "/api/v1/users"),
    ("post", "/api/v1/members"),
    ("get", "/api/v1/members"),
    ("get", "/api/v1/members/{id}"),
    ("post", "/api/v1/members/{id}/shares"),
    ("post", "/api/v1/activities"),
    ("get", "/api/v1/activities"),
    ("get", "/api/v1/activities/{id}"),
    ("post", "/api/v1/activities/{id}/members"),
    ("post", "/api/v1/activities/{id}/budget-adjustments"),
    ("post", "/api/v1/activities/{id}/salaries"),
    ("post", "/api/v1/clients"),
    ("get", "/api/v1/clients"),
    ("get", "/api/v1/clients/{id}"),
    ("post", "/api/v1/declarations"),
    ("get", "/api/v1/declarations"),
    ("post", "/api/v1/declarations/preview"),
    ("get", "/api/v1/declarations/{id}"),
    ("post", "/api/v1/declarations/{id}/validate"),
    ("post", "/api/v1/declarations/{id}/reject"),
    ("get", "/api/v1/queue"),
    ("get", "/api/v1/invoices"),
    ("get", "/api/v1/invoices/{id}"),
    ("get", "/api/v1/invoices/{id}/facturx.pdf"),
    ("get", "/api/v1/invoices/{id}/cii.xml"),
    ("get", "/api/v1/invoices/{id}/ubl.xml"),
    ("get", "/api/v1/contracts"),
    ("get", "/api/v1/contracts/{id}"),
    ("get", "/api/v1/contracts/{id}/contract.pdf"),
    ("get", "/api/v1/payslips"),
    ("get", "/api/v1/payslips/{id}"),
    ("get", "/api/v1/payslips/{id}/payslip.pdf"),
    ("post", "/api/v1/quotes"),
    ("get", "/api/v1/quotes"),
    ("get", "/api/v1/quotes/{id}"),
    ("put", "/api/v1/quotes/{id}/lines"),
    ("post", "/api/v1/quotes/{id}/submit"),
    ("post", "/api/v1/quotes/{id}/approve"),
    ("post", "/api/v1/quotes/{id}/reject"),
    ("post", "/api/v1/quotes/{id}/send"),
    ("post", "/api/v1/quotes/{id}/invoice"),
    ("get", "/api/v1/public/quotes/{token}"),
    ("post", "/api/v1/public/quotes/{token}/accept"),
    ("post", "/api/v1/public/quotes/{token}/refuse"),
    ("post", "/api/v1/expenses"),
    ("get", "/api/v1/expenses"),
    ("get", "/api/v1/expenses/{id}"),
    ("put", "/api/v1/expenses/{id}"),
    ("post", "/api/v1/expenses/{id}/receipts"),
    ("post", "/api/v1/expenses/{id}/submit"),
    ("post", "/api/v1/expenses/{id}/approve"),
    ("post", "/api/v1/expenses/{id}/reject"),
    ("post", "/api/v1/expenses/{id}/reimburse"),
    ("get", "/api/v1/receipts/{hash}"),
    ("post", "/api/v1/payouts"),
    ("get", "/api/v1/payouts"),
    ("get", "/api/v1/payouts/{id}"),
    ("get", "/api/v1/payouts/{id}/pain001"),
    ("post", "/api/v1/payouts/{id}/reject"),
    ("post", "/api/v1/statements"),
    ("get", "/api/v1/reconciliation/queue"),
    ("post", "/api/v1/reconciliation/queue/{line}/assign"),
    ("post", "/api/v1/reconciliation/queue/{line}/dismiss"),
    ("post", "/api/v1/invoices/{id}/payments"),
    ("get", "/api/v1/invoices/{id}/payments"),
    ("get", "/api/v1/entities/{id}/fec"),
    ("get", "/api/v1/entities/{id}/general-ledger"),
    ("get", "/api/v1/entities/{id}/trial-balance"),
    ("get", "/api/v1/entities/{id}/activity-statement"),
    ("get", "/api/v1/entities/{id}/balance-sheet"),
    ("get", "/api/v1/entities/{id}/profit-and-loss"),
    ("get", "/api/v1/entities/{id}/fund-report"),
    ("get", "/api/v1/entities/{id}/settings"),
    ("put", "/api/v1/entities/{id}/settings"),
    ("get", "/api/v1/payroll"),
];

/// The operations without a bearer token.
const PUBLIC: &[&str] = &[
    "get /api/v1/health",
    "get /api/v1/openapi.json",
    "get /api/v1/public/quotes/{token}",
    "post /api/v1/public/quotes/{token}/accept",
    "post /api/v1/public/quotes/{token}/refuse",
];

/// The POSTs that honour `Idempotency-Key`: those that create something or move money.
const IDEMPOTENT: &[&str] = &[
    "post /api/v1/entities",
    "post /api/v1/users",
    "post /api/v1/members",
    "post /api/v1/members/{id}/shares",
    "post /api/v1/activities",
    "post /api/v1/activities/{id}/members",
    "post /api/v1/activities/{id}/budget-adjustments",
    "post /api/v1/activities/{id}/salaries",
    "post /api/v1/clients",
    "post /api/v1/declarations",
    "post /api/v1/declarations/{id}/validate",
    "post /api/v1/quotes",
    "post /api/v1/quotes/{id}/invoice",
    "post /api/v1/expenses",
    "post /api/v1/expenses/{id}/receipts",
    "post /api/v1/expenses/{id}/reimburse",
    "post /api/v1/payouts",
    "post /api/v1/payouts/{id}/reject",
    "post /api/v1/statements",
    "post /api/v1/reconciliation/queue/{line}/assign",
    "post /api/v1/invoices/{id}/payments",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

fn document() -> Value {
    serde_json::to_value(ensemble_web::api::openapi()).expect("the document serialises")
}

/// `(method path, operation)` of every operation.
fn operations(doc: &Value) -> BTreeMap<String, Value> {
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            assert!(METHODS.contains(&method.as_str()), "{path}: {method}");
            ops.insert(format!("{method} {path}"), op.clone());
        }
    }
    ops
}

/// Every `$ref` anywhere in `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k == "$ref" {
                    out.push(x.as_str().expect("a $ref is a string").to_string());
                } else {
                    refs(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// The object a local `$ref` points to.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

#[test]
fn the_document_is_openapi_3_1() {
    let doc = document();
    // `ENSEMBLE_OPENAPI_OUT=FILE` writes it out, to read or to hand to other tools.
    if let Ok(out) = std::env::var("ENSEMBLE_OPENAPI_OUT") {
        let pretty = serde_json::to_string_pretty(&doc).expect("JSON");
        std::fs::write(&out, pretty).expect("the document is written");
    }
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Ensemble API");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["security"], json!([{"bearer": []}]));
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
    // It reads back as an OpenAPI document.
    let text = serde_json::to_string(&doc).expect("JSON");
    let back: utoipa::openapi::OpenApi = serde_json::from_str(&text).expect("parses back");
    assert_eq!(serde_json::to_value(back).expect("JSON"), doc);
}

#[test]
fn the_document_lists_exactly_the_routes() {
    let doc = document();
    let documented: BTreeSet<String> = operations(&doc).into_keys().collect();
    let expected: BTreeSet<String> = ROUTES.iter().map(|(m, p)| format!("{m} {p}")).collect();
    assert_eq!(
        documented.difference(&expected).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "documented but not expected"
    );
    assert_eq!(
        expected.difference(&documented).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "expected but not documented"
    );
}

#[test]
fn every_ref_resolves_and_every_schema_is_used() {
    let doc = document();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 100, "{} refs", all.len());
    for r in &all {
        assert!(
            r.starts_with("#/components/schemas/") || r.starts_with("#/components/responses/"),
            "{r}"
        );
        assert!(resolve(&doc, r).is_some(), "{r} does not resolve");
    }
    let used: BTreeSet<&str> = all.iter().map(String::as_str).collect();
    for kind in ["schemas", "responses"] {
        for name in doc["components"][kind].as_object().expect(kind).keys() {
            let r = format!("#/components/{kind}/{name}");
            assert!(used.contains(r.as_str()), "{r} is never referred to");
        }
    }
}

#[test]
fn every_operation_is_described() {
    let doc = document();
    let mut ids = BTreeSet::new();
    for (key, op) in operations(&doc) {
        let summary = op["summary"].as_str().unwrap_or_default();
        assert!(
            !summary.is_empty() && !summary.contains('\n'),
            "{key}: summary {summary:?}"
        );
        let id = op["operationId"].as_str().expect("operationId").to_string();
        assert!(ids.insert(id.clone()), "{key}: operationId {id} twice");
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{key}: tags"
        );

        // Path parameters: exactly those of the template, each required.
        let path = key.split_once(' ').expect("key").1;
        let in_template: BTreeSet<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let declared: BTreeSet<&str> = params
            .iter()
            .filter(|p| p["in"] == "path")
            .map(|p| {
                assert_eq!(p["required"], true, "{key}: {p}");
                p["name"].as_str().expect("name")
            })
            .collect();
        assert_eq!(declared, in_template, "{key}: path parameters");
        for p in &params {
            assert!(p["schema"].is_object(), "{key}: {p} has a schema");
        }

        // One success with its body (the document itself is any JSON object), and errors in
        // the one shape, by reference.
        let responses = op["responses"].as_object().expect("responses");
        let successes: Vec<_> = responses.keys().filter(|s| s.starts_with('2')).collect();
        assert_eq!(successes.len(), 1, "{key}: {successes:?}");
        let success = &responses[successes[0].as_str()];
        assert!(success["description"].is_string(), "{key}");
        let content = success["content"].as_object().expect("content");
        assert!(!content.is_empty(), "{key}");
        for (status, response) in responses {
            if status.starts_with('2') {
                continue;
            }
            let r = response["$ref"].as_str().unwrap_or_else(|| {
                panic!("{key} {status}: an error response by reference, not {response}")
            });
            let named = resolve(&doc, r).expect("resolves");
            assert_eq!(
                named["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/Error",
                "{key} {status}"
            );
            let expected = match status.as_str() {
                "401" => "Unauthorized",
                "403" => "Forbidden",
                "404" => "NotFound",
                "409" => "Conflict",
                "413" => "TooLarge",
                "422" => "Invalid",
                other => panic!("{key}: unexpected status {other}"),
            };
            assert_eq!(r, format!("#/components/responses/{expected}"), "{key}");
        }
        // A path with an id can answer 404; a body or query can be refused with 422.
        if !in_template.is_empty() {
            assert!(responses.contains_key("404"), "{key}: 404");
        }
        if op["requestBody"].is_object() || params.iter().any(|p| p["in"] == "query") {
            assert!(responses.contains_key("422"), "{key}: 422");
        }
    }
}

#[test]
fn security_is_a_bearer_token_except_on_public_operations() {
    let doc = document();
    for (key, op) in operations(&doc) {
        let responses = &op["responses"];
        if PUBLIC.contains(&key.as_str()) {
            assert_eq!(op["security"], json!([]), "{key} needs no token");
            assert!(responses.get("401").is_none(), "{key}");
        } else {
            assert!(
                op.get("security").is_none(),
                "{key} uses the bearer default"
            );
            assert_eq!(
                responses["401"]["$ref"], "#/components/responses/Unauthorized",
                "{key}"
            );
        }
    }
    let unauthorized = &doc["components"]["responses"]["Unauthorized"];
    assert!(unauthorized["headers"]["WWW-Authenticate"].is_object());
}

#[test]
fn idempotency_keys_are_documented_where_they_are_honoured() {
    let doc = document();
    for (key, op) in operations(&doc) {
        let header: Vec<&Value> = op["parameters"]
            .as_array()
            .map(|ps| ps.iter().filter(|p| p["in"] == "header").collect())
            .unwrap_or_default();
        if IDEMPOTENT.contains(&key.as_str()) {
            assert_eq!(header.len(), 1, "{key}");
            let h = header[0];
            assert_eq!(h["name"], "Idempotency-Key", "{key}");
            assert_ne!(h["required"], true, "{key}: the key is optional");
            assert_eq!(h["schema"]["maxLength"], 255, "{key}");
        } else {
            assert!(header.is_empty(), "{key} does not honour Idempotency-Key");
        }
        if key.starts_with("post ") && op["responses"].get("201").is_some() {
            assert!(
                IDEMPOTENT.contains(&key.as_str()),
                "{key} creates: it takes a key"
            );
        }
    }
}

#[test]
fn key_schemas() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    // Value types are strings with a pattern or a format.
    assert_eq!(schemas["Money"]["type"], "string");
    assert_eq!(schemas["Money"]["pattern"], r"^-?[0-9]{1,12}\.[0-9]{2}$");
    assert_eq!(schemas["Rate"]["type"], "string");
    assert_eq!(schemas["Month"]["type"], "string");
    assert_eq!(schemas["Date"]["format"], "date");
    assert_eq!(schemas["MemberId"]["format"], "uuid");
    assert_eq!(schemas["Iban"]["examples"], json!(["BE71096123456769"]));
    assert_eq!(
        schemas["DocumentNumber"]["examples"],
        json!(["INV-BE-2026-000123"])
    );
    for name in [
        "Iban",
        "Bic",
        "VatId",
        "Siren",
        "Siret",
        "Nir",
        "Niss",
        "BeEnterpriseNumber",
        "BeStructuredCommunication",
        "RfCreditorReference",
        "PeppolId",
        "CountryCode",
        "Email",
        "ReceiptHash",
    ] {
        assert_eq!(schemas[name]["type"], "string", "{name}");
    }
    // The one error shape.
    assert_eq!(schemas["Error"]["required"], json!(["error"]));
    let detail = resolve(
        &doc,
        schemas["Error"]["properties"]["error"]["$ref"]
            .as_str()
            .expect("ref"),
    )
    .expect("ErrorDetail");
    let mut required: Vec<&str> = detail["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    required.sort_unstable();
    assert_eq!(required, ["code", "field", "message"]);
    // A request body refuses unknown fields, as the API does.
    assert_eq!(schemas["NewDeclaration"]["additionalProperties"], false);
    // An optional amount: a Money or null.
    let price = schemas["NewDeclaration"]["properties"]["price"]["oneOf"]
        .as_array()
        .expect("oneOf");
    assert!(
        price
            .iter()
            .any(|b| b["$ref"] == "#/components/schemas/Money")
    );
    assert!(price.iter().any(|b| b["type"] == "null"));
    // The declaration's result and its breakdown.
    for field in ["declaration", "invoice", "contracts", "payslip"] {
        assert!(
            schemas["DeclarationResult"]["properties"][field].is_object(),
            "{field}"
        );
    }
    for field in [
        "invoiced",
        "fee",
        "employer_cost",
        "gross",
        "net",
        "kept_in_budget",
    ] {
        assert_eq!(
            schemas["Breakdown"]["properties"][field]["$ref"], "#/components/schemas/Money",
            "{field}"
        );
    }

    let ops = operations(&doc);
    // The declaration: its body, its 201.
    let declare = &ops["post /api/v1/declarations"];
    assert_eq!(
        declare["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NewDeclaration"
    );
    assert_eq!(
        declare["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/DeclarationResult"
    );
    // The upload: a multipart form with a binary file, 413 when too large.
    let upload = &ops["post /api/v1/expenses/{id}/receipts"];
    let form = &upload["requestBody"]["content"]["multipart/form-data"]["schema"];
    let form = resolve(&doc, form["$ref"].as_str().expect("form ref")).expect("form");
    assert_eq!(form["required"], json!(["file"]));
    let file = resolve(
        &doc,
        form["properties"]["file"]["$ref"]
            .as_str()
            .expect("file ref"),
    )
    .expect("file");
    assert_eq!(file["format"], "binary");
    assert_eq!(
        upload["responses"]["413"]["$ref"],
        "#/components/responses/TooLarge"
    );
    // The download: the file in its media type, with its headers.
    let download = &ops["get /api/v1/receipts/{hash}"]["responses"]["200"];
    let types: BTreeSet<&str> = download["content"]
        .as_object()
        .expect("content")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        types,
        BTreeSet::from(["application/pdf", "image/heic", "image/jpeg", "image/png"])
    );
    assert!(download["headers"]["ETag"].is_object());
    // Lists filter by query parameters, typed.
    let list = &ops["get /api/v1/declarations"]["parameters"][0];
    assert_eq!(list["in"], "query");
    assert_eq!(list["name"], "status");
}

// ---------------------------------------------------------------------------------------
// The replies of the API against the document.

/// The schema keywords utoipa writes that constrain nothing the validator checks.
const ANNOTATIONS: &[&str] = &[
    "description",
    "examples",
    "example",
    "title",
    "default",
    "deprecated",
    "contentMediaType",
    "contentEncoding",
    "readOnly",
    "writeOnly",
];

/// Validates `value` against `schema` (JSON Schema 2020-12 as utoipa writes it), resolving
/// references in `doc`; pushes what does not match.
fn validate(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(s) = schema.as_object() else {
        if schema != &Value::Bool(true) {
            errors.push(format!("{at}: schema {schema} is not an object"));
        }
        return;
    };
    for (keyword, arg) in s {
        match keyword.as_str() {
            "$ref" => {
                let r = arg.as_str().unwrap_or_default();
                match resolve(doc, r) {
                    Some(target) => validate(doc, target, value, at, errors),
                    None => errors.push(format!("{at}: {r} does not resolve")),
                }
            }
            "type" => {
                let types: Vec<&str> = match arg {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => vec![],
                };
                let fits = types.iter().any(|t| match *t {
                    "string" => value.is_string(),
                    "integer" => value.is_i64() || value.is_u64(),
                    "number" => value.is_number(),
                    "boolean" => value.is_boolean(),
                    "array" => value.is_array(),
                    "object" => value.is_object(),
                    "null" => value.is_null(),
                    _ => false,
                });
                if !fits {
                    errors.push(format!("{at}: {value} is not of type {arg}"));
                }
            }
            "properties" => {
                if let (Some(props), Some(obj)) = (arg.as_object(), value.as_object()) {
                    for (name, sub) in props {
                        if let Some(v) = obj.get(name) {
                            validate(doc, sub, v, &format!("{at}.{name}"), errors);
                        }
                    }
                    // Stricter than JSON Schema: a field the schema does not list is an
                    // error even where the schema leaves objects open, so that every field
                    // the API answers is documented.
                    if !s.contains_key("additionalProperties") {
                        for name in obj.keys().filter(|k| !props.contains_key(*k)) {
                            errors.push(format!("{at}: {name} is not documented"));
                        }
                    }
                }
            }
            "required" => {
                if let Some(obj) = value.as_object() {
                    for name in arg
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                    {
                        if !obj.contains_key(name) {
                            errors.push(format!("{at}: the required {name} is missing"));
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(obj) = value.as_object() {
                    let known = s.get("properties").and_then(Value::as_object);
                    for (name, v) in obj {
                        if known.is_some_and(|k| k.contains_key(name)) {
                            continue;
                        }
                        match arg {
                            Value::Bool(false) => {
                                errors.push(format!("{at}: {name} is not a documented field"))
                            }
                            Value::Bool(true) => {}
                            sub => validate(doc, sub, v, &format!("{at}.{name}"), errors),
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = value.as_array() {
                    for (i, v) in items.iter().enumerate() {
                        validate(doc, arg, v, &format!("{at}[{i}]"), errors);
                    }
                }
            }
            "oneOf" | "anyOf" => {
                let branches = arg.as_array().cloned().unwrap_or_default();
                let matching = branches
                    .iter()
                    .filter(|b| {
                        let mut e = Vec::new();
                        validate(doc, b, value, at, &mut e);
                        e.is_empty()
                    })
                    .count();
                let ok = if keyword == "oneOf" {
                    matching == 1
                } else {
                    matching >= 1
                };
                if !ok {
                    errors.push(format!(
                        "{at}: {value} matches {matching} branches of {keyword} {arg}"
                    ));
                }
            }
            "allOf" => {
                for b in arg.as_array().into_iter().flatten() {
                    validate(doc, b, value, at, errors);
                }
            }
            "enum" => {
                if !arg.as_array().is_some_and(|vs| vs.contains(value)) {
                    errors.push(format!("{at}: {value} is not one of {arg}"));
                }
            }
            "const" => {
                if arg != value {
                    errors.push(format!("{at}: {value} is not {arg}"));
                }
            }
            "pattern" => {
                if let Some(text) = value.as_str() {
                    let re = regex_lite::Regex::new(arg.as_str().unwrap_or_default())
                        .expect("a pattern compiles");
                    if !re.is_match(text) {
                        errors.push(format!("{at}: {text:?} does not match {arg}"));
                    }
                }
            }
            "format" => {
                if let Some(text) = value.as_str() {
                    let ok = match arg.as_str().unwrap_or_default() {
                        "date" => text.parse::<jiff::civil::Date>().is_ok() && text.len() == 10,
                        "uuid" => regex_lite::Regex::new(
                            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                        )
                        .expect("uuid pattern")
                        .is_match(text),
                        "email" => text.contains('@'),
                        _ => true,
                    };
                    if !ok {
                        errors.push(format!("{at}: {text:?} is not a {arg}"));
                    }
                }
            }
            "minimum" => {
                if let (Some(v), Some(min)) = (value.as_f64(), arg.as_f64())
                    && v < min
                {
                    errors.push(format!("{at}: {v} < {min}"));
                }
            }
            "maximum" => {
                if let (Some(v), Some(max)) = (value.as_f64(), arg.as_f64())
                    && v > max
                {
                    errors.push(format!("{at}: {v} > {max}"));
                }
            }
            "maxLength" => {
                if let (Some(t), Some(max)) = (value.as_str(), arg.as_u64())
                    && t.chars().count() as u64 > max
                {
                    errors.push(format!("{at}: longer than {max}"));
                }
            }
            "discriminator" => {}
            k if ANNOTATIONS.contains(&k) => {}
            other => errors.push(format!("{at}: the validator does not know `{other}`")),
        }
    }
}

/// The validator refuses what does not match, so that a reply that passes it does match.
#[test]
fn the_validator_catches_mismatches() {
    let doc = document();
    let check = |name: &str, value: Value| {
        let mut errors = Vec::new();
        let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
        validate(&doc, &schema, &value, "$", &mut errors);
        errors
    };
    assert!(check("Money", json!("1069.52")).is_empty());
    assert!(!check("Money", json!("1069.5")).is_empty());
    assert!(!check("Money", json!(1069.52)).is_empty());
    assert!(check("Month", json!("2026-01")).is_empty());
    assert!(!check("Month", json!("2026-13")).is_empty());
    assert!(check("Date", json!("2026-01-20")).is_empty());
    assert!(!check("Date", json!("2026-02-30")).is_empty());
    assert!(!check("MemberId", json!("not-a-uuid")).is_empty());
    let error = json!({"error": {"code": "invalid", "message": "m", "field": null}});
    assert!(check("Error", error.clone()).is_empty());
    let mut extra = error.clone();
    extra["error"]["hint"] = json!("x");
    assert!(!check("Error", extra).is_empty(), "an undocumented field");
    let mut missing = error;
    missing["error"]
        .as_object_mut()
        .expect("object")
        .remove("field");
    assert!(!check("Error", missing).is_empty(), "a missing field");
    let amount = |kind: &str| json!({"kind": kind, "amount": "900.00"});
    assert!(check("WorkAmount", amount("price")).is_empty());
    assert!(
        !check("WorkAmount", amount("tip")).is_empty(),
        "an unknown tag"
    );
    assert!(!check("DeclarationStatus", json!("lost")).is_empty());
}

/// The router, the document, and which operations and statuses the replies covered.
struct Checker {
    router: Router,
    doc: Value,
    covered: RefCell<BTreeSet<(String, u16)>>,
}

/// A reply: status, headers, body.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
    fn text(&self, pointer: &str) -> String {
        self.json()
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{pointer} in {}", self.json()))
            .to_string()
    }
}

const BOUNDARY: &str = "----ensemble-openapi-test";

/// A multipart body with a file field and an optional line field.
fn multipart(file: &[u8], line: Option<usize>) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ticket.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n");
    if let Some(l) = line {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"line\"\r\n\r\n{l}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

impl Checker {
    /// The documented operation (`method path-template`) that serves `path`: the template
    /// whose literal segments all match, the most literal one first.
    fn operation(&self, method: &Method, path: &str) -> String {
        let segments: Vec<&str> = path.split('?').next().unwrap_or(path).split('/').collect();
        let method = method.as_str().to_ascii_lowercase();
        let mut best: Option<(usize, String)> = None;
        for (template, item) in self.doc["paths"].as_object().expect("paths") {
            if item.get(&method).is_none() {
                continue;
            }
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != segments.len() {
                continue;
            }
            let mut literal = 0;
            let fits = parts.iter().zip(&segments).all(|(t, s)| {
                if t.starts_with('{') {
                    true
                } else {
                    literal += 1;
                    t == s
                }
            });
            if fits && best.as_ref().is_none_or(|(n, _)| literal > *n) {
                best = Some((literal, template.clone()));
            }
        }
        let (_, template) = best.unwrap_or_else(|| panic!("no documented {method} {path}"));
        format!("{method} {template}")
    }

    /// Sends a request to `/api/v1{path}` and checks the reply against the document: a
    /// documented status, its media type, and a JSON body that matches the schema.
    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<(&str, Vec<u8>)>,
    ) -> Reply {
        let uri = format!("/api/v1{path}");
        let key = self.operation(&method, &uri);
        let mut request = Request::builder().method(method).uri(&uri);
        if let Some(t) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some((content_type, bytes)) => {
                request = request.header(header::CONTENT_TYPE, content_type);
                Body::from(bytes)
            }
            None => Body::empty(),
        };
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).expect("request"))
            .await
            .expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        let reply = Reply {
            status,
            headers,
            bytes,
        };
        self.check(&key, &reply);
        reply
    }

    async fn json(&self, method: Method, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.send(
            method,
            path,
            token,
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Method::GET, path, token, None).await
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.json(Method::POST, path, token, body).await
    }

    fn check(&self, key: &str, reply: &Reply) {
        let (method, path) = key.split_once(' ').expect("key");
        let op = &self.doc["paths"][path][method];
        let status = reply.status.as_u16();
        let mut response = op["responses"]
            .get(status.to_string())
            .unwrap_or_else(|| {
                panic!(
                    "{key} answered {status}, which is not documented: {}",
                    String::from_utf8_lossy(&reply.bytes)
                )
            })
            .clone();
        if let Some(r) = response["$ref"].as_str() {
            response = resolve(&self.doc, r).expect("response ref").clone();
        }
        let content_type = reply
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let media = response["content"]
            .get(&content_type)
            .unwrap_or_else(|| panic!("{key} {status}: {content_type} is not documented"));
        if content_type == "application/json" {
            let value: Value = serde_json::from_slice(&reply.bytes)
                .unwrap_or_else(|e| panic!("{key} {status}: not JSON: {e}"));
            let mut errors = Vec::new();
            validate(&self.doc, &media["schema"], &value, "$", &mut errors);
            assert!(
                errors.is_empty(),
                "{key} {status} does not match its schema:\n{}\n{value}",
                errors.join("\n")
            );
        }
        for name in response["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|h| h.0)
        {
            assert!(
                reply.headers.contains_key(name.as_str()),
                "{key} {status}: the documented header {name} is missing"
            );
        }
        self.covered.borrow_mut().insert((key.to_string(), status));
    }
}

/// A PDF-looking receipt.
fn pdf(seed: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..2000u32).map(|i| b'a' + ((i as u8) ^ seed) % 26));
    bytes
}

/// Runs the API's flows as its users would, every reply checked against the document, then
/// asserts that every operation answered at least one success, and every error response
/// appeared.
async fn run_flows(f: &Fixture, c: &Checker) {
    let admin = Some(f.admin_token.as_str());
    let advisor = Some(f.advisor_token.as_str());
    let alice = Some(f.alice.token.as_str());
    let bob = Some(f.bob.token.as_str());
    let claire = Some(f.claire.token.as_str());
    let dave = Some(f.dave.token.as_str());
    let be = f.be.id.to_string();
    let be_activity = f.be_activity.id.to_string();
    let nobody = "0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d";

    // System.
    assert_eq!(c.get("/health", None).await.status, StatusCode::OK);
    let served = c.get("/openapi.json", None).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.json(), c.doc, "the served document is the built one");
    assert_eq!(c.get("/me", alice).await.json()["role"], "member");
    assert_eq!(c.get("/me", advisor).await.json()["member"], Value::Null);
    assert_eq!(c.get("/me", None).await.status, StatusCode::UNAUTHORIZED);

    // Entities, users, members.
    let entity = c
        .post(
            "/entities",
            admin,
            json!({
                "country": "be", "name": "Ensemble Liège", "legal_id": "0403.170.701",
                "vat_id": "BE0403170701", "iban": "BE46 0630 0000 0136",
                "address": {"lines": ["Place Saint-Lambert 1"], "postcode": "4000",
                            "city": "Liège", "country": "BE"}
            }),
        )
        .await;
    assert_eq!(entity.status, StatusCode::CREATED, "{}", entity.json());
    assert_eq!(
        c.post("/entities", alice, json!({})).await.status.as_u16(),
        422
    );
    assert_eq!(c.get("/entities", alice).await.status, StatusCode::OK);
    assert_eq!(
        c.get(&format!("/entities/{be}"), alice).await.status,
        StatusCode::OK
    );
    assert_eq!(
        c.get(&format!("/entities/{nobody}"), alice).await.status,
        StatusCode::NOT_FOUND
    );
    let register = c
        .get(&format!("/entities/{be}/share-register"), advisor)
        .await;
    assert_eq!(register.status, StatusCode::OK);
    let user = c
        .post(
            "/users",
            admin,
            json!({"email": "accountant@example.coop", "role": "accountant"}),
        )
        .await;
    assert_eq!(user.status, StatusCode::CREATED, "{}", user.json());
    let eve = c
        .post(
            "/members",
            advisor,
            json!({
                "entity_id": be, "first_name": "Eve", "last_name": "Peeters",
                "email": "eve@example.org", "iban": "BE71096123456769",
                "national_id": "88010112353",
                "address": {"lines": ["Rue Haute 12"], "postcode": "1000",
                            "city": "Bruxelles", "country": "BE"},
                "lang": "nl", "status": "artist", "shares": 1
            }),
        )
        .await;
    assert_eq!(eve.status, StatusCode::CREATED, "{}", eve.json());
    let eve_id = eve.text("/member/id");
    assert_eq!(
        c.get(&format!("/members?entity={be}"), advisor)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        c.get("/members?bogus=1", advisor).await.status.as_u16(),
        422
    );
    assert_eq!(
        c.get(&format!("/members/{}", f.alice.member.id), alice)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        c.get(&format!("/members/{}", f.bob.member.id), alice)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let shares = c
        .post(
            &format!("/members/{}/shares", f.alice.member.id),
            alice,
            json!({"count": 2}),
        )
        .await;
    assert_eq!(shares.status, StatusCode::CREATED, "{}", shares.json());

    // Activities and budgets.
    let opened = c
        .post(
            "/activities",
            dave,
            json!({"entity_id": be, "name": "Dave's sound studio"}),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.json());
    let dave_activity = opened.text("/id");
    let role = c
        .post(
            &format!("/activities/{dave_activity}/members"),
            dave,
            json!({"member_id": eve_id, "role": "participant"}),
        )
        .await;
    assert_eq!(role.status, StatusCode::CREATED, "{}", role.json());
    assert_eq!(c.get("/activities", alice).await.status, StatusCode::OK);
    let adjusted = c
        .post(
            &format!("/activities/{be_activity}/budget-adjustments"),
            advisor,
            json!({"amount": "5000.00", "label": "Opening balance"}),
        )
        .await;
    assert_eq!(adjusted.status, StatusCode::CREATED, "{}", adjusted.json());
    let salary = c
        .post(
            &format!("/activities/{be_activity}/salaries"),
            alice,
            json!({"month": "2026-02", "budget": "3000"}),
        )
        .await;
    assert_eq!(salary.status, StatusCode::CREATED, "{}", salary.json());
    assert_eq!(
        c.post(
            &format!("/activities/{be_activity}/salaries"),
            bob,
            json!({"month": "2026-02"}),
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // Clients.
    let client = c
        .post(
            "/clients",
            alice,
            json!({
                "entity_id": be, "kind": "person", "name": "Marie Dubois",
                "address": {"lines": ["Rue Neuve 5"], "postcode": "1000",
                            "city": "Bruxelles", "country": "BE"}, "lang": "fr"
            }),
        )
        .await;
    assert_eq!(client.status, StatusCode::CREATED, "{}", client.json());
    assert_eq!(c.get("/clients", alice).await.status, StatusCode::OK);
    assert_eq!(
        c.get(&format!("/clients/{}", f.be_client.id), alice)
            .await
            .status,
        StatusCode::OK
    );

    // Declarations: Alice's Belgian work validates at once; Claire's French work queues.
    let alice_work = json!({
        "activity_id": be_activity, "client_id": f.be_client.id,
        "period": {"start": "2026-01-12", "end": "2026-01-14"},
        "unit": "day", "quantity": "3", "price": "900",
        "description": "Photo shoot of the season's programme",
    });
    let preview = c
        .post("/declarations/preview", alice, alice_work.clone())
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.json());
    let declared = c.post("/declarations", alice, alice_work).await;
    assert_eq!(declared.status, StatusCode::CREATED, "{}", declared.json());
    let declaration = declared.text("/declaration/id");
    let invoice = declared.text("/invoice/id");
    let contract = declared.text("/contracts/0/id");
    let payslip = declared.text("/payslip/id");
    let mut bad = json!({
        "activity_id": be_activity, "client_id": f.be_client.id,
        "period": {"start": "2026-01-14", "end": "2026-01-12"},
        "unit": "day", "quantity": "1", "price": "900", "description": "Backwards",
    });
    assert_eq!(
        c.post("/declarations", alice, bad.clone())
            .await
            .status
            .as_u16(),
        422
    );
    bad["period"] = json!({"start": "2026-01-12", "end": "2026-01-12"});
    assert_eq!(
        c.post("/declarations", dave, bad).await.status,
        StatusCode::FORBIDDEN
    );
    let claire_work = |start: &str, end: &str| {
        json!({
            "activity_id": f.fr_activity.id, "client_id": f.fr_client.id,
            "period": {"start": start, "end": end},
            "unit": "day", "quantity": "2", "price": "1000", "description": "Poster design",
        })
    };
    let queued = c
        .post(
            "/declarations",
            claire,
            claire_work("2026-01-05", "2026-01-06"),
        )
        .await;
    assert_eq!(queued.status, StatusCode::CREATED, "{}", queued.json());
    let to_reject = c
        .post(
            "/declarations",
            claire,
            claire_work("2026-01-07", "2026-01-08"),
        )
        .await;
    assert_eq!(to_reject.status, StatusCode::CREATED);
    assert_eq!(c.get("/queue", advisor).await.status, StatusCode::OK);
    assert_eq!(c.get("/queue", alice).await.status, StatusCode::FORBIDDEN);
    let validated = c
        .post(
            &format!("/declarations/{}/validate", queued.text("/declaration/id")),
            advisor,
            json!({}),
        )
        .await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.json());
    let rejected_path = format!("/declarations/{}/reject", to_reject.text("/declaration/id"));
    let rejected = c
        .post(&rejected_path, advisor, json!({"reason": "Wrong client"}))
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.json());
    let again = c
        .post(&rejected_path, advisor, json!({"reason": "Twice"}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.json());
    assert_eq!(c.get("/declarations", alice).await.status, StatusCode::OK);
    assert_eq!(
        c.get("/declarations?status=lost", alice)
            .await
            .status
            .as_u16(),
        422
    );
    assert_eq!(
        c.get(&format!("/declarations/{declaration}"), alice)
            .await
            .status,
        StatusCode::OK
    );

    // Documents.
    for list in ["/invoices", "/contracts", "/payslips"] {
        assert_eq!(c.get(list, alice).await.status, StatusCode::OK, "{list}");
        assert_eq!(
            c.get(&format!("{list}?activity={be_activity}&limit=5"), alice)
                .await
                .status,
            StatusCode::OK,
            "{list}"
        );
    }
    assert_eq!(c.get("/invoices?limit=0", alice).await.status.as_u16(), 422);
    for one in [
        format!("/invoices/{invoice}"),
        format!("/contracts/{contract}"),
        format!("/payslips/{payslip}"),
        format!("/invoices/{invoice}/facturx.pdf"),
        format!("/invoices/{invoice}/cii.xml"),
        format!("/invoices/{invoice}/ubl.xml"),
        format!("/contracts/{contract}/contract.pdf"),
        format!("/payslips/{payslip}/payslip.pdf"),
    ] {
        assert_eq!(c.get(&one, alice).await.status, StatusCode::OK, "{one}");
    }
    // The activity now has movements.
    assert_eq!(
        c.get(&format!("/activities/{be_activity}"), alice)
            .await
            .status,
        StatusCode::OK
    );

    // Quotes: drafted, approved, sent, accepted through the link, invoiced; one sent back to
    // draft; one refused.
    let quote = |title: &str| {
        json!({
            "activity_id": be_activity, "client_id": f.be_client.id, "title": title,
            "lines": [{"description": "Concert", "quantity": 1, "unit": "unit",
                       "unit_price": "1500", "vat_rate": 6}]
        })
    };
    let sent_quote = |title: &'static str| {
        let body = quote(title);
        async move {
            let q = c.post("/quotes", alice, body).await;
            assert_eq!(q.status, StatusCode::CREATED, "{}", q.json());
            let id = q.text("/id");
            let submitted = c
                .post(&format!("/quotes/{id}/submit"), alice, json!({}))
                .await;
            assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.json());
            let approved = c
                .post(&format!("/quotes/{id}/approve"), advisor, json!({}))
                .await;
            assert_eq!(approved.status, StatusCode::OK, "{}", approved.json());
            let sent = c
                .post(&format!("/quotes/{id}/send"), alice, json!({}))
                .await;
            assert_eq!(sent.status, StatusCode::OK, "{}", sent.json());
            (id, sent.text("/token"))
        }
    };
    let (accepted, token) = sent_quote("Concert at the Parc").await;
    assert_eq!(
        c.get(&format!("/public/quotes/{token}"), None).await.status,
        StatusCode::OK
    );
    let yes = c
        .post(
            &format!("/public/quotes/{token}/accept"),
            None,
            json!({"name": "Marie Dubois"}),
        )
        .await;
    assert_eq!(yes.status, StatusCode::OK, "{}", yes.json());
    let twice = c
        .post(&format!("/public/quotes/{token}/accept"), None, json!({}))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let order = c
        .post(&format!("/quotes/{accepted}/invoice"), alice, json!({}))
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{}", order.json());
    let (_, refused) = sent_quote("Second concert").await;
    let no = c
        .post(&format!("/public/quotes/{refused}/refuse"), None, json!({}))
        .await;
    assert_eq!(no.status, StatusCode::OK, "{}", no.json());
    let draft = c.post("/quotes", alice, quote("Third concert")).await;
    let draft = draft.text("/id");
    let lines = c
        .json(
            Method::PUT,
            &format!("/quotes/{draft}/lines"),
            alice,
            json!({"lines": [{"description": "Concert", "quantity": "2.5", "unit": "hour",
                              "unit_price": "60.00"}]}),
        )
        .await;
    assert_eq!(lines.status, StatusCode::OK, "{}", lines.json());
    c.post(&format!("/quotes/{draft}/submit"), alice, json!({}))
        .await;
    let back = c
        .post(
            &format!("/quotes/{draft}/reject"),
            advisor,
            json!({"reason": "Add the travel"}),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.json());
    assert_eq!(
        c.get("/quotes?status=draft", alice).await.status,
        StatusCode::OK
    );
    assert_eq!(
        c.get(&format!("/quotes/{draft}"), alice).await.status,
        StatusCode::OK
    );
    assert_eq!(
        c.get(&format!("/public/quotes/{}", "0".repeat(64)), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Expenses: a claim with a receipt, saved, submitted, approved, reimbursed; one rejected.
    let claim = c
        .post(
            "/expenses",
            alice,
            json!({
                "activity_id": be_activity, "title": "Shoot in Liège",
                "lines": [{"date": "2026-01-15", "description": "Train", "category": "travel",
                           "amount": "33.60", "vat_rate": 6}]
            }),
        )
        .await;
    assert_eq!(claim.status, StatusCode::CREATED, "{}", claim.json());
    let claim = claim.text("/id");
    let form = format!("multipart/form-data; boundary={BOUNDARY}");
    let upload = c
        .send(
            Method::POST,
            &format!("/expenses/{claim}/receipts"),
            alice,
            Some((&form, multipart(&pdf(1), Some(0)))),
        )
        .await;
    assert_eq!(upload.status, StatusCode::CREATED, "{}", upload.json());
    let hash = upload.text("/receipt/hash");
    let too_large = c
        .send(
            Method::POST,
            &format!("/expenses/{claim}/receipts"),
            alice,
            Some((&form, multipart(&vec![b'%'; 11 * 1024 * 1024], None))),
        )
        .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    let saved = c
        .json(
            Method::PUT,
            &format!("/expenses/{claim}"),
            alice,
            json!({
                "title": "Shoot in Liège",
                "lines": [
                    {"date": "2026-01-15", "description": "Train", "category": "travel",
                     "amount": "33.60", "vat_rate": 6, "receipt": hash},
                    {"date": "2026-01-15", "description": "Parking", "amount": "4.00",
                     "vat_rate": 0, "no_receipt_reason": "Parking meter"}
                ]
            }),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json());
    assert_eq!(
        c.get(&format!("/expenses/{claim}"), alice).await.status,
        StatusCode::OK
    );
    let file = c.get(&format!("/receipts/{hash}"), alice).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, pdf(1));
    let submitted = c
        .post(&format!("/expenses/{claim}/submit"), alice, json!({}))
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.json());
    let approved = c
        .post(&format!("/expenses/{claim}/approve"), advisor, json!({}))
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.json());
    let paid = c
        .post(&format!("/expenses/{claim}/reimburse"), advisor, json!({}))
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.json());
    let other = c
        .post(
            "/expenses",
            alice,
            json!({
                "activity_id": be_activity, "title": "Lunch",
                "lines": [{"date": "2026-01-16", "description": "Lunch", "category": "meals",
                           "amount": "18.00", "vat_rate": 12, "no_receipt_reason": "Lost"}]
            }),
        )
        .await;
    let other = other.text("/id");
    c.post(&format!("/expenses/{other}/submit"), alice, json!({}))
        .await;
    let refused = c
        .post(
            &format!("/expenses/{other}/reject"),
            advisor,
            json!({"reason": "Not a business lunch"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::OK, "{}", refused.json());
    assert_eq!(
        c.get("/expenses?status=reimbursed", alice).await.status,
        StatusCode::OK
    );

    // Treasury: a payout batch and its file, a statement with two unknown credits, the queue.
    let batch = c
        .post(
            "/payouts",
            admin,
            json!({"entity_id": be, "execution_date": "2026-01-31"}),
        )
        .await;
    assert_eq!(batch.status, StatusCode::CREATED, "{}", batch.json());
    let batch_id = batch.text("/batch/id");
    assert_eq!(
        c.post(
            "/payouts",
            admin,
            json!({"entity_id": be, "execution_date": "2026-01-31"})
        )
        .await
        .status,
        StatusCode::CONFLICT,
        "nothing more is due"
    );
    assert_eq!(
        c.post(
            "/payouts",
            advisor,
            json!({"entity_id": be, "execution_date": "2026-01-31"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(c.get("/payouts", admin).await.status, StatusCode::OK);
    assert_eq!(
        c.get(&format!("/payouts?entity={be}"), admin).await.status,
        StatusCode::OK
    );
    assert_eq!(
        c.get(&format!("/payouts/{batch_id}"), admin).await.status,
        StatusCode::OK
    );
    let file = c.get(&format!("/payouts/{batch_id}/pain001"), admin).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&file.bytes).contains("pain.001.001.09"));
    let statement = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>OPENAPI-1</MsgId><CreDtTm>2026-01-30T20:00:00+01:00</CreDtTm></GrpHdr>\
         <Stmt><Id>OPENAPI-1</Id><Acct><Id><IBAN>{}</IBAN></Id><Ccy>EUR</Ccy></Acct>\
         <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-30</Dt></Dt></Bal>\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">130.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-30</Dt></Dt></Bal>\
         <Ntry><Amt Ccy=\"EUR\">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-01-30</Dt></BookgDt><AcctSvcrRef>OA-1</AcctSvcrRef>\
         <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\
         <NtryDtls><TxDtls><Refs><AcctSvcrRef>OA-1</AcctSvcrRef></Refs><RltdPties><Dbtr><Pty><Nm>Somebody</Nm></Pty></Dbtr></RltdPties><RmtInf><Ustrd>merci</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\
         <Ntry><Amt Ccy=\"EUR\">20.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-01-30</Dt></BookgDt><AcctSvcrRef>OA-2</AcctSvcrRef>\
         <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\
         <NtryDtls><TxDtls><Refs><AcctSvcrRef>OA-2</AcctSvcrRef></Refs><RltdPties><Dbtr><Pty><Nm>A refund</Nm></Pty></Dbtr></RltdPties></TxDtls></NtryDtls></Ntry>\
         </Stmt></BkToCstmrStmt></Document>",
        f.be.iban.to_string().replace(' ', "")
    );
    let imported = c
        .send(
            Method::POST,
            "/statements",
            admin,
            Some(("application/xml", statement.clone().into_bytes())),
        )
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.json());
    assert_eq!(imported.json()["statements"][0]["queued"], 2);
    let broken = c
        .send(
            Method::POST,
            "/statements",
            admin,
            Some((
                &format!("multipart/form-data; boundary={BOUNDARY}"),
                multipart(&statement.as_bytes()[..400], None),
            )),
        )
        .await;
    assert_eq!(broken.status.as_u16(), 422);
    assert_eq!(broken.json()["error"]["field"], "file");
    let queue = c
        .get(&format!("/reconciliation/queue?entity={be}"), admin)
        .await;
    assert_eq!(queue.status, StatusCode::OK);
    let lines: Vec<(String, String)> = queue
        .json()
        .as_array()
        .expect("a list")
        .iter()
        .map(|q| {
            (
                q["line"]["fingerprint"]
                    .as_str()
                    .expect("fingerprint")
                    .to_string(),
                q["line"]["amount"].as_str().expect("amount").to_string(),
            )
        })
        .collect();
    assert_eq!(lines.len(), 2);
    let ten = &lines.iter().find(|l| l.1 == "10.00").expect("10.00").0;
    let twenty = &lines.iter().find(|l| l.1 == "20.00").expect("20.00").0;
    let assigned = c
        .post(
            &format!("/reconciliation/queue/{ten}/assign"),
            admin,
            json!({"invoice_ids": [invoice]}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.json());
    let dismissed = c
        .post(
            &format!("/reconciliation/queue/{twenty}/dismiss"),
            admin,
            json!({"reason": "A refund of a supplier"}),
        )
        .await;
    assert_eq!(dismissed.status, StatusCode::OK, "{}", dismissed.json());
    // A cheque recorded by hand on the same invoice, then the invoice's payments.
    let cheque = json!({"amount": "5.00", "paid_on": "2026-01-31", "method": "cheque", "reference": "CHQ 0001234"});
    let paid = c
        .post(
            &format!("/invoices/{invoice}/payments"),
            admin,
            cheque.clone(),
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{}", paid.json());
    assert_eq!(paid.json()["payment"]["amount"], "5.00");
    assert_eq!(paid.json()["payment"]["source"], "manual");
    assert_eq!(
        c.post(
            &format!("/invoices/{invoice}/payments"),
            admin,
            cheque.clone()
        )
        .await
        .status,
        StatusCode::CONFLICT,
        "the same cheque twice"
    );
    assert_eq!(
        c.post(
            &format!("/invoices/{invoice}/payments"),
            admin,
            json!({"amount": "0.00", "paid_on": "2026-01-31", "method": "cash", "reference": "R-1"})
        )
        .await
        .status
        .as_u16(),
        422
    );
    assert_eq!(
        c.post(&format!("/invoices/{invoice}/payments"), alice, cheque)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let payments = c.get(&format!("/invoices/{invoice}/payments"), admin).await;
    assert_eq!(payments.status, StatusCode::OK);
    let list = payments.json();
    let sources: Vec<&str> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| p["source"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(sources, vec!["statement", "manual"]);
    assert_eq!(
        c.get("/reconciliation/queue?all=true", admin).await.status,
        StatusCode::OK
    );
    let rejected = c
        .post(
            &format!("/payouts/{batch_id}/reject"),
            admin,
            json!({"reason": "AC04 closed account"}),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.json());
    // The books as files (accountants and administrators).
    let fr = f.fr.id.to_string();
    let fec = c.get(&format!("/entities/{fr}/fec?year=2026"), admin).await;
    assert_eq!(fec.status, StatusCode::OK);
    assert!(fec.bytes.starts_with(b"JournalCode\tJournalLib"));
    for path in [
        format!("/entities/{be}/general-ledger?from=2026-01-01&to=2026-12-31"),
        format!("/entities/{be}/trial-balance?date=2026-12-31&book=analytic"),
        format!(
            "/entities/{be}/activity-statement?activity={be_activity}&from=2026-01-01&to=2026-12-31"
        ),
        format!("/entities/{be}/balance-sheet?date=2026-12-31"),
        format!("/entities/{be}/profit-and-loss?from=2026-01-01&to=2026-12-31"),
    ] {
        let r = c.get(&path, admin).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
    }
    let report = c
        .get(
            &format!("/entities/{be}/fund-report?date=2026-12-31"),
            admin,
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.json());
    assert_eq!(report.text("/entity_id"), be);
    assert_eq!(
        c.get(
            &format!("/entities/{be}/fund-report?date=31/12/2026"),
            admin
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        c.get(&format!("/entities/{be}/fec?year=2026"), admin)
            .await
            .status
            .as_u16(),
        422,
        "no FEC in Belgium"
    );
    assert_eq!(
        c.get(&format!("/entities/{fr}/fec?year=2026"), alice)
            .await
            .status
            .as_u16(),
        403
    );
    assert_eq!(
        c.get(&format!("/entities/{be}/balance-sheet?date=someday"), admin)
            .await
            .status
            .as_u16(),
        422
    );

    // An entity's settings: staff read them, administrators change them.
    let settings = c.get(&format!("/entities/{be}/settings"), advisor).await;
    assert_eq!(settings.status, StatusCode::OK, "{}", settings.json());
    assert_eq!(settings.text("/id"), be);
    assert_eq!(settings.json()["fee"]["rate"], json!(f.be.fee.rate));
    assert_eq!(
        c.get(&format!("/entities/{be}/settings"), alice)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.get(&format!("/entities/{nobody}/settings"), admin)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let new_settings = json!({"fee_rate": "7.25", "payment_term_days": 14,
                              "headcount": 12, "auto_validate": false});
    for token in [alice, advisor] {
        assert_eq!(
            c.json(
                Method::PUT,
                &format!("/entities/{be}/settings"),
                token,
                new_settings.clone()
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        c.json(
            Method::PUT,
            &format!("/entities/{be}/settings"),
            admin,
            json!({"fee_rate": "75", "payment_term_days": 14, "headcount": 12,
                   "auto_validate": false})
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let updated = c
        .json(
            Method::PUT,
            &format!("/entities/{be}/settings"),
            admin,
            new_settings,
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.json());
    let stored = f.app.entity(&f.admin, f.be.id).await.expect("entity");
    assert_eq!(stored.fee.rate, "7.25".parse().expect("rate"));
    assert_eq!(stored.payment_term_days, 14);
    assert_eq!(stored.headcount, 12);
    assert!(!stored.auto_validate);
    assert_eq!(updated.json()["fee"]["rate"], json!(stored.fee.rate));

    // The payroll month: what App::payroll_month says, to the cent; refused to members and
    // advisors.
    let month: ensemble_domain::Month = "2026-01".parse().expect("month");
    let view = f.app.payroll_month(&f.admin, month).await.expect("payroll");
    assert!(
        view.entities.iter().any(|e| !e.payslips.is_empty()),
        "January has payslips"
    );
    let payroll = c.get("/payroll?month=2026-01", admin).await;
    assert_eq!(payroll.status, StatusCode::OK, "{}", payroll.json());
    assert_eq!(payroll.json(), json!(view));
    assert_eq!(payroll.text("/month"), "2026-01");
    for token in [alice, advisor] {
        assert_eq!(
            c.get("/payroll?month=2026-01", token).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        c.get("/payroll?month=2026-13", admin).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Every operation answered a success, and every error response appeared.
    let covered = c.covered.borrow();
    for (key, op) in operations(&c.doc) {
        let success = op["responses"]
            .as_object()
            .expect("responses")
            .keys()
            .find(|s| s.starts_with('2'))
            .expect("a success")
            .parse::<u16>()
            .expect("status");
        assert!(
            covered.contains(&(key.clone(), success)),
            "{key} never answered {success}"
        );
    }
    let statuses: BTreeSet<u16> = covered.iter().map(|(_, s)| *s).collect();
    for status in [401, 403, 404, 409, 413, 422] {
        assert!(statuses.contains(&status), "no {status} was checked");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_replies_match_the_document() {
    for store in TestStore::all().await {
        let backend = store.store.backend();
        eprintln!("real replies on {backend}");
        let f = fixture(store.store.clone(), now()).await;
        let checker = Checker {
            router: ensemble_web::router(f.app.clone()),
            doc: document(),
            covered: RefCell::new(BTreeSet::new()),
        };
        run_flows(&f, &checker).await;
        drop(checker);
        drop(f);
        store.finish().await;
    }
}

/// Every documented operation is routed: a request to it reaches a handler, not the
/// fallback's "no route" nor a 405.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_is_routed() {
    let store = TestStore::all()
        .await
        .into_iter()
        .next()
        .expect("SQLite is always there");
    let f = fixture(store.store.clone(), now()).await;
    let router = ensemble_web::router(f.app.clone());
    for key in operations(&document()).keys() {
        let (method, template) = key.split_once(' ').expect("key");
        let path = template
            .replace("{id}", "0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d")
            .replace("{token}", &"0".repeat(64))
            .replace("{hash}", &"0".repeat(64));
        let request = Request::builder()
            .method(method.to_ascii_uppercase().as_str())
            .uri(&path)
            .body(Body::empty())
            .expect("request");
        let response = router.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{key}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(!message.starts_with("no route"), "{key}: {body}");
    }
    drop(router);
    drop(f);
    store.finish().await;
}

fn now() -> jiff::Timestamp {
    "2026-01-20T10:00:00Z".parse().expect("timestamp")
}
