//! An OVAL 5 definitions file read into its parts, for the vendors that publish their
//! advisories that way (Oracle's ELSA, Microsoft's Azure Linux, VMware's Photon OS): each
//! `<definition>` with its metadata and the ids and comments of the `<criterion>`s its
//! `<criteria>` name; each `rpminfo_test`'s
//! object and state; each `rpminfo_object`'s package name; each `rpminfo_state`'s `evr` /
//! `version` comparisons. Tests, objects and states follow the definitions in a file, so
//! everything is read first and each vendor's reader resolves the references after.

use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::error::Result;
use crate::fetch::Location;

use super::parse::bad;
use super::xml;

/// One `<definition>` as written.
#[derive(Default)]
pub(super) struct Definition {
    pub id: String,
    pub class: String,
    pub title: Option<String>,
    pub severity: Option<String>,
    /// `<issued date>` (Oracle) or `<advisory_date>` text (Microsoft).
    pub issued: Option<String>,
    /// `<patchable>` text (Microsoft): `true`, `false`, `Not Applicable`.
    pub patchable: Option<String>,
    /// `<reference>`s: (source, ref_id, ref_url).
    pub references: Vec<(String, String, Option<String>)>,
    /// `<cve>` texts (Oracle lists the CVEs there as well).
    pub cves: Vec<String>,
    /// Test ids of every `<criterion>`, in order.
    pub tests: Vec<String>,
    /// `comment`s of every `<criterion>`, in order (VMware's files name the package and
    /// fixed EVR there and publish no tests).
    pub comments: Vec<String>,
    /// `<affected><platform>` texts (`Photon 5`).
    pub platforms: Vec<String>,
}

/// One comparison of an `rpminfo_state`: element (`evr`, `version`), operation, value.
pub(super) type Check = (String, String, String);

#[derive(Default)]
pub(super) struct Doc {
    pub defs: Vec<Definition>,
    /// test id -> (object id, state id)
    pub tests: HashMap<String, (String, Option<String>)>,
    /// object id -> package name
    pub objects: HashMap<String, String>,
    pub states: HashMap<String, Vec<Check>>,
}

impl Doc {
    /// The package name and state checks of test `t`; `of` names the definition in the
    /// error for a test or object the file lacks.
    pub(super) fn test(
        &self,
        t: &str,
        of: &str,
        what: &'static str,
        loc: &Location,
    ) -> Result<(&str, &[Check])> {
        let (obj, st) = self
            .tests
            .get(t)
            .ok_or_else(|| bad(what, loc, format!("{of}: no test {t}")))?;
        let name = self
            .objects
            .get(obj)
            .ok_or_else(|| bad(what, loc, format!("{of}: no object {obj}")))?;
        let checks = st.as_ref().and_then(|s| self.states.get(s));
        Ok((name, checks.map_or(&[][..], Vec::as_slice)))
    }
}

/// Which text element is being read.
#[derive(Clone, Copy)]
enum Text {
    Title,
    Severity,
    Cve,
    AdvisoryDate,
    Patchable,
    Platform,
    Name,
    /// A state's `evr` or `version`.
    Check,
}

/// Reads a whole OVAL file; `what` names the feed in errors. Malformed XML, a file cut
/// short and control characters in text are errors naming `loc`.
pub(super) fn read(input: impl BufRead, what: &'static str, loc: &Location) -> Result<Doc> {
    let err = |e: &dyn std::fmt::Display| bad(what, loc, e);
    let attr = |e: &quick_xml::events::BytesStart<'_>, k: &str| xml::attr(e, k, what, loc);
    let mut r = Reader::from_reader(input);
    let mut doc = Doc::default();
    let mut def: Option<Definition> = None;
    // Id of the test / object / state being read.
    let (mut test, mut object, mut state) = (None::<String>, None::<String>, None::<String>);
    let mut text_of: Option<Text> = None;
    // (element, operation) of the state check being read.
    let mut check = (String::new(), String::new());
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
                let local = e.local_name();
                let name = local.as_ref();
                let in_def = !empty && def.is_some();
                match name {
                    "definition" if !empty => {
                        def = Some(Definition {
                            id: attr(e, "id")?.unwrap_or_default(),
                            class: attr(e, "class")?.unwrap_or_default(),
                            ..Definition::default()
                        });
                    }
                    "title" if in_def => text_of = Some(Text::Title),
                    "severity" if in_def => text_of = Some(Text::Severity),
                    "cve" if in_def => text_of = Some(Text::Cve),
                    "advisory_date" if in_def => text_of = Some(Text::AdvisoryDate),
                    "patchable" if in_def => text_of = Some(Text::Patchable),
                    "platform" if in_def => text_of = Some(Text::Platform),
                    "reference" => {
                        if let (Some(d), Some(id)) = (def.as_mut(), attr(e, "ref_id")?) {
                            let source = attr(e, "source")?.unwrap_or_default();
                            d.references.push((source, id, attr(e, "ref_url")?));
                        }
                    }
                    "issued" => {
                        if let Some(d) = def.as_mut() {
                            d.issued = attr(e, "date")?;
                        }
                    }
                    "criterion" => {
                        if let Some(d) = def.as_mut() {
                            d.tests.extend(attr(e, "test_ref")?);
                            d.comments.extend(attr(e, "comment")?);
                        }
                    }
                    "rpminfo_test" if !empty => test = attr(e, "id")?,
                    "object" => {
                        if let (Some(t), Some(o)) = (&test, attr(e, "object_ref")?) {
                            doc.tests.insert(t.clone(), (o, None));
                        }
                    }
                    "state" => {
                        if let (Some(t), Some(s)) = (&test, attr(e, "state_ref")?)
                            && let Some(entry) = doc.tests.get_mut(t)
                        {
                            entry.1 = Some(s);
                        }
                    }
                    "rpminfo_object" if !empty => object = attr(e, "id")?,
                    "rpminfo_state" if !empty => state = attr(e, "id")?,
                    "name" if !empty && object.is_some() => text_of = Some(Text::Name),
                    "evr" | "version" if !empty && state.is_some() => {
                        let op = attr(e, "operation")?.unwrap_or_else(|| "equals".into());
                        check = (name.to_owned(), op);
                        text_of = Some(Text::Check);
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
                        return Err(err(&"control character in an element's text"));
                    }
                    doc.take_text(which, s, def.as_mut(), &object, &state, &mut check);
                }
                match e.local_name().as_ref() {
                    "definition" => doc.defs.extend(def.take()),
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
    Ok(doc)
}

impl Doc {
    /// Files the text `s` of a `which` element where it belongs.
    fn take_text(
        &mut self,
        which: Text,
        s: String,
        def: Option<&mut Definition>,
        object: &Option<String>,
        state: &Option<String>,
        check: &mut (String, String),
    ) {
        match (which, def) {
            (Text::Title, Some(d)) => d.title = Some(s),
            (Text::Severity, Some(d)) => d.severity = Some(s),
            (Text::Cve, Some(d)) => d.cves.push(s),
            (Text::AdvisoryDate, Some(d)) => d.issued = Some(s),
            (Text::Patchable, Some(d)) => d.patchable = Some(s),
            (Text::Platform, Some(d)) => d.platforms.push(s),
            (Text::Name, _) => {
                if let Some(o) = object {
                    self.objects.insert(o.clone(), s);
                }
            }
            (Text::Check, _) => {
                if let Some(st) = state {
                    let (elem, op) = std::mem::take(check);
                    self.states
                        .entry(st.clone())
                        .or_default()
                        .push((elem, op, s));
                }
            }
            _ => {}
        }
    }
}
