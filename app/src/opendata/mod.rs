//! The read-only open-data API under `/api/v1/`: organisations, public consultations, their
//! published contributions and results — never drafts or scheduled consultations, never pending,
//! hidden or deleted contributions, never names, e-mail addresses or account ids. Lists are paged
//! (`?page=`, [`PER_PAGE`] per page). `/api/openapi.json` describes all of it; the description is
//! generated from the types below ([`ApiDoc`]), so it cannot drift from what the API sends.

use serde::Serialize;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::consultation::{ConsultationCard, Status};
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::on_db;
use crate::results::KeyFigures;

/// Items per page of every list.
pub const PER_PAGE: i64 = 50;

/// Where a list page stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paging {
    /// This page (1-based).
    pub page: i64,
    pub per_page: i64,
    /// Items in all pages.
    pub total: i64,
    pub pages: i64,
    /// The address of the next page, when there is one.
    pub next: Option<String>,
}

impl Paging {
    fn new(page: i64, total: i64, path: &str, extra: &str) -> Paging {
        let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
        Paging {
            page,
            per_page: PER_PAGE,
            total,
            pages,
            next: (page < pages).then(|| format!("{path}?{extra}page={}", page + 1)),
        }
    }

    fn offset(page: i64) -> i64 {
        (page - 1) * PER_PAGE
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Organisation {
    pub slug: String,
    pub name: String,
    /// The slug of the organisation above it (a district above its towns), if any.
    pub parent: Option<String>,
    pub website: Option<String>,
    /// Its page on this platform.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationList {
    pub items: Vec<Organisation>,
    pub paging: Paging,
}

/// Where a public consultation stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicStatus {
    Open,
    Closed,
    ResultsPublished,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Consultation {
    pub organisation: String,
    pub organisation_name: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: PublicStatus,
    /// RFC 3339 (UTC).
    pub opens_at: Option<String>,
    /// RFC 3339 (UTC).
    pub closes_at: Option<String>,
    /// Its page on this platform.
    pub url: String,
    /// Its published contributions in this API.
    pub contributions: String,
    /// Its results in this API.
    pub results: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationList {
    pub items: Vec<Consultation>,
    pub paging: Paging,
}

/// A point on the map (WGS 84).
#[derive(Debug, Serialize, ToSchema)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

/// The part of the consultation's text a contribution refers to.
#[derive(Debug, Serialize, ToSchema)]
pub struct Section {
    /// The anchor on the consultation page (`#md-…`).
    pub id: String,
    pub title: String,
}

/// The administration's answer to a contribution.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficialAnswer {
    /// `considered`, `adopted`, `partly_adopted`, `not_adopted` or `not_relevant`.
    pub status: String,
    /// The reason, as sanitised HTML.
    pub reason_html: String,
    /// RFC 3339 (UTC).
    pub answered_at: String,
}

/// A published contribution (comment or reply), without anything about its author.
#[derive(Debug, Serialize, ToSchema)]
pub struct Contribution {
    pub id: i64,
    /// The contribution it replies to.
    pub parent_id: Option<i64>,
    /// The first contribution of its thread (itself for a top-level one).
    pub thread_id: i64,
    pub section: Option<Section>,
    pub pin: Option<Point>,
    /// RFC 3339 (UTC).
    pub created_at: String,
    /// RFC 3339 (UTC), when its author edited it.
    pub edited_at: Option<String>,
    /// The text as sanitised HTML (limited Markdown: emphasis, lists, links).
    pub body_html: String,
    pub supports: i64,
    /// Objections, where the consultation allows them.
    pub objections: i64,
    /// Published replies.
    pub replies: i64,
    pub official_answer: Option<OfficialAnswer>,
    /// Its own page.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContributionList {
    pub items: Vec<Contribution>,
    pub paging: Paging,
}

/// One line of a question's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultLine {
    /// The option, `yes`/`no`/`abstain`, or the rating (`1`…`5`).
    pub answer: String,
    pub count: i64,
    /// Ranking questions: the option's mean rank (1 = first).
    pub mean_rank: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionResult {
    /// 1-based, in the questionnaire's order.
    pub position: i64,
    pub prompt: String,
    /// `single`, `multiple`, `yes_no`, `rating`, `ranking` or `free_text`.
    pub kind: String,
    /// Responses that answered this question.
    pub answered: i64,
    /// Rating questions: the mean rating.
    pub mean: Option<f64>,
    /// The counts. Free-text answers are not part of the open data (only how many there are).
    pub lines: Vec<ResultLine>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionnaireResults {
    pub responses: i64,
    pub questions: Vec<QuestionResult>,
}

/// How many contributions got an official answer of a status.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerCount {
    pub status: String,
    pub contributions: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Results {
    pub consultation: Consultation,
    pub figures: KeyFigures,
    /// `null` while the consultation keeps its questionnaire results private (its results
    /// setting), or when it has no questionnaire.
    pub questionnaire: Option<QuestionnaireResults>,
    pub official_answers: Vec<AnswerCount>,
}

/// What a refused request gets.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    /// `not_found`, `invalid_parameter` or `unavailable`.
    pub error: String,
    /// The parameter at fault.
    pub parameter: Option<String>,
    /// In the request's language (German unless `?lang=en` or Accept-Language says English).
    pub message: String,
}

/// Query parameters of the list endpoints.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The page, from 1 (default 1).
    pub page: Option<i64>,
}

/// Query parameters of the consultation list.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsultationParams {
    /// The page, from 1 (default 1).
    pub page: Option<i64>,
    /// Only this organisation's consultations and those of the organisations below it.
    pub organisation: Option<String>,
    /// `open`, `closed`, `results` or `all` (default).
    pub status: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mitreden open data",
        description = "Read-only access to the public content of this Mitreden instance: organisations, \
                       published consultations, their published contributions and results. No personal data."
    ),
    paths(
        organisations,
        consultations,
        consultation,
        contributions,
        results,
        results_csv
    ),
    components(schemas(ApiError))
)]
pub struct ApiDoc;

