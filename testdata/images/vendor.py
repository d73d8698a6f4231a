#!/usr/bin/env python3
"""Copies the small images drydock's tests need from ../shared/images into this folder,
with the matching slice of the corpus INDEX.json (the independent expected inventory).

Usage: python3 testdata/images/vendor.py [SHARED_IMAGES_DIR]
"""
import json, os, shutil, sys

here = os.path.dirname(os.path.abspath(__file__))
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../shared/images")
small = os.path.join(shared, "small")
keep = {
    "busybox": ["busybox.oci.tar"],
    "multiarch": ["multiarch.oci.tar"],
    "thirdparty/alpine-310.tar.gz": ["alpine-310.tar.gz"],
    "thirdparty/hello-world-v25.tar": ["hello-world-v25.tar"],
    "thirdparty/whiteout_image.tar": ["whiteout_image.tar"],
}
index = json.load(open(os.path.join(shared, "INDEX.json")))
out = {"generated_by": "testdata/images/vendor.py from the corpus INDEX.json (gen_index.py, independent of any scanner)", "images": {}}
for name, formats in keep.items():
    entry = dict(index["images"][name])
    entry["formats"] = {k: v for k, v in entry["formats"].items() if k in formats}
    out["images"][name] = entry
    for f in entry["formats"].values():
        dst = os.path.join(here, f["path"])
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(small, f["path"]), dst)
shutil.copyfile(os.path.join(small, "thirdparty/SOURCES.md"), os.path.join(here, "thirdparty/SOURCES.md"))
json.dump(out, open(os.path.join(here, "INDEX.json"), "w"), indent=1, sort_keys=True)
print("vendored", sum(len(v["formats"]) for v in out["images"].values()), "image files")
