//! Demo data (`mitreden seed-demo`): idempotent, so it can run on every `make run`.

use crate::account::{repo as accounts, Email, Role};
use crate::comment::{repo as comments, AuthorName, CommentBody};
use crate::consultation::repo::{self as consultations, NewConsultation};
use crate::consultation::{Moderation, Status};
use crate::db::{now, Db};
use crate::organisation::repo::{self as organisations, NewOrganisation};
use crate::organisation::OrganisationContact;

const DAY: i64 = 86_400;

/// The old town inside its ring of former walls (one "lat, lon" line per corner, as staff type it).
const ALTSTADT_AREA: &str = "51.5372, 9.9298
51.5378, 9.9365
51.5360, 9.9425
51.5325, 9.9440
51.5298, 9.9398
51.5296, 9.9330
51.5318, 9.9282
51.5348, 9.9272";
const ALTSTADT_LOCATION: &str =
    "Altstadt innerhalb des Wallrings: Marktplatz, Marktstraße und die angrenzenden Gassen";
const LINDENWEG_POINT: &str = "51.5405, 9.9210";
const LINDENWEG_LOCATION: &str = "Lindenweg, zwischen Parkstraße und Am Lindenpark";

const ALTSTADT_BODY: &str = r#"Die Altstadt von Musterstadt leidet unter Durchgangsverkehr. Die Stadt möchte den Verkehr
beruhigen und die Aufenthaltsqualität verbessern – und fragt Sie, wie.

## Worum es geht

* Tempo 20 in der gesamten Altstadt
* Ein Durchfahrverbot für Fahrzeuge über 3,5 Tonnen in der Marktstraße
* Zehn neue Fahrradbügel am Marktplatz und mehr Bänke im Schatten

## Zeitplan

| Phase | Zeitraum |
|---|---|
| Beteiligung | vier Wochen |
| Auswertung | zwei Monate |
| Beschluss im Rat | Frühjahr |

## Ihre Meinung zählt

Alle Beiträge werden ausgewertet und dem Rat vorgelegt. Die Stadt antwortet öffentlich auf die
häufigsten Fragen. Mehr Informationen finden Sie auf der [Website der Stadt](https://example.org/altstadt).
"#;

const LINDENPARK_BODY: &str = r#"Der Spielplatz im Lindenpark wird neu gestaltet. Vielen Dank für über 200 Beiträge!

## Ergebnisse

Die meistgenannten Wünsche – eine Seilbahn, mehr Schatten und ein Wasserspiel – werden umgesetzt.
"#;

const RADWEG_BODY: &str =
    "Entwurf: ein durchgehender Radweg von der Innenstadt bis zum Gewerbegebiet Nord.";

const LINDENWEG_BODY: &str = r#"Der Lindenweg soll eine Spielstraße werden. Weil die Änderung vor allem die Anwohnenden
betrifft, haben alle Haushalte der Straße einen persönlichen Zugangscode per Brief erhalten.

## Was sich ändern würde

- Schrittgeschwindigkeit für alle Fahrzeuge
- Spielen auf der ganzen Fahrbahn erlaubt
- Parken nur in gekennzeichneten Flächen
"#;

const NAHVERKEHR_BODY: &str = r#"Der Kreis Beispiel schreibt seinen Nahverkehrsplan fort. Welche Verbindungen fehlen Ihnen?

## Was der Plan regelt

* Takt und Bedienzeiten der Buslinien
* Barrierefreie Haltestellen
* On-Demand-Verkehr in den Abendstunden
"#;

/// A demo account and its roles (organisation slug, role).
pub struct DemoAccount {
    pub email: &'static str,
    pub display_name: &'static str,
    pub instance_admin: bool,
    pub roles: &'static [(&'static str, Role)],
}

const fn demo(
    email: &'static str,
    display_name: &'static str,
    instance_admin: bool,
    roles: &'static [(&'static str, Role)],
) -> DemoAccount {
    DemoAccount {
        email,
        display_name,
        instance_admin,
        roles,
    }
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    demo("admin@example.org", "Instanz-Admin", true, &[]),
    demo(
        "redaktion@musterstadt.example",
        "Redaktion Musterstadt",
        false,
        &[("musterstadt", Role::Initiator)],
    ),
    demo(
        "moderation@musterstadt.example",
        "Moderation Musterstadt",
        false,
        &[("musterstadt", Role::Moderator)],
    ),
    demo(
        "moderation@kreis-beispiel.example",
        "Moderation Kreis Beispiel",
        false,
        &[("kreis-beispiel", Role::Moderator)],
    ),
    demo("anna@example.org", "Anna", false, &[]),
];

