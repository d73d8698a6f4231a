//! The `drydock` binary.

mod cli;
mod db;
mod table;

use anyhow::{Context, Result, bail};
use clap::Parser;
use cli::Scanner;
use cli::{Cli, Command, OutputArgs, OutputFormat};
use drydock_image::{Image, ImageRef, OpenOptions, Platform, WalkOptions};
use drydock_scanner::{Report, ScanOptions, Scanners};
use drydock_vulndb::Db;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Exit codes pipelines rely on: 0 clean, 1 policy failure (reserved for the vulnerability
/// gate), 2 the input or the command could not be processed.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let chain: Vec<String> = e.chain().map(ToString::to_string).collect();
            let _ = writeln!(
                std::io::stderr(),
                "drydock: error: {}",
                one_line(&chain.join(": "))
            );
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Errors from parsers (TOML, JSON) may span lines with source snippets; pipelines and
/// log greps want exactly one line.
fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| "|^ ".contains(c)))
        .collect();
    lines.join(" ")
}

fn run(cli: Cli) -> Result<u8> {
    let cache_dir = db::cache_dir(cli.cache_dir.as_deref())?;
    match cli.command {
        Command::Db { command } => db::run(command, &cache_dir),
        Command::Version => {
            println!("drydock {}", env!("CARGO_PKG_VERSION"));
            println!("report schema {}", drydock_scanner::REPORT_SCHEMA_VERSION);
            Ok(0)
        }
        Command::Image {
            input,
            platform,
            output,
        } => {
            let db = open_db(&output, &cache_dir)?;
            let platform = platform
                .map(|p| {
                    Platform::parse(&p)
                        .with_context(|| format!("--platform '{p}': expected os/arch[/variant]"))
                })
                .transpose()?;
            let image = Image::open(&ImageRef::parse_local(&input), &OpenOptions { platform })?;
            scan(&image, &output, db.as_ref())
        }
        Command::Rootfs { dir, output } => {
            let db = open_db(&output, &cache_dir)?;
            let image = Image::rootfs(&dir)?;
            scan(&image, &output, db.as_ref())
        }
        Command::Fs { dir, output } => {
            let db = open_db(&output, &cache_dir)?;
            let image = Image::source_tree(&dir)?;
            scan(&image, &output, db.as_ref())
        }
    }
}

/// Opens the vulnerability database when the vuln scanner is on: before reading the
/// image, so a missing database fails fast rather than after a long scan.
fn open_db(args: &OutputArgs, cache_dir: &std::path::Path) -> Result<Option<Db>> {
    if !args.scanners.contains(&Scanner::Vuln) {
        return Ok(None);
    }
    let path = drydock_vulndb::db_path(cache_dir);
    if !path.exists() {
        bail!(
            "no vulnerability database at {}: run `drydock db update` first (or scan with `--scanners none`)",
            path.display()
        );
    }
    let db = Db::open(&path).with_context(|| format!("opening {}", path.display()))?;
    if let Ok(status) = drydock_vulndb::status(cache_dir)
        && status.age.as_secs() > args.db_max_age_days.saturating_mul(86_400)
    {
        let _ = writeln!(
            std::io::stderr(),
            "warning: the vulnerability database is {} old; run `drydock db update`",
            db::human_age(status.age.as_secs())
        );
    }
    Ok(Some(db))
}

fn scan(image: &Image, args: &OutputArgs, db: Option<&Db>) -> Result<u8> {
    let bar = progress_bar(image, args.quiet);
    let tick = |n: u64| bar.inc(n);
    let opts = ScanOptions {
        walk: WalkOptions {
            max_file_size: args.max_file_mib.saturating_mul(1 << 20),
        },
        scanners: Scanners {
            secret_config: args.secret_config.clone(),
            debug: args.debug,
            secret: args.scanners.contains(&Scanner::Secret),
            misconfig: args.scanners.contains(&Scanner::Misconfig),
        },
        today: drydock_scanner::today(),
        progress: &tick,
    };
    let mut report = drydock_scanner::scan(image, &opts)?;
    if let Some(db) = db {
        drydock_scanner::add_vulnerabilities(&mut report, db)?;
    }
    bar.finish_and_clear();
    write_report(&report, args)?;
    Ok(0)
}

fn progress_bar(image: &Image, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match image.total_layer_bytes() {
        Some(total) => ProgressBar::new(total),
        None => ProgressBar::no_length(),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} reading layers {bytes}/{total_bytes} {bytes_per_sec} {wide_bar}",
    ) {
        bar.set_style(style);
    }
    bar
}

fn write_report(report: &Report, args: &OutputArgs) -> Result<()> {
    let text = match args.format {
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(report)?;
            s.push('\n');
            s
        }
        OutputFormat::Table => table::render(
            report,
            args.list_packages || report.vulnerabilities.is_none(),
        ),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                // A closed pipe (`| head`) is not an error worth a message.
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    bail!("writing report: {e}");
                }
            }
        }
    }
    Ok(())
}
