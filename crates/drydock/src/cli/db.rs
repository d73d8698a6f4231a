//! `drydock db`'s subcommands and `db update`'s many feed options, apart from the scan
//! options they share nothing with.

use clap::{Args, Subcommand};
use std::path::PathBuf;

const DB_UPDATE_HELP: &str = "Examples:
  drydock db update                            the public OSV bucket, CISA KEV, FIRST EPSS, NVD,
                                               Amazon ALAS, Oracle ELSA, Alpine edge secdb
  drydock db update --source /srv/mirror/osv   a local mirror; feeds from /srv/mirror/{kev,epss,...}
  drydock db update --source http://mirror.local/osv --ecosystems Debian:11,PyPI

Exit codes: 0 updated, 2 unreachable or corrupt source (the previous database is kept).";

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Build or refresh the database from an OSV mirror (incremental when possible).
    #[command(after_help = DB_UPDATE_HELP)]
    Update(Box<DbUpdateArgs>),
    /// Show the database's age, source, schema and record counts.
    Status,
    /// Copy the database to a file (for air-gapped machines).
    Export {
        /// The file to write.
        file: PathBuf,
    },
    /// Install a database file made by `db export`.
    Import {
        /// A file written by `drydock db export`.
        file: PathBuf,
    },
}

/// `db update`'s options (boxed in [`DbCommand`]: fifteen of them dwarf the other variants).
#[derive(Args, Debug)]
pub struct DbUpdateArgs {
    /// OSV data: the public bucket, a mirror URL, or a local directory laid out as
    /// `<ECOSYSTEM>/all.zip` + `modified_id.csv`.
    #[arg(long, env = "DRYDOCK_DB_SOURCE", default_value = DEFAULT_OSV_SOURCE)]
    pub source: String,
    /// Where `kev/`, `cvss/`, `epss/`, `nvd/`, `alpine-secdb/`, `alas/`, `oval/`,
    /// `bottlerocket/`, `fedora/`, `debian-tracker/`, `redhat-vex/`, `suse-vex/`, `ubuntu-tracker/` live.
    /// Default: the source's parent for a mirror;
    /// with the public OSV bucket, each feed's own publisher (CISA, FIRST, NVD, Amazon,
    /// Oracle, Bottlerocket, Fedora, Microsoft, Broadcom, Debian, Alpine's edge secdb) as the
    /// options below describe.
    #[arg(long)]
    pub feeds: Option<String>,
    /// CISA's KEV catalog (JSON): a URL or file, or `off`. Default: CISA's published
    /// catalog with the public OSV bucket, else the mirror's `kev/`.
    #[arg(long, env = "DRYDOCK_KEV_URL", value_name = "URL|FILE|off")]
    pub kev: Option<String>,
    /// FIRST's EPSS scores (CSV, plain or gzip): a URL or file, or `off`. Default:
    /// FIRST's daily file with the public OSV bucket, else the mirror's `epss/`.
    #[arg(long, env = "DRYDOCK_EPSS_URL", value_name = "URL|FILE|off")]
    pub epss: Option<String>,
    /// NVD's JSON 2.0 feeds (the folder holding `nvdcve-2.0-*.json.gz` and `.meta`),
    /// read incrementally, or `off`. Default: NVD's with the public OSV bucket, else
    /// the mirror's `nvd/`.
    #[arg(long, env = "DRYDOCK_NVD_URL", value_name = "URL|DIR|off")]
    pub nvd: Option<String>,
    /// The Debian security tracker's JSON export, for the statuses of unfixed issues
    /// (will not fix, deferred, end of life, under investigation): a URL or file, or
    /// `off`. Default: the tracker's export with the public OSV bucket, else the
    /// mirror's `debian-tracker/tracker.json`.
    #[arg(long, env = "DRYDOCK_DEBIAN_TRACKER_URL", value_name = "URL|FILE|off")]
    pub debian_tracker: Option<String>,
    /// Amazon Linux's ALAS: the CDN holding each release's `mirror.list`
    /// (`2/core/latest/x86_64/`, `al2023/core/mirrors/latest/x86_64/`), whose
    /// repository's `updateinfo.xml.gz` is read, or `off`. Default: Amazon's CDN with
    /// the public OSV bucket, else the mirror's `alas/<release>/updateinfo.xml`.
    #[arg(long, env = "DRYDOCK_ALAS_URL", value_name = "URL|off")]
    pub alas: Option<String>,
    /// Oracle Linux's ELSA OVAL file (bzip2 or plain): a URL or file, or `off`.
    /// Default: Oracle's `com.oracle.elsa-all.xml.bz2` with the public OSV bucket, else
    /// the mirror's `oval/oracle/com.oracle.elsa-all.xml[.bz2]`.
    #[arg(long, env = "DRYDOCK_ELSA_URL", value_name = "URL|FILE|off")]
    pub elsa: Option<String>,
    /// Bottlerocket's security advisories (`updateinfo.xml`, gzip or plain): a URL or
    /// file, or `off`. Default: advisories.bottlerocket.aws with the public OSV bucket,
    /// else the mirror's `bottlerocket/updateinfo.xml[.gz]`.
    #[arg(long, env = "DRYDOCK_BOTTLEROCKET_URL", value_name = "URL|FILE|off")]
    pub bottlerocket: Option<String>,
    /// Fedora's security updates: the `updates` folder holding one folder per release in
    /// Fedora's layout (`<release>/Everything/x86_64/repodata/repomd.xml`, whose
    /// `updateinfo.xml` is read), a URL or directory, or `off`. Default: Fedora's
    /// (dl.fedoraproject.org) with the public OSV bucket, else the mirror's `fedora/`.
    #[arg(long, env = "DRYDOCK_FEDORA_URL", value_name = "URL|DIR|off")]
    pub fedora: Option<String>,
    /// Azure Linux 3.0 and CBL-Mariner 2.0 advisories from Microsoft's OVAL files
    /// (`azurelinux-3.0-oval.xml`, `cbl-mariner-2.0-oval.xml`): the URL or directory
    /// holding them, or `off`. Default: Microsoft's AzureLinuxVulnerabilityData
    /// repository (raw.githubusercontent.com) with the public OSV bucket, else the
    /// mirror's `oval/azurelinux/`.
    #[arg(long, env = "DRYDOCK_AZURE_LINUX_URL", value_name = "URL|DIR|off")]
    pub azure_linux: Option<String>,
    /// Photon OS 3.0, 4.0 and 5.0 severities and fixes from Broadcom's OVAL files
    /// (`com.vmware.phsa-photon<N>.xml.gz`): the URL or directory holding them, or `off`.
    /// Default: Broadcom's `photon_oval_definitions` folder with the public OSV bucket,
    /// else the mirror's `oval/photon/` (`.xml` or `.xml.gz`).
    #[arg(long, env = "DRYDOCK_PHOTON_OVAL_URL", value_name = "URL|DIR|off")]
    pub photon_oval: Option<String>,
    /// Red Hat's CSAF VEX files, for the statuses of unfixed RHEL components (will not
    /// fix, deferred, out of support scope, under investigation): Red Hat's folder
    /// (`https://security.access.redhat.com/data/csaf/v2/vex`, whose `archive_latest.txt`
    /// names the `.tar.zst` of every file), an archive's URL or path, or `off`. Default:
    /// the mirror's `redhat-vex/`; not read from Red Hat unless given (the archive is
    /// large and has no incremental form here).
    #[arg(long, env = "DRYDOCK_REDHAT_VEX_URL", value_name = "URL|PATH|off")]
    pub redhat_vex: Option<String>,
    /// SUSE's CSAF VEX files, for the statuses of unfixed SLES, SLE Micro, SUSE Linux Micro
    /// and openSUSE Leap and Tumbleweed rpms (no fix planned, under investigation) and SUSE's
    /// rating: SUSE's folder
    /// (`https://ftp.suse.com/pub/projects/security/csaf-vex`, holding `csaf-vex.tar.bz2`),
    /// the archive's URL or path, or `off`. Default: the mirror's
    /// `suse-vex/csaf-vex.tar.bz2`; not read from SUSE unless given (the archive is some
    /// hundreds of MB and has no incremental form here).
    #[arg(long, env = "DRYDOCK_SUSE_VEX_URL", value_name = "URL|PATH|off")]
    pub suse_vex: Option<String>,
    /// Canonical's Ubuntu CVE tracker, for the statuses of unfixed issues (deferred,
    /// ignored, needs triage) and fixes shipped only in Ubuntu Pro's ESM: a file or URL
    /// holding the Security API's `cves.json` listing (`https://ubuntu.com/security/cves.json`,
    /// its pages merged into one `{"cves": [...]}`), or `off`; at a URL the API is paged
    /// (`limit`/`offset`). Default: the mirror's `ubuntu-tracker/cves.json`; not read from
    /// Canonical unless given (its some 300,000 CVEs are thousands of pages).
    #[arg(long, env = "DRYDOCK_UBUNTU_TRACKER_URL", value_name = "URL|FILE|off")]
    pub ubuntu_tracker: Option<String>,
    /// Alpine secdb's edge folder (holding `main.json` and `community.json`), the only
    /// source of Alpine edge's advisories (OSV has none), read when the build has Alpine
    /// releases: a URL or directory, or `off`. Default: secdb.alpinelinux.org/edge with the
    /// public OSV bucket, else the mirror's `alpine-secdb/edge/`.
    #[arg(long, env = "DRYDOCK_ALPINE_EDGE_URL", value_name = "URL|DIR|off")]
    pub alpine_edge: Option<String>,
    /// Only these ecosystems (comma-separated OSV names, e.g. `PyPI,Alpine:v3.20`; `Alpine:edge`
    /// is drydock's own, built from secdb's edge files).
    #[arg(long, value_delimiter = ',')]
    pub ecosystems: Option<Vec<String>>,
    /// Rebuild from scratch.
    #[arg(long)]
    pub full: bool,
}

/// The public OSV data bucket.
pub const DEFAULT_OSV_SOURCE: &str = "https://osv-vulnerabilities.storage.googleapis.com";
