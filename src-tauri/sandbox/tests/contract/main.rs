//! The sandbox held against the vendors' own contracts (`tests/contract/specs/`): every
//! operation Latchkey calls or the sandbox emulates, driven over loopback HTTP through the
//! statuses the sandbox can reach; each answer's status, `Content-Type`, documented headers and
//! body checked against the operation's schema, Okta's errors against the error catalogue and
//! the documented example for the situation. Prints the coverage per vendor and every failure.
#![allow(clippy::unwrap_used)]
#![allow(clippy::too_many_lines)]

#[path = "../common/mod.rs"]
mod common;
mod graph;
mod okta_myaccount;
mod okta_oauth;
mod okta_recovery;
mod suite;

use suite::Suite;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (suite, recovery) = runtime.block_on(async {
        let mut suite = Suite::new(common::start().await);
        okta_myaccount::run(&mut suite).await;
        okta_oauth::run(&mut suite).await;
        graph::run(&mut suite).await;
        // Classic recovery on a tenant of its own: the Graph cases removed Rafael's phone.
        suite.t = common::start().await;
        let recovery = okta_recovery::run(&mut suite).await;
        (suite, recovery)
    });
    for coverage in suite.coverage.iter().chain([&recovery]) {
        println!("{}", coverage.line());
        if std::env::var_os("CONTRACT_MISSING").is_some() {
            for pair in coverage.missing_on_served() {
                println!("    not reached: {pair}");
            }
        }
    }
    for failure in &suite.failures {
        println!("FAILED {failure}");
    }
    println!(
        "contract: {} passed, {} failed",
        suite.passed,
        suite.failures.len()
    );
    if !suite.failures.is_empty() {
        std::process::exit(1);
    }
}
