//! Which OSV ecosystem a distribution release's advisories live in (application
//! kinds know theirs: [`drydock_model::PackageKind::osv_ecosystem`]).

use drydock_model::OsInfo;

/// The OSV ecosystem of a distribution release (`Debian:12`, `Ubuntu:22.04:LTS`,
/// `Alpine:v3.10`, `AlmaLinux:9`, `Rocky Linux:9`, `Wolfi`, `openSUSE:Leap 15.6`, ...,
/// and drydock's own where OSV has none: `Alpine:edge`, `Amazon Linux:2023`, ...);
/// `None` when OSV has no such feed or the version is not understood. Red Hat files
/// advisories per repository ([`red_hat`]), SUSE per product module ([`suse_enterprise`]).
pub fn os_ecosystem(os: &OsInfo) -> Option<String> {
    os_ecosystem_candidates(os).into_iter().next()
}

/// Every ecosystem name the release may be published under, most likely first. Ubuntu
/// LTS releases are `Ubuntu:22.04:LTS` in OSV but interim ones are plain `Ubuntu:23.10`;
/// the matcher takes the first one the database has. `Ubuntu:Pro:<release>:LTS` is added
/// only when the image enabled Ubuntu Pro's ESM ([`ubuntu_pro`]): its fixes need a
/// subscription an image cannot otherwise be assumed to have.
pub fn os_ecosystem_candidates(os: &OsInfo) -> Vec<String> {
    let v = os.version.trim();
    let major = v.split('.').next().filter(|m| is_digits(m));
    match os.family.as_str() {
        "debian" => major.map(|m| vec![format!("Debian:{m}")]),
        "ubuntu" => ubuntu(v, ubuntu_pro(os).is_some()),
        // Edge (`3.21.0_alpha20240923`) has no OSV ecosystem: drydock derives its own
        // from secdb's `edge/` files (covered only when the database has them).
        "alpine" if v == "edge" || v.contains("_alpha") => {
            Some(vec![drydock_vulndb::ALPINE_EDGE.to_owned()])
        }
        "alpine" => {
            let mut it = v.split('.');
            match (it.next(), it.next()) {
                (Some(a), Some(b)) if is_digits(a) && is_digits(b) => {
                    Some(vec![format!("Alpine:v{a}.{b}")])
                }
                _ => None,
            }
        }
        "almalinux" => major.map(|m| vec![format!("AlmaLinux:{m}")]),
        "rocky" => major.map(|m| vec![format!("Rocky Linux:{m}")]),
        // Rolling: one feed, no release axis.
        "wolfi" => Some(vec!["Wolfi".to_owned()]),
        "chainguard" => Some(vec!["Chainguard".to_owned()]),
        // By source rpm in OSV's records, by binary in SUSE's VEX product.
        "opensuse-tumbleweed" => Some(vec![format!(
            "openSUSE:Tumbleweed{COMPOSITE}{SUSE_VEX}:openSUSE Tumbleweed"
        )]),
        // Leap 15.x's unfixed rpms from SUSE's VEX files too ([`SUSE_VEX`]).
        "opensuse-leap" if !v.is_empty() => Some(vec![match v.strip_prefix("15.") {
            Some(minor) if is_digits(minor) => {
                format!("openSUSE:Leap {v}{COMPOSITE}{SUSE_VEX}:openSUSE Leap {v}")
            }
            _ => format!("openSUSE:Leap {v}"),
        }]),
        "sles" => {
            let mut e = suse_enterprise(os);
            e.extend(suse_vex(&e));
            (!e.is_empty()).then(|| vec![e.join(COMPOSITE)])
        }
        // SUSE Linux Micro 6.x (`sl-micro`), the renamed SLE Micro.
        "sl-micro" => {
            let mut it = v.split('.');
            match (it.next(), it.next(), it.next()) {
                (Some("6"), Some(b), None) if is_digits(b) => Some(vec![format!(
                    "SUSE:Linux Micro {v}{COMPOSITE}{SUSE_VEX}:Linux Micro {v}"
                )]),
                _ => None,
            }
        }
        // SLE Micro 5.x.
        "sle-micro" => {
            let mut it = v.split('.');
            match (it.next(), it.next(), it.next()) {
                (Some(a), Some(b), None) if a == "5" && is_digits(b) => Some(vec![format!(
                    "SUSE:Linux Enterprise Micro {v}{COMPOSITE}{SUSE_VEX}:Linux Enterprise Micro {v}"
                )]),
                _ => None,
            }
        }
        "photon" if !v.is_empty() => Some(vec![format!("Photon OS:{v}")]),
        "mageia" => major.map(|m| vec![format!("Mageia:{m}")]),
        // CBL-Mariner was renamed Azure Linux at 3.0; OSV keys both by major release.
        "mariner" | "azurelinux" => major.map(|m| vec![format!("Azure Linux:{m}")]),
        "openeuler" => openeuler(v, os.pretty_name.as_deref()),
        // Not in OSV: drydock builds it from Amazon's ALAS feed (`alas/` in the mirror).
        "amzn" if matches!(v, "2" | "2023") => Some(vec![format!("Amazon Linux:{v}")]),
        // From each Fedora release's `updateinfo.xml` (`fedora/`), by binary rpm.
        "fedora" => major.map(|m| vec![format!("Fedora:{m}")]),
        // From Bottlerocket's own `updateinfo.xml` (`bottlerocket/`): one feed, every release.
        "bottlerocket" => Some(vec!["Bottlerocket".to_owned()]),
        // Likewise from Oracle's ELSA OVAL feed (`oval/oracle/`), by major release.
        "ol" => major.map(|m| vec![format!("Oracle Linux:{m}")]),
        // CentOS Linux is matched against its RHEL release's records ([`centos_linux`]).
        "rhel" | "centos" if os.family == "rhel" || centos_linux(os) => {
            let mut e = red_hat(os).ecosystems;
            if !e.is_empty() {
                e.extend(red_hat_vex(&e));
            }
            (!e.is_empty()).then(|| vec![e.join(COMPOSITE)])
        }
        _ => None,
    }
    .unwrap_or_default()
}

