//! What one query reads from a built index, file by file, through the same lazy directory the
//! browser uses: `cargo run --release -p search-index --example query-bytes -- public/sok/indeks "kobo" "arkiv"`.
//! A tool for making the first query smaller; not a test.

use search_index::remote::RangeSource;
use search_index::{SearchRequest, open_remote};
use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex};

mod common;

#[derive(Debug)]
struct Recording {
    names: Vec<String>,
    files: Vec<Vec<u8>>,
    read: Mutex<BTreeMap<String, usize>>,
}

impl RangeSource for Recording {
    fn read(&self, file: u32, offset: usize, len: usize) -> io::Result<Vec<u8>> {
        *self
            .read
            .lock()
            .unwrap()
            .entry(self.names[file as usize].clone())
            .or_default() += len;
        if std::env::var("TRACE").is_ok() {
            eprintln!("read {} {offset}+{len}", self.names[file as usize]);
        }
        Ok(self.files[file as usize][offset..offset + len].to_vec())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (dir, queries) = common::index_and_queries("query-bytes");
    let (_, index) = common::read_index(&dir);
    let list: Vec<(String, usize)> = index.iter().map(|(n, b)| (n.clone(), b.len())).collect();
    let (names, files): (Vec<String>, Vec<Vec<u8>>) = index.into_iter().unzip();
    let source = Arc::new(Recording {
        names,
        files,
        read: Mutex::new(BTreeMap::new()),
    });
    let engine = open_remote(source.clone(), &list)?;
    let report = |label: &str| {
        let mut read = source.read.lock().unwrap();
        let total: usize = read.values().sum();
        println!("{label}: {:.1} KiB", total as f64 / 1024.0);
        for (name, bytes) in read.iter() {
            let size = list.iter().find(|(n, _)| n == name).map_or(0, |(_, s)| *s);
            println!(
                "  {name:<48} {:>8.1} of {:>8.1} KiB",
                *bytes as f64 / 1024.0,
                size as f64 / 1024.0
            );
        }
        read.clear();
    };
    report("open");
    for q in queries {
        let started = std::time::Instant::now();
        let response = engine.search(&SearchRequest {
            q: q.clone(),
            limit: 10,
            ..Default::default()
        })?;
        let elapsed = started.elapsed();
        report(&format!(
            "«{q}»: {} hits in {:.1} ms",
            response.total,
            elapsed.as_secs_f64() * 1000.0
        ));
    }
    Ok(())
}
