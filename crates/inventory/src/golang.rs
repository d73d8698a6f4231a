//! Go binaries: the build info blob the linker embeds (what `go version -m` prints), read
//! the way Go's `debug/buildinfo` does but by scanning bytes instead of loading the object
//! file. Go ≥ 1.18 writes the strings inline after the header; older linkers wrote two
//! pointers to Go string headers instead, which are followed through the ELF segments
//! (pointer-format Mach-O and PE binaries are reported, not read).

use crate::{Analysis, AnalyzeError, Analyzer, Package, PackageKind, elf};

/// Executables built by Go: modules compiled in, plus `stdlib` at the toolchain version.
pub struct GoBinaryAnalyzer;

const MAGIC: &[u8] = b"\xff Go buildinf:";
const HEADER_LEN: usize = 32;
const ALIGN: usize = 16;
/// Header flag: version and modinfo follow the header as varint-prefixed strings.
const FLAG_INLINE: u8 = 0x2;

impl Analyzer for GoBinaryAnalyzer {
    fn name(&self) -> &'static str {
        "go-binary"
    }
    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &str, size: u64, mode: u32) -> bool {
        elf::may_be_program(path, size, mode)
    }

    fn stream(&self, path: &str) -> Option<Box<dyn crate::StreamAnalysis>> {
        Some(Box::new(GoStream {
            path: path.to_owned(),
            window: elf::Window::new(Some(MAGIC)),
        }))
    }

    fn analyze(&self, path: &str, content: &[u8]) -> Result<Analysis, AnalyzeError> {
        if !is_executable_format(content) {
            return Ok(Analysis::default());
        }
        // Go always writes the blob into `.go.buildinfo` on ELF: an ELF without that
        // section is not a Go binary, even if its bytes mention the magic (a Go-aware tool
        // does). Other formats, and ELF files whose section table is unreadable, are
        // scanned whole.
        let region = match elf::is_elf(content).then(|| elf::section(content, ".go.buildinfo")) {
            Some(Ok(Some(section))) => section,
            Some(Ok(None)) => return Ok(Analysis::default()),
            Some(Err(_)) | None => content,
        };
        let Some(at) = find_header(region) else {
            return Ok(Analysis::default());
        };
        let info = decode(region, at, content)
            .map_err(|m| AnalyzeError::new(path, format!("Go build info: {m}")))?;
        Ok(Analysis {
            packages: packages(path, &info),
            ..Analysis::default()
        })
    }
}

/// A large executable read in one pass: the header, tail and the bytes after each aligned
/// build-info magic are kept, which is all the lookup below needs.
struct GoStream {
    path: String,
    window: elf::Window,
}

impl crate::StreamAnalysis for GoStream {
    fn feed(&mut self, chunk: &[u8]) {
        self.window.feed(chunk);
    }

    fn finish(mut self: Box<Self>) -> Result<Analysis, AnalyzeError> {
        self.window.seal();
        let w = &self.window;
        let head = elf::Bytes::get(w, 0, 8).unwrap_or_default();
        if !is_executable_format(head) {
            return Ok(Analysis::default());
        }
        let err = |m: String| AnalyzeError::new(&self.path, format!("Go build info: {m}"));
        let region = if elf::is_elf(head) {
            match elf::section(w, ".go.buildinfo") {
                Ok(Some(section)) => section,
                Ok(None) => return Ok(Analysis::default()),
                Err(m) => return Err(err(m)),
            }
        } else {
            match w.captures().next() {
                Some((_, bytes)) => bytes,
                None => return Ok(Analysis::default()),
            }
        };
        let Some(at) = find_header(region) else {
            return Ok(Analysis::default());
        };
        let info = decode(region, at, w).map_err(err)?;
        Ok(Analysis {
            packages: packages(&self.path, &info),
            ..Analysis::default()
        })
    }
}

fn is_executable_format(data: &[u8]) -> bool {
    const MAGICS: [&[u8]; 7] = [
        b"\x7fELF",
        b"MZ",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
    ];
    MAGICS.iter().any(|m| data.starts_with(m))
}

