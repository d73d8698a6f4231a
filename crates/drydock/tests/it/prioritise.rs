//! Prioritisation end to end: the risk order of alpine-310's findings against a hand
//! computation from the README's formula, and `db update` reading KEV, EPSS and NVD
//! from their publishers' URLs (a local server with testdata/feeds/published).

#[path = "../../../vulndb/tests/support/server.rs"]
mod server;

use crate::common::{db_update, drydock, repo_root};
use serde_json::Value;
use server::Server;
use std::path::Path;

fn alpine310() -> String {
    repo_root()
        .join("testdata/images/thirdparty/alpine-310.tar.gz")
        .display()
        .to_string()
}

fn mirror_osv() -> String {
    repo_root()
        .join("testdata/matcher/mirror/osv")
        .display()
        .to_string()
}

fn scan(cache: &Path, format: &str) -> String {
    let cache = cache.to_str().expect("utf8");
    let run = drydock(&[
        "--cache-dir",
        cache,
        "image",
        &alpine310(),
        "--format",
        format,
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// (package, vulnerability) of each row of the table's vulnerability section.
fn table_rows(table: &str) -> Vec<(String, String)> {
    table
        .lines()
        .skip_while(|l| !l.starts_with("Vulnerabilities:"))
        .take_while(|l| !l.starts_with("not rated") && !l.starts_with("Findings by origin"))
        .filter(|l| l.starts_with('│'))
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('│').split('┆').map(str::trim).collect();
            (cells[1].to_owned(), cells[3].to_owned())
        })
        .collect()
}

#[test]
fn alpine_findings_are_ranked_by_the_documented_formula() {
    let cache = tempfile::tempdir().expect("tmp");
    let c = cache.path().to_str().expect("utf8");
    let up = db_update(c, &mirror_osv(), &[]);
    assert_eq!(up.code, 0, "{}", up.stderr);
    // Absent optional feeds: one quiet line, not one line per file.
    assert_eq!(up.stdout.matches("not found").count(), 1, "{}", up.stdout);

    // score = 2.5 x base x (1 + EPSS): CVSS from the RUSTSEC records that rate the
    // openssl CVEs, else the unrated base 5.0; EPSS from the mirror's epss.csv.
    let by_hand = [
        ("CVE-2020-1967", 28.8),  // 2.5 x 7.5 x 1.53336 = 28.75
        ("CVE-2021-23840", 28.3), // 2.5 x 7.5 x 1.50732 = 28.26
        ("CVE-2021-3449", 24.0),  // 2.5 x 5.9 x 1.62906 = 24.03
        ("CVE-2021-3450", 21.9),  // 2.5 x 7.4 x 1.18339 = 21.89
        ("CVE-2021-23841", 15.9), // 2.5 x 5.9 x 1.07471 = 15.85
        ("CVE-2020-1971", 13.4),  // 2.5 x 5.0 x 1.06968 = 13.37
        ("CVE-2021-23839", 12.9), // 2.5 x 5.0 x 1.02961 = 12.87
        ("CVE-2021-28831", 12.8), // 2.5 x 5.0 x 1.02719 = 12.84
        ("CVE-2021-36159", 12.8), // 2.5 x 5.0 x 1.02637 = 12.83
        ("CVE-2021-30139", 12.7), // 2.5 x 5.0 x 1.01618 = 12.70
        ("CVE-2020-28928", 12.6), // 2.5 x 5.0 x 1.00644 = 12.58
    ];
    let report: Value = serde_json::from_str(&scan(cache.path(), "json")).expect("json");
    let vulns = report["vulnerabilities"].as_array().expect("findings");
    assert_eq!(vulns.len(), 20);
    for f in vulns {
        let id = f["id"].as_str().expect("id");
        let want = by_hand.iter().find(|(c, _)| *c == id).expect(id).1;
        assert_eq!(f["risk"]["score"].as_f64(), Some(want), "{id}");
    }

    // Descending score; the two 12.8s in the report's order (higher EPSS first); the
    // two packages built from one source in name order.
    let pairs = |p: &[&str], id: &str| -> Vec<(String, String)> {
        p.iter().map(|p| (p.to_string(), id.to_owned())).collect()
    };
    let ssl = ["libcrypto1.1", "libssl1.1"];
    let mut want = Vec::new();
    for (id, _) in &by_hand[..7] {
        want.extend(pairs(&ssl, id));
    }
    want.extend(pairs(&["busybox", "ssl_client"], "CVE-2021-28831"));
    want.extend(pairs(&["apk-tools"], "CVE-2021-36159"));
    want.extend(pairs(&["apk-tools"], "CVE-2021-30139"));
    want.extend(pairs(&["musl", "musl-utils"], "CVE-2020-28928"));
    assert_eq!(table_rows(&scan(cache.path(), "table")), want);
}

#[test]
fn db_update_reads_kev_epss_and_nvd_from_their_published_urls() {
    let srv = Server::start(&repo_root().join("testdata/feeds/published"));
    let cache = tempfile::tempdir().expect("tmp");
    let c = cache.path().to_str().expect("utf8");
    let kev = srv.url("kev/known_exploited_vulnerabilities.json");
    let epss = srv.url("epss/epss_scores-current.csv.gz");
    let nvd = srv.url("nvd");
    let up = db_update(
        c,
        &mirror_osv(),
        &["--kev", &kev, "--epss", &epss, "--nvd", &nvd],
    );
    assert_eq!(up.code, 0, "{}", up.stderr);
    assert!(up.stderr.is_empty(), "{}", up.stderr);
    // testdata/feeds/README.md: 3 KEV entries, 5 EPSS rows, 9 CVEs rated in the NVD
    // feeds; the mirror's cvss.jsonl has 20 lines.
    assert!(
        up.stdout
            .contains("feeds: 3 KEV, 20 CVSS, 9 NVD CVSS, 5 EPSS entries"),
        "{}",
        up.stdout
    );
    let st = drydock(&["--cache-dir", c, "db", "status"]);
    for (name, date, n, source) in [
        ("KEV", "2025-08-25", 3, &kev),
        ("EPSS", "2026-11-30", 5, &epss),
        ("NVD CVSS", "2026-12-01", 9, &nvd),
    ] {
        let line = st
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {}", st.stdout));
        let words: Vec<&str> = line.split_whitespace().collect();
        let tail = &words[name.split(' ').count()..];
        assert_eq!(
            tail[..4],
            [date, &n.to_string(), "entries", source.as_str()]
        );
    }

    // NVD now rates CVE-2020-1971 (5.9, src/nvdcve-2.0-2020.json), and the published
    // EPSS gives 0.08123: 2.5 x 5.9 x 1.08123 = 15.95.
    let report: Value = serde_json::from_str(&scan(cache.path(), "json")).expect("json");
    let f = report["vulnerabilities"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["id"] == "CVE-2020-1971")
        .expect("CVE-2020-1971");
    assert_eq!(f["cvss"]["score"].as_f64(), Some(5.9));
    assert_eq!(f["cvss"]["source"], "NVD");
    assert_eq!(f["severity"], "MEDIUM");
    assert_eq!(f["severity_source"], "cve-cvss");
    assert_eq!(f["risk"]["score"].as_f64(), Some(15.9));

    // A publisher that cannot be reached: one warning line, the update still succeeds.
    let other = tempfile::tempdir().expect("tmp");
    let o = other.path().to_str().expect("utf8");
    let down = db_update(
        o,
        &mirror_osv(),
        &[
            "--kev",
            "http://127.0.0.1:1/known_exploited_vulnerabilities.json",
            "--epss",
            "off",
            "--nvd",
            "off",
        ],
    );
    assert_eq!(down.code, 0, "{}", down.stderr);
    let warnings: Vec<&str> = down.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("warning: KEV feed unavailable"),
        "{}",
        warnings[0]
    );
}

