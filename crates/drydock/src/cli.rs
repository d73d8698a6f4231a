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
    /// Print version information.
    Version,
}

#[derive(clap::Args, Debug)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Write the report to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Which scanners to run, comma-separated. `none` lists the inventory only.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "none")]
    pub scanners: Vec<Scanner>,
    /// Skip files larger than this many MiB instead of analysing them.
    #[arg(long, default_value_t = 512)]
    pub max_file_mib: u64,
    /// Hide the progress bar.
    #[arg(long, short)]
    pub quiet: bool,
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
    /// Secrets in layer files (deleted ones included) and in the image config.
    Secret,
    /// Insecure configuration of the image and its filesystem.
    Misconfig,
}