/// Whether `os` is CentOS Linux 7 or 8 rather than CentOS Stream. CentOS Linux was rebuilt
/// from each RHEL release's sources (its rpms keep RHEL's `el7_9`, `el8_N` releases) and
/// publishes no advisories of its own, so, as other scanners do, it is matched against
/// RHEL's records of the same major release and default repositories (RHEL 7 Server for
/// CentOS 7, whose one edition is the rebuild of Server's sources). Stream runs ahead of
/// RHEL (RHEL's fixed versions say nothing about its builds), and CentOS Linux ended at 8.
pub(crate) fn centos_linux(os: &OsInfo) -> bool {
    let major = os.version.trim().split('.').next().unwrap_or_default();
    os.family == "centos"
        && os.variant.as_deref() != Some("stream")
        && !os
            .pretty_name
            .as_deref()
            .is_some_and(|p| p.contains("Stream"))
        && matches!(major, "7" | "8")
}

/// The warning of a CentOS Linux image matched as RHEL ([`centos_linux`]): whose records
/// those are, and, past its end of life, that RHEL's later fixed versions were never built
/// for CentOS Linux (so a finding's fix may only be had by moving off it).
pub(crate) fn centos_warning(os: &OsInfo) -> String {
    let major = os.version.trim().split('.').next().unwrap_or_default();
    let eol = match (os.eol, os.eol_date.as_deref()) {
        (Some(true), Some(d)) => format!(
            "; CentOS Linux {major} reached end of life on {d}: RHEL fixes released since were never built for it"
        ),
        (Some(true), None) => format!(
            "; CentOS Linux {major} reached end of life: RHEL fixes released since were never built for it"
        ),
        _ => String::new(),
    };
    format!(
        "centos {}: CentOS Linux publishes no advisories; OS packages matched against RHEL {major}'s for its default repositories ({}){eol}",
        os.version,
        red_hat(os).ecosystems.join(", ")
    )
}

/// Joins the ecosystems of one OS that are all searched (Red Hat's repositories, SUSE's
/// modules): a character no OSV ecosystem name contains.
pub(crate) const COMPOSITE: &str = "|";

/// Red Hat's ecosystems for an image: one per repository its packages came from.
pub(crate) struct RedHat {
    /// `Red Hat:enterprise_linux:9::baseos`, ... sorted.
    pub(crate) ecosystems: Vec<String>,
    /// Whether they came from the image's content manifests (else the release's defaults).
    pub(crate) from_manifest: bool,
    /// Content sets that name no repository advisories are filed under.
    pub(crate) unmapped: Vec<String>,
}

