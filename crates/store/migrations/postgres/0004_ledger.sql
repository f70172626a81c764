-- The ledger in the store (crates/ledger persisted): accounts with their cached balances,
-- immutable transfers (their client-chosen id is the primary key, hence idempotent), the
-- journal (one row per batch, SHA-256 chained per entity), and the registers the money flows
-- need: receivables (what each invoice expects and has received), payments received, payouts
-- held pending until the bank confirms them, salaries with their guaranteed due date,
-- dunning steps, and each entity's guarantee-fund policy. Money is integer cents, dates ISO
-- text, instants microseconds since the Unix epoch. Same version and meaning as
-- migrations/sqlite/0004_ledger.sql.

CREATE TABLE ledger_accounts (
    -- The account id's text form: <entity>:<G|A>:<code>[:<owner kind>:<owner id>|:fund].
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    book TEXT NOT NULL CHECK (book IN ('general', 'analytic')),
    code TEXT NOT NULL,
    owner_kind TEXT CHECK (owner_kind IN ('activity', 'member', 'client', 'fund')),
    owner_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('asset', 'liability', 'equity', 'income', 'expense')),
    no_overdraft BOOLEAN NOT NULL,
    no_overpayment BOOLEAN NOT NULL,
    label TEXT NOT NULL,
    debits_posted BIGINT NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_posted BIGINT NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    debits_pending BIGINT NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    credits_pending BIGINT NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    -- A budget never goes below zero; an advance is never repaid beyond what was advanced.
    CHECK (NOT no_overdraft OR debits_posted + debits_pending <= credits_posted),
    CHECK (NOT no_overpayment OR credits_posted + credits_pending <= debits_posted)
);
CREATE INDEX ledger_accounts_entity ON ledger_accounts (entity_id, book, code);
CREATE INDEX ledger_accounts_owner ON ledger_accounts (owner_id);

CREATE TABLE ledger_journal (
    entity_id TEXT NOT NULL REFERENCES entities (id),
    seq BIGINT NOT NULL CHECK (seq > 0),
    transfer_count BIGINT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (entity_id, seq)
);

CREATE TABLE ledger_transfers (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    position BIGINT NOT NULL,
    debit_account TEXT NOT NULL REFERENCES ledger_accounts (id),
    credit_account TEXT NOT NULL REFERENCES ledger_accounts (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    phase TEXT NOT NULL CHECK (phase IN ('single', 'pending', 'post', 'void')),
    -- A pending transfer is posted or voided once.
    pending_id TEXT UNIQUE REFERENCES ledger_transfers (id),
    code TEXT NOT NULL,
    journal TEXT NOT NULL,
    event_id TEXT NOT NULL,
    date TEXT NOT NULL,
    document TEXT NOT NULL,
    document_date TEXT NOT NULL,
    label TEXT NOT NULL,
    FOREIGN KEY (entity_id, seq) REFERENCES ledger_journal (entity_id, seq),
    UNIQUE (entity_id, seq, position)
);
CREATE INDEX ledger_transfers_event ON ledger_transfers (event_id);
CREATE INDEX ledger_transfers_entity_date ON ledger_transfers (entity_id, date);

-- Receivables: what an invoice expects and has received, for payments, dunning and the fund.
CREATE TABLE receivables (
    invoice_id TEXT PRIMARY KEY REFERENCES invoices (id),
    entity_id TEXT NOT NULL REFERENCES entities (id),
    activity_id TEXT NOT NULL REFERENCES activities (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    number TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    total_cents BIGINT NOT NULL CHECK (total_cents > 0),
    vat_cents BIGINT NOT NULL CHECK (vat_cents >= 0),
    fee_cents BIGINT NOT NULL CHECK (fee_cents >= 0),
    budget_share_cents BIGINT NOT NULL CHECK (budget_share_cents >= 0),
    paid_cents BIGINT NOT NULL DEFAULT 0 CHECK (paid_cents >= 0),
    status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'written_off')),
    -- The last dunning step taken: none, reminder, second_reminder, formal_notice.
    dunning TEXT NOT NULL DEFAULT 'none',
    created_at BIGINT NOT NULL
);
CREATE INDEX receivables_open ON receivables (entity_id, status, due_date);

CREATE TABLE payments_received (
    -- The ledger event id of the payment.
    id TEXT PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES receivables (invoice_id),
    bank_reference TEXT NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    paid_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (invoice_id, bank_reference)
);

CREATE TABLE payouts (
    -- The ledger event id of the pending transfer.
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('salary', 'expense_claims')),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    reference TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
    created_on TEXT NOT NULL,
    settled_on TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX payouts_status ON payouts (entity_id, status);

-- Salaries of declared work and the date the guarantee promises them by.
CREATE TABLE salary_dues (
    payslip_id TEXT PRIMARY KEY REFERENCES payslips (id),
    entity_id TEXT NOT NULL REFERENCES entities (id),
    activity_id TEXT NOT NULL REFERENCES activities (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    invoice_id TEXT REFERENCES invoices (id),
    work_end TEXT NOT NULL,
    due_on TEXT NOT NULL,
    net_cents BIGINT NOT NULL CHECK (net_cents >= 0),
    employer_cost_cents BIGINT NOT NULL CHECK (employer_cost_cents >= 0),
    advanced_cents BIGINT NOT NULL DEFAULT 0 CHECK (advanced_cents >= 0),
    created_at BIGINT NOT NULL
);
CREATE INDEX salary_dues_due ON salary_dues (entity_id, due_on);

CREATE TABLE dunning_steps (
    invoice_id TEXT NOT NULL REFERENCES receivables (invoice_id),
    step TEXT NOT NULL CHECK (step IN ('reminder', 'second_reminder', 'formal_notice', 'write_off')),
    taken_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, step)
);

-- An entity's guarantee-fund policy; an entity without a row uses the defaults.
CREATE TABLE fund_policies (
    entity_id TEXT PRIMARY KEY REFERENCES entities (id),
    -- The share of the fee that feeds the fund, in parts per million.
    fee_share_ppm BIGINT NOT NULL CHECK (fee_share_ppm BETWEEN 0 AND 1000000),
    salary_working_days BIGINT NOT NULL CHECK (salary_working_days BETWEEN 0 AND 60),
    reminder_days BIGINT NOT NULL,
    second_reminder_days BIGINT NOT NULL,
    formal_notice_days BIGINT NOT NULL,
    write_off_days BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
