//! Package-name normalisation that more than one stage must agree on.

/// PEP 503: lowercase, and every run of `-`, `_`, `.` becomes a single `-`. The pypi purl
/// type and PyPI advisory lookups both key on it.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn pep503_examples_from_the_pep() {
        // The PEP's own examples all normalise to one name.
        for n in [
            "friendly-bard",
            "Friendly-Bard",
            "FRIENDLY-BARD",
            "friendly.bard",
            "friendly_bard",
            "friendly--bard",
            "FrIeNdLy-._.-bArD",
        ] {
            assert_eq!(super::pep503(n), "friendly-bard", "{n}");
        }
    }
}
