//! Norwegian text analysis, the same for indexing and for queries, native and in the browser.
//!
//! One pass per word, in this order:
//! 1. split on anything that is not a letter or digit (so «ID-porten» is «id» + «porten»);
//! 2. drop stop words, unless written in capitals (so «NAV», «KS», «IKT» always survive);
//! 3. lower-case, and fold Sami and Kven letters to Norwegian ones (á→a, č→c, š→s, ä→æ, ö→ø), so
//!    «Kárášjohka» is found by «karasjohka»; æ, ø and å are kept, they change meaning;
//! 4. map Nynorsk forms to Bokmål (teneste→tjeneste, løysing→løsning, …) so both are one term;
//! 5. stem with Snowball's Norwegian stemmer;
//! 6. when indexing, also emit the parts of domain compounds at the same position
//!    («velferdsteknologiprogrammet» is found by «velferdsteknologi» and by «teknologi»).
//!
//! It is one tokenizer rather than a chain of tantivy filters because the steps depend on each
//! other (the acronym test needs the original case, the compound split needs the unstemmed word).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::lexicon::{COMPOUND_PARTS, NYNORSK_PAIRS, STOP_WORDS};

/// The name the index's text fields use for this analyzer.
pub const ANALYZER_NAME: &str = "norsk";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Also emit compound parts, so a search for a part finds the whole.
    Index,
    /// Only the whole word: a query for a compound should not match its parts.
    Query,
}

/// A word as analyzed: its stem and where it stands in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub stem: String,
    /// Lower-cased, folded and mapped, but not stemmed: what prefix search compares against.
    pub normalized: String,
    pub from: usize,
    pub to: usize,
    pub position: usize,
}

pub struct Analyzer {
    stemmer: frostem::Stemmer,
    stop_words: HashSet<&'static str>,
    nynorsk: HashMap<&'static str, &'static str>,
    /// The same pairs as stems («tenest» → «tjenest»), so every inflection of a Nynorsk word
    /// the stemmer reduces to the same stem meets its Bokmål form, not only the listed ones
    /// («tenestene», «tenestane», «tenestar»).
    nynorsk_stems: HashMap<String, String>,
    /// Longest first, so the longest known tail wins.
    compound_parts: Vec<&'static str>,
}

impl Default for Analyzer {
    fn default() -> Self {
        let mut compound_parts = COMPOUND_PARTS.to_vec();
        compound_parts.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
        let mut analyzer = Analyzer {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::Norwegian),
            stop_words: STOP_WORDS.iter().copied().collect(),
            nynorsk: NYNORSK_PAIRS.iter().copied().collect(),
            nynorsk_stems: HashMap::new(),
            compound_parts,
        };
        analyzer.nynorsk_stems = NYNORSK_PAIRS
            .iter()
            .map(|(nn, nb)| (analyzer.stem(nn), analyzer.stem(nb)))
            .filter(|(nn, nb)| nn != nb)
            .collect();
        analyzer
    }
}

