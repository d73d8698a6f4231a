//! Vendor statuses end to end: `db update` reads the Debian security tracker export from
//! a mirror, and `drydock rootfs` reports the tracker's reason in JSON, CycloneDX (checked
//! by the official schema), SARIF and the table. Statuses read off
//! testdata/distro-advisories/debian-tracker/tracker.json: zlib bookworm `open` with
//! `nodsa_reason: ignored` (will not fix), bash `postponed` (fix deferred).

use crate::common::{db_update, drydock, repo_root};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn mirror(dir: &Path) {
    let osv = dir.join("osv/Debian:12");
    std::fs::create_dir_all(&osv).expect("mkdir");
    for f in ["all.zip", "modified_id.csv"] {
        let src = repo_root()
            .join("testdata/matcher/mirror/osv/Debian:12")
            .join(f);
        std::fs::copy(src, osv.join(f)).expect("copy");
    }
    let tracker = dir.join("debian-tracker");
    std::fs::create_dir_all(&tracker).expect("mkdir");
    let src = repo_root().join("testdata/distro-advisories/debian-tracker/tracker.json");
    std::fs::copy(src, tracker.join("tracker.json")).expect("copy");
}

fn bookworm(dir: &Path) {
    std::fs::create_dir_all(dir.join("etc")).expect("mkdir");
    std::fs::write(
        dir.join("etc/os-release"),
        "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n",
    )
    .expect("os-release");
    std::fs::create_dir_all(dir.join("var/lib/dpkg")).expect("mkdir");
    std::fs::write(
        dir.join("var/lib/dpkg/status"),
        "Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\n\
         Version: 1:1.2.13.dfsg-1\nDescription: compression library - runtime\n\n\
         Package: bash\nStatus: install ok installed\nArchitecture: amd64\n\
         Version: 5.2.15-2\nDescription: GNU Bourne Again SHell\n",
    )
    .expect("status");
}