/// Offset of the first 16-byte-aligned magic with room for the header, as Go searches.
fn find_header(data: &[u8]) -> Option<usize> {
    let mut at = 0;
    while at + HEADER_LEN <= data.len() {
        let found = at
            + data
                .get(at..)?
                .windows(MAGIC.len())
                .position(|w| w == MAGIC)?;
        if found % ALIGN == 0 && data.len() - found >= HEADER_LEN {
            return Some(found);
        }
        at = (found + ALIGN) & !(ALIGN - 1);
    }
    None
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Module {
    path: String,
    version: String,
}

#[derive(Debug, Default)]
struct BuildInfo {
    go_version: String,
    main: Option<Module>,
    deps: Vec<Module>,
}

/// `region` holds the header at `at`; `file` is the whole executable, which pointer-format
/// headers point into.
fn decode<B: elf::Bytes + ?Sized>(region: &[u8], at: usize, file: &B) -> Result<BuildInfo, String> {
    let flags = *region.get(at + 15).ok_or("truncated header")?;
    let (version, modinfo) = if flags & FLAG_INLINE == 0 {
        pointed_strings(region, at, file)?
    } else {
        let mut rest = region.get(at + HEADER_LEN..).ok_or("truncated header")?;
        let version = read_string(&mut rest).ok_or("version string runs past the end")?;
        let modinfo = read_string(&mut rest).ok_or("module info runs past the end")?;
        (version, modinfo)
    };
    let version = std::str::from_utf8(version).map_err(|_| "version is not UTF-8")?;
    if !version.starts_with("go") && !version.starts_with("devel") {
        return Err(format!(
            "implausible Go version {:?}",
            version.chars().take(40).collect::<String>()
        ));
    }
    let modinfo =
        std::str::from_utf8(strip_sentinels(modinfo)).map_err(|_| "module info is not UTF-8")?;
    let mut info = parse_modinfo(modinfo);
    info.go_version = version.to_owned();
    Ok(info)
}

/// Longest build-info string followed through a pointer: module lists are kilobytes.
const MAX_POINTED: u64 = 4 << 20;

/// The pre-1.18 header: pointer size at byte 14, flag bit 0 for big-endian, then the
/// addresses of the `runtime.buildVersion` and `runtime.modinfo` string headers
/// (data pointer, length), each of which points at the bytes.
fn pointed_strings<'a, B: elf::Bytes + ?Sized>(
    region: &[u8],
    at: usize,
    file: &'a B,
) -> Result<(&'a [u8], &'a [u8]), String> {
    let head = file.get(0, 4).unwrap_or_default();
    if !elf::is_elf(head) {
        return Err(
            "pre-Go 1.18 pointer format is read from ELF binaries only; modules not listed".into(),
        );
    }
    let size = usize::from(*region.get(at + 14).ok_or("truncated header")?);
    if size != 4 && size != 8 {
        return Err(format!("pointer size {size} in header"));
    }
    let big = region.get(at + 15).is_some_and(|f| f & 1 == 1);
    let word = |b: &[u8]| -> u64 {
        let mut n = 0u64;
        for i in 0..b.len() {
            let byte = if big { b[i] } else { b[b.len() - 1 - i] };
            n = (n << 8) | u64::from(byte);
        }
        n
    };
    let ptrs = region
        .get(at + 16..at + 16 + 2 * size)
        .ok_or("truncated header")?;
    let string_at = |header_addr: u64| -> Result<&'a [u8], String> {
        let w = size as u64;
        let header = elf::read_vaddr(file, header_addr, 2 * w)?
            .ok_or_else(|| format!("string header at {header_addr:#x} is not in the file"))?;
        let (data, len) = (word(&header[..size]), word(&header[size..]));
        if len > MAX_POINTED {
            return Err(format!("string of {len} bytes at {data:#x}"));
        }
        elf::read_vaddr(file, data, len)?
            .ok_or_else(|| format!("string at {data:#x} is not in the file"))
    };
    Ok((
        string_at(word(&ptrs[..size]))?,
        string_at(word(&ptrs[size..]))?,
    ))
}

/// `encoding/binary.Uvarint` length, then that many bytes.
fn read_string<'a>(data: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (mut len, mut shift, mut used) = (0u64, 0u32, 0usize);
    loop {
        let b = *data.get(used)?;
        used += 1;
        len |= u64::from(b & 0x7f).checked_shl(shift)?;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
    let end = used.checked_add(usize::try_from(len).ok()?)?;
    let s = data.get(used..end)?;
    *data = data.get(end..)?;
    Some(s)
}

/// The linker wraps modinfo in two 16-byte sentinels; Go drops them when the byte before
/// the trailing one is `\n`, and treats anything else as no module info.
fn strip_sentinels(m: &[u8]) -> &[u8] {
    if m.len() >= 33 && m.get(m.len() - 17) == Some(&b'\n') {
        m.get(16..m.len() - 16).unwrap_or_default()
    } else {
        &[]
    }
}

/// `path`/`mod`/`dep`/`=>` lines (tab-separated); `=>` replaces the module before it.
fn parse_modinfo(text: &str) -> BuildInfo {
    let mut info = BuildInfo::default();
    for line in text.lines() {
        let mut f = line.split('\t');
        let (key, path, version) = (
            f.next().unwrap_or_default(),
            f.next().unwrap_or_default(),
            f.next().unwrap_or_default(),
        );
        let module = Module {
            path: path.to_owned(),
            version: version.to_owned(),
        };
        match key {
            "mod" => info.main = Some(module),
            "dep" => info.deps.push(module),
            "=>" => {
                if let Some(last) = info.deps.last_mut() {
                    *last = module;
                } else if let Some(main) = &mut info.main {
                    *main = module;
                }
            }
            _ => {}
        }
    }
    info
}

