//! Risk scores, vendor ratings and upgrade choices over the DB built from
//! testdata/matcher/mirror. Expected values are read off the records (quoted in the
//! comments) and computed by hand from the formula in the README ("Risk score").

mod support;

use drydock_matcher::{MatchResult, match_packages};
use drydock_model::{Package, PackageKind, Upgrade};
use support::{db, os};

fn os_pkg(kind: PackageKind, name: &str, version: &str, src: &str) -> Package {
    Package {
        source_name: Some(src.into()),
        source_version: Some(version.into()),
        ..Package::app(kind, name, version, "var/lib/pkgdb")
    }
}

fn upgrade<'a>(r: &'a MatchResult, package: &str) -> &'a Upgrade {
    r.upgrades
        .iter()
        .find(|u| u.package == package)
        .unwrap_or_else(|| panic!("no upgrade for {package}: {:#?}", r.upgrades))
}

fn sorted(v: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = v.iter().map(String::as_str).collect();
    v.sort();
    v
}

#[test]
fn openssl_upgrade_is_the_release_that_fixes_all_seven() {
    // Alpine:v3.10 openssl at 1.1.1d-r2 (records quoted in matching.rs): fixes at
    // 1.1.1g-r0 (CVE-2020-1967), 1.1.1i-r0 (CVE-2020-1971), 1.1.1j-r0 (CVE-2021-23839,
    // -23840, -23841), 1.1.1k-r0 (CVE-2021-3449, -3450). Upgrading to 1.1.1g-r0 fixes
    // 1 of 7, 1.1.1i-r0 2, 1.1.1j-r0 5, 1.1.1k-r0 all 7.
    let pkgs = [
        os_pkg(PackageKind::Apk, "libcrypto1.1", "1.1.1d-r2", "openssl"),
        os_pkg(PackageKind::Apk, "musl", "1.1.22-r3", "musl"),
    ];
    let r = match_packages(db(), Some(&os("alpine", "3.10.4")), &pkgs).expect("match");
    let u = upgrade(&r, "libcrypto1.1");
    assert_eq!(u.upgrade_to.as_deref(), Some("1.1.1k-r0"));
    assert_eq!(u.fixes.len(), 7);
    assert!(u.remaining.is_empty());
    assert!(u.affected_at_target.is_empty());
    assert_eq!(u.ecosystem, "Alpine:v3.10");
    // musl 1.1.22-r3: only CVE-2020-28928, fixed in 1.1.22-r4.
    let m = upgrade(&r, "musl");
    assert_eq!(m.upgrade_to.as_deref(), Some("1.1.22-r4"));
    assert_eq!(m.fixes, ["CVE-2020-28928"]);
    // Sum of the seven risk scores (see the README's worked example) puts openssl first.
    assert_eq!(r.upgrades[0].package, "libcrypto1.1");
    assert_eq!(u.risk_removed, 145.2);
}

#[test]
fn django_upgrade_crosses_to_the_next_line_and_says_what_affects_it() {
    // PyPI django at 4.0.8 is affected by (ranges as the records list them):
    //   PYSEC-2023-12  CVE-2023-23969 [4.0, 4.0.9) [4.1, 4.1.6)
    //   PYSEC-2023-13  CVE-2023-24580 [4.0, 4.0.10) [4.1, 4.1.7)
    //   PYSEC-2023-61  CVE-2023-31047 [4.0, 4.1.9)
    //   PYSEC-2023-100 CVE-2023-36053 [4.0, 4.1.10)
    // Candidates 4.0.9 / 4.0.10 / 4.1.9 / 4.1.10 fix 1 / 2 / 3 / 4 of them. 4.1.10
    // is inside [4.1, 4.1.13), [4.1, 4.1.11) and [4.1, 4.1.12) of PYSEC-2023-222,
    // -225 and -226, which do not affect 4.0.8 (4.0 is past those ranges).
    let pkg = Package::app(PackageKind::Python, "django", "4.0.8", "app/django");
    let r = match_packages(db(), None, &[pkg]).expect("match");
    let u = upgrade(&r, "django");
    assert_eq!(u.upgrade_to.as_deref(), Some("4.1.10"));
    assert_eq!(
        sorted(&u.fixes),
        [
            "CVE-2023-23969",
            "CVE-2023-24580",
            "CVE-2023-31047",
            "CVE-2023-36053"
        ]
    );
    assert_eq!(
        u.affected_at_target,
        ["PYSEC-2023-222", "PYSEC-2023-225", "PYSEC-2023-226"]
    );
}

