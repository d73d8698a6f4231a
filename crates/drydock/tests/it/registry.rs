//! Scanning by reference from real registries on 127.0.0.1: each image pushed with
//! skopeo must give exactly the report of the archive it was pushed from (minus the
//! fields that say where it came from), over plain HTTP and TLS; names that do not
//! resolve fail in one line that names the registry.

use crate::common::Run;
use crate::common::registry::{
    busybox, contents, free_port, push, registry, root_digest, scan, tools,
};
use crate::common::repo_root;
use std::path::{Path, PathBuf};
use std::process::Command;

const INSECURE: &[&str] = &["--insecure"];

fn assert_error(run: &Run, names: &str, needles: &[&str]) {
    run.assert_clean_error(Path::new(names), needles[0]);
    for n in &needles[1..] {
        assert!(
            run.stderr.to_lowercase().contains(&n.to_lowercase()),
            "error lacks '{n}': {}",
            run.stderr
        );
    }
}

/// One image to push: the skopeo source, the archive drydock reads locally, and the
/// platforms to compare.
struct Case {
    name: &'static str,
    skopeo_src: String,
    local: PathBuf,
    platforms: Vec<Option<&'static str>>,
    /// OCI sources keep their manifest digest through the push.
    keeps_digest: bool,
}

#[test]
fn pulled_images_match_their_archives() {
    if !tools(
        "pulled_images_match_their_archives",
        &["docker-registry", "skopeo"],
    ) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let reg = registry(tmp.path(), "");
    let images = repo_root().join("testdata/images");
    let alpine_tar = crate::common::alpine_tar(tmp.path());
    let oci = |p: PathBuf| format!("oci-archive:{}", p.display());
    let docker = |p: &Path| format!("docker-archive:{}", p.display());
    let mut cases = vec![
        Case {
            name: "busybox",
            skopeo_src: oci(busybox()),
            local: busybox(),
            platforms: vec![None],
            keeps_digest: true,
        },
        Case {
            name: "multiarch",
            skopeo_src: oci(images.join("multiarch/multiarch.oci.tar")),
            local: images.join("multiarch/multiarch.oci.tar"),
            platforms: vec![None, Some("linux/arm64")],
            keeps_digest: true,
        },
        Case {
            name: "alpine-310",
            skopeo_src: docker(&alpine_tar),
            local: images.join("thirdparty/alpine-310.tar.gz"),
            platforms: vec![None],
            keeps_digest: false,
        },
        Case {
            name: "whiteout",
            skopeo_src: docker(&images.join("thirdparty/whiteout_image.tar")),
            local: images.join("thirdparty/whiteout_image.tar"),
            platforms: vec![None],
            keeps_digest: false,
        },
        Case {
            name: "hello-world-v25",
            skopeo_src: docker(&images.join("thirdparty/hello-world-v25.tar")),
            local: images.join("thirdparty/hello-world-v25.tar"),
            platforms: vec![None],
            keeps_digest: false,
        },
    ];
    if let Some(corpus) = std::env::var_os("DRYDOCK_CORPUS") {
        let layout = PathBuf::from(corpus).join("debian-app/oci");
        cases.push(Case {
            name: "debian-app",
            skopeo_src: format!("oci:{}", layout.display()),
            local: layout,
            platforms: vec![None],
            keeps_digest: true,
        });
    }
    for case in &cases {
        let reference = format!("{}/drydock/{}:1.0", reg.host(), case.name);
        push(
            &case.skopeo_src,
            &reference,
            &["--all", "--dest-tls-verify=false"],
        );
        for platform in &case.platforms {
            let mut extra = vec!["--scanners", "secret,misconfig"];
            if let Some(p) = platform {
                extra.extend(["--platform", p]);
            }
            let local = scan(tmp.path(), case.local.to_str().expect("utf-8"), &extra);
            extra.push("--insecure");
            let remote = scan(tmp.path(), &reference, &extra);
            let (mut remote_contents, mut local_contents) = (contents(&remote), contents(&local));
            if !case.keeps_digest {
                // A legacy docker-archive stores no blob sizes; its registry manifest does.
                for v in [&mut remote_contents, &mut local_contents] {
                    for layer in v["layers"].as_array_mut().expect("layers") {
                        layer.as_object_mut().expect("layer").remove("size");
                    }
                }
            }
            assert_eq!(
                remote_contents, local_contents,
                "{} {platform:?}: pulled and local reports differ",
                case.name
            );
            let artifact = &remote.json()["artifact"];
            assert_eq!(artifact["format"], "registry");
            assert_eq!(artifact["origin"]["registry"], reg.host().as_str());
            assert_eq!(
                artifact["origin"]["repository"],
                format!("drydock/{}", case.name).as_str()
            );
            if case.keeps_digest {
                assert_eq!(
                    artifact["manifest_digest"],
                    local.json()["artifact"]["manifest_digest"],
                    "{}",
                    case.name
                );
            }
        }
    }
    // By digest: the same image, and the digest is what was resolved.
    let digest = root_digest(&busybox());
    let by_digest = format!("{}/drydock/busybox@{digest}", reg.host());
    let run = scan(tmp.path(), &by_digest, INSECURE);
    assert_eq!(
        contents(&run),
        contents(&scan(tmp.path(), busybox().to_str().expect("utf-8"), &[]))
    );
    assert_eq!(
        run.json()["artifact"]["origin"]["resolved_digest"],
        digest.as_str()
    );
    // A multi-platform tag resolves to the index; the report names both.
    let multi = images.join("multiarch/multiarch.oci.tar");
    let run = scan(
        tmp.path(),
        &format!("{}/drydock/multiarch:1.0", reg.host()),
        &["--insecure", "--platform", "linux/arm64"],
    );
    let artifact = &run.json()["artifact"];
    assert_eq!(
        artifact["origin"]["resolved_digest"],
        root_digest(&multi).as_str()
    );
    assert_eq!(artifact["platform"], "linux/arm64/v8");
}