/// A main module built from a work tree has version `(devel)`, and a local `=>` replacement
/// has none: neither names a released module, so both are left out.
fn packages(location: &str, info: &BuildInfo) -> Vec<Package> {
    let mut out: Vec<Package> = info
        .main
        .iter()
        .chain(&info.deps)
        .filter(|m| !m.path.is_empty() && !m.version.is_empty() && m.version != "(devel)")
        .map(|m| Package::app(PackageKind::Go, &m.path, &m.version, location))
        .collect();
    // `go1.21.3`, `go1.21.3 X:boringcrypto`; `devel go1.22-abc` has no release to match.
    if let Some(v) = info
        .go_version
        .split_whitespace()
        .next()
        .and_then(|v| v.strip_prefix("go"))
    {
        out.push(Package::app(PackageKind::Go, "stdlib", v, location));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal well-formed blob: header, inline version and sentinel-wrapped modinfo.
    fn blob(flags: u8, version: &str, modinfo: &str) -> Vec<u8> {
        let mut b = vec![0x7f, b'E', b'L', b'F'];
        b.resize(64, 0);
        b.extend_from_slice(MAGIC);
        b.push(8);
        b.push(flags);
        b.resize(64 + HEADER_LEN, 0);
        let wrapped = format!("{}{modinfo}{}", "0".repeat(16), "1".repeat(16));
        for s in [version, wrapped.as_str()] {
            let mut n = s.len();
            while n >= 0x80 {
                b.push(u8::try_from(n & 0x7f).unwrap() | 0x80);
                n >>= 7;
            }
            b.push(u8::try_from(n).unwrap());
            b.extend_from_slice(s.as_bytes());
        }
        b
    }

    #[test]
    fn wants_executables_over_1k() {
        assert!(GoBinaryAnalyzer.wants("usr/bin/x", 2048, 0o100755));
        assert!(!GoBinaryAnalyzer.wants("usr/bin/x", 2048, 0o100644));
        assert!(!GoBinaryAnalyzer.wants("usr/bin/x", 1000, 0o755));
        assert!(!GoBinaryAnalyzer.wants(
            "usr/lib/x86_64-linux-gnu/libLLVM-15.so.1",
            1 << 20,
            0o755
        ));
        assert!(!GoBinaryAnalyzer.wants("usr/lib/libfoo.so", 1 << 20, 0o755));
    }

    #[test]
    fn replacements_and_devel() {
        let m = "path\tex.com/a\nmod\tex.com/a\t(devel)\t\ndep\tgithub.com/x/y\tv1.0.0\th1:abc=\n=>\tgithub.com/z/y\tv1.1.0\th1:def=\ndep\tex.com/local\tv0.0.0\n=>\t../local\t\t\nbuild\tGOOS=linux\n";
        let a = GoBinaryAnalyzer
            .analyze("bin/a", &blob(FLAG_INLINE, "go1.21.3 X:boringcrypto", m))
            .unwrap();
        let got: Vec<(&str, &str)> = a.packages.iter().map(|p| (&*p.name, &*p.version)).collect();
        assert_eq!(got, [("github.com/z/y", "v1.1.0"), ("stdlib", "1.21.3")]);
    }

    #[test]
    fn bad_blobs_are_errors_naming_the_file() {
        let e = GoBinaryAnalyzer
            .analyze("bin/old", &blob(0, "go1.16", ""))
            .unwrap_err();
        assert_eq!(e.path, "bin/old");
        let mut b = blob(FLAG_INLINE, "go1.20", "mod\tx\tv1\t\n");
        b.truncate(64 + HEADER_LEN + 3);
        assert!(GoBinaryAnalyzer.analyze("bin/cut", &b).is_err());
        let b = blob(FLAG_INLINE, "\u{1}garbage", "");
        assert!(GoBinaryAnalyzer.analyze("bin/g", &b).is_err());
        // An executable that is not a binary at all, or a binary without the magic, is simply not Go.
        assert!(
            GoBinaryAnalyzer
                .analyze("bin/sh", b"#!/bin/sh\necho hi\n")
                .unwrap()
                .packages
                .is_empty()
        );
        assert!(
            GoBinaryAnalyzer
                .analyze("bin/c", b"\x7fELF\x02\x01")
                .unwrap()
                .packages
                .is_empty()
        );
    }
}
