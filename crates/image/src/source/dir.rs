//! An OCI layout directory or an unpacked `docker save`: every blob is a file.

use super::{BlobSource, read_limited};
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
        read_limited(name, &mut self.open(name)?)
    }

    fn open(&self, name: &str) -> Result<Box<dyn Read + Send>, Failure> {
        let path = self.root.join(name);
        let meta = std::fs::metadata(&path)
            .map_err(|_| Failure::not_found(format!("blob {name} is missing")))?;
        if !meta.is_file() {
            return Err(Failure::corrupt(format!(
                "blob {name} is not a regular file"
            )));
        }
        let file =
            File::open(&path).map_err(|e| Failure::new(ErrorKind::Io, format!("{name}: {e}")))?;
        Ok(Box::new(file))
    }

    fn random_access(&self) -> bool {
        true
    }

    fn size_of(&self, name: &str) -> Option<u64> {
        std::fs::metadata(self.root.join(name))
            .ok()
            .map(|m| m.len())
    }

    fn exists(&self, name: &str) -> bool {
        self.root.join(name).is_file()
    }
}
