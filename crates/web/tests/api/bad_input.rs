//! Bad input gives the documented error — status, `error.code`, `error.field`, a message that
//! names the rule — and writes nothing: the row count of every table is unchanged.

use serde_json::{Value, json};

use crate::support::{Api, be_days, fr_days, on_every_store};

const INVALID: (u16, &str) = (422, "invalid");

fn invalid(field: &str) -> (u16, &str, Option<&str>) {
    (INVALID.0, INVALID.1, Some(field))
}

const FORBIDDEN: (u16, &str, Option<&str>) = (403, "forbidden", None);
const NOT_FOUND: (u16, &str, Option<&str>) = (404, "not_found", None);

/// Eve, a valid Belgian admission.
fn eve(api: &Api) -> Value {
    json!({
        "entity_id": api.f.be.id,
        "first_name": "Eve",
        "last_name": "Dupont",
        "email": "eve@example.org",
        "iban": "BE71 0961 2345 6769",
        "national_id": "78061220152",
        "address": {"lines": ["Rue Neuve 1"], "postcode": "1000", "city": "Bruxelles", "country": "BE"},
        "shares": 1,
    })
}

/// A valid Belgian company client.
fn company(api: &Api) -> Value {
    json!({
        "entity_id": api.f.be.id,
        "kind": "company",
        "name": "Proximus",
        "address": {"lines": ["Boulevard du Roi Albert II 27"], "postcode": "1030", "city": "Bruxelles", "country": "BE"},
        "vat_id": "BE0202239951",
    })
}

/// A valid Belgian entity.
fn entity() -> Value {
    json!({
        "country": "be",
        "name": "Ensemble Gent",
        "legal_id": "0202.239.951",
        "vat_id": "BE0202239951",
        "iban": "BE68 5390 0754 7034",
        "address": {"lines": ["Korenmarkt 1"], "postcode": "9000", "city": "Gent", "country": "BE"},
    })
}

on_every_store!(invalid_iban, |api| {
    let mut m = eve(&api);
    m["iban"] = json!("BE71 0961 2345 6760");
    let msg = api
        .refused("/members", api.advisor(), &m, invalid("iban"))
        .await;
    assert_eq!(msg, "IBAN BE71 0961 2345 6760: check digits do not match");
    m["iban"] = json!("not an iban");
    api.refused("/members", api.advisor(), &m, invalid("iban"))
        .await;

    let mut e = entity();
    e["iban"] = json!("BE68 5390 0754 7035");
    let msg = api
        .refused("/entities", api.admin(), &e, invalid("iban"))
        .await;
    assert!(msg.contains("check digits"), "{msg}");
});

on_every_store!(invalid_vat_id, |api| {
    let mut c = company(&api);
    c["vat_id"] = json!("BE0202239952");
    let msg = api
        .refused("/clients", api.alice(), &c, invalid("vat_id"))
        .await;
    assert!(msg.contains("BE0202239952"), "{msg}");
    assert!(msg.contains("check digits"), "{msg}");
    c["vat_id"] = json!("FR00552100554");
    let msg = api
        .refused("/clients", api.alice(), &c, invalid("vat_id"))
        .await;
    assert!(msg.contains("check digits"), "{msg}");

    let mut e = entity();
    e["vat_id"] = json!("BE0202239952");
    api.refused("/entities", api.admin(), &e, invalid("vat_id"))
        .await;
    // The enterprise number is checked too.
    let mut e = entity();
    e["legal_id"] = json!("0202.239.952");
    api.refused("/entities", api.admin(), &e, invalid("legal_id"))
        .await;
});

