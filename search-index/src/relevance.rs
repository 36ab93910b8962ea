//! Relevance measures for judged queries: nDCG@k and recall@k.
//!
//! Judgments grade records 2 (what the user wants), 1 (relevant) or 0 (anything unlisted).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One line of a judged query file (JSON Lines).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JudgedQuery {
    pub q: String,
    #[serde(default)]
    pub filters: BTreeMap<String, Vec<String>>,
    pub judgments: BTreeMap<String, u8>,
    #[serde(default)]
    pub covers: Vec<String>,
    #[serde(default)]
    pub note: String,
}

fn gain(grade: u8) -> f64 {
    f64::from((1u32 << grade) - 1)
}

fn discount(rank: usize) -> f64 {
    (rank as f64 + 2.0).log2()
}

/// Normalized discounted cumulative gain of the first `k` results (1.0 is a perfect order).
pub fn ndcg_at(ranked: &[String], judgments: &BTreeMap<String, u8>, k: usize) -> f64 {
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .map(|(rank, id)| gain(judgments.get(id).copied().unwrap_or(0)) / discount(rank))
        // Not `sum`: a float sum of nothing is -0.0, printed as "-0.000".
        .fold(0.0, |total, gain| total + gain);
    let mut ideal: Vec<u8> = judgments.values().copied().filter(|g| *g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(rank, g)| gain(*g) / discount(rank))
        .sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

/// Share of the relevant records (grade ≥ 1) found in the first `k` results.
pub fn recall_at(ranked: &[String], judgments: &BTreeMap<String, u8>, k: usize) -> f64 {
    let relevant = judgments.values().filter(|g| **g > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = ranked
        .iter()
        .take(k)
        .filter(|id| judgments.get(*id).is_some_and(|g| *g > 0))
        .count();
    found as f64 / relevant.min(k) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_relevant_hit_scores_a_zero_that_prints_without_a_minus() {
        let score = ndcg_at(&["x".to_string()], &judged(&[("y", 2)]), 10);
        assert_eq!(format!("{score:.3}"), "0.000");
        let score = ndcg_at(&[], &judged(&[("y", 2)]), 10);
        assert_eq!(format!("{score:.3}"), "0.000");
    }

    fn judged(pairs: &[(&str, u8)]) -> BTreeMap<String, u8> {
        pairs.iter().map(|(id, g)| (id.to_string(), *g)).collect()
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn perfect_order_scores_one_and_reversed_less() {
        let j = judged(&[("a", 2), ("b", 1)]);
        assert!((ndcg_at(&ids(&["a", "b"]), &j, 10) - 1.0).abs() < 1e-9);
        let reversed = ndcg_at(&ids(&["b", "a"]), &j, 10);
        assert!(reversed < 1.0 && reversed > 0.5, "{reversed}");
        assert_eq!(ndcg_at(&ids(&["x", "y"]), &j, 10), 0.0);
    }

    #[test]
    fn recall_counts_relevant_records_found() {
        let j = judged(&[("a", 2), ("b", 1), ("c", 1)]);
        assert!((recall_at(&ids(&["a", "x", "c"]), &j, 10) - 2.0 / 3.0).abs() < 1e-9);
    }
}
