//! Berkeley DB hash files (rpm's classic `Packages`), read-only and from memory.
//!
//! Page layouts from libdb `src/dbinc/db_page.h` as documented in go-rpmdb `pkg/bdb`. Header
//! blobs are always larger than a page, so every package value is an off-page (`H_OFFPAGE`)
//! item pointing at a chain of overflow pages; smaller items (such as the record-count key)
//! are not packages and are skipped.

const HASH_MAGIC: u32 = 0x0006_1561;
const META_HASH: u8 = 8;
const PAGE_HASH_UNSORTED: u8 = 2;
const PAGE_HASH: u8 = 13;
const PAGE_OVERFLOW: u8 = 7;
const H_OFFPAGE: u8 = 3;
/// Every page starts with this many header bytes (`PAGE HDR`, `P_OVERHEAD`).
const PAGE_HEADER: usize = 26;
const OFFPAGE_ITEM: usize = 12;

#[derive(Clone, Copy)]
struct Order {
    big_endian: bool,
}

impl Order {
    fn u16(self, b: &[u8], at: usize) -> Result<u16, String> {
        let s: [u8; 2] = b
            .get(at..at + 2)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| format!("short read at {at}"))?;
        Ok(if self.big_endian {
            u16::from_be_bytes(s)
        } else {
            u16::from_le_bytes(s)
        })
    }
    fn u32(self, b: &[u8], at: usize) -> Result<u32, String> {
        let s: [u8; 4] = b
            .get(at..at + 4)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| format!("short read at {at}"))?;
        Ok(if self.big_endian {
            u32::from_be_bytes(s)
        } else {
            u32::from_le_bytes(s)
        })
    }
}

/// Every header blob stored in the hash file, in page order.
pub(super) fn blobs(db: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let magic_le = Order { big_endian: false }.u32(db, 12)?;
    let order = if magic_le == HASH_MAGIC {
        Order { big_endian: false }
    } else if magic_le == HASH_MAGIC.swap_bytes() {
        Order { big_endian: true }
    } else {
        return Err("not a Berkeley DB hash file (bad magic)".into());
    };
    let page_size = order.u32(db, 20)? as usize;
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(format!("invalid page size {page_size}"));
    }
    if db.get(24) != Some(&0) {
        return Err("encrypted Berkeley DB is not supported".into());
    }
    if db.get(25) != Some(&META_HASH) {
        return Err("first page is not a hash metadata page".into());
    }
    let last_page = order.u32(db, 32)? as usize;
    let pages = last_page + 1;
    if pages.checked_mul(page_size).is_none_or(|n| n > db.len()) {
        return Err(format!(
            "file truncated: {pages} pages of {page_size} bytes expected"
        ));
    }
    let page = |no: usize| &db[no * page_size..(no + 1) * page_size];

    let mut out = Vec::new();
    // Overflow pages already part of some item's chain: each belongs to one item, so a
    // second item reaching one is refused (otherwise every item could point at the same
    // chain and copy it thousands of times). Values together are then at most the file.
    let mut owned = vec![false; pages];
    for no in 0..pages {
        let p = page(no);
        if p[25] != PAGE_HASH && p[25] != PAGE_HASH_UNSORTED {
            continue;
        }
        let entries = order.u16(p, 20)? as usize;
        if !entries.is_multiple_of(2) {
            return Err(format!("page {no}: odd number of hash entries"));
        }
        // The index holds key/value offsets in pairs; only values can be packages.
        for pair in 0..entries / 2 {
            let item = order.u16(p, PAGE_HEADER + pair * 4 + 2)? as usize;
            let Some(&kind) = p.get(item) else {
                return Err(format!("page {no}: item offset {item} past the page"));
            };
            if kind != H_OFFPAGE {
                continue;
            }
            if item + OFFPAGE_ITEM > page_size {
                return Err(format!("page {no}: off-page item past the page"));
            }
            let first = order.u32(p, item + 4)? as usize;
            let total = order.u32(p, item + 8)? as usize;
            out.push(overflow_chain(&page, &mut owned, order, first, total)?);
        }
    }
    Ok(out)
}

/// Concatenates an overflow chain, refusing cycles, pages another chain already used,
/// non-overflow pages and length mismatches. `owned[no]` marks pages used by any chain.
fn overflow_chain<'a>(
    page: &impl Fn(usize) -> &'a [u8],
    owned: &mut [bool],
    order: Order,
    first: usize,
    total: usize,
) -> Result<Vec<u8>, String> {
    let pages = owned.len();
    let room = page(0).len() - PAGE_HEADER;
    let mut value = Vec::with_capacity(total.min(pages * room));
    let mut no = first;
    loop {
        if no == 0 || no >= pages {
            return Err(format!("overflow page {no} out of range"));
        }
        // A chain that loops also reaches a page it owns already.
        if std::mem::replace(&mut owned[no], true) {
            return Err(format!(
                "overflow page {no} is reached twice (a loop or two items sharing one chain); refused"
            ));
        }
        let p = page(no);
        if p[25] != PAGE_OVERFLOW {
            return Err(format!("page {no} is not an overflow page"));
        }
        // On overflow pages the "high free offset" field holds the bytes used on the page.
        let used = order.u16(p, 22)? as usize;
        let chunk = p
            .get(PAGE_HEADER..PAGE_HEADER + used)
            .ok_or_else(|| format!("overflow page {no}: length {used} past the page"))?;
        value.extend_from_slice(chunk);
        let next = order.u32(p, 16)? as usize;
        if next == 0 {
            if value.len() != total {
                return Err(format!("value is {} bytes, item says {total}", value.len()));
            }
            return Ok(value);
        }
        no = next;
    }
}
