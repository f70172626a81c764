//! Work declarations: a member declares work for an activity and a client; once validated, one
//! transaction produces the invoice, the employment contract(s) with their Dimona or DPAE, the
//! payslip and the budget movements, and the breakdown shows every euro.

use ensemble_domain::activity::{Activity, ActivityStatus};
use ensemble_domain::client::{Client, ClientKind, CompanyId, VatTreatment, vat_for_services};
use ensemble_domain::contract::{EmploymentContract, SocialDeclaration, contract_title};
use ensemble_domain::coop::{CooperativeEntity, LegalId};
use ensemble_domain::identifiers::{BeEnterpriseNumber, CountryCode};
use ensemble_domain::invoice::{
    Invoice, InvoiceLine, InvoiceStatus, LineQuantity, due_date, totals,
};
use ensemble_domain::people::Member;
use ensemble_domain::work::{
    Breakdown, Declaration, DeclarationStatus, Work, WorkAmount, WorkPeriod, WorkUnit,
};
use ensemble_domain::{
    Contract, ContractId, Country, DeclarationId, DocumentKind, DocumentNumber, FeePolicy, Invalid,
    InvoiceId, Lang, Money, PaymentReference, PayslipId,
};
use ensemble_ledger::rules::{Event, Party};
use ensemble_payroll::{Amount, Case, Engine, Hours, PayrollError, Payslip};
use ensemble_store::{
    BudgetMovement, Filter, PayslipRecord, SocialDeclarationRecord, StoreError, Tx,
};
use serde::{Deserialize, Serialize};

use crate::access::{Access, access_with, activity_access, require_staff};
use crate::idempotency::{remember, replay};
use crate::inputs::{NewDeclaration, Rejection, text};
use crate::{Actor, App, AppError, AppResult, Idempotency};

/// A declaration and what it produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeclarationResult {
    pub declaration: Declaration,
    pub invoice: Option<Invoice>,
    pub contracts: Vec<EmploymentContract>,
    pub payslip: Option<PayslipRecord>,
}

impl DeclarationResult {
    /// What `actor` may see of it: the worker's contracts and payslip are theirs (and
    /// staff's), as `GET /contracts/{id}` and `GET /payslips/{id}` say; another member of the
    /// activity sees the declaration and the invoice only.
    pub(crate) fn seen_by(mut self, actor: &Actor) -> DeclarationResult {
        if !actor.role.is_staff() && actor.member != Some(self.declaration.member_id) {
            self.contracts.clear();
            self.payslip = None;
        }
        self
    }
}

/// What the work comes to, before anything is written.
pub(crate) struct Plan {
    pub breakdown: Breakdown,
    pub payslip: Payslip,
    pub vat: VatTreatment,
    /// Contract days and the hours of each (hundredths), for Belgian daily contracts.
    pub daily: Option<(u32, Option<i64>)>,
    pub contract: Contract,
    pub hours: Option<i64>,
}

/// Hours of a French working day, and of a Belgian one (38 h over five days).
const FR_DAY_HOURS: i64 = 700;
const BE_DAY_HOURS: i64 = 760;

