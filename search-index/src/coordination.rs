//! A query's score plus a constant, for coordination: a record that has a word of the query
//! gets the word's BM25 score and the word's coordination weight, in one pass over the word's
//! postings. (tantivy's `ConstScoreQuery` beside the word's own query gives the same sum, but
//! reads every posting twice, which made multi-word queries markedly slower.)

use std::fmt;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// `query`, every match scored `added` more.
pub struct PlusQuery {
    query: Box<dyn Query>,
    added: Score,
}

impl PlusQuery {
    pub fn new(query: Box<dyn Query>, added: Score) -> PlusQuery {
        PlusQuery { query, added }
    }
}

impl Clone for PlusQuery {
    fn clone(&self) -> Self {
        PlusQuery {
            query: self.query.box_clone(),
            added: self.added,
        }
    }
}

impl fmt::Debug for PlusQuery {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Plus(added={}, query={:?})", self.added, self.query)
    }
}

impl Query for PlusQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let scoring = enable_scoring.is_scoring_enabled();
        let inner = self.query.weight(enable_scoring)?;
        Ok(if scoring {
            Box::new(PlusWeight {
                inner,
                added: self.added,
            })
        } else {
            inner
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct PlusWeight {
    inner: Box<dyn Weight>,
    added: Score,
}

impl Weight for PlusWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(PlusScorer {
            inner: self.inner.scorer(reader, boost)?,
            added: self.added * boost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut explanation = Explanation::new("coordination", self.added);
        explanation.add_detail(self.inner.explain(reader, doc)?);
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct PlusScorer {
    inner: Box<dyn Scorer>,
    added: Score,
}

impl DocSet for PlusScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for PlusScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.added
    }
}
