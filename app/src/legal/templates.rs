//! The built-in templates of the three legal pages, German and English: what a page shows until
//! an instance admin saves it, and what `mitreden seed-demo` installs. Placeholders in
//! [square brackets] are the operator's to fill in.

use super::PageKind;
use crate::i18n::Lang;

pub fn template(kind: PageKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (PageKind::Accessibility, Lang::De) => ACCESSIBILITY_DE,
        (PageKind::Accessibility, Lang::En) => ACCESSIBILITY_EN,
        (PageKind::Privacy, Lang::De) => PRIVACY_DE,
        (PageKind::Privacy, Lang::En) => PRIVACY_EN,
        (PageKind::Imprint, Lang::De) => IMPRINT_DE,
        (PageKind::Imprint, Lang::En) => IMPRINT_EN,
    }
}

const ACCESSIBILITY_DE: &str = "\
[Name der Stelle] ist bemüht, diese Beteiligungsplattform im Einklang mit der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und dem Behindertengleichstellungsgesetz (BGG) barrierefrei zugänglich zu machen.

Diese Erklärung gilt für die Plattform unter dieser Adresse.

## Stand der Vereinbarkeit mit den Anforderungen

Diese Plattform ist mit den Anforderungen der BITV 2.0 (WCAG 2.1, Stufe AA) **weitgehend vereinbar**. Jede Seite wird bei jeder Änderung der Software automatisch mit axe geprüft; alle Funktionen sind ohne JavaScript und nur mit der Tastatur bedienbar.

## Nicht barrierefreie Inhalte

- **Karten:** Die Kartenansicht ist für Menschen, die nicht sehen, nur eingeschränkt nutzbar. Alle Orte auf der Karte stehen deshalb zusätzlich als Text in der Liste der Beiträge, und ein Ort kann auch ohne Karte als Adresse beschrieben werden.
- **Hochgeladene Dokumente:** PDF-Dokumente, die Verwaltungen zu einer Beteiligung bereitstellen, sind nicht immer barrierefrei. Die wesentlichen Inhalte stehen im Text der Beteiligung; auf Anfrage erhalten Sie ein Dokument in zugänglicher Form.
- **Beiträge von Teilnehmenden** werden nicht auf Barrierefreiheit geprüft (zum Beispiel Abkürzungen oder fehlende Zwischenüberschriften).

## Erstellung dieser Erklärung

Diese Erklärung wurde am [TT.MM.JJJJ] erstellt und zuletzt am [TT.MM.JJJJ] überprüft. Grundlage ist eine Selbstbewertung mit automatischen Prüfungen (axe, Lighthouse) und Tests mit Tastatur und Screenreader.

## Feedback und Kontakt

Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Dann melden Sie sie uns mit dem Formular unten auf dieser Seite – ohne Anmeldung. Sie können sich auch direkt an uns wenden: [E-Mail-Adresse], [Telefonnummer]. Wir antworten innerhalb von sechs Wochen.

## Schlichtungsverfahren

Wenn Sie auf Ihre Meldung innerhalb von sechs Wochen keine zufriedenstellende Antwort erhalten haben, können Sie ein Schlichtungsverfahren beantragen. Zuständig ist [für Landes- und Kommunalbehörden: die Durchsetzungs- oder Ombudsstelle Ihres Landes, zum Beispiel in Nordrhein-Westfalen die Ombudsstelle für barrierefreie Informationstechnik des Landes NRW; für Bundesbehörden: die Schlichtungsstelle nach § 16 BGG, Mauerstraße 53, 10117 Berlin, www.schlichtungsstelle-bgg.de]. Das Verfahren ist kostenlos; Sie brauchen keinen Rechtsbeistand.
";

const ACCESSIBILITY_EN: &str = "\
[Name of the authority] strives to make this participation platform accessible in accordance with the German Accessible Information Technology Ordinance (BITV 2.0) and the Disability Equality Act (BGG).

This statement applies to the platform at this address.

## Compliance status

This platform is **largely compliant** with the requirements of BITV 2.0 (WCAG 2.1, level AA). Every page is checked automatically with axe whenever the software changes; every function works without JavaScript and with the keyboard alone.

## Non-accessible content

- **Maps:** the map view can be used only to a limited extent by people who cannot see. Every place on a map is therefore also listed as text with the contributions, and a place can be described as an address without the map.
- **Uploaded documents:** PDF documents that administrations provide for a consultation are not always accessible. The essential content is in the consultation's text; on request you receive a document in an accessible form.
- **Participants' contributions** are not checked for accessibility (for example abbreviations or missing headings).

## Preparation of this statement

This statement was prepared on [DD.MM.YYYY] and last reviewed on [DD.MM.YYYY]. It is based on a self-assessment with automated checks (axe, Lighthouse) and tests with keyboard and screen reader.

## Feedback and contact

Did you notice shortcomings in accessible access? Report them to us with the form at the bottom of this page – no sign-in needed. You can also contact us directly: [e-mail address], [telephone number]. We answer within six weeks.

## Enforcement procedure

