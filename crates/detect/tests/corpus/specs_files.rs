//! Tokens and credentials with a structure or a file of their own (JWT, keys, URIs, netrc, pgpass, htpasswd, generic).

use super::*;

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "jwt",
            |r| {
                let t = jwt(r);
                if r.below(2) == 0 {
                    file(
                        "app/request.http",
                        format!(
                            "GET /v1/items HTTP/1.1\nHost: api.test\nAuthorization: Bearer {t}\n"
                        ),
                        &[("jwt", 3)],
                    )
                } else {
                    inline(r, "SESSION_JWT", &t, &["jwt"])
                }
            },
            |r| {
                let garbage = format!(
                    "eyJ{}.eyJ{}.{}",
                    r.s(ALNUM, 30),
                    r.s(ALNUM, 40),
                    r.s(ALNUM, 43)
                );
                vec![
                    decoy(r, &garbage),
                    decoy(
                        r,
                        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
                    ),
                    decoy(r, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbm9ueW1vdXMifQ."),
                ]
            },
        ),
        (
            "private-key",
            |r| {
                let kind = *r.pick(&["RSA ", "EC ", "OPENSSH ", "DSA ", "", "ENCRYPTED ", "PGP "]);
                let block = if kind == "PGP " { " BLOCK" } else { "" };
                let mut body = Vec::new();
                if kind == "PGP " {
                    body.push("Version: GnuPG v2".to_string());
                    body.push(String::new());
                }
                if kind == "RSA " && r.below(2) == 0 {
                    body.push("Proc-Type: 4,ENCRYPTED".to_string());
                    body.push(format!(
                        "DEK-Info: AES-128-CBC,{}",
                        r.s(b"0123456789ABCDEF", 32)
                    ));
                    body.push(String::new());
                }
                let n = r.range(6, 25);
                body.extend(pem_body(r, n));
                let pre = r.range(0, 3);
                let text = format!(
                    "{}-----BEGIN {kind}PRIVATE KEY{block}-----\n{}\n-----END {kind}PRIVATE KEY{block}-----\n",
                    "# deploy key\n".repeat(pre),
                    body.join("\n")
                );
                file("srv/keys/id_deploy", text, &[("private-key", pre + 1)])
            },
            |r| {
                let body = pem_body(r, 8).join("\n");
                vec![
                file("app/pem.py", "def is_key(line):\n    return line == \"-----BEGIN RSA PRIVATE KEY-----\"\n".into(), &[]),
                file("etc/app/pub.pem", format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n"), &[]),
                file("etc/app/cert.pem", format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"), &[]),
                file("app/README.txt", "Paste your key:\n-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n".into(), &[]),
            ]
            },
        ),
        (
            "connection-uri-password",
            |r| {
                let scheme = *r.pick(&[
                    "postgres",
                    "postgresql",
                    "mysql",
                    "mongodb",
                    "mongodb+srv",
                    "amqp",
                    "amqps",
                    "redis",
                    "rediss",
                ]);
                let user = if scheme.starts_with("redis") && r.below(2) == 0 {
                    String::new()
                } else {
                    r.s(b"abcdefghijklmnopqrstuvwxyz", 6)
                };
                let pw = r.s(
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.!*-",
                    r.range(10, 24),
                );
                let t = format!(
                    "{scheme}://{user}:{pw}@db{}.internal.test:5432/app",
                    r.s(DIGITS, 2)
                );
                inline(r, "DATABASE_URL", &t, &["connection-uri-password"])
            },
            |r| {
                [
                    "postgres://user:password@localhost/db",
                    "mysql://root:${MYSQL_PASSWORD}@db/app",
                    "mongodb://user:<password>@host/x",
                    "amqp://guest:guest@localhost:5672/",
                    "redis://localhost:6379/0",
                    "postgres://app:xxxxxxxx@db/app",
                ]
                .iter()
                .map(|v| inline(r, "DATABASE_URL", v, &[]))
                .collect()
            },
        ),
        (
            "netrc-password",
            |r| {
                let host = format!("git{}.corp.test", r.s(DIGITS, 2));
                let pw = r.s(PW, r.range(10, 20));
                if r.below(2) == 0 {
                    file(
                        "root/.netrc",
                        format!("machine {host}\n  login deploy\n  password {pw}\n"),
                        &[("netrc-password", 3)],
                    )
                } else {
                    file(
                        "root/.netrc",
                        format!("default login anonymous\nmachine {host} login ci password {pw}\n"),
                        &[("netrc-password", 2)],
                    )
                }
            },
            |_| {
                vec![
                    file(
                        "root/.netrc",
                        "machine example.com login me password changeme\n".into(),
                        &[],
                    ),
                    file(
                        "root/.netrc",
                        "machine h.test login me password ${NETRC_PW}\n".into(),
                        &[],
                    ),
                ]
            },
        ),
        (
            "pgpass-password",
            |r| {
                let pw = r.s(ALNUM, r.range(10, 20));
                let line = r.range(1, 3);
                let mut text = "# hostname:port:database:username:password\n".repeat(line - 1);
                text.push_str(&format!(
                    "db{}.internal:5432:app:appuser:{pw}\n",
                    r.s(DIGITS, 2)
                ));
                file(
                    "var/lib/postgresql/.pgpass",
                    text,
                    &[("pgpass-password", line)],
                )
            },
            |r| {
                let pw = r.s(ALNUM, 14);
                vec![
                    file(
                        "var/lib/postgresql/.pgpass",
                        "*:*:*:postgres:changeme\n".into(),
                        &[],
                    ),
                    file(
                        "etc/app/hosts.txt",
                        format!("db1.internal:5432:app:appuser:{pw}\n"),
                        &[],
                    ),
                ]
            },
        ),
        (
            "htpasswd-hash",
            |r| {
                let user = r.s(b"abcdefghijklmnopqrstuvwxyz", 6);
                let hash = match r.below(3) {
                    0 => format!(
                        "$apr1${}${}",
                        r.s(
                            b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                            8
                        ),
                        r.s(
                            b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                            22
                        )
                    ),
                    1 => format!(
                        "$2y$10${}",
                        r.s(
                            b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                            53
                        )
                    ),
                    _ => format!("{{SHA}}{}=", r.s(&B64[..64], 27)),
                };
                file(
                    "etc/nginx/.htpasswd",
                    format!("{user}:{hash}\n"),
                    &[("htpasswd-hash", 1)],
                )
            },
            |r| {
                vec![
                    file("etc/nginx/.htpasswd", "admin:$apr1$\n".into(), &[]),
                    file(
                        "etc/nginx/.htpasswd",
                        format!("admin:$6${}${}\n", r.s(ALNUM, 8), r.s(ALNUM, 86)),
                        &[],
                    ),
                ]
            },
        ),
        (
            "generic-secret",
            |r| {
                let var = *r.pick(&[
                    "db_password",
                    "client_secret",
                    "API_KEY",
                    "app.secret",
                    "SMTP_PASSWORD",
                    "privateKey",
                    "access_token",
                ]);
                // A leading `&`/`*` would be YAML anchor/alias syntax, not a value.
                let v = format!("{}{}", r.s(ALNUM, 1), r.s(PW, r.range(15, 27)));
                inline(r, var, &v, &["generic-secret"])
            },
            |r| {
                vec![
                    file(
                        "app/db.py",
                        "password = os.environ[\"DB_PASSWORD\"]\n".into(),
                        &[],
                    ),
                    inline(r, "password", "changeme", &[]),
                    inline(r, "secret_key", "${SECRET_KEY}", &[]),
                    inline(r, "api_key", "your_api_key_here", &[]),
                    inline(r, "password", "aaaaaaaaaaaaaaaa", &[]),
                    inline(r, "password_file", "/run/secrets/db_password", &[]),
                    inline(r, "client_secret", "get_client_secret", &[]),
                    inline(r, "password_hash", &r.s(HEX, 32), &[]),
                    file(
                        "app/form.html",
                        "<input type=\"password\" name=\"password\" placeholder=\"Password\">\n"
                            .into(),
                        &[],
                    ),
                ]
            },
        ),
    ]
}
