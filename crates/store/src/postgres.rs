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
