//! `--template FILE`: custom text output from a MiniJinja (Jinja2 syntax) template over
//! the serialized report, so the variables a template sees are exactly the JSON report's
//! fields (documented in README.md) and cannot drift from them.
//!
//! The template is compiled when it is loaded, so a syntax error is reported before a
//! long scan rather than after it.

use drydock_model::Report;
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

/// A compiled user template.
#[derive(Clone)]
pub struct Template {
    env: Arc<Environment<'static>>,
    name: String,
}

/// A template that could not be read or compiled; the message names the file.
#[derive(Debug)]
pub struct TemplateError(String);

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TemplateError {}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Template")
            .field("name", &self.name)
            .finish()
    }
}

impl Template {
    /// Compiles `source`. `name` is used in error messages and picks auto-escaping by
    /// extension: `.html`/`.htm`/`.xml` escape for HTML, `.json`/`.yaml`/`.js` for JSON,
    /// anything else writes values as they are.
    pub fn new(name: &str, source: String) -> Result<Template, TemplateError> {
        let mut env = Environment::new();
        // Jinja2's whitespace rules (`{%-`/`-%}` trim), except that the file's final
        // newline is output: a text report should end in one.
        let syntax = SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .map_err(|e| TemplateError(format!("template {name}: {e}")))?;
        env.set_syntax(syntax);
        env.add_template_owned(name.to_owned(), source)
            .map_err(|e| TemplateError(format!("template {name}: {e}")))?;
        Ok(Template {
            env: Arc::new(env),
            name: name.to_owned(),
        })
    }

    /// Reads and compiles the template file at `path`.
    pub fn from_file(path: &Path) -> Result<Template, TemplateError> {
        let source = std::fs::read_to_string(path)
            .map_err(|e| TemplateError(format!("reading template {}: {e}", path.display())))?;
        Template::new(&path.display().to_string(), source)
    }

    /// Renders the report: its fields are top-level variables (`artifact`,
    /// `vulnerabilities`, ...) and the whole of it is `report`.
    pub(crate) fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let template = self
            .env
            .get_template(&self.name)
            .map_err(|e| io::Error::other(format!("template {}: {e}", self.name)))?;
        let fields = Value::from(Serde(report));
        let ctx = context! { report => fields.clone(), ..fields };
        let mut out = io::BufWriter::new(out);
        template
            .render_captured_to(ctx, &mut out)
            .map_err(|e| io::Error::other(format!("template {}: {e}", self.name)))?;
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::Template;
    use crate::Format;
    use crate::fixture::{HOSTILE, rendered, report};

    fn render(name: &str, source: &str) -> String {
        let template = Template::new(name, source.to_owned()).expect("compiles");
        rendered(&report(), Format::Template(template))
    }

    #[test]
    fn report_fields_are_variables() {
        let out = render(
            "list.tpl",
            "{{ artifact.input }}\n{% for v in vulnerabilities -%}\n{{ v.id }} {{ v.package }} {{ v.severity }}{% if v.kev %} KEV{% endif %}\n{% endfor -%}\n",
        );
        assert_eq!(
            out,
            format!(
                "images/app image.tar:1.0\nCVE-2024-0001 lodash CRITICAL KEV\nCVE-2024-0001 lodash-es CRITICAL KEV\nCVE-2024-0002 {HOSTILE} MEDIUM\n"
            )
        );
    }

    #[test]
    fn the_whole_report_and_filters() {
        let out = render(
            "count.txt",
            "{{ report.vulnerabilities | selectattr('kev') | list | length }} KEV, {{ secrets | length }} secret",
        );
        assert_eq!(out, "2 KEV, 1 secret");
    }

    #[test]
    fn html_templates_escape() {
        let out = render(
            "page.html",
            "{% for p in packages %}<li>{{ p.name }}</li>{% endfor %}",
        );
        assert_eq!(out, "<li>&lt;script&gt;alert(1)&lt;&#x2f;script&gt;</li>");
    }

    #[test]
    fn syntax_errors_name_the_template() {
        let err = Template::new("broken.tpl", "{% for v in vulnerabilities %}".to_owned())
            .expect_err("unclosed block");
        let msg = err.to_string();
        assert!(msg.starts_with("template broken.tpl: "), "{msg}");
    }
}
