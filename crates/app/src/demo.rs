//! A realistic demo cooperative: an entity in Brussels and one in Lille, 40 members, 60
//! activities with their clients and three months of declared work, all made through the use
//! cases (so the demo is what real use produces). Deterministic: the same data every time.

use std::sync::Arc;

use ensemble_domain::people::Role;
use ensemble_domain::work::DeclarationStatus;
use ensemble_domain::{ActivityId, ClientId, Country, Lang, Money, Status};
use serde::{Deserialize, Serialize};

use crate::activities::BudgetAdjustment;
use crate::inputs::{
    AddressInput, NewActivity, NewActivityMember, NewClient, NewDeclaration, NewEntity, NewMember,
    NewUser, PeriodInput, Rejection,
};
use crate::{Actor, App, AppError, AppResult, FixedClock};

/// The password of every demo account, shown on the demo's login page.
pub const DEMO_PASSWORD: &str = "ensemble-demo";

/// A demo account: who it is and its token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub role: String,
    pub email: String,
    pub name: String,
    pub token: String,
}

/// What the demo created.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoSummary {
    pub accounts: Vec<DemoAccount>,
    pub entities: usize,
    pub members: usize,
    pub activities: usize,
    pub clients: usize,
    pub declarations: usize,
    pub invoices: usize,
    pub contracts: usize,
    pub quotes: usize,
    pub orders_invoiced: usize,
    pub expense_claims: usize,
    /// Client payments recorded in the books.
    #[serde(default)]
    pub payments: usize,
    /// Who can declare work on which activity, with their tokens (the benchmark drives them);
    /// not saved with the accounts.
    #[serde(skip)]
    pub workers: Vec<DemoWorker>,
}

/// How to seed the demo.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoOptions {
    /// The entities validate declarations at once, so that each declaration produces its
    /// invoice, contract(s), payslip and budget movements in its own transaction (the
    /// benchmark). The demo itself queues them for the advisor.
    pub auto_validate: bool,
}

/// An activity's manager, who declares work on it for the entity's clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoWorker {
    pub actor: Actor,
    /// The member's API token.
    pub token: String,
    pub activity_id: ActivityId,
    pub country: Country,
    /// The clients of the activity's entity.
    pub clients: Vec<ClientId>,
}

fn address(line: String, postcode: &str, city: &str, country: &str) -> AddressInput {
    AddressInput {
        lines: vec![line],
        postcode: Some(postcode.to_string()),
        city: city.to_string(),
        country: country.to_string(),
    }
}

/// A valid Belgian IBAN for account number `n` at ING Belgium (bank code 363, BIC BBRUBEBB,
/// the demo entity's bank; the National Bank of Belgium's list gives ING the codes 300–399).
pub fn be_iban(n: u32) -> String {
    // Bank code 363, then seven digits: a ten-digit number, then its mod-97 check.
    let ten = 3_630_000_000 + u64::from(n % 10_000_000);
    let check = match ten % 97 {
        0 => 97,
        c => c,
    };
    iban("BE", &format!("{ten:010}{check:02}"))
}

/// A valid French IBAN for account `n` at bank 30006, branch 00001 (RIB key computed).
pub fn fr_iban(n: u32) -> String {
    let bank = 30006u64;
    let branch = 1u64;
    let account = 10_000_000_000u64 + u64::from(n);
    let key = 97 - ((89 * bank + 15 * branch + 3 * account) % 97);
    let bban = format!("{bank:05}{branch:05}{account:011}{key:02}");
    iban("FR", &bban)
}

/// The demo address for a client's invoices: `julien.petit@example.org` for a person,
/// `factures@lefresnoy.example.com` for a company (ASCII letters and digits of the name).
fn client_email(kind: &str, name: &str) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if kind == "person" {
        format!("{}@example.org", words.join("."))
    } else {
        format!("factures@{}.example.com", words.concat())
    }
}

fn iban(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    let mut remainder = 0u64;
    for c in rearranged.chars() {
        let digits = if c.is_ascii_digit() {
            c.to_string()
        } else {
            (u64::from(c as u8 - b'A') + 10).to_string()
        };
        for d in digits.chars() {
            remainder = (remainder * 10 + u64::from(d as u8 - b'0')) % 97;
        }
    }
    format!("{country}{:02}{bban}", 98 - remainder)
}

/// A valid NISS for a birth date (before 2000) and a serial number.
pub fn niss(year: u32, month: u32, day: u32, serial: u32) -> String {
    let base =
        u64::from((year % 100) * 10_000_000 + month * 100_000 + day * 1_000 + serial % 1_000);
    format!("{base:09}{:02}", 97 - base % 97)
}

