//! `deling build`: the whole pipeline, written atomically to the output folder.

use anyhow::Result;
use std::path::PathBuf;

use super::{Compiled, compile};
use crate::render::RenderOptions;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub render: RenderOptions,
}

/// Builds and writes the site. The output folder is replaced only when the build succeeded.
pub fn run(options: &BuildOptions) -> Result<Compiled> {
    let compiled = compile(&options.root, &options.render)?;
    if let Some(files) = &compiled.files {
        files.write_atomic(&options.output)?;
    }
    Ok(compiled)
}
