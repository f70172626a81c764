//! `ensemble serve`, `migrate`, `demo` and the shell commands on the core chain (`declare`,
//! `invoices`, `contracts`). They open the database the way the server does: the SQLite file
//! of the data folder by default, PostgreSQL when `DATABASE_URL=postgres://…`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use ensemble_app::demo::DemoSummary;
use ensemble_app::documents::DocumentQuery;
use ensemble_app::exports::InvoiceFormat;
use ensemble_app::inputs::{NewDeclaration, PeriodInput};
use ensemble_app::{Actor, App, AppError, Idempotency, SystemClock};
use ensemble_domain::{InvoiceId, Money};

use crate::Failure;

/// Where the data lives.
#[derive(Args, Clone)]
pub struct DataArgs {
    /// The data folder: the SQLite database and uploaded files.
    #[arg(
        long,
        value_name = "DIR",
        default_value = "data",
        env = "ENSEMBLE_DATA"
    )]
    pub data: PathBuf,
    /// A database URL (postgres://… or sqlite://FILE); by default DIR/ensemble.db.
    #[arg(long, value_name = "URL", env = "DATABASE_URL")]
    pub database_url: Option<String>,
}

impl DataArgs {
    pub(crate) fn url(&self) -> String {
        self.database_url
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("sqlite://{}", self.data.join("ensemble.db").display()))
    }
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Seed the demo cooperative into an empty database and list its accounts.
    #[arg(long)]
    pub demo: bool,
    /// Send mail (password reset links) through this SMTP server:
    /// smtps://user:password@host:465, smtp://user:password@host:587?tls=required (STARTTLS)
    /// or smtp://127.0.0.1:25 (a local relay). Without it, mails are written to DIR/outbox/;
    /// the demo always writes them there.
    #[arg(
        long,
        value_name = "URL",
        env = "ENSEMBLE_SMTP_URL",
        hide_env_values = true
    )]
    pub smtp_url: Option<String>,
    /// The sender of the mails.
    #[arg(long, value_name = "MAILBOX", env = "ENSEMBLE_SMTP_FROM", default_value = ensemble_app::smtp::DEFAULT_FROM)]
    pub smtp_from: String,
}

#[derive(Args)]
pub struct DeclareArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Your API token (shown when your account was created; the demo lists them).
    #[arg(long, env = "ENSEMBLE_TOKEN", hide_env_values = true)]
    pub token: String,
    #[arg(long)]
    pub activity: String,
    #[arg(long)]
    pub client: String,
    /// The member who worked (default: you).
    #[arg(long)]
    pub member: Option<String>,
    /// First day, YYYY-MM-DD.
    #[arg(long)]
    pub start: String,
    /// Last day, YYYY-MM-DD (default: the first).
    #[arg(long)]
    pub end: Option<String>,
    /// day, half_day, hour or month.
    #[arg(long, default_value = "day")]
    pub unit: String,
    #[arg(long, default_value = "1")]
    pub quantity: String,
    /// The price excl. VAT…
    #[arg(long, group = "amount")]
    pub price: Option<String>,
    /// …or the gross salary wanted.
    #[arg(long, group = "amount")]
    pub gross: Option<String>,
    #[arg(long)]
    pub description: String,
    /// An idempotency key: running the command again with it declares nothing twice.
    #[arg(long)]
    pub idempotency_key: Option<String>,
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long, env = "ENSEMBLE_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Only this activity's.
    #[arg(long)]
    pub activity: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Subcommand)]
pub enum InvoiceCommand {
    /// Write an invoice (or credit note) to a file: `facturx` (PDF/A-3b with the CII XML
    /// embedded), `cii` (UN/CEFACT CII D16B) or `ubl` (UBL 2.1, Peppol BIS 3.0 when both
    /// parties are on Peppol). The same access rules as the API: a member exports their own.
    Export(ExportArgs),
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long, env = "ENSEMBLE_TOKEN", hide_env_values = true)]
    pub token: String,
    /// The invoice's id, or its number (INV-BE-2026-000123).
    #[arg(long)]
    pub id: String,
    /// facturx, cii or ubl.
    #[arg(long, default_value = "facturx")]
    pub format: String,
    /// The file to write (`-` for standard output).
    #[arg(long)]
    pub output: PathBuf,
}

