//! The registers (`/hindringer/`, `/prosjekter/`, `/erfaringer/`): the barriers' order without
//! JavaScript, days in status counted from content dates, the filtered static pages, each kind's
//! `register.json` for `register.js`, and a stopped project's badge.

use crate::harness::{Fixture, text};

/// A barrier of Digi Vestland (or national, for `nasjonalt`) with one legal reference.
fn barrier(fixture: &Fixture, owner: &str, slug: &str, title: &str, fields: &str) {
    let folder = match owner {
        "nasjonalt" => "content/nasjonalt/hindringer".to_string(),
        network => format!("content/nettverk/{network}/hindringer"),
    };
    fixture.write(
        &format!("{folder}/{slug}.md"),
        &format!(
            r#"+++
title = "{title}"
summary = "Ei hindring til registeret."
service_areas = ["helse-og-omsorg"]
reported_by = "Rådgiver"
consequence = "Noe stopper."
proposed_change = "Noe endres."
{fields}
+++

Tekst.
"#
        ),
    );
}

/// Three barriers besides the fixture's own («Deling av opplysningar», sent to the ministry on
/// 2024-09-10, Forvaltningsloven, HOD, Digi Vestland).
fn register_fixture() -> Fixture {
    let fixture = Fixture::new("minimal");
    barrier(
        &fixture,
        "digi-vestland",
        "lenge-meldt",
        "Lenge meldt",
        "published = 2024-01-15\nministry = \"aid\"\nstatus = \"meldt\"\n\n[[legal_references]]\nlaw = \"Arbeidsmiljøloven\"",
    );
    barrier(
        &fixture,
        "nasjonalt",
        "gammel-og-lost",
        "Gammel og løst",
        "published = 2023-01-10\nministry = \"hod\"\nstatus = \"løst\"\n\n[[legal_references]]\nlaw = \"Forvaltningsloven\"\n\n[[status_log]]\ndate = 2023-01-10\nstatus = \"meldt\"\n\n[[status_log]]\ndate = 2023-02-01\nstatus = \"løst\"",
    );
    barrier(
        &fixture,
        "digi-vestland",
        "nylig-meldt",
        "Nylig meldt",
        "published = 2025-05-20\nministry = \"hod\"\nstatus = \"meldt\"\n\n[[legal_references]]\nlaw = \"Pasientjournalloven\"",
    );
    fixture
}

/// The record slugs in the register page's rows, in order.
fn rows(html: &str) -> Vec<&str> {
    html.split("<th scope=\"row\"><a href=\"/deling/hindringer/")
        .skip(1)
        .map(|rest| rest.split('/').next().unwrap())
        .collect()
}

#[test]
fn the_register_without_javascript_lists_open_barriers_longest_waiting_first() {
    let files = register_fixture().build();
    // Two per page (the fixture's paginate_by): open ones by date of their status, the resolved
    // one last although it is the oldest.
    let first = text(&files, "hindringer/index.html");
    let second = text(&files, "hindringer/side/2/index.html");
    let mut order = rows(&first);
    order.extend(rows(&second));
    assert_eq!(
        order,
        [
            "lenge-meldt",
            "deling-av-opplysningar",
            "nylig-meldt",
            "gammel-og-lost"
        ]
    );
}

