//! Questionnaires per consultation: question kinds, the parsing of a submitted answer set, and
//! what the pages show (the form, the saved answers, the results).

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod views;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, Field, Problem};

/// The steps of a rating scale.
pub const RATING_MIN: u8 = 1;
pub const RATING_MAX: u8 = 5;
/// Most questions one questionnaire has.
pub const MAX_QUESTIONS: usize = 50;
/// Most options a choice or ranking question has, and fewest.
pub const MAX_OPTIONS: usize = 20;
pub const MIN_OPTIONS: usize = 2;
pub const MAX_PROMPT_CHARS: usize = 300;
pub const MAX_HELP_CHARS: usize = 1000;
pub const MAX_OPTION_CHARS: usize = 200;
pub const MAX_LABEL_CHARS: usize = 60;
/// The longest a free-text answer may be made (staff choose a limit up to this).
pub const MAX_FREE_TEXT_CHARS: u32 = 5000;
/// The limit a new free-text question gets.
pub const DEFAULT_FREE_TEXT_CHARS: u32 = 1000;
/// How many free texts per question the results list (newest first).
pub const MAX_LISTED_TEXTS: i64 = 100;

/// What kind of answer a question asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    /// One of the options.
    Single,
    /// Between `min` and `max` of the options.
    Multiple { min: u32, max: u32 },
    /// Yes, no or abstain.
    YesNoAbstain,
    /// 1 to 5, with words for both ends.
    Rating { low: String, high: String },
    /// Every option gets a rank (1 = first).
    Ranking,
    /// Text of at most `max_chars` characters.
    FreeText { max_chars: u32 },
}

/// The kinds as staff pick them (stored in `questionnaire_questions.kind`).
pub const KIND_NAMES: [&str; 6] = [
    "single",
    "multiple",
    "yes_no",
    "rating",
    "ranking",
    "free_text",
];

impl QuestionKind {
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple { .. } => "multiple",
            QuestionKind::YesNoAbstain => "yes_no",
            QuestionKind::Rating { .. } => "rating",
            QuestionKind::Ranking => "ranking",
            QuestionKind::FreeText { .. } => "free_text",
        }
    }

    /// Whether the question offers options that staff list.
    pub fn has_options(&self) -> bool {
        matches!(
            self,
            QuestionKind::Single | QuestionKind::Multiple { .. } | QuestionKind::Ranking
        )
    }
}

/// An option of a choice or ranking question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub prompt: String,
    /// Shown under the prompt; may be empty.
    pub help: String,
    pub required: bool,
    /// In the order staff gave them (empty for kinds without options).
    pub options: Vec<Choice>,
}

impl Question {
    /// The name of the question's form field (`answers[q<id>][]`, one value or several).
    pub fn field_key(&self) -> String {
        format!("q{}", self.id)
    }
}

/// Yes, no or abstain, as stored (`value` 1, 2, 3) and as the form sends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Vote {
    Yes,
    No,
    Abstain,
}

impl Vote {
    pub const ALL: [Vote; 3] = [Vote::Yes, Vote::No, Vote::Abstain];

    pub fn as_str(self) -> &'static str {
        match self {
            Vote::Yes => "yes",
            Vote::No => "no",
            Vote::Abstain => "abstain",
        }
    }

    pub fn value(self) -> i64 {
        match self {
            Vote::Yes => 1,
            Vote::No => 2,
            Vote::Abstain => 3,
        }
    }

    pub fn from_value(v: i64) -> Option<Vote> {
        Vote::ALL.into_iter().find(|x| x.value() == v)
    }

    pub fn parse(s: &str) -> Option<Vote> {
        Vote::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            Vote::Yes => t.q_vote_yes,
            Vote::No => t.q_vote_no,
            Vote::Abstain => t.q_vote_abstain,
        }
    }
}

/// One question's answer, parsed: once you hold one, it fits its question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// Option ids (one for single choice).
    Choices(Vec<i64>),
    Vote(Vote),
    Rating(u8),
    /// Option ids from first to last rank.
    Ranking(Vec<i64>),
    Text(String),
}

/// What is wrong with the answer to one question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerProblem {
    pub question_id: i64,
    pub problem: Problem,
}

impl AnswerProblem {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        AppError::invalid(Field::Answer, self.problem).message(lang)
    }
}

