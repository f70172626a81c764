//! quotes
