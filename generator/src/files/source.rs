//! Where content files come from: the disk, or a snapshot held in memory (a Git revision read
//! with git2, for `deling diff`). The loader only lists and reads through this.
//!
//! Nothing outside the site root is read. A symbolic link below `content/` is listed as a link
//! (the loader reports it) and never followed, and [`Disk::read`] refuses any path that passes
//! through one: Git stores only where a link points, so what it points to is not part of the
//! repository, and a link to `/etc/passwd` or a file in a contributor's home folder must not
//! end up on the published site.

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, Pos};
use crate::paths::CONTENT_DIR;

pub trait Source: Sync {
    /// Every entry under `content/` (files, folders, symbolic links), relative to the site root,
    /// sorted, so the loader can check names and kinds before reading anything.
    fn content_entries(&self) -> Result<Vec<Entry>>;
    /// A file by its path relative to the site root. A path through a symbolic link is refused
    /// with [`LinkRefused`].
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
}

/// One entry of the content folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the site root.
    pub path: PathBuf,
    pub kind: EntryKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Folder,
    /// A symbolic link, with where it points (as written in the link, not followed).
    Link(PathBuf),
    /// Anything else (a named pipe, a socket, a device): never read.
    Other,
}

/// The site root on disk.
pub struct Disk<'a>(pub &'a Path);

impl Disk<'_> {
    fn walk(&self) -> Result<Vec<Entry>> {
        let content = Path::new(CONTENT_DIR);
        if let Some(link) = link_on_path(self.0, content) {
            bail!(
                "{} er en symbolsk lenke{}, og symbolske lenker leses ikke: flytt innholdet inn i en vanlig mappe content/ i repositoriet",
                link.display(),
                target_text(self.0, &link)
            );
        }
        let dir = self.0.join(content);
        let mut entries = Vec::new();
        // `follow_links(false)` is walkdir's default; it is spelled out because it is the rule.
        for entry in walkdir::WalkDir::new(&dir)
            .follow_links(false)
            .min_depth(1)
            .sort_by_file_name()
        {
            let entry =
                entry.with_context(|| format!("kunne ikke lese mappen {}", dir.display()))?;
            let path = entry
                .path()
                .strip_prefix(self.0)
                .expect("walked below the root")
                .to_path_buf();
            let file_type = entry.file_type();
            let kind = if file_type.is_symlink() {
                EntryKind::Link(std::fs::read_link(entry.path()).unwrap_or_default())
            } else if file_type.is_dir() {
                EntryKind::Folder
            } else if file_type.is_file() {
                EntryKind::File
            } else {
                EntryKind::Other
            };
            entries.push(Entry { path, kind });
        }
        Ok(entries)
    }
}

impl Source for Disk<'_> {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        if !stays_inside(path) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("stien {} går ut av repositoriet", path.display()),
            ));
        }
        if let Some(link) = link_on_path(self.0, path) {
            let target = std::fs::read_link(self.0.join(&link)).unwrap_or_default();
            return Err(std::io::Error::other(LinkRefused { link, target }));
        }
        std::fs::read(self.0.join(path))
    }

    fn content_entries(&self) -> Result<Vec<Entry>> {
        self.walk()
    }
}

/// A file's text. `what` names the file in messages ("filen", "referansefilen"). A symbolic
/// link on the path is reported at the link, as the listing of `content/` reports it, so it is
/// shown once.
pub fn read_text(source: &dyn Source, file: &Path, what: &str) -> Result<String, Diagnostic> {
    let bytes = source.read(file).map_err(|e| match LinkRefused::of(&e) {
        Some(refused) => refused.diagnostic(),
        None => Diagnostic::error(file, Pos::START, format!("kunne ikke lese {what}: {e}")),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        // Reported where the first byte that is not UTF-8 is, so an editor can go there.
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line_start = valid
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |at| at + 1);
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        Diagnostic::error(
            file,
            Pos::new(line, column),
            format!("{what} er ikke lagret som UTF-8"),
        )
        .with_help("lagre filen på nytt med tegnkodingen UTF-8")
    })
}

