//! The lists of terms: a term no record uses yet is not linked as if it had records, and a tag
//! written in Bokmål and in Nynorsk is one tag, on its page and in search's tag filter.

use crate::harness::{Fixture, text};

const PRACTICE: &str = "content/nettverk/digi-agder/erfaringer/digital-sosialhjelp.md";
const BARRIER: &str = "content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md";

#[test]
fn an_empty_service_area_is_listed_apart_and_not_linked() {
    let fixture = Fixture::new("minimal");
    let areas = "content/referanse/tjenesteomrader.toml";
    let mut toml = fixture.read(areas);
    toml.push_str(
        "\n[[service_area]]\nid = \"naering\"\nname_nb = \"Næring\"\nname_nn = \"Næring\"\ndescription = \"Næringsliv.\"\n",
    );
    fixture.write(areas, &toml);
    let files = fixture.build();
    let list = text(&files, "tjenesteomrader/index.html");
    assert!(
        !list.contains("href=\"/deling/tjenesteomrader/naering/\""),
        "{list}"
    );
    let (used, empty) = list
        .split_once("Ingen poster ennå</h2>")
        .expect("a group for empty terms");
    assert!(
        used.contains(r#"<a href="/deling/tjenesteomrader/helse-og-omsorg/">Helse og omsorg</a>"#)
    );
    assert!(!used.contains("Næring"));
    assert!(
        empty.contains(r#"<li>Næring <span class="term-list__count">(0)</span></li>"#),
        "{empty}"
    );
    // The page itself stays, so links from the reference lists never break.
    assert!(files.contains("tjenesteomrader/naering/index.html"));
    // The front page's service areas are the ones with records.
    let front = text(&files, "index.html");
    assert!(front.contains("href=\"/deling/tjenesteomrader/helse-og-omsorg/\""));
    assert!(!front.contains("Næring"), "{front}");
}

/// The fixture's practice tagged in Nynorsk, its barrier in Bokmål, with the same word.
fn both_spellings() -> Fixture {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        PRACTICE,
        r#"tags = ["Økonomisk sosialhjelp", "NAV"]"#,
        r#"tags = ["Økonomisk sosialhjelp", "NAV", "skulehelseteneste"]"#,
    );
    fixture.edit(
        BARRIER,
        r#"tags = ["teieplikt"]"#,
        r#"tags = ["teieplikt", "skolehelsetjeneste"]"#,
    );
    fixture
}

#[test]
fn a_tag_in_bokmal_and_nynorsk_gives_one_tag_page() {
    let files = both_spellings().build();
    assert!(!files.contains("emneord/skulehelseteneste/index.html"));
    let page = text(&files, "emneord/skolehelsetjeneste/index.html");
    assert!(page.contains("<h1>skolehelsetjeneste"), "{page}");
    assert!(page.contains("Også skrevet: skulehelseteneste"), "{page}");
    assert!(page.contains("/deling/erfaringer/digital-sosialhjelp/"));
    assert!(page.contains("/deling/hindringer/deling-av-opplysningar/"));
    let list = text(&files, "emneord/index.html");
    assert!(list.contains(r#"<a href="/deling/emneord/skolehelsetjeneste/">skolehelsetjeneste</a> <span class="term-list__count">(2)</span>"#), "{list}");
    assert!(!list.contains("skulehelseteneste"));
    // The Nynorsk record's own tag link goes to the merged page, still written as it wrote it.
    let practice = text(&files, "erfaringer/digital-sosialhjelp/index.html");
    assert!(
        practice.contains(r#"href="/deling/emneord/skolehelsetjeneste/">skulehelseteneste</a>"#)
    );
}

#[test]
fn the_search_tag_filter_follows_the_merged_tag_slug() {
    let fixture = both_spellings();
    assert!(fixture.run(&["build"]).status.success());
    let run = fixture.run(&["search", "", "--tag", "skolehelsetjeneste", "--json"]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut ids: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "erfaringer/digital-sosialhjelp",
            "hindringer/deling-av-opplysningar"
        ]
    );
    let labels = fixture.read("public/sok/etiketter.json");
    assert!(
        labels.contains(r#""skolehelsetjeneste":"skolehelsetjeneste""#),
        "{labels}"
    );
    assert!(!labels.contains("skulehelseteneste"), "{labels}");
}
