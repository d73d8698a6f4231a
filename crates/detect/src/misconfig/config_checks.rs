//! Checks on the image configuration: user, ENV/labels/history secrets,
//! base image pinning, history commands, exposed ports, HEALTHCHECK.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

use super::*;
use crate::textfield::scan_text_field;

/// Strips the legacy `/bin/sh -c #(nop) ` prefix of non-RUN history entries.
fn instruction(created_by: &str) -> &str {
    let t = created_by.trim_start();
    t.strip_prefix("/bin/sh -c #(nop)")
        .map_or(t, str::trim_start)
}

/// True for image references without a digest whose tag is missing or `latest`.
fn is_unpinned(reference: &str) -> bool {
    if reference.contains('@') {
        return false;
    }
    let last = reference.rsplit('/').next().unwrap_or(reference);
    match last.split_once(':') {
        Some((_, tag)) => tag == "latest",
        None => true,
    }
}

/// Checks on the image configuration alone.
pub fn check_config(facts: &ConfigFacts) -> Vec<Misconfig> {
    let mut out = Vec::new();

    let user = facts.user.as_deref().unwrap_or("").trim();
    let name = user.split(':').next().unwrap_or("");
    if name.is_empty() || name == "root" || name == "0" {
        let shown = if user.is_empty() { "(unset)" } else { user };
        out.push(hit(
            ROOT_USER,
            format!("config User is {shown}: the container runs as UID 0"),
            None,
            None,
        ));
    }

    for entry in &facts.env {
        let (k, v) = entry.split_once('=').unwrap_or((entry.as_str(), ""));
        for f in scan_text_field(&format!("ENV {k}"), Some(k), v) {
            out.push(from_secret(ENV_SECRET, &format!("ENV {k}"), &f));
        }
    }
    for (k, v) in &facts.labels {
        for f in scan_text_field(&format!("LABEL {k}"), Some(k), v) {
            out.push(from_secret(LABEL_SECRET, &format!("LABEL {k}"), &f));
        }
    }

    static FROM: OnceLock<Regex> = OnceLock::new();
    static COPY_FROM: OnceLock<Regex> = OnceLock::new();
    static ADD_URL: OnceLock<Regex> = OnceLock::new();
    static CHMOD: OnceLock<Regex> = OnceLock::new();
    let from_re = re(&FROM, r"(?i)^FROM\s+(?:--platform=\S+\s+)?(\S+)");
    let copy_from_re = re(&COPY_FROM, r"(?i)\b(?:COPY|ADD)\b.*?--from=(\S+)");
    let add_re = re(&ADD_URL, r"(?i)^ADD\b.*?\b(https?://\S+)");
    let chmod_re = re(
        &CHMOD,
        r"\bchmod\s+(?:-[A-Za-z-]+\s+)*(0?777|a\+rwx|ugo\+rwx|o\+w|a\+w)\s+(\S+)",
    );

    let env_set: BTreeSet<&str> = facts.env.iter().map(String::as_str).collect();
    for (i, h) in facts.history.iter().enumerate() {
        let ins = instruction(&h.created_by);
        let source = format!("history[{i}]");
        // `ENV` entries that are still in the final Env were reported as DD-CFG-002.
        let env_dup = ins.strip_prefix("ENV ").is_some_and(|rest| {
            rest.split_whitespace()
                .all(|kv| env_set.contains(kv) || !kv.contains('='))
                && rest.contains('=')
        });
        if let Some(cmd) = run_command(&h.created_by) {
            run_checks(&source, cmd, &mut out);
        }
        if !env_dup {
            for f in scan_text_field(&source, None, &h.created_by) {
                out.push(from_secret(HISTORY_SECRET, &source, &f));
            }
        }
        let mut refs = Vec::new();
        if let Some(c) = from_re.captures(ins).and_then(|c| c.get(1)) {
            refs.push(c.as_str());
        }
        if let Some(c) = copy_from_re.captures(ins).and_then(|c| c.get(1)) {
            let r = c.as_str();
            // Bare words are build-stage names; only image references can be unpinned.
            if r.contains('/') || r.contains(':') {
                refs.push(r);
            }
        }
        for r in refs.into_iter().filter(|r| is_unpinned(r)) {
            out.push(hit(
                UNPINNED_BASE,
                format!("{source}: image `{r}` has no version tag or uses `latest`, and no digest"),
                None,
                None,
            ));
        }
        if let Some(u) = add_re.captures(ins).and_then(|c| c.get(1)) {
            out.push(hit(
                ADD_REMOTE,
                format!("{source}: ADD fetches {}", u.as_str()),
                None,
                None,
            ));
        }
        for c in chmod_re.captures_iter(&h.created_by) {
            let (Some(m), Some(p)) = (c.get(1), c.get(2)) else {
                continue;
            };
            out.push(hit(
                CHMOD_777,
                format!("{source}: `chmod {}` on {}", m.as_str(), p.as_str()),
                Some(p.as_str().to_string()),
                None,
            ));
        }
    }
    for key in [
        "org.opencontainers.image.base.name",
        "org.opencontainers.image.base.ref.name",
    ] {
        if let Some(base) = facts.labels.get(key)
            && is_unpinned(base)
            && !facts
                .labels
                .contains_key("org.opencontainers.image.base.digest")
        {
            out.push(hit(
                UNPINNED_BASE,
                format!("label {key} = `{base}` has no version tag or uses `latest`"),
                None,
                None,
            ));
        }
    }

    path_entries(facts.search_path(), &mut out);

    for port in &facts.exposed_ports {
        let (num, proto) = port.split_once('/').unwrap_or((port.as_str(), "tcp"));
        if num == "22" && proto.eq_ignore_ascii_case("tcp") {
            out.push(hit(SSH_PORT, format!("port {port} is exposed"), None, None));
        }
    }

    let disabled = facts
        .healthcheck
        .as_ref()
        .is_some_and(|t| t.first().is_some_and(|s| s == "NONE"));
    if facts.healthcheck.as_ref().is_none_or(Vec::is_empty) || disabled {
        out.push(hit(
            NO_HEALTHCHECK,
            if disabled {
                "HEALTHCHECK is explicitly disabled (NONE)".to_string()
            } else {
                "the image config has no HEALTHCHECK".to_string()
            },
            None,
            None,
        ));
    }
    out
}

