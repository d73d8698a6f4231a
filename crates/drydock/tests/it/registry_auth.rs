//! Authenticated pulls against real registries: htpasswd basic auth and distribution's
//! token auth (a token server issuing JWTs signed with a key made for the test), with
//! credentials from flags, the environment, docker's config.json and credential
//! helpers. Rejections are one line naming the registry; no credential is ever printed.

use crate::common::registry::{
    busybox, contents, drydock_env, push, python, registry, scan, tools,
};
use base64::Engine as _;
use std::path::Path;
use std::process::Command;

const USER: &str = "corpus";
const PASS: &str = "corpus-pass-7f3a";

fn image(isolated: &Path, reference: &str, extra: &[&str]) -> crate::common::Run {
    scan(isolated, reference, &[&["--insecure"], extra].concat())
}

/// Writes an executable `docker-credential-<name>` into `bin` that records the server
/// it was asked about and answers with `reply` (exit status `code`).
fn helper(bin: &Path, name: &str, reply: &str, code: i32) {
    let script = format!(
        "#!/bin/sh\n[ \"$1\" = get ] || exit 3\nread server\necho \"$server\" > \"{}/{name}.asked\"\necho '{reply}'\nexit {code}\n",
        bin.display()
    );
    let path = bin.join(format!("docker-credential-{name}"));
    std::fs::write(&path, script).expect("helper");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn basic_auth_credentials_from_every_source() {
    if !tools(
        "basic_auth_credentials_from_every_source",
        &["docker-registry", "skopeo", "htpasswd"],
    ) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let t = tmp.path();
    let htpasswd = t.join("htpasswd");
    let made = Command::new("htpasswd")
        .args(["-bBc", htpasswd.to_str().expect("utf-8"), USER, PASS])
        .output()
        .expect("htpasswd");
    assert!(made.status.success());
    let reg = registry(
        t,
        &format!(
            "auth:\n  htpasswd:\n    realm: drydock-test\n    path: {}\n",
            htpasswd.display()
        ),
    );
    let host = reg.host();
    let reference = format!("{host}/drydock/busybox:1.0");
    push(
        &format!("oci-archive:{}", busybox().display()),
        &reference,
        &[
            "--dest-tls-verify=false",
            "--dest-creds",
            &format!("{USER}:{PASS}"),
        ],
    );
    let expected = contents(&scan(t, busybox().to_str().expect("utf-8"), &[]));

    let flags = image(t, &reference, &["--username", USER, "--password", PASS]);
    assert_eq!(contents(&flags), expected);
    let env = [("DRYDOCK_USERNAME", USER), ("DRYDOCK_PASSWORD", PASS)];
    let args = [
        "image",
        &reference,
        "--insecure",
        "--format",
        "json",
        "--scanners",
        "none",
    ];
    assert_eq!(contents(&drydock_env(t, &env, &args).0), expected);

    // docker login's config: base64 user:password under the registry's host.
    let config_dir = t.join("docker");
    std::fs::create_dir_all(&config_dir).expect("dir");
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASS}"));
    std::fs::write(
        config_dir.join("config.json"),
        format!(r#"{{"auths":{{"http://{host}/v2/":{{"auth":"{auth}"}}}}}}"#),
    )
    .expect("config");
    assert_eq!(
        contents(&scan(&config_dir, &reference, &["--insecure"])),
        expected
    );

    // A per-registry credential helper, found on PATH.
    let bin = t.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    helper(
        &bin,
        "drytest",
        &format!(r#"{{"ServerURL":"{host}","Username":"{USER}","Secret":"{PASS}"}}"#),
        0,
    );
    helper(&bin, "empty", "credentials not found in native keychain", 1);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let helpers = t.join("helpers");
    std::fs::create_dir_all(&helpers).expect("dir");
    std::fs::write(
        helpers.join("config.json"),
        format!(r#"{{"credsStore":"empty","credHelpers":{{"{host}":"drytest"}}}}"#),
    )
    .expect("config");
    let (run, _) = drydock_env(&helpers, &[("PATH", &path)], &args);
    assert_eq!(contents(&run), expected);
    let asked = std::fs::read_to_string(bin.join("drytest.asked")).expect("helper ran");
    assert_eq!(asked.trim(), host);
    // The store helper knows nothing: anonymous, so the registry's 401 stands.
    std::fs::write(helpers.join("config.json"), r#"{"credsStore":"empty"}"#).expect("config");
    let (run, _) = drydock_env(&helpers, &[("PATH", &path)], &args);
    run.assert_clean_error(Path::new(&reference), "authentication required");
    assert!(
        run.stderr.contains(&format!("registry {host}")),
        "{}",
        run.stderr
    );

    // No credentials at all, then wrong ones (also with --debug): named, never printed.
    image(t, &reference, &[]).assert_clean_error(Path::new(&reference), "authentication required");
    let wrong = "not-the-password-91c2";
    let run = image(t, &reference, &["--username", USER, "--password", wrong]);
    run.assert_clean_error(Path::new(&reference), "401");
    assert!(
        run.stderr.contains(&format!("registry {host}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("rejected"), "{}", run.stderr);
    let debug = image(
        t,
        &reference,
        &["--username", USER, "--password", wrong, "--debug"],
    );
    assert_eq!(debug.code, 2);
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{wrong}"));
    for output in [&run.stderr, &run.stdout, &debug.stderr, &debug.stdout] {
        assert!(
            !output.contains(wrong) && !output.contains(&encoded),
            "credential printed: {output}"
        );
    }
    assert!(
        debug.stderr.contains("drydock: debug: GET"),
        "{}",
        debug.stderr
    );
}

#[test]
fn token_auth_with_a_token_server() {
    if !tools(
        "token_auth_with_a_token_server",
        &["docker-registry", "skopeo", "python3-cryptography"],
    ) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let t = tmp.path();
    let cert = t.join("token-signer.pem");
    let (issuer, service) = ("drydock-test-issuer", "drydock-test-registry");
    let tokens = python(
        t,
        "token_server.py",
        &[cert.to_str().expect("utf-8"), USER, PASS, issuer, service],
    );
    let reg = registry(
        t,
        &format!(
            "auth:\n  token:\n    realm: http://{}/token\n    service: {service}\n    issuer: {issuer}\n    rootcertbundle: {}\n",
            tokens.host(),
            cert.display()
        ),
    );
    let reference = format!("{}/drydock/busybox:1.0", reg.host());
    push(
        &format!("oci-archive:{}", busybox().display()),
        &reference,
        &[
            "--dest-tls-verify=false",
            "--dest-creds",
            &format!("{USER}:{PASS}"),
        ],
    );
    let pulled = image(t, &reference, &["--username", USER, "--password", PASS]);
    assert_eq!(
        contents(&pulled),
        contents(&scan(t, busybox().to_str().expect("utf-8"), &[]))
    );

    let anonymous = image(t, &reference, &[]);
    anonymous.assert_clean_error(Path::new(&reference), "requires credentials");
    assert!(
        anonymous
            .stderr
            .contains(&format!("token server http://{}/token", tokens.host()))
    );
    let wrong = image(
        t,
        &reference,
        &["--username", USER, "--password", "nope-nope"],
    );
    wrong.assert_clean_error(
        Path::new(&reference),
        "rejected the credentials from --username/--password",
    );
    assert!(!wrong.stderr.contains("nope-nope"));
}
