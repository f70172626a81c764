-- no-transaction
-- Document references are per entity: INV-BE-2026-000123 is the 123rd invoice of one entity in
-- 2026, and a second Belgian entity numbers its own from 1 (sequences were per entity already;
-- the references were unique across entities, so its first declaration collided). Numbers
-- become unique per (entity, number) for declarations, invoices, contracts, quotes and
-- expense claims. SQLite cannot drop a column's UNIQUE: each table is rebuilt (the documented
-- procedure, with foreign keys off while the tables are swapped and the rows copied as they are). And a
-- declaration's invoice and payslip are found by the declaration (GET /declarations/{id}), as
-- its contracts already are. Same version and meaning as migrations/postgres/0008_perf.sql.

PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE declarations_new (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    activity_id TEXT NOT NULL REFERENCES activities (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    unit TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    amount_kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    breakdown TEXT NOT NULL,
    rejection TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    UNIQUE (entity_id, number)
);
INSERT INTO declarations_new SELECT * FROM declarations;
DROP TABLE declarations;
ALTER TABLE declarations_new RENAME TO declarations;
CREATE INDEX declarations_activity ON declarations (activity_id);
CREATE INDEX declarations_status ON declarations (status, created_at);

CREATE TABLE invoices_new (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    activity_id TEXT NOT NULL REFERENCES activities (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    declaration_id TEXT REFERENCES declarations (id),
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    payment_reference TEXT NOT NULL,
    lang TEXT NOT NULL,
    lines TEXT NOT NULL,
    subtotals TEXT NOT NULL,
    net_cents BIGINT NOT NULL,
    vat_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (entity_id, number)
);
INSERT INTO invoices_new SELECT * FROM invoices;
DROP TABLE invoices;
ALTER TABLE invoices_new RENAME TO invoices;
CREATE INDEX invoices_activity ON invoices (activity_id);
CREATE INDEX invoices_entity ON invoices (entity_id, issue_date);

CREATE TABLE contracts_new (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    activity_id TEXT NOT NULL REFERENCES activities (id),
    declaration_id TEXT REFERENCES declarations (id),
    country TEXT NOT NULL,
    kind TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    hours BIGINT,
    days BIGINT,
    gross_cents BIGINT NOT NULL,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (entity_id, number)
);
INSERT INTO contracts_new SELECT * FROM contracts;
DROP TABLE contracts;
ALTER TABLE contracts_new RENAME TO contracts;
CREATE INDEX contracts_member ON contracts (member_id);
CREATE INDEX contracts_declaration ON contracts (declaration_id);

CREATE TABLE quotes_new (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
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
    updated_at BIGINT NOT NULL,
    UNIQUE (entity_id, number)
);
INSERT INTO quotes_new SELECT * FROM quotes;
DROP TABLE quotes;
ALTER TABLE quotes_new RENAME TO quotes;
CREATE INDEX quotes_activity ON quotes (activity_id, created_at);
CREATE INDEX quotes_status ON quotes (status, created_at);

CREATE TABLE expense_claims_new (
    id TEXT PRIMARY KEY,
    number TEXT,
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
    reimbursed_at BIGINT,
    UNIQUE (entity_id, number)
);
INSERT INTO expense_claims_new SELECT * FROM expense_claims;
DROP TABLE expense_claims;
ALTER TABLE expense_claims_new RENAME TO expense_claims;
CREATE INDEX expense_claims_member ON expense_claims (member_id, created_at);
CREATE INDEX expense_claims_activity ON expense_claims (activity_id, created_at);
CREATE INDEX expense_claims_status ON expense_claims (status, created_at);

CREATE INDEX invoices_declaration ON invoices (declaration_id);
CREATE INDEX payslips_declaration ON payslips (declaration_id);

COMMIT;
PRAGMA foreign_keys = ON;
