//! What a visitor types (and the filters in a shared `/sok/?…` URL) through the search engine
//! `deling search` and the browser use, against a small index built once. Input "never fails"
//! (query.rs): every request must be answered, with escaped snippets.
//!
//! Input format, so seeds stay readable: the first line is the query; each further line
//! `name=value` adds a filter value (`type`, `network`, … as in the URL), `offset=N` pages.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use search_index::query::parse_input;
use search_index::{Engine, SearchDoc, SearchRequest, open_files, writer};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let doc = |id: &str, kind: &str, network: &str, title: &str, body: &str| SearchDoc {
        id: id.into(),
        url: format!("/{id}/"),
        title: title.into(),
        summary: format!("{title}: {body}"),
        body: body.repeat(3),
        names: vec!["Digi Agder".into(), "Kristiansand".into()],
        kind: kind.into(),
        lang: "nb".into(),
        badge: "i drift".into(),
        published: "2025-01-01".into(),
        networks: vec![network.into()],
        service_areas: vec!["helse-og-omsorg".into()],
        solutions: vec!["svarut".into()],
        municipalities: vec!["4204".into()],
        status: vec!["i-drift".into()],
        tags: vec!["digital-post".into()],
    };
    let docs = [
        doc(
            "erfaringer/digital-post",
            "practice",
            "digi-agder",
            "Digital post med SvarUt og eFormidling",
            "Kommunen sender brev digitalt til innbyggere & bedrifter <b>trygt</b>.",
        ),
        doc(
            "hindringer/arkiv-i-skyen",
            "barrier",
            "digi-vestland",
            "Arkiv i skyen",
            "Arkivlova og forskrifta hindrar lagring hjå skyleverandørar i utlandet.",
        ),
        doc(
            "prosjekter/velferdsteknologi",
            "project",
            "digi-agder",
            "Velferdsteknologisk knutepunkt",
            "Trygghetsalarm, medisindispenser og digitalt tilsyn i hjemmetjenesten.",
        ),
        doc(
            "erfaringer/foreldretilgang",
            "practice",
            "digiviken",
            "Foreldretilgang i barnehage",
            "Tilgang for foreldre til søknad om barnehageplass; «NAV» og KS samarbeider.",
        ),
    ];
    let files = writer::build(&docs).expect("index builds");
    open_files(&files).expect("index opens")
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // the browser and the CLI hand the engine strings
    };
    let mut lines = text.split('\n');
    let mut request = SearchRequest {
        q: lines.next().unwrap_or_default().to_string(),
        limit: 10,
        ..SearchRequest::default()
    };
    for line in lines {
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        match name {
            // Any number: the offset comes from the page's address, which anyone can edit.
            "offset" => request.offset = value.parse::<usize>().unwrap_or(0),
            _ => request
                .filters
                .entry(name.to_string())
                .or_default()
                .push(value.to_string()),
        }
    }

    let parsed = parse_input(&request.q);
    assert!(parsed.words.len() <= 12, "too many words: {parsed:?}");
    assert!(parsed.phrases.iter().all(|p| p.len() > 1), "{parsed:?}");

    let response = ENGINE.search(&request).expect("every query is answered");
    assert!(response.hits.len() <= 10);
    assert!(response.hits.len() <= response.total);
    for hit in &response.hits {
        // Snippets are inserted as HTML: only the engine's own <mark> may appear.
        let bare = hit.snippet.replace("<mark>", "").replace("</mark>", "");
        assert!(
            !bare.contains(['<', '>', '"']),
            "unescaped snippet {:?}",
            hit.snippet
        );
    }
});
