//! Browser tests: the pages in real headless Chromium, driven through chromedriver with
//! fantoccini. The server runs in this process on a random loopback port, over a fresh SQLite
//! database holding the test cooperative (`ensemble_app::testing::fixture`) whose accounts
//! have passwords; chromedriver is a child process.
//!
//! Without `chromium` and `chromedriver` (Debian: `apt-get install -y chromium
//! chromium-driver`) the test says so and passes, unless `ENSEMBLE_E2E=1` (CI), where it fails.
//! Screenshots of the main pages go to `target/e2e-screenshots/` for review.
//!
//! Scenarios: a member from login to declared work (the live simulator shows the fee and the
//! net as they type) and its invoice; an expense draft that survives logout, is submitted,
//! approved by an advisor from the validation queue and seen approved by its member; an advisor
//! validating a French declaration; an administrator viewing the entities and the payroll
//! month; an accountant importing a bank statement, assigning its payment to an invoice from
//! the reconciliation queue, reading the guarantee fund and preparing a payout batch; a member
//! refused another member's activity, with none of its data in the page; the login page in
//! each language. Every back-office page is photographed at desktop and phone
//! width.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ensemble_app::testing::{Fixture, fixture};
use ensemble_store::{SqliteStore, Store};
use ensemble_web::{DemoLogin, DemoUser, Site};
use fantoccini::{Client, ClientBuilder, Locator};

const PASSWORD: &str = "correct horse battery";

