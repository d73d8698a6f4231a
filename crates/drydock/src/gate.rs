//! The CI gate: Trivy's filter and exit-code flags, the policy file, ignore files, VEX
//! documents and a baseline report, turned into one policy evaluation and an exit code.
//!
//! Exit codes are part of the interface pipelines rely on: 0 pass, 1 the policy failed,
//! 2 the input or the command is wrong, 3 the vulnerability database is missing or
//! older than the policy allows; `--exit-code N` when findings remain and nothing failed.

use crate::cli::Scanner;
use anyhow::{Context as _, Result, bail};
use clap::ValueEnum;
use drydock_model::{Report, Severity};
use drydock_policy::{Context, Date, PkgType, Policy, load};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const EXIT_POLICY_FAILED: u8 = 1;
pub const EXIT_ERROR: u8 = 2;
pub const EXIT_DB_UNAVAILABLE: u8 = 3;

/// The vulnerability database cannot be used: missing, or older than the policy allows.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DbUnavailable(pub String);

#[derive(clap::Args, Debug)]
pub struct GateArgs {
    /// Report, and gate on, only these severities (comma-separated:
    /// UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL).
    #[arg(long, value_delimiter = ',', value_parser = severity)]
    pub severity: Vec<Severity>,
    /// Exit with this code when any vulnerability, secret or misconfiguration remains
    /// reported (after filters, ignores and VEX) and the policy did not fail.
    #[arg(long, value_name = "CODE")]
    pub exit_code: Option<u8>,
    /// Do not report vulnerabilities that have no fixed version yet.
    #[arg(long)]
    pub ignore_unfixed: bool,
    /// Report vulnerabilities of these package types only (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub pkg_types: Vec<PkgTypeArg>,
    /// Do not read files below directories matching these globs (repeatable,
    /// comma-separated; `**` crosses directories).
    #[arg(long, value_delimiter = ',', value_name = "GLOB")]
    pub skip_dirs: Vec<String>,
    /// Do not read files matching these globs (repeatable, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "GLOB")]
    pub skip_files: Vec<String>,
    /// Findings to accept: a `.trivyignore` (ids, optional `exp:YYYY-MM-DD`), a
    /// `.trivyignore.yaml`, or drydock's YAML `ignores:` list. [default: .trivyignore or
    /// .trivyignore.yaml in the working directory, when present]
    #[arg(long, value_name = "FILE")]
    pub ignorefile: Option<PathBuf>,
    /// Policy file. [default: drydock.yaml in the working directory, when present]
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// A previous JSON report: remediation deadlines count from when each finding was
    /// first seen there.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// OpenVEX or CycloneDX VEX document; `not_affected` and `fixed` statements
    /// suppress findings (repeatable).
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// Exit with code 1 when any vulnerability is at least this severe.
    #[arg(long, value_parser = severity)]
    pub fail_on: Option<Severity>,
    /// The evaluation date (YYYY-MM-DD) instead of today: for tests.
    #[arg(long, hide = true, env = "DRYDOCK_TODAY")]
    pub today: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PkgTypeArg {
    /// Packages of the OS package manager (dpkg, apk, rpm).
    Os,
    /// Application packages (Python, npm, Go, Cargo, Maven, ...).
    Library,
}

fn severity(text: &str) -> Result<Severity, String> {
    drydock_policy::parse_severity(text)
        .ok_or_else(|| format!("'{text}': expected UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL"))
}

/// Everything the gate needs, loaded before the scan starts so a bad file fails fast.
pub struct Gate {
    policy: Policy,
    ctx: Context,
    /// Whether anything policy-related was asked for (else the report has no verdict).
    active: bool,
    exit_code: Option<u8>,
    pub skip: drydock_scanner::SkipPaths,
}

impl Gate {
    pub fn load(args: &GateArgs) -> Result<Gate> {
        let today = match &args.today {
            Some(t) => Date::parse(t)
                .with_context(|| format!("DRYDOCK_TODAY '{t}': expected YYYY-MM-DD"))?,
            None => Date::parse(&drydock_scanner::today()).context("system clock")?,
        };
        let cwd = std::env::current_dir().context("working directory")?;
        let policy_file = args.policy.clone().or_else(|| load::find_policy(&cwd));
        let mut policy = match &policy_file {
            Some(p) => load::read_policy(p).map_err(anyhow::Error::msg)?,
            None => Policy::default(),
        };
        if !args.severity.is_empty() {
            policy.severity = args.severity.clone();
        }
        policy.ignore_unfixed |= args.ignore_unfixed;
        if !args.pkg_types.is_empty() {
            policy.pkg_types = args
                .pkg_types
                .iter()
                .map(|t| match t {
                    PkgTypeArg::Os => PkgType::Os,
                    PkgTypeArg::Library => PkgType::Library,
                })
                .collect();
        }
        if args.fail_on.is_some() {
            policy.fail_on_severity = args.fail_on;
        }
        let mut ctx = Context::new(today);
        let ignore_file = args.ignorefile.clone().or_else(|| {
            [".trivyignore", ".trivyignore.yaml"]
                .iter()
                .map(|n| cwd.join(n))
                .find(|p| p.is_file())
        });
        if let Some(f) = &ignore_file {
            ctx.ignores = load::read_ignores(f).map_err(anyhow::Error::msg)?;
        }
        for f in &args.vex {
            let doc = load::read_vex(f).map_err(anyhow::Error::msg)?;
            ctx.vex.statements.extend(doc.statements);
            ctx.vex.rejected.extend(doc.rejected);
        }
        if let Some(f) = &args.baseline {
            ctx.baseline = Some(load::read_baseline(f).map_err(anyhow::Error::msg)?);
        }
        let skip = drydock_scanner::SkipPaths::new(&args.skip_dirs, &args.skip_files)
            .map_err(anyhow::Error::msg)?;
        let active = policy_file.is_some()
            || ignore_file.is_some()
            || !args.vex.is_empty()
            || args.baseline.is_some()
            || !policy.severity.is_empty()
            || policy.ignore_unfixed
            || !policy.pkg_types.is_empty()
            || policy.fail_on_severity.is_some();
        Ok(Gate {
            policy,
            ctx,
            active,
            exit_code: args.exit_code,
            skip,
        })
    }

