//! SaaS and registry tokens (Slack to Anthropic).

use super::*;

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "slack-bot-token",
            |r| {
                let t = format!(
                    "xoxb-{}-{}-{}",
                    r.s(DIGITS, r.range(10, 13)),
                    r.s(DIGITS, r.range(10, 13)),
                    r.s(ALNUM, 24)
                );
                inline(r, "SLACK_BOT_TOKEN", &t, &["slack-bot-token"])
            },
            |r| {
                vec![
                    decoy(r, "xoxb-your-bot-token"),
                    decoy(r, &format!("xoxb-{}-{}", r.s(DIGITS, 4), r.s(ALNUM, 8))),
                    decoy(
                        r,
                        &format!(
                            "xoxb-{}-{}-{}",
                            r.s(DIGITS, 11),
                            r.s(DIGITS, 12),
                            "x".repeat(24)
                        ),
                    ),
                ]
            },
        ),
        (
            "slack-user-token",
            |r| {
                let t = format!(
                    "xoxp-{}-{}-{}-{}",
                    r.s(DIGITS, 11),
                    r.s(DIGITS, 11),
                    r.s(DIGITS, 12),
                    r.s(HEX, 32)
                );
                inline(r, "SLACK_USER_TOKEN", &t, &["slack-user-token"])
            },
            |r| {
                vec![
                    decoy(r, &format!("xoxp-{}-{}", r.s(DIGITS, 11), r.s(HEX, 32))),
                    decoy(
                        r,
                        "xoxp-000000000000-000000000000-000000000000-00000000000000000000000000000000",
                    ),
                ]
            },
        ),
        (
            "slack-app-token",
            |r| {
                let t = format!(
                    "xapp-1-A{}-{}-{}",
                    r.s(UPPER_ALNUM, 10),
                    r.s(DIGITS, 13),
                    r.s(HEX, 64)
                );
                inline(r, "SLACK_APP_TOKEN", &t, &["slack-app-token"])
            },
            |r| {
                vec![
                    decoy(
                        r,
                        &format!(
                            "xapp-1-A{}-{}-{}",
                            r.s(UPPER_ALNUM, 10),
                            r.s(DIGITS, 13),
                            r.s(HEX, 20)
                        ),
                    ),
                    decoy(r, "xapp-1-AXXXXXXXXXX-0000000000000-xxxxxxxx"),
                ]
            },
        ),
        (
            "slack-webhook",
            |r| {
                let t = format!(
                    "https://hooks.slack.com/services/T{}/B{}/{}",
                    r.s(UPPER_ALNUM, r.range(8, 10)),
                    r.s(UPPER_ALNUM, r.range(8, 10)),
                    r.s(ALNUM, 24)
                );
                inline(r, "SLACK_WEBHOOK_URL", &t, &["slack-webhook"])
            },
            |r| {
                vec![
                    decoy(
                        r,
                        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                    ),
                    decoy(r, "https://hooks.slack.com/services/..."),
                    decoy(
                        r,
                        &format!(
                            "https://hooks.slack.com/services/T{}/B{}/{}",
                            r.s(UPPER, 8),
                            r.s(UPPER, 8),
                            r.s(ALNUM, 12)
                        ),
                    ),
                ]
            },
        ),
        (
            "stripe-secret-key",
            |r| {
                let t = format!(
                    "{}_live_{}",
                    r.pick(&["sk", "rk"]),
                    r.s(ALNUM, r.range(24, 99))
                );
                inline(r, "STRIPE_KEY", &t, &["stripe-secret-key"])
            },
            |r| {
                let mut v = format_decoys(r, "sk_live_", ALNUM, 24);
                // Test-mode keys have their own (LOW severity) rule.
                let test_key = format!("sk_test_{}", r.s(ALNUM, 24));
                v.push(inline(r, "STRIPE_KEY", &test_key, &["stripe-test-key"]));
                v.push(decoy(r, &format!("pk_live_{}", r.s(ALNUM, 24))));
                v
            },
        ),
        (
            "twilio-api-key",
            |r| {
                let t = format!("SK{}", r.s(HEX, 32));
                inline(r, "TWILIO_API_KEY", &t, &["twilio-api-key"])
            },
            |r| {
                let mut v = format_decoys(r, "SK", HEX, 32);
                v.push(decoy(r, &format!("SK{}", r.s(b"0123456789ABCDEF", 32))));
                v
            },
        ),
        (
            "twilio-auth-token",
            |r| {
                let t = r.s(HEX, 32);
                inline(r, "TWILIO_AUTH_TOKEN", &t, &["twilio-auth-token"])
            },
            |r| {
                [
                    "your_auth_token",
                    "${TWILIO_AUTH_TOKEN}",
                    &"0".repeat(32),
                    &"x".repeat(32),
                ]
                .iter()
                .map(|v| inline(r, "TWILIO_AUTH_TOKEN", v, &[]))
                .collect()
            },
        ),
        (
            "sendgrid-api-key",
            |r| {
                let t = format!("SG.{}.{}", r.s(B64URL, 22), r.s(B64URL, 43));
                inline(r, "SENDGRID_KEY", &t, &["sendgrid-api-key"])
            },
            |r| {
                vec![
                    decoy(
                        r,
                        "SG.xxxxxxxxxxxxxxxxxxxxxx.yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
                    ),
                    decoy(r, &format!("SG.{}.{}", r.s(ALNUM, 22), r.s(ALNUM, 30))),
                    decoy(r, &format!("XG.{}.{}", r.s(ALNUM, 22), r.s(ALNUM, 43))),
                ]
            },
        ),
        (
            "mailgun-api-key",
            |r| {
                let t = format!("key-{}", r.s(HEX, 32));
                inline(r, "MAILGUN_KEY", &t, &["mailgun-api-key"])
            },
            |r| format_decoys(r, "key-", HEX, 32),
        ),
        (
            "npm-token",
            |r| {
                let t = format!("npm_{}", r.s(ALNUM, 36));
                if r.below(2) == 0 {
                    file(
                        "root/.npmrc",
                        format!(
                            "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={t}\n"
                        ),
                        &[("npm-token", 2)],
                    )
                } else {
                    inline(r, "NPM_TOKEN", &t, &["npm-token"])
                }
            },
            |r| format_decoys(r, "npm_", ALNUM, 36),
        ),
        (
            "pypi-token",
            |r| {
                let t = format!("pypi-AgEIcHlwaS5vcmc{}", r.s(B64URL, r.range(60, 150)));
                file(
                    "root/.pypirc",
                    format!(
                        "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = {t}\n"
                    ),
                    &[("pypi-token", 6)],
                )
            },
            |r| {
                vec![
                    decoy(r, &format!("pypi-AgEIcHlwaS5vcmc{}", r.s(B64URL, 30))),
                    decoy(r, &format!("pypi-AgEIcHlwaS5vcmc{}", "x".repeat(60))),
                ]
            },
        ),
        (
            "docker-config-auth",
            |r| {
                let creds = format!(
                    "{}:{}",
                    r.pick(&["ci-bot", "deploy", "jenkins"]),
                    r.s(ALNUM, r.range(12, 24))
                );
                let text = format!(
                    "{{\n  \"auths\": {{\n    \"registry{}.corp.test\": {{\n      \"auth\": \"{}\"\n    }}\n  }}\n}}\n",
                    r.s(DIGITS, 2),
                    b64(creds.as_bytes(), false)
                );
                file(
                    "root/.docker/config.json",
                    text,
                    &[("docker-config-auth", 4)],
                )
            },
            |r| {
                ["nocolonhere".to_string(), "user:changeme".to_string(), format!("{}:", r.s(ALNUM, 6))]
                .iter()
                .map(|c| file("root/.docker/config.json", format!("{{\n  \"auths\": {{\n    \"r.test\": {{\n      \"auth\": \"{}\"\n    }}\n  }}\n}}\n", b64(c.as_bytes(), false)), &[]))
                .chain([file("root/.docker/config.json", "{\n  \"auths\": {\n    \"r.test\": {}\n  },\n  \"credsStore\": \"desktop\"\n}\n".into(), &[])])
                .collect()
            },
        ),
        (
            "heroku-api-key",
            |r| {
                if r.below(2) == 0 {
                    let t = uuid(r);
                    inline(r, "HEROKU_API_KEY", &t, &["heroku-api-key"])
                } else {
                    let t = format!("HRKU-{}", r.s(B64URL, 60));
                    inline(r, "HEROKU_TOKEN", &t, &["heroku-platform-token"])
                }
            },
            |r| {
                let u = uuid(r);
                vec![
                    inline(
                        r,
                        "HEROKU_API_KEY",
                        "00000000-0000-0000-0000-000000000000",
                        &[],
                    ),
                    inline(r, "HEROKU_API_KEY", "<heroku-api-key>", &[]),
                    decoy(r, &u),
                ]
            },
        ),
        (
            "digitalocean-token",
            |r| {
                let t = format!("{}_v1_{}", r.pick(&["dop", "doo", "dor"]), r.s(HEX, 64));
                inline(r, "DIGITALOCEAN_ACCESS_TOKEN", &t, &["digitalocean-token"])
            },
            |r| format_decoys(r, "dop_v1_", HEX, 64),
        ),
        (
            "discord-bot-token",
            |r| {
                let t = format!(
                    "{}{}.{}.{}",
                    r.pick(&["M", "N", "O"]),
                    r.s(B64URL, r.range(23, 25)),
                    r.s(B64URL, 6),
                    r.s(ALNUM, r.range(27, 38))
                );
                inline(r, "DISCORD_BOT_TOKEN", &t, &["discord-bot-token"])
            },
            |r| {
                [
                    format!("A{}.{}.{}", r.s(ALNUM, 23), r.s(ALNUM, 6), r.s(ALNUM, 27)),
                    format!("M{}.{}.{}", r.s(ALNUM, 23), r.s(ALNUM, 3), r.s(ALNUM, 27)),
                    format!("M{}.{}.{}", "x".repeat(23), "x".repeat(6), "x".repeat(27)),
                ]
                .iter()
                // Not `..._TOKEN`: the generic rule reports any random-looking
                // value of a token-named variable.
                .map(|v| inline(r, "DISCORD_BOT_REF", v, &[]))
                .collect()
            },
        ),
        (
            "discord-webhook",
            |r| {
                let t = format!(
                    "https://discord.com/api/webhooks/{}/{}",
                    r.s(DIGITS, 18),
                    r.s(B64URL, 68)
                );
                inline(r, "ALERT_HOOK", &t, &["discord-webhook"])
            },
            |r| {
                vec![
                    decoy(r, "https://discord.com/api/webhooks/{id}/{token}"),
                    decoy(
                        r,
                        &format!(
                            "https://discord.com/api/webhooks/{}/{}",
                            r.s(DIGITS, 18),
                            "x".repeat(68)
                        ),
                    ),
                ]
            },
        ),
        (
            "telegram-bot-token",
            |r| {
                let t = format!("{}:AA{}", r.s(DIGITS, r.range(8, 10)), r.s(B64URL, 33));
                inline(r, "TELEGRAM_BOT_TOKEN", &t, &["telegram-bot-token"])
            },
            |r| {
                vec![
                    decoy(r, &format!("{}:AA{}", r.s(DIGITS, 5), r.s(ALNUM, 33))),
                    decoy(r, &format!("{}:AA{}", r.s(DIGITS, 9), "x".repeat(33))),
                    decoy(r, &format!("{}:AA{}", r.s(DIGITS, 9), r.s(ALNUM, 20))),
                ]
            },
        ),
        (
            "shopify-token",
            |r| {
                let t = format!(
                    "{}_{}",
                    r.pick(&["shpat", "shpss", "shpca", "shppa"]),
                    r.s(HEX, 32)
                );
                inline(r, "SHOPIFY_ACCESS", &t, &["shopify-token"])
            },
            |r| format_decoys(r, "shpat_", HEX, 32),
        ),
        (
            "datadog-api-key",
            |r| {
                if r.below(2) == 0 {
                    let t = r.s(HEX, 32);
                    inline(r, "DD_API_KEY", &t, &["datadog-api-key"])
                } else {
                    let t = r.s(HEX, 40);
                    inline(r, "datadog_app_key", &t, &["datadog-api-key"])
                }
            },
            |r| {
                ["<DATADOG_API_KEY>", "${DD_API_KEY}", &"0".repeat(32)]
                    .iter()
                    .map(|v| inline(r, "DD_API_KEY", v, &[]))
                    .collect()
            },
        ),
        (
            "newrelic-user-api-key",
            |r| {
                let t = format!("NRAK-{}", r.s(UPPER_ALNUM, 27));
                inline(r, "NEW_RELIC_USER_KEY", &t, &["newrelic-user-api-key"])
            },
            |r| format_decoys(r, "NRAK-", UPPER_ALNUM, 27),
        ),
        (
            "vault-token",
            |r| {
                let t = if r.below(2) == 0 {
                    format!("hvs.{}", r.s(ALNUM, r.range(24, 95)))
                } else {
                    format!("hvb.{}", r.s(ALNUM, 138))
                };
                inline(r, "VAULT_AUTH", &t, &["vault-token"])
            },
            |r| format_decoys(r, "hvs.", ALNUM, 24),
        ),
        (
            "vault-legacy-token",
            |r| {
                let t = format!("s.{}", r.s(ALNUM, 24));
                inline(r, "VAULT_TOKEN", &t, &["vault-legacy-token"])
            },
            |r| {
                let neutral = format!("s.{}", r.s(ALNUM, 24));
                vec![
                    inline(r, "VAULT_TOKEN", "s.xxxxxxxxxxxxxxxxxxxxxxxx", &[]),
                    inline(r, "VAULT_TOKEN", "root", &[]),
                    decoy(r, &neutral),
                ]
            },
        ),
        (
            "openai-api-key",
            |r| {
                let t = if r.below(2) == 0 {
                    format!("sk-proj-{}", r.s(ALNUM, r.range(100, 160)))
                } else {
                    format!("sk-{}T3BlbkFJ{}", r.s(ALNUM, 20), r.s(ALNUM, 20))
                };
                inline(r, "OPENAI_KEY", &t, &["openai-api-key"])
            },
            |r| {
                let mut v = format_decoys(r, "sk-proj-", ALNUM, 40);
                v.push(decoy(r, &format!("sk-{}", r.s(ALNUM, 48))));
                v
            },
        ),
        (
            "anthropic-api-key",
            |r| {
                let t = format!("sk-ant-api03-{}AA", r.s(B64URL, 93));
                inline(r, "ANTHROPIC_KEY", &t, &["anthropic-api-key"])
            },
            |r| format_decoys(r, "sk-ant-api03-", ALNUM, 95),
        ),
    ]
}
