//! The vendor advisory feeds OSV does not carry (or, for Azure Linux, carries frozen, and
//! for Photon OS, carries without VMware's severity): Amazon's ALAS, Oracle's ELSA,
//! Bottlerocket's advisories, Microsoft's Azure Linux OVAL and Broadcom's Photon OS OVAL,
//! read from a mirror's `alas/`, `oval/oracle/`, `bottlerocket/`, `oval/azurelinux/` and
//! `oval/photon/` or from the vendors themselves. (Bottlerocket publishes one yum
//! `updateinfo.xml.gz` for every release, in ALAS's format.)
//!
//! Amazon publishes ALAS in each release's yum repository: the release's `mirror.list`
//! names the current repository URL, whose `repodata/repomd.xml` gives the location and
//! sha256 of `updateinfo.xml.gz` (`<data type="updateinfo">`). Oracle publishes one
//! bzip2 OVAL file for every Oracle Linux release. Both are inflated under a budget
//! ([`super::inflate`]) and, from a vendor, kept in `<cache>/feeds/` as the fallback for
//! an update that cannot reach it.

use quick_xml::Reader as XmlReader;
use quick_xml::events::Event;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::fetch::{Fetcher, Location};

use super::inflate::parse_inflated;
use super::parse::{Parsed, bad, date_prefix};
use super::{
    ALAS_RELEASES, AlasUpdate, AzureDef, FeedState, PhotonDef, Reader, alas, azure, elsa, photon,
    xml,
};

/// Amazon Linux's package CDN; each release's `mirror.list` sits under it.
pub const AMAZON_LINUX_CDN_URL: &str = "https://cdn.amazonlinux.com";
/// Oracle's ELSA OVAL file for every Oracle Linux release.
pub const ORACLE_ELSA_URL: &str =
    "https://linux.oracle.com/security/oval/com.oracle.elsa-all.xml.bz2";
/// Microsoft's folder of Azure Linux / CBL-Mariner OVAL files, one per release.
pub const AZURE_LINUX_OVAL_URL: &str =
    "https://raw.githubusercontent.com/microsoft/AzureLinuxVulnerabilityData/main";
/// The releases' files in it (Azure Linux 3.0, CBL-Mariner 2.0: the supported ones
/// OSV's `Azure Linux:N` ecosystems name).
const AZURE_FILES: [&str; 2] = ["azurelinux-3.0-oval.xml", "cbl-mariner-2.0-oval.xml"];
/// Broadcom's folder of Photon OS OVAL files, one gzip file per release.
pub const PHOTON_OVAL_URL: &str = "https://packages.broadcom.com/photon/photon_oval_definitions";
/// The releases read (`com.vmware.phsa-photon<N>.xml[.gz]`): Photon OS 3.0, 4.0, 5.0.
const PHOTON_RELEASES: [&str; 3] = ["3", "4", "5"];
/// Bottlerocket's security advisories (BRSA and GHSA ids) for every release.
pub const BOTTLEROCKET_ADVISORIES_URL: &str =
    "https://advisories.bottlerocket.aws/updateinfo.xml.gz";

/// Where each release's `mirror.list` lives under [`AMAZON_LINUX_CDN_URL`] (the paths
/// Amazon's own repository files name for x86_64; the advisories are the same for
/// every architecture).
fn mirror_list(release: &str) -> &'static [&'static str] {
    match release {
        "2" => &["2", "core", "latest", "x86_64", "mirror.list"],
        _ => &[
            "al2023",
            "core",
            "mirrors",
            "latest",
            "x86_64",
            "mirror.list",
        ],
    }
}

const ALAS: &str = "Amazon ALAS";
const ELSA: &str = "Oracle ELSA";
const ELSA_FILE: &str = "com.oracle.elsa-all.xml";
const BOTTLEROCKET: &str = "Bottlerocket advisories";

fn parse_alas(b: &[u8], loc: &Location, release: &str) -> Result<Vec<AlasUpdate>> {
    parse_inflated(b, loc, ALAS, |r| alas::parse_updateinfo(r, loc, release))
}

