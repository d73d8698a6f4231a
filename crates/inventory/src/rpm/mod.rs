//! rpm databases in their three on-disk formats, all read from memory without librpm.
//!
//! Each format is only a container of header blobs ([`header`]); the package is built from the
//! blob the same way whatever the container. Ported from the layouts documented in
//! knqyf263/go-rpmdb (MIT) and rpm's own `lib/backend/ndb/rpmpkg.c`.

mod bdb;
mod header;
mod ndb;
mod sqlite;

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind};
use header::{Header, tag};

/// Directories rpm keeps its database in: the classic one and the `/usr` one of newer
/// Fedora/SUSE/RHEL 9+ (where `/var/lib/rpm` is often a symlink to it).
const DB_DIRS: [&str; 2] = ["var/lib/rpm/", "usr/lib/sysimage/rpm/"];

fn in_db_dir(path: &str, file: &str) -> bool {
    DB_DIRS
        .iter()
        .any(|dir| path.strip_prefix(dir) == Some(file))
}

/// Reads `rpmdb.sqlite` (rpm >= 4.16 default: Fedora 33+, RHEL 9, CBL-Mariner/Azure Linux).
#[derive(Debug, Clone, Copy, Default)]
pub struct RpmSqliteAnalyzer;

/// Reads the Berkeley DB hash `Packages` (RHEL/CentOS <= 8, Amazon Linux 2).
#[derive(Debug, Clone, Copy, Default)]
pub struct RpmBdbAnalyzer;

/// Reads the NDB `Packages.db` (SUSE/openSUSE).
#[derive(Debug, Clone, Copy, Default)]
pub struct RpmNdbAnalyzer;

impl Analyzer for RpmSqliteAnalyzer {
    fn name(&self) -> &'static str {
        "rpm-sqlite"
    }
    fn version(&self) -> u32 {
        1
    }
    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        in_db_dir(path, "rpmdb.sqlite")
    }
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let blobs = sqlite::blobs(content).map_err(|m| AnalyzeError::new(path, m))?;
        packages(path, blobs.iter().map(Vec::as_slice))
    }
}

impl Analyzer for RpmBdbAnalyzer {
    fn name(&self) -> &'static str {
        "rpm-bdb"
    }
    fn version(&self) -> u32 {
        1
    }
    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        in_db_dir(path, "Packages")
    }
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let blobs = bdb::blobs(content).map_err(|m| AnalyzeError::new(path, m))?;
        packages(path, blobs.iter().map(Vec::as_slice))
    }
}

impl Analyzer for RpmNdbAnalyzer {
    fn name(&self) -> &'static str {
        "rpm-ndb"
    }
    fn version(&self) -> u32 {
        1
    }
    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        in_db_dir(path, "Packages.db")
    }
    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        let blobs = ndb::blobs(content).map_err(|m| AnalyzeError::new(path, m))?;
        packages(path, blobs)
    }
}

fn packages<'a>(
    path: &str,
    blobs: impl Iterator<Item = &'a [u8]>,
) -> Result<Analysis, AnalyzeError> {
    let mut packages = Vec::new();
    for (i, blob) in blobs.enumerate() {
        let pkg = package(path, blob)
            .map_err(|m| AnalyzeError::new(path, format!("header #{}: {m}", i + 1)))?;
        packages.extend(pkg);
    }
    Ok(Analysis {
        packages,
        ..Analysis::default()
    })
}

/// Builds one package from a header blob; `None` for `gpg-pubkey` (imported signing keys that
/// rpm stores as fake packages).
fn package(path: &str, blob: &[u8]) -> Result<Option<Package>, String> {
    let h = Header::parse(blob)?;
    let name = h
        .string(tag::NAME)?
        .filter(|n| !n.is_empty())
        .ok_or("no NAME")?;
    if name == "gpg-pubkey" {
        return Ok(None);
    }
    let version = h.string(tag::VERSION)?.ok_or("no VERSION")?;
    let release = h.string(tag::RELEASE)?.ok_or("no RELEASE")?;
    let epoch = h
        .int32_array(tag::EPOCH)?
        .first()
        .copied()
        .filter(|&e| e != 0);
    let with_epoch = |vr: String| match epoch {
        Some(e) => format!("{e}:{vr}"),
        None => vr,
    };
    let full_version = with_epoch(format!("{version}-{release}"));
    // A source rpm has the same epoch as the binaries built from it (one spec file), but its
    // file name never shows it, so the binary's epoch is carried over.
    let (source_name, source_version) =
        match h.string(tag::SOURCERPM)?.as_deref().and_then(split_srpm) {
            Some((n, vr)) => (n, with_epoch(vr)),
            None => (name.clone(), full_version.clone()),
        };
    Ok(Some(Package {
        kind: PackageKind::Rpm,
        arch: h
            .string(tag::ARCH)?
            .filter(|a| !a.is_empty())
            .map(Into::into),
        source_name: Some(source_name.into()),
        source_version: Some(source_version.into()),
        licenses: h
            .string(tag::LICENSE)?
            .filter(|l| !l.is_empty())
            .into_iter()
            .collect(),
        files: files(&h, blob.len())?.into(),
        name: name.into(),
        version: full_version.into(),
        location: path.into(),
        layer: None,
        purl: None,
        dev: false,
        lockfile: false,
        indirect: false,
        confidence: None,
    }))
}

