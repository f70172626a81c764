//! The client's page of a quote, reached by the link the member sent: in the quote's language,
//! with buttons to accept or refuse. The link's token is the credential; no account.

use askama::Template;
use axum::extract::{Path, State};
use ensemble_app::App;
use ensemble_app::quotes::{ClientAnswer, PublicQuote};
use ensemble_domain::quote::QuoteStatus;

use super::{Chrome, Ctx, FormErrors, PageResult, Posted, on_form, render, see_other};

#[derive(Template)]
#[template(path = "quote_public.html")]
struct QuotePublicPage {
    c: Chrome,
    q: PublicQuote,
    open: bool,
    errors: FormErrors,
    token: String,
}

fn in_quote_language(ctx: &Ctx, q: &PublicQuote) -> Ctx {
    let mut ctx = ctx.clone();
    ctx.lang = q.lang;
    ctx
}

pub async fn quote_page(State(app): State<App>, ctx: Ctx, Path(token): Path<String>) -> PageResult {
    let q = app.public_quote(&token).await.map_err(|e| ctx.error(e))?;
    let ctx = in_quote_language(&ctx, &q);
    render(
        &ctx,
        &QuotePublicPage {
            c: ctx.chrome("public", format!("{} {}", ctx.t("quote.title"), q.number)),
            open: q.status == QuoteStatus::Sent,
            q,
            errors: FormErrors::default(),
            token,
        },
    )
}

pub async fn answer(
    State(app): State<App>,
    Path(token): Path<String>,
    Posted { ctx, fields }: Posted,
) -> PageResult {
    let answer = ClientAnswer {
        name: fields.optional("name"),
        comment: fields.optional("comment"),
    };
    let result = match fields.text("decision").as_str() {
        "accept" => app.accept_quote(&token, &answer).await,
        _ => app.refuse_quote(&token, &answer).await,
    };
    match result {
        Ok(_) => Ok(see_other(&ctx, &format!("/quotes/confirm/{token}"))),
        Err(e) if on_form(&e) => {
            let q = app.public_quote(&token).await.map_err(|e| ctx.error(e))?;
            let ctx = in_quote_language(&ctx, &q);
            render(
                &ctx,
                &QuotePublicPage {
                    c: ctx.chrome("public", format!("{} {}", ctx.t("quote.title"), q.number)),
                    open: q.status == QuoteStatus::Sent,
                    q,
                    errors: FormErrors::from_app(&e),
                    token,
                },
            )
        }
        Err(e) => Err(ctx.error(e)),
    }
}