/// The `Red Hat:` ecosystems of a RHEL (or UBI) image. Red Hat's OSV records name the CPE
/// of the repository a fix ships in (`Red Hat:enterprise_linux:9::appstream`,
/// `Red Hat:rhel_eus:9.2::appstream`), and the image's content manifests name the
/// repositories it was built from (`rhel-9-for-x86_64-appstream-rpms`,
/// `ubi-9-for-x86_64-baseos-rpms`, `rhel-9-for-x86_64-appstream-eus-rpms__9_DOT_2`,
/// `codeready-builder-for-rhel-9-x86_64-rpms`). UBI repositories carry RHEL's packages, so
/// they map to RHEL's CPEs. Without a manifest, RHEL 8 and later are matched against their
/// default repositories, BaseOS and AppStream, and RHEL 7 (which has neither) against its
/// Server variant ([`red_hat_7_repository`]).
pub(crate) fn red_hat(os: &OsInfo) -> RedHat {
    let major = os.version.split('.').next().unwrap_or_default();
    let mut ecosystems = Vec::new();
    let mut unmapped = Vec::new();
    for set in &os.repositories {
        // Source and debuginfo repositories hold no installed binaries.
        if set.contains("-source-") || set.contains("-debug-") {
            continue;
        }
        match red_hat_repository(set) {
            Some(e) => ecosystems.push(e),
            None => unmapped.push(set.clone()),
        }
    }
    let from_manifest = !ecosystems.is_empty();
    if !from_manifest && is_digits(major) {
        match major.parse::<u32>() {
            Ok(7) => ecosystems = vec!["Red Hat:enterprise_linux:7::server".to_owned()],
            Ok(m) if m >= 8 => {
                ecosystems = ["appstream", "baseos"]
                    .iter()
                    .map(|r| format!("Red Hat:enterprise_linux:{major}::{r}"))
                    .collect();
            }
            _ => {}
        }
    }
    ecosystems.sort();
    ecosystems.dedup();
    RedHat {
        ecosystems,
        from_manifest,
        unmapped,
    }
}

/// The `Red Hat VEX:` ecosystems searched beside the repositories' (`repos`): Red Hat's VEX
/// files name unfixed components per product by CPE, older files at the major release
/// (`enterprise_linux:9`), newer ones per stream with RHEL as its AppStream variant only
/// (`enterprise_linux:9::appstream`, `rhel_eus:9.4`). So each repository's product, the
/// product's AppStream and the repository itself, and for an EUS stream its major release.
/// RHEL 7 has no AppStream: its files name `enterprise_linux:7` and the variant
/// (`enterprise_linux:7::server`), which are the product and the repository here.
fn red_hat_vex(repos: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for tail in repos.iter().filter_map(|r| r.strip_prefix("Red Hat:")) {
        let product = tail.split_once("::").map_or(tail, |(p, _)| p);
        if let Some(minor) = product.strip_prefix("rhel_eus:") {
            let major = minor.split('.').next().unwrap_or_default();
            out.push(format!("{VEX}:enterprise_linux:{major}"));
        }
        out.push(format!("{VEX}:{product}"));
        if product != "enterprise_linux:7" {
            out.push(format!("{VEX}:{product}::appstream"));
        }
        out.push(format!("{VEX}:{tail}"));
    }
    out.sort();
    out.dedup();
    out
}

/// The family of the ecosystems derived from Red Hat's VEX files (keyed by source rpm).
const VEX: &str = "Red Hat VEX";
/// The family of the ecosystems derived from SUSE's VEX files (keyed by binary rpm).
const SUSE_VEX: &str = "SUSE VEX";

/// Whether `eco` is one of the VEX families ([`VEX`], [`SUSE_VEX`]).
pub(crate) fn is_vex(eco: &str) -> bool {
    matches!(eco.split(':').next(), Some(VEX | SUSE_VEX))
}

/// The `SUSE VEX:` ecosystems searched beside a SLES image's `SUSE:` ones: SUSE's VEX
/// files name unfixed binary rpms per product, and drydock keeps, of SLES, only the
/// Server product's (`SUSE VEX:Linux Enterprise Server 15 SP3`), never its LTSS stream's
/// (nor does [`suse_enterprise`] name that). SLE Micro, SUSE Linux Micro and Leap images
/// search their one product's (`SUSE VEX:Linux Enterprise Micro 5.5`,
/// `SUSE VEX:Linux Micro 6.1`, `SUSE VEX:openSUSE Leap 15.4`), beside OSV's spelling of it.
fn suse_vex(ecosystems: &[String]) -> Vec<String> {
    ecosystems
        .iter()
        .filter_map(|e| e.strip_prefix("SUSE:Linux Enterprise Server "))
        .map(|release| format!("{SUSE_VEX}:Linux Enterprise Server {release}"))
        .collect()
}