pub fn invoice(command: InvoiceCommand) -> Result<(), Failure> {
    let InvoiceCommand::Export(args) = command;
    let format: InvoiceFormat = args
        .format
        .parse()
        .map_err(|e: String| Failure::input(format!("--format: {e}")))?;
    runtime()?.block_on(async {
        let app = open(&args.data).await?;
        let actor = actor(&app, &args.token).await?;
        let id = match args.id.trim().parse::<InvoiceId>() {
            Ok(id) => id,
            Err(_) => {
                let number = args.id.trim();
                let all = app
                    .invoices(
                        &actor,
                        &DocumentQuery {
                            limit: Some(10_000),
                            ..DocumentQuery::default()
                        },
                    )
                    .await
                    .map_err(app_failure)?;
                // Numbers are per entity: two entities of a country may both have it.
                let found: Vec<InvoiceId> = all
                    .iter()
                    .filter(|i| i.number.to_string() == number)
                    .map(|i| i.id)
                    .collect();
                match found.as_slice() {
                    [id] => *id,
                    [] => {
                        return Err(Failure::input(format!(
                            "--id: no invoice {number} among yours"
                        )));
                    }
                    _ => {
                        return Err(Failure::input(format!(
                            "--id: {} entities have an invoice {number}: give the invoice's id",
                            found.len()
                        )));
                    }
                }
            }
        };
        let file = app
            .export_invoice(&actor, id, format)
            .await
            .map_err(app_failure)?;
        if args.output.as_os_str() == "-" {
            use std::io::Write;
            std::io::stdout()
                .write_all(&file.bytes)
                .map_err(|e| Failure::io(format!("standard output: {e}")))?;
        } else {
            std::fs::write(&args.output, &file.bytes)
                .map_err(|e| Failure::io(format!("cannot write {}: {e}", args.output.display())))?;
            eprintln!(
                "{} ({}, {} bytes) written to {}",
                file.file_name,
                file.content_type,
                file.bytes.len(),
                args.output.display()
            );
        }
        app.store.close().await;
        Ok(())
    })
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::io(format!("cannot start the runtime: {e}")))
}

pub(crate) async fn open(data: &DataArgs) -> Result<App, Failure> {
    std::fs::create_dir_all(&data.data)
        .map_err(|e| Failure::io(format!("cannot create {}: {e}", data.data.display())))?;
    let store = ensemble_store::open(&data.url())
        .await
        .map_err(|e| Failure::io(format!("database {}: {e}", data.url())))?;
    Ok(App::new(store, Arc::new(SystemClock), data.data.clone()))
}

pub(crate) fn app_failure(e: AppError) -> Failure {
    let field = e.field().map(|f| format!("{f}: ")).unwrap_or_default();
    match e {
        AppError::Internal(_) => Failure::io(format!("{field}{}", e.message())),
        _ => Failure::input(format!("{field}{}", e.message())),
    }
}

pub fn migrate(data: DataArgs) -> Result<(), Failure> {
    runtime()?.block_on(async {
        let app = open(&data).await?;
        println!(
            "{} database at {} is up to date",
            app.store.backend(),
            data.url()
        );
        app.store.close().await;
        Ok(())
    })
}

fn print_demo(summary: &DemoSummary) {
    println!(
        "Demo cooperative: {} entities, {} members, {} activities, {} clients, {} quotes ({} orders invoiced), {} declarations, {} invoices, {} contracts, {} expense claims.",
        summary.entities,
        summary.members,
        summary.activities,
        summary.clients,
        summary.quotes,
        summary.orders_invoiced,
        summary.declarations,
        summary.invoices,
        summary.contracts,
        summary.expense_claims
    );
    println!("Demo accounts (Authorization: Bearer <token>):");
    for a in &summary.accounts {
        println!("  {:<10} {:<44} {}", a.role, a.email, a.token);
    }
}

/// Seeds the demo into `app` when it has no user yet; saves the accounts in the data folder so
/// a later `serve --demo` can list them again.
async fn ensure_demo(app: &App, data: &Path) -> Result<Option<DemoSummary>, Failure> {
    let file = data.join("demo-accounts.json");
    let empty = {
        let mut tx = app
            .store
            .read()
            .await
            .map_err(|e| Failure::io(e.to_string()))?;
        tx.users()
            .await
            .map_err(|e| Failure::io(e.to_string()))?
            .is_empty()
    };
    if empty {
        eprintln!("Seeding the demo cooperative (three months of work)…");
        let summary = app.seed_demo().await.map_err(app_failure)?;
        let json = serde_json::to_string_pretty(&summary).unwrap_or_default();
        std::fs::write(&file, json).map_err(|e| Failure::io(format!("{}: {e}", file.display())))?;
        return Ok(Some(summary));
    }
    Ok(std::fs::read_to_string(&file)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok()))
}

