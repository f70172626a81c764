//! Accounting exports from the stored books: the French FEC, the CSV general ledger, the
//! trial balance, an activity's budget statement, the balance sheet and the P&L, for one
//! entity. The writers are `ensemble_ledger::export`'s, fed with what the store holds, so the
//! file is the one the pure exporter writes for the same transfers.
//!
//! Staff with the books in hand (accountants and administrators) export through the API;
//! `ensemble export …` exports from the database it opens.

use ensemble_domain::coop::LegalId;
use ensemble_domain::people::Role;
use ensemble_domain::{ActivityId, EntityId, Invalid};
use ensemble_ledger::export::{self, ExportError, FecSeparator, FiscalYear};
use ensemble_ledger::{Account, Book};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{Actor, App, AppError, AppResult};

/// Which export, with its parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExportRequest {
    /// The FEC of a calendar fiscal year (French entities).
    Fec {
        year: i16,
    },
    /// Every posted movement between two dates (inclusive) with running balances.
    GeneralLedger {
        from: Date,
        to: Date,
        analytic: bool,
    },
    TrialBalance {
        date: Date,
        analytic: bool,
    },
    ActivityStatement {
        activity: ActivityId,
        from: Date,
        to: Date,
    },
    BalanceSheet {
        date: Date,
    },
    ProfitAndLoss {
        from: Date,
        to: Date,
    },
}

/// An export as a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

fn export_error(e: ExportError) -> AppError {
    match e {
        ExportError::NotFrench { .. } => {
            AppError::Invalid(Invalid::new("entity", format!("{e}: the FEC is French")))
        }
        ExportError::FiscalYear { .. } => AppError::Invalid(Invalid::new("year", e.to_string())),
        other => AppError::Internal(other.to_string()),
    }
}

fn csv(name: String, text: String) -> ExportFile {
    ExportFile {
        file_name: name,
        content_type: "text/csv; charset=utf-8",
        bytes: text.into_bytes(),
    }
}

fn book(analytic: bool) -> Book {
    if analytic {
        Book::Analytic
    } else {
        Book::General
    }
}

impl App {
    /// An export of an entity's books (accountants and administrators).
    pub async fn export(
        &self,
        actor: &Actor,
        entity: EntityId,
        request: &ExportRequest,
    ) -> AppResult<ExportFile> {
        if !matches!(actor.role, Role::Accountant | Role::Admin) {
            return Err(AppError::forbidden(
                "only accountants and administrators export the books",
            ));
        }
        self.export_job(entity, request).await
    }

    /// [`App::export`] for `ensemble export`: whoever opens the database.
    pub async fn export_job(
        &self,
        entity: EntityId,
        request: &ExportRequest,
    ) -> AppResult<ExportFile> {
        let mut tx = self.store.read().await?;
        let e = tx.entity(entity).await?;
        let accounts: Vec<Account> = tx
            .ledger_accounts(entity)
            .await?
            .into_iter()
            .map(|a| a.0)
            .collect();
        let entries = tx.ledger_journal(entity).await?;
        drop(tx);
        let chart = crate::ledger::books_of(&e).chart();
        Ok(match request {
            ExportRequest::Fec { year } => {
                let LegalId::Siret(siret) = &e.legal_id else {
                    return Err(Invalid::new(
                        "entity",
                        "the FEC is the French tax administration's: this entity is not French",
                    )
                    .into());
                };
                let file = export::fec(
                    &siret.siren(),
                    entity,
                    FiscalYear::calendar(*year),
                    &accounts,
                    &entries,
                    FecSeparator::Tab,
                )
                .map_err(export_error)?;
                ExportFile {
                    file_name: file.file_name,
                    content_type: "text/plain; charset=iso-8859-15",
                    bytes: file.bytes,
                }
            }
            ExportRequest::GeneralLedger { from, to, analytic } => csv(
                format!("general-ledger-{from}-{to}.csv"),
                export::general_ledger_csv(
                    entity,
                    book(*analytic),
                    *from,
                    *to,
                    &accounts,
                    &entries,
                )
                .map_err(export_error)?,
            ),
            ExportRequest::TrialBalance { date, analytic } => csv(
                format!("trial-balance-{date}.csv"),
                export::trial_balance(entity, book(*analytic), *date, &accounts, &entries)
                    .map_err(export_error)?
                    .to_csv(),
            ),
            ExportRequest::ActivityStatement { activity, from, to } => {
                let mut tx = self.store.read().await?;
                let a = tx.activity(*activity).await?;
                if a.entity_id != entity {
                    return Err(Invalid::new(
                        "activity",
                        "that activity belongs to another entity",
                    )
                    .into());
                }
                csv(
                    format!("activity-statement-{from}-{to}.csv"),
                    export::activity_statement(entity, *activity, *from, *to, &entries)
                        .map_err(export_error)?
                        .to_csv(),
                )
            }
            ExportRequest::BalanceSheet { date } => csv(
                format!("balance-sheet-{date}.csv"),
                export::balance_sheet(entity, chart, *date, &accounts, &entries)
                    .map_err(export_error)?
                    .to_csv(),
            ),
            ExportRequest::ProfitAndLoss { from, to } => csv(
                format!("profit-and-loss-{from}-{to}.csv"),
                export::profit_and_loss(entity, chart, *from, *to, &accounts, &entries)
                    .map_err(export_error)?
                    .to_csv(),
            ),
        })
    }
}
