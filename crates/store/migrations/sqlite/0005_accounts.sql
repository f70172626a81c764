-- Accounts in the browser: sessions, invitations, password reset links and login attempts.
-- Only SHA-256 hashes of the secrets (session cookies, invitation and reset tokens) are
-- stored. Instants are microseconds since the Unix epoch. Same version and meaning as
-- migrations/postgres/0005_accounts.sql.

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    -- The secret every form of the session carries (CSRF).
    csrf_secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    -- The absolute end of the session, whatever its activity.
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    -- The account the invitation opens (it has no password yet).
    user_id TEXT NOT NULL REFERENCES users (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    member_id TEXT REFERENCES members (id),
    entity_id TEXT REFERENCES entities (id),
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX invitations_user ON invitations (user_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Every login attempt, for rate limiting by email and by address.
CREATE TABLE login_attempts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);
