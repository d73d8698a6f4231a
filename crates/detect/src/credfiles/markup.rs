//! XML credential files: Maven `settings.xml` and `NuGet.Config`. Comments
//! are blanked (offsets kept) so commented-out samples are not reported.

use super::Field;
use crate::config::Confidence;

/// `text` with every `<!-- ... -->` replaced by spaces of the same length.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("<!--") {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find("-->")
            .map_or(rest.len(), |c| open + c + 3);
        out.extend(
            rest[open..close]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        // Keep byte offsets: multi-byte characters become as many spaces.
        let removed = rest[open..close].len() - rest[open..close].chars().count();
        out.extend(std::iter::repeat_n(' ', removed));
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Text of every `<tag>...</tag>` element: (offset of the text, text).
fn elements<'a>(text: &'a str, tag: &str) -> Vec<(usize, &'a str)> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(&open) {
        let start = from + i + open.len();
        let Some(len) = text[start..].find(&close) else {
            break;
        };
        let raw = &text[start..start + len];
        let value = raw.trim();
        if !value.is_empty() {
            out.push((start + (raw.len() - raw.trim_start().len()), value));
        }
        from = start + len;
    }
    out
}

/// Maven `settings.xml` server/proxy `<password>` and `<passphrase>`, and
/// `settings-security.xml`'s `<master>`. Encrypted values (`{...}`) are
/// reported too: the master password that decrypts them ships alongside.
pub(super) fn maven_settings(text: &str) -> Vec<Field> {
    let live = without_comments(text);
    let mut out = Vec::new();
    for tag in ["password", "passphrase", "master"] {
        for (at, value) in elements(&live, tag) {
            let owner = ["<server>", "<proxy>"]
                .iter()
                .filter_map(|o| live[..at].rfind(o))
                .max()
                .and_then(|s| {
                    elements(&live[s..at], "id")
                        .first()
                        .map(|e| e.1.to_string())
                });
            let whose = owner.map_or(String::new(), |id| format!(" of server `{id}`"));
            let kind = if value.starts_with('{') && value.ends_with('}') {
                "encrypted "
            } else {
                ""
            };
            out.push(Field::high(
                at,
                value,
                format!("{kind}<{tag}>{whose} in Maven settings"),
            ));
        }
    }
    out.sort_by_key(|f| f.start);
    out
}

/// Attribute `name` of an element's attribute text, with its offset.
fn attribute<'a>(attrs: &'a str, name: &str) -> Option<(usize, &'a str)> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = lower[at + name.len()..].trim_start();
        if before_ok && let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            let q = r.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let vstart = attrs.len() - r.len() + 1;
            let len = attrs[vstart..].find(q)?;
            return Some((vstart, &attrs[vstart..vstart + len]));
        }
        from = at + name.len();
    }
    None
}

/// `NuGet.Config` `<packageSourceCredentials>`: `ClearTextPassword` values
/// (`high`) and DPAPI-encrypted `Password` values (`medium`: only the
/// machine that wrote them can decrypt them).
pub(super) fn nuget_config(text: &str) -> Vec<Field> {
    let live = without_comments(text);
    let lower = live.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<add ") {
        let start = from + i + 5;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let attrs = &live[start..end];
        from = end;
        let (Some((_, key)), Some((voff, value))) =
            (attribute(attrs, "key"), attribute(attrs, "value"))
        else {
            continue;
        };
        let confidence = match key.to_ascii_lowercase().as_str() {
            "cleartextpassword" => Confidence::High,
            "password" => Confidence::Medium,
            _ => continue,
        };
        let source = lower[..start]
            .rfind("<packagesourcecredentials>")
            .and_then(|s| {
                live[s + "<packageSourceCredentials>".len()..start]
                    .split('<')
                    .skip(1)
                    .filter(|t| !t.starts_with('/'))
                    .filter_map(|t| t.split(['>', ' ', '/']).next())
                    .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case("add"))
                    .last()
                    .map(str::to_string)
            });
        let whose = source.map_or(String::new(), |s| format!(" for source `{s}`"));
        out.push(Field {
            start: start + voff,
            end: start + voff + value.len(),
            confidence,
            reason: format!("NuGet `{key}`{whose} in NuGet.Config"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<'a>(text: &'a str, fields: &[Field]) -> Vec<&'a str> {
        fields.iter().map(|f| &text[f.start..f.end]).collect()
    }

    #[test]
    fn maven_servers_skip_comments() {
        // Shape of the `<servers>` example in Maven's settings reference.
        let text = "<settings>\n<!-- <server><password>commented</password></server> -->\n\
                    <servers><server>\n<id>nexus</id>\n<username>ci</username>\n\
                    <password> Zq8!x y </password>\n</server></servers></settings>\n";
        let f = maven_settings(text);
        assert_eq!(values(text, &f), vec!["Zq8!x y"]);
        assert!(f[0].reason.contains("server `nexus`"), "{}", f[0].reason);
    }

    #[test]
    fn nuget_cleartext_and_encrypted() {
        // Element layout from Microsoft's nuget.config reference.
        let text = "<configuration><packageSourceCredentials><Contoso>\n\
                    <add key=\"Username\" value=\"u\" />\n\
                    <add key=\"ClearTextPassword\" value=\"p4ss\" />\n\
                    <add value='ENC' key='Password'/>\n\
                    </Contoso></packageSourceCredentials></configuration>";
        let f = nuget_config(text);
        assert_eq!(values(text, &f), vec!["p4ss", "ENC"]);
        assert_eq!(f[1].confidence, Confidence::Medium);
        assert!(f[0].reason.contains("`Contoso`"), "{}", f[0].reason);
    }
}
