//! A path a layer's tar writes more than once: only its last version can ever be seen,
//! so only that one's handler result is kept. A package DB written 100,000 times in one
//! layer used to be 100,000 parsed copies (3 GB of RSS at 50 packages a copy).

mod common;

use common::{TestLayer, digest, write_layout, write_plain_layout};
use drydock_image::{FileHandler, Image, ImageRef, OpenOptions, WalkOptions, Walked};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Keeps each wanted file's content, so the test can tell copies apart.
struct Contents;

impl FileHandler for Contents {
    type Output = String;
    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path.starts_with("var/lib/dpkg/")
    }
    fn handle(&self, _path: &str, content: &[u8], _mode: u32) -> String {
        String::from_utf8_lossy(content).into_owned()
    }
}

fn append(b: &mut tar::Builder<Vec<u8>>, path: &str, data: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    b.append_data(&mut h, path, data).expect("append");
}

fn walk_one_layer(dir: &Path, tar: &[u8]) -> Walked<String> {
    walk_with(dir, tar, &Contents)
}

fn walk_with<H: FileHandler<Output = String>>(
    dir: &Path,
    tar: &[u8],
    handler: &H,
) -> Walked<String> {
    write_layout(
        dir,
        &[TestLayer {
            blob: tar,
            media_type: "application/vnd.oci.image.layer.v1.tar",
            diff_id: digest(tar),
        }],
    );
    Image::open(&ImageRef::parse_local(dir), &OpenOptions::default())
        .and_then(|img| img.walk(handler, &WalkOptions::default(), &|_| {}))
        .expect("walk")
}

#[test]
fn one_path_written_100k_times_in_a_layer_keeps_the_last_result() {
    const COPIES: usize = 100_000;
    let mut b = tar::Builder::new(Vec::new());
    for i in 0..COPIES {
        append(
            &mut b,
            "var/lib/dpkg/status",
            format!("copy {i}").as_bytes(),
        );
    }
    append(&mut b, "var/lib/dpkg/other", b"other");
    let tar = b.into_inner().expect("tar");
    let tmp = tempfile::tempdir().expect("tmp");
    let start = Instant::now();
    let walked = walk_one_layer(tmp.path(), &tar);
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
    let results: Vec<(&str, &str)> = walked.layer_results[0]
        .iter()
        .map(|(p, r)| (p.as_str(), r.as_str()))
        .collect();
    assert_eq!(
        results,
        [
            ("var/lib/dpkg/status", "copy 99999"),
            ("var/lib/dpkg/other", "other")
        ]
    );
    let current: Vec<&str> = walked.current().map(|(_, _, r)| r.as_str()).collect();
    assert_eq!(current, ["other", "copy 99999"]);
}

/// The same tar replacing the file with a symlink leaves no result behind: the view
/// holds the link, and `current()` must not offer the file's stale analysis.
#[test]
fn file_replaced_by_a_link_in_the_same_layer_leaves_no_result() {
    let mut b = tar::Builder::new(Vec::new());
    append(&mut b, "var/lib/dpkg/status", b"first");
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Symlink);
    h.set_size(0);
    b.append_link(&mut h, "var/lib/dpkg/status", "/elsewhere")
        .expect("link");
    let tar = b.into_inner().expect("tar");
    let tmp = tempfile::tempdir().expect("tmp");
    let walked = walk_one_layer(tmp.path(), &tar);
    assert!(
        walked.layer_results[0].is_empty(),
        "{:?}",
        walked.layer_results
    );
    assert_eq!(walked.current().count(), 0);
}

/// Counts the full copies alive at once: a copy is full from `handle` until `supersede`.
struct Compacting {
    live: AtomicUsize,
    peak: AtomicUsize,
}