on_every_store!(invalid_niss_and_nir, |api| {
    let mut m = eve(&api);
    m["national_id"] = json!("78061220153");
    let msg = api
        .refused("/members", api.advisor(), &m, invalid("national_id"))
        .await;
    assert!(msg.contains("national number 78061220153"), "{msg}");
    assert!(msg.contains("check digits"), "{msg}");
    // A French NIR with a wrong key, for the French entity.
    let mut m = eve(&api);
    m["entity_id"] = json!(api.f.fr.id);
    m["iban"] = json!("FR76 3000 6000 0112 3456 7890 189");
    m["national_id"] = json!("2 90 05 75 111 222 82");
    m["address"] = json!({"lines": ["3 rue Esquermoise"], "postcode": "59800", "city": "Lille", "country": "FR"});
    let msg = api
        .refused("/members", api.advisor(), &m, invalid("national_id"))
        .await;
    assert!(msg.contains("NIR"), "{msg}");
    // The same NIR with its right key is admitted.
    m["national_id"] = json!("2 90 05 75 111 222 81");
    api.post("/members", api.advisor(), &m).await.expect(201);
});

on_every_store!(negative_amounts, |api| {
    let msg = api
        .refused(
            "/declarations",
            api.alice(),
            &be_days(&api, 12, 12, "1", ("price", "-10")),
            invalid("price"),
        )
        .await;
    assert_eq!(msg, "-10.00 must be more than 0");
    api.refused(
        "/declarations",
        api.alice(),
        &be_days(&api, 12, 12, "1", ("gross", "-300")),
        invalid("gross"),
    )
    .await;
    api.refused(
        "/declarations/preview",
        api.alice(),
        &be_days(&api, 12, 12, "1", ("price", "0")),
        invalid("price"),
    )
    .await;
    // A negative quantity, a negative share count.
    let msg = api
        .refused(
            "/declarations",
            api.alice(),
            &be_days(&api, 12, 12, "-1", ("price", "500")),
            invalid("quantity"),
        )
        .await;
    assert!(msg.contains("more than 0"), "{msg}");
    api.refused(
        &format!("/members/{}/shares", api.f.alice.member.id),
        api.alice(),
        &json!({"count": -1}),
        invalid("count"),
    )
    .await;
    api.refused(
        &format!("/members/{}/shares", api.f.alice.member.id),
        api.alice(),
        &json!({"count": 0}),
        invalid("count"),
    )
    .await;
    // A salary from a negative budget, a zero budget adjustment.
    api.refused(
        &format!("/activities/{}/salaries", api.f.be_activity.id),
        api.alice(),
        &json!({"month": "2026-02", "budget": "-100"}),
        invalid("budget"),
    )
    .await;
    api.refused(
        &format!("/activities/{}/budget-adjustments", api.f.be_activity.id),
        api.advisor(),
        &json!({"amount": "0", "label": "Nothing"}),
        invalid("amount"),
    )
    .await;
    // A budget does not go below zero.
    let msg = api
        .refused(
            &format!("/activities/{}/budget-adjustments", api.f.be_activity.id),
            api.advisor(),
            &json!({"amount": "-0.01", "label": "Overdraft"}),
            (409, "insufficient_budget", None),
        )
        .await;
    assert!(msg.contains("0.00"), "{msg}");
    // Sub-cent amounts are refused where they are read.
    api.refused(
        "/declarations",
        api.alice(),
        &be_days(&api, 12, 12, "1", ("price", "500.005")),
        invalid("price"),
    )
    .await;
});

on_every_store!(dates_in_the_wrong_order, |api| {
    let msg = api
        .refused(
            "/declarations",
            api.alice(),
            &be_days(&api, 14, 12, "1", ("price", "500")),
            invalid("period.end"),
        )
        .await;
    assert_eq!(
        msg,
        "the work ends on 2026-01-12, before it starts on 2026-01-14"
    );
    api.refused(
        "/declarations/preview",
        api.alice(),
        &be_days(&api, 14, 12, "1", ("price", "500")),
        invalid("period.end"),
    )
    .await;
    // Across two months: one declaration per month.
    let mut input = fr_days(&api);
    input["period"] = json!({"start": "2026-01-26", "end": "2026-02-06"});
    let msg = api
        .refused("/declarations", api.claire(), &input, invalid("period.end"))
        .await;
    assert!(msg.contains("declare each month separately"), "{msg}");
    // Not a date at all.
    input["period"] = json!({"start": "2026-02-30", "end": "2026-02-28"});
    api.refused(
        "/declarations",
        api.claire(),
        &input,
        invalid("period.start"),
    )
    .await;
    // Days that do not fit in the dates.
    let msg = api
        .refused(
            "/declarations",
            api.alice(),
            &be_days(&api, 12, 13, "3", ("price", "1000")),
            invalid("quantity"),
        )
        .await;
    assert!(msg.contains("do not fit"), "{msg}");
});

