//! Accounts through the use cases, on SQLite and (with ENSEMBLE_TEST_DATABASE_URL) on
//! PostgreSQL: invitations set a password once, logins are rate limited by email and by
//! address, sessions end when idle, at their absolute end or on logout, reset links work once
//! and end every session.

#[macro_use]
#[path = "common/stores.rs"]
mod stores;
use stores::{finish, now, prepare};

use std::sync::{Arc, Mutex};

use ensemble_app::accounts::{Mail, Mailer};
use ensemble_app::inputs::NewUser;
use ensemble_app::testing::fixture;
use ensemble_app::{App, AppError, FixedClock};
use ensemble_domain::Lang;
use ensemble_domain::people::Role;
use ensemble_store::testing::TestStore;

const PASSWORD: &str = "correct horse battery";
const IP: &str = "192.0.2.10";

/// The same application, `minutes` later.
fn later(app: &App, minutes: i64) -> App {
    let mut app = app.clone();
    app.clock = Arc::new(FixedClock(now() + jiff::SignedDuration::from_mins(minutes)));
    app
}

/// Keeps the mails instead of sending them.
#[derive(Default)]
struct Captured(Mutex<Vec<Mail>>);

impl Mailer for Captured {
    fn send(&self, mail: &Mail) -> Result<(), String> {
        self.0.lock().expect("lock").push(mail.clone());
        Ok(())
    }
}

on_every_store!(an_invitation_sets_the_password_once, |f| {
    let app = &f.app;
    // Admitting a member gives an invitation link as well as the API token.
    let admission = app
        .admit_member(
            &f.advisor,
            &ensemble_app::inputs::NewMember {
                entity_id: f.be.id,
                first_name: "Eva".into(),
                last_name: "Peeters".into(),
                email: "eva@example.org".into(),
                iban: "BE71 0961 2345 6769".into(),
                national_id: ensemble_app::demo::niss(1988, 4, 12, 321),
                address: ensemble_app::testing::address("Rue Haute 1", "1000", "Bruxelles", "BE"),
                lang: Some(Lang::Nl),
                status: None,
                joined_on: None,
                shares: None,
            },
            None,
        )
        .await
        .expect("admitted");
    let invitation = admission.invitation;
    assert_eq!(
        invitation.path,
        format!("/invitations/{}", invitation.token)
    );
    assert_eq!(invitation.role, Role::Member);
    let view = app.invitation(&invitation.token).await.expect("valid link");
    assert_eq!(view.email, "eva@example.org");

    // A password that breaks a rule: refused, nothing written, the link still works.
    let err = app
        .accept_invitation(&invitation.token, "short")
        .await
        .expect_err("too short");
    assert_eq!(err.field(), Some("password"));
    assert!(matches!(
        app.login("eva@example.org", "short", IP).await,
        Err(AppError::Unauthenticated)
    ));
    let mut tx = app.store.read().await.expect("tx");
    assert_eq!(tx.count_rows("sessions").await.expect("count"), 0);
    drop(tx);

    let session = app
        .accept_invitation(&invitation.token, PASSWORD)
        .await
        .expect("accepted");
    assert_eq!(session.actor.member, Some(admission.member.id));
    assert_eq!(session.actor.lang, Lang::Nl);
    let found = app.session(&session.token).await.expect("signed in");
    assert_eq!(found.actor, session.actor);
    assert_eq!(found.csrf_secret, session.csrf_secret);
    assert_eq!(found.email, "eva@example.org");

    // Once only.
    assert!(matches!(
        app.accept_invitation(&invitation.token, "another long password")
            .await,
        Err(AppError::NotFound { .. })
    ));
    assert!(app.invitation(&invitation.token).await.is_err());
    // The password works, case and spaces of the email aside; a wrong one does not.
    app.login(" EVA@example.org ", PASSWORD, IP)
        .await
        .expect("login");
    assert!(matches!(
        app.login("eva@example.org", "correct horse batterY", IP)
            .await,
        Err(AppError::Unauthenticated)
    ));
    // The API token still works for the API.
    assert_eq!(
        app.authenticate(&admission.token)
            .await
            .expect("token")
            .user,
        admission.user.id
    );
});

