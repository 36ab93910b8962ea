//! Markdown to HTML with comrak, made safe for text from many contributors.
//!
//! - GitHub extensions: tables, strikethrough, autolinks, task lists, footnotes.
//! - Raw HTML is escaped (shown as text), never passed through; `javascript:`, `vbscript:`,
//!   `data:` and `file:` links are turned into plain text; images from other sites are refused,
//!   because the site must make no third-party requests.
//! - Internal links are written `@/nettverk/x/erfaringer/y.md#anker` (relative to `content/`)
//!   and become the target page's URL; the anchor is checked once every page is rendered.
//! - Headings get ids and feed a table of contents. Headings are moved down so the text's
//!   highest heading sits below the template's own (the page's only `h1` is the record's title).

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::{AstNode, NodeValue, Sourcepos};
use comrak::options::Plugins;
use comrak::{Anchorizer, Arena, Options, format_html_with_plugins, parse_document};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::path::Path;
use std::sync::Mutex;

use crate::content::Markdown;
use crate::diagnostics::{Diagnostic, Pos};
use crate::html::escape_html;
use crate::media::{MediaFiles, RecordFiles, refer};

/// What links resolve against: every record's site path by its path under `content/`, and the
/// site's root path (e.g. `/deling/`).
pub struct LinkTargets<'a> {
    pub paths: &'a BTreeMap<String, String>,
    pub root: &'a str,
    /// Records' images and documents, by record file: a text finds its own record's here.
    pub media: &'a MediaFiles,
}

/// The words the renderer writes itself (around comrak's footnotes), in the text's language:
/// the theme's `footnotes` and `footnote_back` strings.
#[derive(Debug, Clone, Copy)]
pub struct Words<'a> {
    pub footnotes: &'a str,
    pub footnote_back: &'a str,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// The text a reader sees, without markup, for the search index.
    pub text: String,
    pub toc: Vec<TocEntry>,
    /// Heading ids, for checking links with `#anker` into this text.
    pub anchors: Vec<String>,
    pub links: Vec<InternalLink>,
    /// The names of the record's files the text shows or links to.
    pub files: BTreeSet<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub title: String,
    pub id: String,
}

/// The ids the theme's templates give their own elements, which no heading may take (a test
/// keeps this list in step with the templates).
pub const TEMPLATE_IDS: &[&str] = &[
    "hovedinnhold",
    "areas-title",
    "barriers-caption",
    "register-filters-heading",
    "register-note",
    "register-status",
    "contribute-title",
    "facts-title",
    "header-search",
    "hero-search",
    "latest-title",
    "networks-title",
    "preview-title",
    "records-title",
    "related-title",
    "search-app",
    "search-clear",
    "search-facets",
    "search-fallback",
    "search-fallback-text",
    "search-filters",
    "search-more",
    "search-page-q",
    "search-results",
    "search-status",
    // Issue 15: the sections of record pages, listed in "Innhold på siden".
    "section-about",
    "section-attachments",
    "section-blocks",
    "section-consequence",
    "section-contact",
    "section-deliverables",
    "section-legal",
    "section-lessons",
    "section-problem",
    "section-proposal",
    "section-purpose",
    "section-results",
    "section-reuse",
    "section-sources",
    "section-status-log",
    "section-what",
    "toc-title",
    "ways-title",
];

/// An `@/…` link, kept so its target can be checked once every text is rendered: that it is
/// published, and that its `#anchor` (empty if none) is one of the target's headings.
#[derive(Debug, Clone)]
pub struct InternalLink {
    pub target: String,
    pub anchor: String,
    pub pos: Pos,
}

fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.render.escape = true;
    options
}

