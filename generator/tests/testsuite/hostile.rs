//! Hostile and unusual input, through the real binary: line endings and encodings editors
//! produce, empty and huge files, clashing names, deep nesting, and content or configuration
//! that tries to make the build read files outside the repository. Each either builds right or
//! fails with a Norwegian message naming the file and the fix; none crashes, and nothing from
//! outside the repository reaches the built site.

use crate::harness::Fixture;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

const PRACTICE: &str = "content/nettverk/digi-agder/erfaringer/digital-sosialhjelp.md";
const PRACTICE_PAGE: &str = "public/erfaringer/digital-sosialhjelp/index.html";
const PRACTICES: &str = "content/nettverk/digi-agder/erfaringer";
/// Written outside the site root by the tests below; must never reach the built site.
const SECRET: &str = "HEMMELIG-7f3a9c";

fn stdout(run: &Output) -> String {
    String::from_utf8_lossy(&run.stdout).into_owned()
}

fn stderr(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

/// Runs `deling check`, asserts it failed with exit code 1, and returns the report.
fn failed_check(fixture: &Fixture) -> String {
    let run = fixture.run(&["check"]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "check should fail:\n{}{}",
        stdout(&run),
        stderr(&run)
    );
    format!("{}{}", stdout(&run), stderr(&run))
}

/// Runs `deling build`, asserts it succeeded, and returns the report.
fn built(fixture: &Fixture) -> String {
    let run = fixture.run(&["build"]);
    assert!(
        run.status.success(),
        "build failed:\n{}{}",
        stdout(&run),
        stderr(&run)
    );
    stderr(&run)
}

/// Runs `deling build`, asserts it failed and wrote nothing, and returns what it printed.
fn refused_build(fixture: &Fixture) -> String {
    let run = fixture.run(&["build"]);
    let out = format!("{}{}", stdout(&run), stderr(&run));
    assert_eq!(run.status.code(), Some(1), "build should fail:\n{out}");
    assert!(
        !fixture.root().join("public").exists(),
        "a refused build wrote public/:\n{out}"
    );
    out
}

/// 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}

/// Whether the report has a problem in `file` at `line` whose text contains `message`.
fn reported_at(report: &str, file: &str, line: usize, message: &str) -> bool {
    let at = format!("{file}:{line}:");
    report.lines().any(|l| {
        l.trim_start()
            .split_once(". ")
            .is_some_and(|(_, rest)| rest.starts_with(&at))
            && l.contains(message)
    })
}

/// A folder next to the site root, inside the fixture's temporary folder: outside the
/// repository, and cleaned up with the fixture.
fn outside(fixture: &Fixture) -> PathBuf {
    let dir = fixture.root().parent().unwrap().join("utenfor");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Replaces `path` (relative to the root, which may exist) with a symbolic link to `target`.
fn link(fixture: &Fixture, path: &str, target: &Path) {
    let at = fixture.root().join(path);
    if at.is_dir() && !at.is_symlink() {
        std::fs::remove_dir_all(&at).unwrap();
    } else if at.exists() || at.is_symlink() {
        std::fs::remove_file(&at).unwrap();
    }
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    symlink(target, &at).unwrap();
}

/// Moves `path` out of the root and links it back, so the site is the same but reads through
/// a link; the secret is then added to the moved copy.
fn move_out_and_link(fixture: &Fixture, path: &str) -> PathBuf {
    let moved = outside(fixture).join(path.replace('/', "_"));
    std::fs::rename(fixture.root().join(path), &moved).unwrap();
    symlink(&moved, fixture.root().join(path)).unwrap();
    moved
}

/// Every file of the site root (links not followed), for "the secret is nowhere" checks.
fn assert_secret_not_in(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(SECRET),
                "{} holds text from outside the repository",
                entry.path().display()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A. Line endings, encodings, sizes, names, nesting
// ---------------------------------------------------------------------------------------------

#[test]
fn crlf_files_render_like_lf_and_errors_keep_their_lines() {
    let fixture = Fixture::new("minimal");
    built(&fixture);
    let lf_page = fixture.read(PRACTICE_PAGE);

    let text = fixture.read(PRACTICE);
    fixture.write(PRACTICE, &text.replace('\n', "\r\n"));
    built(&fixture);
    assert_eq!(
        fixture.read(PRACTICE_PAGE),
        lf_page,
        "the page of a CRLF file differs from the LF one"
    );

    // One mistake in the front matter and one in the body: both at their lines in the file.
    let broken = text
        .replace("\"5610\"", "\"4699\"")
        .replace("Vi fulgte [hindringen](@/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md#kva-som-hindrar)", "Vi fulgte [hindringen](@/finnes/ikke.md)");
    assert_ne!(broken, text);
    fixture.write(PRACTICE, &broken.replace('\n', "\r\n"));
    let report = failed_check(&fixture);
    let field = line_of(&broken, "municipalities =");
    let link = line_of(&broken, "Vi fulgte");
    assert!(field > 5 && link > field + 10);
    assert!(
        reported_at(
            &report,
            PRACTICE,
            field,
            "feil: ukjent kommunenummer «4699»"
        ),
        "{report}"
    );
    assert!(
        reported_at(
            &report,
            PRACTICE,
            link,
            "feil: lenken peker til «@/finnes/ikke.md», som ikke finnes"
        ),
        "{report}"
    );

    // Old Mac line endings (CR alone) count lines the same way.
    fixture.write(PRACTICE, &broken.replace('\n', "\r"));
    let report = failed_check(&fixture);
    assert!(
        reported_at(&report, PRACTICE, field, "ukjent kommunenummer «4699»"),
        "{report}"
    );
    assert!(
        reported_at(&report, PRACTICE, link, "«@/finnes/ikke.md»"),
        "{report}"
    );
}

#[test]
fn files_with_a_byte_order_mark_load_everywhere() {
    let fixture = Fixture::new("minimal");
    for file in [
        PRACTICE,
        "content/nettverk/digi-agder/index.md",
        "content/referanse/kommuner.csv",
        "content/referanse/tjenesteomrader.toml",
        "config.toml",
    ] {
        let text = fixture.read(file);
        fixture.write(file, &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    }
    built(&fixture);
    let page = fixture.read(PRACTICE_PAGE);
    assert!(page.contains("Digital søknad om sosialhjelp"));
    assert!(!page.contains('\u{feff}'));
    // Oslo is the first municipality in the file, right after the header the mark sits on.
    assert!(fixture.root().join("public/kommuner").exists());
}

#[test]
fn a_file_not_saved_as_utf8_is_named_with_the_fix() {
    let fixture = Fixture::new("minimal");
    // "Søknad" in Latin-1, as an old Windows editor saves it.
    let mut latin1 = fixture
        .read(PRACTICE)
        .replace("søknad", "S\u{1}knad")
        .into_bytes();
    for b in &mut latin1 {
        if *b == 1 {
            *b = 0xF8;
        }
    }
    std::fs::write(fixture.root().join(PRACTICE), &latin1).unwrap();
    std::fs::write(
        fixture.root().join("content/referanse/losninger.toml"),
        b"[[solution]]\nid = \"digisos\"\nname = \"Digis\xf8s\"\n",
    )
    .unwrap();
    let report = failed_check(&fixture);
    assert!(
        report.contains(&format!(
            "{PRACTICE}:2:19: feil: filen er ikke lagret som UTF-8\n    = hjelp: lagre filen på nytt med tegnkodingen UTF-8"
        )),
        "{report}"
    );
    assert!(
        report.contains(
            "content/referanse/losninger.toml:3:14: feil: referansefilen er ikke lagret som UTF-8"
        ),
        "{report}"
    );
}

#[test]
fn empty_files_and_a_lone_delimiter_say_what_is_missing() {
    let fixture = Fixture::new("minimal");
    let dir = "content/nettverk/digi-agder/erfaringer";
    fixture.write(&format!("{dir}/tom.md"), "");
    fixture.write(&format!("{dir}/mellomrom.md"), " \n\n");
    fixture.write(&format!("{dir}/apen.md"), "+++\n");
    fixture.write(&format!("{dir}/bare-skille.md"), "+++\r\n+++\r\n");
    let report = failed_check(&fixture);
    for file in ["tom.md", "mellomrom.md"] {
        assert!(
            report.contains(&format!(
                "{dir}/{file}:1:1: feil: filen begynner ikke med en front matter\n    = hjelp: første linje i filen skal være +++, deretter feltene, og så en ny linje med +++"
            )),
            "{report}"
        );
    }
    assert!(
        report.contains(&format!(
            "{dir}/apen.md:1:1: feil: front matter er ikke avsluttet\n    = hjelp: legg til en linje med bare +++ etter det siste feltet"
        )),
        "{report}"
    );
    // Empty front matter: every required field is named, at the closing line.
    for field in ["title", "summary", "published", "problem", "maturity"] {
        assert!(
            report.contains(&format!(
                "{dir}/bare-skille.md:2:1: feil: mangler det påkrevde feltet `{field}`"
            )),
            "{field}: {report}"
        );
    }
    assert!(
        report.contains(&format!(
            "{dir}/bare-skille.md:2:1: feil: teksten under front matter er tom"
        )),
        "{report}"
    );
}

#[test]
fn a_five_megabyte_record_builds_in_reasonable_time_and_renders_to_the_end() {
    let fixture = Fixture::new("minimal");
    let text = fixture.read(PRACTICE);
    let paragraph = "Kommunen tok i bruk digital søknad, og **saksbehandlingen** gikk raskere. "
        .repeat(12)
        + "\n\n";
    let mut body = String::new();
    let mut n = 0;
    while body.len() < 5 * 1024 * 1024 {
        n += 1;
        body.push_str(&format!("## Del {n}\n\n{paragraph}- punkt\n- punkt\n\n"));
    }
    body.push_str("Dette er SLUTTEN-AV-TEKSTEN.\n");
    let end = text.rfind("+++").unwrap() + 4;
    fixture.write(
        "content/nettverk/digi-agder/erfaringer/stor.md",
        &format!("{}\n{body}", &text[..end]),
    );
    let started = Instant::now();
    built(&fixture);
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(120),
        "5 MB took {took:?} to build"
    );
    let page = fixture.read("public/erfaringer/stor/index.html");
    assert!(page.len() > 5 * 1024 * 1024);
    assert!(page.contains("Dette er SLUTTEN-AV-TEKSTEN."));
    assert!(page.contains(&format!("id=\"del-{n}\"")));
}

#[test]
fn the_same_file_name_in_two_networks_is_reported_on_both() {
    let fixture = Fixture::new("minimal");
    let copy = "content/nettverk/digi-vestland/erfaringer/digital-sosialhjelp.md";
    fixture.write(copy, &fixture.read(PRACTICE));
    let report = failed_check(&fixture);
    assert!(
        report.contains(&format!(
            "{PRACTICE}:1:1: feil: adressen /erfaringer/digital-sosialhjelp/ brukes også av {copy}"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "{copy}:1:1: feil: adressen /erfaringer/digital-sosialhjelp/ brukes også av {PRACTICE}"
        )),
        "{report}"
    );
    assert!(report.contains("gi en av filene et annet navn"), "{report}");
}

#[test]
fn names_that_differ_only_in_case_are_reported_with_both_names_and_the_fix() {
    let fixture = Fixture::new("minimal");
    let text = fixture.read(PRACTICE);
    // Two records, two attachments, two network folders.
    fixture.write(&format!("{PRACTICES}/Digital-sosialhjelp.md"), &text);
    fixture.write(&format!("{PRACTICES}/Vedlegg.pdf"), "a");
    fixture.write(&format!("{PRACTICES}/vedlegg.pdf"), "b");
    fixture.write(
        "content/nettverk/Digi-Agder/index.md",
        &fixture.read("content/nettverk/digi-agder/index.md"),
    );
    let report = failed_check(&fixture);

    let upper = format!("{PRACTICES}/Digital-sosialhjelp.md");
    assert!(
        report.contains(&format!(
            "{upper}:1:1: feil: filen «Digital-sosialhjelp.md» har samme navn som «digital-sosialhjelp.md» i samme mappe, bortsett fra store og små bokstaver\n    = hjelp: Windows og macOS skiller ikke mellom store og små bokstaver, så der blir filene én, og den ene går tapt; gi denne filen et annet navn enn «digital-sosialhjelp.md», med bare små bokstaver, eller slett den hvis den er en gammel kopi"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "{PRACTICE}:1:1: feil: filen «digital-sosialhjelp.md» har samme navn som «Digital-sosialhjelp.md»"
        )),
        "{report}"
    );
    // Not only Markdown: any two names a case-insensitive checkout would merge.
    assert!(
        report.contains(&format!(
            "{PRACTICES}/Vedlegg.pdf:1:1: feil: filen «Vedlegg.pdf» har samme navn som «vedlegg.pdf»"
        )),
        "{report}"
    );
    // Folders are reported once, as folders, and the help says which way to move the files.
    assert!(
        report.contains(
            "content/nettverk/Digi-Agder:1:1: feil: mappen «Digi-Agder» har samme navn som «digi-agder» i samme mappe, bortsett fra store og små bokstaver\n    = hjelp: Windows og macOS skiller ikke mellom store og små bokstaver, så der blir mappene én, og filene blandes; flytt filene herfra over i «digi-agder», og slett denne mappen"
        ),
        "{report}"
    );
    assert!(
        report.contains("content/nettverk/digi-agder:1:1: feil: mappen «digi-agder» har samme navn som «Digi-Agder»"),
        "{report}"
    );
    assert!(
        !report.contains("content/nettverk/Digi-Agder/index.md:1:1: feil: filen «index.md»"),
        "files inside clashing folders are not reported again: {report}"
    );
    // Nor by the rule for addresses, whose advice ("use small letters") names the other file.
    assert!(
        !report.contains("kan ikke brukes i en nettadresse"),
        "{report}"
    );
}

#[test]
fn names_stored_two_ways_are_reported_as_one_name_on_macos() {
    let fixture = Fixture::new("minimal");
    // «Søknad-på-papir.pdf» with «å» as one character, and as «a» and a combining ring.
    let composed = "Søknad-p\u{e5}-papir.pdf";
    let decomposed = "Søknad-pa\u{30a}-papir.pdf";
    fixture.write(&format!("{PRACTICES}/{composed}"), "a");
    fixture.write(&format!("{PRACTICES}/{decomposed}"), "b");
    let report = failed_check(&fixture);
    for (name, other) in [(composed, decomposed), (decomposed, composed)] {
        assert!(
            report.contains(&format!(
                "{PRACTICES}/{name}:1:1: feil: filen «{name}» har samme navn som «{other}» i samme mappe, men bokstavene er lagret på to ulike måter\n    = hjelp: macOS ser dem som samme navn"
            )),
            "{report}"
        );
    }
}

#[test]
fn deeply_nested_markdown_does_not_crash_the_build() {
    let fixture = Fixture::new("minimal");
    let text = fixture.read(PRACTICE);
    let end = text.rfind("+++").unwrap() + 4;
    let front = &text[..end];
    let deep = 10_000;
    let bodies = [
        ("liste", "- ".repeat(deep) + "innerst\n"),
        ("nummerert", "1. ".repeat(deep) + "innerst\n"),
        ("sitat", "> ".repeat(deep) + "innerst\n"),
        ("blandet", "> - ".repeat(deep) + "innerst\n"),
        (
            "innrykk",
            (0..1000)
                .map(|i| format!("{}- nivå {i}\n", "  ".repeat(i)))
                .collect::<String>()
                + &format!("{}- innerst\n", "  ".repeat(1000)),
        ),
        (
            "uthevet",
            "*_".repeat(deep) + "innerst" + &"_*".repeat(deep) + "\n",
        ),
        (
            "lenker",
            "[".repeat(deep) + "innerst" + &"]".repeat(deep) + "\n",
        ),
    ];
    for (slug, body) in &bodies {
        fixture.write(
            &format!("{PRACTICES}/{slug}.md"),
            &format!("{front}\n{body}"),
        );
    }
    built(&fixture);
    for (slug, _) in &bodies {
        let page = fixture.read(&format!("public/erfaringer/{slug}/index.html"));
        assert!(page.contains("innerst"), "{slug}");
    }
    // Deeply nested values in the front matter are a TOML error, not a crash.
    let closing = front.len() - "+++\n".len();
    let nested = format!(
        "{}dyp = {}{}\n+++\n\nTekst.\n",
        &front[..closing],
        "[".repeat(deep),
        "]".repeat(deep)
    );
    fixture.write(&format!("{PRACTICES}/toml.md"), &nested);
    let report = failed_check(&fixture);
    assert!(
        reported_at(
            &report,
            &format!("{PRACTICES}/toml.md"),
            line_of(&nested, "dyp = "),
            "feil: feil i front matter"
        ),
        "{report}"
    );
}

// ---------------------------------------------------------------------------------------------
// B. Nothing outside the repository is read
// ---------------------------------------------------------------------------------------------

#[test]
fn a_symlinked_record_is_reported_and_never_read() {
    let fixture = Fixture::new("minimal");
    let secret = outside(&fixture).join("hemmelig.md");
    std::fs::write(&secret, fixture.read(PRACTICE).replace("Opplæring", SECRET)).unwrap();
    let at = format!("{PRACTICES}/lenke.md");
    link(&fixture, &at, &secret);
    let report = failed_check(&fixture);
    assert!(
        report.contains(&format!(
            "{at}:1:1: feil: symbolske lenker leses ikke, og denne peker til «{}»\n    = hjelp: legg en vanlig fil (eller mappe) med innholdet her i stedet for lenken",
            secret.display()
        )),
        "{report}"
    );
    assert!(!report.contains(SECRET));
    refused_build(&fixture);
    assert_secret_not_in(fixture.root());
}

#[test]
fn a_symlinked_folder_in_content_is_reported_and_never_read() {
    let fixture = Fixture::new("minimal");
    let network = outside(&fixture).join("nettverk");
    crate::harness::copy_dir(
        &fixture.root().join("content/nettverk/digi-agder"),
        &network,
    );
    let text = std::fs::read_to_string(network.join("erfaringer/digital-sosialhjelp.md")).unwrap();
    std::fs::write(
        network.join("erfaringer/hemmelig.md"),
        text.replace("Opplæring", SECRET),
    )
    .unwrap();
    link(&fixture, "content/nettverk/lenket", &network);
    let report = failed_check(&fixture);
    assert!(
        report.contains("content/nettverk/lenket:1:1: feil: symbolske lenker leses ikke"),
        "{report}"
    );
    assert!(!report.contains("hemmelig"), "{report}");
    refused_build(&fixture);
    assert_secret_not_in(fixture.root());
}

#[test]
fn a_symlinked_content_folder_is_refused() {
    let fixture = Fixture::new("minimal");
    move_out_and_link(&fixture, "content");
    let out = refused_build(&fixture);
    assert!(
        out.contains("feil: content er en symbolsk lenke til «")
            && out.contains(
                "symbolske lenker leses ikke: flytt innholdet inn i en vanlig mappe content/"
            ),
        "{out}"
    );
    assert_eq!(fixture.run(&["check"]).status.code(), Some(1));
}

#[test]
fn reference_data_behind_a_symlink_is_never_read() {
    for path in ["content/referanse/kommuner.csv", "content/referanse"] {
        let fixture = Fixture::new("minimal");
        let moved = move_out_and_link(&fixture, path);
        let csv = if moved.is_dir() {
            moved.join("kommuner.csv")
        } else {
            moved.clone()
        };
        let text = std::fs::read_to_string(&csv).unwrap();
        std::fs::write(&csv, text.replace("Kristiansand", SECRET)).unwrap();
        let report = failed_check(&fixture);
        let expected = format!(
            "{path}:1:1: feil: symbolske lenker leses ikke, og denne peker til «{}»",
            moved.display()
        );
        assert_eq!(
            report.matches(&expected).count(),
            1,
            "reported once, at the link:\n{report}"
        );
        assert!(!report.contains(SECRET), "{report}");
        refused_build(&fixture);
        assert_secret_not_in(fixture.root());
    }
}

#[test]
fn reference_ids_cannot_name_files_outside_the_site() {
    let fixture = Fixture::new("minimal");
    let areas = "content/referanse/tjenesteomrader.toml";
    let text = fixture.read(areas);
    fixture.write(
        areas,
        &format!(
            "{text}\n[[service_area]]\nid = \"../../../utenfor-nettstedet\"\nname_nb = \"x\"\nname_nn = \"x\"\ndescription = \"x\"\n\n[[service_area]]\nid = \"helse-og-omsorg\"\nname_nb = \"y\"\nname_nn = \"y\"\ndescription = \"y\"\n"
        ),
    );
    let csv = "content/referanse/kommuner.csv";
    let municipalities = fixture.read(csv);
    fixture.write(csv, &format!("{municipalities}../../x,Ond,42,Agder\n"));
    let report = failed_check(&fixture);
    let written = fixture.read(areas);
    assert!(
        report.contains(&format!(
            "{areas}:{}:6: feil: «../../../utenfor-nettstedet» kan ikke brukes som id\n    = hjelp: id-en blir en del av nettadressen; bruk bare små bokstaver a–z, tall og bindestrek, for eksempel «utenfor-nettstedet»",
            line_of(&written, "utenfor-nettstedet")
        )),
        "{report}"
    );
    let second = written
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("\"helse-og-omsorg\""))
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert!(
        report.contains(&format!(
            "{areas}:{second}:6: feil: id-en «helse-og-omsorg» står to ganger"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "{csv}:{}:1: feil: «../../x» er ikke et kommunenummer (fire sifre)",
            municipalities.lines().count() + 1
        )),
        "{report}"
    );
    // The build stops before writing, and nothing lands outside the output folder.
    refused_build(&fixture);
    let parent = fixture.root().parent().unwrap();
    for entry in walkdir::WalkDir::new(parent) {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains("utenfor-nettstedet"), "{name} was written");
    }
}

#[test]
fn file_names_and_tags_that_would_make_odd_paths_are_refused_without_a_crash() {
    let fixture = Fixture::new("minimal");
    // `...md` is the slug `..`, which as a path is the parent folder; `om/...md` likewise.
    fixture.write(&format!("{PRACTICES}/...md"), &fixture.read(PRACTICE));
    fixture.write(
        "content/om/...md",
        &fixture.read("content/om/personvern.md"),
    );
    // A tag with no letters or digits would get the address of the list of all tags.
    fixture.edit(PRACTICE, "tags = [", "tags = [\"!!!\", ");
    let report = failed_check(&fixture);
    assert!(!report.contains("panicked"), "{report}");
    for file in [format!("{PRACTICES}/...md"), "content/om/...md".to_string()] {
        assert!(
            report.contains(&format!(
                "{file}:1:1: feil: filnavnet «...md» kan ikke brukes i en nettadresse\n    = hjelp: gi filen et navn med bare små bokstaver a–z, tall og bindestrek, for eksempel etter tittelen"
            )),
            "{report}"
        );
    }
    let line = line_of(&fixture.read(PRACTICE), "tags = [");
    assert!(
        reported_at(
            &report,
            PRACTICE,
            line,
            "emneordet «!!!» har ingen bokstaver eller tall"
        ),
        "{report}"
    );
    refused_build(&fixture);
}

#[test]
fn a_theme_name_cannot_leave_the_themes_folder() {
    let fixture = Fixture::new("minimal");
    // A complete theme outside the repository, which the build would otherwise use.
    let evil = outside(&fixture).join("tema");
    crate::harness::copy_dir(&fixture.root().join("themes/default"), &evil);
    let footer = evil.join("templates/404.html");
    let text = std::fs::read_to_string(&footer).unwrap();
    std::fs::write(
        &footer,
        text.replace(
            "<div class=\"wrap\">",
            &format!("<div class=\"wrap\">{SECRET}"),
        ),
    )
    .unwrap();
    let config = fixture.read("config.toml");
    for theme in ["../../utenfor/tema", "../utenfor/tema", "/etc", ""] {
        fixture.write("config.toml", &format!("{config}theme = \"{theme}\"\n"));
        let out = refused_build(&fixture);
        assert!(
            out.contains(&format!(
                "config.toml: theme må være navnet på en mappe i themes/ (bokstaver a–z, tall, - og _), ikke «{theme}»"
            )),
            "{out}"
        );
    }
    assert_secret_not_in(fixture.root());
}

#[test]
fn symlinks_in_the_theme_templates_and_config_are_refused() {
    let cases = [
        "templates",
        "templates/404.html",
        "themes/default/templates/404.html",
        "themes/default/static",
        "themes/default/static/css",
        "themes/default/i18n/nb.toml",
        "themes/default",
        "themes",
        "config.toml",
    ];
    for path in cases {
        let fixture = Fixture::new("minimal");
        if path.starts_with("templates") {
            fixture.write(
                "templates/404.html",
                &fixture.read("themes/default/templates/404.html"),
            );
        }
        let moved = move_out_and_link(&fixture, path);
        // Put the secret into everything that was moved out: a read anywhere would show it.
        for entry in walkdir::WalkDir::new(&moved) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                let marked = text
                    .replace(
                        "<div class=\"wrap\">",
                        &format!("<div class=\"wrap\">{SECRET}"),
                    )
                    .replace("Deling test", SECRET);
                std::fs::write(entry.path(), marked + &format!("\n/* {SECRET} */\n")).unwrap();
            }
        }
        let out = refused_build(&fixture);
        assert!(
            out.contains(&format!(
                "feil: symbolske lenker leses ikke: {path} (peker til «{}»)",
                moved.display()
            )) && out.contains("legg vanlige filer med innholdet der i stedet"),
            "{path}: {out}"
        );
        assert!(!out.contains(SECRET), "{path}: {out}");
        assert_eq!(fixture.run(&["check"]).status.code(), Some(1), "{path}");
        assert_secret_not_in(fixture.root());
    }
}

