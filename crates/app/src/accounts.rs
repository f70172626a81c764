//! Accounts in the browser: invitations, passwords (argon2id), sessions, login rate limits,
//! password reset by a one-time link sent through a pluggable [`Mailer`].
//!
//! - Secrets (session cookies, invitation and reset links) are 32 random bytes in hex; only
//!   their SHA-256 is stored, so a copy of the database opens no account.
//! - A session ends after [`SESSION_IDLE`] without a request, and after
//!   [`SESSION_ABSOLUTE`] whatever happens; logging out deletes it.
//! - Logins are limited: [`MAX_FAILURES_PER_EMAIL`] failures per email and
//!   [`MAX_FAILURES_PER_IP`] per address within [`LOGIN_WINDOW`] refuse further attempts with
//!   [`AppError::TooManyAttempts`] until the window has passed. An unknown email costs the
//!   same argon2 work as a known one.
//! - The API's bearer tokens are untouched: an account can have both.

use std::path::PathBuf;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use ensemble_domain::people::{Role, User};
use ensemble_domain::{Invalid, Lang, MemberId, UserId, parse_field};
use ensemble_store::Tx;
use ensemble_store::accounts::{InvitationRecord, PasswordResetRecord, SessionRecord};
use serde::{Deserialize, Serialize};

use crate::access::require_role;
use crate::auth::{hash_token, hex};
use crate::idempotency::{remember, replay};
use crate::inputs::NewUser;
use crate::{Actor, App, AppError, AppResult, Idempotency};

const MINUTE: i64 = 60 * 1_000_000;
/// A session unused this long ends.
pub const SESSION_IDLE: i64 = 8 * 60 * MINUTE;
/// A session ends this long after login, whatever its use.
pub const SESSION_ABSOLUTE: i64 = 7 * 24 * 60 * MINUTE;
/// How often a session's last use is written (not on every request).
const TOUCH_EVERY: i64 = MINUTE;
/// The window of the login rate limit.
pub const LOGIN_WINDOW: i64 = 15 * MINUTE;
pub const MAX_FAILURES_PER_EMAIL: i64 = 5;
pub const MAX_FAILURES_PER_IP: i64 = 20;
/// How long an invitation link stays valid.
pub const INVITATION_VALIDITY: i64 = 14 * 24 * 60 * MINUTE;
/// How long a password reset link stays valid.
pub const RESET_VALIDITY: i64 = 60 * MINUTE;
pub const MIN_PASSWORD_CHARS: usize = 12;
const MAX_PASSWORD_CHARS: usize = 256;

/// An e-mail to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
}

/// Sends e-mail: SMTP in production, a folder of `.eml` files in the demo and the tests.
pub trait Mailer: Send + Sync {
    fn send(&self, mail: &Mail) -> Result<(), String>;
}

/// Writes each mail as an RFC 5322 file in a folder (`{data_dir}/outbox/*.eml`): the demo's
/// and the tests' mailer, and a record of what would have been sent.
pub struct FileOutbox {
    pub dir: PathBuf,
}

impl Mailer for FileOutbox {
    fn send(&self, mail: &Mail) -> Result<(), String> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
        let id = uuid::Uuid::now_v7();
        let path = self.dir.join(format!("{}.eml", id.simple()));
        let text = format!(
            "From: Ensemble <no-reply@ensemble.invalid>\r\nTo: {}\r\nSubject: {}\r\nMessage-ID: <{}@ensemble.invalid>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
            mail.to.replace(['\r', '\n'], ""),
            mail.subject.replace(['\r', '\n'], " "),
            id.simple(),
            mail.body.replace('\n', "\r\n")
        );
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

/// A link that opens an account: shown (or mailed) once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Invitation {
    pub email: String,
    pub role: Role,
    /// The secret of the link.
    pub token: String,
    /// The page that sets the password: `/invitations/{token}`.
    pub path: String,
    pub expires_at: i64,
}

/// A signed-in browser: the cookie's token (given once) and who it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    pub token: String,
    pub actor: Actor,
    pub csrf_secret: String,
}

/// A session found from its cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub actor: Actor,
    pub email: String,
    pub csrf_secret: String,
}

/// The invitation page's view: who is invited, whether the link still works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationView {
    pub email: String,
    pub role: Role,
}

/// The page of an invitation or reset link.
pub fn invitation_path(token: &str) -> String {
    format!("/invitations/{token}")
}

