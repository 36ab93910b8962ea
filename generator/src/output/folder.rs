//! Which folder a build may replace, and replacing it.
//!
//! A build writes a complete sibling folder and swaps it in, so the old folder is deleted. That
//! is only safe for a folder `deling` wrote itself (it leaves [`MARKER`] there) or an empty one:
//! `--output Dokumenter`, `--output content` or `--output .` in the repository must never delete
//! a user's files. [`OutputDir::claim`] decides, before anything is built, and holds a lock so
//! that two builds into the same folder take turns instead of deleting each other's work.

use anyhow::{Context, Result};
use std::fmt;
use std::fs::{File, TryLockError};
use std::path::{Component, Path, PathBuf};

use super::SiteFiles;

/// The file every built site holds: the sign that `deling` wrote the folder and may replace it.
pub const MARKER: &str = ".deling-output";
const MARKER_TEXT: &str = "Denne mappen er skrevet av «deling build», og erstattes helt ved neste bygging.\n\
     Legg ikke egne filer her.\n";

/// Folders of the repository that hold what a build reads.
const SOURCE_FOLDERS: [&str; 4] = ["content", "themes", "templates", ".git"];

/// What to do with a folder that holds files `deling` did not write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    /// Refuse (the default, and always so in CI and scripts, where nobody can answer).
    Refuse,
    /// Replace it: a person was asked in a terminal and said yes.
    Replace,
}

/// Why a folder cannot be the output. The messages say what to do instead.
#[derive(Debug)]
pub enum Refused {
    /// The file system's root, the repository, or a folder above it.
    HoldsRoot(PathBuf),
    /// `content/`, `themes/`, `templates/`, `.git/` or a folder inside one.
    Source(PathBuf, &'static str),
    /// A folder holding `.git`: another repository.
    Repository(PathBuf),
    /// A file, not a folder.
    NotAFolder(PathBuf),
    /// A folder whose contents cannot be listed, so not known to be empty.
    Unreadable(PathBuf),
    /// A folder with files that `deling` did not write ([`Foreign::Replace`] overrides).
    Foreign { dir: PathBuf, entries: usize },
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ELSEWHERE: &str = "velg en egen mappe for nettstedet, for eksempel «--output public» (det som står der fra før, erstattes ved hver bygging)";
        match self {
            Refused::HoldsRoot(dir) => write!(
                f,
                "utmappen «{}» inneholder nettstedets kilde (eller er en mappe over den), og alt der ville blitt slettet; {ELSEWHERE}",
                dir.display()
            ),
            Refused::Source(dir, folder) => write!(
                f,
                "utmappen «{}» er i «{folder}/», som bygget leser fra, og innholdet der ville blitt slettet; {ELSEWHERE}",
                dir.display()
            ),
            Refused::Repository(dir) => write!(
                f,
                "utmappen «{}» er et Git-depot (den har en .git-mappe), som ville blitt slettet; {ELSEWHERE}",
                dir.display()
            ),
            Refused::NotAFolder(dir) => write!(
                f,
                "utmappen «{}» finnes allerede og er en fil, ikke en mappe; {ELSEWHERE}",
                dir.display()
            ),
            Refused::Unreadable(dir) => write!(
                f,
                "utmappen «{}» kan ikke leses, så deling kan ikke se om den har filer som ville blitt slettet; {ELSEWHERE}",
                dir.display()
            ),
            Refused::Foreign { dir, entries } => write!(
                f,
                "utmappen «{}» har {} som ikke er skrevet av deling, og bygget ville slettet {}; \
                 velg en tom eller ny mappe, eller flytt det som ligger der, og bygg på nytt",
                dir.display(),
                if *entries == 1 {
                    "én fil eller mappe".to_string()
                } else {
                    format!("{entries} filer og mapper")
                },
                if *entries == 1 { "den" } else { "dem" },
            ),
        }
    }
}

impl std::error::Error for Refused {}

/// An output folder checked for a build: it may be replaced. Checking has no side effects (a
/// refused or mistyped `--output` leaves nothing behind); [`Checked::lock`] comes once there is a
/// site to write.
#[derive(Debug)]
pub struct Checked {
    dir: PathBuf,
    foreign: Foreign,
}

/// An output folder that may be replaced, locked against other builds until dropped.
#[derive(Debug)]
pub struct OutputDir {
    dir: PathBuf,
    /// Held while the site is written: a second build into the same folder waits for it.
    _lock: File,
}

