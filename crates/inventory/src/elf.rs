//! Just enough ELF to find one section's bytes by name (`.go.buildinfo`, `.dep-v0`), so
//! binary analyzers need no object-file crate. Every offset is bounds-checked: the input
//! is an arbitrary file from an image.

const SHT_NOBITS: u32 = 8;

pub(crate) fn is_elf(data: &[u8]) -> bool {
    data.starts_with(b"\x7fELF")
}

/// The file bytes of the first section called `name`; `Ok(None)` when there is none.
pub(crate) fn section<'a>(data: &'a [u8], name: &str) -> Result<Option<&'a [u8]>, String> {
    let r = Reader::new(data)?;
    let (shoff, shentsize, shnum, shstrndx) = if r.wide {
        (
            r.u64(0x28)?,
            u64::from(r.u16(0x3A)?),
            u64::from(r.u16(0x3C)?),
            u64::from(r.u16(0x3E)?),
        )
    } else {
        (
            u64::from(r.u32(0x20)?),
            u64::from(r.u16(0x2E)?),
            u64::from(r.u16(0x30)?),
            u64::from(r.u16(0x32)?),
        )
    };
    if shoff == 0 || shnum == 0 {
        return Ok(None);
    }
    let header = |i: u64| -> Result<Section, String> {
        let at = i
            .checked_mul(shentsize)
            .and_then(|o| o.checked_add(shoff))
            .ok_or("section header offset overflows")?;
        let at = usize::try_from(at).map_err(|_| "section header offset too large")?;
        Ok(if r.wide {
            Section {
                name: r.u32(at)?,
                kind: r.u32(at + 4)?,
                offset: r.u64(at + 24)?,
                size: r.u64(at + 32)?,
            }
        } else {
            Section {
                name: r.u32(at)?,
                kind: r.u32(at + 4)?,
                offset: u64::from(r.u32(at + 16)?),
                size: u64::from(r.u32(at + 20)?),
            }
        })
    };
    let strtab = r.slice(header(shstrndx)?.offset, header(shstrndx)?.size)?;
    for i in 0..shnum {
        let sh = header(i)?;
        let start = usize::try_from(sh.name).map_err(|_| "section name offset too large")?;
        let Some(rest) = strtab.get(start..) else {
            continue;
        };
        let sec_name = rest.split(|&b| b == 0).next().unwrap_or_default();
        if sec_name == name.as_bytes() {
            if sh.kind == SHT_NOBITS {
                return Ok(None);
            }
            return r.slice(sh.offset, sh.size).map(Some);
        }
    }
    Ok(None)
}

struct Section {
    name: u32,
    kind: u32,
    offset: u64,
    size: u64,
}

struct Reader<'a> {
    data: &'a [u8],
    wide: bool,
    big: bool,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Result<Self, String> {
        if !is_elf(data) {
            return Err("not an ELF file".into());
        }
        let wide = match data.get(4) {
            Some(1) => false,
            Some(2) => true,
            _ => return Err("bad ELF class".into()),
        };
        let big = match data.get(5) {
            Some(1) => false,
            Some(2) => true,
            _ => return Err("bad ELF byte order".into()),
        };
        Ok(Self { data, wide, big })
    }

    fn bytes<const N: usize>(&self, at: usize) -> Result<[u8; N], String> {
        let end = at.checked_add(N).ok_or("offset overflows")?;
        let b = self
            .data
            .get(at..end)
            .ok_or_else(|| format!("ELF truncated at offset {at}"))?;
        let mut out = [0; N];
        out.copy_from_slice(b);
        if self.big {
            out.reverse();
        }
        Ok(out)
    }

    fn u16(&self, at: usize) -> Result<u16, String> {
        self.bytes(at).map(u16::from_le_bytes)
    }

    fn u32(&self, at: usize) -> Result<u32, String> {
        self.bytes(at).map(u32::from_le_bytes)
    }

    fn u64(&self, at: usize) -> Result<u64, String> {
        self.bytes(at).map(u64::from_le_bytes)
    }

    fn slice(&self, offset: u64, size: u64) -> Result<&'a [u8], String> {
        let start = usize::try_from(offset).map_err(|_| "section offset too large")?;
        let len = usize::try_from(size).map_err(|_| "section size too large")?;
        let end = start.checked_add(len).ok_or("section end overflows")?;
        self.data.get(start..end).ok_or_else(|| {
            format!(
                "section [{start}, {end}) lies outside the {} byte file",
                self.data.len()
            )
        })
    }
}

/// Whether a file may be a program worth reading for embedded build metadata (Go build
/// info, `cargo auditable` data): executable and over 1 KiB. Shared libraries, objects
/// and kernel modules are skipped by name: they carry the exec bit on many distros and
/// are the bulk of `/usr/lib`, while Go and Rust ship their programs as executables
/// (a Go `-buildmode=c-shared` library is the rare case this gives up).
pub(crate) fn may_be_program(path: &str, size: u64, mode: u32) -> bool {
    if mode & 0o111 == 0 || size <= 1024 {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let library = name.ends_with(".so")
        || name.contains(".so.")
        || [".a", ".o", ".ko", ".ko.xz", ".ko.zst", ".dll"]
            .iter()
            .any(|ext| name.ends_with(ext));
    !library
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(section(b"\x7fELF", ".x").is_err());
        let mut h = vec![0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 2;
        h[5] = 1;
        // Section headers claimed far past the end of the file.
        h[0x28..0x30].copy_from_slice(&u64::MAX.to_le_bytes());
        h[0x3C] = 3;
        assert!(section(&h, ".x").is_err());
        h[0x28..0x30].copy_from_slice(&0u64.to_le_bytes());
        assert_eq!(section(&h, ".x"), Ok(None));
    }
}
