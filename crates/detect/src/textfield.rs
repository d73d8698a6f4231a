//! Secrets in image config strings: ENV entries, labels and history
//! `created_by` lines (where `ARG`/`--build-arg` values end up).

use std::sync::OnceLock;

use crate::config::{Confidence, Severity};
use crate::secrets::{SecretFinding, SecretScanner};
use crate::util::{is_placeholder, mask};

/// Rule id of findings made from a variable's name rather than its value's format.
pub const CONFIG_SECRET_RULE: &str = "config-secret-variable";

/// Name fragments (upper case) of variables that hold credentials.
const SECRET_NAME_PARTS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "AUTH_KEY",
    "CREDENTIAL",
];

/// Suffixes naming where a secret is, not the secret (`DB_PASSWORD_FILE=/run/secrets/db`).
const REFERENCE_SUFFIXES: &[&str] = &[
    "_FILE",
    "_FILES",
    "_PATH",
    "_DIR",
    "_URL",
    "_URI",
    "_ENDPOINT",
    "_HOST",
    "_PORT",
    "_NAME",
    "_USER",
    "_USERNAME",
    "_ID",
    "_TTL",
    "_LENGTH",
    "_TYPE",
    "_HEADER",
];

/// Values that configure rather than hold a secret.
const NON_SECRET_VALUES: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "enabled", "disabled",
];

fn default_scanner() -> Option<&'static SecretScanner> {
    static SCANNER: OnceLock<Option<SecretScanner>> = OnceLock::new();
    SCANNER
        .get_or_init(|| SecretScanner::builtin().ok())
        .as_ref()
}

/// [`SecretScanner::scan_text_field`] with the built-in rules.
pub fn scan_text_field(source: &str, key: Option<&str>, value: &str) -> Vec<SecretFinding> {
    default_scanner()
        .map(|s| s.scan_text_field(source, key, value))
        .unwrap_or_default()
}

/// Whether an environment/ARG name suggests its value is a credential.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name
        .trim_start_matches('-')
        .to_ascii_uppercase()
        .replace('-', "_");
    SECRET_NAME_PARTS.iter().any(|p| upper.contains(p))
        && !REFERENCE_SUFFIXES.iter().any(|s| upper.ends_with(s))
}

fn is_real_value(value: &str) -> bool {
    let v = value.trim();
    v.len() >= 4
        && !v.starts_with('/')
        && !v.bytes().all(|b| b.is_ascii_digit())
        && !NON_SECRET_VALUES.contains(&v.to_ascii_lowercase().as_str())
        && is_placeholder(v.as_bytes()).is_none()
}

/// A `name=value` pair (or `user:pass` credential) inside a text field;
/// `start` is the byte offset of the value in the scanned text.
struct Assignment<'a> {
    name: &'a str,
    value: &'a str,
    start: usize,
}

fn strip_quotes(s: &str) -> (&str, usize) {
    let t = s.trim_end_matches([';', ',']);
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q) {
            return (inner.strip_suffix(q).unwrap_or(inner), 1);
        }
    }
    (t, 0)
}

/// Tokens as (offset, text), split on ASCII whitespace.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_ascii_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// Finds `NAME=value`, `--flag=value`, legacy `ENV NAME value`, and
/// `curl -u user:pass` / `--user user:pass` credentials.
fn assignments(text: &str) -> Vec<Assignment<'_>> {
    let toks = tokens(text);
    let mut out = Vec::new();
    for (i, &(off, tok)) in toks.iter().enumerate() {
        if let Some((name, raw)) = tok.split_once('=') {
            let bare = name.trim_start_matches('-');
            let valid = !bare.is_empty()
                && bare
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
                && bare.as_bytes().first().is_some_and(|b| !b.is_ascii_digit());
            if valid {
                let (value, q) = strip_quotes(raw);
                out.push(Assignment {
                    name: bare,
                    value,
                    start: off + name.len() + 1 + q,
                });
            }
            continue;
        }
        let user_flag = matches!(tok, "-u" | "--user" | "--proxy-user");
        let attached = tok.strip_prefix("-u").filter(|r| r.contains(':'));
        let cred = if user_flag {
            toks.get(i + 1).map(|&(o, t)| (o, t))
        } else {
            attached.map(|r| (off + 2, r))
        };
        if let Some((o, cred)) = cred {
            let (cred, q) = strip_quotes(cred);
            if let Some((user, pass)) = cred.split_once(':') {
                out.push(Assignment {
                    name: "password",
                    value: pass,
                    start: o + q + user.len() + 1,
                });
            }
        }
    }
    // Legacy `ENV NAME value` (no `=`): the whole rest is the value.
    let body = text
        .trim_start()
        .strip_prefix("/bin/sh -c #(nop) ")
        .unwrap_or(text.trim_start());
    if let Some(rest) = body.strip_prefix("ENV ")
        && let [(_, name), (voff, _), ..] = tokens(rest).as_slice()
        && !name.contains('=')
    {
        let rest_off = text.len() - rest.len();
        out.push(Assignment {
            name,
            value: rest.get(*voff..).unwrap_or("").trim_end(),
            start: rest_off + voff,
        });
    }
    out
}