on_every_store!(below_the_belgian_minimum_daily_wage, |api| {
    // 50 € gross for a day.
    let msg = api
        .refused(
            "/declarations",
            api.alice(),
            &be_days(&api, 12, 12, "1", ("gross", "50")),
            invalid("gross"),
        )
        .await;
    assert!(msg.contains("below the Belgian minimum wage"), "{msg}");
    assert!(msg.contains("RMMMG"), "{msg}");
    // 60 € invoiced leaves too little for a day's minimum salary.
    let msg = api
        .refused(
            "/declarations",
            api.alice(),
            &be_days(&api, 12, 12, "1", ("price", "60")),
            invalid("price"),
        )
        .await;
    assert!(msg.contains("minimum"), "{msg}");
    assert!(msg.contains("60.00 less the 6.5"), "{msg}");
    // The preview says the same, and writes nothing either.
    api.refused(
        "/declarations/preview",
        api.alice(),
        &be_days(&api, 12, 12, "1", ("gross", "50")),
        invalid("gross"),
    )
    .await;
});

on_every_store!(unknown_activity_client_and_member, |api| {
    let unknown = "0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d";
    let mut input = be_days(&api, 12, 12, "1", ("price", "500"));
    input["activity_id"] = json!(unknown);
    let msg = api
        .refused("/declarations", api.alice(), &input, NOT_FOUND)
        .await;
    assert_eq!(msg, format!("no activity {unknown}"));
    api.refused("/declarations/preview", api.alice(), &input, NOT_FOUND)
        .await;
    for path in ["salaries", "budget-adjustments", "members"] {
        let body = match path {
            "salaries" => json!({"month": "2026-02"}),
            "budget-adjustments" => json!({"amount": "10", "label": "x"}),
            _ => json!({"member_id": api.f.bob.member.id, "role": "participant"}),
        };
        let msg = api
            .refused(
                &format!("/activities/{unknown}/{path}"),
                api.advisor(),
                &body,
                NOT_FOUND,
            )
            .await;
        assert_eq!(msg, format!("no activity {unknown}"), "{path}");
    }
    // A malformed activity id in the body is a 422 naming it.
    input["activity_id"] = json!("not-an-id");
    api.refused("/declarations", api.alice(), &input, invalid("activity_id"))
        .await;

    // An unknown client; a client of the other entity.
    let mut input = be_days(&api, 12, 12, "1", ("price", "500"));
    input["client_id"] = json!(unknown);
    let msg = api
        .refused("/declarations", api.alice(), &input, NOT_FOUND)
        .await;
    assert_eq!(msg, format!("no client {unknown}"));
    input["client_id"] = json!(api.f.fr_client.id);
    let msg = api
        .refused("/declarations", api.alice(), &input, invalid("client_id"))
        .await;
    assert!(msg.contains("another entity"), "{msg}");
    // Work of a member who is not on the activity.
    let mut input = be_days(&api, 12, 12, "1", ("price", "500"));
    input["member_id"] = json!(api.f.dave.member.id);
    let msg = api
        .refused("/declarations", api.alice(), &input, invalid("member_id"))
        .await;
    assert!(msg.contains("not on the activity"), "{msg}");
    // Unknown entity, unknown member.
    let mut m = eve(&api);
    m["entity_id"] = json!(unknown);
    api.refused("/members", api.advisor(), &m, NOT_FOUND).await;
    api.refused(
        &format!("/members/{unknown}/shares"),
        api.advisor(),
        &json!({"count": 1}),
        NOT_FOUND,
    )
    .await;
    let mut c = company(&api);
    c["entity_id"] = json!(unknown);
    api.refused("/clients", api.alice(), &c, NOT_FOUND).await;
});

