//! The server-rendered pages under `/`: askama templates, htmx for the live parts (the
//! declaration simulator, the expense draft's autosave), the message catalogues in three
//! languages. Handlers call the same `App` use cases as the API, with the actor of the
//! browser's session, so a member sees exactly what the API would show them.
//!
//! - Sessions: a random token in the `ensemble_session` cookie (HttpOnly, SameSite=Lax,
//!   Secure when the site is served over https); the store keeps its hash.
//! - CSRF: every form carries `_csrf` (htmx sends it as `X-CSRF-Token` too). Signed in, it is
//!   the session's secret; before signing in, the value of the `ensemble_csrf` cookie (double
//!   submit). Every POST is checked before anything else happens.
//! - Language: the account's, else the switcher's cookie, else `Accept-Language`, else
//!   English.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ensemble_app::accounts::Session;
use ensemble_app::{Actor, App, AppError};
use ensemble_domain::{Lang, Money, Month, Rate};
use jiff::civil::Date;

mod account;
mod assets;
pub mod format;
pub mod i18n;
mod member;
mod public;
mod staff;
mod treasury;

use i18n::Catalogue;

/// The session cookie.
pub const SESSION_COOKIE: &str = "ensemble_session";
/// The anonymous CSRF cookie (double submit), for the forms shown before signing in.
pub const CSRF_COOKIE: &str = "ensemble_csrf";
/// The language chosen with the switcher before signing in.
pub const LANG_COOKIE: &str = "ensemble_lang";

/// How the site is served: set by `ensemble serve`.
#[derive(Clone, Debug, Default)]
pub struct Site {
    /// The demo's accounts, listed on the login page; `None` outside the demo.
    pub demo: Option<DemoLogin>,
    /// Mark cookies `Secure` (the site is behind https). Requests that arrive with
    /// `X-Forwarded-Proto: https` get `Secure` cookies anyway.
    pub secure_cookies: bool,
    /// The public address (`https://ensemble.example`), for links in mails; by default the
    /// request's `Host`.
    pub base_url: Option<String>,
}

/// The demo accounts shown on the login page of `ensemble serve --demo`.
#[derive(Clone, Debug, Default)]
pub struct DemoLogin {
    pub password: String,
    pub accounts: Vec<DemoUser>,
}

#[derive(Clone, Debug)]
pub struct DemoUser {
    pub role: String,
    pub email: String,
    pub name: String,
}

/// The pages' routes.
pub fn router(site: Site) -> Router<App> {
    Router::new()
        .route("/", get(account::home))
        .route("/login", get(account::login_page).post(account::login))
        .route("/logout", post(account::logout))
        .route("/language", post(account::language))
        .route(
            "/invitations/{token}",
            get(account::invitation_page).post(account::accept_invitation),
        )
        .route(
            "/password/forgot",
            get(account::forgot_page).post(account::forgot),
        )
        .route(
            "/password/reset/{token}",
            get(account::reset_page).post(account::reset),
        )
        .route("/quotes/confirm/{token}", get(public::quote_page))
        .route("/quotes/confirm/{token}/answer", post(public::answer))
        .merge(member::routes())
        .merge(staff::routes())
        .merge(treasury::routes())
        .route("/static/{file}", get(assets::file))
        .fallback(not_found)
        .layer(middleware::from_fn(csrf_cookie))
        .layer(Extension(Arc::new(site)))
}

async fn not_found(ctx: Ctx) -> PageError {
    ctx.error(AppError::NotFound {
        kind: "page",
        id: ctx.path.clone(),
    })
}

/// The value of a cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when asked; a `max_age` of 0
/// deletes the cookie; `None` makes a cookie that ends with the browser.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        text.push_str("; Secure");
    }
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Path=/"))
}

/// A fresh random secret in hex.
pub(crate) fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    // Without randomness the token is all zeros and CSRF checks still compare cookie and
    // form; the session tokens themselves come from the app, which refuses to run without.
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The anonymous CSRF token of this browser, made on its first visit.
#[derive(Clone)]
struct PreToken(String);

/// Gives every browser an anonymous CSRF cookie on its first visit.
async fn csrf_cookie(mut req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let secure = is_https(req.headers())
        || req
            .extensions()
            .get::<Arc<Site>>()
            .is_some_and(|s| s.secure_cookies);
    match existing {
        Some(token) => {
            req.extensions_mut().insert(PreToken(token));
            next.run(req).await
        }
        None => {
            let token = random_hex();
            req.extensions_mut().insert(PreToken(token.clone()));
            let mut response = next.run(req).await;
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(CSRF_COOKIE, &token, None, secure),
            );
            response
        }
    }
}

fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// Compares secrets without stopping at the first difference.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The signed-in user, as the page header shows them.
#[derive(Clone, Debug)]
pub struct UserBar {
    pub email: String,
    pub role: String,
    pub staff: bool,
}

/// What every page knows about its request: the site, the language, the session.
#[derive(Clone)]
pub struct Ctx {
    pub site: Arc<Site>,
    pub lang: Lang,
    pub session: Option<Session>,
    pub session_token: Option<String>,
    /// The token the request's forms must carry.
    pub csrf: String,
    /// `X-CSRF-Token`, if sent (htmx).
    pub header_csrf: Option<String>,
    pub path: String,
    pub secure: bool,
    /// The client's address, for the login rate limit.
    pub ip: String,
    pub host: Option<String>,
    pub htmx: bool,
}

impl FromRequestParts<App> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Ctx, PageError> {
        let site = parts
            .extensions
            .get::<Arc<Site>>()
            .cloned()
            .unwrap_or_default();
        let headers = &parts.headers;
        let session_token = cookie(headers, SESSION_COOKIE);
        let session = match &session_token {
            Some(t) => match app.session(t).await {
                Ok(s) => Some(s),
                Err(AppError::Unauthenticated) => None,
                Err(e) => return Err(PageError::plain(e)),
            },
            None => None,
        };
        let lang = session
            .as_ref()
            .map(|s| s.actor.lang)
            .or_else(|| cookie(headers, LANG_COOKIE).and_then(|l| l.parse().ok()))
            .or_else(|| {
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(i18n::from_accept_language)
            })
            .unwrap_or(Lang::En);
        let pre = parts
            .extensions
            .get::<PreToken>()
            .map(|p| p.0.clone())
            .unwrap_or_default();
        let csrf = session.as_ref().map_or(pre, |s| s.csrf_secret.clone());
        let ip = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string());
        Ok(Ctx {
            secure: site.secure_cookies || is_https(headers),
            site,
            lang,
            session,
            session_token,
            csrf,
            header_csrf: headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            path: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_string(), |p| p.as_str().to_string()),
            ip,
            host: headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            htmx: headers.contains_key("hx-request"),
        })
    }
}

impl Ctx {
    pub fn tr(&self) -> &'static Catalogue {
        Catalogue::of(self.lang)
    }

    pub fn t(&self, key: &'static str) -> &'static str {
        Catalogue::of(self.lang).get(key)
    }

    /// The signed-in actor, or a redirect to the login page.
    pub fn actor(&self) -> Result<&Actor, PageError> {
        self.session
            .as_ref()
            .map(|s| &s.actor)
            .ok_or_else(|| PageError::Redirect(format!("/login?next={}", encode(&self.path))))
    }

    /// The page chrome for a template.
    pub fn chrome(&self, nav: &'static str, title: impl Into<String>) -> Chrome {
        Chrome {
            lang: self.lang,
            tr: self.tr(),
            title: title.into(),
            nav,
            user: self.session.as_ref().map(|s| UserBar {
                email: s.email.clone(),
                role: s.actor.role.code().to_string(),
                staff: s.actor.role.is_staff(),
            }),
            csrf: self.csrf.clone(),
            path: self.path.clone(),
            demo: self.site.demo.is_some(),
        }
    }

    /// An error as a page in the reader's language.
    pub fn error(&self, e: AppError) -> PageError {
        PageError::Page(Box::new(ErrorPage::new(self, e)))
    }

    /// The site's address, for links in mails.
    pub fn base_url(&self) -> String {
        self.site.base_url.clone().unwrap_or_else(|| {
            let scheme = if self.secure { "https" } else { "http" };
            format!("{scheme}://{}", self.host.as_deref().unwrap_or("localhost"))
        })
    }

    fn check_csrf(&self, fields: &Fields) -> Result<(), PageError> {
        let sent = fields
            .get("_csrf")
            .map(str::to_string)
            .or_else(|| self.header_csrf.clone())
            .unwrap_or_default();
        if !self.csrf.is_empty() && same_secret(&sent, &self.csrf) {
            Ok(())
        } else {
            Err(self.error(AppError::forbidden(self.t("error.csrf"))))
        }
    }
}

