//! Questionnaires: residents answer once and change their answers while the consultation is
//! open, under its participation rule; staff edit the questions until the first answer and see
//! results added up in SQL — on SQLite and PostgreSQL.

use crate::common;

use app::questionnaire::{repo, Question, QuestionKind};
use common::TestApp;

on_both_backends!(
    a_participant_answers_and_changes_the_answers,
    a_hundred_saves_of_one_participant_leave_one_response,
    a_hundred_participants_leave_a_hundred_responses,
    answers_that_do_not_fit_are_refused_per_question,
    a_refused_answer_without_javascript_keeps_the_input,
    another_consultations_code_does_not_open_this_questionnaire,
    closed_and_not_yet_open_consultations_refuse_answers,
    only_the_organisations_initiators_edit_questions,
    staff_edit_questions_without_javascript,
    questions_are_locked_once_answered,
    results_add_up_exactly_and_are_public_only_when_the_setting_says_so,
    free_text_is_shown_as_inert_text,
);

const JSON: &str = "application/json";
const HTML: &str = "text/html,application/xhtml+xml";
const INITIATOR: &str = "redaktion@musterstadt.example";

/// A consultation of musterstadt with the access-code rule, open unless the window says else.
async fn consultation(app: &TestApp, slug: &str, opens: Option<i64>, closes: Option<i64>) -> i64 {
    let title = "Umfrage zum Stadtpark";
    app.musterstadt_consultation(slug, title, (opens, closes), app::participation::Rule::Code)
        .await
}

async fn set_results(app: &TestApp, id: i64, visibility: &str) {
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE consultations SET results_visibility = $1 WHERE id = $2"
    )
    .bind(visibility)
    .bind(id)
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
}

/// A participant who redeemed an access code of `consultation_id`, with a session: made in the
/// database directly (many of them, quickly); returns the session cookie.
async fn participant(app: &TestApp, consultation_id: i64, name: &str) -> String {
    use app::secret::{random_token, token_hash};
    let user = app::participation::repo::create_participant(&app.db, None, name)
        .await
        .unwrap()
        .expect("free display name");
    let token = random_token();
    let now = app::db::now();
    app::on_db!(&app.db, |pool| {
        sqlx::query(
            "INSERT INTO access_codes (consultation_id, code_hash, user_id, created_at, redeemed_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(consultation_id)
        .bind(token_hash(&random_token()))
        .bind(user)
        .bind(now)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, \
             pending_second_factor) VALUES ($1, $2, $3, $3, $4, FALSE)",
        )
        .bind(token_hash(&token))
        .bind(user)
        .bind(now)
        .bind(now + 3600)
        .execute(pool)
        .await
        .unwrap();
    });
    format!("mitreden_session={token}")
}

/// A question as the staff form sends it (JSON answer); panics unless it was saved.
async fn add_question(app: &TestApp, staff: &str, slug: &str, fields: &[(&str, &str)]) {
    let mut form = vec![("org", "musterstadt"), ("slug", slug), ("question_id", "")];
    form.extend_from_slice(fields);
    let res = app
        .post_form("/api/save_question", JSON, Some(staff), &form)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
}

/// One question of every kind, added through the staff functions; the stored questions.
async fn questionnaire(app: &TestApp, id: i64, slug: &str) -> Vec<Question> {
    let staff = app.staff_cookie(INITIATOR).await;
    for fields in [
        &[
            ("kind", "yes_no"),
            ("prompt", "Ja oder nein?"),
            ("required", "on"),
        ][..],
        &[
            ("kind", "single"),
            ("prompt", "Eine Wahl"),
            ("options", "Rot\nGrün\nBlau"),
        ],
        &[
            ("kind", "multiple"),
            ("prompt", "Mehrere"),
            ("options", "A\nB\nC\nD"),
            ("min_choices", "1"),
            ("max_choices", "2"),
        ],
        &[
            ("kind", "rating"),
            ("prompt", "Wie gut?"),
            ("low_label", "schlecht"),
            ("high_label", "gut"),
        ],
        &[
            ("kind", "ranking"),
            ("prompt", "Reihenfolge"),
            ("options", "Erstens\nZweitens\nDrittens"),
        ],
        &[
            ("kind", "free_text"),
            ("prompt", "Sonst?"),
            ("max_chars", "50"),
        ],
    ] {
        add_question(app, &staff, slug, fields).await;
    }
    let questions = repo::questions(&app.db, id).await.unwrap();
    assert_eq!(questions.len(), 6);
    assert!(questions[0].required && !questions[1].required);
    assert_eq!(questions[2].kind, QuestionKind::Multiple { min: 1, max: 2 });
    questions
}

