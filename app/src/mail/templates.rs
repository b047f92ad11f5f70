//! The texts of the mails, German and English, plain text and HTML (values escaped).

use super::OutgoingMail;
use crate::i18n::Lang;
use crate::ui::escape_html;

fn mail(
    to: &str,
    subject: String,
    paragraphs: &[String],
    link: Option<(&str, &str)>,
    footer: &str,
) -> OutgoingMail {
    let mut text = paragraphs.join("\n\n");
    let mut html = String::from(
        "<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5\">",
    );
    for p in paragraphs {
        html.push_str(&format!("<p>{}</p>", escape_html(p)));
    }
    if let Some((label, url)) = link {
        text.push_str(&format!("\n\n{label}:\n{url}"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape_html(url),
            escape_html(label)
        ));
    }
    text.push_str(&format!("\n\n-- \n{footer}\n"));
    html.push_str(&format!(
        "<hr><p style=\"color:#555\">{}</p></body></html>",
        escape_html(footer)
    ));
    OutgoingMail {
        to: to.to_string(),
        subject,
        text,
        html,
    }
}

fn footer(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Diese E-Mail wurde automatisch von Mitreden verschickt. Wenn Sie sie nicht erwartet haben, können Sie sie ignorieren.",
        Lang::En => "This e-mail was sent automatically by Mitreden. If you did not expect it, you can ignore it.",
    }
}

/// For security notices, which must not be ignored.
fn notice_footer(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Diese E-Mail wurde automatisch von Mitreden verschickt.",
        Lang::En => "This e-mail was sent automatically by Mitreden.",
    }
}

/// Confirms a new account's address.
pub fn verify_email(lang: Lang, to: &str, name: &str, link: &str, hours: i64) -> OutgoingMail {
    let (subject, body, label) = match lang {
        Lang::De => (
            "Bitte bestätigen Sie Ihre E-Mail-Adresse".to_string(),
            vec![
                format!("Hallo {name},"),
                "vielen Dank für Ihre Registrierung bei Mitreden. Bitte bestätigen Sie Ihre E-Mail-Adresse.".to_string(),
                format!("Der Link ist {hours} Stunden gültig und kann einmal verwendet werden."),
            ],
            "E-Mail-Adresse bestätigen",
        ),
        Lang::En => (
            "Please confirm your e-mail address".to_string(),
            vec![
                format!("Hello {name},"),
                "thank you for registering with Mitreden. Please confirm your e-mail address.".to_string(),
                format!("The link is valid for {hours} hours and can be used once."),
            ],
            "Confirm e-mail address",
        ),
    };
    mail(to, subject, &body, Some((label, link)), footer(lang))
}

/// Someone tried to register an address that already has an account: tell its owner, not them.
pub fn already_registered(lang: Lang, to: &str, reset_link: &str) -> OutgoingMail {
    let (subject, body, label) = match lang {
        Lang::De => (
            "Sie haben bereits ein Konto".to_string(),
            vec![
                "Jemand hat versucht, mit dieser E-Mail-Adresse ein neues Konto bei Mitreden anzulegen. Sie haben bereits eines.".to_string(),
                "Wenn Sie Ihr Passwort vergessen haben, können Sie es hier neu setzen.".to_string(),
            ],
            "Passwort neu setzen",
        ),
        Lang::En => (
            "You already have an account".to_string(),
            vec![
                "Someone tried to create a new Mitreden account with this e-mail address. You already have one.".to_string(),
                "If you forgot your password, you can set a new one here.".to_string(),
            ],
            "Set a new password",
        ),
    };
    mail(to, subject, &body, Some((label, reset_link)), footer(lang))
}

/// A link to set a new password.
pub fn password_reset(lang: Lang, to: &str, link: &str, minutes: i64) -> OutgoingMail {
    let (subject, body, label) = match lang {
        Lang::De => (
            "Passwort neu setzen".to_string(),
            vec![
                "Sie haben angefordert, Ihr Passwort bei Mitreden neu zu setzen.".to_string(),
                format!("Der Link ist {minutes} Minuten gültig und kann einmal verwendet werden. Danach sind Sie überall abgemeldet."),
            ],
            "Neues Passwort wählen",
        ),
        Lang::En => (
            "Set a new password".to_string(),
            vec![
                "You asked to set a new password for Mitreden.".to_string(),
                format!("The link is valid for {minutes} minutes and can be used once. Afterwards you are signed out everywhere."),
            ],
            "Choose a new password",
        ),
    };
    mail(to, subject, &body, Some((label, link)), footer(lang))
}

/// Confirms the new address of an e-mail change (sent to that new address).
pub fn confirm_new_email(lang: Lang, to: &str, name: &str, link: &str, hours: i64) -> OutgoingMail {
    let (subject, body, label) = match lang {
        Lang::De => (
            "Bitte bestätigen Sie Ihre neue E-Mail-Adresse".to_string(),
            vec![
                format!("Hallo {name},"),
                format!("Sie möchten die E-Mail-Adresse Ihres Kontos bei Mitreden in {to} ändern. Bitte bestätigen Sie die neue Adresse; erst dann wird sie geändert."),
                format!("Der Link ist {hours} Stunden gültig und kann einmal verwendet werden. Danach sind Sie auf allen anderen Geräten abgemeldet."),
            ],
            "Neue E-Mail-Adresse bestätigen",
        ),
        Lang::En => (
            "Please confirm your new e-mail address".to_string(),
            vec![
                format!("Hello {name},"),
                format!("You want to change the e-mail address of your Mitreden account to {to}. Please confirm the new address; only then is it changed."),
                format!("The link is valid for {hours} hours and can be used once. Afterwards you are signed out on all other devices."),
            ],
            "Confirm new e-mail address",
        ),
    };
    mail(to, subject, &body, Some((label, link)), footer(lang))
}

