//! Fedora's security updates, as Fedora publishes them in each release's `updates`
//! repository: `<release>/Everything/x86_64/repodata/repomd.xml` names the release's yum
//! `updateinfo.xml` (compressed with xz or zstd), one `<update type="security">` per Bodhi
//! update (`FEDORA-2024-1a2b3c4d5e`) with its severity, the fixed binary rpms and, in the
//! titles of the Bugzilla bugs it closes, its CVEs. OSV has no Fedora feed, so these
//! become advisories of drydock's own `Fedora:<release>` ecosystems, as ALAS's do.
//!
//! The releases are the numbered folders of the `updates` folder (Fedora keeps only the
//! maintained ones there; an end-of-life release moves to `archive/`), the same layout in
//! a mirror's `fedora/` folder, where older releases may be kept. Fedora publishes no
//! "affected, no fix yet" state: an image is only told about fixes it lacks.

use crate::error::{Error, Result};
use crate::fetch::Location;

use super::inflate::parse_inflated;
use super::vendor::{summary, updateinfo_of};
use super::{AlasUpdate, FeedState, Reader, alas};

/// Fedora's `updates` folder: one numbered folder per maintained release.
pub const FEDORA_UPDATES_URL: &str = "https://dl.fedoraproject.org/pub/fedora/linux/updates";
/// The feed's name in `db status`.
pub(crate) const NAME: &str = "Fedora updates";

/// The repository of `release` under an `updates` folder (the advisories are the same for
/// every architecture).
fn repository(updates: &Location, release: &str) -> Location {
    updates.join(&[release, "Everything", "x86_64"])
}

pub(crate) fn parse_fedora(b: &[u8], loc: &Location, release: &str) -> Result<Vec<AlasUpdate>> {
    parse_inflated(b, loc, NAME, |r| alas::parse_updateinfo(r, loc, release))
}

/// The listing's error once more, for each release read from its copy instead.
fn again(e: &Error, listing: &Location) -> Error {
    match e {
        Error::NotFound { url } => Error::NotFound { url: url.clone() },
        Error::HttpStatus { url, status } => Error::HttpStatus {
            url: url.clone(),
            status: *status,
        },
        other => Error::Transport {
            url: listing.display(),
            msg: other.to_string(),
        },
    }
}

