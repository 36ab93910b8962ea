//! Defects that lost users' files or crashed the tools (issue 11): the output folder, broken
//! network files, empty sites, corrupted indexes, limits on sizes, links to drafts. Each test is
//! named after the problem it guards against.

use crate::harness::Fixture;
use std::path::Path;
use std::process::Output;

const PRACTICE: &str = "content/nettverk/digi-agder/erfaringer/digital-sosialhjelp.md";
const DRAFT: &str = "content/nettverk/digi-agder/erfaringer/utkast.md";
const NETWORK: &str = "content/nettverk/digi-agder/index.md";

fn report(run: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    )
}

/// Runs `deling` with `args`; asserts it failed with a message (exit 1), not a crash (101).
fn refused(fixture: &Fixture, args: &[&str]) -> String {
    let run = fixture.run(args);
    assert_eq!(run.status.code(), Some(1), "{}", report(&run));
    report(&run)
}

fn succeeded(fixture: &Fixture, args: &[&str]) -> String {
    let run = fixture.run(args);
    assert!(run.status.success(), "{}", report(&run));
    report(&run)
}

/// Every file below `dir`, with its bytes, for before-and-after comparisons.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap().display().to_string();
            (path, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

// 1. The output folder.

#[test]
fn build_output_never_deletes_a_users_documents() {
    let fixture = Fixture::new("minimal");
    let documents = fixture.root().parent().unwrap().join("Dokumenter");
    std::fs::create_dir_all(documents.join("budsjett")).unwrap();
    std::fs::write(documents.join("budsjett/2027.xlsx"), "viktig").unwrap();
    let home = documents.parent().unwrap();
    let before = snapshot(home);
    let message = refused(&fixture, &["build", "--output", "../Dokumenter"]);
    assert!(message.contains("ikke er skrevet av deling"), "{message}");
    assert!(message.contains("velg en tom eller ny mappe"), "{message}");
    assert_eq!(
        snapshot(home),
        before,
        "the documents are untouched, nothing added beside them"
    );
}

#[test]
fn build_output_never_replaces_a_folder_it_cannot_read() {
    use std::os::unix::fs::PermissionsExt;
    let fixture = Fixture::new("minimal");
    let locked = fixture.root().join("privat");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::write(locked.join("notat.txt"), "mitt").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o300)).unwrap();
    let listable = std::fs::read_dir(&locked).is_ok();
    let run = fixture.run(&["build", "--output", "privat"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    // As root every folder can be listed; then it holds a file, and is refused for that.
    let message = report(&run);
    assert_eq!(run.status.code(), Some(1), "{message}");
    if !listable {
        assert!(message.contains("kan ikke leses"), "{message}");
    }
    assert_eq!(
        std::fs::read_to_string(locked.join("notat.txt")).unwrap(),
        "mitt"
    );
}

#[test]
fn a_mistyped_root_leaves_nothing_behind() {
    let fixture = Fixture::new("minimal");
    let before = snapshot(fixture.root().parent().unwrap());
    let run = fixture.run(&["build", "--root", "../tpyo"]);
    assert_eq!(run.status.code(), Some(1), "{}", report(&run));
    assert!(!fixture.root().parent().unwrap().join("tpyo").exists());
    assert_eq!(snapshot(fixture.root().parent().unwrap()), before);
}

#[test]
fn build_output_never_deletes_the_repository_or_its_sources() {
    let fixture = Fixture::new("minimal");
    let root = fixture.root().to_str().unwrap().to_string();
    std::fs::create_dir_all(fixture.root().join(".git")).unwrap();
    let before = snapshot(fixture.root());
    let parent = fixture
        .root()
        .parent()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    for output in [
        "content",
        "content/nettverk",
        "themes",
        "templates",
        ".",
        "./",
        root.as_str(),
        parent.as_str(),
        "/",
        "public/../content",
    ] {
        let message = refused(&fixture, &["build", "--output", output]);
        assert!(message.contains("utmappen"), "{output}: {message}");
        assert!(message.contains("--output public"), "{output}: {message}");
    }
    assert_eq!(
        snapshot(fixture.root()),
        before,
        "nothing was deleted or added"
    );
}

#[test]
fn build_output_never_deletes_another_repository() {
    let fixture = Fixture::new("minimal");
    let other = fixture.root().parent().unwrap().join("annet-prosjekt");
    std::fs::create_dir_all(other.join(".git")).unwrap();
    let message = refused(&fixture, &["build", "--output", "../annet-prosjekt"]);
    assert!(message.contains("Git-depot"), "{message}");
    assert!(other.join(".git").is_dir());
}

#[test]
fn build_output_replaces_its_own_site_and_fills_an_empty_folder() {
    let fixture = Fixture::new("minimal");
    std::fs::create_dir_all(fixture.root().join("tom")).unwrap();
    succeeded(&fixture, &["build", "--output", "tom"]);
    assert!(fixture.root().join("tom/index.html").is_file());
    assert!(
        fixture
            .root()
            .join("tom")
            .join(deling::output::MARKER)
            .is_file()
    );
    // A stray file in a site deling wrote is replaced with the rest, as before.
    std::fs::write(fixture.root().join("tom/gammel.html"), "x").unwrap();
    succeeded(&fixture, &["build", "--output", "tom"]);
    assert!(!fixture.root().join("tom/gammel.html").exists());
}

#[test]
fn two_builds_into_one_folder_at_once_both_succeed() {
    let fixture = Fixture::new("minimal");
    let builds: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_deling"))
                .arg("build")
                .current_dir(fixture.root())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for build in builds {
        let run = build.wait_with_output().unwrap();
        assert!(run.status.success(), "{}", report(&run));
    }
    assert!(fixture.root().join("public/index.html").is_file());
    let leftovers: Vec<String> = std::fs::read_dir(fixture.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// 2. Crashes instead of messages.

#[test]
fn a_network_without_name_is_reported_not_a_crash() {
    let fixture = Fixture::new("minimal");
    fixture.edit(NETWORK, "name = \"Digi Agder\"\n", "");
    for command in ["check", "build"] {
        let message = refused(&fixture, &[command]);
        assert!(
            message.contains("digi-agder/index.md:6:1") && message.contains("`name`"),
            "{command}: {message}"
        );
        assert!(!message.contains("har ingen index.md"), "{message}");
    }
}

#[test]
fn a_network_file_not_in_utf8_is_reported_not_a_crash() {
    let fixture = Fixture::new("minimal");
    let text = fixture
        .read(NETWORK)
        .replace("Digi Agder samler", "Digi Agder s\u{e6}mler");
    let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    std::fs::write(fixture.root().join(NETWORK), latin1).unwrap();
    for command in ["check", "build"] {
        let message = refused(&fixture, &[command]);
        assert!(message.contains("UTF-8"), "{command}: {message}");
    }
}

#[test]
fn a_network_folder_without_index_is_reported_not_a_crash() {
    let fixture = Fixture::new("minimal");
    std::fs::remove_file(fixture.root().join(NETWORK)).unwrap();
    for command in ["check", "build"] {
        let message = refused(&fixture, &[command]);
        assert!(
            message.contains("har ingen index.md"),
            "{command}: {message}"
        );
    }
}

#[test]
fn a_site_with_only_drafts_builds() {
    let fixture = Fixture::new("minimal");
    for entry in walkdir::WalkDir::new(fixture.root().join("content")) {
        let entry = entry.unwrap();
        let path = entry.path().strip_prefix(fixture.root()).unwrap();
        let path = path.to_str().unwrap();
        if !path.ends_with(".md") {
            continue;
        }
        let text = fixture.read(path);
        if text.contains("published = ") && !text.contains("draft =") {
            fixture.edit(path, "published = ", "draft = true\npublished = ");
        }
    }
    // The practice links to the barrier; both are drafts now, which is fine.
    succeeded(&fixture, &["build"]);
    assert!(fixture.root().join("public/index.html").is_file());
    assert!(
        fixture
            .root()
            .join("public/sok/indeks/manifest.json")
            .is_file()
    );
    let run = fixture.run(&["search", "sosialhjelp"]);
    assert!(run.status.success(), "{}", report(&run));
}

#[test]
fn a_corrupted_search_index_gives_the_rebuild_message() {
    let fixture = Fixture::new("minimal");
    succeeded(&fixture, &["build"]);
    let index = fixture.root().join("public/sok/indeks");
    let files: Vec<_> = walkdir::WalkDir::new(&index)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    // Deterministic byte flips spread over every file of the index.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut crashes, mut unhelpful) = (Vec::new(), Vec::new());
    for round in 0..120 {
        let file = &files[round % files.len()];
        let original = std::fs::read(file).unwrap();
        if original.is_empty() {
            continue;
        }
        let mut damaged = original.clone();
        let at = (next() % damaged.len() as u64) as usize;
        damaged[at] ^= 1 << (next() % 8);
        std::fs::write(file, &damaged).unwrap();
        let run = fixture.run(&["search", "sosialhjelp digital"]);
        std::fs::write(file, &original).unwrap();
        let text = report(&run);
        if run.status.code() != Some(0) && run.status.code() != Some(1) || text.contains("panicked")
        {
            crashes.push(format!("{} byte {at}: {text}", file.display()));
        } else if !run.status.success() && !text.contains("deling build") {
            unhelpful.push(text);
        }
    }
    assert!(
        crashes.is_empty(),
        "{} crashes:\n{}",
        crashes.len(),
        crashes.join("\n")
    );
    assert!(
        unhelpful.is_empty(),
        "no advice to rebuild:\n{}",
        unhelpful.join("\n")
    );
}

// 4. Cost that grows faster than the input, and limits.

/// Runs `deling check` in a thread and fails if it has not answered within `limit`: not a
/// benchmark (the bench scripts time things), a guard against quadratic work, with a wide margin
/// (a linear check of these files takes well under a second in a debug build, the quadratic one
/// took 35 s in a release build).
fn check_within(fixture: &Fixture, limit: std::time::Duration) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    let root = fixture.root().to_path_buf();
    std::thread::spawn(move || {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_deling"))
            .arg("check")
            .current_dir(root)
            .output()
            .unwrap();
        let _ = sender.send(report(&run));
    });
    receiver
        .recv_timeout(limit)
        .expect("check did not finish: the work grows faster than the input")
}

#[test]
fn twenty_thousand_sources_are_checked_in_linear_time() {
    let fixture = Fixture::new("minimal");
    let sources: String = (0..20_000)
        .map(|i| format!("\n[[sources]]\ntitle = \"Kilde {i}\"\nurl = \"https://www.ks.no/{i}\"\n"))
        .collect();
    fixture.edit(
        PRACTICE,
        "\n[[sources]]",
        &format!("{sources}\n[[sources]]"),
    );
    // One bad source near the end must still be reported at its own header's line.
    fixture.edit(PRACTICE, "title = \"Kilde 19999\"\n", "");
    let text = fixture.read(PRACTICE);
    let header = text
        .lines()
        .position(|l| l == "url = \"https://www.ks.no/19999\"")
        .unwrap();
    let report = check_within(&fixture, std::time::Duration::from_secs(20));
    assert!(
        report.contains(&format!(
            "digital-sosialhjelp.md:{header}:1: feil: mangler det påkrevde feltet `title`"
        )),
        "{report}"
    );
}

#[test]
fn a_hundred_thousand_tags_are_refused_in_linear_time() {
    let fixture = Fixture::new("minimal");
    let tags: Vec<String> = (0..100_000).map(|i| format!("\"emne {i}\"")).collect();
    fixture.edit(
        PRACTICE,
        "tags = [",
        &format!("tags = [{}, ", tags.join(", ")),
    );
    let report = check_within(&fixture, std::time::Duration::from_secs(20));
    assert!(
        report.contains("100002 emneord, mer enn grensen på 20"),
        "{report}"
    );
}

#[test]
fn a_title_too_long_for_a_heading_is_refused_with_the_limit() {
    let fixture = Fixture::new("minimal");
    let long = "Digital søknad ".repeat(20);
    fixture.edit(
        PRACTICE,
        "title = \"Digital søknad om sosialhjelp\"",
        &format!("title = \"{long}\""),
    );
    let message = refused(&fixture, &["build"]);
    assert!(message.contains("digital-sosialhjelp.md:2:9"), "{message}");
    assert!(message.contains("mer enn grensen på 150"), "{message}");
    assert!(!fixture.root().join("public").exists());
}

#[test]
fn a_summary_over_300_characters_is_an_error_with_the_limit() {
    let fixture = Fixture::new("minimal");
    let long = "Kristiansand tok i bruk digital søknad. ".repeat(8);
    fixture.edit(
        PRACTICE,
        "summary = \"Kristiansand tok i bruk digital søknad om økonomisk sosialhjelp.\"",
        &format!("summary = \"{long}\""),
    );
    let message = refused(&fixture, &["check"]);
    assert!(message.contains("digital-sosialhjelp.md:3:11"), "{message}");
    assert!(message.contains("mer enn grensen på 300"), "{message}");
}

// 5. Links to drafts.

#[test]
fn a_published_record_linking_to_a_draft_is_an_error() {
    let fixture = Fixture::new("minimal");
    let target = DRAFT.strip_prefix("content/").unwrap();
    fixture.edit(
        PRACTICE,
        "## Opplæring",
        &format!("Se [utkastet](@/{target}).\n\n## Opplæring"),
    );
    let line = fixture
        .read(PRACTICE)
        .lines()
        .position(|l| l.contains("utkastet"))
        .unwrap()
        + 1;
    for command in ["check", "build"] {
        let message = refused(&fixture, &[command]);
        assert!(
            message.contains(&format!("digital-sosialhjelp.md:{line}:"))
                && message.contains("er en kladd"),
            "{command}: {message}"
        );
    }
    // A preview with drafts shows the page, and says what the real build will refuse.
    let message = succeeded(&fixture, &["build", "--drafts"]);
    assert!(
        message.contains("advarsel") && message.contains("er en kladd"),
        "{message}"
    );
    // A draft may link to a draft.
    fixture.edit(PRACTICE, "published = ", "draft = true\npublished = ");
    succeeded(&fixture, &["build"]);
}

#[test]
fn a_link_to_a_draft_in_a_markdown_field_is_an_error() {
    let fixture = Fixture::new("minimal");
    let target = DRAFT.strip_prefix("content/").unwrap();
    fixture.edit(
        PRACTICE,
        "results = \"Kortere saksbehandlingstid.\"",
        &format!("results = \"Kortere tid, se [utkastet](@/{target}).\""),
    );
    let line = fixture
        .read(PRACTICE)
        .lines()
        .position(|l| l.starts_with("results = "))
        .unwrap()
        + 1;
    let message = refused(&fixture, &["build"]);
    assert!(
        message.contains(&format!("digital-sosialhjelp.md:{line}:")) && message.contains("kladd"),
        "{message}"
    );
}

// 6. Broken network files, in every command that loads the content (issue 14).

/// The three ways a network's `index.md` breaks, each with the text `check` must show.
fn break_network(fixture: &Fixture, how: &str) -> &'static str {
    let path = fixture.root().join(NETWORK);
    match how {
        "missing" => {
            std::fs::remove_file(path).unwrap();
            "digital-sosialhjelp.md:1:1: feil: nettverksmappen «digi-agder» har ingen index.md"
        }
        "latin-1" => {
            let text = fixture.read(NETWORK).replace("samler", "s\u{e6}mler");
            std::fs::write(
                path,
                text.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>(),
            )
            .unwrap();
            "digi-agder/index.md:9:13: feil: filen er ikke lagret som UTF-8"
        }
        "nameless" => {
            fixture.edit(NETWORK, "name = \"Digi Agder\"\n", "");
            "digi-agder/index.md:6:1: feil:"
        }
        _ => unreachable!("{how}"),
    }
}

#[test]
fn check_names_file_and_line_of_a_missing_network_file() {
    let fixture = Fixture::new("minimal");
    let expected = break_network(&fixture, "missing");
    let message = refused(&fixture, &["check"]);
    assert!(message.contains(expected), "{message}");
}

#[test]
fn check_names_file_and_line_of_a_network_file_not_in_utf8() {
    let fixture = Fixture::new("minimal");
    let expected = break_network(&fixture, "latin-1");
    let message = refused(&fixture, &["check"]);
    assert!(message.contains(expected), "{message}");
}

#[test]
fn check_names_file_and_line_of_a_network_file_without_name() {
    let fixture = Fixture::new("minimal");
    let expected = break_network(&fixture, "nameless");
    let message = refused(&fixture, &["check"]);
    assert!(
        message.contains(expected) && message.contains("`name`"),
        "{message}"
    );
}

/// `deling codeowners` used to ignore what loading reported, and wrote a file without the
/// owners of a network that failed to load.
#[test]
fn codeowners_reports_a_broken_network_and_writes_nothing() {
    for how in ["missing", "latin-1", "nameless"] {
        let fixture = Fixture::new("minimal");
        let expected = break_network(&fixture, how);
        let message = refused(&fixture, &["codeowners"]);
        assert!(message.contains(expected), "{how}: {message}");
        assert!(
            !fixture.root().join(".github/CODEOWNERS").exists(),
            "{how}: {message}"
        );
    }
}