#[test]
fn new_and_codeowners_never_write_through_a_symlink() {
    let fixture = Fixture::new("minimal");
    let target = outside(&fixture).join("github");
    std::fs::create_dir_all(&target).unwrap();
    link(&fixture, ".github", &target);
    let run = fixture.run(&["codeowners"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains(".github er en symbolsk lenke til «"),
        "{}",
        stderr(&run)
    );
    assert!(
        !target.join("CODEOWNERS").exists(),
        "written through the link"
    );

    let practices = move_out_and_link(&fixture, PRACTICES);
    let before = std::fs::read_dir(&practices).unwrap().count();
    let run = fixture.run(&["new", "praksis", "Ny praksis", "--network", "digi-agder"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains(&format!("{PRACTICES} er en symbolsk lenke til «")),
        "{}",
        stderr(&run)
    );
    assert_eq!(std::fs::read_dir(&practices).unwrap().count(), before);
}

#[test]
fn internal_links_cannot_climb_out_of_content() {
    let fixture = Fixture::new("minimal");
    // A real file at the root: if links were resolved on disk, these would find it.
    fixture.write(
        "hemmelig.md",
        &fixture.read(PRACTICE).replace("Opplæring", SECRET),
    );
    fixture.edit(
        PRACTICE,
        "~~Papir~~ er borte.",
        "Se [a](@/../hemmelig.md), [b](@/nettverk/../../hemmelig.md), [c](@/../../../../../etc/passwd) og [d](../../../../hemmelig.md). ~~Papir~~ er borte.",
    );
    let report = failed_check(&fixture);
    let line = line_of(&fixture.read(PRACTICE), "Se [a]");
    for target in [
        "@/../hemmelig.md",
        "@/nettverk/../../hemmelig.md",
        "@/../../../../../etc/passwd",
    ] {
        assert!(
            report.contains(&format!("{PRACTICE}:{line}:"))
                && report.contains(&format!(
                    "feil: lenken peker til «{target}», som ikke finnes"
                )),
            "{target}: {report}"
        );
    }
    assert!(
        report.contains("feil: lenken «../../../../hemmelig.md» peker til en fil med relativ sti"),
        "{report}"
    );
    assert!(!report.contains(SECRET));
    refused_build(&fixture);
}

// ---------------------------------------------------------------------------------------------
// D. Characters that break what others open: feeds, terminals, titles, the page's own ids
// ---------------------------------------------------------------------------------------------

/// Every XML file the site has (feeds, sitemap) must be well-formed: readers drop a feed that
/// is not.
fn assert_every_xml_file_parses(site: &Path) -> usize {
    let mut parsed = 0;
    for entry in walkdir::WalkDir::new(site) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "xml") {
            let bytes = std::fs::read(entry.path()).unwrap();
            crate::harness::assert_well_formed_xml(&entry.path().display().to_string(), &bytes);
            parsed += 1;
        }
    }
    parsed
}

