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
use std::rc::Rc;

use crate::content::{Author, FileHistory};
use crate::paths::CONTENT_DIR;

mod merge;

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

/// Every content file's history, from one walk over the commits reachable from `HEAD`.
fn walk(repo: &Repository, root: &Path) -> Result<HashMap<PathBuf, FileHistory>, git2::Error> {
    // libgit2 re-hashes every object it reads to verify it; on a long history that SHA-1 work is
    // half the walk, and a local, read-only walk of our own repository does not need it.
    git2::opts::strict_hash_verification(false);
    let mut differ = Differ::new(repo, content_in_repository(repo, root)?);
    let mut revwalk = repo.revwalk()?;
    if revwalk.push_head().is_err() {
        return Ok(HashMap::new()); // no commits yet
    }
    // Oldest first, so that each file's last change is the last one recorded.
    revwalk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)?;
    let mut histories = Histories::default();
    for oid in revwalk {
        let commit = repo.find_commit(oid?)?;
        if commit.parent_count() > 1 {
            continue;
        }
        let changes = differ.changes(&commit)?;
        if changes.is_empty() {
            continue;
        }
        let signature = commit.author();
        let date = date_of(signature.when());
        let author = Author {
            name: signature.name().unwrap_or("ukjent").to_string(),
            email: signature.email().unwrap_or("").to_string(),
        };
        for change in changes {
            histories.record(change, date, &author);
        }
    }
    Ok(histories.with_previous_texts(repo))
}

/// Where the site's `content/` is in the repository's paths: the site may live in a folder of
/// the repository, and paths in Git are relative to its top.
fn content_in_repository(repo: &Repository, root: &Path) -> Result<PathBuf, git2::Error> {
    let workdir = repo
        .workdir()
        .ok_or_else(|| git2::Error::from_str("a bare repository"))?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let prefix = root.strip_prefix(&workdir).unwrap_or(Path::new(""));
    Ok(prefix.join(CONTENT_DIR))
}

/// Finds the content files each commit changed, comparing its `content/` subtree with its
/// parent's.
struct Differ<'r> {
    repo: &'r Repository,
    /// `content/` in the repository's paths.
    content: PathBuf,
    /// Parsed trees, shared by consecutive commits (see [`tree_entries`]).
    trees: HashMap<git2::Oid, Rc<Vec<TreeEntry>>>,
    find: DiffFindOptions,
}

impl<'r> Differ<'r> {
    fn new(repo: &'r Repository, content: PathBuf) -> Differ<'r> {
        let mut find = DiffFindOptions::new();
        find.renames(true);
        Differ {
            repo,
            content,
            trees: HashMap::new(),
            find,
        }
    }

    /// The `content/` subtree of a commit; diffing subtrees lets a commit that leaves content
    /// alone be skipped by comparing two ids, which is most of the cost on a long history.
    fn content_tree(
        &self,
        commit: &git2::Commit<'_>,
    ) -> Result<Option<git2::Tree<'r>>, git2::Error> {
        match commit.tree()?.get_path(&self.content) {
            Ok(entry) => Ok(Some(self.repo.find_tree(entry.id())?)),
            Err(_) => Ok(None),
        }
    }

    /// The files `commit` added, deleted, modified or renamed under `content/`.
    fn changes(&mut self, commit: &git2::Commit<'_>) -> Result<Vec<FileChange>, git2::Error> {
        let tree = self.content_tree(commit)?;
        let parent_tree = match commit.parent(0) {
            Ok(parent) => self.content_tree(&parent)?,
            Err(_) => None,
        };
        let (old, new) = (
            parent_tree.as_ref().map(git2::Tree::id),
            tree.as_ref().map(git2::Tree::id),
        );
        if old == new {
            return Ok(Vec::new());
        }
        let mut changes = Vec::new();
        let content = Path::new(CONTENT_DIR);
        compare(self.repo, old, new, content, &mut self.trees, &mut changes)?;
        // Renames need both an addition and a deletion; only then ask libgit2 to find them.
        if changes.iter().any(|c| c.status == Delta::Added)
            && changes.iter().any(|c| c.status == Delta::Deleted)
        {
            changes = renames(
                self.repo,
                parent_tree.as_ref(),
                tree.as_ref(),
                &mut self.find,
            )?;
        }
        // A bound on memory: the trees of a long history need not all be kept.
        if self.trees.len() > 50_000 {
            self.trees.clear();
        }
        Ok(changes)
    }
}