/// A valid NIR for a sex (1 or 2), birth year and month, place and order number.
pub fn nir(sex: u32, year: u32, month: u32, serial: u32) -> String {
    // Sex, year, month, département 59 and commune 350 (Lille), order number.
    let base = u64::from(sex) * 1_000_000_000_000
        + u64::from(year % 100) * 10_000_000_000
        + u64::from(month) * 100_000_000
        + 59_350 * 1_000
        + u64::from(serial % 1_000);
    format!("{base:013}{:02}", 97 - base % 97)
}

const FIRST: [&str; 20] = [
    "Alice", "Bruno", "Chloé", "David", "Emma", "Farid", "Gaëlle", "Hugo", "Inès", "Jonas",
    "Karim", "Léa", "Marc", "Nora", "Olivier", "Pauline", "Quentin", "Rania", "Samuel", "Tess",
];
const LAST: [&str; 10] = [
    "Janssens", "Dubois", "Peeters", "Lambert", "Maes", "Martin", "Leroy", "Mertens", "Dupont",
    "Claes",
];
const TRADES: [(&str, &str); 6] = [
    ("Studio photo", "Photo shoot"),
    ("Atelier graphique", "Poster and programme design"),
    ("Compagnie", "Theatre performance"),
    ("Traduction", "Translation"),
    ("Formation", "Training day"),
    ("Son & lumière", "Sound engineering"),
];

impl App {
    /// Seeds the demo cooperative into an empty database; refuses a database that has users.
    pub async fn seed_demo(&self) -> AppResult<DemoSummary> {
        self.seed_demo_with(DemoOptions::default()).await
    }