fn key(q: &Question) -> String {
    format!("answers[q{}][]", q.id)
}

fn opt(q: &Question, i: usize) -> String {
    q.options[i].id.to_string()
}

/// A complete answer set: `vote`, the `single`-th colour, options `multi` of the multiple
/// choice, `rating`, the ranking in option order `rank`, and `text`.
fn answers(
    qs: &[Question],
    vote: &str,
    single: usize,
    multi: &[usize],
    rating: u8,
    rank: [usize; 3],
    text: &str,
) -> Vec<(String, String)> {
    let mut form = vec![
        (key(&qs[0]), vote.to_string()),
        (key(&qs[1]), opt(&qs[1], single)),
        (key(&qs[3]), rating.to_string()),
        (key(&qs[5]), text.to_string()),
    ];
    for m in multi {
        form.push((key(&qs[2]), opt(&qs[2], *m)));
    }
    for (place, option) in rank.iter().enumerate() {
        form.push((
            key(&qs[4]),
            format!("{}:{}", opt(&qs[4], *option), place + 1),
        ));
    }
    form
}

async fn submit(
    app: &TestApp,
    cookie: Option<&str>,
    accept: &str,
    slug: &str,
    form: &[(String, String)],
) -> common::Page {
    let mut fields: Vec<(&str, &str)> = vec![("org", "musterstadt"), ("slug", slug)];
    fields.extend(form.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    app.post_form("/api/submit_questionnaire", accept, cookie, &fields)
        .await
}

async fn count(app: &TestApp, sql: &str, id: i64) -> i64 {
    app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap())
}

async fn responses(app: &TestApp, id: i64) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM questionnaire_responses WHERE consultation_id = $1",
        id,
    )
    .await
}

async fn answer_rows(app: &TestApp, id: i64) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM questionnaire_answers a JOIN questionnaire_responses r \
         ON r.id = a.response_id WHERE r.consultation_id = $1",
        id,
    )
    .await
}

async fn text_rows(app: &TestApp, id: i64) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM questionnaire_texts t JOIN questionnaire_responses r \
         ON r.id = t.response_id WHERE r.consultation_id = $1",
        id,
    )
    .await
}

fn json(page: &common::Page) -> serde_json::Value {
    serde_json::from_str(&page.body).unwrap_or_else(|_| panic!("not JSON: {}", page.body))
}

