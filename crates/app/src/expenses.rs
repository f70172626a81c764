//! Expense claims: saved drafts, lines with VAT, receipts stored under their content hash,
//! approval by an advisor, reimbursement from the activity's budget.