    pub fn today(&self) -> String {
        self.ctx.today.to_string()
    }

    /// The scanners to run: the ones asked for, or the command's defaults plus those the
    /// policy's rules need. `none` with another scanner is a contradiction.
    pub fn scanners(
        &self,
        asked: Option<&[Scanner]>,
        defaults: &[Scanner],
    ) -> Result<Vec<Scanner>> {
        if let Some(list) = asked {
            if list.contains(&Scanner::None) && list.iter().any(|s| *s != Scanner::None) {
                bail!("--scanners: `none` cannot be combined with other scanners");
            }
            return Ok(list
                .iter()
                .copied()
                .filter(|s| *s != Scanner::None)
                .collect());
        }
        let mut out = defaults.to_vec();
        let p = &self.policy;
        let mut need = |s: Scanner, needed: bool| {
            if needed && !out.contains(&s) {
                out.push(s);
            }
        };
        need(Scanner::Vuln, p.needs_vulnerabilities());
        need(Scanner::Secret, !p.must_pass.secrets.is_empty());
        need(Scanner::Misconfig, !p.must_pass.misconfig.is_empty());
        Ok(out)
    }

    /// Exit code 3 when the policy limits the database's age and it is older.
    pub fn check_db_age(&self, cache_dir: &Path) -> Result<()> {
        let Some(max) = self.policy.max_db_age_days else {
            return Ok(());
        };
        let status = drydock_vulndb::status(cache_dir)
            .map_err(|e| DbUnavailable(format!("vulnerability database: {e}")))?;
        let built = i64::try_from(status.built_at)
            .ok()
            .and_then(Date::from_unix_seconds)
            .ok_or_else(|| DbUnavailable("vulnerability database: no build date".into()))?;
        let age = self.ctx.today.days_since(built);
        if age > i64::from(max) {
            return Err(DbUnavailable(format!(
                "the vulnerability database was built {built}, {age} days ago; the policy allows {max} (max_db_age_days): run `drydock db update`"
            ))
            .into());
        }
        Ok(())
    }

    /// The report as the policy sees it (unchanged when nothing policy-related is set).
    pub fn apply(&self, report: Report) -> Report {
        if self.active {
            drydock_policy::apply(report, &self.policy, &self.ctx)
        } else {
            report
        }
    }

    /// Prints each failing rule and warning as one stderr line and picks the exit code.
    pub fn finish(&self, report: &Report) -> u8 {
        let mut err = std::io::stderr().lock();
        if let Some(v) = &report.verdict {
            for w in &v.warnings {
                let _ = writeln!(err, "drydock: policy warning: {}: {}", w.rule, w.reason);
            }
            for f in &v.failures {
                let _ = writeln!(err, "drydock: policy failed: {}: {}", f.rule, f.reason);
            }
            if !v.pass {
                return EXIT_POLICY_FAILED;
            }
        }
        let Some(code) = self.exit_code else { return 0 };
        let counts = [
            (
                report.vulnerabilities.as_ref().map_or(0, Vec::len),
                "vulnerability",
                "vulnerabilities",
            ),
            (
                report.secrets.as_ref().map_or(0, Vec::len),
                "secret",
                "secrets",
            ),
            (
                report.misconfigurations.as_ref().map_or(0, Vec::len),
                "misconfiguration",
                "misconfigurations",
            ),
        ];
        let found: Vec<String> = counts
            .iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect();
        if found.is_empty() {
            return 0;
        }
        let _ = writeln!(
            err,
            "drydock: findings reported (--exit-code {code}): {}",
            found.join(", ")
        );
        code
    }
}
