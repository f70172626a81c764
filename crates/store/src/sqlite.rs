//! The embedded default: one SQLite file in the data folder, in WAL mode with foreign keys on.
//! Writes go through a single connection (SQLite has one writer), reads through a small pool;
//! statements run on the calling thread (see `lite`).

use async_trait::async_trait;
use std::path::Path;

use crate::lite::{AssertSqlSafe, Checkpointer, LiteConn, LiteTx, ReadPool, Writer, query};

type DbRow = crate::lite::LiteRow;
type DbError = crate::lite::LiteError;
type DbQuery = crate::lite::Query;

/// SQLite has one writer, holding the database lock: nothing more to lock per entity.
const LOCK_ENTITY: Option<&str> = None;

/// Multi-row statements number their parameters with anonymous `?`: finding a `$N`
/// parameter's number asks SQLite its name, a linear search among the named ones, which makes
/// a statement of thousands of `$N` quadratic.
const ANONYMOUS_PARAMS: bool = true;

/// Read-only connections: readers never wait for the writer in WAL mode.
const READERS: usize = 4;

/// Page cache of each reader, in KiB: reports read much of the books.
const READER_CACHE_KIB: i64 = 16_000;

/// Page cache of the writer, in KiB. At the end of every database transaction SQLite walks
/// the writer's whole page cache (`pcache1TruncateUnsafe`): with one commit per declaration
/// that walk was 18 % of a declaration's CPU time; with group commit it is shared by the group.
const WRITER_CACHE_KIB: i64 = 16_000;

/// The writer checkpoints by itself only past this many WAL pages (400 MB).
///
/// Under steady load the WAL starts over only after such a checkpoint: the background one
/// (`lite::Checkpointer`) cannot reach the end of a WAL the writer keeps appending to, and
/// SQLite restarts the WAL only when a write transaction begins on one that is wholly
/// copied. The writer's checkpoint pauses every writer (the last frames to copy, two
/// syncs): at 10 000 pages that was about once a second under load and made the p99 of
/// `bench http` 40–43 ms; at 100 000 it is 13 ms (`BENCHMARKS.md`). At a lower rate the
/// background checkpoint catches up between writes and the WAL stays small.
const WRITER_CHECKPOINT_PAGES: i64 = 100_000;

/// Accounts the writer's shared ledger cache keeps at most, once written (each is a few
/// hundred bytes).
const SHARED_ACCOUNTS: usize = 50_000;

/// The schema, version by version; the same versions as `migrations/postgres`.
const MIGRATIONS: &[crate::lite::Migration] = &[
    migration(
        1,
        "core",
        include_str!("../migrations/sqlite/0001_core.sql"),
    ),
    migration(
        2,
        "quotes",
        include_str!("../migrations/sqlite/0002_quotes.sql"),
    ),
    migration(
        3,
        "expenses",
        include_str!("../migrations/sqlite/0003_expenses.sql"),
    ),
    migration(
        4,
        "ledger",
        include_str!("../migrations/sqlite/0004_ledger.sql"),
    ),
    migration(
        5,
        "accounts",
        include_str!("../migrations/sqlite/0005_accounts.sql"),
    ),
    migration(
        6,
        "banking",
        include_str!("../migrations/sqlite/0006_banking.sql"),
    ),
    migration(
        7,
        "money",
        include_str!("../migrations/sqlite/0007_money.sql"),
    ),
    migration(
        8,
        "perf",
        include_str!("../migrations/sqlite/0008_perf.sql"),
    ),
    migration(
        9,
        "transfers",
        include_str!("../migrations/sqlite/0009_transfers.sql"),
    ),
];

const fn migration(
    version: i64,
    description: &'static str,
    sql: &'static str,
) -> crate::lite::Migration {
    crate::lite::Migration {
        version,
        description,
        sql,
    }
}

/// A SQLite database file.
pub struct SqliteStore {
    writer: Writer,
    readers: ReadPool,
    _checkpointer: Checkpointer,
}

