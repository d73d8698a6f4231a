//! Package-name normalization shared by import and lookup.

use std::borrow::Cow;

/// Normalizes a package name to the key used for storage and lookup in `ecosystem`.
///
/// Applied both at import and at query time so that spelling variants the package
/// manager itself treats as equal (PEP 503 for PyPI, case for npm/NuGet/Packagist/
/// crates.io/Bitnami) find the same advisories. Other ecosystems (Go, Maven, RubyGems, OS
/// source packages) are case-sensitive and kept as-is.
pub fn normalize_package<'a>(ecosystem: &str, name: &'a str) -> Cow<'a, str> {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem);
    match base {
        "PyPI" => Cow::Owned(drydock_model::pep503(name)),
        // Bitnami: the purl type says the component name "must be lowercased".
        "npm" | "crates.io" | "Packagist" | "NuGet" | "Pub" | "Hex" | "Bitnami" => {
            if name.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(name.to_ascii_lowercase())
            } else {
                Cow::Borrowed(name)
            }
        }
        _ => Cow::Borrowed(name),
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_package as n;

    #[test]
    fn per_ecosystem_rules() {
        assert_eq!(n("PyPI", "Foo.Bar__baz-_.Q"), "foo-bar-baz-q");
        assert_eq!(n("PyPI", "requests"), "requests");
        assert_eq!(n("npm", "@Scope/Pkg"), "@scope/pkg");
        assert_eq!(
            n("Go", "github.com/BurntSushi/toml"),
            "github.com/BurntSushi/toml"
        );
        assert_eq!(n("crates.io", "Serde_JSON"), "serde_json");
        assert_eq!(n("Maven", "org.Apache:Foo"), "org.Apache:Foo");
        assert_eq!(n("Packagist", "Symfony/HTTP-Kernel"), "symfony/http-kernel");
        assert_eq!(n("RubyGems", "Rails"), "Rails");
        assert_eq!(n("NuGet", "Newtonsoft.Json"), "newtonsoft.json");
        assert_eq!(n("Bitnami", "PostgreSQL"), "postgresql");
        assert_eq!(n("Alpine:v3.20", "Py3-Foo"), "Py3-Foo");
        assert_eq!(n("Debian:12", "libXml2"), "libXml2");
    }
}
