//! Persistence of accounts in the browser: sessions, invitations, password reset links, login
//! attempts (for rate limiting) and password hashes. Only hashes of the secrets are stored;
//! the application makes the secrets, hashes them and decides what is valid when.

use async_trait::async_trait;
use ensemble_domain::people::{Role, User};
use ensemble_domain::{EntityId, Lang, MemberId, UserId};
use serde::{Deserialize, Serialize};

use crate::{Micros, Result};

/// A browser session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// SHA-256 of the cookie's token.
    pub token_hash: String,
    pub user_id: UserId,
    /// The secret the session's forms carry (CSRF).
    pub csrf_secret: String,
    pub created_at: Micros,
    pub last_seen_at: Micros,
    /// The absolute end of the session.
    pub expires_at: Micros,
}

/// An invitation to set a password and open an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRecord {
    pub token_hash: String,
    pub user_id: UserId,
    pub email: String,
    pub role: Role,
    pub member_id: Option<MemberId>,
    pub entity_id: Option<EntityId>,
    pub created_by: Option<UserId>,
    pub created_at: Micros,
    pub expires_at: Micros,
    pub used_at: Option<Micros>,
}

/// A one-time password reset link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetRecord {
    pub token_hash: String,
    pub user_id: UserId,
    pub created_at: Micros,
    pub expires_at: Micros,
    pub used_at: Option<Micros>,
}

/// How many failed logins happened in a window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FailedLogins {
    pub by_email: i64,
    pub by_ip: i64,
}

/// The accounts' operations.
#[async_trait]
pub trait AccountTx: Send {
    /// A user and their password hash (`None`: no password set yet).
    async fn user_with_password(&mut self, email: &str) -> Result<Option<(User, Option<String>)>>;
    async fn set_password_hash(&mut self, user: UserId, hash: &str) -> Result<()>;
    async fn set_user_lang(&mut self, user: UserId, lang: Lang) -> Result<()>;

    async fn insert_session(&mut self, s: &SessionRecord) -> Result<()>;
    async fn session(&mut self, token_hash: &str) -> Result<Option<SessionRecord>>;
    async fn touch_session(&mut self, token_hash: &str, at: Micros) -> Result<()>;
    async fn delete_session(&mut self, token_hash: &str) -> Result<()>;
    /// Ends every session of a user (a password reset); returns how many.
    async fn delete_user_sessions(&mut self, user: UserId) -> Result<u64>;

    async fn insert_invitation(&mut self, i: &InvitationRecord) -> Result<()>;
    async fn invitation(&mut self, token_hash: &str) -> Result<Option<InvitationRecord>>;
    /// Marks an unused invitation used; `Conflict` when it was used already.
    async fn use_invitation(&mut self, token_hash: &str, at: Micros) -> Result<()>;

    async fn insert_password_reset(&mut self, r: &PasswordResetRecord) -> Result<()>;
    async fn password_reset(&mut self, token_hash: &str) -> Result<Option<PasswordResetRecord>>;
    /// Marks an unused link used; `Conflict` when it was used already.
    async fn use_password_reset(&mut self, token_hash: &str, at: Micros) -> Result<()>;

    async fn record_login_attempt(
        &mut self,
        id: &str,
        email: &str,
        ip: &str,
        succeeded: bool,
        at: Micros,
    ) -> Result<()>;
    /// Failed attempts since `since` for this email and for this address.
    async fn failed_logins(&mut self, email: &str, ip: &str, since: Micros)
    -> Result<FailedLogins>;
}
