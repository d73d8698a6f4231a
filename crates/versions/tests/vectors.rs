//! Data-driven tests over vectors ported from each scheme's reference implementation.
//!
//! Vector files live in `tests/vectors/`, one case per line, fields separated by TABs:
//! `A<TAB>OP<TAB>B` where OP is `<`, `>`, `=`, `!=`, `<=`, `>=` or a negated `!<`, `!>`,
//! `!<=`, `!>=`; `A<TAB>=>\tB` asserts that `A`'s canonical form is `B`; `!<TAB>A` asserts
//! that `A` is rejected. `\n` and `\t` inside a field are escapes. `#` starts a comment line.

use std::cmp::Ordering;

use drydock_versions::{Scheme, Version, compare};

fn unescape(s: &str) -> String {
    s.replace("\\n", "\n").replace("\\t", "\t")
}

/// Runs every case of one vector file and returns how many were checked.
fn run(scheme: Scheme, name: &str, text: &str) -> usize {
    let mut failures = Vec::new();
    let mut count = 0;
    for (lineno, raw) in text.lines().enumerate() {
        if raw.starts_with('#') || raw.trim().is_empty() {
            continue;
        }
        count += 1;
        let fields: Vec<&str> = raw.split('\t').collect();
        let at = format!("{name}:{}", lineno + 1);
        match fields.as_slice() {
            ["!", v] => {
                let v = unescape(v);
                if let Ok(parsed) = Version::parse(scheme, &v) {
                    failures.push(format!(
                        "{at}: {v:?} should be rejected, parsed as {parsed:?}"
                    ));
                }
            }
            [a, "=>", b] => match Version::parse(scheme, &unescape(a)) {
                Ok(v) if v.canonical() == *b => {}
                Ok(v) => failures.push(format!(
                    "{at}: canonical({a:?}) = {:?}, want {b:?}",
                    v.canonical()
                )),
                Err(e) => failures.push(format!("{at}: {a:?} failed to parse: {e}")),
            },
            [a, op, b] => {
                let (a, b) = (unescape(a), unescape(b));
                let (ab, ba) = match (compare(scheme, &a, &b), compare(scheme, &b, &a)) {
                    (Ok(x), Ok(y)) => (x, y),
                    (Err(e), _) | (_, Err(e)) => {
                        failures.push(format!("{at}: {a:?} {op} {b:?}: {e}"));
                        continue;
                    }
                };
                let (negate, op_core) = match op.strip_prefix('!') {
                    Some(rest) if !rest.is_empty() && *op != "!=" => (true, rest),
                    _ => (false, *op),
                };
                let holds = match op_core {
                    "<" => ab == Ordering::Less,
                    ">" => ab == Ordering::Greater,
                    "=" => ab == Ordering::Equal,
                    "!=" => ab != Ordering::Equal,
                    "<=" => ab != Ordering::Greater,
                    ">=" => ab != Ordering::Less,
                    other => panic!("{at}: unknown operator {other:?}"),
                };
                if holds == negate {
                    failures.push(format!("{at}: expected {a:?} {op} {b:?}, got {ab:?}"));
                }
                if ba != ab.reverse() {
                    failures.push(format!(
                        "{at}: antisymmetry broken: {a:?} vs {b:?} = {ab:?}, reverse = {ba:?}"
                    ));
                }
            }
            _ => panic!("{at}: malformed vector line {raw:?}"),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} {name} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(count > 0, "{name} has no cases");
    count
}

macro_rules! vectors {
    ($($test:ident: $scheme:expr, $file:literal;)*) => {$(
        #[test]
        fn $test() {
            let n = run($scheme, $file, include_str!(concat!("vectors/", $file)));
            eprintln!("{}: {n} cases", $file);
        }
    )*};
}

vectors! {
    dpkg: Scheme::Dpkg, "dpkg.txt";
    apk: Scheme::Apk, "apk.txt";
    rpmvercmp: Scheme::Rpm, "rpmvercmp.txt";
    pep440: Scheme::Pep440, "pep440.txt";
    semver: Scheme::Semver, "semver.txt";
    npm: Scheme::Npm, "npm.txt";
    go: Scheme::Go, "go.txt";
    maven: Scheme::Maven, "maven.txt";
    rubygems: Scheme::RubyGems, "rubygems.txt";
    rubygems_osv: Scheme::RubyGems, "rubygems-osv.txt";
    nuget: Scheme::NuGet, "nuget.txt";
    composer: Scheme::Composer, "composer.txt";
    bitnami: Scheme::Bitnami, "bitnami.txt";
}
