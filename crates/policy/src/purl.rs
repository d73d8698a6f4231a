//! Package URLs (<https://github.com/package-url/purl-spec>) as far as matching needs:
//! ignores, VEX statements and banned packages name packages by purl.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Purl {
    pub(crate) ty: String,
    pub(crate) namespace: Option<String>,
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) qualifiers: BTreeMap<String, String>,
}

impl Purl {
    /// Parses `pkg:type/namespace/name@version?qualifiers#subpath` (subpath dropped).
    pub(crate) fn parse(text: &str) -> Option<Purl> {
        let rest = text.trim().strip_prefix("pkg:")?.trim_start_matches('/');
        let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (ty, path) = rest.split_once('/')?;
        // The version separator is the last `@` of the last segment; an unencoded scope
        // (`@types/node`) sits in an earlier one.
        let last_slash = path.rfind('/').map_or(0, |i| i + 1);
        let (path, version) = match path[last_slash..].rfind('@') {
            Some(at) => (
                &path[..last_slash + at],
                Some(decode(&path[last_slash + at + 1..])),
            ),
            None => (path, None),
        };
        let path = path.trim_end_matches('/');
        let (namespace, name) = match path.rsplit_once('/') {
            Some((ns, name)) => (Some(decode(ns)), decode(name)),
            None => (None, decode(path)),
        };
        if ty.is_empty() || name.is_empty() {
            return None;
        }
        let qualifiers = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_ascii_lowercase(), decode(v)))
            .collect();
        Some(Purl {
            ty: ty.to_ascii_lowercase(),
            namespace,
            name,
            version: version.filter(|v| !v.is_empty()),
            qualifiers,
        })
    }

    /// Whether `self`, as written in an ignore, VEX statement or ban, names `package`:
    /// same type, namespace and name; same version unless `self` gives none; and every
    /// qualifier `self` gives with the same value.
    pub(crate) fn names(&self, package: &Purl) -> bool {
        let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        self.ty == package.ty
            && match (&self.namespace, &package.namespace) {
                (Some(a), Some(b)) => same(a, b),
                (None, None) => true,
                _ => false,
            }
            && same(&self.name, &package.name)
            && self
                .version
                .as_ref()
                .is_none_or(|v| package.version.as_ref() == Some(v))
            && self
                .qualifiers
                .iter()
                .all(|(k, v)| package.qualifiers.get(k) == Some(v))
    }
}

/// Percent-decoding; malformed escapes are kept as written.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::Purl;

    fn p(s: &str) -> Purl {
        Purl::parse(s).unwrap_or_else(|| panic!("purl {s}"))
    }

    /// Examples from the purl specification's README and test-suite-data.json.
    #[test]
    fn spec_examples_parse() {
        let maven = p("pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources");
        assert_eq!(maven.namespace.as_deref(), Some("org.apache.xmlgraphics"));
        assert_eq!(maven.name, "batik-anim");
        assert_eq!(maven.version.as_deref(), Some("1.9.1"));
        assert_eq!(maven.qualifiers["packaging"], "sources");
        let npm = p("pkg:npm/%40angular/animation@12.3.1");
        assert_eq!(npm.namespace.as_deref(), Some("@angular"));
        assert_eq!(npm.name, "animation");
        let deb = p("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie");
        assert_eq!((deb.ty.as_str(), deb.name.as_str()), ("deb", "curl"));
        assert_eq!(deb.qualifiers["distro"], "jessie");
        let golang = p("pkg:golang/google.golang.org/genproto#googleapis/api/annotations");
        assert_eq!(golang.namespace.as_deref(), Some("google.golang.org"));
        assert_eq!(golang.version, None);
        let oci = p(
            "pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=docker.io/library/debian&arch=amd64&tag=latest",
        );
        assert_eq!(oci.version.as_deref(), Some("sha256:244fd47e07d10"));
        assert_eq!(oci.qualifiers["repository_url"], "docker.io/library/debian");
        assert!(Purl::parse("curl@7.50").is_none());
    }

    #[test]
    fn naming_rules() {
        let installed = p("pkg:apk/alpine/busybox@1.30.1-r3?arch=x86_64&distro=3.10.4");
        for (pattern, want) in [
            ("pkg:apk/alpine/busybox", true),
            ("pkg:apk/alpine/busybox@1.30.1-r3", true),
            ("pkg:apk/alpine/busybox@1.30.1-r3?arch=x86_64", true),
            ("pkg:apk/alpine/busybox@1.30.1-r3?arch=armv7", false),
            ("pkg:apk/alpine/busybox@1.30.1-r5", false),
            ("pkg:apk/wolfi/busybox", false),
            ("pkg:deb/alpine/busybox", false),
        ] {
            assert_eq!(p(pattern).names(&installed), want, "{pattern}");
        }
    }
}