/// The answers as the form sends them: `answers[q<id>][]=value`, several values for checkboxes
/// and rankings (`<option id>:<rank>`), one for the rest. Also what a page shows in its controls.
pub type AnswerForm = BTreeMap<String, Vec<String>>;

fn non_empty(values: Option<&Vec<String>>) -> Vec<&str> {
    values
        .map(|v| {
            v.iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn option_id(question: &Question, raw: &str) -> Result<i64, Problem> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| question.options.iter().any(|o| o.id == *id))
        .ok_or(Problem::UnknownOption)
}

/// Parses one question's values; `Ok(None)` when it was left unanswered.
fn parse_one(question: &Question, values: Vec<&str>) -> Result<Option<Answer>, Problem> {
    if values.is_empty() {
        return Ok(None);
    }
    match &question.kind {
        QuestionKind::Single => {
            if values.len() > 1 {
                return Err(Problem::TooManyChoices { max: 1 });
            }
            Ok(Some(Answer::Choices(vec![option_id(question, values[0])?])))
        }
        QuestionKind::Multiple { min, max } => {
            let mut ids = Vec::new();
            for raw in values {
                let id = option_id(question, raw)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            if ids.len() < *min as usize {
                return Err(Problem::TooFewChoices { min: *min as usize });
            }
            if ids.len() > *max as usize {
                return Err(Problem::TooManyChoices { max: *max as usize });
            }
            // Stored in the options' order, whatever order the browser sent.
            ids.sort_by_key(|id| question.options.iter().position(|o| o.id == *id));
            Ok(Some(Answer::Choices(ids)))
        }
        QuestionKind::YesNoAbstain => match values.as_slice() {
            [one] => Vote::parse(one)
                .map(|v| Some(Answer::Vote(v)))
                .ok_or(Problem::UnknownOption),
            _ => Err(Problem::TooManyChoices { max: 1 }),
        },
        QuestionKind::Rating { .. } => {
            let range = Problem::OutOfRange {
                min: RATING_MIN as usize,
                max: RATING_MAX as usize,
            };
            match values.as_slice() {
                [one] => one
                    .parse::<u8>()
                    .ok()
                    .filter(|n| (RATING_MIN..=RATING_MAX).contains(n))
                    .map(|n| Some(Answer::Rating(n)))
                    .ok_or(range),
                _ => Err(range),
            }
        }
        QuestionKind::Ranking => {
            // "<option id>:<rank>" per ranked option; every option exactly once, ranks 1..=n.
            let n = question.options.len();
            let mut by_rank: Vec<Option<i64>> = vec![None; n];
            let mut seen = Vec::new();
            for raw in values {
                let (opt, rank) = raw.split_once(':').ok_or(Problem::UnknownOption)?;
                let id = option_id(question, opt.trim())?;
                let rank = rank
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|r| (1..=n).contains(r))
                    .ok_or(Problem::RankingIncomplete)?;
                if seen.contains(&id) || by_rank[rank - 1].is_some() {
                    return Err(Problem::RankingIncomplete);
                }
                seen.push(id);
                by_rank[rank - 1] = Some(id);
            }
            let order: Option<Vec<i64>> = by_rank.into_iter().collect();
            order
                .map(|o| Some(Answer::Ranking(o)))
                .ok_or(Problem::RankingIncomplete)
        }
        QuestionKind::FreeText { max_chars } => {
            let text = values.join("\n").replace("\r\n", "\n").trim().to_string();
            if text.is_empty() {
                return Ok(None);
            }
            if text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
            {
                return Err(Problem::ControlCharacters);
            }
            let actual = text.chars().count();
            if actual > *max_chars as usize {
                return Err(Problem::TooLong {
                    max: *max_chars as usize,
                    actual,
                });
            }
            Ok(Some(Answer::Text(text)))
        }
    }
}

/// Parses a submitted answer set against the questionnaire: every answer fits its question,
/// required questions are answered, nothing names a question or option that is not there. All
/// problems at once, one per question, so the form can mark each.
pub fn parse_answers(
    questions: &[Question],
    form: &AnswerForm,
) -> Result<Vec<(i64, Answer)>, Vec<AnswerProblem>> {
    let mut problems = Vec::new();
    // Keys that belong to no question of this questionnaire.
    for key in form.keys() {
        if !questions.iter().any(|q| q.field_key() == *key) {
            let question_id = key
                .strip_prefix('q')
                .and_then(|id| id.parse().ok())
                .unwrap_or(0);
            problems.push(AnswerProblem {
                question_id,
                problem: Problem::UnknownOption,
            });
        }
    }
    let mut answers = Vec::new();
    for question in questions {
        let values = non_empty(form.get(&question.field_key()));
        match parse_one(question, values) {
            Ok(Some(answer)) => answers.push((question.id, answer)),
            Ok(None) if question.required => problems.push(AnswerProblem {
                question_id: question.id,
                problem: Problem::Empty,
            }),
            Ok(None) => {}
            Err(problem) => problems.push(AnswerProblem {
                question_id: question.id,
                problem,
            }),
        }
    }
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(problems)
    }
}

