//! One test per misconfiguration check, on hand-built facts.

use std::collections::{BTreeMap, BTreeSet};

use drydock_detect::{
    ConfigFacts, FileCheckOptions, FileFact, HistoryEntry, Misconfig, SecretScanner, check_config,
    check_files, private_key_misconfigs, wanted_files,
};

const REG: u32 = 0o100_000;
const DIR: u32 = 0o040_000;
const LNK: u32 = 0o120_000;

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

fn fact(path: &str, mode: u32, layer: usize) -> FileFact {
    FileFact {
        path: path.into(),
        mode,
        uid: 0,
        gid: 0,
        size: 100,
        layer_index: layer,
        link_target: None,
    }
}

fn files(list: &[FileFact]) -> Vec<Misconfig> {
    check_files(list.iter(), &|_| None, FileCheckOptions::default())
}

#[test]
fn package_caches() {
    let m = files(&[
        fact(
            "/var/cache/apt/archives/curl_7.88.1_amd64.deb",
            REG | 0o644,
            2,
        ),
        fact("/var/cache/apt/archives/lock", REG | 0o640, 2),
        fact(
            "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease",
            REG | 0o644,
            1,
        ),
        fact("/var/lib/apt/lists/lock", REG | 0o640, 1),
        fact("/var/cache/apk/APKINDEX.1234.tar.gz", REG | 0o644, 3),
        fact("/root/.cache/pip/http/a/b", REG | 0o600, 3),
        fact("/root/.npm/_cacache/index-v5/aa", REG | 0o644, 3),
        fact("/var/cache/dnf/repo.solv", REG | 0o644, 3),
        fact("/usr/share/doc/readme", REG | 0o644, 3),
    ]);
    let msgs: Vec<_> = m
        .iter()
        .filter(|m| m.id == "DD-CFG-010")
        .map(|m| m.message.as_str())
        .collect();
    assert_eq!(msgs.len(), 6, "{msgs:#?}");
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("apt archives: 1 file(s), 100 bytes"))
    );
    assert!(msgs.iter().any(|m| m.starts_with("apt lists: 1 file(s)")));
    // An empty /var/lib/apt/lists (only `lock`) is clean.
    assert!(files(&[fact("var/lib/apt/lists/lock", REG | 0o640, 0)]).is_empty());
}

#[test]
fn sudo_and_sshd() {
    let m = files(&[
        fact("usr/bin/sudo", REG | 0o4755, 1),
        fact("usr/sbin/sshd", REG | 0o755, 1),
    ]);
    // sudo is present (011) and, setuid in an image layer with no base layers, also an
    // added setuid binary (012); sshd is an SSH server (017). Nothing else.
    let got: BTreeSet<(&str, Option<&str>)> = m
        .iter()
        .map(|m| (m.id.as_ref(), m.path.as_deref()))
        .collect();
    assert_eq!(
        got,
        BTreeSet::from([
            ("DD-CFG-011", Some("/usr/bin/sudo")),
            ("DD-CFG-012", Some("/usr/bin/sudo")),
            ("DD-CFG-017", Some("/usr/sbin/sshd")),
        ])
    );
}

#[test]
fn setuid_only_in_own_layers() {
    let list = [
        fact("usr/bin/passwd", REG | 0o4755, 0),
        fact("usr/local/bin/helper", REG | 0o4755, 2),
        fact("usr/bin/wall", REG | 0o2755, 3),
        fact("usr/bin/plain", REG | 0o755, 3),
    ];
    let own = check_files(
        list.iter(),
        &|_| None,
        FileCheckOptions {
            base_layers: 1,
            ..FileCheckOptions::default()
        },
    );
    let paths: Vec<_> = own
        .iter()
        .filter(|m| m.id == "DD-CFG-012")
        .filter_map(|m| m.path.clone())
        .collect();
    assert_eq!(paths, vec!["/usr/local/bin/helper", "/usr/bin/wall"]);
    assert_eq!(
        files(&list).iter().filter(|m| m.id == "DD-CFG-012").count(),
        3
    );
}

#[test]
fn world_writable_in_system_paths() {
    let mut link = fact("usr/bin/vi", LNK | 0o777, 1);
    link.link_target = Some("vim".into());
    let m = files(&[
        fact("etc/app.conf", REG | 0o666, 1),
        fact("usr/lib/x86_64-linux-gnu/libfoo.so", REG | 0o757, 1),
        fact("lib64/ld.so", REG | 0o777, 1),
        link,
        fact("tmp", DIR | 0o1777, 0),
        fact("usr/local/share/ca", DIR | 0o1777, 0),
        fact("app/data.txt", REG | 0o666, 1),
        fact("etc/ok.conf", REG | 0o644, 1),
    ]);
    let paths: Vec<_> = m
        .iter()
        .filter(|m| m.id == "DD-CFG-013")
        .filter_map(|m| m.path.clone())
        .collect();
    assert_eq!(
        paths,
        vec![
            "/etc/app.conf",
            "/usr/lib/x86_64-linux-gnu/libfoo.so",
            "/lib64/ld.so"
        ]
    );
}

