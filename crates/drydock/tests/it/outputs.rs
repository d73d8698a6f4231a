//! Each output format checked by the real tool that consumes it: SARIF by
//! `@microsoft/sarif-multitool validate` (npm), JUnit by `junitparser` (PyPI), HTML by
//! headless Chromium (Debian `chromium`), on alpine-310 with the vendored advisory
//! mirror and, with `DRYDOCK_CORPUS`, on debian-app's secrets and misconfigurations.
//!
//! The tools are needs of `drydock-testkit`: `.ci/run` installs them and sets
//! `DRYDOCK_REQUIRE_FULL=1`, under which a missing one fails the test; elsewhere the test
//! prints a SKIPPED line.

use crate::common::{Run, repo_root};
use drydock_testkit::{Need, need};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const ALPINE: &str = "testdata/images/thirdparty/alpine-310.tar.gz";
const SEVERITIES: [&str; 5] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"];

/// A vulnerability DB built once from the vendored mirror.
pub fn cache_dir() -> &'static str {
    static DIR: OnceLock<String> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let dir = dir.to_str().expect("utf-8").to_owned();
        let run = in_root(&[
            "--cache-dir",
            &dir,
            "db",
            "update",
            "--source",
            "testdata/matcher/mirror/osv",
        ]);
        assert_eq!(run.code, 0, "db update: {}", run.stderr);
        dir
    })
}

/// Runs drydock from the repo root, so reports name inputs by their relative path.
pub fn in_root(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .current_dir(repo_root())
        .env("NO_COLOR", "1")
        .env("DRYDOCK_NO_LAYER_CACHE", "true")
        .args(args)
        .output()
        .expect("run drydock");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Scans `input` once, writing JSON plus each of `formats` (`"sarif"`, ...) into `dir`;
/// returns the JSON report and the path of each format. `extra` adds arguments.
fn scan_to(dir: &Path, input: &str, formats: &[&str], extra: &[&str]) -> (Value, Vec<PathBuf>) {
    // One folder per input: validators refuse to overwrite their logs.
    let name = Path::new(input).file_name().expect("file name");
    let dir = dir.join(name);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let json = dir.join("report.json");
    let paths: Vec<PathBuf> = formats
        .iter()
        .map(|f| dir.join(format!("report.{f}")))
        .collect();
    let mut owned = vec![format!("--format=json={}", json.display())];
    for (f, p) in formats.iter().zip(&paths) {
        owned.push(format!("--format={f}={}", p.display()));
    }
    let mut args = vec!["--cache-dir", cache_dir(), "image", input, "--quiet"];
    args.extend(owned.iter().map(String::as_str));
    args.extend_from_slice(extra);
    let run = in_root(&args);
    assert!(
        run.code == 0 || run.code == 1,
        "drydock {args:?}: {}",
        run.stderr
    );
    assert!(
        run.stdout.is_empty(),
        "every format went to a file: {}",
        run.stdout
    );
    let report =
        serde_json::from_slice(&std::fs::read(&json).expect("json written")).expect("json");
    (report, paths)
}

/// debian-app from the full corpus (secrets and misconfigurations).
fn debian_app() -> Option<String> {
    let corpus = need(Need::Corpus)?;
    Some(
        corpus
            .join("debian-app/oci")
            .to_str()
            .expect("utf-8")
            .to_owned(),
    )
}

/// Runs a command with stdout to `stdout_file`, killing it after `limit`.
fn run_limited(cmd: &mut Command, stdout_file: &Path, limit: Duration) -> (i32, String) {
    let out = std::fs::File::create(stdout_file).expect("stdout file");
    let mut child = cmd
        .stdout(out)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn validator");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            return (status.code().unwrap_or(-1), err);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{cmd:?} did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `sarif-multitool validate`: the error-level results and every rule with its count.
fn sarif_validate(file: &Path) -> (Vec<String>, BTreeMap<String, usize>) {
    let log = file.with_extension("validation.sarif");
    let console = file.with_extension("validation.txt");
    let (code, stderr) = run_limited(
        Command::new("sarif-multitool")
            .arg("validate")
            .arg(file)
            .arg("--output")
            .arg(&log)
            .arg("--rich-return-code"),
        &console,
        Duration::from_secs(180),
    );
    // With --rich-return-code, a file it cannot even read is a non-zero exit.
    assert_eq!(
        code,
        0,
        "sarif-multitool failed on {}: {stderr}{}",
        file.display(),
        std::fs::read_to_string(&console).unwrap_or_default()
    );
    let log: Value =
        serde_json::from_slice(&std::fs::read(&log).expect("validation log")).expect("json");
    let mut errors = Vec::new();
    let mut counts = BTreeMap::new();
    for r in log["runs"][0]["results"].as_array().into_iter().flatten() {
        let rule = r["ruleId"].as_str().unwrap_or("?").to_owned();
        let level = r["level"].as_str().unwrap_or("warning");
        *counts.entry(format!("{level} {rule}")).or_default() += 1;
        if level == "error" {
            errors.push(format!("{rule}: {}", r["message"]));
        }
    }
    (errors, counts)
}

fn check_sarif(file: &Path, report: &Value) {
    let (errors, counts) = sarif_validate(file);
    eprintln!("sarif-multitool validate {}: {counts:?}", file.display());
    assert!(
        errors.is_empty(),
        "SARIF errors in {}: {errors:#?}",
        file.display()
    );
    let sarif: Value = serde_json::from_slice(&std::fs::read(file).expect("sarif")).expect("json");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let n = |key: &str| report[key].as_array().map_or(0, Vec::len);
    assert_eq!(
        results.len(),
        n("vulnerabilities") + n("secrets") + n("misconfigurations")
    );
    for r in results {
        let rule = &sarif["runs"][0]["tool"]["driver"]["rules"]
            [r["ruleIndex"].as_u64().expect("index") as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(
            rule["help"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("Remediation")),
            "{rule}"
        );
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str();
        assert!(uri.is_some_and(|u| !u.is_empty()), "no location: {r}");
    }
}

#[test]
fn sarif_passes_sarif_multitool_validate() {
    if need(Need::SarifMultitool).is_none() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let (report, paths) = scan_to(
        tmp.path(),
        ALPINE,
        &["sarif"],
        &["--scanners", "vuln,secret,misconfig"],
    );
    assert_eq!(report["vulnerabilities"].as_array().map(Vec::len), Some(20));
    check_sarif(&paths[0], &report);
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(&paths[0]).expect("sarif")).expect("json");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "lib/apk/db/installed"
    );
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["name"],
        ALPINE
    );
    // The validator does check: a result without its required message is an error.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .expect("result")
        .remove("message");
    let broken_path = tmp.path().join("broken.sarif");
    std::fs::write(
        &broken_path,
        serde_json::to_vec_pretty(&broken).expect("json"),
    )
    .expect("write");
    let (errors, _) = sarif_validate(&broken_path);
    assert!(
        !errors.is_empty(),
        "the validator accepted a result without a message"
    );
    if let Some(app) = debian_app() {
        let (report, paths) = scan_to(
            tmp.path(),
            &app,
            &["sarif"],
            &["--scanners", "secret,misconfig"],
        );
        assert!(report["secrets"].as_array().is_some_and(|s| !s.is_empty()));
        check_sarif(&paths[0], &report);
    }
}