/// The OpenAPI 3 description (`/api/openapi.json`).
pub fn openapi_json() -> String {
    ApiDoc::openapi()
        .to_json()
        .unwrap_or_else(|_| "{}".to_string())
}

/// A refusal with its HTTP status.
#[derive(Debug)]
pub struct Refusal {
    pub status: u16,
    pub body: ApiError,
}

impl Refusal {
    fn not_found(lang: Lang) -> Refusal {
        Refusal {
            status: 404,
            body: ApiError {
                error: "not_found".to_string(),
                parameter: None,
                message: match lang {
                    Lang::De => "Nicht gefunden (oder nicht öffentlich).",
                    Lang::En => "Not found (or not public).",
                }
                .to_string(),
            },
        }
    }

    fn invalid(lang: Lang, parameter: &str, de: &str, en: &str) -> Refusal {
        Refusal {
            status: 400,
            body: ApiError {
                error: "invalid_parameter".to_string(),
                parameter: Some(parameter.to_string()),
                message: match lang {
                    Lang::De => de,
                    Lang::En => en,
                }
                .to_string(),
            },
        }
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(err: sqlx::Error) -> Refusal {
        let err = AppError::from(err);
        Refusal {
            status: err.status(),
            body: ApiError {
                error: "unavailable".to_string(),
                parameter: None,
                message: err.message(Lang::De),
            },
        }
    }
}

/// The query string's parameters; unknown ones are ignored (`lang` among them).
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: &str) -> Query {
        Query(
            raw.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (url_decode(k), url_decode(v))
                })
                .collect(),
        )
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// `page`: a whole number from 1 (default 1).
    fn page(&self, lang: Lang) -> Result<i64, Refusal> {
        match self.get("page") {
            None => Ok(1),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=1_000_000).contains(p))
                .ok_or_else(|| {
                    Refusal::invalid(
                        lang,
                        "page",
                        "page muss eine ganze Zahl ab 1 sein.",
                        "page must be a whole number from 1.",
                    )
                }),
        }
    }
}

/// `+` and `%XX` decoded; invalid escapes stay as they are.
fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && s.is_char_boundary(i + 3) => {
                match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn status_of(card: &ConsultationCard) -> PublicStatus {
    match card.status {
        Status::Open => PublicStatus::Open,
        Status::ResultsPublished => PublicStatus::ResultsPublished,
        _ => PublicStatus::Closed,
    }
}

fn consultation_of(card: &ConsultationCard) -> Consultation {
    let api = format!("/api/v1/consultations/{}/{}", card.org_slug, card.slug);
    Consultation {
        organisation: card.org_slug.clone(),
        organisation_name: card.org_name.clone(),
        slug: card.slug.clone(),
        title: card.title.clone(),
        summary: card.summary.clone(),
        status: status_of(card),
        opens_at: card.opens_at.map(crate::consultation::feed::rfc3339),
        closes_at: card.closes_at.map(crate::consultation::feed::rfc3339),
        url: card.path(),
        contributions: format!("{api}/contributions"),
        results: format!("{api}/results"),
    }
}

/// Organisations, by name.
#[utoipa::path(get, path = "/api/v1/organisations", params(PageParams),
    responses((status = 200, body = OrganisationList), (status = 400, body = ApiError)))]