#[test]
fn names_that_do_not_resolve_fail_in_one_line() {
    if !tools(
        "names_that_do_not_resolve_fail_in_one_line",
        &["docker-registry", "skopeo"],
    ) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let reg = registry(tmp.path(), "");
    let host = reg.host();
    push(
        &format!("oci-archive:{}", busybox().display()),
        &format!("{host}/drydock/busybox:1.0"),
        &["--dest-tls-verify=false"],
    );
    let repo = format!("{host}/drydock/nothing:1.0");
    assert_error(
        &scan(tmp.path(), &repo, INSECURE),
        &repo,
        &[
            "not found",
            "404",
            &format!("registry {host}"),
            "path: no such file",
        ],
    );
    let tag = format!("{host}/drydock/busybox:nope");
    assert_error(
        &scan(tmp.path(), &tag, INSECURE),
        &tag,
        &["MANIFEST_UNKNOWN", "drydock/busybox:nope", "404"],
    );
    // Plain HTTP is only spoken when asked for.
    let ok = format!("{host}/drydock/busybox:1.0");
    assert_error(&scan(tmp.path(), &ok, &[]), &ok, &["--insecure"]);
    // Only the engine source: nothing tried the registry.
    assert_error(
        &scan(tmp.path(), &ok, &["--insecure", "--image-src", "engine"]),
        &ok,
        &["no-engine.sock): no such socket"],
    );
    assert!(
        !scan(tmp.path(), &ok, &["--insecure", "--image-src", "engine"])
            .stderr
            .contains("registry"),
        "the registry was tried"
    );
    // Nothing listens: refused at once, not retried.
    let down = format!("127.0.0.1:{}/drydock/busybox:1.0", free_port());
    let start = std::time::Instant::now();
    assert_error(&scan(tmp.path(), &down, INSECURE), &down, &["refused"]);
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    // A name that is neither a file nor a valid reference keeps the plain file error.
    let bad = tmp.path().join("Not A Name.tar");
    scan(tmp.path(), bad.to_str().expect("utf-8"), &[]).assert_clean_error(&bad, "cannot open");
}

/// A CA made for the test (as `../shared/images/registry.sh` does), a registry serving
/// TLS with a certificate it signed.
#[test]
fn tls_registry_needs_its_ca() {
    if !tools(
        "tls_registry_needs_its_ca",
        &["docker-registry", "skopeo", "openssl"],
    ) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let t = tmp.path();
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(t)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=drydock test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        t.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("ext");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "server.pem",
    ]);
    let certs = t.join("certs.d");
    std::fs::create_dir_all(&certs).expect("certs.d");
    std::fs::copy(t.join("ca.pem"), certs.join("ca.crt")).expect("ca.crt");
    let reg = registry(
        t,
        &format!(
            "  tls:\n    certificate: {}\n    key: {}\n",
            t.join("server.pem").display(),
            t.join("server.key").display()
        ),
    );
    let reference = format!("{}/drydock/busybox:1.0", reg.host());
    push(
        &format!("oci-archive:{}", busybox().display()),
        &reference,
        &["--dest-cert-dir", certs.to_str().expect("utf-8")],
    );
    let ca = t.join("ca.pem");
    let run = scan(t, &reference, &["--ca-cert", ca.to_str().expect("utf-8")]);
    assert_eq!(
        contents(&run),
        contents(&scan(t, busybox().to_str().expect("utf-8"), &[]))
    );
    assert_error(
        &scan(t, &reference, &[]),
        &reference,
        &["certificate", "--ca-cert"],
    );
    // --insecure means plain HTTP, which a TLS registry refuses; it never skips verification.
    assert_error(&scan(t, &reference, INSECURE), &reference, &["HTTP 400"]);
    let not_pem = t.join("ext.cnf");
    assert_error(
        &scan(
            t,
            &reference,
            &["--ca-cert", not_pem.to_str().expect("utf-8")],
        ),
        &reference,
        &["no PEM certificate"],
    );
}
