"""Token formats of the vendors, as documented by them (prefix, length,
alphabet, checksum), for make_samples.py. Built with Python's own CRC32,
base64 and a bech32 encoder, never from drydock's patterns."""

import base64
import json
import random
import string
import urllib.parse
import zlib

SEED = 20261202
rng = random.Random(SEED)

DIGITS = string.digits
UPPER = string.ascii_uppercase
LOWER = string.ascii_lowercase
LETTERS = string.ascii_letters
ALNUM = LETTERS + DIGITS
B62 = DIGITS + UPPER + LOWER  # GitHub/npm checksum alphabet
HEX = "0123456789abcdef"
B64URL = ALNUM + "-_"
B32 = UPPER + "234567"


def r(chars, n):
    return "".join(rng.choice(chars) for _ in range(n))


def rb(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def b64(data, url=False, pad=True):
    out = (base64.urlsafe_b64encode if url else base64.b64encode)(data).decode()
    return out if pad else out.rstrip("=")


def base_n(n, digits, width):
    out = ""
    while n:
        out = digits[n % len(digits)] + out
        n //= len(digits)
    return out.rjust(width, digits[0])


def uuid4():
    h = r(HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:32]}"


# ------------------------------------------------------------------ vendor formats

def github(prefix):
    """GitHub blog 2021-04-05: prefix_ + 30 random base62 + base62(CRC32) in 6."""
    body = r(ALNUM, 30)
    return f"{prefix}_{body}{base_n(zlib.crc32(body.encode()), B62, 6)}"


def github_fine_grained():
    return f"github_pat_11{r(UPPER + DIGITS, 20)}_{r(ALNUM, 59)}"


def npm():
    body = r(ALNUM, 30)
    return f"npm_{body}{base_n(zlib.crc32(body.encode()), B62, 6)}"


def gitlab_routable(prefix):
    """GitLab RoutableToken: prefix + b64url(random16 + payload + len) + .01. +
    base36 b64 length (2) + base36 CRC32 (7) of everything before it."""
    payload = f"c:{base_n(rng.randint(1, 99), DIGITS + LOWER, 1)}\no:{base_n(rng.randint(1000, 99999), DIGITS + LOWER, 1)}\nu:{base_n(rng.randint(1000, 9999999), DIGITS + LOWER, 1)}"
    enc = b64(rb(16) + payload.encode() + bytes([len(payload)]), url=True, pad=False)
    head = f"{prefix}{enc}.01.{base_n(len(enc), DIGITS + LOWER, 2)}"
    return head + base_n(zlib.crc32(head.encode()), DIGITS + LOWER, 7)


def gitlab(prefix):
    return f"{prefix}{r(B64URL, 20)}"


BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((top >> i) & 1) else 0
    return chk


