//! Accepted findings: drydock's own ignore entries (reason and expiry mandatory) and
//! Trivy's `.trivyignore` / `.trivyignore.yaml`, read into one [`Ignore`] type.

use crate::date::Date;
use crate::pattern::Glob;
use crate::purl::Purl;
use drydock_model::{Finding, Misconfig, SecretReport};
use serde::Deserialize;

/// One accepted finding (or set of findings). Every given field must match.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "OwnIgnore")]
pub struct Ignore {
    /// Vulnerability id or alias, secret rule id, or misconfiguration check id.
    pub id: Option<String>,
    /// A package name glob, or a purl (without a version: every version).
    pub package: Option<String>,
    /// A glob over the finding's file (package DB, lockfile, secret or checked file).
    pub path: Option<String>,
    pub reason: String,
    /// The ignore applies before this date and stops applying on it.
    pub expires: Option<Date>,
    /// Only this section's findings (Trivy's YAML keeps one list per section).
    pub section: Option<Section>,
    /// The file it was read from, for the report.
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Vulnerabilities,
    Secrets,
    Misconfigurations,
}

/// drydock's YAML form: a reason and an expiry date are required, so nothing is
/// accepted forever without anyone saying why.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnIgnore {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    package: Option<String>,
    #[serde(default)]
    path: Option<String>,
    reason: String,
    expires: Date,
}

impl TryFrom<OwnIgnore> for Ignore {
    type Error = String;

    fn try_from(raw: OwnIgnore) -> Result<Ignore, String> {
        if raw.id.is_none() && raw.package.is_none() && raw.path.is_none() {
            return Err("an ignore needs an `id`, a `package` or a `path`".into());
        }
        if raw.reason.trim().is_empty() {
            return Err("an ignore's `reason` must not be empty".into());
        }
        Ok(Ignore {
            id: raw.id,
            package: raw.package,
            path: raw.path,
            reason: raw.reason,
            expires: Some(raw.expires),
            section: None,
            source: String::new(),
        })
    }
}

impl Ignore {
    /// Whether the ignore still applies on `today`.
    pub fn active_on(&self, today: Date) -> bool {
        self.expires.is_none_or(|e| today < e)
    }

    /// What it matches, for messages: `CVE-1 in openssl at usr/lib/**`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(id) = &self.id {
            parts.push(id.clone());
        }
        if let Some(p) = &self.package {
            parts.push(format!("package {p}"));
        }
        if let Some(p) = &self.path {
            parts.push(format!("path {p}"));
        }
        parts.join(" ")
    }
}

/// A `.trivyignore`: one id per line, optionally `exp:YYYY-MM-DD`; `#` comments. The
/// comment lines just above an entry are its reason.
pub fn parse_trivyignore(text: &str, source: &str) -> Result<Vec<Ignore>, String> {
    let mut out = Vec::new();
    let mut comment: Vec<&str> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(c) = line.strip_prefix('#') {
            comment.push(c.trim());
            continue;
        }
        if line.is_empty() {
            comment.clear();
            continue;
        }
        let mut fields = line.split_whitespace();
        let id = fields.next().unwrap_or_default().to_owned();
        let mut expires = None;
        for f in fields {
            if let Some(d) = f.strip_prefix("exp:") {
                expires = Some(
                    Date::parse(d)
                        .ok_or_else(|| format!("line {}: '{f}' is not exp:YYYY-MM-DD", n + 1))?,
                );
            } else if f.starts_with('#') {
                break;
            }
        }
        let reason = comment
            .iter()
            .copied()
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>();
        out.push(Ignore {
            id: Some(id),
            package: None,
            path: None,
            reason: if reason.is_empty() {
                format!("listed in {source}")
            } else {
                reason.join(" ")
            },
            expires,
            section: None,
            source: source.to_owned(),
        });
        comment.clear();
    }
    Ok(out)
}

/// The YAML ignore files drydock reads: its own (`ignores:`) or Trivy's
/// (`vulnerabilities:`, `misconfigurations:`, `secrets:`, `licenses:`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YamlFile {
    #[serde(default)]
    ignores: Vec<Ignore>,
    #[serde(default)]
    vulnerabilities: Vec<TrivyEntry>,
    #[serde(default)]
    misconfigurations: Vec<TrivyEntry>,
    #[serde(default)]
    secrets: Vec<TrivyEntry>,
    /// drydock reports no license findings: the section is accepted and has no effect.
    #[serde(default, rename = "licenses")]
    _licenses: serde::de::IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrivyEntry {
    id: String,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    purls: Vec<String>,
    #[serde(default)]
    expired_at: Option<Date>,
    #[serde(default)]
    statement: Option<String>,
}

