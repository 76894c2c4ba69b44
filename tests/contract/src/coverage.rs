//! Which documented operation × status pairs a suite reached.

use std::collections::BTreeSet;

use crate::Spec;

pub struct Coverage {
    vendor: String,
    documented: BTreeSet<(String, String, String)>,
    reached: BTreeSet<(String, String, String)>,
}

impl Coverage {
    pub fn of(spec: &Spec) -> Coverage {
        Coverage {
            vendor: spec.name.to_owned(),
            documented: spec.pairs().into_iter().collect(),
            reached: BTreeSet::new(),
        }
    }

    /// For a derived contract without an OpenAPI document (Okta's Classic recovery): the pairs
    /// are listed by the caller from the derived data.
    pub fn listed(
        vendor: &str,
        pairs: impl IntoIterator<Item = (String, String, String)>,
    ) -> Coverage {
        Coverage {
            vendor: vendor.to_owned(),
            documented: pairs.into_iter().collect(),
            reached: BTreeSet::new(),
        }
    }

    /// Records that a checked answer fell under `status_key` of the operation.
    pub fn reached(&mut self, method: &str, template: &str, status_key: &str) {
        let pair = (
            method.to_uppercase(),
            template.to_owned(),
            status_key.to_owned(),
        );
        if self.documented.contains(&pair) {
            self.reached.insert(pair);
        }
    }

    pub fn counts(&self) -> (usize, usize) {
        (self.reached.len(), self.documented.len())
    }

    /// The pairs no check reached, for the report.
    pub fn missing(&self) -> Vec<String> {
        self.documented
            .difference(&self.reached)
            .map(|(m, p, s)| format!("{m} {p} {s}"))
            .collect()
    }

    /// The documented pairs of the operations a suite reached at least once (the operations
    /// the sandbox serves; Latchkey calls no other).
    fn served(&self) -> (usize, usize) {
        let ops: BTreeSet<(&String, &String)> =
            self.reached.iter().map(|(m, p, _)| (m, p)).collect();
        let pairs = self
            .documented
            .iter()
            .filter(|(m, p, _)| ops.contains(&(m, p)))
            .count();
        (ops.len(), pairs)
    }

    /// The pairs not reached on operations that were reached, for the report.
    pub fn missing_on_served(&self) -> Vec<String> {
        let ops: BTreeSet<(&String, &String)> =
            self.reached.iter().map(|(m, p, _)| (m, p)).collect();
        self.documented
            .difference(&self.reached)
            .filter(|(m, p, _)| ops.contains(&(m, p)))
            .map(|(m, p, s)| format!("{m} {p} {s}"))
            .collect()
    }

    /// `contract coverage (Okta MyAccount): N of M documented operation × status pairs (N of K
    /// on the J operations the sandbox serves)`
    pub fn line(&self) -> String {
        let (n, m) = self.counts();
        let (ops, pairs) = self.served();
        format!(
            "contract coverage ({}): {n} of {m} documented operation × status pairs \
             ({n} of {pairs} on the {ops} operations the sandbox serves)",
            self.vendor
        )
    }
}
