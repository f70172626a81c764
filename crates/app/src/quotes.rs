//! Quotes (order forms): drafted by a member, approved by an advisor, sent to the client as a
//! link, accepted or refused through it; an accepted quote becomes an order, and an order is
//! invoiced once, crediting the activity's budget with its price less the fee.
//!
//! Who does what:
//! - the activity's **manager** (or staff) drafts a quote, edits its lines, submits it, sends
//!   it once approved, and invoices the order; a **participant** sees the activity's quotes but
//!   does not make them (a quote commits the activity, which its manager runs);
//! - an **advisor** (any staff) approves a submitted quote or sends it back to draft with a
//!   reason;
//! - the **client** needs no account: the link's token is the credential. Only a SHA-256 hash
//!   of the token is stored; the token is shown once, when the quote is sent. Sending again
//!   gives a new link and the old one stops working. `send` is not replayable with an
//!   idempotency key, since its response carries the secret.

use ensemble_domain::activity::{ActivityRole, ActivityStatus};
use ensemble_domain::client::{Client, vat_for_services};
use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::identifiers::{CountryCode, PostalAddress};
use ensemble_domain::invoice::{Invoice, InvoiceLine, InvoiceStatus, InvoiceTotals, due_date};
use ensemble_domain::quote::{
    ClientDecision, Quote, QuoteConflict, QuoteError, QuoteStatus, line_vat, parse_quantity,
    quote_line, unit_code, validity_days,
};
use ensemble_domain::{
    ActivityId, ClientId, DocumentKind, DocumentNumber, FeePolicy, Invalid, InvoiceId, Lang,
    MemberId, Money, PaymentReference, QuoteId, Rate,
};
use ensemble_store::{BudgetMovement, Filter, StoreError, Tx};
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize};

use crate::access::{Access, activity_access, require_staff};
use crate::auth::{hash_token, hex};
use crate::idempotency::{remember, replay};
use crate::inputs::{Rejection, text};
use crate::{Actor, App, AppError, AppResult, Idempotency};

/// One line of a quote as the member writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteLineInput {
    pub description: String,
    /// How many: `3`, `2.5`, `0.125` (a string or a number, at most three decimals).
    #[serde(deserialize_with = "string_or_number")]
    #[schema(pattern = r"^[0-9]+(\.[0-9]{1,3})?$", examples("3", "2.5"))]
    pub quantity: String,
    /// A UN/ECE unit code (`DAY`, `HUR`, `MON`, `C62`…) or `day`, `hour`, `month`, `unit`.
    pub unit: String,
    /// The price of one unit, excl. VAT.
    pub unit_price: Money,
    /// A VAT rate in percent instead of the standard one (6 for artistic performances in
    /// Belgium), 0 to 30; it does not apply when the client's situation gives no VAT (reverse
    /// charge, outside the EU).
    pub vat_rate: Option<Rate>,
}

/// A quote to draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewQuote {
    pub activity_id: ActivityId,
    pub client_id: ClientId,
    /// The member making the quote; by default the actor (staff: the activity's manager).
    pub member_id: Option<MemberId>,
    /// What the quote is for.
    pub title: String,
    /// The lines; a draft may start without any.
    #[serde(default)]
    pub lines: Vec<QuoteLineInput>,
    /// How many days the client has to answer once the quote is sent; default 30.
    pub validity_days: Option<u32>,
    /// The quote's language; by default the client's.
    pub lang: Option<Lang>,
}

/// The lines of a draft, replacing all its lines (`PUT /quotes/{id}/lines`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteLines {
    pub lines: Vec<QuoteLineInput>,
}

/// What the client may add to their answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientAnswer {
    /// The name they sign with.
    pub name: Option<String>,
    pub comment: Option<String>,
}

/// Which quotes to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuoteQuery {
    pub activity: Option<ActivityId>,
    pub status: Option<QuoteStatus>,
}

