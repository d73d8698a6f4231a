//! Image misconfiguration checks over the image config and the final
//! filesystem's file metadata.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::config::Severity;
use crate::secrets::SecretFinding;
use crate::textfield::scan_text_field;
pub use drydock_model::Misconfig;

/// The parts of an image config the checks look at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ConfigFacts {
    /// `config.User`; `None` or empty means root.
    pub user: Option<String>,
    /// `config.Env` entries, `NAME=value`.
    pub env: Vec<String>,
    pub labels: BTreeMap<String, String>,
    /// `config.ExposedPorts` keys, e.g. `22/tcp`.
    pub exposed_ports: Vec<String>,
    /// `config.Healthcheck.Test`; `None` if absent.
    pub healthcheck: Option<Vec<String>>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub created_by: String,
    pub empty_layer: bool,
}

/// One entry of the image's final (whiteouts applied) filesystem.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileFact {
    /// Path in the image, with or without a leading `/`.
    pub path: String,
    /// Full `st_mode`: file-type bits (`S_IFMT`) plus permissions.
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    /// Index of the layer the entry comes from (0 = base-most).
    pub layer_index: usize,
    pub link_target: Option<String>,
}

const S_IFMT: u32 = 0o170_000;
const S_IFDIR: u32 = 0o040_000;
const S_IFREG: u32 = 0o100_000;
const S_IFLNK: u32 = 0o120_000;

impl FileFact {
    fn rel(&self) -> &str {
        self.path.trim_start_matches("./").trim_start_matches('/')
    }
    fn is_symlink(&self) -> bool {
        self.mode & S_IFMT == S_IFLNK || self.link_target.is_some()
    }
    fn is_dir(&self) -> bool {
        self.mode & S_IFMT == S_IFDIR
    }
    /// Regular file; entries without type bits count as regular unless links.
    fn is_regular(&self) -> bool {
        let t = self.mode & S_IFMT;
        !self.is_symlink() && (t == S_IFREG || t == 0)
    }
}

/// Static description of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CheckInfo {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub remediation: &'static str,
}

macro_rules! checks {
    ($($name:ident = $id:literal, $sev:ident, $title:literal, $fix:literal;)*) => {
        $(const $name: CheckInfo = CheckInfo {
            id: $id, title: $title, severity: Severity::$sev, remediation: $fix,
        };)*
        /// Every check this module can report, for documentation and `--list-checks`.
        pub const ALL_CHECKS: &[CheckInfo] = &[$($name),*];
    };
}

