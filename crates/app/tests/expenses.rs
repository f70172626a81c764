//! Expense claims through the use cases, on SQLite and (with ENSEMBLE_TEST_DATABASE_URL) on
//! PostgreSQL: drafts that survive, VAT to the cent, receipts stored once under their hash,
//! submission, approval by staff only, reimbursement from the budget, and members who see only
//! their own claims. Refusals write nothing.

use std::sync::Arc;

#[macro_use]
#[path = "common/stores.rs"]
mod stores;
use stores::eur;

use ensemble_app::activities::BudgetAdjustment;
use ensemble_app::expenses::{
    ExpenseDraft, ExpenseLineInput, NewExpenseClaim, ReceiptUpload, receipt_path,
};
use ensemble_app::inputs::Rejection;
use ensemble_app::testing::{Fixture, fixture};
use ensemble_app::{App, AppError, FixedClock, Idempotency};
use ensemble_domain::expense::{ExpenseCategory, ExpenseStatus, ReceiptMediaType};
use ensemble_domain::{Money, Rate};
use ensemble_store::testing::TestStore;
use jiff::civil::date;

fn now() -> jiff::Timestamp {
    "2026-10-20T10:00:00Z".parse().expect("timestamp")
}

fn pct(s: &str) -> Rate {
    s.parse().expect("rate")
}

/// A folder of its own for each test's receipt files.
fn data_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("ensemble-expenses-{}", uuid_like()))
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A data folder of its own for the test's receipt files.
async fn prepare(f: &mut Fixture) {
    f.app.data_dir = data_dir();
}

fn finish(f: &Fixture) {
    let _ = std::fs::remove_dir_all(&f.app.data_dir);
}

fn line(day: i8, description: &str, amount: &str, rate: &str) -> ExpenseLineInput {
    ExpenseLineInput {
        date: date(2026, 10, day),
        description: description.into(),
        category: Some("travel".into()),
        amount: eur(amount),
        vat_rate: pct(rate),
        vat: None,
        receipt: None,
        no_receipt_reason: None,
    }
}

fn new_claim(f: &Fixture, lines: Vec<ExpenseLineInput>) -> NewExpenseClaim {
    NewExpenseClaim {
        activity_id: f.be_activity.id,
        member_id: None,
        title: "Shoot in Liège".into(),
        lines,
    }
}

/// A small valid PDF-looking file, different for each `n`.
fn pdf(n: u32) -> Vec<u8> {
    format!("%PDF-1.4\n% receipt {n}\n%%EOF\n").into_bytes()
}

fn upload(bytes: Vec<u8>, line: Option<usize>) -> ReceiptUpload {
    ReceiptUpload {
        file_name: "ticket.pdf".into(),
        media_type: Some("application/pdf".into()),
        bytes,
        line,
    }
}

async fn count(f: &Fixture, table: &str) -> i64 {
    let mut tx = f.app.store.read().await.expect("read");
    tx.count_rows(table).await.expect("count")
}

async fn budget(f: &Fixture) -> Money {
    f.app
        .activity(&f.advisor, f.be_activity.id)
        .await
        .expect("activity")
        .activity
        .budget
}

/// Rows of every table the expenses feature writes.
async fn snapshot(f: &Fixture) -> Vec<i64> {
    let mut counts = Vec::new();
    for t in [
        "expense_claims",
        "receipts",
        "expense_receipts",
        "budget_movements",
        "sequences",
        "idempotency_keys",
    ] {
        counts.push(count(f, t).await);
    }
    counts
}

