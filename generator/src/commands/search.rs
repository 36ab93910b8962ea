//! `deling search` and `deling relevance`: the built index, queried from the terminal with the
//! same engine the browser runs.

use anyhow::{Context, Result};
use std::path::Path;

use search_index::relevance::{JudgedQuery, ndcg_at, recall_at};
use search_index::{Engine, SearchRequest, SearchResponse};

use crate::render::RenderOptions;
use crate::render::search::{read, read_from};

const DAMAGED: &str = "søkeindeksen er ødelagt; bygg nettstedet på nytt med «deling build»";

/// Opens the index a build wrote. Its files are read from disk and may be damaged: their
/// checksums are verified first, and a panic inside tantivy on bytes it did not expect is
/// caught, so a damaged index is a message, never a crash.
pub fn open(site_dir: &Path) -> Result<Engine> {
    let files = read(site_dir)?;
    let damaged = search_index::damaged_files(&files);
    if !damaged.is_empty() {
        anyhow::bail!("{DAMAGED} (endret etter byggingen: {})", damaged.join(", "));
    }
    without_panics(|| search_index::open_files(&files))?.map_err(unreadable)
}

pub fn run(site_dir: &Path, request: &SearchRequest) -> Result<SearchResponse> {
    let engine = open(site_dir)?;
    without_panics(|| engine.search(request))?.map_err(unreadable)
}

/// [`run`], for a request typed by a person or a script: a filter value the index does not
/// have is an error that lists the valid ones (it would otherwise just find nothing).
pub fn run_checked(site_dir: &Path, request: &SearchRequest) -> Result<SearchResponse> {
    let engine = open(site_dir)?;
    let everything = SearchRequest {
        limit: 1,
        ..SearchRequest::default()
    };
    let known = without_panics(|| engine.search(&everything))?
        .map_err(unreadable)?
        .facets;
    let mut problems = Vec::new();
    for (name, values) in &request.filters {
        let valid: Vec<&str> = known
            .get(name)
            .map(|values| values.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for value in values.iter().filter(|v| !valid.contains(&v.as_str())) {
            // The command line's flag for the filter: its public name with hyphens.
            let option = name.replace('_', "-");
            let mut problem = format!("--{option} «{value}» finnes ikke i indeksen");
            if let Some(best) = crate::diagnostics::closest(value, valid.iter().copied()).first() {
                problem.push_str(&format!("; mente du «{best}»?"));
            }
            problem.push_str(&format!(" Gyldige verdier: {}", valid.join(", ")));
            problems.push(problem);
        }
    }
    if !problems.is_empty() {
        anyhow::bail!("{}", problems.join("\n"));
    }
    without_panics(|| engine.search(request))?.map_err(unreadable)
}

/// tantivy's own error, in English, goes after the Norwegian message.
fn unreadable(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{DAMAGED} (tantivy: {error})")
}

/// Runs `f`, turning a panic into the "damaged" message without printing it. Only for reading
/// an index from disk: tantivy panics on some damaged bytes rather than returning an error.
fn without_panics<T>(f: impl FnOnce() -> T) -> Result<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.map_err(|_| anyhow::anyhow!("{DAMAGED} (tantivy kunne ikke lese den)"))
}

/// Scores for one judged query.
#[derive(Debug, Clone)]
pub struct QueryScore {
    pub query: JudgedQuery,
    pub ranked: Vec<String>,
    pub ndcg: f64,
    pub recall: f64,
}

pub const CUTOFF: usize = 10;

pub fn read_queries(path: &Path) -> Result<Vec<JudgedQuery>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("kunne ikke lese {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line)
                .with_context(|| format!("{}:{}: ugyldig JSON", path.display(), i + 1))
        })
        .collect()
}

/// Builds the site at `root` in memory and opens its search index.
pub fn open_built_in_memory(root: &Path) -> Result<Engine> {
    let compiled = super::compile(root, &RenderOptions::default())?;
    let files = compiled
        .files
        .context("nettstedet har feil; kjør «deling check»")?;
    Ok(search_index::open_files(&read_from(&files)?)?)
}

/// Builds the site at `root` in memory and scores every judged query against its index.
pub fn relevance(root: &Path, queries: &[JudgedQuery]) -> Result<Vec<QueryScore>> {
    scores(&open_built_in_memory(root)?, queries)
}

/// Scores every judged query against `engine`.
pub fn scores(engine: &Engine, queries: &[JudgedQuery]) -> Result<Vec<QueryScore>> {
    queries
        .iter()
        .map(|query| {
            let request = SearchRequest {
                q: query.q.clone(),
                filters: query.filters.clone(),
                limit: CUTOFF,
                ..SearchRequest::default()
            };
            let ranked: Vec<String> = engine
                .search(&request)?
                .hits
                .into_iter()
                .map(|h| h.id)
                .collect();
            Ok(QueryScore {
                ndcg: ndcg_at(&ranked, &query.judgments, CUTOFF),
                recall: recall_at(&ranked, &query.judgments, CUTOFF),
                query: query.clone(),
                ranked,
            })
        })
        .collect()
}

/// The scores grouped by the kinds of query each covers (a query may count for several).
pub fn by_kind(scores: &[QueryScore]) -> std::collections::BTreeMap<String, Vec<QueryScore>> {
    let mut kinds: std::collections::BTreeMap<String, Vec<QueryScore>> = Default::default();
    for score in scores {
        for kind in &score.query.covers {
            kinds.entry(kind.clone()).or_default().push(score.clone());
        }
    }
    kinds
}

pub fn mean(scores: &[QueryScore], metric: impl Fn(&QueryScore) -> f64) -> f64 {
    if scores.is_empty() {
        0.0
    } else {
        scores.iter().map(metric).sum::<f64>() / scores.len() as f64
    }
}
