//! Robustness: thousands of corrupted layers (random byte flips and truncations, with
//! digests recomputed so the parser itself sees the damage) must each end in `Ok` or a
//! clean `Err` naming the input — never a panic or a hang.

mod common;

use common::{ReadEverything, TestLayer, digest, gzip, write_layout};
use drydock_image::{Image, ImageRef, OpenOptions, WalkOptions};

/// A small but varied layer: files, dirs, symlinks, a hard link, a whiteout, long names.
fn layer() -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |path: &str, kind: tar::EntryType, data: &[u8], link: Option<&str>| {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        if let Some(l) = link {
            h.set_link_name(l).expect("link");
        }
        b.append_data(&mut h, path, data).expect("append");
    };
    add("etc/", tar::EntryType::Directory, b"", None);
    add(
        "etc/os-release",
        tar::EntryType::Regular,
        b"ID=debian\nVERSION_ID=12\n",
        None,
    );
    add(
        "var/lib/dpkg/status",
        tar::EntryType::Regular,
        b"Package: a\nStatus: install ok installed\nVersion: 1\n\n",
        None,
    );
    add("usr/bin/tool", tar::EntryType::Regular, &[0x7f; 3000], None);
    add(
        "usr/bin/alias",
        tar::EntryType::Link,
        b"",
        Some("usr/bin/tool"),
    );
    add(
        "usr/lib/os-release",
        tar::EntryType::Symlink,
        b"",
        Some("../../etc/os-release"),
    );
    add("opt/.wh.gone", tar::EntryType::Regular, b"", None);
    add(
        &format!("opt/{}/file", "d".repeat(150)),
        tar::EntryType::Regular,
        b"long name",
        None,
    );
    b.into_inner().expect("tar")
}

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn corrupted_layers_never_panic() {
    let tar = layer();
    let gz = gzip(&tar);
    let zst = zstd::encode_all(&tar[..], 3).expect("zstd");
    let variants: [(&[u8], &str); 3] = [
        (&tar, "application/vnd.oci.image.layer.v1.tar"),
        (&gz, "application/vnd.oci.image.layer.v1.tar+gzip"),
        (&zst, "application/vnd.oci.image.layer.v1.tar+zstd"),
    ];
    let tmp = tempfile::tempdir().expect("tmp");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut ok, mut err) = (0, 0);
    for round in 0..600 {
        let (base, media_type) = variants[round % variants.len()];
        let mut blob = base.to_vec();
        if rng.below(4) == 0 {
            let cut = rng.below(blob.len());
            blob.truncate(cut);
        } else {
            for _ in 0..=rng.below(8) {
                let at = rng.below(blob.len());
                blob[at] ^= 1 << rng.below(8);
            }
        }
        let dir = tmp.path().join(format!("r{round}"));
        // The blob digest is recomputed for the damaged bytes (OCI layers are verified by
        // it), so what is under test is the decoders' and the tar parser's handling.
        write_layout(
            &dir,
            &[TestLayer {
                blob: &blob,
                media_type,
                diff_id: digest(&tar),
            }],
        );
        let result =
            Image::open(&ImageRef::parse_local(&dir), &OpenOptions::default()).and_then(|img| {
                img.walk(&ReadEverything, &WalkOptions::default(), &|_| {})
                    .map(|w| w.view.len())
            });
        match result {
            Ok(_) => ok += 1,
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    msg.starts_with(&dir.display().to_string()),
                    "error must name the input: {msg}"
                );
                assert!(!msg.contains('\n'), "one line: {msg}");
                err += 1;
            }
        }
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
    eprintln!("600 corrupted layers: {ok} parsed, {err} rejected");
    assert!(err > 300, "most corruptions must be detected ({err})");
}