    /// [`App::seed_demo`] with options.
    pub async fn seed_demo_with(&self, options: DemoOptions) -> AppResult<DemoSummary> {
        // Three months of work, from September to November 2026, each step at its own date.
        let at = |date: &str| -> App {
            let mut app = self.clone();
            let ts: jiff::Timestamp = format!("{date}T09:00:00Z")
                .parse()
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
            app.clock = Arc::new(FixedClock(ts));
            app
        };
        let start = at("2026-09-01");
        let admin_account = start.bootstrap_admin("admin@demo.ensemble.coop").await?;
        let admin = Actor {
            user: admin_account.user.id,
            role: Role::Admin,
            member: None,
            lang: Lang::En,
        };
        let mut summary = DemoSummary::default();
        summary.accounts.push(DemoAccount {
            role: "admin".into(),
            email: admin_account.user.email.to_string(),
            name: "Administrator".into(),
            token: admin_account.token.clone(),
        });
        let mut staff = Vec::new();
        for (email, role) in [
            ("advisor@demo.ensemble.coop", "advisor"),
            ("accountant@demo.ensemble.coop", "accountant"),
        ] {
            let account = start
                .create_user(
                    &admin,
                    &NewUser {
                        email: email.into(),
                        role: role.into(),
                        lang: Some(Lang::Fr),
                    },
                    None,
                )
                .await?;
            summary.accounts.push(DemoAccount {
                role: role.into(),
                email: email.into(),
                name: format!("Demo {role}"),
                token: account.token.clone(),
            });
            staff.push(Actor {
                user: account.user.id,
                role: account.user.role,
                member: None,
                lang: Lang::Fr,
            });
        }
        let advisor = staff[0].clone();

        let brussels = start
            .create_entity(
                &admin,
                &NewEntity {
                    country: "be".into(),
                    name: "Ensemble Bruxelles SCRL".into(),
                    legal_id: "0403.170.701".into(),
                    vat_id: "BE0403170701".into(),
                    iban: be_iban(1),
                    bic: Some("BBRUBEBB".into()),
                    address: address("Rue Coenraets 72".into(), "1060", "Saint-Gilles", "BE"),
                    fee_rate: None,
                    vat_rate: None,
                    payment_term_days: None,
                    headcount: Some(350),
                    auto_validate: options.auto_validate,
                },
                None,
            )
            .await?;
        let lille = start
            .create_entity(
                &admin,
                &NewEntity {
                    country: "fr".into(),
                    name: "Ensemble Lille SCIC".into(),
                    legal_id: "732 829 320 00074".into(),
                    vat_id: "FR44732829320".into(),
                    iban: fr_iban(1),
                    bic: None,
                    address: address("12 rue de Paris".into(), "59000", "Lille", "FR"),
                    fee_rate: None,
                    vat_rate: None,
                    payment_term_days: None,
                    headcount: Some(120),
                    auto_validate: options.auto_validate,
                },
                None,
            )
            .await?;
        summary.entities = 2;

        // 40 members: 24 in Brussels, 16 in Lille.
        let mut members = Vec::new();
        let mut tokens = Vec::new();
        for i in 0..40u32 {
            let belgian = i < 24;
            let entity = if belgian { &brussels } else { &lille };
            let first = FIRST[(i % 20) as usize];
            let last = LAST[((i * 7) % 10) as usize];
            let email = format!(
                "{}.{}{}@demo.ensemble.coop",
                first.to_lowercase(),
                last.to_lowercase(),
                i
            )
            .replace(['é', 'ë', 'è'], "e")
            .replace('ï', "i");
            let input = NewMember {
                entity_id: entity.id,
                first_name: first.into(),
                last_name: last.into(),
                email,
                iban: if belgian {
                    be_iban(1000 + i)
                } else {
                    fr_iban(1000 + i)
                },
                national_id: if belgian {
                    niss(1970 + i % 25, 1 + i % 12, 1 + i % 28, 100 + i)
                } else {
                    nir(1 + i % 2, 1970 + i % 25, 1 + i % 12, 100 + i)
                },
                address: if belgian {
                    address(format!("Rue du Midi {}", 10 + i), "1000", "Bruxelles", "BE")
                } else {
                    address(format!("{} rue Solférino", 10 + i), "59000", "Lille", "FR")
                },
                lang: Some(if belgian && i % 3 == 0 {
                    Lang::Nl
                } else {
                    Lang::Fr
                }),
                status: Some(match (belgian, i % 4) {
                    (true, 0) => Status::Employee,
                    (true, _) => Status::Artist,
                    (false, 0) => Status::Cadre,
                    (false, _) => Status::NonCadre,
                }),
                joined_on: None,
                shares: Some(if belgian { 1 } else { 1 + i % 3 }),
            };
            let admission = start.admit_member(&advisor, &input, None).await?;
            let actor = Actor {
                user: admission.user.id,
                role: Role::Member,
                member: Some(admission.member.id),
                lang: admission.member.lang,
            };
            if i == 0 || i == 24 {
                summary.accounts.push(DemoAccount {
                    role: "member".into(),
                    email: admission.member.email.to_string(),
                    name: admission.member.full_name(),
                    token: admission.token.clone(),
                });
            }
            tokens.push(admission.token.clone());
            members.push((admission.member, actor));
        }
        summary.members = members.len();

        // 60 activities: each member manages one or two, some with a participant.
        let mut activities = Vec::new();
        for k in 0..60usize {
            let (owner, owner_actor) = &members[k % 40];
            let entity = if owner.entity_id == brussels.id {
                &brussels
            } else {
                &lille
            };
            let (trade, _) = TRADES[k % TRADES.len()];
            let activity = start
                .create_activity(
                    owner_actor,
                    &NewActivity {
                        entity_id: entity.id,
                        name: format!("{trade} {}", owner.last_name),
                        description: String::new(),
                        manager: None,
                        fee_rate: None,
                    },
                    None,
                )
                .await?;
            if k % 5 == 0 {
                // A colleague of the same entity joins as participant.
                let partner = members
                    .iter()
                    .filter(|(m, _)| m.entity_id == entity.id && m.id != owner.id)
                    .nth(k % 7)
                    .map(|(m, _)| m.id);
                if let Some(p) = partner {
                    start
                        .put_activity_member(
                            owner_actor,
                            activity.id,
                            &NewActivityMember {
                                member_id: p,
                                role: "participant".into(),
                            },
                            None,
                        )
                        .await?;
                }
            }
            activities.push((activity, owner_actor.clone(), entity.clone(), k));
        }
        summary.activities = activities.len();

        // Clients: two per activity owner's entity, companies and people, some abroad.
        let mut be_clients = Vec::new();
        let mut fr_clients = Vec::new();
        let client_specs: [(&str, &str, Option<&str>, AddressInput, Country); 8] = [
            (
                "company",
                "Théâtre Varia",
                Some("BE0403170701"),
                address("Rue du Sceptre 78".into(), "1050", "Ixelles", "BE"),
                Country::Be,
            ),
            (
                "company",
                "Kaaitheater vzw",
                None,
                address("Sainctelettesquare 20".into(), "1000", "Brussel", "BE"),
                Country::Be,
            ),
            (
                "person",
                "Sophie Wuyts",
                None,
                address("Avenue Louise 200".into(), "1050", "Ixelles", "BE"),
                Country::Be,
            ),
            (
                "company",
                "Kulturhaus Berlin GmbH",
                Some("DE136695976"),
                address("Hauptstraße 5".into(), "10115", "Berlin", "DE"),
                Country::Be,
            ),
            (
                "company",
                "Opéra de Lille",
                Some("FR44732829320"),
                address("2 rue des Bons-Enfants".into(), "59800", "Lille", "FR"),
                Country::Fr,
            ),
            (
                "company",
                "Le Fresnoy",
                None,
                address("22 rue du Fresnoy".into(), "59200", "Tourcoing", "FR"),
                Country::Fr,
            ),
            (
                "person",
                "Julien Petit",
                None,
                address("8 place du Théâtre".into(), "59000", "Lille", "FR"),
                Country::Fr,
            ),
            (
                "company",
                "De Studio Antwerpen",
                Some("NL004495445B01"),
                address("Keizersgracht 1".into(), "1015 CJ", "Amsterdam", "NL"),
                Country::Fr,
            ),
        ];
        let client_maker = members
            .iter()
            .find(|(m, _)| m.entity_id == brussels.id)
            .map(|(_, a)| a.clone());
        let client_maker_fr = members
            .iter()
            .find(|(m, _)| m.entity_id == lille.id)
            .map(|(_, a)| a.clone());
        for (kind, name, vat, addr, country) in client_specs {
            let (entity, maker) = match country {
                Country::Be => (&brussels, client_maker.as_ref()),
                Country::Fr => (&lille, client_maker_fr.as_ref()),
            };
            let Some(maker) = maker else { continue };
            let client = start
                .create_client(
                    maker,
                    &NewClient {
                        entity_id: entity.id,
                        kind: kind.into(),
                        name: name.into(),
                        address: addr,
                        vat_id: vat.map(str::to_string),
                        company_id: None,
                        peppol_id: None,
                        // Every client gets an address for its invoices: it is the buyer's
                        // electronic address (BT-49) when it has no Peppol or SIREN
                        // identifier, which the French reform's rules ask for (BR-FR-12).
                        email: Some(client_email(kind, name)),
                        lang: Some(if country == Country::Be && name.contains("vzw") {
                            Lang::Nl
                        } else {
                            Lang::Fr
                        }),
                    },
                    None,
                )
                .await?;
            match country {
                Country::Be => be_clients.push(client),
                Country::Fr => fr_clients.push(client),
            }
        }
        summary.clients = be_clients.len() + fr_clients.len();
        summary.workers = activities
            .iter()
            .map(|(activity, owner, entity, k)| DemoWorker {
                actor: owner.clone(),
                token: tokens[k % tokens.len()].clone(),
                activity_id: activity.id,
                country: entity.country,
                clients: if entity.id == brussels.id {
                    &be_clients
                } else {
                    &fr_clients
                }
                .iter()
                .map(|c| c.id)
                .collect(),
            })
            .collect();

        // Three months of work: each activity declares work in September, October and
        // November; the advisor validates most of it, rejects a few, and leaves the latest in
        // the queue.
        let mut declared = 0;
        let all_clients: Vec<_> = be_clients.iter().chain(&fr_clients).cloned().collect();
        for (month, (mm, last_day)) in [(9u8, 30u8), (10, 31), (11, 30)].into_iter().enumerate() {
            let q = crate::quotes::seed_demo_quotes(
                self,
                &advisor,
                &activities,
                &all_clients,
                mm as i8,
            )
            .await?;
            summary.quotes += q.quotes;
            summary.orders_invoiced += q.invoiced;
            for (activity, owner, entity, k) in &activities {
                if (k + month) % 3 == 2 {
                    continue;
                }
                let clients = if entity.id == brussels.id {
                    &be_clients
                } else {
                    &fr_clients
                };
                let client = &clients[(k + month) % clients.len()];
                let day = 1 + ((k * 3 + month * 5) % 24) as u8;
                let (unit, quantity, end) = match (entity.country, k % 4) {
                    (Country::Be, 0 | 1) => ("day", "2", day + 1),
                    (Country::Be, 2) => ("day", "1", day),
                    (Country::Be, _) => ("half_day", "1", day),
                    (Country::Fr, 0 | 1) => ("day", "3", (day + 6).min(last_day)),
                    (Country::Fr, 2) => ("hour", "12", (day + 3).min(last_day)),
                    (Country::Fr, _) => ("day", "5", (day + 9).min(last_day)),
                };
                let by_gross = k % 3 == 0;
                let amount = Money::from_cents(
                    if entity.country == Country::Be {
                        42_000
                    } else {
                        65_000
                    } + (*k as i64 % 9) * 7_500,
                );
                let (_, description) = TRADES[*k % TRADES.len()];
                let input = NewDeclaration {
                    activity_id: activity.id,
                    client_id: client.id,
                    member_id: None,
                    period: PeriodInput {
                        start: jiff::civil::date(2026, mm as i8, day as i8),
                        end: jiff::civil::date(2026, mm as i8, end as i8),
                    },
                    unit: unit.into(),
                    quantity: quantity.into(),
                    price: (!by_gross).then_some(amount),
                    gross: by_gross.then_some(Money::from_cents(amount.cents() * 3 / 5)),
                    description: format!("{description} for {}", client.name),
                };
                let on = at(&format!("2026-{mm:02}-{:02}", (end + 1).min(last_day)));
                let result = match on.declare_work(owner, &input, None).await {
                    Ok(r) => r,
                    // A combination below a legal minimum is skipped, as a member would fix it.
                    Err(AppError::Invalid(_)) => continue,
                    Err(other) => return Err(other),
                };
                declared += 1;
                let decide_on = at(&format!("2026-{mm:02}-{last_day:02}"));
                if month < 2 || k % 4 == 0 {
                    if result.declaration.status != DeclarationStatus::Submitted {
                        // Validated at once (DemoOptions::auto_validate): nothing to decide.
                    } else if (k + month) % 17 == 16 {
                        decide_on
                            .reject_declaration(&advisor, result.declaration.id, &Rejection { reason: "The client is not the one on the order form; please correct and declare again.".into() })
                            .await?;
                    } else {
                        decide_on
                            .validate_declaration(&advisor, result.declaration.id, None)
                            .await?;
                    }
                }
            }
        }
        summary.declarations = declared;

        // A few activities get an opening balance from before Ensemble.
        for (activity, _, _, k) in activities.iter().filter(|(_, _, _, k)| k % 10 == 3) {
            start
                .adjust_budget(
                    &staff[1],
                    activity.id,
                    &BudgetAdjustment {
                        amount: Money::from_cents(150_000 + *k as i64 * 1_000),
                        label: "Opening balance carried over from the previous system".into(),
                    },
                    None,
                )
                .await?;
        }

        summary.expense_claims =
            crate::expenses::seed_demo_expenses(self, &advisor, &staff[1], &activities).await?;

        // Clients pay: September and October invoices in full eight days after issue (one in
        // seven only half, one in thirteen ten euros too much), a third of November's.
        let invoices = {
            let mut tx = self.store.read().await?;
            tx.invoices(&ensemble_store::Filter {
                limit: Some(10_000),
                ..ensemble_store::Filter::default()
            })
            .await?
        };
        for (i, invoice) in invoices.iter().enumerate() {
            let total = invoice.totals.with_vat;
            let amount = if invoice.issue_date.month() == 11 {
                if i % 3 != 0 {
                    continue;
                }
                total
            } else if i % 7 == 3 {
                Money::from_cents(total.cents() / 2)
            } else if i % 13 == 5 {
                total + Money::from_cents(1_000)
            } else {
                total
            };
            if !amount.is_positive() {
                continue;
            }
            let paid_on = invoice
                .issue_date
                .checked_add(jiff::Span::new().days(8))
                .unwrap_or(invoice.issue_date);
            at(&paid_on.to_string())
                .record_payment(
                    &staff[1],
                    invoice.id,
                    &crate::payments::NewPayment {
                        amount,
                        paid_on,
                        method: crate::payments::PaymentMethod::Transfer,
                        reference: format!("DEMO-{}", invoice.number),
                    },
                    None,
                )
                .await?;
            summary.payments += 1;
        }

        // Every demo account signs in to the pages with the same password.
        for account in &summary.accounts {
            self.set_password_by_email(&account.email, DEMO_PASSWORD)
                .await?;
        }

        let mut tx = self.store.read().await?;
        summary.invoices = usize::try_from(tx.count_rows("invoices").await?).unwrap_or(0);
        summary.contracts = usize::try_from(tx.count_rows("contracts").await?).unwrap_or(0);
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_identifiers_are_valid() {
        use ensemble_domain::identifiers::{Iban, Nir, Niss};
        for n in [1, 17, 1000, 1039, 9_999_999] {
            assert!(be_iban(n).parse::<Iban>().is_ok(), "{}", be_iban(n));
            assert!(fr_iban(n).parse::<Iban>().is_ok(), "{}", fr_iban(n));
        }
        for i in 0..40 {
            let n = niss(1970 + i % 25, 1 + i % 12, 1 + i % 28, 100 + i);
            assert!(n.parse::<Niss>().is_ok(), "{n}");
            let r = nir(1 + i % 2, 1970 + i % 25, 1 + i % 12, 100 + i);
            assert!(r.parse::<Nir>().is_ok(), "{r}");
        }
    }
}
