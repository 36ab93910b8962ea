//! Related records: for each record, the few others a reader of it would want next.
//!
//! The score is similar words (more-like-this over title, summary and body) plus
//! constant bonuses for each shared solution (3), shared service area (2) and shared network
//! (1.5), and for being another kind (1), so a practice leads to the barrier that blocks it and
//! the project that builds on it.
//!
//! Each record's distinctive words are picked as tantivy's more-like-this picks them (term
//! frequency × idf, at most 24, none in more than a tenth of all records nor in more than
//! 1,000), but read once for the whole site from the index's postings instead of analysing each
//! record's text again and looking up every word's document frequency for each record. Only the
//! chosen words go to tantivy, each with where its postings are, as reading the dictionary found
//! them: looking every word up again for every record (twice, in tantivy's `TermQuery`) was a
//! tenth of the time related records took. The bonuses are counted here from bit sets: a network or
//! "another kind" matches a tenth to two thirds of all records, and walking those postings for
//! every record was most of the build time on large sites, while a pass over a few machine words
//! per record costs next to nothing.
//!
//! Records that share no distinctive word score only their bonus, which depends on nothing but
//! which of the record's values (and whether another kind) they share: its *pattern*. So they
//! are not all scored: the patterns are tried best bonus first, and of each only the first few
//! records holding it (in site order, which breaks ties) can enter the list; once the list's
//! last entry beats a pattern's bonus, no later pattern can enter at all. Scoring every record
//! that shares a service area or a network made related records grow with the square of the
//! site (78 s of a 100,000-record build); this touches a few lists' first entries instead, and
//! the result is still exact. A pattern's holders are found by ANDing a bit set per value, in
//! site order: a pattern of several rare values has next to no holders, and finding that out by
//! checking each holder of one of them took half of the time related records took.
//!
//! Records that do share words are scored by tantivy, which skips, once the list is full, those
//! whose words could not lift them into it even with the largest bonus (block-WAND; see
//! `Best::floor`). Working memory is kept per thread and cleared entry by entry, so one record
//! costs what it touches.

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, TermInfo};
use tantivy::query::{
    Bm25Weight, BooleanWeight, Explanation, Occur, Scorer, SumCombiner, TermScorer, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, InvertedIndexReader, Score, SegmentReader, TERMINATED};

use crate::query::Engine;
use crate::schema::SearchDoc;

const SOLUTION: f32 = 3.0;
const SERVICE_AREA: f32 = 2.0;
const NETWORK: f32 = 1.5;
const OTHER_KIND: f32 = 1.0;
/// How many distinctive words of a record are looked for in others.
const WORDS: usize = 24;
/// A word in more records than this is not distinctive, whatever its share of a large site:
/// reading its postings for every record would make related records grow with the square of
/// the site. (Up to 10,000 records the share, a tenth, is the tighter bound.)
const MOST_SHARED: u32 = 1000;
/// Shorter words (in bytes, after stemming) are not distinctive.
const MIN_WORD_BYTES: usize = 3;

/// Finds related records among the documents an index was built from.
pub struct Related<'a> {
    engine: &'a Engine,
    docs: &'a [SearchDoc],
    /// Every word rare enough to be distinctive, in term order (field, then text).
    words: Vec<Word>,
    /// Each document's most distinctive words (positions in `words`), with their weight.
    distinctive: Vec<Vec<(u32, f32)>>,
    /// What scoring a word of each of the text fields needs, by `Word::field`.
    fields: Vec<FieldScoring>,
    shared: Shared,
}

/// A word of one of the text fields, as the dictionary gave it when it was read: where its
/// postings are, and in how many documents it is.
struct Word {
    /// Position in `Related::fields`.
    field: u8,
    info: TermInfo,
}