/// Percent-encodes a path for a query string.
pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Where to go after signing in: a local path only.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

/// The fields of a posted form, in order (a name may repeat).
#[derive(Clone, Debug, Default)]
pub struct Fields {
    pairs: Vec<(String, String)>,
}

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields {
            pairs: form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    pub fn single(name: &str, value: &str) -> Fields {
        Fields {
            pairs: vec![(name.to_string(), value.to_string())],
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed value, `""` when absent.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").trim().to_string()
    }

    /// A value that may be absent or blank.
    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|t| !t.is_empty())
    }

    /// Every value of a repeated field, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    pub fn map(&self) -> BTreeMap<String, String> {
        self.pairs.iter().cloned().collect()
    }
}

/// A posted form whose CSRF token was checked.
pub struct Posted {
    pub ctx: Ctx,
    pub fields: Fields,
}

impl FromRequest<App> for Posted {
    type Rejection = PageError;

    async fn from_request(req: Request, app: &App) -> Result<Posted, PageError> {
        let (mut parts, body) = req.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, app).await?;
        let bytes = axum::body::to_bytes(body, 1024 * 1024).await.map_err(|e| {
            ctx.error(AppError::Invalid(ensemble_domain::Invalid::new(
                "form",
                e.to_string(),
            )))
        })?;
        let fields = Fields::parse(&bytes);
        ctx.check_csrf(&fields)?;
        Ok(Posted { ctx, fields })
    }
}

/// A file of a posted `multipart/form-data` form.
pub struct Upload {
    /// The form field's name.
    pub field: String,
    /// The file's name on the sender's computer (may be empty: no file chosen).
    pub file_name: String,
    pub media_type: Option<String>,
    pub bytes: axum::body::Bytes,
}

/// A posted `multipart/form-data` form (a file upload) whose CSRF token was checked — the
/// `_csrf` field, or `X-CSRF-Token` — before the handler runs, as [`Posted`] does for plain
/// forms: its text fields and its files. The body's limit is the route's
/// `DefaultBodyLimit`; a body that cannot be read is a 422 page on the field `file`.
pub struct PostedFiles {
    pub ctx: Ctx,
    pub fields: Fields,
    pub files: Vec<Upload>,
}

impl PostedFiles {
    /// The first non-empty file sent in `field`.
    pub fn file(&self, field: &str) -> Option<&Upload> {
        self.files
            .iter()
            .find(|f| f.field == field && !f.bytes.is_empty())
    }
}

impl FromRequest<App> for PostedFiles {
    type Rejection = PageError;

    async fn from_request(req: Request, app: &App) -> Result<PostedFiles, PageError> {
        let (mut parts, body) = req.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, app).await?;
        let bad =
            |m: String| ctx.error(AppError::Invalid(ensemble_domain::Invalid::new("file", m)));
        let mut multipart =
            axum::extract::Multipart::from_request(Request::from_parts(parts, body), app)
                .await
                .map_err(|e| bad(e.body_text()))?;
        let mut pairs = Vec::new();
        let mut files = Vec::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| bad(e.body_text()))?
        {
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                Some(file_name) => {
                    let media_type = field.content_type().map(str::to_string);
                    let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
                    files.push(Upload {
                        field: name,
                        file_name,
                        media_type,
                        bytes,
                    });
                }
                None => {
                    let text = field.text().await.map_err(|e| bad(e.body_text()))?;
                    pairs.push((name, text));
                }
            }
        }
        let fields = Fields { pairs };
        ctx.check_csrf(&fields)?;
        Ok(PostedFiles { ctx, fields, files })
    }
}

/// What every page template gets: the language, the user, the CSRF token.
pub struct Chrome {
    pub lang: Lang,
    pub tr: &'static Catalogue,
    pub title: String,
    pub nav: &'static str,
    pub user: Option<UserBar>,
    pub csrf: String,
    pub path: String,
    pub demo: bool,
}

impl Chrome {
    pub fn t<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        self.tr.get(key)
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn money<M: std::borrow::Borrow<Money>>(&self, m: M) -> String {
        format::money(self.lang, *m.borrow())
    }

    pub fn date<D: std::borrow::Borrow<Date>>(&self, d: D) -> String {
        format::date(self.lang, *d.borrow())
    }

