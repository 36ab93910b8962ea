//! Search: relevance on the repository's content against the recorded baseline, and the
//! `deling search` contract (JSON lines, filters, malformed input, version checks).

use crate::harness::Fixture;
use deling::commands::search::{mean, read_queries, scores};
use search_index::Engine;
use std::path::PathBuf;
use std::sync::OnceLock;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The repository's content built in memory, once for every test that searches it.
fn repository_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        deling::commands::search::open_built_in_memory(&repository()).expect("the content builds")
    })
}

#[test]
fn relevance_does_not_fall_below_the_recorded_baseline() {
    let root = repository();
    let queries = read_queries(&root.join("search-index/relevance/queries.jsonl")).unwrap();
    assert!(queries.len() >= 25);
    let baseline: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("search-index/relevance/baseline.json")).unwrap(),
    )
    .unwrap();
    let scores = scores(repository_engine(), &queries).unwrap();
    let ndcg = mean(&scores, |s| s.ndcg);
    let recall = mean(&scores, |s| s.recall);
    let report: String = scores
        .iter()
        .map(|s| format!("{:.3} {:.3} {}\n", s.ndcg, s.recall, s.query.q))
        .collect();
    assert!(
        ndcg >= baseline["ndcg_at_10"].as_f64().unwrap(),
        "nDCG@10 {ndcg:.4} below baseline\n{report}"
    );
    assert!(
        recall >= baseline["recall_at_10"].as_f64().unwrap(),
        "recall@10 {recall:.4} below baseline\n{report}"
    );
    // The first queries, written beside the engine, keep the baseline they had before the
    // set grew: a change may not trade them away for the new ones.
    let first = &scores[..52];
    let first_baseline = &baseline["first_52"];
    assert!(mean(first, |s| s.ndcg) >= first_baseline["ndcg_at_10"].as_f64().unwrap());
    assert!(mean(first, |s| s.recall) >= first_baseline["recall_at_10"].as_f64().unwrap());
}

#[test]
fn the_first_hits_without_counts_are_the_head_of_the_whole_answer_for_every_judged_query() {
    // The browser shows a search's first hits (`hits_only`) while the filter counts' postings
    // and the other hits' documents are fetched, and then adds the rest below them: the first
    // hits must be the whole answer's, in its order, with its total.
    let engine = repository_engine();
    let queries = read_queries(&repository().join("search-index/relevance/queries.jsonl")).unwrap();
    for query in &queries {
        let whole = search_index::SearchRequest {
            q: query.q.clone(),
            filters: query.filters.clone(),
            limit: 20,
            ..Default::default()
        };
        let first = search_index::SearchRequest {
            limit: 6,
            hits_only: true,
            ..whole.clone()
        };
        let (whole, first) = (
            engine.search(&whole).unwrap(),
            engine.search(&first).unwrap(),
        );
        let q = &query.q;
        assert_eq!(first.hits.len(), whole.hits.len().min(6), "«{q}»");
        assert_eq!(first.hits, whole.hits[..first.hits.len()], "«{q}»");
        assert_eq!(
            (first.total, first.relaxed),
            (whole.total, whole.relaxed),
            "«{q}»"
        );
        assert!(first.facets.is_empty(), "«{q}»: no counts");
    }
}

fn built() -> Fixture {
    let fixture = Fixture::new("minimal");
    assert!(fixture.run(&["build"]).status.success());
    fixture
}

