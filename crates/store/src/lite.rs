//! SQLite on the calling thread: the small part of a query interface the store's query files
//! use (`query(…).bind(…).execute / fetch_all / fetch_optional / fetch_one`, rows read by
//! column name), over rusqlite, so that one query text serves both backends (sqlx for
//! PostgreSQL, this for SQLite).
//!
//! Why not sqlx for SQLite as well: sqlx runs each SQLite connection on a worker thread and
//! hands every statement over to it and the answer back, two thread wake-ups per statement.
//! A declaration is 25 statements; on two cores those hand-offs were 59 % of its CPU time
//! and kept the single write lock for about 5.7 ms. Here a statement runs where it is asked
//! for: a write transaction holds the one writer connection (an async mutex, so that waiting
//! writers queue without blocking a thread) and every statement in it takes microseconds.
//! Statements do block the calling thread while SQLite works, which for the store's
//! statements is microseconds to milliseconds; a long import holds one runtime thread while
//! the others go on.
//!
//! Also here: group commit of the writers that wait for the connection ([`Writer`]), a value
//! the writer's owner keeps across its transactions (a cache it flushes before each commit),
//! the background WAL checkpoint ([`Checkpointer`]), the read pool, the connection settings and
//! the migration runner (compatible with the `_sqlx_migrations` table that databases created
//! by earlier versions have).
//!
//! This module owns the SQLite connection handling and nothing else: no SQL of the domain.

use std::any::Any;
use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use rusqlite::types::{FromSql, ToSql, ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{OwnedMutexGuard, OwnedSemaphorePermit, Semaphore};

/// The error of a SQLite statement.
pub type LiteError = rusqlite::Error;

/// Marks SQL built at run time (multi-row `VALUES`, column lists) as the store's own text,
/// as sqlx's `AssertSqlSafe` does on the PostgreSQL side: the same query files read the same
/// on both backends.
pub struct AssertSqlSafe<T>(pub T);

/// SQL a query can be made of: a literal, or text the store built.
pub trait LiteSql {
    fn into_sql(self) -> Cow<'static, str>;
}

impl LiteSql for &'static str {
    fn into_sql(self) -> Cow<'static, str> {
        Cow::Borrowed(self)
    }
}

impl LiteSql for AssertSqlSafe<String> {
    fn into_sql(self) -> Cow<'static, str> {
        Cow::Owned(self.0)
    }
}

impl LiteSql for AssertSqlSafe<&str> {
    fn into_sql(self) -> Cow<'static, str> {
        Cow::Owned(self.0.to_string())
    }
}

/// A statement and its arguments.
pub struct Query {
    sql: Cow<'static, str>,
    args: Vec<Value>,
    /// A value that could not be converted, reported when the query runs.
    error: Option<LiteError>,
}

/// A statement: `$N` parameters take the N-th bound value, anonymous `?` the next ones.
pub fn query(sql: impl LiteSql) -> Query {
    Query {
        sql: sql.into_sql(),
        args: Vec::new(),
        error: None,
    }
}

/// A value read, copied out of SQLite's buffer.
fn owned(v: ValueRef<'_>) -> Result<Value, LiteError> {
    let text = |t| {
        std::str::from_utf8(t)
            .map(str::to_string)
            .map_err(|e| LiteError::ToSqlConversionFailure(Box::new(e)))
    };
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => Value::Text(text(t)?),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    })
}

/// What a statement changed.
#[derive(Clone, Copy, Debug)]
pub struct Done {
    changes: u64,
}

impl Done {
    /// Rows inserted, updated or deleted by the statement.
    pub fn rows_affected(&self) -> u64 {
        self.changes
    }
}

/// A row read: its values by column name.
pub struct LiteRow {
    shape: Arc<Shape>,
    values: Vec<Value>,
}

impl LiteRow {
    /// The value of column `name`, converted.
    pub fn get<T: FromSql>(&self, name: &str) -> Result<T, String> {
        let i = *self
            .shape
            .columns
            .get(name)
            .ok_or_else(|| format!("no column {name}"))?;
        T::column_result(ValueRef::from(&self.values[i])).map_err(|e| e.to_string())
    }
}

/// What a statement's text tells, worked out once per connection and text: which argument
/// each parameter takes, and the columns of its rows by name.
struct Shape {
    /// For the statement's parameter `i + 1`, the index of its argument.
    arguments: Box<[usize]>,
    columns: std::collections::HashMap<String, usize>,
    width: usize,
}

impl Shape {
    fn of(statement: &rusqlite::Statement<'_>) -> Result<Shape, LiteError> {
        let mut anonymous = 0;
        let mut arguments = Vec::with_capacity(statement.parameter_count());
        for i in 1..=statement.parameter_count() {
            let n = match statement.parameter_name(i) {
                Some(name) => name
                    .strip_prefix('$')
                    .or_else(|| name.strip_prefix('?'))
                    .and_then(|digits| digits.parse::<usize>().ok())
                    .ok_or_else(|| LiteError::InvalidParameterName(name.to_string()))?,
                None => {
                    anonymous += 1;
                    anonymous
                }
            };
            arguments.push(
                n.checked_sub(1)
                    .ok_or_else(|| LiteError::InvalidParameterName(format!("${n}")))?,
            );
        }
        let names = statement.column_names();
        let width = names.len();
        let columns = names
            .into_iter()
            .enumerate()
            .map(|(i, name)| (name.to_string(), i))
            .collect();
        Ok(Shape {
            arguments: arguments.into(),
            columns,
            width,
        })
    }
}

