//! Where each requested format goes: `--format FMT[=FILE]` (repeatable), `--output FILE`
//! for the one format without a file, and `--template FILE`.
//!
//! The plan is made (and the template compiled) before the scan starts, so a mistyped
//! option fails in a second instead of after reading a large image.

use crate::cli::{OutputArgs, OutputFormat};
use anyhow::{Context, Result, bail};
use drydock_report::{Format, RenderOptions, Template};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One format and where it is written (`None`: stdout).
pub struct Output {
    format: Format,
    path: Option<PathBuf>,
}

/// Resolves the output options into the list of outputs to write.
pub fn plan(args: &OutputArgs) -> Result<Vec<Output>> {
    if let Some(path) = &args.output {
        refuse_format_name_as_file(path)?;
    }
    let mut specs = args.format.clone();
    let wants_template = specs.iter().any(|s| s.format == OutputFormat::Template);
    if args.template.is_some() && !wants_template {
        specs.push(crate::cli::OutputSpec {
            format: OutputFormat::Template,
            path: None,
        });
    }
    if specs.is_empty() {
        specs.push(crate::cli::OutputSpec {
            format: OutputFormat::Table,
            path: None,
        });
    }
    let to_stdout = specs.iter().filter(|s| s.path.is_none()).count();
    if to_stdout > 1 {
        bail!(
            "{to_stdout} formats would go to stdout; give all but one a file: `--format FORMAT=FILE`"
        );
    }
    if to_stdout == 0 && args.output.is_some() {
        bail!(
            "--output has no format to write: every --format names its own file (drop `=FILE` from one)"
        );
    }
    let mut seen = BTreeSet::new();
    let mut outputs = Vec::with_capacity(specs.len());
    for spec in specs {
        let path = spec.path.or_else(|| args.output.clone());
        if let Some(p) = &path
            && !seen.insert(p.clone())
        {
            bail!("{} is the destination of two formats", p.display());
        }
        let format = match spec.format {
            OutputFormat::Table => Format::Table,
            OutputFormat::Json => Format::Json,
            OutputFormat::Sarif => Format::Sarif,
            OutputFormat::Junit => Format::Junit,
            OutputFormat::Html => Format::Html,
            OutputFormat::Cyclonedx => Format::CycloneDx,
            OutputFormat::CyclonedxVex => Format::CycloneDxVex,
            OutputFormat::SpdxJson => Format::Spdx,
            OutputFormat::Template => Format::Template(load_template(args.template.as_deref())?),
        };
        outputs.push(Output { format, path });
    }
    Ok(outputs)
}

/// `-o sarif` is almost always meant as `--format sarif`; a file really called that can
/// still be written as `-o ./sarif`.
fn refuse_format_name_as_file(path: &Path) -> Result<()> {
    let Some(name) = path.to_str() else {
        return Ok(());
    };
    let is_format = OutputFormat::names()
        .split(", ")
        .chain(["spdx"])
        .any(|f| f.eq_ignore_ascii_case(name));
    if is_format {
        bail!(
            "--output {name} names the file to write, not a format: use `--format {} --output FILE` \
             (or `--output ./{name}` for a file of that name)",
            name.to_ascii_lowercase()
        );
    }
    Ok(())
}

fn load_template(path: Option<&Path>) -> Result<Template> {
    let Some(path) = path else {
        bail!("--format template needs --template FILE");
    };
    // Trivy spells a template file `@FILE`.
    let path = match path.to_str().and_then(|p| p.strip_prefix('@')) {
        Some(stripped) => Path::new(stripped),
        None => path,
    };
    Ok(Template::from_file(path)?)
}

/// Writes every output; files first, so stdout's format is the last thing printed.
pub fn write_all(
    report: &drydock_model::Report,
    outputs: Vec<Output>,
    options: &RenderOptions,
) -> Result<()> {
    let (files, stdout): (Vec<Output>, Vec<Output>) =
        outputs.into_iter().partition(|o| o.path.is_some());
    for output in files.into_iter().chain(stdout) {
        match &output.path {
            Some(path) => {
                let mut file = std::fs::File::create(path)
                    .with_context(|| format!("writing {}", path.display()))?;
                drydock_report::render(report, output.format, options, &mut file)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            None => {
                let mut out = std::io::stdout().lock();
                let written = drydock_report::render(report, output.format, options, &mut out)
                    .and_then(|()| out.flush());
                if let Err(e) = written {
                    // A closed pipe (`| head`) is not an error worth a message.
                    if e.kind() != std::io::ErrorKind::BrokenPipe {
                        bail!("writing report: {e}");
                    }
                }
            }
        }
    }
    Ok(())
}
