//! PostgreSQL, for production: `DATABASE_URL=postgres://…`. Optionally confined to one schema
//! (the test suite gives each run its own).

use std::str::FromStr;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use sqlx::{AssertSqlSafe, query};

type Db = sqlx::Postgres;
type DbRow = sqlx::postgres::PgRow;
type DbError = sqlx::Error;
type DbQuery = sqlx::query::Query<'static, Db, sqlx::postgres::PgArguments>;

/// Serialises the ledger postings of one entity (their balances and journal head).
const LOCK_ENTITY: Option<&str> = Some("SELECT pg_advisory_xact_lock(hashtext($1))");

/// Multi-row statements number their parameters `$1, $2…` (PostgreSQL has no `?`).
const ANONYMOUS_PARAMS: bool = false;

/// A PostgreSQL database.
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url`, in `schema` when given (created if needed), and migrates.
    pub async fn connect(url: &str, schema: Option<&str>) -> crate::Result<PgStore> {
        let mut options =
            PgConnectOptions::from_str(url)?.statement_cache_capacity(crate::STATEMENT_CACHE);
        if let Some(schema) = schema {
            if !schema
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return Err(crate::StoreError::Config(format!(
                    "bad schema name {schema}"
                )));
            }
            let admin = PgPoolOptions::new()
                .max_connections(1)
                .connect_with(options.clone())
                .await?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE SCHEMA IF NOT EXISTS {schema}"
            )))
            .execute(&admin)
            .await?;
            admin.close().await;
            options = options.options([("search_path", schema)]);
        }
        if !autovacuum(&options).await? {
            tracing::warn!(
                "autovacuum is off on this PostgreSQL server: Ensemble plans each statement \
                 as it runs (plan_cache_mode = force_custom_plan) instead of keeping plans \
                 made without statistics"
            );
            options = options.options([("plan_cache_mode", "force_custom_plan")]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool })
    }

    /// Drops a schema and everything in it (test clean-up).
    pub async fn drop_schema(url: &str, schema: &str) -> crate::Result<()> {
        if !schema
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(crate::StoreError::Config(format!(
                "bad schema name {schema}"
            )));
        }
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(PgConnectOptions::from_str(url)?)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE"
        )))
        .execute(&pool)
        .await?;
        pool.close().await;
        Ok(())
    }
}

/// Whether the server analyses tables as they fill (`autovacuum`, on by default).
///
/// Without it a table is never analysed, and PostgreSQL keeps the generic plan it made for a
/// prepared statement while the table held a few rows: the ledger's lookups by id then stayed
/// sequential scans, and a declaration took 3.6 ms at 500 declarations, 7 ms at 3 000, and
/// kept slowing. Planned at each execution, they keep their indexes (`BENCHMARKS.md`).
async fn autovacuum(options: &PgConnectOptions) -> crate::Result<bool> {
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect_with(options).await?;
    let setting: String = sqlx::query_scalar("SELECT current_setting('autovacuum')")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    Ok(setting != "off")
}

#[async_trait]
impl crate::Store for PgStore {
    async fn write(&self) -> crate::Result<Box<dyn crate::Tx>> {
        Ok(Box::new(BackendTx {
            tx: self.pool.begin().await?,
            cache: LedgerCache::default(),
        }))
    }

    async fn read(&self) -> crate::Result<Box<dyn crate::Tx>> {
        Ok(Box::new(BackendTx {
            tx: self.pool.begin().await?,
            cache: LedgerCache::default(),
        }))
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

/// A PostgreSQL transaction.
pub struct BackendTx {
    tx: sqlx::Transaction<'static, Db>,
    /// What the transaction read or wrote of the ledger already (see `LedgerCache`).
    cache: LedgerCache,
}

#[async_trait]
impl crate::Tx for BackendTx {
    async fn commit(self: Box<Self>) -> crate::Result<()> {
        self.cache.check_whole()?;
        Ok(self.tx.commit().await?)
    }
}

impl BackendTx {
    /// The ledger known across transactions: none here (the advisory lock is per transaction).
    fn shared_ledger(&mut self) -> Option<&mut LedgerShared> {
        None
    }

    fn drop_shared_ledger(&mut self) -> crate::Result<()> {
        Ok(())
    }
}

fn violation(e: &DbError) -> Option<crate::Violation> {
    let sqlx::Error::Database(d) = e else {
        return None;
    };
    if d.is_unique_violation() {
        Some(crate::Violation::Unique)
    } else if d.is_foreign_key_violation() {
        Some(crate::Violation::ForeignKey)
    } else if d.is_check_violation() {
        Some(crate::Violation::Check)
    } else {
        None
    }
}

fn col<'r, T>(row: &'r DbRow, table: &'static str, name: &str) -> crate::Result<T>
where
    T: sqlx::Decode<'r, Db> + sqlx::Type<Db>,
{
    use sqlx::Row as _;
    row.try_get::<T, _>(name)
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
    use super::*;

    /// On a server without autovacuum the store's connections plan each statement as it runs;
    /// with it, they keep PostgreSQL's default.
    #[tokio::test]
    async fn statements_are_planned_at_each_execution_when_nothing_analyses_the_tables() {
        let Some(url) = std::env::var(crate::testing::TEST_DATABASE_URL)
            .ok()
            .filter(|u| !u.is_empty())
        else {
            return;
        };
        let schema = crate::testing::unique_name();
        let store = PgStore::connect(&url, Some(&schema))
            .await
            .expect("connect");
        let autovacuum: String = sqlx::query_scalar("SHOW autovacuum")
            .fetch_one(&store.pool)
            .await
            .expect("autovacuum");
        let mode: String = sqlx::query_scalar("SHOW plan_cache_mode")
            .fetch_one(&store.pool)
            .await
            .expect("plan_cache_mode");
        let expected = if autovacuum == "off" {
            "force_custom_plan"
        } else {
            "auto"
        };
        store.pool.close().await;
        PgStore::drop_schema(&url, &schema).await.expect("drop");
        assert_eq!(mode, expected, "autovacuum is {autovacuum}");
    }
}
