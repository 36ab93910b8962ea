//! A build's site on disk while it is rendered: every file goes straight into a staging folder
//! beside the output folder, and [`Staging::finish`] swaps the complete folder in. Until then the
//! previous site stays where it was; a build that fails or panics removes its staging folder
//! (and one that is killed leaves it for the next build into the same folder to remove).

use anyhow::{Context, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use super::{OutputDir, Sink, assert_inside, begin, folder, swap};

/// The site being written for a locked output folder.
pub struct Staging {
    /// Holds the output folder's lock until the site is swapped in (or given up).
    _output: OutputDir,
    /// The absolute output folder, and the staging folder beside it.
    dir: PathBuf,
    staging: PathBuf,
    /// Folders already made in the staging folder, so each is made once.
    folders: Mutex<HashSet<PathBuf>>,
    files: AtomicUsize,
    bytes: AtomicU64,
    finished: bool,
}

/// What a finished build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

impl Staging {
    /// Starts the site that will replace `output`: removes what an interrupted build left and
    /// makes an empty staging folder.
    pub fn begin(output: OutputDir) -> Result<Staging> {
        let (dir, staging) = begin(output.path())?;
        Ok(Staging {
            _output: output,
            dir,
            staging,
            folders: Mutex::new(HashSet::new()),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            finished: false,
        })
    }

    /// Marks the complete site as `deling`'s and swaps it in for the output folder; the lock is
    /// released afterwards.
    pub fn finish(mut self) -> Result<Written> {
        folder::mark(&self.staging)?;
        swap(&self.staging, &self.dir)?;
        self.finished = true;
        Ok(Written {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        })
    }

    fn folder(&self, folder: &Path) -> Result<()> {
        let made = self
            .folders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(folder);
        if !made {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("kunne ikke lage {}", folder.display()))?;
            self.folders
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(folder.to_path_buf());
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        assert_inside(&path);
        let target = self.staging.join(&path);
        if let Some(folder) = target.parent() {
            self.folder(folder)?;
        }
        std::fs::write(&target, &bytes)
            .with_context(|| format!("kunne ikke skrive {}", target.display()))?;
        // The plan gives every file its own path, so each put is one file.
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    fn put_streamed(
        &self,
        path: String,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<()> {
        assert_inside(&path);
        let target = self.staging.join(&path);
        if let Some(folder) = target.parent() {
            self.folder(folder)?;
        }
        let context = || format!("kunne ikke skrive {}", target.display());
        let file = std::fs::File::create(&target).with_context(context)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        write(&mut out)?;
        let file = out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(context)?;
        let length = file.metadata().with_context(context)?.len();
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(length, Ordering::Relaxed);
        Ok(())
    }
}

impl Drop for Staging {
    /// An unfinished site (an error or a panic while rendering) is removed; the previous site
    /// was never touched.
    fn drop(&mut self) {
        if !self.finished {
            super::remove_site(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Foreign, SiteFiles};

    fn claim(public: &Path) -> OutputDir {
        let root = public.parent().unwrap().join("site");
        std::fs::create_dir_all(&root).unwrap();
        OutputDir::claim(public, &root, Foreign::Refuse, || {}).unwrap()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn pages_written_as_rendered_replace_the_site_only_when_finished() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        let mut first = SiteFiles::default();
        first.insert("index.html", "1");
        first.insert("stale/index.html", "x");
        claim(&public).replace_with(&first).unwrap();
        let staging = Staging::begin(claim(&public)).unwrap();
        staging.put("index.html".into(), b"2".to_vec()).unwrap();
        staging
            .put("a/b/index.html".into(), b"ab".to_vec())
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(public.join("index.html")).unwrap(),
            "1"
        );
        let written = staging.finish().unwrap();
        assert_eq!(written, Written { files: 2, bytes: 3 });
        assert_eq!(
            std::fs::read_to_string(public.join("index.html")).unwrap(),
            "2"
        );
        assert_eq!(
            std::fs::read_to_string(public.join("a/b/index.html")).unwrap(),
            "ab"
        );
        assert!(
            !public.join("stale").exists(),
            "nothing of the previous site is kept"
        );
        assert!(public.join(crate::output::MARKER).is_file());
        assert_eq!(names(tmp.path()), ["public", "site"]);
    }

    #[test]
    fn a_build_given_up_while_writing_removes_its_staging_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        let mut first = SiteFiles::default();
        first.insert("index.html", "1");
        claim(&public).replace_with(&first).unwrap();
        let staging = Staging::begin(claim(&public)).unwrap();
        staging.put("index.html".into(), b"2".to_vec()).unwrap();
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(public.join("index.html")).unwrap(),
            "1"
        );
        assert_eq!(names(tmp.path()), ["public", "site"]);
    }

    #[test]
    #[should_panic(expected = "bad output path")]
    fn a_path_leaving_the_site_is_never_written() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::begin(claim(&tmp.path().join("public"))).unwrap();
        let _ = staging.put("a/../../secret".into(), Vec::new());
    }
}