pub fn parse_yaml(text: &str, source: &str) -> Result<Vec<Ignore>, String> {
    let file: YamlFile = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    let mut out = file.ignores;
    for (section, entries) in [
        (Section::Vulnerabilities, file.vulnerabilities),
        (Section::Misconfigurations, file.misconfigurations),
        (Section::Secrets, file.secrets),
    ] {
        for e in entries {
            let base = Ignore {
                id: Some(e.id),
                package: None,
                path: None,
                reason: e.statement.unwrap_or_else(|| format!("listed in {source}")),
                expires: e.expired_at,
                section: Some(section),
                source: String::new(),
            };
            // Trivy matches an entry when any of its paths (or purls) does.
            let narrowed: Vec<Ignore> = e
                .paths
                .iter()
                .map(|p| Ignore {
                    path: Some(p.clone()),
                    ..base.clone()
                })
                .chain(e.purls.iter().map(|p| Ignore {
                    package: Some(p.clone()),
                    ..base.clone()
                }))
                .collect();
            if narrowed.is_empty() {
                out.push(base);
            } else {
                out.extend(narrowed);
            }
        }
    }
    for i in &mut out {
        i.source = source.to_owned();
    }
    Ok(out)
}

/// An ignore with its patterns compiled once per evaluation.
pub(crate) struct Compiled<'a> {
    pub(crate) ignore: &'a Ignore,
    /// `None`: no path condition. A glob that does not compile (load rejects those)
    /// would match nothing.
    path: Option<Option<Glob>>,
    package: Option<PackagePattern>,
}

enum PackagePattern {
    Purl(Purl),
    Name(Option<Glob>),
}

impl<'a> Compiled<'a> {
    pub(crate) fn new(ignore: &'a Ignore) -> Compiled<'a> {
        Compiled {
            ignore,
            path: ignore
                .path
                .as_deref()
                .map(|p| Glob::new(clean_path(p), false)),
            package: ignore.package.as_deref().map(|p| match Purl::parse(p) {
                Some(purl) => PackagePattern::Purl(purl),
                None => PackagePattern::Name(Glob::new(p, false)),
            }),
        }
    }

    fn id_matches<'i>(&self, mut ids: impl Iterator<Item = &'i str>) -> bool {
        self.ignore
            .id
            .as_deref()
            .is_none_or(|want| ids.any(|id| id.eq_ignore_ascii_case(want)))
    }

    fn path_matches(&self, path: Option<&str>) -> bool {
        match (&self.path, path) {
            (None, _) => true,
            (Some(g), Some(p)) => g.as_ref().is_some_and(|g| g.is_match(clean_path(p))),
            (Some(_), None) => false,
        }
    }

    fn in_section(&self, section: Section) -> bool {
        self.ignore.section.is_none_or(|s| s == section)
    }

    pub(crate) fn vulnerability(&self, f: &Finding, purl: Option<&Purl>) -> bool {
        let ids = std::iter::once(f.id.as_str())
            .chain(f.aliases.iter().map(String::as_str))
            .chain(f.advisory_ids.iter().map(String::as_str));
        self.in_section(Section::Vulnerabilities)
            && self.id_matches(ids)
            && self.path_matches(Some(&f.location))
            && match &self.package {
                None => true,
                Some(PackagePattern::Name(g)) => g.as_ref().is_some_and(|g| g.is_match(&f.package)),
                Some(PackagePattern::Purl(want)) => purl.is_some_and(|p| want.names(p)),
            }
    }

    pub(crate) fn secret(&self, s: &SecretReport) -> bool {
        self.in_section(Section::Secrets)
            && self.package.is_none()
            && self.id_matches(std::iter::once(s.finding.rule_id.as_str()))
            && self.path_matches(Some(&s.finding.path))
    }

    pub(crate) fn misconfig(&self, m: &Misconfig) -> bool {
        self.in_section(Section::Misconfigurations)
            && self.package.is_none()
            && self.id_matches(std::iter::once(m.id.as_ref()))
            && self.path_matches(m.path.as_deref())
    }
}

/// Image paths are written with or without a leading `/` or `./`.
fn clean_path(p: &str) -> &str {
    let p = p.trim_start_matches('/');
    p.strip_prefix("./").unwrap_or(p)
}

/// Patterns that do not compile, named for a load error.
pub(crate) fn invalid_globs(ignores: &[Ignore]) -> Option<String> {
    ignores.iter().find_map(|i| {
        let bad_path = i
            .path
            .as_deref()
            .filter(|p| Glob::new(clean_path(p), false).is_none());
        let bad_name = i
            .package
            .as_deref()
            .filter(|p| Purl::parse(p).is_none() && Glob::new(p, false).is_none());
        bad_path
            .or(bad_name)
            .map(|p| format!("ignore '{}': invalid pattern '{p}'", i.describe()))
    })
}
