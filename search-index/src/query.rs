//! Queries: from what a person types to ranked hits with snippets and filter counts.
//!
//! Input never fails: quotes that do not close, operators, emoji and very long input all degrade
//! to a plain query. Each word becomes a group of alternatives: the exact stem (scored with BM25,
//! boosted most), the word within one or two typos (from 5 and 9 letters), the unfinished last
//! word as a prefix (search as you type), and ASCII spellings of æ, ø, å (ae, oe, aa). No word is
//! required: records with every word come first, then those with most of them (coordination),
//! each tier in BM25 order, so one missing word never hides a good record. Fields are boosted
//! title > summary > body > names.

use serde::{Deserialize, Serialize};
use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::directory::CompositeFile;
use tantivy::index::{SegmentComponent, SegmentId};
use tantivy::query::{
    AllQuery, AutomatonWeight, BooleanQuery, BoostQuery, ConstScoreQuery, DfaWrapper,
    DisjunctionMaxQuery, EnableScoring, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
    Weight,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocSet, Index, IndexReader, ReloadPolicy, Score, Searcher, TantivyDocument, Term,
};

use crate::analysis::{Analyzer, Mode, word_spans};
use crate::coordination::PlusQuery;
use crate::facets::FacetCollector;
use crate::schema::{Fields, register};
use crate::synonyms::{Payload, Synonyms};

/// Input beyond this many characters is ignored: nobody types more, and it bounds the work.
const MAX_INPUT_CHARS: usize = 500;
/// At most this many words take part in a query.
const MAX_WORDS: usize = 12;
/// Results are paged at most this deep: the collector reserves room for `offset + limit` hits
/// up front, so an unbounded offset from a crafted request would ask for gigabytes.
pub const MAX_OFFSET: usize = 10_000;
/// What one word of the query adds to a record that has it: more than BM25 gives any record,
/// so the number of words a record has decides its tier.
const COORDINATION: f32 = 1000.0;
/// A word in more than this share of the records counts this much towards the tier.
const COMMON_SHARE: f32 = 0.4;
const COMMON_WEIGHT: f32 = 0.25;
/// Words longer than this are matched exactly: a typo automaton's cost grows with the word,
/// and the longest Norwegian compounds people type stay well below it.
const MAX_TYPO_WORD: usize = 40;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SearchRequest {
    #[serde(default)]
    pub q: String,
    /// Filter name (see [`crate::Filter`]) to accepted values; values of one filter are ORed.
    #[serde(default)]
    pub filters: BTreeMap<String, Vec<String>>,
    #[serde(default = "default_limit")]
    pub limit: usize,
    #[serde(default)]
    pub offset: usize,
    /// Only the hits and the total, no filter counts (`facets` left empty): with a small
    /// `limit`, the browser's first answer to a search whose index pieces are still on their
    /// way, which then needs neither the filter values' postings nor the documents of the
    /// hits below the first screen.
    #[serde(default)]
    pub hits_only: bool,
}

fn default_limit() -> usize {
    10
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Hit {
    pub id: String,
    pub url: String,
    pub title: String,
    pub kind: String,
    pub lang: String,
    pub badge: String,
    pub published: String,
    /// The summary as HTML, escaped, with matches in `<mark>`.
    pub snippet: String,
    pub score: f32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SearchResponse {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Per filter, how many matching records have each value.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    /// True when no record had every word, and records with some of them are shown.
    pub relaxed: bool,
}

/// What the input asks for, before it meets the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedInput {
    pub words: Vec<String>,
    pub phrases: Vec<Vec<String>>,
    /// The last word is unfinished (no space after it): search it as a prefix too.
    pub last_is_prefix: bool,
}

/// Splits input into words and "quoted phrases". Never fails.
pub fn parse_input(input: &str) -> ParsedInput {
    let input: String = input.chars().take(MAX_INPUT_CHARS).collect();
    let mut parsed = ParsedInput::default();
    let quotes = input.matches('"').count();
    // An unbalanced last quote is ignored: everything after it is plain words.
    let usable_quotes = quotes - quotes % 2;
    let mut seen_quotes = 0;
    let mut in_phrase = false;
    let mut chunk = String::new();
    let flush = |chunk: &mut String, phrase: bool, parsed: &mut ParsedInput| {
        let words: Vec<String> = word_spans(chunk)
            .into_iter()
            .map(|(a, b)| chunk[a..b].to_string())
            .collect();
        if phrase && words.len() > 1 {
            parsed.phrases.push(words);
        } else {
            parsed.words.extend(words);
        }
        chunk.clear();
    };
    for c in input.chars() {
        if c == '"' && seen_quotes < usable_quotes {
            seen_quotes += 1;
            flush(&mut chunk, in_phrase, &mut parsed);
            in_phrase = !in_phrase;
        } else {
            chunk.push(c);
        }
    }
    let ends_in_word = chunk.chars().last().is_some_and(char::is_alphanumeric);
    let had_words = !word_spans(&chunk).is_empty();
    flush(&mut chunk, in_phrase, &mut parsed);
    parsed.last_is_prefix = ends_in_word && had_words && !in_phrase;
    parsed.words.truncate(MAX_WORDS);
    parsed
}

/// ASCII spellings people use without a Norwegian keyboard.
fn ascii_fallbacks(word: &str) -> Vec<String> {
    let lower = word.to_lowercase();
    let replaced = lower
        .replace("aa", "å")
        .replace("ae", "æ")
        .replace("oe", "ø");
    if replaced != lower {
        vec![replaced]
    } else {
        Vec::new()
    }
}

fn typo_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        9..=MAX_TYPO_WORD => 2,
        _ => 0,
    }
}

