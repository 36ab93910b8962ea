//! Rendering: from a resolved site to every output file, in memory.
//!
//! [`resolve`] renders every Markdown text and checks its links, and hands out a
//! [`ResolvedSite`] only when nothing reported an error. [`render`] takes that site, plans its
//! pages once (`plan::PagePlan`) and renders every planned page with tera, in parallel; a
//! refresh renders the planned pages that show one changed record. Nothing here checks content
//! any more, and nothing touches the output folder: each file goes into a [`Sink`] as soon as
//! it is rendered (a staging folder for `build`, a [`SiteFiles`] map for `serve`).

mod contact;
mod contributors;
mod facts;
mod feeds;
mod opendata;
mod pages;
mod paginate;
mod plan;
mod record_feed;
mod register;
mod resolve;
pub mod search;
mod sharing;
mod statistics;
mod tags;
pub mod templates;
pub mod urls;
mod views;

use anyhow::{Context as _, Result};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use tera::Tera;

use crate::content::{LoadedSite, Record, RecordKind};
use crate::diagnostics::Diagnostics;
use crate::i18n::{Lang, Strings};
use crate::output::{Sink, SiteFiles};
use plan::{Page, PagePlan};
pub use resolve::{RecordHtml, Resolved, ResolvedSite, newest_first, resolve};
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

/// Everything page rendering needs, computed once.
pub struct Site<'a> {
    pub loaded: &'a LoadedSite,
    pub resolved: &'a ResolvedSite<'a>,
    pub urls: Urls,
    pub strings: Arc<Strings>,
    pub tera: Arc<Tera>,
    /// Language of pages that are not one record's page.
    pub lang: Lang,
    /// Records that get pages, newest first.
    pub records: Vec<&'a Record>,
    /// Rendered Markdown, parallel to `records`.
    pub html: Vec<Arc<RecordHtml>>,
    pub mentioned_municipalities: BTreeSet<String>,
    /// Root-relative URLs of theme assets, with a content hash so caches never go stale.
    pub assets: Arc<BTreeMap<String, String>>,
    /// URLs of the search engine, index and labels, for the search page and header field.
    pub search_assets: search::SearchAssets,
    /// In a pull request's preview, the records it changes.
    pub preview: Vec<PreviewChange>,
    /// The newest date in the content, which a barrier's days in its status count to.
    pub content_date: chrono::NaiveDate,
    /// Each language's part of every page's context.
    pub shared: BTreeMap<Lang, pages::Shared>,
    /// Each record's card in each language (`Lang as usize`), once a page has shown it
    /// (`Site::card`). Boxed: most are never made, and an empty one then costs a pointer.
    cards: Vec<[std::sync::OnceLock<Box<views::Card>>; Lang::ALL.len()]>,
}

/// The theme, loaded for one base URL: addresses, interface strings, templates and static files
/// with their hashed URLs. Nothing in it comes from content.
#[derive(Clone)]
pub struct Theme {
    urls: Urls,
    strings: Arc<Strings>,
    tera: Arc<Tera>,
    static_files: Arc<BTreeMap<String, Vec<u8>>>,
    assets: Arc<BTreeMap<String, String>>,
}

impl Theme {
    /// `Err` means the theme or an option is broken, which no contributor can fix from a
    /// content file.
    pub fn load(loaded: &LoadedSite, options: &RenderOptions) -> Result<Theme> {
        let config = &loaded.config;
        let urls = Urls::new(options.base_url.as_deref().unwrap_or(&config.base_url))?;
        let theme_dir = loaded.root.join("themes").join(&config.theme);
        if !theme_dir.is_dir() {
            anyhow::bail!(
                "fant ikke temaet {}: sjekk `theme` i config.toml",
                theme_dir.display()
            );
        }
        let (static_files, assets) = load_static(&theme_dir.join("static"), &urls)?;
        Ok(Theme {
            strings: Arc::new(Strings::load(&theme_dir.join("i18n"))?),
            tera: Arc::new(templates::load(
                &theme_dir.join("templates"),
                &loaded.root.join("templates"),
            )?),
            static_files: Arc::new(static_files),
            assets: Arc::new(assets),
            urls,
        })
    }
}

/// The search index a refresh updates: as the full build wrote it, until the first refresh
/// opens it for writing.
enum SearchIndex {
    Built(search_index::writer::IndexFiles),
    Live(Box<search_index::writer::LiveIndex>),
}

