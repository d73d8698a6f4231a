//! Small helpers shared by the secret and config scanners.

/// Characters of a secret left visible by [`mask`].
const MASK_KEEP: usize = 4;
/// Secrets up to this length are masked completely: showing 4 of 12
/// characters would give away too much of them.
const MASK_SHORT: usize = 12;
/// Upper bound on `*` characters, so a multi-kilobyte match stays readable.
const MASK_MAX_STARS: usize = 60;

/// Keeps the first 4 characters and replaces the rest with `*`.
pub fn mask(secret: &[u8]) -> String {
    let text = String::from_utf8_lossy(secret);
    let n = text.chars().count();
    let keep = if n <= MASK_SHORT { 0 } else { MASK_KEEP };
    let mut out: String = text.chars().take(keep).collect();
    out.extend(std::iter::repeat_n('*', (n - keep).min(MASK_MAX_STARS)));
    out
}

/// Shannon entropy in bits per byte.
pub fn shannon_entropy(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0usize; 256];
    for &b in data {
        counts[usize::from(b)] += 1;
    }
    let len = data.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// Whole-value words that documentation and templates use instead of a secret.
const PLACEHOLDER_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "placeholder",
    "redacted",
    "dummy",
    "sample",
    "none",
    "null",
    "nil",
    "undefined",
    "empty",
    "test",
    "testing",
    "token",
    "apikey",
    "api_key",
    "mypassword",
    "yourpassword",
    "foobar",
    "foobared",
    "admin",
    "guest",
];

/// Substrings that mark a value as an example or template, matched ASCII
/// case-insensitively. Deliberately not "test"/"fake": planted test keys
/// such as `AKIADRYDOCKFAKE2TEST` must still be reported.
const PLACEHOLDER_PARTS: &[&str] = &[
    "example",
    "xxxx",
    "****",
    "....",
    "<",
    ">",
    "${",
    "{{",
    "%(",
    "$(",
    "your_",
    "your-",
    "yourkey",
    "your_api",
    "insert",
    "replace",
    "placeholder",
    "redacted",
    "dummy",
    "12345678",
    "abcdefgh",
];

/// Returns why `secret` looks like a placeholder rather than a real value.
pub fn is_placeholder(secret: &[u8]) -> Option<&'static str> {
    let lower = secret.to_ascii_lowercase();
    let text = String::from_utf8_lossy(&lower);
    let trimmed = text.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
    if trimmed.is_empty() {
        return Some("empty");
    }
    if PLACEHOLDER_WORDS.contains(&trimmed) {
        return Some("placeholder word");
    }
    if is_reference(trimmed) {
        return Some("variable reference");
    }
    if PLACEHOLDER_PARTS.iter().any(|p| trimmed.contains(p)) {
        return Some("template or example marker");
    }
    // AWS's documented sample credentials (and their like) always contain
    // EXAMPLE, caught above.
    let bytes = trimmed.as_bytes();
    if bytes.len() >= 3 && bytes.iter().all(|&b| b == bytes[0]) {
        return Some("repeated characters");
    }
    // Long binary-derived tokens (base64 of zero bytes) have runs of `A`;
    // relative to their length those are not fillers.
    if longest_run(bytes) >= 6.max(bytes.len() / 8) {
        return Some("repeated characters");
    }
    let distinct = {
        let mut seen = [false; 256];
        bytes.iter().for_each(|&b| seen[usize::from(b)] = true);
        seen.iter().filter(|&&s| s).count()
    };
    if bytes.len() >= 8 && distinct <= 3 {
        return Some("too few distinct characters");
    }
    None
}

/// `$VAR`, `${VAR}`, `$(cmd)`, `%VAR%`, `%s`: values filled in elsewhere,
/// also when a path follows (`$dir/private/cakey.pem` in openssl.cnf).
/// (`$apr1$...`-style hashes start with `$` too, so a name must follow and
/// end the value or be followed by a delimiter, not another `$`.)
fn is_reference(v: &str) -> bool {
    if let Some(rest) = v.strip_prefix('$') {
        let rest = rest.strip_prefix(['{', '(']).unwrap_or(rest);
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(end);
        return !name.is_empty()
            && (after.is_empty() || after.starts_with(['}', ')', ':', '-', '/']));
    }
    let ident =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if let Some(rest) = v.strip_prefix('%') {
        return rest.len() <= 2 || ident(rest.strip_suffix('%').unwrap_or(""));
    }
    false
}

fn longest_run(bytes: &[u8]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut prev = None;
    for &b in bytes {
        if Some(b) == prev {
            run += 1;
        } else {
            run = 1;
            prev = Some(b);
        }
        best = best.max(run);
    }
    best
}

/// Decodes standard or URL-safe base64, padded or not; `None` if malformed.
pub fn base64_decode(input: &[u8]) -> Option<Vec<u8>> {
    let data = input
        .strip_suffix(b"==")
        .or_else(|| input.strip_suffix(b"="))
        .unwrap_or(input);
    if data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in data {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_keeps_prefix_of_long_secrets_only() {
        assert_eq!(mask(b"AKIADRYDOCKFAKE2TEST"), "AKIA****************");
        assert_eq!(mask(b"hunter2"), "*******");
        assert_eq!(mask(b"exactly12chr"), "************");
        assert_eq!(mask(&[b'a'; 500]).len(), 4 + MASK_MAX_STARS);
    }

    #[test]
    fn entropy_matches_known_values() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
        assert!((shannon_entropy(b"0123456789abcdef") - 4.0).abs() < 1e-9);
    }

    #[test]
    fn placeholders_are_recognised_but_test_keys_are_not() {
        for p in [
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "<your-key>",
            "${DB_PASS}",
            "$TOKEN",
            "%DB_PASS%",
            "$(cat /run/secrets/x)",
            "$dir/private/cakey.pem#",
            "${HOME}/.secrets",
            "changeme",
            "xxxxxxxxxxxxxxxx",
            "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "1234567890abcdef",
            "your_api_key_here",
            "abababababab",
        ] {
            assert!(is_placeholder(p.as_bytes()).is_some(), "{p}");
        }
        for real in [
            "AKIADRYDOCKFAKE2TEST",
            "drydock-fake-db-password-123",
            "Zm9vYmFyZHJ5ZG9ja2Zha2VzZWNyZXRrZXkxMjM0",
            "$apr1$ppyjBXpu$paTIlxP24qcvNcf.xJpxMC",
            "$2y$10$Qm7TkV1pXw9Lr3Zs8Nb4He2Jc6Yf0Ua5Gd1Ri7Oe3Wq9Tl2Mk4Pn",
            "$Kx9!mQ2vR7pL",
        ] {
            assert_eq!(is_placeholder(real.as_bytes()), None, "{real}");
        }
    }

    #[test]
    fn base64_roundtrips_reference_vectors() {
        // RFC 4648 section 10 test vectors.
        assert_eq!(base64_decode(b"Zm9vYmFy").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base64_decode(b"Zm9vYg==").as_deref(), Some(&b"foob"[..]));
        assert_eq!(base64_decode(b"Zm9vYg").as_deref(), Some(&b"foob"[..]));
        assert_eq!(base64_decode(b"Zm9v!"), None);
    }
}