impl Query {
    /// Adds the next argument.
    pub fn bind<T: ToSql>(mut self, value: T) -> Query {
        let value = match value.to_sql() {
            Ok(ToSqlOutput::Owned(v)) => v,
            Ok(ToSqlOutput::Borrowed(r)) => match owned(r) {
                Ok(v) => v,
                Err(e) => {
                    self.error.get_or_insert(e);
                    Value::Null
                }
            },
            #[allow(unreachable_patterns)]
            Ok(_) => {
                self.error.get_or_insert(LiteError::ToSqlConversionFailure(
                    "a value SQLite cannot store".into(),
                ));
                Value::Null
            }
            Err(e) => {
                self.error.get_or_insert(e);
                Value::Null
            }
        };
        self.args.push(value);
        self
    }

    /// Runs the statement; what it changed.
    pub async fn execute(self, conn: &mut LiteConn) -> Result<Done, LiteError> {
        self.execute_on(conn)
    }

    /// Runs the statement on a connection lent for the moment (the writer's flush).
    pub fn execute_on(self, conn: &LiteConn) -> Result<Done, LiteError> {
        self.run(conn, false, |_| Ok(()))?;
        Ok(Done {
            changes: conn.0.changes(),
        })
    }

    /// Every row of the statement.
    pub async fn fetch_all(self, conn: &mut LiteConn) -> Result<Vec<LiteRow>, LiteError> {
        let mut rows = Vec::new();
        self.run(conn, false, |row| {
            rows.push(row);
            Ok(())
        })?;
        Ok(rows)
    }

    /// The first row, if any.
    pub async fn fetch_optional(self, conn: &mut LiteConn) -> Result<Option<LiteRow>, LiteError> {
        let mut first = None;
        self.run(conn, true, |row| {
            first = Some(row);
            Ok(())
        })?;
        Ok(first)
    }

    /// The first row; an error when there is none.
    pub async fn fetch_one(self, conn: &mut LiteConn) -> Result<LiteRow, LiteError> {
        let mut first = None;
        self.run(conn, true, |row| {
            first = Some(row);
            Ok(())
        })?;
        first.ok_or(LiteError::QueryReturnedNoRows)
    }

    /// Prepares (from the connection's cache), binds and steps the statement to its end (or
    /// its first row when `first_only`), handing each row to `each`.
    fn run(
        self,
        conn: &LiteConn,
        first_only: bool,
        mut each: impl FnMut(LiteRow) -> Result<(), LiteError>,
    ) -> Result<(), LiteError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        tracing::trace!(target: "ensemble_store::sql", "{}", self.sql);
        let mut statement = conn.0.prepare_cached(&self.sql)?;
        let shape = conn.shape(&self.sql, &statement)?;
        for (i, &k) in shape.arguments.iter().enumerate() {
            let value = self
                .args
                .get(k)
                .ok_or(LiteError::InvalidParameterCount(k + 1, self.args.len()))?;
            statement.raw_bind_parameter(i + 1, value)?;
        }
        let width = shape.width;
        let mut rows = statement.raw_query();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(owned(row.get_ref(i)?)?);
            }
            each(LiteRow {
                shape: shape.clone(),
                values,
            })?;
            if first_only {
                break;
            }
        }
        Ok(())
    }
}

/// The constraint a statement's error reports, if any.
pub fn violation(e: &LiteError) -> Option<crate::Violation> {
    use rusqlite::ffi;
    let LiteError::SqliteFailure(f, _) = e else {
        return None;
    };
    match f.extended_code {
        ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
            Some(crate::Violation::Unique)
        }
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Some(crate::Violation::ForeignKey),
        ffi::SQLITE_CONSTRAINT_CHECK => Some(crate::Violation::Check),
        _ => None,
    }
}

/// How much of the database file each connection maps into memory.
const MMAP_BYTES: i64 = 1 << 30;

/// One connection to the database file, with the shapes of the statements it ran (as many as
/// it keeps prepared).
pub struct LiteConn(
    Connection,
    std::cell::RefCell<std::collections::HashMap<String, Arc<Shape>>>,
);

impl LiteConn {
    /// Opens the file with the store's settings: WAL (readers never wait for the writer),
    /// `synchronous = NORMAL` (durable at checkpoints, safe from corruption), foreign keys, a
    /// 30 s busy timeout for other processes, a page cache of `cache_kib` and every statement
    /// of the store kept prepared.
    pub fn open(path: &Path, read_only: bool, cache_kib: i64) -> Result<LiteConn, LiteError> {
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        if !read_only {
            conn.pragma_update(None, "journal_mode", "wal")?;
            // Each writer's savepoint keeps the pages it changes in a sub-journal: in memory,
            // not in a temporary file (8 % of a declaration's time went to writing it).
            conn.pragma_update(None, "temp_store", "memory")?;
        }
        conn.pragma_update(None, "synchronous", "normal")?;
        conn.pragma_update(None, "foreign_keys", "on")?;
        conn.pragma_update(None, "cache_size", -cache_kib)?;
        // Pages not in the cache are read from a memory map instead of copied by `pread`.
        conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
        conn.set_prepared_statement_cache_capacity(crate::STATEMENT_CACHE);
        Ok(LiteConn(conn, Default::default()))
    }

