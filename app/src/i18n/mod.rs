//! Every string the UI shows, in German (default) and English, and how a request's language is
//! chosen. No page writes a user-visible literal of its own.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the first supported language of an `Accept-Language` header (quality order).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut langs: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let primary = tag.split('-').next()?;
                let lang = Lang::from_code(primary)?;
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        langs.sort_by(|a, b| b.0.total_cmp(&a.0));
        langs.first().map(|(_, l)| *l)
    }
}

/// The language of the current page: from the request on the server, from `<html lang>` in the
/// browser (the server wrote it, so both sides agree during hydration).
pub fn use_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Lang>().copied())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|code| Lang::from_code(&code))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::default()
        }
    }
}

pub fn use_texts() -> &'static Texts {
    Texts::get(use_lang())
}

pub struct Texts {
    pub site_name: &'static str,
    pub site_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub switch_language: &'static str,
    pub switch_language_label: &'static str,
    pub other_lang_code: &'static str,
    pub footer_text: &'static str,
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub open_consultations: &'static str,
    pub no_open_consultations: &'static str,
    pub search_label: &'static str,
    pub search_button: &'static str,
    pub search_results_for: fn(&str) -> String,
    pub no_search_results: &'static str,
    pub loading: &'static str,
    pub by_organisation: &'static str,
    pub consultations_of: &'static str,
    pub no_consultations: &'static str,
    pub status_label: &'static str,
    pub status_draft: &'static str,
    pub status_open: &'static str,
    pub status_closed: &'static str,
    pub status_results: &'static str,
    pub period_label: &'static str,
    pub opens: &'static str,
    pub closes: &'static str,
    pub until: &'static str,
    pub comments_heading: &'static str,
    pub comment_count: fn(usize) -> String,
    pub no_comments: &'static str,
    pub write_comment: &'static str,
    pub comment_body_label: &'static str,
    pub comment_body_hint: fn(usize) -> String,
    pub comment_name_label: &'static str,
    pub comment_name_hint: &'static str,
    pub comment_submit: &'static str,
    pub reply: &'static str,
    pub reply_to: fn(&str) -> String,
    pub reply_submit: &'static str,
    pub anonymous: &'static str,
    pub posted_on: &'static str,
    pub comment_published: &'static str,
    pub comment_pending: &'static str,
    pub premoderation_hint: &'static str,
    pub participation_closed: &'static str,
    pub sending: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub err_not_found: &'static str,
    pub err_forbidden: &'static str,
    pub err_body_empty: &'static str,
    pub err_field_empty: &'static str,
    pub err_too_long: fn(usize, usize) -> String,
    pub err_control_chars: &'static str,
    pub err_unknown_parent: &'static str,
    pub err_not_open: &'static str,
    pub err_too_many: fn(u64) -> String,
    pub err_internal: &'static str,
    pub err_transport: &'static str,
    pub rule_label: &'static str,
    pub rule_account: &'static str,
    pub rule_email: &'static str,
    pub rule_code: &'static str,
    pub participate_title: &'static str,
    pub gate_account: &'static str,
    pub gate_account_other: &'static str,
    pub gate_email: &'static str,
    pub gate_have_account: &'static str,
    pub gate_code: &'static str,
    pub link_sent: &'static str,
    pub link_name_hint: &'static str,
    pub link_submit: &'static str,
    pub access_code_label: &'static str,
    pub access_code_hint: &'static str,
    pub access_code_submit: &'static str,
    pub link_page_title: &'static str,
    pub link_page_intro: &'static str,
    pub link_page_submit: &'static str,
    pub codes_title: &'static str,
    pub codes_rule_hint: &'static str,
    pub codes_counts: fn(i64, i64) -> String,
    pub codes_count_label: &'static str,
    pub codes_count_hint: fn(usize) -> String,
    pub codes_submit: &'static str,
    pub codes_fresh_title: &'static str,
    pub codes_fresh_intro: &'static str,
    pub codes_card_where: &'static str,
    pub err_unknown_access_code: &'static str,
    pub err_out_of_range: fn(usize, usize) -> String,
    pub err_unknown_rule: &'static str,
    pub err_rules_fixed: &'static str,
    pub err_need_account: &'static str,
    pub err_need_email_link: &'static str,
    pub err_need_code: &'static str,
    pub err_invalid_url: &'static str,
    pub err_unknown_parent_org: &'static str,
    pub role_org_admin: &'static str,
    pub role_initiator: &'static str,
    pub role_moderator: &'static str,
    pub role_label: &'static str,
    pub manage_title: &'static str,
    pub manage_link: &'static str,
    pub manage_organisations: &'static str,
    pub manage_public_page: &'static str,
    pub new_org_title: &'static str,
    pub org_name_label: &'static str,
    pub org_slug_label: &'static str,
    pub org_slug_hint: &'static str,
    pub org_parent_label: &'static str,
    pub org_parent_hint: &'static str,
    pub new_org_submit: &'static str,
    pub org_description_label: &'static str,
    pub col_title: &'static str,
    pub col_status: &'static str,
    pub col_actions: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub profile_title: &'static str,
    pub max_chars_hint: fn(usize) -> String,
    pub url_hint: &'static str,
    pub staff_title: &'static str,
    pub remove_role: &'static str,
    pub appoint_title: &'static str,
    pub appoint_intro: &'static str,
    pub appoint_submit: &'static str,
    pub kept_text_label: &'static str,
    pub err_file_too_large: fn(usize) -> String,
    pub err_unsupported_image: &'static str,
    pub err_no_file: &'static str,
    pub logo_title: &'static str,
    pub logo_label: &'static str,
    pub logo_hint: fn(usize) -> String,
    pub logo_current: &'static str,
    pub logo_none: &'static str,
    pub logo_submit: &'static str,
    pub err_request_too_large: fn(usize) -> String,
    pub csrf_refused: &'static str,
    pub contact_title: &'static str,
    pub contact_email: &'static str,
    pub contact_website: &'static str,
    pub contact_imprint: &'static str,
    pub contact_privacy: &'static str,
    pub open_below: fn(&str) -> String,
    pub err_unknown_role: &'static str,
    pub err_no_such_account: &'static str,
    pub err_invalid_slug: &'static str,
    pub err_slug_taken: &'static str,
    pub err_nothing_to_confirm: &'static str,
    pub err_two_factor_required: &'static str,
    pub err_wrong_code: &'static str,
    pub err_code_empty: &'static str,
    pub second_factor_title: &'static str,
    pub second_factor_intro: &'static str,
    pub code_label: &'static str,
    pub second_factor_submit: &'static str,
    pub two_factor_title: &'static str,
    pub two_factor_on: &'static str,
    pub two_factor_off: &'static str,
    pub two_factor_mandatory: &'static str,
    pub two_factor_begin: &'static str,
    pub two_factor_scan: &'static str,
    pub two_factor_secret_label: &'static str,
    pub two_factor_qr_alt: &'static str,
    pub two_factor_confirm: &'static str,
    pub recovery_codes_title: &'static str,
    pub recovery_codes_intro: &'static str,
    pub err_wrong_password: &'static str,
    pub writing_as: fn(&str) -> String,
    pub deleted_account: &'static str,
    pub account_title: &'static str,
    pub account_link: &'static str,
    pub account_intro: fn(&str, &str) -> String,
    pub change_password_title: &'static str,
    pub current_password_label: &'static str,
    pub change_password_submit: &'static str,
    pub password_changed: &'static str,
    pub change_email_title: &'static str,
    pub change_email_intro: &'static str,
    pub new_email_label: &'static str,
    pub change_email_submit: &'static str,
    pub change_email_sent: fn(&str) -> String,
    pub email_changed: &'static str,
    pub confirm_email_title: &'static str,
    pub confirm_email_intro: &'static str,
    pub confirm_email_submit: &'static str,
    pub err_same_email: &'static str,
    pub err_email_taken: &'static str,
    pub sessions_title: &'static str,
    pub logout_everywhere_intro: &'static str,
    pub logout_everywhere_submit: &'static str,
    pub export_title: &'static str,
    pub export_intro: &'static str,
    pub export_link: &'static str,
    pub delete_title: &'static str,
    pub delete_intro: &'static str,
    pub delete_submit: &'static str,
    pub err_email_not_verified: &'static str,
    pub err_invalid_token: &'static str,
    pub err_display_name_empty: &'static str,
    pub err_too_short: fn(usize, usize) -> String,
    pub err_common_password: &'static str,
    pub err_display_name_taken: &'static str,
    pub err_invalid_display_name: &'static str,
    pub register_title: &'static str,
    pub register_intro: &'static str,
    pub display_name_label: &'static str,
    pub display_name_hint: &'static str,
    pub new_password_label: &'static str,
    pub password_hint: fn(usize, usize) -> String,
    pub register_submit: &'static str,
    pub register_done: &'static str,
    pub register_link: &'static str,
    pub no_account_yet: &'static str,
    pub forgot_link: &'static str,
    pub forgot_title: &'static str,
    pub forgot_intro: &'static str,
    pub forgot_submit: &'static str,
    pub forgot_done: &'static str,
    pub reset_title: &'static str,
    pub reset_submit: &'static str,
    pub reset_done: &'static str,
    pub verify_title: &'static str,
    pub verify_intro: &'static str,
    pub verify_submit: &'static str,
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub email_label: &'static str,
    pub password_label: &'static str,
    pub login_submit: &'static str,
    pub login_link: &'static str,
    pub logout: &'static str,
    pub signed_in_as: fn(&str) -> String,
    pub err_unauthenticated: &'static str,
    pub err_invalid_credentials: &'static str,
    pub err_email_empty: &'static str,
    pub err_password_empty: &'static str,
    pub err_invalid_email: &'static str,
    pub months: [&'static str; 12],
}

impl Texts {
    pub fn get(lang: Lang) -> &'static Texts {
        match lang {
            Lang::De => &DE,
            Lang::En => &EN,
        }
    }
}