#[test]
fn days_in_status_count_to_the_newest_content_date_not_the_clock() {
    let files = register_fixture().build();
    let page = text(&files, "hindringer/index.html");
    // The newest date in the content is the fixture practice's update, 1 June 2025; «Lenge
    // meldt» has been «meldt» since 15 January 2024: 503 days. The fixture's barrier was sent to
    // the ministry on 10 September 2024 (its status log's last entry): 264 days.
    assert!(
        page.contains(r#"<time datetime="2025-06-01">1. juni 2025</time>"#),
        "{page}"
    );
    assert!(page.contains(r#"<time datetime="2024-01-15">15. januar 2024</time></td>"#));
    assert!(
        page.contains(r#"class="register__number">503</td>"#),
        "{page}"
    );
    assert!(page.contains(r#"<time datetime="2024-09-10">10. september 2024</time></td>"#));
    assert!(page.contains(r#"class="register__number">264</td>"#));
}

#[test]
fn filtered_register_pages_exist_and_hold_exactly_their_barriers() {
    let files = register_fixture().build();
    let expect = |path: &str, slugs: &[&str]| {
        let page = text(&files, &format!("hindringer/{path}index.html"));
        assert_eq!(rows(&page), slugs, "{path}");
    };
    expect("status/meldt/", &["lenge-meldt", "nylig-meldt"]);
    expect("status/lost/", &["gammel-og-lost"]);
    // A filtered view links rather than repeats, so it holds five pages' worth (ten here).
    expect(
        "departement/hod/",
        &["deling-av-opplysningar", "nylig-meldt", "gammel-og-lost"],
    );
    expect("side/2/", &["nylig-meldt", "gammel-og-lost"]);
    assert!(!files.contains("hindringer/departement/hod/side/2/index.html"));
    expect("nettverk/nasjonalt/", &["gammel-og-lost"]);
    expect(
        "lov/forvaltningsloven/",
        &["deling-av-opplysningar", "gammel-og-lost"],
    );
    expect("lov/arbeidsmiljoloven/", &["lenge-meldt"]);
    // Only values some barrier has get a page, so the page count stays small.
    assert!(!files.contains("hindringer/status/avvist/index.html"));
    assert!(!files.contains("hindringer/departement/kdd/index.html"));
}

#[test]
fn the_register_links_every_filtered_view_and_marks_the_current_one() {
    let files = register_fixture().build();
    let whole = text(&files, "hindringer/index.html");
    for path in [
        "status/meldt/",
        "status/sendt-departementet/",
        "departement/aid/",
        "nettverk/digi-vestland/",
        "nettverk/nasjonalt/",
        "lov/forvaltningsloven/",
    ] {
        assert!(
            whole.contains(&format!("href=\"/deling/hindringer/{path}\"")),
            "{path}"
        );
    }
    assert!(!whole.contains("aria-current=\"page\">meldt"));
    let meldt = text(&files, "hindringer/status/meldt/index.html");
    assert!(
        meldt.contains(
            r#"<a href="/deling/hindringer/status/meldt/" aria-current="page">meldt</a>"#
        )
    );
    assert!(meldt.contains(r#"data-filter-key="status" data-filter-value="meldt""#));
    assert!(meldt.contains(r#"<details class="register-facet" data-facet="status" open>"#));
    assert!(meldt.contains(r#"<details class="register-facet" data-facet="lov">"#));
    assert!(meldt.contains("<title>Regelverkshindringer: meldt"));
}

#[test]
fn register_json_holds_the_whole_register_for_the_script() {
    let files = register_fixture().build();
    let data: serde_json::Value =
        serde_json::from_str(&text(&files, "hindringer/register.json")).unwrap();
    let ids: Vec<&str> = data["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    // Every barrier, though the page shows two, in the page's order.
    assert_eq!(
        ids,
        [
            "hindringer/lenge-meldt",
            "hindringer/deling-av-opplysningar",
            "hindringer/nylig-meldt",
            "hindringer/gammel-og-lost"
        ]
    );
    assert_eq!(data["today"]["iso"], "2025-06-01");
    let first = &data["rows"][0];
    assert_eq!(first["cells"]["days"]["sort"], 503);
    assert_eq!(first["cells"]["days"]["text"], "503");
    assert_eq!(first["cells"]["status"]["extra"], "status--meldt");
    assert_eq!(first["cells"]["ministry"]["kind"], "abbr");
    assert_eq!(first["cells"]["since"]["extra"], "2024-01-15");
    assert_eq!(first["filters"]["status"][0], "meldt");
    assert_eq!(first["filters"]["departement"][0], "aid");
    let statuses: Vec<&str> = data["facets"][0]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["slug"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["lost", "meldt", "sendt-departementet"]);
}

const PROJECT: &str = "content/nasjonalt/prosjekter/felles-innlogging.md";

/// The column keys and the row ids of a kind's `register.json`.
fn register_json(
    files: &deling::output::SiteFiles,
    path: &str,
) -> (Vec<String>, Vec<String>, serde_json::Value) {
    let data: serde_json::Value = serde_json::from_str(&text(files, path)).unwrap();
    let keys = |list: &str, field: &str| -> Vec<String> {
        data[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[field].as_str().unwrap().to_string())
            .collect()
    };
    (keys("columns", "key"), keys("rows", "id"), data.clone())
}

/// A second project, stopped at the idea phase in Digi Vestland, with no end date.
fn stopped_project(fixture: &Fixture) {
    fixture.write(
        "content/nettverk/digi-vestland/prosjekter/stanset-ide.md",
        r#"+++
title = "Stanset idé"
summary = "Et prosjekt som ble stanset."
published = 2025-03-01
service_areas = ["helse-og-omsorg"]
purpose = "Prøve noe."
phase = "idé"
status = "stanset"
owner = "Digi Vestland"
start = 2024-06-01
+++

Tekst.
"#,
    );
}

#[test]
fn project_register_json_has_every_project_in_phase_order_with_phase_status_owner_and_period() {
    let fixture = register_fixture();
    stopped_project(&fixture);
    let files = fixture.build();
    let (columns, ids, data) = register_json(&files, "prosjekter/register.json");
    assert_eq!(
        columns,
        [
            "title", "phase", "status", "owner", "network", "start", "end"
        ]
    );
    // The page's order: by phase (idé before konsept).
    assert_eq!(
        ids,
        ["prosjekter/stanset-ide", "prosjekter/felles-innlogging"]
    );
    let stopped = &data["rows"][0];
    assert_eq!(stopped["cells"]["title"]["text"], "Stanset idé");
    assert_eq!(
        stopped["cells"]["title"]["extra"],
        "/deling/prosjekter/stanset-ide/"
    );
    assert_eq!(stopped["cells"]["phase"]["text"], "idé");
    assert_eq!(stopped["cells"]["phase"]["sort"], 0);
    assert_eq!(stopped["cells"]["status"]["text"], "stanset");
    assert_eq!(
        stopped["cells"]["status"]["extra"],
        "project-status--stanset"
    );
    assert_eq!(stopped["cells"]["owner"]["text"], "Digi Vestland");
    assert_eq!(stopped["cells"]["network"]["text"], "Digi Vestland");
    assert_eq!(stopped["cells"]["start"]["sort"], "2024-06-01");
    // No end date: sorts last whichever the direction.
    assert_eq!(stopped["cells"]["end"]["sort"], serde_json::Value::Null);
    assert_eq!(stopped["filters"]["fase"][0], "ide");
    assert_eq!(stopped["filters"]["status"][0], "stanset");
    assert_eq!(stopped["filters"]["nettverk"][0], "digi-vestland");
    let facets: Vec<&str> = data["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(facets, ["fase", "status", "nettverk"]);
    let projects = text(&files, "prosjekter/index.html");
    assert!(projects.contains(r#"data-register="/deling/prosjekter/register.json""#));
    assert!(projects.contains(r#"data-t-shown="Prosjekter som vises:""#));
    assert!(projects.contains(r#"<span data-register-count>2</span>"#));
}

#[test]
fn practice_register_json_has_maturity_network_solutions_municipalities_and_published() {
    let files = register_fixture().build();
    let (columns, ids, data) = register_json(&files, "erfaringer/register.json");
    assert_eq!(
        columns,
        [
            "title",
            "maturity",
            "network",
            "solutions",
            "municipalities",
            "published"
        ]
    );
    // Drafts are not published, so not in the register either.
    assert_eq!(ids, ["erfaringer/digital-sosialhjelp"]);
    let row = &data["rows"][0];
    assert_eq!(row["cells"]["maturity"]["text"], "i drift");
    assert_eq!(row["cells"]["maturity"]["kind"], "badge");
    assert_eq!(row["cells"]["network"]["text"], "Digi Agder");
    assert_eq!(row["cells"]["solutions"]["text"], "DigiSos, ID-porten");
    assert_eq!(row["cells"]["solutions"]["sort"], 2);
    assert_eq!(row["cells"]["municipalities"]["kind"], "number");
    assert_eq!(row["cells"]["published"]["kind"], "time");
    assert_eq!(row["filters"]["losning"][0], "digisos");
    // The script's table shows a practice's summary under its title, as the cards did.
    assert!(
        row["cells"]["title"]["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("Kristiansand tok i bruk")),
        "{row}"
    );
    assert_eq!(data["columns"][4]["label"], "Kommuner");
    assert_eq!(data["columns"][0]["sortable"], true);
    let barriers = text(&files, "hindringer/register.json");
    assert!(barriers.contains(r#""key":"law","label":"Lov","sortable":false"#));
}

#[test]
fn a_stopped_project_shows_its_status_not_its_phase_at_the_top_of_its_page_and_on_its_card() {
    let fixture = register_fixture();
    stopped_project(&fixture);
    let files = fixture.build();
    // The page speaks the record's language (Digi Vestland writes Nynorsk: «stansa»).
    let badge = r#"<span class="badge project-status--stanset">stans"#;
    let page = text(&files, "prosjekter/stanset-ide/index.html");
    let eyebrow = page
        .split(r#"<p class="record__eyebrow">"#)
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap();
    assert!(eyebrow.contains(badge), "{eyebrow}");
    assert!(!eyebrow.contains(">idé<"), "{eyebrow}");
    let overview = text(&files, "prosjekter/index.html");
    let card = overview
        .split(r#"<li class="card card--project">"#)
        .find(|card| card.contains("prosjekter/stanset-ide/"))
        .unwrap();
    assert!(card.contains(badge), "{card}");
    // Said once: no second status badge beside it.
    assert_eq!(card.matches("project-status--").count(), 1, "{card}");
    // The ongoing project still shows its phase.
    let ongoing = text(&files, "prosjekter/felles-innlogging/index.html");
    assert!(ongoing.contains(
        r#"<span class="card__kind">Prosjekt</span> <span class="badge">konsept</span>"#
    ));
}

#[test]
fn a_stopped_project_shows_as_stopped_with_owner_and_period_on_its_card() {
    let fixture = Fixture::new("minimal");
    let files = fixture.build();
    let ongoing = text(&files, "prosjekter/index.html");
    // Ongoing is the plain case: no second badge, but owner and period.
    assert!(!ongoing.contains("project-status--"), "{ongoing}");
    assert!(ongoing.contains(r#"<p class="card__facts">KS · <time datetime="2025-01-01">1. januar 2025</time> – <time datetime="2026-12-31">31. desember 2026</time></p>"#), "{ongoing}");
    fixture.edit(PROJECT, r#"status = "pågår""#, r#"status = "stanset""#);
    let stopped = text(&fixture.build(), "prosjekter/index.html");
    assert!(stopped.contains(r#"<span class="badge project-status--stanset">stanset</span>"#));
}

#[test]
fn project_and_practice_registers_have_filtered_pages_by_phase_status_maturity_network_and_solution()
 {
    let files = register_fixture().build();
    let has = |path: &str, record: &str| {
        let page = text(&files, path);
        assert!(
            page.contains(&format!("/deling/{record}/\"")),
            "{path} lacks {record}"
        );
        page
    };
    has(
        "prosjekter/fase/konsept/index.html",
        "prosjekter/felles-innlogging",
    );
    has(
        "prosjekter/status/pagar/index.html",
        "prosjekter/felles-innlogging",
    );
    has(
        "prosjekter/nettverk/digi-agder/index.html",
        "prosjekter/felles-innlogging",
    );
    has(
        "erfaringer/modenhet/i-drift/index.html",
        "erfaringer/digital-sosialhjelp",
    );
    has(
        "erfaringer/nettverk/digi-agder/index.html",
        "erfaringer/digital-sosialhjelp",
    );
    let digisos = has(
        "erfaringer/losning/digisos/index.html",
        "erfaringer/digital-sosialhjelp",
    );
    assert!(digisos.contains("<title>Erfaringer: DigiSos"), "{digisos}");
    // A filtered view holds only its kind: the barriers of Digi Vestland are not practices.
    assert!(!files.contains("erfaringer/nettverk/digi-vestland/index.html"));
    let projects = text(&files, "prosjekter/index.html");
    assert!(projects.contains(r#"href="/deling/prosjekter/fase/konsept/""#));
    assert!(projects.contains(r#"href="/deling/prosjekter/status/pagar/""#));
}

#[test]
fn in_serve_a_new_maturity_or_status_takes_a_full_rebuild_as_it_moves_the_record_in_registers() {
    use deling::commands::serve::session::{Outcome, Session};
    use deling::render::RenderOptions;
    let fixture = register_fixture();
    let mut session = Session::new(fixture.root(), RenderOptions::default());
    assert!(matches!(session.rebuild().unwrap(), Outcome::Built { .. }));
    let practice = "content/nettverk/digi-agder/erfaringer/digital-sosialhjelp.md";
    fixture.edit(practice, r#"maturity = "i drift""#, r#"maturity = "pilot""#);
    assert!(
        session
            .refresh(std::path::Path::new(practice))
            .unwrap()
            .is_none(),
        "the practice moves from /erfaringer/modenhet/i-drift/ to …/pilot/"
    );
    let barrier = "content/nettverk/digi-vestland/hindringer/lenge-meldt.md";
    fixture.edit(barrier, r#"status = "meldt""#, r#"status = "avvist""#);
    assert!(
        session
            .refresh(std::path::Path::new(barrier))
            .unwrap()
            .is_none(),
        "the barrier moves to the end of the register and to /hindringer/status/avvist/"
    );
}

#[test]
fn a_law_cited_in_nynorsk_and_in_bokmal_is_one_filter_named_in_bokmal() {
    let fixture = register_fixture();
    barrier(
        &fixture,
        "digi-vestland",
        "nynorsk-lov",
        "Nynorsk lov",
        "published = 2024-03-01\nministry = \"hod\"\nstatus = \"meldt\"\n\n[[legal_references]]\nlaw = \"Forvaltningslova\"\nsection = \"§ 13\"",
    );
    let files = fixture.build();
    assert!(!files.contains("hindringer/lov/forvaltningslova/index.html"));
    let page = text(&files, "hindringer/lov/forvaltningsloven/index.html");
    assert_eq!(
        rows(&page),
        ["nynorsk-lov", "deling-av-opplysningar", "gammel-og-lost"]
    );
    assert!(page.contains("<title>Regelverkshindringer: Forvaltningsloven"));
}

/// «1 poster» read as a slip: one record is «1 post», in the header and in the script's words.
#[test]
fn a_register_of_one_record_says_post_not_poster() {
    let files = Fixture::new("minimal").build();
    let one = text(&files, "hindringer/index.html");
    assert!(
        one.contains(r#"<span data-register-count>1</span> <span data-register-noun data-one="post" data-many="poster">post</span>"#),
        "{one}"
    );
    let many = text(&register_fixture().build(), "hindringer/index.html");
    assert!(
        many.contains(r#"data-many="poster">poster</span>"#),
        "{many}"
    );
}

/// Each law is a folder of the register; a name Windows keeps for a device («Con») would make
/// a folder Git for Windows cannot check out, so it gets no filtered page (and the build works).
#[test]
fn a_law_whose_folder_windows_cannot_hold_gets_no_filtered_page() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        "content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md",
        "law = \"Forvaltningsloven\"",
        "law = \"Con\"",
    );
    let files = fixture.build();
    assert!(files.contains("hindringer/index.html"));
    assert!(!files.paths().any(|p| p.starts_with("hindringer/lov/con")));
}

/// An earlier entry of the status log can move when the present status began (days in status,
/// the register's order); comparing only the last entry's date let `serve` refresh one page
/// and leave the register and the statistics stale.
#[test]
fn in_serve_an_earlier_status_log_entry_that_moves_the_status_start_takes_a_full_rebuild() {
    use deling::commands::serve::session::{Outcome, Session};
    use deling::render::RenderOptions;
    let fixture = Fixture::new("minimal");
    let mut session = Session::new(fixture.root(), RenderOptions::default());
    assert!(matches!(session.rebuild().unwrap(), Outcome::Built { .. }));
    let barrier = "content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md";
    fixture.edit(
        barrier,
        "date = 2024-05-02\nstatus = \"meldt\"",
        "date = 2024-05-02\nstatus = \"sendt departementet\"",
    );
    assert!(
        session
            .refresh(std::path::Path::new(barrier))
            .unwrap()
            .is_none(),
        "sent to the ministry since 2 May, not 10 September: a full rebuild"
    );
}
