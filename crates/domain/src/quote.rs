//! Quotes (order forms): drafted for an activity's client, approved by an advisor, sent to the
//! client as a link, accepted or refused through it. An accepted quote is an order; an order
//! is invoiced once.
//!
//! The life of a quote:
//!
//! ```text
//! draft ──submit──▶ submitted ──approve──▶ approved ──send──▶ sent ──accept──▶ accepted (an order)
//!   ▲                   │                                       │  ──refuse──▶ refused
//!   └─────reject────────┘                                       └─(validity date passed)─▶ expired
//! ```
//!
//! An advisor's rejection sends the quote back to draft with the reason, so the member edits it
//! and submits it again. `expired` is never stored: a sent quote is expired on any day after
//! its validity date ([`Quote::status_on`]).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::activity::codes;
use crate::client::{VatCategory, VatTreatment};
use crate::invoice::{InvoiceLine, InvoiceTotals, LineQuantity, totals};
use crate::{
    ActivityId, ClientId, DocumentNumber, EntityId, Invalid, InvoiceId, Lang, MemberId, Money,
    QuoteId, Rate,
};

/// How long a quote stays open to the client when nothing else is said.
pub const DEFAULT_VALIDITY_DAYS: u32 = 30;
/// The longest validity Ensemble accepts.
pub const MAX_VALIDITY_DAYS: u32 = 365;
/// The most lines a quote holds.
pub const MAX_LINES: usize = 200;
/// The highest VAT rate a line may carry (no EU standard rate is above 27 %).
pub const MAX_VAT_RATE: Rate = Rate::from_ppm(300_000);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Being written; lines can change.
    Draft,
    /// Waiting in the advisors' queue.
    Submitted,
    /// Approved by an advisor, ready to send.
    Approved,
    /// The client has the link.
    Sent,
    /// The client accepted: the quote is an order.
    Accepted,
    /// The client refused.
    Refused,
    /// Sent, and the validity date has passed without an answer (never stored).
    Expired,
}

codes!(QuoteStatus, "status", "draft" => QuoteStatus::Draft,
    "submitted" => QuoteStatus::Submitted, "approved" => QuoteStatus::Approved,
    "sent" => QuoteStatus::Sent, "accepted" => QuoteStatus::Accepted,
    "refused" => QuoteStatus::Refused, "expired" => QuoteStatus::Expired);

/// The client's answer, given through the link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientDecision {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    pub on: Date,
    /// The name the client signed with, if they gave one.
    pub name: Option<String>,
    pub comment: Option<String>,
}

/// A quote (order form) issued by a cooperative entity on behalf of an activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    pub id: QuoteId,
    /// QUO-BE-2026-000001.
    pub number: DocumentNumber,
    pub entity_id: EntityId,
    pub activity_id: ActivityId,
    pub client_id: ClientId,
    /// The member who made the quote, whose name the client reads.
    pub member_id: MemberId,
    /// What the quote is for: "Photo shoot of the 2027 season".
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    pub issue_date: Date,
    /// The last day the client can accept.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::IsoDate))]
    pub valid_until: Date,
    pub lang: Lang,
    pub lines: Vec<InvoiceLine>,
    pub totals: InvoiceTotals,
    pub status: QuoteStatus,
    /// Why an advisor sent it back to draft.
    pub rejection: Option<String>,
    pub decision: Option<ClientDecision>,
    /// The invoice of the order, once invoiced.
    pub invoice_id: Option<InvoiceId>,
}

/// Why a quote cannot take a step now (a conflict, not bad input).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuoteConflict {
    #[error("quote {number} is {status}: only a {expected} quote can be {action}")]
    WrongStatus {
        number: DocumentNumber,
        status: QuoteStatus,
        expected: QuoteStatus,
        action: &'static str,
    },
    #[error("quote {number} was {status} already{}", on.map(|d| format!(" on {d}")).unwrap_or_default())]
    AlreadyDecided {
        number: DocumentNumber,
        status: QuoteStatus,
        on: Option<Date>,
    },
    #[error("quote {number} expired on {valid_until}: ask for a new quote")]
    Expired {
        number: DocumentNumber,
        valid_until: Date,
    },
    #[error("order {number} is invoiced already")]
    AlreadyInvoiced { number: DocumentNumber },
}

/// Why a step on a draft fails: bad input, or the quote's state.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Conflict(#[from] QuoteConflict),
}