fn json_hits(fixture: &Fixture, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = fixture.run(&all);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn search_json_prints_one_object_per_hit() {
    let fixture = built();
    let hits = json_hits(&fixture, &["sosialhjelp"]);
    assert_eq!(hits[0]["id"], "erfaringer/digital-sosialhjelp");
    for hit in &hits {
        for key in ["id", "url", "title", "score"] {
            assert!(hit.get(key).is_some(), "{key} missing in {hit}");
        }
    }
    assert_eq!(hits[0]["url"], "/deling/erfaringer/digital-sosialhjelp/");
}

#[test]
fn nynorsk_inflected_and_misspelt_queries_find_the_record() {
    let fixture = built();
    for query in [
        "opplysningane",
        "teieplikta",
        "opplysninger",
        "helse og omsorg",
        "forvaltningsloven",
    ] {
        let hits = json_hits(&fixture, &[query]);
        assert!(
            hits.iter()
                .any(|h| h["id"] == "hindringer/deling-av-opplysningar"),
            "{query} did not find the barrier"
        );
    }
    let hits = json_hits(&fixture, &["sosialhjlep"]);
    assert_eq!(
        hits[0]["id"], "erfaringer/digital-sosialhjelp",
        "a transposition is forgiven"
    );
    let hits = json_hits(&fixture, &["Karasjok"]);
    assert_eq!(
        hits[0]["id"], "erfaringer/digital-sosialhjelp",
        "municipality names are searchable"
    );
}

#[test]
fn filters_narrow_the_results() {
    let fixture = built();
    let all = json_hits(&fixture, &["helse"]);
    assert!(all.len() >= 2);
    let barriers = json_hits(&fixture, &["helse", "--type", "barrier"]);
    assert!(!barriers.is_empty() && barriers.iter().all(|h| h["kind"] == "barrier"));
    let network = json_hits(&fixture, &["", "--network", "digi-agder", "--limit", "50"]);
    let ids: Vec<&str> = network.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids.len(),
        2,
        "the practice and the national project shared with Digi Agder: {ids:?}"
    );
    assert!(ids.contains(&"prosjekter/felles-innlogging"));
}

