//! Identifiers of people, companies, accounts and payments, each parsed and checked.