/// An open index, ready to answer queries. Holds no threads and reloads nothing, so it runs
/// unchanged in a browser worker.
pub struct Engine {
    fields: Fields,
    analyzer: Arc<Analyzer>,
    reader: IndexReader,
    synonyms: Synonyms,
    /// Reading lazily (the browser): each segment's positions file. When a query lacks bytes,
    /// all its words' postings and positions are asked for, so they are fetched together
    /// ([`Engine::ask_for_postings`]). `None` in memory.
    lazy_positions: Option<HashMap<SegmentId, CompositeFile>>,
}

/// One word's forms as used for matching and highlighting.
struct WordForms {
    stems: Vec<String>,
    /// The prefix and the typo forms, final once [`Engine::forms`] returns them: the
    /// [`WordForms::automata`] are built from them, once.
    prefix: Option<String>,
    fuzzy: Vec<(String, u8)>,
    /// Stems of a compound's parts, to also find the words written apart or in other
    /// compounds: from the domain lexicon, or, for a word no record has, learned from the
    /// index's own vocabulary («arkivløsningene» → arkiv + løsning).
    parts: Option<Vec<String>>,
    /// Stems of the word's synonyms, for highlighting (they are matched by the unit).
    synonyms: Vec<String>,
    /// See [`WordForms::automata`].
    automata: OnceCell<Vec<(Arc<DfaWrapper>, f32)>>,
}

impl WordForms {
    /// The automata of the word's typo forms and its prefix, each with its share of a field's
    /// boost, built once: an automaton matches a word's text whatever the field, and building
    /// a typo automaton is the costly part of a typo search (tantivy's fuzzy query builds it
    /// for each field, at each pass over the index).
    fn automata(&self) -> &[(Arc<DfaWrapper>, f32)] {
        self.automata.get_or_init(|| {
            // The term's field plays no part in its automaton.
            let term = |text: &str| Term::from_field_text(Field::from_field_id(0), text);
            let typos = (self.fuzzy.iter())
                .map(|(stem, distance)| (FuzzyTermQuery::new(term(stem), *distance, true), 0.5));
            let prefix = (self.prefix.iter())
                .map(|prefix| (FuzzyTermQuery::new_prefix(term(prefix), 0, true), 1.0));
            typos
                .chain(prefix)
                .map(|(query, share)| {
                    let automaton = query.automaton().expect("typo distances are at most 2");
                    (Arc::new(automaton), share)
                })
                .collect()
        })
    }
}

/// A word's typo form or prefix in one field: the words of the field its automaton matches,
/// as tantivy's fuzzy query finds them, with the automaton shared ([`WordForms::automata`]).
#[derive(Clone)]
struct Expanded {
    field: Field,
    automaton: Arc<DfaWrapper>,
}

impl fmt::Debug for Expanded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expanded({:?})", self.field)
    }
}

impl Query for Expanded {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let automaton = self.automaton.clone();
        Ok(Box::new(AutomatonWeight::<DfaWrapper>::new(
            self.field, automaton,
        )))
    }
}

/// A word of the query, or a run of words that is a synonym entry, with the other entries.
struct Unit {
    /// Positions in the query's words.
    words: std::ops::Range<usize>,
    synonyms: Vec<crate::synonyms::Stems>,
}

/// One tier of coordination: a unit of the query, or a phrase.
struct Tier {
    /// What a record must have to have the whole unit.
    whole: Box<dyn Query>,
    /// `whole` with the unit's weight added to its score (and, for a synonym entry of several
    /// words, a share of it for a record with some of them).
    scored: Box<dyn Query>,
}

impl Tier {
    fn plus(whole: Box<dyn Query>, weight: f32) -> Tier {
        Tier {
            scored: Box::new(PlusQuery::new(whole.box_clone(), weight * COORDINATION)),
            whole,
        }
    }
}

/// What the query's text asks for, tier by tier.
struct TextQuery {
    tiers: Vec<Tier>,
    /// More than one tier: records are ranked by how many they have.
    coordinated: bool,
}

impl TextQuery {
    fn query(&self) -> Box<dyn Query> {
        match self.tiers.as_slice() {
            [] => Box::new(AllQuery),
            // One word: one tier, nothing to coordinate.
            [only] if !self.coordinated => only.whole.box_clone(),
            _ => Box::new(BooleanQuery::union(
                self.tiers
                    .iter()
                    .map(|tier| tier.scored.box_clone())
                    .collect(),
            )),
        }
    }

