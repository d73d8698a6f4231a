//! The `drydock` binary: maps arguments to a scan target, options and an output format,
//! runs the pipeline, and turns the verdict into an exit code.

mod cli;
mod db;

use anyhow::{Context, Result, bail};
use clap::Parser;
use cli::{Cli, Command, OutputArgs, OutputFormat, Scanner};
use drydock_policy::{Policy, Today};
use drydock_report::{Format, RenderOptions};
use drydock_scanner::{
    ImageSource, Matcher, OpenedTarget, RegistryOptions, RemoteOptions, ScanOptions, ScanTarget,
    Scanners,
};
use drydock_vulndb::Db;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Exit codes pipelines rely on: 0 the scan ran (and the policy, if any, passed), 1 the
/// policy failed, 2 the input or the command could not be processed.
const EXIT_POLICY_FAILED: u8 = 1;
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
            println!("report schema {}", drydock_model::REPORT_SCHEMA_VERSION);
            Ok(0)
        }
        Command::Image {
            input,
            platform,
            remote,
            output,
        } => {
            let remote = remote_options(remote, output.debug);
            let target = ScanTarget::Image {
                input,
                platform,
                remote,
            };
            scan(&target, &output, &cache_dir)
        }
        Command::Rootfs { dir, output } => scan(&ScanTarget::Rootfs(dir), &output, &cache_dir),
        Command::Fs { dir, output } => scan(&ScanTarget::SourceTree(dir), &output, &cache_dir),
    }
}

fn remote_options(args: cli::RemoteArgs, debug: bool) -> RemoteOptions {
    RemoteOptions {
        sources: args
            .image_src
            .iter()
            .map(|s| match s {
                cli::ImageSrc::Engine => ImageSource::Engine,
                cli::ImageSrc::Registry => ImageSource::Registry,
            })
            .collect(),
        registry: RegistryOptions {
            username: args.username,
            password: args.password,
            ca_cert: args.ca_cert,
            insecure: args.insecure,
            timeout: args.timeout,
            debug,
            docker_config: None,
        },
        verify_key: args.verify_key,
    }
}

/// Opens the vulnerability database when the vuln scanner is on. The target is opened
/// first, so a missing input is reported as such even without a database, and the
/// database before reading layers, so a missing one fails fast rather than after a
/// long scan.
fn open_matcher(args: &OutputArgs, cache_dir: &std::path::Path) -> Result<Option<Matcher>> {
    if !args.scanners.contains(&Scanner::Vuln) {
        return Ok(None);
    }
    let path = drydock_vulndb::db_path(cache_dir);
    let db = match Db::open(&path) {
        Err(e @ drydock_vulndb::Error::Missing(_)) => return Err(e.into()),
        other => other.with_context(|| format!("opening {}", path.display()))?,
    };
    if let Ok(status) = drydock_vulndb::status(cache_dir)
        && status.age.as_secs() > args.db_max_age_days.saturating_mul(86_400)
    {
        let _ = writeln!(
            std::io::stderr(),
            "warning: the vulnerability database is {} old; run `drydock db update`",
            db::human_age(status.age.as_secs())
        );
    }
    Ok(Some(Matcher::new(db)))
}

fn scan(target: &ScanTarget, args: &OutputArgs, cache_dir: &std::path::Path) -> Result<u8> {
    let opened = target.open()?;
    let matcher = open_matcher(args, cache_dir)?;
    let bar = progress_bar(&opened, args.quiet);
    let tick = |n: u64| bar.inc(n);
    let today = drydock_scanner::today();
    let opts = ScanOptions {
        max_file_size: args.max_file_mib.saturating_mul(1 << 20),
        scanners: Scanners {
            secret_config: args.secret_config.clone(),
            debug: args.debug,
            secret: args.scanners.contains(&Scanner::Secret),
            misconfig: args.scanners.contains(&Scanner::Misconfig),
        },
        matcher: matcher.as_ref(),
        today: today.clone(),
        progress: &tick,
    };
    let mut report = drydock_scanner::scan(&opened, &opts)?;
    bar.finish_and_clear();
    let policy = Policy {
        fail_on_severity: args.fail_on.map(cli::SeverityArg::severity),
    };
    if policy != Policy::default() {
        report.verdict = Some(drydock_policy::evaluate(&report, &policy, &Today(today)));
    }
    write_report(&report, args)?;
    match &report.verdict {
        Some(v) if !v.pass => {
            let mut err = std::io::stderr().lock();
            for f in &v.failures {
                let _ = writeln!(err, "drydock: policy failed: {}: {}", f.rule, f.reason);
            }
            Ok(EXIT_POLICY_FAILED)
        }
        _ => Ok(0),
    }
}

fn progress_bar(target: &OpenedTarget, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match target.total_layer_bytes() {
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

fn write_report(report: &drydock_model::Report, args: &OutputArgs) -> Result<()> {
    let format = match args.format {
        OutputFormat::Json => Format::Json,
        OutputFormat::Table => Format::Table,
    };
    let options = RenderOptions {
        list_packages: args.list_packages,
    };
    match &args.output {
        Some(path) => {
            let mut file = std::fs::File::create(path)
                .with_context(|| format!("writing {}", path.display()))?;
            drydock_report::render(report, format, &options, &mut file)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            let written = drydock_report::render(report, format, &options, &mut out)
                .and_then(|()| out.flush());
            if let Err(e) = written {
                // A closed pipe (`| head`) is not an error worth a message.
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    bail!("writing report: {e}");
                }
            }
        }
    }
    Ok(())
}
