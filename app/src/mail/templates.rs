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
        list_unsubscribe: None,
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

/// One reply as a notification mail shows it.
pub struct ReplyItem<'a> {
    /// The replier's display name ("deleted account" for one that is gone).
    pub author: &'a str,
    pub consultation: &'a str,
    /// A short plain-text excerpt of the reply.
    pub excerpt: &'a str,
    /// The reply's permalink.
    pub link: &'a str,
}

/// Tells a participant who opted in that someone replied to their comment.
pub fn reply_notification(
    lang: Lang,
    to: &str,
    reply: &ReplyItem<'_>,
    settings_link: &str,
    unsubscribe_link: &str,
) -> OutgoingMail {
    let (subject, intro) = match lang {
        Lang::De => (
            format!("{} hat auf Ihren Beitrag geantwortet", reply.author),
            "es gibt eine neue Antwort auf Ihren Beitrag:",
        ),
        Lang::En => (
            format!("{} replied to your comment", reply.author),
            "there is a new reply to your comment:",
        ),
    };
    notification_mail(
        lang,
        to,
        subject,
        intro,
        std::slice::from_ref(reply),
        settings_link,
        unsubscribe_link,
    )
}

/// The daily digest: every reply to a participant's comments since the last one, in one mail.
pub fn reply_digest(
    lang: Lang,
    to: &str,
    replies: &[ReplyItem<'_>],
    settings_link: &str,
    unsubscribe_link: &str,
) -> OutgoingMail {
    let n = replies.len();
    let (subject, intro) = match (lang, n) {
        (Lang::De, 1) => (
            "Eine neue Antwort auf Ihre Beiträge".to_string(),
            "seit der letzten Zusammenfassung gibt es eine neue Antwort auf Ihre Beiträge:"
                .to_string(),
        ),
        (Lang::De, n) => (
            format!("{n} neue Antworten auf Ihre Beiträge"),
            format!(
                "seit der letzten Zusammenfassung gibt es {n} neue Antworten auf Ihre Beiträge:"
            ),
        ),
        (Lang::En, 1) => (
            "One new reply to your comments".to_string(),
            "since the last summary there is one new reply to your comments:".to_string(),
        ),
        (Lang::En, n) => (
            format!("{n} new replies to your comments"),
            format!("since the last summary there are {n} new replies to your comments:"),
        ),
    };
    notification_mail(
        lang,
        to,
        subject,
        &intro,
        replies,
        settings_link,
        unsubscribe_link,
    )
}

/// One of the recipient's contributions an official answer covers.
pub struct AnsweredItem<'a> {
    /// A short plain-text excerpt of the contribution.
    pub excerpt: &'a str,
    /// The contribution's permalink.
    pub link: &'a str,
}

/// What an official answer says, for its mail.
pub struct OfficialAnswer<'a> {
    pub organisation: &'a str,
    pub consultation: &'a str,
    /// The status in words, in the recipient's language.
    pub status: &'a str,
    /// The reason as plain text (the Markdown source).
    pub reason: &'a str,
}

