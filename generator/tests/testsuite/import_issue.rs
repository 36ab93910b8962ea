//! `deling import-issue`: a GitHub issue-form submission becomes a record that passes `check`,
//! or Norwegian problems that name the form's fields; only its own issue's file is replaced.

use crate::harness::Fixture;
use std::path::PathBuf;
use std::process::Output;

fn body(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/issues")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn import(fixture: &Fixture, body_file: &str, extra: &[&str]) -> Output {
    let mut args = vec!["import-issue", "--body", body_file, "--date", "14.03.2025"];
    args.extend_from_slice(extra);
    fixture.run(&args)
}

fn stdout(run: &Output) -> String {
    String::from_utf8(run.stdout.clone()).unwrap()
}

fn stderr(run: &Output) -> String {
    String::from_utf8(run.stderr.clone()).unwrap()
}

fn json(run: &Output) -> serde_json::Value {
    serde_json::from_slice(&run.stdout).expect("--json prints JSON")
}

/// The form labels the problems name.
fn fields(report: &serde_json::Value) -> Vec<String> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap().to_string())
        .collect()
}

fn check_passes(fixture: &Fixture) {
    let run = fixture.run(&["check"]);
    assert!(run.status.success(), "check failed:\n{}", stdout(&run));
}

#[test]
fn each_form_becomes_a_placed_record_that_passes_check() {
    let fixture = Fixture::new("minimal");
    for (form, path) in [
        (
            "erfaring.md",
            "content/nettverk/digi-agder/erfaringer/digital-soknad-om-sosialhjelp-alle-kommunene-i-agder-med.md",
        ),
        (
            "hindring.md",
            "content/nettverk/digi-vestland/hindringer/samtykke-til-digitalt-tilsyn-om-natta.md",
        ),
        (
            "prosjekt.md",
            "content/nasjonalt/prosjekter/felles-id-porten-palogging-for-kommunale-skjema.md",
        ),
    ] {
        // The kind is told from the form's labels.
        let run = import(&fixture, &body(form), &["--issue", "12"]);
        assert!(run.status.success(), "{form}: {}", stderr(&run));
        assert_eq!(stdout(&run).trim(), path, "{form}");
        assert!(
            fixture
                .read(path)
                .starts_with("+++\n# Importert fra sak #12 ")
        );
    }
    check_passes(&fixture);

    let practice = fixture.read(
        "content/nettverk/digi-agder/erfaringer/digital-soknad-om-sosialhjelp-alle-kommunene-i-agder-med.md",
    );
    // Municipality names, service areas as the dropdown writes them (with a comma inside a
    // name), and Word's quotes in the title, which stays as written.
    assert!(
        practice.contains("municipalities = [\"4204\", \"4203\"]"),
        "{practice}"
    );
    assert!(
        practice.contains("service_areas = [\"sosiale-tjenester\", \"helse-og-omsorg\"]"),
        "{practice}"
    );
    assert!(
        practice
            .contains("title = \"Digital søknad om sosialhjelp – “alle” kommunene i Agder med\"")
    );
    assert!(practice.contains("published = 2025-03-14"));
    assert!(practice.contains("Vi tok i bruk DigiSos"));

    let barrier = fixture
        .read("content/nettverk/digi-vestland/hindringer/samtykke-til-digitalt-tilsyn-om-natta.md");
    assert!(barrier.contains("ministry = \"hod\""), "{barrier}");
    assert!(barrier.contains("municipalities = [\"4601\", \"4602\", \"4640\"]"));
    assert!(barrier.contains("section = \"§ 4-6a\""));

    let project = fixture
        .read("content/nasjonalt/prosjekter/felles-id-porten-palogging-for-kommunale-skjema.md");
    // A Norwegian date, a Sami double name by either part, service areas by their names.
    assert!(project.contains("start = 2025-03-14"), "{project}");
    assert!(
        project.contains("municipalities = [\"0301\", \"5610\"]"),
        "{project}"
    );
    assert!(project.contains("service_areas = [\"sosiale-tjenester\", \"helse-og-omsorg\"]"));
    assert!(project.contains("funding = [\"DigiFin\", \"egne midler\"]"));
}

