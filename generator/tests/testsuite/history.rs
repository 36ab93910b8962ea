//! Git history on real temporary repositories: dates and contributors, front matter winning, a
//! rename, a merge, a shallow clone and a folder with no Git at all.

use crate::harness::{Fixture, commit, text};
use git2::{Repository, Signature, Time};
use std::path::Path;

const BARRIER: &str = "content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md";
const PRACTICE: &str = "content/nettverk/digi-agder/erfaringer/digital-sosialhjelp.md";
const PROJECT: &str = "content/nasjonalt/prosjekter/felles-innlogging.md";

/// Seconds since the epoch at noon UTC of a date.
fn noon(year: i32, month: u32, day: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(year, month, day)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

/// Moves the barrier's status to «løst», with the status log to match.
fn resolve_barrier(fixture: &Fixture) {
    fixture.edit(
        BARRIER,
        "status = \"sendt departementet\"",
        "status = \"løst\"",
    );
    fixture.edit(
        BARRIER,
        "note = \"Sendt via KS.\"",
        "note = \"Sendt via KS.\"\n\n[[status_log]]\ndate = 2025-01-15\nstatus = \"løst\"",
    );
}

fn repository(fixture: &Fixture) -> Repository {
    let repo = Repository::init(fixture.root()).unwrap();
    std::fs::write(fixture.root().join(".gitignore"), "/public\n/themes\n").unwrap();
    commit(&repo, "Kari Rådgiver", noon(2024, 1, 10), "Første versjon");
    repo
}

#[test]
fn pages_show_dates_and_contributors_from_history() {
    let fixture = Fixture::new("minimal");
    let repo = repository(&fixture);
    fixture.edit(
        BARRIER,
        "Teieplikta.",
        "Teieplikta, og korleis ho blir tolka.",
    );
    commit(
        &repo,
        "Ola Nettverk",
        noon(2025, 5, 20),
        "Meir om hindringa",
    );
    let compiled = fixture.compile_with(&Default::default());
    assert!(compiled.notices.is_empty(), "{:?}", compiled.notices);
    let files = compiled.files.unwrap();
    let barrier = text(&files, "hindringer/deling-av-opplysningar/index.html");
    assert!(
        barrier.contains(r#"Sist endra <time datetime="2025-05-20">20. mai 2025</time>"#),
        "last changed from Git"
    );
    // Nobody agreed to be named (content/referanse/bidragsytere.toml): the network is shown.
    assert!(barrier.contains("Bidragsytarar: Digi Vestland"));
    assert!(!barrier.contains("Kari Rådgiver") && !barrier.contains("Ola Nettverk"));
    assert!(barrier.contains("/commits/main/content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md\">Historikk</a>"));
    // Front matter wins: the practice says updated = 2025-06-01 itself.
    let practice = text(&files, "erfaringer/digital-sosialhjelp/index.html");
    assert!(practice.contains(r#"<time datetime="2025-06-01">1. juni 2025</time>"#));
    assert!(practice.contains("Bidragsytere: Digi Agder"));
}

#[test]
fn history_follows_renames() {
    let fixture = Fixture::new("minimal");
    let repo = repository(&fixture);
    let renamed = "content/nasjonalt/prosjekter/felles-innlogging-for-innbyggere.md";
    std::fs::rename(fixture.root().join(PROJECT), fixture.root().join(renamed)).unwrap();
    commit(&repo, "Per Flytter", noon(2025, 2, 1), "Nytt filnavn");
    let history = deling::history::History::read(fixture.root());
    let file = history
        .file(Path::new(renamed))
        .expect("the renamed file has its history");
    assert_eq!(
        file.first,
        chrono::NaiveDate::from_ymd_opt(2024, 1, 10).unwrap(),
        "first published survives the rename"
    );
    assert_eq!(
        file.authors
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["Kari Rådgiver"],
        "a pure rename changes nothing in the content"
    );
    assert!(history.file(Path::new(PROJECT)).is_none());
}

#[test]
fn merges_credit_the_authors_of_the_merged_commits() {
    let fixture = Fixture::new("minimal");
    let repo = repository(&fixture);
    let main_branch = repo.head().unwrap().name().unwrap().to_string();
    let main = repo.head().unwrap().peel_to_commit().unwrap();
    // A branch with one change, then back on the main branch a merge made by someone else.
    repo.branch("endring", &main, false).unwrap();
    repo.set_head("refs/heads/endring").unwrap();
    fixture.edit(
        PRACTICE,
        "Kortere saksbehandlingstid.",
        "Mye kortere saksbehandlingstid.",
    );
    let branch_commit = commit(&repo, "Per Grein", noon(2025, 3, 3), "Resultat");
    repo.set_head(&main_branch).unwrap();
    let signature = Signature::new(
        "Fletteren",
        "ukjent@example.org",
        &Time::new(noon(2025, 3, 4), 60),
    )
    .unwrap();
    let tree = repo.find_commit(branch_commit).unwrap().tree().unwrap();
    let parents = [&main, &repo.find_commit(branch_commit).unwrap()];
    repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        "Flett",
        &tree,
        &parents,
    )
    .unwrap();
    let history = deling::history::History::read(fixture.root());
    let file = history.file(Path::new(PRACTICE)).unwrap();
    let names: Vec<&str> = file.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Kari Rådgiver", "Per Grein"]);
    assert_eq!(
        file.last,
        chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()
    );
}

#[test]
fn a_shallow_clone_warns_and_never_shows_git_dates() {
    let fixture = Fixture::new("minimal");
    let repo = repository(&fixture);
    fixture.edit(BARRIER, "Teieplikta.", "Teieplikta, igjen.");
    commit(&repo, "Ola Nettverk", noon(2025, 5, 20), "Endring");
    let clone = tempfile::tempdir().unwrap();
    let target = clone.path().join("site");
    let status = std::process::Command::new("git")
        .args(["clone", "--quiet", "--depth", "1"])
        .arg(format!("file://{}", fixture.root().display()))
        .arg(&target)
        .status()
        .expect("git runs");
    assert!(status.success());
    crate::harness::copy_dir(&fixture.root().join("themes"), &target.join("themes"));
    let compiled = deling::commands::compile(&target, &Default::default()).unwrap();
    assert_eq!(compiled.notices.len(), 1, "one warning, once");
    assert!(
        compiled.notices[0].contains("grunn"),
        "{}",
        compiled.notices[0]
    );
    let barrier = text(
        compiled.files.as_ref().unwrap(),
        "hindringer/deling-av-opplysningar/index.html",
    );
    assert!(
        !barrier.contains("Sist endra"),
        "no last-changed date rather than a wrong one"
    );
    assert!(!barrier.contains("Bidragsytarar"));
}

#[test]
fn a_folder_without_git_says_so_and_builds() {
    let fixture = Fixture::new("minimal");
    let compiled = fixture.compile_with(&Default::default());
    assert!(compiled.files.is_some());
    assert_eq!(compiled.notices.len(), 1);
    assert!(compiled.notices[0].contains("fant ingen Git-historikk"));
    let run = fixture.run(&["build"]);
    assert!(
        String::from_utf8(run.stderr)
            .unwrap()
            .contains("Merk: fant ingen Git-historikk")
    );
}

#[test]
fn diff_names_the_records_and_fields_a_change_touches() {
    let fixture = Fixture::new("minimal");
    let repo = repository(&fixture);
    resolve_barrier(&fixture);
    std::fs::remove_file(
        fixture
            .root()
            .join("content/nettverk/digi-agder/erfaringer/utkast.md"),
    )
    .unwrap();
    fixture.write(
        "content/nasjonalt/erfaringer/ny-erfaring.md",
        &fixture
            .read(PRACTICE)
            .replace("Digital søknad om sosialhjelp", "Ny erfaring")
            .replace("\"4204\"", "\"4699\"")
            .replace("#kva-som-hindrar", ""),
    );
    commit(&repo, "Ola Nettverk", noon(2025, 5, 20), "Endringer");
    let run = fixture.run(&["diff", "HEAD~1", "HEAD"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report = String::from_utf8(run.stdout).unwrap();
    assert!(
        report.contains("1 nye, 1 fjernet, 1 endret; 1 nye problemer."),
        "{report}"
    );
    assert!(
        report.contains(
            "- Erfaring: **Ny erfaring** (`content/nasjonalt/erfaringer/ny-erfaring.md`)"
        ),
        "{report}"
    );
    assert!(report.contains("- Erfaring: **Et utkast**"), "{report}");
    assert!(
        report.contains("| `status` | sendt departementet | løst |"),
        "{report}"
    );
    assert!(report.contains("ukjent kommunenummer «4699»"), "{report}");
    // The working tree is left as it was: diff reads Git, not files.
    assert!(
        fixture
            .root()
            .join("content/nasjonalt/erfaringer/ny-erfaring.md")
            .exists()
    );
}

#[test]
fn diff_reports_a_committed_symlink_as_a_link_and_never_reads_it() {
    let fixture = Fixture::new("minimal");
    let repo = repository(&fixture);
    let link = "content/nasjonalt/prosjekter/lenke.md";
    std::os::unix::fs::symlink("/etc/passwd", fixture.root().join(link)).unwrap();
    commit(&repo, "Ola Nettverk", noon(2025, 5, 20), "Lenke");
    let run = fixture.run(&["diff", "HEAD~1", "HEAD"]);
    let report = String::from_utf8(run.stdout).unwrap();
    assert!(
        report.contains("symbolske lenker leses ikke, og denne peker til «/etc/passwd»"),
        "{report}"
    );
    assert!(!report.contains("front matter"), "{report}");
}

#[test]
fn diff_of_an_unknown_revision_says_so() {
    let fixture = Fixture::new("minimal");
    repository(&fixture);
    let run = fixture.run(&["diff", "finnes-ikke", "HEAD"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8(run.stderr)
            .unwrap()
            .contains("fant ikke revisjonen «finnes-ikke»")
    );
}

#[test]
fn new_and_changed_says_what_changed() {
    let fixture = Fixture::new("minimal");
    let repo = repository(&fixture);
    resolve_barrier(&fixture);
    commit(&repo, "Ola Nettverk", noon(2025, 5, 20), "Løst");
    let files = fixture.build();
    let page = text(&files, "nytt/index.html");
    let barrier_at = page
        .find("/deling/hindringer/deling-av-opplysningar/")
        .expect("the barrier is listed");
    let practice_at = page
        .find("/deling/erfaringer/digital-sosialhjelp/")
        .expect("the practice is listed");
    assert!(
        practice_at < barrier_at,
        "ordered by last change: the practice's updated = 2025-06-01 comes first"
    );
    assert!(
        page.contains("<li>status: sendt departementet → løst</li>"),
        "{page}"
    );
    assert!(page.contains(">Endret</span>"));
    let feed = text(&files, "nytt/atom.xml");
    assert!(
        feed.contains("<summary>status: sendt departementet → løst. Teieplikta"),
        "{feed}"
    );
}

#[test]
fn a_preview_lists_the_records_its_change_adds_changes_and_removes_at_the_top_of_every_page() {
    let fixture = Fixture::new("minimal");
    let repo = Repository::init(fixture.root()).unwrap();
    commit(&repo, "Kari", noon(2025, 1, 1), "start");
    // The change: the practice's body is edited, a project is added, the barrier is removed.
    fixture.edit(PRACTICE, "## Opplæring", "## Opplæring for alle");
    let project = fixture.read(PROJECT);
    fixture.write(
        "content/nasjonalt/prosjekter/nytt-prosjekt.md",
        &project.replace(
            "title = \"Felles innlogging",
            "title = \"Nytt prosjekt om innlogging",
        ),
    );
    std::fs::remove_file(fixture.root().join(BARRIER)).unwrap();
    std::fs::write(
        fixture.root().join(PRACTICE),
        fixture
            .read(PRACTICE)
            .replace("Vi fulgte [hindringen](@/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md#kva-som-hindrar) tett.", "Vi fulgte hindringen tett."),
    )
    .unwrap();
    let run = fixture.run(&["build", "--preview-of", "HEAD"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for page in [
        "public/index.html",
        "public/erfaringer/index.html",
        "public/sok/index.html",
    ] {
        let html = fixture.read(page);
        let banner = html
            .split("<aside class=\"preview-banner\"")
            .nth(1)
            .unwrap_or_else(|| panic!("{page} has no preview list"));
        let banner = banner.split("</aside>").next().unwrap();
        assert!(banner.contains("Ny:</span> <a href=\"/deling/prosjekter/nytt-prosjekt/\">Nytt prosjekt om innlogging"), "{banner}");
        assert!(
            banner.contains("Endret:</span> <a href=\"/deling/erfaringer/digital-sosialhjelp/\">"),
            "{banner}"
        );
        assert!(
            banner.contains("Fjernet:</span> Deling av opplysningar"),
            "{banner}"
        );
    }
    // An ordinary build has no such list.
    assert!(fixture.run(&["build"]).status.success());
    assert!(!fixture.read("public/index.html").contains("preview-banner"));
}

/// The preview compared records with Git's dates merged in against the base revision without
/// them, so every record committed after it was published showed as «Endret».
#[test]
fn a_preview_does_not_list_records_the_change_did_not_touch() {
    let fixture = Fixture::new("minimal");
    let repo = Repository::init(fixture.root()).unwrap();
    // Committed long after every record's `published`, so Git gives each a later `updated`.
    commit(&repo, "Kari", noon(2026, 6, 1), "start");
    fixture.edit(PRACTICE, "## Opplæring", "## Opplæring for alle");
    let run = fixture.run(&["build", "--preview-of", "HEAD"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = fixture.read("public/index.html");
    let banner = html
        .split("<aside class=\"preview-banner\"")
        .nth(1)
        .and_then(|b| b.split("</aside>").next())
        .expect("a preview list");
    assert!(
        banner.contains("/erfaringer/digital-sosialhjelp/"),
        "{banner}"
    );
    assert!(
        !banner.contains("/prosjekter/felles-innlogging/"),
        "{banner}"
    );
}
