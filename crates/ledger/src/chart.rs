//! Charts of accounts: the French PCG and the Belgian PCMN (the accounts a shared-enterprise
//! cooperative needs), and the analytic chart of activity budgets and the guarantee fund.
//!
//! Posting rules never write an account number: they ask the entity's chart for a [`Role`]
//! ("client receivable", "withholding tax due"), and the chart answers with its code (411 in
//! France, 400 in Belgium).
//!
//! # Sources
//! - France: Plan comptable général, règlement ANC n° 2014-03 relatif au plan comptable
//!   général, in its version applicable to fiscal years opened from 1 January 2025 (as amended
//!   by règlement ANC n° 2022-06), list of accounts (livre III).
//! - Belgium: plan comptable minimum normalisé / minimum genormaliseerd rekeningenstelsel
//!   (PCMN / MAR), annex to the arrêté royal du 21 octobre 2018 (accounting of enterprises,
//!   Code de droit économique, book III), as amended by the arrêté royal du 29 avril 2019
//!   executing the Code des sociétés et des associations (CSA), which gave companies without
//!   capital — cooperatives among them — class 11 "Apport hors capital".
//!
//! # Choices (documented here, once)
//! - **Sub-accounts** are real accounts with an [`Owner`](crate::Owner): `411` of each client, `421` of each
//!   member, `9200` of each activity. The FEC writes them as auxiliary accounts
//!   (`CompAuxNum`), the way French software writes `411` client accounts. An analytic
//!   dimension was rejected: an activity budget must be one account with a balance and a
//!   limit.
//! - **Activity budgets and the guarantee fund are analytic** (book [`Book::Analytic`],
//!   class 9, which neither legal chart uses: the PCG's accounts stop at class 8, the PCMN's
//!   at class 7 plus class 0). A budget is what an activity may spend, not a debt of the
//!   cooperative: putting it in the legal books would misstate the balance sheet. The legal
//!   books keep the whole price as revenue (706 / 700) and the whole salary as a charge
//!   (641 / 620).
//! - **Guarantee fund: a reserve, not a provision.** In the legal books the fund is a reserve
//!   created by the statutes and fed by the general meeting's appropriation of the result:
//!   FR 1063 "Réserves statutaires ou contractuelles", BE 131 "Réserves indisponibles". A
//!   provision (FR 151, BE 16) needs an obligation to a third party, probable at the closing
//!   date, for a given risk; a general fund against future bad debts is not one (PCG,
//!   art. 321-1 ff.: a liability, and so a provision, is an obligation to a third party;
//!   BE, arrêté royal du 29 avril 2019, art. 3:28: provisions cover "des pertes ou charges
//!   nettement circonscrites quant à leur nature"). Receivables actually lost are written off
//!   (654 / 642) when dunning fails. Between two general meetings the fund's
//!   earmarked amount (fed by part of every fee) lives in the analytic book (9300), where
//!   advances and write-offs draw on it.
//! - **French VAT on services** is due when the price is received (CGI art. 269, 2-c), so an
//!   invoice credits 4458 "Taxes sur le chiffre d'affaires à régulariser ou en attente" and
//!   each payment moves its share to 44571 "TVA collectée"; an entity that opted for VAT on
//!   debits credits 44571 at once. Belgian VAT is due on the invoice (451).
//! - **Members' current accounts** (expense claims owed to members): FR 468 "Divers comptes
//!   créditeurs et charges à payer" (455 "Associés – comptes courants" is for associates'
//!   loans, and not every member is an associate), BE 489 "Autres dettes diverses".
//! - **Share subscriptions**: FR 1013 "Capital souscrit – appelé, versé" (variable capital of
//!   a SCOP/SCIC); BE 111 "Apport indisponible hors capital" (since the CSA a cooperative has
//!   no capital; the statutes may instead make contributions available, 110).
//! - **Expense claims**: FR 625 "Déplacements, missions et réceptions"; BE 610, a subdivision
//!   of 61 "Services et biens divers" (the PCMN leaves 61 to the enterprise).