    /// The shape of `statement`, whose text is `sql`.
    fn shape(
        &self,
        sql: &str,
        statement: &rusqlite::Statement<'_>,
    ) -> Result<Arc<Shape>, LiteError> {
        if let Some(known) = self.1.borrow().get(sql) {
            return Ok(known.clone());
        }
        let shape = Arc::new(Shape::of(statement)?);
        let mut shapes = self.1.borrow_mut();
        if shapes.len() >= crate::STATEMENT_CACHE {
            shapes.clear();
        }
        shapes.insert(sql.to_string(), shape.clone());
        Ok(shape)
    }

    fn batch(&self, sql: &str) -> Result<(), LiteError> {
        tracing::trace!(target: "ensemble_store::sql", "{sql}");
        self.0.execute_batch(sql)
    }

    /// Sets a pragma.
    pub fn pragma(&self, name: &str, value: i64) -> Result<(), LiteError> {
        self.0.pragma_update(None, name, value)
    }
}

/// Writers whose work is committed together at most: a bound on how long the first of them
/// waits for its answer.
const MAX_GROUP: usize = 64;

/// The writer connection, shared by every write transaction of the process, one at a time.
///
/// **Group commit.** A write transaction is a savepoint inside a database transaction that
/// several of them may share. When a writer commits while others wait for the connection, it
/// releases its savepoint and lets the next one in; the database `COMMIT` comes when a writer
/// finishes with nobody waiting (or the group is full), and every writer of the group is
/// answered only then, with that commit's outcome. A writer that fails rolls back to its
/// savepoint: the others' work stays. One `COMMIT` (its WAL frames, SQLite's end-of-transaction
/// work) then serves many declarations, which is most of what a commit costs here.
///
/// **Shared state.** The writer also keeps one value of its owner's for the transactions that
/// follow each other on it ([`LiteTx::shared`]): a cache of rows only the writer changes. It
/// is dropped whenever it could be untrue: when another connection committed since the
/// writer's last transaction (`PRAGMA data_version`), and when a database transaction rolls
/// back. Before each `COMMIT` the owner's `flush` writes what the value holds unwritten; a
/// failed flush fails the group.
pub struct Writer {
    state: Arc<tokio::sync::Mutex<WriterState>>,
    /// Writers waiting for the connection (not counting those waiting for their group's
    /// commit).
    waiting: Arc<AtomicUsize>,
}

struct WriterState {
    conn: LiteConn,
    /// A database transaction is open.
    open: bool,
    /// Writers whose work is in the open transaction, waiting for its commit.
    pending: usize,
    /// The number of the open (or next) database transaction.
    generation: u64,
    /// Recent transactions whose commit failed, with the error.
    failures: VecDeque<(u64, String)>,
    /// The owner's value shared by successive transactions (see [`Writer`]).
    shared: Option<Box<dyn Any + Send>>,
    /// Writes what `shared` holds unwritten, before each `COMMIT`.
    flush: Option<Flush>,
    /// `PRAGMA data_version` when the last database transaction began.
    data_version: Option<i64>,
}

/// What writes a writer's shared value before a commit.
pub type Flush = Box<dyn FnMut(&LiteConn, &mut (dyn Any + Send)) -> Result<(), LiteError> + Send>;

impl Writer {
    /// A writer whose shared value `flush` writes before each commit.
    pub fn with_flush(conn: LiteConn, flush: Option<Flush>) -> Writer {
        Writer {
            state: Arc::new(tokio::sync::Mutex::new(WriterState {
                conn,
                open: false,
                pending: 0,
                generation: 0,
                failures: VecDeque::new(),
                shared: None,
                flush,
                data_version: None,
            })),
            waiting: Arc::new(AtomicUsize::new(0)),
        }
    }
}

impl WriterState {
    /// Commits the database transaction: the outcome of every writer in it.
    fn commit_group(&mut self) -> Result<(), LiteError> {
        tracing::trace!(writers = self.pending, "group commit");
        let result = if !self.open {
            Ok(())
        } else if self.conn.0.is_autocommit() {
            Err(group_error("SQLite rolled the transaction back"))
        } else {
            let done = self.flush_shared().and_then(|()| self.conn.batch("COMMIT"));
            if done.is_err() && !self.conn.0.is_autocommit() {
                let _ = self.conn.batch("ROLLBACK");
            }
            done
        };
        if let Err(e) = &result {
            // What the shared value holds may not be in the database.
            self.shared = None;
            if self.pending > 0 {
                self.failures.push_back((self.generation, e.to_string()));
                if self.failures.len() > 256 {
                    self.failures.pop_front();
                }
            }
        }
        self.open = false;
        self.pending = 0;
        self.generation += 1;
        result
    }

