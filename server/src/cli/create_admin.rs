//! `mitreden create-admin`: the first instance administrator, or a new password for one.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;
use app::account::{password, repo, Email};
use app::db::Db;
use app::error::AppError;
use app::i18n::Lang;

use crate::config::CreateAdminArgs;

/// The display name of a new admin account; "Administration 2", … when it is taken.
const DISPLAY_NAME: &str = "Administration";
const MAX_NAME_TRIES: u32 = 1000;

pub async fn run(args: &CreateAdminArgs) -> anyhow::Result<()> {
    let email = Email::parse(&args.email).map_err(|err| invalid("e-mail address", &err))?;
    let password = read_password()?;
    // The rules of registration; checked again below against the account's display name.
    password::check_new(&password, email.as_str(), "").map_err(|err| invalid("password", &err))?;
    let db = super::connect(&args.database).await?;
    let result = create_or_update(&db, &email, &password).await;
    db.close().await;
    let outcome = result?;
    println!("instance admin {} ready ({outcome})", email.as_str());
    Ok(())
}

/// Creates the account, or updates the one with this address; returns which.
async fn create_or_update(db: &Db, email: &Email, password: &str) -> anyhow::Result<&'static str> {
    db.migrate().await.context("migrating the database")?;
    let hash = password::hash(password).map_err(|err| invalid("password", &err))?;
    for n in 1..=MAX_NAME_TRIES {
        // Looked up on every try: `create` also answers `None` when the address was taken
        // in the meantime.
        if let Some(account) = repo::credentials(db, email)
            .await
            .context("looking up the account")?
        {
            password::check_new(password, email.as_str(), &account.display_name)
                .map_err(|err| invalid("password", &err))?;
            repo::set_password(db, account.id, &hash)
                .await
                .context("setting the password")?;
            repo::mark_verified(db, account.id)
                .await
                .context("marking the address verified")?;
            repo::make_instance_admin(db, account.id)
                .await
                .context("making the account instance admin")?;
            // As after a password reset: whoever knew the old password is signed out.
            repo::end_sessions(db, account.id)
                .await
                .context("ending the account's sessions")?;
            record(db, account.id, &account.display_name).await?;
            return Ok("updated");
        }
        let display_name = match n {
            1 => DISPLAY_NAME.to_string(),
            n => format!("{DISPLAY_NAME} {n}"),
        };
        password::check_new(password, email.as_str(), &display_name)
            .map_err(|err| invalid("password", &err))?;
        let created = repo::create(
            db,
            &repo::NewUser {
                email,
                display_name: &display_name,
                password_hash: &hash,
                verified: true,
                is_instance_admin: true,
            },
        )
        .await
        .context("creating the account")?;
        if let Some(id) = created {
            record(db, id, &display_name).await?;
            return Ok("created");
        }
    }
    anyhow::bail!("no free display name \"{DISPLAY_NAME} N\" for the new account")
}

/// The audit entry of a command-line appointment: no acting account, reason "cli", no
/// organisation (instance admins stand above all of them).
async fn record(db: &Db, user_id: i64, display_name: &str) -> anyhow::Result<()> {
    use app::audit::{Action, Entry, Object};
    let entry = Entry::new(
        Action::StaffAppointed,
        Object::account(user_id, display_name),
    )
    .subject(user_id)
    .reason("cli");
    app::audit::repo::record(db, &entry)
        .await
        .context("recording the appointment in the audit log")
}

/// The first line of stdin without its line ending.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password for the admin account (input is visible): ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        anyhow::bail!(
            "no password on stdin (pipe it in: echo 'long password' | mitreden create-admin --email …)"
        );
    }
    Ok(password.to_string())
}

fn invalid(what: &str, err: &AppError) -> anyhow::Error {
    anyhow::anyhow!("invalid {what}: {}", err.message(Lang::En))
}
