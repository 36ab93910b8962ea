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

/// Builds and writes the site. The output folder is checked before anything is built (so a
/// refused folder costs no build), locked once there is a site to write, and replaced only when
/// the build succeeded. `waiting` is called if another build into the same folder is writing;
/// this one then waits for it.
pub fn run(options: &BuildOptions, waiting: impl FnOnce()) -> Result<Compiled> {
    let output = OutputDir::check(&options.output, &options.root, options.foreign)?;
    let compiled = compile(&options.root, &options.render)?;
    if let Some(files) = &compiled.files {
        output.lock(waiting)?.replace_with(files)?;
    }
    Ok(compiled)
}