/// Reads one vendor file (compressed or not) into its advisories.
type VendorParser<T> = fn(&[u8], &Location) -> Result<Vec<T>>;

/// An advisory's dates as its feed writes them, for the feed's status line.
pub(super) trait Dated {
    fn dates(&self) -> [Option<&str>; 2];
}

impl Dated for AlasUpdate {
    fn dates(&self) -> [Option<&str>; 2] {
        [self.issued.as_deref(), self.updated.as_deref()]
    }
}

impl Dated for AzureDef {
    fn dates(&self) -> [Option<&str>; 2] {
        [self.date.as_deref(), None]
    }
}

impl Dated for PhotonDef {
    fn dates(&self) -> [Option<&str>; 2] {
        [self.date.as_deref(), None]
    }
}

/// Broadcom publishes gzip (`.xml.gz`); a mirror may hold the file inflated.
fn parse_photon(b: &[u8], loc: &Location) -> Result<Vec<PhotonDef>> {
    parse_inflated(b, loc, photon::NAME, |r| photon::parse_oval(r, loc))
}

/// `com.vmware.phsa-photon5.xml`: Broadcom's name of release `5`'s file, inflated.
fn photon_file(release: &str) -> String {
    format!("com.vmware.phsa-photon{release}.xml")
}

/// Microsoft's files are plain XML (a few MB each: 2.2 MB for Azure Linux 3.0 in
/// October 2024), read whole like the others.
fn parse_azure(b: &[u8], loc: &Location) -> Result<Vec<AzureDef>> {
    azure::parse_oval(b, loc)
}

/// Bottlerocket's updates have no release axis: `release` stays empty.
fn parse_bottlerocket(b: &[u8], loc: &Location) -> Result<Vec<AlasUpdate>> {
    parse_inflated(b, loc, BOTTLEROCKET, |r| alas::parse_updateinfo(r, loc, ""))
}

fn parse_elsa(b: &[u8], loc: &Location) -> Result<Vec<AlasUpdate>> {
    parse_inflated(b, loc, ELSA, |r| elsa::parse_oval(r, loc))
}

/// Count and newest issued/updated date of a set of advisories.
pub(super) fn summary<T: Dated>(updates: &[T]) -> Parsed {
    let date = updates
        .iter()
        .flat_map(Dated::dates)
        .flatten()
        .filter_map(date_prefix)
        .max();
    Parsed {
        entries: updates.len(),
        date,
    }
}

