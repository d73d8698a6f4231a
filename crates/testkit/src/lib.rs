//! Test support for drydock's test crates (a dev-dependency only): where data the
//! repository does not hold lives, and one way to do without it that cannot pass silently.
//!
//! Some tests need `../shared` (the vulnerability mirror and image corpus CI keeps beside
//! the clone), a corpus built by `../shared/images/build.sh` (`DRYDOCK_CORPUS`), or the
//! `go` toolchain. Each asks with [`need`]. When the thing is absent:
//! - with `DRYDOCK_REQUIRE_FULL=1` (`.ci/run` sets it) the test fails, and its message
//!   lists everything the full suite is missing, not just its own need;
//! - otherwise the test returns early and prints `SKIPPED <test>: ...` past libtest's
//!   output capture, so the line shows in `cargo test` output next to the `ok`.
//!
//! It also builds compression bombs ([`gzip_bomb`], [`zstd_bomb`]) for the tests of the
//! layer limits, in a fraction of the time inflating them takes.
//!
//! Tests also append what they checked to a ledger (`DRYDOCK_TEST_LEDGER`, one
//! tab-separated record per line), which `.ci/run` sums into its closing line.

mod bombs;

pub use bombs::{gzip_bomb, zstd_bomb};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Something a test needs that a fresh clone alone does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// `../shared/vulndata`: the full OSV, CVSS, EPSS and KEV mirror.
    SharedVulndata,
    /// `../shared/images`: the committed small image tier and the corpus INDEX.json.
    SharedImages,
    /// `DRYDOCK_CORPUS`: a full image corpus built by `../shared/images/build.sh`.
    Corpus,
    /// The `go` toolchain on PATH.
    Go,
    /// `sarif-multitool` (npm `@microsoft/sarif-multitool`), which validates SARIF.
    SarifMultitool,
    /// Python's `junitparser` (PyPI), which parses JUnit XML.
    Junitparser,
    /// Headless Chromium (Debian `chromium`, or `DRYDOCK_CHROMIUM`), which renders HTML.
    Chromium,
}

const ALL_NEEDS: [Need; 7] = [
    Need::SharedVulndata,
    Need::SharedImages,
    Need::Corpus,
    Need::Go,
    Need::SarifMultitool,
    Need::Junitparser,
    Need::Chromium,
];

impl Need {
    /// The short name used in skip lines and the ledger.
    pub fn name(self) -> &'static str {
        match self {
            Need::SharedVulndata => "shared-vulndata",
            Need::SharedImages => "shared-images",
            Need::Corpus => "corpus",
            Need::Go => "go",
            Need::SarifMultitool => "sarif-multitool",
            Need::Junitparser => "junitparser",
            Need::Chromium => "chromium",
        }
    }

    /// An output-format validator, which `.ci/run` installs from a package registry.
    fn is_validator(self) -> bool {
        matches!(
            self,
            Need::SarifMultitool | Need::Junitparser | Need::Chromium
        )
    }

    /// Where the thing is, or what is wrong and how to provide it.
    fn locate(self) -> Result<PathBuf, String> {
        match self {
            Need::SharedVulndata => shared_with("vulndata", &["osv", "cvss/cvss.jsonl"]),
            Need::SharedImages => shared_with("images", &["INDEX.json", "small"]),
            Need::Corpus => match std::env::var_os("DRYDOCK_CORPUS") {
                None => Err("DRYDOCK_CORPUS is unset (build a corpus with \
                     ../shared/images/build.sh OUTDIR, then export DRYDOCK_CORPUS=OUTDIR)"
                    .into()),
                Some(dir) => {
                    let dir = PathBuf::from(dir);
                    if dir.join("INDEX.json").is_file() {
                        Ok(dir)
                    } else {
                        Err(format!(
                            "DRYDOCK_CORPUS={} has no INDEX.json (not a built corpus)",
                            dir.display()
                        ))
                    }
                }
            },
            Need::Go => match Command::new("go").arg("version").output() {
                Ok(out) if out.status.success() => Ok(PathBuf::from("go")),
                _ => Err("`go` is not on PATH (Debian: apt-get install golang-go)".into()),
            },
            Need::SarifMultitool => runs(
                "sarif-multitool",
                &["--version"],
                "npm install --global @microsoft/sarif-multitool",
            ),
            Need::Junitparser => runs(
                "python3",
                &["-c", "import junitparser"],
                "python3 -m pip install junitparser",
            )
            .map(|_| PathBuf::from("python3")),
            Need::Chromium => {
                let binary = chromium();
                runs(&binary, &["--version"], "Debian: apt-get install chromium")
            }
        }
    }
}

