//! Watching the site's sources with notify, and turning bursts of events into batches.
//!
//! Editors save in several steps (write a temporary file, rename it over the original; or
//! truncate, then write), and `git checkout` touches many files at once. A batch ends when the
//! files have been quiet for [`QUIET`], so a rebuild never reads a file halfway through a save.

use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long the files must be quiet before a batch is handed on.
const QUIET: Duration = Duration::from_millis(15);
/// A batch is handed on after this long even if events keep coming.
const LONGEST: Duration = Duration::from_millis(500);

/// What a batch of changes touched, relative to the site root.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    pub paths: BTreeSet<PathBuf>,
}

pub struct Watch {
    watcher: Box<dyn Watcher + Send>,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
}

impl Watch {
    /// Watches `content/`, `themes/`, `templates/` and `config.toml` under `root`. With
    /// `poll`, by looking every half second, for network drives where change events never come.
    pub fn start(root: &Path, poll: bool) -> Result<Watch> {
        let root = std::fs::canonicalize(root)
            .with_context(|| format!("fant ikke mappen {}", root.display()))?;
        let (sender, events) = channel();
        let mut watcher: Box<dyn Watcher + Send> = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            Box::new(notify::PollWatcher::new(sender, config)?)
        } else {
            Box::new(notify::recommended_watcher(sender)?)
        };
        for folder in ["content", "themes", "templates"] {
            let path = root.join(folder);
            if path.is_dir() {
                watcher
                    .watch(&path, RecursiveMode::Recursive)
                    .with_context(|| format!("kunne ikke følge med på {}", path.display()))?;
            }
        }
        // The root itself, not the file: editors replace config.toml by renaming over it.
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
        Ok(Watch {
            watcher,
            events,
            root,
        })
    }

    /// Waits for the next batch of relevant changes. `None` when the watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        let mut started: Option<Instant> = None;
        loop {
            let event = match started {
                None => self.events.recv().ok()?,
                Some(at) => {
                    let left = LONGEST.saturating_sub(at.elapsed());
                    match self.events.recv_timeout(QUIET.min(left)) {
                        Ok(event) => event,
                        Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                            return Some(batch);
                        }
                    }
                }
            };
            let Ok(event) = event else { continue };
            if matches!(event.kind, notify::EventKind::Access(_)) {
                continue;
            }
            for path in event.paths {
                if let Some(relative) = self.relevant(&path) {
                    // A watched folder that was deleted and made again has lost its watch.
                    if relative.components().count() == 1 && path.is_dir() {
                        let _ = self.watcher.watch(&path, RecursiveMode::Recursive);
                    }
                    batch.paths.insert(relative);
                }
            }
            if started.is_none() && !batch.paths.is_empty() {
                started = Some(Instant::now());
            }
        }
    }

    /// The path relative to the root, if a change to it can change the site. Editors' backup
    /// and swap files (`.x.md.swp`, `x.md~`, `#x.md#`) are not.
    fn relevant(&self, path: &Path) -> Option<PathBuf> {
        let relative = path.strip_prefix(&self.root).ok()?.to_path_buf();
        let name = relative.file_name()?.to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') || name.starts_with('#') {
            return None;
        }
        let first = relative.components().next()?.as_os_str().to_string_lossy();
        let watched = matches!(first.as_ref(), "content" | "themes" | "templates")
            || relative == Path::new("config.toml");
        watched.then_some(relative)
    }
}
