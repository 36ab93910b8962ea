//! The one schema, used by the writer and every reader. Changing it means bumping
//! [`FORMAT_VERSION`], which readers check before answering, so a browser holding an old engine
//! never reads a new index (or the reverse) and shows wrong results.

use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, TantivyDocument};

use crate::analysis::{ANALYZER_NAME, Analyzer, NorwegianTokenizer};

/// Bump on any change to the schema, the analysis or the files the index consists of.
pub const FORMAT_VERSION: u32 = 1;

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
}

/// The filters a query can use, by their public name (in URLs, the CLI and the JSON API).
pub const FILTERS: [&str; 6] = [
    "type",
    "network",
    "service_area",
    "solution",
    "municipality",
    "status",
];

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
    /// Filter fields, in the order of [`FILTERS`].
    pub filters: [Field; 6],
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
        let id = builder.add_text_field("id", STRING | STORED);
        let url = builder.add_text_field("url", STORED);
        let title = builder.add_text_field("title", text(true));
        let summary = builder.add_text_field("summary", text(true));
        let body = builder.add_text_field("body", text(false));
        let names = builder.add_text_field("names", text(false));
        let lang = builder.add_text_field("lang", STORED);
        let badge = builder.add_text_field("badge", STORED);
        let published = builder.add_text_field("published", STORED);
        let filters = FILTERS.map(|name| {
            if name == "type" {
                builder.add_text_field(name, STRING | FAST | STORED)
            } else {
                builder.add_text_field(name, STRING | FAST)
            }
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

    pub fn filter(&self, name: &str) -> Option<Field> {
        FILTERS
            .iter()
            .position(|f| *f == name)
            .map(|i| self.filters[i])
    }

    pub fn kind(&self) -> Field {
        self.filters[0]
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
        let values: [&[String]; 6] = [
            std::slice::from_ref(&doc.kind),
            &doc.networks,
            &doc.service_areas,
            &doc.solutions,
            &doc.municipalities,
            &doc.status,
        ];
        for (field, values) in self.filters.iter().zip(values) {
            for value in values {
                d.add_text(*field, value);
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
