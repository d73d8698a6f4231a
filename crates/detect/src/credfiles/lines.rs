//! Line- and token-oriented credential files: `.netrc`, `.pgpass`,
//! `.git-credentials`, `.npmrc`/`.yarnrc.yml`, `pip.conf`/`.pypirc`.

use super::{Field, offset_in, unquote, url_password};

/// Lines with their byte offsets (`str::lines` drops `\r\n` too).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().map(move |l| (offset_in(text, l), l))
}

fn is_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') || t.starts_with(';')
}

/// `.netrc` (ftp(1), curl, git): whitespace-separated `machine <host>`,
/// `login <name>`, `password <secret>`; `macdef` bodies run to a blank line.
pub(super) fn netrc(text: &str) -> Vec<Field> {
    let mut out = Vec::new();
    let mut tokens = Vec::new();
    let mut in_macro = false;
    for (off, line) in lines(text) {
        if in_macro {
            in_macro = !line.trim().is_empty();
            continue;
        }
        if line.trim_start().starts_with('#') {
            continue;
        }
        for (at, tok) in netrc_tokens(line) {
            in_macro |= tok == "macdef";
            tokens.push((off + at, tok));
        }
    }
    let mut host = "default";
    let mut login = "";
    let mut it = tokens.into_iter();
    while let Some((_, tok)) = it.next() {
        match tok {
            "machine" => {
                host = it.next().map_or("", |t| t.1);
                login = "";
            }
            "default" => {
                host = "default";
                login = "";
            }
            "login" => login = it.next().map_or("", |t| t.1),
            "account" | "macdef" => {
                it.next();
            }
            "password" => {
                // `login anonymous password <email>`: the anonymous FTP convention.
                let anonymous = matches!(login, "anonymous" | "ftp");
                if let Some((off, raw)) = it.next().filter(|_| !anonymous) {
                    let (value, q) = unquote(raw);
                    let who = if login.is_empty() {
                        String::new()
                    } else {
                        format!("`{login}` on ")
                    };
                    out.push(Field::high(
                        off + q,
                        value,
                        format!("password for {who}`machine {host}` in a .netrc file"),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// Whitespace-separated tokens of a line with their offsets; a token in
/// double quotes may contain spaces (curl and Python's netrc accept them).
fn netrc_tokens(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            return out;
        }
        let start = line.len() - trimmed.len();
        let len = match trimmed.strip_prefix('"').and_then(|r| r.find('"')) {
            Some(close) => close + 2,
            None => trimmed.find(char::is_whitespace).unwrap_or(trimmed.len()),
        };
        out.push((start, &trimmed[..len]));
        rest = &trimmed[len..];
    }
}

/// `.pgpass` (libpq): `hostname:port:database:username:password`, `\:`
/// and `\\` escaped; the password is everything after the fourth colon.
pub(super) fn pgpass(text: &str) -> Vec<Field> {
    let mut out = Vec::new();
    for (off, line) in lines(text) {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut colons = Vec::new();
        let mut escaped = false;
        for (i, b) in line.bytes().enumerate() {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b':') => colons.push(i),
                _ => {}
            }
            if colons.len() == 4 {
                break;
            }
        }
        let [c1, c2, c3, c4] = colons[..] else {
            continue;
        };
        let port = &line[c1 + 1..c2];
        if !(port == "*" || (!port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))) {
            continue;
        }
        let password = line[c4 + 1..].trim_end();
        if password.is_empty() {
            continue;
        }
        out.push(Field::high(
            off + c4 + 1,
            password,
            format!(
                "password for `{}@{}:{port}/{}` in a .pgpass file",
                &line[c3 + 1..c4],
                &line[..c1],
                &line[c2 + 1..c3]
            ),
        ));
    }
    out
}

/// git's credential store: one `scheme://user:password@host` URL a line.
pub(super) fn git_credentials(text: &str) -> Vec<Field> {
    lines(text)
        .filter(|(_, l)| !l.trim_start().starts_with('#'))
        .filter_map(|(off, line)| {
            let (at, pass, who) = url_password(line, 0)?;
            Some(Field::high(
                off + at,
                pass,
                format!("password for `{who}` in git's credential store"),
            ))
        })
        .collect()
}

/// `.npmrc` (`//registry/:_authToken=`, `_auth=`, `_password=`) and Yarn
/// Berry's `.yarnrc.yml` (`npmAuthToken:`, `npmAuthIdent:`).
pub(super) fn npmrc(text: &str) -> Vec<Field> {
    let mut out = Vec::new();
    for (off, line) in lines(text) {
        if is_comment(line) {
            continue;
        }
        let Some((key, value, voff)) = key_value(line, &['=', ':']) else {
            continue;
        };
        let (scope, field) = match key.rsplit_once(':') {
            Some((scope, field)) if scope.starts_with("//") => (scope, field),
            _ => ("", key),
        };
        let what = match field {
            "_authToken" | "npmAuthToken" => "auth token",
            "_auth" | "npmAuthIdent" => "credentials",
            "_password" => "password",
            _ => continue,
        };
        let registry = if scope.is_empty() {
            String::new()
        } else {
            format!(" for `{scope}`")
        };
        out.push(Field::high(
            off + voff,
            value,
            format!("npm registry {what}{registry} (`{field}`)"),
        ));
    }
    out
}

/// `.pypirc` `password =` entries, and index URLs with credentials in
/// `pip.conf`/`pip.ini` (`index-url`, `extra-index-url`, continuation lines).
pub(super) fn pip_config(text: &str) -> Vec<Field> {
    let mut out = Vec::new();
    let mut section = "";
    for (off, line) in lines(text) {
        let t = line.trim();
        if is_comment(line) {
            continue;
        }
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            section = name;
            continue;
        }
        if let Some((key, value, voff)) = key_value(line, &['=', ':'])
            && key.eq_ignore_ascii_case("password")
        {
            out.push(Field::high(
                off + voff,
                value,
                format!("upload password of repository `[{section}]` in .pypirc"),
            ));
            continue;
        }
        let mut from = 0;
        while let Some(i) = line.get(from..).and_then(|r| r.find("://")) {
            let start = line[..from + i]
                .rfind(|c: char| c.is_whitespace() || c == '=')
                .map_or(0, |p| p + 1);
            if let Some((at, pass, who)) = url_password(line, start) {
                out.push(Field::high(
                    off + at,
                    pass,
                    format!("password for `{who}` in a package index URL"),
                ));
            }
            from += i + 3;
        }
    }
    out
}

/// `key = value` / `key: value` (first separator of `seps`), value
/// unquoted; returns the value's byte offset in `line`.
fn key_value<'a>(line: &'a str, seps: &[char]) -> Option<(&'a str, &'a str, usize)> {
    let trimmed = line.trim_start();
    // `//registry/:_authToken=...`: the key itself holds `:`, so take the
    // last `:` before the `=` only for `=` lines.
    let pos = match trimmed.find('=') {
        Some(eq) if seps.contains(&'=') => eq,
        _ => trimmed.find(|c| seps.contains(&c))?,
    };
    let key = trimmed[..pos].trim();
    let raw = trimmed[pos + 1..].trim();
    if raw.is_empty() {
        return None;
    }
    let (value, q) = unquote(raw);
    Some((key, value, offset_in(line, raw) + q))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<'a>(text: &'a str, fields: &[Field]) -> Vec<&'a str> {
        fields.iter().map(|f| &text[f.start..f.end]).collect()
    }

    #[test]
    fn netrc_multi_line_entries_and_macros() {
        // Layout as in the ftp(1) manual's description of .netrc.
        let text = "machine a.test\n  login bob\n  password s3cr!t\n\
                    macdef init\n  password inmacro\n\n\
                    default login anon password \"q u\"\n";
        let f = netrc(text);
        assert_eq!(values(text, &f), vec!["s3cr!t", "q u"]);
        assert!(f[0].reason.contains("`bob` on `machine a.test`"));
    }

    #[test]
    fn pgpass_escapes_and_ports() {
        let text = "# comment\ndb:5432:app:u:pa\\:ss word\nbad:port:x:y:z\n*:*:*:*:\n";
        assert_eq!(values(text, &pgpass(text)), vec!["pa\\:ss word"]);
    }

    #[test]
    fn npmrc_scoped_tokens_and_yarnrc() {
        let text = "registry=https://r.test/\n//r.test/:_authToken=abc123\n_auth = \"dTpw\"\nnpmAuthToken: \"tok9\"\n";
        assert_eq!(values(text, &npmrc(text)), vec!["abc123", "dTpw", "tok9"]);
    }

    #[test]
    fn pip_urls_and_pypirc_passwords() {
        let text = "[global]\nindex-url = https://u:p%40ss@pypi.corp.test/simple\nextra-index-url =\n    https://a:b@x.test/simple https://nouser.test/\n[pypi]\npassword: hunter22\n";
        assert_eq!(
            values(text, &pip_config(text)),
            vec!["p%40ss", "b", "hunter22"]
        );
    }
}
