//! A consultation's picture (with its required alternative text) and its documents (PDFs and
//! images): uploaded by initiators of its organisation as plain multipart form posts (with or
//! without JavaScript), recognised by content, stored under random names, listed on its page.

use leptos::prelude::*;

use crate::account::api::FormOutcome;
use crate::error::AppError;

/// What an upload is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Image,
    Attachment,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Image => "image",
            Purpose::Attachment => "attachment",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        match s {
            "image" => Some(Purpose::Image),
            "attachment" => Some(Purpose::Attachment),
            _ => None,
        }
    }

    /// The folder (and URL prefix) its files live in.
    pub fn kind(self) -> &'static str {
        match self {
            Purpose::Image => "images",
            Purpose::Attachment => "attachments",
        }
    }
}

/// A consultation's picture: at most this many bytes.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// A consultation's document: at most this many bytes.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// Documents per consultation.
pub const MAX_ATTACHMENTS: usize = 20;

/// The most alternative text a picture may have (characters).
pub const MAX_ALT_CHARS: usize = 300;

/// The flash scope of the editor's file forms of one consultation.
pub fn files_scope(org: &str, slug: &str) -> String {
    format!("files:{org}/{slug}")
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::super::FileView;
    use super::Purpose;
    use crate::db::{now, Db};
    use crate::on_db;

    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        purpose: String,
        stored_name: String,
        original_name: String,
        mime: String,
        size_bytes: i64,
        alt_text: String,
    }

    impl Row {
        fn view(self) -> (Purpose, FileView) {
            let purpose = Purpose::parse(&self.purpose).unwrap_or(Purpose::Attachment);
            (
                purpose,
                FileView {
                    id: self.id,
                    url: format!("/media/{}/{}", purpose.kind(), self.stored_name),
                    name: self.original_name,
                    mime: self.mime,
                    size_bytes: self.size_bytes,
                    alt: self.alt_text,
                },
            )
        }
    }

    /// The picture and the documents (in upload order) of a consultation.
    pub async fn list(
        db: &Db,
        consultation_id: i64,
    ) -> Result<(Option<FileView>, Vec<FileView>), sqlx::Error> {
        let rows = on_db!(db, |pool| sqlx::query_as::<_, Row>(
            "SELECT id, purpose, stored_name, original_name, mime, size_bytes, alt_text \
             FROM consultation_files WHERE consultation_id = $1 ORDER BY id"
        )
        .bind(consultation_id)
        .fetch_all(pool)
        .await)?;
        let mut image = None;
        let mut attachments = Vec::new();
        for row in rows {
            match row.view() {
                (Purpose::Image, view) => image = Some(view),
                (Purpose::Attachment, view) => attachments.push(view),
            }
        }
        Ok((image, attachments))
    }

    pub async fn count_attachments(db: &Db, consultation_id: i64) -> Result<i64, sqlx::Error> {
        on_db!(db, |pool| {
            sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM consultation_files WHERE consultation_id = $1 AND purpose = 'attachment'"
        )
        .bind(consultation_id)
        .fetch_one(pool)
        .await
        })
    }

    pub struct NewFile<'a> {
        pub consultation_id: i64,
        pub purpose: Purpose,
        pub stored_name: &'a str,
        pub original_name: &'a str,
        pub mime: &'a str,
        pub size_bytes: i64,
        pub alt_text: &'a str,
    }

    /// Records a stored file. A new picture replaces the old one in the same transaction; the
    /// stored name of the replaced one is answered (its bytes are then removed).
    pub async fn insert(db: &Db, f: &NewFile<'_>) -> Result<Option<String>, sqlx::Error> {
        on_db!(db, |pool| {
            let mut tx = pool.begin().await?;
            let mut replaced = None;
            if f.purpose == Purpose::Image {
                replaced = sqlx::query_scalar::<_, String>(
                    "DELETE FROM consultation_files WHERE consultation_id = $1 AND purpose = 'image' \
                     RETURNING stored_name",
                )
                .bind(f.consultation_id)
                .fetch_optional(&mut *tx)
                .await?;
            }
            sqlx::query(
                "INSERT INTO consultation_files (consultation_id, purpose, stored_name, original_name, \
                 mime, size_bytes, alt_text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(f.consultation_id)
            .bind(f.purpose.as_str())
            .bind(f.stored_name)
            .bind(f.original_name)
            .bind(f.mime)
            .bind(f.size_bytes)
            .bind(f.alt_text)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(replaced)
        })
    }

    /// Changes the picture's alternative text; `false` when there is no picture.
    pub async fn set_alt_text(
        db: &Db,
        consultation_id: i64,
        alt: &str,
    ) -> Result<bool, sqlx::Error> {
        on_db!(db, |pool| {
            sqlx::query(
            "UPDATE consultation_files SET alt_text = $1 WHERE consultation_id = $2 AND purpose = 'image'"
        )
        .bind(alt)
        .bind(consultation_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() > 0)
        })
    }

    /// Removes one file of a consultation (only of that one): its purpose and stored name.
    pub async fn delete(
        db: &Db,
        consultation_id: i64,
        file_id: i64,
    ) -> Result<Option<(Purpose, String)>, sqlx::Error> {
        let row = on_db!(db, |pool| sqlx::query_as::<_, (String, String)>(
            "DELETE FROM consultation_files WHERE id = $1 AND consultation_id = $2 \
             RETURNING purpose, stored_name"
        )
        .bind(file_id)
        .bind(consultation_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.and_then(|(p, name)| Purpose::parse(&p).map(|p| (p, name))))
    }

    /// Who may see a stored file: its consultation's organisation, whether the consultation is
    /// public now, and the name to offer on download.
    pub struct Served {
        pub organisation_id: i64,
        pub public: bool,
        pub original_name: String,
    }

    pub async fn find_served(
        db: &Db,
        purpose: Purpose,
        stored_name: &str,
    ) -> Result<Option<Served>, sqlx::Error> {
        let sql = format!(
            "SELECT c.organisation_id, ({}) AS public, f.original_name FROM consultation_files f \
             JOIN consultations c ON c.id = f.consultation_id \
             WHERE f.stored_name = $1 AND f.purpose = $2",
            super::super::repo::public_at(3)
        );
        let row = on_db!(db, |pool| sqlx::query_as::<_, (i64, bool, String)>(&sql)
            .bind(stored_name)
            .bind(purpose.as_str())
            .bind(now())
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|(organisation_id, public, original_name)| Served {
            organisation_id,
            public,
            original_name,
        }))
    }
}

