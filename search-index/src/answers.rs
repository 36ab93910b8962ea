//! First answers: what the search page shows while the engine is still on its way.
//!
//! On a slow phone connection the engine (WebAssembly) and the first index pieces take seconds.
//! The commonest first searches (the words records are about, and the first letters of those
//! words as someone types them) are answered at build time by this same engine, with the very
//! request the search page sends, and written as small static files. The page fetches the one
//! for its query alongside the engine, shows it if it comes first, and the engine's own answer
//! (identical, since the same code computed both) takes over when it is ready. A query with no
//! file simply waits for the engine, as before.
//!
//! A file is named by a hash of its key ([`file_name`]) and holds the key itself, so the page
//! never shows an answer to another query. The key is the query with leading spaces dropped,
//! lower-cased ([`key`]); only one word, or two words apart by one space, none of them a stop
//! word, have one, so lower-casing never changes what the engine answers (case matters to the
//! analyzer only for stop words, which written in capitals count as acronyms).
//!
//! Two words are answered when records name something with them, in a title, a tag or a value's
//! name ([`Common::phrases`]: «digital postkasse», «ros analyse»), since that is how people
//! search for a thing with a two-word name. Any other search of two words or more waits for
//! the engine: nobody can list them ahead.

use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

use crate::analysis::word_spans;
use crate::lexicon::STOP_WORDS;
use crate::query::{Engine, SearchRequest, SearchResponse};
use crate::schema::SearchDoc;

/// Results per answer: the search page's page size (`PAGE_SIZE` in `sok.js`, which checks it).
pub const LIMIT: usize = 20;
/// Whole words answered: the ones most records have in their title, summary, tags or names.
pub const MAX_WORDS: usize = 250;
/// Each answered word's first one and two letters are answered too: the first
/// keystrokes in the search field.
pub const PREFIX_LETTERS: usize = 2;
/// Two-word searches answered, at most: the pairs of words most records have side by side in
/// a name. See [`phrases_for`].
pub const MAX_PHRASES: usize = 250;
/// Sites up to this many records have all [`MAX_PHRASES`] answered.
const PHRASES_FULL_UP_TO: usize = 1000;

/// One answer file: the query it answers and the engine's response.
#[derive(Debug, Serialize)]
struct Answer<'a> {
    q: &'a str,
    limit: usize,
    response: &'a SearchResponse,
}

/// The key a query's answer is stored under, or `None` when the build answers no such query:
/// anything but one word of letters and digits or two such words apart by one space, or a
/// query with a stop word.
pub fn key(query: &str) -> Option<String> {
    let typed = query.trim_start().to_lowercase();
    let answerable = typed.split(' ').count() <= 2 && typed.split(' ').all(is_answerable_word);
    answerable.then_some(typed)
}

fn is_answerable_word(word: &str) -> bool {
    !word.is_empty() && word.chars().all(char::is_alphanumeric) && !STOP_WORDS.contains(&word)
}

/// The file an answer is stored in: 32-bit FNV-1a of the key's UTF-8 bytes, in hex. The page
/// computes the same (`answerFile` in `sok.js`); a collision is harmless, as the file names its
/// key and only the last one written is kept.
pub fn file_name(key: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in key.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{hash:08x}.json")
}