#[test]
fn tracker_statuses_reach_every_output() {
    let tmp = tempfile::tempdir().expect("tmp");
    mirror(&tmp.path().join("mirror"));
    let root = tmp.path().join("rootfs");
    bookworm(&root);
    let cache = tmp.path().join("cache");
    let c = cache.to_str().expect("utf8");
    let osv = tmp.path().join("mirror/osv");
    let up = db_update(c, osv.to_str().expect("utf8"), &[]);
    assert_eq!(up.code, 0, "{}", up.stderr);
    let scan = |format: &str| scan_rootfs(c, &root, format);

    let json: Value = serde_json::from_str(&scan("json")).expect("json");
    let mut got: Vec<(String, String)> = json["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap_or("").to_owned(),
                v["status"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("CVE-2023-45853".to_owned(), "will_not_fix".to_owned()),
            ("CVE-2099-1001".to_owned(), "fix_deferred".to_owned()),
        ]
    );

    // The BOM carries the status as a property; the VEX's analysis says it in
    // CycloneDX's own terms (`will_not_fix` is a response there, not a state).
    let vuln = |doc: &str| -> Value {
        let doc: Value = serde_json::from_str(doc).expect("cyclonedx json");
        doc["vulnerabilities"]
            .as_array()
            .expect("vulnerabilities")
            .iter()
            .find(|v| v["id"] == "CVE-2023-45853")
            .expect("zlib vulnerability")
            .clone()
    };
    let bom = scan("cyclonedx");
    let status = vuln(&bom)["properties"]
        .as_array()
        .expect("properties")
        .iter()
        .find(|p| p["name"] == "drydock:Status")
        .map(|p| p["value"].clone());
    assert_eq!(status, Some(Value::from("will_not_fix")));
    let vex = scan("cyclonedx-vex");
    let zlib = vuln(&vex);
    assert_eq!(
        zlib["analysis"]["response"],
        serde_json::json!(["will_not_fix"])
    );
    assert_eq!(zlib["analysis"]["state"], "in_triage");
    let files: Vec<_> = [("bom", &bom), ("vex", &vex)]
        .into_iter()
        .map(|(name, doc)| {
            let file = tmp.path().join(format!("{name}.cdx.json"));
            std::fs::write(&file, doc).expect("write");
            file
        })
        .collect();
    let script = repo_root().join("testdata/schemas/validate_cyclonedx.py");
    match Command::new("python3").arg(&script).args(&files).output() {
        Ok(o) if o.status.code() != Some(3) => assert!(
            o.status.success(),
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        _ => {
            assert!(
                !drydock_testkit::require_full(),
                "python3 jsonschema is not installed and DRYDOCK_REQUIRE_FULL=1"
            );
            eprintln!(
                "\n*** SKIP: python3 jsonschema is not installed; CycloneDX NOT validated ***\n"
            );
        }
    }

    assert!(scan("sarif").contains("vendor will not fix"));
    let table = scan("table");
    assert!(table.contains("vendor will not fix"), "{table}");
    assert!(table.contains("fix deferred by the vendor"), "{table}");
}

/// `db update` from the Debian mirror with `flag` pointed at `feed`, then a scan of the
/// fixture `distro` (under testdata/distros): the findings as sorted `package id status
/// vendor-rating-source: rating` lines, the table and the JSON report.
fn update_and_scan(
    tmp: &Path,
    flag: &str,
    feed: &Path,
    distro: &str,
) -> (Vec<String>, String, Value) {
    let cache = tmp.join("cache");
    let c = cache.to_str().expect("utf8");
    let osv = tmp.join("mirror/osv");
    let up = db_update(
        c,
        osv.to_str().expect("utf8"),
        &[flag, feed.to_str().expect("utf8")],
    );
    assert_eq!(up.code, 0, "{}", up.stderr);
    let rootfs = repo_root().join("testdata/distros").join(distro);
    let scan = |format: &str| scan_rootfs(c, &rootfs, format);
    let json: Value = serde_json::from_str(&scan("json")).expect("json");
    let mut got: Vec<String> = json["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .map(|v| {
            format!(
                "{} {} {} {}: {}",
                v["package"].as_str().unwrap_or(""),
                v["id"].as_str().unwrap_or(""),
                v["status"].as_str().unwrap_or(""),
                v["vendor_severity"]["source"].as_str().unwrap_or(""),
                v["vendor_severity"]["rating"].as_str().unwrap_or("")
            )
        })
        .collect();
    got.sort();
    (got, scan("table"), json)
}

/// `db update --redhat-vex ARCHIVE` (a path to the `.tar.zst` itself) and a scan of the RHEL
/// 9 fixture: Red Hat's statuses for the unfixed components reach JSON (with Red Hat's
/// severity) and the table. Statuses read off testdata/distro-advisories/redhat-vex (its
/// README): openssl will not fix (Low), curl deferred (Moderate) and out of support scope
/// on the AppStream stream, python3.12 under investigation (important).
#[test]
fn redhat_vex_statuses_from_a_given_archive() {
    let tmp = tempfile::tempdir().expect("tmp");
    mirror(&tmp.path().join("mirror"));
    let tar = advisories_tar(".", "redhat-vex");
    let archive = tmp.path().join("csaf_vex_2099-04-01.tar.zst");
    let zst = zstd::encode_all(&tar[..], 3).expect("zstd");
    std::fs::write(&archive, zst).expect("write");
    let (got, table, _) = update_and_scan(tmp.path(), "--redhat-vex", &archive, "rhel-9");
    assert_eq!(
        got,
        [
            "libcurl-minimal CVE-2099-1002 fix_deferred Red Hat severity: moderate",
            "libcurl-minimal CVE-2099-1003 end_of_life Red Hat severity: moderate",
            "openssl-libs CVE-2099-1001 will_not_fix Red Hat severity: low",
            "python3.12 CVE-2099-1002 under_investigation Red Hat severity: important",
        ]
    );
    for why in [
        "vendor will not fix",
        "fix deferred by the vendor",
        "vendor still investigating",
    ] {
        assert!(table.contains(why), "{why}: {table}");
    }
}

