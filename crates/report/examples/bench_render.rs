//! Times every output format on a synthetic report with 10,000 findings (the target is
//! under 100 ms each). Run with `cargo run --release -p drydock-report --example bench_render`.
//!
//! The report is shaped like a large real one: 2,000 packages, each vulnerability id in
//! one to three packages, CVSS on most findings, KEV/EPSS on some, summaries on half,
//! plus secrets and misconfigurations.

use drydock_model::{
    Artifact, ArtifactFormat, CvssScore, EpssScore, Finding, KevEntry, LayerRef, Misconfig,
    NotCovered, Package, PackageKind, REPORT_SCHEMA_VERSION, Report, SecretFinding, SecretReport,
    Severity, Status,
};
use drydock_report::{Format, RenderOptions, Template};
use nix::sys::resource::{UsageWho, getrusage};
use std::io::{self, Write};
use std::time::{Duration, Instant};

const FINDINGS: usize = 10_000;
const PACKAGES: usize = 2_000;
const RUNS: usize = 5;

/// The example template from README.md ("Custom output with --template").
const TEMPLATE: &str = "\
{{ artifact.input }}: {{ vulnerabilities | length }} vulnerabilities
{% for v in vulnerabilities if v.severity in ['CRITICAL', 'HIGH'] -%}
{{ v.severity }} {{ v.id }} {{ v.package }} {{ v.installed_version }}{% if v.fixed_versions %} -> {{ v.fixed_versions[0] }}{% endif %}{% if v.kev %} (KEV){% endif %}
{% endfor -%}
";

fn layer(index: usize) -> LayerRef {
    LayerRef {
        index,
        digest: format!("sha256:{index:064x}"),
        created_by: Some(format!("RUN apt-get install -y layer{index}")),
    }
}

fn synthetic_report() -> Report {
    let severities = [
        Severity::Critical,
        Severity::High,
        Severity::High,
        Severity::Medium,
        Severity::Medium,
        Severity::Low,
        Severity::Unknown,
    ];
    let packages: Vec<Package> = (0..PACKAGES)
        .map(|i| {
            let mut p = Package::app(
                PackageKind::Dpkg,
                &format!("libexample{i}"),
                &format!("1.{i}.0-1"),
                "var/lib/dpkg/status",
            );
            p.source_name = Some(format!("example{i}").into());
            p.licenses = Box::new(["GPL-2.0-or-later".into()]);
            p.layer = Some(layer(i % 7).into());
            p.purl = Some(format!("pkg:deb/debian/libexample{i}@1.{i}.0-1").into());
            p
        })
        .collect();
    let vulnerabilities = (0..FINDINGS)
        .map(|i| {
            let package = &packages[i % PACKAGES];
            let severity = severities[i % severities.len()];
            Finding {
                id: format!("CVE-2024-{:05}", i * 2 / 3),
                aliases: vec![format!("DSA-{i}-1")],
                advisory_ids: vec![format!("DEBIAN-CVE-2024-{i:05}")],
                package: package.name.to_string(),
                package_kind: PackageKind::Dpkg,
                installed_version: package.version.to_string(),
                ecosystem: "Debian:12".into(),
                source_package: package.source_name.as_deref().map(str::to_owned),
                compared_version: None,
                fixed_versions: if i % 4 == 0 {
                    Vec::new()
                } else {
                    vec![format!("1.{i}.1-1")]
                },
                status: if i % 4 == 0 {
                    Status::Affected
                } else {
                    Status::Fixed
                },
                severity,
                severity_source: "cve-cvss".into(),
                cvss: (i % 5 != 0).then(|| CvssScore {
                    score: 7.5,
                    vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H".into(),
                    source: "cna".into(),
                }),
                kev: (i % 97 == 0).then(|| KevEntry {
                    cve: format!("CVE-2024-{i:05}"),
                    date_added: "2024-03-01".into(),
                    due_date: Some("2024-03-22".into()),
                }),
                epss: (i % 3 == 0).then_some(EpssScore {
                    score: 0.12,
                    percentile: 0.91,
                }),
                layer: package.layer.clone(),
                location: package.location.to_string(),
                url: format!("https://security-tracker.debian.org/tracker/CVE-2024-{i:05}"),
                published: Some("2024-01-01T00:00:00Z".into()),
                summary: (i % 2 == 0).then(|| {
                    "A crafted input to the parser causes an out-of-bounds read <details>.".into()
                }),
                due: None,
                first_seen: None,
                vendor_severity: None,
                risk: None,
            }
        })
        .collect();
    let secrets = (0..50)
        .map(|i| SecretReport {
            finding: SecretFinding {
                rule_id: "aws-access-key-id".into(),
                title: "AWS access key ID".into(),
                severity: Severity::Critical,
                path: format!("app/config/{i}.env"),
                line: i + 1,
                column: Some(10),
                masked: "AKIA****************".into(),
                match_len: 20,
                context: None,
                confidence: Default::default(),
                reason: "format match".into(),
            },
            layer: layer(i % 7),
            in_final_filesystem: i % 2 == 0,
        })
        .collect();
    let misconfigs = (0..20)
        .map(|i| Misconfig {
            id: format!("DD-CFG-{i:03}").into(),
            title: "Image runs as root".into(),
            severity: Severity::High,
            message: "config User is (unset): the container runs as UID 0".into(),
            remediation: "Set `USER <name>` in the Dockerfile.".into(),
            path: (i % 2 == 0).then(|| format!("etc/file{i}")),
            layer_index: Some(i % 7),
            cis: None,
        })
        .collect();
    Report {
        schema_version: REPORT_SCHEMA_VERSION,
        artifact: Artifact {
            input: "bench.tar".into(),
            format: ArtifactFormat::DockerArchive,
            manifest_digest: None,
            image_id: Some(format!("sha256:{:064x}", 1)),
            repo_tags: vec!["bench:latest".into()],
            platform: Some("linux/amd64".into()),
            file_count: 100_000,
            created: None,
            labels: Default::default(),
            base_image: None,
            origin: None,
            signature: None,
        },
        os: None,
        layers: Vec::new(),
        packages,
        whiteouts: Vec::new(),
        vulnerabilities: Some(vulnerabilities),
        remediation: None,
        secrets: Some(secrets),
        secrets_skipped: None,
        misconfigurations: Some(misconfigs),
        not_covered: vec![NotCovered::new("Go", "no advisory data in the database")],
        suppressed: Vec::new(),
        filtered: None,
        skipped_by_request: Vec::new(),
        warnings: Vec::new(),
        verdict: None,
    }
}

