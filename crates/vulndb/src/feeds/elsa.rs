//! Oracle Linux's ELSA advisories as Oracle publishes them in OVAL 5
//! (`com.oracle.elsa-all.xml`): one `<definition class="patch">` per ELSA whose
//! `<criteria>` name tests by id; each `rpminfo_test` points at an `rpminfo_object`
//! (the binary package name) and an `rpminfo_state` (`evr` "less than" the fixed
//! version, or the `oraclelinux-release` version matching `^N`, which gives the release),
//! read by [`super::oval`]. Signature-key and arch states are ignored: drydock matches by
//! name and version, as for ALAS.

use std::io::BufRead;

use crate::error::Result;
use crate::fetch::Location;

use super::AlasUpdate;
use super::oval;
use super::parse::bad;

const WHAT: &str = "Oracle ELSA";

/// Reads every patch definition of an ELSA OVAL file as one advisory per Oracle Linux
/// release (the `AlasUpdate` shape: id, severity, CVEs, fixed binary packages).
pub(crate) fn parse_oval(input: impl BufRead, loc: &Location) -> Result<Vec<AlasUpdate>> {
    resolve(oval::read(input, WHAT, loc)?, loc)
}

/// Each patch definition's tests by id: packages from the `evr` "less than" states, the
/// release from the `oraclelinux-release` `version` matching `^N`. A definition without
/// an ELSA id or a release is an error (the file is not Oracle's shape); one naming a
/// test that is not there, too.
fn resolve(doc: oval::Doc, loc: &Location) -> Result<Vec<AlasUpdate>> {
    let mut out = Vec::new();
    for d in doc.defs.iter().filter(|d| d.class == "patch") {
        let reference = |source: &'static str| {
            d.references
                .iter()
                .filter(move |r| r.0 == source)
                .map(|r| r.1.clone())
        };
        let id = reference("elsa")
            .next()
            .ok_or_else(|| bad(WHAT, loc, "a patch definition without an elsa reference"))?;
        let mut release = None;
        let mut packages = Vec::new();
        for t in &d.tests {
            let (name, checks) = doc.test(t, &id, WHAT, loc)?;
            for (elem, op, value) in checks {
                match (elem.as_str(), op.as_str()) {
                    ("evr", "less than") => {
                        let evr = if value.contains(':') {
                            value.clone()
                        } else {
                            format!("0:{value}")
                        };
                        packages.push((name.to_owned(), evr));
                    }
                    ("version", "pattern match") if name == "oraclelinux-release" => {
                        if let Some(n) = value.strip_prefix('^') {
                            release = Some(n.to_owned());
                        }
                    }
                    _ => {}
                }
            }
        }
        let release = release.ok_or_else(|| bad(WHAT, loc, format!("{id}: no release test")))?;
        let mut cves: Vec<String> = reference("CVE").chain(d.cves.iter().cloned()).collect();
        cves.sort();
        cves.dedup();
        packages.sort();
        packages.dedup();
        out.push(AlasUpdate {
            release,
            id,
            title: d.title.clone(),
            severity: d.severity.as_deref().map(str::to_lowercase),
            issued: d.issued.clone(),
            updated: None,
            cves,
            packages,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_or_unresolved_input_is_an_error_naming_the_file() {
        let loc = Location::parse("/m/oval/oracle/com.oracle.elsa-all.xml");
        let e = parse_oval(&b"<oval_definitions></wrong>"[..], &loc).expect_err("mismatched tag");
        assert!(e.to_string().contains("com.oracle.elsa-all.xml"), "{e}");
        let cut = parse_oval(&b"<oval_definitions><definitions>"[..], &loc).expect_err("cut short");
        assert!(cut.to_string().contains("ends inside"), "{cut}");
        // A criterion naming a test the file lacks.
        let e = parse_oval(
            &br#"<oval_definitions><definitions><definition class="patch" id="d"><metadata><reference source="elsa" ref_id="ELSA-2024-1"/></metadata><criteria><criterion test_ref="t1"/></criteria></definition></definitions></oval_definitions>"#[..],
            &loc,
        )
        .expect_err("no test");
        assert!(e.to_string().contains("ELSA-2024-1: no test t1"), "{e}");
    }
}
