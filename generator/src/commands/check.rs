//! `deling check`: everything `build` validates, without writing anything.

use anyhow::Result;
use std::path::Path;

use super::{Compiled, compile};
use crate::render::RenderOptions;

pub fn run(root: &Path) -> Result<Compiled> {
    // Drafts are checked too: a contributor's draft should pass before it is published.
    compile(
        root,
        &RenderOptions {
            drafts: true,
            ..Default::default()
        },
    )
}