/// `util-linux-2.32.1-42.el8_8.src.rpm` -> (`util-linux`, `2.32.1-42.el8_8`).
fn split_srpm(srpm: &str) -> Option<(String, String)> {
    let nvr = srpm
        .strip_suffix(".src.rpm")
        .or_else(|| srpm.strip_suffix(".nosrc.rpm"))?;
    let (nv, release) = nvr.rsplit_once('-')?;
    let (name, version) = nv.rsplit_once('-')?;
    if name.is_empty() || version.is_empty() || release.is_empty() {
        return None;
    }
    Some((name.to_owned(), format!("{version}-{release}")))
}

/// The file list may be at most this many times the header blob's size. Each path repeats
/// its directory, yet in the real databases of testdata/rpmdb the list is shorter than the
/// header (0.10x overall, 0.57x at most: headers also hold digests, sizes, modes); a header
/// whose basenames all index one long dirname would otherwise expand MBs into GBs.
const MAX_FILES_EXPANSION: usize = 4;

/// Absolute paths of the package's files: `DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]`, or the
/// pre-4.0 `OLDFILENAMES` list. Refused when longer than [`MAX_FILES_EXPANSION`] times the
/// `blob_len`-byte header, before anything is built.
fn files(h: &Header<'_>, blob_len: usize) -> Result<Vec<String>, String> {
    let basenames = h.string_array(tag::BASENAMES)?;
    if basenames.is_empty() {
        return h.string_array(tag::OLDFILENAMES);
    }
    let dirnames = h.string_array(tag::DIRNAMES)?;
    let indexes = h.int32_array(tag::DIRINDEXES)?;
    if indexes.len() != basenames.len() {
        return Err(format!(
            "{} basenames but {} dir indexes",
            basenames.len(),
            indexes.len()
        ));
    }
    let dirs = basenames
        .iter()
        .zip(&indexes)
        .map(|(_, &idx)| {
            usize::try_from(idx)
                .ok()
                .and_then(|i| dirnames.get(i))
                .ok_or_else(|| format!("dir index {idx} out of range"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let bytes: usize = dirs
        .iter()
        .zip(&basenames)
        .map(|(d, b)| d.len() + b.len())
        .sum();
    let cap = blob_len.saturating_mul(MAX_FILES_EXPANSION);
    if bytes > cap {
        return Err(format!(
            "file list of {} paths is {bytes} bytes from a {blob_len} byte header \
             (over {MAX_FILES_EXPANSION}x; one dirname indexed by every basename?); refused",
            basenames.len()
        ));
    }
    Ok(dirs
        .iter()
        .zip(&basenames)
        .map(|(d, b)| format!("{d}{b}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpm::header::tests::build;

    #[test]
    fn wants_db_paths_only() {
        assert!(RpmSqliteAnalyzer.wants("var/lib/rpm/rpmdb.sqlite", 0, 0o644));
        assert!(RpmSqliteAnalyzer.wants("usr/lib/sysimage/rpm/rpmdb.sqlite", 0, 0o644));
        assert!(!RpmSqliteAnalyzer.wants("var/lib/rpm/rpmdb.sqlite-shm", 0, 0o644));
        assert!(RpmBdbAnalyzer.wants("var/lib/rpm/Packages", 0, 0o644));
        assert!(RpmBdbAnalyzer.wants("usr/lib/sysimage/rpm/Packages", 0, 0o644));
        assert!(!RpmBdbAnalyzer.wants("var/lib/rpm/Packages.db", 0, 0o644));
        assert!(RpmNdbAnalyzer.wants("var/lib/rpm/Packages.db", 0, 0o644));
        assert!(RpmNdbAnalyzer.wants("usr/lib/sysimage/rpm/Packages.db", 0, 0o644));
        assert!(!RpmNdbAnalyzer.wants("var/lib/rpm/Index.db", 0, 0o644));
        assert!(!RpmNdbAnalyzer.wants("x/var/lib/rpm/Packages.db", 0, 0o644));
    }

    #[test]
    fn srpm_names() {
        assert_eq!(
            split_srpm("util-linux-2.32.1-42.el8_8.src.rpm"),
            Some(("util-linux".into(), "2.32.1-42.el8_8".into()))
        );
        assert_eq!(
            split_srpm("libgcc_s1-11.2.1+git610-1.3.9.src.rpm"),
            Some(("libgcc_s1".into(), "11.2.1+git610-1.3.9".into()))
        );
        assert_eq!(split_srpm("nodashes.src.rpm"), None);
        assert_eq!(split_srpm("a-1-2.x86_64.rpm"), None);
    }

    #[test]
    fn epoch_sourcerpm_and_files_from_a_synthetic_header() {
        let mut idx = Vec::new();
        for i in [0u32, 1, 0] {
            idx.extend_from_slice(&i.to_be_bytes());
        }
        let blob = build(&[
            (tag::NAME, 6, 1, b"bind-libs\0"),
            (tag::VERSION, 6, 1, b"9.16.23\0"),
            (tag::RELEASE, 6, 1, b"14.el9\0"),
            (tag::EPOCH, 4, 1, &32u32.to_be_bytes()),
            (tag::LICENSE, 6, 1, b"MPLv2.0\0"),
            (tag::ARCH, 6, 1, b"x86_64\0"),
            (tag::SOURCERPM, 6, 1, b"bind-9.16.23-14.el9.src.rpm\0"),
            (tag::DIRINDEXES, 4, 3, &idx),
            (
                tag::BASENAMES,
                8,
                3,
                b"libbind9.so\0named.conf\0libdns.so\0",
            ),
            (tag::DIRNAMES, 8, 2, b"/usr/lib64/\0/etc/\0"),
        ]);
        let p = package("var/lib/rpm/Packages", &blob).unwrap().unwrap();
        assert_eq!(&*p.name, "bind-libs");
        assert_eq!(&*p.version, "32:9.16.23-14.el9");
        assert_eq!(p.source_name.as_deref(), Some("bind"));
        assert_eq!(p.source_version.as_deref(), Some("32:9.16.23-14.el9"));
        assert_eq!(*p.licenses, ["MPLv2.0"]);
        assert_eq!(
            *p.files,
            [
                "/usr/lib64/libbind9.so",
                "/etc/named.conf",
                "/usr/lib64/libdns.so"
            ]
        );

        let pubkey = build(&[(tag::NAME, 6, 1, b"gpg-pubkey\0")]);
        assert_eq!(package("p", &pubkey).unwrap(), None);
        let bad_index = build(&[
            (tag::NAME, 6, 1, b"x\0"),
            (tag::VERSION, 6, 1, b"1\0"),
            (tag::RELEASE, 6, 1, b"1\0"),
            (tag::DIRINDEXES, 4, 1, &7u32.to_be_bytes()),
            (tag::BASENAMES, 8, 1, b"f\0"),
            (tag::DIRNAMES, 8, 1, b"/\0"),
        ]);
        assert!(package("p", &bad_index).is_err());
    }

    /// 100,000 one-byte basenames all indexing one 4 KiB dirname: a 0.6 MB header whose
    /// file list would be 410 MB.
    #[test]
    fn one_dirname_for_every_basename_is_refused() {
        let n = 100_000u32;
        let idx = vec![0u8; 4 * n as usize];
        let bases = b"f\0".repeat(n as usize);
        let mut dir = vec![b'd'; 4096];
        dir.push(0);
        let blob = build(&[
            (tag::NAME, 6, 1, b"x\0"),
            (tag::VERSION, 6, 1, b"1\0"),
            (tag::RELEASE, 6, 1, b"1\0"),
            (tag::DIRINDEXES, 4, n, &idx),
            (tag::BASENAMES, 8, n, &bases),
            (tag::DIRNAMES, 8, 1, &dir),
        ]);
        let err = package("p", &blob).unwrap_err();
        assert_eq!(
            err,
            format!(
                "file list of 100000 paths is 409700000 bytes from a {} byte header \
                 (over 4x; one dirname indexed by every basename?); refused",
                blob.len()
            )
        );
    }
}