#[test]
fn malformed_input_never_fails() {
    let fixture = built();
    let long = "velferd ".repeat(1500);
    for query in [
        "\"uavsluttet sitat",
        "AND OR NOT (( )) -- ++ ** ~~",
        "🙂🚀",
        &long,
        "",
        "\"\"",
        "\\",
        "{{ config }}",
    ] {
        let run = fixture.run(&["search", query, "--json"]);
        assert!(
            run.status.success(),
            "{query:.40}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

#[test]
fn facet_counts_add_up() {
    let fixture = built();
    let engine = deling::commands::search::open(&fixture.root().join("public")).unwrap();
    let response = engine
        .search(&search_index::SearchRequest {
            q: "helse".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    // Counts that add up to nothing prove nothing: «helse» is in records of two kinds.
    assert!(response.total >= 2, "{response:?}");
    assert!(response.facets["type"].len() >= 2, "{:?}", response.facets);
    let by_type: u64 = response.facets["type"].values().sum();
    assert_eq!(by_type as usize, response.total);
    assert_eq!(response.hits.len(), response.total.min(10));
    // Every hit has a snippet; the best one matched in its text, so the word is marked there (a
    // record found by its service area alone has nothing to mark).
    assert!(response.hits.iter().all(|h| !h.snippet.is_empty()));
    let best = &response.hits[0];
    assert!(
        best.snippet.contains("<mark>"),
        "{}: {}",
        best.id,
        best.snippet
    );
}

#[test]
fn counts_of_a_filter_in_use_ignore_its_own_selection_so_types_combine() {
    let fixture = built();
    let engine = deling::commands::search::open(&fixture.root().join("public")).unwrap();
    let search = |filters: &[(&str, &str)]| {
        let mut request = search_index::SearchRequest {
            limit: 10,
            ..Default::default()
        };
        for (name, value) in filters {
            request
                .filters
                .entry(name.to_string())
                .or_default()
                .push(value.to_string());
        }
        engine.search(&request).unwrap()
    };
    let all = search(&[]);
    let practices = search(&[("type", "practice")]);
    assert!(!practices.hits.is_empty());
    assert!(practices.hits.iter().all(|h| h.kind == "practice"));
    // The type counts are those of the whole site: the other types can still be ticked.
    assert_eq!(practices.facets["type"], all.facets["type"]);
    assert!(
        practices.facets["type"].len() >= 3,
        "{:?}",
        practices.facets["type"]
    );
    // The other facets count only practices.
    let networks: u64 = practices.facets["network"].values().sum();
    assert!(networks as usize >= practices.total);
    let vestland =
        |r: &search_index::SearchResponse| r.facets["network"].get("digi-vestland").copied();
    assert!(vestland(&practices).unwrap_or(0) < vestland(&all).unwrap());
    // Two types together: both kinds are in the hits.
    let both = search(&[("type", "practice"), ("type", "barrier")]);
    assert!(both.hits.iter().any(|h| h.kind == "barrier"));
    assert!(both.hits.iter().any(|h| h.kind == "practice"));
    assert_eq!(
        both.total,
        practices.total + all.facets["type"]["barrier"] as usize
    );
}

#[test]
fn an_index_of_another_format_version_is_refused_with_advice() {
    let fixture = built();
    let manifest = "public/sok/indeks/manifest.json";
    let written = format!("\"format_version\": {}", search_index::FORMAT_VERSION);
    fixture.edit(manifest, &written, "\"format_version\": 999");
    let run = fixture.run(&["search", "helse"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8(run.stderr)
            .unwrap()
            .contains("bygg nettstedet på nytt")
    );
}

#[test]
fn a_record_lacking_one_word_is_still_found_below_those_with_every_word() {
    let fixture = Fixture::new("minimal");
    // The barrier mentions sosialhjelp but not «digital»; the practice has both words.
    fixture.edit(
        "content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md",
        "Teieplikta.",
        "Teieplikta. Sosialhjelp er eitt av områda.",
    );
    assert!(fixture.run(&["build"]).status.success());
    let hits = json_hits(&fixture, &["digital sosialhjelp"]);
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "erfaringer/digital-sosialhjelp",
            "hindringer/deling-av-opplysningar"
        ],
        "every word first, then most of them"
    );
    assert_eq!(hits[0]["relaxed"], false, "a record had every word");
    assert_eq!(hits[0]["total"], 2);
    // No record has both «opplysningar» and «papir»: loosened, and it says so.
    let hits = json_hits(&fixture, &["opplysningar papir"]);
    assert!(hits.len() >= 2, "{hits:?}");
    assert_eq!(hits[0]["relaxed"], true);
}

#[test]
fn search_refuses_a_filter_value_the_index_does_not_have_and_lists_the_valid_ones() {
    let fixture = built();
    let run = fixture.run(&["search", "sosialhjelp", "--network", "Digi Agder"]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("--network «Digi Agder» finnes ikke"), "{err}");
    assert!(err.contains("mente du «digi-agder»?"), "{err}");
    assert!(
        err.contains("digi-vestland"),
        "the valid values are listed: {err}"
    );
    let run = fixture.run(&["search", "sosialhjelp", "--type", "erfaringer"]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("practice"), "{err}");
}

#[test]
fn search_refuses_limit_zero() {
    let fixture = built();
    let run = fixture.run(&["search", "sosialhjelp", "--limit", "0"]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("--limit må være minst 1"), "{err}");
}

#[test]
fn a_synonym_finds_a_record_that_uses_another_word_of_its_group() {
    let fixture = Fixture::new("minimal");
    fixture.write(
        "content/referanse/synonymer.toml",
        "[[group]]\nwords = [\"pengestøtte\", \"økonomisk sosialhjelp\"]\n\n[[group]]\nwords = [\"e-søknad\", \"digital søknad\"]\n",
    );
    assert!(fixture.run(&["build"]).status.success());
    // A one-word query meets a two-word entry as a phrase, and a hyphenated one as one unit.
    for query in ["pengestøtte", "pengestøtta", "e-søknad"] {
        let hits = json_hits(&fixture, &[query]);
        assert_eq!(
            hits.first().map(|h| h["id"].clone()),
            Some("erfaringer/digital-sosialhjelp".into()),
            "{query}: {hits:?}"
        );
    }
    // The synonym is highlighted as the word itself would be.
    let hits = json_hits(&fixture, &["pengestøtte"]);
    assert!(
        hits[0]["snippet"].as_str().unwrap().contains("<mark>"),
        "{}",
        hits[0]["snippet"]
    );
}

#[test]
fn a_compound_no_record_has_is_found_by_its_parts() {
    let fixture = built();
    // No record says «sosialhjelpssøknadene»; the practice has «søknad» and «sosialhjelp».
    for query in ["sosialhjelpssøknadene", "digitalsøknaden"] {
        let hits = json_hits(&fixture, &[query, "--limit", "3"]);
        assert_eq!(
            hits.first().map(|h| h["id"].clone()),
            Some("erfaringer/digital-sosialhjelp".into()),
            "{query}: {hits:?}"
        );
    }
}

#[test]
fn synonym_groups_are_checked_like_other_reference_data() {
    let fixture = Fixture::new("minimal");
    fixture.write(
        "content/referanse/synonymer.toml",
        "[[group]]\nwords = [\"nettfiske\"]\n\n[[group]]\nwords = [\"phishing\", \"nettfiske\", \"Nettfiske\"]\n\n[[group]]\nwords = [\"a\", \"b\"]\nwhat = 1\n",
    );
    let run = fixture.run(&["check"]);
    let out =
        String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{out}");
    assert!(out.contains("synonymer.toml"), "{out}");
    let fixture = Fixture::new("minimal");
    fixture.write(
        "content/referanse/synonymer.toml",
        "[[group]]\nwords = [\"nettfiske\"]\n\n[[group]]\nwords = [\"phishing\", \"nettfiske\", \"Nettfiske\"]\n",
    );
    let run = fixture.run(&["check"]);
    let out =
        String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    assert!(
        out.contains("synonymer.toml:2:9: feil: gruppen har 1 ord; den må ha fra 2 til 12"),
        "{out}"
    );
    assert!(
        out.contains("«Nettfiske» står to ganger i gruppen"),
        "{out}"
    );
}

#[test]
fn a_synonym_entry_no_record_uses_still_finds_the_records_with_its_words() {
    let fixture = Fixture::new("minimal");
    // Neither entry is in any record, but the practice says «sosialhjelp».
    fixture.write(
        "content/referanse/synonymer.toml",
        "[[group]]\nwords = [\"rask sosialhjelp\", \"stønad på nett\"]\n",
    );
    assert!(fixture.run(&["build"]).status.success());
    let hits = json_hits(&fixture, &["rask sosialhjelp"]);
    assert_eq!(
        hits.first().map(|h| h["id"].clone()),
        Some("erfaringer/digital-sosialhjelp".into()),
        "a two-word entry is not all or nothing: {hits:?}"
    );
    assert_eq!(hits[0]["relaxed"], true, "{hits:?}");
}

#[test]
fn two_swapped_letters_in_a_word_the_stemmer_cuts_short_still_find_it() {
    let fixture = Fixture::new("minimal");
    // Snowball stems «arkivlova» to «arkiv» but «arkivlvoa» to «arkivlvo»: three letters
    // apart, beyond what the typo automaton allows.
    fixture.edit(
        "content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md",
        "Teieplikta.",
        "Teieplikta og arkivlova.",
    );
    assert!(fixture.run(&["build"]).status.success());
    for query in ["arkivlvoa", "arkivlvoa "] {
        let hits = json_hits(&fixture, &[query]);
        assert_eq!(
            hits.first().map(|h| h["id"].clone()),
            Some("hindringer/deling-av-opplysningar".into()),
            "{query:?}: {hits:?}"
        );
    }
}

#[test]
fn records_can_be_filtered_by_tag_as_its_page_address_writes_it() {
    let fixture = built();
    // «Økonomisk sosialhjelp» is the tag; its page is emneord/okonomisk-sosialhjelp/.
    let hits = json_hits(
        &fixture,
        &["", "--tag", "okonomisk-sosialhjelp", "--limit", "50"],
    );
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["erfaringer/digital-sosialhjelp"]);
    // «teieplikt» is filtered by its Bokmål form, as its page's address writes it.
    let both = json_hits(&fixture, &["", "--tag", "taushetsplikt", "--tag", "nav"]);
    assert_eq!(both.len(), 2, "values of one filter are ORed: {both:?}");
    let run = fixture.run(&["search", "", "--tag", "Økonomisk sosialhjelp"]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("okonomisk-sosialhjelp"), "{err}");
}
