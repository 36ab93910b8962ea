//! `deling check`: one test per kind of problem, each asserting the message, the hint and the
//! line a contributor must go to.

use crate::harness::{Fixture, find};
use std::path::Path;

const PRACTICE: &str = "content/nettverk/digi-agder/erfaringer/digital-sosialhjelp.md";
const BARRIER: &str = "content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md";
const PROJECT: &str = "content/nasjonalt/prosjekter/felles-innlogging.md";

/// 1-based line of the first line containing `needle` in a fixture file.
fn line_of(fixture: &Fixture, file: &str, needle: &str) -> usize {
    fixture
        .read(file)
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle in file")
        + 1
}

#[test]
fn the_fixture_is_clean() {
    let fixture = Fixture::new("minimal");
    assert!(fixture.errors().is_empty());
    let run = fixture.run(&["check"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}

#[test]
fn unknown_kommunenummer_suggests_the_nearest_with_names() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PRACTICE, "\"5610\"", "\"4699\"");
    let problems = fixture.errors();
    let d = find(&problems, "ukjent kommunenummer «4699»");
    assert_eq!(d.file, Path::new(PRACTICE));
    assert_eq!(d.pos.line, line_of(&fixture, PRACTICE, "municipalities ="));
    let help = d.help.as_deref().unwrap();
    assert!(
        help.contains("4640 Sogndal") && help.contains("4602 Kinn"),
        "{help}"
    );
}

#[test]
fn malformed_kommunenummer_is_explained() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PRACTICE, "\"4204\"", "\"301\"");
    let problems = fixture.errors();
    let d = find(&problems, "«301» er ikke et kommunenummer");
    assert!(d.help.as_deref().unwrap().contains("0301 Oslo"));
}

#[test]
fn unknown_field_suggests_the_intended_one() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        BARRIER,
        "status = \"sendt departementet\"",
        "statsu = \"sendt departementet\"",
    );
    let problems = fixture.errors();
    let d = find(&problems, "ukjent felt `statsu`");
    assert_eq!(d.help.as_deref(), Some("mente du `status`?"));
    assert_eq!(d.pos.line, line_of(&fixture, BARRIER, "statsu ="));
    assert_eq!(d.pos.column, 1);
    // And the real field is then missing, which is reported too.
    find(&problems, "mangler det påkrevde feltet `status`");
}

#[test]
fn missing_required_field_points_at_the_front_matter_end() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PROJECT, "owner = \"KS\"\n", "");
    let problems = fixture.errors();
    let d = find(&problems, "mangler det påkrevde feltet `owner`");
    let closing = fixture
        .read(PROJECT)
        .lines()
        .skip(1)
        .position(|l| l == "+++")
        .unwrap()
        + 2;
    assert_eq!(d.pos.line, closing);
    assert!(d.help.as_deref().unwrap().contains("owner = \"…\""));
}

#[test]
fn wrong_dates_are_reported_with_the_right_form() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        PRACTICE,
        "published = 2025-03-14",
        "published = \"14.03.2025\"",
    );
    fixture.edit(PROJECT, "end = 2026-12-31", "end = 2024-12-31");
    let problems = fixture.errors();
    let d = find(
        &problems,
        "«14.03.2025» i feltet `published` er ikke en gyldig dato",
    );
    assert_eq!(d.help.as_deref(), Some("skriv `published = 2025-03-14`"));
    assert_eq!(d.pos.line, line_of(&fixture, PRACTICE, "published ="));
    find(&problems, "`end` (2024-12-31) er før `start` (2025-01-01)");
}

#[test]
fn impossible_calendar_dates_are_rejected() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PRACTICE, "published = 2025-03-14", "published = 2025-02-30");
    let problems = fixture.errors();
    let d = find(&problems, "ugyldig dato: dagen må være mellom 01 og 28");
    assert_eq!(d.file, Path::new(PRACTICE));
    assert_eq!(d.pos.line, line_of(&fixture, PRACTICE, "published ="));
}

#[test]
fn one_toml_mistake_is_reported_once_not_once_per_following_line() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        PROJECT,
        "participants = [\"Kristiansand kommune\", \"Bergen kommune\"]",
        "participants = [\"Kristiansand kommune\", \"Bergen kommune\"",
    );
    let problems: Vec<_> = fixture
        .errors()
        .into_iter()
        .filter(|d| d.file == Path::new(PROJECT))
        .collect();
    assert_eq!(
        problems.len(),
        1,
        "{}",
        deling::diagnostics::report(&problems)
    );
}

