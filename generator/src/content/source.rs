//! Where content files come from: the disk, or a snapshot held in memory (a Git revision read
//! with git2, for `deling diff`). The loader only lists and reads through this.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::CONTENT_DIR;

pub trait Source: Sync {
    /// Every file under `content/`, as paths relative to the site root, sorted.
    fn content_files(&self) -> Result<Vec<PathBuf>>;
    /// A file by its path relative to the site root.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
}

/// The site root on disk.
pub struct Disk<'a>(pub &'a Path);

impl Source for Disk<'_> {
    fn content_files(&self) -> Result<Vec<PathBuf>> {
        let content = self.0.join(CONTENT_DIR);
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
            let entry =
                entry.with_context(|| format!("kunne ikke lese mappen {}", content.display()))?;
            if entry.file_type().is_file() {
                let relative = entry
                    .path()
                    .strip_prefix(self.0)
                    .expect("walked below the root");
                files.push(relative.to_path_buf());
            }
        }
        Ok(files)
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.0.join(path))
    }
}

/// Files held in memory, by path relative to the site root.
#[derive(Debug, Default)]
pub struct Snapshot(pub BTreeMap<PathBuf, Vec<u8>>);

impl Source for Snapshot {
    fn content_files(&self) -> Result<Vec<PathBuf>> {
        Ok(self
            .0
            .keys()
            .filter(|p| p.starts_with(CONTENT_DIR))
            .cloned()
            .collect())
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.0.get(path).cloned().ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "finnes ikke i denne versjonen",
            )
        })
    }
}