/// One text field's postings, lengths, and the BM25 weight of a word in it by the number of
/// documents holding the word: what tantivy's `TermQuery` works out again for each word of each
/// query (the weight's table of 256 length factors included).
struct FieldScoring {
    postings: Arc<InvertedIndexReader>,
    lengths: FieldNormReader,
    /// By document frequency, up to the most a distinctive word can have.
    by_doc_freq: Vec<Bm25Weight>,
}

impl Engine {
    /// `docs` must be the documents this index was built from, in order: the writer makes one
    /// segment in which document ids are positions in `docs`.
    pub fn related_finder<'a>(&'a self, docs: &'a [SearchDoc]) -> tantivy::Result<Related<'a>> {
        if self.searcher().segment_readers().len() != 1 || self.num_docs() != docs.len() {
            return Err(tantivy::TantivyError::InternalError(
                "related records need the index of exactly these documents, in one segment".into(),
            ));
        }
        let searcher = self.searcher();
        let f = self.fields();
        let segment = searcher.segment_reader(0);
        let common = (docs.len() as u32 / 10).clamp(8, MOST_SHARED);
        let total = docs.len() as u64;
        let mut fields = Vec::new();
        let mut words = Vec::new();
        // Each document's rare words (positions in `words`) with their counts, read back from
        // the postings: the text was analysed once, when the index was written. The fields are
        // read in schema order, and each in the dictionary's, so positions are in term order.
        let mut held: Vec<Vec<(u32, u32)>> = vec![Vec::new(); docs.len()];
        for field in text_fields(f) {
            let index = segment.inverted_index(field)?;
            let mut terms = index.terms().stream()?;
            while terms.advance() {
                let info = terms.value();
                if info.doc_freq > common
                    || terms.key().len() < MIN_WORD_BYTES
                    || std::str::from_utf8(terms.key()).is_err()
                {
                    continue;
                }
                let word = words.len() as u32;
                let mut postings =
                    index.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
                while postings.doc() != TERMINATED {
                    held[postings.doc() as usize].push((word, postings.term_freq()));
                    postings.advance();
                }
                words.push(Word {
                    field: fields.len() as u8,
                    info: info.clone(),
                });
            }
            // As `Bm25Weight::for_terms` computes it from the searcher's statistics.
            let average_length = index.total_num_tokens() as Score / total as Score;
            fields.push(FieldScoring {
                lengths: (segment.fieldnorms_readers().get_field(field)?)
                    .unwrap_or_else(|| FieldNormReader::constant(segment.max_doc(), 1)),
                postings: index,
                // No word is in more documents than there are, which on a small site is fewer
                // than `common` (and tantivy's idf asserts it).
                by_doc_freq: (0..=u64::from(common).min(total))
                    .map(|df| Bm25Weight::for_one_term_without_explain(df, total, average_length))
                    .collect(),
            });
        }
        let distinctive = held
            .into_par_iter()
            .map(|held| most_distinctive(held, &words, docs.len()))
            .collect();
        Ok(Related {
            engine: self,
            docs,
            words,
            distinctive,
            fields,
            shared: Shared::new(docs),
        })
    }

    fn num_docs(&self) -> usize {
        self.searcher().num_docs() as usize
    }
}