#[test]
fn duplicate_slugs_are_reported_on_both_files() {
    let fixture = Fixture::new("minimal");
    let copy = "content/nasjonalt/erfaringer/digital-sosialhjelp.md";
    fixture.write(
        copy,
        &fixture.read(PRACTICE).replace("#kva-som-hindrar", ""),
    );
    let problems = fixture.errors();
    let both: Vec<_> = problems
        .iter()
        .filter(|d| {
            d.message
                .contains("adressen /erfaringer/digital-sosialhjelp/ brukes også av")
        })
        .collect();
    assert_eq!(both.len(), 2);
    assert!(both.iter().any(|d| d.file == Path::new(copy)));
    assert!(both.iter().any(|d| d.file == Path::new(PRACTICE)));
}

#[test]
fn broken_internal_links_and_anchors_are_reported_at_their_line() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        PRACTICE,
        "deling-av-opplysningar.md#kva-som-hindrar",
        "deling-av-opplysninger.md",
    );
    fixture.write(
        "content/nettverk/digi-vestland/hindringer/ny.md",
        &fixture.read(BARRIER).replace(
            "## Kva som hindrar",
            "Se [erfaringen](@/nettverk/digi-agder/erfaringer/digital-sosialhjelp.md#finnes-ikke).",
        ),
    );
    let problems = fixture.errors();
    let d = find(
        &problems,
        "lenken peker til «@/nettverk/digi-vestland/hindringer/deling-av-opplysninger.md», som ikke finnes",
    );
    assert_eq!(d.pos.line, line_of(&fixture, PRACTICE, "Vi fulgte"));
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("mente du @/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md?")
    );
    let a = find(&problems, "ankeret «#finnes-ikke» finnes ikke");
    assert!(a.help.as_deref().unwrap().contains("«slik-startet-vi»"));
}

#[test]
fn unknown_controlled_values_list_the_valid_ones() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        PRACTICE,
        "service_areas = [\"sosiale-tjenester\"]",
        "service_areas = [\"sosiale-tjenster\"]",
    );
    fixture.edit(
        PRACTICE,
        "solutions = [\"digisos\",",
        "solutions = [\"digisoss\",",
    );
    fixture.edit(
        PROJECT,
        "networks = [\"digi-agder\"]",
        "networks = [\"digiagder\"]",
    );
    fixture.edit(
        BARRIER,
        "status = \"sendt departementet\"",
        "status = \"sendt til departementet\"",
    );
    fixture.edit(BARRIER, "ministry = \"hod\"", "ministry = \"helse\"");
    let problems = fixture.errors();
    let area = find(&problems, "ukjent tjenesteområde «sosiale-tjenster»");
    assert!(
        area.help
            .as_deref()
            .unwrap()
            .starts_with("mente du «sosiale-tjenester»?")
    );
    assert!(
        area.help
            .as_deref()
            .unwrap()
            .contains("«helse-og-omsorg» eller «sosiale-tjenester»")
    );
    find(&problems, "ukjent fellesløsning «digisoss»");
    assert!(
        find(&problems, "ukjent nettverk «digiagder»")
            .help
            .as_deref()
            .unwrap()
            .contains("mente du «digi-agder»?")
    );
    let status = find(
        &problems,
        "ukjent verdi «sendt til departementet» i feltet `status`",
    );
    assert!(status.help.as_deref().unwrap().contains(
        "«meldt», «under vurdering», «løftet til KS», «sendt departementet», «løst» eller «avvist»"
    ));
    find(&problems, "ukjent departement «helse»");
}

#[test]
fn toml_syntax_errors_point_at_the_line_in_the_markdown_file() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PROJECT, "owner = \"KS\"", "owner = \"KS");
    let problems = fixture.errors();
    let d = find(&problems, "teksten mangler avsluttende anførselstegn");
    assert_eq!(d.file, Path::new(PROJECT));
    assert_eq!(d.pos.line, line_of(&fixture, PROJECT, "owner = \"KS"));
}

