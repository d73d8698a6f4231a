//! Checks on the final filesystem: package caches, sudo/sshd, setuid,
//! world-writable files, writable PATH directories, `.git` directories, and
//! the content of account and service config files.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use super::*;

/// Options for [`check_files`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileCheckOptions<'a> {
    /// Layers below this index belong to the base image; setuid files there
    /// are the base image's business. 0 = judge all layers.
    pub base_layers: usize,
    /// Paths (no leading `/`) that OS packages own: a setuid file `passwd` or `mount`
    /// installed by the distribution is its design, not something the image added.
    pub package_owned: Option<&'a HashSet<String>>,
    /// The image's `PATH` ([`ConfigFacts::search_path`]); `None` = Docker's
    /// default [`DEFAULT_PATH`].
    pub search_path: Option<&'a str>,
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
pub fn check_files<F: std::borrow::Borrow<FileFact>>(
    files: impl Iterator<Item = F>,
    contents: &dyn Fn(&str) -> Option<Vec<u8>>,
    opts: FileCheckOptions<'_>,
) -> Vec<Misconfig> {
    let mut out = Vec::new();
    // label -> (files, bytes, first layer)
    let mut caches: BTreeMap<&'static str, (&'static str, usize, u64, usize)> = BTreeMap::new();
    let mut git_dirs: BTreeMap<String, usize> = BTreeMap::new();
    let search_path = opts.search_path.unwrap_or(DEFAULT_PATH);
    let path_dirs: Vec<&str> = search_path
        .split(':')
        .map(|d| d.trim_matches('/'))
        .filter(|d| !d.is_empty())
        .collect();
    // One fact at a time: a caller can stream a million-file view without a copy.
    for f in files {
        let f = f.borrow();
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
        if f.is_dir() && path_dirs.contains(&rel.trim_end_matches('/')) {
            writable_path_dir(f, &shown, &mut out);
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

/// A `PATH` directory someone other than root can add commands to (the
/// sticky bit does not stop new files).
fn writable_path_dir(f: &FileFact, shown: &str, out: &mut Vec<Misconfig>) {
    let mut why = Vec::new();
    if f.mode & 0o002 != 0 {
        why.push("world-writable".to_string());
    }
    if f.mode & 0o020 != 0 && f.gid != 0 {
        why.push(format!("writable by group {}", f.gid));
    }
    if f.uid != 0 {
        why.push(format!("owned by uid {}", f.uid));
    }
    if !why.is_empty() {
        out.push(hit(
            WRITABLE_PATH_DIR,
            format!(
                "{shown} is on PATH and {} (mode {:04o})",
                why.join(", "),
                f.mode & 0o7777
            ),
            Some(shown.to_string()),
            Some(f.layer_index),
        ));
    }
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