/// `--elsa FILE` reads Oracle's OVAL file as Oracle publishes it (bzip2, made here from
/// testdata/distro-advisories/oval/oracle, whose four patch definitions are counted by
/// hand), and `--alas off` is reported as off.
#[test]
fn db_update_reads_elsa_from_a_given_bz2_and_turns_alas_off() {
    use std::io::Write;
    let oval = std::fs::read(
        repo_root().join("testdata/distro-advisories/oval/oracle/com.oracle.elsa-all.xml"),
    )
    .expect("fixture");
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
    bz.write_all(&oval).expect("bzip2");
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("com.oracle.elsa-all.xml.bz2");
    std::fs::write(&file, bz.finish().expect("bzip2")).expect("write");
    let cache = tempfile::tempdir().expect("tmp");
    let c = cache.path().to_str().expect("utf8");
    let up = db_update(
        c,
        &mirror_osv(),
        &["--elsa", file.to_str().expect("utf8"), "--alas", "off"],
    );
    assert_eq!(up.code, 0, "{}", up.stderr);
    assert!(
        up.stdout
            .contains("0 Amazon ALAS, 4 Oracle ELSA advisories"),
        "{}",
        up.stdout
    );
    let st = drydock(&["--cache-dir", c, "db", "status"]);
    let line = |name: &str| {
        st.stdout
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {}", st.stdout))
            .to_owned()
    };
    assert!(line("Oracle ELSA").contains("2024-04-09"), "{}", st.stdout);
    assert!(line("Amazon ALAS").ends_with("(off)"), "{}", st.stdout);
}