#[test]
fn debian_urgency_is_shown_and_rates_an_unscored_finding() {
    // DEBIAN-CVE-2023-4039 (hand-written in the Debian converter's shape) gives gcc-12
    // in Debian:12 `urgency: low` and no fix; no CVSS for CVE-2023-4039 in the
    // vendored feeds; EPSS 0.00758 (epss.csv). Base = Low band midpoint 2.0:
    // 2.5 x 2.0 x 1.00758 = 5.04 -> 5.0.
    let pkg = os_pkg(PackageKind::Dpkg, "libgcc-s1", "12.2.0-14", "gcc-12");
    let r = match_packages(db(), Some(&os("debian", "12")), &[pkg]).expect("match");
    let f = &r.findings[0];
    let v = f.vendor_severity.as_ref().expect("vendor rating");
    assert_eq!(
        (v.source.as_str(), v.rating.as_str()),
        ("Debian urgency", "low")
    );
    let risk = f.risk.as_ref().expect("risk");
    assert_eq!(risk.score, 5.0);
    assert_eq!(
        risk.reasons,
        [
            "Debian urgency low (no CVSS)",
            "EPSS <0.01",
            "no fix published"
        ]
    );
    let u = upgrade(&r, "libgcc-s1");
    assert_eq!(u.upgrade_to, None);
    assert_eq!(u.remaining, ["CVE-2023-4039"]);
}

#[test]
fn risk_scores_of_the_alpine_openssl_findings_by_hand() {
    // CVSS from RUSTSEC records that rate the same CVEs (cve-other-advisory), EPSS
    // from epss.csv; score = 2.5 x base x (1 + EPSS), unrated base 5.0.
    let cases = [
        ("CVE-2020-1967", 28.8),  // 2.5 x 7.5 x 1.53336 = 28.75
        ("CVE-2021-23840", 28.3), // 2.5 x 7.5 x 1.50732 = 28.26
        ("CVE-2021-3449", 24.0),  // 2.5 x 5.9 x 1.62906 = 24.03
        ("CVE-2021-3450", 21.9),  // 2.5 x 7.4 x 1.18339 = 21.89
        ("CVE-2021-23841", 15.9), // 2.5 x 5.9 x 1.07471 = 15.85
        ("CVE-2020-1971", 13.4),  // 2.5 x 5.0 x 1.06968 = 13.37
        ("CVE-2021-23839", 12.9), // 2.5 x 5.0 x 1.02961 = 12.87
    ];
    let pkg = os_pkg(PackageKind::Apk, "libssl1.1", "1.1.1d-r2", "openssl");
    let r = match_packages(db(), Some(&os("alpine", "3.10.4")), &[pkg]).expect("match");
    for (id, want) in cases {
        let f = r.findings.iter().find(|f| f.id == id).expect(id);
        assert_eq!(f.risk.as_ref().map(|r| r.score), Some(want), "{id}");
    }
    let f = r
        .findings
        .iter()
        .find(|f| f.id == "CVE-2021-3449")
        .expect("3449");
    assert_eq!(
        f.risk.as_ref().expect("risk").reasons,
        ["CVSS 5.9", "EPSS 0.63", "fix 1.1.1k-r0"]
    );
}
