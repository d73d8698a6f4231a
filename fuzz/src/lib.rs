//! Shared by the fuzz targets: run one analyzer on the input as the file at `path`.

use drydock_inventory::Analyzer;

/// Runs `analyzer` on `data` as the file at `path`: any outcome but a panic, a hang or an
/// allocation past libFuzzer's RSS limit is fine. Errors must stay one line.
pub fn analyze(analyzer: &dyn Analyzer, path: &str, data: &[u8]) {
    if let Err(e) = analyzer.analyze(path, data) {
        assert!(!e.message.is_empty(), "{path}: empty error message");
    }
}