#[test]
fn status_log_must_agree_with_status() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        BARRIER,
        "status = \"sendt departementet\"",
        "status = \"løst\"",
    );
    find(
        &fixture.errors(),
        "siste statusendring er «sendt departementet», men `status` er «løst»",
    );
}

#[test]
fn misplaced_files_and_bad_file_names_are_reported() {
    let fixture = Fixture::new("minimal");
    fixture.write("content/nettverk/digi-agder/notater/x.md", "+++\n+++\n");
    fixture.write(
        "content/nettverk/digi-agder/erfaringer/Min fil.md",
        &fixture.read(PRACTICE).replace("#kva-som-hindrar", ""),
    );
    let problems = fixture.errors();
    find(&problems, "mappen «notater» er ukjent");
    assert!(
        find(&problems, "filnavnet «Min fil.md» kan ikke brukes")
            .help
            .as_deref()
            .unwrap()
            .contains("«min-fil.md»")
    );
}

#[test]
fn all_problems_are_reported_at_once_with_exit_code_1() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PRACTICE, "\"5610\"", "\"4699\"");
    fixture.edit(BARRIER, "ministry = \"hod\"", "ministry = \"helse\"");
    fixture.edit(PROJECT, "phase = \"konsept\"", "phase = \"kosnept\"");
    fixture.edit(
        "content/nettverk/digi-agder/index.md",
        "counties = [\"42\"]",
        "counties = [\"99\"]",
    );
    let run = fixture.run(&["check"]);
    assert_eq!(run.status.code(), Some(1));
    let out = String::from_utf8(run.stdout).unwrap();
    for location in [
        format!(
            "{PRACTICE}:{}:",
            line_of(&fixture, PRACTICE, "municipalities =")
        ),
        format!("{BARRIER}:{}:", line_of(&fixture, BARRIER, "ministry =")),
        format!("{PROJECT}:{}:", line_of(&fixture, PROJECT, "phase =")),
        "content/nettverk/digi-agder/index.md:4:".to_string(),
    ] {
        assert!(out.contains(&location), "{location} missing from:\n{out}");
    }
    assert!(out.contains("4 feil og 1 advarsel."), "{out}");
}

#[test]
fn warnings_do_not_fail_the_check() {
    let fixture = Fixture::new("minimal");
    // The fixture's practice has a `javascript:` link, shown as plain text with a warning.
    let problems = fixture.problems();
    let d = find(&problems, "javascript");
    assert!(!d.is_error());
    let run = fixture.run(&["check"]);
    assert_eq!(run.status.code(), Some(0));
    assert!(String::from_utf8(run.stdout).unwrap().contains("advarsel"));
}

#[test]
fn files_saved_with_crlf_and_a_bom_parse_like_any_other() {
    let fixture = Fixture::new("minimal");
    let text = fixture.read(PRACTICE);
    fixture.write(PRACTICE, &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    assert!(fixture.errors().is_empty());
}

#[test]
fn codeowners_is_generated_from_reviewers_and_checked() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        "config.toml",
        "paginate_by = 2",
        "paginate_by = 2\nreviewers = [\"@ks-deling/redaksjon\"]",
    );
    find(&fixture.errors(), "CODEOWNERS stemmer ikke");
    assert!(fixture.run(&["codeowners"]).status.success());
    let owners = fixture.read(".github/CODEOWNERS");
    assert!(owners.contains("/content/nettverk/digi-agder/                    @ks-deling/digi-agder @ks-deling/redaksjon"), "{owners}");
    assert!(
        owners.contains("/content/nasjonalt/                              @ks-deling/redaksjon")
    );
    assert!(fixture.errors().is_empty());
    // A network changes its reviewers: the file is out of date again.
    fixture.edit(
        "content/nettverk/digi-agder/index.md",
        "@ks-deling/digi-agder",
        "@ks-deling/agder-redaksjon",
    );
    let problems = fixture.errors();
    let d = find(&problems, "CODEOWNERS stemmer ikke");
    assert_eq!(d.file, Path::new(".github/CODEOWNERS"));
    assert!(d.help.as_deref().unwrap().contains("deling codeowners"));
}

