//! Quotes through the client's public link: a token that was already used is refused and
//! writes nothing. Quotes land in feat-quotes; this test is enabled after that merge.

use axum::http::Method;
use serde_json::json;

use crate::support::{on_every_store, text};

on_every_store!(
    a_quote_token_already_used_is_refused_and_writes_nothing,
    |api| {
        // Alice drafts a quote for the Théâtre du Parc, submits it; an advisor approves it; she
        // sends it and gets the client's link once.
        let draft = api
            .post(
                "/quotes",
                api.alice(),
                &json!({
                    "activity_id": api.f.be_activity.id,
                    "client_id": api.f.be_client.id,
                    "title": "Season photographs",
                    "lines": [{
                        "description": "Photo shoot",
                        "quantity": "3",
                        "unit": "day",
                        "unit_price": "450.00",
                    }],
                }),
            )
            .await;
        let quote = text(&draft.expect(201)["id"]).to_string();
        api.post(&format!("/quotes/{quote}/submit"), api.alice(), &json!({}))
            .await
            .expect(200);
        api.post(
            &format!("/quotes/{quote}/approve"),
            api.advisor(),
            &json!({}),
        )
        .await
        .expect(200);
        let sent = api
            .post(&format!("/quotes/{quote}/send"), api.alice(), &json!({}))
            .await;
        let token = text(&sent.expect(200)["token"]).to_string();

        // The client accepts through the link, with no account: the quote is an order.
        let accept = format!("/public/quotes/{token}/accept");
        let answer = json!({"name": "M. Dupont, directeur"});
        let accepted = api
            .raw(Method::POST, &accept, None, None, Some(&answer.to_string()))
            .await;
        assert_eq!(accepted.expect(200)["status"], "accepted");

        // The same link again, to accept or to refuse: a 409 that writes nothing.
        let rows = api.rows().await;
        let quotes = api.count("quotes").await;
        for path in [accept.clone(), format!("/public/quotes/{token}/refuse")] {
            let reply = api
                .raw(Method::POST, &path, None, None, Some(&answer.to_string()))
                .await;
            let message = reply.expect_error(409, "quote_already_decided", None);
            assert!(message.contains("accepted"), "{message}");
        }
        assert_eq!(api.rows().await, rows);
        assert_eq!(api.count("quotes").await, quotes);
        let read = api.get(&format!("/quotes/{quote}"), api.alice()).await;
        assert_eq!(read.expect(200)["status"], "accepted");

        // A token that is no link is a 404, as is a malformed one.
        for token in ["0".repeat(64), "not-a-token".to_string()] {
            api.raw(
                Method::POST,
                &format!("/public/quotes/{token}/accept"),
                None,
                None,
                Some("{}"),
            )
            .await
            .expect_error(404, "not_found", None);
        }
        assert_eq!(api.rows().await, rows);
    }
);
