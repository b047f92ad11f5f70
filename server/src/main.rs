//! `mitreden`: serve, migrate, seed demo data.

use std::process::ExitCode;

use clap::Parser;
use server::config::Cli;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    server::telemetry::init(cli.log_format);
    match server::cli::run(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, with the chain of causes.
            eprintln!("mitreden: {err:#}");
            ExitCode::FAILURE
        }
    }
}
