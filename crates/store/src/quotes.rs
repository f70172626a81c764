//! Persistence of quotes (order forms) and their lines; filled in by the quotes feature.

use async_trait::async_trait;

/// The quotes' operations.
#[async_trait]
pub trait QuoteTx: Send {}