/// The `(question id, problem code)` pairs of an `invalid_answers` answer.
fn problems(page: &common::Page) -> Vec<(i64, String)> {
    assert_eq!(page.status, 422, "{}", page.body);
    let v = json(page);
    assert_eq!(v["kind"], "invalid_answers", "{}", page.body);
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["question_id"].as_i64().unwrap(),
                p["problem"]["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn a_participant_answers_and_changes_the_answers(app: &TestApp) {
    let id = consultation(app, "park-umfrage", None, None).await;
    let qs = questionnaire(app, id, "park-umfrage").await;
    let me = participant(app, id, "Parkfreundin").await;
    let page = app.get_with_cookie("/musterstadt/park-umfrage", &me).await;
    assert!(
        page.body.contains("id=\"questionnaire-form\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Ja oder nein?"));

    let first = answers(&qs, "yes", 1, &[0, 2], 4, [2, 0, 1], "Mehr Bänke");
    let res = submit(app, Some(&me), JSON, "park-umfrage", &first).await;
    assert_eq!(res.status, 200, "{}", res.body);
    // 1 vote + 1 choice + 2 choices + 1 rating + 3 ranks; the text apart.
    assert_eq!(
        (responses(app, id).await, answer_rows(app, id).await),
        (1, 8)
    );
    assert_eq!(text_rows(app, id).await, 1);
    // The page shows the saved answers.
    let page = app.get_with_cookie("/musterstadt/park-umfrage", &me).await;
    let checked = |dom_id: String| {
        page.body
            .split(&format!("id=\"{dom_id}\""))
            .nth(1)
            .map(|rest| rest.split('>').next().unwrap_or("").contains("checked"))
            .unwrap_or(false)
    };
    assert!(checked(format!("q{}-yes", qs[0].id)));
    assert!(checked(format!("q{}-r4", qs[3].id)));
    assert!(!checked(format!("q{}-r2", qs[3].id)));
    assert!(page.body.contains("Ihre Antworten sind gespeichert"));
    assert!(page.body.contains(">Mehr Bänke</textarea>"));

    // Changed without JavaScript: the same single response, the new answers.
    let second = answers(&qs, "no", 0, &[3], 2, [0, 1, 2], "");
    let res = submit(app, Some(&me), HTML, "park-umfrage", &second).await;
    assert_eq!(res.status, 302, "{}", res.body);
    assert!(res
        .header("location")
        .ends_with("/musterstadt/park-umfrage#questionnaire"));
    let page = app.follow(&res, &me).await;
    assert!(
        page.body.contains("Ihre Antworten wurden gespeichert"),
        "{}",
        page.body
    );
    assert_eq!(
        (responses(app, id).await, answer_rows(app, id).await),
        (1, 7)
    );
    assert_eq!(text_rows(app, id).await, 0);
}

async fn a_hundred_saves_of_one_participant_leave_one_response(app: &TestApp) {
    let id = consultation(app, "park-eile", None, None).await;
    let qs = questionnaire(app, id, "park-eile").await;
    let me = participant(app, id, "Eilige").await;
    let posts = (0..100usize)
        .map(|i| {
            let mut fields = common::owned_form(&[("org", "musterstadt"), ("slug", "park-eile")]);
            fields.extend(answers(
                &qs,
                ["yes", "no", "abstain"][i % 3],
                i % 3,
                &[i % 4],
                (i % 5 + 1) as u8,
                [0, 1, 2],
                &format!("Versuch {i}"),
            ));
            (me.clone(), fields)
        })
        .collect();
    for (status, body) in app
        .post_all_at_once("/api/submit_questionnaire", posts)
        .await
    {
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(responses(app, id).await, 1);
    // Exactly one answer set: vote, single, one of the multiple, rating, three ranks.
    assert_eq!(answer_rows(app, id).await, 7);
    assert_eq!(text_rows(app, id).await, 1);
}

async fn a_hundred_participants_leave_a_hundred_responses(app: &TestApp) {
    let id = consultation(app, "park-viele", None, None).await;
    let qs = questionnaire(app, id, "park-viele").await;
    let mut cookies = Vec::new();
    for i in 0..100 {
        cookies.push(participant(app, id, &format!("Teilnehmerin {i}")).await);
    }
    let posts = cookies
        .into_iter()
        .enumerate()
        .map(|(i, cookie)| {
            let mut fields = common::owned_form(&[("org", "musterstadt"), ("slug", "park-viele")]);
            fields.extend(answers(
                &qs,
                "yes",
                i % 3,
                &[0],
                (i % 5 + 1) as u8,
                [1, 0, 2],
                "",
            ));
            (cookie, fields)
        })
        .collect();
    for (status, body) in app
        .post_all_at_once("/api/submit_questionnaire", posts)
        .await
    {
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(responses(app, id).await, 100);
    assert_eq!(answer_rows(app, id).await, 100 * 7);
    let results = repo::results(&app.db, id, &qs).await.unwrap();
    assert_eq!(results.responses, 100);
    let ratings: Vec<i64> = results.questions[3].rows.iter().map(|r| r.count).collect();
    assert_eq!(ratings, vec![20, 20, 20, 20, 20]);
    assert_eq!(results.questions[3].mean, Some(3.0));
}

async fn answers_that_do_not_fit_are_refused_per_question(app: &TestApp) {
    let id = consultation(app, "park-pruefung", None, None).await;
    let qs = questionnaire(app, id, "park-pruefung").await;
    let me = participant(app, id, "Prüferin").await;
    let post = |form: Vec<(String, String)>| {
        let me = me.clone();
        async move { submit(app, Some(&me), JSON, "park-pruefung", &form).await }
    };
    let valid = answers(&qs, "yes", 0, &[0], 3, [0, 1, 2], "kurz");
    let replace = |k: usize, values: &[&str]| {
        let mut form: Vec<(String, String)> = valid
            .iter()
            .filter(|(key_, _)| *key_ != key(&qs[k]))
            .cloned()
            .collect();
        form.extend(values.iter().map(|v| (key(&qs[k]), v.to_string())));
        form
    };
    // The required question left out, too many choices, a rating of 6, a ranking with a rank
    // twice, an option of another question, a text over its limit — each named with its question.
    let q = |i: usize| qs[i].id;
    assert_eq!(
        problems(&post(replace(0, &[])).await),
        vec![(q(0), "empty".into())]
    );
    let three = [opt(&qs[2], 0), opt(&qs[2], 1), opt(&qs[2], 2)];
    let three: Vec<&str> = three.iter().map(String::as_str).collect();
    assert_eq!(
        problems(&post(replace(2, &three)).await),
        vec![(q(2), "too_many_choices".into())]
    );
    assert_eq!(
        problems(&post(replace(3, &["6"])).await),
        vec![(q(3), "out_of_range".into())]
    );
    let (a, b, c) = (opt(&qs[4], 0), opt(&qs[4], 1), opt(&qs[4], 2));
    let twice = [format!("{a}:1"), format!("{b}:1"), format!("{c}:3")];
    let twice: Vec<&str> = twice.iter().map(String::as_str).collect();
    assert_eq!(
        problems(&post(replace(4, &twice)).await),
        vec![(q(4), "ranking_incomplete".into())]
    );
    let partial = [format!("{a}:1"), format!("{b}:2")];
    let partial: Vec<&str> = partial.iter().map(String::as_str).collect();
    assert_eq!(
        problems(&post(replace(4, &partial)).await),
        vec![(q(4), "ranking_incomplete".into())]
    );
    let foreign = opt(&qs[2], 0);
    assert_eq!(
        problems(&post(replace(1, &[&foreign])).await),
        vec![(q(1), "unknown_option".into())]
    );
    let long = "x".repeat(51);
    assert_eq!(
        problems(&post(replace(5, &[&long])).await),
        vec![(q(5), "too_long".into())]
    );
    // The minimum of the multiple choice counts once something is chosen; several at once.
    let mut form = replace(0, &[]);
    form.retain(|(k, _)| *k != key(&qs[3]));
    form.push((key(&qs[3]), "0".into()));
    assert_eq!(
        problems(&post(form).await),
        vec![(q(0), "empty".into()), (q(3), "out_of_range".into())]
    );
    // Nothing was stored; the valid set is.
    assert_eq!(responses(app, id).await, 0);
    assert_eq!(post(valid.clone()).await.status, 200);
    assert_eq!(responses(app, id).await, 1);
}

async fn a_refused_answer_without_javascript_keeps_the_input(app: &TestApp) {
    let id = consultation(app, "park-ohne-js", None, None).await;
    let qs = questionnaire(app, id, "park-ohne-js").await;
    let me = participant(app, id, "Ohne Skript").await;
    let mut form = answers(&qs, "yes", 2, &[0], 5, [0, 1, 2], "Mein Text bleibt");
    form.retain(|(k, _)| *k != key(&qs[0]));
    let res = submit(app, Some(&me), HTML, "park-ohne-js", &form).await;
    assert_eq!(res.status, 302, "{}", res.body);
    let page = app.follow(&res, &me).await;
    assert!(
        page.body
            .contains("Bitte prüfen Sie die markierten Fragen."),
        "{}",
        page.body
    );
    assert!(page.body.contains("Bitte beantworten Sie diese Frage."));
    assert!(page.body.contains(&format!("id=\"q{}-error\"", qs[0].id)));
    assert!(page.body.contains(">Mein Text bleibt</textarea>"));
    assert!(page.body.contains(&format!("id=\"q{}-r5\"", qs[3].id)));
    assert_eq!(responses(app, id).await, 0);
}

async fn another_consultations_code_does_not_open_this_questionnaire(app: &TestApp) {
    let here = consultation(app, "park-hier", None, None).await;
    let qs = questionnaire(app, here, "park-hier").await;
    let there = consultation(app, "park-dort", None, None).await;
    let stranger = participant(app, there, "Von nebenan").await;
    let form = answers(&qs, "yes", 0, &[0], 3, [0, 1, 2], "");
    let res = submit(app, Some(&stranger), JSON, "park-hier", &form).await;
    assert_eq!(res.status, 403, "{}", res.body);
    assert_eq!(json(&res)["kind"], "not_participant");
    let res = submit(app, None, JSON, "park-hier", &form).await;
    assert_eq!(res.status, 403, "{}", res.body);
    assert_eq!(responses(app, here).await, 0);
    // The page shows the questions read-only, and the way in.
    let page = app
        .get_with_cookie("/musterstadt/park-hier", &stranger)
        .await;
    assert!(!page.body.contains("id=\"questionnaire-form\""));
    assert!(
        page.body.contains("Um den Fragebogen zu beantworten"),
        "{}",
        page.body
    );
}

async fn closed_and_not_yet_open_consultations_refuse_answers(app: &TestApp) {
    let now = app::db::now();
    let id = consultation(app, "park-bald", None, None).await;
    let qs = questionnaire(app, id, "park-bald").await;
    let me = participant(app, id, "Zu früh").await;
    let form = answers(&qs, "yes", 0, &[0], 3, [0, 1, 2], "");
    // Not yet open: not public, so there is nothing to answer.
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE consultations SET opens_at = $1 WHERE id = $2"
    )
    .bind(now + 3600)
    .bind(id)
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    let res = submit(app, Some(&me), JSON, "park-bald", &form).await;
    assert_eq!(res.status, 404, "{}", res.body);
    // Its window over (and later closed by staff): 409, with JavaScript or without.
    app::on_db!(&app.db, |pool| sqlx::query(
        "UPDATE consultations SET opens_at = $1, closes_at = $2 WHERE id = $3"
    )
    .bind(now - 7200)
    .bind(now - 10)
    .bind(id)
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    let res = submit(app, Some(&me), JSON, "park-bald", &form).await;
    assert_eq!(res.status, 409, "{}", res.body);
    app::consultation::repo::set_phase(&app.db, id, app::consultation::Status::Closed, None)
        .await
        .unwrap();
    let res = submit(app, Some(&me), JSON, "park-bald", &form).await;
    assert_eq!(res.status, 409, "{}", res.body);
    let res = submit(app, Some(&me), HTML, "park-bald", &form).await;
    assert_eq!(res.status, 302);
    let page = app.follow(&res, &me).await;
    assert!(
        page.body.contains("Diese Beteiligung ist nicht geöffnet"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("Der Fragebogen kann jetzt nicht beantwortet werden"));
    assert!(!page.body.contains("id=\"questionnaire-form\""));
    assert_eq!(responses(app, id).await, 0);
}

async fn only_the_organisations_initiators_edit_questions(app: &TestApp) {
    consultation(app, "park-rollen", None, None).await;
    let form = [
        ("org", "musterstadt"),
        ("slug", "park-rollen"),
        ("question_id", ""),
        ("kind", "yes_no"),
        ("prompt", "Von wem?"),
    ];
    let resident = app.login_cookie("anna@example.org").await;
    let other_org = app.staff_cookie("moderation@kreis-beispiel.example").await;
    let moderator = app.staff_cookie("moderation@musterstadt.example").await;
    for (who, cookie) in [
        ("anonymous", None),
        ("resident", Some(resident.as_str())),
        ("other organisation", Some(other_org.as_str())),
        ("moderator", Some(moderator.as_str())),
    ] {
        let res = app
            .post_form("/api/save_question", JSON, cookie, &form)
            .await;
        assert!(
            [401, 403].contains(&res.status),
            "{who}: {} {}",
            res.status,
            res.body
        );
        let res = app
            .post_form(
                "/api/questionnaire_editor",
                JSON,
                cookie,
                &[("org", "musterstadt"), ("slug", "park-rollen")],
            )
            .await;
        assert!(
            [401, 403].contains(&res.status),
            "{who}: {} {}",
            res.status,
            res.body
        );
    }
    // Staff of musterstadt do not reach the consultation of another organisation by naming it.
    let initiator = app.staff_cookie(INITIATOR).await;
    let res = app
        .post_form(
            "/api/questionnaire_editor",
            JSON,
            Some(&initiator),
            &[("org", "kreis-beispiel"), ("slug", "nahverkehrsplan")],
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.body);
    let res = app
        .post_form(
            "/api/questionnaire_editor",
            JSON,
            Some(&initiator),
            &[("org", "musterstadt"), ("slug", "nahverkehrsplan")],
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    let res = app
        .post_form("/api/save_question", JSON, Some(&initiator), &form)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    // The page itself.
    let page = app
        .get_with_cookie("/manage/musterstadt/park-rollen/questionnaire", &initiator)
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Von wem?"));
    let page = app
        .get_with_cookie("/manage/musterstadt/park-rollen/questionnaire", &resident)
        .await;
    assert!(!page.body.contains("Von wem?"));
}

async fn staff_edit_questions_without_javascript(app: &TestApp) {
    let id = consultation(app, "park-editor", None, None).await;
    let staff = app.staff_cookie(INITIATOR).await;
    let editor = "/manage/musterstadt/park-editor/questionnaire";
    let base = [
        ("org", "musterstadt"),
        ("slug", "park-editor"),
        ("question_id", ""),
    ];
    let post = |extra: &[(&'static str, &'static str)]| {
        let mut form = base.to_vec();
        form.extend_from_slice(extra);
        let staff = staff.clone();
        async move {
            app.post_form("/api/save_question", HTML, Some(&staff), &form)
                .await
        }
    };
    // One option is not a choice: refused, the input kept next to the error.
    let res = post(&[
        ("kind", "single"),
        ("prompt", "Welche Farbe?"),
        ("options", "Nur Rot"),
    ])
    .await;
    assert_eq!(res.status, 302, "{}", res.body);
    assert_eq!(res.header("location"), format!("{editor}#add-question"));
    let page = app.follow(&res, &staff).await;
    assert!(
        page.body.contains("mindestens 2 Antwortmöglichkeiten"),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"Welche Farbe?\""));
    assert!(page.body.contains(">Nur Rot</textarea>"));
    // Saved.
    let res = post(&[
        ("kind", "single"),
        ("prompt", "Welche Farbe?"),
        ("options", "Rot\nBlau"),
    ])
    .await;
    let page = app.follow(&res, &staff).await;
    assert!(page.body.contains("Gespeichert."), "{}", page.body);
    let res = post(&[
        ("kind", "rating"),
        ("prompt", "Wie schön?"),
        ("low_label", "gar nicht"),
        ("high_label", "sehr"),
    ])
    .await;
    assert_eq!(res.status, 302);
    let qs = repo::questions(&app.db, id).await.unwrap();
    assert_eq!(
        qs.iter().map(|q| q.prompt.as_str()).collect::<Vec<_>>(),
        ["Welche Farbe?", "Wie schön?"]
    );
    // Changed, moved up, deleted.
    let second = qs[1].id.to_string();
    let res = app
        .post_form(
            "/api/save_question",
            HTML,
            Some(&staff),
            &[
                ("org", "musterstadt"),
                ("slug", "park-editor"),
                ("question_id", &second),
                ("kind", "rating"),
                ("prompt", "Wie schön ist der Park?"),
                ("required", "on"),
                ("low_label", "gar nicht"),
                ("high_label", "sehr"),
            ],
        )
        .await;
    assert_eq!(
        res.header("location"),
        format!("{editor}#question-{second}")
    );
    let move_up = [
        ("org", "musterstadt"),
        ("slug", "park-editor"),
        ("question_id", second.as_str()),
        ("direction", "up"),
    ];
    let res = app
        .post_form("/api/move_question", HTML, Some(&staff), &move_up)
        .await;
    assert_eq!(res.status, 302, "{}", res.body);
    let qs = repo::questions(&app.db, id).await.unwrap();
    assert_eq!(qs[0].prompt, "Wie schön ist der Park?");
    assert!(qs[0].required);
    let first = qs[1].id.to_string();
    let res = app
        .post_form(
            "/api/delete_question",
            JSON,
            Some(&staff),
            &[
                ("org", "musterstadt"),
                ("slug", "park-editor"),
                ("question_id", &first),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(repo::questions(&app.db, id).await.unwrap().len(), 1);
    // A question of another consultation is not found here.
    let res = app
        .post_form(
            "/api/delete_question",
            JSON,
            Some(&staff),
            &[
                ("org", "musterstadt"),
                ("slug", "verkehrsberuhigung-altstadt"),
                ("question_id", &second),
            ],
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
}

async fn questions_are_locked_once_answered(app: &TestApp) {
    let id = consultation(app, "park-fest", None, None).await;
    let qs = questionnaire(app, id, "park-fest").await;
    let me = participant(app, id, "Erste Antwort").await;
    let form = answers(&qs, "yes", 0, &[0], 3, [0, 1, 2], "");
    assert_eq!(
        submit(app, Some(&me), JSON, "park-fest", &form)
            .await
            .status,
        200
    );
    let staff = app.staff_cookie(INITIATOR).await;
    let q = qs[1].id.to_string();
    let base = [
        ("org", "musterstadt"),
        ("slug", "park-fest"),
        ("question_id", q.as_str()),
    ];
    let mut edit = base.to_vec();
    edit.extend([
        ("kind", "single"),
        ("prompt", "Umgedeutet"),
        ("options", "X\nY"),
    ]);
    let mut add = edit.clone();
    add[2] = ("question_id", "");
    let mut up = base.to_vec();
    up.push(("direction", "up"));
    for (path, form) in [
        ("/api/save_question", &edit),
        ("/api/save_question", &add),
        ("/api/move_question", &up),
        ("/api/delete_question", &base.to_vec()),
    ] {
        let res = app.post_form(path, JSON, Some(&staff), form).await;
        assert_eq!(res.status, 409, "{path}: {}", res.body);
        assert_eq!(json(&res)["reason"], "questions_locked");
    }
    assert_eq!(repo::questions(&app.db, id).await.unwrap(), qs);
    let page = app
        .get_with_cookie("/manage/musterstadt/park-fest/questionnaire", &staff)
        .await;
    assert!(
        page.body.contains("id=\"questions-locked\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains("id=\"add-question\""));
}

async fn results_add_up_exactly_and_are_public_only_when_the_setting_says_so(app: &TestApp) {
    let id = consultation(app, "park-ergebnis", None, None).await;
    let qs = questionnaire(app, id, "park-ergebnis").await;
    let sets = [
        answers(&qs, "yes", 0, &[0, 1], 5, [0, 1, 2], "Erster Text"),
        answers(&qs, "yes", 1, &[1], 4, [1, 0, 2], "Zweiter Text"),
        answers(&qs, "no", 1, &[1, 3], 1, [2, 1, 0], ""),
    ];
    for (i, form) in sets.iter().enumerate() {
        let me = participant(app, id, &format!("Zählerin {i}")).await;
        assert_eq!(
            submit(app, Some(&me), JSON, "park-ergebnis", form)
                .await
                .status,
            200
        );
    }
    // The optional rating and ranking left out by a fourth.
    let mut partial = answers(&qs, "abstain", 2, &[2], 3, [0, 1, 2], "");
    partial.retain(|(k, _)| *k != key(&qs[3]) && *k != key(&qs[4]));
    let me = participant(app, id, "Zählerin 3").await;
    assert_eq!(
        submit(app, Some(&me), JSON, "park-ergebnis", &partial)
            .await
            .status,
        200
    );

    let staff = app.staff_cookie(INITIATOR).await;
    let res = app
        .post_form(
            "/api/questionnaire_editor",
            JSON,
            Some(&staff),
            &[("org", "musterstadt"), ("slug", "park-ergebnis")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let editor: app::questionnaire::QuestionnaireEditor = serde_json::from_str(&res.body).unwrap();
    let r = &editor.results;
    assert_eq!(r.responses, 4);
    let counts = |i: usize| {
        r.questions[i]
            .rows
            .iter()
            .map(|row| row.count)
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(0), vec![2, 1, 1]); // yes, no, abstain
    assert_eq!(counts(1), vec![1, 2, 1]);
    assert_eq!(counts(2), vec![1, 3, 1, 1]);
    assert_eq!(counts(3), vec![1, 0, 0, 1, 1]);
    assert_eq!(r.questions[3].answered, 3);
    assert_eq!(r.questions[3].mean, Some(10.0 / 3.0));
    // Mean ranks: Erstens 1, 2, 3 → 2; Zweitens 2, 1, 2 → 5/3; Drittens 3, 3, 1 → 7/3.
    let ranks: Vec<Option<f64>> = r.questions[4]
        .rows
        .iter()
        .map(|row| row.mean_rank)
        .collect();
    assert_eq!(ranks, vec![Some(2.0), Some(5.0 / 3.0), Some(7.0 / 3.0)]);
    assert_eq!(r.questions[4].answered, 3);
    // Free texts: newest first.
    let texts: Vec<&str> = r.questions[5]
        .texts
        .iter()
        .map(|t| t.body.as_str())
        .collect();
    assert_eq!(texts.len(), 2);
    assert_eq!(r.questions[5].answered, 2);
    assert!(!editor.results_public);

    // Public only when the setting says so: "published" (the default) while open hides them.
    let page = app.get("/musterstadt/park-ergebnis").await;
    assert!(page.body.contains("Ja oder nein?"));
    assert!(
        !page.body.contains("questionnaire-results"),
        "results leaked"
    );
    assert!(!page.body.contains("Erster Text"));
    set_results(app, id, "closed").await;
    assert!(!app
        .get("/musterstadt/park-ergebnis")
        .await
        .body
        .contains("questionnaire-results"));
    set_results(app, id, "live").await;
    let page = app.get("/musterstadt/park-ergebnis").await;
    assert!(
        page.body.contains("id=\"questionnaire-results\""),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("4 Personen haben den Fragebogen beantwortet."));
    assert!(page.body.contains("Durchschnitt: 3,3 von 5"));
    assert!(page.body.contains("Erster Text") && page.body.contains("Zweiter Text"));
    // After closing, "closed" shows them too.
    set_results(app, id, "closed").await;
    app::consultation::repo::set_phase(&app.db, id, app::consultation::Status::Closed, None)
        .await
        .unwrap();
    assert!(app
        .get("/musterstadt/park-ergebnis")
        .await
        .body
        .contains("id=\"questionnaire-results\""));
}

async fn free_text_is_shown_as_inert_text(app: &TestApp) {
    let id = consultation(app, "park-xss", None, None).await;
    set_results(app, id, "live").await;
    let staff = app.staff_cookie(INITIATOR).await;
    add_question(
        app,
        &staff,
        "park-xss",
        &[
            ("kind", "free_text"),
            ("prompt", "<b>Ihre</b> Meinung"),
            ("help", "<script>alert(2)</script>"),
        ],
    )
    .await;
    let qs = repo::questions(&app.db, id).await.unwrap();
    let payloads = [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
    ];
    for (i, payload) in payloads.iter().enumerate() {
        let me = participant(app, id, &format!("Testerin {i}")).await;
        let form = vec![(key(&qs[0]), payload.to_string())];
        assert_eq!(
            submit(app, Some(&me), JSON, "park-xss", &form).await.status,
            200
        );
        // In the participant's own form.
        let page = app.get_with_cookie("/musterstadt/park-xss", &me).await;
        if payload.contains('<') {
            assert!(
                !page.body.contains(payload),
                "raw payload in the form: {payload}"
            );
        }
    }
    for page in [
        app.get("/musterstadt/park-xss").await,
        app.get_with_cookie("/manage/musterstadt/park-xss/questionnaire", &staff)
            .await,
    ] {
        assert_eq!(page.status, 200);
        for payload in [payloads[0], payloads[1], payloads[3]] {
            assert!(
                !page.body.contains(payload),
                "raw payload in the page: {payload}"
            );
        }
        assert!(
            page.body.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{}",
            page.body
        );
        assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.body.contains("&lt;b&gt;Ihre&lt;/b&gt; Meinung"));
        assert!(!page.body.contains("<script>alert(2)</script>"));
        // Text, never a link.
        assert!(!page.body.contains("href=\"javascript:"));
        assert!(!page.body.contains("href=\"data:"));
        assert!(!page.body.contains("<img src=x"));
    }
}