/// A quote just sent: the client's link, shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SentQuote {
    pub quote: Quote,
    /// The secret of the link (64 hex digits).
    pub token: String,
    /// The client's page: `/quotes/confirm/{token}`.
    pub path: String,
}

/// Who a public quote is from or for: a name and an address, no internal id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Party {
    pub name: String,
    pub address: PostalAddress,
    pub vat_id: Option<String>,
}

/// A quote as the client sees it through the link: no internal ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublicQuote {
    pub number: DocumentNumber,
    pub title: String,
    pub status: QuoteStatus,
    #[schema(value_type = ensemble_domain::openapi::IsoDate)]
    pub issue_date: Date,
    #[schema(value_type = ensemble_domain::openapi::IsoDate)]
    pub valid_until: Date,
    pub lang: Lang,
    /// The cooperative entity that issues the quote.
    pub issuer: Party,
    /// The activity the work is for, and the member who made the quote.
    pub activity: String,
    pub member: String,
    pub client: Party,
    pub lines: Vec<InvoiceLine>,
    pub totals: InvoiceTotals,
    /// The legal mentions the VAT of the lines needs (reverse charge, outside the scope).
    pub vat_mentions: Vec<String>,
    pub decision: Option<ClientDecision>,
}

/// An order invoiced: the invoice, and the budget movement it made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderInvoice {
    pub quote: Quote,
    pub invoice: Invoice,
    /// The income credited to the activity: price excl. VAT less the fee.
    pub movement: BudgetMovement,
    /// The fee kept by the cooperative.
    pub fee: Money,
}

/// The client's page of a quote.
pub fn confirm_path(token: &str) -> String {
    format!("/quotes/confirm/{token}")
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a quantity such as \"2.5\" or 2.5")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
            if v.is_finite() {
                Ok(format!("{v}"))
            } else {
                Err(E::custom("a quantity is a finite number"))
            }
        }
    }
    d.deserialize_any(V)
}

impl From<QuoteConflict> for AppError {
    fn from(c: QuoteConflict) -> AppError {
        AppError::conflict(c.code(), c.to_string())
    }
}

impl From<QuoteError> for AppError {
    fn from(e: QuoteError) -> AppError {
        match e {
            QuoteError::Invalid(i) => AppError::Invalid(i),
            QuoteError::Conflict(c) => c.into(),
        }
    }
}

/// A store conflict while saving a quote: another request moved it first.
fn raced(code: &'static str) -> impl Fn(StoreError) -> AppError {
    move |e| match e {
        StoreError::Conflict(message) => AppError::conflict(code, message),
        other => other.into(),
    }
}

/// The lines of a quote for `client` of `entity`, each with the VAT of the client's situation
/// (or the reduced rate given). An error names the line: "line 2: …".
fn build_lines(
    entity: &CooperativeEntity,
    client: &Client,
    inputs: &[QuoteLineInput],
) -> Result<Vec<InvoiceLine>, Invalid> {
    let situation = vat_for_services(CountryCode::from(entity.country), entity.vat_rate, client);
    inputs
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let line = || -> Result<InvoiceLine, Invalid> {
                let vat = line_vat(situation, l.vat_rate)?;
                let quantity = parse_quantity("lines.quantity", &l.quantity)?;
                let unit = unit_code("lines.unit", &l.unit)?;
                quote_line(&l.description, quantity, unit, l.unit_price, vat)
            };
            line().map_err(|e| Invalid::new(e.field, format!("line {}: {}", i + 1, e.message)))
        })
        .collect()
}

/// The hash of a link's token, or `None` when the text cannot be a token (64 hex digits).
fn link_hash(token: &str) -> Option<String> {
    let t = token.trim();
    (t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hash_token(&t.to_ascii_lowercase()))
}

fn no_such_link() -> AppError {
    AppError::NotFound {
        kind: "quote",
        id: "with that link".to_string(),
    }
}