/// Renders `md`; problems (broken links, unsafe links) go to `problems` with file positions.
/// `top_level` is the level the text's highest heading must have: 3 for text that a template
/// puts under its own `h2` section heading, 2 for text directly under the page's `h1`.
pub fn render(
    md: &Markdown,
    top_level: u8,
    words: Words<'_>,
    file: &Path,
    targets: &LinkTargets<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Rendered {
    let arena = Arena::new();
    let options = options();
    let root = parse_document(&arena, &md.text, &options);
    let mut walk = Walk {
        md,
        file,
        targets,
        problems,
        shift: top_level.saturating_sub(highest_heading(root).unwrap_or(top_level)),
        heading_ids: HeadingIds::default(),
        rendered: Rendered::default(),
        removed: Vec::new(),
        replaced: Vec::new(),
        files: targets.media.get(file),
        folder_url: folder_url(file, targets),
    };
    for node in root.descendants() {
        walk.visit(node);
    }
    // Replace unsafe links and images by their text, so nothing is lost but the address.
    for node in std::mem::take(&mut walk.removed) {
        while let Some(child) = node.first_child() {
            node.insert_before(child);
        }
        node.detach();
    }
    // Images of the record's own folder become responsive images, or figures.
    for (node, html) in std::mem::take(&mut walk.replaced) {
        let raw = arena.alloc(AstNode::from(NodeValue::Raw(html)));
        node.insert_before(raw);
        node.detach();
    }
    let mut rendered = walk.rendered;
    rendered.text = plain_text(root);
    rendered.html = to_html(root, &options, &rendered.anchors, words, top_level);
    rendered
}

fn highest_heading<'a>(root: &'a AstNode<'a>) -> Option<u8> {
    root.descendants()
        .filter_map(|n| match &n.data().value {
            NodeValue::Heading(h) => Some(h.level),
            _ => None,
        })
        .min()
}

/// Gives a text's headings their ids, with the template's own ids taken first, so a
/// contributor's heading "Hovedinnhold" becomes `hovedinnhold-1` instead of taking the id the
/// skip link and the main landmark use. A template id is given to the anchorizer only when a
/// heading could meet it (its anchor, or the anchor with a `-N` suffix): giving it all of them
/// for every text with a heading was 1.7 % of a build. Each template id is its own anchor (a
/// test checks), so the anchorizer ends up as if it had taken them all first.
#[derive(Default)]
struct HeadingIds {
    anchorizer: Anchorizer,
    /// Which of [`TEMPLATE_IDS`] the anchorizer has taken, a bit each.
    taken: u64,
}

const _: () = assert!(TEMPLATE_IDS.len() <= u64::BITS as usize);

impl HeadingIds {
    fn id(&mut self, title: &str) -> String {
        let anchor = Anchorizer::new().anchorize(title);
        for (i, id) in TEMPLATE_IDS.iter().enumerate() {
            let meets = id
                .strip_prefix(anchor.as_str())
                .is_some_and(|rest| rest.is_empty() || is_suffix(rest));
            if meets && self.taken & (1 << i) == 0 {
                self.anchorizer.anchorize(id);
                self.taken |= 1 << i;
            }
        }
        self.anchorizer.anchorize(title)
    }
}

