//! The lazily reading directory answers exactly as the in-memory one, and reads only part of
//! the index to do so.

use search_index::answers::request;
use search_index::remote::RangeSource;
use search_index::{SearchDoc, SearchRequest, open_files, open_remote, writer};
use std::collections::BTreeMap;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug)]
struct Counting {
    files: Vec<Vec<u8>>,
    bytes: AtomicUsize,
    requests: AtomicUsize,
}

impl RangeSource for Counting {
    fn read(&self, file: u32, offset: usize, len: usize) -> io::Result<Vec<u8>> {
        self.bytes.fetch_add(len, Ordering::SeqCst);
        self.requests.fetch_add(1, Ordering::SeqCst);
        Ok(self.files[file as usize][offset..offset + len].to_vec())
    }
}

const WORDS: &[&str] = &[
    "kommune",
    "tjeneste",
    "velferdsteknologi",
    "helsestasjon",
    "arkiv",
    "samarbeid",
    "innbygger",
    "digital",
    "løsning",
    "barnevern",
    "sosialhjelp",
    "opplæring",
    "beredskap",
    "journal",
    "sensor",
    "skole",
    "bolig",
];

fn docs(n: usize) -> Vec<SearchDoc> {
    let mut seed = 7u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    (0..n)
        .map(|i| {
            let mut text = |words: usize| {
                (0..words)
                    .map(|_| WORDS[next() % WORDS.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            SearchDoc {
                id: format!("erfaringer/post-{i}"),
                url: format!("/erfaringer/post-{i}/"),
                title: text(5),
                summary: text(25),
                body: text(300),
                names: vec![text(2)],
                kind: ["practice", "barrier", "project"][i % 3].into(),
                lang: "nb".into(),
                badge: "pilot".into(),
                published: "2025-01-01".into(),
                networks: vec![format!("nettverk-{}", i % 10)],
                service_areas: vec!["helse-og-omsorg".into()],
                ..Default::default()
            }
        })
        .collect()
}

#[test]
fn lazy_reads_give_the_same_answers_as_memory_and_read_a_fraction() {
    let files = writer::build(&docs(3000)).unwrap();
    let total: usize = files.values().map(Vec::len).sum();
    let memory = open_files(&files).unwrap();
    let list: Vec<(String, usize)> = files.iter().map(|(n, b)| (n.clone(), b.len())).collect();
    let source = Arc::new(Counting {
        files: files.values().cloned().collect(),
        bytes: AtomicUsize::new(0),
        requests: AtomicUsize::new(0),
    });
    let remote = open_remote(source.clone(), &list).unwrap();
    let opened = source.bytes.load(Ordering::SeqCst);

    let first = SearchRequest {
        q: "velferdsteknologi".into(),
        limit: 10,
        ..Default::default()
    };
    let a = memory.search(&first).unwrap();
    let b = remote.search(&first).unwrap();
    assert!(
        a.hits.len() == 10,
        "equal answers must not be two empty ones: {a:?}"
    );
    assert_eq!(a, b, "same hits, scores, snippets and counts");
    let after_first = source.bytes.load(Ordering::SeqCst);

    let mut filters = BTreeMap::new();
    filters.insert("type".to_string(), vec!["barrier".to_string()]);
    let mut found = 0;
    for q in [
        "helsestajson",
        "arkiv samarbeid",
        "\"digital løsning\"",
        "bolig",
        "sko",
    ] {
        let request = SearchRequest {
            q: q.into(),
            filters: filters.clone(),
            limit: 10,
            ..Default::default()
        };
        let answer = memory.search(&request).unwrap();
        found += answer.total;
        assert_eq!(answer, remote.search(&request).unwrap(), "{q}");
    }
    assert!(
        found > 0,
        "the filtered queries compared more than empty answers"
    );
    let read = source.bytes.load(Ordering::SeqCst);
    eprintln!(
        "index {total} bytes; open {opened}; first query +{}; six queries in all {read} bytes in {} requests",
        after_first - opened,
        source.requests.load(Ordering::SeqCst)
    );
    assert!(read < total, "queries read {read} of {total} bytes");
}

#[test]
fn a_replaced_document_is_found_by_its_new_words_through_the_lazy_directory() {
    let mut docs = docs(50);
    let built = writer::build(&docs).unwrap();
    let mut live = writer::LiveIndex::open(&built).unwrap();
    docs[7].title = "Blåbærsyltetøy i kommunen".into();
    let files: Vec<(String, Vec<u8>)> = live.replace(&docs[7]).unwrap().into_iter().collect();
    let source = Arc::new(Counting {
        files: files.iter().map(|(_, bytes)| bytes.clone()).collect(),
        bytes: AtomicUsize::new(0),
        requests: AtomicUsize::new(0),
    });
    let listing: Vec<(String, usize)> = files.iter().map(|(n, b)| (n.clone(), b.len())).collect();
    let engine = open_remote(source, &listing).unwrap();
    let request = |q: &str| SearchRequest {
        q: q.into(),
        limit: 100,
        ..Default::default()
    };
    let found = engine.search(&request("blåbærsyltetøy")).unwrap();
    let ids: Vec<&str> = found.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, [docs[7].id.as_str()]);
    let all = engine.search(&request("")).unwrap();
    assert_eq!(all.total, 50, "one document replaced, none added");
}

#[test]
fn a_crafted_offset_answers_with_no_hits_instead_of_reserving_memory() {
    let files = writer::build(&docs(50)).unwrap();
    let engine = open_files(&files).unwrap();
    let request = SearchRequest {
        q: "kommune".into(),
        limit: 10,
        offset: usize::MAX / 2,
        ..Default::default()
    };
    let answer = engine.search(&request).unwrap();
    assert!(answer.hits.is_empty());
    assert!(answer.total > 0, "the count is still right");
}

#[test]
fn a_changed_byte_in_any_segment_file_is_found_before_tantivy_reads_it() {
    let files = writer::build(&docs(50)).unwrap();
    assert!(search_index::damaged_files(&files).is_empty());
    let segment_files: Vec<&String> = files.keys().filter(|n| *n != "meta.json").collect();
    assert!(segment_files.len() >= 4, "{segment_files:?}");
    for name in segment_files {
        let mut damaged = files.clone();
        let bytes = damaged.get_mut(name).unwrap();
        let at = bytes.len() / 2;
        bytes[at] ^= 0x10;
        let found = search_index::damaged_files(&damaged);
        assert!(found.contains(name), "{name}: {found:?}");
    }
}

#[test]
fn synonyms_in_the_payload_reach_every_reader() {
    let payload = search_index::synonyms::Payload {
        synonyms: vec![vec!["velferdsteknologi".into(), "omsorgsteknologi".into()]],
    };
    let files = writer::build_with(&docs(50), &payload).unwrap();
    let request = SearchRequest {
        q: "omsorgsteknologi ".into(),
        limit: 5,
        ..SearchRequest::default()
    };
    let answer = open_files(&files).unwrap().search(&request).unwrap();
    assert!(
        answer.total > 0,
        "the synonym finds the records with the other word"
    );
    let without = writer::build(&docs(50)).unwrap();
    let none = open_files(&without).unwrap().search(&request).unwrap();
    assert_eq!(none.total, 0, "without the payload nothing has the word");
}

/// The browser worker's source: it has only what has been fetched so far. A read it lacks is
/// noted and fails; the worker fetches everything noted at once and asks again, and uses an
/// answer only from a call during which nothing was missing.
#[derive(Debug)]
struct Background {
    files: Vec<Vec<u8>>,
    have: std::sync::Mutex<Vec<(u32, usize, usize)>>,
    wanted: std::sync::Mutex<Vec<(u32, usize, usize)>>,
}

impl RangeSource for Background {
    fn read(&self, file: u32, offset: usize, len: usize) -> io::Result<Vec<u8>> {
        let have = self.have.lock().unwrap();
        let covered = have
            .iter()
            .any(|&(f, o, l)| f == file && o <= offset && offset + len <= o + l);
        if covered {
            return Ok(self.files[file as usize][offset..offset + len].to_vec());
        }
        self.wanted.lock().unwrap().push((file, offset, len));
        Err(io::Error::new(io::ErrorKind::WouldBlock, "fetching"))
    }
}

impl Background {
    /// A reader of `files` (an index as written) that has fetched the ranges `warm` names.
    fn warmed(files: &BTreeMap<String, Vec<u8>>, warm: &[(String, usize, usize)]) -> Background {
        let id = |name: &str| files.keys().position(|n| n == name).unwrap() as u32;
        Background {
            files: files.values().cloned().collect(),
            have: std::sync::Mutex::new(warm.iter().map(|(n, o, l)| (id(n), *o, *l)).collect()),
            wanted: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Runs `call` until nothing it reads is missing; returns its answer and how many rounds of
    /// fetching it took.
    fn settle<T>(&self, call: impl Fn() -> tantivy::Result<T>) -> (T, usize) {
        for rounds in 0..50 {
            let answer = call();
            let wanted = std::mem::take(&mut *self.wanted.lock().unwrap());
            if wanted.is_empty() {
                return (answer.expect("nothing missing, so no error"), rounds);
            }
            // As the worker does: ranges of a file that overlap or touch are fetched as one.
            self.have
                .lock()
                .unwrap()
                .extend(search_index::remote::merged(wanted));
        }
        panic!("still missing pages after 50 rounds");
    }
}

#[test]
fn fetching_what_a_search_lacks_in_rounds_gives_the_same_answers_in_a_few_round_trips() {
    let files = writer::build(&docs(3000)).unwrap();
    let memory = open_files(&files).unwrap();
    let list: Vec<(String, usize)> = files.iter().map(|(n, b)| (n.clone(), b.len())).collect();
    let request = |q: &str, filters: &[(&str, &str)]| SearchRequest {
        q: q.into(),
        filters: filters
            .iter()
            .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
            .collect(),
        limit: 20,
        ..Default::default()
    };
    let warm = search_index::remote::warm_ranges(
        &files,
        &[request("kommune", &[]), request("tjeneste", &[])],
    )
    .unwrap();
    assert!(!warm.is_empty());
    let source = Arc::new(Background::warmed(&files, &warm));
    let (remote, rounds) = source.settle(|| open_remote(source.clone(), &list));
    assert_eq!(rounds, 0, "the warm ranges hold everything opening reads");
    let fetched = |source: &Background| -> usize {
        source
            .have
            .lock()
            .unwrap()
            .iter()
            .map(|(_, _, len)| len)
            .sum()
    };
    let warm_bytes = fetched(&source);
    // The same searches, read page by page as the engine comes to need each (the old way).
    let paged = Arc::new(Counting {
        files: files.values().cloned().collect(),
        bytes: AtomicUsize::new(0),
        requests: AtomicUsize::new(0),
    });
    let paged_engine = open_remote(paged.clone(), &list).unwrap();
    let (mut most, mut slowest) = (0, 0);
    for (q, filters) in [
        ("velferdsteknologi", &[][..]),
        ("arkiv samarbeid", &[]),
        ("helsestajson", &[]),
        ("\"digital løsning\"", &[]),
        ("sko", &[]),
        ("bolig", &[("type", "barrier")]),
        ("", &[("network", "nettverk-3")]),
    ] {
        let request = request(q, filters);
        let (answer, rounds) = source.settle(|| remote.search(&request));
        assert_eq!(answer, memory.search(&request).unwrap(), "«{q}»");
        paged_engine.search(&request).unwrap();
        // The same search, one page at a time as it comes to need them, on a fresh index.
        let counting = Arc::new(Counting {
            files: files.values().cloned().collect(),
            bytes: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
        });
        let one_by_one = open_remote(counting.clone(), &list).unwrap();
        counting.requests.store(0, Ordering::SeqCst);
        one_by_one.search(&request).unwrap();
        let requests = counting.requests.load(Ordering::SeqCst);
        eprintln!("«{q}»: {rounds} rounds, {requests} requests one at a time");
        most = most.max(rounds);
        slowest = slowest.max(requests);
    }
    // A round per layer a search goes through (terms, their postings and positions, decompounding
    // lookups, the documents of the hits), where reading as the engine comes to need each page
    // takes a request per page (20 hits alone can be 20).
    assert!(most <= 6, "a search took {most} rounds");
    assert!(
        slowest >= 2 * most,
        "{slowest} requests one at a time, {most} rounds"
    );
    // And no more bytes than page by page: a read that lacked bytes must not send the search
    // down the paths for words no record has (typo and compound guesses over the dictionary).
    let in_rounds = fetched(&source) - warm_bytes;
    let paged = paged.bytes.load(Ordering::SeqCst);
    eprintln!("in rounds {in_rounds} bytes (+ {warm_bytes} warm), page by page {paged} bytes");
    assert!(
        in_rounds + warm_bytes <= paged + paged / 20,
        "{in_rounds} + {warm_bytes} warm against {paged}"
    );
}

#[test]
fn a_small_index_is_warmed_whole_so_no_search_waits_for_a_round_after_the_engine() {
    let warm = |files: &BTreeMap<String, Vec<u8>>| {
        search_index::remote::warm_ranges(files, &[request("kommune"), request("tjeneste")])
            .unwrap()
    };
    let whole = |files: &BTreeMap<String, Vec<u8>>| -> Vec<(String, usize, usize)> {
        files.iter().map(|(n, b)| (n.clone(), 0, b.len())).collect()
    };
    // A site of a few dozen records: the pages every search reads are most of its index (here
    // about 27 of 47 KB), and the rest (documents, postings) would come a round trip after the
    // engine.
    let small = writer::build(&docs(60)).unwrap();
    let warmed = warm(&small);
    assert_eq!(warmed, whole(&small));
    let list: Vec<(String, usize)> = small.iter().map(|(n, b)| (n.clone(), b.len())).collect();
    let source = Arc::new(Background::warmed(&small, &warmed));
    let (remote, _) = source.settle(|| open_remote(source.clone(), &list));
    let (answer, rounds) = source.settle(|| remote.search(&request("arkiv samarbeid")));
    assert!(answer.total > 0);
    assert_eq!(
        rounds, 0,
        "a search on a small site reads only what was warmed"
    );
    // A large one is not fetched whole: the warm ranges stay the pages every search reads.
    let large = writer::build(&docs(3000)).unwrap();
    let warmed: usize = warm(&large).iter().map(|(_, _, len)| len).sum();
    let size: usize = large.values().map(Vec::len).sum();
    assert!(warmed < size / 4, "{warmed} of {size} bytes warmed");
}

#[test]
fn a_first_search_shows_its_first_hits_after_a_round_for_its_words_and_one_for_their_documents() {
    // Each round is a round trip after the engine on a slow phone link. A first search once
    // took up to five: each text field's postings header (8 bytes, fetched as its 16 KiB page),
    // the words' postings, their positions (read by tantivy only once the postings were there),
    // a field's norms (read only when scoring began), and the documents of the hits. An
    // unfinished last word took a round more for each word it expands to that the pages
    // fetched so far did not hold. And the filter counts' postings, fetched with the engine,
    // held back every first result (108 of the 200 KB fetched with the engine at 10,000
    // records): the browser now asks for the first hits alone (`hits_only`), then the rest.
    let files = writer::build(&docs(3000)).unwrap();
    let list: Vec<(String, usize)> = files.iter().map(|(n, b)| (n.clone(), b.len())).collect();
    let warm =
        search_index::remote::warm_ranges(&files, &[request("kommune"), request("tjeneste")])
            .unwrap();
    let memory = open_files(&files).unwrap();
    for q in [
        "arkiv samarbeid",
        "digital journal",
        "sensor bolig",
        "\"digital løsning\"",
        "arkiv samarb",
        "digitl journal",
        "sensorbolig",
    ] {
        let source = Arc::new(Background::warmed(&files, &warm));
        let (remote, opening) = source.settle(|| open_remote(source.clone(), &list));
        assert_eq!(opening, 0);
        let fetched = |store: bool| -> usize {
            let have = source.have.lock().unwrap();
            have.iter()
                .filter(|(file, _, _)| list[*file as usize].0.ends_with(".store") == store)
                .map(|(_, _, len)| len)
                .sum()
        };
        let (warm_store, warm_other) = (fetched(true), fetched(false));
        // The first hits, as the worker asks for them (`FIRST_HITS` in sok-worker.js).
        let full = request(q);
        let first = SearchRequest {
            limit: 6,
            hits_only: true,
            ..full.clone()
        };
        let (answer, rounds) = source.settle(|| remote.search(&first));
        assert_eq!(answer, memory.search(&first).unwrap(), "«{q}»");
        assert_eq!(rounds, 2, "«{q}»: the first hits took {rounds} rounds");
        // The documents of the hits: a store block each (1 KiB; with 4 KiB, 20 hits read 80 to
        // 160 KiB for about 10 KiB of documents), fetched in small pages (in 1 KiB pages a
        // block mostly spanned two: 1.3 to 1.6 KiB a hit).
        assert!(!answer.hits.is_empty(), "«{q}» finds records");
        let per_hit = (fetched(true) - warm_store) / answer.hits.len();
        assert!(
            per_hit <= 1024,
            "«{q}»: {per_hit} bytes of documents per hit"
        );
        // The words' postings (and a phrase's positions), fetched in small pages: about 12 KiB
        // here, where 16 KiB pages fetched 80 to 115 KiB (and 229 KiB for the phrase, 111 now).
        let words = fetched(false) - warm_other;
        let most = if q.starts_with('"') { 128 } else { 24 } * 1024;
        assert!(words <= most, "«{q}»: {words} bytes for its words");
        // Then the whole answer, a round later: the counts' postings and the other hits'
        // documents, together. Its head is the first hits, which stay on screen.
        let before = fetched(false);
        let (whole, rounds) = source.settle(|| remote.search(&full));
        assert_eq!(whole, memory.search(&full).unwrap(), "«{q}»");
        assert_eq!(rounds, 1, "«{q}»: the rest took {rounds} rounds");
        assert_eq!(whole.hits[..answer.hits.len()], answer.hits, "«{q}»");
        assert_eq!((whole.total, whole.relaxed), (answer.total, answer.relaxed));
        assert!(
            answer.facets.is_empty() && !whole.facets.is_empty(),
            "«{q}»"
        );
        assert!(
            fetched(false) > before,
            "«{q}»: the counts' postings came last"
        );
    }
}
