//! `ensemble bench`: how fast the core chain runs on this machine.
//!
//! - `bench declare` declares work through the use-case layer (`App::declare_work`, the path
//!   the API takes) on a fresh database: SQLite in a data folder by default, PostgreSQL (a fresh
//!   schema, dropped afterwards) with `--database-url`.
//! - `bench http` sends the same declarations to `POST /api/v1/declarations` on loopback, to a
//!   server started in-process on a random port, or to `--url`.
//!
//! Both seed the demo cooperative first (two entities, 40 members, 60 activities, three months
//! of history), with entities that validate at once, so each declaration produces its invoice,
//! contract(s), payslip and budget movements in one transaction. They print declarations per
//! second and the 50th and 99th percentile of the time per declaration, and count the rows
//! written. Timing lives here only: no test asserts a duration.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use ensemble_app::demo::{DemoOptions, DemoWorker};
use ensemble_app::inputs::{NewDeclaration, PeriodInput};
use ensemble_app::{App, SystemClock};
use ensemble_domain::{Country, Money};
use ensemble_store::Store;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::Failure;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Declare work through the use-case layer on a fresh database.
    Declare(DeclareArgs),
    /// Declare work through the HTTP API on loopback.
    Http(HttpArgs),
    /// Import a generated camt.053 statement of N credit lines against N open invoices in a
    /// fresh SQLite database, and time each phase.
    Reconcile(crate::bench_reconcile::ReconcileArgs),
    /// Transfers posted per second through the store (SQLite, or PostgreSQL with
    /// --database-url).
    Ledger(crate::ledger::BenchArgs),
}

/// The database to seed and measure.
#[derive(Args)]
pub struct BenchDatabase {
    /// PostgreSQL (postgres://…): the bench works in a fresh schema and drops it afterwards
    /// (with --url, the server's own database, which must be empty). SQLite by default.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// The SQLite data folder, new or empty; by default a temporary folder removed afterwards.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Keep the temporary folder or PostgreSQL schema afterwards.
    #[arg(long)]
    pub keep: bool,
    /// How many declarations.
    #[arg(long, default_value_t = 100_000)]
    pub count: usize,
    /// How many declarations are in flight at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct DeclareArgs {
    #[command(flatten)]
    pub db: BenchDatabase,
}

#[derive(Args)]
pub struct HttpArgs {
    #[command(flatten)]
    pub db: BenchDatabase,
    /// A running server (http://127.0.0.1:8080) whose database is the one given by
    /// --database-url or --data; by default the bench starts one in-process on a random
    /// loopback port.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Send an Idempotency-Key with each request (the server then stores each response).
    #[arg(long)]
    pub idempotency_keys: bool,
}

/// What a run measured.
#[derive(Serialize)]
struct Summary {
    mode: &'static str,
    backend: &'static str,
    count: usize,
    concurrency: usize,
    ok: usize,
    errors: usize,
    first_error: Option<String>,
    seconds: f64,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    seed_seconds: f64,
    /// CPU time of this process (user + system) per declaration during the run, in ms, where
    /// the system tells it (Linux): the figure to compare on a machine shared with other work.
    /// The PostgreSQL server's time is not in it.
    cpu_ms_per_declaration: Option<f64>,
    /// Rows written by the measured declarations.
    invoices: i64,
    contracts: i64,
    payslips: i64,
    budget_movements: i64,
}

pub fn run(command: BenchCommand) -> Result<(), Failure> {
    let command = match command {
        BenchCommand::Reconcile(args) => return crate::bench_reconcile::reconcile(args),
        BenchCommand::Ledger(args) => return crate::ledger::bench(args),
        other => other,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::io(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        match command {
            BenchCommand::Declare(args) => bench(args.db, None).await,
            BenchCommand::Http(args) => {
                bench(args.db, Some((args.url, args.idempotency_keys))).await
            }
            BenchCommand::Reconcile(_) | BenchCommand::Ledger(_) => Ok(()),
        }
    })
}

/// A database opened for the bench, and how to clean it up.
struct Target {
    store: Arc<dyn Store>,
    data: PathBuf,
    cleanup: Cleanup,
}

enum Cleanup {
    Nothing,
    Folder(PathBuf),
    Schema { url: String, schema: String },
}

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{}_{nanos}", std::process::id())
}

