//! Just enough ELF to find one section's bytes by name (`.go.buildinfo`, `.dep-v0`), so
//! binary analyzers need no object-file crate. Every offset is bounds-checked: the input
//! is an arbitrary file from an image.

const SHT_NOBITS: u32 = 8;

pub(crate) fn is_elf(data: &[u8]) -> bool {
    data.starts_with(b"\x7fELF")
}

/// Random access to (parts of) a file: a whole buffer, or the windows a bounded
/// [`Window`] kept of a file too large to hold.
pub(crate) trait Bytes {
    /// `len` bytes at `start`, when held.
    fn get(&self, start: u64, len: u64) -> Option<&[u8]>;
    /// The file's full size.
    fn size(&self) -> u64;
}

impl Bytes for [u8] {
    fn get(&self, start: u64, len: u64) -> Option<&[u8]> {
        let start = usize::try_from(start).ok()?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        self.get(start..end)
    }

    fn size(&self) -> u64 {
        self.len() as u64
    }
}

/// The file bytes of the first section called `name`; `Ok(None)` when there is none.
pub(crate) fn section<'a, B: Bytes + ?Sized>(
    data: &'a B,
    name: &str,
) -> Result<Option<&'a [u8]>, String> {
    let r = Reader::new(data)?;
    let table = r.table()?;
    if table.count == 0 {
        return Ok(None);
    }
    let names = r.section_header(&table, table.names)?;
    let strtab = r.slice(names.offset, names.size)?;
    for i in 0..table.count {
        let sh = r.section_header(&table, i)?;
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

/// `len` bytes at virtual address `addr`, through the loadable segments (`PT_LOAD`) as a
/// loader maps them; `Ok(None)` when no segment's file bytes cover the address.
pub(crate) fn read_vaddr<B: Bytes + ?Sized>(
    data: &B,
    addr: u64,
    len: u64,
) -> Result<Option<&[u8]>, String> {
    const PT_LOAD: u32 = 1;
    let r = Reader::new(data)?;
    let (offset, entry_size, count) = if r.wide {
        (
            r.u64(0x20)?,
            u64::from(r.u16(0x36)?),
            u64::from(r.u16(0x38)?),
        )
    } else {
        (
            u64::from(r.u32(0x1C)?),
            u64::from(r.u16(0x2A)?),
            u64::from(r.u16(0x2C)?),
        )
    };
    for i in 0..count {
        let at = i
            .checked_mul(entry_size)
            .and_then(|o| o.checked_add(offset))
            .and_then(|o| usize::try_from(o).ok())
            .ok_or("program header offset overflows")?;
        let (kind, file_off, vaddr, file_size) = if r.wide {
            (r.u32(at)?, r.u64(at + 8)?, r.u64(at + 16)?, r.u64(at + 32)?)
        } else {
            (
                r.u32(at)?,
                u64::from(r.u32(at + 4)?),
                u64::from(r.u32(at + 8)?),
                u64::from(r.u32(at + 16)?),
            )
        };
        let end = addr.checked_add(len).ok_or("address overflows")?;
        if kind == PT_LOAD && addr >= vaddr && end <= vaddr.saturating_add(file_size) {
            return r.slice(file_off + (addr - vaddr), len).map(Some);
        }
    }
    Ok(None)
}

/// Where the section header table is.
struct Table {
    offset: u64,
    entry_size: u64,
    count: u64,
    /// Index of the section holding section names.
    names: u64,
}

struct Section {
    name: u32,
    kind: u32,
    offset: u64,
    size: u64,
}

struct Reader<'a, B: Bytes + ?Sized> {
    data: &'a B,
    wide: bool,
    big: bool,
}

impl<'a, B: Bytes + ?Sized> Reader<'a, B> {
    fn new(data: &'a B) -> Result<Self, String> {
        let ident = data.get(0, 6).ok_or("not an ELF file")?;
        if !is_elf(ident) {
            return Err("not an ELF file".into());
        }
        let wide = match ident[4] {
            1 => false,
            2 => true,
            _ => return Err("bad ELF class".into()),
        };
        let big = match ident[5] {
            1 => false,
            2 => true,
            _ => return Err("bad ELF byte order".into()),
        };
        Ok(Self { data, wide, big })
    }

