use super::*;
use std::time::Duration;

fn put_bytes(cache: &LayerCache, key: &str, data: &[u8]) {
    cache.put(key, |w| w.write_all(data));
}

fn entry(cache: &LayerCache, key: &str) -> PathBuf {
    cache.dir().join(format!("{key}{ENTRY_SUFFIX}"))
}

fn aged(path: &Path, secs_ago: u64) {
    let f = File::options().write(true).open(path).expect("open");
    f.set_modified(SystemTime::now() - Duration::from_secs(secs_ago))
        .expect("set mtime");
}

#[test]
fn stores_and_reads_back_what_was_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = LayerCache::open(&dir.path().join("layers"), u64::MAX).expect("open");
    assert_eq!(cache.get("abc"), None);
    let data: Vec<u8> = (0..10_000u32)
        .flat_map(|i| format!("{{\"path\":\"usr/lib/file-{i}\",\"mode\":420}}").into_bytes())
        .collect();
    put_bytes(&cache, "abc", &data);
    assert_eq!(cache.get("abc").as_deref(), Some(&data[..]));
    let s = cache.stats();
    assert_eq!((s.hits, s.misses, s.stored, s.corrupt), (1, 1, 1, 0));
    // Compressed on disk: repetitive JSON shrinks severalfold.
    let on_disk = fs::metadata(entry(&cache, "abc")).expect("entry").len();
    assert!(
        on_disk * 4 < data.len() as u64,
        "{on_disk} of {} bytes",
        data.len()
    );
}

/// A named way to damage an entry's bytes.
type Damage = (&'static str, fn(&mut Vec<u8>));

#[test]
fn a_corrupt_entry_is_a_miss_and_is_deleted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = LayerCache::open(dir.path(), u64::MAX).expect("open");
    let data = b"some layer results ".repeat(1000);
    let damages: [Damage; 4] = [
        ("truncated", |b| b.truncate(b.len() / 2)),
        ("flipped", |b| {
            let i = b.len() - 10;
            b[i] ^= 0x40;
        }),
        ("empty", Vec::clear),
        ("foreign", |b| *b = b"{\"not\": \"an entry\"}".to_vec()),
    ];
    for (what, damage) in damages {
        put_bytes(&cache, "k", &data);
        let path = entry(&cache, "k");
        let mut raw = fs::read(&path).expect("read");
        damage(&mut raw);
        fs::write(&path, &raw).expect("write");
        assert_eq!(cache.get("k"), None, "{what}");
        assert!(!path.exists(), "{what}: corrupt entry left behind");
    }
    assert_eq!(cache.stats().corrupt, 4);
}

#[test]
fn discard_turns_a_hit_into_a_corrupt_miss() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = LayerCache::open(dir.path(), u64::MAX).expect("open");
    put_bytes(&cache, "k", b"unparseable");
    assert!(cache.get("k").is_some());
    cache.discard("k");
    assert!(!entry(&cache, "k").exists());
    let s = cache.stats();
    assert_eq!((s.hits, s.misses, s.corrupt), (0, 1, 1));
}

#[test]
fn evicts_least_recently_used_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = LayerCache::open(dir.path(), u64::MAX).expect("open");
    let payload = |i: u8| vec![i; 64];
    for (i, key) in ["a", "b", "c"].iter().enumerate() {
        put_bytes(&cache, key, &payload(i as u8));
    }
    let one = fs::metadata(entry(&cache, "a")).expect("a").len();
    // Written oldest to newest: a, b, c; then a is read, which makes it the newest.
    aged(&entry(&cache, "a"), 300);
    aged(&entry(&cache, "b"), 200);
    aged(&entry(&cache, "c"), 100);
    assert!(cache.get("a").is_some());
    // Room for three entries: writing a fourth evicts b, the least recently used.
    let bounded = LayerCache::open(dir.path(), 3 * one).expect("reopen");
    put_bytes(&bounded, "d", &payload(3));
    let left: Vec<bool> = ["a", "b", "c", "d"]
        .iter()
        .map(|k| entry(&cache, k).exists())
        .collect();
    assert_eq!(left, [true, false, true, true]);
    assert_eq!(bounded.status().expect("status").entries, 3);
}