use ensemble_domain::Country;
use serde::Serialize;

use crate::model::{AccountCode, AccountFlags, AccountKind, Book};

/// What an account is for, independent of the country's numbering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    // General book
    ClientReceivable,
    SupplierPayable,
    /// Amounts owed to a member other than salary (expense claims).
    MemberCurrentAccount,
    SalariesPayable,
    /// URSSAF (FR), ONSS (BE).
    SocialSecurity,
    /// Supplementary pension, provident and unemployment bodies (FR 437), other social debts
    /// (BE 459).
    OtherSocialBodies,
    /// Income tax withheld at source: PAS (FR), précompte professionnel (BE).
    WithholdingTax,
    VatCollected,
    /// VAT invoiced but not yet due (FR services: due on receipt). Equal to `VatCollected`
    /// where VAT is due on the invoice.
    VatCollectedPending,
    VatDeductible,
    /// Where the VAT of a bad debt is claimed back (FR: 44571 itself; BE: 411).
    VatRecoverableOnBadDebt,
    Bank,
    /// Money on the bank account not yet identified (a client's credit nothing matched yet):
    /// FR 471 "Comptes d'attente", BE 499 "Comptes d'attente".
    Suspense,
    ServiceRevenue,
    Salaries,
    EmployerContributions,
    MemberExpenses,
    BadDebtLoss,
    ShareCapital,
    GuaranteeFundReserve,
    RetainedEarningsCredit,
    RetainedEarningsDebit,
    // Analytic book
    BudgetAvailable,
    BudgetAwaitingPayment,
    GuaranteeFund,
    FundAdvances,
    WorkInvoiced,
    CooperativeFee,
    SalariesCharged,
    ExpensesCharged,
}

/// What owns the sub-accounts of a chart entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    None,
    Activity,
    Member,
    Client,
    Fund,
}

/// One account of a chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ChartEntry {
    pub code: AccountCode,
    pub kind: AccountKind,
    pub owner: OwnerKind,
    pub flags: AccountFlags,
    /// The official label (French for the PCG and the PCMN).
    pub label: &'static str,
    /// The official Dutch label (PCMN / MAR), when there is one.
    pub label_nl: Option<&'static str>,
    pub label_en: &'static str,
    /// Where the number and label come from.
    pub source: &'static str,
}

/// A chart of accounts.
#[derive(Debug, Serialize)]
pub struct Chart {
    pub name: &'static str,
    pub book: Book,
    pub source: &'static str,
    pub entries: &'static [ChartEntry],
    #[serde(skip)]
    roles: &'static [(Role, &'static str)],
}

impl Chart {
    /// The legal chart of an entity's country.
    pub const fn for_country(country: Country) -> &'static Chart {
        match country {
            Country::Fr => &FR_PCG,
            Country::Be => &BE_PCMN,
        }
    }

    /// The chart of a book: the country's legal chart, or the analytic chart.
    pub const fn for_book(country: Country, book: Book) -> &'static Chart {
        match book {
            Book::General => Chart::for_country(country),
            Book::Analytic => &ANALYTIC,
        }
    }

    /// The entry with this code.
    pub fn entry(&self, code: &AccountCode) -> Option<&'static ChartEntry> {
        self.entries.iter().find(|e| e.code == *code)
    }

    /// The entry playing `role`, if this chart has one.
    pub fn role(&self, role: Role) -> Option<&'static ChartEntry> {
        let code = self.roles.iter().find(|(r, _)| *r == role)?.1;
        self.entries.iter().find(|e| e.code.as_str() == code)
    }
}

const fn entry(
    code: &'static str,
    kind: AccountKind,
    owner: OwnerKind,
    label: &'static str,
    label_nl: Option<&'static str>,
    label_en: &'static str,
    source: &'static str,
) -> ChartEntry {
    ChartEntry {
        code: AccountCode::from_static(code),
        kind,
        owner,
        flags: AccountFlags::NONE,
        label,
        label_nl,
        label_en,
        source,
    }
}