def age_key():
    """age-encryption.org/v1: bech32, HRP age-secret-key-, upper-cased."""
    hrp = "age-secret-key-"
    data, acc, bits = [], 0, 0
    for b in rb(32):
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + data
    pm = bech32_polymod(values + [0] * 6) ^ 1
    checksum = [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
    return (hrp + "1" + "".join(BECH32[d] for d in data + checksum)).upper()


def discord_bot():
    """Discord: base64(user id) . base64(timestamp) . HMAC."""
    user = str(rng.randint(10**16, 13 * 10**17))
    first = b64(user.encode(), pad=False)
    return f"{first}.{r(B64URL, 6)}.{r(B64URL, rng.choice([27, 38]))}"


def aws_key_id():
    return rng.choice(["AKIA", "AKIA", "ASIA"]) + r(B32, 16)


def aws_secret():
    return r(ALNUM + "+/", 40)


def azure_client_secret():
    tail = ALNUM + "_~.-"
    return r(ALNUM, 3) + rng.choice("78") + "Q~" + r(tail, 34)


def azure_storage_key():
    return b64(rb(64))


def sas_query():
    sig = urllib.parse.quote(b64(rb(32)), safe="")
    return (f"sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T0{rng.randint(0, 9)}:00:00Z"
            f"&st=2025-0{rng.randint(1, 9)}-0{rng.randint(1, 9)}T10:00:00Z&spr=https&sig={sig}")


def devops_pat():
    if rng.random() < 0.5:
        return r(LOWER + "234567", 52)
    return r(ALNUM, 52) + "JQQJ99" + r(ALNUM, 18) + "AZDO" + r(ALNUM, 4)


def slack_token():
    kind = rng.choice(["b", "b", "p", "a", "s", "e", "c", "app"])
    d = lambda: r(DIGITS, rng.randint(10, 13))
    if kind == "b":
        return f"xoxb-{d()}-{d()}-{r(ALNUM, 24)}"
    if kind == "p":
        return f"xoxp-{d()}-{d()}-{d()}-{r(HEX, 32)}"
    if kind == "a":
        return f"xoxa-2-{d()}-{d()}-{d()}-{r(HEX, 64)}"
    if kind == "s":
        return f"xoxs-{d()}-{d()}-{d()}-{r(HEX, 64)}"
    if kind == "e":
        return f"xoxe-1-My0x{r(ALNUM, 142)}"
    if kind == "c":
        return f"xoxe.xoxp-1-Mi0y{r(ALNUM, 158)}"
    return f"xapp-1-A{r(UPPER + DIGITS, 10)}-{r(DIGITS, 13)}-{r(HEX, 64)}"


def slack_webhook():
    return f"https://hooks.slack.com/services/T{r(UPPER + DIGITS, 8)}/B{r(UPPER + DIGITS, rng.choice([8, 10]))}/{r(ALNUM, 24)}"


def stripe():
    kind = rng.choice(["sk_live_", "sk_live_", "rk_live_", "sk_test_", "rk_test_", "whsec_"])
    if kind == "whsec_":
        return kind + r(ALNUM, 32)
    return kind + r(ALNUM, rng.choice([24, 99]))


def square():
    return rng.choice([lambda: "EAAA" + r(B64URL, 60), lambda: "sq0atp-" + r(B64URL, 22), lambda: "sq0csp-" + r(B64URL, 43)])()


def sendgrid():
    return f"SG.{r(B64URL, 22)}.{r(B64URL, 43)}"


def mailgun():
    if rng.random() < 0.5:
        return "key-" + r(HEX, 32)
    return f"{r(HEX, 32)}-{r(HEX, 8)}-{r(HEX, 8)}"


def mailchimp():
    return f"{r(HEX, 32)}-us{rng.randint(1, 21)}"


def brevo():
    return f"{rng.choice(['xkeysib', 'xkeysib', 'xsmtpsib'])}-{r(HEX, 64)}-{r(ALNUM, 16)}"


def telegram():
    return f"{rng.randint(10**7, 7 * 10**9)}:AA{r(B64URL, 33)}"


def discord_webhook():
    return f"https://discord.com/api/webhooks/{r(DIGITS, 19)}/{r(B64URL, 68)}"


def twitter_bearer():
    return "A" * 22 + r(ALNUM, 4) + "A" * 8 + r(ALNUM, 6) + "%2B" + r(ALNUM, 24) + "%3D" + r(ALNUM, 50)


def pypi():
    return "pypi-AgEIcHlwaS5vcmc" + b64(rb(rng.choice([100, 120])), url=True, pad=False)


def jfrog():
    if rng.random() < 0.5:
        return "AKCp8" + r(ALNUM, 68)
    return b64(f"reftkn:01:{rng.randint(10**9, 10**10)}:{r(ALNUM, 28)}".encode(), pad=False)


def vault():
    k = rng.choice(["hvs_new", "hvs_new", "hvs_old", "hvb"])
    if k == "hvs_new":
        return "hvs.CAESI" + r(B64URL, 86)
    if k == "hvs_old":
        return "hvs." + r(ALNUM, 24)
    return "hvb.AAAAAQ" + r(B64URL, 132)


def doppler():
    kind = rng.choice(["pt", "st", "sa", "ct"])
    mid = f"{rng.choice(['dev', 'stg', 'prd'])}." if kind == "st" else ""
    return f"dp.{kind}.{mid}{r(ALNUM, 43)}"


def flyio():
    if rng.random() < 0.4:
        return "fo1_" + r(B64URL, 43)
    return "fm2_" + b64(rb(rng.choice([150, 210])))


def planetscale():
    return f"pscale_{rng.choice(['tkn', 'pw', 'oauth'])}_{r(ALNUM + '_-', 43)}"


def newrelic():
    return rng.choice([lambda: "NRAK-" + r(UPPER + DIGITS, 27), lambda: r(HEX, 36) + "NRAL", lambda: "NRII-" + r(B64URL, 32)])()


def dynatrace():
    return f"dt0c01.{r(UPPER + DIGITS, 24)}.{r(UPPER + DIGITS, 64)}"


def sentry():
    if rng.random() < 0.5:
        return "sntryu_" + r(HEX, 64)
    claims = json.dumps({"iat": rng.randint(1.6e9, 1.8e9), "url": "https://sentry.io", "region_url": "https://us.sentry.io", "org": rng.choice(["acme", "shopfront", "dataco"])}, separators=(",", ":"))
    return f"sntrys_{b64(claims.encode(), pad=False)}_{b64(rb(32), pad=False)}"


def atlassian():
    body = r(B64URL, 180)
    return f"ATATT3xFfGF0{body}={base_n(zlib.crc32(body.encode()), '0123456789ABCDEF', 8)}"


def bitbucket():
    if rng.random() < 0.6:
        return "ATBB" + r(ALNUM, 24) + r("0123456789ABCDEF", 8)
    return "ATCTT3xFfGN0" + r(B64URL, 180) + "=" + r("0123456789ABCDEF", 8)


def openai():
    if rng.random() < 0.7:
        return "sk-proj-" + r(B64URL, 74) + "T3BlbkFJ" + r(B64URL, 74)
    return "sk-" + r(ALNUM, 20) + "T3BlbkFJ" + r(ALNUM, 20)


def anthropic():
    return "sk-ant-api03-" + r(B64URL, 93) + "AA"


def dropbox():
    return "sl.B" + r(B64URL, 138)