/// Computes the breakdown of `work`: the payroll case it makes, the payslip, the fee and VAT.
pub(crate) fn plan(
    engine: &Engine,
    entity: &CooperativeEntity,
    activity: &Activity,
    member: &Member,
    client: &Client,
    work: &Work,
) -> AppResult<Plan> {
    let q = work.quantity.0;
    let days_in_period = work.period.calendar_days();
    let mut case = Case::new(
        entity.country,
        work.period.month(),
        Amount::Gross(Money::ZERO),
    );
    case.status = Some(member.status);
    case.headcount = Some(entity.headcount);
    let mut daily = None;
    let (contract, hours) = match (entity.country, work.unit) {
        (Country::Fr, WorkUnit::Day) => (Contract::CddUsage, Some(q / 100 * FR_DAY_HOURS)),
        (Country::Fr, WorkUnit::HalfDay) => (Contract::CddUsage, Some(q / 100 * FR_DAY_HOURS / 2)),
        (Country::Fr, WorkUnit::Hour) => (Contract::CddUsage, Some(q)),
        (Country::Fr, WorkUnit::Month) => (Contract::Cdd, None),
        (Country::Be, WorkUnit::Day | WorkUnit::HalfDay) => {
            let count = q / 100;
            if count != i64::from(days_in_period) {
                return Err(Invalid::new(
                    "quantity",
                    format!(
                        "in Belgium each day worked is a daily contract: {} {} over the {days_in_period} days from {} to {}; declare consecutive days worked, one declaration per stretch",
                        work.quantity,
                        if work.unit == WorkUnit::Day { "days" } else { "half-days" },
                        work.period.start(),
                        work.period.end()
                    ),
                )
                .into());
            }
            let per_day = (work.unit == WorkUnit::HalfDay).then_some(BE_DAY_HOURS / 2);
            daily = Some((days_in_period, per_day));
            (Contract::Daily, per_day.map(|h| h * count))
        }
        (Country::Be, WorkUnit::Hour) => {
            daily = Some((days_in_period, Some(q / i64::from(days_in_period))));
            (Contract::Daily, Some(q))
        }
        (Country::Be, WorkUnit::Month) => (Contract::Cdd, None),
    };
    case.contract = Some(contract);
    case.hours = hours.map(Hours);
    case.days = daily.map(|(d, _)| d);
    case.short_contract = contract == Contract::CddUsage;

    let fee = FeePolicy {
        rate: activity.fee_override.unwrap_or(entity.fee.rate),
    };
    let supplier = CountryCode::from(entity.country);
    let vat = vat_for_services(supplier, entity.vat_rate, client);
    let amount_field = match work.amount {
        WorkAmount::Price(_) => "price",
        WorkAmount::Gross(_) => "gross",
    };
    let field_of = |e: &PayrollError| match e.field() {
        "hours" | "days" => "quantity",
        "status" => "member_id",
        "month" => "period",
        "gross" | "budget" | "net" => amount_field,
        other => other,
    };
    let run = |case: &Case| -> AppResult<Payslip> {
        engine
            .compute(case)
            .map_err(|e| AppError::Invalid(Invalid::new(field_of(&e), crate::payroll_message(&e))))
    };
    let (price, payslip) = match work.amount {
        WorkAmount::Price(price) => {
            let for_salary = price - fee.fee_on(price);
            case.amount = Amount::Budget(for_salary);
            let slip = run(&case).map_err(|e| match e {
                AppError::Invalid(i) => AppError::Invalid(Invalid::new(
                    "price",
                    format!(
                        "{price} less the {} % fee leaves {for_salary} for the salary: {}",
                        fee.rate, i.message
                    ),
                )),
                other => other,
            })?;
            (price, slip)
        }
        WorkAmount::Gross(gross) => {
            case.amount = Amount::Gross(gross);
            let slip = run(&case)?;
            (fee.price_for(slip.totals.employer_cost), slip)
        }
    };
    let t = payslip.totals;
    let fee_amount = fee.fee_on(price);
    let vat_amount = vat.rate.of(price);
    let breakdown = Breakdown {
        invoiced: price,
        vat: vat_amount,
        invoiced_with_vat: price + vat_amount,
        fee_rate: fee.rate,
        fee: fee_amount,
        employer_cost: t.employer_cost,
        employer_contributions: t.employer_contributions,
        employer_reliefs: t.employer_reliefs,
        gross: t.gross,
        employee_contributions: t.employee_contributions,
        withholding_tax: t.withholding_tax,
        net: t.net_paid,
        kept_in_budget: price - fee_amount - t.employer_cost,
    };
    if !breakdown.balances() || breakdown.kept_in_budget.is_negative() {
        return Err(AppError::Internal(format!(
            "breakdown does not balance: {breakdown:?}"
        )));
    }
    Ok(Plan {
        breakdown,
        payslip,
        vat,
        daily,
        contract,
        hours,
    })
}

