// The core chain's queries, written once for both databases. Included by `sqlite.rs` and
// `postgres.rs` after the backend's `query`, `AssertSqlSafe`, `DbRow` and `struct BackendTx { tx }`
// (a transaction that dereferences to a connection).
// Placeholders are `$1, $2, …` (both databases read them); optional filters are written
// `(CAST($1 AS TEXT) IS NULL OR column = $1)` so every statement stays static.

use ensemble_domain::activity::{Activity, ActivityMember, ActivityRole, ActivityStatus};
use ensemble_domain::client::{Client, ClientKind};
use ensemble_domain::contract::EmploymentContract;
use ensemble_domain::coop::{CooperativeEntity, FeePolicy, SharePolicy, ShareBasis};
use ensemble_domain::invoice::{Invoice, InvoiceStatus, InvoiceTotals};
use ensemble_domain::people::{Member, ShareSubscription, User, Role};
use ensemble_domain::work::{Breakdown, Declaration, DeclarationStatus, Quantity, Work, WorkAmount, WorkPeriod, WorkUnit};
use ensemble_domain::{
    ActivityId, ClientId, ContractId, Country, DeclarationId, DocumentKind, EntityId, InvoiceId,
    MemberId, Money, PayslipId, Rate, UserId,
};

use crate::{BudgetMovement, Filter, Micros, PayslipRecord, SocialDeclarationRecord, StoredResponse};

const ENTITY_COLUMNS: &str = "id, country, name, legal_id, vat_id, iban, bic, address, fee_rate_ppm, share_unit_cents, share_basis, vat_rate_ppm, payment_term_days, headcount, auto_validate";

fn entity_of(r: &DbRow) -> crate::Result<CooperativeEntity> {
    entity_of_in(r, "")
}

fn entity_of_in(r: &DbRow, p: &str) -> crate::Result<CooperativeEntity> {
    const T: &str = "entities";
    let share_basis: String = col(r, T, &named(p, "share_basis"))?;
    Ok(CooperativeEntity {
        id: parsed(r, T, &named(p, "id"))?,
        country: parsed(r, T, &named(p, "country"))?,
        name: col(r, T, &named(p, "name"))?,
        legal_id: json(r, T, &named(p, "legal_id"))?,
        vat_id: parsed(r, T, &named(p, "vat_id"))?,
        iban: parsed(r, T, &named(p, "iban"))?,
        bic: parsed_opt(r, T, &named(p, "bic"))?,
        address: json(r, T, &named(p, "address"))?,
        fee: FeePolicy {
            rate: Rate::from_ppm(col(r, T, &named(p, "fee_rate_ppm"))?),
        },
        shares: SharePolicy {
            unit: money(r, T, &named(p, "share_unit_cents"))?,
            basis: match share_basis.as_str() {
                "per_share" => ShareBasis::PerShare,
                "per_year_of_use" => ShareBasis::PerYearOfUse,
                other => return Err(corrupt(T, format!("share_basis \"{other}\""))),
            },
        },
        vat_rate: Rate::from_ppm(col(r, T, &named(p, "vat_rate_ppm"))?),
        payment_term_days: u32::try_from(col::<i64>(r, T, &named(p, "payment_term_days"))?).map_err(|e| corrupt(T, e))?,
        headcount: u32::try_from(col::<i64>(r, T, &named(p, "headcount"))?).map_err(|e| corrupt(T, e))?,
        auto_validate: col(r, T, &named(p, "auto_validate"))?,
    })
}

const MEMBER_COLUMNS: &str = "id, entity_id, first_name, last_name, email, iban, national_id, address, lang, status, joined_on";

fn member_of(r: &DbRow) -> crate::Result<Member> {
    member_of_in(r, "")
}

fn member_of_in(r: &DbRow, p: &str) -> crate::Result<Member> {
    const T: &str = "members";
    Ok(Member {
        id: parsed(r, T, &named(p, "id"))?,
        entity_id: parsed(r, T, &named(p, "entity_id"))?,
        first_name: col(r, T, &named(p, "first_name"))?,
        last_name: col(r, T, &named(p, "last_name"))?,
        email: parsed(r, T, &named(p, "email"))?,
        iban: parsed(r, T, &named(p, "iban"))?,
        national_id: json(r, T, &named(p, "national_id"))?,
        address: json(r, T, &named(p, "address"))?,
        lang: parsed(r, T, &named(p, "lang"))?,
        status: parsed(r, T, &named(p, "status"))?,
        joined_on: parsed(r, T, &named(p, "joined_on"))?,
    })
}

fn user_of(r: &DbRow) -> crate::Result<User> {
    const T: &str = "users";
    Ok(User {
        id: parsed(r, T, "id")?,
        email: parsed(r, T, "email")?,
        role: parsed::<Role>(r, T, "role")?,
        member_id: parsed_opt(r, T, "member_id")?,
        lang: parsed(r, T, "lang")?,
    })
}

const ACTIVITY_COLUMNS: &str = "id, entity_id, name, description, status, fee_override_ppm, budget_cents";

fn activity_of(r: &DbRow) -> crate::Result<Activity> {
    activity_of_in(r, "")
}

fn activity_of_in(r: &DbRow, p: &str) -> crate::Result<Activity> {
    const T: &str = "activities";
    Ok(Activity {
        id: parsed(r, T, &named(p, "id"))?,
        entity_id: parsed(r, T, &named(p, "entity_id"))?,
        name: col(r, T, &named(p, "name"))?,
        description: col(r, T, &named(p, "description"))?,
        status: parsed::<ActivityStatus>(r, T, &named(p, "status"))?,
        fee_override: col::<Option<i64>>(r, T, &named(p, "fee_override_ppm"))?.map(Rate::from_ppm),
        budget: money(r, T, &named(p, "budget_cents"))?,
    })
}

const CLIENT_COLUMNS: &str = "id, entity_id, kind, name, address, vat_id, company_id, peppol_id, email, lang";

