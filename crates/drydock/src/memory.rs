//! `--memory-budget-mib`: a scan whose resident memory grows past the budget stops with
//! exit 2 and one line naming the input, instead of taking the machine down with it. A
//! watchdog thread reads the process's resident set (`/proc/self/statm`, Linux; elsewhere
//! the budget is not enforced) every few milliseconds, so the budget is a ceiling the scan
//! may overshoot by what it touches in that interval, not an exact cap. Stopping is as
//! safe as a kill: cache entries and the DB are only ever replaced by a rename.

use std::time::Duration;

const CHECK_EVERY: Duration = Duration::from_millis(10);

/// Resident bytes now; `None` where `/proc` is not there.
fn resident() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // Every Linux platform drydock is built for uses 4 KiB pages but arm64 kernels built
    // with 16/64 KiB ones; reading the page size needs libc, and erring low only makes
    // the budget looser there.
    Some(pages * 4096)
}

/// Starts the watchdog for a scan of `input`; a budget of 0 means none.
pub fn watch(budget_mib: u64, input: String) {
    if budget_mib == 0 || resident().is_none() {
        return;
    }
    let budget = budget_mib.saturating_mul(1 << 20);
    std::thread::spawn(move || {
        loop {
            if let Some(now) = resident().filter(|&n| n > budget) {
                eprintln!(
                    "drydock: error: {input}: memory budget of {budget_mib} MiB exceeded ({} MiB \
                     resident); scan stopped, no report written (raise --memory-budget-mib, 0 \
                     for none)",
                    now >> 20
                );
                std::process::exit(2);
            }
            std::thread::sleep(CHECK_EVERY);
        }
    });
}
