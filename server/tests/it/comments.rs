//! The discussion: limited Markdown, threads of any depth, order and paging by address, edits
//! within 15 minutes, deleting one's own, support votes that count once per person however many
//! arrive at once — and the consultation's window and rule enforced on every write. SQLite and
//! PostgreSQL.

use crate::common;
use crate::reports::{exec, scalar};

use common::{TestApp, ALTSTADT};

on_both_backends!(
    comments_get_limited_markdown_and_inert_html,
    deep_threads_continue_on_the_comments_own_page,
    order_and_pages_are_plain_links,
    authors_correct_within_fifteen_minutes,
    authors_delete_and_the_thread_stays,
    one_vote_per_person_under_a_hundred_concurrent_requests,
    a_hundred_people_voting_at_once_all_count,
    votes_follow_the_consultations_rules,
    closed_and_scheduled_consultations_refuse_every_write,
    a_reply_through_the_form_notifies_an_author_who_asked,
);

const JSON: &str = "application/json";
const HTML: &str = "text/html,application/xhtml+xml";

/// Posts a comment as `cookie` (JS) and returns its id.
async fn comment(app: &TestApp, cookie: &str, slug: &str, parent: Option<i64>, text: &str) -> i64 {
    let parent = parent.map(|p| p.to_string()).unwrap_or_default();
    let res = app
        .post_comment_as(Some(cookie), JSON, "musterstadt", slug, &parent, text)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    v["Published"]["id"].as_i64().expect("published comment")
}

async fn vote(app: &TestApp, cookie: &str, slug: &str, id: i64, value: &str) -> common::Page {
    let id = id.to_string();
    app.post_form(
        "/api/vote_comment",
        JSON,
        Some(cookie),
        &[
            ("org", "musterstadt"),
            ("slug", slug),
            ("comment_id", &id),
            ("vote", value),
        ],
    )
    .await
}

const SLUG: &str = "verkehrsberuhigung-altstadt";