on_every_store!(an_expired_invitation_opens_nothing, |f| {
    let invitation = f
        .app
        .invite_member(&f.advisor, f.dave.member.id)
        .await
        .expect("invitation");
    let late = later(&f.app, 15 * 24 * 60);
    assert!(matches!(
        late.accept_invitation(&invitation.token, PASSWORD).await,
        Err(AppError::NotFound { .. })
    ));
    // A member cannot invite.
    assert!(matches!(
        f.app.invite_member(&f.alice.actor, f.dave.member.id).await,
        Err(AppError::Forbidden(_))
    ));
});

on_every_store!(administrators_invite_staff, |f| {
    let input = NewUser {
        email: "treasurer@example.coop".into(),
        role: "accountant".into(),
        lang: Some(Lang::Fr),
    };
    assert!(matches!(
        f.app.invite_staff(&f.advisor, &input, None).await,
        Err(AppError::Forbidden(_))
    ));
    let invitation = f
        .app
        .invite_staff(&f.admin, &input, None)
        .await
        .expect("invited");
    assert_eq!(invitation.role, Role::Accountant);
    // No password yet: no login.
    assert!(
        f.app
            .login("treasurer@example.coop", PASSWORD, IP)
            .await
            .is_err()
    );
    let session = f
        .app
        .accept_invitation(&invitation.token, PASSWORD)
        .await
        .expect("accepted");
    assert_eq!(session.actor.role, Role::Accountant);
    assert!(session.actor.member.is_none());
    let member = NewUser {
        role: "member".into(),
        ..input
    };
    assert_eq!(
        f.app
            .invite_staff(&f.admin, &member, None)
            .await
            .expect_err("members are admitted")
            .field(),
        Some("role")
    );
});

on_every_store!(logins_are_rate_limited_by_email_and_by_address, |f| {
    let app = &f.app;
    app.set_password_by_email("alice@example.org", PASSWORD)
        .await
        .expect("password");
    for _ in 0..5 {
        assert!(matches!(
            app.login("alice@example.org", "wrong password!", IP).await,
            Err(AppError::Unauthenticated)
        ));
    }
    // The sixth attempt is refused even with the right password, from any address.
    for ip in [IP, "198.51.100.7"] {
        let err = app
            .login("alice@example.org", PASSWORD, ip)
            .await
            .expect_err("limited");
        assert!(matches!(err, AppError::TooManyAttempts(_)), "{err:?}");
        assert_eq!(err.code(), "too_many_attempts");
    }
    // Fifteen minutes later the window has passed.
    let late = later(app, 16);
    late.login("alice@example.org", PASSWORD, IP)
        .await
        .expect("allowed again");

    // By address: twenty failures on unknown emails block that address, not others.
    for n in 0..20 {
        let _ = late
            .login(
                &format!("nobody{n}@example.org"),
                "wrong password!",
                "203.0.113.5",
            )
            .await;
    }
    assert!(matches!(
        late.login("alice@example.org", PASSWORD, "203.0.113.5")
            .await,
        Err(AppError::TooManyAttempts(_))
    ));
    late.login("alice@example.org", PASSWORD, IP)
        .await
        .expect("another address");
    let mut tx = app.store.read().await.expect("tx");
    assert_eq!(
        tx.count_rows("login_attempts").await.expect("count"),
        5 + 20 + 2
    );
});

on_every_store!(sessions_end_when_idle_at_their_end_or_on_logout, |f| {
    let app = &f.app;
    app.set_password_by_email("alice@example.org", PASSWORD)
        .await
        .expect("password");
    let s = app
        .login("alice@example.org", PASSWORD, IP)
        .await
        .expect("login");
    // Used every seven hours, it lives on…
    let mut minutes = 0;
    for _ in 0..3 {
        minutes += 7 * 60;
        later(app, minutes)
            .session(&s.token)
            .await
            .expect("still valid");
    }
    // …but not eight hours idle.
    minutes += 8 * 60;
    assert!(matches!(
        later(app, minutes).session(&s.token).await,
        Err(AppError::Unauthenticated)
    ));
    // Nor past its absolute end, however used.
    let s2 = app
        .login("alice@example.org", PASSWORD, IP)
        .await
        .expect("login");
    let mut at = 0;
    while at < 7 * 24 * 60 - 7 * 60 {
        at += 7 * 60;
        later(app, at).session(&s2.token).await.expect("valid");
    }
    assert!(matches!(
        later(app, 7 * 24 * 60 + 1).session(&s2.token).await,
        Err(AppError::Unauthenticated)
    ));
    // Logout deletes it.
    let s3 = app
        .login("alice@example.org", PASSWORD, IP)
        .await
        .expect("login");
    app.logout(&s3.token).await.expect("logout");
    assert!(matches!(
        app.session(&s3.token).await,
        Err(AppError::Unauthenticated)
    ));
    assert!(matches!(
        app.session("not a token").await,
        Err(AppError::Unauthenticated)
    ));
});

