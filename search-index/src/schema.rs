//! The one schema, used by the writer and every reader. Changing it means bumping
//! [`FORMAT_VERSION`], which readers check before answering, so a browser holding an old engine
//! never reads a new index (or the reverse) and shows wrong results.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use tantivy::schema::{Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, TantivyDocument};

use crate::analysis::{ANALYZER_NAME, Analyzer, NorwegianTokenizer};

/// Bump on any change to the schema, the analysis or the files the index consists of.
pub const FORMAT_VERSION: u32 = 3;

/// What the site gives the index for one record.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SearchDoc {
    pub id: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    /// Plain text of the body and the record's other texts.
    pub body: String,
    /// Tags and the names of networks, municipalities, solutions, service areas, laws.
    pub names: Vec<String>,
    /// `practice`, `barrier` or `project`.
    pub kind: String,
    pub lang: String,
    /// Maturity, status or phase, as the site shows it.
    pub badge: String,
    pub published: String,
    pub networks: Vec<String>,
    pub service_areas: Vec<String>,
    pub solutions: Vec<String>,
    pub municipalities: Vec<String>,
    pub status: Vec<String>,
    /// The record's tags, as slugs (tags that differ only in case or accents are one).
    #[serde(default)]
    pub tags: Vec<String>,
}

/// The filters a query can use. Their public names (in URLs, the CLI, the JSON API and the
/// labels file the search page reads) are the index's field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Filter {
    Type,
    Network,
    ServiceArea,
    Solution,
    Municipality,
    Status,
    Tag,
}

impl Filter {
    /// Every filter, in the order of [`Fields::filters`].
    pub const ALL: [Filter; 7] = [
        Filter::Type,
        Filter::Network,
        Filter::ServiceArea,
        Filter::Solution,
        Filter::Municipality,
        Filter::Status,
        Filter::Tag,
    ];

    /// The public name, which is also the index field's name.
    pub const fn name(self) -> &'static str {
        match self {
            Filter::Type => "type",
            Filter::Network => "network",
            Filter::ServiceArea => "service_area",
            Filter::Solution => "solution",
            Filter::Municipality => "municipality",
            Filter::Status => "status",
            Filter::Tag => "tag",
        }
    }

    pub fn from_name(name: &str) -> Option<Filter> {
        Filter::ALL.into_iter().find(|f| f.name() == name)
    }

    /// A record's values for this filter.
    fn values(self, doc: &SearchDoc) -> &[String] {
        match self {
            Filter::Type => std::slice::from_ref(&doc.kind),
            Filter::Network => &doc.networks,
            Filter::ServiceArea => &doc.service_areas,
            Filter::Solution => &doc.solutions,
            Filter::Municipality => &doc.municipalities,
            Filter::Status => &doc.status,
            Filter::Tag => &doc.tags,
        }
    }
}

/// `manifest.json`, the one index file with a fixed name: it maps the files tantivy asks for
/// to their published, content-hashed names, with the format version a reader checks first.
/// The build writes it and `deling search` and the browser worker read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    /// Logical file name (what tantivy asks for) to the published, content-hashed file name.
    pub files: BTreeMap<String, String>,
    /// Sizes in bytes, so a reader can plan its range requests.
    pub sizes: BTreeMap<String, usize>,
    /// Byte ranges (logical file, offset, length) every search reads
    /// ([`crate::remote::warm_ranges`]): the browser fetches them at once while the engine loads
    /// (once a first answer has come).
    #[serde(default)]
    pub warm: Vec<(String, usize, usize)>,
}

/// Why a `manifest.json` could not be used.
#[derive(Debug)]
pub enum ManifestError {
    /// Not the JSON of a manifest.
    Damaged(serde_json::Error),
    /// Written for another format version than [`FORMAT_VERSION`].
    Version(u32),
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest::new()
    }
}

impl Manifest {
    pub const FILE_NAME: &str = "manifest.json";

    /// An empty manifest of this format version.
    pub fn new() -> Manifest {
        Manifest {
            format_version: FORMAT_VERSION,
            files: BTreeMap::new(),
            sizes: BTreeMap::new(),
            warm: Vec::new(),
        }
    }

    /// Adds a file under its published name.
    pub fn insert(&mut self, name: &str, published: String, size: usize) {
        self.sizes.insert(name.to_string(), size);
        self.files.insert(name.to_string(), published);
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).expect("a manifest serializes")
    }

    /// Reads a manifest, refusing one of another format version (checked first, so a manifest
    /// of another shape is reported as another version, not as damaged).
    pub fn read(json: &[u8]) -> Result<Manifest, ManifestError> {
        #[derive(Deserialize)]
        struct Version {
            format_version: u32,
        }
        let version: Version = serde_json::from_slice(json).map_err(ManifestError::Damaged)?;
        if version.format_version != FORMAT_VERSION {
            return Err(ManifestError::Version(version.format_version));
        }
        serde_json::from_slice(json).map_err(ManifestError::Damaged)
    }
}

