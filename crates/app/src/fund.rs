//! The guarantee fund's calendar: working days and the public holidays of France and
//! Belgium, Easter computed. Salaries of declared work are due at most N working days after
//! the work ([`add_working_days`]).
//!
//! Sources:
//! - France: Code du travail, article L3133-1 (fêtes légales): 1 January, Easter Monday,
//!   1 May, 8 May, Ascension Day, Whit Monday, 14 July, 15 August, 1 November, 11 November,
//!   25 December. (Alsace-Moselle adds Good Friday and 26 December, local law, not handled.)
//! - Belgium: loi du 4 janvier 1974 relative aux jours fériés and arrêté royal du 18 avril
//!   1974, article 1: 1 January, Easter Monday, 1 May, Ascension Day, Whit Monday, 21 July,
//!   15 August, 1 November, 11 November, 25 December.
//! - Easter Sunday: the Gregorian computus, in the "anonymous" algorithm published by
//!   Meeus (Astronomical Algorithms, 1991, chapter 8), valid for every Gregorian year.

use ensemble_domain::Country;
use jiff::civil::{Date, Weekday};

/// Easter Sunday of a Gregorian year.
pub fn easter(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // month is 3 or 4 and day 1..=31 by construction.
    Date::new(year, month as i8, day as i8).unwrap_or(Date::constant(2000, 4, 23))
}

fn plus_days(d: Date, days: i64) -> Date {
    d.checked_add(jiff::Span::new().days(days)).unwrap_or(d)
}

/// The public holidays of `country` in `year`, in date order.
pub fn public_holidays(country: Country, year: i16) -> Vec<Date> {
    let fixed: &[(i8, i8)] = match country {
        Country::Fr => &[
            (1, 1),
            (5, 1),
            (5, 8),
            (7, 14),
            (8, 15),
            (11, 1),
            (11, 11),
            (12, 25),
        ],
        Country::Be => &[
            (1, 1),
            (5, 1),
            (7, 21),
            (8, 15),
            (11, 1),
            (11, 11),
            (12, 25),
        ],
    };
    let e = easter(year);
    let mut days: Vec<Date> = fixed
        .iter()
        .filter_map(|&(m, d)| Date::new(year, m, d).ok())
        .collect();
    // Easter Monday, Ascension Day (Easter + 39), Whit Monday (Easter + 50): both countries.
    days.extend([plus_days(e, 1), plus_days(e, 39), plus_days(e, 50)]);
    days.sort();
    days
}

/// Whether `d` is a working day: Monday to Friday and not a public holiday.
pub fn is_working_day(country: Country, d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
        && !public_holidays(country, d.year()).contains(&d)
}

