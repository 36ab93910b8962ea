//! The one place that writes the site.
//!
//! Rendering writes each file into a [`Sink`] as soon as it is rendered: `build` into a
//! [`Staging`] folder on disk (a sibling of the output folder, swapped in only once the whole
//! site is written, so a failed or interrupted build never leaves a half-written site where the
//! old one was, and the site is never held in memory whole), `serve`, `check` and the tests
//! into a [`SiteFiles`] map in memory. `folder` decides which folder a build may replace at all.

mod folder;
mod staging;

pub use folder::{Foreign, MARKER, OutputDir, Refused};
pub use staging::{Staging, Written};

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where rendered files go. Rendering threads put files into it concurrently; a path put twice
/// keeps the last bytes.
pub trait Sink: Sync {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()>;

    /// Puts one file written by `write`, for a file too large to hold whole first (the open
    /// data, hundreds of megabytes on a large site): a sink on disk streams it to the file.
    fn put_streamed(
        &self,
        path: String,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(path, bytes)
    }

    /// Puts every file of `files`, in path order.
    fn put_all(&self, files: SiteFiles) -> Result<()> {
        for (path, bytes) in files.files {
            self.put(path, bytes)?;
        }
        Ok(())
    }
}

/// The site in memory (`serve`, `check`, tests).
impl Sink for Mutex<SiteFiles> {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path, bytes);
        Ok(())
    }
}

/// Content decides many paths (slugs, ids, tags); the loader keeps them to plain names, and
/// this holds the line in release builds too: no file is ever written outside the site.
fn assert_inside(path: &str) {
    assert!(
        !path.starts_with('/') && !path.split('/').any(|part| part == ".."),
        "bad output path {path}"
    );
}

/// Output files by their path relative to the site root, with `/` separators. Sorted, so every
/// walk over it (writing, sitemaps, tests) is deterministic.
#[derive(Debug, Default, Clone)]
pub struct SiteFiles {
    files: BTreeMap<String, Vec<u8>>,
}

impl SiteFiles {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let path = path.into();
        assert_inside(&path);
        self.files.insert(path, bytes.into());
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn extend(&mut self, other: SiteFiles) {
        self.files.extend(other.files);
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }

    /// Writes the site to `dir`, replacing what was there only once everything is written.
    /// Only through [`OutputDir`], which checked that `dir` may be replaced and holds its lock.
    fn write_atomic(&self, dir: &Path) -> Result<()> {
        let (dir, staging) = begin(dir)?;
        let result = self
            .write_into(&staging)
            .and_then(|()| folder::mark(&staging));
        if let Err(e) = result {
            remove_site(&staging);
            return Err(e);
        }
        swap(&staging, &dir)
    }

    fn write_into(&self, dir: &Path) -> Result<()> {
        use rayon::prelude::*;
        std::fs::create_dir_all(dir)
            .with_context(|| format!("kunne ikke lage {}", dir.display()))?;
        let folders: std::collections::BTreeSet<PathBuf> = self
            .files
            .keys()
            .filter_map(|p| Path::new(p).parent().map(|f| dir.join(f)))
            .collect();
        for folder in folders {
            std::fs::create_dir_all(&folder)
                .with_context(|| format!("kunne ikke lage {}", folder.display()))?;
        }
        self.files.par_iter().try_for_each(|(path, bytes)| {
            let target = dir.join(path);
            std::fs::write(&target, bytes)
                .with_context(|| format!("kunne ikke skrive {}", target.display()))
        })
    }
}

/// Prepares to write the site that replaces `dir`: cleans up after an interrupted build and
/// returns `dir` made absolute and an empty staging folder beside it (created).
fn begin(dir: &Path) -> Result<(PathBuf, PathBuf)> {
    let dir = std::path::absolute(dir)?;
    let parent = dir.parent().context("utmappen kan ikke være rotmappen")?;
    let name = dir
        .file_name()
        .context("utmappen mangler navn")?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(parent)
        .with_context(|| format!("kunne ikke lage {}", parent.display()))?;
    if dir.exists() && !dir.is_dir() {
        bail!("{} finnes og er ikke en mappe", dir.display());
    }
    recover_interrupted(parent, &name, &dir)?;
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    remove_site(&staging);
    std::fs::create_dir_all(&staging)
        .with_context(|| format!("kunne ikke lage {}", staging.display()))?;
    Ok((dir, staging))
}

