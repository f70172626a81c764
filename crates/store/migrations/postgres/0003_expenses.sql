-- Expense claims, their receipts and the links between them. Lines are JSON text (a draft
-- replaces them all on every save); the totals are columns for listings and checks. Receipt
-- files live in the data folder under receipts/{hash[0..2]}/{hash}; this records what they
-- are and who sent them. Same version and meaning as migrations/sqlite/0003_expenses.sql.

CREATE TABLE expense_claims (
    id TEXT PRIMARY KEY,
    number TEXT UNIQUE,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    activity_id TEXT NOT NULL REFERENCES activities (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    title TEXT NOT NULL,
    lines TEXT NOT NULL,
    vat_subtotals TEXT NOT NULL,
    total_cents BIGINT NOT NULL CHECK (total_cents >= 0),
    vat_cents BIGINT NOT NULL CHECK (vat_cents >= 0),
    net_cents BIGINT NOT NULL CHECK (net_cents >= 0),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'reimbursed', 'rejected')),
    rejection TEXT,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    decided_by TEXT REFERENCES users (id),
    decided_at BIGINT,
    reimbursed_by TEXT REFERENCES users (id),
    reimbursed_at BIGINT
);
CREATE INDEX expense_claims_member ON expense_claims (member_id, created_at);
CREATE INDEX expense_claims_activity ON expense_claims (activity_id, created_at);
CREATE INDEX expense_claims_status ON expense_claims (status, created_at);

CREATE TABLE receipts (
    hash TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL CHECK (size > 0),
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at BIGINT NOT NULL
);

-- Which claims a receipt is attached to, under the name its member gave the file: what makes
-- a member allowed to download it.
CREATE TABLE expense_receipts (
    claim_id TEXT NOT NULL REFERENCES expense_claims (id),
    hash TEXT NOT NULL REFERENCES receipts (hash),
    file_name TEXT NOT NULL,
    attached_by TEXT NOT NULL REFERENCES users (id),
    attached_at BIGINT NOT NULL,
    PRIMARY KEY (claim_id, hash)
);
CREATE INDEX expense_receipts_hash ON expense_receipts (hash);