    /// Whether the record at `address` has every tier whole (no word, or part of a synonym
    /// entry, missing).
    fn is_complete(&self, searcher: &Searcher, address: DocAddress) -> tantivy::Result<bool> {
        if !self.coordinated {
            return Ok(true);
        }
        let every = BooleanQuery::intersection(
            self.tiers
                .iter()
                .map(|tier| tier.whole.box_clone())
                .collect(),
        );
        matches(searcher, &every, address)
    }
}

/// A term of a field that is indexed, as every field a query asks is. tantivy's own
/// `TermQuery::weight` falls back to a scan of the field's fast field when a field is not indexed;
/// that branch never runs here, but it keeps the range query and every numeric fast-field codec
/// in the browser engine (tens of KB of wasm), so the term's weight is asked for directly.
#[derive(Debug, Clone)]
struct IndexedTerm(TermQuery);

impl Query for IndexedTerm {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.0.specialized_weight(enable_scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

fn indexed_term(term: Term, option: IndexRecordOption) -> Box<dyn Query> {
    Box::new(IndexedTerm(TermQuery::new(term, option)))
}

/// `searcher.search(query, collector)`, segment after segment in this thread. tantivy's own goes
/// through its executor, whose thread-pool branch (never taken: the index has no pool) would
/// bring rayon into the browser engine for each collector.
fn search<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &C,
) -> tantivy::Result<C::Fruit> {
    let scoring = if collector.requires_scoring() {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = query.weight(scoring)?;
    collector.check_schema(searcher.schema())?;
    let fruits = searcher
        .segment_readers()
        .iter()
        .enumerate()
        .map(|(ord, segment)| collector.collect_segment(weight.as_ref(), ord as u32, segment))
        .collect::<tantivy::Result<Vec<_>>>()?;
    collector.merge_fruits(fruits)
}

/// Whether the record at `address` matches `query`.
fn matches(searcher: &Searcher, query: &dyn Query, address: DocAddress) -> tantivy::Result<bool> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut scorer = weight.scorer(searcher.segment_reader(address.segment_ord), 1.0)?;
    Ok(scorer.doc() <= address.doc_id && scorer.seek(address.doc_id) == address.doc_id)
}

impl Engine {
    pub fn open(index: Index) -> tantivy::Result<Engine> {
        let analyzer = Arc::new(Analyzer::default());
        register(&index, analyzer.clone());
        let fields = Fields::new();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let payload = Payload::from_json(index.load_metas()?.payload.as_deref());
        let synonyms = Synonyms::new(&payload.synonyms, &analyzer);
        Ok(Engine {
            fields,
            analyzer,
            reader,
            synonyms,
            lazy_positions: None,
        })
    }

    /// An engine over an index read lazily from a remote source.
    pub fn open_lazy(index: Index) -> tantivy::Result<Engine> {
        let engine = Engine::open(index.clone())?;
        let mut positions = HashMap::new();
        for segment in index.searchable_segments()? {
            // Opening the engine read this file's footer already: no new read.
            if let Ok(file) = segment.open_read(SegmentComponent::Positions) {
                positions.insert(segment.id(), CompositeFile::open(&file)?);
            }
        }
        Ok(Engine {
            lazy_positions: Some(positions),
            ..engine
        })
    }

