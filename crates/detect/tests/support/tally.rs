//! Counting a secret scanner's results against labels, shared by the labeled-corpus
//! and the peer-labeled tests.

/// True positives, false negatives and false positives of one family.
#[derive(Default)]
pub struct Tally {
    pub tp: usize,
    pub fn_: usize,
    pub fp: usize,
}

impl Tally {
    pub fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }

    pub fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
}
