//! Hostile and broken files for every application analyzer: each must come back as an
//! `AnalyzeError` naming the file (or, where the bytes are simply not that kind of file,
//! as no packages), never as a panic. Inputs are run through every analyzer that wants
//! them, as the scanner would.

use drydock_inventory::{AnalyzeError, all_analyzers};
use std::io::{Cursor, Write};
use zip::write::{SimpleFileOptions, ZipWriter};

/// Every analyzer that wants `path` must fail on `content`, naming `path`.
fn all_fail(path: &str, content: &[u8], mode: u32) {
    let wanting: Vec<_> = all_analyzers()
        .into_iter()
        .filter(|a| a.wants(path, content.len() as u64, mode))
        .collect();
    assert!(!wanting.is_empty(), "nobody wants {path}");
    for a in wanting {
        let e: AnalyzeError = a
            .analyze(path, content)
            .err()
            .unwrap_or_else(|| panic!("{} accepted bad {path}", a.name()));
        assert_eq!(e.path, path, "{}", a.name());
    }
}

#[test]
fn malformed_lockfiles_and_metadata() {
    let cases: &[(&str, &[u8])] = &[
        // Truncated.
        (
            "app/package-lock.json",
            br#"{"lockfileVersion":3,"packages":{"node_modules/a":{"vers"#,
        ),
        (
            "app/yarn.lock",
            b"\"lodash@^4\":\n  version \"4.17.21\"\n\"trunc",
        ),
        (
            "app/Cargo.lock",
            b"[[package]]\nname = \"a\"\nversion = \"1",
        ),
        ("app/composer.lock", br#"{"packages":[{"name":"a/b","vers"#),
        ("app/pnpm-lock.yaml", b"packages:\n  /a/1.0.0:\n"),
        ("app/Pipfile.lock", br#"{"default":{"six":{"version":"==1"#),
        (
            "app/packages.lock.json",
            br#"{"version":1,"dependencies":{"net8.0":{"#,
        ),
        ("app/pom.xml", b"<project><dependencies><dependency>"),
        // Wrong types.
        ("app/package-lock.json", br#"{"packages":[1,2]}"#),
        ("app/package-lock.json", b"[]"),
        (
            "app/Cargo.lock",
            b"[[package]]\nname = \"a\"\nversion = 1\n",
        ),
        ("app/Cargo.lock", b"package = \"x\"\n"),
        ("app/composer.lock", b"42"),
        (
            "app/poetry.lock",
            b"[[package]]\nname = [\"x\"]\nversion = \"1\"\n",
        ),
        ("app/Pipfile.lock", br#"{"default":[1]}"#),
        (
            "app/packages.lock.json",
            br#"{"dependencies":{"net8.0":[]}}"#,
        ),
        (
            "app/gradle.lockfile",
            b"not-a-coordinate=compileClasspath\n",
        ),
        ("app/go.mod", b"require x v1\n"),
        // Invalid UTF-8.
        ("app/package-lock.json", b"{\"packages\":{\"\xff\":{}}}"),
        ("app/yarn.lock", b"a@1:\n  version \"\xff\"\n"),
        ("app/Cargo.lock", b"[[package]]\nname = \"\xff\"\n"),
        ("app/composer.lock", b"{\"packages\":[{\"name\":\"\xfe\"}]}"),
        ("app/uv.lock", b"[[package]]\nname = \"\xff\"\n"),
        ("app/requirements.txt", b"six==1.16.0\n\xff\xfe\n"),
        ("app/go.mod", b"module \xff\n"),
        ("app/gradle.lockfile", b"a:b:\xff=x\n"),
        ("app/pom.xml", b"<project>\xff</project>"),
        (
            "venv/lib/python3.11/site-packages/x-1.0.dist-info/METADATA",
            b"\xff\xfe\x00garbage",
        ),
        // Truncated METADATA: the header block ends before `Version`.
        (
            "venv/lib/python3.11/site-packages/x-1.0.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: x",
        ),
    ];
    for (path, content) in cases {
        all_fail(path, content, 0o644);
    }
}

fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in files {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn jar_bombs() {
    // Nesting past depth 3 is not opened: the innermost pom is not reported, and nothing fails.
    let pom = |a: &str| format!("groupId=g\nartifactId={a}\nversion=1\n");
    let mut jar = zip(&[("META-INF/maven/g/d5/pom.properties", pom("d5").as_bytes())]);
    for depth in (1..=4).rev() {
        jar = zip(&[
            ("lib/inner.jar", &jar),
            (
                &format!("META-INF/maven/g/d{depth}/pom.properties"),
                pom(&format!("d{depth}")).as_bytes(),
            ),
        ]);
    }
    let a = all_analyzers()
        .into_iter()
        .find(|a| a.name() == "jar")
        .unwrap();
    let names: Vec<String> = a
        .analyze("app/deep.jar", &jar)
        .unwrap()
        .packages
        .into_iter()
        .map(|p| p.name.to_string())
        .collect();
    assert_eq!(names, ["g:d1", "g:d2", "g:d3"]);

    // One manifest inflating past the 256 MiB cap (~260 KB deflated).
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("META-INF/MANIFEST.MF", SimpleFileOptions::default())
        .unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..257 {
        w.write_all(&chunk).unwrap();
    }
    let bomb = w.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    all_fail("app/bomb.jar", &bomb, 0o644);
    all_fail("app/garbage.war", b"PK\x03\x04\x14\x00garbage", 0o644);
}

#[test]
fn fake_go_buildinfo_with_garbage_lengths() {
    // ELF magic with a section table claimed past the end of the file (unreadable, so the
    // whole file is searched), then an aligned Go build-info header (inline-string flag)
    // whose first varint claims ~2^63 bytes.
    let mut f = b"\x7fELF\x02\x01\x01".to_vec();
    f.resize(64, 0);
    f[0x28..0x30].copy_from_slice(&u64::MAX.to_le_bytes());
    f[0x3C] = 3;
    f.extend_from_slice(b"\xff Go buildinf:");
    f.push(8);
    f.push(0x2);
    f.resize(96, 0);
    f.extend_from_slice(&[0xff; 9]);
    f.push(0x7f);
    f.resize(4096, b'x');
    let wanting: Vec<_> = all_analyzers()
        .into_iter()
        .filter(|a| a.wants("app/bin/fake", f.len() as u64, 0o755))
        .collect();
    let go = wanting.iter().find(|a| a.name() == "go-binary").unwrap();
    let e = go.analyze("app/bin/fake", &f).unwrap_err();
    assert_eq!(e.path, "app/bin/fake");
    // A length that fits but runs past the end, and a varint that never ends.
    f.truncate(96);
    f.extend_from_slice(&[0x80, 0x80, 0x04]);
    f.resize(4096, b'x');
    assert_eq!(
        go.analyze("app/bin/fake", &f).unwrap_err().path,
        "app/bin/fake"
    );
    f.truncate(96);
    f.resize(4096, 0x80);
    assert_eq!(
        go.analyze("app/bin/fake", &f).unwrap_err().path,
        "app/bin/fake"
    );
    // The other binary analyzers see no sections and find nothing; none panics.
    for a in &wanting {
        let _ = a.analyze("app/bin/fake", &f);
    }
}
