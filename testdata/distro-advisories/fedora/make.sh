#!/bin/sh
# Lays out src/<release>-updateinfo.xml as Fedora's `updates` folder does:
# <release>/Everything/x86_64/repodata/repomd.xml naming <sha256>-updateinfo.xml.xz (xz-utils,
# as Fedora compresses it; 37's with zstd, as newer createrepo_c can). Usage: sh make.sh
set -eu
cd "$(dirname "$0")"
for src in src/*-updateinfo.xml; do
    rel=$(basename "$src" -updateinfo.xml)
    repo="$rel/Everything/x86_64/repodata"
    rm -rf "$rel" && mkdir -p "$repo"
    if [ "$rel" = 37 ]; then
        zstd -q -19 -c "$src" > "$repo/tmp" && ext=zst
    else
        xz -9 -c "$src" > "$repo/tmp" && ext=xz
    fi
    sum=$(sha256sum "$repo/tmp" | cut -d' ' -f1)
    open=$(sha256sum "$src" | cut -d' ' -f1)
    mv "$repo/tmp" "$repo/$sum-updateinfo.xml.$ext"
    cat > "$repo/repomd.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>4070908800</revision>
  <data type="primary">
    <checksum type="sha256">0000000000000000000000000000000000000000000000000000000000000000</checksum>
    <location href="repodata/0000000000000000000000000000000000000000000000000000000000000000-primary.xml.zst"/>
  </data>
  <data type="updateinfo">
    <checksum type="sha256">$sum</checksum>
    <open-checksum type="sha256">$open</open-checksum>
    <location href="repodata/$sum-updateinfo.xml.$ext"/>
    <timestamp>4070908800</timestamp>
  </data>
  <data type="updateinfo_zck">
    <checksum type="sha256">1111111111111111111111111111111111111111111111111111111111111111</checksum>
    <location href="repodata/1111111111111111111111111111111111111111111111111111111111111111-updateinfo.xml.zck"/>
  </data>
</repomd>
XML
done