/// The histories recorded so far, commit by commit.
#[derive(Default)]
struct Histories {
    files: HashMap<PathBuf, FileHistory>,
    /// The blob each file had before its last change, read at the end for the newest files only.
    previous_blob: HashMap<PathBuf, git2::Oid>,
}

impl Histories {
    fn record(&mut self, change: FileChange, date: NaiveDate, author: &Author) {
        match change.status {
            Delta::Deleted => {
                if let Some(old) = change.old_path {
                    self.files.remove(&old);
                    self.previous_blob.remove(&old);
                }
            }
            Delta::Renamed => self.renamed(change, date, author),
            Delta::Added => {
                self.previous_blob.remove(&change.new_path);
                self.changed(change.new_path, date, author);
            }
            _ => {
                self.previous_blob
                    .insert(change.new_path.clone(), change.old_id);
                self.changed(change.new_path, date, author);
            }
        }
    }

    /// A file that moved keeps its history (and its text before its last change). A rename
    /// that also changed the text is a change by the commit's author; a pure rename is not.
    fn renamed(&mut self, change: FileChange, date: NaiveDate, author: &Author) {
        let new_path = change.new_path;
        let moved = change.old_path.and_then(|old| {
            if let Some(blob) = self.previous_blob.remove(&old) {
                self.previous_blob.insert(new_path.clone(), blob);
            }
            self.files.remove(&old)
        });
        let pure_rename = change.old_id == change.new_id;
        if !pure_rename {
            self.previous_blob.insert(new_path.clone(), change.old_id);
        }
        let entry = self
            .files
            .entry(new_path)
            .or_insert(moved.unwrap_or_else(|| started(date)));
        if !pure_rename {
            touch(entry, date, author);
        }
    }

    fn changed(&mut self, path: PathBuf, date: NaiveDate, author: &Author) {
        let entry = self.files.entry(path).or_insert_with(|| started(date));
        touch(entry, date, author);
    }

    /// The histories, with the text before the last change read for the [`PREVIOUS_KEPT`]
    /// most recently changed files (newest first, then by path, so the choice is the same on
    /// every run).
    fn with_previous_texts(mut self, repo: &Repository) -> HashMap<PathBuf, FileHistory> {
        let mut newest: Vec<(&PathBuf, NaiveDate)> =
            self.files.iter().map(|(p, h)| (p, h.last)).collect();
        newest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let keep: Vec<PathBuf> = newest
            .into_iter()
            .take(PREVIOUS_KEPT)
            .map(|(p, _)| p.clone())
            .collect();
        for path in keep {
            if let Some(blob) = self
                .previous_blob
                .get(&path)
                .and_then(|id| repo.find_blob(*id).ok())
            {
                let text = String::from_utf8_lossy(blob.content()).into_owned();
                if let Some(entry) = self.files.get_mut(&path) {
                    entry.previous = Some(text);
                }
            }
        }
        self.files
    }
}

/// The history of a file the commit of `date` created.
fn started(date: NaiveDate) -> FileHistory {
    FileHistory {
        first: date,
        last: date,
        authors: Vec::new(),
        previous: None,
    }
}

/// One file a commit added, deleted, modified or renamed (paths relative to the site root).
struct FileChange {
    status: Delta,
    old_path: Option<PathBuf>,
    new_path: PathBuf,
    old_id: git2::Oid,
    new_id: git2::Oid,
}

struct TreeEntry {
    name: String,
    id: git2::Oid,
    is_tree: bool,
}

/// A tree's entries, each distinct tree parsed once: consecutive commits share most trees, and
/// re-parsing them (as libgit2's diff does for trees too large for its cache) was most of the
/// cost of a long history.
fn tree_entries(
    repo: &Repository,
    id: git2::Oid,
    cache: &mut HashMap<git2::Oid, Rc<Vec<TreeEntry>>>,
) -> Result<Rc<Vec<TreeEntry>>, git2::Error> {
    if let Some(entries) = cache.get(&id) {
        return Ok(entries.clone());
    }
    let tree = repo.find_tree(id)?;
    let entries: Rc<Vec<TreeEntry>> = Rc::new(
        tree.iter()
            .map(|e| TreeEntry {
                name: e.name().unwrap_or_default().to_string(),
                id: e.id(),
                is_tree: e.kind() == Some(git2::ObjectType::Tree),
            })
            .collect(),
    );
    cache.insert(id, entries.clone());
    Ok(entries)
}

