//! Layers applied as the OCI image spec says (image-spec `layer.md`), on constructed
//! OCI layouts read through the public API only (`Image::open`, `walk`, `FileView`).
//! Each input and expected tree is one of the spec's own examples, quoted beside it;
//! the rest follow its rules ("Changeset over existing files", "Hardlinks").

mod common;

use common::write_plain_layout;
use drydock_image::{EntryKind, FileHandler, Image, ImageRef, OpenOptions, WalkOptions, Walked};

/// Reads every regular file, so each surviving file's content can be checked.
struct Contents;

impl FileHandler for Contents {
    type Output = Vec<u8>;
    fn wants(&self, _path: &str, _size: u64, _mode: u32) -> bool {
        true
    }
    fn handle(&self, _path: &str, content: &[u8], _mode: u32) -> Vec<u8> {
        content.to_vec()
    }
}

/// One tar member: name as in the spec listings (`dir/` for directories).
enum Member<'a> {
    Entry(&'a str),
    File(&'a str, &'a [u8]),
    Mode(&'a str, u32),
    Link(&'a str, &'a str),
    Hardlink(&'a str, &'a str),
}

fn layer(members: &[Member]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for m in members {
        let mut h = tar::Header::new_gnu();
        h.set_mtime(1_700_000_000);
        let (name, data): (&str, &[u8]) = match *m {
            Member::Entry(name) if name.ends_with('/') => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(0o755);
                (name, b"")
            }
            // Whiteout markers are empty regular files.
            Member::Entry(name) => {
                h.set_mode(0o644);
                (name, b"")
            }
            Member::File(name, data) => {
                h.set_mode(0o644);
                (name, data)
            }
            Member::Mode(name, mode) => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(mode);
                (name, b"")
            }
            Member::Link(name, target) | Member::Hardlink(name, target) => {
                let kind = if matches!(m, Member::Link(..)) {
                    tar::EntryType::Symlink
                } else {
                    tar::EntryType::Link
                };
                h.set_entry_type(kind);
                h.set_mode(0o777);
                h.set_link_name(target).expect("link name");
                (name, b"")
            }
        };
        h.set_size(data.len() as u64);
        b.append_data(&mut h, name, data).expect("append");
    }
    b.into_inner().expect("tar")
}

/// An OCI layout of these uncompressed layers, walked whole.
fn walk(layers: &[Vec<u8>]) -> Walked<Vec<u8>> {
    let tmp = tempfile::tempdir().expect("tmp");
    write_plain_layout(tmp.path(), layers);
    let image =
        Image::open(&ImageRef::parse_local(tmp.path()), &OpenOptions::default()).expect("open");
    image
        .walk(&Contents, &WalkOptions::default(), &|_| {})
        .expect("walk")
}

/// The merged tree in the spec's listing style: `dir/` for directories, sorted.
fn tree(walked: &Walked<Vec<u8>>) -> Vec<String> {
    let mut out: Vec<String> = walked
        .view
        .iter()
        .map(|(path, node)| match node.kind {
            EntryKind::Dir => format!("{path}/"),
            _ => path.to_owned(),
        })
        .collect();
    out.sort();
    out
}

fn sorted(listing: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = listing.iter().map(|s| s.to_string()).collect();
    out.sort();
    out
}

/// The final content of a surviving file and the layer it came from.
fn content<'a>(walked: &'a Walked<Vec<u8>>, path: &str) -> (usize, &'a [u8]) {
    walked
        .current()
        .find(|(p, _, _)| *p == path)
        .map(|(_, layer, data)| (layer, data.as_slice()))
        .unwrap_or_else(|| panic!("{path} not in the final filesystem"))
}