    /// The shared value of type `T`, made with `T::default()` when there is none (or one of
    /// another type).
    fn shared_value<T: Default + Send + 'static>(&mut self) -> &mut T {
        if !self.shared.as_ref().is_some_and(|s| s.is::<T>()) {
            self.shared = Some(Box::new(T::default()));
        }
        match self.shared.as_mut().and_then(|s| s.downcast_mut::<T>()) {
            Some(value) => value,
            None => unreachable!("the shared value was just made a T"),
        }
    }

    /// Writes what the shared value holds unwritten, in the open transaction.
    fn flush_shared(&mut self) -> Result<(), LiteError> {
        match (&mut self.flush, &mut self.shared) {
            (Some(flush), Some(shared)) => flush(&self.conn, shared.as_mut()),
            _ => Ok(()),
        }
    }

    /// Rolls back the database transaction, which no writer committed into: the shared value
    /// holds nothing of it (writers merge into it when they commit, and each database commit
    /// flushes it).
    fn roll_back(&mut self) {
        let _ = self.conn.batch("ROLLBACK");
        self.open = false;
    }

    /// Opens the database transaction, dropping the shared value if another connection
    /// committed since the last one.
    fn begin(&mut self) -> Result<(), LiteError> {
        self.conn.batch("BEGIN IMMEDIATE")?;
        self.open = true;
        let version = self
            .conn
            .0
            .query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0));
        match version {
            Ok(v) if self.data_version == Some(v) => {}
            Ok(v) => {
                tracing::trace!("another connection wrote: the writer's cache is dropped");
                self.shared = None;
                self.data_version = Some(v);
            }
            Err(e) => {
                self.roll_back();
                return Err(e);
            }
        }
        Ok(())
    }

    /// The outcome of database transaction `generation`, committed already.
    fn outcome(&self, generation: u64) -> Result<(), LiteError> {
        match self.failures.iter().find(|(g, _)| *g == generation) {
            Some((_, message)) => Err(group_error(message)),
            None => Ok(()),
        }
    }
}

fn group_error(message: &str) -> LiteError {
    LiteError::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
        Some(format!("the commit failed: {message}")),
    )
}

/// Counts a writer as waiting while it lives.
struct Waiting(Arc<AtomicUsize>);

impl Waiting {
    fn new(count: &Arc<AtomicUsize>) -> Waiting {
        count.fetch_add(1, Ordering::SeqCst);
        Waiting(count.clone())
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A writer that committed into a group and waits for its commit. Dropped before (its
/// caller gave up), it commits the group itself if the connection is free, so that no group
/// stays open without anyone to close it.
struct Deferred {
    state: Arc<tokio::sync::Mutex<WriterState>>,
    generation: u64,
    armed: bool,
}

impl Drop for Deferred {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        if let Ok(mut w) = self.state.clone().try_lock_owned()
            && w.generation == self.generation
        {
            let _ = w.commit_group();
        }
    }
}

/// A connection held by a transaction: the writer, or one of the readers.
enum Lease {
    Writer {
        state: OwnedMutexGuard<WriterState>,
        writer: Arc<AtomicUsize>,
    },
    Reader(ReadLease),
    /// Handed back (a writer's commit moved it out).
    Gone,
}

/// A transaction on one connection: committed by [`LiteTx::commit`], rolled back when
/// dropped before.
pub struct LiteTx {
    lease: Lease,
    open: bool,
}

impl LiteTx {
    /// Writes: waits for the writer connection, then opens a savepoint in the transaction
    /// that holds SQLite's write lock (`BEGIN IMMEDIATE`, opened if none is).
    pub async fn write(writer: &Writer) -> Result<LiteTx, LiteError> {
        let waiting = Waiting::new(&writer.waiting);
        let mut state = writer.state.clone().lock_owned().await;
        drop(waiting);
        if state.open && state.conn.0.is_autocommit() {
            // An error made SQLite roll the whole transaction back: its writers fail.
            let _ = state.commit_group();
        }
        if !state.open {
            state.begin()?;
        }
        if let Err(e) = state.conn.batch("SAVEPOINT writer") {
            if state.pending == 0 {
                state.roll_back();
            }
            return Err(e);
        }
        Ok(LiteTx {
            lease: Lease::Writer {
                state,
                writer: writer.waiting.clone(),
            },
            open: true,
        })
    }

    /// Reads a consistent view on one of the readers.
    pub async fn read(pool: &ReadPool) -> Result<LiteTx, LiteError> {
        let lease = pool.lease().await;
        lease.batch("BEGIN")?;
        Ok(LiteTx {
            lease: Lease::Reader(lease),
            open: true,
        })
    }

    /// The writer's value of type `T` shared with the transactions before and after this one
    /// (see [`Writer`]), made with `T::default()` when there is none; `None` on a reader.
    /// What a transaction changes in it should wait for [`LiteTx::commit_sharing`]: a
    /// transaction that rolls back leaves it as it was.
    pub fn shared<T: Default + Send + 'static>(&mut self) -> Option<&mut T> {
        match &mut self.lease {
            Lease::Writer { state, .. } => Some(state.shared_value::<T>()),
            _ => None,
        }
    }

    /// Writes what the shared value holds unwritten, then drops it (before statements that
    /// change what it holds).
    pub fn flush_shared(&mut self) -> Result<(), LiteError> {
        if let Lease::Writer { state, .. } = &mut self.lease {
            state.flush_shared()?;
            state.shared = None;
        }
        Ok(())
    }

    /// Commits; a writer's answer waits for its group's database commit.
    #[cfg(test)]
    pub async fn commit(self) -> Result<(), LiteError> {
        self.finish(|_| {}).await
    }

    /// Commits, and once the writer's savepoint is released applies `merge` to the shared
    /// value of type `T` (made as by [`LiteTx::shared`]; not called on a reader).
    pub async fn commit_sharing<T: Default + Send + 'static>(
        self,
        merge: impl FnOnce(&mut T),
    ) -> Result<(), LiteError> {
        self.finish(|state| merge(state.shared_value::<T>())).await
    }