#[test]
fn a_misspelt_service_area_is_a_problem_in_that_field_and_nothing_is_written() {
    let fixture = Fixture::new("minimal");
    let run = import(
        &fixture,
        &body("erfaring-feilstavet.md"),
        &["--kind", "praksis"],
    );
    assert_eq!(run.status.code(), Some(1));
    let text = stderr(&run);
    assert!(
        text.contains("«Tjenesteområder»: «Helse og omsorgg» er ikke et tjenesteområde"),
        "{text}"
    );
    assert!(
        text.contains(
            "Mente du «Helse og omsorg»? Rediger saken og rett feltet «Tjenesteområder»."
        ),
        "{text}"
    );
    assert!(text.contains("Ingenting ble skrevet"), "{text}");
    assert!(stdout(&run).is_empty());
    assert!(
        !fixture
            .root()
            .join("content/nettverk/digi-agder/erfaringer/digital-soknad-om-sosialhjelp-i-agder.md")
            .exists()
    );
}

#[test]
fn every_mistake_is_reported_at_once_by_form_field() {
    let fixture = Fixture::new("minimal");
    let run = import(
        &fixture,
        &body("hindring-mange-feil.md"),
        &["--json", "--issue", "3"],
    );
    assert_eq!(run.status.code(), Some(1));
    let report = json(&run);
    assert!(report["file"].is_null());
    assert_eq!(report["kind"], "hindring");
    let fields = fields(&report);
    for field in [
        "Nettverk",
        "Ingress",
        "Tjenesteområder",
        "Kommuner",
        "Lovhenvisninger",
        "Ansvarlig departement",
        "Status",
        "Kilder",
        "Personvern",
    ] {
        assert!(
            fields.iter().any(|f| f == field),
            "{field} missing in {report:#}"
        );
    }
    let text = report.to_string();
    assert!(text.contains("Mente du «Kristiansand»?"), "{report:#}");
    assert!(text.contains("Mente du «meldt»?"), "{report:#}");
    // Every help says how to fix it in the form, and no message names a TOML key.
    for problem in report["problems"].as_array().unwrap() {
        let help = problem["help"].as_str().unwrap();
        assert!(
            help.ends_with(&format!(
                "rett feltet «{}».",
                problem["field"].as_str().unwrap()
            )),
            "{help}"
        );
        assert!(
            !problem["message"].as_str().unwrap().contains('`'),
            "{problem}"
        );
    }
}

#[test]
fn a_problem_check_finds_is_named_by_the_form_field_that_made_it() {
    let fixture = Fixture::new("minimal");
    let run = import(
        &fixture,
        &body("prosjekt-sluttdato-for-start.md"),
        &["--json"],
    );
    assert_eq!(run.status.code(), Some(1));
    let report = json(&run);
    assert_eq!(fields(&report), ["Sluttdato"], "{report:#}");
    assert_eq!(
        report["problems"][0]["message"],
        "«Sluttdato» (2024-01-01) er før «Startdato» (2025-03-14)"
    );
    // Nothing left behind: not the file, not the folder made for it.
    assert!(
        !fixture
            .root()
            .join("content/nettverk/digi-agder/prosjekter")
            .exists()
    );
    check_passes(&fixture);
}