impl QuoteConflict {
    /// The stable code of the conflict, as the API gives it.
    pub const fn code(&self) -> &'static str {
        match self {
            QuoteConflict::WrongStatus { expected, .. } => match expected {
                QuoteStatus::Draft => "quote_not_draft",
                QuoteStatus::Submitted => "quote_not_submitted",
                QuoteStatus::Approved => "quote_not_approved",
                QuoteStatus::Accepted => "quote_not_accepted",
                _ => "quote_not_sent",
            },
            QuoteConflict::AlreadyDecided { .. } => "quote_already_decided",
            QuoteConflict::Expired { .. } => "quote_expired",
            QuoteConflict::AlreadyInvoiced { .. } => "order_already_invoiced",
        }
    }
}

/// A date `days` after `date`.
fn plus_days(date: Date, days: u32) -> Date {
    date.checked_add(jiff::Span::new().days(i64::from(days)))
        .unwrap_or(date)
}

/// A validity in days: 1 to [`MAX_VALIDITY_DAYS`].
pub fn validity_days(days: Option<u32>) -> Result<u32, Invalid> {
    let days = days.unwrap_or(DEFAULT_VALIDITY_DAYS);
    if days == 0 || days > MAX_VALIDITY_DAYS {
        return Err(Invalid::new(
            "validity_days",
            format!("a quote stays valid 1 to {MAX_VALIDITY_DAYS} days, not {days}"),
        ));
    }
    Ok(days)
}

impl Quote {
    /// A new draft issued on `issue_date`, valid `validity_days` days.
    #[allow(clippy::too_many_arguments)]
    pub fn draft(
        id: QuoteId,
        number: DocumentNumber,
        entity_id: EntityId,
        activity_id: ActivityId,
        client_id: ClientId,
        member_id: MemberId,
        title: String,
        issue_date: Date,
        validity_days: u32,
        lang: Lang,
        lines: Vec<InvoiceLine>,
    ) -> Result<Quote, Invalid> {
        let title = title.trim().to_string();
        if title.is_empty() {
            return Err(Invalid::new("title", "say what the quote is for"));
        }
        if title.chars().count() > 200 {
            return Err(Invalid::new("title", "at most 200 characters"));
        }
        check_lines(&lines)?;
        Ok(Quote {
            id,
            number,
            entity_id,
            activity_id,
            client_id,
            member_id,
            title,
            issue_date,
            valid_until: plus_days(issue_date, validity_days),
            lang,
            totals: totals(&lines),
            lines,
            status: QuoteStatus::Draft,
            rejection: None,
            decision: None,
            invoice_id: None,
        })
    }

    /// The status as the client and the member see it on `today`: a sent quote past its
    /// validity date is expired.
    pub fn status_on(&self, today: Date) -> QuoteStatus {
        if self.status == QuoteStatus::Sent && today > self.valid_until {
            QuoteStatus::Expired
        } else {
            self.status
        }
    }

    /// Whether the quote is an order (the client accepted it).
    pub fn is_order(&self) -> bool {
        self.status == QuoteStatus::Accepted
    }

    fn expect(&self, expected: QuoteStatus, action: &'static str) -> Result<(), QuoteConflict> {
        if self.status == expected {
            Ok(())
        } else {
            Err(QuoteConflict::WrongStatus {
                number: self.number,
                status: self.status,
                expected,
                action,
            })
        }
    }

    /// Whether the lines can still change (a draft).
    pub fn ensure_editable(&self) -> Result<(), QuoteConflict> {
        self.expect(QuoteStatus::Draft, "edited")
    }

    /// Replaces the lines of a draft.
    pub fn set_lines(&mut self, lines: Vec<InvoiceLine>) -> Result<(), QuoteError> {
        self.expect(QuoteStatus::Draft, "edited")?;
        check_lines(&lines)?;
        self.totals = totals(&lines);
        self.lines = lines;
        Ok(())
    }

    /// Sends a draft to the advisors' queue; it needs at least one line.
    pub fn submit(&mut self) -> Result<(), QuoteError> {
        self.expect(QuoteStatus::Draft, "submitted")?;
        if self.lines.is_empty() {
            return Err(Invalid::new(
                "lines",
                "a quote needs at least one line before it is submitted",
            )
            .into());
        }
        self.status = QuoteStatus::Submitted;
        self.rejection = None;
        Ok(())
    }

