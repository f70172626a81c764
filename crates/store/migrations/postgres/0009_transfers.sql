-- Fewer index entries per ledger transfer (about ten are written per declaration): a pending
-- transfer's resolution is unique among the transfers that resolve one (a partial index: the
-- others have no entry), and the (entity, date) index, which no query uses, is gone. Same
-- version and meaning as migrations/sqlite/0009_transfers.sql.

ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_pending_id_key;
-- A pending transfer is posted or voided once.
CREATE UNIQUE INDEX ledger_transfers_pending ON ledger_transfers (pending_id)
    WHERE pending_id IS NOT NULL;
DROP INDEX ledger_transfers_entity_date;