async fn open(db: &BenchDatabase, shared_with_server: bool) -> Result<Target, Failure> {
    let fail = |e: ensemble_store::StoreError| Failure::io(format!("database: {e}"));
    if let Some(url) = db.database_url.as_deref().filter(|u| !u.is_empty()) {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(Failure::input(
                "--database-url: give a postgres:// URL (SQLite is the default, in --data)",
            ));
        }
        let data = std::env::temp_dir().join(format!("ensemble-bench-{}", unique()));
        if shared_with_server {
            let store = ensemble_store::PgStore::connect(url, None)
                .await
                .map_err(fail)?;
            return Ok(Target {
                store: Arc::new(store),
                cleanup: Cleanup::Folder(data.clone()),
                data,
            });
        }
        let schema = format!("ensemble_bench_{}", unique());
        let store = ensemble_store::PgStore::connect(url, Some(&schema))
            .await
            .map_err(fail)?;
        let cleanup = if db.keep {
            eprintln!("PostgreSQL schema {schema} is kept");
            Cleanup::Nothing
        } else {
            Cleanup::Schema {
                url: url.to_string(),
                schema,
            }
        };
        return Ok(Target {
            store: Arc::new(store),
            data,
            cleanup,
        });
    }
    let (data, cleanup) = match &db.data {
        Some(dir) => (dir.clone(), Cleanup::Nothing),
        None => {
            let dir = std::env::temp_dir().join(format!("ensemble-bench-{}", unique()));
            if db.keep {
                eprintln!("data folder {} is kept", dir.display());
                (dir, Cleanup::Nothing)
            } else {
                (dir.clone(), Cleanup::Folder(dir))
            }
        }
    };
    std::fs::create_dir_all(&data)
        .map_err(|e| Failure::io(format!("cannot create {}: {e}", data.display())))?;
    let store = ensemble_store::SqliteStore::open(&data.join("ensemble.db"))
        .await
        .map_err(fail)?;
    Ok(Target {
        store: Arc::new(store),
        data,
        cleanup,
    })
}

async fn clean(target: Target) {
    target.store.close().await;
    match &target.cleanup {
        Cleanup::Nothing => {}
        Cleanup::Folder(dir) => {
            let _ = std::fs::remove_dir_all(dir);
        }
        Cleanup::Schema { url, schema } => {
            if let Err(e) = ensemble_store::PgStore::drop_schema(url, schema).await {
                eprintln!("could not drop the schema {schema}: {e}");
            }
            // The mail outbox of the seeded invitations.
            let _ = std::fs::remove_dir_all(&target.data);
        }
    }
}

/// The `i`-th declaration: the demo's kinds of work (Belgian days, two-day stretches and
/// half-days; French days and hours), by price or by gross salary, spread over the year.
fn declaration(i: usize, worker: &DemoWorker) -> NewDeclaration {
    let month = 1 + (i % 12) as i8;
    let day = 1 + ((i / 12) % 24) as i8;
    let (unit, quantity, end) = match (worker.country, (i / 7) % 3) {
        (Country::Be, 0) => ("day", "2", day + 1),
        (Country::Be, 1) => ("day", "1", day),
        (Country::Be, _) => ("half_day", "1", day),
        (Country::Fr, 0) => ("day", "3", day + 4),
        (Country::Fr, 1) => ("hour", "12", day + 2),
        (Country::Fr, _) => ("day", "1", day),
    };
    let base = match worker.country {
        Country::Be => 42_000,
        Country::Fr => 65_000,
    };
    let amount = Money::from_cents(base + (i as i64 % 9) * 7_500);
    let by_gross = i.is_multiple_of(3);
    NewDeclaration {
        activity_id: worker.activity_id,
        client_id: worker.clients[i % worker.clients.len().max(1)],
        member_id: None,
        period: PeriodInput {
            start: jiff::civil::date(2026, month, day),
            end: jiff::civil::date(2026, month, end),
        },
        unit: unit.into(),
        quantity: quantity.into(),
        price: (!by_gross).then_some(amount),
        gross: by_gross.then_some(Money::from_cents(amount.cents() * 3 / 5)),
        description: format!("Benchmark work {i}"),
    }
}

const COUNTED: [&str; 4] = ["invoices", "contracts", "payslips", "budget_movements"];

async fn counts(store: &dyn Store) -> Result<[i64; 4], Failure> {
    let mut tx = store.read().await.map_err(|e| Failure::io(e.to_string()))?;
    let mut out = [0; 4];
    for (n, table) in out.iter_mut().zip(COUNTED) {
        *n = tx
            .count_rows(table)
            .await
            .map_err(|e| Failure::io(e.to_string()))?;
    }
    Ok(out)
}

