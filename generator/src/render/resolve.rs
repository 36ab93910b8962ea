//! The resolve phase: from a loaded site to one that can be rendered without a content problem.
//!
//! Everything that can find a problem in content after loading happens here: every Markdown
//! text is rendered (drafts included, so `check` finds problems in drafts too), `@/` links are
//! checked against their targets' headings and against drafts, and the records that get pages
//! are put in their order. A [`ResolvedSite`] exists only when the whole run, loading included,
//! reported no error, so rendering never meets half-valid content and checks nothing again.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::{RenderOptions, Theme};
use crate::content::{Details, LoadedSite, Record};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::{Lang, Strings};
use crate::markdown::{self, InternalLink, LinkTargets, Rendered, Words};
use crate::paths::content_relative;

/// The Markdown fields of the record kinds, besides the body. Declared in the order of their
/// names, which is the order their text follows the body's in the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkdownField {
    Consequence,
    Lessons,
    Problem,
    ProposedChange,
    Purpose,
    Results,
    Reuse,
}

/// A record's Markdown, rendered: the body and the Markdown fields of its type.
#[derive(Debug, Clone, Default)]
pub struct RecordHtml {
    pub body: Rendered,
    pub fields: BTreeMap<MarkdownField, String>,
    /// `@/` links in the Markdown fields, checked like the body's.
    pub field_links: Vec<InternalLink>,
}

/// A site with no errors: its Markdown rendered and checked, its records in order. Only
/// [`resolve`] and `again` make one.
pub struct ResolvedSite<'a> {
    pub loaded: &'a LoadedSite,
    resolved: Resolved,
    /// What a reader sees of each record's body and fields (in field-name order), without
    /// markup: the search index's text, parallel to `loaded.records`. Empty for the records
    /// `again` did not render. Not part of [`Resolved`]: the index is its only reader, and it
    /// takes them ([`Self::take_search_texts`]) to free each once it is indexed: kept, they
    /// added 180 MiB to the peak memory of a build of 100,000 records.
    search_texts: Vec<String>,
}

/// What resolving found, owned, so `serve` can keep it for the next refresh.
#[derive(Clone)]
pub struct Resolved {
    /// Positions in `loaded.records` of the records that get pages, newest first.
    order: Vec<usize>,
    /// Every record's Markdown (drafts too), parallel to `loaded.records`.
    records: Vec<Arc<RecordHtml>>,
    networks: BTreeMap<String, Rendered>,
    /// Parallel to `loaded.about`.
    about: Vec<Rendered>,
}

impl<'a> ResolvedSite<'a> {
    /// The records that get pages, newest first.
    pub fn records(&self) -> Vec<&'a Record> {
        let loaded = self.loaded;
        self.resolved
            .order
            .iter()
            .map(|i| &loaded.records[*i])
            .collect()
    }

    /// The rendered Markdown of [`Self::records`], in the same order.
    pub fn record_html(&self) -> Vec<Arc<RecordHtml>> {
        let html = &self.resolved.records;
        self.resolved
            .order
            .iter()
            .map(|i| html[*i].clone())
            .collect()
    }

    /// A network's text as HTML.
    pub fn network_html(&self, id: &str) -> Option<&str> {
        self.resolved.networks.get(id).map(|r| r.html.as_str())
    }

    /// The about pages' texts as HTML, parallel to `loaded.about`.
    pub fn about_html(&self) -> impl Iterator<Item = &str> {
        self.resolved.about.iter().map(|r| r.html.as_str())
    }

    /// Where the record at `index` in `loaded.records` is in [`Self::records`].
    pub fn position(&self, index: usize) -> Option<usize> {
        self.resolved.order.iter().position(|i| *i == index)
    }

    /// The search texts of [`Self::records`], in the same order, taken out of the site.
    pub fn take_search_texts(&mut self) -> Vec<String> {
        let texts = &mut self.search_texts;
        self.resolved
            .order
            .iter()
            .map(|i| std::mem::take(&mut texts[*i]))
            .collect()
    }

    /// What a later `again` starts from.
    pub fn into_resolved(self) -> Resolved {
        self.resolved
    }
}

