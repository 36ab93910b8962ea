//! `deling search` and `deling relevance`: the built index, queried from the terminal with the
//! same engine the browser runs.

use anyhow::{Context, Result};
use std::path::Path;

use search_index::relevance::{JudgedQuery, ndcg_at, recall_at};
use search_index::{Engine, SearchRequest, SearchResponse};

use crate::render::RenderOptions;
use crate::render::search::{read, read_from};

pub fn open(site_dir: &Path) -> Result<Engine> {
    let files = read(site_dir)?;
    search_index::open_files(&files)
        .context("søkeindeksen kunne ikke åpnes; bygg nettstedet på nytt med «deling build»")
}

pub fn run(site_dir: &Path, request: &SearchRequest) -> Result<SearchResponse> {
    Ok(open(site_dir)?.search(request)?)
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

/// Builds the site at `root` in memory and scores every judged query against its index.
pub fn relevance(root: &Path, queries: &[JudgedQuery]) -> Result<Vec<QueryScore>> {
    let compiled = super::compile(root, &RenderOptions::default())?;
    let files = compiled
        .files
        .context("nettstedet har feil; kjør «deling check»")?;
    let engine = search_index::open_files(&read_from(&files)?)?;
    queries
        .iter()
        .map(|query| {
            let request = SearchRequest {
                q: query.q.clone(),
                filters: query.filters.clone(),
                limit: CUTOFF,
                offset: 0,
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

pub fn mean(scores: &[QueryScore], metric: impl Fn(&QueryScore) -> f64) -> f64 {
    if scores.is_empty() {
        0.0
    } else {
        scores.iter().map(metric).sum::<f64>() / scores.len() as f64
    }
}