#[cfg(feature = "ssr")]
mod upload {
    use crate::error::{AppError, Field, Problem};

    /// What a multipart upload form sent.
    #[derive(Default)]
    pub struct Form {
        pub org: String,
        pub slug: String,
        pub purpose: String,
        pub alt: String,
        pub file_name: Option<String>,
        pub bytes: Vec<u8>,
        /// More bytes came than any file may have (reading stopped there).
        pub over: bool,
    }

    pub async fn read(
        data: leptos::server_fn::codec::MultipartData,
        max_bytes: usize,
    ) -> Result<Form, AppError> {
        let mut multipart = data.into_inner().ok_or(AppError::Transport)?;
        let mut form = Form::default();
        while let Ok(Some(mut field)) = multipart.next_field().await {
            let text = |f: &mut String, v: String| *f = v;
            match field.name().unwrap_or_default() {
                "org" => text(&mut form.org, field.text().await.unwrap_or_default()),
                "slug" => text(&mut form.slug, field.text().await.unwrap_or_default()),
                "purpose" => text(&mut form.purpose, field.text().await.unwrap_or_default()),
                "alt" => text(&mut form.alt, field.text().await.unwrap_or_default()),
                "file" => {
                    // Browsers send `"`, CR and LF in file names as %22, %0D, %0A (HTML's
                    // multipart/form-data rules); undone here, so the checks see the real name.
                    form.file_name = field.file_name().map(|n| {
                        n.replace("%22", "\"")
                            .replace("%0D", "\r")
                            .replace("%0A", "\n")
                    });
                    while let Ok(Some(chunk)) = field.chunk().await {
                        // Stop keeping bytes at the first one too many.
                        if form.bytes.len() + chunk.len() > max_bytes {
                            form.over = true;
                            break;
                        }
                        form.bytes.extend_from_slice(&chunk);
                    }
                }
                _ => {}
            }
        }
        Ok(form)
    }

