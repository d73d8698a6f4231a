//! Scanner behaviour: configuration merging, file selection, binary and
//! minified content, debug output.

use drydock_detect::{Confidence, SecretConfig, SecretScanner, SkipReason};

const GHP: &str = "ghp_Zq3b7XyT1mN8pL4wK2vR9sD6fG0hJ5cB1aE7";

#[test]
fn user_rules_are_added_and_builtins_can_be_disabled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("rules.toml");
    std::fs::write(
        &path,
        r#"
disable = ["github-pat"]
skip_paths = ['^opt/legacy/']

[[rules]]
id = "acme-token"
title = "ACME internal token"
severity = "HIGH"
keywords = ["acme_"]
regex = '''\b(?P<secret>acme_[a-z0-9]{24})\b'''
"#,
    )
    .expect("write");
    let cfg = SecretConfig::from_toml_file(&path).expect("load");
    let scanner = SecretScanner::new(&cfg).expect("compile");
    let text = format!("A=acme_k2j4h5g6f7d8s9a0q1w2e3r4\nB={GHP}\n");
    let found: Vec<_> = scanner
        .scan("etc/x.env", text.as_bytes())
        .into_iter()
        .map(|f| (f.rule_id, f.line))
        .collect();
    assert_eq!(found, vec![("acme-token".to_string(), 1)]);
    assert!(!scanner.wants("/opt/legacy/a.conf", 10));
    // The built-in scanner still reports the GitHub token.
    let builtin = SecretScanner::builtin().expect("builtin");
    assert_eq!(builtin.scan("etc/x.env", text.as_bytes()).len(), 1);
}

#[test]
fn bad_user_rules_are_errors() {
    let mut cfg = SecretConfig::builtin();
    cfg.merge_toml(
        "[[rules]]\nid='x'\ntitle='x'\nseverity='HIGH'\nkeywords=['x']\nregex='(unclosed'\n",
    )
    .expect("toml parses");
    let err = SecretScanner::new(&cfg).expect_err("regex must fail");
    assert!(err.to_string().contains("rule x"), "{err}");
    assert!(
        SecretConfig::builtin()
            .merge_toml("[[rules]]\nid = 1\n")
            .is_err()
    );
    assert!(
        SecretConfig::builtin()
            .merge_toml("unknown_key = true\n")
            .is_err()
    );
}

#[test]
fn wants_skips_vendor_trees_binaries_and_large_files() {
    let s = SecretScanner::builtin().expect("builtin");
    for p in [
        "/app/node_modules/lodash/index.js",
        "go/src/x/vendor/y/z.go",
        "usr/lib/python3/dist-packages/requests/tests/test_auth.py",
        "/usr/local/lib/python3.11/site-packages/botocore/tests/unit/a.json",
        "/usr/share/doc/curl/README",
        "/usr/lib/google-cloud-sdk/lib/third_party/x/tests/data/key.pem",
        "/app/logo.PNG",
        "/app/lib.so",
    ] {
        assert!(!s.wants(p, 100), "{p}");
    }
    for p in [
        "/app/config/settings.ini",
        "/root/.aws/credentials",
        "/etc/nginx/.htpasswd",
        "/app/.env",
    ] {
        assert!(s.wants(p, 100), "{p}");
    }
    assert!(!s.wants("/app/.env", 11 << 20));
}

#[test]
fn binary_content_is_not_scanned() {
    let s = SecretScanner::builtin().expect("builtin");
    let mut data = b"\x7fELF\x02\x01\x01\x00".to_vec();
    data.extend_from_slice(format!("token={GHP}").as_bytes());
    let report = s.scan_debug("/usr/bin/tool", &data);
    assert!(report.binary);
    assert!(report.findings.is_empty());
    // The same bytes without the NUL are text and are scanned.
    data.retain(|&b| b != 0);
    assert_eq!(s.scan("/usr/bin/tool", &data).len(), 1);
}

#[test]
fn minified_line_is_scanned_with_capped_context() {
    let s = SecretScanner::builtin().expect("builtin");
    let filler = "var a=function(b){return b+1};".repeat(40_000);
    let text = format!("{filler}var k=\"{GHP}\";{filler}\n");
    let found = s.scan("/app/static/bundle.min.js", text.as_bytes());
    assert_eq!(found.len(), 1);
    let f = &found[0];
    assert_eq!(f.rule_id, "github-pat");
    assert_eq!(f.line, 1);
    assert_eq!(f.column, Some(filler.len() + 8));
    assert_eq!(f.match_len, GHP.len());
    assert_eq!(f.masked, format!("ghp_{}", "*".repeat(36)));
    let ctx = f.context.as_deref().unwrap_or_default();
    assert!(ctx.len() < 200, "{}", ctx.len());
    assert!(!ctx.contains(&GHP[4..]));
}

