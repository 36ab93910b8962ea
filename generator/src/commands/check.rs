//! `deling check`: everything `build` validates, without writing anything.

use anyhow::Result;
use std::path::Path;

use super::{Compiled, compile};
use crate::render::RenderOptions;

pub fn run(root: &Path) -> Result<Compiled> {
    // Drafts are checked too: a contributor's draft should pass before it is published. Pages,
    // feeds and open data are still rendered, so template problems are found.
    compile(
        root,
        &RenderOptions {
            drafts: true,
            check_only: true,
            ..Default::default()
        },
    )
}
