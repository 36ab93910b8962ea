//! Filter counts are the same whichever way a value's postings are counted against the matching
//! records: walked through (most queries), or seeking each matching record in them (a query that
//! matches few records, beside a value many records have).

use search_index::{Engine, SearchDoc, SearchRequest, SearchResponse, open_files, writer};
use std::collections::BTreeMap;

fn docs() -> Vec<SearchDoc> {
    (0..600)
        .map(|i| SearchDoc {
            id: format!("erfaringer/post-{i}"),
            url: format!("/erfaringer/post-{i}/"),
            title: format!("Post {i} om kommunen"),
            kind: ["practice", "barrier", "project"][i % 3].into(),
            lang: "nb".into(),
            published: "2025-01-01".into(),
            networks: vec![format!("nettverk-{}", i % 10)],
            tags: (0..i % 4)
                .map(|t| format!("emne-{}", (i + t) % 13))
                .collect(),
            ..Default::default()
        })
        .collect()
}

/// What each filter's values should count: the records that pass every filter in use except
/// the one counted (counts of a filter in use ignore its own selection).
fn expected(
    docs: &[SearchDoc],
    filters: &BTreeMap<String, Vec<String>>,
    name: &str,
) -> BTreeMap<String, u64> {
    let values = |doc: &SearchDoc, filter: &str| -> Vec<String> {
        match filter {
            "type" => vec![doc.kind.clone()],
            "network" => doc.networks.clone(),
            "tag" => doc.tags.clone(),
            _ => unreachable!("{filter}"),
        }
    };
    let mut counts = BTreeMap::new();
    for doc in docs {
        let passes = filters
            .iter()
            .filter(|(filter, _)| filter.as_str() != name)
            .all(|(filter, wanted)| values(doc, filter).iter().any(|v| wanted.contains(v)));
        if passes {
            for value in values(doc, name) {
                *counts.entry(value).or_default() += 1;
            }
        }
    }
    counts
}

/// The records that pass `filters`, asked as the search page asks with an empty field.
fn browse(engine: &Engine, filters: &BTreeMap<String, Vec<String>>) -> SearchResponse {
    engine
        .search(&SearchRequest {
            q: String::new(),
            filters: filters.clone(),
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap()
}

#[test]
fn broad_and_narrow_queries_count_filter_values_as_a_direct_count_does() {
    let docs = docs();
    let engine = open_files(&writer::build(&docs).unwrap()).unwrap();
    let filter = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(name, values)| {
                (
                    name.to_string(),
                    values.iter().map(|v| v.to_string()).collect(),
                )
            })
            .collect()
    };
    let cases = [
        // Every record, most of them, a third, a tenth, a handful (seeking).
        filter(&[]),
        filter(&[("type", &["practice", "barrier"])]),
        filter(&[("type", &["practice"])]),
        filter(&[("network", &["nettverk-3"])]),
        filter(&[
            ("type", &["practice", "project"]),
            ("tag", &["emne-2", "emne-5"]),
        ]),
        filter(&[("network", &["nettverk-3"]), ("tag", &["emne-2"])]),
        filter(&[
            ("network", &["nettverk-3", "nettverk-4"]),
            ("tag", &["emne-7"]),
        ]),
    ];
    for filters in cases {
        let answer = browse(&engine, &filters);
        assert!(answer.total > 0, "{filters:?}");
        for name in ["type", "network", "tag"] {
            assert_eq!(
                answer.facets.get(name).cloned().unwrap_or_default(),
                expected(&docs, &filters, name),
                "{name} with {filters:?}"
            );
        }
    }
}

/// A few matching records side by side, counted against a value every fourth record has:
/// seeking record 1 lands on record 4, past records 2 and 3, which must then be skipped rather
/// than sought backwards (tantivy's postings only move forward, and asserted so).
#[test]
fn filter_counts_of_a_few_neighbouring_records_seek_only_forward() {
    let docs: Vec<SearchDoc> = (0..400)
        .map(|i| SearchDoc {
            id: format!("erfaringer/post-{i}"),
            url: format!("/erfaringer/post-{i}/"),
            title: format!("Post {i}"),
            kind: "practice".into(),
            lang: "nb".into(),
            published: "2025-01-01".into(),
            networks: vec![format!("nettverk-{}", i % 4)],
            tags: if (1..=5).contains(&i) {
                vec!["sjelden".into()]
            } else {
                Vec::new()
            },
            ..Default::default()
        })
        .collect();
    let engine = open_files(&writer::build(&docs).unwrap()).unwrap();
    let filters: BTreeMap<String, Vec<String>> =
        [("tag".to_string(), vec!["sjelden".to_string()])].into();
    let answer = browse(&engine, &filters);
    assert_eq!(answer.total, 5);
    assert_eq!(
        answer.facets.get("network").cloned().unwrap_or_default(),
        expected(&docs, &filters, "network")
    );
}