impl Related<'_> {
    /// Positions of the records most related to `docs[of]`, best first; ties go to the earlier
    /// record, so the result never depends on thread timing.
    pub fn of(&self, of: usize, limit: usize) -> tantivy::Result<Vec<usize>> {
        SCRATCH.with_borrow_mut(|scratch| {
            scratch.fit(self.docs.len());
            let best = self.best(of, limit, scratch);
            scratch.clear();
            best
        })
    }

    fn best(&self, of: usize, limit: usize, scratch: &mut Scratch) -> tantivy::Result<Vec<usize>> {
        let searcher = self.engine.searcher();
        let weight = self.similar_words(of);
        let Scratch { seen, candidates } = scratch;
        seen[of] = true;
        let probe = self.shared.probe(of);
        let most = self.shared.sharing(&probe);
        let mut best = Best::new(limit);
        // Each record sharing a word, in increasing order, as long as its words could still
        // lift it into the list: tantivy's block-WAND skips the records whose words score at
        // most what the list's last entry less the largest bonus leaves (see `Best::floor`).
        weight.for_each_pruning(f32::MIN, searcher.segment_reader(0), &mut |id, words| {
            let position = id as usize;
            if !std::mem::replace(&mut seen[position], true) {
                candidates.push(position);
                best.offer(words + self.shared.bonus(&probe, position), position);
            }
            best.floor(most)
        })?;
        // A record left unseen shares no word, or its words were skipped above; either way
        // it can only enter the list by its bonus (one skipped never does: see `Best::floor`).
        match self.shared.patterns(&probe) {
            Some(patterns) => {
                for pattern in &patterns {
                    if best.beats(pattern.bonus) {
                        break;
                    }
                    let mut offered = 0;
                    for position in self.shared.holding(pattern) {
                        if std::mem::replace(&mut seen[position], true) {
                            continue;
                        }
                        candidates.push(position);
                        best.offer(self.shared.bonus(&probe, position), position);
                        offered += 1;
                        // Later holders of the pattern score no more and come later.
                        if offered == limit {
                            break;
                        }
                    }
                }
            }
            // A record with very many values: every record is scored.
            None => {
                for position in (0..self.docs.len()).filter(|p| !seen[*p]) {
                    best.offer(self.shared.bonus(&probe, position), position);
                }
            }
        }
        seen[of] = false;
        Ok(best.positions())
    }

    /// Scores other records by the record's distinctive words, each boosted by its weight: a
    /// boolean query of boosted term queries, made from what the dictionary gave when it was
    /// read rather than by looking each word up in it again (twice, for every record).
    fn similar_words(&self, of: usize) -> BooleanWeight<SumCombiner> {
        let clauses: Vec<(Occur, Box<dyn Weight>)> = self.distinctive[of]
            .iter()
            .map(|&(word, boost)| {
                let word = &self.words[word as usize];
                let field = &self.fields[usize::from(word.field)];
                let weight = WordWeight {
                    postings: field.postings.clone(),
                    info: word.info.clone(),
                    lengths: field.lengths.clone(),
                    similarity: field.by_doc_freq[word.info.doc_freq as usize].clone(),
                    boost,
                };
                (Occur::Should, Box::new(weight) as Box<dyn Weight>)
            })
            .collect();
        // As `BooleanQuery::new` sets it: one should clause must match, if there are any.
        let must_match = usize::from(!clauses.is_empty());
        BooleanWeight::with_minimum_number_should_match(
            clauses,
            must_match,
            true,
            Box::new(SumCombiner::default),
        )
    }
}

/// One distinctive word's part of [`Related::similar_words`]: what `BoostQuery` of a
/// `TermQuery` scores with, made without the dictionary.
struct WordWeight {
    postings: Arc<InvertedIndexReader>,
    info: TermInfo,
    lengths: FieldNormReader,
    similarity: Bm25Weight,
    boost: Score,
}

impl Weight for WordWeight {
    fn scorer(&self, _: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        // `TermQuery` reads no counts unless asked to (`IndexRecordOption::Basic`).
        let postings =
            (self.postings).read_postings_from_terminfo(&self.info, IndexRecordOption::Basic)?;
        let similarity = self.similarity.boost_by(boost * self.boost);
        // A `TermScorer`, so the boolean weight skips records by block-WAND.
        Ok(Box::new(TermScorer::new(
            postings,
            self.lengths.clone(),
            similarity,
        )))
    }

    fn explain(&self, _: &SegmentReader, _: DocId) -> tantivy::Result<Explanation> {
        Err(tantivy::TantivyError::InvalidArgument(
            "related records are not explained".into(),
        ))
    }
}