/// A client's optional text: trimmed, empty is none.
fn optional_text(
    field: &'static str,
    value: &Option<String>,
    max: usize,
) -> Result<Option<String>, Invalid> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(_) => text(field, value.as_deref().unwrap_or(""), max).map(Some),
    }
}

/// The quote as seen on `today` (a sent quote past its validity date is expired).
fn on(mut quote: Quote, today: Date) -> Quote {
    quote.status = quote.status_on(today);
    quote
}

/// The manager's (or staff's) access to make an activity's quotes.
async fn manager_access(tx: &mut dyn Tx, actor: &Actor, activity: ActivityId) -> AppResult<()> {
    match activity_access(tx, actor, activity).await? {
        Access::Staff | Access::Manager => Ok(()),
        Access::Participant => Err(AppError::forbidden(
            "only the activity's manager makes its quotes",
        )),
    }
}

impl App {
    /// Drafts a quote for a client of the activity (its manager, or staff). The VAT of each
    /// line follows the client's situation; nothing is written when a line is invalid.
    pub async fn create_quote(
        &self,
        actor: &Actor,
        input: &NewQuote,
        idem: Option<&Idempotency>,
    ) -> AppResult<Quote> {
        let title = text("title", &input.title, 200)?;
        let days = validity_days(input.validity_days)?;
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "create_quote", idem).await? {
            return Ok(previous);
        }
        manager_access(&mut *tx, actor, input.activity_id).await?;
        let activity = tx.activity(input.activity_id).await?;
        if activity.status != ActivityStatus::Active {
            return Err(AppError::conflict(
                "activity_not_active",
                format!("activity {} is {}", activity.name, activity.status),
            ));
        }
        let entity = tx.entity(activity.entity_id).await?;
        let client = tx.client(input.client_id).await?;
        if client.entity_id != entity.id {
            return Err(Invalid::new("client_id", "that client belongs to another entity").into());
        }
        let member_id = match (input.member_id, actor.member) {
            (Some(m), me) if actor.role.is_staff() || me == Some(m) => m,
            (Some(_), _) => {
                return Err(AppError::forbidden(
                    "a member makes quotes in their own name",
                ));
            }
            (None, Some(me)) => me,
            (None, None) => tx
                .activity_members(activity.id)
                .await?
                .into_iter()
                .find(|m| m.role == ActivityRole::Manager)
                .map(|m| m.member_id)
                .ok_or_else(|| Invalid::new("member_id", "say which member makes the quote"))?,
        };
        if tx.activity_role(activity.id, member_id).await?.is_none() {
            return Err(Invalid::new("member_id", "that member is not on the activity").into());
        }
        let lines = build_lines(&entity, &client, &input.lines)?;
        let today = self.clock.today();
        let year = today.year();
        let sequence = tx.next_number(entity.id, DocumentKind::Quote, year).await?;
        let quote = Quote::draft(
            QuoteId::from_uuid(self.id()),
            DocumentNumber::new(DocumentKind::Quote, entity.country, year, sequence),
            entity.id,
            activity.id,
            client.id,
            member_id,
            title,
            today,
            days,
            input.lang.unwrap_or(client.lang),
            lines,
        )?;
        let at = self.clock.micros();
        tx.insert_quote(&quote, actor.user, at).await?;
        remember(&mut *tx, actor, "create_quote", idem, &quote, at).await?;
        tx.commit().await?;
        Ok(quote)
    }

    /// Replaces the lines of a draft (its activity's manager, or staff).
    pub async fn edit_quote_lines(
        &self,
        actor: &Actor,
        id: QuoteId,
        input: &QuoteLines,
    ) -> AppResult<Quote> {
        let mut tx = self.store.write().await?;
        let mut quote = tx.quote(id).await?;
        manager_access(&mut *tx, actor, quote.activity_id).await?;
        // The state first: a sent quote cannot change, whatever the lines say.
        quote.ensure_editable()?;
        let entity = tx.entity(quote.entity_id).await?;
        let client = tx.client(quote.client_id).await?;
        let lines = build_lines(&entity, &client, &input.lines)?;
        quote.set_lines(lines)?;
        tx.update_quote(
            &quote,
            QuoteStatus::Draft,
            None,
            Some(actor.user),
            self.clock.micros(),
        )
        .await
        .map_err(raced("quote_not_draft"))?;
        tx.commit().await?;
        Ok(quote)
    }

    /// Submits a draft to the advisors' queue (its activity's manager, or staff).
    pub async fn submit_quote(&self, actor: &Actor, id: QuoteId) -> AppResult<Quote> {
        self.change_quote(actor, id, false, |q, _| Ok(q.submit()?))
            .await
    }

    /// Approves a submitted quote (advisors).
    pub async fn approve_quote(&self, actor: &Actor, id: QuoteId) -> AppResult<Quote> {
        self.change_quote(actor, id, true, |q, _| Ok(q.approve()?))
            .await
    }

    /// Sends a submitted quote back to draft with the reason the member will read (advisors).
    pub async fn reject_quote(
        &self,
        actor: &Actor,
        id: QuoteId,
        input: &Rejection,
    ) -> AppResult<Quote> {
        let reason = text("reason", &input.reason, 1000)?;
        self.change_quote(actor, id, true, move |q, _| Ok(q.reject(reason)?))
            .await
    }

    /// One step of a quote's life by a user, saved if no one moved the quote meanwhile.
    async fn change_quote(
        &self,
        actor: &Actor,
        id: QuoteId,
        staff_only: bool,
        change: impl FnOnce(&mut Quote, Date) -> AppResult<()> + Send,
    ) -> AppResult<Quote> {
        if staff_only {
            require_staff(actor)?;
        }
        let mut tx = self.store.write().await?;
        let mut quote = tx.quote(id).await?;
        if !staff_only {
            manager_access(&mut *tx, actor, quote.activity_id).await?;
        }
        let today = self.clock.today();
        let expected = quote.status;
        change(&mut quote, today)?;
        tx.update_quote(
            &quote,
            expected,
            None,
            Some(actor.user),
            self.clock.micros(),
        )
        .await
        .map_err(raced("quote_changed"))?;
        tx.commit().await?;
        Ok(on(quote, today))
    }

    /// Sends an approved quote to the client (its activity's manager, or staff): a new link,
    /// whose token is returned this once. A sent quote still valid may be sent again; the
    /// earlier link then stops working.
    pub async fn send_quote(&self, actor: &Actor, id: QuoteId) -> AppResult<SentQuote> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
        let token = hex(&bytes);
        let mut tx = self.store.write().await?;
        let mut quote = tx.quote(id).await?;
        manager_access(&mut *tx, actor, quote.activity_id).await?;
        let expected = quote.status;
        let today = self.clock.today();
        quote.send(today)?;
        tx.update_quote(
            &quote,
            expected,
            Some(&hash_token(&token)),
            Some(actor.user),
            self.clock.micros(),
        )
        .await
        .map_err(raced("quote_changed"))?;
        tx.commit().await?;
        Ok(SentQuote {
            quote,
            path: confirm_path(&token),
            token,
        })
    }

    /// The quote behind a client's link; no account needed, the token is the credential.
    pub async fn public_quote(&self, token: &str) -> AppResult<PublicQuote> {
        let hash = link_hash(token).ok_or_else(no_such_link)?;
        let mut tx = self.store.read().await?;
        let quote = tx.quote_by_token(&hash).await?.ok_or_else(no_such_link)?;
        public_view(&mut *tx, on(quote, self.clock.today())).await
    }

    /// The client accepts the quote through its link: it becomes an order.
    pub async fn accept_quote(&self, token: &str, input: &ClientAnswer) -> AppResult<PublicQuote> {
        self.answer_quote(token, true, input).await
    }

    /// The client refuses the quote through its link.
    pub async fn refuse_quote(&self, token: &str, input: &ClientAnswer) -> AppResult<PublicQuote> {
        self.answer_quote(token, false, input).await
    }

    /// The client's answer: once (`quote_already_decided` after), while the quote is valid
    /// (`quote_expired` after); a refused answer writes nothing.
    async fn answer_quote(
        &self,
        token: &str,
        accept: bool,
        input: &ClientAnswer,
    ) -> AppResult<PublicQuote> {
        let hash = link_hash(token).ok_or_else(no_such_link)?;
        let decision = ClientDecision {
            on: self.clock.today(),
            name: optional_text("name", &input.name, 200)?,
            comment: optional_text("comment", &input.comment, 2000)?,
        };
        let mut tx = self.store.write().await?;
        let mut quote = tx.quote_by_token(&hash).await?.ok_or_else(no_such_link)?;
        let expected = quote.status;
        quote.decide(accept, decision)?;
        tx.update_quote(&quote, expected, None, None, self.clock.micros())
            .await
            .map_err(raced("quote_already_decided"))?;
        let view = public_view(&mut *tx, quote).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// A quote (the activity's members, or staff).
    pub async fn quote(&self, actor: &Actor, id: QuoteId) -> AppResult<Quote> {
        let mut tx = self.store.read().await?;
        let quote = tx.quote(id).await?;
        activity_access(&mut *tx, actor, quote.activity_id).await?;
        Ok(on(quote, self.clock.today()))
    }

    /// The quotes the actor sees, oldest first: staff all, members their activities'.
    pub async fn quotes(&self, actor: &Actor, q: &QuoteQuery) -> AppResult<Vec<Quote>> {
        let mut filter = Filter {
            activity: q.activity,
            // Expired quotes are stored as sent.
            status: q.status.map(|s| match s {
                QuoteStatus::Expired => QuoteStatus::Sent.code().to_string(),
                other => other.code().to_string(),
            }),
            limit: Some(10_000),
            ..Filter::default()
        };
        let mut tx = self.store.read().await?;
        if let Some(a) = q.activity {
            activity_access(&mut *tx, actor, a).await?;
        } else if !actor.role.is_staff() {
            filter.member = Some(
                actor
                    .member
                    .ok_or_else(|| AppError::forbidden("this account is not a member's"))?,
            );
        }
        let today = self.clock.today();
        Ok(tx
            .quotes(&filter)
            .await?
            .into_iter()
            .map(|quote| on(quote, today))
            .filter(|quote| q.status.is_none_or(|s| quote.status == s))
            .collect())
    }

    /// Invoices an order (its activity's manager, or staff): an invoice with the quote's lines,
    /// its payment reference and due date, and the activity's budget credited with the price
    /// excl. VAT less the fee (the activity's agreed rate, else the entity's). Once: a second
    /// time is `order_already_invoiced`.
    pub async fn invoice_order(
        &self,
        actor: &Actor,
        id: QuoteId,
        idem: Option<&Idempotency>,
    ) -> AppResult<OrderInvoice> {
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "invoice_order", idem).await? {
            return Ok(previous);
        }
        let mut quote = tx.quote(id).await?;
        manager_access(&mut *tx, actor, quote.activity_id).await?;
        let expected = quote.status;
        let invoice_id = InvoiceId::from_uuid(self.id());
        quote.invoiced(invoice_id)?;
        let entity = tx.entity(quote.entity_id).await?;
        let activity = tx.activity(quote.activity_id).await?;
        let client = tx.client(quote.client_id).await?;
        let today = self.clock.today();
        let year = today.year();
        let number = DocumentNumber::new(
            DocumentKind::Invoice,
            entity.country,
            year,
            tx.next_number(entity.id, DocumentKind::Invoice, year)
                .await?,
        );
        let invoice = Invoice {
            id: invoice_id,
            number,
            entity_id: entity.id,
            activity_id: activity.id,
            client_id: client.id,
            declaration_id: None,
            issue_date: today,
            due_date: due_date(today, entity.payment_term_days),
            payment_reference: PaymentReference::for_invoice(&number),
            lang: quote.lang,
            lines: quote.lines.clone(),
            totals: quote.totals.clone(),
            status: InvoiceStatus::Issued,
        };
        let at = self.clock.micros();
        tx.insert_invoice(&invoice, at).await?;
        let fee_policy = FeePolicy {
            rate: activity.fee_override.unwrap_or(entity.fee.rate),
        };
        let price = invoice.totals.net;
        let fee = fee_policy.fee_on(price);
        crate::ledger::post_invoice(
            &mut *tx,
            &crate::ledger::books_of(&entity),
            &invoice,
            ensemble_ledger::rules::Party::new(activity.id, activity.name.clone()),
            ensemble_ledger::rules::Party::new(client.id, client.name.clone()),
            fee,
            at,
        )
        .await?;
        let movement = BudgetMovement {
            id: self.id().to_string(),
            activity_id: activity.id,
            kind: "income".to_string(),
            amount: price - fee,
            document: invoice.number.to_string(),
            label: format!(
                "{} (order {}) to {}: {price} less the fee {fee} ({} %)",
                invoice.number, quote.number, client.name, fee_policy.rate
            ),
            created_at: at,
        };
        tx.move_budget(&movement).await?;
        tx.update_quote(&quote, expected, None, Some(actor.user), at)
            .await
            .map_err(raced("order_already_invoiced"))?;
        let result = OrderInvoice {
            quote: on(quote, today),
            invoice,
            movement,
            fee,
        };
        remember(&mut *tx, actor, "invoice_order", idem, &result, at).await?;
        tx.commit().await?;
        Ok(result)
    }
}