const fn limited(mut e: ChartEntry, flags: AccountFlags) -> ChartEntry {
    e.flags = flags;
    e
}

use AccountKind::{Asset, Equity, Expense, Income, Liability};

const PCG: &str = "PCG, règlement ANC n° 2014-03 (version au 1er janvier 2025), liste des comptes";
const PCMN: &str = "PCMN, arrêté royal du 21 octobre 2018 (modifié par l'AR du 29 avril 2019)";
const INTERNAL: &str = "Ensemble analytic chart (class 9, unused by the PCG and the PCMN)";

/// The French Plan comptable général: the accounts Ensemble posts to.
pub static FR_PCG: Chart = Chart {
    name: "Plan comptable général (PCG)",
    book: Book::General,
    source: "Règlement ANC n° 2014-03 relatif au plan comptable général, version applicable aux \
             exercices ouverts à compter du 1er janvier 2025 (règlement ANC n° 2022-06), livre III, \
             liste des comptes",
    entries: &[
        entry(
            "1013",
            Equity,
            OwnerKind::None,
            "Capital souscrit - appelé, versé",
            None,
            "Subscribed capital, called up and paid",
            PCG,
        ),
        entry(
            "1063",
            Equity,
            OwnerKind::None,
            "Réserves statutaires ou contractuelles",
            None,
            "Statutory or contractual reserves (guarantee fund)",
            PCG,
        ),
        entry(
            "110",
            Equity,
            OwnerKind::None,
            "Report à nouveau - solde créditeur",
            None,
            "Retained earnings (credit balance)",
            PCG,
        ),
        entry(
            "119",
            Equity,
            OwnerKind::None,
            "Report à nouveau - solde débiteur",
            None,
            "Retained earnings (debit balance)",
            PCG,
        ),
        entry(
            "401",
            Liability,
            OwnerKind::None,
            "Fournisseurs",
            None,
            "Suppliers",
            PCG,
        ),
        entry(
            "411",
            Asset,
            OwnerKind::Client,
            "Clients",
            None,
            "Clients",
            PCG,
        ),
        entry(
            "421",
            Liability,
            OwnerKind::Member,
            "Personnel - Rémunérations dues",
            None,
            "Staff - salaries payable",
            PCG,
        ),
        entry(
            "431",
            Liability,
            OwnerKind::None,
            "Sécurité sociale",
            None,
            "Social security (URSSAF)",
            PCG,
        ),
        entry(
            "437",
            Liability,
            OwnerKind::None,
            "Autres organismes sociaux",
            None,
            "Other social bodies",
            PCG,
        ),
        entry(
            "4421",
            Liability,
            OwnerKind::None,
            "Prélèvements à la source (Impôt sur le revenu)",
            None,
            "Income tax withheld at source (PAS)",
            PCG,
        ),
        entry(
            "44566",
            Asset,
            OwnerKind::None,
            "TVA sur autres biens et services",
            None,
            "Deductible VAT on other goods and services",
            PCG,
        ),
        entry(
            "44571",
            Liability,
            OwnerKind::None,
            "TVA collectée",
            None,
            "VAT collected",
            PCG,
        ),
        entry(
            "4458",
            Liability,
            OwnerKind::None,
            "Taxes sur le chiffre d'affaires à régulariser ou en attente",
            None,
            "VAT to be regularised or pending (VAT on services, due on receipt)",
            PCG,
        ),
        entry(
            "468",
            Liability,
            OwnerKind::Member,
            "Divers comptes créditeurs et charges à payer",
            None,
            "Sundry creditors: members' current accounts (expense claims)",
            PCG,
        ),
        entry(
            "471",
            Liability,
            OwnerKind::None,
            "Comptes d'attente",
            None,
            "Suspense account (credits received, not yet identified)",
            "PCG, règlement ANC n° 2014-03, liste des comptes: 47 Comptes transitoires ou \
             d'attente, 471 à 475 Comptes d'attente",
        ),
        entry("512", Asset, OwnerKind::None, "Banques", None, "Bank", PCG),
        entry(
            "625",
            Expense,
            OwnerKind::None,
            "Déplacements, missions et réceptions",
            None,
            "Travel, assignments and receptions (members' expense claims)",
            PCG,
        ),
        entry(
            "641",
            Expense,
            OwnerKind::None,
            "Rémunérations du personnel",
            None,
            "Staff salaries",
            PCG,
        ),
        entry(
            "645",
            Expense,
            OwnerKind::None,
            "Cotisations de sécurité sociale et de prévoyance",
            None,
            "Employer social security and provident contributions",
            PCG,
        ),
        entry(
            "654",
            Expense,
            OwnerKind::None,
            "Pertes sur créances irrécouvrables",
            None,
            "Losses on irrecoverable receivables",
            PCG,
        ),
        entry(
            "706",
            Income,
            OwnerKind::None,
            "Prestations de services",
            None,
            "Services rendered",
            PCG,
        ),
    ],
    roles: &[
        (Role::ClientReceivable, "411"),
        (Role::SupplierPayable, "401"),
        (Role::MemberCurrentAccount, "468"),
        (Role::SalariesPayable, "421"),
        (Role::SocialSecurity, "431"),
        (Role::OtherSocialBodies, "437"),
        (Role::WithholdingTax, "4421"),
        (Role::VatCollected, "44571"),
        (Role::VatCollectedPending, "4458"),
        (Role::VatDeductible, "44566"),
        (Role::VatRecoverableOnBadDebt, "44571"),
        (Role::Bank, "512"),
        (Role::Suspense, "471"),
        (Role::ServiceRevenue, "706"),
        (Role::Salaries, "641"),
        (Role::EmployerContributions, "645"),
        (Role::MemberExpenses, "625"),
        (Role::BadDebtLoss, "654"),
        (Role::ShareCapital, "1013"),
        (Role::GuaranteeFundReserve, "1063"),
        (Role::RetainedEarningsCredit, "110"),
        (Role::RetainedEarningsDebit, "119"),
    ],
};