    pub fn month<M: std::borrow::Borrow<Month>>(&self, m: M) -> String {
        format::month(self.lang, *m.borrow())
    }

    pub fn rate<R: std::borrow::Borrow<Rate>>(&self, r: R) -> String {
        format::rate(self.lang, *r.borrow())
    }

    /// A status or code as words: `status.draft` → "Draft".
    pub fn status(&self, code: impl std::fmt::Display) -> String {
        let key = format!("status.{code}");
        let text = self.tr.get(&key);
        if text == key {
            code.to_string()
        } else {
            text.to_string()
        }
    }

    pub fn is(&self, nav: &str) -> bool {
        self.nav == nav
    }

    /// The other languages, for the switcher: code and name.
    pub fn languages(&self) -> Vec<(&'static str, &'static str)> {
        Lang::ALL
            .iter()
            .map(|l| {
                (
                    l.code(),
                    match l {
                        Lang::En => "English",
                        Lang::Fr => "Français",
                        Lang::Nl => "Nederlands",
                    },
                )
            })
            .collect()
    }
}

/// An error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub status: StatusCode,
    pub heading: String,
    pub message: String,
}

impl ErrorPage {
    fn new(ctx: &Ctx, e: AppError) -> ErrorPage {
        let (status, heading, message) = match &e {
            AppError::NotFound { .. } => (
                StatusCode::NOT_FOUND,
                ctx.t("error.not_found"),
                ctx.t("error.not_found_text").to_string(),
            ),
            // The reason may name what the actor may not see: say only that it is refused.
            AppError::Forbidden(_) => (
                StatusCode::FORBIDDEN,
                ctx.t("error.forbidden"),
                if e.message() == ctx.t("error.csrf") {
                    e.message()
                } else {
                    ctx.t("error.forbidden_text").to_string()
                },
            ),
            AppError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                ctx.t("error.unauthenticated"),
                ctx.t("error.unauthenticated_text").to_string(),
            ),
            AppError::TooManyAttempts(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                ctx.t("error.too_many"),
                ctx.t("error.too_many_text").to_string(),
            ),
            AppError::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.t("error.invalid"),
                e.to_string(),
            ),
            AppError::Conflict { .. } => {
                (StatusCode::CONFLICT, ctx.t("error.conflict"), e.message())
            }
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ctx.t("error.internal"),
                ctx.t("error.internal_text").to_string(),
            ),
        };
        ErrorPage {
            c: ctx.chrome("", heading),
            status,
            heading: heading.to_string(),
            message,
        }
    }
}

/// Why a page is not shown: a redirect (to the login page), or an error page.
pub enum PageError {
    Redirect(String),
    Page(Box<ErrorPage>),
    /// Before the request's language is known.
    Plain(StatusCode, String),
}

impl PageError {
    fn plain(e: AppError) -> PageError {
        PageError::Plain(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Redirect(to) => Redirect::to(&to).into_response(),
            PageError::Page(page) => {
                let status = page.status;
                match page.render() {
                    Ok(html) => (status, Html(html)).into_response(),
                    Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
                }
            }
            PageError::Plain(status, text) => (status, text).into_response(),
        }
    }
}

pub type PageResult = Result<Response, PageError>;

/// Renders a template as a 200 page.
pub fn render<T: Template>(ctx: &Ctx, t: &T) -> PageResult {
    render_status(ctx, StatusCode::OK, t)
}

pub fn render_status<T: Template>(ctx: &Ctx, status: StatusCode, t: &T) -> PageResult {
    match t.render() {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Err(e) => Err(ctx.error(AppError::Internal(format!("template: {e}")))),
    }
}

/// A redirect after a successful POST (303: the browser follows with GET). For htmx, the
/// `HX-Redirect` header does the same.
pub fn see_other(ctx: &Ctx, to: &str) -> Response {
    if ctx.htmx {
        let mut r = StatusCode::NO_CONTENT.into_response();
        if let Ok(v) = HeaderValue::from_str(to) {
            r.headers_mut().insert("hx-redirect", v);
        }
        r
    } else {
        Redirect::to(to).into_response()
    }
}

/// A form error: the message, and the field it belongs to (for `aria-describedby`).
#[derive(Clone, Debug, Default)]
pub struct FormErrors {
    pub items: Vec<(String, String)>,
}

