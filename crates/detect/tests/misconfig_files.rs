//! One test per file-based misconfiguration check (modes, setuid, caches, credentials), on
//! hand-built file facts.

use std::collections::BTreeSet;

use drydock_detect::{
    FileCheckOptions, FileFact, Misconfig, SecretScanner, check_files, private_key_misconfigs,
    wanted_files,
};

#[path = "support/facts.rs"]
mod facts;
use facts::{DIR, LNK, REG, fact};

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