/// The Belgian PCMN (MAR): the accounts Ensemble posts to, with their French and Dutch
/// labels.
pub static BE_PCMN: Chart = Chart {
    name: "Plan comptable minimum normalisé (PCMN) / Minimum genormaliseerd rekeningenstelsel (MAR)",
    book: Book::General,
    source: "Arrêté royal du 21 octobre 2018, annexe: plan comptable minimum normalisé, modifié \
             par l'arrêté royal du 29 avril 2019 portant exécution du Code des sociétés et des \
             associations (classe 11, apport hors capital)",
    entries: &[
        entry(
            "111",
            Equity,
            OwnerKind::None,
            "Apport indisponible hors capital",
            Some("Onbeschikbare inbreng buiten kapitaal"),
            "Unavailable contribution outside capital (cooperative shares)",
            PCMN,
        ),
        entry(
            "131",
            Equity,
            OwnerKind::None,
            "Réserves indisponibles",
            Some("Onbeschikbare reserves"),
            "Unavailable reserves (statutory guarantee fund)",
            PCMN,
        ),
        entry(
            "140",
            Equity,
            OwnerKind::None,
            "Bénéfice reporté",
            Some("Overgedragen winst"),
            "Profit carried forward",
            PCMN,
        ),
        entry(
            "141",
            Equity,
            OwnerKind::None,
            "Perte reportée",
            Some("Overgedragen verlies"),
            "Loss carried forward",
            PCMN,
        ),
        entry(
            "400",
            Asset,
            OwnerKind::Client,
            "Clients",
            Some("Handelsdebiteuren"),
            "Clients",
            PCMN,
        ),
        entry(
            "411",
            Asset,
            OwnerKind::None,
            "T.V.A. à récupérer",
            Some("Terug te vorderen btw"),
            "VAT recoverable",
            PCMN,
        ),
        entry(
            "440",
            Liability,
            OwnerKind::None,
            "Fournisseurs",
            Some("Leveranciers"),
            "Suppliers",
            PCMN,
        ),
        entry(
            "451",
            Liability,
            OwnerKind::None,
            "T.V.A. à payer",
            Some("Te betalen btw"),
            "VAT payable",
            PCMN,
        ),
        entry(
            "453",
            Liability,
            OwnerKind::None,
            "Précomptes retenus",
            Some("Ingehouden voorheffingen"),
            "Withholding taxes retained (précompte professionnel)",
            PCMN,
        ),
        entry(
            "454",
            Liability,
            OwnerKind::None,
            "Office national de la sécurité sociale",
            Some("Rijksdienst voor Sociale Zekerheid"),
            "National Social Security Office (ONSS)",
            PCMN,
        ),
        entry(
            "455",
            Liability,
            OwnerKind::Member,
            "Rémunérations",
            Some("Bezoldigingen"),
            "Salaries payable",
            PCMN,
        ),
        entry(
            "459",
            Liability,
            OwnerKind::None,
            "Autres dettes sociales",
            Some("Andere sociale schulden"),
            "Other social debts",
            PCMN,
        ),
        entry(
            "489",
            Liability,
            OwnerKind::Member,
            "Autres dettes diverses",
            Some("Andere diverse schulden"),
            "Other sundry debts: members' current accounts (expense claims)",
            PCMN,
        ),
        entry(
            "499",
            Liability,
            OwnerKind::None,
            "Comptes d'attente",
            Some("Wachtrekeningen"),
            "Suspense account (credits received, not yet identified)",
            "PCMN, arrêté royal du 21 octobre 2018 (modifié par l'AR du 29 avril 2019): \
             49 Comptes de régularisation et d'attente, 499 Comptes d'attente",
        ),
        entry(
            "550",
            Asset,
            OwnerKind::None,
            "Établissements de crédit : comptes courants",
            Some("Kredietinstellingen: rekeningen-courant"),
            "Credit institutions: current accounts",
            PCMN,
        ),
        entry(
            "610",
            Expense,
            OwnerKind::None,
            "Services et biens divers",
            Some("Diensten en diverse goederen"),
            "Services and sundry goods (members' expense claims; subdivision of 61)",
            PCMN,
        ),
        entry(
            "620",
            Expense,
            OwnerKind::None,
            "Rémunérations et avantages sociaux directs",
            Some("Bezoldigingen en rechtstreekse sociale voordelen"),
            "Salaries and direct social benefits",
            PCMN,
        ),
        entry(
            "621",
            Expense,
            OwnerKind::None,
            "Cotisations patronales d'assurances sociales",
            Some("Werkgeversbijdragen voor sociale verzekeringen"),
            "Employer social security contributions",
            PCMN,
        ),
        entry(
            "642",
            Expense,
            OwnerKind::None,
            "Moins-values sur réalisation de créances commerciales",
            Some("Minderwaarden op de realisatie van handelsvorderingen"),
            "Losses on trade receivables",
            PCMN,
        ),
        entry(
            "700",
            Income,
            OwnerKind::None,
            "Ventes et prestations de services",
            Some("Verkopen en dienstprestaties"),
            "Sales and services",
            PCMN,
        ),
    ],
    roles: &[
        (Role::ClientReceivable, "400"),
        (Role::SupplierPayable, "440"),
        (Role::MemberCurrentAccount, "489"),
        (Role::SalariesPayable, "455"),
        (Role::SocialSecurity, "454"),
        (Role::OtherSocialBodies, "459"),
        (Role::WithholdingTax, "453"),
        (Role::VatCollected, "451"),
        (Role::VatCollectedPending, "451"),
        (Role::VatDeductible, "411"),
        (Role::VatRecoverableOnBadDebt, "411"),
        (Role::Bank, "550"),
        (Role::Suspense, "499"),
        (Role::ServiceRevenue, "700"),
        (Role::Salaries, "620"),
        (Role::EmployerContributions, "621"),
        (Role::MemberExpenses, "610"),
        (Role::BadDebtLoss, "642"),
        (Role::ShareCapital, "111"),
        (Role::GuaranteeFundReserve, "131"),
        (Role::RetainedEarningsCredit, "140"),
        (Role::RetainedEarningsDebit, "141"),
    ],
};

