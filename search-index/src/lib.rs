//! Deling's search: the one tantivy schema, the Norwegian analysis and the query code.
//!
//! The same crate writes the index (in `deling build`), answers `deling search` in the terminal,
//! and runs in the browser compiled to WebAssembly, so every place answers a query the same way.
//! The writer is native only; everything a reader needs also builds for `wasm32`.

pub mod analysis;
#[cfg(not(target_arch = "wasm32"))]
pub mod answers;
mod coordination;
pub mod facets;
pub mod lexicon;
pub mod query;
#[cfg(not(target_arch = "wasm32"))]
pub mod related;
pub mod relevance;
pub mod remote;
pub mod schema;
pub mod synonyms;
#[cfg(not(target_arch = "wasm32"))]
pub mod writer;

pub use query::{Engine, Hit, SearchRequest, SearchResponse};
pub use schema::{FORMAT_VERSION, Filter, Manifest, ManifestError, SearchDoc};

type Files = std::collections::BTreeMap<String, Vec<u8>>;

/// Opens index files held in memory, as the build just wrote them.
pub fn open_files(files: &Files) -> tantivy::Result<Engine> {
    Engine::open(index_of(files)?)
}

/// Segment files whose bytes are not the bytes the build wrote: for files read from disk,
/// which may have been damaged since (a changed byte would otherwise give a wrong answer, a
/// panic deep in a query, or an allocation of terabytes). The writer names each segment after
/// a hash of its files' bytes ([`writer::build`]), so the name is the checksum.
#[cfg(not(target_arch = "wasm32"))]
pub fn damaged_files(files: &Files) -> Vec<String> {
    use sha2::{Digest, Sha256};
    let mut segments: std::collections::BTreeMap<&str, Vec<(&String, &Vec<u8>)>> =
        Default::default();
    for (name, bytes) in files {
        if let Some((id, _)) = name.split_once('.')
            && id.len() == 32
        {
            segments.entry(id).or_default().push((name, bytes));
        }
    }
    let mut damaged = Vec::new();
    for (id, mut parts) in segments {
        parts.sort();
        let mut hasher = Sha256::new();
        for (_, bytes) in &parts {
            hasher.update(bytes);
        }
        let hash: String = hasher
            .finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect();
        if hash != id {
            damaged.extend(parts.iter().map(|(name, _)| name.to_string()));
        }
    }
    damaged
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
    Engine::open_lazy(tantivy::Index::open(remote::RemoteDirectory::new(
        source, files,
    ))?)
}