    /// Reads, in every segment, the dictionary entry and then the postings and, where a phrase
    /// needs them, the positions of every exact term in `query`, and the postings of every
    /// word that the automaton of a typo or prefix form of `word_forms` matches in a text
    /// field, carrying on past a read that lacks bytes. Run when the query lacked some, it lets
    /// a lazy reader fetch them all in two rounds; the query itself, which stops at the first
    /// missing read, would take one round per term. The positions are read apart from the
    /// postings (through each segment's positions file), and the field norms too: tantivy
    /// reads each only once the postings are there, a round later. Does nothing in memory.
    fn ask_for_postings(&self, searcher: &Searcher, query: &dyn Query, word_forms: &[WordForms]) {
        let Some(positions) = &self.lazy_positions else {
            return;
        };
        let fields = self.text_fields().map(|(field, _)| field);
        let mut terms: Vec<(Term, bool)> = Vec::new();
        query.query_terms(&mut |term, needs_positions| terms.push((term.clone(), needs_positions)));
        for segment in searcher.segment_readers() {
            let mut normed = HashSet::new();
            for (term, with_positions) in &terms {
                let Ok(index) = segment.inverted_index(term.field()) else {
                    continue;
                };
                let Ok(Some(info)) = index.get_term_info(term) else {
                    continue;
                };
                let _ =
                    index.read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs);
                // The field's norms, which scoring the term reads (once its postings are here).
                if normed.insert(term.field()) {
                    let _ = segment.get_fieldnorms_reader(term.field());
                }
                if *with_positions
                    && let Some(file) = positions
                        .get(&segment.segment_id())
                        .and_then(|file| file.open_read(term.field()))
                {
                    let _ = file.read_bytes_slice(info.positions_range.clone());
                }
            }
            let automata = word_forms.iter().flat_map(WordForms::automata);
            for ((automaton, _), field) in automata.flat_map(|a| fields.map(|f| (a, f))) {
                let weight = AutomatonWeight::<DfaWrapper>::new(field, automaton.clone());
                let (Ok(index), Ok(words)) = (
                    segment.inverted_index(field),
                    weight.get_match_term_infos(segment),
                ) else {
                    continue;
                };
                for info in &words {
                    let _ = index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic);
                }
            }
        }
    }

    fn facet_collector(&self) -> FacetCollector {
        FacetCollector {
            fields: self.fields.filters,
        }
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    pub(crate) fn text_fields(&self) -> [(Field, f32); 4] {
        [
            (self.fields.title, 4.0),
            (self.fields.summary, 2.0),
            (self.fields.body, 1.0),
            (self.fields.names, 0.7),
        ]
    }

    /// Whether any record has `stem` in its text (the body holds nearly every word; the title
    /// and summary are asked too, they are small).
    fn known(&self, searcher: &Searcher, stem: &str) -> bool {
        [self.fields.body, self.fields.title, self.fields.summary]
            .into_iter()
            .any(|field| {
                searcher
                    .doc_freq(&Term::from_field_text(field, stem))
                    .is_ok_and(|n| n > 0)
            })
    }

    /// A word no record has, split into parts that records have: the longest known head first
    /// (with the linking -s- or -e- dropped), then the rest, itself split again if need be
    /// («tjenesteutviklingsprosjektene» → tjenesteutvikling + prosjekt). Heads are looked up
    /// only while they are known, so in the browser this reads few pages of the dictionary.
    fn split_unknown(&self, searcher: &Searcher, word: &str, depth: u8) -> Option<Vec<String>> {
        const MIN_PART: usize = 3;
        let chars: Vec<char> = word.chars().collect();
        if depth == 0 || chars.len() < 2 * MIN_PART + 1 {
            return None;
        }
        for head_len in (MIN_PART..=chars.len() - MIN_PART - 1).rev() {
            let head: String = chars[..head_len].iter().collect();
            let tail: String = chars[head_len..].iter().collect();
            let heads = [
                Some(head.as_str()),
                head.strip_suffix('s'),
                head.strip_suffix('e'),
            ];
            let Some(head_stem) = heads
                .into_iter()
                .flatten()
                .filter(|h| h.chars().count() >= MIN_PART)
                .map(|h| self.analyzer.stem(h))
                .find(|stem| stem.chars().count() >= MIN_PART && self.known(searcher, stem))
            else {
                continue;
            };
            let tail_stem = self.analyzer.stem(&tail);
            if tail.chars().count() > MIN_PART && self.known(searcher, &tail_stem) {
                return Some(vec![head_stem, tail_stem]);
            }
            if let Some(mut rest) = self.split_unknown(searcher, &tail, depth - 1) {
                rest.insert(0, head_stem);
                return Some(rest);
            }
        }
        None
    }

    /// The longest start of an unknown word that records have, if it is most of the word
    /// («gevinstrealiseringsarbeidet» → gevinstrealisering, when no record says «arbeid»): the
    /// rest cannot match anything, and the head is what the word is about.
    fn known_head(&self, searcher: &Searcher, word: &str) -> Option<String> {
        let chars: Vec<char> = word.chars().collect();
        let shortest = (chars.len() / 2).max(5);
        (shortest..chars.len())
            .rev()
            .flat_map(|length| {
                let head: String = chars[..length].iter().collect();
                let linked = head
                    .strip_suffix('s')
                    .or_else(|| head.strip_suffix('e'))
                    .map(str::to_string);
                [Some(head), linked].into_iter().flatten()
            })
            .map(|head| self.analyzer.stem(&head))
            .find(|stem| stem.chars().count() >= shortest.min(5) && self.known(searcher, stem))
    }

    fn forms(&self, searcher: &Searcher, word: &str, is_prefix: bool) -> Option<WordForms> {
        if self.analyzer.words(word, Mode::Query).is_empty() {
            return None; // a stop word
        }
        let mut variants = vec![word.to_string()];
        variants.extend(ascii_fallbacks(word));
        let mut forms = WordForms {
            stems: Vec::new(),
            prefix: None,
            fuzzy: Vec::new(),
            parts: None,
            synonyms: Vec::new(),
            automata: OnceCell::new(),
        };
        for variant in &variants {
            let normalized = self.analyzer.normalize(variant);
            let stem = self.analyzer.stem(&normalized);
            if is_prefix && forms.prefix.is_none() && normalized.chars().count() >= 2 {
                forms.prefix = Some(normalized.clone());
            }
            // An unfinished word is often cut where the stemmer sees a suffix («digihelse» stems
            // to «digih», which is one typo from «digi» in every network's name): when the
            // stemmer removed that much from the word being typed, its stem gets no typo room.
            let chopped = normalized
                .chars()
                .count()
                .saturating_sub(stem.chars().count());
            // Typos are counted on the stem, which is what the index holds.
            let distance = typo_distance(&stem);
            if distance > 0 && !(is_prefix && chopped >= 3) {
                forms.fuzzy.push((stem.clone(), distance));
            }
            if forms.parts.is_none() {
                forms.parts = self
                    .analyzer
                    .compound_stems(&normalized)
                    .map(|(head, tail)| vec![head, tail]);
            }
            forms.stems.push(stem);
        }
        forms.stems.dedup();
        // A word no record has: its parts may be there (an inflected or new compound). A word
        // still being typed is unknown because it is unfinished until it is long enough to be
        // a compound.
        let normalized = self.analyzer.normalize(word);
        let may_be_typo = typo_distance(&normalized) > 0;
        let unknown = (may_be_typo || forms.parts.is_none())
            && !forms.stems.iter().any(|stem| self.known(searcher, stem));
        if crate::remote::pending() {
            return Some(forms); // not known to be unknown yet: the search stops and is run again
        }
        if unknown && may_be_typo {
            forms.fuzzy.extend(
                self.transposed_known(searcher, &normalized)
                    .map(|stem| (stem, 0)),
            );
        }
        if unknown && forms.parts.is_none() && (!is_prefix || word.chars().count() >= 10) {
            forms.parts = self.split_unknown(searcher, &normalized, 3).or_else(|| {
                self.known_head(searcher, &normalized)
                    .map(|head| vec![head])
            });
        }
        Some(forms)
    }

    /// The stem of the known word that `normalized` is with two neighbouring letters swapped
    /// («arkivlvoa» → arkivlova), the commonest typo. The typo automaton cannot find these when
    /// the stemmer cuts the right word shorter than the wrong one (arkivlova stems to «arkiv»,
    /// arkivlvoa to «arkivlvo»), so an unknown word tries its swaps before it gives up.
    fn transposed_known(&self, searcher: &Searcher, normalized: &str) -> Option<String> {
        let chars: Vec<char> = normalized.chars().collect();
        (1..chars.len())
            .filter(|&i| chars[i - 1] != chars[i])
            .map(|i| {
                let mut swapped = chars.clone();
                swapped.swap(i - 1, i);
                self.analyzer.stem(&swapped.into_iter().collect::<String>())
            })
            .find(|stem| stem.chars().count() >= 3 && self.known(searcher, stem))
    }

    /// How much having this word counts towards "has every word": a word in most records
    /// (kommune, digital) tells little about what the person wants, so a record lacking it
    /// may still rank above one lacking a rarer word.
    fn coordination_weight(&self, searcher: &Searcher, forms: &WordForms) -> f32 {
        let documents = searcher.num_docs().max(1) as f32;
        let most = forms
            .stems
            .iter()
            .flat_map(|stem| {
                self.text_fields()
                    .into_iter()
                    .map(move |(field, _)| Term::from_field_text(field, stem))
            })
            .filter_map(|term| searcher.doc_freq(&term).ok())
            .max()
            .unwrap_or(0) as f32;
        if most / documents > COMMON_SHARE {
            COMMON_WEIGHT
        } else {
            1.0
        }
    }

    /// The query's words grouped into units: a run of two or three words that is a synonym
    /// entry («to faktor autentisering») is one unit; every other word is its own. A unit
    /// carries the other entries of its synonym groups, whose words are also remembered in a
    /// single word's forms, to be highlighted.
    fn units(&self, words: &mut [WordForms]) -> Vec<Unit> {
        let mut units = Vec::new();
        let mut at = 0;
        while at < words.len() {
            let longest = self.synonyms.longest().min(words.len() - at).max(1);
            let (length, synonyms) = (1..=longest)
                .rev()
                .find_map(|length| {
                    let stems: Vec<String> = words[at..at + length]
                        .iter()
                        .filter_map(|w| w.stems.first().cloned())
                        .collect();
                    let found = self.synonyms.of(&stems);
                    (!found.is_empty()).then(|| (length, found.to_vec()))
                })
                .unwrap_or((1, Vec::new()));
            if length == 1 {
                words[at]
                    .synonyms
                    .extend(synonyms.iter().flatten().cloned());
            }
            units.push(Unit {
                words: at..at + length,
                synonyms,
            });
            at += length;
        }
        units
    }

    /// A synonym entry anywhere in a record: one word as a term, several as a phrase. A little
    /// below the words as typed.
    fn entry_query(&self, stems: &[String]) -> Box<dyn Query> {
        let alternatives = self
            .text_fields()
            .into_iter()
            .map(|(field, boost)| {
                let query: Box<dyn Query> = match stems {
                    [stem] => indexed_term(
                        Term::from_field_text(field, stem),
                        IndexRecordOption::WithFreqs,
                    ),
                    _ => Box::new(PhraseQuery::new(
                        stems
                            .iter()
                            .map(|stem| Term::from_field_text(field, stem))
                            .collect(),
                    )),
                };
                Box::new(BoostQuery::new(query, boost * 1.5)) as Box<dyn Query>
            })
            .collect();
        Box::new(BooleanQuery::union(alternatives))
    }

    fn word_query(&self, forms: &WordForms) -> Box<dyn Query> {
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        for (field, boost) in self.text_fields() {
            for stem in &forms.stems {
                let term = Term::from_field_text(field, stem);
                alternatives.push(Box::new(BoostQuery::new(
                    indexed_term(term, IndexRecordOption::WithFreqs),
                    boost * 2.0,
                )));
            }
            for (automaton, share) in forms.automata() {
                let automaton = automaton.clone();
                let query = Box::new(Expanded { field, automaton });
                alternatives.push(Box::new(BoostQuery::new(query, boost * share)));
            }
        }
        if let Some(parts) = &forms.parts {
            // «foreldretilgang» also finds «tilgang for foreldre», ranked below the compound.
            let anywhere = |stem: &str| -> Box<dyn Query> {
                Box::new(BooleanQuery::union(
                    self.text_fields()
                        .iter()
                        .map(|(field, _)| {
                            indexed_term(
                                Term::from_field_text(*field, stem),
                                IndexRecordOption::WithFreqs,
                            )
                        })
                        .collect(),
                ))
            };
            let all = BooleanQuery::intersection(parts.iter().map(|p| anywhere(p)).collect());
            alternatives.push(Box::new(BoostQuery::new(Box::new(all), 0.5)));
        }
        Box::new(BooleanQuery::union(alternatives))
    }

    /// A run of words that is a synonym entry («digitalt utenforskap»): a record with all of
    /// them, or with another entry of the group, gets the whole tier; a record with only some
    /// of the words gets their share of it, so an entry no record uses still finds the records
    /// that have its words, instead of nothing.
    fn entry_unit(
        &self,
        searcher: &Searcher,
        words: &[WordForms],
        synonyms: impl Iterator<Item = Box<dyn Query>>,
    ) -> Tier {
        // Each word's query is built once (with its typo and prefix automata, the costly part).
        let word_queries: Vec<Box<dyn Query>> = words.iter().map(|f| self.word_query(f)).collect();
        let mut alternatives: Vec<Box<dyn Query>> = vec![Box::new(BooleanQuery::intersection(
            word_queries.iter().map(|q| q.box_clone()).collect(),
        ))];
        alternatives.extend(synonyms);
        let whole: Box<dyn Query> = Box::new(BooleanQuery::union(alternatives));
        let share = COORDINATION / words.len() as f32;
        let some = words
            .iter()
            .zip(word_queries)
            .map(|(forms, query)| {
                let weight = self.coordination_weight(searcher, forms);
                Box::new(PlusQuery::new(query, weight * share)) as Box<dyn Query>
            })
            .collect();
        Tier {
            scored: Box::new(DisjunctionMaxQuery::new(vec![
                Box::new(PlusQuery::new(whole.box_clone(), COORDINATION)),
                Box::new(BooleanQuery::union(some)),
            ])),
            whole,
        }
    }

    fn phrase_query(&self, words: &[String]) -> Option<Box<dyn Query>> {
        let analyzed = self.analyzer.words(&words.join(" "), Mode::Query);
        if analyzed.len() < 2 {
            return None;
        }
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        for (field, boost) in self.text_fields().into_iter().take(3) {
            let terms = analyzed
                .iter()
                .map(|w| (w.position, Term::from_field_text(field, &w.stem)))
                .collect();
            alternatives.push(Box::new(BoostQuery::new(
                Box::new(PhraseQuery::new_with_offset(terms)),
                boost * 2.0,
            )));
        }
        Some(Box::new(BooleanQuery::union(alternatives)))
    }

    /// One query per filter in use, by the filter's name; values of one filter are ORed.
    fn filter_queries(
        &self,
        filters: &BTreeMap<String, Vec<String>>,
    ) -> Vec<(String, Box<dyn Query>)> {
        filters
            .iter()
            .filter_map(|(name, values)| {
                let field = self.fields.filter(name)?;
                let options: Vec<Box<dyn Query>> = values
                    .iter()
                    .map(|v| {
                        indexed_term(Term::from_field_text(field, v), IndexRecordOption::Basic)
                    })
                    .collect();
                (!options.is_empty()).then(|| {
                    (
                        name.clone(),
                        // Filters narrow; they never rank (a record with two ticked values is
                        // not a better answer than one with one).
                        Box::new(ConstScoreQuery::new(
                            Box::new(BooleanQuery::union(options)),
                            0.0,
                        )) as Box<dyn Query>,
                    )
                })
            })
            .collect()
    }

    /// Coordination: each unit (a word, or a run of words that is a synonym entry) a record
    /// has adds its weight, far above what BM25 can add, so records with every word come
    /// first, then those with most of them, each tier in BM25 order. No word is required: a
    /// record that lacks one word is still found.
    fn text_query(
        &self,
        searcher: &Searcher,
        parsed: &ParsedInput,
        word_forms: &mut [WordForms],
    ) -> TextQuery {
        let units = self.units(word_forms);
        // One word and no phrase: a single tier, so no weight is needed (nor its lookups).
        let coordinated = word_forms.len() + parsed.phrases.len() > 1;
        let mut tiers: Vec<Tier> = Vec::new();
        for unit in units {
            let words = &word_forms[unit.words.clone()];
            let synonyms = unit.synonyms.iter().map(|entry| self.entry_query(entry));
            tiers.push(match words {
                [forms] => {
                    let mut alternatives = vec![self.word_query(forms)];
                    alternatives.extend(synonyms);
                    let whole: Box<dyn Query> = Box::new(BooleanQuery::union(alternatives));
                    let weight = if coordinated {
                        self.coordination_weight(searcher, forms)
                    } else {
                        1.0
                    };
                    Tier::plus(whole, weight)
                }
                _ => self.entry_unit(searcher, words, synonyms),
            });
        }
        for phrase in parsed.phrases.iter().filter_map(|p| self.phrase_query(p)) {
            tiers.push(Tier::plus(phrase, 1.0));
        }
        TextQuery { tiers, coordinated }
    }

    pub fn search(&self, request: &SearchRequest) -> tantivy::Result<SearchResponse> {
        let searcher = self.searcher();
        let parsed = parse_input(&request.q);
        let last = parsed.words.len().saturating_sub(1);
        // Between stages, a search whose reads lacked bytes still being fetched stops: what it
        // would do next depends on what it could not read (see `remote::pending`).
        crate::remote::begin();
        let mut word_forms: Vec<WordForms> = parsed
            .words
            .iter()
            .enumerate()
            .filter_map(|(i, w)| self.forms(&searcher, w, parsed.last_is_prefix && i == last))
            .collect();
        let text = self.text_query(&searcher, &parsed, &mut word_forms);
        if crate::remote::pending() {
            return Err(crate::remote::pending_error());
        }
        let filters = self.filter_queries(&request.filters);
        let everything = text.query();
        // The text and every filter but `except`.
        let filtered = |except: Option<&str>| -> BooleanQuery {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Must, everything.box_clone())];
            clauses.extend(
                filters
                    .iter()
                    .filter(|(name, _)| Some(name.as_str()) != except)
                    .map(|(_, f)| (Occur::Must, f.box_clone())),
            );
            BooleanQuery::new(clauses)
        };
        let query = filtered(None);
        // One pass over the matches gives the count, the top hits and the filter counts.
        let limit = request.limit.clamp(1, 100);
        let collectors = (
            Count,
            TopDocs::with_limit(limit)
                .and_offset(request.offset.min(MAX_OFFSET))
                .order_by_score(),
            (!request.hits_only).then(|| self.facet_collector()),
        );
        let searched = search(&searcher, &query, &collectors);
        // A pass that went through while reads lacked bytes lacked, as a rule, only filter
        // values' postings (the counts leave out a value they cannot read): its hits'
        // documents are then asked for in the same round. The search still ends pending, so
        // should a hit be wrong, this answer is never used.
        if crate::remote::pending() && searched.is_err() {
            // The query stopped at its first missing read: ask for the rest at once. Only
            // then, so a search with all it reads at hand does not walk its words twice.
            self.ask_for_postings(&searcher, &query, &word_forms);
            return Err(crate::remote::pending_error());
        }
        let (total, top, facets) = searched?;
        let mut facets = facets.unwrap_or_default();
        // Disjunctive counts, as shops and library catalogues count: the values of a filter
        // in use are counted without that filter, so ticking «Erfaring» still shows how many
        // projects match, and ticking «Prosjekt» as well adds them.
        if !request.hits_only {
            for (name, _) in &filters {
                let mut counts = search(&searcher, &filtered(Some(name)), &self.facet_collector())?;
                if let Some(own) = counts.remove(name) {
                    facets.insert(name.clone(), own);
                }
            }
        }
        // Loosened: the best record lacks a word, or part of a synonym entry.
        let relaxed = match top.first() {
            Some((_, best)) => !text.is_complete(&searcher, *best)?,
            None => false,
        };
        Ok(SearchResponse {
            total,
            hits: self.hits(&searcher, top, &word_forms)?,
            facets,
            relaxed,
        })
    }

    /// The documents of `top`, or the pending error when any read lacked bytes, this search's
    /// earlier reads included. Every hit is read before an error is returned, so a reader that
    /// fetches in the background learns at once of every document-store block the page needs.
    fn hits(
        &self,
        searcher: &Searcher,
        top: Vec<(Score, DocAddress)>,
        forms: &[WordForms],
    ) -> tantivy::Result<Vec<Hit>> {
        let hits: Vec<tantivy::Result<Hit>> = top
            .into_iter()
            .map(|(score, address)| self.hit(searcher, address, score, forms))
            .collect();
        let hits = hits.into_iter().collect::<tantivy::Result<Vec<Hit>>>()?;
        if crate::remote::pending() {
            return Err(crate::remote::pending_error());
        }
        Ok(hits)
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        forms: &[WordForms],
    ) -> tantivy::Result<Hit> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let summary = text(self.fields.summary);
        Ok(Hit {
            id: text(self.fields.id),
            url: text(self.fields.url),
            title: text(self.fields.title),
            kind: text(self.fields.kind()),
            lang: text(self.fields.lang),
            badge: text(self.fields.badge),
            published: text(self.fields.published),
            snippet: self.highlight(&summary, forms),
            score,
        })
    }

    /// Escapes `text` and marks the words that match the query, judged by the same analysis.
    fn highlight(&self, text: &str, forms: &[WordForms]) -> String {
        let stems: HashSet<&str> = forms
            .iter()
            .flat_map(|f| f.stems.iter().chain(&f.synonyms).map(String::as_str))
            .collect();
        let mut out = String::with_capacity(text.len() + 32);
        let mut last = 0;
        for word in self.analyzer.words(text, Mode::Query) {
            let matches = stems.contains(word.stem.as_str())
                || forms.iter().any(|f| {
                    f.prefix
                        .as_ref()
                        .is_some_and(|p| word.normalized.starts_with(p.as_str()))
                        || f.fuzzy.iter().any(|(s, d)| within(&word.stem, s, *d))
                });
            if matches {
                escape_into(&text[last..word.from], &mut out);
                out.push_str("<mark>");
                escape_into(&text[word.from..word.to], &mut out);
                out.push_str("</mark>");
                last = word.to;
            }
        }
        escape_into(&text[last..], &mut out);
        out
    }
}