/// What the client reads: the quote with the names of who issues it and for whom.
async fn public_view(tx: &mut dyn Tx, quote: Quote) -> AppResult<PublicQuote> {
    let entity = tx.entity(quote.entity_id).await?;
    let activity = tx.activity(quote.activity_id).await?;
    let member = tx.member(quote.member_id).await?;
    let client = tx.client(quote.client_id).await?;
    let mut vat_mentions: Vec<String> = Vec::new();
    for line in &quote.lines {
        if let Some(m) = line.vat.mention(quote.lang)
            && !vat_mentions.iter().any(|v| v == m)
        {
            vat_mentions.push(m.to_string());
        }
    }
    Ok(PublicQuote {
        number: quote.number,
        title: quote.title,
        status: quote.status,
        issue_date: quote.issue_date,
        valid_until: quote.valid_until,
        lang: quote.lang,
        issuer: Party {
            name: entity.name,
            address: entity.address,
            vat_id: Some(entity.vat_id.as_str().to_string()),
        },
        activity: activity.name,
        member: member.full_name(),
        client: Party {
            name: client.name,
            address: client.address,
            vat_id: client.vat_id.map(|v| v.as_str().to_string()),
        },
        lines: quote.lines,
        totals: quote.totals,
        vat_mentions,
        decision: quote.decision,
    })
}

