//! One explained risk score per finding (the README's "Risk score" section is the
//! user-facing statement of this formula; keep the two in step).
//!
//! `score = 2.5 × base × kev × epss × presence`, rounded to one decimal, 0 to 100:
//! - `base` (0–10): the CVSS base score; else the midpoint of the severity band the
//!   advisory names; else the distribution's own rating mapped to a band; else 5.0,
//!   the middle of the scale, because "nobody scored it" is not "harmless";
//! - `kev`: 2 when CISA lists the CVE as exploited in the wild, else 1;
//! - `epss`: 1 + the EPSS probability (1 to 2), so likely exploitation can lift a
//!   medium flaw above an unexploited high one, but never by more than a factor of 2;
//! - `presence`: 1 in the final filesystem, 0.5 when the package is only in a lower
//!   layer (its files deleted later: not on the running container's disk, still in
//!   the shipped blob).
//!
//! Fix availability is deliberately not a factor: an unfixed flaw is no less
//! exploitable, and a discount would rank an exploited unfixed CVE below a fixable
//! minor one. It only breaks ties (what you can act on now goes first) and is named in
//! the reasons.

use drydock_model::{Finding, Risk, Severity, Status};

/// Scale so that the largest possible score (base 10, KEV, EPSS 1) is exactly 100.
const SCALE: f64 = 2.5;
/// Base when no source rates the finding.
const UNRATED_BASE: f64 = 5.0;

/// Where the vulnerable package is. Every package reported today is in the final
/// filesystem; packages seen only in a lower layer will be reported with
/// [`Presence::LowerLayerOnly`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    FinalFilesystem,
    LowerLayerOnly,
}

/// Scores `f` from what it carries (CVSS, severity, vendor rating, KEV, EPSS, fixes).
pub fn assess(f: &Finding, presence: Presence) -> Risk {
    let (base, base_reason) = base(f);
    let mut reasons = vec![base_reason];
    let mut score = SCALE * base;
    if let Some(k) = &f.kev {
        score *= 2.0;
        reasons.push(format!("in KEV since {}", k.date_added));
    }
    if let Some(e) = &f.epss {
        score *= 1.0 + e.score.clamp(0.0, 1.0);
        reasons.push(if e.score < 0.01 {
            "EPSS <0.01".to_owned()
        } else {
            format!("EPSS {:.2}", e.score)
        });
    }
    reasons.push(match (f.status, f.fixed_versions.first()) {
        (Status::Fixed, Some(v)) => format!("fix {v}"),
        (status, _) => status.no_fix_reason().to_owned(),
    });
    if presence == Presence::LowerLayerOnly {
        score *= 0.5;
        reasons.push("only in a lower layer (deleted later, still shipped)".to_owned());
    }
    Risk {
        score: round_half_up(score),
        reasons,
    }
}

/// One decimal, halves up as in a hand computation: 2.5 x 9.1 is 22.749999… in
/// binary floating point and must still read 22.8.
fn round_half_up(x: f64) -> f64 {
    ((x * 10.0) + 1e-9).round() / 10.0
}

/// The 0–10 base and how it was found.
fn base(f: &Finding) -> (f64, String) {
    if let Some(c) = f.cvss.as_ref().filter(|c| c.score > 0.0) {
        return (c.score, format!("CVSS {:.1}", c.score));
    }
    if let Some(mid) = band_midpoint(f.severity) {
        return (mid, format!("rated {} (no CVSS)", f.severity));
    }
    if let Some(v) = &f.vendor_severity
        && let Some(mid) = vendor_band(&v.rating).and_then(band_midpoint)
    {
        return (mid, format!("{} {} (no CVSS)", v.source, v.rating));
    }
    (UNRATED_BASE, "no CVSS in any loaded feed".to_owned())
}

/// Midpoints of the CVSS v3 qualitative bands (Low 0.1–3.9, Medium 4.0–6.9, High
/// 7.0–8.9, Critical 9.0–10.0).
fn band_midpoint(s: Severity) -> Option<f64> {
    match s {
        Severity::Critical => Some(9.5),
        Severity::High => Some(8.0),
        Severity::Medium => Some(5.5),
        Severity::Low => Some(2.0),
        Severity::Unknown => None,
    }
}

