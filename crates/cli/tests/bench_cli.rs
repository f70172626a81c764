//! `ensemble bench` with a small count, so the benchmark commands cannot rot: every declaration
//! succeeds and writes its invoice, contract(s), payslip and two budget movements. No timing
//! is asserted (the figures are in BENCHMARKS.md).

use std::process::{Command, Output};

fn ensemble(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ensemble"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("the binary runs")
}

/// Runs a bench and checks what it wrote.
fn check(args: &[&str]) -> serde_json::Value {
    let o = ensemble(args);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{args:?}: {stdout}\n{stderr}");
    let s: serde_json::Value = serde_json::from_str(&stdout).expect("a JSON summary");
    assert_eq!(s["count"], 20, "{s}");
    assert_eq!(s["ok"], 20, "{s}");
    assert_eq!(s["errors"], 0, "{s}");
    // Each declaration: one invoice, one payslip, income and salary movements, and one
    // contract per Belgian day (at least one each).
    assert_eq!(s["invoices"], 20, "{s}");
    assert_eq!(s["payslips"], 20, "{s}");
    assert_eq!(s["budget_movements"], 40, "{s}");
    let contracts = s["contracts"].as_i64().expect("contracts");
    assert!(contracts > 20, "{s}");
    s
}

#[test]
fn bench_declare_on_sqlite() {
    let s = check(&[
        "bench",
        "declare",
        "--count",
        "20",
        "--concurrency",
        "3",
        "--json",
    ]);
    assert_eq!(s["backend"], "sqlite");
    assert_eq!(s["mode"], "declare");
}

#[test]
fn bench_http_on_sqlite() {
    let s = check(&[
        "bench",
        "http",
        "--count",
        "20",
        "--concurrency",
        "4",
        "--idempotency-keys",
        "--json",
    ]);
    assert_eq!(s["backend"], "sqlite");
    assert_eq!(s["mode"], "http");
}

#[test]
fn bench_declare_on_postgres() {
    let Ok(url) = std::env::var("ENSEMBLE_TEST_DATABASE_URL") else {
        eprintln!("ENSEMBLE_TEST_DATABASE_URL is not set: PostgreSQL skipped");
        return;
    };
    let s = check(&[
        "bench",
        "declare",
        "--count",
        "20",
        "--database-url",
        &url,
        "--json",
    ]);
    assert_eq!(s["backend"], "postgres");
}

#[test]
fn bench_refuses_a_zero_count() {
    let o = ensemble(&["bench", "declare", "--count", "0"]);
    assert_eq!(o.status.code(), Some(2));
}