/// junitparser's view of a JUnit file: per suite, (tests attribute, failures attribute,
/// test cases, failing cases, the failure messages).
fn junit_parse(file: &Path) -> BTreeMap<String, (u64, u64, u64, u64, Vec<String>)> {
    const SCRIPT: &str = "import json, sys\nfrom junitparser import JUnitXml, Failure\nout = {}\nfor s in JUnitXml.fromfile(sys.argv[1]):\n    cases = list(s)\n    failed = [r for c in cases for r in c.result if isinstance(r, Failure)]\n    out[s.name] = [s.tests, s.failures, len(cases), sum(1 for c in cases if not c.is_passed), [r.message for r in failed]]\nprint(json.dumps(out))\n";
    let stdout = file.with_extension("parsed.json");
    let (code, stderr) = run_limited(
        Command::new("python3").arg("-c").arg(SCRIPT).arg(file),
        &stdout,
        Duration::from_secs(60),
    );
    assert_eq!(
        code,
        0,
        "junitparser could not read {}: {stderr}",
        file.display()
    );
    serde_json::from_slice(&std::fs::read(&stdout).expect("parsed")).expect("json")
}

#[test]
fn junit_parses_with_junitparser_and_counts_match() {
    if need(Need::Junitparser).is_none() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let (report, paths) = scan_to(
        tmp.path(),
        ALPINE,
        &["junit"],
        &["--scanners", "vuln,secret,misconfig", "--fail-on", "HIGH"],
    );
    let suites = junit_parse(&paths[0]);
    eprintln!("junitparser {}: {suites:?}", paths[0].display());
    let n = |key: &str| report[key].as_array().map_or(0, Vec::len) as u64;
    for key in ["vulnerabilities", "secrets", "misconfigurations"] {
        let (tests, failures, cases, failing, _) = &suites[key];
        assert_eq!(
            (*tests, *failures, *cases, *failing),
            (n(key), n(key), n(key), n(key)),
            "{key}"
        );
    }
    assert_eq!(n("vulnerabilities"), 20);
    let failures = report["verdict"]["failures"].as_array().expect("verdict");
    let (tests, failed, _, _, messages) = &suites["policy"];
    assert_eq!(
        (*tests, *failed),
        (failures.len() as u64, failures.len() as u64)
    );
    let reasons: Vec<&str> = failures
        .iter()
        .filter_map(|f| f["reason"].as_str())
        .collect();
    assert_eq!(messages, &reasons);
    if let Some(app) = debian_app() {
        let (report, paths) = scan_to(
            tmp.path(),
            &app,
            &["junit"],
            &["--scanners", "secret,misconfig"],
        );
        let suites = junit_parse(&paths[0]);
        let n = |key: &str| report[key].as_array().map_or(0, Vec::len) as u64;
        assert!(n("secrets") > 0 && n("misconfigurations") > 0);
        for key in ["secrets", "misconfigurations"] {
            assert_eq!(suites[key].2, n(key), "{key}");
            assert_eq!(suites[key].3, n(key), "{key}");
        }
        assert!(
            !suites.contains_key("vulnerabilities"),
            "the vuln scanner did not run"
        );
    }
}

