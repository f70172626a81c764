//! Property tests: any sequence of business events keeps every entity's books balanced, no
//! activity budget goes below zero (a salary beyond the budget passes only with a guarantee
//! advance), `check()` and the hash chain pass, any single altered field is found, a failure
//! in the middle of a batch leaves nothing behind, and replays change nothing.

use ensemble_domain::{ActivityId, ClientId, Country, EntityId, FeePolicy, MemberId, Money, Rate};
use ensemble_ledger::chart::{Chart, Role};
use ensemble_ledger::export::{balance_sheet, trial_balance};
use ensemble_ledger::rules::*;
use ensemble_ledger::{
    Account, AccountId, Book, EventId, Hash32, Ledger, LedgerError, Outcome, Owner, Phase, Posting,
    Transfer, TransferId, verify_chain,
};
use jiff::civil::Date;
use proptest::prelude::*;
use uuid::Uuid;

#[derive(Clone, Debug)]
enum Op {
    Invoice {
        entity: u8,
        activity: u8,
        client: u8,
        excl: i64,
    },
    Pay {
        pick: usize,
        percent: u8,
    },
    Salary {
        entity: u8,
        activity: u8,
        member: u8,
        gross: i64,
    },
    ExpenseApprove {
        entity: u8,
        activity: u8,
        member: u8,
        excl: i64,
        vat: bool,
    },
    ExpenseSettle {
        pick: usize,
        percent: u8,
        reject: bool,
    },
    PayoutStart {
        entity: u8,
        member: u8,
        salary: bool,
    },
    PayoutSettle {
        pick: usize,
        confirm: bool,
    },
    WriteOff {
        pick: usize,
    },
    Repay {
        entity: u8,
        activity: u8,
    },
    Shares {
        entity: u8,
        member: u8,
        deduct: bool,
    },
    Replay {
        pick: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..2u8, 0..3u8, 0..2u8, 100i64..500_000)
            .prop_map(|(entity, activity, client, excl)| Op::Invoice { entity, activity, client, excl }),
        4 => (any::<usize>(), 1..=120u8).prop_map(|(pick, percent)| Op::Pay { pick, percent }),
        3 => (0..2u8, 0..3u8, 0..2u8, 5_000i64..400_000)
            .prop_map(|(entity, activity, member, gross)| Op::Salary { entity, activity, member, gross }),
        2 => (0..2u8, 0..3u8, 0..2u8, 100i64..50_000, any::<bool>())
            .prop_map(|(entity, activity, member, excl, vat)| Op::ExpenseApprove { entity, activity, member, excl, vat }),
        2 => (any::<usize>(), 0..=100u8, any::<bool>())
            .prop_map(|(pick, percent, reject)| Op::ExpenseSettle { pick, percent, reject }),
        2 => (0..2u8, 0..2u8, any::<bool>()).prop_map(|(entity, member, salary)| Op::PayoutStart { entity, member, salary }),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(pick, confirm)| Op::PayoutSettle { pick, confirm }),
        1 => any::<usize>().prop_map(|pick| Op::WriteOff { pick }),
        2 => (0..2u8, 0..3u8).prop_map(|(entity, activity)| Op::Repay { entity, activity }),
        1 => (0..2u8, 0..2u8, any::<bool>()).prop_map(|(entity, member, deduct)| Op::Shares { entity, member, deduct }),
        2 => any::<usize>().prop_map(|pick| Op::Replay { pick }),
    ]
}

struct Invoice {
    books: EntityBooks,
    activity: Party<ActivityId>,
    client: Party<ClientId>,
    figures: InvoiceFigures,
    paid: Money,
    closed: bool,
}

struct Claim {
    books: EntityBooks,
    approval: EventId,
    member: Party<MemberId>,
    activity: Party<ActivityId>,
    amounts: ExpenseAmounts,
}

struct Payout {
    books: EntityBooks,
    event: EventId,
    member: Party<MemberId>,
    purpose: PayoutPurpose,
    amount: Money,
}

struct Sim {
    ledger: Ledger,
    books: [EntityBooks; 2],
    n: u64,
    invoices: Vec<Invoice>,
    claims: Vec<Claim>,
    payouts: Vec<Payout>,
    postings: Vec<Posting>,
    advances: u64,
}

