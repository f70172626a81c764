//! The embedded default: one SQLite file in the data folder, in WAL mode with foreign keys on.
//! Writes go through a single connection (SQLite has one writer), reads through a small pool.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

type Db = sqlx::Sqlite;

/// SQLite has one writer, holding the database lock: nothing more to lock per entity.
const LOCK_ENTITY: Option<&str> = None;

/// Multi-row statements number their parameters with anonymous `?`: the driver asks SQLite
/// each parameter's name, a linear search among the named (`$N`) ones, which makes a
/// statement of thousands of `$N` quadratic.
const ANONYMOUS_PARAMS: bool = true;

/// A SQLite database file.
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating it if needed) and migrates the database file at `path`.
    pub async fn open(path: &Path) -> crate::Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                crate::StoreError::Config(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .pragma("cache_size", "-16000")
            // Every statement of the store stays prepared on each connection (more than
            // sqlx's default 100 once all features are in).
            .statement_cache_capacity(crate::STATEMENT_CACHE);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&writer).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(SqliteStore { writer, reader })
    }
}

#[async_trait]
impl crate::Store for SqliteStore {
    async fn write(&self) -> crate::Result<Box<dyn crate::Tx>> {
        Ok(Box::new(BackendTx {
            tx: self.writer.begin_with("BEGIN IMMEDIATE").await?,
            cache: LedgerCache::default(),
        }))
    }

    async fn read(&self) -> crate::Result<Box<dyn crate::Tx>> {
        Ok(Box::new(BackendTx {
            tx: self.reader.begin().await?,
            cache: LedgerCache::default(),
        }))
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// A SQLite transaction.
pub struct BackendTx {
    tx: sqlx::Transaction<'static, Db>,
    /// What the transaction read or wrote of the ledger already (see `LedgerCache`).
    cache: LedgerCache,
}

#[async_trait]
impl crate::Tx for BackendTx {
    async fn commit(self: Box<Self>) -> crate::Result<()> {
        Ok(self.tx.commit().await?)
    }
}

include!("queries/common.rs");
include!("queries/core.rs");
include!("queries/quotes.rs");
include!("queries/expenses.rs");
include!("queries/accounts.rs");
include!("queries/ledger.rs");
include!("queries/banking.rs");
