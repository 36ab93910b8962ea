//! What Git remembers about each content file: when it first appeared, when it last changed,
//! and who changed it, following renames.
//!
//! One walk over all commits, oldest first, diffing each commit with its parent (rename
//! detection on), limited to `content/`, serves every file at once. Merge commits are skipped:
//! the commits on the merged branch carry the changes and their real authors.
//!
//! With no repository (a zip download) or a shallow clone (`actions/checkout` fetches one commit
//! by default) there is no trustworthy history; the build says so once and uses front matter
//! dates alone, rather than show a wrong "last changed".

use chrono::{FixedOffset, NaiveDate, TimeZone};
use git2::{Delta, DiffFindOptions, DiffOptions, Repository, Sort};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::content::CONTENT_DIR;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Everyone who changed the file, in the order they first did.
    pub authors: Vec<String>,
    /// The file's text before its last change (`None` when the last change created it). Kept
    /// for the most recently changed files only, for "Nytt og endret".
    pub previous: Option<String>,
}

/// How many of the most recently changed files keep their previous text.
pub const PREVIOUS_KEPT: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    Complete,
    /// A one-line reason, in Norwegian, shown once by the build.
    Missing(String),
}

#[derive(Debug, Clone)]
pub struct History {
    pub availability: Availability,
    /// By path relative to the site root (`content/…`).
    files: HashMap<PathBuf, FileHistory>,
}

impl History {
    pub fn empty(reason: impl Into<String>) -> History {
        History {
            availability: Availability::Missing(reason.into()),
            files: HashMap::new(),
        }
    }

    pub fn file(&self, path: &Path) -> Option<&FileHistory> {
        self.files.get(path)
    }

    /// Reads the history of everything under `content/` in the repository holding `root`.
    pub fn read(root: &Path) -> History {
        let repo = match Repository::discover(root) {
            Ok(repo) => repo,
            Err(_) => {
                return History::empty(
                    "fant ingen Git-historikk (mappen er ikke et Git-repositorium); datoene kommer fra front matter",
                );
            }
        };
        if repo.is_shallow() {
            return History::empty(
                "Git-historikken er grunn (shallow clone), så datoer og bidragsytere fra Git ville vært feil; \
                 datoene kommer fra front matter. Hent hele historikken, for eksempel med `fetch-depth: 0` i actions/checkout",
            );
        }
        match walk(&repo, root) {
            Ok(files) => History {
                availability: Availability::Complete,
                files,
            },
            Err(e) => History::empty(format!(
                "Git-historikken kunne ikke leses ({e}); datoene kommer fra front matter"
            )),
        }
    }
}

fn date_of(time: git2::Time) -> NaiveDate {
    let offset = FixedOffset::east_opt(time.offset_minutes() * 60)
        .unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
    offset
        .timestamp_opt(time.seconds(), 0)
        .single()
        .map_or(NaiveDate::MIN, |t| t.date_naive())
}

fn walk(repo: &Repository, root: &Path) -> Result<HashMap<PathBuf, FileHistory>, git2::Error> {
    let workdir = repo
        .workdir()
        .ok_or_else(|| git2::Error::from_str("a bare repository"))?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    // The site may live in a folder of the repository; paths in Git are relative to its top.
    let prefix = root
        .strip_prefix(&workdir)
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let content = prefix.join(CONTENT_DIR);

    let mut revwalk = repo.revwalk()?;
    if revwalk.push_head().is_err() {
        return Ok(HashMap::new()); // no commits yet
    }
    revwalk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)?;

    let mut files: HashMap<PathBuf, FileHistory> = HashMap::new();
    // The blob each file had before its last change, read at the end for the newest files only.
    let mut previous_blob: HashMap<PathBuf, git2::Oid> = HashMap::new();
    let mut options = DiffOptions::new();
    options.pathspec(content.to_string_lossy().as_ref());
    let mut find = DiffFindOptions::new();
    find.renames(true);
    for oid in revwalk {
        let commit = repo.find_commit(oid?)?;
        if commit.parent_count() > 1 {
            continue;
        }
        let tree = commit.tree()?;
        let parent_tree = match commit.parent(0) {
            Ok(parent) => Some(parent.tree()?),
            Err(_) => None,
        };
        let mut diff =
            repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut options))?;
        diff.find_similar(Some(&mut find))?;
        let author = commit.author();
        let name = author.name().unwrap_or("ukjent").to_string();
        let date = date_of(author.when());
        for delta in diff.deltas() {
            let Some(new_path) = delta
                .new_file()
                .path()
                .and_then(|p| p.strip_prefix(&prefix).ok())
                .map(Path::to_path_buf)
            else {
                continue;
            };
            let old_path = delta
                .old_file()
                .path()
                .and_then(|p| p.strip_prefix(&prefix).ok())
                .map(Path::to_path_buf);
            match delta.status() {
                Delta::Deleted => {
                    if let Some(old) = old_path {
                        files.remove(&old);
                        previous_blob.remove(&old);
                    }
                }
                Delta::Renamed => {
                    let moved = old_path.and_then(|old| {
                        if let Some(blob) = previous_blob.remove(&old) {
                            previous_blob.insert(new_path.clone(), blob);
                        }
                        files.remove(&old)
                    });
                    let pure_rename = delta.old_file().id() == delta.new_file().id();
                    if !pure_rename {
                        previous_blob.insert(new_path.clone(), delta.old_file().id());
                    }
                    let entry = moved.unwrap_or(FileHistory {
                        first: date,
                        last: date,
                        authors: Vec::new(),
                        previous: None,
                    });
                    let entry = files.entry(new_path).or_insert(entry);
                    if !pure_rename {
                        touch(entry, date, &name);
                    }
                }
                _ => {
                    if delta.status() == Delta::Added {
                        previous_blob.remove(&new_path);
                    } else {
                        previous_blob.insert(new_path.clone(), delta.old_file().id());
                    }
                    let entry = files.entry(new_path).or_insert(FileHistory {
                        first: date,
                        last: date,
                        authors: Vec::new(),
                        previous: None,
                    });
                    touch(entry, date, &name);
                }
            }
        }
    }
    let mut newest: Vec<(&PathBuf, NaiveDate)> = files.iter().map(|(p, h)| (p, h.last)).collect();
    newest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let keep: Vec<PathBuf> = newest
        .into_iter()
        .take(PREVIOUS_KEPT)
        .map(|(p, _)| p.clone())
        .collect();
    for path in keep {
        if let Some(blob) = previous_blob
            .get(&path)
            .and_then(|id| repo.find_blob(*id).ok())
        {
            let text = String::from_utf8_lossy(blob.content()).into_owned();
            if let Some(entry) = files.get_mut(&path) {
                entry.previous = Some(text);
            }
        }
    }
    Ok(files)
}

fn touch(entry: &mut FileHistory, date: NaiveDate, author: &str) {
    entry.last = entry.last.max(date);
    entry.first = entry.first.min(date);
    if !entry.authors.iter().any(|a| a == author) {
        entry.authors.push(author.to_string());
    }
}
