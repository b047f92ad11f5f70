//! The staff download `GET /manage/{org}/{slug}/export?kind=…&format=…&sep=…&personal=1`
//! (served by the server crate) and the staff page's figures. Initiators and organisation
//! admins of the consultation's organisation, signed in with two factors; display names only
//! for organisation admins. Each download is written to the audit log before the first byte.

use super::rows::{self, Scope};
use super::run::{self, BodyReceiver, Job};
use super::{Kind, Request, RequestError};
use crate::account::{CurrentUser, Role};
use crate::consultation::repo::ConsultationRecord;
use crate::db::Db;
use crate::error::{AppError, Field, Problem};
use crate::state::AppState;

/// A download on its way.
pub struct Download {
    pub file_name: String,
    pub content_type: &'static str,
    pub body: BodyReceiver,
}

/// The signed-in staff member (from the request's session cookie) allowed to export the
/// consultation, and the consultation.
pub async fn exporter(
    state: &AppState,
    org: &str,
    slug: &str,
    headers: &http::HeaderMap,
) -> Result<(ConsultationRecord, CurrentUser), AppError> {
    let o = crate::organisation::api::organisation(state, org).await?;
    let user_id = crate::account::session::user_id_from_headers(state, headers)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let user = crate::account::repo::current_user(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !(user.has_role(o.id, Role::Initiator) || user.has_role(o.id, Role::OrgAdmin)) {
        return Err(AppError::Forbidden);
    }
    if !user.two_factor {
        return Err(AppError::TwoFactorRequired);
    }
    let c = crate::consultation::repo::find_for_staff(&state.db, org, slug)
        .await?
        .filter(|c| c.organisation_id == o.id)
        .ok_or(AppError::NotFound)?;
    Ok((c, user))
}

/// The request from the download's query string.
pub fn parse_query(query: &str) -> Result<Request, AppError> {
    let mut v = [""; 4];
    for pair in query.trim_start_matches('?').split('&') {
        let (k, val) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match k {
            "kind" => 0,
            "format" => 1,
            "sep" => 2,
            "personal" => 3,
            _ => continue,
        };
        v[slot] = val;
    }
    let sep = match v[2] {
        "%3B" | "%3b" => ";",
        "%2C" | "%2c" => ",",
        other => other,
    };
    Request::parse(v[0], v[1], sep, v[3]).map_err(|e| {
        let field = match e {
            RequestError::Kind => Field::Kind,
            RequestError::Format => Field::Format,
            RequestError::Separator => Field::Separator,
        };
        AppError::invalid(field, Problem::UnknownOption)
    })
}

/// Audits and starts a staff download.
pub async fn download(
    state: &AppState,
    org: &str,
    slug: &str,
    query: &str,
    headers: &http::HeaderMap,
) -> Result<Download, AppError> {
    let (c, user) = exporter(state, org, slug, headers).await?;
    let request = parse_query(query)?;
    if request.personal && !user.has_role(c.organisation_id, Role::OrgAdmin) {
        return Err(AppError::Forbidden);
    }
    let job = job(&state.db, &state.settings.data_dir, &c, request).await?;
    audit(&state.db, &c, Some((user.id, &user.display_name)), &request).await?;
    tracing::info!(
        consultation_id = c.id,
        by = user.id,
        kind = request.kind.as_str(),
        format = request.format.as_str(),
        personal = request.personal,
        "export started"
    );
    Ok(Download {
        file_name: request.file_name(&c.card.org_slug, &c.card.slug),
        content_type: request.format.content_type(),
        body: run::spawn(state.db.clone(), job),
    })
}

/// What the export of `c` needs.
pub async fn job(
    db: &Db,
    data_dir: &std::path::Path,
    c: &ConsultationRecord,
    request: Request,
) -> Result<Job, sqlx::Error> {
    let scope = Scope::of(db, c.id, request.personal).await?;
    let area = crate::consultation::repo::place(db, c.id)
        .await?
        .area
        .map(|a| a.to_geojson())
        .unwrap_or_default();
    Ok(Job {
        scope,
        request,
        area,
        data_dir: data_dir.to_path_buf(),
    })
}

/// The audit entry of an export (`actor` None: the command line).
pub async fn audit(
    db: &Db,
    c: &ConsultationRecord,
    actor: Option<(i64, &str)>,
    request: &Request,
) -> Result<(), sqlx::Error> {
    let what = match request.format.kind_of(request.kind) {
        Some(kind) => kind.as_str(),
        None => "all",
    };
    let reason = format!(
        "export {what} {}{}",
        request.format.as_str(),
        if request.personal {
            ", with display names"
        } else {
            ""
        }
    );
    let entry = crate::audit::Entry::new(
        crate::audit::Action::Exported,
        crate::audit::Object::new(
            crate::audit::ObjectKind::Consultation,
            Some(c.id),
            &c.card.title,
        ),
    )
    .organisation(c.organisation_id)
    .consultation(c.id)
    .reason(&reason);
    let entry = match actor {
        Some((id, name)) => entry.by(id, name),
        None => entry,
    };
    crate::audit::repo::record(db, &entry).await
}

/// Row counts per kind, for the staff page.
pub async fn counts(state: &AppState, consultation_id: i64) -> Result<Vec<(Kind, i64)>, AppError> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        out.push((kind, rows::count(&state.db, consultation_id, kind).await?));
    }
    Ok(out)
}