impl Reader<'_> {
    /// Amazon Linux 2 and 2023 from the mirror's `alas/<release>/updateinfo.xml`
    /// (or `.xml.gz`); a release the mirror lacks is skipped.
    pub(super) fn alas_mirror(&mut self, root: &Location) -> Result<()> {
        let mut read = false;
        for rel in ALAS_RELEASES {
            for file in ["updateinfo.xml", "updateinfo.xml.gz"] {
                let loc = root.join(&["alas", rel, file]);
                if let Some(b) = self.f.get_optional(&loc)? {
                    self.hash(&loc.display(), &b);
                    self.feeds.alas.extend(parse_alas(&b, &loc, rel)?);
                    read = true;
                    break;
                }
            }
        }
        if read {
            let parsed = summary(&self.feeds.alas);
            let source = root.join(&["alas"]).display();
            self.status(ALAS, source, parsed, FeedState::Fresh);
        }
        Ok(())
    }

    /// Oracle Linux from the mirror's `oval/oracle/com.oracle.elsa-all.xml`, decompressed
    /// or as Oracle publishes it (`.bz2`).
    pub(super) fn elsa_mirror(&mut self, root: &Location) -> Result<()> {
        let files = [ELSA_FILE.to_owned(), format!("{ELSA_FILE}.bz2")];
        let dir = root.join(&["oval", "oracle"]);
        self.feeds.elsa = self.first_mirror_file(ELSA, &dir, &files, parse_elsa)?;
        Ok(())
    }

    /// Bottlerocket from the mirror's `bottlerocket/updateinfo.xml` (or `.xml.gz`).
    pub(super) fn bottlerocket_mirror(&mut self, root: &Location) -> Result<()> {
        let files = ["updateinfo.xml".to_owned(), "updateinfo.xml.gz".to_owned()];
        let dir = root.join(&["bottlerocket"]);
        self.feeds.bottlerocket =
            self.first_mirror_file(BOTTLEROCKET, &dir, &files, parse_bottlerocket)?;
        Ok(())
    }

    /// Azure Linux 3.0 and CBL-Mariner 2.0 from the mirror's `oval/azurelinux/`; a
    /// release the mirror lacks is skipped.
    pub(super) fn azure_mirror(&mut self, root: &Location) -> Result<()> {
        let dir = root.join(&["oval", "azurelinux"]);
        for file in AZURE_FILES {
            let got = self.first_mirror_file(azure::NAME, &dir, &[file.to_owned()], parse_azure)?;
            self.feeds.azure.extend(got);
        }
        Ok(())
    }

    /// Each release's file in the folder `at` (a URL or a directory), kept under its own
    /// name in `<cache>/feeds/`.
    pub(super) fn azure_published(&mut self, at: &Location) {
        for file in AZURE_FILES {
            let loc = at.join(&[file]);
            let fresh = self
                .f
                .get(&loc)
                .and_then(|b| parse_azure(&b, &loc).map(|u| (b, u)));
            let what = format!("{} {file}", azure::NAME);
            let got =
                self.vendor_published(azure::NAME, &what, loc.display(), file, fresh, parse_azure);
            self.feeds.azure.extend(got);
        }
    }

    /// Photon OS 3.0, 4.0 and 5.0 from the mirror's `oval/photon/`, inflated or as
    /// Broadcom publishes them (`.gz`); a release the mirror lacks is skipped.
    pub(super) fn photon_mirror(&mut self, root: &Location) -> Result<()> {
        let dir = root.join(&["oval", "photon"]);
        for rel in PHOTON_RELEASES {
            let file = photon_file(rel);
            let files = [format!("{file}.gz"), file];
            let got = self.first_mirror_file(photon::NAME, &dir, &files, parse_photon)?;
            self.feeds.photon.extend(got);
        }
        Ok(())
    }

    /// Each release's `.xml.gz` in the folder `at` (a URL or a directory), kept under its
    /// own name in `<cache>/feeds/`.
    pub(super) fn photon_published(&mut self, at: &Location) {
        for rel in PHOTON_RELEASES {
            let file = format!("{}.gz", photon_file(rel));
            let loc = at.join(&[&file]);
            let fresh = self
                .f
                .get(&loc)
                .and_then(|b| parse_photon(&b, &loc).map(|u| (b, u)));
            let what = format!("{} {file}", photon::NAME);
            let source = loc.display();
            let got =
                self.vendor_published(photon::NAME, &what, source, &file, fresh, parse_photon);
            self.feeds.photon.extend(got);
        }
    }

    /// The first of `files` in the mirror's `dir`, parsed; none when it has none of them.
    fn first_mirror_file<T: Dated>(
        &mut self,
        name: &str,
        dir: &Location,
        files: &[String],
        parse: VendorParser<T>,
    ) -> Result<Vec<T>> {
        for file in files {
            let loc = dir.join(&[file]);
            if let Some(b) = self.f.get_optional(&loc)? {
                self.hash(&loc.display(), &b);
                let updates = parse(&b, &loc)?;
                self.status(name, loc.display(), summary(&updates), FeedState::Fresh);
                return Ok(updates);
            }
        }
        Ok(Vec::new())
    }

    /// Bottlerocket's `updateinfo.xml.gz` at `at` (a URL or a path; gzip or plain).
    pub(super) fn bottlerocket_published(&mut self, at: &str) {
        let copy = "bottlerocket-updateinfo.xml.gz";
        self.feeds.bottlerocket = self.file_published(BOTTLEROCKET, at, copy, parse_bottlerocket);
    }

    /// One vendor file at `at`, kept as `<cache>/feeds/<copy>`.
    fn file_published(
        &mut self,
        name: &str,
        at: &str,
        copy: &str,
        parse: VendorParser<AlasUpdate>,
    ) -> Vec<AlasUpdate> {
        let loc = Location::parse(at);
        let fresh = self
            .f
            .get(&loc)
            .and_then(|b| parse(&b, &loc).map(|u| (b, u)));
        self.vendor_published(name, name, at.to_owned(), copy, fresh, parse)
    }

    /// Each release's `updateinfo.xml.gz` through the `mirror.list` under `cdn`.
    pub(super) fn alas_published(&mut self, cdn: &Location) {
        for rel in ALAS_RELEASES {
            let list = cdn.join(mirror_list(rel));
            let copy = format!("alas-{rel}-updateinfo.xml.gz");
            let kept = std::fs::read(self.cache.join(&copy)).ok();
            let fresh = updateinfo(self.f, &list, kept.as_deref())
                .and_then(|(b, loc)| parse_alas(&b, &loc, rel).map(|u| (b, u)));
            let what = format!("{ALAS} {rel}");
            let got = self.vendor_published(ALAS, &what, list.display(), &copy, fresh, |b, loc| {
                parse_alas(b, loc, rel)
            });
            self.feeds.alas.extend(got);
        }
    }

    /// Oracle's OVAL file at `at` (a URL or a path; bzip2 or plain).
    pub(super) fn elsa_published(&mut self, at: &str) {
        self.feeds.elsa = self.file_published(ELSA, at, "com.oracle.elsa-all.oval", parse_elsa);
    }

    /// A vendor file fetched and parsed as `fresh`: kept as `<cache>/feeds/<copy>` when
    /// good, else one warning and that copy (`parse` reads it back), or nothing.
    pub(super) fn vendor_published<T: Dated>(
        &mut self,
        name: &str,
        what: &str,
        source: String,
        copy: &str,
        fresh: Result<(Vec<u8>, Vec<T>)>,
        parse: impl Fn(&[u8], &Location) -> Result<Vec<T>>,
    ) -> Vec<T> {
        let copy = self.cache.join(copy);
        let (bytes, updates, state) = match fresh {
            Ok((b, updates)) => {
                let saved = std::fs::create_dir_all(&self.cache)
                    .map_err(|e| Error::io(&self.cache, e))
                    .and_then(|()| super::nvd::write_atomic(&copy, &b));
                if let Err(e) = saved {
                    let w = format!("{what}: could not keep a copy: {e}");
                    self.feeds.warnings.push(w);
                }
                (b, updates, FeedState::Fresh)
            }
            Err(e) => {
                let last = std::fs::read(&copy).ok().and_then(|b| {
                    let at = Location::Dir(copy.clone());
                    parse(&b, &at).ok().map(|u| (b, u))
                });
                let Some((b, updates)) = last else {
                    self.feeds.warnings.push(format!(
                        "{what} feed unavailable ({e}); continuing without it"
                    ));
                    self.status(name, source, Parsed::default(), FeedState::Unavailable);
                    return Vec::new();
                };
                let parsed = summary(&updates);
                let of = parsed.date.as_deref().unwrap_or("an unknown date");
                self.feeds.warnings.push(format!(
                    "{what} feed not updated ({e}); using the copy of {of}"
                ));
                (b, updates, FeedState::Cached)
            }
        };
        self.hash(what, &bytes);
        self.status(name, source, summary(&updates), state);
        updates
    }
}