pub async fn organisations(
    db: &Db,
    query: &Query,
    lang: Lang,
) -> Result<OrganisationList, Refusal> {
    let page = query.page(lang)?;
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, (String, String, Option<String>, String)>(
            "SELECT o.slug, o.name, p.slug, o.website_url FROM organisations o \
             LEFT JOIN organisations p ON p.id = o.parent_id ORDER BY o.name, o.id LIMIT $1 OFFSET $2",
        )
        .bind(PER_PAGE)
        .bind(Paging::offset(page))
        .fetch_all(pool)
        .await
    })?;
    let total = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM organisations")
            .fetch_one(pool)
            .await
    })?;
    Ok(OrganisationList {
        items: rows
            .into_iter()
            .map(|(slug, name, parent, website)| Organisation {
                url: format!("/{slug}"),
                slug,
                name,
                parent,
                website: (!website.is_empty()).then_some(website),
            })
            .collect(),
        paging: Paging::new(page, total, "/api/v1/organisations", ""),
    })
}

/// Public consultations (no drafts, none scheduled to open later): open ones first.
#[utoipa::path(get, path = "/api/v1/consultations", params(ConsultationParams),
    responses((status = 200, body = ConsultationList), (status = 400, body = ApiError)))]
pub async fn consultations(
    db: &Db,
    query: &Query,
    lang: Lang,
) -> Result<ConsultationList, Refusal> {
    use crate::consultation::PAGE_SIZE;
    let page = query.page(lang)?;
    let status = query.get("status").unwrap_or("all");
    if !["open", "closed", "results", "all"].contains(&status) {
        return Err(Refusal::invalid(
            lang,
            "status",
            "status muss open, closed, results oder all sein.",
            "status must be open, closed, results or all.",
        ));
    }
    let organisation = query.get("organisation").unwrap_or("").to_string();
    // The site's listing pages by PAGE_SIZE; the API's pages are made from those.
    let offset = Paging::offset(page);
    let skip = (offset % PAGE_SIZE) as usize;
    let mut site_page = offset / PAGE_SIZE + 1;
    let mut cards = Vec::new();
    let mut total = 0;
    while cards.len() < skip + PER_PAGE as usize {
        let filter = crate::consultation::Filter {
            status: status.to_string(),
            org: organisation.clone(),
            page: site_page,
            ..Default::default()
        };
        let (more, count) = crate::consultation::repo::discover(db, &filter).await?;
        total = count;
        let last = (more.len() as i64) < PAGE_SIZE;
        cards.extend(more);
        if last {
            break;
        }
        site_page += 1;
    }
    let mut extra = String::new();
    if !organisation.is_empty() {
        extra.push_str(&format!(
            "organisation={}&",
            crate::account::api::encode_query(&organisation)
        ));
    }
    if status != "all" {
        extra.push_str(&format!("status={status}&"));
    }
    Ok(ConsultationList {
        items: cards
            .iter()
            .skip(skip)
            .take(PER_PAGE as usize)
            .map(consultation_of)
            .collect(),
        paging: Paging::new(page, total, "/api/v1/consultations", &extra),
    })
}

async fn public(
    db: &Db,
    org: &str,
    slug: &str,
    lang: Lang,
) -> Result<crate::consultation::repo::ConsultationRecord, Refusal> {
    crate::consultation::repo::find_public(db, org, slug)
        .await?
        .ok_or_else(|| Refusal::not_found(lang))
}

/// One public consultation.
#[utoipa::path(get, path = "/api/v1/consultations/{organisation}/{slug}",
    params(("organisation" = String, Path), ("slug" = String, Path)),
    responses((status = 200, body = Consultation), (status = 404, body = ApiError)))]
pub async fn consultation(
    db: &Db,
    org: &str,
    slug: &str,
    lang: Lang,
) -> Result<Consultation, Refusal> {
    Ok(consultation_of(&public(db, org, slug, lang).await?.card))
}

#[derive(sqlx::FromRow)]
struct ContributionRow {
    id: i64,
    parent_id: Option<i64>,
    thread_id: i64,
    section_id: String,
    section_title: String,
    pin_lat: Option<f64>,
    pin_lon: Option<f64>,
    created_at: i64,
    edited_at: Option<i64>,
    body: String,
    body_html: String,
    up_votes: i64,
    down_votes: i64,
    replies: i64,
    answer_status: Option<String>,
    answer_reason: Option<String>,
    answered_at: Option<i64>,
}

