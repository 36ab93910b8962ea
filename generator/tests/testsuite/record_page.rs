//! A record's page puts the reader's key facts first, lists its sections in "Innhold på
//! siden", offers a contact to act on, and names contributors only with their consent.

use crate::harness::{Fixture, commit, text};
use chrono::NaiveDate;
use git2::Repository;

const BARRIER: &str = "content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md";
const BARRIER_PAGE: &str = "hindringer/deling-av-opplysningar/index.html";
const PROJECT: &str = "content/nasjonalt/prosjekter/felles-innlogging.md";
const PROJECT_PAGE: &str = "prosjekter/felles-innlogging/index.html";
const PRACTICE_PAGE: &str = "erfaringer/digital-sosialhjelp/index.html";

/// The part of a page between two markers, which must both be there, in that order.
fn between<'a>(page: &'a str, from: &str, to: &str) -> &'a str {
    let start = page
        .find(from)
        .unwrap_or_else(|| panic!("{from} in {page}"));
    let end = start
        + page[start..]
            .find(to)
            .unwrap_or_else(|| panic!("{to} after {from}"));
    &page[start..end]
}

#[test]
fn a_barriers_key_facts_come_before_its_body_with_days_counted_to_the_newest_content_date() {
    let fixture = Fixture::new("minimal");
    let files = fixture.build();
    let page = text(&files, BARRIER_PAGE);
    let strip = between(&page, "<dl class=\"key-facts\"", "</dl>");
    assert!(
        strip.contains("status--sendt-departementet\">sendt departementet</span>"),
        "{strip}"
    );
    assert!(strip.contains("Helse- og omsorgsdepartementet"), "{strip}");
    assert!(strip.contains(">Forvaltningsloven § 13</a>"), "{strip}");
    // In its status since the log says so; the newest date in the content is the practice's
    // `updated = 2025-06-01`, never the clock.
    let days = (NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
        - NaiveDate::from_ymd_opt(2024, 9, 10).unwrap())
    .num_days();
    assert!(
        strip.contains(&format!(
            "<time datetime=\"2024-09-10\">10. september 2024</time> <span class=\"key-facts__detail\">{days} dagar</span>"
        )),
        "{strip}"
    );
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("class=\"key-facts\"") < at("id=\"section-status-log\""));
    assert!(at("id=\"section-status-log\"") < at("id=\"toc-title\""));
    assert!(at("id=\"toc-title\"") < at("id=\"section-legal\""));
    assert!(at("id=\"section-legal\"") < at("id=\"facts-title\""));
}

#[test]
fn the_contents_list_the_structured_sections_and_the_body_headings_in_page_order() {
    let fixture = Fixture::new("minimal");
    let files = fixture.build();
    let page = text(&files, BARRIER_PAGE);
    let toc = between(&page, "id=\"toc-title\"", "</nav>");
    let order = [
        "#section-status-log",
        "#section-legal",
        "#section-blocks",
        "#kva-som-hindrar",
        "#section-consequence",
        "#section-proposal",
        "#section-contact",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|id| {
            toc.find(&format!("href=\"{id}\""))
                .unwrap_or_else(|| panic!("{id}: {toc}"))
        })
        .collect();
    assert!(positions.is_sorted(), "{toc}");
    for id in order {
        let id = id.trim_start_matches('#');
        assert_eq!(page.matches(&format!(" id=\"{id}\"")).count(), 1, "{id}");
    }
}

#[test]
fn a_stopped_project_says_so_in_its_key_facts() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PROJECT, "status = \"pågår\"", "status = \"stanset\"");
    let files = fixture.build();
    let page = text(&files, PROJECT_PAGE);
    let strip = between(&page, "<dl class=\"key-facts\"", "</dl>");
    assert!(
        strip.contains(
            "<dt>Status</dt><dd><span class=\"badge project-status--stanset\">stanset</span>"
        ),
        "{strip}"
    );
    assert!(strip.contains("<dt>Fase</dt>") && strip.contains("<dt>Prosjekteier</dt>"));
}

#[test]
fn a_practices_key_facts_count_its_municipalities() {
    let fixture = Fixture::new("minimal");
    let files = fixture.build();
    let page = text(&files, PRACTICE_PAGE);
    let strip = between(&page, "<dl class=\"key-facts\"", "</dl>");
    assert!(strip.contains("<dt>Modenhet</dt>"), "{strip}");
    assert!(strip.contains("<dt>Kommuner</dt>"), "{strip}");
    assert!(strip.contains("key-facts__detail\">("), "{strip}");
}

