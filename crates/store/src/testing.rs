//! Stores for tests, each isolated: a fresh SQLite file, or a fresh PostgreSQL schema when
//! `ENSEMBLE_TEST_DATABASE_URL` is set. The contract suite runs against both.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{PgStore, SqliteStore, Store};

/// The environment variable that points the tests at PostgreSQL.
pub const TEST_DATABASE_URL: &str = "ENSEMBLE_TEST_DATABASE_URL";

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub(crate) fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "t{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000,
        n
    )
}

/// A store a test owns; its data disappears with it.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Schema { url: String, schema: String },
}

impl TestStore {
    /// A fresh SQLite database in a temporary folder.
    pub async fn sqlite() -> TestStore {
        let dir = std::env::temp_dir().join(format!("ensemble-test-{}", unique_name()));
        let store = SqliteStore::open(&dir.join("ensemble.db"))
            .await
            .expect("open a test SQLite database");
        TestStore {
            store: Arc::new(store),
            cleanup: Cleanup::File(dir),
        }
    }

    /// A fresh schema in the PostgreSQL database of `ENSEMBLE_TEST_DATABASE_URL`, or `None`
    /// when the variable is not set. Panics when it is set and the server cannot be reached:
    /// a CI run that means to test PostgreSQL must not pass without it.
    pub async fn postgres() -> Option<TestStore> {
        let url = std::env::var(TEST_DATABASE_URL)
            .ok()
            .filter(|u| !u.is_empty())?;
        let schema = unique_name();
        let store = PgStore::connect(&url, Some(&schema))
            .await
            .unwrap_or_else(|e| panic!("{TEST_DATABASE_URL}={url}: cannot connect: {e}"));
        Some(TestStore {
            store: Arc::new(store),
            cleanup: Cleanup::Schema { url, schema },
        })
    }

    /// Every backend the environment offers: SQLite always, PostgreSQL when configured.
    pub async fn all() -> Vec<TestStore> {
        let mut stores = vec![TestStore::sqlite().await];
        if let Some(pg) = TestStore::postgres().await {
            stores.push(pg);
        }
        stores
    }

    /// Closes the store and removes its data.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::File(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Schema { url, schema } => {
                let _ = PgStore::drop_schema(&url, &schema).await;
            }
        }
    }
}