fn uuid(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn activity(entity: u8, a: u8) -> Party<ActivityId> {
    Party::new(
        ActivityId::from_uuid(uuid(0xA000 + u128::from(entity) * 16 + u128::from(a))),
        format!("Activity {entity}-{a}"),
    )
}

fn member(entity: u8, m: u8) -> Party<MemberId> {
    Party::new(
        MemberId::from_uuid(uuid(0xB000 + u128::from(entity) * 16 + u128::from(m))),
        format!("Member {entity}-{m}"),
    )
}

fn client(c: u8) -> Party<ClientId> {
    Party::new(
        ClientId::from_uuid(uuid(0xC000 + u128::from(c))),
        format!("Client {c}"),
    )
}

fn cents(c: i64) -> Money {
    Money::from_cents(c)
}

impl Sim {
    fn new() -> Sim {
        Sim {
            ledger: Ledger::new(),
            books: [
                EntityBooks::new(EntityId::from_uuid(uuid(1)), Country::Fr),
                EntityBooks::new(EntityId::from_uuid(uuid(2)), Country::Be),
            ],
            n: 0,
            invoices: Vec::new(),
            claims: Vec::new(),
            payouts: Vec::new(),
            postings: Vec::new(),
            advances: 0,
        }
    }

    fn event(&mut self, what: &str) -> Event {
        self.n += 1;
        let date = Date::constant(2026, 1, 1)
            .checked_add(jiff::Span::new().days((self.n / 4) as i64))
            .expect("date");
        Event::new(
            EventId::new(format!("{what}-{}", self.n)).expect("id"),
            date,
            format!("DOC-{}", self.n),
            format!("{what} number {}", self.n),
        )
    }

    fn apply(&mut self, p: Posting) {
        let results = self.ledger.apply(&p).expect("a valid posting is accepted");
        assert!(results.iter().all(|r| r.outcome == Outcome::Created));
        self.postings.push(p);
    }

    fn available(&self, books: &EntityBooks, a: &Party<ActivityId>) -> Money {
        self.ledger
            .balance(&books.budget(a.id))
            .map_or(Money::ZERO, |b| b.available_credit())
    }

    fn run(&mut self, op: &Op) {
        match *op {
            Op::Invoice {
                entity,
                activity: a,
                client: c,
                excl,
            } => {
                let books = self.books[usize::from(entity)];
                let (activity, client) = (activity(entity, a), client(c));
                let excl = cents(excl);
                let rate = Rate::from_ppm(if books.country == Country::Fr {
                    200_000
                } else {
                    210_000
                });
                let vat = rate.of(excl);
                let fee_amount = FeePolicy::standard(books.country).fee_on(excl);
                let ev = self.event("inv");
                let p = invoice_issued(
                    &books,
                    &InvoiceIssued {
                        event: ev.clone(),
                        activity: activity.clone(),
                        client: client.clone(),
                        excl_vat: excl,
                        vat,
                    },
                )
                .expect("invoice")
                .then(
                    fee(
                        &books,
                        &FeeCharged {
                            event: ev.clone(),
                            activity: activity.clone(),
                            amount: fee_amount,
                        },
                    )
                    .expect("fee"),
                )
                .then(
                    guarantee_contribution(
                        &books,
                        &GuaranteeContribution {
                            event: ev,
                            amount: fee_amount.prorate(1, 5),
                        },
                    )
                    .expect("contribution"),
                );
                self.apply(p);
                self.invoices.push(Invoice {
                    books,
                    activity,
                    client,
                    figures: InvoiceFigures {
                        total: excl + vat,
                        vat,
                        budget_share: excl - fee_amount,
                    },
                    paid: Money::ZERO,
                    closed: false,
                });
            }
            Op::Pay { pick, percent } => {
                let open: Vec<usize> = (0..self.invoices.len())
                    .filter(|&i| !self.invoices[i].closed)
                    .collect();
                if open.is_empty() {
                    return;
                }
                let i = open[pick % open.len()];
                let ev = self.event("pay");
                let inv = &self.invoices[i];
                let remaining = inv.figures.total - inv.paid;
                let amount = remaining.prorate(i64::from(percent), 100).max(cents(1));
                let p = payment_received(
                    &inv.books,
                    &PaymentReceived {
                        event: ev,
                        activity: inv.activity.clone(),
                        client: inv.client.clone(),
                        invoice: inv.figures,
                        paid_before: inv.paid,
                        amount,
                    },
                )
                .expect("payment");
                self.apply(p);
                let inv = &mut self.invoices[i];
                inv.paid += amount;
                inv.closed = inv.paid >= inv.figures.total;
            }
            Op::Salary {
                entity,
                activity: a,
                member: m,
                gross,
            } => {
                let books = self.books[usize::from(entity)];
                let (activity, member) = (activity(entity, a), member(entity, m));
                let gross = cents(gross);
                let part = |ppm| Rate::from_ppm(ppm).of(gross);
                let (ee_ss, ee_other, tax) = (part(150_000), part(70_000), part(40_000));
                let (er_ss, er_other) = (part(350_000), part(75_000));
                let ev = self.event("sal");
                let slip = salary(
                    &books,
                    &SalaryPosted {
                        event: ev.clone(),
                        member,
                        activity: activity.clone(),
                        gross,
                        employee_social_security: ee_ss,
                        employee_other_bodies: ee_other,
                        withholding_tax: tax,
                        net_payable: gross - ee_ss - ee_other - tax,
                        employer_social_security: er_ss,
                        employer_other_bodies: er_other,
                        employer_cost: gross + er_ss + er_other,
                    },
                )
                .expect("salary");
                let cost = gross + er_ss + er_other;
                let available = self.available(&books, &activity);
                if cost > available {
                    // Without an advance the budget refuses, and nothing is written.
                    let before = self.ledger.clone();
                    let err = self.ledger.apply(&slip).expect_err("the budget refuses");
                    assert!(matches!(err, LedgerError::ExceedsCredits { .. }), "{err}");
                    assert!(self.ledger == before);
                    let advance = guarantee_advance(
                        &books,
                        &GuaranteeAdvance {
                            event: ev,
                            activity,
                            amount: cost - available,
                        },
                    )
                    .expect("advance");
                    self.advances += 1;
                    self.apply(advance.then(slip));
                } else {
                    self.apply(slip);
                }
            }
            Op::ExpenseApprove {
                entity,
                activity: a,
                member: m,
                excl,
                vat,
            } => {
                let books = self.books[usize::from(entity)];
                let (activity, member) = (activity(entity, a), member(entity, m));
                let amounts = ExpenseAmounts {
                    excl_vat: cents(excl),
                    vat: if vat {
                        Rate::from_ppm(200_000).of(cents(excl))
                    } else {
                        Money::ZERO
                    },
                };
                let ev = self.event("exp");
                let approval = ev.id.clone();
                let p = expense_approved(
                    &books,
                    &ExpenseApproved {
                        event: ev,
                        member: member.clone(),
                        activity: activity.clone(),
                        amounts,
                    },
                )
                .expect("expense");
                if amounts.excl_vat > self.available(&books, &activity) {
                    let before = self.ledger.clone();
                    assert!(matches!(
                        self.ledger.apply(&p),
                        Err(LedgerError::ExceedsCredits { .. })
                    ));
                    assert!(self.ledger == before);
                    return;
                }
                self.apply(p);
                self.claims.push(Claim {
                    books,
                    approval,
                    member,
                    activity,
                    amounts,
                });
            }
            Op::ExpenseSettle {
                pick,
                percent,
                reject,
            } => {
                if self.claims.is_empty() {
                    return;
                }
                let c = self.claims.remove(pick % self.claims.len());
                let ev = self.event("exp-settle");
                let p = if reject {
                    expense_rejected(
                        &c.books,
                        &ExpenseRejected {
                            event: ev,
                            approval: c.approval,
                            member: c.member,
                            activity: c.activity,
                            approved: c.amounts,
                        },
                    )
                } else {
                    let part = |m: Money| m.prorate(i64::from(percent), 100);
                    expense_paid(
                        &c.books,
                        &ExpensePaid {
                            event: ev,
                            approval: c.approval,
                            member: c.member,
                            activity: c.activity,
                            approved: c.amounts,
                            accepted: ExpenseAmounts {
                                excl_vat: part(c.amounts.excl_vat),
                                vat: part(c.amounts.vat),
                            },
                        },
                    )
                }
                .expect("settlement");
                self.apply(p);
            }
            Op::PayoutStart {
                entity,
                member: m,
                salary,
            } => {
                let books = self.books[usize::from(entity)];
                let member = member(entity, m);
                let (purpose, role) = if salary {
                    (PayoutPurpose::Salary, Role::SalariesPayable)
                } else {
                    (PayoutPurpose::ExpenseClaims, Role::MemberCurrentAccount)
                };
                let id = books.account_id(role, Some(Owner::Member(member.id)));
                let Some(b) = self.ledger.balance(&id) else {
                    return;
                };
                let due = b.credits_posted - b.debits_posted - b.debits_pending;
                if !due.is_positive() {
                    return;
                }
                let ev = self.event("payout");
                let event = ev.id.clone();
                self.apply(
                    payout_initiated(
                        &books,
                        &PayoutInitiated {
                            event: ev,
                            member: member.clone(),
                            purpose,
                            amount: due,
                        },
                    )
                    .expect("payout"),
                );
                self.payouts.push(Payout {
                    books,
                    event,
                    member,
                    purpose,
                    amount: due,
                });
            }
            Op::PayoutSettle { pick, confirm } => {
                if self.payouts.is_empty() {
                    return;
                }
                let po = self.payouts.remove(pick % self.payouts.len());
                let ev = self.event("payout-settle");
                let settled = PayoutSettled {
                    event: ev,
                    payout: po.event,
                    member: po.member,
                    purpose: po.purpose,
                    amount: po.amount,
                };
                let p = if confirm {
                    payout_confirmed(&po.books, &settled)
                } else {
                    payout_rejected(&po.books, &settled)
                };
                self.apply(p.expect("settlement"));
            }
            Op::WriteOff { pick } => {
                let open: Vec<usize> = (0..self.invoices.len())
                    .filter(|&i| !self.invoices[i].closed)
                    .collect();
                if open.is_empty() {
                    return;
                }
                let i = open[pick % open.len()];
                let ev = self.event("wo");
                let inv = &self.invoices[i];
                let p = write_off(
                    &inv.books,
                    &WriteOff {
                        event: ev,
                        activity: inv.activity.clone(),
                        client: inv.client.clone(),
                        invoice: inv.figures,
                        paid_before: inv.paid,
                    },
                )
                .expect("write-off");
                self.apply(p);
                self.invoices[i].closed = true;
            }
            Op::Repay {
                entity,
                activity: a,
            } => {
                let books = self.books[usize::from(entity)];
                let activity = activity(entity, a);
                let owed = self
                    .ledger
                    .balance(&books.advances(activity.id))
                    .map_or(Money::ZERO, |b| b.available_debit());
                let amount = owed.min(self.available(&books, &activity));
                if !amount.is_positive() {
                    return;
                }
                let ev = self.event("repay");
                self.apply(
                    advance_repayment(
                        &books,
                        &GuaranteeAdvance {
                            event: ev,
                            activity,
                            amount,
                        },
                    )
                    .expect("repay"),
                );
            }
            Op::Shares {
                entity,
                member: m,
                deduct,
            } => {
                let books = self.books[usize::from(entity)];
                let ev = self.event("shares");
                self.apply(
                    share_subscription(
                        &books,
                        &ShareSubscription {
                            event: ev,
                            member: member(entity, m),
                            amount: Money::from_euros(30),
                            settlement: if deduct {
                                ShareSettlement::SalaryDeduction
                            } else {
                                ShareSettlement::Bank
                            },
                        },
                    )
                    .expect("shares"),
                );
            }
            Op::Replay { pick } => {
                if self.postings.is_empty() {
                    return;
                }
                let p = self.postings[pick % self.postings.len()].clone();
                let before = self.ledger.clone();
                let results = self.ledger.apply(&p).expect("a replay is accepted");
                assert!(results.iter().all(|r| r.outcome == Outcome::Replayed));
                assert!(self.ledger == before, "a replay changes nothing");
            }
        }
    }

    fn budgets_never_negative(&self) {
        for (account, balance) in self.ledger.accounts() {
            if account.flags.debits_must_not_exceed_credits {
                assert!(
                    !balance.available_credit().is_negative(),
                    "{} below zero",
                    account.id
                );
            }
            if account.flags.credits_must_not_exceed_debits {
                assert!(
                    !balance.available_debit().is_negative(),
                    "{} overpaid",
                    account.id
                );
            }
        }
    }

    fn accounts_of(&self, entity: EntityId) -> Vec<Account> {
        self.ledger
            .accounts()
            .into_iter()
            .filter(|(a, _)| a.id.entity == entity)
            .map(|(a, _)| a.clone())
            .collect()
    }
}

fn simulate(ops: &[Op]) -> Sim {
    let mut sim = Sim::new();
    for op in ops {
        sim.run(op);
        sim.budgets_never_negative();
    }
    sim
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_sequence_of_events_keeps_the_books_balanced(ops in prop::collection::vec(op(), 1..80)) {
        let sim = simulate(&ops);
        let report = sim.ledger.check();
        prop_assert!(report.is_ok(), "{:?}", report.problems);
        for b in &report.books {
            prop_assert_eq!(b.debits_posted, b.credits_posted);
            prop_assert_eq!(b.debits_pending, b.credits_pending);
        }
        prop_assert!(sim.ledger.verify().is_ok());
        let end = Date::constant(2027, 12, 31);
        for books in sim.books {
            let accounts = sim.accounts_of(books.entity);
            let journal = sim.ledger.journal(books.entity);
            for book in [Book::General, Book::Analytic] {
                let tb = trial_balance(books.entity, book, end, &accounts, journal).expect("trial balance");
                prop_assert!(tb.is_balanced());
            }
            let sheet = balance_sheet(books.entity, Chart::for_country(books.country), end, &accounts, journal)
                .expect("balance sheet");
            prop_assert_eq!(sheet.total_assets, sheet.total_liabilities_and_equity);
        }
    }

    #[test]
    fn any_single_altered_field_is_found(
        ops in prop::collection::vec(op(), 5..40),
        entry_pick in any::<usize>(),
        transfer_pick in any::<usize>(),
        field in 0..17usize,
    ) {
        let sim = simulate(&ops);
        let books = sim.books.iter().copied().max_by_key(|b| sim.ledger.journal(b.entity).len()).expect("books");
        let mut entries = sim.ledger.journal(books.entity).to_vec();
        prop_assume!(!entries.is_empty());
        prop_assert!(verify_chain(books.entity, &entries).is_ok());
        let k = entry_pick % entries.len();
        let e = &mut entries[k];
        let other_account = books.fund();
        match field {
            13 => e.hash.0[0] ^= 1,
            14 => e.previous_hash = Hash32([7; 32]),
            15 => e.seq += 1,
            16 => e.entity = EntityId::from_uuid(uuid(99)),
            f => {
                let i = transfer_pick % e.transfers.len();
                let t: &mut Transfer = &mut e.transfers[i];
                match f {
                    0 => t.id = TransferId::new(format!("{}x", t.id)).expect("id"),
                    1 => t.debit = if t.debit == other_account { t.credit } else { other_account },
                    2 => t.credit = if t.credit == other_account { t.debit } else { other_account },
                    3 => t.amount += Money::from_cents(1),
                    4 => t.phase = if t.phase == Phase::Single { Phase::Pending } else { Phase::Single },
                    5 => t.code = if t.code == ensemble_ledger::EventCode::Adjustment { ensemble_ledger::EventCode::Fee } else { ensemble_ledger::EventCode::Adjustment },
                    6 => t.journal = if t.journal == ensemble_ledger::Journal::Opening { ensemble_ledger::Journal::Bank } else { ensemble_ledger::Journal::Opening },
                    7 => t.event = EventId::new(format!("{}x", t.event)).expect("id"),
                    8 => t.date = t.date.tomorrow().expect("date"),
                    9 => t.document.push('x'),
                    10 => t.document_date = t.document_date.yesterday().expect("date"),
                    11 => t.label.push('x'),
                    _ => t.label = String::new() + &t.label.to_uppercase() + "!",
                }
            }
        }
        let err = verify_chain(books.entity, &entries).expect_err("an altered entry is found");
        prop_assert_eq!(err.position, k);
    }

    #[test]
    fn a_failure_in_the_middle_of_a_batch_leaves_nothing(
        ops in prop::collection::vec(op(), 0..30),
        position in any::<usize>(),
        failure in 0..6u8,
    ) {
        let mut sim = simulate(&ops);
        let books = sim.books[0];
        let a = activity(0, 0);
        // A valid batch: an advance, then a salary of seven legs.
        let ev = sim.event("batch");
        let gross = Money::from_euros(1000);
        let mut batch = guarantee_advance(&books, &GuaranteeAdvance { event: ev.clone(), activity: a.clone(), amount: Money::from_euros(1500) })
            .expect("advance")
            .then(salary(&books, &SalaryPosted {
                event: ev, member: member(0, 0), activity: a.clone(), gross,
                employee_social_security: Money::from_euros(150), employee_other_bodies: Money::from_euros(70),
                withholding_tax: Money::from_euros(40), net_payable: Money::from_euros(740),
                employer_social_security: Money::from_euros(350), employer_other_bodies: Money::from_euros(75),
                employer_cost: Money::from_euros(1425),
            }).expect("salary"));
        let k = position % batch.transfers.len();
        let existing: Option<Transfer> = sim.ledger.journal(books.entity).iter()
            .flat_map(|e| e.transfers.iter()).next().cloned();
        let t = &mut batch.transfers[k];
        match failure {
            0 => t.debit = AccountId::new(books.entity, t.debit.book, t.debit.code, Some(Owner::Member(MemberId::from_uuid(uuid(0xDEAD))))),
            1 => t.amount = Money::ZERO,
            2 => match existing {
                Some(mut e) => { e.amount += Money::from_cents(1); *t = e; }
                None => t.amount = Money::from_cents(-5),
            },
            3 => { t.debit = books.budget(a.id); t.credit = books.account_id(Role::SalariesCharged, None); t.amount = ensemble_ledger::MAX_AMOUNT; }
            4 => t.phase = Phase::Post(TransferId::new("nowhere:pending").expect("id")),
            _ => t.credit = AccountId::new(EntityId::from_uuid(uuid(2)), t.credit.book, t.credit.code, None),
        }
        let before = sim.ledger.clone();
        let count = sim.ledger.transfer_count();
        prop_assert!(sim.ledger.apply(&batch).is_err());
        prop_assert_eq!(sim.ledger.transfer_count(), count);
        prop_assert!(sim.ledger == before, "the ledger is exactly as before");
        prop_assert!(sim.ledger.check().is_ok());
    }
}

#[test]
fn a_long_random_history_uses_advances_and_keeps_the_budget_statements_consistent() {
    // A fixed long sequence, to make sure the simulator exercises advances and write-offs.
    let mut ops = Vec::new();
    for i in 0..400u64 {
        let x = (i * 2654435761) % 1000;
        ops.push(match i % 11 {
            0 | 1 => Op::Invoice {
                entity: (x % 2) as u8,
                activity: (x % 3) as u8,
                client: (x % 2) as u8,
                excl: 1000 + (x as i64) * 331,
            },
            2 | 3 => Op::Pay {
                pick: x as usize,
                percent: (x % 120 + 1) as u8,
            },
            4 => Op::Salary {
                entity: (x % 2) as u8,
                activity: (x % 3) as u8,
                member: (x % 2) as u8,
                gross: 10_000 + (x as i64) * 97,
            },
            5 => Op::ExpenseApprove {
                entity: (x % 2) as u8,
                activity: (x % 3) as u8,
                member: 0,
                excl: 500 + x as i64,
                vat: x % 2 == 0,
            },
            6 => Op::ExpenseSettle {
                pick: x as usize,
                percent: (x % 101) as u8,
                reject: x % 5 == 0,
            },
            7 => Op::PayoutStart {
                entity: (x % 2) as u8,
                member: (x % 2) as u8,
                salary: x % 3 != 0,
            },
            8 => Op::PayoutSettle {
                pick: x as usize,
                confirm: x % 4 != 0,
            },
            9 => {
                if x % 3 == 0 {
                    Op::WriteOff { pick: x as usize }
                } else {
                    Op::Repay {
                        entity: (x % 2) as u8,
                        activity: (x % 3) as u8,
                    }
                }
            }
            _ => Op::Replay { pick: x as usize },
        });
    }
    let sim = simulate(&ops);
    assert!(sim.advances > 0, "advances were exercised");
    assert!(sim.ledger.check().is_ok());
    assert!(sim.ledger.verify().is_ok());
    // Each activity's statement closes on the ledger's balances.
    for (e, books) in sim.books.iter().enumerate() {
        for a in 0..3u8 {
            let activity = activity(e as u8, a);
            let st = ensemble_ledger::export::activity_statement(
                books.entity,
                activity.id,
                Date::constant(2026, 1, 1),
                Date::constant(2027, 12, 31),
                sim.ledger.journal(books.entity),
            )
            .expect("statement");
            let bal = |id| sim.ledger.balance(&id).unwrap_or_default();
            let available = bal(books.budget(activity.id));
            assert_eq!(st.closing.available, available.net_credit());
            assert_eq!(st.closing.reserved, available.debits_pending);
            assert_eq!(
                st.closing.awaiting_payment,
                bal(books.budget_awaiting(activity.id)).net_credit()
            );
            assert_eq!(
                st.closing.owed_to_fund,
                bal(books.advances(activity.id)).net_debit()
            );
        }
    }
}
