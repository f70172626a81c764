-- Payments recorded by hand: a cheque, cash, a transfer seen outside the imported statements.
-- Like the money of a statement line given to an invoice (bank_line_matches), amount_cents is
-- what the invoice got — at most what it still owed — and excess_cents what was paid beyond it
-- (it stays on the client's account in the books). An invoice's outstanding amount is its
-- total less both kinds of payments. The reference (the cheque's number, a receipt's) is
-- unique per invoice. Same version and meaning as migrations/postgres/0007_money.sql.
CREATE TABLE manual_payments (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    excess_cents BIGINT NOT NULL DEFAULT 0 CHECK (excess_cents >= 0),
    paid_on TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('cheque', 'cash', 'transfer', 'card', 'other')),
    reference TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    UNIQUE (invoice_id, reference)
);
CREATE INDEX manual_payments_invoice ON manual_payments (invoice_id);
