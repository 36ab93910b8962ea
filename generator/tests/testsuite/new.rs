//! `deling new`: a correctly placed file that passes `check` once filled in.

use crate::harness::{Fixture, find};

#[test]
fn a_new_practice_is_placed_in_its_network_and_passes_once_filled_in() {
    let fixture = Fixture::new("minimal");
    let run = fixture.run(&[
        "new",
        "praksis",
        "Digitalt tilsyn om natta",
        "--network",
        "digi-vestland",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let path = "content/nettverk/digi-vestland/erfaringer/digitalt-tilsyn-om-natta.md";
    assert_eq!(String::from_utf8(run.stdout).unwrap().trim(), path);
    let text = fixture.read(path);
    assert!(
        text.contains("language = \"nn\""),
        "a Nynorsk network's records start in Nynorsk"
    );

    // Unfilled, check names exactly what is left to do.
    let problems = fixture.errors();
    find(&problems, "feltet `summary` er tomt");
    find(&problems, "listen `service_areas` er tom");
    find(&problems, "feltet `problem` er tomt");

    fixture.edit(
        path,
        "summary = \"\"",
        "summary = \"Kamera og sensorar gir tryggare netter.\"",
    );
    fixture.edit(
        path,
        "service_areas = []",
        "service_areas = [\"helse-og-omsorg\"]",
    );
    fixture.edit(
        path,
        "problem = \"\"\"\n\"\"\"",
        "problem = \"\"\"\nMange tilsyn om natta vekte bebuarane.\n\"\"\"",
    );
    let errors = fixture.errors();
    assert!(
        errors.is_empty(),
        "{}",
        deling::diagnostics::report(&errors)
    );
}

#[test]
fn new_barriers_and_projects_pass_once_filled_in() {
    let fixture = Fixture::new("minimal");
    assert!(
        fixture
            .run(&[
                "new",
                "hindring",
                "Samtykke ved digitalt tilsyn",
                "--network",
                "nasjonalt"
            ])
            .status
            .success()
    );
    assert!(
        fixture
            .run(&[
                "new",
                "prosjekt",
                "Felles plattform",
                "--network",
                "digi-agder"
            ])
            .status
            .success()
    );
    let barrier = "content/nasjonalt/hindringer/samtykke-ved-digitalt-tilsyn.md";
    let project = "content/nettverk/digi-agder/prosjekter/felles-plattform.md";
    for path in [barrier, project] {
        fixture.edit(path, "summary = \"\"", "summary = \"Kort ingress.\"");
        fixture.edit(
            path,
            "service_areas = []",
            "service_areas = [\"helse-og-omsorg\"]",
        );
    }
    fixture.edit(barrier, "ministry = \"\"", "ministry = \"hod\"");
    fixture.edit(
        barrier,
        "consequence = \"\"\"\n\"\"\"",
        "consequence = \"Tilsyn blir manuelt.\"",
    );
    fixture.edit(
        barrier,
        "proposed_change = \"\"\"\n\"\"\"",
        "proposed_change = \"Klar heimel.\"",
    );
    fixture.edit(
        barrier,
        "reported_by = \"\"",
        "reported_by = \"Kommunalsjef, Arendal kommune\"",
    );
    fixture.edit(
        barrier,
        "law = \"\"",
        "law = \"Helse- og omsorgstjenesteloven\"",
    );
    fixture.edit(barrier, "section = \"\"", "section = \"§ 9-5\"");
    fixture.edit(
        project,
        "purpose = \"\"\"\n\"\"\"",
        "purpose = \"Én plattform.\"",
    );
    fixture.edit(project, "owner = \"\"", "owner = \"Arendal kommune\"");
    let errors = fixture.errors();
    assert!(
        errors.is_empty(),
        "{}",
        deling::diagnostics::report(&errors)
    );
}

#[test]
fn an_unknown_network_lists_the_valid_ones() {
    let fixture = Fixture::new("minimal");
    let run = fixture.run(&["new", "praksis", "Noe", "--network", "digi-agdr"]);
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(err.contains("nettverket «digi-agdr» finnes ikke"), "{err}");
    assert!(err.contains("«digi-agder» eller «digi-vestland»"), "{err}");
}

#[test]
fn new_never_overwrites_a_file() {
    let fixture = Fixture::new("minimal");
    let run = fixture.run(&[
        "new",
        "praksis",
        "Digital sosialhjelp",
        "--network",
        "digi-agder",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8(run.stderr)
            .unwrap()
            .contains("finnes allerede")
    );
}

#[test]
fn contributing_shows_the_templates_deling_new_writes() {
    use deling::content::RecordKind;
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../CONTRIBUTING.md"),
    )
    .unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    for (heading, kind) in [
        ("#### Mal for en erfaring", RecordKind::Practice),
        ("#### Mal for en regelverkshindring", RecordKind::Barrier),
        ("#### Mal for et prosjekt", RecordKind::Project),
    ] {
        let after = &guide[guide.find(heading).expect(heading)..];
        let block = &after[after.find("```toml\n").expect(heading) + 8..];
        let block = &block[..block.find("```\n").expect(heading)];
        let written = deling::commands::new::template(kind, "", "nb", date);
        assert_eq!(block, written, "{heading} in CONTRIBUTING.md");
    }
}
