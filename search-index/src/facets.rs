//! Filter counts, collected in the same pass as the hits: for each matching record, the
//! fast-field ordinals of its filter values are counted, and only the ordinals that occurred
//! are turned into strings at the end.

use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::Filter;

/// Per filter name, the number of matching records with each value.
pub type FacetCounts = BTreeMap<String, BTreeMap<String, u64>>;

pub struct FacetCollector;

pub struct FacetSegmentCollector {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
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
        let counts = columns
            .iter()
            .map(|c| vec![0; c.as_ref().map_or(0, |c| c.num_terms())])
            .collect();
        Ok(FacetSegmentCollector { columns, counts })
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

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    counts[ord as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts::new();
        for ((filter, column), counts) in Filter::ALL.iter().zip(&self.columns).zip(&self.counts) {
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
