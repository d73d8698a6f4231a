//! Counts by severity, shared by the formats that open with a summary.

use drydock_model::{Finding, Severity};

/// Most severe first: the order summaries are read in.
pub(crate) const SEVERITIES: [Severity; 5] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Unknown,
];

/// How many findings there are at each severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts([usize; 5]);

impl Counts {
    pub(crate) fn of(severities: impl IntoIterator<Item = Severity>) -> Self {
        let mut counts = Counts::default();
        for s in severities {
            counts.0[slot(s)] += 1;
        }
        counts
    }

    pub(crate) fn get(&self, severity: Severity) -> usize {
        self.0[slot(severity)]
    }

    pub(crate) fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

fn slot(severity: Severity) -> usize {
    match severity {
        Severity::Critical => 0,
        Severity::High => 1,
        Severity::Medium => 2,
        Severity::Low => 3,
        Severity::Unknown => 4,
    }
}

/// Findings listed in CISA's Known Exploited Vulnerabilities catalog.
pub(crate) fn kev_count(findings: &[Finding]) -> usize {
    findings.iter().filter(|f| f.kev.is_some()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_severity_once() {
        let counts = Counts::of([
            Severity::High,
            Severity::Low,
            Severity::High,
            Severity::Unknown,
        ]);
        assert_eq!(counts.get(Severity::High), 2);
        assert_eq!(counts.get(Severity::Low), 1);
        assert_eq!(counts.get(Severity::Unknown), 1);
        assert_eq!(counts.get(Severity::Critical), 0);
        assert_eq!(counts.total(), 4);
    }
}