/// Counts bytes and drops them: the figures are rendering time, not the time of a disk
/// or of growing a buffer to tens of MiB.
#[derive(Default)]
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// CPU time (user + system) of this thread so far.
fn thread_cpu() -> Duration {
    let usage = getrusage(UsageWho::RUSAGE_THREAD).expect("getrusage");
    let (user, system) = (usage.user_time(), usage.system_time());
    let micros = |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
    Duration::from_micros(micros(user) + micros(system))
}

fn main() {
    let report = synthetic_report();
    let template = Template::new("bench.tpl", TEMPLATE.to_owned()).expect("template compiles");
    let formats = [
        ("table", Format::Table),
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("junit", Format::Junit),
        ("html", Format::Html),
        ("template", Format::Template(template)),
    ];
    println!(
        "{FINDINGS} findings, {PACKAGES} packages; best of {RUNS} runs: wall (mean), CPU of the rendering thread"
    );
    for (name, format) in formats {
        let mut times = Vec::with_capacity(RUNS);
        let mut cpu = Duration::MAX;
        let mut size = 0;
        for _ in 0..RUNS {
            let mut out = Counter::default();
            let start = Instant::now();
            let cpu_start = thread_cpu();
            drydock_report::render(&report, format.clone(), &RenderOptions::default(), &mut out)
                .expect("render");
            times.push(start.elapsed());
            cpu = cpu.min(thread_cpu() - cpu_start);
            size = out.0;
        }
        let best = times.iter().min().copied().unwrap_or_default();
        let mean = times.iter().sum::<Duration>() / RUNS as u32;
        println!(
            "{name:>9}: {:>7.1} ms  ({:>7.1} ms)  CPU {:>7.1} ms  {:>6.1} MiB{}",
            best.as_secs_f64() * 1e3,
            mean.as_secs_f64() * 1e3,
            cpu.as_secs_f64() * 1e3,
            size as f64 / (1 << 20) as f64,
            if best.min(cpu) > Duration::from_millis(100) {
                "  OVER 100 ms"
            } else {
                ""
            }
        );
    }
}
