//! Where advisories come from: the local SQLite DB today, the server's store later.

use drydock_vulndb::{Advisory, AffectedEntry, Db, Severity};

/// Read access to advisory data, all the matcher needs. A [`crate::Matcher`] owns its
/// source, so sources are `Send` to let one matcher serve many threads.
pub trait AdvisorySource {
    /// Whether the data has any record for `ecosystem` (`Debian:12`, `PyPI`): without
    /// it, "no findings" would mean "not checked".
    fn has_ecosystem(&self, ecosystem: &str) -> drydock_vulndb::Result<bool>;
    /// Every affected-package entry for `package` in `ecosystem`.
    fn advisories_for(
        &self,
        ecosystem: &str,
        package: &str,
    ) -> drydock_vulndb::Result<Vec<AffectedEntry>>;
    /// The advisory record `id`, with its CVE enrichment.
    fn advisory(&self, id: &str) -> drydock_vulndb::Result<Option<Advisory>>;
    /// (advisory id, severity) of every record that rates `cve`.
    fn cve_severities(&self, cve: &str) -> drydock_vulndb::Result<Vec<(String, Severity)>>;
}

impl AdvisorySource for Db {
    fn has_ecosystem(&self, ecosystem: &str) -> drydock_vulndb::Result<bool> {
        Db::has_ecosystem(self, ecosystem)
    }

    fn advisories_for(
        &self,
        ecosystem: &str,
        package: &str,
    ) -> drydock_vulndb::Result<Vec<AffectedEntry>> {
        Db::advisories_for(self, ecosystem, package)
    }

    fn advisory(&self, id: &str) -> drydock_vulndb::Result<Option<Advisory>> {
        Db::advisory(self, id)
    }

    fn cve_severities(&self, cve: &str) -> drydock_vulndb::Result<Vec<(String, Severity)>> {
        Db::cve_severities(self, cve)
    }
}