impl FileHandler for Compacting {
    type Output = String;
    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        path == "var/lib/dpkg/status"
    }
    fn handle(&self, _path: &str, content: &[u8], _mode: u32) -> String {
        let live = self.live.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(live, Ordering::SeqCst);
        String::from_utf8_lossy(content).into_owned()
    }
    fn compacts(&self, _output: &String) -> bool {
        true
    }
    fn supersede(&self, output: &mut String) {
        self.live.fetch_sub(1, Ordering::SeqCst);
        *output = format!("superseded {output}");
    }
}

/// The 2,000-layer case of the hostile suite (each layer rewriting the package DB; 1 GB
/// when every parsed copy was kept until the merge): an older layer's copy is compacted
/// as soon as a newer one is read, so only a few full copies exist at any time, however
/// many layers there are, and the newest is the one kept whole.
#[test]
fn a_db_rewritten_in_2000_layers_keeps_one_full_copy() {
    const LAYERS: usize = 2000;
    let tars: Vec<Vec<u8>> = (0..LAYERS)
        .map(|i| {
            let mut b = tar::Builder::new(Vec::new());
            append(
                &mut b,
                "var/lib/dpkg/status",
                format!("copy {i}").as_bytes(),
            );
            b.into_inner().expect("tar")
        })
        .collect();
    let tmp = tempfile::tempdir().expect("tmp");
    write_plain_layout(tmp.path(), &tars);
    let handler = Compacting {
        live: AtomicUsize::new(0),
        peak: AtomicUsize::new(0),
    };
    let start = Instant::now();
    let walked = Image::open(&ImageRef::parse_local(tmp.path()), &OpenOptions::default())
        .and_then(|img| img.walk(&handler, &WalkOptions::default(), &|_| {}))
        .expect("walk");
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
    // One full copy per layer being read at once, plus the newest read so far.
    let threads = rayon::current_num_threads();
    let peak = handler.peak.load(Ordering::SeqCst);
    assert!(
        peak <= threads + 1,
        "{peak} full copies at once ({threads} threads)"
    );
    assert_eq!(handler.live.load(Ordering::SeqCst), 1);
    for (layer, results) in walked.layer_results.iter().enumerate() {
        let expected = if layer == LAYERS - 1 {
            format!("copy {layer}")
        } else {
            format!("superseded copy {layer}")
        };
        assert_eq!(results[0].1, expected, "layer {layer}");
    }
    let current: Vec<&str> = walked.current().map(|(_, _, r)| r.as_str()).collect();
    assert_eq!(current, [format!("copy {}", LAYERS - 1)]);
}

/// Keeps a file's content only when there is some.
struct NonEmpty;

impl FileHandler for NonEmpty {
    type Output = String;
    fn wants(&self, _path: &str, _size: u64, _mode: u32) -> bool {
        true
    }
    fn handle(&self, _path: &str, content: &[u8], _mode: u32) -> String {
        String::from_utf8_lossy(content).into_owned()
    }
    fn keeps(&self, output: &String) -> bool {
        !output.is_empty()
    }
}

/// The million-empty-files case: results that say nothing are not kept (each cost a
/// path and a record: 658 MB for 1,000,000 files with every scanner), and a file whose
/// newest version says nothing offers no stale result from the same layer.
#[test]
fn results_that_say_nothing_are_not_kept() {
    let mut b = tar::Builder::new(Vec::new());
    append(&mut b, "var/lib/dpkg/status", b"first");
    for i in 0..10_000 {
        append(&mut b, &format!("usr/share/d/f{i}"), b"");
    }
    append(&mut b, "var/lib/dpkg/status", b"");
    append(&mut b, "etc/kept", b"kept");
    let tar = b.into_inner().expect("tar");
    let tmp = tempfile::tempdir().expect("tmp");
    let walked = walk_with(tmp.path(), &tar, &NonEmpty);
    let results: Vec<(&str, &str)> = walked.layer_results[0]
        .iter()
        .map(|(p, r)| (p.as_str(), r.as_str()))
        .collect();
    assert_eq!(results, [("etc/kept", "kept")]);
    // status, the 10,000 empty files and etc/kept; tar adds no entries for parents.
    assert_eq!(walked.view.len(), 10_002, "every file is still in the view");
}
