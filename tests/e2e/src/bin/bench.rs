//! Start-up and memory of Latchkey against a bare Tauri app built the same way, as ratios, in
//! one run. Not a test: `scripts/bench.sh` builds both and runs this under Xvfb.
//!
//! `bench BARE_BINARY [RUNS]` prints a Markdown section on stdout.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use std::path::PathBuf;
use std::time::{Duration, Instant};

use latchkey_e2e::{app_binary, write_config, App, Launch, Result};
use latchkey_sandbox::{Sandbox, Seed};

struct Sample {
    ready_ms: f64,
    memory_kib: u64,
}

/// Launches, waits for `ready` (the first screen one can use), measures, closes.
async fn sample(launch: Launch, ready: &str) -> Result<Sample> {
    let started = Instant::now();
    let app = App::launch(launch).await?;
    app.wait_for(ready).await?;
    let ready_ms = started.elapsed().as_secs_f64() * 1000.0;
    // Let the WebKit processes settle before reading their memory.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let memory_kib = app.memory_kib()?;
    app.close().await?;
    Ok(Sample {
        ready_ms,
        memory_kib,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn series(runs: usize, make: impl Fn() -> Launch, ready: &str) -> Result<(f64, f64)> {
    let mut times = Vec::new();
    let mut memory = Vec::new();
    for _ in 0..runs {
        let s = sample(make(), ready).await?;
        times.push(s.ready_ms);
        memory.push(s.memory_kib as f64);
    }
    Ok((median(times), median(memory) / 1024.0))
}

fn size(path: &std::path::Path) -> f64 {
    std::fs::metadata(path)
        .map(|m| m.len() as f64 / (1024.0 * 1024.0))
        .unwrap_or(f64::NAN)
}

fn newest_deb(dir: &std::path::Path, prefix: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".deb"))
        })
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bare = PathBuf::from(args.first().ok_or("usage: bench BARE_BINARY [RUNS]")?);
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir()?;
    let sandbox = Sandbox::spawn(Seed::demo())?;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let config = |name: &str, issuer: &str| {
        write_config(
            dir.path(),
            name,
            &format!("[organisation]\nname = \"Contoso\"\n[helpdesk]\nphone = \"+1 425 555 0100\"\n[provider]\nkind = \"okta\"\nissuer = \"{issuer}\"\nclient_id = \"latchkey-demo\"\n[app]\nlanguage = \"en\"\n"),
        )
    };
    let online = config("online.toml", &sandbox.issuer())?;
    let offline = config(
        "offline.toml",
        &format!("http://127.0.0.1:{closed}/oauth2/default"),
    )?;
    let latchkey = |config: &PathBuf| {
        let config = config.clone();
        move || {
            let mut l = Launch::with_config(config.clone());
            l.args.push("--forgot-password".into());
            l
        }
    };
    let bare_launch = || Launch {
        binary: Some(bare.clone()),
        ..Launch::default()
    };

    let (bare_ms, bare_mib) = series(runs, bare_launch, "#ready").await?;
    let (on_ms, on_mib) = series(
        runs,
        latchkey(&online),
        "[data-screen='reset'][data-step='start']",
    )
    .await?;
    let (off_ms, off_mib) = series(
        runs,
        latchkey(&offline),
        "[data-screen='reset'][data-step='offline']",
    )
    .await?;

    let release = app_binary();
    let bare_deb = bare
        .parent()
        .map(|p| p.join("bundle/deb"))
        .and_then(|d| newest_deb(&d, "bare"));
    let latchkey_deb = release
        .parent()
        .map(|p| p.join("bundle/deb"))
        .and_then(|d| newest_deb(&d, "Latchkey"));
    let deb_size = |p: &Option<PathBuf>| p.as_deref().map_or(f64::NAN, size);

    println!("| measure ({runs} runs, median) | bare Tauri app | Latchkey | ratio |");
    println!("|---|---|---|---|");
    println!(
        "| process start → first usable screen, online (ms) | {bare_ms:.0} | {on_ms:.0} | {:.2}× |",
        on_ms / bare_ms
    );
    println!("| process start → first usable screen, offline (ms) | {bare_ms:.0} | {off_ms:.0} | {:.2}× |", off_ms / bare_ms);
    println!("| resident memory with WebKit processes, online (MiB) | {bare_mib:.1} | {on_mib:.1} | {:.2}× |", on_mib / bare_mib);
    println!("| resident memory with WebKit processes, offline (MiB) | {bare_mib:.1} | {off_mib:.1} | {:.2}× |", off_mib / bare_mib);
    let (b, l) = (size(&bare), size(&release));
    println!("| release binary (MiB) | {b:.2} | {l:.2} | {:.2}× |", l / b);
    let (b, l) = (deb_size(&bare_deb), deb_size(&latchkey_deb));
    println!("| .deb (MiB) | {b:.2} | {l:.2} | {:.2}× |", l / b);
    Ok(())
}
