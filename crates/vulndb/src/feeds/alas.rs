//! Amazon Linux Security Advisories (ALAS) as Amazon publishes them in each release's
//! repository metadata: yum's `updateinfo.xml`, one `<update type="security">` per
//! advisory with its `<severity>`, the CVEs as `<reference type="cve">` and the fixed
//! binary packages in `<pkglist>` (`name`, `epoch`, `version`, `release` attributes).
//! OSV has no Amazon Linux feed, so these become advisories of their own. Bottlerocket and
//! Fedora publish the same format (Fedora naming its CVEs in Bugzilla references' titles).

use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::Result;
use crate::fetch::Location;

use super::parse::bad;
use super::xml;

/// What a parse error calls the file: the format, which ALAS, Bottlerocket and Fedora share.
const UPDATEINFO: &str = "yum updateinfo";

/// One security advisory for one Amazon Linux release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AlasUpdate {
    /// `2` or `2023`: the release whose repository published it.
    pub release: String,
    /// `ALAS2-2023-2050`, `ALAS2023-2024-550`.
    pub id: String,
    pub title: Option<String>,
    /// As published, lowercase: `low`, `medium`, `important`, `critical`.
    pub severity: Option<String>,
    /// `issued` / `updated` dates as written (`2024-01-30 21:35:00`).
    pub issued: Option<String>,
    pub updated: Option<String>,
    pub cves: Vec<String>,
    /// (binary package, fixed `epoch:version-release`), sorted, each once (the arches
    /// of one package list the same version).
    pub packages: Vec<(String, String)>,
}

