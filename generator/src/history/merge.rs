//! What Git knows, added to the loaded records. Front matter wins: Git supplies "last changed"
//! only where a record has no `updated`, and only when it is later than `published`.

use super::History;
use crate::content::vocab::{BARRIER_STATUS, MATURITY, PHASE, PROJECT_STATUS, Term, Vocabulary};
use crate::content::{Change, Details, LoadedSite, Record, frontmatter};

impl History {
    /// Adds what Git knows to each record of a loaded site.
    pub fn merge_into(&self, site: &mut LoadedSite) {
        for record in &mut site.records {
            self.merge_into_record(record);
        }
    }

    /// Adds what Git knows to one record (also to a record read again by `deling serve`).
    pub fn merge_into_record(&self, record: &mut Record) {
        let Some(file) = self.file(&record.file) else {
            return;
        };
        if record.common.updated.is_none() && file.last > record.common.published {
            record.common.updated = Some(file.last);
        }
        if let Some(previous) = &file.previous {
            record.changes = changes(record, previous);
        }
        record.history = Some(file.clone());
    }
}

/// Compares a record's controlled values with those in an earlier text of its file. An earlier
/// text that no longer parses gives no changes: it cannot say what the values were.
fn changes(record: &Record, previous: &str) -> Vec<Change> {
    let text = frontmatter::normalise(previous);
    let Ok(split) = frontmatter::split(&text) else {
        return Vec::new();
    };
    let Ok(table) = split.toml.parse::<toml::Table>() else {
        return Vec::new();
    };
    let current: Vec<(&'static str, &Vocabulary, Term)> = match &record.details {
        Details::Practice(p) => vec![("maturity", &MATURITY, p.maturity)],
        Details::Barrier(b) => vec![("status", &BARRIER_STATUS, b.status)],
        Details::Project(p) => vec![
            ("phase", &PHASE, p.phase),
            ("status", &PROJECT_STATUS, p.status),
        ],
    };
    current
        .into_iter()
        .filter_map(|(field, vocabulary, to)| {
            let from = table
                .get(field)
                .and_then(|v| v.as_str())
                .and_then(|v| vocabulary.find(v));
            (from != Some(to)).then_some(Change { field, from, to })
        })
        .collect()
}
