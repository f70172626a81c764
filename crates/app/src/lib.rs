//! Ensemble's use cases: the one place where the domain, the payroll engine and the store meet.
//!
//! HTTP handlers, CLI subcommands and batch jobs call these functions and nothing below them.
//! Each use case checks who is acting ([`Actor`]), parses its input into domain types (naming
//! the field at fault), runs in one store transaction and commits at the end, so a failure
//! leaves nothing half-written. Creating use cases honour an idempotency key: a replay returns
//! the first result, the same key with another request is a conflict.
//!
//! This crate must never import the web layer or SQL: it speaks to the store through
//! `ensemble_store::Tx`.

use std::path::PathBuf;
use std::sync::Arc;

use ensemble_domain::people::Role;
use ensemble_domain::{Invalid, Lang, MemberId, UserId};
use ensemble_payroll::{Engine, PayrollError};
use ensemble_store::{Store, StoreError};

mod access;
pub mod accounts;
pub mod activities;
pub mod auth;
pub mod books;
pub mod budgets;
pub mod clients;
pub mod declarations;
pub mod demo;
pub mod documents;
pub mod entities;
pub mod expenses;
pub mod exports;
pub mod fund;
mod idempotency;
pub mod inputs;
pub mod ledger;
pub mod members;
pub mod payments;
pub mod payouts;
pub mod payroll_month;
pub mod portal;
mod postings;
pub mod queue;
pub mod quotes;
pub mod salary;
pub mod smtp;
pub mod statements;
pub mod testing;
pub mod treasury;

pub use idempotency::Idempotency;

/// The time, as the application sees it. Domain code never reads a clock: use cases take the
/// date from here, and tests give a fixed one.
pub trait Clock: Send + Sync {
    fn now(&self) -> jiff::Timestamp;

    /// Today's date (UTC).
    fn today(&self) -> jiff::civil::Date {
        jiff::tz::TimeZone::UTC.to_datetime(self.now()).date()
    }

    /// Microseconds since the Unix epoch, for `created_at` columns.
    fn micros(&self) -> i64 {
        self.now().as_microsecond()
    }
}

/// The machine's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }
}

/// A clock that always says the same instant (tests, reproducible demos).
pub struct FixedClock(pub jiff::Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> jiff::Timestamp {
        self.0
    }
}

/// The application: a store, the payroll engine, a clock, the data folder (receipts) and the
/// mailer (password reset links).
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub engine: &'static Engine,
    pub clock: Arc<dyn Clock>,
    pub data_dir: PathBuf,
    pub mailer: Arc<dyn accounts::Mailer>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, data_dir: PathBuf) -> App {
        App {
            store,
            engine: Engine::embedded(),
            clock,
            mailer: Arc::new(accounts::FileOutbox {
                dir: data_dir.join("outbox"),
            }),
            data_dir,
        }
    }

    /// The same application sending its mail through `mailer`.
    pub fn with_mailer(mut self, mailer: Arc<dyn accounts::Mailer>) -> App {
        self.mailer = mailer;
        self
    }

    /// A fresh id.
    pub(crate) fn id(&self) -> uuid::Uuid {
        uuid::Uuid::now_v7()
    }
}

/// Who is acting: a user, their role, the member they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub role: Role,
    pub member: Option<MemberId>,
    pub lang: Lang,
}

/// Why a use case refused or failed. The web layer maps each to an HTTP status and the error
/// shape `{"error": {"code", "message", "field"}}`.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input: 422, with the field.
    #[error("{0}")]
    Invalid(#[from] Invalid),
    /// 404.
    #[error("no {kind} {id}")]
    NotFound { kind: &'static str, id: String },
    /// 403: the actor may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// 401: no valid credentials.
    #[error("sign in first: no valid token")]
    Unauthenticated,
    /// 409: a state that forbids it (already decided, a number or key taken, a budget too
    /// small).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 429: too many failed attempts (sign-in); try again later.
    #[error("{0}")]
    TooManyAttempts(String),
    /// 500: a defect or the machine.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::Forbidden(message.into())
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::Conflict {
            code,
            message: message.into(),
        }
    }

    /// The stable machine-readable code of the error.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "invalid",
            AppError::NotFound { .. } => "not_found",
            AppError::Forbidden(_) => "forbidden",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Conflict { code, .. } => code,
            AppError::TooManyAttempts(_) => "too_many_attempts",
            AppError::Internal(_) => "internal",
        }
    }

    /// The input field the error is about, when there is one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            AppError::Invalid(i) => Some(i.field),
            _ => None,
        }
    }

    /// The message without the field prefix.
    pub fn message(&self) -> String {
        match self {
            AppError::Invalid(i) => i.message.clone(),
            other => other.to_string(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound { kind, id } => AppError::NotFound { kind, id },
            StoreError::Conflict(message) => AppError::conflict("conflict", message),
            e @ StoreError::InsufficientBudget { .. } => {
                AppError::conflict("insufficient_budget", e.to_string())
            }
            other => {
                tracing::error!(error = %other, "store failure");
                AppError::Internal(other.to_string())
            }
        }
    }
}

impl From<PayrollError> for AppError {
    fn from(e: PayrollError) -> AppError {
        AppError::Invalid(Invalid::new(e.field(), payroll_message(&e)))
    }
}

/// A payroll error's message without its field.
pub(crate) fn payroll_message(e: &PayrollError) -> String {
    match e {
        PayrollError::Invalid { message, .. } | PayrollError::Unreachable { message, .. } => {
            message.clone()
        }
        other => other.to_string(),
    }
}

pub type AppResult<T> = Result<T, AppError>;