fn is_acronym(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Folds Sami and Kven letters (and common accents) to the Norwegian alphabet.
pub fn fold(word: &str) -> String {
    word.chars().map(fold_letter).collect()
}

/// The one table of letters the site folds, for a lower-case letter: accents and Sami and Kven
/// letters become their base letter, ä and ö the Norwegian æ and ø, and æ, ø, å stay. The
/// generator's slugs and field names fold with it too (and then spell æ, ø, å in ASCII).
pub fn fold_letter(letter: char) -> char {
    match letter {
        'á' | 'à' | 'â' | 'ã' => 'a',
        'č' | 'ç' => 'c',
        'đ' | 'ð' => 'd',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ŋ' | 'ñ' => 'n',
        'ó' | 'ò' | 'ô' | 'õ' => 'o',
        'š' => 's',
        'ŧ' => 't',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ž' => 'z',
        'ä' => 'æ',
        'ö' => 'ø',
        other => other,
    }
}

impl Analyzer {
    /// The normalized form of one word: lower case, folded, Nynorsk mapped to Bokmål.
    pub fn normalize(&self, word: &str) -> String {
        let folded = fold(&word.to_lowercase());
        match self.nynorsk.get(folded.as_str()) {
            Some(bokmal) => (*bokmal).to_string(),
            None => folded,
        }
    }

    /// Snowball's Norwegian stem with a final double consonant undoubled: the stemmer leaves
    /// «programmet» as «programm» but «program» as «program», so without this the two forms of
    /// one word would never meet (Danish Snowball undoubles for the same reason).
    pub fn stem(&self, normalized: &str) -> String {
        let mut stem = self.stemmer.stem(normalized).into_owned();
        // Snowball leaves the definite plural of -er nouns as «-ern» («innbyggerne» →
        // «innbyggern», «innbyggere» → «innbygger»): one letter less joins them.
        if stem.ends_with("ern") && stem.chars().count() > 5 {
            stem.pop();
        }
        // Snowball takes one suffix; a plural or definite form keeps the -ar/-er of its
        // indefinite form («brukarane» → «brukar», «brukeren» → «bruker», «seminaret» →
        // «seminar»), which Snowball itself strips from that form («brukar» → «bruk»). A
        // second pass over such a stem joins them.
        if stem.len() < normalized.len()
            && (stem.ends_with("ar") || stem.ends_with("er"))
            && stem.chars().count() > 4
        {
            stem = self.stemmer.stem(&stem).into_owned();
        }
        let mut tail = stem.chars().rev();
        if let (Some(last), Some(before)) = (tail.next(), tail.next())
            && last == before
            && !"aeiouyæøå".contains(last)
            && stem.chars().count() > 3
        {
            stem.pop();
        }
        match self.nynorsk_stems.get(&stem) {
            Some(bokmal) => bokmal.clone(),
            None => stem,
        }
    }

    /// Analyzes `text` into words with byte offsets and positions.
    pub fn words(&self, text: &str, mode: Mode) -> Vec<Word> {
        let mut words = Vec::new();
        let mut position = 0;
        for (from, to) in word_spans(text) {
            let original = &text[from..to];
            let lower = original.to_lowercase();
            if self.stop_words.contains(lower.as_str()) && !is_acronym(original) {
                position += 1;
                continue;
            }
            let normalized = self.normalize(original);
            let stem = self.stem(&normalized);
            if mode == Mode::Index {
                self.compound_words(&normalized, from, to, position, 2, &mut words);
            }
            words.push(Word {
                stem,
                normalized,
                from,
                to,
                position,
            });
            position += 1;
        }
        words
    }

    /// Emits head and tail of a known compound, recursing into the head once more
    /// («velferdsteknologiprogrammet» → «velferdsteknologi» + «program», then «velferd» + «teknologi»).
    fn compound_words(
        &self,
        word: &str,
        from: usize,
        to: usize,
        position: usize,
        depth: u8,
        out: &mut Vec<Word>,
    ) {
        if depth == 0 {
            return;
        }
        for part in &self.compound_parts {
            let Some(head) = word.strip_suffix(part) else {
                continue;
            };
            let head_trimmed = head
                .strip_suffix('s')
                .or_else(|| head.strip_suffix('e'))
                .unwrap_or(head);
            if head_trimmed.chars().count() < 4 {
                continue;
            }
            for piece in [head_trimmed, part] {
                out.push(Word {
                    stem: self.stem(piece),
                    normalized: piece.to_string(),
                    from,
                    to,
                    position,
                });
            }
            self.compound_words(head_trimmed, from, to, position, depth - 1, out);
            return;
        }
    }
}

impl Analyzer {
    /// Head and tail stems of a known compound («foreldretilgang» → «foreldr», «tilgang»).
    pub fn compound_stems(&self, normalized: &str) -> Option<(String, String)> {
        let mut parts = Vec::new();
        self.compound_words(normalized, 0, 0, 0, 1, &mut parts);
        match parts.as_slice() {
            [head, tail, ..] => Some((head.stem.clone(), tail.stem.clone())),
            _ => None,
        }
    }
}

/// Byte ranges of runs of letters and digits.
pub fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    let mut at = 0;
    // By bytes, decoding a character only where one starts with a byte over 127: most of a
    // Norwegian text is ASCII, for which `is_ascii_alphanumeric` answers as `is_alphanumeric`
    // does. Decoding every character was 2.6 % of a 10,000-record build's instructions.
    while let Some(&byte) = text.as_bytes().get(at) {
        let (alphanumeric, width) = if byte.is_ascii() {
            (byte.is_ascii_alphanumeric(), 1)
        } else {
            let c = text[at..].chars().next().expect("`at` is at a character");
            (c.is_alphanumeric(), c.len_utf8())
        };
        match (alphanumeric, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                spans.push((s, at));
                start = None;
            }
            _ => {}
        }
        at += width;
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// Words remembered per tokenizer before the cache is emptied; bounds memory on huge sites.
const CACHE_LIMIT: usize = 200_000;

/// The analyzer as a tantivy tokenizer (index mode), registered under [`ANALYZER_NAME`].
///
/// Text repeats its words, so each tokenizer remembers what a written word analyzes to (its
/// stem and compound parts, or nothing for a stop word): indexing then pays for each distinct
/// word once, one lookup per word. tantivy gives every field and thread its own tokenizer, so
/// the cache needs no lock, and never lists it, so a fast hasher's order cannot show.
#[derive(Clone, Default)]
pub struct NorwegianTokenizer {
    analyzer: Arc<Analyzer>,
    /// A written word to where its stems lie in `stems`.
    cache: HashMap<String, std::ops::Range<usize>, foldhash::fast::RandomState>,
    stems: Vec<String>,
}

impl NorwegianTokenizer {
    pub fn new(analyzer: Arc<Analyzer>) -> Self {
        NorwegianTokenizer {
            analyzer,
            ..NorwegianTokenizer::default()
        }
    }
}

impl Tokenizer for NorwegianTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        if self.cache.len() > CACHE_LIMIT {
            self.cache.clear();
            self.stems.clear();
        }
        let words = word_spans(text)
            .into_iter()
            .map(|(from, to)| {
                let word = &text[from..to];
                let stems = match self.cache.get(word) {
                    Some(stems) => stems.clone(),
                    None => {
                        let start = self.stems.len();
                        let analyzed = self.analyzer.words(word, Mode::Index);
                        self.stems.extend(analyzed.into_iter().map(|w| w.stem));
                        self.cache.insert(word.to_string(), start..self.stems.len());
                        start..self.stems.len()
                    }
                };
                (from, to, stems)
            })
            .collect();
        WordStream {
            stems: &self.stems,
            words,
            word: 0,
            token: Token::default(),
        }
    }
}