/// The shell command of a `RUN` history entry (legacy `/bin/sh -c cmd`,
/// BuildKit `RUN /bin/sh -c cmd # buildkit`, with or without `|N ARG=v`).
fn run_command(created_by: &str) -> Option<&str> {
    if created_by.contains("#(nop)") {
        return None;
    }
    let t = created_by.trim_start();
    match t.find(" -c ") {
        Some(i) if t.starts_with("RUN ") || t.starts_with('/') || t.starts_with('|') => {
            Some(t[i + 4..].trim_end_matches(" # buildkit"))
        }
        _ => t.strip_prefix("RUN "),
    }
}

/// Checks on one RUN command: a package index update or upgrade with no
/// install (CIS 4.7), a download piped into an interpreter (CIS 4.11).
fn run_checks(source: &str, cmd: &str, out: &mut Vec<Misconfig>) {
    static UPDATE: OnceLock<Regex> = OnceLock::new();
    static INSTALL: OnceLock<Regex> = OnceLock::new();
    static PIPE: OnceLock<Regex> = OnceLock::new();
    static URL: OnceLock<Regex> = OnceLock::new();
    let update = re(
        &UPDATE,
        r"\b(?:(?:apt-get|apt|aptitude)\s+(?:-\S+\s+)*(?:update|upgrade|dist-upgrade|full-upgrade)|(?:yum|dnf|microdnf|tdnf)\s+(?:-\S+\s+)*(?:update|upgrade|makecache)|apk\s+(?:-\S+\s+)*(?:update|upgrade)|zypper\s+(?:-\S+\s+)*(?:refresh|ref|update|up|dist-upgrade|dup))\b",
    );
    let install = re(
        &INSTALL,
        r"\b(?:(?:apt-get|apt|aptitude|yum|dnf|microdnf|tdnf)\s+(?:-\S+\s+)*install|apk\s+(?:-\S+\s+)*add|zypper\s+(?:-\S+\s+)*(?:install|in))\b",
    );
    let pipe = re(
        &PIPE,
        r#"\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:/usr)?(?:/bin/)?(?:(?:ba|z|da|k|a)?sh|python[0-9.]*|perl|ruby|node)\b|\b(?:ba|z)?sh\s+(?:-\S+\s+)*(?:<\(|["']?\$\()\s*(?:curl|wget)\b"#,
    );
    if let Some(m) = update.find(cmd)
        && !install.is_match(cmd)
    {
        out.push(hit(
            UPDATE_ALONE,
            format!(
                "{source}: `{}` without an install in the same RUN",
                m.as_str()
            ),
            None,
            None,
        ));
    }
    if let Some(m) = pipe.find(cmd) {
        // Only the URL's scheme, host and path: a query string may hold a token.
        let url = re(&URL, r"https?://[^\s'\x22?|;&)]+")
            .find(m.as_str())
            .map_or_else(
                || "a downloaded script".to_string(),
                |u| format!("`{}`", u.as_str()),
            );
        out.push(hit(
            PIPE_TO_SHELL,
            format!("{source}: {url} is piped into an interpreter without verification"),
            None,
            None,
        ));
    }
}

/// `PATH` entries that are relative (`.`, empty, `bin`): commands then
/// come from whatever directory the process runs in.
fn path_entries(search_path: &str, out: &mut Vec<Misconfig>) {
    for entry in search_path.split(':').filter(|e| !e.starts_with('/')) {
        let shown = if entry.is_empty() { "(empty)" } else { entry };
        out.push(hit(
            WRITABLE_PATH_DIR,
            format!(
                "PATH entry `{shown}` is relative: commands are looked up in the working directory"
            ),
            None,
            None,
        ));
    }
}