pub fn demo(data: DataArgs) -> Result<(), Failure> {
    runtime()?.block_on(async {
        let app = open(&data).await?;
        match ensure_demo(&app, &data.data).await? {
            Some(summary) => print_demo(&summary),
            None => return Err(Failure::input("the database has users already: the demo seeds an empty database (use another --data folder)")),
        }
        app.store.close().await;
        Ok(())
    })
}

pub fn serve(args: ServeArgs) -> Result<(), Failure> {
    runtime()?.block_on(async {
        let mut app = open(&args.data).await?;
        match args.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(_) if args.demo => {
                println!(
                    "Demo: mails go to {}/outbox/, not to the SMTP server.",
                    args.data.data.display()
                );
            }
            Some(url) => {
                let mailer = ensemble_app::smtp::SmtpMailer::from_url(url, &args.smtp_from)
                    .map_err(|e| Failure::input(format!("smtp-url: {e}")))?;
                app = app.with_mailer(Arc::new(mailer));
                println!("Mail goes out by SMTP as {}.", args.smtp_from);
            }
            None => println!(
                "Mail is written to {}/outbox/ (set --smtp-url or ENSEMBLE_SMTP_URL to send it).",
                args.data.data.display()
            ),
        }
        let mut site = ensemble_web::Site::default();
        if args.demo {
            match ensure_demo(&app, &args.data.data).await? {
                Some(summary) => {
                    print_demo(&summary);
                    println!(
                        "Every demo account signs in to the pages with the password \"{}\".",
                        ensemble_app::demo::DEMO_PASSWORD
                    );
                    // The login page lists the demo accounts; only `--demo` does this.
                    site.demo = Some(ensemble_web::DemoLogin {
                        password: ensemble_app::demo::DEMO_PASSWORD.to_string(),
                        accounts: summary
                            .accounts
                            .iter()
                            .map(|a| ensemble_web::DemoUser {
                                role: a.role.clone(),
                                email: a.email.clone(),
                                name: a.name.clone(),
                            })
                            .collect(),
                    });
                }
                None => println!("Not a demo database: its users were not created by the demo."),
            }
        } else {
            let empty = {
                let mut tx = app
                    .store
                    .read()
                    .await
                    .map_err(|e| Failure::io(e.to_string()))?;
                tx.users()
                    .await
                    .map_err(|e| Failure::io(e.to_string()))?
                    .is_empty()
            };
            if empty {
                let account = app
                    .bootstrap_admin("admin@ensemble.local")
                    .await
                    .map_err(app_failure)?;
                println!(
                    "First run: administrator admin@ensemble.local, token {}",
                    account.token
                );
                let invitation = app
                    .invite_first_admin("admin@ensemble.local")
                    .await
                    .map_err(app_failure)?;
                println!(
                    "Set its password for the pages at http://{}{} (valid 14 days)",
                    args.bind, invitation.path
                );
                println!("(shown once: keep it; it creates the other accounts)");
            }
        }
        println!(
            "Ensemble on {} ({}), data in {}",
            args.bind,
            app.store.backend(),
            args.data.data.display()
        );
        println!(
            "  Pages: http://{}/  API: http://{}/api/v1  OpenAPI: http://{}/api/v1/openapi.json",
            args.bind, args.bind, args.bind
        );
        ensemble_web::serve_with(app, args.bind, site)
            .await
            .map_err(|e| Failure::io(format!("cannot serve on {}: {e}", args.bind)))
    })
}

pub(crate) async fn actor(app: &App, token: &str) -> Result<Actor, Failure> {
    app.authenticate(token).await.map_err(app_failure)
}