#[derive(Debug, Clone)]
pub struct Fields {
    pub schema: Schema,
    pub id: Field,
    pub url: Field,
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    pub names: Field,
    pub lang: Field,
    pub badge: Field,
    pub published: Field,
    /// Filter fields, in the order of [`Filter::ALL`].
    pub filters: [Field; 7],
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}

impl Fields {
    pub fn new() -> Fields {
        let mut builder = Schema::builder();
        let text = |stored: bool| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(ANALYZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let options = TextOptions::default().set_indexing_options(indexing);
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        // Ids and filter values are matched whole and never ranked, so they need no field
        // lengths (fieldnorms): no bytes for them in the index, nor in a query's reads.
        let whole = || {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            )
        };
        // Filter values are counted from their postings (`facets`), so they need no columns.
        let filter = whole;
        let id = builder.add_text_field("id", whole() | STORED);
        let url = builder.add_text_field("url", STORED);
        let title = builder.add_text_field("title", text(true));
        let summary = builder.add_text_field("summary", text(true));
        let body = builder.add_text_field("body", text(false));
        let names = builder.add_text_field("names", text(false));
        let lang = builder.add_text_field("lang", STORED);
        let badge = builder.add_text_field("badge", STORED);
        let published = builder.add_text_field("published", STORED);
        let filters = Filter::ALL.map(|f| match f {
            // Stored too: a hit says which kind of record it is.
            Filter::Type => builder.add_text_field(f.name(), filter() | STORED),
            _ => builder.add_text_field(f.name(), filter()),
        });
        Fields {
            schema: builder.build(),
            id,
            url,
            title,
            summary,
            body,
            names,
            lang,
            badge,
            published,
            filters,
        }
    }

    /// The field of a filter, by its public name.
    pub fn filter(&self, name: &str) -> Option<Field> {
        Filter::from_name(name).map(|filter| self.field(filter))
    }

    pub fn field(&self, filter: Filter) -> Field {
        self.filters[filter as usize]
    }

    pub fn kind(&self) -> Field {
        self.field(Filter::Type)
    }

    pub fn document(&self, doc: &SearchDoc) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(self.id, &doc.id);
        d.add_text(self.url, &doc.url);
        d.add_text(self.title, &doc.title);
        d.add_text(self.summary, &doc.summary);
        d.add_text(self.body, &doc.body);
        for name in &doc.names {
            d.add_text(self.names, name);
        }
        d.add_text(self.lang, &doc.lang);
        d.add_text(self.badge, &doc.badge);
        d.add_text(self.published, &doc.published);
        for filter in Filter::ALL {
            for value in filter.values(doc) {
                d.add_text(self.field(filter), value);
            }
        }
        d
    }
}

/// Registers the Norwegian analyzer on an index; needed by writers and readers alike.
pub fn register(index: &Index, analyzer: Arc<Analyzer>) {
    index
        .tokenizers()
        .register(ANALYZER_NAME, NorwegianTokenizer::new(analyzer));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filter_is_found_by_its_public_name() {
        for filter in Filter::ALL {
            assert_eq!(Filter::from_name(filter.name()), Some(filter));
            assert_eq!(
                Fields::new().filter(filter.name()),
                Some(Fields::new().field(filter))
            );
        }
        assert_eq!(Filter::from_name("kind"), None);
    }

    #[test]
    fn a_manifest_reads_back_what_was_written() {
        let mut manifest = Manifest::new();
        manifest.insert("meta.json", "meta.0a1b2c3d4e5f.json".into(), 1234);
        assert_eq!(Manifest::read(&manifest.to_json()).unwrap(), manifest);
    }

    #[test]
    fn a_manifest_of_another_format_version_is_refused_even_in_another_shape() {
        let json = format!(
            r#"{{"format_version": {}, "files": []}}"#,
            FORMAT_VERSION + 1
        );
        assert!(matches!(
            Manifest::read(json.as_bytes()),
            Err(ManifestError::Version(v)) if v == FORMAT_VERSION + 1
        ));
        assert!(matches!(
            Manifest::read(b"{\"files\": {}}"),
            Err(ManifestError::Damaged(_))
        ));
    }
}
