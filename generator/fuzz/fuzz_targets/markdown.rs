//! Any record text through the Markdown rendering every record page uses, and what
//! `markdown.rs` promises about the HTML: raw HTML escaped, so every tag is one comrak writes
//! itself; no images; no `javascript:`/`data:`/… link, however disguised.

#![no_main]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use deling::content::Markdown;
use deling::diagnostics::Pos;
use deling::markdown::{LinkTargets, Words, is_dangerous, render};
use libfuzzer_sys::fuzz_target;

/// Internal link targets, so `@/…` links resolve (and near misses get suggestions).
static PATHS: LazyLock<BTreeMap<String, String>> = LazyLock::new(|| {
    [
        (
            "nettverk/digi-agder/erfaringer/digital-post.md",
            "erfaringer/digital-post/",
        ),
        (
            "nasjonalt/hindringer/arkiv-i-skyen.md",
            "hindringer/arkiv-i-skyen/",
        ),
        ("nettverk/digi-agder/index.md", "nettverk/digi-agder/"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
});

/// The elements comrak writes for the enabled extensions (tables, strikethrough, autolinks,
/// task lists, footnotes). Anything else in the output would be contributor HTML let through.
const TAGS: &str = "a blockquote br code del em h1 h2 h3 h4 h5 h6 hr input li ol p pre section \
    strong sup table tbody td th thead tr ul";
/// Never `on…` handlers, `style` (the pages' CSP forbids both) or `src`. (`data-math-style`
/// marks a fenced block whose info string is `math`.)
const ATTRIBUTES: &str = "href title id class align type checked disabled start aria-label \
    data-footnotes data-footnote-ref data-footnote-backref data-footnote-backref-idx \
    data-math-style";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // records are UTF-8 by the time they are rendered
    };
    let md = Markdown {
        text: text.to_string(),
        origin: Pos::new(12, 1),
    };
    let targets = LinkTargets {
        paths: &PATHS,
        root: "/deling/",
        media: &deling::media::MediaFiles::new(),
    };
    // Both levels the templates use; the input's length picks one, so seeds stay plain text.
    let top_level = if text.len() % 2 == 0 { 2 } else { 3 };
    let mut problems = Vec::new();
    let rendered = render(
        &md,
        top_level,
        Words {
            footnotes: "Fotnoter",
            footnote_back: "Tilbake til teksten, fotnote",
        },
        Path::new("content/fuzz.md"),
        &targets,
        &mut problems,
    );
    check_html(&rendered.html);
    for entry in &rendered.toc {
        // The text's highest heading moves to `top_level`, the rest keep their distance.
        assert!(
            (top_level..=6).contains(&entry.level),
            "heading level {} outside {top_level}..=6",
            entry.level
        );
    }
});

/// Walks every tag in the output and checks its name, attributes and link targets.
fn check_html(html: &str) {
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let tag = rest[start + 1..]
            .strip_prefix('/')
            .unwrap_or(&rest[start + 1..]);
        let name_end = tag
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        assert!(
            TAGS.split_whitespace().any(|t| t == name),
            "element <{name}> in {html:?}"
        );
        rest = &tag[name_end..];
        // `name="value"` pairs until `>`; comrak always quotes with `"` and escapes `"` inside.
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix('>').or_else(|| rest.strip_prefix("/>")) {
                rest = after;
                break;
            }
            let name_end = rest
                .find(['=', ' ', '>', '/'])
                .unwrap_or_else(|| panic!("unclosed <{name}> in {html:?}"));
            let attribute = &rest[..name_end];
            assert!(
                ATTRIBUTES.split_whitespace().any(|a| a == attribute),
                "attribute {attribute:?} on <{name}> in {html:?}"
            );
            rest = &rest[name_end..];
            if let Some(quoted) = rest.strip_prefix("=\"") {
                let close = quoted
                    .find('"')
                    .unwrap_or_else(|| panic!("unterminated {attribute} in {html:?}"));
                if attribute == "href" {
                    let url = decode(&quoted[..close]);
                    assert!(!is_dangerous(&url), "dangerous link {url:?} in {html:?}");
                }
                rest = &quoted[close + 1..];
            }
        }
    }
}

/// Undoes the character references a browser would decode in an attribute value.
fn decode(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let entity = &rest[amp + 1..];
        let Some(semi) = entity.find(';') else {
            out.push_str(&rest[amp..]);
            return out;
        };
        let name = &entity[..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        if let Some(c) = decoded {
            out.push(c);
            rest = &entity[semi + 1..];
        } else {
            out.push('&');
            rest = entity;
        }
    }
    out.push_str(rest);
    out
}
