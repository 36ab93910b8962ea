//! What the examples share: an index read back from the folder `deling build` wrote it to.

use search_index::Manifest;
use std::collections::BTreeMap;
use std::path::Path;

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