#[test]
fn control_characters_and_noncharacters_in_text_fields_are_refused_at_their_line() {
    // Legal TOML escapes that XML 1.0 forbids, in a summary, a tag, a title and the body.
    for (field, written, shown) in [
        ("summary = \"", "summary = \"Med \\b i seg. ", "U+0008"),
        ("summary = \"", "summary = \"Med \\u0001 i seg. ", "U+0001"),
        ("summary = \"", "summary = \"Med \\uFFFE i seg. ", "U+FFFE"),
        ("tags = [", "tags = [\"ok\\u001B[2K\", ", "U+001B"),
        ("title = \"", "title = \"\\u202Enepo\\u202C ", "U+202E"),
    ] {
        let fixture = Fixture::new("minimal");
        fixture.edit(PRACTICE, field, written);
        let line = line_of(
            &fixture.read(PRACTICE),
            written.split(" = ").next().unwrap(),
        );
        let report = refused_build(&fixture);
        assert!(
            reported_at(&report, PRACTICE, line, shown),
            "{written}: no problem at line {line} naming {shown}:\n{report}"
        );
    }
    let fixture = Fixture::new("minimal");
    fixture.edit(PRACTICE, "## Opplæring", "## Oppl\u{7}æring");
    let line = line_of(&fixture.read(PRACTICE), "## Oppl");
    let report = refused_build(&fixture);
    assert!(reported_at(&report, PRACTICE, line, "U+0007"), "{report}");
}