pub static DE: Texts = Texts {
    site_name: "Mitreden",
    site_tagline: "Bürgerbeteiligung online",
    skip_to_content: "Zum Inhalt springen",
    nav_label: "Hauptnavigation",
    nav_home: "Beteiligungen",
    switch_language: "English",
    switch_language_label: "Switch to English",
    other_lang_code: "en",
    footer_text: "Mitreden – freie Software für digitale Bürgerbeteiligung",
    home_title: "Reden Sie mit!",
    home_intro: "Ihre Kommune plant – Sie reden mit. Hier finden Sie alle laufenden Beteiligungen.",
    open_consultations: "Laufende Beteiligungen",
    no_open_consultations: "Zurzeit gibt es keine laufenden Beteiligungen.",
    search_label: "Beteiligungen durchsuchen",
    search_button: "Suchen",
    search_results_for: |q| format!("Suchergebnisse für „{q}“"),
    no_search_results: "Keine Beteiligung passt zu Ihrer Suche.",
    loading: "Wird geladen …",
    by_organisation: "von",
    consultations_of: "Beteiligungen",
    no_consultations: "Diese Organisation hat noch keine veröffentlichten Beteiligungen.",
    status_label: "Status",
    status_draft: "Entwurf",
    status_open: "Beteiligung läuft",
    status_closed: "Beteiligung beendet",
    status_results: "Ergebnisse veröffentlicht",
    period_label: "Zeitraum",
    opens: "ab",
    closes: "bis",
    until: "bis",
    comments_heading: "Beiträge",
    comment_count: |n| match n {
        1 => "1 Beitrag".to_string(),
        n => format!("{n} Beiträge"),
    },
    no_comments: "Noch keine Beiträge. Schreiben Sie den ersten!",
    write_comment: "Ihr Beitrag zur Beteiligung",
    comment_body_label: "Ihr Beitrag",
    comment_body_hint: |max| format!("Höchstens {max} Zeichen. Bitte bleiben Sie sachlich."),
    comment_name_label: "Name (optional)",
    comment_name_hint: "Ein Pseudonym genügt. Ohne Angabe erscheint „Gast“.",
    comment_submit: "Beitrag veröffentlichen",
    reply: "Antworten",
    reply_to: |name| format!("Antwort an {name}"),
    reply_submit: "Antwort veröffentlichen",
    anonymous: "Gast",
    posted_on: "am",
    comment_published: "Vielen Dank! Ihr Beitrag wurde veröffentlicht.",
    comment_pending:
        "Vielen Dank! Ihr Beitrag wird nach einer Prüfung durch die Moderation veröffentlicht.",
    premoderation_hint: "Beiträge werden vor der Veröffentlichung von der Moderation geprüft.",
    participation_closed:
        "Die Beteiligung ist nicht geöffnet. Sie können keine Beiträge mehr schreiben.",
    sending: "Wird gesendet …",
    not_found_title: "Seite nicht gefunden",
    not_found_text: "Diese Seite gibt es nicht (mehr), oder sie ist nicht öffentlich.",
    back_home: "Zur Startseite",
    err_not_found: "Nicht gefunden.",
    err_forbidden: "Dafür fehlt Ihnen die Berechtigung.",
    err_body_empty: "Bitte schreiben Sie einen Beitrag.",
    err_field_empty: "Bitte füllen Sie dieses Feld aus.",
    err_too_long: |max, actual| {
        format!("Ihr Text ist zu lang: höchstens {max} Zeichen erlaubt, Sie haben {actual}.")
    },
    err_control_chars: "Der Text enthält unzulässige Steuerzeichen.",
    err_unknown_parent: "Der Beitrag, auf den Sie antworten, existiert nicht (mehr).",
    err_not_open: "Diese Beteiligung ist nicht geöffnet: Beiträge sind nicht möglich.",
    err_too_many: |secs| {
        format!("Zu viele Anfragen. Bitte versuchen Sie es in {secs} Sekunden erneut.")
    },
    err_internal: "Es ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.",
    err_transport: "Die Anfrage konnte nicht verarbeitet werden. Bitte versuchen Sie es erneut.",
    login_title: "Anmelden",
    login_intro: "Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an.",
    email_label: "E-Mail-Adresse",
    password_label: "Passwort",
    login_submit: "Anmelden",
    login_link: "Anmelden",
    logout: "Abmelden",
    signed_in_as: |name| format!("Angemeldet als {name}"),
    err_unauthenticated: "Bitte melden Sie sich an.",
    err_invalid_credentials: "E-Mail-Adresse oder Passwort ist falsch.",
    err_email_empty: "Bitte geben Sie Ihre E-Mail-Adresse ein.",
    err_password_empty: "Bitte geben Sie Ihr Passwort ein.",
    err_invalid_email: "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@example.org.",
    err_email_not_verified: "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse. Wir haben Ihnen den Link dazu noch einmal geschickt.",
    err_invalid_token: "Dieser Link ist ungültig, abgelaufen oder wurde schon verwendet. Bitte fordern Sie einen neuen an.",
    err_display_name_empty: "Bitte wählen Sie einen Namen, unter dem Ihre Beiträge erscheinen.",
    err_too_short: |min, actual| format!("Zu kurz: mindestens {min} Zeichen, Sie haben {actual}."),
    err_common_password: "Dieses Passwort ist zu leicht zu erraten (ein sehr häufiges Passwort oder Ihre E-Mail-Adresse bzw. Ihr Name). Bitte wählen Sie ein anderes.",
    err_display_name_taken: "Dieser Name ist schon vergeben. Bitte wählen Sie einen anderen.",
    err_invalid_display_name: "Der Name darf 3 bis 40 Zeichen lang sein und aus Buchstaben, Ziffern, Leerzeichen, Punkt, Binde- und Unterstrich bestehen.",
    register_title: "Registrieren",
    register_intro: "Mit einem Konto können Sie sich beteiligen. Ihr Name erscheint bei Ihren Beiträgen – ein Pseudonym ist ausdrücklich erlaubt.",
    display_name_label: "Name (öffentlich sichtbar)",
    display_name_hint: "3 bis 40 Zeichen, ein Pseudonym genügt.",
    new_password_label: "Passwort",
    password_hint: |min, max| format!("{min} bis {max} Zeichen. Ein Satz aus mehreren Wörtern ist leicht zu merken und schwer zu erraten."),
    register_submit: "Konto anlegen",
    register_done: "Fast geschafft! Wir haben eine E-Mail an die angegebene Adresse geschickt. Bitte bestätigen Sie Ihre Adresse über den Link darin.",
    register_link: "Registrieren",
    no_account_yet: "Noch kein Konto?",
    forgot_link: "Passwort vergessen?",
    forgot_title: "Passwort vergessen",
    forgot_intro: "Geben Sie Ihre E-Mail-Adresse ein. Wir schicken Ihnen einen Link, mit dem Sie ein neues Passwort wählen können.",
    forgot_submit: "Link anfordern",
    forgot_done: "Wenn es ein Konto mit dieser Adresse gibt, haben wir eine E-Mail mit einem Link geschickt. Der Link ist eine Stunde gültig.",
    reset_title: "Neues Passwort wählen",
    reset_submit: "Passwort speichern",
    reset_done: "Ihr Passwort wurde geändert und Sie wurden überall abgemeldet. Bitte melden Sie sich mit dem neuen Passwort an.",
    verify_title: "E-Mail-Adresse bestätigen",
    verify_intro: "Bitte bestätigen Sie mit einem Klick, dass diese E-Mail-Adresse Ihnen gehört.",
    verify_submit: "Adresse bestätigen",
    writing_as: |name| format!("Sie schreiben als {name}."),
    deleted_account: "Gelöschtes Konto",
    account_title: "Mein Konto",
    account_link: "Mein Konto",
    account_intro: |name, email| if email.is_empty() { format!("Angemeldet als {name} (mit Zugangscode, ohne E-Mail-Adresse).") } else { format!("Angemeldet als {name} ({email}).") },
    change_password_title: "Passwort ändern",
    current_password_label: "Bisheriges Passwort",
    change_password_submit: "Passwort ändern",
    password_changed: "Ihr Passwort wurde geändert. Alle anderen Sitzungen wurden abgemeldet.",
    change_email_title: "E-Mail-Adresse ändern",
    change_email_intro: "Wir schicken einen Bestätigungslink an die neue Adresse. Erst wenn Sie ihn öffnen, wird die Adresse geändert; bis dahin gilt die bisherige.",
    new_email_label: "Neue E-Mail-Adresse",
    change_email_submit: "Bestätigungslink schicken",
    change_email_sent: |email| format!("Wir haben einen Bestätigungslink an {email} geschickt. Er ist 24 Stunden gültig und funktioniert einmal."),
    email_changed: "Ihre E-Mail-Adresse wurde geändert. Alle anderen Sitzungen wurden abgemeldet.",
    confirm_email_title: "Neue E-Mail-Adresse bestätigen",
    confirm_email_intro: "Bitte bestätigen Sie mit einem Klick, dass Ihr Konto künftig diese E-Mail-Adresse verwendet.",
    confirm_email_submit: "Neue Adresse bestätigen",
    err_same_email: "Das ist bereits Ihre E-Mail-Adresse.",
    err_email_taken: "Diese E-Mail-Adresse gehört inzwischen zu einem anderen Konto. Ihre Adresse wurde nicht geändert.",
    sessions_title: "Sitzungen",
    logout_everywhere_intro: "Melden Sie sich auf allen Geräten ab, zum Beispiel wenn Sie ein Gerät verloren haben.",
    logout_everywhere_submit: "Überall abmelden",
    export_title: "Meine Daten",
    export_intro: "Laden Sie alle Daten, die Mitreden über Sie gespeichert hat, als JSON-Datei herunter.",
    export_link: "Meine Daten herunterladen (JSON)",
    delete_title: "Konto löschen",
    delete_intro: "Ihr Konto und Ihre persönlichen Daten werden gelöscht. Ihre Beiträge bleiben als Teil der Diskussion stehen, erscheinen aber als „Gelöschtes Konto“. Das lässt sich nicht rückgängig machen.",
    delete_submit: "Konto endgültig löschen",
    err_wrong_password: "Das Passwort stimmt nicht.",
    err_two_factor_required: "Für diese Funktion brauchen Sie die Zwei-Faktor-Anmeldung. Bitte richten Sie sie unter „Mein Konto“ ein.",
    err_wrong_code: "Der Code stimmt nicht oder wurde schon verwendet. Bitte nehmen Sie den aktuellen Code aus Ihrer App.",
    err_code_empty: "Bitte geben Sie den Code aus Ihrer App oder einen Wiederherstellungscode ein.",
    second_factor_title: "Anmeldung bestätigen",
    second_factor_intro: "Geben Sie den sechsstelligen Code aus Ihrer Authenticator-App ein – oder einen Ihrer Wiederherstellungscodes.",
    code_label: "Code",
    second_factor_submit: "Bestätigen",
    two_factor_title: "Zwei-Faktor-Anmeldung",
    two_factor_on: "Die Zwei-Faktor-Anmeldung ist eingerichtet.",
    two_factor_off: "Schützen Sie Ihr Konto zusätzlich mit einer Authenticator-App (TOTP).",
    two_factor_mandatory: "Für Ihre Rolle in der Verwaltung ist die Zwei-Faktor-Anmeldung Pflicht. Bis sie eingerichtet ist, sind die Verwaltungsfunktionen gesperrt.",
    two_factor_begin: "Zwei-Faktor-Anmeldung einrichten",
    two_factor_scan: "Scannen Sie den QR-Code mit Ihrer Authenticator-App oder geben Sie den Schlüssel von Hand ein. Bestätigen Sie dann mit dem angezeigten Code.",
    two_factor_secret_label: "Schlüssel",
    two_factor_qr_alt: "QR-Code zum Einrichten der Authenticator-App",
    two_factor_confirm: "Einrichtung bestätigen",
    recovery_codes_title: "Ihre Wiederherstellungscodes",
    recovery_codes_intro: "Bewahren Sie diese Codes sicher auf. Jeder funktioniert einmal, falls Sie Ihr Gerät verlieren. Sie werden nur jetzt angezeigt.",
    err_nothing_to_confirm: "Es gibt nichts zu bestätigen: Bitte beginnen Sie die Einrichtung neu.",
    err_unknown_role: "Diese Rolle gibt es nicht.",
    err_no_such_account: "Es gibt kein Konto mit dieser Adresse. Bitte lassen Sie die Person sich zuerst registrieren.",
    err_invalid_slug: "Die Kurzbezeichnung darf 2 bis 50 Zeichen aus Kleinbuchstaben, Ziffern und Bindestrichen haben und keine reservierte Adresse sein.",
    err_slug_taken: "Diese Kurzbezeichnung ist schon vergeben.",
    open_below: |name| format!("Laufende Beteiligungen in den Kommunen von {name}"),
    contact_title: "Kontakt",
    contact_email: "E-Mail",
    contact_website: "Website",
    contact_imprint: "Impressum",
    contact_privacy: "Datenschutzerklärung",
    rule_label: "Wer kann mitmachen",
    rule_account: "Registrierte mit bestätigter E-Mail-Adresse",
    rule_email: "Alle mit bestätigter E-Mail-Adresse (Anmeldelink, kein Passwort)",
    rule_code: "Nur mit persönlichem Zugangscode",
    participate_title: "Mitmachen",
    gate_account: "Um sich zu beteiligen, melden Sie sich an oder registrieren Sie sich.",
    gate_account_other: "Diese Beteiligung steht registrierten Konten mit Passwort und bestätigter E-Mail-Adresse offen. Melden Sie sich mit einem solchen Konto an.",
    gate_email: "Geben Sie Ihre E-Mail-Adresse an. Wir schicken Ihnen einen Link, mit dem Sie sich ohne Passwort anmelden.",
    gate_have_account: "Sie haben schon ein Konto?",
    gate_code: "Für diese Beteiligung brauchen Sie einen persönlichen Zugangscode, den Sie von der Verwaltung erhalten haben (zum Beispiel per Brief). Jeder Code gilt für eine Person.",
    link_sent: "Wir haben Ihnen einen Anmeldelink geschickt. Bitte sehen Sie in Ihrem Postfach nach (auch im Spam-Ordner).",
    link_name_hint: "Wird öffentlich bei Ihren Beiträgen angezeigt; ein Pseudonym ist in Ordnung. Haben Sie schon ein Konto, gilt dessen Name.",
    link_submit: "Anmeldelink schicken",
    access_code_label: "Zugangscode",
    access_code_hint: "Zwölf Zeichen, zum Beispiel ABCD-EFGH-JKMN. Groß- und Kleinschreibung und Bindestriche spielen keine Rolle.",
    access_code_submit: "Code einlösen",
    link_page_title: "Mit Link anmelden",
    link_page_intro: "Bestätigen Sie die Anmeldung mit einem Klick. Der Link gilt nur einmal.",
    link_page_submit: "Jetzt anmelden",
    codes_title: "Zugangscodes",
    codes_rule_hint: "Diese Beteiligung verlangt derzeit keine Zugangscodes; Codes gelten erst, wenn die Regel „Nur mit persönlichem Zugangscode“ gewählt ist.",
    codes_counts: |total, used| format!("{total} Codes erstellt, davon {used} eingelöst."),
    codes_count_label: "Anzahl neuer Codes",
    codes_count_hint: |max| format!("1 bis {max} auf einmal. Die Codes werden nur jetzt angezeigt: bitte gleich drucken."),
    codes_submit: "Codes erstellen",
    codes_fresh_title: "Neue Codes zum Ausdrucken",
    codes_fresh_intro: "Diese Codes werden nur einmal angezeigt und nicht im Klartext gespeichert. Drucken Sie die Seite jetzt (Strg+P).",
    codes_card_where: "Mitmachen unter",
    err_unknown_access_code: "Dieser Zugangscode ist ungültig oder wurde bereits eingelöst.",
    err_out_of_range: |min, max| format!("Bitte geben Sie eine Zahl von {min} bis {max} an."),
    err_unknown_rule: "Bitte wählen Sie eine der angebotenen Regeln.",
    err_rules_fixed: "Die Beteiligung hat begonnen: Wer mitmachen darf, lässt sich nicht mehr ändern.",
    err_need_account: "Bitte melden Sie sich mit einem registrierten Konto an, um sich zu beteiligen.",
    err_need_email_link: "Bitte melden Sie sich zuerst über den Link an, den wir Ihnen per E-Mail schicken.",
    err_need_code: "Bitte lösen Sie zuerst Ihren persönlichen Zugangscode ein.",
    err_invalid_url: "Bitte geben Sie eine vollständige Webadresse an, die mit https:// beginnt.",
    err_unknown_parent_org: "Eine Organisation mit diesem Kurznamen gibt es nicht.",
    role_org_admin: "Organisations-Admin",
    role_initiator: "Redaktion (Initiator)",
    role_moderator: "Moderation",
    role_label: "Rolle",
    manage_title: "Verwaltung",
    manage_link: "Verwaltung",
    manage_organisations: "Ihre Organisationen",
    manage_public_page: "Öffentliche Seite ansehen",
    new_org_title: "Neue Organisation",
    org_name_label: "Name",
    org_slug_label: "Kurzname in der Adresse",
    org_slug_hint: "2 bis 50 Zeichen: Kleinbuchstaben, Ziffern, Bindestrich (zum Beispiel musterstadt).",
    org_parent_label: "Übergeordnete Organisation (Kurzname, optional)",
    org_parent_hint: "Zum Beispiel der Kreis einer Kommune; leer lassen, wenn es keine gibt.",
    new_org_submit: "Organisation anlegen",
    org_description_label: "Beschreibung",
    col_title: "Titel",
    col_status: "Status",
    col_actions: "Aktionen",
    save: "Speichern",
    saved: "Gespeichert.",
    profile_title: "Profil der Organisation",
    max_chars_hint: |max| format!("Höchstens {max} Zeichen."),
    url_hint: "Vollständige Adresse mit https://; leer lassen, wenn es keine gibt.",
    staff_title: "Mitarbeitende",
    remove_role: "Rolle entziehen",
    appoint_title: "Rolle vergeben",
    appoint_intro: "Die Person braucht ein Konto mit bestätigter E-Mail-Adresse. Für Mitarbeitende ist die Anmeldung in zwei Schritten Pflicht.",
    appoint_submit: "Rolle vergeben",
    kept_text_label: "Ihr Text (zum Kopieren, er wurde nicht gespeichert)",
    err_file_too_large: |max| format!("Die Datei ist zu groß: höchstens {max} KB."),
    err_unsupported_image: "Bitte wählen Sie ein Bild im Format PNG, JPEG oder WebP.",
    err_no_file: "Bitte wählen Sie eine Datei aus.",
    logo_title: "Logo",
    logo_label: "Neues Logo",
    logo_hint: |max| format!("PNG, JPEG oder WebP, höchstens {max} KB. Es erscheint auf der Seite der Organisation neben ihrem Namen."),
    logo_current: "Aktuelles Logo",
    logo_none: "Noch kein Logo.",
    logo_submit: "Logo hochladen",
    err_request_too_large: |max| format!("Die Anfrage ist zu groß: höchstens {max} KB. Bitte gehen Sie zurück und wählen Sie eine kleinere Datei oder kürzen Sie den Text."),
    csrf_refused: "Anfrage abgelehnt: Sie kam nicht von dieser Website. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
};

