//! Matching against a DB built from testdata/matcher/mirror (real OSV records picked by
//! testdata/matcher/make_mirror.py, plus hand-written Debian:12 / Ubuntu:22.04:LTS
//! fixtures). Every expectation below was read off the records themselves (quoted in
//! the comments) or computed by testdata/matcher/expect_pypi.py with `packaging`.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use drydock_matcher::{Finding, Matcher, Status, match_packages};
use drydock_model::{LayerRef, NotCovered, Package, PackageKind, Severity};
use support::*;

#[test]
fn alpine_openssl_by_origin_and_fixed_version() {
    // Alpine:v3.10 openssl records (ALPINE-<CVE>, range [introduced 0, fixed X]):
    //   fixed 1.1.1a-r0: CVE-2018-0734, CVE-2018-0735; 1.1.1b-r1: CVE-2019-1543;
    //   1.1.1d-r0: CVE-2019-1547, -1549, -1563; 1.1.1d-r2: CVE-2019-1551;
    //   1.1.1g-r0: CVE-2020-1967; 1.1.1i-r0: CVE-2020-1971;
    //   1.1.1j-r0: CVE-2021-23839, -23840, -23841; 1.1.1k-r0: CVE-2021-3449, -3450.
    // At 1.1.1d-r2 only the fixes above it apply; CVE-2019-1551 is fixed exactly there.
    let layer = LayerRef {
        index: 0,
        digest: "sha256:aaaa".into(),
        created_by: Some("ADD rootfs".into()),
    };
    let mut ssl = os_pkg(
        PackageKind::Apk,
        "libssl1.1",
        "1.1.1d-r2",
        "openssl",
        "1.1.1d-r2",
    );
    ssl.layer = Some(layer.clone().into());
    // musl: CVE-2019-14697 fixed 1.1.22-r3, CVE-2020-28928 fixed 1.1.22-r4,
    // CVE-2016-8859 fixed 1.1.15-r4.
    let musl = os_pkg(PackageKind::Apk, "musl", "1.1.22-r3", "musl", "1.1.22-r3");
    let r = match_packages(db(), Some(&os("alpine", "3.10.4")), &[ssl, musl]).expect("match");
    assert_eq!(
        ids(&r, "libssl1.1"),
        set(&[
            "CVE-2020-1967",
            "CVE-2020-1971",
            "CVE-2021-23839",
            "CVE-2021-23840",
            "CVE-2021-23841",
            "CVE-2021-3449",
            "CVE-2021-3450",
        ])
    );
    assert_eq!(ids(&r, "musl"), set(&["CVE-2020-28928"]));
    let f = find(&r, "libssl1.1", "CVE-2021-3449");
    assert_eq!(f.advisory_ids, ["ALPINE-CVE-2021-3449"]);
    assert_eq!(f.aliases, ["ALPINE-CVE-2021-3449"]);
    assert_eq!(f.fixed_versions, ["1.1.1k-r0"]);
    assert_eq!(f.status, Status::Fixed);
    assert_eq!(f.ecosystem, "Alpine:v3.10");
    assert_eq!(f.source_package.as_deref(), Some("openssl"));
    assert_eq!(f.installed_version, "1.1.1d-r2");
    assert_eq!(f.compared_version, None);
    assert_eq!(f.layer.as_deref(), Some(&layer));
    assert_eq!(f.location, "var/lib/pkgdb");
    assert_eq!(f.url, "https://security.alpinelinux.org/vuln/CVE-2021-3449");
    // EPSS file: CVE-2021-3449,0.629060000,0.991270000
    let epss = f.epss.expect("epss");
    assert_eq!((epss.score, epss.percentile), (0.62906, 0.99127));
    assert!(r.not_covered.is_empty(), "{:?}", r.not_covered);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[derive(serde::Deserialize)]
struct Expected {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    version: String,
    expected: Vec<String>,
}

#[test]
fn pypi_matches_packaging_reference() {
    let text = std::fs::read_to_string(testdata().join("pypi_expected.json")).expect("json");
    let exp: Expected = serde_json::from_str(&text).expect("valid json");
    assert!(exp.cases.len() > 500, "reference covers many versions");
    let pkgs: Vec<Package> = exp
        .cases
        .iter()
        .enumerate()
        .map(|(i, c)| Package {
            location: format!("site-packages/{i}").into(),
            ..app(PackageKind::Python, &c.name, &c.version)
        })
        .collect();
    let r = match_packages(db(), None, &pkgs).expect("match");
    let mut got: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &r.findings {
        got.entry(f.location.clone())
            .or_default()
            .extend(f.advisory_ids.iter().cloned());
    }
    let mut wrong = Vec::new();
    for (i, c) in exp.cases.iter().enumerate() {
        let g = got
            .remove(&format!("site-packages/{i}"))
            .unwrap_or_default();
        let e: BTreeSet<String> = c.expected.iter().cloned().collect();
        if g != e {
            wrong.push(format!("{} {}: got {g:?}, want {e:?}", c.name, c.version));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(r.not_covered.is_empty());
}

#[test]
fn withdrawn_advisory_is_skipped() {
    // PYSEC-2023-73 (redis, CVE-2023-31655): withdrawn 2023-06-06, range [introduced 0],
    // so it would match every redis version were it not withdrawn.
    let rec = db()
        .advisory("PYSEC-2023-73")
        .expect("query")
        .expect("stored");
    assert!(rec.withdrawn.is_some());
    let r = match_packages(db(), None, &[app(PackageKind::Python, "redis", "4.5.4")]).expect("m");
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn advisories_sharing_a_cve_become_one_finding() {
    // PYSEC-2021-871 and PYSEC-2021-872 (distributed) both alias CVE-2021-42343 and
    // GHSA-hwqr-f3v9-hwxr, both [introduced 0, fixed 2021.10.0].
    let r = match_packages(
        db(),
        None,
        &[app(PackageKind::Python, "distributed", "2021.9.1")],
    )
    .expect("match");
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(f.id, "CVE-2021-42343");
    assert_eq!(f.advisory_ids, ["PYSEC-2021-871", "PYSEC-2021-872"]);
    assert_eq!(
        f.aliases,
        [
            "GHSA-hwqr-f3v9-hwxr",
            "GHSA-j8fq-86c5-5v2r",
            "PYSEC-2021-871",
            "PYSEC-2021-872"
        ]
    );
    assert_eq!(f.fixed_versions, ["2021.10.0"]);
    // The record's ADVISORY reference comes before its WEB ones.
    assert_eq!(
        f.url,
        "https://github.com/dask/distributed/security/advisories/GHSA-hwqr-f3v9-hwxr"
    );
}

#[test]
fn last_affected_is_inclusive_and_has_no_fix() {
    // PYSEC-2022-42969 (py): [introduced 0, last_affected 1.11.0]. npm NSWG-ECO-1
    // (bassmaster): SEMVER [introduced 0, last_affected 1.5.1].
    let pkgs = [
        app(PackageKind::Python, "py", "1.11.0"),
        app(PackageKind::Npm, "bassmaster", "1.5.1"),
        Package {
            location: "newer".into(),
            ..app(PackageKind::Npm, "bassmaster", "1.5.2")
        },
    ];
    let r = match_packages(db(), None, &pkgs).expect("match");
    let f = find(&r, "py", "CVE-2022-42969");
    assert_eq!(f.status, Status::Affected);
    assert!(f.fixed_versions.is_empty());
    let b: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.package == "bassmaster")
        .collect();
    assert_eq!(b.len(), 1, "only 1.5.1 is affected: {b:#?}");
    assert_eq!(b[0].installed_version, "1.5.1");
    assert_eq!(b[0].advisory_ids, ["NSWG-ECO-1"]);
}

#[test]
fn explicit_versions_list_matches_outside_ranges() {
    // PYSEC-2023-61 (Django, CVE-2023-31047): ranges [3.2, 3.2.19), [4.0, 4.1.9),
    // [4.2, 4.2.1); its versions list also names 3.2a1, which sorts before 3.2.
    let r = match_packages(
        db(),
        None,
        &[
            app(PackageKind::Python, "Django", "3.2a1"),
            app(PackageKind::Python, "django", "4.2.1"),
        ],
    )
    .expect("match");
    let f = find(&r, "Django", "CVE-2023-31047");
    assert_eq!(f.advisory_ids, ["PYSEC-2023-61"]);
    // Fixes above 3.2a1 from every branch of the range.
    assert_eq!(f.fixed_versions, ["3.2.19", "4.1.9", "4.2.1"]);
    assert!(!ids(&r, "django").contains("CVE-2023-31047"));
}

#[test]
fn unparseable_version_warns_without_finding() {
    let pkgs = [
        app(PackageKind::Python, "requests", "not a version!"),
        // apk-tools orders any version with a leading number; this one has none.
        os_pkg(PackageKind::Apk, "busybox", "unknown", "busybox", "unknown"),
    ];
    let r = match_packages(db(), Some(&os("alpine", "3.10.4")), &pkgs).expect("match");
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("requests not a version!"))
    );
    assert!(r.warnings.iter().any(|w| w.contains("busybox unknown")));
}

#[test]
fn debian_matches_source_package_and_version() {
    // Hand-written Debian:12 fixtures: DSA-5532-1 openssl [0, 3.0.11-1~deb12u2),
    // upstream CVE-2023-5363; DEBIAN-CVE-2023-4039 gcc-12 [introduced 0] (no fix).
    let pkgs = [
        os_pkg(
            PackageKind::Dpkg,
            "libssl3",
            "3.0.11-1~deb12u1",
            "openssl",
            "3.0.11-1~deb12u1",
        ),
        // A binNMU of the fixed source: binary version differs, source version is fixed.
        os_pkg(
            PackageKind::Dpkg,
            "openssl",
            "3.0.11-1~deb12u2+b1",
            "openssl",
            "3.0.11-1~deb12u2",
        ),
        os_pkg(
            PackageKind::Dpkg,
            "libgcc-s1",
            "12.2.0-14",
            "gcc-12",
            "12.2.0-14",
        ),
    ];
    let r = match_packages(db(), Some(&os("debian", "12")), &pkgs).expect("match");
    assert_eq!(r.findings.len(), 2, "{:#?}", r.findings);
    let f = find(&r, "libssl3", "CVE-2023-5363");
    assert_eq!(f.advisory_ids, ["DSA-5532-1"]);
    assert_eq!(f.fixed_versions, ["3.0.11-1~deb12u2"]);
    assert_eq!(f.ecosystem, "Debian:12");
    let g = find(&r, "libgcc-s1", "CVE-2023-4039");
    assert_eq!(g.status, Status::Affected);
    assert_eq!(g.source_package.as_deref(), Some("gcc-12"));
    assert!(r.not_covered.is_empty());
}

#[test]
fn debian_compares_source_version_not_binary_version() {
    // Binary version above the fix, source version below it: the advisory is about the
    // source, so it applies.
    let p = os_pkg(
        PackageKind::Dpkg,
        "libssl3",
        "3.0.11-1~deb12u2",
        "openssl",
        "3.0.11-1~deb12u1",
    );
    let r = match_packages(db(), Some(&os("debian", "12.4")), &[p]).expect("match");
    let f = find(&r, "libssl3", "CVE-2023-5363");
    assert_eq!(f.compared_version.as_deref(), Some("3.0.11-1~deb12u1"));
}

#[test]
fn debian_multi_cve_advisory_keeps_its_id() {
    // DSA-5103-1 (Debian:11 openssl, fixed 1.1.1k-1+deb11u2) names CVE-2021-4160 and
    // CVE-2022-0778 upstream; DSA-4963-1 (fixed 1.1.1k-1+deb11u1) names CVE-2021-3711
    // and CVE-2021-3712. Neither is one CVE, so the DSA id stays primary.
    let p = os_pkg(
        PackageKind::Dpkg,
        "libssl1.1",
        "1.1.1k-1+deb11u1",
        "openssl",
        "1.1.1k-1+deb11u1",
    );
    let r = match_packages(db(), Some(&os("debian", "11")), &[p]).expect("match");
    let got = ids(&r, "libssl1.1");
    assert!(
        got.contains("DSA-5103-1") && !got.contains("DSA-4963-1"),
        "{got:?}"
    );
    let f = find(&r, "libssl1.1", "DSA-5103-1");
    assert!(f.aliases.contains(&"CVE-2022-0778".to_string()));
}

#[test]
fn ubuntu_lts_ecosystem_is_probed() {
    // Hand-written Ubuntu:22.04:LTS USN-6450-1 openssl [0, 3.0.2-0ubuntu1.12).
    let p = os_pkg(
        PackageKind::Dpkg,
        "libssl3",
        "3.0.2-0ubuntu1.10",
        "openssl",
        "3.0.2-0ubuntu1.10",
    );
    let r = match_packages(db(), Some(&os("ubuntu", "22.04")), &[p]).expect("match");
    let f = find(&r, "libssl3", "CVE-2023-5363");
    assert_eq!(f.ecosystem, "Ubuntu:22.04:LTS");
    assert_eq!(f.fixed_versions, ["3.0.2-0ubuntu1.12"]);
}

#[test]
fn eol_release_is_still_matched_but_noted() {
    let mut info = os("alpine", "3.10.4");
    info.eol = Some(true);
    info.eol_date = Some("2021-05-01".into());
    let p = os_pkg(PackageKind::Apk, "musl", "1.1.22-r3", "musl", "1.1.22-r3");
    let r = match_packages(db(), Some(&info), &[p]).expect("match");
    assert_eq!(ids(&r, "musl"), set(&["CVE-2020-28928"]));
    assert_eq!(r.not_covered.len(), 1);
    assert_eq!(r.not_covered[0].scope, "Alpine:v3.10");
    assert!(
        r.not_covered[0]
            .reason
            .starts_with("end of life since 2021-05-01"),
        "{:?}",
        r.not_covered
    );
}

#[test]
fn missing_data_is_reported_not_clean() {
    let deb = os_pkg(PackageKind::Dpkg, "libc6", "2.28-10", "glibc", "2.28-10");
    // The mirror holds no RubyGems records.
    let gem = app(PackageKind::Gem, "rails", "5.0.0");
    let r = match_packages(db(), Some(&os("debian", "10")), &[deb.clone(), gem]).expect("match");
    assert!(r.findings.is_empty());
    assert_eq!(
        r.not_covered,
        [
            NotCovered::new(
                "Debian:10",
                "no advisory data in the database; OS packages not checked for vulnerabilities"
            ),
            NotCovered::new(
                "RubyGems",
                "no advisory data in the database; 1 package not checked for vulnerabilities"
            ),
        ]
    );
    // Distribution without an OSV feed, and no OS at all.
    let stream =
        match_packages(db(), Some(&os("centos", "9")), std::slice::from_ref(&deb)).expect("m");
    assert_eq!(stream.not_covered.len(), 1);
    assert_eq!(stream.not_covered[0].scope, "centos 9");
    // A distribution OSV publishes but the mirror lacks: named by its ecosystem, never clean.
    let apk = os_pkg(PackageKind::Apk, "glibc", "2.41-r3", "glibc", "2.41-r3");
    let wolfi = match_packages(db(), Some(&os("wolfi", "20230201")), &[apk]).expect("m");
    assert_eq!(
        (wolfi.not_covered[0].scope.as_str(), wolfi.findings.len()),
        ("Wolfi", 0)
    );
    let none = match_packages(db(), None, &[deb]).expect("m");
    assert_eq!(none.not_covered[0].scope, "os");
}

#[test]
fn findings_are_in_report_order() {
    let pkgs = [
        app(PackageKind::Python, "django", "3.0"),
        app(
            PackageKind::Maven,
            "org.apache.logging.log4j:log4j-core",
            "2.14.1",
        ),
        app(PackageKind::Python, "urllib3", "1.24"),
        os_pkg(
            PackageKind::Apk,
            "libssl1.1",
            "1.1.1a-r0",
            "openssl",
            "1.1.1a-r0",
        ),
    ];
    let r = match_packages(db(), Some(&os("alpine", "3.10.1")), &pkgs).expect("match");
    // The sets each package must get, from sources other than drydock: django 3.0 and
    // urllib3 1.24 from pypi_expected.json (`packaging`); log4j-core 2.14.1 from the GHSA
    // ranges (see maven_ranges_follow_comparable_version); openssl 1.1.1a-r0 from the
    // Alpine:v3.10 fixed versions listed in alpine_openssl_by_origin_and_fixed_version
    // (all but the two fixed at 1.1.1a-r0 itself).
    let text = std::fs::read_to_string(testdata().join("pypi_expected.json")).expect("json");
    let exp: Expected = serde_json::from_str(&text).expect("valid json");
    let pypi = |name: &str, version: &str| -> BTreeSet<String> {
        let case = exp
            .cases
            .iter()
            .find(|c| c.name == name && c.version == version);
        case.expect("case in pypi_expected.json")
            .expected
            .iter()
            .cloned()
            .collect()
    };
    let advisories = |package: &str| -> BTreeSet<String> {
        r.findings
            .iter()
            .filter(|f| f.package == package)
            .flat_map(|f| f.advisory_ids.iter().cloned())
            .collect()
    };
    assert_eq!(advisories("django"), pypi("django", "3.0"));
    assert_eq!(advisories("urllib3"), pypi("urllib3", "1.24"));
    assert_eq!(
        ids(&r, "org.apache.logging.log4j:log4j-core"),
        set(&["CVE-2021-44228", "CVE-2021-44832"])
    );
    assert_eq!(
        ids(&r, "libssl1.1"),
        set(&[
            "CVE-2019-1543",
            "CVE-2019-1547",
            "CVE-2019-1549",
            "CVE-2019-1551",
            "CVE-2019-1563",
            "CVE-2020-1967",
            "CVE-2020-1971",
            "CVE-2021-23839",
            "CVE-2021-23840",
            "CVE-2021-23841",
            "CVE-2021-3449",
            "CVE-2021-3450",
        ])
    );
    // CVE-2021-44228 is in the KEV excerpt, so KEV ordering is exercised.
    assert!(r.findings.iter().any(|f| f.kev.is_some()));
    for w in r.findings.windows(2) {
        let key = |f: &Finding| {
            (
                std::cmp::Reverse(f.severity),
                f.kev.is_none(),
                -f.epss.map_or(-1.0, |e| e.score),
            )
        };
        let (a, b) = (key(&w[0]), key(&w[1]));
        assert!(
            (a.0, a.1) < (b.0, b.1) || ((a.0, a.1) == (b.0, b.1) && a.2 <= b.2),
            "{} before {}",
            w[0].id,
            w[1].id
        );
    }
    // Everything serializes.
    let json = serde_json::to_value(&r.findings).expect("serialize");
    assert!(json[0]["severity"].is_string());
}

/// Hand-written GHSA-shaped Maven records (make_mirror.py `HAND["Maven"]`); expectations
/// read off their ranges: 44228 affects [2.0-beta9, 2.3.1) ∪ [2.4, 2.12.2) ∪ [2.13.0,
/// 2.15.0); 44832 affects [2.0-beta7, 2.3.2) ∪ [2.4, 2.12.4) ∪ [2.13.0, 2.17.1).
#[test]
fn maven_ranges_follow_comparable_version() {
    // One long-lived matcher: its cached entry lists must not leak between versions.
    let matcher = Matcher::new(db());
    let log4j = |v: &str| app(PackageKind::Maven, "org.apache.logging.log4j:log4j-core", v);
    let cases = [
        ("2.14.1", set(&["CVE-2021-44228", "CVE-2021-44832"])),
        ("2.0", set(&["CVE-2021-44228", "CVE-2021-44832"])),
        ("2.0-beta8", set(&["CVE-2021-44832"])),
        ("2.0-alpha1", set(&[])),
        ("2.12.2", set(&["CVE-2021-44832"])),
        ("2.12.4", set(&[])),
        ("2.16.0", set(&["CVE-2021-44832"])),
        ("2.19.0", set(&[])),
    ];
    for (version, expected) in cases {
        let r = matcher
            .match_packages(None, &[log4j(version)])
            .expect("match");
        assert_eq!(
            ids(&r, "org.apache.logging.log4j:log4j-core"),
            expected,
            "log4j-core {version}"
        );
    }
    let r = matcher
        .match_packages(None, &[log4j("2.14.1")])
        .expect("match");
    let f = find(&r, "org.apache.logging.log4j:log4j-core", "CVE-2021-44228");
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(f.fixed_versions, vec!["2.15.0".to_owned()]);
    assert!(
        r.not_covered.iter().all(|n| n.scope != "Maven"),
        "{:?}",
        r.not_covered
    );
}

/// NuGet ids are case-insensitive: a lowercase id from a lock file still matches.
#[test]
fn nuget_ids_match_case_insensitively() {
    let r = match_packages(
        db(),
        None,
        &[app(PackageKind::NuGet, "newtonsoft.json", "12.0.3")],
    )
    .expect("match");
    assert_eq!(ids(&r, "newtonsoft.json"), set(&["GHSA-5crp-9r3c-p9vr"]));
    let r = match_packages(
        db(),
        None,
        &[app(PackageKind::NuGet, "Newtonsoft.Json", "13.0.1")],
    )
    .expect("match");
    assert!(r.findings.is_empty(), "13.0.1 is the fixed version");
}