    /// An advisor approves a submitted quote.
    pub fn approve(&mut self) -> Result<(), QuoteConflict> {
        self.expect(QuoteStatus::Submitted, "approved")?;
        self.status = QuoteStatus::Approved;
        Ok(())
    }

    /// An advisor sends a submitted quote back to draft, saying why.
    pub fn reject(&mut self, reason: String) -> Result<(), QuoteConflict> {
        self.expect(QuoteStatus::Submitted, "rejected")?;
        self.status = QuoteStatus::Draft;
        self.rejection = Some(reason);
        Ok(())
    }

    /// Sends an approved quote on `today`: it is issued that day and keeps its validity
    /// length. A sent quote still valid can be sent again (a new link).
    pub fn send(&mut self, today: Date) -> Result<(), QuoteConflict> {
        match self.status_on(today) {
            QuoteStatus::Approved => {
                let days = self
                    .issue_date
                    .until(self.valid_until)
                    .map(|s| s.get_days())
                    .unwrap_or(0);
                let days = u32::try_from(days).unwrap_or(DEFAULT_VALIDITY_DAYS);
                self.issue_date = today;
                self.valid_until = plus_days(today, days);
                self.status = QuoteStatus::Sent;
                Ok(())
            }
            QuoteStatus::Sent => Ok(()),
            QuoteStatus::Expired => Err(QuoteConflict::Expired {
                number: self.number,
                valid_until: self.valid_until,
            }),
            _ => self.expect(QuoteStatus::Approved, "sent"),
        }
    }

    /// The client answers on `today`: once, and while the quote is valid.
    pub fn decide(&mut self, accept: bool, decision: ClientDecision) -> Result<(), QuoteConflict> {
        match self.status_on(decision.on) {
            QuoteStatus::Sent => {
                self.status = if accept {
                    QuoteStatus::Accepted
                } else {
                    QuoteStatus::Refused
                };
                self.decision = Some(decision);
                Ok(())
            }
            QuoteStatus::Expired => Err(QuoteConflict::Expired {
                number: self.number,
                valid_until: self.valid_until,
            }),
            status @ (QuoteStatus::Accepted | QuoteStatus::Refused) => {
                Err(QuoteConflict::AlreadyDecided {
                    number: self.number,
                    status,
                    on: self.decision.as_ref().map(|d| d.on),
                })
            }
            _ => self.expect(QuoteStatus::Sent, "answered"),
        }
    }

    /// Records the invoice of an order: once.
    pub fn invoiced(&mut self, invoice: InvoiceId) -> Result<(), QuoteConflict> {
        if self.invoice_id.is_some() {
            return Err(QuoteConflict::AlreadyInvoiced {
                number: self.number,
            });
        }
        self.expect(QuoteStatus::Accepted, "invoiced")?;
        self.invoice_id = Some(invoice);
        Ok(())
    }
}

fn check_lines(lines: &[InvoiceLine]) -> Result<(), Invalid> {
    if lines.len() > MAX_LINES {
        return Err(Invalid::new(
            "lines",
            format!("a quote holds at most {MAX_LINES} lines"),
        ));
    }
    Ok(())
}

