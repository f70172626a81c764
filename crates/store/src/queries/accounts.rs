// The accounts feature's queries, written once for both databases (see core.rs for the rules).
// Names already imported by core.rs are written in full here, since both files land in the
// same module.

use crate::accounts::{FailedLogins, InvitationRecord, PasswordResetRecord, SessionRecord};

fn session_of(r: &DbRow) -> crate::Result<SessionRecord> {
    const T: &str = "sessions";
    Ok(SessionRecord {
        token_hash: col(r, T, "token_hash")?,
        user_id: parsed(r, T, "user_id")?,
        csrf_secret: col(r, T, "csrf_secret")?,
        created_at: col(r, T, "created_at")?,
        last_seen_at: col(r, T, "last_seen_at")?,
        expires_at: col(r, T, "expires_at")?,
    })
}

fn invitation_of(r: &DbRow) -> crate::Result<InvitationRecord> {
    const T: &str = "invitations";
    Ok(InvitationRecord {
        token_hash: col(r, T, "token_hash")?,
        user_id: parsed(r, T, "user_id")?,
        email: col(r, T, "email")?,
        role: parsed(r, T, "role")?,
        member_id: parsed_opt(r, T, "member_id")?,
        entity_id: parsed_opt(r, T, "entity_id")?,
        created_by: parsed_opt(r, T, "created_by")?,
        created_at: col(r, T, "created_at")?,
        expires_at: col(r, T, "expires_at")?,
        used_at: col(r, T, "used_at")?,
    })
}

fn password_reset_of(r: &DbRow) -> crate::Result<PasswordResetRecord> {
    const T: &str = "password_resets";
    Ok(PasswordResetRecord {
        token_hash: col(r, T, "token_hash")?,
        user_id: parsed(r, T, "user_id")?,
        created_at: col(r, T, "created_at")?,
        expires_at: col(r, T, "expires_at")?,
        used_at: col(r, T, "used_at")?,
    })
}

#[async_trait::async_trait]
impl crate::AccountTx for BackendTx {
    async fn user_with_password(
        &mut self,
        email: &str,
    ) -> crate::Result<Option<(User, Option<String>)>> {
        let row = query("SELECT id, email, role, member_id, lang, password_hash FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *self.tx)
            .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some((user_of(&r)?, col(&r, "users", "password_hash")?))),
        }
    }

    async fn set_password_hash(&mut self, user: UserId, hash: &str) -> crate::Result<()> {
        let done = query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(not_found("user", user));
        }
        Ok(())
    }

    async fn set_user_lang(&mut self, user: UserId, lang: ensemble_domain::Lang) -> crate::Result<()> {
        let done = query("UPDATE users SET lang = $1 WHERE id = $2")
            .bind(lang.code())
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(not_found("user", user));
        }
        Ok(())
    }

    async fn insert_session(&mut self, s: &SessionRecord) -> crate::Result<()> {
        query(
            "INSERT INTO sessions (token_hash, user_id, csrf_secret, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&s.token_hash)
        .bind(s.user_id.to_string())
        .bind(&s.csrf_secret)
        .bind(s.created_at)
        .bind(s.last_seen_at)
        .bind(s.expires_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that session"))?;
        Ok(())
    }

    async fn session(&mut self, token_hash: &str) -> crate::Result<Option<SessionRecord>> {
        let row = query(
            "SELECT token_hash, user_id, csrf_secret, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(session_of).transpose()
    }

    async fn touch_session(&mut self, token_hash: &str, at: crate::Micros) -> crate::Result<()> {
        query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(at)
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn delete_session(&mut self, token_hash: &str) -> crate::Result<()> {
        query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn delete_user_sessions(&mut self, user: UserId) -> crate::Result<u64> {
        let done = query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected())
    }

    async fn insert_invitation(&mut self, i: &InvitationRecord) -> crate::Result<()> {
        query(
            "INSERT INTO invitations (token_hash, user_id, email, role, member_id, entity_id, created_by, created_at, expires_at, used_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&i.token_hash)
        .bind(i.user_id.to_string())
        .bind(&i.email)
        .bind(i.role.code())
        .bind(id_text(i.member_id))
        .bind(id_text(i.entity_id))
        .bind(id_text(i.created_by))
        .bind(i.created_at)
        .bind(i.expires_at)
        .bind(i.used_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that invitation"))?;
        Ok(())
    }

    async fn invitation(&mut self, token_hash: &str) -> crate::Result<Option<InvitationRecord>> {
        let row = query(
            "SELECT token_hash, user_id, email, role, member_id, entity_id, created_by, created_at, expires_at, used_at FROM invitations WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(invitation_of).transpose()
    }

    async fn use_invitation(&mut self, token_hash: &str, at: crate::Micros) -> crate::Result<()> {
        let done = query("UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(at)
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::Conflict("the invitation was used already".into()));
        }
        Ok(())
    }

    async fn insert_password_reset(&mut self, r: &PasswordResetRecord) -> crate::Result<()> {
        query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&r.token_hash)
        .bind(r.user_id.to_string())
        .bind(r.created_at)
        .bind(r.expires_at)
        .bind(r.used_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that reset link"))?;
        Ok(())
    }

    async fn password_reset(&mut self, token_hash: &str) -> crate::Result<Option<PasswordResetRecord>> {
        let row = query(
            "SELECT token_hash, user_id, created_at, expires_at, used_at FROM password_resets WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(password_reset_of).transpose()
    }

    async fn use_password_reset(&mut self, token_hash: &str, at: crate::Micros) -> crate::Result<()> {
        let done = query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(at)
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::Conflict("the reset link was used already".into()));
        }
        Ok(())
    }

    async fn record_login_attempt(
        &mut self,
        id: &str,
        email: &str,
        ip: &str,
        succeeded: bool,
        at: crate::Micros,
    ) -> crate::Result<()> {
        query("INSERT INTO login_attempts (id, email, ip, succeeded, at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(email)
            .bind(ip)
            .bind(succeeded)
            .bind(at)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn failed_logins(&mut self, email: &str, ip: &str, since: crate::Micros) -> crate::Result<FailedLogins> {
        let row = query(
            "SELECT
                (SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND at >= $3 AND NOT succeeded) AS by_email,
                (SELECT COUNT(*) FROM login_attempts WHERE ip = $2 AND at >= $3 AND NOT succeeded) AS by_ip",
        )
        .bind(email)
        .bind(ip)
        .bind(since)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(FailedLogins {
            by_email: col(&row, "login_attempts", "by_email")?,
            by_ip: col(&row, "login_attempts", "by_ip")?,
        })
    }
}
