//! Integration tests, one binary: each story boots the real server on an ephemeral port with a
//! fresh database, on SQLite and on PostgreSQL (see `common`). One binary instead of one per file
//! keeps the link count and the disk use of a CI build down (each linked test binary weighs as
//! much as the whole app).

#[macro_use]
mod common;

mod accounts;
mod answers;
mod appeals;
mod audit;
mod authorization;
mod cli;
mod cluster;
mod comments;
mod documents;
mod editor;
mod email_change;
mod exports;
mod foundation;
mod legal;
mod lifecycle;
mod limits;
mod logs;
mod map;
mod moderation_queue;
mod notifications;
mod opendata;
mod organisations;
mod page_cache;
mod participation;
mod privacy;
mod questionnaire;
mod registration;
mod reports;
mod resilience;
mod retention;
mod two_factor;