fn work_of(input: &NewDeclaration) -> Result<Work, Invalid> {
    // The field is named by its path in the input, as for a date that does not parse.
    let period = WorkPeriod::new(input.period.start, input.period.end).map_err(|e| {
        let field = match e.field {
            "start" => "period.start",
            "end" => "period.end",
            other => other,
        };
        Invalid::new(field, e.message)
    })?;
    let amount = match (input.price, input.gross) {
        (Some(p), None) => WorkAmount::Price(p),
        (None, Some(g)) => WorkAmount::Gross(g),
        _ => {
            return Err(Invalid::new(
                "price",
                "give either the price excl. VAT or the gross salary",
            ));
        }
    };
    Work::new(
        period,
        input.unit()?,
        input.quantity()?,
        amount,
        text("description", &input.description, 500)?,
    )
}

fn unit_label(unit: WorkUnit, lang: Lang) -> &'static str {
    match (unit, lang) {
        (WorkUnit::Day, Lang::Fr) => "jour(s)",
        (WorkUnit::Day, Lang::Nl) => "dag(en)",
        (WorkUnit::Day, Lang::En) => "day(s)",
        (WorkUnit::HalfDay, Lang::Fr) => "demi-journée(s)",
        (WorkUnit::HalfDay, Lang::Nl) => "halve dag(en)",
        (WorkUnit::HalfDay, Lang::En) => "half-day(s)",
        (WorkUnit::Hour, Lang::Fr) => "heure(s)",
        (WorkUnit::Hour, Lang::Nl) => "uur",
        (WorkUnit::Hour, Lang::En) => "hour(s)",
        (WorkUnit::Month, Lang::Fr) => "mois",
        (WorkUnit::Month, Lang::Nl) => "maand",
        (WorkUnit::Month, Lang::En) => "month",
    }
}

impl App {
    /// Declares work. It is validated at once when the entity says so, else it waits in the
    /// advisors' queue. Refused, with nothing written, when the actor is not on the activity,
    /// a participant declares someone else's work, the dates or quantity do not fit, or the
    /// salary would fall below the legal minimum.
    pub async fn declare_work(
        &self,
        actor: &Actor,
        input: &NewDeclaration,
        idem: Option<&Idempotency>,
    ) -> AppResult<DeclarationResult> {
        let work = work_of(input)?;
        let mut tx = self.store.write().await?;
        if let Some(previous) =
            replay::<DeclarationResult>(&mut *tx, actor, "declare_work", idem).await?
        {
            return Ok(previous.seen_by(actor));
        }
        // Everything the checks and the work need, in one read; the checks in their order.
        let context = tx
            .work_context(
                input.activity_id,
                actor.member,
                input.member_id.or(actor.member),
                input.client_id,
            )
            .await?;
        let activity = context.activity;
        let access = access_with(actor, activity.id, context.actor_role)?;
        let member_id = match (input.member_id, actor.member) {
            (Some(m), _) => m,
            (None, Some(me)) => me,
            (None, None) => return Err(Invalid::new("member_id", "say whose work it is").into()),
        };
        if access == Access::Participant && Some(member_id) != actor.member {
            return Err(AppError::forbidden(
                "a participant declares their own work only",
            ));
        }
        if activity.status != ActivityStatus::Active {
            return Err(AppError::conflict(
                "activity_not_active",
                format!("activity {} is {}", activity.name, activity.status),
            ));
        }
        let entity = context.entity;
        let member = context.member.ok_or_else(|| StoreError::NotFound {
            kind: "member",
            id: member_id.to_string(),
        })?;
        // A member declaring their own work has just been found on the activity.
        let own = access != Access::Staff && Some(member.id) == actor.member;
        if !own && context.member_role.is_none() {
            return Err(Invalid::new("member_id", "that member is not on the activity").into());
        }
        let client = context.client.ok_or_else(|| StoreError::NotFound {
            kind: "client",
            id: input.client_id.to_string(),
        })?;
        if client.entity_id != entity.id {
            return Err(Invalid::new("client_id", "that client belongs to another entity").into());
        }
        let plan = plan(self.engine, &entity, &activity, &member, &client, &work)?;
        let year = work.period.start().year();
        // Validated at once: the declaration, invoice and contract numbers in one go, and the
        // declaration written already decided.
        let (sequence, numbers, status) = if entity.auto_validate {
            let today = self.clock.today();
            let spans = contract_spans(&work, plan.daily);
            let mut wanted = vec![
                (DocumentKind::Declaration, year, 1),
                (DocumentKind::Invoice, today.year(), 1),
            ];
            wanted.extend(
                spans
                    .iter()
                    .map(|(start, _)| (DocumentKind::Contract, start.year(), 1)),
            );
            let taken = tx.next_numbers(entity.id, &wanted).await?;
            let numbers = Numbers {
                today,
                invoice: taken[1],
                contracts: spans.into_iter().zip(taken[2..].iter().copied()).collect(),
            };
            (taken[0], Some(numbers), DeclarationStatus::Validated)
        } else {
            let sequence = tx
                .next_number(entity.id, DocumentKind::Declaration, year)
                .await?;
            (sequence, None, DeclarationStatus::Submitted)
        };
        let mut declaration = Declaration {
            id: DeclarationId::from_uuid(self.id()),
            number: DocumentNumber::new(DocumentKind::Declaration, entity.country, year, sequence),
            entity_id: entity.id,
            activity_id: activity.id,
            member_id: member.id,
            client_id: client.id,
            work,
            status,
            breakdown: plan.breakdown,
            rejection: None,
        };
        let at = self.clock.micros();
        tx.insert_declaration(&declaration, actor.user, at).await?;
        let result = if let Some(numbers) = numbers {
            self.produce(
                &mut *tx,
                actor,
                &mut declaration,
                &entity,
                &activity,
                &member,
                &client,
                plan,
                Some(numbers),
            )
            .await?
        } else {
            DeclarationResult {
                declaration,
                invoice: None,
                contracts: Vec::new(),
                payslip: None,
            }
        };
        remember(&mut *tx, actor, "declare_work", idem, &result, at).await?;
        tx.commit().await?;
        Ok(result.seen_by(actor))
    }

