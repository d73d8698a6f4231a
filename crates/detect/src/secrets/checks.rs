//! Structural validators (a failing secret is dropped) and token checksums
//! (a verifying token is `high` confidence), from the vendors' formats.

use crate::config::{Checksum, Validator};
use crate::util::{base64_decode, is_placeholder};

/// Whether `secret` passes the rule's structural validator.
pub(crate) fn validate(v: Validator, secret: &[u8]) -> bool {
    match v {
        Validator::Jwt => {
            let mut parts = secret.split(|&b| b == b'.');
            let header = parts.next().and_then(base64_decode);
            let payload = parts.next().and_then(base64_decode);
            let is_obj = |d: &Option<Vec<u8>>| {
                d.as_deref().is_some_and(|d| {
                    let t = d.trim_ascii();
                    t.starts_with(b"{") && t.ends_with(b"}")
                })
            };
            is_obj(&header)
                && is_obj(&payload)
                && header
                    .as_deref()
                    .is_some_and(|h| memchr::memmem::find(h, b"\"alg\"").is_some())
        }
        Validator::Base64UserPass => base64_user_pass(secret).is_some(),
        Validator::Base64Key64 => base64_decode(secret).is_some_and(|d| d.len() == 64),
    }
}

/// Decodes base64 `user:password` with both parts present and the password
/// not a placeholder (Docker `auth`, npm `_auth`).
pub(crate) fn base64_user_pass(secret: &[u8]) -> Option<(String, String)> {
    let decoded = base64_decode(secret)?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    let ok = !user.is_empty()
        && !pass.is_empty()
        && !text.chars().any(char::is_control)
        && is_placeholder(pass.as_bytes()).is_none();
    ok.then(|| (user.to_string(), pass.to_string()))
}

/// `Some(true)` if the token's checksum verifies, `Some(false)` if it does
/// not, `None` if this token variant carries no checksum.
pub(crate) fn verify(c: Checksum, token: &[u8]) -> Option<bool> {
    match c {
        Checksum::Crc32Base62 => crc32_base62(token),
        Checksum::GitlabRoutable => gitlab_routable(token),
        Checksum::Bech32 => Some(bech32(token)),
        Checksum::DiscordUserId => Some(discord_user_id(token)),
    }
}

/// IEEE CRC-32 (zlib's), table built at compile time.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    };
    !data.iter().fold(!0u32, |crc, &b| {
        TABLE[usize::from((crc as u8) ^ b)] ^ (crc >> 8)
    })
}

/// `n` in base `digits.len()`, left-padded with `digits[0]` to `width`.
pub(crate) fn encode_base(mut n: u64, digits: &[u8], width: usize) -> String {
    let base = digits.len() as u64;
    let mut out = Vec::new();
    while n > 0 {
        out.push(digits[(n % base) as usize]);
        n /= base;
    }
    out.resize(out.len().max(width), digits[0]);
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// GitHub (`ghp_` ...) and npm (`npm_`) tokens: `prefix_` + 30 random base62
/// characters + the CRC32 of those 30 in 6 base62 digits (GitHub engineering
/// blog, 2021-04-05; npm changelog, 2021-09-23).
fn crc32_base62(token: &[u8]) -> Option<bool> {
    let pos = token.iter().position(|&b| b == b'_')?;
    let body = &token[pos + 1..];
    if body.len() != 36 {
        return None;
    }
    let (random, sum) = body.split_at(30);
    Some(encode_base(u64::from(crc32(random)), BASE62, 6).as_bytes() == sum)
}

/// GitLab routable tokens (GitLab 17.x `Authn::TokenField::Generator::RoutableToken`):
/// `<prefix><base64url payload>.01.<payload length, 2 base36>` followed by
/// the CRC32 of everything before it in 7 base36 digits.
fn gitlab_routable(token: &[u8]) -> Option<bool> {
    let dot = memchr::memmem::rfind(token, b".01.")?;
    let tail = &token[dot + 4..];
    if tail.len() != 9 {
        return Some(false);
    }
    let (head, sum) = token.split_at(token.len() - 7);
    Some(encode_base(u64::from(crc32(head)), BASE36, 7).as_bytes() == sum)
}

/// age secret keys (age-encryption.org/v1): bech32, human-readable part
/// `age-secret-key-`, upper-cased.
fn bech32(token: &[u8]) -> bool {
    const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let lower = token.to_ascii_lowercase();
    let Some(sep) = lower.iter().rposition(|&b| b == b'1') else {
        return false;
    };
    let (hrp, data) = (&lower[..sep], &lower[sep + 1..]);
    if data.len() < 6 {
        return false;
    }
    let mut values: Vec<u8> = hrp.iter().map(|&c| c >> 5).collect();
    values.push(0);
    values.extend(hrp.iter().map(|&c| c & 31));
    for &c in data {
        match CHARSET.iter().position(|&x| x == c) {
            Some(v) => values.push(v as u8),
            None => return false,
        }
    }
    let polymod = values.iter().fold(1u32, |chk, &v| {
        let top = chk >> 25;
        let mut chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
        chk
    });
    polymod == 1
}

/// Discord bot tokens: `base64(user id).timestamp.hmac`; a user id is a
/// 17-20 digit snowflake.
fn discord_user_id(token: &[u8]) -> bool {
    let first = token.split(|&b| b == b'.').next().unwrap_or_default();
    base64_decode(first)
        .is_some_and(|id| (17..=20).contains(&id.len()) && id.iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        // The CRC-32/ISO-HDLC check value of "123456789".
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn github_checksum_matches_published_example() {
        // The example token of the base62-token.js write-up of GitHub's format.
        assert_eq!(
            crc32_base62(b"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"),
            Some(true)
        );
        assert_eq!(
            crc32_base62(b"ghp_zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq18"),
            Some(false)
        );
        assert_eq!(crc32_base62(b"ghr_short"), None);
    }

    #[test]
    fn bech32_accepts_bip173_vectors_and_rejects_a_flipped_character() {
        // BIP-173 valid bech32 test vectors.
        assert!(bech32(b"A12UEL5L"));
        assert!(bech32(b"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"));
        assert!(!bech32(b"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx"));
    }

    #[test]
    fn discord_first_segment_is_a_user_id() {
        // base64("123456789012345678") = MTIzNDU2Nzg5MDEyMzQ1Njc4
        assert!(discord_user_id(b"MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.x"));
        assert!(!discord_user_id(b"MTIzNDU2.GhIjKl.x"));
    }
}