#[test]
fn check_speaks_github_annotations_on_request() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PRACTICE, "\"5610\"", "\"4699\"");
    let run = fixture.run(&["check", "--format", "github"]);
    assert_eq!(run.status.code(), Some(1));
    let out = String::from_utf8(run.stdout).unwrap();
    let line = line_of(&fixture, PRACTICE, "municipalities =");
    let expected = format!("::error file={PRACTICE},line={line},col=");
    assert!(
        out.lines().any(
            |l| l.starts_with(&expected) && l.contains("ukjent kommunenummer «4699»%0AHjelp: ")
        ),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("::warning file=")),
        "warnings are annotations too: {out}"
    );
}

#[test]
fn a_norwegian_style_date_without_quotes_is_explained_in_norwegian() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PRACTICE, "published = 2025-03-14", "published = 14.03.2025");
    let problems = fixture.errors();
    let d = find(&problems, "en dato skrives ÅÅÅÅ-MM-DD");
    assert_eq!(d.pos.line, line_of(&fixture, PRACTICE, "published ="));
}

/// `check` skips the search index for speed, but still renders every page: a broken template
/// must fail it just as it fails `build`.
#[test]
fn check_still_renders_pages_so_template_errors_fail_it() {
    let fixture = Fixture::new("minimal");
    fixture.write("templates/practice.html", "{% extends \"record.html\" %}{% block main %}{{ record.practice.nope | upper }}{% endblock main %}");
    let run = fixture.run(&["check"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8(run.stderr)
            .unwrap()
            .contains("practice.html")
    );
}

#[test]
fn a_reviewer_value_cannot_add_owners_to_codeowners() {
    let fixture = Fixture::new("minimal");
    let network = "content/nettverk/digi-agder/index.md";
    // A line break or a space inside a value would become a rule or an owner of its own.
    fixture.edit(
        network,
        "[\"@ks-deling/digi-agder\"]",
        "[\"@ks-deling/digi-agder\\n* @uvedkommende\", \"@a @b\"]",
    );
    let errors = fixture.errors();
    let d = find(&errors, "er ikke et GitHub-navn");
    assert_eq!(d.file, Path::new(network));
    assert_eq!(d.pos.line, line_of(&fixture, network, "reviewers"));
    assert!(d.help.as_deref().unwrap().contains("uten mellomrom"));
    assert_eq!(
        errors
            .iter()
            .filter(|e| e.message.contains("GitHub-navn"))
            .count(),
        2
    );
}

#[test]
fn a_tag_too_long_for_a_folder_name_is_refused_at_its_line() {
    let fixture = Fixture::new("minimal");
    let long = ["veldig"; 40].join(" ");
    fixture.edit(PRACTICE, "tags = [", &format!("tags = [\"{long}\", "));
    let errors = fixture.errors();
    let d = find(&errors, "er for langt (279 tegn)");
    assert_eq!(d.file, Path::new(PRACTICE));
    assert_eq!(d.pos.line, line_of(&fixture, PRACTICE, "tags ="));
}

/// A law's name is a folder of the register (`/hindringer/lov/…/`): a 300-character name
/// passed `check` and then stopped `build` with «File name too long».
#[test]
fn a_law_name_too_long_for_a_folder_is_refused_at_its_line() {
    let fixture = Fixture::new("minimal");
    let long = ["forvaltningsloven"; 17].join(" ");
    fixture.edit(
        BARRIER,
        "law = \"Forvaltningsloven\"",
        &format!("law = \"{long}\""),
    );
    let errors = fixture.errors();
    let d = find(&errors, "lovens navn er for langt (305 tegn)");
    assert_eq!(d.file, Path::new(BARRIER));
    assert_eq!(d.pos.line, line_of(&fixture, BARRIER, "law ="));
    assert!(d.help.as_deref().unwrap().contains("høyst 150 tegn"));
}

#[test]
fn a_solution_url_must_be_a_web_address() {
    let fixture = Fixture::new("minimal");
    let file = "content/referanse/losninger.toml";
    fixture.edit(file, "\"https://www.ks.no/\"", "\"javascript:alert(1)\"");
    let errors = fixture.errors();
    let d = find(&errors, "«javascript:alert(1)» i `url`");
    assert_eq!(d.file, Path::new(file));
    assert_eq!(d.pos.line, line_of(&fixture, file, "javascript:"));
}

#[test]
fn reference_problems_point_at_their_own_line() {
    let fixture = Fixture::new("minimal");
    // Two solutions with the same bad url: each is reported at its own line.
    let solutions = "content/referanse/losninger.toml";
    fixture.edit(solutions, "\"https://www.ks.no/\"", "\"\"");
    fixture.edit(solutions, "\"https://www.digdir.no/\"", "\"\"");
    // An id written with a TOML escape is still found.
    fixture.edit(solutions, "id = \"id-porten\"", "id = \"ID\\u002dporten\"");
    // Blank lines and a name on two lines do not shift the lines of later rows.
    let csv = "content/referanse/kommuner.csv";
    let text = fixture.read(csv).replacen('\n', "\n\n\n", 1);
    fixture.write(
        csv,
        &format!("{text}9999,\"To\nlinjer\",99,X\n12345,Feil,42,Agder\n"),
    );
    let errors = fixture.errors();

    let url_lines: Vec<usize> = errors
        .iter()
        .filter(|e| e.message.starts_with("«» i `url`"))
        .map(|e| e.pos.line)
        .collect();
    assert_eq!(url_lines, [5, 12]);
    let d = find(&errors, "«ID-porten» kan ikke brukes som id");
    assert_eq!(d.pos.line, line_of(&fixture, solutions, "ID\\u002dporten"));
    let d = find(&errors, "«12345» er ikke et kommunenummer");
    assert_eq!(d.pos.line, line_of(&fixture, csv, "12345"));
}

#[test]
fn a_network_folder_name_that_cannot_be_an_address_is_named_as_a_folder() {
    let fixture = Fixture::new("minimal");
    let root = fixture.root().join("content/nettverk");
    std::fs::rename(root.join("digi-agder"), root.join("Digi Agder")).unwrap();
    let errors = fixture.errors();
    let d = find(&errors, "mappenavnet «Digi Agder»");
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("gi mappen navnet «digi-agder»")
    );
}

