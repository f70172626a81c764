//! `ensemble ledger check` and `ensemble ledger verify` on the demo's SQLite database, then
//! on the same database altered by hand.

use std::process::{Command, Output};

fn ensemble(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ensemble"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_and_verify_the_demo_then_find_an_altered_row() {
    let dir = std::env::temp_dir().join(format!("ensemble-ledger-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.to_string_lossy().into_owned();
    let o = ensemble(&["demo", "--data", &data]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    let o = ensemble(&["ledger", "check", "--data", &data]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("ledger check: OK"));
    let o = ensemble(&["ledger", "verify", "--data", &data]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("ledger verify: OK"));

    // The fund's daily run on the demo: the unpaid November invoices are not late yet in
    // mid-December, the half-paid September ones are.
    let o = ensemble(&["fund", "run", "--data", &data, "--date", "2026-12-15"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("reminder"), "{}", text(&o.stdout));
    let o = ensemble(&["fund", "run", "--data", &data, "--date", "2026-12-15"]);
    assert!(
        text(&o.stdout).contains("fund run 2026-12-15: 0 step(s)"),
        "{}",
        text(&o.stdout)
    );
    let o = ensemble(&["fund", "run", "--data", &data, "--date", "someday"]);
    assert_eq!(o.status.code(), Some(2));
    let o = ensemble(&["ledger", "check", "--data", &data]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    // Change one label by hand: the amounts still balance, but the chain breaks.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let url = format!("sqlite://{}", dir.join("ensemble.db").display());
        let store = ensemble_store::open(&url).await.expect("open");
        let mut tx = store.write().await.expect("write");
        let n = tx
            .raw_sql_for_tests(
                "UPDATE ledger_transfers SET label = 'edited' WHERE id = (SELECT MIN(id) FROM ledger_transfers)",
            )
            .await
            .expect("update");
        assert_eq!(n, 1);
        tx.commit().await.expect("commit");
        store.close().await;
    });
    let o = ensemble(&["ledger", "check", "--data", &data]);
    assert!(
        o.status.success(),
        "labels do not move money: {}",
        text(&o.stderr)
    );
    let o = ensemble(&["ledger", "verify", "--data", &data]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("altered"), "{}", text(&o.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
