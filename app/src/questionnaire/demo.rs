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