/// Adds municipalities to the fixture's reference list.
fn add_municipalities(fixture: &Fixture, rows: &str) {
    let csv = "content/referanse/kommuner.csv";
    let text = fixture.read(csv);
    fixture.write(csv, &format!("{text}{rows}"));
}

#[test]
fn a_kommunenummer_with_two_digits_swapped_suggests_the_networks_own_municipality() {
    let fixture = Fixture::new("minimal");
    // 4260 is 4206 Farsund (Agder) or 4620 Ulvik (Vestland) with two digits swapped.
    add_municipalities(&fixture, "4206,Farsund,42,Agder\n4620,Ulvik,46,Vestland\n");
    fixture.edit(PRACTICE, "\"5610\"", "\"4260\"");
    fixture.edit(BARRIER, "[\"4601\"]", "[\"4260\"]");
    let problems = fixture.errors();
    let in_agder = problems
        .iter()
        .find(|d| d.file == Path::new(PRACTICE) && d.message.contains("«4260»"))
        .expect("the practice's number is reported");
    assert_eq!(
        in_agder.pos.line,
        line_of(&fixture, PRACTICE, "municipalities =")
    );
    let help = in_agder.help.as_deref().unwrap();
    assert!(
        help.starts_with("mente du Farsund \"4206\"? to sifre ser ut til å ha byttet plass; skriv `municipalities = [\"4204\", \"4206\"]`"),
        "{help}"
    );
    assert!(help.contains("Ulvik \"4620\""), "{help}");
    let in_vestland = problems
        .iter()
        .find(|d| d.file == Path::new(BARRIER) && d.message.contains("«4260»"))
        .expect("the barrier's number is reported");
    let help = in_vestland.help.as_deref().unwrap();
    assert!(
        help.starts_with("mente du Ulvik \"4620\"?")
            && help.contains("`municipalities = [\"4620\"]`"),
        "{help}"
    );
}

#[test]
fn a_kommunenummer_from_before_2024_gets_its_new_number() {
    let fixture = Fixture::new("minimal");
    add_municipalities(&fixture, "3301,Drammen,33,Buskerud\n");
    fixture.write(
        "content/referanse/kommunenummer-endringer.csv",
        "gammelt,nytt,kommunenavn\n3005,3301,Drammen\n",
    );
    fixture.edit(PRACTICE, "\"5610\"", "\"3005\"");
    let problems = fixture.errors();
    let d = find(
        &problems,
        "«3005» er et kommunenummer fra før 1. januar 2024",
    );
    assert_eq!(d.pos.line, line_of(&fixture, PRACTICE, "municipalities ="));
    assert_eq!(
        d.help.as_deref(),
        Some(
            "Drammen har nummeret \"3301\" fra 2024; skriv `municipalities = [\"4204\", \"3301\"]`"
        )
    );
}

