//! Filter counts, collected in the same pass as the hits: the matching records are noted, their
//! filter values' fast-field ordinals counted at the end, and only the ordinals that occurred
//! turned into strings.
//!
//! A broad query («kommune») matches most records. Its counts are then taken as every record's
//! counts (counted once per segment and kept) minus those of the records it does not match, so
//! the work follows the smaller of the two sets.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::Filter;

/// Per filter name, the number of matching records with each value.
pub type FacetCounts = BTreeMap<String, BTreeMap<String, u64>>;

/// Per filter (in [`Filter::ALL`]'s order), a count per value ordinal.
type Counts = Vec<Vec<u64>>;

/// Every live record's counts, per segment, counted the first time a broad query needs them:
/// what broad queries subtract from. A segment's records never change, only which are deleted,
/// so the counts are kept by segment and number of deleted records.
#[derive(Default)]
pub struct AllCounts(Mutex<HashMap<(SegmentId, u32), Arc<Counts>>>);

pub struct FacetCollector {
    pub all: Arc<AllCounts>,
}

pub struct FacetSegmentCollector {
    reader: SegmentReader,
    columns: Vec<Option<StrColumn>>,
    all: Arc<AllCounts>,
    /// The matching records, in increasing order.
    matched: Vec<DocId>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let columns = Filter::ALL
            .iter()
            .map(|filter| segment.fast_fields().str(filter.name()))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(FacetSegmentCollector {
            reader: segment.clone(),
            columns,
            all: self.all.clone(),
            matched: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut merged = FacetCounts::new();
        for fruit in fruits {
            for (name, values) in fruit {
                let target = merged.entry(name).or_default();
                for (value, count) in values {
                    *target.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl FacetSegmentCollector {
    fn empty(&self) -> Counts {
        self.columns
            .iter()
            .map(|c| vec![0; c.as_ref().map_or(0, |c| c.num_terms())])
            .collect()
    }

    /// Adds (or takes away) the values of `docs` to `counts`.
    fn count(&self, counts: &mut Counts, docs: impl Iterator<Item = DocId>, add: bool) {
        for doc in docs {
            for (column, counts) in self.columns.iter().zip(counts.iter_mut()) {
                for ord in column.iter().flat_map(|c| c.term_ords(doc)) {
                    let count = &mut counts[ord as usize];
                    *count = if add { *count + 1 } else { *count - 1 };
                }
            }
        }
    }

    /// Every live record's counts in this segment, counted once.
    fn all_counts(&self) -> Arc<Counts> {
        let id = (self.reader.segment_id(), self.reader.num_deleted_docs());
        if let Some(counts) = self.all.0.lock().expect("not poisoned").get(&id) {
            return counts.clone();
        }
        let mut counts = self.empty();
        let live = (0..self.reader.max_doc()).filter(|doc| !self.reader.is_deleted(*doc));
        self.count(&mut counts, live, true);
        let counts = Arc::new(counts);
        self.all
            .0
            .lock()
            .expect("not poisoned")
            .insert(id, counts.clone());
        counts
    }

    /// The live records not in `matched`.
    fn unmatched(&self) -> impl Iterator<Item = DocId> + '_ {
        let mut matched = self.matched.iter().copied().peekable();
        (0..self.reader.max_doc()).filter(move |doc| {
            while matched.next_if(|m| m < doc).is_some() {}
            matched.next_if_eq(doc).is_none() && !self.reader.is_deleted(*doc)
        })
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.matched.push(doc);
    }

    fn harvest(self) -> FacetCounts {
        let counts = if self.matched.len() as u32 > self.reader.num_docs() / 2 {
            let mut counts = (*self.all_counts()).clone();
            self.count(&mut counts, self.unmatched(), false);
            counts
        } else {
            let mut counts = self.empty();
            self.count(&mut counts, self.matched.iter().copied(), true);
            counts
        };
        let mut out = FacetCounts::new();
        for ((filter, column), counts) in Filter::ALL.iter().zip(&self.columns).zip(&counts) {
            let values = out.entry(filter.name().to_string()).or_default();
            let Some(column) = column else { continue };
            let mut value = String::new();
            for (ord, count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
                if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    values.insert(value.clone(), *count);
                }
            }
        }
        out
    }
}
