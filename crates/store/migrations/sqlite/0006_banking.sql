-- Money out and money in: SEPA payout batches (pain.001) and their lines, bank statements
-- imported (camt.053) with one row per booked line under its fingerprint (so that importing
-- the same statement twice writes nothing), the money of a line given to invoices, and the
-- staff queue of the credit lines nothing matched. Money is integer cents, dates ISO text,
-- instants microseconds since the Unix epoch, structured values JSON text. Same version and
-- meaning as migrations/postgres/0006_banking.sql.

-- A pain.001 file sent to the bank: pending until a statement shows the debit, rejected when
-- the bank refuses it (its lines are then free to go in another batch).
CREATE TABLE payout_batches (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    message_id TEXT NOT NULL UNIQUE,
    execution_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
    total_cents BIGINT NOT NULL CHECK (total_cents > 0),
    transfers BIGINT NOT NULL CHECK (transfers > 0),
    xml TEXT NOT NULL,
    rejection TEXT,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    settled_by TEXT REFERENCES users (id),
    settled_at BIGINT
);
CREATE INDEX payout_batches_entity ON payout_batches (entity_id, created_at);

-- One credit transfer: a payslip's net pay or an expense claim's total, to a member's IBAN.
CREATE TABLE payout_lines (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES payout_batches (id),
    seq BIGINT NOT NULL,
    payment_information_id TEXT NOT NULL,
    end_to_end_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('salary', 'expense')),
    source_id TEXT NOT NULL,
    member_id TEXT NOT NULL REFERENCES members (id),
    activity_id TEXT NOT NULL REFERENCES activities (id),
    creditor_name TEXT NOT NULL,
    iban TEXT NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    remittance TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'rejected')),
    -- The ledger's payout (its pending transfer), when the books hold one.
    ledger_payout TEXT,
    bank_line TEXT,
    settled_at BIGINT,
    UNIQUE (batch_id, seq)
);
-- A payslip or a claim is paid by at most one batch that the bank has not rejected.
CREATE UNIQUE INDEX payout_lines_source ON payout_lines (kind, source_id) WHERE status <> 'rejected';
CREATE INDEX payout_lines_payment_information ON payout_lines (payment_information_id);

-- A camt.053 statement as imported: the first import of an account's statement id.
CREATE TABLE bank_statements (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    account_iban TEXT NOT NULL,
    statement_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    version TEXT NOT NULL,
    currency TEXT NOT NULL,
    opening_cents BIGINT NOT NULL,
    closing_cents BIGINT NOT NULL,
    closing_date TEXT NOT NULL,
    entries BIGINT NOT NULL,
    file_sha256 TEXT NOT NULL,
    imported_by TEXT NOT NULL REFERENCES users (id),
    imported_at BIGINT NOT NULL,
    UNIQUE (account_iban, statement_id)
);

-- A booked movement on the account, under its fingerprint (see ensemble-banking's
-- reconcile::fingerprint): the same movement in a re-sent or overlapping statement is the same
-- row. `status`: matched (to invoices, automatically), unmatched (in the queue), assigned (by
-- a person), dismissed (by a person: not a client payment), payout (a debit of our batches),
-- other (any other debit, a fee, a credit in another currency…).
CREATE TABLE bank_lines (
    fingerprint TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    statement_id TEXT NOT NULL REFERENCES bank_statements (id),
    entry BIGINT NOT NULL,
    transaction_no BIGINT,
    direction TEXT NOT NULL CHECK (direction IN ('credit', 'debit')),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    currency TEXT NOT NULL,
    booking_date TEXT NOT NULL,
    counterparty_name TEXT,
    counterparty_iban TEXT,
    creditor_references TEXT NOT NULL,
    remittance TEXT NOT NULL,
    end_to_end_id TEXT,
    payment_information_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('matched', 'unmatched', 'assigned', 'dismissed', 'payout', 'other')),
    method TEXT,
    confidence BIGINT,
    excess_cents BIGINT NOT NULL DEFAULT 0 CHECK (excess_cents >= 0),
    created_at BIGINT NOT NULL
);
CREATE INDEX bank_lines_entity ON bank_lines (entity_id, status, booking_date);
CREATE INDEX bank_lines_statement ON bank_lines (statement_id);

-- Money of a line given to an invoice: a payment received. Automatic (matched_by null) or by
-- a person from the queue.
CREATE TABLE bank_line_matches (
    id TEXT PRIMARY KEY,
    line_fingerprint TEXT NOT NULL REFERENCES bank_lines (fingerprint),
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    method TEXT NOT NULL,
    confidence BIGINT NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    matched_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    UNIQUE (line_fingerprint, invoice_id)
);
CREATE INDEX bank_line_matches_invoice ON bank_line_matches (invoice_id);

-- The credit lines that wait for a person: why, and the matcher's suggestions.
CREATE TABLE reconciliation_queue (
    line_fingerprint TEXT PRIMARY KEY REFERENCES bank_lines (fingerprint),
    entity_id TEXT NOT NULL REFERENCES entities (id),
    reason TEXT NOT NULL,
    suggestions TEXT NOT NULL,
    queued_at BIGINT NOT NULL,
    resolution TEXT CHECK (resolution IN ('assigned', 'dismissed')),
    resolved_by TEXT REFERENCES users (id),
    resolved_at BIGINT
);
CREATE INDEX reconciliation_queue_open ON reconciliation_queue (entity_id, resolved_at, queued_at);
