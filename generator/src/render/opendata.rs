//! Open data: every record as JSON (schema in `data/poster.schema.json`, documented on `/data/`)
//! and the barriers as CSV, so others can build on the knowledge base without scraping it.

use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;

use super::Site;
use crate::content::{Details, Owner, Record};
use crate::output::SiteFiles;

pub const SCHEMA: &str = include_str!("poster.schema.json");
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Export<'a> {
    format_version: u32,
    schema: String,
    records: Vec<ExportRecord<'a>>,
}

#[derive(Serialize)]
struct ExportRecord<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    url: String,
    title: &'a str,
    summary: &'a str,
    language: &'static str,
    published: String,
    updated: Option<String>,
    owner: String,
    networks: &'a [String],
    service_areas: &'a [String],
    solutions: &'a [String],
    municipalities: &'a [String],
    tags: &'a [String],
    contact: Option<&'a str>,
    sources: Vec<ExportLink<'a>>,
    body_markdown: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    practice: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    barrier: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct ExportLink<'a> {
    title: &'a str,
    url: &'a str,
}

fn date(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn export_record<'a>(site: &Site<'_>, r: &'a Record) -> ExportRecord<'a> {
    let c = &r.common;
    let md = |m: &Option<crate::content::Markdown>| m.as_ref().map(|m| m.text.clone());
    let (mut practice, mut barrier, mut project) = (None, None, None);
    match &r.details {
        Details::Practice(p) => {
            practice = Some(serde_json::json!({
                "problem": p.problem.text,
                "maturity": p.maturity,
                "results": md(&p.results),
                "lessons": md(&p.lessons),
                "reuse": md(&p.reuse),
                "attachments": p.attachments.iter().map(|l| serde_json::json!({"title": l.title, "url": l.url})).collect::<Vec<_>>(),
            }))
        }
        Details::Barrier(b) => {
            barrier = Some(serde_json::json!({
                "legal_references": b.legal_references.iter().map(|l| serde_json::json!({"law": l.law, "section": l.section, "url": l.url})).collect::<Vec<_>>(),
                "ministry": b.ministry,
                "agency": b.agency,
                "consequence": b.consequence.text,
                "proposed_change": b.proposed_change.text,
                "reported_by": b.reported_by,
                "status": b.status,
                "status_log": b.status_log.iter().map(|s| serde_json::json!({"date": date(s.date), "status": s.status, "note": s.note})).collect::<Vec<_>>(),
            }))
        }
        Details::Project(p) => {
            project = Some(serde_json::json!({
                "purpose": p.purpose.text,
                "phase": p.phase,
                "status": p.status,
                "owner": p.owner,
                "participants": p.participants,
                "funding": p.funding,
                "start": p.start.map(date),
                "end": p.end.map(date),
                "deliverables": p.deliverables,
                "results": md(&p.results),
            }))
        }
    }
    ExportRecord {
        id: r.id(),
        kind: r.kind.id(),
        url: site.urls.absolute(&r.path()),
        title: &c.title,
        summary: &c.summary,
        language: c.language.code(),
        published: date(c.published),
        updated: c.updated.map(date),
        owner: match &r.owner {
            Owner::Network(id) => id.clone(),
            Owner::National => "nasjonalt".into(),
        },
        networks: &c.networks,
        service_areas: &c.service_areas,
        solutions: &c.solutions,
        municipalities: &c.municipalities,
        tags: &c.tags,
        contact: c.contact.as_deref(),
        sources: c
            .sources
            .iter()
            .map(|l| ExportLink {
                title: &l.title,
                url: &l.url,
            })
            .collect(),
        body_markdown: &r.body.text,
        practice,
        barrier,
        project,
    }
}

pub fn write(site: &Site<'_>, files: &mut SiteFiles) -> Result<()> {
    let mut records: Vec<&Record> = site.records.clone();
    records.sort_by_key(|r| r.id());
    let export = Export {
        format_version: FORMAT_VERSION,
        schema: site.urls.absolute("data/poster.schema.json"),
        records: records.iter().map(|r| export_record(site, r)).collect(),
    };
    files.insert("data/poster.json", serde_json::to_vec_pretty(&export)?);
    files.insert("data/poster.schema.json", SCHEMA);
    files.insert("data/hindringer.csv", barriers_csv(site, &records)?);
    Ok(())
}

/// A CSV cell that a spreadsheet shows as text. Excel, LibreOffice and Google Sheets run a cell
/// starting with `=`, `+`, `-` or `@` as a formula (and skip a leading tab or carriage return
/// first), so a title such as `=HYPERLINK(…)` could send data away or start a program. OWASP's
/// rule: such a cell gets a leading `'`, which spreadsheets read as "this is text".
fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Writes CSV whose every cell goes through [`cell`].
struct CsvWriter(csv::Writer<Vec<u8>>);

impl CsvWriter {
    fn write<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> Result<()> {
        self.0
            .write_record(cells.into_iter().map(|text| match cell(text) {
                Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
                Cow::Owned(text) => Cow::Owned(text.into_bytes()),
            }))?;
        Ok(())
    }
}

fn barriers_csv(site: &Site<'_>, records: &[&Record]) -> Result<Vec<u8>> {
    let mut writer = CsvWriter(csv::Writer::from_writer(Vec::new()));
    writer.write([
        "id",
        "tittel",
        "status",
        "departement",
        "etat",
        "lovhenvisninger",
        "nettverk",
        "kommuner",
        "publisert",
        "sist_endret",
        "url",
    ])?;
    for r in records {
        let Details::Barrier(b) = &r.details else {
            continue;
        };
        let legal: Vec<String> = b
            .legal_references
            .iter()
            .map(|l| {
                let name = match &l.section {
                    Some(s) => format!("{} {s}", l.law),
                    None => l.law.clone(),
                };
                match &l.url {
                    Some(url) => format!("{name} <{url}>"),
                    None => name,
                }
            })
            .collect();
        let networks: Vec<&str> = r
            .common
            .networks
            .iter()
            .map(|n| site.loaded.networks[n].name.as_str())
            .collect();
        writer.write([
            r.id().as_str(),
            &r.common.title,
            b.status.value,
            &site.loaded.reference.ministries[&b.ministry].name_nb,
            b.agency.as_deref().unwrap_or(""),
            &legal.join("; "),
            &networks.join("; "),
            &r.common.municipalities.join("; "),
            &date(r.common.published),
            &date(r.common.last_changed()),
            &site.urls.absolute(&r.path()),
        ])?;
    }
    Ok(writer.0.into_inner()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_kept_as_text() {
        for formula in [
            "=1+1",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(cell(formula), format!("'{formula}"));
        }
        for text in [
            "Deling av opplysningar",
            "4601",
            "2024-05-02",
            "",
            " =1",
            "a=b",
        ] {
            assert!(matches!(cell(text), Cow::Borrowed(t) if t == text));
        }
    }
}