    /// Commits: `released` runs on the writer's state once its savepoint is released.
    async fn finish(mut self, released: impl FnOnce(&mut WriterState)) -> Result<(), LiteError> {
        if matches!(self.lease, Lease::Reader(_)) {
            self.batch("COMMIT")?;
            self.open = false;
            return Ok(());
        }
        self.batch("RELEASE writer")?;
        self.open = false;
        let Lease::Writer { mut state, writer } = std::mem::replace(&mut self.lease, Lease::Gone)
        else {
            return Ok(());
        };
        released(&mut state);
        state.pending += 1;
        if writer.load(Ordering::SeqCst) == 0 || state.pending >= MAX_GROUP {
            return state.commit_group();
        }
        // Others wait: let them in, and come back for the outcome (or to commit, if nobody
        // has when the connection is ours again).
        let generation = state.generation;
        let shared = OwnedMutexGuard::mutex(&state).clone();
        drop(state);
        let mut deferred = Deferred {
            state: shared.clone(),
            generation,
            armed: true,
        };
        let mut state = shared.lock_owned().await;
        deferred.armed = false;
        if state.generation == generation {
            state.commit_group()
        } else {
            state.outcome(generation)
        }
    }
}

impl Deref for LiteTx {
    type Target = LiteConn;
    fn deref(&self) -> &LiteConn {
        match &self.lease {
            Lease::Writer { state, .. } => &state.conn,
            Lease::Reader(c) => c,
            Lease::Gone => unreachable!("a transaction is used after its commit"),
        }
    }
}

impl DerefMut for LiteTx {
    fn deref_mut(&mut self) -> &mut LiteConn {
        match &mut self.lease {
            Lease::Writer { state, .. } => &mut state.conn,
            Lease::Reader(c) => c,
            Lease::Gone => unreachable!("a transaction is used after its commit"),
        }
    }
}

impl Drop for LiteTx {
    fn drop(&mut self) {
        if !self.open {
            return;
        }
        match &mut self.lease {
            Lease::Reader(conn) => {
                // A connection that cannot even roll back reports it on its next statement.
                let _ = conn.batch("ROLLBACK");
            }
            Lease::Writer { state, writer } => {
                // Undo this writer's work only; the group's stays.
                let undone = state.conn.batch("ROLLBACK TO writer; RELEASE writer");
                if undone.is_err() || state.conn.0.is_autocommit() {
                    let _ = state.commit_group();
                } else if state.pending == 0 {
                    state.roll_back();
                } else if writer.load(Ordering::SeqCst) == 0 {
                    let _ = state.commit_group();
                }
            }
            Lease::Gone => {}
        }
    }
}