    /// Validates a submitted declaration (advisors): produces its documents in one
    /// transaction.
    pub async fn validate_declaration(
        &self,
        actor: &Actor,
        id: DeclarationId,
        idem: Option<&Idempotency>,
    ) -> AppResult<DeclarationResult> {
        require_staff(actor)?;
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "validate_declaration", idem).await? {
            return Ok(previous);
        }
        let mut declaration = tx.declaration(id).await?;
        if declaration.status != DeclarationStatus::Submitted {
            return Err(AppError::conflict(
                "already_decided",
                format!(
                    "declaration {} is {} already",
                    declaration.number, declaration.status
                ),
            ));
        }
        let entity = tx.entity(declaration.entity_id).await?;
        let activity = tx.activity(declaration.activity_id).await?;
        let member = tx.member(declaration.member_id).await?;
        let client = tx.client(declaration.client_id).await?;
        let plan = plan(
            self.engine,
            &entity,
            &activity,
            &member,
            &client,
            &declaration.work,
        )?;
        let result = self
            .produce(
                &mut *tx,
                actor,
                &mut declaration,
                &entity,
                &activity,
                &member,
                &client,
                plan,
                None,
            )
            .await?;
        remember(
            &mut *tx,
            actor,
            "validate_declaration",
            idem,
            &result,
            self.clock.micros(),
        )
        .await?;
        tx.commit().await?;
        Ok(result)
    }

    /// Rejects a submitted declaration (advisors), with the reason the member will read.
    pub async fn reject_declaration(
        &self,
        actor: &Actor,
        id: DeclarationId,
        input: &Rejection,
    ) -> AppResult<Declaration> {
        require_staff(actor)?;
        let reason = text("reason", &input.reason, 1000)?;
        let mut tx = self.store.write().await?;
        let declaration = tx.declaration(id).await?;
        tx.decide_declaration(
            id,
            DeclarationStatus::Rejected,
            &declaration.breakdown,
            Some(&reason),
            actor.user,
            self.clock.micros(),
        )
        .await
        .map_err(|e| match e {
            ensemble_store::StoreError::Conflict(m) => AppError::conflict("already_decided", m),
            other => other.into(),
        })?;
        let declaration = tx.declaration(id).await?;
        tx.commit().await?;
        Ok(declaration)
    }

    /// A declaration and its documents (the activity's members, or staff).
    pub async fn declaration(
        &self,
        actor: &Actor,
        id: DeclarationId,
    ) -> AppResult<DeclarationResult> {
        let mut tx = self.store.read().await?;
        let declaration = tx.declaration(id).await?;
        activity_access(&mut *tx, actor, declaration.activity_id).await?;
        // Only this declaration's documents (one contract per day at most).
        let filter = Filter {
            declaration: Some(id),
            limit: Some(10_000),
            ..Filter::default()
        };
        let invoice = tx.invoices(&filter).await?.into_iter().next();
        let contracts = tx.contracts(&filter).await?;
        let payslip = tx.payslips(&filter).await?.into_iter().next();
        Ok(DeclarationResult {
            declaration,
            invoice,
            contracts,
            payslip,
        }
        .seen_by(actor))
    }

    /// Declarations the actor sees, by status: staff all, members their activities'.
    pub async fn declarations(
        &self,
        actor: &Actor,
        status: Option<DeclarationStatus>,
    ) -> AppResult<Vec<Declaration>> {
        let mut filter = Filter {
            status: status.map(|s| s.code().to_string()),
            limit: Some(10_000),
            ..Filter::default()
        };
        if !actor.role.is_staff() {
            filter.member = Some(crate::access::own_member(actor)?);
        }
        let mut tx = self.store.read().await?;
        Ok(tx.declarations(&filter).await?)
    }

    /// What the breakdown of a declaration would be, without writing anything (the live
    /// simulator of the declaration form).
    pub async fn preview_declaration(
        &self,
        actor: &Actor,
        input: &NewDeclaration,
    ) -> AppResult<Breakdown> {
        let work = work_of(input)?;
        let mut tx = self.store.read().await?;
        activity_access(&mut *tx, actor, input.activity_id).await?;
        let activity = tx.activity(input.activity_id).await?;
        let entity = tx.entity(activity.entity_id).await?;
        let member_id = input
            .member_id
            .or(actor.member)
            .ok_or_else(|| Invalid::new("member_id", "say whose work it is"))?;
        let member = tx.member(member_id).await?;
        let client = tx.client(input.client_id).await?;
        Ok(plan(self.engine, &entity, &activity, &member, &client, &work)?.breakdown)
    }

    /// Writes everything a validated declaration produces, in the caller's transaction.
    /// `numbers` are the invoice's and contracts' when the caller took them already (then the
    /// declaration was written validated); else they are taken here and the declaration is
    /// decided at the end.
    #[allow(clippy::too_many_arguments)]
    async fn produce(
        &self,
        tx: &mut dyn Tx,
        actor: &Actor,
        declaration: &mut Declaration,
        entity: &CooperativeEntity,
        activity: &Activity,
        member: &Member,
        client: &Client,
        plan: Plan,
        numbers: Option<Numbers>,
    ) -> AppResult<DeclarationResult> {
        let at = self.clock.micros();
        let decided = numbers.is_some();
        let numbers = match numbers {
            Some(n) => n,
            None => {
                let today = self.clock.today();
                let spans = contract_spans(&declaration.work, plan.daily);
                let mut wanted = vec![(DocumentKind::Invoice, today.year(), 1)];
                wanted.extend(
                    spans
                        .iter()
                        .map(|(start, _)| (DocumentKind::Contract, start.year(), 1)),
                );
                let taken = tx.next_numbers(entity.id, &wanted).await?;
                Numbers {
                    today,
                    invoice: taken[0],
                    contracts: spans.into_iter().zip(taken[1..].iter().copied()).collect(),
                }
            }
        };
        let today = numbers.today;
        let work = &declaration.work;
        let b = plan.breakdown;

        // The invoice: one line for the work.
        let year = today.year();
        let invoice_number =
            DocumentNumber::new(DocumentKind::Invoice, entity.country, year, numbers.invoice);
        let qty_thousandths = work.quantity.0 * 10;
        let unit_price = Money::from_cents(b.invoiced.cents() * 1000 / qty_thousandths.max(1));
        let (quantity, unit_code, unit_price) =
            if unit_price.cents() * qty_thousandths == b.invoiced.cents() * 1000 {
                (
                    LineQuantity(qty_thousandths),
                    work.unit.unit_code(),
                    unit_price,
                )
            } else {
                (LineQuantity(1000), "C62", b.invoiced)
            };
        let description = format!(
            "{} — {} {} ({} – {})",
            work.description,
            work.quantity,
            unit_label(work.unit, client.lang),
            work.period.start(),
            work.period.end()
        );
        let line = InvoiceLine::new(description, quantity, unit_code, unit_price, plan.vat)?;
        let lines = vec![line];
        let invoice = Invoice {
            id: InvoiceId::from_uuid(self.id()),
            number: invoice_number,
            entity_id: entity.id,
            activity_id: activity.id,
            client_id: client.id,
            declaration_id: Some(declaration.id),
            issue_date: today,
            due_date: due_date(today, entity.payment_term_days),
            payment_reference: PaymentReference::for_invoice(&invoice_number),
            lang: client.lang,
            totals: totals(&lines),
            lines,
            status: InvoiceStatus::Issued,
        };
        if invoice.totals.net != b.invoiced || invoice.totals.vat != b.vat {
            return Err(AppError::Internal(
                "invoice totals differ from the breakdown".into(),
            ));
        }
        tx.insert_invoice(&invoice, at).await?;

        // The contract(s): one per day in Belgium for daily work, one for the period otherwise,
        // each with its Dimona or DPAE.
        let count = numbers.contracts.len() as i64;
        let mut contracts = Vec::with_capacity(numbers.contracts.len());
        let mut socials = Vec::with_capacity(numbers.contracts.len());
        for (i, ((start, end), sequence)) in numbers.contracts.into_iter().enumerate() {
            // Split the gross evenly, the remainder on the last day.
            let share = Money::from_cents(b.gross.cents() / count);
            let gross = if i as i64 == count - 1 {
                b.gross - share.times(count - 1)
            } else {
                share
            };
            let number = DocumentNumber::new(
                DocumentKind::Contract,
                entity.country,
                start.year(),
                sequence,
            );
            let contract = EmploymentContract {
                id: ContractId::from_uuid(self.id()),
                number,
                entity_id: entity.id,
                member_id: member.id,
                activity_id: activity.id,
                declaration_id: Some(declaration.id),
                country: entity.country,
                kind: plan.contract,
                start,
                end,
                hours: match plan.daily {
                    Some((_, per_day)) => per_day,
                    None => plan.hours,
                },
                days: plan.daily.map(|_| 1),
                gross,
                title: contract_title(&work.description, &client.name, start, end),
            };
            let social = social_declaration(entity, member, user_company(client), &contract);
            socials.push(SocialDeclarationRecord {
                id: self.id().to_string(),
                contract_id: contract.id,
                declaration: social,
                status: "prepared".to_string(),
                created_at: at,
            });
            contracts.push(contract);
        }
        tx.insert_contracts(&contracts, at).await?;
        tx.insert_social_declarations(&socials).await?;

        // The payslip, as the engine computed it.
        let payslip = crate::documents::payslip_record(
            PayslipId::from_uuid(self.id()),
            &plan.payslip,
            entity.id,
            member,
            activity.id,
            Some(declaration.id),
            at,
        )?;
        tx.insert_payslip(&payslip).await?;

        // The budget: the invoiced work less the fee comes in, the salary goes out.
        let income = BudgetMovement {
            id: self.id().to_string(),
            activity_id: activity.id,
            kind: "income".to_string(),
            amount: b.invoiced - b.fee,
            document: invoice.number.to_string(),
            label: format!(
                "{} to {}: {} less the fee {}",
                invoice.number, client.name, b.invoiced, b.fee
            ),
            created_at: at,
        };
        let first = contracts
            .first()
            .map(|c| c.number.to_string())
            .unwrap_or_default();
        let salary = BudgetMovement {
            id: self.id().to_string(),
            activity_id: activity.id,
            kind: "salary".to_string(),
            amount: -b.employer_cost,
            document: first.clone(),
            label: format!("Salary of {} ({first}): employer cost", member.full_name()),
            created_at: at,
        };
        tx.move_budgets(&[income, salary]).await?;

        // The books: the invoice with its fee and the fund's share, then the salary with its
        // contributions and withholding tax due (the fund advancing what the budget lacks).
        let books = crate::ledger::books_of(entity);
        let activity_party = Party::new(activity.id, activity.name.clone());
        crate::ledger::post_invoice(
            tx,
            &books,
            &invoice,
            activity_party.clone(),
            Party::new(client.id, client.name.clone()),
            b.fee,
            at,
        )
        .await?;
        let salary = crate::ledger::salary_event(
            Event::new(
                crate::ledger::event_id(payslip.id.to_string())?,
                today,
                first.clone(),
                format!("Salaire {} {first}", member.full_name()),
            ),
            Party::new(member.id, member.full_name()),
            activity_party,
            &plan.payslip,
        );
        let advanced = crate::ledger::post_salary(tx, &books, &salary, at).await?;
        crate::ledger::record_salary_due(
            tx,
            entity,
            &payslip,
            Some(invoice.id),
            work.period.end(),
            salary.net_payable,
            advanced,
            at,
        )
        .await?;

        if !decided {
            tx.decide_declaration(
                declaration.id,
                DeclarationStatus::Validated,
                &b,
                None,
                actor.user,
                at,
            )
            .await?;
        }
        declaration.status = DeclarationStatus::Validated;
        declaration.breakdown = b;
        Ok(DeclarationResult {
            declaration: declaration.clone(),
            invoice: Some(invoice),
            contracts,
            payslip: Some(payslip),
        })
    }
}