/// What a full render keeps for later refreshes: the theme, the resolved content, the page
/// plan and each record's related records.
#[derive(Default)]
pub struct Memory {
    /// The search index, for replacing the changed record's document.
    index: Option<SearchIndex>,
    theme: Option<Theme>,
    resolved: Option<Resolved>,
    plan: Option<PagePlan>,
    /// By position in the site's newest-first order, which a refresh never changes.
    related: Vec<Vec<usize>>,
}

/// Renders the whole site into memory.
pub fn render(site: ResolvedSite<'_>, theme: Theme, options: &RenderOptions) -> Result<SiteFiles> {
    let clock = Clock::new(options.timings);
    let files = std::sync::Mutex::new(SiteFiles::default());
    render_and_remember(site, theme, options, clock, &files)?;
    Ok(files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// [`render`] into `sink`, each file as soon as it is rendered, also returning what a later
/// [`refresh`] can reuse. `Err` is for a broken template, a search index that cannot be written
/// or a file the sink cannot take, never for content. `clock` goes on timing the phases from
/// where the caller left it (resolving, which renders the Markdown).
pub fn render_and_remember(
    mut resolved: ResolvedSite<'_>,
    theme: Theme,
    options: &RenderOptions,
    mut clock: Clock,
    sink: &dyn Sink,
) -> Result<Memory> {
    let search_texts = resolved.take_search_texts();
    let site = Site::new(&resolved, &theme, options);
    clock.lap("site");
    for (path, bytes) in theme.static_files.iter() {
        sink.put(path.clone(), bytes.clone())?;
    }
    // Record pages list related records, found with the search index. The index is written by
    // one thread (one segment, for reproducible bytes), so the page plan is made and the pages
    // other than records' are rendered meanwhile: made first, on its own, the plan left a core
    // idle for 0.7 s at 100,000 records.
    let (related, planned) = rayon::join(
        || -> Result<_> {
            if options.check_only {
                return Ok((vec![Vec::new(); site.records.len()], None));
            }
            let mut index = SiteFiles::default();
            let (related, built) = search::write(&site, search_texts, &mut index, &mut clock)?;
            sink.put_all(index)?;
            Ok((related, Some(built)))
        },
        || -> Result<PagePlan> {
            let plan = PagePlan::of(&site);
            let others: Vec<_> = (plan.pages.iter())
                .filter(|p| !matches!(p.page, Page::Record(_)))
                .collect();
            pages::render_all(&site, &plan, &others, &[], sink)?;
            Ok(plan)
        },
    );
    let (related, built) = related?;
    let plan = planned?;
    clock.lap("other_pages");
    let records: Vec<_> = (plan.pages.iter())
        .filter(|p| matches!(p.page, Page::Record(_)))
        .collect();
    // Open data, the registers' data and the sitemap are each written by one thread, so they
    // go beside the record pages, which keep every core busy, rather than alone after them (at
    // 100,000 records open data took 4 s on its own, one core idle); so do the records' media.
    let (pages, data) = rayon::join(
        || pages::render_all(&site, &plan, &records, &related, sink),
        || -> Result<()> {
            write_data(&site, options, sink)?;
            let mut sitemap = SiteFiles::default();
            feeds::write_sitemap(&site, &plan, &mut sitemap)?;
            sink.put_all(sitemap)
        },
    );
    pages.and(data)?;
    clock.lap("record_pages");
    clock.report();
    drop(site);
    Ok(Memory {
        index: built.map(SearchIndex::Built),
        theme: Some(theme),
        resolved: Some(resolved.into_resolved()),
        plan: Some(plan),
        related,
    })
}

/// Open data, the registers' data (`register.js` reads it) and the records' media.
fn write_data(site: &Site<'_>, options: &RenderOptions, sink: &dyn Sink) -> Result<()> {
    let (open, registers) = rayon::join(
        || opendata::write(site, sink),
        || -> Result<SiteFiles> {
            let mut data = SiteFiles::default();
            register::write(site, &mut data)?;
            Ok(data)
        },
    );
    open?;
    let mut data = registers?;
    if !options.check_only {
        publish_media(site, &mut data)?;
    }
    sink.put_all(data)
}

/// The images and documents of the records that get pages, in their pages' folders.
fn publish_media(site: &Site<'_>, files: &mut SiteFiles) -> Result<()> {
    let records: Vec<(String, &crate::media::RecordFiles)> = site
        .records
        .iter()
        .filter_map(|r| Some((r.path(), site.loaded.media.get(&r.file)?)))
        .collect();
    crate::media::encode::publish(&records, files)
}

/// After the record at `changed` (in `loaded.records`) was read again in a way that moves it in
/// no list (same dates, title, kind and taxonomies; see `commands::serve`): resolves the site
/// again and renders the planned pages that show the record, and replaces its document in the
/// search index (a new small segment). Related records and open data are left to the full
/// rebuild that follows. `None` if the content has errors (they are in `diagnostics`); the
/// memory is then as it was.
pub fn refresh(
    loaded: &LoadedSite,
    options: &RenderOptions,
    diagnostics: &Diagnostics,
    memory: &mut Memory,
    changed: usize,
) -> Result<Option<SiteFiles>> {
    let (Some(theme), Some(previous), Some(plan)) = (&memory.theme, &memory.resolved, &memory.plan)
    else {
        anyhow::bail!("a refresh follows a full build");
    };
    let Some(mut resolved) = resolve::again(loaded, previous, changed, theme, options, diagnostics)
    else {
        return Ok(None);
    };
    let at = resolved.position(changed);
    let search_text = at.map(|at| resolved.take_search_texts().swap_remove(at));
    let site = Site::new(&resolved, theme, options);
    anyhow::ensure!(
        memory.related.len() == site.records.len(),
        "a refresh cannot add or remove records"
    );
    let shown: Vec<_> = plan
        .pages
        .iter()
        .filter(|p| at.is_some_and(|at| plan.shows(&p.page, at, &memory.related)))
        .collect();
    let rendered = std::sync::Mutex::new(SiteFiles::default());
    pages::render_all(&site, plan, &shown, &memory.related, &rendered)?;
    let mut files = rendered
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // The registers' data for `register.js` holds every record's row; writing it is cheap, and
    // the table a reader sees then shows the change at once.
    register::write(&site, &mut files)?;
    let document = at
        .zip(search_text)
        .map(|(at, text)| search::document(&site, at, text));
    drop(site);
    if let Some(document) = document {
        memory.replace_in_index(&document, &mut files)?;
    }
    memory.resolved = Some(resolved.into_resolved());
    Ok(Some(files))
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
        // No warm ranges until the full rebuild that follows: on this machine, fetching in
        // rounds costs nothing.
        search::publish(&index, &[], files)
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
    fn new(resolved: &'a ResolvedSite<'a>, theme: &Theme, options: &RenderOptions) -> Site<'a> {
        let urls = theme.urls.clone();
        let records = resolved.records();
        let mentioned_municipalities = records
            .iter()
            .flat_map(|r| r.common.municipalities.iter().cloned())
            .collect();
        let search_assets = search::SearchAssets {
            engine: urls.page(&search::engine_path()),
            index: urls.page(&format!("{}/", search::INDEX_DIR)),
            // Fetched with `cache: "no-cache"`, like the index manifest: they change with content.
            labels: urls.page(search::LABELS_PATH),
            answers: urls.page(&format!("{}/", search::ANSWERS_DIR)),
        };
        let cards = records.iter().map(|_| Default::default()).collect();
        let mut site = Site {
            loaded: resolved.loaded,
            resolved,
            urls,
            strings: theme.strings.clone(),
            tera: theme.tera.clone(),
            lang: resolved.loaded.config.language(),
            html: resolved.record_html(),
            content_date: facts::content_date(&records),
            records,
            mentioned_municipalities,
            assets: theme.assets.clone(),
            search_assets,
            preview: options.preview.clone(),
            shared: BTreeMap::new(),
            cards,
        };
        site.shared = Lang::ALL
            .into_iter()
            .map(|lang| (lang, pages::Shared::new(pages::shared_context(&site, lang))))
            .collect();
        site
    }

    /// Renders one template; a template error names the template and the page.
    pub fn render(&self, template: &str, context: &tera::Context, page: &str) -> Result<Vec<u8>> {
        thread_local! {
            /// What tera writes, before the indentation goes: kept between pages, so a page
            /// does not grow a buffer of its own from tera's 2 KB to its size.
            static RAW: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        RAW.with_borrow_mut(|raw| {
            raw.clear();
            // Into bytes: `Tera::render` checks the whole page is UTF-8 to give a `String`.
            self.tera
                .render_to(template, context, &mut *raw)
                .map_err(|e| anyhow::anyhow!(templates::describe(&e)))
                .with_context(|| format!("malen {template} kunne ikke vises for /{page}"))?;
            Ok(if template.ends_with(".html") {
                templates::strip_indentation(raw)
            } else {
                raw.clone()
            })
        })
    }
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
