//! Small quick-xml helpers the vendor XML feeds (ALAS, ELSA OVAL) share.

use quick_xml::XmlVersion;
use quick_xml::events::BytesStart;

use crate::error::Result;
use crate::fetch::Location;

use super::parse::bad;

/// The value of attribute `key`, normalised; `what` names the feed in errors.
pub(super) fn attr(
    e: &BytesStart<'_>,
    key: &str,
    what: &'static str,
    loc: &Location,
) -> Result<Option<String>> {
    for a in e.attributes() {
        let a = a.map_err(|x| bad(what, loc, x))?;
        if a.key.as_ref() == key {
            let v = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|x| bad(what, loc, x))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

/// The text of one of XML's five predefined entities (quick-xml reports entity
/// references apart from the text around them); others read as nothing.
pub(super) fn entity(name: &str) -> &'static str {
    match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    }
}