/// The Chromium binary: `DRYDOCK_CHROMIUM`, else `chromium`.
pub fn chromium() -> String {
    std::env::var("DRYDOCK_CHROMIUM").unwrap_or_else(|_| "chromium".to_owned())
}

/// `program` when `program args` runs and succeeds, else how to install it.
fn runs(program: &str, args: &[&str], install: &str) -> Result<PathBuf, String> {
    match Command::new(program).args(args).output() {
        Ok(out) if out.status.success() => Ok(PathBuf::from(program)),
        _ => Err(format!(
            "`{program} {}` does not run ({install})",
            args.join(" ")
        )),
    }
}

/// The repository checkout this test binary was built from.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// `DRYDOCK_SHARED`, else `../shared` beside the repository (where CI puts it).
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("DRYDOCK_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root()
            .parent()
            .map_or_else(|| PathBuf::from("../shared"), |p| p.join("shared")),
    }
}

fn shared_with(sub: &str, entries: &[&str]) -> Result<PathBuf, String> {
    let dir = shared_dir().join(sub);
    if !dir.is_dir() {
        return Err(format!(
            "{} does not exist (clone beside ../shared, or set DRYDOCK_SHARED)",
            dir.display()
        ));
    }
    let missing: Vec<&str> = entries
        .iter()
        .copied()
        .filter(|e| !dir.join(e).exists())
        .collect();
    if missing.is_empty() {
        Ok(dir)
    } else {
        Err(format!(
            "{} lacks {} (clone beside ../shared, or set DRYDOCK_SHARED)",
            dir.display(),
            missing.join(", ")
        ))
    }
}

/// Whether every skip must be a failure (`DRYDOCK_REQUIRE_FULL=1`).
pub fn require_full() -> bool {
    std::env::var_os("DRYDOCK_REQUIRE_FULL").is_some_and(|v| v == "1")
}

/// The explicit opt-outs, which excuse a need even when the full suite is required (the
/// skip is still reported): `DRYDOCK_SKIP_CORPUS=1` for the corpus, and
/// `DRYDOCK_SKIP_VALIDATORS` (comma-separated names) for validators `.ci/run` could not
/// install because their registry was unreachable.
fn excused(need: Need) -> bool {
    match need {
        Need::Corpus => std::env::var_os("DRYDOCK_SKIP_CORPUS").is_some_and(|v| v == "1"),
        n if n.is_validator() => std::env::var("DRYDOCK_SKIP_VALIDATORS")
            .is_ok_and(|list| list.split(',').any(|name| name.trim() == n.name())),
        _ => false,
    }
}

/// Returns where `need` is, or, when it is absent, fails the test (full suite required)
/// or reports the skip and returns None (the caller returns).
///
/// A `DRYDOCK_CORPUS` that is set but points at no corpus always fails: someone asked
/// for a corpus and would otherwise get a silent skip.
pub fn need(need: Need) -> Option<PathBuf> {
    match need.locate() {
        Ok(path) => {
            record(&["met", need.name()]);
            Some(path)
        }
        Err(why) => {
            let test = current_test();
            let set_but_wrong =
                need == Need::Corpus && std::env::var_os("DRYDOCK_CORPUS").is_some();
            if set_but_wrong || (require_full() && !excused(need)) {
                panic!(
                    "{test} needs {}: {why}\nDRYDOCK_REQUIRE_FULL=1 allows no skips; \
                     missing for the full suite:\n{}",
                    need.name(),
                    missing_report()
                );
            }
            let _ = std::io::stderr()
                .write_all(format!("SKIPPED {test}: needs {}: {why}\n", need.name()).as_bytes());
            record(&["skip", &test, need.name()]);
            None
        }
    }
}

/// One line per missing need of the whole suite.
fn missing_report() -> String {
    let lines: Vec<String> = ALL_NEEDS
        .iter()
        .filter_map(|n| {
            n.locate()
                .err()
                .map(|why| format!("  - {}: {why}", n.name()))
        })
        .collect();
    lines.join("\n")
}

/// libtest names each test's thread after the test.
fn current_test() -> String {
    std::thread::current()
        .name()
        .unwrap_or("<unnamed test>")
        .to_owned()
}

/// Appends one tab-separated record to the ledger when `DRYDOCK_TEST_LEDGER` names one:
/// `tier NAME N` (scans checked against an INDEX.json), `secrets N`, `met NEED`,
/// `skip TEST NEED`. One `write_all` on an append-mode file, so parallel tests do not
/// interleave records.
pub fn record(fields: &[&str]) {
    let Some(path) = std::env::var_os("DRYDOCK_TEST_LEDGER") else {
        return;
    };
    let line = format!("{}\n", fields.join("\t"));
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        panic!("test ledger {}: {e}", Path::new(&path).display());
    }
}