#[test]
fn stale_temporary_files_are_removed_and_live_ones_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = LayerCache::open(dir.path(), u64::MAX).expect("open");
    let stale = dir.path().join(format!("{TEMP_PREFIX}dead"));
    let live = dir.path().join(format!("{TEMP_PREFIX}writing"));
    fs::write(&stale, b"half an entry").expect("write");
    fs::write(&live, b"being written").expect("write");
    aged(&stale, 3600);
    assert_eq!(cache.status().expect("status").stale_temp_files, 1);
    put_bytes(&cache, "k", b"x");
    assert!(!stale.exists());
    assert!(live.exists());
}

#[test]
fn keys_that_are_not_plain_names_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = LayerCache::open(&dir.path().join("c"), u64::MAX).expect("open");
    for key in ["../escape", "a/b", "", ".hidden", "last-scan.json"] {
        put_bytes(&cache, key, b"x");
        assert_eq!(cache.get(key), None, "{key}");
    }
    assert_eq!(cache.stats().write_errors.len(), 5);
    assert!(!dir.path().join("escape.entry").exists());
}

#[test]
fn concurrent_writers_and_readers_see_whole_entries_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let payloads: Vec<Vec<u8>> = (0..4u8).map(|i| vec![i; 300_000 + i as usize]).collect();
    std::thread::scope(|s| {
        for t in 0..8 {
            let (dir, payloads) = (dir.path(), &payloads);
            s.spawn(move || {
                // Each thread opens its own handle, as separate scans do.
                let cache = LayerCache::open(dir, u64::MAX).expect("open");
                for round in 0..20 {
                    let p = &payloads[(t + round) % payloads.len()];
                    if t % 2 == 0 {
                        put_bytes(&cache, "shared", p);
                    } else if let Some(got) = cache.get("shared") {
                        assert!(payloads.contains(&got), "torn read of {} bytes", got.len());
                    }
                }
                assert_eq!(cache.stats().corrupt, 0);
            });
        }
    });
    let cache = LayerCache::open(dir.path(), u64::MAX).expect("open");
    let got = cache.get("shared").expect("an entry survives");
    assert!(payloads.contains(&got));
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["shared.entry"], "temporary files left behind");
}

#[test]
fn clean_removes_entries_temporaries_and_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = LayerCache::open(dir.path(), u64::MAX).expect("open");
    put_bytes(&cache, "a", b"1");
    put_bytes(&cache, "b", b"22");
    assert!(cache.get("a").is_some());
    cache.record_scan().expect("record");
    let status = cache.status().expect("status");
    assert_eq!(status.entries, 2);
    assert_eq!(status.last_scan.map(|s| (s.hits, s.stored)), Some((1, 2)));
    fs::write(dir.path().join("unrelated.txt"), b"kept").expect("write");
    let cleaned = cache.clean().expect("clean");
    assert_eq!(cleaned.entries, 2);
    assert_eq!(cleaned.bytes, status.bytes);
    let status = cache.status().expect("status");
    assert_eq!((status.entries, status.bytes), (0, 0));
    assert_eq!(status.last_scan, None);
    assert!(dir.path().join("unrelated.txt").exists());
}

#[test]
fn storing_past_the_bound_evicts_as_it_goes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let probe = LayerCache::open(&dir.path().join("probe"), u64::MAX).expect("open");
    put_bytes(&probe, "p", &[7; 64]);
    let one = fs::metadata(entry(&probe, "p")).expect("p").len();
    // Room for three: the process's running total, not only its first look, must see
    // the fourth and fifth entries pass the bound.
    let cache = LayerCache::open(&dir.path().join("c"), 3 * one).expect("open");
    for (i, key) in ["a", "b", "c", "d", "e"].iter().enumerate() {
        put_bytes(&cache, key, &[7; 64]);
        aged(&entry(&cache, key), 100 - i as u64);
    }
    let left: Vec<bool> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|k| entry(&cache, k).exists())
        .collect();
    assert_eq!(left, [false, false, true, true, true]);
}
