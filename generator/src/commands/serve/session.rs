//! What `serve` rebuilds after a change, and how little it can get away with.
//!
//! A saved record file whose dates, title, kind and taxonomies are unchanged stays in the same
//! place in every list, so only the pages that show it change: those are rendered again from
//! the site kept in memory ([`render::refresh`] renders the pages of the page plan that show
//! it), and its document is replaced in the search index, in milliseconds. Everything else (a new or deleted file, a network, reference data,
//! the theme, config.toml, or a record moving in a list) is a full rebuild. After a refresh, a
//! full rebuild follows in the background once the files are quiet, to bring related records
//! and open data up to date and write the index as `build` would.

use anyhow::Result;
use std::path::{Path, PathBuf};

use crate::commands::{Compiled, Kept, compile_keeping};
use crate::content::{self, Record};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::SiteFiles;
use crate::render::{self, RenderOptions};

/// The result of a rebuild.
pub enum Outcome {
    /// A new site: all of it (`complete`), or only the files a refresh rendered.
    Built {
        files: SiteFiles,
        complete: bool,
        warnings: Vec<Diagnostic>,
    },
    /// The content has errors; the last good site stays.
    Failed { problems: Vec<Diagnostic> },
}

pub struct Session {
    pub root: PathBuf,
    pub options: RenderOptions,
    /// The last site that built, for refreshes; `None` until one has.
    kept: Option<Kept>,
}

impl Session {
    pub fn new(root: &Path, options: RenderOptions) -> Session {
        Session {
            root: root.to_path_buf(),
            options,
            kept: None,
        }
    }

    /// Builds everything from disk and keeps the result for refreshes.
    pub fn rebuild(&mut self) -> Result<Outcome> {
        let (compiled, kept) = compile_keeping(&self.root, &self.options)?;
        Ok(self.install(compiled, kept))
    }

    /// Takes a full build made elsewhere (the background rebuild).
    pub fn install(&mut self, compiled: Compiled, kept: Kept) -> Outcome {
        match compiled.files {
            Some(files) => {
                self.kept = Some(kept);
                Outcome::Built {
                    files,
                    complete: true,
                    warnings: compiled.diagnostics,
                }
            }
            None => Outcome::Failed {
                problems: compiled.diagnostics,
            },
        }
    }

    /// Renders what shows the record in `file` (relative to the root) again, if a refresh is
    /// enough for this change; `None` if it takes a full rebuild.
    pub fn refresh(&mut self, file: &Path) -> Result<Option<Outcome>> {
        let Some(kept) = &mut self.kept else {
            return Ok(None);
        };
        // A new or deleted file changes lists; that is a full rebuild.
        let Some(index) = kept.loaded.records.iter().position(|r| r.file == file) else {
            return Ok(None);
        };
        if !self.root.join(file).is_file() {
            return Ok(None);
        }
        let diagnostics = Diagnostics::new();
        let Some(mut record) = content::reload_record(&kept.loaded, file, &diagnostics) else {
            // Only the file's own problems: every other file is as it was when it built.
            return Ok(Some(Outcome::Failed {
                problems: diagnostics.into_sorted(),
            }));
        };
        kept.history.merge_into_record(&mut record);
        if place_in_lists(&record) != place_in_lists(&kept.loaded.records[index]) {
            return Ok(None);
        }
        let previous = std::mem::replace(&mut kept.loaded.records[index], record);
        let refreshed = render::refresh(
            &kept.loaded,
            &self.options,
            &diagnostics,
            &mut kept.memory,
            index,
        )?;
        let problems = diagnostics.into_sorted();
        let Some(files) = refreshed else {
            // Keep the site as it was built, so the next refresh starts from a good state.
            kept.loaded.records[index] = previous;
            return Ok(Some(Outcome::Failed { problems }));
        };
        Ok(Some(Outcome::Built {
            files,
            complete: false,
            warnings: problems,
        }))
    }
}

/// Everything that decides where a record appears and in what order. If any of it changes,
/// pages it is not on may change too, and only a full rebuild knows which.
fn place_in_lists(r: &Record) -> impl PartialEq + use<'_> {
    let c = &r.common;
    (
        (
            r.kind,
            &r.slug,
            &r.owner,
            &c.title,
            c.published,
            c.last_changed(),
        ),
        (c.draft, c.language, &c.networks, &c.service_areas),
        (&c.solutions, &c.municipalities, &c.tags),
        // Projects are grouped by phase in their overview; the registers are ordered and
        // filtered by these (`render/register.rs`).
        match &r.details {
            content::Details::Project(p) => {
                (Some(p.phase), Some(p.status), None, Vec::new(), Vec::new())
            }
            content::Details::Practice(p) => (Some(p.maturity), None, None, Vec::new(), Vec::new()),
            // The whole status log: any entry can move the start of the present status (days in
            // status, the register's order) or the newest date in the content (every barrier's
            // days).
            content::Details::Barrier(b) => (
                Some(b.status),
                None,
                Some(&b.ministry),
                b.legal_references.iter().map(|l| &l.law).collect(),
                b.status_log
                    .iter()
                    .map(|change| (change.date, change.status))
                    .collect(),
            ),
        },
    )
}
