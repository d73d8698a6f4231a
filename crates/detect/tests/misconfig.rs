//! One test per image-configuration check, on hand-built facts (file checks:
//! `misconfig_files.rs`).

use std::collections::{BTreeMap, BTreeSet};

use drydock_detect::{
    ConfigFacts, FileCheckOptions, HistoryEntry, Misconfig, check_config, check_files,
};

#[path = "support/facts.rs"]
mod facts;
use facts::{DIR, fact};

/// Non-root, healthy config: no check should fire on it.
fn clean() -> ConfigFacts {
    ConfigFacts {
        user: Some("app".into()),
        env: vec!["PATH=/usr/bin:/bin".into(), "LANG=C.UTF-8".into()],
        labels: BTreeMap::from([("org.opencontainers.image.title".into(), "x".into())]),
        exposed_ports: vec!["8080/tcp".into()],
        healthcheck: Some(vec![
            "CMD".into(),
            "curl".into(),
            "-f".into(),
            "http://localhost/".into(),
        ]),
        history: vec![HistoryEntry {
            created_by: "/bin/sh -c #(nop) ADD file:0123abcd in / ".into(),
            empty_layer: false,
        }],
    }
}

fn ids(m: &[Misconfig]) -> BTreeSet<&str> {
    m.iter().map(|m| m.id.as_ref()).collect()
}

fn history(lines: &[&str]) -> ConfigFacts {
    let mut f = clean();
    f.history = lines
        .iter()
        .map(|l| HistoryEntry {
            created_by: l.to_string(),
            empty_layer: false,
        })
        .collect();
    f
}

#[test]
fn clean_config_has_no_findings() {
    assert_eq!(check_config(&clean()), vec![]);
}

#[test]
fn root_user_variants() {
    for user in [
        None,
        Some(""),
        Some("root"),
        Some("0"),
        Some("0:0"),
        Some("root:root"),
    ] {
        let mut f = clean();
        f.user = user.map(str::to_string);
        assert_eq!(
            ids(&check_config(&f)),
            BTreeSet::from(["DD-CFG-001"]),
            "{user:?}"
        );
    }
    for user in ["1000", "app:app", "65532", "nobody"] {
        let mut f = clean();
        f.user = Some(user.into());
        assert!(check_config(&f).is_empty(), "{user}");
    }
}

#[test]
fn secrets_in_env_and_labels() {
    let mut f = clean();
    f.env
        .push("DB_PASSWORD=drydock-fake-db-password-123".into());
    f.env
        .push("GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D".into());
    f.env.push("API_TOKEN=".into());
    f.labels.insert(
        "deploy.token".into(),
        "ghp_Zq3b7XyT1mN8pL4wK2vR9sD6fG0hJ5cB1aE7".into(),
    );
    let m = check_config(&f);
    assert_eq!(ids(&m), BTreeSet::from(["DD-CFG-002", "DD-CFG-003"]));
    let env: Vec<_> = m.iter().filter(|m| m.id == "DD-CFG-002").collect();
    assert_eq!(env.len(), 1);
    assert!(
        env[0].message.starts_with("ENV DB_PASSWORD"),
        "{}",
        env[0].message
    );
    let label = m
        .iter()
        .find(|m| m.id == "DD-CFG-003")
        .expect("label finding");
    // The specific rule wins over the name heuristic, and severity follows it.
    assert!(label.message.contains("github-pat"), "{}", label.message);
    assert_eq!(label.severity, drydock_detect::Severity::Critical);
}

#[test]
fn secrets_in_history() {
    let f = history(&[
        "RUN |1 NPM_TOKEN=q8Vt2LmX9pRz4KwB /bin/sh -c npm ci",
        "/bin/sh -c curl -u admin:S3cr3tPa55 https://repo.test/x -o /x",
        "ENV DB_PASSWORD=${DB_PASSWORD}",
    ]);
    let m = check_config(&f);
    let hist: Vec<_> = m.iter().filter(|m| m.id == "DD-CFG-004").collect();
    assert_eq!(hist.len(), 2, "{m:#?}");
    assert!(hist[0].message.starts_with("history[0]"));
    assert!(hist[1].message.starts_with("history[1]"));
}

