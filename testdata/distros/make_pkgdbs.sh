#!/bin/sh
# Writes the package databases of the distribution fixtures (the rpm ones with Debian's
# `rpm` 4.18, which writes the SQLite format rpm >= 4.16 uses; the apk ones by hand, the
# format being text). Each rpm package is a tiny noarch package built from a spec whose
# Name is the source package, so SOURCERPM and the epoch are what the distribution's own
# build would record; nothing is installed but the database entry (--justdb).
# The Berkeley DB `Packages` of RHEL/CentOS 7-8 and Amazon Linux 2, which rpm 4.18 reads but
# cannot write, is made from the same headers: installed into a scratch SQLite database, then
# loaded with db5.3_load as rpm's bdb backend keys it (see bdb_packages below).
# Usage: sh testdata/distros/make_pkgdbs.sh
#   (needs rpm, rpmbuild, sqlite3 and db5.3_load: apt-get install rpm sqlite3 db5.3-util)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# pkg FIXTURE DBDIR SOURCE EPOCH VERSION RELEASE BINARY...
# (EPOCH "-" for none; a BINARY equal to SOURCE is the main package)
pkg() {
    fixture=$1 dbdir=$2 src=$3 epoch=$4 ver=$5 rel=$6
    shift 6
    spec="$work/$fixture-$src.spec"
    {
        echo "Name: $src"
        [ "$epoch" = - ] || echo "Epoch: $epoch"
        echo "Version: $ver"
        echo "Release: $rel"
        echo "Summary: fixture"
        echo "License: MIT"
        echo "BuildArch: noarch"
        echo "%description"
        echo "fixture"
        for b in "$@"; do
            if [ "$b" = "$src" ]; then
                echo "%files"
            else
                printf '%%package -n %s\nSummary: fixture\n%%description -n %s\nfixture\n%%files -n %s\n' "$b" "$b" "$b"
            fi
        done
    } >"$spec"
    out="$work/rpms/$fixture"
    mkdir -p "$out"
    rpmbuild --quiet --define "_topdir $work/top" --define "_rpmdir $out" \
        --define '_build_name_fmt %%{NAME}.rpm' -bb "$spec" >/dev/null
    echo "$dbdir" >"$work/rpms/$fixture.dbdir"
}

pkg almalinux-9 var/lib/rpm openssl 1 3.0.1 43.el9_0 openssl-libs
pkg almalinux-9 var/lib/rpm curl - 7.76.1 19.el9 libcurl-minimal
pkg almalinux-9 var/lib/rpm systemd - 250 12.el9_1 systemd-libs
pkg almalinux-9 var/lib/rpm bash - 5.1.8 6.el9_1 bash
pkg almalinux-9 var/lib/rpm zlib - 1.2.11 35.el9_1 zlib

pkg rocky-9 var/lib/rpm openssl 1 3.0.7 24.el9 openssl-libs
pkg rocky-9 var/lib/rpm python3.9 - 3.9.18 1.el9_3 python3 python3-libs

pkg azurelinux-3 var/lib/rpm curl - 8.8.0 1.azl3 curl libcurl
pkg azurelinux-3 var/lib/rpm openssl - 3.3.0 2.azl3 openssl-libs

pkg photon-4 var/lib/rpm curl - 7.86.0 2.ph4 curl curl-libs
pkg photon-4 var/lib/rpm zlib - 1.2.13 1.ph4 zlib

pkg mageia-9 var/lib/rpm curl - 8.1.2 1.mga9 curl lib64curl4
pkg mageia-9 var/lib/rpm sudo - 1.9.15~rc1 1.mga9 sudo

pkg openeuler-24.03 var/lib/rpm openssl 1 3.0.12 5.oe2403sp1 openssl openssl-libs
pkg openeuler-24.03 var/lib/rpm libxml2 - '2.12.5^20240101' 1.oe2403sp1 libxml2

pkg rhel-9 var/lib/rpm openssl 1 3.0.7 24.el9 openssl-libs
pkg rhel-9 var/lib/rpm curl - 7.76.1 26.el9 libcurl-minimal
pkg rhel-9 var/lib/rpm python3.12 - 3.12.1 4.el9 python3.12

