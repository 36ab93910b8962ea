//! Warm query latency of a built index, native: `cargo run --release -p search-index --example
//! latency -- public/sok/indeks "kobo" "arkiv i skyen" …`. Each query runs 20 times after a
//! first pass; prints p50 and p95. A tool for keeping queries fast; not a test, and not the
//! browser's number (`search-index/bench/` measures that, beside Pagefind).

use search_index::{SearchRequest, open_files};

mod common;

fn main() {
    let (dir, queries) = common::index_and_queries("latency");
    let (_, files) = common::read_index(&dir);
    let engine = open_files(&files).expect("the index opens");
    let mut times = Vec::new();
    for pass in 0..=20 {
        for q in &queries {
            let started = std::time::Instant::now();
            let request = SearchRequest {
                q: q.clone(),
                limit: 10,
                ..Default::default()
            };
            std::hint::black_box(engine.search(&request).expect("search"));
            if pass > 0 {
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |share: f64| times[((times.len() as f64 * share) as usize).min(times.len() - 1)];
    println!(
        "p50 {:.2} ms  p95 {:.2} ms  ({} runs)",
        at(0.5),
        at(0.95),
        times.len()
    );
}