/// The files that differ between two trees, descending only into subtrees whose ids differ.
fn compare(
    repo: &Repository,
    old: Option<git2::Oid>,
    new: Option<git2::Oid>,
    path: &Path,
    cache: &mut HashMap<git2::Oid, Rc<Vec<TreeEntry>>>,
    out: &mut Vec<FileChange>,
) -> Result<(), git2::Error> {
    if old == new {
        return Ok(());
    }
    let list = |id: Option<git2::Oid>,
                cache: &mut HashMap<git2::Oid, Rc<Vec<TreeEntry>>>|
     -> Result<Rc<Vec<TreeEntry>>, git2::Error> {
        match id {
            Some(id) => tree_entries(repo, id, cache),
            None => Ok(Rc::new(Vec::new())),
        }
    };
    let (before, after) = (list(old, cache)?, list(new, cache)?);
    let before_by_name: HashMap<&str, &TreeEntry> =
        before.iter().map(|e| (e.name.as_str(), e)).collect();
    let after_by_name: HashMap<&str, &TreeEntry> =
        after.iter().map(|e| (e.name.as_str(), e)).collect();
    let mut names: Vec<&str> = before_by_name
        .keys()
        .chain(after_by_name.keys())
        .copied()
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let (a, b) = (before_by_name.get(name), after_by_name.get(name));
        if a.map(|e| e.id) == b.map(|e| e.id) {
            continue;
        }
        let child = path.join(name);
        let (a_tree, b_tree) = (
            a.filter(|e| e.is_tree).map(|e| e.id),
            b.filter(|e| e.is_tree).map(|e| e.id),
        );
        if a_tree.is_some() || b_tree.is_some() {
            compare(repo, a_tree, b_tree, &child, cache, out)?;
        }
        let (a_blob, b_blob) = (a.filter(|e| !e.is_tree), b.filter(|e| !e.is_tree));
        let zero = git2::Oid::zero();
        match (a_blob, b_blob) {
            (Some(a), Some(b)) => out.push(FileChange {
                status: Delta::Modified,
                old_path: Some(child.clone()),
                new_path: child,
                old_id: a.id,
                new_id: b.id,
            }),
            (None, Some(b)) => out.push(FileChange {
                status: Delta::Added,
                old_path: None,
                new_path: child,
                old_id: zero,
                new_id: b.id,
            }),
            (Some(a), None) => out.push(FileChange {
                status: Delta::Deleted,
                old_path: Some(child.clone()),
                new_path: child,
                old_id: a.id,
                new_id: zero,
            }),
            (None, None) => {}
        }
    }
    Ok(())
}

/// The same changes as `compare`, from libgit2's diff with rename detection.
fn renames(
    repo: &Repository,
    old: Option<&git2::Tree>,
    new: Option<&git2::Tree>,
    find: &mut DiffFindOptions,
) -> Result<Vec<FileChange>, git2::Error> {
    let mut diff = repo.diff_tree_to_tree(old, new, Some(&mut DiffOptions::new()))?;
    diff.find_similar(Some(find))?;
    Ok(diff
        .deltas()
        .filter_map(|d| {
            let new_path = d
                .new_file()
                .path()
                .or(d.old_file().path())
                .map(|p| Path::new(CONTENT_DIR).join(p))?;
            let old_path = d.old_file().path().map(|p| Path::new(CONTENT_DIR).join(p));
            Some(FileChange {
                status: d.status(),
                old_path,
                new_path,
                old_id: d.old_file().id(),
                new_id: d.new_file().id(),
            })
        })
        .collect())
}

fn touch(entry: &mut FileHistory, date: NaiveDate, author: &Author) {
    entry.last = entry.last.max(date);
    entry.first = entry.first.min(date);
    if !entry.authors.contains(author) {
        entry.authors.push(author.clone());
    }
}