/// The compressed `updateinfo.xml.gz` of the first repository in `list` that serves
/// one whose sha256 matches its `repomd.xml`, and where it was read. When the copy `kept`
/// from last time has that sha256, it is not downloaded again.
fn updateinfo(f: &Fetcher, list: &Location, kept: Option<&[u8]>) -> Result<(Vec<u8>, Location)> {
    let body = f.get(list)?;
    let text = String::from_utf8_lossy(&body);
    let mut last = None;
    let repos = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    for repo in repos {
        match updateinfo_of(f, &Location::parse(repo), kept) {
            Ok(got) => return Ok(got),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| bad("Amazon Linux mirror.list", list, "no repository URL")))
}

pub(super) fn updateinfo_of(
    f: &Fetcher,
    repo: &Location,
    kept: Option<&[u8]>,
) -> Result<(Vec<u8>, Location)> {
    let md_loc = repo.join(&["repodata", "repomd.xml"]);
    let md = f.get(&md_loc)?;
    let (href, sha256) = repomd_updateinfo(&md, &md_loc)?;
    let segs: Vec<&str> = href.split('/').filter(|s| !s.is_empty()).collect();
    if segs.iter().any(|s| *s == ".." || s.contains(':')) {
        return Err(bad(REPOMD, &md_loc, format!("unexpected location {href}")));
    }
    let loc = repo.join(&segs);
    let sha = |b: &[u8]| hex::encode(Sha256::digest(b));
    if let (Some(want), Some(k)) = (&sha256, kept)
        && sha(k).eq_ignore_ascii_case(want)
    {
        return Ok((k.to_vec(), loc));
    }
    let b = f.get(&loc)?;
    if let Some(want) = sha256 {
        let got = sha(&b);
        if !got.eq_ignore_ascii_case(&want) {
            return Err(bad(
                "yum repository",
                &loc,
                format!("sha256 {got} does not match its repomd.xml ({want})"),
            ));
        }
    }
    Ok((b, loc))
}