/// `drydock rootfs ROOT --format FORMAT` against the database in `cache`: its report.
fn scan_rootfs(cache: &str, root: &std::path::Path, format: &str) -> String {
    let run = drydock(&[
        "--cache-dir",
        cache,
        "rootfs",
        root.to_str().expect("utf8"),
        "--format",
        format,
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// `db update --ubuntu-tracker FILE` beside a mirror with no Ubuntu OSV data: the tracker
/// alone covers Ubuntu 22.04, and the scan reports its statuses with Ubuntu's priority.
/// Expected values read off testdata/distro-advisories/ubuntu-tracker (its README): jammy
/// openssl CVE-2099-2001 deferred (low), tar CVE-2099-2003 needs-triage (medium), zlib
/// CVE-2099-2002 ignored "abandoned" (negligible), CVE-2099-2006 released 3.0.2-0ubuntu1.11.
#[test]
fn ubuntu_tracker_statuses_from_a_given_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    mirror(&tmp.path().join("mirror"));
    let tracker = repo_root().join("testdata/distro-advisories/ubuntu-tracker/cves.json");
    let (got, _, json) = update_and_scan(tmp.path(), "--ubuntu-tracker", &tracker, "ubuntu-22.04");
    for want in [
        "libssl3 CVE-2099-2001 fix_deferred Ubuntu priority: low",
        "libssl3 CVE-2099-2006 fixed Ubuntu priority: medium",
        "tar CVE-2099-2003 under_investigation Ubuntu priority: medium",
        "zlib1g CVE-2099-2002 will_not_fix Ubuntu priority: negligible",
    ] {
        assert!(got.iter().any(|g| g == want), "{want}: {got:?}");
    }
    let not_covered = json["not_covered"].as_array().expect("not_covered");
    assert!(
        not_covered.iter().all(|n| n["scanned"] == true),
        "{not_covered:?}"
    );
}

/// A mirror's `ubuntu-tracker/cves.json` that is not the API's listing fails the update
/// with one line naming the file (exit 2), as any broken mirror file does.
#[test]
fn exit_2_for_a_broken_ubuntu_tracker_in_the_mirror() {
    let tmp = tempfile::tempdir().expect("tmp");
    mirror(&tmp.path().join("mirror"));
    let dir = tmp.path().join("mirror/ubuntu-tracker");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("cves.json"),
        r#"{"cves": [{"id": "CVE-1", "packages": 3}]}"#,
    )
    .expect("write");
    let cache = tmp.path().join("cache");
    let osv = tmp.path().join("mirror/osv");
    let run = db_update(
        cache.to_str().expect("utf8"),
        osv.to_str().expect("utf8"),
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("ubuntu-tracker/cves.json"),
        "{}",
        run.stderr
    );
}

/// `db update --suse-vex FOLDER` (a folder holding SUSE's `csaf-vex.tar.bz2`) and a scan of
/// the SLES 16.0 fixture: SUSE's status for the unfixed rpm reaches JSON (with SUSE's
/// rating) and the table. Read off testdata/distro-advisories/suse-vex/cve-2099-3103.json:
/// SLES 16.0's libopenssl3 `known_affected`, `no_fix_planned`, impact important.
#[test]
fn suse_vex_statuses_from_a_given_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    mirror(&tmp.path().join("mirror"));
    let tar = advisories_tar("csaf-vex", "suse-vex");
    let folder = tmp.path().join("csaf-vex");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    std::io::Write::write_all(&mut bz, &tar).expect("bzip2");
    std::fs::write(folder.join("csaf-vex.tar.bz2"), bz.finish().expect("bzip2")).expect("write");
    let (got, table, _) = update_and_scan(tmp.path(), "--suse-vex", &folder, "sles-16.0");
    assert_eq!(
        got,
        ["libopenssl3 CVE-2099-3103 will_not_fix SUSE rating: important"]
    );
    assert!(table.contains("vendor will not fix"), "{table}");
}

/// testdata/distro-advisories/`folder` as a tar whose members sit under `prefix`, as the
/// vendor's archive holds its documents.
fn advisories_tar(prefix: &str, folder: &str) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    let dir = repo_root().join("testdata/distro-advisories").join(folder);
    tar.append_dir_all(prefix, dir).expect("tar");
    tar.into_inner().expect("tar")
}
