//! A read-only tantivy directory that fetches byte ranges on demand, in pages, and keeps them.
//!
//! In the browser the pages come from HTTP Range requests that the Web Worker makes in rounds
//! (a read it has not fetched yet fails, and the call is run again once it has), so a query
//! downloads the parts of the index it touches rather than the whole index. Natively the
//! same directory runs over memory, which lets tests count exactly what a query reads.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};

/// A read's missing bytes are fetched in whole pages. Pages of the term dictionaries, and of
/// everything else tantivy reads in small steps whose extent it learns as it goes, are big
/// enough that one query needs few requests, and small enough that it does not download much it
/// will not use.
pub const PAGE: usize = 16 * 1024;
/// Postings, positions, field norms and the document store are read a whole word's, field's or
/// store block's at a time, and a search asks for all it needs of them in one round
/// ([`crate::Engine`]'s lazy reading), so their pages only round each read up, and are small
/// (in 16 KiB pages, a first search of two common words fetched about three times what it
/// read of them).
pub const SMALL_PAGE: usize = 256;

fn page_size(name: &str) -> usize {
    match name.rsplit_once('.').map(|(_, extension)| extension) {
        Some("idx" | "pos" | "fieldnorm" | "store") => SMALL_PAGE,
        _ => PAGE,
    }
}

thread_local! {
    /// Whether a read on this thread failed because its bytes are still being fetched.
    static PENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Starts a call: nothing is pending yet.
pub fn begin() {
    PENDING.with(|p| p.set(false));
}

/// Whether a read since [`begin`] lacked bytes still being fetched (a source's
/// `ErrorKind::WouldBlock`). tantivy takes some failed reads for "not there" (a word no record
/// has), so a search checks this between its stages and stops, instead of going on to the
/// costly paths for unknown words and fetching what it will not need.
pub fn pending() -> bool {
    PENDING.with(std::cell::Cell::get)
}

/// The error a search stops with while bytes are being fetched.
pub fn pending_error() -> tantivy::TantivyError {
    tantivy::TantivyError::from(io::Error::new(
        io::ErrorKind::WouldBlock,
        "index pages are being fetched",
    ))
}

/// Where the bytes come from: `file` is the file's position in the list given to
/// [`RemoteDirectory::new`].
pub trait RangeSource: Send + Sync + fmt::Debug + 'static {
    fn read(&self, file: u32, offset: usize, len: usize) -> io::Result<Vec<u8>>;
}

struct RemoteFile {
    id: u32,
    len: usize,
    page: usize,
    source: Arc<dyn RangeSource>,
    /// The byte runs fetched so far, by where each starts. They never overlap, so the run that
    /// holds an offset is the last one to start at or before it.
    runs: Mutex<BTreeMap<usize, OwnedBytes>>,
}

impl fmt::Debug for RemoteFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RemoteFile({}, {} bytes)", self.id, self.len)
    }
}

impl HasLen for RemoteFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for RemoteFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        if range.end > self.len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "read past the end of an index file",
            ));
        }
        let mut runs = self.runs.lock().expect("run cache lock");
        if let Some(bytes) = within_one(&runs, &range) {
            return Ok(bytes);
        }
        // Fetch each part of the read that is not here, widened to whole pages. Every part is
        // asked for even after one failed: a source that fetches in the background (the
        // browser worker) then learns of all of them at once, and fetches them together.
        let widened = range.start / self.page * self.page
            ..range.end.next_multiple_of(self.page).min(self.len);
        let mut failed = None;
        for gap in gaps(&runs, widened) {
            if gap.end <= range.start || gap.start >= range.end {
                continue; // only a page's rounding: the read does not need these bytes
            }
            match self.fetch(gap.start, gap.len()) {
                Ok(bytes) => {
                    runs.insert(gap.start, OwnedBytes::new(bytes));
                }
                Err(error) => {
                    failed.get_or_insert(error);
                }
            }
        }
        if let Some(error) = failed {
            return Err(error);
        }
        Ok(within_one(&runs, &range).unwrap_or_else(|| joined(&runs, range)))
    }
}