fn client_of(r: &DbRow) -> crate::Result<Client> {
    client_of_in(r, "")
}

fn client_of_in(r: &DbRow, p: &str) -> crate::Result<Client> {
    const T: &str = "clients";
    Ok(Client {
        id: parsed(r, T, &named(p, "id"))?,
        entity_id: parsed(r, T, &named(p, "entity_id"))?,
        kind: parsed::<ClientKind>(r, T, &named(p, "kind"))?,
        name: col(r, T, &named(p, "name"))?,
        address: json(r, T, &named(p, "address"))?,
        vat_id: parsed_opt(r, T, &named(p, "vat_id"))?,
        company_id: json_opt(r, T, &named(p, "company_id"))?,
        peppol_id: parsed_opt(r, T, &named(p, "peppol_id"))?,
        email: parsed_opt(r, T, &named(p, "email"))?,
        lang: parsed(r, T, &named(p, "lang"))?,
    })
}

const DECLARATION_COLUMNS: &str = "id, number, entity_id, activity_id, member_id, client_id, period_start, period_end, unit, quantity, amount_kind, amount_cents, description, status, breakdown, rejection";

fn declaration_of(r: &DbRow) -> crate::Result<Declaration> {
    const T: &str = "declarations";
    let amount = money(r, T, "amount_cents")?;
    let kind: String = col(r, T, "amount_kind")?;
    let period = WorkPeriod::new(parsed(r, T, "period_start")?, parsed(r, T, "period_end")?)
        .map_err(|e| corrupt(T, e))?;
    Ok(Declaration {
        id: parsed(r, T, "id")?,
        number: parsed(r, T, "number")?,
        entity_id: parsed(r, T, "entity_id")?,
        activity_id: parsed(r, T, "activity_id")?,
        member_id: parsed(r, T, "member_id")?,
        client_id: parsed(r, T, "client_id")?,
        work: Work {
            period,
            unit: parsed::<WorkUnit>(r, T, "unit")?,
            quantity: Quantity(col(r, T, "quantity")?),
            amount: match kind.as_str() {
                "price" => WorkAmount::Price(amount),
                "gross" => WorkAmount::Gross(amount),
                other => return Err(corrupt(T, format!("amount_kind \"{other}\""))),
            },
            description: col(r, T, "description")?,
        },
        status: parsed::<DeclarationStatus>(r, T, "status")?,
        breakdown: json(r, T, "breakdown")?,
        rejection: col(r, T, "rejection")?,
    })
}

const INVOICE_COLUMNS: &str = "id, number, entity_id, activity_id, client_id, declaration_id, issue_date, due_date, payment_reference, lang, lines, subtotals, net_cents, vat_cents, total_cents, status";

fn invoice_of(r: &DbRow) -> crate::Result<Invoice> {
    const T: &str = "invoices";
    Ok(Invoice {
        id: parsed(r, T, "id")?,
        number: parsed(r, T, "number")?,
        entity_id: parsed(r, T, "entity_id")?,
        activity_id: parsed(r, T, "activity_id")?,
        client_id: parsed(r, T, "client_id")?,
        declaration_id: parsed_opt(r, T, "declaration_id")?,
        issue_date: parsed(r, T, "issue_date")?,
        due_date: parsed(r, T, "due_date")?,
        payment_reference: json(r, T, "payment_reference")?,
        lang: parsed(r, T, "lang")?,
        lines: json(r, T, "lines")?,
        totals: InvoiceTotals {
            net: money(r, T, "net_cents")?,
            vat: money(r, T, "vat_cents")?,
            with_vat: money(r, T, "total_cents")?,
            subtotals: json(r, T, "subtotals")?,
        },
        status: parsed::<InvoiceStatus>(r, T, "status")?,
    })
}

const CONTRACT_COLUMNS: &str = "id, number, entity_id, member_id, activity_id, declaration_id, country, kind, start_date, end_date, hours, days, gross_cents, title";

fn contract_of(r: &DbRow) -> crate::Result<EmploymentContract> {
    const T: &str = "contracts";
    Ok(EmploymentContract {
        id: parsed(r, T, "id")?,
        number: parsed(r, T, "number")?,
        entity_id: parsed(r, T, "entity_id")?,
        member_id: parsed(r, T, "member_id")?,
        activity_id: parsed(r, T, "activity_id")?,
        declaration_id: parsed_opt(r, T, "declaration_id")?,
        country: parsed::<Country>(r, T, "country")?,
        kind: parsed(r, T, "kind")?,
        start: parsed(r, T, "start_date")?,
        end: parsed(r, T, "end_date")?,
        hours: col(r, T, "hours")?,
        days: col::<Option<i64>>(r, T, "days")?
            .map(|d| u32::try_from(d).map_err(|e| corrupt(T, e)))
            .transpose()?,
        gross: money(r, T, "gross_cents")?,
        title: col(r, T, "title")?,
    })
}

const PAYSLIP_COLUMNS: &str = "id, entity_id, member_id, activity_id, declaration_id, month, country, status, contract_kind, gross_cents, net_paid_cents, employer_cost_cents, totals, lines, created_at";

fn payslip_of(r: &DbRow) -> crate::Result<PayslipRecord> {
    const T: &str = "payslips";
    Ok(PayslipRecord {
        id: parsed(r, T, "id")?,
        entity_id: parsed(r, T, "entity_id")?,
        member_id: parsed(r, T, "member_id")?,
        activity_id: parsed(r, T, "activity_id")?,
        declaration_id: parsed_opt(r, T, "declaration_id")?,
        month: parsed(r, T, "month")?,
        country: col(r, T, "country")?,
        status: col(r, T, "status")?,
        contract_kind: col(r, T, "contract_kind")?,
        gross: money(r, T, "gross_cents")?,
        net_paid: money(r, T, "net_paid_cents")?,
        employer_cost: money(r, T, "employer_cost_cents")?,
        totals: json(r, T, "totals")?,
        lines: json(r, T, "lines")?,
        created_at: col(r, T, "created_at")?,
    })
}