/// "Representing Changes": `rootfs-c9d-v1` and the changeset to `rootfs-c9d-v1.s1`
/// ("Added /etc/my-app.d/, /etc/my-app.d/default.cfg; Modified /bin/my-app-tools;
/// Deleted /etc/my-app-config"), which the spec writes as the entries
/// `./etc/my-app.d/ ./etc/my-app.d/default.cfg ./bin/my-app-tools ./etc/.wh.my-app-config`.
#[test]
fn spec_changeset_gives_the_spec_snapshot() {
    use Member::*;
    let base = layer(&[
        Entry("./"),
        Entry("./etc/"),
        File("./etc/my-app-config", b"config v1"),
        Entry("./bin/"),
        File("./bin/my-app-binary", b"binary"),
        File("./bin/my-app-tools", b"tools v1"),
    ]);
    let changes = layer(&[
        Entry("./etc/my-app.d/"),
        File("./etc/my-app.d/default.cfg", b"default"),
        File("./bin/my-app-tools", b"tools v2"),
        Entry("./etc/.wh.my-app-config"),
    ]);
    let walked = walk(&[base, changes]);
    // rootfs-c9d-v1.s1/ as the spec draws it after the changes.
    assert_eq!(
        tree(&walked),
        sorted(&[
            "etc/",
            "etc/my-app.d/",
            "etc/my-app.d/default.cfg",
            "bin/",
            "bin/my-app-binary",
            "bin/my-app-tools",
        ])
    );
    assert_eq!(content(&walked, "bin/my-app-tools"), (1, &b"tools v2"[..]));
    assert_eq!(content(&walked, "bin/my-app-binary"), (0, &b"binary"[..]));
    let applied: Vec<_> = walked
        .whiteouts
        .iter()
        .map(|w| (w.layer, w.kind, w.path.as_str(), w.removed_entries))
        .collect();
    assert_eq!(applied, vec![(1, "whiteout", "/etc/my-app-config", 1)]);
}

/// "Whiteouts": base `a/ a/b/ a/b/c/ a/b/c/bar`; the next layer deletes and recreates
/// `a/b` with `a/b/c/foo` through `a/.wh..wh..opq`, which "is applied first, before
/// creating the new version of a/b, regardless of the ordering in which the whiteout
/// file was encountered" — the spec gives both orders as equivalent.
#[test]
fn opaque_marker_applies_before_its_siblings_in_either_order() {
    use Member::*;
    let base = || {
        layer(&[
            Entry("a/"),
            Entry("a/b/"),
            Entry("a/b/c/"),
            File("a/b/c/bar", b"bar"),
        ])
    };
    let marker_first = layer(&[
        Entry("a/"),
        Entry("a/.wh..wh..opq"),
        Entry("a/b/"),
        Entry("a/b/c/"),
        File("a/b/c/foo", b"foo"),
    ]);
    let marker_last = layer(&[
        Entry("a/"),
        Entry("a/b/"),
        Entry("a/b/c/"),
        File("a/b/c/foo", b"foo"),
        Entry("a/.wh..wh..opq"),
    ]);
    for upper in [marker_first, marker_last] {
        let walked = walk(&[base(), upper]);
        assert_eq!(
            tree(&walked),
            sorted(&["a/", "a/b/", "a/b/c/", "a/b/c/foo"])
        );
        assert_eq!(content(&walked, "a/b/c/foo"), (1, &b"foo"[..]));
        // "Once a whiteout is applied, the whiteout itself MUST also be hidden."
        assert!(walked.view.iter().all(|(p, _)| !p.contains(".wh.")));
    }
}

/// "Opaque Whiteout": base `etc/my-app-config bin/my-app-binary bin/my-app-tools
/// bin/tools/my-app-tool-one`; `bin/.wh..wh..opq` hides all children of `bin/`
/// "including sub-directories and all descendants", and the spec's explicit form
/// (`bin/.wh.my-app-binary bin/.wh.my-app-tools bin/.wh.tools`) is equivalent.
#[test]
fn opaque_whiteout_equals_explicit_whiteouts() {
    use Member::*;
    let base = || {
        layer(&[
            Entry("etc/"),
            File("etc/my-app-config", b"config"),
            Entry("bin/"),
            File("bin/my-app-binary", b"binary"),
            File("bin/my-app-tools", b"tools"),
            Entry("bin/tools/"),
            File("bin/tools/my-app-tool-one", b"one"),
        ])
    };
    let opaque = layer(&[Entry("bin/"), Entry("bin/.wh..wh..opq")]);
    let explicit = layer(&[
        Entry("bin/"),
        Entry("bin/.wh.my-app-binary"),
        Entry("bin/.wh.my-app-tools"),
        Entry("bin/.wh.tools"),
    ]);
    let expected = sorted(&["etc/", "etc/my-app-config", "bin/"]);
    let by_opaque = walk(&[base(), opaque]);
    assert_eq!(tree(&by_opaque), expected);
    let removed: Vec<_> = by_opaque
        .whiteouts
        .iter()
        .map(|w| (w.kind, w.path.as_str(), w.removed_entries))
        .collect();
    assert_eq!(removed, vec![("opaque-dir", "/bin", 4)]);
    let by_explicit = walk(&[base(), explicit]);
    assert_eq!(tree(&by_explicit), expected);
    let removed: usize = by_explicit
        .whiteouts
        .iter()
        .map(|w| w.removed_entries)
        .sum();
    assert_eq!(removed, 4, "{:?}", by_explicit.whiteouts);
}

