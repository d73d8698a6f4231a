//! An OCI layout directory or an unpacked `docker save`: every blob is a file.

use super::{BlobSource, SMALL_MEMBER_LIMIT, read_limited};
use crate::error::{ErrorKind, Failure};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

pub(crate) struct DirSource {
    root: PathBuf,
}

impl DirSource {
    pub fn new(root: &Path) -> DirSource {
        DirSource {
            root: root.to_owned(),
        }
    }
}

impl BlobSource for DirSource {
    fn read_small(&self, name: &str) -> Result<Vec<u8>, Failure> {
        // The file's length is known before reading: refuse a 200 MB "config" by its size
        // instead of reading 8 MiB of it first.
        let len = self.regular_file(name)?.len();
        if len > SMALL_MEMBER_LIMIT {
            return Err(Failure::corrupt(format!(
                "blob {name} is {len} bytes, larger than 8 MiB (not a manifest or config)"
            )));
        }
        read_limited(name, &mut self.open(name)?)
    }

    fn open(&self, name: &str) -> Result<Box<dyn Read + Send>, Failure> {
        let path = self.root.join(name);
        self.regular_file(name)?;
        let file =
            File::open(&path).map_err(|e| Failure::new(ErrorKind::Io, format!("{name}: {e}")))?;
        Ok(Box::new(file))
    }

    fn random_access(&self) -> bool {
        true
    }

    fn size_of(&self, name: &str) -> Option<u64> {
        // A device or FIFO has no length worth comparing (`/dev/zero` says 0).
        std::fs::metadata(self.root.join(name))
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|m| m.len())
    }

    /// Anything at the name counts, so a FIFO or a link to `/dev/zero` is reported as
    /// "not a regular file" when opened rather than as a missing blob.
    fn exists(&self, name: &str) -> bool {
        self.root.join(name).exists()
    }
}

impl DirSource {
    /// The blob's metadata, refusing anything but a regular file: a FIFO blocks the
    /// reader forever and `/dev/zero` never ends.
    fn regular_file(&self, name: &str) -> Result<std::fs::Metadata, Failure> {
        let meta = std::fs::metadata(self.root.join(name))
            .map_err(|_| Failure::not_found(format!("blob {name} is missing")))?;
        if !meta.is_file() {
            return Err(Failure::corrupt(format!(
                "blob {name} is not a regular file"
            )));
        }
        Ok(meta)
    }
}