impl OutputDir {
    /// Checks that the build of the site in `root` may replace `dir`, changing nothing.
    pub fn check(dir: &Path, root: &Path, foreign: Foreign) -> Result<Checked> {
        let dir = resolve(dir)?;
        let root = resolve(root)?;
        if dir.parent().is_none() || root.starts_with(&dir) {
            return Err(Refused::HoldsRoot(dir).into());
        }
        if let Some(folder) = SOURCE_FOLDERS
            .into_iter()
            .find(|folder| dir.starts_with(root.join(folder)))
        {
            return Err(Refused::Source(dir, folder).into());
        }
        inspect(&dir, foreign)?;
        Ok(Checked { dir, foreign })
    }

    /// [`OutputDir::check`], then [`Checked::lock`].
    pub fn claim(
        dir: &Path,
        root: &Path,
        foreign: Foreign,
        waiting: impl FnOnce(),
    ) -> Result<OutputDir> {
        OutputDir::check(dir, root, foreign)?.lock(waiting)
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Replaces the folder with `files` and the marker, only once everything is written.
    pub fn replace_with(&self, files: &SiteFiles) -> Result<()> {
        files.write_atomic(&self.dir)
    }
}

impl Checked {
    /// Locks the folder against other builds (`waiting` is called if one holds it; this one
    /// then waits) and checks it again, since it may have changed while the site was built.
    pub fn lock(self, waiting: impl FnOnce()) -> Result<OutputDir> {
        let parent = self.dir.parent().expect("checked: not the root");
        std::fs::create_dir_all(parent)
            .with_context(|| format!("kunne ikke lage {}", parent.display()))?;
        let lock = lock(parent, &name_of(&self.dir), waiting)?;
        inspect(&self.dir, self.foreign)?;
        Ok(OutputDir {
            dir: self.dir,
            _lock: lock,
        })
    }
}

/// Refuses a folder that is not empty and was not written by `deling`, unless the user agreed.
fn inspect(dir: &Path, foreign: Foreign) -> Result<(), Refused> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(Refused::NotAFolder(dir.to_path_buf()));
    }
    if dir.join(".git").exists() {
        return Err(Refused::Repository(dir.to_path_buf()));
    }
    if dir.join(MARKER).is_file() || written_before_the_marker(dir) {
        return Ok(());
    }
    // A folder that cannot be listed is not known to be empty.
    let entries = std::fs::read_dir(dir)
        .map_err(|_| Refused::Unreadable(dir.to_path_buf()))?
        .count();
    if entries == 0 || foreign == Foreign::Replace {
        Ok(())
    } else {
        Err(Refused::Foreign {
            dir: dir.to_path_buf(),
            entries,
        })
    }
}

/// Whether `dir` is a site built before sites had the marker: the search index's manifest,
/// with its format version, and a front page, which no folder of a user's own has.
fn written_before_the_marker(dir: &Path) -> bool {
    let manifest = dir.join(crate::paths::INDEX_DIR).join("manifest.json");
    let has_version = |bytes: Vec<u8>| {
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .is_ok_and(|json| json["format_version"].is_u64())
    };
    dir.join("index.html").is_file() && std::fs::read(manifest).is_ok_and(has_version)
}

/// Writes the marker into a finished site's folder.
pub(super) fn mark(dir: &Path) -> Result<()> {
    let marker = dir.join(MARKER);
    std::fs::write(&marker, MARKER_TEXT)
        .with_context(|| format!("kunne ikke skrive {}", marker.display()))
}

/// An exclusive lock on the folder that holds the output folder (the output folder itself is
/// swapped away). On Unix the folder itself is locked, so no lock file is left anywhere.
fn lock(parent: &Path, name: &str, waiting: impl FnOnce()) -> Result<File> {
    #[cfg(unix)]
    let (file, path) = {
        let _ = name;
        (File::open(parent), parent.to_path_buf())
    };
    #[cfg(not(unix))]
    let (file, path) = {
        let path = parent.join(format!(".{name}.deling-lock"));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path);
        (file, path)
    };
    let file = file.with_context(|| format!("kunne ikke åpne {} for å låse", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            waiting();
            file.lock()
                .with_context(|| format!("kunne ikke låse {}", path.display()))?;
        }
        Err(TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("kunne ikke låse {}", path.display()));
        }
    }
    Ok(file)
}