/// The analytic chart, the same in every entity. Reflected accounts (9400, 9420, 9430)
/// mirror the legal revenue and charges: their balance lies on the side opposite to their
/// kind, as "comptes réfléchis" do.
pub static ANALYTIC: Chart = Chart {
    name: "Activity budgets and guarantee fund",
    book: Book::Analytic,
    source: INTERNAL,
    entries: &[
        limited(
            entry(
                "9200",
                Liability,
                OwnerKind::Activity,
                "Budget disponible de l'activité",
                Some("Beschikbaar budget van de activiteit"),
                "Activity budget available",
                INTERNAL,
            ),
            AccountFlags::NO_OVERDRAFT,
        ),
        limited(
            entry(
                "9201",
                Liability,
                OwnerKind::Activity,
                "Budget en attente d'encaissement",
                Some("Budget in afwachting van betaling"),
                "Activity budget awaiting the client's payment",
                INTERNAL,
            ),
            AccountFlags::NO_OVERDRAFT,
        ),
        entry(
            "9300",
            Equity,
            OwnerKind::Fund,
            "Fonds de garantie",
            Some("Waarborgfonds"),
            "Guarantee fund",
            INTERNAL,
        ),
        limited(
            entry(
                "9310",
                Asset,
                OwnerKind::Activity,
                "Avances du fonds de garantie",
                Some("Voorschotten van het waarborgfonds"),
                "Guarantee fund advances to the activity",
                INTERNAL,
            ),
            AccountFlags::NO_OVERPAYMENT,
        ),
        entry(
            "9400",
            Income,
            OwnerKind::None,
            "Travaux facturés pour les activités (reflet)",
            Some("Gefactureerd werk voor de activiteiten (spiegel)"),
            "Work invoiced for activities (reflected)",
            INTERNAL,
        ),
        entry(
            "9410",
            Income,
            OwnerKind::None,
            "Contribution coopérative",
            Some("Coöperatieve bijdrage"),
            "Cooperative fee",
            INTERNAL,
        ),
        entry(
            "9420",
            Expense,
            OwnerKind::None,
            "Salaires imputés aux activités (reflet)",
            Some("Lonen ten laste van de activiteiten (spiegel)"),
            "Salaries charged to activities (reflected)",
            INTERNAL,
        ),
        entry(
            "9430",
            Expense,
            OwnerKind::None,
            "Frais imputés aux activités (reflet)",
            Some("Kosten ten laste van de activiteiten (spiegel)"),
            "Expenses charged to activities (reflected)",
            INTERNAL,
        ),
    ],
    roles: &[
        (Role::BudgetAvailable, "9200"),
        (Role::BudgetAwaitingPayment, "9201"),
        (Role::GuaranteeFund, "9300"),
        (Role::FundAdvances, "9310"),
        (Role::WorkInvoiced, "9400"),
        (Role::CooperativeFee, "9410"),
        (Role::SalariesCharged, "9420"),
        (Role::ExpensesCharged, "9430"),
    ],
};

