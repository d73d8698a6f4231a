//! The `drydock` binary: maps arguments to a scan target, options and an output format,
//! runs the pipeline, and turns the verdict into an exit code.

/// `println!` for the commands' plain-text output (`db status`, `cache status`): std's
/// `println!` panics when the reader has gone (`drydock db status | head -1`).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::say_line(format_args!($($arg)*))
    };
}

mod cli;
mod db;
mod gate;
mod layers;
mod memory;
mod output;

use anyhow::{Context, Result};
use cli::{Cli, Command, OutputArgs, Scanner};
use drydock_report::RenderOptions;
use drydock_scanner::{
    EngineOptions, ImageSource, LayerCache, Matcher, OpenedTarget, RegistryOptions, RemoteOptions,
    ScanOptions, ScanTarget, Scanners,
};
use drydock_vulndb::Db;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// Writes one line to stdout; a closed pipe ends the program quietly, as `cat` does,
/// and any other write error is the usual one-line error with exit 2.
fn say_line(line: std::fmt::Arguments<'_>) {
    if let Err(e) = writeln!(std::io::stdout().lock(), "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let _ = writeln!(std::io::stderr(), "drydock: error: writing to stdout: {e}");
        std::process::exit(i32::from(gate::EXIT_ERROR));
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let code = if e.downcast_ref::<gate::DbUnavailable>().is_some()
                || matches!(
                    e.downcast_ref::<drydock_vulndb::Error>(),
                    Some(drydock_vulndb::Error::Missing(_))
                ) {
                gate::EXIT_DB_UNAVAILABLE
            } else {
                gate::EXIT_ERROR
            };
            let chain: Vec<String> = e.chain().map(ToString::to_string).collect();
            let _ = writeln!(
                std::io::stderr(),
                "drydock: error: {}",
                one_line(&chain.join(": "))
            );
            ExitCode::from(code)
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
            say!("{}", cli::version_text());
            Ok(0)
        }
        Command::Image {
            input,
            input_flag,
            platform,
            remote,
            output,
        } => {
            let input = input.or(input_flag).context("no image given")?;
            let remote = Box::new(remote_options(remote, output.debug));
            let target = ScanTarget::Image {
                input,
                platform,
                remote,
            };
            let layer_cache = layers::open(&cli.layers, &cache_dir);
            scan(
                &target,
                &output,
                &[Scanner::Vuln, Scanner::Secret],
                &cache_dir,
                layer_cache.as_ref(),
            )
        }
        Command::Cache { command } => layers::command(&command, &cli.layers, &cache_dir),
        Command::Rootfs { dir, output } => scan(
            &ScanTarget::Rootfs(dir),
            &output,
            &[Scanner::Vuln],
            &cache_dir,
            None,
        ),
        Command::Fs { dir, output } => scan(
            &ScanTarget::SourceTree(dir),
            &output,
            &[Scanner::Vuln],
            &cache_dir,
            None,
        ),
        Command::Sbom { input, output } => scan_sbom(&input, &output, &cache_dir),
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
        // DOCKER_HOST and XDG_RUNTIME_DIR pick the socket; --timeout bounds each read on it.
        engine: EngineOptions::from_env(args.timeout),
        verify_key: args.verify_key,
    }
}