#[test]
fn the_renumbering_table_refuses_numbers_that_are_not_old_or_not_new() {
    let fixture = Fixture::new("minimal");
    let file = "content/referanse/kommunenummer-endringer.csv";
    fixture.write(
        file,
        "gammelt,nytt,kommunenavn\n4204,0301,Oslo\n3005,3301,Drammen\n",
    );
    let problems = fixture.errors();
    let d = find(
        &problems,
        "det gamle nummeret «4204» er et kommunenummer i dag",
    );
    assert_eq!((d.file.as_path(), d.pos.line), (Path::new(file), 2));
    let d = find(
        &problems,
        "det nye nummeret «3301» står ikke i kommuner.csv",
    );
    assert_eq!(d.pos.line, 3);
}

#[test]
fn a_municipality_name_where_a_number_belongs_gets_the_number() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PRACTICE, "\"4204\"", "\"Kristiansand\"");
    let problems = fixture.errors();
    let d = find(&problems, "«Kristiansand» er et kommunenavn");
    assert_eq!(d.pos.line, line_of(&fixture, PRACTICE, "municipalities ="));
    assert_eq!(
        d.help.as_deref(),
        Some("Kristiansand er \"4204\"; skriv `municipalities = [\"4204\", \"5610\"]`")
    );
}

#[test]
fn a_municipality_name_shared_by_two_prefers_the_networks_county_or_lists_both() {
    let fixture = Fixture::new("minimal");
    add_municipalities(
        &fixture,
        "1515,Herøy,15,Møre og Romsdal\n1818,Herøy,18,Nordland\n4207,Herøy,42,Agder\n",
    );
    // In Agder, the Agder one is meant (a made-up Herøy in Agder, to have one in the county).
    fixture.edit(PRACTICE, "\"4204\"", "\"Herøy kommune\"");
    // In Vestland, none is in the county: both are listed, with their counties.
    fixture.edit(BARRIER, "[\"4601\"]", "[\"Herøy (Nordland)\", \"herøy\"]");
    let problems = fixture.errors();
    let d = problems
        .iter()
        .find(|d| d.file == Path::new(PRACTICE) && d.message.contains("kommunenavn"))
        .unwrap();
    assert_eq!(
        d.help.as_deref(),
        Some("Herøy kommune er \"4207\"; skriv `municipalities = [\"4207\", \"5610\"]`")
    );
    let d = find(&problems, "«Herøy (Nordland)» er et kommunenavn");
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .starts_with("Herøy (Nordland) er \"1818\";"),
        "{:?}",
        d.help
    );
    let d = find(&problems, "«herøy» er et kommunenavn");
    let help = d.help.as_deref().unwrap();
    assert!(
        help.contains("\"1515\" (Møre og Romsdal), \"1818\" (Nordland) eller \"4207\" (Agder)"),
        "{help}"
    );
}

#[test]
fn norwegian_and_nynorsk_field_names_are_named_in_english() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PRACTICE, "summary =", "samandrag =");
    fixture.edit(PRACTICE, "tags =", "emneord =");
    fixture.edit(
        BARRIER,
        "status = \"sendt departementet\"",
        "Status = \"sendt departementet\"",
    );
    // In a practice, `status` means its maturity.
    fixture.edit(PRACTICE, "maturity =", "status =");
    let problems = fixture.errors();
    let d = find(&problems, "ukjent felt `samandrag`");
    assert_eq!(
        d.help.as_deref(),
        Some(
            "`samandrag` heter `summary`: feltnavnene er på engelsk, verdiene på norsk; skriv `summary = …`"
        )
    );
    assert_eq!(d.pos.line, line_of(&fixture, PRACTICE, "samandrag ="));
    assert!(
        find(&problems, "ukjent felt `emneord`")
            .help
            .as_deref()
            .unwrap()
            .starts_with("`emneord` heter `tags`")
    );
    assert!(
        find(&problems, "ukjent felt `Status`")
            .help
            .as_deref()
            .unwrap()
            .starts_with("`Status` heter `status`")
    );
    assert!(
        find(&problems, "ukjent felt `status`")
            .help
            .as_deref()
            .unwrap()
            .starts_with("`status` heter `maturity`")
    );
}