checks! {
    ROOT_USER = "DD-CFG-001", High, "Image runs as root",
        "Add a non-root user and set `USER <name>` (or a numeric UID) in the Dockerfile.";
    ENV_SECRET = "DD-CFG-002", High, "Secret in ENV",
        "Do not bake secrets into ENV; inject them at run time (orchestrator secrets, mounted files).";
    LABEL_SECRET = "DD-CFG-003", High, "Secret in image label",
        "Remove credentials from LABELs; labels are public metadata.";
    HISTORY_SECRET = "DD-CFG-004", High, "Secret in build history",
        "Use BuildKit secret mounts (`RUN --mount=type=secret`) instead of ARG/ENV or inline credentials; history is visible to anyone who can pull the image.";
    UNPINNED_BASE = "DD-CFG-005", Medium, "Base image not pinned",
        "Reference base and `COPY --from` images by an explicit version tag and, ideally, a digest (`image:1.2@sha256:...`).";
    ADD_REMOTE = "DD-CFG-006", Medium, "ADD with a remote URL",
        "Download with `RUN curl`/`wget` and verify a checksum, or use `ADD --checksum=`; prefer COPY for local files.";
    CHMOD_777 = "DD-CFG-007", Medium, "World-writable permissions set during build",
        "Grant only the permissions needed (e.g. `chmod 750` with a dedicated group) instead of 777.";
    SSH_PORT = "DD-CFG-008", Medium, "SSH port exposed",
        "Do not run an SSH server in containers; use `docker exec`/`kubectl exec` for access and remove `EXPOSE 22`.";
    NO_HEALTHCHECK = "DD-CFG-009", Low, "No HEALTHCHECK defined",
        "Add a `HEALTHCHECK` instruction (or rely on orchestrator probes and document it).";
    PKG_CACHE = "DD-CFG-010", Low, "Package manager cache left in image",
        "Clean caches in the same RUN step (`apt-get clean && rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `pip install --no-cache-dir`, `npm cache clean --force`, `dnf clean all`).";
    SUDO = "DD-CFG-011", Medium, "sudo installed",
        "Remove sudo; containers should drop privileges with USER, not escalate with sudo (use gosu/su-exec in entrypoints if needed).";
    SETUID = "DD-CFG-012", Medium, "setuid/setgid binary added by the image",
        "Remove the setuid/setgid bit (`chmod u-s,g-s <file>`) unless the binary needs it.";
    WORLD_WRITABLE = "DD-CFG-013", Medium, "World-writable file in a system path",
        "Remove the world-writable bit (`chmod o-w <path>`).";
    SHADOW_EMPTY = "DD-CFG-014", High, "Account with empty password in /etc/shadow",
        "Lock the account (`passwd -l <user>` or set the field to `!`/`*`).";
    PASSWD_EMPTY = "DD-CFG-015", High, "Account with empty password in /etc/passwd",
        "Set the password field to `x` (shadowed) and lock the account in /etc/shadow.";
    DEFAULT_CREDS = "DD-CFG-016", High, "Default or missing credentials in service config",
        "Set a strong credential at deploy time (from a secret store) and never ship defaults in the image.";
    SSHD = "DD-CFG-017", Medium, "SSH server installed",
        "Remove the OpenSSH server package from the image.";
    GIT_DIR = "DD-CFG-018", Medium, ".git directory in image",
        "Exclude `.git` with `.dockerignore`; it can leak source history and credentials.";
    PRIVATE_KEY = "DD-CFG-019", High, "Private key in image",
        "Do not ship private keys in images; mount them at run time from a secret store.";
}

fn hit(info: CheckInfo, message: String, path: Option<String>, layer: Option<usize>) -> Misconfig {
    Misconfig {
        id: info.id.into(),
        title: info.title.into(),
        severity: info.severity,
        message,
        remediation: info.remediation.into(),
        path,
        layer_index: layer,
    }
}

fn from_secret(info: CheckInfo, what: &str, f: &SecretFinding) -> Misconfig {
    Misconfig {
        severity: f.severity.max(info.severity),
        ..hit(
            info,
            format!("{what}: {} ({}, value {})", f.title, f.rule_id, f.masked),
            None,
            None,
        )
    }
}

/// Strips the legacy `/bin/sh -c #(nop) ` prefix of non-RUN history entries.
fn instruction(created_by: &str) -> &str {
    let t = created_by.trim_start();
    t.strip_prefix("/bin/sh -c #(nop)")
        .map_or(t, str::trim_start)
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| match Regex::new(pattern) {
        Ok(r) => r,
        // Patterns are literals in this file, exercised by the unit tests.
        Err(e) => panic!("invalid built-in pattern {pattern}: {e}"),
    })
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

/// Options for [`check_files`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileCheckOptions<'a> {
    /// Layers below this index belong to the base image; setuid files there
    /// are the base image's business. 0 = judge all layers.
    pub base_layers: usize,
    /// Paths (no leading `/`) that OS packages own: a setuid file `passwd` or `mount`
    /// installed by the distribution is its design, not something the image added.
    pub package_owned: Option<&'a HashSet<String>>,
}

/// Files whose content [`check_files`] reads; the image walker should keep
/// these (they are small) and serve them through the `contents` callback.
pub fn wanted_files(path: &str) -> bool {
    let rel = path.trim_start_matches("./").trim_start_matches('/');
    let name = rel.rsplit('/').next().unwrap_or(rel);
    matches!(rel, "etc/shadow" | "etc/passwd")
        || name == "tomcat-users.xml"
        || name == "redis.conf"
        || name == "my.cnf"
        || name == ".my.cnf"
        || (rel.starts_with("etc/mysql/") && name.ends_with(".cnf"))
}