impl SqliteStore {
    /// Opens (creating it if needed) and migrates the database file at `path`.
    pub async fn open(path: &Path) -> crate::Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                crate::StoreError::Config(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let writer = LiteConn::open(path, false, WRITER_CACHE_KIB)?;
        crate::lite::migrate(&writer, MIGRATIONS)
            .map_err(|e| crate::StoreError::Schema(e.to_string()))?;
        writer.pragma("wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)?;
        let readers = ReadPool::open(path, READERS, READER_CACHE_KIB)?;
        Ok(SqliteStore {
            writer: Writer::with_flush(writer, Some(Box::new(flush_ledger))),
            readers,
            _checkpointer: Checkpointer::start(path).map_err(crate::StoreError::Config)?,
        })
    }
}

#[async_trait]
impl crate::Store for SqliteStore {
    async fn write(&self) -> crate::Result<Box<dyn crate::Tx>> {
        Ok(Box::new(BackendTx {
            tx: LiteTx::write(&self.writer).await?,
            cache: LedgerCache::default(),
        }))
    }

    async fn read(&self) -> crate::Result<Box<dyn crate::Tx>> {
        Ok(Box::new(BackendTx {
            tx: LiteTx::read(&self.readers).await?,
            cache: LedgerCache::default(),
        }))
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn close(&self) {
        // The connections close when the store is dropped.
    }
}

/// A SQLite transaction.
pub struct BackendTx {
    tx: LiteTx,
    /// What the transaction read or wrote of the ledger already (see `LedgerCache`).
    cache: LedgerCache,
}

#[async_trait]
impl crate::Tx for BackendTx {
    async fn commit(self: Box<Self>) -> crate::Result<()> {
        self.cache.check_whole()?;
        let BackendTx { tx, cache } = *self;
        Ok(tx
            .commit_sharing(move |shared: &mut LedgerShared| shared.merge(cache))
            .await?)
    }
}

impl BackendTx {
    /// The ledger the writer knows across its transactions; `None` on a reader.
    fn shared_ledger(&mut self) -> Option<&mut LedgerShared> {
        self.tx.shared::<LedgerShared>()
    }

    /// Writes what the writer's ledger cache holds unwritten, and drops it.
    fn drop_shared_ledger(&mut self) -> crate::Result<()> {
        Ok(self.tx.flush_shared()?)
    }
}

/// Writes the balances the writer's transactions moved since the last commit (see
/// `LedgerShared`), in the database transaction about to commit.
fn flush_ledger(conn: &LiteConn, shared: &mut (dyn std::any::Any + Send)) -> Result<(), DbError> {
    let Some(ledger) = shared.downcast_mut::<LedgerShared>() else {
        return Ok(());
    };
    tracing::trace!(accounts = ledger.unwritten.len(), "ledger balances written");
    for id in std::mem::take(&mut ledger.unwritten) {
        if let Some((a, b)) = ledger.accounts.get(&id) {
            balance_update(a, b).execute_on(conn)?;
        }
    }
    if ledger.accounts.len() > SHARED_ACCOUNTS {
        ledger.accounts.clear();
    }
    Ok(())
}

fn violation(e: &DbError) -> Option<crate::Violation> {
    crate::lite::violation(e)
}

fn col<T: rusqlite::types::FromSql>(
    row: &DbRow,
    table: &'static str,
    name: &str,
) -> crate::Result<T> {
    row.get::<T>(name)
        .map_err(|e| corrupt(table, format!("{name}: {e}")))
}

include!("queries/common.rs");
include!("queries/core.rs");
include!("queries/quotes.rs");
include!("queries/expenses.rs");
include!("queries/accounts.rs");
include!("queries/ledger.rs");
include!("queries/banking.rs");

#[cfg(test)]
mod tests {
    /// A migration file added to `migrations/sqlite` must be added to `MIGRATIONS` too.
    #[test]
    fn every_migration_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
        let mut files: Vec<(i64, String)> = std::fs::read_dir(&dir)
            .expect("migrations/sqlite")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|name| {
                let stem = name.strip_suffix(".sql")?;
                let (version, description) = stem.split_once('_')?;
                Some((version.parse().ok()?, description.replace('_', " ")))
            })
            .collect();
        files.sort();
        let embedded: Vec<(i64, String)> = super::MIGRATIONS
            .iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect();
        assert_eq!(embedded, files);
        for (m, (version, _)) in super::MIGRATIONS.iter().zip(&files) {
            let text = std::fs::read_to_string(dir.join(format!(
                "{version:04}_{}.sql",
                m.description.replace(' ', "_")
            )))
            .expect("migration file");
            assert_eq!(m.sql, text, "migration {version}");
        }
    }
}
