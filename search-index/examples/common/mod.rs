//! What the examples share: an index read back from the folder `deling build` wrote it to.

use search_index::Manifest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The command line every example takes: an index folder, then queries. Exits with a usage
/// line naming `example` when the folder is missing.
pub fn index_and_queries(example: &str) -> (PathBuf, Vec<String>) {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("bruk: {example} <sok/indeks-mappen> <spørring>…");
        std::process::exit(2);
    };
    (PathBuf::from(dir), args.collect())
}

/// The index in `dir` (such as `public/sok/indeks`): its manifest, and each file by the name
/// tantivy asks for.
pub fn read_index(dir: &Path) -> (Manifest, BTreeMap<String, Vec<u8>>) {
    let json = std::fs::read(dir.join(Manifest::FILE_NAME)).expect("manifest.json in the folder");
    let manifest = Manifest::read(&json).expect("a manifest of this format version");
    let files = (manifest.files.iter())
        .map(|(name, published)| {
            let bytes = std::fs::read(dir.join(published)).expect("every file the manifest lists");
            (name.clone(), bytes)
        })
        .collect();
    (manifest, files)
}