on_every_store!(a_draft_survives_a_new_session, |f| {
    let claim = f
        .app
        .create_expense_claim(
            &f.alice.actor,
            &NewExpenseClaim {
                activity_id: f.be_activity.id,
                member_id: None,
                title: String::new(),
                lines: Vec::new(),
            },
            None,
        )
        .await
        .expect("an empty draft");
    assert_eq!(claim.status, ExpenseStatus::Draft);
    assert_eq!(claim.number, None, "a draft has no number");
    assert_eq!(claim.member_id, f.alice.member.id);

    // Every change is a save.
    f.app
        .save_expense_draft(
            &f.alice.actor,
            claim.id,
            &ExpenseDraft {
                title: "Tour".into(),
                lines: vec![line(3, "Train Bruxelles–Liège", "33.60", "6")],
            },
        )
        .await
        .expect("first save");
    let saved = f
        .app
        .save_expense_draft(
            &f.alice.actor,
            claim.id,
            &ExpenseDraft {
                title: "Tour in Wallonia".into(),
                lines: vec![
                    line(3, "Train Bruxelles–Liège", "33.60", "6"),
                    line(4, "Taxi to the venue", "18.40", "6"),
                ],
            },
        )
        .await
        .expect("second save");

    // A new application on the same database: the member logged out and came back.
    let again = App::new(
        f.app.store.clone(),
        Arc::new(FixedClock(now())),
        f.app.data_dir.clone(),
    );
    let read = again
        .expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("the draft is still there");
    assert_eq!(read.claim, saved);
    assert_eq!(read.claim.title, "Tour in Wallonia");
    assert_eq!(read.claim.lines.len(), 2);
    assert_eq!(read.claim.totals.amount, eur("52.00"));
    let mine = again
        .expense_claims(&f.alice.actor, None)
        .await
        .expect("my claims");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status, ExpenseStatus::Draft);
    assert_eq!(count(&f, "expense_claims").await, 1);
});