/// This process's CPU time so far (user + system), from /proc (Linux; 100 ticks a second).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name in parentheses; utime and stime are the 14th and 15th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn progress(count: usize) -> ProgressBar {
    let bar = ProgressBar::new(count as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} declarations  {per_sec}  {elapsed_precise} (eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// One outcome: the time taken, or an error message.
type Outcome = Result<Duration, String>;

async fn bench(db: BenchDatabase, http: Option<(Option<String>, bool)>) -> Result<(), Failure> {
    if db.count == 0 || db.concurrency == 0 {
        return Err(Failure::input(
            "--count and --concurrency must be at least 1",
        ));
    }
    let external = http.as_ref().and_then(|(url, _)| url.clone());
    let target = open(&db, external.is_some()).await?;
    let result = measure(&db, &target, http, external).await;
    clean(target).await;
    let summary = result?;
    if db.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    } else {
        print_summary(&summary);
    }
    if summary.errors > 0 {
        return Err(Failure::io(format!(
            "{} of {} declarations failed",
            summary.errors, summary.count
        )));
    }
    Ok(())
}

async fn measure(
    db: &BenchDatabase,
    target: &Target,
    http: Option<(Option<String>, bool)>,
    external: Option<String>,
) -> Result<Summary, Failure> {
    let app = App::new(
        target.store.clone(),
        Arc::new(SystemClock),
        target.data.clone(),
    );
    eprintln!(
        "Seeding the demo cooperative on {} (entities validating at once)…",
        app.store.backend()
    );
    let seed_start = Instant::now();
    let demo = app
        .seed_demo_with(DemoOptions {
            auto_validate: true,
        })
        .await
        .map_err(|e| Failure::io(format!("seeding the demo: {}", e.message())))?;
    let seed_seconds = seed_start.elapsed().as_secs_f64();
    let workers = Arc::new(demo.workers);
    if workers.is_empty() {
        return Err(Failure::io("the demo has no activity to declare work on"));
    }
    let before = counts(&*app.store).await?;

    let mode = if http.is_some() { "http" } else { "declare" };
    let bar = progress(db.count);
    let cpu_before = cpu_seconds();
    let (outcomes, elapsed) = match http {
        None => run_use_cases(&app, &workers, db.count, db.concurrency, &bar).await,
        Some((_, idempotency)) => {
            let (base, server) = match external {
                Some(url) => (url.trim_end_matches('/').to_string(), None),
                None => {
                    let (addr, server) = start_server(app.clone()).await?;
                    (format!("http://{addr}"), Some(server))
                }
            };
            let out = run_http(&base, &workers, db.count, db.concurrency, idempotency, &bar).await;
            if let Some((stop, handle)) = server {
                let _ = stop.send(());
                let _ = handle.await;
            }
            out
        }
    };
    bar.finish_and_clear();
    let cpu = cpu_before
        .zip(cpu_seconds())
        .map(|(b, a)| (a - b) * 1000.0 / db.count as f64);

    let after = counts(&*app.store).await?;
    let mut times: Vec<Duration> = Vec::with_capacity(outcomes.len());
    let mut errors = 0;
    let mut first_error = None;
    for o in outcomes {
        match o {
            Ok(t) => times.push(t),
            Err(e) => {
                errors += 1;
                first_error.get_or_insert(e);
            }
        }
    }
    times.sort_unstable();
    let pct = |q: f64| -> f64 {
        if times.is_empty() {
            return 0.0;
        }
        let i = ((times.len() - 1) as f64 * q).round() as usize;
        times[i.min(times.len() - 1)].as_secs_f64() * 1000.0
    };
    let seconds = elapsed.as_secs_f64();
    Ok(Summary {
        mode,
        backend: app.store.backend(),
        count: db.count,
        concurrency: db.concurrency,
        ok: times.len(),
        errors,
        first_error,
        seconds,
        per_second: times.len() as f64 / seconds.max(1e-9),
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: pct(1.0),
        seed_seconds,
        cpu_ms_per_declaration: cpu,
        invoices: after[0] - before[0],
        contracts: after[1] - before[1],
        payslips: after[2] - before[2],
        budget_movements: after[3] - before[3],
    })
}