#[test]
fn field_names_with_norwegian_letters_are_named_in_english_not_a_syntax_error() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PRACTICE, "title =", "tittel =");
    fixture.edit(PRACTICE, "service_areas =", "tjenesteområder =");
    fixture.edit(PRACTICE, "solutions =", "løysingar =");
    let problems = fixture.errors();
    assert!(
        !problems
            .iter()
            .any(|d| d.message.contains("feil i front matter")),
        "{}",
        deling::diagnostics::report(&problems)
    );
    for (written, meant) in [
        ("tittel", "title"),
        ("tjenesteområder", "service_areas"),
        ("løysingar", "solutions"),
    ] {
        let d = find(&problems, &format!("ukjent felt `{written}`"));
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .starts_with(&format!("`{written}` heter `{meant}`")),
            "{:?}",
            d.help
        );
        assert_eq!(
            d.pos.line,
            line_of(&fixture, PRACTICE, &format!("{written} ="))
        );
    }
}

#[test]
fn norwegian_dates_without_quotes_are_all_reported_with_the_fix_and_the_rest_is_checked() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PROJECT, "start = 2025-01-01", "start = 1.1.2025");
    fixture.edit(PROJECT, "end = 2026-12-31", "end = 31.12.2026 # slutt");
    // A mistake further down is still found in the same run.
    fixture.edit(PROJECT, "phase = \"konsept\"", "phase = \"kosnept\"");
    let problems = fixture.errors();
    let start = find(&problems, "datoen «1.1.2025» er skrevet på norsk vis");
    assert_eq!(
        start.help.as_deref(),
        Some("skriv datoen som 2025-01-01: `start = 2025-01-01`")
    );
    assert_eq!(start.pos.line, line_of(&fixture, PROJECT, "start ="));
    assert_eq!(start.pos.column, 9);
    let end = find(&problems, "datoen «31.12.2026» er skrevet på norsk vis");
    assert_eq!(
        end.help.as_deref(),
        Some("skriv datoen som 2026-12-31: `end = 2026-12-31 # slutt`")
    );
    assert_eq!(end.pos.line, line_of(&fixture, PROJECT, "end ="));
    find(&problems, "ukjent verdi «kosnept» i feltet `phase`");
    assert!(
        !problems
            .iter()
            .any(|d| d.message.contains("feil i front matter")),
        "{}",
        deling::diagnostics::report(&problems)
    );
}

#[test]
fn a_norwegian_date_the_pre_scan_misses_still_gets_the_exact_fix() {
    let fixture = Fixture::new("minimal");
    // Not at the start of a value: the parser stops at it, and the help gives the line.
    fixture.edit(PROJECT, "end = 2026-12-31", "end = [14.03.2025]");
    let problems = fixture.errors();
    let d = problems
        .iter()
        .find(|d| d.message.starts_with("feil i front matter"))
        .expect("a syntax error");
    assert_eq!(d.pos.line, line_of(&fixture, PROJECT, "end ="));
    assert_eq!(
        d.help.as_deref(),
        Some("skriv datoen som 2025-03-14: `end = [2025-03-14]`")
    );
}

#[test]
fn curly_quotes_from_word_are_all_reported_with_the_fix_and_the_rest_is_checked() {
    let fixture = Fixture::new("minimal");
    fixture.edit(PROJECT, "owner = \"KS\"", "owner = “KS”");
    fixture.edit(
        PROJECT,
        "participants = [\"Kristiansand kommune\", \"Bergen kommune\"]",
        "participants = [”Kristiansand kommune”, «Bergen kommune»]",
    );
    // A curly quote inside straight quotes is text, and fine.
    fixture.edit(
        PROJECT,
        "phase = \"konsept\"",
        "phase = \"kosnept\" # «ikke en feil»",
    );
    let problems = fixture.errors();
    let owner = find(&problems, "anførselstegnene “ ”");
    assert_eq!(owner.pos.line, line_of(&fixture, PROJECT, "owner ="));
    assert_eq!(owner.pos.column, 9);
    assert_eq!(
        owner.help.as_deref(),
        Some("bytt “ ” med vanlige anførselstegn (\"): `owner = \"KS\"`")
    );
    let list = find(&problems, "anførselstegnene ” « »");
    assert_eq!(list.pos.line, line_of(&fixture, PROJECT, "participants ="));
    assert_eq!(
        list.help.as_deref(),
        Some(
            "bytt ” « » med vanlige anførselstegn (\"): `participants = [\"Kristiansand kommune\", \"Bergen kommune\"]`"
        )
    );
    find(&problems, "ukjent verdi «kosnept» i feltet `phase`");
    assert_eq!(
        problems
            .iter()
            .filter(|d| d.file == Path::new(PROJECT))
            .count(),
        3,
        "{}",
        deling::diagnostics::report(&problems)
    );
}

