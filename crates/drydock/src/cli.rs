//! Command-line definitions, kept apart from what the commands do.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "drydock",
    version,
    about = "Container image security scanner",
    propagate_version = true
)]
pub struct Cli {
    /// Where the vulnerability database lives (default: $XDG_CACHE_HOME/drydock).
    #[arg(long, global = true, env = "DRYDOCK_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan a local image: docker-archive (.tar, .tar.gz), OCI layout directory or OCI archive.
    ///
    /// `PATH:TAG` selects a tagged image inside an OCI layout or a multi-image docker save.
    Image {
        /// The image file or directory.
        input: PathBuf,
        /// Image to read from a multi-platform index, e.g. linux/arm64 (default: this host's,
        /// else the only one).
        #[arg(long)]
        platform: Option<String>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Scan an unpacked root filesystem directory.
    Rootfs {
        dir: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Scan a source tree: lockfiles and manifests (package-lock.json, Cargo.lock, ...).
    Fs {
        dir: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Manage the local vulnerability database.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Print version information.
    Version,
}

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Build or refresh the database from an OSV mirror (incremental when possible).
    Update {
        /// OSV data: the public bucket, a mirror URL, or a local directory laid out as
        /// `<ECOSYSTEM>/all.zip` + `modified_id.csv`.
        #[arg(long, env = "DRYDOCK_DB_SOURCE", default_value = DEFAULT_OSV_SOURCE)]
        source: String,
        /// Where `kev/`, `cvss/`, `epss/`, `nvd/`, `alpine-secdb/` live (default: the
        /// source's parent).
        #[arg(long)]
        feeds: Option<String>,
        /// CISA's KEV catalog (JSON): a URL or file, or `off`. Default: CISA's published
        /// catalog with the public OSV bucket, else the mirror's `kev/`.
        #[arg(long, env = "DRYDOCK_KEV_URL", value_name = "URL|FILE|off")]
        kev: Option<String>,
        /// FIRST's EPSS scores (CSV, plain or gzip): a URL or file, or `off`. Default:
        /// FIRST's daily file with the public OSV bucket, else the mirror's `epss/`.
        #[arg(long, env = "DRYDOCK_EPSS_URL", value_name = "URL|FILE|off")]
        epss: Option<String>,
        /// NVD's JSON 2.0 feeds (the folder holding `nvdcve-2.0-*.json.gz` and `.meta`),
        /// read incrementally, or `off`. Default: NVD's with the public OSV bucket, else
        /// the mirror's `nvd/`.
        #[arg(long, env = "DRYDOCK_NVD_URL", value_name = "URL|DIR|off")]
        nvd: Option<String>,
        /// Only these ecosystems (comma-separated OSV names, e.g. `PyPI,Alpine:v3.20`).
        #[arg(long, value_delimiter = ',')]
        ecosystems: Option<Vec<String>>,
        /// Rebuild from scratch.
        #[arg(long)]
        full: bool,
    },
    /// Show the database's age, source, schema and record counts.
    Status,
    /// Copy the database to a file (for air-gapped machines).
    Export { file: PathBuf },
    /// Install a database file made by `db export`.
    Import { file: PathBuf },
}

/// The public OSV data bucket.
pub const DEFAULT_OSV_SOURCE: &str = "https://osv-vulnerabilities.storage.googleapis.com";

#[derive(clap::Args, Debug)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Write the report to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Which scanners to run, comma-separated. `none` lists the inventory only.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "vuln")]
    pub scanners: Vec<Scanner>,
    /// Warn when the vulnerability database is older than this many days.
    #[arg(long, default_value_t = 7)]
    pub db_max_age_days: u64,
    /// Skip files larger than this many MiB instead of analysing them.
    #[arg(long, default_value_t = 512)]
    pub max_file_mib: u64,
    /// Secret rules to add, replace or disable (TOML; see crates/detect/rules/secrets.toml).
    #[arg(long, env = "DRYDOCK_SECRET_CONFIG")]
    pub secret_config: Option<PathBuf>,
    /// Also report secret candidates that were dropped (placeholders, low entropy...) and why.
    #[arg(long)]
    pub debug: bool,
    /// Also list every package in the table output (always listed when no vulnerability
    /// scan ran).
    #[arg(long)]
    pub list_packages: bool,
    /// Hide the progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Exit with code 1 when any vulnerability is at least this severe.
    #[arg(long, value_enum, ignore_case = true)]
    pub fail_on: Option<SeverityArg>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "UPPER")]
pub enum SeverityArg {
    Low,
    Medium,
    High,
    Critical,
}

impl SeverityArg {
    pub fn severity(self) -> drydock_model::Severity {
        use drydock_model::Severity;
        match self {
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scanner {
    /// Inventory only.
    None,
    /// Known vulnerabilities in OS and application packages (needs `drydock db update`).
    Vuln,
    /// Secrets in layer files (deleted ones included) and in the image config.
    Secret,
    /// Insecure configuration of the image and its filesystem.
    Misconfig,
}