#[test]
fn every_xml_file_the_site_writes_parses() {
    let fixture = Fixture::new("minimal");
    // Text that XML must escape, in every field a feed shows.
    fixture.edit(PRACTICE, "title = \"", "title = \"<A & B> \\\"C\\\" ]]> ");
    fixture.edit(PRACTICE, "summary = \"", "summary = \"Æ & ø < å ]]> 😀 ");
    built(&fixture);
    let parsed = assert_every_xml_file_parses(&fixture.root().join("public"));
    assert!(parsed >= 5, "only {parsed} XML files");
}

#[test]
fn control_characters_in_config_title_cannot_break_the_feeds() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        "config.toml",
        "title = \"Deling test\"",
        "title = \"Deling\\b test\"",
    );
    let run = fixture.run(&["build"]);
    let out = format!("{}{}", stdout(&run), stderr(&run));
    if run.status.success() {
        // Stripped and said so: then every feed must still parse.
        assert!(out.contains("U+0008"), "{out}");
        assert_every_xml_file_parses(&fixture.root().join("public"));
    } else {
        assert!(
            out.contains("config.toml") && out.contains("U+0008"),
            "{out}"
        );
    }
}

#[test]
fn a_title_without_visible_letters_is_refused() {
    for title in [" \\u200B\\u2063 ", "– … –", "\\u00A0\\u200D"] {
        let fixture = Fixture::new("minimal");
        fixture.edit(
            PRACTICE,
            "title = \"Digital søknad om sosialhjelp\"",
            &format!("title = \"{title}\""),
        );
        let report = refused_build(&fixture);
        let line = line_of(&fixture.read(PRACTICE), "title = ");
        assert!(
            reported_at(&report, PRACTICE, line, "ingen synlige bokstaver"),
            "{title}: {report}"
        );
    }
}