#[test]
fn a_namesake_municipality_needs_its_county() {
    let fixture = Fixture::new("minimal");
    let csv = "content/referanse/kommuner.csv";
    let mut text = fixture.read(csv);
    text.push_str("1515,Herøy,15,Møre og Romsdal\n1818,Herøy,18,Nordland - Nordlánnda\n");
    fixture.write(csv, &text);
    let form = std::fs::read_to_string(body("erfaring.md")).unwrap();
    let issue = fixture.root().join("sak.md");

    std::fs::write(
        &issue,
        form.replace("Kristiansand, Arendal kommune", "Herøy"),
    )
    .unwrap();
    let run = import(&fixture, issue.to_str().unwrap(), &["--json"]);
    assert_eq!(run.status.code(), Some(1));
    let report = json(&run);
    assert_eq!(fields(&report), ["Kommuner"]);
    let problem = &report["problems"][0];
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("Herøy (Møre og Romsdal, 1515), Herøy (Nordland - Nordlánnda, 1818)"),
        "{problem}"
    );

    std::fs::write(
        &issue,
        form.replace("Kristiansand, Arendal kommune", "Herøy (Nordland)"),
    )
    .unwrap();
    let run = import(&fixture, issue.to_str().unwrap(), &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        fixture
            .read(stdout(&run).trim())
            .contains("municipalities = [\"1818\"]")
    );
}

