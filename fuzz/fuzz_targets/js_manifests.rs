#![no_main]
//! npm `package.json`, `package-lock.json`, `yarn.lock` and `pnpm-lock.yaml`: the first byte
//! picks the file, the rest is its content.

use drydock_inventory::{NpmLockAnalyzer, NpmPackageAnalyzer, PnpmLockAnalyzer, YarnLockAnalyzer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    match pick % 4 {
        0 => drydock_fuzz::analyze(&NpmPackageAnalyzer, "app/node_modules/x/package.json", content),
        1 => drydock_fuzz::analyze(&NpmLockAnalyzer, "app/package-lock.json", content),
        2 => drydock_fuzz::analyze(&YarnLockAnalyzer, "app/yarn.lock", content),
        _ => drydock_fuzz::analyze(&PnpmLockAnalyzer, "app/pnpm-lock.yaml", content),
    }
});
