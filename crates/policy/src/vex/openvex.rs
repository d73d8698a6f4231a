//! OpenVEX (<https://github.com/openvex/spec>): v0.2.0, and the v0.0.x shapes in which
//! `vulnerability` and `products` entries were plain strings.

use super::{Product, VexDocument, VexStatement, VexStatus};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Document {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    statements: Vec<Statement>,
}

#[derive(Deserialize)]
struct Statement {
    vulnerability: Vulnerability,
    #[serde(default)]
    products: Vec<Component>,
    /// v0.0.x kept subcomponents beside the products.
    #[serde(default)]
    subcomponents: Vec<Component>,
    status: String,
    #[serde(default)]
    justification: Option<String>,
    #[serde(default)]
    impact_statement: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Vulnerability {
    Name(String),
    Struct {
        name: String,
        #[serde(default)]
        aliases: Vec<String>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Component {
    Id(String),
    Struct {
        #[serde(rename = "@id", default)]
        id: Option<String>,
        #[serde(default)]
        identifiers: std::collections::BTreeMap<String, String>,
        #[serde(default)]
        subcomponents: Vec<Component>,
    },
}

impl Component {
    fn ids(&self) -> Vec<String> {
        match self {
            Component::Id(id) => vec![id.clone()],
            Component::Struct {
                id, identifiers, ..
            } => id.iter().chain(identifiers.values()).cloned().collect(),
        }
    }
}

fn timestamp(text: Option<&str>) -> Option<jiff::Timestamp> {
    text.and_then(|t| t.parse().ok())
}

pub(super) fn parse(value: Value, file: &str) -> Result<VexDocument, String> {
    let doc: Document = serde_json::from_value(value).map_err(|e| format!("OpenVEX: {e}"))?;
    let source = match &doc.id {
        Some(id) => format!("{file} ({id})"),
        None => file.to_owned(),
    };
    let mut out = VexDocument::default();
    for (n, s) in doc.statements.into_iter().enumerate() {
        let status = match s.status.as_str() {
            "not_affected" => VexStatus::NotAffected,
            "affected" => VexStatus::Affected,
            "fixed" => VexStatus::Fixed,
            "under_investigation" => VexStatus::UnderInvestigation,
            other => {
                out.rejected
                    .push(format!("{source}: statement {n}: unknown status '{other}'"));
                continue;
            }
        };
        let (vulnerability, aliases) = match s.vulnerability {
            Vulnerability::Name(name) => (name, Vec::new()),
            Vulnerability::Struct { name, aliases } => (name, aliases),
        };
        let outer_subs: Vec<Vec<String>> = s.subcomponents.iter().map(Component::ids).collect();
        let products = s
            .products
            .iter()
            .map(|p| {
                let mut subcomponents = outer_subs.clone();
                if let Component::Struct {
                    subcomponents: own, ..
                } = p
                {
                    subcomponents.extend(own.iter().map(Component::ids));
                }
                Product {
                    ids: p.ids(),
                    subcomponents,
                }
            })
            .collect();
        out.statements.push(VexStatement {
            vulnerability,
            aliases,
            products,
            status,
            justification: s.justification,
            statement: s.impact_statement,
            timestamp: timestamp(s.timestamp.as_deref()).or(timestamp(doc.timestamp.as_deref())),
            source: source.clone(),
        });
    }
    Ok(out)
}