/// Opens the vulnerability database when the vuln scanner is on. The target is opened
/// first, so a missing input is reported as such even without a database, and the
/// database before reading layers, so a missing one fails fast rather than after a
/// long scan.
fn open_matcher(args: &OutputArgs, gate: &gate::Gate, cache_dir: &Path) -> Result<Option<Matcher>> {
    let path = drydock_vulndb::db_path(cache_dir);
    let db = match Db::open(&path) {
        Err(e @ drydock_vulndb::Error::Missing(_)) => return Err(e.into()),
        other => other.with_context(|| format!("opening {}", path.display()))?,
    };
    gate.check_db_age(cache_dir)?;
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

/// Loads the gate (policy, ignores, VEX, baseline), opens the target and the database,
/// scans, applies the policy, writes the report and returns the exit code.
fn scan(
    target: &ScanTarget,
    args: &OutputArgs,
    default_scanners: &[Scanner],
    cache_dir: &Path,
    layer_cache: Option<&LayerCache>,
) -> Result<u8> {
    let started = std::time::Instant::now();
    memory::watch(args.memory_budget_mib, target.label());
    let outputs = output::plan(args)?;
    let gate = gate::Gate::load(&args.gate)?;
    let scanners = gate.scanners(args.scanners.as_deref(), default_scanners)?;
    let limits = drydock_scanner::Limits {
        max_layer_bytes: args.max_layer_mib.saturating_mul(1 << 20),
        max_inflate_ratio: args.max_inflate_ratio,
        deadline: started
            .checked_add(args.scan_timeout)
            .map(|at| (at, args.scan_timeout)),
    };
    let opened = target.open_with(&limits)?;
    let matcher = if scanners.contains(&Scanner::Vuln) {
        open_matcher(args, &gate, cache_dir)?
    } else {
        None
    };
    let bar = progress_bar(&opened, args.quiet);
    let tick = |n: u64| bar.inc(n);
    let opts = ScanOptions {
        max_file_size: args.max_file_mib.saturating_mul(1 << 20),
        limits,
        scanners: Scanners {
            secret_config: args.secret_config.clone(),
            debug: args.debug,
            secret: scanners.contains(&Scanner::Secret),
            misconfig: scanners.contains(&Scanner::Misconfig),
        },
        matcher: matcher.as_ref(),
        today: gate.today(),
        skip: gate.skip.clone(),
        progress: &tick,
        cache: layer_cache,
    };
    let report = drydock_scanner::scan(&opened, &opts)?;
    bar.finish_and_clear();
    if let Some(cache) = layer_cache {
        layers::after_scan(cache);
    }
    finish(gate.apply(report), args, &gate, outputs)
}

/// Reads an SBOM (a file, or standard input for `-`) and matches its inventory.
fn scan_sbom(input: &Path, args: &OutputArgs, cache_dir: &Path) -> Result<u8> {
    let outputs = output::plan(args)?;
    let gate = gate::Gate::load(&args.gate)?;
    let scanners = gate.scanners(args.scanners.as_deref(), &[Scanner::Vuln])?;
    let stdin = input == Path::new("-");
    let name = if stdin {
        "<stdin>".to_owned()
    } else {
        input.display().to_string()
    };
    let bytes = if stdin {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map(|_| bytes)
    } else {
        std::fs::read(input)
    }
    .with_context(|| format!("reading {name}"))?;
    let sbom = drydock_sbom::read(&name, &bytes).with_context(|| name.clone())?;
    let matcher = if scanners.contains(&Scanner::Vuln) {
        open_matcher(args, &gate, cache_dir)?
    } else {
        None
    };
    let report = drydock_scanner::scan_inventory(
        sbom.artifact,
        sbom.inventory,
        matcher.as_ref(),
        &gate.today(),
    )?;
    finish(gate.apply(report), args, &gate, outputs)
}

/// Writes every output and turns the verdict into an exit code.
fn finish(
    report: drydock_model::Report,
    args: &OutputArgs,
    gate: &gate::Gate,
    outputs: Vec<output::Output>,
) -> Result<u8> {
    let options = RenderOptions {
        list_packages: args.list_packages,
        created: Some(drydock_vulndb::now_rfc3339()),
        width: Some(table_width()),
        color: use_color(args.color),
    };
    output::write_all(&report, outputs, &options)?;
    Ok(gate.finish(&report))
}

/// Tables fit `COLUMNS` when set (also when piped), else the terminal, else 120
/// columns, so a log or a pipe gets the same wrapping as a terminal.
fn table_width() -> u16 {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok());
    from_env
        .or_else(|| {
            console::Term::stdout()
                .size_checked()
                .map(|(_rows, cols)| cols)
        })
        .filter(|w| *w >= 40)
        .unwrap_or(120)
}

/// `auto` follows https://no-color.org: colour only on a terminal and without
/// `NO_COLOR` (any non-empty value) or `TERM=dumb`.
fn use_color(choice: cli::ColorChoice) -> bool {
    match choice {
        cli::ColorChoice::Always => true,
        cli::ColorChoice::Never => false,
        cli::ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

fn progress_bar(target: &OpenedTarget, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    // A compressed docker archive does not say how large its layers are until they are
    // read: a bar against an unknown total would show "N/N" over an empty bar.
    let noun = target.progress_noun();
    let (bar, template) = match target.total_layer_bytes() {
        Some(total) => (
            ProgressBar::new(total),
            format!(
                "{{spinner}} reading {noun} {{bytes}}/{{total_bytes}} {{bytes_per_sec}} {{wide_bar}}"
            ),
        ),
        None => (
            ProgressBar::no_length(),
            format!("{{spinner}} reading {noun}: {{bytes}} read, {{bytes_per_sec}}"),
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}
