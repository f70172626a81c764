//! Quotes (order forms) through the use cases, on SQLite and (with ENSEMBLE_TEST_DATABASE_URL)
//! on PostgreSQL: drafted, approved, sent as a link, accepted or refused through it once, and
//! an order invoiced once, crediting the activity's budget with its price less the fee.

#[macro_use]
#[path = "common/stores.rs"]
mod stores;
use stores::{eur, finish, now, prepare};

use std::sync::Arc;

use ensemble_app::inputs::{NewActivity, NewClient, Rejection, SalaryRequest};
use ensemble_app::quotes::{
    ClientAnswer, NewQuote, QuoteLineInput, QuoteLines, QuoteQuery, SentQuote,
};
use ensemble_app::testing::{Fixture, address, fixture};
use ensemble_app::{App, AppError, FixedClock, Idempotency};
use ensemble_domain::client::{Client, VatCategory};
use ensemble_domain::quote::{Quote, QuoteStatus};
use ensemble_domain::{ClientId, Lang, Money, PaymentReference, Rate};
use ensemble_store::testing::TestStore;
use jiff::civil::date;

fn line(description: &str, quantity: &str, unit: &str, price: &str) -> QuoteLineInput {
    QuoteLineInput {
        description: description.into(),
        quantity: quantity.into(),
        unit: unit.into(),
        unit_price: eur(price),
        vat_rate: None,
    }
}

fn reduced(mut l: QuoteLineInput, rate: &str) -> QuoteLineInput {
    l.vat_rate = Some(rate.parse::<Rate>().expect("rate"));
    l
}

fn be_quote(f: &Fixture, client: ClientId, lines: Vec<QuoteLineInput>) -> NewQuote {
    NewQuote {
        activity_id: f.be_activity.id,
        client_id: client,
        member_id: None,
        title: "Photographs of the 2026 season".into(),
        lines,
        validity_days: None,
        lang: None,
    }
}

/// The app with its clock on another day.
fn on_day(f: &Fixture, day: &str) -> App {
    let mut app = f.app.clone();
    app.clock = Arc::new(FixedClock(
        format!("{day}T10:00:00Z").parse().expect("timestamp"),
    ));
    app
}

async fn count(f: &Fixture, table: &str) -> i64 {
    let mut tx = f.app.store.read().await.expect("read");
    tx.count_rows(table).await.expect("count")
}

/// Rows of every table the quotes feature writes.
async fn snapshot(f: &Fixture) -> Vec<i64> {
    let mut counts = Vec::new();
    for t in [
        "quotes",
        "invoices",
        "budget_movements",
        "sequences",
        "clients",
        "idempotency_keys",
    ] {
        counts.push(count(f, t).await);
    }
    counts
}

/// A stored quote as it is in the database.
async fn stored(f: &Fixture, quote: &Quote) -> Quote {
    let mut tx = f.app.store.read().await.expect("read");
    tx.quote(quote.id).await.expect("stored quote")
}

/// Drafts, submits, approves (advisor) and sends a quote made by `actor`.
async fn sent(f: &Fixture, actor: &ensemble_app::Actor, input: &NewQuote) -> SentQuote {
    let q = f
        .app
        .create_quote(actor, input, None)
        .await
        .expect("drafted");
    f.app.submit_quote(actor, q.id).await.expect("submitted");
    f.app
        .approve_quote(&f.advisor, q.id)
        .await
        .expect("approved");
    f.app.send_quote(actor, q.id).await.expect("sent")
}

async fn client(f: &Fixture, name: &str, kind: &str, vat: Option<&str>, country: &str) -> Client {
    let (line, postcode, city) = match country {
        "BE" => ("Rue Neuve 5", "1000", "Bruxelles"),
        "FR" => ("5 rue de la Paix", "75002", "Paris"),
        "CH" => ("Bahnhofstrasse 1", "8001", "Zürich"),
        other => panic!("no address in {other}"),
    };
    f.app
        .create_client(
            &f.alice.actor,
            &NewClient {
                entity_id: f.be.id,
                kind: kind.into(),
                name: name.into(),
                address: address(line, postcode, city, country),
                vat_id: vat.map(str::to_string),
                company_id: None,
                peppol_id: None,
                email: None,
                lang: Some(Lang::En),
            },
            None,
        )
        .await
        .expect("client")
}