/// Whether `rest` is an anchor's `-N` suffix.
fn is_suffix(rest: &str) -> bool {
    rest.strip_prefix('-')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// One walk over a text's nodes: headings get their level and id, links are resolved or
/// removed, images are refused.
struct Walk<'w, 'a> {
    md: &'w Markdown,
    file: &'w Path,
    targets: &'w LinkTargets<'w>,
    problems: &'w mut Vec<Diagnostic>,
    /// How many levels headings move down.
    shift: u8,
    heading_ids: HeadingIds,
    rendered: Rendered,
    /// Unsafe links and images, replaced by their text once the walk is done.
    removed: Vec<&'a AstNode<'a>>,
    /// Images (or the paragraph that holds only an image with a caption), replaced by HTML.
    replaced: Vec<(&'a AstNode<'a>, String)>,
    /// The files in the record's folder, if the text is a record's and it has any.
    files: Option<&'w RecordFiles>,
    /// The address of the record's page, where its files are published.
    folder_url: String,
}

impl<'a> Walk<'_, 'a> {
    fn position(&self, sp: Sourcepos) -> Pos {
        let origin = self.md.origin;
        let line = origin.line + sp.start.line - 1;
        let column = if sp.start.line == 1 {
            origin.column + sp.start.column - 1
        } else {
            sp.start.column
        };
        Pos::new(line, column)
    }

    fn visit(&mut self, node: &'a AstNode<'a>) {
        let pos = self.position(node.data().sourcepos);
        // Read a heading's text before borrowing the node mutably: the text lives in its children.
        let heading_text = matches!(
            node.data().value,
            NodeValue::Heading(_) | NodeValue::Image(_)
        )
        .then(|| node_text(node));
        let mut data = node.data_mut();
        match &mut data.value {
            NodeValue::Heading(heading) => {
                heading.level = (heading.level + self.shift).min(6);
                let title = heading_text.unwrap_or_default();
                let id = self.heading_ids.id(&title);
                self.rendered.toc.push(TocEntry {
                    level: heading.level,
                    title,
                    id: id.clone(),
                });
                self.rendered.anchors.push(id);
            }
            NodeValue::Link(link) => {
                let unsafe_link = self.link(&mut link.url, pos);
                if unsafe_link {
                    self.removed.push(node);
                }
            }
            NodeValue::Image(image) => {
                let (url, title) = (image.url.clone(), image.title.clone());
                drop(data);
                let alt = heading_text.unwrap_or_default();
                self.image(node, &url, &title, &alt, pos);
            }
            _ => {}
        }
    }

    /// An image of the record's own folder becomes a responsive image; any other is refused
    /// and replaced by its alt text.
    fn image(&mut self, node: &'a AstNode<'a>, url: &str, title: &str, alt: &str, pos: Pos) {
        if refer::is_remote(url) || is_dangerous(url) {
            self.problems.push(
                Diagnostic::error(self.file, pos, format!("bildet «{url}» ligger på et annet nettsted"))
                    .with_help("nettstedet henter ikke noe fra andre nettsteder; last ned bildet, legg det i postens mappe og skriv bare filnavnet, for eksempel ![Hva bildet viser](bilde.png)"),
            );
            self.removed.push(node);
            return;
        }
        let asset = match refer::find(self.files, url, self.file, pos, true) {
            Ok(asset) => asset,
            Err(problem) => {
                self.problems.push(problem);
                self.removed.push(node);
                return;
            }
        };
        self.rendered.files.insert(asset.name.clone());
        self.problems
            .extend(refer::alt_problem(alt, asset, self.file, pos));
        // A captioned image alone in its paragraph is a figure, which a paragraph cannot hold.
        let parent = node.parent().filter(|p| {
            matches!(p.data().value, NodeValue::Paragraph)
                && p.first_child().is_some_and(|c| c.same_node(node))
                && p.last_child().is_some_and(|c| c.same_node(node))
        });
        match parent {
            Some(paragraph) if !title.trim().is_empty() => {
                let html = refer::image_html(asset, &self.folder_url, alt, Some(title.trim()));
                self.replaced.push((paragraph, html));
            }
            _ => {
                let html = refer::image_html(asset, &self.folder_url, alt, None);
                self.replaced.push((node, html));
            }
        }
    }

    /// Resolves an `@/` link, reports a relative one; `true` if the link must go.
    fn link(&mut self, url: &mut String, pos: Pos) -> bool {
        let file = self.file;
        if is_dangerous(url) {
            self.problems.push(
                Diagnostic::warning(
                    file,
                    pos,
                    format!("lenken «{url}» er fjernet fordi den kan kjøre kode"),
                )
                .with_help("bruk en vanlig nettadresse som begynner med https://"),
            );
            return true;
        }
        if let Some(target) = url.strip_prefix("@/") {
            let (resolved, internal) = resolve(target, self.targets, file, pos, self.problems);
            *url = resolved;
            self.rendered.links.extend(internal);
        } else if refer::is_file_link(url) {
            match refer::find(self.files, url, file, pos, false) {
                Ok(asset) => {
                    self.rendered.files.insert(asset.name.clone());
                    *url = refer::url(asset, &self.folder_url);
                }
                Err(problem) => self.problems.push(problem),
            }
        } else if looks_like_relative_content_link(url) {
            self.problems.push(
                Diagnostic::error(file, pos, format!("lenken «{url}» peker til en fil med relativ sti"))
                    .with_help("skriv interne lenker fra content-mappen med @/ foran, for eksempel @/nettverk/digi-agder/erfaringer/fil.md"),
            );
        }
        false
    }
}

