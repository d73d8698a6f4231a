//! What a scan could not look at: reported, never a silent "clean".

use serde::{Deserialize, Serialize};

/// Something that was not (fully) scanned or matched, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NotCovered {
    /// What was not covered: `os-packages`, `os`, an ecosystem (`Debian:12`, `Maven`) or a
    /// file path.
    pub scope: String,
    pub reason: String,
}

impl NotCovered {
    pub fn new(scope: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            scope: scope.into(),
            reason: reason.into(),
        }
    }
}