    fn table(&self) -> Result<Table, String> {
        let (offset, entry_size, count, names) = if self.wide {
            (
                self.u64(0x28)?,
                u64::from(self.u16(0x3A)?),
                u64::from(self.u16(0x3C)?),
                u64::from(self.u16(0x3E)?),
            )
        } else {
            (
                u64::from(self.u32(0x20)?),
                u64::from(self.u16(0x2E)?),
                u64::from(self.u16(0x30)?),
                u64::from(self.u16(0x32)?),
            )
        };
        let count = if offset == 0 { 0 } else { count };
        Ok(Table {
            offset,
            entry_size,
            count,
            names,
        })
    }

    fn section_header(&self, table: &Table, i: u64) -> Result<Section, String> {
        let at = i
            .checked_mul(table.entry_size)
            .and_then(|o| o.checked_add(table.offset))
            .ok_or("section header offset overflows")?;
        let at = usize::try_from(at).map_err(|_| "section header offset too large")?;
        Ok(if self.wide {
            Section {
                name: self.u32(at)?,
                kind: self.u32(at + 4)?,
                offset: self.u64(at + 24)?,
                size: self.u64(at + 32)?,
            }
        } else {
            Section {
                name: self.u32(at)?,
                kind: self.u32(at + 4)?,
                offset: u64::from(self.u32(at + 16)?),
                size: u64::from(self.u32(at + 20)?),
            }
        })
    }

    fn bytes<const N: usize>(&self, at: usize) -> Result<[u8; N], String> {
        let b = self
            .data
            .get(at as u64, N as u64)
            .ok_or_else(|| format!("ELF truncated (or not held) at offset {at}"))?;
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
        self.data.get(offset, size).ok_or_else(|| {
            if offset.checked_add(size).is_some_and(|end| end <= self.data.size()) {
                format!("section at {offset} (+{size}) is outside the parts of this large file that were read")
            } else {
                format!("section at {offset} (+{size}) lies outside the {} byte file", self.data.size())
            }
        })
    }
}

/// The parts of a large file that binary analyzers need, gathered in one forward pass
/// with bounded memory: the head (ELF header, and the section table where Go's linker
/// puts it), the tail (the section table and non-loaded sections such as `.dep-v0` where
/// other linkers put them), every small section the head's table announces (Go places
/// `.shstrtab` and `.go.buildinfo` mid-file), and the bytes after each aligned Go
/// build-info magic for formats without a section table.
pub(crate) struct Window {
    head: Vec<u8>,
    /// A ring of the last `TAIL` bytes; [`Window::seal`] makes it one slice.
    tail: std::collections::VecDeque<u8>,
    tail_start: u64,
    size: u64,
    captures: Vec<Capture>,
    planned: bool,
    go_magic: Option<&'static [u8]>,
}

/// A byte range of the file being collected as it streams past.
struct Capture {
    at: u64,
    want: u64,
    buf: Vec<u8>,
}

/// Bytes kept from the start of a large file.
const HEAD: usize = 64 << 10;
/// Bytes kept from its end: room for the section headers, names and the non-loaded
/// sections of a stripped binary; debug info can push `.dep-v0` out, which is reported.
const TAIL: usize = 8 << 20;
/// Bytes kept after a Go build-info magic (header, version, module list).
const CAPTURE: u64 = 256 << 10;
/// Sections up to this size are kept when the head's section table announces them.
const SMALL_SECTION: u64 = 1 << 20;
/// All captures together: bounds memory whatever a hostile section table claims.
const CAPTURE_BUDGET: u64 = 16 << 20;

impl Window {
    /// `go_magic`: also capture the bytes after this 16-byte-aligned marker.
    pub(crate) fn new(go_magic: Option<&'static [u8]>) -> Self {
        let tail = std::collections::VecDeque::new();
        Window {
            head: Vec::new(),
            tail,
            tail_start: 0,
            size: 0,
            captures: Vec::new(),
            planned: false,
            go_magic,
        }
    }

