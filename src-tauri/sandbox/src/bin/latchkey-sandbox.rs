//! The sandbox tenant as a standalone process, for tests and for trying the APIs with curl.
//! Prints one JSON line when ready: `{"ready":true,"base_url":…,"issuer":…,"client_id":…,"outbox":…}`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use latchkey_sandbox::{Sandbox, Seed};

#[derive(Parser)]
#[command(
    name = "latchkey-sandbox",
    version,
    about = "Latchkey's local sandbox tenant"
)]
struct Args {
    /// Seed file (policy and users); the checked-in demo seed when absent.
    #[arg(long, value_name = "PATH")]
    seed: Option<PathBuf>,
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let seed = match &args.seed {
        None => Seed::demo(),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| Seed::parse(&t).map_err(|e| e.to_string()))
        {
            Ok(seed) => seed,
            Err(e) => {
                eprintln!("latchkey-sandbox: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    let sandbox = match Sandbox::start(seed, args.port).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("latchkey-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{}",
        serde_json::json!({
            "ready": true,
            "base_url": sandbox.base_url(),
            "issuer": sandbox.issuer(),
            "client_id": sandbox.client_id(),
            "outbox": sandbox.outbox_url(),
        })
    );
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
