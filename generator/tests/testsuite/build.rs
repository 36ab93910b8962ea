//! `deling build`: every page type, links under a base path, safety, determinism, atomicity.

use crate::harness::{Fixture, find, text};
use deling::render::RenderOptions;

const PRACTICE: &str = "content/nettverk/digi-agder/erfaringer/digital-sosialhjelp.md";

#[test]
fn writes_every_kind_of_page_and_file() {
    let files = Fixture::new("minimal").build();
    for path in [
        "index.html",
        "404.html",
        "sok/index.html",
        "data/index.html",
        "erfaringer/index.html",
        "erfaringer/digital-sosialhjelp/index.html",
        "hindringer/index.html",
        "hindringer/deling-av-opplysningar/index.html",
        "prosjekter/index.html",
        "prosjekter/felles-innlogging/index.html",
        "nettverk/index.html",
        "nettverk/digi-agder/index.html",
        "nettverk/digi-vestland/index.html",
        "kommuner/index.html",
        "kommuner/4204-kristiansand/index.html",
        "kommuner/5610-karasjohka-karasjok/index.html",
        "tjenesteomrader/index.html",
        "tjenesteomrader/sosiale-tjenester/index.html",
        "losninger/index.html",
        "losninger/digisos/index.html",
        "emneord/index.html",
        "emneord/okonomisk-sosialhjelp/index.html",
        "atom.xml",
        "erfaringer/atom.xml",
        "hindringer/atom.xml",
        "prosjekter/atom.xml",
        "nettverk/digi-agder/atom.xml",
        "sitemap.xml",
        "robots.txt",
        "data/poster.json",
        "data/poster.schema.json",
        "data/hindringer.csv",
        "css/deling.css",
    ] {
        assert!(files.contains(path), "{path} is missing");
    }
    // Only municipalities that a record mentions get a page.
    assert!(!files.contains("kommuner/4602-kinn/index.html"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let fixture = Fixture::new("minimal");
    assert!(!fixture.build().contains("erfaringer/utkast/index.html"));
    let with_drafts = fixture.compile_with(&RenderOptions {
        drafts: true,
        ..Default::default()
    });
    assert!(
        with_drafts
            .files
            .unwrap()
            .contains("erfaringer/utkast/index.html")
    );
}

#[test]
fn barrier_page_shows_what_a_reader_needs() {
    let html = text(
        &Fixture::new("minimal").build(),
        "hindringer/deling-av-opplysningar/index.html",
    );
    assert!(
        html.contains(r#"<a href="https://lovdata.no/lov/1967-02-10/§13">Forvaltningsloven § 13"#),
        "legal reference links to Lovdata"
    );
    assert!(html.contains("Helse- og omsorgsdepartementet (HOD)"));
    // A Nynorsk record: page language and labels in Nynorsk, dates in Norwegian.
    assert!(html.contains(r#"<html lang="nn">"#));
    assert!(html.contains("Lovtilvisingar"));
    assert!(html.contains(r#"<time datetime="2024-09-10">10. september 2024</time>"#));
    assert!(html.contains("Sendt via KS."));
}

#[test]
fn project_and_practice_pages_show_their_fields() {
    let files = Fixture::new("minimal").build();
    let project = text(&files, "prosjekter/felles-innlogging/index.html");
    for expected in [
        "konsept",
        "pågår",
        "KS",
        "Kristiansand kommune, Bergen kommune",
        "DigiFin, egne midler",
        "Konseptrapport",
        "1. januar 2025",
    ] {
        assert!(project.contains(expected), "project page lacks {expected}");
    }
    let practice = text(&files, "erfaringer/digital-sosialhjelp/index.html");
    assert!(
        practice.contains("<strong>tok tid</strong>"),
        "Markdown in front matter fields is rendered"
    );
    assert!(practice.contains("i drift"));
    assert!(practice.contains("Kortere saksbehandlingstid."));
    assert!(practice.contains(r#"<time datetime="2025-06-01">1. juni 2025</time>"#));
    assert!(practice.contains(r#"<html lang="nb">"#));
}

#[test]
fn every_link_and_asset_honours_the_base_path() {
    let files = Fixture::new("minimal").build();
    let mut checked = 0;
    for path in files.paths().filter(|p| p.ends_with(".html")) {
        let html = text(&files, path);
        for attr in ["href=\"/", "src=\"/", "action=\"/"] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                assert!(
                    rest.starts_with("deling/"),
                    "{path}: link outside the base path: {}",
                    &rest[..rest.len().min(60)]
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn internal_links_resolve_to_pages_and_anchors() {
    let html = text(
        &Fixture::new("minimal").build(),
        "erfaringer/digital-sosialhjelp/index.html",
    );
    assert!(html.contains(r#"href="/deling/hindringer/deling-av-opplysningar/#kva-som-hindrar""#));
}

#[test]
fn raw_html_and_script_links_from_contributors_never_reach_the_page() {
    let files = Fixture::new("minimal").build();
    let html = text(&files, "erfaringer/digital-sosialhjelp/index.html");
    // The only scripts are the site's own files; nothing inline, nothing from content.
    for (i, _) in html.match_indices("<script") {
        assert!(
            html[i..].starts_with("<script src=\"/deling/js/"),
            "unexpected script: {}",
            &html[i..i + 60]
        );
    }
    assert!(
        !html.contains("<script>alert"),
        "raw HTML is not passed through"
    );
    assert!(
        html.contains("&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"),
        "it is shown as text instead"
    );
    assert!(html.contains("klikk"), "the link text is kept");
    // Pages and feeds; the open data export carries the contributor's Markdown source as data.
    for path in files
        .paths()
        .filter(|p| p.ends_with(".html") || p.ends_with(".xml"))
    {
        assert!(
            !text(&files, path).to_lowercase().contains("javascript:"),
            "{path} contains a javascript: URL"
        );
    }
}

#[test]
fn markdown_extensions_render() {
    let html = text(
        &Fixture::new("minimal").build(),
        "erfaringer/digital-sosialhjelp/index.html",
    );
    assert!(html.contains("<table>"), "tables");
    assert!(html.contains("<del>Papir</del>"), "strikethrough");
    assert!(
        html.contains(r#"<a href="https://www.ks.no">https://www.ks.no</a>"#),
        "autolinks"
    );
    assert!(html.contains(r#"type="checkbox""#), "task lists");
    assert!(
        html.contains(
            "<section class=\"footnotes\" data-footnotes>\n<h3 class=\"visually-hidden\">Fotnoter</h3>"
        ),
        "footnotes, with a heading at the level of the text's headings"
    );
    assert!(
        html.contains(r#"<h3 id="slik-startet-vi">"#),
        "heading ids, below the template's section heading"
    );
}

#[test]
fn footnote_words_follow_the_language_of_the_text() {
    let fixture = Fixture::new("minimal");
    let page = "content/om/personvern.md";
    fixture.write(
        page,
        &format!(
            "{}\nSjå notane.[^1]\n\n[^1]: Ei fotnote.\n",
            fixture.read(page)
        ),
    );
    let site = fixture.build();
    let nynorsk = text(&site, "om/personvern/index.html");
    assert!(
        nynorsk.contains("<h2 class=\"visually-hidden\">Fotnotar</h2>"),
        "{nynorsk}"
    );
    assert!(nynorsk.contains("aria-label=\"Tilbake til teksten, fotnote 1\""));
    let bokmal = text(&site, "erfaringer/digital-sosialhjelp/index.html");
    assert!(bokmal.contains(">Fotnoter</h3>"));
}

#[test]
fn lists_sort_the_norwegian_way() {
    let html = text(&Fixture::new("minimal").build(), "emneord/index.html");
    let nav = html.find(">nav<").unwrap();
    // «teieplikt» is listed by its Bokmål form (see `render/tags.rs`).
    let taushetsplikt = html.find(">taushetsplikt<").unwrap();
    let okonomisk = html.find(">økonomisk sosialhjelp<").unwrap();
    assert!(
        nav < taushetsplikt && taushetsplikt < okonomisk,
        "ø sorts after t"
    );
}

#[test]
fn long_lists_are_paginated() {
    let fixture = Fixture::new("minimal");
    let original = fixture.read(PRACTICE);
    for n in 1..=3 {
        fixture.write(
            &format!("content/nettverk/digi-agder/erfaringer/kopi-{n}.md"),
            &original
                .replace("Digital søknad om sosialhjelp", &format!("Kopi {n}"))
                .replace("#kva-som-hindrar", ""),
        );
    }
    let files = fixture.build();
    assert!(
        files.contains("erfaringer/side/2/index.html"),
        "4 practices at 2 a page make 2 pages"
    );
    assert!(!files.contains("erfaringer/side/3/index.html"));
    let first = text(&files, "erfaringer/index.html");
    assert!(first.contains(r#"href="/deling/erfaringer/side/2/" rel="next""#));
}

#[test]
fn feeds_and_sitemap_use_absolute_urls() {
    let files = Fixture::new("minimal").build();
    let atom = text(&files, "atom.xml");
    assert_eq!(atom.matches("<entry>").count(), 3);
    assert!(atom.contains("<id>https://example.org/deling/erfaringer/digital-sosialhjelp/</id>"));
    assert!(
        atom.contains("<updated>2025-06-01T00:00:00Z</updated>"),
        "the feed is as new as its newest change"
    );
    let network = text(&files, "nettverk/digi-agder/atom.xml");
    assert!(
        network.contains("felles-innlogging"),
        "a national record shared with the network is in its feed"
    );
    let sitemap = text(&files, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/deling/hindringer/deling-av-opplysningar/</loc><lastmod>2024-05-02</lastmod>"));
    assert!(text(&files, "robots.txt").contains("Sitemap: https://example.org/deling/sitemap.xml"));
}

#[test]
fn open_data_exports_every_record() {
    let files = Fixture::new("minimal").build();
    let json: serde_json::Value =
        serde_json::from_slice(files.get("data/poster.json").unwrap()).unwrap();
    let records = json["records"].as_array().unwrap();
    assert_eq!(records.len(), 3);
    let barrier = records.iter().find(|r| r["type"] == "barrier").unwrap();
    assert_eq!(barrier["barrier"]["status"], "sendt departementet");
    assert_eq!(barrier["language"], "nn");
    let schema: serde_json::Value =
        serde_json::from_slice(files.get("data/poster.schema.json").unwrap()).unwrap();
    for field in schema["properties"]["records"]["items"]["required"]
        .as_array()
        .unwrap()
    {
        for record in records {
            assert!(
                record.get(field.as_str().unwrap()).is_some(),
                "record lacks required {field}"
            );
        }
    }
    let csv = text(&files, "data/hindringer.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains("Forvaltningsloven § 13 <https://lovdata.no/lov/1967-02-10/§13>"));
}

#[test]
fn a_site_template_overrides_the_theme() {
    let fixture = Fixture::new("minimal");
    fixture.write("templates/404.html", "<p>Egen 404</p>");
    assert_eq!(text(&fixture.build(), "404.html"), "<p>Egen 404</p>");
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let fixture = Fixture::new("minimal");
    for out in ["ut-a", "ut-b"] {
        let run = fixture.run(&["build", "--output", out]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let list = |dir: &str| -> Vec<(String, Vec<u8>)> {
        let base = fixture.root().join(dir);
        walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(&base).unwrap().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let (a, b) = (list("ut-a"), list("ut-b"));
    assert!(a.len() > 30);
    assert!(a == b, "the two builds differ");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let fixture = Fixture::new("minimal");
    assert!(fixture.run(&["build"]).status.success());
    let index = fixture.root().join("public/index.html");
    let before = std::fs::read(&index).unwrap();
    fixture.edit(PRACTICE, "maturity = \"i drift\"", "maturity = \"ferdig\"");
    fixture.edit(
        "content/nettverk/digi-agder/index.md",
        "Digi Agder samler",
        "Nytt innhold. Digi Agder samler",
    );
    let run = fixture.run(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        std::fs::read(&index).unwrap(),
        before,
        "the previous site is still there"
    );
    assert!(
        fixture
            .root()
            .join("public/erfaringer/digital-sosialhjelp/index.html")
            .exists()
    );
    let leftovers: Vec<String> = std::fs::read_dir(fixture.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn build_accepts_a_base_url_override() {
    let fixture = Fixture::new("minimal");
    let compiled = fixture.compile_with(&RenderOptions {
        base_url: Some("https://ks.no/".into()),
        ..Default::default()
    });
    let html = text(&compiled.files.unwrap(), "index.html");
    assert!(html.contains(r#"href="/erfaringer/""#));
    assert!(html.contains(r#"<link rel="canonical" href="https://ks.no/">"#));
}

/// Every root-relative link in every page points at a file the build wrote, and every `#anchor`
/// at an id on that page.
fn assert_no_broken_links(files: &deling::output::SiteFiles, root: &str) {
    let mut checked = 0;
    for page in files.paths().filter(|p| p.ends_with(".html")) {
        let html = text(files, page);
        for (i, _) in html.match_indices("href=\"") {
            let href = &html[i + 6..];
            let href = &href[..href.find('"').unwrap()];
            let Some(local) = href.strip_prefix(root) else {
                continue;
            };
            let (path, anchor) = local.split_once('#').unwrap_or((local, ""));
            let path = path.split('?').next().unwrap();
            let file = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            assert!(
                files.contains(&file),
                "{page} links to {href}, which was not written"
            );
            if !anchor.is_empty() {
                assert!(
                    text(files, &file).contains(&format!("id=\"{anchor}\"")),
                    "{page} links to {href}: no such anchor"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn fixture_site_has_no_broken_links() {
    assert_no_broken_links(&Fixture::new("minimal").build(), "/deling/");
}

#[test]
fn repository_content_builds_with_no_problems_and_no_broken_links() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let compiled = deling::commands::compile(&root, &RenderOptions::default()).unwrap();
    assert!(
        compiled.diagnostics.is_empty(),
        "{}",
        deling::diagnostics::report(&compiled.diagnostics)
    );
    let files = compiled.files.unwrap();
    assert!(
        compiled.records >= 24,
        "at least 10 practices, 6 barriers and 8 projects"
    );
    assert_no_broken_links(&files, "/deling/");
    assert_strict_content_security(&files);
}

/// Every page carries the policy before anything it governs, and has nothing the policy would
/// block: no inline scripts, event handlers or style attributes.
fn assert_strict_content_security(files: &deling::output::SiteFiles) {
    const POLICY: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'; form-action 'self'\">";
    let mut pages = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        pages += 1;
        let html = String::from_utf8_lossy(bytes);
        let policy = html
            .find(POLICY)
            .unwrap_or_else(|| panic!("{path} has no Content-Security-Policy"));
        for governed in ["<script", "<link", "<style"] {
            if let Some(at) = html.find(governed) {
                assert!(policy < at, "{path}: {governed} comes before the policy");
            }
        }
        assert!(
            html.matches("<script").count() == html.matches("<script src=").count(),
            "{path} has an inline script"
        );
        let lower = html.to_lowercase();
        for attribute in [
            " style=",
            " onclick=",
            " onload=",
            " onerror=",
            " onmouseover=",
        ] {
            assert!(!lower.contains(attribute), "{path} has{attribute}");
        }
    }
    assert!(pages > 100, "checked {pages} pages");
}

#[test]
fn every_page_links_to_the_accessibility_statement_and_the_privacy_page() {
    let files = Fixture::new("minimal").build();
    let statement = text(&files, "om/tilgjengelighet/index.html");
    assert!(statement.contains("<h1>Tilgjengelighetserklæring</h1>"));
    assert!(statement.contains("<time datetime=\"2026-11-23\">23. november 2026</time>"));
    assert!(statement.contains("<h2 id=\"status\">Status</h2>"));
    assert!(statement.contains("href=\"/deling/om/personvern/\""));
    // The privacy page is written in Nynorsk, and says so to screen readers.
    let privacy = text(&files, "om/personvern/index.html");
    assert!(privacy.contains("<html lang=\"nn\">"));
    let mut pages = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let footer = &html[html
            .find("<footer")
            .unwrap_or_else(|| panic!("{path}: no footer"))..];
        for link in [
            "<a href=\"/deling/om/tilgjengelighet/\">Tilgjengelighetserklæring</a>",
            "<a href=\"/deling/om/personvern/\">Personvern</a>",
        ] {
            assert!(footer.contains(link), "{path}: no {link} in the footer");
        }
        pages += 1;
    }
    assert!(pages > 20, "only {pages} pages");
}

#[test]
fn a_site_without_an_accessibility_statement_is_warned() {
    let fixture = Fixture::new("minimal");
    std::fs::remove_file(fixture.root().join("content/om/tilgjengelighet.md")).unwrap();
    let problems = fixture.problems();
    let warning = find(&problems, "ingen tilgjengelighetserklæring");
    assert!(!warning.is_error());
    assert_eq!(
        warning.file,
        std::path::Path::new("content/om/tilgjengelighet.md")
    );
    assert!(fixture.errors().is_empty(), "a warning, not an error");
}

#[test]
fn an_about_page_without_a_title_names_the_file_and_field() {
    let fixture = Fixture::new("minimal");
    fixture.edit("content/om/personvern.md", "title = \"Personvern\"\n", "");
    let errors = fixture.errors();
    let error = find(&errors, "title");
    assert_eq!(error.file, std::path::Path::new("content/om/personvern.md"));
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn record_pages_list_related_records_but_never_themselves() {
    let files = Fixture::new("minimal").build();
    let practice = text(&files, "erfaringer/digital-sosialhjelp/index.html");
    let related = &practice[practice
        .find("id=\"related-title\"")
        .expect("a related section")..];
    assert!(
        related.contains("/deling/hindringer/deling-av-opplysningar/"),
        "the barrier sharing its service area"
    );
    assert!(
        !related.contains("href=\"/deling/erfaringer/digital-sosialhjelp/\""),
        "not itself"
    );
    let barrier = text(&files, "hindringer/deling-av-opplysningar/index.html");
    assert!(
        barrier.contains("Relaterte postar"),
        "labelled in the record's language"
    );
}

#[test]
fn a_theme_missing_interface_strings_is_refused_with_their_names() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        "themes/default/i18n/nb.toml",
        "changes_title = ",
        "gammel_nokkel = ",
    );
    let error = deling::commands::compile(fixture.root(), &RenderOptions::default())
        .err()
        .expect("refused");
    assert!(
        format!("{error:#}").contains("mangler grensesnittekster som deling bruker: changes_title"),
        "{error:#}"
    );
}

#[test]
fn a_build_that_fails_after_writing_pages_leaves_the_previous_site_and_no_staging_folder() {
    // Pages are written to disk as they are rendered; record pages come last, so a template
    // that fails only there fails the build after most of the site was already written.
    let fixture = Fixture::new("minimal");
    assert!(fixture.run(&["build"]).status.success());
    let public = fixture.root().join("public");
    let before = std::fs::read(public.join("index.html")).unwrap();
    let theme = fixture.read("themes/default/templates/practice.html");
    fixture.write(
        "templates/practice.html",
        &theme.replacen("{% block main %}", "{% block main %}{{ no_such.thing }}", 1),
    );
    fixture.edit(
        "content/nettverk/digi-agder/index.md",
        "Digi Agder samler",
        "Nytt innhold. Digi Agder samler",
    );
    let run = fixture.run(&["build"]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("practice.html"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(std::fs::read(public.join("index.html")).unwrap(), before);
    let leftovers: Vec<String> = std::fs::read_dir(fixture.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

#[test]
fn killing_a_build_midway_leaves_the_previous_site_intact() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let deling = env!("CARGO_BIN_EXE_deling");
    let synth = std::process::Command::new(deling)
        .args(["dev", "synth", "--records", "600", "--out"])
        .arg(&site)
        .arg("--root")
        .arg(&repo)
        .output()
        .unwrap();
    assert!(synth.status.success());
    let build = || {
        let mut command = std::process::Command::new(deling);
        command
            .arg("build")
            .current_dir(&site)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        command
    };
    let started = std::time::Instant::now();
    assert!(build().status().unwrap().success());
    let took = started.elapsed();
    let snapshot = || -> Vec<(String, Vec<u8>)> {
        let public = site.join("public");
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&public)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let path = e.path().strip_prefix(&public).unwrap();
                (path.display().to_string(), std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot();
    assert!(before.len() > 500);
    // A change, so a finished build would differ; then kills spread over a build's length, the
    // last ones while it writes.
    let record = site.join("content/nettverk/digi-agder/erfaringer/post-00000.md");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        text.replacen("summary = \"", "summary = \"Endret. ", 1),
    )
    .unwrap();
    let mut seen = Vec::new();
    for share in [0.2, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98] {
        let mut child = build().spawn().unwrap();
        let millis = (took.as_millis() as f64 * share) as u64;
        std::thread::sleep(std::time::Duration::from_millis(millis));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        if finished {
            break;
        }
        seen.push((millis, snapshot()));
    }
    assert!(!seen.is_empty(), "no build was killed before it finished");
    assert!(build().status().unwrap().success());
    let after = snapshot();
    assert!(after != before, "a finished build writes the change");
    // A kill after the swap (while the old site is being removed) leaves the new site: whole.
    for (millis, state) in seen {
        assert!(
            state == before || state == after,
            "killed after {millis} ms, the output is neither the previous site nor the new one"
        );
    }
    let leftovers: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// Issue 15: sharing and reuse.

const BARRIER: &str = "content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md";

/// The `content` of `<meta property="og:…">` or `<meta name="twitter:…">` on a page.
fn meta_tag<'h>(html: &'h str, attribute: &str, name: &str) -> Option<&'h str> {
    let start = format!(r#"<meta {attribute}="{name}" content=""#);
    let rest = &html[html.find(&start)? + start.len()..];
    Some(&rest[..rest.find('"')?])
}

#[test]
fn a_shared_link_becomes_a_card_with_the_pages_title_and_summary() {
    let files = Fixture::new("minimal").build();
    let barrier = text(&files, "hindringer/deling-av-opplysningar/index.html");
    for (attribute, name, value) in [
        ("property", "og:type", "article"),
        (
            "property",
            "og:title",
            "Deling av opplysningar mellom tenester",
        ),
        (
            "property",
            "og:description",
            "Teieplikta gjer det vanskeleg å dele opplysningar mellom helse og NAV.",
        ),
        (
            "property",
            "og:url",
            "https://example.org/deling/hindringer/deling-av-opplysningar/",
        ),
        ("property", "og:site_name", "Deling test"),
        ("property", "og:locale", "nn_NO"),
        ("name", "twitter:card", "summary"),
    ] {
        assert_eq!(meta_tag(&barrier, attribute, name), Some(value), "{name}");
    }
    // X reads the title and description from Open Graph; every page repeating them cost bytes.
    assert_eq!(meta_tag(&barrier, "name", "twitter:title"), None);
    assert_eq!(meta_tag(&barrier, "name", "twitter:description"), None);
    let list = text(&files, "erfaringer/index.html");
    assert_eq!(meta_tag(&list, "property", "og:type"), Some("website"));
    assert_eq!(meta_tag(&list, "property", "og:title"), Some("Erfaringer"));
    assert_eq!(meta_tag(&list, "property", "og:locale"), Some("nb_NO"));
    assert_eq!(
        meta_tag(&list, "property", "og:description"),
        Some("Hva kommuner har gjort, hva som virket, og hva som ikke gjorde det.")
    );
    let network = text(&files, "nettverk/digi-agder/index.html");
    assert_eq!(
        meta_tag(&network, "property", "og:description"),
        Some("Digitaliseringsnettverket for kommunene i Agder.")
    );
    assert_eq!(
        meta_tag(&list, "property", "og:url"),
        Some("https://example.org/deling/erfaringer/")
    );
    let front = text(&files, "index.html");
    assert_eq!(
        meta_tag(&front, "property", "og:title"),
        Some("Deling test")
    );
    assert_eq!(
        meta_tag(&front, "property", "og:description"),
        Some("Testnettsted.")
    );
    assert!(front.contains(r#"<link rel="canonical" href="https://example.org/deling/">"#));
    for path in files.paths().filter(|p| p.ends_with(".html")) {
        let html = text(&files, path);
        assert!(!html.contains("og:image"), "{path} names an image to fetch");
        assert!(
            html.contains(r#"<meta property="og:url" content="https://"#),
            "{path}"
        );
    }
}

#[test]
fn the_front_page_has_one_search_field_not_two() {
    let files = Fixture::new("minimal").build();
    let front = text(&files, "index.html");
    assert_eq!(front.matches(r#"role="search""#).count(), 1);
    assert!(front.contains(r#"id="hero-search""#));
    assert!(!front.contains(r#"id="header-search""#));
    let search = text(&files, "sok/index.html");
    assert_eq!(search.matches(r#"role="search""#).count(), 1);
    // Every other page keeps the header's field.
    assert!(text(&files, "erfaringer/index.html").contains(r#"id="header-search""#));
}

#[test]
fn a_printout_shows_the_address_of_the_page() {
    let files = Fixture::new("minimal").build();
    let html = text(&files, "erfaringer/digital-sosialhjelp/index.html");
    assert!(html.contains(
        r#"<p class="print-address">Nettadresse: https://example.org/deling/erfaringer/digital-sosialhjelp/</p>"#
    ));
    let css = text(&files, "css/deling.css");
    assert!(css.contains(".print-address { display: none; }"));
}

#[test]
fn the_licence_of_content_and_open_data_is_stated() {
    let files = Fixture::new("minimal").build();
    let json: serde_json::Value =
        serde_json::from_slice(files.get("data/poster.json").unwrap()).unwrap();
    assert_eq!(json["licence"]["id"], "NLOD-2.0");
    assert_eq!(json["licence"]["url"], "https://data.norge.no/nlod/no/2.0");
    assert!(json["licence"]["name"].as_str().unwrap().contains("NLOD"));
    let schema: serde_json::Value =
        serde_json::from_slice(files.get("data/poster.schema.json").unwrap()).unwrap();
    assert!(
        schema["required"]
            .as_array()
            .unwrap()
            .contains(&"licence".into())
    );
    let data = text(&files, "data/index.html");
    assert!(data.contains(r#"<a href="https://data.norge.no/nlod/no/2.0" hreflang="no">"#));
    assert!(
        data.contains("CC BY 4.0"),
        "the page says how NLOD relates to CC BY"
    );
    assert!(
        data.contains("semikolonseparerte"),
        "the page says how the CSV is written"
    );
    assert!(text(&files, "index.html").contains("https://data.norge.no/nlod/no/2.0"));
}

/// Reads a CSV file of the site as Norwegian Excel would: a BOM first, then `;`-separated cells.
fn read_csv(files: &deling::output::SiteFiles, path: &str) -> Vec<Vec<String>> {
    let bytes = files.get(path).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "{path} starts without the BOM that tells Excel it is UTF-8"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn every_kind_has_a_csv_that_norwegian_excel_reads() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        BARRIER,
        r#"reported_by = "Kommunalsjef, Bergen kommune""#,
        r#"reported_by = "Kommunalsjef; \"Bergen\"\nkommune""#,
    );
    let files = fixture.build();
    for (path, columns, title) in [
        ("data/erfaringer.csv", 11, "Digital søknad om sosialhjelp"),
        (
            "data/hindringer.csv",
            12,
            "Deling av opplysningar mellom tenester",
        ),
        (
            "data/prosjekter.csv",
            13,
            "Felles innlogging for kommunale tenester",
        ),
    ] {
        let rows = read_csv(&files, path);
        assert_eq!(rows.len(), 2, "{path}: a header and one record");
        for row in &rows {
            assert_eq!(row.len(), columns, "{path}: {row:?}");
        }
        assert_eq!(rows[0][0], "id");
        assert_eq!(rows[1][1], title, "{path}: æøå intact");
    }
    let barriers = read_csv(&files, "data/hindringer.csv");
    let reported = barriers[0].iter().position(|c| c == "meldt_av").unwrap();
    assert_eq!(barriers[1][reported], "Kommunalsjef; \"Bergen\"\nkommune");
    // Number and name: a bare «0301» would lose its zero in a spreadsheet.
    let municipalities = barriers[0].iter().position(|c| c == "kommuner").unwrap();
    assert_eq!(barriers[1][municipalities], "4601 Bergen");
}

#[test]
fn a_csv_cell_that_a_spreadsheet_would_run_as_a_formula_stays_text() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        BARRIER,
        r#"reported_by = "Kommunalsjef, Bergen kommune""#,
        r#"reported_by = "=HYPERLINK(\"https://example.com\")""#,
    );
    let barriers = read_csv(&fixture.build(), "data/hindringer.csv");
    let reported = barriers[0].iter().position(|c| c == "meldt_av").unwrap();
    assert_eq!(
        barriers[1][reported],
        "'=HYPERLINK(\"https://example.com\")"
    );
}

#[test]
fn a_reader_can_follow_one_barrier_in_its_own_feed() {
    let files = Fixture::new("minimal").build();
    let path = "hindringer/deling-av-opplysningar/atom.xml";
    let xml = text(&files, path);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert!(feed.has_tag_name((atom, "feed")));
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|n| n.has_tag_name((atom, name)))
            .and_then(|n| n.text().map(String::from))
    };
    assert_eq!(
        child(feed, "id").as_deref(),
        Some("https://example.org/deling/hindringer/deling-av-opplysningar/atom.xml")
    );
    assert_eq!(
        child(feed, "updated").as_deref(),
        Some("2024-09-10T00:00:00Z")
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .collect();
    // Published, and the two entries of its status log.
    assert_eq!(entries.len(), 3);
    let mut ids: Vec<String> = Vec::new();
    for entry in &entries {
        for required in ["id", "title", "updated", "summary"] {
            assert!(
                child(*entry, required).is_some(),
                "an entry lacks {required}"
            );
        }
        let author = entry.children().find(|n| n.has_tag_name((atom, "author")));
        assert!(author.is_some(), "Atom needs an author for every entry");
        ids.push(child(*entry, "id").unwrap());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "entry ids are unique");
    let newest = entries[0];
    assert_eq!(
        child(newest, "title").as_deref(),
        Some("Status: sendt departementet – Deling av opplysningar mellom tenester")
    );
    assert_eq!(child(newest, "summary").as_deref(), Some("Sendt via KS."));
    let page = text(&files, "hindringer/deling-av-opplysningar/index.html");
    let href = r#"href="/deling/hindringer/deling-av-opplysningar/atom.xml""#;
    assert!(page.contains(&format!(
        r#"<link rel="alternate" type="application/atom+xml" title="Følg denne posten (Atom): Deling av opplysningar mellom tenester" {href}>"#
    )));
    assert!(page.contains(&format!(
        r#"<a {href} type="application/atom+xml">Følg denne posten (Atom)</a>"#
    )));
    assert!(files.contains("prosjekter/felles-innlogging/atom.xml"));
    // A record changed after it was published has an entry for the change.
    let practice = text(&files, "erfaringer/digital-sosialhjelp/atom.xml");
    assert_eq!(practice.matches("<entry>").count(), 2);
    assert!(practice.contains("<title>Endret – Digital søknad om sosialhjelp</title>"));
    assert!(practice.contains(
        "<id>https://example.org/deling/erfaringer/digital-sosialhjelp/#endret-2025-06-01</id>"
    ));
}

/// «Søket er oppdatert siden siden ble lastet» read as a slip: no interface string, in any
/// language, has the same word twice in a row.
#[test]
fn no_interface_string_repeats_a_word() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes/default/i18n");
    let mut repeated = Vec::new();
    for lang in ["nb", "nn", "en"] {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.toml"))).unwrap();
        let table: toml::Table = text.parse().unwrap();
        for (key, value) in &table {
            let Some(value) = value.as_str() else {
                continue;
            };
            let words: Vec<String> = value
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            if words.windows(2).any(|pair| pair[0] == pair[1]) {
                repeated.push(format!("{lang}.toml {key}: {value}"));
            }
        }
    }
    assert!(repeated.is_empty(), "{repeated:#?}");
}

/// The table row of `/statistikk/`'s section `section` whose heading cell holds `label`.
fn statistics_row<'p>(page: &'p str, section: &str, label: &str) -> &'p str {
    let start = page
        .find(&format!("<section class=\"stats__chart\" id=\"{section}\""))
        .unwrap_or_else(|| panic!("no section {section}"));
    let section_text = &page[start..start + page[start..].find("</section>").unwrap()];
    let section_text = &section_text[section_text.find("<tbody>").expect("a table")..];
    let at = section_text
        .find(&format!(">{label}<"))
        .unwrap_or_else(|| panic!("no row {label} in {section}: {section_text}"));
    let row_start = section_text[..at].rfind("<tr>").unwrap();
    let row_end = at + section_text[at..].find("</tr>").unwrap();
    &section_text[row_start..row_end]
}

/// The numbers in a table row, in order.
fn numbers(row: &str) -> Vec<usize> {
    row.split("<td class=\"stats__number\">")
        .skip(1)
        .map(|cell| cell.split('<').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn statistics_tables_count_the_records_and_link_to_them() {
    let files = Fixture::new("minimal").build();
    let page = text(&files, "statistikk/index.html");
    let sent = statistics_row(&page, "status", "sendt departementet");
    assert_eq!(numbers(sent), vec![1]);
    assert!(sent.contains("href=\"/deling/hindringer/status/sendt-departementet/\""));
    let reported = statistics_row(&page, "status", "meldt");
    assert_eq!(numbers(reported), vec![0]);
    assert!(
        !reported.contains("href"),
        "a row of 0 links nowhere: {reported}"
    );
    let ministry = statistics_row(&page, "departement", "Helse- og omsorgsdepartementet");
    assert_eq!(numbers(ministry), vec![1]);
    assert!(ministry.contains("href=\"/deling/hindringer/departement/hod/\""));
    // The register's filtered pages the charts link to exist.
    assert!(files.contains("hindringer/status/sendt-departementet/index.html"));
    assert!(files.contains("hindringer/departement/hod/index.html"));
    // Sent on 10 September 2024, counted to the newest date in the content (1 June 2025).
    assert!(page.contains("regnet fram til 1. juni 2025"), "{page}");
    let waiting = statistics_row(&page, "ventetid", "180–364 dager");
    assert_eq!(numbers(waiting), vec![1]);
    // A Nynorsk title on a Bokmål page says so.
    assert!(waiting.contains("href=\"/deling/hindringer/deling-av-opplysningar/\" lang=\"nn\""));
    assert_eq!(
        numbers(statistics_row(&page, "ventetid", "Under 90 dager")),
        vec![0]
    );
    // Per network: the total, then per year (2024, 2025).
    let agder = statistics_row(&page, "nettverk", "Digi Agder");
    assert_eq!(numbers(agder), vec![2, 0, 2]);
    assert!(agder.contains("href=\"/deling/nettverk/digi-agder/\""));
    assert_eq!(
        numbers(statistics_row(&page, "nettverk", "Digi Vestland")),
        vec![1, 1, 0]
    );
    let vestland = statistics_row(&page, "fylke", "Vestland");
    assert_eq!(numbers(vestland), vec![1, 1, 0]);
    assert!(vestland.contains("href=\"/deling/sok/?municipality=4601\""));
    assert_eq!(
        numbers(statistics_row(&page, "fylke", "Oslo")),
        vec![0, 0, 0]
    );
    // The tile map prints each county's number on its tile, darkest for the most.
    assert!(page.contains(
        "tilemap--r4 tilemap--c0 tilemap--l4\"><a href=\"/deling/sok/?municipality=4601\"><span class=\"tilemap__name\">Vestland</span> <span class=\"tilemap__count\">1<"
    ));
    assert!(page.contains(
        "tilemap--l0\"><span><span class=\"tilemap__name\">Oslo</span> <span class=\"tilemap__count\">0<"
    ));
    // Solutions: records, then the municipalities they name.
    let id_porten = statistics_row(&page, "losninger", "ID-porten");
    assert_eq!(numbers(id_porten), vec![2, 2]);
    assert!(id_porten.contains("href=\"/deling/losninger/id-porten/\""));
    // Reached from every page's footer, and listed in the sitemap.
    assert!(text(&files, "index.html").contains("href=\"/deling/statistikk/\""));
    assert!(text(&files, "sitemap.xml").contains("/deling/statistikk/</loc>"));
}

#[test]
fn statistics_without_barriers_say_there_is_no_data_instead_of_drawing_empty_charts() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        PRACTICE,
        "[hindringen](@/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md#kva-som-hindrar)",
        "hindringen",
    );
    std::fs::remove_file(
        fixture
            .root()
            .join("content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md"),
    )
    .unwrap();
    let page = text(&fixture.build(), "statistikk/index.html");
    let sections: Vec<&str> = page
        .split("<section class=\"stats__chart\"")
        .skip(1)
        .collect();
    assert_eq!(sections.len(), 6);
    for barrier_chart in &sections[..3] {
        assert!(
            barrier_chart.contains("Ingen data ennå."),
            "{barrier_chart}"
        );
        assert!(!barrier_chart.contains("<svg"), "{barrier_chart}");
        assert!(!barrier_chart.contains("<table"), "{barrier_chart}");
    }
    // The other charts still count the practice and the project.
    assert!(sections[3].contains("<svg") && !sections[3].contains("Ingen data ennå."));
}

/// Two status-log entries of one day and status (a note added later) gave two feed entries
/// with one id, which feed readers take for one entry.
#[test]
fn a_record_feed_gives_two_entries_of_one_day_and_status_different_ids() {
    let fixture = Fixture::new("minimal");
    fixture.edit(
        BARRIER,
        "note = \"Sendt via KS.\"",
        "note = \"Sendt via KS.\"\n\n[[status_log]]\ndate = 2024-09-10\nstatus = \"sendt departementet\"\nnote = \"Purret.\"",
    );
    let xml = text(
        &fixture.build(),
        "hindringer/deling-av-opplysningar/atom.xml",
    );
    let ids: Vec<&str> = xml
        .split("<id>")
        .skip(2)
        .map(|rest| rest.split('<').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 4, "{xml}");
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:#?}");
    assert!(
        ids.iter()
            .any(|id| id.ends_with("#status-2024-09-10-sendt-departementet-2"))
    );
}

/// A record is listed on each of its terms' pages, its network's, the registers' filtered views
/// and other records' related lists; each repeating its summary made the site grow by tens of
/// kilobytes per record (issue 16). Those lists link; the kind's overview and the record's own
/// page still show the summary.
#[test]
fn lists_a_record_is_on_many_times_link_to_it_rather_than_repeat_its_summary() {
    let files = Fixture::new("minimal").build();
    let summary = "Kristiansand tok i bruk digital søknad om økonomisk sosialhjelp.";
    let link =
        r#"<a href="/deling/erfaringer/digital-sosialhjelp/">Digital søknad om sosialhjelp</a>"#;
    for page in [
        "erfaringer/index.html",
        "erfaringer/digital-sosialhjelp/index.html",
    ] {
        assert!(text(&files, page).contains(summary), "{page}");
    }
    let linking = [
        "tjenesteomrader/sosiale-tjenester/index.html",
        "losninger/digisos/index.html",
        "nettverk/digi-agder/index.html",
        "erfaringer/modenhet/i-drift/index.html",
    ];
    for page in linking {
        let html = text(&files, page);
        assert!(html.contains(link), "{page} links the record");
        assert!(!html.contains(summary), "{page} repeats the summary");
    }
    let related = files
        .paths()
        .filter(|p| p.ends_with("/index.html") && *p != "erfaringer/digital-sosialhjelp/index.html")
        .map(|p| text(&files, p))
        .find(|html| html.contains("related-title") && html.contains(link))
        .expect("a record lists the practice as related");
    assert!(!related.contains(summary));
}