impl SecretScanner {
    /// Secrets in one image-config string. `source` names the field for
    /// reports (e.g. `"ENV DB_PASSWORD"`, `"history[3]"`); `key` is the
    /// variable/label name when the caller has already split it off.
    ///
    /// Reports variables with secret-like names and real-looking values
    /// (rule [`CONFIG_SECRET_RULE`]) and every content-rule match in the text;
    /// where both cover the same bytes a format rule wins (it says more) and
    /// a generic assignment rule loses (it says less).
    pub fn scan_text_field(
        &self,
        source: &str,
        key: Option<&str>,
        value: &str,
    ) -> Vec<SecretFinding> {
        // With a known key, scan `key=value` so context-dependent rules see the name.
        let joined;
        let (text, vars) = match key {
            Some(k) => {
                joined = format!("{k}={value}");
                let var = Assignment {
                    name: k,
                    value,
                    start: k.len() + 1,
                };
                (joined.as_str(), vec![var])
            }
            None => (value, assignments(value)),
        };
        let mut content = self.scan(source, text.as_bytes());
        let overlaps = |f: &SecretFinding, var: &Assignment<'_>| {
            let s = offset_of(text, f);
            s < var.start + var.value.len() && var.start < s + f.match_len
        };
        let mut out = Vec::new();
        for var in &vars {
            if !is_secret_name(var.name)
                || !is_real_value(var.value)
                || Confidence::Medium < self.min_confidence()
                || content
                    .iter()
                    .any(|f| overlaps(f, var) && !self.is_fallback(&f.rule_id))
            {
                continue;
            }
            // A generic assignment match says no more than the variable's name.
            content.retain(|f| !(overlaps(f, var) && self.is_fallback(&f.rule_id)));
            out.push(SecretFinding {
                rule_id: CONFIG_SECRET_RULE.to_string(),
                title: "Secret-like variable in image configuration".to_string(),
                severity: Severity::High,
                path: source.to_string(),
                line: 1,
                column: Some(var.start + 1),
                masked: mask(var.value.as_bytes()),
                match_len: var.value.len(),
                context: Some(format!("{}={}", var.name, mask(var.value.as_bytes()))),
                confidence: Confidence::Medium,
                reason: format!(
                    "`{}` names a credential and holds a literal value",
                    var.name
                ),
            });
        }
        // Content findings always come from a single-line text here, so their
        // columns are byte offsets into `text`; shift them back past `key=`.
        let shift = key.map_or(0, |k| k.len() + 1);
        out.extend(content.into_iter().map(|mut f| {
            f.column = f.column.map(|c| c.saturating_sub(shift).max(1));
            f
        }));
        out
    }
}

/// Byte offset in `text` of a finding's first byte, from its line/column.
fn offset_of(text: &str, f: &SecretFinding) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(f.line.saturating_sub(1))
        .map(str::len)
        .sum();
    line_start + f.column.unwrap_or(1) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for n in [
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "aws_secret_access_key",
            "--password",
            "API_KEY",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "PATH",
            "GPG_KEY",
            "DB_PASSWORD_FILE",
            "TOKEN_URL",
            "PWD",
            "LANG",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn finds_build_args_and_curl_credentials() {
        let f = scan_text_field(
            "history[2]",
            None,
            "RUN |2 NPM_TOKEN=s3cr3tValue991 OTHER=1 /bin/sh -c curl -u deploy:Hunter2Pw! https://x",
        );
        let masked: Vec<_> = f
            .iter()
            .map(|f| (f.rule_id.as_str(), f.match_len))
            .collect();
        assert_eq!(
            masked,
            vec![(CONFIG_SECRET_RULE, 14), ("cli-password-argument", 10)],
            "{f:#?}"
        );
        // "RUN |2 " (7 bytes) + "NPM_TOKEN=" (10 bytes): the value starts at byte 17.
        assert_eq!(f[0].column, Some(18));
    }

    #[test]
    fn legacy_env_form_and_placeholders() {
        assert_eq!(
            scan_text_field(
                "history[0]",
                None,
                "/bin/sh -c #(nop) ENV API_TOKEN Zq81mmXpLw0"
            )
            .len(),
            1
        );
        assert!(scan_text_field("env", Some("DB_PASSWORD"), "${DB_PASSWORD}").is_empty());
        assert!(scan_text_field("env", Some("DB_PASSWORD"), "changeme").is_empty());
        assert!(scan_text_field("env", Some("DB_PASSWORD_FILE"), "/run/secrets/db").is_empty());
    }
}