#[test]
fn a_heading_cannot_take_the_templates_own_ids() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        PRACTICE,
        "## Slik startet vi",
        "## Hovedinnhold\n\n## Search results",
    );
    built(&fixture);
    let page = std::fs::read_to_string(fixture.root().join(PRACTICE_PAGE)).unwrap();
    assert_eq!(page.matches("id=\"hovedinnhold\"").count(), 1, "{page}");
    assert!(
        page.contains("id=\"hovedinnhold-1\">Hovedinnhold</h"),
        "{page}"
    );
    assert_eq!(page.matches("id=\"search-results\"").count(), 0);
    assert!(page.contains("id=\"search-results-1\""));
}

#[test]
fn the_reserved_ids_list_every_id_the_templates_use() {
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes/default/templates");
    let mut missing = Vec::new();
    for entry in walkdir::WalkDir::new(templates) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let pieces = text.split(" id=\"").skip(1).map(|p| (p, '"'));
        let pieces = pieces.chain(text.split(" id='").skip(1).map(|p| (p, '\'')));
        for (piece, quote) in pieces {
            let id = piece.split(quote).next().unwrap();
            // Ids built from content ({{ … }}) are a heading's own or a record's, not fixed.
            if !id.contains("{{") && !deling::markdown::TEMPLATE_IDS.contains(&id) {
                missing.push(format!("{}: {id}", entry.path().display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ids missing from TEMPLATE_IDS: {missing:?}"
    );
}

#[test]
fn control_characters_and_bidi_overrides_in_reference_data_are_refused_at_their_line() {
    let fixture = Fixture::new("minimal");
    let solutions = "content/referanse/losninger.toml";
    let municipalities = "content/referanse/kommuner.csv";
    fixture.edit(
        solutions,
        "name = \"DigiSos\"",
        "name = \"Digi\\u001B[2KSos\"",
    );
    fixture.edit(
        municipalities,
        "4204,Kristiansand",
        "4204,Kristian\u{202E}sand",
    );
    let report = refused_build(&fixture);
    let line = line_of(&fixture.read(solutions), "Digi\\u001B");
    assert!(reported_at(&report, solutions, line, "U+001B"), "{report}");
    let line = line_of(&fixture.read(municipalities), "4204,");
    assert!(
        reported_at(&report, municipalities, line, "U+202E"),
        "{report}"
    );
}