/// Tells the author of contributions that the organisation answered them officially: the
/// consultation, the contributions (excerpt and link), the status in words and the reason, with
/// the settings and the unsubscribe link of every notification mail.
pub fn official_answer(
    lang: Lang,
    to: &str,
    answer: &OfficialAnswer<'_>,
    items: &[AnsweredItem<'_>],
    settings_link: &str,
    unsubscribe_link: &str,
) -> OutgoingMail {
    let (subject, intro, status_label, reason_label, read, why, settings, unsubscribe) = match lang
    {
        Lang::De => (
            format!("Offizielle Antwort auf Ihren Beitrag: {}", answer.consultation),
            format!(
                "die {} hat Ihren Beitrag zur Beteiligung „{}“ offiziell beantwortet.",
                answer.organisation, answer.consultation
            ),
            "Ergebnis",
            "Begründung",
            "Beitrag und Antwort ansehen",
            "Sie erhalten diese E-Mail, weil Sie sich mit einem Beitrag beteiligt haben. Sie können diese Benachrichtigungen in Ihrem Konto ausschalten.",
            "Benachrichtigungen einstellen",
            "Abbestellen",
        ),
        Lang::En => (
            format!("Official answer to your contribution: {}", answer.consultation),
            format!(
                "{} has officially answered your contribution to the consultation “{}”.",
                answer.organisation, answer.consultation
            ),
            "Outcome",
            "Reason",
            "See the contribution and the answer",
            "You receive this e-mail because you took part with a contribution. You can turn these notifications off in your account.",
            "Notification settings",
            "Unsubscribe",
        ),
    };
    let hello = match lang {
        Lang::De => "Hallo,",
        Lang::En => "Hello,",
    };
    let mut text = format!("{hello}\n\n{intro}\n");
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p><p>{}</p>",
        lang.code(),
        escape_html(hello),
        escape_html(&intro)
    );
    for item in items {
        text.push_str(&format!(
            "\n> {}\n{read}: {}\n",
            item.excerpt.replace('\n', "\n> "),
            item.link
        ));
        html.push_str(&format!(
            "<blockquote style=\"margin:0 0 0.5em 0;padding-left:1em;border-left:3px solid #ccc\">{}</blockquote><p><a href=\"{}\">{}</a></p>",
            escape_html(item.excerpt),
            escape_html(item.link),
            escape_html(read)
        ));
    }
    text.push_str(&format!(
        "\n{status_label}: {}\n\n{reason_label}:\n{}\n",
        answer.status, answer.reason
    ));
    html.push_str(&format!(
        "<p><strong>{}:</strong> {}</p><p><strong>{}:</strong></p><p style=\"white-space:pre-wrap\">{}</p>",
        escape_html(status_label),
        escape_html(answer.status),
        escape_html(reason_label),
        escape_html(answer.reason)
    ));
    text.push_str(&format!(
        "\n-- \n{why}\n{settings}: {settings_link}\n{unsubscribe}: {unsubscribe_link}\n"
    ));
    html.push_str(&format!(
        "<hr><p style=\"color:#555\">{}<br><a href=\"{}\">{}</a> · <a href=\"{}\">{}</a></p></body></html>",
        escape_html(why),
        escape_html(settings_link),
        escape_html(settings),
        escape_html(unsubscribe_link),
        escape_html(unsubscribe)
    ));
    OutgoingMail {
        to: to.to_string(),
        subject,
        text,
        html,
        list_unsubscribe: Some(unsubscribe_link.to_string()),
    }
}

/// The body of both notification mails: greeting, the replies (who, where, an excerpt, the
/// link), and a footer that says why the mail came, with the settings and the unsubscribe link.
fn notification_mail(
    lang: Lang,
    to: &str,
    subject: String,
    intro: &str,
    replies: &[ReplyItem<'_>],
    settings_link: &str,
    unsubscribe_link: &str,
) -> OutgoingMail {
    let (hello, read, why, settings, unsubscribe) = match lang {
        Lang::De => (
            "Hallo,",
            "Antwort lesen",
            "Sie erhalten diese E-Mail, weil Sie in Ihrem Konto Benachrichtigungen über Antworten eingeschaltet haben.",
            "Benachrichtigungen einstellen",
            "Abbestellen",
        ),
        Lang::En => (
            "Hello,",
            "Read the reply",
            "You receive this e-mail because you turned on notifications about replies in your account.",
            "Notification settings",
            "Unsubscribe",
        ),
    };
    let mut text = format!("{hello}\n\n{intro}\n");
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p><p>{}</p>",
        lang.code(),
        escape_html(hello),
        escape_html(intro)
    );
    for reply in replies {
        let heading = match lang {
            Lang::De => format!("{} in „{}“", reply.author, reply.consultation),
            Lang::En => format!("{} in “{}”", reply.author, reply.consultation),
        };
        text.push_str(&format!(
            "\n{heading}:\n> {}\n{read}: {}\n",
            reply.excerpt.replace('\n', "\n> "),
            reply.link
        ));
        html.push_str(&format!(
            "<h2 style=\"font-size:1em\">{}</h2><blockquote style=\"margin:0 0 0.5em 0;padding-left:1em;border-left:3px solid #ccc\">{}</blockquote><p><a href=\"{}\">{}</a></p>",
            escape_html(&heading),
            escape_html(reply.excerpt),
            escape_html(reply.link),
            escape_html(read)
        ));
    }
    text.push_str(&format!(
        "\n-- \n{why}\n{settings}: {settings_link}\n{unsubscribe}: {unsubscribe_link}\n"
    ));
    html.push_str(&format!(
        "<hr><p style=\"color:#555\">{}<br><a href=\"{}\">{}</a> · <a href=\"{}\">{}</a></p></body></html>",
        escape_html(why),
        escape_html(settings_link),
        escape_html(settings),
        escape_html(unsubscribe_link),
        escape_html(unsubscribe)
    ));
    OutgoingMail {
        to: to.to_string(),
        subject,
        text,
        html,
        list_unsubscribe: Some(unsubscribe_link.to_string()),
    }
}