async fn comments_get_limited_markdown_and_inert_html(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let text = "Bitte *mehr* **Bänke**:\n\n- am Markt\n- an der Kirche\n\n[Plan](https://example.org/plan) \
                [böse](javascript:alert(1)) <script>alert(2)</script> <img src=x onerror=alert(3)>\n\n# Laut";
    let id = comment(app, &anna, SLUG, None, text).await;
    let page = app.get(ALTSTADT).await;
    assert_eq!(page.status, 200);
    let start = page.body.find(&format!("id=\"comment-{id}\"")).unwrap();
    let html = &page.body[start..start + 3000];
    assert!(html.contains("<em>mehr</em>"), "{html}");
    assert!(html.contains("<strong>Bänke</strong>"), "{html}");
    assert!(html.contains("<li>am Markt</li>"), "{html}");
    assert!(
        html.contains(
            r#"<a href="https://example.org/plan" rel="nofollow ugc noopener noreferrer">Plan</a>"#
        ),
        "{html}"
    );
    assert!(!html.contains("javascript:"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(
        !html.contains("<h1>Laut"),
        "headings are not for comments: {html}"
    );
    assert!(
        html.contains("&lt;script&gt;"),
        "raw HTML shows as text: {html}"
    );
}

async fn deep_threads_continue_on_the_comments_own_page(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let mut parent = None;
    let mut chain = Vec::new();
    for level in 0..7 {
        let id = comment(
            app,
            &anna,
            SLUG,
            parent,
            &format!("Ebene {level} der Kette"),
        )
        .await;
        chain.push(id);
        parent = Some(id);
    }
    let page = app.get(ALTSTADT).await;
    // Levels 0–3 are indented on the page; level 3 continues on its own page.
    for (level, id) in chain.iter().enumerate().take(4) {
        assert!(
            page.body.contains(&format!("id=\"comment-{id}\"")),
            "level {level}"
        );
    }
    assert!(!page.body.contains(&format!("id=\"comment-{}\"", chain[4])));
    let continue_link = format!("{ALTSTADT}/comments/{}", chain[3]);
    assert!(
        page.body.contains(&format!("href=\"{continue_link}\"")),
        "continue link"
    );
    assert!(
        page.body.contains("3 weitere Antworten"),
        "says how many are hidden"
    );

    let own = app.get(&continue_link).await;
    assert_eq!(own.status, 200);
    for id in &chain[3..] {
        assert!(
            own.body.contains(&format!("id=\"comment-{id}\"")),
            "{id} on its page"
        );
    }
    assert!(!own.body.contains(&format!("id=\"comment-{}\"", chain[2])));
    assert!(
        own.body
            .contains(&format!("href=\"{ALTSTADT}/comments/{}\"", chain[2])),
        "links to the comment it answers"
    );
    // Unknown ids, ids of another consultation and garbage are 404.
    assert_eq!(
        app.get(&format!("{ALTSTADT}/comments/999999")).await.status,
        404
    );
    let other = format!("/kreis-beispiel/nahverkehrsplan/comments/{}", chain[0]);
    assert_eq!(app.get(&other).await.status, 404);
    assert_eq!(
        app.get(&format!("{ALTSTADT}/comments/abc")).await.status,
        404
    );
}

async fn order_and_pages_are_plain_links(app: &TestApp) {
    let people = app.participants("leser", 3).await;
    // Two authors: one person may write only 20 comments in ten minutes.
    let authors = app.participants("autor", 2).await;
    let mut ids = Vec::new();
    for i in 0..22 {
        let author = &authors[i % 2].1;
        ids.push(comment(app, author, SLUG, None, &format!("Vorschlag Nummer {i:02}")).await);
    }
    // Make creation times distinct and ordered (all were written within a second).
    for (i, id) in ids.iter().enumerate() {
        let sql = format!(
            "UPDATE comments SET created_at = created_at + {} WHERE id = $1",
            i * 10 + 1000
        );
        exec(app, &sql, *id).await;
    }
    // Vorschlag 05 is supported most, 07 discussed most.
    for (_, cookie) in &people {
        assert_eq!(vote(app, cookie, SLUG, ids[5], "up").await.status, 200);
    }
    for (_, cookie) in people.iter().take(2) {
        comment(app, cookie, SLUG, Some(ids[7]), "Ich stimme zu").await;
    }

    let newest = app.get(ALTSTADT).await.body;
    assert!(
        newest.find("Vorschlag Nummer 21").unwrap() < newest.find("Vorschlag Nummer 20").unwrap()
    );
    assert!(
        !newest.contains("Vorschlag Nummer 01"),
        "page 1 holds 20 threads"
    );
    assert!(
        newest.contains(&format!("href=\"{ALTSTADT}?page=2#comments-heading\"")),
        "pager"
    );

    let page2 = app.get(&format!("{ALTSTADT}?page=2")).await.body;
    assert!(
        page2.contains("Vorschlag Nummer 01"),
        "older threads on page 2"
    );
    assert!(!page2.contains("Vorschlag Nummer 21"));

    let oldest = app.get(&format!("{ALTSTADT}?sort=oldest")).await.body;
    assert!(
        oldest.contains("aria-current=\"true\""),
        "the chosen order is marked"
    );
    let pos = |body: &str, n: usize| body.find(&format!("Vorschlag Nummer {n:02}")).unwrap();
    assert!(pos(&oldest, 0) < pos(&oldest, 1));

    let supported = app.get(&format!("{ALTSTADT}?sort=supported")).await.body;
    assert!(
        pos(&supported, 5) < pos(&supported, 21),
        "most supported first"
    );
    assert!(supported.contains("3 Unterstützungen"));

    let discussed = app.get(&format!("{ALTSTADT}?sort=discussed")).await.body;
    assert!(
        pos(&discussed, 7) < pos(&discussed, 21),
        "most discussed first"
    );

    // A sort key that is not on the list is the default order, not an error (or SQL).
    let odd = app
        .get(&format!(
            "{ALTSTADT}?sort=created_at%3B%20DROP%20TABLE%20comments&page=-3"
        ))
        .await;
    assert_eq!(odd.status, 200);
    assert!(odd.body.contains("Vorschlag Nummer 21"));
    let past_the_end = app.get(&format!("{ALTSTADT}?page=99")).await;
    assert_eq!(past_the_end.status, 200);
}

async fn authors_correct_within_fifteen_minutes(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let id = comment(app, &anna, SLUG, None, "Tempo 30 in der Altstad").await;
    let sid = id.to_string();
    let edit = |cookie: String, accept: &'static str, body: &'static str| {
        let sid = sid.clone();
        async move {
            app.post_form(
                "/api/edit_comment",
                accept,
                Some(&cookie),
                &[
                    ("org", "musterstadt"),
                    ("slug", SLUG),
                    ("comment_id", &sid),
                    ("body", body),
                    ("return_to", ALTSTADT),
                ],
            )
            .await
        }
    };
    let res = edit(anna.clone(), JSON, "Tempo 30 in der *Altstadt*").await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("<em>Altstadt</em>"), "{}", res.body);
    let page = app.get(ALTSTADT).await.body;
    assert!(page.contains("(bearbeitet)"), "marked as edited");

    // Without JavaScript: a refused edit comes back with the text in the edit form.
    let too_long: &'static str = Box::leak("x".repeat(5001).into_boxed_str());
    let res = edit(anna.clone(), HTML, too_long).await;
    assert_eq!(res.status, 302);
    assert!(res
        .header("location")
        .ends_with(&format!("#edit-form-{id}")));
    let back = app.follow(&res, &anna).await;
    assert!(back.body.contains("5001"), "the error names the length");
    assert!(back.body.contains(&"x".repeat(5001)), "text kept");

    // Somebody else's comment: not found (ids are not probed).
    let other = app.participants("fremd", 1).await;
    assert_eq!(edit(other[0].1.clone(), JSON, "Gekapert").await.status, 404);

    // After 15 minutes: refused, and saying why.
    exec(
        app,
        "UPDATE comments SET created_at = created_at - 901 WHERE id = $1",
        id,
    )
    .await;
    let late = edit(anna.clone(), JSON, "Zu spät").await;
    assert_eq!(late.status, 409, "{}", late.body);
    assert!(late.body.contains("edit_window_over"), "{}", late.body);
    let page = app.get(ALTSTADT).await.body;
    assert!(
        !page.contains(&format!("id=\"edit-form-{id}\"")),
        "no edit form any more"
    );
}

async fn authors_delete_and_the_thread_stays(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let other = app.participants("antwort", 1).await;
    let id = comment(app, &anna, SLUG, None, "Das lösche ich gleich wieder").await;
    let reply = comment(app, &other[0].1, SLUG, Some(id), "Eine Antwort, die bleibt").await;
    assert_eq!(vote(app, &other[0].1, SLUG, id, "up").await.status, 200);
    let sid = id.to_string();
    let form = [
        ("org", "musterstadt"),
        ("slug", SLUG),
        ("comment_id", sid.as_str()),
    ];

    // Not yours: 404; not signed in: 401.
    let res = app
        .post_form("/api/delete_comment", JSON, Some(&other[0].1), &form)
        .await;
    assert_eq!(res.status, 404);
    let res = app
        .post_form("/api/delete_comment", JSON, None, &form)
        .await;
    assert_eq!(res.status, 401);

    let res = app
        .post_form("/api/delete_comment", HTML, Some(&anna), &form)
        .await;
    assert_eq!(res.status, 302, "{}", res.body);
    let page = app.follow(&res, &anna).await.body;
    assert!(page.contains("Ihr Beitrag ist gelöscht"), "notice");
    assert!(!page.contains("Das lösche ich gleich wieder"), "text gone");
    assert!(
        page.contains("von der Verfasserin oder dem Verfasser gelöscht"),
        "placeholder"
    );
    assert!(page.contains("Eine Antwort, die bleibt"), "the reply stays");
    assert!(page.contains(&format!("id=\"comment-{reply}\"")));
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM comment_votes WHERE comment_id = $1",
            id
        )
        .await,
        0
    );
    let body = app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT body FROM comments WHERE id = $1"
    )
    .bind(id)
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(body, "", "the text is gone from the database too");
    // Twice: says so.
    let again = app
        .post_form("/api/delete_comment", JSON, Some(&anna), &form)
        .await;
    assert_eq!(again.status, 409);
    // No reply to a deleted comment.
    let parent = id.to_string();
    let res = app
        .post_comment_as(
            Some(&other[0].1),
            JSON,
            "musterstadt",
            SLUG,
            &parent,
            "Noch eine",
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
}