/// A text's tokens, made one at a time into the same [`Token`] as tantivy reads them.
pub struct WordStream<'a> {
    stems: &'a [String],
    /// Each word's place in the text and its stems' range in `stems`; its index is its position.
    words: Vec<(usize, usize, std::ops::Range<usize>)>,
    /// The word whose stems are being given out.
    word: usize,
    token: Token,
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((from, to, stems)) = self.words.get_mut(self.word) {
            if let Some(stem) = stems.next() {
                self.token.offset_from = *from;
                self.token.offset_to = *to;
                self.token.position = self.word;
                self.token.text.clear();
                self.token.text.push_str(&self.stems[stem]);
                return true;
            }
            self.word += 1;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str, mode: Mode) -> Vec<String> {
        Analyzer::default()
            .words(text, mode)
            .into_iter()
            .map(|w| w.stem)
            .collect()
    }

    #[test]
    fn word_spans_are_the_runs_of_alphanumeric_characters_in_any_script() {
        // The spans as found character by character, which the byte loop must equal.
        fn by_characters(text: &str) -> Vec<(usize, usize)> {
            let mut spans = Vec::new();
            let mut start = None;
            for (i, c) in text.char_indices() {
                match (c.is_alphanumeric(), start) {
                    (true, None) => start = Some(i),
                    (false, Some(s)) => {
                        spans.push((s, i));
                        start = None;
                    }
                    _ => {}
                }
            }
            spans.extend(start.map(|s| (s, text.len())));
            spans
        }
        for text in [
            "",
            "   ",
            "Tromsø",
            "«Bodø» – 3 kommuner, 2024/25: NAV-kontoret (ÆØÅ æøå)!",
            "½ ² ① Ⅻ: tall som er bokstaver? 12,5 %",
            "Sámi: Guovdageaidnu, Kárášjohka; ŋ ŧ đ č š ž",
            "Ελληνικά кириллица 日本語 ‘quotes’ 🙂emoji🙂",
            "e\u{301}toile ends with a letter é",
        ] {
            assert_eq!(word_spans(text), by_characters(text), "{text}");
        }
    }

    #[test]
    fn inflected_forms_share_a_stem() {
        let a = Analyzer::default();
        assert_eq!(a.stem("tjenestene"), a.stem("tjeneste"));
        assert_eq!(a.stem("kommunene"), a.stem("kommunen"));
        assert_eq!(a.stem("programmet"), a.stem("program"));
    }

    #[test]
    fn nynorsk_and_bokmal_forms_are_one_term() {
        let a = Analyzer::default();
        for (nn, nb) in [
            ("tenester", "tjenester"),
            ("løysing", "løsning"),
            ("innbyggjarar", "innbyggere"),
            ("bustad", "bolig"),
            ("eigedom", "eiendom"),
        ] {
            assert_eq!(
                stems(nn, Mode::Query),
                stems(nb, Mode::Query),
                "{nn} ~ {nb}"
            );
        }
        assert_eq!(
            a.stem(&a.normalize("Tenestene")),
            a.stem(&a.normalize("tjenestene"))
        );
    }

    #[test]
    fn every_inflection_of_a_nynorsk_word_meets_its_bokmal_form() {
        let a = Analyzer::default();
        // Forms not in the pair list: the stem is mapped, not only the listed words.
        for (nn, nb) in [
            ("tenestane", "tjenestene"),
            ("tenestar", "tjenester"),
            ("innbyggjarar", "innbyggerne"),
            ("innbyggjarane", "innbyggere"),
            ("sjukeheimane", "sykehjemmene"),
            ("brukarane", "brukerne"),
            ("dataåtaket", "dataangrepet"),
        ] {
            assert_eq!(
                a.stem(&a.normalize(nn)),
                a.stem(&a.normalize(nb)),
                "{nn} / {nb}"
            );
        }
    }

    #[test]
    fn nynorsk_function_words_carry_no_weight() {
        assert_eq!(
            stems("korleis kan me få det til utan at dei ikkje", Mode::Query),
            Vec::<String>::new()
        );
    }

    #[test]
    fn stop_words_go_but_acronyms_stay() {
        assert_eq!(stems("ikke og i", Mode::Query), Vec::<String>::new());
        assert_eq!(stems("NAV og KS", Mode::Query), vec!["nav", "ks"]);
        // "DE" and "I" in capitals are kept (acronym test), "de" is dropped.
        assert_eq!(stems("de", Mode::Query), Vec::<String>::new());
        assert_eq!(stems("IKT", Mode::Query), vec!["ikt"]);
    }

    #[test]
    fn compounds_are_found_by_their_parts() {
        let indexed = stems("velferdsteknologiprogrammet", Mode::Index);
        let a = Analyzer::default();
        for part in ["velferdsteknologi", "teknologi", "program"] {
            assert!(indexed.contains(&a.stem(part)), "{part} in {indexed:?}");
        }
        assert_eq!(
            stems("velferdsteknologiprogrammet", Mode::Query).len(),
            1,
            "queries do not split"
        );
    }

    #[test]
    fn sami_letters_fold_but_norwegian_letters_stay() {
        assert_eq!(fold("kárášjohka"), "karasjohka");
        assert_eq!(fold("bør"), "bør");
        assert_eq!(
            stems("Kárášjohka", Mode::Query),
            stems("Karasjohka", Mode::Query)
        );
    }

    #[test]
    fn the_cached_tokenizer_gives_what_the_analyzer_gives() {
        let text = "Velferdsteknologiprogrammet og NAV: tenester, tjenester og Velferdsteknologiprogrammet igjen.";
        let mut expected: Vec<(usize, String)> = Analyzer::default()
            .words(text, Mode::Index)
            .into_iter()
            .map(|w| (w.position, w.stem))
            .collect();
        expected.sort();
        let mut tokenizer = NorwegianTokenizer::default();
        for _ in 0..2 {
            let mut stream = tokenizer.token_stream(text);
            let mut got = Vec::new();
            while stream.advance() {
                got.push((stream.token().position, stream.token().text.clone()));
            }
            got.sort();
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn offsets_and_positions_are_kept() {
        let words = Analyzer::default().words("Digi Vestland, ID-porten", Mode::Query);
        let spans: Vec<(usize, usize, usize)> =
            words.iter().map(|w| (w.from, w.to, w.position)).collect();
        assert_eq!(spans, vec![(0, 4, 0), (5, 13, 1), (15, 17, 2), (18, 24, 3)]);
    }
}