/// A relative path made only of names: no `..`, no root, no drive.
pub fn stays_inside(path: &Path) -> bool {
    path.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// The first part of `relative` (a path below `root`) that is a symbolic link, if any, relative
/// to `root`. Parts that do not exist end the search: reading them fails on its own.
pub fn link_on_path(root: &Path, relative: &Path) -> Option<PathBuf> {
    let mut prefix = PathBuf::new();
    for part in relative.components() {
        prefix.push(part);
        match std::fs::symlink_metadata(root.join(&prefix)) {
            Ok(meta) if meta.file_type().is_symlink() => return Some(prefix),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Refuses to write `relative` (below `root`) if any part of its path is a symbolic link: the
/// file would land wherever the link points, outside the repository.
pub fn refuse_writing_through_links(root: &Path, relative: &Path) -> Result<()> {
    if let Some(link) = link_on_path(root, relative) {
        let target = std::fs::read_link(root.join(&link)).unwrap_or_default();
        bail!(
            "{} er en symbolsk lenke til «{}», og Deling skriver ikke gjennom symbolske lenker: {} ville havnet utenfor repositoriet. Gjør {} til en vanlig mappe og prøv igjen",
            link.display(),
            target.display(),
            relative.display(),
            link.display()
        );
    }
    Ok(())
}

/// Every symbolic link at or below `relative` (a file or folder under `root`, which need not
/// exist), with where it points; links are not followed, so nothing they point to is read.
pub fn links_below(root: &Path, relative: &Path) -> Vec<(PathBuf, PathBuf)> {
    if let Some(link) = link_on_path(root, relative) {
        let target = std::fs::read_link(root.join(&link)).unwrap_or_default();
        return vec![(link, target)];
    }
    walkdir::WalkDir::new(root.join(relative))
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path_is_symlink())
        .map(|e| {
            let path = e
                .path()
                .strip_prefix(root)
                .unwrap_or(e.path())
                .to_path_buf();
            (path, std::fs::read_link(e.path()).unwrap_or_default())
        })
        .collect()
}

fn target_text(root: &Path, link: &Path) -> String {
    std::fs::read_link(root.join(link))
        .map(|t| format!(" til «{}»", t.display()))
        .unwrap_or_default()
}

/// Why [`Disk::read`] would not read a path: it passes through a symbolic link.
#[derive(Debug)]
pub struct LinkRefused {
    /// The link, relative to the site root.
    pub link: PathBuf,
    /// Where it points.
    pub target: PathBuf,
}

impl fmt::Display for LinkRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} er en symbolsk lenke til «{}», og symbolske lenker leses ikke",
            self.link.display(),
            self.target.display()
        )
    }
}

impl std::error::Error for LinkRefused {}

impl LinkRefused {
    /// The refusal inside an error from [`Source::read`], if that is why it failed.
    pub fn of(error: &std::io::Error) -> Option<&LinkRefused> {
        error.get_ref()?.downcast_ref::<LinkRefused>()
    }

    /// The problem to report, at the link itself. Every place that meets the same link reports
    /// the same diagnostic, so it is shown once.
    pub fn diagnostic(&self) -> Diagnostic {
        link_diagnostic(&self.link, &self.target)
    }
}

/// A symbolic link under `content/`, reported at the link.
pub fn link_diagnostic(link: &Path, target: &Path) -> Diagnostic {
    Diagnostic::error(
        link,
        Pos::START,
        format!(
            "symbolske lenker leses ikke, og denne peker til «{}»",
            target.display()
        ),
    )
    .with_help(
        "legg en vanlig fil (eller mappe) med innholdet her i stedet for lenken: Git lagrer bare hvor en lenke peker, og nettstedet bygges bare av filer som ligger i repositoriet",
    )
}

/// Files and symbolic links held in memory, by path relative to the site root.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    /// Each link with where it points; refused like links on disk.
    pub links: BTreeMap<PathBuf, PathBuf>,
}

impl Source for Snapshot {
    fn content_entries(&self) -> Result<Vec<Entry>> {
        let in_content = |p: &&PathBuf| p.starts_with(CONTENT_DIR);
        let files = self.files.keys().filter(in_content);
        let links = self.links.iter().filter(|(p, _)| in_content(p));
        // Git stores no folders: they are the files' and links' parents.
        let folders: std::collections::BTreeSet<&Path> = files
            .clone()
            .chain(links.clone().map(|(p, _)| p))
            .flat_map(|f| f.ancestors().skip(1))
            .filter(|f| f.starts_with(CONTENT_DIR) && *f != Path::new(CONTENT_DIR))
            .collect();
        let entry = |path: &Path, kind| Entry {
            path: path.to_path_buf(),
            kind,
        };
        let mut entries: Vec<Entry> = folders
            .into_iter()
            .map(|path| entry(path, EntryKind::Folder))
            .chain(files.map(|path| entry(path, EntryKind::File)))
            .chain(links.map(|(path, target)| entry(path, EntryKind::Link(target.clone()))))
            .collect();
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(entries)
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        if let Some((link, target)) = self.links.iter().find(|(link, _)| path.starts_with(link)) {
            return Err(std::io::Error::other(LinkRefused {
                link: link.clone(),
                target: target.clone(),
            }));
        }
        self.files.get(path).cloned().ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "finnes ikke i denne versjonen",
            )
        })
    }
}