/// A line quantity such as `3`, `2.5` or `0.125` (at most three decimals), more than 0 and at
/// most 1 000 000.
pub fn parse_quantity(field: &'static str, text: &str) -> Result<LineQuantity, Invalid> {
    let bad = || {
        Invalid::new(
            field,
            format!("\"{text}\" is not a quantity like 3, 2.5 or 0.125"),
        )
    };
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || whole.len() > 7
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (t.contains('.') && frac.is_empty())
    {
        return Err(bad());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > 3 {
        return Err(Invalid::new(
            field,
            format!("\"{text}\" has more than three decimals"),
        ));
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let mut thousandths = whole * 1000;
    let mut scale = 100;
    for b in frac.bytes() {
        thousandths += i64::from(b - b'0') * scale;
        scale /= 10;
    }
    if thousandths == 0 {
        return Err(Invalid::new(field, "the quantity must be more than 0"));
    }
    if thousandths > 1_000_000_000 {
        return Err(Invalid::new(field, "the quantity is at most 1 000 000"));
    }
    Ok(LineQuantity(thousandths))
}

/// The UN/ECE recommendation 20 unit codes a quote line may use, with the words members may
/// write instead.
const UNITS: &[(&str, &[&str])] = &[
    ("C62", &["unit", "one", "piece", "pce"]),
    ("H87", &[]),
    ("E48", &["service"]),
    ("LS", &["lump_sum", "forfait"]),
    ("HUR", &["hour", "hours", "h"]),
    ("MIN", &["minute", "minutes"]),
    ("DAY", &["day", "days", "half_day"]),
    ("WEE", &["week", "weeks"]),
    ("MON", &["month", "months"]),
    ("ANN", &["year", "years"]),
    ("KMT", &["km", "kilometre"]),
    ("MTR", &["m", "metre"]),
    ("MTK", &["m2", "square_metre"]),
    ("KGM", &["kg", "kilogram"]),
    ("LTR", &["l", "litre"]),
];

/// A unit code (`DAY`, `HUR`, `C62`…) or a word for one (`day`, `hour`, `unit`).
pub fn unit_code(field: &'static str, text: &str) -> Result<&'static str, Invalid> {
    let t = text.trim();
    UNITS
        .iter()
        .find(|(code, words)| {
            code.eq_ignore_ascii_case(t) || words.iter().any(|w| w.eq_ignore_ascii_case(t))
        })
        .map(|(code, _)| *code)
        .ok_or_else(|| {
            let codes: Vec<&str> = UNITS.iter().map(|(c, _)| *c).collect();
            Invalid::new(
                field,
                format!(
                    "unknown unit \"{t}\": use a UN/ECE code ({}) or day, hour, month, unit",
                    codes.join(", ")
                ),
            )
        })
}

/// The VAT of a line: the client's situation ([`crate::client::vat_for_services`]), with a
/// reduced rate when the member gives one (6 % for artistic performances in Belgium). A rate
/// only replaces the standard rate: a reverse-charged or out-of-scope line carries no VAT
/// whatever the rate given. A rate of 0 % makes the line zero-rated.
pub fn line_vat(situation: VatTreatment, rate: Option<Rate>) -> Result<VatTreatment, Invalid> {
    let Some(rate) = rate else {
        return Ok(situation);
    };
    if rate.ppm() < 0 || rate > MAX_VAT_RATE {
        return Err(Invalid::new(
            "lines.vat_rate",
            format!("{rate} % is not a VAT rate: give 0 % to {MAX_VAT_RATE} %"),
        ));
    }
    Ok(match situation.category {
        VatCategory::Standard | VatCategory::Zero if rate.is_zero() => VatTreatment {
            category: VatCategory::Zero,
            rate: Rate::ZERO,
        },
        VatCategory::Standard | VatCategory::Zero => VatTreatment {
            category: VatCategory::Standard,
            rate,
        },
        _ => situation,
    })
}

/// A quote line, checked: a description (at most 500 characters), a quantity, a unit, a unit
/// price of 0 or more and its VAT.
pub fn quote_line(
    description: &str,
    quantity: LineQuantity,
    unit_code: &'static str,
    unit_price: Money,
    vat: VatTreatment,
) -> Result<InvoiceLine, Invalid> {
    let description = description.trim();
    if description.chars().count() > 500 {
        return Err(Invalid::new(
            "lines.description",
            "a line's description is at most 500 characters",
        ));
    }
    InvoiceLine::new(description, quantity, unit_code, unit_price, vat).map_err(|e| {
        Invalid::new(
            match e.field {
                "description" => "lines.description",
                "quantity" => "lines.quantity",
                "unit_price" => "lines.unit_price",
                other => other,
            },
            e.message,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Country, DocumentKind};
    use jiff::civil::date;

    fn standard() -> VatTreatment {
        VatTreatment {
            category: VatCategory::Standard,
            rate: Rate::from_ppm(210_000),
        }
    }

    fn quote(lines: Vec<InvoiceLine>) -> Quote {
        let uuid = uuid::Uuid::nil();
        Quote::draft(
            QuoteId::from_uuid(uuid),
            DocumentNumber::new(DocumentKind::Quote, Country::Be, 2026, 1),
            EntityId::from_uuid(uuid),
            ActivityId::from_uuid(uuid),
            ClientId::from_uuid(uuid),
            MemberId::from_uuid(uuid),
            "Concert".into(),
            date(2026, 9, 1),
            30,
            Lang::Fr,
            lines,
        )
        .unwrap()
    }

    fn line(price: i64) -> InvoiceLine {
        quote_line(
            "Concert",
            LineQuantity(1000),
            "C62",
            Money::from_cents(price),
            standard(),
        )
        .unwrap()
    }

    #[test]
    fn quantities_have_three_decimals_at_most() {
        assert_eq!(parse_quantity("q", "3").unwrap(), LineQuantity(3000));
        assert_eq!(parse_quantity("q", "2.5").unwrap(), LineQuantity(2500));
        assert_eq!(parse_quantity("q", "0.125").unwrap(), LineQuantity(125));
        assert_eq!(parse_quantity("q", "1.2500").unwrap(), LineQuantity(1250));
        assert!(parse_quantity("q", "0").is_err());
        assert!(parse_quantity("q", "-1").is_err());
        assert!(parse_quantity("q", "1.2345").is_err());
        assert!(parse_quantity("q", "2.").is_err());
        assert!(parse_quantity("q", "abc").is_err());
        assert!(parse_quantity("q", "1000001").is_err());
    }

    #[test]
    fn units_are_codes_or_words() {
        assert_eq!(unit_code("unit", "day").unwrap(), "DAY");
        assert_eq!(unit_code("unit", "HUR").unwrap(), "HUR");
        assert_eq!(unit_code("unit", "c62").unwrap(), "C62");
        assert_eq!(unit_code("unit", "parsec").unwrap_err().field, "unit");
    }

    #[test]
    fn a_reduced_rate_replaces_only_the_standard_rate() {
        let six = Rate::from_ppm(60_000);
        assert_eq!(line_vat(standard(), Some(six)).unwrap().rate, six);
        let reverse = VatTreatment {
            category: VatCategory::ReverseCharge,
            rate: Rate::ZERO,
        };
        assert_eq!(line_vat(reverse, Some(six)).unwrap(), reverse);
        let zero = line_vat(standard(), Some(Rate::ZERO)).unwrap();
        assert_eq!(zero.category, VatCategory::Zero);
        assert_eq!(
            line_vat(standard(), Some(Rate::from_ppm(310_000)))
                .unwrap_err()
                .field,
            "lines.vat_rate"
        );
        assert!(line_vat(standard(), Some(Rate::from_ppm(-10_000))).is_err());
    }

    #[test]
    fn a_quote_walks_its_life_once() {
        let mut q = quote(Vec::new());
        assert_eq!(q.valid_until, date(2026, 10, 1));
        assert!(matches!(q.submit(), Err(QuoteError::Invalid(i)) if i.field == "lines"));
        q.set_lines(vec![line(50_000)]).unwrap();
        q.submit().unwrap();
        assert_eq!(q.approve(), Ok(()));
        assert_eq!(q.approve().unwrap_err().code(), "quote_not_submitted");
        q.send(date(2026, 9, 10)).unwrap();
        assert_eq!(q.issue_date, date(2026, 9, 10));
        assert_eq!(q.valid_until, date(2026, 10, 10));
        assert!(matches!(
            q.set_lines(Vec::new()),
            Err(QuoteError::Conflict(c)) if c.code() == "quote_not_draft"
        ));
        let answer = |on| ClientDecision {
            on,
            name: None,
            comment: None,
        };
        // The last day still counts; the day after is too late.
        let mut late = q.clone();
        assert_eq!(
            late.decide(true, answer(date(2026, 10, 11)))
                .unwrap_err()
                .code(),
            "quote_expired"
        );
        assert_eq!(q.status_on(date(2026, 10, 11)), QuoteStatus::Expired);
        q.decide(true, answer(date(2026, 10, 10))).unwrap();
        assert!(q.is_order());
        assert_eq!(
            q.decide(false, answer(date(2026, 10, 10)))
                .unwrap_err()
                .code(),
            "quote_already_decided"
        );
        let invoice = InvoiceId::from_uuid(uuid::Uuid::nil());
        q.invoiced(invoice).unwrap();
        assert_eq!(
            q.invoiced(invoice).unwrap_err().code(),
            "order_already_invoiced"
        );
    }

    #[test]
    fn a_rejected_quote_goes_back_to_draft() {
        let mut q = quote(vec![line(10_000)]);
        q.submit().unwrap();
        q.reject("Add the travel costs".into()).unwrap();
        assert_eq!(q.status, QuoteStatus::Draft);
        assert_eq!(q.rejection.as_deref(), Some("Add the travel costs"));
        q.submit().unwrap();
        assert_eq!(q.rejection, None);
    }
}