fn print_summary(s: &Summary) {
    let how = match s.mode {
        "http" => "through the HTTP API",
        _ => "through the use-case layer",
    };
    println!(
        "{} declarations {how} on {} ({} in flight) in {:.2} s (seed {:.1} s)",
        s.count, s.backend, s.concurrency, s.seconds, s.seed_seconds
    );
    println!(
        "  {:.0} declarations/s   per declaration: p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        s.per_second, s.p50_ms, s.p99_ms, s.max_ms
    );
    if let Some(cpu) = s.cpu_ms_per_declaration {
        println!("  CPU time of this process: {cpu:.3} ms per declaration");
    }
    println!(
        "  written: {} invoices, {} contracts, {} payslips, {} budget movements",
        s.invoices, s.contracts, s.payslips, s.budget_movements
    );
    println!(
        "  errors: {}{}",
        s.errors,
        s.first_error
            .as_deref()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    );
}

/// Runs `count` declarations on `concurrency` tasks; each takes the next index.
async fn drive<F, Fut>(
    count: usize,
    concurrency: usize,
    bar: &ProgressBar,
    one: F,
) -> (Vec<Outcome>, Duration)
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let next = next.clone();
        let one = one.clone();
        let bar = bar.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let t = Instant::now();
                out.push(one(i).await.map(|()| t.elapsed()));
                bar.inc(1);
            }
            out
        }));
    }
    let mut outcomes = Vec::with_capacity(count);
    for t in tasks {
        match t.await {
            Ok(out) => outcomes.extend(out),
            Err(e) => outcomes.push(Err(format!("task failed: {e}"))),
        }
    }
    (outcomes, start.elapsed())
}

async fn run_use_cases(
    app: &App,
    workers: &Arc<Vec<DemoWorker>>,
    count: usize,
    concurrency: usize,
    bar: &ProgressBar,
) -> (Vec<Outcome>, Duration) {
    let app = app.clone();
    let workers = workers.clone();
    drive(count, concurrency, bar, move |i| {
        let app = app.clone();
        let workers = workers.clone();
        async move {
            let worker = &workers[i % workers.len()];
            let input = declaration(i, worker);
            app.declare_work(&worker.actor, &input, None)
                .await
                .map(|_| ())
                .map_err(|e| {
                    let field = e.field().map(|f| format!("{f}: ")).unwrap_or_default();
                    format!("{field}{}", e.message())
                })
        }
    })
    .await
}

type Stop = tokio::sync::oneshot::Sender<()>;

/// The API on a random loopback port, until the sender is used.
async fn start_server(
    app: App,
) -> Result<(SocketAddr, (Stop, tokio::task::JoinHandle<()>)), Failure> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| Failure::io(format!("cannot listen on loopback: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::io(e.to_string()))?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        let service = ensemble_web::router(app).into_make_service_with_connect_info::<SocketAddr>();
        if let Err(e) = axum::serve(listener, service)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
        {
            eprintln!("server: {e}");
        }
    });
    Ok((addr, (stop, handle)))
}

async fn run_http(
    base: &str,
    workers: &Arc<Vec<DemoWorker>>,
    count: usize,
    concurrency: usize,
    idempotency: bool,
    bar: &ProgressBar,
) -> (Vec<Outcome>, Duration) {
    let client: hyper_util::client::legacy::Client<_, Full<Bytes>> =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .pool_max_idle_per_host(concurrency)
            .build_http();
    let uri = format!("{base}/api/v1/declarations");
    let workers = workers.clone();
    let run = unique();
    drive(count, concurrency, bar, move |i| {
        let client = client.clone();
        let workers = workers.clone();
        let uri = uri.clone();
        let run = run.clone();
        async move {
            let worker = &workers[i % workers.len()];
            let body = serde_json::to_vec(&declaration(i, worker)).map_err(|e| e.to_string())?;
            let mut request = hyper::Request::post(&uri)
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {}", worker.token));
            if idempotency {
                request = request.header("idempotency-key", format!("bench-{run}-{i}"));
            }
            let request = request
                .body(Full::new(Bytes::from(body)))
                .map_err(|e| e.to_string())?;
            let response = client.request(request).await.map_err(|e| e.to_string())?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| e.to_string())?
                .to_bytes();
            if status == hyper::StatusCode::CREATED {
                Ok(())
            } else {
                Err(format!("{status}: {}", String::from_utf8_lossy(&body)))
            }
        }
    })
    .await
}