/// The form values that show a saved answer set in the form's controls.
pub fn answers_to_form(answers: &[(i64, Answer)]) -> AnswerForm {
    answers
        .iter()
        .map(|(id, answer)| {
            let values = match answer {
                Answer::Choices(ids) => ids.iter().map(i64::to_string).collect(),
                Answer::Vote(v) => vec![v.as_str().to_string()],
                Answer::Rating(n) => vec![n.to_string()],
                Answer::Ranking(ids) => ids
                    .iter()
                    .enumerate()
                    .map(|(i, opt)| format!("{opt}:{}", i + 1))
                    .collect(),
                Answer::Text(text) => vec![text.clone()],
            };
            (format!("q{id}"), values)
        })
        .collect()
}

/// What staff enter for a question, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionDraft {
    pub kind: QuestionKind,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    pub options: Vec<String>,
}

/// The editor's raw input for a question.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionInput {
    pub kind: String,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    /// One option per line.
    pub options: String,
    pub min_choices: String,
    pub max_choices: String,
    pub low_label: String,
    pub high_label: String,
    pub max_chars: String,
}

fn clean_line(field: Field, raw: &str, max: usize, required: bool) -> Result<String, AppError> {
    let line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if required && line.is_empty() {
        return Err(AppError::invalid(field, Problem::Empty));
    }
    let actual = line.chars().count();
    if actual > max {
        return Err(AppError::invalid(field, Problem::TooLong { max, actual }));
    }
    Ok(line)
}

fn number(
    field: Field,
    raw: &str,
    min: usize,
    max: usize,
    default: usize,
) -> Result<u32, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(default as u32);
    }
    raw.parse::<usize>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .map(|n| n as u32)
        .ok_or(AppError::invalid(field, Problem::OutOfRange { min, max }))
}

impl QuestionInput {
    /// Parses what staff entered; the fields a kind does not use are ignored.
    pub fn parse(&self) -> Result<QuestionDraft, AppError> {
        let prompt = clean_line(Field::Prompt, &self.prompt, MAX_PROMPT_CHARS, true)?;
        let help = self.help.replace("\r\n", "\n").trim().to_string();
        let actual = help.chars().count();
        if actual > MAX_HELP_CHARS {
            return Err(AppError::invalid(
                Field::HelpText,
                Problem::TooLong {
                    max: MAX_HELP_CHARS,
                    actual,
                },
            ));
        }
        let mut options = Vec::new();
        for line in self.options.lines() {
            let label = clean_line(Field::Options, line, MAX_OPTION_CHARS, false)?;
            if label.is_empty() {
                continue;
            }
            if options
                .iter()
                .any(|o: &String| o.to_lowercase() == label.to_lowercase())
            {
                return Err(AppError::invalid(Field::Options, Problem::DuplicateOption));
            }
            options.push(label);
        }
        let kind = match self.kind.as_str() {
            "single" => QuestionKind::Single,
            "multiple" => {
                let n = options.len().max(1);
                let min = number(Field::MinChoices, &self.min_choices, 0, n, 0)?;
                let max = number(Field::MaxChoices, &self.max_choices, 1, n, n)?;
                if min > max {
                    return Err(AppError::invalid(
                        Field::MaxChoices,
                        Problem::OutOfRange {
                            min: min as usize,
                            max: n,
                        },
                    ));
                }
                QuestionKind::Multiple { min, max }
            }
            "yes_no" => QuestionKind::YesNoAbstain,
            "rating" => QuestionKind::Rating {
                low: clean_line(Field::LowLabel, &self.low_label, MAX_LABEL_CHARS, true)?,
                high: clean_line(Field::HighLabel, &self.high_label, MAX_LABEL_CHARS, true)?,
            },
            "ranking" => QuestionKind::Ranking,
            "free_text" => QuestionKind::FreeText {
                max_chars: number(
                    Field::MaxChars,
                    &self.max_chars,
                    10,
                    MAX_FREE_TEXT_CHARS as usize,
                    DEFAULT_FREE_TEXT_CHARS as usize,
                )?,
            },
            _ => return Err(AppError::invalid(Field::Kind, Problem::UnknownKind)),
        };
        if kind.has_options() {
            if options.len() < MIN_OPTIONS {
                return Err(AppError::invalid(
                    Field::Options,
                    Problem::TooFewOptions { min: MIN_OPTIONS },
                ));
            }
            if options.len() > MAX_OPTIONS {
                return Err(AppError::invalid(
                    Field::Options,
                    Problem::TooManyOptions { max: MAX_OPTIONS },
                ));
            }
        } else {
            options.clear();
        }
        Ok(QuestionDraft {
            kind,
            prompt,
            help,
            required: self.required,
            options,
        })
    }

