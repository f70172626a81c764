//! The pages through HTTP (no browser), on SQLite and (with `ENSEMBLE_TEST_DATABASE_URL`) on
//! PostgreSQL: signing in with the CSRF cookie, cookies' attributes, forms refused without
//! their token, the login rate limit as a 429 page, the language from the account, the
//! switcher or the browser, the demo accounts only in demo mode, the simulator's fragment, a
//! member refused another member's activity, the session cookie accepted by the API for GET
//! only; the back office refused to members (and its admin pages to advisors), and each of
//! its actions writing what it should.

#[macro_use]
#[path = "../../app/tests/common/stores.rs"]
mod stores;
use stores::{finish, now};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ensemble_app::testing::{Fixture, fixture};
use ensemble_store::testing::TestStore;
use ensemble_web::{DemoLogin, DemoUser, Site};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";

/// Every account of the fixture with a password, to sign in with.
async fn prepare(f: &mut Fixture) {
    f.set_passwords(PASSWORD).await;
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    fn cookie_value(&self, name: &str) -> Option<String> {
        self.cookie(name).and_then(|c| {
            c.split(';')
                .next()
                .and_then(|kv| kv.split_once('='))
                .map(|(_, v)| v.to_string())
        })
    }

    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn send(router: &Router, req: Request<Body>) -> Reply {
    let response = router.clone().oneshot(req).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn get(path: &str, cookies: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookies)
        .body(Body::empty())
        .expect("request")
}

fn post(path: &str, cookies: &str, form: &[(&str, &str)]) -> Request<Body> {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    Request::post(path)
        .header(header::COOKIE, cookies)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request")
}

/// Signs in as `email`; returns the cookie header to send and the session's CSRF token.
async fn sign_in(router: &Router, email: &str) -> (String, String) {
    let page = send(router, get("/login", "")).await;
    let pre = page.cookie_value("ensemble_csrf").expect("a CSRF cookie");
    let cookies = format!("ensemble_csrf={pre}");
    let reply = send(
        router,
        post(
            "/login",
            &cookies,
            &[("_csrf", &pre), ("email", email), ("password", PASSWORD)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let session = reply.cookie_value("ensemble_session").expect("session");
    let cookies = format!("{cookies}; ensemble_session={session}");
    let mut dashboard = send(router, get("/dashboard", &cookies)).await;
    if dashboard.status == StatusCode::SEE_OTHER {
        // Staff land on the back office.
        assert_eq!(dashboard.location(), "/staff");
        dashboard = send(router, get("/staff", &cookies)).await;
    }
    assert_eq!(dashboard.status, StatusCode::OK);
    let csrf = dashboard
        .body
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a form token")
        .to_string();
    (cookies, csrf)
}

fn router(f: &Fixture) -> Router {
    ensemble_web::router(f.app.clone())
}

on_every_store!(signing_in_sets_a_safe_session_cookie, |f| {
    let r = router(&f);
    let page = send(&r, get("/login", "")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"en\">"));
    let csrf = page.cookie("ensemble_csrf").expect("CSRF cookie");
    assert!(
        csrf.contains("HttpOnly") && csrf.contains("SameSite=Lax"),
        "{csrf}"
    );
    let pre = page.cookie_value("ensemble_csrf").expect("value");
    let cookies = format!("ensemble_csrf={pre}");
    // Without the form's token: refused before the password is even looked at.
    let refused = send(
        &r,
        post(
            "/login",
            &cookies,
            &[("email", "alice@example.org"), ("password", PASSWORD)],
        ),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.cookie("ensemble_session").is_none());
    // A wrong password: 401, the form again with its error linked to the field.
    let wrong = send(
        &r,
        post(
            "/login",
            &cookies,
            &[
                ("_csrf", &pre),
                ("email", "alice@example.org"),
                ("password", "nope nope nope"),
            ],
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("aria-describedby=\"password-error\""));
    assert!(wrong.body.contains("class=\"error-summary\""));
    // The right one: a session cookie, HttpOnly and SameSite=Lax, not Secure over http.
    let ok = send(
        &r,
        post(
            "/login",
            &cookies,
            &[
                ("_csrf", &pre),
                ("email", "alice@example.org"),
                ("password", PASSWORD),
                ("next", "/invoices"),
            ],
        ),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), "/invoices");
    let session = ok.cookie("ensemble_session").expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(!session.contains("Secure"));
    // Behind https, Secure.
    let https = send(
        &r,
        Request::post("/login")
            .header(header::COOKIE, &cookies)
            .header("x-forwarded-proto", "https")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "_csrf={pre}&email=alice%40example.org&password=correct+horse+battery"
            )))
            .expect("request"),
    )
    .await;
    assert!(
        https
            .cookie("ensemble_session")
            .expect("cookie")
            .contains("Secure")
    );
    // An open redirect is not followed.
    let outside = send(
        &r,
        post(
            "/login",
            &cookies,
            &[
                ("_csrf", &pre),
                ("email", "alice@example.org"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        ),
    )
    .await;
    assert_eq!(outside.location(), "/");
});

on_every_store!(pages_need_a_session_and_forms_their_token, |f| {
    let r = router(&f);
    let anonymous = send(&r, get("/dashboard", "")).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location(), "/login?next=%2Fdashboard");
    let (cookies, csrf) = sign_in(&r, "alice@example.org").await;
    let home = send(&r, get("/dashboard", &cookies)).await;
    // Alice reads French: the account's language.
    assert!(home.body.contains("<html lang=\"fr\">"));
    assert!(home.body.contains("Bonjour Alice"));
    // A form without the session's token (a cross-site post) is refused and writes nothing.
    let forged = send(
        &r,
        post(
            "/expenses",
            &cookies,
            &[("activity_id", &f.be_activity.id.to_string())],
        ),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let mut tx = f.app.store.read().await.expect("tx");
    assert_eq!(tx.count_rows("expense_claims").await.expect("count"), 0);
    drop(tx);
    let made = send(
        &r,
        post(
            "/expenses",
            &cookies,
            &[
                ("_csrf", &csrf),
                ("activity_id", &f.be_activity.id.to_string()),
                ("title", "Trip"),
            ],
        ),
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    assert!(made.location().starts_with("/expenses/"));
    // htmx sends the token as a header.
    let autosave = send(
        &r,
        Request::post(made.location())
            .header(header::COOKIE, &cookies)
            .header("hx-request", "true")
            .header("x-csrf-token", &csrf)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(
                "title=Trip&line_date=2026-01-19&line_description=Train&line_category=travel&line_amount=23%2C40&line_vat_rate=6&line_receipt=&line_no_receipt_reason=",
            ))
            .expect("request"),
    )
    .await;
    assert_eq!(autosave.status, StatusCode::OK, "{}", autosave.body);
    assert!(
        autosave.body.contains("Brouillon enregistré"),
        "{}",
        autosave.body
    );
    assert!(autosave.body.contains("23,40\u{a0}€"), "{}", autosave.body);
    let claims = f
        .app
        .expense_claims(&f.alice.actor, None)
        .await
        .expect("claims");
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].totals.amount, "23.40".parse().expect("amount"));
    assert_eq!(claims[0].totals.vat, "1.32".parse().expect("amount"));
    // Logging out ends the session.
    let out = send(&r, post("/logout", &cookies, &[("_csrf", &csrf)])).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.cookie("ensemble_session")
            .expect("cleared")
            .contains("Max-Age=0")
    );
    assert_eq!(
        send(&r, get("/dashboard", &cookies)).await.status,
        StatusCode::SEE_OTHER
    );
});

