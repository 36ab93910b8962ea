//! Snapshot tests of Markdown rendering: review changes to these like code.

use deling::content::Markdown;
use deling::diagnostics::Pos;
use deling::markdown::{LinkTargets, Words, render};
use std::collections::BTreeMap;
use std::path::Path;

const WORDS: Words = Words {
    footnotes: "Fotnoter",
    footnote_back: "Tilbake til teksten, fotnote",
};

fn render_snapshot(text: &str) -> String {
    let paths: BTreeMap<String, String> = [(
        "nettverk/digi-agder/erfaringer/a.md".to_string(),
        "erfaringer/a/".to_string(),
    )]
    .into();
    let targets = LinkTargets {
        paths: &paths,
        root: "/deling/",
        media: &deling::media::MediaFiles::new(),
    };
    let md = Markdown {
        text: text.to_string(),
        origin: Pos::new(10, 1),
    };
    let mut problems = Vec::new();
    let rendered = render(
        &md,
        2,
        WORDS,
        Path::new("content/x.md"),
        &targets,
        &mut problems,
    );
    let mut out = rendered.html;
    out.push_str("\n--- toc ---\n");
    for entry in &rendered.toc {
        out.push_str(&format!("{} {} #{}\n", entry.level, entry.title, entry.id));
    }
    out.push_str("--- problems ---\n");
    for p in &problems {
        out.push_str(&format!("{p}\n"));
    }
    out
}

#[test]
fn github_flavoured_markdown() {
    insta::assert_snapshot!(render_snapshot(
        "## Bakgrunn\n\nTekst med ~~stryk~~ og https://www.ks.no.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n- [x] ferdig\n- [ ] igjen\n\nFotnote.[^1]\n\n### Bakgrunn\n\n[^1]: Kilde.\n"
    ));
}

#[test]
fn contributor_h1_is_moved_below_the_page_title() {
    insta::assert_snapshot!(render_snapshot("# Hovud\n\n## Under\n"));
}

#[test]
fn internal_links_resolve_and_broken_ones_are_reported() {
    insta::assert_snapshot!(render_snapshot(
        "Se [a](@/nettverk/digi-agder/erfaringer/a.md#steg) og [b](@/nettverk/digi-agder/erfaringer/b.md).\n\nOg [relativ](../a.md).\n"
    ));
}

#[test]
fn raw_html_and_dangerous_links_are_neutralised() {
    insta::assert_snapshot!(render_snapshot(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[lenke](javascript:alert(1)) [data](DATA:text/html,x) ![bilde](https://evil.example/x.png)\n\n{{ config }} {% if true %}x{% endif %}\n"
    ));
}

#[test]
fn headings_sit_below_the_template_heading() {
    let paths = BTreeMap::new();
    let targets = LinkTargets {
        paths: &paths,
        root: "/",
        media: &deling::media::MediaFiles::new(),
    };
    let render_at = |text: &str, level: u8| {
        let md = Markdown {
            text: text.into(),
            origin: Pos::START,
        };
        render(
            &md,
            level,
            WORDS,
            Path::new("x.md"),
            &targets,
            &mut Vec::new(),
        )
        .html
    };
    // Under a section heading (h2), a contributor's ## becomes h3 and ### becomes h4.
    let html = render_at("## To\n\n### Tre\n", 3);
    assert!(
        html.contains(r#"<h3 id="to">"#) && html.contains(r#"<h4 id="tre">"#),
        "{html}"
    );
    // Headings already low enough are never promoted.
    let html = render_at("#### Fire\n", 3);
    assert!(html.contains(r#"<h4 id="fire">"#), "{html}");
}