pub static EN: Texts = Texts {
    site_name: "Mitreden",
    site_tagline: "Citizen participation online",
    skip_to_content: "Skip to content",
    nav_label: "Main navigation",
    nav_home: "Consultations",
    switch_language: "Deutsch",
    switch_language_label: "Auf Deutsch wechseln",
    other_lang_code: "de",
    footer_text: "Mitreden – free software for digital citizen participation",
    home_title: "Have your say!",
    home_intro: "Your municipality is planning – have your say. Here are all open consultations.",
    open_consultations: "Open consultations",
    no_open_consultations: "There are no open consultations at the moment.",
    search_label: "Search consultations",
    search_button: "Search",
    search_results_for: |q| format!("Search results for “{q}”"),
    no_search_results: "No consultation matches your search.",
    loading: "Loading …",
    by_organisation: "by",
    consultations_of: "Consultations",
    no_consultations: "This organisation has no published consultations yet.",
    status_label: "Status",
    status_draft: "Draft",
    status_open: "Open for participation",
    status_closed: "Participation closed",
    status_results: "Results published",
    period_label: "Period",
    opens: "from",
    closes: "until",
    until: "to",
    comments_heading: "Contributions",
    comment_count: |n| match n {
        1 => "1 contribution".to_string(),
        n => format!("{n} contributions"),
    },
    no_comments: "No contributions yet. Be the first!",
    write_comment: "Your contribution to this consultation",
    comment_body_label: "Your contribution",
    comment_body_hint: |max| format!("At most {max} characters. Please stay factual."),
    comment_name_label: "Name (optional)",
    comment_name_hint: "A pseudonym is fine. Without one, “Guest” is shown.",
    comment_submit: "Publish contribution",
    reply: "Reply",
    reply_to: |name| format!("Reply to {name}"),
    reply_submit: "Publish reply",
    anonymous: "Guest",
    posted_on: "on",
    comment_published: "Thank you! Your contribution has been published.",
    comment_pending:
        "Thank you! Your contribution will be published after review by the moderators.",
    premoderation_hint: "Contributions are reviewed by the moderators before they are published.",
    participation_closed: "This consultation is not open. You can no longer contribute.",
    sending: "Sending …",
    not_found_title: "Page not found",
    not_found_text: "This page does not exist (any more), or it is not public.",
    back_home: "Back to the home page",
    err_not_found: "Not found.",
    err_forbidden: "You are not allowed to do this.",
    err_body_empty: "Please write a contribution.",
    err_field_empty: "Please fill in this field.",
    err_too_long: |max, actual| {
        format!("Your text is too long: at most {max} characters are allowed, you have {actual}.")
    },
    err_control_chars: "The text contains control characters that are not allowed.",
    err_unknown_parent: "The contribution you are replying to does not exist (any more).",
    err_not_open: "This consultation is not open: contributions are not possible.",
    err_too_many: |secs| format!("Too many requests. Please try again in {secs} seconds."),
    err_internal: "Something went wrong. Please try again later.",
    err_transport: "The request could not be processed. Please try again.",
    login_title: "Sign in",
    login_intro: "Sign in with your e-mail address and password.",
    email_label: "E-mail address",
    password_label: "Password",
    login_submit: "Sign in",
    login_link: "Sign in",
    logout: "Sign out",
    signed_in_as: |name| format!("Signed in as {name}"),
    err_unauthenticated: "Please sign in.",
    err_invalid_credentials: "E-mail address or password is wrong.",
    err_email_empty: "Please enter your e-mail address.",
    err_password_empty: "Please enter your password.",
    err_invalid_email: "Please enter a valid e-mail address, for example name@example.org.",
    err_email_not_verified: "Please confirm your e-mail address first. We have sent you the link again.",
    err_invalid_token: "This link is invalid, expired or was already used. Please request a new one.",
    err_display_name_empty: "Please choose a name under which your contributions appear.",
    err_too_short: |min, actual| format!("Too short: at least {min} characters, you have {actual}."),
    err_common_password: "This password is too easy to guess (a very common password, or your e-mail address or name). Please choose another one.",
    err_display_name_taken: "This name is already taken. Please choose another one.",
    err_invalid_display_name: "The name must be 3 to 40 characters: letters, digits, spaces, dots, hyphens and underscores.",
    register_title: "Register",
    register_intro: "With an account you can take part. Your name appears with your contributions – a pseudonym is explicitly allowed.",
    display_name_label: "Name (shown publicly)",
    display_name_hint: "3 to 40 characters, a pseudonym is fine.",
    new_password_label: "Password",
    password_hint: |min, max| format!("{min} to {max} characters. A sentence of several words is easy to remember and hard to guess."),
    register_submit: "Create account",
    register_done: "Almost done! We have sent an e-mail to the address you gave. Please confirm your address with the link in it.",
    register_link: "Register",
    no_account_yet: "No account yet?",
    forgot_link: "Forgot your password?",
    forgot_title: "Forgot your password",
    forgot_intro: "Enter your e-mail address. We will send you a link to choose a new password.",
    forgot_submit: "Request link",
    forgot_done: "If there is an account with this address, we have sent an e-mail with a link. The link is valid for one hour.",
    reset_title: "Choose a new password",
    reset_submit: "Save password",
    reset_done: "Your password has been changed and you have been signed out everywhere. Please sign in with the new password.",
    verify_title: "Confirm e-mail address",
    verify_intro: "Please confirm with one click that this e-mail address is yours.",
    verify_submit: "Confirm address",
    writing_as: |name| format!("You are writing as {name}."),
    deleted_account: "Deleted account",
    account_title: "My account",
    account_link: "My account",
    account_intro: |name, email| if email.is_empty() { format!("Signed in as {name} (with an access code, without an e-mail address).") } else { format!("Signed in as {name} ({email}).") },
    change_password_title: "Change password",
    current_password_label: "Current password",
    change_password_submit: "Change password",
    password_changed: "Your password has been changed. All other sessions have been signed out.",
    change_email_title: "Change e-mail address",
    change_email_intro: "We send a confirmation link to the new address. The address changes only when you open it; until then the current one stays.",
    new_email_label: "New e-mail address",
    change_email_submit: "Send confirmation link",
    change_email_sent: |email| format!("We have sent a confirmation link to {email}. It is valid for 24 hours and works once."),
    email_changed: "Your e-mail address has been changed. All other sessions have been signed out.",
    confirm_email_title: "Confirm new e-mail address",
    confirm_email_intro: "Please confirm with one click that your account uses this e-mail address from now on.",
    confirm_email_submit: "Confirm new address",
    err_same_email: "This already is your e-mail address.",
    err_email_taken: "This e-mail address now belongs to another account. Your address has not been changed.",
    sessions_title: "Sessions",
    logout_everywhere_intro: "Sign out on all devices, for example if you lost one.",
    logout_everywhere_submit: "Sign out everywhere",
    export_title: "My data",
    export_intro: "Download all data Mitreden has stored about you as a JSON file.",
    export_link: "Download my data (JSON)",
    delete_title: "Delete account",
    delete_intro: "Your account and your personal data are deleted. Your contributions remain part of the discussion but appear as “Deleted account”. This cannot be undone.",
    delete_submit: "Delete account for good",
    err_wrong_password: "The password is not correct.",
    err_two_factor_required: "This function needs two-factor sign-in. Please set it up under “My account”.",
    err_wrong_code: "The code is wrong or was already used. Please take the current code from your app.",
    err_code_empty: "Please enter the code from your app or a recovery code.",
    second_factor_title: "Confirm sign-in",
    second_factor_intro: "Enter the six-digit code from your authenticator app – or one of your recovery codes.",
    code_label: "Code",
    second_factor_submit: "Confirm",
    two_factor_title: "Two-factor sign-in",
    two_factor_on: "Two-factor sign-in is set up.",
    two_factor_off: "Protect your account further with an authenticator app (TOTP).",
    two_factor_mandatory: "Two-factor sign-in is mandatory for your staff role. Until it is set up, staff functions are locked.",
    two_factor_begin: "Set up two-factor sign-in",
    two_factor_scan: "Scan the QR code with your authenticator app or enter the key by hand. Then confirm with the code it shows.",
    two_factor_secret_label: "Key",
    two_factor_qr_alt: "QR code to set up the authenticator app",
    two_factor_confirm: "Confirm setup",
    recovery_codes_title: "Your recovery codes",
    recovery_codes_intro: "Keep these codes safe. Each works once if you lose your device. They are shown only now.",
    err_nothing_to_confirm: "There is nothing to confirm: please start the setup again.",
    err_unknown_role: "This role does not exist.",
    err_no_such_account: "There is no account with this address. Please ask the person to register first.",
    err_invalid_slug: "The short name must be 2 to 50 lower-case letters, digits and hyphens, and not a reserved address.",
    err_slug_taken: "This short name is already taken.",
    open_below: |name| format!("Open consultations of the municipalities of {name}"),
    contact_title: "Contact",
    contact_email: "E-mail",
    contact_website: "Website",
    contact_imprint: "Imprint",
    contact_privacy: "Privacy policy",
    rule_label: "Who can take part",
    rule_account: "Registered people with a confirmed e-mail address",
    rule_email: "Anyone with a confirmed e-mail address (sign-in link, no password)",
    rule_code: "Only with a personal access code",
    participate_title: "Take part",
    gate_account: "To take part, sign in or register.",
    gate_account_other: "This consultation is open to registered accounts with a password and a confirmed e-mail address. Please sign in with such an account.",
    gate_email: "Enter your e-mail address. We will send you a link that signs you in without a password.",
    gate_have_account: "Already have an account?",
    gate_code: "This consultation needs a personal access code you received from the administration (for example by letter). Each code is for one person.",
    link_sent: "We have sent you a sign-in link. Please check your inbox (and the spam folder).",
    link_name_hint: "Shown publicly with your contributions; a pseudonym is fine. If you already have an account, its name is used.",
    link_submit: "Send sign-in link",
    access_code_label: "Access code",
    access_code_hint: "Twelve characters, for example ABCD-EFGH-JKMN. Case and dashes do not matter.",
    access_code_submit: "Redeem code",
    link_page_title: "Sign in with link",
    link_page_intro: "Confirm the sign-in with one click. The link works only once.",
    link_page_submit: "Sign in now",
    codes_title: "Access codes",
    codes_rule_hint: "This consultation does not currently require access codes; codes apply once the rule “Only with a personal access code” is chosen.",
    codes_counts: |total, used| format!("{total} codes made, {used} of them redeemed."),
    codes_count_label: "Number of new codes",
    codes_count_hint: |max| format!("1 to {max} at a time. The codes are shown only now: please print them right away."),
    codes_submit: "Make codes",
    codes_fresh_title: "New codes to print",
    codes_fresh_intro: "These codes are shown only once and are not stored in plain text. Print this page now (Ctrl+P).",
    codes_card_where: "Take part at",
    err_unknown_access_code: "This access code is invalid or has already been redeemed.",
    err_out_of_range: |min, max| format!("Please enter a number from {min} to {max}."),
    err_unknown_rule: "Please choose one of the rules offered.",
    err_rules_fixed: "Participation has begun: who may take part can no longer change.",
    err_need_account: "Please sign in with a registered account to take part.",
    err_need_email_link: "Please sign in first through the link we send you by e-mail.",
    err_need_code: "Please redeem your personal access code first.",
    err_invalid_url: "Please enter a complete web address starting with https://.",
    err_unknown_parent_org: "There is no organisation with this short name.",
    role_org_admin: "Organisation admin",
    role_initiator: "Editor (initiator)",
    role_moderator: "Moderator",
    role_label: "Role",
    manage_title: "Administration",
    manage_link: "Administration",
    manage_organisations: "Your organisations",
    manage_public_page: "View public page",
    new_org_title: "New organisation",
    org_name_label: "Name",
    org_slug_label: "Short name in the address",
    org_slug_hint: "2 to 50 characters: lower-case letters, digits, hyphen (for example musterstadt).",
    org_parent_label: "Parent organisation (short name, optional)",
    org_parent_hint: "For example the district of a municipality; leave empty if there is none.",
    new_org_submit: "Create organisation",
    org_description_label: "Description",
    col_title: "Title",
    col_status: "Status",
    col_actions: "Actions",
    save: "Save",
    saved: "Saved.",
    profile_title: "Organisation profile",
    max_chars_hint: |max| format!("At most {max} characters."),
    url_hint: "Complete address with https://; leave empty if there is none.",
    staff_title: "Staff",
    remove_role: "Remove role",
    appoint_title: "Give a role",
    appoint_intro: "The person needs an account with a confirmed e-mail address. Staff must use two-step sign-in.",
    appoint_submit: "Give role",
    kept_text_label: "Your text (to copy; it was not saved)",
    err_file_too_large: |max| format!("The file is too large: at most {max} KB."),
    err_unsupported_image: "Please choose a PNG, JPEG or WebP image.",
    err_no_file: "Please choose a file.",
    logo_title: "Logo",
    logo_label: "New logo",
    logo_hint: |max| format!("PNG, JPEG or WebP, at most {max} KB. It appears on the organisation's page next to its name."),
    logo_current: "Current logo",
    logo_none: "No logo yet.",
    logo_submit: "Upload logo",
    err_request_too_large: |max| format!("The request is too large: at most {max} KB. Please go back and choose a smaller file or shorten the text."),
    csrf_refused:
        "Request refused: it did not come from this site. Please reload the page and try again.",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
};

