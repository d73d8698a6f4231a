//! JSON and YAML credential files: container registry configs (`auths`)
//! and Kubernetes `Secret` manifests.

use serde_json::Value;

use super::{Field, offset_in, unquote, url_password};
use crate::config::Confidence;
use crate::secrets::base64_user_pass;
use crate::util::{base64_decode, is_placeholder};

/// Registry credential fields of a Docker/Podman auth entry.
const REGISTRY_FIELDS: &[&str] = &["auth", "identitytoken", "registrytoken", "password"];

/// Docker `config.json` / Podman `auth.json` (`{"auths": {registry: {...}}}`)
/// and legacy `.dockercfg` (registries at the top level): `auth` when it is
/// base64 `user:password`, and identity/registry tokens and passwords.
pub(super) fn docker_config(text: &str) -> Vec<Field> {
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let mut out = registry_fields(text, &v, |f, registry, _| {
        format!("`{f}` for registry `{registry}` in a container registry config")
    });
    out.sort_by_key(|f| f.start);
    out.dedup_by_key(|f| f.start);
    out
}

fn registry_fields(
    text: &str,
    config: &Value,
    describe: impl Fn(&str, &str, &str) -> String,
) -> Vec<Field> {
    let registries = match config.get("auths").and_then(Value::as_object) {
        Some(auths) => auths,
        None => match config.as_object() {
            Some(top) if top.values().any(|e| e.get("auth").is_some()) => top,
            _ => return Vec::new(),
        },
    };
    let mut out = Vec::new();
    for (registry, entry) in registries {
        for &field in REGISTRY_FIELDS {
            let Some(value) = entry.get(field).and_then(Value::as_str) else {
                continue;
            };
            if field == "auth" && base64_user_pass(value.as_bytes()).is_none() {
                continue;
            }
            if let Some(start) = find_string_literal(text, value) {
                out.push(Field::high(start, value, describe(field, registry, value)));
            }
        }
    }
    out
}

/// Offset of the contents of the JSON string literal `"value"` in `text`.
fn find_string_literal(text: &str, value: &str) -> Option<usize> {
    let quoted = format!("\"{value}\"");
    text.find(&quoted).map(|i| i + 1)
}

/// Kubernetes `Secret` manifests, YAML (multi-document) or JSON (also
/// `List` items): every `data` (base64) and `stringData` value that is not
/// empty, a placeholder, a certificate, or a non-secret field such as
/// `username` or `host`. Block scalars (`key: |`) are left to the content
/// rules, which see their text.
pub(super) fn kubernetes_secret(text: &str) -> Vec<Field> {
    let mut out = Vec::new();
    if text.trim_start().starts_with('{') {
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            let items = v.get("items").and_then(Value::as_array);
            for obj in items.into_iter().flatten().chain([&v]) {
                json_secret(text, obj, &mut out);
            }
        }
    } else {
        for doc in documents(text) {
            yaml_secret(text, doc, &mut out);
        }
    }
    out.sort_by_key(|f| f.start);
    out.dedup_by_key(|f| f.start);
    out
}

fn json_secret(text: &str, obj: &Value, out: &mut Vec<Field>) {
    if obj.get("kind").and_then(Value::as_str) != Some("Secret") {
        return;
    }
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    for section in ["data", "stringData"] {
        let Some(map) = obj.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (key, value) in map {
            if let Some(value) = value.as_str()
                && let Some(start) = find_string_literal(text, value)
                && let Some(field) = secret_entry(name, section, key, start, value)
            {
                out.push(field);
            }
        }
    }
}

/// YAML documents of `text` (split at `---` lines) as subslices.
fn documents(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.lines() {
        if line.trim_end() == "---" {
            let at = offset_in(text, line);
            out.push(&text[start..at]);
            start = (at + line.len() + 1).min(text.len());
        }
    }
    out.push(&text[start..]);
    out
}

fn yaml_secret(text: &str, doc: &str, out: &mut Vec<Field>) {
    let mut is_secret = false;
    let mut name = "";
    let mut section = "";
    let mut entry_indent = None;
    let mut block_indent = None;
    let mut entries = Vec::new();
    for line in doc.lines() {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(b) = block_indent {
            if indent > b {
                continue;
            }
            block_indent = None;
        }
        let Some((key, raw)) = t.split_once(':') else {
            continue;
        };
        let (value, q) = unquote(raw.trim());
        if indent == 0 {
            section = key;
            entry_indent = None;
            is_secret |= key == "kind" && value == "Secret";
            continue;
        }
        if section == "metadata" && key == "name" && name.is_empty() {
            name = value;
        }
        if section != "data" && section != "stringData" {
            continue;
        }
        if *entry_indent.get_or_insert(indent) != indent {
            continue;
        }
        if value.starts_with(['|', '>']) {
            block_indent = Some(indent);
            continue;
        }
        let start = offset_in(text, raw.trim()) + q;
        entries.push((section, unquote(key).0, start, value));
    }
    if is_secret {
        for (section, key, start, value) in entries {
            out.extend(secret_entry(name, section, key, start, value));
        }
    }
}