    /// The editor's input showing a stored question.
    pub fn of(question: &Question) -> QuestionInput {
        let (min, max, low, high, chars) = match &question.kind {
            QuestionKind::Multiple { min, max } => {
                (min.to_string(), max.to_string(), "", "", String::new())
            }
            QuestionKind::Rating { low, high } => (
                String::new(),
                String::new(),
                low.as_str(),
                high.as_str(),
                String::new(),
            ),
            QuestionKind::FreeText { max_chars } => {
                (String::new(), String::new(), "", "", max_chars.to_string())
            }
            _ => (String::new(), String::new(), "", "", String::new()),
        };
        QuestionInput {
            kind: question.kind.name().to_string(),
            prompt: question.prompt.clone(),
            help: question.help.clone(),
            required: question.required,
            options: question
                .options
                .iter()
                .map(|o| o.label.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            min_choices: min,
            max_choices: max,
            low_label: low.to_string(),
            high_label: high.to_string(),
            max_chars: chars,
        }
    }
}

/// One line of a question's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    pub label: RowLabel,
    /// How many chose it (choices, votes, ratings) or ranked it (ranking).
    pub count: i64,
    /// Ranking: the option's mean rank (1 = first).
    pub mean_rank: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RowLabel {
    Option(String),
    Vote(Vote),
    Rating(u8),
}

/// A free-text answer in the results (shown as text only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextAnswer {
    pub body: String,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question: Question,
    /// Responses that answered this question.
    pub answered: i64,
    pub rows: Vec<ResultRow>,
    /// Rating: the mean of the answers.
    pub mean: Option<f64>,
    /// Free text: the newest answers (at most [`MAX_LISTED_TEXTS`]) and how many there are.
    pub texts: Vec<TextAnswer>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub responses: i64,
    pub questions: Vec<QuestionResult>,
}

/// What a no-JavaScript post of the questionnaire left for the next view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionnaireFlash {
    Saved,
    Rejected { values: AnswerForm, error: AppError },
}

/// Why a reader cannot answer (the form is read-only then).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadOnly {
    /// Not open: before or after the participation window.
    NotOpen,
    /// The participation rule is not met (yet).
    NotParticipant,
    /// Staff looking at a draft or scheduled consultation.
    Preview,
}

/// The questionnaire section of a consultation page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionnairePage {
    pub org: String,
    pub slug: String,
    pub questions: Vec<Question>,
    /// `None`: the reader may answer now.
    pub read_only: Option<ReadOnly>,
    pub rule: crate::participation::Rule,
    /// What the controls show: the reader's saved answers, or the input of a refused post.
    pub values: AnswerForm,
    /// When the reader's response was last saved.
    pub saved_at: Option<i64>,
    pub flash: Option<QuestionnaireFlash>,
    /// Present when the results are public in the consultation's phase.
    pub results: Option<Results>,
}

/// The staff screen of a consultation's questionnaire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionnaireEditor {
    pub org_slug: String,
    pub org_name: String,
    pub slug: String,
    pub title: String,
    pub questions: Vec<Question>,
    /// Responses exist: the questions no longer change.
    pub locked: bool,
    pub results: Results,
    pub results_public: bool,
    /// What a no-JavaScript post of one of the forms left (its `form` value names which).
    pub kept: Option<crate::account::api::FormDraft>,
}

