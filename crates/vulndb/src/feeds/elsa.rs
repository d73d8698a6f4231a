//! Oracle Linux's ELSA advisories as Oracle publishes them in OVAL 5
//! (`com.oracle.elsa-all.xml`): one `<definition class="patch">` per ELSA whose
//! `<criteria>` name tests by id; each `rpminfo_test` points at an `rpminfo_object`
//! (the binary package name) and an `rpminfo_state` (`evr` "less than" the fixed
//! version, or the `oraclelinux-release` version matching `^N`, which gives the release).
//! Tests, objects and states follow the definitions in the file, so every element is
//! read first and the references resolved at the end. Signature-key and arch states
//! are ignored: drydock matches by name and version, as for ALAS.

use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::error::Result;
use crate::fetch::Location;

use super::AlasUpdate;
use super::parse::bad;
use super::xml;

const WHAT: &str = "Oracle ELSA";

#[derive(Default)]
struct Definition {
    id: String,
    title: Option<String>,
    severity: Option<String>,
    issued: Option<String>,
    cves: Vec<String>,
    tests: Vec<String>,
}

/// What an `rpminfo_state` requires.
enum State {
    /// `evr` less than this `epoch:version-release`.
    Before(String),
    /// `version` matching `^N` (the release package's).
    Release(String),
}

#[derive(Default)]
struct Doc {
    defs: Vec<Definition>,
    /// test id -> (object id, state id)
    tests: HashMap<String, (String, Option<String>)>,
    objects: HashMap<String, String>,
    states: HashMap<String, State>,
}

/// Reads every patch definition of an ELSA OVAL file as one advisory per Oracle Linux
/// release (the `AlasUpdate` shape: id, severity, CVEs, fixed binary packages).
pub(crate) fn parse_oval(input: impl BufRead, loc: &Location) -> Result<Vec<AlasUpdate>> {
    let err = |e: &dyn std::fmt::Display| bad(WHAT, loc, e);
    let mut r = Reader::from_reader(input);
    let mut doc = Doc::default();
    let mut def: Option<Definition> = None;
    // Id of the test / object / state being read.
    let (mut test, mut object, mut state) = (None::<String>, None::<String>, None::<String>);
    let mut text_of: Option<&'static str> = None;
    let mut text = String::new();
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        let ev = r.read_event_into(&mut buf).map_err(|e| err(&e))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                if !empty {
                    depth += 1;
                }
                let name = e.local_name();
                match name.as_ref() {
                    "definition" if !empty => {
                        def = (xml::attr(e, "class", WHAT, loc)?.as_deref() == Some("patch"))
                            .then(Definition::default);
                    }
                    "title" if !empty && def.is_some() => text_of = Some("title"),
                    "severity" if !empty && def.is_some() => text_of = Some("severity"),
                    "cve" if !empty && def.is_some() => text_of = Some("cve"),
                    "reference" => {
                        if let (Some(d), Some(id)) =
                            (def.as_mut(), xml::attr(e, "ref_id", WHAT, loc)?)
                        {
                            match xml::attr(e, "source", WHAT, loc)?.as_deref() {
                                Some("elsa") => d.id = id,
                                Some("CVE") => d.cves.push(id),
                                _ => {}
                            }
                        }
                    }
                    "issued" => {
                        if let Some(d) = def.as_mut() {
                            d.issued = xml::attr(e, "date", WHAT, loc)?;
                        }
                    }
                    "criterion" => {
                        if let (Some(d), Some(t)) =
                            (def.as_mut(), xml::attr(e, "test_ref", WHAT, loc)?)
                        {
                            d.tests.push(t);
                        }
                    }
                    "rpminfo_test" if !empty => test = xml::attr(e, "id", WHAT, loc)?,
                    "object" => {
                        if let (Some(t), Some(o)) = (&test, xml::attr(e, "object_ref", WHAT, loc)?)
                        {
                            doc.tests.insert(t.clone(), (o, None));
                        }
                    }
                    "state" => {
                        if let (Some(t), Some(s)) = (&test, xml::attr(e, "state_ref", WHAT, loc)?)
                            && let Some(entry) = doc.tests.get_mut(t)
                        {
                            entry.1 = Some(s);
                        }
                    }
                    "rpminfo_object" if !empty => object = xml::attr(e, "id", WHAT, loc)?,
                    "rpminfo_state" if !empty => state = xml::attr(e, "id", WHAT, loc)?,
                    "name" if !empty && object.is_some() => text_of = Some("name"),
                    "evr"
                        if !empty
                            && state.is_some()
                            && xml::attr(e, "operation", WHAT, loc)?.as_deref()
                                == Some("less than") =>
                    {
                        text_of = Some("evr");
                    }
                    "version"
                        if !empty
                            && state.is_some()
                            && xml::attr(e, "operation", WHAT, loc)?.as_deref()
                                == Some("pattern match") =>
                    {
                        text_of = Some("version");
                    }
                    _ => {}
                }
            }
            Event::Text(t) if text_of.is_some() => text.push_str(&t),
            Event::GeneralRef(g) if text_of.is_some() => text.push_str(xml::entity(&g)),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if let Some(which) = text_of.take() {
                    let s = std::mem::take(&mut text).trim().to_owned();
                    if s.chars().any(char::is_control) {
                        return Err(err(&format!("control character in <{which}>")));
                    }
                    match (which, def.as_mut()) {
                        ("title", Some(d)) => d.title = Some(s),
                        ("severity", Some(d)) => d.severity = Some(s.to_lowercase()),
                        ("cve", Some(d)) => d.cves.push(s),
                        ("name", _) => {
                            if let Some(o) = &object {
                                doc.objects.insert(o.clone(), s);
                            }
                        }
                        ("evr", _) => {
                            let evr = if s.contains(':') { s } else { format!("0:{s}") };
                            if let Some(st) = &state {
                                doc.states.insert(st.clone(), State::Before(evr));
                            }
                        }
                        ("version", _) => {
                            if let (Some(st), Some(n)) = (&state, s.strip_prefix('^')) {
                                doc.states.insert(st.clone(), State::Release(n.to_owned()));
                            }
                        }
                        _ => {}
                    }
                }
                match e.local_name().as_ref() {
                    "definition" => {
                        if let Some(d) = def.take() {
                            if d.id.is_empty() {
                                return Err(err(&"a patch definition without an elsa reference"));
                            }
                            doc.defs.push(d);
                        }
                    }
                    "rpminfo_test" => test = None,
                    "rpminfo_object" => object = None,
                    "rpminfo_state" => state = None,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if depth != 0 {
        return Err(err(&"the file ends inside an element"));
    }
    doc.resolve(loc)
}

