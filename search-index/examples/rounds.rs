//! What a first query fetches after the warm pieces, round by round, as the browser worker
//! fetches it (its first hits, then its whole answer): `cargo run --release -p search-index --example rounds -- public/sok/indeks
//! "digital postkasse" "sosialhj"`. Each query starts from a freshly opened index that holds
//! only the manifest's warm ranges; each round is a round trip on a phone link. A tool for
//! making first answers faster; not a test (`tests/remote.rs` holds the bounds).

use search_index::answers::request;
use search_index::remote::RangeSource;
use search_index::{Engine, SearchRequest, open_remote};
use std::io;
use std::sync::{Arc, Mutex};

mod common;

/// An index on disk that answers only the ranges it has "fetched", and notes the rest.
#[derive(Debug)]
struct Fetching {
    files: Vec<Vec<u8>>,
    have: Mutex<Vec<(u32, usize, usize)>>,
    wanted: Mutex<Vec<(u32, usize, usize)>>,
}

impl RangeSource for Fetching {
    fn read(&self, file: u32, offset: usize, len: usize) -> io::Result<Vec<u8>> {
        let have = self.have.lock().expect("not poisoned");
        let covered = (have.iter())
            .any(|&(f, start, n)| f == file && start <= offset && offset + len <= start + n);
        if covered {
            return Ok(self.files[file as usize][offset..offset + len].to_vec());
        }
        self.wanted
            .lock()
            .expect("not poisoned")
            .push((file, offset, len));
        Err(io::Error::new(io::ErrorKind::WouldBlock, "fetching"))
    }
}

fn main() {
    let (dir, queries) = common::index_and_queries("rounds");
    let (manifest, index) = common::read_index(&dir);
    let list: Vec<(String, usize)> = index.iter().map(|(n, b)| (n.clone(), b.len())).collect();
    let id = |name: &str| {
        list.iter()
            .position(|(n, _)| n == name)
            .expect("a listed file") as u32
    };
    let warm: Vec<(u32, usize, usize)> = (manifest.warm.iter())
        .map(|(name, start, len)| (id(name), *start, *len))
        .collect();
    let source = Arc::new(Fetching {
        files: index.into_values().collect(),
        have: Mutex::new(Vec::new()),
        wanted: Mutex::new(Vec::new()),
    });
    for q in &queries {
        *source.have.lock().expect("not poisoned") = warm.clone();
        let engine = open_remote(source.clone(), &list).expect("the index opens");
        // As the worker asks: the first hits without counts, then the whole answer.
        let whole = request(q);
        let first = SearchRequest {
            limit: FIRST_HITS,
            hits_only: true,
            ..whole.clone()
        };
        let rounds = settle(&engine, &source, &first, &list);
        println!("«{q}»: first hits after {rounds} rounds after the warm pieces");
        let rounds = settle(&engine, &source, &whole, &list);
        println!("«{q}»: the whole answer {rounds} rounds later");
    }
}

/// The worker's first answer to a search that lacks index pieces (`FIRST_HITS` in
/// `themes/default/static/js/sok-worker.js`).
const FIRST_HITS: usize = 6;

/// Runs `request` until it lacks nothing, printing each round's fetches; returns the rounds.
fn settle(
    engine: &Engine,
    source: &Fetching,
    request: &SearchRequest,
    list: &[(String, usize)],
) -> usize {
    for round in 0.. {
        let answer = engine.search(request);
        let wanted = std::mem::take(&mut *source.wanted.lock().expect("not poisoned"));
        if wanted.is_empty() {
            answer.expect("nothing missing, so no error");
            return round;
        }
        // As the worker fetches them: ranges of a file that overlap or touch as one.
        let wanted = search_index::remote::merged(wanted);
        let bytes: usize = wanted.iter().map(|(_, _, len)| len).sum();
        let ranges: Vec<String> = (wanted.iter())
            .map(|(file, start, len)| {
                let kind = list[*file as usize].0.rsplit('.').next().unwrap_or("?");
                format!("{kind} {start}+{len}")
            })
            .collect();
        println!(
            "  round {round}: {:.1} KiB, {}",
            bytes as f64 / 1024.0,
            ranges.join(", ")
        );
        source.have.lock().expect("not poisoned").extend(wanted);
    }
    unreachable!("the rounds above end")
}