/// Resolves a loaded site. `None` if this or an earlier phase reported an error (all of them
/// are in `diagnostics`): such a site is never rendered.
pub fn resolve<'a>(
    loaded: &'a LoadedSite,
    theme: &Theme,
    options: &RenderOptions,
    diagnostics: &Diagnostics,
) -> Option<ResolvedSite<'a>> {
    let targets = targets(loaded, theme);
    let networks = loaded
        .networks
        .iter()
        .map(|(id, n)| {
            let html = render_page(&n.file, &n.body, n.language, &targets, theme, diagnostics);
            (id.clone(), html)
        })
        .collect();
    let about = loaded
        .about
        .iter()
        .map(|p| render_page(&p.file, &p.body, p.language, &targets, theme, diagnostics))
        .collect();
    let rendered: Vec<(RecordHtml, String, Vec<Diagnostic>)> = loaded
        .records
        .par_iter()
        .map(|record| render_record(record, &targets, &theme.strings))
        .collect();
    let mut records = Vec::with_capacity(rendered.len());
    let mut search_texts = Vec::with_capacity(rendered.len());
    for (html, text, problems) in rendered {
        diagnostics.extend(problems);
        records.push(Arc::new(html));
        search_texts.push(text);
    }
    let mut order: Vec<usize> = (0..loaded.records.len())
        .filter(|i| options.drafts || !loaded.records[*i].common.draft)
        .collect();
    order.par_sort_by_cached_key(|i| newest_first(&loaded.records[*i]));
    let resolved = Resolved {
        order,
        records,
        networks,
        about,
    };
    checked(loaded, resolved, search_texts, options, diagnostics)
}

/// Resolves a site again after the record at `changed` (in `loaded.records`) was read again in
/// a way that moves it in no list (`deling serve`): only its Markdown is rendered; the rest,
/// and the order, are as `previous` had them. Every link is checked again, since the record's
/// headings may be the anchors of other texts' links.
pub fn again<'a>(
    loaded: &'a LoadedSite,
    previous: &Resolved,
    changed: usize,
    theme: &Theme,
    options: &RenderOptions,
    diagnostics: &Diagnostics,
) -> Option<ResolvedSite<'a>> {
    let mut resolved = previous.clone();
    let (html, text, problems) = render_record(
        &loaded.records[changed],
        &targets(loaded, theme),
        &theme.strings,
    );
    diagnostics.extend(problems);
    resolved.records[changed] = Arc::new(html);
    let mut search_texts = vec![String::new(); loaded.records.len()];
    search_texts[changed] = text;
    checked(loaded, resolved, search_texts, options, diagnostics)
}

fn targets<'a>(loaded: &'a LoadedSite, theme: &'a Theme) -> LinkTargets<'a> {
    LinkTargets {
        paths: &loaded.paths,
        root: theme.urls.root(),
        media: &loaded.media,
    }
}

/// Checks every link and hands out the site if nothing reported an error.
fn checked<'a>(
    loaded: &'a LoadedSite,
    resolved: Resolved,
    search_texts: Vec<String>,
    options: &RenderOptions,
    diagnostics: &Diagnostics,
) -> Option<ResolvedSite<'a>> {
    check_links(loaded, &resolved, options, diagnostics);
    (!diagnostics.has_errors()).then_some(ResolvedSite {
        loaded,
        resolved,
        search_texts,
    })
}

/// The sort key for "newest first": the same day sorts alphabetically, so order never depends
/// on file order.
pub fn newest_first(record: &Record) -> impl Ord + use<> {
    let title = &record.common.title;
    (
        std::cmp::Reverse(record.common.published),
        crate::norwegian::collation_key(title),
        title.clone(),
        record.id(),
    )
}

/// Checks each `@/` link: that its `#anchor` is a heading of the target, and that a published
/// text does not link to a draft.
fn check_links(
    loaded: &LoadedSite,
    resolved: &Resolved,
    options: &RenderOptions,
    diagnostics: &Diagnostics,
) {
    let pages = || {
        let networks = loaded.networks.values().map(|n| n.file.as_path());
        let about = loaded.about.iter().map(|p| p.file.as_path());
        networks
            .zip(resolved.networks.values())
            .chain(about.zip(&resolved.about))
    };
    // Read in parallel: at 100,000 records, gathering the anchors and checking each file's
    // links on one thread left a core idle for a few tenths of a second.
    let mut anchors: HashMap<String, &[String]> = (loaded.records.par_iter())
        .zip(&resolved.records)
        .map(|(record, html)| (content_relative(&record.file), html.body.anchors.as_slice()))
        .collect();
    for (file, html) in pages() {
        anchors.insert(content_relative(file), &html.anchors);
    }
    // A published page linking to a draft links to a page a normal build does not write.
    let drafts: HashSet<String> = loaded
        .records
        .iter()
        .filter(|r| r.common.draft)
        .map(|r| content_relative(&r.file))
        .collect();
    let check = |file: &Path, links: &mut dyn Iterator<Item = &InternalLink>| {
        let published = !drafts.contains(&content_relative(file));
        for link in links {
            if drafts.contains(&link.target) && published {
                diagnostics.push(link_to_draft(file, link, options));
            }
            // A target that failed to load has no anchors to check; its own errors say why.
            let Some(target_anchors) = anchors.get(&link.target) else {
                continue;
            };
            if !link.anchor.is_empty() && !target_anchors.contains(&link.anchor) {
                diagnostics.push(missing_anchor(file, link, target_anchors));
            }
        }
    };
    (loaded.records.par_iter())
        .zip(&resolved.records)
        .for_each(|(record, html)| {
            check(
                &record.file,
                &mut html.body.links.iter().chain(&html.field_links),
            )
        });
    for (file, html) in pages() {
        check(file, &mut html.links.iter());
    }
}