on_every_store!(too_many_failed_logins_answer_429, |f| {
    let r = router(&f);
    let pre = send(&r, get("/login", ""))
        .await
        .cookie_value("ensemble_csrf")
        .expect("csrf");
    let cookies = format!("ensemble_csrf={pre}");
    for _ in 0..5 {
        let reply = send(
            &r,
            post(
                "/login",
                &cookies,
                &[
                    ("_csrf", &pre),
                    ("email", "dave@example.org"),
                    ("password", "wrong wrong wrong"),
                ],
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let limited = send(
        &r,
        post(
            "/login",
            &cookies,
            &[
                ("_csrf", &pre),
                ("email", "dave@example.org"),
                ("password", PASSWORD),
            ],
        ),
    )
    .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited.body.contains("Too many failed attempts"),
        "{}",
        limited.body
    );
    assert!(limited.cookie("ensemble_session").is_none());
});

on_every_store!(the_language_comes_from_the_switcher_or_the_browser, |f| {
    let r = router(&f);
    let nl = send(
        &r,
        Request::get("/login")
            .header(header::ACCEPT_LANGUAGE, "nl-BE,nl;q=0.9,en;q=0.5")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert!(nl.body.contains("<html lang=\"nl\">"));
    assert!(nl.body.contains("Aanmelden"));
    let unknown = send(
        &r,
        Request::get("/login")
            .header(header::ACCEPT_LANGUAGE, "de-DE")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert!(unknown.body.contains("<html lang=\"en\">"));
    let pre = nl.cookie_value("ensemble_csrf").expect("csrf");
    let switched = send(
        &r,
        post(
            "/language",
            &format!("ensemble_csrf={pre}"),
            &[("_csrf", &pre), ("lang", "fr"), ("back", "/login")],
        ),
    )
    .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), "/login");
    let lang = switched.cookie_value("ensemble_lang").expect("lang cookie");
    // The switcher's choice wins over the browser's.
    let fr = send(
        &r,
        Request::get("/login")
            .header(header::ACCEPT_LANGUAGE, "nl")
            .header(header::COOKIE, format!("ensemble_lang={lang}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert!(fr.body.contains("<html lang=\"fr\">"));
    assert!(fr.body.contains("Connexion"));
});

on_every_store!(only_the_demo_lists_its_accounts, |f| {
    let plain = send(&router(&f), get("/login", "")).await;
    assert!(!plain.body.contains("demo-password"));
    assert!(!plain.body.contains("alice@example.org"));
    let demo = ensemble_web::router_with(
        f.app.clone(),
        Site {
            demo: Some(DemoLogin {
                password: "ensemble-demo".into(),
                accounts: vec![DemoUser {
                    role: "advisor".into(),
                    email: "advisor@example.coop".into(),
                    name: "Demo advisor".into(),
                }],
            }),
            ..Site::default()
        },
    );
    let page = send(&demo, get("/login", "")).await;
    assert!(
        page.body
            .contains("<code class=\"demo-password\">ensemble-demo</code>")
    );
    assert!(page.body.contains("advisor@example.coop"));
    // One click signs in as a demo account: the row's form carries the email and password.
    assert!(
        page.body
            .contains("name=\"email\" value=\"advisor@example.coop\"")
    );
});

on_every_store!(the_simulator_shows_the_whole_breakdown, |f| {
    let r = router(&f);
    let (cookies, csrf) = sign_in(&r, "alice@example.org").await;
    let form = [
        ("_csrf", csrf.as_str()),
        ("activity_id", &f.be_activity.id.to_string()),
        ("client_id", &f.be_client.id.to_string()),
        ("description", "Photo shoot"),
        ("start", "2026-01-12"),
        ("end", "2026-01-12"),
        ("quantity", "1"),
        ("unit", "day"),
        ("amount_kind", "price"),
        ("amount", "1 069,52"),
    ];
    let reply = send(&r, post("/declarations/preview", &cookies, &form)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply
            .body
            .contains("Vous facturez 1\u{a0}069,52\u{a0}€, la contribution est de 69,52\u{a0}€"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("data-figure=\"net\""));
    // Nothing is written by a preview.
    let mut tx = f.app.store.read().await.expect("tx");
    assert_eq!(tx.count_rows("declarations").await.expect("count"), 0);
    drop(tx);
    // An amount not yet typed: a hint, not an error page.
    let mut partial = form;
    partial[9] = ("amount", "");
    let hint = send(&r, post("/declarations/preview", &cookies, &partial)).await;
    assert_eq!(hint.status, StatusCode::OK);
    assert!(hint.body.contains("Indiquez le montant"), "{}", hint.body);
    // Declared: the invoice at once (the Belgian entity validates automatically).
    let declared = send(&r, post("/declarations", &cookies, &form)).await;
    assert_eq!(declared.status, StatusCode::SEE_OTHER, "{}", declared.body);
    let page = send(&r, get(declared.location(), &cookies)).await;
    assert!(page.body.contains("INV-BE-2026-000001"), "{}", page.body);
});

on_every_store!(a_member_is_refused_another_members_activity, |f| {
    let r = router(&f);
    let (cookies, _) = sign_in(&r, "dave@example.org").await;
    let page = send(
        &r,
        get(&format!("/activities/{}", f.be_activity.id), &cookies),
    )
    .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(!page.body.contains(&f.be_activity.name));
    let unknown = send(&r, get("/activities/not-an-id", &cookies)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let list = send(&r, get("/activities", &cookies)).await;
    assert!(!list.body.contains(&f.be_activity.name));
});

on_every_store!(the_api_takes_the_session_cookie_for_reading_only, |f| {
    let r = router(&f);
    let (cookies, _) = sign_in(&r, "alice@example.org").await;
    let me = send(&r, get("/api/v1/me", &cookies)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.contains(&f.alice.actor.user.to_string()));
    // Writing through the API with the cookie alone: 401 (a bearer token is needed).
    let write = send(
        &r,
        Request::post("/api/v1/expenses")
            .header(header::COOKIE, &cookies)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(format!(
                "{{\"activity_id\":\"{}\"}}",
                f.be_activity.id
            )))
            .expect("request"),
    )
    .await;
    assert_eq!(write.status, StatusCode::UNAUTHORIZED);
});

on_every_store!(a_quote_goes_from_the_member_to_the_client_and_back, |f| {
    let r = router(&f);
    let (cookies, csrf) = sign_in(&r, "alice@example.org").await;
    let activity = f.be_activity.id.to_string();
    let client = f.be_client.id.to_string();
    let mut form: Vec<(&str, &str)> = vec![
        ("_csrf", &csrf),
        ("activity_id", &activity),
        ("client_id", &client),
        ("title", "Winter programme photos"),
        ("validity_days", "30"),
    ];
    for (description, quantity, unit, price) in [
        ("Photo shoot", "2", "day", "450"),
        ("Retouching", "3,5", "hour", "60,00"),
        ("", "1", "day", ""),
    ] {
        form.extend([
            ("line_description", description),
            ("line_quantity", quantity),
            ("line_unit", unit),
            ("line_unit_price", price),
            ("line_vat_rate", ""),
        ]);
    }
    let made = send(&r, post("/quotes", &cookies, &form)).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let path = made.location().to_string();
    let quote_id = path
        .trim_start_matches("/quotes/")
        .parse()
        .expect("quote id");
    let quote = f.app.quote(&f.alice.actor, quote_id).await.expect("quote");
    assert_eq!(quote.lines.len(), 2, "the empty row is left out");
    // 2 × 450.00 + 3.5 × 60.00 = 1,110.00 excl. VAT, 21 % VAT.
    assert_eq!(quote.totals.net, "1110.00".parse().expect("amount"));
    assert_eq!(quote.totals.vat, "233.10".parse().expect("amount"));
    let page = send(&r, get(&path, &cookies)).await;
    assert!(page.body.contains("1\u{a0}343,10\u{a0}€"), "{}", page.body);

    let submitted = send(
        &r,
        post(&format!("{path}/submit"), &cookies, &[("_csrf", &csrf)]),
    )
    .await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER);
    // Sending before an advisor approves: a conflict on the page, not a link.
    let early = send(
        &r,
        post(&format!("{path}/send"), &cookies, &[("_csrf", &csrf)]),
    )
    .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(!early.body.contains("/quotes/confirm/"));
    f.app
        .approve_quote(&f.advisor, quote_id)
        .await
        .expect("approved");
    let sent = send(
        &r,
        post(&format!("{path}/send"), &cookies, &[("_csrf", &csrf)]),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK);
    let link = sent
        .body
        .split("class=\"client-link\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the client's link")
        .to_string();
    let confirm = link
        .split_once("/quotes/confirm/")
        .map(|(_, t)| format!("/quotes/confirm/{t}"))
        .expect("a confirmation path");

    // The client, without an account, reads it in their language (French) and accepts.
    let public = send(&r, get(&confirm, "")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("<html lang=\"fr\">"));
    assert!(public.body.contains("Accepter le devis"));
    assert!(
        !public.body.contains(&f.be_activity.id.to_string()),
        "no internal id"
    );
    let pre = public.cookie_value("ensemble_csrf").expect("csrf");
    let anon = format!("ensemble_csrf={pre}");
    let forged = send(
        &r,
        post(
            &format!("{confirm}/answer"),
            &anon,
            &[("decision", "accept")],
        ),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let accepted = send(
        &r,
        post(
            &format!("{confirm}/answer"),
            &anon,
            &[
                ("_csrf", &pre),
                ("decision", "accept"),
                ("name", "Marie Dupont"),
            ],
        ),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let after = send(&r, get(&confirm, &anon)).await;
    assert!(after.body.contains("Accepté"), "{}", after.body);
    assert!(!after.body.contains("Accepter le devis"));
    let quote = f.app.quote(&f.alice.actor, quote_id).await.expect("quote");
    assert_eq!(quote.status.code(), "accepted");
    assert_eq!(
        quote.decision.and_then(|d| d.name).as_deref(),
        Some("Marie Dupont")
    );
    // A second answer is refused on the page.
    let again = send(
        &r,
        post(
            &format!("{confirm}/answer"),
            &anon,
            &[("_csrf", &pre), ("decision", "refuse")],
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body.contains("error-summary"));
});

on_every_store!(a_receipt_uploads_from_the_page, |f| {
    let r = router(&f);
    let (cookies, csrf) = sign_in(&r, "alice@example.org").await;
    let claim = f
        .app
        .create_expense_claim(
            &f.alice.actor,
            &ensemble_app::expenses::NewExpenseClaim {
                activity_id: f.be_activity.id,
                member_id: None,
                title: "Trip".into(),
                lines: vec![ensemble_app::expenses::ExpenseLineInput {
                    date: jiff::civil::date(2026, 1, 19),
                    description: "Train".into(),
                    category: Some("travel".into()),
                    amount: "23.40".parse().expect("amount"),
                    vat_rate: "6".parse().expect("rate"),
                    vat: None,
                    receipt: None,
                    no_receipt_reason: None,
                }],
            },
            None,
        )
        .await
        .expect("claim");
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    let boundary = "XBOUNDARYX";
    let part = |name: &str, value: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
    };
    let mut body = Vec::new();
    body.extend(part("line", "0").into_bytes());
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ticket.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").into_bytes(),
    );
    body.extend_from_slice(pdf);
    body.extend(b"\r\n");
    let without_token = {
        let mut b = body.clone();
        b.extend(format!("--{boundary}--\r\n").into_bytes());
        b
    };
    let upload = |bytes: Vec<u8>| {
        Request::post(format!("/expenses/{}/receipts", claim.id))
            .header(header::COOKIE, &cookies)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(bytes))
            .expect("request")
    };
    let refused = send(&r, upload(without_token)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    body.extend(part("_csrf", &csrf).into_bytes());
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    let ok = send(&r, upload(body)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let detail = f
        .app
        .expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("claim");
    assert_eq!(detail.receipts.len(), 1);
    assert_eq!(detail.receipts[0].file_name, "ticket.pdf");
    assert_eq!(
        detail.claim.lines[0].receipt.as_ref(),
        Some(&detail.receipts[0].hash)
    );
    let page = send(&r, get(&format!("/expenses/{}", claim.id), &cookies)).await;
    assert!(page.body.contains("ticket.pdf"));
    let file = send(
        &r,
        get(&format!("/receipts/{}", detail.receipts[0].hash), &cookies),
    )
    .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body.as_bytes(), pdf);
});

// ---------------------------------------------------------------------------------------------
// The back office

async fn rows(f: &Fixture, table: &str) -> i64 {
    let mut tx = f.app.store.read().await.expect("read");
    tx.count_rows(table).await.expect("count")
}

/// A French declaration (queued for an advisor, the FR entity validates by hand).
async fn queued_declaration(
    f: &Fixture,
    day: i8,
    price: &str,
) -> ensemble_domain::work::Declaration {
    use ensemble_app::inputs::{NewDeclaration, PeriodInput};
    let r = f
        .app
        .declare_work(
            &f.claire.actor,
            &NewDeclaration {
                activity_id: f.fr_activity.id,
                client_id: f.fr_client.id,
                member_id: None,
                period: PeriodInput {
                    start: jiff::civil::date(2026, 1, day),
                    end: jiff::civil::date(2026, 1, day),
                },
                unit: "day".into(),
                quantity: "1".into(),
                price: Some(price.parse().expect("amount")),
                gross: None,
                description: "Poster design".into(),
            },
            None,
        )
        .await
        .expect("declared");
    assert_eq!(
        r.declaration.status,
        ensemble_domain::work::DeclarationStatus::Submitted
    );
    r.declaration
}

/// Alice's submitted expense claim of 23.40 €.
async fn submitted_claim(f: &Fixture) -> ensemble_domain::expense::ExpenseClaim {
    use ensemble_app::expenses::{ExpenseLineInput, NewExpenseClaim};
    let claim = f
        .app
        .create_expense_claim(
            &f.alice.actor,
            &NewExpenseClaim {
                activity_id: f.be_activity.id,
                member_id: None,
                title: "Trip to Ghent".into(),
                lines: vec![ExpenseLineInput {
                    date: jiff::civil::date(2026, 1, 12),
                    description: "Train Brussels – Ghent".into(),
                    category: Some("travel".into()),
                    amount: "23.40".parse().expect("amount"),
                    vat_rate: "6".parse().expect("rate"),
                    vat: None,
                    receipt: None,
                    no_receipt_reason: Some("Ticket bought on board, no receipt".into()),
                }],
            },
            None,
        )
        .await
        .expect("claim");
    f.app
        .submit_expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("submitted")
}

on_every_store!(a_member_is_refused_every_back_office_page, |f| {
    let r = router(&f);
    let declaration = queued_declaration(&f, 5, "500").await;
    let claim = submitted_claim(&f).await;
    let (cookies, csrf) = sign_in(&r, "alice@example.org").await;
    for path in [
        "/staff",
        "/staff/members",
        "/staff/entities",
        "/staff/accounts",
        "/staff/payroll",
        "/staff/payroll?month=2026-01",
        "/staff/payouts",
        "/staff/bank",
        "/staff/fund",
        "/staff/fund?date=2026-01-31",
    ] {
        let page = send(&r, get(path, &cookies)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(!page.body.contains("Claire"), "{path} shows a member");
        assert!(!page.body.contains(&declaration.number.to_string()));
    }
    let before = (
        rows(&f, "invoices").await,
        rows(&f, "members").await,
        rows(&f, "users").await,
        rows(&f, "entities").await,
        bank_rows(&f).await,
    );
    let d = declaration.id;
    let e = claim.id;
    let be = f.be.id;
    let m = f.bob.member.id;
    for path in [
        format!("/staff/declarations/{d}/validate"),
        format!("/staff/declarations/{d}/reject"),
        format!("/staff/expenses/{e}/approve"),
        format!("/staff/expenses/{e}/reject"),
        format!("/staff/expenses/{e}/reimburse"),
        format!("/staff/members/{m}/invite"),
        format!("/staff/entities/{be}"),
        "/staff/members".to_string(),
        "/staff/entities".to_string(),
        "/staff/accounts".to_string(),
        "/staff/payouts".to_string(),
        format!("/staff/payouts/{d}/reject"),
        format!("/staff/bank/lines/{}/assign", "0".repeat(64)),
        format!("/staff/bank/lines/{}/dismiss", "0".repeat(64)),
        "/staff/fund".to_string(),
        "/staff/fund/run".to_string(),
    ] {
        let reply = send(
            &r,
            post(
                &path,
                &cookies,
                &[
                    ("_csrf", &csrf),
                    ("reason", "no"),
                    ("fee_rate", "1"),
                    ("payment_term_days", "10"),
                    ("headcount", "10"),
                    ("email", "eve@example.org"),
                    ("role", "admin"),
                    ("entity_id", &be.to_string()),
                    ("execution_date", "2026-01-31"),
                    ("entity", &be.to_string()),
                    ("reference", "INV-BE-2026-000001"),
                    ("fee_share", "50"),
                    ("salary_working_days", "1"),
                    ("reminder_days", "1"),
                    ("second_reminder_days", "2"),
                    ("formal_notice_days", "3"),
                    ("write_off_days", "4"),
                ],
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    // A statement sent from the page by a member: refused, nothing imported.
    let upload = send(
        &r,
        statement_upload(
            &cookies,
            &csrf,
            &statement(&f, "MEMBER-1", &[(1000, "Somebody", "merci")]),
        ),
    )
    .await;
    assert_eq!(upload.status, StatusCode::FORBIDDEN);
    let after = (
        rows(&f, "invoices").await,
        rows(&f, "members").await,
        rows(&f, "users").await,
        rows(&f, "entities").await,
        bank_rows(&f).await,
    );
    assert_eq!(before, after, "a refused action writes nothing");
    let still = f
        .app
        .declaration(&f.advisor, declaration.id)
        .await
        .expect("declaration");
    assert_eq!(
        still.declaration.status,
        ensemble_domain::work::DeclarationStatus::Submitted
    );
    assert_eq!(
        f.app
            .entity(&f.admin, f.be.id)
            .await
            .expect("entity")
            .fee
            .rate,
        f.be.fee.rate
    );

    // An advisor works the queue but neither manages accounts nor sees the payroll month.
    let (advisor, _) = sign_in(&r, "advisor@example.coop").await;
    for path in ["/staff", "/staff/members", "/staff/entities"] {
        assert_eq!(
            send(&r, get(path, &advisor)).await.status,
            StatusCode::OK,
            "{path}"
        );
    }
    for path in [
        "/staff/accounts",
        "/staff/payroll",
        "/staff/payouts",
        "/staff/bank",
    ] {
        assert_eq!(
            send(&r, get(path, &advisor)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    // The fund's report is open to staff; its policy form only to those who may change it.
    let fund = send(&r, get("/staff/fund", &advisor)).await;
    assert_eq!(fund.status, StatusCode::OK);
    assert!(!fund.body.contains("action=\"/staff/fund\" class=\"stack\""));
    assert_eq!(
        f.app
            .fund_policy(&f.admin, f.be.id)
            .await
            .expect("policy")
            .fee_share_ppm,
        ensemble_app::ledger::DEFAULT_FUND_POLICY.fee_share_ppm,
        "the member's policy form changed nothing"
    );
});

/// The tables a statement import or a payout writes.
async fn bank_rows(f: &Fixture) -> Vec<i64> {
    let mut out = Vec::new();
    for t in [
        "bank_statements",
        "bank_lines",
        "bank_line_matches",
        "reconciliation_queue",
        "payout_batches",
        "payout_lines",
    ] {
        out.push(rows(f, t).await);
    }
    out
}

/// A camt.053.001.08 statement of the Belgian entity's account on 30 January 2026 with one
/// booked credit per `(cents, payer, text)`, without references.
fn statement(f: &Fixture, id: &str, credits: &[(i64, &str, &str)]) -> Vec<u8> {
    let amount = |cents: i64| format!("{}.{:02}", cents / 100, cents % 100);
    let opening: i64 = 1_000_000;
    let closing = opening + credits.iter().map(|c| c.0).sum::<i64>();
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>MSG-{id}</MsgId><CreDtTm>2026-01-30T20:00:00+01:00</CreDtTm></GrpHdr>\
         <Stmt><Id>{id}</Id><Acct><Id><IBAN>{}</IBAN></Id><Ccy>EUR</Ccy></Acct>\
         <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-30</Dt></Dt></Bal>\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-30</Dt></Dt></Bal>",
        f.be.iban.to_string().replace(' ', ""),
        amount(opening),
        amount(closing)
    );
    for (k, (cents, payer, text)) in credits.iter().enumerate() {
        x.push_str(&format!(
            "<Ntry><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\
             <BookgDt><Dt>2026-01-30</Dt></BookgDt><ValDt><Dt>2026-01-30</Dt></ValDt><AcctSvcrRef>{id}-{k}</AcctSvcrRef>\
             <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\
             <NtryDtls><TxDtls><Refs><AcctSvcrRef>{id}-{k}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>\
             <Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd>\
             <RltdPties><Dbtr><Pty><Nm>{payer}</Nm></Pty></Dbtr></RltdPties>\
             <RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>",
            amount(*cents),
            amount(*cents)
        ));
    }
    x.push_str("</Stmt></BkToCstmrStmt></Document>");
    x.into_bytes()
}

/// The bank page's upload form: multipart with `_csrf`, `idempotency_key` and `file`.
fn statement_upload(cookies: &str, csrf: &str, file: &[u8]) -> Request<Body> {
    let boundary = "XSTATEMENTX";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"statement.xml\"\r\nContent-Type: application/xml\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    Request::post("/staff/bank/statements")
        .header(header::COOKIE, cookies)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request")
}

/// The value of a hidden field of a page.
fn hidden(body: &str, name: &str) -> String {
    body.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no field {name}"))
        .to_string()
}

on_every_store!(the_accountant_pays_reconciles_and_reads_the_fund, |f| {
    use ensemble_domain::invoice::InvoiceStatus;
    use ensemble_domain::{Lang, Money};
    let r = router(&f);
    f.app
        .create_user(
            &f.admin,
            &ensemble_app::inputs::NewUser {
                email: "accountant@example.coop".into(),
                role: "accountant".into(),
                lang: Some(Lang::En),
            },
            None,
        )
        .await
        .expect("accountant");
    f.app
        .set_password_by_email("accountant@example.coop", PASSWORD)
        .await
        .expect("password");
    let accountant = ensemble_app::Actor {
        role: ensemble_domain::people::Role::Accountant,
        ..f.admin.clone()
    };
    let shown = |m: Money| ensemble_web::pages::format::money(Lang::En, m);
    let be = f.be.id.to_string();
    // Work in January: an invoice to the Belgian client and a payslip.
    let declared = f
        .app
        .declare_work(
            &f.alice.actor,
            &ensemble_app::inputs::NewDeclaration {
                activity_id: f.be_activity.id,
                client_id: f.be_client.id,
                member_id: None,
                period: ensemble_app::inputs::PeriodInput {
                    start: jiff::civil::date(2026, 1, 12),
                    end: jiff::civil::date(2026, 1, 12),
                },
                unit: "day".into(),
                quantity: "1".into(),
                price: Some("1069.52".parse().expect("amount")),
                gross: None,
                description: "Concert".into(),
            },
            None,
        )
        .await
        .expect("declared");
    let invoice = declared.invoice.expect("an invoice");
    let (cookies, csrf) = sign_in(&r, "accountant@example.coop").await;

    // Payouts: the batch of the salaries due, its total the payslips' net to the cent.
    let page = send(&r, get("/staff/payouts", &cookies)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("href=\"/staff/payouts\" aria-current=\"page\"")
    );
    let key = hidden(&page.body, "idempotency_key");
    let form = |key: &str| {
        post(
            "/staff/payouts",
            &cookies,
            &[
                ("_csrf", &csrf),
                ("entity_id", &be),
                ("execution_date", "2026-01-31"),
                ("idempotency_key", key),
            ],
        )
    };
    let created = send(&r, form(&key)).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let batches = f
        .app
        .payout_batches(&accountant, Some(f.be.id))
        .await
        .expect("batches");
    assert_eq!(batches.len(), 1);
    let batch = &batches[0];
    let net: Money = f
        .app
        .payslips(&f.admin, &ensemble_app::documents::DocumentQuery::default())
        .await
        .expect("payslips")
        .iter()
        .filter(|p| p.entity_id == f.be.id)
        .map(|p| p.net_paid)
        .sum();
    assert!(net.is_positive());
    assert_eq!(batch.total, net);
    assert!(
        created
            .body
            .contains(&format!("data-total=\"created-total\">{}<", shown(net))),
        "{}",
        created.body
    );
    assert!(
        created
            .body
            .contains(&format!("/api/v1/payouts/{}/pain001", batch.id))
    );
    // The same form twice is the same batch; a new one finds nothing due (409, on the form).
    assert_eq!(send(&r, form(&key)).await.status, StatusCode::OK);
    let nothing = send(&r, form("another-key")).await;
    assert_eq!(nothing.status, StatusCode::CONFLICT);
    assert!(nothing.body.contains("error-summary"));
    assert_eq!(
        f.app
            .payout_batches(&accountant, None)
            .await
            .expect("batches")
            .len(),
        1
    );
    let list = send(&r, get("/staff/payouts", &cookies)).await;
    assert!(
        list.body
            .contains(&format!("data-total=\"total\">{}<", shown(net)))
    );
    assert!(
        list.body
            .contains(&format!("data-total=\"pending\">{}<", shown(net)))
    );
    // A rejection needs the bank's reason; with it, the batch is rejected.
    let reject = |reason: &str| {
        post(
            &format!("/staff/payouts/{}/reject", batch.id),
            &cookies,
            &[("_csrf", &csrf), ("reason", reason)],
        )
    };
    let no_reason = send(&r, reject(" ")).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason
            .body
            .contains(&format!("id=\"reason-{}-error\"", batch.id))
    );
    let still = f.app.payout_batch(&accountant, &batch.id).await.expect("b");
    assert_eq!(still.batch.status, "pending");
    // In place (htmx): without a reason the batch stays and the status line says why.
    let path = format!("/staff/payouts/{}/reject", batch.id);
    let in_place = |reason: &str| htmx_post(&path, &cookies, &csrf, &[("reason", reason)]);
    let refused = send(&r, in_place("")).await;
    assert_eq!(refused.status, StatusCode::OK, "{}", refused.body);
    assert_eq!(
        refused.headers.get("hx-reswap").map(|v| v.as_bytes()),
        Some(&b"none"[..])
    );
    assert!(
        refused
            .body
            .contains("id=\"payouts-status\" class=\"error-summary\" role=\"alert\""),
        "{}",
        refused.body
    );
    let still = f.app.payout_batch(&accountant, &batch.id).await.expect("b");
    assert_eq!(still.batch.status, "pending");
    // With it, the batch comes back rejected with its reason, and nothing is pending any more.
    let rejected = send(&r, in_place("AC04 closed account")).await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
    let done = f.app.payout_batch(&accountant, &batch.id).await.expect("b");
    assert_eq!(done.batch.status, "rejected");
    assert_eq!(done.batch.rejection.as_deref(), Some("AC04 closed account"));
    let body = &rejected.body;
    assert!(
        body.contains(&format!(
            "<li class=\"queue-item\" id=\"batch-{}\">",
            batch.id
        )),
        "{body}"
    );
    assert!(body.contains("<span class=\"badge danger\">"), "{body}");
    assert!(body.contains("<dd>AC04 closed account</dd>"), "{body}");
    assert!(
        !body.contains(&format!("hx-post=\"{path}\"")),
        "no rejection form left: {body}"
    );
    let status = body
        .split("id=\"payouts-status\" class=\"notice\" role=\"status\" hx-swap-oob=\"true\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .unwrap_or_default();
    assert!(status.contains(&done.batch.message_id), "{body}");
    assert!(
        body.contains(&format!(
            "data-total=\"pending\" hx-swap-oob=\"true\">{}<",
            shown(Money::ZERO)
        )),
        "{body}"
    );
    assert!(!body.contains("<html"), "a fragment, not a page: {body}");

    // The bank: a malformed statement names the element and writes nothing.
    let open = f
        .app
        .open_invoices(&accountant, f.be.id)
        .await
        .expect("open");
    let owed = open
        .iter()
        .find(|o| o.id == invoice.id)
        .expect("the invoice is open")
        .outstanding;
    let file = statement(
        &f,
        "PAGES-1",
        &[
            (owed.cents(), "J. Dupont", "janvier"),
            (1000, "Somebody", "a refund"),
        ],
    );
    let bad = String::from_utf8(file.clone()).expect("utf-8").replacen(
        &format!(">{owed}<"),
        ">10.005<",
        1,
    );
    let before = bank_rows(&f).await;
    let refused = send(&r, statement_upload(&cookies, &csrf, bad.as_bytes())).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"file-error\"") && refused.body.contains("Stmt[1]/Ntry[1]/Amt"),
        "{}",
        refused.body
    );
    assert_eq!(bank_rows(&f).await, before, "a bad file writes nothing");
    assert!(
        f.app
            .reconciliation_queue(&accountant, None, false)
            .await
            .expect("queue")
            .is_empty()
    );
    // The statement: two credits nothing matched with certainty, left in the queue.
    let imported = send(&r, statement_upload(&cookies, &csrf, &file)).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert!(imported.body.contains("data-total=\"new-lines\">2<"));
    assert!(imported.body.contains("data-total=\"queued\">2<"));
    let queue = f
        .app
        .reconciliation_queue(&accountant, None, false)
        .await
        .expect("queue");
    assert_eq!(queue.len(), 2);
    let line = |cents: i64| {
        queue
            .iter()
            .find(|q| q.line.amount.cents() == cents)
            .expect("a queued line")
            .line
            .fingerprint
            .clone()
    };
    let (payment, refund) = (line(owed.cents()), line(1000));
    let page = send(&r, get("/staff/bank", &cookies)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("J. Dupont") && page.body.contains("janvier"));
    assert!(
        page.body
            .contains(&format!("data-total=\"amount\">{}<", shown(owed)))
    );
    assert!(page.body.contains(&format!(
        "data-total=\"queue-amount\">{}<",
        shown(owed + Money::from_cents(1000))
    )));
    assert!(
        page.body.contains(&invoice.number.to_string()),
        "the matcher's suggestion is shown"
    );
    // Assigned by typing the invoice's number, in place: the line leaves, the invoice is paid.
    let assigned = send(
        &r,
        htmx_post(
            &format!("/staff/bank/lines/{payment}/assign"),
            &cookies,
            &csrf,
            &[
                ("entity", &be),
                ("reference", &invoice.number.to_string().to_lowercase()),
            ],
        ),
    )
    .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
    assert!(assigned.body.contains("id=\"bank-status\"") && assigned.body.contains("hx-swap-oob"));
    let paid = f.app.invoice(&f.admin, invoice.id).await.expect("invoice");
    assert_eq!(paid.status, InvoiceStatus::Paid);
    // Nothing named: the line stays and the status says why.
    let unnamed = send(
        &r,
        htmx_post(
            &format!("/staff/bank/lines/{refund}/assign"),
            &cookies,
            &csrf,
            &[("entity", &be)],
        ),
    )
    .await;
    assert_eq!(
        unnamed
            .headers
            .get("hx-reswap")
            .and_then(|v| v.to_str().ok()),
        Some("none")
    );
    assert!(unnamed.body.contains("role=\"alert\""));
    // Dismissed with a reason, without htmx: back to the page.
    let dismissed = send(
        &r,
        post(
            &format!("/staff/bank/lines/{refund}/dismiss"),
            &cookies,
            &[("_csrf", &csrf), ("reason", "A supplier's refund")],
        ),
    )
    .await;
    assert_eq!(dismissed.status, StatusCode::SEE_OTHER);
    assert_eq!(dismissed.location(), "/staff/bank");
    assert!(
        f.app
            .reconciliation_queue(&accountant, None, false)
            .await
            .expect("queue")
            .is_empty()
    );
    let page = send(&r, get("/staff/bank", &cookies)).await;
    assert!(!page.body.contains(&payment) && !page.body.contains(&refund));

    // The fund on 31 March: the report's figures to the cent.
    let on = jiff::civil::date(2026, 3, 31);
    let report = f
        .app
        .fund_report(&accountant, f.be.id, on)
        .await
        .expect("report");
    assert!(report.balance.is_positive(), "the fee fed the fund");
    let page = send(
        &r,
        get(
            &format!("/staff/fund?entity={be}&date=2026-03-31"),
            &cookies,
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for (key, amount) in [
        ("balance", report.balance),
        ("advances", report.advances_outstanding),
        ("past-due", report.past_due),
    ] {
        assert!(
            page.body
                .contains(&format!("data-total=\"{key}\">{}<", shown(amount))),
            "{key}"
        );
    }
    for b in &report.receivables_at_risk {
        assert!(page.body.contains(&format!(
            "data-total=\"bucket-{}\">{}<",
            b.bucket,
            shown(b.outstanding)
        )));
    }
    // The policy: delays that do not grow are refused on their field, nothing changes; then
    // saved.
    let policy = |reminder: &str| {
        post(
            "/staff/fund",
            &cookies,
            &[
                ("_csrf", &csrf),
                ("entity", &be),
                ("date", "2026-03-31"),
                ("fee_share", "12.5"),
                ("salary_working_days", "7"),
                ("reminder_days", reminder),
                ("second_reminder_days", "20"),
                ("formal_notice_days", "30"),
                ("write_off_days", "95"),
            ],
        )
    };
    let bad = send(&r, policy("25")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("id=\"reminder_days-error\""),
        "{}",
        bad.body
    );
    assert_eq!(
        f.app.fund_policy(&accountant, f.be.id).await.expect("p"),
        ensemble_app::ledger::DEFAULT_FUND_POLICY
    );
    let saved = send(&r, policy("10")).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let stored = f.app.fund_policy(&accountant, f.be.id).await.expect("p");
    assert_eq!(stored.fee_share_ppm, 125_000);
    assert_eq!(
        (
            stored.reminder_days,
            stored.second_reminder_days,
            stored.formal_notice_days,
            stored.write_off_days
        ),
        (10, 20, 30, 95)
    );
    assert!(
        saved.body.contains("value=\"12.5\""),
        "the form shows the saved share"
    );

    // The dunning job from the page: an unpaid invoice due in January gets its reminders and
    // formal notice by 31 March (delays 10, 20, 30 days); run again, nothing more happens.
    let unpaid = f
        .app
        .declare_work(
            &f.alice.actor,
            &ensemble_app::inputs::NewDeclaration {
                activity_id: f.be_activity.id,
                client_id: f.be_client.id,
                member_id: None,
                period: ensemble_app::inputs::PeriodInput {
                    start: jiff::civil::date(2026, 1, 13),
                    end: jiff::civil::date(2026, 1, 13),
                },
                unit: "day".into(),
                quantity: "1".into(),
                price: Some("534.76".parse().expect("amount")),
                gross: None,
                description: "Rehearsal".into(),
            },
            None,
        )
        .await
        .expect("declared")
        .invoice
        .expect("an invoice");
    let ran = send(
        &r,
        post(
            "/staff/fund/run",
            &cookies,
            &[("_csrf", &csrf), ("entity", &be), ("date", "2026-03-31")],
        ),
    )
    .await;
    assert_eq!(ran.status, StatusCode::OK, "{}", ran.body);
    for step in ["reminder", "second reminder", "formal notice"] {
        assert!(
            ran.body.contains(&format!("{} · {step} · ", unpaid.number)),
            "{step}: {}",
            ran.body
        );
    }
    assert!(!ran.body.contains(&format!("{} · write-off", unpaid.number)));
    let again = f.app.run_fund(&accountant, on).await.expect("run");
    assert!(again.actions.is_empty(), "{again:?}");
});

fn htmx_post(path: &str, cookies: &str, csrf: &str, form: &[(&str, &str)]) -> Request<Body> {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    Request::post(path)
        .header(header::COOKIE, cookies)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("hx-request", "true")
        .header("x-csrf-token", csrf)
        .body(Body::from(body))
        .expect("request")
}

on_every_store!(the_advisor_decides_the_queue_from_the_page, |f| {
    use ensemble_domain::expense::ExpenseStatus;
    use ensemble_domain::work::DeclarationStatus;
    let r = router(&f);
    let first = queued_declaration(&f, 5, "500").await;
    let second = queued_declaration(&f, 6, "300").await;
    let claim = submitted_claim(&f).await;
    let (cookies, csrf) = sign_in(&r, "advisor@example.coop").await;
    let queue = send(&r, get("/staff", &cookies)).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        queue.body.contains("<html lang=\"fr\">"),
        "the advisor reads French"
    );
    for number in [first.number.to_string(), second.number.to_string()] {
        assert!(queue.body.contains(&number), "{number} waits in the queue");
    }
    assert!(
        queue
            .body
            .contains(&claim.number.as_ref().expect("number").to_string())
    );
    assert!(queue.body.contains("Claire Martin") && queue.body.contains("Alice Martin"));

    // Validating with htmx: the item goes, the status line says so, the documents are made.
    let before = (
        rows(&f, "invoices").await,
        rows(&f, "contracts").await,
        rows(&f, "payslips").await,
    );
    let validated = send(
        &r,
        htmx_post(
            &format!("/staff/declarations/{}/validate", first.id),
            &cookies,
            &csrf,
            &[],
        ),
    )
    .await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.body);
    assert!(validated.body.contains("hx-swap-oob"), "{}", validated.body);
    assert!(validated.body.contains(&first.number.to_string()));
    let after = (
        rows(&f, "invoices").await,
        rows(&f, "contracts").await,
        rows(&f, "payslips").await,
    );
    assert_eq!(after.0, before.0 + 1, "one invoice");
    assert!(after.1 > before.1, "a contract");
    assert_eq!(after.2, before.2 + 1, "one payslip");
    let d = f.app.declaration(&f.advisor, first.id).await.expect("d");
    assert_eq!(d.declaration.status, DeclarationStatus::Validated);

    // A rejection without a reason: the item stays, the alert says why, nothing changes.
    let no_reason = send(
        &r,
        htmx_post(
            &format!("/staff/declarations/{}/reject", second.id),
            &cookies,
            &csrf,
            &[("reason", "  ")],
        ),
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::OK);
    assert_eq!(
        no_reason
            .headers
            .get("hx-reswap")
            .and_then(|v| v.to_str().ok()),
        Some("none")
    );
    assert!(
        no_reason.body.contains("role=\"alert\""),
        "{}",
        no_reason.body
    );
    let d = f.app.declaration(&f.advisor, second.id).await.expect("d");
    assert_eq!(d.declaration.status, DeclarationStatus::Submitted);
    // Without htmx (a plain form): back to the queue.
    let rejected = send(
        &r,
        post(
            &format!("/staff/declarations/{}/reject", second.id),
            &cookies,
            &[("_csrf", &csrf), ("reason", "The client is not French")],
        ),
    )
    .await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER);
    assert_eq!(rejected.location(), "/staff");
    let d = f.app.declaration(&f.advisor, second.id).await.expect("d");
    assert_eq!(d.declaration.status, DeclarationStatus::Rejected);
    assert_eq!(
        d.declaration.rejection.as_deref(),
        Some("The client is not French")
    );
    // Deciding twice is a conflict, not a second invoice.
    let again = send(
        &r,
        post(
            &format!("/staff/declarations/{}/validate", first.id),
            &cookies,
            &[("_csrf", &csrf)],
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(rows(&f, "invoices").await, after.0);

    // The expense claim: approved, then reimbursed from a budget that covers it.
    let approved = send(
        &r,
        htmx_post(
            &format!("/staff/expenses/{}/approve", claim.id),
            &cookies,
            &csrf,
            &[],
        ),
    )
    .await;
    assert_eq!(approved.status, StatusCode::OK);
    let c = f
        .app
        .expense_claim(&f.advisor, claim.id)
        .await
        .expect("claim");
    assert_eq!(c.claim.status, ExpenseStatus::Approved);
    let queue = send(&r, get("/staff", &cookies)).await;
    assert!(
        queue
            .body
            .contains(&format!("/staff/expenses/{}/reimburse", claim.id))
    );
    f.app
        .adjust_budget(
            &f.advisor,
            f.be_activity.id,
            &ensemble_app::activities::BudgetAdjustment {
                amount: "100.00".parse().expect("amount"),
                label: "Opening balance".into(),
            },
            None,
        )
        .await
        .expect("budget");
    let reimbursed = send(
        &r,
        htmx_post(
            &format!("/staff/expenses/{}/reimburse", claim.id),
            &cookies,
            &csrf,
            &[],
        ),
    )
    .await;
    assert_eq!(reimbursed.status, StatusCode::OK, "{}", reimbursed.body);
    let c = f
        .app
        .expense_claim(&f.advisor, claim.id)
        .await
        .expect("claim");
    assert_eq!(c.claim.status, ExpenseStatus::Reimbursed);
    let activity = f
        .app
        .activity(&f.advisor, f.be_activity.id)
        .await
        .expect("a");
    let expense = activity
        .movements
        .iter()
        .find(|m| m.kind == "expense")
        .expect("an expense movement");
    assert_eq!(expense.amount, "-23.40".parse().expect("amount"));
    let queue = send(&r, get("/staff", &cookies)).await;
    assert!(
        !queue.body.contains(&claim.id.to_string()),
        "the claim left the queue"
    );
});

on_every_store!(
    the_administrator_manages_members_entities_accounts_and_payroll,
    |f| {
        let r = router(&f);
        let (cookies, csrf) = sign_in(&r, "admin@example.coop").await;

        // Admitting a member shows the invitation link once; the link opens the account's page.
        let members = rows(&f, "members").await;
        let eve_niss = ensemble_app::demo::niss(1988, 3, 14, 123);
        let admitted = send(
            &r,
            post(
                "/staff/members",
                &cookies,
                &[
                    ("_csrf", &csrf),
                    ("entity_id", &f.be.id.to_string()),
                    ("first_name", "Eve"),
                    ("last_name", "Peeters"),
                    ("email", "eve@example.org"),
                    ("iban", "BE71 0961 2345 6769"),
                    ("national_id", &eve_niss),
                    ("street", "Rue Haute 12"),
                    ("postcode", "1000"),
                    ("city", "Bruxelles"),
                    ("country", "be"),
                    ("status", "artist"),
                    ("lang", "nl"),
                    ("shares", "1"),
                ],
            ),
        )
        .await;
        assert_eq!(admitted.status, StatusCode::OK, "{}", admitted.body);
        assert_eq!(rows(&f, "members").await, members + 1);
        let link = admitted
            .body
            .split("invitation-link\" href=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("the invitation link")
            .to_string();
        let path = link
            .split_once("/invitations/")
            .map(|(_, t)| format!("/invitations/{t}"))
            .expect("path");
        let invitation = send(&r, get(&path, "")).await;
        assert_eq!(invitation.status, StatusCode::OK);
        assert!(invitation.body.contains("eve@example.org"));
        // A bad IBAN: the form again, the error on its field, nothing written.
        let bad = send(
            &r,
            post(
                "/staff/members",
                &cookies,
                &[
                    ("_csrf", &csrf),
                    ("entity_id", &f.be.id.to_string()),
                    ("first_name", "Frank"),
                    ("last_name", "Janssens"),
                    ("email", "frank@example.org"),
                    ("iban", "BE71 0961 2345 6760"),
                    ("national_id", "90011512363"),
                    ("street", "Rue Haute 14"),
                    ("postcode", "1000"),
                    ("city", "Bruxelles"),
                    ("country", "BE"),
                ],
            ),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"iban-error\""), "{}", bad.body);
        assert!(
            bad.body.contains("value=\"Frank\""),
            "the typed values stay"
        );
        assert_eq!(rows(&f, "members").await, members + 1);
        // A new link for Bob.
        let invited = send(
            &r,
            post(
                &format!("/staff/members/{}/invite", f.bob.member.id),
                &cookies,
                &[("_csrf", &csrf)],
            ),
        )
        .await;
        assert_eq!(invited.status, StatusCode::OK);
        assert!(invited.body.contains("bob@example.org") && invited.body.contains("/invitations/"));

        // The fee rate, typed the French way; an out-of-range one is refused on its field.
        let saved = send(
            &r,
            post(
                &format!("/staff/entities/{}", f.be.id),
                &cookies,
                &[
                    ("_csrf", &csrf),
                    ("fee_rate", "7,25"),
                    ("payment_term_days", "14"),
                    ("headcount", "300"),
                ],
            ),
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let be = f.app.entity(&f.admin, f.be.id).await.expect("entity");
        assert_eq!(be.fee.rate, "7.25".parse().expect("rate"));
        assert_eq!(be.payment_term_days, 14);
        assert_eq!(be.headcount, 300);
        assert!(
            !be.auto_validate,
            "an unticked box turns automatic validation off"
        );
        let refused = send(
            &r,
            post(
                &format!("/staff/entities/{}", f.be.id),
                &cookies,
                &[
                    ("_csrf", &csrf),
                    ("fee_rate", "60"),
                    ("payment_term_days", "14"),
                    ("headcount", "300"),
                    ("auto_validate", "1"),
                ],
            ),
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .body
                .contains(&format!("id=\"fee_rate-{}-error\"", f.be.id)),
            "{}",
            refused.body
        );
        let be = f.app.entity(&f.admin, f.be.id).await.expect("entity");
        assert_eq!(be.fee.rate, "7.25".parse().expect("rate"));
        assert!(!be.auto_validate);
        let page = send(&r, get("/staff/entities", &cookies)).await;
        assert!(page.body.contains("Ensemble Lille") && page.body.contains("Ensemble Bruxelles"));

        // A staff account by invitation; an advisor cannot do it.
        let users = rows(&f, "users").await;
        let staff = send(
            &r,
            post(
                "/staff/accounts",
                &cookies,
                &[
                    ("_csrf", &csrf),
                    ("email", "ledger@example.coop"),
                    ("role", "accountant"),
                    ("lang", "fr"),
                ],
            ),
        )
        .await;
        assert_eq!(staff.status, StatusCode::OK, "{}", staff.body);
        assert!(staff.body.contains("/invitations/"));
        assert_eq!(rows(&f, "users").await, users + 1);
        let list = send(&r, get("/staff/accounts", &cookies)).await;
        assert!(list.body.contains("ledger@example.coop"));
        assert!(
            !list.body.contains("alice@example.org"),
            "members are not staff"
        );

        // The payroll month: two Belgian payslips of January, their totals to the cent.
        for (day, price) in [(12, "1069.52"), (13, "534.76")] {
            use ensemble_app::inputs::{NewDeclaration, PeriodInput};
            f.app
                .declare_work(
                    &f.alice.actor,
                    &NewDeclaration {
                        activity_id: f.be_activity.id,
                        client_id: f.be_client.id,
                        member_id: None,
                        period: PeriodInput {
                            start: jiff::civil::date(2026, 1, day),
                            end: jiff::civil::date(2026, 1, day),
                        },
                        unit: "day".into(),
                        quantity: "1".into(),
                        price: Some(price.parse().expect("amount")),
                        gross: None,
                        description: "Photo shoot".into(),
                    },
                    None,
                )
                .await
                .expect("declared");
            // Automatic validation is off now: validate by hand.
        }
        for d in f
            .app
            .declarations(
                &f.admin,
                Some(ensemble_domain::work::DeclarationStatus::Submitted),
            )
            .await
            .expect("queue")
        {
            f.app
                .validate_declaration(&f.admin, d.id, None)
                .await
                .expect("validated");
        }
        let month: ensemble_domain::Month = "2026-01".parse().expect("month");
        let slips = f
            .app
            .payslips(&f.admin, &ensemble_app::documents::DocumentQuery::default())
            .await
            .expect("payslips");
        let be_slips: Vec<_> = slips
            .iter()
            .filter(|p| p.entity_id == f.be.id && p.month == month)
            .collect();
        assert_eq!(be_slips.len(), 2);
        let gross: ensemble_domain::Money = be_slips.iter().map(|p| p.gross).sum();
        let net: ensemble_domain::Money = be_slips.iter().map(|p| p.net_paid).sum();
        let view = f.app.payroll_month(&f.admin, month).await.expect("payroll");
        let be_month = view
            .entities
            .iter()
            .find(|e| e.entity_id == f.be.id)
            .expect("BE");
        assert_eq!(be_month.payslips.len(), 2);
        assert_eq!(be_month.totals.gross, gross);
        assert_eq!(be_month.totals.net_paid, net);
        assert_eq!(
            be_month.totals.gross
                - be_month.totals.employee_contributions
                - be_month.totals.withholding_tax,
            be_month.totals.net_paid,
            "gross − employee contributions − withholding = net"
        );
        assert!(be_month.contracts.len() >= 2);
        let page = send(&r, get("/staff/payroll?month=2026-01", &cookies)).await;
        assert_eq!(page.status, StatusCode::OK);
        let shown = |m: ensemble_domain::Money| {
            ensemble_web::pages::format::money(ensemble_domain::Lang::En, m)
        };
        assert!(page.body.contains(&shown(gross)), "{}", page.body);
        assert!(page.body.contains(&shown(net)));
        assert!(
            page.body
                .contains(&shown(be_month.totals.employer_contributions))
        );
        // Another month is empty; a malformed one is a 422 page.
        let december = f
            .app
            .payroll_month(&f.admin, "2025-12".parse().expect("m"))
            .await
            .expect("v");
        assert!(
            december
                .entities
                .iter()
                .all(|e| e.payslips.is_empty() && e.totals.gross == ensemble_domain::Money::ZERO)
        );
        let bad = send(&r, get("/staff/payroll?month=2026-13", &cookies)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);