const REPOMD: &str = "yum repomd.xml";

/// `location href` and sha256 `checksum` (if the repository uses sha256) of
/// `<data type="updateinfo">`.
fn repomd_updateinfo(b: &[u8], loc: &Location) -> Result<(String, Option<String>)> {
    let mut r = XmlReader::from_reader(b);
    let mut buf = Vec::new();
    let (mut inside, mut in_sum) = (false, false);
    let (mut href, mut sum) = (None::<String>, None::<String>);
    loop {
        let ev = r
            .read_event_into(&mut buf)
            .map_err(|e| bad(REPOMD, loc, e))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => match e.local_name().as_ref() {
                "data" => {
                    inside = xml::attr(e, "type", REPOMD, loc)?.as_deref() == Some("updateinfo")
                }
                "location" if inside => href = xml::attr(e, "href", REPOMD, loc)?,
                "checksum" if inside && matches!(ev, Event::Start(_)) => {
                    in_sum = xml::attr(e, "type", REPOMD, loc)?.as_deref() == Some("sha256");
                }
                _ => {}
            },
            Event::Text(t) if in_sum => sum = Some(t.trim().to_owned()),
            Event::End(e) => match e.local_name().as_ref() {
                "checksum" => in_sum = false,
                "data" if inside => break,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    match href {
        Some(h) if inside => Ok((h, sum)),
        _ => Err(bad(REPOMD, loc, "no <data type=\"updateinfo\"> location")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout of a yum `repomd.xml` (`xmlns="http://linux.duke.edu/metadata/repo"`,
    /// one `<data type>` per metadata file).
    #[test]
    fn repomd_gives_the_updateinfo_location_and_sha256() {
        let md = br#"<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>1700000000</revision>
  <data type="primary">
    <checksum type="sha256">aa</checksum>
    <location href="repodata/primary.xml.gz"/>
  </data>
  <data type="updateinfo">
    <checksum type="sha256">ABCD</checksum>
    <open-checksum type="sha256">ef</open-checksum>
    <location href="repodata/1234-updateinfo.xml.gz"/>
    <size>10</size>
  </data>
</repomd>"#;
        let loc = Location::parse("/r/repodata/repomd.xml");
        let (href, sum) = repomd_updateinfo(md, &loc).expect("parse");
        assert_eq!(href, "repodata/1234-updateinfo.xml.gz");
        assert_eq!(sum.as_deref(), Some("ABCD"));
        let e = repomd_updateinfo(b"<repomd><data type=\"primary\"/></repomd>", &loc)
            .expect_err("no updateinfo");
        assert!(e.to_string().contains("repodata/repomd.xml"), "{e}");
    }
}