on_every_store!(a_reset_link_works_once_and_ends_every_session, |f| {
    let mails = Arc::new(Captured::default());
    let app = f.app.clone().with_mailer(mails.clone());
    app.set_password_by_email("alice@example.org", PASSWORD)
        .await
        .expect("password");
    let open = app
        .login("alice@example.org", PASSWORD, IP)
        .await
        .expect("login");
    // An unknown email: the same answer, no mail.
    app.request_password_reset("nobody@example.org", "https://coop.example")
        .await
        .expect("no error");
    assert!(mails.0.lock().expect("lock").is_empty());
    app.request_password_reset("alice@example.org", "https://coop.example/")
        .await
        .expect("sent");
    let mail = mails.0.lock().expect("lock").pop().expect("a mail");
    assert_eq!(mail.to, "alice@example.org");
    // Alice reads French.
    assert!(mail.subject.contains("mot de passe"), "{}", mail.subject);
    let link = mail
        .body
        .lines()
        .find(|l| l.starts_with("https://coop.example/password/reset/"))
        .expect("the link");
    let token = link.rsplit('/').next().expect("token");
    app.password_reset_valid(token).await.expect("valid");
    assert_eq!(
        app.reset_password(token, "short")
            .await
            .expect_err("rule")
            .field(),
        Some("password")
    );
    app.reset_password(token, "a new long passphrase")
        .await
        .expect("reset");
    assert!(matches!(
        app.session(&open.token).await,
        Err(AppError::Unauthenticated)
    ));
    assert!(app.login("alice@example.org", PASSWORD, IP).await.is_err());
    app.login("alice@example.org", "a new long passphrase", IP)
        .await
        .expect("new password");
    assert!(matches!(
        app.reset_password(token, "yet another passphrase").await,
        Err(AppError::NotFound { .. })
    ));
    // An hour later a fresh link has expired.
    app.request_password_reset("alice@example.org", "https://coop.example")
        .await
        .expect("sent");
    let mail = mails.0.lock().expect("lock").pop().expect("a mail");
    let token = mail
        .body
        .lines()
        .find_map(|l| l.strip_prefix("https://coop.example/password/reset/"))
        .expect("link")
        .to_string();
    assert!(
        later(&app, 61)
            .reset_password(&token, "a third passphrase!")
            .await
            .is_err()
    );
});