/// The numbers a validated declaration's documents get, taken together, and the day it is
/// validated (the invoice's date and year).
pub(crate) struct Numbers {
    today: jiff::civil::Date,
    invoice: u32,
    /// Each contract's first and last day, and its number.
    contracts: Vec<((jiff::civil::Date, jiff::civil::Date), u32)>,
}

/// The contracts of the work: one per day in Belgium for daily work, one for the period
/// otherwise (`daily` as the plan gives it).
fn contract_spans(
    work: &Work,
    daily: Option<(u32, Option<i64>)>,
) -> Vec<(jiff::civil::Date, jiff::civil::Date)> {
    match daily {
        Some((days, _)) => {
            let mut spans = Vec::with_capacity(days as usize);
            let mut d = work.period.start();
            for _ in 0..days {
                spans.push((d, d));
                d = d.tomorrow().unwrap_or(d);
            }
            spans
        }
        None => vec![(work.period.start(), work.period.end())],
    }
}

/// The Dimona IN (Belgium) or DPAE (France) of a contract; `user_company` is the Belgian
/// client the worker is made available to, under the interim framework.
pub(crate) fn social_declaration(
    entity: &CooperativeEntity,
    member: &Member,
    user_company: Option<&BeEnterpriseNumber>,
    contract: &EmploymentContract,
) -> SocialDeclaration {
    match &entity.legal_id {
        LegalId::BeEnterprise(bce) => SocialDeclaration::DimonaIn {
            employer: bce.as_str().to_string(),
            worker: member.national_id.as_str().to_string(),
            joint_committee: "322".to_string(),
            worker_type: "OTH".to_string(),
            start: contract.start,
            end: contract.end,
            user_company: user_company.map(|n| n.as_str().to_string()),
        },
        LegalId::Siret(siret) => SocialDeclaration::Dpae {
            employer: siret.as_str().to_string(),
            employee: member.national_id.as_str().to_string(),
            contract_type: match contract.kind {
                Contract::CddUsage => "CDD d'usage",
                Contract::Cdd => "CDD",
                _ => "CDI",
            }
            .to_string(),
            start: contract.start,
            end: Some(contract.end),
            hours: contract.hours,
        },
    }
}

/// The Belgian company a client is, for the Dimona of work made available to it.
pub(crate) fn user_company(client: &Client) -> Option<&BeEnterpriseNumber> {
    match (&client.kind, &client.company_id) {
        (ClientKind::Company, Some(CompanyId::BeEnterprise(n))) => Some(n),
        _ => None,
    }
}