fn with_content(path: &str, content: &str) -> Vec<Misconfig> {
    let f = fact(path, REG | 0o644, 1);
    let text = content.to_string();
    let want = f.path.clone();
    check_files(
        std::iter::once(&f),
        &move |p| (p == want).then(|| text.clone().into_bytes()),
        FileCheckOptions::default(),
    )
}

#[test]
fn empty_passwords() {
    let m = with_content(
        "etc/shadow",
        "root:*:19000:0:99999:7:::\nguest::19000:0:99999:7:::\nbin:!:19000::::::\n",
    );
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].id, "DD-CFG-014");
    assert!(m[0].message.contains("`guest`"));
    let m = with_content(
        "etc/passwd",
        "root:x:0:0:root:/root:/bin/bash\nadmin::0:0::/:/bin/sh\n",
    );
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].id, "DD-CFG-015");
    assert!(m[0].message.contains("`admin`"));
}

#[test]
fn default_credentials() {
    let tomcat = r#"<tomcat-users>
<!-- <user username="admin" password="<must-be-changed>" roles="manager-gui"/> -->
  <user username="tomcat" password="tomcat" roles="manager-gui"/>
  <user username="ops" password="Xk9!pQ2#vL" roles="admin"/>
</tomcat-users>"#;
    let m = with_content("usr/local/tomcat/conf/tomcat-users.xml", tomcat);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert!(m[0].message.contains("`tomcat`"));

    // Redis: a commented-out `requirepass` means no authentication at all (redis.conf's
    // own comment); `foobared` is the sample password redis.conf ships.
    for (conf, why) in [
        (
            "# requirepass foobared\nport 6379\n",
            Some("no `requirepass`"),
        ),
        ("requirepass foobared\n", Some("sample password `foobared`")),
        ("requirepass 9f8e7d6c5b4a\n", None),
    ] {
        assert_default_creds(
            &with_content("etc/redis/redis.conf", conf),
            "/etc/redis/redis.conf",
            why,
            conf,
        );
    }
    for (conf, why) in [
        ("[client]\nuser=root\npassword=\n", Some("empty password")),
        ("[client]\npassword = root\n", Some("a default password")),
        ("[client]\npassword = Zr8!kq2LmW\n", None),
    ] {
        assert_default_creds(
            &with_content("etc/mysql/conf.d/client.cnf", conf),
            "/etc/mysql/conf.d/client.cnf",
            why,
            conf,
        );
    }
}

/// Exactly one DD-CFG-016 at `path` whose message says `why`, or nothing at all.
fn assert_default_creds(m: &[Misconfig], path: &str, why: Option<&str>, conf: &str) {
    match why {
        None => assert!(m.is_empty(), "{conf}: {m:#?}"),
        Some(why) => {
            assert_eq!(m.len(), 1, "{conf}: {m:#?}");
            assert_eq!(
                (m[0].id.as_ref(), m[0].path.as_deref()),
                ("DD-CFG-016", Some(path)),
                "{conf}"
            );
            assert!(m[0].message.contains(why), "{conf}: {}", m[0].message);
        }
    }
}

#[test]
fn wanted_files_covers_read_files() {
    for p in [
        "/etc/shadow",
        "etc/passwd",
        "/opt/tomcat/conf/tomcat-users.xml",
        "etc/redis/redis.conf",
        "etc/mysql/my.cnf",
        "root/.my.cnf",
    ] {
        assert!(wanted_files(p), "{p}");
    }
    for p in ["etc/hosts", "usr/bin/redis-server", "etc/shadow-"] {
        assert!(!wanted_files(p), "{p}");
    }
}

#[test]
fn git_directories_reported_once_per_repo() {
    let m = files(&[
        fact("app/.git", DIR | 0o755, 2),
        fact("app/.git/config", REG | 0o644, 2),
        fact("app/.git/objects/aa/bb", REG | 0o444, 2),
        fact("srv/lib/.git/HEAD", REG | 0o644, 3),
        fact("app/.gitignore", REG | 0o644, 2),
    ]);
    let paths: Vec<_> = m
        .iter()
        .filter(|m| m.id == "DD-CFG-018")
        .filter_map(|m| m.path.clone())
        .collect();
    assert_eq!(paths, vec!["/app/.git", "/srv/lib/.git"]);
}

#[test]
fn private_keys_from_secret_findings() {
    let scanner = SecretScanner::builtin().expect("rules");
    let key = format!(
        "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
    );
    let mut findings = scanner.scan("/root/.ssh/id_ed25519", key.as_bytes());
    findings.extend(scanner.scan(
        "/app/.env",
        b"GITHUB_TOKEN=ghp_Zq3b7XyT1mN8pL4wK2vR9sD6fG0hJ5cB1aE7\n",
    ));
    let m = private_key_misconfigs(&findings);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].id, "DD-CFG-019");
    assert_eq!(m[0].path.as_deref(), Some("/root/.ssh/id_ed25519"));
}

#[test]
fn check_ids_are_unique_and_stable() {
    let all: Vec<_> = drydock_detect::ALL_CHECKS.iter().map(|c| c.id).collect();
    let expected: Vec<String> = (1..=19).map(|i| format!("DD-CFG-{i:03}")).collect();
    assert_eq!(all, expected);
}