#[test]
fn unpinned_base_images() {
    let f = history(&[
        "FROM debian:latest",
        "FROM alpine",
        "FROM debian:12.5",
        "FROM debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "COPY --from=builder /out /app",
        "COPY --from=ghcr.io/acme/tools /bin/tool /usr/bin/",
        "COPY --from=golang:1.22 /usr/local/go /go",
    ]);
    let msgs: Vec<_> = check_config(&f)
        .into_iter()
        .filter(|m| m.id == "DD-CFG-005")
        .map(|m| m.message)
        .collect();
    assert_eq!(msgs.len(), 3, "{msgs:#?}");
    assert!(msgs[0].contains("debian:latest"));
    assert!(msgs[1].contains("`alpine`"));
    assert!(msgs[2].contains("ghcr.io/acme/tools"));

    let mut f = clean();
    f.labels.insert(
        "org.opencontainers.image.base.name".into(),
        "docker.io/library/node:latest".into(),
    );
    assert_eq!(ids(&check_config(&f)), BTreeSet::from(["DD-CFG-005"]));
}

#[test]
fn add_remote_url() {
    let f = history(&[
        "ADD https://example.test/tool.tar.gz /opt/ # buildkit",
        "ADD app.tar.gz /srv/",
        "/bin/sh -c curl -fsSL https://example.test/x | sh",
    ]);
    let m: Vec<_> = check_config(&f)
        .into_iter()
        .filter(|m| m.id == "DD-CFG-006")
        .collect();
    assert_eq!(m.len(), 1);
    assert!(m[0].message.contains("https://example.test/tool.tar.gz"));
}

#[test]
fn chmod_777() {
    let f = history(&[
        "/bin/sh -c chmod -R 777 /app",
        "/bin/sh -c chmod 0777 /data && chmod 755 /bin/x",
        "/bin/sh -c chmod 775 /srv",
    ]);
    let paths: Vec<_> = check_config(&f)
        .into_iter()
        .filter(|m| m.id == "DD-CFG-007")
        .filter_map(|m| m.path)
        .collect();
    assert_eq!(paths, vec!["/app", "/data"]);
}

#[test]
fn ssh_port_and_healthcheck() {
    let mut f = clean();
    f.exposed_ports = vec!["22/tcp".into(), "2222/tcp".into()];
    assert_eq!(ids(&check_config(&f)), BTreeSet::from(["DD-CFG-008"]));
    let mut f = clean();
    f.healthcheck = None;
    assert_eq!(ids(&check_config(&f)), BTreeSet::from(["DD-CFG-009"]));
    f.healthcheck = Some(vec!["NONE".into()]);
    let m = check_config(&f);
    assert_eq!(ids(&m), BTreeSet::from(["DD-CFG-009"]));
    assert!(m[0].message.contains("disabled"));
}

#[test]
fn check_ids_are_unique_and_stable() {
    let all: Vec<_> = drydock_detect::ALL_CHECKS.iter().map(|c| c.id).collect();
    let expected: Vec<String> = (1..=22).map(|i| format!("DD-CFG-{i:03}")).collect();
    assert_eq!(all, expected);
}

/// CIS Docker Benchmark v1.6.0, section 4 ("Container Images and Build
/// File"): 4.1 user, 4.3 unnecessary packages, 4.6 HEALTHCHECK, 4.7 update
/// alone, 4.8 setuid/setgid, 4.9 COPY instead of ADD, 4.10 secrets, 4.11
/// verified packages.
#[test]
fn checks_carry_their_cis_ids() {
    let cis: BTreeMap<&str, &str> = drydock_detect::ALL_CHECKS
        .iter()
        .filter_map(|c| c.cis.map(|cis| (c.id, cis)))
        .collect();
    let expected = BTreeMap::from([
        ("DD-CFG-001", "4.1"),
        ("DD-CFG-002", "4.10"),
        ("DD-CFG-003", "4.10"),
        ("DD-CFG-004", "4.10"),
        ("DD-CFG-006", "4.9"),
        ("DD-CFG-009", "4.6"),
        ("DD-CFG-011", "4.3"),
        ("DD-CFG-012", "4.8"),
        ("DD-CFG-017", "4.3"),
        ("DD-CFG-020", "4.7"),
        ("DD-CFG-021", "4.11"),
    ]);
    assert_eq!(cis, expected);
    let mut f = clean();
    f.user = None;
    let m = check_config(&f);
    assert_eq!(m[0].cis.as_deref(), Some("4.1"));
    let json = serde_json::to_value(&m[0]).expect("json");
    assert_eq!(json["cis"], "4.1");
    assert_eq!(json["id"], "DD-CFG-001");
    // Checks without a CIS counterpart omit the field.
    let mut f = clean();
    f.exposed_ports = vec!["22/tcp".into()];
    let json = serde_json::to_value(&check_config(&f)[0]).expect("json");
    assert!(json.get("cis").is_none(), "{json}");
}