#[test]
fn a_re_import_of_the_same_issue_replaces_its_own_file_only() {
    let fixture = Fixture::new("minimal");
    let path = "content/nettverk/digi-vestland/hindringer/samtykke-til-digitalt-tilsyn-om-natta.md";
    assert!(
        import(&fixture, &body("hindring.md"), &["--issue", "5"])
            .status
            .success()
    );

    // The issue is edited: the record follows.
    let edited = std::fs::read_to_string(body("hindring.md"))
        .unwrap()
        .replace("Bergen (4601); Kinn; Sogndal", "Bergen");
    let issue = fixture.root().join("sak.md");
    std::fs::write(&issue, &edited).unwrap();
    let run = import(
        &fixture,
        issue.to_str().unwrap(),
        &["--issue", "5", "--json"],
    );
    assert!(run.status.success(), "{}", stdout(&run));
    assert_eq!(json(&run)["replaced"], true);
    assert!(fixture.read(path).contains("municipalities = [\"4601\"]"));
    check_passes(&fixture);

    // Another issue with the same title does not take the file over, nor does an import
    // that names no issue.
    let before = fixture.read(path);
    for extra in [&["--issue", "6", "--json"][..], &["--json"][..]] {
        let run = import(&fixture, &body("hindring.md"), extra);
        assert_eq!(run.status.code(), Some(1));
        let report = json(&run);
        assert_eq!(fields(&report), ["Tittel"], "{report:#}");
        assert!(report.to_string().contains("annen tittel"));
        assert_eq!(fixture.read(path), before);
    }

    // An edit that brings a mistake keeps the last good import.
    std::fs::write(&issue, edited.replace("\nmeldt\n", "\nmeldtt\n")).unwrap();
    let run = import(&fixture, issue.to_str().unwrap(), &["--issue", "5"]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(fixture.read(path), before);
}

#[test]
fn a_file_not_written_by_import_issue_is_never_overwritten() {
    let fixture = Fixture::new("minimal");
    let path = "content/nasjonalt/prosjekter/felles-id-porten-palogging-for-kommunale-skjema.md";
    // Marked for another issue (#9 is not #90), or marked below the first line: not ours.
    for own in [
        "+++\n# Importert fra sak #9 med deling import-issue.\ntitle = \"Skrevet for hånd\"\n+++\n\nTekst.\n",
        "+++\ntitle = \"Skrevet for hånd\"\n# Importert fra sak #90 med deling import-issue.\n+++\n\nTekst.\n",
    ] {
        fixture.write(path, own);
        let run = import(&fixture, &body("prosjekt.md"), &["--issue", "90"]);
        assert_eq!(run.status.code(), Some(1));
        let text = stderr(&run);
        assert!(
            text.contains("«Tittel»: det finnes allerede en post"),
            "{text}"
        );
        assert_eq!(fixture.read(path), own);
    }

    let hand = "+++\ntitle = \"Skrevet for hånd\"\n+++\n\nTekst.\n";
    fixture.write(path, hand);
    let run = import(&fixture, &body("prosjekt.md"), &["--issue", "90"]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(fixture.read(path), hand);
}

#[test]
fn the_body_may_come_on_standard_input_and_the_kind_must_fit_the_form() {
    use std::io::Write;
    let fixture = Fixture::new("minimal");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_deling"))
        .args(["import-issue", "--body", "-", "--kind", "prosjekt"])
        .current_dir(fixture.root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let form = std::fs::read_to_string(body("prosjekt.md")).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(form.as_bytes())
        .unwrap();
    let run = child.wait_with_output().unwrap();
    assert!(run.status.success(), "{}", stderr(&run));

    // A practice read as a project: the project's required fields are missing, by name.
    let run = import(
        &fixture,
        &body("erfaring.md"),
        &["--kind", "prosjekt", "--json"],
    );
    assert_eq!(run.status.code(), Some(1));
    let fields = fields(&json(&run));
    for field in ["Formål", "Fase", "Status", "Prosjekteier"] {
        assert!(fields.iter().any(|f| f == field), "{field}: {fields:?}");
    }
}

/// Broken reference data used to be ignored, and its values then blamed on the form («… er
/// ikke et tjenesteområde»), which the contributor cannot fix.
#[test]
fn broken_reference_data_is_reported_as_the_repositorys_to_fix_not_the_forms() {
    let fixture = Fixture::new("minimal");
    fixture.write(
        "content/referanse/tjenesteomrader.toml",
        "[[service_area]]\nid = \"helse\"\n",
    );
    let run = import(&fixture, &body("erfaring.md"), &[]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(
        err.contains("må rettes i repositoriet (ikke i saken)"),
        "{err}"
    );
    assert!(
        err.contains("content/referanse/tjenesteomrader.toml:"),
        "{err}"
    );
    assert!(
        !fixture
            .root()
            .join("content/nettverk/digi-agder/erfaringer")
            .read_dir()
            .unwrap()
            .any(|e| e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("alle-kommunene"))
    );
}

// ---- Files dragged into the form (issue 15) ----------------------------------------------------

const IMAGE_URL: &str =
    "https://github.com/user-attachments/assets/0b8e6c2a-1111-4c4c-9d9d-123456789abc";
const PDF_URL: &str = "https://github.com/user-attachments/files/19000001/Rapport.2024.pdf";

/// The erfaring form with `files` in its «Bilder og dokumenter» field, and a folder as the
/// workflow leaves it: each download under a number, listed in vedlegg.tsv.
fn with_uploads(fixture: &Fixture, files: &str, downloads: &[(&str, Vec<u8>)]) -> (String, String) {
    let text = std::fs::read_to_string(body("erfaring.md")).unwrap();
    let text = text.replace(
        "### Modenhet",
        &format!("### Bilder og dokumenter\n\n{files}\n\n### Modenhet"),
    );
    let body_file = fixture.root().join("skjema.md");
    std::fs::write(&body_file, text).unwrap();
    let dir = fixture.root().parent().unwrap().join("vedlegg");
    std::fs::create_dir_all(&dir).unwrap();
    let mut list = String::new();
    for (n, (url, bytes)) in downloads.iter().enumerate() {
        std::fs::write(dir.join((n + 1).to_string()), bytes).unwrap();
        list.push_str(&format!("{url}\t{}\n", n + 1));
    }
    std::fs::write(dir.join("vedlegg.tsv"), list).unwrap();
    (
        body_file.to_string_lossy().into_owned(),
        dir.to_string_lossy().into_owned(),
    )
}

fn small_png() -> Vec<u8> {
    let image = image::RgbImage::from_pixel(40, 30, image::Rgb([10, 90, 170]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const RECORD: &str = "content/nettverk/digi-agder/erfaringer/digital-soknad-om-sosialhjelp-alle-kommunene-i-agder-med";

#[test]
fn uploaded_files_land_in_the_records_folder_with_links_rewritten() {
    let fixture = Fixture::new("minimal");
    let files = format!(
        "![Skjermbilde av søknaden i DigiSos]({IMAGE_URL})\n\n[Rapport 2024.pdf]({PDF_URL})"
    );
    let pdf = b"%PDF-1.4\nrapport\n".to_vec();
    let (body_file, dir) = with_uploads(
        &fixture,
        &files,
        &[(IMAGE_URL, small_png()), (PDF_URL, pdf.clone())],
    );
    let run = import(&fixture, &body_file, &["--attachments", &dir]);
    assert!(run.status.success(), "{}{}", stdout(&run), stderr(&run));
    let record = fixture.read(&format!("{RECORD}.md"));
    assert!(
        record.contains("![Skjermbilde av søknaden i DigiSos](bilde-1.png)"),
        "{record}"
    );
    assert!(
        record.contains("[Rapport 2024.pdf](rapport-2024.pdf)"),
        "{record}"
    );
    assert!(!record.contains("user-attachments"), "{record}");
    let folder = fixture.root().join(RECORD);
    assert_eq!(std::fs::read(folder.join("rapport-2024.pdf")).unwrap(), pdf);
    assert_eq!(
        std::fs::read(folder.join("bilde-1.png")).unwrap(),
        small_png()
    );
    check_passes(&fixture);
}

#[test]
fn an_uploaded_image_with_githubs_default_alt_text_is_a_problem_in_the_form() {
    let fixture = Fixture::new("minimal");
    let (body_file, dir) = with_uploads(
        &fixture,
        &format!("![Image]({IMAGE_URL})"),
        &[(IMAGE_URL, small_png())],
    );
    let run = import(&fixture, &body_file, &["--attachments", &dir, "--json"]);
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    let report = json(&run);
    let problem = &report["problems"][0];
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("sier bare «Image»"),
        "{report}"
    );
    assert!(
        problem["help"].as_str().unwrap().contains("WCAG 1.1.1"),
        "{report}"
    );
    // Nothing is left behind: neither the record nor its folder.
    assert!(!fixture.root().join(format!("{RECORD}.md")).exists());
    assert!(!fixture.root().join(RECORD).exists());
}

#[test]
fn an_uploaded_file_of_another_type_is_named_in_the_files_field() {
    let fixture = Fixture::new("minimal");
    let word = b"PK\x03\x04word".to_vec();
    let (body_file, dir) = with_uploads(
        &fixture,
        &format!("[notat.docx]({PDF_URL})"),
        &[(PDF_URL, word)],
    );
    let run = import(&fixture, &body_file, &["--attachments", &dir, "--json"]);
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    let report = json(&run);
    assert_eq!(fields(&report), ["Bilder og dokumenter"], "{report}");
    assert!(
        report["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("«notat.docx» er verken et bilde"),
        "{report}"
    );
}

// ---- Review of issue 15: findings 6, 7 and 8 ---------------------------------------------------

#[test]
fn a_problem_with_an_uploaded_picture_names_the_files_field_not_the_body() {
    let fixture = Fixture::new("minimal");
    let (body_file, dir) = with_uploads(
        &fixture,
        &format!("![Image]({IMAGE_URL})"),
        &[(IMAGE_URL, small_png())],
    );
    let run = import(&fixture, &body_file, &["--attachments", &dir, "--json"]);
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    let report = json(&run);
    assert_eq!(fields(&report), ["Bilder og dokumenter"], "{report}");
    assert!(
        report["problems"][0]["help"]
            .as_str()
            .unwrap()
            .contains("«Bilder og dokumenter»"),
        "{report}"
    );
}

#[test]
fn a_picture_github_inserts_as_an_html_img_tag_becomes_a_markdown_image() {
    let fixture = Fixture::new("minimal");
    let files = format!(
        "<img width=\"1024\" height=\"768\" alt=\"Skjermbilde av søknaden &amp; svaret\" src=\"{IMAGE_URL}\" />"
    );
    let (body_file, dir) = with_uploads(&fixture, &files, &[(IMAGE_URL, small_png())]);
    let run = import(&fixture, &body_file, &["--attachments", &dir]);
    assert!(run.status.success(), "{}{}", stdout(&run), stderr(&run));
    let record = fixture.read(&format!("{RECORD}.md"));
    assert!(
        record.contains("![Skjermbilde av søknaden & svaret](bilde-1.png)"),
        "{record}"
    );
    assert!(!record.contains("<img"), "{record}");
    check_passes(&fixture);
}

#[test]
fn an_html_img_tag_with_githubs_default_or_no_alt_text_is_a_problem_in_the_files_field() {
    for tag in [
        format!("<img src='{IMAGE_URL}' alt='Image'>"),
        format!("<IMG SRC=\"{IMAGE_URL}\" width=\"300\">"),
    ] {
        let fixture = Fixture::new("minimal");
        let (body_file, dir) = with_uploads(&fixture, &tag, &[(IMAGE_URL, small_png())]);
        let run = import(&fixture, &body_file, &["--attachments", &dir, "--json"]);
        assert_eq!(run.status.code(), Some(1), "{tag}: {}", stdout(&run));
        let report = json(&run);
        assert_eq!(fields(&report), ["Bilder og dokumenter"], "{tag}: {report}");
        assert!(
            report["problems"][0]["help"]
                .as_str()
                .unwrap()
                .contains("WCAG 1.1.1"),
            "{tag}: {report}"
        );
        assert!(!fixture.root().join(format!("{RECORD}.md")).exists());
    }
}

fn other_png() -> Vec<u8> {
    let image = image::RgbImage::from_pixel(20, 20, image::Rgb([200, 40, 40]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn a_re_import_never_deletes_or_overwrites_files_already_in_the_records_folder() {
    let fixture = Fixture::new("minimal");
    let folder = fixture.root().join(RECORD);
    let good = format!("![Skjermbilde av søknaden]({IMAGE_URL})");
    let (body_file, dir) = with_uploads(&fixture, &good, &[(IMAGE_URL, small_png())]);
    let first = import(
        &fixture,
        &body_file,
        &["--attachments", &dir, "--issue", "9"],
    );
    assert!(
        first.status.success(),
        "{}{}",
        stdout(&first),
        stderr(&first)
    );
    assert_eq!(
        std::fs::read(folder.join("bilde-1.png")).unwrap(),
        small_png()
    );

    // An edit whose alt text is refused takes back only what it wrote.
    let (body_file, dir) = with_uploads(
        &fixture,
        &format!("![Image]({IMAGE_URL})"),
        &[(IMAGE_URL, other_png())],
    );
    let refused = import(
        &fixture,
        &body_file,
        &["--attachments", &dir, "--issue", "9"],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    assert_eq!(
        std::fs::read(folder.join("bilde-1.png")).unwrap(),
        small_png()
    );
    check_passes(&fixture);

    // An edit with another picture does not overwrite the first one's file.
    let (body_file, dir) = with_uploads(&fixture, &good, &[(IMAGE_URL, other_png())]);
    let second = import(
        &fixture,
        &body_file,
        &["--attachments", &dir, "--issue", "9"],
    );
    assert!(
        second.status.success(),
        "{}{}",
        stdout(&second),
        stderr(&second)
    );
    assert_eq!(
        std::fs::read(folder.join("bilde-1.png")).unwrap(),
        small_png()
    );
    assert_eq!(
        std::fs::read(folder.join("bilde-1-2.png")).unwrap(),
        other_png()
    );
    let record = fixture.read(&format!("{RECORD}.md"));
    assert!(record.contains("](bilde-1-2.png)"), "{record}");

    // The same picture again is the file already there: nothing new is written.
    let (body_file, dir) = with_uploads(&fixture, &good, &[(IMAGE_URL, other_png())]);
    let third = import(
        &fixture,
        &body_file,
        &["--attachments", &dir, "--issue", "9"],
    );
    assert!(
        third.status.success(),
        "{}{}",
        stdout(&third),
        stderr(&third)
    );
    assert!(
        fixture
            .read(&format!("{RECORD}.md"))
            .contains("](bilde-1-2.png)")
    );
    assert!(!folder.join("bilde-1-3.png").exists());
    check_passes(&fixture);
}