/// A moderation notice to the author of a contribution (why it was hidden, how an appeal was
/// decided): it must not be ignored, so the footer does not say it may be.
pub fn moderation_notice(
    lang: Lang,
    to: &str,
    subject: String,
    paragraphs: &[String],
    link_label: &str,
    link: &str,
) -> OutgoingMail {
    mail(
        to,
        subject,
        paragraphs,
        Some((link_label, link)),
        notice_footer(lang),
    )
}

/// Tells a moderator that the queue has new items (`lines`: one per organisation).
pub fn moderator_alert(
    lang: Lang,
    to: &str,
    lines: &[String],
    total: usize,
    link: &str,
) -> OutgoingMail {
    let t = crate::i18n::Texts::get(lang);
    let mut paragraphs = vec![t.mq_alert_intro.to_string()];
    paragraphs.extend(lines.iter().cloned());
    mail(
        to,
        (t.mq_alert_subject)(total),
        &paragraphs,
        Some((t.mq_title, link)),
        t.mq_alert_footer,
    )
}

/// A new barrier report, to an instance admin: where, what, whether the reporter wants an answer,
/// and the link to the list (the reporter's address is there, not in the mail).
pub fn barrier_report(
    lang: Lang,
    to: &str,
    page_url: &str,
    description: &str,
    has_contact: bool,
    list_link: &str,
) -> OutgoingMail {
    let (subject, body, label) = match lang {
        Lang::De => (
            "Neue Barriere-Meldung".to_string(),
            vec![
                format!("Über die Erklärung zur Barrierefreiheit ist eine Meldung zur Seite {page_url} eingegangen:"),
                description.to_string(),
                if has_contact {
                    "Die meldende Person hat eine E-Mail-Adresse für die Antwort hinterlassen. Nach dem Gesetz soll sie innerhalb von sechs Wochen eine Antwort erhalten.".to_string()
                } else {
                    "Die meldende Person hat keine Adresse hinterlassen.".to_string()
                },
            ],
            "Zur Liste der Meldungen",
        ),
        Lang::En => (
            "New barrier report".to_string(),
            vec![
                format!("A report on the page {page_url} came in through the accessibility statement:"),
                description.to_string(),
                if has_contact {
                    "The reporter left an e-mail address for the answer. The law expects an answer within six weeks.".to_string()
                } else {
                    "The reporter left no address.".to_string()
                },
            ],
            "To the list of reports",
        ),
    };
    mail(
        to,
        subject,
        &body,
        Some((label, list_link)),
        notice_footer(lang),
    )
}

/// Confirms a barrier report to the address its reporter left.
pub fn barrier_report_received(lang: Lang, to: &str, page_url: &str) -> OutgoingMail {
    let (subject, body) = match lang {
        Lang::De => (
            "Ihre Barriere-Meldung ist eingegangen".to_string(),
            vec![
                format!("Danke für Ihre Meldung zur Seite {page_url}. Wir prüfen sie und antworten Ihnen innerhalb von sechs Wochen."),
                "Ihre E-Mail-Adresse verwenden wir nur für die Antwort; 30 Tage danach wird sie gelöscht.".to_string(),
            ],
        ),
        Lang::En => (
            "Your barrier report has been received".to_string(),
            vec![
                format!("Thank you for your report on the page {page_url}. We will look into it and answer you within six weeks."),
                "We use your e-mail address only for the answer; it is deleted 30 days later.".to_string(),
            ],
        ),
    };
    mail(to, subject, &body, None, footer(lang))
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

    #[test]
    fn reply_mails_escape_the_reply_and_carry_the_unsubscribe_link() {
        let reply = ReplyItem {
            author: "Radler <b>42</b>",
            consultation: "Altstadt & mehr",
            excerpt: "<script>alert(1)</script> Gute Idee",
            link: "https://x.example/o/k/comments/7",
        };
        let m = reply_notification(
            Lang::En,
            "a@example.org",
            &reply,
            "https://x.example/account#notifications",
            "https://x.example/notifications/unsubscribe?token=abc",
        );
        assert!(!m.html.contains("<script>"), "{}", m.html);
        assert!(m.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(m.html.contains("Altstadt &amp; mehr"));
        assert!(m.text.contains("<script>alert(1)</script> Gute Idee"));
        assert!(m
            .text
            .contains("https://x.example/notifications/unsubscribe?token=abc"));
        assert_eq!(
            m.list_unsubscribe.as_deref(),
            Some("https://x.example/notifications/unsubscribe?token=abc")
        );
        let digest = reply_digest(Lang::De, "a@example.org", &[reply], "s", "u");
        assert_eq!(digest.subject, "Eine neue Antwort auf Ihre Beiträge");
    }
}