If you have not received a satisfactory answer to your report within six weeks, you can request a conciliation procedure. Responsible is [for state and municipal authorities: your state's enforcement or ombuds body, for example in North Rhine-Westphalia the Ombudsstelle für barrierefreie Informationstechnik des Landes NRW; for federal authorities: the conciliation body under section 16 BGG, Mauerstraße 53, 10117 Berlin, www.schlichtungsstelle-bgg.de]. The procedure is free of charge; you need no legal counsel.
";

const PRIVACY_DE: &str = "\
## Verantwortliche Stelle

[Name der Stelle], [Anschrift], [E-Mail-Adresse]. Datenschutzbeauftragte: [Name, Kontakt].

## Wozu wir Daten verarbeiten

Wir betreiben diese Plattform, damit Sie sich an Planungen und Vorhaben beteiligen können. Rechtsgrundlage ist Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit [Landesgesetz, zum Beispiel § 3 DSG NRW] (Wahrnehmung einer Aufgabe im öffentlichen Interesse) und, wo Sie freiwillig etwas angeben, Ihre Einwilligung (Art. 6 Abs. 1 Buchst. a DSGVO).

## Welche Daten

- **Konto:** E-Mail-Adresse, selbst gewählter Anzeigename (ein Pseudonym genügt), Passwort nur als Argon2id-Hash. Teilnehmende ohne Passwort hinterlegen nur eine E-Mail-Adresse; mit einem Zugangscode gar keine.
- **Beiträge und Stimmen:** was Sie schreiben, unterstützen, auf der Karte markieren oder im Fragebogen antworten, mit Zeitpunkt. Öffentlich erscheint es nur unter Ihrem Anzeigenamen.
- **Region:** Aus der IP-Adresse wird beim Abgeben eines Beitrags nur grob die Region (Land) bestimmt; die IP-Adresse selbst wird nicht gespeichert.
- **Barriere-Meldungen:** die Beschreibung und, wenn Sie sie angeben, eine E-Mail-Adresse für die Antwort.

## Cookies

Nur technisch notwendige Cookies: die Anmeldung, die gewählte Sprache und – für wenige Minuten – die Eingaben eines Formulars ohne JavaScript. Es gibt keine Analyse- oder Werbe-Cookies und kein Tracking.

## Empfänger

Ihre Daten verarbeitet [Betreiber/Auftragsverarbeiter] in unserem Auftrag (Art. 28 DSGVO). Exporte für die Auswertung enthalten Pseudonyme statt Namen. [Wenn Karten angezeigt werden: Der Kartenanbieter erhält beim Laden der Kartenbilder Ihre IP-Adresse.]

## Ihre Rechte

Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung (Art. 18), Datenübertragbarkeit (Art. 20) und Widerspruch (Art. 21). Auf Ihrer Kontoseite können Sie Ihre Daten herunterladen und Ihr Konto löschen. Sie können sich bei der Aufsichtsbehörde beschweren: [zum Beispiel Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen].
";

const PRIVACY_EN: &str = "\
## Controller

[Name of the authority], [address], [e-mail address]. Data protection officer: [name, contact].

## Why we process data

We run this platform so that you can take part in plans and projects. The legal basis is Art. 6(1)(e) GDPR together with [state law, for example section 3 DSG NRW] (a task carried out in the public interest) and, where you give something voluntarily, your consent (Art. 6(1)(a) GDPR).

## Which data

- **Account:** e-mail address, a display name of your choice (a pseudonym is fine), the password only as an Argon2id hash. Participants without a password give only an e-mail address; with an access code none at all.
- **Contributions and votes:** what you write, support, mark on the map or answer in a questionnaire, with the time. In public it appears only under your display name.
- **Region:** when you contribute, only the rough region (country) is derived from your IP address; the IP address itself is not stored.
- **Barrier reports:** the description and, if you give one, an e-mail address for the answer.

## Cookies

Only technically necessary cookies: the sign-in, the chosen language and – for a few minutes – a form's input without JavaScript. There are no analytics or advertising cookies and no tracking.

## Recipients

Your data is processed on our behalf by [operator/processor] (Art. 28 GDPR). Exports for evaluation contain pseudonyms instead of names. [If maps are shown: the map provider receives your IP address when the map images load.]

## Your rights

You have the right of access (Art. 15 GDPR), rectification (Art. 16), erasure (Art. 17), restriction (Art. 18), data portability (Art. 20) and to object (Art. 21). On your account page you can download your data and delete your account. You can complain to the supervisory authority: [for example the State Commissioner for Data Protection and Freedom of Information of North Rhine-Westphalia].
";

const IMPRINT_DE: &str = "\
## Angaben gemäß § 5 Digitale-Dienste-Gesetz

[Name der Stelle]  
[Straße und Hausnummer]  
[Postleitzahl Ort]

Die [Stelle] ist eine Körperschaft des öffentlichen Rechts. Sie wird vertreten durch [Bürgermeisterin/Bürgermeister, Name].

## Kontakt

Telefon: [Telefonnummer]  
E-Mail: [E-Mail-Adresse]

## Verantwortlich für den Inhalt nach § 18 Abs. 2 Medienstaatsvertrag

[Name, Anschrift wie oben]

## Hinweis zu Beiträgen

Beiträge von Teilnehmenden geben deren Meinung wieder, nicht die der [Stelle]. Sie werden nach den Regeln der Beteiligung moderiert.
";

const IMPRINT_EN: &str = "\
## Information under section 5 of the German Digital Services Act (DDG)

[Name of the authority]  
[Street and number]  
[Postcode town]

[The authority] is a public-law corporation, represented by [mayor, name].

## Contact

Telephone: [telephone number]  
E-mail: [e-mail address]

## Responsible for the content under section 18(2) of the Interstate Media Treaty

[Name, address as above]

## About contributions

Participants' contributions express their opinion, not that of [the authority]. They are moderated under the consultation's rules.
";