/// Published, not deleted: what the public sees of contributions.
const VISIBLE: &str = "status = 'published' AND deleted_at IS NULL";

/// The consultation's published contributions, oldest first. Contributions awaiting review,
/// hidden or deleted ones are neither listed nor counted.
#[utoipa::path(get, path = "/api/v1/consultations/{organisation}/{slug}/contributions",
    params(("organisation" = String, Path), ("slug" = String, Path), PageParams),
    responses((status = 200, body = ContributionList), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn contributions(
    db: &Db,
    org: &str,
    slug: &str,
    query: &Query,
    lang: Lang,
) -> Result<ContributionList, Refusal> {
    let page = query.page(lang)?;
    let c = public(db, org, slug, lang).await?;
    let sql = format!(
        "SELECT c.id, c.parent_id, COALESCE(c.root_id, c.id) AS thread_id, c.section_id, \
         c.section_title, c.pin_lat, c.pin_lon, c.created_at, c.edited_at, c.body, c.body_html, \
         CAST(c.up_votes AS BIGINT) AS up_votes, CAST(c.down_votes AS BIGINT) AS down_votes, \
         (SELECT COUNT(*) FROM comments r WHERE r.parent_id = c.id AND r.{VISIBLE}) AS replies, \
         a.status AS answer_status, a.reason_html AS answer_reason, a.updated_at AS answered_at \
         FROM comments c \
         LEFT JOIN official_answer_comments ac ON ac.comment_id = c.id \
         LEFT JOIN official_answers a ON a.id = ac.answer_id \
         WHERE c.consultation_id = $1 AND c.{VISIBLE} ORDER BY c.id LIMIT $2 OFFSET $3"
    );
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, ContributionRow>(&sql)
            .bind(c.id)
            .bind(PER_PAGE)
            .bind(Paging::offset(page))
            .fetch_all(pool)
            .await
    })?;
    let count_sql =
        format!("SELECT COUNT(*) FROM comments WHERE consultation_id = $1 AND {VISIBLE}");
    let total = on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(&count_sql)
            .bind(c.id)
            .fetch_one(pool)
            .await
    })?;
    let path = c.card.path();
    let rfc3339 = crate::consultation::feed::rfc3339;
    let items = rows
        .into_iter()
        .map(|r| Contribution {
            id: r.id,
            parent_id: r.parent_id,
            thread_id: r.thread_id,
            section: (!r.section_id.is_empty()).then_some(Section {
                id: r.section_id,
                title: r.section_title,
            }),
            pin: r
                .pin_lat
                .zip(r.pin_lon)
                .map(|(lat, lon)| Point { lat, lon }),
            created_at: rfc3339(r.created_at),
            edited_at: r.edited_at.map(rfc3339),
            body_html: crate::comment::repo::stored_html(&r.body, r.body_html),
            supports: r.up_votes,
            objections: r.down_votes,
            replies: r.replies,
            official_answer: r.answer_status.map(|status| OfficialAnswer {
                status,
                reason_html: r.answer_reason.unwrap_or_default(),
                answered_at: rfc3339(r.answered_at.unwrap_or(0)),
            }),
            url: crate::comment::permalink(&path, r.id),
        })
        .collect();
    Ok(ContributionList {
        items,
        paging: Paging::new(
            page,
            total,
            &format!("/api/v1/consultations/{org}/{slug}/contributions"),
            "",
        ),
    })
}

/// The consultation's key figures, its questionnaire results (once its results setting makes
/// them public) and how many contributions got which official answer.
#[utoipa::path(get, path = "/api/v1/consultations/{organisation}/{slug}/results",
    params(("organisation" = String, Path), ("slug" = String, Path)),
    responses((status = 200, body = Results), (status = 404, body = ApiError)))]
pub async fn results(db: &Db, org: &str, slug: &str, lang: Lang) -> Result<Results, Refusal> {
    use crate::questionnaire::RowLabel;
    let c = public(db, org, slug, lang).await?;
    let figures = crate::results::repo::figures(db, c.id).await?;
    let questions = if c.results_visibility.is_public_in(c.card.status) {
        crate::questionnaire::repo::questions(db, c.id).await?
    } else {
        Vec::new()
    };
    let questionnaire = if questions.is_empty() {
        None
    } else {
        let r = crate::questionnaire::repo::results(db, c.id, &questions).await?;
        Some(QuestionnaireResults {
            responses: r.responses,
            questions: r
                .questions
                .into_iter()
                .zip(1..)
                .map(|(q, position)| QuestionResult {
                    position,
                    kind: q.question.kind.name().to_string(),
                    prompt: q.question.prompt,
                    answered: q.answered,
                    mean: q.mean,
                    lines: q
                        .rows
                        .into_iter()
                        .map(|row| ResultLine {
                            answer: match row.label {
                                RowLabel::Option(s) => s,
                                RowLabel::Vote(v) => v.as_str().to_string(),
                                RowLabel::Rating(n) => n.to_string(),
                            },
                            count: row.count,
                            mean_rank: row.mean_rank,
                        })
                        .collect(),
                })
                .collect(),
        })
    };
    let answers = crate::answer::api::public_answers_of(db, &c).await?;
    Ok(Results {
        consultation: consultation_of(&c.card),
        figures,
        questionnaire,
        official_answers: answers
            .groups
            .into_iter()
            .map(|(status, contributions, _)| AnswerCount {
                status: status.as_str().to_string(),
                contributions,
            })
            .collect(),
    })
}