/// Reads every security update of one `updateinfo.xml`; other types (bugfix,
/// enhancement) fix no vulnerability and are skipped.
pub(crate) fn parse_updateinfo(
    input: impl BufRead,
    loc: &Location,
    release: &str,
) -> Result<Vec<AlasUpdate>> {
    let err = |e: &dyn std::fmt::Display| bad(UPDATEINFO, loc, e);
    let mut r = Reader::from_reader(input);
    let mut out = Vec::new();
    let mut cur: Option<AlasUpdate> = None;
    // The element whose text is being read (`id`, `title`, `severity`).
    let mut text_of: Option<&'static str> = None;
    let mut text = String::new();
    let mut buf = Vec::new();
    loop {
        let ev = r.read_event_into(&mut buf).map_err(|e| err(&e))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().as_ref() {
                    "update" if !empty => {
                        let security =
                            xml::attr(e, "type", UPDATEINFO, loc)?.as_deref() == Some("security");
                        cur = security.then(|| AlasUpdate {
                            release: release.to_owned(),
                            id: String::new(),
                            title: None,
                            severity: None,
                            issued: None,
                            updated: None,
                            cves: Vec::new(),
                            packages: Vec::new(),
                        });
                    }
                    name => {
                        if let Some(u) = cur.as_mut() {
                            match name {
                                "id" if !empty => text_of = Some("id"),
                                "title" if !empty => text_of = Some("title"),
                                "severity" if !empty => text_of = Some("severity"),
                                "issued" => u.issued = xml::attr(e, "date", UPDATEINFO, loc)?,
                                "updated" => u.updated = xml::attr(e, "date", UPDATEINFO, loc)?,
                                "reference" => {
                                    match xml::attr(e, "type", UPDATEINFO, loc)?.as_deref() {
                                        Some("cve") => {
                                            u.cves.extend(xml::attr(e, "id", UPDATEINFO, loc)?)
                                        }
                                        // Fedora names its CVEs only in the titles of the
                                        // Bugzilla bugs an update closes.
                                        Some("bugzilla") => {
                                            let title = xml::attr(e, "title", UPDATEINFO, loc)?;
                                            u.cves.extend(cve_ids(title.as_deref()));
                                        }
                                        _ => {}
                                    }
                                }
                                "package" => u.packages.push(package(e, loc)?),
                                _ => {}
                            }
                        }
                    }
                }
            }
            Event::Text(t) if text_of.is_some() => text.push_str(&t),
            // Entity references arrive apart from the text around them.
            Event::GeneralRef(g) if text_of.is_some() => text.push_str(xml::entity(&g)),
            Event::End(e) => {
                if let (Some(which), Some(u)) = (text_of.take(), cur.as_mut()) {
                    let s = std::mem::take(&mut text).trim().to_owned();
                    match which {
                        "id" => u.id = s,
                        "title" => u.title = Some(s),
                        // Fedora's Bodhi writes `None` for an update it did not rate.
                        _ if s.eq_ignore_ascii_case("none") || s.is_empty() => {}
                        _ => u.severity = Some(s.to_lowercase()),
                    }
                }
                if e.name().as_ref() == "update"
                    && let Some(mut u) = cur.take()
                {
                    if u.id.is_empty() {
                        return Err(err(&"a security update without <id>"));
                    }
                    u.cves.sort();
                    u.cves.dedup();
                    u.packages.sort();
                    u.packages.dedup();
                    out.push(u);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// The `CVE-YYYY-NNNN` ids in a Bugzilla title (`CVE-2023-38545 CVE-2023-38546 curl: ...
/// [fedora-all]`): `CVE-`, four digits, `-`, four or more digits.
fn cve_ids(title: Option<&str>) -> Vec<String> {
    let Some(t) = title else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (at, _) in t.match_indices("CVE-") {
        let rest = &t.as_bytes()[at + 4..];
        let year = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if year != 4 || rest.get(4) != Some(&b'-') {
            continue;
        }
        let seq = rest[5..].iter().take_while(|b| b.is_ascii_digit()).count();
        if seq >= 4 {
            out.push(t[at..at + 4 + 5 + seq].to_owned());
        }
    }
    out
}

/// `(name, epoch:version-release)` of one `<package>`; the epoch is always written, as
/// rpm compares a missing epoch as `0`.
fn package(e: &BytesStart<'_>, loc: &Location) -> Result<(String, String)> {
    let get = |k: &str| -> Result<String> {
        xml::attr(e, k, UPDATEINFO, loc)?
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad(UPDATEINFO, loc, format!("<package> without {k}")))
    };
    let epoch = xml::attr(e, "epoch", UPDATEINFO, loc)?.unwrap_or_else(|| "0".to_owned());
    let (name, version, release) = (get("name")?, get("version")?, get("release")?);
    // Stored text uses control characters as separators; no rpm field contains one.
    if [&name, &epoch, &version, &release]
        .iter()
        .any(|v| v.chars().any(char::is_control))
    {
        return Err(bad(UPDATEINFO, loc, "control character in a <package>"));
    }
    Ok((name, format!("{epoch}:{version}-{release}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout of Amazon's `updateinfo.xml` (yum's updateinfo format).
    #[test]
    fn security_updates_with_cves_and_fixed_packages() {
        let xml = br#"<?xml version="1.0" ?>
<updates>
  <update author="linux-security@amazon.com" from="linux-security@amazon.com" status="final" type="security" version="1.4">
    <id>ALAS2023-2024-550</id>
    <title>Amazon Linux 2023 - ALAS2023-2024-550: medium priority package update for curl</title>
    <issued date="2024-03-13 22:10:00" />
    <updated date="2024-03-14 01:02:00" />
    <severity>medium</severity>
    <description>Package updates are available for Amazon Linux 2023 that fix the following vulnerabilities: CVE-2024-2004</description>
    <references>
      <reference href="https://alas.aws.amazon.com/cve/html/CVE-2024-2004.html" id="CVE-2024-2004" title="" type="cve" />
      <reference href="https://alas.aws.amazon.com/AL2023/ALAS-2024-550.html" id="ALAS2023-2024-550" title="" type="self" />
    </references>
    <pkglist>
      <collection short="amazon-linux-2023---latest">
        <name>Amazon Linux 2023 latest</name>
        <package arch="x86_64" epoch="0" name="libcurl-minimal" release="1.amzn2023.0.4" version="8.5.0">
          <filename>Packages/libcurl-minimal-8.5.0-1.amzn2023.0.4.x86_64.rpm</filename>
        </package>
        <package arch="aarch64" epoch="0" name="libcurl-minimal" release="1.amzn2023.0.4" version="8.5.0">
          <filename>Packages/libcurl-minimal-8.5.0-1.amzn2023.0.4.aarch64.rpm</filename>
        </package>
      </collection>
    </pkglist>
  </update>
  <update author="a" from="a" status="final" type="bugfix" version="1.4">
    <id>ALAS2023-2024-551</id>
    <pkglist><collection short="x"><package arch="x86_64" epoch="0" name="tzdata" release="1" version="2024a" /></collection></pkglist>
  </update>
</updates>"#;
        let loc = Location::parse("/m/alas/2023/updateinfo.xml");
        let got = parse_updateinfo(&xml[..], &loc, "2023").expect("parse");
        assert_eq!(got.len(), 1, "the bugfix update is skipped");
        let u = &got[0];
        assert_eq!(u.id, "ALAS2023-2024-550");
        assert_eq!(u.severity.as_deref(), Some("medium"));
        assert_eq!(u.issued.as_deref(), Some("2024-03-13 22:10:00"));
        assert_eq!(u.cves, ["CVE-2024-2004"]);
        assert_eq!(
            u.packages,
            [(
                "libcurl-minimal".to_owned(),
                "0:8.5.0-1.amzn2023.0.4".to_owned()
            )]
        );
    }

    #[test]
    fn malformed_input_is_an_error_naming_the_file() {
        let loc = Location::parse("/m/alas/2/updateinfo.xml");
        let e = parse_updateinfo(
            &br#"<updates><update type="security"><id>X</id><pkglist><package name="a" version="1"/></pkglist></update></updates>"#[..],
            &loc,
            "2",
        )
        .expect_err("no release attribute");
        assert!(e.to_string().contains("alas/2/updateinfo.xml"), "{e}");
        // A file cut short never yields a half-read advisory.
        let cut = parse_updateinfo(
            &b"<updates><update type=\"security\"><id>X</id>"[..],
            &loc,
            "2",
        );
        assert!(cut.map_or(true, |v| v.is_empty()));
        let e = parse_updateinfo(&b"<updates></wrong>"[..], &loc, "2").expect_err("mismatched tag");
        assert!(e.to_string().contains("updateinfo.xml"), "{e}");
    }
}
