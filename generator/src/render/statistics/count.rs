//! The numbers behind `/statistikk/`, counted from what records say and nothing else: no
//! clock, so the same content always gives the same page. Each count keeps the positions of
//! the records behind it (in the list of facts it was given), so a chart can link to them.

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

use crate::content::vocab::{BARRIER_STATUS, Term};
use crate::content::{Details, Record};

/// What the statistics read of one record.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub published: NaiveDate,
    pub networks: &'a [String],
    pub municipalities: &'a [String],
    pub solutions: &'a [String],
    pub barrier: Option<BarrierFacts<'a>>,
}

#[derive(Debug, Clone)]
pub struct BarrierFacts<'a> {
    pub status: Term,
    pub ministry: &'a str,
    /// The day the barrier got its current status.
    pub since: NaiveDate,
    /// Not resolved or rejected: still waiting.
    pub open: bool,
}

impl<'a> Facts<'a> {
    pub fn of(record: &'a Record) -> Facts<'a> {
        let c = &record.common;
        let barrier = match &record.details {
            Details::Barrier(b) => Some(BarrierFacts {
                status: b.status,
                ministry: &b.ministry,
                since: b.status_since(c.published),
                open: b.is_open(),
            }),
            _ => None,
        };
        Facts {
            published: c.published,
            networks: &c.networks,
            municipalities: &c.municipalities,
            solutions: &c.solutions,
            barrier,
        }
    }
}

/// Positions of the records behind one number.
pub type Positions = Vec<usize>;

/// Barriers per status, every status in the vocabulary's order (none left out, so a status
/// without barriers reads 0).
pub fn by_status(facts: &[Facts<'_>]) -> Vec<(Term, Positions)> {
    BARRIER_STATUS
        .terms
        .iter()
        .map(|term| {
            let behind = positions(facts, |f| {
                f.barrier.as_ref().is_some_and(|b| b.status == *term)
            });
            (*term, behind)
        })
        .collect()
}

/// Barriers per ministry id, for the ministries that have any.
pub fn by_ministry<'a>(facts: &[Facts<'a>]) -> BTreeMap<&'a str, Positions> {
    let mut out: BTreeMap<&str, Positions> = BTreeMap::new();
    for (i, f) in facts.iter().enumerate() {
        if let Some(b) = &f.barrier {
            out.entry(b.ministry).or_default().push(i);
        }
    }
    out
}

/// Upper bounds (exclusive, in days) of the waiting buckets; the last bucket has none.
pub const BUCKETS: [i64; 4] = [90, 180, 365, 730];

