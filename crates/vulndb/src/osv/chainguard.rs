//! Chainguard's reason for an unfixed Wolfi / Chainguard package.
//!
//! Chainguard's OSV feed (one `CGA-*` record per vulnerable component, for both the
//! `Wolfi` and `Chainguard` ecosystems) marks an unresolved advisory only by a range with
//! no `fixed` event; *why* there is no fix is in
//! `affected[].ecosystem_specific.components[].latest_event_status`, the type of the
//! advisory's latest event in Chainguard's advisory schema (github:chainguard-dev/
//! advisory-schema, `pkg/advisory/v2`), written with underscores. The field's shape is the
//! one two independent consumers of the feed declare (Trivy's vuln-list-update and
//! NeuVector's vul-dbgen); no real record was reachable here.

use serde_json::Value;

/// The model `Status` name (`will_not_fix`) the components of one affected entry agree
/// on, or `None`: for ecosystems other than Wolfi / Chainguard, for statuses that say no
/// more than the range already does, and when components disagree (the plain `affected`
/// of a range with no fix is then the only claim the data supports).
pub(super) fn vendor_status(ecosystem: &str, specific: Option<&Value>) -> Option<String> {
    if !matches!(ecosystem, "Wolfi" | "Chainguard") {
        return None;
    }
    let components = specific?.get("components")?.as_array()?;
    let mut statuses = components.iter().map(|c| {
        c.get("latest_event_status")
            .and_then(Value::as_str)
            .and_then(model_status)
    });
    let first = statuses.next()??;
    statuses.all(|s| s == Some(first)).then(|| first.to_owned())
}

/// Maps Chainguard's event types onto the model's statuses, by the schema's own
/// definitions:
/// - `pending_upstream_fix`: "expected to remain unfixed until the maintainers of the
///   package's upstream project implement a fix", explicitly "distinct from
///   FixNotPlanned" — a fix is expected later: `fix_deferred`.
/// - `fix_not_planned`: "expected not to receive a fix": `will_not_fix`.
/// - `detection`: a scanner matched it and nobody has triaged it yet, so whether the
///   package is affected is not determined: `under_investigation`.
///
/// No status for the rest: `true_positive_determination` without a fix is exactly the
/// plain `affected` of the range; `analysis_not_planned` ("not expected to be analyzed
/// further") is neither a determination nor a decision about fixing, so neither
/// `under_investigation` (which promises one) nor `will_not_fix` (which claims one) would
/// be Chainguard's word; `fixed` and `false_positive_determination` are carried by the
/// range (a `fixed` version, or `fixed: "0"` for a false positive, which no version is
/// below).
fn model_status(event_type: &str) -> Option<&'static str> {
    match event_type {
        "pending_upstream_fix" => Some("fix_deferred"),
        "fix_not_planned" => Some("will_not_fix"),
        "detection" => Some("under_investigation"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn status(ecosystem: &str, specific: Value) -> Option<String> {
        vendor_status(ecosystem, Some(&specific))
    }

    fn one(s: &str) -> Value {
        json!({"components":[{"id":"c1","architecture":"x86_64","latest_event_status":s}]})
    }

    #[test]
    fn each_event_type_maps_by_the_schema_definitions() {
        let got: Vec<_> = [
            "pending_upstream_fix",
            "fix_not_planned",
            "detection",
            "true_positive_determination",
            "analysis_not_planned",
            "fixed",
            "false_positive_determination",
            "something_new",
        ]
        .iter()
        .map(|s| status("Wolfi", one(s)))
        .collect();
        let want = [
            Some("fix_deferred"),
            Some("will_not_fix"),
            Some("under_investigation"),
            None,
            None,
            None,
            None,
            None,
        ];
        assert_eq!(got, want.map(|s| s.map(str::to_owned)));
        assert_eq!(
            status("Chainguard", one("fix_not_planned")).as_deref(),
            Some("will_not_fix")
        );
    }

    /// The same field name in another ecosystem's record is not Chainguard's word.
    #[test]
    fn other_ecosystems_and_missing_fields_give_none() {
        assert_eq!(status("Alpine:v3.20", one("fix_not_planned")), None);
        assert_eq!(vendor_status("Wolfi", None), None);
        assert_eq!(status("Wolfi", json!({"components":[]})), None);
        assert_eq!(status("Wolfi", json!({"components":"x"})), None);
        assert_eq!(status("Wolfi", json!({"components":[{"id":"c"}]})), None);
        assert_eq!(
            status("Wolfi", json!({"components":[{"latest_event_status":7}]})),
            None
        );
    }

    #[test]
    fn components_must_agree() {
        let agree = json!({"components":[
            {"latest_event_status":"fix_not_planned"},{"latest_event_status":"fix_not_planned"}]});
        assert_eq!(status("Wolfi", agree).as_deref(), Some("will_not_fix"));
        let differ = json!({"components":[
            {"latest_event_status":"fix_not_planned"},{"latest_event_status":"detection"}]});
        assert_eq!(status("Wolfi", differ), None);
        let unmapped = json!({"components":[
            {"latest_event_status":"fix_not_planned"},{"latest_event_status":"fixed"}]});
        assert_eq!(status("Wolfi", unmapped), None);
    }
}
