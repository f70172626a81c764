//! A small cooperative for tests: an entity in Brussels and one in Lille, an administrator and
//! an advisor, two members in each entity with an activity and a client. Used by the
//! application's and the web layer's tests on every store backend.

use std::sync::Arc;

use ensemble_domain::activity::Activity;
use ensemble_domain::client::Client;
use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::people::Member;
use ensemble_domain::{Lang, Rate, Status};
use ensemble_store::Store;

use crate::inputs::{
    AddressInput, NewActivity, NewActivityMember, NewClient, NewEntity, NewMember, NewUser,
};
use crate::members::Admission;
use crate::{Actor, App, FixedClock};

/// A member, their account and token.
pub struct Person {
    pub member: Member,
    pub actor: Actor,
    pub token: String,
}

pub struct Fixture {
    pub app: App,
    pub admin: Actor,
    pub admin_token: String,
    pub advisor: Actor,
    pub advisor_token: String,
    pub be: CooperativeEntity,
    pub fr: CooperativeEntity,
    /// Belgian artist, manager of `be_activity`.
    pub alice: Person,
    /// Belgian employee, participant on `be_activity`.
    pub bob: Person,
    /// French non-cadre, manager of `fr_activity`.
    pub claire: Person,
    /// Belgian artist with no role on `be_activity`.
    pub dave: Person,
    pub be_activity: Activity,
    pub fr_activity: Activity,
    pub be_client: Client,
    pub fr_client: Client,
    /// A German company (reverse charge for both entities).
    pub de_client: Client,
}

impl Fixture {
    /// Gives the accounts a browser signs in with (Alice, Dave, Claire, the advisor and the
    /// administrator) the same password.
    pub async fn set_passwords(&self, password: &str) {
        for email in [
            "alice@example.org",
            "dave@example.org",
            "claire@example.org",
            "advisor@example.coop",
            "admin@example.coop",
        ] {
            self.app
                .set_password_by_email(email, password)
                .await
                .expect("password");
        }
    }
}

pub fn address(lines: &str, postcode: &str, city: &str, country: &str) -> AddressInput {
    AddressInput {
        lines: vec![lines.to_string()],
        postcode: Some(postcode.to_string()),
        city: city.to_string(),
        country: country.to_string(),
    }
}

fn actor_of(a: &Admission) -> Actor {
    Actor {
        user: a.user.id,
        role: a.user.role,
        member: a.user.member_id,
        lang: a.user.lang,
    }
}

