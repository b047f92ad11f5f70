//! The `mitreden` server: configuration, the HTTP stack around the Leptos app, and the command
//! line. Business rules live in the `app` crate.

pub mod cli;
pub mod config;
pub mod geoip;
pub mod http;
pub mod startup;
pub mod telemetry;
