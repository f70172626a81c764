//! Each flow end to end through HTTP, the amounts asserted to the cent.

use serde_json::{Value, json};

use crate::support::{be_days, eur, fr_days, on_every_store, text};

/// The id of a JSON object.
fn id(v: &Value) -> &str {
    text(&v["id"])
}

on_every_store!(health_and_me, |api| {
    // /health needs no token and names the backend.
    let r = api
        .raw(axum::http::Method::GET, "/health", None, None, None)
        .await;
    let backend = api.app.store.backend();
    assert_eq!(r.expect(200), &json!({"status": "ok", "backend": backend}));

    let me = api.get("/me", api.alice()).await;
    assert_eq!(
        me.expect(200),
        &json!({
            "user": api.f.alice.actor.user.to_string(),
            "role": "member",
            "member": api.f.alice.member.id.to_string(),
            "lang": "fr",
        })
    );
    let me = api.get("/me", api.advisor()).await;
    assert_eq!(me.json["role"], "advisor");
    assert_eq!(me.json["member"], Value::Null);
    let me = api.get("/me", api.admin()).await;
    assert_eq!(me.json["role"], "admin");
    assert_eq!(me.json["lang"], "en");
});

on_every_store!(entities_users_members_and_the_share_register, |api| {
    // An administrator creates a French entity with an agreed fee and VAT rate.
    let entity = api
        .post(
            "/entities",
            api.admin(),
            &json!({
                "country": "fr",
                "name": "Ensemble Paris",
                "legal_id": "552 100 554 00013",
                "vat_id": "FR96552100554",
                "iban": "FR76 3000 6000 0112 3456 7890 189",
                "address": {"lines": ["10 rue de Rivoli"], "postcode": "75004", "city": "Paris", "country": "FR"},
                "fee_rate": "9",
                "payment_term_days": 30,
            }),
        )
        .await;
    let entity = entity.expect(201).clone();
    assert_eq!(entity["country"], "fr");
    assert_eq!(entity["name"], "Ensemble Paris");
    assert_eq!(entity["vat_rate"], "20.00");
    assert_eq!(entity["payment_term_days"], 30);
    assert_eq!(entity["auto_validate"], false);
    let read = api
        .get(&format!("/entities/{}", id(&entity)), api.alice())
        .await;
    assert_eq!(read.expect(200), &entity, "anyone signed in reads entities");
    let all = api.get("/entities", api.claire()).await;
    assert_eq!(all.expect(200).as_array().map(Vec::len), Some(3));

    // An administrator creates an accountant, whose token works at once.
    let account = api
        .post(
            "/users",
            api.admin(),
            &json!({"email": "compta@example.coop", "role": "accountant", "lang": "nl"}),
        )
        .await;
    let account = account.expect(201).clone();
    assert_eq!(account["user"]["role"], "accountant");
    assert_eq!(account["user"]["member_id"], Value::Null);
    let token = text(&account["token"]);
    assert!(token.starts_with("ens_") && token.len() == 68);
    let me = api.get("/me", token).await;
    assert_eq!(me.expect(200)["role"], "accountant");
    assert_eq!(me.json["lang"], "nl");

    // An advisor admits Eve in Brussels with two years of use: 2 × 30 € of shares.
    let admission = api
        .post(
            "/members",
            api.advisor(),
            &json!({
                "entity_id": api.f.be.id,
                "first_name": "Eve",
                "last_name": "Dupont",
                "email": "eve@example.org",
                "iban": "BE71 0961 2345 6769",
                "national_id": "78.06.12-201.52",
                "address": {"lines": ["Rue Neuve 1"], "postcode": "1000", "city": "Bruxelles", "country": "BE"},
                "status": "employee",
                "joined_on": "2026-01-02",
                "shares": 2,
            }),
        )
        .await;
    let admission = admission.expect(201).clone();
    let eve = admission["member"].clone();
    assert_eq!(eve["first_name"], "Eve");
    assert_eq!(eve["status"], "employee");
    assert_eq!(eve["joined_on"], "2026-01-02");
    assert_eq!(admission["user"]["role"], "member");
    assert_eq!(admission["user"]["member_id"], eve["id"]);
    assert_eq!(admission["shares"]["count"], 2);
    assert_eq!(admission["shares"]["amount"], "60.00");
    assert_eq!(admission["shares"]["subscribed_on"], "2026-01-02");
    let eve_token = text(&admission["token"]).to_string();
    let me = api.get("/me", &eve_token).await;
    assert_eq!(me.expect(200)["member"], eve["id"]);
    // Eve reads her own record; so does staff; Alice may not.
    let path = format!("/members/{}", id(&eve));
    assert_eq!(api.get(&path, &eve_token).await.expect(200), &eve);
    assert_eq!(api.get(&path, api.advisor()).await.expect(200), &eve);
    api.get(&path, api.alice())
        .await
        .expect_error(403, "forbidden", None);

    // Eve subscribes three more years herself.
    let shares = api
        .post(
            &format!("/members/{}/shares", id(&eve)),
            &eve_token,
            &json!({"count": 3, "subscribed_on": "2026-01-15"}),
        )
        .await;
    let shares = shares.expect(201);
    assert_eq!(shares["count"], 3);
    assert_eq!(shares["amount"], "90.00");
    assert_eq!(shares["member_id"], eve["id"]);
    assert_eq!(shares["entity_id"], json!(api.f.be.id));

    // A French member: 30 € per share.
    let claire_shares = api
        .post(
            &format!("/members/{}/shares", api.f.claire.member.id),
            api.advisor(),
            &json!({"count": 4}),
        )
        .await;
    assert_eq!(claire_shares.expect(201)["amount"], "120.00");
    assert_eq!(claire_shares.json["subscribed_on"], "2026-01-20");

    // The register: one line per member, one vote each whatever the shares.
    let register = api
        .get(
            &format!("/entities/{}/share-register", api.f.be.id),
            api.advisor(),
        )
        .await;
    let register = register.expect(200);
    let mut lines: Vec<(String, u64, String, u64)> = register["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            (
                text(&l["name"]).to_string(),
                l["count"].as_u64().expect("count"),
                text(&l["amount"]).to_string(),
                l["votes"].as_u64().expect("votes"),
            )
        })
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        vec![
            ("Alice Martin".to_string(), 1, "30.00".to_string(), 1),
            ("Bob Martin".to_string(), 1, "30.00".to_string(), 1),
            ("Dave Martin".to_string(), 1, "30.00".to_string(), 1),
            ("Eve Dupont".to_string(), 5, "150.00".to_string(), 1),
        ]
    );
    assert_eq!(register["total_amount"], "240.00");
    assert_eq!(register["total_votes"], 4);
    assert_eq!(register["subscriptions"].as_array().map(Vec::len), Some(5));
    let fr_register = api
        .get(
            &format!("/entities/{}/share-register", api.f.fr.id),
            api.advisor(),
        )
        .await;
    assert_eq!(fr_register.expect(200)["total_amount"], "150.00");
    assert_eq!(fr_register.json["total_votes"], 1);

    // Staff list the members of an entity.
    let members = api
        .get(&format!("/members?entity={}", api.f.be.id), api.advisor())
        .await;
    assert_eq!(members.expect(200).as_array().map(Vec::len), Some(4));
    let everyone = api.get("/members", api.admin()).await;
    assert_eq!(everyone.expect(200).as_array().map(Vec::len), Some(5));
});

