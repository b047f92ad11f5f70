//! Outgoing e-mail through lettre: written as .eml files to DATA_DIR/outbox (the default, for
//! development and small installations that pick mail up themselves) or sent over SMTP. Every
//! mail is multipart: plain text and HTML, in the recipient's language.

pub mod templates;

use std::path::{Path, PathBuf};

use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::error::AppError;

/// A mail ready to send.
#[derive(Clone, Debug)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The one-click unsubscribe URL of a notification mail (RFC 8058): sent as
    /// `List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
    pub list_unsubscribe: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error("MITREDEN_MAIL must be `file` or an smtp:// / smtps:// URL")]
    Unsupported,
    #[error("invalid SMTP URL: {0}")]
    Smtp(String),
    #[error("invalid sender address in MITREDEN_MAIL_FROM: {0}")]
    From(String),
    #[error("cannot create the mail outbox {0}: {1}")]
    Outbox(PathBuf, std::io::Error),
}

pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

enum Transport {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.transport {
            Transport::File(_) => "file",
            Transport::Smtp(_) => "smtp",
        };
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("transport", &kind)
            .finish()
    }
}

impl Mailer {
    /// `setting` is MITREDEN_MAIL: `file` or `smtp://user:password@host:587` (STARTTLS) /
    /// `smtps://…:465` (TLS). Credentials stay out of logs.
    pub fn new(setting: &str, data_dir: &Path, from: &str) -> Result<Mailer, MailSetupError> {
        let from: Mailbox = from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailSetupError::From(e.to_string()))?;
        let transport = if setting == "file" {
            let outbox = outbox_dir(data_dir);
            std::fs::create_dir_all(&outbox)
                .map_err(|e| MailSetupError::Outbox(outbox.clone(), e))?;
            Transport::File(AsyncFileTransport::new(outbox))
        } else if setting.starts_with("smtp://") || setting.starts_with("smtps://") {
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(setting)
                .map_err(|e| MailSetupError::Smtp(e.to_string()))?
                .build();
            Transport::Smtp(transport)
        } else {
            return Err(MailSetupError::Unsupported);
        };
        Ok(Mailer { from, transport })
    }

    pub async fn send(&self, mail: OutgoingMail) -> Result<(), AppError> {
        let to: Mailbox = mail.to.parse().map_err(|err| {
            tracing::error!(error = %err, "invalid recipient address");
            AppError::Internal
        })?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject);
        if let Some(url) = &mail.list_unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_string(),
                ));
        }
        let message = builder
            .multipart(
                MultiPart::alternative()
                    // Quoted-printable: readable, 7-bit safe, and links stay recognisable in the source.
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .header(ContentTransferEncoding::QuotedPrintable)
                            .body(mail.text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .header(ContentTransferEncoding::QuotedPrintable)
                            .body(mail.html),
                    ),
            )
            .map_err(|err| {
                tracing::error!(error = %err, "cannot build mail");
                AppError::Internal
            })?;
        let result = match &self.transport {
            Transport::File(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        };
        result.map_err(|err| {
            // The error names the transport's problem, never the recipient or the content.
            tracing::error!(error = %err, "mail not sent");
            AppError::Internal
        })
    }
}

pub fn outbox_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("outbox")
}

/// The default sender: noreply at the host of the base URL.
pub fn default_from(base_url: &str) -> String {
    let host = base_url
        .split("://")
        .nth(1)
        .unwrap_or("localhost")
        .split(['/', ':'])
        .next()
        .filter(|h| {
            !h.is_empty() && h.contains('.') && !h.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
        .unwrap_or("localhost.localdomain");
    format!("Mitreden <noreply@{host}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sender_defaults_to_noreply_at_the_public_host() {
        assert_eq!(
            default_from("https://beteiligung.example.de"),
            "Mitreden <noreply@beteiligung.example.de>"
        );
        assert_eq!(
            default_from("http://127.0.0.1:3000"),
            "Mitreden <noreply@localhost.localdomain>"
        );
    }

    #[tokio::test]
    async fn file_transport_writes_a_multipart_eml_to_the_outbox() {
        let dir = std::env::temp_dir().join(format!("mitreden-mail-{}", std::process::id()));
        let mailer = Mailer::new("file", &dir, "Mitreden <noreply@example.org>").unwrap();
        mailer
            .send(OutgoingMail {
                to: "anna@example.org".into(),
                subject: "Bitte bestätigen".into(),
                text: "Hallo Anna".into(),
                html: "<p>Hallo Anna</p>".into(),
                list_unsubscribe: None,
            })
            .await
            .unwrap();
        let files: Vec<_> = std::fs::read_dir(outbox_dir(&dir))
            .unwrap()
            .flatten()
            .collect();
        assert_eq!(files.len(), 1);
        let eml = std::fs::read_to_string(files[0].path()).unwrap();
        assert!(files[0].path().extension().is_some_and(|e| e == "eml"));
        assert!(eml.contains("To: anna@example.org"), "{eml}");
        assert!(eml.contains("multipart/alternative"), "{eml}");
        assert!(eml.contains("text/plain") && eml.contains("text/html"));
        assert!(
            eml.contains("Subject: Bitte =?utf-8?b?"),
            "non-ASCII subject must be encoded: {eml}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn unknown_settings_are_refused() {
        let dir = std::env::temp_dir();
        assert!(matches!(
            Mailer::new("sendmail", &dir, "a@example.org"),
            Err(MailSetupError::Unsupported)
        ));
        assert!(matches!(
            Mailer::new("file", &dir, "not an address"),
            Err(MailSetupError::From(_))
        ));
    }
}