#[test]
fn deling_new_takes_the_kind_in_norwegian_singular_or_plural() {
    let fixture = Fixture::new("minimal");
    for (kind, folder) in [
        ("erfaring", "erfaringer"),
        ("erfaringer", "erfaringer"),
        ("praksis", "erfaringer"),
        ("regelverkshindring", "hindringer"),
        ("hindringer", "hindringer"),
        ("prosjekter", "prosjekter"),
    ] {
        let title = format!("Ny post {kind}");
        let run = fixture.run(&["new", kind, &title, "--network", "digi-agder"]);
        assert!(
            run.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let file = format!("content/nettverk/digi-agder/{folder}/ny-post-{kind}.md");
        assert!(fixture.root().join(&file).is_file(), "{file} missing");
    }
}

const NETWORK: &str = "content/nettverk/digi-agder/index.md";

#[test]
fn a_network_contact_email_that_is_no_address_is_refused_at_its_line() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        NETWORK,
        "founded = 2018",
        "founded = 2018\ncontact_email = \"Sekretariatet <post@digi-agder.no>\"",
    );
    let problems = fixture.errors();
    let d = find(
        &problems,
        "«Sekretariatet <post@digi-agder.no>» i feltet `contact_email` er ikke en e-postadresse",
    );
    assert_eq!(d.file, Path::new(NETWORK));
    assert_eq!(d.pos.line, line_of(&fixture, NETWORK, "contact_email"));
    assert!(d.help.as_deref().unwrap().contains("navn@eksempel.no"));
}

#[test]
fn network_web_addresses_without_a_host_or_with_spaces_are_refused_all_at_once() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        NETWORK,
        "founded = 2018",
        "founded = 2018\nwebsite = \"www.digi-agder.no\"\ncontact_url = \"https://digi agder.no/kontakt\"",
    );
    let problems = fixture.errors();
    let website = find(
        &problems,
        "«www.digi-agder.no» i feltet `website` er ikke en nettadresse",
    );
    assert_eq!(website.pos.line, line_of(&fixture, NETWORK, "website"));
    assert!(website.help.as_deref().unwrap().contains("https://"));
    let form = find(&problems, "i feltet `contact_url` er ikke en nettadresse");
    assert_eq!(form.pos.line, line_of(&fixture, NETWORK, "contact_url"));
    // Each says what is wrong with the address, by the site's one rule for addresses.
    assert!(
        form.message.ends_with(": den har mellomrom"),
        "{}",
        form.message
    );
    assert!(
        website.message.contains("den må begynne med https://"),
        "{}",
        website.message
    );
}

#[test]
fn a_contributor_entry_that_names_nobody_and_no_organisation_is_reported() {
    let fixture = Fixture::new("minimal");
    let file = "content/referanse/bidragsytere.toml";
    fixture.write(
        file,
        "[[contributor]]\ngit = \"kari@kommune.no\"\nshow_name = true\n\n[[contributor]]\ngit = \"per@kommune.no\"\n\n[[contributor]]\ngit = \"KARI@kommune.no\"\norganisation = \"KS\"\n",
    );
    let problems = fixture.errors();
    let nothing = find(
        &problems,
        "oppføringen for «per@kommune.no» endrer ingenting",
    );
    assert_eq!(nothing.file, Path::new(file));
    assert_eq!(nothing.pos.line, 6);
    assert!(
        nothing
            .help
            .as_deref()
            .unwrap()
            .contains("show_name = true")
    );
    let twice = find(&problems, "«KARI@kommune.no» står to ganger");
    assert_eq!(twice.pos.line, 9);
}
