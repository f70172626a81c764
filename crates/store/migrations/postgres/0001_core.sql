-- Ensemble core chain: entities, members and users, activities and budgets, clients,
-- numbering sequences, work declarations, invoices, contracts, payslips, idempotency keys.
-- Money is integer cents (BIGINT), rates parts per million, dates ISO text, instants
-- microseconds since the Unix epoch, structured values JSON text. Same version and meaning as
-- migrations/sqlite/0001_core.sql.

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    country TEXT NOT NULL,
    name TEXT NOT NULL,
    legal_id TEXT NOT NULL,
    vat_id TEXT NOT NULL,
    iban TEXT NOT NULL,
    bic TEXT,
    address TEXT NOT NULL,
    fee_rate_ppm BIGINT NOT NULL,
    share_unit_cents BIGINT NOT NULL,
    share_basis TEXT NOT NULL,
    vat_rate_ppm BIGINT NOT NULL,
    payment_term_days BIGINT NOT NULL,
    headcount BIGINT NOT NULL,
    auto_validate BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE members (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    iban TEXT NOT NULL,
    national_id TEXT NOT NULL,
    address TEXT NOT NULL,
    lang TEXT NOT NULL,
    status TEXT NOT NULL,
    joined_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (entity_id, email),
    UNIQUE (entity_id, national_id)
);
CREATE INDEX members_entity ON members (entity_id);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    member_id TEXT REFERENCES members (id),
    lang TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    password_hash TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE share_subscriptions (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    count BIGINT NOT NULL CHECK (count > 0),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    subscribed_on TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX share_subscriptions_member ON share_subscriptions (member_id);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    fee_override_ppm BIGINT,
    budget_cents BIGINT NOT NULL DEFAULT 0 CHECK (budget_cents >= 0),
    created_at BIGINT NOT NULL
);
CREATE INDEX activities_entity ON activities (entity_id);

CREATE TABLE activity_members (
    activity_id TEXT NOT NULL REFERENCES activities (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    role TEXT NOT NULL,
    PRIMARY KEY (activity_id, member_id)
);
CREATE INDEX activity_members_member ON activity_members (member_id);

CREATE TABLE budget_movements (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities (id),
    kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    document TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX budget_movements_activity ON budget_movements (activity_id, created_at);

CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    vat_id TEXT,
    company_id TEXT,
    peppol_id TEXT,
    email TEXT,
    lang TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX clients_entity ON clients (entity_id);

CREATE TABLE sequences (
    entity_id TEXT NOT NULL REFERENCES entities (id),
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    last_value BIGINT NOT NULL,
    PRIMARY KEY (entity_id, kind, year)
);

CREATE TABLE declarations (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
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
    decided_at BIGINT
);
CREATE INDEX declarations_activity ON declarations (activity_id);
CREATE INDEX declarations_status ON declarations (status, created_at);

CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
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
    created_at BIGINT NOT NULL
);
CREATE INDEX invoices_activity ON invoices (activity_id);
CREATE INDEX invoices_entity ON invoices (entity_id, issue_date);

CREATE TABLE contracts (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
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
    created_at BIGINT NOT NULL
);
CREATE INDEX contracts_member ON contracts (member_id);
CREATE INDEX contracts_declaration ON contracts (declaration_id);

CREATE TABLE social_declarations (
    id TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX social_declarations_contract ON social_declarations (contract_id);

CREATE TABLE payslips (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    activity_id TEXT NOT NULL REFERENCES activities (id),
    declaration_id TEXT REFERENCES declarations (id),
    month TEXT NOT NULL,
    country TEXT NOT NULL,
    status TEXT NOT NULL,
    contract_kind TEXT NOT NULL,
    gross_cents BIGINT NOT NULL,
    net_paid_cents BIGINT NOT NULL,
    employer_cost_cents BIGINT NOT NULL,
    totals TEXT NOT NULL,
    lines TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX payslips_member ON payslips (member_id, month);

CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
