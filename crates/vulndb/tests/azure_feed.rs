//! `db update` with Microsoft's Azure Linux OVAL files read from the publisher (served from
//! 127.0.0.1 in raw.githubusercontent.com's layout, `<owner>/<repo>/main/<file>`) and from
//! a mirror's `oval/azurelinux/`: the same advisories either way, and a file that cannot
//! be fetched falls back to the copy kept from last time. The Azure Linux 3.0 file is the
//! trimmed real fixture in testdata/distro-advisories/oval/azurelinux/; the CBL-Mariner 2.0
//! one is written here (HAND-WRITTEN, one definition in Microsoft's shape: mysql
//! CVE-2023-21980 fixed 0:8.0.33-1.cm2, High). Expected values are read off those files.

#[path = "support/mirror.rs"]
mod mirror;
#[path = "support/server.rs"]
mod server;

use std::path::Path;

use drydock_vulndb::{Db, FeedLocation, FeedState, UpdateReport, update};
use mirror::{add_feed, copy_dir, mini, opts};
use server::{Rule, Server};

const SITE_DIR: &str = "microsoft/AzureLinuxVulnerabilityData/main";
const NAME: &str = "Azure Linux OVAL";

const MARINER: &str = r#"<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:linux-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux">
  <definitions>
    <definition class="vulnerability" id="oval:com.microsoft.cbl-mariner:def:26220" version="1">
      <metadata>
        <title>CVE-2023-21980 affecting package mysql 8.0.32-1</title>
        <reference ref_id="CVE-2023-21980" ref_url="https://nvd.nist.gov/vuln/detail/CVE-2023-21980" source="CVE"/>
        <patchable>true</patchable>
        <advisory_date>2023-05-03T16:24:32Z</advisory_date>
        <severity>High</severity>
      </metadata>
      <criteria operator="AND">
        <criterion test_ref="oval:com.microsoft.cbl-mariner:tst:26220000"/>
      </criteria>
    </definition>
  </definitions>
  <tests>
    <linux-def:rpminfo_test check="at least one" id="oval:com.microsoft.cbl-mariner:tst:26220000" version="1">
      <linux-def:object object_ref="oval:com.microsoft.cbl-mariner:obj:26220001"/>
      <linux-def:state state_ref="oval:com.microsoft.cbl-mariner:ste:26220002"/>
    </linux-def:rpminfo_test>
  </tests>
  <objects>
    <linux-def:rpminfo_object id="oval:com.microsoft.cbl-mariner:obj:26220001" version="1">
      <linux-def:name>mysql</linux-def:name>
    </linux-def:rpminfo_object>
  </objects>
  <states>
    <linux-def:rpminfo_state id="oval:com.microsoft.cbl-mariner:ste:26220002" version="1">
      <linux-def:evr datatype="evr_string" operation="less than">0:8.0.33-1.cm2</linux-def:evr>
    </linux-def:rpminfo_state>
  </states>
</oval_definitions>
"#;

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// A copy of the mini mirror (OSV, KEV, EPSS, CVSS; no `oval/`).
fn mirror_copy() -> (tempfile::TempDir, String) {
    let m = tempfile::tempdir().expect("tmp");
    copy_dir(&mini(), m.path());
    let osv = m.path().join("osv").display().to_string();
    (m, osv)
}

/// Each stored Azure Linux entry: `ecosystem package advisory [events] rating`.
fn azure_entries(cache: &Path) -> Vec<String> {
    let db = Db::open_cache(cache).expect("open");
    let mut out = Vec::new();
    for (eco, pkg) in [
        ("Azure Linux:3", "curl"),
        ("Azure Linux:3", "openssl"),
        ("Azure Linux:3", "cmake"),
        ("Azure Linux:2", "mysql"),
    ] {
        for e in db.advisories_for(eco, pkg).expect("query") {
            out.push(format!(
                "{eco} {pkg} {} {:?} {}",
                e.advisory_id,
                e.ranges[0].events,
                e.vendor_rating.as_deref().unwrap_or("-")
            ));
        }
    }
    out.sort();
    out
}

fn statuses(r: &UpdateReport) -> Vec<(String, Option<String>, usize, FeedState)> {
    r.feeds
        .statuses
        .iter()
        .filter(|s| s.name == NAME)
        .map(|s| (s.source.clone(), s.date.clone(), s.entries, s.state))
        .collect()
}

