//! The harness of the app's tests on every store: `on_every_store!` runs a test on SQLite and,
//! with ENSEMBLE_TEST_DATABASE_URL, on PostgreSQL, with a fixture at `now()` (the calling file
//! brings `TestStore`, `fixture`, `now`, `prepare` and `finish` into scope: this module's, or
//! its own).
#![allow(dead_code)]

use ensemble_domain::Money;

/// The fixture's clock: 20 January 2026.
pub fn now() -> jiff::Timestamp {
    "2026-01-20T10:00:00Z".parse().expect("timestamp")
}

pub fn eur(s: &str) -> Money {
    s.parse().expect("amount")
}

/// Declares each input at once, as Alice, each from its own task: the invoice numbers of the
/// declarations made, in order, and the error codes of the others.
pub async fn declare_concurrently(
    f: &ensemble_app::testing::Fixture,
    inputs: Vec<ensemble_app::inputs::NewDeclaration>,
) -> (Vec<u32>, Vec<String>) {
    let mut tasks = Vec::new();
    for input in inputs {
        let app = f.app.clone();
        let actor = f.alice.actor.clone();
        tasks.push(tokio::spawn(async move {
            app.declare_work(&actor, &input, None).await
        }));
    }
    let (mut numbers, mut errors) = (Vec::new(), Vec::new());
    for t in tasks {
        match t.await.expect("task") {
            Ok(r) => numbers.push(r.invoice.expect("invoice").number.sequence),
            Err(e) => errors.push(e.code().to_string()),
        }
    }
    numbers.sort_unstable();
    (numbers, errors)
}

/// Runs `test` on every backend the environment offers: `prepare` readies the fixture first,
/// `finish` cleans up after the test.
macro_rules! on_every_store {
    ($name:ident, |$f:ident| $body:block) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for store in TestStore::all().await {
                let backend = store.store.backend();
                let mut $f = fixture(store.store.clone(), now()).await;
                prepare(&mut $f).await;
                eprintln!("{} on {backend}", stringify!($name));
                $body
                finish(&$f);
                store.finish().await;
            }
        }
    };
}

/// The fixture as it is made.
pub async fn prepare(_: &mut ensemble_app::testing::Fixture) {}

/// Nothing to clean up.
pub fn finish(_: &ensemble_app::testing::Fixture) {}