on_every_store!(a_member_acting_on_another_members_activity, |api| {
    let activity = api.f.be_activity.id;
    let work = be_days(&api, 12, 12, "1", ("price", "500"));
    // Dave has no role on Alice's activity; Claire is in the other entity.
    for token in [api.dave(), api.claire()] {
        let msg = api.refused("/declarations", token, &work, FORBIDDEN).await;
        assert_eq!(msg, format!("you are not a member of activity {activity}"));
        api.refused("/declarations/preview", token, &work, FORBIDDEN)
            .await;
        api.refused(
            &format!("/activities/{activity}/salaries"),
            token,
            &json!({"month": "2026-02"}),
            FORBIDDEN,
        )
        .await;
        api.refused(
            &format!("/activities/{activity}/members"),
            token,
            &json!({"member_id": api.f.dave.member.id, "role": "manager"}),
            FORBIDDEN,
        )
        .await;
    }
    // A participant declares only their own work, and pays no salary.
    let mut for_alice = work.clone();
    for_alice["member_id"] = json!(api.f.alice.member.id);
    let msg = api
        .refused("/declarations", api.bob(), &for_alice, FORBIDDEN)
        .await;
    assert!(msg.contains("their own work"), "{msg}");
    api.refused(
        &format!("/activities/{activity}/salaries"),
        api.bob(),
        &json!({"month": "2026-02", "member_id": api.f.bob.member.id}),
        FORBIDDEN,
    )
    .await;
    // Nor does a member adjust budgets, subscribe another's shares, or open an activity for
    // someone else.
    api.refused(
        &format!("/activities/{activity}/budget-adjustments"),
        api.alice(),
        &json!({"amount": "1000", "label": "Gift"}),
        FORBIDDEN,
    )
    .await;
    api.refused(
        &format!("/members/{}/shares", api.f.bob.member.id),
        api.alice(),
        &json!({"count": 1}),
        FORBIDDEN,
    )
    .await;
    api.refused(
        "/activities",
        api.dave(),
        &json!({"entity_id": api.f.be.id, "name": "Mine", "manager": api.f.alice.member.id}),
        FORBIDDEN,
    )
    .await;
    // Members neither create entities, accounts nor members, nor decide declarations.
    api.refused("/entities", api.alice(), &entity(), FORBIDDEN)
        .await;
    api.refused(
        "/users",
        api.advisor(),
        &json!({"email": "x@example.coop", "role": "admin"}),
        FORBIDDEN,
    )
    .await;
    api.refused("/members", api.alice(), &eve(&api), FORBIDDEN)
        .await;
});

on_every_store!(conflicts_write_nothing, |api| {
    // An email already taken.
    let mut m = eve(&api);
    m["email"] = json!("alice@example.org");
    m["national_id"] = json!("78061220152");
    api.refused("/members", api.advisor(), &m, (409, "conflict", None))
        .await;
    let msg = api
        .refused(
            "/users",
            api.admin(),
            &json!({"email": "advisor@example.coop", "role": "advisor"}),
            (409, "conflict", None),
        )
        .await;
    assert!(msg.contains("exists") || msg.contains("taken"), "{msg}");
    // A salary the budget cannot pay.
    let msg = api
        .refused(
            &format!("/activities/{}/salaries", api.f.be_activity.id),
            api.alice(),
            &json!({"month": "2026-02", "budget": "500"}),
            (409, "insufficient_budget", None),
        )
        .await;
    assert!(msg.contains("cannot pay 500.00"), "{msg}");
    // An empty budget has nothing to pay.
    api.refused(
        &format!("/activities/{}/salaries", api.f.be_activity.id),
        api.alice(),
        &json!({"month": "2026-02"}),
        invalid("budget"),
    )
    .await;
});