/// The `n`-th working day after `from` (`from` itself when `n` is 0).
pub fn add_working_days(country: Country, from: Date, n: u32) -> Date {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = plus_days(d, 1);
        if is_working_day(country, d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn easter_matches_the_published_dates() {
        // Dates as published in the ecclesiastical calendars.
        for (y, m, d) in [
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
        ] {
            assert_eq!(easter(y), date(y, m, d), "{y}");
        }
    }

    #[test]
    fn holidays_of_2026() {
        let be = public_holidays(Country::Be, 2026);
        assert_eq!(be.len(), 10);
        assert!(be.contains(&date(2026, 4, 6))); // Easter Monday
        assert!(be.contains(&date(2026, 5, 14))); // Ascension
        assert!(be.contains(&date(2026, 5, 25))); // Whit Monday
        assert!(be.contains(&date(2026, 7, 21)));
        assert!(!be.contains(&date(2026, 7, 14)));
        let fr = public_holidays(Country::Fr, 2026);
        assert_eq!(fr.len(), 11);
        assert!(fr.contains(&date(2026, 5, 8)));
        assert!(fr.contains(&date(2026, 7, 14)));
    }

    #[test]
    fn seven_working_days_skip_weekends_and_holidays() {
        // Friday 24 April 2026 + 7 working days: 27, 28, 29, 30 April, (1 May holiday), 4, 5,
        // 6 May → Wednesday 6 May in both countries.
        assert_eq!(
            add_working_days(Country::Be, date(2026, 4, 24), 7),
            date(2026, 5, 6)
        );
        // France also rests on 8 May: Tuesday 5 May + 7 → 6, 7, (8), 11, 12, 13, (14
        // Ascension), 15, 18 → Monday 18 May.
        assert_eq!(
            add_working_days(Country::Fr, date(2026, 5, 5), 7),
            date(2026, 5, 18)
        );
        // Belgium works on 8 May: 6, 7, 8, 11, 12, 13, (14), 15 → Friday 15 May.
        assert_eq!(
            add_working_days(Country::Be, date(2026, 5, 5), 7),
            date(2026, 5, 15)
        );
        assert_eq!(
            add_working_days(Country::Fr, date(2026, 5, 5), 0),
            date(2026, 5, 5)
        );
    }
}

pub use run::{AgeBucket, DunningAction, FundReport, FundRun};

mod run {
    use ensemble_domain::people::Role;
    use ensemble_domain::{EntityId, InvoiceId, Money};
    use ensemble_ledger::rules::{self, Event, InvoiceFigures, Party};
    use ensemble_store::ledger::{FundPolicy, Receivable, ReceivableStatus};
    use jiff::civil::Date;
    use serde::{Deserialize, Serialize};

    use crate::access::require_staff;
    use crate::ledger::{books_of, event_id, fund_policy, ledger_error};
    use crate::{Actor, App, AppError, AppResult};

    /// A dunning step taken by a run.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    pub struct DunningAction {
        pub invoice_id: InvoiceId,
        pub number: String,
        /// `reminder`, `second_reminder`, `formal_notice` or `write_off`.
        pub step: String,
        /// Days past the due date on the run's date.
        pub days_late: i64,
        /// What was still due.
        pub outstanding: Money,
    }

    /// What `ensemble fund run --date D` did.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    pub struct FundRun {
        pub actions: Vec<DunningAction>,
        /// The write-offs' total: what the fund paid the activities in place of the clients.
        pub written_off: Money,
    }

    /// Receivables past due by age.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    pub struct AgeBucket {
        /// `not_due`, `1-30`, `31-60`, `61-90`, `over_90` (days past the due date).
        pub bucket: String,
        pub invoices: usize,
        pub outstanding: Money,
    }

    /// The guarantee fund of an entity on a date.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    pub struct FundReport {
        pub entity_id: EntityId,
        #[schema(value_type = ensemble_domain::openapi::IsoDate)]
        pub date: Date,
        /// What the fund holds (analytic account 9300, net credit).
        pub balance: Money,
        /// What activities owe the fund (Σ of 9310, net debit).
        pub advances_outstanding: Money,
        pub receivables_at_risk: Vec<AgeBucket>,
        /// Outstanding receivables past due.
        pub past_due: Money,
        /// balance ÷ (advances outstanding + receivables past due), in parts per thousand;
        /// `None` when nothing is at risk.
        pub coverage_permille: Option<i64>,
    }

    fn days_between(from: Date, to: Date) -> i64 {
        to.since(from).map_or(0, |s| i64::from(s.get_days()))
    }

    /// The dunning steps in order, with the days past due each needs.
    fn steps(p: &ensemble_store::ledger::FundPolicy) -> [(&'static str, i64); 4] {
        [
            ("reminder", p.reminder_days),
            ("second_reminder", p.second_reminder_days),
            ("formal_notice", p.formal_notice_days),
            ("write_off", p.write_off_days),
        ]
    }

    impl App {
        /// The daily job of the guarantee fund (staff): for every open receivable past due on
        /// `date`, takes the dunning steps whose delay has passed (reminder, second reminder,
        /// formal notice), and writes off what is still unpaid after the write-off delay: the
        /// loss goes to the legal books and the fund pays the activity its budget share
        /// (which then repays the activity's advances). Running it again on the same date
        /// does nothing more. One transaction.
        pub async fn run_fund(&self, actor: &Actor, date: Date) -> AppResult<FundRun> {
            require_staff(actor)?;
            self.run_fund_job(date).await
        }

        /// [`App::run_fund`] as the daily job and `ensemble fund run` call it: whoever can
        /// open the database runs it.
        pub async fn run_fund_job(&self, date: Date) -> AppResult<FundRun> {
            let at = self.clock.micros();
            let mut tx = self.store.write().await?;
            let mut run = FundRun::default();
            for entity in tx.entities().await? {
                let policy = fund_policy(&mut *tx, entity.id).await?;
                let books = books_of(&entity);
                for mut r in tx.receivables(entity.id, true).await? {
                    let late = days_between(r.due_date, date);
                    if late <= 0 {
                        continue;
                    }
                    for (step, delay) in steps(&policy) {
                        if late < delay {
                            break;
                        }
                        if !tx.insert_dunning_step(r.invoice_id, step, date, at).await? {
                            continue;
                        }
                        run.actions.push(DunningAction {
                            invoice_id: r.invoice_id,
                            number: r.number.clone(),
                            step: step.to_string(),
                            days_late: late,
                            outstanding: r.total - r.paid,
                        });
                        if step == "write_off" {
                            run.written_off += write_off(&mut *tx, &books, &r, date, at).await?;
                            r.status = ReceivableStatus::WrittenOff;
                        }
                        r.dunning = step.to_string();
                        tx.update_receivable(&r).await?;
                    }
                }
            }
            tx.commit().await?;
            Ok(run)
        }

        /// The fund of an entity on `date` (staff).
        pub async fn fund_report(
            &self,
            actor: &Actor,
            entity: EntityId,
            date: Date,
        ) -> AppResult<FundReport> {
            require_staff(actor)?;
            self.fund_report_job(entity, date).await
        }

        /// [`App::fund_report`] for `ensemble fund report`.
        pub async fn fund_report_job(&self, entity: EntityId, date: Date) -> AppResult<FundReport> {
            let mut tx = self.store.read().await?;
            let e = tx.entity(entity).await?;
            let books = books_of(&e);
            let fund = books.fund();
            let mut balance = Money::ZERO;
            let mut advances = Money::ZERO;
            let advance_code = books
                .advances(ensemble_domain::ActivityId::from_uuid(uuid::Uuid::nil()))
                .code;
            for (a, b) in tx.ledger_accounts(entity).await? {
                if a.id == fund {
                    balance = b.net_credit();
                } else if a.id.book == fund.book && a.id.code == advance_code {
                    advances += b.net_debit();
                }
            }
            let names = ["not_due", "1-30", "31-60", "61-90", "over_90"];
            let mut buckets: Vec<AgeBucket> = names
                .iter()
                .map(|n| AgeBucket {
                    bucket: (*n).to_string(),
                    invoices: 0,
                    outstanding: Money::ZERO,
                })
                .collect();
            let mut past_due = Money::ZERO;
            for r in tx.receivables(entity, true).await? {
                let left = (r.total - r.paid).max(Money::ZERO);
                let late = days_between(r.due_date, date);
                let i = match late {
                    i64::MIN..=0 => 0,
                    1..=30 => 1,
                    31..=60 => 2,
                    61..=90 => 3,
                    _ => 4,
                };
                buckets[i].invoices += 1;
                buckets[i].outstanding += left;
                if i > 0 {
                    past_due += left;
                }
            }
            let exposure = advances + past_due;
            Ok(FundReport {
                entity_id: entity,
                date,
                balance,
                advances_outstanding: advances,
                receivables_at_risk: buckets,
                past_due,
                coverage_permille: exposure
                    .is_positive()
                    .then(|| balance.cents().saturating_mul(1000) / exposure.cents()),
            })
        }
    }

    /// Sets an entity's guarantee-fund policy (accountants and admins).
    pub(super) fn check_policy(p: &FundPolicy) -> AppResult<()> {
        let bad = |field: &'static str, rule: &str| {
            Err(AppError::Invalid(ensemble_domain::Invalid::new(
                field, rule,
            )))
        };
        if !(0..=1_000_000).contains(&p.fee_share_ppm) {
            return bad("fee_share_ppm", "between 0 and 1 000 000 (the whole fee)");
        }
        if !(0..=60).contains(&p.salary_working_days) {
            return bad("salary_working_days", "between 0 and 60 working days");
        }
        let d = [
            p.reminder_days,
            p.second_reminder_days,
            p.formal_notice_days,
            p.write_off_days,
        ];
        if d[0] < 1 || d.windows(2).any(|w| w[0] >= w[1]) || d[3] > 3650 {
            return bad(
                "reminder_days",
                "the delays grow strictly: reminder ≥ 1 < second reminder < formal notice < write-off ≤ 3650 days",
            );
        }
        Ok(())
    }

    impl App {
        pub async fn set_fund_policy(
            &self,
            actor: &Actor,
            entity: EntityId,
            policy: &FundPolicy,
        ) -> AppResult<FundPolicy> {
            if !matches!(actor.role, Role::Accountant | Role::Admin) {
                return Err(AppError::forbidden(
                    "only accountants and administrators set the fund's policy",
                ));
            }
            check_policy(policy)?;
            let mut tx = self.store.write().await?;
            tx.entity(entity).await?;
            tx.put_fund_policy(entity, policy, self.clock.micros())
                .await?;
            tx.commit().await?;
            Ok(*policy)
        }
    }

    /// Writes an unpaid receivable off: the legal loss, and the fund paying the activity the
    /// budget share it will not receive; the activity then repays its advances from it.
    async fn write_off(
        tx: &mut dyn ensemble_store::Tx,
        books: &rules::EntityBooks,
        r: &Receivable,
        date: Date,
        at: i64,
    ) -> AppResult<Money> {
        let activity = tx.activity(r.activity_id).await?;
        let client = tx.client(r.client_id).await?;
        let activity = Party::new(activity.id, activity.name);
        let event = Event::new(
            event_id(format!("wo-{}", r.invoice_id))?,
            date,
            r.number.clone(),
            format!("Créance irrécouvrable {} {}", r.number, client.name),
        );
        let figures = InvoiceFigures {
            total: r.total,
            vat: r.vat,
            budget_share: r.budget_share,
        };
        let posting = rules::write_off(
            books,
            &rules::WriteOff {
                event: event.clone(),
                activity: activity.clone(),
                client: Party::new(client.id, client.name),
                invoice: figures,
                paid_before: r.paid,
            },
        )
        .map_err(|e| AppError::Invalid(ensemble_domain::Invalid::new(e.field, e.message)))?;
        let covered = figures.budget_share - figures.share_paid(figures.budget_share, r.paid);
        // What the fund pays reaches the budget: repay the activity's advances from it.
        let budget = books.budget(activity.id);
        let available = tx
            .ledger_account(&budget)
            .await?
            .map_or(Money::ZERO, |(_, b)| b.available_credit())
            + covered;
        let owed = tx
            .ledger_account(&books.advances(activity.id))
            .await?
            .map_or(Money::ZERO, |(_, b)| b.available_debit());
        let repay = owed.min(available).max(Money::ZERO);
        let posting = if repay.is_positive() {
            posting.then(
                rules::advance_repayment(
                    books,
                    &rules::GuaranteeAdvance {
                        event,
                        activity,
                        amount: repay,
                    },
                )
                .map_err(|e| {
                    AppError::Invalid(ensemble_domain::Invalid::new(e.field, e.message))
                })?,
            )
        } else {
            posting
        };
        tx.post_ledger(&posting, at).await.map_err(ledger_error)?;
        Ok(r.total - r.paid)
    }
}