/// Headless Chromium on `page`: the DOM it built, and a screenshot's bytes.
fn chromium_render(page: &Path) -> (String, Vec<u8>) {
    let dir = page.parent().expect("dir");
    let url = format!("file://{}", page.display());
    let profile = dir.join("chromium-profile");
    let headless = |extra: &str| {
        let mut cmd = Command::new(drydock_testkit::chromium());
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(extra)
        .arg(&url);
        cmd
    };
    let dom_file = dir.join("dom.html");
    let (code, stderr) = run_limited(
        &mut headless("--dump-dom"),
        &dom_file,
        Duration::from_secs(120),
    );
    assert_eq!(code, 0, "chromium --dump-dom: {stderr}");
    let png = dir.join("page.png");
    let mut shot = headless(&format!("--screenshot={}", png.display()));
    shot.arg("--window-size=1280,1600");
    let (code, stderr) = run_limited(&mut shot, &dir.join("shot.txt"), Duration::from_secs(120));
    assert_eq!(code, 0, "chromium --screenshot: {stderr}");
    (
        std::fs::read_to_string(dom_file).expect("dom"),
        std::fs::read(png).expect("screenshot written"),
    )
}

/// The summary row for one scanner, as Chromium serialised it.
fn summary_row<'a>(dom: &'a str, scanner: &str) -> &'a str {
    let start = dom
        .find(&format!("<tr data-scanner=\"{scanner}\">"))
        .unwrap_or_else(|| panic!("no {scanner} summary row in the rendered DOM"));
    let end = start + dom[start..].find("</tr>").expect("row end");
    &dom[start..end]
}

#[test]
fn html_renders_in_chromium_with_the_severity_summary() {
    if need(Need::Chromium).is_none() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let (report, paths) = scan_to(
        tmp.path(),
        ALPINE,
        &["html"],
        &["--scanners", "vuln,misconfig"],
    );
    let (dom, png) = chromium_render(&paths[0]);
    let vulns = report["vulnerabilities"].as_array().expect("vulns");
    let row = summary_row(&dom, "vulnerabilities");
    for s in SEVERITIES {
        let n = vulns.iter().filter(|v| v["severity"] == s).count();
        assert!(
            row.contains(&format!("data-severity=\"{s}\">{n}<")),
            "{s} {n}: {row}"
        );
    }
    let kev = vulns.iter().filter(|v| v.get("kev").is_some()).count();
    assert!(row.contains(&format!("data-kev=\"\">{kev}<")), "{row}");
    assert!(summary_row(&dom, "secrets").contains("not run"));
    // A PNG (signature, then an IHDR chunk with the window's width), not an empty file.
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    assert_eq!(
        u32::from_be_bytes(png[16..20].try_into().expect("width")),
        1280
    );
    assert!(png.len() > 20_000, "screenshot of {} bytes", png.len());
    eprintln!(
        "chromium: DOM {} bytes, screenshot {} bytes",
        dom.len(),
        png.len()
    );
}

#[test]
fn html_shows_a_script_package_name_as_text() {
    if need(Need::Chromium).is_none() {
        return;
    }
    use crate::common::{Blob, OS_RELEASE, Tar, write_oci};
    let tmp = tempfile::tempdir().expect("tmp");
    let status = "Package: <script>document.title='pwned'</script>\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n\n";
    let layer = Tar::default()
        .dir("etc")
        .file("etc/os-release", OS_RELEASE.as_bytes())
        .file("var/lib/dpkg/status", status.as_bytes())
        .finish();
    let image = tmp.path().join("oci");
    write_oci(&image, &[Blob::plain(layer)]);
    let page = tmp.path().join("report.html");
    let run = in_root(&[
        "image",
        image.to_str().expect("utf-8"),
        "--scanners",
        "none",
        "--format",
        &format!("html={}", page.display()),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (dom, _) = chromium_render(&page);
    assert!(!dom.contains("<script"), "a script element reached the DOM");
    assert!(
        dom.contains("<title>drydock report: "),
        "the title was not rewritten"
    );
    assert!(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"));
}
