//! The API through HTTP, on SQLite and (with `ENSEMBLE_TEST_DATABASE_URL`) on PostgreSQL:
//! every flow end to end with its amounts to the cent, every kind of bad input refused with the
//! documented error and nothing written, the error shapes, idempotency keys, and what a member
//! may see of another's work.
//!
//! Requests go through `ensemble_web::router` with `tower::ServiceExt::oneshot`: the same
//! routing, extractors and error mapping as a server, without a socket.

#[path = "api/support.rs"]
mod support;

#[path = "api/flows.rs"]
mod flows;

#[path = "api/bad_input.rs"]
mod bad_input;

#[path = "api/errors.rs"]
mod errors;

#[path = "api/idempotency.rs"]
mod idempotency;

#[path = "api/visibility.rs"]
mod visibility;

#[path = "api/quotes.rs"]
mod quotes;
