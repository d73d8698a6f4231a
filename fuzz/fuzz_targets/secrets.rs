#![no_main]
//! The built-in secret rules on arbitrary text; the first byte picks a file name so that
//! the name-based parsers (`.netrc`, `settings.xml`, YAML/INI flattening) run too.

use drydock_detect::SecretScanner;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static SCANNER: LazyLock<SecretScanner> =
    LazyLock::new(|| SecretScanner::builtin().expect("built-in rules compile"));

const PATHS: [&str; 8] = [
    "app/.env",
    "app/config.yaml",
    "root/.netrc",
    "root/.m2/settings.xml",
    "app/settings.ini",
    "app/config.json",
    "root/.ssh/id_rsa",
    "app/main.py",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let path = PATHS[usize::from(pick) % PATHS.len()];
    for f in SCANNER.scan(path, content) {
        assert!(f.line >= 1, "{path}: line numbers start at 1");
    }
});