/// Creates the demo organisations, accounts, consultations and comments that do not exist yet.
/// Existing accounts keep their passwords.
pub async fn seed(db: &Db, demo_password: &str) -> Result<(), sqlx::Error> {
    let kreis = organisations::ensure(
        db,
        &NewOrganisation {
            slug: "kreis-beispiel",
            name: "Kreis Beispiel",
            description: "Der Kreis Beispiel mit seinen Städten und Gemeinden.",
            parent_id: None,
        },
    )
    .await?;
    let stadt = organisations::ensure(
        db,
        &NewOrganisation {
            slug: "musterstadt",
            name: "Stadt Musterstadt",
            description: "Die Stadt Musterstadt beteiligt ihre Bürgerinnen und Bürger online.",
            parent_id: Some(kreis),
        },
    )
    .await?;
    organisations::set_contact(
        db,
        stadt,
        &OrganisationContact {
            email: "beteiligung@musterstadt.example".into(),
            website: "https://musterstadt.example".into(),
            imprint: "https://musterstadt.example/impressum".into(),
            privacy: "https://musterstadt.example/datenschutz".into(),
        },
    )
    .await?;
    let password_hash = crate::account::password::hash(demo_password)
        .map_err(|_| sqlx::Error::Protocol("cannot hash the demo password".into()))?;
    for account in DEMO_ACCOUNTS {
        let name = account.display_name;
        let email = Email::parse(account.email)
            .map_err(|_| sqlx::Error::Protocol("invalid demo e-mail".into()))?;
        let id = match accounts::find_id_by_email(db, &email).await? {
            Some(id) => id,
            None => accounts::create(
                db,
                &accounts::NewUser {
                    email: &email,
                    display_name: name,
                    password_hash: &password_hash,
                    verified: true,
                    is_instance_admin: account.instance_admin,
                },
            )
            .await?
            .ok_or_else(|| sqlx::Error::Protocol(format!("demo display name {name} is taken")))?,
        };
        for (org, role) in account.roles {
            let org_id = if *org == "musterstadt" { stadt } else { kreis };
            accounts::grant(db, id, org_id, *role).await?;
        }
    }
    let t = now();

    let altstadt = consultations::create(
        db,
        &NewConsultation {
            organisation_id: stadt,
            slug: "verkehrsberuhigung-altstadt",
            title: "Verkehrsberuhigung in der Altstadt",
            summary: "Wie soll der Verkehr in der Altstadt beruhigt werden? Diskutieren Sie die Vorschläge der Stadt.",
            body_markdown: ALTSTADT_BODY,
            status: Status::Open,
            moderation: Moderation::Post,
            opens_at: Some(t - 7 * DAY),
            closes_at: Some(t + 365 * DAY),
        },
    )
    .await?;
    if let Some(id) = altstadt {
        let first = add_comment(
            db,
            id,
            None,
            "Anwohnerin Altstadt",
            "Tempo 20 ist überfällig. Abends wird die Marktstraße als Rennstrecke genutzt.",
        )
        .await?;
        add_comment(
            db,
            id,
            Some(first),
            "Radler42",
            "Dem stimme ich zu – und bitte auch Kontrollen, sonst hält sich niemand daran.",
        )
        .await?;
        add_comment(
            db,
            id,
            None,
            "",
            "Wo sollen die Lieferfahrzeuge der Geschäfte halten? Bitte Ladezonen mitplanen.",
        )
        .await?;
    }

    let lindenpark = consultations::create(
        db,
        &NewConsultation {
            organisation_id: stadt,
            slug: "spielplatz-lindenpark",
            title: "Neuer Spielplatz im Lindenpark",
            summary: "Die Beteiligung ist abgeschlossen, die Ergebnisse sind veröffentlicht.",
            body_markdown: LINDENPARK_BODY,
            status: Status::ResultsPublished,
            moderation: Moderation::Post,
            opens_at: Some(t - 120 * DAY),
            closes_at: Some(t - 60 * DAY),
        },
    )
    .await?;
    if let Some(id) = lindenpark {
        add_comment(
            db,
            id,
            None,
            "Familie K.",
            "Bitte mehr Schatten über dem Sandkasten!",
        )
        .await?;
    }

    let radweg = consultations::create(
        db,
        &NewConsultation {
            organisation_id: stadt,
            slug: "radweg-nord",
            title: "Radweg Nord",
            summary: "Entwurf, noch nicht veröffentlicht.",
            body_markdown: RADWEG_BODY,
            status: Status::Draft,
            moderation: Moderation::Post,
            opens_at: None,
            closes_at: None,
        },
    )
    .await?;
    if let Some(id) = radweg {
        // The street's households get printed access codes once it opens.
        crate::participation::repo::set_rule(db, id, crate::participation::Rule::Code).await?;
    }

    let lindenweg = consultations::create(
        db,
        &NewConsultation {
            organisation_id: stadt,
            slug: "spielstrasse-lindenweg",
            title: "Spielstraße Lindenweg",
            summary: "Nur für die Anwohnenden: Soll der Lindenweg eine Spielstraße werden?",
            body_markdown: LINDENWEG_BODY,
            status: Status::Open,
            moderation: Moderation::Post,
            opens_at: Some(t - DAY),
            closes_at: Some(t + 180 * DAY),
        },
    )
    .await?;
    if let Some(id) = lindenweg {
        crate::participation::repo::set_rule(db, id, crate::participation::Rule::Code).await?;
    }

    let nahverkehr = consultations::create(
        db,
        &NewConsultation {
            organisation_id: kreis,
            slug: "nahverkehrsplan",
            title: "Nahverkehrsplan des Kreises",
            summary: "Welche Bus- und Bahnverbindungen fehlen Ihnen? Beiträge werden vor der Veröffentlichung geprüft.",
            body_markdown: NAHVERKEHR_BODY,
            status: Status::Open,
            moderation: Moderation::Pre,
            opens_at: Some(t - 3 * DAY),
            closes_at: Some(t + 365 * DAY),
        },
    )
    .await?;
    if let Some(id) = nahverkehr {
        // Anyone with an e-mail address may take part, without registering.
        crate::participation::repo::set_rule(db, id, crate::participation::Rule::Email).await?;
        add_comment(
            db,
            id,
            None,
            "Pendler",
            "Die Buslinie 7 fährt nur werktags.",
        )
        .await?;
        insert_comment(
            db,
            id,
            None,
            "Anna",
            "Bitte die Buslinie 7 auch sonntags fahren lassen!",
            false,
        )
        .await?;
    }
    // Places on the map (also for databases seeded before maps existed).
    for (slug, location, area) in [
        (
            "verkehrsberuhigung-altstadt",
            ALTSTADT_LOCATION,
            ALTSTADT_AREA,
        ),
        (
            "spielstrasse-lindenweg",
            LINDENWEG_LOCATION,
            LINDENWEG_POINT,
        ),
    ] {
        let area = crate::geo::Area::parse_editor(area)
            .ok()
            .flatten()
            .ok_or_else(|| sqlx::Error::Protocol("invalid demo area".into()))?;
        if let Some(id) = consultations::find_id(db, stadt, slug).await? {
            consultations::set_place_if_unset(db, id, location, &area.to_geojson()).await?;
        }
    }
    // The Altstadt questionnaire (also for databases seeded before questionnaires existed).
    if let Some(id) = consultations::find_id(db, stadt, "verkehrsberuhigung-altstadt").await? {
        crate::questionnaire::demo::seed(db, id).await?;
    }
    // Lindenpark's published results: a questionnaire with answers.
    if let Some(id) = consultations::find_id(db, stadt, "spielplatz-lindenpark").await? {
        crate::questionnaire::demo::seed_results(db, id).await?;
    }
    // The accessibility statement, privacy policy and imprint, as templates to fill in.
    crate::legal::repo::install_templates(db).await?;
    Ok(())
}

async fn add_comment(
    db: &Db,
    consultation_id: i64,
    parent: Option<i64>,
    name: &str,
    body: &str,
) -> Result<i64, sqlx::Error> {
    insert_comment(db, consultation_id, parent, name, body, true).await
}

async fn insert_comment(
    db: &Db,
    consultation_id: i64,
    parent_id: Option<i64>,
    name: &str,
    body: &str,
    published: bool,
) -> Result<i64, sqlx::Error> {
    // Demo texts are valid by construction; parsing keeps them on the same rules as user input.
    let author_name =
        AuthorName::parse(name).map_err(|_| sqlx::Error::Protocol("invalid demo name".into()))?;
    let body =
        CommentBody::parse(body).map_err(|_| sqlx::Error::Protocol("invalid demo text".into()))?;
    let comment = comments::insert(
        db,
        &comments::NewComment {
            consultation_id,
            parent_id,
            author_name: &author_name,
            author_user_id: None,
            body: &body,
            published,
            section: None,
            pin: None,
        },
    )
    .await?;
    Ok(comment.id)
}