#[test]
fn a_network_with_an_address_gets_mail_with_the_records_title_as_subject() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        "content/nettverk/digi-vestland/index.md",
        "language = \"nn\"",
        "language = \"nn\"\ncontact_email = \"post@digi-vestland.example.no\"\nwebsite = \"https://digi-vestland.example.no/\"",
    );
    let files = fixture.build();
    let page = text(&files, BARRIER_PAGE);
    let contact = between(&page, "id=\"section-contact\"", "</section>");
    assert!(contact.contains("Kontakt nettverket"), "{contact}");
    assert!(
        contact.contains("href=\"mailto:post@digi-vestland.example.no?subject=Sp%C3%B8rsm%C3%A5l%20om%3A%20Deling%20av%20opplysningar%20mellom%20tenester\""),
        "{contact}"
    );
    assert!(
        contact.contains("href=\"https://digi-vestland.example.no/\""),
        "{contact}"
    );
    let network = text(&files, "nettverk/digi-vestland/index.html");
    assert!(
        network.contains("mailto:post@digi-vestland.example.no?subject="),
        "{network}"
    );
}

#[test]
fn without_an_address_the_contact_opens_a_prefilled_question_on_the_repository() {
    let fixture = Fixture::new("minimal");
    let files = fixture.build();
    let page = text(&files, BARRIER_PAGE);
    let contact = between(&page, "id=\"section-contact\"", "</section>");
    assert!(
        contact.contains("href=\"https://github.com/ks-no/deling/issues/new?title=Sp%C3%B8rsm%C3%A5l%20om%3A%20Deling%20av%20opplysningar%20mellom%20tenester&amp;body=Til%3A%20Digi%20Vestland%0AGjeld%3A%20https%3A%2F%2Fexample.org%2Fdeling%2Fhindringer%2Fdeling-av-opplysningar%2F"),
        "{contact}"
    );
    assert!(
        contact.contains("Still eit spørsmål til Digi Vestland"),
        "{contact}"
    );
    // A national record is KS's.
    let project = text(&files, PROJECT_PAGE);
    let contact = between(&project, "id=\"section-contact\"", "</section>");
    assert!(contact.contains(">Kontakt KS</h2>"), "{contact}");
}

#[test]
fn a_municipality_page_names_the_network_it_belongs_to() {
    let fixture = Fixture::new("minimal");
    let files = fixture.build();
    let page = text(&files, "kommuner/4601-bergen/index.html");
    assert!(
        page.contains(
            "Kommunen hører til: <a href=\"/deling/nettverk/digi-vestland/\">Digi Vestland</a>"
        ),
        "{page}"
    );
}

/// Seconds since the epoch at noon UTC of a date.
fn noon(year: i32, month: u32, day: u32) -> i64 {
    NaiveDate::from_ymd_opt(year, month, day)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

#[test]
fn git_author_names_appear_in_no_output_file_unless_the_person_agreed() {
    let fixture = Fixture::new("minimal");
    fixture.write(
        "content/referanse/bidragsytere.toml",
        "[[contributor]]\ngit = \"Ola Samtykkesen\"\nshow_name = true\n",
    );
    let repo = Repository::init(fixture.root()).unwrap();
    std::fs::write(fixture.root().join(".gitignore"), "/public\n/themes\n").unwrap();
    commit(
        &repo,
        "Kari Zyxwvutsen",
        noon(2024, 1, 10),
        "Første versjon",
    );
    fixture.edit(
        BARRIER,
        "Teieplikta.",
        "Teieplikta, og korleis ho blir tolka.",
    );
    commit(
        &repo,
        "Ola Samtykkesen",
        noon(2025, 5, 20),
        "Meir om hindringa",
    );
    let files = fixture.build();
    for (path, bytes) in files.iter() {
        let content = String::from_utf8_lossy(bytes).to_lowercase();
        assert!(!content.contains("zyxwvutsen"), "the name is in {path}");
    }
    let page = text(&files, BARRIER_PAGE);
    assert!(
        page.contains("Bidragsytarar: Digi Vestland, Ola Samtykkesen"),
        "{page}"
    );
    let practice = text(&files, PRACTICE_PAGE);
    assert!(practice.contains("Bidragsytere: Digi Agder"), "{practice}");
}