on_every_store!(the_language_of_the_pages_is_the_accounts, |f| {
    f.app
        .set_language(&f.alice.actor, Lang::Nl)
        .await
        .expect("set");
    f.app
        .set_password_by_email("alice@example.org", PASSWORD)
        .await
        .expect("password");
    let s = f
        .app
        .login("alice@example.org", PASSWORD, IP)
        .await
        .expect("login");
    assert_eq!(s.actor.lang, Lang::Nl);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_administrator_is_invited_once() {
    for store in TestStore::all().await {
        let app = App::new(
            store.store.clone(),
            Arc::new(FixedClock(now())),
            std::env::temp_dir().join("ensemble-test-files"),
        );
        app.bootstrap_admin("admin@ensemble.local")
            .await
            .expect("admin");
        assert!(app.invite_first_admin("someone@else.org").await.is_err());
        let invitation = app
            .invite_first_admin("admin@ensemble.local")
            .await
            .expect("invitation");
        app.accept_invitation(&invitation.token, PASSWORD)
            .await
            .expect("password set");
        assert!(matches!(
            app.invite_first_admin("admin@ensemble.local").await,
            Err(AppError::Conflict { .. })
        ));
        store.finish().await;
    }
}

/// A tiny SMTP server on a loopback port that accepts one mail and hands over the envelope's
/// recipients and the data.
fn fake_smtp_server() -> (u16, std::sync::mpsc::Receiver<(Vec<String>, String)>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let mut out = stream.try_clone().expect("clone");
        let mut lines = BufReader::new(stream);
        let mut say = |text: &str| {
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        };
        say("220 fake.smtp.test ESMTP\r\n");
        let (mut rcpt, mut data) = (Vec::new(), String::new());
        let mut line = String::new();
        while lines.read_line(&mut line).unwrap_or(0) > 0 {
            let command = line.trim_end().to_string();
            line.clear();
            let verb = command
                .split([' ', ':'])
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            match verb.as_str() {
                "EHLO" | "HELO" => say("250 fake.smtp.test\r\n"),
                "MAIL" => say("250 OK\r\n"),
                "RCPT" => {
                    rcpt.push(command);
                    say("250 OK\r\n")
                }
                "DATA" => {
                    say("354 End data with <CR><LF>.<CR><LF>\r\n");
                    loop {
                        let mut l = String::new();
                        if lines.read_line(&mut l).unwrap_or(0) == 0 || l == ".\r\n" {
                            break;
                        }
                        data.push_str(&l);
                    }
                    say("250 OK queued\r\n");
                }
                "QUIT" => {
                    say("221 Bye\r\n");
                    break;
                }
                _ => say("250 OK\r\n"),
            }
        }
        let _ = tx.send((rcpt, data));
    });
    (port, rx)
}

/// Undoes quoted-printable: soft line breaks and `=XX` bytes.
fn unquote(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(b) = joined
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

on_every_store!(the_reset_mail_goes_out_by_smtp, |f| {
    use ensemble_app::smtp::SmtpMailer;
    let (port, received) = fake_smtp_server();
    let mailer = SmtpMailer::from_url(
        &format!("smtp://127.0.0.1:{port}"),
        "Ensemble <no-reply@coop.example>",
    )
    .expect("mailer");
    let app = f.app.clone().with_mailer(Arc::new(mailer));
    app.request_password_reset("alice@example.org", "https://ensemble.example")
        .await
        .expect("sent");
    let (rcpt, data) = received
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the fake server got a mail");
    assert_eq!(rcpt, vec!["RCPT TO:<alice@example.org>".to_string()]);
    assert!(
        data.contains("From: Ensemble <no-reply@coop.example>"),
        "{data}"
    );
    assert!(data.contains("To: alice@example.org"), "{data}");
    assert!(
        data.contains("Content-Transfer-Encoding: quoted-printable"),
        "{data}"
    );
    // Alice reads French; the link in the body opens the reset page.
    let text = unquote(&data);
    assert!(text.contains("choisir un nouveau mot de passe"), "{text}");
    let token = text
        .split("https://ensemble.example/password/reset/")
        .nth(1)
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_hexdigit)
                .collect::<String>()
        })
        .expect("the reset link");
    assert_eq!(token.len(), 64);
    app.password_reset_valid(&token)
        .await
        .expect("the link works");
    app.reset_password(&token, "a brand new passphrase")
        .await
        .expect("reset");
    app.login("alice@example.org", "a brand new passphrase", IP)
        .await
        .expect("signed in with the new password");

    // A server that refuses: the error reaches the caller and no link is left behind.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead_port = closed.local_addr().expect("address").port();
    drop(closed);
    let dead = f.app.clone().with_mailer(Arc::new(
        SmtpMailer::from_url(
            &format!("smtp://127.0.0.1:{dead_port}"),
            "no-reply@coop.example",
        )
        .expect("mailer"),
    ));
    let resets = {
        let mut tx = f.app.store.read().await.expect("read");
        tx.count_rows("password_resets").await.expect("count")
    };
    let e = dead
        .request_password_reset("alice@example.org", "https://ensemble.example")
        .await
        .expect_err("no server");
    assert!(matches!(e, AppError::Internal(_)), "{e}");
    let after = {
        let mut tx = f.app.store.read().await.expect("read");
        tx.count_rows("password_resets").await.expect("count")
    };
    assert_eq!(after, resets, "no link without its mail");
});