/// Swaps the complete site in `staging` in for `dir`: old output aside, new output in, old
/// output removed. The window between the two renames is a few microseconds; the new site is
/// complete before either happens.
fn swap(staging: &Path, dir: &Path) -> Result<()> {
    let parent = dir.parent().context("utmappen kan ikke være rotmappen")?;
    let name = folder::name_of(dir);
    let previous = parent.join(format!(".{name}.old-{}", std::process::id()));
    if dir.exists() {
        std::fs::rename(dir, &previous)
            .with_context(|| format!("kunne ikke flytte {}", dir.display()))?;
    }
    if let Err(e) = std::fs::rename(staging, dir) {
        // Put the previous site back rather than leave nothing.
        let _ = std::fs::rename(&previous, dir);
        return Err(e).with_context(|| {
            format!("kunne ikke flytte det nye nettstedet til {}", dir.display())
        });
    }
    remove_site(&previous);
    Ok(())
}

/// Removes a site folder this tool wrote: the previous site [`swap`] set aside, or an unfinished
/// staging folder. Its top-level folders go in parallel: one thread unlinking a 100,000-record
/// site's 200,000 files took 3.0 s at the end of every build, with the other core idle; two take
/// 1.6 s. Best effort, like `remove_dir_all`: what cannot be removed stays, and the next build
/// into the same folder tries again ([`recover_interrupted`]).
///
/// A symbolic link with such a name is removed itself, as `remove_dir_all` does: listing it
/// would list the folder it points to, which this tool never wrote.
fn remove_site(dir: &Path) {
    use rayon::prelude::*;
    let entries: Vec<_> = match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => std::fs::read_dir(dir)
            .map(|entries| entries.flatten().collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    entries.par_iter().for_each(|entry| {
        // The entry's own type, never a symbolic link's target.
        let _ = match entry.file_type() {
            Ok(kind) if kind.is_dir() => std::fs::remove_dir_all(entry.path()),
            _ => std::fs::remove_file(entry.path()),
        };
    });
    let _ = std::fs::remove_dir_all(dir);
}

/// Cleans up after a build that was killed while writing. A staging folder is an unfinished
/// site and goes. A set-aside previous site is put back if the new one never arrived (the
/// build died between the two renames), and removed otherwise.
fn recover_interrupted(parent: &Path, name: &str, dir: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if file_name.starts_with(&format!(".{name}.tmp-")) {
            remove_site(&path);
        } else if file_name.starts_with(&format!(".{name}.old-")) {
            if dir.exists() {
                remove_site(&path);
            } else {
                std::fs::rename(&path, dir).with_context(|| {
                    format!(
                        "kunne ikke sette tilbake forrige nettsted fra {}",
                        path.display()
                    )
                })?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let mut first = SiteFiles::default();
        first.insert("a/index.html", "1");
        first.insert("stale.html", "x");
        first.write_atomic(&out).unwrap();
        let mut second = SiteFiles::default();
        second.insert("a/index.html", "2");
        second.write_atomic(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "2"
        );
        assert!(
            !out.join("stale.html").exists(),
            "files of the previous build are gone"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders are left behind");
    }

    #[test]
    fn a_build_killed_between_the_renames_gets_the_previous_site_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let mut first = SiteFiles::default();
        first.insert("index.html", "1");
        first.write_atomic(&out).unwrap();
        // What a kill between "old aside" and "new in" leaves: no output, the old one aside,
        // and an unfinished staging folder.
        std::fs::rename(&out, tmp.path().join(".public.old-999999")).unwrap();
        std::fs::create_dir_all(tmp.path().join(".public.tmp-999999/half")).unwrap();
        let mut failing = SiteFiles::default();
        failing.insert("index.html", "2");
        // A build that fails to write still finds the previous site restored first.
        recover_interrupted(tmp.path(), "public", &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "1"
        );
        let names: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["public"], "nothing else is left");
        failing.write_atomic(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "2"
        );
    }

    #[test]
    fn a_link_named_like_a_left_behind_folder_loses_nothing_it_points_to() {
        // Removing a left-behind folder lists it first, to remove its top-level folders in
        // parallel; listing a symbolic link lists where it points, which this tool never wrote.
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(elsewhere.join("folder")).unwrap();
        std::fs::write(elsewhere.join("file.txt"), "keep").unwrap();
        std::fs::write(elsewhere.join("folder/file.txt"), "keep").unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir(&site).unwrap();
        for left in [".public.tmp-999999", ".public.old-999999"] {
            std::os::unix::fs::symlink(&elsewhere, site.join(left)).unwrap();
        }
        let out = site.join("public");
        let mut files = SiteFiles::default();
        files.insert("index.html", "1");
        files.write_atomic(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("file.txt")).unwrap(),
            "keep"
        );
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("folder/file.txt")).unwrap(),
            "keep"
        );
    }
}