#[test]
fn azure_linux_oval_from_microsoft_or_a_mirror() {
    let fixture = "oval/azurelinux/azurelinux-3.0-oval.xml";
    let (m, osv) = mirror_copy();
    add_feed(m.path(), "oval/azurelinux", fixture);
    write(
        &m.path().join("oval/azurelinux/cbl-mariner-2.0-oval.xml"),
        MARINER.as_bytes(),
    );
    let from_mirror = tempfile::tempdir().expect("tmp");
    let r = update(&opts(osv, from_mirror.path())).expect("mirror build");
    assert_eq!(r.feeds.azure_linux, 7);
    let want = azure_entries(from_mirror.path());
    // The mini mirror has no Azure Linux OSV records: every definition is kept.
    assert_eq!(
        want,
        [
            r#"Azure Linux:2 mysql AZURE-OVAL-CVE-2023-21980 [Introduced("0"), Fixed("0:8.0.33-1.cm2")] high"#,
            r#"Azure Linux:3 cmake AZURE-OVAL-CVE-2024-6197 [Introduced("0"), Fixed("0:3.30.3-2.azl3")] high"#,
            r#"Azure Linux:3 curl AZURE-OVAL-CVE-2024-2398 [Introduced("0"), Fixed("0:8.8.0-1.azl3")] high"#,
            r#"Azure Linux:3 curl AZURE-OVAL-CVE-2024-6197 [Introduced("0"), Fixed("0:8.8.0-2.azl3")] high"#,
            r#"Azure Linux:3 curl AZURE-OVAL-CVE-2024-7264 [Introduced("0"), Fixed("0:8.8.0-3.azl3")] medium"#,
            r#"Azure Linux:3 openssl AZURE-OVAL-CVE-2024-5535 [Introduced("0"), Fixed("0:3.3.0-2.azl3")] medium"#,
            r#"Azure Linux:3 openssl AZURE-OVAL-CVE-2024-6119 [Introduced("0"), LastAffected("0:3.3.0-2.azl3")] high"#,
        ]
    );

    let site = tempfile::tempdir().expect("tmp");
    let srv = Server::start(site.path());
    let dir = site.path().join(SITE_DIR);
    write(
        &dir.join("azurelinux-3.0-oval.xml"),
        &std::fs::read(mini().join("../../distro-advisories").join(fixture)).expect("fixture"),
    );
    write(&dir.join("cbl-mariner-2.0-oval.xml"), MARINER.as_bytes());
    let (_m2, osv2) = mirror_copy();
    let cache = tempfile::tempdir().expect("tmp");
    let mut o = opts(osv2, cache.path());
    o.azure_linux = FeedLocation::At(srv.url(SITE_DIR));
    let r = update(&o).expect("published build");
    assert!(r.feeds.warnings.is_empty(), "{:?}", r.feeds.warnings);
    assert_eq!(azure_entries(cache.path()), want);
    let file = |f: &str| srv.url(&format!("{SITE_DIR}/{f}"));
    let date = |d: &str| Some(d.to_owned());
    assert_eq!(
        statuses(&r),
        [
            (
                file("azurelinux-3.0-oval.xml"),
                date("2024-10-01"),
                6,
                FeedState::Fresh
            ),
            (
                file("cbl-mariner-2.0-oval.xml"),
                date("2023-05-03"),
                1,
                FeedState::Fresh
            ),
        ]
    );

    // Azure Linux's file is cut short, Mariner's gone: the copies kept last time serve.
    srv.rule("azurelinux-3.0-oval.xml", Rule::Truncate);
    srv.rule("cbl-mariner-2.0-oval.xml", Rule::Status(404));
    let r = update(&o).expect("update with Microsoft failing");
    let w = &r.feeds.warnings;
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].starts_with("Azure Linux OVAL azurelinux-3.0-oval.xml feed not updated ("),
        "{w:?}"
    );
    assert!(w[0].ends_with("using the copy of 2024-10-01"), "{w:?}");
    assert!(w[1].ends_with("using the copy of 2023-05-03"), "{w:?}");
    assert!(statuses(&r).iter().all(|s| s.3 == FeedState::Cached));
    assert_eq!(azure_entries(cache.path()), want);

    // No copy to fall back to: the build goes on without them.
    let empty = tempfile::tempdir().expect("tmp");
    o.cache_dir = empty.path().to_owned();
    let r = update(&o).expect("build without Microsoft");
    assert_eq!(r.feeds.warnings.len(), 2, "{:?}", r.feeds.warnings);
    assert!(
        r.feeds
            .warnings
            .iter()
            .all(|l| l.ends_with("continuing without it") && !l.contains('\n'))
    );
    assert!(azure_entries(empty.path()).is_empty());
}
