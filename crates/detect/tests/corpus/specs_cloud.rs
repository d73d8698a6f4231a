//! Cloud providers and code hosts (AWS, GCP, Azure, GitHub, GitLab).

use super::*;

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "aws-access-key-id",
            |r| {
                let t = format!("{}{}", r.pick(&["AKIA", "ASIA"]), r.s(BASE32, 16));
                let var = *r.pick(&["AWS_ACCESS_KEY_ID", "aws_access_key_id", "accessKeyId"]);
                inline(r, var, &t, &["aws-access-key-id"])
            },
            |r| {
                let mut v = vec![
                    decoy(r, "AKIAIOSFODNN7EXAMPLE"),
                    decoy(r, &format!("AKIA{}", r.s(BASE32, 15))),
                ];
                v.push(decoy(r, "AKIAXXXXXXXXXXXXXXXX"));
                v.push(decoy(
                    r,
                    &format!("AKIA{}", r.s(b"abcdefghijklmnopqrstuvwxyz", 16)),
                ));
                v
            },
        ),
        (
            "aws-secret-access-key",
            |r| {
                let id = format!("AKIA{}", r.s(BASE32, 16));
                let sk = r.s(&B64[..64], 40);
                if r.below(2) == 0 {
                    file(
                        "root/.aws/credentials",
                        format!(
                            "[default]\naws_access_key_id = {id}\naws_secret_access_key = {sk}\nregion = us-east-2\n"
                        ),
                        &[("aws-access-key-id", 2), ("aws-secret-access-key", 3)],
                    )
                } else {
                    let var = *r.pick(&[
                        "AWS_SECRET_ACCESS_KEY",
                        "aws_secret_access_key",
                        "awsSecretKey",
                    ]);
                    inline(r, var, &sk, &["aws-secret-access-key"])
                }
            },
            |r| {
                [
                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    "${AWS_SECRET_ACCESS_KEY}",
                    "<your-secret-access-key>",
                    &"x".repeat(40),
                    &"a".repeat(40),
                ]
                .iter()
                .map(|v| inline(r, "AWS_SECRET_ACCESS_KEY", v, &[]))
                .collect()
            },
        ),
        (
            "gcp-service-account",
            |r| {
                let key = format!(
                    "-----BEGIN PRIVATE KEY-----\\n{}\\n-----END PRIVATE KEY-----\\n",
                    pem_body(r, r.range(10, 26)).join("\\n")
                );
                let project = format!("proj-{}", r.s(b"abcdefghijklmnopqrstuvwxyz", 8));
                let common = [
                    format!("\"project_id\": \"{project}\""),
                    format!("\"private_key_id\": \"{}\"", r.s(HEX, 40)),
                    format!("\"client_email\": \"deployer@{project}.iam.gserviceaccount.com\""),
                    format!("\"client_id\": \"{}\"", r.s(DIGITS, 21)),
                    "\"token_uri\": \"https://oauth2.googleapis.com/token\"".to_string(),
                ];
                // Google's download order puts "type" first; sorted-key writers put it last.
                let mut fields = vec!["\"type\": \"service_account\"".to_string()];
                fields.extend(common);
                fields.insert(3, format!("\"private_key\": \"{key}\""));
                if r.below(2) == 0 {
                    fields.sort();
                }
                let line = 2 + fields
                    .iter()
                    .position(|f| f.starts_with("\"private_key\""))
                    .unwrap_or(0);
                let text = format!("{{\n  {}\n}}\n", fields.join(",\n  "));
                file(
                    "app/gcp-sa.json",
                    text,
                    &[("gcp-service-account", line), ("private-key", line)],
                )
            },
            |r| {
                let p = r.s(b"abcdefghijklmnopqrstuvwxyz", 8);
                vec![
                file("app/sa.json", format!("{{\n  \"type\": \"service_account\",\n  \"project_id\": \"{p}\",\n  \"private_key\": \"\"\n}}\n"), &[]),
                file("app/sa.json", "{\n  \"type\": \"service_account\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n\"\n}\n".into(), &[]),
                file("app/sa.json", format!("{{\n  \"type\": \"authorized_user\",\n  \"client_id\": \"{}.apps.googleusercontent.com\"\n}}\n", r.s(DIGITS, 12)), &[]),
            ]
            },
        ),
        (
            "gcp-api-key",
            |r| {
                let t = format!("AIza{}", r.s(B64URL, 35));
                let var = *r.pick(&["GOOGLE_MAPS_KEY", "google_api_key", "firebaseKey"]);
                inline(r, var, &t, &["gcp-api-key"])
            },
            |r| format_decoys(r, "AIza", B64URL, 35),
        ),
        (
            "azure-storage-account-key",
            |r| {
                let k = format!("{}==", r.s(&B64[..64], 86));
                let cs = format!(
                    "DefaultEndpointsProtocol=https;AccountName=store{};AccountKey={k};EndpointSuffix=core.windows.net",
                    r.s(DIGITS, 4)
                );
                inline(
                    r,
                    "AZURE_STORAGE_CONNECTION_STRING",
                    &cs,
                    &["azure-storage-account-key"],
                )
            },
            |r| {
                ["AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==".to_string(),
             format!("AccountKey={}==", r.s(B64, 40)),
             format!("AccountKey={}==", "x".repeat(86)),
             "AccountKey=[key]".to_string()]
                .iter()
                .map(|v| decoy(r, &format!("DefaultEndpointsProtocol=https;AccountName=dev;{v}")))
                .collect()
            },
        ),
        (
            "azure-shared-access-key",
            |r| {
                let cs = format!(
                    "Endpoint=sb://ns{}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={}=",
                    r.s(DIGITS, 3),
                    r.s(&B64[..64], 43)
                );
                inline(
                    r,
                    "SERVICEBUS_CONNECTION",
                    &cs,
                    &["azure-shared-access-key"],
                )
            },
            |r| {
                [
                    "SharedAccessKey=<key>".to_string(),
                    format!("SharedAccessKey={}=", r.s(B64, 20)),
                    format!("SharedAccessKey={}=", "A".repeat(43)),
                ]
                .iter()
                .map(|v| decoy(r, &format!("Endpoint=sb://ns.servicebus.windows.net/;{v}")))
                .collect()
            },
        ),
        (
            "github-pat",
            |r| {
                let t = format!("ghp_{}", r.s(ALNUM, 36));
                inline(r, "GITHUB_TOKEN", &t, &["github-pat"])
            },
            |r| format_decoys(r, "ghp_", ALNUM, 36),
        ),
        (
            "github-fine-grained-pat",
            |r| {
                let t = format!("github_pat_{}_{}", r.s(ALNUM, 22), r.s(ALNUM, 59));
                inline(r, "GH_TOKEN", &t, &["github-fine-grained-pat"])
            },
            |r| format_decoys(r, "github_pat_", ALNUM, 82),
        ),
        (
            "github-oauth",
            |r| {
                let t = format!("gho_{}", r.s(ALNUM, 36));
                inline(r, "oauth_token", &t, &["github-oauth"])
            },
            |r| format_decoys(r, "gho_", ALNUM, 36),
        ),
        (
            "github-app-token",
            |r| {
                let t = format!("{}_{}", r.pick(&["ghu", "ghs", "ghr"]), r.s(ALNUM, 36));
                inline(r, "GITHUB_APP_TOKEN", &t, &["github-app-token"])
            },
            |r| format_decoys(r, "ghs_", ALNUM, 36),
        ),
        (
            "gitlab-pat",
            |r| {
                let t = format!("glpat-{}", r.s(B64URL, 20));
                inline(r, "GITLAB_TOKEN", &t, &["gitlab-pat"])
            },
            |r| format_decoys(r, "glpat-", ALNUM, 20),
        ),
    ]
}