/// Package-manager cache locations: (label, path prefix, predicate on the rest).
type CacheRule = (&'static str, &'static str, fn(&str) -> bool);
const CACHES: &[CacheRule] = &[
    ("apt archives", "var/cache/apt/archives/", |r| {
        r.ends_with(".deb")
    }),
    ("apt lists", "var/lib/apt/lists/", |r| {
        !r.contains('/') && r != "lock"
    }),
    ("apk cache", "var/cache/apk/", |_| true),
    ("pip cache", "root/.cache/pip/", |_| true),
    ("npm cache", "root/.npm/_cacache/", |_| true),
    ("yum cache", "var/cache/yum/", |_| true),
    ("dnf cache", "var/cache/dnf/", |_| true),
];

/// Checks on the final filesystem. `contents(path)` returns the bytes of the
/// files for which [`wanted_files`] is true (path as given in `FileFact`).
pub fn check_files<'a>(
    files: impl Iterator<Item = &'a FileFact>,
    contents: &dyn Fn(&str) -> Option<Vec<u8>>,
    opts: FileCheckOptions<'_>,
) -> Vec<Misconfig> {
    let mut out = Vec::new();
    // label -> (files, bytes, first layer)
    let mut caches: BTreeMap<&'static str, (&'static str, usize, u64, usize)> = BTreeMap::new();
    let mut git_dirs: BTreeMap<String, usize> = BTreeMap::new();
    for f in files {
        let rel = f.rel();
        let shown = format!("/{rel}");
        if f.is_regular() && f.size > 0 {
            for &(label, prefix, pred) in CACHES {
                if let Some(rest) = rel.strip_prefix(prefix)
                    && pred(rest)
                {
                    let e = caches.entry(label).or_insert((prefix, 0, 0, f.layer_index));
                    e.1 += 1;
                    e.2 += f.size;
                    e.3 = e.3.min(f.layer_index);
                }
            }
        }
        if matches!(rel, "usr/bin/sudo" | "bin/sudo") {
            out.push(hit(
                SUDO,
                format!("{shown} exists"),
                Some(shown.clone()),
                Some(f.layer_index),
            ));
        }
        if matches!(rel, "usr/sbin/sshd" | "sbin/sshd") {
            out.push(hit(
                SSHD,
                format!("OpenSSH server binary {shown}"),
                Some(shown.clone()),
                Some(f.layer_index),
            ));
        }
        if f.is_regular()
            && f.mode & 0o6000 != 0
            && f.layer_index >= opts.base_layers
            && !opts.package_owned.is_some_and(|owned| owned.contains(rel))
        {
            let bits = match (f.mode & 0o4000 != 0, f.mode & 0o2000 != 0) {
                (true, true) => "setuid+setgid",
                (true, false) => "setuid",
                _ => "setgid",
            };
            out.push(hit(
                SETUID,
                format!(
                    "{shown} is {bits} (mode {:04o}, owner {}:{})",
                    f.mode & 0o7777,
                    f.uid,
                    f.gid
                ),
                Some(shown.clone()),
                Some(f.layer_index),
            ));
        }
        let system = ["etc/", "usr/", "bin/", "sbin/"]
            .iter()
            .any(|p| rel.starts_with(p))
            || rel
                .split('/')
                .next()
                .is_some_and(|top| top.starts_with("lib") && rel.contains('/'));
        let sticky_dir = f.is_dir() && f.mode & 0o1000 != 0;
        if system && f.mode & 0o002 != 0 && !f.is_symlink() && !sticky_dir {
            out.push(hit(
                WORLD_WRITABLE,
                format!("{shown} is world-writable (mode {:04o})", f.mode & 0o7777),
                Some(shown.clone()),
                Some(f.layer_index),
            ));
        }
        if let Some(idx) = rel.split('/').position(|c| c == ".git") {
            let root: Vec<&str> = rel.split('/').take(idx + 1).collect();
            git_dirs
                .entry(format!("/{}", root.join("/")))
                .or_insert(f.layer_index);
        }
        if wanted_files(rel)
            && f.is_regular()
            && let Some(data) = contents(&f.path)
        {
            let text = String::from_utf8_lossy(&data);
            check_content(rel, &shown, &text, f.layer_index, &mut out);
        }
    }
    for (label, (prefix, n, bytes, layer)) in caches {
        out.push(hit(
            PKG_CACHE,
            format!("{label}: {n} file(s), {bytes} bytes under /{prefix}"),
            Some(format!("/{prefix}")),
            Some(layer),
        ));
    }
    for (dir, layer) in git_dirs {
        out.push(hit(
            GIT_DIR,
            format!("{dir} is a git directory"),
            Some(dir),
            Some(layer),
        ));
    }
    out
}

