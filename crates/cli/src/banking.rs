//! `ensemble payouts …` and `ensemble statements …`: the treasury's commands (an accountant's
//! or administrator's token). They open the database the way the server does and call the
//! application's use cases.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use ensemble_app::payouts::NewPayoutBatch;
use ensemble_app::statements::{Assignment, Dismissal};
use ensemble_app::{App, Idempotency};

use crate::Failure;
use crate::server::{DataArgs, actor, app_failure, open, runtime};

/// Who acts and on which database.
#[derive(Args, Clone)]
pub struct Session {
    #[command(flatten)]
    pub data: DataArgs,
    /// An accountant's or administrator's API token.
    #[arg(long, env = "ENSEMBLE_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Print JSON instead of a summary.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum PayoutCommand {
    /// Pay the salaries and expenses an entity owes: one pain.001.001.09 file, held as pending
    /// until a bank statement shows its debits.
    Create {
        #[command(flatten)]
        session: Session,
        /// The entity's id.
        #[arg(long)]
        entity: String,
        /// The requested execution date, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Where to write the pain.001 file.
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
        /// Running the command again with the same key creates nothing twice.
        #[arg(long)]
        idempotency_key: Option<String>,
    },
    /// List the batches.
    List {
        #[command(flatten)]
        session: Session,
    },
    /// Write a batch's pain.001 file again.
    File {
        #[command(flatten)]
        session: Session,
        batch: String,
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Record that the bank rejected a pending batch: its transfers are voided and its
    /// salaries and claims go in the next batch.
    Reject {
        #[command(flatten)]
        session: Session,
        batch: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum StatementCommand {
    /// Import a camt.053 file (.08 or .02): payments matched to invoices, payout batches
    /// confirmed, the rest queued for staff. Importing it again changes nothing.
    Import {
        #[command(flatten)]
        session: Session,
        file: PathBuf,
    },
    /// The statement lines waiting for a person.
    Queue {
        #[command(flatten)]
        session: Session,
        /// Only this entity's.
        #[arg(long)]
        entity: Option<String>,
        /// Resolved lines too.
        #[arg(long)]
        all: bool,
    },
    /// Give a queued line's money to invoices, in this order.
    Assign {
        #[command(flatten)]
        session: Session,
        /// The line's fingerprint (from `statements queue`).
        line: String,
        #[arg(long = "invoice", required = true)]
        invoices: Vec<String>,
    },
    /// Take a queued line out of the queue: it pays no invoice.
    Dismiss {
        #[command(flatten)]
        session: Session,
        line: String,
        #[arg(long)]
        reason: String,
    },
}

fn id<T: std::str::FromStr>(field: &str, text: &str) -> Result<T, Failure>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e: T::Err| Failure::input(format!("{field}: {e}")))
}

fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

async fn session(s: &Session) -> Result<(App, ensemble_app::Actor), Failure> {
    let app = open(&s.data).await?;
    let actor = actor(&app, &s.token).await?;
    Ok((app, actor))
}

fn write(path: &PathBuf, xml: &str) -> Result<(), Failure> {
    std::fs::write(path, xml).map_err(|e| Failure::io(format!("{}: {e}", path.display())))
}

pub fn payouts(command: PayoutCommand) -> Result<(), Failure> {
    runtime()?.block_on(async {
        match command {
            PayoutCommand::Create {
                session: s,
                entity,
                date,
                output,
                idempotency_key,
            } => {
                let (app, actor) = session(&s).await?;
                let input = NewPayoutBatch {
                    entity_id: id("entity", &entity)?,
                    execution_date: date.parse().map_err(|_| {
                        Failure::input(format!("date: \"{date}\" is not a date like 2026-01-31"))
                    })?,
                };
                let idem = idempotency_key
                    .as_deref()
                    .map(|k| {
                        Idempotency::for_input(k, &input)
                            .map_err(|e| Failure::input(e.to_string()))
                    })
                    .transpose()?;
                let batch = app
                    .create_payout_batch(&actor, &input, idem.as_ref())
                    .await
                    .map_err(app_failure)?;
                let (_, xml) = app
                    .payout_file(&actor, &batch.batch.id)
                    .await
                    .map_err(app_failure)?;
                write(&output, &xml)?;
                if s.json {
                    print_json(&batch);
                } else {
                    println!(
                        "payout batch {} ({}): {} transfers, {} EUR, execution {}; pain.001 written to {}",
                        batch.batch.message_id,
                        batch.batch.id,
                        batch.batch.transfers,
                        batch.batch.total,
                        batch.batch.execution_date,
                        output.display()
                    );
                    for l in &batch.lines {
                        println!(
                            "  {:<7} {:>12}  {}  {}  {}",
                            l.kind,
                            l.amount.to_string(),
                            l.iban,
                            l.creditor_name,
                            l.remittance
                        );
                    }
                    for k in &batch.skipped {
                        println!("  skipped {} {}: {}", k.kind, k.source_id, k.reason);
                    }
                }
                app.store.close().await;
            }
            PayoutCommand::List { session: s } => {
                let (app, actor) = session(&s).await?;
                let list = app
                    .payout_batches(&actor, None)
                    .await
                    .map_err(app_failure)?;
                if s.json {
                    print_json(&list);
                } else {
                    for b in &list {
                        println!(
                            "{}  {}  {}  {:>9}  {:>3} transfers  {:>12}",
                            b.id,
                            b.message_id,
                            b.execution_date,
                            b.status,
                            b.transfers,
                            b.total.to_string()
                        );
                    }
                    println!("{} batches", list.len());
                }
                app.store.close().await;
            }
            PayoutCommand::File {
                session: s,
                batch,
                output,
            } => {
                let (app, actor) = session(&s).await?;
                let (_, xml) = app
                    .payout_file(&actor, &batch)
                    .await
                    .map_err(app_failure)?;
                write(&output, &xml)?;
                app.store.close().await;
            }
            PayoutCommand::Reject {
                session: s,
                batch,
                reason,
            } => {
                let (app, actor) = session(&s).await?;
                let b = app
                    .reject_payout_batch(&actor, &batch, &reason, None)
                    .await
                    .map_err(app_failure)?;
                if s.json {
                    print_json(&b);
                } else {
                    println!(
                        "payout batch {} rejected: {} transfers voided",
                        b.batch.message_id,
                        b.lines.iter().filter(|l| l.status == "rejected").count()
                    );
                }
                app.store.close().await;
            }
        }
        Ok(())
    })
}

pub fn statements(command: StatementCommand) -> Result<(), Failure> {
    runtime()?.block_on(async {
        match command {
            StatementCommand::Import { session: s, file } => {
                let bytes = std::fs::read(&file)
                    .map_err(|e| Failure::io(format!("{}: {e}", file.display())))?;
                let (app, actor) = session(&s).await?;
                let r = app
                    .import_statement(&actor, &bytes, None)
                    .await
                    .map_err(app_failure)?;
                if s.json {
                    print_json(&r);
                } else {
                    println!("{} {}", r.version, r.message_id);
                    for st in &r.statements {
                        println!(
                            "  statement {}{}: {} new lines ({} known already): {} matched, {} queued, {} payout debits, {} other",
                            st.statement_id,
                            if st.already_imported {
                                " (imported before)"
                            } else {
                                ""
                            },
                            st.new_lines,
                            st.known_lines,
                            st.matched,
                            st.queued,
                            st.payout_lines,
                            st.other_lines
                        );
                        println!(
                            "    {} payments, {} invoices paid in full, {} payout transfers confirmed, {} batches confirmed",
                            st.payments.len(),
                            st.invoices_paid.len(),
                            st.payouts_confirmed.len(),
                            st.batches_confirmed.len()
                        );
                    }
                }
                app.store.close().await;
            }
            StatementCommand::Queue {
                session: s,
                entity,
                all,
            } => {
                let (app, actor) = session(&s).await?;
                let entity = entity.as_deref().map(|e| id("entity", e)).transpose()?;
                let queue = app
                    .reconciliation_queue(&actor, entity, all)
                    .await
                    .map_err(app_failure)?;
                if s.json {
                    print_json(&queue);
                } else {
                    for q in &queue {
                        println!(
                            "{}  {}  {:>12}  {:<16} {}  {}",
                            q.line.fingerprint,
                            q.line.booking_date,
                            q.line.amount.to_string(),
                            q.resolution.as_deref().unwrap_or(&q.reason),
                            q.line.counterparty_name.as_deref().unwrap_or("?"),
                            q.line.remittance
                        );
                    }
                    println!("{} lines", queue.len());
                }
                app.store.close().await;
            }
            StatementCommand::Assign {
                session: s,
                line,
                invoices,
            } => {
                let (app, actor) = session(&s).await?;
                let input = Assignment {
                    invoice_ids: invoices
                        .iter()
                        .map(|i| id("invoice", i))
                        .collect::<Result<_, _>>()?,
                };
                let r = app
                    .assign_bank_line(&actor, &line, &input, None)
                    .await
                    .map_err(app_failure)?;
                if s.json {
                    print_json(&r);
                } else {
                    for p in &r.payments {
                        println!("  {} EUR to invoice {}", p.amount, p.invoice_id);
                    }
                    if r.item.line.excess.is_positive() {
                        println!("  {} EUR paid beyond the invoices", r.item.line.excess);
                    }
                }
                app.store.close().await;
            }
            StatementCommand::Dismiss {
                session: s,
                line,
                reason,
            } => {
                let (app, actor) = session(&s).await?;
                let r = app
                    .dismiss_bank_line(&actor, &line, &Dismissal { reason })
                    .await
                    .map_err(app_failure)?;
                if s.json {
                    print_json(&r);
                }
                app.store.close().await;
            }
        }
        Ok(())
    })
}