/// Debian urgencies and Ubuntu priorities as bands. `unimportant`/`negligible` are
/// the distribution saying "not worth a fix" (Low); `not yet assigned`, `untriaged`
/// and `end-of-life` say nothing about severity.
fn vendor_band(rating: &str) -> Option<Severity> {
    match rating {
        "unimportant" | "negligible" => Some(Severity::Low),
        other => Severity::from_text(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use drydock_model::{CvssScore, EpssScore, KevEntry, PackageKind, VendorRating};

    fn finding() -> Finding {
        Finding {
            id: "CVE-2024-0001".into(),
            aliases: vec![],
            advisory_ids: vec![],
            package: "p".into(),
            package_kind: PackageKind::Apk,
            installed_version: "1".into(),
            ecosystem: "Alpine:v3.20".into(),
            source_package: None,
            compared_version: None,
            fixed_versions: vec![],
            status: Status::Affected,
            severity: Severity::Unknown,
            severity_source: "none".into(),
            cvss: None,
            kev: None,
            epss: None,
            layer: None,
            location: "lib/apk/db/installed".into(),
            url: String::new(),
            published: None,
            summary: None,
            vendor_severity: None,
            risk: None,
            due: None,
            first_seen: None,
        }
    }

    #[test]
    fn every_factor_by_hand() {
        // Unrated, nothing else known: 2.5 x 5.0.
        let bare = assess(&finding(), Presence::FinalFilesystem);
        assert_eq!(bare.score, 12.5);
        assert_eq!(
            bare.reasons,
            ["no CVSS in any loaded feed", "no fix published"]
        );

        // The maximum: 2.5 x 10 x 2 x (1 + 1) = 100.
        let mut f = finding();
        f.cvss = Some(CvssScore {
            score: 10.0,
            vector: String::new(),
            source: "advisory".into(),
        });
        f.kev = Some(KevEntry {
            cve: f.id.clone(),
            date_added: "2024-03-01".into(),
            due_date: None,
        });
        f.epss = Some(EpssScore {
            score: 1.0,
            percentile: 1.0,
        });
        f.status = Status::Fixed;
        f.fixed_versions = vec!["1.1.1k-r0".into(), "1.1.1l-r0".into()];
        let max = assess(&f, Presence::FinalFilesystem);
        assert_eq!(max.score, 100.0);
        assert_eq!(
            max.reasons,
            [
                "CVSS 10.0",
                "in KEV since 2024-03-01",
                "EPSS 1.00",
                "fix 1.1.1k-r0"
            ]
        );
        // Only in a lower layer: halved.
        assert_eq!(assess(&f, Presence::LowerLayerOnly).score, 50.0);
        // 2.5 x 9.1 = 22.75 rounds up, though 9.1 is stored as 9.0999….
        f.cvss.as_mut().expect("cvss").score = 9.1;
        f.kev = None;
        f.epss = None;
        assert_eq!(assess(&f, Presence::FinalFilesystem).score, 22.8);
    }

    #[test]
    fn base_falls_back_from_cvss_to_band_to_vendor_rating() {
        let mut f = finding();
        f.severity = Severity::High;
        f.epss = Some(EpssScore {
            score: 0.004,
            percentile: 0.2,
        });
        // 2.5 x 8.0 x 1.004 = 20.08.
        let r = assess(&f, Presence::FinalFilesystem);
        assert_eq!(r.score, 20.1);
        assert_eq!(r.reasons[..2], ["rated HIGH (no CVSS)", "EPSS <0.01"]);

        let mut f = finding();
        f.vendor_severity = Some(VendorRating {
            source: "Debian urgency".into(),
            rating: "unimportant".into(),
        });
        // Low band midpoint 2.0: 2.5 x 2.0.
        let r = assess(&f, Presence::FinalFilesystem);
        assert_eq!(r.score, 5.0);
        assert_eq!(r.reasons[0], "Debian urgency unimportant (no CVSS)");

        // "not yet assigned" rates nothing: the unrated base applies.
        f.vendor_severity = Some(VendorRating {
            source: "Debian urgency".into(),
            rating: "not yet assigned".into(),
        });
        assert_eq!(assess(&f, Presence::FinalFilesystem).score, 12.5);
    }
}
