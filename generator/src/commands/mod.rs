//! One module per subcommand. Each returns a value or an error; only `main` prints and picks
//! the exit code.

pub mod build;
pub mod check;
pub mod diff;
pub mod import_files;
pub mod import_issue;
pub mod new;
pub mod search;
pub mod serve;
pub mod synth;

use anyhow::Result;
use std::path::Path;

use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Sink, SiteFiles};
use crate::render::{self, RenderOptions};

/// The result of running the whole pipeline: by default with the site in memory; `build` has
/// the [`Written`](crate::output::Written) summary of the site it wrote to disk instead.
pub struct Compiled<F = SiteFiles> {
    /// The site, if there were no errors.
    pub files: Option<F>,
    /// Every problem found, errors and warnings, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    pub records: usize,
    /// Things the user should know that are not problems in a file (e.g. no Git history).
    pub notices: Vec<String>,
}

/// What `serve` keeps of a compile, to refresh single records later without reading and
/// rendering everything again.
pub struct Kept {
    pub loaded: content::LoadedSite,
    pub history: crate::history::History,
    pub memory: render::Memory,
}

/// Load, resolve and render, collecting every problem. `Err` is for what no content file can
/// fix: a missing config.toml, a broken theme, an unreadable folder.
pub fn compile(root: &Path, options: &RenderOptions) -> Result<Compiled> {
    Ok(compile_keeping(root, options)?.0)
}

/// [`compile`], also returning what [`Kept`] holds.
pub fn compile_keeping(root: &Path, options: &RenderOptions) -> Result<(Compiled, Kept)> {
    let (compiled, kept) = compile_into(root, options, || {
        Ok(std::sync::Mutex::new(SiteFiles::default()))
    })?;
    let compiled = Compiled {
        files: compiled.files.map(|f| {
            f.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        }),
        diagnostics: compiled.diagnostics,
        records: compiled.records,
        notices: compiled.notices,
    };
    Ok((compiled, kept))
}

/// Load, resolve and render into the sink `open` gives, called only once the content resolved
/// without errors (so a site with errors never opens, let alone touches, its output). Each file
/// goes into the sink as soon as it is rendered; `files` is the sink.
pub fn compile_into<S: Sink>(
    root: &Path,
    options: &RenderOptions,
    open: impl FnOnce() -> Result<S>,
) -> Result<(Compiled<S>, Kept)> {
    let mut clock = render::Clock::new(options.timings);
    let config = Config::load(root)?;
    let diagnostics = Diagnostics::new();
    let mut loaded = content::load(root, config, &diagnostics)?;
    crate::codeowners::check(&loaded, &diagnostics);
    // A preview lists what the change does, compared with the base revision, on every page:
    // both sides as their files say, before Git's dates are merged into this side only.
    let with_preview;
    let options = match &options.preview_of {
        Some(base) if !diagnostics.has_errors() => {
            with_preview = RenderOptions {
                preview: diff::preview_of(root, &loaded, base)?,
                ..options.clone()
            };
            &with_preview
        }
        _ => options,
    };
    let history = crate::history::History::read(root);
    history.merge_into(&mut loaded);
    let notices = match &history.availability {
        crate::history::Availability::Complete => Vec::new(),
        crate::history::Availability::Missing(reason) => vec![reason.clone()],
    };
    // Resolving reports what loading could not know (Markdown, links and their anchors), so one
    // run reports every problem; a site with an error anywhere is never rendered.
    let theme = render::Theme::load(&loaded, options)?;
    clock.lap("load");
    let (files, memory) = match render::resolve(&loaded, &theme, options, &diagnostics) {
        Some(resolved) => {
            // Resolving renders every Markdown text and checks its links.
            clock.lap("markdown");
            let sink = open()?;
            let memory = render::render_and_remember(resolved, theme, options, clock, &sink)?;
            (Some(sink), memory)
        }
        None => (None, render::Memory::default()),
    };
    let compiled = Compiled {
        files,
        diagnostics: diagnostics.into_sorted(),
        records: loaded.records.len(),
        notices,
    };
    Ok((
        compiled,
        Kept {
            loaded,
            history,
            memory,
        },
    ))
}