pub fn declare(args: DeclareArgs) -> Result<(), Failure> {
    runtime()?.block_on(async {
        let app = open(&args.data).await?;
        let actor = actor(&app, &args.token).await?;
        let parse = |field: &str, v: &str| -> Result<jiff::civil::Date, Failure> {
            v.parse().map_err(|_| {
                Failure::input(format!("{field}: \"{v}\" is not a date like 2026-01-31"))
            })
        };
        let money = |field: &str, v: &Option<String>| -> Result<Option<Money>, Failure> {
            v.as_deref()
                .map(|s| {
                    s.parse::<Money>()
                        .map_err(|e| Failure::input(format!("{field}: {e}")))
                })
                .transpose()
        };
        let start = parse("start", &args.start)?;
        let input = NewDeclaration {
            activity_id: args
                .activity
                .parse()
                .map_err(|e: ensemble_domain::IdError| Failure::input(format!("activity: {e}")))?,
            client_id: args
                .client
                .parse()
                .map_err(|e: ensemble_domain::IdError| Failure::input(format!("client: {e}")))?,
            member_id: args
                .member
                .as_deref()
                .map(|m| {
                    m.parse().map_err(|e: ensemble_domain::IdError| {
                        Failure::input(format!("member: {e}"))
                    })
                })
                .transpose()?,
            period: PeriodInput {
                start,
                end: match &args.end {
                    Some(e) => parse("end", e)?,
                    None => start,
                },
            },
            unit: args.unit.clone(),
            quantity: args.quantity.clone(),
            price: money("price", &args.price)?,
            gross: money("gross", &args.gross)?,
            description: args.description.clone(),
        };
        let idem = args
            .idempotency_key
            .as_deref()
            .map(|k| Idempotency::for_input(k, &input).map_err(|e| Failure::input(e.to_string())))
            .transpose()?;
        let r = app
            .declare_work(&actor, &input, idem.as_ref())
            .await
            .map_err(app_failure)?;
        let d = &r.declaration;
        let b = d.breakdown;
        println!("{} {}: {}", d.number, d.status, d.work.description);
        println!(
            "  invoiced {} + VAT {} = {}",
            b.invoiced, b.vat, b.invoiced_with_vat
        );
        println!(
            "  fee {} ({} %)  employer cost {}  gross {}",
            b.fee, b.fee_rate, b.employer_cost, b.gross
        );
        println!(
            "  employee contributions {}  withholding tax {}  net {}",
            b.employee_contributions, b.withholding_tax, b.net
        );
        if let Some(i) = &r.invoice {
            println!(
                "  invoice {} due {} ({})",
                i.number, i.due_date, i.payment_reference
            );
        }
        for c in &r.contracts {
            println!("  contract {}: {}", c.number, c.title);
        }
        app.store.close().await;
        Ok(())
    })
}

fn query(args: &ListArgs) -> Result<DocumentQuery, Failure> {
    Ok(DocumentQuery {
        activity: args
            .activity
            .as_deref()
            .map(|a| {
                a.parse()
                    .map_err(|e: ensemble_domain::IdError| Failure::input(format!("activity: {e}")))
            })
            .transpose()?,
        member: None,
        limit: Some(10_000),
    })
}

pub fn invoices(args: ListArgs) -> Result<(), Failure> {
    runtime()?.block_on(async {
        let app = open(&args.data).await?;
        let actor = actor(&app, &args.token).await?;
        let list = app
            .invoices(&actor, &query(&args)?)
            .await
            .map_err(app_failure)?;
        if args.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        } else {
            for i in &list {
                println!(
                    "{}  {}  due {}  {:>12}  {}  {}",
                    i.number,
                    i.issue_date,
                    i.due_date,
                    i.totals.with_vat.to_string(),
                    i.status,
                    i.payment_reference
                );
            }
            println!("{} invoices", list.len());
        }
        app.store.close().await;
        Ok(())
    })
}

pub fn contracts(args: ListArgs) -> Result<(), Failure> {
    runtime()?.block_on(async {
        let app = open(&args.data).await?;
        let actor = actor(&app, &args.token).await?;
        let list = app
            .contracts(&actor, &query(&args)?)
            .await
            .map_err(app_failure)?;
        if args.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        } else {
            for c in &list {
                println!(
                    "{}  {:<10} {} – {}  {:>10}  {}",
                    c.number,
                    c.kind,
                    c.start,
                    c.end,
                    c.gross.to_string(),
                    c.title
                );
            }
            println!("{} contracts", list.len());
        }
        app.store.close().await;
        Ok(())
    })
}
