//! Server functions for notifications: the account's choice, and the confirm button of a mail's
//! unsubscribe link. Both forms work without JavaScript (Post/Redirect/Get with a flash).

use leptos::prelude::*;

use super::NotificationSettings;
use crate::account::api::FormOutcome;
use crate::error::AppError;

/// The signed-in person's notification settings.
#[server(prefix = "/api", endpoint = "notification_settings")]
pub async fn get_notification_settings() -> Result<NotificationSettings, AppError> {
    let state = crate::state::app_state()?;
    crate::error::with_status(
        async {
            let user = crate::account::api::signed_in().await?;
            let (replies, available) = super::repo::settings(&state.db, user.id)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            let answers = crate::answer::repo::notifications_on(&state.db, user.id).await?;
            Ok(NotificationSettings {
                replies,
                answers,
                available,
            })
        }
        .await,
    )
}

/// Sets how the signed-in person hears about replies: `off`, `immediate` or `daily`. Mails go
/// in the language of the page the choice is made on. Accounts without a confirmed address
/// (access-code participants) are refused.
#[server(prefix = "/api", endpoint = "set_reply_notifications")]
pub async fn set_reply_notifications(replies: String) -> Result<FormOutcome, AppError> {
    use crate::account::api::{answer_in, AccountForm};
    use crate::error::{Field, Problem};

    let state = crate::state::app_state()?;
    let outcome = async {
        let user = crate::account::api::signed_in().await?;
        let choice = super::ReplyNotifications::parse(&replies).ok_or(AppError::invalid(
            Field::Notifications,
            Problem::UnknownRule,
        ))?;
        let (_, available) = super::repo::settings(&state.db, user.id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if !available {
            return Err(AppError::Forbidden);
        }
        super::repo::save(&state.db, user.id, choice, crate::i18n::use_lang()).await?;
        tracing::info!(
            user_id = user.id,
            replies = choice.as_str(),
            "reply notifications set"
        );
        Ok(FormOutcome { redirect_to: None })
    }
    .await;
    answer_in(
        &state,
        AccountForm::ReplyNotifications.scope(),
        outcome,
        &[("replies", &replies)],
        None,
        super::SETTINGS_PATH,
    )
    .await
}

/// Whether an unsubscribe link is valid, for its page (404 when not); uses nothing up.
#[server(prefix = "/api", endpoint = "unsubscribe_link_status")]
pub async fn unsubscribe_link_status(token: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    crate::error::with_status(
        async {
            if super::repo::unsubscribe_token_is_valid(&state.db, &token).await? {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        }
        .await,
    )
}

/// The confirm button of the unsubscribe page: turns the reply notifications of the link's
/// account off. An unknown or expired link changes nothing (404). Mail providers' one-click
/// POST (RFC 8058) goes to the link itself instead, see `UNSUBSCRIBE_PATH`.
#[server(prefix = "/api", endpoint = "unsubscribe_reply_notifications")]
pub async fn unsubscribe_reply_notifications(token: String) -> Result<FormOutcome, AppError> {
    use crate::account::api::{answer_in, encode_query, AccountForm};

    let state = crate::state::app_state()?;
    let outcome = match super::unsubscribe(&state.db, &token).await {
        Ok(true) => Ok(FormOutcome { redirect_to: None }),
        Ok(false) => Err(AppError::NotFound),
        Err(err) => Err(err),
    };
    let back = format!("{}?token={}", super::UNSUBSCRIBE_PATH, encode_query(&token));
    answer_in(
        &state,
        AccountForm::Unsubscribe.scope(),
        outcome,
        &[],
        None,
        &back,
    )
    .await
}
