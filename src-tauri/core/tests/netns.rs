//! The reachability verdict under real network faults, in network namespaces these tests make
//! (root and iproute2 needed; nothing outside the namespaces is touched): no route, a route whose
//! packets are silently dropped, DNS that never answers, and a server that accepts TCP but never
//! answers HTTP. Each ends offline within the one-second budget and comes back online when the
//! fault is lifted.
#![allow(clippy::too_many_lines)] // tests aside: a scenario reads best in one piece

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

const PROBE: &str = env!("CARGO_BIN_EXE_latchkey-reachability");
/// The verdict's budget plus the probe's own start-up, on a slow, shared CI machine.
const BOUND_MS: u64 = 1300;

#[path = "support/netns.rs"]
mod netns_support;

use netns_support::{ip, Netns};

/// The probe's check and servers, run inside a namespace.
trait Probe {
    fn check(&self, url: &str) -> (String, u64);
    fn serve(&self, addr: &str, silent: bool) -> Server;
}

impl Probe for Netns {
    /// Runs the probe's check here and returns the verdict and how long it took.
    fn check(&self, url: &str) -> (String, u64) {
        let out = Command::new("ip")
            .args(["netns", "exec", &self.name, PROBE, "check", url])
            .output()
            .expect("run the probe");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("verdict json");
        (
            v["verdict"].as_str().expect("verdict").to_owned(),
            v["elapsed_ms"].as_u64().expect("elapsed"),
        )
    }

    /// A server in this namespace; `silent` accepts and never answers.
    fn serve(&self, addr: &str, silent: bool) -> Server {
        let mode = if silent { "serve-silent" } else { "serve" };
        let mut child = Command::new("ip")
            .args(["netns", "exec", &self.name, PROBE, mode, addr])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("ready line");
        assert_eq!(line.trim(), "listening");
        Server(child)
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn assert_offline_in_time((verdict, ms): (String, u64), expected: &str) {
    assert_eq!(verdict, expected);
    assert!(ms <= BOUND_MS, "verdict {verdict} took {ms} ms");
}

#[test]
fn no_route_is_known_at_once_and_recovers() {
    let client = Netns::new("nr");
    let (verdict, ms) = client.check("http://10.213.0.2:8080/");
    assert_eq!(verdict, "no_route");
    assert!(ms < 300, "no route took {ms} ms");
    // Fault lifted: a link to the provider's namespace appears.
    let provider = Netns::new("nrp");
    client.link(&provider, "10.213.0");
    let _server = provider.serve("10.213.0.2:8080", false);
    assert_eq!(client.check("http://10.213.0.2:8080/").0, "online");
}

#[test]
fn dropped_packets_end_offline_within_the_budget_and_recover() {
    let client = Netns::new("dr");
    let provider = Netns::new("drp");
    client.link(&provider, "10.213.1");
    // 10.213.1.99 is on the link but nobody has it: packets go and vanish.
    assert_offline_in_time(client.check("http://10.213.1.99:8080/"), "no_answer");
    ip(&[
        "-n",
        &provider.name,
        "addr",
        "add",
        "10.213.1.99/24",
        "dev",
        &format!("{}b", client.name),
    ]);
    ip(&["-n", &client.name, "neigh", "flush", "all"]);
    let _server = provider.serve("10.213.1.99:8080", false);
    assert_eq!(client.check("http://10.213.1.99:8080/").0, "online");
}

#[test]
fn dns_that_never_answers_ends_offline_within_the_budget_and_recovers() {
    let client = Netns::new("dn");
    let provider = Netns::new("dnp");
    client.link(&provider, "10.213.2");
    std::fs::create_dir_all(client.etc()).expect("etc");
    // The resolver is an address on the link that nobody has: queries vanish.
    std::fs::write(
        client.etc().join("resolv.conf"),
        "nameserver 10.213.2.99\noptions timeout:5 attempts:3\n",
    )
    .expect("resolv.conf");
    assert_offline_in_time(
        client.check("http://provider.latchkey.test:8080/"),
        "no_dns",
    );
    // Fault lifted: the name resolves (from the namespace's hosts file).
    std::fs::write(
        client.etc().join("hosts"),
        "127.0.0.1 localhost\n10.213.2.2 provider.latchkey.test\n",
    )
    .expect("hosts");
    let _server = provider.serve("10.213.2.2:8080", false);
    assert_eq!(
        client.check("http://provider.latchkey.test:8080/").0,
        "online"
    );
}

#[test]
fn a_server_that_accepts_but_never_answers_is_offline_and_recovers() {
    let client = Netns::new("si");
    let provider = Netns::new("sip");
    client.link(&provider, "10.213.3");
    let silent = provider.serve("10.213.3.2:8080", true);
    assert_offline_in_time(client.check("http://10.213.3.2:8080/"), "no_answer");
    drop(silent);
    let _server = provider.serve("10.213.3.2:8080", false);
    assert_eq!(client.check("http://10.213.3.2:8080/").0, "online");
}