/// The browser and its driver, if installed.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let find = |names: &[&str]| -> Option<PathBuf> {
        names
            .iter()
            .flat_map(|n| {
                std::env::var_os("PATH")
                    .map(|p| {
                        std::env::split_paths(&p)
                            .map(|d| d.join(n))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
            .find(|p| p.is_file())
    };
    Some((
        find(&["chromium", "chromium-browser", "google-chrome"])?,
        find(&["chromedriver"])?,
    ))
}

/// A free loopback port.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// chromedriver, ended when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

struct Browser {
    client: Client,
    base: String,
    shots: PathBuf,
}

impl Browser {
    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("goto {path}: {e}"));
    }

    async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(self.shots.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// Screenshots at a phone's width (360 px) too.
    async fn shot_phone(&self, name: &str) {
        self.client.set_window_size(360, 780).await.expect("resize");
        self.shot(&format!("{name}-phone")).await;
        self.client
            .set_window_size(1280, 1000)
            .await
            .expect("resize");
    }

    async fn fill(&self, css: &str, text: &str) {
        let e = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"));
        e.clear().await.expect("clear");
        e.send_keys(text).await.expect("type");
    }

    async fn select(&self, css: &str, value: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
    }

    async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
            .text()
            .await
            .expect("text")
            .replace('\u{a0}', " ")
    }

    async fn value(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default()
    }

    /// Waits until the element's text contains `needle`.
    async fn wait_text(&self, css: &str, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.unwrap_or_default().replace('\u{a0}', " "),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("{css} never said \"{needle}\"; it says \"{text}\"");
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    async fn page_source(&self) -> String {
        self.client.source().await.expect("source")
    }

    async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("url")
            .path()
            .to_string()
    }

    /// Follows the link `css` as the page's own script would (same origin, the session
    /// cookie) and checks that it serves a PDF: status 200, `application/pdf`, a `%PDF-`
    /// header and a `%%EOF` trailer. Returns the file's size.
    async fn fetch_pdf(&self, css: &str) -> usize {
        let href = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
            .attr("href")
            .await
            .expect("href")
            .unwrap_or_else(|| panic!("{css} has no href"));
        let got = self
            .client
            .execute_async(
                "const [href, done] = arguments;
                 fetch(href, {credentials: 'same-origin'}).then(async r => {
                   const b = new Uint8Array(await r.arrayBuffer());
                   const ascii = a => Array.from(a, x => String.fromCharCode(x)).join('');
                   done([r.status, r.headers.get('content-type') || '', b.length,
                         ascii(b.slice(0, 5)), ascii(b.slice(Math.max(0, b.length - 32)))]);
                 }).catch(e => done([0, String(e), 0, '', '']));",
                vec![serde_json::Value::String(href.clone())],
            )
            .await
            .unwrap_or_else(|e| panic!("fetch {href}: {e}"));
        assert_eq!(got[0], 200, "{href}: {got}");
        assert_eq!(got[1], "application/pdf", "{href}: {got}");
        assert_eq!(got[3], "%PDF-", "{href} starts as a PDF: {got}");
        assert!(
            got[4].as_str().is_some_and(|t| t.contains("%%EOF")),
            "{href} ends as a PDF: {got}"
        );
        got[2].as_u64().expect("size") as usize
    }

    async fn login(&self, email: &str) {
        self.goto("/login").await;
        self.fill("#email", email).await;
        self.fill("#password", PASSWORD).await;
        self.click("form[action='/login'] button[type=submit]")
            .await;
        let start = Instant::now();
        while self.path().await == "/login" {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "login of {email} did not leave the login page"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for a page whose path starts with `prefix`, and for its heading. (Waiting for an
    /// `h1` alone raced the navigation: the page before has one too.)
    async fn wait_path(&self, prefix: &str) -> String {
        let start = Instant::now();
        loop {
            let path = self.path().await;
            if path.starts_with(prefix) {
                self.wait_text("h1", "").await;
                return path;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "never reached {prefix}…: still on {path}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn logout(&self) {
        self.click("form[action='/logout'] button").await;
        assert_eq!(self.wait_path("/login").await, "/login");
    }
}

async fn start_server(f: &Fixture) -> String {
    f.set_passwords(PASSWORD).await;
    let site = Site {
        demo: Some(DemoLogin {
            password: PASSWORD.into(),
            accounts: vec![DemoUser {
                role: "member".into(),
                email: "alice@example.org".into(),
                name: "Alice Martin".into(),
            }],
        }),
        ..Site::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let router = ensemble_web::router_with(f.app.clone(), site);
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    format!("http://{addr}")
}

async fn start_browser(chromium: &Path, chromedriver: &Path, base: String) -> (Driver, Browser) {
    let port = free_port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile =
        std::env::temp_dir().join(format!("ensemble-e2e-profile-{}", uuid::Uuid::now_v7()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium.display().to_string(),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,1000", "--lang=en-GB",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");
    (
        driver,
        Browser {
            client,
            base,
            shots: screenshots_dir(),
        },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_journeys_in_a_real_browser() {
    let required = std::env::var("ENSEMBLE_E2E").is_ok_and(|v| v == "1");
    let Some((chromium, chromedriver)) = browser() else {
        assert!(
            !required,
            "ENSEMBLE_E2E=1 but chromium or chromedriver is missing: apt-get install -y chromium chromium-driver"
        );
        eprintln!(
            "SKIPPED: the browser tests need chromium and chromedriver (apt-get install -y chromium chromium-driver); set ENSEMBLE_E2E=1 to make their absence an error"
        );
        return;
    };
    let dir = std::env::temp_dir().join(format!("ensemble-e2e-{}", uuid::Uuid::now_v7()));
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(&dir.join("ensemble.db"))
            .await
            .expect("sqlite"),
    );
    let now: jiff::Timestamp = "2026-11-27T10:00:00Z".parse().expect("instant");
    let f = fixture(store, now).await;
    let base = start_server(&f).await;
    let (_driver, b) = start_browser(&chromium, &chromedriver, base).await;

    // A failing step panics; dropping the driver then ends chromedriver and its browser.
    login_page_in_each_language(&b).await;
    declared_work_and_its_invoice(&b, &f).await;
    let claim = expense_draft_survives_logout(&b).await;
    the_advisor_approves_the_expense_claim(&b, &claim).await;
    the_advisor_validates_a_declaration(&b, &f).await;
    the_administrator_views_entities_and_payroll(&b, &f).await;
    the_accountant_reconciles_and_pays(&b, &f).await;
    another_members_activity_is_refused(&b, &f).await;
    let _ = b.client.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

async fn login_page_in_each_language(b: &Browser) {
    b.client.delete_all_cookies().await.expect("cookies");
    b.goto("/login").await;
    for (lang, button, title, email_label) in [
        ("nl", "Nederlands", "Aanmelden", "E-mailadres"),
        ("fr", "Français", "Connexion", "Adresse e-mail"),
        ("en", "English", "Sign in", "Email address"),
    ] {
        b.click(&format!(".lang-switch button[value='{lang}']"))
            .await;
        b.wait_text("h1", title).await;
        let html_lang = b
            .client
            .find(Locator::Css("html"))
            .await
            .expect("html")
            .attr("lang")
            .await
            .expect("lang");
        assert_eq!(html_lang.as_deref(), Some(lang), "{button}");
        assert_eq!(b.text("label[for=email]").await, email_label);
        // The demo lists its accounts and their password.
        assert_eq!(b.text(".demo-password").await, PASSWORD);
        b.shot(&format!("login-{lang}")).await;
    }
    b.shot_phone("login-en").await;
}

async fn declared_work_and_its_invoice(b: &Browser, f: &Fixture) {
    b.login("alice@example.org").await;
    assert_eq!(b.path().await, "/dashboard");
    b.wait_text("h1", "Bonjour Alice").await;
    b.shot("dashboard").await;

    b.goto("/declarations/new").await;
    b.select("#activity_id", &f.be_activity.id.to_string())
        .await;
    b.select("#client_id", &f.be_client.id.to_string()).await;
    b.fill("#description", "Photo shoot of the winter programme")
        .await;
    b.fill("#start", "20/11/2026").await;
    let start = b.value("#start").await;
    if start != "2026-11-20" {
        // Date inputs take keys in the browser's locale order: set the value directly.
        b.client
            .execute(
                "document.getElementById('start').value='2026-11-20';document.getElementById('end').value='2026-11-20';",
                vec![],
            )
            .await
            .expect("dates");
    }
    b.fill("#quantity", "1").await;
    // Typed key by key: the simulator follows.
    b.fill("#amount", "1069,52").await;
    let sentence = b.wait_text("#simulator .sentence", "69,52 €").await;
    assert!(sentence.contains("1 069,52 €"), "{sentence}");
    let fee = b.text("#simulator [data-figure=fee]").await;
    assert_eq!(fee, "69,52 €");
    let net = b.text("#simulator [data-figure=net]").await;
    assert!(net.ends_with(" €") && net != "0,00 €", "net {net}");
    assert!(sentence.contains(&net), "{sentence} names the net {net}");
    b.shot("declaration-simulator").await;
    b.shot_phone("declaration-simulator").await;

    b.click("#declaration-form button[type=submit]").await;
    b.wait_text("h1", "Déclaration").await;
    assert!(b.path().await.starts_with("/declarations/"));
    b.shot("declaration").await;
    b.click("a.invoice-link").await;
    let number = b.wait_text(".invoice-number", "INV-BE-2026-").await;
    let source = b.page_source().await;
    assert!(
        source.contains("1\u{a0}069,52\u{a0}€") || source.contains("1&nbsp;069,52&nbsp;€"),
        "the invoice shows the price"
    );
    let invoice_page = b.path().await;
    // The invoice's Factur-X PDF, downloaded with the member's session.
    let size = b
        .fetch_pdf("a[href^='/api/v1/invoices/'][href$='/facturx.pdf']")
        .await;
    assert!(
        size > 10_000,
        "a Factur-X PDF with its fonts and XML: {size} bytes"
    );
    b.shot(&format!("invoice-{}", number.trim())).await;

    // Back to the declaration, then its payslip and the payslip's PDF.
    b.client.back().await.expect("back");
    b.wait_text("h1", "Déclaration").await;
    b.click("a[href^='/payslips/']").await;
    b.wait_path("/payslips/").await;
    let size = b
        .fetch_pdf("a[href^='/api/v1/payslips/'][href$='/payslip.pdf']")
        .await;
    assert!(size > 5_000, "a payslip PDF: {size} bytes");
    b.shot("payslip").await;

    // The member's own language, from the account: the invoice's amount in each locale's
    // format, then back to French.
    for (lang, price) in [
        ("nl", "€ 1.069,52"),
        ("en", "€1,069.52"),
        ("fr", "1 069,52 €"),
    ] {
        b.goto(&invoice_page).await;
        b.click(&format!(".lang-switch button[value='{lang}']"))
            .await;
        b.wait_text(".lang-switch button[aria-pressed=true]", "")
            .await;
        let start = Instant::now();
        loop {
            let source = b
                .page_source()
                .await
                .replace("&nbsp;", " ")
                .replace('\u{a0}', " ");
            if source.contains(&format!("<html lang=\"{lang}\"")) && source.contains(price) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "the invoice in {lang} never showed {price}"
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        b.shot(&format!("invoice-{lang}")).await;
    }
    b.goto("/dashboard").await;
    b.shot("dashboard-after-work").await;
    b.logout().await;
}

/// Returns the claim's page (`/expenses/{id}`), submitted.
async fn expense_draft_survives_logout(b: &Browser) -> String {
    b.login("alice@example.org").await;
    b.goto("/expenses").await;
    b.fill("#title", "Trip to Ghent").await;
    b.click("form[action='/expenses'] button[type=submit]")
        .await;
    b.wait_text("h1", "Brouillon").await;
    let draft = b.path().await;
    assert!(draft.starts_with("/expenses/"), "{draft}");
    b.fill("#edesc1", "Train Brussels – Ghent").await;
    b.fill("#evat1", "6").await;
    b.fill("#eamount1", "23,40").await;
    b.wait_text("#autosave", "Brouillon enregistré").await;
    b.shot("expense-draft").await;
    b.shot_phone("expense-draft").await;
    b.logout().await;

    b.login("alice@example.org").await;
    b.goto("/expenses").await;
    b.click(&format!("a[href='{draft}']")).await;
    b.wait_text("h1", "Brouillon").await;
    assert_eq!(b.value("#title").await, "Trip to Ghent");
    assert_eq!(b.value("#edesc1").await, "Train Brussels – Ghent");
    assert_eq!(b.value("#eamount1").await, "23,40");
    assert_eq!(b.value("#evat1").await, "6");
    assert_eq!(b.text(".claim-total").await, "23,40 €");
    // No receipt for a ticket bought on board: the reason, then the claim goes to an advisor.
    b.fill("#ereason1", "Ticket acheté à bord").await;
    b.wait_text("#autosave", "Brouillon enregistré").await;
    b.click(&format!(
        "form[action='{draft}/submit'] button[type=submit]"
    ))
    .await;
    b.wait_text("h1", "EXP-BE-2026-").await;
    b.wait_text(".facts .badge", "Soumis").await;
    b.logout().await;
    draft
}

/// The advisor finds the claim in the queue and approves it in place; its member sees it
/// approved.
async fn the_advisor_approves_the_expense_claim(b: &Browser, claim: &str) {
    let id = claim.trim_start_matches("/expenses/");
    b.login("advisor@example.coop").await;
    assert_eq!(b.path().await, "/staff");
    b.wait_text("h1", "File de validation").await;
    let item = format!("#expense-{id}");
    let title = b.text(&format!("{item} h3")).await;
    assert!(title.contains("Alice Martin"), "{title}");
    assert!(b.text(&item).await.contains("23,40 €"));
    b.shot("staff-queue").await;
    b.shot_phone("staff-queue").await;
    b.click(&format!("{item} form[action$='/approve'] button"))
        .await;
    b.wait_text("#queue-status", "approuvé").await;
    assert!(
        b.client.find(Locator::Css(&item)).await.is_err(),
        "the approved claim left the list"
    );
    // Now waiting to be reimbursed.
    b.goto("/staff").await;
    b.wait_text(&format!("#reimburse-{id} h3"), "Alice Martin")
        .await;
    b.logout().await;

    b.login("alice@example.org").await;
    b.goto(claim).await;
    b.wait_text(".facts .badge", "Approuvé").await;
    b.shot("expense-approved").await;
    b.logout().await;
}

/// A French declaration waits for an advisor, who validates it from the queue.
async fn the_advisor_validates_a_declaration(b: &Browser, f: &Fixture) {
    use ensemble_app::inputs::{NewDeclaration, PeriodInput};
    let declared = f
        .app
        .declare_work(
            &f.claire.actor,
            &NewDeclaration {
                activity_id: f.fr_activity.id,
                client_id: f.fr_client.id,
                member_id: None,
                period: PeriodInput {
                    start: jiff::civil::date(2026, 11, 16),
                    end: jiff::civil::date(2026, 11, 18),
                },
                unit: "day".into(),
                quantity: "3".into(),
                price: Some("1800".parse().expect("amount")),
                gross: None,
                description: "Affiches de la saison".into(),
            },
            None,
        )
        .await
        .expect("declared");
    let d = declared.declaration;
    b.login("advisor@example.coop").await;
    let item = format!("#declaration-{}", d.id);
    let title = b.wait_text(&format!("{item} h3"), "Claire Martin").await;
    assert!(title.contains(&d.number.to_string()), "{title}");
    assert!(b.text(&item).await.contains("1 800,00 €"));
    b.click(&format!("{item} form[action$='/validate'] button"))
        .await;
    b.wait_text("#queue-status", &d.number.to_string()).await;
    assert!(b.client.find(Locator::Css(&item)).await.is_err());
    b.shot("staff-queue-after").await;
    // The advisor's other pages.
    b.goto("/staff/members").await;
    b.wait_text("h1", "Membres").await;
    assert!(b.page_source().await.contains("Claire"));
    b.shot("staff-members").await;
    b.shot_phone("staff-members").await;
    b.logout().await;
    let validated = f
        .app
        .declaration(&f.advisor, d.id)
        .await
        .expect("declaration");
    assert_eq!(
        validated.declaration.status,
        ensemble_domain::work::DeclarationStatus::Validated
    );
}

/// The administrator reads the entities and their fees, the payroll month with its totals,
/// and the staff accounts.
async fn the_administrator_views_entities_and_payroll(b: &Browser, f: &Fixture) {
    b.login("admin@example.coop").await;
    assert_eq!(b.path().await, "/staff");
    b.goto("/staff/entities").await;
    b.wait_text("h1", "Entities").await;
    let be = b.text(&format!("#entity-{}", f.be.id)).await;
    assert!(be.contains("Ensemble Bruxelles"), "{be}");
    let fee = b
        .text(&format!(
            "section[aria-labelledby='entity-{}'] .fee-rate",
            f.be.id
        ))
        .await;
    assert_eq!(fee, "6.5%");
    b.shot("staff-entities").await;
    b.shot_phone("staff-entities").await;

    b.goto("/staff/payroll?month=2026-11").await;
    b.wait_text("h1", "November 2026").await;
    let month: ensemble_domain::Month = "2026-11".parse().expect("month");
    let view = f.app.payroll_month(&f.admin, month).await.expect("payroll");
    for e in &view.entities {
        assert!(
            !e.payslips.is_empty(),
            "{} paid someone in November",
            e.entity_name
        );
        let section = format!("section[aria-labelledby='payroll-{}']", e.entity_id);
        let shown = |m| ensemble_web::pages::format::money(ensemble_domain::Lang::En, m);
        for (key, amount) in [
            ("gross", e.totals.gross),
            ("employee", e.totals.employee_contributions),
            ("employer", e.totals.employer_contributions),
            ("withholding", e.totals.withholding_tax),
            ("net", e.totals.net_paid),
        ] {
            assert_eq!(
                b.text(&format!("{section} [data-total={key}]")).await,
                shown(amount).replace('\u{a0}', " "),
                "{} {key}",
                e.entity_name
            );
        }
    }
    b.shot("staff-payroll").await;
    b.shot_phone("staff-payroll").await;

    b.goto("/staff/accounts").await;
    b.wait_text("h1", "Staff accounts").await;
    assert!(b.page_source().await.contains("advisor@example.coop"));
    b.shot("staff-accounts").await;
    b.shot_phone("staff-accounts").await;
    b.logout().await;
}

/// A camt.053.001.08 statement of `iban` on 27 November 2026 with one booked credit, without
/// any reference: the matcher can only suggest.
fn statement_with_one_credit(iban: &str, cents: i64, payer: &str, text: &str) -> String {
    let amount = |c: i64| format!("{}.{:02}", c / 100, c % 100);
    let (opening, closing) = (amount(500_000), amount(500_000 + cents));
    let paid = amount(cents);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>E2E-1</MsgId><CreDtTm>2026-11-27T20:00:00+01:00</CreDtTm></GrpHdr>\
         <Stmt><Id>E2E-1</Id><Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>\
         <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{opening}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-27</Dt></Dt></Bal>\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-27</Dt></Dt></Bal>\
         <Ntry><Amt Ccy=\"EUR\">{paid}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\
         <BookgDt><Dt>2026-11-27</Dt></BookgDt><ValDt><Dt>2026-11-27</Dt></ValDt><AcctSvcrRef>E2E-1-1</AcctSvcrRef>\
         <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\
         <NtryDtls><TxDtls><Refs><AcctSvcrRef>E2E-1-1</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>\
         <Amt Ccy=\"EUR\">{paid}</Amt><CdtDbtInd>CRDT</CdtDbtInd>\
         <RltdPties><Dbtr><Pty><Nm>{payer}</Nm></Pty></Dbtr></RltdPties>\
         <RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\
         </Stmt></BkToCstmrStmt></Document>"
    )
}

/// The accountant imports the bank's statement, finds its payment in the reconciliation
/// queue and assigns it to the suggested invoice in place; reads the guarantee fund (each
/// figure compared with `App::fund_report` to the cent) and prepares the month's payout batch.
async fn the_accountant_reconciles_and_pays(b: &Browser, f: &Fixture) {
    use ensemble_domain::Lang;
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
    let shown = |m| ensemble_web::pages::format::money(Lang::En, m).replace('\u{a0}', " ");
    let open = f
        .app
        .open_invoices(&accountant, f.be.id)
        .await
        .expect("open invoices");
    let invoice = open.first().expect("an invoice waits for its money");
    let xml = statement_with_one_credit(
        &f.be.iban.to_string().replace(' ', ""),
        invoice.outstanding.cents(),
        "J. Dupont",
        "paiement",
    );
    let dir = std::env::temp_dir().join(format!("ensemble-e2e-camt-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("folder");
    let file = dir.join("statement.xml");
    std::fs::write(&file, xml).expect("statement");

    b.login("accountant@example.coop").await;
    b.goto("/staff/bank").await;
    b.wait_text("h1", "Bank statements").await;
    b.client
        .find(Locator::Css("#file"))
        .await
        .expect("the file field")
        .send_keys(&file.display().to_string())
        .await
        .expect("choose the file");
    b.click("form[action='/staff/bank/statements'] button[type=submit]")
        .await;
    b.wait_text("#import-title", "E2E-1").await;
    assert_eq!(b.text("[data-total=new-lines]").await, "1");
    assert_eq!(b.text("[data-total=queued]").await, "1");
    let queue = f
        .app
        .reconciliation_queue(&accountant, None, false)
        .await
        .expect("queue");
    assert_eq!(queue.len(), 1);
    let item = format!("#line-{}", queue[0].line.fingerprint);
    let title = b.text(&format!("{item} h3")).await;
    assert!(title.contains("J. Dupont"), "{title}");
    assert_eq!(
        b.text(&format!("{item} [data-total=amount]")).await,
        shown(invoice.outstanding)
    );
    b.shot("staff-bank").await;
    b.shot_phone("staff-bank").await;
    b.click(&format!("{item} input[value='{}']", invoice.id))
        .await;
    b.click(&format!("{item} form.assign button[type=submit]"))
        .await;
    b.wait_text("#bank-status", "assigned").await;
    assert!(
        b.client.find(Locator::Css(&item)).await.is_err(),
        "the assigned line left the list"
    );
    let paid = f.app.invoice(&f.admin, invoice.id).await.expect("invoice");
    assert_eq!(paid.status, ensemble_domain::invoice::InvoiceStatus::Paid);
    b.shot("staff-bank-after").await;

    b.goto(&format!("/staff/fund?entity={}&date=2026-11-27", f.be.id))
        .await;
    b.wait_text("h1", "Guarantee fund").await;
    let report = f
        .app
        .fund_report(&accountant, f.be.id, jiff::civil::date(2026, 11, 27))
        .await
        .expect("report");
    for (key, amount) in [
        ("balance", report.balance),
        ("advances", report.advances_outstanding),
        ("past-due", report.past_due),
    ] {
        assert_eq!(
            b.text(&format!("[data-total={key}]")).await,
            shown(amount),
            "{key}"
        );
    }
    b.shot("staff-fund").await;
    b.shot_phone("staff-fund").await;

    b.goto("/staff/payouts").await;
    b.wait_text("h1", "Payouts").await;
    b.select("#entity_id", &f.be.id.to_string()).await;
    b.client
        .execute(
            "document.getElementById('execution_date').value='2026-11-30';",
            vec![],
        )
        .await
        .expect("date");
    b.click("form[action='/staff/payouts'] button[type=submit]")
        .await;
    b.wait_text("#created-title", "E").await;
    let batches = f
        .app
        .payout_batches(&accountant, Some(f.be.id))
        .await
        .expect("batches");
    let batch = batches.first().expect("a batch");
    assert_eq!(
        b.text("[data-total=created-total]").await,
        shown(batch.total)
    );
    assert_eq!(
        b.text("[data-total=created-transfers]").await,
        batch.transfers.to_string()
    );
    b.shot("staff-payouts").await;
    b.shot_phone("staff-payouts").await;
    // The bank refused the file: the batch is rejected in place, the page stays.
    b.click(&format!("#batch-{} summary", batch.id)).await;
    b.fill(&format!("#reason-{}", batch.id), "AC04 closed account")
        .await;
    b.click(&format!(
        "form[action='/staff/payouts/{}/reject'] button[type=submit]",
        batch.id
    ))
    .await;
    b.wait_text("#payouts-status", &batch.message_id).await;
    assert_eq!(b.path().await, "/staff/payouts");
    assert_eq!(
        b.text("[data-total=pending]").await,
        shown(ensemble_domain::Money::ZERO)
    );
    b.wait_text(&format!("#batch-{}", batch.id), "AC04 closed account")
        .await;
    let rejected = f
        .app
        .payout_batch(&accountant, &batch.id)
        .await
        .expect("batch");
    assert_eq!(rejected.batch.status, "rejected");
    b.logout().await;
    let _ = std::fs::remove_dir_all(&dir);
}

async fn another_members_activity_is_refused(b: &Browser, f: &Fixture) {
    b.login("dave@example.org").await;
    let path = format!("/activities/{}", f.be_activity.id);
    b.goto(&path).await;
    b.wait_text("h1", "Accès refusé").await;
    let source = b.page_source().await;
    assert!(
        !source.contains(&f.be_activity.name),
        "the activity's name leaks"
    );
    assert!(!source.contains("Photo shoot"), "the activity's work leaks");
    assert!(!source.contains("069,52"), "the activity's money leaks");
    b.shot("refused-activity").await;
    // The status itself, asked with the browser's session cookie.
    let cookie = b
        .client
        .get_named_cookie("ensemble_session")
        .await
        .expect("the session cookie");
    let response = tower::ServiceExt::oneshot(
        ensemble_web::router(f.app.clone()),
        axum::http::Request::get(&path)
            .header("cookie", format!("ensemble_session={}", cookie.value()))
            .body(axum::body::Body::empty())
            .expect("request"),
    )
    .await
    .expect("response");
    assert_eq!(response.status(), axum::http::StatusCode::FORBIDDEN);
    // Its declaration and invoice pages are refused as well.
    b.goto("/activities").await;
    let list = b.page_source().await;
    assert!(!list.contains(&f.be_activity.name));
    b.logout().await;
}
