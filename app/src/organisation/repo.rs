//! Organisation queries.

use crate::db::{now, Db};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<i64>,
    pub contact_email: String,
    pub website_url: String,
    pub imprint_url: String,
    pub privacy_url: String,
    pub logo_file: String,
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<OrganisationRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, OrganisationRow>(
            "SELECT id, slug, name, description, parent_id, contact_email, website_url, imprint_url, privacy_url, logo_file \
             FROM organisations WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(pool)
        .await
    })
}

pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<OrganisationRow>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, OrganisationRow>(
            "SELECT id, slug, name, description, parent_id, contact_email, website_url, imprint_url, privacy_url, logo_file \
             FROM organisations WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })
}

pub struct NewOrganisation<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub parent_id: Option<i64>,
}

/// Creates the organisation unless one with that slug exists; returns its id either way.
pub async fn ensure(db: &Db, org: &NewOrganisation<'_>) -> Result<i64, sqlx::Error> {
    if let Some(existing) = find_by_slug(db, org.slug).await? {
        return Ok(existing.id);
    }
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO organisations (slug, name, description, parent_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(org.slug)
        .bind(org.name)
        .bind(org.description)
        .bind(org.parent_id)
        .bind(now())
        .fetch_one(pool)
        .await
    })
}

/// The staff of an organisation with their roles.
pub async fn staff(
    db: &Db,
    organisation_id: i64,
) -> Result<Vec<super::api::StaffMember>, sqlx::Error> {
    let rows = on_db!(db, |pool| {
        sqlx::query_as::<_, (String, Option<String>, String)>(
            "SELECT u.display_name, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.organisation_id = $1 AND u.deleted_at IS NULL ORDER BY u.display_name, m.role",
        )
        .bind(organisation_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(display_name, email, role)| {
            Some(super::api::StaffMember {
                display_name,
                email: email?,
                role: crate::account::Role::parse(&role)?,
            })
        })
        .collect())
}

/// Sets how people reach an organisation and where its legal pages are.
pub async fn set_contact(
    db: &Db,
    id: i64,
    contact: &super::OrganisationContact,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE organisations SET contact_email = $1, website_url = $2, imprint_url = $3, privacy_url = $4 WHERE id = $5",
        )
        .bind(&contact.email)
        .bind(&contact.website)
        .bind(&contact.imprint)
        .bind(&contact.privacy)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Every organisation as (slug, name), by name (staff screens).
pub async fn list_all(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_as::<_, (String, String)>("SELECT slug, name FROM organisations ORDER BY name")
            .fetch_all(pool)
            .await
    })
}

/// Sets what the organisation's page says about it.
pub async fn update_profile(
    db: &Db,
    id: i64,
    name: &str,
    description: &str,
    contact: &super::OrganisationContact,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE organisations SET name = $1, description = $2 WHERE id = $3")
            .bind(name)
            .bind(description)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    set_contact(db, id, contact).await
}

/// Sets the organisation's logo file; answers the one it replaces ('' if none).
pub async fn set_logo(db: &Db, id: i64, file: &str) -> Result<String, sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let old =
            sqlx::query_scalar::<_, String>("SELECT logo_file FROM organisations WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query("UPDATE organisations SET logo_file = $1 WHERE id = $2")
            .bind(file)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(old)
    })
}