/// `range` as a slice of the one run that holds all of it (no copy), if one does.
fn within_one(runs: &BTreeMap<usize, OwnedBytes>, range: &Range<usize>) -> Option<OwnedBytes> {
    let (start, bytes) = runs.range(..=range.start).next_back()?;
    (start + bytes.len() >= range.end).then(|| bytes.slice(range.start - start..range.end - start))
}

/// The parts of `range` that no run holds.
fn gaps(runs: &BTreeMap<usize, OwnedBytes>, range: Range<usize>) -> Vec<Range<usize>> {
    let mut gaps = Vec::new();
    let mut at = range.start;
    let before = runs.range(..=range.start).next_back();
    for (start, bytes) in before
        .into_iter()
        .chain(runs.range(range.start + 1..range.end))
    {
        if *start > at {
            gaps.push(at..*start);
        }
        at = at.max(start + bytes.len());
    }
    if at < range.end {
        gaps.push(at..range.end);
    }
    gaps
}

/// `range` copied from the runs that hold it one after the other.
fn joined(runs: &BTreeMap<usize, OwnedBytes>, range: Range<usize>) -> OwnedBytes {
    let mut out = Vec::with_capacity(range.len());
    let mut at = range.start;
    while at < range.end {
        let (start, bytes) = runs.range(..=at).next_back().expect("every gap fetched");
        let end = (start + bytes.len()).min(range.end);
        out.extend_from_slice(&bytes.as_slice()[at - start..end - start]);
        at = end;
    }
    OwnedBytes::new(out)
}

impl RemoteFile {
    /// `len` bytes at `offset` from the source: a read it is still fetching is noted
    /// ([`pending`]), and one that comes back short is an error.
    fn fetch(&self, offset: usize, len: usize) -> io::Result<Vec<u8>> {
        let bytes = self
            .source
            .read(self.id, offset, len)
            .inspect_err(|error| {
                if error.kind() == io::ErrorKind::WouldBlock {
                    PENDING.with(|p| p.set(true));
                }
            })?;
        if bytes.len() != len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "short read from the index",
            ));
        }
        Ok(bytes)
    }
}

#[derive(Clone, Debug)]
pub struct RemoteDirectory {
    files: Arc<BTreeMap<PathBuf, Arc<RemoteFile>>>,
}

impl RemoteDirectory {
    /// `files` lists every index file with its length; a file's id is its position here.
    pub fn new(source: Arc<dyn RangeSource>, files: &[(String, usize)]) -> RemoteDirectory {
        let files = files
            .iter()
            .enumerate()
            .map(|(id, (name, len))| {
                let file = RemoteFile {
                    id: id as u32,
                    len: *len,
                    page: page_size(name),
                    source: source.clone(),
                    runs: Mutex::new(BTreeMap::new()),
                };
                (PathBuf::from(name), Arc::new(file))
            })
            .collect();
        RemoteDirectory {
            files: Arc::new(files),
        }
    }

    fn file(&self, path: &Path) -> Result<&Arc<RemoteFile>, OpenReadError> {
        self.files
            .get(path)
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }
}

fn read_only() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "the search index is read-only here",
    )
}

impl Directory for RemoteDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        Ok(self.file(path)?.clone())
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.files.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let file = self.file(path)?;
        file.read_bytes(0..file.len)
            .map(|bytes| bytes.as_slice().to_vec())
            .map_err(|e| OpenReadError::IoError {
                io_error: Arc::new(e),
                filepath: path.to_path_buf(),
            })
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only())
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// Nothing writes here, so there is nothing to lock against (and no file to create a lock in).
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

/// What a search read of the index files: (file's position in the list, start, end), a page
/// for each page a fetch covered.
#[cfg(not(target_arch = "wasm32"))]
type Reads = std::collections::BTreeSet<(u32, usize, usize)>;