/// The address of a record's page, where its files are published; empty for other texts.
fn folder_url(file: &Path, targets: &LinkTargets<'_>) -> String {
    let relative = crate::paths::content_relative(file);
    targets
        .paths
        .get(&relative)
        .map(|path| format!("{}{path}", targets.root))
        .unwrap_or_default()
}

/// The HTML of a walked text, headings with the ids the walk gave them.
fn to_html<'a>(
    root: &'a AstNode<'a>,
    options: &Options<'_>,
    anchors: &[String],
    words: Words<'_>,
    top_level: u8,
) -> String {
    let ids = IdsInOrder(Mutex::new(anchors.iter().cloned().collect()));
    let mut plugins = Plugins::default();
    plugins.render.heading_adapter = Some(&ids);
    let mut html = String::new();
    format_html_with_plugins(root, options, &mut html, &plugins)
        .expect("writing to a String cannot fail");
    // comrak labels footnote back-links in English, and its footnotes section has no heading;
    // it gets one for screen readers' heading lists (and the HTML checker), at the level of the
    // text's own top headings. Raw HTML in content is escaped, so only comrak can have written
    // these.
    let footnotes = escape_html(words.footnotes);
    let footnote_back = escape_html(words.footnote_back);
    html.replace(
        "aria-label=\"Back to reference ",
        &format!("aria-label=\"{footnote_back} "),
    )
    .replace(
        "<section class=\"footnotes\" data-footnotes>\n",
        &format!(
            "<section class=\"footnotes\" data-footnotes>\n<h{top_level} class=\"visually-hidden\">{footnotes}</h{top_level}>\n"
        ),
    )
}

/// The text a reader sees, without markup, for the search index: each block starts on a new
/// line, and inline markup joins what it wraps (`**B**ergen` is one word). Raw HTML, shown as
/// text on the page, is text here too; footnote numbers and back-links, which only point, are
/// left out.
fn plain_text<'a>(root: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    let new_line = |text: &mut String| {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
    };
    for node in root.descendants() {
        match &node.data().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            NodeValue::HtmlInline(html) => text.push_str(html),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push('\n'),
            NodeValue::CodeBlock(c) => {
                new_line(&mut text);
                text.push_str(&c.literal);
            }
            NodeValue::HtmlBlock(html) => {
                new_line(&mut text);
                text.push_str(&html.literal);
            }
            value if value.block() => new_line(&mut text),
            _ => {}
        }
    }
    text
}

fn node_text<'a>(node: &'a comrak::nodes::AstNode<'a>) -> String {
    let mut text = String::new();
    for n in node.descendants() {
        match &n.data().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            _ => {}
        }
    }
    text
}

fn resolve(
    target: &str,
    targets: &LinkTargets<'_>,
    file: &Path,
    pos: Pos,
    problems: &mut Vec<Diagnostic>,
) -> (String, Option<InternalLink>) {
    let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
    match targets.paths.get(path) {
        Some(site_path) => {
            let mut url = format!("{}{}", targets.root, site_path);
            if !anchor.is_empty() {
                url.push('#');
                url.push_str(anchor);
            }
            let link = InternalLink {
                target: path.to_string(),
                anchor: anchor.to_string(),
                pos,
            };
            (url, Some(link))
        }
        None => {
            let mut help = "skriv stien fra content-mappen, for eksempel @/nettverk/digi-agder/erfaringer/fil.md".to_string();
            if let Some(best) = similar_path(path, targets.paths.keys().map(String::as_str)) {
                help = format!("mente du @/{best}? {help}");
            }
            problems.push(
                Diagnostic::error(
                    file,
                    pos,
                    format!("lenken peker til «@/{path}», som ikke finnes"),
                )
                .with_help(help),
            );
            (String::new(), None)
        }
    }
}