/// Whether two words are within `distance` edits (insertions, deletions, substitutions,
/// adjacent transpositions), as the index's fuzzy search counts them.
fn within(a: &str, b: &str, distance: u8) -> bool {
    a.chars().count().abs_diff(b.chars().count()) <= distance as usize
        && strsim::osa_distance(a, b) <= distance as usize
}

/// Appends `text` with the five characters that matter in HTML escaped. Public because the
/// site generator escapes its templates the same way.
pub fn escape_into(text: &str, out: &mut String) {
    // By bytes, copying the runs between the five: they are ASCII, so every cut falls between
    // characters (a build escapes hundreds of megabytes; char by char took 2 % of it).
    let mut copied = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(escaped);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_replaces_the_five_and_keeps_every_other_character() {
        let mut out = String::from("før: ");
        escape_into("Tromsø & «Bodø» <b>\"fett\"</b> 'Å' &amp;", &mut out);
        assert_eq!(
            out,
            "før: Tromsø &amp; «Bodø» &lt;b&gt;&quot;fett&quot;&lt;/b&gt; &#39;Å&#39; &amp;amp;"
        );
        let mut edges = String::new();
        escape_into("<ø>", &mut edges);
        escape_into("", &mut edges);
        escape_into("æ", &mut edges);
        assert_eq!(edges, "&lt;ø&gt;æ");
    }

    #[test]
    fn input_splits_into_words_and_phrases() {
        let p = parse_input("kobo \"digital hele livet\" helse");
        assert_eq!(p.words, ["kobo", "helse"]);
        assert_eq!(
            p.phrases,
            [vec!["digital".to_string(), "hele".into(), "livet".into()]]
        );
        assert!(p.last_is_prefix);
        assert!(
            !parse_input("helse ").last_is_prefix,
            "a space ends the word"
        );
    }

    #[test]
    fn malformed_input_degrades_to_words() {
        assert_eq!(
            parse_input("\"uavsluttet sitat").words,
            ["uavsluttet", "sitat"]
        );
        assert_eq!(parse_input("AND OR -- ++ (( ))").words, ["AND", "OR"]);
        assert_eq!(parse_input("🙂🙂 helse 🙂").words, ["helse"]);
        assert!(parse_input(&"ord ".repeat(3000)).words.len() <= MAX_WORDS);
        assert_eq!(parse_input("").words, Vec::<String>::new());
    }

    #[test]
    fn ascii_spellings_map_to_norwegian_letters() {
        assert_eq!(ascii_fallbacks("loesning"), ["løsning"]);
        assert_eq!(ascii_fallbacks("Aasen"), ["åsen"]);
        assert!(ascii_fallbacks("helse").is_empty());
    }

    #[test]
    fn typos_are_allowed_by_word_length_up_to_a_bound() {
        assert_eq!(typo_distance("helse"), 1);
        assert_eq!(typo_distance("velferdsteknologiprosjektet"), 2);
        assert_eq!(typo_distance(&"a".repeat(MAX_TYPO_WORD + 1)), 0);
    }

    #[test]
    fn edit_distance_counts_transpositions_as_one() {
        assert!(within("helsestasjon", "helsestajson", 1));
        assert!(within("teknologi", "teknlogi", 1));
        assert!(!within("teknologi", "biologi", 2));
    }
}
