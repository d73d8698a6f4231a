//! Image misconfiguration checks over the image config
//! ([`check_config`]) and the final filesystem's file metadata
//! ([`check_files`]), each mapped to the CIS Docker Benchmark v1.6 section 4
//! recommendation it implements, where there is one.

mod config_checks;
mod file_checks;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::config::Severity;
use crate::secrets::SecretFinding;
pub use drydock_model::Misconfig;

pub use config_checks::check_config;
pub use file_checks::{FileCheckOptions, check_files, private_key_misconfigs, wanted_files};

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

/// Docker's default `PATH` for images that set none.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

impl ConfigFacts {
    /// The image's `PATH` (from `Env`), or Docker's default; for
    /// [`FileCheckOptions::search_path`].
    pub fn search_path(&self) -> &str {
        self.env
            .iter()
            .find_map(|e| e.strip_prefix("PATH="))
            .unwrap_or(DEFAULT_PATH)
    }
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
    /// CIS Docker Benchmark v1.6 recommendation (section 4) the check
    /// implements, e.g. `4.1`; `None` when none corresponds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cis: Option<&'static str>,
    pub title: &'static str,
    pub severity: Severity,
    pub remediation: &'static str,
}

macro_rules! cis {
    (-) => {
        None
    };
    ($c:literal) => {
        Some($c)
    };
}

macro_rules! checks {
    ($($name:ident = $id:literal, $cis:tt, $sev:ident, $title:literal, $fix:literal;)*) => {
        $(const $name: CheckInfo = CheckInfo {
            id: $id, cis: cis!($cis), title: $title, severity: Severity::$sev, remediation: $fix,
        };)*
        /// Every check this module can report, for documentation and `--list-checks`.
        pub const ALL_CHECKS: &[CheckInfo] = &[$($name),*];
    };
}

checks! {
    ROOT_USER = "DD-CFG-001", "4.1", High, "Image runs as root",
        "Add a non-root user and set `USER <name>` (or a numeric UID) in the Dockerfile.";
    ENV_SECRET = "DD-CFG-002", "4.10", High, "Secret in ENV",
        "Do not bake secrets into ENV; inject them at run time (orchestrator secrets, mounted files).";
    LABEL_SECRET = "DD-CFG-003", "4.10", High, "Secret in image label",
        "Remove credentials from LABELs; labels are public metadata.";
    HISTORY_SECRET = "DD-CFG-004", "4.10", High, "Secret in build history",
        "Use BuildKit secret mounts (`RUN --mount=type=secret`) instead of ARG/ENV or inline credentials; history is visible to anyone who can pull the image.";
    UNPINNED_BASE = "DD-CFG-005", -, Medium, "Base image not pinned",
        "Reference base and `COPY --from` images by an explicit version tag and, ideally, a digest (`image:1.2@sha256:...`).";
    ADD_REMOTE = "DD-CFG-006", "4.9", Medium, "ADD with a remote URL",
        "Download with `RUN curl`/`wget` and verify a checksum, or use `ADD --checksum=`; prefer COPY for local files.";
    CHMOD_777 = "DD-CFG-007", -, Medium, "World-writable permissions set during build",
        "Grant only the permissions needed (e.g. `chmod 750` with a dedicated group) instead of 777.";
    SSH_PORT = "DD-CFG-008", -, Medium, "SSH port exposed",
        "Do not run an SSH server in containers; use `docker exec`/`kubectl exec` for access and remove `EXPOSE 22`.";
    NO_HEALTHCHECK = "DD-CFG-009", "4.6", Low, "No HEALTHCHECK defined",
        "Add a `HEALTHCHECK` instruction (or rely on orchestrator probes and document it).";
    PKG_CACHE = "DD-CFG-010", -, Low, "Package manager cache left in image",
        "Clean caches in the same RUN step (`apt-get clean && rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `pip install --no-cache-dir`, `npm cache clean --force`, `dnf clean all`).";
    SUDO = "DD-CFG-011", "4.3", Medium, "sudo installed",
        "Remove sudo; containers should drop privileges with USER, not escalate with sudo (use gosu/su-exec in entrypoints if needed).";
    SETUID = "DD-CFG-012", "4.8", Medium, "setuid/setgid binary added by the image",
        "Remove the setuid/setgid bit (`chmod u-s,g-s <file>`) unless the binary needs it.";
    WORLD_WRITABLE = "DD-CFG-013", -, Medium, "World-writable file in a system path",
        "Remove the world-writable bit (`chmod o-w <path>`).";
    SHADOW_EMPTY = "DD-CFG-014", -, High, "Account with empty password in /etc/shadow",
        "Lock the account (`passwd -l <user>` or set the field to `!`/`*`).";
    PASSWD_EMPTY = "DD-CFG-015", -, High, "Account with empty password in /etc/passwd",
        "Set the password field to `x` (shadowed) and lock the account in /etc/shadow.";
    DEFAULT_CREDS = "DD-CFG-016", -, High, "Default or missing credentials in service config",
        "Set a strong credential at deploy time (from a secret store) and never ship defaults in the image.";
    SSHD = "DD-CFG-017", "4.3", Medium, "SSH server installed",
        "Remove the OpenSSH server package from the image.";
    GIT_DIR = "DD-CFG-018", -, Medium, ".git directory in image",
        "Exclude `.git` with `.dockerignore`; it can leak source history and credentials.";
    PRIVATE_KEY = "DD-CFG-019", -, High, "Private key in image",
        "Do not ship private keys in images; mount them at run time from a secret store.";
    UPDATE_ALONE = "DD-CFG-020", "4.7", Low, "Package update without install in the same RUN",
        "Run `apt-get update` (`apk update`, `yum makecache`...) in the same RUN as the install it serves, e.g. `RUN apt-get update && apt-get install -y --no-install-recommends pkg`; a cached update layer installs stale packages later.";
    PIPE_TO_SHELL = "DD-CFG-021", "4.11", Medium, "Remote script piped to a shell during build",
        "Download the script or package, verify its checksum or signature, then run it; prefer the distribution's signed packages.";
    WRITABLE_PATH_DIR = "DD-CFG-022", -, Medium, "Writable directory in PATH",
        "Make PATH directories owned by root and not group/world-writable (`chown root:root <dir> && chmod 755 <dir>`), so no other user can plant commands.";
}

fn hit(info: CheckInfo, message: String, path: Option<String>, layer: Option<usize>) -> Misconfig {
    Misconfig {
        id: info.id.into(),
        cis: info.cis.map(Cow::Borrowed),
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

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| match Regex::new(pattern) {
        Ok(r) => r,
        // Patterns are literals in this module, exercised by the unit tests.
        Err(e) => panic!("invalid built-in pattern {pattern}: {e}"),
    })
}