fn missing_anchor(file: &Path, link: &InternalLink, anchors: &[String]) -> Diagnostic {
    let message = format!("ankeret «#{}» finnes ikke i @/{}", link.anchor, link.target);
    let diagnostic = Diagnostic::error(file, link.pos, message);
    if anchors.is_empty() {
        diagnostic.with_help("fjern #-delen, eller lenk til en overskrift som finnes")
    } else {
        diagnostic.with_help(format!(
            "overskriftene der har ankrene {}",
            crate::diagnostics::or_list(anchors)
        ))
    }
}

/// A link from a published page to a draft: an error, since a normal build does not write the
/// draft's page; only a warning in a preview that includes drafts (`build --drafts`, `serve
/// --drafts`), which shows the page for now.
fn link_to_draft(file: &Path, link: &InternalLink, options: &RenderOptions) -> Diagnostic {
    let message = format!(
        "lenken peker til «@/{}», som er en kladd (`draft = true`) og ikke blir publisert",
        link.target
    );
    let preview = options.drafts && !options.check_only;
    let diagnostic = if preview {
        Diagnostic::warning(file, link.pos, message)
    } else {
        Diagnostic::error(file, link.pos, message)
    };
    diagnostic.with_help(
        "publiser den andre posten først (fjern `draft = true` der), eller ta lenken bort til den er publisert",
    )
}

/// The words Markdown rendering writes itself, in a text's language.
fn words(strings: &Strings, lang: Lang) -> Words<'_> {
    Words {
        footnotes: strings.get(lang, "footnotes"),
        footnote_back: strings.get(lang, "footnote_back"),
    }
}

/// Networks' and about pages' texts sit right under the page's heading (`h1`).
fn render_page(
    file: &Path,
    body: &crate::content::Markdown,
    lang: Lang,
    targets: &LinkTargets<'_>,
    theme: &Theme,
    diagnostics: &Diagnostics,
) -> Rendered {
    let mut problems = Vec::new();
    let words = words(&theme.strings, lang);
    let html = markdown::render(body, 2, words, file, targets, &mut problems);
    diagnostics.extend(problems);
    html
}

/// Every Markdown text of a record sits under a section heading (`h2`) of its template.
/// Returns the HTML, the search text and the problems.
fn render_record(
    record: &Record,
    targets: &LinkTargets<'_>,
    strings: &Strings,
) -> (RecordHtml, String, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let words = words(strings, record.common.language);
    let mut html = RecordHtml {
        body: markdown::render(&record.body, 3, words, &record.file, targets, &mut problems),
        ..Default::default()
    };
    let mut texts = BTreeMap::new();
    let mut used = html.body.files.clone();
    let mut field = |key: MarkdownField, md: Option<&crate::content::Markdown>| {
        if let Some(md) = md {
            let rendered = markdown::render(md, 3, words, &record.file, targets, &mut problems);
            used.extend(rendered.files);
            html.fields.insert(key, rendered.html);
            html.field_links.extend(rendered.links);
            texts.insert(key, rendered.text);
        }
    };
    match &record.details {
        Details::Practice(p) => {
            field(MarkdownField::Problem, Some(&p.problem));
            field(MarkdownField::Results, p.results.as_ref());
            field(MarkdownField::Lessons, p.lessons.as_ref());
            field(MarkdownField::Reuse, p.reuse.as_ref());
        }
        Details::Barrier(b) => {
            field(MarkdownField::Consequence, Some(&b.consequence));
            field(MarkdownField::ProposedChange, Some(&b.proposed_change));
        }
        Details::Project(p) => {
            field(MarkdownField::Purpose, Some(&p.purpose));
            field(MarkdownField::Results, p.results.as_ref());
        }
    }
    problems.extend(crate::media::refer::unused(
        targets.media.get(&record.file),
        &used,
    ));
    let mut search_text = std::mem::take(&mut html.body.text);
    for text in texts.into_values() {
        search_text.push(' ');
        search_text.push_str(&text);
    }
    (html, search_text, problems)
}
