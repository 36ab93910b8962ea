//! The shape of the code, checked like behaviour: the generator's top-level modules depend on
//! each other without cycles (each phase can be read, tested and replaced on its own), and no
//! function outside tests and the synthetic-corpus tool grows past 80 lines; the fuzz targets
//! build the same patched crates as the workspace.
//!
//! Run alone: `cargo test -p deling --test testsuite architecture`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const LONGEST_FUNCTION: usize = 80;

fn crate_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(name)
        .join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The code before `#[cfg(test)]`: unit tests may reach anywhere.
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |at| &text[..at])
}

/// The top-level module a file belongs to (`content/parse.rs` → `content`).
fn top_module(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

/// Which top-level modules each top-level module names as `crate::<module>`.
fn dependencies(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(src) {
        let from = top_module(src, &file);
        if ["main", "lib"].contains(&from.as_str()) {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        let code = without_tests(&text);
        let edges = graph.entry(from.clone()).or_default();
        for (at, _) in code.match_indices("crate::") {
            let preceded = code[..at].chars().next_back();
            if preceded.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `deling_crate::` or similar, not a path
            }
            let name: String = code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != from {
                edges.insert(name);
            }
        }
        // `use crate::{a, b::c}`
        for (at, _) in code.match_indices("use crate::{") {
            let list = &code[at + "use crate::{".len()..];
            let list = &list[..list.find(';').unwrap_or(list.len())];
            // The items at the list's own level: `a`, `b::c`, `d::{e, f}`.
            let mut depth = 0;
            let mut item = String::new();
            for c in list.chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' if depth > 0 => depth -= 1,
                    ',' | '}' if depth == 0 => {
                        let name: String = item
                            .trim()
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !name.is_empty() && name != from {
                            edges.insert(name);
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        }
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for edges in graph.values_mut() {
        edges.retain(|m| modules.contains(m));
    }
    graph
}

/// Every cycle's modules, each cycle once (strongly connected components of more than one).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reaches = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reaches(m))).collect();
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for (m, from_m) in &reach {
        let component: Vec<String> = from_m
            .iter()
            .filter(|other| *other != *m && reach[other].contains(*m))
            .cloned()
            .chain([(*m).clone()])
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if component.len() > 1 {
            found.insert(component);
        }
    }
    found.into_iter().collect()
}

#[test]
fn the_generators_modules_depend_on_each_other_without_cycles() {
    let graph = dependencies(&crate_dir("generator"));
    assert!(graph.contains_key("content") && graph["render"].contains("content"));
    let cycles = cycles(&graph);
    assert!(cycles.is_empty(), "module cycles: {cycles:?}");
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(cycles(&graph), [["a", "b"]]);
}

/// Functions longer than [`LONGEST_FUNCTION`] lines in `text`, as (first line, name, lines). A
/// function ends at the first line that closes at its own indentation.
fn long_functions(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = without_tests(text).lines().collect();
    let mut long = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at];
        let trimmed = line.trim_start();
        let signature = [
            "pub fn ",
            "fn ",
            "pub(crate) fn ",
            "pub(super) fn ",
            "async fn ",
        ]
        .iter()
        .find_map(|start| trimmed.strip_prefix(start));
        let Some(signature) = signature else {
            at += 1;
            continue;
        };
        let indent = &line[..line.len() - trimmed.len()];
        let name: String = signature
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let end = (at..lines.len())
            .find(|&i| {
                lines[i].starts_with(&format!("{indent}}}")) || lines[i].ends_with(';') && i == at
            })
            .unwrap_or(at);
        let length = end - at + 1;
        if length > LONGEST_FUNCTION {
            long.push((at + 1, name, length));
        }
        at = end + 1;
    }
    long
}

#[test]
fn no_function_is_longer_than_80_lines() {
    let mut long = Vec::new();
    for name in ["generator", "search-index"] {
        let src = crate_dir(name);
        for file in rust_files(&src) {
            if file.components().any(|c| c.as_os_str() == "synth") {
                continue; // the benchmark corpus writer is a tool, not the product
            }
            let text = fs::read_to_string(&file).unwrap();
            for (line, function, length) in long_functions(&text) {
                long.push(format!(
                    "{}:{line} {function} ({length} lines)",
                    file.display()
                ));
            }
        }
    }
    assert!(long.is_empty(), "split these:\n{}", long.join("\n"));
}

#[test]
fn the_length_check_measures_a_long_function() {
    let body = "    x += 1;\n".repeat(LONGEST_FUNCTION);
    let text = format!("fn short() {{\n}}\n\npub fn long() {{\n{body}}}\n");
    assert_eq!(
        long_functions(&text),
        [(4, "long".to_string(), LONGEST_FUNCTION + 2)]
    );
}

/// The `[patch.crates-io]` of the manifest at `manifest` (relative to the repository), each
/// crate with the folder its patched copy is in.
fn patched_crates(manifest: &str) -> BTreeMap<String, PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(manifest);
    let text = fs::read_to_string(&path).unwrap();
    let table: toml::Table = text.parse().unwrap();
    let patches = table
        .get("patch")
        .and_then(|p| p.get("crates-io"))
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    patches
        .into_iter()
        .map(|(name, patch)| {
            let folder = patch["path"].as_str().unwrap();
            let folder = path.parent().unwrap().join(folder).canonicalize().unwrap();
            (name, folder)
        })
        .collect()
}

#[test]
fn the_fuzz_targets_build_the_patched_crates_the_workspace_ships() {
    // The fuzz crate is a workspace of its own, so the top manifest's patches do not reach
    // it: without its own copy it fuzzed tantivy and tera as published, not as shipped.
    let shipped = patched_crates("Cargo.toml");
    assert!(!shipped.is_empty());
    assert_eq!(patched_crates("generator/fuzz/Cargo.toml"), shipped);
}