/// A file with the same name elsewhere (moved to another network or type), else a near-identical path.
fn similar_path<'a>(wanted: &str, paths: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    let name = wanted.rsplit('/').next().unwrap_or(wanted);
    paths
        .clone()
        .find(|p| p.rsplit('/').next() == Some(name))
        .or_else(|| {
            paths
                .map(|p| (strsim::normalized_levenshtein(wanted, p), p))
                .filter(|(score, _)| *score > 0.85)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, p)| p)
        })
}

/// `javascript:` and friends, however they are disguised with case, spaces or control characters.
pub fn is_dangerous(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

fn looks_like_relative_content_link(url: &str) -> bool {
    let path = url.split('#').next().unwrap_or_default();
    !url.contains("://") && !url.starts_with("mailto:") && path.ends_with(".md")
}

/// Writes headings with the ids computed during the walk, in document order, and no
/// English-labelled anchor link (comrak's default).
struct IdsInOrder(Mutex<VecDeque<String>>);

impl HeadingAdapter for IdsInOrder {
    fn enter(
        &self,
        output: &mut dyn fmt::Write,
        heading: &HeadingMeta,
        _: Option<Sourcepos>,
    ) -> fmt::Result {
        let id = self
            .0
            .lock()
            .expect("ids lock")
            .pop_front()
            .unwrap_or_default();
        write!(output, "<h{} id=\"{}\">", heading.level, id)
    }

    fn exit(&self, output: &mut dyn fmt::Write, heading: &HeadingMeta) -> fmt::Result {
        write!(output, "</h{}>", heading.level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_id_is_its_own_anchor_once() {
        let mut anchorizer = Anchorizer::new();
        for id in TEMPLATE_IDS {
            assert_eq!(anchorizer.anchorize(id), *id);
        }
    }

    #[test]
    fn heading_ids_are_those_of_an_anchorizer_that_took_every_template_id_first() {
        let titles = [
            "Hovedinnhold",
            "Fakta",
            "hovedinnhold 1",
            "Hovedinnhold",
            "Facts title",
            "Facts-title",
            "Bakgrunn",
            "Bakgrunn",
            "Hovedinnhold-2",
            "Hovedinnhold",
            "Areas",
            "Header search 1",
            "Header search",
            "Søk",
        ];
        let mut all_first = Anchorizer::new();
        for id in TEMPLATE_IDS {
            all_first.anchorize(id);
        }
        let mut lazily = HeadingIds::default();
        for title in titles {
            assert_eq!(lazily.id(title), all_first.anchorize(title), "«{title}»");
        }
    }

    fn text_of(markdown: &str) -> String {
        let paths = BTreeMap::new();
        let targets = LinkTargets {
            paths: &paths,
            root: "/",
            media: &MediaFiles::new(),
        };
        let md = Markdown {
            text: markdown.to_string(),
            origin: Pos::new(1, 1),
        };
        let words = Words {
            footnotes: "Fotnoter",
            footnote_back: "Tilbake",
        };
        let mut problems = Vec::new();
        render(&md, 3, words, Path::new("x.md"), &targets, &mut problems).text
    }

    #[test]
    fn plain_text_joins_inline_markup_and_separates_blocks() {
        assert_eq!(
            text_of("# Tittel\n\n**B**ergen og `kode` &amp; <b>\n\n- en\n- to"),
            "Tittel\nBergen og kode & <b>\nen\nto"
        );
    }

    #[test]
    fn plain_text_leaves_out_what_only_points() {
        let text = text_of("Tekst[^1] og [lenke](javascript:x).\n\n[^1]: Kilde.");
        assert_eq!(text, "Tekst og lenke.\nKilde.");
        assert!(!text.contains("Fotnoter") && !text.contains('1'), "{text}");
    }

    #[test]
    fn dangerous_schemes_are_recognised_through_disguises() {
        assert!(is_dangerous("javascript:alert(1)"));
        assert!(is_dangerous(" JaVa\tScRiPt:alert(1)"));
        assert!(is_dangerous("data:text/html,<script>"));
        assert!(!is_dangerous("https://lovdata.no/"));
        assert!(!is_dangerous("mailto:post@ks.no"));
    }
}
