//! One record's own Atom feed (`<record path>atom.xml`), so a reader can follow one barrier:
//! its entries are the record's changes, newest first. Every date comes from the content
//! (published, the barrier's status log, the last change), never from the clock.

use anyhow::Result;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use tera::Context;

use super::Site;
use super::feeds::{EntryView, FeedView, author, timestamp};
use crate::content::{Details, Record};
use crate::norwegian::slugify;

/// The site path of a record's own feed, next to its page.
pub fn path(record: &Record) -> String {
    format!("{}atom.xml", record.path())
}

/// One change of the record: when, what (the entry's title), more (its summary), and the
/// fragment that makes its id unique and stable.
struct Change {
    date: NaiveDate,
    title: String,
    summary: String,
    fragment: String,
}

fn changes(site: &Site<'_>, record: &Record) -> Vec<Change> {
    let lang = record.common.language;
    let word = |key: &str| site.strings.get(lang, key).to_string();
    let mut changes = vec![Change {
        date: record.common.published,
        title: word("published"),
        summary: record.common.summary.clone(),
        fragment: "publisert".into(),
    }];
    if let Details::Barrier(b) = &record.details {
        // Two entries of one day and status (a note added later) get «-2», «-3»: an entry's id
        // is unique, and an entry added to the log never changes an earlier one's.
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for change in &b.status_log {
            let status = change.status.label(lang);
            let id = format!(
                "status-{}-{}",
                change.date.format("%Y-%m-%d"),
                slugify(change.status.value)
            );
            let n = seen.entry(id.clone()).or_default();
            *n += 1;
            changes.push(Change {
                date: change.date,
                title: format!("{}: {status}", word("status")),
                summary: change.note.clone().unwrap_or_else(|| status.to_string()),
                fragment: if *n == 1 { id } else { format!("{id}-{n}") },
            });
        }
    }
    let last = record.common.last_changed();
    if last > record.common.published && !changes.iter().any(|c| c.date == last) {
        let mut notes = site.change_notes(record, lang);
        notes.push(record.common.summary.clone());
        changes.push(Change {
            date: last,
            title: word("change_updated"),
            summary: notes.join(". "),
            fragment: format!("endret-{}", last.format("%Y-%m-%d")),
        });
    }
    // Stable, so changes of one day keep the order they were written in.
    changes.sort_by_key(|c| std::cmp::Reverse(c.date));
    changes
}

/// The feed of the record at `i` (in the newest-first records); `path` is the feed's own path.
pub fn feed(site: &Site<'_>, i: usize, path: &str) -> Result<Vec<u8>> {
    let record = site.records[i];
    let url = site.urls.absolute(&record.path());
    let changes = changes(site, record);
    let entries: Vec<EntryView> = changes
        .iter()
        .map(|c| EntryView {
            id: format!("{url}#{}", c.fragment),
            title: format!("{} – {}", c.title, record.common.title),
            url: url.clone(),
            published: timestamp(c.date),
            updated: timestamp(c.date),
            summary: c.summary.clone(),
            author: author(site, record),
            category: site.kind_label(record.kind, record.common.language),
        })
        .collect();
    let updated = changes
        .iter()
        .map(|c| c.date)
        .max()
        .unwrap_or(record.common.published);
    let view = FeedView {
        title: format!("{} – {}", record.common.title, site.loaded.config.title),
        id: site.urls.absolute(path),
        alternate: url,
        updated: timestamp(updated),
        lang: record.common.language.code().to_string(),
        entries,
    };
    let mut cx = Context::new();
    cx.insert("feed", &view);
    site.render("atom.xml", &cx, path)
}