/// The editor's raw input from a kept draft.
pub fn input_from_draft(d: &crate::account::api::FormDraft) -> QuestionInput {
    QuestionInput {
        kind: d.value("kind"),
        prompt: d.value("prompt"),
        help: d.value("help"),
        required: !d.value("required").is_empty(),
        options: d.value("options"),
        min_choices: d.value("min_choices"),
        max_choices: d.value("max_choices"),
        low_label: d.value("low_label"),
        high_label: d.value("high_label"),
        max_chars: d.value("max_chars"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(id: i64, label: &str) -> Choice {
        Choice {
            id,
            label: label.to_string(),
        }
    }

    fn questions() -> Vec<Question> {
        let q = |id, kind, required, options: Vec<Choice>| Question {
            id,
            kind,
            prompt: format!("Frage {id}"),
            help: String::new(),
            required,
            options,
        };
        vec![
            q(
                1,
                QuestionKind::Single,
                true,
                vec![choice(10, "A"), choice(11, "B")],
            ),
            q(
                2,
                QuestionKind::Multiple { min: 1, max: 2 },
                false,
                vec![choice(20, "A"), choice(21, "B"), choice(22, "C")],
            ),
            q(3, QuestionKind::YesNoAbstain, true, vec![]),
            q(
                4,
                QuestionKind::Rating {
                    low: "schlecht".into(),
                    high: "gut".into(),
                },
                false,
                vec![],
            ),
            q(
                5,
                QuestionKind::Ranking,
                false,
                vec![choice(50, "A"), choice(51, "B"), choice(52, "C")],
            ),
            q(6, QuestionKind::FreeText { max_chars: 10 }, false, vec![]),
        ]
    }

    fn form(pairs: &[(&str, &[&str])]) -> AnswerForm {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    fn problems(f: AnswerForm) -> Vec<(i64, Problem)> {
        parse_answers(&questions(), &f)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.question_id, p.problem))
            .collect()
    }

    #[test]
    fn a_complete_answer_set_parses_into_answers() {
        let f = form(&[
            ("q1", &["11"]),
            ("q2", &["22", "20", "22"]),
            ("q3", &["abstain"]),
            ("q4", &["5"]),
            ("q5", &["52:1", "50:2", "51:3"]),
            ("q6", &["  kurz \r\n "]),
        ]);
        let answers = parse_answers(&questions(), &f).unwrap();
        assert_eq!(
            answers,
            vec![
                (1, Answer::Choices(vec![11])),
                (2, Answer::Choices(vec![20, 22])),
                (3, Answer::Vote(Vote::Abstain)),
                (4, Answer::Rating(5)),
                (5, Answer::Ranking(vec![52, 50, 51])),
                (6, Answer::Text("kurz".into())),
            ]
        );
        // And back into the form's values.
        let shown = answers_to_form(&answers);
        assert_eq!(shown["q5"], vec!["52:1", "50:2", "51:3"]);
        assert_eq!(parse_answers(&questions(), &shown).unwrap(), answers);
    }

    #[test]
    fn optional_questions_may_stay_empty_required_ones_not() {
        let answers = parse_answers(
            &questions(),
            &form(&[
                ("q1", &["10"]),
                ("q3", &["no"]),
                ("q5", &["", "", ""]),
                ("q6", &[" "]),
            ]),
        )
        .unwrap();
        assert_eq!(answers.len(), 2);
        assert_eq!(
            problems(form(&[("q4", &["3"])])),
            vec![(1, Problem::Empty), (3, Problem::Empty)]
        );
    }

    #[test]
    fn every_kind_refuses_what_does_not_fit() {
        let base: &[(&str, &[&str])] = &[("q1", &["10"]), ("q3", &["yes"])];
        let with = |extra: (&'static str, &'static [&'static str])| {
            let mut f = form(base);
            f.insert(
                extra.0.to_string(),
                extra.1.iter().map(|s| s.to_string()).collect(),
            );
            problems(f)
        };
        assert_eq!(with(("q1", &["99"])), vec![(1, Problem::UnknownOption)]);
        assert_eq!(
            with(("q1", &["10", "11"])),
            vec![(1, Problem::TooManyChoices { max: 1 })]
        );
        assert_eq!(
            with(("q2", &["20", "21", "22"])),
            vec![(2, Problem::TooManyChoices { max: 2 })]
        );
        assert_eq!(
            with(("q2", &["20", "10"])),
            vec![(2, Problem::UnknownOption)]
        );
        assert_eq!(
            with(("q3", &["vielleicht"])),
            vec![(3, Problem::UnknownOption)]
        );
        let range = Problem::OutOfRange { min: 1, max: 5 };
        assert_eq!(with(("q4", &["0"])), vec![(4, range)]);
        assert_eq!(with(("q4", &["6"])), vec![(4, range)]);
        assert_eq!(with(("q4", &["drei"])), vec![(4, range)]);
        // Rankings: every option once, every rank once.
        assert_eq!(
            with(("q5", &["50:1", "51:2"])),
            vec![(5, Problem::RankingIncomplete)]
        );
        assert_eq!(
            with(("q5", &["50:1", "51:1", "52:3"])),
            vec![(5, Problem::RankingIncomplete)]
        );
        assert_eq!(
            with(("q5", &["50:1", "50:2", "52:3"])),
            vec![(5, Problem::RankingIncomplete)]
        );
        assert_eq!(
            with(("q5", &["50:1", "51:2", "52:4"])),
            vec![(5, Problem::RankingIncomplete)]
        );
        assert_eq!(
            with(("q5", &["50:1", "51:2", "99:3"])),
            vec![(5, Problem::UnknownOption)]
        );
        assert_eq!(
            with(("q6", &["elf Zeichen!"])),
            vec![(
                6,
                Problem::TooLong {
                    max: 10,
                    actual: 12
                }
            )]
        );
        assert_eq!(
            with(("q6", &["a\u{0}b"])),
            vec![(6, Problem::ControlCharacters)]
        );
        // A question of another questionnaire.
        assert_eq!(with(("q77", &["1"])), vec![(77, Problem::UnknownOption)]);
    }

    #[test]
    fn a_minimum_of_choices_counts_once_something_is_chosen() {
        let mut qs = questions();
        qs[1].kind = QuestionKind::Multiple { min: 2, max: 3 };
        let f = form(&[("q1", &["10"]), ("q3", &["yes"]), ("q2", &["21"])]);
        let err = parse_answers(&qs, &f).unwrap_err();
        assert_eq!(err[0].problem, Problem::TooFewChoices { min: 2 });
    }

    #[test]
    fn staff_input_is_parsed_per_kind() {
        let input = |kind: &str| QuestionInput {
            kind: kind.into(),
            prompt: "  Wie  finden Sie das? ".into(),
            options: "Gut\n\n  Schlecht \n".into(),
            low_label: "gar nicht".into(),
            high_label: "sehr".into(),
            ..Default::default()
        };
        let d = input("multiple").parse().unwrap();
        assert_eq!(d.prompt, "Wie finden Sie das?");
        assert_eq!(d.options, vec!["Gut", "Schlecht"]);
        assert_eq!(d.kind, QuestionKind::Multiple { min: 0, max: 2 });
        assert_eq!(
            input("yes_no").parse().unwrap().options,
            Vec::<String>::new()
        );
        assert_eq!(
            input("free_text").parse().unwrap().kind,
            QuestionKind::FreeText {
                max_chars: DEFAULT_FREE_TEXT_CHARS
            }
        );
        let err = |i: QuestionInput| i.parse().unwrap_err();
        assert_eq!(
            err(QuestionInput {
                options: "Nur eine".into(),
                ..input("single")
            }),
            AppError::invalid(Field::Options, Problem::TooFewOptions { min: 2 })
        );
        assert_eq!(
            err(QuestionInput {
                options: "A\na".into(),
                ..input("ranking")
            }),
            AppError::invalid(Field::Options, Problem::DuplicateOption)
        );
        assert_eq!(
            err(QuestionInput {
                min_choices: "2".into(),
                max_choices: "1".into(),
                ..input("multiple")
            }),
            AppError::invalid(Field::MaxChoices, Problem::OutOfRange { min: 2, max: 2 })
        );
        assert_eq!(
            err(QuestionInput {
                high_label: " ".into(),
                ..input("rating")
            }),
            AppError::invalid(Field::HighLabel, Problem::Empty)
        );
        assert_eq!(
            err(QuestionInput {
                prompt: "".into(),
                ..input("rating")
            }),
            AppError::invalid(Field::Prompt, Problem::Empty)
        );
        assert_eq!(
            err(input("essay")),
            AppError::invalid(Field::Kind, Problem::UnknownKind)
        );
        assert_eq!(
            err(QuestionInput {
                max_chars: "99999".into(),
                ..input("free_text")
            }),
            AppError::invalid(Field::MaxChars, Problem::OutOfRange { min: 10, max: 5000 })
        );
    }
}