#[test]
fn update_without_install_in_one_run() {
    let f = history(&[
        "/bin/sh -c apt-get update",
        "RUN /bin/sh -c apt-get update && apt-get upgrade -y # buildkit",
        "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* # buildkit",
        "/bin/sh -c apk add --no-cache --update git",
        "|1 V=2 /bin/sh -c yum -y update",
        "/bin/sh -c #(nop)  LABEL note=apt-get update",
        "/bin/sh -c dnf install -y make && dnf clean all",
    ]);
    let msgs: Vec<_> = check_config(&f)
        .into_iter()
        .filter(|m| m.id == "DD-CFG-020")
        .map(|m| m.message)
        .collect();
    assert_eq!(msgs.len(), 3, "{msgs:#?}");
    assert!(
        msgs[0].starts_with("history[0]: `apt-get update`"),
        "{}",
        msgs[0]
    );
    assert!(msgs[1].starts_with("history[1]:"), "{}", msgs[1]);
    assert!(
        msgs[2].starts_with("history[4]: `yum -y update`"),
        "{}",
        msgs[2]
    );
}

#[test]
fn remote_scripts_piped_to_a_shell() {
    let f = history(&[
        "/bin/sh -c curl -fsSL https://get.example.test/install.sh?token=abc | sh",
        "RUN /bin/sh -c wget -qO- https://deb.example.test/setup | sudo -E bash - # buildkit",
        "/bin/sh -c sh -c \"$(curl -fsSL https://raw.example.test/x.sh)\"",
        "/bin/sh -c curl -fsSLo x.sh https://example.test/x.sh && sha256sum -c x.sha256 && sh x.sh",
        "/bin/sh -c curl https://pypi.example.test/get-pip.py | python3",
    ]);
    let msgs: Vec<_> = check_config(&f)
        .into_iter()
        .filter(|m| m.id == "DD-CFG-021")
        .map(|m| m.message)
        .collect();
    assert_eq!(msgs.len(), 4, "{msgs:#?}");
    assert!(
        msgs[0].contains("`https://get.example.test/install.sh`"),
        "{}",
        msgs[0]
    );
    assert!(!msgs[0].contains("token"), "{}", msgs[0]);
    assert!(msgs[3].starts_with("history[4]"), "{}", msgs[3]);
}

#[test]
fn writable_and_relative_path_directories() {
    let mut app_bin = fact("opt/app/bin", DIR | 0o755, 2);
    app_bin.uid = 1000;
    let mut shared = fact("usr/local/bin", DIR | 0o775, 2);
    shared.gid = 50;
    let list = [
        fact("usr/bin", DIR | 0o755, 0),
        shared,
        fact("usr/local/sbin/", DIR | 0o1777, 1),
        app_bin,
        fact("tmp", DIR | 0o1777, 0),
    ];
    let opts = FileCheckOptions {
        search_path: Some("/opt/app/bin:/usr/local/sbin:/usr/local/bin:/usr/bin"),
        ..FileCheckOptions::default()
    };
    let msgs: Vec<_> = check_files(list.iter(), &|_| None, opts)
        .into_iter()
        .filter(|m| m.id == "DD-CFG-022")
        .map(|m| m.message)
        .collect();
    assert_eq!(
        msgs,
        vec![
            "/usr/local/bin is on PATH and writable by group 50 (mode 0775)",
            "/usr/local/sbin/ is on PATH and world-writable (mode 1777)",
            "/opt/app/bin is on PATH and owned by uid 1000 (mode 0755)",
        ]
    );
    let mut f = clean();
    f.env = vec!["PATH=/usr/bin:.:/bin".into()];
    assert_eq!(ids(&check_config(&f)), BTreeSet::from(["DD-CFG-022"]));
    assert_eq!(clean().search_path(), "/usr/bin:/bin");
    assert_eq!(
        ConfigFacts::default().search_path(),
        drydock_detect::DEFAULT_PATH
    );
}