on_every_store!(lines_carry_their_vat_to_the_cent, |f| {
    let mut given = line(6, "Dinner with the crew", "48.00", "12");
    given.category = Some("meals".into());
    given.vat = Some(eur("5.15"));
    let mut zero = line(7, "Museum ticket", "12.00", "0");
    zero.category = None;
    let claim = f
        .app
        .create_expense_claim(
            &f.alice.actor,
            &new_claim(
                &f,
                vec![
                    line(3, "Train Bruxelles–Liège", "33.60", "6"),
                    line(5, "USB cable", "10.00", "21"),
                    given,
                    zero,
                    line(8, "Parking", "0.03", "20"),
                ],
            ),
            None,
        )
        .await
        .expect("draft");
    let l = &claim.lines;
    // 33.60 × 6 / 106 = 1.9018 → 1.90
    assert_eq!((l[0].vat, l[0].net), (eur("1.90"), eur("31.70")));
    // 10.00 × 21 / 121 = 1.7355 → 1.74
    assert_eq!((l[1].vat, l[1].net), (eur("1.74"), eur("8.26")));
    // As printed on the receipt.
    assert_eq!((l[2].vat, l[2].net), (eur("5.15"), eur("42.85")));
    assert_eq!(l[2].category, ExpenseCategory::Meals);
    assert_eq!((l[3].vat, l[3].net), (eur("0.00"), eur("12.00")));
    assert_eq!(l[3].category, ExpenseCategory::Other);
    // 0.03 × 20 / 120 = 0.005: half up → 0.01
    assert_eq!((l[4].vat, l[4].net), (eur("0.01"), eur("0.02")));
    let t = &claim.totals;
    assert_eq!(t.amount, eur("103.63"));
    assert_eq!(t.vat, eur("8.80"));
    assert_eq!(t.net, eur("94.83"));
    assert_eq!(t.amount, t.vat + t.net);
    let rates: Vec<(Rate, Money)> = t.by_rate.iter().map(|s| (s.rate, s.vat)).collect();
    assert_eq!(
        rates,
        vec![
            (pct("0"), eur("0.00")),
            (pct("6"), eur("1.90")),
            (pct("12"), eur("5.15")),
            (pct("20"), eur("0.01")),
            (pct("21"), eur("1.74")),
        ]
    );
    // Read back from the store: the same cents.
    let read = f
        .app
        .expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("read");
    assert_eq!(read.claim.totals, claim.totals);
    assert_eq!(read.claim.lines, claim.lines);

    // Bad lines are refused with the field and the line, and change nothing.
    let before = snapshot(&f).await;
    for (bad, field) in [
        (line(3, "Train", "-4.00", "6"), "lines.amount"),
        (line(3, "Train", "4.00", "210"), "lines.vat_rate"),
        (line(3, " ", "4.00", "6"), "lines.description"),
        (line(25, "Train", "4.00", "6"), "lines.date"),
        (
            ExpenseLineInput {
                vat: Some(eur("5.00")),
                ..line(3, "Train", "4.00", "6")
            },
            "lines.vat",
        ),
        (
            ExpenseLineInput {
                category: Some("spaceship".into()),
                ..line(3, "Train", "4.00", "6")
            },
            "lines.category",
        ),
        (
            ExpenseLineInput {
                receipt: Some("ab".repeat(32)),
                ..line(3, "Train", "4.00", "6")
            },
            "lines.receipt",
        ),
    ] {
        let err = f
            .app
            .save_expense_draft(
                &f.alice.actor,
                claim.id,
                &ExpenseDraft {
                    title: "Tour".into(),
                    lines: vec![line(3, "Fine", "1.00", "6"), bad],
                },
            )
            .await
            .expect_err("refused");
        match err {
            AppError::Invalid(i) => {
                assert_eq!(i.field, field, "{i}");
                assert!(i.message.starts_with("line 2: "), "{i}");
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    assert_eq!(snapshot(&f).await, before);
    let unchanged = f
        .app
        .expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("read");
    assert_eq!(unchanged.claim, read.claim);
});

on_every_store!(receipts_are_stored_once_under_their_hash, |f| {
    let claim = f
        .app
        .create_expense_claim(
            &f.alice.actor,
            &new_claim(&f, vec![line(3, "Train", "33.60", "6")]),
            None,
        )
        .await
        .expect("draft");
    let bytes = pdf(1);
    let first = f
        .app
        .attach_receipt(
            &f.alice.actor,
            claim.id,
            upload(bytes.clone(), Some(0)),
            None,
        )
        .await
        .expect("attached");
    let hash = first.receipt.hash.clone();
    // SHA-256 of the bytes, as `sha256sum` prints it.
    assert_eq!(hash.as_str().len(), 64);
    assert!(!first.duplicate);
    assert_eq!(first.receipt.size, bytes.len() as i64);
    assert_eq!(first.receipt.media_type, ReceiptMediaType::Pdf);
    assert_eq!(first.receipt.file_name, "ticket.pdf");
    assert_eq!(first.claim.lines[0].receipt.as_ref(), Some(&hash));
    let path = receipt_path(&f.app.data_dir, &hash);
    assert_eq!(
        path,
        f.app
            .data_dir
            .join("receipts")
            .join(&hash.as_str()[..2])
            .join(hash.as_str())
    );
    assert_eq!(std::fs::read(&path).expect("the file"), bytes);

    // The same content again, on another claim of Bob's under another name: one file, one
    // receipt row, two attachments; each member sees their own name for it.
    let bobs = f
        .app
        .create_expense_claim(
            &f.bob.actor,
            &new_claim(&f, vec![line(3, "Train", "33.60", "6")]),
            None,
        )
        .await
        .expect("Bob's draft");
    let second = f
        .app
        .attach_receipt(
            &f.bob.actor,
            bobs.id,
            ReceiptUpload {
                file_name: "C:\\Users\\bob\\scan 12.pdf".into(),
                ..upload(bytes.clone(), None)
            },
            None,
        )
        .await
        .expect("attached again");
    assert!(second.duplicate);
    assert_eq!(second.receipt.hash, hash);
    assert_eq!(second.receipt.file_name, "scan 12.pdf");
    assert_eq!(second.claim.lines[0].receipt, None, "no line was named");
    assert_eq!(count(&f, "receipts").await, 1);
    assert_eq!(count(&f, "expense_receipts").await, 2);
    let files: Vec<_> = std::fs::read_dir(path.parent().expect("folder"))
        .expect("shard folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, vec![hash.to_string()], "one file, no temporary left");

    // Readable by its members and staff, with its type; unknown to anyone else.
    let (record, read) = f
        .app
        .receipt_file(&f.alice.actor, &hash)
        .await
        .expect("Alice reads it");
    assert_eq!(read, bytes);
    assert_eq!(record.file_name, "ticket.pdf");
    let (record, _) = f
        .app
        .receipt_file(&f.bob.actor, &hash)
        .await
        .expect("Bob reads it");
    assert_eq!(record.file_name, "scan 12.pdf");
    f.app
        .receipt_file(&f.advisor, &hash)
        .await
        .expect("staff read it");
    assert!(matches!(
        f.app.receipt_file(&f.dave.actor, &hash).await,
        Err(AppError::NotFound { .. })
    ));
    let detail = f
        .app
        .expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("detail");
    assert_eq!(detail.receipts.len(), 1);

    // Not a receipt: refused before anything is written.
    let before = snapshot(&f).await;
    for (bad, media) in [
        (b"GIF89a...".to_vec(), "image/gif"),
        (Vec::new(), "application/pdf"),
        (pdf(2), "image/png"),
    ] {
        let err = f
            .app
            .attach_receipt(
                &f.alice.actor,
                claim.id,
                ReceiptUpload {
                    media_type: Some(media.into()),
                    ..upload(bad, None)
                },
                None,
            )
            .await
            .expect_err("refused");
        assert!(
            matches!(&err, AppError::Invalid(i) if i.field == "file"),
            "{err:?}"
        );
    }
    // A line that does not exist: the file is content-addressed, the rows are not written.
    let err = f
        .app
        .attach_receipt(&f.alice.actor, claim.id, upload(pdf(3), Some(5)), None)
        .await
        .expect_err("no line 5");
    assert!(
        matches!(&err, AppError::Invalid(i) if i.field == "line"),
        "{err:?}"
    );
    assert_eq!(snapshot(&f).await, before);
    // Another member cannot attach to Alice's draft.
    assert!(matches!(
        f.app
            .attach_receipt(&f.dave.actor, claim.id, upload(pdf(4), None), None)
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(snapshot(&f).await, before);
});

on_every_store!(submission_needs_a_receipt_or_a_reason, |f| {
    let claim = f
        .app
        .create_expense_claim(
            &f.alice.actor,
            &new_claim(
                &f,
                vec![
                    line(3, "Train", "33.60", "6"),
                    line(4, "Parking meter", "4.00", "21"),
                ],
            ),
            None,
        )
        .await
        .expect("draft");
    let before = snapshot(&f).await;
    let err = f
        .app
        .submit_expense_claim(&f.alice.actor, claim.id)
        .await
        .expect_err("no receipts");
    match err {
        AppError::Invalid(i) => {
            assert_eq!(i.field, "lines.receipt");
            assert!(i.message.contains("line 1 (Train, 33.60)"), "{}", i.message);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(snapshot(&f).await, before, "no number taken");
    let read = f
        .app
        .expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("read");
    assert_eq!(read.claim.status, ExpenseStatus::Draft);
    assert_eq!(read.claim.number, None);

    // A receipt on the first line, a reason on the second.
    let attached = f
        .app
        .attach_receipt(&f.alice.actor, claim.id, upload(pdf(1), Some(0)), None)
        .await
        .expect("receipt");
    let mut lines = vec![
        line(3, "Train", "33.60", "6"),
        line(4, "Parking meter", "4.00", "21"),
    ];
    lines[0].receipt = Some(attached.receipt.hash.to_string());
    lines[1].no_receipt_reason = Some("the meter gives no ticket".into());
    f.app
        .save_expense_draft(
            &f.alice.actor,
            claim.id,
            &ExpenseDraft {
                title: "Shoot in Liège".into(),
                lines,
            },
        )
        .await
        .expect("saved");
    let submitted = f
        .app
        .submit_expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("submitted");
    assert_eq!(submitted.status, ExpenseStatus::Submitted);
    assert_eq!(
        submitted.number.map(|n| n.to_string()).as_deref(),
        Some("EXP-BE-2026-000001")
    );
    // A submitted claim is no longer a draft.
    let err = f
        .app
        .save_expense_draft(
            &f.alice.actor,
            claim.id,
            &ExpenseDraft {
                title: "Changed".into(),
                lines: Vec::new(),
            },
        )
        .await
        .expect_err("not editable");
    assert_eq!(err.code(), "not_editable");
    let err = f
        .app
        .submit_expense_claim(&f.alice.actor, claim.id)
        .await
        .expect_err("twice");
    assert_eq!(err.code(), "not_editable");

    // Rejected, corrected, submitted again: the same number.
    f.app
        .reject_expense_claim(
            &f.advisor,
            claim.id,
            &Rejection {
                reason: "The parking is a personal expense.".into(),
            },
        )
        .await
        .expect("rejected");
    let draft = f
        .app
        .save_expense_draft(
            &f.alice.actor,
            claim.id,
            &ExpenseDraft {
                title: "Shoot in Liège".into(),
                lines: vec![ExpenseLineInput {
                    receipt: Some(attached.receipt.hash.to_string()),
                    ..line(3, "Train", "33.60", "6")
                }],
            },
        )
        .await
        .expect("edited again");
    assert_eq!(draft.status, ExpenseStatus::Draft);
    assert_eq!(
        draft.rejection.as_deref(),
        Some("The parking is a personal expense.")
    );
    let again = f
        .app
        .submit_expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("submitted again");
    assert_eq!(again.number, submitted.number);
    assert_eq!(again.rejection, None);
    assert_eq!(again.totals.amount, eur("33.60"));
});

/// A submitted claim of Alice's for 53.60 (33.60 + 20.00), with receipts.
async fn submitted(f: &Fixture) -> ensemble_domain::expense::ExpenseClaim {
    let claim = f
        .app
        .create_expense_claim(
            &f.alice.actor,
            &new_claim(
                f,
                vec![
                    line(3, "Train", "33.60", "6"),
                    line(4, "Taxi", "20.00", "6"),
                ],
            ),
            None,
        )
        .await
        .expect("draft");
    for (i, n) in [(0, 10), (1, 11)] {
        f.app
            .attach_receipt(&f.alice.actor, claim.id, upload(pdf(n), Some(i)), None)
            .await
            .expect("receipt");
    }
    f.app
        .submit_expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("submitted")
}

on_every_store!(only_staff_approve, |f| {
    let claim = submitted(&f).await;
    let queue = f.app.validation_queue(&f.advisor).await.expect("queue");
    assert_eq!(queue.expenses.len(), 1);
    assert_eq!(queue.expenses[0].id, claim.id);
    assert!(matches!(
        f.app.validation_queue(&f.alice.actor).await,
        Err(AppError::Forbidden(_))
    ));
    for member in [&f.alice.actor, &f.bob.actor] {
        assert!(matches!(
            f.app.approve_expense_claim(member, claim.id).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            f.app
                .reject_expense_claim(
                    member,
                    claim.id,
                    &Rejection {
                        reason: "no".into()
                    }
                )
                .await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            f.app.reimburse_expense_claim(member, claim.id, None).await,
            Err(AppError::Forbidden(_))
        ));
    }
    let still = f
        .app
        .expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("read");
    assert_eq!(still.claim.status, ExpenseStatus::Submitted);

    // A rejection needs a reason.
    let err = f
        .app
        .reject_expense_claim(&f.advisor, claim.id, &Rejection { reason: " ".into() })
        .await
        .expect_err("no reason");
    assert!(matches!(&err, AppError::Invalid(i) if i.field == "reason"));

    let approved = f
        .app
        .approve_expense_claim(&f.advisor, claim.id)
        .await
        .expect("approved");
    assert_eq!(approved.status, ExpenseStatus::Approved);
    assert!(
        f.app
            .validation_queue(&f.advisor)
            .await
            .expect("queue")
            .expenses
            .is_empty()
    );
    let err = f
        .app
        .approve_expense_claim(&f.advisor, claim.id)
        .await
        .expect_err("twice");
    assert_eq!(err.code(), "not_submitted");
});

on_every_store!(reimbursement_debits_the_budget_to_the_cent, |f| {
    let claim = submitted(&f).await;
    f.app
        .adjust_budget(
            &f.admin,
            f.be_activity.id,
            &BudgetAdjustment {
                amount: eur("100.00"),
                label: "Opening balance".into(),
            },
            None,
        )
        .await
        .expect("budget");
    // Not approved yet.
    let err = f
        .app
        .reimburse_expense_claim(&f.advisor, claim.id, None)
        .await
        .expect_err("submitted only");
    assert_eq!(err.code(), "not_approved");
    f.app
        .approve_expense_claim(&f.advisor, claim.id)
        .await
        .expect("approved");
    let movements = count(&f, "budget_movements").await;
    let key = Idempotency::new("reimburse-1", b"{}").expect("key");
    let paid = f
        .app
        .reimburse_expense_claim(&f.advisor, claim.id, Some(&key))
        .await
        .expect("reimbursed");
    assert_eq!(paid.claim.status, ExpenseStatus::Reimbursed);
    assert_eq!(paid.movement.kind, "expense");
    assert_eq!(paid.movement.amount, eur("-53.60"));
    assert_eq!(paid.movement.document, "EXP-BE-2026-000001");
    assert_eq!(paid.budget, eur("46.40"));
    assert_eq!(budget(&f).await, eur("46.40"));
    assert_eq!(count(&f, "budget_movements").await, movements + 1);
    // A replay returns the first result and pays nothing more.
    let replay = f
        .app
        .reimburse_expense_claim(&f.advisor, claim.id, Some(&key))
        .await
        .expect("replay");
    assert_eq!(replay, paid);
    assert_eq!(budget(&f).await, eur("46.40"));
    // Without the key, a second reimbursement is refused.
    let err = f
        .app
        .reimburse_expense_claim(&f.advisor, claim.id, None)
        .await
        .expect_err("paid already");
    assert_eq!(err.code(), "not_approved");
    assert_eq!(budget(&f).await, eur("46.40"));
    assert_eq!(count(&f, "budget_movements").await, movements + 1);
    let detail = f
        .app
        .activity(&f.alice.actor, f.be_activity.id)
        .await
        .expect("activity");
    let last = detail.movements.last().expect("a movement");
    assert_eq!(last.amount, eur("-53.60"));
    assert!(last.label.contains("EXP-BE-2026-000001"), "{}", last.label);

    // The books: the approval reserved the expense, its VAT and the budget (pending), the
    // fund advancing the budget the activity's books did not hold yet; the reimbursement
    // posted the reservations.
    let excl = paid.claim.totals.amount - paid.claim.totals.vat;
    let mut tx = f.app.store.read().await.expect("read");
    let approval = tx
        .ledger_event(&ensemble_ledger::EventId::new(claim.id.to_string()).expect("id"))
        .await
        .expect("approval");
    let legs: Vec<(&str, &str, Money)> = approval
        .iter()
        .map(|t| {
            (
                t.id.as_str().rsplit(':').next().unwrap_or(""),
                t.phase.tag(),
                t.amount,
            )
        })
        .collect();
    assert_eq!(
        legs,
        vec![
            ("advance", "single", excl),
            ("expense", "pending", excl),
            ("expense-vat", "pending", paid.claim.totals.vat),
            ("expense-budget", "pending", excl),
        ]
    );
    let payment = tx
        .ledger_event(&ensemble_ledger::EventId::new(format!("{}-paid", claim.id)).expect("id"))
        .await
        .expect("payment");
    assert_eq!(payment.len(), 3);
    assert!(payment.iter().all(|t| t.phase.tag() == "post"));
    drop(tx);
    assert!(f.app.ledger_check().await.expect("check").is_ok());
});

on_every_store!(an_insufficient_budget_refuses_and_writes_nothing, |f| {
    let claim = submitted(&f).await;
    f.app
        .adjust_budget(
            &f.admin,
            f.be_activity.id,
            &BudgetAdjustment {
                amount: eur("53.59"),
                label: "Opening balance".into(),
            },
            None,
        )
        .await
        .expect("budget");
    f.app
        .approve_expense_claim(&f.advisor, claim.id)
        .await
        .expect("approved");
    let before = snapshot(&f).await;
    let key = Idempotency::new("reimburse-2", b"{}").expect("key");
    let err = f
        .app
        .reimburse_expense_claim(&f.advisor, claim.id, Some(&key))
        .await
        .expect_err("one cent short");
    assert_eq!(err.code(), "insufficient_budget");
    assert!(matches!(err, AppError::Conflict { .. }));
    assert_eq!(snapshot(&f).await, before, "no movement, no key, nothing");
    assert_eq!(budget(&f).await, eur("53.59"));
    let read = f
        .app
        .expense_claim(&f.advisor, claim.id)
        .await
        .expect("read");
    assert_eq!(read.claim.status, ExpenseStatus::Approved);
});

on_every_store!(another_member_sees_nothing_of_a_draft, |f| {
    let claim = f
        .app
        .create_expense_claim(
            &f.alice.actor,
            &new_claim(&f, vec![line(3, "Train", "33.60", "6")]),
            None,
        )
        .await
        .expect("draft");
    let before = snapshot(&f).await;
    // Dave has no role on the activity; Bob works on it, but the draft is Alice's.
    for other in [&f.dave.actor, &f.bob.actor, &f.claire.actor] {
        assert!(matches!(
            f.app.expense_claim(other, claim.id).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            f.app
                .save_expense_draft(
                    other,
                    claim.id,
                    &ExpenseDraft {
                        title: "mine now".into(),
                        lines: Vec::new()
                    }
                )
                .await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            f.app.submit_expense_claim(other, claim.id).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(
            f.app
                .expense_claims(other, None)
                .await
                .expect("their list")
                .is_empty(),
            "no one else lists it"
        );
    }
    // Nor can a member file a claim for someone else, or on an activity not theirs.
    assert!(matches!(
        f.app
            .create_expense_claim(
                &f.bob.actor,
                &NewExpenseClaim {
                    member_id: Some(f.alice.member.id),
                    ..new_claim(&f, Vec::new())
                },
                None
            )
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        f.app
            .create_expense_claim(&f.dave.actor, &new_claim(&f, Vec::new()), None)
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(snapshot(&f).await, before);
    let read = f
        .app
        .expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("Alice's");
    assert_eq!(read.claim.title, "Shoot in Liège");
    assert_eq!(
        f.app
            .expense_claims(&f.advisor, None)
            .await
            .expect("staff")
            .len(),
        1
    );
});

on_every_store!(creating_replays_its_idempotency_key, |f| {
    let input = new_claim(&f, vec![line(3, "Train", "33.60", "6")]);
    let key = Idempotency::for_input("claim-1", &input).expect("key");
    let first = f
        .app
        .create_expense_claim(&f.alice.actor, &input, Some(&key))
        .await
        .expect("created");
    let again = f
        .app
        .create_expense_claim(&f.alice.actor, &input, Some(&key))
        .await
        .expect("replayed");
    assert_eq!(first, again);
    assert_eq!(count(&f, "expense_claims").await, 1);
    let other = NewExpenseClaim {
        title: "Another".into(),
        ..input.clone()
    };
    let reused = Idempotency::for_input("claim-1", &other).expect("key");
    let err = f
        .app
        .create_expense_claim(&f.alice.actor, &other, Some(&reused))
        .await
        .expect_err("same key, other request");
    assert_eq!(err.code(), "idempotency_key_reused");
    assert_eq!(count(&f, "expense_claims").await, 1);
});
