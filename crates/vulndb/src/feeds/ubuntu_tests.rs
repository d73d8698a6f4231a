//! Listings written in the Security API's shape (the API's `Status` schema and the Pro
//! client's test responses: `component`, `description`, `pocket`, `release_codename`,
//! `status`, null pockets included); every expected state is the module doc's mapping.

use super::*;

fn parse(json: &str) -> UbuntuTracker {
    parse_cves(json.as_bytes(), &Location::parse("cves.json"))
        .expect("valid")
        .1
}

fn got(t: &UbuntuTracker) -> Vec<(String, String, TrackerState)> {
    let mut v: Vec<_> = t
        .entries
        .iter()
        .map(|e| (e.ecosystem.clone(), e.package.clone(), e.state.clone()))
        .collect();
    v.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    v
}

fn st(release: &str, status: &str, description: &str, pocket: Option<&str>) -> String {
    let pocket = pocket.map_or("null".to_owned(), |p| format!("\"{p}\""));
    format!(
        r#"{{"component":null,"description":"{description}","pocket":{pocket},"release_codename":"{release}","status":"{status}"}}"#
    )
}

fn listing(statuses: &[String]) -> String {
    format!(
        r#"{{"cves":[{{"id":"CVE-2099-1","priority":"Medium","published":"2099-01-02T00:00:00",
           "updated_at":"2099-03-04T05:06:07","description":"\nd\n","notes":[],
           "impact":{{"baseMetricV3":{{"cvssV3":{{"vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}}}}},
           "packages":[{{"name":"p","source":"s","ubuntu":"u","debian":"d","statuses":[{}]}}]}}],
           "offset":0,"limit":20,"total_results":1}}"#,
        statuses.join(",")
    )
}

use TrackerState::*;

fn e(eco: &str, state: TrackerState) -> (String, String, TrackerState) {
    (eco.to_owned(), "p".to_owned(), state)
}

#[test]
fn statuses_map_per_release_as_documented() {
    let t = parse(&listing(&[
        st("jammy", "released", "1.2-1ubuntu0.1", Some("security")),
        st("focal", "released", "1.1-1ubuntu0.2", None),
        st("noble", "needed", "", None),
        st("oracular", "pending", "1.3-1ubuntu0.1", Some("security")),
        st("plucky", "deferred", "2099-06-01", None),
        st(
            "trusty",
            "ignored",
            "end of standard support",
            Some("esm-infra"),
        ),
        st("lunar", "ignored", "reached end-of-life", None),
        st("kinetic", "ignored", "code-not-compiled", None),
        st("mantic", "ignored", "was needed ESM criteria", None),
        st("questing", "needs-triage", "", None),
        st("eoan", "not-affected", "code not present", None),
        st("disco", "DNE", "", None),
        st("upstream", "needs-triage", "", None),
        st("hardy", "needed", "", None),
    ]));
    assert_eq!(
        got(&t),
        vec![
            e("Ubuntu:14.04:LTS", Unfixed("end_of_life")),
            e("Ubuntu:20.04:LTS", Fixed("1.1-1ubuntu0.2".into())),
            e("Ubuntu:22.04:LTS", Fixed("1.2-1ubuntu0.1".into())),
            e("Ubuntu:22.10", Unfixed("will_not_fix")),
            e("Ubuntu:23.04", Unfixed("end_of_life")),
            e("Ubuntu:23.10", Unfixed("will_not_fix")),
            e("Ubuntu:24.04:LTS", Unfixed("affected")),
            e("Ubuntu:24.10", Unfixed("affected")),
            e("Ubuntu:25.04", Unfixed("fix_deferred")),
            e("Ubuntu:25.10", Unfixed("under_investigation")),
        ]
    );
    let c = &t.cves["CVE-2099-1"];
    assert_eq!(c.priority.as_deref(), Some("medium"));
    assert_eq!(c.summary.as_deref(), Some("d"));
    assert_eq!(c.published.as_deref(), Some("2099-01-02T00:00:00"));
    assert!(
        c.cvss3
            .as_deref()
            .is_some_and(|v| v.starts_with("CVSS:3.1/"))
    );
}

#[test]
fn esm_fixes_go_to_the_pro_stream_and_leave_the_free_one_affected() {
    let t = parse(&listing(&[
        st(
            "xenial",
            "released",
            "1.0-1ubuntu0.1+esm2",
            Some("esm-infra"),
        ),
        st("bionic", "released", "1.0-2ubuntu0.1+esm1", None),
        st("noble", "released", "1.4-1ubuntu0.1", Some("esm-apps")),
        st(
            "jammy",
            "released",
            "1.2-1ubuntu0.1+fips1",
            Some("fips-updates"),
        ),
        st("focal", "released", "", Some("security")),
    ]));
    assert_eq!(
        got(&t),
        vec![
            e("Ubuntu:16.04:LTS", Unfixed("affected")),
            e("Ubuntu:18.04:LTS", Unfixed("affected")),
            e("Ubuntu:22.04:LTS", Unfixed("affected")),
            e("Ubuntu:24.04:LTS", Unfixed("affected")),
            e("Ubuntu:Pro:16.04:LTS", Fixed("1.0-1ubuntu0.1+esm2".into())),
            e("Ubuntu:Pro:18.04:LTS", Fixed("1.0-2ubuntu0.1+esm1".into())),
            e("Ubuntu:Pro:24.04:LTS", Fixed("1.4-1ubuntu0.1".into())),
        ]
    );
}

#[test]
fn nulls_and_non_cves_are_skipped_and_a_cve_without_entries_keeps_no_details() {
    let t = parse(
        r#"{"total_results":3,"cves":[
          {"id":"USN-1-1","packages":[{"name":"p","statuses":[{"release_codename":"jammy","status":"needed"}]}]},
          {"id":"CVE-2099-2","priority":null,"packages":null},
          {"id":"CVE-2099-3","packages":[{"name":null,"statuses":null},{"name":"q","statuses":[
            {"release_codename":null,"status":"needed"},{"release_codename":"jammy","status":null},
            {"release_codename":"jammy","status":"needed","description":null,"pocket":null}]}]}]}"#,
    );
    assert_eq!(t.entries.len(), 1);
    assert_eq!(t.entries[0].package, "q");
    assert_eq!(t.cves.keys().collect::<Vec<_>>(), ["CVE-2099-3"]);
    assert_eq!(t.cves["CVE-2099-3"].priority, None);
}

