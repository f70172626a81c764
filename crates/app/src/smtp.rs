//! Mail through an SMTP server: the production [`Mailer`] (the file outbox stays the default
//! and the demo's). Built on lettre's blocking transport over rustls (no OpenSSL).
//!
//! The server is given as a URL, as `ensemble serve --smtp-url` or `ENSEMBLE_SMTP_URL` take it:
//! - `smtps://user:password@mail.example:465`: TLS from the first byte;
//! - `smtp://user:password@mail.example:587?tls=required`: STARTTLS, refused without it;
//! - `smtp://127.0.0.1:25`: plain text, for a relay on the same machine only.
//!
//! User and password are percent-encoded in the URL. Sending blocks the calling thread for at
//! most [`SMTP_TIMEOUT`]; inside a multi-threaded tokio runtime it tells tokio so
//! (`block_in_place`), and the other requests go on meanwhile.

use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{Message, SmtpTransport, Transport};

use crate::accounts::{Mail, Mailer};

/// How long one SMTP exchange may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// The sender when none is configured.
pub const DEFAULT_FROM: &str = "Ensemble <no-reply@ensemble.invalid>";

/// Sends each mail through an SMTP server.
pub struct SmtpMailer {
    transport: SmtpTransport,
    from: Mailbox,
}

impl SmtpMailer {
    /// A mailer for the server at `url` (see the module's documentation), sending as `from`
    /// (`Name <address>` or an address). The URL is not repeated in errors: it may hold a
    /// password.
    pub fn from_url(url: &str, from: &str) -> Result<SmtpMailer, String> {
        let transport = SmtpTransport::from_url(url)
            .map_err(|e| format!("the SMTP URL is not usable: {}", without_url(&e)))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("the sender \"{from}\" is not a mail address: {e}"))?;
        Ok(SmtpMailer { transport, from })
    }

    fn message(&self, mail: &Mail) -> Result<Message, String> {
        let to = mail
            .to
            .parse::<Mailbox>()
            .map_err(|e| format!("\"{}\" is not a mail address: {e}", mail.to))?;
        // Quoted-printable: the text stays readable in any mail client and 7-bit safe.
        let body =
            Body::new_with_encoding(mail.body.clone(), ContentTransferEncoding::QuotedPrintable)
                .map_err(|_| "the mail's body cannot be encoded".to_string())?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| format!("the mail cannot be built: {e}"))
    }
}

/// An SMTP error's text without anything that could hold the URL's password.
fn without_url(e: &lettre::transport::smtp::Error) -> String {
    if e.is_client() || e.is_transient() || e.is_permanent() {
        e.to_string()
    } else {
        "check its scheme (smtp or smtps), host, port and tls parameter".to_string()
    }
}

impl Mailer for SmtpMailer {
    fn send(&self, mail: &Mail) -> Result<(), String> {
        let message = self.message(mail)?;
        let send = || {
            self.transport
                .send(&message)
                .map(|_| ())
                .map_err(|e| format!("SMTP: {e}"))
        };
        match tokio::runtime::Handle::try_current() {
            Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(send)
            }
            _ => send(),
        }
    }
}