#[test]
fn debug_report_explains_skips() {
    let s = SecretScanner::builtin().expect("builtin");
    let text = b"aws_access_key_id = AKIAIOSFODNN7EXAMPLE\nsecret_key = ab12ab12ab12ab12\ndb_password = Zq81!mmXpLw0Rt7u\n";
    let r = s.scan_debug("/app/app.ini", text);
    let reasons: Vec<_> = r
        .skipped
        .iter()
        .map(|c| (c.rule_id.as_str(), c.line, &c.reason))
        .collect();
    assert!(
        matches!(
            reasons.as_slice(),
            [
                ("aws-access-key-id", 1, SkipReason::Placeholder { .. }),
                ("generic-secret", 2, SkipReason::LowEntropy { .. }),
            ]
        ),
        "{reasons:#?}"
    );
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].line, 3);

    let r = s.scan_debug(
        "/src/pkg/testdata/fixture.env",
        format!("T={GHP}\n").as_bytes(),
    );
    assert!(r.findings.is_empty());
    assert!(matches!(r.skipped.as_slice(), [c] if c.reason == SkipReason::AllowlistedPath));
}

#[test]
fn fallback_rule_yields_to_specific_rule() {
    let s = SecretScanner::builtin().expect("builtin");
    let r = s.scan_debug("/app/.env", format!("GITHUB_API_KEY={GHP}\n").as_bytes());
    let ids: Vec<_> = r.findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(ids, vec!["github-pat"]);
    assert!(r.skipped.iter().any(|c| c.rule_id == "generic-secret"
        && c.reason
            == SkipReason::CoveredBySpecificRule {
                by: "github-pat".into()
            }));
}

/// Values that point at a secret (variables, templates, paths) or are code
/// are not secrets. The first line is verbatim from Debian's
/// `/etc/ssl/openssl.cnf`, where the generic rule used to report it.
#[test]
fn generic_rule_ignores_references_paths_and_code() {
    let scanner = SecretScanner::builtin().expect("builtin");
    let openssl = "private_key\t= $dir/private/cakey.pem# The private key\n";
    let r = scanner.scan_debug("etc/ssl/openssl.cnf", openssl.as_bytes());
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert!(
        r.skipped.iter().any(|c| c.rule_id == "generic-secret"
            && c.line == 1
            && c.reason
                == SkipReason::Placeholder {
                    why: "variable reference".into()
                }),
        "{:#?}",
        r.skipped
    );
    for line in [
        "db_password = ${DB_PASSWORD}/suffix",
        "client_secret = $SECRET_DIR/client.json",
        "password = %(db_password)s",
        "password: \"{{ vault_db_password }}\"",
        "password: <%= ENV['DB_PASSWORD'] %>",
        "private_key = keys/server-2024.pem",
        "tls_private_key: conf/Server2.Key.pem",
        "SECRETS_ANNOTATION = 'run.googleapis.com/secrets'",
        "credentials._private_key_pkcs8_pem = private_key_pkcs8_pem",
        "credentials: google.auth.credentials.Credentials.",
        "access_token = 'InvalidToken:%s:%s' % (token, now)",
        "DOCKER_CREDENTIAL_FILE_FLAG = '--docker-credential-file'",
        "#jdk.security.krb5.default.initiate.credential=always-impersonate",
        "LoadCredential=passwd.plaintext-password.root",
        "'secret_ref': 'V1LocalObjectReference',",
        "'oauth2-client-secret=OAUTH2-CLIENT-SECRET]'),",
        "\"secret_arn\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC123\"",
    ] {
        let found = scanner.scan("etc/app/app.conf", format!("{line}\n").as_bytes());
        assert!(found.is_empty(), "{line}: {found:#?}");
    }
    // Real values next to the same keys are still reported.
    for line in [
        "private_key = Zq8vN2mXkP4wL7rT9sB1",
        "db_password: \"x9Kq2mVp7Lw#Rt5\"",
        "client_secret = $Kx9!mQ2vR7pL",
    ] {
        let found = scanner.scan("etc/app/app.conf", format!("{line}\n").as_bytes());
        assert_eq!(found.len(), 1, "{line}: {found:#?}");
    }
}

