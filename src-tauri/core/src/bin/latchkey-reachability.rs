//! The reachability check on its own, for the network-namespace tests and the benchmarks:
//! `check URL [BUDGET_MS]` prints `{"verdict":…,"elapsed_ms":…}`; `serve ADDR` answers HTTP;
//! `serve-silent ADDR` accepts connections and never answers.

use std::time::{Duration, Instant};

use latchkey_core::net::{check, VERDICT_BUDGET};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => {
            let Some(url) = args.get(1).and_then(|u| url::Url::parse(u).ok()) else {
                eprintln!("usage: latchkey-reachability check URL [BUDGET_MS]");
                return std::process::ExitCode::from(2);
            };
            let budget = args
                .get(2)
                .and_then(|b| b.parse().ok())
                .map_or(VERDICT_BUDGET, Duration::from_millis);
            let started = Instant::now();
            let verdict = check(&url, budget).await;
            println!(
                "{}",
                serde_json::json!({ "verdict": verdict, "elapsed_ms": started.elapsed().as_millis() as u64 })
            );
            // A resolver that never answers still holds a thread; do not wait for it.
            std::process::exit(0)
        }
        Some(mode @ ("serve" | "serve-silent")) => {
            let Some(addr) = args.get(1) else {
                return std::process::ExitCode::from(2);
            };
            let listener = match tokio::net::TcpListener::bind(addr).await {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("cannot listen on {addr}: {e}");
                    return std::process::ExitCode::FAILURE;
                }
            };
            println!("listening");
            let silent = mode == "serve-silent";
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    continue;
                };
                tokio::spawn(async move {
                    let mut buf = [0u8; 1024];
                    let _ = stream.read(&mut buf).await;
                    if silent {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                    } else {
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .await;
                    }
                });
            }
        }
        _ => {
            eprintln!("usage: latchkey-reachability check URL [BUDGET_MS] | serve ADDR | serve-silent ADDR");
            std::process::ExitCode::from(2)
        }
    }
}