/// What the demo's quotes came to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoQuotes {
    /// Quotes created.
    pub quotes: usize,
    /// Orders invoiced (each credited its activity's budget).
    pub invoiced: usize,
    /// Client links of quotes still open (sent in November), to try the client's page.
    pub open_links: Vec<String>,
}

/// The app with its clock at 09:00 UTC on `day`.
fn dated(app: &App, day: Date) -> App {
    let mut dated = app.clone();
    let at = format!("{day}T09:00:00Z")
        .parse()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    dated.clock = std::sync::Arc::new(crate::FixedClock(at));
    dated
}

/// The lines of a demo quote by trade (the demo's trades, in its order), scaled by `n`.
fn demo_lines(trade: usize, belgian: bool, n: usize) -> Vec<QuoteLineInput> {
    let l = |description: &str, quantity: String, unit: &str, price: i64, vat: Option<i64>| {
        QuoteLineInput {
            description: description.to_string(),
            quantity,
            unit: unit.to_string(),
            unit_price: Money::from_cents(price),
            vat_rate: vat.map(Rate::from_ppm),
        }
    };
    let n = n as i64;
    match trade % 6 {
        0 => vec![
            l("Photo shoot", format!("{}", 1 + n % 3), "day", 65_000, None),
            l(
                "Retouching and delivery of the selection",
                format!("{}.5", 2 + n % 4),
                "hour",
                5_500,
                None,
            ),
        ],
        1 => vec![
            l(
                "Poster design, three proposals",
                "1".into(),
                "unit",
                90_000 + n * 2_500,
                None,
            ),
            l(
                "Programme layout",
                format!("{}", 12 + n % 8),
                "unit",
                4_500,
                None,
            ),
        ],
        // A theatre performance: 6 % in Belgium.
        2 => vec![
            l(
                "Theatre performance",
                "1".into(),
                "unit",
                240_000 + n * 10_000,
                belgian.then_some(60_000),
            ),
            l("Travel", format!("{}", 80 + 15 * (n % 5)), "km", 45, None),
        ],
        3 => vec![l(
            "Translation (per 1 000 words)",
            format!("{}.{}", 8 + n % 9, 25 * (n % 4)),
            "unit",
            9_500,
            None,
        )],
        4 => vec![
            l(
                "Training day",
                format!("{}", 1 + n % 2),
                "day",
                80_000,
                None,
            ),
            l(
                "Course materials",
                format!("{}", 10 + n % 6),
                "unit",
                1_200,
                None,
            ),
        ],
        _ => vec![
            l(
                "Sound engineering",
                format!("{}", 6 + n % 5),
                "hour",
                6_500,
                None,
            ),
            l(
                "Equipment rental",
                format!("{}", 1 + n % 3),
                "day",
                15_000,
                None,
            ),
        ],
    }
}