    /// Feeds the next bytes of the file. Chunks must be a multiple of 16 bytes long
    /// (except the last) so aligned magics never straddle two of them.
    pub(crate) fn feed(&mut self, chunk: &[u8]) {
        let base = self.size;
        if self.head.len() < HEAD {
            let n = (HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..n]);
        }
        if !self.planned && self.head.len() == HEAD {
            self.planned = true;
            for (at, want) in small_sections(&self.head) {
                self.capture(at, want);
            }
        }
        if let Some(magic) = self.go_magic {
            let mut i = (16 - (base % 16) as usize) % 16;
            while i + magic.len() <= chunk.len() {
                if &chunk[i..i + magic.len()] == magic {
                    self.capture(base + i as u64, CAPTURE);
                }
                i += 16;
            }
        }
        let end = base + chunk.len() as u64;
        for c in &mut self.captures {
            let next = c.at + c.buf.len() as u64;
            let stop = (c.at + c.want).min(end);
            if next >= base && next < stop {
                c.buf
                    .extend_from_slice(&chunk[(next - base) as usize..(stop - base) as usize]);
            }
        }
        if self.tail.capacity() < TAIL {
            // Once, on first use: a reader made only to ask `stream().is_some()` costs nothing.
            self.tail.reserve_exact(TAIL);
        }
        let keep = &chunk[chunk.len().saturating_sub(TAIL)..];
        let overflow = (self.tail.len() + keep.len()).saturating_sub(TAIL);
        self.tail.drain(..overflow);
        self.tail.extend(keep);
        self.size = end;
        self.tail_start = end - self.tail.len() as u64;
    }

    fn capture(&mut self, at: u64, want: u64) {
        let used: u64 = self.captures.iter().map(|c| c.want).sum();
        if used + want <= CAPTURE_BUDGET && !self.captures.iter().any(|c| c.at == at) {
            self.captures.push(Capture {
                at,
                want,
                buf: Vec::new(),
            });
        }
    }

    /// Ends feeding: lays the tail out as one slice so lookups can borrow from it.
    pub(crate) fn seal(&mut self) {
        self.tail.make_contiguous();
    }

    /// Offsets of captured Go magics (and announced sections), with the bytes from there.
    pub(crate) fn captures(&self) -> impl Iterator<Item = (u64, &[u8])> {
        self.captures.iter().map(|c| (c.at, c.buf.as_slice()))
    }
}

/// (offset, size) of every small section in a section table held by `head`.
fn small_sections(head: &[u8]) -> Vec<(u64, u64)> {
    let Ok(r) = Reader::new(head) else {
        return Vec::new();
    };
    let Ok(table) = r.table() else {
        return Vec::new();
    };
    (0..table.count)
        .filter_map(|i| r.section_header(&table, i).ok())
        .filter(|s| s.kind != SHT_NOBITS && s.size > 0 && s.size <= SMALL_SECTION)
        .map(|s| (s.offset, s.size))
        .collect()
}

impl Bytes for Window {
    fn get(&self, start: u64, len: u64) -> Option<&[u8]> {
        let end = start.checked_add(len)?;
        let within = |from: u64, buf: &'_ [u8]| -> Option<(usize, usize)> {
            let to = from + buf.len() as u64;
            (start >= from && end <= to).then(|| ((start - from) as usize, (end - from) as usize))
        };
        if let Some((a, b)) = within(0, &self.head) {
            return self.head.get(a..b);
        }
        let (tail, _) = self.tail.as_slices();
        if let Some((a, b)) = within(self.tail_start, tail) {
            return tail.get(a..b);
        }
        self.captures
            .iter()
            .find_map(|c| within(c.at, &c.buf).and_then(|(a, b)| c.buf.get(a..b)))
    }

    fn size(&self) -> u64 {
        self.size
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
        assert!(section(&b"\x7fELF"[..], ".x").is_err());
        let mut h = [0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 2;
        h[5] = 1;
        // Section headers claimed far past the end of the file.
        h[0x28..0x30].copy_from_slice(&u64::MAX.to_le_bytes());
        h[0x3C] = 3;
        assert!(section(&h[..], ".x").is_err());
        h[0x28..0x30].copy_from_slice(&0u64.to_le_bytes());
        assert_eq!(section(&h[..], ".x"), Ok(None));
    }
}