/// A column's name in a row where it may carry a prefix (`e_` for the entity's in a join).
fn named<'a>(prefix: &str, name: &'a str) -> std::borrow::Cow<'a, str> {
    if prefix.is_empty() {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(format!("{prefix}{name}"))
    }
}

/// `columns` of table alias `t`, each renamed with the alias as prefix (`a.id AS a_id, …`).
fn aliased(t: &str, columns: &str) -> String {
    columns
        .split(", ")
        .map(|c| format!("{t}.{c} AS {t}_{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn id_text<T: std::fmt::Display>(id: Option<T>) -> Option<String> {
    id.map(|i| i.to_string())
}

/// A statement with the column list spliced in at `{}`: the lists are constants, so the text
/// is static in effect.
fn select(template: &'static str, columns: &'static str) -> AssertSqlSafe<String> {
    AssertSqlSafe(template.replacen("{}", columns, 1))
}

#[async_trait::async_trait]
impl crate::CoreTx for BackendTx {
    async fn insert_entity(&mut self, e: &CooperativeEntity, at: Micros) -> crate::Result<()> {
        query(
            "INSERT INTO entities (id, country, name, legal_id, vat_id, iban, bic, address, fee_rate_ppm, share_unit_cents, share_basis, vat_rate_ppm, payment_term_days, headcount, auto_validate, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(e.id.to_string())
        .bind(e.country.slug())
        .bind(&e.name)
        .bind(to_json(&e.legal_id))
        .bind(e.vat_id.as_str())
        .bind(e.iban.as_str())
        .bind(e.bic.as_ref().map(|b| b.as_str().to_string()))
        .bind(to_json(&e.address))
        .bind(e.fee.rate.ppm())
        .bind(e.shares.unit.cents())
        .bind(match e.shares.basis {
            ShareBasis::PerShare => "per_share",
            ShareBasis::PerYearOfUse => "per_year_of_use",
        })
        .bind(e.vat_rate.ppm())
        .bind(i64::from(e.payment_term_days))
        .bind(i64::from(e.headcount))
        .bind(e.auto_validate)
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "an entity with that id"))?;
        Ok(())
    }

    async fn entity(&mut self, id: EntityId) -> crate::Result<CooperativeEntity> {
        let row = query(select("SELECT {} FROM entities WHERE id = $1", ENTITY_COLUMNS))
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(entity_of).transpose()?.ok_or_else(|| not_found("entity", id))
    }

    async fn update_entity_settings(&mut self, e: &CooperativeEntity) -> crate::Result<()> {
        let done = query(
            "UPDATE entities SET fee_rate_ppm = $2, payment_term_days = $3, headcount = $4, auto_validate = $5 WHERE id = $1",
        )
        .bind(e.id.to_string())
        .bind(e.fee.rate.ppm())
        .bind(i64::from(e.payment_term_days))
        .bind(i64::from(e.headcount))
        .bind(e.auto_validate)
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(not_found("entity", e.id));
        }
        Ok(())
    }

    async fn entities(&mut self) -> crate::Result<Vec<CooperativeEntity>> {
        let rows = query(select("SELECT {} FROM entities ORDER BY country, name", ENTITY_COLUMNS))
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(entity_of).collect()
    }

    async fn insert_member(&mut self, m: &Member, at: Micros) -> crate::Result<()> {
        query(
            "INSERT INTO members (id, entity_id, first_name, last_name, email, iban, national_id, address, lang, status, joined_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(m.id.to_string())
        .bind(m.entity_id.to_string())
        .bind(&m.first_name)
        .bind(&m.last_name)
        .bind(m.email.as_str())
        .bind(m.iban.as_str())
        .bind(to_json(&m.national_id))
        .bind(to_json(&m.address))
        .bind(m.lang.code())
        .bind(m.status.code())
        .bind(crate::date_text(m.joined_on))
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "a member with that email in this entity"))?;
        Ok(())
    }

    async fn member(&mut self, id: MemberId) -> crate::Result<Member> {
        let row = query(select("SELECT {} FROM members WHERE id = $1", MEMBER_COLUMNS))
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(member_of).transpose()?.ok_or_else(|| not_found("member", id))
    }

    async fn members(&mut self, entity: Option<EntityId>, limit: i64) -> crate::Result<Vec<Member>> {
        let rows = query(select(
            "SELECT {} FROM members WHERE (CAST($1 AS TEXT) IS NULL OR entity_id = $1) ORDER BY last_name, first_name LIMIT $2",
            MEMBER_COLUMNS,
        ))
        .bind(id_text(entity))
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(member_of).collect()
    }

    async fn insert_share_subscription(&mut self, s: &ShareSubscription, at: Micros) -> crate::Result<()> {
        query(
            "INSERT INTO share_subscriptions (id, entity_id, member_id, count, amount_cents, subscribed_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(s.id.to_string())
        .bind(s.entity_id.to_string())
        .bind(s.member_id.to_string())
        .bind(i64::from(s.count))
        .bind(s.amount.cents())
        .bind(crate::date_text(s.subscribed_on))
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that subscription"))?;
        Ok(())
    }

    async fn share_subscriptions(&mut self, entity: EntityId) -> crate::Result<Vec<ShareSubscription>> {
        const T: &str = "share_subscriptions";
        let rows = query(
            "SELECT id, entity_id, member_id, count, amount_cents, subscribed_on FROM share_subscriptions WHERE entity_id = $1 ORDER BY subscribed_on, created_at",
        )
        .bind(entity.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ShareSubscription {
                    id: parsed(r, T, "id")?,
                    entity_id: parsed(r, T, "entity_id")?,
                    member_id: parsed(r, T, "member_id")?,
                    count: u32::try_from(col::<i64>(r, T, "count")?).map_err(|e| corrupt(T, e))?,
                    amount: money(r, T, "amount_cents")?,
                    subscribed_on: parsed(r, T, "subscribed_on")?,
                })
            })
            .collect()
    }

    async fn insert_user(&mut self, u: &User, token_hash: Option<&str>, at: Micros) -> crate::Result<()> {
        query(
            "INSERT INTO users (id, email, role, member_id, lang, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(u.id.to_string())
        .bind(u.email.as_str())
        .bind(u.role.code())
        .bind(id_text(u.member_id))
        .bind(u.lang.code())
        .bind(token_hash)
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "a user with that email"))?;
        Ok(())
    }

    async fn user(&mut self, id: UserId) -> crate::Result<User> {
        let row = query("SELECT id, email, role, member_id, lang FROM users WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(user_of).transpose()?.ok_or_else(|| not_found("user", id))
    }

    async fn user_by_token(&mut self, token_hash: &str) -> crate::Result<Option<User>> {
        let row = query("SELECT id, email, role, member_id, lang FROM users WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(user_of).transpose()
    }

    async fn user_by_email(&mut self, email: &str) -> crate::Result<Option<User>> {
        let row = query("SELECT id, email, role, member_id, lang FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(user_of).transpose()
    }

    async fn users(&mut self) -> crate::Result<Vec<User>> {
        let rows = query("SELECT id, email, role, member_id, lang FROM users ORDER BY role, email")
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(user_of).collect()
    }

    async fn insert_activity(&mut self, a: &Activity, at: Micros) -> crate::Result<()> {
        query(
            "INSERT INTO activities (id, entity_id, name, description, status, fee_override_ppm, budget_cents, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(a.id.to_string())
        .bind(a.entity_id.to_string())
        .bind(&a.name)
        .bind(&a.description)
        .bind(a.status.code())
        .bind(a.fee_override.map(|r| r.ppm()))
        .bind(a.budget.cents())
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that activity"))?;
        Ok(())
    }

    async fn activity(&mut self, id: ActivityId) -> crate::Result<Activity> {
        let row = query(select("SELECT {} FROM activities WHERE id = $1", ACTIVITY_COLUMNS))
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(activity_of).transpose()?.ok_or_else(|| not_found("activity", id))
    }

    async fn activities(&mut self, f: &Filter) -> crate::Result<Vec<Activity>> {
        let rows = query(select(
            "SELECT {} FROM activities
             WHERE (CAST($1 AS TEXT) IS NULL OR entity_id = $1)
               AND (CAST($2 AS TEXT) IS NULL OR id IN (SELECT activity_id FROM activity_members WHERE member_id = $2))
               AND (CAST($3 AS TEXT) IS NULL OR status = $3)
             ORDER BY name LIMIT $4",
            ACTIVITY_COLUMNS,
        ))
        .bind(id_text(f.entity))
        .bind(id_text(f.member))
        .bind(f.status.clone())
        .bind(f.limit())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(activity_of).collect()
    }

    async fn set_activity_status(&mut self, id: ActivityId, status: ActivityStatus) -> crate::Result<()> {
        let done = query("UPDATE activities SET status = $1 WHERE id = $2")
            .bind(status.code())
            .bind(id.to_string())
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(not_found("activity", id));
        }
        Ok(())
    }

    async fn put_activity_member(&mut self, m: &ActivityMember) -> crate::Result<()> {
        query(
            "INSERT INTO activity_members (activity_id, member_id, role) VALUES ($1, $2, $3)
             ON CONFLICT (activity_id, member_id) DO UPDATE SET role = excluded.role",
        )
        .bind(m.activity_id.to_string())
        .bind(m.member_id.to_string())
        .bind(m.role.code())
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that activity role"))?;
        Ok(())
    }

    async fn activity_members(&mut self, id: ActivityId) -> crate::Result<Vec<ActivityMember>> {
        const T: &str = "activity_members";
        let rows = query("SELECT activity_id, member_id, role FROM activity_members WHERE activity_id = $1 ORDER BY role, member_id")
            .bind(id.to_string())
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ActivityMember {
                    activity_id: parsed(r, T, "activity_id")?,
                    member_id: parsed(r, T, "member_id")?,
                    role: parsed::<ActivityRole>(r, T, "role")?,
                })
            })
            .collect()
    }

    async fn activity_role(&mut self, activity: ActivityId, member: MemberId) -> crate::Result<Option<ActivityRole>> {
        let row = query("SELECT role FROM activity_members WHERE activity_id = $1 AND member_id = $2")
            .bind(activity.to_string())
            .bind(member.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(|r| parsed::<ActivityRole>(r, "activity_members", "role")).transpose()
    }

    async fn work_context(
        &mut self,
        activity: ActivityId,
        actor: Option<MemberId>,
        member: Option<MemberId>,
        client: ClientId,
    ) -> crate::Result<crate::WorkContext> {
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            format!(
                "SELECT {}, {}, {}, {},
                   (SELECT role FROM activity_members WHERE activity_id = a.id AND member_id = $2) AS actor_role,
                   (SELECT role FROM activity_members WHERE activity_id = a.id AND member_id = $3) AS member_role
                 FROM activities a
                 JOIN entities e ON e.id = a.entity_id
                 LEFT JOIN members m ON m.id = $3
                 LEFT JOIN clients c ON c.id = $4
                 WHERE a.id = $1",
                aliased("a", ACTIVITY_COLUMNS),
                aliased("e", ENTITY_COLUMNS),
                aliased("m", MEMBER_COLUMNS),
                aliased("c", CLIENT_COLUMNS),
            )
        });
        let row = query(AssertSqlSafe(sql.as_str()))
            .bind(activity.to_string())
            .bind(id_text(actor))
            .bind(id_text(member))
            .bind(client.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        let Some(r) = row else {
            return Err(not_found("activity", activity));
        };
        let role = |name: &str| parsed_opt::<ActivityRole>(&r, "activity_members", name);
        Ok(crate::WorkContext {
            activity: activity_of_in(&r, "a_")?,
            entity: entity_of_in(&r, "e_")?,
            actor_role: role("actor_role")?,
            member: match col::<Option<String>>(&r, "members", "m_id")? {
                Some(_) => Some(member_of_in(&r, "m_")?),
                None => None,
            },
            member_role: role("member_role")?,
            client: match col::<Option<String>>(&r, "clients", "c_id")? {
                Some(_) => Some(client_of_in(&r, "c_")?),
                None => None,
            },
        })
    }

    async fn member_activities(&mut self, member: MemberId) -> crate::Result<Vec<ActivityId>> {
        let rows = query("SELECT activity_id FROM activity_members WHERE member_id = $1")
            .bind(member.to_string())
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(|r| parsed(r, "activity_members", "activity_id")).collect()
    }

    async fn move_budget(&mut self, m: &BudgetMovement) -> crate::Result<Money> {
        self.move_budgets(std::slice::from_ref(m)).await
    }

    async fn move_budgets(&mut self, ms: &[BudgetMovement]) -> crate::Result<Money> {
        // Per activity, in order of first appearance: the net change, and the lowest running
        // total (each movement in turn must leave the budget at zero or more).
        let mut per: Vec<(ActivityId, i64, i64)> = Vec::new();
        for m in ms {
            let cents = m.amount.cents();
            match per.iter_mut().find(|p| p.0 == m.activity_id) {
                Some(p) => {
                    p.1 += cents;
                    p.2 = p.2.min(p.1);
                }
                None => per.push((m.activity_id, cents, cents)),
            }
        }
        let mut balances: Vec<(ActivityId, Money)> = Vec::with_capacity(per.len());
        for (activity, total, lowest) in &per {
            let row = query(
                "UPDATE activities SET budget_cents = budget_cents + $1 WHERE id = $2 AND budget_cents + $3 >= 0 RETURNING budget_cents",
            )
            .bind(*total)
            .bind(activity.to_string())
            .bind(*lowest)
            .fetch_optional(&mut *self.tx)
            .await?;
            let Some(row) = row else {
                // The movement that would take it below zero, as one update each would find.
                let current = self.activity(*activity).await?;
                let mut available = current.budget;
                for m in ms.iter().filter(|m| m.activity_id == *activity) {
                    if (available + m.amount).is_negative() {
                        return Err(crate::StoreError::InsufficientBudget {
                            activity: *activity,
                            available,
                            wanted: -m.amount,
                        });
                    }
                    available += m.amount;
                }
                return Err(crate::StoreError::InsufficientBudget {
                    activity: *activity,
                    available: current.budget,
                    wanted: Money::from_cents(-*lowest),
                });
            };
            balances.push((*activity, money(&row, "activities", "budget_cents")?));
        }
        for chunk in ms.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO budget_movements (id, activity_id, kind, amount_cents, document, label, created_at) VALUES {}",
                value_rows(chunk.len(), 7)
            );
            let mut q = query(AssertSqlSafe(sql));
            for m in chunk {
                q = q
                    .bind(&m.id)
                    .bind(m.activity_id.to_string())
                    .bind(&m.kind)
                    .bind(m.amount.cents())
                    .bind(&m.document)
                    .bind(&m.label)
                    .bind(m.created_at);
            }
            q.execute(&mut *self.tx)
                .await
                .map_err(|err| db_err(err, "that budget movement"))?;
        }
        let last = ms.last().map(|m| m.activity_id);
        Ok(balances
            .iter()
            .find(|b| Some(b.0) == last)
            .map_or(Money::ZERO, |b| b.1))
    }

    async fn budget_movements(&mut self, activity: ActivityId) -> crate::Result<Vec<BudgetMovement>> {
        const T: &str = "budget_movements";
        let rows = query(
            "SELECT id, activity_id, kind, amount_cents, document, label, created_at FROM budget_movements WHERE activity_id = $1 ORDER BY created_at, id",
        )
        .bind(activity.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BudgetMovement {
                    id: col(r, T, "id")?,
                    activity_id: parsed(r, T, "activity_id")?,
                    kind: col(r, T, "kind")?,
                    amount: money(r, T, "amount_cents")?,
                    document: col(r, T, "document")?,
                    label: col(r, T, "label")?,
                    created_at: col(r, T, "created_at")?,
                })
            })
            .collect()
    }

    async fn insert_client(&mut self, c: &Client, at: Micros) -> crate::Result<()> {
        query(
            "INSERT INTO clients (id, entity_id, kind, name, address, vat_id, company_id, peppol_id, email, lang, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(c.id.to_string())
        .bind(c.entity_id.to_string())
        .bind(c.kind.code())
        .bind(&c.name)
        .bind(to_json(&c.address))
        .bind(c.vat_id.as_ref().map(|v| v.as_str().to_string()))
        .bind(c.company_id.as_ref().map(to_json))
        .bind(c.peppol_id.as_ref().map(|p| p.as_str().to_string()))
        .bind(c.email.as_ref().map(|e| e.as_str().to_string()))
        .bind(c.lang.code())
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that client"))?;
        Ok(())
    }

    async fn client(&mut self, id: ClientId) -> crate::Result<Client> {
        let row = query(select("SELECT {} FROM clients WHERE id = $1", CLIENT_COLUMNS))
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(client_of).transpose()?.ok_or_else(|| not_found("client", id))
    }

    async fn clients(&mut self, entity: Option<EntityId>, limit: i64) -> crate::Result<Vec<Client>> {
        let rows = query(select(
            "SELECT {} FROM clients WHERE (CAST($1 AS TEXT) IS NULL OR entity_id = $1) ORDER BY name LIMIT $2",
            CLIENT_COLUMNS,
        ))
        .bind(id_text(entity))
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(client_of).collect()
    }

    async fn next_number(&mut self, entity: EntityId, kind: DocumentKind, year: i16) -> crate::Result<u32> {
        let row = query(
            "INSERT INTO sequences (entity_id, kind, year, last_value) VALUES ($1, $2, $3, 1)
             ON CONFLICT (entity_id, kind, year) DO UPDATE SET last_value = sequences.last_value + 1
             RETURNING last_value",
        )
        .bind(entity.to_string())
        .bind(kind.prefix())
        .bind(i64::from(year))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that sequence"))?;
        let n: i64 = col(&row, "sequences", "last_value")?;
        u32::try_from(n).map_err(|e| corrupt("sequences", e))
    }

    async fn next_numbers(&mut self, entity: EntityId, wanted: &[(DocumentKind, i16, u32)]) -> crate::Result<Vec<u32>> {
        // What each sequence gives in all, in the order first asked.
        let mut totals: Vec<(&'static str, i16, i64)> = Vec::new();
        for (kind, year, count) in wanted {
            if *count == 0 {
                return Err(crate::StoreError::Config("ask for at least one number".into()));
            }
            match totals.iter_mut().find(|t| t.0 == kind.prefix() && t.1 == *year) {
                Some(t) => t.2 += i64::from(*count),
                None => totals.push((kind.prefix(), *year, i64::from(*count))),
            }
        }
        if totals.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "INSERT INTO sequences (entity_id, kind, year, last_value) VALUES {}
             ON CONFLICT (entity_id, kind, year) DO UPDATE SET last_value = sequences.last_value + excluded.last_value
             RETURNING kind, year, last_value",
            (0..totals.len())
                .map(|i| format!("($1, ${}, ${}, ${})", 2 + 3 * i, 3 + 3 * i, 4 + 3 * i))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut q = query(AssertSqlSafe(sql)).bind(entity.to_string());
        for (kind, year, total) in &totals {
            q = q.bind(*kind).bind(i64::from(*year)).bind(*total);
        }
        let rows = q
            .fetch_all(&mut *self.tx)
            .await
            .map_err(|err| db_err(err, "that sequence"))?;
        // The next number each sequence gives: its last value less what was just taken, plus one.
        let mut next: Vec<i64> = Vec::with_capacity(totals.len());
        for (kind, year, total) in &totals {
            let mut last = None;
            for r in &rows {
                let k: String = col(r, "sequences", "kind")?;
                let y: i64 = col(r, "sequences", "year")?;
                if k == *kind && y == i64::from(*year) {
                    last = Some(col::<i64>(r, "sequences", "last_value")?);
                }
            }
            let last = last.ok_or_else(|| corrupt("sequences", format!("{kind} {year} not returned")))?;
            next.push(last - total + 1);
        }
        wanted
            .iter()
            .map(|(kind, year, count)| {
                let i = totals
                    .iter()
                    .position(|t| t.0 == kind.prefix() && t.1 == *year)
                    .unwrap_or_default();
                let n = next[i];
                next[i] += i64::from(*count);
                u32::try_from(n).map_err(|e| corrupt("sequences", e))
            })
            .collect()
    }

    async fn insert_declaration(&mut self, d: &Declaration, by: UserId, at: Micros) -> crate::Result<()> {
        let (kind, amount) = match d.work.amount {
            WorkAmount::Price(m) => ("price", m),
            WorkAmount::Gross(m) => ("gross", m),
        };
        query(
            "INSERT INTO declarations (id, number, entity_id, activity_id, member_id, client_id, period_start, period_end, unit, quantity, amount_kind, amount_cents, description, status, breakdown, rejection, created_by, created_at, decided_by, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
        )
        .bind(d.id.to_string())
        .bind(d.number.to_string())
        .bind(d.entity_id.to_string())
        .bind(d.activity_id.to_string())
        .bind(d.member_id.to_string())
        .bind(d.client_id.to_string())
        .bind(crate::date_text(d.work.period.start()))
        .bind(crate::date_text(d.work.period.end()))
        .bind(d.work.unit.code())
        .bind(d.work.quantity.0)
        .bind(kind)
        .bind(amount.cents())
        .bind(&d.work.description)
        .bind(d.status.code())
        .bind(to_json(&d.breakdown))
        .bind(d.rejection.clone())
        .bind(by.to_string())
        .bind(at)
        .bind((d.status != DeclarationStatus::Submitted).then(|| by.to_string()))
        .bind((d.status != DeclarationStatus::Submitted).then_some(at))
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "a declaration with that number"))?;
        Ok(())
    }

    async fn declaration(&mut self, id: DeclarationId) -> crate::Result<Declaration> {
        let row = query(select("SELECT {} FROM declarations WHERE id = $1", DECLARATION_COLUMNS))
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(declaration_of).transpose()?.ok_or_else(|| not_found("declaration", id))
    }

    async fn declarations(&mut self, f: &Filter) -> crate::Result<Vec<Declaration>> {
        let rows = query(select(
            "SELECT {} FROM declarations
             WHERE (CAST($1 AS TEXT) IS NULL OR entity_id = $1)
               AND (CAST($2 AS TEXT) IS NULL OR activity_id = $2)
               AND (CAST($3 AS TEXT) IS NULL OR activity_id IN (SELECT activity_id FROM activity_members WHERE member_id = $3))
               AND (CAST($4 AS TEXT) IS NULL OR status = $4)
             ORDER BY created_at, number LIMIT $5",
            DECLARATION_COLUMNS,
        ))
        .bind(id_text(f.entity))
        .bind(id_text(f.activity))
        .bind(id_text(f.member))
        .bind(f.status.clone())
        .bind(f.limit())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(declaration_of).collect()
    }

    async fn decide_declaration(
        &mut self,
        id: DeclarationId,
        status: DeclarationStatus,
        breakdown: &Breakdown,
        rejection: Option<&str>,
        by: UserId,
        at: Micros,
    ) -> crate::Result<()> {
        let done = query(
            "UPDATE declarations SET status = $1, breakdown = $2, rejection = $3, decided_by = $4, decided_at = $5
             WHERE id = $6 AND status = 'submitted'",
        )
        .bind(status.code())
        .bind(to_json(breakdown))
        .bind(rejection)
        .bind(by.to_string())
        .bind(at)
        .bind(id.to_string())
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            let current = self.declaration(id).await?;
            return Err(crate::StoreError::Conflict(format!(
                "declaration {} is {} already",
                current.number, current.status
            )));
        }
        Ok(())
    }

    async fn insert_invoice(&mut self, i: &Invoice, at: Micros) -> crate::Result<()> {
        query(
            "INSERT INTO invoices (id, number, entity_id, activity_id, client_id, declaration_id, issue_date, due_date, payment_reference, lang, lines, subtotals, net_cents, vat_cents, total_cents, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(i.id.to_string())
        .bind(i.number.to_string())
        .bind(i.entity_id.to_string())
        .bind(i.activity_id.to_string())
        .bind(i.client_id.to_string())
        .bind(id_text(i.declaration_id))
        .bind(crate::date_text(i.issue_date))
        .bind(crate::date_text(i.due_date))
        .bind(to_json(&i.payment_reference))
        .bind(i.lang.code())
        .bind(to_json(&i.lines))
        .bind(to_json(&i.totals.subtotals))
        .bind(i.totals.net.cents())
        .bind(i.totals.vat.cents())
        .bind(i.totals.with_vat.cents())
        .bind(i.status.code())
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "an invoice with that number"))?;
        Ok(())
    }

    async fn invoice(&mut self, id: InvoiceId) -> crate::Result<Invoice> {
        let row = query(select("SELECT {} FROM invoices WHERE id = $1", INVOICE_COLUMNS))
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(invoice_of).transpose()?.ok_or_else(|| not_found("invoice", id))
    }

    async fn invoices(&mut self, f: &Filter) -> crate::Result<Vec<Invoice>> {
        let rows = query(select(
            "SELECT {} FROM invoices
             WHERE (CAST($1 AS TEXT) IS NULL OR entity_id = $1)
               AND (CAST($2 AS TEXT) IS NULL OR activity_id = $2)
               AND (CAST($3 AS TEXT) IS NULL OR activity_id IN (SELECT activity_id FROM activity_members WHERE member_id = $3))
               AND (CAST($4 AS TEXT) IS NULL OR status = $4)
               AND (CAST($6 AS TEXT) IS NULL OR declaration_id = $6)
             ORDER BY number LIMIT $5",
            INVOICE_COLUMNS,
        ))
        .bind(id_text(f.entity))
        .bind(id_text(f.activity))
        .bind(id_text(f.member))
        .bind(f.status.clone())
        .bind(f.limit())
        .bind(id_text(f.declaration))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(invoice_of).collect()
    }

    async fn insert_contract(&mut self, c: &EmploymentContract, at: Micros) -> crate::Result<()> {
        self.insert_contracts(std::slice::from_ref(c), at).await
    }

    async fn insert_contracts(&mut self, cs: &[EmploymentContract], at: Micros) -> crate::Result<()> {
        for chunk in cs.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO contracts (id, number, entity_id, member_id, activity_id, declaration_id, country, kind, start_date, end_date, hours, days, gross_cents, title, created_at) VALUES {}",
                value_rows(chunk.len(), 15)
            );
            let mut q = query(AssertSqlSafe(sql));
            for c in chunk {
                q = q
                    .bind(c.id.to_string())
                    .bind(c.number.to_string())
                    .bind(c.entity_id.to_string())
                    .bind(c.member_id.to_string())
                    .bind(c.activity_id.to_string())
                    .bind(id_text(c.declaration_id))
                    .bind(c.country.slug())
                    .bind(c.kind.code())
                    .bind(crate::date_text(c.start))
                    .bind(crate::date_text(c.end))
                    .bind(c.hours)
                    .bind(c.days.map(i64::from))
                    .bind(c.gross.cents())
                    .bind(&c.title)
                    .bind(at);
            }
            q.execute(&mut *self.tx)
                .await
                .map_err(|err| db_err(err, "a contract with that number"))?;
        }
        Ok(())
    }

    async fn contract(&mut self, id: ContractId) -> crate::Result<EmploymentContract> {
        let row = query(select("SELECT {} FROM contracts WHERE id = $1", CONTRACT_COLUMNS))
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(contract_of).transpose()?.ok_or_else(|| not_found("contract", id))
    }

    async fn contracts(&mut self, f: &Filter) -> crate::Result<Vec<EmploymentContract>> {
        let rows = query(select(
            "SELECT {} FROM contracts
             WHERE (CAST($1 AS TEXT) IS NULL OR entity_id = $1)
               AND (CAST($2 AS TEXT) IS NULL OR activity_id = $2)
               AND (CAST($3 AS TEXT) IS NULL OR member_id = $3)
               AND (CAST($5 AS TEXT) IS NULL OR (start_date <= $6 AND end_date >= $5))
               AND (CAST($7 AS TEXT) IS NULL OR declaration_id = $7)
             ORDER BY number LIMIT $4",
            CONTRACT_COLUMNS,
        ))
        .bind(id_text(f.entity))
        .bind(id_text(f.activity))
        .bind(id_text(f.member))
        .bind(f.limit())
        .bind(f.month.map(|m| crate::date_text(m.first_day())))
        .bind(f.month.map(|m| crate::date_text(m.last_day())))
        .bind(id_text(f.declaration))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(contract_of).collect()
    }

    async fn insert_social_declaration(&mut self, s: &SocialDeclarationRecord) -> crate::Result<()> {
        self.insert_social_declarations(std::slice::from_ref(s)).await
    }

    async fn insert_social_declarations(&mut self, all: &[SocialDeclarationRecord]) -> crate::Result<()> {
        for chunk in all.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO social_declarations (id, contract_id, kind, payload, status, created_at) VALUES {}",
                value_rows(chunk.len(), 6)
            );
            let mut q = query(AssertSqlSafe(sql));
            for s in chunk {
                let kind = match s.declaration {
                    ensemble_domain::contract::SocialDeclaration::DimonaIn { .. } => "dimona_in",
                    ensemble_domain::contract::SocialDeclaration::Dpae { .. } => "dpae",
                };
                q = q
                    .bind(&s.id)
                    .bind(s.contract_id.to_string())
                    .bind(kind)
                    .bind(to_json(&s.declaration))
                    .bind(&s.status)
                    .bind(s.created_at);
            }
            q.execute(&mut *self.tx)
                .await
                .map_err(|err| db_err(err, "that social declaration"))?;
        }
        Ok(())
    }

    async fn social_declarations(&mut self, contract: ContractId) -> crate::Result<Vec<SocialDeclarationRecord>> {
        const T: &str = "social_declarations";
        let rows = query("SELECT id, contract_id, payload, status, created_at FROM social_declarations WHERE contract_id = $1 ORDER BY created_at")
            .bind(contract.to_string())
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SocialDeclarationRecord {
                    id: col(r, T, "id")?,
                    contract_id: parsed(r, T, "contract_id")?,
                    declaration: json(r, T, "payload")?,
                    status: col(r, T, "status")?,
                    created_at: col(r, T, "created_at")?,
                })
            })
            .collect()
    }

    async fn insert_payslip(&mut self, p: &PayslipRecord) -> crate::Result<()> {
        query(
            "INSERT INTO payslips (id, entity_id, member_id, activity_id, declaration_id, month, country, status, contract_kind, gross_cents, net_paid_cents, employer_cost_cents, totals, lines, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(p.id.to_string())
        .bind(p.entity_id.to_string())
        .bind(p.member_id.to_string())
        .bind(p.activity_id.to_string())
        .bind(id_text(p.declaration_id))
        .bind(p.month.to_string())
        .bind(&p.country)
        .bind(&p.status)
        .bind(&p.contract_kind)
        .bind(p.gross.cents())
        .bind(p.net_paid.cents())
        .bind(p.employer_cost.cents())
        .bind(p.totals.to_string())
        .bind(p.lines.to_string())
        .bind(p.created_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that payslip"))?;
        Ok(())
    }

    async fn payslip(&mut self, id: PayslipId) -> crate::Result<PayslipRecord> {
        let row = query(select("SELECT {} FROM payslips WHERE id = $1", PAYSLIP_COLUMNS))
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(payslip_of).transpose()?.ok_or_else(|| not_found("payslip", id))
    }

    async fn payslips(&mut self, f: &Filter) -> crate::Result<Vec<PayslipRecord>> {
        let rows = query(select(
            "SELECT {} FROM payslips
             WHERE (CAST($1 AS TEXT) IS NULL OR entity_id = $1)
               AND (CAST($2 AS TEXT) IS NULL OR activity_id = $2)
               AND (CAST($3 AS TEXT) IS NULL OR member_id = $3)
               AND (CAST($5 AS TEXT) IS NULL OR month = $5)
               AND (CAST($6 AS TEXT) IS NULL OR declaration_id = $6)
             ORDER BY month, created_at LIMIT $4",
            PAYSLIP_COLUMNS,
        ))
        .bind(id_text(f.entity))
        .bind(id_text(f.activity))
        .bind(id_text(f.member))
        .bind(f.limit())
        .bind(f.month.map(|m| m.to_string()))
        .bind(id_text(f.declaration))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(payslip_of).collect()
    }

    async fn stored_response(&mut self, scope: &str, key: &str) -> crate::Result<Option<StoredResponse>> {
        let row = query("SELECT fingerprint, response FROM idempotency_keys WHERE scope = $1 AND key = $2")
            .bind(scope)
            .bind(key)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref()
            .map(|r| {
                Ok(StoredResponse {
                    fingerprint: col(r, "idempotency_keys", "fingerprint")?,
                    response: col(r, "idempotency_keys", "response")?,
                })
            })
            .transpose()
    }

    async fn store_response(&mut self, scope: &str, key: &str, fingerprint: &str, response: &str, at: Micros) -> crate::Result<()> {
        query("INSERT INTO idempotency_keys (scope, key, fingerprint, response, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(scope)
            .bind(key)
            .bind(fingerprint)
            .bind(response)
            .bind(at)
            .execute(&mut *self.tx)
            .await
            .map_err(|err| db_err(err, "that idempotency key"))?;
        Ok(())
    }

    async fn count_rows(&mut self, table: &str) -> crate::Result<i64> {
        const TABLES: &[&str] = &[
            "entities", "members", "users", "share_subscriptions", "activities", "activity_members",
            "budget_movements", "clients", "sequences", "declarations", "invoices", "contracts",
            "social_declarations", "payslips", "idempotency_keys", "quotes", "expense_claims",
            "receipts", "expense_receipts", "sessions", "invitations", "password_resets",
            "login_attempts", "ledger_accounts", "ledger_journal", "ledger_transfers", "receivables",
            "payments_received", "payouts", "salary_dues", "dunning_steps", "fund_policies",
            "payout_batches", "payout_lines", "bank_statements", "bank_lines", "bank_line_matches",
            "reconciliation_queue", "manual_payments",
        ];
        if !TABLES.contains(&table) {
            return Err(crate::StoreError::Config(format!("unknown table {table}")));
        }
        let row = query(AssertSqlSafe(format!("SELECT COUNT(*) AS n FROM {table}")))
            .fetch_one(&mut *self.tx)
            .await?;
        col(&row, "count", "n")
    }
}