/// Secret fields that are identifiers, not credentials.
const NOT_SECRET_KEYS: &[&str] = &[
    "username",
    "user",
    "host",
    "hostname",
    "port",
    "database",
    "db",
    "dbname",
    "email",
    "namespace",
    "region",
    "name",
    "endpoint",
    "uri",
    "url",
    "bucket",
    "ca.crt",
    "tls.crt",
];

fn secret_entry(name: &str, section: &str, key: &str, start: usize, value: &str) -> Option<Field> {
    let plain = if section == "data" {
        String::from_utf8(base64_decode(value.as_bytes())?).ok()?
    } else {
        value.to_string()
    };
    let plain = plain.trim();
    let lower = key.to_ascii_lowercase();
    let registry = lower == ".dockerconfigjson" || lower == ".dockercfg";
    let has_url_password = url_password(plain, 0).is_some();
    if plain.is_empty()
        || is_placeholder(plain.as_bytes()).is_some()
        || plain.starts_with("-----BEGIN CERTIFICATE")
        || (NOT_SECRET_KEYS.contains(&lower.as_str()) && !has_url_password)
    {
        return None;
    }
    if registry
        && serde_json::from_str::<Value>(plain).map_or(true, |v| {
            registry_fields(plain, &v, |_, _, _| String::new()).is_empty()
        })
    {
        return None;
    }
    let secret_like = [
        "pass", "pwd", "secret", "token", "key", "cred", "auth", "dockerc",
    ]
    .iter()
    .any(|p| lower.contains(p));
    Some(Field {
        start,
        end: start + value.len(),
        confidence: if secret_like || has_url_password {
            Confidence::High
        } else {
            Confidence::Medium
        },
        reason: format!("`{section}.{key}` of Kubernetes Secret `{name}`"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<'a>(text: &'a str, fields: &[Field]) -> Vec<&'a str> {
        fields.iter().map(|f| &text[f.start..f.end]).collect()
    }

    #[test]
    fn docker_auths_and_legacy_dockercfg() {
        // base64("ci:Zq81mmXpLw0") and base64("ci:changeme")
        let text = r#"{"auths": {"r.test": {"auth": "Y2k6WnE4MW1tWHBMdzA="},
            "p.test": {"auth": "Y2k6Y2hhbmdlbWU="}, "q.test": {"identitytoken": "tok-123"}},
            "credsStore": "desktop"}"#;
        assert_eq!(
            values(text, &docker_config(text)),
            vec!["Y2k6WnE4MW1tWHBMdzA=", "tok-123"]
        );
        let legacy = r#"{"r.test": {"auth": "Y2k6WnE4MW1tWHBMdzA=", "email": "a@b"}}"#;
        assert_eq!(docker_config(legacy).len(), 1);
    }

    #[test]
    fn kubernetes_yaml_secret_data_and_string_data() {
        // Manifest shape from the Kubernetes "Secrets" concept page.
        let text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  password: bm90LWEtc2VjcmV0\n---\n\
                    apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  \
                    username: YWRtaW4=\n  password: \"UzNjcjN0LVBhc3M=\"\n  ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n\
                    stringData:\n  api-token: tok_9f8e7d6c5b\n  config.yaml: |\n    a: b\n  empty: \"\"\n";
        let f = kubernetes_secret(text);
        assert_eq!(values(text, &f), vec!["UzNjcjN0LVBhc3M=", "tok_9f8e7d6c5b"]);
        assert!(
            f[0].reason
                .contains("`data.password` of Kubernetes Secret `db`")
        );
    }

    #[test]
    fn kubernetes_json_list() {
        let text = r#"{"kind": "List", "items": [{"kind": "Secret", "metadata": {"name": "s"},
            "stringData": {"token": "Zq81mmXpLw0Rt7u"}}]}"#;
        assert_eq!(
            values(text, &kubernetes_secret(text)),
            vec!["Zq81mmXpLw0Rt7u"]
        );
    }
}
