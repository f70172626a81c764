-- Quotes (order forms): lines as JSON (the invoice's line model), totals as cents, the client's
-- link stored only as the SHA-256 hash of its token. `expired` is never stored: a sent quote
-- past valid_until is expired. Same version and meaning as migrations/sqlite/0002_quotes.sql.

CREATE TABLE quotes (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    activity_id TEXT NOT NULL REFERENCES activities (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    title TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    lang TEXT NOT NULL,
    lines TEXT NOT NULL,
    subtotals TEXT NOT NULL,
    net_cents BIGINT NOT NULL,
    vat_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    status TEXT NOT NULL,
    rejection TEXT,
    decided_on TEXT,
    client_name TEXT,
    client_comment TEXT,
    invoice_id TEXT UNIQUE REFERENCES invoices (id),
    token_hash TEXT UNIQUE,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_by TEXT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX quotes_activity ON quotes (activity_id, created_at);
CREATE INDEX quotes_status ON quotes (status, created_at);
