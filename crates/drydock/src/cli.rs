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
    /// Scan an image: a local docker-archive (.tar, .tar.gz), OCI layout directory or OCI
    /// archive, else an image name pulled from its registry.
    ///
    /// `PATH:TAG` selects a tagged image inside an OCI layout or a multi-image docker save.
    /// Names are read as Docker does: `nginx:1.25` is `docker.io/library/nginx:1.25`,
    /// `host:5000/team/app@sha256:...` pulls by digest. A local path wins when it exists.
    Image {
        /// The image file or directory, or an image name.
        input: PathBuf,
        /// Image to read from a multi-platform index, e.g. linux/arm64 (default: this host's,
        /// else the only one).
        #[arg(long)]
        platform: Option<String>,
        #[command(flatten)]
        remote: RemoteArgs,
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
        /// Where `kev/`, `cvss/`, `epss/`, `alpine-secdb/` live (default: the source's parent).
        #[arg(long)]
        feeds: Option<String>,
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
    /// Also report secret candidates that were dropped (placeholders, low entropy...) and
    /// why, and log registry requests (never credentials) to stderr.
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

/// Where image names are looked up, and how registries are reached.
#[derive(clap::Args, Debug)]
pub struct RemoteArgs {
    /// Sources to try, in order, for a name that is not a local path.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "engine,registry"
    )]
    pub image_src: Vec<ImageSrc>,
    /// Registry user (else docker's config.json: credHelpers, auths, credsStore).
    #[arg(long, env = "DRYDOCK_USERNAME", hide_env_values = true)]
    pub username: Option<String>,
    /// Registry password or token.
    #[arg(long, env = "DRYDOCK_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// PEM file of CA certificates to trust besides the system's.
    #[arg(long)]
    pub ca_cert: Option<PathBuf>,
    /// Reach the registry over plain HTTP (TLS checks are never switched off).
    #[arg(long)]
    pub insecure: bool,
    /// Give up on a registry that does not answer (or stalls mid-download) for this
    /// long: `30s`, `2m`, `500ms`, or seconds.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    pub timeout: std::time::Duration,
    /// cosign public key (cosign.pub): fail unless the image carries a signature that
    /// verifies with it.
    #[arg(long)]
    pub verify_key: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageSrc {
    /// A container engine (Docker, Podman).
    Engine,
    /// The registry the name points to.
    Registry,
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let (number, unit) = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or((s, "s"), |i| s.split_at(i));
    let n: f64 = number
        .parse()
        .map_err(|_| format!("'{s}': expected a duration such as 30s, 2m or 500ms"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("'{s}': unknown unit '{unit}' (ms, s, m, h)")),
    };
    if !(secs > 0.0 && secs.is_finite()) {
        return Err(format!("'{s}': must be more than zero"));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
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
