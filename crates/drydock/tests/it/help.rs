//! `--help` of every subcommand as users read it: examples and exit codes under each
//! scanning command, a description for every positional argument. A change to the CLI's
//! words shows here as a snapshot diff (`cargo insta review`).

use std::process::Command;

const SUBCOMMANDS: &[&[&str]] = &[
    &[],
    &["image"],
    &["rootfs"],
    &["fs"],
    &["sbom"],
    &["db"],
    &["db", "update"],
    &["db", "status"],
    &["db", "export"],
    &["db", "import"],
    &["cache"],
];

fn help(path: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(path)
        .arg("--help")
        // Fixed width, so the snapshot does not depend on the terminal running the test.
        .env("COLUMNS", "100")
        .output()
        .expect("run drydock");
    assert_eq!(out.status.code(), Some(0), "{path:?} --help");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn help_of_every_subcommand_is_unchanged() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for path in SUBCOMMANDS {
            let name = if path.is_empty() {
                "help.drydock".to_owned()
            } else {
                format!("help.{}", path.join("-"))
            };
            insta::assert_snapshot!(name, help(path));
        }
    });
}

#[test]
fn scanning_commands_show_examples_and_exit_codes() {
    for path in [
        &["image"][..],
        &["rootfs"],
        &["fs"],
        &["sbom"],
        &["db", "update"],
    ] {
        let text = help(path);
        assert!(text.contains("Examples:"), "{path:?}: {text}");
        assert!(text.contains("Exit codes:"), "{path:?}: {text}");
    }
}

/// clap prints a bare `<DIR>` with nothing beside or under it when a positional
/// argument has no doc comment (`--help` puts the description on the next line).
#[test]
fn every_positional_argument_is_described() {
    for path in SUBCOMMANDS {
        let text = help(path);
        let Some(args) = text.split("Arguments:\n").nth(1) else {
            continue;
        };
        let lines: Vec<&str> = args.lines().take_while(|l| !l.is_empty()).collect();
        for (i, line) in lines.iter().enumerate() {
            let line = line.trim();
            if !line.starts_with('<') && !line.starts_with("[") {
                continue;
            }
            let beside = line.split_once("  ").is_some();
            let under = lines
                .get(i + 1)
                .is_some_and(|next| !next.trim().starts_with(['<', '[']));
            assert!(beside || under, "{path:?}: undescribed argument {line}");
        }
    }
}

/// One version text, however it is asked for; the number is the crate's own (Cargo.toml).
#[test]
fn every_way_to_ask_for_the_version_prints_the_same() {
    let print = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_drydock"))
            .args(args)
            .output()
            .expect("run drydock");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let text = print(&["version"]);
    assert!(
        text.starts_with(&format!("drydock {}\n", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains("report schema "), "{text}");
    assert_eq!(print(&["--version"]), text);
    assert_eq!(print(&["-V"]), text);
}