impl FormErrors {
    pub fn from_app(e: &AppError) -> FormErrors {
        FormErrors {
            items: vec![(anchor(e.field().unwrap_or("form")).to_string(), e.message())],
        }
    }

    /// An app error on one of several forms of a page whose field ids end with
    /// `-{suffix}` (an entity's id, say): `fee_rate` → `fee_rate-{suffix}`; an error that
    /// names no field goes to `default`.
    pub fn suffixed(e: &AppError, default: &str, suffix: &str) -> FormErrors {
        let field = anchor(e.field().unwrap_or(default));
        FormErrors::one(&format!("{field}-{suffix}"), e.message())
    }

    pub fn one(field: &str, message: impl Into<String>) -> FormErrors {
        FormErrors {
            items: vec![(field.to_string(), message.into())],
        }
    }

    pub fn any(&self) -> bool {
        !self.items.is_empty()
    }

    /// The message for a field, if any.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.of(field).is_some()
    }

    pub fn msg(&self, field: &str) -> String {
        self.of(field).unwrap_or("").to_string()
    }
}

/// The form field (its `id`) an input error of the app belongs to: `period.start` → `start`,
/// `price` or `gross` → `amount`, `lines.date` → `lines`, `address.city` → `city`.
pub fn anchor(field: &str) -> &str {
    match field {
        "period.start" => "start",
        "period.end" => "end",
        "price" | "gross" => "amount",
        "address" => "city",
        "fee_share_ppm" => "fee_share",
        f if f.starts_with("address.") => "city",
        f => f.split('.').next().unwrap_or(f),
    }
}

/// Whether an app error is the user's to fix on the form (rather than an error page).
pub fn on_form(e: &AppError) -> bool {
    matches!(e, AppError::Invalid(_) | AppError::Conflict { .. })
}

/// What a form's POST answers, the same way for every form: `done` with what the use case
/// returned (a 303 with [`see_other`], or a page); on an error the user can fix on the form
/// ([`on_form`]: invalid input, a conflict), `again` with it, to show the form again with its
/// messages and the values typed; any other error (403, 404…) as the error page.
///
/// ```ignore
/// let result: AppResult<_> = async { app.create_client(actor, &input?, None).await }.await;
/// answer(&ctx, result,
///     async |_| Ok(see_other(&ctx, "/clients")),
///     async |e| render_status(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &form(FormErrors::from_app(e))),
/// ).await
/// ```
pub async fn answer<T>(
    ctx: &Ctx,
    result: Result<T, AppError>,
    done: impl AsyncFnOnce(T) -> PageResult,
    again: impl AsyncFnOnce(&AppError) -> PageResult,
) -> PageResult {
    match result {
        Ok(value) => done(value).await,
        Err(e) if on_form(&e) => again(&e).await,
        Err(e) => Err(ctx.error(e)),
    }
}

/// An action on an item of a list (a queue) was done. A plain form goes back to `back` (303);
/// with htmx the answer is empty, so the item it targets leaves the list, and the status line
/// `<p id="{status}">` (inside an `aria-live` region of the page) says what was done, swapped
/// out of band.
pub fn done_in_place(ctx: &Ctx, back: &str, status: &str, message: &str) -> Response {
    if !ctx.htmx {
        return see_other(ctx, back);
    }
    Html(format!(
        "<p id=\"{status}\" class=\"notice\" role=\"status\" hx-swap-oob=\"true\">{}</p>",
        escape(message)
    ))
    .into_response()
}

/// An action on an item of a list was refused. With htmx the item stays (`HX-Reswap: none`)
/// and the status line says why (`role="alert"`; a 403 says only that it is refused);
/// without, the error page.
pub fn refused_in_place(ctx: &Ctx, status: &str, e: AppError) -> PageResult {
    if !ctx.htmx {
        return Err(ctx.error(e));
    }
    let message = if matches!(e, AppError::Forbidden(_)) {
        ctx.t("error.forbidden_text").to_string()
    } else {
        e.message()
    };
    let mut r = Html(format!(
        "<p id=\"{status}\" class=\"error-summary\" role=\"alert\" hx-swap-oob=\"true\">{}</p>",
        escape(&message)
    ))
    .into_response();
    r.headers_mut()
        .insert("hx-reswap", HeaderValue::from_static("none"));
    Ok(r)
}

/// Text for HTML written by hand (the fragments above).
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
