-- no-transaction
-- Fewer index entries per ledger transfer (about ten are written per declaration, and each
-- entry is a B-tree insert and a page to journal): a pending transfer's resolution is unique
-- among the transfers that resolve one (a partial index: the others have no entry), and the
-- (entity, date) index, which no query uses, is gone. SQLite cannot drop a column's UNIQUE: the
-- table is rebuilt by the documented procedure, foreign keys off while the rows are copied as
-- they are. (Keyed by the id alone, WITHOUT ROWID, it was slower: its rows are too large for
-- a table stored as an index.) Same version and meaning as
-- migrations/postgres/0009_transfers.sql.

PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE ledger_transfers_new (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    position BIGINT NOT NULL,
    debit_account TEXT NOT NULL REFERENCES ledger_accounts (id),
    credit_account TEXT NOT NULL REFERENCES ledger_accounts (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    phase TEXT NOT NULL CHECK (phase IN ('single', 'pending', 'post', 'void')),
    pending_id TEXT REFERENCES ledger_transfers (id),
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
INSERT INTO ledger_transfers_new SELECT * FROM ledger_transfers;
DROP TABLE ledger_transfers;
ALTER TABLE ledger_transfers_new RENAME TO ledger_transfers;
-- A pending transfer is posted or voided once.
CREATE UNIQUE INDEX ledger_transfers_pending ON ledger_transfers (pending_id)
    WHERE pending_id IS NOT NULL;
CREATE INDEX ledger_transfers_event ON ledger_transfers (event_id);
COMMIT;
PRAGMA foreign_keys = ON;