/// Open barriers (not resolved or rejected) per bucket of days in their current status,
/// counted to `today`: under 90 days, 90–179, 180–364, 365–729, 730 and more.
pub fn waiting(facts: &[Facts<'_>], today: NaiveDate) -> [Positions; 5] {
    let mut out: [Positions; 5] = Default::default();
    for (i, f) in facts.iter().enumerate() {
        let Some(b) = &f.barrier else { continue };
        if !b.open {
            continue;
        }
        out[bucket((today - b.since).num_days())].push(i);
    }
    out
}

/// The bucket of a wait of `days` days.
pub fn bucket(days: i64) -> usize {
    BUCKETS
        .iter()
        .position(|limit| days < *limit)
        .unwrap_or(BUCKETS.len())
}

/// Records per group and year of `published`; `groups` names each record's groups (a record
/// counts once in each of its groups).
pub fn per_year<'a, F>(facts: &[Facts<'a>], groups: F) -> BTreeMap<String, BTreeMap<i32, Positions>>
where
    F: Fn(&Facts<'a>) -> BTreeSet<String>,
{
    let mut out: BTreeMap<String, BTreeMap<i32, Positions>> = BTreeMap::new();
    for (i, f) in facts.iter().enumerate() {
        for group in groups(f) {
            use chrono::Datelike;
            let year = f.published.year();
            out.entry(group)
                .or_default()
                .entry(year)
                .or_default()
                .push(i);
        }
    }
    out
}

/// The years from the first to the last record's `published`, none skipped.
pub fn years(facts: &[Facts<'_>]) -> Vec<i32> {
    use chrono::Datelike;
    let first = facts.iter().map(|f| f.published.year()).min();
    let last = facts.iter().map(|f| f.published.year()).max();
    match (first, last) {
        (Some(first), Some(last)) => (first..=last).collect(),
        _ => Vec::new(),
    }
}

/// How many records refer to a solution, and how many municipalities those records name.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SolutionUse {
    pub records: Positions,
    pub municipalities: BTreeSet<String>,
}

/// Each solution's use, by solution id (only solutions some record names).
pub fn solutions(facts: &[Facts<'_>]) -> BTreeMap<String, SolutionUse> {
    let mut out: BTreeMap<String, SolutionUse> = BTreeMap::new();
    for (i, f) in facts.iter().enumerate() {
        for id in f.solutions {
            let used = out.entry(id.clone()).or_default();
            used.records.push(i);
            used.municipalities.extend(f.municipalities.iter().cloned());
        }
    }
    out
}

fn positions(facts: &[Facts<'_>], keep: impl Fn(&Facts<'_>) -> bool) -> Positions {
    (0..facts.len()).filter(|i| keep(&facts[*i])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn status(value: &str) -> Term {
        BARRIER_STATUS.find(value).unwrap()
    }

    fn record(published: &str) -> Facts<'static> {
        Facts {
            published: day(published),
            networks: &[],
            municipalities: &[],
            solutions: &[],
            barrier: None,
        }
    }

    fn barrier(status_value: &str, ministry: &'static str, since: &str) -> Facts<'static> {
        Facts {
            barrier: Some(BarrierFacts {
                status: status(status_value),
                ministry,
                since: day(since),
                open: !matches!(status_value, "løst" | "avvist"),
            }),
            ..record("2024-01-01")
        }
    }

    #[test]
    fn barriers_are_counted_per_status_with_every_status_listed() {
        let facts = [
            barrier("meldt", "kdd", "2024-02-01"),
            record("2024-03-01"),
            barrier("meldt", "hod", "2024-02-01"),
            barrier("løst", "hod", "2024-02-01"),
        ];
        let counts = by_status(&facts);
        assert_eq!(counts.len(), BARRIER_STATUS.terms.len());
        assert_eq!(counts[0], (status("meldt"), vec![0, 2]));
        assert_eq!(counts[1].1, Vec::<usize>::new());
        let resolved = counts.iter().find(|(t, _)| t.value == "løst").unwrap();
        assert_eq!(resolved.1, vec![3]);
    }

    #[test]
    fn barriers_are_counted_per_ministry() {
        let facts = [
            barrier("meldt", "kdd", "2024-02-01"),
            barrier("meldt", "hod", "2024-02-01"),
            record("2024-03-01"),
            barrier("løst", "hod", "2024-02-01"),
        ];
        let counts = by_ministry(&facts);
        assert_eq!(counts.len(), 2);
        assert_eq!(counts["hod"], vec![1, 3]);
        assert_eq!(counts["kdd"], vec![0]);
    }

    #[test]
    fn days_in_status_fall_in_the_right_bucket_at_each_edge() {
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(89), 0);
        assert_eq!(bucket(90), 1);
        assert_eq!(bucket(179), 1);
        assert_eq!(bucket(180), 2);
        assert_eq!(bucket(364), 2);
        assert_eq!(bucket(365), 3);
        assert_eq!(bucket(729), 3);
        assert_eq!(bucket(730), 4);
        assert_eq!(bucket(5000), 4);
    }

    #[test]
    fn waiting_counts_open_barriers_only_and_buckets_them_by_days_to_the_given_date() {
        let facts = [
            barrier("meldt", "kdd", "2025-12-01"),               // 31 days
            barrier("sendt departementet", "kdd", "2025-06-01"), // 214 days
            barrier("løst", "kdd", "2020-01-01"),                // closed: not waiting
            barrier("avvist", "kdd", "2020-01-01"),              // closed: not waiting
            barrier("under vurdering", "kdd", "2023-01-01"),     // over two years
            record("2026-01-01"),
        ];
        let buckets = waiting(&facts, day("2026-01-01"));
        assert_eq!(buckets[0], vec![0]);
        assert!(buckets[1].is_empty());
        assert_eq!(buckets[2], vec![1]);
        assert!(buckets[3].is_empty());
        assert_eq!(buckets[4], vec![4]);
    }

    #[test]
    fn records_are_counted_per_group_and_year_with_no_year_skipped() {
        let agder = ["agder".to_string()];
        let both = ["agder".to_string(), "vestland".to_string()];
        let facts = [
            Facts {
                networks: &agder,
                ..record("2022-05-01")
            },
            Facts {
                networks: &both,
                ..record("2024-02-01")
            },
            Facts {
                networks: &both,
                ..record("2024-09-01")
            },
        ];
        let counts = per_year(&facts, |f| f.networks.iter().cloned().collect());
        assert_eq!(counts["agder"][&2022], vec![0]);
        assert_eq!(counts["agder"][&2024], vec![1, 2]);
        assert_eq!(counts["vestland"].len(), 1);
        assert_eq!(counts["vestland"][&2024], vec![1, 2]);
        assert_eq!(years(&facts), vec![2022, 2023, 2024]);
        assert!(years(&[]).is_empty());
    }

    #[test]
    fn solutions_count_records_and_the_distinct_municipalities_they_name() {
        let fiks = ["fiks".to_string()];
        let both = ["fiks".to_string(), "altinn".to_string()];
        let bergen = ["4601".to_string()];
        let two = ["4601".to_string(), "0301".to_string()];
        let facts = [
            Facts {
                solutions: &fiks,
                municipalities: &bergen,
                ..record("2024-01-01")
            },
            Facts {
                solutions: &both,
                municipalities: &two,
                ..record("2024-01-01")
            },
            record("2024-01-01"),
        ];
        let used = solutions(&facts);
        assert_eq!(used.len(), 2);
        assert_eq!(used["fiks"].records, vec![0, 1]);
        assert_eq!(used["fiks"].municipalities.len(), 2);
        assert_eq!(used["altinn"].records, vec![1]);
        assert_eq!(used["altinn"].municipalities.len(), 2);
    }
}