/// The questionnaire results as CSV (UTF-8 with BOM, comma-separated, one line per answer of
/// each question): `question,prompt,kind,answered,answer,count,share_percent,mean_rank`.
#[utoipa::path(get, path = "/api/v1/consultations/{organisation}/{slug}/results.csv",
    params(("organisation" = String, Path), ("slug" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = ApiError)))]
pub async fn results_csv(
    db: &Db,
    org: &str,
    slug: &str,
    lang: Lang,
) -> Result<(String, String), Refusal> {
    use crate::export::encode::csv_cell;
    let r = results(db, org, slug, lang).await?;
    let mut out = String::from(
        "\u{feff}question,prompt,kind,answered,answer,count,share_percent,mean_rank\r\n",
    );
    for q in r.questionnaire.map(|q| q.questions).unwrap_or_default() {
        for line in &q.lines {
            let share = if q.answered > 0 {
                format!("{:.1}", line.count as f64 * 100.0 / q.answered as f64)
            } else {
                String::new()
            };
            let cells = [
                q.position.to_string(),
                csv_cell(&q.prompt),
                q.kind.clone(),
                q.answered.to_string(),
                csv_cell(&line.answer),
                line.count.to_string(),
                share,
                line.mean_rank
                    .map(|m| format!("{m:.2}"))
                    .unwrap_or_default(),
            ];
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
    }
    Ok((format!("{org}-{slug}-ergebnisse.csv"), out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_decoded() {
        let q = Query::parse("organisation=kreis%2Dbeispiel&status=open&x=a+b&bad=%zz&end=%4");
        assert_eq!(q.get("organisation"), Some("kreis-beispiel"));
        assert_eq!(q.get("status"), Some("open"));
        assert_eq!(q.get("x"), Some("a b"));
        assert_eq!(q.get("bad"), Some("%zz"));
        assert_eq!(q.get("end"), Some("%4"));
        assert_eq!(q.get("missing"), None);
    }

    #[test]
    fn pages_must_be_whole_numbers_from_one() {
        assert_eq!(Query::parse("").page(Lang::De).unwrap(), 1);
        assert_eq!(Query::parse("page=3").page(Lang::De).unwrap(), 3);
        for bad in [
            "page=0",
            "page=-1",
            "page=abc",
            "page=1.5",
            "page=99999999999",
        ] {
            let err = Query::parse(bad).page(Lang::En).unwrap_err();
            assert_eq!(err.status, 400, "{bad}");
            assert_eq!(err.body.parameter.as_deref(), Some("page"));
        }
    }

    #[test]
    fn the_next_page_keeps_the_filters() {
        let p = Paging::new(1, 120, "/api/v1/consultations", "status=open&");
        assert_eq!(p.pages, 3);
        assert_eq!(
            p.next.as_deref(),
            Some("/api/v1/consultations?status=open&page=2")
        );
        assert_eq!(Paging::new(3, 120, "/x", "").next, None);
        assert_eq!(Paging::new(1, 0, "/x", "").pages, 1);
    }

    #[test]
    fn the_description_names_every_path_and_type() {
        let doc: serde_json::Value = serde_json::from_str(&openapi_json()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in [
            "/api/v1/organisations",
            "/api/v1/consultations",
            "/api/v1/consultations/{organisation}/{slug}",
            "/api/v1/consultations/{organisation}/{slug}/contributions",
            "/api/v1/consultations/{organisation}/{slug}/results",
            "/api/v1/consultations/{organisation}/{slug}/results.csv",
        ] {
            assert!(doc["paths"][path]["get"].is_object(), "{path}");
        }
        let contribution = &doc["components"]["schemas"]["Contribution"]["properties"];
        assert!(contribution["body_html"].is_object());
        assert!(contribution.get("author_name").is_none());
    }
}
