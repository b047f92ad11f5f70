//! The demo questionnaire of `musterstadt/verkehrsberuhigung-altstadt`: one question of every
//! kind. Idempotent: added only while the consultation has no questions.

use super::{repo, QuestionInput};
use crate::db::Db;

fn question(kind: &str, prompt: &str, help: &str, required: bool, options: &str) -> QuestionInput {
    QuestionInput {
        kind: kind.into(),
        prompt: prompt.into(),
        help: help.into(),
        required,
        options: options.into(),
        ..Default::default()
    }
}

/// Gives the Altstadt consultation its questionnaire, unless it has one.
pub async fn seed(db: &Db, consultation_id: i64) -> Result<(), sqlx::Error> {
    if !repo::questions(db, consultation_id).await?.is_empty() {
        return Ok(());
    }
    let questions = [
        question(
            "yes_no",
            "Soll in der gesamten Altstadt Tempo 20 gelten?",
            "",
            true,
            "",
        ),
        question(
            "single",
            "Wie kommen Sie meistens in die Altstadt?",
            "",
            true,
            "Zu Fuß\nMit dem Fahrrad\nMit Bus oder Bahn\nMit dem Auto",
        ),
        QuestionInput {
            min_choices: "1".into(),
            max_choices: "2".into(),
            ..question(
                "multiple",
                "Was wünschen Sie sich am Marktplatz?",
                "Wählen Sie die zwei Punkte, die Ihnen am wichtigsten sind.",
                false,
                "Mehr Bänke im Schatten\nFahrradbügel\nBäume und Grün\nEin Trinkbrunnen",
            )
        },
        QuestionInput {
            low_label: "gar nicht wichtig".into(),
            high_label: "sehr wichtig".into(),
            ..question(
                "rating",
                "Wie wichtig ist Ihnen eine ruhigere Altstadt?",
                "",
                false,
                "",
            )
        },
        question(
            "ranking",
            "Was soll die Stadt zuerst umsetzen?",
            "Ordnen Sie die Vorschläge nach ihrer Dringlichkeit.",
            false,
            "Tempo 20\nDurchfahrverbot über 3,5 Tonnen\nFahrradbügel und Bänke",
        ),
        QuestionInput {
            max_chars: "1000".into(),
            ..question(
                "free_text",
                "Was möchten Sie der Stadt sonst noch sagen?",
                "",
                false,
                "",
            )
        },
    ];
    for q in &questions {
        let draft = q
            .parse()
            .map_err(|_| sqlx::Error::Protocol("invalid demo question".into()))?;
        repo::insert_question(db, consultation_id, &draft).await?;
    }
    Ok(())
}

/// The Lindenpark consultation (closed, results published): a short questionnaire with the
/// answers of six residents (accounts without a password: nobody signs in as them), so its
/// results page has charts.
/// Idempotent: only while the consultation has no questions.
pub async fn seed_results(db: &Db, consultation_id: i64) -> Result<(), sqlx::Error> {
    use super::{Answer, Vote};
    if !repo::questions(db, consultation_id).await?.is_empty() {
        return Ok(());
    }
    for q in [
        question(
            "single",
            "Welches Spielgerät wünschen Sie sich am meisten?",
            "",
            true,
            "Kletterturm\nWasserspiel\nNestschaukel\nSandbagger",
        ),
        question(
            "yes_no",
            "Soll der Spielplatz einen Trinkbrunnen bekommen?",
            "",
            true,
            "",
        ),
    ] {
        let draft = q
            .parse()
            .map_err(|_| sqlx::Error::Protocol("invalid demo question".into()))?;
        repo::insert_question(db, consultation_id, &draft).await?;
    }
    let questions = repo::questions(db, consultation_id).await?;
    let given = [
        (0, Vote::Yes),
        (1, Vote::Yes),
        (0, Vote::No),
        (2, Vote::Yes),
        (0, Vote::Yes),
        (1, Vote::Abstain),
    ];
    for (i, (choice, vote)) in given.into_iter().enumerate() {
        let email = crate::account::Email::parse(&format!("anwohnerin{}@example.org", i + 1))
            .map_err(|_| sqlx::Error::Protocol("invalid demo address".into()))?;
        let user = crate::account::repo::create(
            db,
            &crate::account::repo::NewUser {
                email: &email,
                display_name: &format!("Anwohnerin {}", i + 1),
                password_hash: "!",
                verified: true,
                is_instance_admin: false,
            },
        )
        .await?;
        if let Some(user) = user {
            let answers = [
                (
                    questions[0].id,
                    Answer::Choices(vec![questions[0].options[choice].id]),
                ),
                (questions[1].id, Answer::Vote(vote)),
            ];
            repo::save_response(db, consultation_id, user, &answers).await?;
        }
    }
    Ok(())
}
