//! `deling build`: the whole pipeline, written atomically to the output folder.

use anyhow::Result;
use std::path::PathBuf;

use super::{Compiled, compile_into};
use crate::output::{Foreign, OutputDir, Staging, Written};
use crate::render::RenderOptions;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub render: RenderOptions,
    /// Whether a person agreed to replace an output folder `deling` did not write.
    pub foreign: Foreign,
}

/// Builds and writes the site. The output folder is checked before anything is built (so a
/// refused folder costs no build) and locked once the content resolved without errors; each
/// page is then written into a staging folder beside it as it is rendered, and the folder is
/// replaced only when the whole site was written. `waiting` is called if another build into
/// the same folder is writing; this one then waits for it.
pub fn run(options: &BuildOptions, waiting: impl FnOnce()) -> Result<Compiled<Written>> {
    let output = OutputDir::check(&options.output, &options.root, options.foreign)?;
    let (compiled, kept) = compile_into(&options.root, &options.render, || {
        Staging::begin(output.lock(waiting)?)
    })?;
    // What a later refresh would reuse is not needed here. Freeing it (a large site's records,
    // rendered Markdown and page plan) takes a few tenths of a second on one thread, so it
    // happens beside the swap; a command that exits next need not wait for it. Should no thread
    // be available, the refused closure is dropped here, and `kept` with it.
    let _ = std::thread::Builder::new().spawn(move || drop(kept));
    let files = compiled.files.map(Staging::finish).transpose()?;
    Ok(Compiled {
        files,
        diagnostics: compiled.diagnostics,
        records: compiled.records,
        notices: compiled.notices,
    })
}