fn check_content(rel: &str, shown: &str, text: &str, layer: usize, out: &mut Vec<Misconfig>) {
    let mut push = |info: CheckInfo, msg: String| {
        out.push(hit(info, msg, Some(shown.to_string()), Some(layer)));
    };
    match rel {
        "etc/shadow" => {
            for (user, pw) in text.lines().filter_map(|l| {
                let mut it = l.split(':');
                Some((it.next()?, it.next()?))
            }) {
                if pw.is_empty() && !user.is_empty() {
                    push(
                        SHADOW_EMPTY,
                        format!("user `{user}` has an empty password field in {shown}"),
                    );
                }
            }
        }
        "etc/passwd" => {
            for (user, pw) in text.lines().filter_map(|l| {
                let mut it = l.split(':');
                Some((it.next()?, it.next()?))
            }) {
                if pw.is_empty() && !user.is_empty() {
                    push(
                        PASSWD_EMPTY,
                        format!("user `{user}` has an empty password field in {shown}"),
                    );
                }
            }
        }
        _ if rel.ends_with("tomcat-users.xml") => {
            static USER: OnceLock<Regex> = OnceLock::new();
            static COMMENT: OnceLock<Regex> = OnceLock::new();
            let comment = re(&COMMENT, r"(?s)<!--.*?-->");
            let user = re(
                &USER,
                r#"(?s)<user\b[^>]*?\busername\s*=\s*"([^"]*)"[^>]*?\bpassword\s*=\s*"([^"]*)""#,
            );
            let live = comment.replace_all(text, "");
            for c in user.captures_iter(&live) {
                let (Some(u), Some(p)) = (c.get(1), c.get(2)) else {
                    continue;
                };
                let p = p.as_str();
                if p.is_empty()
                    || [
                        "tomcat", "admin", "s3cret", "password", "manager", "role1", "both",
                        "changeme", "secret",
                    ]
                    .contains(&p.to_ascii_lowercase().as_str())
                {
                    push(
                        DEFAULT_CREDS,
                        format!(
                            "Tomcat user `{}` has a default/empty password in {shown}",
                            u.as_str()
                        ),
                    );
                }
            }
        }
        _ if rel.ends_with("redis.conf") => {
            let pass = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.starts_with('#'))
                .find_map(|l| {
                    let mut it = l.split_whitespace();
                    (it.next() == Some("requirepass")).then(|| it.next().unwrap_or(""))
                });
            let msg = match pass.map(|p| p.trim_matches('"')) {
                None | Some("") => Some("Redis has no `requirepass` set"),
                Some("foobared") => Some("Redis uses the sample password `foobared`"),
                Some(_) => None,
            };
            if let Some(msg) = msg {
                push(DEFAULT_CREDS, format!("{msg} in {shown}"));
            }
        }
        _ => {
            // MySQL option files: `password` empty or a well-known default.
            for line in text.lines().map(str::trim) {
                if line.starts_with('#') || line.starts_with(';') {
                    continue;
                }
                let Some((k, v)) = line.split_once('=') else {
                    continue;
                };
                let k = k.trim().to_ascii_lowercase();
                let v = v.trim().trim_matches(['"', '\'']);
                if (k == "password" || k == "pass")
                    && (v.is_empty()
                        || ["root", "mysql", "password", "changeme", "admin"]
                            .contains(&v.to_ascii_lowercase().as_str()))
                {
                    let shown_v = if v.is_empty() { "empty" } else { "a default" };
                    push(
                        DEFAULT_CREDS,
                        format!("MySQL option file sets {shown_v} password in {shown}"),
                    );
                }
            }
        }
    }
}

/// Turns private-key secret findings (from the content scanner) into
/// DD-CFG-019 misconfigurations.
pub fn private_key_misconfigs(findings: &[SecretFinding]) -> Vec<Misconfig> {
    findings
        .iter()
        .filter(|f| matches!(f.rule_id.as_str(), "private-key" | "gcp-service-account"))
        .map(|f| {
            hit(
                PRIVATE_KEY,
                format!("{} at {}:{}", f.title, f.path, f.line),
                Some(f.path.clone()),
                None,
            )
        })
        .collect()
}