/// One content set's ecosystem; `None` for repositories of other products.
fn red_hat_repository(set: &str) -> Option<String> {
    if let Some(e) = red_hat_7_repository(set) {
        return Some(e);
    }
    if let Some(rest) = set.strip_prefix("codeready-builder-for-rhel-") {
        let (n, _) = rest.split_once('-')?;
        return is_digits(n).then(|| format!("Red Hat:enterprise_linux:{n}::crb"));
    }
    let (set, minor) = match set.split_once("__") {
        Some((s, m)) => (s, Some(m)),
        None => (set, None),
    };
    let rest = set
        .strip_prefix("rhel-")
        .or_else(|| set.strip_prefix("ubi-"))?
        .strip_suffix("-rpms")?;
    let (n, rest) = rest.split_once('-')?;
    // `-for-<arch>-` is absent from the older UBI 8 names (`ubi-8-appstream-rpms`).
    let rest = match rest.strip_prefix("for-") {
        Some(r) => r.split_once('-')?.1,
        None => rest,
    };
    let (repo, eus) = match rest.strip_suffix("-eus") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    if !is_digits(n) || !matches!(repo, "baseos" | "appstream" | "supplementary") {
        return None;
    }
    if eus {
        // `9_DOT_2`: the minor release the EUS stream is for.
        let (m_major, m_minor) = minor?.split_once("_DOT_")?;
        return (m_major == n && is_digits(m_minor))
            .then(|| format!("Red Hat:rhel_eus:{n}.{m_minor}::{repo}"));
    }
    Some(format!("Red Hat:enterprise_linux:{n}::{repo}"))
}

/// A RHEL 7 content set's ecosystem. RHEL 7 has no BaseOS/AppStream split: each variant
/// is its own product with the CPE `cpe:/o:redhat:enterprise_linux:7::<variant>`, which
/// OSV's Red Hat ecosystem spells `Red Hat:enterprise_linux:7::<variant>`. Red Hat's
/// repository-to-CPE mapping (as Tenable's RHEL 7 plugins quote it) sends each variant's
/// base and Optional repositories to that CPE: `rhel-7-server-rpms` and
/// `rhel-7-server-optional-rpms` to `::server`, `rhel-7-workstation-*` to `::workstation`,
/// `rhel-7-desktop-*` to `::client`, `rhel-7-hpc-node-*` to `::computenode`. UBI 7 is built
/// from RHEL 7 Server (its `ubi.repo` names `ubi-7`, `ubi-7-server-optional-rpms`, and the
/// `ubi-7-server-{debug,source}-rpms` whose binary set is `ubi-7-server-rpms`). Extras
/// (`rhel-7-server-extras-rpms`) is left unmapped: that mapping sends the Supplementary
/// repositories, not Extras, to `rhel_extras:7`, so where Extras' fixes are filed is not
/// known here, and the image's report names it as unmapped.
fn red_hat_7_repository(set: &str) -> Option<String> {
    let variant = match set {
        "ubi-7" | "ubi-7-server-rpms" | "ubi-7-server-optional-rpms" => "server",
        _ => {
            let rest = set.strip_prefix("rhel-7-")?.strip_suffix("-rpms")?;
            match rest.strip_suffix("-optional").unwrap_or(rest) {
                "server" => "server",
                "workstation" => "workstation",
                "desktop" => "client",
                "hpc-node" => "computenode",
                _ => return None,
            }
        }
    };
    Some(format!("Red Hat:enterprise_linux:7::{variant}"))
}

