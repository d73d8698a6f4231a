//! Hostile and edge-case input: never panic, and numbers beyond `u64` compare exactly.

use std::cmp::Ordering;

use drydock_versions::{MAX_VERSION_LEN, Scheme, Version, VersionError, compare};

const ALL: [Scheme; 12] = [
    Scheme::Dpkg,
    Scheme::Apk,
    Scheme::Rpm,
    Scheme::Pep440,
    Scheme::Semver,
    Scheme::Npm,
    Scheme::Go,
    Scheme::Maven,
    Scheme::RubyGems,
    Scheme::NuGet,
    Scheme::Composer,
    Scheme::Bitnami,
];

#[test]
fn garbage_never_panics() {
    let long = "1.".repeat(200);
    let nested = "1-".repeat(120);
    let inputs = [
        "",
        " ",
        "@@",
        "-",
        ".",
        "~",
        "^",
        "+",
        ":",
        "!",
        "v",
        "=",
        "\0",
        "1\u{0}2",
        "é",
        "🦀1",
        "99999999999999999999999",
        "1:",
        ":1",
        "1.2.3-",
        "1.2.3+",
        "1..2",
        "--1",
        "_1",
        "dev-",
        "0x10",
        "1e10",
        "∞",
        &long,
        &nested,
    ];
    for scheme in ALL {
        for a in &inputs {
            for b in &inputs {
                // Either result is fine; the call must return.
                let _ = compare(scheme, a, b);
            }
        }
    }
}

#[test]
fn empty_input_is_rejected_except_rubygems() {
    for scheme in ALL {
        let result = Version::parse(scheme, "");
        if scheme == Scheme::RubyGems {
            // Gem::Version.new("") is "0".
            assert!(result.is_ok());
        } else {
            assert!(result.is_err(), "{scheme} accepted an empty version");
        }
    }
}

#[test]
fn overlong_input_is_rejected() {
    let s = "1".repeat(MAX_VERSION_LEN + 1);
    for scheme in ALL {
        assert_eq!(
            Version::parse(scheme, &s).map(|_| ()),
            Err(VersionError::TooLong {
                scheme,
                len: MAX_VERSION_LEN + 1
            })
        );
    }
}

#[test]
fn numbers_beyond_u64_compare_exactly() {
    let big = "99999999999999999999999";
    let bigger = "100000000000000000000000";
    let cases = [
        (Scheme::Dpkg, format!("{big}-1"), format!("{bigger}-1")),
        (Scheme::Apk, format!("1.{big}"), format!("1.{bigger}")),
        (Scheme::Rpm, format!("1.{big}-1"), format!("1.{bigger}-1")),
        (Scheme::Pep440, format!("1.{big}"), format!("1.{bigger}")),
        (
            Scheme::Semver,
            format!("1.0.{big}"),
            format!("1.0.{bigger}"),
        ),
        (Scheme::Npm, format!("1.0.{big}"), format!("1.0.{bigger}")),
        (Scheme::Go, format!("v1.0.{big}"), format!("v1.0.{bigger}")),
        (Scheme::Maven, format!("1.{big}"), format!("1.{bigger}")),
        (Scheme::RubyGems, format!("1.{big}"), format!("1.{bigger}")),
        (Scheme::NuGet, format!("1.0.{big}"), format!("1.0.{bigger}")),
        (Scheme::Composer, format!("1.{big}"), format!("1.{bigger}")),
        (
            Scheme::Bitnami,
            format!("1.0.0-{big}"),
            format!("1.0.0-{bigger}"),
        ),
    ];
    for (scheme, a, b) in cases {
        assert_eq!(
            compare(scheme, &a, &b),
            Ok(Ordering::Less),
            "{scheme}: {a} vs {b}"
        );
        assert_eq!(
            compare(scheme, &b, &a),
            Ok(Ordering::Greater),
            "{scheme}: {b} vs {a}"
        );
        assert_eq!(
            compare(scheme, &a, &a),
            Ok(Ordering::Equal),
            "{scheme}: {a}"
        );
    }
}

#[test]
fn osv_ecosystems_map_to_schemes() {
    let cases = [
        ("Debian:12", Some(Scheme::Dpkg)),
        ("Ubuntu:22.04:LTS", Some(Scheme::Dpkg)),
        ("Ubuntu:Pro:18.04:LTS", Some(Scheme::Dpkg)),
        ("Alpine:v3.20", Some(Scheme::Apk)),
        ("Wolfi", Some(Scheme::Apk)),
        ("Chainguard", Some(Scheme::Apk)),
        ("AlmaLinux:9", Some(Scheme::Rpm)),
        ("Rocky Linux:9", Some(Scheme::Rpm)),
        ("Red Hat:rhel_aus:8.4::appstream", Some(Scheme::Rpm)),
        ("openSUSE:Tumbleweed", Some(Scheme::Rpm)),
        ("SUSE:Linux Enterprise Server 15 SP5", Some(Scheme::Rpm)),
        ("Mageia:9", Some(Scheme::Rpm)),
        ("PyPI", Some(Scheme::Pep440)),
        ("npm", Some(Scheme::Npm)),
        ("Go", Some(Scheme::Go)),
        ("crates.io", Some(Scheme::Semver)),
        ("Maven", Some(Scheme::Maven)),
        ("Maven:https://maven.google.com", Some(Scheme::Maven)),
        ("RubyGems", Some(Scheme::RubyGems)),
        ("NuGet", Some(Scheme::NuGet)),
        ("Packagist", Some(Scheme::Composer)),
        ("Hex", Some(Scheme::Semver)),
        ("Pub", Some(Scheme::Semver)),
        ("Bitnami", Some(Scheme::Bitnami)),
        ("GIT", None),
        ("Linux", None),
        ("", None),
    ];
    for (eco, want) in cases {
        assert_eq!(Scheme::for_osv_ecosystem(eco), want, "{eco}");
    }
}

#[test]
fn parsed_versions_sort() {
    let mut v: Vec<Version> = ["1.0.0-rc.1", "1.0.0", "0.9.0", "1.0.0-alpha"]
        .iter()
        .map(|s| Version::parse(Scheme::Semver, s))
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    v.sort();
    let got: Vec<&str> = v.iter().map(Version::as_str).collect();
    assert_eq!(got, ["0.9.0", "1.0.0-alpha", "1.0.0-rc.1", "1.0.0"]);
}

/// The whitespace rows of `packaging`'s test_normalized_versions (kept out of the
/// TAB-separated vector file because the input itself contains tabs and newlines).
#[test]
fn pep440_strips_surrounding_whitespace() {
    for input in ["   v1.0\t\n", "\u{202F}1.0\t\u{2029}\n "] {
        let v = Version::parse(Scheme::Pep440, input).map(|v| v.canonical());
        assert_eq!(v, Ok("1.0".to_owned()), "{input:?}");
    }
}