# SUSE: the rpm database where SLE Micro and Tumbleweed keep it (/usr/lib/sysimage/rpm).
pkg sle-micro-5.5 usr/lib/sysimage/rpm openssl-1_1 - 1.1.1l 150500.17.19.1 libopenssl1_1
pkg opensuse-tumbleweed usr/lib/sysimage/rpm curl - 8.5.0 1.1 curl libcurl4
pkg sl-micro-6.1 usr/lib/sysimage/rpm openssl-3 - 3.1.4 slfo.1.1_3.1 libopenssl3
pkg sles-16.0 usr/lib/sysimage/rpm openssl-3 - 3.5.0 160000.3.1 libopenssl3

# SLES 12 SP5: Berkeley DB (BDB_FIXTURES), the format SLE 12 keeps in /var/lib/rpm.
pkg sles-12.5 var/lib/rpm zlib - 1.2.11 3.24.1 libz1
pkg sles-12.5 var/lib/rpm openssl-1_0_0 - 1.0.2p 3.49.1 libopenssl1_0_0

# Amazon Linux: matched against ALAS (testdata/distro-advisories/alas/).
pkg amazon-2023 var/lib/rpm bash - 5.2.15 1.amzn2023.0.2 bash
pkg amazon-2023 var/lib/rpm curl - 8.5.0 1.amzn2023.0.1 libcurl-minimal

# Amazon Linux 2: Berkeley DB (BDB_FIXTURES), matched against ALAS.
pkg amazon-2 var/lib/rpm bash - 4.2.46 34.amzn2 bash
pkg amazon-2 var/lib/rpm curl - 7.79.1 1.amzn2.0.1 curl libcurl
pkg amazon-2 var/lib/rpm openssl 1 1.0.2k 24.amzn2.0.4 openssl-libs

# RHEL 8 (Berkeley DB, as RHEL 8 images keep it): matched against the el8 RHSA records.
pkg rhel-8 var/lib/rpm openssl 1 1.1.1k 7.el8_6 openssl-libs
pkg rhel-8 var/lib/rpm curl - 7.61.1 22.el8 libcurl-minimal

# Releases whose advisories are not in OSV: inventoried, reported as not covered.
# CentOS Linux 8 (end of life) keeps the Berkeley DB format.
pkg centos-8 var/lib/rpm bash - 4.4.20 1.el8_4 bash
pkg centos-8 var/lib/rpm openssl 1 1.1.1k 5.el8_5 openssl-libs
# CentOS Linux 7 (end of life 2024-06-30): Berkeley DB, matched against RHEL 7 Server's records.
pkg centos-7 var/lib/rpm bash - 4.2.46 35.el7_9 bash
pkg centos-7 var/lib/rpm openssl 1 1.0.2k 25.el7_9 openssl-libs
pkg fedora-38 var/lib/rpm bash - 5.2.15 3.fc38 bash
# Fedora 38 is matched against Fedora's updateinfo (testdata/distro-advisories/fedora/).
pkg fedora-38 var/lib/rpm curl - 8.0.1 1.fc38 curl-minimal libcurl-minimal
pkg fedora-38 var/lib/rpm openssl 1 3.0.8 1.fc38 openssl-libs
pkg oracle-9 var/lib/rpm bash - 5.1.8 9.el9 bash
pkg centos-stream-9 var/lib/rpm bash - 5.1.8 9.el9 bash

# Fixtures whose database is the Berkeley DB `Packages`, not `rpmdb.sqlite`.
BDB_FIXTURES="amazon-2 centos-7 centos-8 rhel-8 sles-12.5"

