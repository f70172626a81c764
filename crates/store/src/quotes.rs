//! Persistence of quotes (order forms) and their lines.

use async_trait::async_trait;
use ensemble_domain::QuoteId;
use ensemble_domain::UserId;
use ensemble_domain::quote::{Quote, QuoteStatus};

use crate::{Filter, Micros, Result};

/// The quotes' operations.
#[async_trait]
pub trait QuoteTx: Send {
    async fn insert_quote(&mut self, q: &Quote, by: UserId, at: Micros) -> Result<()>;
    async fn quote(&mut self, id: QuoteId) -> Result<Quote>;
    /// The quote whose client link has this token hash.
    async fn quote_by_token(&mut self, token_hash: &str) -> Result<Option<Quote>>;
    /// Quotes by entity, activity, member (the activities they are on) and stored status,
    /// oldest first.
    async fn quotes(&mut self, filter: &Filter) -> Result<Vec<Quote>>;
    /// Saves the new state of a quote (lines, totals, dates, status, decisions, invoice) if its
    /// stored status is still `expected`, else `Conflict`: two requests cannot both move a
    /// quote out of the same state, nor invoice one order twice. `token_hash`, when given, replaces the client link's.
    /// `by` is the user who acted (none for the client through the link).
    async fn update_quote(
        &mut self,
        q: &Quote,
        expected: QuoteStatus,
        token_hash: Option<&str>,
        by: Option<UserId>,
        at: Micros,
    ) -> Result<()>;
}