/// GitHub's CRC32 suffix decides between `high` and `medium`; the published
/// example token of the format write-up verifies, `GHP` (made up) does not.
#[test]
fn findings_carry_confidence_and_reason() {
    let s = SecretScanner::builtin().expect("builtin");
    let text =
        format!("A=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\nB={GHP}\nC=creds4Zq81mmXpLw0Rt7u\n");
    let f = s.scan("/app/.env", text.as_bytes());
    let got: Vec<_> = f
        .iter()
        .map(|f| (f.line, f.rule_id.as_str(), f.confidence))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "github-pat", Confidence::High),
            (2, "github-pat", Confidence::Medium),
        ]
    );
    assert!(f[0].reason.contains("checksum verifies"), "{}", f[0].reason);
    assert!(f[1].reason.contains("does not verify"), "{}", f[1].reason);
    let json = serde_json::to_value(&f[0]).expect("json");
    assert_eq!(json["confidence"], "high");
    assert!(json["reason"].is_string());

    let generic = s.scan("/app/.env", b"DB_PASSWORD=Zq81!mmXpLw0Rt7u\n");
    assert_eq!(generic[0].confidence, Confidence::Low);
    assert!(
        generic[0]
            .reason
            .starts_with("`DB_PASSWORD` names a secret")
    );
}

#[test]
fn min_confidence_is_configurable_and_parsed() {
    let mut cfg = SecretConfig::builtin();
    cfg.merge_toml("min_confidence = \"medium\"\n")
        .expect("toml");
    let s = SecretScanner::new(&cfg).expect("compile");
    assert_eq!(s.min_confidence(), Confidence::Medium);
    let r = s.scan_debug("/app/.env", b"DB_PASSWORD=Zq81!mmXpLw0Rt7u\n");
    assert!(r.findings.is_empty());
    assert!(matches!(
        r.skipped.as_slice(),
        [c] if c.reason == SkipReason::BelowMinConfidence { confidence: Confidence::Low, min: Confidence::Medium }
    ));
    assert_eq!("HIGH".parse::<Confidence>(), Ok(Confidence::High));
    let err = "sure".parse::<Confidence>().expect_err("invalid");
    assert!(err.contains("`sure`"), "{err}");
}

#[test]
fn credential_files_are_wanted_and_public_keys_are_not_reported() {
    let s = SecretScanner::builtin().expect("builtin");
    for p in [
        "/root/.netrc",
        "/root/.git-credentials",
        "/root/.docker/config.json",
        "/root/.nuget/NuGet/NuGet.Config",
        "/etc/pip.conf",
        "/root/.m2/settings.xml",
        "/var/lib/postgresql/.pgpass",
    ] {
        assert!(s.wants(p, 100), "{p}");
    }
    // Firebase web config keys are public by design.
    let firebase = b"const firebaseConfig = {\n  apiKey: \"AIzaSyD4x8Kp2Qm7Vn9Lw3Rt5Yb1Hc6Jf0Gd8Ze\",\n  authDomain: \"shop-1234.firebaseapp.com\",\n};\n";
    let r = s.scan_debug("/app/static/js/firebase.js", firebase);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert!(
        r.skipped
            .iter()
            .any(|c| c.reason == SkipReason::PublicByDesign)
    );
}

/// Python doctests illustrate APIs with made-up credentials (werkzeug's
/// `uri_to_iri` example, as shipped in the debian-app image's venv).
#[test]
fn doctest_examples_are_not_reported() {
    let s = SecretScanner::builtin().expect("builtin");
    let text = b"    >>> uri_to_iri(b'http://%C3%BCser:p%C3%A4ssword@xn--n3h.net/p%C3%A5th')\n    'http://%C3%BCser:p%C3%A4ssword@xn--n3h.net/p%C3%A5th'\n";
    let r = s.scan_debug(
        "/app/venv/lib/python3.11/site-packages/werkzeug/urls.py",
        text,
    );
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!(r.skipped.len(), 2, "{:#?}", r.skipped);
    // The same URL outside a doctest is a credential.
    let r = s.scan(
        "/app/.env",
        b"URL=http://deploy:Xk82!mqz9@git.corp.internal/x\n",
    );
    assert_eq!(r.len(), 1);
}
