//! Reading files: where they come from (disk or a Git snapshot, never through a symbolic link)
//! and which names are allowed, before any content is parsed.

pub mod names;
pub mod source;
