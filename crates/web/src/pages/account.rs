//! Signing in and out, invitations, password resets, the language switcher.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use ensemble_app::{App, AppError};
use ensemble_domain::Lang;

use super::{
    Chrome, Ctx, DemoUser, FormErrors, LANG_COOKIE, PageResult, Posted, SESSION_COOKIE, render,
    render_status, safe_next, see_other, set_cookie,
};

pub async fn home(ctx: Ctx) -> PageResult {
    Ok(match &ctx.session {
        Some(s) if s.actor.role.is_staff() => Redirect::to("/staff").into_response(),
        Some(_) => Redirect::to("/dashboard").into_response(),
        None => Redirect::to("/login").into_response(),
    })
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    email: String,
    next: String,
    errors: FormErrors,
    demo: Option<(String, Vec<DemoUser>)>,
    notice: Option<String>,
}

fn login_page_of(ctx: &Ctx, email: String, next: String, errors: FormErrors) -> LoginPage {
    LoginPage {
        c: ctx.chrome("login", ctx.t("login.title")),
        email,
        next,
        errors,
        demo: ctx
            .site
            .demo
            .as_ref()
            .map(|d| (d.password.clone(), d.accounts.clone())),
        notice: None,
    }
}

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
    done: Option<String>,
}

pub async fn login_page(
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> PageResult {
    if ctx.session.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let mut page = login_page_of(
        &ctx,
        String::new(),
        safe_next(q.next.as_deref()),
        FormErrors::default(),
    );
    page.notice = match q.done.as_deref() {
        Some("reset") => Some(ctx.t("reset.done").to_string()),
        Some("logout") => Some(ctx.t("login.logged_out").to_string()),
        _ => None,
    };
    render(&ctx, &page)
}

pub async fn login(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let email = fields.text("email");
    let password = fields.get("password").unwrap_or("").to_string();
    let next = safe_next(fields.get("next"));
    match app.login(&email, &password, &ctx.ip).await {
        Ok(session) => {
            let mut response = Redirect::to(if next == "/" { "/" } else { &next }).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &session.token, None, ctx.secure),
            );
            Ok(response)
        }
        Err(AppError::Unauthenticated) => {
            let errors = FormErrors::one("password", ctx.t("login.wrong"));
            render_status(
                &ctx,
                StatusCode::UNAUTHORIZED,
                &login_page_of(&ctx, email, next, errors),
            )
        }
        Err(AppError::TooManyAttempts(_)) => {
            let errors = FormErrors::one("email", ctx.t("login.too_many"));
            render_status(
                &ctx,
                StatusCode::TOO_MANY_REQUESTS,
                &login_page_of(&ctx, email, next, errors),
            )
        }
        Err(e) => Err(ctx.error(e)),
    }
}

pub async fn logout(State(app): State<App>, Posted { ctx, .. }: Posted) -> PageResult {
    if let Some(token) = &ctx.session_token {
        app.logout(token).await.map_err(|e| ctx.error(e))?;
    }
    let mut response = Redirect::to("/login?done=logout").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), ctx.secure),
    );
    Ok(response)
}

/// The language switcher: the account's language when signed in, a cookie before.
pub async fn language(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let lang: Lang = fields.text("lang").parse().unwrap_or(ctx.lang);
    if let Some(session) = &ctx.session {
        app.set_language(&session.actor, lang)
            .await
            .map_err(|e| ctx.error(e))?;
    }
    let back = safe_next(fields.get("back"));
    let mut response = Redirect::to(&back).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, lang.code(), Some(365 * 24 * 3600), ctx.secure),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    c: Chrome,
    /// `invitation` or `reset`.
    purpose: &'static str,
    email: String,
    action: String,
    errors: FormErrors,
}

pub async fn invitation_page(
    State(app): State<App>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> PageResult {
    let view = app.invitation(&token).await.map_err(|e| ctx.error(e))?;
    render(
        &ctx,
        &PasswordPage {
            c: ctx.chrome("login", ctx.t("invitation.title")),
            purpose: "invitation",
            email: view.email,
            action: format!("/invitations/{token}"),
            errors: FormErrors::default(),
        },
    )
}

/// The two password fields must match.
fn confirmed(ctx: &Ctx, fields: &super::Fields) -> Result<String, FormErrors> {
    let password = fields.get("password").unwrap_or("").to_string();
    if fields.get("confirm").unwrap_or("") != password {
        return Err(FormErrors::one("confirm", ctx.t("password.mismatch")));
    }
    Ok(password)
}

pub async fn accept_invitation(
    State(app): State<App>,
    Path(token): Path<String>,
    Posted { ctx, fields }: Posted,
) -> PageResult {
    let view = app.invitation(&token).await.map_err(|e| ctx.error(e))?;
    let page = |errors| PasswordPage {
        c: ctx.chrome("login", ctx.t("invitation.title")),
        purpose: "invitation",
        email: view.email.clone(),
        action: format!("/invitations/{token}"),
        errors,
    };
    let password = match confirmed(&ctx, &fields) {
        Ok(p) => p,
        Err(errors) => return render_status(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page(errors)),
    };
    match app.accept_invitation(&token, &password).await {
        Ok(session) => {
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &session.token, None, ctx.secure),
            );
            Ok(response)
        }
        Err(e @ AppError::Invalid(_)) => render_status(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(FormErrors::from_app(&e)),
        ),
        Err(e) => Err(ctx.error(e)),
    }
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    c: Chrome,
    sent: bool,
    errors: FormErrors,
}

pub async fn forgot_page(ctx: Ctx) -> PageResult {
    render(
        &ctx,
        &ForgotPage {
            c: ctx.chrome("login", ctx.t("forgot.title")),
            sent: false,
            errors: FormErrors::default(),
        },
    )
}

pub async fn forgot(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let email = fields.text("email");
    if email.is_empty() {
        return render_status(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            &ForgotPage {
                c: ctx.chrome("login", ctx.t("forgot.title")),
                sent: false,
                errors: FormErrors::one("email", ctx.t("form.required")),
            },
        );
    }
    app.request_password_reset(&email, &ctx.base_url())
        .await
        .map_err(|e| ctx.error(e))?;
    render(
        &ctx,
        &ForgotPage {
            c: ctx.chrome("login", ctx.t("forgot.title")),
            sent: true,
            errors: FormErrors::default(),
        },
    )
}

pub async fn reset_page(State(app): State<App>, ctx: Ctx, Path(token): Path<String>) -> PageResult {
    app.password_reset_valid(&token)
        .await
        .map_err(|e| ctx.error(e))?;
    render(
        &ctx,
        &PasswordPage {
            c: ctx.chrome("login", ctx.t("reset.title")),
            purpose: "reset",
            email: String::new(),
            action: format!("/password/reset/{token}"),
            errors: FormErrors::default(),
        },
    )
}

pub async fn reset(
    State(app): State<App>,
    Path(token): Path<String>,
    Posted { ctx, fields }: Posted,
) -> PageResult {
    let page = |errors| PasswordPage {
        c: ctx.chrome("login", ctx.t("reset.title")),
        purpose: "reset",
        email: String::new(),
        action: format!("/password/reset/{token}"),
        errors,
    };
    let password = match confirmed(&ctx, &fields) {
        Ok(p) => p,
        Err(errors) => return render_status(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page(errors)),
    };
    match app.reset_password(&token, &password).await {
        Ok(()) => Ok(see_other(&ctx, "/login?done=reset")),
        Err(e @ AppError::Invalid(_)) => render_status(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(FormErrors::from_app(&e)),
        ),
        Err(e) => Err(ctx.error(e)),
    }
}
