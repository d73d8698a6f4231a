//! What a scan could not look at: reported, never a silent "clean".

use serde::{Deserialize, Serialize};

/// Something that was not (fully) scanned or matched, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NotCovered {
    /// What was not covered: `os-packages`, `os`, an ecosystem (`Debian:12`, `Maven`) or a
    /// file path.
    pub scope: String,
    pub reason: String,
    /// The scope *was* scanned, but the data behind it is incomplete (an end-of-life
    /// release: the vendor stopped publishing fixes). Readers must not take it for "not
    /// scanned"; absent in older reports, which is `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scanned: bool,
}

impl NotCovered {
    pub fn new(scope: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            scope: scope.into(),
            reason: reason.into(),
            scanned: false,
        }
    }

    /// How text outputs head the entry: "scanned, but incomplete" must not read as
    /// "not scanned".
    pub fn label(&self) -> &'static str {
        if self.scanned {
            "SCANNED, DATA INCOMPLETE"
        } else {
            "NOT COVERED"
        }
    }

    /// A scope that was scanned against data known to be incomplete.
    pub fn scanned_incomplete(scope: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            scanned: true,
            ..Self::new(scope, reason)
        }
    }
}