/// The `SUSE:` ecosystems a SLES image's packages are filed under. SUSE files each fix under
/// the product that ships the package: on SLE 15 the base packages under the Basesystem
/// module (`SUSE:Linux Enterprise Module for Basesystem 15 SP5`), server packages under
/// Server Applications, a few under the Server product itself. os-release names none of
/// them, so the modules SLES images (and BCI) are built from are all searched. The `-LTSS`
/// streams are left out: their fixes need an LTSS subscription the image cannot be assumed
/// to have. SLE 12 has no Basesystem module (its base packages are the Server product's);
/// SLE 16 is a single product, `SUSE:Linux Enterprise Server 16.0` (the spelling seen in
/// another scanner's tests, not yet in a published SUSE record here).
pub(crate) fn suse_enterprise(os: &OsInfo) -> Vec<String> {
    let mut it = os.version.trim().split('.');
    let (Some(major), sp, None) = (it.next(), it.next().unwrap_or("0"), it.next()) else {
        return Vec::new();
    };
    if !is_digits(sp) || !matches!(major, "12" | "15" | "16") {
        return Vec::new();
    }
    // SLE 16 is one product with no modules; its minor releases are written `16.0`.
    if major == "16" {
        return vec![format!("SUSE:Linux Enterprise Server 16.{sp}")];
    }
    // `15` (GA) or `15 SP5`.
    let release = match sp.trim_start_matches('0') {
        "" => major.to_owned(),
        n => format!("{major} SP{n}"),
    };
    let products: &[&str] = if major == "15" {
        &[
            "Module for Basesystem",
            "Module for Server Applications",
            "Server",
        ]
    } else {
        &["Server"]
    };
    products
        .iter()
        .map(|p| format!("SUSE:Linux Enterprise {p} {release}"))
        .collect()
}

/// Whether an rpm ecosystem's records name source packages rather than binary ones
/// (SUSE `ecosystem_specific.binaries`, openEuler's `src` rpm, Mageia's and Azure Linux's
/// spec names, Red Hat's VEX files); AlmaLinux, Rocky Linux, Red Hat's advisories and
/// Photon OS list each binary package.
pub(crate) fn rpm_keyed_by_source(eco: &str) -> bool {
    matches!(
        eco.split(':').next(),
        Some("SUSE" | "openSUSE" | "Mageia" | "openEuler" | "Azure Linux" | VEX)
    )
}

/// Whether the parts of a composite ecosystem are keyed differently (Red Hat's
/// repositories by binary, its VEX ecosystems by source rpm; SUSE's modules by source,
/// its VEX ecosystems by binary rpm).
pub(crate) fn mixed_keys(eco: &str) -> bool {
    let mut parts = eco.split(COMPOSITE).map(rpm_keyed_by_source);
    let first = parts.next().unwrap_or_default();
    parts.any(|p| p != first)
}

fn ubuntu(v: &str, pro: bool) -> Option<Vec<String>> {
    let (yy, mm) = v.split_once('.')?;
    let mm = mm.get(..2)?;
    if !is_digits(yy) || !is_digits(mm) {
        return None;
    }
    let plain = format!("Ubuntu:{yy}.{mm}");
    // LTS releases are the April releases of even years.
    let lts = mm == "04" && yy.parse::<u32>().is_ok_and(|y| y % 2 == 0);
    Some(match (lts, pro) {
        (true, true) => vec![
            format!("{plain}:LTS{COMPOSITE}Ubuntu:Pro:{yy}.{mm}:LTS"),
            format!("{plain}:LTS"),
            plain,
        ],
        (true, false) => vec![format!("{plain}:LTS"), plain],
        (false, _) => vec![plain],
    })
}

/// The Ubuntu Pro services an Ubuntu image enabled (`esm-apps, esm-infra`), when any.
pub(crate) fn ubuntu_pro(os: &OsInfo) -> Option<String> {
    let enabled: Vec<&str> = os
        .repositories
        .iter()
        .map(String::as_str)
        .filter(|r| drydock_model::UBUNTU_ESM_SERVICES.contains(r))
        .collect();
    (os.family == "ubuntu" && !enabled.is_empty()).then(|| enabled.join(", "))
}

/// `openEuler:24.03-LTS-SP1`: the LTS/SP part is only in the name (`openEuler 24.03 (LTS-SP1)`).
fn openeuler(v: &str, pretty_name: Option<&str>) -> Option<Vec<String>> {
    if v.is_empty() {
        return None;
    }
    let stream = pretty_name
        .and_then(|p| p.split_once('(')?.1.split_once(')'))
        .map(|(s, _)| s.trim().replace(' ', "-"))
        .filter(|s| !s.is_empty());
    Some(match stream {
        Some(s) => vec![format!("openEuler:{v}-{s}"), format!("openEuler:{v}")],
        None => vec![format!("openEuler:{v}")],
    })
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
#[path = "ecosystem_tests.rs"]
mod tests;