/// The fields whose words make records similar, in schema order.
fn text_fields(f: &crate::schema::Fields) -> [tantivy::schema::Field; 3] {
    [f.title, f.summary, f.body]
}

/// One thread's working memory for [`Related::of`], kept between records: sized once for the
/// site and cleared entry by entry, so finding one record's related records costs what it
/// touches, not the size of the site (allocating and zeroing per record made large sites
/// quadratic).
#[derive(Default)]
struct Scratch {
    /// Records already offered (and the current record itself).
    seen: Vec<bool>,
    /// The records marked in `seen`.
    candidates: Vec<usize>,
}

impl Scratch {
    fn fit(&mut self, records: usize) {
        if self.seen.len() != records {
            *self = Scratch {
                seen: vec![false; records],
                ..Scratch::default()
            };
        }
    }

    fn clear(&mut self) {
        for position in self.candidates.drain(..) {
            self.seen[position] = false;
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// The words that set a document apart: frequent in it (tf) and rare elsewhere (idf), weighted
/// relative to the best one, given as (position in `words`, count here); ties go to the word
/// first in term order.
fn most_distinctive(held: Vec<(u32, u32)>, words: &[Word], total: usize) -> Vec<(u32, f32)> {
    let total = total as f32;
    let mut scored: Vec<(f32, u32)> = held
        .into_iter()
        .map(|(word, tf)| {
            let df = words[word as usize].info.doc_freq;
            let idf = (1.0 + (total - df as f32 + 0.5) / (df as f32 + 0.5)).ln();
            (tf as f32 * idf, word)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(WORDS);
    let best = scored.first().map_or(1.0, |(score, _)| *score);
    scored
        .into_iter()
        .map(|(score, word)| (word, score / best))
        .collect()
}

/// The best few (score, position) pairs seen, best first; ties go to the earlier position, so
/// the result never depends on the order records are offered in.
struct Best {
    limit: usize,
    kept: Vec<(f32, usize)>,
}

impl Best {
    fn new(limit: usize) -> Best {
        Best {
            limit,
            kept: Vec::with_capacity(limit + 1),
        }
    }

    fn offer(&mut self, score: f32, position: usize) {
        if score <= 0.0 || self.kept.contains(&(score, position)) {
            return;
        }
        let at = self
            .kept
            .partition_point(|(s, p)| *s > score || (*s == score && *p < position));
        if at < self.limit {
            self.kept.insert(at, (score, position));
            self.kept.truncate(self.limit);
        }
    }

    /// The last entry's score once the list is full (none while it has room).
    fn last(&self) -> Option<f32> {
        let last = self.kept.last().map(|(score, _)| *score);
        last.filter(|_| self.kept.len() == self.limit)
    }

    /// Whether the list is full and its last entry scores above `score`, so nothing scoring at
    /// most `score` could enter it.
    fn beats(&self, score: f32) -> bool {
        self.last().is_some_and(|last| last > score)
    }

    /// The word score a record must pass to still enter the list, when its bonus is at most
    /// `most` (`f32::MIN` while the list has room). A record scoring at most that, with any bonus,
    /// scores at most the last entry, and less by the margin, which is far above the rounding
    /// of a few float additions: so it could not enter the list, not even on a tie by an
    /// earlier position, and nothing it is later offered as (its bonus alone) can either.
    fn floor(&self, most: f32) -> f32 {
        const MARGIN: f32 = 1e-3;
        self.last().map_or(f32::MIN, |last| last - most - MARGIN)
    }

    fn positions(self) -> Vec<usize> {
        self.kept.into_iter().map(|(_, p)| p).collect()
    }
}

/// One taxonomy's values of a document.
type Values = fn(&SearchDoc) -> &[String];

/// What records share besides words, as one row of bits per record: the values of each
/// taxonomy (solutions, service areas, networks) and the record's kind, 64 to a machine word.
/// A pair's bonus is then a popcount of an AND per word, times that word's weight.
struct Shared {
    /// Machine words per row.
    stride: usize,
    /// The bonus for each shared bit, per word of a row.
    weights: Vec<f32>,
    rows: Vec<u64>,
    /// Where the kind word is in a row: for it, "shared" means "differs".
    kind_word: usize,
    /// Sets of records, a bit per record, each `set_words` long: the holders of each value, by
    /// bit (word × 64 + bit), then for each kind the records of another kind (`other_kind`).
    sets: Vec<u64>,
    set_words: usize,
}

/// Which of a record's values another record shares (and whether it is another kind), with the
/// bonus for exactly that.
struct Pattern {
    bonus: f32,
    /// The sets (`Shared::sets`) whose every record shares the pattern.
    sets: Vec<usize>,
}

/// The kinds of record, a bit each in a row's kind word.
const KINDS: usize = 3;
const KIND_BITS: u64 = (1 << KINDS) - 1;

/// Records with more values than this have too many patterns to try; every record is scored.
const MOST_PATTERN_VALUES: usize = 10;

impl Shared {
    fn new(docs: &[SearchDoc]) -> Shared {
        let taxonomies: [(Values, f32); 3] = [
            (|d| &d.solutions, SOLUTION),
            (|d| &d.service_areas, SERVICE_AREA),
            (|d| &d.networks, NETWORK),
        ];
        let mut weights = Vec::new();
        let mut columns: Vec<(usize, BTreeMap<&str, usize>)> = Vec::new();
        for (values, weight) in taxonomies {
            let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
            for v in docs.iter().flat_map(values) {
                let next = ids.len();
                ids.entry(v.as_str()).or_insert(next);
            }
            columns.push((weights.len(), ids));
            let words = columns
                .last()
                .map_or(1, |(_, ids)| ids.len().div_ceil(64).max(1));
            weights.extend(std::iter::repeat_n(weight, words));
        }
        let kind_word = weights.len();
        weights.push(OTHER_KIND);
        let stride = weights.len();
        let mut rows = vec![0u64; stride * docs.len()];
        for (doc, row) in docs.iter().zip(rows.chunks_mut(stride)) {
            for ((values, _), (first, ids)) in taxonomies.iter().zip(&columns) {
                for v in values(doc) {
                    let id = ids[v.as_str()];
                    row[first + id / 64] |= 1 << (id % 64);
                }
            }
            // One bit of `KIND_BITS`.
            row[kind_word] = match doc.kind.as_str() {
                "practice" => 1,
                "barrier" => 2,
                _ => 4,
            };
        }
        // Walking a pattern's holders is an AND of a few of these, read in order: walking the
        // holders of its rarest value and checking each one's row (in random order, a cache miss
        // each) was most of the time related records took.
        let set_words = docs.len().div_ceil(64);
        let mut sets = vec![0u64; (kind_word * 64 + KINDS) * set_words];
        for (position, row) in rows.chunks(stride).enumerate() {
            let (word, bit) = (position / 64, 1 << (position % 64));
            let values = (row[..kind_word].iter().enumerate())
                .flat_map(|(word, bits)| ones(*bits).map(move |bit| word * 64 + bit));
            let other_kinds = (0..KINDS)
                .filter(|kind| row[kind_word] & (1 << kind) == 0)
                .map(|kind| kind_word * 64 + kind);
            for set in values.chain(other_kinds) {
                sets[set * set_words + word] |= bit;
            }
        }
        Shared {
            stride,
            weights,
            rows,
            kind_word,
            sets,
            set_words,
        }
    }

    fn row(&self, position: usize) -> &[u64] {
        &self.rows[position * self.stride..(position + 1) * self.stride]
    }

    /// Every pattern a record can share with the one whose probe this is, best bonus first;
    /// `None` for a record with more than [`MOST_PATTERN_VALUES`] values.
    fn patterns(&self, probe: &[u64]) -> Option<Vec<Pattern>> {
        let values: Vec<usize> = probe[..self.kind_word]
            .iter()
            .enumerate()
            .flat_map(|(word, bits)| ones(*bits).map(move |bit| word * 64 + bit))
            .collect();
        if values.len() > MOST_PATTERN_VALUES {
            return None;
        }
        // The last choice is "another kind".
        let choices = values.len() + 1;
        let mut patterns: Vec<Pattern> = (1..1usize << choices)
            .map(|chosen| {
                let mut mask = vec![0u64; self.stride];
                let mut sets = Vec::new();
                for (i, &value) in values.iter().enumerate() {
                    if chosen & (1 << i) != 0 {
                        mask[value / 64] |= 1 << (value % 64);
                        sets.push(value);
                    }
                }
                if chosen & (1 << values.len()) != 0 {
                    mask[self.kind_word] = probe[self.kind_word];
                    // The probe's kind word has every kind but the record's own.
                    let own = (!probe[self.kind_word] & KIND_BITS).trailing_zeros() as usize;
                    sets.push(self.kind_word * 64 + own);
                }
                Pattern {
                    bonus: self.sharing(&mask),
                    sets,
                }
            })
            .collect();
        // Stable: equal bonuses keep the order they were made in.
        patterns.sort_by(|a, b| b.bonus.total_cmp(&a.bonus));
        Some(patterns)
    }

    /// The records that share at least `pattern`, in site order.
    fn holding<'s>(&'s self, pattern: &'s Pattern) -> impl Iterator<Item = usize> + 's {
        (0..self.set_words).flat_map(move |word| {
            let set = |set: usize| self.sets[set * self.set_words + word];
            let bits = (pattern.sets.iter()).fold(!0, |bits, &at| bits & set(at));
            ones(bits).map(move |bit| word * 64 + bit)
        })
    }

    /// The bonus of the bits `count` finds shared in each word of a row, summed in row order
    /// (so a pattern's bonus and a record's, for the same shared bits, are the same float).
    fn weigh(&self, row: &[u64], count: impl Fn(usize, u64) -> u32) -> f32 {
        row.iter()
            .zip(&self.weights)
            .enumerate()
            .map(|(word, (bits, w))| count(word, *bits) as f32 * w)
            .sum()
    }

    /// The row to AND others with: the record's own bits, but every other kind in the kind word.
    fn probe(&self, of: usize) -> Vec<u64> {
        let mut probe = self.rows[of * self.stride..(of + 1) * self.stride].to_vec();
        probe[self.kind_word] = !probe[self.kind_word] & KIND_BITS;
        probe
    }

    /// The bonus for sharing the values set in `mask` and, if its kind word has a bit set,
    /// being another kind: a pattern's bonus, and for a probe, the largest bonus any record can
    /// have with its record.
    fn sharing(&self, mask: &[u64]) -> f32 {
        self.weigh(mask, |word, bits| {
            if word == self.kind_word {
                u32::from(bits != 0)
            } else {
                bits.count_ones()
            }
        })
    }

    fn bonus(&self, probe: &[u64], other: usize) -> f32 {
        self.weigh(self.row(other), |word, bits| {
            (bits & probe[word]).count_ones()
        })
    }
}

/// The positions of the set bits of `bits`, lowest first.
fn ones(mut bits: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let bit = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            bit
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::Term;
    use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Query, TermQuery};

    fn doc(id: &str, kind: &str, body: &str, solutions: &[&str], networks: &[&str]) -> SearchDoc {
        SearchDoc {
            id: id.into(),
            title: id.into(),
            body: body.into(),
            kind: kind.into(),
            solutions: solutions.iter().map(|s| s.to_string()).collect(),
            networks: networks.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    fn related(docs: &[SearchDoc], of: usize) -> Vec<String> {
        let engine = crate::open_files(&crate::writer::build(docs).unwrap()).unwrap();
        let finder = engine.related_finder(docs).unwrap();
        finder
            .of(of, 3)
            .unwrap()
            .into_iter()
            .map(|p| docs[p].id.clone())
            .collect()
    }

    #[test]
    fn shared_rare_words_and_solutions_rank_first_and_another_kind_breaks_ties() {
        let filler = "kommunen tjenesten innbyggerne";
        let mut docs = vec![
            doc(
                "a",
                "practice",
                "medisindispenser hjemmetjenesten",
                &["ks-fiks"],
                &["n1"],
            ),
            doc(
                "same-words",
                "practice",
                "medisindispenser hjemmetjenesten",
                &[],
                &["n2"],
            ),
            doc("same-solution", "practice", filler, &["ks-fiks"], &["n2"]),
            doc("other-kind", "barrier", filler, &[], &["n2"]),
            doc("same-kind", "practice", filler, &[], &["n2"]),
        ];
        // Enough unrelated records that the filler words are common and the others rare.
        for i in 0..20 {
            docs.push(doc(&format!("x{i}"), "practice", filler, &[], &["n3"]));
        }
        let found = related(&docs, 0);
        let mut first_two = found[..2].to_vec();
        first_two.sort();
        assert_eq!(first_two, ["same-solution", "same-words"], "{found:?}");
        assert_eq!(
            found[2], "other-kind",
            "with nothing else shared, another kind beats the same kind"
        );
        assert!(
            !related(&docs, 1).contains(&"same-words".to_string()),
            "a record is never related to itself"
        );
    }

    #[test]
    fn a_site_with_fewer_records_than_a_distinctive_word_may_be_in_has_related_records() {
        // A word may be in up to 8 records however small the site; the BM25 weights made for
        // each possible count stop at the number of records.
        let docs = vec![
            doc("a", "practice", "medisindispenser", &["fiks"], &["n1"]),
            doc("b", "barrier", "medisindispenser", &[], &["n1"]),
            doc("c", "project", "sensor", &["fiks"], &["n2"]),
        ];
        let mut found = related(&docs, 0);
        found.sort();
        assert_eq!(found, ["b", "c"]);
    }

    #[test]
    fn the_index_must_be_of_these_documents() {
        let docs = vec![
            doc("a", "practice", "x", &[], &[]),
            doc("b", "barrier", "y", &[], &[]),
        ];
        let engine = crate::open_files(&crate::writer::build(&docs).unwrap()).unwrap();
        assert!(engine.related_finder(&docs[..1]).is_err());
    }

    /// Every record scored, as related records were found before patterns: what `of` must
    /// return.
    fn every_record_scored(finder: &Related<'_>, of: usize, limit: usize) -> Vec<usize> {
        let searcher = finder.engine.searcher();
        // tantivy's own query for the record's words, so the weights made without the
        // dictionary are checked against it too.
        let query = BooleanQuery::new(
            (finder.distinctive[of].iter())
                .map(|&(word, weight)| {
                    let query = TermQuery::new(term_of(finder, word), IndexRecordOption::Basic);
                    let boosted = BoostQuery::new(Box::new(query), weight);
                    (Occur::Should, Box::new(boosted) as Box<dyn Query>)
                })
                .collect(),
        );
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let mut words = vec![0.0; finder.docs.len()];
        weight
            .for_each(searcher.segment_reader(0), &mut |id, score| {
                words[id as usize] = score;
            })
            .unwrap();
        let probe = finder.shared.probe(of);
        let mut best = Best::new(limit);
        for position in (0..finder.docs.len()).filter(|p| *p != of) {
            best.offer(
                words[position] + finder.shared.bonus(&probe, position),
                position,
            );
        }
        best.positions()
    }

    /// The term whose postings a word's are, found in the dictionary.
    fn term_of(finder: &Related<'_>, word: u32) -> Term {
        let word = &finder.words[word as usize];
        let field = text_fields(finder.engine.fields())[usize::from(word.field)];
        let index = &finder.fields[usize::from(word.field)].postings;
        let mut terms = index.terms().stream().unwrap();
        while terms.advance() {
            if *terms.value() == word.info {
                return Term::from_field_text(field, std::str::from_utf8(terms.key()).unwrap());
            }
        }
        panic!("no word has these postings")
    }

    /// Each record's 5 related records are what scoring every record gives, ties and all.
    fn assert_every_list_is_exact(docs: &[SearchDoc]) {
        let engine = crate::open_files(&crate::writer::build(docs).unwrap()).unwrap();
        let finder = engine.related_finder(docs).unwrap();
        for of in 0..docs.len() {
            assert_eq!(
                finder.of(of, 5).unwrap(),
                every_record_scored(&finder, of, 5),
                "record {of}"
            );
        }
    }

    #[test]
    fn related_records_grew_with_the_square_of_the_site_but_stay_exact() {
        // Records sharing a service area or a network are no longer all scored; the result
        // must be what scoring every record gives, ties and all.
        let words = [
            "medisindispenser",
            "byggesak",
            "barnevern",
            "arkiv",
            "sensor",
            "bolig",
        ];
        let values = |seed: u64, of: &[&str], n: u64| -> Vec<String> {
            (0..seed % (n + 1))
                .map(|i| of[((seed >> (8 + 3 * i)) % of.len() as u64) as usize].to_string())
                .collect()
        };
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let docs: Vec<SearchDoc> = (0..400)
            .map(|i| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let seed = state >> 11;
                let mut d = doc(
                    &format!("r{i}"),
                    ["practice", "barrier", "project"][(seed % 3) as usize],
                    if seed.is_multiple_of(5) {
                        words[(seed % 6) as usize]
                    } else {
                        "kommunen"
                    },
                    &[],
                    &[],
                );
                d.solutions = values(seed >> 3, &["fiks", "altinn", "id-porten"], 2);
                d.service_areas = values(seed >> 17, &["helse", "skole", "plan", "nav"], 3);
                d.networks = values(seed >> 29, &["n1", "n2", "n3"], 2);
                d
            })
            .collect();
        assert_every_list_is_exact(&docs);
    }

    #[test]
    fn related_records_skip_records_whose_words_cannot_lift_them_but_stay_exact() {
        // Records sharing several rare words with weights of every size, so the list fills
        // early and block-WAND skips most records that share a word or two; the result must
        // still be what scoring every record gives.
        let syllables = (
            ["sol", "mar", "ved", "kor", "lin", "tre"],
            [
                "dal", "berg", "nes", "vik", "haug", "strand", "mo", "li", "fjord", "holm",
            ],
        );
        let vocabulary: Vec<String> = (0..60)
            .map(|k| format!("{}{}", syllables.0[k % 6], syllables.1[k / 6]))
            .collect();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let docs: Vec<SearchDoc> = (0..600)
            .map(|i| {
                let seed = next();
                let body: Vec<&str> = (0..2 + seed % 6)
                    .map(|_| vocabulary[(next() % 60) as usize].as_str())
                    .collect();
                let mut d = doc(
                    &format!("r{i}"),
                    ["practice", "barrier", "project"][(seed % 3) as usize],
                    &body.join(" "),
                    &[],
                    &[],
                );
                let pick = |of: &[&str], n: u64| -> Vec<String> {
                    (0..(seed >> 8) % (n + 1))
                        .map(|j| {
                            of[((seed >> (12 + 4 * j)) % of.len() as u64) as usize].to_string()
                        })
                        .collect()
                };
                d.solutions = pick(&["fiks", "altinn"], 1);
                d.networks = pick(&["n1", "n2", "n3"], 1);
                d
            })
            .collect();
        assert_every_list_is_exact(&docs);
    }
}
