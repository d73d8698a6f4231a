//! Corpus generator shared by `tests/corpus.rs` and `examples/write_corpus.rs`:
//! for every built-in rule, random format-valid secrets in realistic files
//! (positives) and look-alikes and placeholders (decoys). Ground truth is what
//! the generator planted, never what a scanner printed.

/// splitmix64: tiny, deterministic, good enough for test data.
struct Rng(std::cell::Cell<u64>);

impl Rng {
    fn next(&self) -> u64 {
        let mut z = self.0.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        self.0.set(z);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a, T>(&self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn s(&self, charset: &[u8], n: usize) -> String {
        (0..n).map(|_| char::from(*self.pick(charset))).collect()
    }
}

const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &[u8] = b"0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const PW: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#^&*_+-";

fn b64(data: &[u8], url: bool) -> String {
    let table = if url { B64URL } else { B64 };
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(table[((n >> (18 - 6 * i)) & 63) as usize]));
        }
        if !url {
            out.extend(std::iter::repeat_n('=', 3 - chunk.len()));
        }
    }
    out
}

/// Seed used by CI and by `write_corpus`, so the corpus on disk is the one tested.
pub const DEFAULT_SEED: u64 = 0x0D0C_D0C5_2024;

/// A generated file and the (rule id, 1-based line) findings it must produce.
pub struct Sample {
    /// Relative path that selects the file style (`.env`, `.netrc`, ...).
    pub path: String,
    pub text: String,
    /// Empty for decoys.
    pub expect: Vec<(&'static str, usize)>,
    /// Line holding the planted value when the generator knows it (values
    /// embedded by [`inline`]); whole-file decoys have none.
    pub planted: Option<usize>,
}

const FILLER: &[&str] = &[
    "# service configuration",
    "debug = false",
    "port: 8080",
    "LOG_LEVEL=info",
    "timeout_ms = 3000",
    "region = eu-west-1",
    "feature_flags: [search, export]",
    "endpoint = \"https://api.internal.test/v2\"",
];

/// Embeds `value` as variable `var` in a random file style; returns the
/// sample with `expect` applied to the value's line.
fn inline(rng: &Rng, var: &str, value: &str, expect: &[&'static str]) -> Sample {
    let lower = var.to_ascii_lowercase();
    let (path, line) = match rng.below(6) {
        0 => ("srv/app/.env", format!("{var}={value}")),
        1 => (
            "usr/local/bin/docker-entrypoint.sh",
            format!("export {var}=\"{value}\""),
        ),
        2 => ("app/config.json", format!("  \"{lower}\": \"{value}\",")),
        3 => ("etc/app/settings.yaml", format!("  {lower}: {value}")),
        4 => ("etc/app/app.ini", format!("{lower} = {value}")),
        _ => ("app/settings.py", format!("{var} = '{value}'")),
    };
    let mut lines: Vec<String> = Vec::new();
    if path.ends_with(".json") {
        lines.push("{".into());
    }
    for _ in 0..rng.range(0, 4) {
        lines.push(rng.pick(FILLER).to_string());
    }
    lines.push(line);
    let at = lines.len();
    for _ in 0..rng.range(0, 3) {
        lines.push(rng.pick(FILLER).to_string());
    }
    if path.ends_with(".json") {
        lines.push("  \"done\": true\n}".into());
    }
    Sample {
        path: path.to_string(),
        text: lines.join("\n") + "\n",
        expect: expect.iter().map(|r| (*r, at)).collect(),
        planted: Some(at),
    }
}

/// A whole file with the secret on `line`.
fn file(path: &str, text: String, expect: &[(&'static str, usize)]) -> Sample {
    Sample {
        path: path.to_string(),
        text,
        expect: expect.to_vec(),
        planted: expect.first().map(|e| e.1),
    }
}

/// Variable names that trigger no rule by themselves (for decoys).
const NEUTRAL: &[&str] = &[
    "BUILD_REF",
    "checksum",
    "commit_message",
    "SETTING_VALUE",
    "item",
];

fn decoy(rng: &Rng, value: &str) -> Sample {
    let var = *rng.pick(NEUTRAL);
    inline(rng, var, value, &[])
}

/// Look-alikes for a `prefix + body` format: too short, wrong prefix,
/// `xxxx` placeholder, repeated character, sequential.
fn format_decoys(rng: &Rng, prefix: &str, charset: &[u8], len: usize) -> Vec<Sample> {
    let mut wrong = prefix.to_string();
    let first = if prefix.starts_with(['x', 'X']) {
        "q"
    } else {
        "x"
    };
    wrong.replace_range(0..1, first);
    let seq: String = "1234567890abcdefghijklmnopqrstuvwxyz"
        .chars()
        .cycle()
        .take(len)
        .collect();
    let rep = char::from(charset[0]);
    let values = [
        format!("{prefix}{}", rng.s(charset, len.saturating_sub(3))),
        format!("{wrong}{}", rng.s(charset, len)),
        format!("{prefix}{}", "x".repeat(len)),
        format!("{prefix}{}", rep.to_string().repeat(len)),
        format!("{prefix}{seq}"),
    ];
    values.iter().map(|v| decoy(rng, v)).collect()
}

fn uuid(rng: &Rng) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        rng.s(HEX, 8),
        rng.s(HEX, 4),
        rng.s(HEX, 4),
        rng.s(HEX, 4),
        rng.s(HEX, 12)
    )
}

fn pem_body(rng: &Rng, lines: usize) -> Vec<String> {
    (0..lines).map(|_| rng.s(B64, 64)).collect()
}

fn jwt(rng: &Rng) -> String {
    let alg = rng.pick(&["HS256", "RS256", "ES384"]);
    let header = format!("{{\"alg\":\"{alg}\",\"typ\":\"JWT\"}}");
    let payload = format!(
        "{{\"sub\":\"{}\",\"iat\":{},\"role\":\"{}\"}}",
        rng.s(ALNUM, 12),
        1_600_000_000 + rng.below(100_000_000),
        rng.pick(&["admin", "reader", "svc"])
    );
    let sig = rng.s(B64URL, if *alg == "HS256" { 43 } else { 86 });
    format!(
        "{}.{}.{sig}",
        b64(header.as_bytes(), true),
        b64(payload.as_bytes(), true)
    )
}

type Gen = fn(&Rng) -> Sample;
type Decoys = fn(&Rng) -> Vec<Sample>;

/// One entry per built-in rule: how to make a positive, how to make decoys.
fn specs() -> Vec<(&'static str, Gen, Decoys)> {
    vec![
        (
            "aws-access-key-id",
            |r| {
                let t = format!("{}{}", r.pick(&["AKIA", "ASIA"]), r.s(BASE32, 16));
                let var = *r.pick(&["AWS_ACCESS_KEY_ID", "aws_access_key_id", "accessKeyId"]);
                inline(r, var, &t, &["aws-access-key-id"])
            },
            |r| {
                let mut v = vec![
                    decoy(r, "AKIAIOSFODNN7EXAMPLE"),
                    decoy(r, &format!("AKIA{}", r.s(BASE32, 15))),
                ];
                v.push(decoy(r, "AKIAXXXXXXXXXXXXXXXX"));
                v.push(decoy(
                    r,
                    &format!("AKIA{}", r.s(b"abcdefghijklmnopqrstuvwxyz", 16)),
                ));
                v
            },
        ),
        (
            "aws-secret-access-key",
            |r| {
                let id = format!("AKIA{}", r.s(BASE32, 16));
                let sk = r.s(&B64[..64], 40);
                if r.below(2) == 0 {
                    file(
                        "root/.aws/credentials",
                        format!(
                            "[default]\naws_access_key_id = {id}\naws_secret_access_key = {sk}\nregion = us-east-2\n"
                        ),
                        &[("aws-access-key-id", 2), ("aws-secret-access-key", 3)],
                    )
                } else {
                    let var = *r.pick(&[
                        "AWS_SECRET_ACCESS_KEY",
                        "aws_secret_access_key",
                        "awsSecretKey",
                    ]);
                    inline(r, var, &sk, &["aws-secret-access-key"])
                }
            },
            |r| {
                [
                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    "${AWS_SECRET_ACCESS_KEY}",
                    "<your-secret-access-key>",
                    &"x".repeat(40),
                    &"a".repeat(40),
                ]
                .iter()
                .map(|v| inline(r, "AWS_SECRET_ACCESS_KEY", v, &[]))
                .collect()
            },
        ),
        (
            "gcp-service-account",
            |r| {
                let key = format!(
                    "-----BEGIN PRIVATE KEY-----\\n{}\\n-----END PRIVATE KEY-----\\n",
                    pem_body(r, r.range(10, 26)).join("\\n")
                );
                let project = format!("proj-{}", r.s(b"abcdefghijklmnopqrstuvwxyz", 8));
                let common = [
                    format!("\"project_id\": \"{project}\""),
                    format!("\"private_key_id\": \"{}\"", r.s(HEX, 40)),
                    format!("\"client_email\": \"deployer@{project}.iam.gserviceaccount.com\""),
                    format!("\"client_id\": \"{}\"", r.s(DIGITS, 21)),
                    "\"token_uri\": \"https://oauth2.googleapis.com/token\"".to_string(),
                ];
                // Google's download order puts "type" first; sorted-key writers put it last.
                let mut fields = vec!["\"type\": \"service_account\"".to_string()];
                fields.extend(common);
                fields.insert(3, format!("\"private_key\": \"{key}\""));
                if r.below(2) == 0 {
                    fields.sort();
                }
                let line = 2 + fields
                    .iter()
                    .position(|f| f.starts_with("\"private_key\""))
                    .unwrap_or(0);
                let text = format!("{{\n  {}\n}}\n", fields.join(",\n  "));
                file(
                    "app/gcp-sa.json",
                    text,
                    &[("gcp-service-account", line), ("private-key", line)],
                )
            },
            |r| {
                let p = r.s(b"abcdefghijklmnopqrstuvwxyz", 8);
                vec![
                file("app/sa.json", format!("{{\n  \"type\": \"service_account\",\n  \"project_id\": \"{p}\",\n  \"private_key\": \"\"\n}}\n"), &[]),
                file("app/sa.json", "{\n  \"type\": \"service_account\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n\"\n}\n".into(), &[]),
                file("app/sa.json", format!("{{\n  \"type\": \"authorized_user\",\n  \"client_id\": \"{}.apps.googleusercontent.com\"\n}}\n", r.s(DIGITS, 12)), &[]),
            ]
            },
        ),
        (
            "gcp-api-key",
            |r| {
                let t = format!("AIza{}", r.s(B64URL, 35));
                let var = *r.pick(&["GOOGLE_MAPS_KEY", "google_api_key", "firebaseKey"]);
                inline(r, var, &t, &["gcp-api-key"])
            },
            |r| format_decoys(r, "AIza", B64URL, 35),
        ),
        (
            "azure-storage-account-key",
            |r| {
                let k = format!("{}==", r.s(&B64[..64], 86));
                let cs = format!(
                    "DefaultEndpointsProtocol=https;AccountName=store{};AccountKey={k};EndpointSuffix=core.windows.net",
                    r.s(DIGITS, 4)
                );
                inline(
                    r,
                    "AZURE_STORAGE_CONNECTION_STRING",
                    &cs,
                    &["azure-storage-account-key"],
                )
            },
            |r| {
                ["AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==".to_string(),
             format!("AccountKey={}==", r.s(B64, 40)),
             format!("AccountKey={}==", "x".repeat(86)),
             "AccountKey=[key]".to_string()]
                .iter()
                .map(|v| decoy(r, &format!("DefaultEndpointsProtocol=https;AccountName=dev;{v}")))
                .collect()
            },
        ),
        (
            "azure-shared-access-key",
            |r| {
                let cs = format!(
                    "Endpoint=sb://ns{}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={}=",
                    r.s(DIGITS, 3),
                    r.s(&B64[..64], 43)
                );
                inline(
                    r,
                    "SERVICEBUS_CONNECTION",
                    &cs,
                    &["azure-shared-access-key"],
                )
            },
            |r| {
                [
                    "SharedAccessKey=<key>".to_string(),
                    format!("SharedAccessKey={}=", r.s(B64, 20)),
                    format!("SharedAccessKey={}=", "A".repeat(43)),
                ]
                .iter()
                .map(|v| decoy(r, &format!("Endpoint=sb://ns.servicebus.windows.net/;{v}")))
                .collect()
            },
        ),
        (
            "github-pat",
            |r| {
                let t = format!("ghp_{}", r.s(ALNUM, 36));
                inline(r, "GITHUB_TOKEN", &t, &["github-pat"])
            },
            |r| format_decoys(r, "ghp_", ALNUM, 36),
        ),
        (
            "github-fine-grained-pat",
            |r| {
                let t = format!("github_pat_{}_{}", r.s(ALNUM, 22), r.s(ALNUM, 59));
                inline(r, "GH_TOKEN", &t, &["github-fine-grained-pat"])
            },
            |r| format_decoys(r, "github_pat_", ALNUM, 82),
        ),
        (
            "github-oauth",
            |r| {
                let t = format!("gho_{}", r.s(ALNUM, 36));
                inline(r, "oauth_token", &t, &["github-oauth"])
            },
            |r| format_decoys(r, "gho_", ALNUM, 36),
        ),
        (
            "github-app-token",
            |r| {
                let t = format!("{}_{}", r.pick(&["ghu", "ghs", "ghr"]), r.s(ALNUM, 36));
                inline(r, "GITHUB_APP_TOKEN", &t, &["github-app-token"])
            },
            |r| format_decoys(r, "ghs_", ALNUM, 36),
        ),
        (
            "gitlab-pat",
            |r| {
                let t = format!("glpat-{}", r.s(B64URL, 20));
                inline(r, "GITLAB_TOKEN", &t, &["gitlab-pat"])
            },
            |r| format_decoys(r, "glpat-", ALNUM, 20),
        ),
        (
            "slack-bot-token",
            |r| {
                let t = format!(
                    "xoxb-{}-{}-{}",
                    r.s(DIGITS, r.range(10, 13)),
                    r.s(DIGITS, r.range(10, 13)),
                    r.s(ALNUM, 24)
                );
                inline(r, "SLACK_BOT_TOKEN", &t, &["slack-bot-token"])
            },
            |r| {
                vec![
                    decoy(r, "xoxb-your-bot-token"),
                    decoy(r, &format!("xoxb-{}-{}", r.s(DIGITS, 4), r.s(ALNUM, 8))),
                    decoy(
                        r,
                        &format!(
                            "xoxb-{}-{}-{}",
                            r.s(DIGITS, 11),
                            r.s(DIGITS, 12),
                            "x".repeat(24)
                        ),
                    ),
                ]
            },
        ),
        (
            "slack-user-token",
            |r| {
                let t = format!(
                    "xoxp-{}-{}-{}-{}",
                    r.s(DIGITS, 11),
                    r.s(DIGITS, 11),
                    r.s(DIGITS, 12),
                    r.s(HEX, 32)
                );
                inline(r, "SLACK_USER_TOKEN", &t, &["slack-user-token"])
            },
            |r| {
                vec![
                    decoy(r, &format!("xoxp-{}-{}", r.s(DIGITS, 11), r.s(HEX, 32))),
                    decoy(
                        r,
                        "xoxp-000000000000-000000000000-000000000000-00000000000000000000000000000000",
                    ),
                ]
            },
        ),
        (
            "slack-app-token",
            |r| {
                let t = format!(
                    "xapp-1-A{}-{}-{}",
                    r.s(UPPER_ALNUM, 10),
                    r.s(DIGITS, 13),
                    r.s(HEX, 64)
                );
                inline(r, "SLACK_APP_TOKEN", &t, &["slack-app-token"])
            },
            |r| {
                vec![
                    decoy(
                        r,
                        &format!(
                            "xapp-1-A{}-{}-{}",
                            r.s(UPPER_ALNUM, 10),
                            r.s(DIGITS, 13),
                            r.s(HEX, 20)
                        ),
                    ),
                    decoy(r, "xapp-1-AXXXXXXXXXX-0000000000000-xxxxxxxx"),
                ]
            },
        ),
        (
            "slack-webhook",
            |r| {
                let t = format!(
                    "https://hooks.slack.com/services/T{}/B{}/{}",
                    r.s(UPPER_ALNUM, r.range(8, 10)),
                    r.s(UPPER_ALNUM, r.range(8, 10)),
                    r.s(ALNUM, 24)
                );
                inline(r, "SLACK_WEBHOOK_URL", &t, &["slack-webhook"])
            },
            |r| {
                vec![
                    decoy(
                        r,
                        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                    ),
                    decoy(r, "https://hooks.slack.com/services/..."),
                    decoy(
                        r,
                        &format!(
                            "https://hooks.slack.com/services/T{}/B{}/{}",
                            r.s(UPPER, 8),
                            r.s(UPPER, 8),
                            r.s(ALNUM, 12)
                        ),
                    ),
                ]
            },
        ),
        (
            "stripe-secret-key",
            |r| {
                let t = format!(
                    "{}_live_{}",
                    r.pick(&["sk", "rk"]),
                    r.s(ALNUM, r.range(24, 99))
                );
                inline(r, "STRIPE_KEY", &t, &["stripe-secret-key"])
            },
            |r| {
                let mut v = format_decoys(r, "sk_live_", ALNUM, 24);
                // Test-mode keys have their own (LOW severity) rule.
                let test_key = format!("sk_test_{}", r.s(ALNUM, 24));
                v.push(inline(r, "STRIPE_KEY", &test_key, &["stripe-test-key"]));
                v.push(decoy(r, &format!("pk_live_{}", r.s(ALNUM, 24))));
                v
            },
        ),
        (
            "twilio-api-key",
            |r| {
                let t = format!("SK{}", r.s(HEX, 32));
                inline(r, "TWILIO_API_KEY", &t, &["twilio-api-key"])
            },
            |r| {
                let mut v = format_decoys(r, "SK", HEX, 32);
                v.push(decoy(r, &format!("SK{}", r.s(b"0123456789ABCDEF", 32))));
                v
            },
        ),
        (
            "twilio-auth-token",
            |r| {
                let t = r.s(HEX, 32);
                inline(r, "TWILIO_AUTH_TOKEN", &t, &["twilio-auth-token"])
            },
            |r| {
                [
                    "your_auth_token",
                    "${TWILIO_AUTH_TOKEN}",
                    &"0".repeat(32),
                    &"x".repeat(32),
                ]
                .iter()
                .map(|v| inline(r, "TWILIO_AUTH_TOKEN", v, &[]))
                .collect()
            },
        ),
        (
            "sendgrid-api-key",
            |r| {
                let t = format!("SG.{}.{}", r.s(B64URL, 22), r.s(B64URL, 43));
                inline(r, "SENDGRID_KEY", &t, &["sendgrid-api-key"])
            },
            |r| {
                vec![
                    decoy(
                        r,
                        "SG.xxxxxxxxxxxxxxxxxxxxxx.yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
                    ),
                    decoy(r, &format!("SG.{}.{}", r.s(ALNUM, 22), r.s(ALNUM, 30))),
                    decoy(r, &format!("XG.{}.{}", r.s(ALNUM, 22), r.s(ALNUM, 43))),
                ]
            },
        ),
        (
            "mailgun-api-key",
            |r| {
                let t = format!("key-{}", r.s(HEX, 32));
                inline(r, "MAILGUN_KEY", &t, &["mailgun-api-key"])
            },
            |r| format_decoys(r, "key-", HEX, 32),
        ),
        (
            "npm-token",
            |r| {
                let t = format!("npm_{}", r.s(ALNUM, 36));
                if r.below(2) == 0 {
                    file(
                        "root/.npmrc",
                        format!(
                            "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={t}\n"
                        ),
                        &[("npm-token", 2)],
                    )
                } else {
                    inline(r, "NPM_TOKEN", &t, &["npm-token"])
                }
            },
            |r| format_decoys(r, "npm_", ALNUM, 36),
        ),
        (
            "pypi-token",
            |r| {
                let t = format!("pypi-AgEIcHlwaS5vcmc{}", r.s(B64URL, r.range(60, 150)));
                file(
                    "root/.pypirc",
                    format!(
                        "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = {t}\n"
                    ),
                    &[("pypi-token", 6)],
                )
            },
            |r| {
                vec![
                    decoy(r, &format!("pypi-AgEIcHlwaS5vcmc{}", r.s(B64URL, 30))),
                    decoy(r, &format!("pypi-AgEIcHlwaS5vcmc{}", "x".repeat(60))),
                ]
            },
        ),
        (
            "docker-config-auth",
            |r| {
                let creds = format!(
                    "{}:{}",
                    r.pick(&["ci-bot", "deploy", "jenkins"]),
                    r.s(ALNUM, r.range(12, 24))
                );
                let text = format!(
                    "{{\n  \"auths\": {{\n    \"registry{}.corp.test\": {{\n      \"auth\": \"{}\"\n    }}\n  }}\n}}\n",
                    r.s(DIGITS, 2),
                    b64(creds.as_bytes(), false)
                );
                file(
                    "root/.docker/config.json",
                    text,
                    &[("docker-config-auth", 4)],
                )
            },
            |r| {
                ["nocolonhere".to_string(), "user:changeme".to_string(), format!("{}:", r.s(ALNUM, 6))]
                .iter()
                .map(|c| file("root/.docker/config.json", format!("{{\n  \"auths\": {{\n    \"r.test\": {{\n      \"auth\": \"{}\"\n    }}\n  }}\n}}\n", b64(c.as_bytes(), false)), &[]))
                .chain([file("root/.docker/config.json", "{\n  \"auths\": {\n    \"r.test\": {}\n  },\n  \"credsStore\": \"desktop\"\n}\n".into(), &[])])
                .collect()
            },
        ),
        (
            "heroku-api-key",
            |r| {
                if r.below(2) == 0 {
                    let t = uuid(r);
                    inline(r, "HEROKU_API_KEY", &t, &["heroku-api-key"])
                } else {
                    let t = format!("HRKU-{}", r.s(B64URL, 60));
                    inline(r, "HEROKU_TOKEN", &t, &["heroku-platform-token"])
                }
            },
            |r| {
                let u = uuid(r);
                vec![
                    inline(
                        r,
                        "HEROKU_API_KEY",
                        "00000000-0000-0000-0000-000000000000",
                        &[],
                    ),
                    inline(r, "HEROKU_API_KEY", "<heroku-api-key>", &[]),
                    decoy(r, &u),
                ]
            },
        ),
        (
            "digitalocean-token",
            |r| {
                let t = format!("{}_v1_{}", r.pick(&["dop", "doo", "dor"]), r.s(HEX, 64));
                inline(r, "DIGITALOCEAN_ACCESS_TOKEN", &t, &["digitalocean-token"])
            },
            |r| format_decoys(r, "dop_v1_", HEX, 64),
        ),
        (
            "discord-bot-token",
            |r| {
                let t = format!(
                    "{}{}.{}.{}",
                    r.pick(&["M", "N", "O"]),
                    r.s(B64URL, r.range(23, 25)),
                    r.s(B64URL, 6),
                    r.s(ALNUM, r.range(27, 38))
                );
                inline(r, "DISCORD_BOT_TOKEN", &t, &["discord-bot-token"])
            },
            |r| {
                [
                    format!("A{}.{}.{}", r.s(ALNUM, 23), r.s(ALNUM, 6), r.s(ALNUM, 27)),
                    format!("M{}.{}.{}", r.s(ALNUM, 23), r.s(ALNUM, 3), r.s(ALNUM, 27)),
                    format!("M{}.{}.{}", "x".repeat(23), "x".repeat(6), "x".repeat(27)),
                ]
                .iter()
                // Not `..._TOKEN`: the generic rule reports any random-looking
                // value of a token-named variable.
                .map(|v| inline(r, "DISCORD_BOT_REF", v, &[]))
                .collect()
            },
        ),
        (
            "discord-webhook",
            |r| {
                let t = format!(
                    "https://discord.com/api/webhooks/{}/{}",
                    r.s(DIGITS, 18),
                    r.s(B64URL, 68)
                );
                inline(r, "ALERT_HOOK", &t, &["discord-webhook"])
            },
            |r| {
                vec![
                    decoy(r, "https://discord.com/api/webhooks/{id}/{token}"),
                    decoy(
                        r,
                        &format!(
                            "https://discord.com/api/webhooks/{}/{}",
                            r.s(DIGITS, 18),
                            "x".repeat(68)
                        ),
                    ),
                ]
            },
        ),
        (
            "telegram-bot-token",
            |r| {
                let t = format!("{}:AA{}", r.s(DIGITS, r.range(8, 10)), r.s(B64URL, 33));
                inline(r, "TELEGRAM_BOT_TOKEN", &t, &["telegram-bot-token"])
            },
            |r| {
                vec![
                    decoy(r, &format!("{}:AA{}", r.s(DIGITS, 5), r.s(ALNUM, 33))),
                    decoy(r, &format!("{}:AA{}", r.s(DIGITS, 9), "x".repeat(33))),
                    decoy(r, &format!("{}:AA{}", r.s(DIGITS, 9), r.s(ALNUM, 20))),
                ]
            },
        ),
        (
            "shopify-token",
            |r| {
                let t = format!(
                    "{}_{}",
                    r.pick(&["shpat", "shpss", "shpca", "shppa"]),
                    r.s(HEX, 32)
                );
                inline(r, "SHOPIFY_ACCESS", &t, &["shopify-token"])
            },
            |r| format_decoys(r, "shpat_", HEX, 32),
        ),
        (
            "datadog-api-key",
            |r| {
                if r.below(2) == 0 {
                    let t = r.s(HEX, 32);
                    inline(r, "DD_API_KEY", &t, &["datadog-api-key"])
                } else {
                    let t = r.s(HEX, 40);
                    inline(r, "datadog_app_key", &t, &["datadog-api-key"])
                }
            },
            |r| {
                ["<DATADOG_API_KEY>", "${DD_API_KEY}", &"0".repeat(32)]
                    .iter()
                    .map(|v| inline(r, "DD_API_KEY", v, &[]))
                    .collect()
            },
        ),
        (
            "newrelic-user-api-key",
            |r| {
                let t = format!("NRAK-{}", r.s(UPPER_ALNUM, 27));
                inline(r, "NEW_RELIC_USER_KEY", &t, &["newrelic-user-api-key"])
            },
            |r| format_decoys(r, "NRAK-", UPPER_ALNUM, 27),
        ),
        (
            "vault-token",
            |r| {
                let t = if r.below(2) == 0 {
                    format!("hvs.{}", r.s(ALNUM, r.range(24, 95)))
                } else {
                    format!("hvb.{}", r.s(ALNUM, 138))
                };
                inline(r, "VAULT_AUTH", &t, &["vault-token"])
            },
            |r| format_decoys(r, "hvs.", ALNUM, 24),
        ),
        (
            "vault-legacy-token",
            |r| {
                let t = format!("s.{}", r.s(ALNUM, 24));
                inline(r, "VAULT_TOKEN", &t, &["vault-legacy-token"])
            },
            |r| {
                let neutral = format!("s.{}", r.s(ALNUM, 24));
                vec![
                    inline(r, "VAULT_TOKEN", "s.xxxxxxxxxxxxxxxxxxxxxxxx", &[]),
                    inline(r, "VAULT_TOKEN", "root", &[]),
                    decoy(r, &neutral),
                ]
            },
        ),
        (
            "openai-api-key",
            |r| {
                let t = if r.below(2) == 0 {
                    format!("sk-proj-{}", r.s(ALNUM, r.range(100, 160)))
                } else {
                    format!("sk-{}T3BlbkFJ{}", r.s(ALNUM, 20), r.s(ALNUM, 20))
                };
                inline(r, "OPENAI_KEY", &t, &["openai-api-key"])
            },
            |r| {
                let mut v = format_decoys(r, "sk-proj-", ALNUM, 40);
                v.push(decoy(r, &format!("sk-{}", r.s(ALNUM, 48))));
                v
            },
        ),
        (
            "anthropic-api-key",
            |r| {
                let t = format!("sk-ant-api03-{}AA", r.s(B64URL, 93));
                inline(r, "ANTHROPIC_KEY", &t, &["anthropic-api-key"])
            },
            |r| format_decoys(r, "sk-ant-api03-", ALNUM, 95),
        ),
        (
            "jwt",
            |r| {
                let t = jwt(r);
                if r.below(2) == 0 {
                    file(
                        "app/request.http",
                        format!(
                            "GET /v1/items HTTP/1.1\nHost: api.test\nAuthorization: Bearer {t}\n"
                        ),
                        &[("jwt", 3)],
                    )
                } else {
                    inline(r, "SESSION_JWT", &t, &["jwt"])
                }
            },
            |r| {
                let garbage = format!(
                    "eyJ{}.eyJ{}.{}",
                    r.s(ALNUM, 30),
                    r.s(ALNUM, 40),
                    r.s(ALNUM, 43)
                );
                vec![
                    decoy(r, &garbage),
                    decoy(
                        r,
                        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
                    ),
                    decoy(r, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbm9ueW1vdXMifQ."),
                ]
            },
        ),
        (
            "private-key",
            |r| {
                let kind = *r.pick(&["RSA ", "EC ", "OPENSSH ", "DSA ", "", "ENCRYPTED ", "PGP "]);
                let block = if kind == "PGP " { " BLOCK" } else { "" };
                let mut body = Vec::new();
                if kind == "PGP " {
                    body.push("Version: GnuPG v2".to_string());
                    body.push(String::new());
                }
                if kind == "RSA " && r.below(2) == 0 {
                    body.push("Proc-Type: 4,ENCRYPTED".to_string());
                    body.push(format!(
                        "DEK-Info: AES-128-CBC,{}",
                        r.s(b"0123456789ABCDEF", 32)
                    ));
                    body.push(String::new());
                }
                let n = r.range(6, 25);
                body.extend(pem_body(r, n));
                let pre = r.range(0, 3);
                let text = format!(
                    "{}-----BEGIN {kind}PRIVATE KEY{block}-----\n{}\n-----END {kind}PRIVATE KEY{block}-----\n",
                    "# deploy key\n".repeat(pre),
                    body.join("\n")
                );
                file("srv/keys/id_deploy", text, &[("private-key", pre + 1)])
            },
            |r| {
                let body = pem_body(r, 8).join("\n");
                vec![
                file("app/pem.py", "def is_key(line):\n    return line == \"-----BEGIN RSA PRIVATE KEY-----\"\n".into(), &[]),
                file("etc/app/pub.pem", format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n"), &[]),
                file("etc/app/cert.pem", format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"), &[]),
                file("app/README.txt", "Paste your key:\n-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n".into(), &[]),
            ]
            },
        ),
        (
            "connection-uri-password",
            |r| {
                let scheme = *r.pick(&[
                    "postgres",
                    "postgresql",
                    "mysql",
                    "mongodb",
                    "mongodb+srv",
                    "amqp",
                    "amqps",
                    "redis",
                    "rediss",
                ]);
                let user = if scheme.starts_with("redis") && r.below(2) == 0 {
                    String::new()
                } else {
                    r.s(b"abcdefghijklmnopqrstuvwxyz", 6)
                };
                let pw = r.s(
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.!*-",
                    r.range(10, 24),
                );
                let t = format!(
                    "{scheme}://{user}:{pw}@db{}.internal.test:5432/app",
                    r.s(DIGITS, 2)
                );
                inline(r, "DATABASE_URL", &t, &["connection-uri-password"])
            },
            |r| {
                [
                    "postgres://user:password@localhost/db",
                    "mysql://root:${MYSQL_PASSWORD}@db/app",
                    "mongodb://user:<password>@host/x",
                    "amqp://guest:guest@localhost:5672/",
                    "redis://localhost:6379/0",
                    "postgres://app:xxxxxxxx@db/app",
                ]
                .iter()
                .map(|v| inline(r, "DATABASE_URL", v, &[]))
                .collect()
            },
        ),
        (
            "netrc-password",
            |r| {
                let host = format!("git{}.corp.test", r.s(DIGITS, 2));
                let pw = r.s(PW, r.range(10, 20));
                if r.below(2) == 0 {
                    file(
                        "root/.netrc",
                        format!("machine {host}\n  login deploy\n  password {pw}\n"),
                        &[("netrc-password", 3)],
                    )
                } else {
                    file(
                        "root/.netrc",
                        format!("default login anonymous\nmachine {host} login ci password {pw}\n"),
                        &[("netrc-password", 2)],
                    )
                }
            },
            |_| {
                vec![
                    file(
                        "root/.netrc",
                        "machine example.com login me password changeme\n".into(),
                        &[],
                    ),
                    file(
                        "root/.netrc",
                        "machine h.test login me password ${NETRC_PW}\n".into(),
                        &[],
                    ),
                ]
            },
        ),
        (
            "pgpass-password",
            |r| {
                let pw = r.s(ALNUM, r.range(10, 20));
                let line = r.range(1, 3);
                let mut text = "# hostname:port:database:username:password\n".repeat(line - 1);
                text.push_str(&format!(
                    "db{}.internal:5432:app:appuser:{pw}\n",
                    r.s(DIGITS, 2)
                ));
                file(
                    "var/lib/postgresql/.pgpass",
                    text,
                    &[("pgpass-password", line)],
                )
            },
            |r| {
                let pw = r.s(ALNUM, 14);
                vec![
                    file(
                        "var/lib/postgresql/.pgpass",
                        "*:*:*:postgres:changeme\n".into(),
                        &[],
                    ),
                    file(
                        "etc/app/hosts.txt",
                        format!("db1.internal:5432:app:appuser:{pw}\n"),
                        &[],
                    ),
                ]
            },
        ),
        (
            "htpasswd-hash",
            |r| {
                let user = r.s(b"abcdefghijklmnopqrstuvwxyz", 6);
                let hash = match r.below(3) {
                    0 => format!(
                        "$apr1${}${}",
                        r.s(
                            b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                            8
                        ),
                        r.s(
                            b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                            22
                        )
                    ),
                    1 => format!(
                        "$2y$10${}",
                        r.s(
                            b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                            53
                        )
                    ),
                    _ => format!("{{SHA}}{}=", r.s(&B64[..64], 27)),
                };
                file(
                    "etc/nginx/.htpasswd",
                    format!("{user}:{hash}\n"),
                    &[("htpasswd-hash", 1)],
                )
            },
            |r| {
                vec![
                    file("etc/nginx/.htpasswd", "admin:$apr1$\n".into(), &[]),
                    file(
                        "etc/nginx/.htpasswd",
                        format!("admin:$6${}${}\n", r.s(ALNUM, 8), r.s(ALNUM, 86)),
                        &[],
                    ),
                ]
            },
        ),
        (
            "generic-secret",
            |r| {
                let var = *r.pick(&[
                    "db_password",
                    "client_secret",
                    "API_KEY",
                    "app.secret",
                    "SMTP_PASSWORD",
                    "privateKey",
                    "access_token",
                ]);
                // A leading `&`/`*` would be YAML anchor/alias syntax, not a value.
                let v = format!("{}{}", r.s(ALNUM, 1), r.s(PW, r.range(15, 27)));
                inline(r, var, &v, &["generic-secret"])
            },
            |r| {
                vec![
                    file(
                        "app/db.py",
                        "password = os.environ[\"DB_PASSWORD\"]\n".into(),
                        &[],
                    ),
                    inline(r, "password", "changeme", &[]),
                    inline(r, "secret_key", "${SECRET_KEY}", &[]),
                    inline(r, "api_key", "your_api_key_here", &[]),
                    inline(r, "password", "aaaaaaaaaaaaaaaa", &[]),
                    inline(r, "password_file", "/run/secrets/db_password", &[]),
                    inline(r, "client_secret", "get_client_secret", &[]),
                    inline(r, "password_hash", &r.s(HEX, 32), &[]),
                    file(
                        "app/form.html",
                        "<input type=\"password\" name=\"password\" placeholder=\"Password\">\n"
                            .into(),
                        &[],
                    ),
                ]
            },
        ),
    ]
}

/// Rule ids the generator has a spec for.
pub fn rule_ids() -> std::collections::BTreeSet<&'static str> {
    specs().iter().map(|s| s.0).collect()
}

/// For every rule, `positives` secrets then `decoy_rounds` batches of its
/// decoys, each tagged with the rule it was made for.
pub fn generate(seed: u64, positives: usize, decoy_rounds: usize) -> Vec<(&'static str, Sample)> {
    let rng = Rng(std::cell::Cell::new(seed));
    let mut out = Vec::new();
    for (rule, positive, decoys) in specs() {
        for _ in 0..positives {
            out.push((rule, positive(&rng)));
        }
        for _ in 0..decoy_rounds {
            out.extend(decoys(&rng).into_iter().map(|s| (rule, s)));
        }
    }
    out
}
