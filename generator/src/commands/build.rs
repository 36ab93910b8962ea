//! `deling build`: the whole pipeline, written atomically to the output folder.

use anyhow::Result;
use std::path::PathBuf;

use super::{Compiled, compile};
use crate::output::{Foreign, OutputDir};
use crate::render::RenderOptions;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub render: RenderOptions,
    /// Whether a person agreed to replace an output folder `deling` did not write.
    pub foreign: Foreign,
}

/// Builds and writes the site. The output folder is checked (and locked) before anything is
/// built, and replaced only when the build succeeded. `waiting` is called if another build into
/// the same folder is running; this one then waits for it.
pub fn run(options: &BuildOptions, waiting: impl FnOnce()) -> Result<Compiled> {
    let output = OutputDir::claim(&options.output, &options.root, options.foreign, waiting)?;
    let compiled = compile(&options.root, &options.render)?;
    if let Some(files) = &compiled.files {
        output.replace_with(files)?;
    }
    Ok(compiled)
}