/// Seeds the demo's quotes of one month of 2026 (`month` 9, 10 or 11: call it once per month,
/// before that month's declarations, so invoice numbers follow the dates), through the use
/// cases: for every other activity (`k` even) one quote, left in every state of a quote's life
/// over the three months — drafts,
/// quotes waiting in the advisors' queue, drafts sent back with a reason, approved, sent (the
/// September and October ones now expired), refused, accepted orders, and orders invoiced
/// (crediting their activity's budget). `activities` are the demo's
/// `(activity, its manager, its entity, k)`, `clients` the demo's clients of both entities;
/// `advisor` approves.
// Called by `demo.rs`; the allowance can go once it is wired there.
pub(crate) async fn seed_demo_quotes(
    app: &App,
    advisor: &Actor,
    activities: &[(
        ensemble_domain::activity::Activity,
        Actor,
        CooperativeEntity,
        usize,
    )],
    clients: &[Client],
    month: i8,
) -> AppResult<DemoQuotes> {
    let mut summary = DemoQuotes::default();
    if !(1..=12).contains(&month) {
        return Err(Invalid::new("month", format!("{month} is not a month")).into());
    }
    let m = usize::try_from(month - 9).unwrap_or(0) % 3;
    for (activity, owner, entity, k) in activities.iter().filter(|(_, _, _, k)| k % 2 == 0) {
        let theirs: Vec<&Client> = clients
            .iter()
            .filter(|c| c.entity_id == entity.id)
            .collect();
        if theirs.is_empty() {
            continue;
        }
        let client = theirs[(k / 2 + m) % theirs.len()];
        let day = 1 + ((k * 5 + m * 3) % 20) as i8;
        let on_day = |offset: i8| dated(app, jiff::civil::date(2026, month, day + offset));
        let outcome = (k / 2 + m * 3) % 8;
        let belgian = entity.country == ensemble_domain::Country::Be;
        let input = NewQuote {
            activity_id: activity.id,
            client_id: client.id,
            member_id: None,
            title: format!("{} for {}", activity.name, client.name),
            lines: demo_lines(*k, belgian, k / 2 + m),
            // Quotes sent before November had 15 days to answer: they have expired.
            validity_days: Some(if month < 11 { 15 } else { 30 }),
            lang: None,
        };
        let quote = on_day(0).create_quote(owner, &input, None).await?;
        summary.quotes += 1;
        if outcome == 0 {
            continue; // a draft
        }
        on_day(0).submit_quote(owner, quote.id).await?;
        match outcome {
            1 => continue, // in the advisors' queue
            2 => {
                on_day(1)
                        .reject_quote(
                            advisor,
                            quote.id,
                            &Rejection {
                                reason: "The client's VAT number is missing on the order; please add the travel costs as a separate line.".into(),
                            },
                        )
                        .await?;
                continue;
            }
            _ => {}
        }
        on_day(1).approve_quote(advisor, quote.id).await?;
        if outcome == 3 {
            continue; // approved, not sent yet
        }
        let sent = on_day(2).send_quote(owner, quote.id).await?;
        let signer = ClientAnswer {
            name: Some(format!("For {}", client.name)),
            comment: None,
        };
        match outcome {
            4 => {
                if month == 11 {
                    summary.open_links.push(sent.path);
                }
            }
            5 => {
                on_day(5).accept_quote(&sent.token, &signer).await?;
            }
            6 => {
                on_day(5).accept_quote(&sent.token, &signer).await?;
                on_day(7).invoice_order(owner, quote.id, None).await?;
                summary.invoiced += 1;
            }
            _ => {
                on_day(6)
                    .refuse_quote(
                        &sent.token,
                        &ClientAnswer {
                            name: None,
                            comment: Some("Over our budget this season, sorry.".into()),
                        },
                    )
                    .await?;
            }
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ensemble_store::testing::TestStore;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_demo_quotes_cover_every_state() {
        let store = TestStore::sqlite().await;
        let now = "2026-11-30T12:00:00Z".parse().expect("timestamp");
        let f = crate::testing::fixture(store.store.clone(), now).await;
        let mut activities = Vec::new();
        for k in (0..24).step_by(2) {
            activities.push((
                f.be_activity.clone(),
                f.alice.actor.clone(),
                f.be.clone(),
                k,
            ));
            activities.push((
                f.fr_activity.clone(),
                f.claire.actor.clone(),
                f.fr.clone(),
                k + 1,
            ));
        }
        let clients = [
            f.be_client.clone(),
            f.de_client.clone(),
            f.fr_client.clone(),
        ];
        let mut demo = DemoQuotes::default();
        for month in [9, 10, 11] {
            let d = seed_demo_quotes(&f.app, &f.advisor, &activities, &clients, month)
                .await
                .expect("demo quotes");
            demo.quotes += d.quotes;
            demo.invoiced += d.invoiced;
            demo.open_links.extend(d.open_links);
        }
        // Only the even k: the Belgian activity, 12 a month.
        assert_eq!(demo.quotes, 36);
        let all = f
            .app
            .quotes(&f.advisor, &QuoteQuery::default())
            .await
            .expect("quotes");
        assert_eq!(all.len(), 36);
        for status in [
            QuoteStatus::Draft,
            QuoteStatus::Submitted,
            QuoteStatus::Approved,
            QuoteStatus::Sent,
            QuoteStatus::Accepted,
            QuoteStatus::Refused,
            QuoteStatus::Expired,
        ] {
            assert!(
                all.iter().any(|q| q.status == status),
                "no {status} quote in the demo"
            );
        }
        assert!(all.iter().any(|q| q.rejection.is_some()));
        assert!(demo.invoiced > 0);
        assert_eq!(
            all.iter().filter(|q| q.invoice_id.is_some()).count(),
            demo.invoiced
        );
        assert!(!demo.open_links.is_empty());
        let detail = f
            .app
            .activity(&f.alice.actor, f.be_activity.id)
            .await
            .expect("activity");
        assert!(detail.activity.budget.is_positive());
        store.finish().await;
    }
}