/// How often the WAL is checkpointed in the background.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// Copies the WAL's pages back into the database file on a thread of its own, so that no
/// writer's commit pays for it (SQLite's automatic checkpoint runs inside the commit that
/// crosses its threshold). Passive checkpoints never wait for the writer or the readers.
/// After each round that copied pages it syncs the database file, so that the writer's
/// occasional own checkpoint (see `WRITER_CHECKPOINT_PAGES` in `sqlite.rs`) has little left
/// to sync: its longest pause went from 84–120 ms to 51–53 ms (`BENCHMARKS.md`).
pub struct Checkpointer {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    pub fn start(path: &Path) -> Result<Checkpointer, String> {
        let conn = LiteConn::open(path, false, 2_000).map_err(|e| e.to_string())?;
        let database = std::fs::File::open(path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = stop.clone();
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                let (lock, wake) = &*signal;
                let Ok(mut stopped) = lock.lock() else { return };
                // WAL frames in the database file at the last round.
                let mut copied = 0;
                while !*stopped {
                    match conn.0.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                        Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
                    }) {
                        Ok((_, done)) => {
                            // SQLite syncs the database file only when a checkpoint reaches
                            // the end of the WAL, which a passive one rarely does while the
                            // writer appends: the writer's own checkpoint then paid for the
                            // sync of everything copied since.
                            if done > 0
                                && done != copied
                                && let Err(e) = database.sync_data()
                            {
                                tracing::warn!("sync of the database file: {e}");
                            }
                            copied = done;
                        }
                        Err(e) => tracing::warn!("WAL checkpoint: {e}"),
                    }
                    match wake.wait_timeout(stopped, CHECKPOINT_EVERY) {
                        Ok((guard, _)) => stopped = guard,
                        Err(_) => return,
                    }
                }
            })
            .map_err(|e| format!("cannot start the checkpoint thread: {e}"))?;
        Ok(Checkpointer {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let (lock, wake) = &*self.stop;
        if let Ok(mut stopped) = lock.lock() {
            *stopped = true;
        }
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Read-only connections, lent one per read transaction.
pub struct ReadPool {
    idle: Arc<Mutex<Vec<LiteConn>>>,
    permits: Arc<Semaphore>,
}

impl ReadPool {
    /// `size` read-only connections to the file.
    pub fn open(path: &Path, size: usize, cache_kib: i64) -> Result<ReadPool, LiteError> {
        let conns = (0..size)
            .map(|_| LiteConn::open(path, true, cache_kib))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ReadPool {
            idle: Arc::new(Mutex::new(conns)),
            permits: Arc::new(Semaphore::new(size)),
        })
    }

    async fn lease(&self) -> ReadLease {
        // The semaphore is never closed, and a permit always finds an idle connection.
        let permit = self.permits.clone().acquire_owned().await.ok();
        let conn = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        ReadLease {
            conn,
            idle: self.idle.clone(),
            _permit: permit,
        }
    }
}

struct ReadLease {
    conn: Option<LiteConn>,
    idle: Arc<Mutex<Vec<LiteConn>>>,
    _permit: Option<OwnedSemaphorePermit>,
}

impl Deref for ReadLease {
    type Target = LiteConn;
    fn deref(&self) -> &LiteConn {
        self.conn
            .as_ref()
            .unwrap_or_else(|| unreachable!("a lease holds its connection"))
    }
}

impl DerefMut for ReadLease {
    fn deref_mut(&mut self) -> &mut LiteConn {
        self.conn
            .as_mut()
            .unwrap_or_else(|| unreachable!("a lease holds its connection"))
    }
}

impl Drop for ReadLease {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut idle)) = (self.conn.take(), self.idle.lock()) {
            idle.push(conn);
        }
    }
}

/// A migration: its version (the file's number), description and SQL.
pub struct Migration {
    pub version: i64,
    pub description: &'static str,
    pub sql: &'static str,
}

/// Why the database cannot be migrated.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("migration {0} was changed after it was applied to this database")]
    Changed(i64),
    #[error("migration {0} failed part-way on an earlier run; restore a backup")]
    Dirty(i64),
    #[error(
        "this database has migration {0}, which this version of Ensemble does not know: it was made by a newer version"
    )]
    Unknown(i64),
    #[error("migration {version}: {source}")]
    Failed { version: i64, source: LiteError },
    #[error("{0}")]
    Sqlite(#[from] LiteError),
}

