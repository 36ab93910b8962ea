//! Writes the search index into the site (`sok/indeks/`), built with the `search-index` crate
//! from the same records the pages show.
//!
//! The index files are content-addressed (segment names are hashes of their bytes, `meta.json`
//! is renamed `meta.<hash>.json`), and `manifest.json`, the one file with a fixed name, lists them
//! with the format version. A browser holding an engine for another format version sees the
//! mismatch in the manifest and says so, rather than reading an index it does not understand.

use anyhow::{Context, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

use super::Site;
use crate::content::{Details, Record};
use crate::output::SiteFiles;
use search_index::answers;
use search_index::writer::IndexFiles;
use search_index::{Filter, Manifest, ManifestError, SearchDoc};

pub use crate::paths::{ANSWERS_DIR, INDEX_DIR};
pub const LABELS_PATH: &str = "sok/etiketter.json";

/// The browser engine, built by `build.rs` from `search-index/web` for wasm32, xz-compressed:
/// the search page decompresses it as it streams in and compiles it as it decompresses.
pub static ENGINE_XZ: &[u8] = include_bytes!(env!("DELING_SEARCH_ENGINE"));

/// Where the browser finds the engine, the index and the labels: handed to the page in
/// `data-` attributes of the search form.
#[derive(Debug, Clone, Serialize)]
pub struct SearchAssets {
    pub engine: String,
    pub index: String,
    pub labels: String,
    /// The folder of first answers (`search_index::answers`), shown while the engine loads.
    pub answers: String,
}

pub fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Site path of the engine; content-hashed so a cache never serves a stale engine.
pub fn engine_path() -> String {
    format!("sok/motor.{}.wasm.xz", short_hash(ENGINE_XZ))
}

/// The search document of the record at `index` in `site.records`, with `body`, its search
/// text (`ResolvedSite::take_search_texts`).
pub fn document(site: &Site<'_>, index: usize, body: String) -> SearchDoc {
    let record: &Record = site.records[index];
    let reference = &site.loaded.reference;
    let c = &record.common;
    let mut names: Vec<String> = c.tags.clone();
    for id in &c.networks {
        let network = &site.loaded.networks[id];
        names.push(network.name.clone());
        names.extend(network.aliases.iter().cloned());
    }
    for number in &c.municipalities {
        names.push(reference.municipalities[number].name.clone());
    }
    for id in &c.solutions {
        names.push(reference.solutions[id].name.clone());
    }
    for id in &c.service_areas {
        let area = &reference.service_areas[id];
        names.push(area.name_nb.clone());
        names.push(area.name_nn.clone());
    }
    let status = match &record.details {
        Details::Practice(p) => {
            names.push(p.maturity.value.to_string());
            Vec::new()
        }
        Details::Barrier(b) => {
            let ministry = &reference.ministries[&b.ministry];
            names.extend([ministry.name_nb.clone(), ministry.short.clone()]);
            names.extend(b.agency.clone());
            names.extend(b.legal_references.iter().map(|l| l.citation()));
            vec![b.status.value.to_string()]
        }
        Details::Project(p) => {
            names.push(p.owner.clone());
            names.extend(p.participants.iter().cloned());
            names.push(p.phase.value.to_string());
            vec![p.status.value.to_string()]
        }
    };
    SearchDoc {
        id: record.id(),
        url: site.urls.page(&record.path()),
        title: c.title.clone(),
        summary: c.summary.clone(),
        body,
        names,
        kind: record.kind.id().to_string(),
        lang: c.language.code().to_string(),
        badge: site.badge(record, site.lang),
        published: c.published.to_string(),
        networks: c.networks.clone(),
        service_areas: c.service_areas.clone(),
        solutions: c.solutions.clone(),
        municipalities: c.municipalities.clone(),
        status,
        tags: unique(c.tags.iter().map(|tag| super::tags::slug(tag))),
    }
}

/// How many related records a record page lists.
pub const RELATED: usize = 5;

/// Builds the index and writes it with its manifest, the engine and the labels. Returns, for each
/// record (in `site.records` order), the records related to it, found with the fresh index.
pub fn write(
    site: &Site<'_>,
    search_texts: Vec<String>,
    files: &mut SiteFiles,
    clock: &mut super::Clock,
) -> Result<(Vec<Vec<usize>>, IndexFiles)> {
    let payload = search_index::synonyms::Payload {
        synonyms: site.loaded.reference.synonyms.clone(),
    };
    let (docs, index) =
        index_documents(site, search_texts, &payload).context("søkeindeksen kunne ikke bygges")?;
    clock.lap("search_index");
    // An empty site (new, or every record a draft) has an index with no segment at all, and
    // nothing to search, relate or answer.
    let (warm, related, answered) = if docs.is_empty() {
        (Vec::new(), Vec::new(), BTreeMap::new())
    } else {
        let common = answers::common(&docs, answers::MAX_WORDS, answers::phrases_for(docs.len()));
        // What every search reads, found with the two commonest words: the browser fetches it
        // all at once while the engine loads.
        let queries: Vec<_> = (common.words.iter().take(2))
            .map(|w| answers::request(w))
            .collect();
        let warm = search_index::remote::warm_ranges(&index, &queries)
            .context("søkeindeksen kunne ikke åpnes")?;
        let engine = search_index::open_files(&index).context("søkeindeksen kunne ikke åpnes")?;
        let related = related(&engine, &docs)?;
        clock.lap("related");
        let answered = answers::answer_all(&engine, &answers::keys_for(&common))
            .context("søkesvarene kunne ikke lages")?;
        (warm, related, answered)
    };
    publish(&index, &warm, files)?;
    files.insert(engine_path(), ENGINE_XZ);
    // The labels list the answer files, so the page asks only for one that exists.
    let names: Vec<&str> = answered.keys().map(String::as_str).collect();
    files.insert(LABELS_PATH, labels(site, &names));
    for (name, bytes) in answered {
        files.insert(format!("{ANSWERS_DIR}/{name}"), bytes);
    }
    clock.lap("first_answers");
    Ok((related, index))
}

/// The most records one rayon job finds related records for: small jobs, as for pages
/// (`pages::PAGES_PER_JOB`, which says why), since pages are rendered on the other thread
/// meanwhile. A record takes a fraction of a millisecond.
const RECORDS_PER_JOB: usize = 64;

/// How many documents are made at a time while the index is written.
const BATCH: usize = 1024;

/// Writes every record's document into a new index, a batch at a time, and returns the
/// documents without their bodies: related records and first answers read the rest. Each
/// body, a record's search text, is freed once it is in the index, which is when the build's
/// memory peaks (holding them all cost 180 MiB more at 100,000 records).
fn index_documents(
    site: &Site<'_>,
    search_texts: Vec<String>,
    payload: &search_index::synonyms::Payload,
) -> Result<(Vec<SearchDoc>, IndexFiles)> {
    use rayon::prelude::*;
    let count = site.records.len();
    let mut writer = search_index::writer::Writer::new()?;
    let mut docs = Vec::with_capacity(count);
    let mut search_texts = search_texts.into_iter();
    for start in (0..count).step_by(BATCH) {
        let end = count.min(start + BATCH);
        let bodies: Vec<String> = search_texts.by_ref().take(end - start).collect();
        let batch: Vec<SearchDoc> = (start..end)
            .into_par_iter()
            .zip(bodies)
            .map(|(i, body)| document(site, i, body))
            .collect();
        for mut doc in batch {
            writer.add(&doc)?;
            doc.body = String::new();
            docs.push(doc);
        }
    }
    Ok((docs, writer.finish(payload)?))
}

/// Puts index files into the site under content-hashed names, with the manifest that maps
/// tantivy's names to them.
pub fn publish(
    index: &IndexFiles,
    warm: &[(String, usize, usize)],
    files: &mut SiteFiles,
) -> Result<()> {
    let mut manifest = Manifest::new();
    manifest.warm = warm.to_vec();
    for (name, bytes) in index {
        let published = match name.strip_suffix(".json") {
            Some(stem) => {
                format!("{stem}.{}.json", short_hash(bytes))
            }
            None => name.clone(),
        };
        files.insert(format!("{INDEX_DIR}/{published}"), bytes.clone());
        manifest.insert(name, published, bytes.len());
    }
    files.insert(
        format!("{INDEX_DIR}/{}", Manifest::FILE_NAME),
        manifest.to_json(),
    );
    Ok(())
}

fn related(engine: &search_index::Engine, docs: &[SearchDoc]) -> Result<Vec<Vec<usize>>> {
    use rayon::prelude::*;
    let finder = engine
        .related_finder(docs)
        .context("relaterte poster kunne ikke finnes")?;
    (0..docs.len())
        .into_par_iter()
        .with_max_len(RECORDS_PER_JOB)
        .map(|i| {
            finder
                .of(i, RELATED)
                .context("relaterte poster kunne ikke finnes")
        })
        .collect()
}

/// `values` without repeats, in their first order.
fn unique(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    values.filter(|v| seen.insert(v.clone())).collect()
}

/// Names for filter values and the search page's texts, in the site's language, and the
/// filters themselves (`filters`, in order). The worker answers with ids; the page shows these
/// names. `status_kind` says whether a status belongs to
/// barriers or projects (`"barrier"`, `"project"`), for the page to group the statuses.
/// `answered` names the first answers' files (`sok/svar/`), so the page fetches only those.
pub fn labels(site: &Site<'_>, answered: &[&str]) -> Vec<u8> {
    use crate::content::vocab::{BARRIER_STATUS, PROJECT_STATUS};
    use serde_json::{Map, Value};
    let lang = site.lang;
    let map = |pairs: Vec<(String, String)>| -> Value {
        Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        )
    };
    let mut labels: Map<String, Value> = Filter::ALL
        .into_iter()
        .map(|filter| (filter.name().to_string(), map(filter_labels(site, filter))))
        .collect();
    // Which kind of record each status belongs to, so the page can group them under a heading.
    let status_kind = [(&BARRIER_STATUS, "barrier"), (&PROJECT_STATUS, "project")]
        .into_iter()
        .flat_map(|(vocab, kind)| {
            vocab
                .terms
                .iter()
                .map(|t| (t.value.to_string(), kind.to_string()))
        })
        .collect();
    labels.insert("status_kind".into(), map(status_kind));
    // The filters' names in their order, so the page need not know them.
    let filters = Filter::ALL.map(|f| Value::String(f.name().to_string()));
    labels.insert("filters".into(), Value::Array(filters.to_vec()));
    let answered = answered.iter().map(|name| Value::String(name.to_string()));
    labels.insert("answered".into(), Value::Array(answered.collect()));
    let text = site
        .strings
        .table(lang)
        .iter()
        .filter(|(k, _)| k.starts_with("search_") || k.starts_with("filter_"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    labels.insert("text".into(), map(text));
    serde_json::to_vec(&labels).expect("labels serialize")
}

/// Each value of a filter, with the name the page shows for it.
fn filter_labels(site: &Site<'_>, filter: Filter) -> Vec<(String, String)> {
    use crate::content::RecordKind;
    use crate::content::vocab::{BARRIER_STATUS, PROJECT_STATUS};
    let lang = site.lang;
    let reference = &site.loaded.reference;
    match filter {
        Filter::Type => RecordKind::ALL
            .iter()
            .map(|k| (k.id().to_string(), site.kind_label(*k, lang)))
            .collect(),
        Filter::Network => site
            .loaded
            .networks
            .values()
            .map(|n| (n.id.clone(), n.name.clone()))
            .collect(),
        Filter::ServiceArea => reference
            .service_areas
            .values()
            .map(|a| (a.id.clone(), a.name(lang).to_string()))
            .collect(),
        Filter::Solution => reference
            .solutions
            .values()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
        Filter::Municipality => site
            .mentioned_municipalities
            .iter()
            .map(|n| (n.clone(), reference.municipalities[n].name.clone()))
            .collect(),
        Filter::Status => BARRIER_STATUS
            .terms
            .iter()
            .chain(PROJECT_STATUS.terms)
            .map(|t| (t.value.to_string(), t.label(lang).to_string()))
            .collect(),
        // As the tag pages name them: Bokmål, as the newest record writes the tag.
        Filter::Tag => {
            let mut spellings: BTreeMap<String, Vec<&String>> = BTreeMap::new();
            for tag in site.records.iter().flat_map(|r| &r.common.tags) {
                spellings
                    .entry(super::tags::slug(tag))
                    .or_default()
                    .push(tag);
            }
            spellings
                .into_iter()
                .map(|(slug, written)| (slug, super::tags::name(written)))
                .collect()
        }
    }
}

/// Reads an index written by `write` back from a built site folder.
pub fn read(site_dir: &std::path::Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let dir = site_dir.join(INDEX_DIR);
    read_with(|name| {
        let path = dir.join(name);
        std::fs::read(&path)
            .with_context(|| format!("fant ikke {}: kjør «deling build» først", path.display()))
    })
}

/// Reads the index from a site still in memory.
pub fn read_from(files: &SiteFiles) -> Result<BTreeMap<String, Vec<u8>>> {
    read_with(|name| {
        files
            .get(&format!("{INDEX_DIR}/{name}"))
            .map(<[u8]>::to_vec)
            .with_context(|| format!("søkeindeksen mangler {name}"))
    })
}

fn read_with(read: impl Fn(&str) -> Result<Vec<u8>>) -> Result<BTreeMap<String, Vec<u8>>> {
    let manifest = Manifest::read(&read(Manifest::FILE_NAME)?).map_err(|error| match error {
        ManifestError::Damaged(error) => anyhow::Error::new(error).context(
            "søkeindeksens manifest.json er ødelagt; bygg nettstedet på nytt med «deling build»",
        ),
        ManifestError::Version(version) => anyhow::anyhow!(
            "søkeindeksen har formatversjon {version}, men denne deling forstår versjon {}: bygg nettstedet på nytt med «deling build»",
            search_index::FORMAT_VERSION
        ),
    })?;
    manifest
        .files
        .into_iter()
        .map(|(name, published)| {
            let bytes = read(&published)?;
            // `meta.json` is published under its hash, and tantivy's checksums do not cover it.
            if let Some(stem) = name.strip_suffix(".json")
                && published != format!("{stem}.{}.json", short_hash(&bytes))
            {
                anyhow::bail!(
                    "søkeindeksens {published} er endret etter byggingen; bygg nettstedet på nytt med «deling build»"
                );
            }
            Ok((name, bytes))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ENGINE_XZ;
    use std::io::{Read, Write};
    use std::path::Path;

    fn theme_js(name: &str) -> Vec<u8> {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../themes/default/static/js")
                .join(name),
        )
        .expect("a script of the theme")
    }

    fn gzipped(bytes: &[u8]) -> usize {
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(bytes).unwrap();
        gzip.finish().unwrap().len()
    }

    /// What a phone downloads before any search runs in the browser, as GitHub Pages sends it:
    /// the engine as it is (xz), its decoder and the worker gzipped; about 272 KiB, where issue
    /// 16 asked for 400 KiB gzipped. The engine shrank from 663 to about 355 KiB gzipped by
    /// changes that nothing else checks (the vendored tantivy's facet display without regex,
    /// bitpacking's compact decoder in the `wasm` profile, term weights asked for directly in
    /// `query.rs`, filter counts from postings rather than columns), and xz takes a quarter
    /// off that; undoing either of the first two grows it past this bound.
    #[test]
    fn the_search_engine_its_decoder_and_its_worker_stay_within_300_kib_as_sent() {
        let sent = ENGINE_XZ.len()
            + gzipped(&theme_js("xz-decompress.js"))
            + gzipped(&theme_js("sok-worker.js"));
        let kib = sent as f64 / 1024.0;
        assert!(
            kib <= 300.0,
            "engine, decoder and worker are {kib:.1} KiB as sent"
        );
    }

    /// The page's decoder allocates the dictionary the stream's header names: preset 9's
    /// 64 MiB would be 64 MiB of a phone's memory for a 1 MiB engine.
    #[test]
    fn the_shipped_engine_is_a_wasm_module_a_decoder_reads_in_4_mib_of_memory() {
        let stream = liblzma::stream::Stream::new_stream_decoder(4 << 20, 0).unwrap();
        let mut wasm = Vec::new();
        liblzma::read::XzDecoder::new_stream(ENGINE_XZ, stream)
            .read_to_end(&mut wasm)
            .expect("the engine decodes within the memory limit");
        assert_eq!(&wasm[..4], b"\0asm", "a WebAssembly module");
        assert!(
            ENGINE_XZ.len() * 10 < gzipped(&wasm) * 8,
            "xz is to save a fifth of gzip's bytes at least"
        );
    }
}