/// An index in memory as a source that notes what is read of it ([`Reads`]).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug)]
struct Recording {
    files: Vec<(usize, Vec<u8>)>,
    reads: Mutex<Reads>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Recording {
    fn new(files: &BTreeMap<String, Vec<u8>>) -> Recording {
        Recording {
            files: files
                .iter()
                .map(|(name, bytes)| (page_size(name), bytes.clone()))
                .collect(),
            reads: Mutex::new(Reads::new()),
        }
    }

    /// What was read since the last call.
    fn take(&self) -> Reads {
        std::mem::take(&mut *self.reads.lock().expect("not poisoned"))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl RangeSource for Recording {
    fn read(&self, file: u32, offset: usize, len: usize) -> io::Result<Vec<u8>> {
        let (page, bytes) = &self.files[file as usize];
        let pages = (offset / page..(offset + len).div_ceil(*page))
            .map(|p| (file, p * page, ((p + 1) * page).min(bytes.len())));
        self.reads.lock().expect("not poisoned").extend(pages);
        Ok(bytes[offset..offset + len].to_vec())
    }
}

/// The pages every search reads before its first hits, as byte ranges per file: those that
/// opening the index and each text field's dictionary, postings and norms reads (the postings'
/// headers among them), and those of the term dictionaries that each of `queries`, asked of a
/// freshly opened index, reads too; or the whole index, when those leave out less than
/// [`WHOLE_BELOW`] bytes of it (a small site). The manifest lists them (`Manifest::warm`) so
/// the browser fetches them all at once, alongside the engine, instead of one after the other
/// as the engine comes to need them.
///
/// The filter values' postings, which every search's filter counts read, are left out (at
/// 10,000 records they were 108 of 200 KB): on a slow link they would delay the engine, and
/// the browser's first answer to a search shows its first hits without counts
/// (`SearchRequest::hits_only`); the full answer asks for them a round later.
#[cfg(not(target_arch = "wasm32"))]
pub fn warm_ranges(
    files: &BTreeMap<String, Vec<u8>>,
    queries: &[crate::SearchRequest],
) -> tantivy::Result<Vec<(String, usize, usize)>> {
    let list: Vec<(String, usize)> = files.iter().map(|(n, b)| (n.clone(), b.len())).collect();
    let source = Arc::new(Recording::new(files));
    let engine = crate::open_remote(source.clone(), &list)?;
    // Every text search looks its words up in each text field: what opening a field's
    // dictionary, postings and norms reads is every such search's too.
    for segment in engine.searcher().segment_readers() {
        for (field, _) in engine.text_fields() {
            segment.inverted_index(field)?;
            // And scoring a word in a field reads the field's norms (a byte per record).
            segment.get_fieldnorms_reader(field)?;
        }
        // And every search's filter counts open each filter's postings (a header): warm, so
        // the counts, which come after the first hits, take a single round.
        for field in engine.fields().filters {
            segment.inverted_index(field)?;
        }
    }
    let opening = source.take();
    drop(engine);
    // What `query` reads, asked of a freshly opened index, beyond the opening.
    let reads = |query: &crate::SearchRequest| -> tantivy::Result<Reads> {
        let engine = crate::open_remote(source.clone(), &list)?;
        source.take();
        engine.search(query)?;
        Ok(source.take())
    };
    let mut common: Option<Reads> = None;
    for query in queries {
        let read = reads(query)?;
        common = Some(match common {
            None => read,
            Some(before) => before.intersection(&read).copied().collect(),
        });
    }
    // Of what the searches share, only what any search reads: the dictionaries. The postings,
    // positions and documents two common words happen to share are theirs, not every search's.
    let any_search = |(file, _, _): &&(u32, usize, usize)| {
        let name = &list[*file as usize].0;
        !(name.ends_with(".idx") || name.ends_with(".pos") || name.ends_with(".store"))
    };
    let common: Reads = common
        .unwrap_or_default()
        .iter()
        .filter(any_search)
        .copied()
        .collect();
    let warm = ranges(opening.union(&common).copied().collect(), &list);
    // What is left is read after the engine has come, a round trip later. When it is less than
    // a round trip's worth of bytes on a slow link, fetching it with the rest costs less.
    let total: usize = list.iter().map(|(_, len)| len).sum();
    let warmed: usize = warm.iter().map(|(_, _, len)| len).sum();
    if total - warmed < WHOLE_BELOW {
        return Ok(list.into_iter().map(|(name, len)| (name, 0, len)).collect());
    }
    Ok(warm)
}

/// The most bytes of an index the warm ranges leave out for the index to be warmed whole: what
/// a phone link of 1.6 Mbit/s brings in two round trips (150 ms each), the two rounds (its
/// words, then its first hits' documents) a search not warmed whole waits for after the
/// engine before its first result, so that fetching the rest with the engine costs less than
/// asking for it after.
#[cfg(not(target_arch = "wasm32"))]
const WHOLE_BELOW: usize = 64 * 1024;

/// `reads` as byte ranges, those that overlap or touch made one (`list`: names and lengths).
#[cfg(not(target_arch = "wasm32"))]
fn ranges(reads: Reads, list: &[(String, usize)]) -> Vec<(String, usize, usize)> {
    let reads = reads
        .into_iter()
        .map(|(file, start, end)| (file, start, end - start));
    merged(reads.collect())
        .into_iter()
        .map(|(file, start, len)| (list[file as usize].0.clone(), start, len))
        .collect()
}

/// Byte ranges `(file, offset, len)` in order, those of a file that overlap or touch made one:
/// what the browser worker fetches for a round's missing reads (`fetchRanges` in
/// `sok-worker.js`), so tools and tests that play its rounds fetch what it would.
#[cfg(not(target_arch = "wasm32"))]
pub fn merged(mut ranges: Vec<(u32, usize, usize)>) -> Vec<(u32, usize, usize)> {
    ranges.sort_unstable();
    let mut merged: Vec<(u32, usize, usize)> = Vec::new();
    for (file, offset, len) in ranges {
        match merged.last_mut() {
            Some((in_file, start, until)) if *in_file == file && offset <= *start + *until => {
                *until = (*until).max(offset + len - *start);
            }
            _ => merged.push((file, offset, len)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of counting bytes that notes every range it is asked for.
    #[derive(Debug, Default)]
    struct Asked(Mutex<Vec<Range<usize>>>);

    impl RangeSource for Asked {
        fn read(&self, _file: u32, offset: usize, len: usize) -> io::Result<Vec<u8>> {
            self.0.lock().unwrap().push(offset..offset + len);
            Ok((offset..offset + len).map(|i| i as u8).collect())
        }
    }

    #[test]
    fn a_read_across_fetched_runs_fetches_only_what_lies_between_them_and_reads_right() {
        let source = Arc::new(Asked::default());
        let directory = RemoteDirectory::new(source.clone(), &[("a.idx".to_string(), 5000)]);
        let file = directory.get_file_handle(Path::new("a.idx")).unwrap();
        let read = |range: Range<usize>| file.read_bytes(range).unwrap().as_slice().to_vec();
        let expected = |range: Range<usize>| range.map(|i| i as u8).collect::<Vec<u8>>();
        assert_eq!(read(300..400), expected(300..400));
        assert_eq!(read(1000..1010), expected(1000..1010));
        assert_eq!(read(310..1500), expected(310..1500));
        assert_eq!(read(260..1200), expected(260..1200), "all here already");
        assert_eq!(
            *source.0.lock().unwrap(),
            [
                256..512,   // the first read's page
                768..1024,  // the second's
                512..768,   // what lies between the two
                1024..1536, // and after them, to the end of the third read's page
            ]
        );
    }
}