/// The queries worth answering ahead: each of the [`Common::words`] and its first letters, and
/// the [`Common::phrases`]. Keys, sorted.
pub fn keys_for(common: &Common) -> Vec<String> {
    let mut keys: Vec<String> = common.phrases.clone();
    for word in &common.words {
        let letters: Vec<char> = word.chars().collect();
        for n in 1..=PREFIX_LETTERS.min(letters.len() - 1) {
            keys.extend(key(&letters[..n].iter().collect::<String>()));
        }
        keys.push(word.clone());
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The searches worth answering ahead, besides the first letters of [`Common::words`].
#[derive(Debug, Default)]
pub struct Common {
    /// The words (of three letters or more, not numbers, not stop words) most records have in
    /// their title, summary, tags or names, most first; ties by the word, so it is
    /// reproducible.
    pub words: Vec<String>,
    /// The pairs of such words most records have side by side, apart only by spaces or a
    /// hyphen («ROS-analyse» is «ros analyse»), in their title, tags or names, most first;
    /// ties by the pair. Each is the key of its two-word search. Summaries are left out:
    /// their pairs are mostly running prose («erfaringene viser»), not names of things.
    pub phrases: Vec<String>,
}

/// The `words` commonest words and `phrases` commonest pairs of `docs` ([`Common`]), found in
/// one pass over the records, in parallel: each text is split into words once for both
/// (at 100,000 records, two passes took 2.1 s).
pub fn common(docs: &[SearchDoc], words: usize, phrases: usize) -> Common {
    let (records_with_word, records_with_pair) = docs
        .par_iter()
        .fold(Counts::default, |mut counts, doc| {
            let (mut words, mut pairs) = (Vec::new(), Vec::new());
            for text in names(doc) {
                let named = named_words(text);
                pairs.extend(named.windows(2).filter_map(|pair| match pair {
                    [Some(first), Some(second)] => Some(format!("{first} {second}")),
                    _ => None,
                }));
                words.extend(named.into_iter().flatten());
            }
            words.extend(named_words(&doc.summary).into_iter().flatten());
            counts.0.add_record(words);
            counts.1.add_record(pairs);
            counts
        })
        .reduce(Counts::default, |mut all, part| {
            all.0.add(part.0);
            all.1.add(part.1);
            all
        });
    Common {
        words: records_with_word.most(words),
        phrases: records_with_pair.most(phrases),
    }
}

/// How many records hold each word, and each pair.
type Counts = (RecordCounts, RecordCounts);

/// How many records hold each key (a fast hasher: nothing reads the map in its order, `most`
/// sorts).
#[derive(Default)]
struct RecordCounts(HashMap<String, usize, foldhash::fast::RandomState>);

impl RecordCounts {
    /// Counts one record's keys, each once however often the record has it.
    fn add_record(&mut self, mut keys: Vec<String>) {
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            *self.0.entry(key).or_default() += 1;
        }
    }

    fn add(&mut self, other: RecordCounts) {
        for (key, records) in other.0 {
            *self.0.entry(key).or_default() += records;
        }
    }

    /// The `n` keys most records hold, most first, ties by the key: the counts, and so the
    /// result, do not depend on how the records were split between threads.
    fn most(self, n: usize) -> Vec<String> {
        let mut ranked: Vec<(String, usize)> = self.0.into_iter().collect();
        ranked.sort_by(|(a, x), (b, y)| y.cmp(x).then_with(|| a.cmp(b)));
        ranked.into_iter().take(n).map(|(key, _)| key).collect()
    }
}

/// What names a record: its title, tags and the names of its values.
fn names(doc: &SearchDoc) -> impl Iterator<Item = &str> {
    std::iter::once(doc.title.as_str())
        .chain(doc.tags.iter().map(String::as_str))
        .chain(doc.names.iter().map(String::as_str))
}

/// How many two-word searches a site of `records` records has answered. A two-word answer
/// costs three (1,000 records) to ten (10,000) one-word ones, growing with the records its
/// words are in, so above [`PHRASES_FULL_UP_TO`] records there are proportionally fewer: all
/// 250 added 0.2 s to a 1,000-record build, and would add 14 % to a 10,000-record one.
pub fn phrases_for(records: usize) -> usize {
    MAX_PHRASES * PHRASES_FULL_UP_TO / records.max(PHRASES_FULL_UP_TO)
}

/// The words of `text` in order (each as in [`Common::words`]), each `None` where it is no
/// word worth answering (too short, a number, a stop word) or where punctuation other than a
/// hyphen parts it from the word before, so that the words on either side are never taken as
/// a pair.
fn named_words(text: &str) -> Vec<Option<String>> {
    let mut words = Vec::new();
    let mut end = 0;
    for (a, b) in word_spans(text) {
        if end > 0 && !text[end..a].chars().all(|c| c.is_whitespace() || c == '-') {
            words.push(None);
        }
        end = b;
        words.push(
            key(&text[a..b])
                .filter(|word| word.chars().count() >= 3 && !word.chars().all(|c| c.is_numeric())),
        );
    }
    words
}

/// The most keys one rayon job answers. The build renders pages on the other thread
/// meanwhile, and rayon splits a loop into a few large parts unless they are stolen, so a
/// thread could be left to answer a large part alone while the other core idled.
const KEYS_PER_JOB: usize = 4;

/// Answers every key with `engine`, as the search page would ask it (no filters, the first
/// [`LIMIT`] hits): file name to the file's bytes.
pub fn answer_all(engine: &Engine, keys: &[String]) -> tantivy::Result<BTreeMap<String, Vec<u8>>> {
    keys.par_iter()
        .with_max_len(KEYS_PER_JOB)
        .map(|key| {
            let response = engine.search(&request(key))?;
            let answer = Answer {
                q: key,
                limit: LIMIT,
                response: &response,
            };
            let bytes = serde_json::to_vec(&answer).expect("answers serialize");
            Ok((file_name(key), bytes))
        })
        .collect()
}

/// The request the search page sends for `q` before any filter is chosen.
pub fn request(q: &str) -> SearchRequest {
    SearchRequest {
        q: q.to_string(),
        limit: LIMIT,
        ..SearchRequest::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_one_or_two_words_lower_cased_and_never_a_stop_word() {
        assert_eq!(key("  Velferd").as_deref(), Some("velferd"));
        assert_eq!(key("NAV").as_deref(), Some("nav"));
        assert_eq!(
            key("velferd ").as_deref(),
            None,
            "a finished word is not a prefix"
        );
        assert_eq!(
            key("Velferd Teknologi").as_deref(),
            Some("velferd teknologi")
        );
        assert_eq!(key("velferd  teknologi"), None, "one space only");
        assert_eq!(key("velferd teknologi "), None);
        assert_eq!(key("velferd og teknologi"), None, "two words at most");
        assert_eq!(key("barn og"), None, "no stop word in a pair either");
        assert_eq!(key("og"), None);
        assert_eq!(
            key("OG"),
            None,
            "«OG» is an acronym to the analyzer, «og» a stop word"
        );
        assert_eq!(key(""), None);
        assert_eq!(key("id-porten"), None);
    }

    #[test]
    fn file_names_are_fnv1a_as_the_page_computes_them() {
        // FNV-1a 32 of the empty input is its offset basis; "a" is a published test vector.
        assert_eq!(file_name(""), "811c9dc5.json");
        assert_eq!(file_name("a"), "e40c292c.json");
        assert_ne!(file_name("bolig"), file_name("boliger"));
    }
}
