//! Deling's search: the one tantivy schema, the Norwegian analysis and the query code.
//!
//! The same crate writes the index (in `deling build`), answers `deling search` in the terminal,
//! and runs in the browser compiled to WebAssembly, so every place answers a query the same way.
//! The writer is native only; everything a reader needs also builds for `wasm32`.

pub mod analysis;
pub mod facets;
pub mod lexicon;
pub mod query;
#[cfg(not(target_arch = "wasm32"))]
pub mod related;
pub mod relevance;
pub mod remote;
pub mod schema;
#[cfg(not(target_arch = "wasm32"))]
pub mod writer;

pub use query::{Engine, Hit, SearchRequest, SearchResponse};
pub use schema::{FILTERS, FORMAT_VERSION, SearchDoc};

type Files = std::collections::BTreeMap<String, Vec<u8>>;

/// Opens index files held in memory, as the build just wrote them.
pub fn open_files(files: &Files) -> tantivy::Result<Engine> {
    Engine::open(index_of(files)?)
}

/// Opens index files read from disk, which may have been damaged since: every file's checksum
/// is verified first, so a changed byte is an error rather than a wrong answer or a panic.
pub fn open_files_verified(files: &Files) -> tantivy::Result<Engine> {
    let index = index_of(files)?;
    let damaged = index.validate_checksum()?;
    if !damaged.is_empty() {
        let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
        names.sort();
        return Err(tantivy::TantivyError::InternalError(format!(
            "feil sjekksum i {}",
            names.join(", ")
        )));
    }
    Engine::open(index)
}

fn index_of(files: &Files) -> tantivy::Result<tantivy::Index> {
    use tantivy::directory::{Directory, RamDirectory};
    let directory = RamDirectory::create();
    for (name, bytes) in files {
        directory
            .atomic_write(std::path::Path::new(name), bytes)
            .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
    }
    tantivy::Index::open(directory)
}

/// Opens an index whose files are read lazily, in pages, from `source`.
pub fn open_remote(
    source: std::sync::Arc<dyn remote::RangeSource>,
    files: &[(String, usize)],
) -> tantivy::Result<Engine> {
    Engine::open(tantivy::Index::open(remote::RemoteDirectory::new(
        source, files,
    ))?)
}