/// The fixture on `store`, the clock at `now`, Belgian declarations validated at once and
/// French ones queued.
pub async fn fixture(store: Arc<dyn Store>, now: jiff::Timestamp) -> Fixture {
    let app = App::new(
        store,
        Arc::new(FixedClock(now)),
        std::env::temp_dir().join("ensemble-test-files"),
    );
    let admin_account = app
        .bootstrap_admin("admin@example.coop")
        .await
        .expect("admin");
    let admin = Actor {
        user: admin_account.user.id,
        role: admin_account.user.role,
        member: None,
        lang: Lang::En,
    };
    let advisor_account = app
        .create_user(
            &admin,
            &NewUser {
                email: "advisor@example.coop".into(),
                role: "advisor".into(),
                lang: Some(Lang::Fr),
            },
            None,
        )
        .await
        .expect("advisor");
    let advisor = Actor {
        user: advisor_account.user.id,
        role: advisor_account.user.role,
        member: None,
        lang: Lang::Fr,
    };
    let be = app
        .create_entity(
            &admin,
            &NewEntity {
                country: "be".into(),
                name: "Ensemble Bruxelles".into(),
                legal_id: "0403.170.701".into(),
                vat_id: "BE0403170701".into(),
                iban: "BE71 0961 2345 6769".into(),
                bic: Some("GEBABEBB".into()),
                address: address("Rue Royale 1", "1000", "Bruxelles", "BE"),
                fee_rate: None,
                vat_rate: None,
                payment_term_days: None,
                headcount: Some(250),
                auto_validate: true,
            },
            None,
        )
        .await
        .expect("BE entity");
    let fr = app
        .create_entity(
            &admin,
            &NewEntity {
                country: "fr".into(),
                name: "Ensemble Lille".into(),
                legal_id: "732 829 320 00074".into(),
                vat_id: "FR44732829320".into(),
                iban: "FR76 3000 6000 0112 3456 7890 189".into(),
                bic: None,
                address: address("1 rue Nationale", "59000", "Lille", "FR"),
                fee_rate: None,
                vat_rate: None,
                payment_term_days: None,
                headcount: Some(120),
                auto_validate: false,
            },
            None,
        )
        .await
        .expect("FR entity");
    let admit =
        |entity: &CooperativeEntity, first: &str, email: &str, national: &str, status: Status| {
            NewMember {
                entity_id: entity.id,
                first_name: first.into(),
                last_name: "Martin".into(),
                email: email.into(),
                iban: if entity.country == ensemble_domain::Country::Be {
                    "BE71096123456769".into()
                } else {
                    "FR7630006000011234567890189".into()
                },
                national_id: national.into(),
                address: if entity.country == ensemble_domain::Country::Be {
                    address("Rue Haute 10", "1000", "Bruxelles", "BE")
                } else {
                    address("3 rue Esquermoise", "59800", "Lille", "FR")
                },
                lang: Some(Lang::Fr),
                status: Some(status),
                joined_on: None,
                shares: Some(1),
            }
        };
    let mut people = Vec::new();
    for (entity, first, email, national, status) in [
        (
            &be,
            "Alice",
            "alice@example.org",
            "85.07.30-033.28",
            Status::Artist,
        ),
        (
            &be,
            "Bob",
            "bob@example.org",
            "90011512363",
            Status::Employee,
        ),
        (
            &fr,
            "Claire",
            "claire@example.org",
            "1 84 12 76 451 089 46",
            Status::NonCadre,
        ),
        (
            &be,
            "Dave",
            "dave@example.org",
            "92030404542",
            Status::Artist,
        ),
    ] {
        let a = app
            .admit_member(
                &advisor,
                &admit(entity, first, email, national, status),
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("admit {first}: {e}"));
        people.push(Person {
            actor: actor_of(&a),
            member: a.member,
            token: a.token,
        });
    }
    let dave = people.pop().expect("dave");
    let claire = people.pop().expect("claire");
    let bob = people.pop().expect("bob");
    let alice = people.pop().expect("alice");
    let be_activity = app
        .create_activity(
            &alice.actor,
            &NewActivity {
                entity_id: be.id,
                name: "Studio Alice".into(),
                description: "Photography".into(),
                manager: None,
                fee_rate: None,
            },
            None,
        )
        .await
        .expect("BE activity");
    app.put_activity_member(
        &alice.actor,
        be_activity.id,
        &NewActivityMember {
            member_id: bob.member.id,
            role: "participant".into(),
        },
        None,
    )
    .await
    .expect("bob on the activity");
    let fr_activity = app
        .create_activity(
            &claire.actor,
            &NewActivity {
                entity_id: fr.id,
                name: "Atelier Claire".into(),
                description: "Design".into(),
                manager: None,
                fee_rate: None,
            },
            None,
        )
        .await
        .expect("FR activity");
    let client = |entity: &CooperativeEntity,
                  kind: &str,
                  name: &str,
                  vat: Option<&str>,
                  addr: AddressInput| NewClient {
        entity_id: entity.id,
        kind: kind.into(),
        name: name.into(),
        address: addr,
        vat_id: vat.map(str::to_string),
        company_id: None,
        peppol_id: None,
        email: None,
        lang: Some(Lang::Fr),
    };
    let be_client = app
        .create_client(
            &alice.actor,
            &client(
                &be,
                "company",
                "Théâtre du Parc",
                Some("BE0403170701"),
                address("Rue de la Loi 3", "1000", "Bruxelles", "BE"),
            ),
            None,
        )
        .await
        .expect("BE client");
    let fr_client = app
        .create_client(
            &claire.actor,
            &client(
                &fr,
                "company",
                "Opéra de Lille",
                Some("FR44732829320"),
                address("2 rue des Bons-Enfants", "59800", "Lille", "FR"),
            ),
            None,
        )
        .await
        .expect("FR client");
    let de_client = app
        .create_client(
            &alice.actor,
            &client(
                &be,
                "company",
                "Kulturhaus GmbH",
                Some("DE136695976"),
                address("Hauptstraße 5", "10115", "Berlin", "DE"),
            ),
            None,
        )
        .await
        .expect("DE client");
    let _ = Rate::ZERO;
    Fixture {
        app,
        admin,
        admin_token: admin_account.token,
        advisor,
        advisor_token: advisor_account.token,
        be,
        fr,
        alice,
        bob,
        claire,
        dave,
        be_activity,
        fr_activity,
        be_client,
        fr_client,
        de_client,
    }
}