/// Formats a unix timestamp as a calendar date in German civil time (Europe/Berlin), identically
/// on server and client so that hydration sees the same text.
pub fn format_date(lang: Lang, unix: i64) -> String {
    let (y, m, d) = berlin_date(unix);
    match lang {
        Lang::De => format!("{d}. {} {y}", DE.months[(m - 1) as usize]),
        Lang::En => format!("{d} {} {y}", EN.months[(m - 1) as usize]),
    }
}

/// ISO date (YYYY-MM-DD) for `<time datetime>`.
pub fn iso_date(unix: i64) -> String {
    let (y, m, d) = berlin_date(unix);
    format!("{y:04}-{m:02}-{d:02}")
}

fn berlin_date(unix: i64) -> (i64, u32, u32) {
    let offset = if is_berlin_summer_time(unix) {
        7200
    } else {
        3600
    };
    civil_from_days((unix + offset).div_euclid(86_400))
}

/// EU rule: summer time from the last Sunday of March 01:00 UTC to the last Sunday of October
/// 01:00 UTC.
fn is_berlin_summer_time(unix: i64) -> bool {
    let (year, _, _) = civil_from_days(unix.div_euclid(86_400));
    let start = last_sunday_utc(year, 3) + 3600;
    let end = last_sunday_utc(year, 10) + 3600;
    unix >= start && unix < end
}