/// Someone tried to change their account's address to this one, which another account (the
/// recipient's) already has: tell its owner, not them.
pub fn email_change_attempt(lang: Lang, to: &str) -> OutgoingMail {
    let (subject, body) = match lang {
        Lang::De => (
            "Versuch, Ihre E-Mail-Adresse zu verwenden".to_string(),
            vec![
                "Jemand hat versucht, diese E-Mail-Adresse für ein anderes Konto bei Mitreden einzutragen. Sie gehört bereits zu Ihrem Konto; es wurde nichts geändert.".to_string(),
                "Sie müssen nichts tun. Wenn Sie selbst Ihre Konten zusammenlegen wollten: Jede Adresse kann nur zu einem Konto gehören.".to_string(),
            ],
        ),
        Lang::En => (
            "Attempt to use your e-mail address".to_string(),
            vec![
                "Someone tried to enter this e-mail address for another Mitreden account. It already belongs to your account; nothing has been changed.".to_string(),
                "You need not do anything. If you wanted to merge your accounts yourself: each address can belong to one account only.".to_string(),
            ],
        ),
    };
    mail(to, subject, &body, None, footer(lang))
}

/// Tells the previous address that the account now uses another one.
pub fn email_changed(lang: Lang, to: &str, name: &str, new_email: &str) -> OutgoingMail {
    let (subject, body) = match lang {
        Lang::De => (
            "Ihre E-Mail-Adresse wurde geändert".to_string(),
            vec![
                format!("Hallo {name},"),
                format!("Ihre E-Mail-Adresse bei Mitreden wurde geändert: Ihr Konto verwendet jetzt {new_email}. An diese Adresse ({to}) schicken wir keine weiteren E-Mails zu Ihrem Konto."),
                "Wenn Sie das nicht waren, hat vermutlich jemand Ihr Passwort. Wenden Sie sich dann bitte umgehend an die Betreiber dieser Mitreden-Plattform, damit sie Ihr Konto sperren und Ihnen helfen.".to_string(),
            ],
        ),
        Lang::En => (
            "Your e-mail address has been changed".to_string(),
            vec![
                format!("Hello {name},"),
                format!("Your Mitreden e-mail address has been changed: your account now uses {new_email}. We will send no further e-mails about your account to this address ({to})."),
                "If this was not you, someone probably knows your password. Please contact the operators of this Mitreden platform at once so that they can lock your account and help you.".to_string(),
            ],
        ),
    };
    mail(to, subject, &body, None, notice_footer(lang))
}

/// Signs a participant in without a password (consultations with the e-mail rule).
pub fn sign_in_link(
    lang: Lang,
    to: &str,
    consultation: &str,
    link: &str,
    minutes: i64,
) -> OutgoingMail {
    let (subject, body, label) = match lang {
        Lang::De => (
            format!("Ihr Anmeldelink für „{consultation}“"),
            vec![
                "Hallo,".to_string(),
                format!("mit diesem Link melden Sie sich an, um sich an „{consultation}“ zu beteiligen. Ein Passwort brauchen Sie nicht."),
                format!("Der Link ist {minutes} Minuten gültig und kann einmal verwendet werden."),
            ],
            "Anmelden und mitreden",
        ),
        Lang::En => (
            format!("Your sign-in link for “{consultation}”"),
            vec![
                "Hello,".to_string(),
                format!("this link signs you in to take part in “{consultation}”. You do not need a password."),
                format!("The link is valid for {minutes} minutes and can be used once."),
            ],
            "Sign in and take part",
        ),
    };
    mail(to, subject, &body, Some((label, link)), footer(lang))
}

/// Tells someone that they now hold a staff role, and what to do before it works.
pub fn staff_appointed(
    lang: Lang,
    to: &str,
    organisation: &str,
    role: &str,
    link: &str,
) -> OutgoingMail {
    let (subject, body, label) = match lang {
        Lang::De => (
            format!("Neue Rolle bei „{organisation}“: {role}"),
            vec![
                format!("Sie wurden bei Mitreden für „{organisation}“ als {role} eingetragen."),
                "Für Mitarbeitende ist die Anmeldung in zwei Schritten Pflicht: Richten Sie sie nach der Anmeldung unter „Mein Konto“ ein (mit einer Authenticator-App). Danach finden Sie Ihre Aufgaben unter „Verwaltung“.".to_string(),
            ],
            "Zur Verwaltung",
        ),
        Lang::En => (
            format!("New role at “{organisation}”: {role}"),
            vec![
                format!("You have been given the role {role} for “{organisation}” on Mitreden."),
                "Staff must use two-step sign-in: set it up under “My account” after signing in (with an authenticator app). Your tasks are then under “Administration”.".to_string(),
            ],
            "Go to the staff area",
        ),
    };
    mail(to, subject, &body, Some((label, link)), footer(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_html_mails_are_escaped() {
        let m = verify_email(
            Lang::De,
            "a@example.org",
            "<script>x</script>",
            "https://x.example/verify?token=a&b",
            24,
        );
        assert!(!m.html.contains("<script>x"), "{}", m.html);
        assert!(m.html.contains("&lt;script&gt;"));
        assert!(m.html.contains("token=a&amp;b"));
        assert!(m.text.contains("https://x.example/verify?token=a&b"));
        assert!(
            m.text.contains("Hallo <script>x</script>,"),
            "plain text is not HTML"
        );
    }
}
