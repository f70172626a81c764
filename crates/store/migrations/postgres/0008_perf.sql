-- Document references are per entity: INV-BE-2026-000123 is the 123rd invoice of one entity in
-- 2026, and a second Belgian entity numbers its own from 1 (sequences were per entity already;
-- the references were unique across entities, so its first declaration collided). Numbers
-- become unique per (entity, number) for declarations, invoices, contracts, quotes and
-- expense claims. And a declaration's invoice and payslip are found by the declaration
-- (GET /declarations/{id}), as its contracts already are. Same version and meaning as
-- migrations/sqlite/0008_perf.sql.

ALTER TABLE declarations DROP CONSTRAINT declarations_number_key;
ALTER TABLE declarations ADD CONSTRAINT declarations_entity_number_key UNIQUE (entity_id, number);
ALTER TABLE invoices DROP CONSTRAINT invoices_number_key;
ALTER TABLE invoices ADD CONSTRAINT invoices_entity_number_key UNIQUE (entity_id, number);
ALTER TABLE contracts DROP CONSTRAINT contracts_number_key;
ALTER TABLE contracts ADD CONSTRAINT contracts_entity_number_key UNIQUE (entity_id, number);
ALTER TABLE quotes DROP CONSTRAINT quotes_number_key;
ALTER TABLE quotes ADD CONSTRAINT quotes_entity_number_key UNIQUE (entity_id, number);
ALTER TABLE expense_claims DROP CONSTRAINT expense_claims_number_key;
ALTER TABLE expense_claims ADD CONSTRAINT expense_claims_entity_number_key UNIQUE (entity_id, number);

CREATE INDEX invoices_declaration ON invoices (declaration_id);
CREATE INDEX payslips_declaration ON payslips (declaration_id);
