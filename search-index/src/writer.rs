//! Builds the index in memory and returns its files, named deterministically.
//!
//! tantivy names segments with random UUIDs; the site must be byte-identical for the same input,
//! so the segment id is replaced by one derived from the segment's own bytes. One writer thread
//! and one commit give exactly one segment, whose bytes depend only on the documents and their
//! order.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use tantivy::directory::Directory;
use tantivy::{Index, IndexSettings, IndexWriter};

use crate::analysis::Analyzer;
use crate::schema::{Fields, SearchDoc, register};
use crate::synonyms::Payload;

/// Index files by name (`meta.json`, `<segment>.<ext>`).
pub type IndexFiles = BTreeMap<String, Vec<u8>>;

pub fn build(docs: &[SearchDoc]) -> tantivy::Result<IndexFiles> {
    build_with(docs, &Payload::default())
}

/// [`build`], with the synonym groups (and anything else a reader needs besides the
/// documents) in the commit's payload, which `meta.json` carries.
pub fn build_with(docs: &[SearchDoc], payload: &Payload) -> tantivy::Result<IndexFiles> {
    let mut writer = Writer::new()?;
    for doc in docs {
        writer.add(doc)?;
    }
    writer.finish(payload)
}

/// Builds an index one document at a time, so a caller with many documents never needs all of
/// them in memory at once.
pub struct Writer {
    index: Index,
    writer: IndexWriter,
    fields: Fields,
}

impl Writer {
    pub fn new() -> tantivy::Result<Writer> {
        let fields = Fields::new();
        // Small store blocks: showing twenty hits reads twenty blocks, and in the browser every
        // byte of a block is downloaded. 1 KiB blocks instead of tantivy's 16 KiB (or 4 KiB)
        // make a 10,000-record site's first search 60 KiB smaller, its store file 45 % larger
        // and its warm pieces (the store's block index) 9 KiB larger.
        const STORE_BLOCK: usize = 1024;
        let settings = IndexSettings {
            docstore_blocksize: STORE_BLOCK,
            ..IndexSettings::default()
        };
        let index = Index::builder()
            .schema(fields.schema.clone())
            .settings(settings)
            .create_in_ram()?;
        register(&index, Arc::new(Analyzer::default()));
        let writer: IndexWriter = index.writer_with_num_threads(1, 200_000_000)?;
        Ok(Writer {
            index,
            writer,
            fields,
        })
    }

    /// Adds the next document; its id in the index is the number of documents added before it.
    pub fn add(&mut self, doc: &SearchDoc) -> tantivy::Result<()> {
        self.writer.add_document(self.fields.document(doc))?;
        Ok(())
    }

    /// Commits, with `payload`, and returns the index files.
    pub fn finish(mut self, payload: &Payload) -> tantivy::Result<IndexFiles> {
        let mut commit = self.writer.prepare_commit()?;
        commit.set_payload(&payload.to_json());
        commit.commit()?;
        self.writer.wait_merging_threads()?;
        files_of(&self.index)
    }
}

/// The files of a committed index, the segment renamed after its bytes.
fn files_of(index: &Index) -> tantivy::Result<IndexFiles> {
    let metas = index.load_metas()?;
    let directory = index.directory();
    let mut all_files: Vec<_> = metas.list_segment_files().into_iter().collect();
    all_files.sort();
    let mut files = IndexFiles::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    for segment in &metas.segments {
        let old_id = segment.id().uuid_string();
        let mut hasher = Sha256::new();
        let mut segment_files = Vec::new();
        for path in all_files
            .iter()
            .filter(|p| file_name(p).starts_with(&old_id))
        {
            if !directory.exists(path)? {
                continue;
            }
            let bytes: Vec<u8> = directory.atomic_read(path).map_err(internal)?;
            hasher.update(&bytes);
            segment_files.push((file_name(path), bytes));
        }
        let new_id: String = hasher
            .finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect();
        renames.push((hyphenated(&old_id), hyphenated(&new_id)));
        renames.push((old_id.clone(), new_id.clone()));
        for (name, bytes) in segment_files {
            files.insert(name.replacen(&old_id, &new_id, 1), bytes);
        }
    }
    let mut meta = String::from_utf8(
        directory
            .atomic_read(Path::new("meta.json"))
            .map_err(internal)?,
    )
    .map_err(internal)?;
    for (old, new) in &renames {
        meta = meta.replace(old, new);
    }
    files.insert("meta.json".into(), meta.into_bytes());
    Ok(files)
}

fn internal(e: impl std::fmt::Display) -> tantivy::TantivyError {
    tantivy::TantivyError::InternalError(e.to_string())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn hyphenated(simple: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &simple[..8],
        &simple[8..12],
        &simple[12..16],
        &simple[16..20],
        &simple[20..]
    )
}

/// An index kept open in memory so single documents can be replaced in milliseconds
/// (`deling serve`, after a record was saved). Each replacement adds a small segment and marks
/// the old document deleted; the files are not renamed for reproducibility, because a full
/// build replaces them soon after.
pub struct LiveIndex {
    writer: IndexWriter,
    fields: Fields,
    /// The built index's payload, written again with every commit (a commit without one
    /// would drop the synonyms).
    payload: Option<String>,
}

impl LiveIndex {
    /// Opens the files of a built index for writing.
    pub fn open(files: &IndexFiles) -> tantivy::Result<LiveIndex> {
        let directory = tantivy::directory::RamDirectory::create();
        for (name, bytes) in files {
            directory
                .atomic_write(Path::new(name), bytes)
                .map_err(internal)?;
        }
        let index = Index::open(directory)?;
        register(&index, Arc::new(Analyzer::default()));
        let payload = index.load_metas()?.payload;
        let writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        Ok(LiveIndex {
            writer,
            fields: Fields::new(),
            payload,
        })
    }

    /// Replaces the document with `doc.id` and returns every file the index now consists of.
    pub fn replace(&mut self, doc: &SearchDoc) -> tantivy::Result<IndexFiles> {
        self.writer
            .delete_term(tantivy::Term::from_field_text(self.fields.id, &doc.id));
        self.writer.add_document(self.fields.document(doc))?;
        let mut commit = self.writer.prepare_commit()?;
        if let Some(payload) = &self.payload {
            commit.set_payload(payload);
        }
        commit.commit()?;
        let index = self.writer.index();
        let directory = index.directory();
        let metas = index.load_metas()?;
        let mut files = IndexFiles::new();
        for path in metas.list_segment_files() {
            if directory.exists(&path)? {
                files.insert(
                    file_name(&path),
                    directory.atomic_read(&path).map_err(internal)?,
                );
            }
        }
        let meta = directory
            .atomic_read(Path::new("meta.json"))
            .map_err(internal)?;
        files.insert("meta.json".into(), meta);
        Ok(files)
    }
}
