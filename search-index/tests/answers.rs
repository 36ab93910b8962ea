//! First answers are the engine's own answers: whichever path answers a query (the file the
//! build wrote, or the engine once it has loaded), the page shows the same thing.

use search_index::answers::{self, LIMIT};
use search_index::{SearchDoc, SearchResponse, open_files, writer};

fn docs() -> Vec<SearchDoc> {
    let titles = [
        "Velferdsteknologi i hjemmetjenesten",
        "Digital postkasse for innbyggere og NAV",
        "Arkiv og bevaring av byggesaker",
        "Velferdsteknologiprogrammet i Agder",
        "Sensorer i kommunale bygg",
        "Helsestasjon på nett for foreldre",
        "Barnevern og digital samhandling",
        "Tenestedesign i heimetenesta",
    ];
    (0..60)
        .map(|i| SearchDoc {
            id: format!("erfaringer/post-{i}"),
            url: format!("/erfaringer/post-{i}/"),
            title: titles[i % titles.len()].to_string(),
            summary: format!(
                "{} Oppsummering {i} med IKT, sensor og arkiv.",
                titles[(i * 3) % titles.len()]
            ),
            body: "Kommunen har prøvd ut løsningen over tid og deler erfaringene.".into(),
            kind: ["practice", "barrier", "project"][i % 3].into(),
            lang: if i % 5 == 0 { "nn" } else { "nb" }.into(),
            published: format!("2025-01-{:02}", i % 28 + 1),
            networks: vec![format!("nettverk-{}", i % 4)],
            tags: vec![["velferd", "arkiv", "helse"][i % 3].to_string()],
            names: vec!["Agder".into(), "Kristiansand".into()],
            ..Default::default()
        })
        .collect()
}

#[test]
fn a_first_answer_is_what_the_engine_answers_for_every_way_of_writing_its_key() {
    let docs = docs();
    let engine = open_files(&writer::build(&docs).unwrap()).unwrap();
    let keys = answers::keys_for(&answers::common(
        &docs,
        answers::MAX_WORDS,
        answers::MAX_PHRASES,
    ));
    assert!(keys.contains(&"velferdsteknologi".to_string()), "{keys:?}");
    assert!(keys.contains(&"digital postkasse".to_string()), "{keys:?}");
    assert!(keys.contains(&"v".to_string()) && keys.contains(&"ve".to_string()));
    assert!(
        !keys.iter().any(|k| k == "og" || k == "i"),
        "no stop words: {keys:?}"
    );
    let files = answers::answer_all(&engine, &keys).unwrap();
    assert_eq!(files.len(), keys.len(), "no two keys share a file here");
    for key in &keys {
        let stored: serde_json::Value =
            serde_json::from_slice(&files[&answers::file_name(key)]).unwrap();
        assert_eq!(stored["q"], key.as_str());
        assert_eq!(stored["limit"], LIMIT);
        let stored: SearchResponse = serde_json::from_value(stored["response"].clone()).unwrap();
        let capitalised: String = key
            .split(' ')
            .map(|word| {
                let mut letters = word.chars();
                letters
                    .next()
                    .unwrap()
                    .to_uppercase()
                    .chain(letters)
                    .collect()
            })
            .collect::<Vec<String>>()
            .join(" ");
        for typed in [
            key.clone(),
            capitalised,
            key.to_uppercase(),
            format!("  {key}"),
        ] {
            assert_eq!(answers::key(&typed).as_deref(), Some(key.as_str()));
            let live = engine.search(&answers::request(&typed)).unwrap();
            assert_eq!(live, stored, "«{typed}» answered differently from its file");
        }
    }
}

#[test]
fn an_empty_site_has_no_first_answers() {
    let keys = answers::keys_for(&answers::common(
        &[],
        answers::MAX_WORDS,
        answers::MAX_PHRASES,
    ));
    assert!(keys.is_empty());
}

#[test]
fn two_word_answers_are_the_pairs_records_name_side_by_side_never_across_punctuation() {
    let doc = |title: &str, summary: &str, tags: &[&str]| SearchDoc {
        title: title.into(),
        summary: summary.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..Default::default()
    };
    let docs = [
        doc(
            "ROS-analyse for digital postkasse",
            "",
            &["Digital postkasse"],
        ),
        doc("Digital postkasse, arkiv og ROS analyse", "", &[]),
        doc("Arkiv i skyen", "Erfaringene viser mye", &[]),
    ];
    let phrases = answers::common(&docs, answers::MAX_WORDS, answers::MAX_PHRASES).phrases;
    assert_eq!(
        phrases,
        ["digital postkasse", "ros analyse"],
        "most records first, each record counted once; none across «,» («postkasse arkiv») or a \
         stop word («arkiv skyen»), none from a summary («erfaringene viser»)"
    );
    assert_eq!(
        answers::common(&docs, answers::MAX_WORDS, 1).phrases,
        ["digital postkasse"]
    );
}

#[test]
fn large_sites_answer_fewer_two_word_searches_so_their_builds_stay_as_fast() {
    assert_eq!(answers::phrases_for(32), answers::MAX_PHRASES);
    assert_eq!(answers::phrases_for(1000), answers::MAX_PHRASES);
    assert_eq!(answers::phrases_for(10_000), answers::MAX_PHRASES / 10);
    assert!(answers::phrases_for(100_000) <= 2);
}