pub fn reset_path(token: &str) -> String {
    format!("/password/reset/{token}")
}

fn random_secret() -> AppResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(hex(&bytes))
}

fn actor_of(user: &User) -> Actor {
    Actor {
        user: user.id,
        role: user.role,
        member: user.member_id,
        lang: user.lang,
    }
}

/// A secret from a link or cookie: 64 hex digits, else nothing can match.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks a new password: at least 12 characters, not one repeated character, not a common
/// password, not the email, not only digits.
pub fn check_password(password: &str, email: &str) -> Result<(), Invalid> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(Invalid::new(
            "password",
            format!("at least {MIN_PASSWORD_CHARS} characters ({chars} given)"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(Invalid::new(
            "password",
            format!("at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    let lower = password.to_lowercase();
    let mut distinct: Vec<char> = lower.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return Err(Invalid::new(
            "password",
            "use at least 4 different characters",
        ));
    }
    if password.chars().all(|c| c.is_ascii_digit()) {
        return Err(Invalid::new("password", "not only digits: add words"));
    }
    const COMMON: [&str; 10] = [
        "password",
        "motdepasse",
        "wachtwoord",
        "123456",
        "azerty",
        "qwerty",
        "ensemble",
        "letmein",
        "welcome",
        "bienvenue",
    ];
    let letters: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    if COMMON
        .iter()
        .any(|w| letters == *w || letters.trim_end_matches(|c: char| c.is_ascii_digit()) == *w)
    {
        return Err(Invalid::new(
            "password",
            "this password is among the most common ones: choose another",
        ));
    }
    let email = email.to_lowercase();
    let local = email.split('@').next().unwrap_or("");
    if lower == email || (local.len() >= 4 && lower.contains(local)) {
        return Err(Invalid::new(
            "password",
            "the password must not contain your email address",
        ));
    }
    Ok(())
}

/// The argon2id hash of a password, in PHC form.
pub fn hash_password(password: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| AppError::Internal(format!("password salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hash: {e}")))
}

/// Whether `password` matches the stored hash (false for a malformed hash).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to verify against when the email is unknown or has no password, so that the answer
/// takes as long as for a known account.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

/// Runs argon2 off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("password work: {e}")))
}

/// An email as typed in a login form: trimmed, lower case.
fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl App {
    /// Writes an invitation for `user` in the caller's transaction.
    pub(crate) async fn write_invitation(
        &self,
        tx: &mut dyn Tx,
        user: &User,
        entity: Option<ensemble_domain::EntityId>,
        by: Option<UserId>,
    ) -> AppResult<Invitation> {
        let token = random_secret()?;
        let at = self.clock.micros();
        let record = InvitationRecord {
            token_hash: hash_token(&token),
            user_id: user.id,
            email: user.email.to_string(),
            role: user.role,
            member_id: user.member_id,
            entity_id: entity,
            created_by: by,
            created_at: at,
            expires_at: at + INVITATION_VALIDITY,
            used_at: None,
        };
        tx.insert_invitation(&record).await?;
        Ok(Invitation {
            email: record.email,
            role: record.role,
            path: invitation_path(&token),
            token,
            expires_at: record.expires_at,
        })
    }

    /// A new invitation link for a member's account (staff), e.g. when the first one expired.
    pub async fn invite_member(&self, actor: &Actor, member: MemberId) -> AppResult<Invitation> {
        crate::access::require_staff(actor)?;
        let mut tx = self.store.write().await?;
        let m = tx.member(member).await?;
        let user = tx
            .user_by_email(m.email.as_str())
            .await?
            .filter(|u| u.member_id == Some(member))
            .ok_or_else(|| AppError::NotFound {
                kind: "account of member",
                id: member.to_string(),
            })?;
        let invitation = self
            .write_invitation(&mut *tx, &user, Some(m.entity_id), Some(actor.user))
            .await?;
        tx.commit().await?;
        Ok(invitation)
    }

    /// Invites a staff member (administrators): the account is created without a password,
    /// and the link sets it.
    pub async fn invite_staff(
        &self,
        actor: &Actor,
        input: &NewUser,
        idem: Option<&Idempotency>,
    ) -> AppResult<Invitation> {
        require_role(actor, &[Role::Admin])?;
        let role: Role = parse_field("role", &input.role)?;
        if role == Role::Member {
            return Err(Invalid::new("role", "members are invited when they are admitted").into());
        }
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "invite_staff", idem).await? {
            return Ok(previous);
        }
        let user = User {
            id: UserId::from_uuid(self.id()),
            email: parse_field("email", &input.email)?,
            role,
            member_id: None,
            lang: input.lang.unwrap_or_default(),
        };
        let at = self.clock.micros();
        tx.insert_user(&user, None, at).await?;
        let invitation = self
            .write_invitation(&mut *tx, &user, None, Some(actor.user))
            .await?;
        remember(&mut *tx, actor, "invite_staff", idem, &invitation, at).await?;
        tx.commit().await?;
        Ok(invitation)
    }

    /// The staff accounts: advisors, accountants, administrators (administrators).
    pub async fn staff_accounts(&self, actor: &Actor) -> AppResult<Vec<User>> {
        require_role(actor, &[Role::Admin])?;
        let mut tx = self.store.read().await?;
        let mut staff: Vec<User> = tx
            .users()
            .await?
            .into_iter()
            .filter(|u| u.role.is_staff())
            .collect();
        staff.sort_by(|a, b| a.email.as_str().cmp(b.email.as_str()));
        Ok(staff)
    }

    /// An invitation for the first administrator (`ensemble serve` on a new database) to set
    /// a password; refused for any other account and once a password is set.
    pub async fn invite_first_admin(&self, email: &str) -> AppResult<Invitation> {
        let mut tx = self.store.write().await?;
        let users = tx.users().await?;
        let refused = || {
            AppError::conflict(
                "already_initialised",
                "only the platform's first administrator, before any password, is invited this way",
            )
        };
        let [user] = users.as_slice() else {
            return Err(refused());
        };
        let with_password = tx.user_with_password(user.email.as_str()).await?;
        if user.role != Role::Admin
            || !user.email.as_str().eq_ignore_ascii_case(email.trim())
            || with_password.is_some_and(|(_, hash)| hash.is_some())
        {
            return Err(refused());
        }
        let invitation = self.write_invitation(&mut *tx, user, None, None).await?;
        tx.commit().await?;
        Ok(invitation)
    }

    /// Who an invitation link is for; `NotFound` when the link is unknown, used or expired.
    pub async fn invitation(&self, token: &str) -> AppResult<InvitationView> {
        let mut tx = self.store.read().await?;
        let record = self.valid_invitation(&mut *tx, token).await?;
        Ok(InvitationView {
            email: record.email,
            role: record.role,
        })
    }

    async fn valid_invitation(&self, tx: &mut dyn Tx, token: &str) -> AppResult<InvitationRecord> {
        let gone = || AppError::NotFound {
            kind: "invitation",
            id: "(this link is unknown, used or expired)".into(),
        };
        if !well_formed(token) {
            return Err(gone());
        }
        let record = tx.invitation(&hash_token(token)).await?.ok_or_else(gone)?;
        if record.used_at.is_some() || record.expires_at < self.clock.micros() {
            return Err(gone());
        }
        Ok(record)
    }

    /// Accepts an invitation: sets the password and signs in, in one transaction.
    pub async fn accept_invitation(&self, token: &str, password: &str) -> AppResult<NewSession> {
        let mut tx = self.store.write().await?;
        let record = self.valid_invitation(&mut *tx, token).await?;
        check_password(password, &record.email)?;
        let owned = password.to_string();
        let hash = blocking(move || hash_password(&owned)).await??;
        tx.set_password_hash(record.user_id, &hash).await?;
        tx.use_invitation(&record.token_hash, self.clock.micros())
            .await
            .map_err(|_| {
                AppError::conflict("invitation_used", "this invitation was used already")
            })?;
        let user = tx.user(record.user_id).await?;
        let session = self.open_session(&mut *tx, &user).await?;
        tx.commit().await?;
        Ok(session)
    }

    async fn open_session(&self, tx: &mut dyn Tx, user: &User) -> AppResult<NewSession> {
        let token = random_secret()?;
        let csrf_secret = random_secret()?;
        let at = self.clock.micros();
        tx.insert_session(&SessionRecord {
            token_hash: hash_token(&token),
            user_id: user.id,
            csrf_secret: csrf_secret.clone(),
            created_at: at,
            last_seen_at: at,
            expires_at: at + SESSION_ABSOLUTE,
        })
        .await?;
        Ok(NewSession {
            token,
            actor: actor_of(user),
            csrf_secret,
        })
    }

    /// Signs in with an email and a password from the address `ip`. Too many failures for the
    /// email or the address within the window: `TooManyAttempts`, without checking the
    /// password. A wrong email or password: `Unauthenticated`, the same for both.
    pub async fn login(&self, email: &str, password: &str, ip: &str) -> AppResult<NewSession> {
        let email = normalise_email(email);
        let now = self.clock.micros();
        let found = {
            let mut tx = self.store.read().await?;
            let failed = tx.failed_logins(&email, ip, now - LOGIN_WINDOW).await?;
            if failed.by_email >= MAX_FAILURES_PER_EMAIL || failed.by_ip >= MAX_FAILURES_PER_IP {
                return Err(AppError::TooManyAttempts(format!(
                    "too many failed sign-ins: wait {} minutes and try again, or reset your password",
                    LOGIN_WINDOW / MINUTE
                )));
            }
            tx.user_with_password(&email).await?
        };
        let (user, hash) = match found {
            Some((user, Some(hash))) => (Some(user), hash),
            _ => (None, dummy_hash().to_string()),
        };
        let owned = password.to_string();
        let matches = blocking(move || verify_password(&owned, &hash)).await?;
        let mut tx = self.store.write().await?;
        let attempt = self.id().to_string();
        match user.filter(|_| matches) {
            Some(user) => {
                tx.record_login_attempt(&attempt, &email, ip, true, now)
                    .await?;
                let session = self.open_session(&mut *tx, &user).await?;
                tx.commit().await?;
                Ok(session)
            }
            None => {
                tx.record_login_attempt(&attempt, &email, ip, false, now)
                    .await?;
                tx.commit().await?;
                Err(AppError::Unauthenticated)
            }
        }
    }

    /// The session of a cookie's token; `Unauthenticated` when unknown or expired (idle or
    /// absolute). Records its use at most once a minute.
    pub async fn session(&self, token: &str) -> AppResult<Session> {
        if !well_formed(token) {
            return Err(AppError::Unauthenticated);
        }
        let hash = hash_token(token);
        let now = self.clock.micros();
        let (record, user) = {
            let mut tx = self.store.read().await?;
            let record = tx.session(&hash).await?.ok_or(AppError::Unauthenticated)?;
            if now >= record.expires_at || now - record.last_seen_at >= SESSION_IDLE {
                return Err(AppError::Unauthenticated);
            }
            let user = tx.user(record.user_id).await?;
            (record, user)
        };
        if now - record.last_seen_at >= TOUCH_EVERY {
            let mut tx = self.store.write().await?;
            tx.touch_session(&hash, now).await?;
            tx.commit().await?;
        }
        Ok(Session {
            actor: actor_of(&user),
            email: user.email.to_string(),
            csrf_secret: record.csrf_secret,
        })
    }

    /// Ends a session (logging out); an unknown token is no error.
    pub async fn logout(&self, token: &str) -> AppResult<()> {
        if !well_formed(token) {
            return Ok(());
        }
        let mut tx = self.store.write().await?;
        tx.delete_session(&hash_token(token)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends a one-time reset link to `email` when it is an account's; says nothing either
    /// way, so nobody learns which emails have accounts. `base_url` is the site's address
    /// (`https://ensemble.example`), for the link in the mail.
    pub async fn request_password_reset(&self, email: &str, base_url: &str) -> AppResult<()> {
        let email = normalise_email(email);
        let mut tx = self.store.write().await?;
        let Some(user) = tx.user_by_email(&email).await? else {
            return Ok(());
        };
        let token = random_secret()?;
        let at = self.clock.micros();
        tx.insert_password_reset(&PasswordResetRecord {
            token_hash: hash_token(&token),
            user_id: user.id,
            created_at: at,
            expires_at: at + RESET_VALIDITY,
            used_at: None,
        })
        .await?;
        let link = format!("{}{}", base_url.trim_end_matches('/'), reset_path(&token));
        let mail = reset_mail(user.lang, user.email.as_str(), &link);
        // Sent before the commit: a mail that cannot be sent leaves no link behind.
        self.mailer
            .send(&mail)
            .map_err(|e| AppError::Internal(format!("cannot send the reset mail: {e}")))?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a reset link is still valid (the page shows the form, or says it is not).
    pub async fn password_reset_valid(&self, token: &str) -> AppResult<()> {
        let mut tx = self.store.read().await?;
        self.valid_reset(&mut *tx, token).await.map(|_| ())
    }

    async fn valid_reset(&self, tx: &mut dyn Tx, token: &str) -> AppResult<PasswordResetRecord> {
        let gone = || AppError::NotFound {
            kind: "reset link",
            id: "(this link is unknown, used or expired)".into(),
        };
        if !well_formed(token) {
            return Err(gone());
        }
        let record = tx
            .password_reset(&hash_token(token))
            .await?
            .ok_or_else(gone)?;
        if record.used_at.is_some() || record.expires_at < self.clock.micros() {
            return Err(gone());
        }
        Ok(record)
    }

    /// Sets a new password through a reset link, once; every session of the account ends.
    pub async fn reset_password(&self, token: &str, password: &str) -> AppResult<()> {
        let mut tx = self.store.write().await?;
        let record = self.valid_reset(&mut *tx, token).await?;
        let user = tx.user(record.user_id).await?;
        check_password(password, user.email.as_str())?;
        let owned = password.to_string();
        let hash = blocking(move || hash_password(&owned)).await??;
        tx.set_password_hash(user.id, &hash).await?;
        tx.use_password_reset(&record.token_hash, self.clock.micros())
            .await
            .map_err(|_| AppError::conflict("reset_used", "this link was used already"))?;
        tx.delete_user_sessions(user.id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The language of the actor's pages.
    pub async fn set_language(&self, actor: &Actor, lang: Lang) -> AppResult<()> {
        let mut tx = self.store.write().await?;
        tx.set_user_lang(actor.user, lang).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets the password of the account with this email, with no actor: for the command line
    /// and the demo (like [`App::bootstrap_admin`]), never for a request.
    pub async fn set_password_by_email(&self, email: &str, password: &str) -> AppResult<()> {
        let email = normalise_email(email);
        check_password(password, &email)?;
        let owned = password.to_string();
        let hash = blocking(move || hash_password(&owned)).await??;
        let mut tx = self.store.write().await?;
        let user = tx
            .user_by_email(&email)
            .await?
            .ok_or_else(|| AppError::NotFound {
                kind: "user",
                id: email.clone(),
            })?;
        tx.set_password_hash(user.id, &hash).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn reset_mail(lang: Lang, to: &str, link: &str) -> Mail {
    let (subject, body) = match lang {
        Lang::Fr => (
            "Ensemble : choisir un nouveau mot de passe",
            format!(
                "Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien dans l'heure :\n\n{link}\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n"
            ),
        ),
        Lang::Nl => (
            "Ensemble: een nieuw wachtwoord kiezen",
            format!(
                "Hallo,\n\nOpen deze link binnen het uur om een nieuw wachtwoord te kiezen:\n\n{link}\n\nHebt u niets gevraagd? Negeer dit bericht: uw wachtwoord blijft hetzelfde.\n"
            ),
        ),
        Lang::En => (
            "Ensemble: choose a new password",
            format!(
                "Hello,\n\nTo choose a new password, open this link within the hour:\n\n{link}\n\nIf you asked for nothing, ignore this message: your password does not change.\n"
            ),
        ),
    };
    Mail {
        to: to.to_string(),
        subject: subject.to_string(),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        let email = "alice.janssens@example.coop";
        assert!(check_password("correct horse battery", email).is_ok());
        assert!(check_password("ensemble-demo", email).is_ok());
        let short = check_password("short pass", email).unwrap_err();
        assert_eq!(short.field, "password");
        assert!(short.message.contains("at least 12"), "{}", short.message);
        assert!(check_password("aaaaaaaaaaaaaa", email).is_err());
        assert!(check_password("123456789012345", email).is_err());
        assert!(check_password("Password123456", email).is_err());
        assert!(check_password("alice.janssens-2026", email).is_err());
    }

    #[test]
    fn argon2id_hashes_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
        assert_ne!(hash, hash_password("correct horse battery").unwrap());
    }

    #[test]
    fn outbox_writes_eml_files() {
        let dir = std::env::temp_dir().join(format!("ensemble-outbox-{}", uuid::Uuid::now_v7()));
        let outbox = FileOutbox { dir: dir.clone() };
        outbox
            .send(&reset_mail(
                Lang::Fr,
                "a@example.coop",
                "http://x/password/reset/abc",
            ))
            .unwrap();
        let files: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(files.len(), 1);
        let text = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
        assert!(text.contains("To: a@example.coop\r\n"));
        assert!(text.contains("http://x/password/reset/abc"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