/// "Whiteout files MUST only apply to resources in lower/parent layers. Files that are
/// present in the same layer as a whiteout file can only be hidden by whiteout files in
/// subsequent layers."
#[test]
fn whiteout_hides_lower_layers_only() {
    use Member::*;
    let base = layer(&[Entry("srv/"), File("srv/old", b"old")]);
    let same_layer = layer(&[
        Entry("srv/.wh.new"),
        File("srv/new", b"new"),
        Entry("srv/.wh.old"),
    ]);
    let walked = walk(&[base.clone(), same_layer.clone()]);
    assert_eq!(tree(&walked), sorted(&["srv/", "srv/new"]));
    assert_eq!(content(&walked, "srv/new"), (1, &b"new"[..]));
    // A later layer's whiteout does hide it.
    let later = layer(&[Entry("srv/.wh.new")]);
    assert_eq!(tree(&walk(&[base, same_layer, later])), sorted(&["srv/"]));
}

/// "Changeset over existing files": when the entry and the existing path are not both
/// directories, the path is removed and recreated from the entry, so a directory
/// replaced by a file or a symlink loses its whole subtree, and a directory recreated
/// later does not bring it back. Both directories: the entry's attributes win.
#[test]
fn directory_replaced_across_layers() {
    use Member::*;
    let base = layer(&[
        Entry("opt/"),
        Entry("opt/app/"),
        Entry("opt/app/lib/"),
        File("opt/app/lib/x.so", b"x"),
        File("opt/app/run", b"run"),
        Entry("usr/"),
        Entry("usr/lib/"),
        File("usr/lib/libz.so", b"z"),
        Mode("srv/", 0o755),
        File("srv/data", b"data"),
    ]);
    let replace = layer(&[
        File("opt/app", b"now a file"),
        Link("usr/lib", "lib64"),
        Mode("srv/", 0o700),
    ]);
    let walked = walk(&[base.clone(), replace.clone()]);
    assert_eq!(
        tree(&walked),
        sorted(&["opt/", "opt/app", "usr/", "usr/lib", "srv/", "srv/data"])
    );
    assert_eq!(content(&walked, "opt/app"), (1, &b"now a file"[..]));
    let lib = walked.view.get("usr/lib").expect("usr/lib");
    assert_eq!(
        (&lib.kind, lib.layer),
        (&EntryKind::Symlink("lib64".into()), 1)
    );
    let srv = walked.view.get("srv").expect("srv");
    assert_eq!((srv.mode & 0o7777, srv.layer), (0o700, 1));

    let recreate = layer(&[Entry("opt/app/"), File("opt/app/new", b"new")]);
    let walked = walk(&[base, replace, recreate]);
    let opt: Vec<String> = tree(&walked)
        .into_iter()
        .filter(|p| p.starts_with("opt/"))
        .collect();
    assert_eq!(opt, sorted(&["opt/", "opt/app/", "opt/app/new"]));
}

/// "Hardlinks": stored as type `1` entries whose `linkname` names another path of the
/// image, which may be a file a lower layer wrote ("a hardlink is created to a file in a
/// lower filesystem").
#[test]
fn hard_link_to_a_lower_layer_file() {
    use Member::*;
    let base = layer(&[
        Entry("usr/"),
        Entry("usr/bin/"),
        File("usr/bin/tool", b"tool v1"),
    ]);
    let links = layer(&[Hardlink("usr/bin/alias", "usr/bin/tool")]);
    let walked = walk(&[base, links]);
    assert_eq!(
        tree(&walked),
        sorted(&["usr/", "usr/bin/", "usr/bin/tool", "usr/bin/alias"])
    );
    let alias = walked.view.get("usr/bin/alias").expect("alias");
    assert_eq!(
        (&alias.kind, alias.layer),
        (&EntryKind::Hardlink("usr/bin/tool".into()), 1)
    );
    assert_eq!(
        walked.view.resolve("usr/bin/alias"),
        Ok(Some("usr/bin/tool".into()))
    );
    assert_eq!(content(&walked, "usr/bin/tool"), (0, &b"tool v1"[..]));
}
