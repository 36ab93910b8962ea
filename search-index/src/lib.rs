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

/// Index files whose checksum does not match their bytes: for files read from disk, which may
/// have been damaged since they were written (a changed byte would otherwise give a wrong answer
/// or a panic deep in a query).
pub fn damaged_files(files: &Files) -> tantivy::Result<Vec<String>> {
    let mut names: Vec<String> = index_of(files)?
        .validate_checksum()?
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    names.sort();
    Ok(names)
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