#[test]
fn a_listing_without_cves_or_of_another_shape_names_the_file() {
    for bad in [
        r#"{"notices":[]}"#,
        r#"[{"id":"CVE-1"}]"#,
        r#"{"cves":[{"id":3}]}"#,
    ] {
        let e = parse_cves(bad.as_bytes(), &Location::parse("cves.json"))
            .expect_err("not the listing shape");
        assert!(e.to_string().contains("cves.json"), "{e}");
    }
}

#[test]
fn the_listing_date_is_the_newest_update() {
    let (p, _) = parse_cves(
        br#"{"cves":[{"id":"CVE-1-1","updated_at":"2099-01-02T00:00:00"},
                     {"id":"CVE-1-2","updated_at":"2099-05-06T00:00:00+00:00"}]}"#,
        &Location::parse("cves.json"),
    )
    .expect("valid");
    assert_eq!(p.date.as_deref(), Some("2099-05-06"));
    assert_eq!(p.entries, 0);
}

#[test]
fn a_single_page_is_told_from_a_whole_listing() {
    let page = parse(r#"{"cves":[{"id":"CVE-1-1"}],"offset":0,"limit":20,"total_results":310000}"#);
    assert_eq!(page.partial, Some((1, 310000)));
    let whole = parse(r#"{"cves":[{"id":"CVE-1-1"}],"total_results":1}"#);
    assert_eq!(whole.partial, None);
}