on_every_store!(a_quote_goes_from_draft_to_an_invoiced_order, |f| {
    let input = be_quote(
        &f,
        f.be_client.id,
        vec![
            line("Photo shoot", "4", "day", "750"),
            line("Retouching", "3.5", "hour", "80"),
        ],
    );
    let q = f
        .app
        .create_quote(&f.alice.actor, &input, None)
        .await
        .expect("drafted");
    assert_eq!(q.number.to_string(), "QUO-BE-2026-000001");
    assert_eq!(q.status, QuoteStatus::Draft);
    assert_eq!(q.member_id, f.alice.member.id);
    assert_eq!(q.issue_date, date(2026, 1, 20));
    assert_eq!(q.valid_until, date(2026, 2, 19), "30 days by default");
    assert_eq!(q.lang, Lang::Fr, "the client's language");
    assert_eq!(q.lines[0].unit_code, "DAY");
    assert_eq!(q.lines[1].unit_code, "HUR");
    assert_eq!(q.lines[1].net, eur("280"));
    assert_eq!(q.totals.net, eur("3280"));
    assert_eq!(q.totals.vat, eur("688.80"));
    assert_eq!(q.totals.with_vat, eur("3968.80"));
    assert_eq!(stored(&f, &q).await, q, "it reads back as written");

    // The draft is edited: a travel line; 21 % of 3 325.50 = 698.355 → 698.36.
    let mut lines = input.lines.clone();
    lines.push(line("Travel Brussels–Liège", "1", "unit", "45.50"));
    let q = f
        .app
        .edit_quote_lines(&f.alice.actor, q.id, &QuoteLines { lines })
        .await
        .expect("edited");
    assert_eq!(q.totals.net, eur("3325.50"));
    assert_eq!(q.totals.vat, eur("698.36"));
    assert_eq!(q.totals.with_vat, eur("4023.86"));

    // Submitted: it waits in the advisors' queue; a member cannot approve it.
    let q = f
        .app
        .submit_quote(&f.alice.actor, q.id)
        .await
        .expect("submitted");
    assert_eq!(q.status, QuoteStatus::Submitted);
    let queue = f.app.validation_queue(&f.advisor).await.expect("queue");
    assert_eq!(queue.quotes, vec![q.clone()]);
    assert_eq!(
        f.app
            .approve_quote(&f.alice.actor, q.id)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        f.app
            .edit_quote_lines(&f.alice.actor, q.id, &QuoteLines { lines: Vec::new() })
            .await
            .unwrap_err()
            .code(),
        "quote_not_draft"
    );
    // Sending needs the approval first.
    assert_eq!(
        f.app
            .send_quote(&f.alice.actor, q.id)
            .await
            .unwrap_err()
            .code(),
        "quote_not_approved"
    );
    let q = f
        .app
        .approve_quote(&f.advisor, q.id)
        .await
        .expect("approved");
    assert_eq!(q.status, QuoteStatus::Approved);
    assert!(
        f.app
            .validation_queue(&f.advisor)
            .await
            .expect("queue")
            .quotes
            .is_empty()
    );

    // Sent: a link whose token is shown once and stored only as a hash.
    let s = f.app.send_quote(&f.alice.actor, q.id).await.expect("sent");
    assert_eq!(s.quote.status, QuoteStatus::Sent);
    assert_eq!(s.token.len(), 64);
    assert!(s.token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(s.path, format!("/quotes/confirm/{}", s.token));

    // The client reads it without an account, and sees no internal id.
    let view = f.app.public_quote(&s.token).await.expect("client view");
    assert_eq!(view.number, q.number);
    assert_eq!(view.status, QuoteStatus::Sent);
    assert_eq!(view.issuer.name, "Ensemble Bruxelles");
    assert_eq!(view.activity, "Studio Alice");
    assert_eq!(view.member, "Alice Martin");
    assert_eq!(view.client.name, "Théâtre du Parc");
    assert_eq!(view.totals.with_vat, eur("4023.86"));
    let json = serde_json::to_string(&view).expect("json");
    for id in [
        q.id.to_string(),
        f.be.id.to_string(),
        f.be_activity.id.to_string(),
        f.be_client.id.to_string(),
        f.alice.member.id.to_string(),
    ] {
        assert!(!json.contains(&id), "the client view shows no id: {json}");
    }

    // Accepted: an order.
    let accepted = f
        .app
        .accept_quote(
            &s.token,
            &ClientAnswer {
                name: Some("  Marie Dubois ".into()),
                comment: None,
            },
        )
        .await
        .expect("accepted");
    assert_eq!(accepted.status, QuoteStatus::Accepted);
    let decision = accepted.decision.expect("decision");
    assert_eq!(decision.on, date(2026, 1, 20));
    assert_eq!(decision.name.as_deref(), Some("Marie Dubois"));
    let order = f.app.quote(&f.bob.actor, q.id).await.expect("order");
    assert!(order.is_order());

    // Invoiced: the quote's lines, a payment reference, due in 10 days, the budget credited
    // with 3 325.50 less the 6.5 % fee (216.1575 → 216.16) = 3 109.34.
    let o = f
        .app
        .invoice_order(&f.alice.actor, q.id, None)
        .await
        .expect("invoiced");
    let invoice = &o.invoice;
    assert_eq!(invoice.number.to_string(), "INV-BE-2026-000001");
    assert_eq!(invoice.lines, order.lines);
    assert_eq!(invoice.totals, order.totals);
    assert_eq!(invoice.due_date, date(2026, 1, 30));
    assert!(matches!(
        invoice.payment_reference,
        PaymentReference::Structured(_)
    ));
    assert_eq!(o.quote.invoice_id, Some(invoice.id));
    assert_eq!(o.fee, eur("216.16"));
    assert_eq!(o.movement.amount, eur("3109.34"));
    assert_eq!(o.movement.kind, "income");
    assert_eq!(o.movement.document, "INV-BE-2026-000001");
    let detail = f
        .app
        .activity(&f.alice.actor, f.be_activity.id)
        .await
        .expect("activity");
    assert_eq!(detail.activity.budget, eur("3109.34"));
    assert_eq!(
        f.app
            .invoice(&f.alice.actor, invoice.id)
            .await
            .expect("invoice"),
        *invoice
    );
    assert_eq!(stored(&f, &q).await, o.quote);

    // The budget pays a salary.
    let salary = f
        .app
        .salary_from_budget(
            &f.alice.actor,
            f.be_activity.id,
            &SalaryRequest {
                member_id: None,
                month: "2026-02".parse().expect("month"),
                budget: None,
                description: None,
            },
            None,
        )
        .await
        .expect("salary");
    assert!(salary.payslip.employer_cost <= eur("3109.34"));
    assert!(salary.budget_left < eur("0.05"), "{}", salary.budget_left);
});

on_every_store!(an_advisor_sends_a_quote_back_to_draft, |f| {
    let q = f
        .app
        .create_quote(
            &f.alice.actor,
            &be_quote(&f, f.be_client.id, Vec::new()),
            None,
        )
        .await
        .expect("drafted");
    // No line, no submission.
    let err = f.app.submit_quote(&f.alice.actor, q.id).await.unwrap_err();
    assert_eq!((err.code(), err.field()), ("invalid", Some("lines")));
    f.app
        .edit_quote_lines(
            &f.alice.actor,
            q.id,
            &QuoteLines {
                lines: vec![line("Concert", "1", "C62", "1200")],
            },
        )
        .await
        .expect("edited");
    f.app
        .submit_quote(&f.alice.actor, q.id)
        .await
        .expect("submitted");
    let back = f
        .app
        .reject_quote(
            &f.advisor,
            q.id,
            &Rejection {
                reason: "Add the sound engineer's day".into(),
            },
        )
        .await
        .expect("rejected");
    assert_eq!(back.status, QuoteStatus::Draft);
    assert_eq!(
        back.rejection.as_deref(),
        Some("Add the sound engineer's day")
    );
    assert_eq!(stored(&f, &q).await, back);
    assert_eq!(
        f.app
            .reject_quote(
                &f.advisor,
                q.id,
                &Rejection {
                    reason: "again".into()
                }
            )
            .await
            .unwrap_err()
            .code(),
        "quote_not_submitted"
    );
    let again = f
        .app
        .submit_quote(&f.alice.actor, q.id)
        .await
        .expect("submitted again");
    assert_eq!(again.rejection, None);
});

on_every_store!(vat_follows_the_client_situation, |f| {
    let concert = || line("Concert", "1", "C62", "1000");
    let vat_of = |q: &Quote| (q.lines[0].vat.category, q.lines[0].vat.rate, q.totals.vat);
    let make = |client: ClientId, lines: Vec<QuoteLineInput>| {
        let input = be_quote(&f, client, lines);
        let app = f.app.clone();
        let actor = f.alice.actor.clone();
        async move { app.create_quote(&actor, &input, None).await }
    };
    let s21 = (VatCategory::Standard, Rate::from_ppm(210_000), eur("210"));
    let none = |c| (c, Rate::ZERO, Money::ZERO);

    // A Belgian company and a Belgian person: Belgian VAT.
    let q = make(f.be_client.id, vec![concert()]).await.expect("quote");
    assert_eq!(vat_of(&q), s21);
    let person = client(&f, "Sophie Wuyts", "person", None, "BE").await;
    assert_eq!(
        vat_of(&make(person.id, vec![concert()]).await.expect("quote")),
        s21
    );
    // A private client elsewhere in the EU: still Belgian VAT (art. 45).
    let parisian = client(&f, "Julien Petit", "person", None, "FR").await;
    assert_eq!(
        vat_of(&make(parisian.id, vec![concert()]).await.expect("quote")),
        s21
    );
    // A German company with a VAT number: reverse charge, and the mention.
    let q = make(f.de_client.id, vec![concert()]).await.expect("quote");
    assert_eq!(vat_of(&q), none(VatCategory::ReverseCharge));
    // A Swiss company: outside the scope of EU VAT.
    let swiss = client(&f, "Kunsthalle AG", "company", None, "CH").await;
    let q = make(swiss.id, vec![concert()]).await.expect("quote");
    assert_eq!(vat_of(&q), none(VatCategory::OutOfScope));

    // A reduced rate for an artistic performance: 6 % beside 21 %, each rounded once.
    let q = make(
        f.be_client.id,
        vec![
            reduced(line("Performance", "1", "C62", "1234.56"), "6"),
            line("Sound engineering", "2.5", "hour", "55.55"),
        ],
    )
    .await
    .expect("quote");
    assert_eq!(q.lines[0].vat.rate, Rate::from_ppm(60_000));
    assert_eq!(q.totals.subtotals.len(), 2);
    // 6 % of 1 234.56 = 74.0736 → 74.07; 2.5 × 55.55 = 138.875 → 138.88, 21 % = 29.1648 → 29.16.
    assert_eq!(q.lines[1].net, eur("138.88"));
    assert_eq!(q.totals.net, eur("1373.44"));
    assert_eq!(q.totals.vat, eur("103.23"));
    assert_eq!(q.totals.with_vat, eur("1476.67"));
    // The reduced rate does not apply to a reverse-charged client.
    let q = make(f.de_client.id, vec![reduced(concert(), "6")])
        .await
        .expect("quote");
    assert_eq!(vat_of(&q), none(VatCategory::ReverseCharge));

    // The French entity charges 20 %.
    let q = f
        .app
        .create_quote(
            &f.claire.actor,
            &NewQuote {
                activity_id: f.fr_activity.id,
                client_id: f.fr_client.id,
                member_id: None,
                title: "Affiches".into(),
                lines: vec![line("Affiche", "3", "unit", "333.33")],
                validity_days: Some(15),
                lang: Some(Lang::Fr),
            },
            None,
        )
        .await
        .expect("French quote");
    assert_eq!(q.number.to_string(), "QUO-FR-2026-000001");
    assert_eq!(q.valid_until, date(2026, 2, 4));
    assert_eq!(q.totals.net, eur("999.99"));
    assert_eq!(q.totals.vat, eur("200.00")); // 199.998
    assert_eq!(q.lines[0].vat.rate, Rate::from_ppm(200_000));

    // Bad lines are refused, naming the line and the field, and write nothing.
    let before = snapshot(&f).await;
    let invalid = |e: AppError| (e.code(), e.field().unwrap_or(""), e.message());
    let (code, field, message) = invalid(
        make(f.be_client.id, vec![concert(), reduced(concert(), "31")])
            .await
            .unwrap_err(),
    );
    assert_eq!((code, field), ("invalid", "lines.vat_rate"));
    assert!(message.starts_with("line 2: "), "{message}");
    let (_, field, _) = invalid(
        make(f.be_client.id, vec![line("Concert", "0", "C62", "10")])
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "lines.quantity");
    let (_, field, _) = invalid(
        make(f.be_client.id, vec![line("Concert", "1.2345", "C62", "10")])
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "lines.quantity");
    let (_, field, _) = invalid(
        make(f.be_client.id, vec![line("Concert", "1", "parsec", "10")])
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "lines.unit");
    let (_, field, _) = invalid(
        make(f.be_client.id, vec![line("Concert", "1", "C62", "-10")])
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "lines.unit_price");
    let (_, field, _) = invalid(
        make(f.be_client.id, vec![line("  ", "1", "C62", "10")])
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "lines.description");
    let mut long = be_quote(&f, f.be_client.id, vec![concert()]);
    long.validity_days = Some(400);
    let (_, field, _) = invalid(
        f.app
            .create_quote(&f.alice.actor, &long, None)
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "validity_days");
    // A client of another entity.
    let (_, field, _) = invalid(make(f.fr_client.id, vec![concert()]).await.unwrap_err());
    assert_eq!(field, "client_id");
    assert_eq!(snapshot(&f).await, before, "nothing was written");
});

on_every_store!(a_used_link_is_refused_and_writes_nothing, |f| {
    let s = sent(
        &f,
        &f.alice.actor,
        &be_quote(&f, f.be_client.id, vec![line("Concert", "1", "C62", "900")]),
    )
    .await;
    f.app
        .accept_quote(&s.token, &ClientAnswer::default())
        .await
        .expect("accepted");
    let before = snapshot(&f).await;
    let row = stored(&f, &s.quote).await;
    assert_eq!(row.status, QuoteStatus::Accepted);

    // The same link again, to accept or to refuse: 409, and nothing changes.
    for accept in [true, false] {
        let answer = ClientAnswer {
            name: Some("Someone else".into()),
            comment: Some("changed my mind".into()),
        };
        let err = if accept {
            f.app.accept_quote(&s.token, &answer).await.unwrap_err()
        } else {
            f.app.refuse_quote(&s.token, &answer).await.unwrap_err()
        };
        assert!(matches!(err, AppError::Conflict { .. }), "{err}");
        assert_eq!(err.code(), "quote_already_decided");
        assert!(
            err.message().contains("accepted already"),
            "{}",
            err.message()
        );
    }
    assert_eq!(snapshot(&f).await, before);
    assert_eq!(stored(&f, &s.quote).await, row, "the quote is unchanged");
    // Reading it still works and says what was decided.
    assert_eq!(
        f.app.public_quote(&s.token).await.expect("view").status,
        QuoteStatus::Accepted
    );

    // A refused quote cannot be accepted afterwards either.
    let r = sent(
        &f,
        &f.alice.actor,
        &be_quote(&f, f.be_client.id, vec![line("Concert", "1", "C62", "700")]),
    )
    .await;
    let refused = f
        .app
        .refuse_quote(
            &r.token,
            &ClientAnswer {
                name: None,
                comment: Some("Over our budget".into()),
            },
        )
        .await
        .expect("refused");
    assert_eq!(refused.status, QuoteStatus::Refused);
    let before = snapshot(&f).await;
    assert_eq!(
        f.app
            .accept_quote(&r.token, &ClientAnswer::default())
            .await
            .unwrap_err()
            .code(),
        "quote_already_decided"
    );
    // A refused quote is no order.
    assert_eq!(
        f.app
            .invoice_order(&f.alice.actor, r.quote.id, None)
            .await
            .unwrap_err()
            .code(),
        "quote_not_accepted"
    );
    assert_eq!(snapshot(&f).await, before);

    // Unknown and malformed links are 404, for viewing and answering.
    let unknown = "0".repeat(64);
    for token in [unknown.as_str(), "nope", ""] {
        assert_eq!(
            f.app.public_quote(token).await.unwrap_err().code(),
            "not_found"
        );
        assert_eq!(
            f.app
                .accept_quote(token, &ClientAnswer::default())
                .await
                .unwrap_err()
                .code(),
            "not_found"
        );
    }

    // Sending again gives a new link; the old one stops working.
    let t = sent(
        &f,
        &f.alice.actor,
        &be_quote(&f, f.be_client.id, vec![line("Concert", "1", "C62", "500")]),
    )
    .await;
    let again = f
        .app
        .send_quote(&f.alice.actor, t.quote.id)
        .await
        .expect("sent again");
    assert_ne!(again.token, t.token);
    assert_eq!(
        f.app.public_quote(&t.token).await.unwrap_err().code(),
        "not_found"
    );
    assert_eq!(
        f.app
            .public_quote(&again.token)
            .await
            .expect("new link")
            .number,
        t.quote.number
    );
    assert_eq!(again.quote.valid_until, t.quote.valid_until);
    assert_eq!(snapshot(&f).await[0], before[0] + 1);
    assert_eq!(
        f.app
            .accept_quote(&again.token, &ClientAnswer::default())
            .await
            .expect("accepted")
            .status,
        QuoteStatus::Accepted
    );
    assert!(matches!(
        f.app
            .accept_quote(&again.token, &ClientAnswer::default())
            .await,
        Err(AppError::Conflict { .. })
    ));
});

on_every_store!(an_expired_quote_cannot_be_accepted, |f| {
    let s = sent(
        &f,
        &f.alice.actor,
        &be_quote(&f, f.be_client.id, vec![line("Concert", "1", "C62", "900")]),
    )
    .await;
    assert_eq!(s.quote.valid_until, date(2026, 2, 19));
    let last_day = on_day(&f, "2026-02-19");
    assert_eq!(
        last_day.public_quote(&s.token).await.expect("view").status,
        QuoteStatus::Sent
    );
    let later = on_day(&f, "2026-02-20");
    let view = later.public_quote(&s.token).await.expect("view");
    assert_eq!(view.status, QuoteStatus::Expired);

    let before = snapshot(&f).await;
    let row = stored(&f, &s.quote).await;
    for accept in [true, false] {
        let err = if accept {
            later.accept_quote(&s.token, &ClientAnswer::default()).await
        } else {
            later.refuse_quote(&s.token, &ClientAnswer::default()).await
        }
        .unwrap_err();
        assert_eq!(err.code(), "quote_expired");
        assert!(err.message().contains("2026-02-19"), "{}", err.message());
    }
    // Nor can it be sent again without a new approval.
    assert_eq!(
        later
            .send_quote(&f.alice.actor, s.quote.id)
            .await
            .unwrap_err()
            .code(),
        "quote_expired"
    );
    assert_eq!(snapshot(&f).await, before);
    assert_eq!(stored(&f, &s.quote).await, row);

    // Lists show it expired, not sent.
    let by = |status| QuoteQuery {
        activity: None,
        status: Some(status),
    };
    let expired = later
        .quotes(&f.alice.actor, &by(QuoteStatus::Expired))
        .await
        .expect("list");
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].status, QuoteStatus::Expired);
    assert!(
        later
            .quotes(&f.alice.actor, &by(QuoteStatus::Sent))
            .await
            .expect("list")
            .is_empty()
    );
    // On the last day it was still open.
    let accepted = last_day
        .accept_quote(&s.token, &ClientAnswer::default())
        .await
        .expect("accepted on the last day");
    assert_eq!(accepted.status, QuoteStatus::Accepted);
});

