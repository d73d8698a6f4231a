//! OSV range evaluation against the examples and rules of the OSV schema
//! (ossf/osv-schema `docs/schema.md`, sections "Evaluation" and "Examples").

use drydock_versions::{Event, Scheme, VersionError, osv_range_affected};

fn intro(v: &str) -> Event {
    Event::Introduced(v.to_owned())
}
fn fixed(v: &str) -> Event {
    Event::Fixed(v.to_owned())
}
fn last(v: &str) -> Event {
    Event::LastAffected(v.to_owned())
}
fn limit(v: &str) -> Event {
    Event::Limit(v.to_owned())
}

fn affected(events: &[Event], version: &str) -> bool {
    match osv_range_affected(Scheme::Semver, version, events) {
        Ok(b) => b,
        Err(e) => panic!("{version}: {e}"),
    }
}

#[test]
fn unfixed_vulnerability_affects_every_version() {
    let events = [intro("0")];
    for v in ["0.0.0", "0.0.1-alpha", "1.0.0", "999.999.999"] {
        assert!(affected(&events, v), "{v}");
    }
}

#[test]
fn fixed_vulnerability_affects_everything_before_fix() {
    let events = [intro("0"), fixed("1.0.2")];
    assert!(affected(&events, "0.0.1"));
    assert!(affected(&events, "1.0.1"));
    assert!(affected(&events, "1.0.2-rc.1"));
    assert!(!affected(&events, "1.0.2"));
    assert!(!affected(&events, "1.0.3"));
}

#[test]
fn multiple_ranges() {
    let events = [
        intro("1.0.0"),
        fixed("1.0.2"),
        intro("3.0.0"),
        fixed("3.2.5"),
    ];
    let cases = [
        ("0.9.0", false),
        ("1.0.0", true),
        ("1.0.1", true),
        ("1.0.2", false),
        ("2.5.0", false),
        ("3.0.0", true),
        ("3.2.4", true),
        ("3.2.5", false),
        ("4.0.0", false),
    ];
    for (v, want) in cases {
        assert_eq!(affected(&events, v), want, "{v}");
    }
}

#[test]
fn events_are_sorted_before_evaluation() {
    let events = [
        fixed("3.2.5"),
        intro("3.0.0"),
        fixed("1.0.2"),
        intro("1.0.0"),
    ];
    assert!(affected(&events, "1.0.1"));
    assert!(!affected(&events, "2.0.0"));
    assert!(affected(&events, "3.1.0"));
    assert!(!affected(&events, "3.2.5"));
}

#[test]
fn last_affected_is_inclusive() {
    let events = [intro("0"), last("2.1.214")];
    assert!(affected(&events, "2.1.213"));
    assert!(affected(&events, "2.1.214"));
    assert!(!affected(&events, "2.1.215"));
    // The `fixed` counterpart from the same example excludes 2.1.214.
    assert!(!affected(&[intro("0"), fixed("2.1.214")], "2.1.214"));
}

#[test]
fn limit_caps_the_range() {
    let events = [intro("1.0.0"), limit("2.0.0")];
    assert!(!affected(&events, "0.5.0"));
    assert!(affected(&events, "1.5.0"));
    assert!(!affected(&events, "2.0.0"));
    assert!(!affected(&events, "2.5.0"));
    // "*" is infinity: the same as having no limit.
    assert!(affected(&[intro("1.0.0"), limit("*")], "99.0.0"));
    // Any of several limits lets a version through.
    let two = [intro("1.0.0"), limit("1.5.0"), limit("3.0.0")];
    assert!(affected(&two, "2.0.0"));
    assert!(!affected(&two, "3.0.0"));
}

#[test]
fn no_introduced_means_not_affected() {
    assert!(!affected(&[fixed("1.0.0")], "0.5.0"));
    assert!(!affected(&[], "0.5.0"));
}

#[test]
fn ecosystem_semantics_are_used() {
    // dpkg: epoch and tilde ordering decide the match.
    let deb = [intro("0"), fixed("1:2.0-1")];
    assert_eq!(osv_range_affected(Scheme::Dpkg, "2.5-1", &deb), Ok(true));
    assert_eq!(
        osv_range_affected(Scheme::Dpkg, "1:2.0~rc1-1", &deb),
        Ok(true)
    );
    assert_eq!(osv_range_affected(Scheme::Dpkg, "1:2.0-1", &deb), Ok(false));
    // PEP 440: 1.0 == 1.0.0, so the fix applies.
    let py = [intro("0"), fixed("1.0")];
    assert_eq!(osv_range_affected(Scheme::Pep440, "1.0.0", &py), Ok(false));
    assert_eq!(osv_range_affected(Scheme::Pep440, "1.0rc1", &py), Ok(true));
    // apk: _rc sorts before the release, -r revisions after.
    let apk = [intro("0"), fixed("1.2.3-r2")];
    assert_eq!(
        osv_range_affected(Scheme::Apk, "1.2.3_rc1-r0", &apk),
        Ok(true)
    );
    assert_eq!(
        osv_range_affected(Scheme::Apk, "1.2.3-r10", &apk),
        Ok(false)
    );
}

#[test]
fn invalid_input_is_an_error() {
    let events = [intro("0"), fixed("not a version")];
    assert!(matches!(
        osv_range_affected(Scheme::Semver, "1.0.0", &events),
        Err(VersionError::Invalid { .. })
    ));
    assert!(osv_range_affected(Scheme::Semver, "", &[intro("0")]).is_err());
}
