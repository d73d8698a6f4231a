//! CVSS v3.x base score from a vector string.
//!
//! Many advisories (npm, crates.io, GHSA-style records) carry only a CVSS vector, and the
//! CVE enrichment feed covers a minority of CVEs; without computing the score those
//! findings would all be `UNKNOWN`. Formulas and constants are from the CVSS v3.1
//! specification, section 7 (v3.0 differs only in the rounding helper, which moves no
//! published score across a severity band).

/// Base score of a `CVSS:3.0/...` or `CVSS:3.1/...` vector; `None` for other versions or
/// a vector missing a base metric or carrying an unknown value.
pub fn v3_base_score(vector: &str) -> Option<f64> {
    let mut parts = vector.split('/');
    if !matches!(parts.next()?, "CVSS:3.0" | "CVSS:3.1") {
        return None;
    }
    let (mut av, mut ac, mut pr, mut ui, mut s, mut c, mut i, mut a) =
        (None, None, None, None, None, None, None, None);
    for p in parts {
        let (k, v) = p.split_once(':')?;
        match k {
            "AV" => av = Some(v),
            "AC" => ac = Some(v),
            "PR" => pr = Some(v),
            "UI" => ui = Some(v),
            "S" => s = Some(v),
            "C" => c = Some(v),
            "I" => i = Some(v),
            "A" => a = Some(v),
            // Temporal and environmental metrics do not change the base score.
            _ => {}
        }
    }
    let changed = match s? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match av? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match ac? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (pr?, changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match ui? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |m: Option<&str>| match m? {
        "H" => Some(0.56),
        "L" => Some(0.22),
        "N" => Some(0.0),
        _ => None,
    };
    let iss = 1.0 - (1.0 - cia(c)?) * (1.0 - cia(i)?) * (1.0 - cia(a)?);
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02_f64).powi(15)
    } else {
        6.42 * iss
    };
    if impact <= 0.0 {
        return Some(0.0);
    }
    let exploitability = 8.22 * av * ac * pr * ui;
    let raw = if changed {
        1.08 * (impact + exploitability)
    } else {
        impact + exploitability
    };
    Some(roundup(raw.min(10.0)))
}

/// CVSS v3.1 Appendix A `Roundup`: smallest one-decimal number >= `x`, computed on
/// integers so that e.g. 4.000000001 (a float artefact) does not become 4.1.
fn roundup(x: f64) -> f64 {
    let int_input = (x * 100_000.0).round();
    if int_input % 10_000.0 == 0.0 {
        int_input / 100_000.0
    } else {
        ((int_input / 10_000.0).floor() + 1.0) / 10.0
    }
}

#[cfg(test)]
mod tests {
    use super::v3_base_score;

    #[test]
    fn specification_examples() {
        // Scores published with the vectors in the CVSS v3.1 examples document / NVD.
        let cases = [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ];
        for (v, want) in cases {
            assert_eq!(v3_base_score(v), Some(want), "{v}");
        }
    }

    #[test]
    fn rejects_other_versions_and_garbage() {
        assert_eq!(v3_base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P"), None);
        assert_eq!(
            v3_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            None
        );
        assert_eq!(v3_base_score("CVSS:3.1/AV:N/AC:L"), None);
        assert_eq!(
            v3_base_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            None
        );
        assert_eq!(v3_base_score(""), None);
    }
}
