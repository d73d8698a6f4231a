#!/usr/bin/env python3
"""Writes a starting corpus for every fuzz target into fuzz/corpus/<target>/ from the
repository's testdata (real databases and lockfiles) plus a few small hand-made files, so
the fuzzer starts from valid inputs instead of guessing magic numbers and checksums."""
import hashlib, io, json, os, sqlite3, struct, sys, tarfile, tempfile, zipfile, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TD = os.path.join(HERE, "..", "testdata")
OUT = os.path.join(HERE, "corpus")


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(rel):
    with open(os.path.join(TD, rel), "rb") as f:
        return f.read()


def rpm_blobs():
    """Header blobs of the real CBL-Mariner rpmdb.sqlite, smallest first."""
    con = sqlite3.connect(os.path.join(TD, "rpmdb/cbl-mariner-2.0/rpmdb.sqlite"))
    blobs = sorted((bytes(b) for (b,) in con.execute("SELECT blob FROM Packages")), key=len)
    con.close()
    return blobs


def ndb(blob):
    """An NDB Packages.db holding one blob (the layout the rpm_header target builds)."""
    page, blk = 4096, 16
    db = bytearray(page)
    db[0:4] = b"RpmP"
    db[12:16] = struct.pack("<I", 1)
    for at in range(32, page, 16):
        db[at:at + 4] = b"Slot"
    blocks = -(-(16 + len(blob) + 12) // blk)
    db[36:48] = struct.pack("<III", 1, page // blk, blocks)
    area = bytearray(b"BlbS" + struct.pack("<III", 1, 0, len(blob)) + blob)
    area += bytes(blocks * blk - 12 - len(area))
    area += struct.pack("<II", zlib.adler32(bytes(area)), len(blob)) + b"BlbE"
    return bytes(db + area)


def docker_archive():
    """Two layers (the second with a whiteout and an opaque dir) as a docker-archive."""
    def layer(files):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as t:
            for name, data in files:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
        return buf.getvalue()
    l1 = layer([("etc/os-release", b"ID=alpine\nVERSION_ID=3.19.0\n"), ("a/x", b"1"), ("d/y", b"2")])
    l2 = layer([("a/.wh.x", b""), ("d/.wh..wh..opq", b""), ("d/z", b"3")])
    ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in (l1, l2)]
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": ids},
                         "history": [{"created_by": "ADD x"}, {"created_by": "RUN rm"}]}).encode()
    cfg_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": cfg_name, "RepoTags": ["seed:1"],
                            "Layers": ["l1/layer.tar", "l2/layer.tar"]}]).encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for name, data in [("manifest.json", manifest), (cfg_name, config),
                           ("l1/layer.tar", l1), ("l2/layer.tar", l2)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def jar():
    def z(files):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as w:
            for n, d in files:
                w.writestr(n, d)
        return buf.getvalue()
    inner = z([("META-INF/MANIFEST.MF", "Implementation-Title: inner\nImplementation-Version: 2.0\n")])
    return z([("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1.0\n"),
              ("BOOT-INF/lib/inner.jar", inner)])


def main():
    put("dpkg_status", "debian-slim", read("os/debian-slim/var/lib/dpkg/status"))
    put("apk_installed", "alpine-310", read("os/alpine-310/lib/apk/db/installed"))
    put("debian_tracker", "tracker", read("distro-advisories/debian-tracker/tracker.json"))
    put("ubuntu_tracker", "cves", read("distro-advisories/ubuntu-tracker/cves.json"))
    # Pages merged with the listing shifted between them: a CVE listed twice, the later wins.
    cves = json.loads(read("distro-advisories/ubuntu-tracker/cves.json"))["cves"]
    merged = {"cves": cves[:4] + cves[3:], "total_results": len(cves)}
    put("ubuntu_tracker", "merged-pages", json.dumps(merged).encode())
    put("azure_oval", "azurelinux-3.0", read("distro-advisories/oval/azurelinux/azurelinux-3.0-oval.xml"))
    put("photon_oval", "photon4", read("distro-advisories/oval/photon/com.vmware.phsa-photon4.xml"))
    for n in ("1001", "1002", "1003"):
        put("redhat_vex", f"cve-2099-{n}", read(f"distro-advisories/redhat-vex/2099/cve-2099-{n}.json"))
    for n in ("changes", "deletions"):
        put("redhat_vex_listing", n, read(f"distro-advisories/redhat-vex-changes/{n}.csv"))
    for n in ("2023-47627", "2099-3101", "2099-3102", "2099-3103", "2099-3104", "2099-3105", "2099-3106"):
        put("suse_vex", f"cve-{n}", read(f"distro-advisories/suse-vex/cve-{n}.json"))
    put("bitnami_inventory", "postgresql-17.2.0", b"\x00"
        + read("distros/bitnami-postgresql/opt/bitnami/postgresql/.spdx-postgresql.spdx"))
    put("bitnami_inventory", "components", b"\x01" + json.dumps({
        "mongodb": {"arch": "amd64", "distro": "debian-10", "type": "NAMI", "version": "4.4.11-2"},
    }).encode())
    put("bottlerocket_inventory", "1.47.0",
        read("distros/bottlerocket/usr/share/bottlerocket/application-inventory.json"))
    put("python_metadata", "metadata", b"Metadata-Version: 2.1\nName: click\nVersion: 8.1.7\n"
        b"License: BSD-3-Clause\nClassifier: License :: OSI Approved :: BSD License\n\nbody\n")
    put("js_manifests", "package.json", b"\x00" + json.dumps(
        {"name": "x", "version": "1.0.0", "license": {"type": "MIT"}}).encode())
    put("js_manifests", "package-lock.json", b"\x01" + read("apps/debian-app/web-package-lock.json"))
    put("js_manifests", "yarn.lock", b"\x02" + read("apps/lockfiles/berry.yarn.lock"))
    put("js_manifests", "pnpm-lock.yaml", b"\x03" + b"lockfileVersion: '9.0'\npackages:\n"
        b"  ms@2.1.3:\n    resolution: {integrity: sha512-x}\nsnapshots:\n  ms@2.1.3: {}\n")
    # The build info blob of a real Go binary (inline strings, Go 1.18+) without the rest
    # of the 1.8 MB executable: outside ELF the analyzer scans the bytes for the magic.
    go = read("apps/debian-app/go-hello")
    at = go.index(b"\xff Go buildinf:")
    put("go_buildinfo", "go-hello-buildinfo", go[at:at + 16384])
    put("jar", "nested.jar", jar())
    put("secrets", "env", b"\x00AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
        b"password: hunter2\n")
    put("secrets", "yaml", b"\x01db:\n  password: s3cr3t-Value-123\n")
    put("secrets", "netrc", b"\x02machine example.com login me password pass123\n")
    blobs = rpm_blobs()
    put("rpm_header", "smallest", blobs[0])
    put("rpm_ndb", "one-package", ndb(blobs[0]))
    put("rpm_bdb", "libuuid", read("rpmdb/libuuid/Packages"))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "rpmdb.sqlite")
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)")
        con.executemany("INSERT INTO Packages (blob) VALUES (?)", [(b,) for b in blobs[:2]])
        con.commit()
        con.close()
        with open(path, "rb") as f:
            put("rpm_sqlite", "two-packages", f.read())
    put("image_archive", "two-layers.tar", docker_archive())
    # First byte: the index of the file in fuzz_targets/lockfiles.rs's FILES table.
    for pick, rel in [(0, "apps/drydock.Cargo.lock"), (1, "apps/lockfiles/go.mod"),
                      (4, "apps/lockfiles/uv.lock"), (6, "apps/lockfiles/pdm.lock"),
                      (11, "apps/lockfiles/gradle.lockfile"), (12, "apps/lockfiles/gson-proto.pom.xml")]:
        put("lockfiles", os.path.basename(rel), bytes([pick]) + read(rel))
    put("lockfiles", "os-release", bytes([27]) + b'ID=alpine\nVERSION_ID=3.10.9\nPRETTY_NAME="Alpine Linux v3.10"\n')
    for name in sorted(os.listdir(os.path.join(TD, "sbom"))):
        if name.endswith(".json"):
            put("sbom_input", name, read("sbom/" + name))
    mirror = os.path.join(TD, "matcher/mirror/osv")
    for eco in sorted(os.listdir(mirror)):
        zpath = os.path.join(mirror, eco, "all.zip")
        if os.path.isfile(zpath):
            with zipfile.ZipFile(zpath) as z:
                for member in z.namelist()[:3]:
                    put("osv_record", f"{eco.replace(':', '_')}-{member}", z.read(member))
    # Chainguard's unfixed records, so the fuzzer starts inside `ecosystem_specific.components`.
    for eco in ("Wolfi", "Chainguard"):
        for name in sorted(os.listdir(os.path.join(TD, "distro-advisories/osv", eco))):
            put("osv_record", f"{eco}-{name}", read(f"distro-advisories/osv/{eco}/{name}"))
    for root, _, names in os.walk(os.path.join(TD, "distros")):
        for name in names:
            if root.endswith("content_manifests") and name.endswith(".json"):
                with open(os.path.join(root, name), "rb") as f:
                    put("lockfiles", "content-manifest-" + name, bytes([28]) + f.read())
    for root, _, names in os.walk(TD):
        for name in names:
            if name == "updateinfo.xml":
                with open(os.path.join(root, name), "rb") as f:
                    put("alas_updateinfo", os.path.basename(root) + "-updateinfo.xml", f.read())
            # Fedora's, as its repositories serve them (xz, zstd) and in the plain.
            if name.endswith("-updateinfo.xml") or "-updateinfo.xml." in name:
                with open(os.path.join(root, name), "rb") as f:
                    put("fedora_updateinfo", name, f.read())
    # cargo auditable's section payload: zlib-compressed JSON of the dependency tree.
    deps = {"packages": [{"name": "rust-hello", "version": "0.1.0", "source": "local", "root": True,
                          "dependencies": [1]},
                         {"name": "regex", "version": "1.5.4", "source": "crates.io"}]}
    put("cargo_auditable", "dep-v0", zlib.compress(json.dumps(deps).encode()))


if __name__ == "__main__":
    main()
    sys.exit(0)
