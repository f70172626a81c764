//! Persistence of expense claims, their lines and receipts; filled in by the expenses feature.

use async_trait::async_trait;

/// The expense claims' operations.
#[async_trait]
pub trait ExpenseTx: Send {}
