-- A declaration's invoice and payslip found by the declaration (GET /declarations/{id}), as
-- its contracts already are. Same version and meaning in both databases.

CREATE INDEX invoices_declaration ON invoices (declaration_id);
CREATE INDEX payslips_declaration ON payslips (declaration_id);
