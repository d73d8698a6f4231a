//! Command-line definitions, kept apart from what the commands do.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

mod db;
pub use db::{DEFAULT_OSV_SOURCE, DbCommand, DbUpdateArgs};

#[derive(Parser, Debug)]
#[command(
    name = "drydock",
    version,
    about = "Container image security scanner",
    propagate_version = true,
    after_help = EXIT_CODES
)]
pub struct Cli {
    /// Where the vulnerability database lives (default: $XDG_CACHE_HOME/drydock).
    #[arg(long, global = true, env = "DRYDOCK_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    #[command(flatten)]
    pub layers: LayerCacheArgs,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the command line with the one version text `--version`, `-V` and
    /// `drydock version` all print.
    pub fn parse_args() -> Self {
        // Without clap's `string` feature a runtime version must be `'static`; it is built once.
        let version: &'static str = Box::leak(version_number().into_boxed_str());
        let matches = Self::command().version(version).get_matches();
        Self::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

/// `0.1.0` and the JSON report schema it writes, on two lines (clap prefixes the name).
fn version_number() -> String {
    format!(
        "{}\nreport schema {}",
        env!("CARGO_PKG_VERSION"),
        drydock_model::REPORT_SCHEMA_VERSION
    )
}

/// What `drydock version` prints: the same text as `drydock --version`.
pub fn version_text() -> String {
    format!("drydock {}", version_number())
}

/// The exit codes every scanning command shares (a macro so `concat!` can append them).
macro_rules! exit_codes {
    () => {
        "Exit codes: 0 pass, 1 policy failed, 2 bad input or usage, 3 vulnerability database \
         missing or older than the policy allows; --exit-code N when findings remain."
    };
}

const EXIT_CODES: &str = exit_codes!();

const IMAGE_HELP: &str = concat!(
    "Examples:
  drydock image app.tar                      a docker save archive (.tar, .tar.gz)
  drydock image oci-layout:1.0               a tag inside an OCI layout directory
  drydock image nginx:1.25 --severity HIGH,CRITICAL --exit-code 1
  drydock image registry.local:5000/team/app@sha256:... --verify-key cosign.pub
  DOCKER_HOST=unix:///tmp/podman.sock drydock image localhost/app:dev --image-src engine
  drydock image app.tar --format sarif=out.sarif --format table

",
    exit_codes!()
);

const DIR_HELP: &str = concat!(
    "Examples:
  drydock rootfs /mnt/extracted-image --scanners vuln,misconfig
  drydock fs . --pkg-types library --format json -o report.json

",
    exit_codes!()
);

const SBOM_HELP: &str = concat!(
    "Examples:
  drydock sbom app.cdx.json
  syft app.tar -o cyclonedx-json | drydock sbom - --severity CRITICAL --exit-code 1

",
    exit_codes!()
);

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan an image: a local docker-archive (.tar, .tar.gz), OCI layout directory or OCI
    /// archive, else an image name read from a container engine (Docker, Podman) or
    /// pulled from its registry.
    ///
    /// `PATH:TAG` selects a tagged image inside an OCI layout or a multi-image docker save.
    /// Names are read as Docker does: `nginx:1.25` is `docker.io/library/nginx:1.25`,
    /// `host:5000/team/app@sha256:...` pulls by digest. A local path wins when it exists.
    #[command(after_help = IMAGE_HELP)]
    Image {
        /// The image file or directory, or an image name.
        #[arg(required_unless_present = "input_flag", conflicts_with = "input_flag")]
        input: Option<PathBuf>,
        /// The image file, directory or name (as Trivy's `--input`; same as the positional path).
        #[arg(long = "input", id = "input_flag", value_name = "INPUT")]
        input_flag: Option<PathBuf>,
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
    #[command(after_help = DIR_HELP)]
    Rootfs {
        /// The directory holding the unpacked filesystem (its `/etc`, `/usr`, ...).
        dir: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Scan a source tree: lockfiles and manifests (package-lock.json, Cargo.lock, ...).
    #[command(after_help = DIR_HELP)]
    Fs {
        /// The directory to search for lockfiles and manifests.
        dir: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Scan an SBOM: CycloneDX (1.4–1.7) or SPDX (2.2, 2.3) JSON, as drydock, Trivy or
    /// Syft write them. `-` reads standard input.
    #[command(after_help = SBOM_HELP)]
    Sbom {
        /// The SBOM file, or `-` for standard input.
        input: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Manage the local vulnerability database.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Inspect or empty the per-layer result cache (`<cache dir>/layers`).
    Cache {
        #[command(subcommand)]
        command: CacheCommand,
    },
    /// Print version information.
    Version,
}

#[derive(Subcommand, Debug)]
pub enum CacheCommand {
    /// Entries, size, the bound, and the last scan's hits and misses.
    Status,
    /// Remove every entry.
    Clean,
}

/// The per-layer result cache: layers seen before (same digest, same analyzers and
/// options) are not analysed again, and for registry images not downloaded again.
#[derive(clap::Args, Debug)]
pub struct LayerCacheArgs {
    /// Keep at most this many MiB of layer results; least recently used go first.
    #[arg(
        long,
        global = true,
        env = "DRYDOCK_LAYER_CACHE_MIB",
        default_value_t = 2048
    )]
    pub layer_cache_mib: u64,
    /// Neither read nor write the layer cache.
    #[arg(long, global = true, env = "DRYDOCK_NO_LAYER_CACHE")]
    pub no_layer_cache: bool,
}

#[derive(clap::Args, Debug)]
pub struct OutputArgs {
    /// Output format: table (default), json, sarif, junit, html, template. Repeatable;
    /// `FORMAT=FILE` writes that format to FILE, e.g. `--format sarif=out.sarif --format
    /// table`. At most one format goes to stdout (or to `--output`).
    #[arg(long, short, value_name = "FORMAT[=FILE]", value_parser = parse_output_spec)]
    pub format: Vec<OutputSpec>,
    /// Write the format given without `=FILE` to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Custom text output from a MiniJinja (Jinja2) template file over the JSON report's
    /// fields; implies `--format template`. `@FILE` is accepted as Trivy spells it.
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Which scanners to run, comma-separated. `none` lists the inventory only.
    /// [default: vuln,secret for `image`, vuln otherwise, plus what the policy checks]
    #[arg(long, value_enum, value_delimiter = ',')]
    pub scanners: Option<Vec<Scanner>>,
    /// Warn when the vulnerability database is older than this many days.
    #[arg(long, default_value_t = 7)]
    pub db_max_age_days: u64,
    /// Skip files larger than this many MiB instead of analysing them.
    #[arg(long, default_value_t = 512)]
    pub max_file_mib: u64,
    /// Refuse (exit 2) a layer whose blob or inflated tar is larger than this many MiB.
    #[arg(long, default_value_t = 65536, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_layer_mib: u64,
    /// Refuse (exit 2) a layer that inflates more than this many times its compressed
    /// size once past 1 GiB inflated: a compression bomb, or GBs of zero-filled files.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_inflate_ratio: u64,
    /// Give up (exit 2) on reading the image's layers after this long, counted from the
    /// start of the scan: `30m`, `90s`, `2h`. A registry's per-request limit is `--timeout`.
    #[arg(long, default_value = "30m", value_parser = parse_duration)]
    pub scan_timeout: std::time::Duration,
    /// Stop (exit 2, no report) when the scan's resident memory grows past this many MiB
    /// (Linux; read from `/proc`): a hostile
    /// image must not exhaust the machine. 0 for no budget. Checked every 10 ms, so a
    /// burst can overshoot it briefly.
    #[arg(long, default_value_t = 4096, env = "DRYDOCK_MEMORY_BUDGET_MIB")]
    pub memory_budget_mib: u64,
    /// Secret rules to add, replace or disable: a TOML file merged over the built-in
    /// rules. `[[rules]]` entries (`id`, `title`, `severity`, `keywords`, `regex`, optional
    /// `confidence`, `allow`, `entropy`, `paths`) replace a built-in rule of the same id or
    /// add one; `disable = ["id", ...]` turns rules off; `skip_paths`, `skip_extensions`,
    /// `allow_paths` add exclusions, `sample_paths` tests, examples and translations (where only
    /// high-confidence findings are reported); `max_file_size` and `min_confidence` override.
    /// Example: `disable = ["generic-secret"]`.
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
    /// Colour severities in the table: `auto` when stdout is a terminal and `NO_COLOR`
    /// is not set.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    #[command(flatten)]
    pub gate: crate::gate::GateArgs,
}

/// Where image names are looked up, and how registries are reached.
#[derive(clap::Args, Debug)]
pub struct RemoteArgs {
    /// Sources to try, in order, for a name that is not a local path (the engine's
    /// socket is DOCKER_HOST, else Docker's, then Podman's).
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
    /// Give up on a registry or engine socket that does not answer (or stalls
    /// mid-download) for this long: `30s`, `2m`, `500ms`, or seconds.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    pub timeout: std::time::Duration,
    /// cosign public key (cosign.pub): fail unless the image carries a signature that
    /// verifies with it.
    #[arg(long)]
    pub verify_key: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
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

/// A format by its `--format` name (Trivy's spellings where Trivy has the format).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Json,
    Sarif,
    Junit,
    Html,
    /// The `--template FILE` output.
    Template,
    /// CycloneDX 1.6 JSON SBOM (with vulnerabilities when the vuln scanner ran).
    Cyclonedx,
    /// CycloneDX 1.6 VEX: the findings, referring to the `cyclonedx` SBOM by BOM-link.
    CyclonedxVex,
    /// SPDX 2.3 JSON SBOM.
    SpdxJson,
}

/// One `--format` value: a format, and the file it goes to (`None`: stdout or `--output`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: OutputFormat,
    pub path: Option<PathBuf>,
}

impl OutputFormat {
    /// Every `--format` name, for messages.
    pub fn names() -> String {
        let names: Vec<String> = OutputFormat::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_owned())
            .collect();
        names.join(", ")
    }
}

fn parse_output_spec(value: &str) -> Result<OutputSpec, String> {
    let (name, path) = match value.split_once('=') {
        Some((name, path)) => (name, Some(path)),
        None => (value, None),
    };
    let format = OutputFormat::from_str(name, true)
        .map_err(|_| format!("unknown format '{name}' (known: {})", OutputFormat::names()))?;
    if path == Some("") {
        return Err(format!("no file name after '{name}='"));
    }
    Ok(OutputSpec {
        format,
        path: path.map(PathBuf::from),
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::PkgTypeArg;
    use drydock_model::Severity;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("drydock").chain(args.iter().copied()))
    }

    /// Every Trivy flag drydock supports, spelled as in Trivy's CLI reference
    /// (`trivy image --help`), parses, alone and together.
    #[test]
    fn trivy_flags_parse() {
        let each: &[&[&str]] = &[
            &["image", "--input", "img.tar"],
            &["image", "img.tar", "--severity", "HIGH,CRITICAL"],
            &[
                "image",
                "img.tar",
                "--severity",
                "UNKNOWN",
                "--severity",
                "LOW",
            ],
            &["image", "img.tar", "--exit-code", "1"],
            &["image", "img.tar", "--exit-code", "0"],
            &["image", "img.tar", "--ignore-unfixed"],
            &["image", "img.tar", "--pkg-types", "os,library"],
            &[
                "image",
                "img.tar",
                "--skip-dirs",
                "/usr/lib/ruby",
                "--skip-dirs",
                "./testdata/*",
            ],
            &["image", "img.tar", "--skip-files", "/Gemfile.lock,**/*.pem"],
            &["image", "img.tar", "--ignorefile", ".trivyignore"],
            &["image", "img.tar", "--scanners", "vuln,secret,misconfig"],
            &[
                "image", "img.tar", "--format", "json", "--output", "out.json",
            ],
            &["image", "img.tar", "-f", "json", "-o", "out.json", "-q"],
            &["image", "img.tar", "--platform", "linux/arm64"],
            &[
                "image",
                "img.tar",
                "--vex",
                "a.openvex.json",
                "--vex",
                "b.cdx.json",
            ],
            &["--cache-dir", "/tmp/c", "image", "img.tar"],
            &[
                "rootfs",
                "dir",
                "--severity",
                "CRITICAL",
                "--exit-code",
                "1",
                "--skip-dirs",
                "proc",
            ],
            &[
                "fs",
                ".",
                "--ignore-unfixed",
                "--pkg-types",
                "library",
                "--ignorefile",
                "x.yaml",
            ],
        ];
        for args in each {
            parse(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        }
        let all = parse(&[
            "image",
            "--input",
            "img.tar",
            "--severity",
            "HIGH,CRITICAL",
            "--exit-code",
            "5",
            "--ignore-unfixed",
            "--pkg-types",
            "os",
            "--skip-dirs",
            "a,b",
            "--skip-files",
            "c",
            "--ignorefile",
            "i",
            "--policy",
            "p.yaml",
            "--baseline",
            "old.json",
            "--vex",
            "v",
        ])
        .expect("all together");
        let Command::Image {
            input,
            input_flag,
            output,
            ..
        } = all.command
        else {
            panic!("not image");
        };
        assert_eq!((input, input_flag), (None, Some(PathBuf::from("img.tar"))));
        let g = output.gate;
        assert_eq!(g.severity, [Severity::High, Severity::Critical]);
        assert_eq!(g.exit_code, Some(5));
        assert!(g.ignore_unfixed);
        assert_eq!(g.pkg_types, [PkgTypeArg::Os]);
        assert_eq!(g.skip_dirs, ["a", "b"]);
        assert_eq!(g.skip_files, ["c"]);
        assert_eq!(g.ignorefile, Some(PathBuf::from("i")));
    }

    #[test]
    fn bad_flag_values_are_usage_errors() {
        for args in [
            &["image"][..],
            &["image", "a.tar", "--input", "b.tar"],
            &["image", "a.tar", "--severity", "SEVERE"],
            &["image", "a.tar", "--pkg-types", "kernel"],
            &["image", "a.tar", "--exit-code", "256"],
            &["image", "a.tar", "--scanners", "vulnerability"],
        ] {
            assert!(parse(args).is_err(), "{args:?} parsed");
        }
    }
}
