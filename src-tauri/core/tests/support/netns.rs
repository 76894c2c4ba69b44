//! Network namespaces a test makes for itself, and deletes on drop with what was made for it
//! (root and iproute2 needed; nothing outside the namespaces is touched). Shared by the core's
//! reachability tests and the end-to-end offline budget test.
#![allow(dead_code)]

use std::process::Command;

pub fn ip(args: &[&str]) {
    let status = Command::new("ip").args(args).status().expect("run ip");
    assert!(
        status.success(),
        "ip {args:?} failed (these tests need root and iproute2)"
    );
}

/// A network namespace of this test, deleted on drop with what was made for it.
pub struct Netns {
    pub name: String,
}

impl Netns {
    pub fn new(tag: &str) -> Netns {
        let name = format!("lk{}{tag}", std::process::id());
        ip(&["netns", "add", &name]);
        ip(&["-n", &name, "link", "set", "lo", "up"]);
        Netns { name }
    }

    pub fn etc(&self) -> std::path::PathBuf {
        std::path::PathBuf::from("/etc/netns").join(&self.name)
    }

    /// Links two namespaces with a veth pair on `subnet` (e.g. `10.213.1`): `.1` here, `.2` there.
    pub fn link(&self, other: &Netns, subnet: &str) {
        let (a, b) = (format!("{}a", self.name), format!("{}b", self.name));
        ip(&[
            "link",
            "add",
            &a,
            "netns",
            &self.name,
            "type",
            "veth",
            "peer",
            "name",
            &b,
            "netns",
            &other.name,
        ]);
        ip(&[
            "-n",
            &self.name,
            "addr",
            "add",
            &format!("{subnet}.1/24"),
            "dev",
            &a,
        ]);
        ip(&[
            "-n",
            &other.name,
            "addr",
            "add",
            &format!("{subnet}.2/24"),
            "dev",
            &b,
        ]);
        ip(&["-n", &self.name, "link", "set", &a, "up"]);
        ip(&["-n", &other.name, "link", "set", &b, "up"]);
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "delete", &self.name])
            .status();
        let _ = std::fs::remove_dir_all(self.etc());
    }
}