    /// The file's checks, in the order a person can fix them: there is one, it is not too big,
    /// its name is harmless, its content is of a kind we take.
    pub fn check(
        field: Field,
        form: &Form,
        max_bytes: usize,
        sniff: fn(&[u8]) -> Option<(&'static str, &'static str)>,
        unsupported: Problem,
    ) -> Result<(String, &'static str, &'static str), AppError> {
        if form.bytes.is_empty() && !form.over {
            return Err(AppError::invalid(field, Problem::Empty));
        }
        if form.over || form.bytes.len() > max_bytes {
            return Err(AppError::invalid(
                field,
                Problem::FileTooLarge {
                    max_kib: max_bytes / 1024,
                },
            ));
        }
        let name = crate::files::parse_original_name(form.file_name.as_deref().unwrap_or(""))
            .ok_or(AppError::invalid(field, Problem::BadFileName))?;
        let (ext, mime) = sniff(&form.bytes).ok_or(AppError::invalid(field, unsupported))?;
        Ok((name, ext, mime))
    }
}

/// Uploads a consultation's picture (with its alternative text; without a file only the text
/// changes) or one of its documents. Initiators of its organisation only; answered with a
/// redirect back to the editor, where the outcome is shown.
#[server(prefix = "/api", endpoint = "upload_consultation_file", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_consultation_file(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<FormOutcome, AppError> {
    use crate::error::{Field, Problem};

    let state = crate::state::app_state()?;
    let form = upload::read(data, MAX_ATTACHMENT_BYTES).await?;
    let (org, slug) = (form.org.clone(), form.slug.clone());
    let outcome = async {
        let (c, user) = crate::participation::api::for_initiator(&state, &org, &slug).await?;
        let purpose = Purpose::parse(&form.purpose)
            .ok_or(AppError::invalid(Field::Attachment, Problem::UnknownRule))?;
        let (field, max, sniff, unsupported) = match purpose {
            Purpose::Image => (
                Field::Image,
                MAX_IMAGE_BYTES,
                crate::files::sniff_image as fn(&[u8]) -> _,
                Problem::UnsupportedImage,
            ),
            Purpose::Attachment => (
                Field::Attachment,
                MAX_ATTACHMENT_BYTES,
                crate::files::sniff_document as fn(&[u8]) -> _,
                Problem::UnsupportedDocument,
            ),
        };
        let alt = if purpose == Purpose::Image {
            let alt = crate::input::line(Field::AltText, &form.alt, MAX_ALT_CHARS)?;
            if form.bytes.is_empty() && !form.over {
                // Only the text changes.
                return if repo::set_alt_text(&state.db, c.id, &alt).await? {
                    Ok(FormOutcome { redirect_to: None })
                } else {
                    Err(AppError::invalid(Field::Image, Problem::Empty))
                };
            }
            alt
        } else {
            String::new()
        };
        let (name, ext, mime) = upload::check(field, &form, max, sniff, unsupported)?;
        if purpose == Purpose::Attachment
            && repo::count_attachments(&state.db, c.id).await? >= MAX_ATTACHMENTS as i64
        {
            return Err(AppError::invalid(
                field,
                Problem::TooManyFiles {
                    max: MAX_ATTACHMENTS,
                },
            ));
        }
        let data_dir = &state.settings.data_dir;
        let stored = crate::files::store(data_dir, purpose.kind(), ext, &form.bytes)
            .await
            .map_err(|err| {
                tracing::error!(error = %err, "cannot store an uploaded file");
                AppError::Internal
            })?;
        let new = repo::NewFile {
            consultation_id: c.id,
            purpose,
            stored_name: &stored,
            original_name: &name,
            mime,
            size_bytes: form.bytes.len() as i64,
            alt_text: &alt,
        };
        match repo::insert(&state.db, &new).await {
            Ok(Some(replaced)) => crate::files::remove(data_dir, purpose.kind(), &replaced).await,
            Ok(None) => {}
            Err(err) => {
                crate::files::remove(data_dir, purpose.kind(), &stored).await;
                return Err(err.into());
            }
        }
        let entry = crate::audit::Entry::new(
            crate::audit::Action::FileAdded,
            crate::audit::Object::new(crate::audit::ObjectKind::File, None, &name),
        )
        .by(user.id, &user.display_name)
        .organisation(c.organisation_id)
        .consultation(c.id)
        .reason(purpose.as_str());
        crate::audit::repo::record(&state.db, &entry).await?;
        tracing::info!(
            consultation_id = c.id,
            by = user.id,
            purpose = purpose.as_str(),
            bytes = form.bytes.len(),
            "consultation file stored"
        );
        Ok(FormOutcome { redirect_to: None })
    }
    .await;
    let form_name = if form.purpose == "image" {
        "image"
    } else {
        "attachment"
    };
    answer_files(
        &state,
        &org,
        &slug,
        outcome,
        &[("form", form_name), ("alt", &form.alt)],
    )
    .await
}

