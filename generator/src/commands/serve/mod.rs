//! `deling serve`: builds the site in memory, serves it on 127.0.0.1, and rebuilds when the
//! sources change, pushing a reload to open pages.
//!
//! Three threads share the work: the web server ([`http`]), a builder that waits for batches
//! of changes ([`watch`]) and rebuilds the least it can ([`session`]), and, after a quick
//! refresh, a background full rebuild that brings the search index, related records and open
//! data up to date once the files have been quiet for a moment.

mod http;
pub mod session;
mod watch;

use anyhow::Result;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::Live;
pub use http::content_type;
use session::{Outcome, Session};
use watch::{Batch, Watch};

use crate::diagnostics::report;
use crate::render::RenderOptions;

/// How long the files must be quiet after a refresh before the full rebuild starts.
const SETTLE_AFTER: Duration = Duration::from_millis(800);

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    /// Look for changes every half second instead of waiting for events (network drives).
    pub poll: bool,
    pub render: RenderOptions,
}

pub fn run(mut options: ServeOptions) -> Result<()> {
    // The port first: one in use is said before a build, and with `--port 0` the site's
    // absolute links (feeds, sitemap) need the port the system gave.
    let listener = http::listen(options.port)?;
    options.render.base_url = Some(format!("http://{}/", listener.local_addr()?));
    let mut session = Session::new(&options.root, options.render);
    let started = Instant::now();
    // A broken theme or config.toml at start is an error to fix before serving anything.
    let first = session.rebuild()?;
    print_outcome(&first, started);
    let live = Arc::new(Live::default());
    live.apply(first);

    let watch = Watch::start(&options.root, options.poll)?;
    let builder = Builder {
        session: Arc::new(Mutex::new(session)),
        live: live.clone(),
        generation: Arc::new(AtomicU64::new(0)),
    };
    std::thread::Builder::new()
        .name("deling-builder".into())
        .spawn(move || builder.run(watch))?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(http::serve(live, listener))
}

/// Rebuilds after each batch of changes.
#[derive(Clone)]
struct Builder {
    session: Arc<Mutex<Session>>,
    live: Arc<Live>,
    /// Counts batches, so a background rebuild knows whether newer changes came meanwhile.
    generation: Arc<AtomicU64>,
}

impl Builder {
    fn run(self, mut watch: Watch) {
        while let Some(batch) = watch.next_batch() {
            let started = Instant::now();
            let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
            let mut session = self.session.lock().expect("no panics while building");
            let refreshed = match single_record_file(&batch, &session.root) {
                Some(file) => session.refresh(file),
                None => Ok(None),
            };
            let (outcome, quick) = match refreshed {
                Ok(Some(outcome)) => (Ok(outcome), true),
                Ok(None) => (session.rebuild(), false),
                Err(e) => (Err(e), false),
            };
            drop(session);
            match outcome {
                Ok(outcome) => {
                    print_outcome(&outcome, started);
                    let built = matches!(outcome, Outcome::Built { .. });
                    self.live.apply(outcome);
                    if quick && built {
                        self.settle_later(generation);
                    }
                }
                Err(e) => {
                    eprintln!("feil: {e:#}");
                    self.live.fail(format!("{e:#}"));
                }
            }
        }
    }

    /// After a refresh: a full rebuild once nothing has changed for [`SETTLE_AFTER`].
    fn settle_later(&self, generation: u64) {
        let builder = self.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SETTLE_AFTER);
            if builder.generation.load(Ordering::SeqCst) != generation {
                return;
            }
            let (root, options) = {
                let session = builder.session.lock().expect("no panics while building");
                (session.root.clone(), session.options.clone())
            };
            let Ok((compiled, kept)) = crate::commands::compile_keeping(&root, &options) else {
                return;
            };
            let mut session = builder.session.lock().expect("no panics while building");
            // Newer changes have their own refresh and rebuild; a failed build here can only
            // come from a file caught mid-save, which the next batch reads again.
            if builder.generation.load(Ordering::SeqCst) != generation || compiled.files.is_none() {
                return;
            }
            let outcome = session.install(compiled, kept);
            drop(session);
            builder.live.apply(outcome);
        });
    }
}

/// The one record file a batch changed, if that is all it changed. Files that came and went
/// within the batch (`sed -i` and many editors save through a temporary file) do not count.
fn single_record_file<'b>(batch: &'b Batch, root: &Path) -> Option<&'b Path> {
    let temporary = |path: &Path| {
        let read = path
            .extension()
            .is_some_and(|e| e == "md" || e == "toml" || e == "csv");
        !read && !root.join(path).exists()
    };
    let mut paths = batch.paths.iter().filter(|p| !temporary(p));
    let file = paths.next()?;
    let is_record = file.starts_with("content") && file.extension().is_some_and(|e| e == "md");
    (paths.next().is_none() && is_record).then_some(file.as_path())
}

fn print_outcome(outcome: &Outcome, started: Instant) {
    let took = started.elapsed().as_secs_f64() * 1000.0;
    match outcome {
        Outcome::Built {
            warnings, complete, ..
        } => {
            if !warnings.is_empty() {
                eprint!("{}", report(warnings));
            }
            let what = if *complete { "Bygget" } else { "Oppdatert" };
            eprintln!("{what} på {took:.0} ms.");
        }
        Outcome::Failed { problems } => {
            eprint!("{}", report(problems));
            eprintln!("Bygget feilet ({took:.0} ms); viser forrige versjon til feilene er rettet.");
        }
    }
}