# bdb_packages SQLITE_DB OUT: writes OUT (a Berkeley DB hash) with the headers of SQLITE_DB the
# way rpm's bdb backend stores them, as `db5.3_dump` of a real RHEL 8 Packages shows: key = the
# header instance number as a 4-byte native-endian (here little-endian) integer, value = the
# header blob (rpm's headerExport, the same bytes the SQLite `Packages.blob` holds); key 0
# holds the highest instance number, which rpm reads to number the next install.
bdb_packages() {
    le32() { printf '%08x' "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }
    max=$(sqlite3 "$1" 'SELECT max(hnum) FROM Packages')
    {
        printf 'VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=4096\nHEADER=END\n'
        printf ' %s\n %s\n' "$(le32 0)" "$(le32 "$max")"
        sqlite3 -separator ' ' "$1" 'SELECT hnum, lower(hex(blob)) FROM Packages ORDER BY hnum' |
            while read -r hnum blob; do
                printf ' %s\n %s\n' "$(le32 "$hnum")" "$blob"
            done
        echo DATA=END
    } | db5.3_load -t hash "$2"
    # Stores the key and record counts in the meta page, as a real rpm-written Packages has them.
    db5.3_stat -d "$2" >/dev/null
}

for f in "$work"/rpms/*.dbdir; do
    fixture=$(basename "$f" .dbdir)
    db="$here/$fixture/$(cat "$f")"
    rm -rf "$db"
    mkdir -p "$db"
    case " $BDB_FIXTURES " in
    *" $fixture "*) inst="$work/sqlite-$fixture" bdb=yes ;;
    *) inst="$db" bdb= ;;
    esac
    mkdir -p "$inst"
    rpm --dbpath "$inst" --initdb
    rpm --dbpath "$inst" -i --justdb --nodeps --noscripts --notriggers \
        "$work/rpms/$fixture"/*.rpm 2>/dev/null
    rm -f "$inst/.rpm.lock" "$inst/rpmdb.sqlite-shm" "$inst/rpmdb.sqlite-wal"
    if [ -n "$bdb" ]; then
        bdb_packages "$inst/rpmdb.sqlite" "$db/Packages"
        backend="--define=_db_backend bdb_ro"
    else
        backend="--define=_db_backend sqlite"
    fi
    # bdb_ro warns of each index file (Name, Basenames, ...) it cannot open: only Packages is written.
    rpm --dbpath "$db" "$backend" -qa \
        --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{SOURCERPM}\n' 2>"$work/qa.err" | sort \
        | sed "s|^|$fixture: |"
    grep -v '^warning: could not open .*: No such file or directory$' "$work/qa.err" >&2 || true
    rm -f "$db/.rpm.lock" "$db/rpmdb.sqlite-shm" "$db/rpmdb.sqlite-wal"
done

# apk: the installed database is text (P name, V version, A arch, o origin, L licence).
apk() {
    mkdir -p "$here/$1/lib/apk/db"
    cat >"$here/$1/lib/apk/db/installed"
}
apk wolfi <<'APK'
C:Q1cF1j9bFmqbPJMFbsSLoCJsOMl1k=
P:glibc
V:2.38-r5
A:x86_64
L:LGPL-2.1-or-later
o:glibc

C:Q1R3e0UuGfoe4v3ALTyvSaJMfsxPs=
P:libcrypto3
V:3.2.0-r0
A:x86_64
L:Apache-2.0
o:openssl

C:Q1v3H0Hn7ra7AB4JZMaFXSO2H9D4A=
P:busybox
V:1.36.1-r6
A:x86_64
L:GPL-2.0-only
o:busybox

APK
apk chainguard <<'APK'
C:Q1hSbVBqR7J6OJk5aT3bD2x5kq4Ws=
P:libcurl-openssl4
V:8.4.0-r0
A:x86_64
L:MIT
o:curl

C:Q1tFm1jj8oKs0YdLhPYeXJvTQW5o0=
P:zlib
V:1.3_rc1-r0
A:x86_64
L:Zlib
o:zlib

APK
# Alpine edge: versions chosen around the fixes in ../distro-advisories/alpine-secdb/edge/
# (the real secdb of 2024-12-31; expected findings in crates/scanner/tests/alpine_edge.rs).
apk alpine-edge <<'APK'
P:apk-tools
V:2.14.4-r1
A:x86_64
L:GPL-2.0-only
o:apk-tools

P:busybox
V:1.36.1-r29
A:x86_64
L:GPL-2.0-only
o:busybox

P:libcrypto3
V:3.3.2-r1
A:x86_64
L:Apache-2.0
o:openssl

P:libssl3
V:3.3.2-r1
A:x86_64
L:Apache-2.0
o:openssl

P:musl
V:1.2.2-r0
A:x86_64
L:MIT
o:musl

P:xz-libs
V:5.6.1-r1
A:x86_64
L:0BSD
o:xz

P:zlib
V:1.3.1-r2
A:x86_64
L:Zlib
o:zlib

P:go
V:1.23.0-r0
A:x86_64
L:BSD-3-Clause
o:go

P:redis
V:7.2.5-r0
A:x86_64
L:BSD-3-Clause
o:redis

APK