on_every_store!(members_act_only_on_their_own_activities_quotes, |f| {
    let input = be_quote(&f, f.be_client.id, vec![line("Concert", "1", "C62", "900")]);
    let before = snapshot(&f).await;
    // Dave has no role on the activity; Bob is a participant; Claire is in another entity.
    for actor in [&f.dave.actor, &f.bob.actor, &f.claire.actor] {
        let err = f.app.create_quote(actor, &input, None).await.unwrap_err();
        assert!(matches!(err, AppError::Forbidden(_)), "{err}");
    }
    // A member makes quotes in their own name only.
    let mut for_bob = input.clone();
    for_bob.member_id = Some(f.bob.member.id);
    assert_eq!(
        f.app
            .create_quote(&f.alice.actor, &for_bob, None)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(snapshot(&f).await, before, "nothing was written");

    let q = f
        .app
        .create_quote(&f.alice.actor, &input, None)
        .await
        .expect("drafted");
    let before = snapshot(&f).await;
    let row = stored(&f, &q).await;
    let lines = QuoteLines {
        lines: vec![line("Free concert", "1", "C62", "0")],
    };
    for actor in [&f.dave.actor, &f.bob.actor, &f.claire.actor] {
        assert_eq!(
            f.app
                .edit_quote_lines(actor, q.id, &lines)
                .await
                .unwrap_err()
                .code(),
            "forbidden"
        );
        assert_eq!(
            f.app.submit_quote(actor, q.id).await.unwrap_err().code(),
            "forbidden"
        );
        assert_eq!(
            f.app.send_quote(actor, q.id).await.unwrap_err().code(),
            "forbidden"
        );
        assert_eq!(
            f.app
                .invoice_order(actor, q.id, None)
                .await
                .unwrap_err()
                .code(),
            "forbidden"
        );
        assert_eq!(
            f.app.approve_quote(actor, q.id).await.unwrap_err().code(),
            "forbidden"
        );
    }
    // Dave sees neither the quote nor it in his list; Bob, a participant, reads it.
    assert_eq!(
        f.app.quote(&f.dave.actor, q.id).await.unwrap_err().code(),
        "forbidden"
    );
    assert!(
        f.app
            .quotes(&f.dave.actor, &QuoteQuery::default())
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        f.app
            .quotes(
                &f.dave.actor,
                &QuoteQuery {
                    activity: Some(f.be_activity.id),
                    status: None
                }
            )
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(f.app.quote(&f.bob.actor, q.id).await.expect("read"), q);
    assert_eq!(
        f.app
            .quotes(&f.bob.actor, &QuoteQuery::default())
            .await
            .expect("list"),
        vec![q.clone()]
    );
    assert_eq!(
        f.app
            .quotes(&f.advisor, &QuoteQuery::default())
            .await
            .expect("list")
            .len(),
        1
    );
    assert_eq!(snapshot(&f).await, before, "nothing was written");
    assert_eq!(stored(&f, &q).await, row);
});

on_every_store!(invoicing_an_order_credits_price_less_fee_once, |f| {
    // The Belgian gross-up figure: 1 069.52 less 6.5 % (69.52) is 1 000.00.
    let s = sent(
        &f,
        &f.alice.actor,
        &be_quote(
            &f,
            f.be_client.id,
            vec![line("Concert", "1", "C62", "1069.52")],
        ),
    )
    .await;
    // Not an order yet.
    assert_eq!(
        f.app
            .invoice_order(&f.alice.actor, s.quote.id, None)
            .await
            .unwrap_err()
            .code(),
        "quote_not_accepted"
    );
    f.app
        .accept_quote(&s.token, &ClientAnswer::default())
        .await
        .expect("accepted");
    let o = f
        .app
        .invoice_order(&f.advisor, s.quote.id, None)
        .await
        .expect("invoiced by staff");
    assert_eq!(o.fee, eur("69.52"));
    assert_eq!(o.movement.amount, eur("1000.00"));
    assert_eq!(o.invoice.totals.with_vat, eur("1294.12"));

    // Twice is a conflict, and writes nothing.
    let before = snapshot(&f).await;
    let err = f
        .app
        .invoice_order(&f.alice.actor, s.quote.id, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "order_already_invoiced");
    assert_eq!(snapshot(&f).await, before);

    // An activity with an agreed fee: 5 % instead of the French 8.5 %.
    let activity = f
        .app
        .create_activity(
            &f.admin,
            &NewActivity {
                entity_id: f.fr.id,
                name: "Atelier partagé".into(),
                description: String::new(),
                manager: Some(f.claire.member.id),
                fee_rate: Some("5".parse().expect("rate")),
            },
            None,
        )
        .await
        .expect("activity");
    let input = NewQuote {
        activity_id: activity.id,
        client_id: f.fr_client.id,
        member_id: None,
        title: "Scénographie".into(),
        lines: vec![
            line("Conception", "3", "day", "433.33"),
            reduced(line("Livret", "1", "unit", "100.01"), "5.5"),
        ],
        validity_days: None,
        lang: None,
    };
    let s = sent(&f, &f.claire.actor, &input).await;
    f.app
        .accept_quote(&s.token, &ClientAnswer::default())
        .await
        .expect("accepted");
    let o = f
        .app
        .invoice_order(&f.claire.actor, s.quote.id, None)
        .await
        .expect("invoiced");
    // 1 299.99 + 100.01 = 1 400.00 excl. VAT; 5 % = 70.00; 1 330.00 for the budget.
    assert_eq!(o.invoice.totals.net, eur("1400"));
    assert_eq!(o.invoice.number.to_string(), "INV-FR-2026-000001");
    assert!(matches!(
        o.invoice.payment_reference,
        PaymentReference::Rf(_)
    ));
    // 20 % of 1 299.99 = 260.00 (259.998), 5.5 % of 100.01 = 5.50 (5.50055).
    assert_eq!(o.invoice.totals.vat, eur("265.50"));
    assert_eq!(o.fee, eur("70.00"));
    assert_eq!(o.movement.amount, eur("1330.00"));
    let detail = f
        .app
        .activity(&f.claire.actor, activity.id)
        .await
        .expect("activity");
    assert_eq!(detail.activity.budget, eur("1330.00"));
    assert_eq!(detail.movements.len(), 1);
    // The entity's rate on the other French activity: 8.5 % of 2 000 = 170.
    let s = sent(
        &f,
        &f.claire.actor,
        &NewQuote {
            activity_id: f.fr_activity.id,
            lines: vec![line("Affiches", "4", "unit", "500")],
            ..input
        },
    )
    .await;
    f.app
        .accept_quote(&s.token, &ClientAnswer::default())
        .await
        .expect("accepted");
    let o = f
        .app
        .invoice_order(&f.claire.actor, s.quote.id, None)
        .await
        .expect("invoiced");
    assert_eq!(o.fee, eur("170"));
    assert_eq!(o.movement.amount, eur("1830"));
});

on_every_store!(idempotency_keys_replay_quotes_and_invoices, |f| {
    let input = be_quote(&f, f.be_client.id, vec![line("Concert", "1", "C62", "900")]);
    let key = Idempotency::for_input("quote-1", &input).expect("key");
    let first = f
        .app
        .create_quote(&f.alice.actor, &input, Some(&key))
        .await
        .expect("first");
    let before = snapshot(&f).await;
    let again = f
        .app
        .create_quote(&f.alice.actor, &input, Some(&key))
        .await
        .expect("replay");
    assert_eq!(again, first);
    assert_eq!(snapshot(&f).await, before);
    let mut other = input.clone();
    other.title = "Another title".into();
    let key2 = Idempotency::for_input("quote-1", &other).expect("key");
    assert_eq!(
        f.app
            .create_quote(&f.alice.actor, &other, Some(&key2))
            .await
            .unwrap_err()
            .code(),
        "idempotency_key_reused"
    );
    assert_eq!(snapshot(&f).await, before);

    // Invoicing an order with a key: a retry gets the same invoice.
    f.app
        .submit_quote(&f.alice.actor, first.id)
        .await
        .expect("submitted");
    f.app
        .approve_quote(&f.advisor, first.id)
        .await
        .expect("approved");
    let s = f
        .app
        .send_quote(&f.alice.actor, first.id)
        .await
        .expect("sent");
    f.app
        .accept_quote(&s.token, &ClientAnswer::default())
        .await
        .expect("accepted");
    let key = Idempotency::new("invoice-1", b"{}").expect("key");
    let o = f
        .app
        .invoice_order(&f.alice.actor, first.id, Some(&key))
        .await
        .expect("invoiced");
    let before = snapshot(&f).await;
    let replay = f
        .app
        .invoice_order(&f.alice.actor, first.id, Some(&key))
        .await
        .expect("replay");
    assert_eq!(replay, o);
    assert_eq!(snapshot(&f).await, before);
    assert_eq!(count(&f, "invoices").await, 1);
});

on_every_store!(concurrent_answers_and_invoices_happen_once, |f| {
    let s = sent(
        &f,
        &f.alice.actor,
        &be_quote(
            &f,
            f.be_client.id,
            vec![line("Concert", "1", "C62", "2500")],
        ),
    )
    .await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let app = f.app.clone();
        let token = s.token.clone();
        tasks.push(tokio::spawn(async move {
            app.accept_quote(&token, &ClientAnswer::default()).await
        }));
    }
    let mut decided = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => decided += 1,
            Err(e) => assert_eq!(e.code(), "quote_already_decided", "{e}"),
        }
    }
    assert_eq!(decided, 1, "one answer only");

    let mut tasks = Vec::new();
    for _ in 0..6 {
        let app = f.app.clone();
        let actor = f.alice.actor.clone();
        let id = s.quote.id;
        tasks.push(tokio::spawn(async move {
            app.invoice_order(&actor, id, None).await
        }));
    }
    let mut invoices = Vec::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(o) => invoices.push(o.invoice.number.to_string()),
            Err(e) => assert_eq!(e.code(), "order_already_invoiced", "{e}"),
        }
    }
    // One invoice, numbered without a gap left by the losers.
    assert_eq!(invoices, vec!["INV-BE-2026-000001".to_string()]);
    assert_eq!(count(&f, "invoices").await, 1);
    assert_eq!(count(&f, "budget_movements").await, 1);
    let detail = f
        .app
        .activity(&f.alice.actor, f.be_activity.id)
        .await
        .expect("activity");
    assert_eq!(detail.activity.budget, eur("2337.50")); // 2 500 − 6.5 % (162.50)
});
