//! A registry that misbehaves on purpose (`testdata/registry/misbehave.py`, serving the
//! vendored busybox archive): each fault ends in one line naming the registry and
//! exit 2, within bounded time; the transient ones (429 with Retry-After, a connection
//! cut mid-layer) are retried and the scan then equals the archive's.

use crate::common::Run;
use crate::common::registry::{Server, busybox, contents, python, root_digest, scan, tools};
use std::path::Path;
use std::time::{Duration, Instant};

struct Faulty {
    server: Server,
    log: std::path::PathBuf,
    _tmp: tempfile::TempDir,
}

/// None (after a loud SKIP) without python3.
fn faulty(mode: &str) -> Option<Faulty> {
    if !tools(mode, &["python3"]) {
        return None;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let log = tmp.path().join("requests.log");
    let archive = busybox();
    let server = python(
        tmp.path(),
        "misbehave.py",
        &[
            archive.to_str().expect("utf-8"),
            mode,
            log.to_str().expect("utf-8"),
        ],
    );
    Some(Faulty {
        server,
        log,
        _tmp: tmp,
    })
}

impl Faulty {
    fn reference(&self) -> String {
        format!("{}/drydock/busybox:1.0", self.server.host())
    }

    fn scan(&self, reference: &str, extra: &[&str]) -> (Run, Duration) {
        let start = Instant::now();
        let run = scan(
            self._tmp.path(),
            reference,
            &[&["--insecure"], extra].concat(),
        );
        (run, start.elapsed())
    }

    /// Fails in one line naming the input and the registry, containing `needle`.
    fn fails(&self, reference: &str, needle: &str, extra: &[&str]) -> Duration {
        let (run, took) = self.scan(reference, extra);
        run.assert_clean_error(Path::new(reference), needle);
        let registry = format!("registry {}", self.server.host());
        assert!(run.stderr.contains(&registry), "{}", run.stderr);
        took
    }

    fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

fn local_busybox(isolated: &Path) -> serde_json::Value {
    contents(&scan(isolated, busybox().to_str().expect("utf-8"), &[]))
}

#[test]
fn a_stalled_registry_times_out() {
    let Some(f) = faulty("stall") else { return };
    let took = f.fails(&f.reference(), "timed out", &["--timeout", "1s"]);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn a_manifest_that_does_not_match_its_digest() {
    let Some(f) = faulty("digest-mismatch") else {
        return;
    };
    f.fails(&f.reference(), "digest mismatch", &[]);
    let by_digest = format!(
        "{}/drydock/busybox@{}",
        f.server.host(),
        root_digest(&busybox())
    );
    f.fails(&by_digest, "the name asks for", &[]);
}

#[test]
fn a_layer_longer_than_declared_is_refused_before_reading() {
    let Some(f) = faulty("long-layer") else {
        return;
    };
    f.fails(&f.reference(), "longer than the 1036110", &[]);
}

#[test]
fn a_layer_longer_than_declared_stops_the_stream() {
    let Some(f) = faulty("long-chunked") else {
        return;
    };
    f.fails(
        &f.reference(),
        "longer than the 1036110 bytes its manifest declares",
        &[],
    );
}

#[test]
fn a_redirect_loop_ends() {
    let Some(f) = faulty("redirect-loop") else {
        return;
    };
    let took = f.fails(&f.reference(), "redirect loop", &[]);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn a_50_gb_layer_is_refused_before_download() {
    let Some(f) = faulty("huge-layer") else {
        return;
    };
    f.fails(&f.reference(), "50000000000 bytes", &[]);
    let requests = f.requests();
    assert!(
        requests.iter().all(|r| !r.contains("/blobs/")),
        "no blob may be fetched: {requests:?}"
    );
}

#[test]
fn a_registry_down_for_good_gives_up_after_bounded_retries() {
    let Some(f) = faulty("unavailable") else {
        return;
    };
    let took = f.fails(&f.reference(), "HTTP 503", &[]);
    assert_eq!(f.requests().len(), 4, "one try and three retries");
    assert!(took < Duration::from_secs(15), "took {took:?}");
}

#[test]
fn retry_after_is_honoured() {
    let Some(f) = faulty("retry-after") else {
        return;
    };
    let (run, took) = f.scan(&f.reference(), &[]);
    assert_eq!(contents(&run), local_busybox(f._tmp.path()));
    let manifests = f
        .requests()
        .iter()
        .filter(|r| r.contains("/manifests/"))
        .count();
    assert_eq!(manifests, 3, "two 429s, then the manifest");
    assert!(
        took >= Duration::from_secs(2),
        "Retry-After: 1 twice, took {took:?}"
    );
}

#[test]
fn a_connection_cut_mid_layer_resumes_with_a_range_request() {
    let Some(f) = faulty("reset-once") else {
        return;
    };
    let (run, _) = f.scan(&f.reference(), &[]);
    assert_eq!(contents(&run), local_busybox(f._tmp.path()));
    let requests = f.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.contains("/blobs/") && r.contains("bytes=")),
        "expected a range request: {requests:?}"
    );
}