impl Doc {
    /// Each definition's tests by id: packages from the `Before` states, the release
    /// from the `Release` one. A definition without a release is an error (the file is
    /// not Oracle's shape); one naming a test that is not there, too.
    fn resolve(self, loc: &Location) -> Result<Vec<AlasUpdate>> {
        let mut out = Vec::new();
        for d in self.defs {
            let mut release = None;
            let mut packages = Vec::new();
            for t in &d.tests {
                let (obj, st) = self
                    .tests
                    .get(t)
                    .ok_or_else(|| bad(WHAT, loc, format!("{}: no test {t}", d.id)))?;
                let name = self
                    .objects
                    .get(obj)
                    .ok_or_else(|| bad(WHAT, loc, format!("{}: no object {obj}", d.id)))?;
                match st.as_ref().and_then(|s| self.states.get(s)) {
                    Some(State::Before(evr)) => packages.push((name.clone(), evr.clone())),
                    Some(State::Release(n)) if name == "oraclelinux-release" => {
                        release = Some(n.clone());
                    }
                    _ => {}
                }
            }
            let release =
                release.ok_or_else(|| bad(WHAT, loc, format!("{}: no release test", d.id)))?;
            let (mut cves, mut packages) = (d.cves, packages);
            cves.sort();
            cves.dedup();
            packages.sort();
            packages.dedup();
            out.push(AlasUpdate {
                release,
                id: d.id,
                title: d.title,
                severity: d.severity,
                issued: d.issued,
                updated: None,
                cves,
                packages,
            });
        }
        Ok(out)
    }
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