pub(super) fn name_of(dir: &Path) -> String {
    dir.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// The absolute path `dir` names, with `.`, `..` and symbolic links resolved as far as it
/// exists, so that `content/../public`, `./` and a link to the repository are seen for what
/// they are.
pub fn resolve(dir: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(dir)
        .with_context(|| format!("kunne ikke finne mappen {}", dir.display()))?;
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => {
                resolved.push(other);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(dir: &Path, root: &Path) -> Refused {
        OutputDir::claim(dir, root, Foreign::Refuse, || {})
            .unwrap_err()
            .downcast::<Refused>()
            .unwrap()
    }

    #[test]
    fn resolve_sees_through_dots_and_links() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("site")).unwrap();
        std::os::unix::fs::symlink(real.join("site"), real.join("link")).unwrap();
        assert_eq!(
            resolve(&real.join("link/./x/..")).unwrap(),
            real.join("site")
        );
        assert_eq!(
            resolve(&real.join("ny/mappe")).unwrap(),
            real.join("ny/mappe")
        );
    }

    #[test]
    fn output_above_or_at_the_root_or_in_its_sources_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content/nettverk")).unwrap();
        assert!(matches!(refusal(&root, &root), Refused::HoldsRoot(_)));
        assert!(matches!(refusal(tmp.path(), &root), Refused::HoldsRoot(_)));
        assert!(matches!(
            refusal(Path::new("/"), &root),
            Refused::HoldsRoot(_)
        ));
        assert!(matches!(
            refusal(&root.join("content"), &root),
            Refused::Source(_, "content")
        ));
        assert!(matches!(
            refusal(&root.join("themes/default/x"), &root),
            Refused::Source(_, "themes")
        ));
        assert!(matches!(
            refusal(&root.join("public/../content/nettverk"), &root),
            Refused::Source(_, "content")
        ));
    }

    #[test]
    fn a_folder_with_foreign_files_is_refused_unless_the_user_agreed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let documents = tmp.path().join("Dokumenter");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&documents).unwrap();
        std::fs::write(documents.join("budsjett.xlsx"), "viktig").unwrap();
        assert!(matches!(
            refusal(&documents, &root),
            Refused::Foreign { entries: 1, .. }
        ));
        let claimed = OutputDir::claim(&documents, &root, Foreign::Replace, || {});
        assert!(claimed.is_ok());
        std::fs::create_dir_all(documents.join("annet/.git")).unwrap();
        assert!(matches!(
            refusal(&documents.join("annet"), &root),
            Refused::Repository(_)
        ));
    }

    #[test]
    fn a_folder_deling_wrote_or_an_empty_one_is_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let public = root.join("public");
        std::fs::create_dir_all(&public).unwrap();
        let claimed = OutputDir::claim(&public, &root, Foreign::Refuse, || {}).unwrap();
        let mut site = SiteFiles::default();
        site.insert("index.html", "1");
        claimed.replace_with(&site).unwrap();
        assert!(public.join(MARKER).is_file());
        drop(claimed);
        let again = OutputDir::claim(&public, &root, Foreign::Refuse, || {}).unwrap();
        again.replace_with(&site).unwrap();
    }

    #[test]
    fn a_site_built_before_the_marker_is_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let public = root.join("public");
        std::fs::create_dir_all(public.join("sok/indeks")).unwrap();
        std::fs::write(public.join("index.html"), "<!doctype html>").unwrap();
        assert!(matches!(refusal(&public, &root), Refused::Foreign { .. }));
        std::fs::write(
            public.join("sok/indeks/manifest.json"),
            r#"{"format_version": 3, "files": {}}"#,
        )
        .unwrap();
        assert!(OutputDir::claim(&public, &root, Foreign::Refuse, || {}).is_ok());
    }

    #[test]
    fn a_second_build_into_the_same_folder_waits_for_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let public = root.join("public");
        let first = OutputDir::claim(&public, &root, Foreign::Refuse, || {}).unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        let second = std::thread::spawn({
            let (public, root) = (public.clone(), root.clone());
            move || {
                OutputDir::claim(&public, &root, Foreign::Refuse, || sender.send(()).unwrap())
                    .map(drop)
            }
        });
        receiver
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the second build is told it waits");
        drop(first);
        second.join().unwrap().unwrap();
    }
}
