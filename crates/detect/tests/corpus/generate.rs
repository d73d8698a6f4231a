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
/// A rule id, how to make a positive, how to make decoys.
type Spec = (&'static str, Gen, Decoys);

#[path = "specs_cloud.rs"]
mod specs_cloud;
#[path = "specs_files.rs"]
mod specs_files;
#[path = "specs_services.rs"]
mod specs_services;

/// One entry per built-in rule: how to make a positive, how to make decoys.
fn specs() -> Vec<Spec> {
    let mut all = specs_cloud::specs();
    all.extend(specs_services::specs());
    all.extend(specs_files::specs());
    all
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