async fn one_vote_per_person_under_a_hundred_concurrent_requests(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let id = comment(app, &anna, SLUG, None, "Bitte unterstützen").await;
    let voter = app.participants("eilig", 1).await.remove(0).1;
    let sid = id.to_string();
    let form = common::owned_form(&[
        ("org", "musterstadt"),
        ("slug", SLUG),
        ("comment_id", &sid),
        ("vote", "up"),
    ]);
    let posts = (0..100).map(|_| (voter.clone(), form.clone())).collect();
    for (status, body) in app.post_all_at_once("/api/vote_comment", posts).await {
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM comment_votes WHERE comment_id = $1",
            id
        )
        .await,
        1
    );
    assert_eq!(
        scalar(app, "SELECT up_votes FROM comments WHERE id = $1", id).await,
        1
    );
    // Withdrawn: none.
    assert_eq!(vote(app, &voter, SLUG, id, "none").await.status, 200);
    assert_eq!(
        scalar(app, "SELECT up_votes FROM comments WHERE id = $1", id).await,
        0
    );
}

async fn a_hundred_people_voting_at_once_all_count(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let id = comment(app, &anna, SLUG, None, "Breite Zustimmung?").await;
    let people = app.participants("menge", 100).await;
    let sid = id.to_string();
    let all = |value: &str| {
        let form = common::owned_form(&[
            ("org", "musterstadt"),
            ("slug", SLUG),
            ("comment_id", &sid),
            ("vote", value),
        ]);
        people
            .iter()
            .map(|(_, cookie)| (cookie.clone(), form.clone()))
            .collect::<Vec<_>>()
    };
    for (status, body) in app.post_all_at_once("/api/vote_comment", all("up")).await {
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM comment_votes WHERE comment_id = $1",
            id
        )
        .await,
        100
    );
    assert_eq!(
        scalar(app, "SELECT up_votes FROM comments WHERE id = $1", id).await,
        100
    );
    let page = app.get(ALTSTADT).await.body;
    assert!(page.contains("100 Unterstützungen"));
    for (status, body) in app.post_all_at_once("/api/vote_comment", all("none")).await {
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(
        scalar(app, "SELECT up_votes FROM comments WHERE id = $1", id).await,
        0
    );
}

