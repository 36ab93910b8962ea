//! Rendering: from a loaded, checked site to every output file, in memory.
//!
//! Markdown is rendered once per record (in parallel), internal links are checked against the
//! headings of their targets, and then every page is rendered with tera in parallel. The result
//! is a [`SiteFiles`] map; nothing here touches the output folder.

mod feeds;
mod opendata;
mod pages;
mod paginate;
pub mod search;
pub mod templates;
pub mod urls;
mod views;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use tera::Tera;

use crate::content::{Details, LoadedSite, Record, RecordKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::{Lang, Strings};
use crate::markdown::{self, LinkTargets, Rendered, Words};
use crate::output::SiteFiles;
pub use urls::Urls;

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` from config.toml (`--base-url`, and `serve`).
    pub base_url: Option<String>,
    /// Include records marked `draft = true`.
    pub drafts: bool,
    /// Print how long each phase took (for profiling and benchmarks).
    pub timings: bool,
    /// Validate only (`deling check`): skip the search index and related records, which no
    /// content can make fail and which are most of the time on a large site.
    pub check_only: bool,
    /// A preview of a pull request (`build --preview-of REV`): the Git revision to compare
    /// the content with. `commands::compile` turns it into `preview`.
    pub preview_of: Option<String>,
    /// The records the change adds, changes and removes, listed at the top of every page.
    pub preview: Vec<PreviewChange>,
}

/// One record a preview lists at the top of its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewChange {
    pub kind: RecordKind,
    pub slug: String,
    pub title: String,
    pub change: Change,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Changed,
    Removed,
}

/// A record's Markdown, rendered: the body and the Markdown fields of its type.
#[derive(Debug, Clone, Default)]
pub struct RecordHtml {
    pub body: Rendered,
    pub fields: BTreeMap<&'static str, String>,
    /// `@/` links in the Markdown fields, checked like the body's.
    pub field_links: Vec<markdown::InternalLink>,
}

/// Everything page rendering needs, computed once.
pub struct Site<'a> {
    pub loaded: &'a LoadedSite,
    pub urls: Urls,
    pub strings: Arc<Strings>,
    pub tera: Arc<Tera>,
    /// Language of pages that are not one record's page.
    pub lang: Lang,
    /// Records that get pages, newest first.
    pub records: Vec<&'a Record>,
    /// Rendered Markdown, parallel to `records`.
    pub html: Vec<Arc<RecordHtml>>,
    pub network_html: BTreeMap<String, String>,
    /// Rendered Markdown of the about pages, parallel to `loaded.about`.
    pub about_html: Vec<String>,
    pub mentioned_municipalities: BTreeSet<String>,
    /// Root-relative URLs of theme assets, with a content hash so caches never go stale.
    pub assets: Arc<BTreeMap<String, String>>,
    /// URLs of the search engine, index and labels, for the search page and header field.
    pub search_assets: search::SearchAssets,
    static_files: Arc<BTreeMap<String, Vec<u8>>>,
    /// Positions in `loaded.records` of `records`, for [`Memory`].
    order: Vec<usize>,
    theme: Theme,
    /// In a refresh, the one changed record: only what shows it is rendered.
    pub focus: Option<Focus>,
    /// In a pull request's preview, the records it changes.
    pub preview: Vec<PreviewChange>,
}

/// The record a refresh is about (`deling serve`, after one record file was saved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    pub kind: RecordKind,
    pub slug: String,
}

impl Focus {
    pub fn of(record: &Record) -> Focus {
        Focus {
            kind: record.kind,
            slug: record.slug.clone(),
        }
    }

    pub fn is(&self, record: &Record) -> bool {
        record.kind == self.kind && record.slug == self.slug
    }
}

/// The search index a refresh updates: as the full build wrote it, until the first refresh
/// opens it for writing.
enum SearchIndex {
    Built(search_index::writer::IndexFiles),
    Live(Box<search_index::writer::LiveIndex>),
}

/// The theme, loaded: interface strings, templates and static files with their hashed URLs.
#[derive(Clone)]
struct Theme {
    strings: Arc<Strings>,
    tera: Arc<Tera>,
    static_files: Arc<BTreeMap<String, Vec<u8>>>,
    assets: Arc<BTreeMap<String, String>>,
}

/// What a full render keeps for later refreshes: the theme, each record's Markdown, rendered,
/// the newest-first order and each record's related records.
#[derive(Default)]
pub struct Memory {
    /// The search index, for replacing the changed record's document.
    index: Option<SearchIndex>,
    theme: Option<Theme>,
    /// Positions in `LoadedSite::records`, newest first.
    order: Vec<usize>,
    html: HashMap<String, Arc<RecordHtml>>,
    /// By position in the site's newest-first order, which a refresh never changes.
    related: Vec<Vec<usize>>,
}

/// Renders the whole site. Content problems go to `diagnostics`; `Err` means the theme or an
/// option is broken, which no contributor can fix from a content file.
pub fn render(
    loaded: &LoadedSite,
    options: &RenderOptions,
    diagnostics: &Diagnostics,
) -> Result<SiteFiles> {
    Ok(render_and_remember(loaded, options, diagnostics)?.0)
}

/// Checks what rendering checks (Markdown, links and their anchors) without rendering a page:
/// for a site whose loading reported errors, which must not be rendered.
pub fn validate(
    loaded: &LoadedSite,
    options: &RenderOptions,
    diagnostics: &Diagnostics,
) -> Result<()> {
    Site::new(loaded, options, diagnostics, None).map(drop)
}

/// [`render`], also returning what a later [`refresh`] can reuse.
pub fn render_and_remember(
    loaded: &LoadedSite,
    options: &RenderOptions,
    diagnostics: &Diagnostics,
) -> Result<(SiteFiles, Memory)> {
    let mut clock = Clock::new(options.timings);
    let site = Site::new(loaded, options, diagnostics, None)?;
    clock.lap("markdown");
    let mut files = SiteFiles::default();
    for (path, bytes) in site.static_files.iter() {
        files.insert(path.clone(), bytes.clone());
    }
    // Record pages list related records, found with the search index. The index is written by
    // one thread (one segment, for reproducible bytes), so the other pages and the feeds are
    // rendered meanwhile.
    let (related, others) = rayon::join(
        || -> Result<_> {
            let mut index = SiteFiles::default();
            let (related, index_files) = if options.check_only {
                (vec![Vec::new(); site.records.len()], None)
            } else {
                let (related, files) = search::write(&site, &mut index, &mut clock)?;
                (related, Some(files))
            };
            Ok((related, index, index_files))
        },
        || -> Result<_> {
            let mut others = SiteFiles::default();
            for (path, bytes) in pages::all_but_records(&site)? {
                others.insert(path, bytes);
            }
            feeds::write(&site, &mut others)?;
            opendata::write(&site, &mut others)?;
            Ok(others)
        },
    );
    let (related, index, index_files) = related?;
    files.extend(index);
    files.extend(others?);
    clock.lap("other_pages");
    for (path, bytes) in pages::record_pages(&site, &related)? {
        files.insert(path, bytes);
    }
    feeds::write_sitemap(&site, &mut files)?;
    clock.lap("record_pages");
    clock.report();
    let memory = Memory {
        index: index_files.map(SearchIndex::Built),
        theme: Some(site.theme.clone()),
        order: site.order.clone(),
        html: site
            .records
            .iter()
            .zip(&site.html)
            .map(|(r, html)| (r.id(), html.clone()))
            .collect(),
        related,
    };
    Ok((files, memory))
}

/// Renders only the files that show `focus`, after its file changed in a way that moves it in
/// no list (same dates, title, kind and taxonomies; see `commands::serve`): its page, the one
/// page of each list it is on, the pages that list it as related, the front page, "Nytt og
/// endret" and the feeds it is in; and replaces its document in the search index (a new small
/// segment). Related records and open data are left to the full rebuild that follows.
pub fn refresh(
    loaded: &LoadedSite,
    options: &RenderOptions,
    diagnostics: &Diagnostics,
    memory: &mut Memory,
    focus: Focus,
) -> Result<Refreshed> {
    let site = Site::new(loaded, options, diagnostics, Some((memory, focus.clone())))?;
    anyhow::ensure!(
        memory.related.len() == site.records.len(),
        "a refresh cannot add or remove records"
    );
    let related = &memory.related;
    let mut files = SiteFiles::default();
    for (path, bytes) in pages::all(&site, related)? {
        files.insert(path, bytes);
    }
    feeds::write(&site, &mut files)?;
    let at = site.records.iter().position(|r| focus.is(r));
    if let (Some(at), false) = (at, diagnostics.has_errors()) {
        memory.replace_in_index(&search::document(&site, at), &mut files)?;
    }
    let html = site
        .records
        .iter()
        .zip(&site.html)
        .find(|(r, _)| focus.is(r))
        .map(|(r, html)| (r.id(), html.clone()));
    Ok(Refreshed { files, html })
}

/// What a refresh rendered: the files that show the record, and its Markdown for [`Memory`].
pub struct Refreshed {
    pub files: SiteFiles,
    html: Option<(String, Arc<RecordHtml>)>,
}

impl Memory {
    /// Replaces one record's document in the search index and publishes the changed files.
    fn replace_in_index(
        &mut self,
        doc: &search_index::SearchDoc,
        files: &mut SiteFiles,
    ) -> Result<()> {
        let live = match self.index.take() {
            Some(SearchIndex::Built(built)) => search_index::writer::LiveIndex::open(&built),
            Some(SearchIndex::Live(live)) => Ok(*live),
            None => return Ok(()),
        };
        let mut live = live.context("søkeindeksen kunne ikke åpnes for endring")?;
        let index = live
            .replace(doc)
            .context("søkeindeksen kunne ikke oppdateres")?;
        self.index = Some(SearchIndex::Live(Box::new(live)));
        search::publish(&index, files)
    }

    /// Keeps a successful refresh's Markdown, so later refreshes build on it.
    pub fn remember(&mut self, refreshed: &Refreshed) {
        if let Some((id, html)) = &refreshed.html {
            self.html.insert(id.clone(), html.clone());
        }
    }
}

/// Phase durations for `build --timings`, printed as one `timings name=seconds …` line.
pub struct Clock {
    enabled: bool,
    last: std::time::Instant,
    laps: Vec<(&'static str, f64)>,
}

impl Clock {
    pub fn new(enabled: bool) -> Clock {
        Clock {
            enabled,
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    pub fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((name, (now - self.last).as_secs_f64()));
        self.last = now;
    }

    fn report(&self) {
        if self.enabled {
            let laps: Vec<String> = self
                .laps
                .iter()
                .map(|(n, s)| format!("{n}={s:.3}"))
                .collect();
            eprintln!("timings {}", laps.join(" "));
        }
    }
}

impl<'a> Site<'a> {
    fn new(
        loaded: &'a LoadedSite,
        options: &RenderOptions,
        diagnostics: &Diagnostics,
        refresh: Option<(&Memory, Focus)>,
    ) -> Result<Site<'a>> {
        let config = &loaded.config;
        let urls = Urls::new(options.base_url.as_deref().unwrap_or(&config.base_url))?;
        let theme_dir = loaded.root.join("themes").join(&config.theme);
        if !theme_dir.is_dir() {
            anyhow::bail!(
                "fant ikke temaet {}: sjekk `theme` i config.toml",
                theme_dir.display()
            );
        }
        // A refresh follows a full build of the same theme: any change to it is a full rebuild.
        let theme = match &refresh {
            Some((memory, _)) if memory.theme.is_some() => memory.theme.clone().expect("checked"),
            _ => {
                let (static_files, assets) = load_static(&theme_dir.join("static"), &urls)?;
                Theme {
                    strings: Arc::new(Strings::load(&theme_dir.join("i18n"))?),
                    tera: Arc::new(templates::load(
                        &theme_dir.join("templates"),
                        &loaded.root.join("templates"),
                    )?),
                    static_files: Arc::new(static_files),
                    assets: Arc::new(assets),
                }
            }
        };

        // Markdown of every record, drafts included, so `check` finds problems in drafts too.
        let targets = LinkTargets {
            paths: &loaded.paths,
            root: urls.root(),
        };
        // A refresh renders only the changed record's Markdown; the rest is as it was.
        let remembered = |record: &Record| {
            let (memory, focus) = refresh.as_ref()?;
            (!focus.is(record)).then(|| memory.html.get(&record.id()).cloned())?
        };
        let rendered: Vec<(Arc<RecordHtml>, Vec<Diagnostic>)> = loaded
            .records
            .par_iter()
            .map(|record| match remembered(record) {
                Some(html) => (html, Vec::new()),
                None => {
                    let (html, problems) = render_record(record, &targets, &theme.strings);
                    (Arc::new(html), problems)
                }
            })
            .collect();
        // Networks' and about pages' texts sit right under the page's heading (`h1`).
        let render_page = |file: &'a Path, body, lang| {
            let mut problems = Vec::new();
            let words = words(&theme.strings, lang);
            let html = markdown::render(body, 2, words, file, &targets, &mut problems);
            diagnostics.extend(problems);
            (file, html)
        };
        let networks_rendered: BTreeMap<&String, (&Path, Rendered)> = loaded
            .networks
            .iter()
            .map(|(id, n)| (id, render_page(&n.file, &n.body, n.language)))
            .collect();
        let about_rendered: Vec<(&Path, Rendered)> = loaded
            .about
            .iter()
            .map(|p| render_page(&p.file, &p.body, p.language))
            .collect();
        let pages_rendered = || networks_rendered.values().chain(&about_rendered);
        let mut anchors: HashMap<String, &[String]> = HashMap::new();
        for (file, html) in pages_rendered() {
            anchors.insert(content_relative(file), &html.anchors);
        }
        for (record, (html, problems)) in loaded.records.iter().zip(&rendered) {
            diagnostics.extend(problems.iter().cloned());
            anchors.insert(content_relative(&record.file), &html.body.anchors);
        }
        let all_links = rendered
            .iter()
            .zip(&loaded.records)
            .map(|((html, _), record)| {
                let links = html.body.links.iter().chain(&html.field_links);
                (record.file.as_path(), links.collect::<Vec<_>>())
            })
            .chain(pages_rendered().map(|(file, html)| (*file, html.links.iter().collect())));
        // A published page linking to a draft links to a page a normal build does not write.
        let drafts: HashSet<String> = loaded
            .records
            .iter()
            .filter(|r| r.common.draft)
            .map(|r| content_relative(&r.file))
            .collect();
        let published = |file: &Path| !drafts.contains(&content_relative(file));
        for (file, links) in all_links {
            for link in links {
                if drafts.contains(&link.target) && published(file) {
                    diagnostics.push(link_to_draft(file, link, options));
                }
                // A target that failed to load has no anchors to check; its own errors say why.
                let Some(target_anchors) = anchors.get(&link.target) else {
                    continue;
                };
                if !link.anchor.is_empty() && !target_anchors.contains(&link.anchor) {
                    let mut d = Diagnostic::error(
                        file,
                        link.pos,
                        format!("ankeret «#{}» finnes ikke i @/{}", link.anchor, link.target),
                    );
                    if !target_anchors.is_empty() {
                        d = d.with_help(format!(
                            "overskriftene der har ankrene {}",
                            crate::diagnostics::or_list(target_anchors)
                        ));
                    } else {
                        d = d.with_help("fjern #-delen, eller lenk til en overskrift som finnes");
                    }
                    diagnostics.push(d);
                }
            }
        }
        let network_html: BTreeMap<String, String> = networks_rendered
            .into_iter()
            .map(|(id, (_, html))| (id.clone(), html.html))
            .collect();
        let about_html: Vec<String> = about_rendered
            .into_iter()
            .map(|(_, html)| html.html)
            .collect();

        // A refresh moves no record in any list, so the order is the one remembered.
        let order = match &refresh {
            Some((memory, _)) => memory.order.clone(),
            None => {
                let mut order: Vec<usize> = (0..loaded.records.len())
                    .filter(|i| options.drafts || !loaded.records[*i].common.draft)
                    .collect();
                order.sort_by_cached_key(|i| newest_first(&loaded.records[*i]));
                order
            }
        };
        let records: Vec<&Record> = order.iter().map(|i| &loaded.records[*i]).collect();
        let html: Vec<Arc<RecordHtml>> = order.iter().map(|i| rendered[*i].0.clone()).collect();
        let mentioned_municipalities = records
            .iter()
            .flat_map(|r| r.common.municipalities.iter().cloned())
            .collect();

        let search_assets = search::SearchAssets {
            engine: urls.page(&search::engine_path()),
            index: urls.page(&format!("{}/", search::INDEX_DIR)),
            // Fetched with `cache: "no-cache"`, like the index manifest: they change with content.
            labels: urls.page(search::LABELS_PATH),
        };
        Ok(Site {
            search_assets,
            loaded,
            urls,
            strings: theme.strings.clone(),
            tera: theme.tera.clone(),
            lang: config.language(),
            records,
            html,
            network_html,
            about_html,
            mentioned_municipalities,
            assets: theme.assets.clone(),
            static_files: theme.static_files.clone(),
            order,
            theme,
            focus: refresh.map(|(_, focus)| focus),
            preview: options.preview.clone(),
        })
    }

    /// Whether a page showing `records` is rendered: always, except in a refresh, where only
    /// pages that show the changed record are.
    pub fn renders(&self, records: &[&Record]) -> bool {
        match &self.focus {
            None => true,
            Some(focus) => records.iter().any(|r| focus.is(r)),
        }
    }

    /// Records of one kind, newest first.
    pub fn of_kind(&self, kind: RecordKind) -> Vec<&'a Record> {
        self.records
            .iter()
            .copied()
            .filter(|r| r.kind == kind)
            .collect()
    }

    /// The records changed most recently (by `updated`, from front matter or Git), for "Nytt og
    /// endret", at most `feed_limit` of them.
    pub fn recently_changed(&self) -> Vec<&'a Record> {
        let mut records = self.records.clone();
        // Stable, so records changed the same day stay newest first.
        records.sort_by_key(|r| std::cmp::Reverse(r.common.last_changed()));
        records.truncate(self.loaded.config.feed_limit);
        records
    }

    /// Records a network owns or shares, newest first.
    pub fn of_network(&self, id: &str) -> Vec<&'a Record> {
        self.records
            .iter()
            .copied()
            .filter(|r| r.common.networks.iter().any(|n| n == id))
            .collect()
    }

    /// Renders one template; a template error names the template and the page.
    pub fn render(&self, template: &str, context: &tera::Context, page: &str) -> Result<Vec<u8>> {
        self.tera
            .render(template, context)
            .map(String::into_bytes)
            .map_err(|e| anyhow::anyhow!(templates::describe(&e)))
            .with_context(|| format!("malen {template} kunne ikke vises for /{page}"))
    }
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

/// A link from a published page to a draft: an error, since a normal build does not write the
/// draft's page; only a warning in a preview that includes drafts (`build --drafts`, `serve
/// --drafts`), which shows the page for now.
fn link_to_draft(
    file: &Path,
    link: &markdown::InternalLink,
    options: &RenderOptions,
) -> Diagnostic {
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

fn content_relative(file: &Path) -> String {
    file.strip_prefix(crate::content::CONTENT_DIR)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The words Markdown rendering writes itself, in a text's language.
fn words(strings: &Strings, lang: Lang) -> Words<'_> {
    Words {
        footnotes: strings.get(lang, "footnotes"),
        footnote_back: strings.get(lang, "footnote_back"),
    }
}

/// Every Markdown text of a record sits under a section heading (`h2`) of its template.
fn render_record(
    record: &Record,
    targets: &LinkTargets<'_>,
    strings: &Strings,
) -> (RecordHtml, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let words = words(strings, record.common.language);
    let mut html = RecordHtml {
        body: markdown::render(&record.body, 3, words, &record.file, targets, &mut problems),
        ..Default::default()
    };
    let mut field = |key: &'static str, md: Option<&crate::content::Markdown>| {
        if let Some(md) = md {
            let rendered = markdown::render(md, 3, words, &record.file, targets, &mut problems);
            html.fields.insert(key, rendered.html);
            html.field_links.extend(rendered.links);
        }
    };
    match &record.details {
        Details::Practice(p) => {
            field("problem", Some(&p.problem));
            field("results", p.results.as_ref());
            field("lessons", p.lessons.as_ref());
            field("reuse", p.reuse.as_ref());
        }
        Details::Barrier(b) => {
            field("consequence", Some(&b.consequence));
            field("proposed_change", Some(&b.proposed_change));
        }
        Details::Project(p) => {
            field("purpose", Some(&p.purpose));
            field("results", p.results.as_ref());
        }
    }
    (html, problems)
}

/// Copies the theme's static files and gives each a content-hashed URL (`?v=…`).
type StaticFiles = (BTreeMap<String, Vec<u8>>, BTreeMap<String, String>);

fn load_static(dir: &Path, urls: &Urls) -> Result<StaticFiles> {
    let mut files = BTreeMap::new();
    let mut assets = BTreeMap::new();
    if !dir.is_dir() {
        return Ok((files, assets));
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("kunne ikke lese {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry
            .path()
            .strip_prefix(dir)
            .expect("below dir")
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(entry.path())
            .with_context(|| format!("kunne ikke lese {}", entry.path().display()))?;
        let hash = Sha256::digest(&bytes);
        let short: String = hash.iter().take(5).map(|b| format!("{b:02x}")).collect();
        assets.insert(path.clone(), format!("{}?v={short}", urls.page(&path)));
        files.insert(path, bytes);
    }
    Ok((files, assets))
}