/// Applies the migrations the database lacks, in order, each in its own transaction unless
/// its SQL starts with `-- no-transaction` (it then manages its own). The applied versions
/// are kept in `_sqlx_migrations` with the SHA-384 of their text, the table and checksum the
/// sqlx migrator used, so a database made by an earlier version opens as it is.
pub fn migrate(conn: &LiteConn, migrations: &[Migration]) -> Result<(), MigrateError> {
    use sha2::{Digest, Sha384};
    conn.batch(
        "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
            version BIGINT PRIMARY KEY,
            description TEXT NOT NULL,
            installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            success BOOLEAN NOT NULL,
            checksum BLOB NOT NULL,
            execution_time BIGINT NOT NULL
        )",
    )?;
    let applied: Vec<(i64, bool, Vec<u8>)> = {
        let mut statement = conn
            .0
            .prepare("SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version")?;
        statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?
    };
    for (version, success, checksum) in &applied {
        let Some(known) = migrations.iter().find(|m| m.version == *version) else {
            return Err(MigrateError::Unknown(*version));
        };
        if !success {
            return Err(MigrateError::Dirty(*version));
        }
        if &Sha384::digest(known.sql.as_bytes())[..] != checksum.as_slice() {
            return Err(MigrateError::Changed(*version));
        }
    }
    for m in migrations {
        if applied.iter().any(|(v, _, _)| *v == m.version) {
            continue;
        }
        let started = std::time::Instant::now();
        let own_transaction = m.sql.starts_with("-- no-transaction");
        let failed = |source| MigrateError::Failed {
            version: m.version,
            source,
        };
        if !own_transaction {
            conn.batch("BEGIN IMMEDIATE").map_err(failed)?;
        }
        let applied = conn.batch(m.sql).and_then(|()| {
            conn.0
                .execute(
                    "INSERT INTO _sqlx_migrations
                       (version, description, success, checksum, execution_time)
                     VALUES (?1, ?2, TRUE, ?3, ?4)",
                    rusqlite::params![
                        m.version,
                        m.description,
                        &Sha384::digest(m.sql.as_bytes())[..],
                        i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX),
                    ],
                )
                .map(|_| ())
        });
        match applied {
            Ok(()) if !own_transaction => conn.batch("COMMIT").map_err(failed)?,
            Ok(()) => {}
            Err(e) => {
                if !own_transaction {
                    let _ = conn.batch("ROLLBACK");
                }
                return Err(failed(e));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "ensemble-lite-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir.join("lite.db")
    }

    const V1: Migration = Migration {
        version: 1,
        description: "one",
        sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER);",
    };
    const V2: Migration = Migration {
        version: 2,
        description: "two",
        sql: "ALTER TABLE t ADD COLUMN extra TEXT;",
    };

    /// The first column of every row of `sql`.
    fn column<T: FromSql>(conn: &LiteConn, sql: &str) -> Vec<T> {
        conn.0
            .prepare(sql)
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    fn versions(conn: &LiteConn) -> Vec<i64> {
        column(
            conn,
            "SELECT version FROM _sqlx_migrations ORDER BY version",
        )
    }

    #[test]
    fn migrations_apply_once_and_refuse_a_changed_or_unknown_version() {
        let path = scratch("migrate");
        let conn = LiteConn::open(&path, false, 2_000).expect("open");
        migrate(&conn, &[V1]).expect("first run");
        migrate(&conn, &[V1, V2]).expect("second run adds version 2");
        migrate(&conn, &[V1, V2]).expect("third run has nothing to do");
        assert_eq!(versions(&conn), vec![1, 2]);

        let changed = Migration {
            sql: "CREATE TABLE t (id INTEGER PRIMARY KEY);",
            ..V1
        };
        assert!(matches!(
            migrate(&conn, &[changed, V2]),
            Err(MigrateError::Changed(1))
        ));
        assert!(matches!(
            migrate(&conn, &[V1]),
            Err(MigrateError::Unknown(2))
        ));
    }

    #[test]
    fn a_failing_migration_leaves_nothing_of_itself() {
        let path = scratch("failing");
        let conn = LiteConn::open(&path, false, 2_000).expect("open");
        let broken = Migration {
            version: 2,
            description: "broken",
            sql: "CREATE TABLE u (id INTEGER); INSERT INTO nowhere VALUES (1);",
        };
        assert!(matches!(
            migrate(&conn, &[V1, broken]),
            Err(MigrateError::Failed { version: 2, .. })
        ));
        assert_eq!(versions(&conn), vec![1]);
        let tables: i64 = conn
            .0
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'u'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(tables, 0, "the failed migration's table was rolled back");
    }

    #[tokio::test]
    async fn numbered_parameters_take_their_value_whatever_their_order() {
        let path = scratch("params");
        let conn = LiteConn::open(&path, false, 2_000).expect("open");
        migrate(&conn, &[V1]).expect("migrate");
        let writer = Writer::with_flush(conn, None);
        let mut tx = LiteTx::write(&writer).await.expect("write");
        // `$2` comes first in the text: SQLite numbers it 1, the value is still the 2nd.
        query("INSERT INTO t (n, name) VALUES ($2, $1)")
            .bind("two")
            .bind(2_i64)
            .execute(&mut tx)
            .await
            .expect("insert");
        let done = query("INSERT INTO t (name, n) VALUES (?, ?), (?, ?)")
            .bind("three")
            .bind(3_i64)
            .bind("four")
            .bind(Option::<i64>::None)
            .execute(&mut tx)
            .await
            .expect("multi-row insert");
        assert_eq!(done.rows_affected(), 2);
        let row = query("SELECT name, n FROM t WHERE name = $1")
            .bind("two")
            .fetch_one(&mut tx)
            .await
            .expect("row");
        assert_eq!(row.get::<String>("name"), Ok("two".to_string()));
        assert_eq!(row.get::<i64>("n"), Ok(2));
        let four = query("SELECT n FROM t WHERE name = $1")
            .bind("four")
            .fetch_optional(&mut tx)
            .await
            .expect("row");
        assert_eq!(four.map(|r| r.get::<Option<i64>>("n")), Some(Ok(None)));
        let missing = query("SELECT n FROM t WHERE name = $1")
            .bind("five")
            .fetch_optional(&mut tx)
            .await
            .expect("no row");
        assert!(missing.is_none());
        let duplicate = query("INSERT INTO t (name) VALUES ($1)")
            .bind("two")
            .execute(&mut tx)
            .await
            .expect_err("a second \"two\"");
        assert!(matches!(
            violation(&duplicate),
            Some(crate::Violation::Unique)
        ));
        let too_few = query("SELECT n FROM t WHERE name = $1 AND n = $2")
            .bind("two")
            .fetch_all(&mut tx)
            .await;
        assert!(too_few.is_err(), "a missing argument is an error, not NULL");
        drop(tx);

        // Dropped without commit: nothing stays.
        let mut tx = LiteTx::write(&writer).await.expect("write");
        let rows = query("SELECT name FROM t")
            .fetch_all(&mut tx)
            .await
            .expect("rows");
        assert!(rows.is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiting_writers_commit_together_and_a_failing_one_leaves_the_others() {
        let path = scratch("group");
        let conn = LiteConn::open(&path, false, 2_000).expect("open");
        migrate(&conn, &[V1]).expect("migrate");
        let writer = Arc::new(Writer::with_flush(conn, None));
        let insert = |name: String| query("INSERT INTO t (name) VALUES ($1)").bind(name);

        // The first writer holds the connection until twenty others wait for it.
        let mut first = LiteTx::write(&writer).await.expect("write");
        insert("first".into())
            .execute(&mut first)
            .await
            .expect("insert");
        let mut tasks = Vec::new();
        for i in 0..20 {
            let writer = writer.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = LiteTx::write(&writer).await.expect("write");
                insert(format!("w{i}"))
                    .execute(&mut tx)
                    .await
                    .expect("insert");
                if i % 5 == 0 {
                    drop(tx); // fails: rolled back to its savepoint
                    Ok(())
                } else {
                    tx.commit().await
                }
            }));
        }
        while writer.waiting.load(Ordering::SeqCst) < 20 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        first.commit().await.expect("first commit");
        for t in tasks {
            t.await.expect("task").expect("commit");
        }

        let generation = writer.state.lock().await.generation;
        assert!(
            generation < 5,
            "21 writers took {generation} database commits"
        );
        let reader = Writer::with_flush(LiteConn::open(&path, true, 2_000).expect("reader"), None);
        let state = reader.state.lock().await;
        let mut names: Vec<String> = column(&state.conn, "SELECT name FROM t ORDER BY name");
        names.sort();
        let mut expected: Vec<String> = (0..20)
            .filter(|i| i % 5 != 0)
            .map(|i| format!("w{i}"))
            .chain(["first".to_string()])
            .collect();
        expected.sort();
        assert_eq!(names, expected, "committed by another connection's view");
    }

    /// What the shared-state test keeps across transactions: a total written at each commit.
    #[derive(Default)]
    struct Total {
        value: i64,
        unwritten: bool,
    }

    fn flush_total(conn: &LiteConn, shared: &mut (dyn Any + Send)) -> Result<(), LiteError> {
        let Some(total) = shared.downcast_mut::<Total>() else {
            return Ok(());
        };
        if total.value == 666 {
            return Err(group_error("refused by the test"));
        }
        if std::mem::take(&mut total.unwritten) {
            query("INSERT INTO t (name, n) VALUES ('total', $1) ON CONFLICT (name) DO UPDATE SET n = excluded.n")
                .bind(total.value)
                .execute_on(conn)?;
        }
        Ok(())
    }

    #[tokio::test]
    async fn the_shared_value_is_flushed_at_commit_and_dropped_when_untrue() {
        let path = scratch("shared");
        let conn = LiteConn::open(&path, false, 2_000).expect("open");
        migrate(&conn, &[V1]).expect("migrate");
        let writer = Writer::with_flush(conn, Some(Box::new(flush_total)));
        let other = LiteConn::open(&path, false, 2_000).expect("other");
        let written = |other: &LiteConn| -> Vec<i64> {
            column(other, "SELECT n FROM t WHERE name = 'total'")
        };
        let add = |n: i64| {
            move |t: &mut Total| {
                t.value += n;
                t.unwritten = true;
            }
        };
        let seen = |tx: &mut LiteTx| tx.shared::<Total>().map(|t| t.value);

        let mut tx = LiteTx::write(&writer).await.expect("write");
        assert_eq!(seen(&mut tx), Some(0));
        tx.commit_sharing(add(5)).await.expect("commit");
        assert_eq!(written(&other), vec![5], "flushed by the commit");

        // A writer that rolls back leaves the value as it was.
        let mut tx = LiteTx::write(&writer).await.expect("write");
        assert_eq!(seen(&mut tx), Some(5));
        drop(tx);
        let mut tx = LiteTx::write(&writer).await.expect("write");
        assert_eq!(seen(&mut tx), Some(5));
        tx.commit_sharing(add(1)).await.expect("commit");
        assert_eq!(written(&other), vec![6]);

        // Another connection writes: the value may be untrue, and is made afresh.
        other
            .batch("INSERT INTO t (name, n) VALUES ('elsewhere', 1)")
            .expect("other write");
        let mut tx = LiteTx::write(&writer).await.expect("write");
        assert_eq!(
            seen(&mut tx),
            Some(0),
            "dropped after another connection wrote"
        );
        tx.commit_sharing(add(666))
            .await
            .expect_err("the flush fails the commit");
        assert_eq!(written(&other), vec![6], "nothing of the failed group");
        let mut tx = LiteTx::write(&writer).await.expect("write");
        assert_eq!(seen(&mut tx), Some(0), "dropped after a failed commit");
        tx.commit_sharing(add(2)).await.expect("commit");
        assert_eq!(written(&other), vec![2]);

        // Readers have none.
        let readers = ReadPool::open(&path, 1, 2_000).expect("readers");
        let mut tx = LiteTx::read(&readers).await.expect("read");
        assert_eq!(seen(&mut tx), None);
    }

    #[test]
    fn sqlite_is_built_as_cargo_config_says() {
        // `.cargo/config.toml` passes LIBSQLITE3_FLAGS to libsqlite3-sys's build.
        let conn = LiteConn::open(&scratch("options"), false, 2_000).expect("open");
        let options: Vec<String> =
            column(&conn, "SELECT compile_options FROM pragma_compile_options");
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "{options:?}"
        );
    }
}