async fn votes_follow_the_consultations_rules(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let id = comment(app, &anna, SLUG, None, "Meine eigene Idee").await;
    // Not on one's own comment.
    let own = vote(app, &anna, SLUG, id, "up").await;
    assert_eq!(own.status, 409);
    assert!(own.body.contains("own_comment"));
    let voter = app.participants("abwaegend", 1).await.remove(0).1;
    // Objection only where the consultation allows it.
    let down = vote(app, &voter, SLUG, id, "down").await;
    assert_eq!(down.status, 409);
    assert!(down.body.contains("downvotes_off"));
    let cid = scalar(
        app,
        "SELECT consultation_id FROM comments WHERE id = $1",
        id,
    )
    .await;
    exec(
        app,
        "UPDATE consultations SET downvotes = TRUE WHERE id = $1",
        cid,
    )
    .await;
    assert_eq!(vote(app, &voter, SLUG, id, "up").await.status, 200);
    let res = vote(app, &voter, SLUG, id, "down").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(
        (v["up"].as_i64(), v["down"].as_i64(), v["mine"].as_i64()),
        (Some(0), Some(1), Some(-1))
    );
    // Nonsense values, guests and other consultations' comments.
    assert_eq!(
        vote(app, &voter, SLUG, id, "up; DROP TABLE x").await.status,
        400
    );
    let guest = app
        .post_form(
            "/api/vote_comment",
            JSON,
            None,
            &[
                ("org", "musterstadt"),
                ("slug", SLUG),
                ("comment_id", &id.to_string()),
                ("vote", "up"),
            ],
        )
        .await;
    assert_eq!(guest.status, 403);
    let elsewhere = vote(app, &voter, "spielplatz-lindenpark", id, "up").await;
    assert_eq!(elsewhere.status, 409, "closed consultation first");
    exec(
        app,
        "UPDATE consultations SET downvotes = FALSE WHERE id = $1",
        cid,
    )
    .await;

    // Without JavaScript the vote comes back to the page it was given on, and shows there.
    let sid = id.to_string();
    let back_to = format!("{ALTSTADT}?sort=oldest");
    let res = app
        .post_form(
            "/api/vote_comment",
            HTML,
            Some(&voter),
            &[
                ("org", "musterstadt"),
                ("slug", SLUG),
                ("comment_id", &sid),
                ("vote", "up"),
                ("return_to", &back_to),
            ],
        )
        .await;
    assert_eq!(res.status, 302);
    assert_eq!(res.header("location"), format!("{back_to}#comment-{id}"));
    let page = app.get_with_cookie(&back_to, &voter).await.body;
    assert!(
        page.contains("aria-pressed=\"true\""),
        "the reader's vote shows as pressed"
    );
    // A return address elsewhere is ignored.
    let res = app
        .post_form(
            "/api/vote_comment",
            HTML,
            Some(&voter),
            &[
                ("org", "musterstadt"),
                ("slug", SLUG),
                ("comment_id", &sid),
                ("vote", "none"),
                ("return_to", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(res.header("location"), format!("{ALTSTADT}#comment-{id}"));
}

async fn closed_and_scheduled_consultations_refuse_every_write(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let id = comment(app, &anna, SLUG, None, "Noch schnell geschrieben").await;
    let voter = app.participants("spaet", 1).await.remove(0).1;
    let cid = scalar(
        app,
        "SELECT consultation_id FROM comments WHERE id = $1",
        id,
    )
    .await;
    let sid = id.to_string();
    for (phase, sql) in [
        ("closed", "UPDATE consultations SET status = 'closed' WHERE id = $1"),
        (
            "not yet open",
            "UPDATE consultations SET status = 'open', opens_at = 4102444800, closes_at = NULL WHERE id = $1",
        ),
        (
            "window over",
            "UPDATE consultations SET status = 'open', opens_at = NULL, closes_at = 1000 WHERE id = $1",
        ),
    ] {
        exec(app, sql, cid).await;
        let post = app
            .post_comment_as(Some(&anna), JSON, "musterstadt", SLUG, "", "Posted directly")
            .await;
        // Scheduled consultations are not public yet at all.
        assert!([409, 404].contains(&post.status), "{phase}: {}", post.body);
        let reply = app
            .post_comment_as(Some(&anna), JSON, "musterstadt", SLUG, &sid, "Reply")
            .await;
        assert!([409, 404].contains(&reply.status), "{phase}");
        let v = vote(app, &voter, SLUG, id, "up").await;
        assert!([409, 404].contains(&v.status), "{phase}: {}", v.body);
        let edit = app
            .post_form(
                "/api/edit_comment",
                JSON,
                Some(&anna),
                &[("org", "musterstadt"), ("slug", SLUG), ("comment_id", &sid), ("body", "Edited late")],
            )
            .await;
        assert!([409, 404].contains(&edit.status), "{phase}");
        assert_eq!(scalar(app, "SELECT COUNT(*) FROM comment_votes WHERE comment_id = $1", id).await, 0);
        let page = app.get_with_cookie(ALTSTADT, &anna).await;
        if page.status == 200 {
            assert!(!page.body.contains("id=\"comment-form\""), "{phase}: read-only");
            assert!(!page.body.contains("class=\"vote-form\""), "{phase}: no vote buttons");
        }
    }
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM comments WHERE consultation_id = $1 AND body LIKE 'Posted%'",
            cid
        )
        .await,
        0
    );
}

async fn a_reply_through_the_form_notifies_an_author_who_asked(app: &TestApp) {
    let anna = app.resident_cookie().await;
    let id = comment(app, &anna, SLUG, None, "Wer antwortet mir?").await;
    let replier = app.participants("antwortende", 1).await.remove(0).1;
    comment(
        app,
        &replier,
        SLUG,
        Some(id),
        "Ich, ohne dass du es erfährst",
    )
    .await;
    assert!(app
        .mails_to("anna@example.org")
        .iter()
        .all(|m| !m.decoded.contains("ohne dass")));
    let res = app
        .post_form(
            "/api/set_reply_notifications",
            JSON,
            Some(&anna),
            &[("replies", "immediate")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let reply = comment(app, &replier, SLUG, Some(id), "Jetzt mit Nachricht").await;
    let mails = app.mails_to("anna@example.org");
    let mail = mails
        .iter()
        .find(|m| m.decoded.contains("Jetzt mit Nachricht"))
        .expect("a mail about the reply");
    assert!(
        mail.decoded
            .contains(&format!("{ALTSTADT}/comments/{reply}")),
        "links to the reply"
    );
}