fn last_sunday_utc(year: i64, month: u32) -> i64 {
    let last_day = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Sunday is (days + 4) mod 7.
    let weekday = (last_day + 4).rem_euclid(7);
    (last_day - weekday) * 86_400
}

// Howard Hinnant's civil calendar algorithms.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_quality_supported_language() {
        assert_eq!(
            Lang::from_accept_language("fr-FR, en;q=0.8, de;q=0.9"),
            Some(Lang::De)
        );
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr, it"), None);
        assert_eq!(
            Lang::from_accept_language("de;q=0, en;q=0.1"),
            Some(Lang::En)
        );
    }

    #[test]
    fn dates_are_shown_in_berlin_time() {
        // 2026-03-29 00:30 UTC is 01:30 CET (winter), 2026-03-29 23:30 UTC is 01:30 CEST next day.
        assert_eq!(iso_date(1_774_744_200), "2026-03-29");
        assert_eq!(iso_date(1_774_827_000), "2026-03-30");
        // 2026-12-31 23:30 UTC is already 1 January 2027 in Berlin.
        assert_eq!(format_date(Lang::De, 1_798_759_800), "1. Januar 2027");
        assert_eq!(format_date(Lang::En, 1_798_759_800), "1 January 2027");
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(20_415), (2025, 11, 23));
    }
}