on_every_store!(activities_their_members_and_budgets, |api| {
    // Alice opens a second activity: she manages it, its budget is zero.
    let activity = api
        .post(
            "/activities",
            api.alice(),
            &json!({"entity_id": api.f.be.id, "name": "Portraits", "description": "Studio portraits"}),
        )
        .await;
    let activity = activity.expect(201).clone();
    assert_eq!(activity["status"], "active");
    assert_eq!(activity["budget"], "0.00");
    assert_eq!(activity["fee_override"], Value::Null);
    let path = format!("/activities/{}", id(&activity));

    // She adds Dave as a participant.
    let added = api
        .post(
            &format!("{path}/members"),
            api.alice(),
            &json!({"member_id": api.f.dave.member.id, "role": "participant"}),
        )
        .await;
    assert_eq!(
        added.expect(201),
        &json!({"activity_id": activity["id"], "member_id": api.f.dave.member.id, "role": "participant"})
    );
    let detail = api.get(&path, api.dave()).await;
    let detail = detail.expect(200);
    assert_eq!(detail["activity"], activity);
    let mut roles: Vec<(String, String)> = detail["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| (text(&m["member_id"]).into(), text(&m["role"]).into()))
        .collect();
    roles.sort();
    let mut expected = vec![
        (api.f.alice.member.id.to_string(), "manager".to_string()),
        (api.f.dave.member.id.to_string(), "participant".to_string()),
    ];
    expected.sort();
    assert_eq!(roles, expected);
    // A participant does not add people.
    api.post(
        &format!("{path}/members"),
        api.dave(),
        &json!({"member_id": api.f.bob.member.id, "role": "participant"}),
    )
    .await
    .expect_error(403, "forbidden", None);

    // Staff open an activity for a member, with an agreed fee; a member may not agree one.
    let agreed = api
        .post(
            "/activities",
            api.advisor(),
            &json!({"entity_id": api.f.be.id, "name": "Tour", "manager": api.f.bob.member.id, "fee_rate": "5"}),
        )
        .await;
    assert_eq!(agreed.expect(201)["fee_override"], "5.00");
    api.post(
        "/activities",
        api.alice(),
        &json!({"entity_id": api.f.be.id, "name": "Cheap", "fee_rate": "1"}),
    )
    .await
    .expect_error(403, "forbidden", None);

    // Each member lists their own activities.
    let names = |v: &Value| -> Vec<String> {
        let mut n: Vec<String> = v
            .as_array()
            .expect("a list")
            .iter()
            .map(|a| text(&a["name"]).to_string())
            .collect();
        n.sort();
        n
    };
    let alice = api.get("/activities", api.alice()).await;
    assert_eq!(names(alice.expect(200)), ["Portraits", "Studio Alice"]);
    let bob = api.get("/activities", api.bob()).await;
    assert_eq!(names(bob.expect(200)), ["Studio Alice", "Tour"]);
    let staff = api
        .get(
            &format!("/activities?entity={}", api.f.be.id),
            api.advisor(),
        )
        .await;
    assert_eq!(
        names(staff.expect(200)),
        ["Portraits", "Studio Alice", "Tour"]
    );

    // Staff adjust the budget: an opening balance, then a correction.
    let opening = api
        .post(
            &format!("{path}/budget-adjustments"),
            api.advisor(),
            &json!({"amount": "1500.00", "label": "Opening balance"}),
        )
        .await;
    let opening = opening.expect(201);
    assert_eq!(opening["kind"], "adjustment");
    assert_eq!(opening["amount"], "1500.00");
    assert_eq!(opening["label"], "Opening balance");
    let correction = api
        .post(
            &format!("{path}/budget-adjustments"),
            api.advisor(),
            &json!({"amount": "-250.25", "label": "Correction"}),
        )
        .await;
    assert_eq!(correction.expect(201)["amount"], "-250.25");
    let detail = api.get(&path, api.alice()).await;
    assert_eq!(detail.expect(200)["activity"]["budget"], "1249.75");
    let movements: Vec<&str> = detail.json["movements"]
        .as_array()
        .expect("movements")
        .iter()
        .map(|m| text(&m["amount"]))
        .collect();
    assert_eq!(movements, ["1500.00", "-250.25"]);
    // A member does not adjust budgets.
    api.post(
        &format!("{path}/budget-adjustments"),
        api.alice(),
        &json!({"amount": "100", "label": "Gift"}),
    )
    .await
    .expect_error(403, "forbidden", None);
});

on_every_store!(salary_from_budget, |api| {
    let path = format!("/activities/{}", api.f.be_activity.id);
    api.post(
        &format!("{path}/budget-adjustments"),
        api.advisor(),
        &json!({"amount": "3000", "label": "Opening balance"}),
    )
    .await
    .expect(201);
    // A participant may not pay salaries from the budget.
    api.post(
        &format!("{path}/salaries"),
        api.bob(),
        &json!({"month": "2026-02"}),
    )
    .await
    .expect_error(403, "forbidden", None);

    // The manager turns the whole budget into February's salary.
    let paid = api
        .post(
            &format!("{path}/salaries"),
            api.alice(),
            &json!({"month": "2026-02", "description": "February concerts"}),
        )
        .await;
    let paid = paid.expect(201).clone();
    let contract = &paid["contract"];
    let payslip = &paid["payslip"];
    assert_eq!(contract["kind"], "cdd");
    assert_eq!(contract["number"], "CTR-BE-2026-000001");
    assert_eq!(contract["start"], "2026-02-01");
    assert_eq!(contract["end"], "2026-02-28");
    assert_eq!(contract["member_id"], json!(api.f.alice.member.id));
    assert_eq!(contract["declaration_id"], Value::Null);
    assert_eq!(payslip["month"], "2026-02");
    assert_eq!(payslip["contract_kind"], "cdd");
    assert_eq!(payslip["gross"], contract["gross"]);
    // The largest gross whose employer cost fits in 3 000.00.
    assert_eq!(payslip["gross"], "2252.51");
    assert_eq!(payslip["employer_cost"], "2999.99");
    assert_eq!(payslip["net_paid"], "2088.33");
    assert_eq!(paid["budget_left"], "0.01");
    assert_eq!(
        eur(text(&payslip["employer_cost"])) + eur(text(&paid["budget_left"])),
        eur("3000")
    );

    // The contract has its Dimona, and the budget shows the salary.
    let detail = api
        .get(&format!("/contracts/{}", id(contract)), api.alice())
        .await;
    let socials = detail.expect(200)["social_declarations"]
        .as_array()
        .expect("social declarations")
        .clone();
    assert_eq!(socials.len(), 1);
    let dimona = &socials[0]["declaration"];
    assert_eq!(dimona["kind"], "dimona_in");
    assert_eq!(dimona["employer"], "0403170701");
    assert_eq!(dimona["worker"], "85073003328");
    assert_eq!(dimona["start"], "2026-02-01");
    assert_eq!(dimona["end"], "2026-02-28");
    assert_eq!(socials[0]["status"], "prepared");
    let activity = api.get(&path, api.alice()).await;
    assert_eq!(activity.expect(200)["activity"]["budget"], "0.01");
    let last = activity.json["movements"]
        .as_array()
        .and_then(|m| m.last())
        .expect("a movement");
    assert_eq!(last["kind"], "salary");
    assert_eq!(last["amount"], "-2999.99");
    assert_eq!(last["document"], "CTR-BE-2026-000001");

    // What is left cannot pay another 100 €.
    let msg = api
        .post(
            &format!("{path}/salaries"),
            api.alice(),
            &json!({"month": "2026-03", "budget": "100"}),
        )
        .await
        .expect_error(409, "insufficient_budget", None)
        .to_string();
    assert!(msg.contains("0.01"), "{msg}");
    let payslips = api.get("/payslips", api.alice()).await;
    assert_eq!(payslips.expect(200).as_array().map(Vec::len), Some(1));
});

on_every_store!(clients, |api| {
    // A company with its VAT and enterprise numbers, and a person.
    let company = api
        .post(
            "/clients",
            api.alice(),
            &json!({
                "entity_id": api.f.be.id,
                "kind": "company",
                "name": "Proximus",
                "address": {"lines": ["Boulevard du Roi Albert II 27"], "postcode": "1030", "city": "Bruxelles", "country": "BE"},
                "vat_id": "BE 0202.239.951",
                "company_id": "0202.239.951",
                "email": "achats@example.be",
                "lang": "nl",
            }),
        )
        .await;
    let company = company.expect(201).clone();
    assert_eq!(company["kind"], "company");
    assert_eq!(company["lang"], "nl");
    assert_eq!(company["entity_id"], json!(api.f.be.id));
    let person = api
        .post(
            "/clients",
            api.bob(),
            &json!({
                "entity_id": api.f.be.id,
                "kind": "person",
                "name": "Jan Peeters",
                "address": {"lines": ["Meir 1"], "postcode": "2000", "city": "Antwerpen", "country": "BE"},
            }),
        )
        .await;
    let person = person.expect(201).clone();
    assert_eq!(person["vat_id"], Value::Null);
    assert_eq!(person["lang"], "fr");
    assert_eq!(
        api.get(&format!("/clients/{}", id(&company)), api.bob())
            .await
            .expect(200),
        &company
    );

    // Members see their entity's clients; staff filter by entity.
    let names = |v: &Value| -> Vec<String> {
        let mut n: Vec<String> = v
            .as_array()
            .expect("a list")
            .iter()
            .map(|c| text(&c["name"]).to_string())
            .collect();
        n.sort();
        n
    };
    let be = [
        "Jan Peeters",
        "Kulturhaus GmbH",
        "Proximus",
        "Théâtre du Parc",
    ];
    assert_eq!(
        names(api.get("/clients", api.alice()).await.expect(200)),
        be
    );
    assert_eq!(
        names(api.get("/clients", api.claire()).await.expect(200)),
        ["Opéra de Lille"]
    );
    assert_eq!(
        names(
            api.get(&format!("/clients?entity={}", api.f.be.id), api.advisor())
                .await
                .expect(200)
        ),
        be
    );
    assert_eq!(
        api.get("/clients", api.advisor())
            .await
            .expect(200)
            .as_array()
            .map(Vec::len),
        Some(5)
    );
    // A member of another entity neither reads nor records its clients.
    api.get(&format!("/clients/{}", id(&company)), api.claire())
        .await
        .expect_error(403, "forbidden", None);
    let mut other = person.clone();
    for k in ["id", "company_id", "peppol_id", "email", "vat_id"] {
        other.as_object_mut().expect("object").remove(k);
    }
    api.post("/clients", api.claire(), &other)
        .await
        .expect_error(403, "forbidden", None);
});

on_every_store!(belgian_declaration_end_to_end, |api| {
    let input = be_days(&api, 12, 14, "3", ("price", "1069.52"));

    // The live simulator writes nothing.
    let rows = api.rows().await;
    let preview = api.post("/declarations/preview", api.alice(), &input).await;
    let expected_breakdown = json!({
        "invoiced": "1069.52",
        "vat": "224.60",
        "invoiced_with_vat": "1294.12",
        "fee_rate": "6.50",
        "fee": "69.52",
        "employer_cost": "1000.00",
        "employer_contributions": "318.78",
        "employer_reliefs": "0.00",
        "gross": "681.22",
        "employee_contributions": "96.16",
        "withholding_tax": "0.00",
        "net": "585.06",
        "kept_in_budget": "0.00",
    });
    assert_eq!(preview.expect(200), &expected_breakdown);
    assert_eq!(api.rows().await, rows, "a preview writes nothing");

    // Declared: the Belgian entity validates at once.
    let r = api.post("/declarations", api.alice(), &input).await;
    let r = r.expect(201).clone();
    let d = &r["declaration"];
    assert_eq!(d["status"], "validated");
    assert_eq!(d["number"], "DEC-BE-2026-000001");
    assert_eq!(d["member_id"], json!(api.f.alice.member.id));
    assert_eq!(d["breakdown"], expected_breakdown);
    assert_eq!(
        d["work"]["amount"],
        json!({"kind": "price", "amount": "1069.52"})
    );

    // The invoice: 1 069.52 + 21 % VAT, due in 10 days, a structured communication.
    let invoice = &r["invoice"];
    assert_eq!(invoice["number"], "INV-BE-2026-000001");
    assert_eq!(invoice["issue_date"], "2026-01-20");
    assert_eq!(invoice["due_date"], "2026-01-30");
    assert_eq!(invoice["status"], "issued");
    assert_eq!(
        invoice["totals"],
        json!({
            "net": "1069.52",
            "vat": "224.60",
            "with_vat": "1294.12",
            "subtotals": [{"category": "S", "rate": "21.00", "base": "1069.52", "amount": "224.60"}],
        })
    );
    assert_eq!(
        invoice["payment_reference"],
        json!({"scheme": "structured", "value": "202600000192"})
    );
    assert_eq!(invoice["lines"][0]["net"], "1069.52");
    assert_eq!(
        invoice["lines"][0]["vat"],
        json!({"category": "S", "rate": "21.00"})
    );

    // Three daily contracts, the gross split to the cent, each with its Dimona.
    let contracts = r["contracts"].as_array().expect("contracts");
    let summary: Vec<(&str, &str, &str, &str, &str)> = contracts
        .iter()
        .map(|c| {
            (
                text(&c["number"]),
                text(&c["kind"]),
                text(&c["start"]),
                text(&c["end"]),
                text(&c["gross"]),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "CTR-BE-2026-000001",
                "daily",
                "2026-01-12",
                "2026-01-12",
                "227.07"
            ),
            (
                "CTR-BE-2026-000002",
                "daily",
                "2026-01-13",
                "2026-01-13",
                "227.07"
            ),
            (
                "CTR-BE-2026-000003",
                "daily",
                "2026-01-14",
                "2026-01-14",
                "227.08"
            ),
        ]
    );
    for c in contracts {
        assert_eq!(c["days"], 1);
        let detail = api.get(&format!("/contracts/{}", id(c)), api.alice()).await;
        let detail = detail.expect(200);
        assert_eq!(&detail["contract"], c);
        let socials = detail["social_declarations"].as_array().expect("list");
        assert_eq!(socials.len(), 1, "one Dimona per daily contract");
        assert_eq!(
            socials[0]["declaration"],
            json!({
                "kind": "dimona_in",
                "employer": "0403170701",
                "worker": "85073003328",
                "joint_committee": "322",
                "worker_type": "OTH",
                "start": c["start"],
                "end": c["end"],
                "user_company": null,
            })
        );
    }

    // The payslip, as the payroll engine computed it.
    let payslip = &r["payslip"];
    assert_eq!(payslip["month"], "2026-01");
    assert_eq!(payslip["contract_kind"], "daily");
    assert_eq!(payslip["status"], "artist");
    assert_eq!(payslip["gross"], "681.22");
    assert_eq!(payslip["net_paid"], "585.06");
    assert_eq!(payslip["employer_cost"], "1000.00");
    let onss = payslip["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["code"] == "be.social_security")
        .expect("the ONSS line");
    assert_eq!(onss["base"], "735.72"); // 108 % of the gross for an artist
    assert_eq!(onss["employee_amount"], "96.16");
    assert_eq!(onss["employer_amount"], "183.93");

    // The budget: +1 000.00 (the invoice less the fee), −1 000.00 (the employer cost).
    let activity = api
        .get(
            &format!("/activities/{}", api.f.be_activity.id),
            api.alice(),
        )
        .await;
    let activity = activity.expect(200);
    assert_eq!(activity["activity"]["budget"], "0.00");
    let movements: Vec<(&str, &str, &str)> = activity["movements"]
        .as_array()
        .expect("movements")
        .iter()
        .map(|m| (text(&m["kind"]), text(&m["amount"]), text(&m["document"])))
        .collect();
    assert_eq!(
        movements,
        [
            ("income", "1000.00", "INV-BE-2026-000001"),
            ("salary", "-1000.00", "CTR-BE-2026-000001"),
        ]
    );

    // Everything reads back as it was returned.
    let again = api
        .get(&format!("/declarations/{}", id(d)), api.alice())
        .await;
    assert_eq!(again.expect(200), &r);
    let read = api
        .get(&format!("/invoices/{}", id(invoice)), api.alice())
        .await;
    assert_eq!(read.expect(200), invoice);
    let read = api
        .get(&format!("/payslips/{}", id(payslip)), api.alice())
        .await;
    assert_eq!(read.expect(200), payslip);
    let list = api.get("/invoices", api.alice()).await;
    assert_eq!(list.expect(200), &json!([invoice]));
    let list = api.get("/contracts", api.alice()).await;
    assert_eq!(list.expect(200), &r["contracts"]);
    let list = api.get("/payslips", api.alice()).await;
    assert_eq!(list.expect(200), &json!([payslip]));
    let list = api.get("/declarations", api.alice()).await;
    assert_eq!(list.expect(200), &json!([d]));
    let list = api
        .get(
            &format!("/invoices?activity={}&limit=5", api.f.be_activity.id),
            api.advisor(),
        )
        .await;
    assert_eq!(list.expect(200), &json!([invoice]));

    // Rows: one of each, three contracts and Dimonas, two budget movements.
    let after = api.rows().await;
    for (table, added) in [
        ("declarations", 1),
        ("invoices", 1),
        ("contracts", 3),
        ("social_declarations", 3),
        ("payslips", 1),
        ("budget_movements", 2),
    ] {
        assert_eq!(after[table] - rows[table], added, "{table}");
    }
    // Nothing produced for the queue: it was validated at once.
    let queue = api.get("/queue", api.advisor()).await;
    assert_eq!(
        queue.expect(200),
        &json!({"declarations": [], "quotes": [], "expenses": []})
    );
});

on_every_store!(gross_wanted_for_an_eu_company_is_reverse_charged, |api| {
    let mut input = be_days(&api, 19, 19, "1", ("gross", "300"));
    input["client_id"] = json!(api.f.de_client.id);
    let r = api.post("/declarations", api.alice(), &input).await;
    let r = r.expect(201);
    let b = &r["declaration"]["breakdown"];
    // 440.38 of employer cost / (1 − 6.5 %) = 470.99 invoiced, without VAT.
    assert_eq!(
        b,
        &json!({
            "invoiced": "470.99",
            "vat": "0.00",
            "invoiced_with_vat": "470.99",
            "fee_rate": "6.50",
            "fee": "30.61",
            "employer_cost": "440.38",
            "employer_contributions": "140.38",
            "employer_reliefs": "0.00",
            "gross": "300.00",
            "employee_contributions": "42.35",
            "withholding_tax": "0.00",
            "net": "257.65",
            "kept_in_budget": "0.00",
        })
    );
    assert_eq!(
        eur("470.99"),
        api.f.be.fee.price_for(eur("440.38")),
        "the gross-up of the fee policy"
    );
    assert_eq!(r["invoice"]["lines"][0]["vat"]["category"], "AE");
    assert_eq!(r["invoice"]["totals"]["vat"], "0.00");
    assert_eq!(r["contracts"].as_array().map(Vec::len), Some(1));
});

on_every_store!(french_declaration_queued_then_validated, |api| {
    let r = api
        .post("/declarations", api.claire(), &fr_days(&api))
        .await;
    let r = r.expect(201).clone();
    let d = &r["declaration"];
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["number"], "DEC-FR-2026-000001");
    assert_eq!(r["invoice"], Value::Null);
    assert_eq!(r["contracts"], json!([]));
    assert_eq!(r["payslip"], Value::Null);
    assert_eq!(d["breakdown"]["fee"], "170.00"); // 8.5 % of 2 000
    assert_eq!(api.count("invoices").await, 0);
    assert_eq!(api.count("contracts").await, 0);

    // The advisors' queue holds it; a member neither reads the queue nor validates.
    let queue = api.get("/queue", api.advisor()).await;
    assert_eq!(
        queue.expect(200),
        &json!({"declarations": [d], "quotes": [], "expenses": []})
    );
    api.get("/queue", api.claire())
        .await
        .expect_error(403, "forbidden", None);
    let validate = format!("/declarations/{}/validate", id(d));
    api.post(&validate, api.claire(), &json!({}))
        .await
        .expect_error(403, "forbidden", None);
    let submitted = api
        .get("/declarations?status=submitted", api.claire())
        .await;
    assert_eq!(submitted.expect(200), &json!([d]));

    // The advisor validates: invoice, CDD d'usage with its DPAE, payslip, budget.
    let v = api.post(&validate, api.advisor(), &json!({})).await;
    let v = v.expect(200).clone();
    assert_eq!(v["declaration"]["status"], "validated");
    assert_eq!(
        v["declaration"]["breakdown"],
        json!({
            "invoiced": "2000.00",
            "vat": "400.00",
            "invoiced_with_vat": "2400.00",
            "fee_rate": "8.50",
            "fee": "170.00",
            "employer_cost": "1830.00",
            "employer_contributions": "559.42",
            "employer_reliefs": "0.00",
            "gross": "1270.58",
            "employee_contributions": "262.45",
            "withholding_tax": "0.00",
            "net": "1008.13",
            "kept_in_budget": "0.00",
        })
    );
    let invoice = &v["invoice"];
    assert_eq!(invoice["number"], "INV-FR-2026-000001");
    assert_eq!(invoice["totals"]["net"], "2000.00");
    assert_eq!(invoice["totals"]["vat"], "400.00");
    assert_eq!(invoice["totals"]["with_vat"], "2400.00");
    assert_eq!(invoice["due_date"], "2026-01-30");
    assert_eq!(invoice["payment_reference"]["scheme"], "rf");
    // Five days at 400.00 each.
    assert_eq!(invoice["lines"][0]["quantity"], 5000);
    assert_eq!(invoice["lines"][0]["unit_price"], "400.00");
    let contracts = v["contracts"].as_array().expect("contracts");
    assert_eq!(contracts.len(), 1);
    let c = &contracts[0];
    assert_eq!(c["number"], "CTR-FR-2026-000001");
    assert_eq!(c["kind"], "cdd-usage");
    assert_eq!(c["hours"], 3500); // 5 days of 7 h, in hundredths
    assert_eq!(c["gross"], "1270.58");
    assert_eq!(c["start"], "2026-01-05");
    assert_eq!(c["end"], "2026-01-16");
    let detail = api
        .get(&format!("/contracts/{}", id(c)), api.claire())
        .await;
    let socials = detail.expect(200)["social_declarations"]
        .as_array()
        .expect("list")
        .clone();
    assert_eq!(socials.len(), 1);
    assert_eq!(
        socials[0]["declaration"],
        json!({
            "kind": "dpae",
            "employer": "73282932000074",
            "employee": "184127645108946",
            "contract_type": "CDD d'usage",
            "start": "2026-01-05",
            "end": "2026-01-16",
            "hours": 3500,
        })
    );
    assert_eq!(v["payslip"]["net_paid"], "1008.13");
    assert_eq!(v["payslip"]["contract_kind"], "cdd-usage");
    let activity = api
        .get(
            &format!("/activities/{}", api.f.fr_activity.id),
            api.claire(),
        )
        .await;
    let amounts: Vec<&str> = activity.expect(200)["movements"]
        .as_array()
        .expect("movements")
        .iter()
        .map(|m| text(&m["amount"]))
        .collect();
    assert_eq!(amounts, ["1830.00", "-1830.00"]);

    // The queue is empty; deciding again is a conflict that writes nothing.
    let queue = api.get("/queue", api.advisor()).await;
    assert_eq!(
        queue.expect(200),
        &json!({"declarations": [], "quotes": [], "expenses": []})
    );
    let rows = api.rows().await;
    let msg = api
        .post(&validate, api.advisor(), &json!({}))
        .await
        .expect_error(409, "already_decided", None)
        .to_string();
    assert!(msg.contains("DEC-FR-2026-000001"), "{msg}");
    api.post(
        &format!("/declarations/{}/reject", id(d)),
        api.advisor(),
        &json!({"reason": "late"}),
    )
    .await
    .expect_error(409, "already_decided", None);
    assert_eq!(api.rows().await, rows);
    let read = api
        .get(&format!("/declarations/{}", id(d)), api.claire())
        .await;
    assert_eq!(read.expect(200), &v);
});

on_every_store!(rejected_declaration_produces_nothing, |api| {
    let mut input = fr_days(&api);
    input["period"] = json!({"start": "2026-01-07", "end": "2026-01-07"});
    input["unit"] = json!("hour");
    input["quantity"] = json!("2.5");
    input.as_object_mut().expect("object").remove("price");
    input["gross"] = json!("100");
    let r = api.post("/declarations", api.claire(), &input).await;
    let d = r.expect(201)["declaration"].clone();
    assert_eq!(d["work"]["quantity"], 250);
    let rows = api.rows().await;
    let reject = format!("/declarations/{}/reject", id(&d));
    api.post(&reject, api.claire(), &json!({"reason": "no"}))
        .await
        .expect_error(403, "forbidden", None);
    api.post(&reject, api.advisor(), &json!({"reason": "  "}))
        .await
        .expect_error(422, "invalid", Some("reason"));
    let rejected = api
        .post(&reject, api.advisor(), &json!({"reason": "Wrong client"}))
        .await;
    let rejected = rejected.expect(200);
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["rejection"], "Wrong client");
    assert_eq!(rejected["breakdown"], d["breakdown"]);
    let after = api.rows().await;
    assert_eq!(after, rows, "a rejection only updates the declaration");
    let listed = api.get("/declarations?status=rejected", api.claire()).await;
    assert_eq!(listed.expect(200).as_array().map(Vec::len), Some(1));
    let queue = api.get("/queue", api.advisor()).await;
    assert_eq!(
        queue.expect(200),
        &json!({"declarations": [], "quotes": [], "expenses": []})
    );
    api.post(
        &format!("/declarations/{}/validate", id(&d)),
        api.advisor(),
        &json!({}),
    )
    .await
    .expect_error(409, "already_decided", None);
    assert_eq!(api.rows().await, rows);
});
