//! `--verify-key`: signatures made by an independent implementation of cosign's
//! simple-signing format (`testdata/registry/cosign_sign.py`, Python `cryptography`),
//! pushed with skopeo under cosign's `sha256-<hex>.sig` tag. A good one is recorded in
//! the report; a wrong key, a payload for another image, a tampered payload and a
//! missing signature each fail in one line with exit 2.

use crate::common::registry::{busybox, push, registry, root_digest, scan, tools};
use crate::common::repo_root;
use std::path::Path;
use std::process::Command;

/// Signs `digest` into `out` (reusing `out/cosign.key`); returns the key fingerprint
/// the signer printed.
fn sign(out: &Path, digest: &str, reference: &str, extra: &[&str]) -> String {
    let run = Command::new("python3")
        .arg(repo_root().join("testdata/registry/cosign_sign.py"))
        .arg(out)
        .args([digest, reference])
        .args(extra)
        .output()
        .expect("python3");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8_lossy(&run.stdout)
        .trim()
        .strip_prefix("FINGERPRINT ")
        .expect("fingerprint")
        .to_owned()
}

fn push_signature(out: &Path, repo: &str, digest: &str) {
    let tag = format!("sha256-{}.sig", &digest[7..]);
    push(
        &format!("oci:{}:sig", out.join("layout").display()),
        &format!("{repo}:{tag}"),
        &["--dest-tls-verify=false"],
    );
}

#[test]
fn cosign_signatures_verify_or_fail() {
    if !tools(
        "cosign_signatures_verify_or_fail",
        &["docker-registry", "skopeo", "python3-cryptography"],
    ) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let t = tmp.path();
    let reg = registry(t, "");
    let digest = root_digest(&busybox());
    let repo = |name: &str| format!("{}/drydock/{name}", reg.host());
    for name in ["good", "other-key", "other-image", "tampered", "unsigned"] {
        push(
            &format!("oci-archive:{}", busybox().display()),
            &format!("{}:1.0", repo(name)),
            &["--dest-tls-verify=false"],
        );
    }
    let key_a = t.join("a");
    let fingerprint = sign(&key_a.join("good"), &digest, &repo("good"), &[]);
    push_signature(&key_a.join("good"), &repo("good"), &digest);
    let other = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
    for (name, extra) in [
        ("other-image", vec!["--payload-digest", other]),
        ("tampered", vec!["--tamper"]),
    ] {
        let dir = key_a.join(name);
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::copy(key_a.join("good/cosign.key"), dir.join("cosign.key")).expect("key");
        sign(&dir, &digest, &repo(name), &extra);
        push_signature(&dir, &repo(name), &digest);
    }
    let key_b = t.join("b");
    sign(&key_b, &digest, &repo("other-key"), &[]);
    push_signature(&key_b, &repo("other-key"), &digest);

    let public = key_a.join("good/cosign.pub");
    let verify = [
        "--insecure",
        "--verify-key",
        public.to_str().expect("utf-8"),
    ];
    let good = scan(t, &format!("{}:1.0", repo("good")), &verify);
    assert_eq!(good.code, 0, "{}", good.stderr);
    let signature = &good.json()["artifact"]["signature"];
    assert_eq!(signature["verified"], true);
    assert_eq!(signature["scheme"], "cosign");
    assert_eq!(signature["key_fingerprint"], fingerprint.as_str());
    assert_eq!(signature["signed_digest"], digest.as_str());
    assert_eq!(signature["docker_reference"], repo("good").as_str());
    let table = crate::common::registry::drydock_env(
        t,
        &[],
        &[
            "image",
            &format!("{}:1.0", repo("good")),
            "--scanners",
            "none",
            verify[0],
            verify[1],
            verify[2],
        ],
    )
    .0;
    assert!(
        table.stdout.contains("signature: verified (cosign"),
        "{}",
        table.stdout
    );

    for (name, needle) in [
        ("other-key", "does not verify with key"),
        ("other-image", "signed for sha256:0000"),
        ("tampered", "does not verify with key"),
        ("unsigned", "no cosign signature"),
    ] {
        let reference = format!("{}:1.0", repo(name));
        scan(t, &reference, &verify).assert_clean_error(Path::new(&reference), needle);
    }
    // Without --verify-key nothing is checked and nothing is claimed.
    let unchecked = scan(t, &format!("{}:1.0", repo("unsigned")), &["--insecure"]);
    assert!(unchecked.json()["artifact"].get("signature").is_none());
    // A policy that requires a signature fails without a verified one (exit 1) and
    // passes with one.
    let policy = t.join("drydock.yaml");
    std::fs::write(&policy, "require_signature: true\n").expect("policy");
    let policy = policy.to_str().expect("utf-8");
    let gated = scan(
        t,
        &format!("{}:1.0", repo("unsigned")),
        &["--insecure", "--policy", policy],
    );
    assert_eq!(gated.code, 1, "{}", gated.stderr);
    assert!(
        gated
            .stderr
            .contains("require_signature: no verified signature"),
        "{}",
        gated.stderr
    );
    let mut with_key = verify.to_vec();
    with_key.extend_from_slice(&["--policy", policy]);
    let passed = scan(t, &format!("{}:1.0", repo("good")), &with_key);
    assert_eq!(passed.code, 0, "{}", passed.stderr);
    assert_eq!(passed.json()["verdict"]["pass"], true);
    // Local archives carry no registry signatures; a key that is no key is named.
    let local = busybox();
    scan(t, local.to_str().expect("utf-8"), &verify[1..])
        .assert_clean_error(&local, "needs an image in a registry");
    let not_key = key_a.join("good/cosign.key");
    let reference = format!("{}:1.0", repo("good"));
    let run = scan(
        t,
        &reference,
        &[
            "--insecure",
            "--verify-key",
            not_key.to_str().expect("utf-8"),
        ],
    );
    run.assert_clean_error(&not_key, "PUBLIC KEY");
}

/// A multi-platform image signed by its index digest verifies whichever platform is
/// scanned, and the report says the index was what was signed.
#[test]
fn an_index_signature_covers_its_platforms() {
    if !tools(
        "an_index_signature_covers_its_platforms",
        &["docker-registry", "skopeo", "python3-cryptography"],
    ) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let t = tmp.path();
    let reg = registry(t, "");
    let archive = repo_root().join("testdata/images/multiarch/multiarch.oci.tar");
    let repo = format!("{}/drydock/multiarch", reg.host());
    push(
        &format!("oci-archive:{}", archive.display()),
        &format!("{repo}:1.0"),
        &["--all", "--dest-tls-verify=false"],
    );
    let index = root_digest(&archive);
    sign(t, &index, &repo, &[]);
    push_signature(t, &repo, &index);
    let public = t.join("cosign.pub");
    let run = scan(
        t,
        &format!("{repo}:1.0"),
        &[
            "--insecure",
            "--platform",
            "linux/arm64",
            "--verify-key",
            public.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let artifact = &run.json()["artifact"];
    assert_eq!(artifact["signature"]["signed_digest"], index.as_str());
    assert_ne!(artifact["manifest_digest"], index.as_str());
}