/// Which book a role's account lives in.
pub const fn book_of(role: Role) -> Book {
    match role {
        Role::BudgetAvailable
        | Role::BudgetAwaitingPayment
        | Role::GuaranteeFund
        | Role::FundAdvances
        | Role::WorkInvoiced
        | Role::CooperativeFee
        | Role::SalariesCharged
        | Role::ExpensesCharged => Book::Analytic,
        _ => Book::General,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENERAL_ROLES: [Role; 22] = [
        Role::ClientReceivable,
        Role::SupplierPayable,
        Role::MemberCurrentAccount,
        Role::SalariesPayable,
        Role::SocialSecurity,
        Role::OtherSocialBodies,
        Role::WithholdingTax,
        Role::VatCollected,
        Role::VatCollectedPending,
        Role::VatDeductible,
        Role::VatRecoverableOnBadDebt,
        Role::Bank,
        Role::Suspense,
        Role::ServiceRevenue,
        Role::Salaries,
        Role::EmployerContributions,
        Role::MemberExpenses,
        Role::BadDebtLoss,
        Role::ShareCapital,
        Role::GuaranteeFundReserve,
        Role::RetainedEarningsCredit,
        Role::RetainedEarningsDebit,
    ];

    #[test]
    fn every_role_has_an_account_in_every_chart() {
        for country in Country::ALL {
            let chart = Chart::for_country(country);
            for role in GENERAL_ROLES {
                let e = chart
                    .role(role)
                    .unwrap_or_else(|| panic!("{} has no {role:?}", chart.name));
                assert_eq!(book_of(role), Book::General);
                assert!((1..=7).contains(&e.code.class()), "{role:?} {}", e.code);
            }
        }
        for role in [
            Role::BudgetAvailable,
            Role::BudgetAwaitingPayment,
            Role::GuaranteeFund,
            Role::FundAdvances,
            Role::WorkInvoiced,
            Role::CooperativeFee,
            Role::SalariesCharged,
            Role::ExpensesCharged,
        ] {
            assert_eq!(ANALYTIC.role(role).map(|e| e.code.class()), Some(9));
            assert_eq!(book_of(role), Book::Analytic);
        }
    }

    #[test]
    fn the_official_numbers() {
        let fr = |r| {
            Chart::for_country(Country::Fr)
                .role(r)
                .map(|e| e.code.as_str())
        };
        let be = |r| {
            Chart::for_country(Country::Be)
                .role(r)
                .map(|e| e.code.as_str())
        };
        assert_eq!(fr(Role::ClientReceivable), Some("411"));
        assert_eq!(be(Role::ClientReceivable), Some("400"));
        assert_eq!(fr(Role::WithholdingTax), Some("4421"));
        assert_eq!(be(Role::WithholdingTax), Some("453"));
        assert_eq!(fr(Role::VatCollected), Some("44571"));
        assert_eq!(be(Role::VatCollected), Some("451"));
        assert_eq!(fr(Role::Bank), Some("512"));
        assert_eq!(be(Role::Bank), Some("550"));
        assert_eq!(fr(Role::Suspense), Some("471"));
        assert_eq!(be(Role::Suspense), Some("499"));
        assert_eq!(be(Role::SocialSecurity), Some("454"));
        assert_eq!(fr(Role::Salaries), Some("641"));
        assert_eq!(be(Role::Salaries), Some("620"));
    }

    #[test]
    fn codes_are_unique_and_classes_match_kinds() {
        for chart in [&FR_PCG, &BE_PCMN, &ANALYTIC] {
            for (i, e) in chart.entries.iter().enumerate() {
                assert!(
                    chart.entries[i + 1..].iter().all(|o| o.code != e.code),
                    "{} twice in {}",
                    e.code,
                    chart.name
                );
                let class = e.code.class();
                match class {
                    1 => assert_eq!(e.kind, AccountKind::Equity, "{}", e.code),
                    6 => assert_eq!(e.kind, AccountKind::Expense, "{}", e.code),
                    7 => assert_eq!(e.kind, AccountKind::Income, "{}", e.code),
                    2..=5 => assert!(
                        matches!(e.kind, AccountKind::Asset | AccountKind::Liability),
                        "{}",
                        e.code
                    ),
                    _ => assert_eq!(chart.book, Book::Analytic),
                }
                assert!(!e.source.is_empty());
            }
        }
        assert!(BE_PCMN.entries.iter().all(|e| e.label_nl.is_some()));
    }
}