/// The release folders listed under `updates` (`41`, `42`, ...), lowest first.
fn releases(names: Vec<String>) -> Vec<String> {
    let mut r: Vec<String> = names
        .into_iter()
        .filter(|n| !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    r.sort_by_key(|n| n.parse::<u32>().unwrap_or_default());
    r
}

impl Reader<'_> {
    /// Every release of a mirror's `fedora/` folder (Fedora's `updates` layout); a folder
    /// that is not there is skipped, a repository that is there but broken is an error.
    pub(super) fn fedora_mirror(&mut self, root: &Location) -> Result<()> {
        let updates = root.join(&["fedora"]);
        let Ok(names) = self.f.list(&updates) else {
            return Ok(());
        };
        let mut read = Vec::new();
        for rel in releases(names) {
            let (b, loc) = updateinfo_of(self.f, &repository(&updates, &rel), None)?;
            self.hash(&loc.display(), &b);
            read.extend(parse_fedora(&b, &loc, &rel)?);
        }
        if !read.is_empty() {
            self.status(NAME, updates.display(), summary(&read), FeedState::Fresh);
        }
        self.feeds.fedora.extend(read);
        Ok(())
    }

    /// Every release Fedora's `updates` folder at `at` lists, each kept as
    /// `<cache>/feeds/fedora-<release>-updateinfo` (not downloaded again while its sha256
    /// matches the repository's); when the folder cannot be listed, the releases kept last
    /// time are read from their copies.
    pub(super) fn fedora_published(&mut self, at: &Location) {
        let listed = self.f.list(at).map(releases);
        let rels = match &listed {
            Ok(r) => r.clone(),
            Err(_) => self.kept_fedora_releases(),
        };
        if let Err(e) = &listed
            && rels.is_empty()
        {
            let what = format!("{NAME} ({})", at.display());
            self.feeds.warnings.push(format!(
                "{what} feed unavailable ({e}); continuing without it"
            ));
            self.status(
                NAME,
                at.display(),
                Default::default(),
                FeedState::Unavailable,
            );
        }
        for rel in rels {
            let copy = format!("fedora-{rel}-updateinfo");
            let kept = std::fs::read(self.cache.join(&copy)).ok();
            let fresh = match &listed {
                Ok(_) => updateinfo_of(self.f, &repository(at, &rel), kept.as_deref())
                    .and_then(|(b, loc)| parse_fedora(&b, &loc, &rel).map(|u| (b, u))),
                Err(e) => Err(again(e, at)),
            };
            let what = format!("Fedora {rel} updates");
            let source = repository(at, &rel).display();
            let got = self.vendor_published(NAME, &what, source, &copy, fresh, |b, loc| {
                parse_fedora(b, loc, &rel)
            });
            self.feeds.fedora.extend(got);
        }
    }

    /// Releases whose copy an earlier update kept.
    fn kept_fedora_releases(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(&self.cache) else {
            return Vec::new();
        };
        let names = dir
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter_map(|n| {
                n.strip_prefix("fedora-")?
                    .strip_suffix("-updateinfo")
                    .map(str::to_owned)
            })
            .collect();
        releases(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_are_the_numbered_folders_in_numeric_order() {
        let names = ["100", "42", "9", "README", "testing", "4x", ""];
        let got = releases(names.iter().map(|s| s.to_string()).collect());
        assert_eq!(got, ["9", "42", "100"]);
    }

    /// An update in the shape of Fedora's `updateinfo.xml` (Bodhi's: `type="security"`,
    /// `<severity>`, CVEs only in Bugzilla titles, one `<package>` per binary rpm and
    /// arch); the `bugfix` update fixes no CVE and is skipped.
    #[test]
    fn cves_come_from_bugzilla_titles_and_none_is_no_rating() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="updates@fedoraproject.org" status="stable" type="security" version="2.0">
    <id>FEDORA-2099-0a1b2c3d4e</id>
    <title>curl-8.0.1-5.fc38</title>
    <issued date="2099-01-02 03:04:05"/>
    <severity>Important</severity>
    <references>
      <reference href="https://bugzilla.redhat.com/show_bug.cgi?id=2099001" id="2099001" type="bugzilla" title="CVE-2099-3801 CVE-2099-3802 curl: heap overflow [fedora-38]"/>
      <reference href="https://bugzilla.redhat.com/show_bug.cgi?id=2099002" id="2099002" type="bugzilla" title="curl-8.0.1 is available (not CVE-99-1, CVE-2099-12)"/>
    </references>
    <pkglist>
      <collection short="F38">
        <name>Fedora 38</name>
        <package name="libcurl-minimal" version="8.0.1" release="5.fc38" epoch="0" arch="x86_64" src="curl-8.0.1-5.fc38.src.rpm"><filename>libcurl-minimal-8.0.1-5.fc38.x86_64.rpm</filename></package>
        <package name="libcurl-minimal" version="8.0.1" release="5.fc38" epoch="0" arch="aarch64" src="curl-8.0.1-5.fc38.src.rpm"><filename>libcurl-minimal-8.0.1-5.fc38.aarch64.rpm</filename></package>
      </collection>
    </pkglist>
  </update>
  <update from="updates@fedoraproject.org" status="stable" type="security" version="2.0">
    <id>FEDORA-2099-5f6a7b8c9d</id>
    <severity>None</severity>
    <references><reference id="2099003" type="bugzilla" title="CVE-2099-3806 bash: x"/></references>
    <pkglist><collection short="F38"><package name="bash" version="5.2.15" release="5.fc38" epoch="0" arch="x86_64"/></collection></pkglist>
  </update>
  <update from="updates@fedoraproject.org" status="stable" type="bugfix" version="2.0">
    <id>FEDORA-2099-eeeeeeeeee</id>
    <references><reference id="2099004" type="bugzilla" title="CVE-2099-3807 tzdata"/></references>
    <pkglist><collection short="F38"><package name="tzdata" version="2099a" release="1.fc38" epoch="0" arch="noarch"/></collection></pkglist>
  </update>
</updates>"#;
        let loc = Location::parse("/m/fedora/38/updateinfo.xml");
        let got = parse_fedora(xml, &loc, "38").expect("parse");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].id, "FEDORA-2099-0a1b2c3d4e");
        assert_eq!(got[0].cves, ["CVE-2099-3801", "CVE-2099-3802"]);
        assert_eq!(got[0].severity.as_deref(), Some("important"));
        assert_eq!(
            got[0].packages,
            [("libcurl-minimal".to_owned(), "0:8.0.1-5.fc38".to_owned())]
        );
        assert_eq!(got[1].cves, ["CVE-2099-3806"]);
        assert_eq!(got[1].severity, None);
    }
}
