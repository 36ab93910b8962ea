//! Builds fixture sites in temporary folders and lets tests inspect the result.
//!
//! A fixture is copied, together with the repository's real theme, into a fresh folder, so a
//! test may edit content freely and what it checks is what users get.

use deling::commands::{Compiled, compile};
use deling::diagnostics::Diagnostic;
use deling::output::SiteFiles;
use deling::render::RenderOptions;
use std::path::{Path, PathBuf};
use std::process::Output;

pub struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Fixture {
    pub fn new(name: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&manifest_dir().join("tests/fixtures").join(name), &root);
        copy_dir(&manifest_dir().join("../themes"), &root.join("themes"));
        Fixture { _dir: dir, root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root.join(path)).unwrap()
    }

    pub fn write(&self, path: &str, text: &str) {
        let target = self.root.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }

    /// Replaces `from` with `to` in a file; panics if `from` is not there, so a fixture change
    /// cannot silently turn a test into one that checks nothing.
    pub fn edit(&self, path: &str, from: &str, to: &str) {
        let text = self.read(path);
        assert!(text.contains(from), "{path} does not contain {from:?}");
        self.write(path, &text.replacen(from, to, 1));
    }

    pub fn compile_with(&self, options: &RenderOptions) -> Compiled {
        compile(&self.root, options).expect("the pipeline runs")
    }

    /// Builds in memory; panics with the report if there were errors, or if any XML file the
    /// site has (feeds, sitemap) is not well-formed: every test that builds checks that too.
    pub fn build(&self) -> SiteFiles {
        let compiled = self.compile_with(&RenderOptions::default());
        match compiled.files {
            Some(files) => {
                assert_xml_parses(&files);
                files
            }
            None => panic!(
                "build failed:\n{}",
                deling::diagnostics::report(&compiled.diagnostics)
            ),
        }
    }

    /// Every problem `check` finds.
    pub fn problems(&self) -> Vec<Diagnostic> {
        deling::commands::check::run(&self.root)
            .expect("check runs")
            .diagnostics
    }

    pub fn errors(&self) -> Vec<Diagnostic> {
        self.problems()
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect()
    }

    /// Runs the real `deling` binary in the fixture's root.
    pub fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_deling"))
            .args(args)
            .current_dir(&self.root)
            .output()
            .expect("deling runs")
    }
}

pub fn text(files: &SiteFiles, path: &str) -> String {
    let bytes = files
        .get(path)
        .unwrap_or_else(|| panic!("{path} was not written"));
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The one problem whose message contains `needle`; panics listing all problems otherwise.
pub fn find<'a>(problems: &'a [Diagnostic], needle: &str) -> &'a Diagnostic {
    problems
        .iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| {
            panic!(
                "no problem mentions {needle:?}; got:\n{}",
                deling::diagnostics::report(problems)
            )
        })
}

/// Panics naming the first XML file of `files` that is not well-formed.
pub fn assert_xml_parses(files: &SiteFiles) {
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".xml")) {
        assert_well_formed_xml(path, bytes);
        checked += 1;
    }
    // Every site has a sitemap and an Atom feed: none found means the filter missed them.
    assert!(checked >= 2, "only {checked} XML files checked");
}

/// Panics if `bytes`, the XML file at `path`, is not UTF-8 or not well-formed: feed readers
/// drop a feed that is not.
pub fn assert_well_formed_xml(path: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
    if let Err(e) = roxmltree::Document::parse(text) {
        panic!("{path} is not well-formed XML: {e}");
    }
}

/// Commits the whole working tree (additions, changes and deletions) as `author` on `date`.
pub fn commit(repo: &git2::Repository, author: &str, date: i64, message: &str) -> git2::Oid {
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let signature =
        git2::Signature::new(author, "ukjent@example.org", &git2::Time::new(date, 60)).unwrap();
    let parents: Vec<git2::Commit> = repo
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .into_iter()
        .collect();
    let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
    repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        message,
        &tree,
        &parent_refs,
    )
    .unwrap()
}