/// Removes the picture or a document of a consultation (initiators of its organisation).
#[server(prefix = "/api", endpoint = "remove_consultation_file")]
pub async fn remove_consultation_file(
    org: String,
    slug: String,
    file_id: String,
) -> Result<FormOutcome, AppError> {
    let state = crate::state::app_state()?;
    let outcome = async {
        let (c, user) = crate::participation::api::for_initiator(&state, &org, &slug).await?;
        let id: i64 = file_id.trim().parse().map_err(|_| AppError::NotFound)?;
        // The file's name for the audit log, before it is gone.
        let (image, attachments) = repo::list(&state.db, c.id).await?;
        let name = image
            .into_iter()
            .chain(attachments)
            .find(|f| f.id == id)
            .map(|f| f.name)
            .unwrap_or_default();
        let (purpose, stored) = repo::delete(&state.db, c.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let entry = crate::audit::Entry::new(
            crate::audit::Action::FileRemoved,
            crate::audit::Object::new(crate::audit::ObjectKind::File, Some(id), name),
        )
        .by(user.id, &user.display_name)
        .organisation(c.organisation_id)
        .consultation(c.id)
        .reason(purpose.as_str());
        crate::audit::repo::record(&state.db, &entry).await?;
        crate::files::remove(&state.settings.data_dir, purpose.kind(), &stored).await;
        tracing::info!(
            consultation_id = c.id,
            by = user.id,
            file_id = id,
            "consultation file removed"
        );
        Ok(FormOutcome { redirect_to: None })
    }
    .await;
    answer_files(&state, &org, &slug, outcome, &[("form", "remove")]).await
}

/// Back to the editor's file section, with the outcome kept for it.
#[cfg(feature = "ssr")]
async fn answer_files(
    state: &crate::state::AppState,
    org: &str,
    slug: &str,
    outcome: Result<FormOutcome, AppError>,
    values: &[(&str, &str)],
) -> Result<FormOutcome, AppError> {
    use crate::account::api::encode_query;
    let back = format!(
        "/manage/{}/{}/edit#files",
        encode_query(org),
        encode_query(slug)
    );
    crate::account::api::answer_in(state, &files_scope(org, slug), outcome, values, None, &back)
        .await
}

/// Whether a stored picture or document may go to this request, and the name to offer: files of
/// public consultations go to everyone, those of drafts and scheduled ones only to the staff of
/// their organisation (signed in with a second factor); for everyone else they do not exist.
#[cfg(feature = "ssr")]
pub async fn servable(
    state: &crate::state::AppState,
    kind: &str,
    stored_name: &str,
    headers: &http::HeaderMap,
) -> Result<Option<String>, AppError> {
    let Some(purpose) = [Purpose::Image, Purpose::Attachment]
        .into_iter()
        .find(|p| p.kind() == kind)
    else {
        return Ok(None);
    };
    let Some(found) = repo::find_served(&state.db, purpose, stored_name).await? else {
        return Ok(None);
    };
    if found.public {
        return Ok(Some(found.original_name));
    }
    let Some(user_id) = crate::account::session::user_id_from_headers(state, headers).await? else {
        return Ok(None);
    };
    let staff = crate::account::repo::current_user(&state.db, user_id)
        .await?
        .is_some_and(|u| {
            u.two_factor
                && (u.is_instance_admin
                    || u.roles
                        .iter()
                        .any(|m| m.organisation_id == found.organisation_id))
        });
    Ok(staff.then_some(found.original_name))
}
